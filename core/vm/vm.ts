// The VM's state: the heap and its roots, the frame stack region, loaded images, the exception being raised, and
// the run state (depth, suspension, interrupts). Behaviour lives in the other files of core/vm and core/obj, as
// functions taking the Vm first; this file only wires the state together.
import type { Hal } from "../hal";
import type { Image } from "../code";
import { CF } from "../code";
import { Heap, SMALL_HEAP } from "./heap";
import { LY } from "./layout";

/** An image the VM has loaded: the verified bytes plus the heap objects made from its tables. */
export interface LoadedImage {
  img: Image;
  /** TUPLE of the interned names (index = name-table index). */
  names: number;
  /** ARRAY of constants, filled on first use (NULL until then). */
  consts: number;
  /** ARRAY of CODE objects, made on first use. */
  codeObjs: number;
  /** Words a frame of each code object needs. */
  frameSize: Int32Array;
  /** Host-side line map when the image's line tables were stripped (for tracebacks), else null. */
  lineMap: unknown;
  /** Source text (byte string) for tracebacks, when the host has it. */
  source: string | null;
}

export interface VmOptions {
  /** Total heap in bytes (frame region included). */
  heapBytes: number;
  /** Bytes of the frame stack region (bounds recursion depth together with the recursion limit). */
  frameBytes: number;
  /** sys.argv */
  argv: string[];
  /** sys.path entries (directories searched by import). */
  path: string[];
  /** sys.platform */
  platform: string;
}

/** Temp roots on the host; a board's VM has half (nesting is bounded, so is their depth; 2 KB fewer for Espruino). */
const TEMP_ROOTS = 1024;

export class Vm {
  hal: Hal;
  opts: VmOptions;
  heap: Heap;
  H: Int32Array;
  U8: Uint8Array;

  // Frame stack region: word indices [fbase, flimit); frames are pushed at ftop.
  fbase: number;
  flimit: number;
  ftop: number;
  /** The running frame (word index), 0 when nothing runs. */
  frame = 0;
  depth = 0;
  recursionLimit = 1000;
  /** Nested (native → Python) runs in progress. */
  nesting = 0;

  /** The heap as a DataView on the host (floats in place), null on a board: see Heap.dv. */
  dv: DataView | null = null;
  /** Temp roots: native code parks objects here across allocations. */
  tr: Int32Array;
  tn = 0;

  images: LoadedImage[] = [];

  // Well-known objects (tagged words). All are GC roots.
  interned = LY.NULL; // SET of heap-interned strings
  modules = LY.NULL; // sys.modules
  mainGlobals = LY.NULL;
  /** The exception being handled (sys.exc_info()[1]), or None. */
  curExc = LY.NONE;
  /** The exception being raised while a JS throw unwinds to the dispatch loop. */
  excValue = LY.NULL;
  /** Other roots registered by modules (sys.path list, the REPL's `_`, asyncio's queue…), index by slot. */
  extraRoots: Int32Array;

  /** micropython.schedule() queued a callback: the loop runs the queue at its next check. */
  scheduled = false;
  /** Set by Ctrl-C; the loop raises KeyboardInterrupt at its next check. */
  interrupt = false;
  /** A native asked to suspend the run (sleep, input): how long, in ms, or -1 to wait for resume(). */
  suspendMs = 0;
  suspended = false;
  /** Instruction budget left in this slice (decremented on calls and backward jumps). */
  budget = 20000;
  /** Whether the loop returns to the event loop when a slice's budget is spent (on a board), or runs on. */
  sliced = false;
  /** The loop is calling a native directly (not from native code): it may resume a generator in place. */
  direct = false;
  /** Set by a generator step run from native code when the generator returned rather than yielded. */
  genDone = false;
  /** The exception being raised is re-raised as is: don't add the current frame to its traceback again. */
  reraise = false;
  /** execute() starts by raising vm.excValue in the running frame (gen.throw). */
  pendingThrow = false;
  /** Called with internal JS errors before they become SystemError (the host prints them under ESPY_DEBUG). */
  debug: ((e: unknown) => void) | null = null;

  /** The StopIteration that ended the last iterNext() of a Python iterator (NULL for builtin ones). */
  lastStop = LY.NULL;
  /** The uncaught exception that ended the program (runSlice returned RUN_ERROR). */
  lastExc = LY.NULL;
  /** Keyword arguments for __init_subclass__ while a class statement makes its class. */
  pendingClassKw = LY.NULL;
  gcEnabled = true;
  /** Bumped whenever a class attribute changes or a class is made: invalidates typeCache. */
  typeVersion = 1;
  /** lookupType's cache: (type, name, result, version) per entry; made on first use. */
  typeCache: Int32Array | null = null;
  /** log2 of typeCache's entries (4 words each). */
  cacheBits: number;

  // Platform hooks (set by whoever creates the VM):
  /** Find a user module's bytecode (host files, board Storage), or null. */
  loader: ((vm: Vm, name: string) => import("./import").ModuleSource | null) | null = null;
  /** Compile source (a byte string) for exec/eval/compile; throws a Python SyntaxError. Absent on a lean board image. */
  compile: ((vm: Vm, src: string, filename: string, mode: string) => Uint8Array) | null = null;
  /** Read a line for input(), without its newline; null at end of input. */
  readLine: ((vm: Vm) => string | null) | null = null;
  /** The file descriptor a file-like object writes to directly (sys.stdout: 1), or -1. */
  fdOf: ((vm: Vm, w: number) => number) | null = null;
  /** A dict snapshot of a function frame's locals (locals() in a function). */
  localsOf: ((vm: Vm, f: number) => number) | null = null;

  constructor(hal: Hal, opts: VmOptions) {
    this.hal = hal;
    this.opts = opts;
    const words = (opts.heapBytes >> 2) & ~1;
    const reserved = 16;
    const fwords = opts.frameBytes >> 2;
    this.fbase = reserved;
    this.flimit = reserved + fwords;
    this.ftop = this.fbase;
    this.tr = new Int32Array(words > SMALL_HEAP ? TEMP_ROOTS : TEMP_ROOTS >> 1);
    this.extraRoots = new Int32Array(32);
    // the type-lookup cache (obj/type.ts), made on first use: 2048 entries on the host, 128 on a board
    this.cacheBits = words > SMALL_HEAP ? 11 : 7;
    const self = this;
    this.heap = new Heap(
      words,
      this.flimit,
      function (h) {
        self.markRoots(h);
      },
      function (n) {
        self.outOfMemory(n);
      },
    );
    this.H = this.heap.H;
    this.U8 = this.heap.U8;
    this.dv = this.heap.dv;
  }

  /** Replaced by vm/exc.ts at start-up: raises MemoryError. */
  outOfMemory(words: number): void {
    throw new Error("out of memory: " + words + " words");
  }

  alloc(kind: number, size: number): number {
    return this.heap.alloc(kind, size);
  }

  // --- temp roots ----------------------------------------------------------------------------------------------------

  /** Keep w alive until the matching tpop. Returns w. */
  tpush(w: number): number {
    if (this.tn >= this.tr.length) throw new Error("temp root overflow");
    this.tr[this.tn++] = w;
    return w;
  }
  tpop(n: number): void {
    this.tn -= n;
  }

  private markRoots(h: Heap): void {
    const H = this.H;
    h.mark(this.interned);
    h.mark(this.modules);
    h.mark(this.mainGlobals);
    h.mark(this.curExc);
    h.mark(this.excValue);
    h.mark(this.lastStop);
    h.mark(this.lastExc);
    for (let i = 0; i < this.extraRoots.length; i++) h.mark(this.extraRoots[i]);
    for (let i = 0; i < this.tn; i++) h.mark(this.tr[i]);
    for (let i = 0; i < this.images.length; i++) {
      const li = this.images[i];
      h.mark(li.names);
      h.mark(li.consts);
      h.mark(li.codeObjs);
    }
    // the frame chain: region frames are scanned here; heap (generator) frames are marked as objects too
    for (let f = this.frame; f; f = H[f + LY.F_BACK] >> 2) {
      if (f >= h.start) h.mark(f << 2);
      h.markFrame(f);
    }
  }

  // --- images ----------------------------------------------------------------------------------------------------------

  /** Words of a frame for code object ci of image ii. */
  static frameWords(img: Image, ci: number): number {
    const c = img.codes;
    const b = ci * CF.CODE_FIELDS;
    return LY.F_SLOTS + c[b + CF.C_NLOCALS] + c[b + CF.C_NCELLS] + c[b + CF.C_NFREE] + c[b + CF.C_STACKSIZE] + 2 * c[b + CF.C_NBLOCKS];
  }
}
