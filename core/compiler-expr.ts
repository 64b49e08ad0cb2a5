// The compiler's shared state (Compiler, one Unit per code object being built), the file-wide name and constant
// tables, name resolution into opcodes, and the compilation of expressions and assignment targets, following
// CPython 3.9's compile.c with the differences fixed in docs/design.md. Statements are in compiler.ts.
// Plain functions over a Compiler object: this file runs on the device too (dialect code, no closures per node).

import {
  Expr,
  Pos,
  Arguments,
  Keyword,
  Comprehension,
  Constant,
  Stmt,
  CmpOpName,
  BinOp,
} from "./ast";
import { Const, CodeObject, CF } from "./code";

import { BINOPS, UNOPS, CMPOPS, MF_DEFAULTS, MF_KWDEFAULTS, MF_CLOSURE, FV_STR, FV_REPR, FV_ASCII, FV_SPEC } from "./opcodes";
import { Op } from "./generated/op";
import { Emitter } from "./emitter";
import { CompileError } from "./errors";
import {
  Scope,
  mangle,
  scopeOf,
  findChild,
  SC_LOCAL,
  SC_GLOBAL_EXPLICIT,
  SC_GLOBAL_IMPLICIT,
  SC_FREE,
  SC_CELL,
  B_MODULE,
  B_CLASS,
  B_FUNCTION,
  COMP_LIST,
  COMP_SET,
  COMP_DICT,
  COMP_GEN,
} from "./scope";

// Unit kinds (CPython's COMPILER_SCOPE_*).
export const U_MODULE = 0;
export const U_CLASS = 1;
export const U_FUNCTION = 2;
export const U_ASYNC_FUNCTION = 3;
export const U_LAMBDA = 4;
export const U_COMPREHENSION = 5;

// Name contexts.
export const LOAD = 0;
export const STORE = 1;
export const DEL = 2;

/** A statically known block that break/continue/return must leave (CPython's fblockinfo). */
export interface FBlock {
  type: number; // FB_* in compiler.ts
  start: number; // label: loop head (continue target)
  exit: number; // label: loop exit (break target)
  body: Stmt[] | null; // the finally body to copy when leaving a try/finally
  name: string | null; // the except-clause name to clear when leaving its handler
}

/** The code object being compiled. */
export interface Unit {
  parent: Unit | null;
  scope: Scope;
  kind: number; // U_*
  e: Emitter;
  priv: string | null; // class name for private-name mangling
  name: string;
  qualname: string;
  index: number; // in Compiler.codes
  firstline: number;
  argcount: number;
  posonly: number;
  kwonly: number;
  fb: FBlock[];
}

export interface Compiler {
  filename: string;
  names: string[];
  nameMap: { [k: string]: number };
  consts: Const[];
  constMap: { [k: string]: number };
  codes: (CodeObject | null)[];
  optimize: number;
  interactive: boolean; // mode "single": module-level expression statements print
  futureLine: number; // line of the last `from __future__` import allowed (at the top of the file)
  /** micropython.const: module-level names folded to ints ("$" + name → value); null until `from micropython import const`. */
  mpConsts: { [k: string]: number } | null;
  u: Unit;
}

export function newCompiler(filename: string, optimize: number, interactive: boolean): Compiler {
  return {
    filename: filename,
    names: [],
    nameMap: {},
    consts: [],
    constMap: {},
    codes: [],
    optimize: optimize,
    interactive: interactive,
    futureLine: 0,
    mpConsts: null,
    u: null as unknown as Unit,
  };
}

export function error(msg: string, p: Pos): CompileError {
  return new CompileError("SyntaxError", msg, p.line, p.col);
}

// ---------------------------------------------------------------------------------------------------------------
// File-wide tables. Keys are prefixed so no name can collide with an Object.prototype member.

export function nameIdx(c: Compiler, s: string): number {
  const k = "$" + s;
  const i = c.nameMap[k];
  if (i !== undefined) return i;
  c.names.push(s);
  return (c.nameMap[k] = c.names.length - 1);
}

// Numbers are keyed by their 8 bytes: exact (0.0 and -0.0 differ), and Espruino's number-to-string is lossy.
const F64 = new Float64Array(1);
const F64B = new Uint8Array(F64.buffer);
function numKey(v: number): string {
  F64[0] = v;
  let s = "";
  for (let i = 0; i < 8; i++) s += String.fromCharCode(F64B[i]);
  return s;
}

function constKey(k: Const): string {
  switch (k.t) {
    case "str":
      return "s" + k.v;
    case "bytes":
      return "b" + k.v;
    case "int":
      return "i" + numKey(k.v);
    case "bigint":
      return "g" + k.v;
    case "float":
      return "f" + numKey(k.v);
    case "tuple":
      return "t" + k.v.join(",");
  }
  return "e";
}

export function constIdx(c: Compiler, k: Const): number {
  const key = constKey(k);
  const i = c.constMap[key];
  if (i !== undefined) return i;
  c.consts.push(k);
  return (c.constMap[key] = c.consts.length - 1);
}

export function strConst(c: Compiler, s: string): number {
  return constIdx(c, { t: "str", v: s });
}

/** Decimal digits of a non-negative integral double (exact: no float formatting involved). */
function intDigits(v: number): string {
  if (v === 0) return "0";
  let s = "";
  while (v > 0) {
    const r = v % 10;
    s = String.fromCharCode(48 + r) + s;
    v = (v - r) / 10;
  }
  return s;
}

/** The constant for an integer given as a number (exact double) or decimal digits. */
function intConst(v: number, big: string | null): Const {
  if (big !== null) return { t: "bigint", v: big };
  if (v > 9007199254740991 || v < -9007199254740991) return { t: "bigint", v: (v < 0 ? "-" : "") + intDigits(Math.abs(v)) };
  return { t: "int", v: v };
}

// ---------------------------------------------------------------------------------------------------------------
// Constant folding: numeric literals under unary minus, and tuples of constants (design.md "Constants").

/** A numeric literal, possibly negated: kind "int" (value, or big digits with optional "-") or "float". */
interface Num {
  float: boolean;
  v: number;
  big: string | null;
}

function numLit(e: Expr): Num | null {
  if (e.k === "Constant") {
    if (e.kind === "int") {
      if (e.big !== undefined && e.big !== null && e.big !== "") return { float: false, v: 0, big: e.big };
      return { float: false, v: e.value as number, big: null };
    }
    if (e.kind === "float") return { float: true, v: e.value as number, big: null };
    return null;
  }
  if (e.k === "UnaryOp" && e.op === "-") {
    const n = numLit(e.operand);
    if (n === null) return null;
    if (n.big !== null) n.big = n.big.charAt(0) === "-" ? n.big.substring(1) : "-" + n.big;
    else n.v = n.float ? -n.v : 0 - n.v; // an int never becomes -0
    return n;
  }
  return null;
}

/** Whether e folds to an entry of the constant table (None/True/False have opcodes, not table entries). */
export function isConst(e: Expr): boolean {
  switch (e.k) {
    case "Constant":
      return e.kind === "int" || e.kind === "float" || e.kind === "str" || e.kind === "bytes" || e.kind === "Ellipsis";
    case "UnaryOp":
      return e.op === "-" && numLit(e) !== null;
    case "Tuple":
      for (let i = 0; i < e.elts.length; i++) if (!isConst(e.elts[i])) return false;
      return true;
  }
  return false;
}

/** Whether e is a constant in CPython's sense after folding (also None/True/False). */
function isConstantNode(e: Expr): boolean {
  return e.k === "Constant" || isConst(e);
}

function allConst(es: Expr[]): boolean {
  for (let i = 0; i < es.length; i++) if (!isConst(es[i])) return false;
  return true;
}

/** The table index of a folded constant expression (isConst(e) must hold). */
export function constOf(c: Compiler, e: Expr): number {
  if (e.k === "Tuple") return constTuple(c, e.elts);
  if (e.k === "Constant") {
    switch (e.kind) {
      case "str":
        return constIdx(c, { t: "str", v: e.value as string });
      case "bytes":
        return constIdx(c, { t: "bytes", v: e.value as string });
      case "Ellipsis":
        return constIdx(c, { t: "ellipsis" });
    }
  }
  const n = numLit(e) as Num;
  return constIdx(c, n.float ? { t: "float", v: n.v } : intConst(n.v, n.big));
}

function constTuple(c: Compiler, es: Expr[]): number {
  const v: number[] = [];
  for (let i = 0; i < es.length; i++) v.push(constOf(c, es[i]));
  return constIdx(c, { t: "tuple", v: v });
}

export function strTuple(c: Compiler, ss: string[]): number {
  const v: number[] = [];
  for (let i = 0; i < ss.length; i++) v.push(strConst(c, ss[i]));
  return constIdx(c, { t: "tuple", v: v });
}

const SMALL_MIN = -1073741824;
const SMALL_MAX = 1073741823;

function loadNum(c: Compiler, n: Num): void {
  if (!n.float && n.big === null && n.v >= SMALL_MIN && n.v <= SMALL_MAX) c.u.e.op(Op.LOAD_INT, n.v);
  else c.u.e.op(Op.LOAD_CONST, constIdx(c, n.float ? { t: "float", v: n.v } : intConst(n.v, n.big)));
}

function loadConstant(c: Compiler, e: Constant): void {
  switch (e.kind) {
    case "None":
      c.u.e.op0(Op.LOAD_NONE);
      return;
    case "True":
      c.u.e.op0(Op.LOAD_TRUE);
      return;
    case "False":
      c.u.e.op0(Op.LOAD_FALSE);
      return;
    case "int":
    case "float":
      loadNum(c, numLit(e) as Num);
      return;
  }
  c.u.e.op(Op.LOAD_CONST, constOf(c, e));
}

const SAFE = 9007199254740991;

/** 2^n for 0 <= n <= 62, exactly (no Math.pow: it is inexact on Espruino). */
function twoTo(n: number): number {
  let r = 1;
  for (let i = 0; i < n; i++) r *= 2;
  return r;
}

/**
 * The value of the argument of `X = const(expr)` when it folds to an int of at most 53 bits: int literals, earlier
 * constants and integer operators on them; null otherwise (the assignment then runs as written).
 */
export function foldConstInt(c: Compiler, e: Expr): number | null {
  let r: number;
  switch (e.k) {
    case "Constant":
      if (e.kind !== "int" || (e.big !== undefined && e.big !== null && e.big !== "")) return null;
      r = e.value as number;
      break;
    case "Name": {
      const v = c.mpConsts === null ? undefined : c.mpConsts["$" + e.id];
      if (v === undefined) return null;
      r = v;
      break;
    }
    case "UnaryOp": {
      const x = foldConstInt(c, e.operand);
      if (x === null) return null;
      if (e.op === "-") r = 0 - x;
      else if (e.op === "+") r = x;
      else if (e.op === "~") r = -x - 1;
      else return null;
      break;
    }
    case "BinOp": {
      const a = foldConstInt(c, e.left);
      const b = a === null ? null : foldConstInt(c, e.right);
      if (a === null || b === null) return null;
      const small = a > -2147483648 && a < 2147483648 && b > -2147483648 && b < 2147483648;
      switch (e.op) {
        case "+": r = a + b; break;
        case "-": r = a - b; break;
        case "*": r = a * b; break;
        case "//":
        case "%":
          if (b === 0 || !small) return null;
          r = Math.floor(a / b);
          if (e.op === "%") r = a - b * r;
          break;
        case "<<":
          if (b < 0 || b > 53) return null;
          r = a * twoTo(b);
          break;
        case ">>":
          if (b < 0) return null;
          r = Math.floor(a / twoTo(b > 60 ? 60 : b));
          break;
        case "&":
        case "|":
        case "^":
          if (!small) return null;
          r = e.op === "&" ? a & b : e.op === "|" ? a | b : a ^ b;
          break;
        case "**":
          if (b < 0 || b > 64) return null;
          r = 1;
          for (let i = 0; i < b && r <= SAFE && r >= -SAFE; i++) r *= a;
          break;
        default:
          return null;
      }
      break;
    }
    default:
      return null;
  }
  return r <= SAFE && r >= -SAFE ? r + 0 : null;
}

/** Load a folded int constant. */
export function loadInt(c: Compiler, v: number): void {
  loadNum(c, { float: false, v: v, big: null });
}

/** Truth value of a constant test (`if 0:`, `while True:`, `if __debug__:`): 1, 0, or -1 if not constant. */
export function exprConstant(c: Compiler, e: Expr): number {
  if (e.k === "Name" && e.id === "__debug__") return c.optimize ? 0 : 1;
  if (e.k === "Constant") {
    switch (e.kind) {
      case "None":
      case "False":
        return 0;
      case "True":
      case "Ellipsis":
        return 1;
      case "str":
      case "bytes":
        return (e.value as string).length ? 1 : 0;
    }
  }
  const n = numLit(e);
  if (n !== null) return n.big !== null || n.v !== 0 ? 1 : 0;
  if (e.k === "Tuple" && isConst(e)) return e.elts.length ? 1 : 0;
  return -1;
}

// ---------------------------------------------------------------------------------------------------------------
// Units: one per code object

// compiler_set_qualname: "f.<locals>.g", "C.m"; a function declared global in its parent gets its bare name.
function qualnameOf(parent: Unit | null, kind: number, name: string): string {
  if (parent === null || parent.parent === null) return name;
  if (kind === U_FUNCTION || kind === U_ASYNC_FUNCTION || kind === U_CLASS) {
    if (scopeOf(parent.scope, mangle(parent.priv, name)) === SC_GLOBAL_EXPLICIT) return name;
  }
  const pk = parent.kind;
  if (pk === U_FUNCTION || pk === U_ASYNC_FUNCTION || pk === U_LAMBDA) return parent.qualname + ".<locals>." + name;
  return parent.qualname + "." + name;
}

/** Starts compiling a new code object for `scope`; its index in codes is reserved now (pre-order). */
export function enterUnit(c: Compiler, scope: Scope, kind: number, name: string, firstline: number): Unit {
  const parent = c.u === null ? null : c.u;
  const u: Unit = {
    parent: parent,
    scope: scope,
    kind: kind,
    e: new Emitter(firstline),
    priv: parent === null ? null : parent.priv,
    name: name,
    qualname: qualnameOf(parent, kind, name),
    index: c.codes.length,
    firstline: firstline,
    argcount: 0,
    posonly: 0,
    kwonly: 0,
    fb: [],
  };
  if (kind === U_CLASS) u.priv = name;
  c.codes.push(null);
  c.u = u;
  // The VM makes every cell empty; a parameter that is also a cell is copied into it first.
  if (scope.type === B_FUNCTION) {
    const nl = scope.fast.length;
    for (let i = 0; i < scope.cells.length; i++) {
      const p = scope.params.indexOf(scope.cells[i]);
      if (p >= 0) {
        u.e.op(Op.LOAD_FAST, p);
        u.e.op(Op.STORE_DEREF, nl + i);
      }
    }
  }
  return u;
}

/** Ends the current unit (adding `LOAD_NONE; RETURN_VALUE` if it can fall off the end) and returns its index. */
export function finishUnit(c: Compiler, addNone: boolean): number {
  const u = c.u;
  const e = u.e;
  if (e.live()) {
    if (addNone) e.op0(Op.LOAD_NONE);
    e.op0(Op.RETURN_VALUE);
  }
  const s = u.scope;
  let flags = 0;
  if (s.type === B_FUNCTION) {
    if (s.nested) flags |= CF.CO_NESTED;
    if (s.generator && s.coroutine) flags |= CF.CO_ASYNC_GENERATOR;
    else if (s.generator) flags |= CF.CO_GENERATOR;
    else if (s.coroutine) flags |= CF.CO_COROUTINE;
    if (s.varargs) flags |= CF.CO_VARARGS;
    if (s.varkeywords) flags |= CF.CO_VARKEYWORDS;
  } else if (s.type === B_CLASS) flags |= CF.CO_CLASS_BODY;
  else flags |= CF.CO_MODULE;
  const r = e.finish(u.firstline);
  const varnames: number[] = [];
  for (let i = 0; i < s.fast.length; i++) varnames.push(nameIdx(c, s.fast[i]));
  for (let i = 0; i < s.cells.length; i++) varnames.push(nameIdx(c, s.cells[i]));
  for (let i = 0; i < s.frees.length; i++) varnames.push(nameIdx(c, s.frees[i]));
  c.codes[u.index] = {
    name: nameIdx(c, u.name),
    qualname: nameIdx(c, u.qualname),
    flags: flags,
    argcount: u.argcount,
    posonlyCount: u.posonly,
    kwonlyCount: u.kwonly,
    nlocals: s.fast.length,
    ncells: s.cells.length,
    nfree: s.frees.length,
    varnames: varnames,
    stacksize: r.stacksize,
    nblocks: r.nblocks,
    firstline: u.firstline,
    code: r.code,
    lines: r.lines,
  };
  c.u = u.parent as Unit;
  return u.index;
}

// compiler_make_closure: `[closure tuple] MAKE_FUNCTION code << 3 | flags`, with defaults already pushed.
export function makeClosure(c: Compiler, index: number, child: Scope, flags: number): void {
  const u = c.u;
  const s = u.scope;
  const n = child.frees.length;
  if (n > 0) {
    const nl = s.fast.length;
    for (let i = 0; i < n; i++) {
      const name = child.frees[i];
      let slot: number;
      // a class body's __class__ is always its own cell; a name both free and local in a class is a free variable
      if ((u.kind === U_CLASS && name === "__class__") || scopeOf(s, name) === SC_CELL) slot = s.cells.indexOf(name);
      else {
        slot = s.frees.indexOf(name);
        if (slot >= 0) slot += s.cells.length;
      }
      if (slot < 0) throw new Error("compiler: closure variable " + name + " not found in " + u.qualname);
      u.e.op(Op.LOAD_CLOSURE, nl + slot);
    }
    u.e.op(Op.BUILD_TUPLE, n);
    flags |= MF_CLOSURE;
  }
  u.e.op(Op.MAKE_FUNCTION, index * 8 + flags);
}

// ---------------------------------------------------------------------------------------------------------------
// Names

function forbidden(name: string, ctx: number, p: Pos): void {
  if (name === "__debug__") {
    if (ctx === STORE) throw error("cannot assign to __debug__", p);
    if (ctx === DEL) throw error("cannot delete __debug__", p);
  }
}

// compiler_nameop: the scope pass decides between FAST, DEREF, GLOBAL and NAME.
export function nameOp(c: Compiler, name: string, ctx: number, p: Pos): void {
  forbidden(name, ctx, p);
  const u = c.u;
  const s = u.scope;
  const m = mangle(u.priv, name);
  const sc = scopeOf(s, m);
  const isFunc = s.type === B_FUNCTION;
  if (c.mpConsts !== null && (s.type === B_MODULE || sc === SC_GLOBAL_EXPLICIT || sc === SC_GLOBAL_IMPLICIT)) {
    // a micropython.const global: loads are the constant, and it can't be rebound (MicroPython: a SyntaxError too)
    const v = c.mpConsts["$" + m];
    if (v !== undefined) {
      if (ctx !== LOAD) throw error("cannot assign to constant '" + name + "'", p);
      loadNum(c, { float: false, v: v, big: null });
      return;
    }
  }
  if (sc === SC_FREE || sc === SC_CELL) {
    const i = sc === SC_CELL ? s.cells.indexOf(m) : s.cells.length + s.frees.indexOf(m);
    const slot = s.fast.length + i;
    if (ctx === LOAD) u.e.op(s.type === B_CLASS ? Op.LOAD_CLASSDEREF : Op.LOAD_DEREF, slot);
    else u.e.op(ctx === STORE ? Op.STORE_DEREF : Op.DELETE_DEREF, slot);
    return;
  }
  if (sc === SC_LOCAL && isFunc) {
    const i = s.fast.indexOf(m);
    u.e.op(ctx === LOAD ? Op.LOAD_FAST : ctx === STORE ? Op.STORE_FAST : Op.DELETE_FAST, i);
    return;
  }
  const ni = nameIdx(c, m);
  // names the scope pass never saw (only compiler-made ones such as __module__) are NAME ops in a class or module
  if (sc === SC_GLOBAL_EXPLICIT || (isFunc && (sc === SC_GLOBAL_IMPLICIT || sc === 0)))
    u.e.op(ctx === LOAD ? Op.LOAD_GLOBAL : ctx === STORE ? Op.STORE_GLOBAL : Op.DELETE_GLOBAL, ni);
  else u.e.op(ctx === LOAD ? Op.LOAD_NAME : ctx === STORE ? Op.STORE_NAME : Op.DELETE_NAME, ni);
}

/** A NAME-operand instruction whose name is mangled in class bodies (attributes, methods, imported names). */
export function nameArgOp(c: Compiler, op: number, name: string): void {
  c.u.e.op(op, nameIdx(c, mangle(c.u.priv, name)));
}

// ---------------------------------------------------------------------------------------------------------------
// Expressions

/** Compiles e, giving its instructions e's line; the enclosing line is restored after (as CPython 3.9 does). */
export function expr(c: Compiler, e: Expr): void {
  const em = c.u.e;
  const old = em.line;
  em.line = e.line;
  expr1(c, e);
  em.line = old;
}

export function exprs(c: Compiler, es: Expr[]): void {
  for (let i = 0; i < es.length; i++) expr(c, es[i]);
}

function expr1(c: Compiler, e: Expr): void {
  const em = c.u.e;
  switch (e.k) {
    case "BoolOp":
      boolOp(c, e.op === "and", e.values);
      return;
    case "NamedExpr":
      // value; DUP_TOP; store target
      expr(c, e.value);
      em.op0(Op.DUP_TOP);
      nameOp(c, e.target.id, STORE, e.target);
      return;
    case "BinOp":
      binOp(c, e);
      return;
    case "UnaryOp": {
      const n = e.op === "-" ? numLit(e) : null;
      if (n !== null) loadNum(c, n);
      else {
        expr(c, e.operand);
        em.op(Op.UNARY_OP, UNOPS.indexOf(e.op));
      }
      return;
    }
    case "Lambda":
      lambda(c, e, e.args, e.body);
      return;
    case "IfExp": {
      // test → POP_JUMP_IF_FALSE next; body; JUMP end; next: orelse; end:
      const end = em.newLabel();
      const next = em.newLabel();
      jumpIf(c, e.test, next, false);
      expr(c, e.body);
      em.jump(Op.JUMP, end);
      em.bind(next);
      expr(c, e.orelse);
      em.bind(end);
      return;
    }
    case "Dict":
      dict(c, e.keys, e.values);
      return;
    case "Set":
      starUnpack(c, e.elts, 0, Op.BUILD_SET, Op.SET_ADD, Op.SET_UPDATE, false);
      return;
    case "ListComp":
      comprehension(c, e, COMP_LIST, "<listcomp>", e.generators, e.elt, null);
      return;
    case "SetComp":
      comprehension(c, e, COMP_SET, "<setcomp>", e.generators, e.elt, null);
      return;
    case "DictComp":
      comprehension(c, e, COMP_DICT, "<dictcomp>", e.generators, e.key, e.value);
      return;
    case "GeneratorExp":
      comprehension(c, e, COMP_GEN, "<genexpr>", e.generators, e.elt, null);
      return;
    case "Await":
      // GET_AWAITABLE; LOAD_NONE; YIELD_FROM
      if (c.u.scope.type !== B_FUNCTION) throw error("'await' outside function", e);
      if (c.u.kind !== U_ASYNC_FUNCTION && c.u.kind !== U_COMPREHENSION) throw error("'await' outside async function", e);
      expr(c, e.value);
      awaitValue(c);
      return;
    case "Yield":
      if (c.u.scope.type !== B_FUNCTION) throw error("'yield' outside function", e);
      if (e.value) expr(c, e.value);
      else em.op0(Op.LOAD_NONE);
      em.op0(Op.YIELD_VALUE);
      return;
    case "YieldFrom":
      // GET_YIELD_FROM_ITER; LOAD_NONE; YIELD_FROM
      if (c.u.scope.type !== B_FUNCTION) throw error("'yield' outside function", e);
      if (c.u.kind === U_ASYNC_FUNCTION) throw error("'yield from' inside async function", e);
      expr(c, e.value);
      em.op0(Op.GET_YIELD_FROM_ITER);
      em.op0(Op.LOAD_NONE);
      em.op0(Op.YIELD_FROM);
      return;
    case "Compare":
      compare(c, e.left, e.ops, e.comparators);
      return;
    case "Call":
      call(c, e.func, e.args, e.keywords);
      return;
    case "FormattedValue": {
      // value [spec] FORMAT_VALUE conversion | FV_SPEC
      expr(c, e.value);
      const cv = e.conversion;
      let arg = cv === 115 ? FV_STR : cv === 114 ? FV_REPR : cv === 97 ? FV_ASCII : 0;
      if (e.formatSpec) {
        expr(c, e.formatSpec);
        arg |= FV_SPEC;
      }
      em.op(Op.FORMAT_VALUE, arg);
      return;
    }
    case "JoinedStr":
      // the pieces, then BUILD_STRING n (a single piece is already the string)
      exprs(c, e.values);
      if (e.values.length !== 1) em.op(Op.BUILD_STRING, e.values.length);
      return;
    case "Constant":
      loadConstant(c, e);
      return;
    case "Attribute":
      expr(c, e.value);
      nameArgOp(c, Op.LOAD_ATTR, e.attr);
      return;
    case "Subscript":
      expr(c, e.value);
      expr(c, e.slice);
      em.op0(Op.BINARY_SUBSCR);
      return;
    case "Starred":
      throw error("can't use starred expression here", e);
    case "Name":
      if (e.id === "__debug__") em.op0(c.optimize ? Op.LOAD_FALSE : Op.LOAD_TRUE);
      else nameOp(c, e.id, LOAD, e);
      return;
    case "List":
      starUnpack(c, e.elts, 0, Op.BUILD_LIST, Op.LIST_APPEND, Op.LIST_EXTEND, false);
      return;
    case "Tuple":
      if (isConst(e)) em.op(Op.LOAD_CONST, constOf(c, e));
      else starUnpack(c, e.elts, 0, Op.BUILD_LIST, Op.LIST_APPEND, Op.LIST_EXTEND, true);
      return;
    case "Slice":
      // lower upper [step] BUILD_SLICE n, absent bounds being None
      if (e.lower) expr(c, e.lower);
      else em.op0(Op.LOAD_NONE);
      if (e.upper) expr(c, e.upper);
      else em.op0(Op.LOAD_NONE);
      if (e.step) expr(c, e.step);
      em.op(Op.BUILD_SLICE, e.step ? 3 : 2);
      return;
  }
}

// a + b + c: a b BINARY_OP c BINARY_OP. The parser builds such chains with a loop, so they can be far deeper than
// its nesting limit: the left spine is walked iteratively to keep the JS stack (shallow on a board) flat.
function binOp(c: Compiler, e: BinOp): void {
  const em = c.u.e;
  const spine: BinOp[] = [];
  let x: Expr = e;
  while (x.k === "BinOp") {
    spine.push(x);
    x = x.left;
  }
  em.line = spine[spine.length - 1].line;
  expr(c, x);
  for (let i = spine.length - 1; i >= 0; i--) {
    const b = spine[i];
    em.line = b.line;
    expr(c, b.right);
    em.op(Op.BINARY_OP, BINOPS.indexOf(b.op));
  }
}

export function awaitValue(c: Compiler): void {
  c.u.e.op0(Op.GET_AWAITABLE);
  c.u.e.op0(Op.LOAD_NONE);
  c.u.e.op0(Op.YIELD_FROM);
}

// a and b and c: a JUMP_IF_FALSE_OR_POP end; b JUMP_IF_FALSE_OR_POP end; c; end:
function boolOp(c: Compiler, isAnd: boolean, values: Expr[]): void {
  const em = c.u.e;
  const jop = isAnd ? Op.JUMP_IF_FALSE_OR_POP : Op.JUMP_IF_TRUE_OR_POP;
  const end = em.newLabel();
  const n = values.length - 1;
  for (let i = 0; i < n; i++) {
    expr(c, values[i]);
    em.jump(jop, end);
  }
  expr(c, values[n]);
  em.bind(end);
}

function cmpOp(c: Compiler, op: CmpOpName): void {
  const em = c.u.e;
  if (op === "is") em.op(Op.IS_OP, 0);
  else if (op === "is not") em.op(Op.IS_OP, 1);
  else if (op === "in") em.op(Op.CONTAINS_OP, 0);
  else if (op === "not in") em.op(Op.CONTAINS_OP, 1);
  else em.op(Op.COMPARE_OP, CMPOPS.indexOf(op));
}

// a < b < c: a b DUP_TOP ROT_THREE < JUMP_IF_FALSE_OR_POP cleanup c < JUMP end; cleanup: ROT_TWO POP_TOP; end:
function compare(c: Compiler, left: Expr, ops: CmpOpName[], comps: Expr[]): void {
  const em = c.u.e;
  expr(c, left);
  const n = ops.length - 1;
  if (n === 0) {
    expr(c, comps[0]);
    cmpOp(c, ops[0]);
    return;
  }
  const cleanup = em.newLabel();
  for (let i = 0; i < n; i++) {
    expr(c, comps[i]);
    em.op0(Op.DUP_TOP);
    em.op0(Op.ROT_THREE);
    cmpOp(c, ops[i]);
    em.jump(Op.JUMP_IF_FALSE_OR_POP, cleanup);
  }
  expr(c, comps[n]);
  cmpOp(c, ops[n]);
  const end = em.newLabel();
  em.jump(Op.JUMP, end);
  em.bind(cleanup);
  em.op0(Op.ROT_TWO);
  em.op0(Op.POP_TOP);
  em.bind(end);
}

/**
 * compiler_jump_if: jumps to `next` when e's truth equals `cond`, falling through otherwise, without building
 * intermediate bools for `not`, `and`/`or`, conditional expressions and chained comparisons.
 */
export function jumpIf(c: Compiler, e: Expr, next: number, cond: boolean): void {
  const em = c.u.e;
  const old = em.line;
  em.line = e.line;
  jumpIf1(c, e, next, cond);
  em.line = old;
}

function jumpIf1(c: Compiler, e: Expr, next: number, cond: boolean): void {
  const em = c.u.e;
  switch (e.k) {
    case "UnaryOp":
      if (e.op === "not") {
        jumpIf(c, e.operand, next, !cond);
        return;
      }
      break;
    case "BoolOp": {
      const s = e.values;
      const n = s.length - 1;
      const cond2 = e.op === "or";
      let next2 = next;
      if (cond2 !== cond) next2 = em.newLabel();
      for (let i = 0; i < n; i++) jumpIf(c, s[i], next2, cond2);
      jumpIf(c, s[n], next, cond);
      if (next2 !== next) em.bind(next2);
      return;
    }
    case "IfExp": {
      const end = em.newLabel();
      const next2 = em.newLabel();
      jumpIf(c, e.test, next2, false);
      jumpIf(c, e.body, next, cond);
      em.jump(Op.JUMP, end);
      em.bind(next2);
      jumpIf(c, e.orelse, next, cond);
      em.bind(end);
      return;
    }
    case "Compare": {
      const n = e.ops.length - 1;
      if (n > 0) {
        const cleanup = em.newLabel();
        expr(c, e.left);
        for (let i = 0; i < n; i++) {
          expr(c, e.comparators[i]);
          em.op0(Op.DUP_TOP);
          em.op0(Op.ROT_THREE);
          cmpOp(c, e.ops[i]);
          em.jump(Op.POP_JUMP_IF_FALSE, cleanup);
        }
        expr(c, e.comparators[n]);
        cmpOp(c, e.ops[n]);
        em.jump(cond ? Op.POP_JUMP_IF_TRUE : Op.POP_JUMP_IF_FALSE, next);
        const end = em.newLabel();
        em.jump(Op.JUMP, end);
        em.bind(cleanup);
        em.op0(Op.POP_TOP);
        if (!cond) em.jump(Op.JUMP, next);
        em.bind(end);
        return;
      }
      break;
    }
  }
  expr(c, e);
  em.jump(cond ? Op.POP_JUMP_IF_TRUE : Op.POP_JUMP_IF_FALSE, next);
}

/**
 * starunpack_helper: a list, set or tuple display (or a call's positional arguments) with `pushed` values already
 * on the stack. Without stars: items, BUILD n. With stars: BUILD (items before the first star), then
 * LIST_EXTEND/SET_UPDATE for each starred item and LIST_APPEND/SET_ADD for each plain one (LIST_TO_TUPLE for a
 * tuple). More than two constant items: BUILD 0, LOAD_CONST (tuple), EXTEND 1.
 */
export function starUnpack(
  c: Compiler,
  elts: Expr[],
  pushed: number,
  build: number,
  addOp: number,
  extend: number,
  tuple: boolean,
): void {
  const em = c.u.e;
  const n = elts.length;
  if (n > 2 && pushed === 0 && allConst(elts)) {
    const k = constTuple(c, elts);
    if (tuple) em.op(Op.LOAD_CONST, k);
    else {
      em.op(build, 0);
      em.op(Op.LOAD_CONST, k);
      em.op(extend, 1);
    }
    return;
  }
  let star = false;
  for (let i = 0; i < n; i++) if (elts[i].k === "Starred") star = true;
  if (!star) {
    exprs(c, elts);
    em.op(tuple ? Op.BUILD_TUPLE : build, n + pushed);
    return;
  }
  let seen = false;
  for (let i = 0; i < n; i++) {
    const elt = elts[i];
    if (elt.k === "Starred") {
      if (!seen) {
        em.op(build, i + pushed);
        seen = true;
      }
      expr(c, elt.value);
      em.op(extend, 1);
    } else {
      expr(c, elt);
      if (seen) em.op(addOp, 1);
    }
  }
  if (tuple) em.op0(Op.LIST_TO_TUPLE);
}

// compiler_dict: runs of key: value pairs become BUILD_MAP n; `**m` entries are merged with DICT_UPDATE.
function dict(c: Compiler, keys: (Expr | null)[], values: Expr[]): void {
  const em = c.u.e;
  const n = values.length;
  let haveDict = false;
  let elements = 0;
  for (let i = 0; i < n; i++) {
    if (keys[i] === null) {
      if (elements) {
        subdict(c, keys, values, i - elements, i);
        if (haveDict) em.op(Op.DICT_UPDATE, 1);
        haveDict = true;
        elements = 0;
      }
      if (!haveDict) {
        em.op(Op.BUILD_MAP, 0);
        haveDict = true;
      }
      expr(c, values[i]);
      em.op(Op.DICT_UPDATE, 1);
    } else elements++;
  }
  if (elements) {
    subdict(c, keys, values, n - elements, n);
    if (haveDict) em.op(Op.DICT_UPDATE, 1);
    haveDict = true;
  }
  if (!haveDict) em.op(Op.BUILD_MAP, 0);
}

function subdict(c: Compiler, keys: (Expr | null)[], values: Expr[], begin: number, end: number): void {
  for (let i = begin; i < end; i++) {
    expr(c, keys[i] as Expr);
    expr(c, values[i]);
  }
  c.u.e.op(Op.BUILD_MAP, end - begin);
}

// ---------------------------------------------------------------------------------------------------------------
// Calls

// validate_keywords: no `__debug__=`, no keyword given twice.
function validateKeywords(keywords: Keyword[]): void {
  for (let i = 0; i < keywords.length; i++) {
    const a = keywords[i].arg;
    if (a === null) continue;
    forbidden(a, STORE, keywords[i]);
    for (let j = i + 1; j < keywords.length; j++)
      if (keywords[j].arg === a) throw error("keyword argument repeated: " + a, keywords[j]);
  }
}

// compiler_call: `o.m(args)` without stars or keywords is LOAD_METHOD m; args; CALL_METHOD n.
function call(c: Compiler, func: Expr, args: Expr[], keywords: Keyword[]): void {
  if (func.k === "Attribute" && keywords.length === 0) {
    let star = false;
    for (let i = 0; i < args.length; i++) if (args[i].k === "Starred") star = true;
    if (!star) {
      expr(c, func.value);
      const em = c.u.e;
      const old = em.line;
      em.line = func.line;
      nameArgOp(c, Op.LOAD_METHOD, func.attr);
      em.line = old;
      exprs(c, args);
      em.op(Op.CALL_METHOD, args.length);
      return;
    }
  }
  expr(c, func);
  callHelper(c, 0, args, keywords);
}

/**
 * compiler_call_helper, with `n` values (function, class name…) already pushed. Plain: CALL_FUNCTION; keywords:
 * CALL_FUNCTION_KW with a constant tuple of names; any `*` or `**`: an argument tuple (always a tuple, even for a
 * lone `*a`) and, with keywords, one dict merged in source order, for CALL_FUNCTION_EX.
 */
export function callHelper(c: Compiler, n: number, args: Expr[], keywords: Keyword[]): void {
  const em = c.u.e;
  validateKeywords(keywords);
  let ex = false;
  for (let i = 0; i < args.length; i++) if (args[i].k === "Starred") ex = true;
  for (let i = 0; i < keywords.length; i++) if (keywords[i].arg === null) ex = true;
  const nkw = keywords.length;
  if (!ex) {
    exprs(c, args);
    if (nkw) {
      const names: string[] = [];
      for (let i = 0; i < nkw; i++) {
        expr(c, keywords[i].value);
        names.push(keywords[i].arg as string);
      }
      em.op(Op.LOAD_CONST, strTuple(c, names));
      em.op(Op.CALL_FUNCTION_KW, n + args.length + nkw);
    } else em.op(Op.CALL_FUNCTION, n + args.length);
    return;
  }
  starUnpack(c, args, n, Op.BUILD_LIST, Op.LIST_APPEND, Op.LIST_EXTEND, true);
  if (nkw) {
    let haveDict = false;
    let seen = 0; // plain keywords waiting to be packed into a dict
    for (let i = 0; i < nkw; i++) {
      const kw = keywords[i];
      if (kw.arg === null) {
        if (seen) {
          subkwargs(c, keywords, i - seen, i);
          if (haveDict) em.op(Op.DICT_MERGE, 1);
          haveDict = true;
          seen = 0;
        }
        if (!haveDict) {
          em.op(Op.BUILD_MAP, 0);
          haveDict = true;
        }
        expr(c, kw.value);
        em.op(Op.DICT_MERGE, 1);
      } else seen++;
    }
    if (seen) {
      subkwargs(c, keywords, nkw - seen, nkw);
      if (haveDict) em.op(Op.DICT_MERGE, 1);
    }
  }
  em.op(Op.CALL_FUNCTION_EX, nkw > 0 ? 1 : 0);
}

function subkwargs(c: Compiler, keywords: Keyword[], begin: number, end: number): void {
  for (let i = begin; i < end; i++) {
    c.u.e.op(Op.LOAD_CONST, strConst(c, keywords[i].arg as string));
    expr(c, keywords[i].value);
  }
  c.u.e.op(Op.BUILD_MAP, end - begin);
}

// ---------------------------------------------------------------------------------------------------------------
// Functions: defaults, lambdas

function checkDebugArgs(a: Arguments): void {
  const lists = [a.posonly, a.args, a.kwonly];
  for (let j = 0; j < lists.length; j++)
    for (let i = 0; i < lists[j].length; i++) forbidden(lists[j][i].name, STORE, lists[j][i]);
  if (a.vararg) forbidden(a.vararg.name, STORE, a.vararg);
  if (a.kwarg) forbidden(a.kwarg.name, STORE, a.kwarg);
}

/**
 * compiler_default_arguments: `[defaults tuple] [kwdefaults dict]`, returning the MAKE_FUNCTION flags. The dict's
 * keys are the (mangled) keyword-only parameter names.
 */
export function defaultArgs(c: Compiler, a: Arguments): number {
  checkDebugArgs(a);
  const em = c.u.e;
  let flags = 0;
  if (a.defaults.length) {
    if (allConst(a.defaults)) em.op(Op.LOAD_CONST, constTuple(c, a.defaults));
    else {
      exprs(c, a.defaults);
      em.op(Op.BUILD_TUPLE, a.defaults.length);
    }
    flags |= MF_DEFAULTS;
  }
  let n = 0;
  for (let i = 0; i < a.kwonly.length; i++) {
    const d = a.kwDefaults[i];
    if (d) {
      em.op(Op.LOAD_CONST, strConst(c, mangle(c.u.priv, a.kwonly[i].name)));
      expr(c, d);
      n++;
    }
  }
  if (n) {
    em.op(Op.BUILD_MAP, n);
    flags |= MF_KWDEFAULTS;
  }
  return flags;
}

export function setArgCounts(u: Unit, a: Arguments): void {
  u.argcount = a.posonly.length + a.args.length;
  u.posonly = a.posonly.length;
  u.kwonly = a.kwonly.length;
}

// lambda: defaults; MAKE_FUNCTION of a code object whose body is `<expr>; RETURN_VALUE`.
function lambda(c: Compiler, e: Expr, a: Arguments, body: Expr): void {
  const flags = defaultArgs(c, a);
  const child = findChild(c.u.scope, e);
  const u = enterUnit(c, child, U_LAMBDA, "<lambda>", e.line);
  setArgCounts(u, a);
  expr(c, body);
  u.e.op0(Op.RETURN_VALUE);
  const index = finishUnit(c, false);
  makeClosure(c, index, child, flags);
}

// ---------------------------------------------------------------------------------------------------------------
// Comprehensions: a nested code object with parameter .0, called with the first iterable's iterator

function comprehension(
  c: Compiler,
  e: Expr,
  kind: number,
  name: string,
  gens: Comprehension[],
  elt: Expr,
  val: Expr | null,
): void {
  const outerKind = c.u.kind;
  const child = findChild(c.u.scope, e);
  const u = enterUnit(c, child, U_COMPREHENSION, name, e.line);
  u.argcount = 1;
  const isAsync = child.coroutine;
  if (isAsync && kind !== COMP_GEN && outerKind !== U_ASYNC_FUNCTION && outerKind !== U_COMPREHENSION)
    throw error("asynchronous comprehension outside of an asynchronous function", e);
  if (kind !== COMP_GEN) u.e.op(kind === COMP_LIST ? Op.BUILD_LIST : kind === COMP_SET ? Op.BUILD_SET : Op.BUILD_MAP, 0);
  compGenerator(c, gens, 0, 0, elt, val, kind);
  if (kind !== COMP_GEN) u.e.op0(Op.RETURN_VALUE);
  const index = finishUnit(c, true);
  makeClosure(c, index, child, 0);
  expr(c, gens[0].iter);
  const em = c.u.e;
  em.op0(gens[0].isAsync ? Op.GET_AITER : Op.GET_ITER);
  em.op(Op.CALL_FUNCTION, 1);
  if (isAsync && kind !== COMP_GEN) awaitValue(c);
}

function compGenerator(
  c: Compiler,
  gens: Comprehension[],
  gi: number,
  depth: number,
  elt: Expr,
  val: Expr | null,
  kind: number,
): void {
  if (gens[gi].isAsync) asyncCompGenerator(c, gens, gi, depth, elt, val, kind);
  else syncCompGenerator(c, gens, gi, depth, elt, val, kind);
}

// The innermost part: yield, or add to the container `depth + 1` below the top.
function compElement(c: Compiler, depth: number, elt: Expr, val: Expr | null, kind: number): void {
  const em = c.u.e;
  expr(c, elt);
  if (kind === COMP_GEN) {
    em.op0(Op.YIELD_VALUE);
    em.op0(Op.POP_TOP);
  } else if (kind === COMP_LIST) em.op(Op.LIST_APPEND, depth + 1);
  else if (kind === COMP_SET) em.op(Op.SET_ADD, depth + 1);
  else {
    expr(c, val as Expr);
    em.op(Op.MAP_ADD, depth + 1);
  }
}

// for target in iter if cond…: [LOAD_FAST .0 | iter GET_ITER] start: FOR_ITER anchor; target; ifs; <inner>;
// if_cleanup: JUMP start; anchor:. An inner `for y in [x]` (one plain item) is just an assignment, as in 3.9.
function syncCompGenerator(
  c: Compiler,
  gens: Comprehension[],
  gi: number,
  depth: number,
  elt: Expr,
  val: Expr | null,
  kind: number,
): void {
  const em = c.u.e;
  const g = gens[gi];
  const start = em.newLabel();
  const ifCleanup = em.newLabel();
  const anchor = em.newLabel();
  let loop = true;
  if (gi === 0) em.op(Op.LOAD_FAST, 0);
  else {
    const it = g.iter;
    if ((it.k === "List" || it.k === "Tuple") && it.elts.length === 1 && it.elts[0].k !== "Starred") {
      expr(c, it.elts[0]);
      loop = false;
    } else {
      expr(c, it);
      em.op0(Op.GET_ITER);
    }
  }
  if (loop) {
    depth++;
    em.bind(start);
    em.jump(Op.FOR_ITER, anchor);
  }
  storeTarget(c, g.target);
  for (let i = 0; i < g.ifs.length; i++) jumpIf(c, g.ifs[i], ifCleanup, false);
  if (gi + 1 < gens.length) compGenerator(c, gens, gi + 1, depth, elt, val, kind);
  else compElement(c, depth, elt, val, kind);
  em.bind(ifCleanup);
  if (loop) {
    em.jump(Op.JUMP, start);
    em.bind(anchor);
  }
}

// async for in a comprehension: start: SETUP_FINALLY except; GET_ANEXT; LOAD_NONE; YIELD_FROM; POP_BLOCK; target;
// ifs; <inner>; if_cleanup: JUMP start; except: END_ASYNC_FOR
function asyncCompGenerator(
  c: Compiler,
  gens: Comprehension[],
  gi: number,
  depth: number,
  elt: Expr,
  val: Expr | null,
  kind: number,
): void {
  const em = c.u.e;
  const g = gens[gi];
  const start = em.newLabel();
  const except = em.newLabel();
  const ifCleanup = em.newLabel();
  if (gi === 0) em.op(Op.LOAD_FAST, 0);
  else {
    expr(c, g.iter);
    em.op0(Op.GET_AITER);
  }
  em.bind(start);
  em.jump(Op.SETUP_FINALLY, except);
  em.op0(Op.GET_ANEXT);
  em.op0(Op.LOAD_NONE);
  em.op0(Op.YIELD_FROM);
  em.op0(Op.POP_BLOCK);
  storeTarget(c, g.target);
  for (let i = 0; i < g.ifs.length; i++) jumpIf(c, g.ifs[i], ifCleanup, false);
  depth++;
  if (gi + 1 < gens.length) compGenerator(c, gens, gi + 1, depth, elt, val, kind);
  else compElement(c, depth, elt, val, kind);
  em.bind(ifCleanup);
  em.jump(Op.JUMP, start);
  em.bind(except);
  em.op0(Op.END_ASYNC_FOR);
}

// ---------------------------------------------------------------------------------------------------------------
// Assignment and deletion targets

// unpack_helper: UNPACK_SEQUENCE n, or UNPACK_EX before | after << 8 around one starred target.
function unpack(c: Compiler, elts: Expr[]): void {
  const n = elts.length;
  let seen = false;
  for (let i = 0; i < n; i++) {
    const elt = elts[i];
    if (elt.k === "Starred") {
      if (seen) throw error("multiple starred expressions in assignment", elt);
      if (i >= 256 || n - i - 1 >= 8388607) throw error("too many expressions in star-unpacking assignment", elt);
      c.u.e.op(Op.UNPACK_EX, i + (n - i - 1) * 256);
      seen = true;
    }
  }
  if (!seen) c.u.e.op(Op.UNPACK_SEQUENCE, n);
}

/** Stores the value on top of the stack into a target (popping it). */
export function storeTarget(c: Compiler, t: Expr): void {
  const em = c.u.e;
  const old = em.line;
  em.line = t.line;
  switch (t.k) {
    case "Name":
      nameOp(c, t.id, STORE, t);
      break;
    case "Attribute":
      // value obj STORE_ATTR
      forbidden(t.attr, STORE, t);
      expr(c, t.value);
      nameArgOp(c, Op.STORE_ATTR, t.attr);
      break;
    case "Subscript":
      // value obj key STORE_SUBSCR
      expr(c, t.value);
      expr(c, t.slice);
      em.op0(Op.STORE_SUBSCR);
      break;
    case "Tuple":
    case "List":
      unpack(c, t.elts);
      for (let i = 0; i < t.elts.length; i++) {
        const elt = t.elts[i];
        storeTarget(c, elt.k === "Starred" ? elt.value : elt);
      }
      break;
    case "Starred":
      throw error("starred assignment target must be in a list or tuple", t);
    default:
      throw error("cannot assign to expression", t);
  }
  em.line = old;
}

/** `del target`. */
export function delTarget(c: Compiler, t: Expr): void {
  const em = c.u.e;
  const old = em.line;
  em.line = t.line;
  switch (t.k) {
    case "Name":
      nameOp(c, t.id, DEL, t);
      break;
    case "Attribute":
      expr(c, t.value);
      nameArgOp(c, Op.DELETE_ATTR, t.attr);
      break;
    case "Subscript":
      expr(c, t.value);
      expr(c, t.slice);
      em.op0(Op.DELETE_SUBSCR);
      break;
    case "Tuple":
    case "List":
      for (let i = 0; i < t.elts.length; i++) delTarget(c, t.elts[i]);
      break;
    default:
      throw error("cannot delete expression", t);
  }
  em.line = old;
}

/** Whether an expression statement is a constant (docstrings and the like are not compiled). */
export function isConstantStmt(e: Expr): boolean {
  return isConstantNode(e);
}
