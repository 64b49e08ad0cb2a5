// The one registry of native code: builtin functions and methods (immediate objects with an id), the attribute
// tables of the builtin types, and the builtin modules. Files in core/obj and core/modules register into it when
// the runtime starts; nothing else keeps a list of builtins.
import type { Vm } from "./vm";
import { LY } from "./layout";
import { T } from "./types";

/**
 * A native function. Its arguments are on the VM's stack: H[a] … H[a+n-1] positional (for a method, H[a] is self),
 * then, when kw is a tuple of names (not NULL), one value per name at H[a+n] …. Returns a tagged value or throws
 * the sentinel from raise(). Arguments are rooted; see docs/design.md for what a native must root itself.
 */
export type NativeFn = (vm: Vm, a: number, n: number, kw: number) => number;

export const NF_KW = 1; // accepts keyword arguments
export const NF_METHOD = 2; // a method of a builtin type: the first argument is self
export const NF_CLASSMETHOD = 4; // bound to the class when looked up (dict.fromkeys, int.from_bytes)
export const NF_STATIC = 8; // never bound (str.maketrans)
/** With NF_METHOD: self is passed as is, never unwrapped from a subclass instance (the native does it), and the VM
 * calls such a special method (__repr__, __eq__) like a Python one: deque, OrderedDict, namedtuple use it. */
export const NF_SELF = 32;

export const NAT_FN: NativeFn[] = [];
/**
 * The arguments of the native being called: NR[0] = a, NR[1] = n, NR[2] = kw, set by callNative before every call.
 * The device build (scripts/build.mjs `nativeArgs`) drops a native's parameters and reads them from here and NV:
 * on Espruino each parameter of each function costs a block for as long as the function exists.
 */
export const NR = new Int32Array(3);
/** NV[0]: the VM of the native being called (as NR, for the device build's natives, which lose `vm` too); null
 * between calls, so a dropped VM's heap is never held here. */
export const NV: (Vm | null)[] = [null];
/**
 * Per native i, two words: NAT[2i] = name qstr id | (owner type + 1) << 16; NAT[2i+1] = (min + 1) | (max + 1) << 8 |
 * flags << 16. One typed array, not a JS array per field: on Espruino every JS array element costs a block or two.
 */
let NAT = new Int32Array(128);

/** Register a native; returns its immediate word. max -1: any number of positional arguments. */
export function native(name: number, min: number, max: number, flags: number, fn: NativeFn): number {
  const id = NAT_FN.length;
  NAT_FN.push(fn);
  if (2 * id + 2 > NAT.length) {
    const t = new Int32Array(NAT.length + 128);
    t.set(NAT);
    NAT = t;
  }
  NAT[2 * id] = name | (1 << 16);
  NAT[2 * id + 1] = (min + 1) | ((max + 1) << 8) | (flags << 16);
  return ((LY.NATIVE_BASE + id) << 2) | 2;
}

export function isNative(w: number): boolean {
  if ((w & 3) !== 2) return false;
  const id = w >> 2;
  return id >= LY.NATIVE_BASE && id < LY.QSTR_BASE;
}
/** Is w a native method flagged NF_SELF (the VM calls it like a Python special method)? */
export function selfNative(w: number): boolean {
  return isNative(w) && (nativeFlags(nativeIndex(w)) & NF_SELF) !== 0;
}
export function nativeIndex(w: number): number {
  return (w >> 2) - LY.NATIVE_BASE;
}
export function nativeName(w: number): number {
  return NAT[2 * nativeIndex(w)] & 0xffff;
}
export function nativeMin(i: number): number {
  return (NAT[2 * i + 1] & 255) - 1;
}
export function nativeMax(i: number): number {
  return ((NAT[2 * i + 1] >> 8) & 255) - 1;
}
export function nativeFlags(i: number): number {
  return NAT[2 * i + 1] >> 16;
}
/** The builtin type a method native belongs to (0 for plain functions, -1 when several types share it). */
export function nativeOwner(i: number): number {
  return (NAT[2 * i] >> 16) - 1;
}
function setOwner(i: number, t: number): void {
  NAT[2 * i] = (NAT[2 * i] & 0xffff) | ((t + 1) << 16);
}

// --- Attributes of builtin types ---------------------------------------------------------------------------------------
// Per static type, a sorted table of (qstr id, value) for binary search: names are static strings, so the lookup
// compares integers.

const typeAttrs: (Int32Array | null)[] = [];

/** Give type t these attributes: pairs of (qstr id, value word). Natives among them get t as their owner. */
export function defineAttrs(t: number, pairs: number[]): void {
  const idx = t - LY.TYPE_BASE;
  const old = typeAttrs[idx];
  const all: number[] = [];
  if (old) for (let i = 0; i < old.length; i++) all.push(old[i]);
  for (let i = 0; i < pairs.length; i++) all.push(pairs[i]);
  // sort the pairs by name id (insertion sort: tables are short and built once)
  const n = all.length >> 1;
  for (let i = 1; i < n; i++) {
    const k = all[2 * i];
    const v = all[2 * i + 1];
    let j = i - 1;
    while (j >= 0 && all[2 * j] > k) {
      all[2 * j + 2] = all[2 * j];
      all[2 * j + 3] = all[2 * j + 1];
      j--;
    }
    all[2 * j + 2] = k;
    all[2 * j + 3] = v;
  }
  const tab = new Int32Array(all.length);
  for (let i = 0; i < all.length; i++) tab[i] = all[i];
  typeAttrs[idx] = tab;
  // a method shared by several types (count on list and tuple) is not checked against one of them
  for (let i = 1; i < pairs.length; i += 2) {
    if (!isNative(pairs[i])) continue;
    const ni = nativeIndex(pairs[i]);
    const o = nativeOwner(ni);
    setOwner(ni, o === 0 ? t : o === t ? t : -1);
  }
}

/** Attribute `name` (a tagged word) defined directly on static type t, or NULL. */
export function staticAttr(t: number, name: number): number {
  if ((name & 3) !== 2) return LY.NULL; // only static strings can name builtin attributes
  const tab = typeAttrs[t - LY.TYPE_BASE];
  if (!tab) return LY.NULL;
  const q = name >> 2;
  let lo = 0;
  let hi = (tab.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const k = tab[2 * mid];
    if (k === q) return tab[2 * mid + 1];
    if (k < q) lo = mid + 1;
    else hi = mid - 1;
  }
  return LY.NULL;
}

/** All attribute names of static type t (for dir()). */
export function staticAttrNames(t: number): number[] {
  const tab = typeAttrs[t - LY.TYPE_BASE];
  const out: number[] = [];
  if (tab) for (let i = 0; i < tab.length; i += 2) out.push((tab[i] << 2) | 2);
  return out;
}

// --- Builtin modules ---------------------------------------------------------------------------------------------------

export interface ModuleDef {
  /** qstr id of the module name. */
  name: number;
  /**
   * Attributes as (qstr id, value) pairs of immediates only (natives, types, static strings, small ints); called
   * once per process, on first import. Heap values (lists, floats, objects) go into the module's dict in init.
   */
  attrs: (vm: Vm) => number[];
  /** Optional set-up after the module object exists (mutable attributes go into its dict). */
  init?: (vm: Vm, mod: number) => void;
  /**
   * A module whose code is elsewhere (on a board: a part of the runtime in Storage): partHook(part) is called on
   * first import, and what it evaluates defines the module again, replacing this entry.
   */
  part?: number;
}

export const MODULES: ModuleDef[] = [];

/** Defines a module, or replaces the one of the same name (a part replacing its placeholder). */
export function defineModule(def: ModuleDef): void {
  for (let i = 0; i < MODULES.length; i++) {
    if (MODULES[i].name === def.name) {
      MODULES[i] = def;
      return;
    }
  }
  MODULES.push(def);
}

let partHook: ((part: number, vm: Vm | null) => void) | null = null;

/**
 * Where modules defined by a part number come from (boards/espruino/modparts.ts). The hook may raise a Python
 * exception (MemoryError when the board has no room for the module's code) when it is given the VM.
 */
export function setPartHook(f: (part: number, vm: Vm | null) => void): void {
  partHook = f;
}

/** The index of builtin module `name` (a tagged word), loading its code first if it is a part; -1 if none. */
export function findModule(name: number, vm?: Vm): number {
  for (let i = 0; i < MODULES.length; i++) {
    const d = MODULES[i];
    if (((d.name << 2) | 2) !== name) continue;
    if (d.part !== undefined && partHook) partHook(d.part, vm || null);
    return i;
  }
  return -1;
}

/** Static attribute tables of the builtin modules, filled on first import (index = MODULES index). */
const moduleAttrs: (Int32Array | null)[] = [];

export function moduleStaticAttr(vm: Vm, mi: number, name: number): number {
  if ((name & 3) !== 2) return LY.NULL;
  let tab = moduleAttrs[mi];
  if (!tab) tab = moduleAttrs[mi] = sortedPairs(MODULES[mi].attrs(vm));
  const q = name >> 2;
  let lo = 0;
  let hi = (tab.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const k = tab[2 * mid];
    if (k === q) return tab[2 * mid + 1];
    if (k < q) lo = mid + 1;
    else hi = mid - 1;
  }
  return LY.NULL;
}

export function moduleStaticNames(vm: Vm, mi: number): number[] {
  moduleStaticAttr(vm, mi, 2);
  const tab = moduleAttrs[mi];
  const out: number[] = [];
  if (tab) for (let i = 0; i < tab.length; i += 2) out.push((tab[i] << 2) | 2);
  return out;
}

function sortedPairs(pairs: number[]): Int32Array {
  const n = pairs.length >> 1;
  // these tables are shared by every VM and never scanned by a collector: heap objects belong in a module's dict
  for (let i = 1; i < pairs.length; i += 2) if ((pairs[i] & 3) === 0) throw new Error("a heap object in a static attribute table");
  const idx: number[] = [];
  for (let i = 0; i < n; i++) idx.push(i);
  idx.sort(function (x, y) {
    return pairs[2 * x] - pairs[2 * y];
  });
  const tab = new Int32Array(pairs.length);
  for (let i = 0; i < n; i++) {
    tab[2 * i] = pairs[2 * idx[i]];
    tab[2 * i + 1] = pairs[2 * idx[i] + 1];
  }
  return tab;
}

export { T };
