// int, float and bool: their constructors (int("ff", 16), float("inf"), bool(x)) and methods (bit_length, bit_count,
// to_bytes/from_bytes, as_integer_ratio, is_integer, float.hex/fromhex…), with CPython's parsing rules and messages.
import { K, NONE, SEQ_LEN, smi, imm, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise } from "../vm/exc";
import { native, defineAttrs, NF_KW, NF_METHOD, NF_CLASSMETHOD } from "../vm/registry";
import { NF_PROP } from "../vm/attr";
import { defineCtor } from "./class";
import { kindOf, typeNameJs, truthy, lookupSpecial, toIndex, unwrap, bytesView, bvOff, bvLen, isBuffer } from "../vm/ops";
import { call1 } from "../vm/call";
import { jstr, qw, allocStr, str, sbuf, soff, slen } from "./str";
import {
  isFloat, floatVal, newFloat, isIntLike, intFromDigits, intFromDouble, intFromNumber, intToDouble, intBitLength, intSign, intAbs,
  intToString, intNeg, isBig, intShift, intBitCount, finishBig, ldexp,
} from "./num";
import { parseFloatStr, floatRepr } from "../float";
import * as B from "../bigint";
import { newTuple, seqItems, seqLen } from "./seq";
import { kwArg, checkKw } from "../modules/builtins";
import { reprJs } from "./repr";
import { S, asciiNumber } from "./strmethods";
import { formatObject } from "./format";
import { listOf } from "./items";

const DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";

function digitVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 122) return c - 87;
  if (c >= 65 && c <= 90) return c - 55;
  return 99;
}

function isStrW(vm: Vm, w: number): boolean {
  return (w & 3) === 2 ? w >> 2 >= LY.QSTR_BASE : kindOf(vm, w) === K.STR;
}

/** The repr of a literal for error messages: at most 200 characters of it, as CPython shows it. */
function litRepr(vm: Vm, w: number): string {
  const r = reprJs(vm, w);
  return r.length > 200 ? r.substr(0, 200) : r;
}

/**
 * int(s, base) of a str of at most 9 digits and nothing else (no sign, space, prefix or underscore), read in place;
 * NULL for anything else, which parseIntText then handles (and explains). 9 digits of base 36 stay below 2^47.
 */
function plainDigits(vm: Vm, w: number, base: number): number {
  const n = slen(vm, w);
  if (n === 0 || n > 9) return LY.NULL;
  const b = sbuf(vm, w);
  const o = soff(vm, w);
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = digitVal(b[o + i]);
    if (d >= base) return LY.NULL;
    v = v * base + d;
  }
  return intFromNumber(vm, v);
}

/**
 * int(text, base) with Python's syntax: whitespace, sign, prefix (base 0 or matching), single underscores between
 * digits (and after a prefix), no leading zeros in base 0. `orig` is the str or bytes object for the message.
 */
export function parseIntText(vm: Vm, text: string, base: number, orig: number): number {
  // The common case, plain ASCII decimal digits (int(c) over a digit string, int(str(n))): no copies, no checks.
  const tl = text.length;
  if (tl > 0 && (base === 10 || (base === 0 && text.charCodeAt(0) !== 48))) {
    let j = 0;
    while (j < tl) {
      const c = text.charCodeAt(j);
      if (c < 48 || c > 57) break;
      j++;
    }
    if (j === tl) return intFromDigits(vm, text, 10, false);
  }
  let s = asciiNumber(text, isStrW(vm, orig));
  let i = 0;
  let n = s.length;
  while (i < n && s.charCodeAt(i) === 32) i++;
  while (n > i && s.charCodeAt(n - 1) === 32) n--;
  s = s.substring(i, n);
  const bad = function (): unknown {
    let o = orig;
    if (text.length > 200) o = isStrW(vm, orig) ? str(vm, text.substr(0, 200)) : orig;
    return raise(vm, T.VALUE_ERROR, "invalid literal for int() with base " + base + ": " + litRepr(vm, o));
  };
  let neg = false;
  if (s.charAt(0) === "+" || s.charAt(0) === "-") {
    neg = s.charAt(0) === "-";
    s = s.substr(1);
  }
  // a prefix matching the base (any prefix in base 0)
  const p = s.substr(0, 2).toLowerCase();
  const pb = p === "0x" ? 16 : p === "0o" ? 8 : p === "0b" ? 2 : 0;
  const prefixed = pb !== 0 && (base === 0 || base === pb);
  let b = prefixed ? pb : base;
  if (prefixed) s = s.substr(2);
  if (b === 0) {
    b = 10;
    // base 0: a decimal literal has no leading zeros (but "0", "00", "0_0" are fine)
    if (s.charAt(0) === "0") for (let j = 1; j < s.length; j++) if (s.charAt(j) !== "0" && s.charAt(j) !== "_") throw bad();
  }
  if (prefixed && s.charAt(0) === "_") s = s.substr(1);
  if (!s.length) throw bad();
  let clean = "";
  for (let j = 0; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 95) {
      if (j === 0 || j === s.length - 1 || s.charCodeAt(j + 1) === 95) throw bad();
      continue;
    }
    if (digitVal(c) >= b) throw bad();
    clean += String.fromCharCode(c);
  }
  return intFromDigits(vm, clean.toLowerCase(), b, neg);
}

/** int(x): the integer value of a number, a string or an object with __int__/__index__/__trunc__. */
export function toInt(vm: Vm, x: number): number {
  if (x & 1) return x;
  if (x === LY.TRUE) return 3;
  if (x === LY.FALSE) return 1;
  const k = kindOf(vm, x);
  if (k === K.BIGINT) return x;
  if (k === K.FLOAT) {
    const v = floatVal(vm, x);
    if (v !== v) throw raise(vm, T.VALUE_ERROR, "cannot convert float NaN to integer");
    if (v === Infinity || v === -Infinity) throw raise(vm, T.OVERFLOW_ERROR, "cannot convert float infinity to integer");
    return intFromDouble(vm, v < 0 ? -Math.floor(-v) : Math.floor(v));
  }
  if (isStrW(vm, x)) {
    const v = plainDigits(vm, x, 10);
    return v !== LY.NULL ? v : parseIntText(vm, S(vm, x), 10, x);
  }
  if (isBuffer(vm, x)) return parseIntText(vm, S(vm, x), 10, x);
  const names = [Q.__int__, Q.__index__, Q.__trunc__];
  for (let i = 0; i < names.length; i++) {
    const m = lookupSpecial(vm, x, qw(names[i]));
    if (m !== LY.NULL && (m & 3) === 0) {
      const r = call1(vm, m, x);
      if (!isIntLike(vm, r)) {
        const u = unwrap(vm, r);
        if (u !== r && isIntLike(vm, u)) return u;
        throw raise(vm, T.TYPE_ERROR, jstr(vm, (names[i] << 2) | 2) + " returned non-int (type " + typeNameJs(vm, r) + ")");
      }
      return r;
    }
  }
  const u = unwrap(vm, x);
  if (u !== x) return toInt(vm, u);
  throw raise(vm, T.TYPE_ERROR, "int() argument must be a string, a bytes-like object or a real number, not '" + typeNameJs(vm, x) + "'");
}

function intCtor(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  if (kw !== LY.NULL) checkKw(vm, "int", kw, [qw(Q.base)]);
  let base = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.base));
  if (n === 0) {
    if (base !== LY.NULL) throw raise(vm, T.TYPE_ERROR, "int() missing string argument");
    return 1;
  }
  const x = H[a];
  if (base === LY.NULL) return toInt(vm, x);
  const u = unwrap(vm, x);
  if (!isStrW(vm, u) && !isBuffer(vm, u)) throw raise(vm, T.TYPE_ERROR, "int() can't convert non-string with explicit base");
  if (!isIntLike(vm, base) && !(kindOf(vm, base) === K.INST && lookupSpecial(vm, base, qw(Q.__index__)) !== LY.NULL))
    throw raise(vm, T.TYPE_ERROR, "'" + typeNameJs(vm, base) + "' object cannot be interpreted as an integer");
  base = toIndex(vm, base, "base");
  if (base !== 0 && (base < 2 || base > 36)) throw raise(vm, T.VALUE_ERROR, "int() base must be >= 2 and <= 36, or 0");
  if (base !== 0 && isStrW(vm, u)) {
    const v = plainDigits(vm, u, base);
    if (v !== LY.NULL) return v;
  }
  return parseIntText(vm, S(vm, u), base, u);
}

/** float(x) */
export function toFloat(vm: Vm, x: number): number {
  if (isFloat(vm, x)) return floatVal(vm, x);
  if (isIntLike(vm, x)) {
    const v = intToDouble(vm, x);
    if (v === Infinity || v === -Infinity) throw raise(vm, T.OVERFLOW_ERROR, "int too large to convert to float");
    return v;
  }
  if (isStrW(vm, x) || isBuffer(vm, x)) {
    const s = S(vm, x);
    const v = parseFloatStr(asciiNumber(s, isStrW(vm, x)));
    if (v === null) throw raise(vm, T.VALUE_ERROR, "could not convert string to float: " + litRepr(vm, x));
    return v;
  }
  const m = lookupSpecial(vm, x, qw(Q.__float__));
  if (m !== LY.NULL && (m & 3) === 0) {
    const r = call1(vm, m, x);
    if (!isFloat(vm, r)) {
      const u = unwrap(vm, r);
      if (u !== r && isFloat(vm, u)) return floatVal(vm, u);
      throw raise(vm, T.TYPE_ERROR, typeNameJs(vm, x) + ".__float__ returned non-float (type " + typeNameJs(vm, r) + ")");
    }
    return floatVal(vm, r);
  }
  const mi = lookupSpecial(vm, x, qw(Q.__index__));
  if (mi !== LY.NULL && (mi & 3) === 0) return toFloat(vm, call1(vm, mi, x));
  const u = unwrap(vm, x);
  if (u !== x) return toFloat(vm, u);
  throw raise(vm, T.TYPE_ERROR, "float() argument must be a string or a real number, not '" + typeNameJs(vm, x) + "'");
}

// --- bytes ---------------------------------------------------------------------------------------------------------

/** byteorder argument: true for little-endian; big by default. */
function orderArg(vm: Vm, w: number): boolean {
  if (w === LY.NULL) return false;
  if (!isStrW(vm, w)) throw raise(vm, T.TYPE_ERROR, "to_bytes() argument 'byteorder' must be str, not " + typeNameJs(vm, w));
  const s = jstr(vm, w);
  if (s !== "little" && s !== "big") throw raise(vm, T.VALUE_ERROR, "byteorder must be either 'little' or 'big'");
  return s === "little";
}

function intToBytes(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  checkKw(vm, "to_bytes", kw, [qw(Q.length), qw(Q.byteorder), qw(Q.signed)]);
  const x = H[a];
  const lenW = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.length));
  const little = orderArg(vm, n > 2 ? H[a + 2] : kwArg(vm, a, n, kw, qw(Q.byteorder)));
  const signedW = kwArg(vm, a, n, kw, qw(Q.signed));
  if (lenW !== LY.NULL && !isIntLike(vm, lenW)) throw raise(vm, T.TYPE_ERROR, "'" + typeNameJs(vm, lenW) + "' object cannot be interpreted as an integer");
  const len = lenW === LY.NULL ? 1 : toIndex(vm, lenW, "length");
  const signed = signedW !== LY.NULL && truthy(vm, signedW);
  if (len < 0) throw raise(vm, T.VALUE_ERROR, "length argument must be non-negative");
  if (len > vm.U8.length) throw raise(vm, T.MEMORY_ERROR, null);
  let ok: boolean;
  const p = allocStr(vm, K.BYTES, len, len);
  const off = (p + LY.S_DATA) << 2;
  if (x & 1 || x === LY.TRUE || x === LY.FALSE) {
    const v = x === LY.TRUE ? 1 : x === LY.FALSE ? 0 : x >> 1;
    ok = v >= 0 ? v < Math.pow(2, signed ? 8 * len - 1 : 8 * len) : signed && -v <= Math.pow(2, 8 * len - 1);
    // two's complement of a negative value: the bytes of -v - 1, inverted (exact for any length)
    let u = v < 0 ? -v - 1 : v;
    for (let i = 0; ok && i < len; i++) {
      const byte = u % 256;
      u = (u - byte) / 256;
      vm.U8[off + (little ? i : len - 1 - i)] = v < 0 ? 255 - byte : byte;
    }
  } else {
    const q = x >> 2;
    const nl = H[q + 1];
    ok = B.toBytes(H, q + 2, nl < 0 ? -nl : nl, nl < 0 ? 1 : 0, vm.U8, off, len, little, signed);
  }
  if (!ok) throw raise(vm, T.OVERFLOW_ERROR, intSign(vm, x) < 0 && !signed ? "can't convert negative int to unsigned" : "int too big to convert");
  return p << 2;
}

function intFromBytes(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  checkKw(vm, "from_bytes", kw, [qw(Q.bytes), qw(Q.byteorder), qw(Q.signed)]);
  const cls = H[a];
  let src = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.bytes));
  if (src === LY.NULL) throw raise(vm, T.TYPE_ERROR, "from_bytes() missing required argument 'bytes' (pos 1)");
  const little = orderArg(vm, n > 2 ? H[a + 2] : kwArg(vm, a, n, kw, qw(Q.byteorder)));
  const signedW = kwArg(vm, a, n, kw, qw(Q.signed));
  const signed = signedW !== LY.NULL && truthy(vm, signedW);
  src = unwrap(vm, src);
  let tmp = LY.NULL;
  if (!isBuffer(vm, src)) {
    if (isStrW(vm, src)) throw raise(vm, T.TYPE_ERROR, "cannot convert 'str' object to bytes");
    // any iterable of byte values, as bytes() takes it
    const l = listOf(vm, src);
    vm.tpush(l);
    let s = "";
    for (let i = 0; i < seqLen(vm, l); i++) {
      const v = H[seqItems(vm, l) + i];
      if (!isIntLike(vm, v)) throw raise(vm, T.TYPE_ERROR, "'" + typeNameJs(vm, v) + "' object cannot be interpreted as an integer");
      const b = toIndex(vm, v, "");
      if (b < 0 || b > 255) throw raise(vm, T.VALUE_ERROR, "bytes must be in range(0, 256)");
      s += String.fromCharCode(b);
    }
    const p = allocStr(vm, K.BYTES, s.length, s.length);
    for (let i = 0; i < s.length; i++) vm.U8[((p + LY.S_DATA) << 2) + i] = s.charCodeAt(i);
    tmp = p << 2;
    vm.tpop(1);
    src = tmp;
  }
  vm.tpush(src);
  bytesView(vm, src);
  const p = vm.alloc(K.BIGINT, 2 + Math.ceil(bvLen / 3) + 1);
  const b = bytesView(vm, src);
  const nl = B.fromBytes(b, bvOff, bvLen, little, signed, H, p + 2);
  let r = finishBig(vm, p, nl, B.R[0]);
  vm.tpop(1);
  if (cls !== imm(T.INT)) {
    vm.tpush(r);
    r = call1(vm, cls, r);
    vm.tpop(1);
  }
  return r;
}

// --- float methods ---------------------------------------------------------------------------------------------------

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

/** x as (mantissa, exponent) with x = m · 2^e, m an integer below 2^53 (x finite, nonzero): m in fm, e in fe. */
let fm = 0;
let fe = 0;
function decompose(x: number): void {
  F64[0] = x < 0 ? -x : x;
  const hi = U32[1];
  const ex = (hi >>> 20) & 0x7ff;
  fm = (hi & 0xfffff) * 4294967296 + U32[0];
  if (ex) fm += 4503599627370496; // the implicit bit
  fe = (ex ? ex : 1) - 1075;
}

function floatAsRatio(vm: Vm, a: number): number {
  const x = floatVal(vm, vm.H[a]);
  if (x !== x) throw raise(vm, T.VALUE_ERROR, "cannot convert NaN to integer ratio");
  if (x === Infinity || x === -Infinity) throw raise(vm, T.OVERFLOW_ERROR, "cannot convert Infinity to integer ratio");
  let num: number;
  let den = 3;
  if (x === 0) num = 1;
  else {
    decompose(x);
    while (fm % 2 === 0 && fe < 0) {
      fm /= 2;
      fe++;
    }
    num = intFromDouble(vm, x < 0 ? -fm : fm);
    vm.tpush(num);
    if (fe > 0) num = vm.tr[vm.tn - 1] = intShift(vm, num, smi(fe), true);
    if (fe < 0) den = intShift(vm, 3, smi(-fe), true);
    vm.tpop(1);
  }
  vm.tpush(num);
  vm.tpush(den);
  const t = newTuple(vm, 2);
  vm.tpop(2);
  vm.H[(t >> 2) + LY.TUP_ITEMS] = num;
  vm.H[(t >> 2) + LY.TUP_ITEMS + 1] = den;
  return t;
}

function hex13(m: number): string {
  // the 52 fraction bits as 13 hex digits
  let s = "";
  const hi = Math.floor(m / 4294967296) & 0xfffff;
  const lo = m % 4294967296;
  s += ("00000" + hi.toString(16)).slice(-5);
  s += ("00000000" + lo.toString(16)).slice(-8);
  return s;
}

function floatHex(vm: Vm, a: number): number {
  const x = floatVal(vm, vm.H[a]);
  if (x !== x) return str(vm, "nan");
  if (x === Infinity || x === -Infinity) return str(vm, x < 0 ? "-inf" : "inf");
  const sign = x < 0 || (x === 0 && 1 / x < 0) ? "-" : "";
  if (x === 0) return str(vm, sign + "0x0.0p+0");
  F64[0] = x;
  const ex = (U32[1] >>> 20) & 0x7ff;
  const frac = (U32[1] & 0xfffff) * 4294967296 + U32[0];
  const e = ex ? ex - 1023 : -1022;
  return str(vm, sign + "0x" + (ex ? "1" : "0") + "." + hex13(frac) + "p" + (e < 0 ? "-" : "+") + (e < 0 ? -e : e));
}

function floatFromhex(vm: Vm, a: number): number {
  const H = vm.H;
  const w = H[a + 1];
  if (!isStrW(vm, w)) throw raise(vm, T.TYPE_ERROR, "must be str, not " + typeNameJs(vm, w));
  const s = asciiNumber(jstr(vm, w), true).toLowerCase();
  const bad = function (): unknown {
    return raise(vm, T.VALUE_ERROR, "invalid hexadecimal floating-point string");
  };
  let i = 0;
  let n = s.length;
  while (i < n && s.charCodeAt(i) === 32) i++;
  while (n > i && s.charCodeAt(n - 1) === 32) n--;
  let neg = false;
  if (s.charAt(i) === "+" || s.charAt(i) === "-") neg = s.charAt(i++) === "-";
  const rest = s.substring(i, n);
  let x: number;
  if (rest === "inf" || rest === "infinity") x = Infinity;
  else if (rest === "nan") x = NaN;
  else {
    if (rest.substr(0, 2) === "0x") i += 2;
    // the digits as nibbles, most significant first, and the exponent of the lowest one
    const nib: number[] = [];
    let point = false;
    let any = false;
    let fracDigits = 0;
    for (; i < n; i++) {
      const c = s.charAt(i);
      if (c === "." && !point) {
        point = true;
        continue;
      }
      const d = "0123456789abcdef".indexOf(c);
      if (d < 0) break;
      any = true;
      if (point) fracDigits++;
      if (nib.length || d) nib.push(d);
    }
    if (!any) throw bad();
    let exp = 0;
    if (i < n && s.charAt(i) === "p") {
      i++;
      let eneg = false;
      if (s.charAt(i) === "+" || s.charAt(i) === "-") eneg = s.charAt(i++) === "-";
      const es = i;
      while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) {
        if (exp < 1e8) exp = exp * 10 + s.charCodeAt(i) - 48;
        i++;
      }
      if (i === es) throw bad();
      if (eneg) exp = -exp;
    }
    if (i !== n) throw bad();
    if (!nib.length) x = 0;
    else {
      // value = nibbles · 2^(exp - 4·fracDigits); the top bit of the first nibble is bit msb
      let top = 3;
      while (!((nib[0] >> top) & 1)) top--;
      const msb = 4 * (nib.length - 1) + top + exp - 4 * fracDigits;
      if (msb > 1023) throw raise(vm, T.OVERFLOW_ERROR, "hexadecimal value too large to represent as a float");
      const keep = msb >= -1022 ? 53 : 53 - (-1022 - msb);
      let m = 0;
      let roundBit = 0;
      let sticky = 0;
      let k = 0; // bits consumed
      for (let j = 0; j < nib.length; j++) {
        for (let bit = j ? 3 : top; bit >= 0; bit--) {
          const v = (nib[j] >> bit) & 1;
          if (k < keep) m = m * 2 + v;
          else if (k === keep) roundBit = v;
          else sticky |= v;
          k++;
        }
      }
      const got = k < keep ? k : keep;
      if (roundBit && (sticky || m % 2 === 1)) m++;
      x = keep < 0 ? 0 : ldexp(m, msb - got + 1);
      if (x === Infinity) throw raise(vm, T.OVERFLOW_ERROR, "hexadecimal value too large to represent as a float");
    }
  }
  const r = newFloat(vm, neg ? -x : x);
  const cls = H[a];
  if (cls === imm(T.FLOAT)) return r;
  vm.tpush(r);
  const o = call1(vm, cls, r);
  vm.tpop(1);
  return o;
}

/** int/float/str.__format__(spec): the builtin formatting of the value (for super().__format__ in subclasses). */
let formatNat = 0;
export function formatNative(): number {
  return formatNat;
}

export function initInts(): void {
  formatNat = native(Q.__format__, 2, 2, NF_METHOD, function (vm, a) {
    const spec = vm.H[a + 1];
    if (!isStrW(vm, spec)) throw raise(vm, T.TYPE_ERROR, "__format__() argument must be str, not " + typeNameJs(vm, spec));
    return formatObject(vm, vm.H[a], spec);
  });
  defineCtor(T.INT, native(Q.int, 0, 2, NF_KW, intCtor));
  defineCtor(T.FLOAT, native(Q.float, 0, 1, 0, function (vm, a, n) {
    return n === 0 ? newFloat(vm, 0) : isFloat(vm, vm.H[a]) ? vm.H[a] : newFloat(vm, toFloat(vm, vm.H[a]));
  }));
  defineCtor(T.BOOL, native(Q.bool, 0, 1, 0, function (vm, a, n) {
    return n && truthy(vm, vm.H[a]) ? LY.TRUE : LY.FALSE;
  }));
  const self = function (vm: Vm, a: number): number {
    const x = vm.H[a];
    return x === LY.TRUE ? 3 : x === LY.FALSE ? 1 : x;
  };
  defineAttrs(T.INT, [
    Q.bit_length, native(Q.bit_length, 1, 1, NF_METHOD, function (vm, a) { return smi(intBitLength(vm, vm.H[a])); }),
    Q.bit_count, native(Q.bit_count, 1, 1, NF_METHOD, function (vm, a) { return smi(intBitCount(vm, vm.H[a])); }),
    Q.to_bytes, native(Q.to_bytes, 1, 3, NF_METHOD | NF_KW, intToBytes),
    Q.from_bytes, native(Q.from_bytes, 1, 3, NF_CLASSMETHOD | NF_KW, intFromBytes),
    Q.as_integer_ratio, native(Q.as_integer_ratio, 1, 1, NF_METHOD, function (vm, a) {
      const t = newTuple(vm, 2);
      vm.H[(t >> 2) + LY.TUP_ITEMS] = self(vm, a);
      vm.H[(t >> 2) + LY.TUP_ITEMS + 1] = 3;
      return t;
    }),
    Q.conjugate, native(Q.conjugate, 1, 1, NF_METHOD, self),
    Q.real, native(Q.real, 1, 1, NF_PROP, self),
    Q.imag, native(Q.imag, 1, 1, NF_PROP, function () { return 1; }),
    Q.numerator, native(Q.numerator, 1, 1, NF_PROP, self),
    Q.denominator, native(Q.denominator, 1, 1, NF_PROP, function () { return 3; }),
    Q.__index__, native(Q.__index__, 1, 1, NF_METHOD, self),
    Q.__int__, native(Q.__int__, 1, 1, NF_METHOD, self),
    Q.__abs__, native(Q.__abs__, 1, 1, NF_METHOD, function (vm, a) { return intAbs(vm, vm.H[a]); }),
    Q.__format__, formatNat,
    Q.__neg__, native(Q.__neg__, 1, 1, NF_METHOD, function (vm, a) { return intNeg(vm, vm.H[a]); }),
  ]);
  defineAttrs(T.FLOAT, [
    Q.is_integer, native(Q.is_integer, 1, 1, NF_METHOD, function (vm, a) {
      const x = floatVal(vm, vm.H[a]);
      return x === Math.floor(x) && x !== Infinity && x !== -Infinity ? LY.TRUE : LY.FALSE;
    }),
    Q.as_integer_ratio, native(Q.as_integer_ratio, 1, 1, NF_METHOD, floatAsRatio),
    Q.hex, native(Q.hex, 1, 1, NF_METHOD, floatHex),
    Q.fromhex, native(Q.fromhex, 2, 2, NF_CLASSMETHOD, floatFromhex),
    Q.conjugate, native(Q.conjugate, 1, 1, NF_METHOD, function (vm, a) { return vm.H[a]; }),
    Q.real, native(Q.real, 1, 1, NF_PROP, function (vm, a) { return vm.H[a]; }),
    Q.imag, native(Q.imag, 1, 1, NF_PROP, function (vm) { return newFloat(vm, 0); }),
    Q.__float__, native(Q.__float__, 1, 1, NF_METHOD, function (vm, a) { return vm.H[a]; }),
    Q.__format__, formatNat,
    Q.__int__, native(Q.__int__, 1, 1, NF_METHOD, function (vm, a) { return toInt(vm, vm.H[a]); }),
    Q.__trunc__, native(Q.__trunc__, 1, 1, NF_METHOD, function (vm, a) { return toInt(vm, vm.H[a]); }),
  ]);
}

export { NONE, SEQ_LEN, floatRepr, intToString, isBig, DIGITS, intAbs, bvLen };
