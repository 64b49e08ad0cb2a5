// The collections module: deque (a ring buffer on the heap), OrderedDict and defaultdict (dict subclasses: INST
// objects of the static type wrapping a plain dict, as instances of user subclasses of dict are), and namedtuple
// (a real class made by makeClass over the static base T.NAMEDTUPLE_BASE, whose instances wrap a tuple).
// Types' methods are registered on first import (attrs), so a program that never imports collections pays nothing.
import { K, imm, smi, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise, raiseWith } from "../vm/exc";
import { native, defineModule, defineAttrs, NF_KW, NF_METHOD, NF_CLASSMETHOD, NF_SELF } from "../vm/registry";
import { defineCtor, makeClass } from "../obj/class";
import { NF_PROP, bindMethod } from "../vm/attr";
import { callNative, call0 } from "../vm/call";
import { kindOf, unwrap, typeNameJs, toIndex, hashOf, richCompare, eq, truthy, binaryOp, lookupSpecial } from "../vm/ops";
import { getIter, iterNext, listOf, newIter, setItem, getItem } from "../obj/items";
import {
  newDict, newTable, dictSet, dictGetStr, tableFind, tableDeleteAt, tableInsertNew, tableNext, entryKey, entryValue,
  entryHash, tableLen,
} from "../obj/dict";
import { newTuple, newList, listAppend, seqLen, seqItems } from "../obj/seq";
import { qw, jstr, str, intern, sbuf, soff, slen } from "../obj/str";
import { reprJs, dictRepr } from "../obj/repr";
import { typeOf, isSubtype, typeName, lookupType, isType } from "../obj/type";
import { staticAttr } from "../vm/registry";
import { kwArg, checkKw } from "./builtins";

// --- deque -----------------------------------------------------------------------------------------------------------
// NATIVE_OBJ [hdr, type, 0, ring ARRAY|NULL, head, len, maxlen (-1: unbounded), flags]. Items i is at
// ring[(head + i) % cap]. The ring grows by doubling up to maxlen.

const DQ_RING = 3;
const DQ_HEAD = 4;
const DQ_LEN = 5;
const DQ_MAX = 6;
const DQ_FLAGS = 7;
const DQ_SIZE = 8;

function dqCap(vm: Vm, p: number): number {
  const r = vm.H[p + DQ_RING];
  return r === LY.NULL ? 0 : (vm.H[r >> 2] >> 8) - 1;
}

/** The deque behind w (a deque or an instance of a subclass), or a TypeError. */
function dq(vm: Vm, w: number): number {
  const u = unwrap(vm, w);
  if (kindOf(vm, u) !== K.NATIVE_OBJ || !isSubtype(vm, typeOf(vm, u), imm(T.DEQUE)))
    throw raise(vm, T.TYPE_ERROR, "descriptor requires a 'collections.deque' object but received a '" + typeNameJs(vm, w) + "'");
  return u >> 2;
}

/** Word index of item i's slot. */
function dqSlot(vm: Vm, p: number, i: number): number {
  const H = vm.H;
  const cap = dqCap(vm, p);
  return (H[p + DQ_RING] >> 2) + 1 + (((H[p + DQ_HEAD] >> 1) + i) % cap);
}

/** Make room for one more item (the caller roots the item it is about to store). */
function dqGrow(vm: Vm, p: number): void {
  const H = vm.H;
  const n = H[p + DQ_LEN] >> 1;
  const cap = dqCap(vm, p);
  if (n < cap) return;
  const max = H[p + DQ_MAX] >> 1;
  let ncap = cap < 4 ? 4 : cap * 2;
  if (max >= 0 && ncap > max) ncap = max;
  const r = vm.alloc(K.ARRAY, 1 + ncap);
  const head = H[p + DQ_HEAD] >> 1;
  const old = H[p + DQ_RING];
  for (let i = 0; i < n; i++) H[r + 1 + i] = H[(old >> 2) + 1 + ((head + i) % cap)];
  H[p + DQ_RING] = r << 2;
  H[p + DQ_HEAD] = smi(0);
}

function dqPush(vm: Vm, p: number, x: number, left: boolean): void {
  const H = vm.H;
  const max = H[p + DQ_MAX] >> 1;
  let n = H[p + DQ_LEN] >> 1;
  if (n === max) {
    if ((H[p + DQ_FLAGS] >> 1) & 1) throw raise(vm, T.INDEX_ERROR, "full");
    if (max === 0) return;
    // drop from the other end
    if (!left) H[p + DQ_HEAD] = smi(((H[p + DQ_HEAD] >> 1) + 1) % dqCap(vm, p));
    n--;
    H[p + DQ_LEN] = smi(n);
  }
  vm.tpush(x);
  vm.tpush(p << 2);
  dqGrow(vm, p);
  vm.tpop(2);
  const cap = dqCap(vm, p);
  if (left) H[p + DQ_HEAD] = smi(((H[p + DQ_HEAD] >> 1) + cap - 1) % cap);
  H[p + DQ_LEN] = smi(n + 1);
  H[dqSlot(vm, p, left ? 0 : n)] = x;
}

function dqPop(vm: Vm, p: number, left: boolean): number {
  const H = vm.H;
  const n = H[p + DQ_LEN] >> 1;
  if (n === 0) throw raise(vm, T.INDEX_ERROR, "empty");
  const s = dqSlot(vm, p, left ? 0 : n - 1);
  const x = H[s];
  H[s] = LY.NULL;
  if (left) H[p + DQ_HEAD] = smi(((H[p + DQ_HEAD] >> 1) + 1) % dqCap(vm, p));
  H[p + DQ_LEN] = smi(n - 1);
  return x;
}

/** Fill deque p from an iterable (the deque itself is snapshotted first). */
function dqExtend(vm: Vm, p: number, src: number, left: boolean): void {
  if (src >> 2 === p || unwrap(vm, src) >> 2 === p) src = listOf(vm, src);
  vm.tpush(src);
  const it = getIter(vm, src);
  vm.tpush(it);
  try {
    for (;;) {
      const x = iterNext(vm, it);
      if (x === LY.NULL) break;
      dqPush(vm, p, x, left);
    }
  } finally {
    vm.tpop(2);
  }
}

/** deque(iterable, maxlen[, flags]) into a fresh or cleared deque p. */
function dqInit(vm: Vm, p: number, a: number, n: number, kw: number): void {
  const H = vm.H;
  checkKw(vm, "deque", kw, [qw(Q.iterable), qw(Q.maxlen)]);
  const itW = n > 0 ? H[a] : kwArg(vm, a, n, kw, qw(Q.iterable));
  const maxW = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.maxlen));
  // MicroPython: only bounded deques, so maxlen is required once an iterable is given (deque() is empty, unbounded;
  // an explicit maxlen=None is unbounded too, as in CPython)
  if (itW !== LY.NULL && maxW === LY.NULL) throw raise(vm, T.TYPE_ERROR, "deque() missing required argument 'maxlen' (pos 2)");
  let max = -1;
  if (maxW !== LY.NULL && maxW !== LY.NONE) {
    if (!(maxW & 1) && kindOf(vm, maxW) !== K.BIGINT && maxW !== LY.TRUE && maxW !== LY.FALSE)
      throw raise(vm, T.TYPE_ERROR, "an integer is required");
    max = toIndex(vm, maxW, "maxlen");
    if (max < 0) throw raise(vm, T.VALUE_ERROR, "maxlen must be non-negative");
    if (max > 0x3fffffff) throw raise(vm, T.OVERFLOW_ERROR, "Python int too large to convert to C ssize_t");
  }
  H[p + DQ_RING] = LY.NULL;
  H[p + DQ_HEAD] = smi(0);
  H[p + DQ_LEN] = smi(0);
  H[p + DQ_MAX] = smi(max);
  H[p + DQ_FLAGS] = smi(n > 2 && truthy(vm, H[a + 2]) ? 1 : 0);
  if (itW !== LY.NULL) dqExtend(vm, p, itW, false);
}

function dequeCtor(vm: Vm, a: number, n: number, kw: number): number {
  const p = vm.alloc(K.NATIVE_OBJ, DQ_SIZE);
  vm.H[p + 1] = imm(T.DEQUE);
  vm.tpush(p << 2);
  try {
    dqInit(vm, p, a, n, kw);
  } finally {
    vm.tpop(1);
  }
  return p << 2;
}

function dqIndex(vm: Vm, p: number, key: number): number {
  if (kindOf(vm, key) === K.SLICE) throw raise(vm, T.TYPE_ERROR, "sequence index must be integer, not 'slice'");
  const n = vm.H[p + DQ_LEN] >> 1;
  let i = toIndex(vm, key, "sequence");
  if (i < 0) i += n;
  if (i < 0 || i >= n) throw raise(vm, T.INDEX_ERROR, "deque index out of range");
  return dqSlot(vm, p, i);
}

/** Deques being printed: a deque inside itself prints as [...], and nesting is bounded (no deep JS recursion). */
const reprActive: number[] = [];

function dqRepr(vm: Vm, a: number): number {
  const H = vm.H;
  const p = dq(vm, H[a]);
  const name = jstr(vm, typeName(vm, typeOf(vm, H[a])));
  for (let i = 0; i < reprActive.length; i++) if (reprActive[i] === p) return str(vm, "[...]");
  if (reprActive.length >= 32) throw raise(vm, T.RECURSION_ERROR, "maximum recursion depth exceeded while getting the repr of an object");
  reprActive.push(p);
  let s = name + "([";
  try {
    for (let i = 0; i < H[p + DQ_LEN] >> 1; i++) s += (i ? ", " : "") + reprJs(vm, H[dqSlot(vm, p, i)]);
  } finally {
    reprActive.pop();
  }
  const max = H[p + DQ_MAX] >> 1;
  return str(vm, s + "]" + (max >= 0 ? ", maxlen=" + max + ")" : ")"));
}

function dqRotate(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  const p = dq(vm, H[a]);
  let k = n > 1 ? toIndex(vm, H[a + 1], "rotate") : 1;
  const len = H[p + DQ_LEN] >> 1;
  if (len < 2) return LY.NONE;
  k %= len;
  if (k < 0) k += len;
  // rotating right by k: the last k items come first
  for (let i = 0; i < k; i++) {
    const x = dqPop(vm, p, false);
    const cap = dqCap(vm, p);
    H[p + DQ_HEAD] = smi(((H[p + DQ_HEAD] >> 1) + cap - 1) % cap);
    H[p + DQ_LEN] = smi(len);
    H[dqSlot(vm, p, 0)] = x;
  }
  return LY.NONE;
}

function dequeAttrs(): void {
  defineCtor(T.DEQUE, native(Q.deque, 0, 3, NF_KW, dequeCtor));
  defineAttrs(T.DEQUE, [
    Q.append, native(Q.append, 2, 2, NF_METHOD, function (vm, a) { dqPush(vm, dq(vm, vm.H[a]), vm.H[a + 1], false); return LY.NONE; }),
    Q.appendleft, native(Q.appendleft, 2, 2, NF_METHOD, function (vm, a) { dqPush(vm, dq(vm, vm.H[a]), vm.H[a + 1], true); return LY.NONE; }),
    Q.pop, native(Q.pop, 1, 1, NF_METHOD, function (vm, a) { return dqPop(vm, dq(vm, vm.H[a]), false); }),
    Q.popleft, native(Q.popleft, 1, 1, NF_METHOD, function (vm, a) { return dqPop(vm, dq(vm, vm.H[a]), true); }),
    Q.extend, native(Q.extend, 2, 2, NF_METHOD, function (vm, a) { dqExtend(vm, dq(vm, vm.H[a]), vm.H[a + 1], false); return LY.NONE; }),
    Q.extendleft, native(Q.extendleft, 2, 2, NF_METHOD, function (vm, a) { dqExtend(vm, dq(vm, vm.H[a]), vm.H[a + 1], true); return LY.NONE; }),
    Q.clear, native(Q.clear, 1, 1, NF_METHOD, function (vm, a) {
      const p = dq(vm, vm.H[a]);
      vm.H[p + DQ_RING] = LY.NULL;
      vm.H[p + DQ_HEAD] = smi(0);
      vm.H[p + DQ_LEN] = smi(0);
      return LY.NONE;
    }),
    Q.rotate, native(Q.rotate, 1, 2, NF_METHOD, dqRotate),
    Q.maxlen, native(Q.maxlen, 1, 1, NF_PROP, function (vm, a) {
      const m = vm.H[dq(vm, vm.H[a]) + DQ_MAX] >> 1;
      return m < 0 ? LY.NONE : smi(m);
    }),
    Q.__len__, native(Q.__len__, 1, 1, NF_METHOD, function (vm, a) { return vm.H[dq(vm, vm.H[a]) + DQ_LEN]; }),
    Q.__iter__, native(Q.__iter__, 1, 1, NF_METHOD, function (vm, a) { return newIter(vm, 13 /* IT.GETITEM */, vm.H[a], smi(0), LY.NULL); }),
    Q.__getitem__, native(Q.__getitem__, 2, 2, NF_METHOD, function (vm, a) {
      return vm.H[dqIndex(vm, dq(vm, vm.H[a]), vm.H[a + 1])];
    }),
    Q.__setitem__, native(Q.__setitem__, 3, 3, NF_METHOD, function (vm, a) {
      vm.H[dqIndex(vm, dq(vm, vm.H[a]), vm.H[a + 1])] = vm.H[a + 2];
      return LY.NONE;
    }),
    Q.__repr__, native(Q.__repr__, 1, 1, NF_METHOD | NF_SELF, dqRepr),
    Q.__init__, native(Q.__init__, 1, 4, NF_METHOD | NF_KW, function (vm, a, n, kw) {
      dqInit(vm, dq(vm, vm.H[a]), a + 1, n - 1, kw);
      return LY.NONE;
    }),
  ]);
}

// --- OrderedDict and defaultdict -----------------------------------------------------------------------------------
// Both are INST [hdr, type, dict|0, dict]: the dict methods (owner T.DICT) see the wrapped dict. defaultdict keeps
// its default_factory in the instance dict, so subclasses and attribute assignment need nothing special.

/** Wrap dict d (rooted by the caller) in an instance of static type t. */
function wrapDict(vm: Vm, t: number, d: number): number {
  const p = vm.alloc(K.INST, LY.I_SIZE);
  vm.H[p + LY.I_TYPE] = imm(t);
  vm.H[p + LY.I_NATIVE] = d;
  return p << 2;
}

/** The dict a mapping argument wraps (dict, OrderedDict, subclass instance), or NULL. */
function dictOf(vm: Vm, w: number): number {
  const u = unwrap(vm, w);
  return kindOf(vm, u) === K.DICT ? u : LY.NULL;
}

/** dict.__init__ (the builtin's) applied to d with the arguments at a: H[a-1] is the call's scratch slot. */
function fillDict(vm: Vm, d: number, a: number, n: number, kw: number): void {
  vm.H[a - 1] = d;
  callNative(vm, staticAttr(T.DICT, qw(Q.__init__)), a - 1, n + 1, kw, LY.NULL);
}

function orderedDictCtor(vm: Vm, a: number, n: number, kw: number): number {
  const d = newDict(vm);
  fillDict(vm, d, a, n, kw); // roots d in H[a-1]
  return wrapDict(vm, T.ORDERED_DICT, vm.H[a - 1]);
}

/** Rebuild d's entries so that entry `first` comes first (move_to_end(key, last=False)). */
function moveToFront(vm: Vm, d: number, first: number): void {
  const H = vm.H;
  const n = tableLen(vm, d);
  vm.tpush(d);
  const c = newTable(vm, K.DICT, n);
  vm.tpush(c);
  tableInsertNew(vm, c, entryKey(vm, d, first), entryValue(vm, d, first), entryHash(vm, d, first));
  for (let i = tableNext(vm, d, 0); i >= 0; i = tableNext(vm, d, i + 1))
    if (i !== first) tableInsertNew(vm, c, entryKey(vm, d, i), entryValue(vm, d, i), entryHash(vm, d, i));
  vm.tpop(2);
  const dp = d >> 2;
  const cp = c >> 2;
  H[dp + LY.D_USED] = H[cp + LY.D_USED];
  H[dp + LY.D_NENT] = H[cp + LY.D_NENT];
  H[dp + LY.D_ENT] = H[cp + LY.D_ENT];
  H[dp + LY.D_INDEX] = H[cp + LY.D_INDEX];
}

function odMoveToEnd(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  checkKw(vm, "move_to_end", kw, [qw(Q.last)]);
  const d = H[a];
  const key = H[a + 1];
  const lastW = n > 2 ? H[a + 2] : kwArg(vm, a, n, kw, qw(Q.last));
  const i = tableFind(vm, d, key, hashOf(vm, key));
  if (i < 0) throw raiseWith(vm, T.KEY_ERROR, key);
  if (lastW !== LY.NULL && !truthy(vm, lastW)) {
    moveToFront(vm, d, i);
    return LY.NONE;
  }
  const k = entryKey(vm, d, i);
  const v = entryValue(vm, d, i);
  const h = entryHash(vm, d, i);
  vm.tpush(k);
  vm.tpush(v);
  tableDeleteAt(vm, d, i);
  tableInsertNew(vm, d, k, v, h);
  vm.tpop(2);
  return LY.NONE;
}

function odPopitem(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  checkKw(vm, "popitem", kw, [qw(Q.last)]);
  const d = H[a];
  const lastW = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.last));
  let i = -1;
  if (lastW !== LY.NULL && !truthy(vm, lastW)) i = tableNext(vm, d, 0);
  else for (let j = tableNext(vm, d, 0); j >= 0; j = tableNext(vm, d, j + 1)) i = j;
  if (i < 0) throw raise(vm, T.KEY_ERROR, "dictionary is empty");
  const t = newTuple(vm, 2);
  H[(t >> 2) + LY.TUP_ITEMS] = entryKey(vm, d, i);
  H[(t >> 2) + LY.TUP_ITEMS + 1] = entryValue(vm, d, i);
  tableDeleteAt(vm, d, i);
  return t;
}

/** OrderedDict == other: order matters between two OrderedDicts, not against a plain dict. */
function odEq(vm: Vm, a: number, ne: boolean): number {
  const H = vm.H;
  const d = dictOf(vm, H[a]);
  const other = H[a + 1];
  const od = dictOf(vm, other);
  if (d === LY.NULL) throw raise(vm, T.TYPE_ERROR, "descriptor requires a 'collections.OrderedDict' object");
  if (od === LY.NULL) return LY.NOT_IMPLEMENTED;
  let same: boolean;
  if (isSubtype(vm, typeOf(vm, other), imm(T.ORDERED_DICT))) {
    same = tableLen(vm, d) === tableLen(vm, od);
    let i = tableNext(vm, d, 0);
    let j = tableNext(vm, od, 0);
    while (same && i >= 0 && j >= 0) {
      if (!eq(vm, entryKey(vm, d, i), entryKey(vm, od, j)) || !eq(vm, entryValue(vm, d, i), entryValue(vm, od, j))) same = false;
      i = tableNext(vm, d, i + 1);
      j = tableNext(vm, od, j + 1);
    }
  } else same = richCompare(vm, 2, d, od) === LY.TRUE;
  return same !== ne ? LY.TRUE : LY.FALSE;
}

function defaultFactory(vm: Vm, self: number): number {
  if (kindOf(vm, self) !== K.INST) return LY.NONE;
  const idict = vm.H[(self >> 2) + LY.I_DICT];
  const f = idict === LY.NULL ? LY.NULL : dictGetStr(vm, idict, qw(Q.default_factory));
  return f === LY.NULL ? LY.NONE : f;
}

/** Set up defaultdict instance self (INST) from (default_factory, mapping or pairs, **kw) at a. */
function ddInit(vm: Vm, self: number, a: number, n: number, kw: number): void {
  const H = vm.H;
  const f = n > 0 ? H[a] : LY.NONE;
  if (f !== LY.NONE && !isCallable(vm, f)) throw raise(vm, T.TYPE_ERROR, "first argument must be callable or None");
  let idict = H[(self >> 2) + LY.I_DICT];
  if (idict === LY.NULL) {
    idict = newDict(vm);
    H[(self >> 2) + LY.I_DICT] = idict;
  }
  dictSet(vm, idict, qw(Q.default_factory), f);
  const d = H[(self >> 2) + LY.I_NATIVE];
  // the remaining arguments fill the dict: shift them down over the factory
  if (n > 0) fillDict(vm, d, a + 1, n - 1, kw);
  else if (kw !== LY.NULL) fillDict(vm, d, a, 0, kw);
}

function isCallable(vm: Vm, f: number): boolean {
  const k = kindOf(vm, f);
  if (k === K.FUNC || k === K.BOUND || k === K.TYPE || isType(vm, f) || k === K.STATICMETHOD) return true;
  if ((f & 3) === 2 && f >> 2 >= 512 && f >> 2 < 8192) return true;
  return lookupSpecial(vm, f, qw(Q.__call__)) !== LY.NULL;
}

function defaultDictCtor(vm: Vm, a: number, n: number, kw: number): number {
  const d = newDict(vm);
  vm.tpush(d);
  const self = wrapDict(vm, T.DEFAULT_DICT, d);
  vm.tr[vm.tn - 1] = self;
  try {
    ddInit(vm, self, a, n, kw);
  } finally {
    vm.tpop(1);
  }
  return self;
}

function ddMissing(vm: Vm, a: number): number {
  const H = vm.H;
  const self = H[a];
  const key = H[a + 1];
  const f = defaultFactory(vm, self);
  if (f === LY.NONE) throw raiseWith(vm, T.KEY_ERROR, key);
  const v = call0(vm, f);
  vm.tpush(v);
  setItem(vm, self, key, v);
  vm.tpop(1);
  return v;
}

function dictAttrs(): void {
  defineCtor(T.ORDERED_DICT, native(Q.OrderedDict, 0, 1, NF_KW, orderedDictCtor));
  defineAttrs(T.ORDERED_DICT, [
    Q.move_to_end, native(Q.move_to_end, 2, 3, NF_METHOD | NF_KW, odMoveToEnd),
    Q.popitem, native(Q.popitem, 1, 2, NF_METHOD | NF_KW, odPopitem),
    Q.copy, native(Q.copy, 1, 1, NF_METHOD, function (vm, a) {
      const d = newDict(vm);
      vm.tpush(d);
      const src = vm.H[a];
      for (let i = tableNext(vm, src, 0); i >= 0; i = tableNext(vm, src, i + 1))
        tableInsertNew(vm, d, entryKey(vm, src, i), entryValue(vm, src, i), entryHash(vm, src, i));
      const r = wrapDict(vm, T.ORDERED_DICT, d);
      vm.tpop(1);
      return r;
    }),
    Q.__eq__, native(Q.__eq__, 2, 2, NF_METHOD | NF_SELF, function (vm, a) { return odEq(vm, a, false); }),
    Q.__ne__, native(Q.__ne__, 2, 2, NF_METHOD | NF_SELF, function (vm, a) { return odEq(vm, a, true); }),
    Q.__repr__, native(Q.__repr__, 1, 1, NF_METHOD | NF_SELF, function (vm, a) {
      const self = vm.H[a];
      const d = dictOf(vm, self);
      return str(vm, dictRepr(vm, d, jstr(vm, typeName(vm, typeOf(vm, self))) + "(", ")"));
    }),
  ]);
  defineCtor(T.DEFAULT_DICT, native(Q.defaultdict, 0, -1, NF_KW, defaultDictCtor));
  defineAttrs(T.DEFAULT_DICT, [
    Q.__missing__, native(Q.__missing__, 2, 2, NF_METHOD | NF_SELF, ddMissing),
    Q.__init__, native(Q.__init__, 1, -1, NF_METHOD | NF_SELF | NF_KW, function (vm, a, n, kw) {
      const self = vm.H[a];
      if (dictOf(vm, self) === LY.NULL || kindOf(vm, self) !== K.INST) throw raise(vm, T.TYPE_ERROR, "descriptor '__init__' requires a 'collections.defaultdict' object");
      ddInit(vm, self, a + 1, n - 1, kw);
      return LY.NONE;
    }),
    Q.copy, native(Q.copy, 1, 1, NF_METHOD | NF_SELF, function (vm, a) {
      const self = vm.H[a];
      const src = dictOf(vm, self);
      const d = newDict(vm);
      vm.tpush(d);
      for (let i = tableNext(vm, src, 0); i >= 0; i = tableNext(vm, src, i + 1))
        tableInsertNew(vm, d, entryKey(vm, src, i), entryValue(vm, src, i), entryHash(vm, src, i));
      const r = wrapDict(vm, T.DEFAULT_DICT, d);
      vm.tr[vm.tn - 1] = r;
      const idict = newDict(vm);
      vm.H[(r >> 2) + LY.I_DICT] = idict;
      dictSet(vm, idict, qw(Q.default_factory), defaultFactory(vm, self));
      vm.tpop(1);
      return r;
    }),
    Q.__repr__, native(Q.__repr__, 1, 1, NF_METHOD | NF_SELF, function (vm, a) {
      const self = vm.H[a];
      const d = dictOf(vm, self);
      const f = defaultFactory(vm, self);
      return str(vm, dictRepr(vm, d, jstr(vm, typeName(vm, typeOf(vm, self))) + "(" + reprJs(vm, f) + ", ", ")"));
    }),
  ]);
}

// --- namedtuple ------------------------------------------------------------------------------------------------------
// namedtuple(name, fields) makes class name(namedtuple) with _fields, _field_defaults, a __new__ (a staticmethod of
// the shared native below) and one property per field whose getter is a native bound to the field's index. The
// shared methods (_asdict, _replace, _make, __repr__) live on the static base.

const KEYWORDS = " False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield ";

/** The tuple behind a namedtuple instance (or a plain tuple). */
function ntTuple(vm: Vm, w: number): number {
  const u = unwrap(vm, w);
  if (kindOf(vm, u) !== K.TUPLE) throw raise(vm, T.TYPE_ERROR, "descriptor requires a 'tuple' object but received a '" + typeNameJs(vm, w) + "'");
  return u;
}

function ntFields(vm: Vm, cls: number): number {
  const f = lookupType(vm, cls, qw(Q._fields));
  if (f === LY.NULL || kindOf(vm, f) !== K.TUPLE) throw raise(vm, T.TYPE_ERROR, "not a namedtuple class");
  return f;
}

/** A new instance of namedtuple class cls wrapping tuple t (rooted by the caller). */
function ntWrap(vm: Vm, cls: number, t: number): number {
  const p = vm.alloc(K.INST, LY.I_SIZE);
  vm.H[p + LY.I_TYPE] = cls;
  vm.H[p + LY.I_NATIVE] = t;
  return p << 2;
}

/** __new__(cls, *args, **kw): bind the arguments to the fields. */
function ntNew(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  const cls = H[a];
  if (!isType(vm, cls)) throw raise(vm, T.TYPE_ERROR, "__new__(X): X is not a type object (" + typeNameJs(vm, cls) + ")");
  const fields = ntFields(vm, cls);
  const nf = seqLen(vm, fields);
  const np = n - 1;
  const fname = jstr(vm, typeName(vm, cls)) + ".__new__()";
  if (np > nf) {
    const defaults = lookupType(vm, cls, qw(Q._field_defaults));
    const nd = defaults !== LY.NULL && kindOf(vm, defaults) === K.DICT ? tableLen(vm, defaults) : 0;
    throw raise(vm, T.TYPE_ERROR, fname + " takes " + (nd ? "from " + (nf - nd + 1) + " to " : "") + (nf + 1) + " positional arguments but " + n + " were given");
  }
  const t = newTuple(vm, nf);
  vm.tpush(t);
  try {
    const tp = (t >> 2) + LY.TUP_ITEMS;
    for (let i = 0; i < np; i++) H[tp + i] = H[a + 1 + i];
    const nk = kw === LY.NULL ? 0 : H[(kw >> 2) + LY.SEQ_LEN] >> 1;
    for (let j = 0; j < nk; j++) {
      const k = H[(kw >> 2) + LY.TUP_ITEMS + j];
      let fi = -1;
      for (let i = 0; i < nf; i++) if (eq(vm, H[(fields >> 2) + LY.TUP_ITEMS + i], k)) fi = i;
      if (fi < 0) throw raise(vm, T.TYPE_ERROR, fname + " got an unexpected keyword argument '" + jstr(vm, k) + "'");
      if (H[tp + fi] !== LY.NULL) throw raise(vm, T.TYPE_ERROR, fname + " got multiple values for argument '" + jstr(vm, k) + "'");
      H[tp + fi] = H[a + n + j];
    }
    let defaults = LY.NULL;
    let missing = "";
    let nmiss = 0;
    for (let i = 0; i < nf; i++) {
      if (H[tp + i] !== LY.NULL) continue;
      if (defaults === LY.NULL) defaults = lookupType(vm, cls, qw(Q._field_defaults));
      const dv = defaults !== LY.NULL && kindOf(vm, defaults) === K.DICT ? dictGetStr(vm, defaults, H[(fields >> 2) + LY.TUP_ITEMS + i]) : LY.NULL;
      if (dv !== LY.NULL) H[tp + i] = dv;
      else {
        missing += (nmiss ? ", " : "") + "'" + jstr(vm, H[(fields >> 2) + LY.TUP_ITEMS + i]) + "'";
        nmiss++;
      }
    }
    if (nmiss) throw raise(vm, T.TYPE_ERROR, fname + " missing " + nmiss + " required positional argument" + (nmiss > 1 ? "s" : "") + ": " + missing);
    return ntWrap(vm, cls, t);
  } finally {
    vm.tpop(1);
  }
}

/** A property getter bound to a field index: called as getter(index, self). */
function ntGet(vm: Vm, a: number): number {
  const H = vm.H;
  const t = ntTuple(vm, H[a + 1]);
  const i = H[a] >> 1;
  if (i >= seqLen(vm, t)) throw raise(vm, T.INDEX_ERROR, "tuple index out of range");
  return H[(t >> 2) + LY.TUP_ITEMS + i];
}

function isIdent(b: Uint8Array, o: number, n: number): boolean {
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = b[o + i];
    const alpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
    if (!alpha && (i === 0 || c < 48 || c > 57)) return false;
  }
  return true;
}

/** The field names as a list of str: a string split on commas and white space, or any iterable of str. */
function fieldList(vm: Vm, spec: number): number {
  if (!((spec & 3) === 2 ? spec >> 2 >= 8192 : kindOf(vm, spec) === K.STR)) return listOf(vm, spec);
  const s = jstr(vm, spec);
  const l = newList(vm, 0, 0);
  vm.tpush(l);
  let start = -1;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 32;
    const sep = c === 44 || c === 32 || (c >= 9 && c <= 13);
    if (!sep && start < 0) start = i;
    else if (sep && start >= 0) {
      listAppend(vm, l, str(vm, s.substring(start, i)));
      start = -1;
    }
  }
  vm.tpop(1);
  return l;
}

function tuple1Of(vm: Vm, x: number): number {
  const t = newTuple(vm, 1);
  vm.H[(t >> 2) + LY.TUP_ITEMS] = x;
  return t;
}

function namedtupleFn(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  checkKw(vm, "namedtuple", kw, [qw(Q.rename), qw(Q.defaults), qw(Q.module)]);
  const nameW = H[a];
  if ((nameW & 3) === 2 ? nameW >> 2 < 8192 : kindOf(vm, nameW) !== K.STR)
    throw raise(vm, T.TYPE_ERROR, "namedtuple() argument 1 must be str, not " + typeNameJs(vm, nameW));
  const renameW = kwArg(vm, a, n, kw, qw(Q.rename));
  const rename = renameW !== LY.NULL && truthy(vm, renameW);
  const defaultsW = kwArg(vm, a, n, kw, qw(Q.defaults));
  const moduleW = kwArg(vm, a, n, kw, qw(Q.module));
  const names = fieldList(vm, H[a + 1]);
  vm.tpush(names);
  let rooted = 1;
  try {
    const nf = seqLen(vm, names);
    const nameJs = jstr(vm, nameW);
    if (!isIdent(sbuf(vm, nameW), soff(vm, nameW), slen(vm, nameW)))
      throw raise(vm, T.VALUE_ERROR, "Type names and field names must be valid identifiers: '" + nameJs + "'");
    if (KEYWORDS.indexOf(" " + nameJs + " ") >= 0) throw raise(vm, T.VALUE_ERROR, "Type names and field names cannot be a keyword: '" + nameJs + "'");
    const fields = newTuple(vm, nf);
    vm.tpush(fields);
    rooted++;
    for (let i = 0; i < nf; i++) {
      let f = H[seqItems(vm, names) + i];
      if ((f & 3) === 2 ? f >> 2 < 8192 : kindOf(vm, f) !== K.STR) throw raise(vm, T.TYPE_ERROR, "Type names and field names must be strings");
      const fj = jstr(vm, f);
      const ident = isIdent(sbuf(vm, f), soff(vm, f), slen(vm, f));
      const kwd = KEYWORDS.indexOf(" " + fj + " ") >= 0;
      let dup = false;
      for (let j = 0; j < i; j++) if (jstr(vm, H[(fields >> 2) + LY.TUP_ITEMS + j]) === fj) dup = true;
      if (rename && (!ident || kwd || dup || fj.charAt(0) === "_")) f = str(vm, "_" + i);
      else if (!ident) throw raise(vm, T.VALUE_ERROR, "Type names and field names must be valid identifiers: '" + fj + "'");
      else if (kwd) throw raise(vm, T.VALUE_ERROR, "Type names and field names cannot be a keyword: '" + fj + "'");
      else if (fj.charAt(0) === "_") throw raise(vm, T.VALUE_ERROR, "Field names cannot start with an underscore: '" + fj + "'");
      else if (dup) throw raise(vm, T.VALUE_ERROR, "Encountered duplicate field name: '" + fj + "'");
      H[(fields >> 2) + LY.TUP_ITEMS + i] = intern(vm, f);
    }
    // the namespace
    const ns = newDict(vm);
    vm.tpush(ns);
    rooted++;
    dictSet(vm, ns, qw(Q._fields), fields);
    const fd = vm.tpush(newDict(vm));
    rooted++;
    dictSet(vm, ns, qw(Q._field_defaults), fd);
    if (defaultsW !== LY.NULL && defaultsW !== LY.NONE) {
      const dl = listOf(vm, defaultsW);
      vm.tpush(dl);
      const nd = seqLen(vm, dl);
      if (nd > nf) throw raise(vm, T.TYPE_ERROR, "Got more default values than field names");
      for (let i = 0; i < nd; i++) dictSet(vm, fd, H[(fields >> 2) + LY.TUP_ITEMS + nf - nd + i], H[seqItems(vm, dl) + i]);
      vm.tpop(1);
    }
    let mod = moduleW !== LY.NULL && moduleW !== LY.NONE ? moduleW : LY.NULL;
    if (mod === LY.NULL && vm.frame) mod = dictGetStr(vm, H[vm.frame + LY.F_GLOBALS], qw(Q.__name__));
    if (mod !== LY.NULL) dictSet(vm, ns, qw(Q.__module__), mod);
    const sm = vm.alloc(K.STATICMETHOD, 2);
    H[sm + 1] = ntNewNative;
    vm.tpush(sm << 2);
    rooted++;
    dictSet(vm, ns, qw(Q.__new__), sm << 2);
    for (let i = 0; i < nf; i++) {
      const g = bindMethod(vm, ntGetNative, smi(i));
      vm.tpush(g);
      const prop = vm.alloc(K.PROPERTY, 5);
      vm.tpop(1);
      H[prop + 1] = g;
      H[prop + 2] = LY.NONE;
      H[prop + 3] = LY.NONE;
      H[prop + 4] = LY.NONE;
      vm.tpush(prop << 2);
      dictSet(vm, ns, H[(fields >> 2) + LY.TUP_ITEMS + i], prop << 2);
      vm.tpop(1);
    }
    const bases = tuple1Of(vm, imm(T.NAMEDTUPLE_BASE));
    vm.tpush(bases);
    rooted++;
    return makeClass(vm, imm(T.TYPE), intern(vm, nameW), bases, ns);
  } finally {
    vm.tpop(rooted);
  }
}

let ntNewNative = LY.NULL;
let ntGetNative = LY.NULL;

function ntRepr(vm: Vm, a: number): number {
  const H = vm.H;
  const self = H[a];
  const t = ntTuple(vm, self);
  const fields = ntFields(vm, typeOf(vm, self));
  let s = jstr(vm, typeName(vm, typeOf(vm, self))) + "(";
  const n = seqLen(vm, t);
  for (let i = 0; i < n; i++) {
    if (i) s += ", ";
    if (i < seqLen(vm, fields)) s += jstr(vm, H[(fields >> 2) + LY.TUP_ITEMS + i]) + "=";
    s += reprJs(vm, H[(t >> 2) + LY.TUP_ITEMS + i]);
  }
  return str(vm, s + ")");
}

function ntAsdict(vm: Vm, a: number): number {
  const H = vm.H;
  const self = H[a];
  const t = ntTuple(vm, self);
  const fields = ntFields(vm, typeOf(vm, self));
  const d = newDict(vm);
  vm.tpush(d);
  const n = seqLen(vm, t);
  for (let i = 0; i < n && i < seqLen(vm, fields); i++) dictSet(vm, d, H[(fields >> 2) + LY.TUP_ITEMS + i], H[(t >> 2) + LY.TUP_ITEMS + i]);
  vm.tpop(1);
  return d;
}

function ntReplace(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  const self = H[a];
  const cls = typeOf(vm, self);
  const src = ntTuple(vm, self);
  const fields = ntFields(vm, cls);
  const nf = seqLen(vm, src);
  const t = newTuple(vm, nf);
  for (let i = 0; i < nf; i++) H[(t >> 2) + LY.TUP_ITEMS + i] = H[(src >> 2) + LY.TUP_ITEMS + i];
  vm.tpush(t);
  try {
    const nk = kw === LY.NULL ? 0 : H[(kw >> 2) + LY.SEQ_LEN] >> 1;
    let bad = "";
    for (let j = 0; j < nk; j++) {
      const k = H[(kw >> 2) + LY.TUP_ITEMS + j];
      let fi = -1;
      for (let i = 0; i < seqLen(vm, fields); i++) if (eq(vm, H[(fields >> 2) + LY.TUP_ITEMS + i], k)) fi = i;
      if (fi < 0 || fi >= nf) bad += (bad ? ", " : "") + reprJs(vm, k);
      else H[(t >> 2) + LY.TUP_ITEMS + fi] = H[a + n + j];
    }
    if (bad) throw raise(vm, T.VALUE_ERROR, "Got unexpected field names: [" + bad + "]");
    return ntWrap(vm, cls, t);
  } finally {
    vm.tpop(1);
  }
}

function ntMake(vm: Vm, a: number): number {
  const H = vm.H;
  const cls = H[a];
  const fields = ntFields(vm, cls);
  const l = listOf(vm, H[a + 1]);
  vm.tpush(l);
  const n = seqLen(vm, l);
  if (n !== seqLen(vm, fields)) {
    vm.tpop(1);
    throw raise(vm, T.TYPE_ERROR, "Expected " + seqLen(vm, fields) + " arguments, got " + n);
  }
  const t = newTuple(vm, n);
  for (let i = 0; i < n; i++) H[(t >> 2) + LY.TUP_ITEMS + i] = H[seqItems(vm, l) + i];
  vm.tr[vm.tn - 1] = t;
  const r = ntWrap(vm, cls, t);
  vm.tpop(1);
  return r;
}

/** Binary operators of the tuple behind a namedtuple (the VM applies them to the wrapped tuples directly). */
function ntBinary(op: number, reflected: boolean) {
  return function (vm: Vm, a: number): number {
    const x = unwrap(vm, vm.H[a]);
    const y = unwrap(vm, vm.H[a + 1]);
    return reflected ? binaryOp(vm, op, y, x) : binaryOp(vm, op, x, y);
  };
}

function namedtupleAttrs(): void {
  ntNewNative = native(Q.__new__, 1, -1, NF_KW, ntNew);
  ntGetNative = native(Q._tuplegetter, 2, 2, 0, ntGet);
  defineAttrs(T.NAMEDTUPLE_BASE, [
    Q.__repr__, native(Q.__repr__, 1, 1, NF_METHOD | NF_SELF, ntRepr),
    Q._asdict, native(Q._asdict, 1, 1, NF_METHOD | NF_SELF, ntAsdict),
    Q._replace, native(Q._replace, 1, 1, NF_METHOD | NF_SELF | NF_KW, ntReplace),
    Q._make, native(Q._make, 2, 2, NF_CLASSMETHOD, ntMake),
    Q.__len__, native(Q.__len__, 1, 1, NF_METHOD, function (vm, a) { return smi(seqLen(vm, ntTuple(vm, vm.H[a]))); }),
    Q.__getitem__, native(Q.__getitem__, 2, 2, NF_METHOD, function (vm, a) { return getItem(vm, ntTuple(vm, vm.H[a]), vm.H[a + 1]); }),
    Q.__iter__, native(Q.__iter__, 1, 1, NF_METHOD, function (vm, a) { return getIter(vm, ntTuple(vm, vm.H[a])); }),
    Q.__add__, native(Q.__add__, 2, 2, NF_METHOD, ntBinary(0, false)),
    Q.__radd__, native(Q.__radd__, 2, 2, NF_METHOD, ntBinary(0, true)),
    Q.__mul__, native(Q.__mul__, 2, 2, NF_METHOD, ntBinary(2, false)),
    Q.__rmul__, native(Q.__rmul__, 2, 2, NF_METHOD, ntBinary(2, true)),
    Q.__rmod__, native(Q.__rmod__, 2, 2, NF_METHOD, ntBinary(6, true)),
  ]);
}

// --- the module ------------------------------------------------------------------------------------------------------

let ready = false;

/** Register the classes' methods (once per process, on first import of collections). */
export function initCollections(): void {
  if (ready) return;
  ready = true;
  dequeAttrs();
  dictAttrs();
  namedtupleAttrs();
}

defineModule({
  name: Q.collections,
  attrs: function (): number[] {
    initCollections();
    return [
      Q.deque, imm(T.DEQUE),
      Q.OrderedDict, imm(T.ORDERED_DICT),
      Q.defaultdict, imm(T.DEFAULT_DICT),
      Q.namedtuple, native(Q.namedtuple, 2, 2, NF_KW, namedtupleFn),
      Q.__name__, qw(Q.collections),
    ];
  },
});
