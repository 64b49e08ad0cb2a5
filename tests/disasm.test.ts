// The disassembler: golden listings of two hand-built programs (the .mpy worked example of ../shared/docs/anchors.md
// §3.4, and one that touches every operand kind and constant kind), and the Python reprs of constants.

import { describe, it, expect } from "vitest";
import { serialize, loadImage, isLoadError, serializeLineMap, loadLineMap } from "../core/image";
import { disasm, floatRepr, strRepr, bytesRepr, decodeAt } from "../core/disasm";
import { Arg, MF_DEFAULTS, MF_CLOSURE, BINOP_INPLACE, FV_REPR, FV_SPEC } from "../core/opcodes";
import { Op } from "../core/generated/op";
import { opArg } from "../core/opinfo";
import { encodeLines } from "../core/linetable";
import { Program, CodeObject, Image, CO_MODULE, CO_NESTED, CO_GENERATOR, CO_VARARGS, CO_VARKEYWORDS } from "../core/code";

type Ins = [number] | [number, number | string] | string;
function asm(...ins: Ins[]): Uint8Array {
  const labels: Record<string, number> = {};
  const fix: [number, string][] = [];
  const out: number[] = [];
  for (const i of ins) {
    if (typeof i === "string") {
      labels[i] = out.length;
      continue;
    }
    out.push(i[0]);
    const k = opArg(i[0]);
    if (k === Arg.NONE) continue;
    const a = i[1] ?? 0;
    if (k === Arg.JUMP) {
      if (typeof a === "string") fix.push([out.length, a]);
      out.push(typeof a === "number" ? a & 255 : 0, typeof a === "number" ? a >> 8 : 0);
      continue;
    }
    let v = a as number;
    if (k === Arg.SINT) v = v < 0 ? -v * 2 - 1 : v * 2;
    while (v > 127) out.push((v % 128) | 128), (v = Math.floor(v / 128));
    out.push(v);
  }
  for (const [at, l] of fix) (out[at] = labels[l] & 255), (out[at + 1] = labels[l] >> 8);
  return new Uint8Array(out);
}

function mkCode(over: Partial<CodeObject> & { code: Uint8Array }): CodeObject {
  return {
    name: 0, qualname: 0, flags: CO_MODULE, argcount: 0, posonlyCount: 0, kwonlyCount: 0, nlocals: 0, ncells: 0,
    nfree: 0, varnames: [], stacksize: 1, nblocks: 0, firstline: 1, lines: new Uint8Array(0), ...over,
  }; // prettier-ignore
}

function load(p: Program, strip = false): Image {
  const r = loadImage(serialize(p, strip));
  if (isLoadError(r)) throw new Error(r.error);
  return r;
}

/**
 * def add(a, b=2):
 *     return a + b
 * x = add(40)
 * print("hi", x, 3.5, 10**20)
 */
function mpyExample(): Program {
  const names = ["ex.py", "<module>", "add", "x", "print", "a", "b"];
  const N = (s: string) => names.indexOf(s);
  return {
    filename: "ex.py",
    names,
    consts: [
      { t: "int", v: 2 },
      { t: "tuple", v: [0] },
      { t: "str", v: "hi" },
      { t: "float", v: 3.5 },
      { t: "bigint", v: "100000000000000000000" },
    ],
    codes: [
      mkCode({
        name: N("<module>"),
        qualname: N("<module>"),
        stacksize: 5,
        code: asm(
          [Op.LOAD_CONST, 1],
          [Op.MAKE_FUNCTION, (1 << 3) | MF_DEFAULTS],
          [Op.STORE_NAME, N("add")],
          [Op.LOAD_NAME, N("add")],
          [Op.LOAD_INT, 40],
          [Op.CALL_FUNCTION, 1],
          [Op.STORE_NAME, N("x")],
          [Op.LOAD_NAME, N("print")],
          [Op.LOAD_CONST, 2],
          [Op.LOAD_NAME, N("x")],
          [Op.LOAD_CONST, 3],
          [Op.LOAD_CONST, 4],
          [Op.CALL_FUNCTION, 4],
          [Op.POP_TOP],
          [Op.LOAD_NONE],
          [Op.RETURN_VALUE],
        ),
        lines: encodeLines(1, [0, 1, 6, 3, 14, 4]),
      }),
      mkCode({
        name: N("add"),
        qualname: N("add"),
        flags: 0,
        argcount: 2,
        nlocals: 2,
        varnames: [N("a"), N("b")],
        stacksize: 2,
        code: asm([Op.LOAD_FAST, 0], [Op.LOAD_FAST, 1], [Op.BINARY_OP, 0], [Op.RETURN_VALUE]),
        lines: encodeLines(1, [0, 2]),
      }),
    ],
  };
}

const MPY_LISTING = String.raw`image "ex.py": version 1, flags LINES | BIGINT | FLOAT, 135 bytes, crc ea029d6e

code 0: <module>
  flags MODULE; first line 1
  args 0 (posonly 0, kwonly 0), locals 0, cells 0, free 0, stack 5, blocks 0
     1     0  LOAD_CONST            1 ((2,))
           2  MAKE_FUNCTION         9 (code 1 add, defaults)
           4  STORE_NAME            2 (add)
     3     6  LOAD_NAME             2 (add)
           8  LOAD_INT              40
          10  CALL_FUNCTION         1
          12  STORE_NAME            3 (x)
     4    14  LOAD_NAME             4 (print)
          16  LOAD_CONST            2 ('hi')
          18  LOAD_NAME             3 (x)
          20  LOAD_CONST            3 (3.5)
          22  LOAD_CONST            4 (100000000000000000000)
          24  CALL_FUNCTION         4
          26  POP_TOP
          27  LOAD_NONE
          28  RETURN_VALUE

code 1: add
  flags 0; first line 1
  args 2 (posonly 0, kwonly 0), locals 2, cells 0, free 0, stack 2, blocks 0
  slots: 0 a, 1 b
     2     0  LOAD_FAST             0 (a)
           2  LOAD_FAST             1 (b)
           4  BINARY_OP             0 (+)
           6  RETURN_VALUE

constants:
    0 int      2
    1 tuple    (2,)
    2 str      'hi'
    3 float    3.5
    4 bigint   100000000000000000000
names:
    0 ex.py
    1 <module>
    2 add
    3 x
    4 print
    5 a
    6 b
`;

/** Every operand kind, every constant kind, flags, cells and free variables, jumps and a handler. */
function kitchenSink(): Program {
  const names = ["k.py", "<module>", "outer", "inner", "outer.<locals>.inner", "n", "args", "kw", "it", "xs", "s", "\xc3\xa9"];
  const N = (s: string) => names.indexOf(s);
  const esc = (s: string) => Buffer.from(s, "utf8").toString("latin1");
  return {
    filename: "k.py",
    names,
    consts: [
      { t: "str", v: esc("it's \"q\"\t\\ é\x7f") },
      { t: "bytes", v: "a'\x00\xff\n" },
      { t: "float", v: 1e16 },
      { t: "float", v: 1e-5 },
      { t: "float", v: -0 },
      { t: "float", v: Infinity },
      { t: "float", v: 0.1 },
      { t: "bigint", v: "-18446744073709551616" },
      { t: "int", v: -4611686018427388 },
      { t: "ellipsis" },
      { t: "tuple", v: [] },
      { t: "tuple", v: [0, 9, 10] },
      { t: "str", v: "" },
    ],
    codes: [
      mkCode({
        name: N("<module>"),
        qualname: N("<module>"),
        stacksize: 3,
        code: asm(
          [Op.MAKE_FUNCTION, 1 << 3],
          [Op.STORE_NAME, N("outer")],
          [Op.LOAD_CONST, 11],
          [Op.LOAD_CONST, 1],
          [Op.BINARY_OP, 6 | BINOP_INPLACE],
          [Op.FORMAT_VALUE, FV_REPR],
          [Op.POP_TOP],
          [Op.LOAD_INT, -7],
          [Op.LOAD_INT, 7],
          [Op.COMPARE_OP, 5],
          [Op.POP_JUMP_IF_FALSE, "else"],
          [Op.LOAD_CONST, 2],
          [Op.RETURN_VALUE],
          "else",
          [Op.LOAD_CONST, 12],
          [Op.LOAD_CONST, 8],
          [Op.FORMAT_VALUE, FV_SPEC],
          [Op.RETURN_VALUE],
        ),
      }),
      mkCode({
        name: N("outer"),
        qualname: N("outer"),
        flags: CO_VARARGS | CO_VARKEYWORDS,
        nlocals: 3,
        ncells: 1,
        varnames: [N("args"), N("kw"), N("xs"), N("n")],
        stacksize: 5,
        nblocks: 1,
        firstline: 2,
        code: asm(
          [Op.LOAD_FAST, 0],
          [Op.STORE_DEREF, 3],
          [Op.LOAD_CLOSURE, 3],
          [Op.BUILD_TUPLE, 1],
          [Op.MAKE_FUNCTION, (2 << 3) | MF_CLOSURE],
          [Op.LOAD_FAST, 0],
          [Op.LOAD_FAST, 1],
          [Op.CALL_FUNCTION_EX, 1],
          [Op.UNPACK_EX, 1 | (2 << 8)],
          [Op.STORE_FAST, 2],
          [Op.POP_TOP],
          [Op.POP_TOP],
          [Op.POP_TOP],
          [Op.SETUP_FINALLY, "h"],
          [Op.LOAD_FAST, 2],
          [Op.LOAD_FAST, 0],
          [Op.CONTAINS_OP, 1],
          [Op.LOAD_NONE],
          [Op.IS_OP, 1],
          [Op.LOAD_FAST, 1],
          [Op.BINARY_OP, 10],
          [Op.UNARY_OP, 3],
          [Op.POP_BLOCK],
          [Op.RETURN_VALUE],
          "h",
          [Op.POP_TOP],
          [Op.POP_EXCEPT],
          [Op.LOAD_DEREF, 3],
          [Op.RETURN_VALUE],
        ),
        lines: encodeLines(2, [0, 3, 19, 4, 29, 6, 38, 5]),
      }),
      mkCode({
        name: N("inner"),
        qualname: N("outer.<locals>.inner"),
        flags: CO_NESTED | CO_GENERATOR,
        nfree: 1,
        varnames: [N("n")],
        stacksize: 2,
        firstline: 4,
        code: asm([Op.LOAD_DEREF, 0], [Op.YIELD_VALUE], [Op.LOAD_CONST, 9], [Op.BINARY_OP, 2], [Op.RETURN_VALUE]),
      }),
    ],
  };
}

const SINK_LISTING = String.raw`image "k.py": version 1, flags LINES | BIGINT | FLOAT, 313 bytes, crc 2833546f

code 0: <module>
  flags MODULE; first line 1
  args 0 (posonly 0, kwonly 0), locals 0, cells 0, free 0, stack 3, blocks 0
     1     0  MAKE_FUNCTION         8 (code 1 outer)
           2  STORE_NAME            2 (outer)
           4  LOAD_CONST            11 (('it\'s "q"\t\\ é\x7f', Ellipsis, ()))
           6  LOAD_CONST            1 (b"a'\x00\xff\n")
           8  BINARY_OP             22 (%=)
          10  FORMAT_VALUE          2 (repr)
          12  POP_TOP
          13  LOAD_INT              -7
          15  LOAD_INT              7
          17  COMPARE_OP            5 (>=)
          19  POP_JUMP_IF_FALSE     to 25
          22  LOAD_CONST            2 (1e+16)
          24  RETURN_VALUE
          25  LOAD_CONST            12 ('')
          27  LOAD_CONST            8 (-4611686018427388)
          29  FORMAT_VALUE          4 (with spec)
          31  RETURN_VALUE

code 1: outer
  flags VARARGS | VARKEYWORDS; first line 2
  args 0 (posonly 0, kwonly 0), locals 3, cells 1, free 0, stack 5, blocks 1
  slots: 0 args, 1 kw, 2 xs, 3 cell n
     3     0  LOAD_FAST             0 (args)
           2  STORE_DEREF           3 (n)
           4  LOAD_CLOSURE          3 (n)
           6  BUILD_TUPLE           1
           8  MAKE_FUNCTION         20 (code 2 inner, closure)
          10  LOAD_FAST             0 (args)
          12  LOAD_FAST             1 (kw)
          14  CALL_FUNCTION_EX      1 (with kwargs)
          16  UNPACK_EX             513 (1 before, 2 after)
     4    19  STORE_FAST            2 (xs)
          21  POP_TOP
          22  POP_TOP
          23  POP_TOP
          24  SETUP_FINALLY         to 44
          27  LOAD_FAST             2 (xs)
     6    29  LOAD_FAST             0 (args)
          31  CONTAINS_OP           1 (not in)
          33  LOAD_NONE
          34  IS_OP                 1 (is not)
          36  LOAD_FAST             1 (kw)
     5    38  BINARY_OP             10 (&)
          40  UNARY_OP              3 (not)
          42  POP_BLOCK
          43  RETURN_VALUE
          44  POP_TOP
          45  POP_EXCEPT
          46  LOAD_DEREF            3 (n)
          48  RETURN_VALUE

code 2: inner (outer.<locals>.inner)
  flags GENERATOR | NESTED; first line 4
  args 0 (posonly 0, kwonly 0), locals 0, cells 0, free 1, stack 2, blocks 0
  slots: 0 free n
     4     0  LOAD_DEREF            0 (n)
           2  YIELD_VALUE
           3  LOAD_CONST            9 (Ellipsis)
           5  BINARY_OP             2 (*)
           7  RETURN_VALUE

constants:
    0 str      'it\'s "q"\t\\ é\x7f'
    1 bytes    b"a'\x00\xff\n"
    2 float    1e+16
    3 float    1e-05
    4 float    -0.0
    5 float    inf
    6 float    0.1
    7 bigint   -18446744073709551616
    8 int      -4611686018427388
    9 ellipsis Ellipsis
   10 tuple    ()
   11 tuple    ('it\'s "q"\t\\ é\x7f', Ellipsis, ())
   12 str      ''
names:
    0 k.py
    1 <module>
    2 outer
    3 inner
    4 outer.<locals>.inner
    5 n
    6 args
    7 kw
    8 it
    9 xs
   10 s
   11 é
`;

describe("disasm", () => {
  it("lists the .mpy worked example", () => {
    const img = load(mpyExample());
    expect(disasm(img)).toBe(MPY_LISTING);
  });

  it("lists every operand and constant kind", () => {
    const img = load(kitchenSink());
    expect(disasm(img)).toBe(SINK_LISTING);
  });

  it("leaves the line column empty for a stripped image without its map, and fills it from the map", () => {
    const p = mpyExample();
    const stripped = load(p, true);
    const text = disasm(stripped);
    expect(text).toMatch(/^image "ex.py": version 1, flags STRIPPED \| BIGINT \| FLOAT/);
    expect(text).toContain("\n           0  LOAD_CONST            1 ((2,))\n");
    const map = loadLineMap(serializeLineMap(p));
    if (isLoadError(map)) throw new Error(map.error);
    expect(disasm(stripped, map).split("\n").slice(1)).toEqual(MPY_LISTING.split("\n").slice(1));
  });

  it("decodes operands of every encoding", () => {
    expect(decodeAt(asm([Op.LOAD_INT, -100000]), 0)).toEqual({ op: Op.LOAD_INT, arg: -100000, size: 4 });
    expect(decodeAt(asm([Op.JUMP, 0x1234]), 0)).toEqual({ op: Op.JUMP, arg: 0x1234, size: 3 });
    expect(decodeAt(asm([Op.LOAD_CONST, 300]), 0)).toEqual({ op: Op.LOAD_CONST, arg: 300, size: 3 });
    expect(decodeAt(asm([Op.POP_TOP]), 0)).toEqual({ op: Op.POP_TOP, arg: 0, size: 1 });
  });
});

describe("Python reprs", () => {
  it("floats", () => {
    const cases: [number, string][] = [
      [1, "1.0"], [-2.5, "-2.5"], [0.1, "0.1"], [1e16, "1e+16"], [1.5e16, "1.5e+16"], [9999999999999998, "9999999999999998.0"],
      [1e-4, "0.0001"], [1e-5, "1e-05"], [1.25e-7, "1.25e-07"], [123456.789, "123456.789"], [1e300, "1e+300"],
      [-0, "-0.0"], [0, "0.0"], [NaN, "nan"], [Infinity, "inf"], [-Infinity, "-inf"], [5e-324, "5e-324"],
      [1.7976931348623157e308, "1.7976931348623157e+308"], [100, "100.0"], [0.30000000000000004, "0.30000000000000004"],
    ]; // prettier-ignore
    for (const [x, want] of cases) expect([x, floatRepr(x)]).toEqual([x, want]);
  });

  it("str and bytes", () => {
    const u = (s: string) => Buffer.from(s, "utf8").toString("latin1");
    expect(strRepr("abc")).toBe("'abc'");
    expect(strRepr("it's")).toBe(`"it's"`);
    expect(strRepr(`it's "q"`)).toBe(`'it\\'s "q"'`);
    expect(strRepr("a\nb\t\\\x01\x7f")).toBe("'a\\nb\\t\\\\\\x01\\x7f'");
    expect(strRepr(u("héllo €"))).toBe("'héllo €'");
    expect(strRepr(u("\u00a0"))).toBe("'\\xa0'");
    expect(bytesRepr("a'\x00\xff\n")).toBe(`b"a'\\x00\\xff\\n"`);
    expect(bytesRepr("")).toBe("b''");
  });
});
