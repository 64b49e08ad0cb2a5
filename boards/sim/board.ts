// A simulated Espruino board: the built device runtime (dist/device/, the same files a board gets) runs in a Node
// `vm` context that provides the Espruino API the runtime uses: require("Storage") on simulated flash, E, process,
// the console devices (USB/Bluetooth/Serial1 per board, LoopbackA/B), Espruino's JS console with its prompt, echo
// and packets (console.ts), timers on a real or virtual clock (clock.ts), pins, watches, ADC/PWM, I2C, SPI and UART
// (hardware.ts), process.memory() with the profile's block budget, reset()/load()/E.reboot().
//
// Use it in-process (tests) or behind a pseudo-terminal (pty.ts, `espy sim`). docs/sim.md says what it predicts.
import * as nodeVm from "node:vm";
import * as fs from "node:fs";
import * as path from "node:path";
import { EventEmitter } from "node:events";
import { PROFILES } from "../profiles";
import type { BoardProfile } from "../profiles";
import { crc32 } from "../../core/crc32";
import { SimLoop } from "./clock";
import { SimStorage, StorageError } from "./storage";
import { SimHardware, Pin, flatBytes, TempSensor, formatTrace } from "./hardware";
import type { TraceEntry, I2CDevice } from "./hardware";
import { EspruinoConsole, errorText } from "./console";
import type { EvalResult } from "./console";
import { printArgs, toJS, bytesOf, strOf, parseLiberal } from "./format";
import type { Named } from "./format";

/** The firmware version the simulator says it is (packets exist from 2v25). */
export const SIM_FIRMWARE = "2v29";
/** Blocks a fresh Espruino uses before any code runs (measured: 68 on the Linux build). */
export const BASE_BLOCKS = 68;
/**
 * Blocks the resident runtime costs per byte of its file, measured on Espruino's Linux build (docs/device.md: the lean
 * image of 338 197 bytes took 15 819 blocks with its tables, the full one of 441 995 bytes 18 285).
 */
const BLOCKS_PER_BYTE_LEAN = 15819 / 338197;
const BLOCKS_PER_BYTE_FULL = 18285 / 441995;
/** Storage's per-file overhead: a 32-byte header and padding to 4 bytes. */
const fileCost = (n: number) => 32 + ((n + 3) & ~3);

export interface SimOptions {
  /** A board profile name (boards/profiles.ts): puck, pixl, bangle2, pico, wifi, esp32, linux. Default puck. */
  board?: string;
  /** Persist Storage in this file (the raw flash image); in memory when absent. */
  storageFile?: string | null;
  /** Virtual clock: idle waits take no wall time (clock.ts). */
  virtualClock?: boolean;
  /** Install espy's runtime and boot file in Storage at power-on when missing or different (default true). */
  runtime?: boolean;
  /** Where the built device files are (default: dist/device beside the code). */
  deviceDir?: string;
  /** JS typed at the prompt (or sent in an EVAL packet) is interrupted after this long (default 10 s). */
  evalTimeoutMs?: number;
  /** What getSerial() returns. */
  serial?: string;
  /** Attach a TMP102-style temperature sensor at 0x48 (default true). */
  tempSensor?: boolean;
  /**
   * Blocks added to the profile's budget in process.memory() (default 0): for memory the board would not spend, such
   * as the heap `espy test` adds for unittest itself.
   */
  extraBlocks?: number;
}

/** dist/device: next to the bundled CLI (dist/cli.js), or from the sources (boards/sim). */
export function findDeviceDir(): string {
  const cands = [path.join(__dirname, "device"), path.join(__dirname, "..", "..", "dist", "device"), path.join(process.cwd(), "dist", "device")];
  for (const c of cands) if (fs.existsSync(path.join(c, "espy.js"))) return c;
  throw new Error("espy sim: the device runtime is not built (dist/device/espy.js): run `npm run build`");
}

/** The files a board with this profile gets: Storage name → file in dist/device. */
export function runtimeFiles(p: BoardProfile, name: string): [string, string][] {
  const files: [string, string][] = [["espy.js", p.compiler ? "espy-full.js" : "espy.js"]];
  if (!p.compiler) files.push(["espy-cc.js", "espy-cc.js"], ["espy-big.js", "espy-big.js"], ["espy-flt.js", "espy-flt.js"]);
  files.push([p.bootFile, "boot-" + name + ".js"]);
  return files;
}

/** The config the profile's boot file passes to espy.boot() (read from the built boot file, so they agree). */
export function bootConfig(deviceDir: string, name: string): Record<string, unknown> {
  const src = fs.readFileSync(path.join(deviceDir, "boot-" + name + ".js"), "utf8");
  const m = /espy\.boot\((\{[^)]*\})\)/.exec(src);
  if (!m) throw new Error("boot-" + name + ".js: no espy.boot({...}) call");
  return new Function("return " + m[1])() as Record<string, unknown>;
}

// --- event emitters and serial devices as the sandbox sees them ---------------------------------------------------

/** Espruino's event methods (on, removeListener, emit…) for host objects in the sandbox. */
class Emitter {
  private ls: { [ev: string]: ((...a: unknown[]) => void)[] } = {};
  on(ev: string, fn: (...a: unknown[]) => void): void {
    (this.ls[ev] = this.ls[ev] || []).push(fn);
  }
  addListener(ev: string, fn: (...a: unknown[]) => void): void {
    this.on(ev, fn);
  }
  prependListener(ev: string, fn: (...a: unknown[]) => void): void {
    (this.ls[ev] = this.ls[ev] || []).unshift(fn);
  }
  removeListener(ev: string, fn: unknown): void {
    const l = this.ls[ev];
    if (!l) return;
    const i = l.indexOf(fn as (...a: unknown[]) => void);
    if (i >= 0) l.splice(i, 1);
  }
  removeAllListeners(ev?: string): void {
    if (ev === undefined) this.ls = {};
    else delete this.ls[ev];
  }
  emit(ev: string, ...args: unknown[]): boolean {
    const l = this.ls[ev];
    if (!l || !l.length) return false;
    for (const fn of l.slice()) fn.apply(this, args);
    return true;
  }
  listenerCount(ev: string): number {
    return (this.ls[ev] || []).length;
  }
}

/** USB, Bluetooth, Serial1…, LoopbackA/B: Espruino's Serial objects. */
export class SimSerial extends Emitter implements Named {
  readonly name: string;
  /** Bytes received with no 'data' listener, for available()/read(). */
  private rx = "";
  private board: SimBoard;
  baud = 9600;
  options: object | undefined = undefined;
  constructor(board: SimBoard, name: string) {
    super();
    this.board = board;
    this.name = name;
  }
  espruinoName(): string {
    return this.name;
  }
  override toString(): string {
    return this.name;
  }
  write(...args: unknown[]): void {
    const s = args.length === 1 && typeof args[0] === "string" ? (args[0] as string) : strOf(flatBytes(args));
    this.board.transmit(this, s);
  }
  print(s: unknown): void {
    this.board.transmit(this, String(s));
  }
  println(s: unknown): void {
    this.board.transmit(this, String(s) + "\r\n");
  }
  setConsole(force?: unknown): void {
    this.board.setConsole(this, !!force);
  }
  setup(baud?: number, opts?: object): void {
    if (baud) this.baud = baud;
    this.options = opts;
  }
  inject(...args: unknown[]): void {
    this.board.receive(this, strOf(flatBytes(args)));
  }
  available(): number {
    return this.rx.length;
  }
  read(n?: number): string {
    const k = n === undefined || n < 0 ? this.rx.length : n;
    const s = this.rx.substr(0, k);
    this.rx = this.rx.substr(k);
    return s;
  }
  /** Bytes for this device's 'data' listeners (or its buffer when it has none). */
  dataArrived(s: string): void {
    if (!s) return;
    if (!this.emit("data", s)) this.rx = (this.rx + s).substr(-1024);
  }
}

/** What Espruino's bus objects (I2C, SPI) share: their name and the options of their last setup(). */
class SimBus implements Named {
  protected readonly hw: SimHardware;
  readonly busName: string;
  setupOpts: object | null = null;
  constructor(hw: SimHardware, name: string) {
    this.hw = hw;
    this.busName = name;
  }
  espruinoName(): string {
    return this.busName;
  }
  setup(opts?: object): void {
    this.setupOpts = opts || {};
  }
}

/** Espruino's I2C objects (I2C1… and `new I2C()`): every bus reaches the same simulated devices. */
class SimI2C extends SimBus {
  writeTo(a: unknown, ...data: unknown[]): void {
    const o = typeof a === "object" && a !== null ? (a as { address: number; stop?: boolean }) : { address: Number(a) };
    this.hw.i2cWrite(this.busName, o.address, flatBytes(data), o.stop !== false);
  }
  readFrom(a: unknown, n: number): Uint8Array {
    const o = typeof a === "object" && a !== null ? (a as { address: number }) : { address: Number(a) };
    return Uint8Array.from(this.hw.i2cRead(this.busName, o.address, Math.max(0, n | 0)));
  }
  readReg(addr: number, reg: number, n: number): Uint8Array {
    this.writeTo({ address: addr, stop: false }, reg);
    return this.readFrom(addr, n);
  }
  writeReg?: undefined;
}

/** Espruino's SPI objects. */
class SimSPI extends SimBus {
  send(data: unknown, cs?: unknown): unknown {
    const rx = this.hw.spiTransfer(this.busName, flatBytes([data]), cs);
    if (typeof data === "string") return strOf(rx);
    if (typeof data === "number") return rx[0];
    return Uint8Array.from(rx);
  }
  write(...args: unknown[]): void {
    let cs: unknown;
    const last = args[args.length - 1];
    if (args.length > 1 && (last instanceof Pin || (typeof last === "object" && last !== null && "cs" in (last as object)))) {
      args.pop();
      cs = last instanceof Pin ? last : (last as { cs: unknown }).cs;
    }
    this.hw.spiTransfer(this.busName, flatBytes(args), cs);
  }
}

// --- the board ------------------------------------------------------------------------------------------------------

export interface RunResult {
  /** The program's exit status (0 ok, 1 uncaught exception, 130 stopped), or -1 if it could not start. */
  code: number;
  /** Console output while it ran ("\r\n" as the board sends it). */
  output: string;
  /** True when it was stopped because `seconds` ran out. */
  timedOut: boolean;
}

/**
 * A simulated board. Events: "output" (bytes the board sends on its console device, a latin1 string), "trace"
 * (a TraceEntry), "uart" (device name, bytes sent on a UART that is not the console), "exit" (the Linux build quit).
 */
export class SimBoard extends EventEmitter {
  readonly profile: BoardProfile;
  readonly name: string;
  readonly loop: SimLoop;
  readonly storage: SimStorage;
  readonly hw: SimHardware;
  readonly repl: EspruinoConsole;
  readonly deviceDir: string;
  /** Why the simulation differs from the board (the runtime does not fit it, …): said once, at construction. */
  readonly warnings: string[] = [];
  /** The temperature sensor on the I2C bus (null if not attached). */
  readonly tempSensor: TempSensor | null;
  /** Everything the board has sent on its console device. */
  output = "";
  /** Bytes of the runtime files the simulator adds to Storage beyond the board's (0 when the runtime fits). */
  readonly storageAllowance: number;
  private readonly opts: SimOptions;
  private ctx: nodeVm.Context | null = null;
  private g: Record<string, unknown> = {};
  private devices = new Map<string, SimSerial>();
  private nullDevice!: SimSerial;
  /** The physical device the host side (pseudo-terminal, tests) talks to: the profile's console. */
  readonly physical: SimSerial;
  private consoleDev: SimSerial;
  private consoleForced = false;
  private timeBase = 0;
  private todo: (() => void) | null = null;
  private outputMark = 0;
  private dead = false;
  private runtimeBytes: number;
  private readonly blockSize: number;

  constructor(opts: SimOptions = {}) {
    super();
    this.opts = opts;
    this.name = opts.board || "puck";
    const p = PROFILES[this.name];
    if (!p) throw new Error("espy sim: no board profile '" + this.name + "' (boards/profiles.ts has " + Object.keys(PROFILES).join(", ") + ")");
    this.profile = p;
    this.blockSize = p.blockBytes;
    this.deviceDir = opts.deviceDir || findDeviceDir();
    this.loop = new SimLoop(!!opts.virtualClock);
    // Storage: the board's, plus room for the runtime when the runtime does not fit it
    let rtStorage = 0;
    this.runtimeBytes = 0;
    for (const [st, file] of runtimeFiles(p, this.name)) {
      const n = fs.statSync(path.join(this.deviceDir, file)).size;
      rtStorage += fileCost(n);
      if (st === "espy.js") this.runtimeBytes = n;
    }
    this.storageAllowance = rtStorage + 4096 > p.storageBytes ? (rtStorage + 4095) & ~4095 : 0;
    if (this.storageAllowance) {
      this.warnings.push(
        `the runtime's files (${rtStorage} bytes) do not fit ${p.title}'s Storage (${p.storageBytes} bytes): the simulator adds ${this.storageAllowance} bytes of Storage for them, so your files get the board's ${p.storageBytes}`,
      );
    }
    this.storage = new SimStorage(p.storageBytes + this.storageAllowance, opts.storageFile || null);
    this.storage.onMessage = (s) => this.repl.output(s);
    if (p.blocks > 0) {
      const need = this.estimateRuntimeBlocks();
      const heapBlocks = Math.ceil(p.heapBytes / p.blockBytes) + Math.ceil(20480 / p.blockBytes);
      if (need + BASE_BLOCKS + p.marginBlocks + heapBlocks > p.blocks) {
        this.warnings.push(
          `the runtime needs about ${need} of Espruino's blocks once loaded and ${p.title} has ${p.blocks}: on the board it would not leave room for a Python heap. The simulator gives the runtime blocks of its own, so the Python heap gets the profile's ${p.heapBytes} bytes (a MemoryError here predicts one there; running out of Espruino's blocks is not predicted)`,
        );
      }
    }
    this.hw = new SimHardware(p, this.loop, () => this.getTime(), (fn) => this.loop.post(fn));
    this.hw.onTrace = (e) => this.emit("trace", e);
    if (opts.tempSensor !== false) {
      this.tempSensor = new TempSensor();
      this.hw.i2cDevices.set(0x48, this.tempSensor);
    } else this.tempSensor = null;
    this.repl = new EspruinoConsole({
      transmit: (s) => this.transmit(this.consoleDev, s),
      evaluate: (code, what) => this.evaluate(code, what),
      storage: this.storage,
      emitE: (ev, arg) => {
        const E = this.g.E as Emitter | undefined;
        return E ? E.emit(ev, arg) : false;
      },
      systemTimeout: (fn, ms) => this.loop.systemTimeout(fn, ms),
      ident: () => "Espruino " + SIM_FIRMWARE + " " + p.board,
      linux: p.board === "LINUX",
      exit: (why) => this.exitProcess(why),
      now: () => this.loop.now(),
    });
    // the serial devices this kind of board has
    const names = ["LoopbackA", "LoopbackB", "Serial1"];
    if (p.board === "LINUX" || p.console === "USB") names.push("USB");
    if (p.console === "Bluetooth" || p.board === "ESP32") names.push("Bluetooth");
    if (p.board === "PICO_R1_3" || p.board === "ESPRUINOWIFI" || p.board === "ESP32") names.push("Serial2");
    if (names.indexOf(p.console) < 0) names.push(p.console);
    for (const n of names) this.devices.set(n, new SimSerial(this, n));
    this.nullDevice = new SimSerial(this, "null");
    this.physical = this.devices.get(p.console)!;
    this.consoleDev = this.physical;
    this.loop.onRound = () => this.endOfRound();
    this.loop.onError = (e) => this.repl.reportError(e, isTimeout(e));
  }

  // --- time, memory --------------------------------------------------------------------------------------------------

  /** The sandbox's getTime(): seconds (since power-on under the virtual clock; the wall clock's time otherwise). */
  getTime(): number {
    this.loop.nudge();
    return this.timeBase + this.loop.now() / 1000;
  }

  private estimateRuntimeBlocks(): number {
    return Math.round(this.runtimeBytes * (this.profile.compiler ? BLOCKS_PER_BYTE_FULL : BLOCKS_PER_BYTE_LEAN));
  }

  /** Blocks the running VM's typed arrays take (and its object), when the runtime has one. */
  private vmBlocks(): number {
    const espy = this.g.espy as { vm?: () => unknown } | undefined;
    if (!espy || typeof espy.vm !== "function") return 0;
    let v: unknown;
    try {
      v = espy.vm();
    } catch {
      return 0;
    }
    if (!v || typeof v !== "object") return 0;
    const seen = new Set<unknown>();
    let blocks = 0;
    const visit = (o: object, depth: number) => {
      for (const k of Object.keys(o)) {
        const x = (o as Record<string, unknown>)[k];
        if (ArrayBuffer.isView(x)) {
          if (seen.has(x.buffer)) continue;
          seen.add(x.buffer);
          blocks += Math.ceil(x.buffer.byteLength / this.blockSize) + 3;
        } else if (depth < 1 && x && typeof x === "object" && !Array.isArray(x)) visit(x as object, depth + 1);
        else blocks += 2;
      }
    };
    visit(v as object, 0);
    return blocks;
  }

  /**
   * process.memory(): blocks of the profile's budget. Usage counts Espruino itself, the resident runtime (estimated
   * from its size as measured on Espruino) and the running VM; the runtime's own blocks are added to the total too, so
   * what is free is what the board would have if the runtime fitted (see docs/sim.md).
   */
  memory(): Record<string, number> {
    const p = this.profile;
    const rt = this.g.espy ? this.estimateRuntimeBlocks() : 0;
    const usage = BASE_BLOCKS + rt + this.vmBlocks();
    const total = p.blocks > 0 ? p.blocks + rt + (this.opts.extraBlocks || 0) : Math.max(4096, usage + 4000);
    return { free: total - usage, usage, total, history: 0, gc: 0, gctime: 0, blocksize: p.blockBytes };
  }

  // --- devices and the console -------------------------------------------------------------------------------------

  /** A device by name (USB, Bluetooth, Serial1, LoopbackA…), or undefined if this board has none. */
  device(name: string): SimSerial | undefined {
    return this.devices.get(name);
  }

  /** The console device's name now (what E.getConsole() says). */
  consoleName(): string {
    return this.consoleDev.name;
  }

  /** Bytes leaving a device. */
  transmit(dev: SimSerial, s: string): void {
    if (!s || this.dead) return;
    if (dev === this.physical) {
      this.output += s;
      this.emit("output", s);
    } else if (dev.name === "LoopbackA") this.receive(this.devices.get("LoopbackB")!, s);
    else if (dev.name === "LoopbackB") this.receive(this.devices.get("LoopbackA")!, s);
    else if (dev !== this.nullDevice) {
      this.hw.uartTrace(dev.name, "tx", s);
      this.emit("uart", dev.name, s);
    }
  }

  /** Bytes arriving at a device (from the host, another device, or inject()): handled in the next round. */
  receive(dev: SimSerial, s: string): void {
    if (!s || this.dead) return;
    // the Linux build exits on byte 04 before anything else sees it (../shared/docs/espruino.md §0)
    if (this.profile.board === "LINUX" && dev === this.physical && s.indexOf("\x04") >= 0) {
      this.loop.post(() => this.exitProcess("byte 04 received"));
      return;
    }
    this.loop.post(() => this.deliver(dev, s));
  }

  private deliver(dev: SimSerial, s: string): void {
    let i = 0;
    while (i < s.length && dev === this.consoleDev && !this.dead) {
      this.repl.input(s.charAt(i));
      i++;
    }
    if (i < s.length && !this.dead) {
      if (dev !== this.physical && dev.name !== "LoopbackA" && dev.name !== "LoopbackB") this.hw.uartTrace(dev.name, "rx", s.substr(i));
      dev.dataArrived(s.substr(i));
    }
  }

  /** Move the console (jsiSetConsoleDevice): "-> NEW" on the old device and "<- OLD" on the new, if echo is on. */
  setConsole(dev: SimSerial, force: boolean): void {
    this.consoleForced = force;
    if (dev === this.consoleDev) return;
    const echo = this.repl.switching();
    if (echo) this.repl.print("-> " + dev.name + "\n");
    const old = this.consoleDev;
    this.consoleDev = dev;
    if (echo) this.repl.print("<- " + old.name + "\n");
  }

  /** Bytes from the host side, as if sent down the serial line to the board (the pseudo-terminal, a test). */
  write(data: string | Uint8Array): void {
    this.receive(this.physical, typeof data === "string" ? data : strOf(data));
  }

  /** Output since the last call (or since `mark`). */
  takeOutput(): string {
    const s = this.output.substr(this.outputMark);
    this.outputMark = this.output.length;
    return s;
  }

  /** Resolves with the output from `from` (default: the current mark) up to the first match; rejects on timeout. */
  waitFor(pattern: string | RegExp, timeoutMs = 10000, from?: number): Promise<string> {
    const start = from === undefined ? this.outputMark : from;
    const test = (s: string) => (typeof pattern === "string" ? s.indexOf(pattern) >= 0 : pattern.test(s));
    return new Promise((resolve, reject) => {
      const check = () => {
        const s = this.output.substr(start);
        if (!test(s)) return false;
        cleanup();
        this.outputMark = this.output.length;
        resolve(s);
        return true;
      };
      const onOut = () => check();
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error("espy sim: timed out waiting for " + String(pattern) + "; output so far: " + JSON.stringify(this.output.substr(start))));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.removeListener("output", onOut);
      };
      this.on("output", onOut);
      check();
    });
  }

  private endOfRound(): void {
    if (this.todo) {
      const t = this.todo;
      this.todo = null;
      t();
    }
    if (!this.dead) this.repl.endOfRound();
  }

  private exitProcess(why: string): void {
    if (this.dead) return;
    this.dead = true;
    this.loop.stop();
    this.emit("exit", why);
  }

  /** Whether the board has stopped (the Linux build exited, or close()). */
  get stopped(): boolean {
    return this.dead;
  }

  // --- evaluating JS ---------------------------------------------------------------------------------------------------

  /** Evaluate JS in the sandbox as the console does (the result, or the error). */
  evaluate(code: string, what: string): EvalResult {
    if (!this.ctx) return { ok: false, error: new Error("board is off"), interrupted: false };
    try {
      const value = nodeVm.runInContext(code, this.ctx, { filename: what, timeout: this.opts.evalTimeoutMs || 10000 });
      return { ok: true, value };
    } catch (e) {
      return { ok: false, error: e, interrupted: isTimeout(e) };
    }
  }

  /** Evaluate JS in the sandbox now (tests): the value, or throws. */
  evalJs(code: string): unknown {
    const r = this.evaluate(code, "test");
    if (!r.ok) throw r.error;
    return r.value;
  }

  /** A sandbox global (espy, E, LED1…). */
  global(name: string): unknown {
    return this.g[name];
  }

  // --- power, reset, boot --------------------------------------------------------------------------------------------

  /** Install the runtime (if asked), start the JS world and run the boot code, like a board powering up. */
  async powerOn(): Promise<void> {
    if (this.opts.runtime !== false) this.installRuntime();
    this.loop.resetTime();
    this.timeBase = this.loop.virtual ? 0 : Date.now() / 1000;
    await new Promise<void>((resolve) => {
      this.loop.post(() => {
        this.softReset();
        this.runBootCode(false);
        resolve();
      });
    });
  }

  /** Write the runtime's files and boot file for this profile into Storage when they differ from the build. */
  installRuntime(): void {
    for (const [st, file] of runtimeFiles(this.profile, this.name)) {
      const want = new Uint8Array(fs.readFileSync(path.join(this.deviceDir, file)));
      const have = this.storage.read(st);
      if (have && have.length === want.length && Buffer.compare(Buffer.from(have), Buffer.from(want)) === 0) continue;
      this.storage.write(st, want);
    }
  }

  /** A fresh JS world: new globals, no timers or watches, console back on the physical device with echo on. */
  private softReset(): void {
    this.loop.clearAll();
    this.hw.reset();
    this.repl.reset();
    for (const d of this.devices.values()) {
      d.removeAllListeners();
      d.read();
    }
    this.consoleDev = this.physical;
    this.consoleForced = false;
    this.ctx = nodeVm.createContext({});
    this.g = this.ctx as Record<string, unknown>;
    this.defineGlobals();
  }

  /** Espruino's boot code: .boot0….boot3, then .bootrst or .bootcde (Bangle.js 2's boot loader adds *.boot.js). */
  private runBootCode(afterReset: boolean): void {
    const run = (name: string) => {
      const b = this.storage.read(name);
      if (!b) return;
      const r = this.evaluate(strOf(b), name);
      if (!r.ok) this.repl.reportError(r.error, r.interrupted);
    };
    if (!afterReset) {
      for (const n of [".boot0", ".boot1", ".boot2", ".boot3"]) run(n);
      if (this.profile.board === "BANGLEJS2" && !this.storage.has(".boot0")) {
        for (const n of this.storage.list().filter((f) => /\.boot\.js$/.test(f)).sort()) run(n);
      }
    }
    if (this.storage.has(".bootrst")) run(".bootrst");
    else if (!afterReset) run(".bootcde");
  }

  private banner(): void {
    this.repl.print(
      "\n" +
        " ____                 _ \n|  __|___ ___ ___ _ _|_|___ ___ \n|  __|_ -| . |  _| | | |   | . |\n|____|___|  _|_| |___|_|_|_|___|\n" +
        "         |_| espruino.com\n " + SIM_FIRMWARE + " (c) espy sim, " + this.profile.title + "\n\n",
    );
  }

  /** reset(): done at the end of the round, as Espruino does. */
  private requestReset(clearFlash: boolean): void {
    this.todo = () => {
      if (clearFlash) for (const f of [".bootcde", ".bootrst", ".varimg"]) this.storage.erase(f);
      this.softReset();
      if (this.repl.echo()) this.banner();
      this.repl.removeInputLine();
      this.runBootCode(true);
    };
  }

  /** load() / load(file) / E.reboot(). */
  private requestLoad(file: string | null, reboot: boolean): void {
    this.todo = () => {
      this.softReset();
      if (file) {
        const b = this.storage.read(file);
        if (b) {
          const r = this.evaluate(strOf(b), "load");
          if (!r.ok) this.repl.reportError(r.error, r.interrupted);
        }
      } else this.runBootCode(false);
      if (reboot) this.loop.resetTime();
    };
  }

  /** Power the board off: timers stop, Storage is closed (and stays in its file). */
  close(): void {
    if (!this.dead) {
      this.dead = true;
      this.loop.stop();
    }
    this.storage.close();
  }

  // --- the host side: hardware -------------------------------------------------------------------------------------

  /** Every pin change, bus transfer and PWM setting so far. */
  get trace(): TraceEntry[] {
    return this.hw.trace;
  }

  /** The trace as lines of text. */
  traceText(filter?: (e: TraceEntry) => boolean): string {
    return this.hw.trace.filter(filter || (() => true)).map(formatTrace).join("\n");
  }

  /** Press a button (or drive any pin high); with `ms`, release it that long after (board time). */
  press(button: string, ms?: number): void {
    this.hw.drive(button, 1);
    if (ms !== undefined) this.loop.setTimer(() => this.hw.drive(button, 0), ms, false, true);
  }

  release(button: string): void {
    this.hw.drive(button, 0);
  }

  /** Drive a pin from outside (1/0) or let it float (null). */
  setPin(pin: string, level: number | null): void {
    this.hw.drive(pin, level);
  }

  pin(pin: string): number {
    return this.hw.level(pin);
  }

  setAnalog(pin: string, v: number): void {
    this.hw.setAnalog(pin, v);
  }

  /** Put a device on the I2C bus at a 7-bit address. */
  attachI2C(addr: number, dev: I2CDevice): void {
    this.hw.i2cDevices.set(addr, dev);
  }

  /** Run a host action at this board time (seconds since power-on), in order with the board's timers. */
  at(seconds: number, fn: () => void): void {
    this.loop.at(seconds * 1000, fn);
  }

  /** Resolves when `seconds` of board time have passed (instantly in wall time under the virtual clock if idle). */
  runFor(seconds: number): Promise<void> {
    return this.loop.until(this.loop.now() + seconds * 1000);
  }

  /** Seconds since power-on (board time). */
  now(): number {
    return this.loop.now() / 1000;
  }

  // --- running programs ----------------------------------------------------------------------------------------------

  /** The config the profile's boot file passes to espy.boot(). */
  bootConfig(): Record<string, unknown> {
    return bootConfig(this.deviceDir, this.name);
  }

  /**
   * Store a compiled program (and modules: Storage name → image) and run it with espy.run, as the boot file would.
   * With `seconds`, the program is stopped (espy.stop()) when that much board time has passed.
   */
  runProgram(image: Uint8Array, opts: { file?: string; modules?: { [name: string]: Uint8Array }; seconds?: number; cfg?: Record<string, unknown> } = {}): Promise<RunResult> {
    const file = opts.file || "main.mpb";
    this.storage.write(file, image);
    for (const k of Object.keys(opts.modules || {})) this.storage.write(k, opts.modules![k]);
    const start = this.output.length;
    const cfg = Object.assign(this.bootConfig(), opts.cfg || {});
    return new Promise((resolve) => {
      let timedOut = false;
      let settled = false;
      const done = (code: number) => {
        if (settled) return;
        settled = true;
        resolve({ code, output: this.output.substr(start), timedOut });
      };
      this.loop.post(() => {
        const espy = this.g.espy as { run: (f: string, c: object, cb: (code: number) => void) => boolean; stop: () => void } | undefined;
        if (!espy) {
          this.repl.output("espy sim: the runtime is not loaded (no espy.js in Storage)\n");
          done(-1);
          return;
        }
        const ok = espy.run(file, this.toSandbox(cfg), (code: number) => done(code));
        if (!ok) done(-1);
        else if (opts.seconds !== undefined) {
          this.loop.setTimer(() => {
            if (settled) return;
            timedOut = true;
            espy.stop();
          }, opts.seconds * 1000, false, true);
        }
      });
      this.once("exit", () => done(-1));
    });
  }

  /** A plain object built in the sandbox's realm (so the runtime sees ordinary objects). */
  private toSandbox(o: Record<string, unknown>): object {
    return this.evalJs("(" + JSON.stringify(o) + ")") as object;
  }

  // --- the sandbox's globals ---------------------------------------------------------------------------------------

  private defineGlobals(): void {
    const g = this.g;
    const ctx = this.ctx!;
    const board = this;
    const hw = this.hw;
    const loop = this.loop;
    const p = this.profile;
    nodeVm.runInContext("var global = this;", ctx);
    const realm = nodeVm.runInContext("({ U8: Uint8Array, AB: ArrayBuffer })", ctx) as { U8: Uint8ArrayConstructor; AB: ArrayBufferConstructor };
    const u8 = (b: ArrayLike<number>) => {
      const a = new realm.U8(b.length);
      a.set(b as ArrayLike<number>);
      return a;
    };
    const dataBytes = (d: unknown): Uint8Array => {
      if (typeof d === "string") return bytesOf(d);
      if (Object.prototype.toString.call(d) === "[object ArrayBuffer]") return new Uint8Array(d as ArrayBuffer).slice();
      if (ArrayBuffer.isView(d)) return new Uint8Array(d.buffer, d.byteOffset, d.byteLength).slice();
      if (Array.isArray(d)) return Uint8Array.from(flatBytes(d));
      return bytesOf(String(d));
    };
    const out = (s: string) => board.repl.output(s);
    const call = (fn: unknown, args: unknown[]) => {
      if (typeof fn === "function") fn.apply(undefined, args);
      else if (typeof fn === "string") {
        const r = board.evaluate(fn, "timeout");
        if (!r.ok) throw r.error;
      }
    };

    const define = (name: string, v: unknown) => {
      g[name] = v;
    };

    // printing
    define("print", (...a: unknown[]) => out(printArgs(a) + "\n"));
    const log = (...a: unknown[]) => out(printArgs(a) + "\n");
    define("console", { log, info: log, warn: log, error: log, debug: log });
    define("echo", (on: unknown) => {
      board.repl.echoOff = !on;
    });

    // timers
    define("setTimeout", (fn: unknown, ms?: number, ...args: unknown[]) => loop.setTimer(() => call(fn, args), Number(ms) || 0, false));
    define("setInterval", (fn: unknown, ms?: number, ...args: unknown[]) => loop.setTimer(() => call(fn, args), Number(ms) || 0, true));
    const clear = (id?: unknown) => {
      if (id === undefined) loop.clearAll();
      else if (!loop.clearTimer(Number(id))) throw new Error("Unknown Timeout " + String(id));
    };
    define("clearTimeout", clear);
    define("clearInterval", clear);
    define("changeInterval", (id: unknown, ms: number) => {
      if (!loop.changeInterval(Number(id), ms)) throw new Error("Unknown Interval " + String(id));
    });
    define("getTime", () => board.getTime());
    define("setTime", (t: number) => {
      board.timeBase = Number(t) - loop.now() / 1000;
    });

    // pins
    for (const [k, pin] of hw.pinGlobals()) define(k, pin);
    define("Pin", function (v: unknown) {
      const r = hw.pinObject(v);
      if (!r) throw new Error("Invalid pin: " + String(v));
      return r;
    });
    define("digitalWrite", (pin: unknown, v: unknown) => hw.digitalWrite(pin, v));
    define("digitalRead", (pin: unknown) => hw.digitalRead(pin));
    define("digitalPulse", (pin: unknown, value: unknown, time: unknown) => {
      const times = Array.isArray(time) ? time.map(Number) : [Number(time)];
      let v = value ? 1 : 0;
      let t = 0;
      hw.digitalWrite(pin, v);
      for (const ms of times) {
        t += ms;
        v ^= 1;
        const lv = v;
        loop.setTimer(() => hw.digitalWrite(pin, lv), t, false, true);
      }
    });
    define("pinMode", (pin: unknown, mode: unknown) => hw.pinMode(pin, mode));
    define("getPinMode", (pin: unknown) => hw.getPinMode(pin));
    define("analogRead", (pin: unknown) => hw.analogRead(pin));
    define("analogWrite", (pin: unknown, duty: unknown, opts?: { freq?: number }) => hw.analogWrite(pin, duty, opts));
    define("setWatch", (fn: unknown, pin: unknown, opts: unknown) => hw.setWatch(fn, pin, opts));
    define("clearWatch", (id?: unknown) => hw.clearWatch(id));

    // devices and buses
    for (const [n, d] of this.devices) define(n, d);
    define("Serial", function () {
      return new SimSerial(board, "Serial");
    });
    define("I2C", function () {
      return new SimI2C(hw, "I2C");
    });
    define("SPI", function () {
      return new SimSPI(hw, "SPI");
    });
    const i2cCount = p.board === "PICO_R1_3" || p.board === "ESPRUINOWIFI" ? 3 : p.board === "ESP32" ? 2 : p.board === "LINUX" ? 0 : 1;
    for (let i = 1; i <= i2cCount; i++) define("I2C" + i, new SimI2C(hw, "I2C" + i));
    const spiCount = p.board === "PICO_R1_3" || p.board === "ESPRUINOWIFI" ? 3 : p.board === "ESP32" ? 2 : p.board === "LINUX" ? 0 : 1;
    for (let i = 1; i <= spiCount; i++) define("SPI" + i, new SimSPI(hw, "SPI" + i));

    // Storage
    const S = {
      read: (name: unknown, offset?: number, length?: number) => {
        const b = board.storage.read(SimStorage.fileName(name), offset || 0, length);
        return b ? strOf(b) : undefined;
      },
      readJSON: (name: unknown, noExceptions?: boolean) => {
        const b = board.storage.read(SimStorage.fileName(name));
        if (!b) return undefined;
        const v = parseLiberal(strOf(b));
        if (v === undefined && !noExceptions) throw new Error("JSON.parse: invalid JSON in " + String(name));
        return v === undefined ? undefined : board.evalJs("(" + JSON.stringify(v) + ")");
      },
      readArrayBuffer: (name: unknown) => {
        const b = board.storage.read(SimStorage.fileName(name));
        if (!b) return undefined;
        const ab = new realm.AB(b.length);
        new realm.U8(ab).set(b);
        return ab;
      },
      write: (name: unknown, data: unknown, offset?: number, size?: number) => board.storage.write(SimStorage.fileName(name), dataBytes(data), offset, size),
      writeJSON: (name: unknown, v: unknown) => board.storage.write(SimStorage.fileName(name), bytesOf(JSON.stringify(v))),
      erase: (name: unknown) => board.storage.erase(SimStorage.fileName(name)),
      eraseAll: () => board.storage.eraseAll(),
      list: (re?: unknown) => {
        let l = board.storage.list();
        if (re instanceof RegExp || Object.prototype.toString.call(re) === "[object RegExp]") l = l.filter((n) => (re as RegExp).test(n));
        else if (typeof re === "string") l = l.filter((n) => n.indexOf(re) >= 0);
        return board.evalJs(JSON.stringify(l));
      },
      compact: () => board.storage.compact(),
      getFree: () => board.storage.getFree(),
      getStats: () => board.storage.stats(),
      open: () => {
        throw new Error("StorageFile (Storage.open) is not simulated by espy sim");
      },
    };
    const modules: { [k: string]: unknown } = {};
    define("require", (name: unknown) => {
      const n = String(name);
      if (n === "Storage") return S;
      if (n in modules) {
        const m = modules[n];
        if (typeof m === "function") {
          const exp = {};
          (m as (e: object) => void)(exp);
          modules[n] = exp;
        }
        return modules[n];
      }
      throw new Error('Module "' + n + '" not found');
    });
    define("Modules", {
      addCached: (n: string, m: unknown) => {
        modules[n] = typeof m === "string" ? board.evalJs("(function(exports){var module={exports:exports};" + m + "\n;return module.exports;})") : m;
      },
      removeCached: (n: string) => delete modules[n],
      removeAllCached: () => Object.keys(modules).forEach((k) => delete modules[k]),
      getCached: () => Object.keys(modules),
    });

    // E
    const E = new Emitter() as Emitter & Record<string, unknown>;
    E.toUint8Array = (...a: unknown[]) => u8(flatBytes(a));
    E.toString = (...a: unknown[]) => strOf(flatBytes(a));
    E.toArrayBuffer = (s: unknown) => {
      const b = dataBytes(s);
      const ab = new realm.AB(b.length);
      new realm.U8(ab).set(b);
      return ab;
    };
    E.toJS = (v: unknown) => toJS(v);
    E.CRC32 = (d: unknown) => {
      const b = dataBytes(d);
      return crc32(b, 0, b.length, 0);
    };
    E.getConsole = () => board.consoleDev.name;
    E.setConsole = (d: unknown, opts?: { force?: boolean }) => {
      const dev = d === null ? board.nullDevice : typeof d === "string" ? board.devices.get(d) : d instanceof SimSerial ? d : undefined;
      if (!dev) throw new Error("Unknown device " + String(d));
      board.setConsole(dev, !!(opts && opts.force));
    };
    E.reboot = () => {
      if (p.board === "LINUX") out("Not implemented\n");
      else board.requestLoad(null, true);
    };
    E.setBootCode = (code: unknown, always?: unknown) => {
      const c = code === undefined ? "" : String(code);
      board.storage.erase(".bootcde");
      board.storage.erase(".bootrst");
      if (c) board.storage.write(always ? ".bootrst" : ".bootcde", bytesOf(c));
    };
    E.getSizeOf = (v: unknown) => {
      if (v === null || typeof v !== "object") return 1;
      if (ArrayBuffer.isView(v)) return Math.ceil(v.byteLength / board.blockSize) + 3;
      return 1 + Object.keys(v as object).length * 2;
    };
    E.getTemperature = () => (board.tempSensor ? board.tempSensor.temperature : 25);
    E.hwRand = () => (Math.random() * 0x100000000) | 0;
    E.getErrorFlags = () => board.evalJs("[]");
    E.kickWatchdog = () => {};
    E.enableWatchdog = () => {};
    E.setFlags = () => {};
    E.getFlags = () => ({});
    E.setTimeZone = () => {};
    E.getAnalogVRef = () => 3.3;
    E.clip = (x: number, a: number, b: number) => (x < a ? a : x > b ? b : x);
    E.sum = (arr: ArrayLike<number>) => Array.from(arr).reduce((s: number, x) => s + Number(x), 0);
    E.variance = (arr: ArrayLike<number>, mean: number) => Array.from(arr).reduce((s: number, x) => s + (Number(x) - mean) * (Number(x) - mean), 0) / arr.length;
    define("E", E);

    // process
    const proc = new Emitter() as Emitter & Record<string, unknown>;
    proc.version = SIM_FIRMWARE;
    proc.env = {
      VERSION: SIM_FIRMWARE, GIT_COMMIT: "espysim", BOARD: p.board, RAM: p.blocks * p.blockBytes, FLASH: p.storageBytes,
      STORAGE: p.storageBytes + board.storageAllowance, SERIAL: board.serial(), CONSOLE: p.console, MODULES: "", EXPTR: 0,
    };
    proc.memory = () => board.memory();
    define("process", proc);

    // the rest of Espruino's globals the runtime and tools use
    define("getSerial", () => board.serial());
    define("reset", (clearFlash?: unknown) => board.requestReset(!!clearFlash));
    define("load", (file?: unknown) => board.requestLoad(file === undefined ? null : String(file), false));
    define("save", () => out("save() is not simulated: use Storage\n"));
    define("btoa", (s: unknown) => Buffer.from(bytesOf(String(s))).toString("base64"));
    define("atob", (s: unknown) => strOf(Buffer.from(String(s), "base64")));
    define("peek8", () => 0);
    if (p.board === "LINUX") define("quit", () => board.loop.post(() => board.exitProcess("quit()")));
  }

  /** What getSerial() says. */
  serial(): string {
    if (this.opts.serial) return this.opts.serial;
    const c = crc32(bytesOf(this.name), 0, this.name.length, 0).toString(16).padStart(8, "0");
    return "e5b51400-" + c + "-5e5a1000";
  }

  /** The sandbox's globals as an object (tests). */
  get sandbox(): Record<string, unknown> {
    return this.g;
  }
}

function isTimeout(e: unknown): boolean {
  return !!e && typeof e === "object" && (e as { code?: string }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT";
}

export { StorageError, errorText };
