// The struct module (MicroPython's: byte order prefixes @ = < > !, counts, x c b B ? h H i I l L q Q e f d s P O),
// and the binary codec it shares with array.array: one value of a typecode to and from bytes. Integers are
// truncated to the field's width as MicroPython does; too few arguments to pack leave zero bytes, as MicroPython.
import { K, smi, imm, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise } from "../vm/exc";
import { native, defineModule, NF_KW } from "../vm/registry";
import { kindOf, typeNameJs, truthy, bytesView, bvOff, bvLen, unwrap, lookupSpecial, isBuffer, resolveSlice, slStart, slStop, slStep, slLen } from "../vm/ops";
import { call1 } from "../vm/call";
import { isFloat, floatVal, newFloat, intFromNumber, intShift, intAdd, isBig } from "../obj/num";
import { jstr, qw, bytesFromBytes } from "../obj/str";
import { newTuple, newList, listAppend } from "../obj/seq";
import { getIter } from "../obj/items";

// --- buffers -----------------------------------------------------------------------------------------------------------

/** Offset and length of the last bufferOf() result. */
export let bufOff = 0;
export let bufLen = 0;
/**
 * The same as [offset, length] in a typed array, for modules loaded as parts on a board (array, binascii): a part
 * gets a copy of an exported `let` when it is linked, but the same array.
 */
export const BUF = new Int32Array(2);

/** bytesView(w) with its offset and length in BUF (for modules that are parts). */
export function bytesAt(vm: Vm, w: number): Uint8Array {
  const b = bytesView(vm, w);
  BUF[0] = bvOff;
  BUF[1] = bvLen;
  return b;
}

/** resolveSlice(s, n) with start, stop, step and length in SL (for modules that are parts). */
export const SL = new Int32Array(4);
export function sliceAt(vm: Vm, s: number, n: number): void {
  resolveSlice(vm, s, n);
  SL[0] = slStart;
  SL[1] = slStop;
  SL[2] = slStep;
  SL[3] = slLen;
}

/** Is w an array.array whose items are plain bytes (not 'O' object references)? */
export function isArrayBuf(vm: Vm, w: number): boolean {
  return kindOf(vm, w) === K.NATIVE_OBJ && isBuffer(vm, w);
}

/**
 * The bytes of a buffer object (bytes, bytearray, memoryview, array.array; str too when allowStr), with the
 * offset and length in bufOff/bufLen; null if w is none of these. writable: refuse read-only buffers.
 */
export function bufferOf(vm: Vm, w: number, allowStr: boolean, writable: boolean): Uint8Array | null {
  w = unwrap(vm, w);
  const k = kindOf(vm, w);
  let ok: boolean;
  if (writable) ok = k === K.BYTEARRAY ? !((vm.H[(w >> 2) + 3] >> 1) & 1) : k === K.NATIVE_OBJ && isBuffer(vm, w);
  else ok = isBuffer(vm, w) || (allowStr && (k === K.STR || ((w & 3) === 2 && w >> 2 >= 8192)));
  if (!ok) return null;
  const b = bytesView(vm, w);
  bufOff = BUF[0] = bvOff;
  bufLen = BUF[1] = bvLen;
  return b;
}

/** bufferOf, raising TypeError when w is not a buffer. */
export function needBuffer(vm: Vm, w: number, allowStr: boolean, writable: boolean): Uint8Array {
  const b = bufferOf(vm, w, allowStr, writable);
  if (b === null) throw raise(vm, T.TYPE_ERROR, "object with buffer protocol required");
  return b;
}

// --- the codec -------------------------------------------------------------------------------------------------------

const F64 = new Float64Array(1);
const F32 = new Float32Array(1);
const B64 = new Uint8Array(F64.buffer);
const B32 = new Uint8Array(F32.buffer);

/** Size in bytes of typecode c (a char code), standard sizes or native ('@'); -1 if unknown. */
export function typeSize(c: number, nat: boolean): number {
  switch (c) {
    case 98: case 66: case 120: case 99: case 63: case 115: return 1; // b B x c ? s
    case 104: case 72: case 101: return 2; // h H e
    case 105: case 73: case 108: case 76: case 102: case 80: case 79: return 4; // i I l L f P O
    case 113: case 81: case 100: return 8; // q Q d
    case 83: return nat ? 4 : -1; // S (arrays only)
  }
  return -1;
}

/** An int argument (int, bool, or an object with __index__) as an int word. */
export function intWord(vm: Vm, v: number): number {
  if (v & 1 || isBig(vm, v)) return v;
  if (v === LY.TRUE) return 3;
  if (v === LY.FALSE) return 1;
  const u = unwrap(vm, v);
  if (u !== v) return intWord(vm, u);
  const m = lookupSpecial(vm, v, qw(Q.__index__));
  if (m !== LY.NULL && (m & 3) === 0) {
    const r = call1(vm, m, v);
    if (r & 1 || isBig(vm, r)) return r;
  }
  throw raise(vm, T.TYPE_ERROR, "can't convert " + typeNameJs(vm, v) + " to int");
}

/** A float argument (int, bool or float). */
export function floatArg(vm: Vm, v: number): number {
  if (isFloat(vm, v)) return floatVal(vm, v);
  if (v & 1) return v >> 1;
  if (v === LY.TRUE) return 1;
  if (v === LY.FALSE) return 0;
  if (isBig(vm, v)) return intToDoubleOf(vm, v);
  const u = unwrap(vm, v);
  if (u !== v) return floatArg(vm, u);
  throw raise(vm, T.TYPE_ERROR, "can't convert " + typeNameJs(vm, v) + " to float");
}

function intToDoubleOf(vm: Vm, w: number): number {
  const H = vm.H;
  const p = w >> 2;
  const nl = H[p + 1];
  const n = nl < 0 ? -nl : nl;
  let x = 0;
  for (let i = n - 1; i >= 0; i--) x = x * 16777216 + H[p + 2 + i];
  return nl < 0 ? -x : x;
}

/** Write the low n bytes of int word v (two's complement, truncated) at buf[off…]. */
export function putInt(vm: Vm, v: number, buf: Uint8Array, off: number, n: number, little: boolean): void {
  if (!(v & 1)) {
    const H = vm.H;
    const p = v >> 2;
    const nl = H[p + 1];
    const len = nl < 0 ? -nl : nl;
    let carry = nl < 0 ? 1 : 0;
    for (let i = 0; i < n; i++) {
      const li = (i / 3) | 0;
      let b = li < len ? (H[p + 2 + li] >> (8 * (i - 3 * li))) & 255 : 0;
      if (nl < 0) {
        b = (~b & 255) + carry;
        carry = b >> 8;
        b &= 255;
      }
      buf[off + (little ? i : n - 1 - i)] = b;
    }
    return;
  }
  let x = v >> 1;
  for (let i = 0; i < n; i++) {
    const q = Math.floor(x / 256);
    buf[off + (little ? i : n - 1 - i)] = x - q * 256;
    x = q;
  }
}

const P256 = [1, 256, 65536, 16777216, 4294967296];

/** Read an n-byte int (n <= 8) at buf[off…]. */
export function getInt(vm: Vm, buf: Uint8Array, off: number, n: number, little: boolean, signed: boolean): number {
  let hi = 0;
  let lo = 0;
  // lo: the low min(n, 4) bytes, hi: the rest (as unsigned numbers)
  for (let i = n - 1; i >= 0; i--) {
    const b = buf[off + (little ? i : n - 1 - i)];
    if (i >= 4) hi = hi * 256 + b;
    else lo = lo * 256 + b;
  }
  // (Espruino's Math.pow is inexact: powers of 256 from a table)
  if (n <= 4) {
    if (signed && lo >= P256[n] / 2) lo -= P256[n];
    return intFromNumber(vm, lo);
  }
  if (signed && hi >= P256[n - 4] / 2) hi -= P256[n - 4];
  if (hi < 2097152 && hi >= -2097152) return intFromNumber(vm, hi * 4294967296 + lo);
  const h = vm.tpush(intFromNumber(vm, hi));
  const s = intShift(vm, h, smi(32), true);
  vm.tr[vm.tn - 1] = s;
  const l = vm.tpush(intFromNumber(vm, lo));
  const r = intAdd(vm, s, l, false);
  vm.tpop(2);
  return r;
}

/** Store value v as typecode c at buf[off…]. */
export function packVal(vm: Vm, buf: Uint8Array, off: number, c: number, little: boolean, v: number): void {
  switch (c) {
    case 102: // f
    case 100: { // d
      const x = floatArg(vm, v);
      const n = c === 102 ? 4 : 8;
      const src = c === 102 ? B32 : B64;
      if (c === 102) F32[0] = x;
      else F64[0] = x;
      for (let i = 0; i < n; i++) buf[off + (little ? i : n - 1 - i)] = src[i];
      return;
    }
    case 101: { // e: IEEE half
      const h = toHalf(floatArg(vm, v));
      buf[off + (little ? 0 : 1)] = h & 255;
      buf[off + (little ? 1 : 0)] = h >> 8;
      return;
    }
    case 63: // ?
      buf[off] = truthy(vm, v) ? 1 : 0;
      return;
    case 99: { // c
      const k = kindOf(vm, v);
      if ((k !== K.BYTES && k !== K.BYTEARRAY) || bytesLen(vm, v) !== 1) throw raise(vm, T.TYPE_ERROR, "char format requires a bytes object of length 1");
      const b = bytesView(vm, v);
      buf[off] = b[bvOff];
      return;
    }
    case 79: // O: the object's word itself (MicroPython: its address)
      B32x[0] = v;
      for (let i = 0; i < 4; i++) buf[off + (little ? i : 3 - i)] = B32w[i];
      return;
  }
  putInt(vm, intWord(vm, v), buf, off, typeSize(c, false), little);
}

const B32x = new Int32Array(1);
const B32w = new Uint8Array(B32x.buffer);

function bytesLen(vm: Vm, w: number): number {
  bytesView(vm, w);
  return bvLen;
}

/** The value of typecode c stored at buf[off…]. */
export function unpackVal(vm: Vm, buf: Uint8Array, off: number, c: number, little: boolean): number {
  switch (c) {
    case 102:
    case 100: {
      const n = c === 102 ? 4 : 8;
      const dst = c === 102 ? B32 : B64;
      for (let i = 0; i < n; i++) dst[i] = buf[off + (little ? i : n - 1 - i)];
      return newFloat(vm, c === 102 ? F32[0] : F64[0]);
    }
    case 101:
      return newFloat(vm, fromHalf(little ? buf[off] | (buf[off + 1] << 8) : buf[off + 1] | (buf[off] << 8)));
    case 63:
      return buf[off] ? LY.TRUE : LY.FALSE;
    case 99:
      return bytesFromBytes(vm, buf, off, 1);
    case 79: {
      for (let i = 0; i < 4; i++) B32w[i] = buf[off + (little ? i : 3 - i)];
      return checkObj(vm, B32x[0]);
    }
  }
  const n = typeSize(c, false);
  return getInt(vm, buf, off, n, little, c >= 97);
}

/** A word read back from bytes ('O'): only a small int, a static object or the start of a live heap object. */
function checkObj(vm: Vm, w: number): number {
  if (w & 1) return w;
  if ((w & 3) === 2) {
    if (w >> 2 < 8192 + 65536) return w;
  } else if ((w & 3) === 0 && w !== 0) {
    const h = vm.heap;
    const H = vm.H;
    const t = w >> 2;
    for (let p = h.start; p < h.end;) {
      if (p === h.bump && h.bumpEnd > p) {
        p = h.bumpEnd;
        continue;
      }
      if (p === t) {
        if ((H[p] & 127) !== K.FREE) return w;
        break;
      }
      if (p > t) break;
      const n = H[p] >> 8;
      if (n < 1) break;
      p += n;
    }
  }
  throw raise(vm, T.VALUE_ERROR, "invalid object reference");
}

function toHalf(x: number): number {
  F32[0] = x;
  const b = (B32[3] << 24) | (B32[2] << 16) | (B32[1] << 8) | B32[0];
  const sign = (b >>> 16) & 0x8000;
  const e = (b >>> 23) & 255;
  let m = b & 0x7fffff;
  if (e === 255) return sign | 0x7c00 | (m ? 0x200 : 0);
  let he = e - 127 + 15;
  if (he >= 31) return sign | 0x7c00;
  if (he <= 0) {
    if (he < -10) return sign;
    m |= 0x800000;
    const shift = 14 - he;
    let hm = m >> shift;
    const rem = m & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && hm & 1)) hm++;
    return sign | hm;
  }
  let hm = m >> 13;
  const rem = m & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && hm & 1)) {
    hm++;
    if (hm === 0x400) {
      hm = 0;
      he++;
      if (he >= 31) return sign | 0x7c00;
    }
  }
  return sign | (he << 10) | hm;
}

function fromHalf(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 31;
  const m = h & 0x3ff;
  if (e === 0) return (s * m) / 16777216;
  if (e === 31) return m ? NaN : s * Infinity;
  // 2^(e-15) * (1 + m/1024), exactly: powers of two by repeated doubling/halving
  let p = 1;
  for (let i = 15; i < e; i++) p *= 2;
  for (let i = e; i < 15; i++) p /= 2;
  return s * p * (1 + m / 1024);
}

// --- formats ---------------------------------------------------------------------------------------------------------

let fNative = true;
let fLittle = true;
let fPos = 0;

/** Read the byte-order prefix of format s: sets fNative/fLittle and fPos. */
function fmtStart(s: string): void {
  const c = s.charAt(0);
  fPos = 1;
  fNative = false;
  fLittle = true;
  if (c === "<" || c === "=") return;
  if (c === ">" || c === "!") {
    fLittle = false;
    return;
  }
  fNative = true;
  if (c !== "@") fPos = 0;
}

function fmtArg(vm: Vm, w: number): string {
  const k = kindOf(vm, w);
  if (((w & 3) === 2 && w >> 2 >= 8192) || k === K.STR || k === K.BYTES) return jstr(vm, w);
  throw raise(vm, T.TYPE_ERROR, "Struct() argument 1 must be a str or bytes object, not " + typeNameJs(vm, w));
}

// Per format item (after fmtNext): its typecode, repeat count and offset.
let iCode = 0;
let iCount = 0;
let iOff = 0;

/** The next item of format s from fPos (updating offset `off`), or false at the end. ValueError for bad formats. */
function fmtNext(vm: Vm, s: string, off: number): boolean {
  let c = s.charCodeAt(fPos);
  while (c === 32 || (c >= 9 && c <= 13)) c = s.charCodeAt(++fPos);
  if (fPos >= s.length) return false;
  let cnt = 1;
  if (c >= 48 && c <= 57) {
    cnt = 0;
    while (c >= 48 && c <= 57) {
      cnt = cnt * 10 + c - 48;
      c = s.charCodeAt(++fPos);
    }
  }
  fPos++;
  const sz = c === 83 ? -1 : typeSize(c, fNative);
  if (sz < 0 || c !== c) throw raise(vm, T.VALUE_ERROR, "bad typecode");
  if (fNative && sz > 1) off = Math.ceil(off / sz) * sz;
  iCode = c;
  iCount = cnt;
  iOff = off;
  return true;
}

/** Total size of format s. */
function calcSize(vm: Vm, s: string): number {
  fmtStart(s);
  let off = 0;
  while (fmtNext(vm, s, off)) off = iOff + (iCode === 115 || iCode === 120 ? iCount : iCount * typeSize(iCode, fNative));
  return off;
}

/** Number of values format s packs or unpacks. */
function countItems(vm: Vm, s: string): number {
  fmtStart(s);
  let n = 0;
  while (fmtNext(vm, s, 0)) n += iCode === 115 ? 1 : iCode === 120 ? 0 : iCount;
  return n;
}

/**
 * Pack args H[a…a+n-1] by format s into a new JS byte buffer of the format's size (zero where no argument is left).
 * A JS buffer, not the target: an argument's __index__ may run Python code that resizes the target.
 */
function packArgs(vm: Vm, s: string, a: number, n: number): Uint8Array {
  const H = vm.H;
  const buf = new Uint8Array(calcSize(vm, s));
  fmtStart(s);
  const nat = fNative;
  const little = fLittle;
  let pos = fPos;
  let off = 0;
  let i = 0;
  for (;;) {
    fPos = pos;
    fNative = nat;
    if (i >= n || !fmtNext(vm, s, off)) break;
    pos = fPos;
    const c = iCode;
    const cnt = iCount;
    off = iOff;
    if (c === 120) off += cnt;
    else if (c === 115) {
      const b = bufferOf(vm, H[a + i++], true, false);
      if (b === null) throw raise(vm, T.TYPE_ERROR, "argument for 's' must be a bytes object");
      const m = bufLen < cnt ? bufLen : cnt;
      for (let j = 0; j < m; j++) buf[off + j] = b[bufOff + j];
      off += cnt;
    } else {
      const sz = typeSize(c, nat);
      for (let j = 0; j < cnt && i < n; j++) {
        packVal(vm, buf, off, c, little, H[a + i++]);
        off += sz;
      }
    }
  }
  return buf;
}

/** Unpack format s from buffer w at byte `start` into a new tuple. */
function unpackFrom(vm: Vm, s: string, w: number, start: number): number {
  const size = calcSize(vm, s);
  needBuffer(vm, w, false, false);
  if (start < 0) start += bufLen;
  if (start < 0 || start + size > bufLen) throw raise(vm, T.VALUE_ERROR, "buffer too small");
  const t = newTuple(vm, countItems(vm, s));
  vm.tpush(t);
  const H = vm.H;
  fmtStart(s);
  let off = 0;
  let i = 0;
  while (fmtNext(vm, s, off)) {
    const c = iCode;
    const cnt = iCount;
    off = iOff;
    const pos = fPos;
    const nat = fNative;
    if (c === 120) off += cnt;
    else if (c === 115) {
      const b = needBuffer(vm, w, false, false);
      H[(t >> 2) + LY.TUP_ITEMS + i++] = bytesFromBytes(vm, b, bufOff + start + off, cnt);
      off += cnt;
    } else {
      const sz = typeSize(c, nat);
      for (let j = 0; j < cnt; j++) {
        const b = needBuffer(vm, w, false, false);
        H[(t >> 2) + LY.TUP_ITEMS + i++] = unpackVal(vm, b, bufOff + start + off, c, fLittle);
        off += sz;
      }
    }
    fPos = pos;
    fNative = nat;
  }
  vm.tpop(1);
  return t;
}

function offsetArg(vm: Vm, w: number): number {
  const v = intWord(vm, w);
  return v & 1 ? v >> 1 : 1e15;
}

defineModule({
  name: Q.struct,
  attrs: function (): number[] {
    return [
      Q.calcsize, native(Q.calcsize, 1, 1, 0, function (vm, a) { return smi(calcSize(vm, fmtArg(vm, vm.H[a]))); }),
      Q.pack, native(Q.pack, 1, -1, 0, function (vm, a, n) {
        const b = packArgs(vm, fmtArg(vm, vm.H[a]), a + 1, n - 1);
        return bytesFromBytes(vm, b, 0, b.length);
      }),
      Q.pack_into, native(Q.pack_into, 3, -1, 0, function (vm, a, n) {
        const H = vm.H;
        const s = fmtArg(vm, H[a]);
        const size = calcSize(vm, s);
        needBuffer(vm, H[a + 1], false, true);
        let off = offsetArg(vm, H[a + 2]);
        if (off < 0) off += bufLen;
        if (off < 0 || off + size > bufLen) throw raise(vm, T.VALUE_ERROR, "buffer too small");
        const src = packArgs(vm, s, a + 3, n - 3);
        const b = needBuffer(vm, H[a + 1], false, true);
        if (off + size > bufLen) throw raise(vm, T.VALUE_ERROR, "buffer too small");
        for (let i = 0; i < size; i++) b[bufOff + off + i] = src[i];
        return LY.NONE;
      }),
      Q.unpack, native(Q.unpack, 2, 2, 0, function (vm, a) { return unpackFrom(vm, fmtArg(vm, vm.H[a]), vm.H[a + 1], 0); }),
      Q.unpack_from, native(Q.unpack_from, 2, 3, NF_KW, function (vm, a, n, kw) {
        const H = vm.H;
        let offW = n > 2 ? H[a + 2] : LY.NULL;
        if (kw !== LY.NULL) {
          if (H[(kw >> 2) + LY.SEQ_LEN] !== smi(1) || jstr(vm, H[(kw >> 2) + LY.TUP_ITEMS]) !== "offset")
            throw raise(vm, T.TYPE_ERROR, "unexpected keyword argument");
          offW = H[a + n];
        }
        return unpackFrom(vm, fmtArg(vm, H[a]), H[a + 1], offW === LY.NULL ? 0 : offsetArg(vm, offW));
      }),
      Q.iter_unpack, native(Q.iter_unpack, 2, 2, 0, function (vm, a) {
        const H = vm.H;
        const s = fmtArg(vm, H[a]);
        const size = calcSize(vm, s);
        if (size === 0) throw raise(vm, T.VALUE_ERROR, "cannot iteratively unpack with a struct of length 0");
        needBuffer(vm, H[a + 1], false, false);
        const total = bufLen;
        if (total % size) throw raise(vm, T.VALUE_ERROR, "iterative unpacking requires a buffer of a multiple of " + size + " bytes");
        const l = newList(vm, 0, total / size);
        vm.tpush(l);
        for (let off = 0; off < total; off += size) listAppend(vm, l, unpackFrom(vm, s, H[a + 1], off));
        const it = getIter(vm, l);
        vm.tpop(1);
        return it;
      }),
      Q.error, imm(T.VALUE_ERROR),
    ];
  },
});

