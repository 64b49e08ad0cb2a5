def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b

def take(n, it):
    for i, x in enumerate(it):
        if i >= n:
            return
        yield x

print(list(take(12, fib())))

def echo():
    received = []
    while True:
        x = yield len(received)
        if x is None:
            break
        received.append(x)
    return received

g = echo()
print(next(g), g.send("a"), g.send("b"))
try:
    g.send(None)
except StopIteration as e:
    print("returned", e.value)

def inner():
    r = yield 1
    yield r * 2
    return "inner done"

def outer():
    v = yield from inner()
    yield v

o = outer()
print(next(o), o.send(21), next(o))

def gen_with_finally():
    try:
        yield 1
        yield 2
    finally:
        print("gen cleanup")
gw = gen_with_finally()
print(next(gw))
gw.close()

def thrower():
    try:
        yield 1
    except ValueError as e:
        yield "caught " + str(e)
t = thrower()
next(t)
print(t.throw(ValueError("boom")))

squares = (x * x for x in range(10) if x % 2)
print(sum(squares), list(squares))
print(list(zip(range(3), "abc", fib())))
print(dict(enumerate(take(3, fib()), 1)))
print(sorted({x % 5 for x in range(20)}), {k: v for k, v in zip("ab", [1, 2])})
print(any(x > 10 for x in fib()), all(x < 5 for x in range(4)))
