// str, bytes and bytearray: constructors and methods. The methods work on JS byte strings (UTF-8 bytes for str, raw
// bytes for bytes-likes, one char per byte) and one implementation serves str and bytes; indices given to or
// returned from str methods are code points, converted from byte offsets where the string is not ASCII. Character
// classes and case mappings beyond ASCII come from small range tables (Latin, Greek, Cyrillic, Armenian, CJK…).
import { K, smi, imm, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise, PY_EXC } from "../vm/exc";
import { native, defineAttrs, NF_KW, NF_METHOD, NF_STATIC, NF_CLASSMETHOD } from "../vm/registry";
import { defineCtor } from "./class";
import { kindOf, typeNameJs, toIndex, bytesView, bvOff, bvLen, lookupSpecial, unwrap, truthy, hashOf, isBuffer } from "../vm/ops";
import { call1 } from "../vm/call";
import { str, jstr, qw, sclen, slen, allocStr, utf8SeqLen, utf8Decode, strFromBytes, bytesFromJs, utf8Count, findBytes, copyBytes } from "./str";
import { toStr, strJs } from "./repr";
import { strFormat, chr, percentFormat } from "./format";
import { newList, listAppend, seqItems, seqLen, newTuple } from "./seq";
import { listOf, newBytearray, bytearrayData, bytearrayResize, bytearrayAssign, byteValue, getIter, iterNext, getItem } from "./items";
import { isIntLike } from "./num";
import { kwArg, checkKw } from "../modules/builtins";
import { dictGet, newDict, dictSet, tableFind, entryValue } from "./dict";
import { typeOf, isSubtype } from "./type";
import { initMemoryview } from "./memoryview";
import { formatNative } from "./ints";

// Arguments that are instances of str/bytes subclasses count as their str/bytes value.
function isStrW(vm: Vm, w: number): boolean {
  if (kindOf(vm, w) === K.INST) w = unwrap(vm, w);
  return (w & 3) === 2 ? w >> 2 >= LY.QSTR_BASE : kindOf(vm, w) === K.STR;
}
function isBytesLike(vm: Vm, w: number): boolean {
  let k = kindOf(vm, w);
  if (k === K.INST) k = kindOf(vm, (w = unwrap(vm, w)));
  return k === K.BYTES || k === K.BYTEARRAY || isBuffer(vm, w);
}

/** The content of a str or bytes-like object as a byte string. */
export function S(vm: Vm, w: number): string {
  w = unwrap(vm, w);
  if (kindOf(vm, w) !== K.BYTEARRAY && kindOf(vm, w) !== K.NATIVE_OBJ) return jstr(vm, w);
  const b = bytesView(vm, w);
  const o = bvOff;
  const n = bvLen;
  let s = "";
  for (let i = 0; i < n; i += 4096) s += String.fromCharCode.apply(null, b.subarray(o + i, o + (i + 4096 < n ? i + 4096 : n)) as unknown as number[]);
  return s;
}

/** A new bytearray holding the bytes of s. */
export function baFromJs(vm: Vm, s: string): number {
  const ba = newBytearray(vm, s.length);
  const d = bytearrayData(vm, ba);
  for (let i = 0; i < s.length; i++) vm.U8[d + i] = s.charCodeAt(i);
  return ba;
}

/** A result of self's kind: str, bytes or bytearray. */
function mk(vm: Vm, self: number, s: string): number {
  const k = kindOf(vm, self);
  if (k === K.BYTES) return bytesFromJs(vm, s);
  if (k === K.BYTEARRAY) return baFromJs(vm, s);
  return str(vm, s);
}

/** Like mk, but an unchanged str or bytes is returned itself. */
function mkOr(vm: Vm, self: number, s: string, orig: string): number {
  return s === orig && kindOf(vm, self) !== K.BYTEARRAY ? self : mk(vm, self, s);
}

export function bytesOf(vm: Vm, s: string): number {
  return bytesFromJs(vm, s);
}

function typeErr(vm: Vm, msg: string): unknown {
  return raise(vm, T.TYPE_ERROR, msg);
}

function needBytes(vm: Vm, w: number): unknown {
  return typeErr(vm, "a bytes-like object is required, not '" + typeNameJs(vm, w) + "'");
}

/** An argument of self's kind (str for str, bytes-like for bytes); `msg` + type name is the str-case TypeError. */
function arg(vm: Vm, self: number, w: number, msg: string): string {
  if (isStrW(vm, self)) {
    if (!isStrW(vm, w)) throw typeErr(vm, msg + typeNameJs(vm, w));
  } else if (!isBytesLike(vm, w)) throw needBytes(vm, w);
  return S(vm, w);
}

function hasIndex(vm: Vm, w: number): boolean {
  return isIntLike(vm, w) || (kindOf(vm, w) === K.INST && lookupSpecial(vm, w, qw(Q.__index__)) !== LY.NULL);
}

/** An integer argument ("'x' object cannot be interpreted as an integer" otherwise). */
function intArg(vm: Vm, w: number): number {
  if (!hasIndex(vm, w)) throw typeErr(vm, "'" + typeNameJs(vm, w) + "' object cannot be interpreted as an integer");
  return toIndex(vm, w, "");
}

/** A width: an integer, MemoryError when it could never fit. */
function widthArg(vm: Vm, w: number): number {
  const n = intArg(vm, w);
  if (n > vm.U8.length) throw raise(vm, T.MEMORY_ERROR, null);
  return n;
}

// --- code points in byte strings -----------------------------------------------------------------------------------------

function cpAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 0x80) return c;
  if (c < 0xe0) return ((c & 0x1f) << 6) | (s.charCodeAt(i + 1) & 0x3f);
  if (c < 0xf0) return ((c & 0x0f) << 12) | ((s.charCodeAt(i + 1) & 0x3f) << 6) | (s.charCodeAt(i + 2) & 0x3f);
  return ((c & 0x07) << 18) | ((s.charCodeAt(i + 1) & 0x3f) << 12) | ((s.charCodeAt(i + 2) & 0x3f) << 6) | (s.charCodeAt(i + 3) & 0x3f);
}

/** Start of the character ending at byte j. */
function prevStart(s: string, j: number): number {
  let k = j - 1;
  while (k > 0 && (s.charCodeAt(k) & 0xc0) === 0x80) k--;
  return k;
}

function byteToChar(s: string, bi: number): number {
  let n = 0;
  for (let i = 0; i < bi; i++) if ((s.charCodeAt(i) & 0xc0) !== 0x80) n++;
  return n;
}
function hasNonAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return true;
  return false;
}

// --- character classes (ranges as pairs of code points up to 0xffff, 4 hex digits each: Espruino keeps only the low
// byte of a "\uXXXX" escape on boards without Unicode and rejects a lone surrogate) -----------------------------------

const ALPHA = "00aa00aa00b500b500ba00ba00c000d600d800f600f802c102c602d102e002e403700374" +
  "03760377037a037d037f037f03860386038803f503f70481048a052f053105560561058705d005ea" +
  "0620064a066e06d3090409390e010e3010a010ff110011ff1e001fbc2c002ce42d002d2530413096" +
  "30a130fa34004dbf4e009fffac00d7a3f900faffff21ff3aff41ff5a";
const DECIMAL = "003000390660066906f006f907c007c90966096f09e609ef0e500e59ff10ff19";
const DIGIT = "00b200b300b900b9207020702074207920802089246024682474247c2488249024f524fd" +
  "2776277e";
const NUMERIC = "00bc00be215021822185218924692473247d24872491249b30073007302130294e004e00" +
  "4e034e034e074e074e094e094e5d4e5d4e8c4e8c4e944e94516b516b516d516d5341534153435343" +
  "56db56db767e767e";
const SPACE = "0009000d001c00200085008500a000a0168016802000200a20282029202f202f205f205f" +
  "30003000";
const NONPRINT = "0000001f007f00a000ad00ad0378037903800383038b038b038d038d03a203a2061c061c" +
  "16801680180e180e2000200f2028202f205f20642066206f30003000d800f8fffefffefffff0fffb" +
  "fffeffff";

function inRanges(tab: string, c: number): boolean {
  for (let i = 0; i < tab.length; i += 8) if (c >= parseInt(tab.substr(i, 4), 16) && c <= parseInt(tab.substr(i + 4, 4), 16)) return true;
  return false;
}

function isAlphaCp(c: number): boolean {
  if (c < 128) return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return c > 0xffff ? c >= 0x10400 && c <= 0x1044f : inRanges(ALPHA, c);
}
function isDecimalCp(c: number): boolean {
  return c < 0x10000 && inRanges(DECIMAL, c);
}
function isDigitCp(c: number): boolean {
  return isDecimalCp(c) || (c < 0x10000 && inRanges(DIGIT, c));
}
function isNumericCp(c: number): boolean {
  return isDigitCp(c) || (c < 0x10000 && inRanges(NUMERIC, c));
}
function isSpaceCp(c: number): boolean {
  return c < 0x10000 && inRanges(SPACE, c);
}
export function isPrintableCp(c: number): boolean {
  if (c > 0xffff) return c < 0xe0000;
  return !inRanges(NONPRINT, c);
}

// --- case mapping --------------------------------------------------------------------------------------------------------
// Ranges (lo, hi, delta, kind): kind 0 maps upper c in [lo, hi] to c + delta; kind 1 alternates upper/lower pairs
// starting with an upper case letter at lo. Singles (upper, lower, direction bits: 1 lower(), 2 upper()).
const CASE_RANGES = new Int32Array([
  0x41, 0x5a, 32, 0, 0xc0, 0xd6, 32, 0, 0xd8, 0xde, 32, 0, 0x100, 0x12f, 1, 1, 0x132, 0x137, 1, 1, 0x139, 0x148, 1, 1,
  0x14a, 0x177, 1, 1, 0x179, 0x17e, 1, 1, 0x182, 0x185, 1, 1, 0x1a0, 0x1a5, 1, 1, 0x1cd, 0x1dc, 1, 1, 0x1de, 0x1ef, 1, 1,
  0x1f8, 0x21f, 1, 1, 0x222, 0x233, 1, 1, 0x246, 0x24f, 1, 1, 0x370, 0x373, 1, 1, 0x391, 0x3a1, 32, 0, 0x3a3, 0x3ab, 32, 0,
  0x3d8, 0x3ef, 1, 1, 0x400, 0x40f, 80, 0, 0x410, 0x42f, 32, 0, 0x460, 0x481, 1, 1, 0x48a, 0x4bf, 1, 1, 0x4c1, 0x4ce, 1, 1,
  0x4d0, 0x52f, 1, 1, 0x531, 0x556, 48, 0, 0x10a0, 0x10c5, 7264, 0, 0x1e00, 0x1e95, 1, 1, 0x1ea0, 0x1eff, 1, 1,
  0x1f08, 0x1f0f, -8, 0, 0x1f18, 0x1f1d, -8, 0, 0x1f28, 0x1f2f, -8, 0, 0x1f38, 0x1f3f, -8, 0, 0x1f48, 0x1f4d, -8, 0,
  0x1f68, 0x1f6f, -8, 0, 0x1fb8, 0x1fb9, -8, 0, 0x1fba, 0x1fbb, -74, 0, 0x1fc8, 0x1fcb, -86, 0, 0x1fd8, 0x1fd9, -8, 0,
  0x1fda, 0x1fdb, -100, 0, 0x1fe8, 0x1fe9, -8, 0, 0x1fea, 0x1feb, -112, 0, 0x1ff8, 0x1ff9, -128, 0, 0x1ffa, 0x1ffb, -126, 0,
  0x2160, 0x216f, 16, 0, 0x24b6, 0x24cf, 26, 0, 0x2c00, 0x2c2e, 48, 0, 0xff21, 0xff3a, 32, 0, 0x10400, 0x10427, 40, 0,
]);
const CASE_SINGLES = new Int32Array([
  0x178, 0xff, 3, 0x39c, 0xb5, 2, 0x1e9e, 0xdf, 1, 0x130, 0x69, 1, 0x49, 0x131, 2, 0x53, 0x17f, 2, 0x3a3, 0x3c2, 2,
  0x386, 0x3ac, 3, 0x388, 0x3ad, 3, 0x389, 0x3ae, 3, 0x38a, 0x3af, 3, 0x38c, 0x3cc, 3, 0x38e, 0x3cd, 3, 0x38f, 0x3ce, 3,
  0x4c0, 0x4cf, 3, 0x181, 0x253, 3, 0x186, 0x254, 3, 0x187, 0x188, 3, 0x18b, 0x18c, 3, 0x191, 0x192, 3, 0x198, 0x199, 3,
  0x1f59, 0x1f51, 3, 0x1f5b, 0x1f53, 3, 0x1f5d, 0x1f55, 3, 0x1f5f, 0x1f57, 3, 0x1fec, 0x1fe5, 3, 0x1a7, 0x1a8, 3, 0x1af, 0x1b0, 3, 0x1b3, 0x1b4, 3, 0x1b5, 0x1b6, 3, 0x1b8, 0x1b9, 3, 0x1bc, 0x1bd, 3,
]);

/** Simple case mapping of code point c: toLower true for lower(), false for upper(); c itself when none. */
function caseOf(c: number, toLower: boolean): number {
  if (c < 128) {
    if (toLower) return c >= 65 && c <= 90 ? c + 32 : c;
    return c >= 97 && c <= 122 ? c - 32 : c;
  }
  const R = CASE_RANGES;
  for (let i = 4; i < R.length; i += 4) {
    const lo = R[i];
    const hi = R[i + 1];
    if (R[i + 3] === 0) {
      if (toLower ? c >= lo && c <= hi : c >= lo + R[i + 2] && c <= hi + R[i + 2]) return toLower ? c + R[i + 2] : c - R[i + 2];
    } else if (c >= lo && c <= hi) {
      const up = ((c - lo) & 1) === 0;
      if (up === toLower) return up ? c + 1 : c - 1;
      return c;
    }
  }
  const S1 = CASE_SINGLES;
  for (let i = 0; i < S1.length; i += 3) {
    if (toLower && S1[i] === c && S1[i + 2] & 1) return S1[i + 1];
    if (!toLower && S1[i + 1] === c && S1[i + 2] & 2) return S1[i];
  }
  return c;
}

export function cpUpper(c: number): number {
  return caseOf(c, false);
}
export function cpLower(c: number): number {
  return caseOf(c, true);
}
function isUpperCp(c: number): boolean {
  return caseOf(c, true) !== c;
}
function isLowerCp(c: number): boolean {
  return caseOf(c, false) !== c || c === 0xdf || c === 0xaa || c === 0xba || c === 0x138 || c === 0x149;
}
function isCasedCp(c: number): boolean {
  return isUpperCp(c) || isLowerCp(c);
}

/** Decode the characters of s (bytes: one per byte) one at a time: cp and its byte length. */
let cpLen = 1;
function cpNext(s: string, i: number, u: boolean): number {
  if (!u) {
    cpLen = 1;
    return s.charCodeAt(i);
  }
  cpLen = utf8SeqLen(s.charCodeAt(i));
  return cpAt(s, i);
}

/** Is the character at byte i preceded (and not followed) by a cased letter: Greek final sigma. */
function finalSigma(s: string, i: number): boolean {
  if (i === 0 || !isCasedCp(cpAt(s, prevStart(s, i)))) return false;
  return i + 2 >= s.length || !isCasedCp(cpAt(s, i + 2));
}

function caseMap(s: string, mode: number, u: boolean): string {
  // mode 0 upper, 1 lower, 2 swapcase, 3 title, 4 capitalize, 5 casefold
  let out = "";
  let prevCased = false;
  let i = 0;
  while (i < s.length) {
    const c = cpNext(s, i, u);
    const at = i;
    i += cpLen;
    let lower = false;
    if (mode === 1 || mode === 5) lower = true;
    else if (mode === 2) lower = isUpperCp(c);
    else if (mode === 3) lower = prevCased;
    else if (mode === 4) lower = at > 0;
    const toUp = !lower && (mode !== 2 || isLowerCp(c));
    let r: string;
    if (!u) r = String.fromCharCode(c < 128 ? caseOf(c, lower) : c);
    else if (c === 0xdf && (toUp || mode === 5)) r = mode === 5 ? "ss" : mode === 3 || mode === 4 ? "Ss" : "SS";
    else if (c === 0x130 && lower) r = "i\xcc\x87";
    else if (c === 0x3a3 && lower && mode !== 5) r = chr(finalSigma(s, at) ? 0x3c2 : 0x3c3);
    else r = chr(lower ? caseOf(c, true) : toUp ? caseOf(c, false) : c);
    out += r;
    prevCased = (u || c < 128) && isCasedCp(c);
  }
  return out;
}

function caseM(mode: number) {
  return function (vm: Vm, a: number): number {
    const self = vm.H[a];
    if (mode < 2 && !wide(vm, self)) {
      // upper()/lower() of ASCII (or bytes) byte by byte
      const b = view(vm, self);
      const o = vo;
      const n = vn;
      const r = newOf(vm, self, n, n);
      const U8 = vm.U8;
      const lo = mode ? 65 : 97;
      for (let i = 0; i < n; i++) {
        const c = b[o + i];
        U8[dst + i] = c >= lo && c <= lo + 25 ? c ^ 32 : c;
      }
      return r;
    }
    const s = S(vm, self);
    return mkOr(vm, self, caseMap(s, mode, wide(vm, self)), s);
  };
}

function isM(test: (c: number) => boolean, mode: number) {
  // mode 0: every character passes test; 1 isupper, 2 islower, 3 istitle; 4: like 0 but "" is True (isascii)
  return function (vm: Vm, a: number): number {
    const self = vm.H[a];
    const s = S(vm, self);
    const u = isStrW(vm, self);
    if (s.length === 0) return mode === 4 ? LY.TRUE : LY.FALSE;
    let cased = false;
    let prev = false;
    for (let i = 0; i < s.length; i += cpLen) {
      const c = cpNext(s, i, u);
      if (!u && c > 127) {
        if (mode === 0 || mode === 4) return LY.FALSE;
        prev = false;
        continue;
      }
      const up = u ? isUpperCp(c) : c >= 65 && c <= 90;
      const low = u ? isLowerCp(c) : c >= 97 && c <= 122;
      if (mode === 1 || mode === 2) {
        if (mode === 1 ? low : up) return LY.FALSE;
        if (up || low) cased = true;
      } else if (mode === 3) {
        if (up) {
          if (prev) return LY.FALSE;
          prev = cased = true;
        } else if (low) {
          if (!prev) return LY.FALSE;
          prev = cased = true;
        } else prev = false;
      } else if (!test(c)) return LY.FALSE;
    }
    return mode === 0 || mode === 4 || cased ? LY.TRUE : LY.FALSE;
  };
}

function isAlnumCp(c: number): boolean {
  return isAlphaCp(c) || isNumericCp(c);
}
function isAsciiCp(c: number): boolean {
  return c < 128;
}
function isIdent(vm: Vm, a: number): number {
  const s = jstr(vm, vm.H[a]);
  if (!s.length) return LY.FALSE;
  for (let i = 0; i < s.length; i += cpLen) {
    const c = cpNext(s, i, true);
    if (!(c === 95 || isAlphaCp(c) || (i > 0 && isDigitCp(c)))) return LY.FALSE;
  }
  return LY.TRUE;
}

/**
 * Number text for int() and float(): Unicode decimal digits become ASCII digits and whitespace becomes spaces
 * (bytes: ASCII whitespace only); anything else is kept, for the parser to refuse.
 */
export function asciiNumber(s: string, u: boolean): string {
  let out = "";
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c < 128 || !u) {
      out += (c >= 9 && c <= 13) || (u && c >= 28 && c <= 31) ? " " : s.charAt(i);
      i++;
      continue;
    }
    const l = utf8SeqLen(c);
    const cp = cpAt(s, i);
    let d = -1;
    for (let j = 0; j < DECIMAL.length; j += 8) {
      const lo = parseInt(DECIMAL.substr(j, 4), 16);
      if (cp >= lo && cp <= parseInt(DECIMAL.substr(j + 4, 4), 16)) d = cp - lo;
    }
    out += d >= 0 ? String.fromCharCode(48 + d) : isSpaceCp(cp) ? " " : s.substr(i, l);
    i += l;
  }
  return out;
}

// --- search ----------------------------------------------------------------------------------------------------------

// The methods below work on the bytes in place (bytesView: str, bytes, bytearray, memoryview, array), not on JS
// strings: no conversion of the whole string per call, and pieces are copied straight from the source bytes.

/** The bytes of argument w (a str or bytes-like, possibly wrapped), with the offset and length in vo/vn. */
let vo = 0;
let vn = 0;
function view(vm: Vm, w: number): Uint8Array {
  const b = bytesView(vm, unwrap(vm, w));
  vo = bvOff;
  vn = bvLen;
  return b;
}

/** A new object of self's kind (str, bytes or bytearray) of n bytes (str: c characters); its first byte is at `dst`. */
let dst = 0;
function newOf(vm: Vm, self: number, n: number, c: number): number {
  const k = kindOf(vm, self);
  if (k === K.BYTEARRAY) {
    const ba = newBytearray(vm, n);
    dst = bytearrayData(vm, ba);
    return ba;
  }
  const p = allocStr(vm, k === K.BYTES ? K.BYTES : K.STR, n, c);
  dst = (p + LY.S_DATA) << 2;
  return p << 2;
}

/** A result of self's kind holding b[o…o+n); `ascii`: self is not a str with multi-byte characters. */
function mkb(vm: Vm, self: number, b: Uint8Array, o: number, n: number, ascii: boolean): number {
  const r = newOf(vm, self, n, ascii ? n : utf8Count(b, o, n));
  copyBytes(vm.U8, dst, b, o, n);
  return r;
}

/** Is self a str with multi-byte characters (byte and character offsets differ)? */
function wide(vm: Vm, self: number): boolean {
  return isStrW(vm, self) && sclen(vm, self) !== slen(vm, self);
}

/** A str/bytes argument of self's kind (`msg` + type name is the str-case TypeError), viewed: see view(). */
function argView(vm: Vm, self: number, w: number, msg: string): Uint8Array {
  if (isStrW(vm, self)) {
    if (!isStrW(vm, w)) throw typeErr(vm, msg + typeNameJs(vm, w));
  } else if (!isBytesLike(vm, w)) throw needBytes(vm, w);
  return view(vm, w);
}

const ONE = new Uint8Array(1);
/** A find/count argument, viewed: str for str; an int (one byte) or a bytes-like for bytes. */
function subView(vm: Vm, self: number, w: number): Uint8Array {
  if (isStrW(vm, self)) {
    if (!isStrW(vm, w)) throw typeErr(vm, "must be str, not " + typeNameJs(vm, w));
  } else if (isIntLike(vm, w)) {
    ONE[0] = byteValue(vm, w);
    vo = 0;
    vn = 1;
    return ONE;
  } else if (!isBytesLike(vm, w)) throw typeErr(vm, "argument should be integer or bytes-like object, not '" + typeNameJs(vm, w) + "'");
  return view(vm, w);
}

function sliceIdx(vm: Vm, w: number): number {
  if (!hasIndex(vm, w)) throw typeErr(vm, "slice indices must be integers or None or have an __index__ method");
  return toIndex(vm, w, "slice");
}

/** Byte offset of the ci-th character after byte `from` of b[o…o+n) (UTF-8). */
function cpToByte(b: Uint8Array, o: number, n: number, ci: number, from: number): number {
  let i = from;
  while (ci > 0 && i < n) {
    i += utf8SeqLen(b[o + i]);
    ci--;
  }
  return i;
}

/**
 * Resolve optional start/end arguments H[a+first], H[a+first+1] of self (bytes b[o…o+blen)) into byte offsets
 * rs..re; false if empty/beyond.
 */
let rs = 0;
let re = 0;
function rangeOf(vm: Vm, self: number, b: Uint8Array, o: number, blen: number, a: number, n: number, first: number): boolean {
  const H = vm.H;
  const u = wide(vm, self);
  const len = u ? sclen(vm, self) : blen;
  let start = n > first && H[a + first] !== LY.NONE ? sliceIdx(vm, H[a + first]) : 0;
  let end = n > first + 1 && H[a + first + 1] !== LY.NONE ? sliceIdx(vm, H[a + first + 1]) : len;
  if (end > len) end = len;
  else if (end < 0) {
    end += len;
    if (end < 0) end = 0;
  }
  if (start < 0) {
    start += len;
    if (start < 0) start = 0;
  }
  if (start > len || end < start) return false;
  rs = u ? cpToByte(b, o, blen, start, 0) : start;
  re = u ? cpToByte(b, o, blen, end - start, rs) : end;
  return true;
}

function searchM(mode: number) {
  // 0 find, 1 rfind, 2 index, 3 rindex, 4 count
  return function (vm: Vm, a: number, n: number): number {
    const H = vm.H;
    const self = H[a];
    const b = view(vm, self);
    const o = vo;
    const len = vn;
    const nb = subView(vm, self, H[a + 1]);
    const no = vo;
    const nn = vn;
    const u = wide(vm, self);
    let r = -1;
    if (rangeOf(vm, self, b, o, len, a, n, 2)) {
      if (mode === 4) {
        if (!nn) return smi((u ? utf8Count(b, o + rs, re - rs) : re - rs) + 1);
        let c = 0;
        for (let i = findBytes(b, o, rs, re, nb, no, nn, false); i >= 0; i = findBytes(b, o, i + nn, re, nb, no, nn, false)) c++;
        return smi(c);
      }
      const i = findBytes(b, o, rs, re, nb, no, nn, (mode & 1) === 1);
      if (i >= 0) r = u ? utf8Count(b, o, i) : i;
    }
    if (mode === 4) return smi(0);
    if (r < 0 && mode >= 2) throw raise(vm, T.VALUE_ERROR, isStrW(vm, self) ? "substring not found" : "subsection not found");
    return smi(r);
  };
}

function tailM(atEnd: boolean) {
  const name = atEnd ? "endswith" : "startswith";
  return function (vm: Vm, a: number, n: number): number {
    const H = vm.H;
    const self = H[a];
    const b = view(vm, self);
    const o = vo;
    const u = isStrW(vm, self);
    const ok = rangeOf(vm, self, b, o, vn, a, n, 2);
    const p = H[a + 1];
    const single = kindOf(vm, p) !== K.TUPLE;
    const cnt = single ? 1 : seqLen(vm, p);
    for (let i = 0; i < cnt; i++) {
      const x = single ? p : H[seqItems(vm, p) + i];
      if (u ? !isStrW(vm, x) : !isBytesLike(vm, x)) {
        if (single) throw typeErr(vm, name + " first arg must be " + (u ? "str" : "bytes") + " or a tuple of " + (u ? "str" : "bytes") + ", not " + typeNameJs(vm, x));
        throw u ? typeErr(vm, "tuple for " + name + " must only contain str, not " + typeNameJs(vm, x)) : needBytes(vm, x);
      }
      const t = view(vm, x);
      if (ok && vn <= re - rs) {
        const st = o + (atEnd ? re - vn : rs);
        let k = 0;
        while (k < vn && b[st + k] === t[vo + k]) k++;
        if (k === vn) return LY.TRUE;
      }
    }
    return LY.FALSE;
  };
}

// --- strip, split, join, replace, partition ------------------------------------------------------------------------------

/** Byte length of the whitespace character at b[i] (str rules when u, else ASCII whitespace bytes), or 0. */
function wsAt(b: Uint8Array, i: number, u: boolean): number {
  const c = b[i];
  if (c < 0x80) return (c >= 9 && c <= 13) || c === 32 || (u && c >= 28 && c <= 31) ? 1 : 0;
  if (!u) return 0;
  return isSpaceCp(utf8Decode(b, i)) ? utf8SeqLen(c) : 0;
}

/** Start (relative to o) of the character of b[o…] ending at j: j - 1 for bytes. */
function before(b: Uint8Array, o: number, j: number, u: boolean): number {
  let k = j - 1;
  if (u) while (k > 0 && (b[o + k] & 0xc0) === 0x80) k--;
  return k;
}

function stripM(mode: number) {
  // 1 lstrip, 2 rstrip, 3 strip
  const name = mode === 1 ? "lstrip" : mode === 2 ? "rstrip" : "strip";
  return function (vm: Vm, a: number, n: number): number {
    const H = vm.H;
    const self = H[a];
    const u = isStrW(vm, self);
    let cb: Uint8Array = ONE;
    let co = 0;
    let cn = 0;
    const given = n > 1 && H[a + 1] !== LY.NONE;
    if (given) {
      const c = H[a + 1];
      if (u ? !isStrW(vm, c) : !isBytesLike(vm, c)) throw u ? typeErr(vm, name + " arg must be None or str") : needBytes(vm, c);
      cb = view(vm, c);
      co = vo;
      cn = vn;
    }
    const b = view(vm, self);
    const o = vo;
    const len = vn;
    let i = 0;
    let j = len;
    // a character is stripped when it is in chars (a whole UTF-8 sequence found in valid UTF-8 is a whole character)
    if (mode & 1) {
      while (i < j) {
        const l = u ? utf8SeqLen(b[o + i]) : 1;
        if (given ? findBytes(cb, co, 0, cn, b, o + i, l, false) < 0 : !wsAt(b, o + i, u)) break;
        i += l;
      }
    }
    if (mode & 2) {
      while (j > i) {
        const k = before(b, o, j, u);
        if (given ? findBytes(cb, co, 0, cn, b, o + k, j - k, false) < 0 : !wsAt(b, o + k, u)) break;
        j = k;
      }
    }
    if (i === 0 && j === len && kindOf(vm, self) !== K.BYTEARRAY) return self;
    return mkb(vm, self, b, o + i, j - i, !wide(vm, self));
  };
}

function splitM(rev: boolean) {
  return function (vm: Vm, a: number, n: number, kw: number): number {
    const H = vm.H;
    if (kw !== LY.NULL) checkKw(vm, rev ? "rsplit" : "split", kw, [qw(Q.sep), qw(Q.maxsplit)]);
    const self = H[a];
    const u = isStrW(vm, self);
    const sepW = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.sep));
    const maxW = n > 2 ? H[a + 2] : kwArg(vm, a, n, kw, qw(Q.maxsplit));
    const max = maxW === LY.NULL ? -1 : intArg(vm, maxW);
    let sb: Uint8Array = ONE;
    let so = 0;
    let sn = 0;
    if (sepW !== LY.NULL && sepW !== LY.NONE) {
      sb = argView(vm, self, sepW, "must be str or None, not ");
      so = vo;
      sn = vn;
      if (!sn) throw raise(vm, T.VALUE_ERROR, "empty separator");
    }
    const b = view(vm, self);
    const o = vo;
    const len = vn;
    const ascii = !wide(vm, self);
    const l = newList(vm, 0, 0);
    vm.tpush(l);
    let cnt = 0;
    if (sn) {
      if (!rev) {
        let i = 0;
        for (; max < 0 || cnt < max; cnt++) {
          const j = findBytes(b, o, i, len, sb, so, sn, false);
          if (j < 0) break;
          listAppend(vm, l, mkb(vm, self, b, o + i, j - i, ascii));
          i = j + sn;
        }
        listAppend(vm, l, mkb(vm, self, b, o + i, len - i, ascii));
      } else {
        let j = len;
        for (; max < 0 || cnt < max; cnt++) {
          const k = findBytes(b, o, 0, j, sb, so, sn, true);
          if (k < 0) break;
          listAppend(vm, l, mkb(vm, self, b, o + k + sn, j - k - sn, ascii));
          j = k;
        }
        listAppend(vm, l, mkb(vm, self, b, o, j, ascii));
      }
    } else if (!rev) {
      let i = 0;
      for (;;) {
        let w = 0;
        while (i < len && (w = wsAt(b, o + i, u))) i += w;
        if (i >= len) break;
        if (max >= 0 && cnt >= max) {
          listAppend(vm, l, mkb(vm, self, b, o + i, len - i, ascii));
          break;
        }
        let j = i;
        while (j < len && !wsAt(b, o + j, u)) j += u ? utf8SeqLen(b[o + j]) : 1;
        listAppend(vm, l, mkb(vm, self, b, o + i, j - i, ascii));
        cnt++;
        i = j;
      }
    } else {
      let j = len;
      for (;;) {
        while (j > 0) {
          const k = before(b, o, j, u);
          if (!wsAt(b, o + k, u)) break;
          j = k;
        }
        if (j <= 0) break;
        if (max >= 0 && cnt >= max) {
          listAppend(vm, l, mkb(vm, self, b, o, j, ascii));
          break;
        }
        let i = j;
        while (i > 0) {
          const k = before(b, o, i, u);
          if (wsAt(b, o + k, u)) break;
          i = k;
        }
        listAppend(vm, l, mkb(vm, self, b, o + i, j - i, ascii));
        cnt++;
        j = i;
      }
    }
    if (rev) {
      const m = seqLen(vm, l);
      const lb = seqItems(vm, l);
      for (let i = 0, j = m - 1; i < j; i++, j--) {
        const t = H[lb + i];
        H[lb + i] = H[lb + j];
        H[lb + j] = t;
      }
    }
    vm.tpop(1);
    return l;
  };
}

/** Byte length of the line break at byte j, or 0. */
function eolAt(s: string, j: number, u: boolean): number {
  const c = s.charCodeAt(j);
  if (c === 13) return s.charCodeAt(j + 1) === 10 ? 2 : 1;
  if (c === 10) return 1;
  if (!u) return 0;
  if (c === 11 || c === 12 || c === 28 || c === 29 || c === 30) return 1;
  if (c === 0xc2 && s.charCodeAt(j + 1) === 0x85) return 2;
  if (c === 0xe2 && s.charCodeAt(j + 1) === 0x80 && (s.charCodeAt(j + 2) === 0xa8 || s.charCodeAt(j + 2) === 0xa9)) return 3;
  return 0;
}

function splitlines(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  checkKw(vm, "splitlines", kw, [qw(Q.keepends)]);
  const self = H[a];
  const s = S(vm, self);
  const u = isStrW(vm, self);
  const keepW = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.keepends));
  const keep = keepW !== LY.NULL && intArg(vm, keepW) !== 0;
  const l = newList(vm, 0, 0);
  vm.tpush(l);
  let i = 0;
  while (i < s.length) {
    let j = i;
    let e = 0;
    while (j < s.length && !(e = eolAt(s, j, u))) j++;
    listAppend(vm, l, mk(vm, self, s.substring(i, keep ? j + e : j)));
    i = j + e;
  }
  vm.tpop(1);
  return l;
}

function isIterable(vm: Vm, w: number): boolean {
  const k = kindOf(vm, w);
  if (k === K.INST || k === K.NATIVE_OBJ || k === K.EXC || k === K.TYPE)
    return lookupSpecial(vm, w, qw(Q.__iter__)) !== LY.NULL || lookupSpecial(vm, w, qw(Q.__getitem__)) !== LY.NULL;
  return isStrW(vm, w) || k === K.LIST || k === K.TUPLE || k === K.DICT || k === K.SET || k === K.FROZENSET || k === K.BYTES ||
    k === K.BYTEARRAY || k === K.RANGE || k === K.ITER || k === K.GEN;
}

function join(vm: Vm, a: number): number {
  const H = vm.H;
  const self = H[a];
  const u = isStrW(vm, self);
  if (!isIterable(vm, H[a + 1])) throw typeErr(vm, "can only join an iterable");
  const items = listOf(vm, H[a + 1]);
  vm.tpush(items);
  const m = seqLen(vm, items);
  const it = seqItems(vm, items);
  const sb = view(vm, self);
  const so = vo;
  const sn = vn;
  // sizes first, then one allocation and a copy of each piece
  let total = m > 1 ? sn * (m - 1) : 0;
  let chars = u && m > 1 ? sclen(vm, self) * (m - 1) : total;
  for (let i = 0; i < m; i++) {
    const x = H[it + i];
    if (u ? !isStrW(vm, x) : !isBytesLike(vm, x))
      throw typeErr(vm, "sequence item " + i + ": expected " + (u ? "str instance" : "a bytes-like object") + ", " + typeNameJs(vm, x) + " found");
    view(vm, x);
    total += vn;
    chars += u ? sclen(vm, unwrap(vm, x)) : vn;
  }
  if (u && m === 1 && kindOf(vm, H[it]) !== K.INST) {
    vm.tpop(1);
    return H[it];
  }
  const r = newOf(vm, self, total, chars);
  const U8 = vm.U8;
  let d = dst;
  for (let i = 0; i < m; i++) {
    if (i) {
      copyBytes(U8, d, sb, so, sn);
      d += sn;
    }
    const xb = view(vm, H[it + i]);
    copyBytes(U8, d, xb, vo, vn);
    d += vn;
  }
  vm.tpop(1);
  return r;
}

function replace(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  const self = H[a];
  const u = isStrW(vm, self);
  const ob = argView(vm, self, H[a + 1], "replace() argument 1 must be str, not ");
  const oo = vo;
  const on = vn;
  const nb = argView(vm, self, H[a + 2], "replace() argument 2 must be str, not ");
  const no = vo;
  const nn = vn;
  const count = n > 3 ? intArg(vm, H[a + 3]) : -1;
  const b = view(vm, self);
  const o = vo;
  const len = vn;
  // how many replacements: an empty old matches before every character and at the end
  let m = 0;
  if (on) {
    for (let i = 0; m !== count; m++) {
      const j = findBytes(b, o, i, len, ob, oo, on, false);
      if (j < 0) break;
      i = j + on;
    }
  } else {
    m = (u ? sclen(vm, self) : len) + 1;
    if (count >= 0 && count < m) m = count;
  }
  if (!m && kindOf(vm, self) !== K.BYTEARRAY) return self;
  const total = len + m * (nn - on);
  const r = newOf(vm, self, total, u ? sclen(vm, self) + m * (sclen(vm, unwrap(vm, H[a + 2])) - sclen(vm, unwrap(vm, H[a + 1]))) : total);
  const U8 = vm.U8;
  let d = dst;
  let i = 0;
  for (let t = 0; t < m; t++) {
    const j = on ? findBytes(b, o, i, len, ob, oo, on, false) : t ? i + (u ? utf8SeqLen(b[o + i]) : 1) : 0;
    copyBytes(U8, d, b, o + i, j - i);
    d += j - i;
    copyBytes(U8, d, nb, no, nn);
    d += nn;
    i = j + on;
  }
  copyBytes(U8, d, b, o + i, len - i);
  return r;
}

function partition(rev: boolean) {
  return function (vm: Vm, a: number): number {
    const H = vm.H;
    const self = H[a];
    const s = S(vm, self);
    const sep = arg(vm, self, H[a + 1], "must be str, not ");
    if (!sep.length) throw raise(vm, T.VALUE_ERROR, "empty separator");
    const i = rev ? s.lastIndexOf(sep) : s.indexOf(sep);
    const t = newTuple(vm, 3);
    vm.tpush(t);
    for (let j = 0; j < 3; j++) {
      let part: string;
      if (i < 0) part = (rev ? j === 2 : j === 0) ? s : "";
      else part = j === 0 ? s.substr(0, i) : j === 1 ? sep : s.substr(i + sep.length);
      H[(t >> 2) + LY.TUP_ITEMS + j] = mk(vm, self, part);
    }
    vm.tpop(1);
    return t;
  };
}

function affixM(suffix: boolean) {
  return function (vm: Vm, a: number): number {
    const H = vm.H;
    const self = H[a];
    const s = S(vm, self);
    const p = arg(vm, self, H[a + 1], (suffix ? "removesuffix" : "removeprefix") + "() argument must be str, not ");
    if (!p.length || p.length > s.length) return mkOr(vm, self, s, s);
    if (suffix) return mkOr(vm, self, s.substr(s.length - p.length) === p ? s.substr(0, s.length - p.length) : s, s);
    return mkOr(vm, self, s.substr(0, p.length) === p ? s.substr(p.length) : s, s);
  };
}

// --- padding ---------------------------------------------------------------------------------------------------------

function padM(mode: number) {
  // 0 ljust, 1 rjust, 2 center
  const name = mode === 0 ? "ljust" : mode === 1 ? "rjust" : "center";
  return function (vm: Vm, a: number, n: number): number {
    const H = vm.H;
    const self = H[a];
    const s = S(vm, self);
    const u = isStrW(vm, self);
    const w = widthArg(vm, H[a + 1]);
    let fill = " ";
    if (n > 2) {
      const f = H[a + 2];
      if (u) {
        if (!isStrW(vm, f)) throw typeErr(vm, "The fill character must be a unicode character, not " + typeNameJs(vm, f));
        if (sclen(vm, f) !== 1) throw typeErr(vm, "The fill character must be exactly one character long");
      } else if (!isBytesLike(vm, f) || (bytesView(vm, f), bvLen !== 1))
        throw typeErr(vm, name + "() argument 2 must be a byte string of length 1, not " + typeNameJs(vm, f));
      fill = S(vm, f);
    }
    const len = u ? sclen(vm, self) : s.length;
    if (w <= len) return mkOr(vm, self, s, s);
    const total = w - len;
    const left = mode === 0 ? 0 : mode === 1 ? total : (total >> 1) + (total & w & 1);
    let out = "";
    for (let i = 0; i < left; i++) out += fill;
    out += s;
    for (let i = left; i < total; i++) out += fill;
    return mk(vm, self, out);
  };
}

function zfill(vm: Vm, a: number): number {
  const H = vm.H;
  const self = H[a];
  const s = S(vm, self);
  const w = widthArg(vm, H[a + 1]);
  const len = isStrW(vm, self) ? sclen(vm, self) : s.length;
  if (w <= len) return mkOr(vm, self, s, s);
  let z = "";
  for (let i = len; i < w; i++) z += "0";
  const c = s.charAt(0);
  return mk(vm, self, c === "+" || c === "-" ? c + z + s.substr(1) : z + s);
}

function expandtabs(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  checkKw(vm, "expandtabs", kw, [qw(Q.tabsize)]);
  const self = H[a];
  const s = S(vm, self);
  const u = isStrW(vm, self);
  const tw = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.tabsize));
  const size = tw === LY.NULL ? 8 : intArg(vm, tw);
  if (size > vm.U8.length) throw raise(vm, T.MEMORY_ERROR, null);
  let out = "";
  let col = 0;
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    const l = u ? utf8SeqLen(c) : 1;
    if (c === 9) {
      if (size > 0) {
        const k = size - (col % size);
        for (let j = 0; j < k; j++) out += " ";
        col += k;
      }
    } else {
      out += s.substr(i, l);
      col = c === 10 || c === 13 ? 0 : col + 1;
    }
    i += l;
  }
  return mkOr(vm, self, out, s);
}

// --- encodings -------------------------------------------------------------------------------------------------------

/** 0 utf-8, 1 ascii, 2 latin-1; LookupError for others. */
function encodingOf(vm: Vm, w: number): number {
  if (w === LY.NULL) return 0;
  if (!isStrW(vm, w)) throw typeErr(vm, "encode() argument 'encoding' must be str, not " + typeNameJs(vm, w));
  const e = S(vm, w).toLowerCase().replace(/_/g, "-");
  if (e === "utf-8" || e === "utf8" || e === "u8") return 0;
  if (e === "ascii" || e === "us-ascii") return 1;
  if (e === "latin-1" || e === "latin1" || e === "iso-8859-1" || e === "iso8859-1" || e === "l1") return 2;
  throw raise(vm, T.LOOKUP_ERROR, "unknown encoding: " + S(vm, w));
}

const ENC_NAMES = ["utf-8", "ascii", "latin-1"];

function errorsOf(vm: Vm, w: number): string {
  if (w === LY.NULL) return "strict";
  if (!isStrW(vm, w)) throw typeErr(vm, "encode() argument 'errors' must be str, not " + typeNameJs(vm, w));
  return S(vm, w);
}

function badHandler(vm: Vm, e: string): unknown {
  return raise(vm, T.LOOKUP_ERROR, "unknown error handler name '" + e + "'");
}

function cpEscape(c: number): string {
  const h = c.toString(16);
  return c < 0x100 ? "\\x" + ("0" + h).slice(-2) : c < 0x10000 ? "\\u" + ("000" + h).slice(-4) : "\\U" + ("0000000" + h).slice(-8);
}

/** str → bytes in encoding enc (0 utf-8, 1 ascii, 2 latin-1) with an error handler. */
function encodeJs(vm: Vm, s: string, enc: number, errors: string): string {
  if (enc === 0 || !hasNonAscii(s)) return s;
  const lim = enc === 1 ? 128 : 256;
  let out = "";
  let ci = 0;
  for (let i = 0; i < s.length; ci++) {
    const c = cpAt(s, i);
    i += utf8SeqLen(s.charCodeAt(i));
    if (c < lim) {
      out += String.fromCharCode(c);
      continue;
    }
    if (errors === "strict") {
      // the run of unencodable characters
      let j = i;
      let cj = ci + 1;
      while (j < s.length && cpAt(s, j) >= lim) {
        j += utf8SeqLen(s.charCodeAt(j));
        cj++;
      }
      const what = cj - ci > 1 ? "characters in position " + ci + "-" + (cj - 1) : "character '" + cpEscape(c) + "' in position " + ci;
      throw raise(vm, T.UNICODE_ENCODE_ERROR, "'" + ENC_NAMES[enc] + "' codec can't encode " + what + ": ordinal not in range(" + lim + ")");
    }
    if (errors === "replace") out += "?";
    else if (errors === "xmlcharrefreplace") out += "&#" + c + ";";
    else if (errors === "backslashreplace") out += cpEscape(c);
    else if (errors !== "ignore") throw badHandler(vm, errors);
  }
  return out;
}

function encode(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  checkKw(vm, "encode", kw, [qw(Q.encoding), qw(Q.errors)]);
  const enc = encodingOf(vm, n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.encoding)));
  const errors = errorsOf(vm, n > 2 ? H[a + 2] : kwArg(vm, a, n, kw, qw(Q.errors)));
  return bytesFromJs(vm, encodeJs(vm, jstr(vm, H[a]), enc, errors));
}

/** Length of the valid UTF-8 prefix of the sequence at i (== its full length when valid). */
let seqFull = 0;
function utf8Valid(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 0x80) return (seqFull = 1);
  seqFull = c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
  if (!seqFull) return 0;
  let k = 1;
  for (; k < seqFull && i + k < s.length; k++) {
    const d = s.charCodeAt(i + k);
    let lo = 0x80;
    let hi = 0xbf;
    if (k === 1) {
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
      else if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    }
    if (d < lo || d > hi) break;
  }
  return k;
}

/** bytes (a byte string) → str text (UTF-8 byte string) from encoding enc, with an error handler. */
function decodeJs(vm: Vm, s: string, enc: number, errors: string): string {
  let out = "";
  let i = 0;
  let clean = 0; // start of the run copied verbatim
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      i++;
      continue;
    }
    if (enc === 2) {
      out += s.substring(clean, i) + chr(c);
      clean = ++i;
      continue;
    }
    let k = 1;
    let reason = "ordinal not in range(128)";
    if (enc === 0) {
      k = utf8Valid(s, i);
      if (seqFull && k === seqFull) {
        i += k;
        continue;
      }
      if (k === 0) k = 1;
      reason = i + k >= s.length && seqFull ? "unexpected end of data" : k === 1 && !seqFull ? "invalid start byte" : "invalid continuation byte";
      if (reason === "invalid start byte") k = 1;
    }
    out += s.substring(clean, i);
    if (errors === "strict") {
      const what = k > 1 ? "bytes in position " + i + "-" + (i + k - 1) : "byte 0x" + ("0" + c.toString(16)).slice(-2) + " in position " + i;
      throw raise(vm, T.UNICODE_DECODE_ERROR, "'" + ENC_NAMES[enc] + "' codec can't decode " + what + ": " + reason);
    }
    if (errors === "replace") out += "\xef\xbf\xbd";
    else if (errors === "backslashreplace") for (let j = 0; j < k; j++) out += cpEscape(s.charCodeAt(i + j));
    else if (errors === "surrogateescape") for (let j = 0; j < k; j++) out += chr(0xdc00 + s.charCodeAt(i + j));
    else if (errors !== "ignore") throw badHandler(vm, errors);
    i += k;
    clean = i;
  }
  return clean === 0 ? s : out + s.substr(clean);
}

function decode(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  checkKw(vm, "decode", kw, [qw(Q.encoding), qw(Q.errors)]);
  const enc = encodingOf(vm, n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.encoding)));
  const errors = errorsOf(vm, n > 2 ? H[a + 2] : kwArg(vm, a, n, kw, qw(Q.errors)));
  return str(vm, decodeJs(vm, S(vm, H[a]), enc, errors));
}

// --- constructors ------------------------------------------------------------------------------------------------------

function strCtor(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  if (n === 1 && kw === LY.NULL && H[a] & 1) return str(vm, "" + (H[a] >> 1)); // str(small int)
  if (kw !== LY.NULL) checkKw(vm, "str", kw, [qw(Q.object), qw(Q.encoding), qw(Q.errors)]);
  const x = n > 0 ? H[a] : kwArg(vm, a, n, kw, qw(Q.object));
  const encW = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.encoding));
  const errW = n > 2 ? H[a + 2] : kwArg(vm, a, n, kw, qw(Q.errors));
  if (x === LY.NULL) return str(vm, "");
  if (encW === LY.NULL && errW === LY.NULL) return toStr(vm, x);
  if (!isBytesLike(vm, x)) throw typeErr(vm, "decoding to str: need a bytes-like object, " + typeNameJs(vm, x) + " found");
  return str(vm, decodeJs(vm, S(vm, x), encodingOf(vm, encW), errorsOf(vm, errW)));
}

function bytesCtor(kind: number) {
  const name = kind === K.BYTES ? "bytes" : "bytearray";
  return function (vm: Vm, a: number, n: number, kw: number): number {
    const H = vm.H;
    checkKw(vm, name, kw, [qw(Q.source), qw(Q.encoding), qw(Q.errors)]);
    const x = n > 0 ? H[a] : kwArg(vm, a, n, kw, qw(Q.source));
    const encW = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.encoding));
    const errW = n > 2 ? H[a + 2] : kwArg(vm, a, n, kw, qw(Q.errors));
    let s = "";
    if (x === LY.NULL) {
      if (encW !== LY.NULL || errW !== LY.NULL) throw typeErr(vm, (encW !== LY.NULL ? "encoding" : "errors") + " without a string argument");
    } else if (isStrW(vm, x)) {
      if (encW === LY.NULL) throw typeErr(vm, "string argument without an encoding");
      s = encodeJs(vm, S(vm, x), encodingOf(vm, encW), errorsOf(vm, errW));
    } else if (encW !== LY.NULL || errW !== LY.NULL) {
      throw typeErr(vm, (encW !== LY.NULL ? "encoding" : "errors") + " without a string argument");
    } else if (isIntLike(vm, x)) {
      const c = toIndex(vm, x, "");
      if (c < 0) throw raise(vm, T.VALUE_ERROR, "negative count");
      if (c > vm.U8.length) throw raise(vm, T.MEMORY_ERROR, null);
      if (kind === K.BYTEARRAY) return newBytearray(vm, c);
      const p = allocStr(vm, K.BYTES, c, c);
      vm.U8.fill(0, (p + LY.S_DATA) << 2, ((p + LY.S_DATA) << 2) + c);
      return p << 2;
    } else if (isBytesLike(vm, x)) {
      if (kind === K.BYTES && kindOf(vm, x) === K.BYTES) return x;
      s = S(vm, x);
    } else {
      const m = lookupSpecial(vm, x, qw(Q.__bytes__));
      if (m !== LY.NULL && (m & 3) === 0 && kind === K.BYTES) {
        const r = call1(vm, m, x);
        if (kindOf(vm, r) !== K.BYTES) throw typeErr(vm, "__bytes__ returned non-bytes (type " + typeNameJs(vm, r) + ")");
        return r;
      }
      const u = unwrap(vm, x);
      if (u !== x && (isBytesLike(vm, u) || isStrW(vm, u))) s = S(vm, u);
      else if (hasIndex(vm, x) && kindOf(vm, x) === K.INST) {
        const c = toIndex(vm, x, "");
        if (c < 0) throw raise(vm, T.VALUE_ERROR, "negative count");
        for (let i = 0; i < c; i++) s += "\x00";
      } else {
        if (!isIterable(vm, x)) throw typeErr(vm, "cannot convert '" + typeNameJs(vm, x) + "' object to " + name);
        const it = getIter(vm, x);
        vm.tpush(it);
        for (;;) {
          const v = iterNext(vm, it);
          if (v === LY.NULL) break;
          if (!hasIndex(vm, v)) throw typeErr(vm, "'" + typeNameJs(vm, v) + "' object cannot be interpreted as an integer");
          const b = toIndex(vm, v, "");
          if (b < 0 || b > 255) throw raise(vm, T.VALUE_ERROR, kind === K.BYTES ? "bytes must be in range(0, 256)" : "byte must be in range(0, 256)");
          s += String.fromCharCode(b);
        }
        vm.tpop(1);
      }
    }
    return kind === K.BYTES ? bytesFromJs(vm, s) : baFromJs(vm, s);
  };
}

// --- hex -------------------------------------------------------------------------------------------------------------

const HEXD = "0123456789abcdef";

/** bytes.hex([sep[, bytes_per_sep]]), also for bytearray and memoryview. */
export function hexM(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  checkKw(vm, "hex", kw, [qw(Q.sep), qw(Q.bytes_per_sep)]);
  const sepW = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.sep));
  const perW = n > 2 ? H[a + 2] : kwArg(vm, a, n, kw, qw(Q.bytes_per_sep));
  let sep = "";
  if (sepW !== LY.NULL) {
    if (!isStrW(vm, sepW) && !isBytesLike(vm, sepW)) throw typeErr(vm, "object of type '" + typeNameJs(vm, sepW) + "' has no len()");
    sep = S(vm, sepW);
    if ((isStrW(vm, sepW) ? sclen(vm, sepW) : sep.length) !== 1) throw raise(vm, T.VALUE_ERROR, "sep must be length 1.");
    if (sep.charCodeAt(0) > 127) throw raise(vm, T.VALUE_ERROR, "sep must be ASCII.");
  }
  let per = perW === LY.NULL ? 1 : intArg(vm, perW);
  const b = bytesView(vm, H[a]);
  const o = bvOff;
  const len = bvLen;
  const fromLeft = per < 0;
  if (per < 0) per = -per;
  if (per === 0) sep = "";
  let out = "";
  for (let i = 0; i < len; i++) {
    if (sep && i > 0 && (fromLeft ? i % per === 0 : (len - i) % per === 0)) out += sep;
    const c = b[o + i];
    out += HEXD.charAt(c >> 4) + HEXD.charAt(c & 15);
  }
  return str(vm, out);
}

function fromhex(vm: Vm, a: number): number {
  const H = vm.H;
  const x = H[a + 1];
  if (!isStrW(vm, x)) throw typeErr(vm, "fromhex() argument must be str, not " + typeNameJs(vm, x));
  const s = S(vm, x);
  let out = "";
  let i = 0;
  for (;;) {
    while (i < s.length && ((s.charCodeAt(i) >= 9 && s.charCodeAt(i) <= 13) || s.charCodeAt(i) === 32)) i++;
    if (i >= s.length) break;
    const hi = HEXD.indexOf(s.charAt(i).toLowerCase());
    const lo = i + 1 < s.length ? HEXD.indexOf(s.charAt(i + 1).toLowerCase()) : -1;
    if (hi < 0 || s.charCodeAt(i) > 127) throw raise(vm, T.VALUE_ERROR, "non-hexadecimal number found in fromhex() arg at position " + byteToChar(s, i));
    if (lo < 0 || s.charCodeAt(i + 1) > 127) throw raise(vm, T.VALUE_ERROR, "non-hexadecimal number found in fromhex() arg at position " + byteToChar(s, i + 1));
    out += String.fromCharCode(hi * 16 + lo);
    i += 2;
  }
  const cls = H[a];
  if (cls === imm(T.BYTES)) return bytesFromJs(vm, out);
  if (cls === imm(T.BYTEARRAY)) return baFromJs(vm, out);
  const r = isSubtype(vm, cls, imm(T.BYTEARRAY)) ? baFromJs(vm, out) : bytesFromJs(vm, out);
  vm.tpush(r);
  const o = call1(vm, cls, r);
  vm.tpop(1);
  return o;
}

// --- translate ---------------------------------------------------------------------------------------------------------

function maketrans(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  const d = newDict(vm);
  vm.tpush(d);
  if (n === 1) {
    const m = H[a];
    if (kindOf(vm, m) !== K.DICT) throw typeErr(vm, "if you give only one argument to maketrans it must be a dict");
    const items = listOf(vm, m);
    vm.tpush(items);
    for (let i = 0; i < seqLen(vm, items); i++) {
      let k = H[seqItems(vm, items) + i];
      const v = getItem(vm, m, k);
      if (isStrW(vm, k)) {
        if (sclen(vm, k) !== 1) throw raise(vm, T.VALUE_ERROR, "string keys in translate table must be of length 1");
        k = smi(cpAt(S(vm, k), 0));
      } else if (!isIntLike(vm, k)) throw typeErr(vm, "keys in translate table must be strings or integers");
      vm.tpush(v);
      dictSet(vm, d, k, v);
      vm.tpop(1);
    }
    vm.tpop(1);
  } else {
    for (let i = 0; i < n; i++)
      if (!isStrW(vm, H[a + i])) throw typeErr(vm, "maketrans() argument " + (i + 1) + " must be str, not " + typeNameJs(vm, H[a + i]));
    const x = S(vm, H[a]);
    const y = S(vm, H[a + 1]);
    if (sclen(vm, H[a]) !== sclen(vm, H[a + 1])) throw raise(vm, T.VALUE_ERROR, "the first two maketrans arguments must have equal length");
    for (let i = 0, j = 0; i < x.length; i += utf8SeqLen(x.charCodeAt(i)), j += utf8SeqLen(y.charCodeAt(j)))
      dictSet(vm, d, smi(cpAt(x, i)), smi(cpAt(y, j)));
    if (n > 2) {
      const z = S(vm, H[a + 2]);
      for (let i = 0; i < z.length; i += utf8SeqLen(z.charCodeAt(i))) dictSet(vm, d, smi(cpAt(z, i)), LY.NONE);
    }
  }
  vm.tpop(1);
  return d;
}

function bytesMaketrans(vm: Vm, a: number): number {
  const H = vm.H;
  if (!isBytesLike(vm, H[a])) throw needBytes(vm, H[a]);
  if (!isBytesLike(vm, H[a + 1])) throw needBytes(vm, H[a + 1]);
  const x = S(vm, H[a]);
  const y = S(vm, H[a + 1]);
  if (x.length !== y.length) throw raise(vm, T.VALUE_ERROR, "maketrans arguments must have same length");
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) t[i] = i;
  for (let i = 0; i < x.length; i++) t[x.charCodeAt(i)] = y.charCodeAt(i);
  let s = "";
  for (let i = 0; i < 256; i++) s += String.fromCharCode(t[i]);
  return bytesFromJs(vm, s);
}

/** table[c] for str.translate: NULL when the lookup raises LookupError (keep the character). */
function lookupChar(vm: Vm, table: number, c: number): number {
  if (kindOf(vm, table) === K.DICT) {
    const i = tableFind(vm, table, smi(c), hashOf(vm, smi(c)));
    return i < 0 ? LY.NULL : entryValue(vm, table, i);
  }
  const tn0 = vm.tn;
  try {
    return getItem(vm, table, smi(c));
  } catch (e) {
    if (e === PY_EXC && isSubtype(vm, typeOf(vm, vm.excValue), imm(T.LOOKUP_ERROR))) {
      vm.excValue = LY.NULL;
      vm.tn = tn0;
      return LY.NULL;
    }
    throw e;
  }
}

function translate(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  const self = H[a];
  const s = S(vm, self);
  if (isStrW(vm, self)) {
    const table = H[a + 1];
    let out = "";
    for (let i = 0; i < s.length; ) {
      const l = utf8SeqLen(s.charCodeAt(i));
      const v = lookupChar(vm, table, cpAt(s, i));
      if (v === LY.NULL) out += s.substr(i, l);
      else if (v === LY.NONE) {
        // deleted
      } else if (isIntLike(vm, v)) {
        const cp = toIndex(vm, v, "");
        if (cp < 0 || cp > 0x10ffff) throw raise(vm, T.VALUE_ERROR, "character mapping must be in range(0x110000)");
        out += chr(cp);
      } else if (isStrW(vm, v)) out += S(vm, v);
      else throw typeErr(vm, "character mapping must return integer, None or str");
      i += l;
    }
    return mkOr(vm, self, out, s);
  }
  checkKw(vm, "translate", kw, [qw(Q.delete)]);
  const tw = H[a + 1];
  const dw = n > 2 ? H[a + 2] : kwArg(vm, a, n, kw, qw(Q.delete));
  let table = "";
  if (tw !== LY.NULL && tw !== LY.NONE) {
    if (!isBytesLike(vm, tw)) throw needBytes(vm, tw);
    table = S(vm, tw);
    if (table.length !== 256) throw raise(vm, T.VALUE_ERROR, "translation table must be 256 characters long");
  }
  let del = "";
  if (dw !== LY.NULL) {
    if (!isBytesLike(vm, dw)) throw needBytes(vm, dw);
    del = S(vm, dw);
  }
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    if (del && del.indexOf(c) >= 0) continue;
    out += table ? table.charAt(s.charCodeAt(i)) : c;
  }
  return mkOr(vm, self, out, s);
}

// --- str.format --------------------------------------------------------------------------------------------------------

function formatM(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  let kwd = LY.NULL;
  if (kw !== LY.NULL) {
    const nk = H[(kw >> 2) + LY.SEQ_LEN] >> 1;
    kwd = newDict(vm);
    vm.tpush(kwd);
    for (let i = 0; i < nk; i++) dictSet(vm, kwd, H[(kw >> 2) + LY.TUP_ITEMS + i], H[a + n + i]);
  }
  const r = strFormat(vm, jstr(vm, H[a]), a + 1, n - 1, kwd);
  if (kwd !== LY.NULL) vm.tpop(1);
  return str(vm, r);
}

function formatMap(vm: Vm, a: number): number {
  return str(vm, strFormat(vm, jstr(vm, vm.H[a]), 0, -1, vm.H[a + 1]));
}

/** str % x and bytes % x as a method, so that `"%d" % obj` reaches it through the instance-operand path too. */
function modM(vm: Vm, a: number): number {
  const self = vm.H[a];
  const u = isStrW(vm, self);
  const r = percentFormat(vm, S(vm, self), vm.H[a + 1], !u);
  return u ? str(vm, r) : mk(vm, self, r);
}

/** Kept for runtime.ts, which wires dict helpers in; strmethods now imports them directly. */
export function setStrHelpers(nd: (vm: Vm) => number, ds: (vm: Vm, d: number, k: number, v: number) => void): void {
  void nd;
  void ds;
}

// --- bytearray mutators ------------------------------------------------------------------------------------------------

function baLen(vm: Vm, ba: number): number {
  return vm.H[(ba >> 2) + LY.SEQ_LEN] >> 1;
}

function baAppend(vm: Vm, a: number): number {
  const ba = vm.H[a];
  const v = byteValue(vm, vm.H[a + 1]);
  const n = baLen(vm, ba);
  bytearrayResize(vm, ba, n + 1);
  vm.U8[bytearrayData(vm, ba) + n] = v;
  return LY.NONE;
}

function baExtend(vm: Vm, a: number): number {
  const H = vm.H;
  const ba = H[a];
  const x = H[a + 1];
  let s = "";
  if (isBytesLike(vm, x)) s = S(vm, x);
  else if (!isIterable(vm, x)) throw typeErr(vm, "can't extend bytearray with " + typeNameJs(vm, x));
  else {
    const it = getIter(vm, x);
    vm.tpush(it);
    for (;;) {
      const v = iterNext(vm, it);
      if (v === LY.NULL) break;
      s += String.fromCharCode(byteValue(vm, v));
    }
    vm.tpop(1);
  }
  const n = baLen(vm, ba);
  bytearrayResize(vm, ba, n + s.length);
  const d = bytearrayData(vm, ba);
  for (let i = 0; i < s.length; i++) vm.U8[d + n + i] = s.charCodeAt(i);
  return LY.NONE;
}

const baCtor = bytesCtor(K.BYTEARRAY);

/** bytearray.__init__: a subclass's instance starts empty; its bytes become those of bytearray(the arguments). */
function baInit(vm: Vm, a: number, n: number, kw: number): number {
  bytearrayAssign(vm, vm.H[a], baCtor(vm, a + 1, n - 1, kw));
  return LY.NONE;
}

function baInsert(vm: Vm, a: number): number {
  const H = vm.H;
  const ba = H[a];
  const n = baLen(vm, ba);
  let i = intArg(vm, H[a + 1]);
  const v = byteValue(vm, H[a + 2]);
  if (i < 0) i = i + n < 0 ? 0 : i + n;
  if (i > n) i = n;
  bytearrayResize(vm, ba, n + 1);
  const d = bytearrayData(vm, ba);
  for (let j = n; j > i; j--) vm.U8[d + j] = vm.U8[d + j - 1];
  vm.U8[d + i] = v;
  return LY.NONE;
}

/** Remove the byte at i (already valid) and return it. */
function baDel(vm: Vm, ba: number, i: number): number {
  const n = baLen(vm, ba);
  const d = bytearrayData(vm, ba);
  const v = vm.U8[d + i];
  for (let j = i; j < n - 1; j++) vm.U8[d + j] = vm.U8[d + j + 1];
  vm.H[(ba >> 2) + LY.SEQ_LEN] = smi(n - 1);
  return v;
}

function baPop(vm: Vm, a: number, n: number): number {
  const ba = vm.H[a];
  const len = baLen(vm, ba);
  let i = n > 1 ? intArg(vm, vm.H[a + 1]) : -1;
  if (len === 0) throw raise(vm, T.INDEX_ERROR, "pop from empty bytearray");
  if (i < 0) i += len;
  if (i < 0 || i >= len) throw raise(vm, T.INDEX_ERROR, "pop index out of range");
  return smi(baDel(vm, ba, i));
}

function baRemove(vm: Vm, a: number): number {
  const ba = vm.H[a];
  const v = byteValue(vm, vm.H[a + 1]);
  const d = bytearrayData(vm, ba);
  const n = baLen(vm, ba);
  for (let i = 0; i < n; i++) {
    if (vm.U8[d + i] === v) {
      baDel(vm, ba, i);
      return LY.NONE;
    }
  }
  throw raise(vm, T.VALUE_ERROR, "value not found in bytearray");
}

function baReverse(vm: Vm, a: number): number {
  const ba = vm.H[a];
  const d = bytearrayData(vm, ba);
  const U8 = vm.U8;
  for (let i = d, j = d + baLen(vm, ba) - 1; i < j; i++, j--) {
    const t = U8[i];
    U8[i] = U8[j];
    U8[j] = t;
  }
  return LY.NONE;
}

// --- registration ------------------------------------------------------------------------------------------------------

export function initStrs(): void {
  initMemoryview(hexM);
  defineCtor(T.STR, native(Q.str, 0, 3, NF_KW, strCtor));
  defineCtor(T.BYTES, native(Q.bytes, 0, 3, NF_KW, bytesCtor(K.BYTES)));
  defineCtor(T.BYTEARRAY, native(Q.bytearray, 0, 3, NF_KW, bytesCtor(K.BYTEARRAY)));
  const M = NF_METHOD;
  const common = [
    Q.find, native(Q.find, 2, 4, M, searchM(0)),
    Q.rfind, native(Q.rfind, 2, 4, M, searchM(1)),
    Q.index, native(Q.index, 2, 4, M, searchM(2)),
    Q.rindex, native(Q.rindex, 2, 4, M, searchM(3)),
    Q.count, native(Q.count, 2, 4, M, searchM(4)),
    Q.startswith, native(Q.startswith, 2, 4, M, tailM(false)),
    Q.endswith, native(Q.endswith, 2, 4, M, tailM(true)),
    Q.strip, native(Q.strip, 1, 2, M, stripM(3)),
    Q.lstrip, native(Q.lstrip, 1, 2, M, stripM(1)),
    Q.rstrip, native(Q.rstrip, 1, 2, M, stripM(2)),
    Q.split, native(Q.split, 1, 3, M | NF_KW, splitM(false)),
    Q.rsplit, native(Q.rsplit, 1, 3, M | NF_KW, splitM(true)),
    Q.splitlines, native(Q.splitlines, 1, 2, M | NF_KW, splitlines),
    Q.join, native(Q.join, 2, 2, M, join),
    Q.replace, native(Q.replace, 3, 4, M, replace),
    Q.partition, native(Q.partition, 2, 2, M, partition(false)),
    Q.rpartition, native(Q.rpartition, 2, 2, M, partition(true)),
    Q.removeprefix, native(Q.removeprefix, 2, 2, M, affixM(false)),
    Q.removesuffix, native(Q.removesuffix, 2, 2, M, affixM(true)),
    Q.upper, native(Q.upper, 1, 1, M, caseM(0)),
    Q.lower, native(Q.lower, 1, 1, M, caseM(1)),
    Q.swapcase, native(Q.swapcase, 1, 1, M, caseM(2)),
    Q.title, native(Q.title, 1, 1, M, caseM(3)),
    Q.capitalize, native(Q.capitalize, 1, 1, M, caseM(4)),
    Q.isdigit, native(Q.isdigit, 1, 1, M, isM(isDigitCp, 0)),
    Q.isalpha, native(Q.isalpha, 1, 1, M, isM(isAlphaCp, 0)),
    Q.isalnum, native(Q.isalnum, 1, 1, M, isM(isAlnumCp, 0)),
    Q.isspace, native(Q.isspace, 1, 1, M, isM(isSpaceCp, 0)),
    Q.isupper, native(Q.isupper, 1, 1, M, isM(isSpaceCp, 1)),
    Q.islower, native(Q.islower, 1, 1, M, isM(isSpaceCp, 2)),
    Q.istitle, native(Q.istitle, 1, 1, M, isM(isSpaceCp, 3)),
    Q.isascii, native(Q.isascii, 1, 1, M, isM(isAsciiCp, 4)),
    Q.center, native(Q.center, 2, 3, M, padM(2)),
    Q.ljust, native(Q.ljust, 2, 3, M, padM(0)),
    Q.rjust, native(Q.rjust, 2, 3, M, padM(1)),
    Q.zfill, native(Q.zfill, 2, 2, M, zfill),
    Q.expandtabs, native(Q.expandtabs, 1, 2, M | NF_KW, expandtabs),
    Q.translate, native(Q.translate, 2, 3, M | NF_KW, translate),
    Q.__mod__, native(Q.__mod__, 2, 2, M, modM),
  ];
  defineAttrs(T.STR, common.concat([
    Q.format, native(Q.format, 1, -1, M | NF_KW, formatM),
    Q.format_map, native(Q.format_map, 2, 2, M, formatMap),
    Q.__format__, formatNative(),
    Q.encode, native(Q.encode, 1, 3, M | NF_KW, encode),
    Q.isdecimal, native(Q.isdecimal, 1, 1, M, isM(isDecimalCp, 0)),
    Q.isnumeric, native(Q.isnumeric, 1, 1, M, isM(isNumericCp, 0)),
    Q.isprintable, native(Q.isprintable, 1, 1, M, isM(isPrintableCp, 4)),
    Q.isidentifier, native(Q.isidentifier, 1, 1, M, isIdent),
    Q.casefold, native(Q.casefold, 1, 1, M, caseM(5)),
    Q.maketrans, native(Q.maketrans, 1, 3, NF_STATIC, maketrans),
  ]));
  const bytesExtra = [
    Q.decode, native(Q.decode, 1, 3, M | NF_KW, decode),
    Q.hex, native(Q.hex, 1, 3, M | NF_KW, hexM),
    Q.fromhex, native(Q.fromhex, 2, 2, NF_CLASSMETHOD, fromhex),
    Q.maketrans, native(Q.maketrans, 2, 2, NF_STATIC, bytesMaketrans),
  ];
  defineAttrs(T.BYTES, common.concat(bytesExtra));
  defineAttrs(T.BYTEARRAY, common.concat(bytesExtra, [
    Q.__init__, native(Q.__init__, 1, 4, M | NF_KW, baInit),
    Q.append, native(Q.append, 2, 2, M, baAppend),
    Q.extend, native(Q.extend, 2, 2, M, baExtend),
    Q.insert, native(Q.insert, 3, 3, M, baInsert),
    Q.pop, native(Q.pop, 1, 2, M, baPop),
    Q.remove, native(Q.remove, 2, 2, M, baRemove),
    Q.reverse, native(Q.reverse, 1, 1, M, baReverse),
    Q.clear, native(Q.clear, 1, 1, M, function (vm, a) { vm.H[(vm.H[a] >> 2) + LY.SEQ_LEN] = smi(0); return LY.NONE; }),
    Q.copy, native(Q.copy, 1, 1, M, function (vm, a) { return baFromJs(vm, S(vm, vm.H[a])); }),
  ]));
}

export { NF_STATIC, chr, utf8Decode, strFromBytes, dictGet, strJs, truthy };
