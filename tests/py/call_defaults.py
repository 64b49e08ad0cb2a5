# Calls that bind positional arguments, defaults and a closure's free variables directly (callPython's fast path),
# next to the same functions called in ways that need the general binder.

def f(a, b=2, c=3):
    return (a, b, c)

for args in [(1,), (1, 20), (1, 20, 30)]:
    print(f(*args), f(*args))
print(f(1, c=9), f(b=5, a=4))
for bad in [(), (1, 2, 3, 4)]:
    try:
        f(*bad)
    except TypeError as e:
        print("TypeError", e)

def outer(k):
    def inner(x, y=10):
        return x + y + k
    return inner

g = outer(100)
print([g(i) for i in range(3)], [g(i, i) for i in range(3)], g(1, y=5))  # (closures.py: a nonlocal counter)

# a function with a cell variable of its own (its cells are made at each call) and defaults
def maker(v, extra=1):
    def get():
        return v + extra
    v = v * 2
    return get

print([maker(i)() for i in range(4)], maker(5, 100)())

# defaults are the objects evaluated at def time
def acc(x, into=[]):
    into.append(x)
    return len(into)

print([acc(i) for i in range(4)], acc(0, []))

# generators with defaults and free variables
def gen_maker(limit):
    def gen(start=0, step=1):
        i = start
        while i < limit:
            yield i
            i += step
    return gen

gm = gen_maker(10)
print(list(gm()), list(gm(3)), list(gm(1, 4)))

# methods: the bound self comes first, the defaults after
class P:
    def __init__(self, x=1, y=2):
        self.x, self.y = x, y
    def move(self, dx=1, dy=0):
        return P(self.x + dx, self.y + dy)

p = P()
for i in range(3):
    p = p.move()
p = p.move(0, 5)
print(p.x, p.y, P(7).x, P(7).y)

# recursion through a default
def depth(n, acc=0):
    return acc if n == 0 else depth(n - 1, acc + n)

print(depth(50), depth(10, 1000))
print((lambda a, b=3: a * b)(4), (lambda a, b=3: a * b)(4, 5))
