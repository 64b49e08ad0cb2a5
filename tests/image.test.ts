// The .mpb image: round trips of hand-built Programs, byte-identical re-serialisation, every refusal of the loader
// and verifier provoked on purpose, line maps, CRC-32, and the opcode-table hash that guards IMAGE_VERSION.
// Fuzzing is in image-fuzz.test.ts; the listing in disasm.test.ts.

import { describe, it, expect } from "vitest";
import { createHash } from "node:crypto";
import * as zlib from "node:zlib";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { crc32 } from "../core/crc32";
import {
  serialize,
  loadImage,
  isLoadError,
  IMAGE_VERSION,
  F_LINES,
  F_STRIPPED,
  F_BIGINT,
  F_FLOAT,
  stackNeed,
  serializeLineMap,
  loadLineMap,
  lineFor,
  constInt,
  constFloat,
  constTuple,
  imageName,
  MAX_CODE_LEN,
} from "../core/image";
import { programOf, disasm } from "../core/disasm";
import { OPCODES, Arg, BINOPS, BINOP_INPLACE, UNOPS, CMPOPS, MF_CLOSURE, MF_DEFAULTS, VARIABLE_EFFECT } from "../core/opcodes";
import { Op, OP_COUNT } from "../core/generated/op";
import { opArg } from "../core/opinfo";
import { encodeLines, lineAt } from "../core/linetable";
import {
  Program,
  CodeObject,
  Image,
  Const,
  ConstKind,
  CODE_FIELDS,
  C_NAME,
  C_QUALNAME,
  C_FLAGS,
  C_ARGCOUNT,
  C_POSONLY,
  C_KWONLY,
  C_NLOCALS,
  C_NCELLS,
  C_NFREE,
  C_STACKSIZE,
  C_NBLOCKS,
  C_FIRSTLINE,
  C_CODE,
  C_CODELEN,
  C_LINES,
  C_LINESLEN,
  C_VARNAMES,
  CO_MODULE,
  CO_GENERATOR,
  CO_VARARGS,
  CO_VARKEYWORDS,
  CO_CLASS_BODY,
  CO_NESTED,
  CO_COROUTINE,
} from "../core/code";

// ---------------------------------------------------------------------------------------------------------------
// Helpers: a tiny assembler (labels as negative placeholders resolved by name) and Program builders

type Ins = [number] | [number, number | string] | string; // a string alone is a label
function asm(...ins: Ins[]): Uint8Array {
  const labels: Record<string, number> = {};
  const fix: [number, string][] = [];
  const out: number[] = [];
  for (const i of ins) {
    if (typeof i === "string") {
      labels[i] = out.length;
      continue;
    }
    const op = i[0];
    out.push(op);
    const k = opArg(op);
    if (k === Arg.NONE) continue;
    let a = i[1] ?? 0;
    if (k === Arg.JUMP) {
      if (typeof a === "string") {
        fix.push([out.length, a]);
        a = 0;
      }
      out.push(a & 255, (a >> 8) & 255);
      continue;
    }
    let v = a as number;
    if (k === Arg.SINT) v = v < 0 ? -v * 2 - 1 : v * 2;
    while (v > 127) {
      out.push((v % 128) | 128);
      v = Math.floor(v / 128);
    }
    out.push(v);
  }
  for (const [at, l] of fix) {
    if (!(l in labels)) throw new Error("no label " + l);
    out[at] = labels[l] & 255;
    out[at + 1] = labels[l] >> 8;
  }
  return new Uint8Array(out);
}

function mkCode(over: Partial<CodeObject> & { code: Uint8Array }): CodeObject {
  return {
    name: 0,
    qualname: 0,
    flags: CO_MODULE,
    argcount: 0,
    posonlyCount: 0,
    kwonlyCount: 0,
    nlocals: 0,
    ncells: 0,
    nfree: 0,
    varnames: [],
    stacksize: 1,
    nblocks: 0,
    firstline: 1,
    lines: new Uint8Array(0),
    ...over,
  };
}

/** A one-code-object module program: names[0] is "<module>", names[1] the filename. */
function modProg(code: Uint8Array, over: Partial<CodeObject> = {}, consts: Const[] = [], extraNames: string[] = []): Program {
  return {
    filename: "t.py",
    names: ["<module>", "t.py", ...extraNames],
    consts,
    codes: [mkCode({ code, ...over })],
  };
}

/** Recomputes the trailing CRC after a deliberate patch, so the verifier (not the CRC) has to catch it. */
function recrc(b: Uint8Array): Uint8Array {
  const c = crc32(b, 0, b.length - 4, 0);
  for (let i = 0; i < 4; i++) b[b.length - 4 + i] = (c >>> (8 * i)) & 255;
  return b;
}

function ok(b: Uint8Array): Image {
  const r = loadImage(b);
  if (isLoadError(r)) throw new Error("refused: " + r.error);
  return r;
}

function err(b: Uint8Array): string {
  const r = loadImage(b);
  if (!isLoadError(r)) throw new Error("accepted an image that should be refused");
  return r.error;
}

const b = (s: string) => Buffer.from(s, "utf8").toString("latin1"); // JS string → byte string

/** A program using every constant kind, five code objects, closures, a generator, a class body, loops, try/except. */
function richProgram(): Program {
  const names = [
    "<module>", "t.py", "f", "g", "f.<locals>.g", "gen", "C", "a", "b", "i", "x", "ValueError",
    "p", "k", "args", "kw", "__name__", "__module__", b("héllo"),
  ]; // prettier-ignore
  const N = (s: string) => names.indexOf(s);
  const consts: Const[] = [
    { t: "str", v: b("hi ‘there’\n") },
    { t: "bytes", v: "\x00\xff'\"" },
    { t: "int", v: 9007199254740991 },
    { t: "int", v: -9007199254740991 },
    { t: "int", v: 1 << 30 },
    { t: "bigint", v: "-123456789012345678901234567890" },
    { t: "bigint", v: "18446744073709551616" },
    { t: "float", v: 1.5 },
    { t: "float", v: -0 },
    { t: "float", v: NaN },
    { t: "tuple", v: [0, 7] },
    { t: "tuple", v: [10, 2, 10] },
    { t: "ellipsis" },
    { t: "tuple", v: [] },
    { t: "int", v: 1 },
    { t: "tuple", v: [14] },
  ];
  const mod = asm(
    [Op.LOAD_CONST, 15],
    [Op.MAKE_FUNCTION, (1 << 3) | MF_DEFAULTS],
    [Op.STORE_NAME, N("f")],
    [Op.MAKE_FUNCTION, 3 << 3],
    [Op.STORE_NAME, N("gen")],
    [Op.LOAD_BUILD_CLASS],
    [Op.MAKE_FUNCTION, 4 << 3],
    [Op.LOAD_CONST, 0],
    [Op.CALL_FUNCTION, 2],
    [Op.STORE_NAME, N("C")],
    [Op.LOAD_NAME, N("f")],
    [Op.LOAD_INT, -3],
    [Op.CALL_FUNCTION, 1],
    [Op.POP_TOP],
    [Op.LOAD_NONE],
    [Op.RETURN_VALUE],
  );
  const f = asm(
    [Op.LOAD_FAST, 0],
    [Op.STORE_DEREF, 3],
    [Op.LOAD_CLOSURE, 3],
    [Op.BUILD_TUPLE, 1],
    [Op.MAKE_FUNCTION, (2 << 3) | MF_CLOSURE],
    [Op.POP_TOP],
    [Op.LOAD_FAST, 1],
    [Op.GET_ITER],
    "loop",
    [Op.FOR_ITER, "done"],
    [Op.STORE_FAST, 2],
    [Op.JUMP, "loop"],
    "done",
    [Op.SETUP_FINALLY, "handler"],
    [Op.LOAD_FAST, 0],
    [Op.LOAD_FAST, 1],
    [Op.BINARY_OP, 0],
    [Op.POP_TOP],
    [Op.POP_BLOCK],
    [Op.JUMP, "end"],
    "handler",
    [Op.DUP_TOP],
    [Op.LOAD_GLOBAL, N("ValueError")],
    [Op.JUMP_IF_NOT_EXC_MATCH, "reraise"],
    [Op.POP_TOP],
    [Op.POP_EXCEPT],
    [Op.JUMP, "end"],
    "reraise",
    [Op.RERAISE],
    "end",
    [Op.LOAD_NONE],
    [Op.RETURN_VALUE],
  );
  const g = asm([Op.LOAD_DEREF, 0], [Op.RETURN_VALUE]);
  const gen = asm([Op.LOAD_FAST, 0], [Op.YIELD_VALUE], [Op.POP_TOP], [Op.LOAD_NONE], [Op.RETURN_VALUE]);
  const cls = asm(
    [Op.LOAD_NAME, N("__name__")],
    [Op.STORE_NAME, N("__module__")],
    [Op.LOAD_NONE],
    [Op.RETURN_VALUE],
  );
  return {
    filename: "t.py",
    names,
    consts,
    codes: [
      mkCode({ code: mod, stacksize: 4, lines: encodeLines(1, [0, 1, 5, 3, 10, 4, 30, 9]) }),
      mkCode({
        name: N("f"), qualname: N("f"), flags: 0, argcount: 2, nlocals: 3, ncells: 1,
        varnames: [N("a"), N("b"), N("i"), N("x")], stacksize: 4, nblocks: 1, firstline: 3, code: f,
        lines: encodeLines(3, [0, 4, 8, 5, 17, 6, 30, 100, 40, 7]),
      }), // prettier-ignore
      mkCode({
        name: N("g"), qualname: N("f.<locals>.g"), flags: CO_NESTED, nfree: 1, varnames: [N("x")],
        firstline: 4, code: g,
      }), // prettier-ignore
      mkCode({
        name: N("gen"), flags: CO_GENERATOR | CO_VARARGS | CO_VARKEYWORDS, argcount: 1, posonlyCount: 1,
        kwonlyCount: 1, nlocals: 4, varnames: [N("p"), N("k"), N("args"), N("kw")], firstline: 9, code: gen,
      }), // prettier-ignore
      mkCode({ name: N("C"), flags: CO_CLASS_BODY, firstline: 12, code: cls }),
    ],
  };
}

function canonical(p: Program): unknown {
  // typed arrays compared as plain arrays, so a fresh array equals a slice of a larger buffer
  return { ...p, codes: p.codes.map((c) => ({ ...c, code: Array.from(c.code), lines: Array.from(c.lines) })) };
}

// ---------------------------------------------------------------------------------------------------------------

describe("crc32", () => {
  it("matches the standard check value and zlib", () => {
    const s = new TextEncoder().encode("123456789");
    expect(crc32(s, 0, s.length, 0)).toBe(0xcbf43926);
    expect(crc32(s, 0, 0, 0)).toBe(0);
    const r = new Uint8Array(1000);
    for (let i = 0; i < r.length; i++) r[i] = (i * 7919 + (i >> 3)) & 255;
    expect(crc32(r, 0, r.length, 0)).toBe(zlib.crc32(r));
    expect(crc32(r, 10, 500, 0)).toBe(zlib.crc32(r.subarray(10, 500)));
  });
  it("continues from a seed across pieces", () => {
    const r = new Uint8Array(300).map((_, i) => (i * 31) & 255);
    expect(crc32(r, 100, 300, crc32(r, 0, 100, 0))).toBe(crc32(r, 0, 300, 0));
  });
});

describe("round trip", () => {
  it("LOAD_INT 1; RETURN_VALUE: every header field and table in place", () => {
    const p = modProg(asm([Op.LOAD_INT, 1], [Op.RETURN_VALUE]));
    const bytes = serialize(p, false);
    const img = ok(bytes);
    expect(img.bytes).toBe(bytes); // no copy: tables index into the caller's bytes
    expect(img.version).toBe(IMAGE_VERSION);
    expect(img.flags).toBe(0);
    expect(img.ncodes).toBe(1);
    expect(imageName(img, img.filename)).toBe("t.py");
    expect(imageName(img, 0)).toBe("<module>");
    const row = Array.from(img.codes.subarray(0, CODE_FIELDS));
    expect(row[C_NAME]).toBe(0);
    expect(row[C_FLAGS]).toBe(CO_MODULE);
    expect(row[C_STACKSIZE]).toBe(1);
    expect(row[C_FIRSTLINE]).toBe(1);
    expect(row[C_CODELEN]).toBe(3);
    expect(Array.from(bytes.subarray(row[C_CODE], row[C_CODE] + 3))).toEqual([Op.LOAD_INT, 2, Op.RETURN_VALUE]);
    expect(row[C_LINESLEN]).toBe(0);
    expect(img.crc).toBe(zlib.crc32(bytes.subarray(0, bytes.length - 4)));
    expect(Array.from(bytes.subarray(0, 7))).toEqual([0x45, 0x53, 0x50, 0x59, IMAGE_VERSION, 0, 31]);
    expect(bytes[7]).toBe(bytes.length); // total length
  });

  it("costs 41 bytes for the smallest module", () => {
    // header 8 + names 1+9+5 + consts 1 + codes 1 + code object (mask, name, flags, nlocals, stacksize, firstline,
    // codelen, 3 bytes of code, lineslen) 11 + filename 1 + crc 4
    const bytes = serialize(modProg(asm([Op.LOAD_INT, 1], [Op.RETURN_VALUE])), false);
    expect(bytes.length).toBe(8 + 15 + 1 + 1 + 11 + 1 + 4);
  });

  it("keeps every field of a rich program", () => {
    const p = richProgram();
    const bytes = serialize(p, false);
    const img = ok(bytes);
    expect(img.flags).toBe(F_LINES | F_BIGINT | F_FLOAT);
    expect(canonical(programOf(img))).toEqual(canonical(p));
    // field by field for code 1 (f)
    const r = 1 * CODE_FIELDS;
    const c = p.codes[1];
    expect([
      img.codes[r + C_NAME], img.codes[r + C_QUALNAME], img.codes[r + C_FLAGS], img.codes[r + C_ARGCOUNT],
      img.codes[r + C_POSONLY], img.codes[r + C_KWONLY], img.codes[r + C_NLOCALS], img.codes[r + C_NCELLS],
      img.codes[r + C_NFREE], img.codes[r + C_STACKSIZE], img.codes[r + C_NBLOCKS], img.codes[r + C_FIRSTLINE],
    ]).toEqual([
      c.name, c.qualname, c.flags, c.argcount, c.posonlyCount, c.kwonlyCount, c.nlocals, c.ncells, c.nfree,
      c.stacksize, c.nblocks, c.firstline,
    ]); // prettier-ignore
    expect(Array.from(img.varnames.subarray(img.codes[r + C_VARNAMES], img.codes[r + C_VARNAMES] + 4))).toEqual(c.varnames);
    const lr = img.codes[r + C_LINES];
    expect(Array.from(bytes.subarray(lr, lr + img.codes[r + C_LINESLEN]))).toEqual(Array.from(c.lines));
    // code 3 (gen) has every optional header field but nblocks/ncells/nfree
    expect(img.codes[3 * CODE_FIELDS + C_POSONLY]).toBe(1);
    expect(img.codes[3 * CODE_FIELDS + C_KWONLY]).toBe(1);
    expect(img.codes[2 * CODE_FIELDS + C_QUALNAME]).toBe(4);
    // constants through the accessors the VM uses
    expect(img.constKind[0]).toBe(ConstKind.STR);
    expect(imageName(img, 18)).toBe(b("héllo"));
    expect(constInt(img, 2)).toBe(9007199254740991);
    expect(constInt(img, 3)).toBe(-9007199254740991);
    expect(constInt(img, 4)).toBe(1 << 30);
    expect(constFloat(img, 7)).toBe(1.5);
    expect(Object.is(constFloat(img, 8), -0)).toBe(true);
    expect(constFloat(img, 9)).toBeNaN();
    expect(constTuple(img, 11)).toEqual([10, 2, 10]);
    expect(constTuple(img, 13)).toEqual([]);
    expect(img.constLen[12]).toBe(0);
    expect(img.constKind[12]).toBe(ConstKind.ELLIPSIS);
  });

  it("serialises deterministically and re-serialises byte for byte", () => {
    const p = richProgram();
    const a = serialize(p, false);
    expect(serialize(richProgram(), false)).toEqual(a);
    expect(serialize(programOf(ok(a)), false)).toEqual(a);
    const s = serialize(p, true);
    expect(serialize(programOf(ok(s)), true)).toEqual(s);
  });

  it("encodes ints at the edges of the safe range exactly", () => {
    for (const v of [0, -1, 1, 63, -64, 64, -65, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 - 1, -(2 ** 53) + 1, 123456789012345]) {
      const img = ok(serialize(modProg(asm([Op.LOAD_CONST, 0], [Op.RETURN_VALUE]), {}, [{ t: "int", v }]), false));
      expect(constInt(img, 0)).toBe(v);
    }
    expect(() => serialize(modProg(asm([Op.LOAD_NONE], [Op.RETURN_VALUE]), {}, [{ t: "int", v: 2 ** 53 }]), false)).toThrow(
      /not a safe integer/,
    );
  });

  it("round-trips LOAD_INT at the small-int limits", () => {
    for (const v of [-(2 ** 30), 2 ** 30 - 1]) {
      const p = modProg(asm([Op.LOAD_INT, v], [Op.RETURN_VALUE]));
      expect(canonical(programOf(ok(serialize(p, false))))).toEqual(canonical(p));
    }
  });

  it("accepts a code object of the maximum length", () => {
    const code = new Uint8Array(MAX_CODE_LEN).fill(Op.NOP);
    code.set(asm([Op.LOAD_NONE], [Op.RETURN_VALUE]), MAX_CODE_LEN - 2);
    ok(serialize(modProg(code), false));
    const longer = new Uint8Array(MAX_CODE_LEN + 1).fill(Op.NOP);
    longer.set(asm([Op.LOAD_NONE], [Op.RETURN_VALUE]), MAX_CODE_LEN - 1);
    expect(err(serialize(modProg(longer), false))).toBe("bad bytecode length in code object 0 (<module>)");
  });
});

// ---------------------------------------------------------------------------------------------------------------

const RET = asm([Op.LOAD_NONE], [Op.RETURN_VALUE]);

describe("refusals: the file", () => {
  const good = serialize(richProgram(), false);

  it("bad magic", () => {
    expect(err(new TextEncoder().encode("print('hello')\n"))).toBe("not an espy bytecode file (bad magic)");
    const x = good.slice();
    x[0] = 0x4d; // 'M': a MicroPython .mpy
    expect(err(x)).toBe("not an espy bytecode file (bad magic)");
  });

  it("format version", () => {
    const x = good.slice();
    x[4] = IMAGE_VERSION + 1;
    expect(err(x)).toBe(`format version ${IMAGE_VERSION + 1}, this runtime reads ${IMAGE_VERSION}: recompile with espy compile`);
  });

  it("truncation at every length", () => {
    for (let n = 0; n < good.length; n++) expect(err(good.subarray(0, n))).toBe("truncated at byte " + n);
  });

  it("trailing bytes", () => {
    const x = new Uint8Array(good.length + 3);
    x.set(good);
    expect(err(x)).toMatch(/^image is \d+ bytes but the file has 3 more$/);
  });

  it("CRC mismatch on any corrupted byte", () => {
    const body = good[7] & 128 ? (good[8] & 128 ? 10 : 9) : 8; // after the length varint
    for (let i = 5; i < good.length; i++) {
      if (i >= 7 && i < body) continue;
      const x = good.slice();
      x[i] ^= 1 << (i % 8);
      expect(err(x)).toBe("CRC mismatch: the file is corrupt");
    }
  });

  it("flags that do not match the contents, unknown flags, small-int width", () => {
    const x = recrc(good.slice());
    x[5] = F_LINES | F_BIGINT; // no F_FLOAT although there are floats
    expect(err(recrc(x))).toBe(`feature flags ${F_LINES | F_BIGINT} do not match the contents`);
    x[5] = 0x80 | F_LINES | F_BIGINT | F_FLOAT;
    expect(err(recrc(x))).toMatch(/^unknown feature flags/);
    x[5] = F_STRIPPED | F_LINES | F_BIGINT | F_FLOAT; // stripped but has lines
    expect(err(recrc(x))).toMatch(/do not match the contents$/);
    x[5] = good[5];
    x[6] = 32;
    expect(err(recrc(x))).toBe("small ints are 32 bits in this image, 31 in this runtime");
  });

  it("bad constants, names and counts", () => {
    // a tuple naming a later constant (serialize refuses to write one, so patch the bytes)
    const p = modProg(RET, {}, [{ t: "tuple", v: [] }, { t: "int", v: 5 }]);
    const x = serialize(p, false);
    const at = ok(x).constOff[0] - 1;
    expect([x[at], x[at + 1]]).toEqual([ConstKind.TUPLE, 0]); // count 0; make it 1 referring to constant 1: shift the rest by one byte
    const y = new Uint8Array(x.length + 1);
    y.set(x.subarray(0, at + 1));
    y[at + 1] = 1;
    y[at + 2] = 1;
    y.set(x.subarray(at + 2), at + 3);
    y[7] = y.length;
    expect(err(recrc(y))).toBe("tuple constant 0 refers to a constant that is not before it");

    const z = serialize(modProg(RET, {}, [{ t: "int", v: 5 }]), false);
    z[ok(z).constOff[0] - 1] = 99;
    expect(err(recrc(z))).toMatch(/^unknown constant kind 99 at byte \d+$/);

    const big = serialize(modProg(RET, {}, [{ t: "bigint", v: "-300" }]), false);
    big[ok(big).constOff[0]] = 2; // the sign byte
    expect(err(recrc(big))).toMatch(/^bad bigint constant at byte/);

    const u = serialize(modProg(RET, {}, [], ["ab"]), false);
    u[ok(u).nameOff[2]] = 0xc3; // a lead byte followed by 'b'
    expect(err(recrc(u))).toMatch(/^invalid UTF-8 at byte \d+$/);

    const s = serialize(modProg(RET, {}, [{ t: "str", v: "\xe2\x82" }]), false); // a cut-off 3-byte sequence
    expect(err(s)).toMatch(/^invalid UTF-8/);
    expect(isLoadError(loadImage(serialize(modProg(RET, {}, [{ t: "bytes", v: "\xe2\x82" }]), false)))).toBe(false);

    // a name count far larger than the file
    const c = serialize(modProg(RET), false);
    c[8] = 0xff;
    c[9] = 0xff; // was the count (3) and the first name's length
    expect(err(recrc(c))).toMatch(/^count \d+ at byte 8 does not fit in the file$/);
  });

  it("numbers too large and data after the last field", () => {
    const x = serialize(modProg(RET), false);
    const y = new Uint8Array(x.length + 5);
    y.set(x.subarray(0, 8));
    y.set([0x83, 0x80, 0x80, 0x80, 0x80, 0x00], 8); // name count 3 in 6 bytes
    y.set(x.subarray(9), 14);
    y[7] = y.length;
    expect(err(recrc(y))).toBe("number too large at byte 8");

    const z = new Uint8Array(x.length + 1);
    z.set(x.subarray(0, x.length - 4));
    z[7] = z.length;
    expect(err(recrc(z))).toBe(`unexpected data at byte ${x.length - 4}`);
  });

  it("code object headers", () => {
    const cases: [Partial<CodeObject>, string][] = [
      [{ flags: 0 }, "bad header in code object 0 (<module>)"], // the module must be CO_MODULE
      [{ flags: CO_MODULE | CO_GENERATOR }, "bad header in code object 0 (<module>)"],
      [{ flags: CO_MODULE | CO_CLASS_BODY }, "bad header in code object 0 (<module>)"],
      [{ flags: CO_MODULE | 256 }, "bad header in code object 0 (<module>)"],
      [{ argcount: 1, nlocals: 1, varnames: [0] }, "bad header in code object 0 (<module>)"],
      [{ nfree: 1, varnames: [0] }, "bad header in code object 0 (<module>)"],
      [{ stacksize: 40000 }, "bad header in code object 0 (<module>)"],
      [{ nblocks: 256 }, "bad header in code object 0 (<module>)"],
      [{ name: 7 }, "name out of range in code object 0"],
      [{ qualname: 3 }, "name out of range in code object 0"],
      [{ nlocals: 1, varnames: [3] }, "name out of range in code object 0 (<module>)"],
      [{ code: new Uint8Array(0) }, "bad bytecode length in code object 0 (<module>)"],
    ];
    for (const [over, msg] of cases) expect(err(serialize(modProg(RET, over), false))).toBe(msg);
    const fn = (over: Partial<CodeObject>): Program => ({
      filename: "t.py",
      names: ["<module>", "t.py", "f"],
      consts: [],
      codes: [mkCode({ code: RET }), mkCode({ name: 2, qualname: 2, flags: 0, code: RET, ...over })],
    });
    ok(serialize(fn({}), false));
    const bad: Partial<CodeObject>[] = [
      { flags: CO_MODULE }, // only code 0 is a module
      { flags: CO_GENERATOR | CO_COROUTINE },
      { argcount: 1, posonlyCount: 2, nlocals: 1, varnames: [0] },
      { argcount: 1, kwonlyCount: 1, nlocals: 1, varnames: [0] },
      { flags: CO_VARARGS | CO_VARKEYWORDS, nlocals: 1, varnames: [0] },
    ];
    for (const over of bad) expect(err(serialize(fn(over), false))).toBe("bad header in code object 1 (f)");
    ok(serialize(fn({ flags: CO_VARARGS | CO_VARKEYWORDS, argcount: 1, posonlyCount: 1, kwonlyCount: 1, nlocals: 4, varnames: [0, 0, 0, 0] }), false));
  });

  it("line tables that do not parse", () => {
    expect(err(serialize(modProg(RET, { lines: new Uint8Array([0x81]) }), false))).toBe(
      "bad line table in code object 0 (<module>)",
    );
    expect(err(serialize(modProg(RET, { lines: new Uint8Array([0x80, 0x85]) }), false))).toBe(
      "bad line table in code object 0 (<module>)",
    );
    ok(serialize(modProg(RET, { lines: new Uint8Array([0x80, 0x85, 0x01, 0x04]) }), false));
  });
});

describe("refusals: the bytecode", () => {
  const at = (n: number) => `in code object 0 (<module>) at offset ${n}`;
  const names = ["x"]; // name 2

  it("operands out of range, for every operand kind", () => {
    const cases: [Uint8Array, Partial<CodeObject>, number][] = [
      [asm([Op.LOAD_NAME, 3], [Op.RETURN_VALUE]), {}, 0],
      [asm([Op.LOAD_CONST, 1], [Op.RETURN_VALUE]), {}, 0],
      [asm([Op.LOAD_NONE], [Op.STORE_FAST, 1], [Op.LOAD_NONE], [Op.RETURN_VALUE]), { nlocals: 1, varnames: [0] }, 1],
      [asm([Op.LOAD_DEREF, 0], [Op.RETURN_VALUE]), { nlocals: 1, ncells: 1, varnames: [0, 0] }, 0], // a fast slot
      [asm([Op.LOAD_DEREF, 2], [Op.RETURN_VALUE]), { nlocals: 1, ncells: 1, varnames: [0, 0] }, 0], // past the cells
      [asm([Op.MAKE_FUNCTION, 0], [Op.RETURN_VALUE]), {}, 0], // code 0 is the module
      [asm([Op.MAKE_FUNCTION, 1 << 3], [Op.RETURN_VALUE]), {}, 0], // only one code object
      [asm([Op.LOAD_INT, 1], [Op.LOAD_INT, 1], [Op.BINARY_OP, BINOPS.length], [Op.RETURN_VALUE]), { stacksize: 2 }, 4],
      [asm([Op.LOAD_INT, 1], [Op.LOAD_INT, 1], [Op.BINARY_OP, 29], [Op.RETURN_VALUE]), { stacksize: 2 }, 4],
      [asm([Op.LOAD_INT, 1], [Op.UNARY_OP, UNOPS.length], [Op.RETURN_VALUE]), {}, 2],
      [asm([Op.LOAD_INT, 1], [Op.LOAD_INT, 1], [Op.COMPARE_OP, CMPOPS.length], [Op.RETURN_VALUE]), { stacksize: 2 }, 4],
      [asm([Op.LOAD_INT, 1], [Op.LOAD_INT, 1], [Op.IS_OP, 2], [Op.RETURN_VALUE]), { stacksize: 2 }, 4],
      [asm([Op.LOAD_INT, 1], [Op.LOAD_INT, 1], [Op.BUILD_SLICE, 1], [Op.RETURN_VALUE]), { stacksize: 2 }, 4],
      [asm([Op.LOAD_INT, 1], [Op.RAISE_VARARGS, 3]), {}, 2],
      [asm([Op.BUILD_LIST, 0], [Op.LOAD_INT, 1], [Op.LIST_APPEND, 0], [Op.RETURN_VALUE]), { stacksize: 2 }, 4],
      [asm([Op.LOAD_INT, 1], [Op.FORMAT_VALUE, 8], [Op.RETURN_VALUE]), {}, 2],
    ];
    for (const [code, over, off] of cases)
      expect(err(serialize(modProg(code, over, [{ t: "int", v: 7 }], names), false))).toBe("operand out of range " + at(off));
  });

  it("operator operands accepted exactly up to the tables' lengths", () => {
    // the verifier's hard-coded bounds must follow BINOPS, UNOPS and CMPOPS in opcodes.ts
    const bin = (i: number) => modProg(asm([Op.LOAD_INT, 1], [Op.LOAD_INT, 1], [Op.BINARY_OP, i], [Op.RETURN_VALUE]), { stacksize: 2 });
    for (let i = 0; i < BINOPS.length; i++) {
      ok(serialize(bin(i), false));
      ok(serialize(bin(i | BINOP_INPLACE), false));
    }
    expect(isLoadError(loadImage(serialize(bin(BINOPS.length | BINOP_INPLACE), false)))).toBe(true);
    const un = (i: number) => modProg(asm([Op.LOAD_INT, 1], [Op.UNARY_OP, i], [Op.RETURN_VALUE]));
    ok(serialize(un(UNOPS.length - 1), false));
    const cmp = (i: number) => modProg(asm([Op.LOAD_INT, 1], [Op.LOAD_INT, 1], [Op.COMPARE_OP, i], [Op.RETURN_VALUE]), { stacksize: 2 });
    ok(serialize(cmp(CMPOPS.length - 1), false));
  });

  it("MAKE_FUNCTION's closure flag must match the function's free variables", () => {
    const p = (flags: number, nfree: number): Program => ({
      filename: "t.py",
      names: ["<module>", "t.py", "f", "x"],
      consts: [],
      codes: [
        mkCode({ code: asm([Op.LOAD_NONE], [Op.MAKE_FUNCTION, (1 << 3) | flags], [Op.RETURN_VALUE]), stacksize: 1 }),
        mkCode({ name: 2, qualname: 2, flags: 0, nfree, varnames: nfree ? [3] : [], code: RET }),
      ],
    });
    ok(serialize(p(MF_CLOSURE, 1), false));
    ok(serialize(p(MF_DEFAULTS, 0), false));
    expect(err(serialize(p(MF_DEFAULTS, 1), false))).toBe("operand out of range " + at(1));
    expect(err(serialize(p(MF_CLOSURE, 0), false))).toBe("operand out of range " + at(1));
  });

  it("unknown opcodes and instructions running past the end", () => {
    expect(err(serialize(modProg(new Uint8Array([OP_COUNT, Op.RETURN_VALUE])), false))).toBe(`unknown opcode ${OP_COUNT} ` + at(0));
    expect(err(serialize(modProg(new Uint8Array([Op.LOAD_NONE, 0xff])), false))).toBe("unknown opcode 255 " + at(1));
    expect(err(serialize(modProg(new Uint8Array([Op.LOAD_NONE, Op.LOAD_CONST])), false))).toBe(
      "instruction runs past the end " + at(1),
    );
    expect(err(serialize(modProg(new Uint8Array([Op.LOAD_NONE, Op.LOAD_CONST, 0x80])), false))).toBe(
      "instruction runs past the end " + at(1),
    );
    expect(err(serialize(modProg(new Uint8Array([Op.LOAD_NONE, Op.JUMP, 0])), false))).toBe(
      "instruction runs past the end " + at(1),
    );
  });

  it("jumps outside the code or into the middle of an instruction", () => {
    expect(err(serialize(modProg(asm([Op.JUMP, 5], [Op.LOAD_NONE], [Op.RETURN_VALUE])), false))).toBe(
      "jump out of range " + at(0),
    );
    expect(err(serialize(modProg(asm([Op.LOAD_NONE], [Op.JUMP, 9], [Op.RETURN_VALUE])), false))).toBe(
      "jump out of range " + at(1),
    );
    // into LOAD_INT's operand
    expect(err(serialize(modProg(asm([Op.LOAD_INT, 1], [Op.POP_JUMP_IF_TRUE, 1], [Op.LOAD_NONE], [Op.RETURN_VALUE])), false))).toBe(
      "jump out of range " + at(2),
    );
    // unreachable jumps are checked too
    expect(err(serialize(modProg(asm([Op.LOAD_NONE], [Op.RETURN_VALUE], [Op.JUMP, 100])), false))).toBe(
      "jump out of range " + at(2),
    );
  });

  it("stack overflow, underflow and inconsistent depths", () => {
    expect(err(serialize(modProg(asm([Op.LOAD_INT, 1], [Op.LOAD_INT, 2], [Op.BINARY_OP, 0], [Op.RETURN_VALUE])), false))).toBe(
      "stack depth out of bounds " + at(2) + " (2, stack size 1)",
    );
    expect(err(serialize(modProg(asm([Op.POP_TOP], [Op.LOAD_NONE], [Op.RETURN_VALUE])), false))).toBe(
      "stack depth out of bounds " + at(0) + " (underflow)",
    );
    // net effect 0, but ROT_TWO needs two values
    expect(err(serialize(modProg(asm([Op.LOAD_NONE], [Op.ROT_TWO], [Op.RETURN_VALUE]), { stacksize: 2 }), false))).toBe(
      "stack depth out of bounds " + at(1) + " (underflow)",
    );
    // CALL_FUNCTION 3 with only the callable
    expect(err(serialize(modProg(asm([Op.LOAD_NONE], [Op.CALL_FUNCTION, 3], [Op.RETURN_VALUE])), false))).toBe(
      "stack depth out of bounds " + at(1) + " (underflow)",
    );
    // LIST_APPEND 2 reaches below the stack
    expect(
      err(serialize(modProg(asm([Op.BUILD_LIST, 0], [Op.LOAD_INT, 1], [Op.LIST_APPEND, 2], [Op.RETURN_VALUE]), { stacksize: 2 }), false)),
    ).toBe("stack depth out of bounds " + at(4) + " (underflow)");
    // the taken branch pops two more: FOR_ITER's exhausted path with the iterator only
    expect(
      err(serialize(modProg(asm([Op.LOAD_NONE], [Op.POP_JUMP_IF_TRUE, "x"], [Op.LOAD_NONE], "x", [Op.LOAD_NONE], [Op.RETURN_VALUE]), { stacksize: 2 }), false)),
    ).toBe("inconsistent stack depth at offset 5 " + at(4));
    // an exception handler's two pushed values overflow the stack
    expect(
      err(serialize(modProg(asm([Op.SETUP_FINALLY, "h"], [Op.POP_BLOCK], [Op.LOAD_NONE], [Op.RETURN_VALUE], "h", [Op.RERAISE]), { nblocks: 1 }), false)),
    ).toBe("stack depth out of bounds " + at(0) + " (2, stack size 1)");
  });

  it("block depth out of bounds", () => {
    expect(err(serialize(modProg(asm([Op.POP_BLOCK], [Op.LOAD_NONE], [Op.RETURN_VALUE])), false))).toBe("block depth out of bounds " + at(0));
    const setup = asm([Op.SETUP_FINALLY, "h"], [Op.POP_BLOCK], [Op.LOAD_NONE], [Op.RETURN_VALUE], "h", [Op.RERAISE]);
    expect(err(serialize(modProg(setup, { stacksize: 2 }), false))).toBe("block depth out of bounds " + at(0));
    ok(serialize(modProg(setup, { stacksize: 2, nblocks: 1 }), false));
  });

  it("falling off the end", () => {
    expect(err(serialize(modProg(asm([Op.LOAD_NONE])), false))).toBe("code object 0 (<module>) falls off the end at offset 0");
    expect(err(serialize(modProg(asm([Op.LOAD_TRUE], [Op.POP_JUMP_IF_TRUE, "e"], [Op.LOAD_NONE], [Op.RETURN_VALUE], "e", [Op.NOP])), false))).toBe(
      "code object 0 (<module>) falls off the end at offset 6",
    );
    // unreachable trailing code is not executed, so it may be anything well-formed
    ok(serialize(modProg(asm([Op.LOAD_NONE], [Op.RETURN_VALUE], [Op.NOP])), false));
  });

  it("scope rules: name opcodes need a dict, yield needs a generator", () => {
    const p = (code: Uint8Array, flags: number): Program => ({
      filename: "t.py",
      names: ["<module>", "t.py", "f"],
      consts: [],
      codes: [mkCode({ code: RET }), mkCode({ name: 2, qualname: 2, flags, code })],
    });
    const load = asm([Op.LOAD_NAME, 2], [Op.RETURN_VALUE]);
    expect(err(serialize(p(load, 0), false))).toBe(`opcode ${Op.LOAD_NAME} needs a module or class body in code object 1 (f) at offset 0`);
    ok(serialize(p(load, CO_CLASS_BODY), false));
    const y = asm([Op.LOAD_NONE], [Op.YIELD_VALUE], [Op.RETURN_VALUE]);
    expect(err(serialize(p(y, 0), false))).toBe("yield outside a generator or coroutine in code object 1 (f) at offset 1");
    ok(serialize(p(y, CO_GENERATOR), false));
    ok(serialize(p(y, CO_COROUTINE), false));
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("line maps", () => {
  const p = richProgram();
  const full = ok(serialize(p, false));
  const strippedBytes = serialize(p, true);
  const stripped = ok(strippedBytes);
  const mapBytes = serializeLineMap(p);

  it("the stripped image has no line tables and says so", () => {
    expect(stripped.flags & F_STRIPPED).toBe(F_STRIPPED);
    expect(stripped.flags & F_LINES).toBe(0);
    for (let ci = 0; ci < stripped.ncodes; ci++) expect(stripped.codes[ci * CODE_FIELDS + C_LINESLEN]).toBe(0);
    let lineBytes = 0;
    for (const c of p.codes) lineBytes += c.lines.length;
    expect(strippedBytes.length).toBe(serialize(p, false).length - lineBytes);
  });

  it("gives the same line for every offset as the unstripped image", () => {
    const map = loadLineMap(mapBytes);
    if (isLoadError(map)) throw new Error(map.error);
    expect(map.imageCrc).toBe(stripped.crc);
    let checked = 0;
    for (let ci = 0; ci < full.ncodes; ci++) {
      const n = full.codes[ci * CODE_FIELDS + C_CODELEN];
      for (let off = 0; off < n; off++) {
        const want = lineFor(full, null, ci, off);
        expect(lineFor(stripped, map, ci, off)).toBe(want);
        if (want > full.codes[ci * CODE_FIELDS + C_FIRSTLINE]) checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
    // spot checks against the encodeLines input of code 1: (0,4) (8,5) (17,6) (30,100) (40,7)
    expect([0, 7, 8, 16, 17, 29, 30, 39, 40].map((o) => lineFor(full, null, 1, o))).toEqual([4, 4, 5, 5, 6, 6, 100, 100, 7]);
    expect(lineFor(full, null, 2, 0)).toBe(4); // no table: the first line
  });

  it("refuses to apply to another image, and says unknown without a map", () => {
    const other = richProgram();
    other.codes[0].firstline = 2;
    const wrong = loadLineMap(serializeLineMap(other));
    if (isLoadError(wrong)) throw new Error(wrong.error);
    expect(lineFor(stripped, wrong, 1, 8)).toBe(0);
    expect(lineFor(stripped, null, 1, 8)).toBe(0);
    expect(lineFor(stripped, null, 99, 0)).toBe(0);
  });

  it("rejects corrupt or foreign maps", () => {
    expect((loadLineMap(strippedBytes) as { error: string }).error).toBe("not an espy line map (bad magic)");
    const x = mapBytes.slice();
    x[12] ^= 4;
    expect((loadLineMap(x) as { error: string }).error).toBe("CRC mismatch: the line map is corrupt");
    for (let n = 0; n < mapBytes.length; n++) expect(isLoadError(loadLineMap(mapBytes.subarray(0, n)))).toBe(true);
  });

  it("a disassembly of the stripped image with its map shows the lines", () => {
    const map = loadLineMap(mapBytes);
    if (isLoadError(map)) throw new Error(map.error);
    const withMap = disasm(stripped, map).split("\n").slice(1);
    const original = disasm(full).split("\n").slice(1);
    expect(withMap).toEqual(original);
    expect(programOf(stripped, map).codes.map((c) => Array.from(c.lines))).toEqual(p.codes.map((c) => Array.from(c.lines)));
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("the opcode table", () => {
  it("has not changed without an IMAGE_VERSION bump", () => {
    // The hash covers what the bytecode depends on (not the docs). If this fails after editing OPCODES, bump
    // IMAGE_VERSION in core/image.ts and put the new pair here: old images must be refused, not misread.
    const rows = OPCODES.map((o) => [o.name, o.arg, o.effect, o.jumpEffect, o.block, o.terminal]);
    const hash = createHash("sha256").update(JSON.stringify(rows)).digest("hex").slice(0, 16);
    expect(
      { version: IMAGE_VERSION, hash },
      "OPCODES changed: bump IMAGE_VERSION in core/image.ts and store the new version and hash here",
    ).toEqual({ version: 1, hash: "e25f0697ab2448eb" });
  });

  it("stackNeed agrees with the stack notation of every opcode's doc", () => {
    let n = 0;
    for (let op = 0; op < OPCODES.length; op++) {
      const o = OPCODES[op];
      const left = o.doc.split("--")[0].trim();
      const toks = left ? left.split(/\s+/) : [];
      if (o.effect === VARIABLE_EFFECT || toks.some((t) => /\.\.|\[/.test(t))) continue;
      expect([o.name, stackNeed(op, 0)]).toEqual([o.name, toks.length]);
      n++;
    }
    expect(n).toBeGreaterThan(60);
    // the variable ones, from their docs
    expect(stackNeed(Op.CALL_FUNCTION, 3)).toBe(4);
    expect(stackNeed(Op.CALL_METHOD, 3)).toBe(5);
    expect(stackNeed(Op.CALL_FUNCTION_KW, 3)).toBe(5);
    expect(stackNeed(Op.CALL_FUNCTION_EX, 1)).toBe(3);
    expect(stackNeed(Op.MAKE_FUNCTION, (1 << 3) | 7)).toBe(3);
    expect(stackNeed(Op.BUILD_MAP, 2)).toBe(4);
    expect(stackNeed(Op.BUILD_TUPLE, 5)).toBe(5);
    expect(stackNeed(Op.UNPACK_SEQUENCE, 5)).toBe(1);
    expect(stackNeed(Op.UNPACK_EX, 0x0102)).toBe(1);
    expect(stackNeed(Op.RAISE_VARARGS, 2)).toBe(2);
    expect(stackNeed(Op.FORMAT_VALUE, 4)).toBe(2);
    expect(stackNeed(Op.LIST_APPEND, 2)).toBe(3);
    expect(stackNeed(Op.MAP_ADD, 1)).toBe(3);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Real programs, once the compiler exists (core/compiler.ts is written in parallel; until it lands these skip)

const compilerPath = join(__dirname, "../core/compiler.ts");
const corpusDir = join(__dirname, "../../shared/conformance/corpus/basics");
describe.runIf(existsSync(compilerPath))("compiled programs", () => {
  const sources = [
    "x = 1\nprint(x + 2)\n",
    "def f(a, b=2, *args, c, **kw):\n    return a + b\n\nclass C:\n    def m(self):\n        return super().m()\n",
    "def outer():\n    n = 0\n    def inner():\n        nonlocal n\n        n += 1\n        return n\n    return inner\n",
    "try:\n    import math\nexcept ImportError as e:\n    pass\nfinally:\n    y = [i * i for i in range(10) if i % 2]\n",
    "def g():\n    yield from range(3)\n    x = yield 1\nasync def h():\n    await g()\nwith open('f') as f:\n    z = {k: v for k, v in f}\n",
    "big = 2 ** 100\nf = 1.5e300\ns = 'h\\u00e9llo'\nb = b'\\x00'\nt = (1, 'a', (2.5, None))\n",
  ];
  const compile = async (): Promise<(src: string, file: string, mode: string, opt: number) => Program> => {
    const modPath: string = "../core/compiler";
    return (await import(/* @vite-ignore */ modPath)).compile;
  };
  /** serialize → loadImage → programOf → serialize, stripped and not; returns the image size. */
  const roundTrip = (p: Program, what: string): number => {
    const bytes = serialize(p, false);
    const img = loadImage(bytes);
    if (isLoadError(img)) throw new Error(`${what}: ${img.error}`);
    expect(canonical(programOf(img))).toEqual(canonical(p));
    expect(serialize(programOf(img), false)).toEqual(bytes);
    const stripped = loadImage(serialize(p, true));
    if (isLoadError(stripped)) throw new Error(`${what} (stripped): ${stripped.error}`);
    return bytes.length;
  };

  it("round-trip through serialize, loadImage and programOf", async () => {
    const compileFn = await compile();
    for (const src of sources) roundTrip(compileFn(src, "t.py", "exec", 0), JSON.stringify(src));
  });

  it.runIf(existsSync(corpusDir))("every program of the conformance corpus that compiles is accepted", async () => {
    const compileFn = await compile();
    let compiled = 0;
    let files = 0;
    for (const f of readdirSync(corpusDir).filter((n) => n.endsWith(".py"))) {
      files++;
      let p: Program;
      try {
        p = compileFn(readFileSync(join(corpusDir, f), "utf8"), f, "exec", 0);
      } catch {
        continue; // a SyntaxError test, or a feature the compiler lacks: not this test's business
      }
      roundTrip(p, f);
      compiled++;
    }
    expect(compiled).toBeGreaterThan(files * 0.8);
  });
});

// keep otherwise-unused imports honest for the type checker
void lineAt;
void C_CODE;
