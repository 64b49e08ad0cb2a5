l = [5, 3, 8, 1]
l.append(9); l.insert(0, 7); l.extend([2, 2]); l.remove(8)
print(l, l.pop(), l.pop(0), l.index(3), l.count(2), sorted(l), sorted(l, reverse=True), l[1:-1])
l.sort(key=lambda v: -v); print(l); l.reverse(); print(l)
l[1:3] = ["a", "b", "c"]; print(l); del l[::2]; print(l); l[::2] = [0] * len(l[::2]); print(l)
m = [[0] * 3 for _ in range(3)]
m[1][1] = 5
print(m, [row[1] for row in m], list(zip(*m)))
d = {"one": 1, "two": 2}
d["three"] = 3
d.update(four=4)
print(d, list(d), list(d.values()), list(d.items()), d.get("five", 5), d.pop("one"), "two" in d, len(d))
print(d.setdefault("x", []), d, {**d, "y": 0}, dict(zip("ab", [1, 2])), dict.fromkeys("ab", 0))
del d["two"]
print(sorted(d.items()), {k: v for k, v in sorted(d.items()) if k != "x"})
s = {1, 2, 3}
s.add(4); s.discard(1)
print(sorted(s), sorted(s | {9}), s & {2, 9}, sorted(s - {2}), sorted(s ^ {2, 10}), {2, 3} <= s, frozenset([1, 2]) == frozenset([2, 1]))
t = (1, 2, 3)
a, *rest = t
*init, z = t
print(a, rest, init, z, t + (4,), t * 2, t[::-1], t.index(2), (1, 2) < (1, 3), (1,) + (2,))
x, (y, w) = 1, (2, 3)
print(x, y, w, list(range(10, 0, -3)), range(5)[1:3], 3 in range(5), list(reversed(range(3))))
print(list(map(str, [1, 2])), list(filter(None, [0, 1, "", "a"])), min("bca"), max([], default="empty"))
nested = {"k": [1, {"deep": (2, 3)}]}
print(nested, nested["k"][1]["deep"][1])
counts = {}
for ch in "mississippi":
    counts[ch] = counts.get(ch, 0) + 1
print(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
