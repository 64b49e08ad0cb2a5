// str, bytes and bytearray: constructors and methods. Most methods work on JS byte strings (UTF-8 bytes, one char
// each) and share one implementation between str and bytes; indices given to or returned from str methods are
// code points, converted from byte offsets where the string is not ASCII.
import { K, NONE, NULL, TRUE, FALSE, SEQ_LEN, TUP_ITEMS, S_DATA, smi } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise } from "../vm/exc";
import { native, defineAttrs, NF_KW, NF_METHOD, NF_STATIC, NF_CLASSMETHOD } from "../vm/registry";
import { defineCtor } from "./class";
import { kindOf, typeNameJs, toIndex, bytesView, bvOff, bvLen, lookupSpecial } from "../vm/ops";
import { call1 } from "../vm/call";
import { str, jstr, qw, sclen, slen, allocStr, utf8SeqLen, utf8Decode, strFromBytes } from "./str";
import { toStr, strJs } from "./repr";
import { strFormat, chr } from "./format";
import { newList, listAppend, seqItems, seqLen, newTuple } from "./seq";
import { listOf, newBytearray, bytearrayData, bytearrayResize, byteValue, getIter, iterNext } from "./items";
import { isIntLike } from "./num";
import { kwArg } from "../modules/builtins";
import { dictGet } from "./dict";

function isStrW(vm: Vm, w: number): boolean {
  return (w & 3) === 2 ? w >> 2 >= 8192 : kindOf(vm, w) === K.STR;
}
function isBytesLike(vm: Vm, w: number): boolean {
  const k = kindOf(vm, w);
  return k === K.BYTES || k === K.BYTEARRAY;
}

/** The content of self (str or bytes-like) as a byte string. */
function S(vm: Vm, w: number): string {
  if (kindOf(vm, w) === K.BYTEARRAY) {
    const b = bytesView(vm, w);
    let s = "";
    for (let i = 0; i < bvLen; i++) s += String.fromCharCode(b[bvOff + i]);
    return s;
  }
  return jstr(vm, w);
}

/** A result of the same kind as self. */
function mk(vm: Vm, self: number, s: string): number {
  const k = kindOf(vm, self);
  if (k === K.BYTES) return bytesOf(vm, s);
  if (k === K.BYTEARRAY) {
    const ba = newBytearray(vm, s.length);
    const d = bytearrayData(vm, ba);
    for (let i = 0; i < s.length; i++) vm.U8[d + i] = s.charCodeAt(i);
    return ba;
  }
  return str(vm, s);
}

export function bytesOf(vm: Vm, s: string): number {
  const p = allocStr(vm, K.BYTES, s.length, s.length);
  const d = (p + S_DATA) << 2;
  for (let i = 0; i < s.length; i++) vm.U8[d + i] = s.charCodeAt(i);
  return p << 2;
}

/** An argument that must be of self's kind (str for str, bytes-like for bytes). */
function arg(vm: Vm, self: number, w: number, what: string): string {
  if (isStrW(vm, self)) {
    if (!isStrW(vm, w)) throw raise(vm, T.TYPE_ERROR, what + " must be str, not " + typeNameJs(vm, w));
  } else if (!isBytesLike(vm, w)) throw raise(vm, T.TYPE_ERROR, "a bytes-like object is required, not '" + typeNameJs(vm, w) + "'");
  return S(vm, w);
}

// char index <-> byte offset for str (identity for ASCII and bytes)
function isAscii(vm: Vm, self: number): boolean {
  return !isStrW(vm, self) || sclen(vm, self) === slen(vm, self);
}
function charToByteIn(s: string, ci: number): number {
  let i = 0;
  while (ci > 0 && i < s.length) {
    i += utf8SeqLen(s.charCodeAt(i));
    ci--;
  }
  return i;
}
function byteToChar(s: string, bi: number): number {
  let n = 0;
  for (let i = 0; i < bi; i++) if ((s.charCodeAt(i) & 0xc0) !== 0x80) n++;
  return n;
}
function charCount(s: string): number {
  return byteToChar(s, s.length);
}

/** Resolve optional start/end (code points) against s into byte offsets [bs, be). */
let bs = 0;
let be = 0;
function range(vm: Vm, self: number, s: string, a: number, n: number, first: number): void {
  const H = vm.H;
  const ascii = isAscii(vm, self);
  const len = ascii ? s.length : charCount(s);
  let start = n > first && H[a + first] !== NONE ? toIndex(vm, H[a + first], "slice") : 0;
  let end = n > first + 1 && H[a + first + 1] !== NONE ? toIndex(vm, H[a + first + 1], "slice") : len;
  if (start < 0) start = start + len < 0 ? 0 : start + len;
  if (end < 0) end = end + len < 0 ? 0 : end + len;
  if (end > len) end = len;
  if (start > len) start = len + 1;
  bs = ascii ? start : charToByteIn(s, start);
  be = ascii ? end : charToByteIn(s, end);
  if (start > len) bs = s.length + 1;
}

function find(vm: Vm, a: number, n: number, rev: boolean): number {
  const H = vm.H;
  const self = H[a];
  const s = S(vm, self);
  let sub: string;
  if (!isStrW(vm, self) && isIntLike(vm, H[a + 1])) sub = String.fromCharCode(byteValue(vm, H[a + 1]));
  else sub = arg(vm, self, H[a + 1], "must be str, not");
  range(vm, self, s, a, n, 2);
  if (be - bs < sub.length || bs > s.length) return -1;
  const seg = s.substring(bs, be);
  const i = rev ? seg.lastIndexOf(sub) : seg.indexOf(sub);
  if (i < 0) return -1;
  return isAscii(vm, self) ? bs + i : byteToChar(s, bs + i);
}

function findM(rev: boolean, raising: boolean) {
  return function (vm: Vm, a: number, n: number): number {
    const r = find(vm, a, n, rev);
    if (r < 0 && raising) throw raise(vm, T.VALUE_ERROR, "substring not found");
    return smi(r);
  };
}

function countM(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  const self = H[a];
  const s = S(vm, self);
  const sub = !isStrW(vm, self) && isIntLike(vm, H[a + 1]) ? String.fromCharCode(byteValue(vm, H[a + 1])) : arg(vm, self, H[a + 1], "must be str, not");
  range(vm, self, s, a, n, 2);
  if (bs > s.length) return smi(0);
  const seg = s.substring(bs, be);
  if (sub.length === 0) return smi((isAscii(vm, self) ? seg.length : charCount(seg)) + 1);
  let c = 0;
  for (let i = seg.indexOf(sub); i >= 0; i = seg.indexOf(sub, i + sub.length)) c++;
  return smi(c);
}

function startsEnds(ends: boolean) {
  return function (vm: Vm, a: number, n: number): number {
    const H = vm.H;
    const self = H[a];
    const s = S(vm, self);
    range(vm, self, s, a, n, 2);
    if (bs > s.length) return FALSE;
    const seg = s.substring(bs, be);
    const p = H[a + 1];
    const tests: string[] = [];
    if (kindOf(vm, p) === K.TUPLE) {
      for (let i = 0; i < seqLen(vm, p); i++) tests.push(arg(vm, self, H[seqItems(vm, p) + i], "tuple for " + (ends ? "endswith" : "startswith")));
    } else {
      if (isStrW(vm, self) ? !isStrW(vm, p) : !isBytesLike(vm, p))
        throw raise(vm, T.TYPE_ERROR, (ends ? "endswith" : "startswith") + " first arg must be " + (isStrW(vm, self) ? "str" : "bytes") + " or a tuple of " + (isStrW(vm, self) ? "str" : "bytes") + ", not " + typeNameJs(vm, p));
      tests.push(S(vm, p));
    }
    for (let i = 0; i < tests.length; i++) {
      const t = tests[i];
      if (t.length > seg.length) continue;
      if (ends ? seg.substr(seg.length - t.length) === t : seg.substr(0, t.length) === t) return TRUE;
    }
    return FALSE;
  };
}

const WS = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f";

function stripM(left: boolean, right: boolean) {
  return function (vm: Vm, a: number, n: number): number {
    const H = vm.H;
    const self = H[a];
    const s = S(vm, self);
    const chars = n > 1 && H[a + 1] !== NONE ? arg(vm, self, H[a + 1], "strip arg") : isStrW(vm, self) ? WS : " \t\n\r\x0b\x0c";
    let i = 0;
    let j = s.length;
    if (left) while (i < j && chars.indexOf(s.charAt(i)) >= 0) i++;
    if (right) while (j > i && chars.indexOf(s.charAt(j - 1)) >= 0) j--;
    if (i === 0 && j === s.length && isStrW(vm, self)) return self;
    return mk(vm, self, s.substring(i, j));
  };
}

/** Split on runs of whitespace (sep None). */
function splitWs(s: string, max: number, rev: boolean, bytes: boolean): string[] {
  const ws = bytes ? " \t\n\r\x0b\x0c" : WS;
  const out: string[] = [];
  if (!rev) {
    let i = 0;
    while (i < s.length) {
      while (i < s.length && ws.indexOf(s.charAt(i)) >= 0) i++;
      if (i >= s.length) break;
      if (max >= 0 && out.length >= max) {
        let j = s.length;
        while (j > i && ws.indexOf(s.charAt(j - 1)) >= 0) j--;
        out.push(s.substring(i, j));
        break;
      }
      let j = i;
      while (j < s.length && ws.indexOf(s.charAt(j)) < 0) j++;
      out.push(s.substring(i, j));
      i = j;
    }
    return out;
  }
  let j = s.length;
  while (j > 0) {
    while (j > 0 && ws.indexOf(s.charAt(j - 1)) >= 0) j--;
    if (j <= 0) break;
    if (max >= 0 && out.length >= max) {
      let i = 0;
      while (i < j && ws.indexOf(s.charAt(i)) >= 0) i++;
      out.unshift(s.substring(i, j));
      break;
    }
    let i = j;
    while (i > 0 && ws.indexOf(s.charAt(i - 1)) < 0) i--;
    out.unshift(s.substring(i, j));
    j = i;
  }
  return out;
}

function splitM(rev: boolean) {
  return function (vm: Vm, a: number, n: number, kw: number): number {
    const H = vm.H;
    const self = H[a];
    const s = S(vm, self);
    let sepW = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.sep));
    const maxW = n > 2 ? H[a + 2] : kwArg(vm, a, n, kw, qw(Q.maxsplit));
    const max = maxW === NULL ? -1 : toIndex(vm, maxW, "maxsplit");
    if (sepW === NULL) sepW = NONE;
    let parts: string[];
    if (sepW === NONE) parts = splitWs(s, max, rev, !isStrW(vm, self));
    else {
      const sep = arg(vm, self, sepW, "must be str or None, not");
      if (sep.length === 0) throw raise(vm, T.VALUE_ERROR, "empty separator");
      parts = [];
      if (!rev) {
        let i = 0;
        for (;;) {
          const j = max >= 0 && parts.length >= max ? -1 : s.indexOf(sep, i);
          if (j < 0) {
            parts.push(s.substr(i));
            break;
          }
          parts.push(s.substring(i, j));
          i = j + sep.length;
        }
      } else {
        let j = s.length;
        for (;;) {
          const i = max >= 0 && parts.length >= max ? -1 : j - sep.length >= 0 ? s.lastIndexOf(sep, j - sep.length) : -1;
          if (i < 0) {
            parts.unshift(s.substring(0, j));
            break;
          }
          parts.unshift(s.substring(i + sep.length, j));
          j = i;
        }
      }
    }
    const l = newList(vm, 0, parts.length);
    vm.tpush(l);
    for (let i = 0; i < parts.length; i++) listAppend(vm, l, mk(vm, self, parts[i]));
    vm.tpop(1);
    return l;
  };
}

function splitlines(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  const self = H[a];
  const s = S(vm, self);
  const keepW = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.keepends));
  const keep = keepW !== NULL && keepW !== FALSE && keepW !== 1;
  const l = newList(vm, 0, 0);
  vm.tpush(l);
  let i = 0;
  while (i < s.length) {
    let j = i;
    while (j < s.length && "\n\r\x0b\x0c\x1c\x1d\x1e".indexOf(s.charAt(j)) < 0) j++;
    let e = j;
    if (j < s.length) e = s.charAt(j) === "\r" && s.charAt(j + 1) === "\n" ? j + 2 : j + 1;
    listAppend(vm, l, mk(vm, self, s.substring(i, keep ? e : j)));
    i = e;
  }
  vm.tpop(1);
  return l;
}

function join(vm: Vm, a: number): number {
  const H = vm.H;
  const self = H[a];
  const sep = S(vm, self);
  const items = listOf(vm, H[a + 1]);
  vm.tpush(items);
  const n = seqLen(vm, items);
  let out = "";
  for (let i = 0; i < n; i++) {
    const x = H[seqItems(vm, items) + i];
    if (isStrW(vm, self) ? !isStrW(vm, x) : !isBytesLike(vm, x))
      throw raise(vm, T.TYPE_ERROR, "sequence item " + i + ": expected " + (isStrW(vm, self) ? "str instance" : "a bytes-like object") + ", " + typeNameJs(vm, x) + " found");
    if (i) out += sep;
    out += S(vm, x);
  }
  vm.tpop(1);
  return mk(vm, self, out);
}

function replace(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  const self = H[a];
  const s = S(vm, self);
  const old = arg(vm, self, H[a + 1], "replace() argument 1");
  const nw = arg(vm, self, H[a + 2], "replace() argument 2");
  let count = n > 3 ? toIndex(vm, H[a + 3], "count") : -1;
  let out = "";
  if (old.length === 0) {
    // insert between characters (whole UTF-8 sequences)
    let i = 0;
    while (i <= s.length && count !== 0) {
      out += nw;
      count--;
      if (i === s.length) {
        i++;
        break;
      }
      const l = isStrW(vm, self) ? utf8SeqLen(s.charCodeAt(i)) : 1;
      out += s.substr(i, l);
      i += l;
    }
    if (i <= s.length) out += s.substr(i);
    return mk(vm, self, out);
  }
  let i = 0;
  while (count !== 0) {
    const j = s.indexOf(old, i);
    if (j < 0) break;
    out += s.substring(i, j) + nw;
    i = j + old.length;
    count--;
  }
  out += s.substr(i);
  return mk(vm, self, out);
}

/** Upper-case of code point c (ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic), or c. */
export function cpUpper(c: number): number {
  if (c < 128) return c >= 97 && c <= 122 ? c - 32 : c;
  if (c >= 0xe0 && c <= 0xfe && c !== 0xf7) return c - 32;
  if (c === 0xff) return 0x178;
  if (c >= 0x100 && c <= 0x17f) {
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e)) return c & 1 ? c : c - 1;
    if (c === 0x131) return 73;
    if (c !== 0x138 && c !== 0x149 && c !== 0x178 && c !== 0x17f) return c & 1 ? c - 1 : c;
    return c;
  }
  if (c >= 0x3b1 && c <= 0x3c9) return c === 0x3c2 ? 0x3a3 : c - 32;
  if (c >= 0x430 && c <= 0x44f) return c - 32;
  if (c >= 0x450 && c <= 0x45f) return c - 80;
  return c;
}

/** Lower-case of code point c, or c. */
export function cpLower(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? c + 32 : c;
  if (c >= 0xc0 && c <= 0xde && c !== 0xd7) return c + 32;
  if (c === 0x178) return 0xff;
  if (c >= 0x100 && c <= 0x17f) {
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e)) return c & 1 ? c + 1 : c;
    if (c === 0x130) return 105;
    if (c !== 0x138 && c !== 0x149 && c !== 0x17f) return c & 1 ? c : c + 1;
    return c;
  }
  if (c >= 0x391 && c <= 0x3a9 && c !== 0x3a2) return c + 32;
  if (c >= 0x410 && c <= 0x42f) return c + 32;
  if (c >= 0x400 && c <= 0x40f) return c + 80;
  return c;
}

function caseMap(vm: Vm, s: string, mode: number): string {
  // mode 0 upper, 1 lower, 2 swapcase, 3 title, 4 capitalize; code points decoded from the UTF-8 byte string
  let out = "";
  let prevCased = false;
  let first = true;
  let i = 0;
  const buf = new Uint8Array(4);
  while (i < s.length) {
    const len = utf8SeqLen(s.charCodeAt(i));
    for (let j = 0; j < len; j++) buf[j] = s.charCodeAt(i + j);
    const c = len === 1 ? buf[0] : utf8Decode(buf, 0);
    i += len;
    const up = cpUpper(c);
    const low = cpLower(c);
    const isUp = low !== c;
    const isLow = up !== c;
    let r = c;
    if (mode === 0) r = up;
    else if (mode === 1) r = low;
    else if (mode === 2) r = isUp ? low : isLow ? up : c;
    else if (mode === 3) r = prevCased ? low : up;
    else r = first ? up : low;
    out += r < 128 ? String.fromCharCode(r) : chr(r);
    prevCased = isUp || isLow;
    first = false;
  }
  void vm;
  return out;
}

function caseM(mode: number) {
  return function (vm: Vm, a: number): number {
    const self = vm.H[a];
    return mk(vm, self, caseMap(vm, S(vm, self), mode));
  };
}

function isM(test: (c: number) => boolean, cased: number) {
  return function (vm: Vm, a: number): number {
    const s = S(vm, vm.H[a]);
    if (s.length === 0) return FALSE;
    let sawCased = false;
    const buf = new Uint8Array(4);
    let i = 0;
    while (i < s.length) {
      const len = isStrW(vm, vm.H[a]) ? utf8SeqLen(s.charCodeAt(i)) : 1;
      for (let j = 0; j < len; j++) buf[j] = s.charCodeAt(i + j);
      const c = len === 1 ? buf[0] : utf8Decode(buf, 0);
      i += len;
      if (cased) {
        const isUp = cpLower(c) !== c;
        const isLow = cpUpper(c) !== c;
        if (cased === 1 ? isUp : isLow) return FALSE;
        if (cased === 1 ? isLow : isUp) sawCased = true;
      } else if (!test(c)) return FALSE;
    }
    return cased ? (sawCased ? TRUE : FALSE) : TRUE;
  };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 0x80;
}
function isSpace(c: number): boolean {
  return WS.indexOf(String.fromCharCode(c)) >= 0;
}

function padM(mode: number) {
  return function (vm: Vm, a: number, n: number): number {
    const H = vm.H;
    const self = H[a];
    const s = S(vm, self);
    const w = toIndex(vm, H[a + 1], "width");
    let fill = " ";
    if (n > 2) {
      fill = arg(vm, self, H[a + 2], "fill character");
      if ((isStrW(vm, self) ? charCount(fill) : fill.length) !== 1) throw raise(vm, T.TYPE_ERROR, "The fill character must be exactly one character long");
    }
    const len = isAscii(vm, self) ? s.length : charCount(s);
    if (w <= len) return isStrW(vm, self) ? self : mk(vm, self, s);
    const total = w - len;
    let left = 0;
    if (mode === 0) left = 0;
    else if (mode === 1) left = total;
    else left = (total >> 1) + (total & w & 1);
    let out = "";
    for (let i = 0; i < left; i++) out += fill;
    out += s;
    for (let i = 0; i < total - left; i++) out += fill;
    return mk(vm, self, out);
  };
}

function zfill(vm: Vm, a: number): number {
  const H = vm.H;
  const self = H[a];
  const s = S(vm, self);
  const w = toIndex(vm, H[a + 1], "width");
  const len = isAscii(vm, self) ? s.length : charCount(s);
  if (w <= len) return mk(vm, self, s);
  let sign = "";
  let rest = s;
  if (s.charAt(0) === "+" || s.charAt(0) === "-") {
    sign = s.charAt(0);
    rest = s.substr(1);
  }
  let z = "";
  for (let i = 0; i < w - len; i++) z += "0";
  return mk(vm, self, sign + z + rest);
}

function partition(rev: boolean) {
  return function (vm: Vm, a: number): number {
    const H = vm.H;
    const self = H[a];
    const s = S(vm, self);
    const sep = arg(vm, self, H[a + 1], "must be str, not");
    if (!sep.length) throw raise(vm, T.VALUE_ERROR, "empty separator");
    const i = rev ? s.lastIndexOf(sep) : s.indexOf(sep);
    const t = newTuple(vm, 3);
    vm.tpush(t);
    const parts = i < 0 ? (rev ? ["", "", s] : [s, "", ""]) : [s.substr(0, i), sep, s.substr(i + sep.length)];
    for (let j = 0; j < 3; j++) H[(t >> 2) + TUP_ITEMS + j] = mk(vm, self, parts[j]);
    vm.tpop(1);
    return t;
  };
}

function encode(vm: Vm, a: number): number {
  return bytesOf(vm, jstr(vm, vm.H[a]));
}

/** Check UTF-8 validity (for bytes.decode). */
function validUtf8(s: string): number {
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    const l = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    if (!l) return i;
    for (let j = 1; j < l; j++) if (i + j >= s.length || (s.charCodeAt(i + j) & 0xc0) !== 0x80) return i;
    i += l;
  }
  return -1;
}

function decode(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  const s = S(vm, H[a]);
  const errW = n > 2 ? H[a + 2] : kwArg(vm, a, n, kw, qw(Q.errors));
  const bad = validUtf8(s);
  if (bad >= 0) {
    const errors = errW === NULL ? "strict" : jstr(vm, errW);
    if (errors === "strict")
      throw raise(vm, T.UNICODE_ERROR, "'utf-8' codec can't decode byte 0x" + s.charCodeAt(bad).toString(16) + " in position " + bad + ": invalid start byte");
    let out = "";
    let i = 0;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      const l = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
      let ok = l > 0;
      for (let j = 1; ok && j < l; j++) if (i + j >= s.length || (s.charCodeAt(i + j) & 0xc0) !== 0x80) ok = false;
      if (ok) {
        out += s.substr(i, l);
        i += l;
      } else {
        if (errors === "replace") out += "\xef\xbf\xbd";
        i++;
      }
    }
    return str(vm, out);
  }
  return str(vm, s);
}

function strCtor(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  if (n === 0 && kw === NULL) return str(vm, "");
  const x = n > 0 ? H[a] : kwArg(vm, a, n, kw, qw(Q.object));
  const enc = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.encoding));
  if (enc !== NULL && isBytesLike(vm, x)) {
    const tmp = newTuple(vm, 2);
    vm.tpush(tmp);
    H[(tmp >> 2) + TUP_ITEMS] = x;
    H[(tmp >> 2) + TUP_ITEMS + 1] = enc;
    const r = decode(vm, (tmp >> 2) + TUP_ITEMS, 2, NULL);
    vm.tpop(1);
    return r;
  }
  return toStr(vm, x);
}

function bytesCtor(kind: number) {
  return function (vm: Vm, a: number, n: number, kw: number): number {
    const H = vm.H;
    if (n === 0) return kind === K.BYTES ? bytesOf(vm, "") : newBytearray(vm, 0);
    const x = H[a];
    let s: string;
    if (isStrW(vm, x)) {
      const enc = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.encoding));
      if (enc === NULL) throw raise(vm, T.TYPE_ERROR, "string argument without an encoding");
      s = jstr(vm, x);
    } else if (isIntLike(vm, x)) {
      const c = toIndex(vm, x, "bytes");
      if (c < 0) throw raise(vm, T.VALUE_ERROR, "negative count");
      if (kind === K.BYTEARRAY) return newBytearray(vm, c);
      const p = allocStr(vm, K.BYTES, c, c);
      vm.U8.fill(0, (p + S_DATA) << 2, ((p + S_DATA) << 2) + c);
      return p << 2;
    } else if (isBytesLike(vm, x)) s = S(vm, x);
    else {
      const m = lookupSpecial(vm, x, qw(Q.__bytes__));
      if (m !== NULL && (m & 3) === 0) {
        const r = call1(vm, m, x);
        s = S(vm, r);
      } else {
        const l = listOf(vm, x);
        vm.tpush(l);
        s = "";
        for (let i = 0; i < seqLen(vm, l); i++) s += String.fromCharCode(byteValue(vm, H[seqItems(vm, l) + i]));
        vm.tpop(1);
      }
    }
    if (kind === K.BYTES) return bytesOf(vm, s);
    const ba = newBytearray(vm, s.length);
    const d = bytearrayData(vm, ba);
    for (let i = 0; i < s.length; i++) vm.U8[d + i] = s.charCodeAt(i);
    return ba;
  };
}

function hexM(vm: Vm, a: number): number {
  const s = S(vm, vm.H[a]);
  let out = "";
  for (let i = 0; i < s.length; i++) out += (s.charCodeAt(i) < 16 ? "0" : "") + s.charCodeAt(i).toString(16);
  return str(vm, out);
}

function fromhex(vm: Vm, a: number): number {
  const H = vm.H;
  const s = jstr(vm, H[a + 1]);
  let out = "";
  let i = 0;
  while (i < s.length) {
    if (s.charAt(i) === " ") {
      i++;
      continue;
    }
    const h = parseInt(s.substr(i, 2), 16);
    if (!/^[0-9a-fA-F]{2}$/.test(s.substr(i, 2))) throw raise(vm, T.VALUE_ERROR, "non-hexadecimal number found in fromhex() arg at position " + i);
    out += String.fromCharCode(h);
    i += 2;
  }
  return H[a] === (T.BYTEARRAY << 2 | 2) ? mkBa(vm, out) : bytesOf(vm, out);
}

function mkBa(vm: Vm, s: string): number {
  const ba = newBytearray(vm, s.length);
  const d = bytearrayData(vm, ba);
  for (let i = 0; i < s.length; i++) vm.U8[d + i] = s.charCodeAt(i);
  return ba;
}

function formatM(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  let kwd = NULL;
  if (kw !== NULL) {
    const nk = H[(kw >> 2) + SEQ_LEN] >> 1;
    kwd = newDictOf(vm);
    vm.tpush(kwd);
    for (let i = 0; i < nk; i++) dictSetOf(vm, kwd, H[(kw >> 2) + TUP_ITEMS + i], H[a + n + i]);
    vm.tpop(1);
  }
  vm.tpush(kwd);
  const r = str(vm, strFormat(vm, jstr(vm, H[a]), a + 1, n - 1, kwd));
  vm.tpop(1);
  return r;
}

let newDictOf: (vm: Vm) => number = function () {
  return NULL;
};
let dictSetOf: (vm: Vm, d: number, k: number, v: number) => void = function () {};
export function setStrHelpers(nd: (vm: Vm) => number, ds: (vm: Vm, d: number, k: number, v: number) => void): void {
  newDictOf = nd;
  dictSetOf = ds;
}

function bytearrayAppend(vm: Vm, a: number): number {
  const ba = vm.H[a];
  const v = byteValue(vm, vm.H[a + 1]);
  const n = vm.H[(ba >> 2) + SEQ_LEN] >> 1;
  bytearrayResize(vm, ba, n + 1);
  vm.U8[bytearrayData(vm, ba) + n] = v;
  return NONE;
}

function bytearrayExtend(vm: Vm, a: number): number {
  const H = vm.H;
  const ba = H[a];
  const x = H[a + 1];
  let s: string;
  if (isBytesLike(vm, x)) s = S(vm, x);
  else {
    s = "";
    const it = getIter(vm, x);
    vm.tpush(it);
    for (;;) {
      const v = iterNext(vm, it);
      if (v === NULL) break;
      s += String.fromCharCode(byteValue(vm, v));
    }
    vm.tpop(1);
  }
  const n = H[(ba >> 2) + SEQ_LEN] >> 1;
  bytearrayResize(vm, ba, n + s.length);
  const d = bytearrayData(vm, ba);
  for (let i = 0; i < s.length; i++) vm.U8[d + n + i] = s.charCodeAt(i);
  return NONE;
}

export function initStrs(): void {
  defineCtor(T.STR, native(Q.str, 0, 3, NF_KW, strCtor));
  defineCtor(T.BYTES, native(Q.bytes, 0, 3, NF_KW, bytesCtor(K.BYTES)));
  defineCtor(T.BYTEARRAY, native(Q.bytearray, 0, 3, NF_KW, bytesCtor(K.BYTEARRAY)));
  const M = NF_METHOD;
  const common = [
    Q.find, native(Q.find, 2, 4, M, findM(false, false)),
    Q.rfind, native(Q.rfind, 2, 4, M, findM(true, false)),
    Q.index, native(Q.index, 2, 4, M, findM(false, true)),
    Q.rindex, native(Q.rindex, 2, 4, M, findM(true, true)),
    Q.count, native(Q.count, 2, 4, M, countM),
    Q.startswith, native(Q.startswith, 2, 4, M, startsEnds(false)),
    Q.endswith, native(Q.endswith, 2, 4, M, startsEnds(true)),
    Q.strip, native(Q.strip, 1, 2, M, stripM(true, true)),
    Q.lstrip, native(Q.lstrip, 1, 2, M, stripM(true, false)),
    Q.rstrip, native(Q.rstrip, 1, 2, M, stripM(false, true)),
    Q.split, native(Q.split, 1, 3, M | NF_KW, splitM(false)),
    Q.rsplit, native(Q.rsplit, 1, 3, M | NF_KW, splitM(true)),
    Q.splitlines, native(Q.splitlines, 1, 2, M | NF_KW, splitlines),
    Q.join, native(Q.join, 2, 2, M, join),
    Q.replace, native(Q.replace, 3, 4, M, replace),
    Q.upper, native(Q.upper, 1, 1, M, caseM(0)),
    Q.lower, native(Q.lower, 1, 1, M, caseM(1)),
    Q.swapcase, native(Q.swapcase, 1, 1, M, caseM(2)),
    Q.title, native(Q.title, 1, 1, M, caseM(3)),
    Q.capitalize, native(Q.capitalize, 1, 1, M, caseM(4)),
    Q.isdigit, native(Q.isdigit, 1, 1, M, isM(isDigit, 0)),
    Q.isalpha, native(Q.isalpha, 1, 1, M, isM(isAlpha, 0)),
    Q.isalnum, native(Q.isalnum, 1, 1, M, isM(function (c) { return isAlpha(c) || isDigit(c); }, 0)),
    Q.isspace, native(Q.isspace, 1, 1, M, isM(isSpace, 0)),
    Q.isupper, native(Q.isupper, 1, 1, M, isM(isDigit, 2)),
    Q.islower, native(Q.islower, 1, 1, M, isM(isDigit, 1)),
    Q.center, native(Q.center, 2, 3, M, padM(2)),
    Q.ljust, native(Q.ljust, 2, 3, M, padM(0)),
    Q.rjust, native(Q.rjust, 2, 3, M, padM(1)),
    Q.zfill, native(Q.zfill, 2, 2, M, zfill),
    Q.partition, native(Q.partition, 2, 2, M, partition(false)),
    Q.rpartition, native(Q.rpartition, 2, 2, M, partition(true)),
  ];
  defineAttrs(T.STR, common.concat([
    Q.format, native(Q.format, 1, -1, M | NF_KW, formatM),
    Q.encode, native(Q.encode, 1, 3, M | NF_KW, encode),
    Q.isdecimal, native(Q.isdecimal, 1, 1, M, isM(isDigit, 0)),
    Q.isnumeric, native(Q.isnumeric, 1, 1, M, isM(isDigit, 0)),
    Q.isidentifier, native(Q.isidentifier, 1, 1, M, function (vm, a) {
      return /^[A-Za-z_\x80-\xff][A-Za-z0-9_\x80-\xff]*$/.test(jstr(vm, vm.H[a])) ? TRUE : FALSE;
    }),
    Q.casefold, native(Q.casefold, 1, 1, M, caseM(1)),
    Q.removeprefix, native(Q.removeprefix, 2, 2, M, function (vm, a) {
      const s = jstr(vm, vm.H[a]);
      const p = arg(vm, vm.H[a], vm.H[a + 1], "removeprefix() argument");
      return p && s.substr(0, p.length) === p ? str(vm, s.substr(p.length)) : vm.H[a];
    }),
    Q.removesuffix, native(Q.removesuffix, 2, 2, M, function (vm, a) {
      const s = jstr(vm, vm.H[a]);
      const p = arg(vm, vm.H[a], vm.H[a + 1], "removesuffix() argument");
      return p && s.length >= p.length && s.substr(s.length - p.length) === p ? str(vm, s.substr(0, s.length - p.length)) : vm.H[a];
    }),
  ]));
  const bytesExtra = [
    Q.decode, native(Q.decode, 1, 3, M | NF_KW, decode),
    Q.hex, native(Q.hex, 1, 1, M, hexM),
    Q.fromhex, native(Q.fromhex, 2, 2, NF_CLASSMETHOD, fromhex),
  ];
  defineAttrs(T.BYTES, common.concat(bytesExtra));
  defineAttrs(T.BYTEARRAY, common.concat(bytesExtra, [
    Q.append, native(Q.append, 2, 2, M, bytearrayAppend),
    Q.extend, native(Q.extend, 2, 2, M, bytearrayExtend),
  ]));
}

export { NF_STATIC, chr, utf8Decode, strFromBytes, dictGet, strJs };
