// The scope pass: decides, for every module, class body, function, lambda and comprehension, what each name is
// (fast local, cell, free, explicit or implicit global), following CPython 3.9's symtable.c: a first walk records
// how each name is used in each block, a second resolves free variables through enclosing function scopes (class
// scopes are skipped) and turns captured locals into cells. No code is generated here; the compiler reads the result.

import {
  Module,
  Stmt,
  Expr,
  Arguments,
  Comprehension,
  Name,
  FunctionDef,
  ClassDef,
  Node,
  Pos,
} from "./ast";
import { CompileError } from "./errors";

// Symbol flags (symtable.h): how a name is used in one block.
export const DEF_GLOBAL = 1; // `global x`
export const DEF_LOCAL = 2; // assigned, deleted, a for/with/except target, def/class name
export const DEF_PARAM = 4;
export const DEF_NONLOCAL = 8;
export const USE = 16; // read
export const DEF_FREE_CLASS = 32; // free in a method and also bound in the class body
export const DEF_IMPORT = 64;
export const DEF_ANNOT = 128; // bare annotated name
export const DEF_COMP_ITER = 256; // a comprehension's iteration variable
const DEF_BOUND = DEF_LOCAL | DEF_PARAM | DEF_IMPORT;

// What the analysis decides for each symbol.
export const SC_LOCAL = 1;
export const SC_GLOBAL_EXPLICIT = 2;
export const SC_GLOBAL_IMPLICIT = 3;
export const SC_FREE = 4;
export const SC_CELL = 5;

// Block types.
export const B_MODULE = 0;
export const B_CLASS = 1;
export const B_FUNCTION = 2; // def, lambda and comprehensions (as in CPython)

// Comprehension kinds (Scope.comp).
export const COMP_LIST = 1;
export const COMP_SET = 2;
export const COMP_DICT = 3;
export const COMP_GEN = 4;

/** One block's symbol table and, after analysis, its variable layout. */
export interface Scope {
  type: number; // B_*
  comp: number; // COMP_* for comprehensions, else 0
  isLambda: boolean;
  isAsync: boolean; // async def
  name: string; // unmangled: "f", "C", "<lambda>", "<listcomp>", "<module>"
  node: Node; // the Module, FunctionDef, ClassDef, Lambda or comprehension expression
  parent: Scope | null;
  children: Scope[];
  line: number;
  col: number;
  // symbols in first-seen order; symIdx maps "$" + name to the index
  symNames: string[];
  symFlags: number[];
  symScope: number[];
  symIdx: { [k: string]: number };
  // position of the first global/nonlocal directive per name (for analysis errors)
  dirNames: string[];
  dirPos: Pos[];
  params: string[]; // parameter names in slot order (mangled)
  generator: boolean;
  coroutine: boolean;
  varargs: boolean;
  varkeywords: boolean;
  nested: boolean; // inside a function (CO_NESTED for function blocks)
  needsClassClosure: boolean; // a class body whose methods use __class__ or super
  compIterExpr: number; // > 0 while visiting a comprehension's iterable
  compIterTarget: boolean; // while visiting a comprehension's target
  // layout (set by analysis): fast-local slots, then cells, then free variables
  fast: string[];
  cells: string[];
  frees: string[];
}

/** `__x` inside `class C` is `_C__x` (not dunder names, not dotted names, not if C is all underscores). */
export function mangle(priv: string | null, name: string): string {
  if (priv === null || name.length < 2 || name.charCodeAt(0) !== 95 || name.charCodeAt(1) !== 95) return name;
  const n = name.length;
  if (name.charCodeAt(n - 1) === 95 && name.charCodeAt(n - 2) === 95) return name;
  if (name.indexOf(".") >= 0) return name;
  let i = 0;
  while (i < priv.length && priv.charCodeAt(i) === 95) i++;
  if (i === priv.length) return name;
  return "_" + priv.substring(i) + name;
}

/** The SC_* scope of an (already mangled) name in a block, 0 if the block never saw it. */
export function scopeOf(s: Scope, name: string): number {
  const i = s.symIdx["$" + name];
  return i === undefined ? 0 : s.symScope[i];
}

/** The SC_* flags of a name in a block, 0 if unknown. */
export function flagsOf(s: Scope, name: string): number {
  const i = s.symIdx["$" + name];
  return i === undefined ? 0 : s.symFlags[i];
}

/** The child block made for an AST node (a def, class, lambda or comprehension directly inside `s`). */
export function findChild(s: Scope, node: Node): Scope {
  for (let i = 0; i < s.children.length; i++) if (s.children[i].node === node) return s.children[i];
  throw new Error("scope: no block for node at line " + (node as Pos).line);
}

// ---------------------------------------------------------------------------------------------------------------
// Pass 1: record uses and bindings (symtable_visit_*)

interface Walker {
  cur: Scope;
  top: Scope;
  priv: string | null; // the class name used for mangling
  stack: Scope[];
}

function newScope(type: number, name: string, node: Node, parent: Scope | null, line: number, col: number): Scope {
  return {
    type: type,
    comp: 0,
    isLambda: false,
    isAsync: false,
    name: name,
    node: node,
    parent: parent,
    children: [],
    line: line,
    col: col,
    symNames: [],
    symFlags: [],
    symScope: [],
    symIdx: {},
    dirNames: [],
    dirPos: [],
    params: [],
    generator: false,
    coroutine: false,
    varargs: false,
    varkeywords: false,
    nested: parent !== null && (parent.nested || parent.type === B_FUNCTION),
    needsClassClosure: false,
    compIterExpr: 0,
    compIterTarget: false,
    fast: [],
    cells: [],
    frees: [],
  };
}

function err(msg: string, p: Pos): CompileError {
  return new CompileError("SyntaxError", msg, p.line, p.col);
}

function enter(w: Walker, type: number, name: string, node: Node, p: Pos): Scope {
  const s = newScope(type, name, node, w.cur, p.line, p.col);
  w.cur.children.push(s);
  w.stack.push(w.cur);
  w.cur = s;
  return s;
}

function leave(w: Walker): void {
  w.cur = w.stack.pop() as Scope;
}

function lookup(s: Scope, w: Walker, name: string): number {
  return flagsOf(s, mangle(w.priv, name));
}

function symAdd(s: Scope, name: string, flag: number): number {
  const k = "$" + name;
  let i = s.symIdx[k];
  if (i === undefined) {
    i = s.symNames.length;
    s.symIdx[k] = i;
    s.symNames.push(name);
    s.symFlags.push(flag);
    s.symScope.push(0);
  } else s.symFlags[i] |= flag;
  return i;
}

// symtable_add_def_helper: `s` is the block the binding goes to (usually the current one).
function addDefIn(w: Walker, s: Scope, name: string, flag: number, p: Pos): void {
  const m = mangle(w.priv, name);
  const old = flagsOf(s, m);
  if (flag & DEF_PARAM && old & DEF_PARAM) throw err("duplicate argument '" + name + "' in function definition", p);
  if (s.compIterTarget) {
    // an iteration variable: must not also be a walrus target of the comprehension
    if ((old | flag) & (DEF_GLOBAL | DEF_NONLOCAL))
      throw err("comprehension inner loop cannot rebind assignment expression target '" + name + "'", p);
    flag |= DEF_COMP_ITER;
  }
  symAdd(s, m, flag);
  if (flag & DEF_PARAM) s.params.push(m);
  else if (flag & DEF_GLOBAL && s !== w.top) symAdd(w.top, m, DEF_GLOBAL); // st_global is the module's table
}

function addDef(w: Walker, name: string, flag: number, p: Pos): void {
  addDefIn(w, w.cur, name, flag, p);
}

function directive(w: Walker, name: string, p: Pos): void {
  const s = w.cur;
  const m = mangle(w.priv, name);
  if (s.dirNames.indexOf(m) < 0) {
    s.dirNames.push(m);
    s.dirPos.push(p);
  }
}

function visitStmts(w: Walker, body: Stmt[]): void {
  for (let i = 0; i < body.length; i++) visitStmt(w, body[i]);
}

function visitExprs(w: Walker, es: (Expr | null)[]): void {
  for (let i = 0; i < es.length; i++) {
    const e = es[i];
    if (e) visitExpr(w, e);
  }
}

function visitStmt(w: Walker, s: Stmt): void {
  switch (s.k) {
    case "FunctionDef":
      visitFunction(w, s);
      break;
    case "ClassDef":
      visitClass(w, s);
      break;
    case "Return":
      if (s.value) visitExpr(w, s.value);
      break;
    case "Delete":
      for (let i = 0; i < s.targets.length; i++) visitTarget(w, s.targets[i]);
      break;
    case "Assign":
      for (let i = 0; i < s.targets.length; i++) visitTarget(w, s.targets[i]);
      visitExpr(w, s.value);
      break;
    case "AugAssign":
      visitTarget(w, s.target);
      visitExpr(w, s.value);
      break;
    case "AnnAssign": {
      // The annotation itself is never evaluated, so it is not visited.
      const t = s.target;
      if (t.k === "Name") {
        const cur = lookup(w.cur, w, t.id);
        if (cur & (DEF_GLOBAL | DEF_NONLOCAL) && w.cur !== w.top && s.simple)
          throw err(
            "annotated name '" + t.id + "' can't be " + (cur & DEF_GLOBAL ? "global" : "nonlocal"),
            s,
          );
        if (s.simple) addDef(w, t.id, DEF_ANNOT | DEF_LOCAL, t);
        else if (s.value) addDef(w, t.id, DEF_LOCAL, t);
      } else visitTarget(w, t);
      if (s.value) visitExpr(w, s.value);
      break;
    }
    case "For":
      visitTarget(w, s.target);
      visitExpr(w, s.iter);
      visitStmts(w, s.body);
      visitStmts(w, s.orelse);
      break;
    case "While":
      visitExpr(w, s.test);
      visitStmts(w, s.body);
      visitStmts(w, s.orelse);
      break;
    case "If":
      visitExpr(w, s.test);
      visitStmts(w, s.body);
      visitStmts(w, s.orelse);
      break;
    case "With":
      for (let i = 0; i < s.items.length; i++) {
        visitExpr(w, s.items[i].expr);
        const v = s.items[i].vars;
        if (v) visitTarget(w, v);
      }
      visitStmts(w, s.body);
      break;
    case "Raise":
      if (s.exc) {
        visitExpr(w, s.exc);
        if (s.cause) visitExpr(w, s.cause);
      }
      break;
    case "Try":
      visitStmts(w, s.body);
      visitStmts(w, s.orelse);
      for (let i = 0; i < s.handlers.length; i++) {
        const h = s.handlers[i];
        if (h.type) visitExpr(w, h.type);
        if (h.name !== null) addDef(w, h.name, DEF_LOCAL, h);
        visitStmts(w, h.body);
      }
      visitStmts(w, s.finalbody);
      break;
    case "Assert":
      visitExpr(w, s.test);
      if (s.msg) visitExpr(w, s.msg);
      break;
    case "Import":
    case "ImportFrom":
      for (let i = 0; i < s.names.length; i++) {
        const a = s.names[i];
        const name = a.asname === null ? a.name : a.asname;
        if (name === "*") {
          if (w.cur.type !== B_MODULE) throw err("import * only allowed at module level", s);
          continue;
        }
        const dot = name.indexOf(".");
        addDef(w, dot >= 0 ? name.substring(0, dot) : name, DEF_IMPORT, a);
      }
      break;
    case "Global":
    case "Nonlocal": {
      const isGlobal = s.k === "Global";
      const what = isGlobal ? "global" : "nonlocal";
      for (let i = 0; i < s.names.length; i++) {
        const name = s.names[i];
        const cur = lookup(w.cur, w, name);
        if (cur & (DEF_PARAM | DEF_LOCAL | USE | DEF_ANNOT)) {
          let msg: string;
          if (cur & DEF_PARAM) msg = "name '" + name + "' is parameter and " + what;
          else if (cur & USE) msg = "name '" + name + "' is used prior to " + what + " declaration";
          else if (cur & DEF_ANNOT) msg = "annotated name '" + name + "' can't be " + what;
          else msg = "name '" + name + "' is assigned to before " + what + " declaration";
          throw err(msg, s);
        }
        addDef(w, name, isGlobal ? DEF_GLOBAL : DEF_NONLOCAL, s);
        directive(w, name, s);
      }
      break;
    }
    case "Expr":
      visitExpr(w, s.value);
      break;
    case "Pass":
    case "Break":
    case "Continue":
      break;
  }
}

// FunctionDef: the name binds in the enclosing block; defaults and decorators are evaluated there too.
function visitFunction(w: Walker, s: FunctionDef): void {
  addDef(w, s.name, DEF_LOCAL, s);
  visitExprs(w, s.args.defaults);
  visitExprs(w, s.args.kwDefaults);
  visitExprs(w, s.decorators);
  const sc = enter(w, B_FUNCTION, s.name, s, s);
  sc.isAsync = s.isAsync;
  if (s.isAsync) sc.coroutine = true;
  visitParams(w, s.args);
  visitStmts(w, s.body);
  leave(w);
}

// ClassDef: bases, keywords and decorators run outside; the body mangles private names with the class name.
function visitClass(w: Walker, s: ClassDef): void {
  addDef(w, s.name, DEF_LOCAL, s);
  visitExprs(w, s.bases);
  for (let i = 0; i < s.keywords.length; i++) visitExpr(w, s.keywords[i].value);
  visitExprs(w, s.decorators);
  enter(w, B_CLASS, s.name, s, s);
  const saved = w.priv;
  w.priv = s.name;
  visitStmts(w, s.body);
  w.priv = saved;
  leave(w);
}

function visitParams(w: Walker, a: Arguments): void {
  for (let i = 0; i < a.posonly.length; i++) addDef(w, a.posonly[i].name, DEF_PARAM, a.posonly[i]);
  for (let i = 0; i < a.args.length; i++) addDef(w, a.args[i].name, DEF_PARAM, a.args[i]);
  for (let i = 0; i < a.kwonly.length; i++) addDef(w, a.kwonly[i].name, DEF_PARAM, a.kwonly[i]);
  if (a.vararg) {
    addDef(w, a.vararg.name, DEF_PARAM, a.vararg);
    w.cur.varargs = true;
  }
  if (a.kwarg) {
    addDef(w, a.kwarg.name, DEF_PARAM, a.kwarg);
    w.cur.varkeywords = true;
  }
}

/** A store or del target: names bind; attribute and subscript targets only read their parts. */
function visitTarget(w: Walker, e: Expr): void {
  switch (e.k) {
    case "Name":
      addDef(w, e.id, DEF_LOCAL, e);
      break;
    case "Tuple":
    case "List":
      for (let i = 0; i < e.elts.length; i++) visitTarget(w, e.elts[i]);
      break;
    case "Starred":
      visitTarget(w, e.value);
      break;
    default:
      visitExpr(w, e); // Attribute, Subscript (and invalid targets the compiler rejects)
  }
}

function visitExpr(w: Walker, e: Expr): void {
  switch (e.k) {
    case "Name":
      if (e.id === "__debug__") break; // a constant, as after CPython's AST optimizer
      addDef(w, e.id, USE, e);
      // zero-argument super() reads the __class__ cell of the method
      if (e.id === "super" && w.cur.type === B_FUNCTION) addDef(w, "__class__", USE, e);
      break;
    case "BoolOp":
      visitExprs(w, e.values);
      break;
    case "NamedExpr":
      visitNamedExpr(w, e.target, e.value, e);
      break;
    case "BinOp": {
      // a left-deep chain (a + b + c…) iteratively: the parser builds it with a loop, so it may be very deep
      const rights: Expr[] = [];
      let x: Expr = e;
      while (x.k === "BinOp") {
        rights.push(x.right);
        x = x.left;
      }
      visitExpr(w, x);
      for (let i = rights.length - 1; i >= 0; i--) visitExpr(w, rights[i]);
      break;
    }
    case "UnaryOp":
      visitExpr(w, e.operand);
      break;
    case "Lambda": {
      visitExprs(w, e.args.defaults);
      visitExprs(w, e.args.kwDefaults);
      const sc = enter(w, B_FUNCTION, "<lambda>", e, e);
      sc.isLambda = true;
      visitParams(w, e.args);
      visitExpr(w, e.body);
      leave(w);
      break;
    }
    case "IfExp":
      visitExpr(w, e.test);
      visitExpr(w, e.body);
      visitExpr(w, e.orelse);
      break;
    case "Dict":
      visitExprs(w, e.keys);
      visitExprs(w, e.values);
      break;
    case "Set":
      visitExprs(w, e.elts);
      break;
    case "ListComp":
      visitComprehension(w, e, "<listcomp>", COMP_LIST, e.generators, e.elt, null);
      break;
    case "SetComp":
      visitComprehension(w, e, "<setcomp>", COMP_SET, e.generators, e.elt, null);
      break;
    case "GeneratorExp":
      visitComprehension(w, e, "<genexpr>", COMP_GEN, e.generators, e.elt, null);
      break;
    case "DictComp":
      visitComprehension(w, e, "<dictcomp>", COMP_DICT, e.generators, e.key, e.value);
      break;
    case "Yield":
      if (e.value) visitExpr(w, e.value);
      w.cur.generator = true;
      if (w.cur.comp) throw yieldInComp(w.cur);
      break;
    case "YieldFrom":
      visitExpr(w, e.value);
      w.cur.generator = true;
      if (w.cur.comp) throw yieldInComp(w.cur);
      break;
    case "Await":
      visitExpr(w, e.value);
      w.cur.coroutine = true;
      break;
    case "Compare":
      visitExpr(w, e.left);
      visitExprs(w, e.comparators);
      break;
    case "Call":
      visitExpr(w, e.func);
      visitExprs(w, e.args);
      for (let i = 0; i < e.keywords.length; i++) visitExpr(w, e.keywords[i].value);
      break;
    case "FormattedValue":
      visitExpr(w, e.value);
      if (e.formatSpec) visitExpr(w, e.formatSpec);
      break;
    case "JoinedStr":
      visitExprs(w, e.values);
      break;
    case "Constant":
      break;
    case "Attribute":
      visitExpr(w, e.value);
      break;
    case "Subscript":
      visitExpr(w, e.value);
      visitExpr(w, e.slice);
      break;
    case "Starred":
      visitExpr(w, e.value);
      break;
    case "List":
    case "Tuple":
      visitExprs(w, e.elts);
      break;
    case "Slice":
      if (e.lower) visitExpr(w, e.lower);
      if (e.upper) visitExpr(w, e.upper);
      if (e.step) visitExpr(w, e.step);
      break;
  }
}

function yieldInComp(s: Scope): CompileError {
  const kind = s.comp === COMP_LIST ? "list comprehension" : s.comp === COMP_SET ? "set comprehension" :
    s.comp === COMP_DICT ? "dict comprehension" : "generator expression";
  return new CompileError("SyntaxError", "'yield' inside " + kind, s.line, s.col);
}

// `target := value`: inside a comprehension the name binds in the nearest enclosing function (or module) scope.
function visitNamedExpr(w: Walker, target: Name, value: Expr, e: Pos): void {
  if (w.cur.compIterExpr > 0) throw err("assignment expression cannot be used in a comprehension iterable expression", e);
  if (w.cur.comp) extendNamedExprScope(w, target);
  visitExpr(w, value);
  addDef(w, target.id, DEF_LOCAL, target);
}

function extendNamedExprScope(w: Walker, target: Name): void {
  const name = target.id;
  const chain = w.stack.concat([w.cur]);
  for (let i = chain.length - 1; i >= 0; i--) {
    const s = chain[i];
    if (s.comp) {
      if (lookup(s, w, name) & DEF_COMP_ITER)
        throw err("assignment expression cannot rebind comprehension iteration variable '" + name + "'", target);
      continue;
    }
    if (s.type === B_FUNCTION) {
      addDef(w, name, lookup(s, w, name) & DEF_GLOBAL ? DEF_GLOBAL : DEF_NONLOCAL, target);
      directive(w, name, target);
      addDefIn(w, s, name, DEF_LOCAL, target);
      return;
    }
    if (s.type === B_MODULE) {
      addDef(w, name, DEF_GLOBAL, target);
      directive(w, name, target);
      addDefIn(w, s, name, DEF_GLOBAL, target);
      return;
    }
    throw err("assignment expression within a comprehension cannot be used in a class body", target);
  }
}

// A comprehension is a function block with one parameter `.0`: its first iterable is evaluated outside.
function visitComprehension(
  w: Walker,
  e: Expr,
  name: string,
  kind: number,
  gens: Comprehension[],
  elt: Expr,
  value: Expr | null,
): void {
  const outer = gens[0];
  w.cur.compIterExpr++;
  visitExpr(w, outer.iter);
  w.cur.compIterExpr--;
  const sc = enter(w, B_FUNCTION, name, e, e);
  sc.comp = kind;
  if (outer.isAsync) sc.coroutine = true;
  addDef(w, ".0", DEF_PARAM, e);
  sc.compIterTarget = true;
  visitTarget(w, outer.target);
  sc.compIterTarget = false;
  visitExprs(w, outer.ifs);
  for (let i = 1; i < gens.length; i++) {
    const g = gens[i];
    sc.compIterTarget = true;
    visitTarget(w, g.target);
    sc.compIterTarget = false;
    sc.compIterExpr++;
    visitExpr(w, g.iter);
    sc.compIterExpr--;
    visitExprs(w, g.ifs);
    if (g.isAsync) sc.coroutine = true;
  }
  if (value) visitExpr(w, value);
  visitExpr(w, elt);
  sc.generator = kind === COMP_GEN;
  leave(w);
}

// ---------------------------------------------------------------------------------------------------------------
// Pass 2: resolve (analyze_block). Name sets are small string arrays.

function has(set: string[], n: string): boolean {
  return set.indexOf(n) >= 0;
}
function add(set: string[], n: string): void {
  if (set.indexOf(n) < 0) set.push(n);
}
function discard(set: string[], n: string): void {
  const i = set.indexOf(n);
  if (i >= 0) set.splice(i, 1);
}
function union(dst: string[], src: string[]): void {
  for (let i = 0; i < src.length; i++) add(dst, src[i]);
}

function dirErr(s: Scope, msg: string, name: string): CompileError {
  const i = s.dirNames.indexOf(name);
  const p = i >= 0 ? s.dirPos[i] : s;
  return new CompileError("SyntaxError", msg, p.line, p.col);
}

function analyzeName(s: Scope, i: number, bound: string[] | null, local: string[], free: string[], global: string[]): void {
  const name = s.symNames[i];
  const flags = s.symFlags[i];
  if (flags & DEF_GLOBAL) {
    if (flags & DEF_NONLOCAL) throw dirErr(s, "name '" + name + "' is nonlocal and global", name);
    s.symScope[i] = SC_GLOBAL_EXPLICIT;
    add(global, name);
    if (bound) discard(bound, name);
    return;
  }
  if (flags & DEF_NONLOCAL) {
    if (!bound) throw dirErr(s, "nonlocal declaration not allowed at module level", name);
    if (!has(bound, name)) throw dirErr(s, "no binding for nonlocal '" + name + "' found", name);
    s.symScope[i] = SC_FREE;
    add(free, name);
    return;
  }
  if (flags & DEF_BOUND) {
    s.symScope[i] = SC_LOCAL;
    add(local, name);
    discard(global, name);
    return;
  }
  // bound in an enclosing function: free here
  if (bound && has(bound, name)) {
    s.symScope[i] = SC_FREE;
    add(free, name);
    return;
  }
  s.symScope[i] = SC_GLOBAL_IMPLICIT;
}

function analyzeBlock(s: Scope, bound: string[] | null, free: string[], global: string[]): void {
  const local: string[] = [];
  const newglobal: string[] = [];
  const newfree: string[] = [];
  const newbound: string[] = [];
  // A class's own bindings are invisible to its methods: children see what the class itself saw.
  if (s.type === B_CLASS) {
    union(newglobal, global);
    if (bound) union(newbound, bound);
  }
  const n = s.symNames.length;
  for (let i = 0; i < n; i++) analyzeName(s, i, bound, local, free, global);
  if (s.type !== B_CLASS) {
    if (s.type === B_FUNCTION) union(newbound, local);
    if (bound) union(newbound, bound);
    union(newglobal, global);
  } else add(newbound, "__class__"); // methods may use the class body's implicit __class__ cell
  const allfree: string[] = [];
  for (let i = 0; i < s.children.length; i++) {
    const tb = newbound.slice();
    const tf = newfree.slice();
    const tg = newglobal.slice();
    analyzeBlock(s.children[i], tb, tf, tg);
    union(allfree, tf);
  }
  union(newfree, allfree);
  if (s.type === B_FUNCTION) {
    // locals captured by a child become cells
    for (let i = 0; i < n; i++) {
      if (s.symScope[i] === SC_LOCAL && has(newfree, s.symNames[i])) {
        s.symScope[i] = SC_CELL;
        discard(newfree, s.symNames[i]);
      }
    }
  } else if (s.type === B_CLASS && has(newfree, "__class__")) {
    discard(newfree, "__class__");
    s.needsClassClosure = true;
  }
  // names free in children pass through this block as free variables of its own (update_symbols)
  for (let j = 0; j < newfree.length; j++) {
    const name = newfree[j];
    const i = s.symIdx["$" + name];
    if (i !== undefined) {
      if (s.type === B_CLASS && s.symFlags[i] & (DEF_BOUND | DEF_GLOBAL)) s.symFlags[i] |= DEF_FREE_CLASS;
      continue;
    }
    if (bound && !has(bound, name)) continue; // a global
    const k = symAdd(s, name, 0);
    s.symScope[k] = SC_FREE;
  }
  union(free, newfree);
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// The slot layout: parameters, other fast locals (first-seen order), cells and free variables (each sorted by name,
// as CPython does), with a class body's __class__ cell first.
function layout(s: Scope): void {
  const n = s.symNames.length;
  if (s.type === B_FUNCTION) {
    for (let i = 0; i < s.params.length; i++) s.fast.push(s.params[i]);
    for (let i = 0; i < n; i++)
      if (s.symScope[i] === SC_LOCAL && !(s.symFlags[i] & DEF_PARAM)) s.fast.push(s.symNames[i]);
  }
  for (let i = 0; i < n; i++) {
    const sc = s.symScope[i];
    if (sc === SC_CELL) s.cells.push(s.symNames[i]);
    else if (sc === SC_FREE || s.symFlags[i] & DEF_FREE_CLASS) s.frees.push(s.symNames[i]);
  }
  s.cells.sort(byteOrder);
  s.frees.sort(byteOrder);
  if (s.needsClassClosure) s.cells.unshift("__class__");
  for (let i = 0; i < s.children.length; i++) layout(s.children[i]);
}

/** Runs both passes over a module and returns its block, the root of the scope tree. */
export function buildScopes(mod: Module): Scope {
  const top = newScope(B_MODULE, "<module>", mod, null, 1, 0);
  const w: Walker = { cur: top, top: top, priv: null, stack: [] };
  visitStmts(w, mod.body);
  analyzeBlock(top, null, [], []);
  layout(top);
  return top;
}
