def counter():
    n = 0
    def inc(by=1):
        nonlocal n
        n += by
        return n
    return inc

c = counter()
print(c(), c(), c(5))
fs = [lambda x, i=i: x * i for i in range(4)]
print([f(10) for f in fs])

def outer():
    x = "outer"
    def mid():
        def inner():
            return x
        return inner
    return mid()()
print(outer())

def make_adders():
    return {name: (lambda v, k=k: v + k) for k, name in enumerate("abc")}
print(sorted((k, f(100)) for k, f in make_adders().items()))

g = 1
def read_global():
    return g + 1
def write_global():
    global g
    g = 41
write_global()
print(read_global())
