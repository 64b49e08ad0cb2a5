// The insertion-ordered hash table behind dict, set, frozenset, module and instance namespaces and the intern
// table. Entries are (hash, key, value) triples in an ARRAY, appended in order; deleted ones keep a NULL key.
// Up to D_SMALL entries there is no index and lookups scan (which is also what most namespaces need); beyond
// that an INDEX of entry numbers is probed like CPython's. Keys compare by word first, so interned names are fast.
import { K, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { hashOf, keysEqual } from "../vm/ops";
import { strHash } from "./str";

/** A new empty dict (kind K.DICT) or set (K.SET) with room for `cap` entries. */
export function newTable(vm: Vm, kind: number, cap: number): number {
  const d = vm.alloc(kind, 5);
  const H = vm.H;
  H[d + LY.D_USED] = 1; // small int 0
  H[d + LY.D_NENT] = 1;
  if (cap > 0) {
    vm.tpush(d << 2);
    const e = vm.alloc(K.ARRAY, 1 + 3 * cap);
    vm.tpop(1);
    H[d + LY.D_ENT] = e << 2;
  }
  return d << 2;
}

export function newDict(vm: Vm): number {
  return newTable(vm, K.DICT, 0);
}

export function tableLen(vm: Vm, d: number): number {
  return vm.H[(d >> 2) + LY.D_USED] >> 1;
}

/**
 * Entry index of `key` (whose hash is h) in table d, or -1. May run Python (__eq__), which may change the table:
 * callers re-read pointers afterwards.
 */
export function tableFind(vm: Vm, d: number, key: number, h: number): number {
  const H = vm.H;
  const dp = d >> 2;
  const ew = H[dp + LY.D_ENT];
  if (ew === LY.NULL) return -1;
  const e = (ew >> 2) + 1;
  const ht = (h << 1) | 1;
  const ix = H[dp + LY.D_INDEX];
  if (ix === LY.NULL) {
    const n = H[dp + LY.D_NENT] >> 1;
    for (let i = 0; i < n; i++) {
      const k = H[e + 3 * i + 1];
      if (k === key) return i;
    }
    for (let i = 0; i < n; i++) {
      const b = e + 3 * i;
      const k = H[b + 1];
      if (k !== LY.NULL && H[b] === ht && keysEqual(vm, k, key)) return i;
    }
    return -1;
  }
  const ip = ix >> 2;
  const mask = H[ip + 1];
  let i = h & mask;
  let perturb = h;
  for (;;) {
    const s = H[ip + 2 + i];
    if (s === 0) return -1;
    if (s > 0) {
      const b = e + 3 * (s - 1);
      const k = H[b + 1];
      if (k === key || (H[b] === ht && keysEqual(vm, k, key))) return s - 1;
    }
    perturb >>>= 5;
    i = (i * 5 + perturb + 1) & mask;
  }
}

/** Value stored under key, or NULL. */
export function dictGet(vm: Vm, d: number, key: number): number {
  const i = tableFind(vm, d, key, hashOf(vm, key));
  if (i < 0) return LY.NULL;
  return vm.H[(vm.H[(d >> 2) + LY.D_ENT] >> 2) + 1 + 3 * i + 2];
}

/** Lookup by an interned (or any) str key whose hash is known: no Python code can run. */
export function dictGetStr(vm: Vm, d: number, key: number): number {
  const H = vm.H;
  const dp = d >> 2;
  const ew = H[dp + LY.D_ENT];
  if (ew === LY.NULL) return LY.NULL;
  const e = (ew >> 2) + 1;
  const ix = H[dp + LY.D_INDEX];
  if (ix === LY.NULL) {
    const n = H[dp + LY.D_NENT] >> 1;
    for (let i = 0; i < n; i++) if (H[e + 3 * i + 1] === key) return H[e + 3 * i + 2];
    // not found by identity: a non-interned equal string may still be there
    const h = strHash(vm, key);
    const ht = (h << 1) | 1;
    for (let i = 0; i < n; i++) {
      const b = e + 3 * i;
      const k = H[b + 1];
      if (k !== LY.NULL && H[b] === ht && keysEqual(vm, k, key)) return H[b + 2];
    }
    return LY.NULL;
  }
  const i = tableFind(vm, d, key, strHash(vm, key));
  return i < 0 ? LY.NULL : H[e + 3 * i + 2];
}

/** Store key → value. */
export function dictSet(vm: Vm, d: number, key: number, value: number): void {
  const h = hashOf(vm, key);
  const i = tableFind(vm, d, key, h);
  if (i >= 0) {
    vm.H[(vm.H[(d >> 2) + LY.D_ENT] >> 2) + 1 + 3 * i + 2] = value;
    return;
  }
  tableInsertNew(vm, d, key, value, h);
}

// New keys in a watched table bump addedVersion. Watched: the builtins module's dict (builtinLookup caches the names
// it lacks, and a key added there may shadow one of them), and, on the host, the globals dicts whose misses the tier
// caches at its LOAD_GLOBAL sites (a key added there shadows the builtin): a short list, filled round robin, where a
// table pushed out bumps the version too. On a board that list stays empty and costs one test per new key.
let watched = -1;
const WATCHED = new Int32Array(8);
let nWatched = 0;
let nextWatch = 0;
let addedVersion = 0;

/** Watch table d, the builtins module's dict (another VM's, the one watched so far, stops being watched: a bump). */
export function watchTable(d: number): void {
  if (d !== watched && watched !== -1) addedVersion++;
  watched = d;
}

/** Watch globals dict d too (if it is not watched already). */
export function watchGlobals(d: number): void {
  if (isWatchedGlobals(d)) return;
  if (nWatched < WATCHED.length) WATCHED[nWatched++] = d;
  else {
    addedVersion++;
    WATCHED[nextWatch] = d;
    nextWatch = (nextWatch + 1) % WATCHED.length;
  }
}

export function watchedVersion(): number {
  return addedVersion;
}

function isWatchedGlobals(d: number): boolean {
  for (let i = 0; i < nWatched; i++) if (WATCHED[i] === d) return true;
  return false;
}

/** Append an entry known not to be present. key and value must be rooted by the caller. */
export function tableInsertNew(vm: Vm, d: number, key: number, value: number, h: number): void {
  if (d === watched || (nWatched !== 0 && isWatchedGlobals(d))) addedVersion++;
  const H = vm.H;
  const dp = d >> 2;
  let n = H[dp + LY.D_NENT] >> 1;
  const ew = H[dp + LY.D_ENT];
  // whole entries only: the block may be a word longer than asked for (alloc hands out a last odd word with it)
  const cap = ew === LY.NULL ? 0 : (((H[ew >> 2] >> 8) - 1) / 3) | 0;
  if (n >= cap) {
    vm.tpush(key);
    vm.tpush(value);
    tableResize(vm, d, (H[dp + LY.D_USED] >> 1) + 1);
    vm.tpop(2);
    n = H[dp + LY.D_NENT] >> 1;
  }
  const b = (H[dp + LY.D_ENT] >> 2) + 1 + 3 * n;
  H[b] = (h << 1) | 1;
  H[b + 1] = key;
  H[b + 2] = value;
  H[dp + LY.D_NENT] = ((n + 1) << 1) | 1;
  H[dp + LY.D_USED] += 2;
  const ix = H[dp + LY.D_INDEX];
  if (ix !== LY.NULL) indexInsert(H, ix >> 2, h, n);
}

function indexInsert(H: Int32Array, ip: number, h: number, entry: number): void {
  const mask = H[ip + 1];
  let i = h & mask;
  let perturb = h;
  while (H[ip + 2 + i] > 0) {
    perturb >>>= 5;
    i = (i * 5 + perturb + 1) & mask;
  }
  H[ip + 2 + i] = entry + 1;
}

/** Rebuild the table with room for at least `need` live entries (compacting deleted ones). */
export function tableResize(vm: Vm, d: number, need: number): void {
  const H = vm.H;
  const dp = d >> 2;
  let cap = 4;
  while (cap < need + (need >> 1)) cap <<= 1;
  vm.tpush(d);
  const ne = vm.alloc(K.ARRAY, 1 + 3 * cap);
  let ni = 0;
  if (cap > LY.D_SMALL) {
    vm.tpush(ne << 2);
    let size = 8;
    while (size < cap + (cap >> 1)) size <<= 1;
    ni = vm.alloc(K.INDEX, 2 + size);
    H[ni + 1] = size - 1;
    H.fill(0, ni + 2, ni + 2 + size);
    vm.tpop(1);
  }
  vm.tpop(1);
  const ew = H[dp + LY.D_ENT];
  let m = 0;
  if (ew !== LY.NULL) {
    const e = (ew >> 2) + 1;
    const n = H[dp + LY.D_NENT] >> 1;
    for (let i = 0; i < n; i++) {
      const b = e + 3 * i;
      if (H[b + 1] === LY.NULL) continue;
      const t = ne + 1 + 3 * m;
      H[t] = H[b];
      H[t + 1] = H[b + 1];
      H[t + 2] = H[b + 2];
      if (ni) indexInsert(H, ni, H[b] >> 1, m);
      m++;
    }
  }
  H[dp + LY.D_ENT] = ne << 2;
  H[dp + LY.D_INDEX] = ni ? ni << 2 : LY.NULL;
  H[dp + LY.D_NENT] = (m << 1) | 1;
  H[dp + LY.D_USED] = (m << 1) | 1;
}

/** Remove key; returns its value, or NULL if it was absent. */
export function tableDelete(vm: Vm, d: number, key: number): number {
  const i = tableFind(vm, d, key, hashOf(vm, key));
  if (i < 0) return LY.NULL;
  return tableDeleteAt(vm, d, i);
}

/** Remove entry i (which holds a key); returns its value. */
export function tableDeleteAt(vm: Vm, d: number, i: number): number {
  const H = vm.H;
  const dp = d >> 2;
  const b = (H[dp + LY.D_ENT] >> 2) + 1 + 3 * i;
  const v = H[b + 2];
  const ix = H[dp + LY.D_INDEX];
  if (ix !== LY.NULL) {
    const ip = ix >> 2;
    const mask = H[ip + 1];
    const h = H[b] >> 1;
    let j = h & mask;
    let perturb = h;
    while (H[ip + 2 + j] !== i + 1) {
      perturb >>>= 5;
      j = (j * 5 + perturb + 1) & mask;
    }
    H[ip + 2 + j] = -1;
  }
  H[b + 1] = LY.NULL;
  H[b + 2] = LY.NULL;
  H[dp + LY.D_USED] -= 2;
  // drop trailing deleted entries so popitem()/append patterns don't grow the array
  let n = H[dp + LY.D_NENT] >> 1;
  if (i === n - 1 && ix === LY.NULL) {
    while (n > 0 && H[(H[dp + LY.D_ENT] >> 2) + 1 + 3 * (n - 1) + 1] === LY.NULL) n--;
    H[dp + LY.D_NENT] = (n << 1) | 1;
  }
  if ((H[dp + LY.D_USED] >> 1) === 0) {
    H[dp + LY.D_NENT] = 1;
    if (ix !== LY.NULL) H.fill(0, (ix >> 2) + 2, (ix >> 2) + 2 + H[(ix >> 2) + 1] + 1);
  }
  return v;
}

export function tableClear(vm: Vm, d: number): void {
  const H = vm.H;
  const dp = d >> 2;
  H[dp + LY.D_ENT] = LY.NULL;
  H[dp + LY.D_INDEX] = LY.NULL;
  H[dp + LY.D_NENT] = 1;
  H[dp + LY.D_USED] = 1;
}

/**
 * Iterate: returns the next entry index >= i that holds a key, or -1. Use entryKey/entryValue to read it.
 */
export function tableNext(vm: Vm, d: number, i: number): number {
  const H = vm.H;
  const dp = d >> 2;
  const ew = H[dp + LY.D_ENT];
  if (ew === LY.NULL) return -1;
  const e = (ew >> 2) + 1;
  const n = H[dp + LY.D_NENT] >> 1;
  while (i < n) {
    if (H[e + 3 * i + 1] !== LY.NULL) return i;
    i++;
  }
  return -1;
}

export function entryKey(vm: Vm, d: number, i: number): number {
  return vm.H[(vm.H[(d >> 2) + LY.D_ENT] >> 2) + 2 + 3 * i];
}
export function entryValue(vm: Vm, d: number, i: number): number {
  return vm.H[(vm.H[(d >> 2) + LY.D_ENT] >> 2) + 3 + 3 * i];
}
export function entryHash(vm: Vm, d: number, i: number): number {
  return vm.H[(vm.H[(d >> 2) + LY.D_ENT] >> 2) + 1 + 3 * i] >> 1;
}
export function setEntryValue(vm: Vm, d: number, i: number, v: number): void {
  vm.H[(vm.H[(d >> 2) + LY.D_ENT] >> 2) + 3 + 3 * i] = v;
}

/** A shallow copy of a dict or set (same kind unless `kind` says otherwise). */
export function tableCopy(vm: Vm, d: number, kind: number): number {
  const n = tableLen(vm, d);
  vm.tpush(d);
  const c = newTable(vm, kind, n);
  vm.tpush(c);
  for (let i = tableNext(vm, d, 0); i >= 0; i = tableNext(vm, d, i + 1))
    tableInsertNew(vm, c, entryKey(vm, d, i), entryValue(vm, d, i), entryHash(vm, d, i));
  vm.tpop(2);
  return c;
}

// --- The intern table's needs: find a str by bytes, add one -----------------------------------------------------------

export function setFindStr(vm: Vm, set: number, b: Uint8Array, off: number, len: number, h: number): number {
  const H = vm.H;
  const U8 = vm.U8;
  const sp = set >> 2;
  const ew = H[sp + LY.D_ENT];
  if (ew === LY.NULL) return LY.NULL;
  const e = (ew >> 2) + 1;
  const ht = (h << 1) | 1;
  const ix = H[sp + LY.D_INDEX];
  if (ix === LY.NULL) {
    const n = H[sp + LY.D_NENT] >> 1;
    for (let i = 0; i < n; i++) {
      const k = H[e + 3 * i + 1];
      if (k !== LY.NULL && H[e + 3 * i] === ht && sameBytes(H, U8, k, b, off, len)) return k;
    }
    return LY.NULL;
  }
  const ip = ix >> 2;
  const mask = H[ip + 1];
  let i = h & mask;
  let perturb = h;
  for (;;) {
    const s = H[ip + 2 + i];
    if (s === 0) return LY.NULL;
    if (s > 0) {
      const k = H[e + 3 * (s - 1) + 1];
      if (H[e + 3 * (s - 1)] === ht && sameBytes(H, U8, k, b, off, len)) return k;
    }
    perturb >>>= 5;
    i = (i * 5 + perturb + 1) & mask;
  }
}

function sameBytes(H: Int32Array, U8: Uint8Array, k: number, b: Uint8Array, off: number, len: number): boolean {
  const kp = k >> 2;
  if (H[kp + LY.S_BLEN] !== len) return false;
  const ko = (kp + LY.S_DATA) << 2;
  for (let j = 0; j < len; j++) if (U8[ko + j] !== b[off + j]) return false;
  return true;
}

export function setAddKnown(vm: Vm, set: number, key: number, h: number): void {
  vm.tpush(key);
  tableInsertNew(vm, set, key, LY.NULL, h);
  vm.tpop(1);
}
