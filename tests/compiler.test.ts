// The bytecode compiler: instruction sequences of representative constructs (through a tiny test-only
// disassembler over OPCODES), syntax errors with CPython's messages, and an independent consistency check run on
// every compiled program (stack depths on every path, jump targets, operand ranges, exact stacksize/nblocks). Last,
// every file of the conformance corpus is compiled and judged against CPython 3.11's own compile().

import { describe, it, expect } from "vitest";
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { execFileSync } from "node:child_process";
import { compile, compileAst } from "../core/compiler";
import { parse } from "../core/parser";
import { CompileError, isCompileError } from "../core/errors";
import { OPCODES, Arg, MF_CLOSURE } from "../core/opcodes";
import { Op } from "../core/generated/op";
import { opArg, opBlockEffect, opTerminal, stackEffect } from "../core/opinfo";
import { lineAt } from "../core/linetable";
import { serialize, loadImage, isLoadError, stackNeed } from "../core/image";
import {
  Program,
  CodeObject,
  Const,
  CO_MODULE,
  CO_CLASS_BODY,
  CO_GENERATOR,
  CO_COROUTINE,
  CO_ASYNC_GENERATOR,
  CO_VARARGS,
  CO_VARKEYWORDS,
  CO_NESTED,
} from "../core/code";
import { Module, Stmt, Expr } from "../core/ast";

// ---------------------------------------------------------------------------------------------------------------
// Test helpers

/** UTF-8 text → byte string (one char per byte), as the compiler takes it. */
function bytesOf(s: string): string {
  const b = Buffer.from(s, "utf8");
  let r = "";
  for (let i = 0; i < b.length; i++) r += String.fromCharCode(b[i]);
  return r;
}

interface Ins {
  at: number;
  op: number;
  arg: number;
  size: number;
}

function decode(co: CodeObject): Ins[] {
  const b = co.code;
  const out: Ins[] = [];
  let pc = 0;
  while (pc < b.length) {
    const at = pc;
    const op = b[pc++];
    if (op >= OPCODES.length) throw new Error("bad opcode " + op + " at " + at);
    const k = opArg(op);
    let arg = 0;
    if (k === Arg.JUMP) {
      arg = b[pc] | (b[pc + 1] << 8);
      pc += 2;
    } else if (k !== Arg.NONE) {
      let s = 1;
      let x: number;
      do {
        x = b[pc++];
        arg += (x & 127) * s;
        s *= 128;
      } while (x & 128);
      if (k === Arg.SINT) arg = arg & 1 ? -(arg + 1) / 2 : arg / 2;
    }
    out.push({ at: at, op: op, arg: arg, size: pc - at });
  }
  return out;
}

function constRepr(p: Program, i: number): string {
  const k: Const = p.consts[i];
  switch (k.t) {
    case "str":
      return "'" + k.v + "'";
    case "bytes":
      return "b'" + k.v + "'";
    case "int":
    case "bigint":
      return String(k.v);
    case "float":
      return Object.is(k.v, -0) ? "-0.0" : Number.isInteger(k.v) ? k.v + ".0" : String(k.v);
    case "ellipsis":
      return "...";
    case "tuple":
      return "(" + k.v.map((j) => constRepr(p, j)).join(", ") + (k.v.length === 1 ? ",)" : ")");
  }
}

/** One line per instruction: `NAME operand`, operands resolved (names, constants, variables, code, @target). */
function dis(p: Program, co: CodeObject): string[] {
  return decode(co).map((ins) => {
    const info = OPCODES[ins.op];
    let s = info.name;
    switch (info.arg) {
      case Arg.NONE:
        break;
      case Arg.NAME:
        s += " " + p.names[ins.arg];
        break;
      case Arg.CONST:
        s += " " + constRepr(p, ins.arg);
        break;
      case Arg.LOCAL:
      case Arg.DEREF:
        s += " " + p.names[co.varnames[ins.arg]];
        break;
      case Arg.FUNC:
        s += " " + p.names[p.codes[ins.arg >> 3].qualname] + (ins.arg & 7 ? "/" + (ins.arg & 7) : "");
        break;
      case Arg.JUMP:
        s += " @" + ins.arg;
        break;
      default:
        s += " " + ins.arg;
    }
    return s;
  });
}

/** Like dis, but jump targets become the index of the target instruction (stable under operand-size changes). */
function disI(p: Program, co: CodeObject): string[] {
  const ins = decode(co);
  const idx: { [at: number]: number } = {};
  ins.forEach((x, i) => (idx[x.at] = i));
  return dis(p, co).map((s, i) => (opArg(ins[i].op) === Arg.JUMP ? s.replace(/@\d+$/, "->" + idx[ins[i].arg]) : s));
}

/**
 * The consistency check, independent of the emitter: every instruction decodes, operands are in range, jumps land
 * on instruction starts, the stack depth along every path stays within [needed pops, stacksize] and agrees where
 * paths meet, block depth within nblocks, no path falls off the end, every instruction is reachable, and the
 * recorded stacksize and nblocks are exactly the maxima reached. Then the image loader verifies it too.
 */
function check(p: Program): void {
  expect(p.names).toContain(p.filename);
  expect(new Set(p.names).size).toBe(p.names.length);
  p.consts.forEach((k, i) => {
    if (k.t === "tuple") for (const j of k.v) expect(j).toBeLessThan(i);
    if (k.t === "int") expect(Number.isSafeInteger(k.v)).toBe(true);
  });
  p.codes.forEach((co, ci) => checkCode(p, co, ci));
  const img = loadImage(serialize(p, false));
  if (isLoadError(img)) throw new Error("image verifier: " + img.error);
}

function checkCode(p: Program, co: CodeObject, ci: number): void {
  const where = (at: number) => `code ${ci} (${p.names[co.qualname]}) at ${at}`;
  expect(co.varnames.length).toBe(co.nlocals + co.ncells + co.nfree);
  expect(co.code.length).toBeLessThanOrEqual(65535);
  const ins = decode(co);
  const byAt = new Map<number, number>();
  ins.forEach((x, i) => byAt.set(x.at, i));
  const nslots = co.nlocals + co.ncells + co.nfree;
  const isGen = (co.flags & (CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR)) !== 0;
  const nameScope = (co.flags & (CO_MODULE | CO_CLASS_BODY)) !== 0;
  for (const x of ins) {
    const k = opArg(x.op);
    const ok =
      k === Arg.NAME
        ? x.arg < p.names.length
        : k === Arg.CONST
          ? x.arg < p.consts.length
          : k === Arg.LOCAL
            ? x.arg < co.nlocals
            : k === Arg.DEREF
              ? x.arg >= co.nlocals && x.arg < nslots
              : k === Arg.FUNC
                ? (x.arg >> 3) > ci && (x.arg >> 3) < p.codes.length &&
                  ((x.arg & MF_CLOSURE) !== 0) === p.codes[x.arg >> 3].nfree > 0
                : k === Arg.JUMP
                  ? byAt.has(x.arg)
                  : true;
    if (!ok) throw new Error("operand out of range " + where(x.at) + ": " + OPCODES[x.op].name + " " + x.arg);
    if ([Op.LOAD_NAME, Op.STORE_NAME, Op.DELETE_NAME, Op.LOAD_CLASSDEREF, Op.IMPORT_STAR].includes(x.op) && !nameScope)
      throw new Error("NAME op outside a module or class body " + where(x.at));
    if ((x.op === Op.YIELD_VALUE || x.op === Op.YIELD_FROM) && !isGen) throw new Error("yield in a plain function " + where(x.at));
  }
  // flow analysis
  const depth = new Array<number>(ins.length).fill(-1);
  const blocks = new Array<number>(ins.length).fill(-1);
  const work: number[] = [];
  let maxD = 0;
  let maxB = 0;
  const reach = (i: number, d: number, b: number, from: number) => {
    if (i >= ins.length) throw new Error("falls off the end " + where(from));
    if (d > co.stacksize) throw new Error(`depth ${d} > stacksize ${co.stacksize} ` + where(ins[i].at));
    if (b > co.nblocks || b < 0) throw new Error(`block depth ${b} out of [0, ${co.nblocks}] ` + where(ins[i].at));
    maxD = Math.max(maxD, d);
    maxB = Math.max(maxB, b);
    if (depth[i] < 0) {
      depth[i] = d;
      blocks[i] = b;
      work.push(i);
    } else if (depth[i] !== d || blocks[i] !== b)
      throw new Error(`paths disagree: ${depth[i]}/${blocks[i]} vs ${d}/${b} ` + where(ins[i].at));
  };
  reach(0, 0, 0, 0);
  while (work.length) {
    const i = work.pop()!;
    const x = ins[i];
    const d = depth[i];
    if (d < stackNeed(x.op, x.arg)) throw new Error("stack underflow " + where(x.at) + " " + OPCODES[x.op].name);
    const nb = blocks[i] + opBlockEffect(x.op);
    if (!opTerminal(x.op)) reach(i + 1, d + stackEffect(x.op, x.arg, false), nb, x.at);
    if (opArg(x.op) === Arg.JUMP) reach(byAt.get(x.arg)!, d + stackEffect(x.op, x.arg, true), nb, x.at);
  }
  const dead = depth.findIndex((d) => d < 0);
  if (dead >= 0) throw new Error("unreachable instruction " + where(ins[dead].at));
  expect(co.stacksize, "stacksize of " + where(0)).toBe(maxD);
  expect(co.nblocks, "nblocks of " + where(0)).toBe(maxB);
}

function comp(src: string, mode: "exec" | "eval" | "single" = "exec", optimize = 0): Program {
  const p = compile(bytesOf(src), "t.py", mode, optimize);
  check(p);
  return p;
}

function code(p: Program, qualname: string): CodeObject {
  const co = p.codes.find((c) => p.names[c.qualname] === qualname);
  if (!co) throw new Error("no code object " + qualname + " in " + p.codes.map((c) => p.names[c.qualname]));
  return co;
}

/** The listing of one code object of a compiled source (module by default). */
function listing(src: string, qualname = "<module>", mode: "exec" | "eval" | "single" = "exec", optimize = 0): string[] {
  const p = comp(src, mode, optimize);
  return disI(p, code(p, qualname));
}

function syntaxError(src: string, mode: "exec" | "eval" | "single" = "exec"): CompileError {
  try {
    compile(bytesOf(src), "t.py", mode, 0);
  } catch (e) {
    if (isCompileError(e)) return e;
    throw e;
  }
  throw new Error("no error for: " + src);
}

function dedent(s: string): string {
  const lines = s.replace(/^\n/, "").split("\n");
  const ind = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(ind)).join("\n");
}

// ---------------------------------------------------------------------------------------------------------------
// Sequences

describe("constants", () => {
  it("uses LOAD_INT for small ints, the table for the rest, opcodes for None/True/False", () => {
    expect(listing("x = 5\nx = -7\nx = 1073741823\nx = 1073741824\nx = -1073741824\nx = -1073741825")).toEqual([
      "LOAD_INT 5", "STORE_NAME x", "LOAD_INT -7", "STORE_NAME x", "LOAD_INT 1073741823", "STORE_NAME x",
      "LOAD_CONST 1073741824", "STORE_NAME x", "LOAD_INT -1073741824", "STORE_NAME x", "LOAD_CONST -1073741825",
      "STORE_NAME x", "LOAD_NONE", "RETURN_VALUE",
    ]);
    expect(listing("x = None, True\nx = None\nx = False\nx = ...")).toEqual([
      "LOAD_NONE", "LOAD_TRUE", "BUILD_TUPLE 2", "STORE_NAME x", "LOAD_NONE", "STORE_NAME x", "LOAD_FALSE",
      "STORE_NAME x", "LOAD_CONST ...", "STORE_NAME x", "LOAD_NONE", "RETURN_VALUE",
    ]);
  });

  it("stores big ints exactly and folds unary minus on literals", () => {
    const p = comp("a = 9007199254740991\nb = 9007199254740992\nc = -123456789012345678901234567890\nd = --5\ne = -2.5");
    expect(p.consts).toContainEqual({ t: "int", v: 9007199254740991 });
    expect(p.consts).toContainEqual({ t: "bigint", v: "9007199254740992" });
    expect(p.consts).toContainEqual({ t: "bigint", v: "-123456789012345678901234567890" });
    expect(p.consts).toContainEqual({ t: "float", v: -2.5 });
    expect(disI(p, p.codes[0])).toContain("LOAD_INT 5");
    expect(disI(p, p.codes[0]).filter((s) => s.startsWith("UNARY_OP"))).toEqual([]);
  });

  it("stores equal constants once, but keeps 1 / 1.0 and 0.0 / -0.0 apart", () => {
    const p = comp("a = 'x'\nb = 'x'\nc = 2.0\nd = 2.0\ne = 0.0\nf = -0.0\ng = 3000000000\nh = 3e9\nt = (1, 'x')\nu = (1, 'x')");
    expect(p.consts.filter((k) => k.t === "str" && k.v === "x").length).toBe(1);
    expect(p.consts.filter((k) => k.t === "float" && k.v === 2).length).toBe(1);
    const zeros = p.consts.filter((k) => k.t === "float" && k.v === 0).map((k) => (k.t === "float" ? 1 / k.v : 0));
    expect(zeros.sort()).toEqual([-Infinity, Infinity]);
    expect(p.consts).toContainEqual({ t: "int", v: 3000000000 });
    expect(p.consts).toContainEqual({ t: "float", v: 3000000000 });
    expect(p.consts.filter((k) => k.t === "tuple").length).toBe(1);
    expect(p.names.filter((n) => n === "a").length).toBe(1);
  });

  it("folds tuples of constants (nested too), but not ones holding None or names", () => {
    expect(listing("x = (1, (2.5, 'a'), -3, b'z')\ny = ()\nz = (None, 1)\nw = (a, 1)")).toEqual([
      "LOAD_CONST (1, (2.5, 'a'), -3, b'z')", "STORE_NAME x", "LOAD_CONST ()", "STORE_NAME y", "LOAD_NONE", "LOAD_INT 1",
      "BUILD_TUPLE 2", "STORE_NAME z", "LOAD_NAME a", "LOAD_INT 1", "BUILD_TUPLE 2", "STORE_NAME w", "LOAD_NONE",
      "RETURN_VALUE",
    ]);
  });

  it("builds constant lists and sets from one tuple constant", () => {
    expect(listing("x = [1, 2, 3]\ny = {1, 2, 3}\nz = [1, 2]")).toEqual([
      "BUILD_LIST 0", "LOAD_CONST (1, 2, 3)", "LIST_EXTEND 1", "STORE_NAME x", "BUILD_SET 0", "LOAD_CONST (1, 2, 3)",
      "SET_UPDATE 1", "STORE_NAME y", "LOAD_INT 1", "LOAD_INT 2", "BUILD_LIST 2", "STORE_NAME z", "LOAD_NONE",
      "RETURN_VALUE",
    ]);
  });

  it("compiles no docstrings or other constant statements", () => {
    expect(listing('"""doc"""\n1\n(1, 2)\n-3\n...\nNone\n')).toEqual(["LOAD_NONE", "RETURN_VALUE"]);
    const p = comp('def f():\n    "doc"\n    return 1\nclass C:\n    "doc"\n');
    expect(p.consts.some((k) => k.t === "str" && k.v === "doc")).toBe(false);
  });
});

describe("expressions", () => {
  it("compiles operators, short-circuits and conditional expressions", () => {
    expect(listing("x = -a + b * ~c\ny = not a\nz = a and b or c\nw = a if b else c")).toEqual([
      "LOAD_NAME a", "UNARY_OP 0", "LOAD_NAME b", "LOAD_NAME c", "UNARY_OP 2", "BINARY_OP 2", "BINARY_OP 0",
      "STORE_NAME x", "LOAD_NAME a", "UNARY_OP 3", "STORE_NAME y", "LOAD_NAME a", "JUMP_IF_FALSE_OR_POP ->14",
      "LOAD_NAME b", "JUMP_IF_TRUE_OR_POP ->16", "LOAD_NAME c", "STORE_NAME z", "LOAD_NAME b",
      "POP_JUMP_IF_FALSE ->21", "LOAD_NAME a", "JUMP ->22", "LOAD_NAME c", "STORE_NAME w", "LOAD_NONE", "RETURN_VALUE",
    ]);
  });

  it("chains comparisons with DUP_TOP / ROT_THREE and a cleanup", () => {
    expect(listing("x = a < b <= c")).toEqual([
      "LOAD_NAME a", "LOAD_NAME b", "DUP_TOP", "ROT_THREE", "COMPARE_OP 0", "JUMP_IF_FALSE_OR_POP ->9", "LOAD_NAME c",
      "COMPARE_OP 1", "JUMP ->11", "ROT_TWO", "POP_TOP", "STORE_NAME x", "LOAD_NONE", "RETURN_VALUE",
    ]);
    expect(listing("x = a is not b\ny = a not in b\nz = a in b\nw = a is b")).toEqual([
      "LOAD_NAME a", "LOAD_NAME b", "IS_OP 1", "STORE_NAME x", "LOAD_NAME a", "LOAD_NAME b", "CONTAINS_OP 1",
      "STORE_NAME y", "LOAD_NAME a", "LOAD_NAME b", "CONTAINS_OP 0", "STORE_NAME z", "LOAD_NAME a", "LOAD_NAME b",
      "IS_OP 0", "STORE_NAME w", "LOAD_NONE", "RETURN_VALUE",
    ]);
  });

  it("jumps on conditions without building bools (not, and/or, chained comparisons)", () => {
    expect(listing("if not a and (b or c): x()")).toEqual([
      "LOAD_NAME a", "POP_JUMP_IF_TRUE ->9", "LOAD_NAME b", "POP_JUMP_IF_TRUE ->6", "LOAD_NAME c",
      "POP_JUMP_IF_FALSE ->9", "LOAD_NAME x", "CALL_FUNCTION 0", "POP_TOP", "LOAD_NONE", "RETURN_VALUE",
    ]);
    expect(listing("if a < b < c: x()")).toEqual([
      "LOAD_NAME a", "LOAD_NAME b", "DUP_TOP", "ROT_THREE", "COMPARE_OP 0", "POP_JUMP_IF_FALSE ->10", "LOAD_NAME c",
      "COMPARE_OP 0", "POP_JUMP_IF_FALSE ->15", "JUMP ->12", "POP_TOP", "JUMP ->15", "LOAD_NAME x", "CALL_FUNCTION 0",
      "POP_TOP", "LOAD_NONE", "RETURN_VALUE",
    ]);
  });

  it("builds f-strings with FORMAT_VALUE and BUILD_STRING", () => {
    expect(listing("s = f'a{x!r:>{w}}b{y}'")).toEqual([
      "LOAD_CONST 'a'", "LOAD_NAME x", "LOAD_CONST '>'", "LOAD_NAME w", "FORMAT_VALUE 0", "BUILD_STRING 2",
      "FORMAT_VALUE 6", "LOAD_CONST 'b'", "LOAD_NAME y", "FORMAT_VALUE 0", "BUILD_STRING 4", "STORE_NAME s",
      "LOAD_NONE", "RETURN_VALUE",
    ]);
    expect(listing("s = f'{x}'")).toEqual(["LOAD_NAME x", "FORMAT_VALUE 0", "STORE_NAME s", "LOAD_NONE", "RETURN_VALUE"]);
  });

  it("builds slices and subscripts", () => {
    expect(listing("x = a[1:2]\ny = a[::3]\nz = a[1:2, 3]\na[i] = v")).toEqual([
      "LOAD_NAME a", "LOAD_INT 1", "LOAD_INT 2", "BUILD_SLICE 2", "BINARY_SUBSCR", "STORE_NAME x", "LOAD_NAME a",
      "LOAD_NONE", "LOAD_NONE", "LOAD_INT 3", "BUILD_SLICE 3", "BINARY_SUBSCR", "STORE_NAME y", "LOAD_NAME a",
      "LOAD_INT 1", "LOAD_INT 2", "BUILD_SLICE 2", "LOAD_INT 3", "BUILD_TUPLE 2", "BINARY_SUBSCR", "STORE_NAME z",
      "LOAD_NAME v", "LOAD_NAME a", "LOAD_NAME i", "STORE_SUBSCR", "LOAD_NONE", "RETURN_VALUE",
    ]);
  });

  it("builds displays with stars and dict merges in order", () => {
    expect(listing("x = [a, *b, c]\ny = (*a, b)\nz = {a: 1, **m, b: 2}\ns = {*a, b}")).toEqual([
      "LOAD_NAME a", "BUILD_LIST 1", "LOAD_NAME b", "LIST_EXTEND 1", "LOAD_NAME c", "LIST_APPEND 1", "STORE_NAME x",
      "BUILD_LIST 0", "LOAD_NAME a", "LIST_EXTEND 1", "LOAD_NAME b", "LIST_APPEND 1", "LIST_TO_TUPLE", "STORE_NAME y",
      "LOAD_NAME a", "LOAD_INT 1", "BUILD_MAP 1", "LOAD_NAME m", "DICT_UPDATE 1", "LOAD_NAME b", "LOAD_INT 2",
      "BUILD_MAP 1", "DICT_UPDATE 1", "STORE_NAME z", "BUILD_SET 0", "LOAD_NAME a", "SET_UPDATE 1", "LOAD_NAME b",
      "SET_ADD 1", "STORE_NAME s", "LOAD_NONE", "RETURN_VALUE",
    ]);
    expect(listing("d = {}\ne = {**m}")).toEqual([
      "BUILD_MAP 0", "STORE_NAME d", "BUILD_MAP 0", "LOAD_NAME m", "DICT_UPDATE 1", "STORE_NAME e", "LOAD_NONE",
      "RETURN_VALUE",
    ]);
  });

  it("uses __debug__ as a constant", () => {
    expect(listing("x = __debug__")).toEqual(["LOAD_TRUE", "STORE_NAME x", "LOAD_NONE", "RETURN_VALUE"]);
    expect(listing("x = __debug__", "<module>", "exec", 1)).toEqual(["LOAD_FALSE", "STORE_NAME x", "LOAD_NONE", "RETURN_VALUE"]);
    expect(listing("if __debug__: f()", "<module>", "exec", 1)).toEqual(["LOAD_NONE", "RETURN_VALUE"]);
  });

  it("compiles the walrus as value; DUP_TOP; store", () => {
    expect(listing("if (n := f()) > 1: pass")).toEqual([
      "LOAD_NAME f", "CALL_FUNCTION 0", "DUP_TOP", "STORE_NAME n", "LOAD_INT 1", "COMPARE_OP 4",
      "POP_JUMP_IF_FALSE ->7", "LOAD_NONE", "RETURN_VALUE",
    ]);
  });
});

describe("calls", () => {
  it("uses LOAD_METHOD / CALL_METHOD for plain method calls", () => {
    expect(listing("o.m(1, x)")).toEqual([
      "LOAD_NAME o", "LOAD_METHOD m", "LOAD_INT 1", "LOAD_NAME x", "CALL_METHOD 2", "POP_TOP", "LOAD_NONE", "RETURN_VALUE",
    ]);
    // keywords or stars: an ordinary attribute load and call
    expect(listing("o.m(k=1)")[1]).toBe("LOAD_ATTR m");
  });

  it("passes keywords with a constant tuple of names", () => {
    expect(listing("f(1, a=2, b=x)")).toEqual([
      "LOAD_NAME f", "LOAD_INT 1", "LOAD_INT 2", "LOAD_NAME x", "LOAD_CONST ('a', 'b')", "CALL_FUNCTION_KW 3", "POP_TOP",
      "LOAD_NONE", "RETURN_VALUE",
    ]);
  });

  it("builds an argument tuple and one merged dict for CALL_FUNCTION_EX, in source order", () => {
    expect(listing("f(*a)")).toEqual([
      "LOAD_NAME f", "BUILD_LIST 0", "LOAD_NAME a", "LIST_EXTEND 1", "LIST_TO_TUPLE", "CALL_FUNCTION_EX 0", "POP_TOP",
      "LOAD_NONE", "RETURN_VALUE",
    ]);
    expect(listing("f(x, *a, y, *b, k=1, **m, j=2, **n)")).toEqual([
      "LOAD_NAME f", "LOAD_NAME x", "BUILD_LIST 1", "LOAD_NAME a", "LIST_EXTEND 1", "LOAD_NAME y", "LIST_APPEND 1",
      "LOAD_NAME b", "LIST_EXTEND 1", "LIST_TO_TUPLE", "LOAD_CONST 'k'", "LOAD_INT 1", "BUILD_MAP 1", "LOAD_NAME m",
      "DICT_MERGE 1", "LOAD_CONST 'j'", "LOAD_INT 2", "BUILD_MAP 1", "DICT_MERGE 1", "LOAD_NAME n", "DICT_MERGE 1",
      "CALL_FUNCTION_EX 1", "POP_TOP", "LOAD_NONE", "RETURN_VALUE",
    ]);
    expect(listing("f(x, **m)")).toEqual([
      "LOAD_NAME f", "LOAD_NAME x", "BUILD_TUPLE 1", "BUILD_MAP 0", "LOAD_NAME m", "DICT_MERGE 1",
      "CALL_FUNCTION_EX 1", "POP_TOP", "LOAD_NONE", "RETURN_VALUE",
    ]);
  });
});

describe("assignment", () => {
  it("unpacks with UNPACK_SEQUENCE / UNPACK_EX and nests", () => {
    expect(listing("a, *b, c, d = x\n[e, (f, g)] = y\n*h, = z")).toEqual([
      "LOAD_NAME x", "UNPACK_EX " + (1 | (2 << 8)), "STORE_NAME a", "STORE_NAME b", "STORE_NAME c", "STORE_NAME d",
      "LOAD_NAME y", "UNPACK_SEQUENCE 2", "STORE_NAME e", "UNPACK_SEQUENCE 2", "STORE_NAME f", "STORE_NAME g",
      "LOAD_NAME z", "UNPACK_EX 0", "STORE_NAME h", "LOAD_NONE", "RETURN_VALUE",
    ]);
  });

  it("chains targets with DUP_TOP and swaps small tuples with ROT_*", () => {
    expect(listing("a = b.c = d[0] = v\nx, y = y, x\nx, y, z = z, y, x")).toEqual([
      "LOAD_NAME v", "DUP_TOP", "STORE_NAME a", "DUP_TOP", "LOAD_NAME b", "STORE_ATTR c", "LOAD_NAME d", "LOAD_INT 0",
      "STORE_SUBSCR", "LOAD_NAME y", "LOAD_NAME x", "ROT_TWO", "STORE_NAME x", "STORE_NAME y", "LOAD_NAME z",
      "LOAD_NAME y", "LOAD_NAME x", "ROT_THREE", "ROT_TWO", "STORE_NAME x", "STORE_NAME y", "STORE_NAME z",
      "LOAD_NONE", "RETURN_VALUE",
    ]);
  });

  it("evaluates the container and key of an augmented assignment once", () => {
    expect(listing("x += 1\no.a -= 2\nd[k] *= 3\nd[i:j] //= 4")).toEqual([
      "LOAD_NAME x", "LOAD_INT 1", "BINARY_OP 16", "STORE_NAME x", "LOAD_NAME o", "DUP_TOP", "LOAD_ATTR a", "LOAD_INT 2",
      "BINARY_OP 17", "ROT_TWO", "STORE_ATTR a", "LOAD_NAME d", "LOAD_NAME k", "DUP_TOP_TWO", "BINARY_SUBSCR",
      "LOAD_INT 3", "BINARY_OP 18", "ROT_THREE", "STORE_SUBSCR", "LOAD_NAME d", "LOAD_NAME i", "LOAD_NAME j",
      "BUILD_SLICE 2", "DUP_TOP_TWO", "BINARY_SUBSCR", "LOAD_INT 4", "BINARY_OP 21", "ROT_THREE", "STORE_SUBSCR",
      "LOAD_NONE", "RETURN_VALUE",
    ]);
  });

  it("deletes every target kind", () => {
    expect(listing("del a, b.c, d[e], (f, [g])")).toEqual([
      "DELETE_NAME a", "LOAD_NAME b", "DELETE_ATTR c", "LOAD_NAME d", "LOAD_NAME e", "DELETE_SUBSCR", "DELETE_NAME f",
      "DELETE_NAME g", "LOAD_NONE", "RETURN_VALUE",
    ]);
    expect(listing("def f(x):\n    global g\n    y = 1\n    del x, y, g\n    def h(): return z\n    z = 1\n    del z", "f")).toEqual([
      "LOAD_INT 1", "STORE_FAST y", "DELETE_FAST x", "DELETE_FAST y", "DELETE_GLOBAL g", "LOAD_CLOSURE z",
      "BUILD_TUPLE 1", "MAKE_FUNCTION f.<locals>.h/4", "STORE_FAST h", "LOAD_INT 1", "STORE_DEREF z", "DELETE_DEREF z",
      "LOAD_NONE", "RETURN_VALUE",
    ]);
  });

  it("binds annotated names without evaluating annotations", () => {
    expect(listing("x: int = 1\ny: List[int]\no.a: int\nd[k]: str")).toEqual([
      "LOAD_INT 1", "STORE_NAME x", "LOAD_NAME o", "POP_TOP", "LOAD_NAME d", "POP_TOP", "LOAD_NAME k", "POP_TOP",
      "LOAD_NONE", "RETURN_VALUE",
    ]);
    const p = comp("def f():\n    x: int\n    return x");
    expect(disI(p, code(p, "f"))).toEqual(["LOAD_FAST x", "RETURN_VALUE"]);
    expect(p.names).not.toContain("int");
  });
});

describe("control flow", () => {
  it("compiles if/elif/else and drops the branch a constant test never takes", () => {
    expect(listing("if a:\n    f()\nelif b:\n    g()\nelse:\n    h()")).toEqual([
      "LOAD_NAME a", "POP_JUMP_IF_FALSE ->6", "LOAD_NAME f", "CALL_FUNCTION 0", "POP_TOP", "JUMP ->15", "LOAD_NAME b",
      "POP_JUMP_IF_FALSE ->12", "LOAD_NAME g", "CALL_FUNCTION 0", "POP_TOP", "JUMP ->15", "LOAD_NAME h",
      "CALL_FUNCTION 0", "POP_TOP", "LOAD_NONE", "RETURN_VALUE",
    ]);
    expect(listing("if 0:\n    f()\nelse:\n    g()\nif 'x':\n    h()\nelse:\n    k()")).toEqual([
      "LOAD_NAME g", "CALL_FUNCTION 0", "POP_TOP", "LOAD_NAME h", "CALL_FUNCTION 0", "POP_TOP", "LOAD_NONE", "RETURN_VALUE",
    ]);
  });

  it("compiles while loops, with break, continue and else", () => {
    expect(listing("while a:\n    if b: break\n    if c: continue\nelse:\n    f()")).toEqual([
      "LOAD_NAME a", "POP_JUMP_IF_FALSE ->9", "LOAD_NAME b", "POP_JUMP_IF_FALSE ->5", "JUMP ->12", "LOAD_NAME c",
      "POP_JUMP_IF_FALSE ->8", "JUMP ->0", "JUMP ->0", "LOAD_NAME f", "CALL_FUNCTION 0", "POP_TOP", "LOAD_NONE",
      "RETURN_VALUE",
    ]);
    // `while True:` has no test; nothing after it is reachable without a break
    expect(listing("while True:\n    f()\ng()")).toEqual(["LOAD_NAME f", "CALL_FUNCTION 0", "POP_TOP", "JUMP ->0"]);
    expect(listing("while 0:\n    f()\nelse:\n    g()")).toEqual(["LOAD_NAME g", "CALL_FUNCTION 0", "POP_TOP", "LOAD_NONE", "RETURN_VALUE"]);
  });

  it("compiles for loops; break pops the iterator", () => {
    expect(listing("for i in x:\n    if i: break\nelse:\n    f()")).toEqual([
      "LOAD_NAME x", "GET_ITER", "FOR_ITER ->9", "STORE_NAME i", "LOAD_NAME i", "POP_JUMP_IF_FALSE ->8", "POP_TOP",
      "JUMP ->12", "JUMP ->2", "LOAD_NAME f", "CALL_FUNCTION 0", "POP_TOP", "LOAD_NONE", "RETURN_VALUE",
    ]);
  });

  it("compiles try/except per the design: prev exc on entry, POP_EXCEPT, name cleared", () => {
    expect(listing("try:\n    f()\nexcept E as e:\n    g(e)\nexcept:\n    h()\nelse:\n    k()")).toEqual([
      "SETUP_FINALLY ->6", "LOAD_NAME f", "CALL_FUNCTION 0", "POP_TOP", "POP_BLOCK", "JUMP ->25",
      // handler: prev exc on the stack
      "DUP_TOP", "LOAD_NAME E", "JUMP_IF_NOT_EXC_MATCH ->19", "STORE_NAME e", "LOAD_NAME g", "LOAD_NAME e",
      "CALL_FUNCTION 1", "POP_TOP", "POP_EXCEPT", "LOAD_NONE", "STORE_NAME e", "DELETE_NAME e", "JUMP ->28",
      // bare except: the last clause, so no RERAISE is reachable after it
      "POP_TOP", "LOAD_NAME h", "CALL_FUNCTION 0", "POP_TOP", "POP_EXCEPT", "JUMP ->28",
      "LOAD_NAME k", "CALL_FUNCTION 0", "POP_TOP", "LOAD_NONE", "RETURN_VALUE",
    ]);
    expect(listing("try:\n    f()\nexcept E:\n    pass")).toEqual([
      "SETUP_FINALLY ->6", "LOAD_NAME f", "CALL_FUNCTION 0", "POP_TOP", "POP_BLOCK", "JUMP ->13", "DUP_TOP",
      "LOAD_NAME E", "JUMP_IF_NOT_EXC_MATCH ->12", "POP_TOP", "POP_EXCEPT", "JUMP ->13", "RERAISE", "LOAD_NONE",
      "RETURN_VALUE",
    ]);
  });

  it("compiles try/finally with the finally body twice", () => {
    expect(listing("try:\n    f()\nfinally:\n    g()")).toEqual([
      "SETUP_FINALLY ->9", "LOAD_NAME f", "CALL_FUNCTION 0", "POP_TOP", "POP_BLOCK", "LOAD_NAME g", "CALL_FUNCTION 0",
      "POP_TOP", "JUMP ->13", "LOAD_NAME g", "CALL_FUNCTION 0", "POP_TOP", "RERAISE", "LOAD_NONE", "RETURN_VALUE",
    ]);
  });

  it("compiles with per the design", () => {
    expect(listing("with m as v:\n    f()")).toEqual([
      "LOAD_NAME m", "SETUP_WITH ->13", "STORE_NAME v", "LOAD_NAME f", "CALL_FUNCTION 0", "POP_TOP", "POP_BLOCK",
      "LOAD_NONE", "DUP_TOP", "DUP_TOP", "CALL_FUNCTION 3", "POP_TOP", "JUMP ->19", "WITH_EXCEPT_START",
      "POP_JUMP_IF_TRUE ->16", "RERAISE", "POP_TOP", "POP_EXCEPT", "POP_TOP", "LOAD_NONE", "RETURN_VALUE",
    ]);
  });

  it("leaves handlers, finally and with blocks statically on return, break and continue", () => {
    const src = dedent(`
      def f(x):
          for i in x:
              try:
                  with m:
                      if i: return g(i)
                      if i: break
              except E:
                  continue
              finally:
                  h()
    `);
    expect(listing(src, "f")).toEqual([
      "LOAD_FAST x", "GET_ITER", "FOR_ITER ->80", "STORE_FAST i", "SETUP_FINALLY ->75", "SETUP_FINALLY ->59",
      "LOAD_GLOBAL m", "SETUP_WITH ->51", "POP_TOP", "LOAD_FAST i", "POP_JUMP_IF_FALSE ->29",
      // return g(i): the value stays on top while the with exits, the try blocks pop, finally runs, the iterator goes
      "LOAD_GLOBAL g", "LOAD_FAST i", "CALL_FUNCTION 1", "POP_BLOCK", "ROT_TWO", "LOAD_NONE", "DUP_TOP", "DUP_TOP",
      "CALL_FUNCTION 3", "POP_TOP", "POP_BLOCK", "POP_BLOCK", "LOAD_GLOBAL h", "CALL_FUNCTION 0", "POP_TOP", "ROT_TWO",
      "POP_TOP", "RETURN_VALUE",
      // break: the same without a value, then out of the loop
      "LOAD_FAST i", "POP_JUMP_IF_FALSE ->44", "POP_BLOCK", "LOAD_NONE", "DUP_TOP", "DUP_TOP", "CALL_FUNCTION 3",
      "POP_TOP", "POP_BLOCK", "POP_BLOCK", "LOAD_GLOBAL h", "CALL_FUNCTION 0", "POP_TOP", "POP_TOP", "JUMP ->80",
      // end of the with body, and its exceptional exit
      "POP_BLOCK", "LOAD_NONE", "DUP_TOP", "DUP_TOP", "CALL_FUNCTION 3", "POP_TOP", "JUMP ->57", "WITH_EXCEPT_START",
      "POP_JUMP_IF_TRUE ->54", "RERAISE", "POP_TOP", "POP_EXCEPT", "POP_TOP", "POP_BLOCK", "JUMP ->70",
      // except E: continue (leave the handler, then the try/finally with a copy of the finally body)
      "DUP_TOP", "LOAD_GLOBAL E", "JUMP_IF_NOT_EXC_MATCH ->69", "POP_TOP", "POP_EXCEPT", "POP_BLOCK", "LOAD_GLOBAL h",
      "CALL_FUNCTION 0", "POP_TOP", "JUMP ->2", "RERAISE",
      // finally, normal and exceptional
      "POP_BLOCK", "LOAD_GLOBAL h", "CALL_FUNCTION 0", "POP_TOP", "JUMP ->79", "LOAD_GLOBAL h", "CALL_FUNCTION 0",
      "POP_TOP", "RERAISE", "JUMP ->2", "LOAD_NONE", "RETURN_VALUE",
    ]);
  });

  it("returns out of a finally handler and an except clause with the value kept", () => {
    const l = listing("def f():\n    try:\n        g()\n    except E as e:\n        return e\n    finally:\n        return x", "f");
    const i = l.indexOf("LOAD_FAST e");
    expect(l.slice(i, i + 10)).toEqual([
      "LOAD_FAST e", "ROT_TWO", "POP_EXCEPT", "LOAD_NONE", "STORE_FAST e", "DELETE_FAST e", "POP_BLOCK", "LOAD_GLOBAL x",
      "ROT_TWO", "POP_TOP",
    ]);
    // the finally handler: prev exc on the stack: ROT_THREE; POP_TOP; POP_EXCEPT under the value
    expect(l.slice(-5)).toEqual(["LOAD_GLOBAL x", "ROT_THREE", "POP_TOP", "POP_EXCEPT", "RETURN_VALUE"]);
  });

  it("compiles assert, and drops it under optimize", () => {
    expect(listing("assert a, 'm'")).toEqual([
      "LOAD_NAME a", "POP_JUMP_IF_TRUE ->6", "LOAD_ASSERTION_ERROR", "LOAD_CONST 'm'", "CALL_FUNCTION 1",
      "RAISE_VARARGS 1", "LOAD_NONE", "RETURN_VALUE",
    ]);
    expect(listing("assert a, 'm'", "<module>", "exec", 1)).toEqual(["LOAD_NONE", "RETURN_VALUE"]);
  });

  it("compiles raise forms", () => {
    expect(listing("def f():\n    raise\n    raise E\n    raise E from c", "f")).toEqual(["RAISE_VARARGS 0"]);
    expect(listing("if a: raise E\nraise E from c")).toEqual([
      "LOAD_NAME a", "POP_JUMP_IF_FALSE ->4", "LOAD_NAME E", "RAISE_VARARGS 1", "LOAD_NAME E", "LOAD_NAME c",
      "RAISE_VARARGS 2",
    ]);
  });
});

describe("functions and classes", () => {
  it("makes functions with defaults, kw defaults, closures and decorators", () => {
    const p = comp("@d1\n@d2\ndef f(a, b=1, *, c=x, d):\n    return a\n");
    expect(disI(p, p.codes[0])).toEqual([
      "LOAD_NAME d1", "LOAD_NAME d2", "LOAD_CONST (1,)", "LOAD_CONST 'c'", "LOAD_NAME x", "BUILD_MAP 1",
      "MAKE_FUNCTION f/3", "CALL_FUNCTION 1", "CALL_FUNCTION 1", "STORE_NAME f", "LOAD_NONE", "RETURN_VALUE",
    ]);
    const f = code(p, "f");
    expect([f.argcount, f.posonlyCount, f.kwonlyCount, f.nlocals, f.firstline]).toEqual([2, 0, 2, 4, 1]);
  });

  it("lays out locals: params (pos, kw-only, *args, **kw), other locals, cells, frees; copies param cells", () => {
    const p = comp("def f(a, /, b, *c, d, **e):\n    x = 1\n    def g():\n        return a, x\n    return g");
    const f = code(p, "f");
    expect(f.varnames.map((i) => p.names[i])).toEqual(["a", "b", "d", "c", "e", "g", "a", "x"]);
    expect([f.argcount, f.posonlyCount, f.kwonlyCount, f.nlocals, f.ncells, f.nfree]).toEqual([2, 1, 1, 6, 2, 0]);
    expect(f.flags & (CO_VARARGS | CO_VARKEYWORDS)).toBe(CO_VARARGS | CO_VARKEYWORDS);
    expect(disI(p, f).slice(0, 2)).toEqual(["LOAD_FAST a", "STORE_DEREF a"]);
    const g = code(p, "f.<locals>.g");
    expect(g.varnames.map((i) => p.names[i])).toEqual(["a", "x"]);
    expect(g.flags & CO_NESTED).toBe(CO_NESTED);
    expect(disI(p, g)).toEqual(["LOAD_DEREF a", "LOAD_DEREF x", "BUILD_TUPLE 2", "RETURN_VALUE"]);
  });

  it("compiles lambdas and qualified names", () => {
    const p = comp("def f():\n    return lambda x, y=2: x + y\nclass C:\n    def m(self):\n        def n(): pass\n        return n");
    expect(p.codes.map((c) => p.names[c.qualname])).toEqual(["<module>", "f", "f.<locals>.<lambda>", "C", "C.m", "C.m.<locals>.n"]);
    expect(disI(p, code(p, "f"))).toEqual(["LOAD_CONST (2,)", "MAKE_FUNCTION f.<locals>.<lambda>/1", "RETURN_VALUE"]);
    expect(disI(p, code(p, "f.<locals>.<lambda>"))).toEqual(["LOAD_FAST x", "LOAD_FAST y", "BINARY_OP 0", "RETURN_VALUE"]);
  });

  it("compiles class bodies per the design, with a __class__ cell when super() is used", () => {
    const p = comp("class C(B, metaclass=M):\n    x = 1\n    def m(self):\n        return super().m()\n");
    // the __class__ cell is the class body's own, so the body needs no closure
    expect(disI(p, p.codes[0])).toEqual([
      "LOAD_BUILD_CLASS", "MAKE_FUNCTION C", "LOAD_CONST 'C'", "LOAD_NAME B", "LOAD_NAME M", "LOAD_CONST ('metaclass',)",
      "CALL_FUNCTION_KW 4", "STORE_NAME C", "LOAD_NONE", "RETURN_VALUE",
    ]);
    const c = code(p, "C");
    expect(c.flags & CO_CLASS_BODY).toBe(CO_CLASS_BODY);
    expect(disI(p, c)).toEqual([
      "LOAD_NAME __name__", "STORE_NAME __module__", "LOAD_CONST 'C'", "STORE_NAME __qualname__", "LOAD_INT 1",
      "STORE_NAME x", "LOAD_CLOSURE __class__", "BUILD_TUPLE 1", "MAKE_FUNCTION C.m/4", "STORE_NAME m",
      "LOAD_CLOSURE __class__", "RETURN_VALUE",
    ]);
    expect(disI(p, code(p, "C.m"))).toEqual(["LOAD_GLOBAL super", "CALL_FUNCTION 0", "LOAD_METHOD m", "CALL_METHOD 0", "RETURN_VALUE"]);
    expect(code(p, "C.m").varnames.map((i) => p.names[i])).toEqual(["self", "__class__"]);
    const q = comp("class D:\n    pass");
    expect(disI(q, code(q, "D")).slice(-2)).toEqual(["LOAD_NONE", "RETURN_VALUE"]);
  });

  it("reads a class body's free variables with LOAD_CLASSDEREF and mangles private names", () => {
    const p = comp("def f():\n    v = 1\n    class C:\n        __a = v\n        def __m(self): return self.__a + __b\n");
    expect(disI(p, code(p, "f.<locals>.C"))).toEqual([
      "LOAD_NAME __name__", "STORE_NAME __module__", "LOAD_CONST 'f.<locals>.C'", "STORE_NAME __qualname__",
      "LOAD_CLASSDEREF v", "STORE_NAME _C__a", "MAKE_FUNCTION f.<locals>.C.__m", "STORE_NAME _C__m", "LOAD_NONE",
      "RETURN_VALUE",
    ]);
    expect(disI(p, code(p, "f.<locals>.C.__m"))).toEqual([
      "LOAD_FAST self", "LOAD_ATTR _C__a", "LOAD_GLOBAL _C__b", "BINARY_OP 0", "RETURN_VALUE",
    ]);
  });

  it("sets generator and coroutine flags", () => {
    const p = comp(
      "def g():\n    yield 1\ndef h():\n    x = yield from g()\nasync def a():\n    await b\nasync def ag():\n    yield 1\n",
    );
    expect(code(p, "g").flags & CO_GENERATOR).toBe(CO_GENERATOR);
    expect(code(p, "a").flags & CO_COROUTINE).toBe(CO_COROUTINE);
    expect(code(p, "ag").flags & CO_ASYNC_GENERATOR).toBe(CO_ASYNC_GENERATOR);
    expect(disI(p, code(p, "g"))).toEqual(["LOAD_INT 1", "YIELD_VALUE", "POP_TOP", "LOAD_NONE", "RETURN_VALUE"]);
    expect(disI(p, code(p, "h"))).toEqual([
      "LOAD_GLOBAL g", "CALL_FUNCTION 0", "GET_YIELD_FROM_ITER", "LOAD_NONE", "YIELD_FROM", "STORE_FAST x", "LOAD_NONE",
      "RETURN_VALUE",
    ]);
    expect(disI(p, code(p, "a"))).toEqual([
      "LOAD_GLOBAL b", "GET_AWAITABLE", "LOAD_NONE", "YIELD_FROM", "POP_TOP", "LOAD_NONE", "RETURN_VALUE",
    ]);
  });

  it("compiles async for and async with (3.9 sequences)", () => {
    const p = comp("async def f():\n    async for x in y:\n        g(x)\n    async with m as v:\n        pass\n");
    expect(disI(p, code(p, "f"))).toEqual([
      "LOAD_GLOBAL y", "GET_AITER", "SETUP_FINALLY ->13", "GET_ANEXT", "LOAD_NONE", "YIELD_FROM", "POP_BLOCK",
      "STORE_FAST x", "LOAD_GLOBAL g", "LOAD_FAST x", "CALL_FUNCTION 1", "POP_TOP", "JUMP ->2", "END_ASYNC_FOR",
      "LOAD_GLOBAL m", "BEFORE_ASYNC_WITH", "GET_AWAITABLE", "LOAD_NONE", "YIELD_FROM", "SETUP_ASYNC_WITH ->31",
      "STORE_FAST v", "POP_BLOCK", "LOAD_NONE", "DUP_TOP", "DUP_TOP", "CALL_FUNCTION 3", "GET_AWAITABLE", "LOAD_NONE",
      "YIELD_FROM", "POP_TOP", "JUMP ->40", "WITH_EXCEPT_START", "GET_AWAITABLE", "LOAD_NONE", "YIELD_FROM",
      "POP_JUMP_IF_TRUE ->37", "RERAISE", "POP_TOP", "POP_EXCEPT", "POP_TOP", "LOAD_NONE", "RETURN_VALUE",
    ]);
  });
});

describe("comprehensions", () => {
  it("makes a nested code object called with the first iterable's iterator", () => {
    const p = comp("def f(a, n):\n    return [x * n for x in a if x for y in x]");
    expect(disI(p, code(p, "f"))).toEqual([
      "LOAD_FAST n", "STORE_DEREF n", "LOAD_CLOSURE n", "BUILD_TUPLE 1", "MAKE_FUNCTION f.<locals>.<listcomp>/4",
      "LOAD_FAST a", "GET_ITER", "CALL_FUNCTION 1", "RETURN_VALUE",
    ]);
    const lc = code(p, "f.<locals>.<listcomp>");
    expect([lc.argcount, lc.nlocals, lc.nfree]).toEqual([1, 3, 1]);
    expect(disI(p, lc)).toEqual([
      "BUILD_LIST 0", "LOAD_FAST .0", "FOR_ITER ->16", "STORE_FAST x", "LOAD_FAST x", "POP_JUMP_IF_FALSE ->15",
      "LOAD_FAST x", "GET_ITER", "FOR_ITER ->15", "STORE_FAST y", "LOAD_FAST x", "LOAD_DEREF n", "BINARY_OP 2",
      "LIST_APPEND 3", "JUMP ->8", "JUMP ->2", "RETURN_VALUE",
    ]);
  });

  it("compiles set, dict and generator comprehensions", () => {
    const p = comp("s = {x for x in a}\nd = {k: v for k, v in a}\ng = (x for x in a)");
    expect(disI(p, code(p, "<setcomp>"))).toEqual([
      "BUILD_SET 0", "LOAD_FAST .0", "FOR_ITER ->7", "STORE_FAST x", "LOAD_FAST x", "SET_ADD 2", "JUMP ->2",
      "RETURN_VALUE",
    ]);
    expect(disI(p, code(p, "<dictcomp>"))).toEqual([
      "BUILD_MAP 0", "LOAD_FAST .0", "FOR_ITER ->10", "UNPACK_SEQUENCE 2", "STORE_FAST k", "STORE_FAST v",
      "LOAD_FAST k", "LOAD_FAST v", "MAP_ADD 2", "JUMP ->2", "RETURN_VALUE",
    ]);
    const g = code(p, "<genexpr>");
    expect(g.flags & CO_GENERATOR).toBe(CO_GENERATOR);
    expect(disI(p, g)).toEqual([
      "LOAD_FAST .0", "FOR_ITER ->7", "STORE_FAST x", "LOAD_FAST x", "YIELD_VALUE", "POP_TOP", "JUMP ->1", "LOAD_NONE",
      "RETURN_VALUE",
    ]);
  });

  it("binds a walrus in the enclosing function, and treats `for y in [e]` as an assignment", () => {
    const p = comp("def f(a):\n    r = [(t := x) for x in a for y in [x]]\n    return t");
    expect(code(p, "f").varnames.map((i) => p.names[i])).toEqual(["a", "r", "t"]);
    expect(disI(p, code(p, "f.<locals>.<listcomp>"))).toEqual([
      "BUILD_LIST 0", "LOAD_FAST .0", "FOR_ITER ->11", "STORE_FAST x", "LOAD_FAST x", "STORE_FAST y", "LOAD_FAST x",
      "DUP_TOP", "STORE_DEREF t", "LIST_APPEND 2", "JUMP ->2", "RETURN_VALUE",
    ]);
  });

  it("compiles async comprehensions and awaits them", () => {
    const p = comp("async def f(a):\n    return [x async for x in a]");
    expect(disI(p, code(p, "f"))).toEqual([
      "MAKE_FUNCTION f.<locals>.<listcomp>", "LOAD_FAST a", "GET_AITER", "CALL_FUNCTION 1", "GET_AWAITABLE", "LOAD_NONE",
      "YIELD_FROM", "RETURN_VALUE",
    ]);
    const lc = code(p, "f.<locals>.<listcomp>");
    expect(lc.flags & CO_COROUTINE).toBe(CO_COROUTINE);
    expect(disI(p, lc)).toEqual([
      "BUILD_LIST 0", "LOAD_FAST .0", "SETUP_FINALLY ->11", "GET_ANEXT", "LOAD_NONE", "YIELD_FROM", "POP_BLOCK",
      "STORE_FAST x", "LOAD_FAST x", "LIST_APPEND 2", "JUMP ->2", "END_ASYNC_FOR", "RETURN_VALUE",
    ]);
    expect(lc.nblocks).toBe(1);
  });
});

describe("imports", () => {
  it("compiles every import form per the design", () => {
    expect(listing("import a.b.c\nimport a.b as d\nfrom ..m import x as y, z\nfrom . import w\nfrom q import *")).toEqual([
      "LOAD_INT 0", "LOAD_NONE", "IMPORT_NAME a.b.c", "STORE_NAME a", "LOAD_INT 0", "LOAD_NONE", "IMPORT_NAME a.b",
      "IMPORT_FROM b", "ROT_TWO", "POP_TOP", "STORE_NAME d", "LOAD_INT 2", "LOAD_CONST ('x', 'z')", "IMPORT_NAME m",
      "IMPORT_FROM x", "STORE_NAME y", "IMPORT_FROM z", "STORE_NAME z", "POP_TOP", "LOAD_INT 1", "LOAD_CONST ('w',)",
      "IMPORT_NAME ", "IMPORT_FROM w", "STORE_NAME w", "POP_TOP", "LOAD_INT 0", "LOAD_CONST ('*',)", "IMPORT_NAME q",
      "IMPORT_STAR", "LOAD_NONE", "RETURN_VALUE",
    ]);
    expect(listing('"doc"\nfrom __future__ import annotations\nfrom __future__ import division\nx = 1')).toEqual([
      "LOAD_INT 0", "LOAD_CONST ('annotations',)", "IMPORT_NAME __future__", "IMPORT_FROM annotations",
      "STORE_NAME annotations", "POP_TOP", "LOAD_INT 0", "LOAD_CONST ('division',)", "IMPORT_NAME __future__",
      "IMPORT_FROM division", "STORE_NAME division", "POP_TOP", "LOAD_INT 1", "STORE_NAME x", "LOAD_NONE", "RETURN_VALUE",
    ]);
    // IMPORT_NAME and IMPORT_FROM names are mangled in a class body, as CPython does
    expect(listing("class C:\n    import __foo\n    from __m import __x\n", "C").slice(4, 13)).toEqual([
      "LOAD_INT 0", "LOAD_NONE", "IMPORT_NAME _C__foo", "STORE_NAME _C__foo", "LOAD_INT 0", "LOAD_CONST ('__x',)",
      "IMPORT_NAME _C__m", "IMPORT_FROM _C__x", "STORE_NAME _C__x",
    ]);
    expect(listing("def f():\n    import os.path as p\n    return p", "f")).toEqual([
      "LOAD_INT 0", "LOAD_NONE", "IMPORT_NAME os.path", "IMPORT_FROM path", "ROT_TWO", "POP_TOP", "STORE_FAST p",
      "LOAD_FAST p", "RETURN_VALUE",
    ]);
  });
});

describe("names", () => {
  it("picks FAST, DEREF, GLOBAL and NAME ops from the scope pass", () => {
    const p = comp(
      dedent(`
      g = 1
      def f(a):
          global h
          h = a + g
          b = 2
          def k():
              nonlocal b
              b = a
          return k
    `),
    );
    expect(disI(p, code(p, "f"))).toEqual([
      "LOAD_FAST a", "STORE_DEREF a", "LOAD_DEREF a", "LOAD_GLOBAL g", "BINARY_OP 0", "STORE_GLOBAL h", "LOAD_INT 2",
      "STORE_DEREF b", "LOAD_CLOSURE a", "LOAD_CLOSURE b", "BUILD_TUPLE 2", "MAKE_FUNCTION f.<locals>.k/4",
      "STORE_FAST k", "LOAD_FAST k", "RETURN_VALUE",
    ]);
    expect(disI(p, code(p, "f.<locals>.k"))).toEqual(["LOAD_DEREF a", "STORE_DEREF b", "LOAD_NONE", "RETURN_VALUE"]);
    // a name declared global anywhere in the file is a GLOBAL op at module level too, as in CPython
    expect(disI(p, p.codes[0])).toEqual([
      "LOAD_INT 1", "STORE_NAME g", "MAKE_FUNCTION f", "STORE_NAME f", "LOAD_NONE", "RETURN_VALUE",
    ]);
    expect(listing("def f():\n    global h\n    h = 1\nh = 2")).toContain("STORE_GLOBAL h");
  });

  it("stores names in a class body through its locals dict, explicit globals excepted", () => {
    expect(listing("class C:\n    global g\n    g = 1\n    x = g\n", "C").slice(4)).toEqual([
      "LOAD_INT 1", "STORE_GLOBAL g", "LOAD_GLOBAL g", "STORE_NAME x", "LOAD_NONE", "RETURN_VALUE",
    ]);
  });
});

describe("modes", () => {
  it("prints module-level expression statements in mode single", () => {
    expect(listing("if y:\n    1 + x\n    z", "<module>", "single")).toEqual([
      "LOAD_NAME y", "POP_JUMP_IF_FALSE ->8", "LOAD_INT 1", "LOAD_NAME x", "BINARY_OP 0", "PRINT_EXPR", "LOAD_NAME z",
      "PRINT_EXPR", "LOAD_NONE", "RETURN_VALUE",
    ]);
    expect(listing("5", "<module>", "single")).toEqual(["LOAD_INT 5", "PRINT_EXPR", "LOAD_NONE", "RETURN_VALUE"]);
    const p = comp("def f():\n    g()", "single");
    expect(disI(p, code(p, "f"))).not.toContain("PRINT_EXPR");
  });

  it("returns the value in mode eval", () => {
    expect(listing("a + 1", "<module>", "eval")).toEqual(["LOAD_NAME a", "LOAD_INT 1", "BINARY_OP 0", "RETURN_VALUE"]);
  });
});

describe("code objects", () => {
  it("records exact stack and block depths", () => {
    const p = comp("f(a, b, (c, d, [e]))\ntry:\n    with m:\n        try:\n            pass\n        finally:\n            pass\nexcept E:\n    pass\n");
    expect(p.codes[0].stacksize).toBe(6); // f a b c d e
    expect(p.codes[0].nblocks).toBe(3);
    const q = comp("def f():\n    return 1");
    expect([q.codes[1].stacksize, q.codes[1].nblocks]).toEqual([1, 0]);
  });

  it("records the line of every statement and of expressions on other lines", () => {
    const p = comp("x = 1\nif x:\n    y = f(a,\n          b)\n\nz = (1,\n  c)\n");
    const co = p.codes[0];
    const lines = decode(co).map((ins) => OPCODES[ins.op].name + ":" + lineAt(co.lines, 0, co.lines.length, co.firstline, ins.at));
    expect(lines).toEqual([
      "LOAD_INT:1", "STORE_NAME:1", "LOAD_NAME:2", "POP_JUMP_IF_FALSE:2", "LOAD_NAME:3", "LOAD_NAME:3", "LOAD_NAME:4",
      "CALL_FUNCTION:3", "STORE_NAME:3", "LOAD_INT:6", "LOAD_NAME:7", "BUILD_TUPLE:6", "STORE_NAME:6", "LOAD_NONE:6",
      "RETURN_VALUE:6",
    ]);
    const q = comp("@d\n\ndef f():\n    return 1\n");
    expect(q.codes[1].firstline).toBe(1);
  });

  it("is deterministic", () => {
    const src = "def f(a):\n    return [x for x in a if (y := x)], 1.5, 'k'\nclass C:\n    def m(self): return super().m()\n";
    const a = comp(src);
    const b = comp(src);
    expect(serialize(a, false)).toEqual(serialize(b, false));
    expect(JSON.stringify(a.consts)).toBe(JSON.stringify(b.consts));
  });

  it("fails cleanly when a function's bytecode passes 65535 bytes", () => {
    const src = "def f():\n" + "    x = y\n".repeat(17000);
    const e = syntaxError(src);
    expect(e.msg).toMatch(/65535/);
    // just under the limit compiles
    comp("def f():\n" + "    x = y\n".repeat(16000));
  });

  it("compiles a hand-built AST (no parser involved)", () => {
    const at = { line: 1, col: 0 };
    const name = (id: string): Expr => ({ k: "Name", id: id, ...at });
    const body: Stmt[] = [
      { k: "Assign", targets: [name("x")], value: { k: "Constant", kind: "int", value: 40, ...at }, ...at },
      {
        k: "Expr",
        value: { k: "Call", func: name("print"), args: [{ k: "BinOp", left: name("x"), op: "+", right: { k: "Constant", kind: "int", value: 2, ...at }, ...at }], keywords: [], ...at },
        ...at,
      },
    ];
    const mod: Module = { k: "Module", body: body, ...at };
    const p = compileAst(mod, "hand.py", "exec", 0);
    check(p);
    expect(disI(p, p.codes[0])).toEqual([
      "LOAD_INT 40", "STORE_NAME x", "LOAD_NAME print", "LOAD_NAME x", "LOAD_INT 2", "BINARY_OP 0", "CALL_FUNCTION 1",
      "POP_TOP", "LOAD_NONE", "RETURN_VALUE",
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Errors

describe("syntax errors", () => {
  const cases: [string, string, number][] = [
    ["return 1", "'return' outside function", 1],
    ["class C:\n    return", "'return' outside function", 2],
    ["break", "'break' outside loop", 1],
    ["def f():\n    break", "'break' outside loop", 2],
    ["while x:\n    def f():\n        continue", "'continue' not properly in loop", 3],
    ["continue", "'continue' not properly in loop", 1],
    ["yield 1", "'yield' outside function", 1],
    ["class C:\n    x = yield", "'yield' outside function", 2],
    ["await x", "'await' outside function", 1],
    ["def f():\n    await x", "'await' outside async function", 2],
    ["def f():\n    async with x: pass", "'async with' outside async function", 2],
    ["def f():\n    async for x in y: pass", "'async for' outside async function", 2],
    ["def f():\n    return [x async for x in y]", "asynchronous comprehension outside of an asynchronous function", 2],
    ["async def f():\n    yield from x", "'yield from' inside async function", 2],
    ["async def f():\n    yield 1\n    return 2", "'return' with value in async generator", 3],
    ["def f(x):\n    global x", "name 'x' is parameter and global", 2],
    ["def f():\n    print(x)\n    global x", "name 'x' is used prior to global declaration", 3],
    ["def f():\n    x = 1\n    global x", "name 'x' is assigned to before global declaration", 3],
    ["def f():\n    x: int\n    global x", "annotated name 'x' can't be global", 3],
    ["nonlocal x", "nonlocal declaration not allowed at module level", 1],
    ["def f():\n    nonlocal x", "no binding for nonlocal 'x' found", 2],
    ["class C:\n    nonlocal x", "no binding for nonlocal 'x' found", 2],
    ["def f(x):\n    nonlocal x", "name 'x' is parameter and nonlocal", 2],
    ["def f():\n    x = 1\n    def g():\n        global x\n        nonlocal x", "name 'x' is nonlocal and global", 4],
    ["def f(a, a): pass", "duplicate argument 'a' in function definition", 1],
    ["lambda a, *a: 0", "duplicate argument 'a' in function definition", 1],
    ["[(yield) for x in y]", "'yield' inside list comprehension", 1],
    ["def f():\n    return {(yield) for x in y}", "'yield' inside set comprehension", 2],
    ["def f():\n    return ((yield) for x in y)", "'yield' inside generator expression", 2],
    ["[x for x in (y := z)]", "assignment expression cannot be used in a comprehension iterable expression", 1],
    ["[x for a in b for x in (y := z)]", "assignment expression cannot be used in a comprehension iterable expression", 1],
    ["[i := 0 for i in x]", "assignment expression cannot rebind comprehension iteration variable 'i'", 1],
    ["class C:\n    [y := 1 for x in z]", "assignment expression within a comprehension cannot be used in a class body", 2],
    ["*a = b", "starred assignment target must be in a list or tuple", 1],
    ["a, *b, *c = d", "multiple starred expressions in assignment", 1],
    ["f(a=1, a=2)", "keyword argument repeated: a", 1],
    ["def f():\n    from m import *", "import * only allowed at module level", 2],
    ["__debug__ = 1", "cannot assign to __debug__", 1],
    ["def f(__debug__): pass", "cannot assign to __debug__", 1],
    ["x = 1\nfrom __future__ import annotations", "from __future__ imports must occur at the beginning of the file", 2],
    ["from __future__ import nope", "future feature nope is not defined", 1],
    ["def f():\n    from __future__ import annotations", "from __future__ imports must occur at the beginning of the file", 2],
    ["x = *a", "can't use starred expression here", 1],
  ];
  for (const [src, msg, line] of cases) {
    it(msg + " (" + JSON.stringify(src).slice(0, 40) + ")", () => {
      const e = syntaxError(src);
      expect(e.type).toBe("SyntaxError");
      expect(e.msg).toBe(msg);
      expect(e.line).toBe(line);
    });
  }

  it("reports too many expressions before a starred target", () => {
    const names = Array.from({ length: 256 }, (_, i) => "a" + i).join(", ");
    expect(syntaxError(names + ", *b = c").msg).toBe("too many expressions in star-unpacking assignment");
    comp(Array.from({ length: 255 }, (_, i) => "a" + i).join(", ") + ", *b = c");
  });

  it("reports too many statically nested blocks (64: deeper than CPython's 20, as MicroPython's tests need)", () => {
    let src = "";
    for (let i = 0; i < 65; i++) src += " ".repeat(i) + "while x:\n";
    src += " ".repeat(65) + "pass\n";
    expect(syntaxError(src).msg).toBe("too many statically nested blocks");
    src = "";
    for (let i = 0; i < 64; i++) src += " ".repeat(i) + "while x:\n";
    comp(src + " ".repeat(64) + "pass\n");
    // 30 try statements deep (MicroPython's try_except_break.py nests 22), each handler a block of its own too
    src = "";
    for (let i = 0; i < 30; i++) src += " ".repeat(i) + "try:\n";
    src += " ".repeat(30) + "pass\n";
    for (let i = 29; i >= 0; i--) src += " ".repeat(i) + "except:\n" + " ".repeat(i + 1) + "pass\n";
    comp(src);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Coverage of every construct: each snippet must compile and pass the consistency check

describe("consistency on every construct", () => {
  const snippets = [
    "for a, *b in x:\n    for c in b:\n        if c: continue\n        try:\n            break\n        finally:\n            pass\n    else:\n        pass",
    "def f():\n    while True:\n        try:\n            return 1\n        except:\n            continue\n        finally:\n            break\n    return 2",
    "def f():\n    try:\n        pass\n    finally:\n        for x in y:\n            try:\n                return x\n            finally:\n                return 3",
    "def f():\n    with a as (b, c), d:\n        with e:\n            return b\n",
    "async def f():\n    async with a as b, c:\n        for x in b:\n            return await x\n    async for y in c:\n        break\n    else:\n        return [z async for z in y if await z]",
    "async def f():\n    return (x async for x in y)",
    "def g():\n    x = yield\n    y = yield x\n    return (yield from y)",
    "class A:\n    class B:\n        def m(self): return __class__\n    def n(self):\n        return lambda: super().n()",
    "def f():\n    x = 1\n    class C:\n        x = 2\n        def m(self): return x\n    return C",
    "def f(*, a=1, b, **k): return a, b, k",
    "def f(a, b=1, /, c=2, *d, e=3, **f): return lambda *a, **k: (a, k)",
    "x = [[y for y in range(i)] for i in range(3) if i if i > 0]",
    "x = {k: [v for v in k] for k in d}\ny = {a for b in c for a in b}",
    "try:\n    pass\nexcept (A, B) as e:\n    pass\nexcept C:\n    raise\nelse:\n    pass\nfinally:\n    pass",
    "def f():\n    try:\n        return g()\n    except E as e:\n        try:\n            return e\n        finally:\n            del e\n",
    "print(f'{a!s}{b!a:{c}}{d=}')",
    "x = a[1:2:3][::][b, c:d]\na[1:2] = b\ndel a[::2]",
    "x = lambda: (yield)",
    "global q\nq = 1\ndel q",
    "from . import (a, b as c)\nimport x.y.z as w\nfrom ...p.q import r",
    "while x:\n    with a:\n        try:\n            continue\n        except:\n            break",
    "x: int\ny: 'str' = 3\n(z): int = 4\na.b: int\nc[d]: int",
    "def f():\n    nonlocal_ = 1\n    def g():\n        nonlocal nonlocal_\n        nonlocal_ += 1\n        del nonlocal_\n    return g",
    "def f(x):\n    def g(): return x\n    del x\n    x = 2",
    "class C(*bases, **kw):\n    pass",
    "@a.b(c)\nclass D(E, metaclass=F, **kw):\n    @staticmethod\n    def m(): pass",
    "x = not (a and b) or (c if d else e)\nif not (a or b) and c: pass\nwhile (a if b else c): pass",
    "assert x\nassert (x, y)\nassert x, y",
    "if a: pass\nelif b: pass\nelif c: pass\nelse: pass",
    "def f():\n    for x in y:\n        with z:\n            try:\n                pass\n            except E:\n                return x\n",
    "def f():\n    try:\n        pass\n    except:\n        try:\n            pass\n        except:\n            return 1\n        finally:\n            return 2",
    "x = 1 if 2 else 3\ny = (1, 2) if () else None",
    "def f(__a, *, __b=1): return __a + __b\nclass C:\n    def m(self, __c, *, __d=__e): return self.__f(__c)",
    "i = 0\nwhile i < 3:\n    i += 1\n    if i == 2: break\nelse:\n    pass",
  ];
  snippets.forEach((src, i) => {
    it("snippet " + i, () => {
      comp(src, "exec", 0);
      comp(src, "exec", 1);
      // as one REPL statement (mode single takes exactly one)
      comp("if 1:\n" + src.replace(/^/gm, "    "), "single", 0);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The conformance corpus against CPython's compile()

const CORPUS = join(__dirname, "..", "..", "shared", "conformance", "corpus", "basics");

/** What CPython says of each file: null if compile() rejects it, else a summary of each code object. */
type CpyCode = [string, number, number, number, number, number, string[], string[], string[]];

function cpythonCompile(files: string[]): { [f: string]: CpyCode[] | string } | null {
  // qualname, firstline, argcount, posonly, kwonly, flags (varargs 4, varkw 8, gen 0x20, coro 0x80, asyncgen 0x200),
  // varnames, cellvars, freevars — for every code object, or the SyntaxError's message
  const script = [
    "import sys, json, warnings",
    "warnings.simplefilter('ignore')",
    "def walk(co, acc):",
    "    acc.append([co.co_qualname, co.co_firstlineno, co.co_argcount, co.co_posonlyargcount, co.co_kwonlyargcount,",
    "                co.co_flags & 0x2ac, list(co.co_varnames), list(co.co_cellvars), list(co.co_freevars)])",
    "    for k in co.co_consts:",
    "        if hasattr(k, 'co_code'): walk(k, acc)",
    "out = {}",
    "for p in sys.argv[1:]:",
    "    try:",
    "        acc = []",
    "        walk(compile(open(p, 'rb').read(), p, 'exec'), acc)",
    "        out[p] = acc",
    "    except SyntaxError as e:",
    "        out[p] = type(e).__name__ + ': ' + str(e.msg)",
    "print(json.dumps(out))",
  ].join("\n");
  try {
    const r = execFileSync("python3", ["-c", script, ...files], { encoding: "utf8", maxBuffer: 1 << 28 });
    return JSON.parse(r);
  } catch {
    return null;
  }
}

/** Our code objects summarised as CPython's are, keyed by qualname@firstline (flags mapped to CPython's bits). */
function layouts(p: Program): Map<string, string> {
  const m = new Map<string, string>();
  for (const co of p.codes) {
    let fl = 0;
    if (co.flags & CO_VARARGS) fl |= 4;
    if (co.flags & CO_VARKEYWORDS) fl |= 8;
    if (co.flags & CO_GENERATOR) fl |= 0x20;
    if (co.flags & CO_COROUTINE) fl |= 0x80;
    if (co.flags & CO_ASYNC_GENERATOR) fl |= 0x200;
    const names = co.varnames.map((i) => p.names[i]);
    const fast = names.slice(0, co.nlocals);
    const cells = names.slice(co.nlocals, co.nlocals + co.ncells);
    const frees = names.slice(co.nlocals + co.ncells);
    m.set(p.names[co.qualname] + "@" + co.firstline, summary(co.argcount, co.posonlyCount, co.kwonlyCount, fl, fast, cells, frees));
  }
  return m;
}

// Locals after the parameters may come in another order (CPython numbers them as it compiles); cells and frees
// are sorted in both.
function summary(argc: number, posonly: number, kwonly: number, flags: number, fast: string[], cells: string[], frees: string[]): string {
  const nparams = argc + kwonly + (flags & 4 ? 1 : 0) + (flags & 8 ? 1 : 0);
  return JSON.stringify([argc, posonly, kwonly, flags, fast.slice(0, nparams), fast.slice(nparams).sort(), cells.slice().sort(), frees]);
}

describe("conformance corpus", () => {
  const present = existsSync(CORPUS);
  const files = present ? readdirSync(CORPUS).filter((f) => f.endsWith(".py")).sort().map((f) => join(CORPUS, f)) : [];
  const cpy = files.length ? cpythonCompile(files) : null;
  if (!present) console.log("conformance corpus absent at " + CORPUS + ": skipped");
  else if (!cpy) console.log("python3 unavailable: conformance corpus skipped");

  it.skipIf(!present || !cpy)("compiles what CPython compiles, with the same variable layouts, and rejects what it rejects", () => {
    const problems: string[] = [];
    let compiled = 0;
    let rejected = 0;
    let codes = 0;
    for (const f of files) {
      const want = cpy![f];
      let p: Program | null = null;
      try {
        p = compile(bytesOf(readFileSync(f, "utf8")), f.split("/").pop()!, "exec", 0);
      } catch (e) {
        if (!isCompileError(e)) problems.push(f + ": crashed: " + String((e as Error).stack || e));
        else if (typeof want !== "string") problems.push(f + ": CompileError (" + e.msg + " line " + e.line + ") but CPython compiles it");
        else rejected++;
        continue;
      }
      if (typeof want === "string") {
        // deliberately MicroPython's way: a static nesting limit of 64 instead of CPython's 20
        if (!/too many statically nested blocks/.test(want)) problems.push(f + ": compiled but CPython says " + want);
        continue;
      }
      try {
        check(p);
        compiled++;
      } catch (e) {
        problems.push(f + ": inconsistent: " + String((e as Error).message || e));
        continue;
      }
      // every CPython code object has a twin here: same qualname and first line, arguments, flags and variables
      const mine = layouts(p);
      for (const r of want) {
        const key = r[0] + "@" + r[1];
        const got = mine.get(key);
        const exp = summary(r[2], r[3], r[4], r[5], r[6], r[7], r[8]);
        codes++;
        if (got !== exp) problems.push(f + ": " + key + ": CPython " + exp + ", espy " + got);
      }
    }
    console.log(`conformance corpus: ${compiled} compiled and checked (${codes} code objects match CPython's layout), ${rejected} rejected as CPython does, ${problems.length} problems`);
    expect(problems).toEqual([]);
    expect(compiled).toBeGreaterThan(500);
  });
});

// Mutants of corpus files (lines deleted, duplicated, re-indented, or replaced by statements that are only legal in
// some places). For each one our parser accepts, the compile stage must reach CPython's verdict, with its message
// and line; whatever compiles must pass the consistency check.
describe("mutated corpus files against CPython", () => {
  const present = existsSync(CORPUS);
  const files = present ? readdirSync(CORPUS).filter((f) => f.endsWith(".py")).sort().map((f) => join(CORPUS, f)) : [];
  let python = true;
  try {
    execFileSync("python3", ["-c", "pass"]);
  } catch {
    python = false;
  }

  it.skipIf(!present || !python)("agree on verdicts, messages and lines", () => {
    let seed = 2024;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const inserts = ["break", "continue", "return x", "yield y", "await z", "global q", "nonlocal q", "(q := 1)", "del q",
      "x: int", "from m import *", "q = [(r := 1) for s in t]", "async with a: pass", "async for a in b: pass"];
    const dir = mkdtempSync(join(tmpdir(), "espy-mutants-"));
    const ours: { [path: string]: string | null } = {};
    try {
      for (let it = 0; it < 1500; it++) {
        const lines = readFileSync(files[rnd(files.length)], "utf8").split("\n");
        for (let j = 1 + rnd(3); j > 0; j--) {
          const i = rnd(lines.length);
          const m = rnd(5);
          if (m === 0) lines.splice(i, 1);
          else if (m === 1) lines.splice(i, 0, lines[rnd(lines.length)]);
          else if (m === 2) lines[i] = "    " + lines[i];
          else if (m === 3) lines[i] = (lines[i] || "").replace(/^    /, "");
          else lines[i] = (lines[i] || "").match(/^ */)![0] + inserts[rnd(inserts.length)];
        }
        const src = lines.join("\n");
        let mod: Module;
        try {
          mod = parse(bytesOf(src), "m.py", "exec");
        } catch {
          continue; // the parser's business
        }
        const path = join(dir, "m" + it + ".py");
        writeFileSync(path, src);
        try {
          check(compileAst(mod, "m.py", "exec", 0));
          ours[path] = null;
        } catch (e) {
          if (!isCompileError(e)) throw e;
          ours[path] = e.msg + " @" + e.line;
        }
      }
      const script = [
        "import sys, json, warnings",
        "warnings.simplefilter('ignore')",
        "out = {}",
        "for p in sys.argv[1:]:",
        "    try:",
        "        compile(open(p, 'rb').read(), p, 'exec')",
        "        out[p] = None",
        "    except SyntaxError as e:",
        "        out[p] = str(e.msg) + ' @' + str(e.lineno)",
        "print(json.dumps(out))",
      ].join("\n");
      const paths = Object.keys(ours);
      const theirs = JSON.parse(execFileSync("python3", ["-c", script, ...paths], { encoding: "utf8", maxBuffer: 1 << 26 }));
      const differ = paths.filter((p) => ours[p] !== theirs[p]).map((p) => p + ": espy " + ours[p] + ", CPython " + theirs[p]);
      const rejected = paths.filter((p) => ours[p] !== null).length;
      console.log(`mutants: ${paths.length} parsed, ${rejected} rejected by the compile stage, ${differ.length} differ from CPython`);
      expect(differ).toEqual([]);
      expect(rejected).toBeGreaterThan(50);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// micropython.const

describe("micropython.const folding", () => {
  const pre = "from micropython import const\n";

  it("folds int expressions of literals and earlier constants; later loads are the value", () => {
    const l = listing(pre + "A = const(5)\nB = const(A * 2 + (1 << 3) - ~0)\nC = const(1 << 40)\nprint(A, B, C)");
    expect(l.slice(l.indexOf("LOAD_INT 5"))).toEqual([
      "LOAD_INT 5", "STORE_NAME A", "LOAD_INT 19", "STORE_NAME B", "LOAD_CONST 1099511627776", "STORE_NAME C",
      "LOAD_NAME print", "LOAD_INT 5", "LOAD_INT 19", "LOAD_CONST 1099511627776", "CALL_FUNCTION 3", "POP_TOP",
      "LOAD_NONE", "RETURN_VALUE",
    ]);
  });

  it("stores nothing for a private (_name) constant", () => {
    const l = listing(pre + "_X = const(7)\ny = _X");
    expect(l.slice(l.indexOf("POP_TOP") + 1)).toEqual(["LOAD_INT 7", "STORE_NAME y", "LOAD_NONE", "RETURN_VALUE"]);
  });

  it("folds the global in functions, comprehensions and class bodies, but not a local of the same name", () => {
    const src = pre + "_N = const(3)\ndef f(a):\n    return a + _N\ndef g(_N):\n    return _N\nclass C:\n    v = [_N for i in ()]\n";
    expect(listing(src, "f")).toEqual(["LOAD_FAST a", "LOAD_INT 3", "BINARY_OP 0", "RETURN_VALUE"]);
    expect(listing(src, "g")).toEqual(["LOAD_FAST _N", "RETURN_VALUE"]);
    expect(listing(src, "C.<listcomp>")).toContain("LOAD_INT 3");
  });

  it("leaves everything else to run as written", () => {
    // no import; a non-int value; names not yet constant; a value too large to fold; keyword or star arguments
    for (const src of ["X = const(1)\nprint(X)", pre + "X = const('s')\nprint(X)", pre + "X = const(y)\nprint(X)",
      pre + "X = const(2 ** 60)\nprint(X)", pre + "X = const(1.5)\nprint(X)", pre + "def f():\n    X = const(1)\n    return X",
      pre + "X, Y = const(1), 2\nprint(X)", pre + "X = const(*a)\nprint(X)"]) {
      const p = comp(src);
      expect(p.codes.some((co) => disI(p, co).some((s) => s.startsWith("CALL_FUNCTION 1") || s.startsWith("CALL_FUNCTION_EX"))), src).toBe(true);
      expect(disI(p, p.codes[p.codes.length - 1]).concat(...p.codes.map((co) => disI(p, co))).some((s) => s === "LOAD_NAME X" || s === "LOAD_FAST X" || s === "LOAD_GLOBAL X"), src).toBe(true);
    }
  });

  it("refuses to rebind a folded constant (a SyntaxError, as on MicroPython)", () => {
    expect(syntaxError(pre + "X = const(1)\nX = 2").msg).toMatch(/cannot assign to constant 'X'/);
    expect(syntaxError(pre + "X = const(1)\ndef f():\n    global X\n    X = 3").msg).toMatch(/constant/);
    expect(syntaxError(pre + "_P = const(1)\nfor _P in (): pass").msg).toMatch(/constant/);
  });
});
