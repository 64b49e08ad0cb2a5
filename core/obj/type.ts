// Types: the type of any value, names, method resolution order, lookup of attributes along the MRO, subtype tests.
// Builtin types are static immediates (core/vm/types.ts); classes made by `class` statements are TYPE objects.
import { K, imm, IT, LY } from "../vm/layout";
import { T, TYPE_NAME, TYPE_BASE_OF, TYPE_FLAGS, TS_EXC, staticSubtype } from "../vm/types";
import type { Vm } from "../vm/vm";
import { staticAttr } from "../vm/registry";
import { dictGetStr } from "./dict";

const ITER_TYPE = [T.ITERATOR, T.ITERATOR, T.ITERATOR, T.ITERATOR, T.ITERATOR, T.ITERATOR, T.ITERATOR, T.ENUMERATE,
  T.ZIP, T.MAP, T.FILTER, T.REVERSED, T.ITERATOR, T.ITERATOR, T.ITERATOR, T.DICT_KEYS, T.DICT_VALUES, T.DICT_ITEMS];

/** The type of w, as a type word (a static type immediate or a TYPE pointer). */
export function typeOf(vm: Vm, w: number): number {
  if (w & 1) return imm(T.INT);
  if ((w & 3) === 2) {
    const id = w >> 2;
    if (id >= LY.QSTR_BASE) return imm(T.STR);
    if (id >= LY.NATIVE_BASE) return imm(T.BUILTIN_FUNCTION);
    if (id >= LY.TYPE_BASE) return imm(T.TYPE);
    if (w === LY.NONE) return imm(T.NONETYPE);
    if (w === LY.TRUE || w === LY.FALSE) return imm(T.BOOL);
    if (id === 3) return imm(T.ELLIPSIS);
    return imm(T.NOTIMPLEMENTED);
  }
  const H = vm.H;
  const p = w >> 2;
  switch (H[p] & 127) {
    case K.STR: return imm(T.STR);
    case K.BYTES: return imm(T.BYTES);
    case K.FLOAT: return imm(T.FLOAT);
    case K.BIGINT: return imm(T.INT);
    case K.TUPLE: return imm(T.TUPLE);
    case K.LIST: return imm(T.LIST);
    case K.DICT: return imm(T.DICT);
    case K.SET: return imm(T.SET);
    case K.FROZENSET: return imm(T.FROZENSET);
    case K.FUNC: return imm(T.FUNCTION);
    case K.CODE: return imm(T.CODE);
    case K.CELL: return imm(T.CELL);
    case K.TYPE: return H[p + LY.TY_META];
    case K.INST:
    case K.EXC:
    case K.NATIVE_OBJ:
      return H[p + 1];
    case K.BOUND: return imm(T.METHOD);
    case K.GEN: {
      const f = H[p + LY.G_FLAGS] >> 1;
      return imm(f & LY.GF_CORO ? T.COROUTINE : f & LY.GF_ASYNCGEN ? T.ASYNC_GENERATOR : T.GENERATOR);
    }
    case K.MODULE: return imm(T.MODULE);
    case K.RANGE: return imm(T.RANGE);
    case K.SLICE: return imm(T.SLICE);
    case K.ITER: return imm(ITER_TYPE[H[p + 1] >> 1]);
    case K.PROPERTY: return imm(T.PROPERTY);
    case K.CLASSMETHOD: return imm(T.CLASSMETHOD);
    case K.STATICMETHOD: return imm(T.STATICMETHOD);
    case K.SUPER: return imm(T.SUPER);
    case K.BYTEARRAY: return imm(H[p + 3] & 4 ? T.MEMORYVIEW : T.BYTEARRAY); // flags word (a small int): bit 1 memoryview
    case K.TB: return imm(T.TRACEBACK);
  }
  return imm(T.OBJECT);
}

export function isStaticType(w: number): boolean {
  if ((w & 3) !== 2) return false;
  const id = w >> 2;
  return id >= LY.TYPE_BASE && id < LY.NATIVE_BASE;
}

/** Is w a type object (static or a class)? */
export function isType(vm: Vm, w: number): boolean {
  return isStaticType(w) || ((w & 3) === 0 && w !== 0 && (vm.H[w >> 2] & 127) === K.TYPE);
}

/** The type's __name__ (a str word). */
export function typeName(vm: Vm, t: number): number {
  if ((t & 3) === 2) return imm(TYPE_NAME[(t >> 2) - LY.TYPE_BASE]);
  return vm.H[(t >> 2) + LY.TY_NAME];
}

/** The static builtin type whose layout instances of t use (T.OBJECT, T.LIST, T.EXCEPTION…), as a T value. */
export function nativeBase(vm: Vm, t: number): number {
  if ((t & 3) === 2) return t >> 2;
  return vm.H[(t >> 2) + LY.TY_NATIVE] >> 2;
}

export function typeFlags(vm: Vm, t: number): number {
  if ((t & 3) === 2) return 0;
  return vm.H[(t >> 2) + LY.TY_FLAGS] >> 1;
}

/** Is type a a subtype of type b (both type words)? */
export function isSubtype(vm: Vm, a: number, b: number): boolean {
  if (a === b) return true;
  if ((a & 3) === 2) {
    if ((b & 3) !== 2) return false;
    return staticSubtype(a >> 2, b >> 2);
  }
  const H = vm.H;
  const mro = H[(a >> 2) + LY.TY_MRO];
  const mp = mro >> 2;
  const n = H[mp + LY.SEQ_LEN] >> 1;
  for (let i = 0; i < n; i++) if (H[mp + LY.TUP_ITEMS + i] === b) return true;
  return false;
}

export function isInstance(vm: Vm, w: number, t: number): boolean {
  return isSubtype(vm, typeOf(vm, w), t);
}

/** Is t an exception class (static or user)? */
export function isExcType(vm: Vm, t: number): boolean {
  if ((t & 3) === 2) {
    const id = t >> 2;
    return id >= LY.TYPE_BASE && id < LY.NATIVE_BASE && (TYPE_FLAGS[id - LY.TYPE_BASE] & TS_EXC) !== 0;
  }
  return (vm.H[t >> 2] & 127) === K.TYPE && staticSubtype(nativeBase(vm, t), T.BASE_EXCEPTION);
}

// A cache of lookupType results (CPython's method cache): per VM (2^vm.cacheBits entries), indexed by a hash of
// (type, name), valid while vm.typeVersion is unchanged. Anything that changes what a lookup would find (a class attribute set or deleted,
// a new class whose address may reuse a dead one's) bumps the version; cached values are then never used again.

/** Forget every cached type lookup (a class attribute changed, or a class was made). */
export function typesChanged(vm: Vm): void {
  vm.typeVersion++;
}

/**
 * Look `name` up along t's MRO: the attribute defined by the first class that has it, or NULL. This is
 * _PyType_Lookup; descriptors are not applied here.
 */
export function lookupType(vm: Vm, t: number, name: number): number {
  let c = vm.typeCache;
  if (c === null) c = vm.typeCache = new Int32Array(4 << vm.cacheBits);
  const i = ((((t >> 2) * 40503) ^ (name >> 2)) & ((c.length >> 2) - 1)) << 2;
  if (c[i] === t && c[i + 1] === name && c[i + 3] === vm.typeVersion) return c[i + 2];
  const r = lookupTypeUncached(vm, t, name);
  c[i] = t;
  c[i + 1] = name;
  c[i + 2] = r;
  c[i + 3] = vm.typeVersion;
  return r;
}

function lookupTypeUncached(vm: Vm, t: number, name: number): number {
  if ((t & 3) === 2) {
    for (let s = t >> 2; s; s = TYPE_BASE_OF[s - LY.TYPE_BASE]) {
      const v = staticAttr(s, name);
      if (v !== LY.NULL) return v;
    }
    return LY.NULL;
  }
  const H = vm.H;
  const mp = H[(t >> 2) + LY.TY_MRO] >> 2;
  const n = H[mp + LY.SEQ_LEN] >> 1;
  for (let i = 0; i < n; i++) {
    const c = H[mp + LY.TUP_ITEMS + i];
    const v = (c & 3) === 2 ? staticAttr(c >> 2, name) : dictGetStr(vm, H[(c >> 2) + LY.TY_DICT], name);
    if (v !== LY.NULL) return v;
  }
  return LY.NULL;
}

/** Iterate the MRO of t: the i-th class, or NULL past the end. */
export function mroAt(vm: Vm, t: number, i: number): number {
  if ((t & 3) === 2) {
    let s = t >> 2;
    while (s && i > 0) {
      s = TYPE_BASE_OF[s - LY.TYPE_BASE];
      i--;
    }
    return s ? imm(s) : LY.NULL;
  }
  const H = vm.H;
  const mp = H[(t >> 2) + LY.TY_MRO] >> 2;
  return i < H[mp + LY.SEQ_LEN] >> 1 ? H[mp + LY.TUP_ITEMS + i] : LY.NULL;
}

/** The static base of a static type (T value), or 0 for object. */
export function staticBase(t: number): number {
  return TYPE_BASE_OF[t - LY.TYPE_BASE];
}

export { IT };
