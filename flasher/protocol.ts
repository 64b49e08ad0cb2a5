// Driving an Espruino board's console (docs/device-protocol.md; ../shared/docs/espruino.md §4-5). A session starts
// with ESC ESC DLE (stops a running espy program, harmless at Espruino's prompt), clears the input line (ESC [ 2 H),
// and waits for the answer to `\x10print("ESPY"+"SYNC")`. From then on every request is one `\x10` line (echo off)
// whose answer is printed between numbered markers, <<ESPYn:JSON ESPY>>, so echo, prompts, "Compacting..." and
// stale answers of an earlier try can't be mistaken for it. Files go up with Espruino's binary packets (FILE_SEND +
// DATA, each ACKed or NAKed) where the firmware has them and the board is not Espruino's Linux build, otherwise with
// `Storage.write(name, atob("…"), offset, total)` lines of at most 1 KB; either way the board's CRC-32 of the file
// is compared with the host's, and a file that fails is sent again from its start (Storage can't rewrite a region).
// Never is byte 0x04 sent to a board whose BOARD starts with LINUX (Espruino's Linux build exits on it): until the
// board has said what it is, nothing but ASCII goes out.
import { crc32 } from "../core/crc32";
import { DeviceError } from "./transport";
import type { Transport } from "./transport";

export interface BoardInfo {
  /** process.env.BOARD */
  board: string;
  /** Espruino's version, e.g. "2v29.277" */
  fw: string;
  /** espy.version of the runtime loaded now, or null */
  espy: string | null;
  /** Storage bytes free */
  free: number;
  /** bytes in erased files (reclaimed by compacting), when the firmware tells */
  trash: number;
  /** process.memory(false) */
  mem: { free: number; usage: number; total: number; blocksize?: number };
  /** Whether E.CRC32 exists (otherwise files are verified by reading them back). */
  crc: boolean;
  /** Espruino's Linux build: never send it 0x04. */
  linux: boolean;
  /** Whether files go up as binary packets. */
  packets: boolean;
}

export interface ProtocolOptions {
  /** Verbose log lines (retries, timings). */
  log?: (s: string) => void;
  /** How long an answer may take, in ms (default 4000; more for long operations). */
  timeoutMs?: number;
  /** Tries per request or file before giving up (default 3). */
  tries?: number;
  /** Never use packets (force Storage.write lines). */
  noPackets?: boolean;
  /** Bytes per DATA packet (default 1024, at most 8191). */
  packetSize?: number;
  /** How long each sync attempt waits for ESPYSYNC, in ms (default 800, 1500, 2500, 4000: four tries). */
  syncWaits?: number[];
}

const STOP = "\x1b\x1b\x10";
const CLEAR_LINE = "\x1b[2H";
const ACK = 0x06;
const NAK = 0x15;
const PT_FILE_SEND = 0x6000;
const PT_DATA = 0x8000;
/** Raw bytes per Storage.write line (1024 base64 characters; the whole line stays near 1 KB). */
const LINE_CHUNK = 720;
/** Raw bytes per read-back answer. */
const READ_CHUNK = 1536;

/** Firmware version "2v25.12" as a number 2.25012 for comparisons. */
export function fwNumber(fw: string): number {
  const m = /^(\d+)v(\d+)(?:\.(\d+))?/.exec(fw || "");
  if (!m) return 0;
  return parseInt(m[1], 10) + parseInt(m[2], 10) / 100 + (m[3] ? parseInt(m[3], 10) / 100000 : 0);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function latin1(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString("latin1");
}

export function bytesOf(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, "latin1"));
}

/** JS string literal for a Storage name (names are bytes; JSON escapes what needs it). */
export function jsName(name: string): string {
  return JSON.stringify(name);
}

/** Is this error worth a resync and another try (the line garbled, an answer lost), not a refusal by the board? */
export function retryable(e: unknown): boolean {
  const c = (e as DeviceError).code;
  return c === "ETIMEOUT" || c === "ECORRUPT" || c === "ENAK" || c === "EMISMATCH";
}

export class Board {
  /** Bytes received and not consumed yet (latin1). */
  rx = "";
  info: BoardInfo | null = null;
  /** Until the board said it is not the Linux build, behave as if it were. */
  linux = true;
  packets = false;
  /** When set, received bytes go here instead of rx (program output being streamed). */
  passthrough: ((s: string) => void) | null = null;
  private seq = 0;
  private waiter: (() => void) | null = null;
  private xoff = false;
  private closedErr: Error | null = null;
  private ctrlCSent = false;
  /** Whether a sync ever succeeded on this line (a later silence is the board stopping, not a wrong port). */
  private synced = false;
  readonly log: (s: string) => void;
  readonly timeoutMs: number;
  readonly tries: number;
  /** Bytes sent and received, for speed reports. */
  sent = 0;
  received = 0;

  constructor(readonly t: Transport, readonly opts: ProtocolOptions = {}) {
    this.log = opts.log || (() => {});
    this.timeoutMs = opts.timeoutMs || 4000;
    this.tries = opts.tries || 3;
    t.onData((d) => this.onData(d));
    t.onClose((err) => {
      this.closedErr = new DeviceError(`the line to ${t.name} closed${err && err.message && !/closed/.test(err.message) ? " (" + err.message + ")" : ""}: check the cable or bridge, then try again`, "ECLOSED");
      if (this.waiter) this.waiter();
    });
  }

  private onData(d: Uint8Array): void {
    this.received += d.length;
    let s = latin1(d);
    if (s.indexOf("\x13") >= 0 || s.indexOf("\x11") >= 0) {
      // XON/XOFF flow control (Espruino sends it on some consoles): obey, and keep it out of the data
      for (const ch of s) if (ch === "\x13") this.xoff = true; else if (ch === "\x11") this.xoff = false;
      s = s.replace(/[\x11\x13]/g, "");
    }
    if (this.passthrough) this.passthrough(s);
    else {
      this.rx += s;
      if (this.rx.length > 1 << 20) this.rx = this.rx.slice(-(1 << 19));
    }
    if (this.waiter) this.waiter();
  }

  /** Send bytes (a latin1 string or bytes). Refuses 0x04 unless the board is known not to be the Linux build. */
  async write(data: string | Uint8Array): Promise<void> {
    const b = typeof data === "string" ? bytesOf(data) : data;
    if (this.linux && b.indexOf(4) >= 0) throw new Error("internal error: byte 0x04 would go to a board that may be Espruino's Linux build (it exits on it)");
    if (this.closedErr) throw this.closedErr;
    for (let waited = 0; this.xoff && waited < 10000; waited += 20) await sleep(20);
    this.sent += b.length;
    await this.t.write(b);
  }

  /**
   * Wait until `test` finds what it wants in rx (it returns a value and may consume rx), or time out. The line closing
   * rejects at once.
   */
  waitFor<T>(test: () => T | undefined, ms: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | null = null;
      const done = () => {
        if (timer) clearTimeout(timer);
        this.waiter = null;
      };
      const check = () => {
        let v: T | undefined;
        try {
          v = test();
        } catch (e) {
          done();
          reject(e);
          return;
        }
        if (v !== undefined) {
          done();
          resolve(v);
        } else if (this.closedErr) {
          done();
          reject(this.closedErr);
        }
      };
      timer = setTimeout(() => {
        this.waiter = null;
        reject(new DeviceError(`no answer from ${this.t.name} (${what}, ${ms} ms)`, "ETIMEOUT"));
      }, ms);
      this.waiter = check;
      check();
    });
  }

  /**
   * Take the console: stop a running espy program, clear the input line, and wait for ESPYSYNC. Tries several times
   * with growing waits (once with a Ctrl-C, for a busy JS loop); throws "not an Espruino board" or "no answer".
   */
  async sync(): Promise<void> {
    const waits = this.opts.syncWaits || [800, 1500, 2500, 4000];
    let heard = "";
    for (let i = 0; i < waits.length; i++) {
      this.passthrough = null;
      heard += this.rx;
      this.rx = "";
      await this.write(STOP);
      await sleep(i ? 200 : 50);
      if (i === Math.min(2, waits.length - 1) && i > 0 && !this.ctrlCSent) {
        // a JS busy loop ignores all of the above; one Ctrl-C per session (two in a row exit the Linux build)
        this.ctrlCSent = true;
        await this.write("\x03");
        await sleep(300);
      }
      heard += this.rx;
      this.rx = "";
      await this.write(CLEAR_LINE + '\x10print("ESPY"+"SYNC")\n');
      try {
        await this.waitFor(() => {
          const k = this.rx.indexOf("ESPYSYNC");
          if (k < 0) return undefined;
          this.rx = this.rx.slice(k + 8);
          return true;
        }, waits[i], "sync");
        await sleep(20);
        this.rx = "";
        this.synced = true;
        return;
      } catch (e) {
        if ((e as DeviceError).code !== "ETIMEOUT") throw e;
        this.log(`sync: no answer in ${waits[i]} ms${i + 1 < waits.length ? ", again" : ""}`);
      }
    }
    heard += this.rx;
    if (this.synced) throw new DeviceError(`${this.t.name} stopped answering (no answer to ${waits.length} tries to resynchronise): check the cable or bridge, reset the board, and try again`, "ESTOPPED");
    const shown = heard.replace(/[^\x20-\x7e]/g, ".").trim().slice(0, 60);
    if (shown) throw new DeviceError(`${this.t.name} answered, but not like an Espruino board (got "${shown}"): check the port and the baud rate (--baud)`, "ENOTESPRUINO");
    throw new DeviceError(`no answer from ${this.t.name}: is an Espruino board there, powered and not busy? Check --port and --baud; the board stopped answering after ${waits.length} tries`, "ENOANSWER");
  }

  /**
   * Evaluate a JS expression on the board; resolves to its value (through JSON). A JS exception on the board rejects
   * with EJS; a garbled line (a syntax error, no answer) with ECORRUPT or ETIMEOUT, which are worth a resync. Once the
   * board is known to have E.CRC32, the expression travels as a string with its length and CRC-32, checked on the board
   * before it is run (a line that lost or changed a byte is never executed), and the answer carries the CRC-32 of its
   * JSON, checked here.
   */
  async eval(expr: string, ms?: number): Promise<any> {
    const id = ++this.seq;
    const checked = !!(this.info && this.info.crc);
    const line = checked
      ? `\x10(function(__s,__n,__c){var __j;if(__s.length!=__n||(E.CRC32(__s)>>>0)!=__c){print("<<ESPY${id}?ESPY>>");return}` +
        `try{__j=JSON.stringify(eval("("+__s+")"));__j=__j===undefined?"undefined":__j;print("<<ESPY${id}:"+__j+"|"+(E.CRC32(__j)>>>0)+"ESPY>>")}catch(e){print("<<ESPY${id}!"+e+"ESPY>>")}})` +
        `(${JSON.stringify(expr)},${expr.length},${crc32(bytesOf(expr), 0, expr.length, 0)})\n`
      : `\x10try{print("<<ESPY${id}:"+JSON.stringify(${expr})+"ESPY>>")}catch(e){print("<<ESPY${id}!"+e+"ESPY>>")}\n`;
    this.rx = "";
    await this.write(line);
    const re = new RegExp(`<<ESPY${id}([:!?])([\\s\\S]*?)ESPY>>`);
    return this.waitFor(() => {
      const m = re.exec(this.rx);
      if (!m) {
        const u = /Uncaught ([^\r\n]*)\r?\n/.exec(this.rx);
        if (u) throw new DeviceError(`the board could not read a request (${u[1].trim()})`, "ECORRUPT");
        return undefined;
      }
      this.rx = this.rx.slice(m.index + m[0].length);
      if (m[1] === "?") throw new DeviceError("a request arrived garbled on the board", "ECORRUPT");
      // the requests are fixed code: a ReferenceError, SyntaxError or TypeError from one means the line was garbled
      if (m[1] === "!") throw new DeviceError(m[2], /^(ReferenceError|SyntaxError|TypeError)\b/.test(m[2]) ? "ECORRUPT" : "EJS");
      let j = m[2];
      if (checked) {
        const bar = j.lastIndexOf("|");
        const c = bar >= 0 ? parseInt(j.slice(bar + 1), 10) : NaN;
        j = bar >= 0 ? j.slice(0, bar) : j;
        if (!(c === crc32(bytesOf(j), 0, j.length, 0))) throw new DeviceError(`a garbled answer from the board (${j.slice(0, 40)})`, "ECORRUPT");
      }
      if (j === "undefined" || j === "") return null;
      try {
        return JSON.parse(j);
      } catch {
        throw new DeviceError(`a garbled answer from the board (${j.slice(0, 40)})`, "ECORRUPT");
      }
    }, ms || this.timeoutMs, "answer to " + expr.slice(0, 40));
  }

  /** eval with resync and retries: only for requests that can be repeated harmlessly. */
  async query(expr: string, ms?: number): Promise<any> {
    let last: unknown;
    for (let i = 0; i < this.tries; i++) {
      try {
        return await this.eval(expr, ms);
      } catch (e) {
        if (!retryable(e)) throw e;
        last = e;
        this.log(`query failed (${(e as Error).message}), resync`);
        await this.resync();
      }
    }
    throw stopped(this.t.name, last);
  }

  /**
   * After a failed request. A packet the board is still receiving (a byte of it was lost) would swallow the sync: the
   * board waits for the bytes its header announced. Filler (spaces: harmless on the JS prompt's input line, which the
   * sync clears) completes any packet up to the size we send; a header garbled into a longer length ends with the
   * board's own packet timeout (a NAK), which the sync's growing waits outlast.
   */
  async resync(): Promise<void> {
    if (this.packets) {
      await this.write(" ".repeat(Math.min(this.opts.packetSize || 1024, 8191) + 8));
      await sleep(30);
    }
    await this.sync();
  }

  /** Ask what the board is (docs/device-protocol.md "What tools ask the JS REPL"). */
  async identify(): Promise<BoardInfo> {
    // this answer can't carry a CRC yet (E.CRC32 is one of the things asked), so it is asked until two answers agree
    // on what the board is: a byte garbled on the line can't then pass for a board name or a firmware version
    const ask = () =>
      this.query(
        '{board:process.env.BOARD,fw:process.version,espy:typeof espy=="object"&&espy.version?espy.version:null,free:require("Storage").getFree(),' +
          'trash:require("Storage").getStats?require("Storage").getStats().trashBytes:0,mem:process.memory(false),crc:typeof E.CRC32=="function"}',
      );
    const key = (x: any) => (x && typeof x.board === "string" ? JSON.stringify([x.board, x.fw, x.espy, x.crc]) : null);
    let r = await ask();
    for (let i = 0; ; i++) {
      const again = await ask();
      if (key(again) !== null && key(again) === key(r)) break;
      r = again;
      if (i + 1 >= this.tries + 1) {
        if (key(r) === null) throw new DeviceError(`${this.t.name} did not say what board it is: is it running Espruino?`, "ENOTESPRUINO");
        throw stopped(this.t.name, new DeviceError("its answers to 'what board are you' kept changing", "ECORRUPT"), "identifying the board");
      }
      this.log("the board's answers to 'what board are you' differ, asking again");
    }
    const linux = /^LINUX/.test(r.board);
    this.linux = linux;
    this.packets = !linux && !this.opts.noPackets && fwNumber(r.fw) >= 2.25;
    this.info = { board: r.board, fw: String(r.fw), espy: r.espy || null, free: r.free | 0, trash: r.trash | 0, mem: r.mem || {}, crc: !!r.crc, linux, packets: this.packets };
    return this.info;
  }

  /** CRC-32 of a Storage file as the board computes it, -1 if it is missing. */
  async crc(name: string): Promise<number> {
    if (this.info && !this.info.crc) {
      const b = await this.readFile(name);
      return b ? crc32(b, 0, b.length, 0) : -1;
    }
    const v = await this.query(`(function(s){return s===undefined?-1:E.CRC32(s)})(require("Storage").read(${jsName(name)}))`);
    return v < 0 ? -1 : v >>> 0;
  }

  /**
   * What identifies a Storage file's content: its size, the CRC-32 of all of it and of all but its last 4 bytes.
   * (A compiled image ends with the CRC-32 of the rest, so the CRC-32 of any intact image is the same constant,
   * 2144df1c: the whole-file CRC proves it intact, the head's CRC says which image it is.)
   */
  async check(name: string): Promise<string> {
    if (this.info && !this.info.crc) {
      const b = await this.readFile(name);
      return b ? contentCheck(b) : "missing";
    }
    const v = await this.query(
      `(function(n){var S=require("Storage"),s=S.read(n);if(s===undefined)return "missing";var l=s.length;` +
        `return l+":"+(E.CRC32(s)>>>0)+":"+(l>4?E.CRC32(S.read(n,0,l-4))>>>0:0)})(${jsName(name)})`,
      this.timeoutMs * 2,
    );
    return String(v);
  }

  /** A Storage file's bytes, or null if it does not exist. */
  async readFile(name: string, onProgress?: (done: number, total: number) => void): Promise<Uint8Array | null> {
    const n = await this.query(`(function(s){return s===undefined?-1:s.length})(require("Storage").read(${jsName(name)}))`);
    if (n < 0) return null;
    const out = new Uint8Array(n);
    for (let off = 0; off < n; off += READ_CHUNK) {
      const len = Math.min(READ_CHUNK, n - off);
      const b64 = await this.query(`btoa(require("Storage").read(${jsName(name)},${off},${len}))`);
      const part = Buffer.from(String(b64), "base64");
      if (part.length !== len) throw new DeviceError(`reading ${name}: a garbled answer at offset ${off}`, "ECORRUPT");
      out.set(part, off);
      if (onProgress) onProgress(off + len, n);
    }
    return out;
  }

  /**
   * Write a Storage file and verify it: the board's CRC-32 (or the bytes read back) must match. A failed try is
   * started over from the beginning after a resync. Throws after `tries` failures.
   */
  async writeFile(name: string, data: Uint8Array, onProgress?: (done: number) => void): Promise<void> {
    if (data.length === 0) throw new DeviceError(`${name} is empty: Espruino's Storage can't hold an empty file`, "EEMPTY");
    if (name.length > 28) throw new DeviceError(`the Storage name ${name} is longer than 28 bytes (Espruino's limit): use a shorter file or directory name`, "ENAME");
    const wantCheck = contentCheck(data);
    let last: unknown = null;
    for (let i = 0; i < this.tries; i++) {
      try {
        if (this.packets) await this.sendPackets(name, data, onProgress);
        else await this.sendLines(name, data, onProgress);
        const got = await this.check(name);
        if (got === wantCheck) return;
        last = new DeviceError(`${name} arrived corrupted (${got} on the board, ${wantCheck} sent: size:CRC:CRC of all but the last 4 bytes)`, "EMISMATCH");
        this.log((last as Error).message + ", sending it again");
      } catch (e) {
        if (!retryable(e)) throw e;
        last = e;
        this.log(`writing ${name} failed (${(e as Error).message}), sending it again`);
      }
      if (onProgress) onProgress(0);
      await this.resync();
    }
    throw stopped(this.t.name, last, `writing ${name}`);
  }

  /** Storage.write lines, one at a time, each answered before the next. */
  private async sendLines(name: string, data: Uint8Array, onProgress?: (done: number) => void): Promise<void> {
    const n = data.length;
    for (let off = 0; off < n; off += LINE_CHUNK) {
      const b64 = Buffer.from(data.buffer, data.byteOffset + off, Math.min(LINE_CHUNK, n - off)).toString("base64");
      const ok = await this.eval(`require("Storage").write(${jsName(name)},atob("${b64}"),${off}${off === 0 ? "," + n : ""})`, this.timeoutMs * 2);
      if (ok !== true) throw new DeviceError(`the board refused to write ${name} (Storage.write returned ${ok}): not enough Storage? See espy fs df`, "ESTORAGE");
      if (onProgress) onProgress(Math.min(off + LINE_CHUNK, n));
    }
  }

  /** One packet (DLE SOH, 16-bit type|length, data); resolves when the board ACKs, rejects on NAK or silence. */
  async packet(type: number, data: Uint8Array, ms?: number): Promise<void> {
    if (data.length > 8191) throw new Error("internal error: packet too long");
    const hdr = type | data.length;
    const b = new Uint8Array(4 + data.length);
    b[0] = 0x10;
    b[1] = 0x01;
    b[2] = hdr >> 8;
    b[3] = hdr & 0xff;
    b.set(data, 4);
    this.rx = "";
    await this.write(b);
    const ok = await this.waitFor(() => {
      for (let i = 0; i < this.rx.length; i++) {
        const c = this.rx.charCodeAt(i);
        if (c === ACK || c === NAK) {
          this.rx = this.rx.slice(i + 1);
          return c === ACK;
        }
      }
      return undefined;
    }, ms || this.timeoutMs, "packet acknowledgement");
    if (!ok) throw new DeviceError("the board refused a packet (NAK)", "ENAK");
  }

  private async sendPackets(name: string, data: Uint8Array, onProgress?: (done: number) => void): Promise<void> {
    const size = Math.min(this.opts.packetSize || 1024, 8191);
    await this.packet(PT_FILE_SEND, bytesOf(JSON.stringify({ fn: name, s: data.length })));
    for (let off = 0; off < data.length; off += size) {
      await this.packet(PT_DATA, data.subarray(off, Math.min(off + size, data.length)), this.timeoutMs * 2);
      if (onProgress) onProgress(Math.min(off + size, data.length));
    }
  }

  /** Close the line. */
  close(): Promise<void> {
    return this.t.close();
  }
}

/** Board.check's answer for these bytes. */
export function contentCheck(b: Uint8Array): string {
  const l = b.length;
  return l + ":" + crc32(b, 0, l, 0) + ":" + (l > 4 ? crc32(b, 0, l - 4, 0) : 0);
}

export function hex8(n: number): string {
  return n < 0 ? "(missing)" : (n >>> 0).toString(16).padStart(8, "0");
}

/** The error after the last try: the board stopped answering, or kept garbling. */
export function stopped(name: string, last: unknown, what?: string): DeviceError {
  const e = last as DeviceError;
  if (e && e.code === "ECLOSED") return e;
  if (e && e.code === "EMISMATCH") return new DeviceError(`${e.message} on every try: the line corrupts data; try a lower --baud or another cable`, "EMISMATCH");
  return new DeviceError(`${name} stopped answering${what ? " while " + what : ""} (${e ? e.message : "no answer"}; tried several times): check the connection, reset the board, and try again`, "ESTOPPED");
}
