// String formatting: the format-spec mini-language (format(), f-strings, str.format) for int, float and str,
// printf-style `%` formatting for str and bytes, and str.format's field parsing, all with CPython's rules and
// messages. Numbers go through intToString and core/float.ts, never through the platform's number formatting.
// Everything is built as JS byte strings (UTF-8, one char per byte); lengths for padding count code points.
import { K, TUP_ITEMS, imm, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise, raiseWith } from "../vm/exc";
import { kindOf, lookupSpecial, typeNameJs, toIndex, bytesView, bvOff, bvLen, unwrap } from "../vm/ops";
import { call1, call2 } from "../vm/call";
import { getAttr } from "../vm/attr";
import { getItem, listOf } from "./items";
import { typeOf, isSubtype } from "./type";
import { str, jstr, qw, sclen, utf8SeqLen, bytesFromJs, internJs } from "./str";
import { toInt } from "./ints";
import { isFloat, floatVal, intToString, isIntLike, intToDouble, intSign, intAbs } from "./num";
import { floatFormat } from "../float";
import { strJs, reprJs, asciiEscape } from "./repr";
import { seqItems, seqLen } from "./seq";

interface Spec {
  fill: string; // one character (a whole UTF-8 sequence)
  align: string; // < > = ^
  sign: string; // "" + - space
  z: boolean;
  alt: boolean;
  width: number;
  grouping: string; // "" , _
  precision: number;
  type: string; // "" when none
}

function isStrW(vm: Vm, w: number): boolean {
  return (w & 3) === 2 ? w >> 2 >= LY.QSTR_BASE : kindOf(vm, w) === K.STR;
}

/** Digits at s[i…] as a number (for widths and precisions); -1 if none. Sets `pos` past them. */
let pos = 0;
function readInt(vm: Vm, s: string, i: number): number {
  let v = -1;
  let n = 0;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) {
    v = (v < 0 ? 0 : v * 10) + s.charCodeAt(i) - 48;
    i++;
    if (++n > 18) throw raise(vm, T.VALUE_ERROR, "Too many decimal digits in format string");
  }
  pos = i;
  return v;
}

/** s.charAt(i), "" past the end without reading there (an out-of-bounds read deoptimizes V8's optimized code). */
function chAt(s: string, i: number): string {
  return i < s.length ? s.charAt(i) : "";
}

function isAlign(c: string): boolean {
  return c === "<" || c === ">" || c === "=" || c === "^";
}

// The last few specs parsed (a loop formats with the same few): spec text, default type, result (never modified).
const SC_S = ["", "", "", ""];
const SC_T = ["", "", "", ""];
const SC_SP: Spec[] = [];
let scNext = 0;

function parseSpec(vm: Vm, s: string, tv: number, defType: string, defAlign: string): Spec {
  let sp: Spec | null = null;
  for (let k = 0; k < SC_SP.length; k++) if (SC_S[k] === s && SC_T[k] === defType) sp = SC_SP[k];
  if (!sp) {
    sp = parseSpec2(vm, s, tv, defType, defAlign);
    SC_S[scNext] = s;
    SC_T[scNext] = defType;
    SC_SP[scNext] = sp;
    scNext = (scNext + 1) & 3;
  }
  if (sp.width > 0 && sp.width > vm.U8.length) throw raise(vm, T.MEMORY_ERROR, null);
  return sp;
}

/** CPython's parse_internal_render_format_spec: [[fill]align][sign][z][#][0][width][,|_][.precision][type]. */
function parseSpec2(vm: Vm, s: string, tv: number, defType: string, defAlign: string): Spec {
  const sp: Spec = { fill: " ", align: defAlign, sign: "", z: false, alt: false, width: -1, grouping: "", precision: -1, type: defType };
  let i = 0;
  let fillSet = false;
  let alignSet = false;
  const fl = s.length ? utf8SeqLen(s.charCodeAt(0)) : 1;
  if (s.length > fl && isAlign(chAt(s, fl))) {
    sp.fill = s.substr(0, fl);
    sp.align = chAt(s, fl);
    fillSet = alignSet = true;
    i = fl + 1;
  } else if (s.length && isAlign(chAt(s, 0))) {
    sp.align = chAt(s, 0);
    alignSet = true;
    i = 1;
  }
  let c = chAt(s, i);
  if (c === "+" || c === "-" || c === " ") {
    sp.sign = c;
    i++;
  }
  if (chAt(s, i) === "z") {
    sp.z = true;
    i++;
  }
  if (chAt(s, i) === "#") {
    sp.alt = true;
    i++;
  }
  if (!fillSet && chAt(s, i) === "0") {
    sp.fill = "0";
    if (!alignSet && defAlign === ">") sp.align = "=";
    i++;
  }
  sp.width = readInt(vm, s, i);
  i = pos;
  if (chAt(s, i) === ",") {
    sp.grouping = ",";
    i++;
  }
  if (chAt(s, i) === "_") {
    if (sp.grouping) throw raise(vm, T.VALUE_ERROR, "Cannot specify both ',' and '_'.");
    sp.grouping = "_";
    i++;
  }
  if (chAt(s, i) === "," && sp.grouping === "_") throw raise(vm, T.VALUE_ERROR, "Cannot specify both ',' and '_'.");
  if (chAt(s, i) === ".") {
    sp.precision = readInt(vm, s, i + 1);
    if (sp.precision < 0) throw raise(vm, T.VALUE_ERROR, "Format specifier missing precision");
    i = pos;
  }
  const rest = s.length - i;
  if (rest > 0 && rest !== utf8SeqLen(s.charCodeAt(i)))
    throw raise(vm, T.VALUE_ERROR, "Invalid format specifier '" + s + "' for object of type '" + typeNameJs(vm, tv) + "'");
  if (rest > 0) sp.type = s.substr(i);
  if (sp.grouping) {
    c = sp.type;
    if (c === "b" || c === "o" || c === "x" || c === "X") {
      if (sp.grouping !== "_") throw raise(vm, T.VALUE_ERROR, "Cannot specify ',' with '" + c + "'.");
    } else if (c !== "" && ("defgEG%F".indexOf(c) < 0 || c.length !== 1)) throw raise(vm, T.VALUE_ERROR, "Cannot specify '" + sp.grouping + "' with " + codeName(c) + ".");
  }
  return sp;
}

/** A presentation type for messages: 'x', or '\x..' outside printable ASCII. */
function codeName(c: string): string {
  const k = c.charCodeAt(0);
  if (k > 32 && k < 127) return "'" + c + "'";
  const b = new Uint8Array(4);
  for (let j = 0; j < c.length; j++) b[j] = c.charCodeAt(j);
  return "'\\x" + (c.length > 1 ? utf8DecodeBytes(b) : k).toString(16) + "'";
}

function utf8DecodeBytes(b: Uint8Array): number {
  const c = b[0];
  if (c < 0xe0) return ((c & 0x1f) << 6) | (b[1] & 0x3f);
  if (c < 0xf0) return ((c & 0x0f) << 12) | ((b[1] & 0x3f) << 6) | (b[2] & 0x3f);
  return ((c & 0x07) << 18) | ((b[1] & 0x3f) << 12) | ((b[2] & 0x3f) << 6) | (b[3] & 0x3f);
}

function unknownCode(vm: Vm, c: string, tv: number): unknown {
  return raise(vm, T.VALUE_ERROR, "Unknown format code " + codeName(c) + " for object of type '" + typeNameJs(vm, tv) + "'");
}

/** Characters (not bytes) in a byte string. */
function charLen(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if ((s.charCodeAt(i) & 0xc0) !== 0x80) n++;
  return n;
}

const SPACES = "                                ";
const ZEROS = "00000000000000000000000000000000";

/** s repeated n times (none when n <= 0): padding of up to 32 spaces or zeros is a piece of a constant. */
function repeat(s: string, n: number): string {
  if (n <= 32 && (s === " " || s === "0")) return n > 0 ? (s === " " ? SPACES : ZEROS).substr(0, n) : "";
  let r = "";
  for (; n > 0; n >>= 1) {
    if (n & 1) r += s;
    if (n > 1) s += s;
  }
  return r;
}

/** Pad a whole piece (no sign handling) to the width. */
function padStr(sp: Spec, body: string): string {
  const n = sp.width - charLen(body);
  if (n <= 0) return body;
  if (sp.align === "<") return body + repeat(sp.fill, n);
  if (sp.align === "^") return repeat(sp.fill, n >> 1) + body + repeat(sp.fill, n - (n >> 1));
  return repeat(sp.fill, n) + body;
}

/**
 * Digits with separators every `every` from the right, zero-filled (grouped too) up to minw characters: CPython's
 * _PyUnicode_InsertThousandsGrouping. Without a separator it only zero-fills.
 */
function group(d: string, sep: string, every: number, minw: number): string {
  if (!sep) return repeat("0", minw - d.length) + d;
  let out = "";
  let rem = d.length;
  for (let first = true; ; first = false) {
    let len = rem > minw ? rem : minw;
    if (len < 1) len = 1;
    if (len > every) len = every;
    const chars = rem < len ? rem : len;
    const piece = repeat("0", len - chars) + d.substring(rem - chars, rem);
    out = first ? piece : piece + sep + out;
    rem -= chars;
    minw -= len;
    if (rem <= 0 && minw <= 0) break;
    minw -= 1;
  }
  return out;
}

/**
 * Lay out a number as CPython's calc_number_widths does: sign, prefix, integer digits (grouped), the rest (fraction,
 * exponent, %), padded by the alignment; "=" pads between the prefix and the digits, zero fill joins the groups.
 */
function numLayout(sp: Spec, sign: string, prefix: string, digits: string, rest: string, every: number): string {
  const nonDigit = sign.length + prefix.length + charLen(rest);
  if (digits.length && (sp.grouping || (sp.fill === "0" && sp.align === "=")))
    digits = group(digits, sp.grouping, every, sp.fill === "0" && sp.align === "=" ? sp.width - nonDigit : 0);
  const n = sp.width - nonDigit - digits.length;
  if (n <= 0) return sign + prefix + digits + rest;
  switch (sp.align) {
    case "<": return sign + prefix + digits + rest + repeat(sp.fill, n);
    case "^": return repeat(sp.fill, n >> 1) + sign + prefix + digits + rest + repeat(sp.fill, n - (n >> 1));
    case "=": return sign + prefix + repeat(sp.fill, n) + digits + rest;
  }
  return repeat(sp.fill, n) + sign + prefix + digits + rest;
}

function signOf(sp: Spec, neg: boolean): string {
  return neg ? "-" : sp.sign === "+" ? "+" : sp.sign === " " ? " " : "";
}

function formatIntSpec(vm: Vm, v: number, sp: Spec, tv: number): string {
  const t = sp.type;
  if (t === "e" || t === "E" || t === "f" || t === "F" || t === "g" || t === "G" || t === "%") {
    const x = intToDouble(vm, v);
    if (x === Infinity || x === -Infinity) throw raise(vm, T.OVERFLOW_ERROR, "int too large to convert to float");
    return formatFloatSpec(vm, x, sp, tv);
  }
  if (t.length !== 1 || "bcdoxXn".indexOf(t) < 0) throw unknownCode(vm, t, tv);
  if (sp.precision >= 0) throw raise(vm, T.VALUE_ERROR, "Precision not allowed in integer format specifier");
  if (sp.z) throw raise(vm, T.VALUE_ERROR, "Negative zero coercion (z) not allowed in integer format specifier");
  if (t === "c") {
    if (sp.sign) throw raise(vm, T.VALUE_ERROR, "Sign not allowed with integer format specifier 'c'");
    if (sp.alt) throw raise(vm, T.VALUE_ERROR, "Alternate form (#) not allowed with integer format specifier 'c'");
    return numLayout(sp, "", "", "", charOf(vm, v, false), 3);
  }
  const neg = intSign(vm, v) < 0;
  const a = intAbs(vm, v);
  const radix = t === "b" ? 2 : t === "o" ? 8 : t === "x" || t === "X" ? 16 : 10;
  let digits = intToString(vm, a, radix);
  if (t === "X") digits = digits.toUpperCase();
  const prefix = sp.alt && radix !== 10 ? "0" + (t === "o" ? "o" : t === "b" ? "b" : t) : "";
  return numLayout(sp, signOf(sp, neg), prefix, digits, "", radix === 10 ? 3 : 4);
}

/** The character of code point v for 'c' formats. */
function charOf(vm: Vm, v: number, pct: boolean): string {
  if (!(v & 1) && v !== LY.TRUE && v !== LY.FALSE) throw raise(vm, T.OVERFLOW_ERROR, pct ? "%c arg not in range(0x110000)" : "Python int too large to convert to C long");
  const cp = toIndex(vm, v, "c");
  if (cp < 0 || cp > 0x10ffff) throw raise(vm, T.OVERFLOW_ERROR, "%c arg not in range(0x110000)");
  return chr(cp);
}

export function chr(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  if (cp < 0x10000) return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  return String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
}

/** The sign-less text of a float for a format type ("" = repr-like), with 'z' applied to the sign. */
let fneg = false;
function floatBody(x: number, t: string, prec: number, alt: boolean, z: boolean): string {
  fneg = x < 0 || (x === 0 && 1 / x < 0);
  const body = floatFormat(fneg ? -x : x, t, prec, alt);
  if (fneg && z) {
    // negative zero after rounding loses its sign: no nonzero digit before the exponent
    let nz = body.charCodeAt(0) > 57; // inf, nan
    for (let i = 0; i < body.length; i++) {
      const c = body.charCodeAt(i);
      if (c === 101 || c === 69) break;
      if (c >= 49 && c <= 57) nz = true;
    }
    if (!nz) fneg = false;
  }
  return body;
}

function formatFloatSpec(vm: Vm, x: number, sp: Spec, tv: number): string {
  const t = sp.type;
  if (t !== "" && (t.length !== 1 || "eEfFgGn%".indexOf(t) < 0)) throw unknownCode(vm, t, tv);
  const body = floatBody(x, t, sp.precision, sp.alt, sp.z);
  let i = 0;
  while (i < body.length && body.charCodeAt(i) >= 48 && body.charCodeAt(i) <= 57) i++;
  return numLayout(sp, signOf(sp, fneg), "", body.substr(0, i), body.substr(i), 3);
}

function formatStrSpec(vm: Vm, s: string, sp: Spec, tv: number): string {
  if (sp.type !== "s") throw unknownCode(vm, sp.type, tv);
  if (sp.sign) throw raise(vm, T.VALUE_ERROR, (sp.sign === " " ? "Space" : "Sign") + " not allowed in string format specifier");
  if (sp.z) throw raise(vm, T.VALUE_ERROR, "Negative zero coercion (z) not allowed in string format specifier");
  if (sp.alt) throw raise(vm, T.VALUE_ERROR, "Alternate form (#) not allowed in string format specifier");
  if (sp.align === "=") throw raise(vm, T.VALUE_ERROR, "'=' alignment not allowed in string format specifier");
  if (sp.precision >= 0) s = charSlice(s, sp.precision);
  return padStr(sp, s);
}

/** The first n characters of a byte string. */
function charSlice(s: string, n: number): string {
  let i = 0;
  while (i < s.length && n > 0) {
    i += utf8SeqLen(s.charCodeAt(i));
    n--;
  }
  return s.substr(0, i);
}

/** format(v, spec) for a spec given as a JS byte string. */
export function formatJs(vm: Vm, v: number, spec: string): string {
  const k = kindOf(vm, v);
  if (k === K.INST || k === K.NATIVE_OBJ || k === K.EXC || k === K.TYPE) {
    const m = lookupSpecial(vm, v, qw(Q.__format__));
    if (m !== LY.NULL && (m & 3) !== 2) {
      const r = call2(vm, m, v, str(vm, spec));
      if (!isStrW(vm, r)) throw raise(vm, T.TYPE_ERROR, "__format__ must return a str, not " + typeNameJs(vm, r));
      return jstr(vm, r);
    }
    const u = unwrap(vm, v);
    if (u !== v) {
      if (spec === "") return strJs(vm, v);
      return formatBuiltin(vm, u, spec, v);
    }
    if (spec !== "") throw raise(vm, T.TYPE_ERROR, "unsupported format string passed to " + typeNameJs(vm, v) + ".__format__");
    return strJs(vm, v);
  }
  if (spec === "") return strJs(vm, v);
  return formatBuiltin(vm, v, spec, v);
}

function formatBuiltin(vm: Vm, v: number, spec: string, tv: number): string {
  if (isIntLike(vm, v)) return formatIntSpec(vm, v, parseSpec(vm, spec, tv, "d", ">"), tv);
  if (isFloat(vm, v)) return formatFloatSpec(vm, floatVal(vm, v), parseSpec(vm, spec, tv, "", ">"), tv);
  if (isStrW(vm, v)) return formatStrSpec(vm, jstr(vm, v), parseSpec(vm, spec, tv, "s", "<"), tv);
  throw raise(vm, T.TYPE_ERROR, "unsupported format string passed to " + typeNameJs(vm, tv) + ".__format__");
}

/** format(v, spec) with spec a str word (or NULL for ""), as a str word. */
export function formatObject(vm: Vm, v: number, spec: number): number {
  const s = spec === LY.NULL ? "" : jstr(vm, spec);
  if (s === "" && isStrW(vm, v)) return v;
  return str(vm, formatJs(vm, v, s));
}

// --- printf-style ------------------------------------------------------------------------------------------------------

/** A number for %d/%i/%u (int of it) or %o/%x/%X (its __index__); TypeError otherwise. */
function percentInt(vm: Vm, v: number, conv: string): number {
  if (isIntLike(vm, v)) return v;
  const idx = conv === "o" || conv === "x" || conv === "X";
  if (isFloat(vm, v) && !idx) return toInt(vm, v);
  const m = idx ? lookupSpecial(vm, v, qw(Q.__index__)) : lookupSpecial(vm, v, qw(Q.__int__));
  const m2 = idx ? LY.NULL : lookupSpecial(vm, v, qw(Q.__index__));
  const f = m !== LY.NULL ? m : m2;
  if (f !== LY.NULL && (f & 3) === 0) {
    const r = call1(vm, f, v);
    if (isIntLike(vm, r)) return r;
  }
  const u = unwrap(vm, v);
  if (u !== v) return percentInt(vm, u, conv);
  if (!idx && lookupSpecial(vm, v, qw(Q.__float__)) !== LY.NULL) return toInt(vm, call1(vm, lookupSpecial(vm, v, qw(Q.__float__)), v));
  throw raise(vm, T.TYPE_ERROR, "%" + conv + " format: " + (idx ? "an integer" : "a real number") + " is required, not " + typeNameJs(vm, v));
}

function percentFloat(vm: Vm, v: number): number {
  if (isFloat(vm, v)) return floatVal(vm, v);
  if (isIntLike(vm, v)) {
    const x = intToDouble(vm, v);
    if (x === Infinity || x === -Infinity) throw raise(vm, T.OVERFLOW_ERROR, "int too large to convert to float");
    return x;
  }
  const m = lookupSpecial(vm, v, qw(Q.__float__));
  if (m !== LY.NULL && (m & 3) === 0) {
    const r = call1(vm, m, v);
    if (isFloat(vm, r)) return floatVal(vm, r);
  }
  const mi = lookupSpecial(vm, v, qw(Q.__index__));
  if (mi !== LY.NULL && (mi & 3) === 0) return percentFloat(vm, call1(vm, mi, v));
  const u = unwrap(vm, v);
  if (u !== v) return percentFloat(vm, u);
  throw raise(vm, T.TYPE_ERROR, "must be real number, not " + typeNameJs(vm, v));
}

/** The bytes of a bytes-like object or of __bytes__(), for %b and %s in bytes formatting. */
function bytesArg(vm: Vm, v: number): string {
  const k = kindOf(vm, v);
  if (k !== K.BYTES && k !== K.BYTEARRAY) {
    const m = lookupSpecial(vm, v, qw(Q.__bytes__));
    if (m === LY.NULL || (m & 3) === 2)
      throw raise(vm, T.TYPE_ERROR, "%b requires a bytes-like object, or an object that implements __bytes__, not '" + typeNameJs(vm, v) + "'");
    v = call1(vm, m, v);
  }
  const b = bytesView(vm, v);
  let s = "";
  for (let i = 0; i < bvLen; i++) s += String.fromCharCode(b[bvOff + i]);
  return s;
}

/** fmt % args for str, or for bytes when `bytes` is set (fmt and the result are then raw bytes). */
export function percentFormat(vm: Vm, fmt: string, args: number, bytes: boolean): string {
  const H = vm.H;
  let ka = kindOf(vm, args);
  if ((ka === K.INST || ka === K.NATIVE_OBJ) && isSubtype(vm, typeOf(vm, args), imm(T.TUPLE))) {
    // a tuple subclass (namedtuple, attrtuple…) supplies its items
    args = listOf(vm, args);
    ka = K.TUPLE;
  }
  vm.tpush(args);
  const r = percentFormat2(vm, fmt, args, bytes, ka);
  vm.tpop(1);
  return r;
}

/** The next positional argument of a printf-style format (ai: its index), or TypeError when they ran out. */
function pfArg(vm: Vm, args: number, isTuple: boolean, ai: number, n: number): number {
  if (ai >= n) throw raise(vm, T.TYPE_ERROR, "not enough arguments for format string");
  return isTuple ? vm.H[seqItems(vm, args) + ai] : args;
}

/** ValueError for the conversion `conv` at byte `at` of fmt (the message gives its character index). */
function badConv(vm: Vm, fmt: string, at: number, conv: string, bytes: boolean): unknown {
  const cp = conv.length > 1 ? utf8DecodeBytes(new Uint8Array([conv.charCodeAt(0), conv.charCodeAt(1), conv.charCodeAt(2) || 0, conv.charCodeAt(3) || 0])) : conv.charCodeAt(0);
  return raise(vm, T.VALUE_ERROR, "unsupported format character '" + (cp >= 31 && cp <= 126 ? conv : "?") + "' (0x" + cp.toString(16) + ") at index " + (bytes ? at : charLen(fmt.substr(0, at))));
}

function percentFormat2(vm: Vm, fmt: string, args: number, bytes: boolean, ka: number): string {
  const isTuple = ka === K.TUPLE;
  const n = isTuple ? seqLen(vm, args) : 1;
  // a "mapping" as CPython sees it: anything subscriptable but a tuple or a str (so a list too)
  const isMap = !isTuple && !isStrW(vm, args) && ka !== K.BYTES && ka !== K.BYTEARRAY &&
    (ka === K.DICT || ka === K.LIST || ((ka === K.INST || ka === K.NATIVE_OBJ) && lookupSpecial(vm, args, qw(Q.__getitem__)) !== LY.NULL));
  let ai = 0;
  let out = "";
  let i = 0;
  // one spec per call (not per conversion), reset for each: a nested format (from __str__, __index__…) has its own
  const sp: Spec = { fill: " ", align: ">", sign: "", z: false, alt: false, width: -1, grouping: "", precision: -1, type: "" };
  while (i < fmt.length) {
    // the text up to the next '%' in one piece (a plain loop: format strings are short, a call costs more)
    let j = i;
    while (j < fmt.length && fmt.charCodeAt(j) !== 37) j++;
    if (j > i) {
      out += i === 0 && j === fmt.length ? fmt : fmt.substring(i, j);
      i = j;
      continue;
    }
    i++;
    if (fmt.charCodeAt(i) === 37) {
      out += "%";
      i++;
      continue;
    }
    let val = LY.NULL;
    if (chAt(fmt, i) === "(") {
      if (!isMap) throw raise(vm, T.TYPE_ERROR, "format requires a mapping");
      let depth = 1;
      const st = ++i;
      while (i < fmt.length && depth > 0) {
        if (chAt(fmt, i) === "(") depth++;
        else if (chAt(fmt, i) === ")") depth--;
        i++;
      }
      if (depth > 0) throw raise(vm, T.VALUE_ERROR, "incomplete format key");
      const key = bytes ? bytesFromJs(vm, fmt.substring(st, i - 1)) : str(vm, fmt.substring(st, i - 1));
      vm.tpush(key);
      val = getItem(vm, args, key);
      vm.tpop(1);
      ai = n; // "not enough arguments" for any positional use from now on
    }
    sp.fill = " ";
    sp.align = ">";
    sp.sign = "";
    sp.alt = false;
    sp.precision = -1;
    let left = false;
    let zero = false;
    for (; i < fmt.length; i++) {
      const f = fmt.charCodeAt(i);
      if (f === 45) left = true; // -
      else if (f === 43) sp.sign = "+";
      else if (f === 32) {
        if (sp.sign !== "+") sp.sign = " ";
      } else if (f === 35) sp.alt = true; // #
      else if (f === 48) zero = true; // 0
      else break;
    }
    if (chAt(fmt, i) === "*") {
      const w = pfArg(vm, args, isTuple, ai++, n);
      if (!isIntLike(vm, w)) throw raise(vm, T.TYPE_ERROR, "* wants int");
      sp.width = toIndex(vm, w, "width");
      if (sp.width < 0) {
        left = true;
        sp.width = -sp.width;
      }
      i++;
    } else {
      sp.width = readInt(vm, fmt, i);
      i = pos;
    }
    if (chAt(fmt, i) === ".") {
      i++;
      if (chAt(fmt, i) === "*") {
        const p = pfArg(vm, args, isTuple, ai++, n);
        if (!isIntLike(vm, p)) throw raise(vm, T.TYPE_ERROR, "* wants int");
        sp.precision = toIndex(vm, p, "precision");
        if (sp.precision < 0) sp.precision = 0;
        i++;
      } else {
        sp.precision = readInt(vm, fmt, i);
        if (sp.precision < 0) sp.precision = 0;
        i = pos;
      }
    }
    if (sp.width > vm.U8.length || sp.precision > vm.U8.length) throw raise(vm, T.MEMORY_ERROR, null);
    if (i < fmt.length) {
      const c = fmt.charCodeAt(i);
      if (c === 104 || c === 108 || c === 76) i++; // one length modifier h, l or L, ignored (as CPython: "%lld" is an error)
    }
    if (i >= fmt.length) throw raise(vm, T.VALUE_ERROR, "incomplete format");
    const at = i;
    const clen = bytes ? 1 : utf8SeqLen(fmt.charCodeAt(i));
    const conv = clen === 1 ? chAt(fmt, i) : fmt.substr(i, clen);
    i += clen;
    if (val === LY.NULL) val = pfArg(vm, args, isTuple, ai++, n);
    vm.tpush(val);
    if (left) sp.align = "<";
    let piece: string;
    // each kind of conversion out of line: this loop stays small enough for V8 to optimize early
    switch (conv) {
      case "s":
      case "r":
      case "a":
      case "b":
        piece = pfStr(vm, fmt, at, conv, val, sp, bytes);
        break;
      case "d":
      case "i":
      case "u":
      case "o":
      case "x":
      case "X":
        piece = pfInt(vm, conv, val, sp, zero && !left);
        break;
      case "e":
      case "E":
      case "f":
      case "F":
      case "g":
      case "G":
        piece = pfFloat(vm, conv, val, sp, zero && !left);
        break;
      case "c":
        piece = pfChar(vm, val, sp, bytes);
        break;
      default:
        throw badConv(vm, fmt, at, conv, bytes);
    }
    vm.tpop(1);
    out += piece;
  }
  if (ai < n && !isMap) throw raise(vm, T.TYPE_ERROR, "not all arguments converted during " + (bytes ? "bytes" : "string") + " formatting");
  return out;
}

/** %s %r %a %b: the text of val, cut to the precision and padded. */
function pfStr(vm: Vm, fmt: string, at: number, conv: string, val: number, sp: Spec, bytes: boolean): string {
  let s: string;
  if (bytes && (conv === "s" || conv === "b")) s = bytesArg(vm, val);
  else if (conv === "b") throw badConv(vm, fmt, at, conv, bytes);
  else if (conv === "s") s = isStrW(vm, val) ? jstr(vm, val) : strJs(vm, val);
  else if (conv === "r" && !bytes) s = reprJs(vm, val);
  else s = asciiEscape(reprJs(vm, val));
  if (sp.precision >= 0) s = bytes ? s.substr(0, sp.precision) : charSlice(s, sp.precision);
  return bytes ? padBytes(sp, s) : padStr(sp, s);
}

/** %d %i %u %o %x %X; `zero`: the 0 flag without the - flag. */
function pfInt(vm: Vm, conv: string, val: number, sp: Spec, zero: boolean): string {
  const radix = conv === "o" ? 8 : conv === "x" || conv === "X" ? 16 : 10;
  let digits: string;
  let neg: boolean;
  if (val & 1) {
    // a small int: its digits straight from the number
    const x = val >> 1;
    neg = x < 0;
    digits = (neg ? -x : x).toString(radix);
  } else {
    const v = percentInt(vm, val, conv);
    vm.tpush(v);
    neg = intSign(vm, v) < 0;
    digits = intToString(vm, intAbs(vm, v), radix);
    vm.tpop(1);
  }
  if (conv === "X") digits = digits.toUpperCase();
  if (sp.precision > digits.length) digits = repeat("0", sp.precision - digits.length) + digits;
  if (zero) {
    sp.fill = "0";
    sp.align = "=";
  }
  const prefix = sp.alt && radix !== 10 ? "0" + conv : "";
  return numLayout(sp, signOf(sp, neg), prefix, digits, "", 3);
}

/** %e %E %f %F %g %G. */
function pfFloat(vm: Vm, conv: string, val: number, sp: Spec, zero: boolean): string {
  const x = percentFloat(vm, val);
  if (zero) {
    sp.fill = "0";
    sp.align = "=";
  }
  const body = floatBody(x, conv, sp.precision < 0 ? 6 : sp.precision, sp.alt, false);
  let k = 0;
  while (k < body.length && body.charCodeAt(k) >= 48 && body.charCodeAt(k) <= 57) k++;
  return numLayout(sp, signOf(sp, fneg), "", body.substr(0, k), body.substr(k), 3);
}

/** %c: one character (str), or one byte (bytes), padded. */
function pfChar(vm: Vm, val: number, sp: Spec, bytes: boolean): string {
  let s: string;
  if (bytes) {
    const kv = kindOf(vm, val);
    if (isIntLike(vm, val)) {
      const b = toIndex(vm, val, "c");
      if (b < 0 || b > 255) throw raise(vm, T.OVERFLOW_ERROR, "%c arg not in range(256)");
      s = String.fromCharCode(b);
    } else if ((kv === K.BYTES || kv === K.BYTEARRAY) && (bytesView(vm, val), bvLen === 1)) s = bytesArg(vm, val);
    else throw raise(vm, T.TYPE_ERROR, "%c requires an integer in range(256) or a single byte");
    return padBytes(sp, s);
  }
  if (isStrW(vm, val)) {
    if (sclen(vm, val) !== 1) throw raise(vm, T.TYPE_ERROR, "%c requires int or char");
    s = jstr(vm, val);
  } else {
    let v = val;
    if (!isIntLike(vm, v)) {
      const m = lookupSpecial(vm, v, qw(Q.__index__));
      if (m === LY.NULL || (m & 3) === 2) throw raise(vm, T.TYPE_ERROR, "%c requires int or char");
      v = call1(vm, m, v);
    }
    s = charOf(vm, v, true);
  }
  return padStr(sp, s);
}

function padBytes(sp: Spec, s: string): string {
  const n = sp.width - s.length;
  if (n <= 0) return s;
  return sp.align === "<" ? s + repeat(" ", n) : repeat(" ", n) + s;
}


// --- str.format --------------------------------------------------------------------------------------------------------

/** Automatic field numbering state shared by a format string and its nested specs: [next number, 0/1 auto/2 manual]. */
type AutoNum = number[];

/** fmt.format(*args, **kwargs): args are H[a … a+n-1] (n -1: format_map, no positional args); kwargs a mapping or NULL. */
export function strFormat(vm: Vm, fmt: string, a: number, n: number, kwargs: number): string {
  return buildFormat(vm, fmt, a, n, kwargs, 2, [0, 0]);
}

function buildFormat(vm: Vm, fmt: string, a: number, n: number, kwargs: number, depth: number, an: AutoNum): string {
  if (depth <= 0) throw raise(vm, T.VALUE_ERROR, "Max string recursion exceeded");
  let out = "";
  let i = 0;
  while (i < fmt.length) {
    // the text up to the next brace in one piece
    let j = i;
    while (j < fmt.length && fmt.charCodeAt(j) !== 123 && fmt.charCodeAt(j) !== 125) j++;
    if (j > i) {
      out += i === 0 && j === fmt.length ? fmt : fmt.substring(i, j);
      i = j;
      continue;
    }
    const c = chAt(fmt, i++);
    if (c === "}") {
      if (chAt(fmt, i) !== "}") throw raise(vm, T.VALUE_ERROR, "Single '}' encountered in format string");
      out += "}";
      i++;
      continue;
    }
    if (c !== "{") {
      out += c;
      continue;
    }
    if (i >= fmt.length) throw raise(vm, T.VALUE_ERROR, "Single '{' encountered in format string");
    if (chAt(fmt, i) === "{") {
      out += "{";
      i++;
      continue;
    }
    // the field name ends at '}', ':' or '!' outside brackets
    const st = i;
    let d = "";
    while (i < fmt.length) {
      d = chAt(fmt, i++);
      if (d === "{") throw raise(vm, T.VALUE_ERROR, "unexpected '{' in field name");
      if (d === "[") {
        while (i < fmt.length && chAt(fmt, i) !== "]") i++;
        d = "";
        continue;
      }
      if (d === "}" || d === ":" || d === "!") break;
      d = "";
    }
    const name = fmt.substring(st, d ? i - 1 : i);
    let conv = "";
    let spec = "";
    let nested = false;
    if (d === "!" || d === ":") {
      let done = false;
      if (d === "!") {
        if (i >= fmt.length) throw raise(vm, T.VALUE_ERROR, "end of string while looking for conversion specifier");
        conv = chAt(fmt, i++);
        if (i < fmt.length) {
          d = chAt(fmt, i++);
          if (d === "}") done = true;
          else if (d !== ":") throw raise(vm, T.VALUE_ERROR, "expected ':' after conversion specifier");
        }
      }
      if (!done) {
        const ss = i;
        let count = 1;
        while (i < fmt.length) {
          const e = chAt(fmt, i++);
          if (e === "{") {
            nested = true;
            count++;
          } else if (e === "}" && --count === 0) break;
        }
        if (count) throw raise(vm, T.VALUE_ERROR, "unmatched '{' in format spec");
        spec = fmt.substring(ss, i - 1);
      }
    } else if (d !== "}") throw raise(vm, T.VALUE_ERROR, "expected '}' before end of string");
    let v = fieldValue(vm, name, a, n, kwargs, an);
    vm.tpush(v);
    if (conv) {
      if (conv === "r") v = str(vm, reprJs(vm, v));
      else if (conv === "s") v = str(vm, strJs(vm, v));
      else if (conv === "a") v = str(vm, asciiEscape(reprJs(vm, v)));
      else {
        const cc = conv.charCodeAt(0);
        throw raise(vm, T.VALUE_ERROR, "Unknown conversion specifier " + (cc > 32 && cc < 127 ? conv : "\\x" + cc.toString(16)));
      }
      vm.tpop(1);
      vm.tpush(v);
    }
    if (nested) spec = buildFormat(vm, spec, a, n, kwargs, depth - 1, an);
    out += formatJs(vm, v, spec);
    vm.tpop(1);
  }
  return out;
}

/** A decimal index, -1 if s is not all digits (or empty). */
function fieldIndex(vm: Vm, s: string): number {
  if (!s.length) return -1;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 48 || s.charCodeAt(i) > 57) return -1;
  if (s.length > 18) throw raise(vm, T.VALUE_ERROR, "Too many decimal digits in format string");
  return parseInt(s, 10);
}

function fieldValue(vm: Vm, name: string, a: number, n: number, kwargs: number, an: AutoNum): number {
  const H = vm.H;
  let j = 0;
  while (j < name.length && chAt(name, j) !== "." && chAt(name, j) !== "[") j++;
  const first = name.substr(0, j);
  let idx = fieldIndex(vm, first);
  if (first === "" || idx >= 0) {
    if (an[1] === 0) an[1] = first === "" ? 1 : 2;
    if (an[1] === 2 && first === "") throw raise(vm, T.VALUE_ERROR, "cannot switch from manual field specification to automatic field numbering");
    if (an[1] === 1 && first !== "") throw raise(vm, T.VALUE_ERROR, "cannot switch from automatic field numbering to manual field specification");
    if (first === "") idx = an[0]++;
  }
  let v: number;
  if (idx < 0) {
    const key = str(vm, first);
    if (kwargs === LY.NULL) throw raiseWith(vm, T.KEY_ERROR, key);
    vm.tpush(key);
    v = getItem(vm, kwargs, key);
    vm.tpop(1);
  } else {
    if (n < 0) throw raise(vm, T.VALUE_ERROR, "Format string contains positional fields");
    if (idx >= n) throw raise(vm, T.INDEX_ERROR, "Replacement index " + idx + " out of range for positional args tuple");
    v = H[a + idx];
  }
  // .attr and [key] parts
  while (j < name.length) {
    const c = chAt(name, j++);
    let e = j;
    let key: string;
    vm.tpush(v);
    if (c === ".") {
      while (e < name.length && chAt(name, e) !== "." && chAt(name, e) !== "[") e++;
      key = name.substring(j, e);
      if (!key) throw raise(vm, T.VALUE_ERROR, "Empty attribute in format string");
      v = getAttr(vm, v, internJs(vm, key)); // interned, as attribute names are
      j = e;
    } else if (c === "[") {
      while (e < name.length && chAt(name, e) !== "]") e++;
      if (e >= name.length) throw raise(vm, T.VALUE_ERROR, "Missing ']' in format string");
      key = name.substring(j, e);
      if (!key) throw raise(vm, T.VALUE_ERROR, "Empty attribute in format string");
      const ki = fieldIndex(vm, key);
      v = getItem(vm, v, ki >= 0 ? (ki << 1) | 1 : str(vm, key));
      j = e + 1;
    } else throw raise(vm, T.VALUE_ERROR, "Only '.' or '[' may follow ']' in format field specifier");
    vm.tpop(1);
  }
  return v;
}


export { TUP_ITEMS };
