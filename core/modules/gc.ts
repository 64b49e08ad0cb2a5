// The gc module: collect, mem_free and mem_alloc report the VM's own heap (not the platform's).
import { LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { Q } from "../generated/qstr";
import { native, defineModule } from "../vm/registry";
import { intFromNumber } from "../obj/num";
import { toIndex } from "../vm/ops";

defineModule({
  name: Q.gc,
  attrs: function (): number[] {
    return [
      Q.collect, native(Q.collect, 0, 1, 0, function (vm: Vm) { vm.heap.collect(); return LY.NONE; }),
      Q.mem_free, native(Q.mem_free, 0, 0, 0, function (vm: Vm) { return intFromNumber(vm, vm.heap.freeWords * 4); }),
      Q.mem_alloc, native(Q.mem_alloc, 0, 0, 0, function (vm: Vm) {
        return intFromNumber(vm, (vm.heap.end - vm.heap.start - vm.heap.freeWords) * 4);
      }),
      Q.enable, native(Q.enable, 0, 0, 0, function (vm: Vm) { vm.gcEnabled = true; return LY.NONE; }),
      Q.disable, native(Q.disable, 0, 0, 0, function (vm: Vm) { vm.gcEnabled = false; return LY.NONE; }),
      Q.isenabled, native(Q.isenabled, 0, 0, 0, function (vm: Vm) { return vm.gcEnabled ? LY.TRUE : LY.FALSE; }),
      // threshold(n): collect after n more bytes are allocated (kept in 16-byte units, as MicroPython's blocks)
      Q.threshold, native(Q.threshold, 0, 1, 0, function (vm: Vm, a: number, n: number) {
        if (n === 0) return intFromNumber(vm, vm.heap.threshold < 0 ? -1 : vm.heap.threshold * 4);
        const b = toIndex(vm, vm.H[a], "threshold");
        vm.heap.threshold = b < 0 ? -1 : Math.floor(b / 16) * 4;
        return LY.NONE;
      }),
    ];
  },
});
