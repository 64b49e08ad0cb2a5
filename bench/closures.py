# Closures and comprehensions: counters and accumulators over nonlocal cells, function factories, composition,
# lambdas passed around, list/dict/set comprehensions (nested, filtered) and a decorator that memoises.


def make_counter(start):
    n = start

    def inc(step=1):
        nonlocal n
        n += step
        return n

    return inc


def make_adder(k):
    return lambda x: x + k


def compose(f, g):
    def h(x):
        return f(g(x))

    return h


def memoize(fn):
    cache = {}

    def wrapper(*args):
        # an int key: MicroPython hashes a tuple as the sum of its items' hashes, so tuple keys collide
        key = args[0] * 4096 + args[1]
        if key in cache:
            return cache[key]
        r = fn(*args)
        cache[key] = r
        return r

    return wrapper


@memoize
def partitions(n, k):
    if n == 0:
        return 1
    if n < 0 or k == 0:
        return 0
    return (partitions(n - k, k) + partitions(n, k - 1)) % 1000000007


def apply_all(fns, x):
    for f in fns:
        x = f(x)
    return x


counter = make_counter(10)
for i in range(100000):
    counter()
c = counter(0)
adders = [make_adder(k) for k in range(50)]
pipeline = compose(make_adder(3), compose(lambda x: x * 2 % 10007, make_adder(-1)))
acc = 0
for i in range(20000):
    acc = (acc + apply_all(adders[i % 50: i % 50 + 5], i) + pipeline(i)) % 1000003

squares = [x * x for x in range(2000) if x % 3]
table = {x: [y for y in range(x % 17) if y % 2] for x in range(3000)}
pairs = sorted({(x % 23, y % 19) for x in range(300) for y in range(0, 300, 7) if (x ^ y) & 1})
tsum = sum(len(v) for v in table.values())
grid = [[(r + c) % 5 for c in range(120)] for r in range(120)]
ones = sum(row.count(1) for row in grid)
nested = sum(sum(x for x in row if x > 2) for row in grid)
keys = sorted(k for k, v in {w: len(w) for w in ("a" * i + "b" * (i % 4) for i in range(1, 400))}.items() if v % 5 == 0)
for n in range(151):
    for k in range(n + 1):
        part = partitions(n, k)  # in this order the recursion stays shallow
closures = [(lambda j: (lambda: j * j))(j) for j in range(30000)]
csum = sum(f() for f in closures) % 1000003

result = (c, acc, len(squares), squares[-1], tsum, len(pairs), pairs[:3], ones, nested, len(keys), part, csum)
assert result == (100010, 485276, 1333, 3996001, 11276, 437, [(0, 0), (0, 1), (0, 2)], 2880, 20160, 79, 853235033,
                  6431), result
print("closures", result)
