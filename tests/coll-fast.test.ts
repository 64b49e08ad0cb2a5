// The fast paths for collections (list/tuple/dict/set iteration, list growth and moves, sum/min/max/len, dict
// lookups, sorting) against CPython: each program runs under python3 and under espy, plainly and with the collector
// at every allocation on a small heap, and the outputs must match.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { runPy } from "./helpers/run";

const python = spawnSync("python3", ["--version"]).status === 0;

function cpython(src: string): string {
  const r = spawnSync("python3", ["-c", src], { encoding: "utf8" });
  return r.stdout + r.stderr;
}

const programs: Record<string, string> = {
  iteration: `
d = {k: k * 2 for k in range(20)}
print([k for k in d], sum(d), len(d))
for k in range(0, 20, 3):
    del d[k]
print([k for k in d], [v for v in d.values()], [kv for kv in d.items()][:3])
print(list({}), list(set()), sorted({3, 1, 2}), [x for x in {1: 2}])
for mut in ("add", "del", "clear"):
    d = {1: 1, 2: 2, 3: 3}
    it = iter(d)
    print(next(it))
    if mut == "add":
        d[4] = 4
    elif mut == "del":
        del d[1]
    else:
        d.clear()
    for j in range(2):
        try:
            print(next(it))
        except RuntimeError as e:
            print("RuntimeError", e)
s = {1, 2, 3}
try:
    for x in s:
        s.add(x + 10)
except RuntimeError as e:
    print("RuntimeError", e)
d = {1: 1, 2: 2}
it = iter(d)
print(list(it), list(it), next(it, "done"))
class L(list):
    def __iter__(self):
        return iter([9, 9])
print(sum(L([1, 2, 3])), list(L([1])), min(L([5, 6])), [x for x in L([1])])
t = (1, 2, 3)
it = iter(t)
print(next(it), list(it), list(it))
l = [1, 2, 3]
out = []
for x in l:
    out.append(x)
    if len(l) < 6:
        l.append(x * 10)
print(out)
`,
  ranges: `
for r in (range(10), range(0), range(5, 0), range(10, 0, -3), range(-5, 5, 2), range(3, -10, -4), range(0, 1, 100),
          range(-1073741824, -1073741820), range(1073741820, 1073741823), range(1073741823, -1073741824, -715827882)):
    l = [7]
    l.extend(r)
    print(list(r), l, sum(r), len(r), list(iter(r)), [x for x in r][-1:], min(r, default=None), max(r, default=None))
l = list(range(3))
l.extend(range(2))
l.extend(range(4, 1, -1))
print(l, l.count(2))
`,
  moves: `
w = list(range(300))
for k in range(600):
    v = w.pop(k % len(w))
    w.insert((k * 7) % (len(w) + 1), v)
print(w[:10], w[-10:], sum(w), len(w))
w = list(range(100))
w.insert(0, -1)
w.insert(-1, -2)
w.insert(1000, -3)
w.insert(-1000, -4)
print(w[:4], w[-4:], w.pop(0), w.pop(), w.pop(-50), w.pop(50), len(w))
del w[10:60]
w[5:5] = range(40)
w[0:30] = [1]
print(w, len(w))
try:
    [].pop()
except IndexError as e:
    print(e)
try:
    [1].pop(5)
except IndexError as e:
    print(e)
`,
  builtins: `
l = [3, -1, 7, 2]
t = (5, 1, 9)
print(sum(l), sum(t), sum(l, 10), sum([]), sum([1.5, 2, 3]), sum([2**40, 2**40]), sum([1073741823, 1]), sum(l, start=-5))
print(min(l), max(l), min(t), max(t), min(4, 2, 8), max(4, 2, 8), min([1, 1.0]), max([1, 1.0]), max([2, 1.5, 2.0]))
print(min(l, key=lambda x: -x), max([], default="none"), min(["b", "a", "c"]), max([(1, 2), (1, 3)]))
print(l[0], l[3], l[-1], l[-4], t[0], t[2], t[-3], (1,)[0], [[1]][0][0])
for bad in (lambda: l[4], lambda: l[-5], lambda: t[3], lambda: t[-4], lambda: [][0], lambda: ()[0]):
    try:
        bad()
    except IndexError as e:
        print("IndexError", e)
class S(list):
    def __getitem__(self, i):
        return ("S", i)
print(S([1, 2])[0], S([1])[5], sum(S([4, 5])))
class A:
    def __init__(self, v):
        self.v = v
    def __radd__(self, o):
        g.append(99)
        return o + self.v
g = [1, A(2), 3]
print(sum(g), len(g), g[-1])
try:
    sum([1, "a"])
except TypeError as e:
    print("TypeError", e)
try:
    sum(["a", "b"], "")
except TypeError as e:
    print("TypeError", e)
`,
  lookups: `
g = {}
for i in range(40):
    globals()["v" + str(i)] = i
print(v0, v17, v39, "v" + "39" in globals(), globals()["v" + str(20)], len)
d = {"k" + str(i): i for i in range(30)}
small = {"a" + str(i): i for i in range(5)}
print(d.get("k" + "7"), d.get("k7"), d["k29"], "k30" in d, small.get("a" + "3"), small.get("a9", -1), "a4" in small)
class K:
    def __init__(self, v, h):
        self.v = v
        self.h = h
    def __hash__(self):
        return self.h
    def __eq__(self, o):
        return isinstance(o, K) and self.v == o.v
for n in (3, 20):
    t = {K(i, i % 2): i for i in range(n)}
    k = K(1, 1)
    print(n, t.get(k), K(n + 5, 0) in t, t.get(K(2, 0)))
t = {K(1, 7): "a"}
k = list(t)[0]
print(t[k], t.get(K(1, 7)))
t = {1: "int", 1.0: "float", True: "bool"}
print(t, t[1.0], {(1, 2): 3}[(1, 2)], {"x": 1}.get("x"), {None: 0}[None])
`,
};

describe.skipIf(!python)("collection fast paths against CPython", () => {
  for (const name of Object.keys(programs)) {
    const src = programs[name];
    it(name, async () => {
      const got = await runPy(src);
      expect(got.err).toBe("");
      expect(got.out).toBe(cpython(src));
    });
    it(name + " under GC stress", async () => {
      const got = await runPy(src, { gcStress: true, heapBytes: 2 * 1024 * 1024 });
      expect(got.err).toBe("");
      expect(got.out).toBe(cpython(src));
    });
  }
});
