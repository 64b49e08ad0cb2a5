def f(a, b=2, *args, c, d=4, **kw):
    return (a, b, args, c, d, sorted(kw.items()))

print(f(1, c=3))
print(f(1, 2, 3, 4, c=5, e=6))
print(f(*[1, 2, 3], **{"c": 7, "z": 8}))

def pos_only(a, b, /, c):
    return a + b + c
print(pos_only(1, 2, c=3))
try:
    pos_only(1, b=2, c=3)
except TypeError as e:
    print("TypeError")

def deco(tag):
    def wrap(fn):
        def inner(*a, **k):
            return f"<{tag}>{fn(*a, **k)}</{tag}>"
        return inner
    return wrap

@deco("b")
@deco("i")
def greet(name):
    return "hi " + name
print(greet("bob"))

def recur(n):
    return 1 if n <= 1 else n * recur(n - 1)
print(recur(20))

compose = lambda *fs: (lambda x: [x := g(x) for g in fs][-1])
print(compose(lambda v: v + 1, lambda v: v * 10)(4))

def kwonly(*, x, y=0):
    return x - y
print(kwonly(x=5), kwonly(y=1, x=5))
try:
    kwonly(1)
except TypeError:
    print("TypeError kwonly")
print((lambda: 42)(), (lambda *a: a)(1, 2), (lambda **k: k)(a=1))

def gen_default(x, acc=[]):
    acc.append(x)
    return len(acc)
print(gen_default(1), gen_default(2))
print(f.__name__, greet.__name__, callable(f), callable(1))
