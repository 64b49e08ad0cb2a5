// The console while Python runs. Espruino's REPL owns the console device (USB, Bluetooth, Serial1…) and turns
// Ctrl-C there into an uncatchable interrupt of all JS. While a program runs, the runtime moves Espruino's REPL to
// LoopbackA (../shared/docs/espruino.md §4): the device's bytes then arrive as 'data' events, Ctrl-C among them as
// plain data, and the runtime writes to the device itself. give() hands the console back. A Python REPL later only
// needs another take() with its own input handler: input is delivered to whatever handler the last take() named.
import { G } from "./api";

/** The physical console device (an Espruino Serial object) that take() took over, or null. */
let dev: any = null;
let handler: ((d: string) => void) | null = null;

/** The device the console is on now (or the board's usual one when Espruino's REPL is already elsewhere). */
export function conDevice(fallback: string): any {
  const name = G.E.getConsole();
  return G[name && name !== "LoopbackA" && name !== "LoopbackB" ? name : fallback] || G.USB || G.Serial1;
}

/** Move Espruino's REPL away from the console device; its input goes to onData (byte strings) from now on. */
export function conTake(device: any, onData: (d: string) => void): void {
  if (dev) conGive();
  dev = device;
  handler = onData;
  G.echo(0);
  G.LoopbackA.setConsole(true);
  dev.on("data", onData);
}

/** Give the console back to Espruino's REPL. */
export function conGive(): void {
  if (!dev) return;
  dev.removeListener("data", handler);
  dev.setConsole();
  G.echo(1);
  dev = null;
  handler = null;
}

/** Write bytes to the console device, turning "\n" into "\r\n" (the device writes raw bytes). */
export function conWrite(device: any, buf: Uint8Array, off: number, len: number): void {
  let s = off;
  const end = off + len;
  for (let i = off; i < end; i++) {
    if (buf[i] === 10) {
      if (i > s) device.write(buf.subarray(s, i));
      device.write("\r\n");
      s = i + 1;
    }
  }
  if (end > s) device.write(buf.subarray(s, end));
}
