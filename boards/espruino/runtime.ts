// The device runtime: runs a compiled program (.mpb) from Storage on the board. The image is read in place from
// flash (Storage.readArrayBuffer, no copy into RAM), the Python heap is sized from the board's free blocks, the VM
// runs in event-loop slices from setTimeout (time.sleep leaves the board idle), and Espruino's console is taken over
// while Python runs so Ctrl-C becomes KeyboardInterrupt. entry.ts (lean) and full.ts (with the compiler) wrap this
// into the global `espy` object that the boot file calls.
import {
  createVm, initRuntime, beginMain, runSlice, RUN_SUSPENDED, RUN_ERROR, exitCode,
} from "../../core/index";
import type { Vm, ModuleSource } from "../../core/index";
import { raiseSyntaxError } from "../../core/vm/syntax";
import { raise } from "../../core/vm/exc";
import { SLICE } from "../../core/vm/interp";
import { T } from "../../core/vm/types";
import { G } from "./api";
import { conDevice, conTake, conGive, conWrite } from "./console";
import { espruinoHal, halRelease, freeBlocks } from "./hal";
import { mainFile, dirOf, imageBytes } from "./program";

/** What the boot file passes for its board (boards/profiles.ts, written out by scripts/build.mjs). */
export interface RunConfig {
  /** Python heap in bytes (frame region included). */
  heap: number;
  /** Bytes of the frame region. */
  frame: number;
  /** Blocks left to Espruino whatever the heap wants. */
  margin: number;
  /** The board's usual console device ("USB", "Bluetooth", "Serial1"). */
  con: string;
  /** Safe-boot button name ("" for none). */
  btn: string;
  /** The board's block count; 0 for Espruino's Linux build, whose blocks grow on demand (no free-block limit). */
  blocks?: number;
  /**
   * Copy the image into RAM instead of reading it in place. Only for Espruino's Linux build, whose Storage is a file
   * read on every access (speed measurements); on a board the image stays in flash.
   */
  ram?: boolean;
}

/** A compiler: source (byte string) to image bytes, or a compile error's fields. */
export type CompileFn = (src: string, filename: string, mode: string) => Uint8Array | { type: string; msg: string; line: number; col: number };

let compiler: (() => CompileFn | null) | null = null;

/** Where the runtime finds its compiler (full.ts: built in; entry.ts: the espy-cc.js part, loaded on first use). */
export function setCompiler(get: () => CompileFn | null): void {
  compiler = get;
}

/** The board's compiler (loading its part on a lean image), or null when it has none (the REPL compiles with it). */
export function compilerFn(): CompileFn | null {
  return compiler ? compiler() : null;
}

/** The running program's VM, null when none runs. */
let vm: Vm | null = null;
let dev: any = null;
let timer: any = null;
let done: ((code: number) => void) | null = null;
/** Times of the last Ctrl-Cs: three within two seconds stop a program that keeps catching KeyboardInterrupt. */
let ctrlC: number[] = [];
/** Console input received while the program runs (for input()), at most INPUT_MAX bytes. */
let input = "";
const INPUT_MAX = 256;

/** input(): a line already received on the console, without its end; null (EOFError) when none is complete. */
function readLine(): string | null {
  const m = /\r\n?|\n/.exec(input);
  if (!m) return null;
  const line = input.substr(0, m.index);
  input = input.substr(m.index + m[0].length);
  return line;
}

/** A message of the runtime's own on the console: "\n" goes out as "\r\n", as the program's output does. */
function say(s: string): void {
  const b = G.E.toUint8Array(s);
  conWrite(dev || conDevice("USB"), b, 0, b.length);
}

/** The running program's generation directory ("g3/", program.ts): its imports are looked for there first. */
let progDir = "";

function loader(_vm: Vm, name: string): ModuleSource | null {
  return (progDir ? findModule(progDir, name) : null) || findModule("", name);
}

/** A user module from Storage: NAME.mpb, or NAME/__init__.mpb for a package ("a.b" is a/b.mpb), under `pre`. */
function findModule(pre: string, name: string): ModuleSource | null {
  const S = G.require("Storage");
  const base = pre + name.replace(/\./g, "/");
  let f = base + ".mpb";
  let ab = S.readArrayBuffer(f);
  let pkg = false;
  if (!ab) {
    f = base + "/__init__.mpb";
    ab = S.readArrayBuffer(f);
    pkg = true;
  }
  return ab ? { bytes: new Uint8Array(ab), filename: f, isPackage: pkg, source: null } : null;
}

function compileHook(v: Vm, src: string, filename: string, mode: string): Uint8Array {
  let c: CompileFn | null;
  try {
    c = compiler ? compiler() : null;
  } catch (e) {
    // espy-cc.js is there but the board has no room for it (parts.ts)
    throw raise(v, T.MEMORY_ERROR, (e as Error).message);
  }
  if (!c) throw new Error("no compiler on this board: install espy-cc.js or compile on the host");
  const r = c(src, filename, mode);
  if ((r as any).msg === undefined) return r as Uint8Array;
  return raiseSyntaxError(v, r as any, filename, src);
}

/** The last bytes received, so ESC ESC DLE split across two data events is still seen. */
let tail = "";

function onData(d: string): void {
  const at = vm ? (tail + d).indexOf("\x1b\x1b\x10") : -1;
  if (at >= 0) {
    // a tool taking the console (docs/device-protocol.md): stop the program, give the console back at once, with
    // what followed those bytes (the tool's first command, often in the same chunk) for Espruino's prompt
    const rest = (tail + d).substr(at + 3);
    const con = dev;
    tail = "";
    finish(130);
    if (rest && con && con.inject) con.inject(rest);
    return;
  }
  tail = d.substr(-2);
  if (d.indexOf("\x03") < 0 || !vm) {
    input = (input + d).substr(-INPUT_MAX);
    return;
  }
  const now = G.getTime();
  ctrlC.push(now);
  if (ctrlC.length > 3) ctrlC.shift();
  if (ctrlC.length === 3 && now - ctrlC[0] < 2) {
    say("\nespy: stopped\n");
    finish(130);
    return;
  }
  if (timer) {
    // between slices (sleeping, or about to go on): raise KeyboardInterrupt where the program stands, now
    G.clearTimeout(timer);
    raise(vm, T.KEYBOARD_INTERRUPT, null);
    vm.pendingThrow = true;
    timer = G.setTimeout(step, 0);
  } else vm.interrupt = true;
}

/** Instructions per slice now: timedSlice keeps a slice to about 50 ms of the board's time. */
let budget = SLICE;

/**
 * One slice of a program or a REPL entry, as long as Espruino takes for about 50 ms of it: console input (Ctrl-C)
 * and the rest of the event loop only run between slices, and a bytecode costs from microseconds (the simulator) to
 * tens of milliseconds (code read from flash on Espruino's Linux build). Returns runSlice's result.
 */
export function timedSlice(v: Vm): number {
  const t = G.getTime();
  const r = runSlice(v, budget);
  const dt = G.getTime() - t;
  if (dt > 0.1) budget = Math.max(8, Math.floor((budget * 0.05) / dt));
  else if (dt < 0.025 && budget < SLICE) budget = Math.min(SLICE, budget * 2);
  return r;
}

function step(): void {
  timer = null;
  const v = vm;
  if (!v) return;
  let r: number;
  try {
    r = timedSlice(v);
  } catch (e) {
    // an internal error of the runtime: report it rather than leave the console taken over
    say("espy: internal error: " + e + "\n");
    finish(1);
    return;
  }
  if (r === RUN_SUSPENDED) {
    const ms = v.suspendMs;
    v.suspendMs = 0;
    timer = G.setTimeout(step, ms > 0 ? ms : 0);
    return;
  }
  let code = 0;
  if (r === RUN_ERROR) {
    const ex = exitCode(v, v.lastExc);
    if (ex.message) v.hal.write(2, G.E.toUint8Array(ex.message), 0, ex.message.length);
    code = ex.code;
  }
  finish(code);
}

/** End the running program: give the console back, drop the VM (its heap returns to Espruino). */
function finish(code: number): void {
  if (timer) G.clearTimeout(timer);
  timer = null;
  vm = null;
  halRelease();
  conGive();
  dev = null;
  const d = done;
  done = null;
  if (d) d(code);
}

/** The Python heap for this board: what the profile asks for, shrunk to what Espruino can give beyond its margin. */
export function heapFor(cfg: RunConfig): number {
  if (cfg.blocks === 0) return cfg.heap & ~7;
  const m = G.process.memory();
  const spare = (m.free - cfg.margin) * m.blocksize;
  let h = cfg.heap;
  // typed arrays take one block per blocksize bytes; the VM's own tables (temp roots, mark stack) take ~20 KB
  if (h > spare - 20480) h = spare - 20480;
  return h > 4096 ? h & ~7 : 0;
}

/** A VM over the Espruino HAL with this heap, ready for addImage (also what the bench measures). */
export function newVm(heap: number, frame: number, file?: string, device?: any): Vm {
  const v = createVm(espruinoHal(device || dev || conDevice("USB")), { heapBytes: heap, frameBytes: frame, argv: [file || ""], path: [""], platform: "espruino" });
  v.sliced = true;
  v.loader = loader;
  v.compile = compileHook;
  v.readLine = readLine;
  return v;
}

/**
 * Run `file` (a Storage file holding a compiled image). Returns false if it could not start; otherwise the program
 * runs in slices and `cb(exitCode)` is called when it ends.
 */
export function run(file: string, cfg: RunConfig, cb?: (code: number) => void): boolean {
  if (vm) finish(1);
  dev = conDevice(cfg.con);
  const ab = G.require("Storage").readArrayBuffer(file);
  if (!ab) {
    say("espy: no " + file + "\n");
    return false;
  }
  progDir = dirOf(file);
  return start(new Uint8Array(ab), file, cfg, cb);
}

/** Run an image sent as base64 (espy.runImage: `espy run FILE.py --port`, exec); imports come from the program's generation. */
export function runImage(b64: string, cb?: (code: number) => void): boolean {
  const cfg: RunConfig = G.espy.cfg || { heap: 32768, frame: 4096, margin: 500, con: "USB", btn: "" };
  if (vm) finish(1);
  dev = conDevice(cfg.con);
  progDir = dirOf(mainFile() || "");
  return start(imageBytes(b64), "<stdin>", cfg, cb);
}

function start(image: Uint8Array, file: string, cfg: RunConfig, cb?: (code: number) => void): boolean {
  initRuntime();
  const heap = heapFor(cfg);
  if (!heap) {
    say("espy: not enough memory for a Python heap (" + freeBlocks() + " blocks free)\n");
    return false;
  }
  const v = newVm(heap, cfg.frame < heap >> 2 ? cfg.frame : heap >> 2, file);
  let bytes = image;
  if (cfg.ram) {
    const copy = new Uint8Array(bytes.length);
    copy.set(bytes);
    bytes = copy;
  }
  const ii = beginMain(v, bytes, null, null);
  if (typeof ii === "string") {
    say("espy: " + file + ": " + ii + "\n");
    return false;
  }
  vm = v;
  done = cb || null;
  ctrlC = [];
  input = "";
  tail = "";
  conTake(dev, onData);
  timer = G.setTimeout(step, 0);
  return true;
}

/** Stop the running program (if any) and give the console back. */
export function stop(): void {
  if (vm) finish(130);
}

/** The VM of the running program (tests and the bench look at its heap), or null. */
export function current(): Vm | null {
  return vm;
}

/**
 * Start-up from the boot file: unless the safe-boot button is held or Ctrl-C arrives within the first second, run
 * main.mpb. So a program that never ends, or catches every KeyboardInterrupt, can always be skipped.
 */
export function boot(cfg: RunConfig): void {
  G.espy.cfg = cfg;
  const main = mainFile();
  if (!main) return;
  dev = conDevice(cfg.con);
  if (cfg.btn && G[cfg.btn] !== undefined && G.digitalRead(G[cfg.btn])) {
    say("espy: " + cfg.btn + " held, main.mpb skipped\n");
    return;
  }
  let skip = false;
  conTake(dev, function (d: string) {
    if (d.indexOf("\x03") >= 0 || d.indexOf("\x1b\x1b\x10") >= 0) skip = true;
  });
  G.setTimeout(function () {
    conGive();
    if (skip) say("espy: Ctrl-C, main.mpb skipped\n");
    else run(main as string, cfg);
  }, 1000);
}
