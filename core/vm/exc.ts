// Raising Python exceptions from native code. `throw raise(vm, T.TYPE_ERROR, "msg")` stores the new exception in
// vm.excValue and throws one shared sentinel, which the dispatch loop catches and unwinds. MemoryError is
// preallocated so that raising it never needs memory.
import { K, imm, LY } from "./layout";
import type { Vm } from "./vm";
import { T } from "./types";
import { str } from "../obj/str";
import { newTuple, tuple1 } from "../obj/seq";

/** The one JS value thrown for a Python exception (its object is in vm.excValue). */
export const PY_EXC = { pyException: true };

/** Slot in vm.extraRoots of the preallocated MemoryError. */
export const ROOT_MEMERR = 0;

/** A new exception instance of `type` (a type word) with the given args tuple. */
export function newExc(vm: Vm, type: number, args: number): number {
  vm.tpush(args);
  const p = vm.alloc(K.EXC, LY.E_SIZE);
  vm.tpop(1);
  const H = vm.H;
  H[p + LY.E_TYPE] = type;
  H[p + LY.E_ARGS] = args;
  H[p + LY.E_CAUSE] = LY.NONE;
  H[p + LY.E_CONTEXT] = LY.NONE;
  H[p + LY.E_FLAGS] = 1;
  return p << 2;
}

/** A new exception with a message (a JS byte string), or no arguments when msg is null. */
export function newExcMsg(vm: Vm, type: number, msg: string | null): number {
  let args: number;
  if (msg === null) args = newTuple(vm, 0);
  else args = tuple1(vm, str(vm, msg));
  return newExc(vm, type, args);
}

/** Raise a new exception of builtin type t: `throw raise(vm, T.VALUE_ERROR, "…")`. */
export function raise(vm: Vm, t: number, msg: string | null): unknown {
  vm.excValue = newExcMsg(vm, imm(t), msg);
  return PY_EXC;
}

/** Raise an existing exception object. */
export function raiseObj(vm: Vm, e: number): unknown {
  vm.excValue = e;
  return PY_EXC;
}

/** Raise an exception of builtin type t whose single argument is the value v (KeyError(key), StopIteration(v)). */
export function raiseWith(vm: Vm, t: number, v: number): unknown {
  vm.excValue = newExc(vm, imm(t), tuple1(vm, v));
  return PY_EXC;
}

export function memoryError(vm: Vm): unknown {
  const e = vm.extraRoots[ROOT_MEMERR];
  const H = vm.H;
  H[(e >> 2) + LY.E_TB] = LY.NULL;
  H[(e >> 2) + LY.E_CONTEXT] = LY.NONE;
  vm.excValue = e;
  return PY_EXC;
}

/** Called once at start-up: preallocates MemoryError and routes heap exhaustion to it. */
export function initExceptions(vm: Vm): void {
  const args = newTuple(vm, 0);
  vm.extraRoots[ROOT_MEMERR] = newExc(vm, imm(T.MEMORY_ERROR), args);
  vm.outOfMemory = function () {
    throw memoryError(vm);
  };
}

/** The first argument of an exception, or None (StopIteration.value, SystemExit.code). */
export function excArg0(vm: Vm, e: number): number {
  const H = vm.H;
  const args = H[(e >> 2) + LY.E_ARGS];
  if ((H[(args >> 2) + 1] >> 1) === 0) return LY.NONE;
  return H[(args >> 2) + LY.TUP_ITEMS];
}
