// Subscripting (o[k], o[k] = v, del o[k], slices included), membership (`in`), iteration (iter/next) and
// sequence unpacking for every builtin kind, falling back to __getitem__, __contains__, __iter__ and __next__.
import { K, LIST_ARR, IT, smi, imm, I_NATIVE, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise, raiseWith, PY_EXC } from "../vm/exc";
import {
  kindOf, toIndex, seqIndex, resolveSlice, slStart, slStop, slStep, slLen, typeNameJs, eq, lookupSpecial, rangeLen,
  bytesView, bvOff, bvLen, unwrap, hashOf, isBuffer,
} from "../vm/ops";
import { call1, call2, call3, callSelf } from "../vm/call";
import { genStep } from "../vm/interp";
import { newTuple, newList, listAppend, listReserve, listSetLen, seqLen, seqItems, copyWords } from "./seq";
import { tableFind, tableDelete, dictSet, tableLen } from "./dict";
import { sbuf, soff, slen, sclen, allocStr, charToByte, utf8SeqLen, qw, strFromBytes, bytesFromBytes, copyBytes } from "./str";
import { typeOf, isSubtype } from "./type";
import { isIntLike, intFromNumber } from "./num";
import { mvGetItem, mvSetItem } from "./memoryview";

function isStr(vm: Vm, w: number): boolean {
  return (w & 3) === 2 ? w >> 2 >= 8192 : kindOf(vm, w) === K.STR;
}

function isSlice(vm: Vm, w: number): boolean {
  return kindOf(vm, w) === K.SLICE;
}

// --- getitem ---------------------------------------------------------------------------------------------------------

export function getItem(vm: Vm, obj: number, key: number): number {
  const H = vm.H;
  if (key & 1 && (obj & 3) === 0 && obj !== 0) {
    // list[int], tuple[int] in range: the rest (negative, out of range: IndexError) below
    const p = obj >> 2;
    const i = key >> 1;
    if (i >= 0 && i < H[p + LY.SEQ_LEN] >> 1) {
      const ko = H[p] & 127;
      if (ko === K.TUPLE) return H[p + LY.TUP_ITEMS + i];
      if (ko === K.LIST) return H[(H[p + LY.LIST_ARR] >> 2) + 1 + i];
    }
  }
  const k = kindOf(vm, obj);
  switch (k) {
    case K.LIST:
    case K.TUPLE: {
      const n = H[(obj >> 2) + LY.SEQ_LEN] >> 1;
      if (isSlice(vm, key)) return seqSlice(vm, obj, key, k);
      const i = seqIndex(vm, toIndex(vm, key, k === K.LIST ? "list" : "tuple"), n, k === K.LIST ? "list" : "tuple");
      return H[seqItems(vm, obj) + i];
    }
    case K.DICT: {
      const i = tableFind(vm, obj, key, hashOf(vm, key));
      if (i < 0) throw raiseWith(vm, T.KEY_ERROR, key);
      return H[(H[(obj >> 2) + LY.D_ENT] >> 2) + 3 + 3 * i];
    }
    case K.BYTES:
    case K.BYTEARRAY: {
      if (k === K.BYTEARRAY && H[(obj >> 2) + 3] & 4) return mvGetItem(vm, obj, key); // memoryview
      const b = bytesView(vm, obj);
      const o = bvOff;
      const n = bvLen;
      if (isSlice(vm, key)) {
        resolveSlice(vm, key, n);
        return bytesSlice(vm, obj, b, o, k);
      }
      const i = seqIndex(vm, toIndex(vm, key, k === K.BYTES ? "byte" : "bytearray"), n, k === K.BYTES ? "index" : "bytearray");
      return smi(b[o + i]);
    }
    case K.RANGE: {
      const p = obj >> 2;
      const n = rangeLen(vm, obj);
      const start = H[p + 1] >> 1;
      const step = H[p + 3] >> 1;
      if (isSlice(vm, key)) {
        resolveSlice(vm, key, n);
        const r = vm.alloc(K.RANGE, 4);
        H[r + 1] = smi(start + slStart * step);
        H[r + 2] = smi(start + slStop * step);
        H[r + 3] = smi(step * slStep);
        return r << 2;
      }
      const i = seqIndex(vm, toIndex(vm, key, "range object"), n, "range object");
      return intFromNumber(vm, start + i * step);
    }
    case K.INST:
    case K.NATIVE_OBJ: {
      const m = lookupSpecial(vm, obj, qw(Q.__getitem__));
      if (m !== LY.NULL && (m & 3) !== 2) return callSelf(vm, m, obj, 1, key, LY.NONE);
      const u = unwrap(vm, obj);
      if (u !== obj) {
        if (kindOf(vm, u) === K.DICT) {
          const i = tableFind(vm, u, key, hashOf(vm, key));
          if (i < 0) {
            const miss = lookupSpecial(vm, obj, qw(Q.__missing__));
            if (miss !== LY.NULL) return callSelf(vm, miss, obj, 1, key, LY.NONE);
            throw raiseWith(vm, T.KEY_ERROR, key);
          }
          return H[(H[(u >> 2) + LY.D_ENT] >> 2) + 3 + 3 * i];
        }
        return getItem(vm, u, key);
      }
      if (m !== LY.NULL) return callSelf(vm, m, obj, 1, key, LY.NONE);
      break;
    }
    case K.TYPE: {
      const m = lookupSpecial(vm, obj, qw(Q.__class_getitem__));
      if (m !== LY.NULL) return callSelf(vm, m, obj, 1, key, LY.NONE);
      return obj;
    }
  }
  if (isStr(vm, obj)) {
    if (isSlice(vm, key)) return strSlice(vm, obj, key);
    const n = sclen(vm, obj);
    const i = seqIndex(vm, toIndex(vm, key, "string"), n, "string");
    const b = sbuf(vm, obj);
    const o = soff(vm, obj) + charToByte(vm, obj, i);
    return strFromBytes(vm, b, o, utf8SeqLen(b[o]));
  }
  if ((obj & 3) === 2 && obj >> 2 >= 16 && obj >> 2 < 512) return obj; // list[int] and friends: the type itself
  throw raise(vm, T.TYPE_ERROR, "'" + typeNameJs(vm, obj) + "' object is not subscriptable");
}

function seqSlice(vm: Vm, obj: number, key: number, k: number): number {
  const H = vm.H;
  resolveSlice(vm, key, H[(obj >> 2) + LY.SEQ_LEN] >> 1);
  const start = slStart;
  const step = slStep;
  const n = slLen;
  const r = k === K.LIST ? newList(vm, n, n) : newTuple(vm, n);
  const src = seqItems(vm, obj);
  const dst = seqItems(vm, r);
  if (step === 1) copyWords(H, dst, src + start, n);
  else for (let i = 0; i < n; i++) H[dst + i] = H[src + start + i * step];
  return r;
}

function bytesSlice(vm: Vm, obj: number, b: Uint8Array, o: number, k: number): number {
  const start = slStart;
  const step = slStep;
  const n = slLen;
  if (k === K.BYTES) {
    if (step === 1) return bytesFromBytes(vm, b, o + start, n);
    const p = allocStr(vm, K.BYTES, n, n);
    const d = (p + LY.S_DATA) << 2;
    const b2 = bytesView(vm, obj);
    const o2 = bvOff;
    for (let i = 0; i < n; i++) vm.U8[d + i] = b2[o2 + start + i * step];
    return p << 2;
  }
  const ba = newBytearray(vm, n);
  const b2 = bytesView(vm, obj);
  const o2 = bvOff;
  const dst = bytearrayData(vm, ba);
  for (let i = 0; i < n; i++) vm.U8[dst + i] = b2[o2 + start + i * step];
  return ba;
}

/** A str slice, by code points. */
function strSlice(vm: Vm, s: number, key: number): number {
  const nc = sclen(vm, s);
  resolveSlice(vm, key, nc);
  const start = slStart;
  const step = slStep;
  const n = slLen;
  const b = sbuf(vm, s);
  const o = soff(vm, s);
  const ascii = nc === slen(vm, s);
  if (step === 1) {
    const bs = ascii ? start : charToByte(vm, s, start);
    const be = ascii ? start + n : charToByte(vm, s, start + n);
    return strFromBytes(vm, b, o + bs, be - bs);
  }
  if (ascii) {
    const p = allocStr(vm, K.STR, n, n);
    const d = (p + LY.S_DATA) << 2;
    const b2 = sbuf(vm, s);
    const o2 = soff(vm, s);
    for (let i = 0; i < n; i++) vm.U8[d + i] = b2[o2 + start + i * step];
    return p << 2;
  }
  // non-ASCII with a step: collect the characters' bytes
  let out = "";
  for (let i = 0, c = start; i < n; i++, c += step) {
    const bo = o + charToByte(vm, s, c);
    const len = utf8SeqLen(b[bo]);
    for (let j = 0; j < len; j++) out += String.fromCharCode(b[bo + j]);
  }
  const p = allocStr(vm, K.STR, out.length, n);
  const d = (p + LY.S_DATA) << 2;
  for (let i = 0; i < out.length; i++) vm.U8[d + i] = out.charCodeAt(i);
  return p << 2;
}

// --- bytearray storage -----------------------------------------------------------------------------------------------

export function newBytearray(vm: Vm, n: number): number {
  const H = vm.H;
  const ba = vm.alloc(K.BYTEARRAY, 4);
  H[ba + LY.SEQ_LEN] = smi(n);
  H[ba + 3] = smi(0);
  if (n > 0) {
    vm.tpush(ba << 2);
    const buf = vm.alloc(K.RAWBUF, 1 + ((n + 3) >> 2));
    vm.tpop(1);
    vm.U8.fill(0, (buf + 1) << 2, ((buf + 1) << 2) + n);
    H[ba + 2] = buf << 2;
  }
  return ba << 2;
}

/** Byte offset in vm.U8 of a bytearray's first byte. */
export function bytearrayData(vm: Vm, ba: number): number {
  const buf = vm.H[(ba >> 2) + 2];
  return buf === LY.NULL ? 0 : ((buf >> 2) + 1) << 2;
}

export function bytearrayCap(vm: Vm, ba: number): number {
  const buf = vm.H[(ba >> 2) + 2];
  return buf === LY.NULL ? 0 : ((vm.H[buf >> 2] >> 8) - 1) << 2;
}

/** Resize a bytearray to n bytes (new bytes zero). */
export function bytearrayResize(vm: Vm, ba: number, n: number): void {
  const H = vm.H;
  const p = ba >> 2;
  const old = H[p + LY.SEQ_LEN] >> 1;
  if (n > bytearrayCap(vm, ba)) {
    let cap = old + (old >> 1) + 8;
    if (cap < n) cap = n;
    vm.tpush(ba);
    const buf = vm.alloc(K.RAWBUF, 1 + ((cap + 3) >> 2));
    vm.tpop(1);
    const d = (buf + 1) << 2;
    const src = bytearrayData(vm, ba);
    for (let i = 0; i < old; i++) vm.U8[d + i] = vm.U8[src + i];
    H[p + 2] = buf << 2;
  }
  const d = bytearrayData(vm, ba);
  for (let i = old; i < n; i++) vm.U8[d + i] = 0;
  H[p + LY.SEQ_LEN] = smi(n);
}

/** Bytearray ba's bytes become those of bytearray src (another object): bytearray.__init__, bytearray *= n. */
export function bytearrayAssign(vm: Vm, ba: number, src: number): void {
  vm.tpush(src);
  const n = vm.H[(src >> 2) + LY.SEQ_LEN] >> 1;
  bytearrayResize(vm, ba, n);
  copyBytes(vm.U8, bytearrayData(vm, ba), vm.U8, bytearrayData(vm, src), n);
  vm.tpop(1);
}

// --- setitem / delitem -----------------------------------------------------------------------------------------------

export function setItem(vm: Vm, obj: number, key: number, v: number): void {
  const H = vm.H;
  const k = kindOf(vm, obj);
  switch (k) {
    case K.LIST: {
      if (isSlice(vm, key)) {
        listSetSlice(vm, obj, key, v);
        return;
      }
      const n = H[(obj >> 2) + LY.SEQ_LEN] >> 1;
      const i = seqIndex(vm, toIndex(vm, key, "list"), n, "list assignment");
      H[seqItems(vm, obj) + i] = v;
      return;
    }
    case K.DICT:
      dictSet(vm, obj, key, v);
      return;
    case K.BYTEARRAY: {
      if (H[(obj >> 2) + 3] & 4) return mvSetItem(vm, obj, key, v); // memoryview
      if (isSlice(vm, key)) {
        bytearraySetSlice(vm, obj, key, v);
        return;
      }
      if ((H[(obj >> 2) + 3] >> 1) & 1) throw raise(vm, T.TYPE_ERROR, "cannot modify read-only memory");
      const n = H[(obj >> 2) + LY.SEQ_LEN] >> 1;
      const i = seqIndex(vm, toIndex(vm, key, "bytearray"), n, "bytearray");
      const b = byteValue(vm, v);
      const bv = bytesView(vm, obj);
      bv[bvOff + i] = b;
      return;
    }
    case K.INST:
    case K.NATIVE_OBJ: {
      const m = lookupSpecial(vm, obj, qw(Q.__setitem__));
      if (m !== LY.NULL && (m & 3) !== 2) {
        callSelf(vm, m, obj, 2, key, v);
        return;
      }
      const u = unwrap(vm, obj);
      if (u !== obj) return setItem(vm, u, key, v);
      if (m !== LY.NULL) {
        callSelf(vm, m, obj, 2, key, v);
        return;
      }
    }
  }
  throw raise(vm, T.TYPE_ERROR, "'" + typeNameJs(vm, obj) + "' object does not support item assignment");
}

export function byteValue(vm: Vm, v: number): number {
  if (!isIntLike(vm, v)) throw raise(vm, T.TYPE_ERROR, "'" + typeNameJs(vm, v) + "' object cannot be interpreted as an integer");
  const b = toIndex(vm, v, "byte");
  if (b < 0 || b > 255) throw raise(vm, T.VALUE_ERROR, "byte must be in range(0, 256)");
  return b;
}

/** The items of any iterable as a new list. */
export function listOf(vm: Vm, it: number): number {
  const l = newList(vm, 0, 0);
  vm.tpush(l);
  extendList(vm, l, it);
  vm.tpop(1);
  return l;
}

/** Append every item of iterable `it` to list l. */
export function extendList(vm: Vm, l: number, it: number): void {
  const H = vm.H;
  const k = kindOf(vm, it);
  if (k === K.LIST || k === K.TUPLE) {
    const n = H[(it >> 2) + LY.SEQ_LEN] >> 1;
    const m = H[(l >> 2) + LY.SEQ_LEN] >> 1;
    listReserve(vm, l, m + n);
    const dst = seqItems(vm, l);
    const src = seqItems(vm, it);
    copyWords(H, dst + m, src, n);
    H[(l >> 2) + LY.SEQ_LEN] = smi(m + n);
    return;
  }
  if (k === K.RANGE) {
    // a range says how long it is: reserve once (a huge one fails here at once with MemoryError), then fill (its
    // items lie between its start and stop, small ints both)
    const m = H[(l >> 2) + LY.SEQ_LEN] >> 1;
    const n = rangeLen(vm, it);
    listReserve(vm, l, m + n);
    const start = H[(it >> 2) + 1] >> 1;
    const step = H[(it >> 2) + 3] >> 1;
    const dst = seqItems(vm, l) + m;
    for (let i = 0; i < n; i++) H[dst + i] = ((start + i * step) << 1) | 1;
    H[(l >> 2) + LY.SEQ_LEN] = smi(m + n);
    return;
  }
  const iter = getIter(vm, it);
  vm.tpush(iter);
  try {
    for (;;) {
      const x = iterNext(vm, iter);
      if (x === LY.NULL) break;
      listAppend(vm, l, x);
    }
  } finally {
    vm.tpop(1);
  }
}

function listSetSlice(vm: Vm, l: number, key: number, v: number): void {
  const H = vm.H;
  const n = H[(l >> 2) + LY.SEQ_LEN] >> 1;
  // materialise the new items first (v may be l itself)
  const items = listOf(vm, v);
  vm.tpush(items);
  resolveSlice(vm, key, n);
  const start = slStart;
  const step = slStep;
  const len = slLen;
  const m = H[(items >> 2) + LY.SEQ_LEN] >> 1;
  if (step === 1) {
    const stop = slStop < start ? start : slStop;
    const newLen = n - (stop - start) + m;
    listReserve(vm, l, newLen);
    const base = seqItems(vm, l);
    copyWords(H, base + start + m, base + stop, n - stop);
    const src = seqItems(vm, items);
    for (let i = 0; i < m; i++) H[base + start + i] = H[src + i];
    if (newLen < n) H.fill(0, base + newLen, base + n);
    H[(l >> 2) + LY.SEQ_LEN] = smi(newLen);
  } else {
    if (m !== len) throw raise(vm, T.VALUE_ERROR, "attempt to assign sequence of size " + m + " to extended slice of size " + len);
    const base = seqItems(vm, l);
    const src = seqItems(vm, items);
    for (let i = 0; i < m; i++) H[base + start + i * step] = H[src + i];
  }
  vm.tpop(1);
}

function bytearraySetSlice(vm: Vm, ba: number, key: number, v: number): void {
  const n = vm.H[(ba >> 2) + LY.SEQ_LEN] >> 1;
  // the new bytes, copied out first
  let data: number[] = [];
  const kv = kindOf(vm, v);
  if (kv === K.BYTES || kv === K.BYTEARRAY) {
    const b = bytesView(vm, v);
    for (let i = 0; i < bvLen; i++) data.push(b[bvOff + i]);
  } else if (isIntLike(vm, v)) {
    data = [];
    const c = toIndex(vm, v, "bytearray");
    for (let i = 0; i < c; i++) data.push(0);
  } else {
    const l = listOf(vm, v);
    const nl = seqLen(vm, l);
    for (let i = 0; i < nl; i++) data.push(byteValue(vm, vm.H[seqItems(vm, l) + i]));
  }
  resolveSlice(vm, key, n);
  const start = slStart;
  const step = slStep;
  const len = slLen;
  const m = data.length;
  if (step === 1) {
    const stop = slStop < start ? start : slStop;
    const newLen = n - (stop - start) + m;
    const tail: number[] = [];
    let d = bytearrayData(vm, ba);
    for (let i = stop; i < n; i++) tail.push(vm.U8[d + i]);
    bytearrayResize(vm, ba, newLen);
    d = bytearrayData(vm, ba);
    for (let i = 0; i < m; i++) vm.U8[d + start + i] = data[i];
    for (let i = 0; i < tail.length; i++) vm.U8[d + start + m + i] = tail[i];
  } else {
    // as CPython's bytearray: assigning nothing to an extended slice deletes it
    if (m === 0) return delItem(vm, ba, key);
    if (m !== len) throw raise(vm, T.VALUE_ERROR, "attempt to assign bytes of size " + m + " to extended slice of size " + len);
    const d = bytearrayData(vm, ba);
    for (let i = 0; i < m; i++) vm.U8[d + start + i * step] = data[i];
  }
}

export function delItem(vm: Vm, obj: number, key: number): void {
  const H = vm.H;
  const k = kindOf(vm, obj);
  switch (k) {
    case K.LIST: {
      const n = H[(obj >> 2) + LY.SEQ_LEN] >> 1;
      const base = seqItems(vm, obj);
      if (isSlice(vm, key)) {
        resolveSlice(vm, key, n);
        if (slLen === 0) return;
        let step = slStep;
        let start = slStart;
        if (step < 0) {
          start = start + (slLen - 1) * step;
          step = -step;
        }
        // compact the survivors in one pass
        let w = start;
        let next = start;
        let removed = 0;
        for (let r = start; r < n; r++) {
          if (removed < slLen && r === next) {
            removed++;
            next += step;
            continue;
          }
          H[base + w++] = H[base + r];
        }
        listSetLen(vm, obj, n - slLen);
        return;
      }
      const i = seqIndex(vm, toIndex(vm, key, "list"), n, "list assignment");
      copyWords(H, base + i, base + i + 1, n - i - 1);
      listSetLen(vm, obj, n - 1);
      return;
    }
    case K.DICT:
      if (tableDelete(vm, obj, key) === LY.NULL) throw raiseWith(vm, T.KEY_ERROR, key);
      return;
    case K.BYTEARRAY: {
      if (H[(obj >> 2) + 3] & 4) throw raise(vm, T.TYPE_ERROR, "cannot delete memory"); // memoryview
      const n = H[(obj >> 2) + LY.SEQ_LEN] >> 1;
      const d = bytearrayData(vm, obj);
      if (isSlice(vm, key)) {
        resolveSlice(vm, key, n);
        let step = slStep;
        let start = slStart;
        if (step < 0) {
          start = start + (slLen - 1) * step;
          step = -step;
        }
        let w = start;
        let next = start;
        let removed = 0;
        for (let r = start; r < n; r++) {
          if (removed < slLen && r === next) {
            removed++;
            next += step;
            continue;
          }
          vm.U8[d + w++] = vm.U8[d + r];
        }
        H[(obj >> 2) + LY.SEQ_LEN] = smi(n - slLen);
        return;
      }
      const i = seqIndex(vm, toIndex(vm, key, "bytearray"), n, "bytearray");
      for (let j = i; j < n - 1; j++) vm.U8[d + j] = vm.U8[d + j + 1];
      H[(obj >> 2) + LY.SEQ_LEN] = smi(n - 1);
      return;
    }
    case K.INST:
    case K.NATIVE_OBJ: {
      const m = lookupSpecial(vm, obj, qw(Q.__delitem__));
      if (m !== LY.NULL && (m & 3) !== 2) {
        callSelf(vm, m, obj, 1, key, LY.NONE);
        return;
      }
      const u = unwrap(vm, obj);
      if (u !== obj) return delItem(vm, u, key);
      if (m !== LY.NULL) {
        callSelf(vm, m, obj, 1, key, LY.NONE);
        return;
      }
    }
  }
  throw raise(vm, T.TYPE_ERROR, "'" + typeNameJs(vm, obj) + "' object doesn't support item deletion");
}

// --- membership ------------------------------------------------------------------------------------------------------

export function contains(vm: Vm, container: number, item: number): boolean {
  const H = vm.H;
  const k = kindOf(vm, container);
  switch (k) {
    case K.DICT:
    case K.SET:
    case K.FROZENSET:
      return tableFind(vm, container, item, hashOf(vm, item)) >= 0;
    case K.LIST:
    case K.TUPLE: {
      const n = H[(container >> 2) + LY.SEQ_LEN] >> 1;
      for (let i = 0; i < n; i++) {
        const x = H[seqItems(vm, container) + i];
        if (x === item || eq(vm, x, item)) return true;
        if (i >= H[(container >> 2) + LY.SEQ_LEN] >> 1) break;
      }
      return false;
    }
    case K.BYTES:
    case K.BYTEARRAY: {
      if (isIntLike(vm, item)) {
        const c = byteValue(vm, item);
        const b = bytesView(vm, container);
        for (let i = 0; i < bvLen; i++) if (b[bvOff + i] === c) return true;
        return false;
      }
      const ki = kindOf(vm, item);
      if (ki !== K.BYTES && ki !== K.BYTEARRAY && !isBuffer(vm, item)) throw raise(vm, T.TYPE_ERROR, "a bytes-like object is required, not '" + typeNameJs(vm, item) + "'");
      return findBytes(vm, container, item) >= 0;
    }
    case K.RANGE: {
      if (!isIntLike(vm, item) || !(item & 1)) break;
      const p = container >> 2;
      const v = item >> 1;
      const start = H[p + 1] >> 1;
      const stop = H[p + 2] >> 1;
      const step = H[p + 3] >> 1;
      if (step > 0 ? v < start || v >= stop : v > start || v <= stop) return false;
      return (v - start) % step === 0;
    }
    case K.ITER: {
      const sub = H[(container >> 2) + 1] >> 1;
      const d = H[(container >> 2) + 2];
      if (sub === IT.DICT_VIEW_KEYS) return tableFind(vm, d, item, hashOf(vm, item)) >= 0;
      if (sub === IT.DICT_VIEW_ITEMS) {
        if (kindOf(vm, item) !== K.TUPLE || seqLen(vm, item) !== 2) return false;
        const key = H[(item >> 2) + LY.TUP_ITEMS];
        const i = tableFind(vm, d, key, hashOf(vm, key));
        if (i < 0) return false;
        const v = H[(H[(d >> 2) + LY.D_ENT] >> 2) + 3 + 3 * i];
        return eq(vm, v, H[(item >> 2) + LY.TUP_ITEMS + 1]);
      }
      break;
    }
    case K.INST:
    case K.NATIVE_OBJ: {
      const m = lookupSpecial(vm, container, qw(Q.__contains__));
      if (m !== LY.NULL && (m & 3) !== 2) {
        const r = callSelf(vm, m, container, 1, item, LY.NONE);
        return r === LY.TRUE || (r !== LY.FALSE && truthyOf(vm, r));
      }
      const u = unwrap(vm, container);
      if (u !== container) return contains(vm, u, item);
      break;
    }
  }
  if (isStr(vm, container)) {
    if (!isStr(vm, item)) throw raise(vm, T.TYPE_ERROR, "'in <string>' requires string as left operand, not " + typeNameJs(vm, item));
    return findStr(vm, container, item, 0) >= 0;
  }
  // any iterable
  const it = getIter(vm, container);
  vm.tpush(it);
  try {
    for (;;) {
      const x = iterNext(vm, it);
      if (x === LY.NULL) return false;
      if (x === item || eq(vm, x, item)) return true;
    }
  } finally {
    vm.tpop(1);
  }
}

let truthyOf: (vm: Vm, w: number) => boolean = function () {
  return true;
};
export function setTruthy(f: (vm: Vm, w: number) => boolean): void {
  truthyOf = f;
}

/** Byte index of needle in haystack (str words) at or after byte `from`, or -1. */
export function findStr(vm: Vm, hay: number, needle: number, from: number): number {
  const hb = sbuf(vm, hay);
  const ho = soff(vm, hay);
  const hn = slen(vm, hay);
  const nb = sbuf(vm, needle);
  const no = soff(vm, needle);
  const nn = slen(vm, needle);
  return findIn(hb, ho, hn, nb, no, nn, from);
}

export function findIn(hb: Uint8Array, ho: number, hn: number, nb: Uint8Array, no: number, nn: number, from: number): number {
  if (nn === 0) return from <= hn ? from : -1;
  const first = nb[no];
  for (let i = from; i + nn <= hn; i++) {
    if (hb[ho + i] !== first) continue;
    let j = 1;
    while (j < nn && hb[ho + i + j] === nb[no + j]) j++;
    if (j === nn) return i;
  }
  return -1;
}

function findBytes(vm: Vm, hay: number, needle: number): number {
  const hb = bytesView(vm, hay);
  const ho = bvOff;
  const hn = bvLen;
  const nb = bytesView(vm, needle);
  return findIn(hb, ho, hn, nb, bvOff, bvLen, 0);
}

// --- iteration -------------------------------------------------------------------------------------------------------

export function newIter(vm: Vm, sub: number, a: number, b: number, c: number): number {
  vm.tpush(a);
  vm.tpush(b);
  vm.tpush(c);
  const p = vm.alloc(K.ITER, 5);
  vm.tpop(3);
  const H = vm.H;
  H[p + 1] = smi(sub);
  H[p + 2] = a;
  H[p + 3] = b;
  H[p + 4] = c;
  return p << 2;
}

export function getIter(vm: Vm, obj: number): number {
  const H = vm.H;
  const k = kindOf(vm, obj);
  switch (k) {
    case K.LIST:
    case K.TUPLE:
      return newIter(vm, IT.SEQ, obj, smi(0), LY.NULL);
    case K.BYTES:
    case K.BYTEARRAY:
      // a memoryview of another format than 'B' iterates through its indexing
      if (k === K.BYTEARRAY && H[(obj >> 2) + 3] & 4 && ((H[(obj >> 2) + 4] >> 1) & 255) !== 66) return newIter(vm, IT.GETITEM, obj, smi(0), LY.NULL);
      return newIter(vm, IT.BYTES, obj, smi(0), LY.NULL);
    case K.DICT:
      return newIter(vm, IT.DICT_KEYS, obj, smi(0), smi(H[(obj >> 2) + 1] >> 1));
    case K.SET:
    case K.FROZENSET:
      return newIter(vm, IT.SET, obj, smi(0), smi(H[(obj >> 2) + 1] >> 1));
    case K.RANGE: {
      const p = obj >> 2;
      return newIter(vm, IT.RANGE, H[p + 1], H[p + 2], H[p + 3]);
    }
    case K.ITER: {
      const sub = H[(obj >> 2) + 1] >> 1;
      if (sub >= IT.DICT_VIEW_KEYS) {
        const d = H[(obj >> 2) + 2];
        return newIter(vm, IT.DICT_KEYS + sub - IT.DICT_VIEW_KEYS, d, smi(0), smi(H[(d >> 2) + 1] >> 1));
      }
      return obj;
    }
    case K.GEN:
      return obj;
    case K.INST:
    case K.NATIVE_OBJ:
    case K.EXC: {
      const m = lookupSpecial(vm, obj, qw(Q.__iter__));
      if (m === LY.NULL || (m & 3) === 2) {
        const u = unwrap(vm, obj);
        if (u !== obj) return getIter(vm, u);
      }
      if (m !== LY.NULL) {
        const it = callSelf(vm, m, obj, 0, LY.NONE, LY.NONE);
        if (lookupSpecial(vm, it, qw(Q.__next__)) === LY.NULL && kindOf(vm, it) !== K.ITER && kindOf(vm, it) !== K.GEN)
          throw raise(vm, T.TYPE_ERROR, "iter() returned non-iterator of type '" + typeNameJs(vm, it) + "'");
        return it;
      }
      if (lookupSpecial(vm, obj, qw(Q.__getitem__)) !== LY.NULL) return newIter(vm, IT.GETITEM, obj, smi(0), LY.NULL);
      break;
    }
  }
  if (isStr(vm, obj)) return newIter(vm, IT.STR, obj, smi(0), LY.NULL);
  throw raise(vm, T.TYPE_ERROR, "'" + typeNameJs(vm, obj) + "' object is not iterable");
}

/** The next item of iterator `it`, or NULL when it is exhausted. */
export function iterNext(vm: Vm, it: number): number {
  // the common iterators here, in a function small enough to be inlined; the rest below
  const H = vm.H;
  const p = it >> 2;
  if ((it & 3) === 0 && it !== 0 && (H[p] & 127) === K.ITER) {
    const sub = H[p + 1] >> 1;
    if (sub === IT.SEQ) {
      const s = H[p + 2];
      const i = H[p + 3] >> 1;
      if (i >= H[(s >> 2) + LY.SEQ_LEN] >> 1) return LY.NULL;
      H[p + 3] += 2;
      return H[seqItems(vm, s) + i];
    }
    if (sub === IT.RANGE) {
      const cur = H[p + 2] >> 1;
      const stop = H[p + 3] >> 1;
      const step = H[p + 4] >> 1;
      if (step > 0 ? cur >= stop : cur <= stop) return LY.NULL;
      const next = cur + step;
      H[p + 2] = smi(step > 0 ? (next > stop ? stop : next) : next < stop ? stop : next);
      return smi(cur);
    }
    if (sub === IT.DICT_KEYS || sub === IT.SET) {
      const d = H[p + 2] >> 2;
      if (H[d + LY.D_USED] === H[p + 4]) {
        const e = (H[d + LY.D_ENT] >> 2) + 2;
        const n = H[d + LY.D_NENT] >> 1;
        let i = H[p + 3] >> 1;
        while (i < n && H[e + 3 * i] === LY.NULL) i++;
        if (i < n) {
          H[p + 3] = smi(i + 1);
          return H[e + 3 * i];
        }
      }
    }
  }
  return iterNextAny(vm, it);
}

/** iterNext for every iterator but a sequence's and a range's (iterNext finishes those itself). */
function iterNextAny(vm: Vm, it: number): number {
  const H = vm.H;
  const k = kindOf(vm, it);
  if (k === K.ITER) {
    const p = it >> 2;
    const sub = H[p + 1] >> 1;
    switch (sub) {
      case IT.STR: {
        const s = H[p + 2];
        const bo = H[p + 3] >> 1;
        const n = slen(vm, s);
        if (bo >= n) return LY.NULL;
        const b = sbuf(vm, s);
        const o = soff(vm, s);
        const len = utf8SeqLen(b[o + bo]);
        H[p + 3] = smi(bo + len);
        return strFromBytes(vm, b, o + bo, len);
      }
      case IT.BYTES: {
        const s = H[p + 2];
        const i = H[p + 3] >> 1;
        const b = bytesView(vm, s);
        if (i >= bvLen) return LY.NULL;
        H[p + 3] = smi(i + 1);
        return smi(b[bvOff + i]);
      }
      case IT.DICT_KEYS:
      case IT.DICT_VALUES:
      case IT.DICT_ITEMS:
      case IT.SET: {
        const d = H[p + 2];
        if (H[(d >> 2) + 1] >> 1 !== H[p + 4] >> 1) {
          H[p + 4] = smi(-1);
          throw raise(vm, T.RUNTIME_ERROR, sub === IT.SET ? "Set changed size during iteration" : "dictionary changed size during iteration");
        }
        let i = H[p + 3] >> 1;
        const ew = H[(d >> 2) + LY.D_ENT];
        const n = H[(d >> 2) + LY.D_NENT] >> 1;
        while (i < n && H[(ew >> 2) + 2 + 3 * i] === LY.NULL) i++;
        if (i >= n) {
          H[p + 3] = smi(n);
          return LY.NULL;
        }
        H[p + 3] = smi(i + 1);
        const e = (ew >> 2) + 1 + 3 * i;
        if (sub === IT.DICT_VALUES) return H[e + 2];
        if (sub === IT.DICT_ITEMS) {
          const t = newTuple(vm, 2);
          const e2 = (H[(d >> 2) + LY.D_ENT] >> 2) + 1 + 3 * i;
          H[(t >> 2) + LY.TUP_ITEMS] = H[e2 + 1];
          H[(t >> 2) + LY.TUP_ITEMS + 1] = H[e2 + 2];
          return t;
        }
        return H[e + 1];
      }
      case IT.ENUMERATE: {
        const x = iterNext(vm, H[p + 2]);
        if (x === LY.NULL) return LY.NULL;
        vm.tpush(x);
        const t = newTuple(vm, 2);
        vm.tpop(1);
        H[(t >> 2) + LY.TUP_ITEMS] = H[p + 3];
        H[(t >> 2) + LY.TUP_ITEMS + 1] = x;
        H[p + 3] = incr(vm, H[p + 3]);
        return t;
      }
      case IT.ZIP: {
        const its = H[p + 2];
        const n = H[(its >> 2) + LY.SEQ_LEN] >> 1;
        if (n === 0) return LY.NULL;
        const t = newTuple(vm, n);
        vm.tpush(t);
        try {
          for (let i = 0; i < n; i++) {
            const x = iterNext(vm, H[(its >> 2) + LY.TUP_ITEMS + i]);
            if (x === LY.NULL) {
              if (H[p + 3] === LY.TRUE) {
                if (i > 0) throw raise(vm, T.VALUE_ERROR, "zip() argument " + (i + 1) + " is shorter than argument 1");
                for (let j = 1; j < n; j++)
                  if (iterNext(vm, H[(its >> 2) + LY.TUP_ITEMS + j]) !== LY.NULL)
                    throw raise(vm, T.VALUE_ERROR, "zip() argument " + (j + 1) + " is longer than argument 1");
              }
              return LY.NULL;
            }
            H[(t >> 2) + LY.TUP_ITEMS + i] = x;
          }
        } finally {
          vm.tpop(1);
        }
        return t;
      }
      case IT.MAP: {
        const its = H[p + 3];
        const n = H[(its >> 2) + LY.SEQ_LEN] >> 1;
        const args = newTuple(vm, n + 1);
        vm.tpush(args);
        try {
          for (let i = 0; i < n; i++) {
            const x = iterNext(vm, H[(its >> 2) + LY.TUP_ITEMS + i]);
            if (x === LY.NULL) return LY.NULL;
            H[(args >> 2) + LY.TUP_ITEMS + 1 + i] = x;
          }
          return callArgs(vm, H[p + 2], args);
        } finally {
          vm.tpop(1);
        }
      }
      case IT.FILTER: {
        for (;;) {
          const x = iterNext(vm, H[p + 3]);
          if (x === LY.NULL) return LY.NULL;
          const fn = H[p + 2];
          vm.tpush(x);
          let ok: boolean;
          try {
            ok = fn === LY.NONE ? truthyOf(vm, x) : truthyOf(vm, call1(vm, fn, x));
          } finally {
            vm.tpop(1);
          }
          if (ok) return x;
        }
      }
      case IT.REVERSED: {
        const s = H[p + 2];
        const i = H[p + 3] >> 1;
        if (i < 0) return LY.NULL;
        H[p + 3] = smi(i - 1);
        const ks = kindOf(vm, s);
        if (ks === K.LIST || ks === K.TUPLE) {
          if (i >= seqLen(vm, s)) {
            H[p + 3] = smi(-1);
            return LY.NULL;
          }
          return H[seqItems(vm, s) + i];
        }
        return getItem(vm, s, smi(i));
      }
      case IT.CALLABLE: {
        const x = callArgs0(vm, H[p + 2]);
        if (x === H[p + 3] || eq(vm, x, H[p + 3])) return LY.NULL;
        return x;
      }
      case IT.GETITEM: {
        const i = H[p + 3];
        const tn = vm.tn;
        try {
          const x = getItem(vm, H[p + 2], i);
          H[p + 3] = incr(vm, i);
          return x;
        } catch (e) {
          if (e === PY_EXC && (isSubtype(vm, typeOf(vm, vm.excValue), imm(T.INDEX_ERROR)) || isSubtype(vm, typeOf(vm, vm.excValue), imm(T.STOP_ITERATION)))) {
            vm.excValue = LY.NULL;
            vm.tn = tn;
            return LY.NULL;
          }
          throw e;
        }
      }
    }
    throw raise(vm, T.TYPE_ERROR, "'" + typeNameJs(vm, it) + "' object is not an iterator");
  }
  if (k === K.GEN) {
    if (H[(it >> 2) + LY.G_FRAME] === LY.NULL) return LY.NULL;
    const v = genStep(vm, it, LY.NONE);
    return vm.genDone ? LY.NULL : v;
  }
  const m = lookupSpecial(vm, it, qw(Q.__next__));
  if (m === LY.NULL) throw raise(vm, T.TYPE_ERROR, "'" + typeNameJs(vm, it) + "' object is not an iterator");
  vm.lastStop = LY.NULL;
  const tn = vm.tn;
  try {
    return callSelf(vm, m, it, 0, LY.NONE, LY.NONE);
  } catch (e) {
    if (e === PY_EXC && isSubtype(vm, typeOf(vm, vm.excValue), imm(T.STOP_ITERATION))) {
      vm.lastStop = vm.excValue;
      vm.excValue = LY.NULL;
      vm.tn = tn;
      return LY.NULL;
    }
    throw e;
  }
}

function incr(vm: Vm, w: number): number {
  if (w & 1 && w < 2147483645) return w + 2;
  return intFromNumber(vm, (w >> 1) + 1);
}

let callArgs: (vm: Vm, fn: number, args: number) => number = function () {
  return LY.NONE;
};
let callArgs0: (vm: Vm, fn: number) => number = function () {
  return LY.NONE;
};
export function setCallers(a: (vm: Vm, fn: number, args: number) => number, b: (vm: Vm, fn: number) => number): void {
  callArgs = a;
  callArgs0 = b;
}

// --- unpacking -------------------------------------------------------------------------------------------------------

/** UNPACK_SEQUENCE n: replace the sequence at H[sp] by its n items, the first on top. */
export function unpackSequence(vm: Vm, seq: number, n: number, sp: number): void {
  const H = vm.H;
  let items = seq;
  const k = kindOf(vm, seq);
  if (k !== K.LIST && k !== K.TUPLE) items = listOf(vm, seq);
  const m = H[(items >> 2) + LY.SEQ_LEN] >> 1;
  if (m < n) throw raise(vm, T.VALUE_ERROR, "not enough values to unpack (expected " + n + ", got " + m + ")");
  if (m > n) throw raise(vm, T.VALUE_ERROR, "too many values to unpack (expected " + n + ")");
  const src = seqItems(vm, items);
  for (let i = 0; i < n; i++) H[sp + n - 1 - i] = H[src + i];
}

/** UNPACK_EX: `before` items, a list of the rest, `after` items; the first on top. */
export function unpackEx(vm: Vm, seq: number, before: number, after: number, sp: number): void {
  const H = vm.H;
  const items = listOf(vm, seq);
  vm.tpush(items);
  const m = H[(items >> 2) + LY.SEQ_LEN] >> 1;
  if (m < before + after)
    throw raise(vm, T.VALUE_ERROR, "not enough values to unpack (expected at least " + (before + after) + ", got " + m + ")");
  const restN = m - before - after;
  const rest = newList(vm, restN, restN);
  vm.tpop(1);
  const src = seqItems(vm, items);
  const total = before + 1 + after;
  const rd = seqItems(vm, rest);
  for (let i = 0; i < restN; i++) H[rd + i] = H[src + before + i];
  for (let i = 0; i < before; i++) H[sp + total - 1 - i] = H[src + i];
  H[sp + total - 1 - before] = rest;
  for (let i = 0; i < after; i++) H[sp + after - 1 - i] = H[src + before + restN + i];
}

export { tableLen, I_NATIVE, LIST_ARR };
