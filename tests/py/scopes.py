x = "global"
def show():
    print(x)
show()
def shadow():
    x = "local"
    print(x)
shadow()
print(x)
def unbound():
    try:
        print(y)
        y = 1
    except UnboundLocalError:
        print("UnboundLocalError")
unbound()
class K:
    attr = 10
    doubled = [attr * 2 for attr in range(3)]
    def m(self):
        return self.attr
print(K.doubled, K().m())
def nest():
    a = 1
    def b():
        def c():
            return a
        return c()
    return b()
print(nest())
total = 0
for i in range(5):
    total += i
print(total, i)
if (n := len("walrus")) > 3:
    print("long", n)
print([y for x in range(3) for y in range(x)])
print({(i, j) for i in range(2) for j in range(2) if i != j})
