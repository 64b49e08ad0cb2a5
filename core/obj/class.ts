// Classes: calling a class (__new__ then __init__, with __init__ run as an ordinary frame), __build_class__ and
// type(name, bases, dict), the C3 method resolution order, super(), and the descriptor types property,
// classmethod and staticmethod. Builtin types are made by their constructor natives (defineCtor).
import { K, I_DICT, imm, smi, LY } from "../vm/layout";
import { CF } from "../code";
import type { Vm } from "../vm/vm";
import { T, TYPE_FLAGS, TS_BASETYPE, staticSubtype } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise, PY_EXC } from "../vm/exc";
import { native, defineAttrs, NF_KW, NF_METHOD, NF_CLASSMETHOD, NF_STATIC } from "../vm/registry";
import { invoke, FRAME_PUSHED, callPython, runNested, call2, call3, callTuple } from "../vm/call";
import { typeOf, typeName, isType, isStaticType, nativeBase, lookupType, isSubtype, mroAt, staticBase, typesChanged } from "./type";
import { kindOf, typeNameJs, unwrap } from "../vm/ops";
import { newTuple, tupleFromStack, seqItems } from "./seq";
import { newDict, dictGetStr, dictSet, tableNext, entryKey, entryValue, tableDelete } from "./dict";
import { qw, jstr, strEq, str, intern } from "./str";
import { bindMethod, genericGetAttr, getAttr, NF_PROP } from "../vm/attr";

// --- constructors of builtin types ---------------------------------------------------------------------------------

const ctors: number[] = [];

/** Register the native that makes instances of static type t (called like the type, without cls). */
export function defineCtor(t: number, fn: number): void {
  ctors[t - LY.TYPE_BASE] = fn;
}

/** The constructor native of static type t or of its nearest static base that has one. */
function ctorOf(t: number): number {
  for (let s = t; s; s = staticBase(s)) {
    const c = ctors[s - LY.TYPE_BASE];
    if (c) return c;
  }
  return LY.NULL;
}

/** Static types whose instances are mutable containers: subclass instances start empty and __init__ fills them. */
function mutableBase(t: number): boolean {
  return t === T.LIST || t === T.DICT || t === T.SET || t === T.BYTEARRAY || t === T.DEQUE || t === T.ORDERED_DICT || t === T.DEFAULT_DICT;
}

// --- calling a class ---------------------------------------------------------------------------------------------------

/** invoke() of a type object. */
export function callType(vm: Vm, cls: number, a: number, n: number, kw: number, kwd: number): number {
  const H = vm.H;
  if ((cls & 3) === 2) {
    const t = cls >> 2;
    if (t === T.TYPE && n === 1 && kw === LY.NULL && kwd === LY.NULL) return typeOf(vm, H[a]);
    if (TYPE_FLAGS[t - LY.TYPE_BASE] & 2) {
      // a builtin exception class
      if (kw !== LY.NULL && H[(kw >> 2) + LY.SEQ_LEN] !== 1) throw raise(vm, T.TYPE_ERROR, jstr(vm, typeName(vm, cls)) + "() takes no keyword arguments");
      return newExcFromArgs(vm, cls, a, n);
    }
    const c = ctorOf(t);
    if (c === LY.NULL) throw raise(vm, T.TYPE_ERROR, "cannot create '" + jstr(vm, typeName(vm, cls)) + "' instances");
    return invoke(vm, c, a, n, kw, kwd);
  }
  const meta = H[(cls >> 2) + LY.TY_META];
  if ((meta & 3) === 0) {
    const mc = lookupType(vm, meta, qw(Q.__call__));
    if (mc !== LY.NULL && (mc & 3) === 0) {
      H[a - 1] = cls;
      return invoke(vm, mc, a - 1, n + 1, kw, kwd);
    }
  }
  return typeCall(vm, cls, a, n, kw, kwd);
}

/** type.__call__: __new__, then __init__ when the result is an instance of cls. */
export function typeCall(vm: Vm, cls: number, a: number, n: number, kw: number, kwd: number): number {
  const H = vm.H;
  const newm = lookupType(vm, cls, qw(Q.__new__));
  const init = lookupType(vm, cls, qw(Q.__init__));
  let inst: number;
  if (newm !== LY.NULL && (newm & 3) === 0) {
    // a Python __new__(cls, *args)
    const fn = kindOf(vm, newm) === K.STATICMETHOD ? H[(newm >> 2) + 1] : newm;
    H[a - 1] = cls;
    inst = callArgsNested(vm, fn, a - 1, n + 1, kw, kwd);
    if (!isSubtype(vm, typeOf(vm, inst), cls)) return inst;
  } else {
    if (n > 0 || (kw !== LY.NULL && H[(kw >> 2) + LY.SEQ_LEN] !== 1) || kwd !== LY.NULL) {
      if (init === LY.NULL || (init & 3) === 2) {
        const nb = nativeBase(vm, cls);
        if (nb === T.OBJECT) throw raise(vm, T.TYPE_ERROR, jstr(vm, typeName(vm, cls)) + "() takes no arguments");
      }
    }
    inst = newInstance(vm, cls, a, n, kw, kwd);
  }
  if (init === LY.NULL || ((init & 3) === 2 && !needsNativeInit(vm, cls))) return inst;
  H[a - 1] = inst;
  // a native __init__ gets the wrapped value in that slot (callNative unwraps self): keep inst rooted meanwhile
  vm.tpush(inst);
  let r: number;
  try {
    r = invoke(vm, init, a - 1, n + 1, kw, kwd);
  } finally {
    vm.tpop(1);
  }
  if (r === FRAME_PUSHED) {
    const f = vm.frame;
    H[f + LY.F_FLAGS] |= LY.FF_CTOR << 1;
    H[f + LY.F_EXC] = inst;
    return FRAME_PUSHED;
  }
  if (r !== LY.NONE) throw raise(vm, T.TYPE_ERROR, "__init__() should return None, not '" + typeNameJs(vm, r) + "'");
  return inst;
}

function needsNativeInit(vm: Vm, cls: number): boolean {
  const nb = nativeBase(vm, cls);
  return mutableBase(nb) || staticSubtype(nb, T.BASE_EXCEPTION);
}

function callArgsNested(vm: Vm, fn: number, a: number, n: number, kw: number, kwd: number): number {
  const r = invoke(vm, fn, a, n, kw, kwd);
  if (r !== FRAME_PUSHED) return r;
  return runNested(vm);
}

/** object.__new__ for cls: the right layout for its builtin base. */
export function newInstance(vm: Vm, cls: number, a: number, n: number, kw: number, kwd: number): number {
  const H = vm.H;
  const nb = nativeBase(vm, cls);
  if (staticSubtype(nb, T.BASE_EXCEPTION)) {
    const e = newExcFromArgs(vm, cls, a, n);
    return e;
  }
  const p = vm.alloc(K.INST, LY.I_SIZE);
  H[p + LY.I_TYPE] = cls;
  if (nb !== T.OBJECT) {
    vm.tpush(p << 2);
    try {
      const c = ctorOf(nb);
      if (c !== LY.NULL) {
        // immutable bases take their value now; mutable ones start empty and __init__ fills them
        const v = mutableBase(nb) ? invoke(vm, c, a, 0, LY.NULL, LY.NULL) : invoke(vm, c, a, n, kw, kwd);
        // a constructor whose instances are themselves wrappers (OrderedDict, defaultdict): keep the wrapped value
        H[p + LY.I_NATIVE] = kindOf(vm, v) === K.INST ? H[(v >> 2) + LY.I_NATIVE] : v;
      }
    } finally {
      vm.tpop(1);
    }
  }
  return p << 2;
}

/** A new exception of class t with args H[a … a+n-1]. */
export function newExcFromArgs(vm: Vm, t: number, a: number, n: number): number {
  const H = vm.H;
  const args = tupleFromStack(vm, a, n);
  vm.tpush(args);
  const p = vm.alloc(K.EXC, LY.E_SIZE);
  vm.tpop(1);
  H[p + LY.E_TYPE] = t;
  H[p + LY.E_ARGS] = args;
  H[p + LY.E_CAUSE] = LY.NONE;
  H[p + LY.E_CONTEXT] = LY.NONE;
  H[p + LY.E_FLAGS] = 1;
  return p << 2;
}

// --- making classes ----------------------------------------------------------------------------------------------------

/** C3 linearisation: the MRO of a class with these bases (type words), starting with cls itself. */
function c3(vm: Vm, cls: number, bases: number[]): number[] {
  const seqs: number[][] = [];
  for (let i = 0; i < bases.length; i++) {
    const m: number[] = [];
    for (let j = 0; ; j++) {
      const c = mroAt(vm, bases[i], j);
      if (c === LY.NULL) break;
      m.push(c);
    }
    seqs.push(m);
  }
  seqs.push(bases.slice());
  const out = [cls];
  for (;;) {
    let nonEmpty = false;
    for (let i = 0; i < seqs.length; i++) if (seqs[i].length) nonEmpty = true;
    if (!nonEmpty) return out;
    let cand = LY.NULL;
    for (let i = 0; i < seqs.length && cand === LY.NULL; i++) {
      if (!seqs[i].length) continue;
      const head = seqs[i][0];
      let inTail = false;
      for (let j = 0; j < seqs.length && !inTail; j++) if (seqs[j].indexOf(head) > 0) inTail = true;
      if (!inTail) cand = head;
    }
    if (cand === LY.NULL) {
      let names = "";
      for (let i = 0; i < bases.length; i++) names += (i ? ", " : "") + jstr(vm, typeName(vm, bases[i]));
      throw raise(vm, T.TYPE_ERROR, "Cannot create a consistent method resolution order (MRO) for bases " + names);
    }
    out.push(cand);
    for (let i = 0; i < seqs.length; i++) if (seqs[i][0] === cand) seqs[i].shift();
  }
}

/** type(name, bases, ns) for metaclass meta (a type word): a new class. */
export function makeClass(vm: Vm, meta: number, name: number, bases: number, ns: number): number {
  const H = vm.H;
  vm.tpush(name);
  vm.tpush(bases);
  vm.tpush(ns);
  try {
    let nb = H[(bases >> 2) + LY.SEQ_LEN] >> 1;
    const bl: number[] = [];
    for (let i = 0; i < nb; i++) {
      const b = H[(bases >> 2) + LY.TUP_ITEMS + i];
      if (!isType(vm, b)) throw raise(vm, T.TYPE_ERROR, "bases must be types");
      if (isStaticType(b) && !(TYPE_FLAGS[(b >> 2) - LY.TYPE_BASE] & TS_BASETYPE))
        throw raise(vm, T.TYPE_ERROR, "type '" + jstr(vm, typeName(vm, b)) + "' is not an acceptable base type");
      for (let j = 0; j < bl.length; j++) if (bl[j] === b) throw raise(vm, T.TYPE_ERROR, "duplicate base class " + jstr(vm, typeName(vm, b)));
      bl.push(b);
    }
    if (nb === 0) {
      bl.push(imm(T.OBJECT));
      const t = newTuple(vm, 1);
      H[(t >> 2) + LY.TUP_ITEMS] = imm(T.OBJECT);
      bases = t;
      vm.tr[vm.tn - 2] = t;
      nb = 1;
    }
    // the builtin layout instances will have: the most derived builtin base; two unrelated ones conflict
    let native = T.OBJECT;
    for (let i = 0; i < bl.length; i++) {
      const b = nativeBase(vm, bl[i]);
      if (staticSubtype(b, native)) native = b;
      else if (!staticSubtype(native, b)) throw raise(vm, T.TYPE_ERROR, "multiple bases have instance lay-out conflict");
    }
    const p = vm.alloc(K.TYPE, LY.TY_SIZE);
    const cls = p << 2;
    vm.tpush(cls);
    typesChanged(vm);
    H[p + LY.TY_NAME] = name;
    H[p + LY.TY_BASES] = bases;
    H[p + LY.TY_DICT] = ns;
    H[p + LY.TY_NATIVE] = imm(native);
    H[p + LY.TY_META] = meta;
    H[p + LY.TY_MRO] = newTuple(vm, 0);
    const mro = c3(vm, cls, bl);
    const mt = newTuple(vm, mro.length);
    for (let i = 0; i < mro.length; i++) H[(mt >> 2) + LY.TUP_ITEMS + i] = mro[i];
    H[p + LY.TY_MRO] = mt;
    // defining __eq__ without __hash__ makes instances unhashable
    if (dictGetStr(vm, ns, qw(Q.__eq__)) !== LY.NULL && dictGetStr(vm, ns, qw(Q.__hash__)) === LY.NULL) dictSet(vm, ns, qw(Q.__hash__), LY.NONE);
    // __new__ is implicitly a staticmethod; __init_subclass__ and __class_getitem__ implicitly classmethods
    implicitWrap(vm, ns, qw(Q.__new__), K.STATICMETHOD);
    implicitWrap(vm, ns, qw(Q.__init_subclass__), K.CLASSMETHOD);
    implicitWrap(vm, ns, qw(Q.__class_getitem__), K.CLASSMETHOD);
    const qn = dictGetStr(vm, ns, qw(Q.__qualname__));
    H[p + LY.TY_QUALNAME] = qn !== LY.NULL ? qn : name;
    if (qn !== LY.NULL) tableDelete(vm, ns, qw(Q.__qualname__));
    const mod = dictGetStr(vm, ns, qw(Q.__module__));
    H[p + LY.TY_MODULE] = mod !== LY.NULL ? mod : qw(Q.builtins);
    // fast-path flags: special methods defined here or inherited
    let flags = staticSubtype(native, T.BASE_EXCEPTION) ? LY.TF_EXC : 0;
    for (let i = 0; i < bl.length; i++) if ((bl[i] & 3) === 0) flags |= H[(bl[i] >> 2) + LY.TY_FLAGS] >> 1;
    if (dictGetStr(vm, ns, qw(Q.__getattr__)) !== LY.NULL) flags |= LY.TF_GETATTR;
    if (dictGetStr(vm, ns, qw(Q.__getattribute__)) !== LY.NULL) flags |= LY.TF_GETATTRIBUTE;
    if (dictGetStr(vm, ns, qw(Q.__setattr__)) !== LY.NULL || dictGetStr(vm, ns, qw(Q.__delattr__)) !== LY.NULL) flags |= LY.TF_SETATTR;
    H[p + LY.TY_FLAGS] = smi(flags | LY.TF_DESCRIPTORS);
    // __set_name__ on the attributes that want it, from a snapshot of the namespace (as CPython): a hook that
    // replaces or deletes a sibling does not stop the sibling's own hook
    let nset = 0;
    for (let i = tableNext(vm, ns, 0); i >= 0; i = tableNext(vm, ns, i + 1)) if (wantsSetName(vm, entryValue(vm, ns, i))) nset++;
    if (nset > 0) {
      const snap = newTuple(vm, 2 * nset);
      vm.tpush(snap);
      let j = (snap >> 2) + LY.TUP_ITEMS;
      for (let i = tableNext(vm, ns, 0); i >= 0; i = tableNext(vm, ns, i + 1)) {
        const v = entryValue(vm, ns, i);
        if (!wantsSetName(vm, v)) continue;
        H[j++] = entryKey(vm, ns, i);
        H[j++] = v;
      }
      for (let i = 0; i < nset; i++) {
        const b = (snap >> 2) + LY.TUP_ITEMS + 2 * i;
        const v = vm.H[b + 1];
        call3(vm, lookupType(vm, typeOf(vm, v), qw(Q.__set_name__)), v, cls, vm.H[b]);
      }
      vm.tpop(1);
    }
    // the parent's __init_subclass__
    const parent = mro.length > 1 ? mro[1] : imm(T.OBJECT);
    const isub = lookupType(vm, parent, qw(Q.__init_subclass__));
    if (isub !== LY.NULL && (isub & 3) === 0) {
      const fn = kindOf(vm, isub) === K.CLASSMETHOD ? H[(isub >> 2) + 1] : isub;
      callTuple(vm, fn, tuple1Of(vm, cls), vm.pendingClassKw);
    }
    vm.tpop(1);
    return cls;
  } finally {
    vm.tpop(3);
  }
}

function wantsSetName(vm: Vm, v: number): boolean {
  const k = kindOf(vm, v);
  return (k === K.INST || k === K.NATIVE_OBJ) && lookupType(vm, typeOf(vm, v), qw(Q.__set_name__)) !== LY.NULL;
}

function implicitWrap(vm: Vm, ns: number, name: number, kind: number): void {
  const f = dictGetStr(vm, ns, name);
  if (f === LY.NULL || kindOf(vm, f) !== K.FUNC) return;
  const p = vm.alloc(kind, 2);
  vm.H[p + 1] = f;
  dictSet(vm, ns, name, p << 2);
}

function tuple1Of(vm: Vm, x: number): number {
  const t = newTuple(vm, 1);
  vm.H[(t >> 2) + LY.TUP_ITEMS] = x;
  return t;
}

/** The most derived metaclass among an explicit one and those of the bases. */
function pickMeta(vm: Vm, meta: number, bases: number[]): number {
  let winner = meta;
  for (let i = 0; i < bases.length; i++) {
    const bm = typeOf(vm, bases[i]);
    if (isSubtype(vm, winner, bm)) continue;
    if (isSubtype(vm, bm, winner)) {
      winner = bm;
      continue;
    }
    throw raise(vm, T.TYPE_ERROR, "metaclass conflict: the metaclass of a derived class must be a (non-strict) subclass of the metaclasses of all its bases");
  }
  return winner;
}

/** __build_class__(func, name, *bases, metaclass=…, **kw) */
function buildClass(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  if (n < 2) throw raise(vm, T.TYPE_ERROR, "__build_class__: not enough arguments");
  const func = H[a];
  const name = H[a + 1];
  const bases = tupleFromStack(vm, a + 2, n - 2);
  vm.tpush(bases);
  let meta = LY.NULL;
  let extra = LY.NULL;
  const nk = kw === LY.NULL ? 0 : H[(kw >> 2) + LY.SEQ_LEN] >> 1;
  for (let i = 0; i < nk; i++) {
    const k = H[(kw >> 2) + LY.TUP_ITEMS + i];
    const v = H[a + n + i];
    if (strEq(vm, k, qw(Q.metaclass))) meta = v;
    else {
      if (extra === LY.NULL) {
        extra = newDict(vm);
        vm.tpush(extra);
      }
      dictSet(vm, extra, k, v);
    }
  }
  try {
    const bl: number[] = [];
    for (let i = 0; i < n - 2; i++) bl.push(H[a + 2 + i]);
    const explicit = meta !== LY.NULL;
    if (meta === LY.NULL) meta = bl.length ? typeOf(vm, bl[0]) : imm(T.TYPE);
    if (isType(vm, meta)) meta = pickMeta(vm, meta, bl);
    // the namespace: __prepare__ of a metaclass, else a plain dict
    let ns = LY.NULL;
    const prep = isType(vm, meta) && (meta & 3) === 0 ? lookupType(vm, meta, qw(Q.__prepare__)) : LY.NULL;
    if (prep !== LY.NULL && (prep & 3) === 0) {
      const fn = kindOf(vm, prep) === K.CLASSMETHOD ? H[(prep >> 2) + 1] : prep;
      ns = call3(vm, fn, meta, name, bases);
    } else ns = newDict(vm);
    vm.tpush(ns);
    // run the body with the namespace as its locals
    const r = callPython(vm, func, a, 0, LY.NULL, LY.NULL, 0);
    if (r === FRAME_PUSHED) H[vm.frame + LY.F_LOCALS] = ns;
    const cell = runNested(vm);
    let cls: number;
    if (!explicit && meta === imm(T.TYPE)) {
      vm.pendingClassKw = extra;
      cls = makeClass(vm, meta, name, bases, ns);
    } else if ((meta & 3) === 0 || meta === imm(T.TYPE)) {
      // call the metaclass: meta(name, bases, ns, **kw)
      const args = newTuple(vm, 3);
      H[(args >> 2) + LY.TUP_ITEMS] = name;
      H[(args >> 2) + LY.TUP_ITEMS + 1] = bases;
      H[(args >> 2) + LY.TUP_ITEMS + 2] = ns;
      vm.tpush(args);
      vm.pendingClassKw = extra;
      cls = callTuple(vm, meta, args, extra);
      vm.tpop(1);
    } else {
      const args = newTuple(vm, 3);
      H[(args >> 2) + LY.TUP_ITEMS] = name;
      H[(args >> 2) + LY.TUP_ITEMS + 1] = bases;
      H[(args >> 2) + LY.TUP_ITEMS + 2] = ns;
      vm.tpush(args);
      cls = callTuple(vm, meta, args, extra);
      vm.tpop(1);
    }
    vm.pendingClassKw = LY.NULL;
    if (kindOf(vm, cell) === K.CELL) H[(cell >> 2) + 1] = cls;
    vm.tpop(1);
    return cls;
  } finally {
    vm.pendingClassKw = LY.NULL;
    vm.tpop(extra !== LY.NULL ? 2 : 1);
  }
}

export const BUILD_CLASS = native(Q.__build_class__, 2, -1, NF_KW, buildClass);

/** type(x) or type(name, bases, dict) */
function typeNew(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  if (n === 1) return typeOf(vm, H[a]);
  if (n !== 3) throw raise(vm, T.TYPE_ERROR, "type() takes 1 or 3 arguments");
  if (kindOf(vm, H[a + 1]) !== K.TUPLE) throw raise(vm, T.TYPE_ERROR, "type.__new__() argument 2 must be tuple, not " + typeNameJs(vm, H[a + 1]));
  if (kindOf(vm, H[a + 2]) !== K.DICT) throw raise(vm, T.TYPE_ERROR, "type.__new__() argument 3 must be dict, not " + typeNameJs(vm, H[a + 2]));
  void kw;
  const ns = newDict(vm);
  vm.tpush(ns);
  const src = H[a + 2];
  for (let i = tableNext(vm, src, 0); i >= 0; i = tableNext(vm, src, i + 1)) dictSet(vm, ns, entryKey(vm, src, i), entryValue(vm, src, i));
  if (dictGetStr(vm, ns, qw(Q.__module__)) === LY.NULL) dictSet(vm, ns, qw(Q.__module__), qw(Q.__main__));
  const bl: number[] = [];
  for (let i = 0; i < (H[(H[a + 1] >> 2) + LY.SEQ_LEN] >> 1); i++) bl.push(H[(H[a + 1] >> 2) + LY.TUP_ITEMS + i]);
  const meta = pickMeta(vm, imm(T.TYPE), bl);
  const cls = makeClass(vm, meta, intern(vm, H[a]), H[a + 1], ns);
  vm.tpop(1);
  return cls;
}

/** type.__new__(meta, name, bases, ns): used by metaclasses through super().__new__. */
function typeDunderNew(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  if (n === 2) return typeOf(vm, H[a + 1]);
  if (n !== 4) throw raise(vm, T.TYPE_ERROR, "type.__new__() takes exactly 3 arguments (" + (n - 1) + " given)");
  const ns = newDict(vm);
  vm.tpush(ns);
  const src = H[a + 3];
  for (let i = tableNext(vm, src, 0); i >= 0; i = tableNext(vm, src, i + 1)) dictSet(vm, ns, entryKey(vm, src, i), entryValue(vm, src, i));
  const cls = makeClass(vm, H[a], H[a + 1], H[a + 2], ns);
  vm.tpop(1);
  return cls;
}

function typeDunderInit(vm: Vm): number {
  void vm;
  return LY.NONE;
}

function typeDunderCall(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  return typeCallNested(vm, H[a], a + 1, n - 1, kw);
}

function typeCallNested(vm: Vm, cls: number, a: number, n: number, kw: number): number {
  const r = typeCall(vm, cls, a, n, kw, LY.NULL);
  if (r !== FRAME_PUSHED) return r;
  return runNested(vm);
}

function typeMro(vm: Vm, a: number): number {
  const cls = vm.H[a];
  let n = 0;
  while (mroAt(vm, cls, n) !== LY.NULL) n++;
  const l = newListFrom(vm, n);
  for (let i = 0; i < n; i++) vm.H[seqItems(vm, l) + i] = mroAt(vm, cls, i);
  return l;
}

let newListFrom: (vm: Vm, n: number) => number = function () {
  return LY.NONE;
};
export function setListMaker(f: (vm: Vm, n: number) => number): void {
  newListFrom = f;
}

function typeSubclassCheck(vm: Vm, a: number): number {
  return isSubtype(vm, vm.H[a + 1], vm.H[a]) ? LY.TRUE : LY.FALSE;
}
function typeInstanceCheck(vm: Vm, a: number): number {
  return isSubtype(vm, typeOf(vm, vm.H[a + 1]), vm.H[a]) ? LY.TRUE : LY.FALSE;
}

// --- object's own methods --------------------------------------------------------------------------------------------

function objectNew(vm: Vm, a: number, n: number): number {
  const cls = vm.H[a];
  if (!isType(vm, cls)) throw raise(vm, T.TYPE_ERROR, "object.__new__(X): X is not a type object (" + typeNameJs(vm, cls) + ")");
  if ((cls & 3) === 2) {
    if (cls === imm(T.OBJECT)) {
      const p = vm.alloc(K.INST, LY.I_SIZE);
      vm.H[p + LY.I_TYPE] = cls;
      return p << 2;
    }
    throw raise(vm, T.TYPE_ERROR, "object.__new__(" + jstr(vm, typeName(vm, cls)) + ") is not safe, use " + jstr(vm, typeName(vm, cls)) + ".__new__()");
  }
  void n;
  return newInstance(vm, cls, a + 1, 0, LY.NULL, LY.NULL);
}

function objectInit(vm: Vm): number {
  void vm;
  return LY.NONE;
}

function objectEq(vm: Vm, a: number): number {
  return vm.H[a] === vm.H[a + 1] ? LY.TRUE : 18;
}
function objectNe(vm: Vm, a: number): number {
  return vm.H[a] === vm.H[a + 1] ? LY.FALSE : 18;
}
function objectNotImpl(vm: Vm): number {
  void vm;
  return 18; // NotImplemented
}

function checkName(vm: Vm, w: number): void {
  if (!((w & 3) === 2 ? w >> 2 >= 8192 : kindOf(vm, w) === K.STR))
    throw raise(vm, T.TYPE_ERROR, "attribute name must be string, not '" + typeNameJs(vm, w) + "'");
}

function objectSetattr(vm: Vm, a: number): number {
  const H = vm.H;
  checkName(vm, H[a + 1]);
  genericSetAttrOf(vm, H[a], H[a + 1], H[a + 2]);
  return LY.NONE;
}

let genericSetAttrOf: (vm: Vm, o: number, name: number, v: number) => void = function () {};
let genericDelAttrOf: (vm: Vm, o: number, name: number) => void = function () {};
export function setObjectAttrFns(s: (vm: Vm, o: number, name: number, v: number) => void, d: (vm: Vm, o: number, name: number) => void): void {
  genericSetAttrOf = s;
  genericDelAttrOf = d;
}

function objectDelattr(vm: Vm, a: number): number {
  checkName(vm, vm.H[a + 1]);
  genericDelAttrOf(vm, vm.H[a], vm.H[a + 1]);
  return LY.NONE;
}

function objectGetattribute(vm: Vm, a: number): number {
  const H = vm.H;
  checkName(vm, H[a + 1]);
  const v = genericGetAttr(vm, H[a], typeOf(vm, H[a]), H[a + 1]);
  if (v === LY.NULL) throw raise(vm, T.ATTRIBUTE_ERROR, "'" + typeNameJs(vm, H[a]) + "' object has no attribute '" + jstr(vm, H[a + 1]) + "'");
  return v;
}

function objectHash(vm: Vm, a: number): number {
  return smi((vm.H[a] >> 2) & 0x3fffffff);
}

function objectInitSubclass(vm: Vm): number {
  void vm;
  return LY.NONE;
}

// --- super ---------------------------------------------------------------------------------------------------------

/** super() / super(type, obj) */
function superNew(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  let t: number;
  let obj: number;
  if (n === 0) {
    // the calling frame's __class__ cell and first argument
    const f = vm.frame;
    const co = H[f + LY.F_CODE] >> 2;
    const li = vm.images[H[co + LY.CODE_IMG] >> 1];
    const row = (H[co + LY.CODE_IDX] >> 1) * CF.CODE_FIELDS;
    const codes = li.img.codes;
    const nl = codes[row + CF.C_NLOCALS];
    const nslots = nl + codes[row + CF.C_NCELLS] + codes[row + CF.C_NFREE];
    t = LY.NULL;
    for (let i = nl; i < nslots; i++) {
      const nm = H[(li.names >> 2) + LY.TUP_ITEMS + li.img.varnames[codes[row + CF.C_VARNAMES] + i]];
      if (nm === qw(Q.__class__)) {
        t = H[(H[f + LY.F_SLOTS + i] >> 2) + 1];
        break;
      }
    }
    if (t === LY.NULL) throw raise(vm, T.RUNTIME_ERROR, "super(): __class__ cell not found");
    if (codes[row + CF.C_ARGCOUNT] === 0 && nl === 0) throw raise(vm, T.RUNTIME_ERROR, "super(): no arguments");
    obj = H[f + LY.F_SLOTS];
    if (obj === LY.NULL) {
      // the first argument may live in a cell
      const c = H[f + LY.F_SLOTS + nl];
      obj = kindOf(vm, c) === K.CELL ? H[(c >> 2) + 1] : LY.NULL;
    }
    if (obj === LY.NULL) throw raise(vm, T.RUNTIME_ERROR, "super(): arg[0] deleted");
  } else {
    t = H[a];
    obj = n > 1 ? H[a + 1] : LY.NONE;
    if (!isType(vm, t)) throw raise(vm, T.TYPE_ERROR, "super() argument 1 must be a type, not " + typeNameJs(vm, t));
  }
  if (obj !== LY.NONE) {
    const ot = isType(vm, obj) && isSubtype(vm, obj, t) ? obj : typeOf(vm, obj);
    if (!isSubtype(vm, ot, t)) throw raise(vm, T.TYPE_ERROR, "super(type, obj): obj must be an instance or subtype of type");
  }
  const p = vm.alloc(K.SUPER, 3);
  H[p + 1] = t;
  H[p + 2] = obj;
  return p << 2;
}

/** Attribute lookup through a super object: the MRO of obj's class after the given type. */
export function superGetAttr(vm: Vm, s: number, name: number): number {
  const H = vm.H;
  const t = H[(s >> 2) + 1];
  const obj = H[(s >> 2) + 2];
  const startType = isType(vm, obj) && isSubtype(vm, obj, t) ? obj : typeOf(vm, obj);
  let i = 0;
  while (mroAt(vm, startType, i) !== LY.NULL && mroAt(vm, startType, i) !== t) i++;
  for (i++; ; i++) {
    const c = mroAt(vm, startType, i);
    if (c === LY.NULL) break;
    const v = (c & 3) === 2 ? lookupStaticOnly(c, name) : dictGetStr(vm, H[(c >> 2) + LY.TY_DICT], name);
    if (v === LY.NULL) continue;
    const isClassObj = startType === obj;
    if ((v & 3) === 0) {
      switch (H[v >> 2] & 127) {
        case K.FUNC: return isClassObj ? v : bindMethod(vm, v, obj);
        case K.CLASSMETHOD: return bindMethod(vm, H[(v >> 2) + 1], startType);
        case K.STATICMETHOD: return H[(v >> 2) + 1];
        case K.PROPERTY: return isClassObj ? v : call2(vm, H[(v >> 2) + 1], obj, LY.NONE);
      }
      return v;
    }
    if ((v & 3) === 2 && v >> 2 >= 512 && v >> 2 < 8192) {
      // a builtin method of a builtin base
      if (isClassObj) return v;
      return bindNativeFor(vm, v, obj, startType);
    }
    return v;
  }
  if (name === qw(Q.__class__)) return imm(T.SUPER);
  throw raise(vm, T.ATTRIBUTE_ERROR, "'super' object has no attribute '" + jstr(vm, name) + "'");
}

let lookupStaticOnly: (t: number, name: number) => number = function () {
  return LY.NULL;
};
let bindNativeFor: (vm: Vm, f: number, obj: number, t: number) => number = function () {
  return LY.NULL;
};
export function setSuperHelpers(a: (t: number, name: number) => number, b: (vm: Vm, f: number, obj: number, t: number) => number): void {
  lookupStaticOnly = a;
  bindNativeFor = b;
}

// --- property, classmethod, staticmethod --------------------------------------------------------------------------------

function kwArgOf(vm: Vm, a: number, n: number, kw: number, name: number): number {
  const H = vm.H;
  if (kw === LY.NULL) return LY.NULL;
  const nk = H[(kw >> 2) + LY.SEQ_LEN] >> 1;
  for (let i = 0; i < nk; i++) if (strEq(vm, H[(kw >> 2) + LY.TUP_ITEMS + i], name)) return H[a + n + i];
  return LY.NULL;
}

function propertyNew(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  const p = vm.alloc(K.PROPERTY, 5);
  H[p + 1] = n > 0 ? H[a] : LY.NONE;
  H[p + 2] = n > 1 ? H[a + 1] : LY.NONE;
  H[p + 3] = n > 2 ? H[a + 2] : LY.NONE;
  H[p + 4] = n > 3 ? H[a + 3] : LY.NONE;
  const names = [Q.fget, Q.fset, Q.fdel, Q.doc];
  for (let i = 0; i < 4; i++) {
    const v = kwArgOf(vm, a, n, kw, qw(names[i]));
    if (v !== LY.NULL) H[p + 1 + i] = v;
  }
  return p << 2;
}

function propertyCopy(vm: Vm, a: number, slot: number): number {
  const H = vm.H;
  const old = H[a] >> 2;
  const p = vm.alloc(K.PROPERTY, 5);
  for (let i = 1; i < 5; i++) H[p + i] = H[old + i];
  H[p + slot] = H[a + 1];
  return p << 2;
}

function wrapper(kind: number) {
  return function (vm: Vm, a: number): number {
    const p = vm.alloc(kind, 2);
    vm.H[p + 1] = vm.H[a];
    return p << 2;
  };
}

/** Called once at start-up. */
export function initClasses(): void {
  defineCtor(T.TYPE, native(Q.type, 1, 3, NF_KW, typeNew));
  defineCtor(T.OBJECT, native(Q.object, 0, 0, 0, function (vm) {
    const p = vm.alloc(K.INST, LY.I_SIZE);
    vm.H[p + LY.I_TYPE] = imm(T.OBJECT);
    return p << 2;
  }));
  defineCtor(T.SUPER, native(Q.super, 0, 2, 0, superNew));
  defineCtor(T.PROPERTY, native(Q.property, 0, 4, NF_KW, propertyNew));
  defineCtor(T.CLASSMETHOD, native(Q.classmethod, 1, 1, 0, wrapper(K.CLASSMETHOD)));
  defineCtor(T.STATICMETHOD, native(Q.staticmethod, 1, 1, 0, wrapper(K.STATICMETHOD)));
  defineAttrs(T.OBJECT, [
    Q.__new__, native(Q.__new__, 1, -1, NF_KW | NF_STATIC, objectNew),
    Q.__init__, native(Q.__init__, 1, -1, NF_KW | NF_METHOD, objectInit),
    Q.__eq__, native(Q.__eq__, 2, 2, NF_METHOD, objectEq),
    Q.__ne__, native(Q.__ne__, 2, 2, NF_METHOD, objectNe),
    Q.__lt__, native(Q.__lt__, 2, 2, NF_METHOD, objectNotImpl),
    Q.__le__, native(Q.__le__, 2, 2, NF_METHOD, objectNotImpl),
    Q.__gt__, native(Q.__gt__, 2, 2, NF_METHOD, objectNotImpl),
    Q.__ge__, native(Q.__ge__, 2, 2, NF_METHOD, objectNotImpl),
    Q.__hash__, native(Q.__hash__, 1, 1, NF_METHOD, objectHash),
    Q.__setattr__, native(Q.__setattr__, 3, 3, NF_METHOD, objectSetattr),
    Q.__delattr__, native(Q.__delattr__, 2, 2, NF_METHOD, objectDelattr),
    Q.__getattribute__, native(Q.__getattribute__, 2, 2, NF_METHOD, objectGetattribute),
    Q.__init_subclass__, native(Q.__init_subclass__, 1, 1, NF_CLASSMETHOD, objectInitSubclass),
    Q.__repr__, native(Q.__repr__, 1, 1, NF_METHOD, function (vm, a) {
      return str(vm, defaultRepr(vm, vm.H[a]));
    }),
    Q.__str__, native(Q.__str__, 1, 1, NF_METHOD, function (vm, a) {
      return reprOf(vm, vm.H[a]);
    }),
    Q.__format__, native(Q.__format__, 2, 2, NF_METHOD, function (vm, a) {
      if (jstr(vm, vm.H[a + 1]) !== "") throw raise(vm, T.TYPE_ERROR, "unsupported format string passed to " + typeNameJs(vm, vm.H[a]) + ".__format__");
      return strOf(vm, vm.H[a]);
    }),
  ]);
  defineAttrs(T.TYPE, [
    Q.__new__, native(Q.__new__, 2, 4, NF_STATIC, typeDunderNew),
    Q.__init__, native(Q.__init__, 1, -1, NF_KW | NF_METHOD, typeDunderInit),
    Q.__call__, native(Q.__call__, 1, -1, NF_KW | NF_METHOD, typeDunderCall),
    Q.mro, native(Q.mro, 1, 1, NF_METHOD, typeMro),
    Q.__subclasscheck__, native(Q.__subclasscheck__, 2, 2, NF_METHOD, typeSubclassCheck),
    Q.__instancecheck__, native(Q.__instancecheck__, 2, 2, NF_METHOD, typeInstanceCheck),
  ]);
  defineAttrs(T.PROPERTY, [
    Q.getter, native(Q.getter, 2, 2, NF_METHOD, function (vm, a) {
      return propertyCopy(vm, a, 1);
    }),
    Q.setter, native(Q.setter, 2, 2, NF_METHOD, function (vm, a) {
      return propertyCopy(vm, a, 2);
    }),
    Q.deleter, native(Q.deleter, 2, 2, NF_METHOD, function (vm, a) {
      return propertyCopy(vm, a, 3);
    }),
    Q.fget, native(Q.fget, 1, 1, NF_PROP, function (vm, a) {
      return vm.H[(vm.H[a] >> 2) + 1];
    }),
    Q.fset, native(Q.fset, 1, 1, NF_PROP, function (vm, a) {
      return vm.H[(vm.H[a] >> 2) + 2];
    }),
    Q.fdel, native(Q.fdel, 1, 1, NF_PROP, function (vm, a) {
      return vm.H[(vm.H[a] >> 2) + 3];
    }),
    Q.__get__, native(Q.__get__, 2, 3, NF_METHOD, function (vm, a) {
      const H = vm.H;
      if (H[a + 1] === LY.NONE) return H[a];
      return call2(vm, H[(H[a] >> 2) + 1], H[a + 1], LY.NONE);
    }),
  ]);
  const fnAttr = function (vm: Vm, a: number): number {
    return vm.H[(vm.H[a] >> 2) + 1];
  };
  defineAttrs(T.CLASSMETHOD, [Q.__func__, native(Q.__func__, 1, 1, NF_PROP, fnAttr)]);
  defineAttrs(T.STATICMETHOD, [Q.__func__, native(Q.__func__, 1, 1, NF_PROP, fnAttr)]);
}

let defaultRepr: (vm: Vm, w: number) => string = function () {
  return "";
};
let reprOf: (vm: Vm, w: number) => number = function () {
  return LY.NONE;
};
let strOf: (vm: Vm, w: number) => number = function () {
  return LY.NONE;
};
export function setReprFns(d: (vm: Vm, w: number) => string, r: (vm: Vm, w: number) => number, s: (vm: Vm, w: number) => number): void {
  defaultRepr = d;
  reprOf = r;
  strOf = s;
}

export { getAttr, unwrap, I_DICT, PY_EXC };
