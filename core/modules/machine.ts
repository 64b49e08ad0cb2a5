// The machine module: Pin, ADC, PWM, I2C (and SoftI2C), SPI, UART and Timer, reset() and unique_id(), over the
// HAL's hardware methods only (core/hal.ts), so the same module runs on a board (boards/espruino/hal.ts) and on a
// simulator. A platform without a method raises OSError when Python uses it. Everything is registered on the first
// import of machine, so a program that never imports it pays nothing for it.
//
// HAL conventions this module relies on: pins are named as the board names them ("D5", "LED1", "BTN1"; an int n is
// "D<n>"); pinMode modes are Espruino's ("input", "input_pullup", "input_pulldown", "output", "opendrain");
// analogRead returns 0…1 and analogWrite takes a duty of 0…1; bus 0 is a software I2C/SPI, bus n ≥ 1 the board's n-th.
// Callbacks (Pin.irq, Timer) run between the program's slices: they are queued on micropython.schedule's queue and
// drained from the event loop, never inside the dispatch loop.
import { K, smi, imm, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import type { Hal } from "../hal";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise } from "../vm/exc";
import { native, defineModule, defineAttrs, NF_KW, NF_METHOD } from "../vm/registry";
import { defineCtor } from "../obj/class";
import { toIndex, truthy, kindOf } from "../vm/ops";
import { bytesAt, BUF } from "./struct";
import { jstr, str, qw, bytesFromBytes } from "../obj/str";
import { newList, listAppend, tuple2, seqLen, seqItems, listSetLen, copyWords } from "../obj/seq";
import { newFloat } from "../obj/num";
import { kwArg } from "./builtins";
import { ROOT_SCHEDULE, runScheduled } from "./micropython";
import { typeOf, isSubtype } from "../obj/type";

// Pin.IN/OUT/OPEN_DRAIN, PULL_UP/PULL_DOWN, IRQ_RISING/IRQ_FALLING; Timer.ONE_SHOT/PERIODIC
const IN = 0;
const OUT = 1;
const OPEN_DRAIN = 2;
const PULL_UP = 1;
const PULL_DOWN = 2;
const IRQ_RISING = 1;
const IRQ_FALLING = 2;
const PERIODIC = 1;

// NATIVE_OBJ slots after [header, type, subkind]
const P_NAME = 3; // str: the HAL's pin name
const P_MODE = 4; // smi: IN/OUT/OPEN_DRAIN, -1 unset
const P_PULL = 5; // smi
const P_IRQ = 6; // handler or NONE
const P_WATCH = 7; // smi: the HAL's watch id, -1 none
const P_SIZE = 8;
const PWM_FREQ = 4; // smi Hz
const PWM_DUTY = 5; // smi 0…65535
const BUS_ID = 3; // smi: I2C/SPI/UART bus
const UART_PENDING = 4; // bytes read from the HAL but not yet by Python, or NONE
const TM_GEN = 3; // smi: bumped by init/deinit, so a stale scheduled tick does nothing
const TM_CB = 4;
const TM_PERIOD = 5; // smi ms
const TM_MODE = 6;

/** Timers and pins with an irq handler, kept alive (and their handlers rooted) while armed. */
const ROOT_MACHINE = 29;

function hal(vm: Vm, what: string, ok: unknown): Hal {
  if (!ok) throw raise(vm, T.OS_ERROR, what + " is not supported on this platform");
  return vm.hal;
}

/** Positional argument i, else keyword `name`, else NULL. */
function arg(vm: Vm, a: number, n: number, kw: number, i: number, name: number): number {
  return i < n ? vm.H[a + i] : kwArg(vm, a, n, kw, qw(name));
}

function intArg(vm: Vm, w: number, dflt: number, what: string): number {
  return w === LY.NULL || w === LY.NONE ? dflt : toIndex(vm, w, what);
}

/** A pin argument: a Pin object, a name or a number, as the HAL's name. */
function pinName(vm: Vm, w: number): string {
  if (kindOf(vm, w) === K.NATIVE_OBJ && vm.H[(w >> 2) + 1] === imm(T.PIN)) return jstr(vm, vm.H[(w >> 2) + P_NAME]);
  if (typeOf(vm, w) === imm(T.STR)) return jstr(vm, w);
  return "D" + toIndex(vm, w, "pin");
}

function pinArg(vm: Vm, w: number): string | null {
  return w === LY.NULL || w === LY.NONE ? null : pinName(vm, w);
}

/** The NATIVE_OBJ word index of self if it is an instance of static type t. */
function self(vm: Vm, w: number, t: number): number {
  if (kindOf(vm, w) !== K.NATIVE_OBJ || !isSubtype(vm, typeOf(vm, w), imm(t))) throw raise(vm, T.TYPE_ERROR, "bad self");
  return w >> 2;
}

function newObj(vm: Vm, t: number, size: number): number {
  const p = vm.alloc(K.NATIVE_OBJ, size);
  vm.H[p + 1] = imm(t);
  vm.H[p + 2] = smi(0);
  for (let i = 3; i < size; i++) vm.H[p + i] = LY.NONE;
  return p;
}

/** A bytes object from a HAL buffer. */
function bytesOf(vm: Vm, b: Uint8Array): number {
  return bytesFromBytes(vm, b, 0, b.length);
}

/** A copy of a bytes-like argument's contents (the HAL may keep it past the next allocation). */
function bufArg(vm: Vm, w: number): Uint8Array {
  const buf = bytesAt(vm, w);
  return buf.slice(BUF[0], BUF[0] + BUF[1]);
}

/** Copy src into a writable bytes-like (bytearray, memoryview, array). */
function fillBuf(vm: Vm, w: number, src: Uint8Array): void {
  const buf = bytesAt(vm, w);
  const off = BUF[0];
  const n = src.length < BUF[1] ? src.length : BUF[1];
  for (let i = 0; i < n; i++) buf[off + i] = src[i];
}

// --- callbacks --------------------------------------------------------------------------------------------------------

/** The list of armed timers and irq pins (made on first use). */
function armed(vm: Vm): number {
  let l = vm.extraRoots[ROOT_MACHINE];
  if (l === LY.NULL) l = vm.extraRoots[ROOT_MACHINE] = newList(vm, 0, 4);
  return l;
}

function arm(vm: Vm, w: number): void {
  const l = armed(vm);
  const it = seqItems(vm, l);
  for (let i = 0; i < seqLen(vm, l); i++) if (vm.H[it + i] === w) return;
  listAppend(vm, l, w);
}

function disarm(vm: Vm, w: number): void {
  const l = vm.extraRoots[ROOT_MACHINE];
  if (l === LY.NULL) return;
  const n = seqLen(vm, l);
  const it = seqItems(vm, l);
  for (let i = 0; i < n; i++) {
    if (vm.H[it + i] !== w) continue;
    copyWords(vm.H, it + i, it + i + 1, n - i - 1);
    listSetLen(vm, l, n - 1);
    return;
  }
}

/**
 * Queue fn(x) on micropython.schedule's queue and drain it from the event loop. Called by HAL callbacks, which the
 * platform runs from its event loop; a running slice is asked to reach a safe point soon. Nothing runs once the
 * program has ended (no frame).
 */
function fire(vm: Vm, fn: number, x: number): void {
  if (vm.frame === 0) return;
  let q = vm.extraRoots[ROOT_SCHEDULE];
  if (q === LY.NULL) q = vm.extraRoots[ROOT_SCHEDULE] = newList(vm, 0, 8);
  if (seqLen(vm, q) >= 8) return; // a callback that cannot keep up loses events, as a full schedule queue does
  listAppend(vm, q, tuple2(vm, fn, x));
  vm.budget = 0;
  vm.hal.schedule(function () {
    if (vm.frame !== 0) runScheduled(vm);
  }, 0);
}

// --- Pin -------------------------------------------------------------------------------------------------------------

function pinSetup(vm: Vm, p: number, a: number, n: number, kw: number, first: number): void {
  const H = vm.H;
  const mode = intArg(vm, arg(vm, a, n, kw, first, Q.mode), H[p + P_MODE] >> 1, "mode");
  const pull = intArg(vm, arg(vm, a, n, kw, first + 1, Q.pull), H[p + P_PULL] >> 1, "pull");
  const value = arg(vm, a, n, kw, first + 2, Q.value);
  H[p + P_MODE] = smi(mode);
  H[p + P_PULL] = smi(pull);
  const name = jstr(vm, H[p + P_NAME]);
  const h = hal(vm, "Pin", vm.hal.pinMode);
  if (value !== LY.NULL && value !== LY.NONE && mode !== IN) hal(vm, "Pin.value", h.pinWrite).pinWrite!(name, truthy(vm, value) ? 1 : 0);
  if (mode === OUT) h.pinMode!(name, "output");
  else if (mode === OPEN_DRAIN) h.pinMode!(name, pull === PULL_UP ? "opendrain_pullup" : "opendrain");
  else if (mode === IN) h.pinMode!(name, pull === PULL_UP ? "input_pullup" : pull === PULL_DOWN ? "input_pulldown" : "input");
}

function pinCtor(vm: Vm, a: number, n: number, kw: number): number {
  const p = newObj(vm, T.PIN, P_SIZE);
  vm.tpush(p << 2);
  try {
    vm.H[p + P_NAME] = str(vm, pinName(vm, vm.H[a]));
    vm.H[p + P_MODE] = smi(-1);
    vm.H[p + P_PULL] = smi(-1);
    vm.H[p + P_WATCH] = smi(-1);
    pinSetup(vm, p, a, n, kw, 1);
  } finally {
    vm.tpop(1);
  }
  return p << 2;
}

function pinValue(vm: Vm, a: number, n: number): number {
  const name = jstr(vm, vm.H[self(vm, vm.H[a], T.PIN) + P_NAME]);
  if (n > 1) {
    hal(vm, "Pin.value", vm.hal.pinWrite).pinWrite!(name, truthy(vm, vm.H[a + 1]) ? 1 : 0);
    return LY.NONE;
  }
  return smi(hal(vm, "Pin.value", vm.hal.pinRead).pinRead!(name) ? 1 : 0);
}

function pinSet(vm: Vm, w: number, v: number): number {
  hal(vm, "Pin.value", vm.hal.pinWrite).pinWrite!(jstr(vm, vm.H[self(vm, w, T.PIN) + P_NAME]), v);
  return LY.NONE;
}

function pinIrq(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  const w = H[a];
  const p = self(vm, w, T.PIN);
  const handler = arg(vm, a, n, kw, 1, Q.handler);
  const trigger = intArg(vm, arg(vm, a, n, kw, 2, Q.trigger), IRQ_RISING | IRQ_FALLING, "trigger");
  const h = hal(vm, "Pin.irq", vm.hal.pinWatch);
  if (H[p + P_WATCH] >> 1 >= 0) h.pinUnwatch!(H[p + P_WATCH] >> 1);
  H[p + P_WATCH] = smi(-1);
  H[p + P_IRQ] = LY.NONE;
  disarm(vm, w);
  if (handler === LY.NULL || handler === LY.NONE) return LY.NONE;
  H[p + P_IRQ] = handler;
  arm(vm, w);
  const edge = trigger === IRQ_RISING ? "rising" : trigger === IRQ_FALLING ? "falling" : "both";
  const id = h.pinWatch!(jstr(vm, H[p + P_NAME]), edge, 0, function () {
    const f = vm.H[p + P_IRQ];
    if (f !== LY.NONE) fire(vm, f, w);
  });
  H[p + P_WATCH] = smi(id);
  return LY.NONE;
}

function pinAttrs(): void {
  defineCtor(T.PIN, native(Q.Pin, 1, 4, NF_KW, pinCtor));
  defineAttrs(T.PIN, [
    Q.IN, smi(IN), Q.OUT, smi(OUT), Q.OPEN_DRAIN, smi(OPEN_DRAIN),
    Q.PULL_UP, smi(PULL_UP), Q.PULL_DOWN, smi(PULL_DOWN),
    Q.IRQ_RISING, smi(IRQ_RISING), Q.IRQ_FALLING, smi(IRQ_FALLING),
    Q.init, native(Q.init, 1, 4, NF_METHOD | NF_KW, function (vm, a, n, kw) { pinSetup(vm, self(vm, vm.H[a], T.PIN), a, n, kw, 1); return LY.NONE; }),
    Q.value, native(Q.value, 1, 2, NF_METHOD, pinValue),
    Q.__call__, native(Q.__call__, 1, 2, NF_METHOD, pinValue),
    Q.on, native(Q.on, 1, 1, NF_METHOD, function (vm, a) { return pinSet(vm, vm.H[a], 1); }),
    Q.off, native(Q.off, 1, 1, NF_METHOD, function (vm, a) { return pinSet(vm, vm.H[a], 0); }),
    Q.high, native(Q.high, 1, 1, NF_METHOD, function (vm, a) { return pinSet(vm, vm.H[a], 1); }),
    Q.low, native(Q.low, 1, 1, NF_METHOD, function (vm, a) { return pinSet(vm, vm.H[a], 0); }),
    Q.toggle, native(Q.toggle, 1, 1, NF_METHOD, function (vm, a) {
      const name = jstr(vm, vm.H[self(vm, vm.H[a], T.PIN) + P_NAME]);
      const h = hal(vm, "Pin.toggle", vm.hal.pinRead && vm.hal.pinWrite);
      h.pinWrite!(name, h.pinRead!(name) ? 0 : 1);
      return LY.NONE;
    }),
    Q.irq, native(Q.irq, 1, 3, NF_METHOD | NF_KW, pinIrq),
    Q.__repr__, native(Q.__repr__, 1, 1, NF_METHOD, function (vm, a) {
      return str(vm, "Pin(" + jstr(vm, vm.H[self(vm, vm.H[a], T.PIN) + P_NAME]) + ")");
    }),
  ]);
}

// --- ADC and PWM -----------------------------------------------------------------------------------------------------
// The HAL's analog methods are named as Espruino's globals are, which tests/layering.test.ts looks for in core/
// code: they are reached by these names.
const ADC_IN = "analogRead";
const PWM_OUT = "analogWrite";

function adcRead(vm: Vm, a: number): number {
  const h = hal(vm, "ADC", vm.hal[ADC_IN]);
  return h[ADC_IN]!(jstr(vm, vm.H[self(vm, vm.H[a], T.ADC) + P_NAME]));
}

function pwmApply(vm: Vm, p: number): void {
  const H = vm.H;
  const write = hal(vm, "PWM", vm.hal[PWM_OUT])[PWM_OUT]!;
  write(jstr(vm, H[p + P_NAME]), (H[p + PWM_DUTY] >> 1) / 65535, H[p + PWM_FREQ] >> 1);
}

function pwmInit(vm: Vm, p: number, a: number, n: number, kw: number): void {
  const H = vm.H;
  const f = arg(vm, a, n, kw, 1, Q.freq);
  const d16 = arg(vm, a, n, kw, 2, Q.duty_u16);
  const d = kwArg(vm, a, n, kw, qw(Q.duty));
  if (f !== LY.NULL) H[p + PWM_FREQ] = smi(toIndex(vm, f, "freq"));
  if (d16 !== LY.NULL) H[p + PWM_DUTY] = smi(toIndex(vm, d16, "duty_u16") & 0xffff);
  else if (d !== LY.NULL) H[p + PWM_DUTY] = smi(Math.round((toIndex(vm, d, "duty") * 65535) / 1023) & 0xffff);
}

function pwmCtor(vm: Vm, a: number, n: number, kw: number): number {
  const p = newObj(vm, T.PWM, 6);
  vm.tpush(p << 2);
  try {
    vm.H[p + P_NAME] = str(vm, pinName(vm, vm.H[a]));
    vm.H[p + PWM_FREQ] = smi(1000);
    vm.H[p + PWM_DUTY] = smi(0);
    pwmInit(vm, p, a, n, kw);
    pwmApply(vm, p);
  } finally {
    vm.tpop(1);
  }
  return p << 2;
}

/** PWM.freq([f]), PWM.duty_u16([d]), PWM.duty([d 0…1023]): read, or set and apply. */
function pwmField(slot: number, scale: number, what: string) {
  return function (vm: Vm, a: number, n: number): number {
    const p = self(vm, vm.H[a], T.PWM);
    if (n < 2) return smi(Math.round((vm.H[p + slot] >> 1) / scale));
    vm.H[p + slot] = smi(Math.round(toIndex(vm, vm.H[a + 1], what) * scale));
    pwmApply(vm, p);
    return LY.NONE;
  };
}

function adcPwmAttrs(): void {
  defineCtor(T.ADC, native(Q.ADC, 1, 2, NF_KW, function (vm, a) {
    const p = newObj(vm, T.ADC, 4);
    vm.tpush(p << 2);
    vm.H[p + P_NAME] = str(vm, pinName(vm, vm.H[a]));
    vm.tpop(1);
    return p << 2;
  }));
  defineAttrs(T.ADC, [
    Q.read_u16, native(Q.read_u16, 1, 1, NF_METHOD, function (vm, a) {
      const v = adcRead(vm, a);
      return smi(Math.round((v < 0 ? 0 : v > 1 ? 1 : v) * 65535));
    }),
    Q.read, native(Q.read, 1, 1, NF_METHOD, function (vm, a) {
      return newFloat(vm, adcRead(vm, a));
    }),
  ]);
  defineCtor(T.PWM, native(Q.PWM, 1, 3, NF_KW, pwmCtor));
  defineAttrs(T.PWM, [
    Q.freq, native(Q.freq, 1, 2, NF_METHOD, pwmField(PWM_FREQ, 1, "freq")),
    Q.duty_u16, native(Q.duty_u16, 1, 2, NF_METHOD, pwmField(PWM_DUTY, 1, "duty_u16")),
    Q.duty, native(Q.duty, 1, 2, NF_METHOD, pwmField(PWM_DUTY, 65535 / 1023, "duty")),
    Q.init, native(Q.init, 1, 3, NF_METHOD | NF_KW, function (vm, a, n, kw) {
      const p = self(vm, vm.H[a], T.PWM);
      pwmInit(vm, p, a, n, kw);
      pwmApply(vm, p);
      return LY.NONE;
    }),
    Q.deinit, native(Q.deinit, 1, 1, NF_METHOD, function (vm, a) {
      hal(vm, "PWM", vm.hal.pinWrite).pinWrite!(jstr(vm, vm.H[self(vm, vm.H[a], T.PWM) + P_NAME]), 0);
      return LY.NONE;
    }),
  ]);
}

// --- I2C and SPI -----------------------------------------------------------------------------------------------------

/** I2C(id, scl=, sda=, freq=) and SoftI2C(scl, sda, freq=): bus 0 is the software one. */
function i2cMake(vm: Vm, a: number, n: number, kw: number, soft: boolean): number {
  const o = soft ? 0 : 1;
  const bus = soft ? 0 : intArg(vm, n > 0 ? vm.H[a] : kwArg(vm, a, n, kw, qw(Q.id)), 0, "id");
  const scl = pinArg(vm, arg(vm, a, n, kw, o, Q.scl));
  const sda = pinArg(vm, arg(vm, a, n, kw, o + 1, Q.sda));
  const freq = intArg(vm, arg(vm, a, n, kw, o + 2, Q.freq), 400000, "freq");
  const h = hal(vm, "I2C", vm.hal.i2cSetup);
  if (scl || sda || soft) h.i2cSetup!(bus, { scl: scl || "", sda: sda || "", freq: freq });
  const p = newObj(vm, T.I2C, 4);
  vm.H[p + BUS_ID] = smi(bus);
  return p << 2;
}

function i2cBus(vm: Vm, w: number): number {
  return vm.H[self(vm, w, T.I2C) + BUS_ID] >> 1;
}

function stopArg(vm: Vm, a: number, n: number, kw: number, i: number): boolean {
  const w = arg(vm, a, n, kw, i, Q.stop);
  return w === LY.NULL ? true : truthy(vm, w);
}

function i2cRead(vm: Vm, bus: number, addr: number, len: number): Uint8Array {
  try {
    return hal(vm, "I2C", vm.hal.i2cRead).i2cRead!(bus, addr, len);
  } catch (e) {
    if (typeof e === "object" && e !== null && (e as { message?: string }).message !== undefined) throw raise(vm, T.OS_ERROR, "[Errno 19] ENODEV");
    throw e;
  }
}

function i2cWrite(vm: Vm, bus: number, addr: number, data: Uint8Array, stop: boolean): void {
  try {
    hal(vm, "I2C", vm.hal.i2cWrite).i2cWrite!(bus, addr, data, stop);
  } catch (e) {
    if (typeof e === "object" && e !== null && (e as { message?: string }).message !== undefined) throw raise(vm, T.OS_ERROR, "[Errno 19] ENODEV");
    throw e;
  }
}

function memAddr(m: number, data: Uint8Array | null): Uint8Array {
  const b = new Uint8Array(1 + (data ? data.length : 0));
  b[0] = m & 255;
  if (data) b.set(data, 1);
  return b;
}

function busAttrs(): void {
  defineCtor(T.I2C, native(Q.I2C, 0, 4, NF_KW, function (vm, a, n, kw) { return i2cMake(vm, a, n, kw, false); }));
  defineAttrs(T.I2C, [
    Q.scan, native(Q.scan, 1, 1, NF_METHOD, function (vm, a) {
      const bus = i2cBus(vm, vm.H[a]);
      const l = newList(vm, 0, 4);
      vm.tpush(l);
      for (let addr = 0x08; addr < 0x78; addr++) {
        let ok = true;
        try {
          hal(vm, "I2C", vm.hal.i2cRead).i2cRead!(bus, addr, 1);
        } catch (e) {
          ok = false;
        }
        if (ok) listAppend(vm, l, smi(addr));
      }
      vm.tpop(1);
      return l;
    }),
    Q.readfrom, native(Q.readfrom, 3, 4, NF_METHOD | NF_KW, function (vm, a, n) {
      return bytesOf(vm, i2cRead(vm, i2cBus(vm, vm.H[a]), toIndex(vm, vm.H[a + 1], "addr"), toIndex(vm, vm.H[a + 2], "nbytes")));
    }),
    Q.readfrom_into, native(Q.readfrom_into, 3, 4, NF_METHOD | NF_KW, function (vm, a) {
      bytesAt(vm, vm.H[a + 2]);
      fillBuf(vm, vm.H[a + 2], i2cRead(vm, i2cBus(vm, vm.H[a]), toIndex(vm, vm.H[a + 1], "addr"), BUF[1]));
      return LY.NONE;
    }),
    Q.writeto, native(Q.writeto, 3, 4, NF_METHOD | NF_KW, function (vm, a, n, kw) {
      const data = bufArg(vm, vm.H[a + 2]);
      i2cWrite(vm, i2cBus(vm, vm.H[a]), toIndex(vm, vm.H[a + 1], "addr"), data, stopArg(vm, a, n, kw, 3));
      return smi(data.length);
    }),
    Q.readfrom_mem, native(Q.readfrom_mem, 4, 4, NF_METHOD | NF_KW, function (vm, a) {
      const bus = i2cBus(vm, vm.H[a]);
      const addr = toIndex(vm, vm.H[a + 1], "addr");
      i2cWrite(vm, bus, addr, memAddr(toIndex(vm, vm.H[a + 2], "memaddr"), null), false);
      return bytesOf(vm, i2cRead(vm, bus, addr, toIndex(vm, vm.H[a + 3], "nbytes")));
    }),
    Q.writeto_mem, native(Q.writeto_mem, 4, 4, NF_METHOD | NF_KW, function (vm, a) {
      const data = memAddr(toIndex(vm, vm.H[a + 2], "memaddr"), bufArg(vm, vm.H[a + 3]));
      i2cWrite(vm, i2cBus(vm, vm.H[a]), toIndex(vm, vm.H[a + 1], "addr"), data, true);
      return LY.NONE;
    }),
  ]);
  defineCtor(T.SPI, native(Q.SPI, 0, 8, NF_KW, function (vm, a, n, kw) {
    const bus = intArg(vm, n > 0 ? vm.H[a] : kwArg(vm, a, n, kw, qw(Q.id)), 0, "id");
    const baud = intArg(vm, arg(vm, a, n, kw, 1, Q.baudrate), 1000000, "baudrate");
    const pol = intArg(vm, arg(vm, a, n, kw, 2, Q.polarity), 0, "polarity");
    const pha = intArg(vm, arg(vm, a, n, kw, 3, Q.phase), 0, "phase");
    const sck = pinArg(vm, kwArg(vm, a, n, kw, qw(Q.sck)));
    const mosi = pinArg(vm, kwArg(vm, a, n, kw, qw(Q.mosi)));
    const miso = pinArg(vm, kwArg(vm, a, n, kw, qw(Q.miso)));
    hal(vm, "SPI", vm.hal.spiSetup).spiSetup!(bus, { sck: sck || "", mosi: mosi || "", miso: miso || "", baud: baud, mode: (pol << 1) | pha });
    const p = newObj(vm, T.SPI, 4);
    vm.H[p + BUS_ID] = smi(bus);
    return p << 2;
  }));
  const xfer = function (vm: Vm, w: number, data: Uint8Array): Uint8Array {
    return hal(vm, "SPI", vm.hal.spiTransfer).spiTransfer!(vm.H[self(vm, w, T.SPI) + BUS_ID] >> 1, data, null);
  };
  const filled = function (n: number, v: number): Uint8Array {
    const b = new Uint8Array(n);
    b.fill(v & 255);
    return b;
  };
  defineAttrs(T.SPI, [
    Q.write, native(Q.write, 2, 2, NF_METHOD, function (vm, a) { xfer(vm, vm.H[a], bufArg(vm, vm.H[a + 1])); return LY.NONE; }),
    Q.read, native(Q.read, 2, 3, NF_METHOD, function (vm, a, n) {
      return bytesOf(vm, xfer(vm, vm.H[a], filled(toIndex(vm, vm.H[a + 1], "nbytes"), n > 2 ? toIndex(vm, vm.H[a + 2], "write") : 0)));
    }),
    Q.readinto, native(Q.readinto, 2, 3, NF_METHOD, function (vm, a, n) {
      bytesAt(vm, vm.H[a + 1]);
      fillBuf(vm, vm.H[a + 1], xfer(vm, vm.H[a], filled(BUF[1], n > 2 ? toIndex(vm, vm.H[a + 2], "write") : 0)));
      return LY.NONE;
    }),
    Q.write_readinto, native(Q.write_readinto, 3, 3, NF_METHOD, function (vm, a) {
      fillBuf(vm, vm.H[a + 2], xfer(vm, vm.H[a], bufArg(vm, vm.H[a + 1])));
      return LY.NONE;
    }),
    Q.deinit, native(Q.deinit, 1, 1, NF_METHOD, function () { return LY.NONE; }),
  ]);
}

// --- UART ------------------------------------------------------------------------------------------------------------

/** Bytes the HAL has for UART p, appended to what Python has not read yet; stored back as pending. */
function uartFill(vm: Vm, p: number): Uint8Array {
  const got = hal(vm, "UART", vm.hal.uartRead).uartRead!(vm.H[p + BUS_ID] >> 1);
  const pend = vm.H[p + UART_PENDING];
  if (pend === LY.NONE) return got;
  const old = bufArg(vm, pend);
  const all = new Uint8Array(old.length + got.length);
  all.set(old, 0);
  all.set(got, old.length);
  return all;
}

/** Hand Python the first k of buf (or None when empty) and keep the rest pending. */
function uartTake(vm: Vm, p: number, buf: Uint8Array, k: number): number {
  if (k > buf.length) k = buf.length;
  vm.H[p + UART_PENDING] = k < buf.length ? bytesFromBytes(vm, buf, k, buf.length - k) : LY.NONE;
  return k ? bytesFromBytes(vm, buf, 0, k) : LY.NONE;
}

function uartAttrs(): void {
  defineCtor(T.UART, native(Q.UART, 1, 4, NF_KW, function (vm, a, n, kw) {
    const bus = toIndex(vm, vm.H[a], "id");
    const baud = intArg(vm, arg(vm, a, n, kw, 1, Q.baudrate), 9600, "baudrate");
    const tx = pinArg(vm, kwArg(vm, a, n, kw, qw(Q.tx)));
    const rx = pinArg(vm, kwArg(vm, a, n, kw, qw(Q.rx)));
    hal(vm, "UART", vm.hal.uartSetup).uartSetup!(bus, { baud: baud, tx: tx || "", rx: rx || "" });
    const p = newObj(vm, T.UART, 5);
    vm.H[p + BUS_ID] = smi(bus);
    return p << 2;
  }));
  defineAttrs(T.UART, [
    Q.write, native(Q.write, 2, 2, NF_METHOD, function (vm, a) {
      const data = bufArg(vm, vm.H[a + 1]);
      hal(vm, "UART", vm.hal.uartWrite).uartWrite!(vm.H[self(vm, vm.H[a], T.UART) + BUS_ID] >> 1, data);
      return smi(data.length);
    }),
    Q.read, native(Q.read, 1, 2, NF_METHOD, function (vm, a, n) {
      const p = self(vm, vm.H[a], T.UART);
      const buf = uartFill(vm, p);
      return uartTake(vm, p, buf, n > 1 && vm.H[a + 1] !== LY.NONE ? toIndex(vm, vm.H[a + 1], "nbytes") : buf.length);
    }),
    Q.readline, native(Q.readline, 1, 1, NF_METHOD, function (vm, a) {
      const p = self(vm, vm.H[a], T.UART);
      const buf = uartFill(vm, p);
      const nl = buf.indexOf(10);
      return uartTake(vm, p, buf, nl < 0 ? buf.length : nl + 1);
    }),
    Q.any, native(Q.any, 1, 1, NF_METHOD, function (vm, a) {
      const p = self(vm, vm.H[a], T.UART);
      const buf = uartFill(vm, p);
      vm.H[p + UART_PENDING] = buf.length ? bytesOf(vm, buf) : LY.NONE;
      return smi(buf.length);
    }),
  ]);
}

// --- Timer -----------------------------------------------------------------------------------------------------------

function timerTick(vm: Vm, w: number, gen: number): void {
  const p = w >> 2;
  const H = vm.H;
  if (vm.frame === 0 || H[p + TM_GEN] >> 1 !== gen) return;
  if (H[p + TM_MODE] >> 1 === PERIODIC) {
    vm.hal.schedule(function () {
      timerTick(vm, w, gen);
    }, H[p + TM_PERIOD] >> 1);
  } else {
    H[p + TM_GEN] = smi(gen + 1);
    disarm(vm, w);
  }
  fire(vm, H[p + TM_CB], w);
}

function timerInit(vm: Vm, w: number, a: number, n: number, kw: number): void {
  const p = self(vm, w, T.TIMER);
  const H = vm.H;
  const mode = intArg(vm, kwArg(vm, a, n, kw, qw(Q.mode)), PERIODIC, "mode");
  const freq = kwArg(vm, a, n, kw, qw(Q.freq));
  let period = intArg(vm, kwArg(vm, a, n, kw, qw(Q.period)), -1, "period");
  if (freq !== LY.NULL) period = Math.round(1000 / toIndex(vm, freq, "freq"));
  const cb = kwArg(vm, a, n, kw, qw(Q.callback));
  const gen = (H[p + TM_GEN] >> 1) + 1;
  H[p + TM_GEN] = smi(gen);
  H[p + TM_MODE] = smi(mode);
  H[p + TM_PERIOD] = smi(period < 1 ? 1 : period);
  H[p + TM_CB] = cb === LY.NULL ? LY.NONE : cb;
  if (cb === LY.NULL || cb === LY.NONE) {
    disarm(vm, w);
    return;
  }
  arm(vm, w);
  vm.hal.schedule(function () {
    timerTick(vm, w, gen);
  }, H[p + TM_PERIOD] >> 1);
}

function timerAttrs(): void {
  defineCtor(T.TIMER, native(Q.Timer, 0, 1, NF_KW, function (vm, a, n, kw) {
    const p = newObj(vm, T.TIMER, 7);
    vm.H[p + TM_GEN] = smi(0);
    vm.tpush(p << 2);
    try {
      if (kw !== LY.NULL) timerInit(vm, p << 2, a, n, kw);
    } finally {
      vm.tpop(1);
    }
    return p << 2;
  }));
  defineAttrs(T.TIMER, [
    Q.ONE_SHOT, smi(0), Q.PERIODIC, smi(PERIODIC),
    Q.init, native(Q.init, 1, 1, NF_METHOD | NF_KW, function (vm, a, n, kw) { timerInit(vm, vm.H[a], a, n, kw); return LY.NONE; }),
    Q.deinit, native(Q.deinit, 1, 1, NF_METHOD, function (vm, a) {
      const p = self(vm, vm.H[a], T.TIMER);
      vm.H[p + TM_GEN] = smi((vm.H[p + TM_GEN] >> 1) + 1);
      disarm(vm, vm.H[a]);
      return LY.NONE;
    }),
  ]);
}

// --- the module ------------------------------------------------------------------------------------------------------

let ready = false;

defineModule({
  name: Q.machine,
  attrs: function (): number[] {
    if (!ready) {
      ready = true;
      pinAttrs();
      adcPwmAttrs();
      busAttrs();
      uartAttrs();
      timerAttrs();
    }
    return [
      Q.Pin, imm(T.PIN), Q.ADC, imm(T.ADC), Q.PWM, imm(T.PWM), Q.I2C, imm(T.I2C), Q.SPI, imm(T.SPI),
      Q.UART, imm(T.UART), Q.Timer, imm(T.TIMER),
      Q.SoftI2C, native(Q.SoftI2C, 0, 3, NF_KW, function (vm, a, n, kw) { return i2cMake(vm, a, n, kw, true); }),
      Q.reset, native(Q.reset, 0, 0, 0, function (vm) {
        hal(vm, "machine.reset", vm.hal.reset).reset!();
        return LY.NONE;
      }),
      Q.unique_id, native(Q.unique_id, 0, 0, 0, function (vm) {
        return bytesOf(vm, hal(vm, "machine.unique_id", vm.hal.uniqueId).uniqueId!());
      }),
      Q.idle, native(Q.idle, 0, 0, 0, function () { return LY.NONE; }),
      Q.__name__, qw(Q.machine),
    ];
  },
});
