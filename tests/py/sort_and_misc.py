words = "the quick brown fox jumps over the lazy dog".split()
print(sorted(words), sorted(words, key=len), sorted(words, key=lambda w: (len(w), w), reverse=True))
people = [("alice", 30), ("bob", 25), ("carol", 30), ("dave", 25)]
print(sorted(people, key=lambda p: p[1]))
print(sorted(people, key=lambda p: p[1], reverse=True))
data = list(range(100))
data = data[50:] + data[:50]
data.sort()
print(data[:5], data[-5:])
print(list(enumerate("ab", start=5)), isinstance(3, (str, int)), type(3) is int, type("") == str)
print(getattr(1, "real"), hasattr([], "append"), hasattr(3, "nope"), getattr(3, "nope", "dflt"))
class O: pass
o = O()
setattr(o, "v", 9)
print(o.v, vars(o), "v" in dir(o))
delattr(o, "v")
print(hasattr(o, "v"))
print(id(o) == id(o), hash("a") == hash("a"), len({1: 2}), bool([]), bool([0]), None is None)
import sys
print(type(sys.argv), sys.maxsize >= 2 ** 30 - 1)
print(chr(65), ord("A"), chr(0x263A), ord("é"), repr(chr(7)))
print(eval("1 + 2 * 3"), eval("x * 2", {"x": 21}))
g = {}
exec("def sq(v):\n    return v * v\nr = sq(7)", g)
print(g["r"])
print(round(7 / 3, 4), divmod(7.5, 2), pow(2, 10), pow(2.0, -1))
# eval and exec take any buffer: bytes, bytearray, memoryview (a slice of one too), UTF-8 inside
print(eval(b"1 + 1"), eval(bytearray(b"2 * 3")), eval(memoryview(b"xx3 * 4")[2:]), eval(bytearray("'\u00e9' * 2", "utf8")))
exec(memoryview(b"print('from a memoryview')"))
