// Builtin types beyond what the differential programs (tests/py/types_*.py) can compare with CPython: memoryview's
// MicroPython semantics, sizes that must fail as MemoryError instead of exhausting the host, and behaviour under the
// collector running at every allocation.
import { describe, it, expect } from "vitest";
import { runPy } from "./helpers/run";

async function out(src: string, gcStress = false): Promise<string> {
  const r = await runPy(src, { gcStress, heapBytes: gcStress ? 1024 * 1024 : undefined });
  expect(r.err).toBe("");
  return r.out;
}

describe("memoryview", () => {
  it("views share the buffer and slices are views", async () => {
    expect(await out(`
b = bytearray(b"abcdef")
m = memoryview(b)
s = m[2:5]
s[0] = 90
print(b, bytes(s), len(s), s.nbytes, s.readonly, s.format, s.itemsize, s.obj is b, type(s).__name__)
m[0:2] = b"XY"
print(b, s.tobytes(), s.tolist(), s.hex(":"), bytes(m[::1]))
r = memoryview(b"xyz")
print(r.readonly, r[1], list(r), r == b"xyz", bytes(r[1:]))
try:
    r[0] = 1
except TypeError as e:
    print("TypeError", e)
try:
    m[::2]
except NotImplementedError:
    print("NotImplementedError")
try:
    del m[0]
except TypeError as e:
    print("TypeError", e)
`)).toBe(
      "bytearray(b'abZdef') b'Zde' 3 3 False B 1 True memoryview\n" +
        "bytearray(b'XYZdef') b'Zde' [90, 100, 101] 5a:64:65 b'XYZdef'\n" +
        "True 121 [120, 121, 122] True b'yz'\n" +
        "TypeError cannot modify read-only memory\nNotImplementedError\nTypeError cannot delete memory\n",
    );
  });
  it("views of arrays index, assign and cast by item format", async () => {
    expect(await out(`
from array import array
a = array("h", [1, -2, 3])
m = memoryview(a)
print(len(m), m[1], m.itemsize, m.format, m.tolist(), m.nbytes)
m[2] = -7
print(a, list(m[1:]))
c = m.cast("B")
print(len(c), c.format, c.tolist())
try:
    m[0:1] = b"ab"
except ValueError:
    print("ValueError")
`)).toBe("3 -2 2 h [1, -2, 3] 6\narray('h', [1, -2, -7]) [-2, -7]\n6 B [1, 0, 254, 255, 249, 255]\nValueError\n");
  });
  it("a view keeps its buffer alive when the collector runs at every allocation", async () => {
    expect(await out(`
b = bytearray(range(20))
m = memoryview(b)[5:15]
b = None
junk = [[i] * 3 for i in range(200)]
print(list(m), sum(memoryview(memoryview(bytes(range(10)))[2:])))
`, true)).toBe("[5, 6, 7, 8, 9, 10, 11, 12, 13, 14] 44\n");
  });
});

describe("sizes that cannot fit", () => {
  it("huge widths and counts raise MemoryError", async () => {
    expect(await out(`
for f in (lambda: format(1, "2000000000"), lambda: "%2000000000d" % 1, lambda: "x".center(2000000000),
          lambda: "x".ljust(2000000000), lambda: bytes(2000000000), lambda: (1).to_bytes(2000000000, "big"),
          lambda: "{:>2000000000}".format("a"), lambda: "a\\tb".expandtabs(2000000000)):
    try:
        f()
        print("no error")
    except MemoryError:
        print("MemoryError")
`)).toBe("MemoryError\n".repeat(8));
  });
});

describe("under GC stress", () => {
  it("formatting, splitting and encoding keep their intermediate objects rooted", async () => {
    const src = `
print("{0[a]:>5}|{1.real:+.2f}|{2!r:^9}".format({"a": "x"}, 2.5, "q"), "%(k)s-%(n)05d" % {"k": "v", "n": 7})
print("a b  c".split(), "a,b".rsplit(",", 1), "x\\ny".splitlines(True), "-".join(str(i) for i in range(5)))
print("héllo".encode("latin-1"), b"h\\xe9llo".decode("latin-1"), bytes.fromhex("00ff").hex(":"), (2**80).to_bytes(11, "little"))
print(int.from_bytes(bytes(range(1, 12)), "big"), (10**40) / 7, float.fromhex("0x1.8p1").hex(), (0.1).as_integer_ratio())
print(sorted({1, 2} | {3}.union([4])), {"a": 1}.keys() & {"a"}, slice(1, 9, 2).indices(5), pow(3, -1, 7))
`;
    expect(await out(src, true)).toBe(await out(src));
  });
});
