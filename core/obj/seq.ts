// Tuples and lists: creation, growth and element access shared by the interpreter and the natives.
// Python-visible methods are in listmethods.ts.
import { K, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";

/** A tuple of n items, all NULL until the caller fills them (H[p + TUP_ITEMS + i]). Returns the tagged word. */
export function newTuple(vm: Vm, n: number): number {
  const p = vm.alloc(K.TUPLE, LY.TUP_ITEMS + n);
  vm.H[p + LY.SEQ_LEN] = (n << 1) | 1;
  return p << 2;
}

export function tuple1(vm: Vm, a: number): number {
  vm.tpush(a);
  const t = newTuple(vm, 1);
  vm.tpop(1);
  vm.H[(t >> 2) + LY.TUP_ITEMS] = a;
  return t;
}

export function tuple2(vm: Vm, a: number, b: number): number {
  vm.tpush(a);
  vm.tpush(b);
  const t = newTuple(vm, 2);
  vm.tpop(2);
  vm.H[(t >> 2) + LY.TUP_ITEMS] = a;
  vm.H[(t >> 2) + LY.TUP_ITEMS + 1] = b;
  return t;
}

/** A tuple copied from n stack words starting at word index a. */
export function tupleFromStack(vm: Vm, a: number, n: number): number {
  const t = newTuple(vm, n);
  const H = vm.H;
  const b = (t >> 2) + LY.TUP_ITEMS;
  for (let i = 0; i < n; i++) H[b + i] = H[a + i];
  return t;
}

export function seqLen(vm: Vm, w: number): number {
  return vm.H[(w >> 2) + LY.SEQ_LEN] >> 1;
}

/** Word index of the first item of a tuple or list (the list's storage may move when it grows). */
export function seqItems(vm: Vm, w: number): number {
  const H = vm.H;
  const p = w >> 2;
  if ((H[p] & 127) === K.TUPLE) return p + LY.TUP_ITEMS;
  return (H[p + LY.LIST_ARR] >> 2) + 1;
}

/** A list of n items (NULL until filled) with room for `cap`. */
export function newList(vm: Vm, n: number, cap: number): number {
  if (cap < n) cap = n;
  const l = vm.alloc(K.LIST, 3);
  vm.H[l + LY.SEQ_LEN] = (n << 1) | 1;
  if (cap > 0) {
    vm.tpush(l << 2);
    const a = vm.alloc(K.ARRAY, 1 + cap);
    vm.tpop(1);
    vm.H[l + LY.LIST_ARR] = a << 2;
  }
  return l << 2;
}

export function listFromStack(vm: Vm, a: number, n: number): number {
  const l = newList(vm, n, n);
  const H = vm.H;
  const b = seqItems(vm, l);
  for (let i = 0; i < n; i++) H[b + i] = H[a + i];
  return l;
}

export function listCap(vm: Vm, l: number): number {
  const a = vm.H[(l >> 2) + LY.LIST_ARR];
  return a === LY.NULL ? 0 : (vm.H[a >> 2] >> 8) - 1;
}

/** Make room for at least `need` items. */
export function listReserve(vm: Vm, l: number, need: number): void {
  const H = vm.H;
  const cap = listCap(vm, l);
  if (need <= cap) return;
  let ncap = cap + (cap >> 1) + 4;
  if (ncap < need) ncap = need;
  vm.tpush(l);
  const a = vm.alloc(K.ARRAY, 1 + ncap);
  vm.tpop(1);
  const lp = l >> 2;
  const n = H[lp + LY.SEQ_LEN] >> 1;
  const old = H[lp + LY.LIST_ARR];
  if (old !== LY.NULL) copyWords(H, a + 1, (old >> 2) + 1, n);
  H[lp + LY.LIST_ARR] = a << 2;
}

export function listAppend(vm: Vm, l: number, v: number): void {
  const H = vm.H;
  const lp = l >> 2;
  const n = H[lp + LY.SEQ_LEN] >> 1;
  const a = H[lp + LY.LIST_ARR];
  if (a === LY.NULL || n >= (H[a >> 2] >> 8) - 1) {
    vm.tpush(v);
    listReserve(vm, l, n + 1);
    vm.tpop(1);
  }
  H[(H[lp + LY.LIST_ARR] >> 2) + 1 + n] = v;
  H[lp + LY.SEQ_LEN] = ((n + 1) << 1) | 1;
}

export function listSetLen(vm: Vm, l: number, n: number): void {
  const H = vm.H;
  const lp = l >> 2;
  const old = H[lp + LY.SEQ_LEN] >> 1;
  if (n < old) H.fill(0, (H[lp + LY.LIST_ARR] >> 2) + 1 + n, (H[lp + LY.LIST_ARR] >> 2) + 1 + old); // drop references
  H[lp + LY.SEQ_LEN] = (n << 1) | 1;
}

let scratch: Int32Array | null = null;
// whether this engine's typed-array set() copies an overlapping range of the same buffer as if through a temporary
// copy, as the spec asks (checked once: 1 yes, 0 no)
let setOverlaps = -1;

function overlapSafe(): boolean {
  if (setOverlaps < 0) {
    const t = new Int32Array(64);
    let ok = true;
    for (let i = 0; i < 64; i++) t[i] = i;
    t.set(t.subarray(0, 48), 16); // moving up: a naive forward copy repeats the first 16
    for (let i = 0; i < 48; i++) if (t[16 + i] !== i) ok = false;
    for (let i = 0; i < 64; i++) t[i] = i;
    t.set(t.subarray(16, 64), 0); // moving down
    for (let i = 0; i < 48; i++) if (t[i] !== 16 + i) ok = false;
    setOverlaps = ok ? 1 : 0;
  }
  return setOverlaps === 1;
}

/**
 * Copy n words from src to dst (overlap allowed). Typed-array copyWithin is missing on Espruino, and whether its set()
 * copies overlapping ranges safely is not promised: where it doesn't, long overlapping moves go through a small
 * scratch array, chunk by chunk, starting at the end that is safe to overwrite.
 */
export function copyWords(H: Int32Array, dst: number, src: number, n: number): void {
  if (n > 24) {
    if (dst >= src + n || src >= dst + n || overlapSafe()) H.set(H.subarray(src, src + n), dst);
    else {
      if (scratch === null) scratch = new Int32Array(256);
      const S = scratch;
      for (let done = 0; done < n; ) {
        const c = n - done < 256 ? n - done : 256;
        // moving down: copy from the front; moving up: from the back
        const o = dst < src ? done : n - done - c;
        S.set(H.subarray(src + o, src + o + c));
        H.set(c === 256 ? S : S.subarray(0, c), dst + o);
        done += c;
      }
    }
    return;
  }
  if (dst < src) for (let i = 0; i < n; i++) H[dst + i] = H[src + i];
  else for (let i = n - 1; i >= 0; i--) H[dst + i] = H[src + i];
}
