// The builtins module: print, len, isinstance, min/max/sorted, getattr and friends, exec/eval/compile, input…
// Builtin types (int, str, list…) are attributes here too; their constructors live with their methods in core/obj.
import { K, imm, smi, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T, TYPE_NAME, TYPE_FLAGS } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise, raiseObj, PY_EXC } from "../vm/exc";
import { native, defineModule, NF_KW, moduleStaticAttr, findModule, staticAttrNames, moduleStaticNames } from "../vm/registry";
import {
  kindOf, typeNameJs, truthy, hashOf, lenOf, richCompare, binaryOp, toIndex, unaryOp, lookupSpecial, eq, isBuffer,
} from "../vm/ops";
import { call1, call2, callN, callNested } from "../vm/call";
import { S as bytesJs } from "../obj/strmethods";
import { getAttrOrNull, getAttr, setAttr, delAttr, instanceDict } from "../vm/attr";
import { getIter, iterNext, listOf, newIter } from "../obj/items";
import { typeOf, isType, isSubtype, typeName, isInstance, mroAt } from "../obj/type";
import { str, jstr, qw, sclen, sbuf, soff, slen, utf8Decode, intern, internJs } from "../obj/str";
import { toRepr, toStr, toAscii, strJs, reprJs } from "../obj/repr";
import { formatJs, chr } from "../obj/format";
import {
  isFloat, floatVal, newFloat, isIntLike, intToString, intSign, intAbs, intFromNumber, intDivMod, intPowMod, intToDouble,
  intFromDouble, isBig, floatDivmodPair,
} from "../obj/num";
import { floatRound } from "../float";
import { newTuple, newList, listAppend, seqItems, seqLen } from "../obj/seq";
import { newDict, dictGetStr, dictSet, tableNext, entryKey, watchTable, watchedVersion } from "../obj/dict";
import { sortWords } from "../obj/sort";
import { IT } from "../vm/layout";
import { loadModule } from "../vm/import";
import { addImage, runCode } from "../vm/run";
import { BUILD_CLASS } from "../obj/class";
import { openFn } from "../obj/fileobj";

// --- output --------------------------------------------------------------------------------------------------------

/** Write a JS byte string to stdout (fd 1) or stderr (fd 2). */
export function writeOut(vm: Vm, fd: number, s: string): void {
  const n = s.length;
  const buf = new Uint8Array(n);
  for (let i = 0; i < n; i++) buf[i] = s.charCodeAt(i);
  vm.hal.write(fd, buf, 0, n);
}

/** Write s to a file-like object: sys.stdout/sys.stderr go to the HAL, anything else through its write(). */
export function writeTo(vm: Vm, file: number, s: string): void {
  if (file === LY.NONE || file === LY.NULL) return writeOut(vm, 1, s);
  const fd = vm.fdOf ? vm.fdOf(vm, file) : -1;
  if (fd > 0) return writeOut(vm, fd, s);
  const w = getAttr(vm, file, qw(Q.write));
  vm.tpush(w);
  call1(vm, w, str(vm, s));
  vm.tpop(1);
}

/** The value of keyword argument `name` of a native call, or NULL. */
export function kwArg(vm: Vm, a: number, n: number, kw: number, name: number): number {
  if (kw === LY.NULL) return LY.NULL;
  const H = vm.H;
  const nk = H[(kw >> 2) + LY.SEQ_LEN] >> 1;
  for (let i = 0; i < nk; i++) {
    const k = H[(kw >> 2) + LY.TUP_ITEMS + i];
    if (k === name || jstr(vm, k) === jstr(vm, name)) return H[a + n + i];
  }
  return LY.NULL;
}

/** Refuse keywords other than the given names. */
export function checkKw(vm: Vm, fname: string, kw: number, allowed: number[]): void {
  if (kw === LY.NULL) return;
  const H = vm.H;
  const nk = H[(kw >> 2) + LY.SEQ_LEN] >> 1;
  for (let i = 0; i < nk; i++) {
    const k = H[(kw >> 2) + LY.TUP_ITEMS + i];
    let ok = false;
    for (let j = 0; j < allowed.length; j++) if (k === allowed[j] || jstr(vm, k) === jstr(vm, allowed[j])) ok = true;
    if (!ok) throw raise(vm, T.TYPE_ERROR, "'" + jstr(vm, k) + "' is an invalid keyword argument for " + fname + "()");
  }
}

function print(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  checkKw(vm, "print", kw, [qw(Q.sep), qw(Q.end), qw(Q.file), qw(Q.flush)]);
  const sepW = kwArg(vm, a, n, kw, qw(Q.sep));
  const endW = kwArg(vm, a, n, kw, qw(Q.end));
  const file = kwArg(vm, a, n, kw, qw(Q.file));
  const sep = sepW === LY.NULL || sepW === LY.NONE ? " " : strArg(vm, sepW, "sep must be None or a string, not ");
  const end = endW === LY.NULL || endW === LY.NONE ? "\n" : strArg(vm, endW, "end must be None or a string, not ");
  let s = "";
  for (let i = 0; i < n; i++) {
    if (i) s += sep;
    s += strJs(vm, H[a + i]);
  }
  // a Python file object sees the text and the end as two writes, as CPython and MicroPython do
  if (file !== LY.NULL && file !== LY.NONE && (vm.fdOf ? vm.fdOf(vm, file) : -1) < 0) {
    writeTo(vm, file, s);
    writeTo(vm, file, end);
  } else writeTo(vm, file, s + end);
  return LY.NONE;
}

function strArg(vm: Vm, w: number, msg: string): string {
  if ((w & 3) === 2 ? w >> 2 < 8192 : kindOf(vm, w) !== K.STR) throw raise(vm, T.TYPE_ERROR, msg + typeNameJs(vm, w));
  return jstr(vm, w);
}

/** The REPL's PRINT_EXPR: show repr(v) unless None, and keep it as `_`. */
export function printValue(vm: Vm, v: number): void {
  if (v === LY.NONE) return;
  const b = builtinsModule(vm);
  dictSet(vm, vm.H[(b >> 2) + LY.M_DICT], qw(Q._), v);
  writeOut(vm, 1, jstr(vm, toRepr(vm, v)) + "\n");
}

// --- lookup ----------------------------------------------------------------------------------------------------------

let builtinsIndex = -1;

/** The builtins module object (made on first use). */
export function builtinsModule(vm: Vm): number {
  let m = vm.extraRoots[ROOT_BUILTINS];
  if (m === LY.NULL) {
    m = loadModule(vm, "builtins");
    vm.extraRoots[ROOT_BUILTINS] = m;
  }
  return m;
}

export const ROOT_BUILTINS = 1;

// Names found among the static builtins (immediate values only), direct-mapped by qstr id: valid while the same VM
// has the same builtins module and no key was added to its dict since (a key there shadows the static one).
const BC = new Int32Array(512);
let bcVm: Vm | null = null;
let bcMod = -1;
let bcVer = -1;

/** A builtin by (interned) name, or NULL. */
export function builtinLookup(vm: Vm, name: number): number {
  const m = vm.extraRoots[ROOT_BUILTINS];
  const slot = ((name >> 2) & 255) << 1;
  if (bcVm !== vm || bcMod !== m || bcVer !== watchedVersion()) {
    BC.fill(0);
    bcVm = vm;
    bcMod = m;
    if (m !== LY.NULL) watchTable(vm.H[(m >> 2) + LY.M_DICT]);
    bcVer = watchedVersion();
  } else if (BC[slot] === name) return BC[slot + 1];
  if (m !== LY.NULL) {
    const v = dictGetStr(vm, vm.H[(m >> 2) + LY.M_DICT], name);
    if (v !== LY.NULL) return v;
  }
  if (builtinsIndex < 0) builtinsIndex = findModule(qw(Q.builtins));
  const w = moduleStaticAttr(vm, builtinsIndex, name);
  if (w !== LY.NULL && (name & 3) === 2) {
    BC[slot] = name;
    BC[slot + 1] = w;
  }
  return w;
}

/**
 * A builtin by (interned) name if it is a static one that no key of the builtins module's dict shadows (what
 * builtinLookup caches; valid while watchedVersion() stays), else NULL.
 */
export function staticBuiltin(vm: Vm, name: number): number {
  const w = builtinLookup(vm, name);
  const slot = ((name >> 2) & 255) << 1;
  return w !== LY.NULL && BC[slot] === name && BC[slot + 1] === w ? w : LY.NULL;
}

// --- the functions ---------------------------------------------------------------------------------------------------

function len(vm: Vm, a: number): number {
  return smi(lenOf(vm, vm.H[a]));
}

function isinstanceOf(vm: Vm, obj: number, t: number): boolean {
  const H = vm.H;
  if (kindOf(vm, t) === K.TUPLE) {
    const n = H[(t >> 2) + LY.SEQ_LEN] >> 1;
    for (let i = 0; i < n; i++) if (isinstanceOf(vm, obj, H[(t >> 2) + LY.TUP_ITEMS + i])) return true;
    return false;
  }
  if (!isType(vm, t)) throw raise(vm, T.TYPE_ERROR, "isinstance() arg 2 must be a type, a tuple of types, or a union");
  if ((t & 3) === 0) {
    const ic = lookupSpecial(vm, t, qw(Q.__instancecheck__));
    if (ic !== LY.NULL && (ic & 3) === 0) return truthy(vm, call2(vm, ic, t, obj));
  }
  return isInstance(vm, obj, t);
}

function issubclassOf(vm: Vm, c: number, t: number): boolean {
  const H = vm.H;
  if (!isType(vm, c)) throw raise(vm, T.TYPE_ERROR, "issubclass() arg 1 must be a class");
  if (kindOf(vm, t) === K.TUPLE) {
    const n = H[(t >> 2) + LY.SEQ_LEN] >> 1;
    for (let i = 0; i < n; i++) if (issubclassOf(vm, c, H[(t >> 2) + LY.TUP_ITEMS + i])) return true;
    return false;
  }
  if (!isType(vm, t)) throw raise(vm, T.TYPE_ERROR, "issubclass() arg 2 must be a class, a tuple of classes, or a union");
  return isSubtype(vm, c, t);
}

/** min()/max(): iterable or several arguments, key= and default=. */
function minmax(vm: Vm, a: number, n: number, kw: number, op: number, name: string): number {
  const H = vm.H;
  checkKw(vm, name, kw, [qw(Q.key), qw(Q.default)]);
  const key = kwArg(vm, a, n, kw, qw(Q.key));
  const dflt = kwArg(vm, a, n, kw, qw(Q.default));
  let items: number;
  if (n === 1) items = listOf(vm, H[a]);
  else {
    if (dflt !== LY.NULL) throw raise(vm, T.TYPE_ERROR, "Cannot specify a default for " + name + "() with multiple positional arguments");
    items = newList(vm, n, n);
    for (let i = 0; i < n; i++) H[seqItems(vm, items) + i] = H[a + i];
  }
  vm.tpush(items);
  try {
    const m = seqLen(vm, items);
    if (m === 0) {
      if (dflt !== LY.NULL) return dflt;
      throw raise(vm, T.VALUE_ERROR, name + "() iterable argument is empty");
    }
    let best = H[seqItems(vm, items)];
    let bestKey = key !== LY.NULL && key !== LY.NONE ? call1(vm, key, best) : best;
    vm.tpush(bestKey);
    for (let i = 1; i < seqLen(vm, items); i++) {
      const x = H[seqItems(vm, items) + i];
      const k = key !== LY.NULL && key !== LY.NONE ? call1(vm, key, x) : x;
      vm.tpush(k);
      if (k & bestKey & 1 ? (op === 0 ? k < bestKey : k > bestKey) : truthy(vm, richCompare(vm, op, k, bestKey))) {
        best = x;
        bestKey = k;
        vm.tr[vm.tn - 2] = k;
      }
      vm.tpop(1);
    }
    vm.tpop(1);
    return best;
  } finally {
    vm.tpop(1);
  }
}

function sum(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  checkKw(vm, "sum", kw, [qw(Q.start)]);
  let acc = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.start));
  if (acc === LY.NULL) acc = 1;
  const ka = kindOf(vm, acc);
  if (ka === K.STR || (acc & 3) === 2 && acc >> 2 >= 8192) throw raise(vm, T.TYPE_ERROR, "sum() can't sum strings [use ''.join(seq) instead]");
  if (ka === K.BYTES) throw raise(vm, T.TYPE_ERROR, "sum() can't sum bytes [use b''.join(seq) instead]");
  // a list or tuple is read in place (no iterator object), by index, its length read at each step as its iterator would
  const ks = kindOf(vm, H[a]);
  const seq = ks === K.LIST || ks === K.TUPLE ? H[a] : LY.NULL;
  const it = seq !== LY.NULL ? seq : getIter(vm, H[a]);
  vm.tpush(it);
  vm.tpush(acc);
  const slot = vm.tn - 1;
  let i = 0;
  try {
    // floats are summed in JS while they stay floats (no heap object per step)
    for (;;) {
      let x: number;
      if (seq !== LY.NULL) {
        if (i >= H[(seq >> 2) + LY.SEQ_LEN] >> 1) break;
        x = H[seqItems(vm, seq) + i++];
      } else {
        x = iterNext(vm, it);
        if (x === LY.NULL) break;
      }
      if (acc & 1 && x & 1) {
        const r = (acc >> 1) + (x >> 1);
        if (r >= -1073741824 && r <= 1073741823) {
          acc = (r << 1) | 1;
          vm.tr[slot] = acc;
          continue;
        }
      }
      acc = binaryOp(vm, 0, acc, x);
      vm.tr[slot] = acc;
    }
    return acc;
  } finally {
    vm.tpop(2);
  }
}

function sorted(vm: Vm, a: number, n: number, kw: number): number {
  checkKw(vm, "sorted", kw, [qw(Q.key), qw(Q.reverse)]);
  const l = listOf(vm, vm.H[a]);
  vm.tpush(l);
  const key = kwArg(vm, a, n, kw, qw(Q.key));
  const rev = kwArg(vm, a, n, kw, qw(Q.reverse));
  sortWords(vm, l, key === LY.NULL ? LY.NONE : key, rev !== LY.NULL && truthy(vm, rev));
  vm.tpop(1);
  return l;
}

function absFn(vm: Vm, a: number): number {
  const x = vm.H[a];
  if (isIntLike(vm, x)) return intAbs(vm, x);
  if (isFloat(vm, x)) return newFloat(vm, Math.abs(floatVal(vm, x)));
  const m = lookupSpecial(vm, x, qw(Q.__abs__));
  if (m !== LY.NULL) return call1(vm, m, x);
  throw raise(vm, T.TYPE_ERROR, "bad operand type for abs(): '" + typeNameJs(vm, x) + "'");
}

function anyAll(vm: Vm, a: number, want: boolean): number {
  const it = getIter(vm, vm.H[a]);
  vm.tpush(it);
  try {
    for (;;) {
      const x = iterNext(vm, it);
      if (x === LY.NULL) return want ? LY.FALSE : LY.TRUE;
      if (truthy(vm, x) === want) return want ? LY.TRUE : LY.FALSE;
    }
  } finally {
    vm.tpop(1);
  }
}

function baseStr(vm: Vm, x: number, radix: number, prefix: string): number {
  if (!isIntLike(vm, x)) {
    const m = lookupSpecial(vm, x, qw(Q.__index__));
    if (m === LY.NULL) throw raise(vm, T.TYPE_ERROR, "'" + typeNameJs(vm, x) + "' object cannot be interpreted as an integer");
    x = call1(vm, m, x);
  }
  const neg = intSign(vm, x) < 0;
  return str(vm, (neg ? "-" : "") + prefix + intToString(vm, intAbs(vm, x), radix));
}

function ord(vm: Vm, a: number): number {
  const x = vm.H[a];
  const k = kindOf(vm, x);
  if (k === K.BYTES || k === K.BYTEARRAY) {
    if (lenOf(vm, x) !== 1) throw raise(vm, T.TYPE_ERROR, "ord() expected a character, but string of length " + lenOf(vm, x) + " found");
    return smi(sbuf(vm, x)[soff(vm, x)]);
  }
  if (!((x & 3) === 2 ? x >> 2 >= 8192 : k === K.STR)) throw raise(vm, T.TYPE_ERROR, "ord() expected string of length 1, but " + typeNameJs(vm, x) + " found");
  if (sclen(vm, x) !== 1) throw raise(vm, T.TYPE_ERROR, "ord() expected a character, but string of length " + sclen(vm, x) + " found");
  return smi(utf8Decode(sbuf(vm, x), soff(vm, x)));
}

function chrFn(vm: Vm, a: number): number {
  const x = vm.H[a];
  if (!isIntLike(vm, x)) throw raise(vm, T.TYPE_ERROR, "'" + typeNameJs(vm, x) + "' object cannot be interpreted as an integer");
  const v = toIndex(vm, x, "chr");
  if (v < 0 || v > 0x10ffff) throw raise(vm, T.VALUE_ERROR, "chr() arg not in range(0x110000)");
  return str(vm, chr(v));
}

function divmodFn(vm: Vm, a: number): number {
  const H = vm.H;
  const x = H[a];
  const y = H[a + 1];
  const f = floatDivmodPair(vm, x, y); // floats in one go ("float divmod()" on a zero divisor)
  if (f !== LY.NULL) return f;
  const q = binaryOp(vm, 5, x, y);
  vm.tpush(q);
  const r = binaryOp(vm, 6, x, y);
  vm.tpush(r);
  const t = newTuple(vm, 2);
  vm.tpop(2);
  H[(t >> 2) + LY.TUP_ITEMS] = q;
  H[(t >> 2) + LY.TUP_ITEMS + 1] = r;
  return t;
}

function powFn(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  checkKw(vm, "pow", kw, [qw(Q.base), qw(Q.exp), qw(Q.mod)]);
  const b = n > 0 ? H[a] : kwArg(vm, a, n, kw, qw(Q.base));
  const e = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.exp));
  const m = n > 2 ? H[a + 2] : kwArg(vm, a, n, kw, qw(Q.mod));
  if (m === LY.NULL || m === LY.NONE) return binaryOp(vm, 7, b, e);
  if (!isIntLike(vm, b) || !isIntLike(vm, e) || !isIntLike(vm, m))
    throw raise(vm, T.TYPE_ERROR, "pow() 3rd argument not allowed unless all arguments are integers");
  return intPowMod(vm, b, e, m);
}

function roundFn(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  checkKw(vm, "round", kw, [qw(Q.ndigits)]);
  const x = H[a];
  const nd = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.ndigits));
  if (isFloat(vm, x)) {
    const v = floatVal(vm, x);
    if (nd === LY.NULL || nd === LY.NONE) {
      if (v !== v) throw raise(vm, T.VALUE_ERROR, "cannot convert float NaN to integer");
      if (v === Infinity || v === -Infinity) throw raise(vm, T.OVERFLOW_ERROR, "cannot convert float infinity to integer");
      let r = Math.floor(v);
      const d = v - r;
      if (d > 0.5 || (d === 0.5 && r % 2 !== 0)) r += 1;
      return intFromDouble(vm, r);
    }
    const r = floatRound(v, toIndex(vm, nd, "round"));
    if ((r === Infinity || r === -Infinity) && v !== r) throw raise(vm, T.OVERFLOW_ERROR, "rounded value too large to represent");
    return newFloat(vm, r);
  }
  if (isIntLike(vm, x)) {
    if (nd === LY.NULL || nd === LY.NONE) return x === LY.TRUE ? 3 : x === LY.FALSE ? 1 : x;
    const d = toIndex(vm, nd, "round");
    if (d >= 0) return x;
    // round to a multiple of 10**-d, half to even
    const p = binaryOp(vm, 7, smi(10), smi(-d));
    vm.tpush(p);
    const r = intDivMod(vm, x, p, 1);
    vm.tpush(r);
    let base = binaryOp(vm, 1, x, r);
    vm.tpush(base);
    const twice = binaryOp(vm, 2, r, smi(2));
    const c = richCompare(vm, 0, p, twice) === LY.TRUE ? 1 : eq(vm, twice, p) ? 0 : -1;
    if (c > 0 || (c === 0 && truthy(vm, intDivMod(vm, intDivMod(vm, base, p, 0), smi(2), 1)))) base = binaryOp(vm, 0, base, p);
    vm.tpop(3);
    return base;
  }
  const m = lookupSpecial(vm, x, qw(Q.__round__));
  if (m !== LY.NULL) return nd === LY.NULL ? call1(vm, m, x) : call2(vm, m, x, nd);
  throw raise(vm, T.TYPE_ERROR, "type " + typeNameJs(vm, x) + " doesn't define __round__ method");
}

function getattrFn(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  const name = nameArg(vm, H[a + 1], "getattr");
  if (n < 3) return getAttr(vm, H[a], name);
  const tn = vm.tn;
  try {
    const v = getAttrOrNull(vm, H[a], name);
    return v === LY.NULL ? H[a + 2] : v;
  } catch (e) {
    if (e === PY_EXC && isSubtype(vm, typeOf(vm, vm.excValue), imm(T.ATTRIBUTE_ERROR))) {
      vm.excValue = LY.NULL;
      vm.tn = tn;
      return H[a + 2];
    }
    throw e;
  }
}

function nameArg(vm: Vm, w: number, fn: string): number {
  if (!((w & 3) === 2 ? w >> 2 >= 8192 : kindOf(vm, w) === K.STR))
    throw raise(vm, T.TYPE_ERROR, fn + "(): attribute name must be string, not '" + typeNameJs(vm, w) + "'");
  return intern(vm, w);
}

function hasattrFn(vm: Vm, a: number): number {
  const H = vm.H;
  const name = nameArg(vm, H[a + 1], "hasattr");
  const tn = vm.tn;
  try {
    return getAttrOrNull(vm, H[a], name) !== LY.NULL ? LY.TRUE : LY.FALSE;
  } catch (e) {
    if (e === PY_EXC && isSubtype(vm, typeOf(vm, vm.excValue), imm(T.ATTRIBUTE_ERROR))) {
      vm.excValue = LY.NULL;
      vm.tn = tn;
      return LY.FALSE;
    }
    throw e;
  }
}

function nextFn(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  const it = H[a];
  const k = kindOf(vm, it);
  if (k !== K.ITER && k !== K.GEN && lookupSpecial(vm, it, qw(Q.__next__)) === LY.NULL)
    throw raise(vm, T.TYPE_ERROR, "'" + typeNameJs(vm, it) + "' object is not an iterator");
  if (k === K.GEN && n === 1) return genNext(vm, it);
  vm.lastStop = LY.NULL;
  const x = iterNext(vm, it);
  if (x !== LY.NULL) return x;
  if (n > 1) return H[a + 1];
  // re-raise the iterator's own StopIteration, keeping its value
  const stop = vm.lastStop;
  vm.lastStop = LY.NULL;
  if (stop !== LY.NULL) throw raiseObj(vm, stop);
  throw raise(vm, T.STOP_ITERATION, null);
}

let genNext: (vm: Vm, g: number) => number = function () {
  return LY.NONE;
};
export function setGenNext(f: (vm: Vm, g: number) => number): void {
  genNext = f;
}

function iterFn(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  if (n === 2) return newIter(vm, IT.CALLABLE, H[a], H[a + 1], LY.NULL);
  return getIter(vm, H[a]);
}

function callableFn(vm: Vm, a: number): number {
  const x = vm.H[a];
  const k = kindOf(vm, x);
  if (k === K.FUNC || k === K.BOUND || k === K.TYPE || isType(vm, x)) return LY.TRUE;
  if ((x & 3) === 2 && x >> 2 >= 512 && x >> 2 < 8192) return LY.TRUE;
  return lookupSpecial(vm, x, qw(Q.__call__)) !== LY.NULL ? LY.TRUE : LY.FALSE;
}

function idFn(vm: Vm, a: number): number {
  const x = vm.H[a];
  if (x & 1) return intFromNumber(vm, 0x10000000 + (x >> 1) * 2);
  return intFromNumber(vm, (x >> 2) * 4 + ((x & 3) === 2 ? 0x20000000 : 0x7f000000));
}

function globalsFn(vm: Vm): number {
  return vm.H[vm.frame + LY.F_GLOBALS];
}

function localsFn(vm: Vm): number {
  const H = vm.H;
  const l = H[vm.frame + LY.F_LOCALS];
  if (l !== LY.NULL) return l;
  return vm.localsOf ? vm.localsOf(vm, vm.frame) : newDict(vm);
}

function inputFn(vm: Vm, a: number, n: number): number {
  if (n > 0) writeOut(vm, 1, strJs(vm, vm.H[a]));
  if (!vm.readLine) throw raise(vm, T.EOF_ERROR, "EOF when reading a line");
  const line = vm.readLine(vm);
  if (line === null) throw raise(vm, T.EOF_ERROR, "EOF when reading a line");
  return str(vm, line);
}

/** exec/eval/compile: compile source on this platform (or take a code object) and run it. */
function codeFor(vm: Vm, src: number, mode: string, filename: string): number {
  if (kindOf(vm, src) === K.CODE) return src;
  const k = kindOf(vm, src);
  let text: string;
  if (isBuffer(vm, src)) text = bytesJs(vm, src); // bytes, bytearray, memoryview, array: the source's bytes
  else if ((src & 3) === 2 ? src >> 2 >= 8192 : k === K.STR) text = jstr(vm, src);
  else throw raise(vm, T.TYPE_ERROR, mode + "() arg 1 must be a string, bytes or code object");
  if (!vm.compile) throw raise(vm, T.NOT_IMPLEMENTED_ERROR, "this runtime has no compiler: compile on the host (espy repl/run)");
  const r = vm.compile(vm, text, filename, mode);
  const ii = addImage(vm, r, text, null);
  if (typeof ii === "string") throw raise(vm, T.SYSTEM_ERROR, ii);
  // the CODE object of the new image's module code
  return codeOfImage(vm, ii);
}

let codeOfImage: (vm: Vm, ii: number) => number = function () {
  return LY.NONE;
};
export function setCodeOfImage(f: (vm: Vm, ii: number) => number): void {
  codeOfImage = f;
}

function execEval(vm: Vm, a: number, n: number, mode: string): number {
  const H = vm.H;
  const code = codeFor(vm, H[a], mode, "<string>");
  vm.tpush(code);
  let g = n > 1 && H[a + 1] !== LY.NONE ? H[a + 1] : H[vm.frame + LY.F_GLOBALS];
  let l = n > 2 && H[a + 2] !== LY.NONE ? H[a + 2] : n > 1 && H[a + 1] !== LY.NONE ? g : H[vm.frame + LY.F_LOCALS];
  if (l === LY.NULL) l = localsFn(vm);
  if (kindOf(vm, g) !== K.DICT) throw raise(vm, T.TYPE_ERROR, mode + "() globals must be a dict, not " + typeNameJs(vm, g));
  if (l !== LY.NONE && kindOf(vm, l) !== K.DICT && lookupSpecial(vm, l, qw(Q.__getitem__)) === LY.NULL)
    throw raise(vm, T.TYPE_ERROR, "locals must be a mapping");
  if (dictGetStr(vm, g, qw(Q.__builtins__)) === LY.NULL) dictSet(vm, g, qw(Q.__builtins__), builtinsModule(vm));
  const ii = H[(code >> 2) + 1] >> 1;
  const r = runCode(vm, ii, g, l);
  vm.tpop(1);
  return mode === "eval" ? r : LY.NONE;
}

function compileFn(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  const mode = jstr(vm, n > 2 ? H[a + 2] : kwArg(vm, a, n, kw, qw(Q.mode)));
  if (mode !== "exec" && mode !== "eval" && mode !== "single") throw raise(vm, T.VALUE_ERROR, "compile() mode must be 'exec', 'eval' or 'single'");
  return codeFor(vm, H[a], mode, jstr(vm, H[a + 1]));
}

function dirFn(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  const names: number[] = [];
  const add = function (w: number): void {
    for (let i = 0; i < names.length; i++) if (names[i] === w || jstr(vm, names[i]) === jstr(vm, w)) return;
    names.push(w);
  };
  const addDict = function (d: number): void {
    if (d === LY.NULL) return;
    for (let i = tableNext(vm, d, 0); i >= 0; i = tableNext(vm, d, i + 1)) add(entryKey(vm, d, i));
  };
  if (n === 1 && !isType(vm, H[a])) {
    // an object's own __dir__ decides (but not a class's: dir(C) lists C's attributes)
    const m = lookupSpecial(vm, H[a], qw(Q.__dir__));
    if (m !== LY.NULL && (m & 3) === 0) {
      const l = listOf(vm, call1(vm, m, H[a]));
      vm.tpush(l);
      sortWords(vm, l, LY.NONE, false);
      vm.tpop(1);
      return l;
    }
  }
  if (n === 0) {
    const l = H[vm.frame + LY.F_LOCALS];
    addDict(l !== LY.NULL ? l : H[vm.frame + LY.F_GLOBALS]);
  } else {
    const x = H[a];
    const k = kindOf(vm, x);
    if (k === K.MODULE) {
      addDict(H[(x >> 2) + LY.M_DICT]);
      const si = H[(x >> 2) + 3] >> 1;
      if (si >= 0) {
        const ns = moduleStaticNames(vm, si);
        for (let i = 0; i < ns.length; i++) add(ns[i]);
      }
    } else {
      addDict(instanceDict(vm, x, false));
      const t = isType(vm, x) ? x : typeOf(vm, x);
      for (let i = 0; ; i++) {
        const c = mroAt(vm, t, i);
        if (c === LY.NULL) break;
        if ((c & 3) === 2) {
          const ns = staticAttrNames(c >> 2);
          for (let j = 0; j < ns.length; j++) add(ns[j]);
        } else addDict(H[(c >> 2) + 4]);
      }
      add(qw(Q.__class__));
    }
  }
  const l = newList(vm, 0, names.length);
  vm.tpush(l);
  for (let i = 0; i < names.length; i++) listAppend(vm, l, names[i]);
  sortWords(vm, l, LY.NONE, false);
  vm.tpop(1);
  return l;
}

function varsFn(vm: Vm, a: number, n: number): number {
  if (n === 0) return localsFn(vm);
  const d = instanceDict(vm, vm.H[a], true);
  if (d === LY.NULL) throw raise(vm, T.TYPE_ERROR, "vars() argument must have __dict__ attribute");
  return d;
}

function importFn(vm: Vm, a: number): number {
  const m = loadModule(vm, jstr(vm, vm.H[a]));
  if (m === LY.NULL) throw raise(vm, T.MODULE_NOT_FOUND_ERROR, "No module named '" + jstr(vm, vm.H[a]) + "'");
  return m;
}

function formatFn(vm: Vm, a: number, n: number): number {
  return str(vm, formatJs(vm, vm.H[a], n > 1 ? jstr(vm, vm.H[a + 1]) : ""));
}

// --- the module ------------------------------------------------------------------------------------------------------

/** Builtin types and exceptions named in builtins (every static type with a Python-visible name there). */
const TYPE_NAMES = [T.OBJECT, T.TYPE, T.BOOL, T.INT, T.FLOAT, T.STR, T.BYTES, T.BYTEARRAY, T.MEMORYVIEW, T.LIST,
  T.TUPLE, T.DICT, T.SET, T.FROZENSET, T.RANGE, T.SLICE, T.PROPERTY, T.CLASSMETHOD, T.STATICMETHOD, T.SUPER, T.MAP,
  T.FILTER, T.ZIP, T.ENUMERATE, T.REVERSED];

defineModule({
  name: Q.builtins,
  attrs: function (vm: Vm): number[] {
    void vm;
    const out = [
      Q.print, native(Q.print, 0, -1, NF_KW, print),
      Q.len, native(Q.len, 1, 1, 0, len),
      Q.repr, native(Q.repr, 1, 1, 0, function (vm, a) { return toRepr(vm, vm.H[a]); }),
      Q.ascii, native(Q.ascii, 1, 1, 0, function (vm, a) { return toAscii(vm, vm.H[a]); }),
      Q.isinstance, native(Q.isinstance, 2, 2, 0, function (vm, a) { return isinstanceOf(vm, vm.H[a], vm.H[a + 1]) ? LY.TRUE : LY.FALSE; }),
      Q.issubclass, native(Q.issubclass, 2, 2, 0, function (vm, a) { return issubclassOf(vm, vm.H[a], vm.H[a + 1]) ? LY.TRUE : LY.FALSE; }),
      Q.min, native(Q.min, 1, -1, NF_KW, function (vm, a, n, kw) { return minmax(vm, a, n, kw, 0, "min"); }),
      Q.max, native(Q.max, 1, -1, NF_KW, function (vm, a, n, kw) { return minmax(vm, a, n, kw, 4, "max"); }),
      Q.sum, native(Q.sum, 1, 2, NF_KW, sum),
      Q.sorted, native(Q.sorted, 1, 1, NF_KW, sorted),
      Q.abs, native(Q.abs, 1, 1, 0, absFn),
      Q.all, native(Q.all, 1, 1, 0, function (vm, a) { return anyAll(vm, a, false); }),
      Q.any, native(Q.any, 1, 1, 0, function (vm, a) { return anyAll(vm, a, true); }),
      Q.bin, native(Q.bin, 1, 1, 0, function (vm, a) { return baseStr(vm, vm.H[a], 2, "0b"); }),
      Q.oct, native(Q.oct, 1, 1, 0, function (vm, a) { return baseStr(vm, vm.H[a], 8, "0o"); }),
      Q.hex, native(Q.hex, 1, 1, 0, function (vm, a) { return baseStr(vm, vm.H[a], 16, "0x"); }),
      Q.ord, native(Q.ord, 1, 1, 0, ord),
      Q.chr, native(Q.chr, 1, 1, 0, chrFn),
      Q.divmod, native(Q.divmod, 2, 2, 0, divmodFn),
      Q.pow, native(Q.pow, 0, 3, NF_KW, powFn),
      Q.round, native(Q.round, 1, 2, NF_KW, roundFn),
      Q.hash, native(Q.hash, 1, 1, 0, function (vm, a) { return intFromNumber(vm, hashOf(vm, vm.H[a])); }),
      Q.id, native(Q.id, 1, 1, 0, idFn),
      Q.getattr, native(Q.getattr, 2, 3, 0, getattrFn),
      Q.setattr, native(Q.setattr, 3, 3, 0, function (vm, a) { setAttr(vm, vm.H[a], nameArg(vm, vm.H[a + 1], "setattr"), vm.H[a + 2]); return LY.NONE; }),
      Q.delattr, native(Q.delattr, 2, 2, 0, function (vm, a) { delAttr(vm, vm.H[a], nameArg(vm, vm.H[a + 1], "delattr")); return LY.NONE; }),
      Q.hasattr, native(Q.hasattr, 2, 2, 0, hasattrFn),
      Q.next, native(Q.next, 1, 2, 0, nextFn),
      Q.iter, native(Q.iter, 1, 2, 0, iterFn),
      Q.callable, native(Q.callable, 1, 1, 0, callableFn),
      Q.globals, native(Q.globals, 0, 0, 0, globalsFn),
      Q.locals, native(Q.locals, 0, 0, 0, localsFn),
      Q.vars, native(Q.vars, 0, 1, 0, varsFn),
      Q.dir, native(Q.dir, 0, 1, 0, dirFn),
      Q.input, native(Q.input, 0, 1, 0, inputFn),
      Q.open, native(Q.open, 0, 6, NF_KW, openFn),
      Q.exec, native(Q.exec, 1, 3, 0, function (vm, a, n) { return execEval(vm, a, n, "exec"); }),
      Q.eval, native(Q.eval, 1, 3, 0, function (vm, a, n) { return execEval(vm, a, n, "eval"); }),
      Q.compile, native(Q.compile, 2, 6, NF_KW, compileFn),
      Q.format, native(Q.format, 1, 2, 0, formatFn),
      Q.__import__, native(Q.__import__, 1, 5, NF_KW, importFn),
      Q.__build_class__, BUILD_CLASS,
      Q.NotImplemented, LY.NOT_IMPLEMENTED,
      Q.Ellipsis, LY.ELLIPSIS,
      Q.__name__, qw(Q.builtins),
    ];
    for (let i = 0; i < TYPE_NAMES.length; i++) out.push(TYPE_NAME[TYPE_NAMES[i] - LY.TYPE_BASE] - 0, imm(TYPE_NAMES[i]));
    // every builtin exception class
    for (let t = T.BASE_EXCEPTION; t <= T.RUNTIME_WARNING; t++) if (TYPE_FLAGS[t - LY.TYPE_BASE] & 2) out.push(TYPE_NAME[t - LY.TYPE_BASE], imm(t));
    out.push(Q.EnvironmentError, imm(T.OS_ERROR), Q.IOError, imm(T.OS_ERROR));
    return out;
  },
});

export { callN, callNested, unaryOp, isBig, intToDouble, reprJs, toStr, internJs };
