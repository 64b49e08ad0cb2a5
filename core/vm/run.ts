// Running programs: loading a verified image into the VM (interning its names), running a module body (the main
// program in event-loop slices, imported modules nested), and turning an uncaught exception into the CPython-style
// traceback text and exit status.
import { loadImage, isLoadError, lineFor } from "../image";
import type { LineMap } from "../image";
import { CF } from "../code";
import { K, SEQ_LEN, imm, LY } from "./layout";
import type { Vm, LoadedImage } from "./vm";
import { Vm as VmClass } from "./vm";
import { T } from "./types";
import { PY_EXC, raise, excArg0 } from "./exc";
import { newTuple } from "../obj/seq";
import { internBytes, jstr } from "../obj/str";
import { codeObject } from "./support";
import { callPython, FRAME_PUSHED, runNested } from "./call";
import { execute, SUSPENDED, SLICE } from "./interp";
import { typeOf, isSubtype, typeName } from "../obj/type";
import { classPath, strJs } from "../obj/repr";
import { kindOf } from "./ops";
import { dictGetStr, dictSet } from "../obj/dict";
import { qw, Q } from "../obj/str";
import { isIntLike, intToDouble } from "../obj/num";

/** Load and verify image bytes; returns the LoadedImage's index, or an error message. */
export function addImage(vm: Vm, bytes: Uint8Array, source: string | null, lineMap: LineMap | null): number | string {
  const img = loadImage(bytes);
  if (isLoadError(img)) return img.error;
  const H = vm.H;
  const nn = img.nameOff.length;
  const names = newTuple(vm, nn);
  vm.tpush(names);
  for (let i = 0; i < nn; i++) H[(names >> 2) + LY.TUP_ITEMS + i] = internBytes(vm, bytes, img.nameOff[i], img.nameLen[i]);
  const consts = vm.alloc(K.ARRAY, 1 + img.constKind.length);
  vm.tpush(consts << 2);
  const codes = vm.alloc(K.ARRAY, 1 + img.ncodes);
  vm.tpop(2);
  const frameSize = new Int32Array(img.ncodes);
  for (let i = 0; i < img.ncodes; i++) frameSize[i] = VmClass.frameWords(img, i);
  const li: LoadedImage = { img: img, names: names, consts: consts << 2, codeObjs: codes << 2, frameSize: frameSize, lineMap: lineMap, source: source };
  vm.images.push(li);
  return vm.images.length - 1;
}

/** A function object for an image's module code, with globals g. */
function moduleFunction(vm: Vm, ii: number, g: number): number {
  const li = vm.images[ii];
  const code = codeObject(vm, li, ii, 0);
  vm.tpush(code);
  const fn = vm.alloc(K.FUNC, LY.FN_SIZE);
  vm.tpop(1);
  vm.H[fn + LY.FN_CODE] = code;
  vm.H[fn + LY.FN_GLOBALS] = g;
  return fn << 2;
}

/** Run an image's module body with globals g to completion (nested: used by import and exec). */
export function runModuleImage(vm: Vm, bytes: Uint8Array, filename: string, source: string | null, g: number): number {
  void filename;
  const ii = addImage(vm, bytes, source, null);
  if (typeof ii === "string") throw raise(vm, T.IMPORT_ERROR, "bad bytecode in " + filename + ": " + ii);
  return runCode(vm, ii, g, g);
}

/** Run code 0 of loaded image ii with these globals and locals, nested; its return value. */
export function runCode(vm: Vm, ii: number, g: number, locals: number): number {
  const fn = moduleFunction(vm, ii, g);
  vm.tpush(fn);
  try {
    const r = callPython(vm, fn, 0, 0, LY.NULL, LY.NULL, 0);
    if (r !== FRAME_PUSHED) return r;
    vm.H[vm.frame + LY.F_LOCALS] = locals;
    return runNested(vm);
  } finally {
    vm.tpop(1);
  }
}

/** Set up the main program's frame (image index ii, globals g); then call runSlice until it is done. */
export function startMain(vm: Vm, ii: number, g: number): void {
  // __file__ of the main module: the image's file name
  const li = vm.images[ii];
  if (dictGetStr(vm, g, qw(Q.__file__)) === LY.NULL) dictSet(vm, g, qw(Q.__file__), vm.H[(li.names >> 2) + LY.TUP_ITEMS + li.img.filename]);
  const fn = moduleFunction(vm, ii, g);
  vm.tpush(fn);
  callPython(vm, fn, 0, 0, LY.NULL, LY.NULL, LY.FF_EXIT);
  vm.tpop(1);
  vm.H[vm.frame + LY.F_LOCALS] = g;
}

/**
 * addImage then startMain: the image's index, or its load error (a string). A Python exception while the program is
 * set up (MemoryError interning its names on a small heap) is not thrown: the first runSlice returns it as
 * RUN_ERROR, as if the program's first instruction had raised it.
 */
export function beginMain(vm: Vm, bytes: Uint8Array, source: string | null, lineMap: LineMap | null): number | string {
  let ii: number | string = -1;
  const tn = vm.tn;
  try {
    ii = addImage(vm, bytes, source, lineMap);
    if (typeof ii === "string") return ii;
    startMain(vm, ii, vm.mainGlobals);
  } catch (e) {
    if (e !== PY_EXC) throw e;
    vm.frame = 0;
    vm.ftop = vm.fbase;
    vm.depth = 0;
    vm.tn = tn;
    vm.pendingThrow = true; // with no frame: runSlice reports vm.excValue
  }
  return ii;
}

export const RUN_DONE = 0;
export const RUN_SUSPENDED = 1;
export const RUN_ERROR = 2;

/**
 * Run the program for one slice of `budget` instructions (0: the default, SLICE when vm.sliced, else to the end).
 * RUN_SUSPENDED: call again after vm.suspendMs (or when resumed); RUN_ERROR: the uncaught exception is in
 * vm.lastExc.
 */
export function runSlice(vm: Vm, budget: number): number {
  if (vm.frame === 0 && vm.pendingThrow) {
    // beginMain failed to set the program up
    vm.pendingThrow = false;
    vm.lastExc = vm.excValue;
    vm.excValue = LY.NULL;
    return RUN_ERROR;
  }
  vm.budget = budget > 0 ? budget : vm.sliced ? SLICE : 3; // 3: checkSlice's early checks (interp.ts)
  try {
    const r = execute(vm);
    if (r === SUSPENDED) return RUN_SUSPENDED;
    return RUN_DONE;
  } catch (e) {
    if (e !== PY_EXC) throw e;
    vm.lastExc = vm.excValue;
    vm.excValue = LY.NULL;
    vm.frame = 0;
    vm.ftop = vm.fbase;
    vm.depth = 0;
    return RUN_ERROR;
  }
}

// --- tracebacks ------------------------------------------------------------------------------------------------------

/** Line of instruction offset `ip` (absolute in the image) of code object ci, 0 if unknown. */
export function lineOf(vm: Vm, li: LoadedImage, ci: number, ip: number): number {
  const off = ip - li.img.codes[ci * CF.CODE_FIELDS + CF.C_CODE];
  return lineFor(li.img, li.lineMap as LineMap | null, ci, off > 0 ? off - 1 : 0);
}

function sourceLine(li: LoadedImage, line: number): string | null {
  if (li.source === null || line <= 0) return null;
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = li.source.indexOf("\n", start);
    if (nl < 0) return null;
    start = nl + 1;
  }
  let end = li.source.indexOf("\n", start);
  if (end < 0) end = li.source.length;
  let s = li.source.substring(start, end);
  if (s.charAt(s.length - 1) === "\r") s = s.substr(0, s.length - 1);
  let i = 0;
  while (i < s.length && (s.charAt(i) === " " || s.charAt(i) === "\t" || s.charAt(i) === "\f")) i++;
  return s.substr(i);
}

/** sys.tracebacklimit if the program set it, else -1 (no limit). */
function tracebackLimit(vm: Vm): number {
  const sys = dictGetStr(vm, vm.modules, qw(Q.sys));
  if (sys === LY.NULL || kindOf(vm, sys) !== K.MODULE) return -1;
  const v = dictGetStr(vm, vm.H[(sys >> 2) + LY.M_DICT], qw(Q.tracebacklimit));
  if (v === LY.NULL || !(v & 1)) return -1;
  return v >> 1 < 0 ? 0 : v >> 1;
}

/** The traceback lines of exc (without the final "Type: message" line). */
function tbText(vm: Vm, exc: number): string {
  const H = vm.H;
  let s = "";
  // with sys.tracebacklimit, only the first entries are shown (MicroPython's rule); 0 or less: none
  let left = tracebackLimit(vm);
  for (let tb = H[(exc >> 2) + LY.E_TB]; tb; tb = H[(tb >> 2) + LY.TB_NEXT]) {
    if (left === 0) break;
    left--;
    const co = H[(tb >> 2) + LY.TB_CODE] >> 2;
    const li = vm.images[H[co + LY.CODE_IMG] >> 1];
    const ci = H[co + LY.CODE_IDX] >> 1;
    const line = lineOf(vm, li, ci, H[(tb >> 2) + LY.TB_IP] >> 1);
    const name = jstr(vm, H[(li.names >> 2) + LY.TUP_ITEMS + li.img.codes[ci * CF.CODE_FIELDS + CF.C_NAME]]);
    const file = jstr(vm, H[(li.names >> 2) + LY.TUP_ITEMS + li.img.filename]);
    s += '  File "' + file + '", line ' + (line || "?") + ", in " + name + "\n";
    const src = sourceLine(li, line);
    if (src) s += "    " + src + "\n";
  }
  return s;
}

/** "Type: message" for an exception. */
export function excLine(vm: Vm, exc: number): string {
  const t = typeOf(vm, exc);
  const name = classPath(vm, t);
  let msg: string;
  try {
    msg = strJs(vm, exc);
  } catch (e) {
    if (e !== PY_EXC) throw e;
    vm.excValue = LY.NULL;
    msg = "<exception str() failed>";
  }
  return msg ? name + ": " + msg : name;
}

/** The full CPython-style report of an uncaught exception, chained exceptions first. */
export function formatException(vm: Vm, exc: number): string {
  const H = vm.H;
  const seen: number[] = [];
  const part = function (e: number): string {
    seen.push(e);
    let s = "";
    const cause = H[(e >> 2) + LY.E_CAUSE];
    const ctx = H[(e >> 2) + LY.E_CONTEXT];
    if (cause !== LY.NONE && seen.indexOf(cause) < 0) {
      s += part(cause) + "\nThe above exception was the direct cause of the following exception:\n\n";
    } else if (ctx !== LY.NONE && !((H[(e >> 2) + LY.E_FLAGS] >> 1) & 1) && seen.indexOf(ctx) < 0) {
      s += part(ctx) + "\nDuring handling of the above exception, another exception occurred:\n\n";
    }
    const tb = tbText(vm, e);
    if (tb) s += "Traceback (most recent call last):\n" + tb;
    return s + excLine(vm, e) + "\n";
  };
  return part(exc);
}

/**
 * The exit status for an uncaught exception: SystemExit's code (None: 0, an int: itself, anything else printed,
 * 1); every other exception is 1 (the caller prints formatException).
 */
export function exitCode(vm: Vm, exc: number): { code: number; message: string | null } {
  if (!isSubtype(vm, typeOf(vm, exc), imm(T.SYSTEM_EXIT))) return { code: 1, message: formatException(vm, exc) };
  const c = excArg0(vm, exc);
  if (c === LY.NONE) return { code: 0, message: null };
  if (isIntLike(vm, c)) return { code: intToDouble(vm, c) | 0, message: null };
  return { code: 1, message: strJs(vm, c) + "\n" };
}

export { typeName, kindOf, SEQ_LEN, FLAGS_UNUSED };
const FLAGS_UNUSED = LY.F_FLAGS;
