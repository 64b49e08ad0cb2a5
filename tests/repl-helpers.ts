// Test helpers for the REPL tests: the built device runtime in this process on a small imitation of Espruino (its
// console device, a JS prompt that evaluates `\x10`-lines, Storage, timers), reachable as a Link like a board's
// serial port; and a driver that sends bytes and waits for what the board prints.
import * as nodeVm from "node:vm";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Link } from "../flasher/repl";

export const DEVICE_DIR = join(resolve(__dirname, ".."), "dist/device");

export interface FakeOptions {
  /** dist/device file evaluated as the resident runtime: espy-full.js (default) or espy.js (lean). */
  image?: string;
  board?: string;
  files?: { [name: string]: Uint8Array };
  /** The REPL's config (espy.cfg). */
  cfg?: object;
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
      process: { memory: () => ({ free: 100000, usage: 500, total: 100500, blocksize: 14 }), env: { BOARD: opts.board || "ESPY_TEST", VERSION: "2v29" }, version: "2v29" },
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
  async until(s: string | RegExp, ms = 5000): Promise<string> {
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
  async ask(s: string, until: string | RegExp, ms = 5000): Promise<string> {
    this.send(s);
    return this.until(until, ms);
  }
}
