// Expression rules of the parser: operators by precedence climbing, atoms, displays and comprehensions, calls and
// subscripts, lambda and parameter lists, string concatenation and f-strings, and the checks on assignment targets.
// Plain functions over the Parser in parser.ts; each carries its grammar rule (CPython 3.11's, simplified).

import type {
  Arg,
  Arguments,
  BinOpName,
  CmpOpName,
  Comprehension,
  Constant,
  Expr,
  FormattedValue,
  JoinedStr,
  Keyword,
  Name,
} from "./ast";
import { CompileError } from "./errors";
import { Lexer, Tok, S_BYTES, S_F, S_RAW, decodeString } from "./lexer";
import type { Parser } from "./parser";

// Binding powers of the binary operators, loosest first. NOT is prefix-only at P_NOT.
const P_OR = 1;
const P_AND = 2;
const P_NOT = 3;
const P_CMP = 4;
const P_BOR = 5;
const P_XOR = 6;
const P_BAND = 7;
const P_SHIFT = 8;
const P_ARITH = 9;
const P_TERM = 10;

function binPrec(t: Tok): number {
  switch (t) {
    case Tok.OR: return P_OR;
    case Tok.AND: return P_AND;
    case Tok.LT: case Tok.GT: case Tok.LE: case Tok.GE: case Tok.EQEQ: case Tok.NE: case Tok.IN: case Tok.NOT: case Tok.IS:
      return P_CMP;
    case Tok.VBAR: return P_BOR;
    case Tok.CIRC: return P_XOR;
    case Tok.AMP: return P_BAND;
    case Tok.LSHIFT: case Tok.RSHIFT: return P_SHIFT;
    case Tok.PLUS: case Tok.MINUS: return P_ARITH;
    case Tok.STAR: case Tok.SLASH: case Tok.DSLASH: case Tok.PERCENT: case Tok.AT: return P_TERM;
  }
  return 0;
}

/** The operator of a binary operator token or of an augmented assignment token. */
export function binOpName(t: Tok): BinOpName {
  switch (t) {
    case Tok.PLUS: case Tok.PLUSEQ: return "+";
    case Tok.MINUS: case Tok.MINUSEQ: return "-";
    case Tok.STAR: case Tok.STAREQ: return "*";
    case Tok.SLASH: case Tok.SLASHEQ: return "/";
    case Tok.DSLASH: case Tok.DSLASHEQ: return "//";
    case Tok.PERCENT: case Tok.PERCENTEQ: return "%";
    case Tok.DSTAR: case Tok.DSTAREQ: return "**";
    case Tok.AT: case Tok.ATEQ: return "@";
    case Tok.LSHIFT: case Tok.LSHIFTEQ: return "<<";
    case Tok.RSHIFT: case Tok.RSHIFTEQ: return ">>";
    case Tok.AMP: case Tok.AMPEQ: return "&";
    case Tok.VBAR: case Tok.VBAREQ: return "|";
  }
  return "^";
}

/** Tokens that can begin an expression (used to tell `x,` from `x, y` and to spot missing commas). */
export function startsExpr(t: Tok): boolean {
  switch (t) {
    case Tok.NAME: case Tok.INT: case Tok.FLOAT: case Tok.STRING: case Tok.LPAR: case Tok.LSQB: case Tok.LBRACE:
    case Tok.MINUS: case Tok.PLUS: case Tok.TILDE: case Tok.NOT: case Tok.LAMBDA: case Tok.AWAIT: case Tok.NONE:
    case Tok.TRUE: case Tok.FALSE: case Tok.ELLIPSIS: case Tok.STAR:
      return true;
  }
  return false;
}

// Tokens that begin an expression but cannot continue one: right after a complete expression they mean two
// expressions side by side (a missing comma, or Python 2's print statement).
function startsOperand(t: Tok): boolean {
  switch (t) {
    case Tok.NAME: case Tok.INT: case Tok.FLOAT: case Tok.STRING: case Tok.LBRACE: case Tok.NONE: case Tok.TRUE:
    case Tok.FALSE: case Tok.ELLIPSIS: case Tok.LAMBDA:
      return true;
  }
  return false;
}

function nameNode(p: Parser): Name {
  const lx = p.lx;
  const n: Name = { k: "Name", id: lx.str, line: lx.tline, col: lx.tcol };
  lx.next();
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// Expression levels

// expression: disjunction 'if' disjunction 'else' expression | disjunction | lambdef
export function parseTest(p: Parser): Expr {
  const lx = p.lx;
  if (lx.tok === Tok.LAMBDA) return parseLambda(p);
  if (++p.depth > p.maxDepth) throw p.tooDeep();
  const line = lx.tline;
  const col = lx.tcol;
  const first = lx.tok;
  const firstStr = lx.str;
  const body = parseOp(p, P_OR);
  if (lx.tok === Tok.IF) {
    lx.next();
    const test = parseOp(p, P_OR);
    if (lx.tok !== Tok.ELSE) {
      if (lx.tok === Tok.COLON) throw p.invalid();
      throw p.errorAt("expected 'else' after 'if' expression", body);
    }
    lx.next();
    const orelse = parseTest(p);
    p.depth--;
    return { k: "IfExp", test: test, body: body, orelse: orelse, line: line, col: col };
  }
  if (startsOperand(lx.tok) && p.raw === 0 && !(first === Tok.NAME && (firstStr === "match" || firstStr === "case" || firstStr === "_")))
    adjacent(p, body);
  p.depth--;
  return body;
}

// Two expressions side by side: CPython's invalid_expression and invalid_legacy_expression rules. Like CPython, read
// the second expression before reporting, so that an unclosed bracket in it is what gets reported.
export function adjacent(p: Parser, a: Expr): never {
  const lx = p.lx;
  const legacy = a.k === "Name" && (a.id === "print" || a.id === "exec");
  const nameString = a.k === "Name" && lx.tok === Tok.STRING; // like `print "x"`: no comma is suggested
  const generic = p.invalid();
  const level = lx.brackets.length - (lx.tok === Tok.LBRACE ? 1 : 0); // the level after the second expression
  const brace = lx.tok === Tok.LBRACE;
  const mark = brace ? lx.mark() : null;
  const depth = p.depth;
  p.raw++;
  let ok = true;
  try {
    if (a.k === "Name") parseStarExpressions(p);
    else parseTest(p);
  } catch (e) {
    // a PEG parser would have settled for a shorter second expression; only a tokenizer error changes the outcome
    if (lx.failed) throw e;
    ok = false;
  }
  p.raw--;
  p.depth = depth;
  if (!ok && mark !== null) {
    // CPython then reaches the display by another way, with its own checks on: report a specific error found
    // inside; a plain "invalid syntax" stays where the first attempt stopped
    lx.reset(mark);
    try {
      parseTest(p);
    } catch (e) {
      if (lx.failed || !(e instanceof CompileError) || e.msg !== "invalid syntax") throw e;
    }
    throw generic;
  }
  if (legacy && ok) throw p.errorAt("Missing parentheses in call to '" + a.id + "'. Did you mean " + a.id + "(...)?", a);
  if ((level > 0 || lx.fexpr) && !nameString) throw p.errorAt("invalid syntax. Perhaps you forgot a comma?", a);
  throw generic;
}

// `a = b` where an expression is wanted (CPython's invalid_named_expression rule), at the '='.
export function eqInExpr(p: Parser, a: Expr): never {
  const lx = p.lx;
  const generic = p.invalid();
  lx.next();
  let ok = true;
  p.raw++;
  try {
    parseOp(p, P_BOR);
  } catch (e) {
    if (lx.failed) throw e;
    ok = false;
  }
  p.raw--;
  if (ok && lx.tok !== Tok.EQ && lx.tok !== Tok.COLONEQ) {
    if (a.k === "Name" && p.parened !== a) throw p.errorAt("invalid syntax. Maybe you meant '==' or ':=' instead of '='?", a);
    if (isOperand(p, a)) throw p.errorAt("cannot assign to " + exprName(a) + " here. Maybe you meant '==' instead of '='?", a);
  }
  throw generic;
}

// Is `a` a bitwise_or expression (what CPython's hints about a mistyped '==' apply to), and not a list, tuple,
// generator or True/None/False?
export function isOperand(p: Parser, a: Expr): boolean {
  switch (a.k) {
    case "List": case "Tuple": case "GeneratorExp":
      return false;
    case "Constant":
      return a.kind !== "True" && a.kind !== "False" && a.kind !== "None";
    case "Compare": case "BoolOp": case "IfExp": case "Lambda": case "NamedExpr": case "Starred": case "Yield": case "YieldFrom":
      return p.parened === a;
    case "UnaryOp":
      return a.op !== "not" || p.parened === a;
  }
  return true;
}

// named_expression: NAME ':=' expression | expression !':='
export function parseNamedExpr(p: Parser): Expr {
  const e = parseTest(p);
  if (p.lx.tok !== Tok.COLONEQ) return e;
  if (e.k !== "Name" || p.parened === e) throw p.errorAt("cannot use assignment expressions with " + exprName(e), e);
  p.lx.next();
  const value = parseTest(p);
  return { k: "NamedExpr", target: e, value: value, line: e.line, col: e.col };
}

// star_named_expression: '*' bitwise_or | named_expression
export function parseStarNamedExpr(p: Parser): Expr {
  if (p.lx.tok === Tok.STAR) return parseStarred(p, P_BOR);
  const e = parseNamedExpr(p);
  if (p.lx.tok === Tok.EQ && p.raw === 0) eqInExpr(p, e);
  return e;
}

// star_expression: '*' bitwise_or | expression
export function parseStarExpr(p: Parser): Expr {
  if (p.lx.tok === Tok.STAR) return parseStarred(p, P_BOR);
  return parseTest(p);
}

function parseStarred(p: Parser, prec: number): Expr {
  const lx = p.lx;
  const line = lx.tline;
  const col = lx.tcol;
  lx.next();
  const value = prec === 0 ? parseTest(p) : parseOp(p, prec);
  return { k: "Starred", value: value, line: line, col: col };
}

// star_expressions: star_expression (',' star_expression)* [',']
export function parseStarExpressions(p: Parser): Expr {
  const line = p.lx.tline;
  const col = p.lx.tcol;
  const first = parseStarExpr(p);
  if (p.lx.tok !== Tok.COMMA) return first;
  const elts = [first];
  while (p.lx.tok === Tok.COMMA) {
    p.lx.next();
    if (!startsExpr(p.lx.tok)) break;
    elts.push(parseStarExpr(p));
  }
  return { k: "Tuple", elts: elts, line: line, col: col };
}

// expressions: expression (',' expression)* [',']
export function parseExpressions(p: Parser): Expr {
  const line = p.lx.tline;
  const col = p.lx.tcol;
  const first = parseTest(p);
  if (p.lx.tok !== Tok.COMMA) return first;
  const elts = [first];
  while (p.lx.tok === Tok.COMMA) {
    p.lx.next();
    if (!startsExpr(p.lx.tok) || p.lx.tok === Tok.STAR) break;
    elts.push(parseTest(p));
  }
  return { k: "Tuple", elts: elts, line: line, col: col };
}

// star_targets: star_target (',' star_target)* [','], each '*'? bitwise_or (checked by checkTarget afterwards)
export function parseTargetList(p: Parser): Expr {
  const line = p.lx.tline;
  const col = p.lx.tcol;
  const first = parseStarTarget(p);
  if (p.lx.tok !== Tok.COMMA) return first;
  const elts = [first];
  while (p.lx.tok === Tok.COMMA) {
    p.lx.next();
    if (!startsExpr(p.lx.tok)) break;
    elts.push(parseStarTarget(p));
  }
  return { k: "Tuple", elts: elts, line: line, col: col };
}

function parseStarTarget(p: Parser): Expr {
  if (p.lx.tok === Tok.STAR) return parseStarred(p, P_BOR);
  return parseOp(p, P_BOR);
}

// disjunction: conjunction ('or' conjunction)*;  conjunction: inversion ('and' inversion)*
// inversion: 'not' inversion | comparison;  comparison: bitwise_or (compare_op bitwise_or)*
// bitwise_or .. term: left-associative binary operators, by precedence climbing from minPrec
export function parseOp(p: Parser, minPrec: number): Expr {
  const lx = p.lx;
  // composite nodes start where their first operand's first token does (which may be a parenthesis)
  const line = lx.tline;
  const col = lx.tcol;
  let left: Expr;
  if (lx.tok === Tok.NOT && minPrec <= P_NOT) {
    lx.next();
    if (++p.depth > p.maxDepth) throw p.tooDeep();
    const operand = parseOp(p, P_NOT);
    p.depth--;
    left = { k: "UnaryOp", op: "not", operand: operand, line: line, col: col };
  } else left = parseFactor(p);
  for (;;) {
    const t = lx.tok;
    const prec = binPrec(t);
    if (prec < minPrec || prec === 0) return left;
    if (prec === P_OR || prec === P_AND) {
      const values = [left];
      while (lx.tok === t) {
        lx.next();
        values.push(parseOp(p, prec + 1));
      }
      left = { k: "BoolOp", op: prec === P_OR ? "or" : "and", values: values, line: line, col: col };
    } else if (prec === P_CMP) {
      const ops: CmpOpName[] = [];
      const comparators: Expr[] = [];
      for (;;) {
        const isNot = lx.tok === Tok.NOT;
        const op = cmpOp(p);
        if (op === null) {
          // `x not y` reads as two expressions side by side: `not y` is the second one
          if (isNot) notWithoutIn(p, line, col);
          break;
        }
        ops.push(op);
        comparators.push(parseOp(p, P_BOR));
      }
      left = { k: "Compare", left: left, ops: ops, comparators: comparators, line: line, col: col };
    } else {
      lx.next();
      const right = parseOp(p, prec + 1);
      left = { k: "BinOp", left: left, op: binOpName(t), right: right, line: line, col: col };
    }
  }
}

// After `a not` with no `in`: CPython sees expressions `a` and `not …` side by side (see adjacent).
function notWithoutIn(p: Parser, line: number, col: number): never {
  const lx = p.lx;
  const generic = p.invalid();
  const t = lx.tok;
  const level = lx.brackets.length - (t === Tok.LPAR || t === Tok.LSQB || t === Tok.LBRACE ? 1 : 0);
  p.raw++;
  try {
    parseOp(p, P_NOT);
  } catch (e) {
    if (lx.failed) throw e;
  }
  if (level > 0 || lx.fexpr) throw p.error("invalid syntax. Perhaps you forgot a comma?", line, col);
  throw generic;
}

// compare_op: '==' | '!=' | '<=' | '<' | '>=' | '>' | 'not' 'in' | 'in' | 'is' 'not' | 'is'. Consumes it.
function cmpOp(p: Parser): CmpOpName | null {
  const lx = p.lx;
  const t = lx.tok;
  let op: CmpOpName;
  switch (t) {
    case Tok.LT: op = "<"; break;
    case Tok.GT: op = ">"; break;
    case Tok.LE: op = "<="; break;
    case Tok.GE: op = ">="; break;
    case Tok.EQEQ: op = "=="; break;
    case Tok.NE: op = "!="; break;
    case Tok.IN: op = "in"; break;
    case Tok.IS:
      lx.next();
      if (lx.tok === Tok.NOT) {
        lx.next();
        return "is not";
      }
      return "is";
    case Tok.NOT:
      lx.next();
      if (lx.tok !== Tok.IN) return null; // `a not b`: the caller reports it
      lx.next();
      return "not in";
    default:
      return null;
  }
  lx.next();
  return op;
}

// factor: ('+' | '-' | '~') factor | power;  power: await_primary ['**' factor]
function parseFactor(p: Parser): Expr {
  const lx = p.lx;
  const t = lx.tok;
  if (t === Tok.MINUS || t === Tok.PLUS || t === Tok.TILDE) {
    const ul = lx.tline;
    const uc = lx.tcol;
    lx.next();
    if (++p.depth > p.maxDepth) throw p.tooDeep();
    const operand = parseFactor(p);
    p.depth--;
    return { k: "UnaryOp", op: t === Tok.MINUS ? "-" : t === Tok.PLUS ? "+" : "~", operand: operand, line: ul, col: uc };
  }
  const line = lx.tline;
  const col = lx.tcol;
  const base = parsePrimary(p);
  if (lx.tok !== Tok.DSTAR) return base;
  lx.next();
  if (++p.depth > p.maxDepth) throw p.tooDeep();
  const exp = parseFactor(p);
  p.depth--;
  return { k: "BinOp", left: base, op: "**", right: exp, line: line, col: col };
}

// await_primary: 'await' primary | primary
// primary: primary '.' NAME | primary genexp | primary '(' [arguments] ')' | primary '[' slices ']' | atom
function parsePrimary(p: Parser): Expr {
  const lx = p.lx;
  if (lx.tok === Tok.AWAIT) {
    const line = lx.tline;
    const col = lx.tcol;
    lx.next();
    const value = parsePrimary0(p);
    return { k: "Await", value: value, line: line, col: col };
  }
  return parsePrimary0(p);
}

function parsePrimary0(p: Parser): Expr {
  const lx = p.lx;
  const line = lx.tline;
  const col = lx.tcol;
  let e = parseAtom(p);
  for (;;) {
    const t = lx.tok;
    if (t === Tok.DOT) {
      lx.next();
      if (lx.tok !== Tok.NAME) throw p.invalid();
      e = { k: "Attribute", value: e, attr: lx.str, line: line, col: col };
      lx.next();
    } else if (t === Tok.LPAR) {
      const pl = lx.tline;
      const pc = lx.tcol;
      lx.next();
      const args: Expr[] = [];
      const keywords: Keyword[] = [];
      parseArgs(p, args, keywords, pl, pc);
      e = { k: "Call", func: e, args: args, keywords: keywords, line: line, col: col };
    } else if (t === Tok.LSQB) {
      lx.next();
      const slice = parseSlices(p);
      if (lx.tok !== Tok.RSQB) throw p.invalid();
      lx.next();
      e = { k: "Subscript", value: e, slice: slice, line: line, col: col };
    } else return e;
  }
}

// atom: NAME | 'True' | 'False' | 'None' | strings | NUMBER | tuple | group | genexp | list | listcomp | dict | set
//     | dictcomp | setcomp | '...'
function parseAtom(p: Parser): Expr {
  const lx = p.lx;
  const line = lx.tline;
  const col = lx.tcol;
  let c: Constant;
  switch (lx.tok) {
    case Tok.NAME:
      return nameNode(p);
    case Tok.INT:
      c = { k: "Constant", kind: "int", value: lx.num, line: line, col: col };
      if (lx.big !== null) {
        c.value = null;
        c.big = lx.big;
      }
      lx.next();
      return c;
    case Tok.FLOAT:
      c = { k: "Constant", kind: "float", value: lx.num, line: line, col: col };
      lx.next();
      return c;
    case Tok.STRING:
      return parseStrings(p);
    case Tok.NONE:
    case Tok.TRUE:
    case Tok.FALSE:
    case Tok.ELLIPSIS: {
      const t = lx.tok;
      lx.next();
      return { k: "Constant", kind: t === Tok.NONE ? "None" : t === Tok.TRUE ? "True" : t === Tok.FALSE ? "False" : "Ellipsis", value: null, line: line, col: col };
    }
    case Tok.LPAR:
      return parseParen(p);
    case Tok.LSQB:
      return parseList(p);
    case Tok.LBRACE:
      return parseBrace(p);
  }
  throw p.invalid();
}

// tuple: '(' [star_named_expression ',' [star_named_expressions]] ')'
// group: '(' (yield_expr | named_expression) ')';  genexp: '(' named_expression for_if_clauses ')'
function parseParen(p: Parser): Expr {
  const lx = p.lx;
  const line = lx.tline;
  const col = lx.tcol;
  lx.next();
  if (lx.tok === Tok.RPAR) {
    lx.next();
    return { k: "Tuple", elts: [], line: line, col: col };
  }
  if (lx.tok === Tok.DSTAR) throw p.errorHere("cannot use double starred expression here");
  if (lx.tok === Tok.YIELD) {
    const y = parseYield(p);
    if (lx.tok !== Tok.RPAR) throw p.invalid();
    lx.next();
    p.parened = y;
    return y;
  }
  const first = parseStarNamedExpr(p);
  if (lx.tok === Tok.FOR || lx.tok === Tok.ASYNC) {
    noStarInComp(p, first);
    const generators = parseCompFor(p);
    if (lx.tok !== Tok.RPAR) throw p.invalid();
    lx.next();
    return { k: "GeneratorExp", elt: first, generators: generators, line: line, col: col };
  }
  if (lx.tok === Tok.RPAR) {
    if (first.k === "Starred") throw p.errorAt("cannot use starred expression here", first);
    lx.next();
    p.parened = first;
    return first;
  }
  const elts = parseRest(p, first, Tok.RPAR);
  const t: Expr = { k: "Tuple", elts: elts, line: line, col: col };
  p.parened = t;
  return t;
}

// The rest of star_named_expressions after `first`, up to and including the closing bracket.
function parseRest(p: Parser, first: Expr, close: Tok): Expr[] {
  const lx = p.lx;
  const elts = [first];
  while (lx.tok === Tok.COMMA) {
    lx.next();
    if (lx.tok === close) break;
    elts.push(parseStarNamedExpr(p));
  }
  if (lx.tok !== close) throw p.invalid();
  lx.next();
  return elts;
}

function noStarInComp(p: Parser, e: Expr): void {
  if (e.k === "Starred") throw p.errorAt("iterable unpacking cannot be used in comprehension", e);
}

// list: '[' [star_named_expressions] ']';  listcomp: '[' named_expression for_if_clauses ']'
function parseList(p: Parser): Expr {
  const lx = p.lx;
  const line = lx.tline;
  const col = lx.tcol;
  lx.next();
  if (lx.tok === Tok.RSQB) {
    lx.next();
    return { k: "List", elts: [], line: line, col: col };
  }
  const first = parseStarNamedExpr(p);
  if (lx.tok === Tok.FOR || lx.tok === Tok.ASYNC) {
    noStarInComp(p, first);
    const generators = parseCompFor(p);
    if (lx.tok !== Tok.RSQB) throw p.invalid();
    lx.next();
    return { k: "ListComp", elt: first, generators: generators, line: line, col: col };
  }
  return { k: "List", elts: parseRest(p, first, Tok.RSQB), line: line, col: col };
}

// dict: '{' [double_starred_kvpair (',' double_starred_kvpair)* [',']] '}';  dictcomp: '{' kvpair for_if_clauses '}'
// set: '{' star_named_expressions '}';  setcomp: '{' named_expression for_if_clauses '}'
// double_starred_kvpair: '**' bitwise_or | expression ':' expression
function parseBrace(p: Parser): Expr {
  const lx = p.lx;
  const line = lx.tline;
  const col = lx.tcol;
  lx.next();
  const keys: (Expr | null)[] = [];
  const values: Expr[] = [];
  if (lx.tok === Tok.RBRACE) {
    lx.next();
    return { k: "Dict", keys: keys, values: values, line: line, col: col };
  }
  if (lx.tok === Tok.DSTAR) {
    lx.next();
    keys.push(null);
    values.push(parseOp(p, P_BOR));
    if (lx.tok === Tok.FOR || lx.tok === Tok.ASYNC) throw p.errorHere("dict unpacking cannot be used in dict comprehension");
  } else {
    const first = parseStarNamedExpr(p);
    if (lx.tok !== Tok.COLON || first.k === "Starred") {
      // a set
      if (lx.tok === Tok.FOR || lx.tok === Tok.ASYNC) {
        noStarInComp(p, first);
        const generators = parseCompFor(p);
        if (lx.tok !== Tok.RBRACE) throw p.invalid();
        lx.next();
        return { k: "SetComp", elt: first, generators: generators, line: line, col: col };
      }
      return { k: "Set", elts: parseRest(p, first, Tok.RBRACE), line: line, col: col };
    }
    const colon = p.errorHere("expression expected after dictionary key and ':'");
    lx.next();
    if (lx.tok === Tok.STAR) throw p.errorHere("cannot use a starred expression in a dictionary value");
    if (lx.tok === Tok.RBRACE || lx.tok === Tok.COMMA) throw colon;
    const value = parseTest(p);
    if (lx.tok === Tok.FOR || lx.tok === Tok.ASYNC) {
      const generators = parseCompFor(p);
      if (lx.tok !== Tok.RBRACE) throw p.invalid();
      lx.next();
      return { k: "DictComp", key: first, value: value, generators: generators, line: line, col: col };
    }
    keys.push(first);
    values.push(value);
  }
  while (lx.tok === Tok.COMMA) {
    lx.next();
    if (lx.tok === Tok.RBRACE) break;
    if (lx.tok === Tok.DSTAR) {
      lx.next();
      keys.push(null);
      values.push(parseOp(p, P_BOR));
    } else {
      p.raw++; // a key followed by anything but ':' is reported as such
      keys.push(parseTest(p));
      p.raw--;
      // CPython points at the key's last char
      if (lx.tok !== Tok.COLON) throw p.error("':' expected after dictionary key", lx.prevLine, lx.prevEnd - 1);
      const colon = p.errorHere("expression expected after dictionary key and ':'");
      lx.next();
      if (lx.tok === Tok.STAR) throw p.errorHere("cannot use a starred expression in a dictionary value");
      if (lx.tok === Tok.RBRACE || lx.tok === Tok.COMMA) throw colon;
      values.push(parseTest(p));
    }
  }
  if (lx.tok !== Tok.RBRACE) throw p.invalid();
  lx.next();
  return { k: "Dict", keys: keys, values: values, line: line, col: col };
}

// for_if_clauses: ([ASYNC] 'for' star_targets 'in' disjunction ('if' disjunction)*)+
export function parseCompFor(p: Parser): Comprehension[] {
  const lx = p.lx;
  const out: Comprehension[] = [];
  while (lx.tok === Tok.FOR || lx.tok === Tok.ASYNC) {
    const isAsync = lx.tok === Tok.ASYNC;
    if (isAsync) {
      lx.next();
      if (lx.tok !== Tok.FOR) throw p.invalid();
    }
    lx.next();
    const target = parseTargetList(p);
    if (lx.tok !== Tok.IN && startsOperand(lx.tok) && p.raw === 0) adjacent(p, target);
    checkTarget(p, target, false);
    if (lx.tok !== Tok.IN) throw p.invalid();
    lx.next();
    const iter = parseOp(p, P_OR);
    const ifs: Expr[] = [];
    while (lx.tok === Tok.IF) {
      lx.next();
      ifs.push(parseOp(p, P_OR));
    }
    out.push({ target: target, iter: iter, ifs: ifs, isAsync: isAsync });
  }
  return out;
}

// yield_expr: 'yield' 'from' expression | 'yield' [star_expressions]
export function parseYield(p: Parser): Expr {
  const lx = p.lx;
  const line = lx.tline;
  const col = lx.tcol;
  lx.next();
  if (lx.tok === Tok.FROM) {
    lx.next();
    const v = parseTest(p);
    return { k: "YieldFrom", value: v, line: line, col: col };
  }
  const value = startsExpr(lx.tok) ? parseStarExpressions(p) : null;
  return { k: "Yield", value: value, line: line, col: col };
}

// slices: slice !',' | ','.(slice | starred_expression)+ [',']
function parseSlices(p: Parser): Expr {
  const lx = p.lx;
  const line = lx.tline;
  const col = lx.tcol;
  const first = parseSlice(p);
  if (lx.tok !== Tok.COMMA) {
    if (first.k !== "Starred") return first;
    return { k: "Tuple", elts: [first], line: line, col: col }; // a[*b] indexes with a tuple
  }
  const elts = [first];
  while (lx.tok === Tok.COMMA) {
    lx.next();
    if (lx.tok === Tok.RSQB) break;
    elts.push(parseSlice(p));
  }
  return { k: "Tuple", elts: elts, line: line, col: col };
}

// slice: [expression] ':' [expression] [':' [expression]] | named_expression | starred_expression
function parseSlice(p: Parser): Expr {
  const lx = p.lx;
  const line = lx.tline;
  const col = lx.tcol;
  if (lx.tok === Tok.STAR) return parseStarred(p, 0);
  let lower: Expr | null = null;
  if (lx.tok !== Tok.COLON) {
    lower = parseNamedExpr(p);
    if (lx.tok === Tok.EQ && p.raw === 0) eqInExpr(p, lower);
    if (lx.tok !== Tok.COLON) return lower;
  }
  lx.next();
  let upper: Expr | null = null;
  let step: Expr | null = null;
  if (lx.tok !== Tok.COLON && lx.tok !== Tok.COMMA && lx.tok !== Tok.RSQB) upper = parseTest(p);
  if (lx.tok === Tok.COLON) {
    lx.next();
    if (lx.tok !== Tok.COMMA && lx.tok !== Tok.RSQB) step = parseTest(p);
  }
  return { k: "Slice", lower: lower, upper: upper, step: step, line: line, col: col };
}

// arguments: ','.(starred_expression | (named_expression !'=') | genexp-as-sole-argument)+ [',' kwargs] [','] ')'
// kwargs: ','.(NAME '=' expression | starred_expression | '**' expression)+
// Called after '(' at (line, col); consumes the ')'. A class's bases pass line -1: no generator argument there.
export function parseArgs(p: Parser, args: Expr[], keywords: Keyword[], line: number, col: number): void {
  const lx = p.lx;
  let kw = false; // a keyword argument was seen
  let dstar = false; // a **mapping was seen
  let misplaced: string | null = null; // a positional argument after them
  while (lx.tok !== Tok.RPAR) {
    const t = lx.tok;
    if (t === Tok.STAR) {
      const star = parseStarred(p, 0);
      if (dstar) throw p.errorAt("iterable argument unpacking follows keyword argument unpacking", star);
      if (lx.tok === Tok.FOR || lx.tok === Tok.ASYNC) noStarInComp(p, star);
      args.push(star);
    } else if (t === Tok.DSTAR) {
      const kl = lx.tline;
      const kc = lx.tcol;
      lx.next();
      keywords.push({ arg: null, value: parseTest(p), line: kl, col: kc });
      dstar = true;
    } else {
      const e = parseNamedExpr(p);
      if (lx.tok === Tok.EQ) {
        if (e.k !== "Name" || p.parened === e) {
          if (e.k === "Constant" && (e.kind === "True" || e.kind === "False" || e.kind === "None"))
            throw p.errorAt("cannot assign to " + e.kind, e);
          throw p.errorAt('expression cannot contain assignment, perhaps you meant "=="?', e);
        }
        lx.next();
        keywords.push({ arg: e.id, value: parseTest(p), line: e.line, col: e.col });
        kw = true;
      } else if ((lx.tok === Tok.FOR || lx.tok === Tok.ASYNC) && line >= 0) {
        const generators = parseCompFor(p);
        if (args.length + keywords.length > 0 || lx.tok !== Tok.RPAR) throw p.errorAt("Generator expression must be parenthesized", e);
        args.push({ k: "GeneratorExp", elt: e, generators: generators, line: line, col: col });
      } else {
        if ((kw || dstar) && misplaced === null)
          misplaced = dstar ? "positional argument follows keyword argument unpacking" : "positional argument follows keyword argument";
        args.push(e);
      }
    }
    if (lx.tok !== Tok.COMMA) break;
    lx.next();
  }
  if (lx.tok !== Tok.RPAR) throw p.invalid();
  // CPython reads the whole argument list before it complains about the order, so it points at the ')'
  if (misplaced !== null) throw p.errorHere(misplaced);
  lx.next();
}

// lambdef: 'lambda' [lambda_params] ':' expression
function parseLambda(p: Parser): Expr {
  const lx = p.lx;
  const line = lx.tline;
  const col = lx.tcol;
  lx.next();
  const args = parseParams(p, false);
  if (lx.tok !== Tok.COLON) throw p.invalid();
  lx.next();
  if (++p.depth > p.maxDepth) throw p.tooDeep();
  const body = parseTest(p);
  p.depth--;
  return { k: "Lambda", args: args, body: body, line: line, col: col };
}

// params: [posonly ','? '/'] [args with defaults] ['*' [NAME] (',' kwonly)*] ['**' NAME] [',']
// param: NAME [':' expression] (annotations only in a def, where they are parsed and dropped)
// Stops before ')' (def) or ':' (lambda).
export function parseParams(p: Parser, isDef: boolean): Arguments {
  const lx = p.lx;
  const close = isDef ? Tok.RPAR : Tok.COLON;
  const a: Arguments = { posonly: [], args: [], defaults: [], vararg: null, kwonly: [], kwDefaults: [], kwarg: null };
  let slash = false;
  let star = false;
  while (lx.tok !== close) {
    const t = lx.tok;
    if (t === Tok.SLASH) {
      if (slash) throw p.errorHere("/ may appear only once");
      if (star) throw p.errorHere("/ must be ahead of *");
      if (a.args.length === 0) throw p.invalid();
      lx.next();
      a.posonly = a.args;
      a.args = [];
      slash = true;
    } else if (t === Tok.STAR) {
      if (star) throw p.errorHere("* argument may appear only once");
      const sl = lx.tline;
      const sc = lx.tcol;
      lx.next();
      star = true;
      if (lx.tok === Tok.NAME) {
        a.vararg = parseParam(p, isDef, true);
        if (lx.tok === Tok.EQ) throw p.errorHere("var-positional argument cannot have default value");
      } else {
        // a bare '*' must be followed by keyword-only parameters
        const after = lx.tok === Tok.COMMA ? (lx.next(), lx.tok) : lx.tok;
        if (after === close || after === Tok.DSTAR) {
          if (isDef) throw p.error("named arguments must follow bare *", sl, sc);
          throw p.errorHere("named arguments must follow bare *");
        }
        continue;
      }
    } else if (t === Tok.DSTAR) {
      lx.next();
      if (lx.tok !== Tok.NAME) throw p.invalid();
      a.kwarg = parseParam(p, isDef, false);
      if (lx.tok === Tok.EQ) throw p.errorHere("var-keyword argument cannot have default value");
      if (lx.tok === Tok.COMMA) lx.next();
      if (lx.tok !== close) {
        if (lx.tok === Tok.NAME || lx.tok === Tok.STAR || lx.tok === Tok.DSTAR || lx.tok === Tok.SLASH)
          throw p.errorHere("arguments cannot follow var-keyword argument");
        throw p.invalid();
      }
      break;
    } else if (t === Tok.LPAR) {
      // `def f((a, b))`: say so if that is what it is, else it is plain invalid syntax
      const err = p.errorHere(isDef ? "Function parameters cannot be parenthesized" : "Lambda expression parameters cannot be parenthesized");
      const generic = p.invalid();
      lx.next();
      let names = 0;
      while (lx.tok === Tok.NAME) {
        names++;
        lx.next();
        if (lx.tok !== Tok.COMMA) break;
        lx.next();
      }
      throw names > 0 && lx.tok === Tok.RPAR ? err : generic;
    } else if (t === Tok.NAME) {
      const arg = parseParam(p, isDef, false);
      let dflt: Expr | null = null;
      if (lx.tok === Tok.EQ) {
        lx.next();
        dflt = parseTest(p);
      }
      if (star) {
        a.kwonly.push(arg);
        a.kwDefaults.push(dflt);
      } else {
        if (dflt !== null) a.defaults.push(dflt);
        else if (a.defaults.length > 0) throw p.errorAt("non-default argument follows default argument", arg);
        a.args.push(arg);
      }
    } else throw p.invalid();
    if (lx.tok !== Tok.COMMA) break;
    lx.next();
  }
  return a;
}

function parseParam(p: Parser, isDef: boolean, isStar: boolean): Arg {
  const lx = p.lx;
  if (lx.tok !== Tok.NAME) throw p.invalid();
  const arg: Arg = { name: lx.str, line: lx.tline, col: lx.tcol };
  lx.next();
  if (isDef && lx.tok === Tok.COLON) {
    lx.next();
    if (isStar && lx.tok === Tok.STAR) parseStarred(p, 0); // `*args: *Ts`
    else parseTest(p);
  }
  return arg;
}

// ---------------------------------------------------------------------------------------------------------------
// Targets

/** What CPython calls an expression in "cannot assign to …" messages. */
export function exprName(e: Expr): string {
  switch (e.k) {
    case "Attribute": return "attribute";
    case "Subscript": return "subscript";
    case "Starred": return "starred";
    case "Name": return "name";
    case "List": return "list";
    case "Tuple": return "tuple";
    case "Lambda": return "lambda";
    case "Call": return "function call";
    case "BoolOp": case "BinOp": case "UnaryOp": return "expression";
    case "GeneratorExp": return "generator expression";
    case "Yield": case "YieldFrom": return "yield expression";
    case "Await": return "await expression";
    case "ListComp": return "list comprehension";
    case "SetComp": return "set comprehension";
    case "DictComp": return "dict comprehension";
    case "Dict": return "dict literal";
    case "Set": return "set display";
    case "JoinedStr": case "FormattedValue": return "f-string expression";
    case "Constant":
      if (e.kind === "None" || e.kind === "True" || e.kind === "False") return e.kind;
      return e.kind === "Ellipsis" ? "ellipsis" : "literal";
    case "Compare": return "comparison";
    case "IfExp": return "conditional expression";
    case "NamedExpr": return "named expression";
  }
  return "expression";
}

/** The first part of an assignment (or del) target that cannot be one, or null. */
export function invalidTarget(e: Expr, isDel: boolean): Expr | null {
  switch (e.k) {
    case "Name": case "Attribute": case "Subscript":
      return null;
    case "Starred":
      return isDel ? e : invalidTarget(e.value, false);
    case "List": case "Tuple":
      for (let i = 0; i < e.elts.length; i++) {
        const bad = invalidTarget(e.elts[i], isDel);
        if (bad !== null) return bad;
      }
      return null;
  }
  return e;
}

export function checkTarget(p: Parser, e: Expr, isDel: boolean): void {
  const bad = invalidTarget(e, isDel);
  if (bad !== null) throw p.errorAt((isDel ? "cannot delete " : "cannot assign to ") + exprName(bad), bad);
}

// ---------------------------------------------------------------------------------------------------------------
// Strings

// strings: STRING+ (adjacent literals concatenate; any f-string among them makes a JoinedStr)
function parseStrings(p: Parser): Expr {
  const lx = p.lx;
  const line = lx.tline;
  const col = lx.tcol;
  const isBytes = (lx.sflags & S_BYTES) !== 0;
  let mixed = false;
  let s = "";
  let parts: Expr[] | null = null; // the JoinedStr's values, once an f-string is seen
  let endLine = 0;
  let endCol = 0;
  while (lx.tok === Tok.STRING) {
    if (((lx.sflags & S_BYTES) !== 0) !== isBytes) mixed = true;
    if (lx.sflags & S_F) {
      if (parts === null) parts = [];
      addLiteral(parts, s, line, col);
      s = "";
      parseFString(p, parts, line, col);
    } else s += lx.str;
    endLine = lx.line;
    endCol = lx.tend - lx.lineStart;
    lx.next();
  }
  if (mixed) throw p.error("cannot mix bytes and nonbytes literals", endLine, endCol);
  if (parts === null) return { k: "Constant", kind: isBytes ? "bytes" : "str", value: s, line: line, col: col };
  addLiteral(parts, s, line, col);
  return { k: "JoinedStr", values: parts, line: line, col: col };
}

// Append literal text to f-string pieces, merging with a literal just before it as CPython does.
function addLiteral(parts: Expr[], s: string, line: number, col: number): void {
  if (s === "") return;
  const last = parts.length > 0 ? parts[parts.length - 1] : null;
  if (last !== null && last.k === "Constant") last.value = (last.value as string) + s;
  else parts.push({ k: "Constant", kind: "str", value: s, line: line, col: col });
}

// Where an f-string token is being split: its body, and a line counter for the expressions inside it.
interface FStr {
  src: string;
  end: number; // end of the body
  flags: number;
  line: number; // line and line start of offset `scan`
  lineStart: number;
  scan: number; // how far line counting has got
  errLine: number; // CPython reports f-string errors at the end of the token
  errCol: number;
  pline: number; // position given to the pieces: the whole string's
  pcol: number;
}

// The current token is an f-string: add its pieces to `parts`.
function parseFString(p: Parser, parts: Expr[], line: number, col: number): void {
  const lx = p.lx;
  const fs: FStr = {
    src: lx.src, end: lx.sbodyEnd, flags: lx.sflags, line: lx.tline, lineStart: lx.tstart - lx.tcol, scan: lx.tstart,
    errLine: lx.line, errCol: lx.tend - lx.lineStart, pline: line, pcol: col,
  };
  const i = fstringPieces(p, fs, lx.sbody, 0, parts);
  if (i < fs.end) throw fsError(fs, "f-string: single '}' is not allowed");
}

function fsError(fs: FStr, msg: string): CompileError {
  return new CompileError("SyntaxError", msg, fs.errLine, fs.errCol);
}

// Split src[i, end) into literal text and replacement fields, appending to `out`. In a format spec (nested > 0) an
// unmatched '}' ends it. Returns where it stopped.
function fstringPieces(p: Parser, fs: FStr, i: number, nested: number, out: Expr[]): number {
  const src = fs.src;
  const end = fs.end;
  const raw = (fs.flags & S_RAW) !== 0;
  let seg = i;
  let lit = "";
  while (i < end) {
    const c = src.charCodeAt(i);
    if (c === 92 && !raw) {
      const n = src.charCodeAt(i + 1);
      if (n === 78 && src.charCodeAt(i + 2) === 123) throw fsError(fs, "\\N{} escapes are not supported");
      // a backslash does not escape a brace: `f"\{x}"` is a backslash and a field, as in CPython
      i += n === 123 || n === 125 ? 1 : 2;
      continue;
    }
    if (c !== 123 && c !== 125) {
      i++;
      continue;
    }
    if (nested === 0 && src.charCodeAt(i + 1) === c && i + 1 < end) {
      lit += decode(fs, seg, i) + String.fromCharCode(c);
      i += 2;
      seg = i;
      continue;
    }
    if (c === 125) {
      if (nested === 0) throw fsError(fs, "f-string: single '}' is not allowed");
      break;
    }
    addLiteral(out, lit + decode(fs, seg, i), fs.pline, fs.pcol);
    lit = "";
    i = replacementField(p, fs, i + 1, nested, out);
    seg = i;
  }
  addLiteral(out, lit + decode(fs, seg, i), fs.pline, fs.pcol);
  return i;
}

function decode(fs: FStr, from: number, to: number): string {
  if (from === to) return "";
  return decodeString(fs.src, from, to, fs.flags, fs.errLine, fs.errCol);
}

// replacement_field: '{' (yield_expr | star_expressions) ['='] ['!' NAME] [':' format_spec] '}', from after the '{'.
// The end of the expression is found by scanning brackets and quotes, as CPython 3.11 does.
function replacementField(p: Parser, fs: FStr, i: number, nested: number, out: Expr[]): number {
  const src = fs.src;
  const end = fs.end;
  if (nested >= 2) throw fsError(fs, "f-string: expressions nested too deeply");
  const start = i;
  let quote = 0;
  let triple = false;
  let stack = "";
  for (; i < end; i++) {
    const c = src.charCodeAt(i);
    if (c === 92) throw fsError(fs, "f-string expression part cannot include a backslash");
    if (quote !== 0) {
      if (c === quote) {
        if (!triple) quote = 0;
        else if (i + 2 < end && src.charCodeAt(i + 1) === c && src.charCodeAt(i + 2) === c) {
          i += 2;
          quote = 0;
        }
      }
      continue;
    }
    if (c === 39 || c === 34) {
      triple = i + 2 < end && src.charCodeAt(i + 1) === c && src.charCodeAt(i + 2) === c;
      if (triple) i += 2;
      quote = c;
    } else if (c === 40 || c === 91 || c === 123) {
      if (stack.length >= 200) throw fsError(fs, "f-string: too many nested parenthesis");
      stack += String.fromCharCode(c);
    } else if (c === 35) {
      throw fsError(fs, "f-string expression part cannot include '#'");
    } else if (stack.length === 0 && (c === 33 || c === 58 || c === 125 || c === 61 || c === 60 || c === 62)) {
      // ! : } = end the expression, except as part of != == <= >=; < and > never do
      if (i + 1 < end && src.charCodeAt(i + 1) === 61 && c !== 58 && c !== 125) {
        i++;
        continue;
      }
      if (c === 60 || c === 62) continue;
      break;
    } else if (c === 41 || c === 93 || c === 125) {
      const ch = String.fromCharCode(c);
      if (stack.length === 0) throw fsError(fs, "f-string: unmatched '" + ch + "'");
      const open = stack.charCodeAt(stack.length - 1);
      stack = stack.substring(0, stack.length - 1);
      if ((open === 40 && c !== 41) || (open === 91 && c !== 93) || (open === 123 && c !== 125))
        throw fsError(fs, "f-string: closing parenthesis '" + ch + "' does not match opening parenthesis '" + String.fromCharCode(open) + "'");
    }
  }
  if (quote !== 0) throw fsError(fs, "f-string: unterminated string");
  if (stack.length > 0) throw fsError(fs, "f-string: unmatched '" + stack.charAt(stack.length - 1) + "'");
  if (i >= end) throw fsError(fs, "f-string: expecting '}'");
  const exprEnd = i;
  let blank = true;
  for (let j = start; j < exprEnd && blank; j++) {
    const c = src.charCodeAt(j);
    blank = c === 32 || c === 9 || c === 10 || c === 13 || c === 12;
  }
  if (blank) {
    const c = src.charCodeAt(exprEnd);
    if (c === 33 || c === 58 || c === 61) throw fsError(fs, "f-string: expression required before '" + String.fromCharCode(c) + "'");
    throw fsError(fs, "f-string: empty expression not allowed");
  }
  const value = fstringExpr(p, fs, start, exprEnd);
  let debug = false;
  if (src.charCodeAt(i) === 61) {
    i++;
    while (i < end && (src.charCodeAt(i) === 32 || src.charCodeAt(i) === 9 || src.charCodeAt(i) === 10 || src.charCodeAt(i) === 13 || src.charCodeAt(i) === 12)) i++;
    if (i >= end) throw fsError(fs, "f-string: expecting '}'");
    addLiteral(out, src.substring(start, i), fs.pline, fs.pcol);
    debug = true;
  }
  let conversion = -1;
  if (src.charCodeAt(i) === 33) {
    i++;
    if (i >= end) throw fsError(fs, "f-string: expecting '}'");
    conversion = src.charCodeAt(i);
    i++;
    if (conversion !== 115 && conversion !== 114 && conversion !== 97)
      throw fsError(fs, "f-string: invalid conversion character: expected 's', 'r', or 'a'");
  }
  if (i >= end) throw fsError(fs, "f-string: expecting '}'");
  let spec: JoinedStr | null = null;
  if (src.charCodeAt(i) === 58) {
    i++;
    if (i >= end) throw fsError(fs, "f-string: expecting '}'");
    const parts: Expr[] = [];
    i = fstringPieces(p, fs, i, nested + 1, parts);
    spec = { k: "JoinedStr", values: parts, line: fs.pline, col: fs.pcol };
  }
  if (i >= end || src.charCodeAt(i) !== 125) throw fsError(fs, "f-string: expecting '}'");
  i++;
  if (debug && conversion === -1 && spec === null) conversion = 114;
  const fv: FormattedValue = { k: "FormattedValue", value: value, conversion: conversion, formatSpec: spec, line: fs.pline, col: fs.pcol };
  out.push(fv);
  return i;
}

// Parse the expression src[start, end) of a replacement field in place, with a lexer over just that range. As in
// CPython, it is parsed as if parenthesised, and its errors say "f-string: ".
function fstringExpr(p: Parser, fs: FStr, start: number, end: number): Expr {
  const src = fs.src;
  // bring the line counter up to `start` (fields come in source order)
  for (let j = fs.scan; j < start; j++) {
    const c = src.charCodeAt(j);
    if (c === 10 || (c === 13 && src.charCodeAt(j + 1) !== 10)) {
      fs.line++;
      fs.lineStart = j + 1;
    }
  }
  fs.scan = start;
  const saved = p.lx;
  const lx = new Lexer(src, start, end, fs.line, fs.lineStart, true);
  p.lx = lx;
  try {
    lx.next();
    let e: Expr;
    if (lx.tok === Tok.YIELD) e = parseYield(p);
    else {
      // CPython parses the text wrapped in parentheses, so a tuple or generator starts at the '{'
      const line = fs.line;
      const col = start - 1 - fs.lineStart;
      const first = parseStarNamedExpr(p);
      if (lx.tok === Tok.FOR || lx.tok === Tok.ASYNC) {
        noStarInComp(p, first);
        e = { k: "GeneratorExp", elt: first, generators: parseCompFor(p), line: line, col: col };
      } else if (lx.tok === Tok.COMMA) {
        const elts = [first];
        while (lx.tok === Tok.COMMA) {
          lx.next();
          if (lx.tok === Tok.EOF) break;
          elts.push(parseStarNamedExpr(p));
        }
        e = { k: "Tuple", elts: elts, line: line, col: col };
      } else {
        if (first.k === "Starred") throw p.errorAt("cannot use starred expression here", first);
        e = first;
      }
    }
    if (lx.tok !== Tok.EOF) throw p.invalid();
    p.lx = saved;
    return e;
  } catch (err) {
    p.lx = saved;
    // an error from inside the expression says so, once (even one that already does: a nested f-string's own)
    if (err instanceof CompileError && p.fprefixed !== err) {
      err.msg = "f-string: " + err.msg;
      p.fprefixed = err;
    }
    throw err;
  }
}
