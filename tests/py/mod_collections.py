# collections: deque (with maxlen, as MicroPython requires), OrderedDict, defaultdict, namedtuple, and subclasses
from collections import deque, OrderedDict, defaultdict, namedtuple

d = deque((1, 2, 3), 5)
d.append(4)
d.appendleft(0)
print(len(d), list(d), d[0], d[-1], d.maxlen, bool(d), 3 in d, d)
d.append(5)
print(d, d.pop(), d.popleft(), list(d))
d.rotate(1)
print(list(d))
d.rotate(-2)
print(list(d))
d[1] = "x"
print(d[1], list(reversed(list(d))))
e = deque((), 3)
e.extend(range(10))
print(e, len(e))
e.extendleft([1, 2])
print(e)
e.clear()
print(e, len(e), bool(e))
u = deque()
for i in range(50):
    u.append(i)
    if i % 3 == 0:
        u.appendleft(-i)
print(len(u), sum(u), u[0], u[-1], u.popleft(), u.pop())
for bad in (lambda: deque((), 2).pop(), lambda: deque((), 2).popleft(), lambda: deque((1,), 2)[5]):
    try:
        bad()
    except IndexError:
        print("IndexError")
for bad in (lambda: deque((), -1), ):
    try:
        bad()
    except ValueError as ex:
        print("ValueError", ex)
try:
    deque((1,), 2)["a"]
except TypeError:
    print("TypeError")

o = OrderedDict([("b", 1), ("a", 2)])
o["c"] = 3
o.move_to_end("b")
print(list(o), list(o.values()), o["a"], len(o), isinstance(o, dict))
o.move_to_end("b", last=False)
print(list(o.items()))
print(o.popitem(), o.popitem(last=False), list(o))
x = OrderedDict(a=1, b=2)
y = OrderedDict(b=2, a=1)
print(x == y, x != y, x == dict(y), dict(y) == x, x == OrderedDict(a=1, b=2))
try:
    OrderedDict().popitem()
except KeyError:
    print("KeyError")
try:
    x.move_to_end("zz")
except KeyError as ex:
    print("KeyError", ex)
print(dict(x.copy()), type(x.copy()).__name__, sorted(OrderedDict.fromkeys("cab", 0).items()))

dd = defaultdict(list)
for k, v in [("a", 1), ("b", 2), ("a", 3)]:
    dd[k].append(v)
print(dd, dd.default_factory, sorted(dd.items()), "z" in dd, len(dd))
cnt = defaultdict(int)
for ch in "hello world":
    cnt[ch] += 1
print(sorted(cnt.items()), cnt.get("q"), len(cnt))
nofac = defaultdict(None, {1: 2})
try:
    nofac[3]
except KeyError as ex:
    print("KeyError", ex)
try:
    defaultdict(5)
except TypeError as ex:
    print("TypeError", ex)
c2 = cnt.copy()
print(type(c2).__name__, c2["h"], c2["new"], len(cnt), len(c2))

Point = namedtuple("Point", "x y")
p = Point(1, y=2)
print(p, p.x, p.y, p[0], p[-1], len(p), list(p), p == (1, 2), (1, 2) == p, hash(p) == hash((1, 2)))
print(p._asdict(), p._replace(x=9), Point._make([3, 4]), Point._fields, p + (3,), p * 2, "%d,%d" % p)
a, b = p
print(a, b, p.index(2), p.count(1), p[:1], max(p), sorted(Point(3, 1)), Point(1, 2) < Point(1, 3))
P3 = namedtuple("P3", ["a", "b", "c"], defaults=[0, 9])
print(P3(1), P3(1, 2), P3(1, 2, 3), P3._field_defaults)
R = namedtuple("R", "ok, def, ok, _x", rename=True)
print(R._fields, R(1, 2, 3, 4))
for args, kw in [((1,), {}), ((1, 2, 3), {}), ((1,), {"x": 2}), ((1,), {"z": 2})]:
    try:
        Point(*args, **kw)
    except TypeError as ex:
        print("TypeError", ex)
for spec in ["1x y", "x _y", "x x", "x class"]:
    try:
        namedtuple("T", spec)
    except ValueError as ex:
        print("ValueError", ex)
try:
    p.x = 5
except AttributeError:
    print("AttributeError")
try:
    p[0] = 5
except TypeError:
    print("TypeError")
try:
    p._replace(z=1)
except ValueError as ex:
    print("ValueError", ex)


class Vec(Point):
    def norm1(self):
        return abs(self.x) + abs(self.y)


v = Vec(-3, 4)
print(v, v.norm1(), isinstance(v, Point), isinstance(v, tuple), v._replace(y=0), type(v._replace(y=0)).__name__)


class Stack(deque):
    def peek(self):
        return self[-1]


st = Stack([1, 2], 10)
st.append(3)
print(st.peek(), len(st), list(st), st)


class LastUpdated(OrderedDict):
    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self.move_to_end(key)


lu = LastUpdated()
lu["a"] = 1
lu["b"] = 2
lu["a"] = 3
print(list(lu.items()), isinstance(lu, OrderedDict))


class Tally(defaultdict):
    def __init__(self):
        super().__init__(int)
        self.total = 0

    def add(self, k):
        self[k] += 1
        self.total += 1


t = Tally()
for w in "a b a c a".split():
    t.add(w)
print(sorted(t.items()), t.total, t["zz"], t.default_factory)
