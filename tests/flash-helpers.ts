// Helpers for the flasher's tests: a Transport straight into a simulated board in this process (no pty), with faults
// injected between the flasher and the board: bytes dropped or corrupted at chosen positions of the stream, the line
// closed after a byte count, and a slow board (each chunk delivered late).
import { SimBoard } from "../boards/sim/index";
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
}

function xor(c: number): number {
  let v = c ^ 0x5a;
  if (v === 4) v = c ^ 0x5b; // a corrupted byte must not turn into 0x04 (the Linux build would exit on it)
  return v;
}

/** A Transport into `board` with faults applied. */
export function simLink(board: SimBoard, faults: Faults = {}): SimLink {
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

/** A powered-on simulated board (virtual clock: boot waits take no time). */
export async function simBoard(opts: SimOptions = {}): Promise<SimBoard> {
  const b = new SimBoard({ virtualClock: true, ...opts });
  await b.powerOn();
  return b;
}

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
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
export async function powerCycle(storageFile: string, board: string, until: RegExp): Promise<{ out: string; ok: boolean }> {
  const b = new SimBoard({ board, storageFile, runtime: false, virtualClock: true });
  try {
    await b.powerOn();
    try {
      await b.waitFor(until, 8000, 0);
      return { out: b.output, ok: true };
    } catch {
      return { out: b.output, ok: false };
    }
  } finally {
    b.close();
  }
}
