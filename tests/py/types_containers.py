# list, tuple, dict, set, frozenset, range and slice: methods, operators, views and error messages against CPython
def t(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)

l = [3, 1, 2, 1]
print(l.index(1), l.index(1, 2), l.index(2, -2), l.count(1), l.count(9), l[::-1], l[1:3], l[-1:0:-1], l * 2, 2 * l, l + [0])
t(lambda: l.index(9)); t(lambda: l.index(1, 3, 2)); t(lambda: [].pop()); t(lambda: [1].pop(5)); t(lambda: l.remove(9)); t(lambda: l + (1,)); t(lambda: l * 1.5)
t(lambda: [1, 2].index(2, "a")); t(lambda: l[1.0]); t(lambda: l[9]); t(lambda: l.sort(1)); t(lambda: l.sort(key=1)); t(lambda: [1, "a"].sort()); t(lambda: l.insert("a", 1))
m = [5, 3, 8]
m.insert(-10, 0); m.insert(100, 9); m.insert(-1, 7); m.extend(range(2)); m.extend("ab"); m += (1,); print(m)
m.reverse(); print(m, m.pop(), m.pop(0), m.pop(-2), m)
m.clear(); print(m, m.copy() is m, len(m))
s = [("b", 2), ("a", 2), ("c", 1), ("a", 1)]
print(sorted(s), sorted(s, key=lambda x: x[1]), sorted(s, key=lambda x: x[1], reverse=True), sorted(s, reverse=True))
a = [1, 2, 3, 4, 5, 6]
a[1:3] = "xyz"; print(a); a[::2] = [0, 0, 0, 0][:len(a[::2])]; print(a); del a[::3]; print(a); del a[-1:]; print(a); a[:0] = [9]; print(a); a[5:] = [7, 7]; print(a)
t(lambda: a.__setitem__(slice(None, None, 2), [1])); t(lambda: [1, 2] < [1, 3]); t(lambda: [1, 2] < [1]); t(lambda: [1] < ["a"]); t(lambda: [] < ()); t(lambda: [[1]] == [[1]])
print(list(), list("ab"), list({"k": 1}), list(range(3)), list((1, 2)), [1, [2]] == [1, [2]], [1, 2] != [1, 2], [0] * -1, max([3, 1]), min([3, 1]))

tp = (1, 2, 3, 2)
print(tp.count(2), tp.index(2), tp.index(2, 2), tp[1:], tp[::-2], tp + (4,), tp * 2, (1,) * 0, tuple("ab"), tuple([1]), tuple(), (1, 2) < (1, 2, 3), hash((1, 2)) == hash((1, 2)))
t(lambda: tp.index(9)); t(lambda: tp + [1]); t(lambda: tp[5]); t(lambda: hash((1, [2]))); t(lambda: (1, 2) < (1, "a"))

d = {"a": 1, "b": 2, "c": 3}
print(d.get("a"), d.get("z"), d.get("z", 0), d.setdefault("a", 9), d.setdefault("d", 4), d.pop("d"), d.pop("z", None), list(d), list(d.keys()), list(d.values()), list(d.items()))
print(d.popitem(), d, d.copy(), dict.fromkeys("ab"), dict.fromkeys([1, 2], 0), dict(a=1), dict([(1, 2)], b=3), dict({1: 2}), dict(zip("ab", [1, 2])))
t(lambda: d.pop("z")); t(lambda: {}.popitem()); t(lambda: d["zz"]); t(lambda: dict([1])); t(lambda: dict([(1, 2, 3)])); t(lambda: dict(1)); t(lambda: dict({}, {})); t(lambda: {[1]: 2})
e = {"x": 1}; e.update({"y": 2}, z=3); e.update([("w", 4)]); e.update(v=5); print(e)
t(lambda: e.update(1)); t(lambda: e.update([(1,)]))
print({1: 2} | {3: 4}, {1: 2} | {1: 5}); f = {1: 2}; f |= {3: 4}; f |= [(5, 6)]; print(f)
t(lambda: {1: 2} | [(3, 4)]); t(lambda: {1: 2} < {1: 2}); t(lambda: {1: 2} == {1: 2}); t(lambda: {1: 2} != {1: 3})
print(list(reversed({1: 2, 3: 4})), list(reversed({1: 2, 3: 4}.keys())), list(reversed({1: 2, 3: 4}.values())), list(reversed({1: 2, 3: 4}.items())))
k = {"a": 1, "b": 2, "c": 3}.keys()
print(k & {"a", "z"}, sorted(k | {"z"}), sorted(k - {"a"}), sorted(k ^ {"a", "z"}), {"a", "q"} & k, sorted(k & ["b", "c"]), {"a": 1}.items() & {("a", 1), ("b", 2)}, sorted({"a": 1}.items() | {("c", 3)}))
print(k == {"a", "b", "c"}, k != {"a"}, k < {"a", "b", "c", "d"}, k <= {"a", "b", "c"}, k > {"a"}, k >= {"a", "b", "c", "d"}, k.isdisjoint({"z"}), k.isdisjoint(["a"]), "a" in k, ("a", 1) in {"a": 1}.items())
print(len(k), bool({}.keys()), bool(k), bool({}.values()), bool({}.items()), {1: 2}.keys() == {1: 2}.keys(), {1: 2}.items() == {(1, 2)}, {1: 2}.values() == {1: 2}.values())
t(lambda: hash({}.keys())); t(lambda: hash({}.items())); t(lambda: type(hash({}.values())).__name__); t(lambda: {1: 1}.values() + 1); t(lambda: k + 1); t(lambda: k & 1)
dd = {1: 1}
t(lambda: [dd.__setitem__(i, i) for i in dd])

st = {3, 1, 2}
fs = frozenset([1, 2, 5])
print(sorted(st | fs), sorted(st & fs), sorted(st - fs), sorted(st ^ fs), type(fs | st).__name__, type(st | fs).__name__, sorted(fs.union([7], (8,))), sorted(st.intersection(range(3), [1, 2])))
print(sorted(st.difference([1], [2])), sorted(st.symmetric_difference([1, 9])), st.issubset(range(5)), st.issuperset([1]), st.isdisjoint("ab"), st < {1, 2, 3, 4}, st <= st, st > {1}, st == frozenset(st), fs != st)
u = set("abc"); u.update("d", ["e"]); u.intersection_update("abcdx"); u.difference_update("a"); u.symmetric_difference_update("bz"); u.add("q"); u.discard("nope"); u.discard("q"); print(sorted(u))
u2 = {1, 2}; u2 |= {3}; u2 &= {1, 3, 4}; u2 -= {4}; u2 ^= {5}; print(sorted(u2), u2.pop() in (1, 3, 5), len(u2))
t(lambda: set().pop()); t(lambda: {1}.remove(2)); t(lambda: {1} | [2]); t(lambda: {1} < [1]); t(lambda: {[1]}); t(lambda: frozenset([1]).add(2)); t(lambda: {1}.union(1))
print(hash(frozenset([1, 2])) == hash(frozenset([2, 1])), {frozenset([1]): "x"}[frozenset([1])], set(), frozenset(), frozenset({1}) == {1}, repr(frozenset([1])), {1, 2} == {2, 1})
print(sorted({1, 2}.union()), {1}.copy(), fs.copy() is fs, frozenset(fs) is fs, set(fs) == fs, {x % 3 for x in range(10)})

r = range(1, 10, 2)
print(r, r.start, r.stop, r.step, len(r), r[1], r[-1], r[1:3], r[::-1], r[::2], list(r[1:-1]), 5 in r, 4 in r, 5.0 in r, r.index(5), r.count(5), r.count(4), list(reversed(r)))
print(range(3) == range(0, 3), range(0) == range(5, 2), range(1, 2, 5) == range(1, 3, 7), range(3) != range(4), hash(range(3)) == hash(range(0, 3, 1)), bool(range(0)), bool(range(1)), range(-3, 3), range(0, 10, -1))
print(list(range(10, 0, -3)), len(range(10, 0, -3)), range(10, 0, -3)[-1], list(range(5)[::-2]))
t(lambda: range(1, 2, 0)); t(lambda: range(1.5)); t(lambda: r[10]); t(lambda: r.index(4)); t(lambda: range("a")); t(lambda: r < r); t(lambda: r + r); t(lambda: range())

sl = slice(1, 10, 2)
print(sl, sl.start, sl.stop, sl.step, slice(5), slice(1, 2), sl.indices(5), slice(None, None, -1).indices(10), slice(-3, None).indices(10), slice(-100, 100, 3).indices(10), slice(None).indices(0))
print(slice(1, 2) == slice(1, 2), slice(1, 2) != slice(1, 3), slice(1, 2) < slice(1, 3), "abcdef"[slice(1, None, 2)], [1, 2, 3][slice(-2, None)])
t(lambda: slice(1, 2, 0).indices(5)); t(lambda: sl.indices(-1)); t(lambda: sl.indices("a")); t(lambda: slice()); t(lambda: slice(1, 2, 3, 4))
print(list(enumerate("ab", 5)), list(zip("ab", [1, 2, 3])), list(map(lambda x, y: x + y, [1, 2], [3, 4])), list(filter(None, [0, 1, "", "a"])), list(reversed([1, 2])), list(reversed("ab")), list(reversed((1, 2))))
t(lambda: list(zip("ab", "c", strict=True))); t(lambda: reversed({1})); t(lambda: reversed(1)); t(lambda: enumerate(1)); t(lambda: next(iter([])))
print(list(enumerate("ab", start=5)), list(enumerate("xy", -1)))
