// list.sort and sorted(): a stable merge sort over typed arrays of indices (the device's JS arrays are linked
// lists, and its Array.sort isn't stable), comparing with Python's `<`, keys computed once.
import { K, smi, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { raise } from "../vm/exc";
import { richCompare, truthy } from "../vm/ops";
import { call1 } from "../vm/call";
import { newTuple, seqItems } from "./seq";

function less(vm: Vm, x: number, y: number): boolean {
  if (x & y & 1) return x < y;
  const r = richCompare(vm, 0, x, y);
  return r === LY.TRUE || (r !== LY.FALSE && truthy(vm, r));
}

/** Sort list l in place by key (a callable or None), stable, optionally reversed. */
export function sortWords(vm: Vm, l: number, key: number, reverse: boolean): void {
  const H = vm.H;
  const n = H[(l >> 2) + LY.SEQ_LEN] >> 1;
  if (n < 2) return;
  // a snapshot of the items and their keys, both rooted
  const items = newTuple(vm, n);
  vm.tpush(items);
  const src = seqItems(vm, l);
  for (let i = 0; i < n; i++) H[(items >> 2) + LY.TUP_ITEMS + i] = H[src + i];
  let keys = items;
  if (key !== LY.NONE) {
    keys = newTuple(vm, n);
    vm.tpush(keys);
    for (let i = 0; i < n; i++) H[(keys >> 2) + LY.TUP_ITEMS + i] = call1(vm, key, H[(items >> 2) + LY.TUP_ITEMS + i]);
  }
  try {
    const kb = (keys >> 2) + LY.TUP_ITEMS;
    let idx = new Int32Array(n);
    let tmp = new Int32Array(n);
    // reverse keeps stability by sorting the reversed sequence and reversing the result (as CPython does)
    for (let i = 0; i < n; i++) idx[i] = reverse ? n - 1 - i : i;
    // bottom-up merge sort; runs of width 1 first
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
    if ((H[(l >> 2) + LY.SEQ_LEN] >> 1) !== n) throw raise(vm, T.VALUE_ERROR, "list modified during sort");
    const dst = seqItems(vm, l);
    const ib = (items >> 2) + LY.TUP_ITEMS;
    if (reverse) for (let i = 0; i < n; i++) H[dst + i] = H[ib + idx[n - 1 - i]];
    else for (let i = 0; i < n; i++) H[dst + i] = H[ib + idx[i]];
  } finally {
    vm.tpop(key !== LY.NONE ? 2 : 1);
  }
}

export { K, smi };
