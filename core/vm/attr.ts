// Attribute access: object.__getattribute__, __setattr__ and __delattr__ with Python's descriptor rules (data
// descriptors and properties before the instance dict, then methods, classmethods, staticmethods), class and
// module attributes, __getattr__, and the method-call shortcut LOAD_METHOD uses to avoid bound-method objects.
import { K, imm, smi, LY } from "./layout";
import type { Vm } from "./vm";
import { T } from "./types";
import { Q } from "../generated/qstr";
import { raise, PY_EXC } from "./exc";
import { typeOf, typeName, lookupType, isSubtype, isType, mroAt, typesChanged } from "../obj/type";
import { qw, jstr, intern } from "../obj/str";
import { dictGetStr, dictSet, newDict, newTable, tableDelete, tableCopy } from "../obj/dict";
import { isNative, nativeIndex, nativeFlags, NF_CLASSMETHOD, NF_STATIC, NF_METHOD, moduleStaticAttr } from "./registry";
import { call1, call2, call3 } from "./call";
import { kindOf, typeNameJs } from "./ops";
import { newTuple } from "../obj/seq";
import { superGetAttr } from "../obj/class";

/** Natives registered with this flag are read-only computed attributes: reading calls them with the object. */
export const NF_PROP = 16;

/** A bound method of func (a FUNC or a native) to self. */
export function bindMethod(vm: Vm, func: number, self: number): number {
  vm.tpush(func);
  vm.tpush(self);
  const b = vm.alloc(K.BOUND, 3);
  vm.tpop(2);
  vm.H[b + LY.B_FUNC] = func;
  vm.H[b + LY.B_SELF] = self;
  return b << 2;
}

function attrError(vm: Vm, obj: number, name: number): unknown {
  if (isType(vm, obj))
    return raise(vm, T.ATTRIBUTE_ERROR, "type object '" + jstr(vm, typeName(vm, obj)) + "' has no attribute '" + jstr(vm, name) + "'");
  if (kindOf(vm, obj) === K.MODULE)
    return raise(vm, T.ATTRIBUTE_ERROR, "module '" + jstr(vm, vm.H[(obj >> 2) + LY.M_NAME]) + "' has no attribute '" + jstr(vm, name) + "'");
  return raise(vm, T.ATTRIBUTE_ERROR, "'" + jstr(vm, typeName(vm, typeOf(vm, obj))) + "' object has no attribute '" + jstr(vm, name) + "'");
}

/** The instance dict of obj, if it has (or can have) one; NULL otherwise. `create` makes an empty one. */
export function instanceDict(vm: Vm, obj: number, create: boolean): number {
  if ((obj & 3) !== 0 || obj === 0) return LY.NULL;
  const H = vm.H;
  const p = obj >> 2;
  let slot = 0;
  switch (H[p] & 127) {
    case K.INST: slot = LY.I_DICT; break;
    case K.EXC: slot = LY.E_DICT; break;
    case K.FUNC: slot = LY.FN_ATTRS; break;
    case K.TYPE: return H[p + LY.TY_DICT];
    case K.MODULE: return H[p + LY.M_DICT];
    default: return LY.NULL;
  }
  let d = H[p + slot];
  if (d === LY.NULL && create) {
    // room for a few attributes at once: most instances get them in __init__
    d = newTable(vm, K.DICT, 4);
    H[p + slot] = d;
  }
  return d;
}

function isDataDescriptor(vm: Vm, d: number): boolean {
  const k = kindOf(vm, d);
  if (k === K.PROPERTY) return true;
  if (k !== K.INST) return false;
  const t = typeOf(vm, d);
  return lookupType(vm, t, qw(Q.__set__)) !== LY.NULL || lookupType(vm, t, qw(Q.__delete__)) !== LY.NULL;
}

/** Apply a class attribute found for an instance: bind functions, call getters. */
function bindFound(vm: Vm, d: number, obj: number, t: number): number {
  if (isNative(d)) {
    // a builtin function stored on a class stays unbound (abs, len); methods of builtin types bind
    const fl = nativeFlags(nativeIndex(d));
    if (fl & NF_PROP) return call1(vm, d, obj);
    if (fl & NF_CLASSMETHOD) return bindMethod(vm, d, t);
    if (fl & NF_METHOD) return bindMethod(vm, d, obj);
    return d;
  }
  if ((d & 3) !== 0 || d === 0) return d;
  switch (vm.H[d >> 2] & 127) {
    case K.FUNC:
      return bindMethod(vm, d, obj);
    case K.CLASSMETHOD:
      return bindMethod(vm, vm.H[(d >> 2) + 1], t);
    case K.STATICMETHOD:
      return vm.H[(d >> 2) + 1];
    case K.PROPERTY: {
      const g = vm.H[(d >> 2) + 1];
      if (g === LY.NONE) throw raise(vm, T.ATTRIBUTE_ERROR, "property of '" + jstr(vm, typeName(vm, t)) + "' object has no getter");
      return call1(vm, g, obj);
    }
    case K.INST: {
      const get = lookupType(vm, typeOf(vm, d), qw(Q.__get__));
      if (get !== LY.NULL) return call3(vm, get, d, obj, t);
    }
  }
  return d;
}

/** The attribute, or NULL when object.__getattribute__ finds nothing (no AttributeError raised). */
export function genericGetAttr(vm: Vm, obj: number, t: number, name: number): number {
  const d = lookupType(vm, t, name);
  if (d !== LY.NULL && (d & 3) === 0 && isDataDescriptor(vm, d)) return bindFound(vm, d, obj, t);
  const idict = instanceDict(vm, obj, false);
  if (idict !== LY.NULL) {
    const v = dictGetStr(vm, idict, name);
    if (v !== LY.NULL) return v;
  }
  if (d !== LY.NULL) return bindFound(vm, d, obj, t);
  return specialAttr(vm, obj, name);
}

/** Attributes every object or certain kinds have without a class entry. */
function specialAttr(vm: Vm, obj: number, name: number): number {
  const H = vm.H;
  if (name === qw(Q.__class__)) return typeOf(vm, obj);
  const k = kindOf(vm, obj);
  if (name === qw(Q.__dict__)) {
    const d = instanceDict(vm, obj, true);
    if (d !== LY.NULL) return d;
  }
  if (k === K.EXC) {
    const p = obj >> 2;
    switch (name) {
      case qw(Q.args): return H[p + LY.E_ARGS];
      case qw(Q.__traceback__): return H[p + LY.E_TB] || LY.NONE;
      case qw(Q.__cause__): return H[p + LY.E_CAUSE];
      case qw(Q.__context__): return H[p + LY.E_CONTEXT];
      case qw(Q.__suppress_context__): return (H[p + LY.E_FLAGS] >> 1) & 1 ? LY.TRUE : LY.FALSE;
    }
  }
  return LY.NULL;
}

export function getAttr(vm: Vm, obj: number, name: number): number {
  const v = getAttrOrNull(vm, obj, name);
  if (v === LY.NULL) throw attrError(vm, obj, name);
  return v;
}

/** getattr without raising AttributeError when the attribute is simply missing (other errors propagate). */
export function getAttrOrNull(vm: Vm, obj: number, name: number): number {
  const H = vm.H;
  if ((obj & 3) === 0 && obj !== 0 && (H[obj >> 2] & 127) === K.INST) {
    // an instance of a class without __getattribute__: its own attribute when the class has nothing by that name, a
    // method bound to it when the class has a plain function (and the instance dict does not shadow it)
    const t = H[(obj >> 2) + LY.I_TYPE];
    if ((t & 3) === 0 && !((H[(t >> 2) + LY.TY_FLAGS] >> 1) & LY.TF_GETATTRIBUTE)) {
      const d = lookupType(vm, t, name);
      const idict = H[(obj >> 2) + LY.I_DICT];
      if (d === LY.NULL) {
        if (idict !== LY.NULL) {
          const v = dictGetStr(vm, idict, name);
          if (v !== LY.NULL) return v;
        }
      } else if ((d & 3) === 0 && (H[d >> 2] & 127) === K.FUNC && (idict === LY.NULL || dictGetStr(vm, idict, name) === LY.NULL))
        return bindMethod(vm, d, obj);
    }
  }
  const k = kindOf(vm, obj);
  if (k === K.TYPE || isType(vm, obj)) return typeGetAttr(vm, obj, name);
  if (k === K.SUPER) return superGetAttr(vm, obj, name);
  if (k === K.MODULE) return moduleGetAttr(vm, obj, name);
  const t = typeOf(vm, obj);
  const tflags = (t & 3) === 0 ? vm.H[(t >> 2) + LY.TY_FLAGS] >> 1 : 0;
  if (tflags & LY.TF_GETATTRIBUTE) {
    const ga = lookupType(vm, t, qw(Q.__getattribute__));
    if (ga !== LY.NULL && (ga & 3) === 0) {
      const tn = vm.tn;
      try {
        return call2(vm, ga, obj, name);
      } catch (e) {
        if (!(tflags & LY.TF_GETATTR) || e !== PY_EXC || !isSubtype(vm, typeOf(vm, vm.excValue), imm(T.ATTRIBUTE_ERROR))) throw e;
        vm.excValue = LY.NULL;
        vm.tn = tn;
        return call2(vm, lookupType(vm, t, qw(Q.__getattr__)), obj, name);
      }
    }
  }
  let v = LY.NULL;
  if (tflags & LY.TF_GETATTR) {
    // __getattr__ also answers when the lookup raised AttributeError (a property's getter, say), as CPython's
    const tn = vm.tn;
    try {
      v = genericGetAttr(vm, obj, t, name);
    } catch (e) {
      if (e !== PY_EXC || !isSubtype(vm, typeOf(vm, vm.excValue), imm(T.ATTRIBUTE_ERROR))) throw e;
      vm.excValue = LY.NULL;
      vm.tn = tn;
    }
  } else v = genericGetAttr(vm, obj, t, name);
  if (v !== LY.NULL) return v;
  if (tflags & LY.TF_GETATTR || (k === K.NATIVE_OBJ && (t & 3) === 2)) {
    const ga = lookupType(vm, t, qw(Q.__getattr__));
    if (ga !== LY.NULL) return call2(vm, ga, obj, name);
  }
  return LY.NULL;
}

/** Attribute of a class (or builtin type) object. */
export function typeGetAttr(vm: Vm, tobj: number, name: number): number {
  const H = vm.H;
  const heap = (tobj & 3) === 0;
  switch (name) {
    case qw(Q.__name__): return typeName(vm, tobj);
    case qw(Q.__qualname__): return heap ? H[(tobj >> 2) + LY.TY_QUALNAME] : typeName(vm, tobj);
    case qw(Q.__bases__):
      if (heap) return H[(tobj >> 2) + LY.TY_BASES];
      break;
    case qw(Q.__mro__):
      if (heap) return H[(tobj >> 2) + LY.TY_MRO];
      return staticMro(vm, tobj);
    case qw(Q.__module__):
      if (heap) {
        const m = dictGetStr(vm, H[(tobj >> 2) + LY.TY_DICT], name);
        return m !== LY.NULL ? m : H[(tobj >> 2) + LY.TY_MODULE];
      }
      return qw(Q.builtins);
    case qw(Q.__dict__):
      // a snapshot, as CPython's read-only mappingproxy: changing a class goes through setattr
      if (heap) return tableCopy(vm, H[(tobj >> 2) + LY.TY_DICT], K.DICT);
      break;
    case qw(Q.__class__):
      return typeOf(vm, tobj);
  }
  const v = lookupType(vm, tobj, name);
  if (v !== LY.NULL) {
    if (isNative(v)) {
      const fl = nativeFlags(nativeIndex(v));
      if (fl & NF_CLASSMETHOD) return bindMethod(vm, v, tobj);
      return v;
    }
    if ((v & 3) === 0 && v !== 0) {
      switch (H[v >> 2] & 127) {
        case K.CLASSMETHOD: return bindMethod(vm, H[(v >> 2) + 1], tobj);
        case K.STATICMETHOD: return H[(v >> 2) + 1];
        case K.INST: {
          const get = lookupType(vm, typeOf(vm, v), qw(Q.__get__));
          if (get !== LY.NULL) return call3(vm, get, v, LY.NONE, tobj);
        }
      }
    }
    return v;
  }
  // the metaclass's attributes (methods of a user metaclass, or of type itself)
  const meta = typeOf(vm, tobj);
  const m = lookupType(vm, meta, name);
  if (m !== LY.NULL) return bindFound(vm, m, tobj, meta);
  if (heap && (H[(meta & 3) === 0 ? (meta >> 2) + LY.TY_FLAGS : 0] >> 1) & LY.TF_GETATTR && (meta & 3) === 0) {
    const ga = lookupType(vm, meta, qw(Q.__getattr__));
    if (ga !== LY.NULL) return call2(vm, ga, tobj, name);
  }
  return LY.NULL;
}

function staticMro(vm: Vm, t: number): number {
  let n = 0;
  while (mroAt(vm, t, n) !== LY.NULL) n++;
  const tup = newTuple(vm, n);
  for (let i = 0; i < n; i++) vm.H[(tup >> 2) + 2 + i] = mroAt(vm, t, i);
  return tup;
}

function moduleGetAttr(vm: Vm, m: number, name: number): number {
  const H = vm.H;
  const p = m >> 2;
  const v = dictGetStr(vm, H[p + LY.M_DICT], name);
  if (v !== LY.NULL) return v;
  const si = H[p + LY.M_STATIC] >> 1;
  if (si >= 0) {
    const s = moduleStaticAttr(vm, si, name);
    if (s !== LY.NULL) return s;
  }
  if (name === qw(Q.__dict__)) return H[p + LY.M_DICT];
  if (name === qw(Q.__name__)) return H[p + LY.M_NAME];
  const ga = dictGetStr(vm, H[p + LY.M_DICT], qw(Q.__getattr__));
  if (ga !== LY.NULL) return call1(vm, ga, name);
  return LY.NULL;
}

/** Whether the last loadMethod() returned an unbound method to be called with the object as first argument. */
export let methodSelf = false;

/** LOAD_METHOD: the function to call with obj as self (methodSelf true), or the attribute itself (false). */
export function loadMethod(vm: Vm, obj: number, name: number): number {
  const k = kindOf(vm, obj);
  if (k !== K.TYPE && k !== K.MODULE && k !== K.SUPER && !isType(vm, obj)) {
    const t = typeOf(vm, obj);
    const tflags = (t & 3) === 0 ? vm.H[(t >> 2) + LY.TY_FLAGS] >> 1 : 0;
    if (!(tflags & LY.TF_GETATTRIBUTE)) {
      const d = lookupType(vm, t, name);
      if (d !== LY.NULL) {
        let plain = false;
        if (isNative(d)) plain = (nativeFlags(nativeIndex(d)) & (NF_PROP | NF_STATIC | NF_CLASSMETHOD | NF_METHOD)) === NF_METHOD;
        else plain = (d & 3) === 0 && d !== 0 && (vm.H[d >> 2] & 127) === K.FUNC;
        if (plain) {
          const idict = instanceDict(vm, obj, false);
          if (idict === LY.NULL || dictGetStr(vm, idict, name) === LY.NULL) {
            methodSelf = true;
            return d;
          }
        }
      }
    }
  }
  methodSelf = false;
  return getAttr(vm, obj, name);
}

export function setAttr(vm: Vm, obj: number, name: number, v: number): void {
  const H = vm.H;
  if ((obj & 3) === 0 && obj !== 0 && (H[obj >> 2] & 127) === K.INST) {
    // an attribute the instance already has under this very name (interned), its class without __setattr__ and
    // without a property or descriptor of that name: replace the value in place
    const ti = H[(obj >> 2) + LY.I_TYPE];
    const dp = H[(obj >> 2) + LY.I_DICT] >> 2;
    if (dp !== 0 && (ti & 3) === 0 && H[dp + LY.D_INDEX] === LY.NULL && !((H[(ti >> 2) + LY.TY_FLAGS] >> 1) & LY.TF_SETATTR)) {
      const e = (H[dp + LY.D_ENT] >> 2) + 2;
      const n = H[dp + LY.D_NENT] >> 1;
      for (let i = 0; i < 3 * n; i += 3) {
        if (H[e + i] === name) {
          const d = lookupType(vm, ti, name);
          if (d !== LY.NULL && (d & 3) === 0 && ((H[d >> 2] & 127) === K.PROPERTY || (H[d >> 2] & 127) === K.INST)) break;
          H[e + i + 1] = v;
          return;
        }
      }
    }
  }
  const t = typeOf(vm, obj);
  if ((t & 3) === 0 && (H[(t >> 2) + LY.TY_FLAGS] >> 1) & LY.TF_SETATTR) {
    const sa = lookupType(vm, t, qw(Q.__setattr__));
    if (sa !== LY.NULL && (sa & 3) === 0) {
      call3(vm, sa, obj, name, v);
      return;
    }
  }
  genericSetAttr(vm, obj, t, name, v);
}

/** object.__setattr__ */
export function genericSetAttr(vm: Vm, obj: number, t: number, name: number, v: number): void {
  const H = vm.H;
  const isCls = kindOf(vm, obj) === K.TYPE;
  if (!isCls) {
    const d = lookupType(vm, t, name);
    if (d !== LY.NULL && (d & 3) === 0) {
      const dk = kindOf(vm, d);
      if (dk === K.PROPERTY) {
        const s = H[(d >> 2) + 2];
        if (s === LY.NONE) throw raise(vm, T.ATTRIBUTE_ERROR, "can't set attribute '" + jstr(vm, name) + "'");
        call2(vm, s, obj, v);
        return;
      }
      if (dk === K.INST) {
        const set = lookupType(vm, typeOf(vm, d), qw(Q.__set__));
        if (set !== LY.NULL) {
          call3(vm, set, d, obj, v);
          return;
        }
      }
    }
  }
  const k = kindOf(vm, obj);
  if (k === K.INST && name === qw(Q.__class__)) {
    // an instance of a class made by `class` may move to another such class whose instances have its layout
    if (kindOf(vm, v) !== K.TYPE) throw raise(vm, T.TYPE_ERROR, "__class__ must be set to a class, not '" + typeNameJs(vm, v) + "' object");
    if (H[(v >> 2) + LY.TY_NATIVE] !== H[(t >> 2) + LY.TY_NATIVE])
      throw raise(vm, T.TYPE_ERROR, "__class__ assignment: '" + jstr(vm, typeName(vm, v)) + "' object layout differs from '" + jstr(vm, typeName(vm, t)) + "'");
    H[(obj >> 2) + LY.I_TYPE] = v;
    return;
  }
  if (k === K.EXC) {
    const p = obj >> 2;
    switch (name) {
      case qw(Q.__traceback__): H[p + LY.E_TB] = v === LY.NONE ? LY.NULL : v; return;
      case qw(Q.__cause__): H[p + LY.E_CAUSE] = v; H[p + LY.E_FLAGS] = smi(1); return;
      case qw(Q.__context__): H[p + LY.E_CONTEXT] = v; return;
      case qw(Q.__suppress_context__): H[p + LY.E_FLAGS] = smi(v === LY.TRUE ? 1 : 0); return;
      case qw(Q.args): H[p + LY.E_ARGS] = v; return;
    }
  }
  if (k === K.FUNC && (name === qw(Q.__globals__) || name === qw(Q.__closure__) || name === qw(Q.__code__)))
    throw raise(vm, T.ATTRIBUTE_ERROR, "readonly attribute");
  const d = instanceDict(vm, obj, true);
  if (d === LY.NULL) {
    if (isType(vm, obj)) throw raise(vm, T.TYPE_ERROR, "cannot set '" + jstr(vm, name) + "' attribute of immutable type '" + jstr(vm, typeName(vm, obj)) + "'");
    throw raise(vm, T.ATTRIBUTE_ERROR, "'" + jstr(vm, typeName(vm, t)) + "' object has no attribute '" + jstr(vm, name) + "'");
  }
  const key = intern(vm, name);
  vm.tpush(key);
  dictSet(vm, d, key, v);
  vm.tpop(1);
  if (isCls) noteClassAttr(vm, obj, key, v);
}

/** Keep a class's fast-path flags right when a special method is assigned after the class was made. */
export function noteClassAttr(vm: Vm, cls: number, name: number, v: number): void {
  const H = vm.H;
  typesChanged(vm);
  let bit = 0;
  if (name === qw(Q.__getattr__)) bit = LY.TF_GETATTR;
  else if (name === qw(Q.__getattribute__)) bit = LY.TF_GETATTRIBUTE;
  else if (name === qw(Q.__setattr__) || name === qw(Q.__delattr__)) bit = LY.TF_SETATTR;
  else if (kindOf(vm, v) === K.INST) bit = LY.TF_DESCRIPTORS;
  if (bit) H[(cls >> 2) + LY.TY_FLAGS] |= bit << 1;
}

export function delAttr(vm: Vm, obj: number, name: number): void {
  const H = vm.H;
  const t = typeOf(vm, obj);
  if ((t & 3) === 0 && (H[(t >> 2) + LY.TY_FLAGS] >> 1) & LY.TF_SETATTR) {
    const da = lookupType(vm, t, qw(Q.__delattr__));
    if (da !== LY.NULL && (da & 3) === 0) {
      call2(vm, da, obj, name);
      return;
    }
  }
  genericDelAttr(vm, obj, t, name);
}

/** object.__delattr__ */
export function genericDelAttr(vm: Vm, obj: number, t: number, name: number): void {
  const H = vm.H;
  const d = lookupType(vm, t, name);
  if (d !== LY.NULL && (d & 3) === 0 && kindOf(vm, obj) !== K.TYPE) {
    const dk = kindOf(vm, d);
    if (dk === K.PROPERTY) {
      const del = H[(d >> 2) + 3];
      if (del === LY.NONE) throw raise(vm, T.ATTRIBUTE_ERROR, "can't delete attribute '" + jstr(vm, name) + "'");
      call1(vm, del, obj);
      return;
    }
    if (dk === K.INST) {
      const dm = lookupType(vm, typeOf(vm, d), qw(Q.__delete__));
      if (dm !== LY.NULL) {
        call2(vm, dm, d, obj);
        return;
      }
    }
  }
  const idict = instanceDict(vm, obj, false);
  if (idict === LY.NULL || tableDelete(vm, idict, name) === LY.NULL) throw attrError(vm, obj, name);
  if (kindOf(vm, obj) === K.TYPE) typesChanged(vm);
}

