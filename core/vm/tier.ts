// The host's second tier: a hot code object becomes one JavaScript function (made with `new Function`, so V8 compiles
// it to machine code), doing what execute() would do for it without decoding or dispatching instructions. Operands
// are constants in the code, the frame's stack offsets are too (the depth at every instruction is known), and values
// between instructions stay in JS variables until something could allocate, call, raise or jump: then they are
// written to the frame's stack first, so the collector and the exception unwinder see exactly what execute() would
// have left there.
//
// Only the host uses it (flasher/host.ts installs it with installTier): a board keeps the plain loop, and nothing here
// reaches the device bundle. The two tiers share frames, so they hand a running frame to each other at any
// instruction the compiled function has a label for: the start, every jump target and every return point (of a call,
// of a FOR_ITER that resumed a generator, of a yield). execute() offers the frame to the tier on entering a function,
// on returning into one, on a backward jump and when native code resumes a generator; the tier gives it back (state
// written to the frame) at an instruction it leaves to execute(): yield from, returns from constructors and nested
// runs, calls with *args. Generators run in both: a yield or return hands the value to the resumer's frame, whichever
// tier runs it. Exceptions are thrown to execute()'s handler with the frame's ip and sp already written, like every
// other place the tier leaves.
import { Op } from "../generated/op";
import { OPCODES, Arg } from "../opcodes";
import { stackEffect } from "../opinfo";
import { decodeAt } from "../disasm";
import { CF } from "../code";
import { K, IT, LY } from "./layout";
import type { Vm, LoadedImage } from "./vm";
import { T } from "./types";
import { raise } from "./exc";
import { invoke, FRAME_PUSHED, popFrame, callNested } from "./call";
import { binaryOp, richCompare, unaryOp, truthy, kindOf, typeNameJs, BIN_NAMES, binError } from "./ops";
import { getAttr, setAttr, loadMethod, methodSelf, instanceDict } from "./attr";
import { lookupType } from "../obj/type";
import { getItem, setItem, contains, getIter, iterNext, unpackSequence } from "../obj/items";
import { tupleFromStack, listFromStack, listAppend } from "../obj/seq";
import { dictGetStr, dictSet, newTable, tableFind, tableInsertNew, watchGlobals, watchedVersion } from "../obj/dict";
import { jstr, strHash, qw } from "../obj/str";
import { newFloat } from "../obj/num";
import { loadConst, buildSlice, buildString, formatValue } from "./support";
import { builtinLookup, staticBuiltin } from "../modules/builtins";
import { setTier, checkSlice, checkSoon, fnum, coldOp, callExArgs, unboundLocal, unboundDeref, badContainer, resumeGen, genYield, genReturn, yieldFrom, GM_FORITER, SUSPENDED, setTierExit } from "./interp";

/**
 * What a compiled function returns: the frame to run next is vm.frame (0), end the slice (1), let execute() go on (2),
 * or the frame that started execute()'s run returned (3: execute() returns the value given to setTierExit).
 */
const GO = 0;
const SUSPEND = 1;
const BAIL = 2;
const EXIT = 3;

/** Entries (calls, backward jumps, returns into it) before a code object is compiled. */
const HOT = 12;
/** Longer code objects stay with execute(): V8 gives up optimising very large functions. */
const MAX_CODE = 8000;

/** Where the generated source of each compiled code object goes, if anywhere (the host's ESPY_TIER_DUMP). */
let dump: ((src: string) => void) | null = null;

type Compiled = (vm: Vm, f: number, ip: number) => number;

/**
 * The compiled loops of a code object that runs once (a module or class body, or one too long to compile whole): lo[k]
 * .. hi[k] are the first and last pc of loop k, fn[k] its function (false if it could not be compiled), later loops
 * last; n counts the offers at ips no loop covers.
 */
interface Loops {
  lo: number[];
  hi: number[];
  fn: Array<Compiled | false>;
  n: number;
  back: number[] | null;
}

/** Per loaded image, per code object: its compiled function or loops, or how often it was offered (a number), or false. */
interface TierImage extends LoadedImage {
  tier?: Array<Compiled | Loops | number | false>;
}

/** Code objects compiled, and those whose generated source V8 refused (a bug in compile()), in this process. */
export const stats = { compiled: 0, failed: 0 };

/** Entries before compiling: HOT, or what installTier was given (1 compiles everything run: the tests use it). */
let hotAt = HOT;

/**
 * Turn the tier on (or off) for every VM of this process (host only); show(src) sees each function it makes; hot (if
 * given) is the number of entries before a code object is compiled.
 */
export function installTier(on: boolean, show: ((src: string) => void) | null, hot?: number): void {
  setTier(on ? tierRun : null);
  dump = show;
  hotAt = hot !== undefined && hot > 0 ? hot : HOT;
}

/**
 * Run the frame vm.frame (its F_IP and F_SP current) in compiled code for as long as that can go on: through calls
 * and returns between compiled functions. Returns 1 when execute() must end its slice, 3 when it must return (the
 * frame it started with returned), else 0 (carry on from the frame's state, whichever frame is running now).
 */
function tierRun(vm: Vm): number {
  const H = vm.H;
  for (;;) {
    const f = vm.frame;
    const co = H[f + LY.F_CODE] >> 2;
    const li = vm.images[H[co + LY.CODE_IMG] >> 1] as TierImage;
    const ci = H[co + LY.CODE_IDX] >> 1;
    let tab = li.tier;
    if (tab === undefined) tab = li.tier = [];
    let t = tab[ci];
    if (typeof t !== "function") {
      if (t === false) return 0;
      if (typeof t === "object") {
        const c = loopAt(vm, li, ci, t, H[f + LY.F_IP] >> 1);
        if (c === false) return 0;
        t = c;
      } else {
        const n = (t === undefined ? 0 : t) + 1;
        if (n < hotAt) {
          tab[ci] = n;
          return 0;
        }
        const row = ci * CF.CODE_FIELDS;
        if (li.img.codes[row + CF.C_FLAGS] & (CF.CO_MODULE | CF.CO_CLASS_BODY) || li.img.codes[row + CF.C_CODELEN] > MAX_CODE) {
          // run once: compiled loop by loop, as each gets hot (a whole module is slow for V8 to optimise)
          tab[ci] = { lo: [], hi: [], fn: [], n: 0, back: null };
          return 0;
        }
        const c = compile(vm, li, ci, -1, -1);
        tab[ci] = c;
        if (c === false) return 0;
        t = c;
      }
    }
    const r = t(vm, f, H[f + LY.F_IP] >> 1);
    if (r !== GO) return r === BAIL ? 0 : r;
  }
}

/**
 * The compiled loop of a run-once code object to run from ip: the latest compiled loop around ip; else, once ips no loop
 * covers have been offered hotAt times, the innermost loop around ip, compiled now. False: let execute() go on.
 */
function loopAt(vm: Vm, li: TierImage, ci: number, t: Loops, ip: number): Compiled | false {
  for (let k = t.lo.length - 1; k >= 0; k--) if (t.lo[k] <= ip && ip <= t.hi[k]) return t.fn[k];
  if (++t.n < hotAt) return false;
  t.n = 0;
  if (t.back === null) {
    // the backward jumps (pairs: target, jump's pc), found once
    t.back = [];
    const codes = li.img.codes;
    const start = codes[ci * CF.CODE_FIELDS + CF.C_CODE];
    const insns = decode(li.img.bytes, start, start + codes[ci * CF.CODE_FIELDS + CF.C_CODELEN]);
    if (insns !== null) for (const x of insns) if (OPCODES[x.op].arg === Arg.JUMP && x.arg <= x.pc) t.back.push(x.arg, x.pc);
  }
  // the innermost loop around ip: the shortest span from a backward jump's target to the jump
  let lo = -1;
  let hi = -1;
  for (let k = 0; k < t.back.length; k += 2) {
    const a = t.back[k];
    const b = t.back[k + 1];
    if (a <= ip && ip <= b && (lo < 0 || b - a < hi - lo)) {
      lo = a;
      hi = b;
    }
  }
  if (lo < 0) return false;
  const c = hi - lo > MAX_CODE ? false : compile(vm, li, ci, lo, hi);
  t.lo.push(lo);
  t.hi.push(hi);
  t.fn.push(c);
  return c;
}

// --- helpers the compiled code calls (out of line: the rare or long paths) ------------------------------------------

/** A name from the globals dict g (unless g is `searched`, looked in already), else the builtins; NameError if neither. */
function globalOrBuiltin(vm: Vm, g: number, searched: number, name: number): number {
  let w = g === searched ? LY.NULL : dictGetStr(vm, g, name);
  if (w === LY.NULL) {
    w = builtinLookup(vm, name);
    if (w === LY.NULL) throw raise(vm, T.NAME_ERROR, "name '" + jstr(vm, name) + "' is not defined");
  }
  return w;
}

// A LOAD_GLOBAL/LOAD_NAME/STORE_NAME site k keeps four words at GC[4k]: where its name was found in the dict it
// searched (GC[4k] that dict, GC[4k+1] the entry index: compiled code checks that entry's key before reading it), or,
// for a name found among the static builtins, GC[4k] 0, GC[4k+1] the globals dict that lacks the name, GC[4k+2]
// watchedVersion() then (a key added to that watched dict, or to the builtins' dict, changes it) and GC[4k+3] the value.

/** The value dict d holds for name, with where it is remembered for site k; or NULL. */
function findAt(vm: Vm, d: number, name: number, gc: Int32Array, k: number): number {
  const i = tableFind(vm, d, name, strHash(vm, name));
  if (i < 0) return LY.NULL;
  gc[4 * k] = d;
  gc[4 * k + 1] = i;
  return vm.H[(vm.H[(d >> 2) + LY.D_ENT] >> 2) + 3 + 3 * i];
}

/** Site k's builtin, if it cached one for globals dict g and nothing has shadowed it since; else NULL. */
function builtinAt(g: number, gc: Int32Array, k: number): number {
  const j = 4 * k;
  return gc[j] === 0 && gc[j + 1] === g && gc[j + 2] === watchedVersion() ? gc[j + 3] : LY.NULL;
}

/** A name globals dict g lacks: the builtin (remembered for site k if it is a static one), else NameError. */
function builtinFor(vm: Vm, g: number, name: number, gc: Int32Array, k: number): number {
  const w = staticBuiltin(vm, name);
  if (w === LY.NULL) return globalOrBuiltin(vm, g, g, name);
  watchGlobals(g);
  const j = 4 * k;
  gc[j] = 0;
  gc[j + 1] = g;
  gc[j + 2] = watchedVersion();
  gc[j + 3] = w;
  return w;
}

/** LOAD_GLOBAL's slow path: the globals dict d (its entry remembered for site k), then the builtins. */
function loadGlobalAt(vm: Vm, d: number, name: number, gc: Int32Array, k: number): number {
  let w = builtinAt(d, gc, k);
  if (w !== LY.NULL) return w;
  w = findAt(vm, d, name, gc, k);
  return w !== LY.NULL ? w : builtinFor(vm, d, name, gc, k);
}

/** LOAD_NAME's slow path: the locals (a dict's entry remembered for site k), the globals, then the builtins. */
function loadNameAt(vm: Vm, f: number, name: number, gc: Int32Array, k: number): number {
  const d = vm.H[f + LY.F_LOCALS];
  const g = vm.H[f + LY.F_GLOBALS];
  if (d === g) {
    // module level: as LOAD_GLOBAL
    const b = builtinAt(d, gc, k);
    if (b !== LY.NULL) return b;
  }
  const dict = kindOf(vm, d) === K.DICT;
  const w = dict ? findAt(vm, d, name, gc, k) : dictGetStr(vm, d, name);
  if (w !== LY.NULL) return w;
  return d === g && dict ? builtinFor(vm, d, name, gc, k) : globalOrBuiltin(vm, g, d, name);
}

/** STORE_NAME's slow path: dictSet, then where the entry is remembered for site k. */
function storeNameAt(vm: Vm, d: number, name: number, v: number, gc: Int32Array, k: number): void {
  dictSet(vm, d, name, v);
  if (kindOf(vm, d) === K.DICT) {
    gc[4 * k] = d;
    gc[4 * k + 1] = tableFind(vm, d, name, strHash(vm, name));
  }
}

function buildMap(vm: Vm, sp: number, a: number): number {
  const H = vm.H;
  const w = vm.tpush(newTable(vm, K.DICT, a));
  for (let i = sp - 2 * a + 1; i <= sp; i += 2) dictSet(vm, w, H[i], H[i + 1]);
  vm.tpop(1);
  return w;
}

function appendTo(vm: Vm, l: number, v: number): void {
  if (kindOf(vm, l) !== K.LIST) throw badContainer(vm);
  listAppend(vm, l, v);
}

/** truthy(v) with the frame's sp and ip written first (it may call __bool__ or __len__, or raise). */
function truthyAt(vm: Vm, f: number, sps: number, ips: number, v: number): boolean {
  vm.H[f + LY.F_SP] = sps;
  vm.H[f + LY.F_IP] = ips;
  return truthy(vm, v);
}

/** callAt's answer when the slice must end (the result, if any, is on the frame's stack). Never a value. */
const CALL_SUSPEND = 8;

/**
 * A call instruction (kind 0 CALL_FUNCTION, 1 CALL_METHOD, 2 CALL_FUNCTION_KW, 3 CALL_FUNCTION_EX) whose callable
 * is at slot b of the frame's stack, everything written to the frame: what execute() does for it. Returns the result,
 * FRAME_PUSHED (a Python frame now runs) or CALL_SUSPEND.
 */
function callAt(vm: Vm, f: number, b: number, a: number, kind: number): number {
  const H = vm.H;
  if (--vm.budget <= 0 || vm.interrupt) checkSlice(vm);
  vm.direct = true;
  let w: number;
  if (kind === 0) w = invoke(vm, H[b], b + 1, a, LY.NULL, LY.NULL);
  else if (kind === 1) w = H[b] === LY.NULL ? invoke(vm, H[b + 1], b + 2, a, LY.NULL, LY.NULL) : invoke(vm, H[b], b + 1, a + 1, LY.NULL, LY.NULL);
  else if (kind === 2) {
    const kw = H[b + a + 1];
    w = invoke(vm, H[b], b + 1, a - (H[(kw >> 2) + LY.SEQ_LEN] >> 1), kw, LY.NULL);
  } else {
    // CALL_FUNCTION_EX: the arguments copied into a fresh tuple (a scratch slot in front) that stays rooted in b+1
    const x = callExArgs(vm, H[b + 1]);
    H[b + 1] = x;
    w = invoke(vm, H[b], (x >> 2) + LY.TUP_ITEMS + 1, (H[(x >> 2) + LY.SEQ_LEN] >> 1) - 1, LY.NULL, a & 1 ? H[b + 2] : LY.NULL);
  }
  if (w === FRAME_PUSHED) {
    H[f + LY.F_SP] = ((b - 1) << 1) | 1;
    if (vm.suspended && vm.nesting === 0) {
      vm.suspended = false;
      return CALL_SUSPEND;
    }
    return FRAME_PUSHED;
  }
  if (vm.suspended) {
    H[b] = w;
    H[f + LY.F_SP] = (b << 1) | 1;
    vm.suspended = false;
    if (vm.nesting === 0) return CALL_SUSPEND;
  }
  return w;
}

/** UNARY_OP past its inline cases, with the operand at s+1 of the frame's stack: what execute() does for it. */
function unAt(vm: Vm, f: number, s: number, ips: number, a: number, x: number): number {
  const H = vm.H;
  H[s + 1] = x;
  H[f + LY.F_SP] = ((s + 1) << 1) | 1;
  H[f + LY.F_IP] = ips;
  return unaryOp(vm, a, x);
}

/**
 * BINARY_OP past its small-int fast path: floats, then the general case, with the operands at s+1 and s+2 of the
 * frame's stack (rooted) and the frame's sp and ip (ips, a small int) written.
 */
function binAt(vm: Vm, f: number, s: number, ips: number, a: number, x: number, y: number): number {
  const H = vm.H;
  H[s + 1] = x;
  H[s + 2] = y;
  H[f + LY.F_SP] = ((s + 2) << 1) | 1;
  H[f + LY.F_IP] = ips;
  const o = a & 15;
  if (o <= 4 && o !== 3) {
    const fx = fnum(vm, H, x);
    const fy = fnum(vm, H, y);
    if (fx === fx && fy === fy && (o === 4 ? fy !== 0 : (x & y & 1) === 0)) {
      return newFloat(vm, o === 0 ? fx + fy : o === 1 ? fx - fy : o === 2 ? fx * fy : fx / fy);
    }
  }
  if (a < 16) {
    // a + b of two instances of one plain class: its Python method called with the operands where they are, rooted on
    // the frame's stack (what binaryOp does for them, without its general search and its argument tuple)
    const t = plainType(vm, x);
    if (t !== 0 && t === plainType(vm, y)) {
      const m = lookupType(vm, t, qw(BIN_NAMES[o]));
      if ((m & 3) === 0 && m !== 0 && (H[m >> 2] & 127) === K.FUNC) {
        const r = callNested(vm, m, s + 1, 2, LY.NULL, LY.NULL);
        if (r !== LY.NOT_IMPLEMENTED) return r;
        throw binError(vm, o, x, y, false);
      }
    }
  }
  return binaryOp(vm, a, x, y);
}

/** The class of o if o is an instance of a class of Python's own (no builtin value inside), else 0. */
function plainType(vm: Vm, o: number): number {
  const H = vm.H;
  return (o & 3) === 0 && o !== 0 && (H[o >> 2] & 127) === K.INST && H[(o >> 2) + LY.I_NATIVE] === LY.NULL ? H[(o >> 2) + LY.I_TYPE] : 0;
}

/** COMPARE_OP past its small-int fast path, as a word (operands rooted at s+1, s+2 as in binAt). */
function cmpAt(vm: Vm, f: number, s: number, ips: number, a: number, x: number, y: number): number {
  const fx = fnum(vm, vm.H, x);
  const fy = fnum(vm, vm.H, y);
  if (fx === fx && fy === fy) {
    const c = a === 0 ? fx < fy : a === 1 ? fx <= fy : a === 2 ? fx === fy : a === 3 ? fx !== fy : a === 4 ? fx > fy : fx >= fy;
    return c ? LY.TRUE : LY.FALSE;
  }
  const H = vm.H;
  H[s + 1] = x;
  H[s + 2] = y;
  H[f + LY.F_SP] = ((s + 2) << 1) | 1;
  H[f + LY.F_IP] = ips;
  return richCompare(vm, a, x, y);
}

/** COMPARE_OP then a conditional jump: the comparison's truth. */
function cmpTest(vm: Vm, f: number, s: number, ips: number, a: number, x: number, y: number): boolean {
  const w = cmpAt(vm, f, s, ips, a, x, y);
  if (w === LY.TRUE) return true;
  if (w === LY.FALSE) return false;
  vm.H[s + 1] = w;
  return truthyAt(vm, f, ((s + 1) << 1) | 1, ips, w);
}

function subAt(vm: Vm, f: number, s: number, ips: number, x: number, y: number): number {
  const H = vm.H;
  if (y & 1 && (x & 3) === 0 && x !== 0 && (H[x >> 2] & 127) === K.TUPLE) {
    const n = H[(x >> 2) + LY.SEQ_LEN] >> 1;
    const i = y < 0 ? (y >> 1) + n : y >> 1;
    if (i >= 0 && i < n) return H[(x >> 2) + LY.TUP_ITEMS + i];
  }
  H[s + 1] = x;
  H[s + 2] = y;
  H[f + LY.F_SP] = ((s + 2) << 1) | 1;
  H[f + LY.F_IP] = ips;
  return getItem(vm, x, y);
}

function storeAt(vm: Vm, f: number, s: number, ips: number, v: number, x: number, y: number): void {
  const H = vm.H;
  H[s + 1] = v;
  H[s + 2] = x;
  H[s + 3] = y;
  H[f + LY.F_SP] = ((s + 3) << 1) | 1;
  H[f + LY.F_IP] = ips;
  setItem(vm, x, y, v);
}

/**
 * FOR_ITER past a range: the next value, 0 when the iterator is exhausted, or FRAME_PUSHED (never a value) when a
 * generator was resumed (its frame runs now; what it yields is pushed on this frame's stack, at ips).
 */
function forNext(vm: Vm, f: number, sps: number, ips: number, it: number): number {
  const H = vm.H;
  H[f + LY.F_SP] = sps;
  H[f + LY.F_IP] = ips;
  if ((H[it >> 2] & 127) === K.GEN) {
    if (--vm.budget <= 0 || vm.interrupt) checkSlice(vm);
    return resumeGen(vm, it, LY.NONE, GM_FORITER) === FRAME_PUSHED ? FRAME_PUSHED : 0;
  }
  return iterNext(vm, it);
}

/** RETURN_VALUE from a constructor (__init__'s None becomes the new object) or from a nested run's first frame. */
function retAt(vm: Vm, f: number, v: number): number {
  const H = vm.H;
  const flags = H[f + LY.F_FLAGS] >> 1;
  if (flags & LY.FF_CTOR) {
    if (v !== LY.NONE) throw raise(vm, T.TYPE_ERROR, "__init__() should return None, not '" + typeNameJs(vm, v) + "'");
    v = H[f + LY.F_EXC];
  }
  popFrame(vm);
  if (flags & LY.FF_EXIT) {
    setTierExit(v);
    return EXIT;
  }
  const c = vm.frame;
  const sp = (H[c + LY.F_SP] >> 1) + 1;
  H[sp] = v;
  H[c + LY.F_SP] = (sp << 1) | 1;
  return GO;
}

function methodSelfNow(): boolean {
  return methodSelf;
}

// Attribute caches: six words per LOAD_ATTR, STORE_ATTR or LOAD_METHOD in a compiled function (its AC array), two
// entries of three: a class, vm.typeVersion when the entry was made, and an index among an instance's dict entries
// (attributes) or a function (methods). A class's instances mostly get the same attributes in the same order, so the
// index found for one fits the next; the code checks that the entry there holds the name before using it. The
// compiled code tries the first entry; the helpers below try the second before the full lookup, so a site that sees
// two classes (a method inherited by a subclass) stays cached. Anything that changes what a lookup on a class finds
// bumps vm.typeVersion, which empties every cache at once.

/** The index of name (interned, compared by identity) among dict d's entries, or -1. */
function entryOf(vm: Vm, d: number, name: number): number {
  const H = vm.H;
  const e = (H[(d >> 2) + LY.D_ENT] >> 2) + 2;
  const n = H[(d >> 2) + LY.D_NENT] >> 1;
  for (let i = 0; i < n; i++) if (H[e + 3 * i] === name) return i;
  return -1;
}

/** The class of o when o is an instance whose attributes are looked up the plain way (no __getattribute__), or 0. */
function plainClass(vm: Vm, o: number): number {
  const H = vm.H;
  if ((o & 3) !== 0 || o === 0 || (H[o >> 2] & 127) !== K.INST) return 0;
  const t = H[(o >> 2) + LY.I_TYPE];
  return (t & 3) === 0 && !((H[(t >> 2) + LY.TY_FLAGS] >> 1) & LY.TF_GETATTRIBUTE) ? t : 0;
}

/** The heap index of the value of name in o's dict by the cache entry at ac[k] (class t), or 0. */
function cachedSlot(vm: Vm, o: number, t: number, name: number, ac: Int32Array, k: number): number {
  if (ac[k] !== t || ac[k + 1] !== vm.typeVersion) return 0;
  const H = vm.H;
  const d = H[(o >> 2) + LY.I_DICT];
  const c = ac[k + 2];
  if (d === LY.NULL || c < 0 || c >= H[(d >> 2) + LY.D_NENT] >> 1) return 0;
  const e = (H[(d >> 2) + LY.D_ENT] >> 2) + 2 + 3 * c;
  return H[e] === name ? e + 1 : 0;
}

/** Make (t, now, v) the first entry at ac[j], the old first one the second. */
function fill(vm: Vm, ac: Int32Array, j: number, t: number, v: number): void {
  ac[j + 3] = ac[j];
  ac[j + 4] = ac[j + 1];
  ac[j + 5] = ac[j + 2];
  ac[j] = t;
  ac[j + 1] = vm.typeVersion;
  ac[j + 2] = v;
}

/** LOAD_ATTR past its first cache entry: the attribute; cached when it is the instance's own and its class has nothing by that name. */
function getAttrIC(vm: Vm, o: number, name: number, ac: Int32Array, j: number): number {
  const t = plainClass(vm, o);
  if (t !== 0) {
    const e = cachedSlot(vm, o, t, name, ac, j + 3);
    if (e !== 0) return vm.H[e];
  }
  const v = getAttr(vm, o, name);
  if (t !== 0 && lookupType(vm, t, name) === LY.NULL) {
    const d = vm.H[(o >> 2) + LY.I_DICT];
    const i = d === LY.NULL ? -1 : entryOf(vm, d, name);
    if (i >= 0) fill(vm, ac, j, t, i);
  }
  return v;
}

/**
 * STORE_ATTR past its first cache entry; cached as getAttrIC's, when the class has no __setattr__ either. A store
 * that added the attribute marks the second entry instead (index -1): the next instance of the class without it (most
 * often, in __init__) gets it appended to its dict directly.
 */
function setAttrIC(vm: Vm, o: number, name: number, v: number, ac: Int32Array, j: number): void {
  const H = vm.H;
  const t = plainClass(vm, o);
  if (t !== 0 && ac[j + 3] === t && ac[j + 4] === vm.typeVersion) {
    if (ac[j + 5] >= 0) {
      const e = cachedSlot(vm, o, t, name, ac, j + 3);
      if (e !== 0) {
        H[e] = v;
        return;
      }
    } else {
      const d = H[(o >> 2) + LY.I_DICT];
      if (d === LY.NULL || entryOf(vm, d, name) < 0) {
        tableInsertNew(vm, d === LY.NULL ? instanceDict(vm, o, true) : d, name, v, strHash(vm, name));
        return;
      }
    }
  }
  const d0 = t !== 0 ? H[(o >> 2) + LY.I_DICT] : LY.NULL;
  const n0 = d0 !== LY.NULL ? H[(d0 >> 2) + LY.D_NENT] : 0;
  setAttr(vm, o, name, v);
  if (t === 0 || (H[(t >> 2) + LY.TY_FLAGS] >> 1) & LY.TF_SETATTR || lookupType(vm, t, name) !== LY.NULL) return;
  const d = H[(o >> 2) + LY.I_DICT];
  const i = d === LY.NULL ? -1 : entryOf(vm, d, name);
  if (i < 0) return;
  if (d === d0 && H[(d >> 2) + LY.D_NENT] === n0) fill(vm, ac, j, t, i);
  else {
    // added: remember that for the next instance
    ac[j + 3] = t;
    ac[j + 4] = vm.typeVersion;
    ac[j + 5] = -1;
  }
}

/** LOAD_METHOD past its first cache entry (methodSelfNow() tells which it returned); cached when a class's plain function. */
function loadMethodIC(vm: Vm, o: number, name: number, ac: Int32Array, j: number): number {
  const t = plainClass(vm, o);
  if (t !== 0 && ac[j + 3] === t && ac[j + 4] === vm.typeVersion && noShadow(vm, o, name)) {
    methodSelfIC = true;
    return ac[j + 5];
  }
  const m = loadMethod(vm, o, name);
  methodSelfIC = methodSelf;
  if (methodSelf && t !== 0 && (m & 3) === 0 && (vm.H[m >> 2] & 127) === K.FUNC) fill(vm, ac, j, t, m);
  return m;
}

/** Whether loadMethodIC returned a function to call with the object as self. */
let methodSelfIC = false;

function methodSelfICNow(): boolean {
  return methodSelfIC;
}

/** Whether instance o's own dict does not hide name (a cached method of its class applies). */
function noShadow(vm: Vm, o: number, name: number): boolean {
  const d = vm.H[(o >> 2) + LY.I_DICT];
  if (d === LY.NULL) return true;
  if (vm.H[(d >> 2) + LY.D_INDEX] !== LY.NULL) return dictGetStr(vm, d, name) === LY.NULL;
  return entryOf(vm, d, name) < 0;
}

const RT = {
  invoke, popFrame, binaryOp, richCompare, unaryOp, getAttr, setAttr, loadMethod, methodSelfNow, getItem, setItem,
  contains, getIter, iterNext, unpackSequence, tupleFromStack, listFromStack, dictSet, newFloat, loadConst, buildSlice,
  buildString, formatValue, checkSlice, coldOp, unboundLocal, unboundDeref, loadGlobalAt, loadNameAt, storeNameAt, buildMap, appendTo,
  truthyAt, unAt, binAt, cmpAt, cmpTest, subAt, storeAt, forNext, callAt, fnum, genYield, genReturn, yieldFrom, retAt, getAttrIC,
  setAttrIC, loadMethodIC, methodSelfICNow, noShadow,
};

// --- the compiler -----------------------------------------------------------------------------------------------------

interface Insn {
  pc: number; // absolute offset in the image's bytes
  op: number;
  arg: number;
  next: number;
}

/** A stack entry while compiling: its value in a JS expression (a variable or a literal) and/or in the frame's stack. */
interface Item {
  e: string | null;
  h: boolean;
  /** A float result not boxed yet: then e is a variable that is 0 at run time while the value is only this double. */
  f?: string;
}

/** The instructions execute() runs out of line (its coldOp): the tier calls the same code for them. */
const COLD = new Set<number>([
  Op.DELETE_FAST, Op.DELETE_DEREF, Op.LOAD_CLASSDEREF, Op.DELETE_NAME, Op.STORE_GLOBAL, Op.DELETE_GLOBAL, Op.DELETE_ATTR,
  Op.MAKE_FUNCTION, Op.LOAD_BUILD_CLASS, Op.DELETE_SUBSCR, Op.BUILD_SET, Op.SET_ADD, Op.MAP_ADD, Op.LIST_EXTEND,
  Op.SET_UPDATE, Op.DICT_UPDATE, Op.DICT_MERGE, Op.LIST_TO_TUPLE, Op.UNPACK_EX, Op.SETUP_WITH, Op.RERAISE,
  Op.WITH_EXCEPT_START, Op.JUMP_IF_NOT_EXC_MATCH, Op.RAISE_VARARGS, Op.LOAD_ASSERTION_ERROR, Op.GET_YIELD_FROM_ITER,
  Op.GET_AWAITABLE, Op.GET_AITER, Op.GET_ANEXT, Op.END_ASYNC_FOR, Op.BEFORE_ASYNC_WITH, Op.IMPORT_NAME, Op.IMPORT_FROM,
  Op.IMPORT_STAR, Op.PRINT_EXPR, Op.SETUP_ANNOTATIONS,
]);

/** The instructions of a code object (bytes[start..end)), jump targets made absolute like execute()'s ips. */
function decode(bytes: Uint8Array, start: number, end: number): Insn[] | null {
  const out: Insn[] = [];
  for (let p = start; p < end; ) {
    if (!OPCODES[bytes[p]]) return null;
    const x = decodeAt(bytes, p);
    out.push({ pc: p, op: x.op, arg: OPCODES[x.op].arg === Arg.JUMP ? start + x.arg : x.arg, next: p + x.size });
    p += x.size;
  }
  return out;
}

/**
 * JS for the number an operand holds (NaN when it is neither a float nor a small int): an unboxed double as itself, a
 * small int shifted, a float box read in place through DV (the heap's DataView: one unaligned load, and no scratch
 * store that would stop V8 from reusing loads of H), anything else through fnum(); a constant's number as a literal (a
 * float box never changes). Written out, not left to V8 to inline: its inlining budget runs out early in a large
 * compiled function.
 */
function numOf(vm: Vm, n: { e: string; f: string | undefined }): string {
  const e = n.e;
  if (n.f === undefined && /^\d+$/.test(e)) {
    const w = +e;
    if (w & 1) return "(" + (w >> 1) + ")";
    if ((w & 3) !== 0 || w === 0 || (vm.H[w >> 2] & 127) !== K.FLOAT) return "NaN";
    const x = (vm.dv as DataView).getFloat64(w + 4, true);
    return x === 0 && 1 / x < 0 ? "(-0)" : "(" + String(x) + ")";
  }
  const box = "(" + e + "&3)===0&&(H[" + e + ">>2]&127)===" + K.FLOAT + "?DV.getFloat64(" + e + "+4,true):fnum(vm,H," + e + ")";
  return n.f !== undefined ? "(" + e + "===0?" + n.f + ":" + box + ")" : "(" + e + "&1?" + e + ">>1:" + box + ")";
}

/**
 * The code object's function; or, for lo >= 0, a function for its instructions lo .. hi only (a loop), which hands
 * every other ip to execute().
 */
function compile(vm: Vm, li: TierImage, ci: number, lo: number, hi: number): Compiled | false {
  const codes = li.img.codes;
  const row = ci * CF.CODE_FIELDS;
  const start = codes[row + CF.C_CODE];
  const len = codes[row + CF.C_CODELEN];
  if ((lo < 0 && len > MAX_CODE) || vm.dv === null) return false;
  const insns = decode(li.img.bytes, start, start + len);
  if (insns === null) return false;
  const nslots = codes[row + CF.C_NLOCALS] + codes[row + CF.C_NCELLS] + codes[row + CF.C_NFREE];
  const nblocks = codes[row + CF.C_NBLOCKS];
  const fsize = li.frameSize[ci];
  const at = new Map<number, number>();
  insns.forEach((x, i) => at.set(x.pc, i));

  // depths (from the verifier's rules) and the labels: entry, jump targets, return points of calls
  const depth = new Map<number, number>();
  const labels = new Set<number>([start]);
  const work: number[] = [start];
  depth.set(start, 0);
  while (work.length) {
    const pc = work.pop() as number;
    const x = insns[at.get(pc) as number];
    const d = depth.get(pc) as number;
    const info = OPCODES[x.op];
    const flow = (t: number, nd: number): void => {
      if (!depth.has(t)) {
        depth.set(t, nd);
        work.push(t);
      }
    };
    if (!info.terminal) flow(x.next, d + stackEffect(x.op, x.arg, false));
    if (info.arg === Arg.JUMP) {
      labels.add(x.arg);
      flow(x.arg, d + stackEffect(x.op, x.arg, true));
    }
  }
  for (const x of insns) {
    // return points: after a call, after FOR_ITER (a generator it resumed yields there), after a yield (resumed)
    if (x.op === Op.CALL_FUNCTION || x.op === Op.CALL_METHOD || x.op === Op.CALL_FUNCTION_KW || x.op === Op.FOR_ITER || x.op === Op.YIELD_VALUE) labels.add(x.next);
    // YIELD_FROM runs again on each resume, and goes on after it when the delegate is done
    if (x.op === Op.YIELD_FROM) {
      labels.add(x.pc);
      labels.add(x.next);
    }
  }
  // parameters that no DELETE_FAST can unbind are always set
  const nparams =
    codes[row + CF.C_ARGCOUNT] + codes[row + CF.C_KWONLY] +
    (codes[row + CF.C_FLAGS] & CF.CO_VARARGS ? 1 : 0) + (codes[row + CF.C_FLAGS] & CF.CO_VARKEYWORDS ? 1 : 0);
  const deleted = new Set<number>();
  for (const x of insns) if (x.op === Op.DELETE_FAST) deleted.add(x.arg);
  // definite assignment: the locals set on every path to each instruction (no DELETE_FAST of them anywhere), whose
  // LOAD_FAST needs no check. Sets only grow along a path, so a handler's state at its SETUP is a safe one.
  const bound = new Map<number, Set<number>>();
  const init = new Set<number>();
  for (let k = 0; k < nparams; k++) if (!deleted.has(k)) init.add(k);
  bound.set(start, init);
  const wl: number[] = [start];
  while (wl.length) {
    const pc = wl.pop() as number;
    const x = insns[at.get(pc) as number];
    let b = bound.get(pc) as Set<number>;
    if (x.op === Op.STORE_FAST && !deleted.has(x.arg) && !b.has(x.arg)) {
      b = new Set(b);
      b.add(x.arg);
    }
    const info = OPCODES[x.op];
    const into = (t: number): void => {
      const old = bound.get(t);
      if (old === undefined) {
        bound.set(t, b);
        wl.push(t);
        return;
      }
      let shrink = false;
      old.forEach((v) => {
        if (!b.has(v)) shrink = true;
      });
      if (shrink) {
        const m = new Set<number>();
        old.forEach((v) => {
          if (b.has(v)) m.add(v);
        });
        bound.set(t, m);
        wl.push(t);
      }
    };
    if (!info.terminal) into(x.next);
    if (info.arg === Arg.JUMP) into(x.arg);
  }

  const out: string[] = [];
  const emit = (s: string): void => {
    out.push(s);
  };
  let ntemp = 0;
  const tmp = (): string => "t" + ntemp++;
  let st: Item[] = [];
  let nsites = 0;
  let nac = 0; // attribute cache sites

  const smiS = (d: number): string => "SS+" + 2 * d; // smi(S + d)
  const smi = (v: number): string => String(v * 2 + 1);
  /** Code writing every entry not yet in the frame's stack (the model is unchanged). */
  const spillCode = (upto: number): string => {
    let s = "";
    for (let i = 0; i < upto; i++) if (!st[i].h) s += "H[S+" + (i + 1) + "]=" + st[i].e + ";";
    return s;
  };
  let ndbl = 0;
  let maxTemp = 0;
  let maxDbl = 0;
  /** The code boxing entry it if it is still an unboxed float (the collector may run: everything is written first). */
  const boxCode = (it: Item): string =>
    "if(" + it.e + "===0){" + spillCode(st.length) + "H[f+" + LY.F_SP + "]=" + smiS(st.length) + ";" + it.e + "=newFloat(vm," + it.f + ");}";
  /** For an operand the general case takes as a word: the code boxing it if unboxed (sp at depth; the rest already written). */
  const boxOp = (n: { e: string; f: string | undefined }, depth: number): string =>
    n.f !== undefined ? "if(" + n.e + "===0){H[f+" + LY.F_SP + "]=" + smiS(depth) + ";" + n.e + "=newFloat(vm," + n.f + ");}" : "";
  /** Box entry i if it may be an unboxed float. */
  const box = (i: number): void => {
    const it = st[i];
    if (it.f === undefined) return;
    emit(boxCode(it));
    it.f = undefined;
  };
  const boxAll = (): void => {
    for (let i = 0; i < st.length; i++) box(i);
  };
  const spillAll = (): void => {
    boxAll();
    emit(spillCode(st.length));
    for (const it of st) it.h = true;
  };
  /** The frame's sp and ip written, all of the stack in the frame: what every call out of here needs first. */
  const sync = (ip: number): string => spillCode(st.length) + "H[f+" + LY.F_SP + "]=" + smiS(st.length) + ";H[f+" + LY.F_IP + "]=" + smi(ip) + ";";
  /** Before a raise: sp over the entries already in the frame (the rest are dropped by the unwinding anyway). */
  const raiseSync = (ip: number): string => {
    let n = 0;
    while (n < st.length && st[n].h) n++;
    return "H[f+" + LY.F_SP + "]=" + smiS(n) + ";H[f+" + LY.F_IP + "]=" + smi(ip) + ";";
  };
  /**
   * sync(ip) for a slow path only, the model left as it is: floats still unboxed are boxed in that path (their
   * variables then hold the box, which the model allows), so the fast path writes nothing to the frame.
   */
  const slowSync = (ip: number): string => {
    let s = "";
    for (const it of st) if (it.f !== undefined) s += boxCode(it);
    return s + sync(ip);
  };
  /** A name operand as a literal word (interned: the heap does not move it, the image's names tuple keeps it). */
  const nameWord = (a: number): string => String(vm.H[(li.names >> 2) + LY.TUP_ITEMS + a]);
  /**
   * LOAD_NAME/STORE_NAME site k for name a: y the locals dict, x the name, and the test that y's entry c (cached at
   * GC[4k], GC[4k+1]) still holds the name (then w+3+3*c is its value's word).
   */
  const nameSite = (k: number, a: number): string =>
    "y=H[f+" + LY.F_LOCALS + "];x=" + nameWord(a) + ";c=GC[" + (4 * k + 1) + "];w=H[(y>>2)+" + LY.D_ENT + "]>>2;" +
    "if(GC[" + 4 * k + "]===y&&c<H[(y>>2)+" + LY.D_NENT + "]>>1&&H[w+2+3*c]===x)";
  /** The test that o is an instance of the class cached at AC[j], the cache still valid. */
  const instOf = (o: string, j: number): string =>
    "(" + o + "&3)===0&&(H[" + o + ">>2]&127)===" + K.INST + "&&H[(" + o + ">>2)+" + LY.I_TYPE + "]===AC[" + j + "]&&AC[" + (j + 1) + "]===vm.typeVersion";
  /** The test that o's dict holds nm at the cached entry index (then x is that entry's key word). */
  const entryAt = (o: string, j: number, nm: string): string =>
    "(w=H[(" + o + ">>2)+" + LY.I_DICT + "])!==0&&(c=AC[" + (j + 2) + "])<H[(w>>2)+" + LY.D_NENT + "]>>1&&H[x=(H[(w>>2)+" + LY.D_ENT + "]>>2)+2+3*c]===" + nm;
  const syncAll = (ip: number): void => {
    boxAll();
    emit(sync(ip));
    for (const it of st) it.h = true;
  };
  const push = (e: string): void => {
    st.push({ e, h: false });
  };
  /** The top entry as a number source: its word variable and, if it may be an unboxed float, its double; popped. */
  const popNum = (): { e: string; f: string | undefined } => {
    const it = st.pop() as Item;
    if (it.e !== null) return { e: it.e, f: it.f };
    const t = tmp();
    emit(t + "=H[S+" + (st.length + 1) + "];");
    return { e: t, f: undefined };
  };
  /** The top entry's value as an expression (loaded into a variable if only the frame has it); popped. */
  const pop = (): string => {
    box(st.length - 1);
    return popNum().e;
  };
  const peek = (k: number): string => {
    box(st.length - 1 - k);
    const it = st[st.length - 1 - k];
    if (it.e === null) {
      it.e = tmp();
      emit(it.e + "=H[S+" + (st.length - k) + "];");
    }
    return it.e;
  };
  const reset = (d: number): void => {
    st = [];
    for (let i = 0; i < d; i++) st.push({ e: null, h: true });
  };
  /** For a subscript y: the test that it is a non-negative small int (with "&&"), and its value as an expression. */
  const indexTest = (y: string): [string, string] => {
    if (/^-?\d+$/.test(y) && +y & 1 && +y > 0) return ["", String(+y >> 1)];
    return [y + "&1&&" + y + ">0&&", "(" + y + ">>1)"];
  };
  /** Jump targets outside the compiled loop: each gets a case that hands the frame to execute() there. */
  const exits = new Set<number>();
  const jumpTo = (t: number): string => {
    if (lo >= 0 && (t < lo || t > hi)) exits.add(t);
    return "{ip=" + t + ";continue}";
  };
  /** Leave the rest to execute(): it runs the instruction at pc (the stack as before it, all in the frame). */
  const bail = (pc: number): void => {
    boxAll();
    emit(sync(pc) + "return " + BAIL + ";");
  };
  /** Python truthiness of v (popped already) as a JS condition; at depth st.length after the pop. */
  const truth = (v: string, ip: number, d: number): string =>
    "(" + v + "===" + LY.TRUE + "||(" + v + "!==" + LY.FALSE + "&&(" + v + "&1?" + v + "!==1:truthyAt(vm,f," + smiS(d) + "," + smi(ip) + "," + v + "))))";

  let reachable = true;
  let last = -1; // the next pc after the last instruction compiled
  for (let i = 0; i < insns.length; i++) {
    const x = insns[i];
    const { pc, op, arg: a, next: N } = x;
    if (lo >= 0 && pc < lo) continue;
    if (lo >= 0 && pc > hi) break;
    if (!depth.has(pc)) {
      reachable = false;
      continue;
    }
    last = N;
    if (labels.has(pc) || !reachable) {
      if (labels.has(pc)) {
        if (reachable) spillAll();
        emit("case " + pc + ":");
      }
      reset(depth.get(pc) as number);
      // nothing is in a temp here: the next ones reuse the names (every entry initialises them all, and a function is
      // entered again at each return into it)
      maxTemp = Math.max(maxTemp, ntemp);
      maxDbl = Math.max(maxDbl, ndbl);
      ntemp = 0;
      ndbl = 0;
    }
    reachable = !OPCODES[op].terminal;
    const d = st.length;
    switch (op) {
      case Op.NOP:
        break;
      case Op.POP_TOP:
        st.pop();
        break;
      case Op.ROT_TWO: {
        const p = pop();
        const q = pop();
        push(p);
        push(q);
        break;
      }
      case Op.ROT_THREE: {
        const p = pop();
        const q = pop();
        const r = pop();
        push(p);
        push(r);
        push(q);
        break;
      }
      case Op.ROT_FOUR: {
        const p = pop();
        const q = pop();
        const r = pop();
        const s = pop();
        push(p);
        push(s);
        push(r);
        push(q);
        break;
      }
      case Op.DUP_TOP:
        push(peek(0));
        break;
      case Op.DUP_TOP_TWO: {
        const q = peek(1);
        const p = peek(0);
        push(q);
        push(p);
        break;
      }
      case Op.LOAD_CONST:
        // made now (the heap does not move objects, and the image's constant table keeps them): a literal
        push(String(vm.H[(li.consts >> 2) + 1 + a] || loadConst(vm, li, a)));
        break;
      case Op.LOAD_INT:
        push(String((a << 1) | 1)); // (decodeAt undid the zigzag)
        break;
      case Op.LOAD_NONE:
        push(String(LY.NONE));
        break;
      case Op.LOAD_TRUE:
        push(String(LY.TRUE));
        break;
      case Op.LOAD_FALSE:
        push(String(LY.FALSE));
        break;
      case Op.LOAD_FAST: {
        const t = tmp();
        emit(t + "=H[L+" + a + "];");
        const bs = bound.get(pc);
        if (bs === undefined || !bs.has(a)) emit("if(" + t + "===0){" + raiseSync(N) + "throw unboundLocal(vm,f,li," + a + ");}");
        push(t);
        break;
      }
      case Op.STORE_FAST:
        emit("H[L+" + a + "]=" + pop() + ";");
        break;
      case Op.LOAD_DEREF: {
        const t = tmp();
        emit(t + "=H[(H[L+" + a + "]>>2)+1];if(" + t + "===0){" + raiseSync(N) + "throw unboundDeref(vm,f,li," + a + ");}");
        push(t);
        break;
      }
      case Op.STORE_DEREF:
        emit("H[(H[L+" + a + "]>>2)+1]=" + pop() + ";");
        break;
      case Op.LOAD_CLOSURE: {
        const t = tmp();
        emit(t + "=H[L+" + a + "];");
        push(t);
        break;
      }
      case Op.LOAD_NAME: {
        // cached as LOAD_GLOBAL, in the locals dict (the module's globals at module level)
        const k = nsites++;
        const t = tmp();
        emit(nameSite(k, a) + t + "=H[w+3+3*c];else{" + sync(N) + t + "=loadNameAt(vm,f,x,GC," + k + ");}");
        push(t);
        break;
      }
      case Op.STORE_NAME: {
        // an entry the name already has is written in place (what dictSet would do); anything else goes to dictSet
        const k = nsites++;
        const v = peek(0);
        const slow = sync(N);
        st.pop();
        emit(nameSite(k, a) + "H[w+3+3*c]=" + v + ";else{" + slow + "storeNameAt(vm,y,x," + v + ",GC," + k + ");}");
        break;
      }
      case Op.LOAD_GLOBAL: {
        const k = nsites++;
        const t = tmp();
        emit(
          "y=H[f+" + LY.F_GLOBALS + "];x=H[names+" + a + "];c=GC[" + (4 * k + 1) + "];w=H[(y>>2)+" + LY.D_ENT + "];" +
            "if(GC[" + 4 * k + "]===y&&c<H[(y>>2)+" + LY.D_NENT + "]>>1&&H[(w>>2)+2+3*c]===x)" + t + "=H[(w>>2)+3+3*c];" +
            "else{" + sync(N) + t + "=loadGlobalAt(vm,y,x,GC," + k + ");}",
        );
        push(t);
        break;
      }
      case Op.LOAD_ATTR: {
        const o = peek(0);
        const j = 6 * nac++;
        const nm = nameWord(a);
        const slow = slowSync(N);
        st.pop();
        const t = tmp();
        emit("if(" + instOf(o, j) + "&&" + entryAt(o, j, nm) + ")" + t + "=H[x+1];else{" + slow + t + "=getAttrIC(vm," + o + "," + nm + ",AC," + j + ");}");
        push(t);
        break;
      }
      case Op.STORE_ATTR: {
        const o = peek(0);
        const v = peek(1);
        const j = 6 * nac++;
        const nm = nameWord(a);
        const slow = slowSync(N);
        st.pop();
        st.pop();
        emit("if(" + instOf(o, j) + "&&" + entryAt(o, j, nm) + ")H[x+1]=" + v + ";else{" + slow + "setAttrIC(vm," + o + "," + nm + "," + v + ",AC," + j + ");}");
        break;
      }
      case Op.LOAD_METHOD: {
        const o = peek(0);
        const j = 6 * nac++;
        const nm = nameWord(a);
        const slow = slowSync(N);
        st.pop();
        const p = tmp();
        const q = tmp();
        emit(
          "if(" + instOf(o, j) + "&&noShadow(vm," + o + "," + nm + ")){" + p + "=AC[" + (j + 2) + "];" + q + "=" + o + ";}" +
            "else{" + slow + "x=loadMethodIC(vm," + o + "," + nm + ",AC," + j + ");if(methodSelfICNow()){" + p + "=x;" + q + "=" + o + ";}else{" + p + "=0;" + q + "=x;}}",
        );
        push(p);
        push(q);
        break;
      }
      case Op.CALL_FUNCTION:
      case Op.CALL_METHOD:
      case Op.CALL_FUNCTION_KW:
      case Op.CALL_FUNCTION_EX: {
        syncAll(N);
        // base: the slot of the callable (CALL_METHOD: of NULL or the function), whose slot gets the result
        const base = op === Op.CALL_FUNCTION ? d - a : op === Op.CALL_FUNCTION_EX ? d - 1 - (a & 1) : d - a - 1;
        const kind = op === Op.CALL_FUNCTION ? 0 : op === Op.CALL_METHOD ? 1 : op === Op.CALL_FUNCTION_KW ? 2 : 3;
        const t = tmp();
        emit("w=callAt(vm,f,S+" + base + "," + a + "," + kind + ");if(w===" + FRAME_PUSHED + ")return " + GO + ";if(w===" + CALL_SUSPEND + ")return " + SUSPEND + ";" + t + "=w;");
        st.length = base - 1;
        push(t);
        break;
      }
      case Op.BINARY_OP: {
        const o = a & 15;
        if (o === 0 || o === 1 || o === 2 || o === 4) {
          // + - * /: small ints inline; floats inline, the result left unboxed (a double) until something needs it
          // as a word; the rest out of line
          const Y = popNum();
          const X = popNum();
          const xx = X.e;
          const y = Y.e;
          const k = st.length;
          const t = tmp();
          const td = "d" + ndbl++;
          emit(t + "=0;");
          if (o !== 4) {
            const js = o === 0 ? "+" : o === 1 ? "-" : "*";
            emit("if(" + xx + "&" + y + "&1){w=(" + xx + ">>1)" + js + "(" + y + ">>1);if(w>=" + LY.SMALL_MIN + "&&w<=" + LY.SMALL_MAX + ")" + t + "=(w<<1)|1;}");
          }
          // the general case takes words: box an unboxed operand first (x is written to its slot before y is boxed)
          const js = o === 0 ? "+" : o === 1 ? "-" : o === 2 ? "*" : "/";
          emit(
            "if(" + t + "===0){fx=" + numOf(vm, X) + ";fy=" + numOf(vm, Y) + ";" +
              "if(fx===fx&&fy===fy" + (o === 4 ? "&&fy!==0" : "&&(" + xx + "&" + y + "&1)===0") + ")" + td + "=fx" + js + "fy;" +
              "else{" + spillCode(k) + boxOp(X, k) + "H[S+" + (k + 1) + "]=" + xx + ";" + boxOp(Y, k + 1) + t + "=binAt(vm,f,S+" + k + "," + smi(N) + "," + a + "," + xx + "," + y + ");}}",
          );
          st.push({ e: t, h: false, f: td });
          break;
        }
        const y = pop();
        const xx = pop();
        const t = tmp();
        const k = st.length; // the operands' slots are S+k+1, S+k+2
        emit(t + "=0;");
        if (o === 6) emit("if(" + xx + "&" + y + "&1&&" + y + ">1){w=(" + xx + ">>1)%(" + y + ">>1);if(w<0)w+=" + y + ">>1;" + t + "=(w<<1)|1;}");
        else if (o === 5) emit("if(" + xx + "&" + y + "&1&&" + y + ">1&&" + xx + ">=0)" + t + "=(((" + xx + ">>1)/(" + y + ">>1))<<1)|1;");
        else if (o === 10) emit("if(" + xx + "&" + y + "&1)" + t + "=" + xx + "&" + y + ";");
        else if (o === 11) emit("if(" + xx + "&" + y + "&1)" + t + "=" + xx + "|" + y + ";");
        else if (o === 12) emit("if(" + xx + "&" + y + "&1)" + t + "=(" + xx + "^" + y + ")|1;");
        else if (o === 9) emit("if(" + xx + "&" + y + "&1&&" + y + ">0)" + t + "=((" + xx + ">>1)>>(" + y + ">61?31:" + y + ">>1)<<1)|1;");
        emit("if(" + t + "===0){" + spillCode(k) + t + "=binAt(vm,f,S+" + k + "," + smi(N) + "," + a + "," + xx + "," + y + ");}");
        push(t);
        break;
      }
      case Op.UNARY_OP: {
        const k = st.length - 1; // the operand's slot is S+k+1
        if (a === 0) {
          // -x: a small int inline (but -2**30, which is not small), a float left unboxed; the rest out of line
          const X = popNum();
          const xx = X.e;
          const t = tmp();
          const td = "d" + ndbl++;
          emit(t + "=0;if(" + xx + "&1){if(" + xx + "!==" + smi(LY.SMALL_MIN) + ")" + t + "=2-" + xx + ";}");
          emit(
            "if(" + t + "===0){fx=" + numOf(vm, X) + ";if(fx===fx&&(" + xx + "&1)===0)" + td + "=-fx;" +
              "else{" + spillCode(k) + boxOp(X, k) + t + "=unAt(vm,f,S+" + k + "," + smi(N) + ",0," + xx + ");}}",
          );
          st.push({ e: t, h: false, f: td });
          break;
        }
        const v = pop();
        const t = tmp();
        if (a === 3) {
          // not x: the constants and small ints inline, truthiness of the rest out of line
          emit(
            "if(" + v + "===" + LY.TRUE + ")" + t + "=" + LY.FALSE + ";else if(" + v + "===" + LY.FALSE + "||" + v + "===" + LY.NONE + ")" + t + "=" + LY.TRUE + ";" +
              "else if(" + v + "&1)" + t + "=" + v + "!==1?" + LY.FALSE + ":" + LY.TRUE + ";" +
              "else{" + spillCode(k) + "H[S+" + (k + 1) + "]=" + v + ";" + t + "=truthyAt(vm,f," + smiS(k + 1) + "," + smi(N) + "," + v + ")?" + LY.FALSE + ":" + LY.TRUE + ";}",
          );
        } else {
          // ~x of a small int is -x's word; +x and the rest out of line
          emit(
            (a === 2 ? "if(" + v + "&1)" + t + "=-" + v + ";else" : "") +
              "{" + spillCode(k) + t + "=unAt(vm,f,S+" + k + "," + smi(N) + "," + a + "," + v + ");}",
          );
        }
        push(t);
        break;
      }
      case Op.COMPARE_OP:
      case Op.IS_OP: {
        const Y = op === Op.COMPARE_OP ? popNum() : { e: pop(), f: undefined };
        const X = op === Op.COMPARE_OP ? popNum() : { e: pop(), f: undefined };
        const y = Y.e;
        const xx = X.e;
        const k = st.length;
        // floats compared inline (unboxed ones too); anything else out of line, with words
        const slow = (call: string): string =>
          "fx=" + numOf(vm, X) + ";fy=" + numOf(vm, Y) + ";if(fx===fx&&fy===fy)" + call.replace("@", "fx" + ["<", "<=", "===", "!==", ">", ">="][a] + "fy") + "else{" +
          spillCode(k) + boxOp(X, k) + "H[S+" + (k + 1) + "]=" + xx + ";" + boxOp(Y, k + 1);
        const nx = insns[i + 1];
        const fuse = nx !== undefined && !labels.has(nx.pc) && (nx.op === Op.POP_JUMP_IF_FALSE || nx.op === Op.POP_JUMP_IF_TRUE);
        if (fuse) {
          // the comparison and the jump that follows it, on a JS boolean
          if (op === Op.IS_OP) emit("c=(" + xx + "===" + y + ")" + (a ? "===false" : "") + ";");
          else {
            const js = ["<", "<=", "===", "!==", ">", ">="][a];
            emit("if(" + xx + "&" + y + "&1)c=" + xx + js + y + ";else{" + slow("c=@;") + "c=cmpTest(vm,f,S+" + k + "," + smi(N) + "," + a + "," + xx + "," + y + ");}}");
          }
          i++;
          spillAll();
          emit("if(" + (nx.op === Op.POP_JUMP_IF_FALSE ? "!" : "") + "c)" + jumpTo(nx.arg));
          reachable = true;
        } else {
          const t = tmp();
          if (op === Op.IS_OP) emit(t + "=(" + xx + "===" + y + ")" + (a ? "?" + LY.FALSE + ":" + LY.TRUE : "?" + LY.TRUE + ":" + LY.FALSE) + ";");
          else {
            const js = ["<", "<=", "===", "!==", ">", ">="][a];
            emit("if(" + xx + "&" + y + "&1)" + t + "=" + xx + js + y + "?" + LY.TRUE + ":" + LY.FALSE + ";else{" + slow(t + "=@?" + LY.TRUE + ":" + LY.FALSE + ";") + t + "=cmpAt(vm,f,S+" + k + "," + smi(N) + "," + a + "," + xx + "," + y + ");}}");
          }
          push(t);
        }
        break;
      }
      case Op.CONTAINS_OP: {
        const y = peek(0);
        const xx = peek(1);
        syncAll(N);
        st.pop();
        st.pop();
        const t = tmp();
        emit(t + "=contains(vm," + y + "," + xx + ")" + (a ? "?" + LY.FALSE + ":" + LY.TRUE : "?" + LY.TRUE + ":" + LY.FALSE) + ";");
        push(t);
        break;
      }
      case Op.BINARY_SUBSCR: {
        const y = pop();
        const xx = pop();
        const k = st.length;
        const t = tmp();
        const [ok, ix] = indexTest(y);
        emit(
          "if(" + ok + "(" + xx + "&3)===0&&" + xx + "!==0&&(H[" + xx + ">>2]&127)===" + K.LIST + "&&" + ix + "<H[(" + xx + ">>2)+" + LY.SEQ_LEN + "]>>1)" +
            t + "=H[(H[(" + xx + ">>2)+" + LY.LIST_ARR + "]>>2)+1+" + ix + "];else{" + spillCode(k) + t + "=subAt(vm,f,S+" + k + "," + smi(N) + "," + xx + "," + y + ");}",
        );
        push(t);
        break;
      }
      case Op.STORE_SUBSCR: {
        const y = pop();
        const xx = pop();
        const v = pop();
        const k = st.length;
        const [ok, ix] = indexTest(y);
        emit(
          "if(" + ok + "(" + xx + "&3)===0&&" + xx + "!==0&&(H[" + xx + ">>2]&127)===" + K.LIST + "&&" + ix + "<H[(" + xx + ">>2)+" + LY.SEQ_LEN + "]>>1)" +
            "H[(H[(" + xx + ">>2)+" + LY.LIST_ARR + "]>>2)+1+" + ix + "]=" + v + ";else{" + spillCode(k) + "storeAt(vm,f,S+" + k + "," + smi(N) + "," + v + "," + xx + "," + y + ");}",
        );
        break;
      }
      case Op.BUILD_TUPLE:
      case Op.BUILD_LIST:
      case Op.BUILD_STRING: {
        syncAll(N);
        st.length = d - a;
        const t = tmp();
        const fn = op === Op.BUILD_TUPLE ? "tupleFromStack" : op === Op.BUILD_LIST ? "listFromStack" : "buildString";
        emit(t + "=" + fn + "(vm,S+" + (d - a + 1) + "," + a + ");");
        push(t);
        break;
      }
      case Op.BUILD_MAP: {
        syncAll(N);
        st.length = d - 2 * a;
        const t = tmp();
        emit(t + "=buildMap(vm,S+" + d + "," + a + ");");
        push(t);
        break;
      }
      case Op.BUILD_SLICE: {
        syncAll(N);
        st.length = d - a;
        const t = tmp();
        emit(t + "=buildSlice(vm,H[S+" + (d - a + 1) + "],H[S+" + (d - a + 2) + "]," + (a === 3 ? "H[S+" + d + "]" : String(LY.NONE)) + ");");
        push(t);
        break;
      }
      case Op.LIST_APPEND: {
        syncAll(N);
        st.pop();
        emit("appendTo(vm,H[S+" + (d - a) + "],H[S+" + d + "]);");
        break;
      }
      case Op.FORMAT_VALUE: {
        syncAll(N);
        const t = tmp();
        if (a & 4) {
          st.length = d - 2;
          emit(t + "=formatValue(vm,H[S+" + (d - 1) + "]," + (a & 3) + ",H[S+" + d + "]);");
        } else {
          st.length = d - 1;
          emit(t + "=formatValue(vm,H[S+" + d + "]," + (a & 3) + ",0);");
        }
        push(t);
        break;
      }
      case Op.UNPACK_SEQUENCE: {
        const v = peek(0);
        st.pop();
        spillAll();
        let fast = "";
        for (let k = 0; k < a; k++) fast += "H[S+" + (d + a - 1 - k) + "]=H[(" + v + ">>2)+" + (LY.TUP_ITEMS + k) + "];";
        emit(
          "if((" + v + "&3)===0&&" + v + "!==0&&(H[" + v + ">>2]&127)===" + K.TUPLE + "&&H[(" + v + ">>2)+" + LY.SEQ_LEN + "]>>1===" + a + "){" + fast + "}" +
            "else{H[S+" + d + "]=" + v + ";H[f+" + LY.F_SP + "]=" + smiS(d) + ";H[f+" + LY.F_IP + "]=" + smi(N) + ";unpackSequence(vm," + v + "," + a + ",S+" + d + ");}",
        );
        for (let k = 0; k < a; k++) st.push({ e: null, h: true });
        break;
      }
      case Op.GET_ITER: {
        const v = peek(0);
        syncAll(N);
        st.pop();
        const t = tmp();
        emit(t + "=getIter(vm," + v + ");");
        push(t);
        break;
      }
      case Op.FOR_ITER: {
        const it = peek(0);
        spillAll();
        const t = tmp();
        const end = jumpTo(a);
        // a range inline; anything else out of line
        emit(
          "xp=" + it + ">>2;if((H[xp]&127)===" + K.ITER + "&&H[xp+1]===" + (1 + 2 * IT.RANGE) + "){w=H[xp+2];y=H[xp+4];x=H[xp+3];" +
            "if(y>1?w<x:w>x){" + t + "=w;w=w+y-1;H[xp+2]=y>1?(w>x?x:w):w<x?x:w;}else " + end + "}" +
            "else{" + t + "=forNext(vm,f," + smiS(d) + "," + smi(N) + "," + it + ");if(" + t + "===0)" + end +
            "if(" + t + "===" + FRAME_PUSHED + ")return " + GO + ";}",
        );
        push(t);
        break;
      }
      case Op.JUMP:
        spillAll();
        if (a <= pc)
          emit("if(--vm.budget<=0||vm.interrupt){H[f+" + LY.F_SP + "]=" + smiS(d) + ";H[f+" + LY.F_IP + "]=" + smi(a) + ";if(checkSlice(vm))return " + SUSPEND + ";}");
        emit(jumpTo(a));
        break;
      case Op.POP_JUMP_IF_FALSE:
      case Op.POP_JUMP_IF_TRUE: {
        const v = pop();
        spillAll();
        emit("if(" + (op === Op.POP_JUMP_IF_FALSE ? "!" : "") + truth(v, N, st.length) + ")" + jumpTo(a));
        break;
      }
      case Op.JUMP_IF_FALSE_OR_POP:
      case Op.JUMP_IF_TRUE_OR_POP: {
        const v = peek(0);
        spillAll();
        emit("if(" + (op === Op.JUMP_IF_FALSE_OR_POP ? "!" : "") + truth(v, N, st.length) + ")" + jumpTo(a));
        st.pop();
        break;
      }
      case Op.SETUP_FINALLY:
        spillAll();
        emit("w=H[f+" + LY.F_NBLOCKS + "]>>1;x=BB+2*w;H[x]=" + smi(a << 1) + ";H[x+1]=" + smiS(d) + ";H[f+" + LY.F_NBLOCKS + "]=(w+1)*2+1;");
        break;
      case Op.POP_BLOCK:
        emit("H[f+" + LY.F_NBLOCKS + "]-=2;");
        break;
      case Op.POP_EXCEPT:
        emit("H[f+" + LY.F_NBLOCKS + "]-=2;vm.curExc=" + pop() + ";");
        break;
      case Op.YIELD_VALUE: {
        // the resumer (or, resumed from native code, execute()'s caller: SUSPENDED) gets the value
        const v = peek(0);
        spillAll();
        st.pop();
        emit("H[f+" + LY.F_SP + "]=" + smiS(d - 1) + ";H[f+" + LY.F_IP + "]=" + smi(N) + ";x=genYield(vm," + v + ");return x===" + SUSPENDED + "?" + SUSPEND + ":" + GO + ";");
        reachable = false;
        break;
      }
      case Op.YIELD_FROM:
        // it v: the delegate runs (or yields through this frame, or is done: then ip is past here, `result` pushed)
        spillAll();
        emit("H[f+" + LY.F_SP + "]=" + smiS(d) + ";H[f+" + LY.F_IP + "]=" + smi(pc) + ";x=yieldFrom(vm,H[S+" + (d - 1) + "],H[S+" + d + "]);return x===" + SUSPENDED + "?" + SUSPEND + ":" + GO + ";");
        reachable = false;
        break;
      case Op.RETURN_VALUE: {
        const v = peek(0);
        emit("if((H[f+" + LY.F_FLAGS + "]>>1)&" + LY.FF_GEN + "){" + spillCode(d - 1) + "H[f+" + LY.F_SP + "]=" + smiS(d - 1) + ";H[f+" + LY.F_IP + "]=" + smi(N) + ";x=genReturn(vm," + v + ");return x===" + SUSPENDED + "?" + SUSPEND + ":" + GO + ";}");
        emit("if((H[f+" + LY.F_FLAGS + "]>>1)&" + (LY.FF_CTOR | LY.FF_EXIT) + "){" + sync(pc) + "return retAt(vm,f," + v + ");}");
        emit("popFrame(vm);x=vm.frame;y=(H[x+" + LY.F_SP + "]>>1)+1;H[y]=" + v + ";H[x+" + LY.F_SP + "]=(y<<1)|1;return " + GO + ";");
        st.pop();
        break;
      }
      default:
        if (!COLD.has(op)) {
          // the rest (yields, async with, ...): left to execute(); the dump names them
          if (dump !== null) emit("/* " + OPCODES[op].name + " */");
          bail(pc);
          reachable = false;
          break;
        }
        // the rare instructions: execute()'s own out-of-line code, called the way execute() calls it
        syncAll(pc + 1);
        emit("coldOp(vm," + op + ");if(vm.frame!==f)return " + GO + ";");
        if (OPCODES[op].terminal) {
          emit("return " + GO + ";");
        } else {
          emit("if(H[f+" + LY.F_IP + "]!==" + smi(N) + ")" + "{ip=H[f+" + LY.F_IP + "]>>1;continue}");
          reset(d + stackEffect(op, a, false));
        }
    }
  }

  if (lo >= 0) {
    // leaving the loop: by a jump out, or by falling off its end (never after the compiler's closing JUMP, but the
    // switch's default must not be reached without the frame's ip); execute() runs the rest from the frame
    if (reachable) {
      spillAll();
      emit(jumpTo(last));
    }
    exits.forEach((t) => {
      emit("case " + t + ":H[f+" + LY.F_SP + "]=" + smiS(depth.get(t) as number) + ";H[f+" + LY.F_IP + "]=" + smi(t) + ";return " + BAIL + ";");
    });
  }
  const temps: string[] = [];
  for (let k = 0; k < Math.max(maxTemp, ntemp); k++) temps.push("t" + k + "=0");
  for (let k = 0; k < Math.max(maxDbl, ndbl); k++) temps.push("d" + k + "=0.5");
  const body =
    "var invoke=R.invoke,popFrame=R.popFrame,binaryOp=R.binaryOp,richCompare=R.richCompare,unaryOp=R.unaryOp,getAttr=R.getAttr,setAttr=R.setAttr," +
    "loadMethod=R.loadMethod,methodSelfNow=R.methodSelfNow,getItem=R.getItem,setItem=R.setItem,contains=R.contains,getIter=R.getIter," +
    "iterNext=R.iterNext,unpackSequence=R.unpackSequence,tupleFromStack=R.tupleFromStack,listFromStack=R.listFromStack," +
    "dictSet=R.dictSet,newFloat=R.newFloat,loadConst=R.loadConst,buildSlice=R.buildSlice,buildString=R.buildString," +
    "formatValue=R.formatValue,checkSlice=R.checkSlice,coldOp=R.coldOp,unboundLocal=R.unboundLocal,unboundDeref=R.unboundDeref," +
    "loadGlobalAt=R.loadGlobalAt,loadNameAt=R.loadNameAt,storeNameAt=R.storeNameAt,buildMap=R.buildMap,appendTo=R.appendTo,truthyAt=R.truthyAt,unAt=R.unAt," +
    "binAt=R.binAt,cmpAt=R.cmpAt,cmpTest=R.cmpTest,subAt=R.subAt,storeAt=R.storeAt,forNext=R.forNext,callAt=R.callAt,fnum=R.fnum,genYield=R.genYield,genReturn=R.genReturn,yieldFrom=R.yieldFrom,retAt=R.retAt," +
    "getAttrIC=R.getAttrIC,setAttrIC=R.setAttrIC,loadMethodIC=R.loadMethodIC,methodSelfICNow=R.methodSelfICNow,noShadow=R.noShadow;\n" +
    "var GC=new Int32Array(" + Math.max(4, 4 * nsites) + "),AC=new Int32Array(" + Math.max(6, 6 * nac) + ");\n" +
    // named after the Python function, so that profiles and V8's traces tell the compiled functions apart
    "return function py_" + jstr(vm, vm.H[(li.names >> 2) + LY.TUP_ITEMS + codes[row + CF.C_QUALNAME]]).replace(/[^A-Za-z0-9_$]/g, "_") + "(vm,f,ip){\n" +
    "var H=vm.H,DV=vm.dv,L=f+" + LY.F_SLOTS + ",S=L+" + (nslots - 1) + ",SS=(S<<1)|1,BB=f+" + (fsize - 2 * nblocks) + "," +
    "names=(li.names>>2)+" + LY.TUP_ITEMS + ",consts=(li.consts>>2)+1,w=0,x=0,y=0,c=0,xp=0,fx=0,fy=0" +
    (temps.length ? "," + temps.join(",") : "") + ";\n" +
    "for(;;){switch(ip){\n" + out.join("\n") + "\ndefault:return " + BAIL + ";}}\n};";
  if (dump !== null) dump("// tier: code " + ci + (lo >= 0 ? " loop " + lo + ".." + hi : "") + "\n" + body);
  try {
    const fn = new Function("R", "li", body)(RT, li) as Compiled;
    stats.compiled++;
    checkSoon(vm);
    return fn;
  } catch (e) {
    // a bug here must not break the program: the code object stays with execute() (the tests count these)
    stats.failed++;
    return false;
  }
}
