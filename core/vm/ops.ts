// Python's generic operations on any value: truth, hashing, equality and ordering, arithmetic, subscripting,
// length, membership and iteration. Builtin kinds are handled here directly; instances of classes go through
// their special methods (__add__, __eq__, __getitem__…), with the reflected-operand rules of the data model.
import { K, imm, IT, LY } from "./layout";
import type { Vm } from "./vm";
import { T } from "./types";
import { Q } from "../generated/qstr";
import { raise, PY_EXC } from "./exc";
import { typeOf, typeName, lookupType, isSubtype } from "../obj/type";
import { strHash, strEq, strCmp, slen, sbuf, soff, sclen, jstr, qw, isStr } from "../obj/str";
import {
  isFloat, floatVal, newFloat, intHash, floatHash, intCompare, intAdd, intMul, intDivMod, intNeg, intInvert, intBitop,
  intShift, intPow, intToDouble, intTrueDiv, toFloatOperand, floatDivMod, floatPow, isIntLike, intSign, intFromDouble, isBig,
} from "../obj/num";
import { seqLen, seqItems } from "../obj/seq";
import { tableLen, tableFind } from "../obj/dict";
import { call1, call2, callSelf } from "./call";
import { BINOPS } from "../opcodes";
import { selfNative } from "./registry";
import { viewCompare } from "../obj/dictmethods";
import { sliceCompare } from "../obj/listmethods";

export function kindOf(vm: Vm, w: number): number {
  return (w & 3) === 0 && w !== 0 ? vm.H[w >> 2] & 127 : -1;
}

/** The value a builtin-subclass instance wraps (its list, dict, int…), or w itself. */
export function unwrap(vm: Vm, w: number): number {
  if ((w & 3) === 0 && w !== 0 && (vm.H[w >> 2] & 127) === K.INST) {
    const n = vm.H[(w >> 2) + LY.I_NATIVE];
    if (n !== LY.NULL) return n;
  }
  return w;
}

export function typeNameJs(vm: Vm, w: number): string {
  return jstr(vm, typeName(vm, typeOf(vm, w)));
}

/** A special method of w's class (not of the instance), or NULL. */
export function lookupSpecial(vm: Vm, w: number, name: number): number {
  return lookupType(vm, typeOf(vm, w), name);
}

function isUserInstance(vm: Vm, w: number): boolean {
  return (w & 3) === 0 && w !== 0 && (vm.H[w >> 2] & 127) === K.INST;
}

// --- truth ---------------------------------------------------------------------------------------------------------

export function truthy(vm: Vm, w: number): boolean {
  if (w === LY.TRUE) return true;
  if (w === LY.FALSE || w === LY.NONE) return false;
  if (w & 1) return w !== 1;
  if ((w & 3) === 2) return true;
  const H = vm.H;
  const p = w >> 2;
  switch (H[p] & 127) {
    case K.STR:
    case K.BYTES:
      return H[p + 2] !== 0;
    case K.FLOAT:
      return floatVal(vm, w) !== 0;
    case K.BIGINT:
      return true;
    case K.TUPLE:
    case K.LIST:
    case K.BYTEARRAY:
      return H[p + LY.SEQ_LEN] !== 1;
    case K.DICT:
    case K.SET:
    case K.FROZENSET:
      return H[p + LY.D_USED] !== 1;
    case K.RANGE:
      return rangeLen(vm, w) > 0;
    case K.ITER:
      // dict views are false when their dict is empty
      return (H[p + 1] >> 1) < IT.DICT_VIEW_KEYS || tableLen(vm, H[p + 2]) > 0;
    case K.INST:
    case K.NATIVE_OBJ: {
      let m = lookupSpecial(vm, w, qw(Q.__bool__));
      if (m !== LY.NULL) {
        const r = callSelf(vm, m, w, 0, LY.NONE, LY.NONE);
        if (r !== LY.TRUE && r !== LY.FALSE)
          throw raise(vm, T.TYPE_ERROR, "__bool__ should return bool, returned " + typeNameJs(vm, r));
        return r === LY.TRUE;
      }
      m = lookupSpecial(vm, w, qw(Q.__len__));
      if (m !== LY.NULL) return lenOf(vm, w) > 0;
      const n = unwrap(vm, w);
      return n === w ? true : truthy(vm, n);
    }
  }
  return true;
}

// --- hashing ---------------------------------------------------------------------------------------------------------

export function hashOf(vm: Vm, w: number): number {
  if (w & 1) return w >> 1;
  if ((w & 3) === 2) {
    if (w >> 2 >= 8192) return strHash(vm, w);
    if (w === LY.TRUE) return 1;
    if (w === LY.FALSE) return 0;
    return (w >> 2) * 1000003 & 0x3fffffff;
  }
  const H = vm.H;
  const p = w >> 2;
  switch (H[p] & 127) {
    case K.STR:
    case K.BYTES:
      return strHash(vm, w);
    case K.FLOAT:
      return floatHash(vm, floatVal(vm, w));
    case K.BIGINT:
      return intHash(vm, w);
    case K.TUPLE: {
      const n = H[p + LY.SEQ_LEN] >> 1;
      let h = 0x345678;
      for (let i = 0; i < n; i++) {
        const x = hashOf(vm, H[p + LY.TUP_ITEMS + i]);
        h = ((h ^ x) * 1000003 + i) % 1073741824;
        if (h < 0) h += 1073741824;
      }
      return h;
    }
    case K.FROZENSET: {
      let h = 0x4d2;
      const e = H[p + 3];
      if (e) {
        const n = H[p + 2] >> 1;
        for (let i = 0; i < n; i++) if (H[(e >> 2) + 2 + 3 * i] !== LY.NULL) h ^= (H[(e >> 2) + 1 + 3 * i] >> 1) * 69069;
      }
      return h & 0x3fffffff;
    }
    case K.LIST:
    case K.DICT:
    case K.SET:
    case K.BYTEARRAY:
      throw raise(vm, T.TYPE_ERROR, "unhashable type: '" + typeNameJs(vm, w) + "'");
    case K.SLICE: {
      // hashable since Python 3.12 (MicroPython's slice_optimise.py keys an OrderedDict by one): from start, stop, step
      const hs = hashOf(vm, H[p + 1]);
      return ((hs * 1000003) ^ hashOf(vm, H[p + 2]) ^ (hashOf(vm, H[p + 3]) * 31)) & 0x3fffffff;
    }
    case K.RANGE: {
      // equal ranges hash alike: by length, first item and (from two items on) step
      const n = rangeLen(vm, w);
      return n === 0 ? 0 : ((n * 1000003) ^ (H[p + 1] >> 1) ^ (n > 1 ? (H[p + 3] >> 1) * 31 : 0)) & 0x3fffffff;
    }
    case K.ITER: {
      // keys and items views are set-like, hence unhashable
      const sub = H[p + 1] >> 1;
      if (sub === IT.DICT_VIEW_KEYS || sub === IT.DICT_VIEW_ITEMS) throw raise(vm, T.TYPE_ERROR, "unhashable type: '" + typeNameJs(vm, w) + "'");
      break;
    }
    case K.BOUND:
      // the function's hash and self's identity, as CPython's method hash
      return (hashOf(vm, H[p + 1]) ^ ((H[p + 2] >> 2) * 2654435761)) & 0x3fffffff;
    case K.INST:
    case K.EXC:
    case K.NATIVE_OBJ: {
      const m = lookupSpecial(vm, w, qw(Q.__hash__));
      if (m === LY.NONE) throw raise(vm, T.TYPE_ERROR, "unhashable type: '" + typeNameJs(vm, w) + "'");
      if (m !== LY.NULL && (m & 3) !== 2) {
        const r = callSelf(vm, m, w, 0, LY.NONE, LY.NONE);
        if (r === LY.TRUE || r === LY.FALSE) return r === LY.TRUE ? 1 : 0;
        if (!isIntLike(vm, r)) throw raise(vm, T.TYPE_ERROR, "__hash__ method should return an integer");
        return r & 1 ? r >> 1 : intHash(vm, r);
      }
      if ((H[p] & 127) === K.INST) {
        const n = H[p + LY.I_NATIVE];
        if (n !== LY.NULL) return hashOf(vm, n);
      }
      return (p * 2654435761) & 0x3fffffff;
    }
  }
  return p & 0x3fffffff;
}

// --- equality and ordering -----------------------------------------------------------------------------------------

/** a == b for dict keys: identity, then by value. */
export function keysEqual(vm: Vm, a: number, b: number): boolean {
  if (a === b) return true;
  const ka = kindOf(vm, a);
  if ((ka === K.STR || (a & 3) === 2) && (kindOf(vm, b) === K.STR || (b & 3) === 2)) {
    const sa = ka === K.STR || a >> 2 >= 8192;
    const sb = kindOf(vm, b) === K.STR || b >> 2 >= 8192;
    if (sa && sb) return strEq(vm, a, b);
  }
  return eq(vm, a, b);
}

function isStrWord(vm: Vm, w: number): boolean {
  return (w & 3) === 2 ? w >> 2 >= 8192 : kindOf(vm, w) === K.STR;
}

function isNum(vm: Vm, w: number): boolean {
  if (w & 1 || w === LY.TRUE || w === LY.FALSE) return true;
  const k = kindOf(vm, w);
  return k === K.FLOAT || k === K.BIGINT;
}

/** Numeric comparison of two numbers: -1, 0, 1, or 2 if unordered (NaN). */
function numCompare(vm: Vm, a: number, b: number): number {
  const fa = isFloat(vm, a);
  const fb = isFloat(vm, b);
  if (!fa && !fb) return intCompare(vm, a, b);
  let x: number;
  let y: number;
  if (fa && fb) {
    x = floatVal(vm, a);
    y = floatVal(vm, b);
  } else if (fa) {
    x = floatVal(vm, a);
    if (x !== x) return 2;
    if (isBig(vm, b) && x === Math.floor(x) && x > -Infinity && x < Infinity) return intCompare(vm, intFromDouble(vm, x), b);
    y = intToDouble(vm, b);
  } else {
    y = floatVal(vm, b);
    if (y !== y) return 2;
    if (isBig(vm, a) && y === Math.floor(y) && y > -Infinity && y < Infinity) return intCompare(vm, a, intFromDouble(vm, y));
    x = intToDouble(vm, a);
  }
  if (x !== x || y !== y) return 2;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Python a == b as a JS boolean. */
export function eq(vm: Vm, a: number, b: number): boolean {
  if (a === b) {
    // NaN is the only value not equal to itself
    return !(isFloat(vm, a) && floatVal(vm, a) !== floatVal(vm, a));
  }
  const r = richCompare(vm, 2, a, b);
  return r === LY.TRUE || (r !== LY.FALSE && truthy(vm, r));
}

const CMP_NAMES = [Q.__lt__, Q.__le__, Q.__eq__, Q.__ne__, Q.__gt__, Q.__ge__];
const CMP_SWAP = [4, 5, 2, 3, 0, 1];
const CMP_SYM = ["<", "<=", "==", "!=", ">", ">="];

function cmpResult(op: number, c: number): number {
  if (c === 2) return op === 3 ? LY.TRUE : LY.FALSE;
  switch (op) {
    case 0: return c < 0 ? LY.TRUE : LY.FALSE;
    case 1: return c <= 0 ? LY.TRUE : LY.FALSE;
    case 2: return c === 0 ? LY.TRUE : LY.FALSE;
    case 3: return c !== 0 ? LY.TRUE : LY.FALSE;
    case 4: return c > 0 ? LY.TRUE : LY.FALSE;
  }
  return c >= 0 ? LY.TRUE : LY.FALSE;
}

/** Compare two sequences' items lexicographically (tuples, lists). Returns the result word. */
function seqCompare(vm: Vm, op: number, a: number, b: number): number {
  const na = seqLen(vm, a);
  const nb = seqLen(vm, b);
  if ((op === 2 || op === 3) && na !== nb) return op === 3 ? LY.TRUE : LY.FALSE;
  const n = na < nb ? na : nb;
  for (let i = 0; i < n; i++) {
    const x = vm.H[seqItems(vm, a) + i];
    const y = vm.H[seqItems(vm, b) + i];
    if (x === y) continue;
    if (!eq(vm, x, y)) {
      if (op === 2) return LY.FALSE;
      if (op === 3) return LY.TRUE;
      return richCompare(vm, op, x, y);
    }
  }
  return cmpResult(op, na < nb ? -1 : na > nb ? 1 : 0);
}

/** Python a <op> b for op in CMPOPS order (<, <=, ==, !=, >, >=). Returns a value (usually True/False). */
export function richCompare(vm: Vm, op: number, a: number, b: number): number {
  if (a & 1 && b & 1) return cmpResult(op, a < b ? -1 : a > b ? 1 : 0);
  if (isNum(vm, a) && isNum(vm, b)) return cmpResult(op, numCompare(vm, a, b));
  const ka = kindOf(vm, a);
  const kb = kindOf(vm, b);
  const sa = isStrWord(vm, a);
  if (sa && isStrWord(vm, b)) return cmpResult(op, op === 2 || op === 3 ? (strEq(vm, a, b) ? 0 : 1) : strCmp(vm, a, b));
  if (ka === K.BYTES || ka === K.BYTEARRAY) {
    if (kb === K.BYTES || kb === K.BYTEARRAY) return cmpResult(op, bytesCompare(vm, a, b));
  }
  if (ka === kb && (ka === K.TUPLE || ka === K.LIST)) return seqCompare(vm, op, a, b);
  if (ka !== K.INST && kb !== K.INST && ka !== K.NATIVE_OBJ && kb !== K.NATIVE_OBJ && ka !== K.EXC && kb !== K.EXC) {
    if (ka === K.DICT && kb === K.DICT && (op === 2 || op === 3)) return cmpResult(op, dictEqual(vm, a, b) ? 0 : 1);
    if ((ka === K.SET || ka === K.FROZENSET) && (kb === K.SET || kb === K.FROZENSET)) return setCompare(vm, op, a, b);
    if (ka === K.ITER || kb === K.ITER) {
      const r = viewCompare(vm, op, a, b); // dict keys/items views compare as sets (obj/dictmethods.ts)
      if (r !== LY.NULL) return r;
    }
    if (ka === K.SLICE && kb === K.SLICE) return sliceCompare(vm, op, a, b); // as (start, stop, step)
    if (ka === K.RANGE && kb === K.RANGE && (op === 2 || op === 3)) return cmpResult(op, rangeEqual(vm, a, b) ? 0 : 1);
    if (ka === K.BOUND && kb === K.BOUND && (op === 2 || op === 3)) {
      // bound methods are equal when they bind the same function to the same object
      const same = vm.H[(a >> 2) + 1] === vm.H[(b >> 2) + 1] && vm.H[(a >> 2) + 2] === vm.H[(b >> 2) + 2];
      return cmpResult(op, same ? 0 : 1);
    }
    if (op === 2 || op === 3) return cmpResult(op, a === b ? 0 : 1);
    throw cmpError(vm, op, a, b);
  }
  // instances: try the reflected method first when b's class is a subclass of a's
  const ta = typeOf(vm, a);
  const tb = typeOf(vm, b);
  const name = qw(CMP_NAMES[op]);
  const rname = qw(CMP_NAMES[CMP_SWAP[op]]);
  const reflectFirst = ta !== tb && isSubtype(vm, tb, ta) && lookupType(vm, tb, rname) !== lookupType(vm, ta, rname);
  if (reflectFirst) {
    const r = callCompare(vm, CMP_SWAP[op], lookupType(vm, tb, rname), b, a);
    if (r !== LY.NOT_IMPLEMENTED) return r;
  }
  let r = callCompare(vm, op, lookupType(vm, ta, name), a, b);
  if (r !== LY.NOT_IMPLEMENTED) return r;
  if (!reflectFirst) {
    r = callCompare(vm, CMP_SWAP[op], lookupType(vm, tb, rname), b, a);
    if (r !== LY.NOT_IMPLEMENTED) return r;
  }
  {
    const ua = unwrap(vm, a);
    const ub = unwrap(vm, b);
    if ((ua !== a || ub !== b) && kindOf(vm, ua) !== K.INST && kindOf(vm, ub) !== K.INST) return richCompare(vm, op, ua, ub);
  }
  if (op === 2) return a === b ? LY.TRUE : LY.FALSE;
  if (op === 3) return a !== b ? LY.TRUE : LY.FALSE;
  throw cmpError(vm, op, a, b);
}

/**
 * One step of a rich comparison through the special method m of `self` (NULL: none): a Python method (or a native
 * flagged NF_SELF) is called; object's defaults behave as CPython's (== is identity, != inverts the class's
 * __eq__, ordering is NotImplemented); other builtin methods compare the wrapped builtin values.
 */
function callCompare(vm: Vm, op: number, m: number, self: number, other: number): number {
  if (m === LY.NULL) return LY.NOT_IMPLEMENTED;
  if ((m & 3) !== 2 || selfNative(m)) return callSelf(vm, m, self, 1, other, LY.NONE);
  if (op === 2) return self === other ? LY.TRUE : LY.NOT_IMPLEMENTED;
  if (op === 3) {
    const em = lookupSpecial(vm, self, qw(Q.__eq__));
    if (em !== LY.NULL && ((em & 3) !== 2 || selfNative(em))) {
      const r = callSelf(vm, em, self, 1, other, LY.NONE);
      if (r === LY.NOT_IMPLEMENTED) return r;
      return truthy(vm, r) ? LY.FALSE : LY.TRUE;
    }
    return self === other ? LY.FALSE : LY.NOT_IMPLEMENTED;
  }
  const us = unwrap(vm, self);
  if (us !== self) return richCompareBuiltin(vm, op, us, unwrap(vm, other));
  return LY.NOT_IMPLEMENTED;
}

function richCompareBuiltin(vm: Vm, op: number, a: number, b: number): number {
  if (kindOf(vm, a) === K.INST || kindOf(vm, b) === K.INST) return LY.NOT_IMPLEMENTED;
  const tn = vm.tn;
  try {
    return richCompare(vm, op, a, b);
  } catch (e) {
    if (e === PY_EXC && isSubtype(vm, typeOf(vm, vm.excValue), imm(T.TYPE_ERROR))) {
      vm.excValue = LY.NULL;
      vm.tn = tn;
      return LY.NOT_IMPLEMENTED;
    }
    throw e;
  }
}

function cmpError(vm: Vm, op: number, a: number, b: number): unknown {
  return raise(vm, T.TYPE_ERROR, "'" + CMP_SYM[op] + "' not supported between instances of '" + typeNameJs(vm, a) + "' and '" + typeNameJs(vm, b) + "'");
}

function bytesCompare(vm: Vm, a: number, b: number): number {
  const ba = bytesView(vm, a);
  const oa = bvOff;
  const na = bvLen;
  const bb = bytesView(vm, b);
  const ob = bvOff;
  const nb = bvLen;
  const n = na < nb ? na : nb;
  for (let i = 0; i < n; i++) {
    const d = ba[oa + i] - bb[ob + i];
    if (d) return d < 0 ? -1 : 1;
  }
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** Is w bytes-like: bytes, bytearray, memoryview, or an array.array of numbers ('O' arrays hold references)? */
export function isBuffer(vm: Vm, w: number): boolean {
  const k = kindOf(vm, w);
  if (k === K.BYTES || k === K.BYTEARRAY) return true;
  return k === K.NATIVE_OBJ && vm.H[(w >> 2) + 1] === imm(T.ARRAY) && vm.H[(w >> 2) + 2] !== 159; // smi('O')
}

/** bytes/bytearray/memoryview/array contents: returns the buffer, with the offset and length in bvOff/bvLen. */
export let bvOff = 0;
export let bvLen = 0;
export function bytesView(vm: Vm, w: number): Uint8Array {
  const H = vm.H;
  const p = w >> 2;
  if ((H[p] & 127) === K.NATIVE_OBJ) {
    // array.array (see isBuffer): byte length in slot 3, RAWBUF in slot 4
    bvOff = ((H[p + 4] >> 2) + 1) << 2;
    bvLen = H[p + 3] >> 1;
    return vm.U8;
  }
  if ((H[p] & 127) === K.BYTEARRAY) {
    const buf = H[p + 2];
    const start = H[p + 3] >> 3; // memoryview: offset in the flags word above bit 2
    bvOff = buf === LY.NULL ? 0 : ((buf >> 2) + 1) * 4 + start;
    bvLen = H[p + LY.SEQ_LEN] >> 1;
    return vm.U8;
  }
  bvOff = soff(vm, w);
  bvLen = slen(vm, w);
  return sbuf(vm, w);
}

function dictEqual(vm: Vm, a: number, b: number): boolean {
  if (tableLen(vm, a) !== tableLen(vm, b)) return false;
  const H = vm.H;
  const ap = a >> 2;
  const e = H[ap + 3];
  const n = H[ap + 2] >> 1;
  for (let i = 0; i < n; i++) {
    const ep = e >> 2;
    const k = H[ep + 2 + 3 * i];
    if (k === LY.NULL) continue;
    const j = tableFind(vm, b, k, H[ep + 1 + 3 * i] >> 1);
    if (j < 0) return false;
    const vb = H[(H[(b >> 2) + 3] >> 2) + 3 + 3 * j];
    const va = H[(H[ap + 3] >> 2) + 3 + 3 * i];
    if (va !== vb && !eq(vm, va, vb)) return false;
  }
  return true;
}

/** Is every element of set a in set b? */
export function setSubset(vm: Vm, a: number, b: number): boolean {
  const H = vm.H;
  const ap = a >> 2;
  const n = H[ap + 2] >> 1;
  for (let i = 0; i < n; i++) {
    const e = H[ap + 3] >> 2;
    const k = H[e + 2 + 3 * i];
    if (k === LY.NULL) continue;
    if (tableFind(vm, b, k, H[e + 1 + 3 * i] >> 1) < 0) return false;
  }
  return true;
}

function setCompare(vm: Vm, op: number, a: number, b: number): number {
  const na = tableLen(vm, a);
  const nb = tableLen(vm, b);
  switch (op) {
    case 2: return na === nb && setSubset(vm, a, b) ? LY.TRUE : LY.FALSE;
    case 3: return na === nb && setSubset(vm, a, b) ? LY.FALSE : LY.TRUE;
    case 0: return na < nb && setSubset(vm, a, b) ? LY.TRUE : LY.FALSE;
    case 1: return setSubset(vm, a, b) ? LY.TRUE : LY.FALSE;
    case 4: return nb < na && setSubset(vm, b, a) ? LY.TRUE : LY.FALSE;
  }
  return setSubset(vm, b, a) ? LY.TRUE : LY.FALSE;
}

// --- ranges --------------------------------------------------------------------------------------------------------

export function rangeLen(vm: Vm, r: number): number {
  const H = vm.H;
  const p = r >> 2;
  const start = H[p + 1] >> 1;
  const stop = H[p + 2] >> 1;
  const step = H[p + 3] >> 1;
  if (step > 0) return stop > start ? Math.floor((stop - start - 1) / step) + 1 : 0;
  return start > stop ? Math.floor((start - stop - 1) / -step) + 1 : 0;
}

function rangeEqual(vm: Vm, a: number, b: number): boolean {
  const H = vm.H;
  const n = rangeLen(vm, a);
  if (n !== rangeLen(vm, b)) return false;
  if (n === 0) return true;
  if (H[(a >> 2) + 1] !== H[(b >> 2) + 1]) return false;
  return n === 1 || H[(a >> 2) + 3] === H[(b >> 2) + 3];
}

// --- arithmetic ------------------------------------------------------------------------------------------------------

export const BIN_NAMES = [Q.__add__, Q.__sub__, Q.__mul__, Q.__matmul__, Q.__truediv__, Q.__floordiv__, Q.__mod__, Q.__pow__,
  Q.__lshift__, Q.__rshift__, Q.__and__, Q.__or__, Q.__xor__];
const RBIN_NAMES = [Q.__radd__, Q.__rsub__, Q.__rmul__, Q.__rmatmul__, Q.__rtruediv__, Q.__rfloordiv__, Q.__rmod__,
  Q.__rpow__, Q.__rlshift__, Q.__rrshift__, Q.__rand__, Q.__ror__, Q.__rxor__];
const IBIN_NAMES = [Q.__iadd__, Q.__isub__, Q.__imul__, Q.__imatmul__, Q.__itruediv__, Q.__ifloordiv__, Q.__imod__,
  Q.__ipow__, Q.__ilshift__, Q.__irshift__, Q.__iand__, Q.__ior__, Q.__ixor__];

export const OP_ADD = 0;
export const OP_SUB = 1;
export const OP_MUL = 2;
export const OP_TRUEDIV = 4;
export const OP_FLOORDIV = 5;
export const OP_MOD = 6;
export const OP_POW = 7;

/** Numeric binary operation, or NOT_IMPLEMENTED if a or b is not a number. */
export function numBinary(vm: Vm, op: number, a: number, b: number): number {
  if (!isNum(vm, a) || !isNum(vm, b)) return LY.NOT_IMPLEMENTED;
  if (!isFloat(vm, a) && !isFloat(vm, b)) {
    switch (op) {
      case 0: return intAdd(vm, a, b, false);
      case 1: return intAdd(vm, a, b, true);
      case 2: return intMul(vm, a, b);
      case 4: {
        const y = intToDouble(vm, b);
        if (y === 0) throw raise(vm, T.ZERO_DIVISION_ERROR, "division by zero");
        if (a & 1 && b & 1) return newFloat(vm, (a >> 1) / (b >> 1));
        return newFloat(vm, trueDivInts(vm, a, b));
      }
      case 5: return intDivMod(vm, a, b, 0);
      case 6: return intDivMod(vm, a, b, 1);
      case 7:
        if (intSign(vm, b) < 0) {
          const x = intToDouble(vm, a);
          if (x === 0) throw raise(vm, T.ZERO_DIVISION_ERROR, "0.0 cannot be raised to a negative power");
          return newFloat(vm, floatPow(vm, x, intToDouble(vm, b)));
        }
        return intPow(vm, a, b);
      case 8: return intShift(vm, a, b, true);
      case 9: return intShift(vm, a, b, false);
      case 10: return intBitop(vm, a, b, 0);
      case 11: return intBitop(vm, a, b, 1);
      case 12: return intBitop(vm, a, b, 2);
    }
    return LY.NOT_IMPLEMENTED;
  }
  const x = toFloatOperand(vm, a);
  const y = toFloatOperand(vm, b);
  switch (op) {
    case 0: return newFloat(vm, x + y);
    case 1: return newFloat(vm, x - y);
    case 2: return newFloat(vm, x * y);
    case 4:
      if (y === 0) throw raise(vm, T.ZERO_DIVISION_ERROR, "float division by zero");
      return newFloat(vm, x / y);
    case 5: return newFloat(vm, floatDivMod(vm, x, y, 0));
    case 6: return newFloat(vm, floatDivMod(vm, x, y, 1));
    case 7: {
      const r = floatPow(vm, x, y);
      if ((r === Infinity || r === -Infinity) && x !== Infinity && x !== -Infinity && y !== Infinity && y !== -Infinity)
        throw raise(vm, T.OVERFLOW_ERROR, "(34, 'Numerical result out of range')");
      return newFloat(vm, r);
    }
  }
  return LY.NOT_IMPLEMENTED;
}

/** a / b for ints, correctly rounded when both fit in a double exactly, else by scaling. */
function trueDivInts(vm: Vm, a: number, b: number): number {
  return intTrueDiv(vm, a, b); // correctly rounded (obj/num.ts)
}

/** Builtin (non-numeric) binary operations: sequences, strings, sets, dicts. NOT_IMPLEMENTED if none applies. */
let seqBinary: (vm: Vm, op: number, a: number, b: number) => number = function () {
  return LY.NOT_IMPLEMENTED;
};
export function setSeqBinary(f: (vm: Vm, op: number, a: number, b: number) => number): void {
  seqBinary = f;
}

/** Python a <op> b, op as in BINOPS (with BINOP_INPLACE added for augmented assignment). */
export function binaryOp(vm: Vm, op: number, a: number, b: number): number {
  const inplace = op >= 16;
  op &= 15;
  const ka = kindOf(vm, a);
  const kb = kindOf(vm, b);
  const userA = ka === K.INST || ka === K.NATIVE_OBJ || ka === K.EXC || ka === K.TYPE;
  const userB = kb === K.INST || kb === K.NATIVE_OBJ || kb === K.EXC || kb === K.TYPE;
  if (!userA && !userB) {
    let r = numBinary(vm, op, a, b);
    if (r !== LY.NOT_IMPLEMENTED) return r;
    r = seqBinary(vm, inplace ? op + 16 : op, a, b);
    if (r !== LY.NOT_IMPLEMENTED) return r;
    throw binError(vm, op, a, b, inplace);
  }
  // a's class's own in-place method (a += b), if any: then its builtin base's in-place method no longer applies
  let ownInplace = false;
  if (inplace && userA) {
    const im = lookupSpecial(vm, a, qw(IBIN_NAMES[op]));
    if (im !== LY.NULL && ((im & 3) !== 2 || selfNative(im))) {
      ownInplace = (im & 3) !== 2;
      const r = callSelf(vm, im, a, 1, b, LY.NONE);
      if (r !== LY.NOT_IMPLEMENTED) return r;
    }
  }
  const ta = typeOf(vm, a);
  const tb = typeOf(vm, b);
  const name = qw(BIN_NAMES[op]);
  const rname = qw(RBIN_NAMES[op]);
  const rm = ta !== tb ? lookupType(vm, tb, rname) : LY.NULL;
  const reflectFirst = rm !== LY.NULL && isSubtype(vm, tb, ta) && rm !== lookupType(vm, ta, rname);
  if (reflectFirst) {
    const r = callBinary(vm, rm, b, a, op, true);
    if (r !== LY.NOT_IMPLEMENTED) return r;
  }
  const m = lookupType(vm, ta, name);
  if (m !== LY.NULL) {
    const r = callBinary(vm, m, a, b, op, false);
    if (r !== LY.NOT_IMPLEMENTED) return r;
  }
  if (!reflectFirst && rm !== LY.NULL) {
    const r = callBinary(vm, rm, b, a, op, true);
    if (r !== LY.NOT_IMPLEMENTED) return r;
  }
  // instances of builtin subclasses act as the builtin value they wrap: a's builtin method applies where a's class
  // has no method of its own (for a += b, no in-place one: a list's, bytearray's, set's or dict's), b's reflected one
  // where b's class has none (and its builtin has one for these values)
  const ua = unwrap(vm, a);
  const ub = unwrap(vm, b);
  const builtinA = m === LY.NULL || (inplace && !ownInplace && mutableBuiltin(vm, ua));
  if ((ua !== a || ub !== b) && (builtinA || (ta !== tb && rm === LY.NULL && builtinReflects(vm, op, ua, ub)))) {
    const ka2 = kindOf(vm, ua);
    const kb2 = kindOf(vm, ub);
    if (ka2 !== K.INST && ka2 !== K.NATIVE_OBJ && kb2 !== K.INST && kb2 !== K.NATIVE_OBJ) {
      let r = numBinary(vm, op, ua, ub);
      // a += b: the builtin's in-place method, unless a's own __iadd__ declined (then a + b, as in CPython)
      const inplaceToo = inplace && !ownInplace;
      if (r === LY.NOT_IMPLEMENTED) r = seqBinary(vm, inplaceToo ? op + 16 : op, ua, ub);
      // an in-place operator changed the wrapped list (set, dict…) itself: the result is the instance, as in CPython
      if (r === ua && ua !== a && inplaceToo) return a;
      if (r !== LY.NOT_IMPLEMENTED) return r;
    }
  }
  throw binError(vm, op, a, b, inplace);
}

/**
 * Whether builtin value y's type has a reflected method for `x op y` (int's and float's __radd__… take numbers of
 * their own rank or lower: int + a float subclass is float's to answer; str, list, tuple and bytes have only __rmul__).
 */
function builtinReflects(vm: Vm, op: number, x: number, y: number): boolean {
  const rx = numRank(vm, x);
  const ry = numRank(vm, y);
  if (rx >= 0 && ry >= 0) return ry >= rx;
  if (op !== 2 || rx !== 0) return false;
  const ky = kindOf(vm, y);
  return isStr(vm, y) || ky === K.BYTES || ky === K.LIST || ky === K.TUPLE || ky === K.BYTEARRAY;
}

/** Whether w is a builtin value with in-place operators of its own (list +=, bytearray +=, set |=, dict |=…). */
function mutableBuiltin(vm: Vm, w: number): boolean {
  const k = kindOf(vm, w);
  return k === K.LIST || k === K.BYTEARRAY || k === K.SET || k === K.DICT;
}

/** 0 for an int or bool, 1 for a float, else -1. */
function numRank(vm: Vm, w: number): number {
  if (w & 1 || w === LY.TRUE || w === LY.FALSE) return 0;
  const k = kindOf(vm, w);
  return k === K.BIGINT ? 0 : k === K.FLOAT ? 1 : -1;
}

/** Call a binary special method; a builtin one (a native of a builtin base class) works on the wrapped values. */
function callBinary(vm: Vm, m: number, self: number, other: number, op: number, reflected: boolean): number {
  if ((m & 3) !== 2) return callSelf(vm, m, self, 1, other, LY.NONE);
  const us = unwrap(vm, self);
  const uo = unwrap(vm, other);
  if (kindOf(vm, us) === K.INST || kindOf(vm, us) === K.NATIVE_OBJ) return callSelf(vm, m, self, 1, other, LY.NONE);
  if (us === self && uo === other) return callSelf(vm, m, self, 1, other, LY.NONE);
  const x = reflected ? uo : us;
  const y = reflected ? us : uo;
  let r = numBinary(vm, op, x, y);
  if (r === LY.NOT_IMPLEMENTED) r = seqBinary(vm, op, x, y);
  return r;
}

export function binError(vm: Vm, op: number, a: number, b: number, inplace: boolean): unknown {
  const sym = BINOPS[op] + (inplace ? "=" : "");
  if (op === 7 && !inplace) return raise(vm, T.TYPE_ERROR, "unsupported operand type(s) for ** or pow(): '" + typeNameJs(vm, a) + "' and '" + typeNameJs(vm, b) + "'");
  return raise(vm, T.TYPE_ERROR, "unsupported operand type(s) for " + sym + ": '" + typeNameJs(vm, a) + "' and '" + typeNameJs(vm, b) + "'");
}

const UN_NAMES = [Q.__neg__, Q.__pos__, Q.__invert__];
const UN_SYM = ["-", "+", "~"];

/** Python -a (op 0), +a (1), ~a (2), not a (3). */
export function unaryOp(vm: Vm, op: number, a: number): number {
  if (op === 3) return truthy(vm, a) ? LY.FALSE : LY.TRUE;
  if (isNum(vm, a)) {
    if (isFloat(vm, a)) {
      if (op === 2) throw raise(vm, T.TYPE_ERROR, "bad operand type for unary ~: 'float'");
      return op === 0 ? newFloat(vm, -floatVal(vm, a)) : a;
    }
    if (op === 0) return intNeg(vm, a);
    if (op === 1) return a === LY.TRUE ? 3 : a === LY.FALSE ? 1 : a;
    return intInvert(vm, a);
  }
  const m = lookupSpecial(vm, a, qw(UN_NAMES[op]));
  if (m !== LY.NULL) {
    if ((m & 3) === 2) {
      const u = unwrap(vm, a);
      if (u !== a) return unaryOp(vm, op, u);
    }
    return callSelf(vm, m, a, 0, LY.NONE, LY.NONE);
  }
  throw raise(vm, T.TYPE_ERROR, "bad operand type for unary " + UN_SYM[op] + ": '" + typeNameJs(vm, a) + "'");
}

// --- indices ---------------------------------------------------------------------------------------------------------

/** An index value (int, bool or __index__) as a JS number; TypeError otherwise. May be beyond 2^53 for big ints. */
export function toIndex(vm: Vm, w: number, what: string): number {
  if (w & 1) return w >> 1;
  if (w === LY.TRUE) return 1;
  if (w === LY.FALSE) return 0;
  if (isBig(vm, w)) {
    const x = intToDouble(vm, w);
    if (x > 2147483647 || x < -2147483648) throw raise(vm, T.OVERFLOW_ERROR, "cannot fit 'int' into an index-sized integer");
    return x;
  }
  const k = kindOf(vm, w);
  if (k === K.INST) {
    const m = lookupSpecial(vm, w, qw(Q.__index__));
    if (m !== LY.NULL) return toIndex(vm, callSelf(vm, m, w, 0, LY.NONE, LY.NONE), what);
    const u = unwrap(vm, w);
    if (u !== w) return toIndex(vm, u, what);
  }
  throw raise(vm, T.TYPE_ERROR, what + " indices must be integers or slices, not " + typeNameJs(vm, w));
}

/** Normalise index i into a sequence of length n; IndexError if out of range. */
export function seqIndex(vm: Vm, i: number, n: number, what: string): number {
  if (i < 0) i += n;
  if (i < 0 || i >= n) throw raise(vm, T.INDEX_ERROR, what + " index out of range");
  return i;
}

// Slice resolution results (start, stop, step, length) for a sequence of a given length.
export let slStart = 0;
export let slStop = 0;
export let slStep = 1;
export let slLen = 0;

/** Resolve slice object s against length n into slStart/slStop/slStep/slLen (as slice.indices does). */
export function resolveSlice(vm: Vm, s: number, n: number): void {
  const H = vm.H;
  const p = s >> 2;
  const stepW = H[p + 3];
  const step = stepW === LY.NONE ? 1 : toIndex(vm, stepW, "slice");
  if (step === 0) throw raise(vm, T.VALUE_ERROR, "slice step cannot be zero");
  const startW = H[p + 1];
  const stopW = H[p + 2];
  let start: number;
  let stop: number;
  if (step > 0) {
    start = startW === LY.NONE ? 0 : clampIndex(toIndex(vm, startW, "slice"), n, 0, n);
    stop = stopW === LY.NONE ? n : clampIndex(toIndex(vm, stopW, "slice"), n, 0, n);
  } else {
    start = startW === LY.NONE ? n - 1 : clampIndex(toIndex(vm, startW, "slice"), n, -1, n - 1);
    stop = stopW === LY.NONE ? -1 : clampIndex(toIndex(vm, stopW, "slice"), n, -1, n - 1);
  }
  slStart = start;
  slStop = stop;
  slStep = step;
  if (step > 0) slLen = stop > start ? Math.floor((stop - start - 1) / step) + 1 : 0;
  else slLen = start > stop ? Math.floor((start - stop - 1) / -step) + 1 : 0;
}

function clampIndex(i: number, n: number, lo: number, hi: number): number {
  if (i < 0) i += n;
  if (i < lo) return lo;
  if (i > hi) return hi;
  return i;
}

// --- length, membership ----------------------------------------------------------------------------------------------

export function lenOf(vm: Vm, w: number): number {
  const k = kindOf(vm, w);
  switch (k) {
    case K.STR:
      return vm.H[(w >> 2) + 3];
    case K.BYTES:
      return vm.H[(w >> 2) + 2];
    case K.BYTEARRAY:
      if (vm.H[(w >> 2) + 3] & 4) return (vm.H[(w >> 2) + LY.SEQ_LEN] >> 1) / (vm.H[(w >> 2) + 4] >> 9); // memoryview: items
    // falls through
    case K.TUPLE:
    case K.LIST:
      return vm.H[(w >> 2) + LY.SEQ_LEN] >> 1;
    case K.DICT:
    case K.SET:
    case K.FROZENSET:
      return vm.H[(w >> 2) + LY.D_USED] >> 1;
    case K.RANGE:
      return rangeLen(vm, w);
    case K.ITER: {
      const sub = vm.H[(w >> 2) + 1] >> 1;
      if (sub >= IT.DICT_VIEW_KEYS) return tableLen(vm, vm.H[(w >> 2) + 2]);
      break;
    }
    case K.INST:
    case K.NATIVE_OBJ: {
      const m = lookupSpecial(vm, w, qw(Q.__len__));
      if (m !== LY.NULL && (m & 3) !== 2) {
        const r = callSelf(vm, m, w, 0, LY.NONE, LY.NONE);
        if (!isIntLike(vm, r)) throw raise(vm, T.TYPE_ERROR, "'" + typeNameJs(vm, r) + "' object cannot be interpreted as an integer");
        const n = toIndex(vm, r, "len");
        if (n < 0) throw raise(vm, T.VALUE_ERROR, "__len__() should return >= 0");
        return n;
      }
      if (m !== LY.NULL) return callNativeLen(vm, m, w);
      const u = unwrap(vm, w);
      if (u !== w) return lenOf(vm, u);
      break;
    }
  }
  if ((w & 3) === 2 && w >> 2 >= 8192) return sclen(vm, w);
  throw raise(vm, T.TYPE_ERROR, "object of type '" + typeNameJs(vm, w) + "' has no len()");
}

function callNativeLen(vm: Vm, m: number, w: number): number {
  return toIndex(vm, callSelf(vm, m, w, 0, LY.NONE, LY.NONE), "len");
}
