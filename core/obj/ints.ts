// int, float and bool: their constructors (int("ff", 16), float("inf"), bool(x)) and methods (bit_length,
// to_bytes/from_bytes, as_integer_ratio, is_integer…).
import { K, NONE, NULL, TRUE, FALSE, SEQ_LEN, TUP_ITEMS, S_DATA, smi, imm } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise } from "../vm/exc";
import { native, defineAttrs, NF_KW, NF_METHOD, NF_CLASSMETHOD } from "../vm/registry";
import { NF_PROP } from "../vm/attr";
import { defineCtor } from "./class";
import { kindOf, typeNameJs, truthy, lookupSpecial, toIndex, unwrap, bytesView, bvOff, bvLen } from "../vm/ops";
import { call1 } from "../vm/call";
import { jstr, qw, allocStr, str } from "./str";
import {
  isFloat, floatVal, newFloat, isIntLike, intFromDigits, intFromDouble, intToDouble, intBitLength, intSign, intAbs,
  intToString, intNeg, isBig,
} from "./num";
import { parseFloatStr, floatRepr } from "../float";
import * as B from "../bigint";
import { newTuple } from "./seq";
import { kwArg } from "../modules/builtins";

const DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";

function digitVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 122) return c - 87;
  if (c >= 65 && c <= 90) return c - 55;
  return 99;
}

/** int(text, base) with Python's syntax: whitespace, sign, prefix (base 0 or matching), underscores. */
export function parseIntText(vm: Vm, text: string, base: number): number {
  const bad = function (): unknown {
    return raise(vm, T.VALUE_ERROR, "invalid literal for int() with base " + base + ": " + reprText(text));
  };
  let s = text.replace(/^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g, "");
  let neg = false;
  if (s.charAt(0) === "+" || s.charAt(0) === "-") {
    neg = s.charAt(0) === "-";
    s = s.substr(1);
  }
  let b = base;
  const p = s.substr(0, 2).toLowerCase();
  if ((b === 16 || b === 0) && p === "0x") {
    b = 16;
    s = s.substr(2);
  } else if ((b === 8 || b === 0) && p === "0o") {
    b = 8;
    s = s.substr(2);
  } else if ((b === 2 || b === 0) && p === "0b") {
    b = 2;
    s = s.substr(2);
  } else if (b === 0) {
    b = 10;
    if (s.length > 1 && s.charAt(0) === "0" && /[^0_]/.test(s)) throw bad();
  } else if (b !== base) b = base;
  if (s.charAt(0) === "_" && b !== base) s = s.substr(1);
  if (!s.length) throw bad();
  let clean = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 95) {
      if (i === 0 || i === s.length - 1 || s.charCodeAt(i - 1) === 95) throw bad();
      continue;
    }
    if (digitVal(c) >= b) throw bad();
    clean += String.fromCharCode(c);
  }
  return intFromDigits(vm, clean.toLowerCase(), b, neg);
}

function reprText(s: string): string {
  return "'" + s.replace(/\\/g, "\\\\").replace(/'/g, "\\'") + "'";
}

/** int(x): the integer value of a number, a string or an object with __int__/__index__/__trunc__. */
export function toInt(vm: Vm, x: number): number {
  if (x & 1) return x;
  if (x === TRUE) return 3;
  if (x === FALSE) return 1;
  const k = kindOf(vm, x);
  if (k === K.BIGINT) return x;
  if (k === K.FLOAT) {
    const v = floatVal(vm, x);
    if (v !== v) throw raise(vm, T.VALUE_ERROR, "cannot convert float NaN to integer");
    if (v === Infinity || v === -Infinity) throw raise(vm, T.OVERFLOW_ERROR, "cannot convert float infinity to integer");
    return intFromDouble(vm, v < 0 ? -Math.floor(-v) : Math.floor(v));
  }
  if ((x & 3) === 2 ? x >> 2 >= 8192 : k === K.STR) return parseIntText(vm, jstr(vm, x), 10);
  if (k === K.BYTES || k === K.BYTEARRAY) return parseIntText(vm, jstr(vm, x), 10);
  const names = [Q.__int__, Q.__index__, Q.__trunc__];
  for (let i = 0; i < names.length; i++) {
    const m = lookupSpecial(vm, x, qw(names[i]));
    if (m !== NULL && (m & 3) === 0) {
      const r = call1(vm, m, x);
      if (!isIntLike(vm, r)) throw raise(vm, T.TYPE_ERROR, "__int__ returned non-int (type " + typeNameJs(vm, r) + ")");
      return r;
    }
  }
  const u = unwrap(vm, x);
  if (u !== x) return toInt(vm, u);
  throw raise(vm, T.TYPE_ERROR, "int() argument must be a string, a bytes-like object or a real number, not '" + typeNameJs(vm, x) + "'");
}

function intCtor(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  let base = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.base));
  if (n === 0) return 1;
  const x = H[a];
  if (base === NULL) return toInt(vm, x);
  const k = kindOf(vm, x);
  if (!((x & 3) === 2 ? x >> 2 >= 8192 : k === K.STR || k === K.BYTES || k === K.BYTEARRAY))
    throw raise(vm, T.TYPE_ERROR, "int() can't convert non-string with explicit base");
  base = toIndex(vm, base, "base");
  if (base !== 0 && (base < 2 || base > 36)) throw raise(vm, T.VALUE_ERROR, "int() base must be >= 2 and <= 36, or 0");
  return parseIntText(vm, jstr(vm, x), base);
}

/** float(x) */
export function toFloat(vm: Vm, x: number): number {
  if (isFloat(vm, x)) return floatVal(vm, x);
  if (isIntLike(vm, x)) {
    const v = intToDouble(vm, x);
    if (v === Infinity || v === -Infinity) throw raise(vm, T.OVERFLOW_ERROR, "int too large to convert to float");
    return v;
  }
  const k = kindOf(vm, x);
  if ((x & 3) === 2 ? x >> 2 >= 8192 : k === K.STR || k === K.BYTES || k === K.BYTEARRAY) {
    const s = jstr(vm, x);
    const v = parseFloatStr(s);
    if (v === null) throw raise(vm, T.VALUE_ERROR, "could not convert string to float: " + reprText(s));
    return v;
  }
  const m = lookupSpecial(vm, x, qw(Q.__float__));
  if (m !== NULL && (m & 3) === 0) {
    const r = call1(vm, m, x);
    if (!isFloat(vm, r)) throw raise(vm, T.TYPE_ERROR, typeNameJs(vm, x) + ".__float__ returned non-float (type " + typeNameJs(vm, r) + ")");
    return floatVal(vm, r);
  }
  const mi = lookupSpecial(vm, x, qw(Q.__index__));
  if (mi !== NULL && (mi & 3) === 0) return intToDouble(vm, call1(vm, mi, x));
  const u = unwrap(vm, x);
  if (u !== x) return toFloat(vm, u);
  throw raise(vm, T.TYPE_ERROR, "float() argument must be a string or a real number, not '" + typeNameJs(vm, x) + "'");
}

function intToBytes(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  const x = H[a];
  const lenW = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.length));
  const orderW = n > 2 ? H[a + 2] : kwArg(vm, a, n, kw, qw(Q.byteorder));
  const signedW = kwArg(vm, a, n, kw, qw(Q.signed));
  const len = lenW === NULL ? 1 : toIndex(vm, lenW, "length");
  const little = orderW !== NULL && jstr(vm, orderW) === "little";
  if (orderW !== NULL && !little && jstr(vm, orderW) !== "big") throw raise(vm, T.VALUE_ERROR, "byteorder must be either 'little' or 'big'");
  const signed = signedW !== NULL && truthy(vm, signedW);
  if (len < 0) throw raise(vm, T.VALUE_ERROR, "length argument must be non-negative");
  const p = allocStr(vm, K.BYTES, len, len);
  const off = (p + S_DATA) << 2;
  let ok: boolean;
  if (x & 1 || x === TRUE || x === FALSE) {
    const v = x === TRUE ? 1 : x === FALSE ? 0 : x >> 1;
    const lim = signed ? Math.pow(2, 8 * len - 1) : Math.pow(2, 8 * len);
    ok = signed ? v >= -lim && v < lim : v >= 0 && v < lim;
    if (v < 0 && !signed) ok = false;
    if (ok) {
      let u = v < 0 ? Math.pow(2, 8 * len) + v : v;
      for (let i = 0; i < len; i++) {
        const byte = u % 256;
        u = Math.floor(u / 256);
        vm.U8[off + (little ? i : len - 1 - i)] = byte;
      }
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
  const src = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.bytes));
  const orderW = n > 2 ? H[a + 2] : kwArg(vm, a, n, kw, qw(Q.byteorder));
  const signedW = kwArg(vm, a, n, kw, qw(Q.signed));
  const little = orderW !== NULL && jstr(vm, orderW) === "little";
  const signed = signedW !== NULL && truthy(vm, signedW);
  const k = kindOf(vm, src);
  if (k !== K.BYTES && k !== K.BYTEARRAY) throw raise(vm, T.TYPE_ERROR, "cannot convert '" + typeNameJs(vm, src) + "' object to bytes");
  const b = bytesView(vm, src);
  const o = bvOff;
  const len = bvLen;
  const p = vm.alloc(K.BIGINT, 2 + Math.ceil(len / 3) + 1);
  const b2 = bytesView(vm, src);
  const nl = B.fromBytes(b2, bvOff, len, little, signed, H, p + 2);
  void b;
  void o;
  H[p + 1] = B.R[0] ? -nl : nl;
  // normalise through the shared path (small ints stay small)
  const w = p << 2;
  if (nl <= 2) {
    const v = nl === 0 ? 0 : nl === 1 ? H[p + 2] : H[p + 2] + H[p + 3] * 16777216;
    if (v <= 1073741823) return smi(B.R[0] ? -v : v);
  }
  vm.heap.shrink(p, 2 + nl);
  return w;
}

function floatAsRatio(vm: Vm, a: number): number {
  const x = floatVal(vm, vm.H[a]);
  if (x !== x) throw raise(vm, T.VALUE_ERROR, "cannot convert NaN to integer ratio");
  if (x === Infinity || x === -Infinity) throw raise(vm, T.OVERFLOW_ERROR, "cannot convert Infinity to integer ratio");
  let m = x;
  let e = 0;
  while (m !== Math.floor(m)) {
    m *= 2;
    e++;
  }
  const num = intFromDouble(vm, m);
  vm.tpush(num);
  let den = 3;
  // 2**e exactly
  for (let i = 0; i < e; i++) den = i < 29 ? den * 2 - 1 : den;
  let d: number;
  if (e <= 29) d = smi(Math.pow(2, e));
  else d = intFromDouble(vm, Math.pow(2, e));
  void den;
  vm.tpush(d);
  const t = newTuple(vm, 2);
  vm.tpop(2);
  vm.H[(t >> 2) + TUP_ITEMS] = num;
  vm.H[(t >> 2) + TUP_ITEMS + 1] = d;
  return t;
}

export function initInts(): void {
  defineCtor(T.INT, native(Q.int, 0, 2, NF_KW, intCtor));
  defineCtor(T.FLOAT, native(Q.float, 0, 1, 0, function (vm, a, n) {
    return n === 0 ? newFloat(vm, 0) : isFloat(vm, vm.H[a]) ? vm.H[a] : newFloat(vm, toFloat(vm, vm.H[a]));
  }));
  defineCtor(T.BOOL, native(Q.bool, 0, 1, 0, function (vm, a, n) {
    return n && truthy(vm, vm.H[a]) ? TRUE : FALSE;
  }));
  const self = function (vm: Vm, a: number): number {
    const x = vm.H[a];
    return x === TRUE ? 3 : x === FALSE ? 1 : x;
  };
  defineAttrs(T.INT, [
    Q.bit_length, native(Q.bit_length, 1, 1, NF_METHOD, function (vm, a) { return smi(intBitLength(vm, vm.H[a])); }),
    Q.to_bytes, native(Q.to_bytes, 1, 3, NF_METHOD | NF_KW, intToBytes),
    Q.from_bytes, native(Q.from_bytes, 2, 3, NF_CLASSMETHOD | NF_KW, intFromBytes),
    Q.conjugate, native(Q.conjugate, 1, 1, NF_METHOD, self),
    Q.real, native(Q.real, 1, 1, NF_PROP, self),
    Q.imag, native(Q.imag, 1, 1, NF_PROP, function () { return 1; }),
    Q.numerator, native(Q.numerator, 1, 1, NF_PROP, self),
    Q.denominator, native(Q.denominator, 1, 1, NF_PROP, function () { return 3; }),
    Q.__index__, native(Q.__index__, 1, 1, NF_METHOD, self),
    Q.__int__, native(Q.__int__, 1, 1, NF_METHOD, self),
    Q.__abs__, native(Q.__abs__, 1, 1, NF_METHOD, function (vm, a) { return intAbs(vm, vm.H[a]); }),
    Q.__neg__, native(Q.__neg__, 1, 1, NF_METHOD, function (vm, a) { return intNeg(vm, vm.H[a]); }),
  ]);
  defineAttrs(T.FLOAT, [
    Q.is_integer, native(Q.is_integer, 1, 1, NF_METHOD, function (vm, a) {
      const x = floatVal(vm, vm.H[a]);
      return x === Math.floor(x) && x !== Infinity && x !== -Infinity ? TRUE : FALSE;
    }),
    Q.as_integer_ratio, native(Q.as_integer_ratio, 1, 1, NF_METHOD, floatAsRatio),
    Q.conjugate, native(Q.conjugate, 1, 1, NF_METHOD, function (vm, a) { return vm.H[a]; }),
    Q.real, native(Q.real, 1, 1, NF_PROP, function (vm, a) { return vm.H[a]; }),
    Q.imag, native(Q.imag, 1, 1, NF_PROP, function (vm) { return newFloat(vm, 0); }),
    Q.__float__, native(Q.__float__, 1, 1, NF_METHOD, function (vm, a) { return vm.H[a]; }),
    Q.__int__, native(Q.__int__, 1, 1, NF_METHOD, function (vm, a) { return toInt(vm, vm.H[a]); }),
    Q.__trunc__, native(Q.__trunc__, 1, 1, NF_METHOD, function (vm, a) { return toInt(vm, vm.H[a]); }),
  ]);
}

export { NONE, SEQ_LEN, imm, str, floatRepr, intToString, isBig, DIGITS, intAbs };
