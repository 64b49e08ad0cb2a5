// core/lexer.ts: token kinds and positions, indentation, numbers, every string escape and prefix, f-string tokens,
// and the tokenizer's errors with CPython 3.11's messages and positions (checked against CPython when written).
import { describe, it, expect } from "vitest";
import { Lexer, Tok, tokenize, tokText, toDecimal, utf8 } from "../core/lexer";
import { CompileError } from "../core/errors";

/** UTF-8 text as the byte string the lexer takes. */
const bytes = (s: string) => Buffer.from(s, "utf8").toString("latin1");

const kinds = (src: string) => tokenize(bytes(src)).map((t) => Tok[t.tok]);

function one(src: string) {
  const toks = tokenize(bytes(src));
  return toks[0];
}

/** The value of the single string literal `src`, as UTF-8 text (or raw bytes for bytes literals). */
function str(src: string): string {
  const t = one(src);
  expect(Tok[t.tok]).toBe("STRING");
  return t.value as string;
}

function lexError(src: string): { type: string; msg: string; line: number; col: number } {
  try {
    tokenize(bytes(src));
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    return { type: e.type, msg: Buffer.from(e.msg, "latin1").toString("utf8"), line: e.line, col: e.col };
  }
  throw new Error("no error for " + JSON.stringify(src));
}

describe("tokens", () => {
  it("gives kinds, text and positions", () => {
    const toks = tokenize("x = foo(1, 'a')  # c\n");
    expect(toks.map((t) => [Tok[t.tok], t.line, t.col, t.text])).toEqual([
      ["NAME", 1, 0, "x"],
      ["EQ", 1, 2, "="],
      ["NAME", 1, 4, "foo"],
      ["LPAR", 1, 7, "("],
      ["INT", 1, 8, "1"],
      ["COMMA", 1, 9, ","],
      ["STRING", 1, 11, "'a'"],
      ["RPAR", 1, 14, ")"],
      ["NEWLINE", 1, 17, ""], // at the comment, as CPython places it
      ["EOF", 1, 20, ""],
    ]);
  });

  it("lexes every operator and delimiter", () => {
    const ops = "( ) [ ] { } : , ; . ... -> := = + - * / // % ** @ << >> & | ^ ~ < > <= >= == != += -= *= /= //= %= **= @= <<= >>= &= |= ^=";
    const toks = tokenize(ops).slice(0, -2);
    expect(toks.map((t) => t.text).join(" ")).toBe(ops);
    expect(toks.map((t) => tokText(t.tok)).join(" ")).toBe(ops);
    // run together, the longest operator wins
    expect(kinds("a**=b//c->d:=e...f")).toEqual([
      "NAME", "DSTAREQ", "NAME", "DSLASH", "NAME", "ARROW", "NAME", "COLONEQ", "NAME", "ELLIPSIS", "NAME", "NEWLINE", "EOF",
    ]);
    expect(kinds("a..b")).toEqual(["NAME", "DOT", "DOT", "NAME", "NEWLINE", "EOF"]);
  });

  it("knows the 35 keywords; soft keywords and near misses are names", () => {
    const kws = "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield";
    for (const k of kws.split(" ")) {
      const t = one(k);
      expect(tokText(t.tok)).toBe(k);
      expect(t.tok).toBeGreaterThanOrEqual(Tok.FALSE);
    }
    for (const n of ["match", "case", "_", "print", "none", "IF", "iff", "classes", "r", "b", "f", "u", "br"]) {
      const t = one(n);
      expect(Tok[t.tok]).toBe("NAME");
      expect(t.value).toBe(n);
    }
  });

  it("keeps non-ASCII names as their UTF-8 bytes", () => {
    const u = one("名前_é = 1");
    expect(Tok[u.tok]).toBe("NAME");
    expect(u.value).toBe(bytes("名前_é"));
    expect(lexError("héllo_€x")).toEqual({ type: "SyntaxError", msg: "invalid character '€' (U+20AC)", line: 1, col: 7 });
  });
});

describe("layout", () => {
  it("emits INDENT and DEDENT, ignoring blank and comment lines", () => {
    const src = "if a:\n    b\n\n    # note\n    if c:\n        d\n  \n# x\ne\n";
    expect(kinds(src)).toEqual([
      "IF", "NAME", "COLON", "NEWLINE",
      "INDENT", "NAME", "NEWLINE",
      "IF", "NAME", "COLON", "NEWLINE",
      "INDENT", "NAME", "NEWLINE",
      "DEDENT", "DEDENT", "NAME", "NEWLINE", "EOF",
    ]);
  });

  it("closes blocks and the last line at the end of input", () => {
    expect(kinds("if a:\n  if b:\n    c")).toEqual([
      "IF", "NAME", "COLON", "NEWLINE", "INDENT", "IF", "NAME", "COLON", "NEWLINE", "INDENT", "NAME", "NEWLINE", "DEDENT", "DEDENT", "EOF",
    ]);
    expect(kinds("")).toEqual(["EOF"]);
    expect(kinds("\n\n# only a comment\n")).toEqual(["EOF"]);
    // EOF sits at the end of the last line, where CPython reports "expected an indented block"
    const toks = tokenize("if x:\n");
    expect([toks[toks.length - 1].line, toks[toks.length - 1].col]).toEqual([1, 5]);
  });

  it("joins lines inside brackets and after a backslash", () => {
    expect(kinds("x = (1,\n  2\n)\ny = 1 + \\\n  2\n")).toEqual([
      "NAME", "EQ", "LPAR", "INT", "COMMA", "INT", "RPAR", "NEWLINE", "NAME", "EQ", "INT", "PLUS", "INT", "NEWLINE", "EOF",
    ]);
    const toks = tokenize("a = [\n  1]\nb");
    expect(toks.map((t) => [t.text, t.line, t.col])).toContainEqual(["1", 2, 2]);
    expect(toks.map((t) => [t.text, t.line, t.col])).toContainEqual(["b", 3, 0]);
  });

  it("accepts CRLF and CR line ends, and skips a UTF-8 BOM", () => {
    expect(kinds("if a:\r\n  b\r\nc\r")).toEqual(["IF", "NAME", "COLON", "NEWLINE", "INDENT", "NAME", "NEWLINE", "DEDENT", "NAME", "NEWLINE", "EOF"]);
    const toks = tokenize("\xef\xbb\xbfx = 1");
    expect([toks[0].text, toks[0].col]).toEqual(["x", 0]);
  });

  it("measures tabs to multiples of 8 and rejects inconsistent tabs and spaces", () => {
    expect(kinds("if a:\n\tb\n\tc\n")).toEqual(["IF", "NAME", "COLON", "NEWLINE", "INDENT", "NAME", "NEWLINE", "NAME", "NEWLINE", "DEDENT", "EOF"]);
    expect(kinds("if a:\n  \tb\n  \tc\n")).toContain("INDENT");
    expect(lexError("if x:\n\ta\n        b")).toEqual({ type: "IndentationError", msg: "inconsistent use of tabs and spaces in indentation", line: 3, col: 0 });
    expect(lexError("if x:\n        a\n\tb\n")).toEqual({ type: "IndentationError", msg: "inconsistent use of tabs and spaces in indentation", line: 3, col: 0 });
  });

  it("reports a dedent to no known level", () => {
    expect(lexError("if True:\n    x\n  y")).toEqual({ type: "IndentationError", msg: "unindent does not match any outer indentation level", line: 3, col: 3 });
    expect(lexError("if 1:\n    pass\n  else: pass")).toMatchObject({ line: 3, col: 12 });
  });

  it("reports bracket errors where CPython does", () => {
    expect(lexError("x = )")).toEqual({ type: "SyntaxError", msg: "unmatched ')'", line: 1, col: 4 });
    expect(lexError("x = (]")).toEqual({ type: "SyntaxError", msg: "closing parenthesis ']' does not match opening parenthesis '('", line: 1, col: 5 });
    expect(lexError("x = (\n]").msg).toBe("closing parenthesis ']' does not match opening parenthesis '(' on line 1");
    expect(lexError("x = (1,\n  2")).toEqual({ type: "SyntaxError", msg: "'(' was never closed", line: 1, col: 4 });
    expect(lexError("foo(a, [b,\n")).toEqual({ type: "SyntaxError", msg: "'[' was never closed", line: 1, col: 7 });
    expect(lexError("x = " + "(".repeat(201)).msg).toBe("too many nested parentheses");
  });

  it("reports stray backslashes and characters", () => {
    expect(lexError("x = 1 \\ y")).toEqual({ type: "SyntaxError", msg: "unexpected character after line continuation character", line: 1, col: 7 });
    expect(lexError("x = 1 \\")).toEqual({ type: "SyntaxError", msg: "unexpected EOF while parsing", line: 1, col: 7 });
    expect(lexError("x = $")).toEqual({ type: "SyntaxError", msg: "invalid syntax", line: 1, col: 4 });
    expect(lexError("x = a ! b").col).toBe(6);
    expect(lexError("x = `a`").msg).toBe("invalid syntax");
    expect(lexError("x = €")).toEqual({ type: "SyntaxError", msg: "invalid character '€' (U+20AC)", line: 1, col: 4 });
    expect(lexError("x = a€").col).toBe(5);
    expect(lexError("x = \u00a0 1").msg).toBe("invalid non-printable character U+00A0");
    expect(lexError("x = \x01").msg).toBe("invalid non-printable character U+0001");
    expect(lexError("s = “a”").msg).toBe("invalid character '“' (U+201C)");
  });

  it("allows 100 indentation levels", () => {
    let src = "";
    for (let i = 0; i < 99; i++) src += " ".repeat(i) + "if x:\n";
    expect(() => tokenize(src + " ".repeat(99) + "pass\n")).not.toThrow();
    expect(lexError(src + " ".repeat(99) + "if x:\n" + " ".repeat(100) + "pass\n").msg).toBe("too many levels of indentation");
  });
});

describe("numbers", () => {
  const val = (s: string) => one(s).value;
  const kind = (s: string) => Tok[one(s).tok];

  it("reads decimal, hexadecimal, octal and binary ints with underscores", () => {
    expect(val("0")).toBe(0);
    expect(val("00")).toBe(0);
    expect(val("0_0")).toBe(0);
    expect(val("1_000_000")).toBe(1000000);
    expect(val("0xff")).toBe(255);
    expect(val("0XDEAD_beef")).toBe(0xdeadbeef);
    expect(val("0x_1")).toBe(1);
    expect(val("0o777")).toBe(511);
    expect(val("0O_1_2")).toBe(10);
    expect(val("0b1010")).toBe(10);
    expect(val("0B_1_1")).toBe(3);
    expect(kind("0x10")).toBe("INT");
  });

  it("keeps ints past 2^53 as decimal digits", () => {
    expect(val("9007199254740992")).toBe(9007199254740992);
    expect(val("9007199254740993")).toBe("9007199254740993");
    expect(val("123456789012345678901234567890")).toBe("123456789012345678901234567890");
    expect(val("0x20000000000000")).toBe(9007199254740992);
    expect(val("0x20000000000001")).toBe("9007199254740993");
    expect(val("0xffffffffffffffffff")).toBe("4722366482869645213695");
    expect(val("0o1_000_000_000_000_000_000_000")).toBe("9223372036854775808");
    expect(val("0b" + "1".repeat(64))).toBe("18446744073709551615");
    expect(toDecimal("ff", 16)).toBe("255");
    expect(toDecimal("1" + "0".repeat(40), 16)).toBe("1461501637330902918203684832716283019655932542976");
  });

  it("reads floats in every form", () => {
    expect(val("1.")).toBe(1);
    expect(val(".5")).toBe(0.5);
    expect(val("1e10")).toBe(1e10);
    expect(val("1E+3")).toBe(1000);
    expect(val("2.5e-3")).toBe(0.0025);
    expect(val("1_000.5e-3")).toBe(1.0005);
    expect(val("1.e5")).toBe(1e5);
    expect(val("09.5")).toBe(9.5);
    expect(val("0e0")).toBe(0);
    expect(val("1e999")).toBe(Infinity);
    expect(kind("1.")).toBe("FLOAT");
    expect(kind("1e5")).toBe("FLOAT");
    expect(kinds("1..real")).toEqual(["FLOAT", "DOT", "NAME", "NEWLINE", "EOF"]);
  });

  it("allows a keyword right after a number, as CPython 3.11 does", () => {
    expect(kinds("1if x else 2")).toEqual(["INT", "IF", "NAME", "ELSE", "INT", "NEWLINE", "EOF"]);
    expect(kinds("[1for x in y]")).toContain("FOR");
    expect(kinds("0x1for")).toEqual(["INT", "OR", "NEWLINE", "EOF"]); // 0x1f, then `or`
    expect(kinds("1or 2")).toContain("OR");
  });

  it("rejects malformed literals with CPython's messages and positions", () => {
    const cases: [string, string, number][] = [
      ["x = 1__0", "invalid decimal literal", 5],
      ["x = 1_", "invalid decimal literal", 5],
      ["x = 1a", "invalid decimal literal", 4],
      ["x = 1.__class__", "invalid decimal literal", 5],
      ["x = 1e", "invalid decimal literal", 4],
      ["x = 1e_5", "invalid decimal literal", 4],
      ["x = 1e+", "invalid decimal literal", 6],
      ["x = 1.5_", "invalid decimal literal", 7],
      ["x = 1_.5", "invalid decimal literal", 5],
      ["x = 1._5", "invalid decimal literal", 5],
      ["x = 0x", "invalid hexadecimal literal", 5],
      ["x = 0xg", "invalid hexadecimal literal", 5],
      ["x = 0x1__2", "invalid hexadecimal literal", 7],
      ["x = 0b", "invalid binary literal", 5],
      ["x = 0b1_", "invalid binary literal", 7],
      ["x = 0o", "invalid octal literal", 5],
      ["x = 0b2", "invalid digit '2' in binary literal", 6],
      ["x = 0o8", "invalid digit '8' in octal literal", 6],
      ["x = 0b1012", "invalid digit '2' in binary literal", 9],
      ["x = 01", "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", 4],
      ["x = 0777", "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", 4],
      ["x = 1j", "complex numbers are not supported", 4],
      ["x = 1.5J", "complex numbers are not supported", 4],
      ["x = 1e5j", "complex numbers are not supported", 4],
    ];
    for (const [src, msg, col] of cases) expect([src, lexError(src)]).toEqual([src, { type: "SyntaxError", msg: msg, line: 1, col: col }]);
  });
});

describe("strings", () => {
  it("decodes every escape of a str", () => {
    expect(str("'\\\\ \\' \\\" \\a \\b \\f \\n \\r \\t \\v'")).toBe("\\ ' \" \x07 \b \f \n \r \t \x0b");
    expect(str("'\\0 \\7 \\12 \\101 \\1010'")).toBe("\x00 \x07 \n A A0");
    expect(str("'\\x41\\x7e'")).toBe("A~");
    expect(str("'\\u20ac'")).toBe(bytes("€"));
    expect(str("'\\U0001F600'")).toBe(bytes("😀"));
    expect(str("'\\xe9'")).toBe(bytes("é")); // a code point, so two UTF-8 bytes
    expect(str("'\\777'")).toBe(bytes("\u01ff"));
    expect(str("'\\ud800'")).toBe("\xed\xa0\x80"); // lone surrogates are kept, encoded like any code point
    expect(str("'a\\\nb'")).toBe("ab"); // backslash-newline continues the literal
    expect(str("'\\q \\8 \\é'")).toBe(bytes("\\q \\8 \\é")); // unknown escapes keep their backslash
    expect(str("'€'")).toBe(bytes("€"));
    expect(str('"it\'s"')).toBe("it's");
  });

  it("decodes bytes escapes, which have no \\u, \\U or \\N", () => {
    expect(str("b'\\x00\\xff\\n'")).toBe("\x00\xff\n");
    expect(str("b'\\777'")).toBe("\xff");
    expect(str("b'\\u20ac\\N{DASH}'")).toBe("\\u20ac\\N{DASH}");
    expect(lexError("x = b'é'")).toEqual({ type: "SyntaxError", msg: "bytes can only contain ASCII literal characters", line: 1, col: 4 });
  });

  it("leaves raw strings alone and knows every prefix", () => {
    expect(str("r'\\n\\x'")).toBe("\\n\\x");
    expect(str("R'\\''")).toBe("\\'");
    expect(str("rb'\\n'")).toBe("\\n");
    for (const pre of ["r", "u", "R", "U", "b", "B", "br", "Br", "bR", "BR", "rb", "rB", "Rb", "RB", "f", "F", "fr", "rf", "FR", "Rf"]) {
      const t = one(pre + "'x'");
      expect([pre, Tok[t.tok]]).toEqual([pre, "STRING"]);
    }
    for (const notPre of ["ub", "bu", "ur", "fb", "bf", "rr", "bb"]) expect(kinds(notPre + "'x'").slice(0, 2)).toEqual(["NAME", "STRING"]);
  });

  it("reads triple-quoted strings across lines, normalising line ends", () => {
    const toks = tokenize("x = '''a\n'b'\r\nc''' + \"\"\"\"q\"\"\"\ny");
    expect(toks[2].value).toBe("a\n'b'\nc");
    expect(toks[4].value).toBe('"q');
    expect([toks[6].text, toks[6].line]).toEqual(["y", 4]);
    expect(str("'''a\\\nb'''")).toBe("ab");
    expect(str("r'''a\r\nb'''")).toBe("a\nb");
  });

  it("returns f-strings raw for the parser, with their body", () => {
    const lx = new Lexer("f'a{b}c' rb'x'", 0, 14, 1, 0, false);
    lx.next();
    expect(lx.tok).toBe(Tok.STRING);
    expect(lx.str).toBe("");
    expect(lx.src.substring(lx.sbody, lx.sbodyEnd)).toBe("a{b}c");
    expect(lx.sflags & 4).toBe(4);
    lx.next();
    expect(lx.sflags & 3).toBe(3); // bytes and raw
  });

  it("reports unterminated literals and bad escapes where CPython does", () => {
    expect(lexError("x = 'abc")).toEqual({ type: "SyntaxError", msg: "unterminated string literal (detected at line 1)", line: 1, col: 4 });
    expect(lexError("x = b'abc\ny = 1")).toEqual({ type: "SyntaxError", msg: "unterminated string literal (detected at line 1)", line: 1, col: 4 });
    expect(lexError('x = """abc')).toEqual({ type: "SyntaxError", msg: "unterminated triple-quoted string literal (detected at line 1)", line: 1, col: 4 });
    expect(lexError('"""abc\n').msg).toBe("unterminated triple-quoted string literal (detected at line 1)");
    expect(lexError('x = 1\n"""abc\n\n').msg).toBe("unterminated triple-quoted string literal (detected at line 3)");
    expect(lexError("x = '\\x1'")).toEqual({
      type: "SyntaxError", msg: "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated \\xXX escape", line: 1, col: 9,
    });
    expect(lexError("x = 'ab\\u12'").msg).toBe("(unicode error) 'unicodeescape' codec can't decode bytes in position 2-5: truncated \\uXXXX escape");
    expect(lexError("x = '\\U0011000'").msg).toBe("(unicode error) 'unicodeescape' codec can't decode bytes in position 0-8: truncated \\UXXXXXXXX escape");
    expect(lexError("x = '\\U00110000'").msg).toBe("(unicode error) 'unicodeescape' codec can't decode bytes in position 0-9: illegal Unicode character");
    expect(lexError("x = b'\\x1'")).toEqual({ type: "SyntaxError", msg: "(value error) invalid \\x escape at position 0", line: 1, col: 10 });
    expect(lexError("x = '\\N{DASH}'").msg).toBe("\\N{} escapes are not supported");
  });

  it("rejects str literals that are not UTF-8", () => {
    const e = (() => {
      try {
        tokenize("x = 'b\xf6se'");
      } catch (err) {
        return err as CompileError;
      }
      return null;
    })();
    expect(e).toMatchObject({ msg: "(unicode error) 'utf-8' codec can't decode byte 0xf6 in position 1: invalid start byte", line: 1, col: 10 });
    expect(() => tokenize("x = '\xc3'")).toThrow(CompileError);
    expect(() => tokenize("x = '\xe0\x80\x80'")).toThrow(CompileError); // overlong
    expect(() => tokenize("x = '\xf4\x90\x80\x80'")).toThrow(CompileError); // past U+10FFFF
  });

  it("encodes code points as UTF-8", () => {
    expect(utf8(0x41)).toBe("A");
    expect(utf8(0xe9)).toBe("\xc3\xa9");
    expect(utf8(0x20ac)).toBe("\xe2\x82\xac");
    expect(utf8(0x1f600)).toBe("\xf0\x9f\x98\x80");
  });
});
