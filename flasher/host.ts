// Running Python on the host: compile with core's compiler, run on the VM over the Node HAL, find imported modules
// on sys.path (through the __pycache__ bytecode cache, flasher/cache.ts), and report errors the way CPython does
// (SyntaxError with a caret, tracebacks with source lines).
import * as fs from "node:fs";
import * as path from "node:path";
import {
  createVm, beginMain, runSlice, RUN_DONE, RUN_SUSPENDED, exitCode, compile, serialize, isCompileError,
} from "../core/index";
import type { Vm, ModuleSource, CompileError, Hal } from "../core/index";
import type { LineMap } from "../core/image";
import { hostHal } from "../boards/host/hal";
import { raiseSyntaxError } from "../core/vm/syntax";
import { cachedCompile, byteName } from "./cache";
import { installTier } from "../core/vm/tier";

export interface HostRunOptions {
  argv: string[];
  heapBytes?: number;
  frameBytes?: number;
  optimize?: number;
  /** The platform (default: the process's stdout/stderr and real time); tests pass one that captures output. */
  hal?: Hal;
  /** Collect at every allocation (finds missing GC roots). */
  gcStress?: boolean;
  /** Stop after this many slices (tests: a runaway program then ends with status 124). */
  maxSlices?: number;
  /** The line map of a stripped image (runImageHost), for tracebacks with line numbers. */
  lineMap?: LineMap | null;
  /**
   * Write imported modules' bytecode to __pycache__ (default: yes, unless PYTHONDONTWRITEBYTECODE is set, as
   * CPython; `espy run -B`). Fresh cache entries are read either way.
   */
  writeCache?: boolean;
  /** Called with the VM before the program starts (tests set budgets and hooks here). */
  setup?: (vm: Vm) => void;
}

/** Whether imports write cache entries unless told otherwise. */
export function defaultWriteCache(): boolean {
  return !process.env.PYTHONDONTWRITEBYTECODE;
}

/** Bytes of a file as a byte string (one char per byte), which is how core sees source text. */
export function readSource(file: string): string {
  return fs.readFileSync(file).toString("latin1");
}

/** Compile source to image bytes; throws CompileError. */
export function compileToImage(src: string, filename: string, mode: "exec" | "eval" | "single", optimize: number): Uint8Array {
  return serialize(compile(src, filename, mode, optimize), false);
}

/** CPython's report of a syntax error: the file and line, the source line, a caret, the message. */
export function formatSyntaxError(e: CompileError, filename: string, src: string | null): string {
  let s = '  File "' + filename + '", line ' + e.line + "\n";
  if (src !== null) {
    const lines = src.split("\n");
    const raw = (lines[e.line - 1] || "").replace(/\r$/, "");
    const stripped = raw.replace(/^[ \t\f]+/, "");
    const cut = raw.length - stripped.length;
    if (stripped.length) {
      s += "    " + stripped + "\n";
      const col = Math.max(0, Math.min(e.col - cut, stripped.length));
      s += "    " + " ".repeat(col) + "^\n";
    }
  }
  return s + e.type + ": " + e.msg + "\n";
}

/** A latin1 byte string as the UTF-8 text it encodes (for writing to the terminal). */
export function bytesToText(s: string): string {
  return Buffer.from(s, "latin1").toString("utf8");
}

/** Give a VM the host's module loader and compiler. Imported sources go through the bytecode cache. */
export function hostHooks(vm: Vm, optimize: number, writeCache: boolean = defaultWriteCache()): void {
  const dirs = new Map<string, string>(); // package name -> its directory
  vm.loader = function (_vm, name): ModuleSource | null {
    const parts = name.split(".");
    const leaf = parts[parts.length - 1];
    let roots: string[];
    if (parts.length > 1) {
      const pd = dirs.get(parts.slice(0, -1).join("."));
      if (!pd) return null;
      roots = [pd];
    } else roots = vm.opts.path;
    for (const root of roots) {
      // in each directory: a package (source, then bytecode: a tree from `espy compile DIR -o OUT` has only .mpb
      // files), a module (likewise), and last a namespace package
      const pkgDir = path.join(root, leaf);
      const pkgInit = path.join(pkgDir, "__init__.py");
      const pkgMpb = path.join(pkgDir, "__init__.mpb");
      const file = path.join(root, leaf + ".py");
      const mpb = path.join(root, leaf + ".mpb");
      let found: string | null = null;
      let isPkg = false;
      if (fs.existsSync(pkgInit)) {
        found = pkgInit;
        isPkg = true;
      } else if (fs.existsSync(pkgMpb)) {
        dirs.set(name, pkgDir);
        return { bytes: new Uint8Array(fs.readFileSync(pkgMpb)), filename: byteName(pkgMpb), isPackage: true, source: null };
      } else if (fs.existsSync(file)) found = file;
      else if (fs.existsSync(mpb)) {
        return { bytes: new Uint8Array(fs.readFileSync(mpb)), filename: byteName(mpb), isPackage: false, source: null };
      } else if (fs.existsSync(pkgDir) && fs.statSync(pkgDir).isDirectory()) {
        // a namespace package: a directory without __init__
        dirs.set(name, pkgDir);
        const dir = byteName(pkgDir);
        return { bytes: compileToImage("", dir, "exec", optimize), filename: dir, isPackage: true, source: "" };
      }
      if (!found) continue;
      if (isPkg) dirs.set(name, path.join(root, leaf));
      const filename = byteName(found);
      let r;
      try {
        r = cachedCompile(found, { optimize, filename, write: writeCache });
      } catch (e) {
        if (isCompileError(e)) raiseSyntaxError(vm, e, filename, readSource(found));
        throw e;
      }
      return { bytes: r.bytes, filename, isPackage: isPkg, source: r.source };
    }
    return null;
  };
  vm.compile = function (_vm, src, filename, mode) {
    try {
      return compileToImage(src, filename, mode as "exec", optimize);
    } catch (e) {
      if (isCompileError(e)) raiseSyntaxError(vm, e, filename, src);
      throw e;
    }
  };
  if (process.env.ESPY_DEBUG) vm.debug = (e) => console.error(e);
}

/** Run a program (source text already read) on the host; resolves to the exit status. */
export function runHost(src: string, filename: string, opts: HostRunOptions): Promise<number> {
  const optimize = opts.optimize || 0;
  let image: Uint8Array;
  try {
    image = compileToImage(src, byteName(filename), "exec", optimize);
  } catch (e) {
    if (isCompileError(e)) {
      writeErr(opts.hal || null, formatSyntaxError(e, byteName(filename), src));
      return Promise.resolve(1);
    }
    throw e;
  }
  return runImageHost(image, filename, src, opts);
}

/** Write a byte string to stderr: the test's HAL when one is given, else the process's. */
export function writeErr(hal: Hal | null, s: string): void {
  if (!hal) {
    process.stderr.write(bytesToText(s));
    return;
  }
  const b = Buffer.from(s, "latin1");
  hal.write(2, b, 0, b.length);
}

/**
 * Run image bytes on the host (source, if known, and opts.lineMap for tracebacks). `filename` is where the image came
 * from: its directory is sys.path[0], as for a .py or CPython's .pyc.
 */
export function runImageHost(image: Uint8Array, filename: string, src: string | null, opts: HostRunOptions): Promise<number> {
  const hal = opts.hal || hostHal();
  const dir = path.dirname(path.resolve(filename));
  // hot code compiled to JS functions (core/vm/tier.ts); ESPY_NO_TIER=1 runs everything in the plain loop,
  // ESPY_TIER_DUMP=1 shows the functions made on stderr, ESPY_TIER_HOT=n compiles after n entries (1: all at once)
  installTier(!process.env.ESPY_NO_TIER, process.env.ESPY_TIER_DUMP ? (src) => process.stderr.write(src + "\n") : null, Number(process.env.ESPY_TIER_HOT) || undefined);
  const vm = createVm(hal, {
    heapBytes: opts.heapBytes || 256 * 1024 * 1024,
    frameBytes: opts.frameBytes || Math.min(2 * 1024 * 1024, (opts.heapBytes || 256 * 1024 * 1024) >> 3),
    argv: opts.argv,
    path: [dir],
    platform: "linux",
  });
  hostHooks(vm, opts.optimize || 0, opts.writeCache !== undefined ? opts.writeCache : defaultWriteCache());
  if (opts.gcStress || process.env.ESPY_GC_STRESS) vm.heap.stress = true;
  vm.readLine = function () {
    return readLineSync();
  };
  if (opts.setup) opts.setup(vm);
  const ii = beginMain(vm, image, src, opts.lineMap || null);
  if (typeof ii === "string") {
    writeErr(opts.hal || null, "espy: " + byteName(filename) + ": " + ii + "\n");
    return Promise.resolve(1);
  }
  if (opts.maxSlices) vm.sliced = true;
  let slices = 0;
  return new Promise((resolve, reject) => {
    const step = () => {
      if (opts.maxSlices && ++slices > opts.maxSlices) return resolve(124);
      let r;
      try {
        r = runSlice(vm, 0);
      } catch (e) {
        // not a Python exception (those end the run below): a hook's own throw (vm.debug) or a bug in the VM; the
        // caller hears of it through the promise, not as an uncaught error in a timer
        return reject(e);
      }
      if (r === RUN_SUSPENDED) {
        const ms = vm.suspendMs;
        vm.suspendMs = 0;
        hal.schedule(step, opts.maxSlices ? 0 : ms);
        return;
      }
      if (r === RUN_DONE) return resolve(0);
      const ex = exitCode(vm, vm.lastExc);
      if (ex.message) writeErr(opts.hal || null, ex.message);
      resolve(ex.code);
    };
    step();
  });
}

/** Read one line from stdin synchronously (input() on the host); null at end of input. */
function readLineSync(): string | null {
  const buf = Buffer.alloc(1);
  const bytes: number[] = [];
  for (;;) {
    let n = 0;
    try {
      n = fs.readSync(0, buf, 0, 1, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EAGAIN") {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      if ((e as NodeJS.ErrnoException).code === "EOF") n = 0;
      else throw e;
    }
    if (n === 0) return bytes.length ? String.fromCharCode.apply(null, bytes) : null;
    if (buf[0] === 10) return String.fromCharCode.apply(null, bytes);
    bytes.push(buf[0]);
  }
}
