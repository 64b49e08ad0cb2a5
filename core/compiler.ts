// The bytecode compiler: AST (after the scope pass) → Program. This file holds the entry points and statements;
// expressions, names, constants and code-object units are in compiler-expr.ts, byte encoding and stack tracking in
// emitter.ts. Sequences follow CPython 3.9's compile.c except where docs/design.md fixes otherwise (exception
// handlers entered with `prev exc`, LOAD_INT/LOAD_NONE…, MAKE_FUNCTION operands, no docstrings or annotations).

import {
  Module,
  Stmt,
  Expr,
  FunctionDef,
  ClassDef,
  For,
  While,
  If,
  With,
  Try,
  Import,
  ImportFrom,
  AugAssign,
  AnnAssign,
  Assign,
  Return,
  Pos,
} from "./ast";
import { Program, CodeObject } from "./code";
import { BINOPS, BINOP_INPLACE } from "./opcodes";
import { Op } from "./generated/op";
import { buildScopes, findChild, B_FUNCTION, B_MODULE } from "./scope";
import {
  Compiler,
  FBlock,
  newCompiler,
  error,
  nameIdx,
  strTuple,
  strConst,
  enterUnit,
  finishUnit,
  makeClosure,
  nameOp,
  nameArgOp,
  expr,
  jumpIf,
  storeTarget,
  delTarget,
  callHelper,
  defaultArgs,
  setArgCounts,
  exprConstant,
  isConstantStmt,
  awaitValue,
  foldConstInt,
  loadInt,
  LOAD,
  STORE,
  DEL,
  U_MODULE,
  U_CLASS,
  U_FUNCTION,
  U_ASYNC_FUNCTION,
} from "./compiler-expr";
import { parse } from "./parser";

// Kinds of statically nested blocks that break/continue/return must unwind (CPython's fblocktype).
const FB_WHILE_LOOP = 0;
const FB_FOR_LOOP = 1;
const FB_TRY_EXCEPT = 2;
const FB_FINALLY_TRY = 3;
const FB_FINALLY_END = 4;
const FB_WITH = 5;
const FB_ASYNC_WITH = 6;
const FB_HANDLER_CLEANUP = 7;
const FB_POP_VALUE = 8;
const FB_EXCEPTION_HANDLER = 9;

// A static nesting limit, reported as a SyntaxError. CPython's CO_MAXBLOCKS is 20; MicroPython has none and its tests
// nest 22 deep (try_except_break.py). Frames size their block stacks per code object, so a deep limit costs nothing.
const MAX_FBLOCKS = 64;

const FUTURES = [
  "nested_scopes",
  "generators",
  "division",
  "absolute_import",
  "with_statement",
  "print_function",
  "unicode_literals",
  "barry_as_FLUFL",
  "generator_stop",
  "annotations",
];

/** Compiles source text (parse, scope pass, code generation). Throws CompileError on a syntax error. */
export function compile(src: string, filename: string, mode: "exec" | "eval" | "single", optimize: number): Program {
  return compileAst(parse(src, filename, mode), filename, mode, optimize);
}

/**
 * Compiles a parsed module. mode "exec": a module body; "eval": the single expression's value is returned;
 * "single": REPL input, whose module-level expression statements are printed (PRINT_EXPR). optimize ≥ 1 drops
 * asserts and makes `__debug__` False. Deterministic: the same tree gives the same Program.
 */
export function compileAst(mod: Module, filename: string, mode: "exec" | "eval" | "single", optimize: number): Program {
  const futureLine = checkFutures(mod);
  const top = buildScopes(mod);
  const c = newCompiler(filename, optimize, mode === "single");
  c.futureLine = futureLine;
  nameIdx(c, filename); // images name their file through the name table
  const u = enterUnit(c, top, U_MODULE, "<module>", 1);
  if (mode === "eval") {
    const s = mod.body[0];
    if (mod.body.length !== 1 || s.k !== "Expr") throw error("invalid syntax", s || mod);
    u.e.line = s.line;
    expr(c, s.value);
    u.e.op0(Op.RETURN_VALUE);
    finishUnit(c, false);
  } else {
    stmts(c, mod.body);
    finishUnit(c, true);
  }
  return { filename: filename, names: c.names, consts: c.consts, codes: c.codes as CodeObject[] };
}

// future.c: `from __future__ import x` only at the top (after a docstring) and only of known features. Returns
// the line of the last one there (0 if none); importFrom rejects any other, nested ones included.
function checkFutures(mod: Module): number {
  let atStart = true;
  let last = 0;
  for (let i = 0; i < mod.body.length; i++) {
    const s = mod.body[i];
    if (s.k === "ImportFrom" && s.module === "__future__" && s.level === 0) {
      if (!atStart) throw error("from __future__ imports must occur at the beginning of the file", s);
      for (let j = 0; j < s.names.length; j++) {
        const f = s.names[j].name;
        if (f === "braces") throw error("not a chance", s.names[j]);
        if (FUTURES.indexOf(f) < 0) throw error("future feature " + f + " is not defined", s.names[j]);
      }
      last = s.line;
    } else if (!(i === 0 && s.k === "Expr" && s.value.k === "Constant" && s.value.kind === "str")) atStart = false;
  }
  return last;
}

// ---------------------------------------------------------------------------------------------------------------
// Statements

export function stmts(c: Compiler, body: Stmt[]): void {
  for (let i = 0; i < body.length; i++) stmt(c, body[i]);
}

function stmt(c: Compiler, s: Stmt): void {
  const em = c.u.e;
  em.line = s.line;
  switch (s.k) {
    case "FunctionDef":
      functionDef(c, s);
      return;
    case "ClassDef":
      classDef(c, s);
      return;
    case "Return":
      returnStmt(c, s);
      return;
    case "Delete":
      for (let i = 0; i < s.targets.length; i++) delTarget(c, s.targets[i]);
      return;
    case "Assign":
      assign(c, s);
      return;
    case "AugAssign":
      augAssign(c, s);
      return;
    case "AnnAssign":
      annAssign(c, s);
      return;
    case "For":
      if (s.isAsync) asyncForStmt(c, s);
      else forStmt(c, s);
      return;
    case "While":
      whileStmt(c, s);
      return;
    case "If":
      ifStmt(c, s);
      return;
    case "With":
      if (s.isAsync) {
        if (c.u.kind !== U_ASYNC_FUNCTION) throw error("'async with' outside async function", s);
        asyncWith(c, s, 0);
      } else withStmt(c, s, 0);
      return;
    case "Raise": {
      // [exc [cause]] RAISE_VARARGS n
      let n = 0;
      if (s.exc) {
        expr(c, s.exc);
        n++;
        if (s.cause) {
          expr(c, s.cause);
          n++;
        }
      }
      em.op(Op.RAISE_VARARGS, n);
      return;
    }
    case "Try":
      if (s.finalbody.length) tryFinally(c, s);
      else tryExcept(c, s);
      return;
    case "Assert": {
      // test POP_JUMP_IF_TRUE end; LOAD_ASSERTION_ERROR [msg CALL_FUNCTION 1]; RAISE_VARARGS 1; end:
      if (c.optimize) return;
      const end = em.newLabel();
      jumpIf(c, s.test, end, true);
      em.op0(Op.LOAD_ASSERTION_ERROR);
      if (s.msg) {
        expr(c, s.msg);
        em.op(Op.CALL_FUNCTION, 1);
      }
      em.op(Op.RAISE_VARARGS, 1);
      em.bind(end);
      return;
    }
    case "Import":
      importStmt(c, s);
      return;
    case "ImportFrom":
      importFrom(c, s);
      return;
    case "Global":
    case "Nonlocal":
    case "Pass":
      return;
    case "Expr": {
      // REPL: value PRINT_EXPR; else value POP_TOP, and nothing at all for a constant (docstrings…)
      const v = s.value;
      if (c.interactive && c.u.kind === U_MODULE) {
        expr(c, v);
        em.op0(Op.PRINT_EXPR);
      } else if (!isConstantStmt(v)) {
        expr(c, v);
        em.op0(Op.POP_TOP);
      }
      return;
    }
    case "Break":
      breakStmt(c, s);
      return;
    case "Continue":
      continueStmt(c, s);
      return;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Definitions

// decorators…; [defaults] [kwdefaults] [closure] MAKE_FUNCTION; CALL_FUNCTION 1 per decorator; store name
function functionDef(c: Compiler, s: FunctionDef): void {
  const em = c.u.e;
  for (let i = 0; i < s.decorators.length; i++) expr(c, s.decorators[i]);
  const firstline = s.decorators.length ? s.decorators[0].line : s.line;
  const flags = defaultArgs(c, s.args);
  const child = findChild(c.u.scope, s);
  const u = enterUnit(c, child, s.isAsync ? U_ASYNC_FUNCTION : U_FUNCTION, s.name, firstline);
  setArgCounts(u, s.args);
  stmts(c, s.body);
  const index = finishUnit(c, true);
  makeClosure(c, index, child, flags);
  for (let i = 0; i < s.decorators.length; i++) em.op(Op.CALL_FUNCTION, 1);
  nameOp(c, s.name, STORE, s);
}

// decorators…; LOAD_BUILD_CLASS; MAKE_FUNCTION body; LOAD_CONST "Name"; bases…; CALL_FUNCTION n (or _KW/_EX);
// CALL_FUNCTION 1 per decorator; store name. The body sets __module__ and __qualname__ and returns its
// __class__ cell (or None).
function classDef(c: Compiler, s: ClassDef): void {
  const em = c.u.e;
  for (let i = 0; i < s.decorators.length; i++) expr(c, s.decorators[i]);
  const firstline = s.decorators.length ? s.decorators[0].line : s.line;
  const child = findChild(c.u.scope, s);
  const u = enterUnit(c, child, U_CLASS, s.name, firstline);
  u.e.line = s.line;
  nameOp(c, "__name__", LOAD, s);
  nameOp(c, "__module__", STORE, s);
  u.e.op(Op.LOAD_CONST, strConst(c, u.qualname));
  nameOp(c, "__qualname__", STORE, s);
  stmts(c, s.body);
  if (u.e.live()) {
    if (child.needsClassClosure) u.e.op(Op.LOAD_CLOSURE, child.cells.indexOf("__class__"));
    else u.e.op0(Op.LOAD_NONE);
    u.e.op0(Op.RETURN_VALUE);
  }
  const index = finishUnit(c, false);
  em.op0(Op.LOAD_BUILD_CLASS);
  makeClosure(c, index, child, 0);
  em.op(Op.LOAD_CONST, strConst(c, s.name));
  callHelper(c, 2, s.bases, s.keywords);
  for (let i = 0; i < s.decorators.length; i++) em.op(Op.CALL_FUNCTION, 1);
  nameOp(c, s.name, STORE, s);
}

// ---------------------------------------------------------------------------------------------------------------
// Assignment

// value; (DUP_TOP; target)… target. `a, b = x, y` (2 or 3 plain names/targets on both sides) swaps with ROT_*
// instead of building and unpacking a tuple, as CPython's peephole pass does.
function assign(c: Compiler, s: Assign): void {
  const em = c.u.e;
  const n = s.targets.length;
  const t0 = s.targets[0];
  const v = s.value;
  if (
    c.mpConsts !== null &&
    c.u.scope.type === B_MODULE &&
    n === 1 &&
    t0.k === "Name" &&
    v.k === "Call" &&
    v.func.k === "Name" &&
    v.func.id === "const" &&
    v.args.length === 1 &&
    v.keywords.length === 0
  ) {
    // MicroPython's `X = const(expr)` after `from micropython import const`: an int expression is folded, later
    // uses of X compile to the value, and `_X` (private) is not stored at all
    const val = foldConstInt(c, v.args[0]);
    if (val !== null) {
      if (t0.id.charCodeAt(0) !== 95) {
        loadInt(c, val);
        nameOp(c, t0.id, STORE, t0);
      }
      c.mpConsts["$" + t0.id] = val;
      return;
    }
  }
  if (
    n === 1 &&
    (t0.k === "Tuple" || t0.k === "List") &&
    v.k === "Tuple" &&
    v.elts.length === t0.elts.length &&
    (v.elts.length === 2 || v.elts.length === 3) &&
    !hasStarred(v.elts) &&
    !hasStarred(t0.elts)
  ) {
    for (let i = 0; i < v.elts.length; i++) expr(c, v.elts[i]);
    if (v.elts.length === 3) em.op0(Op.ROT_THREE);
    em.op0(Op.ROT_TWO);
    for (let i = 0; i < t0.elts.length; i++) storeTarget(c, t0.elts[i]);
    return;
  }
  expr(c, v);
  for (let i = 0; i < n; i++) {
    if (i < n - 1) em.op0(Op.DUP_TOP);
    storeTarget(c, s.targets[i]);
  }
}

function hasStarred(es: Expr[]): boolean {
  for (let i = 0; i < es.length; i++) if (es[i].k === "Starred") return true;
  return false;
}

// x op= v: x v BINARY_OP (op | INPLACE) store x, evaluating o (and k) once:
//   o DUP_TOP LOAD_ATTR a; v; BINARY_OP; ROT_TWO STORE_ATTR a
//   o k DUP_TOP_TWO BINARY_SUBSCR; v; BINARY_OP; ROT_THREE STORE_SUBSCR
function augAssign(c: Compiler, s: AugAssign): void {
  const em = c.u.e;
  const t = s.target;
  switch (t.k) {
    case "Attribute":
      expr(c, t.value);
      em.op0(Op.DUP_TOP);
      nameArgOp(c, Op.LOAD_ATTR, t.attr);
      break;
    case "Subscript":
      expr(c, t.value);
      expr(c, t.slice);
      em.op0(Op.DUP_TOP_TWO);
      em.op0(Op.BINARY_SUBSCR);
      break;
    case "Name":
      nameOp(c, t.id, LOAD, t);
      break;
    default:
      throw error("'" + t.k + "' is an illegal expression for augmented assignment", t);
  }
  expr(c, s.value);
  em.op(Op.BINARY_OP, BINOPS.indexOf(s.op) | BINOP_INPLACE);
  if (t.k === "Attribute") {
    em.op0(Op.ROT_TWO);
    nameArgOp(c, Op.STORE_ATTR, t.attr);
  } else if (t.k === "Subscript") {
    em.op0(Op.ROT_THREE);
    em.op0(Op.STORE_SUBSCR);
  } else nameOp(c, (t as { id: string }).id, STORE, t);
}

// x: T = v is `v; store x`. The annotation is never evaluated; without a value, an attribute or subscript target
// still evaluates its object (and index), as CPython does.
function annAssign(c: Compiler, s: AnnAssign): void {
  const em = c.u.e;
  const t = s.target;
  if (s.value) {
    expr(c, s.value);
    storeTarget(c, t);
    return;
  }
  if (t.k === "Attribute") {
    expr(c, t.value);
    em.op0(Op.POP_TOP);
  } else if (t.k === "Subscript") {
    expr(c, t.value);
    em.op0(Op.POP_TOP);
    annSubscr(c, t.slice);
  }
}

function annSubscr(c: Compiler, e: Expr): void {
  if (e.k === "Slice") {
    if (e.lower) annExpr(c, e.lower);
    if (e.upper) annExpr(c, e.upper);
    if (e.step) annExpr(c, e.step);
  } else if (e.k === "Tuple") {
    for (let i = 0; i < e.elts.length; i++) annSubscr(c, e.elts[i]);
  } else annExpr(c, e);
}

function annExpr(c: Compiler, e: Expr): void {
  expr(c, e);
  c.u.e.op0(Op.POP_TOP);
}

// ---------------------------------------------------------------------------------------------------------------
// Control flow

function pushFB(c: Compiler, type: number, start: number, exit: number, body: Stmt[] | null, name: string | null, p: Pos): FBlock {
  if (c.u.fb.length >= MAX_FBLOCKS) throw error("too many statically nested blocks", p);
  const b: FBlock = { type: type, start: start, exit: exit, body: body, name: name };
  c.u.fb.push(b);
  return b;
}

function popFB(c: Compiler): void {
  c.u.fb.pop();
}

// compiler_if: test POP_JUMP_IF_FALSE next; body; [JUMP end; next: orelse]; end:. A constant test compiles only
// the branch taken (the other is still checked for errors).
function ifStmt(c: Compiler, s: If): void {
  const em = c.u.e;
  const k = exprConstant(c, s.test);
  if (k === 0) {
    em.suppress++;
    stmts(c, s.body);
    em.suppress--;
    stmts(c, s.orelse);
    return;
  }
  if (k === 1) {
    stmts(c, s.body);
    em.suppress++;
    stmts(c, s.orelse);
    em.suppress--;
    return;
  }
  const end = em.newLabel();
  const next = s.orelse.length ? em.newLabel() : end;
  jumpIf(c, s.test, next, false);
  stmts(c, s.body);
  if (s.orelse.length) {
    em.jump(Op.JUMP, end);
    em.bind(next);
    stmts(c, s.orelse);
  }
  em.bind(end);
}

// iter GET_ITER; start: FOR_ITER cleanup; target; body; JUMP start; cleanup: orelse; end:
function forStmt(c: Compiler, s: For): void {
  const em = c.u.e;
  const start = em.newLabel();
  const cleanup = em.newLabel();
  const end = em.newLabel();
  expr(c, s.iter);
  em.op0(Op.GET_ITER);
  em.bind(start);
  pushFB(c, FB_FOR_LOOP, start, end, null, null, s);
  em.jump(Op.FOR_ITER, cleanup);
  storeTarget(c, s.target);
  stmts(c, s.body);
  em.jump(Op.JUMP, start);
  em.bind(cleanup);
  popFB(c);
  stmts(c, s.orelse);
  em.bind(end);
}

// iter GET_AITER; start: SETUP_FINALLY except; GET_ANEXT; LOAD_NONE; YIELD_FROM; POP_BLOCK; target; body;
// JUMP start; except: END_ASYNC_FOR; orelse; end:
function asyncForStmt(c: Compiler, s: For): void {
  if (c.u.kind !== U_ASYNC_FUNCTION) throw error("'async for' outside async function", s);
  const em = c.u.e;
  const start = em.newLabel();
  const except = em.newLabel();
  const end = em.newLabel();
  expr(c, s.iter);
  em.op0(Op.GET_AITER);
  em.bind(start);
  pushFB(c, FB_FOR_LOOP, start, end, null, null, s);
  em.jump(Op.SETUP_FINALLY, except);
  em.op0(Op.GET_ANEXT);
  em.op0(Op.LOAD_NONE);
  em.op0(Op.YIELD_FROM);
  em.op0(Op.POP_BLOCK);
  storeTarget(c, s.target);
  stmts(c, s.body);
  em.jump(Op.JUMP, start);
  popFB(c);
  em.bind(except);
  em.op0(Op.END_ASYNC_FOR);
  stmts(c, s.orelse);
  em.bind(end);
}

// loop: test POP_JUMP_IF_FALSE anchor; body; JUMP loop; anchor: orelse; end:. `while 1:` has no test;
// `while 0:` compiles only its else.
function whileStmt(c: Compiler, s: While): void {
  const em = c.u.e;
  const k = exprConstant(c, s.test);
  if (k === 0) {
    em.suppress++;
    pushFB(c, FB_WHILE_LOOP, -1, -1, null, null, s);
    stmts(c, s.body);
    popFB(c);
    em.suppress--;
    stmts(c, s.orelse);
    return;
  }
  const loop = em.newLabel();
  const end = em.newLabel();
  const anchor = em.newLabel();
  em.bind(loop);
  pushFB(c, FB_WHILE_LOOP, loop, end, null, null, s);
  if (k === -1) jumpIf(c, s.test, anchor, false);
  stmts(c, s.body);
  em.jump(Op.JUMP, loop);
  em.bind(anchor);
  popFB(c);
  stmts(c, s.orelse);
  em.bind(end);
}

// compiler_unwind_fblock: the code that leaves one block statically. With preserve, the value on top (a return
// value) is kept above whatever is popped.
function unwindBlock(c: Compiler, b: FBlock, preserve: boolean): void {
  const em = c.u.e;
  switch (b.type) {
    case FB_WHILE_LOOP:
    case FB_EXCEPTION_HANDLER:
      return;
    case FB_FOR_LOOP:
      // pop the iterator
      if (preserve) em.op0(Op.ROT_TWO);
      em.op0(Op.POP_TOP);
      return;
    case FB_TRY_EXCEPT:
      em.op0(Op.POP_BLOCK);
      return;
    case FB_FINALLY_TRY: {
      // run a copy of the finally body
      em.op0(Op.POP_BLOCK);
      if (preserve) pushFB(c, FB_POP_VALUE, -1, -1, null, null, (b.body as Stmt[])[0]);
      const line = em.line;
      stmts(c, b.body as Stmt[]);
      em.line = line;
      if (preserve) popFB(c);
      return;
    }
    case FB_FINALLY_END:
      // inside a finally run for an exception: prev exc on the stack
      if (preserve) em.op0(Op.ROT_THREE);
      em.op0(Op.POP_TOP);
      em.op0(Op.POP_EXCEPT);
      return;
    case FB_WITH:
    case FB_ASYNC_WITH:
      em.op0(Op.POP_BLOCK);
      if (preserve) em.op0(Op.ROT_TWO);
      exitWithNones(c);
      if (b.type === FB_ASYNC_WITH) awaitValue(c);
      em.op0(Op.POP_TOP);
      return;
    case FB_HANDLER_CLEANUP:
      // inside an except clause: prev on the stack (the exception was stored or popped)
      if (preserve) em.op0(Op.ROT_TWO);
      em.op0(Op.POP_EXCEPT);
      if (b.name !== null) clearName(c, b.name);
      return;
    case FB_POP_VALUE:
      if (preserve) em.op0(Op.ROT_TWO);
      em.op0(Op.POP_TOP);
      return;
  }
}

/** Unwinds every block up to (not including) the innermost loop if `loop`, else all; returns that loop or null. */
function unwindStack(c: Compiler, preserve: boolean, loop: boolean): FBlock | null {
  const fb = c.u.fb;
  if (fb.length === 0) return null;
  const top = fb[fb.length - 1];
  if (loop && (top.type === FB_WHILE_LOOP || top.type === FB_FOR_LOOP)) return top;
  fb.pop();
  unwindBlock(c, top, preserve);
  const r = unwindStack(c, preserve, loop);
  fb.push(top);
  return r;
}

// return [value]: a non-constant value is computed first and kept on the stack while blocks are left.
function returnStmt(c: Compiler, s: Return): void {
  const em = c.u.e;
  const sc = c.u.scope;
  if (sc.type !== B_FUNCTION) throw error("'return' outside function", s);
  if (s.value && sc.coroutine && sc.generator) throw error("'return' with value in async generator", s);
  const preserve = s.value !== null && !isConstantStmt(s.value);
  if (preserve) expr(c, s.value as Expr);
  unwindStack(c, preserve, false);
  if (s.value === null) em.op0(Op.LOAD_NONE);
  else if (!preserve) expr(c, s.value);
  em.op0(Op.RETURN_VALUE);
}

function breakStmt(c: Compiler, s: Pos): void {
  const loop = unwindStack(c, false, true);
  if (loop === null) throw error("'break' outside loop", s);
  unwindBlock(c, loop, false);
  c.u.e.jump(Op.JUMP, loop.exit);
}

function continueStmt(c: Compiler, s: Pos): void {
  const loop = unwindStack(c, false, true);
  if (loop === null) throw error("'continue' not properly in loop", s);
  c.u.e.jump(Op.JUMP, loop.start);
}

// SETUP_FINALLY h; body; POP_BLOCK; finally; JUMP exit; h: finally; RERAISE; exit:
function tryFinally(c: Compiler, s: Try): void {
  const em = c.u.e;
  const h = em.newLabel();
  const exit = em.newLabel();
  em.jump(Op.SETUP_FINALLY, h);
  pushFB(c, FB_FINALLY_TRY, -1, -1, s.finalbody, null, s);
  if (s.handlers.length) tryExcept(c, s);
  else stmts(c, s.body);
  em.op0(Op.POP_BLOCK);
  popFB(c);
  stmts(c, s.finalbody);
  em.jump(Op.JUMP, exit);
  em.bind(h);
  pushFB(c, FB_FINALLY_END, -1, -1, null, null, s);
  stmts(c, s.finalbody);
  popFB(c);
  em.op0(Op.RERAISE);
  em.bind(exit);
}

// SETUP_FINALLY except; body; POP_BLOCK; JUMP orelse; except: (prev exc on the stack) then per clause
//   DUP_TOP; type; JUMP_IF_NOT_EXC_MATCH next; STORE name | POP_TOP; body; POP_EXCEPT;
//   [LOAD_NONE; STORE name; DELETE name]; JUMP end; next:
// …; RERAISE; orelse: else-body; end:
function tryExcept(c: Compiler, s: Try): void {
  const em = c.u.e;
  const except = em.newLabel();
  const orelse = em.newLabel();
  const end = em.newLabel();
  em.jump(Op.SETUP_FINALLY, except);
  pushFB(c, FB_TRY_EXCEPT, -1, -1, null, null, s);
  stmts(c, s.body);
  popFB(c);
  em.op0(Op.POP_BLOCK);
  em.jump(Op.JUMP, orelse);
  em.bind(except);
  pushFB(c, FB_EXCEPTION_HANDLER, -1, -1, null, null, s);
  const n = s.handlers.length;
  for (let i = 0; i < n; i++) {
    const h = s.handlers[i];
    if (!h.type && i < n - 1) throw error("default 'except:' must be last", h);
    em.line = h.line;
    const next = em.newLabel();
    if (h.type) {
      em.op0(Op.DUP_TOP);
      expr(c, h.type);
      em.jump(Op.JUMP_IF_NOT_EXC_MATCH, next);
    }
    if (h.name !== null) nameOp(c, h.name, STORE, h);
    else em.op0(Op.POP_TOP);
    pushFB(c, FB_HANDLER_CLEANUP, -1, -1, null, h.name, h);
    stmts(c, h.body);
    popFB(c);
    em.op0(Op.POP_EXCEPT);
    if (h.name !== null) clearName(c, h.name);
    em.jump(Op.JUMP, end);
    em.bind(next);
  }
  popFB(c);
  em.op0(Op.RERAISE);
  em.bind(orelse);
  stmts(c, s.orelse);
  em.bind(end);
}

// `except E as e` ends with e = None; del e (so the traceback's frames are not kept alive).
function clearName(c: Compiler, name: string): void {
  const p = { line: c.u.e.line, col: 0 };
  c.u.e.op0(Op.LOAD_NONE);
  nameOp(c, name, STORE, p);
  nameOp(c, name, DEL, p);
}

// __exit__(None, None, None) with the exit function on top.
function exitWithNones(c: Compiler): void {
  const em = c.u.e;
  em.op0(Op.LOAD_NONE);
  em.op0(Op.DUP_TOP);
  em.op0(Op.DUP_TOP);
  em.op(Op.CALL_FUNCTION, 3);
}

// h: (exit prev exc res) POP_JUMP_IF_TRUE s; RERAISE; s: POP_TOP; POP_EXCEPT; POP_TOP
function withExceptFinish(c: Compiler): void {
  const em = c.u.e;
  const s = em.newLabel();
  em.jump(Op.POP_JUMP_IF_TRUE, s);
  em.op0(Op.RERAISE);
  em.bind(s);
  em.op0(Op.POP_TOP);
  em.op0(Op.POP_EXCEPT);
  em.op0(Op.POP_TOP);
}

// mgr SETUP_WITH h; store | POP_TOP; body (or the next item); POP_BLOCK; exit(None, None, None); POP_TOP;
// JUMP end; h: WITH_EXCEPT_START; <finish>; end:
function withStmt(c: Compiler, s: With, pos: number): void {
  const em = c.u.e;
  const item = s.items[pos];
  const h = em.newLabel();
  const end = em.newLabel();
  expr(c, item.expr);
  em.jump(Op.SETUP_WITH, h);
  pushFB(c, FB_WITH, -1, -1, null, null, s);
  if (item.vars) storeTarget(c, item.vars);
  else em.op0(Op.POP_TOP);
  if (pos + 1 === s.items.length) stmts(c, s.body);
  else withStmt(c, s, pos + 1);
  popFB(c);
  em.op0(Op.POP_BLOCK);
  exitWithNones(c);
  em.op0(Op.POP_TOP);
  em.jump(Op.JUMP, end);
  em.bind(h);
  em.op0(Op.WITH_EXCEPT_START);
  withExceptFinish(c);
  em.bind(end);
}

// mgr BEFORE_ASYNC_WITH; await; SETUP_ASYNC_WITH h; store | POP_TOP; body; POP_BLOCK; exit(None, None, None);
// await; POP_TOP; JUMP end; h: WITH_EXCEPT_START; await; <finish>; end:
function asyncWith(c: Compiler, s: With, pos: number): void {
  const em = c.u.e;
  const item = s.items[pos];
  const h = em.newLabel();
  const end = em.newLabel();
  expr(c, item.expr);
  em.op0(Op.BEFORE_ASYNC_WITH);
  awaitValue(c);
  em.jump(Op.SETUP_ASYNC_WITH, h);
  pushFB(c, FB_ASYNC_WITH, -1, -1, null, null, s);
  if (item.vars) storeTarget(c, item.vars);
  else em.op0(Op.POP_TOP);
  if (pos + 1 === s.items.length) stmts(c, s.body);
  else asyncWith(c, s, pos + 1);
  popFB(c);
  em.op0(Op.POP_BLOCK);
  exitWithNones(c);
  awaitValue(c);
  em.op0(Op.POP_TOP);
  em.jump(Op.JUMP, end);
  em.bind(h);
  em.op0(Op.WITH_EXCEPT_START);
  awaitValue(c);
  withExceptFinish(c);
  em.bind(end);
}

// ---------------------------------------------------------------------------------------------------------------
// Imports

// import a.b.c [as d]: LOAD_INT 0; LOAD_NONE; IMPORT_NAME a.b.c; then store a, or
// IMPORT_FROM b; ROT_TWO; POP_TOP; IMPORT_FROM c; ROT_TWO; POP_TOP; store d
function importStmt(c: Compiler, s: Import): void {
  const em = c.u.e;
  for (let i = 0; i < s.names.length; i++) {
    const a = s.names[i];
    em.op(Op.LOAD_INT, 0);
    em.op0(Op.LOAD_NONE);
    nameArgOp(c, Op.IMPORT_NAME, a.name);
    const dot = a.name.indexOf(".");
    if (a.asname !== null) {
      if (dot >= 0) {
        const parts = a.name.split(".");
        for (let j = 1; j < parts.length; j++) {
          em.op(Op.IMPORT_FROM, nameIdx(c, parts[j]));
          em.op0(Op.ROT_TWO);
          em.op0(Op.POP_TOP);
        }
      }
      nameOp(c, a.asname, STORE, a);
    } else nameOp(c, dot >= 0 ? a.name.substring(0, dot) : a.name, STORE, a);
  }
}

// from m import x as y: LOAD_INT level; LOAD_CONST ("x",); IMPORT_NAME m; IMPORT_FROM x; store y…; POP_TOP
// (`import *`: IMPORT_STAR instead)
function importFrom(c: Compiler, s: ImportFrom): void {
  const em = c.u.e;
  if (s.module === "__future__" && s.level === 0 && s.line > c.futureLine)
    throw error("from __future__ imports must occur at the beginning of the file", s);
  em.op(Op.LOAD_INT, s.level);
  const names: string[] = [];
  for (let i = 0; i < s.names.length; i++) names.push(s.names[i].name);
  em.op(Op.LOAD_CONST, strTuple(c, names));
  nameArgOp(c, Op.IMPORT_NAME, s.module === null ? "" : s.module);
  for (let i = 0; i < s.names.length; i++) {
    const a = s.names[i];
    if (i === 0 && a.name === "*") {
      em.op0(Op.IMPORT_STAR);
      return;
    }
    nameArgOp(c, Op.IMPORT_FROM, a.name);
    nameOp(c, a.asname === null ? a.name : a.asname, STORE, a);
    if (s.module === "micropython" && s.level === 0 && a.name === "const" && a.asname === null && c.mpConsts === null) c.mpConsts = {};
  }
  em.op0(Op.POP_TOP);
}
