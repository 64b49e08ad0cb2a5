// The sys module: argv, path, modules, exit, version and implementation, stdout/stderr, exc_info,
// print_exception and the recursion limit.
import { K, NONE, NULL, TRUE, FALSE, TUP_ITEMS, M_DICT, smi, imm } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise, raiseObj, newExc } from "../vm/exc";
import { native, defineModule } from "../vm/registry";
import { newTuple, newList, listAppend, tupleFromStack } from "../obj/seq";
import { dictSet } from "../obj/dict";
import { str, qw, jstr } from "../obj/str";
import { intFromNumber } from "../obj/num";
import { typeOf } from "../obj/type";
import { toIndex } from "../vm/ops";
import { formatException } from "../vm/run";
import { writeOut } from "./builtins";

/** Version of the runtime, also reported to the flasher. */
export const ESPY_VERSION = "0.1.0";

/** The sys.stdout/sys.stderr objects: NATIVE_OBJ of type TextIOWrapper with the fd in slot 2. */
function stream(vm: Vm, fd: number): number {
  const p = vm.alloc(K.NATIVE_OBJ, 4);
  vm.H[p + 1] = imm(T.TEXTIO);
  vm.H[p + 2] = smi(fd);
  vm.H[p + 3] = NONE;
  return p << 2;
}

export function streamFd(vm: Vm, w: number): number {
  if ((w & 3) !== 0 || w === 0) return -1;
  const H = vm.H;
  if ((H[w >> 2] & 127) !== K.NATIVE_OBJ || H[(w >> 2) + 1] !== imm(T.TEXTIO)) return -1;
  return H[(w >> 2) + 2] >> 1;
}

defineModule({
  name: Q.sys,
  attrs: function (): number[] {
    return [
      Q.exit, native(Q.exit, 0, 1, 0, function (vm, a, n) {
        const args = tupleFromStack(vm, a, n);
        throw raiseObj(vm, newExc(vm, imm(T.SYSTEM_EXIT), args));
      }),
      Q.exc_info, native(Q.exc_info, 0, 0, 0, function (vm) {
        const t = newTuple(vm, 3);
        const e = vm.curExc;
        vm.H[(t >> 2) + TUP_ITEMS] = e === NONE ? NONE : typeOf(vm, e);
        vm.H[(t >> 2) + TUP_ITEMS + 1] = e;
        vm.H[(t >> 2) + TUP_ITEMS + 2] = e === NONE ? NONE : vm.H[(e >> 2) + 4] || NONE;
        return t;
      }),
      Q.getrecursionlimit, native(Q.getrecursionlimit, 0, 0, 0, function (vm) { return smi(vm.recursionLimit); }),
      Q.setrecursionlimit, native(Q.setrecursionlimit, 1, 1, 0, function (vm, a) {
        const n = toIndex(vm, vm.H[a], "limit");
        if (n < 1) throw raise(vm, T.VALUE_ERROR, "recursion limit must be greater or equal than 1");
        vm.recursionLimit = n;
        return NONE;
      }),
      Q.print_exception, native(Q.print_exception, 1, 2, 0, function (vm, a) {
        writeOut(vm, 1, formatException(vm, vm.H[a]));
        return NONE;
      }),
      Q.byteorder, qw(Q.little),
    ];
  },
  init: function (vm: Vm, mod: number): void {
    const d = vm.H[(mod >> 2) + M_DICT];
    const set = function (name: number, v: number): void {
      vm.tpush(v);
      dictSet(vm, d, name, v);
      vm.tpop(1);
    };
    const strs = function (xs: string[]): number {
      const l = newList(vm, 0, xs.length);
      vm.tpush(l);
      for (let i = 0; i < xs.length; i++) listAppend(vm, l, str(vm, xs[i]));
      vm.tpop(1);
      return l;
    };
    set(qw(Q.argv), strs(vm.opts.argv));
    set(qw(Q.path), strs(vm.opts.path));
    set(qw(Q.modules), vm.modules);
    const ver = newTuple(vm, 3);
    vm.H[(ver >> 2) + TUP_ITEMS] = smi(0);
    vm.H[(ver >> 2) + TUP_ITEMS + 1] = smi(1);
    vm.H[(ver >> 2) + TUP_ITEMS + 2] = smi(0);
    vm.tpush(ver);
    const impl = newTuple(vm, 3);
    vm.tpop(1);
    vm.H[(impl >> 2) + TUP_ITEMS] = qw(Q.espy);
    vm.H[(impl >> 2) + TUP_ITEMS + 1] = ver;
    vm.H[(impl >> 2) + TUP_ITEMS + 2] = smi(0);
    set(qw(Q.implementation), impl);
    const vi = newTuple(vm, 3);
    vm.H[(vi >> 2) + TUP_ITEMS] = smi(3);
    vm.H[(vi >> 2) + TUP_ITEMS + 1] = smi(4);
    vm.H[(vi >> 2) + TUP_ITEMS + 2] = smi(0);
    set(qw(Q.version_info), vi);
    set(qw(Q.version), str(vm, "3.4.0; espy " + ESPY_VERSION));
    set(qw(Q.platform), str(vm, vm.opts.platform));
    set(qw(Q.maxsize), intFromNumber(vm, 2147483647));
    set(qw(Q.stdout), stream(vm, 1));
    set(qw(Q.stderr), stream(vm, 2));
    set(qw(Q.stdin), stream(vm, 0));
  },
});


export { NULL, TRUE, FALSE, jstr };
