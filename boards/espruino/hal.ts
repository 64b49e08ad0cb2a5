// The HAL over Espruino's API: output to the console device, time from getTime(), the event loop through
// setTimeout, files in Storage (flat names; "/" is just a character), pins, PWM, I2C, SPI and UART through Espruino's
// own objects. Every method here runs on the board, so it is written in the dialect and kept small: each function
// costs blocks of RAM even though its code stays in flash.
import type { Hal } from "../../core/index";
import { G } from "./api";
import { conWrite } from "./console";

/** Watch ids, hardware buses and UART input of the running program; release() undoes them when it ends. */
let watches: number[] = [];
let buses: { [k: string]: any } = {};
let rx: string[] = [];

/** Most bytes a UART keeps unread (older ones are dropped), so input cannot exhaust Espruino's blocks. */
const RX_MAX = 256;

/** An Espruino pin for a name: its global (D5, LED1, BTN1, A0) or the name itself. */
function pin(name: string): any {
  const p = G[name];
  return p === undefined ? name : p;
}

/** Bus `n` of a kind ("I2C", "SPI", "Serial"): the hardware one if the board has it, else a software one. */
function bus(kind: string, n: number): any {
  const k = kind + n;
  if (!buses[k]) buses[k] = G[k] || new G[kind]();
  return buses[k];
}

/** Free Espruino blocks (without running its collector). */
export function freeBlocks(): number {
  return G.process.memory(false).free;
}

/** Stop watching pins and reading UARTs for a program that has ended. */
export function halRelease(): void {
  for (let i = 0; i < watches.length; i++) if (watches[i] !== undefined) G.clearWatch(watches[i]);
  for (const k in buses) if (buses[k].removeAllListeners) buses[k].removeAllListeners("data");
  watches = [];
  buses = {};
  rx = [];
}

export function espruinoHal(device: any): Hal {
  const S = G.require("Storage");
  return {
    write: function (fd, buf, off, len) {
      conWrite(device, buf, off, len);
    },
    ticksMs: function () {
      return G.getTime() * 1000;
    },
    time: function () {
      return G.getTime();
    },
    schedule: function (fn, ms) {
      G.setTimeout(fn, ms);
    },
    sleepBlocking: function (ms) {
      const end = G.getTime() + ms / 1000;
      while (G.getTime() < end);
    },
    readFile: function (path) {
      const ab = S.readArrayBuffer(path);
      return ab ? new Uint8Array(ab) : null;
    },
    writeFile: function (path, data, append) {
      let d = data;
      if (append) {
        const old = S.readArrayBuffer(path);
        if (old) {
          d = new Uint8Array(old.byteLength + data.length);
          d.set(new Uint8Array(old), 0);
          d.set(data, old.byteLength);
        }
      }
      return S.write(path, d);
    },
    stat: function (path) {
      const s = S.read(path);
      if (s !== undefined) return { size: s.length, mtime: 0, dir: false };
      return S.list(path + "/").length || path === "" || path === "/" ? { size: 0, mtime: 0, dir: true } : null;
    },
    listdir: function (path) {
      const pre = path === "" || path === "/" || path === "." ? "" : path + "/";
      const all: string[] = S.list();
      const out: string[] = [];
      for (let i = 0; i < all.length; i++) {
        if (all[i].substr(0, pre.length) !== pre) continue;
        const rest = all[i].substr(pre.length);
        const slash = rest.indexOf("/");
        const name = slash < 0 ? rest : rest.substr(0, slash);
        if (out.indexOf(name) < 0) out.push(name);
      }
      return out;
    },
    remove: function (path) {
      if (S.read(path) === undefined) return false;
      S.erase(path);
      return true;
    },
    rename: function (from, to) {
      const ab = S.readArrayBuffer(from);
      if (!ab) return false;
      S.write(to, new Uint8Array(ab));
      S.erase(from);
      return true;
    },
    mkdir: function () {
      return true;
    },
    pinMode: function (p, mode) {
      G.pinMode(pin(p), mode);
    },
    pinWrite: function (p, v) {
      G.digitalWrite(pin(p), v);
    },
    pinRead: function (p) {
      return G.digitalRead(pin(p));
    },
    analogRead: function (p) {
      return G.analogRead(pin(p));
    },
    analogWrite: function (p, duty, freq) {
      G.analogWrite(pin(p), duty, freq > 0 ? { freq: freq } : undefined);
    },
    pinWatch: function (p, edge, debounceMs, cb) {
      const id = G.setWatch(
        function (e: any) {
          cb(e.state ? 1 : 0, e.time);
        },
        pin(p),
        { repeat: true, edge: edge, debounce: debounceMs },
      );
      watches.push(id);
      return id;
    },
    pinUnwatch: function (id) {
      const i = watches.indexOf(id);
      if (i >= 0) watches.splice(i, 1);
      G.clearWatch(id);
    },
    i2cSetup: function (n, o) {
      bus("I2C", n).setup({ scl: pin(o.scl), sda: pin(o.sda), bitrate: o.freq });
    },
    i2cWrite: function (n, addr, data, stop) {
      bus("I2C", n).writeTo({ address: addr, stop: stop }, data);
    },
    i2cRead: function (n, addr, len) {
      return bus("I2C", n).readFrom(addr, len);
    },
    spiSetup: function (n, o) {
      bus("SPI", n).setup({ sck: pin(o.sck), mosi: pin(o.mosi), miso: pin(o.miso), baud: o.baud, mode: o.mode });
    },
    spiTransfer: function (n, data, cs) {
      return new Uint8Array(bus("SPI", n).send(data, cs ? pin(cs) : undefined));
    },
    uartSetup: function (n, o) {
      const u = bus("Serial", n);
      u.setup(o.baud, { tx: pin(o.tx), rx: pin(o.rx) });
      rx[n] = "";
      u.on("data", function (d: string) {
        const s = rx[n] + d;
        rx[n] = s.length > RX_MAX ? s.substr(s.length - RX_MAX) : s;
      });
    },
    uartWrite: function (n, data) {
      bus("Serial", n).write(data);
    },
    uartRead: function (n) {
      const s = rx[n] || "";
      rx[n] = "";
      return G.E.toUint8Array(s);
    },
    reset: function () {
      if (G.E.reboot) G.E.reboot();
      else G.reset();
    },
    uniqueId: function () {
      const s: string = G.getSerial() || "";
      const hex = s.replace(/[^0-9a-fA-F]/g, "");
      const out = new Uint8Array(hex.length >> 1);
      for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
      return out;
    },
    info: function () {
      return { board: G.process.env.BOARD, firmware: G.process.env.VERSION };
    },
    platformMemory: function () {
      const m = G.process.memory(false);
      return { free: m.free, total: m.total };
    },
  };
}
