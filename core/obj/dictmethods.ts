// dict, set and frozenset: constructors and methods, and the dict views keys()/values()/items().
import { K, D_ENT, IT, smi, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise, raiseWith } from "../vm/exc";
import { native, defineAttrs, NF_KW, NF_METHOD, NF_CLASSMETHOD } from "../vm/registry";
import { defineCtor } from "./class";
import { kindOf, typeNameJs, hashOf, setSubset, lookupSpecial } from "../vm/ops";
import { qw } from "./str";
import {
  newTable, newDict, dictSet, tableFind, tableDelete, tableDeleteAt, tableClear, tableCopy, tableNext, entryKey,
  entryValue, entryHash, tableLen, tableInsertNew, setEntryValue,
} from "./dict";
import { newTuple, seqItems, seqLen } from "./seq";
import { getIter, iterNext, newIter, listOf } from "./items";
import { dictUpdate, setAdd, setUpdate } from "../vm/support";
import { setOp, toSet } from "./listmethods";

function dictCtor(vm: Vm, a: number, n: number, kw: number): number {
  const d = newDict(vm);
  vm.tpush(d);
  dictFill(vm, d, a, n, kw);
  vm.tpop(1);
  return d;
}

/** d.update(src) for one positional argument: a mapping (anything with keys()) or an iterable of pairs. */
export function dictUpdateFrom(vm: Vm, d: number, src: number): void {
  const H = vm.H;
  const k = kindOf(vm, src);
  if (k === K.DICT || (k === K.INST && kindOf(vm, H[(src >> 2) + 3]) === K.DICT) || hasKeys(vm, src)) {
    dictUpdate(vm, d, src);
    return;
  }
  const it = getIter(vm, src);
  vm.tpush(it);
  let idx = 0;
  for (;;) {
    const item = iterNext(vm, it);
    if (item === LY.NULL) break;
    vm.tpush(item);
    if (!iterableKind(vm, item)) throw raise(vm, T.TYPE_ERROR, "cannot convert dictionary update sequence element #" + idx + " to a sequence");
    const pair = listOf(vm, item);
    vm.tpush(pair);
    if (seqLen(vm, pair) !== 2)
      throw raise(vm, T.VALUE_ERROR, "dictionary update sequence element #" + idx + " has length " + seqLen(vm, pair) + "; 2 is required");
    dictSet(vm, d, H[seqItems(vm, pair)], H[seqItems(vm, pair) + 1]);
    vm.tpop(2);
    idx++;
  }
  vm.tpop(1);
}

function iterableKind(vm: Vm, w: number): boolean {
  const k = kindOf(vm, w);
  if (k === K.INST || k === K.NATIVE_OBJ) return lookupSpecial(vm, w, qw(Q.__iter__)) !== LY.NULL || lookupSpecial(vm, w, qw(Q.__getitem__)) !== LY.NULL;
  return k === K.LIST || k === K.TUPLE || k === K.STR || (w & 3) === 2 && w >> 2 >= LY.QSTR_BASE || k === K.BYTES || k === K.BYTEARRAY ||
    k === K.DICT || k === K.SET || k === K.FROZENSET || k === K.RANGE || k === K.ITER || k === K.GEN;
}

/** dict(mapping or pairs, **kw) into d: the shared body of dict(), dict.__init__ and dict.update. */
function dictFill(vm: Vm, d: number, a: number, n: number, kw: number): void {
  const H = vm.H;
  if (n > 1) throw raise(vm, T.TYPE_ERROR, "dict expected at most 1 argument, got " + n);
  if (n === 1) dictUpdateFrom(vm, d, H[a]);
  if (kw !== LY.NULL) {
    const nk = H[(kw >> 2) + LY.SEQ_LEN] >> 1;
    for (let i = 0; i < nk; i++) dictSet(vm, d, H[(kw >> 2) + LY.TUP_ITEMS + i], H[a + n + i]);
  }
}

let hasKeys: (vm: Vm, w: number) => boolean = function () {
  return false;
};
export function setHasKeys(f: (vm: Vm, w: number) => boolean): void {
  hasKeys = f;
}

function dictGetM(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  const d = H[a];
  const key = H[a + 1];
  const i = tableFind(vm, d, key, hashOf(vm, key));
  if (i >= 0) return entryValue(vm, d, i);
  return n > 2 ? H[a + 2] : LY.NONE;
}

function dictPop(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  const v = tableDelete(vm, H[a], H[a + 1]);
  if (v !== LY.NULL) return v;
  if (n > 2) return H[a + 2];
  throw raiseWith(vm, T.KEY_ERROR, H[a + 1]);
}

function dictPopitem(vm: Vm, a: number): number {
  const d = vm.H[a];
  let last = -1;
  for (let i = tableNext(vm, d, 0); i >= 0; i = tableNext(vm, d, i + 1)) last = i;
  if (last < 0) throw raise(vm, T.KEY_ERROR, "popitem(): dictionary is empty");
  const t = newTuple(vm, 2);
  vm.H[(t >> 2) + LY.TUP_ITEMS] = entryKey(vm, d, last);
  vm.H[(t >> 2) + LY.TUP_ITEMS + 1] = entryValue(vm, d, last);
  tableDeleteAt(vm, d, last);
  return t;
}

function dictSetdefault(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  const d = H[a];
  const key = H[a + 1];
  const h = hashOf(vm, key);
  const i = tableFind(vm, d, key, h);
  if (i >= 0) return entryValue(vm, d, i);
  const v = n > 2 ? H[a + 2] : LY.NONE;
  tableInsertNew(vm, d, key, v, h);
  return v;
}

function dictFromkeys(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  const cls = H[a];
  const v = n > 2 ? H[a + 2] : LY.NONE;
  let d: number;
  if (cls === (T.DICT << 2 | 2)) d = newDict(vm);
  else d = callCls(vm, cls);
  vm.tpush(d);
  const it = getIter(vm, H[a + 1]);
  vm.tpush(it);
  for (;;) {
    const k = iterNext(vm, it);
    if (k === LY.NULL) break;
    setItemOf(vm, d, k, v);
  }
  vm.tpop(2);
  return d;
}

let callCls: (vm: Vm, c: number) => number = function () {
  return LY.NONE;
};
let setItemOf: (vm: Vm, o: number, k: number, v: number) => void = function () {};
export function setDictHelpers(c: (vm: Vm, cls: number) => number, s: (vm: Vm, o: number, k: number, v: number) => void): void {
  callCls = c;
  setItemOf = s;
}

function view(sub: number) {
  return function (vm: Vm, a: number): number {
    return newIter(vm, sub, vm.H[a], LY.NULL, LY.NULL);
  };
}

/** Is w a dict keys or items view (the set-like ones)? */
function isSetView(vm: Vm, w: number): boolean {
  if (kindOf(vm, w) !== K.ITER) return false;
  const sub = vm.H[(w >> 2) + 1] >> 1;
  return sub === IT.DICT_VIEW_KEYS || sub === IT.DICT_VIEW_ITEMS;
}

/**
 * a <op> b (op in CMPOPS order) when a keys/items view meets a set or another such view: compared as sets.
 * NULL when it does not apply (the caller then uses identity for == and != and refuses ordering).
 */
export function viewCompare(vm: Vm, op: number, a: number, b: number): number {
  const va = isSetView(vm, a);
  const vb = isSetView(vm, b);
  if (!va && !vb) return LY.NULL;
  const ka = kindOf(vm, a);
  const kb = kindOf(vm, b);
  if (!(va || ka === K.SET || ka === K.FROZENSET) || !(vb || kb === K.SET || kb === K.FROZENSET)) return LY.NULL;
  const x = toSet(vm, a);
  vm.tpush(x);
  const y = toSet(vm, b);
  vm.tpush(y);
  const nx = tableLen(vm, x);
  const ny = tableLen(vm, y);
  let r = false;
  switch (op) {
    case 0: r = nx < ny && setSubset(vm, x, y); break;
    case 1: r = nx <= ny && setSubset(vm, x, y); break;
    case 2: r = nx === ny && setSubset(vm, x, y); break;
    case 3: r = !(nx === ny && setSubset(vm, x, y)); break;
    case 4: r = nx > ny && setSubset(vm, y, x); break;
    default: r = nx >= ny && setSubset(vm, y, x);
  }
  vm.tpop(2);
  return r ? LY.TRUE : LY.FALSE;
}

function viewIsdisjoint(vm: Vm, a: number): number {
  const x = toSet(vm, vm.H[a]);
  vm.tpush(x);
  const r = setIsdisjointOf(vm, x, vm.H[a + 1]);
  vm.tpop(1);
  return r;
}

// --- sets ------------------------------------------------------------------------------------------------------------

function setCtor(kind: number) {
  return function (vm: Vm, a: number, n: number): number {
    if (kind === K.FROZENSET && n === 1 && kindOf(vm, vm.H[a]) === K.FROZENSET) return vm.H[a];
    const s = newTable(vm, kind, 0);
    vm.tpush(s);
    if (n === 1) setUpdate(vm, s, vm.H[a]);
    vm.tpop(1);
    return s;
  };
}

/** Any iterable as a set (for the methods that accept one). */
function asSet(vm: Vm, w: number): number {
  const k = kindOf(vm, w);
  if (k === K.SET || k === K.FROZENSET) return w;
  const s = newTable(vm, K.SET, 0);
  vm.tpush(s);
  setUpdate(vm, s, w);
  vm.tpop(1);
  return s;
}

function setMulti(op: number, inplace: boolean) {
  return function (vm: Vm, a: number, n: number): number {
    const H = vm.H;
    let r = inplace ? H[a] : tableCopy(vm, H[a], kindOf(vm, H[a]));
    vm.tpush(r);
    for (let i = 1; i < n; i++) {
      const o = asSet(vm, H[a + i]);
      vm.tpush(o);
      r = setOp(vm, op, r, o, true);
      vm.tpop(1);
    }
    vm.tpop(1);
    return inplace ? LY.NONE : r;
  };
}

function setRemove(vm: Vm, a: number): number {
  const k = vm.H[a + 1];
  if (tableFind(vm, vm.H[a], k, hashOf(vm, k)) < 0) throw raiseWith(vm, T.KEY_ERROR, k);
  tableDelete(vm, vm.H[a], k);
  return LY.NONE;
}

function setPop(vm: Vm, a: number): number {
  const s = vm.H[a];
  const i = tableNext(vm, s, 0);
  if (i < 0) throw raise(vm, T.KEY_ERROR, "pop from an empty set");
  const k = entryKey(vm, s, i);
  tableDeleteAt(vm, s, i);
  return k;
}

function setIsdisjoint(vm: Vm, a: number): number {
  return setIsdisjointOf(vm, vm.H[a], vm.H[a + 1]);
}

function setIsdisjointOf(vm: Vm, s: number, other: number): number {
  const o = asSet(vm, other);
  vm.tpush(o);
  let r = LY.TRUE;
  for (let i = tableNext(vm, o, 0); i >= 0 && r === LY.TRUE; i = tableNext(vm, o, i + 1))
    if (tableFind(vm, s, entryKey(vm, o, i), entryHash(vm, o, i)) >= 0) r = LY.FALSE;
  vm.tpop(1);
  return r;
}

export function initDicts(): void {
  defineCtor(T.DICT, native(Q.dict, 0, 1, NF_KW, dictCtor));
  defineCtor(T.SET, native(Q.set, 0, 1, 0, setCtor(K.SET)));
  defineCtor(T.FROZENSET, native(Q.frozenset, 0, 1, 0, setCtor(K.FROZENSET)));
  defineAttrs(T.DICT, [
    Q.get, native(Q.get, 2, 3, NF_METHOD, dictGetM),
    Q.keys, native(Q.keys, 1, 1, NF_METHOD, view(IT.DICT_VIEW_KEYS)),
    Q.values, native(Q.values, 1, 1, NF_METHOD, view(IT.DICT_VIEW_VALUES)),
    Q.items, native(Q.items, 1, 1, NF_METHOD, view(IT.DICT_VIEW_ITEMS)),
    Q.pop, native(Q.pop, 2, 3, NF_METHOD, dictPop),
    Q.popitem, native(Q.popitem, 1, 1, NF_METHOD, dictPopitem),
    Q.setdefault, native(Q.setdefault, 2, 3, NF_METHOD, dictSetdefault),
    Q.update, native(Q.update, 1, 2, NF_METHOD | NF_KW, function (vm, a, n, kw) { dictFill(vm, vm.H[a], a + 1, n - 1, kw); return LY.NONE; }),
    Q.copy, native(Q.copy, 1, 1, NF_METHOD, function (vm, a) { return tableCopy(vm, vm.H[a], K.DICT); }),
    Q.clear, native(Q.clear, 1, 1, NF_METHOD, function (vm, a) { tableClear(vm, vm.H[a]); return LY.NONE; }),
    Q.fromkeys, native(Q.fromkeys, 2, 3, NF_CLASSMETHOD, dictFromkeys),
    Q.__init__, native(Q.__init__, 1, 2, NF_METHOD | NF_KW, function (vm, a, n, kw) { dictFill(vm, vm.H[a], a + 1, n - 1, kw); return LY.NONE; }),
    Q.__getitem__, native(Q.__getitem__, 2, 2, NF_METHOD, function (vm, a) {
      const d = vm.H[a];
      const i = tableFind(vm, d, vm.H[a + 1], hashOf(vm, vm.H[a + 1]));
      if (i < 0) throw raiseWith(vm, T.KEY_ERROR, vm.H[a + 1]);
      return entryValue(vm, d, i);
    }),
    Q.__setitem__, native(Q.__setitem__, 3, 3, NF_METHOD, function (vm, a) { dictSet(vm, vm.H[a], vm.H[a + 1], vm.H[a + 2]); return LY.NONE; }),
    Q.__delitem__, native(Q.__delitem__, 2, 2, NF_METHOD, function (vm, a) {
      if (tableDelete(vm, vm.H[a], vm.H[a + 1]) === LY.NULL) throw raiseWith(vm, T.KEY_ERROR, vm.H[a + 1]);
      return LY.NONE;
    }),
    Q.__contains__, native(Q.__contains__, 2, 2, NF_METHOD, function (vm, a) {
      return tableFind(vm, vm.H[a], vm.H[a + 1], hashOf(vm, vm.H[a + 1])) >= 0 ? LY.TRUE : LY.FALSE;
    }),
    Q.__len__, native(Q.__len__, 1, 1, NF_METHOD, function (vm, a) { return smi(tableLen(vm, vm.H[a])); }),
    Q.__iter__, native(Q.__iter__, 1, 1, NF_METHOD, function (vm, a) { return getIter(vm, vm.H[a]); }),
  ]);
  const common = [
    Q.copy, native(Q.copy, 1, 1, NF_METHOD, function (vm, a) {
      const s = vm.H[a];
      return kindOf(vm, s) === K.FROZENSET ? s : tableCopy(vm, s, kindOf(vm, s));
    }),
    Q.union, native(Q.union, 1, -1, NF_METHOD, setMulti(11, false)),
    Q.intersection, native(Q.intersection, 1, -1, NF_METHOD, setMulti(10, false)),
    Q.difference, native(Q.difference, 1, -1, NF_METHOD, setMulti(1, false)),
    Q.symmetric_difference, native(Q.symmetric_difference, 2, 2, NF_METHOD, setMulti(12, false)),
    Q.issubset, native(Q.issubset, 2, 2, NF_METHOD, function (vm, a) { return setSubset(vm, vm.H[a], asSet(vm, vm.H[a + 1])) ? LY.TRUE : LY.FALSE; }),
    Q.issuperset, native(Q.issuperset, 2, 2, NF_METHOD, function (vm, a) { return setSubset(vm, asSet(vm, vm.H[a + 1]), vm.H[a]) ? LY.TRUE : LY.FALSE; }),
    Q.isdisjoint, native(Q.isdisjoint, 2, 2, NF_METHOD, setIsdisjoint),
    Q.__contains__, native(Q.__contains__, 2, 2, NF_METHOD, function (vm, a) {
      return tableFind(vm, vm.H[a], vm.H[a + 1], hashOf(vm, vm.H[a + 1])) >= 0 ? LY.TRUE : LY.FALSE;
    }),
    Q.__len__, native(Q.__len__, 1, 1, NF_METHOD, function (vm, a) { return smi(tableLen(vm, vm.H[a])); }),
  ];
  defineAttrs(T.FROZENSET, common);
  defineAttrs(T.SET, common.concat([
    Q.add, native(Q.add, 2, 2, NF_METHOD, function (vm, a) { setAdd(vm, vm.H[a], vm.H[a + 1]); return LY.NONE; }),
    Q.remove, native(Q.remove, 2, 2, NF_METHOD, setRemove),
    Q.discard, native(Q.discard, 2, 2, NF_METHOD, function (vm, a) { tableDelete(vm, vm.H[a], vm.H[a + 1]); return LY.NONE; }),
    Q.pop, native(Q.pop, 1, 1, NF_METHOD, setPop),
    Q.clear, native(Q.clear, 1, 1, NF_METHOD, function (vm, a) { tableClear(vm, vm.H[a]); return LY.NONE; }),
    Q.update, native(Q.update, 1, -1, NF_METHOD, setMulti(11, true)),
    Q.intersection_update, native(Q.intersection_update, 1, -1, NF_METHOD, setMulti(10, true)),
    Q.difference_update, native(Q.difference_update, 1, -1, NF_METHOD, setMulti(1, true)),
    Q.symmetric_difference_update, native(Q.symmetric_difference_update, 2, 2, NF_METHOD, setMulti(12, true)),
    Q.__init__, native(Q.__init__, 1, 2, NF_METHOD, function (vm, a, n) {
      tableClear(vm, vm.H[a]);
      if (n > 1) setUpdate(vm, vm.H[a], vm.H[a + 1]);
      return LY.NONE;
    }),
  ]));
  const vlen = native(Q.__len__, 1, 1, NF_METHOD, function (vm, a) { return smi(tableLen(vm, vm.H[(vm.H[a] >> 2) + 2])); });
  const disj = native(Q.isdisjoint, 2, 2, NF_METHOD, viewIsdisjoint);
  defineAttrs(T.DICT_KEYS, [Q.__len__, vlen, Q.isdisjoint, disj]);
  defineAttrs(T.DICT_VALUES, [Q.__len__, vlen]);
  defineAttrs(T.DICT_ITEMS, [Q.__len__, vlen, Q.isdisjoint, disj]);
}

export { D_ENT, setEntryValue, typeNameJs, seqItems };
