// The heavier instructions, kept out of the dispatch loop: constants from the image, function objects, slices,
// f-string pieces, the collection-building instructions, imports and the REPL's expression printer.
import { K, smi, imm, LY } from "./layout";
import { ConstKind, CF } from "../code";
import type { Vm, LoadedImage } from "./vm";
import { T } from "./types";
import { Q } from "../generated/qstr";
import { raise, PY_EXC } from "./exc";
import { newTuple } from "../obj/seq";
import { strFromBytes, bytesFromBytes, internBytes, allocStr, sbuf, soff, slen, sclen, qw, jstr, str as mkstr } from "../obj/str";
import { newFloat, intFromNumber } from "../obj/num";
import * as B from "../bigint";
import { tableFind, tableInsertNew, dictSet, tableNext, entryKey, entryValue, newDict } from "../obj/dict";
import { hashOf, kindOf, typeNameJs, lookupSpecial } from "./ops";
import { extendList, getIter, iterNext, getItem } from "../obj/items";
import { toStr, toRepr, toAscii } from "../obj/repr";
import { formatObject } from "../obj/format";
import { getAttr, bindMethod } from "./attr";
import { call1 } from "./call";
import { raiseObj } from "./exc";
import { typeOf, isSubtype } from "../obj/type";
import { Op } from "../generated/op";
import { importModule, moduleFrom, moduleStar } from "./import";
import { BUILD_CLASS } from "../obj/class";
import { printValue, ROOT_BUILTINS } from "../modules/builtins";
import { dictGetStr } from "../obj/dict";
import { callTuple } from "./call";

export { bindMethod };

/** Materialise constant i of an image into the heap (once; later loads find it in li.consts). */
export function loadConst(vm: Vm, li: LoadedImage, i: number): number {
  const H = vm.H;
  const img = li.img;
  const b = img.bytes;
  const o = img.constOff[i];
  const n = img.constLen[i];
  let w = LY.NONE;
  switch (img.constKind[i]) {
    case ConstKind.STR:
      w = n <= 40 ? internBytes(vm, b, o, n) : strFromBytes(vm, b, o, n);
      break;
    case ConstKind.BYTES:
      w = bytesFromBytes(vm, b, o, n);
      break;
    case ConstKind.INT: {
      // zigzag, the sign bit taken off the first byte: 2m + 1 is not exact in a double above 2^53
      let p = o;
      let c = b[p++];
      const neg = c & 1;
      let m = (c & 127) >> 1;
      let s = 64;
      while (c & 128) {
        c = b[p++];
        m += (c & 127) * s;
        s *= 128;
      }
      w = intFromNumber(vm, neg ? -m - 1 : m);
      break;
    }
    case ConstKind.BIGINT: {
      const limbs = Math.ceil((n - 1) / 3) + 1;
      const p = vm.alloc(K.BIGINT, 2 + limbs);
      const len = B.fromBytes(b, o + 1, n - 1, true, false, H, p + 2);
      H[p + 1] = b[o] ? -len : len;
      vm.heap.shrink(p, 2 + len);
      w = p << 2;
      break;
    }
    case ConstKind.FLOAT: {
      const dv = new DataView(b.buffer, b.byteOffset + o, 8);
      w = newFloat(vm, dv.getFloat64(0, true));
      break;
    }
    case ConstKind.TUPLE: {
      // count, then indices of earlier constants (varints)
      let p = o;
      const rd = function (): number {
        let v = 0;
        let s = 1;
        let c: number;
        do {
          c = b[p++];
          v += (c & 127) * s;
          s *= 128;
        } while (c & 128);
        return v;
      };
      const cnt = rd();
      const t = newTuple(vm, cnt);
      vm.tpush(t);
      for (let j = 0; j < cnt; j++) {
        const ci = rd();
        let x = H[(li.consts >> 2) + 1 + ci];
        if (x === LY.NULL) x = loadConst(vm, li, ci);
        H[(t >> 2) + LY.TUP_ITEMS + j] = x;
      }
      vm.tpop(1);
      w = t;
      break;
    }
    case ConstKind.ELLIPSIS:
      w = LY.ELLIPSIS;
      break;
  }
  H[(li.consts >> 2) + 1 + i] = w;
  return w;
}

/** The CODE object for code index ci of image li (made once). */
export function codeObject(vm: Vm, li: LoadedImage, imgIndex: number, ci: number): number {
  const H = vm.H;
  const slot = (li.codeObjs >> 2) + 1 + ci;
  let c = H[slot];
  if (c === LY.NULL) {
    const p = vm.alloc(K.CODE, 3);
    H[p + LY.CODE_IMG] = smi(imgIndex);
    H[p + LY.CODE_IDX] = smi(ci);
    c = p << 2;
    H[slot] = c;
  }
  return c;
}

/** MAKE_FUNCTION: pops the optional parts (closure on top) and pushes the function. Returns the new sp. */
export function makeFunction(vm: Vm, f: number, li: LoadedImage, a: number, sp: number): number {
  const H = vm.H;
  const ci = a >> 3;
  const flags = a & 7;
  const imgIndex = H[(H[f + LY.F_CODE] >> 2) + LY.CODE_IMG] >> 1;
  const code = codeObject(vm, li, imgIndex, ci);
  const fn = vm.alloc(K.FUNC, LY.FN_SIZE);
  H[fn + LY.FN_CODE] = code;
  H[fn + LY.FN_GLOBALS] = H[f + LY.F_GLOBALS];
  let s = sp;
  if (flags & 4) {
    const cl = H[s--];
    if ((H[(cl >> 2) + LY.SEQ_LEN] >> 1) !== li.img.codes[ci * CF.CODE_FIELDS + CF.C_NFREE])
      throw raise(vm, T.SYSTEM_ERROR, "closure size mismatch");
    H[fn + LY.FN_CLOSURE] = cl;
  }
  if (flags & 2) H[fn + LY.FN_KWDEFAULTS] = H[s--];
  if (flags & 1) H[fn + LY.FN_DEFAULTS] = H[s--];
  H[++s] = fn << 2;
  return s;
}

export function buildSlice(vm: Vm, a: number, b: number, c: number): number {
  const p = vm.alloc(K.SLICE, 4);
  vm.H[p + 1] = a;
  vm.H[p + 2] = b;
  vm.H[p + 3] = c;
  return p << 2;
}

/** BUILD_STRING: concatenate n str values at H[base …]. */
export function buildString(vm: Vm, base: number, n: number): number {
  const H = vm.H;
  let blen = 0;
  let clen = 0;
  for (let i = 0; i < n; i++) {
    blen += slen(vm, H[base + i]);
    clen += sclen(vm, H[base + i]);
  }
  const p = allocStr(vm, K.STR, blen, clen);
  let d = (p + LY.S_DATA) << 2;
  const U8 = vm.U8;
  for (let i = 0; i < n; i++) {
    const w = H[base + i];
    const b = sbuf(vm, w);
    const o = soff(vm, w);
    const len = slen(vm, w);
    for (let j = 0; j < len; j++) U8[d + j] = b[o + j];
    d += len;
  }
  return p << 2;
}

/** FORMAT_VALUE: conversion (1 str, 2 repr, 3 ascii) then format(value, spec). */
export function formatValue(vm: Vm, v: number, conv: number, spec: number): number {
  if (conv === 1) v = toStr(vm, v);
  else if (conv === 2) v = toRepr(vm, v);
  else if (conv === 3) v = toAscii(vm, v);
  vm.tpush(v);
  try {
    return formatObject(vm, v, spec);
  } finally {
    vm.tpop(1);
  }
}

export function listExtend(vm: Vm, l: number, it: number): void {
  if (kindOf(vm, it) !== K.LIST && kindOf(vm, it) !== K.TUPLE) {
    try {
      getIterChecked(vm, it);
    } catch (e) {
      if (e === PY_EXC) {
        vm.excValue = LY.NULL;
        throw raise(vm, T.TYPE_ERROR, "Value after * must be an iterable, not " + typeNameJs(vm, it));
      }
      throw e;
    }
  }
  extendList(vm, l, it);
}

function getIterChecked(vm: Vm, it: number): void {
  getIter(vm, it);
}

export function setAdd(vm: Vm, s: number, v: number): void {
  const h = hashOf(vm, v);
  if (tableFind(vm, s, v, h) < 0) tableInsertNew(vm, s, v, LY.NULL, h);
}

export function setUpdate(vm: Vm, s: number, it: number): void {
  const iter = getIter(vm, it);
  vm.tpush(iter);
  try {
    for (;;) {
      const x = iterNext(vm, iter);
      if (x === LY.NULL) break;
      setAdd(vm, s, x);
    }
  } finally {
    vm.tpop(1);
  }
}

/** d.update(m) for a dict or any mapping (keys() and []). */
export function dictUpdate(vm: Vm, d: number, m: number): void {
  if (kindOf(vm, m) === K.DICT) {
    for (let i = tableNext(vm, m, 0); i >= 0; i = tableNext(vm, m, i + 1)) dictSet(vm, d, entryKey(vm, m, i), entryValue(vm, m, i));
    return;
  }
  if (lookupSpecial(vm, m, qw(Q.keys)) === LY.NULL) {
    const u = kindOf(vm, m) === K.INST ? vm.H[(m >> 2) + 3] : LY.NULL;
    if (u !== LY.NULL && kindOf(vm, u) === K.DICT) return dictUpdate(vm, d, u);
    throw raise(vm, T.TYPE_ERROR, "'" + typeNameJs(vm, m) + "' object is not a mapping");
  }
  const src = mappingToDict(vm, m);
  vm.tpush(src);
  dictUpdate(vm, d, src);
  vm.tpop(1);
}

/** f(**m): like update, but a repeated key is a TypeError naming the function. */
export function dictMerge(vm: Vm, d: number, m: number, fn: number): void {
  const mk = kindOf(vm, m);
  if (mk !== K.DICT) {
    if (lookupSpecial(vm, m, qw(Q.keys)) === LY.NULL)
      throw raise(vm, T.TYPE_ERROR, "argument after ** must be a mapping, not " + typeNameJs(vm, m));
  }
  const src = mk === K.DICT ? m : mappingToDict(vm, m);
  vm.tpush(src);
  try {
    for (let i = tableNext(vm, src, 0); i >= 0; i = tableNext(vm, src, i + 1)) {
      const k = entryKey(vm, src, i);
      if (tableFind(vm, d, k, hashOf(vm, k)) >= 0) {
        void fn;
        throw raise(vm, T.TYPE_ERROR, "got multiple values for keyword argument '" + jstr(vm, k) + "'");
      }
      dictSet(vm, d, k, entryValue(vm, src, i));
    }
  } finally {
    vm.tpop(1);
  }
}

/** A dict with the items of any mapping (keys() and __getitem__). */
export function mappingToDict(vm: Vm, m: number): number {
  const d = newDict(vm);
  vm.tpush(d);
  try {
    const keys = callKeys(vm, m);
    vm.tpush(keys);
    const it = getIter(vm, keys);
    vm.tpush(it);
    for (;;) {
      const k = iterNext(vm, it);
      if (k === LY.NULL) break;
      vm.tpush(k);
      const v = getItem(vm, m, k);
      dictSet(vm, d, k, v);
      vm.tpop(1);
    }
    vm.tpop(2);
    return d;
  } finally {
    vm.tpop(1);
  }
}

function callKeys(vm: Vm, m: number): number {
  const f = getAttr(vm, m, qw(Q.keys));
  vm.tpush(f);
  try {
    return callNoArgs(vm, f);
  } finally {
    vm.tpop(1);
  }
}

let callNoArgs: (vm: Vm, f: number) => number = function () {
  return LY.NONE;
};
export function setCallNoArgs(f: (vm: Vm, fn: number) => number): void {
  callNoArgs = f;
}

// --- imports -----------------------------------------------------------------------------------------------------------

export function importName(vm: Vm, f: number, name: number, fromlist: number, level: number): number {
  // a program may replace builtins.__import__
  const b = vm.extraRoots[ROOT_BUILTINS];
  const hook = b === LY.NULL ? LY.NULL : dictGetStr(vm, vm.H[(b >> 2) + LY.M_DICT], qw(Q.__import__));
  if (hook !== LY.NULL) {
    const args = newTuple(vm, 5);
    const H = vm.H;
    H[(args >> 2) + LY.TUP_ITEMS] = name;
    H[(args >> 2) + LY.TUP_ITEMS + 1] = H[f + LY.F_GLOBALS];
    H[(args >> 2) + LY.TUP_ITEMS + 2] = H[f + LY.F_LOCALS] || LY.NONE;
    H[(args >> 2) + LY.TUP_ITEMS + 3] = fromlist;
    H[(args >> 2) + LY.TUP_ITEMS + 4] = level;
    vm.tpush(args);
    try {
      return callTuple(vm, hook, args, LY.NULL);
    } finally {
      vm.tpop(1);
    }
  }
  return importModule(vm, vm.H[f + LY.F_GLOBALS], name, fromlist, level >> 1);
}
export function importFrom(vm: Vm, mod: number, name: number): number {
  return moduleFrom(vm, mod, name);
}
export function importStar(vm: Vm, mod: number, locals: number): void {
  moduleStar(vm, mod, locals);
}

export function printExpr(vm: Vm, v: number): void {
  printValue(vm, v);
}

export function buildClassFn(): number {
  return BUILD_CLASS;
}

// --- async -------------------------------------------------------------------------------------------------------------

/** The iterator an `await` drives: a coroutine itself, or what o.__await__() returns. */
function awaitable(vm: Vm, o: number): number {
  const H = vm.H;
  // a coroutine, or (as MicroPython allows, and types.coroutine in CPython) a plain generator
  if (kindOf(vm, o) === K.GEN) return o;
  const m = lookupSpecial(vm, o, qw(Q.__await__));
  if (m === LY.NULL) throw raise(vm, T.TYPE_ERROR, "object " + typeNameJs(vm, o) + " can't be used in 'await' expression");
  const it = call1(vm, m, o);
  const k = kindOf(vm, it);
  if (k === K.GEN && (H[(it >> 2) + LY.G_FLAGS] >> 1) & LY.GF_CORO) throw raise(vm, T.TYPE_ERROR, "__await__() returned a coroutine");
  if (k !== K.GEN && k !== K.ITER && lookupSpecial(vm, it, qw(Q.__next__)) === LY.NULL)
    throw raise(vm, T.TYPE_ERROR, "__await__() returned non-iterator of type '" + typeNameJs(vm, it) + "'");
  return it;
}

/** GET_AWAITABLE, GET_AITER, GET_ANEXT, END_ASYNC_FOR, BEFORE_ASYNC_WITH; returns the new sp. */
export function asyncOp(vm: Vm, op: number, sp: number): number {
  const H = vm.H;
  switch (op) {
    case Op.GET_AWAITABLE:
      H[sp] = awaitable(vm, H[sp]);
      return sp;
    case Op.GET_AITER: {
      const o = H[sp];
      const m = lookupSpecial(vm, o, qw(Q.__aiter__));
      if (m === LY.NULL) throw raise(vm, T.TYPE_ERROR, "'async for' requires an object with __aiter__ method, got " + typeNameJs(vm, o));
      H[sp] = call1(vm, m, o);
      return sp;
    }
    case Op.GET_ANEXT: {
      const ai = H[sp];
      const m = lookupSpecial(vm, ai, qw(Q.__anext__));
      if (m === LY.NULL) throw raise(vm, T.TYPE_ERROR, "'async for' received an object from __aiter__ that does not implement __anext__: " + typeNameJs(vm, ai));
      const r = call1(vm, m, ai);
      vm.tpush(r);
      H[sp + 1] = awaitable(vm, r);
      vm.tpop(1);
      return sp + 1;
    }
    case Op.END_ASYNC_FOR: {
      // ai prev exc: StopAsyncIteration ends the loop; anything else propagates
      const exc = H[sp];
      const f = vm.frame;
      if (isSubtype(vm, typeOf(vm, exc), imm(T.STOP_ASYNC_ITERATION))) {
        H[f + LY.F_NBLOCKS] -= 2;
        vm.curExc = H[sp - 1];
        return sp - 3;
      }
      H[f + LY.F_SP] = smi(sp - 1);
      vm.reraise = true;
      throw raiseObj(vm, exc);
    }
    case Op.BEFORE_ASYNC_WITH: {
      // m -- m.__aexit__ m.__aenter__()
      const mgr = H[sp];
      const enter = lookupSpecial(vm, mgr, qw(Q.__aenter__));
      const exit = lookupSpecial(vm, mgr, qw(Q.__aexit__));
      if (enter === LY.NULL || exit === LY.NULL)
        throw raise(vm, T.TYPE_ERROR, "'" + typeNameJs(vm, mgr) + "' object does not support the asynchronous context manager protocol");
      H[sp] = bindMethod(vm, exit, mgr);
      H[sp + 1] = mgr;
      H[vm.frame + LY.F_SP] = smi(sp + 1);
      H[sp + 1] = call1(vm, enter, mgr);
      return sp + 1;
    }
  }
  throw raise(vm, T.SYSTEM_ERROR, "bad async opcode");
}
