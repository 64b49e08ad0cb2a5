// The device runtime (dist/device/*.js). Two layers:
//   - always: the built bundle evaluated in Node against a small imitation of Espruino's API (Storage, console
//     devices, timers, pins), which checks the runtime's own logic: reading the image from Storage, lazy parts,
//     console takeover and give-back, Ctrl-C, boot and safe boot, MemoryError, machine over the Espruino HAL;
//   - with ESPRUINO naming an Espruino executable (its Linux build): the same bundle on real Espruino, loaded from
//     its Storage (code kept in flash), running compiled programs from flash, the boot path, Ctrl-C, MemoryError,
//     and blocks measured with process.memory(). Without ESPRUINO these are skipped with a message saying so.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { existsSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import * as nodeVm from "node:vm";
import { compile, serialize } from "../core/index";
import { runPy } from "./helpers/run";
// @ts-expect-error: plain ESM script without types
import { runEspruino, runJs, storageWrite, freshDir, measureImage, DEVICE_DIR } from "../scripts/bench-device.mjs";

const root = resolve(__dirname, "..");

function image(src: string, filename = "main.py"): Uint8Array {
  return serialize(compile(src, filename, "exec", 0), false);
}

beforeAll(() => {
  if (!existsSync(join(DEVICE_DIR, "espy.js"))) execFileSync(process.execPath, [join(root, "scripts/build.mjs"), "--quiet"]);
});

// --- an imitation of Espruino's API, just enough for the runtime ------------------------------------------------------

interface Sim {
  g: any;
  files: { [name: string]: Uint8Array };
  out: string[];
  log: string[];
  reads: string[];
  send(d: string): void;
  run(file: string, cfg?: object): Promise<number>;
}

const CFG = { heap: 65536, frame: 8192, margin: 100, con: "USB", btn: "" };

function simulate(bundle: string, files: { [name: string]: Uint8Array }): Sim {
  const out: string[] = [];
  const log: string[] = [];
  const reads: string[] = [];
  let dataCb: ((d: string) => void) | null = null;
  const bytes = (n: string) => (files[n] ? files[n] : undefined);
  const S = {
    read(n: string, off?: number, len?: number) {
      reads.push(n);
      const b = bytes(n);
      if (!b) return undefined;
      const o = off || 0;
      return Buffer.from(b.subarray(o, len === undefined ? b.length : o + len)).toString("latin1");
    },
    readArrayBuffer(n: string) { reads.push(n); const b = bytes(n); return b ? b.buffer.slice(b.byteOffset, b.byteOffset + b.length) : undefined; },
    write(n: string, d: string | Uint8Array) { files[n] = typeof d === "string" ? new Uint8Array(Buffer.from(d, "latin1")) : new Uint8Array(d); return true; },
    erase(n: string) { delete files[n]; },
    list() { return Object.keys(files); },
  };
  const USB = {
    write(d: string | Uint8Array) { out.push(typeof d === "string" ? d : Buffer.from(d).toString("latin1")); },
    on(ev: string, cb: (d: string) => void) { log.push("on " + ev); dataCb = cb; },
    removeListener(ev: string) { log.push("off " + ev); dataCb = null; },
    setConsole() { log.push("console USB"); },
  };
  const pins: { [p: string]: number } = {};
  const g: any = {
    require: (n: string) => (n === "Storage" ? S : undefined),
    E: { getConsole: () => "USB", toUint8Array: (s: string) => new Uint8Array(Buffer.from(s, "latin1")) },
    USB,
    LoopbackA: { setConsole() { log.push("console LoopbackA"); } },
    echo(on: number) { log.push("echo " + on); },
    getTime: () => Date.now() / 1000,
    setTimeout, clearTimeout,
    process: { memory: () => ({ free: 100000, usage: 500, total: 100500, blocksize: 14 }), env: { BOARD: "SIM", VERSION: "0" } },
    D5: "D5", BTN1: "BTN1",
    pinMode(p: string, m: string) { log.push("pinMode " + p + " " + m); },
    digitalWrite(p: string, v: number) { pins[p] = v ? 1 : 0; log.push("write " + p + " " + (v ? 1 : 0)); },
    digitalRead(p: string) { return pins[p] || 0; },
    Uint8Array, Int32Array, Float64Array, ArrayBuffer, DataView, Math, String, Number, Object, Array, Error, JSON, parseInt, parseFloat, isNaN, isFinite,
  };
  g.global = g;
  g.eval = (s: string) => nodeVm.runInContext(s, ctx);
  const ctx = nodeVm.createContext(g);
  // the runtime is evaluated from Storage on a board, and reads its builtin modules' parts from the same file
  if (!files["espy.js"]) files["espy.js"] = new Uint8Array(Buffer.from(bundle, "latin1"));
  nodeVm.runInContext(bundle, ctx);
  return {
    g, files, out, log, reads,
    send(d: string) { if (dataCb) dataCb(d); },
    run(file: string, cfg?: object) {
      return new Promise((res) => {
        const ok = g.espy.run(file, Object.assign({}, CFG, cfg || {}), (c: number) => res(c));
        if (!ok) res(-1);
      });
    },
  };
}

function deviceFiles(extra: { [name: string]: Uint8Array }): { [name: string]: Uint8Array } {
  const f: { [name: string]: Uint8Array } = {};
  for (const p of ["espy-big.js", "espy-flt.js", "espy-cc.js"]) f[p] = new Uint8Array(readFileSync(join(DEVICE_DIR, p)));
  return Object.assign(f, extra);
}

const bundle = (name: string) => readFileSync(join(DEVICE_DIR, name), "latin1");
const text = (s: Sim) => s.out.join("").replace(/\r\n/g, "\n");

const PROGRAM = [
  "import sys, gc, time",
  "print('hello', sys.platform, 6 * 7)",
  "def fib(n):",
  "    return n if n < 2 else fib(n - 1) + fib(n - 2)",
  "print([fib(i) for i in range(10)])",
  "time.sleep_ms(20)",
  "print(gc.mem_free() > 0, {'a': 1}, (1, 'x'))",
  "try:",
  "    {}['k']",
  "except KeyError as e:",
  "    print('caught', repr(e))",
].join("\n");

describe("device runtime on a simulated Espruino API", () => {
  it("runs a compiled program from Storage like the host does, and gives the console back", async () => {
    const s = simulate(bundle("espy.js"), deviceFiles({ "main.mpb": image(PROGRAM) }));
    const code = await s.run("main.mpb");
    const host = await runPy(PROGRAM, { filename: "main.py" });
    expect(code).toBe(0);
    expect(text(s)).toBe((host.out + host.err).replace("linux", "espruino"));
    expect(s.log).toContain("console LoopbackA");
    expect(s.log[s.log.length - 2]).toBe("console USB");
    expect(s.reads).toContain("main.mpb");
    expect(s.reads).not.toContain("espy-big.js"); // no bigint used: its part stays in Storage
  });

  it("loads bigint and float formatting parts on first use (lean image)", async () => {
    const src = "print(2 ** 100, 1 / 4, 10 ** 20 // 3)";
    const s = simulate(bundle("espy.js"), deviceFiles({ "m.mpb": image(src) }));
    expect(await s.run("m.mpb")).toBe(0);
    expect(text(s)).toBe("1267650600228229401496703205376 0.25 33333333333333333333\n");
    expect(s.reads).toContain("espy-big.js");
    expect(s.reads).toContain("espy-flt.js");
  });

  it("a missing part is a clear error, not a crash", async () => {
    const s = simulate(bundle("espy.js"), { "m.mpb": image("print(2 ** 100)") });
    expect(await s.run("m.mpb")).toBe(1);
    expect(text(s)).toContain("espy-big.js");
  });

  it("compiles on the board: the lean image loads espy-cc.js for exec(); the full image has it built in", async () => {
    const src = "exec('print(1 + 1)')\nprint(eval('3 * 4'))\ntry:\n    exec('x = (')\nexcept SyntaxError as e:\n    print('syntax', type(e).__name__)";
    for (const b of ["espy.js", "espy-full.js"]) {
      const s = simulate(bundle(b), deviceFiles({ "m.mpb": image(src) }));
      const code = await s.run("m.mpb");
      expect(text(s)).toBe("2\n12\nsyntax SyntaxError\n");
      expect(code).toBe(0);
      expect(s.reads.includes("espy-cc.js")).toBe(b === "espy.js");
    }
  });

  it("imports user modules from Storage (name.mpb, package/__init__.mpb)", async () => {
    const s = simulate(bundle("espy.js"), deviceFiles({
      "m.mpb": image("import util\nfrom pkg import sub\nprint(util.twice(21), sub.NAME)"),
      "util.mpb": image("def twice(x):\n    return 2 * x", "util.py"),
      "pkg/__init__.mpb": image("", "pkg/__init__.py"),
      "pkg/sub.mpb": image("NAME = 'sub'", "pkg/sub.py"),
    }));
    expect(await s.run("m.mpb")).toBe(0);
    expect(text(s)).toBe("42 sub\n");
  });

  it("Ctrl-C raises KeyboardInterrupt in a running or sleeping program", async () => {
    for (const src of ["while True:\n    pass", "import time\ntime.sleep(60)"]) {
      const s = simulate(bundle("espy.js"), deviceFiles({ "m.mpb": image(src) }));
      const done = s.run("m.mpb");
      setTimeout(() => s.send("\x03"), 50);
      const code = await done;
      expect(text(s)).toMatch(/Traceback \(most recent call last\):\n  File "main.py", line \d+, in <module>\nKeyboardInterrupt\n$/);
      expect(code).toBe(1);
      expect(s.log).toContain("console USB");
    }
  });

  it("three Ctrl-Cs stop a program that catches KeyboardInterrupt", async () => {
    const s = simulate(bundle("espy.js"), deviceFiles({ "m.mpb": image("while True:\n    try:\n        while True:\n            pass\n    except KeyboardInterrupt:\n        pass") }));
    const done = s.run("m.mpb");
    for (const t of [30, 60, 90]) setTimeout(() => s.send("\x03"), t);
    expect(await done).toBe(130);
    expect(text(s)).toContain("espy: stopped");
    // each line ends in one \r\n on the wire (say() writes "\n", the console turns it into "\r\n")
    expect(s.out.join("")).toMatch(/\r\nespy: stopped\r\n/);
    expect(s.out.join("")).not.toContain("\r\r");
  });

  it("a program that fills the heap gets MemoryError", async () => {
    const src = "a = []\ntry:\n    while True:\n        a.append('x' * 100)\nexcept MemoryError:\n    n = len(a)\n    a = None\n    print('MemoryError after', n > 10)";
    const s = simulate(bundle("espy.js"), deviceFiles({ "m.mpb": image(src) }));
    expect(await s.run("m.mpb", { heap: 16384, frame: 2048 })).toBe(0);
    expect(text(s)).toBe("MemoryError after True\n");
  });

  it("boot runs main.mpb, unless Ctrl-C arrives in the first second or the safe-boot button is held", async () => {
    const main = image("print('main ran')");
    let s = simulate(bundle("espy.js"), deviceFiles({ "main.mpb": main }));
    s.g.espy.boot(CFG);
    await new Promise((r) => setTimeout(r, 1300));
    expect(text(s)).toBe("main ran\n");

    s = simulate(bundle("espy.js"), deviceFiles({ "main.mpb": main }));
    s.g.espy.boot(CFG);
    setTimeout(() => s.send("\x03"), 200);
    await new Promise((r) => setTimeout(r, 1300));
    expect(text(s)).toContain("main.mpb skipped");
    expect(text(s)).not.toContain("main ran");

    s = simulate(bundle("espy.js"), deviceFiles({ "main.mpb": main }));
    s.g.digitalWrite("BTN1", 1);
    s.g.espy.boot(Object.assign({}, CFG, { btn: "BTN1" }));
    await new Promise((r) => setTimeout(r, 1300));
    expect(text(s)).toContain("BTN1 held, main.mpb skipped");
    expect(s.out.join("")).not.toContain("\r\r");
  });

  it("input() reads a line received on the console", async () => {
    const s = simulate(bundle("espy.js"), deviceFiles({ "m.mpb": image("import time\ntime.sleep_ms(100)\nprint('got', repr(input()))\ntry:\n    input()\nexcept EOFError:\n    print('eof')") }));
    const done = s.run("m.mpb");
    setTimeout(() => s.send("hi there\r"), 20);
    expect(await done).toBe(0);
    expect(text(s)).toBe("got 'hi there'\neof\n");
  });

  it("machine.Pin drives Espruino's pins", async () => {
    const s = simulate(bundle("espy.js"), deviceFiles({ "m.mpb": image("from machine import Pin\np = Pin('D5', Pin.OUT)\np.on()\nprint(p.value())\np.toggle()\nprint(p(), p)") }));
    expect(await s.run("m.mpb")).toBe(0);
    expect(text(s)).toBe("1\n0 Pin(D5)\n");
    expect(s.log).toContain("pinMode D5 output");
    expect(s.log).toContain("write D5 1");
  });

  it("the boot files start the resident runtime with their profile", () => {
    const boot = readFileSync(join(DEVICE_DIR, "boot-puck.js"), "utf8");
    expect(boot).toContain('eval(require("Storage").read("espy.js"))');
    expect(boot).toMatch(/espy\.boot\(\{heap:\d+,frame:\d+,margin:\d+,con:"Bluetooth",btn:"BTN1",blocks:2630\}\)/);
  });
});

// --- on Espruino itself ------------------------------------------------------------------------------------------------

const EXE = process.env.ESPRUINO;
const TIMEOUT = 240000;

if (!EXE) {
  describe("device runtime on Espruino", () => {
    it.skip("skipped: set ESPRUINO to an Espruino executable (its Linux build, bin/espruino) to run these", () => {});
  });
} else {
  describe("device runtime on Espruino (" + EXE + ")", () => {
    let dir = "";
    let free = 0;
    let noRoom = "";
    const CFG_E: { [k: string]: unknown } = Object.assign({}, CFG);
    const has: { [k: string]: boolean } = {};
    const hostPath = (n: string) => join(dir, n);
    /** Skip (saying why) when this Espruino's Storage cannot hold the runtime. */
    const need = (ctx: { skip: () => void }) => {
      if (!noRoom) return;
      console.log("skipped: " + noRoom);
      ctx.skip();
    };

    beforeAll(async () => {
      dir = freshDir();
      const size = readFileSync(join(DEVICE_DIR, "espy.js")).length;
      const r0 = await runJs(EXE, dir, 'print("FREE",require("Storage").getFree())');
      free = parseInt(/FREE (\d+)/.exec(r0.out)![1], 10);
      if (size + 4096 > free) {
        noRoom = `the lean runtime (${size} bytes) does not fit this Espruino's Storage (${free} bytes free); build Espruino with a larger 'flash' in its board file`;
        return;
      }
      // a build whose blocks grow on demand (Espruino's stock Linux build) has no free-block limit for the heap
      const g = await runJs(EXE, dir, 'var t=process.memory().total;var a=new Uint8Array(400000);print("GROWS",process.memory().total>t);');
      if (/GROWS true/.test(g.out)) CFG_E.blocks = 0;
      await storageWrite(EXE, dir, { "espy.js": join(DEVICE_DIR, "espy.js") });
      const r = await runJs(EXE, dir, 'print("FREE",require("Storage").getFree())');
      free = parseInt(/FREE (\d+)/.exec(r.out)![1], 10);
      // the parts go in when this Espruino's Storage has room for them beside the runtime and a few programs
      for (const p of ["espy-flt.js", "espy-big.js"]) {
        const n = readFileSync(join(DEVICE_DIR, p)).length;
        if (n + 8192 < free) {
          await storageWrite(EXE, dir, { [p]: join(DEVICE_DIR, p) });
          free -= n + 64;
          has[p] = true;
        }
      }
    }, TIMEOUT);

    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /** Store a program as `name` and run it with espy.run from file mode; output and exit code. */
    async function runProgram(src: string, opts: { name?: string; cfg?: object; input?: [number, string][] } = {}) {
      const name = opts.name || "main.mpb";
      writeFileSync(hostPath(name), image(src));
      await storageWrite(EXE, dir, { [name]: hostPath(name) });
      const cfg = JSON.stringify(Object.assign({}, CFG_E, opts.cfg || {}));
      const r = await runEspruino(EXE, dir, [writeRunner(name, cfg)], { timeoutMs: TIMEOUT - 10000, input: opts.input });
      const m = /\nEXIT (-?\d+)\s*/.exec(r.out);
      return { out: r.out.replace(/\x1b\[J/g, "").replace(/\nEXIT -?\d+[\s\S]*$/, "").replace(/^\n/, ""), code: m ? parseInt(m[1], 10) : null, raw: r.out };
    }

    function writeRunner(name: string, cfg: string): string {
      const f = hostPath("_run.js");
      writeFileSync(f, `eval(require("Storage").read("espy.js"));if(!espy.run(${JSON.stringify(name)},${cfg},function(c){USB.write("\\nEXIT "+c+"\\r\\n");}))print("\\nEXIT -1");`);
      return f;
    }

    it("runs a compiled program from flash and prints what the host prints", async (ctx) => {
      need(ctx);
      const src = PROGRAM.replace("print([fib(i) for i in range(10)])", "print([fib(i) for i in range(6)])");
      const r = await runProgram(src);
      const host = await runPy(src, { filename: "main.py" });
      expect(r.out).toBe((host.out + host.err).replace("linux", "espruino"));
      expect(r.code).toBe(0);
      expect(r.raw).not.toMatch(/OUT OF MEMORY|Uncaught|Execution Interrupted/);
    }, TIMEOUT);

    it("reports an uncaught exception with file and line, and exit status 1", async (ctx) => {
      need(ctx);
      const r = await runProgram("def f():\n    raise ValueError('boom')\nf()");
      expect(r.out).toBe('Traceback (most recent call last):\n  File "main.py", line 3, in <module>\n  File "main.py", line 2, in f\nValueError: boom\n');
      expect(r.code).toBe(1);
    }, TIMEOUT);

    it("floats and bigints through their parts (when Storage has room for them)", async (ctx) => {
      need(ctx);
      if (!has["espy-flt.js"] || !has["espy-big.js"]) {
        console.log(`skipped: this Espruino's Storage (${free} bytes left) has no room for the float and bigint parts`);
        return;
      }
      const r = await runProgram("print(1 / 4, 2 ** 70)");
      expect(r.out).toBe("0.25 1180591620717411303424\n");
    }, TIMEOUT);

    it("Ctrl-C raises KeyboardInterrupt", async (ctx) => {
      need(ctx);
      const r = await runProgram("import time\nprint('sleeping')\ntime.sleep(100)", { input: [[20000, "\x03"]] });
      expect(r.out).toMatch(/^sleeping\nTraceback \(most recent call last\):\n  File "main.py", line 3, in <module>\nKeyboardInterrupt\n$/);
      expect(r.code).toBe(1);
    }, TIMEOUT);

    it("a program that fills the Python heap gets MemoryError, and Espruino never runs out", async (ctx) => {
      need(ctx);
      // n exists before the heap fills: a new global could need a bigger dict, itself a MemoryError then
      const r = await runProgram("a = []\nn = 0\ntry:\n    while True:\n        a.append(bytearray(200))\nexcept MemoryError:\n    n = len(a)\n    a = None\n    print('MemoryError', n > 5)", { cfg: { heap: 8192, frame: 1024 } });
      expect(r.out).toBe("MemoryError True\n");
      expect(r.raw).not.toMatch(/OUT OF MEMORY|LOW_MEMORY/);
    }, TIMEOUT);

    it("boots: .bootcde loads the runtime from Storage and runs main.mpb; Ctrl-C in the first second skips it", async (ctx) => {
      need(ctx);
      writeFileSync(hostPath("main.mpb"), image("print('booted main')"));
      writeFileSync(hostPath(".bootcde"), readFileSync(join(DEVICE_DIR, "boot-linux.js")));
      await storageWrite(EXE, dir, { "main.mpb": hostPath("main.mpb"), ".bootcde": hostPath(".bootcde") });
      // -e runs the boot code first (jsiInit(true)), then the event loop until no timers are left
      let r = await runEspruino(EXE, dir, ["-e", "0"], { timeoutMs: TIMEOUT - 10000 });
      expect(r.out).toContain("booted main");
      // the runtime takes about as long to load as the slowest Espruino needs; send Ctrl-C once it listens
      r = await runEspruino(EXE, dir, ["-e", "0"], { timeoutMs: TIMEOUT - 10000, input: [[300, "\x03"], [1000, "\x03"], [3000, "\x03"], [6000, "\x03"], [9000, "\x03"]] });
      expect(r.out).not.toContain("booted main");
      await runJs(EXE, dir, 'require("Storage").erase(".bootcde");');
    }, TIMEOUT);

    it("measures blocks with process.memory(): runtime resident after load, its tables, the VM, and all given back", async (ctx) => {
      need(ctx);
      const m = await measureImage(EXE, "espy.js");
      console.log(`Espruino ${m.total} blocks of ${m.blocksize} bytes: after load +${m.loaded - m.base}, with tables +${m.init - m.base}, VM fixed ${m.vm - m.init - m.heapBlocks} + 16 KB heap ${m.heapBlocks}, after the VM +${m.after - m.base}`);
      expect(m.loaded).toBeGreaterThan(m.base);
      expect(m.init).toBeGreaterThanOrEqual(m.loaded);
      expect(m.heapBlocks).toBeGreaterThan(0);
      // dropping the VM gives its heap and tables back (a few blocks of bookkeeping may stay)
      expect(m.after - m.init).toBeLessThan(100);
    }, TIMEOUT);
  });
}
