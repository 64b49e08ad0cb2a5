// The typed syntax tree the parser builds and the scope pass and compiler read.
// Shapes follow CPython's `ast` module, minus expression contexts (the compiler knows whether it is loading or
// storing) and type annotations' meaning (annotations are parsed and then ignored).
//
// Text: all names and string values are *byte strings*: JS strings whose every char is one byte (0-255) of UTF-8.
// The compiler runs on the device too, where JS strings are bytes; the host converts at its boundary.

/** Where a node starts: line from 1, column from 0 (in bytes). */
export interface Pos {
  line: number;
  col: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Statements

export interface Module extends Pos {
  k: "Module";
  body: Stmt[];
}

export interface FunctionDef extends Pos {
  k: "FunctionDef";
  name: string;
  args: Arguments;
  body: Stmt[];
  decorators: Expr[];
  isAsync: boolean;
}

export interface ClassDef extends Pos {
  k: "ClassDef";
  name: string;
  bases: Expr[]; // may contain Starred
  keywords: Keyword[]; // metaclass=… and **kw
  body: Stmt[];
  decorators: Expr[];
}

export interface Return extends Pos {
  k: "Return";
  value: Expr | null;
}

export interface Delete extends Pos {
  k: "Delete";
  targets: Expr[];
}

/** `a = b = value`: targets in source order. */
export interface Assign extends Pos {
  k: "Assign";
  targets: Expr[];
  value: Expr;
}

export interface AugAssign extends Pos {
  k: "AugAssign";
  target: Expr; // Name, Attribute or Subscript
  op: BinOpName;
  value: Expr;
}

/** `x: int = 3`. `simple` is true for a bare name target (which then counts as a local binding). */
export interface AnnAssign extends Pos {
  k: "AnnAssign";
  target: Expr;
  annotation: Expr;
  value: Expr | null;
  simple: boolean;
}

export interface For extends Pos {
  k: "For";
  target: Expr;
  iter: Expr;
  body: Stmt[];
  orelse: Stmt[];
  isAsync: boolean;
}

export interface While extends Pos {
  k: "While";
  test: Expr;
  body: Stmt[];
  orelse: Stmt[];
}

/** `elif` is an If in `orelse`. */
export interface If extends Pos {
  k: "If";
  test: Expr;
  body: Stmt[];
  orelse: Stmt[];
}

export interface With extends Pos {
  k: "With";
  items: WithItem[];
  body: Stmt[];
  isAsync: boolean;
}

export interface Raise extends Pos {
  k: "Raise";
  exc: Expr | null;
  cause: Expr | null;
}

export interface Try extends Pos {
  k: "Try";
  body: Stmt[];
  handlers: ExceptHandler[];
  orelse: Stmt[];
  finalbody: Stmt[];
}

export interface Assert extends Pos {
  k: "Assert";
  test: Expr;
  msg: Expr | null;
}

export interface Import extends Pos {
  k: "Import";
  names: Alias[];
}

/** `from ..pkg.mod import a as b`: module "pkg.mod" (or null for `from . import x`), level 2. `*` is one Alias "*". */
export interface ImportFrom extends Pos {
  k: "ImportFrom";
  module: string | null;
  names: Alias[];
  level: number;
}

export interface Global extends Pos {
  k: "Global";
  names: string[];
}

export interface Nonlocal extends Pos {
  k: "Nonlocal";
  names: string[];
}

export interface ExprStmt extends Pos {
  k: "Expr";
  value: Expr;
}

export interface Pass extends Pos {
  k: "Pass";
}
export interface Break extends Pos {
  k: "Break";
}
export interface Continue extends Pos {
  k: "Continue";
}

export type Stmt =
  | FunctionDef
  | ClassDef
  | Return
  | Delete
  | Assign
  | AugAssign
  | AnnAssign
  | For
  | While
  | If
  | With
  | Raise
  | Try
  | Assert
  | Import
  | ImportFrom
  | Global
  | Nonlocal
  | ExprStmt
  | Pass
  | Break
  | Continue;

// ---------------------------------------------------------------------------------------------------------------
// Expressions

export type BinOpName =
  | "+"
  | "-"
  | "*"
  | "@"
  | "/"
  | "//"
  | "%"
  | "**"
  | "<<"
  | ">>"
  | "&"
  | "|"
  | "^";

export type UnaryOpName = "-" | "+" | "~" | "not";

export type CmpOpName = "<" | "<=" | "==" | "!=" | ">" | ">=" | "is" | "is not" | "in" | "not in";

export interface BoolOp extends Pos {
  k: "BoolOp";
  op: "and" | "or";
  values: Expr[]; // two or more
}

/** `target := value` */
export interface NamedExpr extends Pos {
  k: "NamedExpr";
  target: Name;
  value: Expr;
}

export interface BinOp extends Pos {
  k: "BinOp";
  left: Expr;
  op: BinOpName;
  right: Expr;
}

export interface UnaryOp extends Pos {
  k: "UnaryOp";
  op: UnaryOpName;
  operand: Expr;
}

export interface Lambda extends Pos {
  k: "Lambda";
  args: Arguments;
  body: Expr;
}

export interface IfExp extends Pos {
  k: "IfExp";
  test: Expr;
  body: Expr;
  orelse: Expr;
}

/** A null key means `**value` is merged in. */
export interface Dict extends Pos {
  k: "Dict";
  keys: (Expr | null)[];
  values: Expr[];
}

export interface SetExpr extends Pos {
  k: "Set";
  elts: Expr[];
}

export interface ListComp extends Pos {
  k: "ListComp";
  elt: Expr;
  generators: Comprehension[];
}
export interface SetComp extends Pos {
  k: "SetComp";
  elt: Expr;
  generators: Comprehension[];
}
export interface GeneratorExp extends Pos {
  k: "GeneratorExp";
  elt: Expr;
  generators: Comprehension[];
}
export interface DictComp extends Pos {
  k: "DictComp";
  key: Expr;
  value: Expr;
  generators: Comprehension[];
}

export interface Await extends Pos {
  k: "Await";
  value: Expr;
}
export interface Yield extends Pos {
  k: "Yield";
  value: Expr | null;
}
export interface YieldFrom extends Pos {
  k: "YieldFrom";
  value: Expr;
}

/** `a < b <= c`: left a, ops ["<", "<="], comparators [b, c]. */
export interface Compare extends Pos {
  k: "Compare";
  left: Expr;
  ops: CmpOpName[];
  comparators: Expr[];
}

/** Positional args may include Starred; a keyword with arg null is `**value`. */
export interface Call extends Pos {
  k: "Call";
  func: Expr;
  args: Expr[];
  keywords: Keyword[];
}

/** One `{value!conversion:spec}` of an f-string. conversion: -1 none, else the char code of s, r or a. */
export interface FormattedValue extends Pos {
  k: "FormattedValue";
  value: Expr;
  conversion: number;
  formatSpec: JoinedStr | null;
}

/** An f-string: Constant str pieces and FormattedValues. */
export interface JoinedStr extends Pos {
  k: "JoinedStr";
  values: Expr[];
}

/**
 * A literal. kind "int": value is a number when it is a safe integer (|v| <= 2^53), otherwise `big` holds its decimal
 * digits (with a leading "-" never: literals are non-negative). kind "str"/"bytes": value is a byte string.
 */
export interface Constant extends Pos {
  k: "Constant";
  kind: "int" | "float" | "str" | "bytes" | "None" | "True" | "False" | "Ellipsis";
  value: number | string | null;
  big?: string;
}

export interface Attribute extends Pos {
  k: "Attribute";
  value: Expr;
  attr: string;
}

/** `value[slice]`; slice is a Slice, a Tuple (which may contain Slices) or any expression. */
export interface Subscript extends Pos {
  k: "Subscript";
  value: Expr;
  slice: Expr;
}

export interface Starred extends Pos {
  k: "Starred";
  value: Expr;
}

export interface Name extends Pos {
  k: "Name";
  id: string;
}

export interface List extends Pos {
  k: "List";
  elts: Expr[];
}

export interface Tuple extends Pos {
  k: "Tuple";
  elts: Expr[];
}

export interface Slice extends Pos {
  k: "Slice";
  lower: Expr | null;
  upper: Expr | null;
  step: Expr | null;
}

export type Expr =
  | BoolOp
  | NamedExpr
  | BinOp
  | UnaryOp
  | Lambda
  | IfExp
  | Dict
  | SetExpr
  | ListComp
  | SetComp
  | GeneratorExp
  | DictComp
  | Await
  | Yield
  | YieldFrom
  | Compare
  | Call
  | FormattedValue
  | JoinedStr
  | Constant
  | Attribute
  | Subscript
  | Starred
  | Name
  | List
  | Tuple
  | Slice;

// ---------------------------------------------------------------------------------------------------------------
// Parts

export interface Arg extends Pos {
  name: string;
}

/** `def f(a, /, b=1, *args, c, d=2, **kw)`: posonly [a], args [b], defaults [1] (for the last of posonly+args),
 *  vararg args, kwonly [c, d], kwDefaults [null, 2], kwarg kw. */
export interface Arguments {
  posonly: Arg[];
  args: Arg[];
  defaults: Expr[];
  vararg: Arg | null;
  kwonly: Arg[];
  kwDefaults: (Expr | null)[];
  kwarg: Arg | null;
}

export interface Keyword extends Pos {
  arg: string | null;
  value: Expr;
}

export interface Alias extends Pos {
  name: string; // dotted for `import a.b.c`
  asname: string | null;
}

export interface WithItem {
  expr: Expr;
  vars: Expr | null;
}

export interface ExceptHandler extends Pos {
  type: Expr | null;
  name: string | null;
  body: Stmt[];
}

export interface Comprehension {
  target: Expr;
  iter: Expr;
  ifs: Expr[];
  isAsync: boolean;
}

export type Node = Module | Stmt | Expr;
