// The recursive-descent parser: byte-string source in, core/ast.ts tree out, or a CompileError with CPython 3.11's
// message and position. This file holds the Parser state, its error helpers and the statement rules (one method per
// grammar rule, the rule above it); expressions are in parser-expr.ts. No I/O, no platform API.

import type { Alias, ExceptHandler, Expr, Keyword, Module, Stmt, WithItem } from "./ast";
import { CompileError } from "./errors";
import { Lexer, Tok } from "./lexer";
import {
  binOpName,
  checkTarget,
  exprName,
  invalidTarget,
  eqInExpr,
  isOperand,
  parseArgs,
  parseExpressions,
  parseNamedExpr,
  parseOp,
  parseParams,
  parseStarExpressions,
  parseStarExpr,
  parseTargetList,
  parseTest,
  parseYield,
  startsExpr,
} from "./parser-expr";

// How deeply expressions may nest (each level costs the JS stack about eight frames, and Espruino's stack overflow
// cannot be caught). Brackets alone are limited to 200 by the lexer, as in CPython.
const MAX_DEPTH = 200;

export class Parser {
  lx: Lexer;
  /** The expression most recently returned from inside parentheses: `(x) = 1` and `(x): int` care. */
  parened: Expr | null = null;
  depth = 0;
  maxDepth = MAX_DEPTH;
  /** Inside a second expression read only to choose an error message: no further such checks. */
  raw = 0;
  /** The error being thrown is final: no later tokenizer error replaces it. */
  final = false;
  /** The error that already got its "f-string: " prefix. */
  fprefixed: CompileError | null = null;
  /** Set when `with (…)` cannot be read either way: the error to report. */
  private withError: CompileError | null = null;

  constructor(src: string) {
    this.lx = new Lexer(src, 0, src.length, 1, 0, false);
  }

  error(msg: string, line: number, col: number): CompileError {
    return new CompileError("SyntaxError", msg, line, col);
  }

  errorAt(msg: string, node: { line: number; col: number }): CompileError {
    return new CompileError("SyntaxError", msg, node.line, node.col);
  }

  errorHere(msg: string): CompileError {
    return new CompileError("SyntaxError", msg, this.lx.tline, this.lx.tcol);
  }

  /** "invalid syntax" at the current token (or the IndentationError an INDENT or DEDENT there means). */
  invalid(): CompileError {
    const lx = this.lx;
    if (lx.tok === Tok.INDENT || lx.tok === Tok.DEDENT) {
      this.final = true; // CPython reports these without looking further
      if (lx.tok === Tok.DEDENT) return new CompileError("IndentationError", "unexpected unindent", lx.tline, lx.tcol);
      return new CompileError("IndentationError", "unexpected indent", lx.tline, lx.tcol > 0 ? lx.tcol - 1 : 0);
    }
    return this.errorHere("invalid syntax");
  }

  tooDeep(): CompileError {
    return this.errorHere("too many nested expressions");
  }

  private expect(t: Tok): void {
    if (this.lx.tok !== t) throw this.invalid();
    this.lx.next();
  }

  private name(): string {
    const lx = this.lx;
    if (lx.tok !== Tok.NAME) throw this.invalid();
    const s = lx.str;
    lx.next();
    return s;
  }

  // The ':' that opens a block. CPython says "expected ':'" when the line ends there, or always after a header
  // that cannot continue (def, class, try, finally, else); otherwise "invalid syntax".
  private colon(always: boolean): void {
    const lx = this.lx;
    if (lx.tok === Tok.COLON) {
      lx.next();
      return;
    }
    if (always || lx.tok === Tok.NEWLINE) throw this.errorHere("expected ':'");
    throw this.invalid();
  }

  // file: [statements] ENDMARKER
  parseFile(): Module {
    const lx = this.lx;
    const body: Stmt[] = [];
    lx.next();
    while (lx.tok !== Tok.EOF) this.parseStatement(body);
    return { k: "Module", body: body, line: 1, col: 0 };
  }

  // eval: expressions NEWLINE* ENDMARKER
  parseEval(): Module {
    const lx = this.lx;
    lx.next();
    const line = lx.tline;
    const col = lx.tcol;
    const e = parseExpressions(this);
    while (lx.tok === Tok.NEWLINE) lx.next();
    if (lx.tok !== Tok.EOF) throw this.invalid();
    return { k: "Module", body: [{ k: "Expr", value: e, line: line, col: col }], line: 1, col: 0 };
  }

  // interactive: statement_newline (one statement, simple or compound; then only blank lines)
  parseSingle(): Module {
    const lx = this.lx;
    const body: Stmt[] = [];
    lx.next();
    if (lx.tok === Tok.NEWLINE) lx.next();
    else if (lx.tok !== Tok.EOF) this.parseStatement(body);
    while (lx.tok === Tok.NEWLINE) lx.next();
    if (lx.tok !== Tok.EOF) throw this.errorHere("multiple statements found while compiling a single statement");
    return { k: "Module", body: body, line: 1, col: 0 };
  }

  // statement: compound_stmt | simple_stmts
  // compound_stmt: function_def | if_stmt | class_def | with_stmt | for_stmt | try_stmt | while_stmt
  parseStatement(out: Stmt[]): void {
    const lx = this.lx;
    switch (lx.tok) {
      case Tok.IF:
        out.push(this.parseIf());
        return;
      case Tok.WHILE:
        out.push(this.parseWhile());
        return;
      case Tok.FOR:
        out.push(this.parseFor(false, lx.tline, lx.tcol));
        return;
      case Tok.TRY:
        out.push(this.parseTry());
        return;
      case Tok.WITH:
        out.push(this.parseWith(false, lx.tline, lx.tcol));
        return;
      case Tok.DEF:
        out.push(this.parseFuncDef([], false, lx.tline, lx.tcol));
        return;
      case Tok.CLASS:
        out.push(this.parseClassDef([]));
        return;
      case Tok.AT:
        out.push(this.parseDecorated());
        return;
      case Tok.ASYNC:
        out.push(this.parseAsync());
        return;
      case Tok.INDENT:
        throw this.invalid();
    }
    this.parseSimpleStmts(out);
  }

  // block: NEWLINE INDENT statements DEDENT | simple_stmts
  // `what` and `line` name the header for "expected an indented block after … on line N".
  private parseBlock(what: string, line: number): Stmt[] {
    const lx = this.lx;
    const body: Stmt[] = [];
    if (lx.tok !== Tok.NEWLINE) {
      this.parseSimpleStmts(body);
      return body;
    }
    lx.next();
    if (lx.tok !== Tok.INDENT)
      throw new CompileError("IndentationError", "expected an indented block after " + what + " on line " + line, lx.tline, lx.tcol);
    lx.next();
    while (lx.tok !== Tok.DEDENT && lx.tok !== Tok.EOF) this.parseStatement(body);
    lx.next();
    return body;
  }

  // simple_stmts: simple_stmt (';' simple_stmt)* [';'] NEWLINE
  private parseSimpleStmts(out: Stmt[]): void {
    const lx = this.lx;
    for (;;) {
      out.push(this.parseSimpleStmt());
      if (lx.tok !== Tok.SEMI) break;
      lx.next();
      if (lx.tok === Tok.NEWLINE) break;
    }
    if (lx.tok !== Tok.NEWLINE) throw this.invalid();
    lx.next();
  }

  // simple_stmt: assignment | star_expressions | return_stmt | import_stmt | raise_stmt | 'pass' | del_stmt
  //            | yield_stmt | assert_stmt | 'break' | 'continue' | global_stmt | nonlocal_stmt
  private parseSimpleStmt(): Stmt {
    const lx = this.lx;
    const line = lx.tline;
    const col = lx.tcol;
    switch (lx.tok) {
      case Tok.PASS:
        lx.next();
        return { k: "Pass", line: line, col: col };
      case Tok.BREAK:
        lx.next();
        return { k: "Break", line: line, col: col };
      case Tok.CONTINUE:
        lx.next();
        return { k: "Continue", line: line, col: col };
      case Tok.RETURN:
        // return_stmt: 'return' [star_expressions]
        lx.next();
        return { k: "Return", value: startsExpr(lx.tok) ? parseStarExpressions(this) : null, line: line, col: col };
      case Tok.RAISE: {
        // raise_stmt: 'raise' expression ['from' expression] | 'raise'
        lx.next();
        let exc: Expr | null = null;
        let cause: Expr | null = null;
        if (startsExpr(lx.tok)) {
          exc = parseTest(this);
          if (lx.tok === Tok.FROM) {
            lx.next();
            cause = parseTest(this);
          }
        }
        return { k: "Raise", exc: exc, cause: cause, line: line, col: col };
      }
      case Tok.GLOBAL:
      case Tok.NONLOCAL: {
        // global_stmt: 'global' ','.NAME+;  nonlocal_stmt: 'nonlocal' ','.NAME+
        const isGlobal = lx.tok === Tok.GLOBAL;
        lx.next();
        const names = [this.name()];
        while (lx.tok === Tok.COMMA) {
          lx.next();
          names.push(this.name());
        }
        if (isGlobal) return { k: "Global", names: names, line: line, col: col };
        return { k: "Nonlocal", names: names, line: line, col: col };
      }
      case Tok.DEL:
        return this.parseDel();
      case Tok.ASSERT: {
        // assert_stmt: 'assert' expression [',' expression]
        lx.next();
        const test = parseTest(this);
        let msg: Expr | null = null;
        if (lx.tok === Tok.COMMA) {
          lx.next();
          msg = parseTest(this);
        }
        return { k: "Assert", test: test, msg: msg, line: line, col: col };
      }
      case Tok.IMPORT:
        return this.parseImport();
      case Tok.FROM:
        return this.parseFromImport();
    }
    return this.parseExprStmt();
  }

  // del_stmt: 'del' del_targets &(';' | NEWLINE);  del_targets: ','.del_target+ [',']
  private parseDel(): Stmt {
    const lx = this.lx;
    const line = lx.tline;
    const col = lx.tcol;
    lx.next();
    const targets: Expr[] = [];
    for (;;) {
      const t = parseStarExpr(this);
      checkTarget(this, t, true);
      targets.push(t);
      if (lx.tok !== Tok.COMMA) break;
      lx.next();
      if (!startsExpr(lx.tok)) break;
    }
    if (lx.tok !== Tok.SEMI && lx.tok !== Tok.NEWLINE) throw this.invalid();
    return { k: "Delete", targets: targets, line: line, col: col };
  }

  // import_name: 'import' ','.(dotted_name ['as' NAME])+
  private parseImport(): Stmt {
    const lx = this.lx;
    const line = lx.tline;
    const col = lx.tcol;
    lx.next();
    const names: Alias[] = [];
    for (;;) {
      const al = lx.tline;
      const ac = lx.tcol;
      const name = this.dottedName();
      let asname: string | null = null;
      if (lx.tok === Tok.AS) {
        lx.next();
        asname = this.name();
      }
      names.push({ name: name, asname: asname, line: al, col: ac });
      if (lx.tok !== Tok.COMMA) break;
      lx.next();
    }
    return { k: "Import", names: names, line: line, col: col };
  }

  // dotted_name: NAME ('.' NAME)*
  private dottedName(): string {
    const lx = this.lx;
    let s = this.name();
    while (lx.tok === Tok.DOT) {
      lx.next();
      s += "." + this.name();
    }
    return s;
  }

  // import_from: 'from' ('.' | '...')* dotted_name 'import' import_from_targets
  //            | 'from' ('.' | '...')+ 'import' import_from_targets
  // import_from_targets: '(' import_from_as_names [','] ')' | import_from_as_names !',' | '*'
  private parseFromImport(): Stmt {
    const lx = this.lx;
    const line = lx.tline;
    const col = lx.tcol;
    lx.next();
    let level = 0;
    while (lx.tok === Tok.DOT || lx.tok === Tok.ELLIPSIS) {
      level += lx.tok === Tok.DOT ? 1 : 3;
      lx.next();
    }
    let module: string | null = null;
    if (lx.tok !== Tok.IMPORT || level === 0) module = this.dottedName();
    this.expect(Tok.IMPORT);
    const names: Alias[] = [];
    if (lx.tok === Tok.STAR) {
      names.push({ name: "*", asname: null, line: lx.tline, col: lx.tcol });
      lx.next();
    } else {
      const paren = lx.tok === Tok.LPAR;
      if (paren) lx.next();
      for (;;) {
        const al = lx.tline;
        const ac = lx.tcol;
        const name = this.name();
        let asname: string | null = null;
        if (lx.tok === Tok.AS) {
          lx.next();
          asname = this.name();
        }
        names.push({ name: name, asname: asname, line: al, col: ac });
        if (lx.tok !== Tok.COMMA) break;
        lx.next();
        if (paren && lx.tok === Tok.RPAR) break;
        if (!paren && lx.tok === Tok.NEWLINE) throw this.errorHere("trailing comma not allowed without surrounding parentheses");
      }
      if (paren) this.expect(Tok.RPAR);
    }
    return { k: "ImportFrom", module: module, names: names, level: level, line: line, col: col };
  }

  // assignment: NAME ':' expression ['=' annotated_rhs] | single_target ':' expression ['=' annotated_rhs]
  //           | (star_targets '=')+ (yield_expr | star_expressions) | single_target augassign (yield_expr | star_expressions)
  // star_expressions (an expression statement)
  private parseExprStmt(): Stmt {
    const lx = this.lx;
    const line = lx.tline;
    const col = lx.tcol;
    let e: Expr;
    if (lx.tok === Tok.YIELD) {
      e = parseYield(this);
      if (lx.tok === Tok.EQ) throw this.errorAt("assignment to yield expression not possible", e);
    } else {
      e = parseStarExpressions(this);
    }
    const t = lx.tok;
    if (t === Tok.COLON) return this.parseAnnAssign(e, line, col);
    if (t === Tok.COLONEQ) {
      // a walrus needs parentheses at statement level, and a plain name as its target anywhere
      if (e.k === "Name" && this.parened !== e) throw this.invalid();
      throw this.errorAt("cannot use assignment expressions with " + exprName(e), e);
    }
    if (t === Tok.EQ) return this.parseAssign(e, line, col);
    if (t >= Tok.PLUSEQ && t <= Tok.CIRCEQ) {
      if (e.k !== "Name" && e.k !== "Attribute" && e.k !== "Subscript")
        throw this.errorAt("'" + exprName(e) + "' is an illegal expression for augmented assignment", e);
      lx.next();
      const value = lx.tok === Tok.YIELD ? parseYield(this) : parseStarExpressions(this);
      return { k: "AugAssign", target: e, op: binOpName(t), value: value, line: line, col: col };
    }
    return { k: "Expr", value: e, line: line, col: col };
  }

  // (star_targets '=')+ (yield_expr | star_expressions) !'='
  // A bad target is reported as soon as its '=' is seen, as CPython's invalid_assignment rule does.
  private parseAssign(first: Expr, line: number, col: number): Stmt {
    const lx = this.lx;
    const targets = [first];
    let value: Expr = first;
    let t: Expr | null = first;
    while (lx.tok === Tok.EQ) {
      lx.next();
      if (t !== null) this.checkAssignTarget(t, targets.length === 1);
      const isYield = lx.tok === Tok.YIELD;
      value = isYield ? parseYield(this) : parseStarExpressions(this);
      t = null;
      if (lx.tok === Tok.EQ) {
        if (isYield) throw this.errorAt("assignment to yield expression not possible", value);
        targets.push(value);
        t = value;
      }
    }
    return { k: "Assign", targets: targets, value: value, line: line, col: col };
  }

  // After `t =`: "cannot assign to …". When the operand just before the '=' is a single operand and so is the value
  // after it (not followed by another '='), CPython suggests `==` instead, about that operand.
  private checkAssignTarget(t: Expr, first: boolean): void {
    const lx = this.lx;
    const bad = invalidTarget(t, false);
    if (bad === null) return;
    const plain = this.errorAt("cannot assign to " + exprName(bad), bad);
    // the operand next to the '=': the target itself, or the last item of an unparenthesised tuple
    let near: Expr | null = first ? t : null;
    if (near !== null && near.k === "Tuple" && this.parened !== near) near = near.elts[near.elts.length - 1];
    if (near === null || !isOperand(this, near) || (near === t && bad !== t)) throw plain;
    if (!startsExpr(lx.tok) || lx.tok === Tok.STAR || lx.tok === Tok.NOT || lx.tok === Tok.LAMBDA) throw plain;
    this.raw++;
    try {
      parseOp(this, 5); // bitwise_or
    } catch (e) {
      if (lx.failed) throw e;
      throw plain;
    }
    if (lx.tok === Tok.EQ || lx.tok === Tok.COLONEQ) throw plain;
    if (near.k === "Name" && this.parened !== near) throw this.errorAt("invalid syntax. Maybe you meant '==' or ':=' instead of '='?", near);
    throw this.errorAt("cannot assign to " + exprName(near) + " here. Maybe you meant '==' instead of '='?", near);
  }

  // annotated assignment: single_target ':' expression ['=' annotated_rhs]
  private parseAnnAssign(target: Expr, line: number, col: number): Stmt {
    const lx = this.lx;
    const simple = target.k === "Name" && this.parened !== target;
    const atColon = this.invalid();
    lx.next();
    if (target.k !== "Name" && target.k !== "Attribute" && target.k !== "Subscript") {
      // CPython blames the target only when an annotation follows (`f():` alone is plain invalid syntax)
      if (!startsExpr(lx.tok) || lx.tok === Tok.STAR) throw atColon;
      if (target.k === "Tuple" || target.k === "List")
        throw this.errorAt("only single target (not " + (target.k === "Tuple" ? "tuple" : "list") + ") can be annotated", target);
      throw this.errorAt("illegal target for annotation", target);
    }
    const annotation = parseTest(this);
    let value: Expr | null = null;
    if (lx.tok === Tok.EQ) {
      lx.next();
      value = lx.tok === Tok.YIELD ? parseYield(this) : parseStarExpressions(this);
    }
    return { k: "AnnAssign", target: target, annotation: annotation, value: value, simple: simple, line: line, col: col };
  }

  // A condition (named_expression) of if/elif/while, with CPython's hint for a mistyped `==`.
  private parseCondition(): Expr {
    const e = parseNamedExpr(this);
    if (this.lx.tok === Tok.EQ) eqInExpr(this, e);
    return e;
  }

  // if_stmt: 'if' named_expression ':' block (elif_stmt | [else_block])
  // elif_stmt: 'elif' named_expression ':' block (elif_stmt | [else_block])
  private parseIf(): Stmt {
    const lx = this.lx;
    const line = lx.tline;
    const col = lx.tcol;
    const what = lx.tok === Tok.IF ? "'if' statement" : "'elif' statement";
    lx.next();
    const test = this.parseCondition();
    this.colon(false);
    const body = this.parseBlock(what, line);
    let orelse: Stmt[] = [];
    if (lx.tok === Tok.ELIF) orelse = [this.parseIf()];
    else if (lx.tok === Tok.ELSE) orelse = this.parseElse();
    return { k: "If", test: test, body: body, orelse: orelse, line: line, col: col };
  }

  // else_block: 'else' ':' block
  private parseElse(): Stmt[] {
    const lx = this.lx;
    const line = lx.tline;
    lx.next();
    this.colon(true);
    return this.parseBlock("'else' statement", line);
  }

  // while_stmt: 'while' named_expression ':' block [else_block]
  private parseWhile(): Stmt {
    const lx = this.lx;
    const line = lx.tline;
    const col = lx.tcol;
    lx.next();
    const test = this.parseCondition();
    this.colon(false);
    const body = this.parseBlock("'while' statement", line);
    const orelse = lx.tok === Tok.ELSE ? this.parseElse() : [];
    return { k: "While", test: test, body: body, orelse: orelse, line: line, col: col };
  }

  // for_stmt: [ASYNC] 'for' star_targets 'in' star_expressions ':' block [else_block]
  private parseFor(isAsync: boolean, line: number, col: number): Stmt {
    const lx = this.lx;
    const forLine = lx.tline;
    lx.next();
    const target = parseTargetList(this);
    checkTarget(this, target, false);
    this.expect(Tok.IN);
    const iter = parseStarExpressions(this);
    this.colon(false);
    const body = this.parseBlock("'for' statement", forLine);
    const orelse = lx.tok === Tok.ELSE ? this.parseElse() : [];
    return { k: "For", target: target, iter: iter, body: body, orelse: orelse, isAsync: isAsync, line: line, col: col };
  }

  // with_stmt: [ASYNC] 'with' '(' ','.with_item+ ','? ')' ':' block | [ASYNC] 'with' ','.with_item+ ':' block
  private parseWith(isAsync: boolean, line: number, col: number): Stmt {
    const lx = this.lx;
    const withLine = lx.tline;
    lx.next();
    let items: WithItem[] | null = null;
    if (lx.tok === Tok.LPAR) {
      // `with (a, b as c):` or an expression that starts with '(': try the first, else parse again as the second
      const mark = lx.mark();
      const depth = this.depth;
      let definite: CompileError | null = null;
      try {
        items = this.parseParenWithItems();
      } catch (e) {
        if (!(e instanceof CompileError) || lx.failed) throw e;
        items = null;
      }
      if (items === null) {
        definite = this.withError;
        this.withError = null;
        if (definite !== null) throw definite;
        lx.reset(mark);
        this.depth = depth;
        this.raw = 0;
      }
    }
    if (items === null) {
      items = [];
      for (;;) {
        items.push(this.parseWithItem());
        if (lx.tok !== Tok.COMMA) break;
        lx.next();
      }
    }
    this.colon(false);
    const body = this.parseBlock("'with' statement", withLine);
    return { k: "With", items: items, body: body, isAsync: isAsync, line: line, col: col };
  }

  // '(' ','.with_item+ ','? ')' followed by ':'; null if that is not what follows.
  private parseParenWithItems(): WithItem[] | null {
    const lx = this.lx;
    lx.next();
    const items: WithItem[] = [];
    let as = false;
    while (lx.tok !== Tok.RPAR) {
      if (lx.tok === Tok.YIELD || lx.tok === Tok.STAR) return null;
      const item = this.parseWithItem();
      if (item.vars !== null) as = true;
      items.push(item);
      if (lx.tok !== Tok.COMMA) break;
      lx.next();
    }
    if (lx.tok !== Tok.RPAR || items.length === 0) return null;
    lx.next();
    if (lx.tok === Tok.COLON) return items;
    if (as) this.withError = this.invalid(); // `as` inside: it cannot be a parenthesised expression either
    return null;
  }

  // with_item: expression 'as' star_target &(',' | ')' | ':') | expression
  private parseWithItem(): WithItem {
    const lx = this.lx;
    const expr = parseTest(this);
    let vars: Expr | null = null;
    if (lx.tok === Tok.AS) {
      lx.next();
      vars = parseStarExpr(this);
      checkTarget(this, vars, false);
      if (lx.tok !== Tok.COMMA && lx.tok !== Tok.RPAR && lx.tok !== Tok.COLON) throw this.invalid();
    }
    return { expr: expr, vars: vars };
  }

  // try_stmt: 'try' ':' block finally_block | 'try' ':' block except_block+ [else_block] [finally_block]
  // except_block: 'except' expression ['as' NAME] ':' block | 'except' ':' block
  // finally_block: 'finally' ':' block
  private parseTry(): Stmt {
    const lx = this.lx;
    const line = lx.tline;
    const col = lx.tcol;
    lx.next();
    this.colon(true);
    const body = this.parseBlock("'try' statement", line);
    const handlers: ExceptHandler[] = [];
    while (lx.tok === Tok.EXCEPT) {
      const hl = lx.tline;
      const hc = lx.tcol;
      lx.next();
      if (lx.tok === Tok.STAR) throw this.errorHere("except* is not supported");
      let type: Expr | null = null;
      let name: string | null = null;
      if (lx.tok !== Tok.COLON && lx.tok !== Tok.NEWLINE) {
        type = parseTest(this);
        if (lx.tok === Tok.COMMA) {
          const generic = this.invalid();
          lx.next();
          throw startsExpr(lx.tok) ? this.errorAt("multiple exception types must be parenthesized", type) : generic;
        }
        if (lx.tok === Tok.AS) {
          lx.next();
          name = this.name();
        }
      }
      this.colon(false);
      handlers.push({ type: type, name: name, body: this.parseBlock("'except' statement", hl), line: hl, col: hc });
    }
    const orelse = handlers.length > 0 && lx.tok === Tok.ELSE ? this.parseElse() : [];
    let finalbody: Stmt[] = [];
    if (lx.tok === Tok.FINALLY) {
      const fl = lx.tline;
      lx.next();
      this.colon(true);
      finalbody = this.parseBlock("'finally' statement", fl);
    } else if (handlers.length === 0) throw this.errorHere("expected 'except' or 'finally' block");
    return { k: "Try", body: body, handlers: handlers, orelse: orelse, finalbody: finalbody, line: line, col: col };
  }

  // decorators: ('@' named_expression NEWLINE)+, then a def, async def or class
  private parseDecorated(): Stmt {
    const lx = this.lx;
    const decorators: Expr[] = [];
    while (lx.tok === Tok.AT) {
      lx.next();
      const d = parseNamedExpr(this);
      if (lx.tok === Tok.EQ) eqInExpr(this, d);
      decorators.push(d);
      this.expect(Tok.NEWLINE);
    }
    const line = lx.tline;
    const col = lx.tcol;
    if (lx.tok === Tok.DEF) return this.parseFuncDef(decorators, false, line, col);
    if (lx.tok === Tok.CLASS) return this.parseClassDef(decorators);
    if (lx.tok === Tok.ASYNC) {
      lx.next();
      if (lx.tok === Tok.DEF) return this.parseFuncDef(decorators, true, line, col);
    }
    throw this.invalid();
  }

  // ASYNC (function_def | for_stmt | with_stmt)
  private parseAsync(): Stmt {
    const lx = this.lx;
    const line = lx.tline;
    const col = lx.tcol;
    lx.next();
    if (lx.tok === Tok.DEF) return this.parseFuncDef([], true, line, col);
    if (lx.tok === Tok.FOR) return this.parseFor(true, line, col);
    if (lx.tok === Tok.WITH) return this.parseWith(true, line, col);
    throw this.invalid();
  }

  // function_def_raw: [ASYNC] 'def' NAME '(' [params] ')' ['->' expression] ':' block
  private parseFuncDef(decorators: Expr[], isAsync: boolean, line: number, col: number): Stmt {
    const lx = this.lx;
    const defLine = lx.tline;
    lx.next();
    const name = this.name();
    if (lx.tok !== Tok.LPAR) throw this.errorHere("expected '('");
    lx.next();
    const args = parseParams(this, true);
    this.expect(Tok.RPAR);
    if (lx.tok === Tok.ARROW) {
      const noType = this.errorHere("expected ':'"); // `-> ` without a type: the ':' is what is missing
      lx.next();
      if (!startsExpr(lx.tok) || lx.tok === Tok.STAR) throw noType;
      this.raw++; // the ':' is required next, and its absence is what CPython reports
      parseTest(this); // the return annotation: parsed and dropped
      this.raw--;
    }
    this.colon(true);
    const body = this.parseBlock("function definition", defLine);
    return { k: "FunctionDef", name: name, args: args, body: body, decorators: decorators, isAsync: isAsync, line: line, col: col };
  }

  // class_def_raw: 'class' NAME ['(' [arguments] ')'] ':' block
  private parseClassDef(decorators: Expr[]): Stmt {
    const lx = this.lx;
    const line = lx.tline;
    const col = lx.tcol;
    lx.next();
    const name = this.name();
    const bases: Expr[] = [];
    const keywords: Keyword[] = [];
    if (lx.tok === Tok.LPAR) {
      lx.next();
      parseArgs(this, bases, keywords, -1, 0);
    }
    this.colon(false);
    const body = this.parseBlock("class definition", line);
    return { k: "ClassDef", name: name, bases: bases, keywords: keywords, body: body, decorators: decorators, line: line, col: col };
  }
}

/**
 * Parse byte-string source (UTF-8 bytes, one char each). mode "exec": a module; "eval": one expression, returned as
 * the single Expr statement of the module; "single": one interactive statement (the REPL).
 */
export function parse(src: string, filename: string, mode: "exec" | "eval" | "single"): Module {
  const p = new Parser(src);
  try {
    if (mode === "eval") return p.parseEval();
    if (mode === "single") return p.parseSingle();
    return p.parseFile();
  } catch (e) {
    // a tokenizer error later in the source takes precedence over a parser error, as in CPython
    if (e instanceof CompileError && !p.lx.failed && !p.final) throw p.lx.scanRest(e);
    throw e;
  }
}
