// The simulated board's hardware: pins with Espruino's modes (a pin in automatic mode becomes an output when written
// and an input when read), levels driven by the board or from outside (buttons, tests), analog inputs, PWM, pin
// watches (setWatch with edge, repeat and debounce), a trace of every change with its time, an I2C bus with device
// models (a TMP102-style temperature sensor by default) and SPI. The sandbox sees Pin objects; tests and the
// keyboard drive the same state from the host.
import type { BoardProfile } from "../profiles";
import type { SimLoop } from "./clock";
import type { Named } from "./format";

export interface TraceEntry {
  /** Seconds since power-on (board time: virtual under the virtual clock). */
  t: number;
  /** "out": the board drove the pin; "in": driven from outside (button, test); "pwm": analogWrite; "mode": pinMode;
   * "i2c", "spi", "uart": a bus transfer (pin is the bus name). */
  kind: "out" | "in" | "pwm" | "mode" | "i2c" | "spi" | "uart";
  /** The pin's own name (D5) or the bus (I2C1). */
  pin: string;
  /** The board's name for it when it has one (LED1, BTN1), else the pin's name. */
  name: string;
  /** The level (0/1), the PWM duty (0…1) or, for buses, the number of bytes. */
  value: number;
  /** Mode name, PWM frequency, or the bytes of a bus transfer. */
  detail?: string;
}

interface PinState {
  name: string;
  num: number;
  aliases: string[];
  mode: string;
  forced: boolean;
  out: number;
  /** Level driven from outside, or null when nothing drives it. */
  ext: number | null;
  analog: number;
  pwm: { duty: number; freq: number } | null;
  level: number;
}

interface Watch {
  id: number;
  pin: PinState;
  fn: (e: object) => void;
  edge: number; // 0 both, 1 rising, -1 falling
  repeat: boolean;
  debounce: number;
  data: PinState | null;
  lastTime: number;
  lastState: number;
  pendingTimer: number;
}

const OUTPUT_MODES = ["output", "opendrain", "af_output", "af_opendrain", "opendrain_pullup"];
const INPUT_MODES = ["input", "input_pullup", "input_pulldown", "analog"];
export const PIN_MODES = OUTPUT_MODES.concat(INPUT_MODES, ["auto"]);

/** Espruino's Pin objects as the sandbox sees them: a number for arithmetic, a name when printed. */
export class Pin implements Named {
  private readonly n: number;
  private readonly nm: string;
  private readonly hw: SimHardware;
  constructor(n: number, name: string, hw: SimHardware) {
    this.n = n;
    this.nm = name;
    this.hw = hw;
  }
  valueOf(): number {
    return this.n;
  }
  toString(): string {
    return this.nm;
  }
  toJSON(): string {
    return this.nm;
  }
  espruinoName(): string {
    return this.nm;
  }
  read(): boolean {
    return !!this.hw.digitalRead(this);
  }
  write(v: unknown): void {
    this.hw.digitalWrite(this, v);
  }
  set(): void {
    this.hw.digitalWrite(this, 1);
  }
  reset(): void {
    this.hw.digitalWrite(this, 0);
  }
  toggle(): boolean {
    const v = this.hw.level(this.nm) ? 0 : 1;
    this.hw.digitalWrite(this, v);
    return !!v;
  }
  mode(m: unknown): void {
    this.hw.pinMode(this, m);
  }
  getMode(): string {
    return this.hw.getPinMode(this);
  }
  getInfo(): object {
    return { port: this.nm.replace(/\d+$/, ""), num: Number(this.nm.replace(/^\D+/, "")) || 0 };
  }
}

/** Bytes from anything Espruino's bus functions accept: numbers, strings, arrays, typed arrays, {data, count}. */
export function flatBytes(args: unknown[]): number[] {
  const out: number[] = [];
  const add = (v: unknown): void => {
    if (v === undefined || v === null) return;
    if (typeof v === "number" || typeof v === "boolean") out.push(Number(v) & 255);
    else if (typeof v === "string") for (let i = 0; i < v.length; i++) out.push(v.charCodeAt(i) & 255);
    else if (Object.prototype.toString.call(v) === "[object ArrayBuffer]") for (const b of new Uint8Array(v as ArrayBuffer)) out.push(b);
    else if (ArrayBuffer.isView(v)) for (const b of Array.from(v as unknown as ArrayLike<number>)) out.push(Number(b) & 255);
    else if (Array.isArray(v)) v.forEach(add);
    else if (typeof v === "object" && "data" in (v as object)) {
      const o = v as { data: unknown; count?: number };
      const n = o.count === undefined ? 1 : o.count;
      for (let i = 0; i < n; i++) add(o.data);
    } else if (typeof (v as { valueOf?: () => unknown }).valueOf === "function") out.push(Number((v as { valueOf: () => unknown }).valueOf()) & 255);
  };
  args.forEach(add);
  return out;
}

const hex = (b: ArrayLike<number>) => Array.from(b, (x) => (x < 16 ? "0" : "") + x.toString(16)).join(" ");

// --- I2C devices ----------------------------------------------------------------------------------------------------

/** A device on the simulated I2C bus. write() gets each write transaction, read() answers each read. */
export interface I2CDevice {
  write(data: Uint8Array, stop: boolean): void;
  read(n: number): ArrayLike<number>;
}

/** A device with 8-bit registers and an auto-incrementing register pointer (the first byte of a write sets it). */
export class RegisterDevice implements I2CDevice {
  regs = new Uint8Array(256);
  ptr = 0;
  write(data: Uint8Array): void {
    if (!data.length) return;
    this.ptr = data[0];
    for (let i = 1; i < data.length; i++) this.regs[(this.ptr++) & 255] = data[i];
  }
  read(n: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(this.regs[(this.ptr++) & 255]);
    return out;
  }
}

/**
 * A TMP102-style temperature sensor (address 0x48 by default): a pointer register selects one of four 16-bit
 * registers, read MSB first: 0 temperature (12 bits, 0.0625 °C per bit, left-justified), 1 configuration, 2 T_LOW,
 * 3 T_HIGH. Set `temperature` (°C) from a test.
 */
export class TempSensor implements I2CDevice {
  temperature: number;
  ptr = 0;
  regs = [0, 0x60a0, 75 * 256, 80 * 256];
  constructor(celsius = 21.5) {
    this.temperature = celsius;
  }
  private reg(i: number): number {
    if (i === 0) {
      const raw = Math.round(this.temperature / 0.0625) & 0xfff;
      return raw << 4;
    }
    return this.regs[i] & 0xffff;
  }
  write(data: Uint8Array): void {
    if (!data.length) return;
    this.ptr = data[0] & 3;
    if (data.length >= 3 && this.ptr) this.regs[this.ptr] = (data[1] << 8) | data[2];
  }
  read(n: number): number[] {
    const v = this.reg(this.ptr);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(i % 2 === 0 ? v >> 8 : v & 255);
    return out;
  }
}

// --- the hardware ---------------------------------------------------------------------------------------------------

export class SimHardware {
  readonly trace: TraceEntry[] = [];
  /** Called for each trace entry as it happens. */
  onTrace: ((e: TraceEntry) => void) | null = null;
  /** I2C devices by 7-bit address (one bus shared by I2C1, I2C2 and software I2C). */
  readonly i2cDevices = new Map<number, I2CDevice>();
  /** What an SPI transfer reads back: by default 0xFF per byte (nothing drives MISO). */
  spiDevice: (tx: Uint8Array, bus: string, cs: string | null) => ArrayLike<number> = (tx) => new Uint8Array(tx.length).fill(0xff);
  private byName = new Map<string, PinState>();
  private byNum: PinState[] = [];
  private objs = new Map<PinState, Pin>();
  private watches = new Map<number, Watch>();
  private nextWatch = 1;
  private readonly loop: SimLoop;
  private readonly timeNow: () => number;
  private readonly post: (fn: () => void) => void;

  /**
   * `getTime` gives the sandbox's getTime() for watch events; `post` queues a sandbox callback on the event loop.
   */
  constructor(profile: BoardProfile, loop: SimLoop, getTime: () => number, post: (fn: () => void) => void) {
    this.loop = loop;
    this.timeNow = getTime;
    this.post = post;
    for (const range of profile.pins) {
      const m = /^([A-Z]+)(\d+)-\1?(\d+)$/.exec(range.replace(/\s/g, "")) || /^([A-Z]+)(\d+)-[A-Z]*(\d+)$/.exec(range);
      if (!m) continue;
      for (let i = parseInt(m[2], 10); i <= parseInt(m[3], 10); i++) this.addPin(m[1] + i);
    }
    const alias = (name: string, pin: string) => {
      const p = this.byName.get(pin) || this.addPin(pin);
      if (name !== pin) {
        p.aliases.push(name);
        this.byName.set(name, p);
      }
      return p;
    };
    for (const k of Object.keys(profile.leds)) alias(k, profile.leds[k]);
    for (const k of Object.keys(profile.buttons)) {
      const p = alias(k, profile.buttons[k]);
      p.mode = "input_pulldown";
    }
  }

  private addPin(name: string): PinState {
    const p: PinState = { name, num: this.byNum.length, aliases: [], mode: "input", forced: false, out: 0, ext: null, analog: 0, pwm: null, level: 0 };
    this.byNum.push(p);
    this.byName.set(name, p);
    this.objs.set(p, new Pin(p.num, name, this));
    return p;
  }

  /** Every pin name and alias with its Pin object (the sandbox's globals D0, LED1, BTN1…). */
  pinGlobals(): [string, Pin][] {
    const out: [string, Pin][] = [];
    for (const [k, p] of this.byName) out.push([k, this.objs.get(p)!]);
    return out;
  }

  /** The pin a sandbox value names (a Pin, a number, a name string), or null. */
  state(p: unknown): PinState | null {
    if (p instanceof Pin) return this.byNum[p.valueOf()] || null;
    if (typeof p === "number") return this.byNum[p] || null;
    if (typeof p === "string") return this.byName.get(p) || null;
    if (p && typeof p === "object" && typeof (p as { valueOf: () => unknown }).valueOf === "function") {
      const v = (p as { valueOf: () => unknown }).valueOf();
      if (typeof v === "number") return this.byNum[v] || null;
    }
    return null;
  }

  private need(p: unknown): PinState {
    const s = this.state(p);
    if (!s) throw new Error("Invalid pin: " + String(p));
    return s;
  }

  pinObject(p: unknown): Pin | undefined {
    const s = this.state(p);
    return s ? this.objs.get(s) : undefined;
  }

  private display(p: PinState): string {
    return p.aliases.length ? p.aliases[0] : p.name;
  }

  private record(kind: TraceEntry["kind"], pin: string, name: string, value: number, detail?: string): void {
    const e: TraceEntry = { t: this.loop.now() / 1000, kind, pin, name, value };
    if (detail !== undefined) e.detail = detail;
    this.trace.push(e);
    if (this.onTrace) this.onTrace(e);
  }

  private computeLevel(p: PinState): number {
    if (OUTPUT_MODES.indexOf(p.mode) >= 0) {
      if (p.mode.indexOf("opendrain") >= 0 && p.out) return p.ext !== null ? p.ext : 1;
      return p.out;
    }
    if (p.ext !== null) return p.ext;
    return p.mode === "input_pullup" ? 1 : 0;
  }

  /** Re-evaluate a pin's level; on a change, trace it and fire its watches. */
  private update(p: PinState, kind: "out" | "in"): void {
    const l = this.computeLevel(p);
    if (l === p.level) return;
    p.level = l;
    this.record(kind, p.name, this.display(p), l);
    const now = this.timeNow();
    for (const w of Array.from(this.watches.values())) {
      if (w.pin !== p) continue;
      if (w.debounce > 0) {
        if (w.pendingTimer) this.loop.clearTimer(w.pendingTimer);
        w.pendingTimer = this.loop.setTimer(() => {
          w.pendingTimer = 0;
          if (p.level !== w.lastState) this.fire(w, p.level, this.timeNow());
        }, w.debounce, false, true);
      } else this.fire(w, l, now);
    }
  }

  private fire(w: Watch, state: number, time: number): void {
    const last = w.lastState;
    w.lastState = state;
    if (state === last && w.debounce > 0) return;
    if (!(w.edge === 0 || (w.edge > 0 && state) || (w.edge < 0 && !state))) return;
    const ev: { state: boolean; time: number; lastTime: number; data?: boolean } = { state: !!state, time, lastTime: w.lastTime };
    if (w.data) ev.data = !!this.computeLevel(w.data);
    w.lastTime = time;
    if (!w.repeat) this.watches.delete(w.id);
    this.post(() => w.fn(ev));
  }

  // --- the Espruino API (called from the sandbox) -------------------------------------------------------------------

  digitalWrite(pin: unknown, value: unknown): void {
    if (Array.isArray(pin)) {
      // digitalWrite([a,b,c], bits): the last pin gets the lowest bit
      const v = Number(value) | 0;
      for (let i = 0; i < pin.length; i++) this.digitalWrite(pin[i], (v >> (pin.length - 1 - i)) & 1);
      return;
    }
    const p = this.need(pin);
    p.out = value ? 1 : 0;
    if (!p.forced && OUTPUT_MODES.indexOf(p.mode) < 0) p.mode = "output";
    if (p.pwm) {
      p.pwm = null;
      this.record("pwm", p.name, this.display(p), p.out, "off");
    }
    this.update(p, "out");
  }

  digitalRead(pin: unknown): number {
    if (Array.isArray(pin)) {
      let v = 0;
      for (const x of pin) v = (v << 1) | this.digitalRead(x);
      return v;
    }
    const p = this.need(pin);
    if (!p.forced && OUTPUT_MODES.indexOf(p.mode) >= 0) {
      p.mode = "input";
      this.update(p, "out");
    }
    return this.computeLevel(p);
  }

  pinMode(pin: unknown, mode: unknown): void {
    const p = this.need(pin);
    const m = mode === undefined ? "auto" : String(mode);
    if (PIN_MODES.indexOf(m) < 0) throw new Error("Unknown pin mode " + JSON.stringify(m));
    p.forced = m !== "auto";
    if (m !== "auto" && m !== p.mode) {
      p.mode = m;
      this.record("mode", p.name, this.display(p), p.level, m);
    }
    this.update(p, "out");
  }

  getPinMode(pin: unknown): string {
    return this.need(pin).mode;
  }

  analogRead(pin: unknown): number {
    const p = this.need(pin);
    if (!p.forced) p.mode = "analog";
    return p.analog;
  }

  analogWrite(pin: unknown, duty: unknown, opts?: { freq?: number }): void {
    const p = this.need(pin);
    const d = Math.max(0, Math.min(1, Number(duty) || 0));
    const freq = opts && opts.freq ? Number(opts.freq) : 0;
    p.pwm = { duty: d, freq };
    if (!p.forced) p.mode = "output";
    this.record("pwm", p.name, this.display(p), d, freq ? String(freq) : undefined);
  }

  /** The PWM duty and frequency a pin was last given with analogWrite, or null. */
  pwmOf(pin: string): { duty: number; freq: number } | null {
    return this.need(pin).pwm;
  }

  setWatch(fn: unknown, pin: unknown, opts: unknown): number {
    if (typeof fn !== "function") throw new Error("setWatch: a function is needed");
    const p = this.need(pin);
    const o = (typeof opts === "object" && opts !== null ? opts : { repeat: !!opts }) as { repeat?: boolean; edge?: unknown; debounce?: number; data?: unknown };
    let edge = 0;
    if (o.edge === "rising" || o.edge === 1) edge = 1;
    else if (o.edge === "falling" || o.edge === -1) edge = -1;
    if (!p.forced && OUTPUT_MODES.indexOf(p.mode) < 0 && p.mode === "analog") p.mode = "input";
    const w: Watch = {
      id: this.nextWatch++, pin: p, fn: fn as (e: object) => void, edge, repeat: !!o.repeat, debounce: Number(o.debounce) || 0,
      data: o.data !== undefined ? this.state(o.data) : null, lastTime: this.timeNow(), lastState: p.level, pendingTimer: 0,
    };
    this.watches.set(w.id, w);
    return w.id;
  }

  clearWatch(id?: unknown): void {
    if (id === undefined) {
      for (const w of this.watches.values()) if (w.pendingTimer) this.loop.clearTimer(w.pendingTimer);
      this.watches.clear();
      return;
    }
    const w = this.watches.get(Number(id));
    if (!w) throw new Error("Unknown Watch " + String(id));
    if (w.pendingTimer) this.loop.clearTimer(w.pendingTimer);
    this.watches.delete(w.id);
  }

  watchCount(): number {
    return this.watches.size;
  }

  /** reset(): watches go, pins return to inputs (buttons keep being held). */
  reset(): void {
    this.clearWatch();
    for (const p of this.byNum) {
      p.forced = false;
      p.pwm = null;
      p.out = 0;
      p.mode = p.aliases.some((a) => /^BTN/.test(a)) ? "input_pulldown" : "input";
      this.update(p, "out");
    }
  }

  // --- the host side (tests, the keyboard) --------------------------------------------------------------------------

  /** Drive a pin from outside (1, 0), or stop driving it (null). */
  drive(pin: string, level: number | null): void {
    const p = this.need(pin);
    p.ext = level === null ? null : level ? 1 : 0;
    this.update(p, "in");
  }

  /** The level a pin has now (what digitalRead would give, without changing its mode). */
  level(pin: string): number {
    return this.computeLevel(this.need(pin));
  }

  /** Set the voltage an analogRead sees, as a fraction of the supply (0…1). */
  setAnalog(pin: string, v: number): void {
    this.need(pin).analog = Math.max(0, Math.min(1, v));
  }

  modeOf(pin: string): string {
    return this.need(pin).mode;
  }

  // --- buses --------------------------------------------------------------------------------------------------------

  i2cWrite(bus: string, addr: number, data: number[], stop: boolean): void {
    const d = this.i2cDevices.get(addr);
    this.record("i2c", bus, bus, data.length, "write 0x" + addr.toString(16) + " [" + hex(data) + "]" + (d ? "" : " NACK"));
    if (!d) throw new Error("I2C Error: no device at address 0x" + addr.toString(16) + " (NACK)");
    d.write(Uint8Array.from(data), stop);
  }

  i2cRead(bus: string, addr: number, n: number): number[] {
    const d = this.i2cDevices.get(addr);
    if (!d) {
      this.record("i2c", bus, bus, 0, "read 0x" + addr.toString(16) + " NACK");
      throw new Error("I2C Error: no device at address 0x" + addr.toString(16) + " (NACK)");
    }
    const r = Array.from(d.read(n)).slice(0, n);
    while (r.length < n) r.push(0xff);
    this.record("i2c", bus, bus, n, "read 0x" + addr.toString(16) + " [" + hex(r) + "]");
    return r;
  }

  spiTransfer(bus: string, tx: number[], cs: unknown): number[] {
    const csPin = cs !== undefined && cs !== null ? this.state(cs) : null;
    if (csPin) this.digitalWrite(this.objs.get(csPin), 0);
    const rx = Array.from(this.spiDevice(Uint8Array.from(tx), bus, csPin ? csPin.name : null)).slice(0, tx.length);
    while (rx.length < tx.length) rx.push(0xff);
    if (csPin) this.digitalWrite(this.objs.get(csPin), 1);
    this.record("spi", bus, bus, tx.length, "[" + hex(tx) + "] -> [" + hex(rx) + "]");
    return rx;
  }

  uartTrace(bus: string, dir: string, data: string): void {
    this.record("uart", bus, bus, data.length, dir + " " + JSON.stringify(data));
  }
}

/** A trace entry as one line: seconds, name (and pin), value. */
export function formatTrace(e: TraceEntry): string {
  const t = e.t.toFixed(3).padStart(9);
  const who = e.name === e.pin ? e.pin : e.name + " (" + e.pin + ")";
  if (e.kind === "out" || e.kind === "in") return t + "  " + who + " " + (e.kind === "in" ? "<- " : "") + e.value;
  if (e.kind === "pwm") return t + "  " + who + " pwm " + (e.detail === "off" ? "off" : e.value.toFixed(3) + (e.detail ? " @ " + e.detail + " Hz" : ""));
  if (e.kind === "mode") return t + "  " + who + " mode " + e.detail;
  return t + "  " + e.pin + " " + (e.detail || "");
}
