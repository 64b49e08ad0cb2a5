// The Python tokenizer: a byte string (UTF-8 source, one char per byte) in, one token at a time out, with INDENT,
// DEDENT and NEWLINE as CPython 3.11 makes them, numbers converted and string literals decoded (f-strings are
// returned raw, for the parser to split). It streams: the current token lives in the Lexer's fields, so no token
// array is ever built (JS arrays and objects are linked lists on the device).

import { CompileError } from "./errors";

export enum Tok {
  EOF,
  NEWLINE,
  INDENT,
  DEDENT,
  NAME,
  INT,
  FLOAT,
  STRING,
  // brackets and punctuation
  LPAR,
  RPAR,
  LSQB,
  RSQB,
  LBRACE,
  RBRACE,
  COLON,
  COMMA,
  SEMI,
  DOT,
  ELLIPSIS,
  ARROW,
  COLONEQ,
  EQ,
  // operators; each binary operator is followed by nothing in particular, the augmented forms are listed apart
  PLUS,
  MINUS,
  STAR,
  SLASH,
  DSLASH,
  PERCENT,
  DSTAR,
  AT,
  LSHIFT,
  RSHIFT,
  AMP,
  VBAR,
  CIRC,
  TILDE,
  LT,
  GT,
  LE,
  GE,
  EQEQ,
  NE,
  // augmented assignment: AUG_FIRST..AUG_LAST, in the order of augOp() below
  PLUSEQ,
  MINUSEQ,
  STAREQ,
  SLASHEQ,
  DSLASHEQ,
  PERCENTEQ,
  DSTAREQ,
  ATEQ,
  LSHIFTEQ,
  RSHIFTEQ,
  AMPEQ,
  VBAREQ,
  CIRCEQ,
  // keywords
  FALSE,
  NONE,
  TRUE,
  AND,
  AS,
  ASSERT,
  ASYNC,
  AWAIT,
  BREAK,
  CLASS,
  CONTINUE,
  DEF,
  DEL,
  ELIF,
  ELSE,
  EXCEPT,
  FINALLY,
  FOR,
  FROM,
  GLOBAL,
  IF,
  IMPORT,
  IN,
  IS,
  LAMBDA,
  NONLOCAL,
  NOT,
  OR,
  PASS,
  RAISE,
  RETURN,
  TRY,
  WHILE,
  WITH,
  YIELD,
}

// String token flags (Lexer.sflags).
export const S_BYTES = 1;
export const S_RAW = 2;
export const S_F = 4;
export const S_TRIPLE = 8;

const MAX_BRACKETS = 200; // CPython's MAXLEVEL
const MAX_INDENT = 100; // CPython's MAXINDENT

/** The keyword token for a name, or Tok.NAME. A switch, so no table is built at load time. */
export function keyword(s: string): Tok {
  switch (s) {
    case "False": return Tok.FALSE;
    case "None": return Tok.NONE;
    case "True": return Tok.TRUE;
    case "and": return Tok.AND;
    case "as": return Tok.AS;
    case "assert": return Tok.ASSERT;
    case "async": return Tok.ASYNC;
    case "await": return Tok.AWAIT;
    case "break": return Tok.BREAK;
    case "class": return Tok.CLASS;
    case "continue": return Tok.CONTINUE;
    case "def": return Tok.DEF;
    case "del": return Tok.DEL;
    case "elif": return Tok.ELIF;
    case "else": return Tok.ELSE;
    case "except": return Tok.EXCEPT;
    case "finally": return Tok.FINALLY;
    case "for": return Tok.FOR;
    case "from": return Tok.FROM;
    case "global": return Tok.GLOBAL;
    case "if": return Tok.IF;
    case "import": return Tok.IMPORT;
    case "in": return Tok.IN;
    case "is": return Tok.IS;
    case "lambda": return Tok.LAMBDA;
    case "nonlocal": return Tok.NONLOCAL;
    case "not": return Tok.NOT;
    case "or": return Tok.OR;
    case "pass": return Tok.PASS;
    case "raise": return Tok.RAISE;
    case "return": return Tok.RETURN;
    case "try": return Tok.TRY;
    case "while": return Tok.WHILE;
    case "with": return Tok.WITH;
    case "yield": return Tok.YIELD;
  }
  return Tok.NAME;
}

/** The source text of a fixed token, for messages and tests. */
export function tokText(t: Tok): string {
  const ops = "( ) [ ] { } : , ; . ... -> := = + - * / // % ** @ << >> & | ^ ~ < > <= >= == != += -= *= /= //= %= **= @= <<= >>= &= |= ^=";
  const kws = "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield";
  if (t >= Tok.LPAR && t <= Tok.CIRCEQ) return ops.split(" ")[t - Tok.LPAR];
  if (t >= Tok.FALSE) return kws.split(" ")[t - Tok.FALSE];
  switch (t) {
    case Tok.EOF: return "EOF";
    case Tok.NEWLINE: return "NEWLINE";
    case Tok.INDENT: return "INDENT";
    case Tok.DEDENT: return "DEDENT";
    case Tok.NAME: return "NAME";
    case Tok.INT: return "INT";
    case Tok.FLOAT: return "FLOAT";
  }
  return "STRING";
}

/** A float literal's value. Kept apart so the project's correctly rounded conversion can replace it. */
export function floatValue(text: string): number {
  return Number(text);
}

/** The UTF-8 bytes of a code point (surrogates are encoded like any other, as CPython's surrogatepass does). */
export function utf8(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  if (cp < 0x10000) return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  return String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
}

function hex4(cp: number): string {
  let s = cp.toString(16).toUpperCase();
  while (s.length < 4) s = "0" + s;
  return s;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c >= 128;
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

// Unicode's XID tables are too big for the device, so every non-ASCII code point counts as a letter except the
// blocks people actually paste by mistake: spaces, punctuation, currency, arrows, maths, box drawing, dingbats,
// CJK punctuation, fullwidth ASCII punctuation, emoji.
function isIdentCodePoint(cp: number): boolean {
  if (cp < 0x100) return cp === 0xaa || cp === 0xb5 || cp === 0xb7 || cp === 0xba || (cp >= 0xc0 && cp !== 0xd7 && cp !== 0xf7);
  if (cp >= 0x2000 && cp <= 0x2bff) {
    if (cp === 0x203f || cp === 0x2040 || cp === 0x2054) return true; // connector punctuation
    return cp >= 0x2100 && cp < 0x2190; // letterlike symbols and number forms
  }
  if (cp >= 0x2e00 && cp <= 0x2e7f) return false;
  if (cp >= 0x3000 && cp <= 0x3004) return false;
  if (cp >= 0x3008 && cp <= 0x3011) return false;
  if (cp === 0xfeff || (cp >= 0xff01 && cp <= 0xff0f) || (cp >= 0xff1a && cp <= 0xff20)) return false;
  if (cp >= 0x1f000 && cp <= 0x1faff) return false;
  return true;
}

// Python's str.isprintable() for the characters that can reach the error message: controls and spaces are not.
function isPrintable(cp: number): boolean {
  if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp <= 0xa0) || cp === 0xad) return false;
  if ((cp >= 0x2000 && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202f) || (cp >= 0x205f && cp <= 0x206f)) return false;
  return cp !== 0x3000 && cp !== 0xfeff;
}

/** A lexer mark: enough state to re-lex from a token inside brackets (where no indentation is tracked). */
export interface LexMark {
  pos: number;
  atLineStart: boolean;
  comment: number;
  lastNl: number;
  lastNlLineStart: number;
  line: number;
  lineStart: number;
  brackets: string;
  bline: number[];
  bcol: number[];
  tok: Tok;
  tstart: number;
  tline: number;
  tcol: number;
  tend: number;
  str: string;
  num: number;
  big: string | null;
  sflags: number;
  sbody: number;
  sbodyEnd: number;
}

export class Lexer {
  src: string;
  pos: number;
  end: number;
  line: number;
  lineStart: number;
  /** A lexer over an f-string's expression: newlines are insignificant, no INDENT/DEDENT/NEWLINE, EOF at `end`. */
  fexpr: boolean;

  // The current token. tstart/tend are offsets in src; tline/tcol where it starts (col in bytes). `tok` holds a Tok
  // but is typed `any`: TypeScript would otherwise narrow `lx.tok` after a comparison and keep it narrowed across
  // calls to next() (any is the one type equality does not narrow).
  tok: any = Tok.EOF;
  tstart = 0;
  tend = 0;
  tline = 1;
  tcol = 0;
  /** NAME: the name; STRING: the decoded value ("" for an f-string, which the parser decodes piecewise). */
  str = "";
  /** INT (when safe) and FLOAT: the value. */
  num = 0;
  /** INT beyond 2^53: its decimal digits. */
  big: string | null = null;
  /** STRING: S_* flags and where its body lies between the quotes. */
  sflags = 0;
  sbody = 0;
  sbodyEnd = 0;

  // Layout state. `brackets` is the stack of open bracket chars; their positions are in bline/bcol.
  brackets = "";
  bline: number[] = [];
  bcol: number[] = [];
  indents: number[] = [0];
  altIndents: number[] = [0]; // the same levels measured with tab size 1, for the tab consistency check
  pendingDedents = 0;
  atLineStart = true;
  /** A tokenizer error was thrown; unclosedLine is the line of the bracket if it was "'(' was never closed". */
  failed = false;
  strong = false;
  unclosedLine = -1;
  /** Only finding tokens (after an error): string values are not decoded. */
  scanOnly = false;
  // Where the last line break was, so that EOF can be placed at the end of the last line as CPython does.
  lastNl = -1;
  /** Where a comment starts on the current line, or -1. */
  comment = -1;
  /** Where the previous token ended (line, and col just after it). */
  prevLine = 1;
  prevEnd = 0;
  lastNlLineStart = 0;

  constructor(src: string, start: number, end: number, line: number, lineStart: number, fexpr: boolean) {
    this.src = src;
    this.pos = start;
    this.end = end;
    this.line = line;
    this.lineStart = lineStart;
    this.fexpr = fexpr;
    if (fexpr) this.atLineStart = false;
    else if (start === 0 && src.charCodeAt(0) === 0xef && src.charCodeAt(1) === 0xbb && src.charCodeAt(2) === 0xbf) {
      this.pos = 3; // UTF-8 byte order mark: not part of the first line's columns
      this.lineStart = 3;
    }
  }

  /**
   * A tokenizer error. `strong` ones are those CPython's tokenizer raises itself (bad characters, numbers and
   * strings, bracket mismatches): found after a parser error, they replace it (see scanRest). The others
   * (indentation, line continuation) CPython only reports when the parser meets them.
   */
  fail(type: string, msg: string, line: number, col: number, strong: boolean): CompileError {
    this.failed = true;
    this.strong = strong;
    return new CompileError(type, msg, line, col);
  }

  error(msg: string, line: number, col: number): CompileError {
    return this.fail("SyntaxError", msg, line, col, true);
  }

  /** An error at byte offset `at` of the current line. */
  errorAtPos(msg: string, at: number): CompileError {
    return this.fail("SyntaxError", msg, this.line, at - this.lineStart, true);
  }

  /**
   * After a parser error `err` (the current token being the furthest the parser read), tokenize the rest of the
   * source as CPython does: a tokenizer error found there wins, but an unclosed bracket only if it was opened on an
   * earlier line than that token.
   */
  scanRest(err: CompileError): CompileError {
    const errLine = this.tline;
    this.scanOnly = true;
    try {
      while (this.tok !== Tok.EOF) this.next();
    } catch (e) {
      if (!(e instanceof CompileError) || !this.failed) throw e;
      if (this.unclosedLine >= 0 ? this.unclosedLine < errLine : this.strong) return e;
    }
    return err;
  }

  mark(): LexMark {
    return {
      pos: this.pos, atLineStart: this.atLineStart, comment: this.comment, lastNl: this.lastNl, lastNlLineStart: this.lastNlLineStart,
      line: this.line, lineStart: this.lineStart, brackets: this.brackets, bline: this.bline.slice(),
      bcol: this.bcol.slice(), tok: this.tok,
      tstart: this.tstart, tline: this.tline, tcol: this.tcol, tend: this.tend, str: this.str, num: this.num,
      big: this.big, sflags: this.sflags, sbody: this.sbody, sbodyEnd: this.sbodyEnd,
    };
  }

  reset(m: LexMark): void {
    this.pos = m.pos;
    this.atLineStart = m.atLineStart;
    this.comment = m.comment;
    this.lastNl = m.lastNl;
    this.lastNlLineStart = m.lastNlLineStart;
    this.line = m.line;
    this.lineStart = m.lineStart;
    this.brackets = m.brackets;
    this.bline = m.bline.slice();
    this.bcol = m.bcol.slice();
    this.tok = m.tok;
    this.tstart = m.tstart;
    this.tline = m.tline;
    this.tcol = m.tcol;
    this.tend = m.tend;
    this.str = m.str;
    this.num = m.num;
    this.big = m.big;
    this.sflags = m.sflags;
    this.sbody = m.sbody;
    this.sbodyEnd = m.sbodyEnd;
  }

  private setTok(t: Tok, start: number, end: number): void {
    this.tok = t;
    this.tstart = start;
    this.tend = end;
    this.tline = this.line;
    this.tcol = start - this.lineStart;
    this.pos = end;
  }

  /** Advance to the next token. */
  next(): void {
    this.prevLine = this.line;
    this.prevEnd = this.tend - this.lineStart;
    if (this.pendingDedents > 0) {
      this.pendingDedents--;
      this.tok = Tok.DEDENT;
      return;
    }
    const src = this.src;
    const end = this.end;
    let pos = this.pos;
    for (;;) {
      if (this.atLineStart && this.brackets.length === 0) {
        this.pos = pos;
        if (this.indentation()) return;
        pos = this.pos;
      }
      let c = src.charCodeAt(pos);
      while ((c === 32 || c === 9 || c === 12) && pos < end) c = src.charCodeAt(++pos);
      if (pos >= end) {
        this.pos = pos;
        this.atEnd();
        return;
      }
      if (c === 35) {
        // a comment runs to the end of the line; the line break is handled below, and placed at the '#' (CPython's
        // NEWLINE starts where the comment does)
        this.comment = pos;
        while (pos < end && (c = src.charCodeAt(pos)) !== 10 && c !== 13) pos++;
        continue;
      }
      if (c === 10 || c === 13) {
        const nl = pos;
        pos++;
        if (c === 13 && pos < end && src.charCodeAt(pos) === 10) pos++;
        const blank = this.atLineStart || this.brackets.length > 0 || this.fexpr;
        if (!blank) {
          this.tok = Tok.NEWLINE;
          this.tstart = this.tend = this.comment >= 0 ? this.comment : nl;
          this.tline = this.line;
          this.tcol = this.tstart - this.lineStart;
        }
        this.comment = -1;
        this.lastNl = nl;
        this.lastNlLineStart = this.lineStart;
        this.line++;
        this.lineStart = pos;
        this.pos = pos;
        if (blank) continue;
        this.atLineStart = true;
        return;
      }
      if (c === 92) {
        // explicit line joining: a backslash must end its line
        const n = src.charCodeAt(pos + 1);
        if (pos + 1 >= end) throw this.fail("SyntaxError", "unexpected EOF while parsing", this.line, pos + 1 - this.lineStart, false);
        if (n !== 10 && n !== 13)
          throw this.fail("SyntaxError", "unexpected character after line continuation character", this.line, pos + 1 - this.lineStart, false);
        pos += 2;
        if (n === 13 && src.charCodeAt(pos) === 10) pos++;
        this.lastNl = pos - 1;
        this.lastNlLineStart = this.lineStart;
        this.line++;
        this.lineStart = pos;
        if (pos >= end) throw this.fail("SyntaxError", "unexpected EOF while parsing", this.line, 0, false);
        continue;
      }
      this.pos = pos;
      this.atLineStart = false;
      this.token(c);
      return;
    }
  }

  // Measure a new line's indentation and emit INDENT/DEDENT if it changes. Blank and comment-only lines are left
  // for next() to skip. Returns true when a token was emitted.
  private indentation(): boolean {
    const src = this.src;
    let pos = this.pos;
    let col = 0;
    let alt = 0;
    let cont = -1; // the column of a backslash that continues the line: it sets the indentation, as in CPython
    for (;;) {
      const c = src.charCodeAt(pos);
      if (c === 32) {
        col++;
        alt++;
      } else if (c === 9) {
        col = ((col >> 3) + 1) << 3;
        alt++;
      } else if (c === 12) {
        col = alt = 0;
      } else if (c === 92 && pos < this.end) {
        const n = src.charCodeAt(pos + 1);
        if (pos + 1 >= this.end) throw this.fail("SyntaxError", "unexpected EOF while parsing", this.line, pos + 1 - this.lineStart, false);
        if (n !== 10 && n !== 13)
          throw this.fail("SyntaxError", "unexpected character after line continuation character", this.line, pos + 1 - this.lineStart, false);
        if (cont < 0) cont = col;
        pos += src.charCodeAt(pos + 1) === 13 && src.charCodeAt(pos + 2) === 10 ? 2 : 1;
        this.newLineAt(pos);
      } else break;
      pos++;
    }
    const c = src.charCodeAt(pos);
    if (pos >= this.end || c === 35 || c === 10 || c === 13) {
      this.pos = pos;
      return false;
    }
    if (cont >= 0) col = alt = cont;
    this.atLineStart = false;
    this.pos = pos;
    const n = this.indents.length;
    const top = this.indents[n - 1];
    const altTop = this.altIndents[n - 1];
    if (col === top) {
      if (alt !== altTop) throw this.tabError();
      return false;
    }
    this.tstart = this.tend = pos;
    this.tline = this.line;
    this.tcol = pos - this.lineStart;
    if (col > top) {
      if (alt <= altTop) throw this.tabError();
      if (n >= MAX_INDENT) throw this.fail("IndentationError", "too many levels of indentation", this.line, this.tcol, false);
      this.indents.push(col);
      this.altIndents.push(alt);
      this.tok = Tok.INDENT;
      return true;
    }
    let count = 0;
    while (col < this.indents[this.indents.length - 1]) {
      this.indents.pop();
      this.altIndents.pop();
      count++;
    }
    if (col !== this.indents[this.indents.length - 1]) {
      let e = pos;
      while (e < this.end && src.charCodeAt(e) !== 10 && src.charCodeAt(e) !== 13) e++;
      throw this.fail("IndentationError", "unindent does not match any outer indentation level", this.line, e - this.lineStart, false);
    }
    if (alt !== this.altIndents[this.altIndents.length - 1]) throw this.tabError();
    this.tok = Tok.DEDENT;
    this.pendingDedents = count - 1;
    return true;
  }

  // CPython raises TabError, a subclass of IndentationError that CompileError's contract does not name
  private tabError(): CompileError {
    return this.fail("IndentationError", "inconsistent use of tabs and spaces in indentation", this.line, 0, false);
  }

  // End of input: close the last line, then one DEDENT per open block, then EOF forever. CPython places these at
  // the end of the last line, which is where "expected an indented block" and friends point.
  private atEnd(): void {
    if (this.brackets.length > 0) {
      const i = this.brackets.length - 1;
      this.unclosedLine = this.bline[i];
      throw this.error("'" + this.brackets.charAt(i) + "' was never closed", this.bline[i], this.bcol[i]);
    }
    let line = this.line;
    let col = (this.comment >= 0 ? this.comment : this.pos) - this.lineStart;
    this.comment = -1;
    if (col === 0 && this.lastNl >= 0) {
      line--;
      col = this.lastNl - this.lastNlLineStart;
    }
    this.tstart = this.tend = this.pos;
    this.tline = line;
    this.tcol = col;
    if (!this.atLineStart && !this.fexpr) {
      this.tok = Tok.NEWLINE;
      this.atLineStart = true;
    } else if (this.indents.length > 1) {
      this.indents.pop();
      this.altIndents.pop();
      this.tok = Tok.DEDENT;
    } else this.tok = Tok.EOF;
  }

  // One token starting with char c at this.pos (not blank, not a line break).
  private token(c: number): void {
    const src = this.src;
    const pos = this.pos;
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128) {
      this.name(pos);
      return;
    }
    if (isDigit(c)) {
      this.number(pos);
      return;
    }
    const n = src.charCodeAt(pos + 1);
    const eq = n === 61 && pos + 1 < this.end;
    switch (c) {
      case 34: // "
      case 39: // '
        this.string(pos, pos, 0);
        return;
      case 40: // (
      case 91: // [
      case 123: // {
        if (this.brackets.length >= MAX_BRACKETS) throw this.errorAtPos("too many nested parentheses", pos);
        this.brackets += String.fromCharCode(c);
        this.bline.push(this.line);
        this.bcol.push(pos - this.lineStart);
        this.setTok(c === 40 ? Tok.LPAR : c === 91 ? Tok.LSQB : Tok.LBRACE, pos, pos + 1);
        return;
      case 41: // )
      case 93: // ]
      case 125: {
        // }
        const i = this.brackets.length - 1;
        const ch = String.fromCharCode(c);
        if (i < 0) throw this.errorAtPos("unmatched '" + ch + "'", pos);
        const open = this.brackets.charCodeAt(i);
        if ((open === 40 && c !== 41) || (open === 91 && c !== 93) || (open === 123 && c !== 125)) {
          let msg = "closing parenthesis '" + ch + "' does not match opening parenthesis '" + String.fromCharCode(open) + "'";
          if (this.bline[i] !== this.line) msg += " on line " + this.bline[i];
          throw this.errorAtPos(msg, pos);
        }
        this.brackets = this.brackets.substring(0, i);
        this.bline.pop();
        this.bcol.pop();
        this.setTok(c === 41 ? Tok.RPAR : c === 93 ? Tok.RSQB : Tok.RBRACE, pos, pos + 1);
        return;
      }
      case 58: // :
        if (eq) this.setTok(Tok.COLONEQ, pos, pos + 2);
        else this.setTok(Tok.COLON, pos, pos + 1);
        return;
      case 44:
        this.setTok(Tok.COMMA, pos, pos + 1);
        return;
      case 59:
        this.setTok(Tok.SEMI, pos, pos + 1);
        return;
      case 126:
        this.setTok(Tok.TILDE, pos, pos + 1);
        return;
      case 46: // .
        if (isDigit(n)) this.number(pos);
        else if (n === 46 && src.charCodeAt(pos + 2) === 46 && pos + 2 < this.end) this.setTok(Tok.ELLIPSIS, pos, pos + 3);
        else this.setTok(Tok.DOT, pos, pos + 1);
        return;
      case 43:
        this.op2(eq, Tok.PLUSEQ, Tok.PLUS);
        return;
      case 45: // -
        if (n === 62) this.setTok(Tok.ARROW, pos, pos + 2);
        else this.op2(eq, Tok.MINUSEQ, Tok.MINUS);
        return;
      case 42: // *
        if (n === 42) this.op3(Tok.DSTAREQ, Tok.DSTAR);
        else this.op2(eq, Tok.STAREQ, Tok.STAR);
        return;
      case 47: // /
        if (n === 47) this.op3(Tok.DSLASHEQ, Tok.DSLASH);
        else this.op2(eq, Tok.SLASHEQ, Tok.SLASH);
        return;
      case 37:
        this.op2(eq, Tok.PERCENTEQ, Tok.PERCENT);
        return;
      case 64:
        this.op2(eq, Tok.ATEQ, Tok.AT);
        return;
      case 38:
        this.op2(eq, Tok.AMPEQ, Tok.AMP);
        return;
      case 124:
        this.op2(eq, Tok.VBAREQ, Tok.VBAR);
        return;
      case 94:
        this.op2(eq, Tok.CIRCEQ, Tok.CIRC);
        return;
      case 61:
        this.op2(eq, Tok.EQEQ, Tok.EQ);
        return;
      case 60: // <
        if (n === 60) this.op3(Tok.LSHIFTEQ, Tok.LSHIFT);
        else this.op2(eq, Tok.LE, Tok.LT);
        return;
      case 62: // >
        if (n === 62) this.op3(Tok.RSHIFTEQ, Tok.RSHIFT);
        else this.op2(eq, Tok.GE, Tok.GT);
        return;
      case 33: // !
        if (eq) {
          this.setTok(Tok.NE, pos, pos + 2);
          return;
        }
        break;
    }
    if (c < 32 || c === 127) throw this.errorAtPos("invalid non-printable character U+" + hex4(c), pos);
    // $ ? ` and a lone ! are tokens to CPython's tokenizer that no rule accepts: a parser error, not ours
    if (this.scanOnly) this.setTok(Tok.TILDE, pos, pos + 1);
    else throw new CompileError("SyntaxError", "invalid syntax", this.line, pos - this.lineStart);
  }

  private op2(eq: boolean, withEq: Tok, plain: Tok): void {
    if (eq) this.setTok(withEq, this.pos, this.pos + 2);
    else this.setTok(plain, this.pos, this.pos + 1);
  }

  // A doubled operator (** // << >>), possibly followed by =.
  private op3(withEq: Tok, plain: Tok): void {
    const pos = this.pos;
    if (this.src.charCodeAt(pos + 2) === 61 && pos + 2 < this.end) this.setTok(withEq, pos, pos + 3);
    else this.setTok(plain, pos, pos + 2);
  }

  // A name, a keyword, or the prefix of a string literal.
  private name(start: number): void {
    const src = this.src;
    const end = this.end;
    let pos = start;
    let c = src.charCodeAt(pos);
    while (pos < end && isNameChar(c)) {
      if (c >= 128) pos = this.nonAscii(pos);
      else pos++;
      c = src.charCodeAt(pos);
    }
    if ((c === 34 || c === 39) && pos - start <= 2 && pos < end) {
      const flags = prefixFlags(src, start, pos);
      if (flags >= 0) {
        this.string(start, pos, flags);
        return;
      }
    }
    const s = src.substring(start, pos);
    this.setTok(pos - start <= 8 ? keyword(s) : Tok.NAME, start, pos);
    this.str = s;
  }

  // Check one UTF-8 encoded character of a name; return the offset after it.
  private nonAscii(pos: number): number {
    const src = this.src;
    const b = src.charCodeAt(pos);
    const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    let cp = len === 1 ? -1 : len === 2 ? b & 31 : len === 3 ? b & 15 : b & 7;
    for (let i = 1; i < len; i++) {
      const x = src.charCodeAt(pos + i);
      if ((x & 0xc0) !== 0x80 || pos + i >= this.end) cp = -1;
      cp = (cp << 6) | (x & 63);
    }
    if (cp < 0 || b >= 0xf8) throw this.errorAtPos("invalid non-printable character U+" + hex4(b), pos);
    if (!isIdentCodePoint(cp)) {
      if (!isPrintable(cp)) throw this.errorAtPos("invalid non-printable character U+" + hex4(cp), pos);
      throw this.errorAtPos("invalid character '" + src.substring(pos, pos + len) + "' (U+" + hex4(cp) + ")", pos);
    }
    return pos + len;
  }

  // Numbers. Error positions follow CPython's tokenizer, which reports the char before the offending one.
  private number(start: number): void {
    const src = this.src;
    let pos = start;
    let c = src.charCodeAt(pos);
    if (c === 48) {
      const x = src.charCodeAt(pos + 1) | 32;
      if (x === 120 || x === 111 || x === 98) {
        this.radixNumber(start, x === 120 ? 16 : x === 111 ? 8 : 2);
        return;
      }
    }
    let isFloat = false;
    if (c !== 46) {
      pos = this.digits(pos);
      c = src.charCodeAt(pos);
    }
    if (c === 46 && pos < this.end) {
      isFloat = true;
      pos++;
      if (isDigit(src.charCodeAt(pos))) pos = this.digits(pos);
      c = src.charCodeAt(pos);
    }
    if ((c === 101 || c === 69) && pos < this.end) {
      let p = pos + 1;
      const s = src.charCodeAt(p);
      if (s === 43 || s === 45) {
        p++;
        if (!isDigit(src.charCodeAt(p)) || p >= this.end) throw this.errorAtPos("invalid decimal literal", p - 1);
      }
      if (isDigit(src.charCodeAt(p)) && p < this.end) {
        isFloat = true;
        pos = this.digits(p);
        c = src.charCodeAt(pos);
      }
    }
    if ((c === 106 || c === 74) && pos < this.end) throw this.errorAtPos("complex numbers are not supported", start);
    this.endOfNumber(pos, "decimal");
    const text = src.substring(start, pos);
    if (isFloat) {
      this.setTok(Tok.FLOAT, start, pos);
      this.num = floatValue(text.indexOf("_") >= 0 ? text.split("_").join("") : text);
      return;
    }
    let digits = text.indexOf("_") >= 0 ? text.split("_").join("") : text;
    let z = 0;
    while (z < digits.length - 1 && digits.charCodeAt(z) === 48) z++;
    if (z > 0) {
      if (digits.charCodeAt(z) !== 48)
        throw this.errorAtPos("leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", start);
      digits = digits.substring(z);
    }
    this.setTok(Tok.INT, start, pos);
    this.setInt(digits);
  }

  // Decimal digits with single underscores between them, from a digit at pos.
  private digits(pos: number): number {
    const src = this.src;
    for (;;) {
      while (isDigit(src.charCodeAt(pos)) && pos < this.end) pos++;
      if (src.charCodeAt(pos) !== 95 || pos >= this.end) return pos;
      if (!isDigit(src.charCodeAt(pos + 1)) || pos + 1 >= this.end) throw this.errorAtPos("invalid decimal literal", pos);
      pos++;
    }
  }

  // A number may be followed by a keyword (`1if x else y`) but not by another name char.
  private endOfNumber(pos: number, kind: string): void {
    const src = this.src;
    const c = src.charCodeAt(pos);
    if (pos >= this.end || !isNameChar(c)) return;
    const rest = src.substring(pos, pos + 5);
    const ok =
      (c === 97 && rest.indexOf("and") === 0) ||
      (c === 101 && rest.indexOf("else") === 0) ||
      (c === 102 && rest.indexOf("for") === 0) ||
      (c === 105 && (rest.indexOf("if") === 0 || rest.indexOf("in") === 0 || rest.indexOf("is") === 0)) ||
      (c === 111 && rest.indexOf("or") === 0) ||
      (c === 110 && rest.indexOf("not") === 0);
    if (!ok) throw this.errorAtPos("invalid " + kind + " literal", pos - 1);
  }

  private radixNumber(start: number, radix: number): void {
    const src = this.src;
    const kind = radix === 16 ? "hexadecimal" : radix === 8 ? "octal" : "binary";
    let pos = start + 2;
    let digits = "";
    for (;;) {
      let c = src.charCodeAt(pos);
      if (c === 95 && pos < this.end) {
        pos++;
        c = src.charCodeAt(pos);
      }
      const d = pos < this.end ? hexVal(c) : -1;
      if (d >= 0 && d < radix) {
        digits += String.fromCharCode(c);
        pos++;
        continue;
      }
      if (isDigit(c) && pos < this.end) throw this.errorAtPos("invalid digit '" + String.fromCharCode(c) + "' in " + kind + " literal", pos);
      if (digits === "" || src.charCodeAt(pos - 1) === 95) throw this.errorAtPos("invalid " + kind + " literal", pos - 1);
      break;
    }
    this.endOfNumber(pos, kind);
    this.setTok(Tok.INT, start, pos);
    let z = 0;
    while (z < digits.length - 1 && digits.charCodeAt(z) === 48) z++;
    digits = digits.substring(z);
    // parseInt is exact below 2^52; longer literals go through decimal digits
    const bits = radix === 16 ? 4 : radix === 8 ? 3 : 1;
    if (digits.length * bits <= 52) {
      this.num = parseInt(digits, radix);
      this.big = null;
    } else this.setInt(toDecimal(digits, radix));
  }

  // An int from its decimal digits (no leading zeros): a number up to 2^53, else big.
  private setInt(digits: string): void {
    if (digits.length < 16 || (digits.length === 16 && digits <= "9007199254740992")) {
      this.num = +digits;
      this.big = null;
    } else {
      this.num = 0;
      this.big = digits;
    }
  }

  // A string literal: `start` is where the token starts (its prefix), `q` the opening quote.
  private string(start: number, q: number, flags: number): void {
    const src = this.src;
    const end = this.end;
    const quote = src.charCodeAt(q);
    const line0 = this.line;
    const col0 = start - this.lineStart;
    let pos = q + 1;
    if (src.charCodeAt(pos) === quote && src.charCodeAt(pos + 1) === quote && pos + 1 < end) {
      flags |= S_TRIPLE;
      pos += 2;
    }
    const body = pos;
    let bodyEnd: number;
    let special = false; // backslashes or CRs: needs decoding
    let nonAscii = false;
    for (;;) {
      if (pos >= end) {
        const what = flags & S_TRIPLE ? "unterminated triple-quoted string literal" : "unterminated string literal";
        // a final line break does not start a line of its own
        const at = pos === this.lineStart && this.line > line0 ? this.line - 1 : this.line;
        throw this.error(what + " (detected at line " + at + ")", line0, col0);
      }
      const c = src.charCodeAt(pos);
      if (c === quote) {
        if (!(flags & S_TRIPLE)) {
          bodyEnd = pos++;
          break;
        }
        if (src.charCodeAt(pos + 1) === quote && src.charCodeAt(pos + 2) === quote && pos + 2 < end) {
          bodyEnd = pos;
          pos += 3;
          break;
        }
      } else if (c === 92) {
        special = true;
        pos++;
        const n = src.charCodeAt(pos);
        if (n === 10 || n === 13) {
          if (n === 13 && src.charCodeAt(pos + 1) === 10) pos++;
          this.newLineAt(pos);
        } else if (n >= 128) nonAscii = true;
      } else if (c === 10 || c === 13) {
        if (!(flags & S_TRIPLE)) throw this.error("unterminated string literal (detected at line " + this.line + ")", line0, col0);
        if (c === 13) {
          special = true;
          if (src.charCodeAt(pos + 1) === 10) pos++;
        }
        this.newLineAt(pos);
      } else if (c >= 128) nonAscii = true;
      pos++;
    }
    this.tok = Tok.STRING;
    this.tstart = start;
    this.tend = pos;
    this.tline = line0;
    this.tcol = col0;
    this.pos = pos;
    this.sflags = flags;
    this.sbody = body;
    this.sbodyEnd = bodyEnd;
    if (nonAscii) {
      const bad = checkUtf8(src, body, bodyEnd);
      if (bad !== null) throw this.error(bad, this.line, pos - this.lineStart);
    }
    // errors in the value are the parser's in CPython (made when the literal's value is built), so not this.fail
    if (this.scanOnly) return;
    if (flags & S_BYTES && nonAscii) throw new CompileError("SyntaxError", "bytes can only contain ASCII literal characters", line0, col0);
    if (flags & S_F) this.str = "";
    else if (!special) this.str = src.substring(body, bodyEnd);
    else this.str = decodeString(src, body, bodyEnd, flags, this.line, pos - this.lineStart);
  }

  private newLineAt(nl: number): void {
    this.lastNl = nl;
    this.lastNlLineStart = this.lineStart;
    this.line++;
    this.lineStart = nl + 1;
  }
}

// The S_* flags of a string prefix src[start, end), or -1 if it is not one (then it is a name).
function prefixFlags(src: string, start: number, end: number): number {
  let flags = 0;
  let u = false;
  for (let i = start; i < end; i++) {
    const c = src.charCodeAt(i) | 32;
    let f = 0;
    if (c === 114) f = S_RAW;
    else if (c === 98) f = S_BYTES;
    else if (c === 102) f = S_F;
    else if (c === 117) u = true;
    else return -1;
    if (flags & f) return -1;
    flags |= f;
  }
  if ((u && end - start > 1) || (flags & S_BYTES && flags & S_F)) return -1;
  return flags;
}

// The str values the VM sees must be valid UTF-8: check a literal's body as CPython's decoder would.
function checkUtf8(src: string, start: number, end: number): string | null {
  let i = start;
  while (i < end) {
    const b = src.charCodeAt(i);
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let why = len === 0 ? "invalid start byte" : "";
    for (let k = 1; k < len && why === ""; k++) {
      const c = src.charCodeAt(i + k);
      let lo = 0x80;
      let hi = 0xbf;
      if (k === 1) {
        // exclude overlong forms and code points past U+10FFFF; surrogates are allowed (as \ud800 would be)
        if (b === 0xe0) lo = 0xa0;
        else if (b === 0xf0) lo = 0x90;
        else if (b === 0xf4) hi = 0x8f;
      }
      if (i + k >= end) why = "unexpected end of data";
      else if (c < lo || c > hi) why = "invalid continuation byte";
    }
    if (why !== "") {
      const hex = b.toString(16);
      return "(unicode error) 'utf-8' codec can't decode byte 0x" + (hex.length < 2 ? "0" : "") + hex + " in position " + (i - start) + ": " + why;
    }
    i += len;
  }
  return null;
}

/** Digits of an integer in base `radix` (no prefix, no underscores) as decimal digits. */
export function toDecimal(digits: string, radix: number): string {
  const limbs = [0]; // base 1e7, least significant first
  for (let i = 0; i < digits.length; i++) {
    let carry = hexVal(digits.charCodeAt(i));
    for (let j = 0; j < limbs.length; j++) {
      const v = limbs[j] * radix + carry;
      limbs[j] = v % 10000000;
      carry = Math.floor(v / 10000000);
    }
    if (carry) limbs.push(carry);
  }
  let s = String(limbs[limbs.length - 1]);
  for (let j = limbs.length - 2; j >= 0; j--) {
    const d = String(limbs[j]);
    s += "0000000".substring(d.length) + d;
  }
  return s;
}

/**
 * The value of a string literal's body src[start, end): escapes decoded (unless S_RAW), line breaks normalised to
 * \n. Errors are reported at (errLine, errCol), which CPython puts just after the literal.
 */
export function decodeString(src: string, start: number, end: number, flags: number, errLine: number, errCol: number): string {
  const isBytes = (flags & S_BYTES) !== 0;
  const raw = (flags & S_RAW) !== 0;
  let out = "";
  let chunk = start;
  let i = start;
  while (i < end) {
    const c = src.charCodeAt(i);
    if (c === 13) {
      out += src.substring(chunk, i) + "\n";
      i++;
      if (src.charCodeAt(i) === 10 && i < end) i++;
      chunk = i;
      continue;
    }
    if (c !== 92 || raw || i + 1 >= end) {
      i++; // (a backslash ending the range is an f-string's, before a brace: kept as it is)
      continue;
    }
    out += src.substring(chunk, i);
    const esc = i;
    const n = src.charCodeAt(i + 1);
    i += 2;
    switch (n) {
      case 10:
        break;
      case 13:
        if (src.charCodeAt(i) === 10) i++;
        break;
      case 92:
      case 39:
      case 34:
        out += String.fromCharCode(n);
        break;
      case 97: out += "\x07"; break;
      case 98: out += "\b"; break;
      case 102: out += "\f"; break;
      case 110: out += "\n"; break;
      case 114: out += "\r"; break;
      case 116: out += "\t"; break;
      case 118: out += "\v"; break;
      case 120: // \xhh
      case 117: // \uXXXX
      case 85: { // \UXXXXXXXX
        if (n !== 120 && isBytes) {
          out += "\\" + String.fromCharCode(n);
          break;
        }
        const len = n === 120 ? 2 : n === 117 ? 4 : 8;
        let v = 0;
        let k = 0;
        while (k < len && i < end) {
          const d = hexVal(src.charCodeAt(i));
          if (d < 0) break;
          v = v * 16 + d;
          i++;
          k++;
        }
        if (k < len) {
          if (isBytes) throw new CompileError("SyntaxError", "(value error) invalid \\x escape at position " + (esc - start), errLine, errCol);
          const what = n === 120 ? "truncated \\xXX escape" : n === 117 ? "truncated \\uXXXX escape" : "truncated \\UXXXXXXXX escape";
          throw unicodeError(esc - start, i - 1 - start, what, errLine, errCol);
        }
        if (v > 0x10ffff) throw unicodeError(esc - start, i - 1 - start, "illegal Unicode character", errLine, errCol);
        out += isBytes ? String.fromCharCode(v) : utf8(v);
        break;
      }
      case 78: // \N{name}
        if (isBytes) out += "\\N";
        else throw new CompileError("SyntaxError", "\\N{} escapes are not supported", errLine, errCol);
        break;
      default:
        if (n >= 48 && n <= 55) {
          let v = n - 48;
          for (let k = 0; k < 2 && i < end; k++) {
            const d = src.charCodeAt(i);
            if (d < 48 || d > 55) break;
            v = v * 8 + d - 48;
            i++;
          }
          out += isBytes ? String.fromCharCode(v & 255) : utf8(v);
        } else {
          i--; // an unknown escape keeps its backslash; the char after it is copied as it is
          out += "\\";
        }
    }
    chunk = i;
  }
  return out + src.substring(chunk, end);
}

function unicodeError(from: number, to: number, what: string, line: number, col: number): CompileError {
  return new CompileError("SyntaxError", "(unicode error) 'unicodeescape' codec can't decode bytes in position " + from + "-" + to + ": " + what, line, col);
}

/** A token as tests and tools see it. */
export interface TokenInfo {
  tok: Tok;
  line: number;
  col: number;
  text: string;
  value: string | number | null;
}

/** The whole token stream of a source (tests and tools; the parser streams). */
export function tokenize(src: string): TokenInfo[] {
  const lx = new Lexer(src, 0, src.length, 1, 0, false);
  const out: TokenInfo[] = [];
  for (;;) {
    lx.next();
    const t = lx.tok;
    let value: string | number | null = null;
    if (t === Tok.NAME || t === Tok.STRING) value = lx.str;
    else if (t === Tok.INT) value = lx.big !== null ? lx.big : lx.num;
    else if (t === Tok.FLOAT) value = lx.num;
    out.push({ tok: t, line: lx.tline, col: lx.tcol, text: src.substring(lx.tstart, lx.tend), value: value });
    if (t === Tok.EOF) return out;
  }
}
