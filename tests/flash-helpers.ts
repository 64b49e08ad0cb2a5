// Helpers for the flasher's tests: a Transport straight into a simulated board in this process (no pty), with faults
// injected between the flasher and the board: bytes dropped or corrupted at chosen positions of the stream, the line
// closed after a byte count, and a slow board (each chunk delivered late).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SimBoard, findDeviceDir } from "../boards/sim/index";
import type { SimOptions } from "../boards/sim/index";
import { DeviceError } from "../flasher/transport";
import type { Transport } from "../flasher/transport";

export interface Faults {
  /** Host→board byte positions (0-based, counted over the whole session) to drop. */
  dropTx?: number[];
  /** Host→board positions to corrupt (xor 0x5a; 0x04 is never produced, see below). */
  corruptTx?: number[];
  /** Board→host positions to drop. */
  dropRx?: number[];
  /** Board→host positions to corrupt. */
  corruptRx?: number[];
  /** Close the line once this many host→board bytes went out. */
  closeAtTx?: number;
  /** Board→host: nothing gets through once this many bytes came (the board stopped answering). */
  muteRxAfter?: number;
  /** Deliver each chunk (both ways) this many ms late. */
  delayMs?: number;
}

export interface SimLink extends Transport {
  board: SimBoard;
  /** Bytes that went each way (after faults). */
  tx: number;
  rx: number;
  /** Faults that actually happened. */
  hits: string[];
  /** Everything sent to the board (latin1), when recording. */
  txLog: string;
}

function xor(c: number): number {
  let v = c ^ 0x5a;
  if (v === 4) v = c ^ 0x5b; // a corrupted byte must not turn into 0x04 (the Linux build would exit on it)
  return v;
}

/** A Transport into `board` with faults applied. */
export function simLink(board: SimBoard, faults: Faults = {}, record = false): SimLink {
  let dataCb: ((d: Uint8Array) => void) | null = null;
  let closeCb: ((err: Error | null) => void) | null = null;
  let closed = false;
  let txPos = 0;
  let rxPos = 0;
  const hits: string[] = [];
  const dropTx = new Set(faults.dropTx || []);
  const corruptTx = new Set(faults.corruptTx || []);
  const dropRx = new Set(faults.dropRx || []);
  const corruptRx = new Set(faults.corruptRx || []);
  const later = (fn: () => void) => (faults.delayMs ? setTimeout(fn, faults.delayMs) : setImmediate(fn));
  const close = (err: Error | null) => {
    if (closed) return;
    closed = true;
    board.removeListener("output", onOut);
    if (closeCb) closeCb(err);
  };
  const onOut = (s: string) => {
    let out = "";
    for (let i = 0; i < s.length; i++, rxPos++) {
      if (faults.muteRxAfter !== undefined && rxPos >= faults.muteRxAfter) continue;
      if (dropRx.has(rxPos)) {
        hits.push("drop rx " + rxPos);
        continue;
      }
      if (corruptRx.has(rxPos)) {
        hits.push("corrupt rx " + rxPos);
        out += String.fromCharCode(xor(s.charCodeAt(i)));
      } else out += s[i];
    }
    link.rx += out.length;
    if (!out) return;
    const b = new Uint8Array(Buffer.from(out, "latin1"));
    later(() => {
      if (!closed && dataCb) dataCb(b);
    });
  };
  board.on("output", onOut);
  const link: SimLink = {
    name: "sim:" + board.name,
    board,
    tx: 0,
    rx: 0,
    hits,
    txLog: "",
    get closed() {
      return closed;
    },
    write(data: Uint8Array) {
      if (closed) return Promise.reject(new DeviceError(`${link.name}: the line is closed`, "ECLOSED"));
      let out = "";
      for (let i = 0; i < data.length; i++, txPos++) {
        if (faults.closeAtTx !== undefined && txPos >= faults.closeAtTx) {
          hits.push("close at " + txPos);
          const sent = out;
          if (sent) board.write(sent);
          setImmediate(() => close(new DeviceError(`${link.name}: the line closed`, "ECLOSED")));
          return Promise.resolve();
        }
        if (dropTx.has(txPos)) {
          hits.push("drop tx " + txPos);
          continue;
        }
        if (corruptTx.has(txPos)) {
          hits.push("corrupt tx " + txPos);
          out += String.fromCharCode(xor(data[i]));
        } else out += String.fromCharCode(data[i]);
      }
      link.tx += out.length;
      if (record) link.txLog += out;
      return new Promise<void>((resolve) => {
        later(() => {
          if (!closed && out) board.write(out);
          resolve();
        });
      });
    },
    onData(cb) {
      dataCb = cb;
    },
    onClose(cb) {
      closeCb = cb;
    },
    close() {
      close(null);
      return Promise.resolve();
    },
  };
  return link;
}

/**
 * The device files this test file uses: a copy of dist/device taken when it starts, so a rebuild by another process
 * meanwhile can't turn a flash into a runtime upgrade halfway through the tests.
 */
export const DEVICE = (() => {
  let src: string;
  try {
    src = findDeviceDir();
  } catch {
    return ""; // not built: the boards say so when they start
  }
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "espy-device-"));
  for (const f of fs.readdirSync(src)) fs.copyFileSync(path.join(src, f), path.join(d, f));
  process.on("exit", () => fs.rmSync(d, { recursive: true, force: true }));
  return d;
})();

/** A powered-on simulated board (virtual clock: boot waits take no time). */
export async function simBoard(opts: SimOptions = {}): Promise<SimBoard> {
  const b = new SimBoard({ virtualClock: true, deviceDir: DEVICE, ...opts });
  await b.powerOn();
  return b;
}

import { makeUi } from "../flasher/session";
import type { Ui } from "../flasher/session";

/** A Ui that keeps what it is given. */
export function captureUi(verbose = false): Ui & { text: { out: string; err: string } } {
  const text = { out: "", err: "" };
  const ui = makeUi({ verbose, quiet: !verbose }, { out: (s) => void (text.out += s), err: (s) => void (text.err += s), tty: false });
  return Object.assign(ui, { text });
}

/** A fresh temporary directory (removed by the caller). */
export function tmpDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "espy-" + tag + "-"));
}

/** Write Python files into dir; returns their paths in order. */
export function writeFiles(dir: string, files: { [name: string]: string }): string[] {
  return Object.keys(files).map((n) => {
    const p = path.join(dir, n);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, files[n]);
    return p;
  });
}

/** Timeouts for a board in this process: it answers within milliseconds, so a lost byte is noticed fast. */
export const FAST = { timeoutMs: 400, syncWaits: [300, 600, 1200, 2500, 6000] };

/**
 * Power the board off and on again from its Storage file (the runtime is not reinstalled: what the flasher left is
 * what boots) and return what it prints within its first moments, up to `until`.
 */
export async function powerCycle(storageFile: string, board: string, until: RegExp, waitMs = 30000): Promise<{ out: string; ok: boolean }> {
  const b = new SimBoard({ deviceDir: DEVICE, board, storageFile, runtime: false, virtualClock: true });
  try {
    await b.powerOn();
    try {
      await b.waitFor(until, waitMs, 0);
      return { out: b.output, ok: true };
    } catch {
      return { out: b.output, ok: false };
    }
  } finally {
    b.close();
  }
}

// --- fault-injection trials ------------------------------------------------------------------------------------------

import { flashMain } from "../flasher/flash";
import type { ProtocolOptions } from "../flasher/protocol";

export interface Trial {
  kind: string;
  faults: Faults;
}

export interface TrialResult {
  kind: string;
  faults: Faults;
  /** The flasher's verdict: "ok", or its error code and message. */
  flash: string;
  /** What booted from power-on: "new", "old" or "broken". */
  boots: "new" | "old" | "broken";
  /** The fault actually hit the stream (a position past the end of the session does nothing). */
  hit: boolean;
  ms: number;
  /** The end of what the board printed at boot (for a broken one). */
  bootOut: string;
}

/** A base Storage image: a board of `board` with OLD flashed (and whatever `prepare` does first), cleanly. */
export async function baseImage(dir: string, board: string, oldPaths: string[], prepare?: (b: SimBoard) => void): Promise<string> {
  const file = path.join(dir, board + "-base.storage");
  const b = new SimBoard({ deviceDir: DEVICE, board, storageFile: file, virtualClock: true, runtime: !prepare });
  if (prepare) prepare(b);
  await b.powerOn();
  await flashMain(oldPaths, { transport: simLink(b), watch: 0, reset: false, keepRuntime: !!prepare, protocol: FAST, deviceDir: DEVICE }, captureUi());
  b.close();
  return file;
}

/** Flash NEW over a copy of the base image through `faults`, then power-cycle and see which program runs. */
export async function faultTrial(dir: string, board: string, base: string, newPaths: string[], t: Trial, n: number, protocol: ProtocolOptions = FAST): Promise<TrialResult> {
  const file = path.join(dir, `${board}-trial${n}.storage`);
  fs.copyFileSync(base, file);
  const b = new SimBoard({ deviceDir: DEVICE, board, storageFile: file, virtualClock: true, runtime: false });
  await b.powerOn();
  const link = simLink(b, t.faults);
  const t0 = Date.now();
  let verdict = "ok";
  try {
    // no reset at the end: the power cycle below is the test of what boots
    await flashMain(newPaths, { transport: link, watch: 0, reset: false, protocol, deviceDir: DEVICE }, captureUi());
  } catch (e) {
    const err = e as { code?: string; message?: string };
    verdict = (err.code || "EINTERNAL") + ": " + err.message;
  }
  const ms = Date.now() - t0;
  await link.close();
  b.close();
  const r = await powerCycle(file, board, /NEW-PROGRAM|OLD-PROGRAM/);
  fs.rmSync(file, { force: true });
  const boots = /NEW-PROGRAM/.test(r.out) ? "new" : /OLD-PROGRAM/.test(r.out) ? "old" : "broken";
  return { kind: t.kind, faults: t.faults, flash: verdict, boots, hit: link.hits.length > 0, ms, bootOut: r.out.slice(-300) };
}

/** Positions spread over a stream of `total` bytes: n evenly spaced, plus `extra`. */
export function spread(total: number, n: number, extra: number[] = []): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(Math.floor(((i + 0.5) * total) / n));
  return out.concat(extra.filter((x) => x >= 0 && x < total));
}

/** One line per trial and a summary, for the test log (the numbers the report quotes). */
export function summarize(title: string, rs: TrialResult[]): string {
  const broken = rs.filter((r) => r.boots === "broken" || (r.flash === "ok" && r.boots !== "new"));
  const ok = rs.filter((r) => r.flash === "ok").length;
  const lines = rs.map((r) => `  ${r.kind.padEnd(12)} ${JSON.stringify(r.faults).slice(0, 40).padEnd(40)} flash ${r.flash.slice(0, 60).padEnd(60)} boots ${r.boots} (${r.ms} ms)${r.boots === "broken" ? " " + JSON.stringify(r.bootOut) : ""}`);
  return `${title}: ${rs.length} faulted flashes, ${ok} completed (retries), ${rs.length - ok} failed with an error, ${broken.length} left a broken board\n` + lines.join("\n");
}
