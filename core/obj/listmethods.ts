// list, tuple, range, slice and the iterator types (enumerate, zip, map, filter, reversed): constructors and
// methods, and the binary operators of sequences (+, *, %, in-place forms) and of sets and dicts (| & - ^).
import { K, FALSE, LIST_ARR, IT, smi, imm, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise } from "../vm/exc";
import { native, defineAttrs, NF_KW, NF_METHOD } from "../vm/registry";
import { NF_PROP } from "../vm/attr";
import { defineCtor } from "./class";
import {
  kindOf, typeNameJs, toIndex, eq, truthy, setSeqBinary, rangeLen, lookupSpecial, bytesView, bvOff, bvLen, hashOf, lenOf,
  resolveSlice, slStart, slStop, slStep, richCompare,
} from "../vm/ops";
import { call1 } from "../vm/call";
import {
  newTuple, newList, listAppend, listReserve, listSetLen, seqItems, seqLen, copyWords, tupleFromStack,
} from "./seq";
import {
  listOf, extendList, getIter, newIter, iterNext, newBytearray, bytearrayData, bytearrayResize, bytearrayAssign, getItem, setItem, delItem, contains,
} from "./items";
import { reprJs } from "./repr";
import { sortWords } from "./sort";
import { allocStr, sbuf, soff, slen, sclen, jstr, str, qw, bytesFromJs } from "./str";
import { S as bytesJs, baFromJs } from "./strmethods";
import { percentFormat } from "./format";
import { isMemoryview } from "./memoryview";
import { dictUpdateFrom } from "./dictmethods";
import { isIntLike, intFromNumber, isBig, intToDouble } from "./num";
import { kwArg, checkKw } from "../modules/builtins";
import { tableCopy, tableFind, tableInsertNew, tableNext, entryKey, entryHash, entryValue, tableLen, dictSet, newTable } from "./dict";
import { setAdd, dictUpdate } from "../vm/support";

// --- list ------------------------------------------------------------------------------------------------------------

function listCtor(vm: Vm, a: number, n: number): number {
  if (n === 0) return newList(vm, 0, 0);
  return listOf(vm, vm.H[a]);
}

function listInit(vm: Vm, a: number, n: number): number {
  const l = vm.H[a];
  listSetLen(vm, l, 0);
  if (n > 1) extendList(vm, l, vm.H[a + 1]);
  return LY.NONE;
}

function listPop(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  const l = H[a];
  const len = H[(l >> 2) + LY.SEQ_LEN] >> 1;
  if (len === 0) throw raise(vm, T.INDEX_ERROR, "pop from empty list");
  let i = n > 1 ? intArg(vm, H[a + 1], "") : len - 1;
  if (i < 0) i += len;
  if (i < 0 || i >= len) throw raise(vm, T.INDEX_ERROR, "pop index out of range");
  const base = seqItems(vm, l);
  const v = H[base + i];
  copyWords(H, base + i, base + i + 1, len - i - 1);
  listSetLen(vm, l, len - 1);
  return v;
}

function listInsert(vm: Vm, a: number): number {
  const H = vm.H;
  const l = H[a];
  const len = H[(l >> 2) + LY.SEQ_LEN] >> 1;
  let i = intArg(vm, H[a + 1], "");
  if (i < 0) i += len;
  if (i < 0) i = 0;
  if (i > len) i = len;
  listReserve(vm, l, len + 1);
  const base = seqItems(vm, l);
  copyWords(H, base + i + 1, base + i, len - i);
  H[base + i] = H[a + 2];
  H[(l >> 2) + LY.SEQ_LEN] = smi(len + 1);
  return LY.NONE;
}

function seqIndexOf(vm: Vm, s: number, x: number, start: number, stop: number): number {
  const H = vm.H;
  const n = seqLen(vm, s);
  if (start < 0) start = start + n < 0 ? 0 : start + n;
  if (stop < 0) stop += n;
  if (stop > n) stop = n;
  for (let i = start; i < stop && i < seqLen(vm, s); i++) {
    const y = H[seqItems(vm, s) + i];
    if (y === x || eq(vm, y, x)) return i;
  }
  return -1;
}

/** An integer argument; `msg` is the TypeError otherwise ("" for "'x' object cannot be interpreted as an integer"). */
function intArg(vm: Vm, w: number, msg: string): number {
  if (!isIntLike(vm, w) && !(kindOf(vm, w) === K.INST && lookupSpecial(vm, w, qw(Q.__index__)) !== LY.NULL))
    throw raise(vm, T.TYPE_ERROR, msg || "'" + typeNameJs(vm, w) + "' object cannot be interpreted as an integer");
  return toIndex(vm, w, "");
}

const SLICE_IDX = "slice indices must be integers or have an __index__ method";

function seqIndex(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  const start = n > 2 ? intArg(vm, H[a + 2], SLICE_IDX) : 0;
  const stop = n > 3 ? intArg(vm, H[a + 3], SLICE_IDX) : 0x7fffffff;
  const i = seqIndexOf(vm, H[a], H[a + 1], start, stop);
  if (i < 0) throw raise(vm, T.VALUE_ERROR, kindOf(vm, H[a]) === K.LIST ? reprJs(vm, H[a + 1]) + " is not in list" : "tuple.index(x): x not in tuple");
  return smi(i);
}

function seqCount(vm: Vm, a: number): number {
  const H = vm.H;
  const s = H[a];
  let c = 0;
  for (let i = 0; i < seqLen(vm, s); i++) {
    const y = H[seqItems(vm, s) + i];
    if (y === H[a + 1] || eq(vm, y, H[a + 1])) c++;
  }
  return smi(c);
}

function listRemove(vm: Vm, a: number): number {
  const H = vm.H;
  const l = H[a];
  const i = seqIndexOf(vm, l, H[a + 1], 0, 0x7fffffff);
  if (i < 0) throw raise(vm, T.VALUE_ERROR, "list.remove(x): x not in list");
  const len = seqLen(vm, l);
  const base = seqItems(vm, l);
  copyWords(H, base + i, base + i + 1, len - i - 1);
  listSetLen(vm, l, len - 1);
  return LY.NONE;
}

function listReverse(vm: Vm, a: number): number {
  const H = vm.H;
  const l = H[a];
  const n = seqLen(vm, l);
  const b = seqItems(vm, l);
  for (let i = 0, j = n - 1; i < j; i++, j--) {
    const t = H[b + i];
    H[b + i] = H[b + j];
    H[b + j] = t;
  }
  return LY.NONE;
}

function listSort(vm: Vm, a: number, n: number, kw: number): number {
  if (n > 1) throw raise(vm, T.TYPE_ERROR, "sort() takes no positional arguments");
  checkKw(vm, "sort", kw, [qw(Q.key), qw(Q.reverse)]);
  const key = kwArg(vm, a, n, kw, qw(Q.key));
  const rev = kwArg(vm, a, n, kw, qw(Q.reverse));
  sortWords(vm, vm.H[a], key === LY.NULL ? LY.NONE : key, rev !== LY.NULL && truthy(vm, rev));
  return LY.NONE;
}

function listCopy(vm: Vm, a: number): number {
  const l = vm.H[a];
  const n = seqLen(vm, l);
  const c = newList(vm, n, n);
  copyWords(vm.H, seqItems(vm, c), seqItems(vm, l), n);
  return c;
}

// --- tuple -----------------------------------------------------------------------------------------------------------

function tupleCtor(vm: Vm, a: number, n: number): number {
  if (n === 0) return newTuple(vm, 0);
  const x = vm.H[a];
  if (kindOf(vm, x) === K.TUPLE) return x;
  const l = listOf(vm, x);
  vm.tpush(l);
  const t = tupleFromStack(vm, seqItems(vm, l), seqLen(vm, l));
  vm.tpop(1);
  return t;
}

// --- range, slice ----------------------------------------------------------------------------------------------------

function rangeArg(vm: Vm, w: number): number {
  if (!isIntLike(vm, w)) {
    const m = lookupSpecial(vm, w, qw(Q.__index__));
    if (m === LY.NULL) throw raise(vm, T.TYPE_ERROR, "'" + typeNameJs(vm, w) + "' object cannot be interpreted as an integer");
    w = call1(vm, m, w);
  }
  if (!(w & 1) && w !== LY.TRUE && w !== LY.FALSE) throw raise(vm, T.OVERFLOW_ERROR, "Python int too large to convert to C ssize_t");
  return toIndex(vm, w, "range");
}

function rangeCtor(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  let start = 0;
  let stop: number;
  let step = 1;
  if (n === 1) stop = rangeArg(vm, H[a]);
  else {
    start = rangeArg(vm, H[a]);
    stop = rangeArg(vm, H[a + 1]);
    if (n > 2) step = rangeArg(vm, H[a + 2]);
  }
  if (step === 0) throw raise(vm, T.VALUE_ERROR, "range() arg 3 must not be zero");
  const p = vm.alloc(K.RANGE, 4);
  H[p + 1] = smi(start);
  H[p + 2] = smi(stop);
  H[p + 3] = smi(step);
  return p << 2;
}

function rangeIndex(vm: Vm, a: number): number {
  const H = vm.H;
  const r = H[a];
  const x = H[a + 1];
  if (x & 1) {
    const p = r >> 2;
    const v = x >> 1;
    const start = H[p + 1] >> 1;
    const step = H[p + 3] >> 1;
    const i = (v - start) / step;
    if (i === Math.floor(i) && i >= 0 && i < rangeLen(vm, r)) return smi(i);
  }
  throw raise(vm, T.VALUE_ERROR, (x & 1 ? "" + (x >> 1) : "value") + " is not in range");
}

/** slice <op> slice: compared as (start, stop, step) tuples. */
export function sliceCompare(vm: Vm, op: number, a: number, b: number): number {
  const x = tupleFromStack(vm, (a >> 2) + 1, 3);
  vm.tpush(x);
  const y = tupleFromStack(vm, (b >> 2) + 1, 3);
  vm.tpush(y);
  const r = richCompare(vm, op, x, y);
  vm.tpop(2);
  return r;
}

/** slice.indices(length): (start, stop, step) clipped to a sequence of that length. */
function sliceIndices(vm: Vm, a: number): number {
  const lw = vm.H[a + 1];
  const len = isBig(vm, lw) ? intToDouble(vm, lw) : intArg(vm, lw, ""); // any length, up to 2^53 exactly
  if (len < 0) throw raise(vm, T.VALUE_ERROR, "length should not be negative");
  resolveSlice(vm, vm.H[a], len);
  const start = slStart;
  const stop = slStop;
  const step = slStep;
  const t = vm.tpush(newTuple(vm, 3));
  const b = (t >> 2) + LY.TUP_ITEMS;
  vm.H[b] = intFromNumber(vm, start); // (a length beyond small ints makes big ones: t stays rooted)
  vm.H[b + 1] = intFromNumber(vm, stop);
  vm.H[b + 2] = intFromNumber(vm, step);
  vm.tpop(1);
  return t;
}

function sliceCtor(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  const p = vm.alloc(K.SLICE, 4);
  if (n === 1) {
    H[p + 1] = LY.NONE;
    H[p + 2] = H[a];
    H[p + 3] = LY.NONE;
  } else {
    H[p + 1] = H[a];
    H[p + 2] = H[a + 1];
    H[p + 3] = n > 2 ? H[a + 2] : LY.NONE;
  }
  return p << 2;
}

// --- iterator constructors ---------------------------------------------------------------------------------------------

function enumerateCtor(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  checkKw(vm, "enumerate", kw, [qw(Q.iterable), qw(Q.start)]);
  const startW = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.start));
  const src = n > 0 ? H[a] : kwArg(vm, a, n, kw, qw(Q.iterable));
  if (src === LY.NULL) throw raise(vm, T.TYPE_ERROR, "enumerate() missing required argument 'iterable'");
  const it = getIter(vm, src);
  vm.tpush(it);
  const r = newIter(vm, IT.ENUMERATE, it, startW === LY.NULL ? 1 : startW, LY.NULL);
  vm.tpop(1);
  return r;
}

function zipCtor(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  checkKw(vm, "zip", kw, [qw(Q.strict)]);
  const strict = kwArg(vm, a, n, kw, qw(Q.strict));
  const its = newTuple(vm, n);
  vm.tpush(its);
  for (let i = 0; i < n; i++) H[(its >> 2) + LY.TUP_ITEMS + i] = getIter(vm, H[a + i]);
  const r = newIter(vm, IT.ZIP, its, strict !== LY.NULL && truthy(vm, strict) ? LY.TRUE : LY.FALSE, LY.NULL);
  vm.tpop(1);
  return r;
}

function mapCtor(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  const its = newTuple(vm, n - 1);
  vm.tpush(its);
  for (let i = 1; i < n; i++) H[(its >> 2) + LY.TUP_ITEMS + i - 1] = getIter(vm, H[a + i]);
  const r = newIter(vm, IT.MAP, H[a], its, LY.NULL);
  vm.tpop(1);
  return r;
}

function filterCtor(vm: Vm, a: number): number {
  const it = getIter(vm, vm.H[a + 1]);
  vm.tpush(it);
  const r = newIter(vm, IT.FILTER, vm.H[a], it, LY.NULL);
  vm.tpop(1);
  return r;
}

function reversedCtor(vm: Vm, a: number): number {
  const x = vm.H[a];
  const k = kindOf(vm, x);
  const m = lookupSpecial(vm, x, qw(Q.__reversed__));
  if (m !== LY.NULL && (m & 3) === 0) return call1(vm, m, x);
  if (k === K.RANGE) {
    const H = vm.H;
    const p = x >> 2;
    const n = rangeLen(vm, x);
    const start = H[p + 1] >> 1;
    const step = H[p + 3] >> 1;
    return newIter(vm, IT.RANGE, smi(start + (n - 1) * step), smi(start - step), smi(-step));
  }
  if (k === K.DICT || (k === K.ITER && vm.H[(x >> 2) + 1] >> 1 >= IT.DICT_VIEW_KEYS)) {
    // reverse insertion order: a list of the keys (values, items), reversed
    const l = listOf(vm, x);
    vm.tpush(l);
    const r = newIter(vm, IT.REVERSED, l, smi(seqLen(vm, l) - 1), LY.NULL);
    vm.tpop(1);
    return r;
  }
  if (k !== K.LIST && k !== K.TUPLE && lookupSpecial(vm, x, qw(Q.__getitem__)) === LY.NULL && !((x & 3) === 2 && x >> 2 >= 8192) && k !== K.STR && k !== K.BYTES && k !== K.BYTEARRAY)
    throw raise(vm, T.TYPE_ERROR, "'" + typeNameJs(vm, x) + "' object is not reversible");
  let len: number;
  if (k === K.LIST || k === K.TUPLE) len = seqLen(vm, x);
  else {
    const lm = lookupSpecial(vm, x, qw(Q.__len__));
    if (lm === LY.NULL && !((x & 3) === 2 || k === K.STR || k === K.BYTES || k === K.BYTEARRAY)) throw raise(vm, T.TYPE_ERROR, "'" + typeNameJs(vm, x) + "' object is not reversible");
    len = toIndex(vm, lenCall(vm, x), "len");
  }
  return newIter(vm, IT.REVERSED, x, smi(len - 1), LY.NULL);
}

let lenCall: (vm: Vm, x: number) => number = function () {
  return 1;
};

// --- sequence operators ----------------------------------------------------------------------------------------------

function isStrW(vm: Vm, w: number): boolean {
  return (w & 3) === 2 ? w >> 2 >= 8192 : kindOf(vm, w) === K.STR;
}

function concatStr(vm: Vm, a: number, b: number): number {
  const na = slen(vm, a);
  const nb = slen(vm, b);
  if (nb === 0) return a;
  if (na === 0) return b;
  const p = allocStr(vm, K.STR, na + nb, sclen(vm, a) + sclen(vm, b));
  const d = (p + LY.S_DATA) << 2;
  const U8 = vm.U8;
  const ba = sbuf(vm, a);
  const oa = soff(vm, a);
  // a long heap operand (s += piece) moves in one set() (no overlap: p is new)
  if (ba === U8 && na > 32) U8.set(U8.subarray(oa, oa + na), d);
  else for (let i = 0; i < na; i++) U8[d + i] = ba[oa + i];
  const bb = sbuf(vm, b);
  const ob = soff(vm, b);
  if (bb === U8 && nb > 32) U8.set(U8.subarray(ob, ob + nb), d + na);
  else for (let i = 0; i < nb; i++) U8[d + na + i] = bb[ob + i];
  return p << 2;
}

function repeatCount(vm: Vm, w: number): number {
  const n = toIndex(vm, w, "sequence");
  if (n > 1e9) throw raise(vm, T.OVERFLOW_ERROR, "cannot fit 'int' into an index-sized integer");
  return n < 0 ? 0 : n;
}

/** Operands of a user type can still answer through their reflected methods: builtin errors wait for those. */
function isUserKind(k: number): boolean {
  return k === K.INST || k === K.NATIVE_OBJ || k === K.EXC || k === K.TYPE;
}

/** A dict keys or items view (they behave as sets). */
function isSetView(vm: Vm, w: number): boolean {
  if (kindOf(vm, w) !== K.ITER) return false;
  const sub = vm.H[(w >> 2) + 1] >> 1;
  return sub === IT.DICT_VIEW_KEYS || sub === IT.DICT_VIEW_ITEMS;
}

function seqBinary(vm: Vm, op: number, a: number, b: number): number {
  const inplace = op >= 16;
  op &= 15;
  // a memoryview has no operators (but is a bytes-like right operand of bytes + and bytearray +=)
  const ka = isMemoryview(vm, a) ? -2 : kindOf(vm, a);
  const kb = op === 2 && isMemoryview(vm, b) ? -2 : kindOf(vm, b);
  const H = vm.H;
  const sa = isStrW(vm, a);
  const sb = isStrW(vm, b);
  // sequence * n (either order): a non-int count is an error unless the other operand may still answer
  if (op === 2) {
    const seqA = sa || ka === K.BYTES || ka === K.BYTEARRAY || ka === K.LIST || ka === K.TUPLE;
    const seqB = sb || kb === K.BYTES || kb === K.BYTEARRAY || kb === K.LIST || kb === K.TUPLE;
    if (seqA && !isIntLike(vm, b) && !isUserKind(kb) && !(seqB && isIntLike(vm, a)))
      throw raise(vm, T.TYPE_ERROR, "can't multiply sequence by non-int of type '" + typeNameJs(vm, b) + "'");
    if (seqB && !seqA && !isIntLike(vm, a) && !isUserKind(ka))
      throw raise(vm, T.TYPE_ERROR, "can't multiply sequence by non-int of type '" + typeNameJs(vm, a) + "'");
  }
  // str
  if (sa) {
    if (op === 0 && sb) return concatStr(vm, a, b);
    if (op === 2 && isIntLike(vm, b)) return repeatStr(vm, a, repeatCount(vm, b), K.STR);
    if (op === 6) return str(vm, percentFormat(vm, jstr(vm, a), b, false));
    if (op === 0 && !isUserKind(kb)) throw raise(vm, T.TYPE_ERROR, 'can only concatenate str (not "' + typeNameJs(vm, b) + '") to str');
    return LY.NOT_IMPLEMENTED;
  }
  if (op === 2 && sb && isIntLike(vm, a)) return repeatStr(vm, b, repeatCount(vm, a), K.STR);
  // dict keys and items views: set operations with any iterable, giving sets
  if ((op === 1 || op === 10 || op === 11 || op === 12) && (isSetView(vm, a) || isSetView(vm, b)) && !isUserKind(ka) && !isUserKind(kb)) {
    const x = toSet(vm, a);
    vm.tpush(x);
    const y = toSet(vm, b);
    vm.tpush(y);
    const r = setOp(vm, op, x, y, x !== a);
    vm.tpop(2);
    return r;
  }
  // bytes and bytearray
  if (ka === K.BYTES || ka === K.BYTEARRAY) {
    if (op === 0 && (kb === K.BYTES || kb === K.BYTEARRAY)) {
      if (inplace && ka === K.BYTEARRAY) {
        const bb = bytesView(vm, b);
        const ob = bvOff;
        const nb = bvLen;
        const copy: number[] = [];
        for (let i = 0; i < nb; i++) copy.push(bb[ob + i]);
        const na = H[(a >> 2) + LY.SEQ_LEN] >> 1;
        bytearrayResize(vm, a, na + nb);
        const d = bytearrayData(vm, a);
        for (let i = 0; i < nb; i++) vm.U8[d + na + i] = copy[i];
        return a;
      }
      const ba = bytesView(vm, a);
      const oa = bvOff;
      const na = bvLen;
      const res = ka === K.BYTES ? allocStr(vm, K.BYTES, na + bvLenOf(vm, b), na + bvLenOf(vm, b)) << 2 : newBytearray(vm, na + bvLenOf(vm, b));
      const d = ka === K.BYTES ? ((res >> 2) + LY.S_DATA) << 2 : bytearrayData(vm, res);
      const ba2 = bytesView(vm, a);
      for (let i = 0; i < na; i++) vm.U8[d + i] = ba2[bvOff + i];
      const bb = bytesView(vm, b);
      for (let i = 0; i < bvLen; i++) vm.U8[d + na + i] = bb[bvOff + i];
      void ba;
      void oa;
      return res;
    }
    if (op === 2 && isIntLike(vm, b)) {
      const r = repeatStr(vm, a, repeatCount(vm, b), ka);
      if (!inplace || ka !== K.BYTEARRAY) return r;
      // bytearray *= n changes the bytearray itself
      bytearrayAssign(vm, a, r);
      return a;
    }
    if (op === 6) {
      const s = percentFormat(vm, bytesJs(vm, a), b, true);
      return ka === K.BYTES ? bytesFromJs(vm, s) : baFromJs(vm, s);
    }
    if (op === 0 && !isUserKind(kb)) throw raise(vm, T.TYPE_ERROR, "can't concat " + typeNameJs(vm, b) + " to " + typeNameJs(vm, a));
    return LY.NOT_IMPLEMENTED;
  }
  if (op === 2 && (kb === K.BYTES || kb === K.BYTEARRAY) && isIntLike(vm, a)) return repeatStr(vm, b, repeatCount(vm, a), kb);
  // list and tuple
  if (ka === K.LIST || ka === K.TUPLE) {
    if (op === 0) {
      if (ka === K.LIST && inplace) {
        extendList(vm, a, b);
        return a;
      }
      if (kb !== ka) {
        if (isUserKind(kb)) return LY.NOT_IMPLEMENTED;
        const tn = ka === K.LIST ? "list" : "tuple";
        throw raise(vm, T.TYPE_ERROR, "can only concatenate " + tn + ' (not "' + typeNameJs(vm, b) + '") to ' + tn);
      }
      const na = seqLen(vm, a);
      const nb = seqLen(vm, b);
      const r = ka === K.LIST ? newList(vm, na + nb, na + nb) : newTuple(vm, na + nb);
      copyWords(H, seqItems(vm, r), seqItems(vm, a), na);
      copyWords(H, seqItems(vm, r) + na, seqItems(vm, b), nb);
      return r;
    }
    if (op === 2 && isIntLike(vm, b)) return repeatSeq(vm, a, repeatCount(vm, b), inplace);
    return LY.NOT_IMPLEMENTED;
  }
  if (op === 2 && (kb === K.LIST || kb === K.TUPLE) && isIntLike(vm, a)) return repeatSeq(vm, b, repeatCount(vm, a), false);
  // sets
  if ((ka === K.SET || ka === K.FROZENSET) && (kb === K.SET || kb === K.FROZENSET)) {
    if (op === 11 || op === 10 || op === 1 || op === 12) return setOp(vm, op, a, b, inplace && ka === K.SET);
    return LY.NOT_IMPLEMENTED;
  }
  // dicts: | and |=
  if (ka === K.DICT && op === 11) {
    if (inplace) {
      // |= takes whatever update() takes: a mapping or pairs
      dictUpdateFrom(vm, a, b);
      return a;
    }
    if (kb !== K.DICT) return LY.NOT_IMPLEMENTED;
    const c = tableCopy(vm, a, K.DICT);
    vm.tpush(c);
    dictUpdate(vm, c, b);
    vm.tpop(1);
    return c;
  }
  return LY.NOT_IMPLEMENTED;
}

/** A set or frozenset as is; a dict view or any other iterable as a new set of its items. */
export function toSet(vm: Vm, w: number): number {
  const k = kindOf(vm, w);
  if (k === K.SET || k === K.FROZENSET) return w;
  const s = newTable(vm, K.SET, 0);
  vm.tpush(s);
  const it = getIter(vm, w);
  vm.tpush(it);
  for (;;) {
    const x = iterNext(vm, it);
    if (x === LY.NULL) break;
    setAdd(vm, s, x);
  }
  vm.tpop(2);
  return s;
}

function bvLenOf(vm: Vm, w: number): number {
  bytesView(vm, w);
  return bvLen;
}

function repeatStr(vm: Vm, s: number, n: number, kind: number): number {
  const b0 = kind === K.STR ? sbuf(vm, s) : bytesView(vm, s);
  const len = kind === K.STR ? slen(vm, s) : bvLen;
  void b0;
  if (kind === K.STR && (n === 1 || len === 0)) return s;
  const total = len * n;
  if (total > 0x3fffffff) throw raise(vm, T.MEMORY_ERROR, null);
  let res: number;
  let d: number;
  if (kind === K.BYTEARRAY) {
    res = newBytearray(vm, total);
    d = bytearrayData(vm, res);
  } else {
    const p = allocStr(vm, kind, total, kind === K.STR ? sclen(vm, s) * n : total);
    res = p << 2;
    d = (p + LY.S_DATA) << 2;
  }
  const b = kind === K.STR ? sbuf(vm, s) : bytesView(vm, s);
  const o = kind === K.STR ? soff(vm, s) : bvOff;
  const U8 = vm.U8;
  for (let i = 0; i < len; i++) U8[d + i] = b[o + i];
  // double the filled part each step
  let filled = len;
  while (filled < total) {
    const c = filled < total - filled ? filled : total - filled;
    U8.set(U8.subarray(d, d + c), d + filled);
    filled += c;
  }
  return res;
}

function repeatSeq(vm: Vm, s: number, n: number, inplace: boolean): number {
  const H = vm.H;
  const k = kindOf(vm, s);
  const len = seqLen(vm, s);
  if (k === K.TUPLE && n === 1) return s;
  const total = len * n;
  if (total > 0x3fffffff) throw raise(vm, T.MEMORY_ERROR, null);
  let r: number;
  if (inplace && k === K.LIST) {
    listReserve(vm, s, total);
    r = s;
    H[(s >> 2) + LY.SEQ_LEN] = smi(total);
  } else r = k === K.LIST ? newList(vm, total, total) : newTuple(vm, total);
  const src = seqItems(vm, s);
  const dst = seqItems(vm, r);
  if (r !== s) for (let i = 0; i < len; i++) H[dst + i] = H[src + i];
  for (let j = 1; j < n; j++) for (let i = 0; i < len; i++) H[dst + j * len + i] = H[dst + i];
  if (n === 0 && r === s) listSetLen(vm, s, 0);
  return r;
}

/** a | b, a & b, a - b, a ^ b for sets (in place into a when asked). */
export function setOp(vm: Vm, op: number, a: number, b: number, inplace: boolean): number {
  const kind = kindOf(vm, a);
  let r = inplace ? a : tableCopy(vm, a, kind);
  vm.tpush(r);
  try {
    if (op === 11) {
      for (let i = tableNext(vm, b, 0); i >= 0; i = tableNext(vm, b, i + 1)) {
        const k = entryKey(vm, b, i);
        if (tableFind(vm, r, k, entryHash(vm, b, i)) < 0) tableInsertNew(vm, r, k, LY.NULL, entryHash(vm, b, i));
      }
    } else if (op === 10) {
      const out = newTable(vm, kind, 0);
      vm.tpush(out);
      for (let i = tableNext(vm, a, 0); i >= 0; i = tableNext(vm, a, i + 1)) {
        const k = entryKey(vm, a, i);
        if (tableFind(vm, b, k, entryHash(vm, a, i)) >= 0) tableInsertNew(vm, out, k, LY.NULL, entryHash(vm, a, i));
      }
      // out stays rooted while r is refilled from it (that may allocate)
      if (inplace) copyTableInto(vm, r, out);
      else r = out;
      vm.tpop(1);
    } else if (op === 1) {
      for (let i = tableNext(vm, b, 0); i >= 0; i = tableNext(vm, b, i + 1)) {
        const k = entryKey(vm, b, i);
        const j = tableFind(vm, r, k, entryHash(vm, b, i));
        if (j >= 0) deleteAt(vm, r, j);
      }
    } else {
      for (let i = tableNext(vm, b, 0); i >= 0; i = tableNext(vm, b, i + 1)) {
        const k = entryKey(vm, b, i);
        const j = tableFind(vm, r, k, entryHash(vm, b, i));
        if (j >= 0) deleteAt(vm, r, j);
        else if (tableFind(vm, a === r ? NULL_SET : a, k, entryHash(vm, b, i)) < 0) tableInsertNew(vm, r, k, LY.NULL, entryHash(vm, b, i));
      }
    }
    return r;
  } finally {
    vm.tpop(1);
  }
}

const NULL_SET = 0;

let deleteAt: (vm: Vm, d: number, i: number) => number = function () {
  return LY.NULL;
};
let copyTableInto: (vm: Vm, dst: number, src: number) => void = function () {};
export function setTableHelpers(d: (vm: Vm, t: number, i: number) => number, c: (vm: Vm, dst: number, src: number) => void, l: (vm: Vm, x: number) => number): void {
  deleteAt = d;
  copyTableInto = c;
  lenCall = l;
}

export function initLists(): void {
  setSeqBinary(seqBinary);
  defineCtor(T.LIST, native(Q.list, 0, 1, 0, listCtor));
  defineCtor(T.TUPLE, native(Q.tuple, 0, 1, 0, tupleCtor));
  defineCtor(T.RANGE, native(Q.range, 1, 3, 0, rangeCtor));
  defineCtor(T.SLICE, native(Q.slice, 1, 3, 0, sliceCtor));
  defineCtor(T.ENUMERATE, native(Q.enumerate, 0, 2, NF_KW, enumerateCtor));
  defineCtor(T.ZIP, native(Q.zip, 0, -1, NF_KW, zipCtor));
  defineCtor(T.MAP, native(Q.map, 2, -1, 0, mapCtor));
  defineCtor(T.FILTER, native(Q.filter, 2, 2, 0, filterCtor));
  defineCtor(T.REVERSED, native(Q.reversed, 1, 1, 0, reversedCtor));
  const count = native(Q.count, 2, 2, NF_METHOD, seqCount);
  const index = native(Q.index, 2, 4, NF_METHOD, seqIndex);
  defineAttrs(T.LIST, [
    Q.append, native(Q.append, 2, 2, NF_METHOD, function (vm, a) { listAppend(vm, vm.H[a], vm.H[a + 1]); return LY.NONE; }),
    Q.extend, native(Q.extend, 2, 2, NF_METHOD, function (vm, a) { extendList(vm, vm.H[a], vm.H[a + 1]); return LY.NONE; }),
    Q.pop, native(Q.pop, 1, 2, NF_METHOD, listPop),
    Q.insert, native(Q.insert, 3, 3, NF_METHOD, listInsert),
    Q.remove, native(Q.remove, 2, 2, NF_METHOD, listRemove),
    Q.index, index,
    Q.count, count,
    Q.reverse, native(Q.reverse, 1, 1, NF_METHOD, listReverse),
    Q.sort, native(Q.sort, 1, -1, NF_METHOD | NF_KW, listSort),
    Q.copy, native(Q.copy, 1, 1, NF_METHOD, listCopy),
    Q.clear, native(Q.clear, 1, 1, NF_METHOD, function (vm, a) { listSetLen(vm, vm.H[a], 0); return LY.NONE; }),
    Q.__init__, native(Q.__init__, 1, 2, NF_METHOD, listInit),
  ]);
  defineAttrs(T.TUPLE, [Q.index, index, Q.count, count]);
  defineAttrs(T.RANGE, [
    Q.start, native(Q.start, 1, 1, NF_PROP, function (vm, a) { return vm.H[(vm.H[a] >> 2) + 1]; }),
    Q.stop, native(Q.stop, 1, 1, NF_PROP, function (vm, a) { return vm.H[(vm.H[a] >> 2) + 2]; }),
    Q.step, native(Q.step, 1, 1, NF_PROP, function (vm, a) { return vm.H[(vm.H[a] >> 2) + 3]; }),
    Q.index, native(Q.index, 2, 2, NF_METHOD, rangeIndex),
    Q.count, native(Q.count, 2, 2, NF_METHOD, function (vm, a) {
      try {
        rangeIndex(vm, a);
        return 3;
      } catch (e) {
        vm.excValue = LY.NULL;
        return 1;
      }
    }),
  ]);
  // the container protocol as methods, for super().__getitem__(…) and friends in subclasses of builtins
  const selfOk = function (vm: Vm, a: number): number {
    const s = vm.H[a];
    if (kindOf(vm, s) === K.INST || kindOf(vm, s) === K.NATIVE_OBJ) throw raise(vm, T.TYPE_ERROR, "descriptor requires a builtin object, not '" + typeNameJs(vm, s) + "'");
    return s;
  };
  const gi = native(Q.__getitem__, 2, 2, NF_METHOD, function (vm, a) { return getItem(vm, selfOk(vm, a), vm.H[a + 1]); });
  const si = native(Q.__setitem__, 3, 3, NF_METHOD, function (vm, a) { setItem(vm, selfOk(vm, a), vm.H[a + 1], vm.H[a + 2]); return LY.NONE; });
  const di = native(Q.__delitem__, 2, 2, NF_METHOD, function (vm, a) { delItem(vm, selfOk(vm, a), vm.H[a + 1]); return LY.NONE; });
  const ln = native(Q.__len__, 1, 1, NF_METHOD, function (vm, a) { return smi(lenOf(vm, selfOk(vm, a))); });
  const ct = native(Q.__contains__, 2, 2, NF_METHOD, function (vm, a) { return contains(vm, selfOk(vm, a), vm.H[a + 1]) ? LY.TRUE : LY.FALSE; });
  const it = native(Q.__iter__, 1, 1, NF_METHOD, function (vm, a) { return getIter(vm, selfOk(vm, a)); });
  const ro = [Q.__getitem__, gi, Q.__len__, ln, Q.__contains__, ct, Q.__iter__, it];
  const rw = ro.concat([Q.__setitem__, si, Q.__delitem__, di]);
  defineAttrs(T.LIST, rw);
  defineAttrs(T.BYTEARRAY, rw);
  // tuple only gets __getitem__: attrtuple (a NATIVE_OBJ) inherits from it and iterates through its own __getitem__
  defineAttrs(T.TUPLE, [Q.__getitem__, gi]);
  defineAttrs(T.STR, ro);
  defineAttrs(T.BYTES, ro);
  defineAttrs(T.RANGE, ro);
  defineAttrs(T.SLICE, [
    Q.indices, native(Q.indices, 2, 2, NF_METHOD, sliceIndices),
    Q.start, native(Q.start, 1, 1, NF_PROP, function (vm, a) { return vm.H[(vm.H[a] >> 2) + 1]; }),
    Q.stop, native(Q.stop, 1, 1, NF_PROP, function (vm, a) { return vm.H[(vm.H[a] >> 2) + 2]; }),
    Q.step, native(Q.step, 1, 1, NF_PROP, function (vm, a) { return vm.H[(vm.H[a] >> 2) + 3]; }),
  ]);
  const iterSelf = native(Q.__iter__, 1, 1, NF_METHOD, function (vm, a) { return vm.H[a]; });
  const iterNextN = native(Q.__next__, 1, 1, NF_METHOD, function (vm, a) {
    const x = iterNext(vm, vm.H[a]);
    if (x === LY.NULL) throw raise(vm, T.STOP_ITERATION, null);
    return x;
  });
  const iters = [T.ITERATOR, T.ENUMERATE, T.ZIP, T.MAP, T.FILTER, T.REVERSED];
  for (let i = 0; i < iters.length; i++) defineAttrs(iters[i], [Q.__iter__, iterSelf, Q.__next__, iterNextN]);
}

export { FALSE, LIST_ARR, imm, intFromNumber, tableLen, entryValue, dictSet, hashOf, setAdd };
