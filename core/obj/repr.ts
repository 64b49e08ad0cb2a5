// repr() and str() of every kind of value, built as JS byte strings and stored once at the end. Containers guard
// against cycles ("[...]") and against deep nesting, which would otherwise recurse in JS.
import { K, M_DICT, IT, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise } from "../vm/exc";
import { kindOf, lookupSpecial, bytesView, bvOff, bvLen, rangeLen } from "../vm/ops";
import { call1 } from "../vm/call";
import { typeOf, typeName, isSubtype, isType } from "./type";
import { str, jstr, sbuf, soff, slen, qw, utf8Decode, utf8SeqLen, utf8Encode } from "./str";
import { floatVal, intToString } from "./num";
import { floatRepr } from "../float";
import { seqItems } from "./seq";
import { dictGetStr } from "./dict";
import { nativeName, staticAttr, selfNative } from "../vm/registry";
import { CF } from "../code";
import { imm } from "../vm/layout";
import { errnoName } from "../modules/errno";
import { isPrintableCp } from "./strmethods";

const MAX_DEPTH = 64;
let depth = 0;
/** Containers being printed, for cycle detection. */
const active: number[] = [];

function isStrW(vm: Vm, w: number): boolean {
  return (w & 3) === 2 ? w >> 2 >= LY.QSTR_BASE : kindOf(vm, w) === K.STR;
}

/** A special method of w's class that is not object's default one (user code, or a builtin type's own). */
function ownSpecial(vm: Vm, w: number, name: number): number {
  const m = lookupSpecial(vm, w, name);
  if (m === LY.NULL || m === staticAttr(T.OBJECT, name)) return LY.NULL;
  if ((m & 3) === 2 && kindOf(vm, w) === K.INST && !selfNative(m)) return LY.NULL; // a builtin base's method: the wrapped value prints itself
  return m;
}

export function toRepr(vm: Vm, w: number): number {
  if (isStrW(vm, w) || (w & 1) === 0) {
    const k = kindOf(vm, w);
    if (k === K.INST || k === K.EXC || k === K.NATIVE_OBJ) {
      const m = ownSpecial(vm, w, qw(Q.__repr__));
      if (m !== LY.NULL) return checkStr(vm, call1(vm, m, w), "__repr__");
    }
  }
  return str(vm, reprJs(vm, w));
}

export function toStr(vm: Vm, w: number): number {
  if (isStrW(vm, w)) return w;
  const k = kindOf(vm, w);
  if (k === K.INST || k === K.EXC || k === K.NATIVE_OBJ || k === K.TYPE) {
    const m = ownSpecial(vm, w, qw(Q.__str__));
    if (m !== LY.NULL) return checkStr(vm, call1(vm, m, w), "__str__");
  }
  return str(vm, strJs(vm, w));
}

export function toAscii(vm: Vm, w: number): number {
  const r = toRepr(vm, w);
  return str(vm, asciiEscape(jstr(vm, r)));
}

/**
 * For the builtin value a subclass instance wraps: the builtin's name if its repr names the subclass instead
 * (set, frozenset, bytearray: PS({1}), PS(), PB(b'a')), else "" (list, dict, int… show the value only).
 */
function namedBase(vm: Vm, nat: number): string {
  const k = kindOf(vm, nat);
  if (k === K.SET) return "set";
  if (k === K.FROZENSET) return "frozenset";
  return k === K.BYTEARRAY && !((vm.H[(nat >> 2) + 3] >> 1) & 2) ? "bytearray" : "";
}

function checkStr(vm: Vm, r: number, what: string): number {
  if (!isStrW(vm, r)) throw raise(vm, T.TYPE_ERROR, what + " returned non-string (type " + jstr(vm, typeName(vm, typeOf(vm, r))) + ")");
  return r;
}

/** str(w) as a JS byte string. */
export function strJs(vm: Vm, w: number): string {
  if (isStrW(vm, w)) return jstr(vm, w);
  const k = kindOf(vm, w);
  if (k === K.EXC) return excStr(vm, w);
  if (k === K.INST || k === K.NATIVE_OBJ || k === K.TYPE) {
    const m = ownSpecial(vm, w, qw(Q.__str__));
    if (m !== LY.NULL) return jstr(vm, checkStr(vm, call1(vm, m, w), "__str__"));
    if (k === K.INST && vm.H[(w >> 2) + 3] !== LY.NULL) {
      const r = lookupSpecial(vm, w, qw(Q.__repr__));
      if (r === LY.NULL || ((r & 3) === 2 && !selfNative(r))) {
        // str() of a set, frozenset or bytearray is its repr, which names the subclass (reprJs)
        const nat = vm.H[(w >> 2) + 3];
        return namedBase(vm, nat) !== "" ? reprJs(vm, w) : strJs(vm, nat);
      }
    }
  }
  return reprJs(vm, w);
}

function excStr(vm: Vm, e: number): string {
  const m = lookupSpecial(vm, e, qw(Q.__str__));
  if (m !== LY.NULL && (m & 3) !== 2) return jstr(vm, checkStr(vm, call1(vm, m, e), "__str__"));
  const H = vm.H;
  const args = H[(e >> 2) + LY.E_ARGS];
  const n = H[(args >> 2) + LY.SEQ_LEN] >> 1;
  if (n === 0) return "";
  if (n <= 2 && H[(args >> 2) + LY.TUP_ITEMS] & 1 && isSubtype(vm, typeOf(vm, e), imm(T.OS_ERROR))) {
    // MicroPython's OSError: "[Errno 5] EIO", "[Errno 5] EIO: details"
    const code = H[(args >> 2) + LY.TUP_ITEMS] >> 1;
    const nm = errnoName(code);
    if (n === 2) return "[Errno " + code + "] " + (nm ? jstr(vm, nm) + ": " : "") + strJs(vm, H[(args >> 2) + LY.TUP_ITEMS + 1]);
    if (nm) return "[Errno " + code + "] " + jstr(vm, nm);
  }
  if (n === 2 && isSubtype(vm, typeOf(vm, e), imm(T.SYNTAX_ERROR))) {
    // CPython's SyntaxError_str: "msg (file.py, line 3)", the file without its directories
    const d = H[(args >> 2) + LY.TUP_ITEMS + 1];
    if (kindOf(vm, d) === K.TUPLE && H[(d >> 2) + LY.SEQ_LEN] >> 1 >= 2) {
      const fw = H[(d >> 2) + LY.TUP_ITEMS];
      const lw = H[(d >> 2) + LY.TUP_ITEMS + 1];
      const msg = strJs(vm, H[(args >> 2) + LY.TUP_ITEMS]);
      const file = isStrW(vm, fw) ? jstr(vm, fw).replace(/^.*\//, "") : null;
      const line = lw & 1 ? String(lw >> 1) : null;
      if (file !== null && line !== null) return msg + " (" + file + ", line " + line + ")";
      if (file !== null) return msg + " (" + file + ")";
      if (line !== null) return msg + " (line " + line + ")";
      return msg;
    }
  }
  if (n === 1) {
    const a = H[(args >> 2) + LY.TUP_ITEMS];
    if (isSubtype(vm, typeOf(vm, e), imm(T.KEY_ERROR))) return reprJs(vm, a);
    return strJs(vm, a);
  }
  return reprJs(vm, args);
}

function addr(w: number): string {
  return "0x" + ((w >> 2) * 4 + 0x7f000000).toString(16);
}

/** The qualified name of a class, with its module unless builtins: "__main__.C". */
export function classPath(vm: Vm, t: number): string {
  if ((t & 3) === 2) return jstr(vm, typeName(vm, t));
  const H = vm.H;
  const mod = dictGetStr(vm, H[(t >> 2) + LY.TY_DICT], qw(Q.__module__));
  const q = jstr(vm, H[(t >> 2) + LY.TY_QUALNAME]);
  if (mod !== LY.NULL && isStrW(vm, mod) && jstr(vm, mod) !== "builtins") return jstr(vm, mod) + "." + q;
  return q;
}

/** repr(w) as a JS byte string (user __repr__ included). */
export function reprJs(vm: Vm, w: number): string {
  if (w & 1) return "" + (w >> 1);
  if ((w & 3) === 2) {
    if (w === LY.NONE) return "None";
    if (w === LY.TRUE) return "True";
    if (w === LY.FALSE) return "False";
    if (w === LY.ELLIPSIS) return "Ellipsis";
    if (w === LY.NOT_IMPLEMENTED) return "NotImplemented";
    const id = w >> 2;
    if (id >= LY.QSTR_BASE) return strRepr(vm, w);
    if (id >= LY.NATIVE_BASE) return "<built-in function " + jstr(vm, (nativeName(w) << 2) | 2) + ">";
    if (id >= LY.TYPE_BASE) return "<class '" + jstr(vm, typeName(vm, w)) + "'>";
    return "<object>";
  }
  const H = vm.H;
  const p = w >> 2;
  const k = H[p] & 127;
  switch (k) {
    case K.STR:
      return strRepr(vm, w);
    case K.BYTES:
      return bytesRepr(vm, w);
    case K.BYTEARRAY:
      return (H[p + 3] >> 1) & 2 ? "<memory at " + addr(w) + ">" : "bytearray(" + bytesRepr(vm, w) + ")";
    case K.FLOAT:
      return floatRepr(floatVal(vm, w));
    case K.BIGINT:
      return intToString(vm, w, 10);
    case K.TUPLE:
    case K.LIST: {
      const n = H[p + LY.SEQ_LEN] >> 1;
      if (k === K.TUPLE && n === 0) return "()";
      if (!enter(vm, w)) return k === K.LIST ? "[...]" : "(...)";
      try {
        let s = k === K.LIST ? "[" : "(";
        for (let i = 0; i < (H[p + LY.SEQ_LEN] >> 1); i++) {
          if (i) s += ", ";
          s += reprJs(vm, H[seqItems(vm, w) + i]);
        }
        if (k === K.TUPLE && n === 1) s += ",";
        return s + (k === K.LIST ? "]" : ")");
      } finally {
        leave();
      }
    }
    case K.DICT:
      return dictRepr(vm, w, "", "");
    case K.SET:
    case K.FROZENSET: {
      const used = H[p + 1] >> 1;
      const name = k === K.SET ? "set" : "frozenset";
      if (used === 0) return name + "()";
      if (!enter(vm, w)) return name + "(...)";
      try {
        let s = k === K.SET ? "{" : "frozenset({";
        let first = true;
        const n = H[p + LY.D_NENT] >> 1;
        for (let i = 0; i < n; i++) {
          const e = (H[p + LY.D_ENT] >> 2) + 1 + 3 * i;
          if (H[e + 1] === LY.NULL) continue;
          if (!first) s += ", ";
          first = false;
          s += reprJs(vm, H[e + 1]);
        }
        return s + (k === K.SET ? "}" : "})");
      } finally {
        leave();
      }
    }
    case K.RANGE: {
      const step = H[p + 3] >> 1;
      return "range(" + (H[p + 1] >> 1) + ", " + (H[p + 2] >> 1) + (step !== 1 ? ", " + step : "") + ")";
    }
    case K.SLICE:
      return "slice(" + reprJs(vm, H[p + 1]) + ", " + reprJs(vm, H[p + 2]) + ", " + reprJs(vm, H[p + 3]) + ")";
    case K.FUNC:
      return "<function " + funcQualname(vm, w) + " at " + addr(w) + ">";
    case K.BOUND: {
      const f = H[p + LY.B_FUNC];
      const self = H[p + LY.B_SELF];
      if (kindOf(vm, f) === K.FUNC) return "<bound method " + funcQualname(vm, f) + " of " + reprJs(vm, self) + ">";
      return "<built-in method " + jstr(vm, (nativeName(f) << 2) | 2) + " of " + jstr(vm, typeName(vm, typeOf(vm, self))) + " object at " + addr(self) + ">";
    }
    case K.TYPE:
      return "<class '" + classPath(vm, w) + "'>";
    case K.MODULE:
      return "<module '" + jstr(vm, H[p + LY.M_NAME]) + "'>";
    case K.GEN: {
      const kind = jstr(vm, typeName(vm, typeOf(vm, w)));
      return "<" + kind + " object " + jstr(vm, H[p + LY.G_NAME]) + " at " + addr(w) + ">";
    }
    case K.EXC: {
      const args = H[p + LY.E_ARGS];
      const n = H[(args >> 2) + LY.SEQ_LEN] >> 1;
      const name = jstr(vm, typeName(vm, typeOf(vm, w)));
      if (n === 1) return name + "(" + reprJs(vm, H[(args >> 2) + LY.TUP_ITEMS]) + ")";
      return name + reprJs(vm, args);
    }
    case K.INST:
    case K.NATIVE_OBJ: {
      const m = ownSpecial(vm, w, qw(Q.__repr__));
      if (m !== LY.NULL) return jstr(vm, checkStr(vm, call1(vm, m, w), "__repr__"));
      const nat = k === K.INST ? H[p + 3] : LY.NULL;
      if (nat !== LY.NULL) {
        const r = reprJs(vm, nat);
        const base = namedBase(vm, nat);
        if (base === "") return r;
        const name = jstr(vm, typeName(vm, typeOf(vm, w)));
        return r.substr(0, base.length + 1) === base + "(" ? name + r.substr(base.length) : name + "(" + r + ")";
      }
      return "<" + classPath(vm, typeOf(vm, w)) + " object at " + addr(w) + ">";
    }
    case K.ITER: {
      const sub = H[p + 1] >> 1;
      if (sub === IT.DICT_VIEW_KEYS || sub === IT.DICT_VIEW_VALUES || sub === IT.DICT_VIEW_ITEMS) {
        const d = H[p + 2];
        const names = ["dict_keys", "dict_values", "dict_items"];
        const name = names[sub - IT.DICT_VIEW_KEYS];
        if (!enter(vm, w)) return name + "(...)";
        try {
          let s = name + "([";
          let first = true;
          const n = H[(d >> 2) + LY.D_NENT] >> 1;
          for (let i = 0; i < n; i++) {
            const e = (H[(d >> 2) + LY.D_ENT] >> 2) + 1 + 3 * i;
            if (H[e + 1] === LY.NULL) continue;
            if (!first) s += ", ";
            first = false;
            if (sub === IT.DICT_VIEW_KEYS) s += reprJs(vm, H[e + 1]);
            else if (sub === IT.DICT_VIEW_VALUES) s += reprJs(vm, H[e + 2]);
            else s += "(" + reprJs(vm, H[e + 1]) + ", " + reprJs(vm, H[e + 2]) + ")";
          }
          return s + "])";
        } finally {
          leave();
        }
      }
      return "<" + jstr(vm, typeName(vm, typeOf(vm, w))) + " object at " + addr(w) + ">";
    }
    case K.PROPERTY:
      return "<property object at " + addr(w) + ">";
    case K.CLASSMETHOD:
      return "<classmethod object at " + addr(w) + ">";
    case K.STATICMETHOD:
      return "<staticmethod object at " + addr(w) + ">";
    case K.CELL:
      return "<cell at " + addr(w) + ">";
    case K.CODE:
      return "<code object at " + addr(w) + ">";
    case K.SUPER:
      return "<super: <class '" + jstr(vm, typeName(vm, H[p + 1])) + "'>, " + (H[p + 2] === LY.NONE ? "NULL" : "<" + jstr(vm, typeName(vm, typeOf(vm, H[p + 2]))) + " object>") + ">";
  }
  return "<" + jstr(vm, typeName(vm, typeOf(vm, w))) + " object at " + addr(w) + ">";
}

/** "{k: v, …}" with an optional prefix/suffix (OrderedDict, defaultdict wrap it). */
export function dictRepr(vm: Vm, d: number, pre: string, post: string): string {
  const H = vm.H;
  const p = d >> 2;
  if ((H[p + 1] >> 1) === 0) return pre + "{}" + post;
  if (!enter(vm, d)) return pre + "{...}" + post;
  try {
    let s = pre + "{";
    let first = true;
    for (let i = 0; i < (H[p + LY.D_NENT] >> 1); i++) {
      const e = (H[p + LY.D_ENT] >> 2) + 1 + 3 * i;
      if (H[e + 1] === LY.NULL) continue;
      if (!first) s += ", ";
      first = false;
      s += reprJs(vm, H[e + 1]) + ": " + reprJs(vm, H[e + 2]);
    }
    return s + "}" + post;
  } finally {
    leave();
  }
}

function enter(vm: Vm, w: number): boolean {
  for (let i = 0; i < active.length; i++) if (active[i] === w) return false;
  if (depth >= MAX_DEPTH) throw raise(vm, T.RECURSION_ERROR, "maximum recursion depth exceeded while getting the repr of an object");
  depth++;
  active.push(w);
  return true;
}

function leave(): void {
  depth--;
  active.pop();
}

export function funcQualname(vm: Vm, f: number): string {
  const H = vm.H;
  const co = H[(f >> 2) + LY.FN_CODE] >> 2;
  const li = vm.images[H[co + LY.CODE_IMG] >> 1];
  return jstr(vm, H[(li.names >> 2) + LY.TUP_ITEMS + li.img.codes[(H[co + LY.CODE_IDX] >> 1) * CF.CODE_FIELDS + CF.C_QUALNAME]]);
}

const HEX = "0123456789abcdef";

function hex2(c: number): string {
  return "\\x" + HEX.charAt(c >> 4) + HEX.charAt(c & 15);
}

/** Python's repr of a str: quotes chosen as CPython does, escapes for control characters. */
export function strRepr(vm: Vm, w: number): string {
  const b = sbuf(vm, w);
  const o = soff(vm, w);
  const n = slen(vm, w);
  let sq = false;
  let dq = false;
  for (let i = 0; i < n; i++) {
    if (b[o + i] === 39) sq = true;
    else if (b[o + i] === 34) dq = true;
  }
  const q = sq && !dq ? 34 : 39;
  let s = String.fromCharCode(q);
  let i = 0;
  while (i < n) {
    const c = b[o + i];
    if (c < 128) {
      i++;
      if (c === q || c === 92) s += "\\" + String.fromCharCode(c);
      else if (c === 10) s += "\\n";
      else if (c === 13) s += "\\r";
      else if (c === 9) s += "\\t";
      else if (c < 32 || c === 127) s += hex2(c);
      else s += String.fromCharCode(c);
      continue;
    }
    const len = utf8SeqLen(c);
    const cp = utf8Decode(b, o + i);
    // non-printable characters (the str.isprintable() table) are escaped, as CPython's repr does
    if (!isPrintableCp(cp)) s += cp < 0x100 ? hex2(cp) : cp < 0x10000 ? "\\u" + ("000" + cp.toString(16)).slice(-4) : "\\U" + ("0000000" + cp.toString(16)).slice(-8);
    else for (let j = 0; j < len; j++) s += String.fromCharCode(b[o + i + j]);
    i += len;
  }
  return s + String.fromCharCode(q);
}

/** b'…' for bytes, bytearray and memoryview contents. */
export function bytesRepr(vm: Vm, w: number): string {
  const b = bytesView(vm, w);
  const o = bvOff;
  const n = bvLen;
  let sq = false;
  let dq = false;
  for (let i = 0; i < n; i++) {
    if (b[o + i] === 39) sq = true;
    else if (b[o + i] === 34) dq = true;
  }
  const q = sq && !dq ? 34 : 39;
  const ba = kindOf(vm, w) === K.BYTEARRAY; // CPython's bytearray repr escapes ' even inside "…"
  let s = "b" + String.fromCharCode(q);
  for (let i = 0; i < n; i++) {
    const c = b[o + i];
    if (c === q || c === 92 || (c === 39 && ba)) s += "\\" + String.fromCharCode(c);
    else if (c === 10) s += "\\n";
    else if (c === 13) s += "\\r";
    else if (c === 9) s += "\\t";
    else if (c < 32 || c >= 127) s += hex2(c);
    else s += String.fromCharCode(c);
  }
  return s + String.fromCharCode(q);
}

/** ascii(): non-ASCII characters of a repr escaped as \xNN, \uNNNN or \UNNNNNNNN. */
export function asciiEscape(s: string): string {
  let out = "";
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      out += s.charAt(i++);
      continue;
    }
    const len = utf8SeqLen(c);
    const bytes = new Uint8Array(4);
    for (let j = 0; j < len; j++) bytes[j] = s.charCodeAt(i + j);
    const cp = utf8Decode(bytes, 0);
    i += len;
    if (cp < 256) out += hex2(cp);
    else if (cp < 65536) out += "\\u" + ("000" + cp.toString(16)).slice(-4);
    else out += "\\U" + ("0000000" + cp.toString(16)).slice(-8);
  }
  return out;
}

export { utf8Encode, isType, rangeLen, M_DICT };
