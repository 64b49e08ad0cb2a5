// Calling: binding arguments into a new frame, invoking any callable (Python function, native, bound method,
// class, object with __call__), and nested calls from native code back into Python.
//
// invoke() contract: the positional arguments are H[a] … H[a+n-1]; with a keyword-name tuple kw, their values
// follow; with a kwargs dict instead (CALL_FUNCTION_EX), kw is NULL and kwd is the dict. H[a-1] is scratch that
// belongs to the call (a bound method puts self there). Everything from a-1 up must be rooted by the caller.
// It returns the result, or FRAME_PUSHED when it pushed a Python frame that the dispatch loop must now run.
import { K, hdr, imm, smi, LY } from "./layout";
import { CF } from "../code";
import type { Vm } from "./vm";
import { T } from "./types";
import { raise, PY_EXC } from "./exc";
import { NAT_FN, NR, NV, nativeIndex, nativeMin, nativeMax, nativeFlags, nativeOwner, nativeName, NF_KW, NF_METHOD, NF_SELF, isNative } from "./registry";
import { newTuple } from "../obj/seq";
import { newDict, dictSet, dictGetStr, tableNext, entryKey, entryValue, tableLen } from "../obj/dict";
import { jstr, strEq, qw } from "../obj/str";
import { Q } from "../generated/qstr";
import { typeOf, isSubtype, lookupType, typeName } from "../obj/type";
import { executeNested } from "./interp";
import { callType } from "../obj/class";

/** Returned by invoke() when it pushed a frame for the dispatch loop to run. Never a valid value. */
export const FRAME_PUSHED = 4;

// --- frames ----------------------------------------------------------------------------------------------------------

/** Push a frame of `size` words in the frame region; RecursionError if the region or the depth limit is exhausted. */
function regionFrame(vm: Vm, size: number): number {
  const f = vm.ftop;
  if (f + size > vm.flimit || vm.depth >= vm.recursionLimit)
    throw raise(vm, T.RECURSION_ERROR, "maximum recursion depth exceeded");
  vm.ftop = f + size;
  vm.depth++;
  return f;
}

/** Pop the running frame (a region frame, or a generator's heap frame). */
export function popFrame(vm: Vm): void {
  const H = vm.H;
  const f = vm.frame;
  vm.frame = H[f + LY.F_BACK] >> 2;
  vm.depth--;
  if (f < vm.heap.start) vm.ftop = f;
  else H[f + LY.F_BACK] = LY.NULL;
}

/** The Python name of a function, for error messages. */
function funcName(vm: Vm, func: number): string {
  const H = vm.H;
  const co = H[(func >> 2) + LY.FN_CODE] >> 2;
  const li = vm.images[H[co + LY.CODE_IMG] >> 1];
  return jstr(vm, H[(li.names >> 2) + LY.TUP_ITEMS + li.img.codes[(H[co + LY.CODE_IDX] >> 1) * CF.CODE_FIELDS + CF.C_QUALNAME]]);
}

/**
 * Set up a frame for Python function `func` with the arguments at a (see invoke) and make it the running frame.
 * For a generator function the frame is a heap object owned by a new generator, which is returned instead.
 * Returns FRAME_PUSHED or the generator.
 */
export function callPython(vm: Vm, func: number, a: number, n: number, kw: number, kwd: number, flags: number): number {
  const H = vm.H;
  const fp = func >> 2;
  const co = H[fp + LY.FN_CODE] >> 2;
  const li = vm.images[H[co + LY.CODE_IMG] >> 1];
  const ci = H[co + LY.CODE_IDX] >> 1;
  const codes = li.img.codes;
  const row = ci * CF.CODE_FIELDS;
  const cflags = codes[row + CF.C_FLAGS];
  const size = li.frameSize[ci];
  const nlocals = codes[row + CF.C_NLOCALS];
  const nslots = nlocals + codes[row + CF.C_NCELLS] + codes[row + CF.C_NFREE];
  const isGen = (cflags & (CF.CO_GENERATOR | CF.CO_COROUTINE | CF.CO_ASYNC_GENERATOR)) !== 0;
  let f: number;
  if (isGen) {
    f = vm.alloc(K.FRAME, size);
    vm.tpush(f << 2);
  } else {
    f = regionFrame(vm, size);
    H[f] = hdr(K.FRAME, size);
  }
  const L = f + LY.F_SLOTS;
  H[f + LY.F_BACK] = isGen ? LY.NULL : vm.frame << 2;
  H[f + LY.F_CODE] = co << 2;
  H[f + LY.F_GLOBALS] = H[fp + LY.FN_GLOBALS];
  H[f + LY.F_LOCALS] = LY.NULL;
  H[f + LY.F_FUNC] = func;
  H[f + LY.F_IP] = smi(codes[row + CF.C_CODE]);
  H[f + LY.F_SP] = smi(L + nslots - 1);
  H[f + LY.F_NBLOCKS] = 1;
  H[f + LY.F_FLAGS] = smi(flags | (isGen ? LY.FF_GEN : 0));
  H[f + LY.F_EXC] = LY.NONE;
  const argc = codes[row + CF.C_ARGCOUNT];
  if (!isGen) vm.frame = f;
  // Fast path: positional arguments only, the parameters not given have defaults, and nothing to allocate (no cell
  // variables; a closure's free variables are its own cells), so nothing here can fail once the frame is pushed.
  const fd = n < argc ? H[fp + LY.FN_DEFAULTS] : LY.NULL;
  if (
    kw === LY.NULL && kwd === LY.NULL && n <= argc && (n === argc || (fd !== LY.NULL && n >= argc - (H[(fd >> 2) + LY.SEQ_LEN] >> 1))) &&
    (cflags & (CF.CO_VARARGS | CF.CO_VARKEYWORDS)) === 0 && codes[row + CF.C_KWONLY] === 0 && codes[row + CF.C_NCELLS] === 0
  ) {
    for (let i = 0; i < n; i++) H[L + i] = H[a + i];
    if (n < argc) {
      const d = (fd >> 2) + LY.TUP_ITEMS - (argc - (H[(fd >> 2) + LY.SEQ_LEN] >> 1));
      for (let i = n; i < argc; i++) H[L + i] = H[d + i];
    }
    for (let i = argc; i < nlocals; i++) H[L + i] = LY.NULL;
    if (nslots !== nlocals) {
      const cl = H[fp + LY.FN_CLOSURE];
      for (let i = nlocals; i < nslots; i++) H[L + i] = H[(cl >> 2) + LY.TUP_ITEMS + i - nlocals];
    }
  } else {
    H.fill(0, L, L + nslots);
    try {
      bindArgs(vm, func, f, li.names, codes, row, a, n, kw, kwd);
    } catch (e) {
      if (isGen) vm.tpop(1);
      else popFrame(vm);
      throw e;
    }
  }
  if (!isGen) return FRAME_PUSHED;
  // a generator: wrap the suspended frame
  const g = vm.alloc(K.GEN, 4);
  vm.tpop(1);
  H[g + LY.G_FRAME] = f << 2;
  H[g + LY.G_FLAGS] = smi(cflags & CF.CO_COROUTINE ? LY.GF_CORO : cflags & CF.CO_ASYNC_GENERATOR ? LY.GF_ASYNCGEN : 0);
  H[g + LY.G_NAME] = H[(li.names >> 2) + LY.TUP_ITEMS + codes[row + CF.C_NAME]];
  return g << 2;
}

function bindArgs(vm: Vm, func: number, f: number, names: number, codes: Int32Array, row: number, a: number, n: number,
  kw: number, kwd: number): void {
  const H = vm.H;
  const L = f + LY.F_SLOTS;
  const argc = codes[row + CF.C_ARGCOUNT];
  const posonly = codes[row + CF.C_POSONLY];
  const kwonly = codes[row + CF.C_KWONLY];
  const cflags = codes[row + CF.C_FLAGS];
  const nlocals = codes[row + CF.C_NLOCALS];
  const vn = codes[row + CF.C_VARNAMES];
  const varnames = imageOfFunc(vm, func).img.varnames;
  const nb = (names >> 2) + LY.TUP_ITEMS;
  let slot = argc + kwonly;
  const varargsSlot = cflags & CF.CO_VARARGS ? slot++ : -1;
  const varkwSlot = cflags & CF.CO_VARKEYWORDS ? slot++ : -1;
  if (n > argc && varargsSlot < 0) {
    const fd = H[(func >> 2) + LY.FN_DEFAULTS];
    const nd = fd === LY.NULL ? 0 : H[(fd >> 2) + LY.SEQ_LEN] >> 1;
    const what = nd ? "from " + (argc - nd) + " to " + argc : "" + argc;
    throw raise(vm, T.TYPE_ERROR, funcName(vm, func) + "() takes " + what + " positional argument" + (argc === 1 && !nd ? "" : "s") + " but " + n + (n === 1 ? " was" : " were") + " given");
  }
  const m = n < argc ? n : argc;
  for (let i = 0; i < m; i++) H[L + i] = H[a + i];
  if (varargsSlot >= 0) {
    const extra = n > argc ? n - argc : 0;
    const t = newTuple(vm, extra);
    for (let i = 0; i < extra; i++) H[(t >> 2) + LY.TUP_ITEMS + i] = H[a + argc + i];
    H[L + varargsSlot] = t;
  }
  if (varkwSlot >= 0) H[L + varkwSlot] = newDict(vm);
  // keywords, from a name tuple (values after the positionals) or from a dict
  const nk = kw !== LY.NULL ? H[(kw >> 2) + LY.SEQ_LEN] >> 1 : 0;
  const nkd = kwd !== LY.NULL ? tableLen(vm, kwd) : 0;
  let di = kwd !== LY.NULL ? tableNext(vm, kwd, 0) : -1;
  for (let j = 0; j < nk + nkd; j++) {
    let key: number;
    let val: number;
    if (j < nk) {
      key = H[(kw >> 2) + LY.TUP_ITEMS + j];
      val = H[a + n + j];
    } else {
      key = entryKey(vm, kwd, di);
      val = entryValue(vm, kwd, di);
      di = tableNext(vm, kwd, di + 1);
      if (!isStrKey(vm, key)) throw raise(vm, T.TYPE_ERROR, funcName(vm, func) + "() keywords must be strings");
    }
    let idx = -1;
    for (let i = posonly; i < argc + kwonly; i++) {
      const nm = H[nb + varnames[vn + i]];
      if (nm === key || strEq(vm, nm, key)) {
        idx = i;
        break;
      }
    }
    if (idx >= 0) {
      if (H[L + idx] !== LY.NULL) throw raise(vm, T.TYPE_ERROR, funcName(vm, func) + "() got multiple values for argument '" + jstr(vm, key) + "'");
      H[L + idx] = val;
    } else if (varkwSlot >= 0) {
      dictSet(vm, H[L + varkwSlot], key, val);
    } else {
      for (let i = 0; i < posonly; i++) {
        const nm = H[nb + varnames[vn + i]];
        if (nm === key || strEq(vm, nm, key))
          throw raise(vm, T.TYPE_ERROR, funcName(vm, func) + "() got some positional-only arguments passed as keyword arguments: '" + jstr(vm, key) + "'");
      }
      throw raise(vm, T.TYPE_ERROR, funcName(vm, func) + "() got an unexpected keyword argument '" + jstr(vm, key) + "'");
    }
  }
  // defaults for the positional parameters not given
  const fd = H[(func >> 2) + LY.FN_DEFAULTS];
  const nd = fd === LY.NULL ? 0 : H[(fd >> 2) + LY.SEQ_LEN] >> 1;
  let missing = "";
  let nmissing = 0;
  for (let i = n; i < argc; i++) {
    if (H[L + i] !== LY.NULL) continue;
    if (i >= argc - nd) H[L + i] = H[(fd >> 2) + LY.TUP_ITEMS + i - (argc - nd)];
    else {
      missing = joinName(missing, nmissing++, jstr(vm, H[nb + varnames[vn + i]]));
    }
  }
  if (nmissing) throw raise(vm, T.TYPE_ERROR, funcName(vm, func) + "() missing " + nmissing + " required positional argument" + (nmissing > 1 ? "s" : "") + ": " + missing);
  if (kwonly) {
    const kd = H[(func >> 2) + LY.FN_KWDEFAULTS];
    for (let i = argc; i < argc + kwonly; i++) {
      if (H[L + i] !== LY.NULL) continue;
      const v = kd === LY.NULL ? LY.NULL : dictGetStr(vm, kd, H[nb + varnames[vn + i]]);
      if (v !== LY.NULL) H[L + i] = v;
      else missing = joinName(missing, nmissing++, jstr(vm, H[nb + varnames[vn + i]]));
    }
    if (nmissing) throw raise(vm, T.TYPE_ERROR, funcName(vm, func) + "() missing " + nmissing + " required keyword-only argument" + (nmissing > 1 ? "s" : "") + ": " + missing);
  }
  setupCells(vm, func, f, codes, row, nlocals);
}

function joinName(list: string, i: number, name: string): string {
  const q = "'" + name + "'";
  if (i === 0) return q;
  if (i === 1) return list + " and " + q;
  return list.replace(" and ", ", ") + ", and " + q;
}

function isStrKey(vm: Vm, w: number): boolean {
  return ((w & 3) === 2 && w >> 2 >= 8192) || ((w & 3) === 0 && w !== 0 && (vm.H[w >> 2] & 127) === K.STR);
}

function imageOfFunc(vm: Vm, func: number) {
  const H = vm.H;
  const co = H[(func >> 2) + LY.FN_CODE] >> 2;
  return vm.images[H[co + LY.CODE_IMG] >> 1];
}

/** Fresh cells for the frame's cell variables; the closure's cells for its free variables. */
function setupCells(vm: Vm, func: number, f: number, codes: Int32Array, row: number, nlocals: number): void {
  const H = vm.H;
  const L = f + LY.F_SLOTS;
  const ncells = codes[row + CF.C_NCELLS];
  const nfree = codes[row + CF.C_NFREE];
  for (let i = 0; i < ncells; i++) {
    const c = vm.alloc(K.CELL, 2);
    H[L + nlocals + i] = c << 2;
  }
  if (nfree) {
    const cl = H[(func >> 2) + LY.FN_CLOSURE];
    for (let i = 0; i < nfree; i++) H[L + nlocals + ncells + i] = H[(cl >> 2) + LY.TUP_ITEMS + i];
  }
}

// --- invoking any callable -----------------------------------------------------------------------------------------

export function invoke(vm: Vm, fn: number, a: number, n: number, kw: number, kwd: number): number {
  const H = vm.H;
  if ((fn & 3) === 0 && fn !== 0) {
    const p = fn >> 2;
    switch (H[p] & 127) {
      case K.FUNC:
        return callPython(vm, fn, a, n, kw, kwd, 0);
      case K.BOUND:
        H[a - 1] = H[p + LY.B_SELF];
        return invoke(vm, H[p + LY.B_FUNC], a - 1, n + 1, kw, kwd);
      case K.TYPE:
        return callType(vm, fn, a, n, kw, kwd);
      case K.STATICMETHOD:
        return invoke(vm, H[p + 1], a, n, kw, kwd);
    }
  } else if (isNative(fn)) {
    return callNative(vm, fn, a, n, kw, kwd);
  } else if ((fn & 3) === 2 && fn >> 2 >= 16 && fn >> 2 < 512) {
    return callType(vm, fn, a, n, kw, kwd);
  }
  // an object with __call__
  const m = lookupType(vm, typeOf(vm, fn), qw(Q.__call__));
  if (m !== LY.NULL) {
    H[a - 1] = fn;
    return invoke(vm, m, a - 1, n + 1, kw, kwd);
  }
  throw raise(vm, T.TYPE_ERROR, "'" + jstr(vm, typeName(vm, typeOf(vm, fn))) + "' object is not callable");
}

export function callNative(vm: Vm, fn: number, a: number, n: number, kw: number, kwd: number): number {
  const i = nativeIndex(fn);
  const flags = nativeFlags(i);
  if (kwd !== LY.NULL) {
    // natives take keywords as a name tuple with the values after the positionals: convert the dict
    if (tableLen(vm, kwd) === 0) kwd = LY.NULL;
    else return callNativeDict(vm, fn, a, n, kwd);
  }
  const nk = kw !== LY.NULL ? vm.H[(kw >> 2) + LY.SEQ_LEN] >> 1 : 0;
  if (nk && !(flags & NF_KW)) throw raise(vm, T.TYPE_ERROR, jstr(vm, nativeName(fn) << 2 | 2) + "() takes no keyword arguments");
  const min = nativeMin(i);
  const max = nativeMax(i);
  if (n < min || (max >= 0 && n > max)) throw arityError(vm, fn, i, n, flags);
  if ((flags & (NF_METHOD | NF_SELF)) === NF_METHOD) {
    const owner = nativeOwner(i);
    const self = vm.H[a];
    if (owner > 0) {
      const ts = typeOf(vm, self);
      if (ts !== imm(owner) && !isSubtype(vm, ts, imm(owner)))
        throw raise(vm, T.TYPE_ERROR, "descriptor '" + jstr(vm, (nativeName(fn) << 2) | 2) + "' for '" + jstr(vm, typeName(vm, imm(owner))) + "' objects doesn't apply to a '" + jstr(vm, typeName(vm, ts)) + "' object");
    }
    // a method shared by several types (count, index) unwraps a subclass instance too
    if ((self & 3) === 0 && self !== 0 && (vm.H[self >> 2] & 127) === K.INST) {
      const nat = vm.H[(self >> 2) + LY.I_NATIVE];
      if (nat !== LY.NULL) vm.H[a] = nat;
    }
  }
  NR[0] = a;
  NR[1] = n;
  NR[2] = kw;
  NV[0] = vm;
  try {
    return NAT_FN[i](vm, a, n, kw);
  } finally {
    NV[0] = null;
  }
}

function arityError(vm: Vm, fn: number, i: number, n: number, flags: number): unknown {
  const name = jstr(vm, (nativeName(fn) << 2) | 2);
  const min = nativeMin(i);
  const max = nativeMax(i);
  const self = flags & NF_METHOD ? 1 : 0;
  if (max === min) {
    const k = min - self;
    if (k === 0) return raise(vm, T.TYPE_ERROR, name + "() takes no arguments (" + (n - self) + " given)");
    if (k === 1) return raise(vm, T.TYPE_ERROR, name + "() takes exactly one argument (" + (n - self) + " given)");
    return raise(vm, T.TYPE_ERROR, name + "() takes exactly " + k + " arguments (" + (n - self) + " given)");
  }
  if (n < min) return raise(vm, T.TYPE_ERROR, name + " expected at least " + (min - self) + " argument" + (min - self === 1 ? "" : "s") + ", got " + (n - self));
  return raise(vm, T.TYPE_ERROR, name + " expected at most " + (max - self) + " argument" + (max - self === 1 ? "" : "s") + ", got " + (n - self));
}

function callNativeDict(vm: Vm, fn: number, a: number, n: number, kwd: number): number {
  const H = vm.H;
  const nk = tableLen(vm, kwd);
  const names = newTuple(vm, nk);
  vm.tpush(names);
  const args = newTuple(vm, 1 + n + nk);
  vm.tpush(args);
  const b = (args >> 2) + LY.TUP_ITEMS + 1;
  for (let i = 0; i < n; i++) H[b + i] = H[a + i];
  let j = 0;
  for (let i = tableNext(vm, kwd, 0); i >= 0; i = tableNext(vm, kwd, i + 1), j++) {
    H[(names >> 2) + LY.TUP_ITEMS + j] = entryKey(vm, kwd, i);
    H[b + n + j] = entryValue(vm, kwd, i);
  }
  try {
    return callNative(vm, fn, b, n, names, LY.NULL);
  } finally {
    vm.tpop(2);
  }
}

// --- nested calls: native code calling Python --------------------------------------------------------------------

/**
 * Call fn with the arguments in H[a] … (see invoke) and return its result, running a nested dispatch loop if it is
 * a Python function. Used by natives that need a callback's value (sorted's key, __eq__ from a dict probe).
 */
export function callNested(vm: Vm, fn: number, a: number, n: number, kw: number, kwd: number): number {
  vm.direct = false;
  const r = invoke(vm, fn, a, n, kw, kwd);
  if (r !== FRAME_PUSHED) return r;
  return runNested(vm);
}

/** Run the frame invoke() just pushed until it returns; its result. */
export function runNested(vm: Vm): number {
  const H = vm.H;
  const f = vm.frame;
  H[f + LY.F_FLAGS] |= LY.FF_EXIT << 1;
  if (vm.nesting >= 48) {
    popFrame(vm);
    throw raise(vm, T.RECURSION_ERROR, "maximum recursion depth exceeded (nested native calls)");
  }
  vm.nesting++;
  try {
    return executeNested(vm);
  } finally {
    vm.nesting--;
  }
}

/** Call fn with up to three arguments from native code (n says how many of x, y, z are used). */
export function callN(vm: Vm, fn: number, n: number, x: number, y: number, z: number): number {
  vm.tpush(fn);
  vm.tpush(x);
  vm.tpush(y);
  vm.tpush(z);
  const t = newTuple(vm, 4);
  const H = vm.H;
  const b = (t >> 2) + LY.TUP_ITEMS;
  H[b + 1] = x;
  H[b + 2] = y;
  H[b + 3] = z;
  vm.tr[vm.tn - 3] = t; // the tuple now holds x, y and z
  vm.tpop(2);
  try {
    return callNested(vm, fn, b + 1, n, LY.NULL, LY.NULL);
  } finally {
    vm.tpop(2);
  }
}

export function call0(vm: Vm, fn: number): number {
  return callN(vm, fn, 0, LY.NONE, LY.NONE, LY.NONE);
}
export function call1(vm: Vm, fn: number, x: number): number {
  return callN(vm, fn, 1, x, LY.NONE, LY.NONE);
}
export function call2(vm: Vm, fn: number, x: number, y: number): number {
  return callN(vm, fn, 2, x, y, LY.NONE);
}
export function call3(vm: Vm, fn: number, x: number, y: number, z: number): number {
  return callN(vm, fn, 3, x, y, z);
}

/**
 * Call special method m (found on self's class) with self and n more arguments, as CPython's slot functions do:
 * a staticmethod gets only the arguments, a classmethod the class first.
 */
export function callSelf(vm: Vm, m: number, self: number, n: number, x: number, y: number): number {
  if ((m & 3) === 0 && m !== 0) {
    const k = vm.H[m >> 2] & 127;
    if (k === K.STATICMETHOD) return callN(vm, vm.H[(m >> 2) + 1], n, x, y, LY.NONE);
    if (k === K.CLASSMETHOD) return callN(vm, vm.H[(m >> 2) + 1], n + 1, typeOf(vm, self), x, y);
  }
  return callN(vm, m, n + 1, self, x, y);
}

/** Call obj.name() looked up on obj's class (a special method), or NULL if the class lacks it. */
export function callMethod0(vm: Vm, obj: number, name: number): number {
  const m = lookupType(vm, typeOf(vm, obj), name);
  if (m === LY.NULL) return LY.NULL;
  return callN(vm, m, 1, obj, LY.NONE, LY.NONE);
}
export function callMethod1(vm: Vm, obj: number, name: number, x: number): number {
  const m = lookupType(vm, typeOf(vm, obj), name);
  if (m === LY.NULL) return LY.NULL;
  return callN(vm, m, 2, obj, x, LY.NONE);
}

/** Call fn with a tuple of positional arguments and an optional kwargs dict (NULL), from native code. */
export function callTuple(vm: Vm, fn: number, args: number, kwd: number): number {
  const H = vm.H;
  const n = H[(args >> 2) + LY.SEQ_LEN] >> 1;
  vm.tpush(fn);
  vm.tpush(kwd);
  const t = newTuple(vm, n + 1);
  for (let i = 0; i < n; i++) H[(t >> 2) + LY.TUP_ITEMS + 1 + i] = H[(args >> 2) + LY.TUP_ITEMS + i];
  vm.tpush(t);
  try {
    return callNested(vm, fn, (t >> 2) + LY.TUP_ITEMS + 1, n, LY.NULL, kwd);
  } finally {
    vm.tpop(3);
  }
}

export { PY_EXC };
