// list.sort and sorted(): a stable merge sort over typed arrays of indices (the device's JS arrays are linked
// lists, and its Array.sort isn't stable), comparing with Python's `<`, keys computed once. When every key is a
// small int, (key, position) pairs packed into doubles are sorted by the typed array's own numeric sort instead.
// The phases are separate functions so that each gets its own type feedback (one big function deoptimized often).
import { K, smi, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { raise } from "../vm/exc";
import { richCompare, truthy } from "../vm/ops";
import { callNested } from "../vm/call";
import { newTuple, seqItems } from "./seq";
import { strCmp } from "./str";

function isStrW(H: Int32Array, w: number): boolean {
  return (w & 3) === 2 ? w >> 2 >= LY.QSTR_BASE : (w & 3) === 0 && w !== 0 && (H[w >> 2] & 127) === K.STR;
}

/** Python's x < y, with the common key types (ints, strs, tuples of them) compared without richCompare. */
function less(vm: Vm, x: number, y: number): boolean {
  if (x & y & 1) return x < y;
  const H = vm.H;
  if (isStrW(H, x) && isStrW(H, y)) return strCmp(vm, x, y) < 0;
  if ((x & 3) === 0 && (y & 3) === 0 && x !== 0 && y !== 0 && (H[x >> 2] & 127) === K.TUPLE && (H[y >> 2] & 127) === K.TUPLE) {
    // tuples: the first items that differ decide; items that need more than int/str comparison go the general way
    const na = H[(x >> 2) + LY.SEQ_LEN] >> 1;
    const nb = H[(y >> 2) + LY.SEQ_LEN] >> 1;
    const n = na < nb ? na : nb;
    let i = 0;
    for (; i < n; i++) {
      const a = H[(x >> 2) + LY.TUP_ITEMS + i];
      const b = H[(y >> 2) + LY.TUP_ITEMS + i];
      if (a === b) continue;
      if (a & b & 1) return a < b;
      if (!isStrW(H, a) || !isStrW(H, b)) break;
      const c = strCmp(vm, a, b);
      if (c !== 0) return c < 0;
    }
    if (i === n) return na < nb;
  }
  const r = richCompare(vm, 0, x, y);
  return r === LY.TRUE || (r !== LY.FALSE && truthy(vm, r));
}

/** The keys of items (a rooted tuple): key(item) for each, into a new tuple (returned, not rooted). */
function computeKeys(vm: Vm, items: number, n: number, key: number): number {
  const H = vm.H;
  const keys = newTuple(vm, n);
  vm.tpush(keys);
  // one argument area for every call: [slot invoke may use for a bound method's self, the argument]
  const args = newTuple(vm, 2);
  vm.tpush(args);
  const a = (args >> 2) + LY.TUP_ITEMS + 1;
  try {
    for (let i = 0; i < n; i++) {
      H[a] = H[(items >> 2) + LY.TUP_ITEMS + i];
      H[(keys >> 2) + LY.TUP_ITEMS + i] = callNested(vm, key, a, 1, LY.NULL, LY.NULL);
    }
  } finally {
    vm.tpop(2);
  }
  return keys;
}

// whether this JS engine's Float64Array sort is there and numeric (checked once)
let numSort = -1;

function hasNumSort(): boolean {
  if (numSort < 0) {
    numSort = 0;
    try {
      const t = new Float64Array(3);
      t[0] = 10;
      t[1] = 9;
      t[2] = 100;
      t.sort();
      if (t[0] === 9 && t[1] === 10 && t[2] === 100) numSort = 1;
    } catch (e) {
      numSort = 0;
    }
  }
  return numSort === 1;
}

const POS = 2097152; // 2^21: positions below this, times keys of 31 bits, stay exact in a double

/**
 * Small-int keys at kb..kb+n as (key, position) packed into doubles, sorted; null if some key is not a small int.
 * The position is the low 21 bits of each (f[i] & (POS - 1)).
 */
function smiOrder(H: Int32Array, kb: number, n: number, reverse: boolean): Float64Array | null {
  const f = new Float64Array(n);
  // (key, position) ascending; reversed: (-key, position), so equal keys keep their order as CPython's does
  const sign = reverse ? -1 : 1;
  for (let i = 0; i < n; i++) {
    const k = H[kb + i];
    if (!(k & 1)) return null;
    f[i] = (sign * (k >> 1) + 1073741824) * POS + i;
  }
  f.sort();
  return f;
}

/** Stable bottom-up merge sort of positions by the keys at kb..kb+n (reverse: descending, still stable). */
function mergeOrder(vm: Vm, kb: number, n: number, reverse: boolean): Int32Array {
  const H = vm.H;
  let idx = new Int32Array(n);
  let tmp = new Int32Array(n);
  // reverse keeps stability by sorting the reversed sequence and reversing the result (as CPython does)
  for (let i = 0; i < n; i++) idx[i] = reverse ? n - 1 - i : i;
  for (let w = 1; w < n; w *= 2) {
    for (let lo = 0; lo < n; lo += 2 * w) {
      const mid = lo + w < n ? lo + w : n;
      const hi = lo + 2 * w < n ? lo + 2 * w : n;
      let i = lo;
      let j = mid;
      let k = lo;
      if (mid < hi && !less(vm, H[kb + idx[mid]], H[kb + idx[mid - 1]])) {
        // already in order: copy the run
        for (; k < hi; k++) tmp[k] = idx[k];
        continue;
      }
      while (i < mid && j < hi) {
        if (less(vm, H[kb + idx[j]], H[kb + idx[i]])) tmp[k++] = idx[j++];
        else tmp[k++] = idx[i++];
      }
      while (i < mid) tmp[k++] = idx[i++];
      while (j < hi) tmp[k++] = idx[j++];
    }
    const t = idx;
    idx = tmp;
    tmp = t;
  }
  if (reverse)
    for (let i = 0, j = n - 1; i < j; i++, j--) {
      const t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
  return idx;
}

/** Sort list l in place by key (a callable or None), stable, optionally reversed. */
export function sortWords(vm: Vm, l: number, key: number, reverse: boolean): void {
  const H = vm.H;
  const n = H[(l >> 2) + LY.SEQ_LEN] >> 1;
  if (n < 2) return;
  // a snapshot of the items and their keys, both rooted
  const items = newTuple(vm, n);
  vm.tpush(items);
  let keys = items;
  try {
    const src = seqItems(vm, l);
    const ib = (items >> 2) + LY.TUP_ITEMS;
    for (let i = 0; i < n; i++) H[ib + i] = H[src + i];
    if (key !== LY.NONE) {
      keys = computeKeys(vm, items, n, key);
      vm.tpush(keys);
    }
    const kb = (keys >> 2) + LY.TUP_ITEMS;
    const f = n < POS && hasNumSort() ? smiOrder(H, kb, n, reverse) : null;
    const idx = f === null ? mergeOrder(vm, kb, n, reverse) : null;
    if ((H[(l >> 2) + LY.SEQ_LEN] >> 1) !== n) throw raise(vm, T.VALUE_ERROR, "list modified during sort");
    const dst = seqItems(vm, l);
    if (f !== null) for (let i = 0; i < n; i++) H[dst + i] = H[ib + (f[i] & (POS - 1))];
    else if (idx !== null) for (let i = 0; i < n; i++) H[dst + i] = H[ib + idx[i]];
  } finally {
    vm.tpop(keys !== items ? 2 : 1);
  }
}

export { K, smi };
