// The time module: sleep without blocking the event loop (the VM suspends and the platform resumes it), ticks and
// wall-clock time from the HAL.
import { LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise } from "../vm/exc";
import { native, defineModule } from "../vm/registry";
import { newFloat, intFromNumber, isIntLike, intToDouble, isFloat, floatVal } from "../obj/num";
import { typeNameJs } from "../vm/ops";

/** Suspend the running program for ms milliseconds (or wait in place inside a nested call). */
export function sleepMs(vm: Vm, ms: number): void {
  if (ms < 0) throw raise(vm, T.VALUE_ERROR, "sleep length must be non-negative");
  if (vm.nesting > 0) {
    vm.hal.sleepBlocking(ms);
    return;
  }
  vm.suspended = true;
  vm.suspendMs = ms;
}

function num(vm: Vm, w: number): number {
  if (isIntLike(vm, w)) return intToDouble(vm, w);
  if (isFloat(vm, w)) return floatVal(vm, w);
  throw raise(vm, T.TYPE_ERROR, "'" + typeNameJs(vm, w) + "' object cannot be interpreted as a number");
}

const TICKS_PERIOD = 1 << 30;
const TICKS_MAX = TICKS_PERIOD - 1;

defineModule({
  name: Q.time,
  attrs: function (): number[] {
    return [
      Q.sleep, native(Q.sleep, 1, 1, 0, function (vm: Vm, a: number) { sleepMs(vm, num(vm, vm.H[a]) * 1000); return LY.NONE; }),
      Q.sleep_ms, native(Q.sleep_ms, 1, 1, 0, function (vm: Vm, a: number) { sleepMs(vm, num(vm, vm.H[a])); return LY.NONE; }),
      Q.sleep_us, native(Q.sleep_us, 1, 1, 0, function (vm: Vm, a: number) { sleepMs(vm, num(vm, vm.H[a]) / 1000); return LY.NONE; }),
      Q.time, native(Q.time, 0, 0, 0, function (vm: Vm) { return newFloat(vm, vm.hal.time()); }),
      Q.time_ns, native(Q.time_ns, 0, 0, 0, function (vm: Vm) { return intFromNumber(vm, Math.floor(vm.hal.time() * 1e6) * 1000); }),
      Q.ticks_ms, native(Q.ticks_ms, 0, 0, 0, function (vm: Vm) { return intFromNumber(vm, Math.floor(vm.hal.ticksMs()) & TICKS_MAX); }),
      Q.ticks_us, native(Q.ticks_us, 0, 0, 0, function (vm: Vm) { return intFromNumber(vm, Math.floor(vm.hal.ticksMs() * 1000) % TICKS_PERIOD); }),
      Q.ticks_add, native(Q.ticks_add, 2, 2, 0, function (vm: Vm, a: number) {
        const r = (num(vm, vm.H[a]) + num(vm, vm.H[a + 1])) % TICKS_PERIOD;
        return intFromNumber(vm, r < 0 ? r + TICKS_PERIOD : r);
      }),
      Q.ticks_diff, native(Q.ticks_diff, 2, 2, 0, function (vm: Vm, a: number) {
        let d = (num(vm, vm.H[a]) - num(vm, vm.H[a + 1])) % TICKS_PERIOD;
        if (d < -TICKS_PERIOD / 2) d += TICKS_PERIOD;
        if (d >= TICKS_PERIOD / 2) d -= TICKS_PERIOD;
        return intFromNumber(vm, d);
      }),
    ];
  },
});
