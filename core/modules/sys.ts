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
  attrs: function (vm: Vm): number[] {
    const impl = newTuple(vm, 3);
    vm.tpush(impl);
    vm.H[(impl >> 2) + TUP_ITEMS] = qw(Q.espy);
    const ver = newTuple(vm, 3);
    vm.H[(ver >> 2) + TUP_ITEMS] = smi(0);
    vm.H[(ver >> 2) + TUP_ITEMS + 1] = smi(1);
    vm.H[(ver >> 2) + TUP_ITEMS + 2] = smi(0);
    vm.H[(impl >> 2) + TUP_ITEMS + 1] = ver;
    vm.H[(impl >> 2) + TUP_ITEMS + 2] = smi(0);
    vm.tpop(1);
    vm.extraRoots[ROOT_SYS_IMPL] = impl;
    const vi = newTuple(vm, 3);
    vm.H[(vi >> 2) + TUP_ITEMS] = smi(3);
    vm.H[(vi >> 2) + TUP_ITEMS + 1] = smi(4);
    vm.H[(vi >> 2) + TUP_ITEMS + 2] = smi(0);
    vm.extraRoots[ROOT_SYS_VI] = vi;
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
      Q.version, str(vm, "3.4.0; espy " + ESPY_VERSION),
      Q.version_info, vi,
      Q.implementation, impl,
      Q.platform, str(vm, vm.opts.platform),
      Q.byteorder, qw(Q.little),
      Q.maxsize, intFromNumber(vm, 2147483647),
      Q.stdout, stream(vm, 1),
      Q.stderr, stream(vm, 2),
      Q.stdin, stream(vm, 0),
    ];
  },
  init: function (vm: Vm, mod: number): void {
    const d = vm.H[(mod >> 2) + M_DICT];
    const argv = newList(vm, 0, vm.opts.argv.length);
    vm.tpush(argv);
    for (let i = 0; i < vm.opts.argv.length; i++) listAppend(vm, argv, str(vm, vm.opts.argv[i]));
    dictSet(vm, d, qw(Q.argv), argv);
    vm.tpop(1);
    const path = newList(vm, 0, vm.opts.path.length);
    vm.tpush(path);
    for (let i = 0; i < vm.opts.path.length; i++) listAppend(vm, path, str(vm, vm.opts.path[i]));
    dictSet(vm, d, qw(Q.path), path);
    vm.tpop(1);
    dictSet(vm, d, qw(Q.modules), vm.modules);
  },
});

export const ROOT_SYS_IMPL = 2;
export const ROOT_SYS_VI = 3;

export { NULL, TRUE, FALSE, jstr };
