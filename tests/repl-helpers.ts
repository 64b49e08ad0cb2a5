// Test helpers for the REPL tests: the built device runtime in this process on a small imitation of Espruino (its
// console device, a JS prompt that evaluates `\x10`-lines, Storage, timers), reachable as a Link like a board's
// serial port; and a driver that sends bytes and waits for what the board prints.
import * as nodeVm from "node:vm";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect } from "vitest";
import { spawn } from "node:child_process";
import type { Link } from "../flasher/repl";
import { serialLink } from "../flasher/repl";

export const DEVICE_DIR = join(resolve(__dirname, ".."), "dist/device");

export interface FakeOptions {
  /** dist/device file evaluated as the resident runtime: espy-full.js (default) or espy.js (lean). */
  image?: string;
  board?: string;
  files?: { [name: string]: Uint8Array };
  /** The REPL's config (espy.cfg). */
  cfg?: object;
  /** What process.memory() says is free, in blocks (default 100000). */
  freeBlocks?: number;
}

/** An imitation of an Espruino board running the espy runtime, with its console as a Link. */
export class FakeBoard implements Link {
  g: any;
  files: { [name: string]: Uint8Array };
  /** Everything the board wrote to its console, as a byte string. */
  all = "";
  private listeners: ((d: Buffer) => void)[] = [];
  private closers: (() => void)[] = [];
  private dataCb: ((d: string) => void) | null = null;
  private taken = false;
  private jsLine = "";
  private timers = new Set<any>();
  private dead = false;

  constructor(opts: FakeOptions = {}) {
    const files = (this.files = Object.assign({}, opts.files || {}));
    const self = this;
    const S = {
      read(n: string) { return files[n] ? Buffer.from(files[n]).toString("latin1") : undefined; },
      readArrayBuffer(n: string) { const b = files[n]; return b ? b.buffer.slice(b.byteOffset, b.byteOffset + b.length) : undefined; },
      write(n: string, d: string | Uint8Array) { files[n] = typeof d === "string" ? new Uint8Array(Buffer.from(d, "latin1")) : new Uint8Array(d); return true; },
      erase(n: string) { delete files[n]; },
      list() { return Object.keys(files); },
      getFree() { return 1 << 20; },
    };
    const USB = {
      write(d: string | Uint8Array) { self.emit(typeof d === "string" ? d : Buffer.from(d).toString("latin1")); },
      on(_ev: string, cb: (d: string) => void) { self.dataCb = cb; },
      removeListener() { self.dataCb = null; },
      setConsole() { self.taken = false; },
      inject(d: string) { self.write(d); },
    };
    const later = (fn: () => void, ms: number) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        if (!this.dead) fn();
      }, ms);
      this.timers.add(t);
      return t;
    };
    const g: any = {
      require: (n: string) => (n === "Storage" ? S : undefined),
      E: { getConsole: () => (self.taken ? "LoopbackA" : "USB"), toUint8Array: (s: string) => new Uint8Array(Buffer.from(s, "latin1")) },
      USB,
      LoopbackA: { setConsole() { self.taken = true; } },
      echo() {},
      print(...a: unknown[]) { if (!self.taken) self.emit(a.map(String).join(" ") + "\r\n"); },
      getTime: () => Date.now() / 1000,
      setTimeout: later,
      clearTimeout: (t: any) => { clearTimeout(t); this.timers.delete(t); },
      atob: (s: string) => Buffer.from(s, "base64").toString("latin1"),
      process: { memory: () => ({ free: opts.freeBlocks || 100000, usage: 500, total: (opts.freeBlocks || 100000) + 500, blocksize: 14 }), env: { BOARD: opts.board || "ESPY_TEST", VERSION: "2v29" }, version: "2v29" },
      Uint8Array, Int32Array, Float64Array, ArrayBuffer, DataView, Math, String, Number, Object, Array, Error, JSON, RegExp, parseInt, parseFloat, isNaN, isFinite,
    };
    g.global = g;
    const ctx = nodeVm.createContext(g);
    g.eval = (s: string) => nodeVm.runInContext(s, ctx);
    this.g = g;
    files["espy.js"] = new Uint8Array(readFileSync(join(DEVICE_DIR, opts.image || "espy-full.js")));
    for (const p of ["espy-big.js", "espy-flt.js"]) if (!files[p]) files[p] = new Uint8Array(readFileSync(join(DEVICE_DIR, p)));
    g.eval(S.read("espy.js") as string);
    g.espy.cfg = Object.assign({ heap: 262144, frame: 16384, margin: 100, con: "USB", btn: "", blocks: 0 }, opts.cfg || {});
  }

  private emit(s: string): void {
    this.all += s;
    const b = Buffer.from(s, "latin1");
    // delivered later, as a serial port would
    setImmediate(() => {
      for (const l of this.listeners) l(b);
    });
  }

  /** Bytes typed at the board (delivered as one Espruino 'data' event, later). */
  write(d: string): void {
    if (this.dead) return;
    setImmediate(() => {
      if (this.dead) return;
      if (this.taken) {
        if (this.dataCb) this.dataCb(d);
        return;
      }
      // Espruino's JS prompt: lines evaluated (a leading DLE turns echo off; ESC bytes are ignored)
      for (const ch of d) {
        if (ch === "\x1b") continue;
        if (ch === "\n" || ch === "\r") {
          const line = this.jsLine.replace(/^\x10/, "");
          this.jsLine = "";
          if (!line.trim()) continue;
          try {
            this.g.eval(line);
          } catch (e) {
            this.emit("Uncaught " + e + "\r\n");
          }
          if (this.taken) return;
          this.emit(">");
        } else this.jsLine += ch;
      }
    });
  }

  onData(cb: (d: Buffer) => void): void {
    this.listeners.push(cb);
  }
  onClose(cb: () => void): void {
    this.closers.push(cb);
  }
  async close(): Promise<void> {
    this.dead = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const c of this.closers) c();
  }
}

/** Send bytes to a link and wait for what it prints. */
export class Driver {
  buf = "";
  /** How long until() and ask() wait by default (ms). */
  timeout = 5000;
  private wake: (() => void) | null = null;
  constructor(public link: Link) {
    link.onData((d) => {
      this.buf += d.toString("latin1");
      const w = this.wake;
      this.wake = null;
      if (w) w();
    });
  }
  send(s: string): void {
    this.link.write(s);
  }
  /** Everything up to and including the first `s` (consumed); throws after ms. */
  async until(s: string | RegExp, ms = this.timeout): Promise<string> {
    const end = Date.now() + ms;
    for (;;) {
      const m = typeof s === "string" ? (this.buf.indexOf(s) >= 0 ? { index: this.buf.indexOf(s), len: s.length } : null) : (() => { const r = s.exec(this.buf); return r ? { index: r.index, len: r[0].length } : null; })();
      if (m) {
        const r = this.buf.slice(0, m.index + m.len);
        this.buf = this.buf.slice(m.index + m.len);
        return r;
      }
      const left = end - Date.now();
      if (left <= 0) throw new Error("timed out waiting for " + JSON.stringify(String(s)) + "; got " + JSON.stringify(this.buf.slice(-500)));
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.wake = () => {
          clearTimeout(t);
          r();
        };
      });
    }
  }
  /** Send, then wait. */
  async ask(s: string, until: string | RegExp, ms = this.timeout): Promise<string> {
    this.send(s);
    return this.until(until, ms);
  }
}

/** MicroPython's host side of raw-paste mode (mpremote's raw_paste_write), on the test driver. */
export async function rawPasteWrite(d: Driver, data: string, eot: string): Promise<{ window: number; acks: number; maxInFlight: number }> {
  d.send("\x05A\x01");
  expect(await d.until(/R[\x00\x01]/)).toMatch(/R\x01$/);
  const ws = await d.until(/[\s\S]{2}/);
  const window = ws.charCodeAt(0) | (ws.charCodeAt(1) << 8);
  let remain = window;
  let acks = 0;
  let sent = 0;
  let maxInFlight = 0;
  let i = 0;
  while (i < data.length) {
    while (remain === 0 || d.buf.length) {
      const c = (await d.until(/[\s\S]/)).slice(-1);
      if (c === "\x01") {
        remain += window;
        acks++;
      } else if (c === "\x04") {
        d.send(eot);
        return { window, acks, maxInFlight };
      } else throw new Error("unexpected " + JSON.stringify(c));
    }
    const b = data.slice(i, i + remain);
    d.send(b);
    remain -= b.length;
    i += b.length;
    sent += b.length;
    maxInFlight = Math.max(maxInFlight, sent - acks * window);
  }
  d.send(eot);
  await d.until("\x04");
  return { window, acks, maxInFlight };
}

/** Raw mode output of one command: stdout and stderr between the 04 bytes, then the `>` prompt. */
export async function rawResult(d: Driver): Promise<{ out: string; err: string }> {
  const out = (await d.until("\x04", 2 * d.timeout)).slice(0, -1);
  const err = (await d.until("\x04")).slice(0, -1);
  await d.until(">");
  return { out, err };
}

/** Send one of espy's raw-paste commands and its data. */
export async function rawPasteWrite2(d: Driver, cmd: string, data: string): Promise<void> {
  d.send("\x05" + cmd + "\x01");
  await d.until(/R\x01[\s\S]{3}/);
  // small enough for one window in these tests
  expect(data.length).toBeLessThan(256);
  d.send(data + "\x04");
  await d.until("\x04");
}


// --- boards behind a pseudo-terminal -------------------------------------------------------------------------------

/** A board reached through a pseudo-terminal, as a serial port is. */
export interface PtyBoard {
  /** The device path. */
  path: string;
  link: Link;
  /** Everything its process wrote to stderr. */
  stderr: () => string;
  close(): Promise<void>;
}

const ROOT = resolve(__dirname, "..");

/** Run `cmd args` and wait for the line of stdout `ready` matches; its first group is the device path. */
async function ptyProcess(cmd: string, args: string[], ready: RegExp | null, link: string, cwd?: string): Promise<PtyBoard> {
  const p = spawn(cmd, args, { cwd, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  const exited = new Promise<void>((r) => p.on("exit", () => r()));
  const path = await new Promise<string>((res, rej) => {
    const check = () => {
      if (ready) {
        const m = ready.exec(out);
        if (m) res(m[1]);
      } else if (/starting data transfer loop/.test(err)) res(link);
    };
    p.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      check();
    });
    p.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
      check();
    });
    p.on("exit", (code) => rej(new Error(cmd + " exited (" + code + "): " + out + err)));
  });
  const l = await serialLink(path, 115200);
  return {
    path,
    link: l,
    stderr: () => err,
    async close() {
      await l.close().catch(() => {});
      p.stdin!.end();
      p.kill("SIGTERM");
      await exited;
      // socat leaves the program it ran (EXEC) behind, and Espruino's Linux build outlives SIGTERM
      const child = /forked off child process (\d+)/.exec(err);
      if (child) {
        try {
          process.kill(parseInt(child[1], 10), "SIGKILL");
        } catch {
          /* already gone */
        }
      }
    },
  };
}

/** `espy sim --board NAME` (the built CLI) with its Storage in `dir`, opened like a serial port. */
export function startSim(board: string, dir: string): Promise<PtyBoard> {
  const link = join(dir, board + ".tty");
  return ptyProcess(process.execPath, [join(ROOT, "dist/cli.js"), "sim", "--board", board, "--storage", join(dir, board + ".storage"), "--link", link], /^espy sim: \S+ on (\S+)$/m, link);
}

/** An Espruino executable (its Linux build) on a pseudo-terminal through socat, its Storage in `dir`. */
export function startEspruino(exe: string, dir: string): Promise<PtyBoard> {
  const link = join(dir, "espruino.tty");
  return ptyProcess("socat", ["-d", "-d", "PTY,link=" + link + ",raw,echo=0", "EXEC:" + exe + ",pty,raw,echo=0"], null, link, dir);
}
