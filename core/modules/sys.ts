// The sys module: argv, path, modules, exit, version and implementation, stdout/stderr, exc_info,
// print_exception and the recursion limit.
import { K, NULL, TRUE, FALSE, smi, imm, LY } from "../vm/layout";
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
import { IMAGE_VERSION } from "../image";
import { defineAttrs, NF_METHOD } from "../vm/registry";
import { reprJs } from "../obj/repr";
import { writeTo } from "./builtins";

/** Version of the runtime, also reported to the flasher. */
export const ESPY_VERSION = "0.1.0";

/** The sys.stdout/sys.stderr objects: NATIVE_OBJ of type TextIOWrapper with the fd in slot 2. */
function stream(vm: Vm, fd: number): number {
  const p = vm.alloc(K.NATIVE_OBJ, 4);
  vm.H[p + 1] = imm(T.TEXTIO);
  vm.H[p + 2] = smi(fd);
  vm.H[p + 3] = LY.NONE;
  return p << 2;
}

/** A tuple whose items are also attributes (MicroPython's attrtuple): NATIVE_OBJ [type, names, values]. */
export function attrtuple(vm: Vm, names: number[], vals: number[]): number {
  const nt = newTuple(vm, names.length);
  for (let i = 0; i < names.length; i++) vm.H[(nt >> 2) + LY.TUP_ITEMS + i] = qw(names[i]);
  vm.tpush(nt);
  const vt = newTuple(vm, vals.length);
  for (let i = 0; i < vals.length; i++) vm.H[(vt >> 2) + LY.TUP_ITEMS + i] = vals[i];
  vm.tpush(vt);
  const p = vm.alloc(K.NATIVE_OBJ, 4);
  vm.tpop(2);
  vm.H[p + 1] = imm(T.ATTRTUPLE);
  vm.H[p + 2] = nt;
  vm.H[p + 3] = vt;
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
        vm.H[(t >> 2) + LY.TUP_ITEMS] = e === LY.NONE ? LY.NONE : typeOf(vm, e);
        vm.H[(t >> 2) + LY.TUP_ITEMS + 1] = e;
        vm.H[(t >> 2) + LY.TUP_ITEMS + 2] = e === LY.NONE ? LY.NONE : vm.H[(e >> 2) + 4] || LY.NONE;
        return t;
      }),
      Q.getrecursionlimit, native(Q.getrecursionlimit, 0, 0, 0, function (vm) { return smi(vm.recursionLimit); }),
      Q.setrecursionlimit, native(Q.setrecursionlimit, 1, 1, 0, function (vm, a) {
        const n = toIndex(vm, vm.H[a], "limit");
        if (n < 1) throw raise(vm, T.VALUE_ERROR, "recursion limit must be greater or equal than 1");
        vm.recursionLimit = n;
        return LY.NONE;
      }),
      Q.print_exception, native(Q.print_exception, 1, 2, 0, function (vm, a, n) {
        writeTo(vm, n > 1 ? vm.H[a + 1] : LY.NONE, formatException(vm, vm.H[a]));
        return LY.NONE;
      }),
      Q.byteorder, qw(Q.little),
    ];
  },
  init: function (vm: Vm, mod: number): void {
    const d = vm.H[(mod >> 2) + LY.M_DICT];
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
    // sys.implementation: name 'micropython' because espy follows MicroPython's semantics and libraries test for
    // it; _espy tells the two apart
    const ver = newTuple(vm, 3);
    vm.H[(ver >> 2) + LY.TUP_ITEMS] = smi(1);
    vm.H[(ver >> 2) + LY.TUP_ITEMS + 1] = smi(27);
    vm.H[(ver >> 2) + LY.TUP_ITEMS + 2] = smi(0);
    vm.tpush(ver);
    const espyVer = newTuple(vm, 3);
    vm.H[(espyVer >> 2) + LY.TUP_ITEMS] = smi(0);
    vm.H[(espyVer >> 2) + LY.TUP_ITEMS + 1] = smi(1);
    vm.H[(espyVer >> 2) + LY.TUP_ITEMS + 2] = smi(0);
    vm.tpush(espyVer);
    const names = [Q.name, Q.version, Q._machine, Q._mpy, Q._build, Q._espy];
    const vals = [qw(Q.micropython), ver, str(vm, "espy on " + vm.opts.platform), smi(IMAGE_VERSION), qw(Q.espy), espyVer];
    set(qw(Q.implementation), attrtuple(vm, names, vals));
    vm.tpop(2);
    const vi = newTuple(vm, 3);
    vm.H[(vi >> 2) + LY.TUP_ITEMS] = smi(3);
    vm.H[(vi >> 2) + LY.TUP_ITEMS + 1] = smi(4);
    vm.H[(vi >> 2) + LY.TUP_ITEMS + 2] = smi(0);
    set(qw(Q.version_info), vi);
    set(qw(Q.version), str(vm, "3.4.0; espy " + ESPY_VERSION));
    set(qw(Q.platform), str(vm, vm.opts.platform));
    // index-sized integers are espy's 31-bit small ints (lists, ranges and indices stay within them)
    set(qw(Q.maxsize), intFromNumber(vm, 1073741823));
    set(qw(Q.stdout), stream(vm, 1));
    set(qw(Q.stderr), stream(vm, 2));
    set(qw(Q.stdin), stream(vm, 0));
  },
});


export { NULL, TRUE, FALSE, jstr };

export function initSys(): void {
  defineAttrs(T.ATTRTUPLE, [
    Q.__getattr__, native(Q.__getattr__, 2, 2, NF_METHOD, function (vm, a) {
      const H = vm.H;
      const p = H[a] >> 2;
      const names = H[p + 2];
      const n = H[(names >> 2) + 1] >> 1;
      for (let i = 0; i < n; i++) if (H[(names >> 2) + LY.TUP_ITEMS + i] === H[a + 1]) return H[(H[p + 3] >> 2) + LY.TUP_ITEMS + i];
      throw raise(vm, T.ATTRIBUTE_ERROR, "'attrtuple' object has no attribute '" + jstr(vm, H[a + 1]) + "'");
    }),
    Q.__repr__, native(Q.__repr__, 1, 1, NF_METHOD, function (vm, a) {
      const H = vm.H;
      const p = H[a] >> 2;
      const names = H[p + 2];
      const vals = H[p + 3];
      const n = H[(names >> 2) + 1] >> 1;
      let s = "(";
      for (let i = 0; i < n; i++) s += (i ? ", " : "") + jstr(vm, H[(names >> 2) + LY.TUP_ITEMS + i]) + "=" + reprJs(vm, H[(vals >> 2) + LY.TUP_ITEMS + i]);
      return str(vm, s + ")");
    }),
    Q.__getitem__, native(Q.__getitem__, 2, 2, NF_METHOD, function (vm, a) {
      const H = vm.H;
      const vals = H[(H[a] >> 2) + 3];
      const n = H[(vals >> 2) + 1] >> 1;
      let i = toIndex(vm, H[a + 1], "tuple");
      if (i < 0) i += n;
      if (i < 0 || i >= n) throw raise(vm, T.INDEX_ERROR, "tuple index out of range");
      return H[(vals >> 2) + LY.TUP_ITEMS + i];
    }),
    Q.__len__, native(Q.__len__, 1, 1, NF_METHOD, function (vm, a) { return vm.H[(vm.H[(vm.H[a] >> 2) + 3] >> 2) + 1]; }),
  ]);
}
