// memoryview: a window on the bytes of a bytes, bytearray, array.array or another memoryview, without copying.
// A memoryview is a K.BYTEARRAY object with the memoryview flag, so bytesView() and every bytes-like consumer read it
// like a bytearray: [hdr, byte length, storage, flags, format, obj], where storage is the RAWBUF of a bytearray or an
// array, or the BYTES object itself (its data then starts S_DATA - 1 words after the storage's first word, which the
// offset includes); flags is bit 0 read-only, bit 1 memoryview, the byte offset from bit 2; format is
// itemsize << 8 | format character; obj is the object the view was made from. Only contiguous views (slice step 1).
import { K, NULL, smi, imm, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise } from "../vm/exc";
import { native, defineAttrs, NF_METHOD, NF_KW } from "../vm/registry";
import { NF_PROP } from "../vm/attr";
import { defineCtor } from "./class";
import {
  kindOf, typeNameJs, toIndex, seqIndex, resolveSlice, slStart, slStep, slLen, bytesView, bvOff, bvLen, unwrap, isBuffer,
} from "../vm/ops";
import { bytesFromBytes, str } from "./str";
import { newList, newTuple, seqItems } from "./seq";
import { isIntLike } from "./num";
import { typeSize, packVal, unpackVal } from "../modules/struct";

const MV_STORE = 2;
const MV_FLAGS = 3;
const MV_FMT = 4;
const MV_OBJ = 5;

/** Is w a memoryview (a BYTEARRAY with the memoryview flag)? */
export function isMemoryview(vm: Vm, w: number): boolean {
  return kindOf(vm, w) === K.BYTEARRAY && ((vm.H[(w >> 2) + MV_FLAGS] >> 1) & 2) !== 0;
}

function fmtChar(vm: Vm, mv: number): number {
  return (vm.H[(mv >> 2) + MV_FMT] >> 1) & 255;
}
function itemsize(vm: Vm, mv: number): number {
  return vm.H[(mv >> 2) + MV_FMT] >> 9;
}
/** Number of items (len()). */
export function mvLen(vm: Vm, mv: number): number {
  return (vm.H[(mv >> 2) + 1] >> 1) / itemsize(vm, mv);
}

function newView(vm: Vm, store: number, off: number, nbytes: number, ro: boolean, fmt: number, obj: number): number {
  vm.tpush(store);
  vm.tpush(obj);
  const p = vm.alloc(K.BYTEARRAY, 6);
  vm.tpop(2);
  const H = vm.H;
  H[p + 1] = smi(nbytes);
  H[p + MV_STORE] = store;
  H[p + MV_FLAGS] = smi((off << 2) | 2 | (ro ? 1 : 0));
  H[p + MV_FMT] = smi(fmt);
  H[p + MV_OBJ] = obj;
  return p << 2;
}

function mvCtor(vm: Vm, a: number): number {
  const H = vm.H;
  const src = H[a];
  const x = unwrap(vm, src);
  const k = kindOf(vm, x);
  const p = x >> 2;
  if (k === K.BYTES) return newView(vm, x, (LY.S_DATA - 1) << 2, H[p + LY.S_BLEN], true, (1 << 8) | 66, src);
  if (k === K.BYTEARRAY) {
    const f = H[p + MV_FLAGS] >> 1;
    if (f & 2) return newView(vm, H[p + MV_STORE], f >> 2, H[p + 1] >> 1, (f & 1) !== 0, H[p + MV_FMT] >> 1, H[p + MV_OBJ]);
    return newView(vm, H[p + MV_STORE], 0, H[p + 1] >> 1, false, (1 << 8) | 66, src);
  }
  if (k === K.NATIVE_OBJ && isBuffer(vm, x)) {
    // array.array: [hdr, type, typecode, byte length, RAWBUF|0]
    const c = H[p + 2] >> 1;
    return newView(vm, H[p + 4], 0, H[p + 3] >> 1, false, (typeSize(c, true) << 8) | c, src);
  }
  throw raise(vm, T.TYPE_ERROR, "memoryview: a bytes-like object is required, not '" + typeNameJs(vm, src) + "'");
}

/** Byte offset in vm.U8 of the view's first byte. */
function base(vm: Vm, mv: number): number {
  bytesView(vm, mv);
  return bvOff;
}

function item(vm: Vm, mv: number, i: number): number {
  const c = fmtChar(vm, mv);
  const off = base(vm, mv) + i * itemsize(vm, mv);
  if (c === 66) return smi(vm.U8[off]);
  return unpackVal(vm, vm.U8, off, c, true);
}

/** mv[key]: an item, or a view of a slice. */
export function mvGetItem(vm: Vm, mv: number, key: number): number {
  const H = vm.H;
  const n = mvLen(vm, mv);
  if (kindOf(vm, key) === K.SLICE) {
    resolveSlice(vm, key, n);
    if (slStep !== 1 && slLen > 1) throw raise(vm, T.NOT_IMPLEMENTED_ERROR, "only slices with step=1 (aka None) are supported");
    const p = mv >> 2;
    const f = H[p + MV_FLAGS] >> 1;
    const size = itemsize(vm, mv);
    return newView(vm, H[p + MV_STORE], (f >> 2) + slStart * size, slLen * size, (f & 1) !== 0, H[p + MV_FMT] >> 1, H[p + MV_OBJ]);
  }
  if (!isIntLike(vm, key) && kindOf(vm, key) !== K.INST) throw raise(vm, T.TYPE_ERROR, "memoryview: invalid slice key");
  const i = seqIndex(vm, toIndex(vm, key, "memoryview"), n, "memoryview");
  return item(vm, mv, i);
}

function readOnly(vm: Vm, mv: number): boolean {
  return ((vm.H[(mv >> 2) + MV_FLAGS] >> 1) & 1) !== 0;
}

/** mv[key] = v: one item, or a slice from a buffer of the same format and length. */
export function mvSetItem(vm: Vm, mv: number, key: number, v: number): void {
  if (readOnly(vm, mv)) throw raise(vm, T.TYPE_ERROR, "cannot modify read-only memory");
  const n = mvLen(vm, mv);
  const size = itemsize(vm, mv);
  const c = fmtChar(vm, mv);
  if (kindOf(vm, key) === K.SLICE) {
    resolveSlice(vm, key, n);
    if (slStep !== 1 && slLen > 1) throw raise(vm, T.NOT_IMPLEMENTED_ERROR, "only slices with step=1 (aka None) are supported");
    const start = slStart;
    const len = slLen;
    const u = unwrap(vm, v);
    if (!isBuffer(vm, u)) throw raise(vm, T.TYPE_ERROR, "a bytes-like object is required, not '" + typeNameJs(vm, v) + "'");
    // the source's format: memoryviews and arrays carry one, bytes and bytearrays are 'B'
    let sc = 66;
    if (isMemoryview(vm, u)) sc = fmtChar(vm, u);
    else if (kindOf(vm, u) === K.NATIVE_OBJ) sc = vm.H[(u >> 2) + 2] >> 1;
    const sb = bytesView(vm, u);
    const so = bvOff;
    if (sc !== c || bvLen !== len * size) throw raise(vm, T.VALUE_ERROR, "memoryview assignment: lvalue and rvalue have different structures");
    const d = base(vm, mv) + start * size;
    const U8 = vm.U8;
    const cnt = len * size;
    if (d <= so) for (let i = 0; i < cnt; i++) U8[d + i] = sb[so + i];
    else for (let i = cnt - 1; i >= 0; i--) U8[d + i] = sb[so + i];
    return;
  }
  const i = seqIndex(vm, toIndex(vm, key, "memoryview"), n, "memoryview");
  if (c === 66 || c === 98) {
    if (!isIntLike(vm, v)) throw raise(vm, T.TYPE_ERROR, "memoryview: invalid type for format '" + String.fromCharCode(c) + "'");
    const x = toIndex(vm, v, "");
    if (c === 66 ? x < 0 || x > 255 : x < -128 || x > 127) throw raise(vm, T.VALUE_ERROR, "memoryview: invalid value for format '" + String.fromCharCode(c) + "'");
    vm.U8[base(vm, mv) + i] = x & 255;
    return;
  }
  packVal(vm, vm.U8, base(vm, mv) + i * size, c, true, v);
}

function tolist(vm: Vm, a: number): number {
  const mv = vm.H[a];
  const n = mvLen(vm, mv);
  const l = newList(vm, n, n);
  vm.tpush(l);
  for (let i = 0; i < n; i++) {
    const x = item(vm, mv, i);
    vm.H[seqItems(vm, l) + i] = x;
  }
  vm.tpop(1);
  return l;
}

function cast(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  const mv = H[a];
  const fw = H[a + 1];
  if (!((fw & 3) === 2 || kindOf(vm, fw) === K.STR)) throw raise(vm, T.TYPE_ERROR, "memoryview.cast(): argument 'format' must be str, not " + typeNameJs(vm, fw));
  const fs = str1(vm, fw);
  const c = fs.length === 1 ? fs.charCodeAt(0) : 0;
  const size = c ? typeSize(c, false) : -1;
  if (size < 0 || "bBhHiIlLqQfdc?".indexOf(fs) < 0)
    throw raise(vm, T.VALUE_ERROR, "memoryview: destination format must be a native single character format prefixed with an optional '@'");
  const sc = fmtChar(vm, mv);
  if (sc !== 66 && sc !== 98 && sc !== 99 && c !== 66 && c !== 98 && c !== 99)
    throw raise(vm, T.TYPE_ERROR, "memoryview: cannot cast between two non-byte formats");
  const nbytes = H[(mv >> 2) + 1] >> 1;
  if (nbytes % size) throw raise(vm, T.TYPE_ERROR, "memoryview: length is not a multiple of itemsize");
  if (n > 2) throw raise(vm, T.NOT_IMPLEMENTED_ERROR, "memoryview: cast with a shape is not supported");
  const p = mv >> 2;
  const f = H[p + MV_FLAGS] >> 1;
  return newView(vm, H[p + MV_STORE], f >> 2, nbytes, (f & 1) !== 0, (size << 8) | c, H[p + MV_OBJ]);
}

function str1(vm: Vm, w: number): string {
  let s = "";
  const b = bytesView(vm, w);
  for (let i = 0; i < bvLen; i++) s += String.fromCharCode(b[bvOff + i]);
  return s;
}

function tuple1n(vm: Vm, x: number): number {
  const t = newTuple(vm, 1);
  vm.H[(t >> 2) + LY.TUP_ITEMS] = x;
  return t;
}

export function initMemoryview(hexM: (vm: Vm, a: number, n: number, kw: number) => number): void {
  defineCtor(T.MEMORYVIEW, native(Q.memoryview, 1, 1, 0, mvCtor));
  const M = NF_METHOD;
  defineAttrs(T.MEMORYVIEW, [
    Q.tobytes, native(Q.tobytes, 1, 1, M, function (vm, a) {
      const b = bytesView(vm, vm.H[a]);
      return bytesFromBytes(vm, b, bvOff, bvLen);
    }),
    Q.tolist, native(Q.tolist, 1, 1, M, tolist),
    Q.hex, native(Q.hex, 1, 3, M | NF_KW, hexM),
    Q.cast, native(Q.cast, 2, 3, M, cast),
    Q.release, native(Q.release, 1, 1, M, function () { return LY.NONE; }),
    Q.__enter__, native(Q.__enter__, 1, 1, M, function (vm, a) { return vm.H[a]; }),
    Q.__exit__, native(Q.__exit__, 1, -1, M, function () { return LY.FALSE; }),
    Q.itemsize, native(Q.itemsize, 1, 1, NF_PROP, function (vm, a) { return smi(itemsize(vm, vm.H[a])); }),
    Q.nbytes, native(Q.nbytes, 1, 1, NF_PROP, function (vm, a) { return vm.H[(vm.H[a] >> 2) + 1]; }),
    Q.format, native(Q.format, 1, 1, NF_PROP, function (vm, a) { return str(vm, String.fromCharCode(fmtChar(vm, vm.H[a]))); }),
    Q.readonly, native(Q.readonly, 1, 1, NF_PROP, function (vm, a) { return readOnly(vm, vm.H[a]) ? LY.TRUE : LY.FALSE; }),
    Q.obj, native(Q.obj, 1, 1, NF_PROP, function (vm, a) { return vm.H[(vm.H[a] >> 2) + MV_OBJ]; }),
    Q.ndim, native(Q.ndim, 1, 1, NF_PROP, function () { return smi(1); }),
    Q.shape, native(Q.shape, 1, 1, NF_PROP, function (vm, a) { return tuple1n(vm, smi(mvLen(vm, vm.H[a]))); }),
    Q.strides, native(Q.strides, 1, 1, NF_PROP, function (vm, a) { return tuple1n(vm, smi(itemsize(vm, vm.H[a]))); }),
    Q.contiguous, native(Q.contiguous, 1, 1, NF_PROP, function () { return LY.TRUE; }),
    Q.c_contiguous, native(Q.c_contiguous, 1, 1, NF_PROP, function () { return LY.TRUE; }),
  ]);
}

export { NULL, imm };
