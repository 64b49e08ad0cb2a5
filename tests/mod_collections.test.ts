// collections: MicroPython's forms and errors that CPython does not share (bounded deques, the overflow flag,
// OrderedDict's repr), subclassing, and rooting under GC stress. The CPython-compatible behaviour is compared in
// tests/py/mod_collections.py.
import { describe, it, expect } from "vitest";
import { runPy } from "./helpers/run";

async function out(src: string): Promise<string> {
  const r = await runPy(src);
  expect(r.err).toBe("");
  return r.out;
}

/** The exception type name a snippet raises (printed by a wrapper). */
async function raises(stmt: string, prelude = "from collections import *"): Promise<string> {
  return out(`${prelude}\ntry:\n    ${stmt}\n    print("no error")\nexcept Exception as e:\n    print(type(e).__name__)\n`).then((s) => s.trim());
}

describe("deque", () => {
  it("needs maxlen with an iterable (MicroPython); deque() and maxlen=None are unbounded", async () => {
    expect(await raises("deque(())")).toBe("TypeError");
    expect(await raises("deque([1, 2])")).toBe("TypeError");
    expect(await out("from collections import deque\nd = deque()\nd.extend(range(100))\nprint(len(d), d.maxlen, deque([1], None))\n")).toBe(
      "100 None deque([1])\n",
    );
  });
  it("drops from the other end when full, or raises IndexError('full') with the flags argument", async () => {
    expect(
      await out(`from collections import deque
d = deque((), 2)
for i in range(5):
    d.append(i)
print(list(d))
for i in range(5):
    d.appendleft(i)
print(list(d))
f = deque((), 2, True)
f.append(1)
f.append(2)
for op in (lambda: f.append(3), lambda: f.appendleft(0)):
    try:
        op()
    except IndexError as e:
        print("IndexError", e)
f.pop(); f.pop()
try:
    f.pop()
except IndexError as e:
    print("IndexError", e)
z = deque((), 0)
z.append(1)
print(len(z))
`),
    ).toBe("[3, 4]\n[4, 3]\nIndexError full\nIndexError full\nIndexError empty\n0\n");
  });
  it("rejects bad arguments with MicroPython's exception types", async () => {
    expect(await raises("deque((), -1)")).toBe("ValueError");
    expect(await raises("deque((), 'a')")).toBe("TypeError");
    expect(await raises("deque((), 2).pop()")).toBe("IndexError");
    expect(await raises("deque((), 2).popleft()")).toBe("IndexError");
    expect(await raises("deque((1,), 2)[1]")).toBe("IndexError");
    expect(await raises("deque((1,), 2)[0:1]")).toBe("TypeError");
    expect(await raises("deque((1,), 2)['x']")).toBe("TypeError");
    expect(await raises("del deque((1,), 2)[0]")).toBe("TypeError");
    expect(await raises("~deque((1,), 2)")).toBe("TypeError");
    expect(await raises("deque((1,), 2).extend(5)")).toBe("TypeError");
    expect(await raises("deque.append(5, 1)")).toBe("TypeError");
  });
  it("grows its ring on the heap and keeps order through wrap-around", async () => {
    expect(
      await out(`from collections import deque
d = deque((), 1000)
for i in range(3000):
    d.append(i)
    if i % 7 == 0:
        d.popleft()
print(len(d), d[0], d[-1], sum(d) == sum(list(d)))
d.rotate(10)
print(d[0], d[10])
`),
    ).toBe("1000 2000 2999 True\n2990 2000\n");
  });
  it("a deque inside itself prints as [...]", async () => {
    expect(await out("from collections import deque\nd = deque((), 3)\nd.append(1)\nd.append(d)\nprint(d)\n")).toBe("deque([1, [...]], maxlen=3)\n");
  });
});

describe("OrderedDict", () => {
  it("prints as MicroPython (and CPython 3.12) do, and compares in order", async () => {
    expect(
      await out(`from collections import OrderedDict
x = OrderedDict(); x['a'] = 1; x['b'] = 2
y = OrderedDict(); y['b'] = 2; y['a'] = 1
print(x, y, OrderedDict(), x == y, x == dict(y))
class OD(OrderedDict):
    pass
print(OD(q=1), type(OD(q=1)).__name__)
`),
    ).toBe("OrderedDict({'a': 1, 'b': 2}) OrderedDict({'b': 2, 'a': 1}) OrderedDict({}) False True\nOD({'q': 1}) OD\n");
  });
  it("can be a class namespace and a dict argument", async () => {
    expect(await out("from collections import OrderedDict\nd = dict(OrderedDict([(1, 2)]))\nprint(d, type(d).__name__)\n")).toBe("{1: 2} dict\n");
  });
  it("errors", async () => {
    expect(await raises("OrderedDict().popitem()")).toBe("KeyError");
    expect(await raises("OrderedDict().move_to_end(1)")).toBe("KeyError");
    expect(await raises("OrderedDict(5)")).toBe("TypeError");
    expect(await raises("OrderedDict([1])")).toBe("TypeError");
    expect(await raises("OrderedDict()[[1]]")).toBe("TypeError");
  });
});

describe("defaultdict", () => {
  it("calls the factory for missing keys only through []", async () => {
    expect(
      await out(`from collections import defaultdict
d = defaultdict(list, a=[1])
d['b'].append(2)
print(d, d.get('c'), 'c' in d, d.default_factory)
d.default_factory = None
try:
    d['c']
except KeyError as e:
    print('KeyError', e)
`),
    ).toBe("defaultdict(<class 'list'>, {'a': [1], 'b': [2]}) None False <class 'list'>\nKeyError 'c'\n");
  });
  it("errors", async () => {
    expect(await raises("defaultdict(1)")).toBe("TypeError");
    expect(await raises("defaultdict(int)[[1]]")).toBe("TypeError");
    expect(await raises("defaultdict(lambda: 1 / 0)['x']")).toBe("ZeroDivisionError");
  });
});

describe("namedtuple", () => {
  it("makes a real class whose instances are tuples", async () => {
    expect(
      await out(`from collections import namedtuple
T = namedtuple("Tup", ["foo", "bar"])
t = T(1, 2)
print(T, type(t), isinstance(t, tuple), T.__name__, T._fields, t)
print(T.__mro__[1:] == (T.__mro__[1], tuple, object))
`),
    ).toBe("<class '__main__.Tup'> <class '__main__.Tup'> True Tup ('foo', 'bar') Tup(foo=1, bar=2)\nTrue\n");
  });
  it("argument and field errors", async () => {
    const pre = "from collections import namedtuple\nT = namedtuple('T', 'a b')";
    expect(await raises("T(1)", pre)).toBe("TypeError");
    expect(await raises("T(1, 2, 3)", pre)).toBe("TypeError");
    expect(await raises("T(1, a=1)", pre)).toBe("TypeError");
    expect(await raises("T(1, c=1)", pre)).toBe("TypeError");
    expect(await raises("T._make([1])", pre)).toBe("TypeError");
    expect(await raises("T(1, 2)._replace(c=1)", pre)).toBe("ValueError");
    expect(await raises("T(1, 2).c", pre)).toBe("AttributeError");
    expect(await raises("namedtuple('T', 1)", pre)).toBe("TypeError");
    expect(await raises("namedtuple('T', [1])", pre)).toBe("TypeError");
    expect(await raises("namedtuple('1T', 'a')", pre)).toBe("ValueError");
    expect(await raises("namedtuple('T', 'a a')", pre)).toBe("ValueError");
    expect(await raises("namedtuple('T', 'a', defaults=[1, 2])", pre)).toBe("TypeError");
  });
});

describe("under GC stress", () => {
  it("every type survives a collection at each allocation", async () => {
    const src = `from collections import deque, OrderedDict, defaultdict, namedtuple
P = namedtuple("P", "x y z")
d = deque((), 50)
o = OrderedDict()
dd = defaultdict(list)
for i in range(60):
    d.append(P(i, str(i), [i]))
    o[str(i)] = P(i, i, i)._replace(z=str(i))
    dd[i % 3].append(str(i))
o.move_to_end("5", last=False)
print(len(d), d[0], list(o)[:2], o["7"], sorted(dd)[0], dd[1][:3], P._make(range(3))._asdict())
`;
    const r = await runPy(src, { gcStress: true, heapBytes: 512 * 1024 });
    expect(r.err).toBe("");
    expect(r.out).toBe("50 P(x=10, y='10', z=[10]) ['5', '0'] P(x=7, y=7, z='7') 0 ['1', '4', '7'] {'x': 0, 'y': 1, 'z': 2}\n");
  });
});
