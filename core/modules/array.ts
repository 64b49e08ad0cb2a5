// The array module: array.array(typecode, iterable) for b B h H i I l L q Q f d P O S, items stored as typed bytes in
// a RAWBUF (native little-endian, MicroPython's 32-bit sizes: l is 4 bytes) or, for 'O', as words in a traced ARRAY.
// Instances are NATIVE_OBJ [hdr, type, typecode, byte length, storage|0]; indexing, len() and iteration reach them
// through __getitem__/__setitem__/__len__, comparisons and + through NF_SELF special methods.
import { K, smi, imm, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise } from "../vm/exc";
import { native, defineModule, defineAttrs, NF_METHOD, NF_SELF } from "../vm/registry";
import { NF_PROP } from "../vm/attr";
import { defineCtor } from "../obj/class";
import {
  kindOf, typeNameJs, toIndex, seqIndex, unwrap,
} from "../vm/ops";
import { jstr, str, sclen, bytesFromBytes, allocStr } from "../obj/str";
import { reprJs } from "../obj/repr";
import { seqLen, seqItems, newList } from "../obj/seq";
import { getIter, iterNext, newBytearray, bytearrayData } from "../obj/items";
import { typeSize, packVal, unpackVal, bufferOf, BUF, isArrayBuf, bytesAt, sliceAt, SL } from "./struct";

const A_CODE = 2;
const A_LEN = 3; // length in bytes
const A_BUF = 4;

const CODES = "bBhHiIlLqQfdPOS";

function code(vm: Vm, arr: number): number {
  return vm.H[(arr >> 2) + A_CODE] >> 1;
}
function itemSize(vm: Vm, arr: number): number {
  return typeSize(code(vm, arr), true);
}
/** Number of items. */
export function arrayLen(vm: Vm, arr: number): number {
  return (vm.H[(arr >> 2) + A_LEN] >> 1) / itemSize(vm, arr);
}
/** Byte offset in vm.U8 of the first byte (for 'O': word index of the first item is this >> 2). */
function dataOff(vm: Vm, arr: number): number {
  return ((vm.H[(arr >> 2) + A_BUF] >> 2) + 1) << 2;
}
function capBytes(vm: Vm, arr: number): number {
  const b = vm.H[(arr >> 2) + A_BUF];
  return b === LY.NULL ? 0 : ((vm.H[b >> 2] >> 8) - 1) << 2;
}

function isArray(vm: Vm, w: number): boolean {
  return kindOf(vm, w) === K.NATIVE_OBJ && vm.H[(w >> 2) + 1] === imm(T.ARRAY);
}

/** self of an NF_SELF method: the array itself or the one a subclass instance wraps. */
function selfArr(vm: Vm, w: number): number {
  return unwrap(vm, w);
}

/** A new empty array of typecode c with room for `cap` bytes. */
function newArray(vm: Vm, c: number, cap: number): number {
  const p = vm.alloc(K.NATIVE_OBJ, 5);
  const H = vm.H;
  H[p + 1] = imm(T.ARRAY);
  H[p + A_CODE] = smi(c);
  H[p + A_LEN] = smi(0);
  if (cap > 0) {
    vm.tpush(p << 2);
    const b = vm.alloc(c === 79 ? K.ARRAY : K.RAWBUF, 1 + ((cap + 3) >> 2));
    vm.tpop(1);
    H[p + A_BUF] = b << 2;
  }
  return p << 2;
}

/** Make room for `need` bytes in all. */
function reserve(vm: Vm, arr: number, need: number): void {
  const cap = capBytes(vm, arr);
  if (need <= cap) return;
  const H = vm.H;
  const n = H[(arr >> 2) + A_LEN] >> 1;
  let ncap = n + (n >> 1) + 16;
  if (ncap < need) ncap = need;
  vm.tpush(arr);
  const b = vm.alloc(code(vm, arr) === 79 ? K.ARRAY : K.RAWBUF, 1 + ((ncap + 3) >> 2));
  vm.tpop(1);
  const src = dataOff(vm, arr);
  const dst = (b + 1) << 2;
  if (code(vm, arr) === 79) for (let i = 0; i < n >> 2; i++) H[(dst >> 2) + i] = H[(src >> 2) + i];
  else vm.U8.set(vm.U8.subarray(src, src + n), dst);
  H[(arr >> 2) + A_BUF] = b << 2;
}

// An item encoded before it is stored (encoding may run Python code through __index__, which could resize the array).
const SCR = new Uint8Array(8);

function encode(vm: Vm, c: number, v: number): void {
  if (c !== 79) packVal(vm, SCR, 0, c === 83 ? 80 : c, true, v);
}

/** Store the encoded item (or v itself for 'O') as item i. */
function store(vm: Vm, arr: number, i: number, v: number): void {
  const c = code(vm, arr);
  const sz = typeSize(c, true);
  const off = dataOff(vm, arr) + i * sz;
  if (c === 79) vm.H[off >> 2] = v;
  else for (let j = 0; j < sz; j++) vm.U8[off + j] = SCR[j];
}

function append(vm: Vm, arr: number, v: number): void {
  const c = code(vm, arr);
  encode(vm, c, v);
  const n = vm.H[(arr >> 2) + A_LEN] >> 1;
  const sz = typeSize(c, true);
  if (c === 79) vm.tpush(v);
  reserve(vm, arr, n + sz);
  if (c === 79) vm.tpop(1);
  vm.H[(arr >> 2) + A_LEN] = smi(n + sz);
  store(vm, arr, n / sz, v);
}

/** Item i (in range) as a value. */
function itemAt(vm: Vm, arr: number, i: number): number {
  const c = code(vm, arr);
  const off = dataOff(vm, arr) + i * typeSize(c, true);
  if (c === 79) return vm.H[off >> 2];
  return unpackVal(vm, vm.U8, off, c === 83 ? 80 : c, true);
}

/** Append raw bytes (a buffer's contents) to an array whose items are bytes. */
function appendBytes(vm: Vm, arr: number, src: number): void {
  const b = bufferOf(vm, src, false, false);
  if (b === null || code(vm, arr) === 79) throw raise(vm, T.TYPE_ERROR, "can't extend array with '" + typeNameJs(vm, src) + "'");
  const sz = itemSize(vm, arr);
  if (BUF[1] % sz) throw raise(vm, T.VALUE_ERROR, "bytes length not a multiple of item size");
  const n = vm.H[(arr >> 2) + A_LEN] >> 1;
  const m = BUF[1];
  reserve(vm, arr, n + m);
  const b2 = bufferOf(vm, src, false, false) as Uint8Array;
  const d = dataOff(vm, arr);
  // src may be arr itself: copy from a snapshot
  const tmp = b2.slice(BUF[0], BUF[0] + m);
  vm.U8.set(tmp, d + n);
  vm.H[(arr >> 2) + A_LEN] = smi(n + m);
}

/** Append the items of 'O' array src to 'O' array arr (as words: they are references). */
function appendWords(vm: Vm, arr: number, src: number): void {
  const n = vm.H[(arr >> 2) + A_LEN] >> 1;
  const m = vm.H[(src >> 2) + A_LEN] >> 1;
  reserve(vm, arr, n + m);
  const d = dataOff(vm, arr) >> 2;
  const s = dataOff(vm, src) >> 2;
  for (let i = 0; i < m >> 2; i++) vm.H[d + (n >> 2) + i] = vm.H[s + i];
  vm.H[(arr >> 2) + A_LEN] = smi(n + m);
}

/** Append every item of iterable `it`. */
function extend(vm: Vm, arr: number, it: number): void {
  const u = unwrap(vm, it);
  if (isArray(vm, u) && code(vm, u) === code(vm, arr) && code(vm, arr) !== 79) return appendBytes(vm, arr, u);
  const k = kindOf(vm, u);
  if (k === K.LIST || k === K.TUPLE) {
    for (let i = 0; i < seqLen(vm, u); i++) append(vm, arr, vm.H[seqItems(vm, u) + i]);
    return;
  }
  const iter = getIter(vm, it);
  vm.tpush(iter);
  try {
    for (;;) {
      const x = iterNext(vm, iter);
      if (x === LY.NULL) break;
      append(vm, arr, x);
    }
  } finally {
    vm.tpop(1);
  }
}

function typecodeArg(vm: Vm, w: number): number {
  const isS = ((w & 3) === 2 && w >> 2 >= 8192) || kindOf(vm, w) === K.STR;
  if (!isS || sclen(vm, w) !== 1)
    throw raise(vm, T.TYPE_ERROR, "array() argument 1 must be a unicode character, not " + typeNameJs(vm, w));
  const c = jstr(vm, w).charCodeAt(0);
  if (CODES.indexOf(String.fromCharCode(c)) < 0) throw raise(vm, T.VALUE_ERROR, "bad typecode (must be b, B, h, H, i, I, l, L, q, Q, f or d)");
  return c;
}

function arrayCtor(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  const c = typecodeArg(vm, H[a]);
  if (n < 2) return newArray(vm, c, 0);
  const init = H[a + 1];
  const k = kindOf(vm, init);
  let cap = 0;
  if (k === K.LIST || k === K.TUPLE) cap = seqLen(vm, init) * typeSize(c, true);
  const arr = newArray(vm, c, cap);
  vm.tpush(arr);
  try {
    if (k === K.BYTES || k === K.BYTEARRAY) appendBytes(vm, arr, init);
    else if (((init & 3) === 2 && init >> 2 >= 8192) || k === K.STR)
      throw raise(vm, T.TYPE_ERROR, "cannot use a str to initialize an array with typecode '" + String.fromCharCode(c) + "'");
    else extend(vm, arr, init);
  } finally {
    vm.tpop(1);
  }
  return arr;
}

// --- special methods -------------------------------------------------------------------------------------------------

function getItemM(vm: Vm, a: number): number {
  const H = vm.H;
  const arr = H[a];
  const key = H[a + 1];
  const n = arrayLen(vm, arr);
  if (kindOf(vm, key) === K.SLICE) {
    sliceAt(vm, key, n);
    const start = SL[0];
    const step = SL[2];
    const m = SL[3];
    const sz = itemSize(vm, arr);
    const r = newArray(vm, code(vm, arr), m * sz);
    const src = dataOff(vm, arr);
    const dst = dataOff(vm, r);
    if (code(vm, arr) === 79) for (let i = 0; i < m; i++) H[(dst >> 2) + i] = H[(src >> 2) + start + i * step];
    else for (let i = 0; i < m; i++) for (let j = 0; j < sz; j++) vm.U8[dst + i * sz + j] = vm.U8[src + (start + i * step) * sz + j];
    H[(r >> 2) + A_LEN] = smi(m * sz);
    return r;
  }
  return itemAt(vm, arr, seqIndex(vm, toIndex(vm, key, "array"), n, "array"));
}

function setItemM(vm: Vm, a: number): number {
  const H = vm.H;
  const arr = H[a];
  const key = H[a + 1];
  const v = H[a + 2];
  const c = code(vm, arr);
  if (kindOf(vm, key) === K.SLICE) {
    const src = unwrap(vm, v);
    if (!isArray(vm, src) || code(vm, src) !== c)
      throw raise(vm, T.TYPE_ERROR, "can only assign array (not \"" + typeNameJs(vm, v) + "\") to array slice");
    const n = arrayLen(vm, arr);
    sliceAt(vm, key, n);
    const sz = typeSize(c, true);
    const m = arrayLen(vm, src);
    // the new items, copied out first (src may be arr); object references stay rooted in a copy of src
    const tmp: number[] = [];
    const so = dataOff(vm, src);
    if (c === 79) vm.tpush(newArray(vm, c, 0));
    for (let i = 0; i < m * sz; i += c === 79 ? 4 : 1) tmp.push(c === 79 ? H[(so + i) >> 2] : vm.U8[so + i]);
    if (c === 79) appendWords(vm, vm.tr[vm.tn - 1], src);
    const start = SL[0];
    const step = SL[2];
    if (step === 1) {
      const stop = SL[1] < start ? start : SL[1];
      const newN = n - (stop - start) + m;
      reserve(vm, arr, newN * sz);
      const d = dataOff(vm, arr);
      if (c === 79) {
        const w = d >> 2;
        if (m > stop - start) for (let i = n - 1; i >= stop; i--) H[w + i + m - (stop - start)] = H[w + i];
        else for (let i = stop; i < n; i++) H[w + i + m - (stop - start)] = H[w + i];
        for (let i = 0; i < m; i++) H[w + start + i] = tmp[i];
      } else {
        vm.U8.set(vm.U8.slice(d + stop * sz, d + n * sz), d + (start + m) * sz);
        for (let i = 0; i < tmp.length; i++) vm.U8[d + start * sz + i] = tmp[i];
      }
      H[(arr >> 2) + A_LEN] = smi(newN * sz);
    } else {
      if (m !== SL[3]) {
        if (c === 79) vm.tpop(1);
        throw raise(vm, T.VALUE_ERROR, "attempt to assign array of size " + m + " to extended slice of size " + SL[3]);
      }
      const d = dataOff(vm, arr);
      for (let i = 0; i < m; i++) {
        if (c === 79) H[(d >> 2) + start + i * step] = tmp[i];
        else for (let j = 0; j < sz; j++) vm.U8[d + (start + i * step) * sz + j] = tmp[i * sz + j];
      }
    }
    if (c === 79) vm.tpop(1);
    return LY.NONE;
  }
  const i = seqIndex(vm, toIndex(vm, key, "array"), arrayLen(vm, arr), "array assignment");
  encode(vm, c, v);
  store(vm, arr, seqIndex(vm, i, arrayLen(vm, arr), "array assignment"), v);
  return LY.NONE;
}

/** One item's value for comparisons: the pair (hi, lo) with value hi * 2^32 + lo, 0 <= lo < 2^32. */
let cHi = 0;
let cLo = 0;
function itemPair(vm: Vm, arr: number, i: number): void {
  const c = code(vm, arr);
  const sz = typeSize(c, true);
  const off = dataOff(vm, arr) + i * sz;
  const U8 = vm.U8;
  let lo = 0;
  let hi = 0;
  const m = sz < 4 ? sz : 4;
  for (let j = m - 1; j >= 0; j--) lo = lo * 256 + U8[off + j];
  for (let j = sz - 1; j >= 4; j--) hi = hi * 256 + U8[off + j];
  const signed = c >= 97;
  if (sz < 4) {
    if (signed && lo >= 1 << (8 * sz - 1)) {
      lo = lo - (1 << (8 * sz)) + 4294967296;
      hi = -1;
    }
  } else if (sz === 4) {
    if (signed && lo >= 2147483648) hi = -1;
  } else if (signed && hi >= 2147483648) hi -= 4294967296;
  cHi = hi;
  cLo = lo;
}

/** Compare two arrays: -1, 0, 1; NotImplementedError for layouts that can't be compared. */
function compare(vm: Vm, x: number, y: number, eqOnly: boolean): number {
  const cx = code(vm, x);
  const cy = code(vm, y);
  // same typecode, or the same integer type but for signedness; floats compare by bytes on MicroPython, so not at all
  if (cx === 102 || cx === 100 || (cx !== cy && ((cx | 32) !== (cy | 32) || "bhilq".indexOf(String.fromCharCode(cx | 32)) < 0)))
    throw raise(vm, T.NOT_IMPLEMENTED_ERROR, null);
  const nx = arrayLen(vm, x);
  const ny = arrayLen(vm, y);
  if (eqOnly && nx !== ny) return 1;
  const n = nx < ny ? nx : ny;
  for (let i = 0; i < n; i++) {
    if (cx === 79) {
      const ox = itemAt(vm, x, i);
      const oy = itemAt(vm, y, i);
      if (ox !== oy) return 1;
      continue;
    }
    itemPair(vm, x, i);
    const hx = cHi;
    const lx2 = cLo;
    itemPair(vm, y, i);
    if (hx !== cHi) return hx < cHi ? -1 : 1;
    if (lx2 !== cLo) return lx2 < cLo ? -1 : 1;
  }
  return nx < ny ? -1 : nx > ny ? 1 : 0;
}

function cmpM(op: number) {
  return function (vm: Vm, a: number): number {
    const x = selfArr(vm, vm.H[a]);
    const y = unwrap(vm, vm.H[a + 1]);
    if (!isArray(vm, x) || !isArray(vm, y)) return LY.NOT_IMPLEMENTED;
    const c = compare(vm, x, y, op === 2 || op === 3);
    const r = op === 0 ? c < 0 : op === 1 ? c <= 0 : op === 2 ? c === 0 : op === 3 ? c !== 0 : op === 4 ? c > 0 : c >= 0;
    return r ? LY.TRUE : LY.FALSE;
  };
}

function addM(vm: Vm, a: number): number {
  const x = selfArr(vm, vm.H[a]);
  const y = unwrap(vm, vm.H[a + 1]);
  if (!isArray(vm, x) || !(isArray(vm, y) ? code(vm, y) === code(vm, x) : code(vm, x) !== 79 && bufferOf(vm, y, false, false) !== null))
    return LY.NOT_IMPLEMENTED;
  const r = newArray(vm, code(vm, x), 0);
  vm.tpush(r);
  extend(vm, r, x);
  extend(vm, r, y);
  vm.tpop(1);
  return r;
}

function iaddM(vm: Vm, a: number): number {
  const x = selfArr(vm, vm.H[a]);
  const y = unwrap(vm, vm.H[a + 1]);
  if (!isArray(vm, x)) return LY.NOT_IMPLEMENTED;
  if (isArray(vm, y) ? code(vm, y) !== code(vm, x) : bufferOf(vm, y, false, false) === null) return LY.NOT_IMPLEMENTED;
  if (isArray(vm, y)) extend(vm, x, y);
  else appendBytes(vm, x, y);
  return vm.H[a];
}

/** bytes + array, bytearray + array: the bytes joined. */
function raddM(vm: Vm, a: number): number {
  const x = selfArr(vm, vm.H[a]);
  const y = vm.H[a + 1];
  const k = kindOf(vm, y);
  if (!isArrayBuf(vm, x) || (k !== K.BYTES && k !== K.BYTEARRAY)) return LY.NOT_IMPLEMENTED;
  bytesAt(vm, y);
  const ny = BUF[1];
  const nx = vm.H[(x >> 2) + A_LEN] >> 1;
  let r: number;
  let d: number;
  if (k === K.BYTES) {
    r = allocStr(vm, K.BYTES, ny + nx, ny + nx) << 2;
    d = ((r >> 2) + LY.S_DATA) << 2;
  } else {
    r = newBytearray(vm, ny + nx);
    d = bytearrayData(vm, r);
  }
  const b2 = bytesAt(vm, y);
  const o2 = BUF[0];
  for (let i = 0; i < ny; i++) vm.U8[d + i] = b2[o2 + i];
  const s = dataOff(vm, x);
  for (let i = 0; i < nx; i++) vm.U8[d + ny + i] = vm.U8[s + i];
  return r;
}

function reprM(vm: Vm, a: number): number {
  const arr = selfArr(vm, vm.H[a]);
  const c = code(vm, arr);
  let s = "array('" + String.fromCharCode(c) + "'";
  const n = arrayLen(vm, arr);
  if (n > 0) {
    s += ", [";
    for (let i = 0; i < arrayLen(vm, arr); i++) {
      if (i) s += ", ";
      s += reprJs(vm, itemAt(vm, arr, i));
    }
    s += "]";
  }
  return str(vm, s + ")");
}

function toBytes(vm: Vm, a: number): number {
  const arr = vm.H[a];
  if (!isArrayBuf(vm, arr)) throw raise(vm, T.TYPE_ERROR, "array of objects has no bytes");
  return bytesFromBytes(vm, vm.U8, dataOff(vm, arr), vm.H[(arr >> 2) + A_LEN] >> 1);
}

function initArray(): void {
  defineCtor(T.ARRAY, native(Q.array, 1, 2, 0, arrayCtor));
  defineAttrs(T.ARRAY, [
    Q.append, native(Q.append, 2, 2, NF_METHOD, function (vm, a) { append(vm, vm.H[a], vm.H[a + 1]); return LY.NONE; }),
    Q.extend, native(Q.extend, 2, 2, NF_METHOD, function (vm, a) { extend(vm, vm.H[a], vm.H[a + 1]); return LY.NONE; }),
    Q.tobytes, native(Q.tobytes, 1, 1, NF_METHOD, toBytes),
    Q.frombytes, native(Q.frombytes, 2, 2, NF_METHOD, function (vm, a) { appendBytes(vm, vm.H[a], vm.H[a + 1]); return LY.NONE; }),
    Q.tolist, native(Q.tolist, 1, 1, NF_METHOD, function (vm, a) {
      const arr = vm.H[a];
      const l = newList(vm, arrayLen(vm, arr), arrayLen(vm, arr));
      vm.tpush(l);
      for (let i = 0; i < arrayLen(vm, arr) && i < seqLen(vm, l); i++) vm.H[seqItems(vm, l) + i] = itemAt(vm, arr, i);
      vm.tpop(1);
      return l;
    }),
    Q.typecode, native(Q.typecode, 1, 1, NF_PROP, function (vm, a) { return str(vm, String.fromCharCode(code(vm, unwrap(vm, vm.H[a])))); }),
    Q.itemsize, native(Q.itemsize, 1, 1, NF_PROP, function (vm, a) { return smi(itemSize(vm, unwrap(vm, vm.H[a]))); }),
    Q.__getitem__, native(Q.__getitem__, 2, 2, NF_METHOD, getItemM),
    Q.__setitem__, native(Q.__setitem__, 3, 3, NF_METHOD, setItemM),
    Q.__len__, native(Q.__len__, 1, 1, NF_METHOD, function (vm, a) { return smi(arrayLen(vm, vm.H[a])); }),
    Q.__repr__, native(Q.__repr__, 1, 1, NF_METHOD | NF_SELF, reprM),
    Q.__eq__, native(Q.__eq__, 2, 2, NF_METHOD | NF_SELF, cmpM(2)),
    Q.__ne__, native(Q.__ne__, 2, 2, NF_METHOD | NF_SELF, cmpM(3)),
    Q.__lt__, native(Q.__lt__, 2, 2, NF_METHOD | NF_SELF, cmpM(0)),
    Q.__le__, native(Q.__le__, 2, 2, NF_METHOD | NF_SELF, cmpM(1)),
    Q.__gt__, native(Q.__gt__, 2, 2, NF_METHOD | NF_SELF, cmpM(4)),
    Q.__ge__, native(Q.__ge__, 2, 2, NF_METHOD | NF_SELF, cmpM(5)),
    Q.__add__, native(Q.__add__, 2, 2, NF_METHOD | NF_SELF, addM),
    Q.__iadd__, native(Q.__iadd__, 2, 2, NF_METHOD | NF_SELF, iaddM),
    Q.__radd__, native(Q.__radd__, 2, 2, NF_METHOD | NF_SELF, raddM),
    Q.__hash__, LY.NONE,
  ]);
}

// the type's methods are registered on first import: a program that never imports array pays nothing
defineModule({
  name: Q.array,
  attrs: function (): number[] {
    initArray();
    return [Q.array, imm(T.ARRAY), Q.ArrayType, imm(T.ARRAY)];
  },
});

