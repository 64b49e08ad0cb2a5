# Generators: lazy pipelines (map/filter stages written as generators), yield from delegation over a tree,
# generator expressions feeding sum/max/any, send() into a running-average coroutine, and early close.


def numbers(n):
    i = 0
    while i < n:
        yield i
        i += 1


def squares(src):
    for x in src:
        x %= 100  # keep every sum a small int
        yield x * x


def evens(src):
    for x in src:
        if x % 2 == 0:
            yield x


def take(src, n):
    for x in src:
        if n <= 0:
            return
        n -= 1
        yield x


def chunks(src, size):
    buf = []
    for x in src:
        buf.append(x)
        if len(buf) == size:
            yield buf
            buf = []
    if buf:
        yield buf


def tree(depth, label):
    if depth == 0:
        return (label,)
    return (label, tree(depth - 1, label * 2), tree(depth - 1, label * 2 + 1))


def walk(node):
    yield node[0]
    for child in node[1:]:
        yield from walk(child)


def averager():
    total = 0
    count = 0
    avg = None
    while True:
        x = yield avg
        total += x
        count += 1
        avg = total // count


def fib_gen():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, (a + b) % 1000000


def flatten(xs):
    for x in xs:
        if isinstance(x, list):
            yield from flatten(x)
        else:
            yield x


p1 = sum(take(squares(evens(numbers(400000))), 100000))
p2 = sum(1 for c in chunks(numbers(150000), 7) if sum(c) % 3 == 0)
t = tree(14, 1)
w = 0
for label in walk(t):
    w = (w * 3 + label) % 1000003
avg = averager()
next(avg)
last = None
for i in range(80000):
    last = avg.send(i % 1000)
fibs = 0
for k, f in enumerate(fib_gen()):
    if k >= 80000:
        break
    fibs ^= f
nested = [[i, [i + 1, [i + 2, i + 3]]] for i in range(12000)]
flat = sum(flatten(nested))
found = any(x > 99990 for x in numbers(1000000))
gmax = max(x % 9973 for x in range(0, 300000, 7))

result = (p1, p2, w, last, fibs, flat, found, gmax)
assert result == (323400000, 7143, 943405, 499, 28881, 288048000, True, 9972), result
print("generators", result)
