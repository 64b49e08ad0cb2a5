// The builtin modules math, random, struct, binascii, errno, micropython, array and json: behaviour that is
// MicroPython's rather than CPython's (so tests/py/mod_*.py can't check it against python3), the exception types of
// wrong arguments, and object references that must survive the collector.
import { describe, it, expect } from "vitest";
import { runPy } from "./helpers/run";

/** Run src and return its stdout, failing on anything written to stderr. */
async function out(src: string, opts: { gcStress?: boolean; heapBytes?: number } = {}): Promise<string> {
  const r = await runPy(src, opts);
  expect(r.err).toBe("");
  return r.out;
}

/** The exception type names the calls (Python expressions, one per line) raise, or "ok". */
async function raises(setup: string, exprs: string[]): Promise<string[]> {
  const lines = [setup];
  for (const e of exprs) lines.push(`try:\n    ${e}\n    print("ok")\nexcept Exception as e:\n    print(type(e).__name__)`);
  return (await out(lines.join("\n"))).trim().split("\n");
}

describe("struct", () => {
  it("packs fewer arguments than the format has as zeros, and ignores extra ones (MicroPython)", async () => {
    expect(await out("import struct\nprint(struct.pack('<2I', 1), struct.pack('<h', 1, 2), struct.pack('<3sb'))")).toBe(
      "b'\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00' b'\\x01\\x00' b'\\x00\\x00\\x00\\x00'\n",
    );
  });
  it("truncates integers to the field width (MicroPython)", async () => {
    expect(await out("import struct\nprint(struct.pack('<bBhQ', 300, -1, 2**70 + 5, -1))")).toBe(
      "b',\\xff\\x05\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff'\n",
    );
  });
  it("uses 32-bit native sizes and aligns native items", async () => {
    expect(await out("import struct\nprint(struct.calcsize('l'), struct.calcsize('P'), struct.calcsize('bq'), struct.calcsize('bi'), struct.calcsize('<bq'), struct.calcsize('O'))")).toBe(
      "4 4 16 8 9 4\n",
    );
  });
  it("packs and unpacks object references ('O')", async () => {
    expect(await out("import struct\nclass A: pass\no = A()\ns = struct.pack('<O', o)\nprint(struct.unpack('<O', s)[0] is o, struct.unpack('<2O', struct.pack('<2O', 5, None)))")).toBe(
      "True (5, None)\n",
    );
  });
  it("raises MicroPython's exception types", async () => {
    expect(
      await raises("import struct", [
        "struct.pack('<i', 1.5)", "struct.pack('<f', 'x')", "struct.pack('<s', 5)", "struct.pack('<c', b'ab')",
        "struct.pack(1)", "struct.calcsize(None)", "struct.pack_into('<i', b'xxxx', 0, 1)", "struct.unpack('<i', 'abcd')",
        "struct.unpack('<i', 5)", "struct.pack('<z')", "struct.calcsize('3')", "struct.unpack('<i', b'ab')",
        "struct.pack_into('<i', bytearray(3), 0, 1)", "struct.unpack_from('<b', b'ab', 3)", "struct.unpack('<O', b'\\x04\\x00\\x00\\x00')",
        "struct.iter_unpack('<h', b'abc')", "struct.error is ValueError",
      ]),
    ).toEqual(["TypeError", "TypeError", "TypeError", "TypeError", "TypeError", "TypeError", "TypeError", "TypeError",
      "TypeError", "ValueError", "ValueError", "ValueError", "ValueError", "ValueError", "ValueError", "ValueError", "ok"]);
  });
  it("packs into arrays and unpacks from them", async () => {
    expect(await out("import struct, array\na = array.array('h', [0, 0, 0])\nstruct.pack_into('<hh', a, 2, 7, -8)\nprint(a, struct.unpack('<3h', a))")).toBe(
      "array('h', [0, 7, -8]) (0, 7, -8)\n",
    );
  });
});

describe("array", () => {
  it("has MicroPython's 32-bit 'l' and 'L', and truncates out-of-range items", async () => {
    expect(await out("from array import array\nprint(array('l').itemsize, array('L', [2**32-1]), array('B', [256, -1, 300]), array('i', [2**40 + 3]), array('h', [-2**70 - 2]))")).toBe(
      "4 array('L', [4294967295]) array('B', [0, 255, 44]) array('i', [3]) array('h', [-2])\n",
    );
  });
  it("holds objects ('O') and pointers ('P'), which the collector must see", async () => {
    const src = `
from array import array
a = array('O')
for i in range(50):
    a.append([i, str(i)])
a.extend(array('O', [{'k': 1}]))
b = a[10:12]
a[0:2] = array('O', [(1,), 'x', 2.5])
import gc
gc.collect()
print(len(a), a[0], a[1], a[2], a[3], a[-1], b, a[50][1])
p = array('P', [1, 2**32 - 1])
print(p, p[1])
`;
    const want = "52 (1,) x 2.5 [2, '2'] {'k': 1} array('O', [[10, '10'], [11, '11']]) 49\narray('P', [1, 4294967295]) 4294967295\n";
    expect(await out(src)).toBe(want);
    expect(await out(src, { gcStress: true, heapBytes: 1 << 20 })).toBe(want);
  });
  it("refuses to compare different layouts, and float arrays (NotImplementedError, as MicroPython)", async () => {
    expect(
      await raises("from array import array", [
        "array('i') == array('h')", "array('b') == array('P')", "array('O') == array('S')", "array('f') == array('f')",
        "array('d', [1.0]) < array('d', [2.0])", "array('i') == array('l')", "array('b', [1]) == array('B', [1])",
        "array('O', [1]) == array('O', [1])",
      ]),
    ).toEqual(["NotImplementedError", "NotImplementedError", "NotImplementedError", "NotImplementedError",
      "NotImplementedError", "NotImplementedError", "ok", "ok"]);
  });
  it("raises the right exception types", async () => {
    expect(
      await raises("from array import array\na = array('i', [1, 2])", [
        "array('X')", "array('ii')", "array(1)", "array('i', [1.5])", "array('i', ['x'])", "array('i', 'ab')",
        "a[5]", "a[-3] = 1", "a['x']", "a.append(None)", "a + b'ab'", "a + [1]", "array('h', b'abc')", "hash(a)",
        "a[0:1] = [5]", "a[::2] = array('i', [1, 2, 3])", "array('O').tobytes()", "bytes(array('O', [1]))", // iterated: its items are small ints
      ]),
    ).toEqual(["ValueError", "TypeError", "TypeError", "TypeError", "TypeError", "TypeError", "IndexError",
      "IndexError", "TypeError", "TypeError", "ok", "TypeError", "ValueError", "TypeError", "TypeError", "ValueError",
      "TypeError", "ok"]);
  });
  it("grows and slices under GC stress", async () => {
    const src = `
from array import array
a = array('q')
for i in range(200):
    a.append(i * 2**40 - 7)
a += array('q', [1, 2])
c = a[::50] + a[-2:]
print(len(a), c, sum(a[:3]), bytes(array('b', [1, 2])) + bytes(a[200:]))
d = array('d', (x / 4 for x in range(5)))
d[1:4] = array('d', [9.5])
print(d, list(d))
`;
    const want =
      "202 array('q', [-7, 54975581388793, 109951162777593, 164926744166393, 1, 1, 2]) 3298534883307 b'\\x01\\x02\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x00\\x00\\x00\\x00\\x00\\x00'\narray('d', [0.0, 9.5, 1.0]) [0.0, 9.5, 1.0]\n";
    expect(await out(src)).toBe(want);
    expect(await out(src, { gcStress: true, heapBytes: 1 << 20 })).toBe(want);
  });
});

describe("errno", () => {
  it("renders OSError as MicroPython does", async () => {
    expect(
      await out("import errno\nprint(str(OSError(errno.EIO)), str(OSError(errno.ENOENT, 'gone')), str(OSError(9999)), str(OSError(9999, 'x')), repr(OSError(5)))"),
    ).toBe("[Errno 5] EIO [Errno 2] ENOENT: gone 9999 [Errno 9999] x OSError(5)\n");
  });
  it("has every constant in errorcode", async () => {
    expect(await out("import errno\nprint(all(errno.errorcode[getattr(errno, n)] == n for n in dir(errno) if n[0] == 'E'), len(errno.errorcode))")).toBe(
      "True 27\n",
    );
  });
});

describe("micropython", () => {
  it("folds const() at compile time; _private constants are not stored", async () => {
    expect(
      await out(`
from micropython import const
import micropython
A = const(3)
_B = const(A << 4 | 1)
C = const(-(2 ** 40))
def f(x):
    return x + _B
class K:
    v = _B * 2
print(A, _B, C, f(1), K.v, [_B for i in range(2)], 'A' in globals(), '_B' in globals(), micropython.const([1]))
`),
    ).toBe("3 49 -1099511627776 50 98 [49, 49] True False [1]\n");
  });
  it("rejects rebinding a folded constant, like MicroPython", async () => {
    const r = await runPy("from micropython import const\nX = const(1)\nX = 2\n");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/SyntaxError/);
  });
  it("reports memory in MicroPython's format", async () => {
    const o = await out("import micropython\nmicropython.mem_info()\nmicropython.qstr_info()\nprint(type(micropython.stack_use()))");
    expect(o).toMatch(/^stack: \d+ out of \d+\nGC: total: \d+, used: \d+, free: \d+\n No\. of 1-blocks: \d+, 2-blocks: \d+, max blk sz: \d+, max free sz: \d+\nqstr pool: n_pool=\d, n_qstr=\d+, n_str_data_bytes=\d+, n_total_bytes=\d+\n<class 'int'>\n$/);
    const v = await out("import micropython\nmicropython.mem_info(1)", { heapBytes: 1 << 18 });
    expect(v).toMatch(/GC memory layout; from [0-9a-f]+:\n[0-9a-f]{8}: [.hSAFTLDBM=]+/);
  });
  it("locks the heap: allocation is a MemoryError until heap_unlock", async () => {
    expect(
      await out(`
import micropython
x = 5
micropython.heap_lock()
try:
    y = [x]
except MemoryError:
    print("MemoryError", micropython.heap_locked())
print(x + 1)
micropython.heap_lock()
print(micropython.heap_unlock(), micropython.heap_unlock(), micropython.heap_unlock())
print([x])
`),
    ).toBe("MemoryError 1\n6\n1 0 0\n[5]\n");
  });
  it("stores opt_level, runs schedule() callbacks at the next safe point (8 queued at most inside native code) and accepts the no-ops", async () => {
    expect(
      await out(`
import micropython
print(micropython.opt_level())
micropython.opt_level(3)
print(micropython.opt_level())
for i in range(3):
    micropython.schedule(print, i)
n = 0
def key(i):
    global n
    micropython.schedule(print, 10 + i)
    n += 1
try:
    sorted(range(10), key=key)
except RuntimeError as e:
    print(n, e)
for i in range(3):
    pass
print(micropython.alloc_emergency_exception_buf(100), micropython.kbd_intr(-1))
`),
    ).toBe("0\n3\n0\n1\n2\n10\n11\n12\n13\n14\n15\n16\n17\n8 schedule queue full\nNone None\n");
  });
});

describe("math, random, binascii, json: argument errors", () => {
  it("math", async () => {
    expect(
      await raises("import math", [
        "math.sqrt(None)", "math.floor([])", "math.gcd(1, 2.0)", "math.factorial(1.5)", "math.isqrt('4')", "math.comb(1, None)",
        "math.exp(1e6)", "math.log(-1)", "math.factorial(10**10 + 0.0)", "math.perm(10**20, 10**19)", "math.trunc(object())",
      ]),
    ).toEqual(["TypeError", "TypeError", "TypeError", "TypeError", "TypeError", "TypeError", "OverflowError",
      "ValueError", "TypeError", "OverflowError", "TypeError"]);
  });
  it("random", async () => {
    expect(
      await raises("import random", [
        "random.seed('x')", "random.seed(1.5)", "random.randrange(1.0)", "random.getrandbits(2**40)", "random.choice(5)",
        "random.sample(5, 1)", "random.randint(1, 2, 3)", "random.seed(None)", "random.seed(-2**90)",
      ]),
    ).toEqual(["TypeError", "TypeError", "TypeError", "OverflowError", "TypeError", "TypeError", "TypeError", "ok", "ok"]);
  });
  it("random is deterministic after seed() and its big values survive the collector", async () => {
    const src = "import random\nrandom.seed(7)\na = [random.getrandbits(100) for i in range(20)]\nrandom.seed(7)\nprint(a == [random.getrandbits(100) for i in range(20)], sorted(random.sample(range(5), 5)))";
    expect(await out(src)).toBe("True [0, 1, 2, 3, 4]\n");
    expect(await out(src, { gcStress: true, heapBytes: 1 << 20 })).toBe("True [0, 1, 2, 3, 4]\n");
  });
  it("binascii", async () => {
    expect(
      await raises("import binascii", [
        "binascii.hexlify('ab')", "binascii.hexlify(5)", "binascii.unhexlify('abc')", "binascii.unhexlify('zz')",
        "binascii.a2b_base64('Zm9')", "binascii.b2a_base64('x')", "binascii.crc32('x')", "binascii.crc32(b'x', 1.5)",
        "binascii.b2a_base64(b'x', foo=1)", "binascii.Error is ValueError",
      ]),
    ).toEqual(["TypeError", "TypeError", "ValueError", "ValueError", "ValueError", "TypeError", "TypeError", "TypeError",
      "TypeError", "ok"]);
  });
  it("json", async () => {
    expect(
      await raises("import json", [
        "json.dumps(object())", "json.dumps({(1,): 2})", "json.loads(5)", "json.loads('[')", "json.loads('{\"a\" 1}')",
        "json.dumps([1], indent=None, foo=2)", "json.dumps(1, separators=(1, 2))", "json.dumps(1, separators=[','])",
        "json.load(5)",
      ]),
    ).toEqual(["TypeError", "TypeError", "TypeError", "ValueError", "ValueError", "TypeError", "TypeError", "ValueError",
      "AttributeError"]);
  });
  it("json round-trips big documents under GC stress", async () => {
    const src = `
import json
doc = {"n": [i * 10**20 for i in range(30)], "f": [i / 3 for i in range(30)], "s": ["\\u00e9" * i for i in range(10)], "d": {str(i): [i, {"x": None}] for i in range(30)}}
t = json.dumps(doc, sort_keys=True)
back = json.loads(t)
print(back == doc, len(t), json.dumps(back, sort_keys=True) == t)
`;
    expect(await out(src)).toBe(await out(src, { gcStress: true, heapBytes: 1 << 20 }));
    expect(await out(src)).toMatch(/^True \d+ True\n$/);
  });
});
