# The program a build runs once through dist/espy.js so that V8's code cache (dist/.cli.js.v8cache) holds the
# runtime most programs use: the compiler, the VM and its compiled tier, the common types, formatting and errors.
# It only has to touch them (each function compiled once), not to be fast; it checks what it computes.
import math


class Shape:
    sides = 0

    def __init__(self, name, size):
        self.name = name
        self.size = size

    def area(self):
        return 0

    def __repr__(self):
        return "%s(%r)" % (type(self).__name__, self.size)

    def __lt__(self, other):
        return self.area() < other.area()


class Square(Shape):
    sides = 4

    def area(self):
        return self.size * self.size

    @property
    def half(self):
        return self.size / 2


class Circle(Shape):
    def area(self):
        return math.pi * self.size ** 2

    def __eq__(self, other):
        return isinstance(other, Circle) and self.size == other.size


def running_max():
    best = None

    def see(v):
        nonlocal best
        if best is None or v > best:
            best = v
        return best

    return see


def evens(limit):
    for i in range(limit):
        if i % 2 == 0:
            yield i


def checked(x):
    try:
        if x % 7 == 0:
            raise ValueError("seven: %d" % x)
        return x
    except ValueError as e:
        return len(str(e))
    finally:
        pass


shapes = [Square("s", i) if i % 2 else Circle("c", i * 0.5) for i in range(40)]
shapes.sort()
areas = sorted((round(s.area(), 2) for s in shapes), reverse=True)
step = running_max()
total = 0
for i in range(200):
    total += step(i % 37) + checked(i) + sum(evens(i % 9))
words = ("alpha beta gamma delta " * 20).split()
freq = {}
for w in words:
    freq[w] = freq.get(w, 0) + 1
text = ", ".join("%s=%d" % kv for kv in sorted(freq.items()))
table = "\n".join("{:>6} {:<8} {:08.3f} {}".format(i, w.upper(), i / 3, f"{i:x}") for i, w in enumerate(words[:30]))
big = 1
for i in range(1, 60):
    big *= i
uniq = {x % 17 for x in range(100)} | set(range(20, 25))
pairs = list(zip(range(5), map(lambda v: v * v, filter(lambda v: v & 1, range(10)))))
parts = text.replace("=", ":").strip().partition(",")
with open(__file__) as f:
    head = f.readline()
try:
    {}["missing"]
except KeyError as e:
    missing = repr(e)
result = (len(areas), total, len(text), len(table.splitlines()), str(big)[:12], len(uniq), pairs[-1], parts[0],
          head.startswith("#"), missing, Square("q", 3).half, Circle("a", 1) == Circle("b", 1), divmod(big, 10 ** 20)[1] % 97)
assert result == (40, 24745, 37, 30, "138683118545", 22, (4, 81), "alpha:20", True, "KeyError('missing')", 1.5, True,
                  78), result
