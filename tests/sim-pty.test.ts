// End to end: `espy sim` started as the CLI, its pseudo-terminal opened with serialport (flasher/transport.ts, the
// same code that opens a board), Espruino's prompt seen, JS and a compiled Python program run, output read, the pin
// trace written to --trace. With ESPRUINO set (the path of Espruino's Linux build), the same conversation runs on
// real Espruino behind a socat pty and on `espy sim --board linux`, and both must answer alike.
// Needs dist/ (npm test builds it) and socat. Waits are for patterns, never for time.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { openTransport } from "../flasher/transport";
import type { Transport } from "../flasher/transport";
import { compileToImage } from "../flasher/host";
// @ts-expect-error: plain ESM script without types
import { storageWrite, runJs, DEVICE_DIR } from "../scripts/bench-device.mjs";
import { runtimeFiles } from "../boards/sim/index";
import { PROFILES } from "../boards/profiles";

const root = path.resolve(__dirname, "..");
const cli = path.join(root, "dist", "cli.js");
const haveSocat = spawnSync("socat", ["-V"], { stdio: "ignore" }).status === 0;
const WAIT_MS = 15000;

/** A serial line with a buffer we can wait on. */
class Line {
  buf = "";
  private waiters: (() => void)[] = [];
  constructor(readonly t: Transport) {
    t.onData((d) => {
      this.buf += Buffer.from(d).toString("latin1");
      for (const w of this.waiters.slice()) w();
    });
  }
  send(s: string): Promise<void> {
    return this.t.write(Buffer.from(s, "latin1"));
  }
  /** Resolves with everything up to and including the first match, which is taken off the buffer. */
  until(re: RegExp, ms = WAIT_MS): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = re.exec(this.buf);
        if (!m) return false;
        const end = m.index + m[0].length;
        const got = this.buf.slice(0, end);
        this.buf = this.buf.slice(end);
        done();
        resolve(got);
        return true;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error("no " + re + " on the line; got " + JSON.stringify(this.buf)));
      }, ms);
      const done = () => {
        clearTimeout(timer);
        this.waiters.splice(this.waiters.indexOf(check), 1);
      };
      this.waiters.push(check);
      check();
    });
  }
}

/** Start a process and resolve with the first line it prints on stdout. */
function firstLine(p: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    p.stderr!.on("data", (d) => (err += d));
    p.stdout!.on("data", (d) => {
      out += d;
      const nl = out.indexOf("\n");
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    p.on("exit", (code) => reject(new Error("exited (" + code + ") before printing a line: " + err)));
  });
}

function stop(p: ChildProcess | null): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    p.once("exit", () => resolve());
    p.kill("SIGTERM");
  });
}

/** `espy sim` in dir: resolves with the process and its device path. */
async function startSim(dir: string, board: string, extra: string[] = []): Promise<{ proc: ChildProcess; dev: string }> {
  const proc = spawn(process.execPath, [cli, "sim", "--board", board, "--link", path.join(dir, "tty"), "--storage", path.join(dir, "flash.bin")].concat(extra), {
    cwd: dir, stdio: ["pipe", "pipe", "pipe"],
  });
  const first = await firstLine(proc);
  const m = /^espy sim: (\S+) on (\S+)$/.exec(first);
  if (!m) throw new Error("unexpected first line: " + first);
  expect(m[1]).toBe(board);
  return { proc, dev: m[2] };
}

/** The JS console conversation both real Espruino and the simulator must hold alike (each answer, normalised). */
async function conversation(line: Line): Promise<string[]> {
  // resync: whatever came before (a banner) is dropped once a marker comes back
  const marker = async () => {
    await line.send('\x10print("<<"+"M>>")\n');
    const got = await line.until(/<<M>>\r\n>/);
    return got.slice(0, got.length - "<<M>>\r\n>".length);
  };
  await line.send("\n");
  await marker();
  const answers: string[] = [];
  // each answer is the output up to `end` (so when the next prompt comes does not matter); a marker then resyncs
  const step = async (send: string, end: RegExp, norm: (s: string) => string = (s) => s) => {
    await line.send(send);
    answers.push(norm(await line.until(end)));
    await marker();
  };
  const PROMPT = /\r\n>/;
  const board = (s: string) => s.replace(/\bLINUX_\w+/g, "LINUX"); // a Linux build from a copied board file
  await step("\x10print(1+2, process.env.BOARD)\n", PROMPT, board);
  await step("1+1\n", /=2\r\n>/);
  await step('\x10print(JSON.stringify({a:[1,"x",null],b:true}))\n', PROMPT);
  await step('\x10require("Storage").write("e2e.txt","hi there");print(require("Storage").read("e2e.txt"), JSON.stringify(require("Storage").list(/e2e/)))\n', PROMPT);
  await step("\x05", /\r\n/, (s) => board(s.replace(/Espruino \d+v\d+(\.\d+)?/, "Espruino VERSION")));
  await step('\x10try { null.x } catch (e) { print("caught", e instanceof Error) }\n', PROMPT);
  await step('\x10throw new Error("boom")\n', /Uncaught [^\r]*\r\n/);
  await step("\x10undefinedThing\n", /Uncaught [^\r]*\r\n/);
  await step("\x10var o={};o.f()\n", /Uncaught [^\r]*\r\n/);
  // Espruino's packets (what the flasher sends files with): FILE_SEND, then DATA, each answered with ACK
  const packet = (type: number, data: string) => "\x10\x01" + String.fromCharCode((type | data.length) >> 8, data.length & 255) + data;
  await step(packet(0x6000, JSON.stringify({ fn: "pk.bin", s: 5 })), /\x06/);
  await step(packet(0x8000, "\x00\x01\x02\xff\x10"), /\x06/);
  await step('\x10var u=new Uint8Array(require("Storage").readArrayBuffer("pk.bin")),r=[];for(var i=0;i<u.length;i++)r.push(u[i]);print(JSON.stringify(r))\n', PROMPT);
  return answers;
}

describe.skipIf(!haveSocat)("espy sim on a pseudo-terminal", () => {
  let dir = "";
  let sim: { proc: ChildProcess; dev: string } | null = null;
  let line: Line | null = null;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "espy-sim-pty-"));
    sim = await startSim(dir, "puck", ["--virtual-clock", "--trace", path.join(dir, "trace.txt")]);
    line = new Line(await openTransport(sim.dev));
  });
  afterAll(async () => {
    if (line) await line.t.close();
    await stop(sim && sim.proc);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("shows Espruino's prompt and runs JS typed at it", async () => {
    await line!.send("\n");
    await line!.until(/>$/);
    await line!.send("\x10print(6*7, process.env.BOARD, typeof espy)\n");
    expect(await line!.until(/\r\n>/)).toBe("42 PUCKJS object\r\n>");
  });

  it("runs a compiled Python program sent as an image, with its output and traceback", async () => {
    const src = "from machine import Pin\nimport time\nled = Pin('LED1', Pin.OUT)\nfor i in range(4):\n    led.toggle()\n    time.sleep(0.25)\nprint('hello', 1 + 2)\nraise ValueError('boom')\n";
    const b64 = Buffer.from(compileToImage(src, "main.py", "exec", 0)).toString("base64");
    await line!.send('\x10espy.runImage("' + b64 + '",function(c){print("<<EXIT"+c+">>")})\n');
    const out = await line!.until(/<<EXIT\d+>>/);
    expect(out).toContain("hello 3\r\n");
    expect(out).toContain('Traceback (most recent call last):\r\n  File "main.py", line 8, in <module>\r\nValueError: boom\r\n');
    expect(out).toMatch(/<<EXIT1>>$/);
    const trace = fs.readFileSync(path.join(dir, "trace.txt"), "utf8").split("\n").filter((l) => /LED1 \(D5\) [01]$/.test(l));
    const times = trace.map((l) => parseFloat(l));
    expect(trace.map((l) => l.slice(-1))).toEqual(["1", "0", "1", "0"]);
    expect(times.slice(1).map((t, i) => Math.round((t - times[i]) * 1000))).toEqual([250, 250, 250]);
  });

  it("answers the JS console conversation", async () => {
    const a = await conversation(line!);
    expect(a[0]).toBe("3 PUCKJS\r\n>");
    expect(a[1]).toBe("1+1\r\n=2\r\n>");
    expect(a[2]).toBe('{"a":[1,"x",null],"b":true}\r\n>');
    expect(a[3]).toBe('hi there ["e2e.txt"]\r\n>');
    expect(a[4]).toBe("Espruino VERSION PUCKJS\r\n");
    expect(a[5]).toBe("caught true\r\n>");
    expect(a[6]).toBe("Uncaught Error: boom\r\n");
    expect(a[7]).toBe('Uncaught ReferenceError: "undefinedThing" is not defined\r\n');
    expect(a[8]).toBe('Uncaught Error: Function "f" not found!\r\n');
    expect(a[9]).toBe("\x06");
    expect(a[10]).toBe("\x06");
    expect(a[11]).toBe("[0,1,2,255,16]\r\n>");
  });
});

/**
 * The runtime evaluated from Storage, then a compiled program sent as an image: its output and exit status. Slow on
 * Espruino's Linux build (evaluating espy.js from its emulated flash takes seconds), hence the long waits.
 */
async function pythonConversation(line: Line): Promise<string> {
  const src = "def f(n):\n    return [i * i for i in range(n)]\nprint('hello', f(4), 2 ** 40)\nraise ValueError('boom')\n";
  const b64 = Buffer.from(compileToImage(src, "main.py", "exec", 0)).toString("base64");
  await line.send('\x10eval(require("Storage").read("espy.js"));print("<<"+"LOADED>>")\n');
  await line.until(/<<LOADED>>\r\n/, 120000);
  // the linux profile's config (blocks: 0, Espruino's blocks grow on demand): the same on both
  await line.send('\x10espy.cfg=' + JSON.stringify(LINUX_CFG) + ';print("<<"+"CFG>>")\n');
  await line.until(/<<CFG>>\r\n/);
  await line.send('\x10espy.runImage("' + b64 + '",function(c){print("<<EXIT"+c+">>")})\n');
  const out = await line.until(/<<EXIT-?\d+>>/, 120000);
  return out.indexOf("hello") >= 0 ? out.slice(out.indexOf("hello")) : out;
}

const LINUX_CFG = { heap: 32768, frame: 4096, margin: 500, con: "USB", btn: "", blocks: 0 };
const EXE = process.env.ESPRUINO;
describe("espy sim agrees with Espruino's Linux build", () => {
  if (!EXE || !haveSocat) {
    it.skip("skipped: set ESPRUINO to the path of Espruino's Linux build (bin/espruino) to compare the simulator with it" + (haveSocat ? "" : " (and install socat)"), () => {});
    return;
  }
  it("the same conversation gets the same answers; Python too when the runtime fits its Storage", { timeout: 300000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "espy-real-"));
    // the runtime goes into the Linux build's Storage (./espruino.flash) first, when it fits
    const free = parseInt(/FREE (\d+)/.exec((await runJs(EXE, dir, 'print("FREE",require("Storage").getFree())')).out as string)![1], 10);
    // the same runtime files the simulator installs for the linux profile (boot file aside: nothing to boot)
    const rt: { [name: string]: string } = {};
    for (const [st, file] of runtimeFiles(PROFILES.linux, "linux")) if (st !== PROFILES.linux.bootFile) rt[st] = path.join(DEVICE_DIR, file);
    const rtSize = Object.keys(rt).reduce((n, k) => n + fs.statSync(rt[k]).size, 0);
    // a heap of the linux profile's size needs Espruino's blocks to grow on demand (the stock Linux build's do)
    const grows = /GROWS true/.test((await runJs(EXE, dir, 'var t=process.memory().total;var a=new Uint8Array(400000);print("GROWS",process.memory().total>t);')).out);
    const python = rtSize + 8192 < free && grows;
    if (python) await storageWrite(EXE, dir, rt);
    else console.log(`Python part skipped: ${grows ? `the runtime's files (${rtSize} bytes) do not fit this Espruino's Storage (${free} bytes free)` : "this Espruino has a fixed block count"}`);
    // the Linux build keeps Storage in ./espruino.flash: run it in its own directory
    const real = spawn("socat", ["-d", "-d", "PTY,link=" + path.join(dir, "tty-real") + ",raw,echo=0", "EXEC:" + EXE + ",pty,raw,echo=0"], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    let sim: { proc: ChildProcess; dev: string } | null = null;
    const lines: Line[] = [];
    // socat leaves its child running when it is stopped, and the Linux build then spins on its closed input
    let child = 0;
    try {
      await new Promise<void>((resolve, reject) => {
        let err = "";
        real.stderr!.on("data", (d) => {
          err += d;
          const m = /forked off child process (\d+)/.exec(err);
          if (m) child = +m[1];
          if (/starting data transfer loop/.test(err)) resolve();
        });
        real.on("exit", () => reject(new Error("socat exited: " + err)));
      });
      const realLine = new Line(await openTransport(path.join(dir, "tty-real")));
      lines.push(realLine);
      const want = await conversation(realLine);
      const wantPy = python ? await pythonConversation(realLine) : "";
      sim = await startSim(dir, "linux");
      const simLine = new Line(await openTransport(sim.dev));
      lines.push(simLine);
      const got = await conversation(simLine);
      expect(got).toEqual(want);
      if (python) {
        expect(wantPy).toMatch(/^hello \[0, 1, 4, 9\] 1099511627776\r\n[\s\S]*ValueError: boom\r\n[\s\S]*<<EXIT1>>$/);
        expect(await pythonConversation(simLine)).toBe(wantPy);
      }
    } finally {
      for (const l of lines) await l.t.close();
      await stop(sim && sim.proc);
      await stop(real);
      if (child) {
        try {
          process.kill(child, "SIGKILL");
        } catch {
          // it had ended
        }
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
