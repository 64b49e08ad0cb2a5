// Methods and attributes of the remaining builtin types: generators (send, throw, close), exceptions (__init__,
// with_traceback, value/code/errno), functions and bound methods (__name__, __self__…), cells and tracebacks.
import { K, FALSE, smi, imm, LY } from "../vm/layout";
import { CF } from "../code";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise, raiseObj, PY_EXC, newExc } from "../vm/exc";
import { native, defineAttrs, NF_KW, NF_METHOD } from "../vm/registry";
import { NF_PROP } from "../vm/attr";
import { resumeGen, genStep, genThrow, GM_PUSH, makeExcInstance, genDelegate, genFinishDelegation } from "../vm/interp";
import { FRAME_PUSHED } from "../vm/call";
import { kindOf, lookupSpecial, typeNameJs as typeNameOf } from "../vm/ops";
import { defineCtor } from "./class";
import { callSelf } from "../vm/call";
import { typeOf, isSubtype, isType } from "./type";
import { tupleFromStack, newTuple } from "./seq";
import { funcQualname } from "./repr";
import { str, qw } from "./str";
import { dictGetStr } from "./dict";
import { excArg0 } from "../vm/exc";
import { lineOf } from "../vm/run";

/** gen.send(v) / gen.__next__(): resumed in place when the loop called us directly, else run nested. */
function genSend(vm: Vm, g: number, v: number): number {
  if (vm.direct) {
    vm.direct = false;
    return resumeGen(vm, g, v, GM_PUSH);
  }
  if (vm.H[(g >> 2) + LY.G_FRAME] === LY.NULL) throw raise(vm, T.STOP_ITERATION, null);
  const r = genStep(vm, g, v);
  if (vm.genDone) {
    if (r === LY.NONE) throw raise(vm, T.STOP_ITERATION, null);
    throw raiseWithValue(vm, r);
  }
  return r;
}

function raiseWithValue(vm: Vm, v: number): unknown {
  const t = newTuple(vm, 1);
  vm.H[(t >> 2) + LY.TUP_ITEMS] = v;
  return raiseObj(vm, newExc(vm, imm(T.STOP_ITERATION), t));
}

export function genNextNative(vm: Vm, g: number): number {
  return genSend(vm, g, LY.NONE);
}

/** An exception instance from throw()'s arguments: (exc), (type), (type, value), (type, value, tb). */
function excFromThrowArgs(vm: Vm, typ: number, val: number): number {
  if (val !== LY.NULL && val !== LY.NONE && isType(vm, typ)) {
    if (kindOf(vm, val) === K.EXC && isSubtype(vm, typeOf(vm, val), typ)) return val;
    const args = kindOf(vm, val) === K.TUPLE ? val : newTuple1(vm, val);
    vm.tpush(args);
    const e = makeExcInstance(vm, typ);
    vm.H[(e >> 2) + LY.E_ARGS] = args;
    vm.tpop(1);
    return e;
  }
  return makeExcInstance(vm, typ);
}

function newTuple1(vm: Vm, v: number): number {
  const t = newTuple(vm, 1);
  vm.H[(t >> 2) + LY.TUP_ITEMS] = v;
  return t;
}

function isGeneratorExit(vm: Vm, typ: number): boolean {
  const t = isType(vm, typ) ? typ : typeOf(vm, typ);
  return isSubtype(vm, t, imm(T.GENERATOR_EXIT));
}

/** The result of a generator step (genStep/genThrow): its yielded value, or StopIteration carrying its return. */
function stepResult(vm: Vm, r: number): number {
  if (vm.genDone) {
    if (r === LY.NONE) throw raise(vm, T.STOP_ITERATION, null);
    throw raiseWithValue(vm, r);
  }
  return r;
}

/**
 * gen.throw(typ[, val]). A generator delegating with `yield from` passes the exception to its delegate first
 * (PEP 380): what the delegate yields, g yields; if it returns, g resumes with that value; if it raises, g gets it.
 */
export function genThrowArgs(vm: Vm, g: number, typ: number, val: number): number {
  const H = vm.H;
  const d = genDelegate(vm, g);
  if (d !== LY.NULL) {
    vm.tpush(d);
    try {
      if (isGeneratorExit(vm, typ)) closeIter(vm, d);
      else {
        let m = LY.NULL;
        if (kindOf(vm, d) !== K.GEN) m = lookupSpecial(vm, d, qw(Q.throw));
        if (kindOf(vm, d) === K.GEN || m !== LY.NULL) {
          let v: number;
          try {
            v = kindOf(vm, d) === K.GEN ? genThrowArgs(vm, d, typ, val) : val === LY.NULL ? callSelf(vm, m, d, 1, typ, LY.NONE) : callSelf(vm, m, d, 2, typ, val);
          } catch (e) {
            if (e === PY_EXC && isSubtype(vm, typeOf(vm, vm.excValue), imm(T.STOP_ITERATION))) {
              const r = excArg0(vm, vm.excValue);
              vm.excValue = LY.NULL;
              return stepResult(vm, genFinishDelegation(vm, g, r));
            }
            if (e !== PY_EXC) throw e;
            // the delegate raised something else: g gets that exception at its yield from
            const ex = vm.excValue;
            vm.excValue = LY.NULL;
            vm.tpush(ex);
            try {
              return stepResult(vm, genThrow(vm, g, ex));
            } finally {
              vm.tpop(1);
            }
          }
          return v;
        }
      }
    } finally {
      vm.tpop(1);
    }
  }
  const e = excFromThrowArgs(vm, typ, val);
  vm.tpush(e);
  try {
    return stepResult(vm, genThrow(vm, g, e));
  } finally {
    vm.tpop(1);
  }
  void H;
}

function genThrowM(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  return genThrowArgs(vm, H[a], H[a + 1], n > 2 ? H[a + 2] : LY.NULL);
}

/** Close any iterator: a generator's close, or the object's close() if it has one. */
function closeIter(vm: Vm, it: number): void {
  if (kindOf(vm, it) === K.GEN) {
    genCloseObj(vm, it);
    return;
  }
  const m = lookupSpecial(vm, it, qw(Q.close));
  if (m !== LY.NULL) callSelf(vm, m, it, 0, LY.NONE, LY.NONE);
}

function genCloseObj(vm: Vm, g: number): void {
  const H = vm.H;
  const gp = g >> 2;
  if (H[gp + LY.G_FRAME] === LY.NULL) return;
  if (!((H[gp + LY.G_FLAGS] >> 1) & LY.GF_STARTED)) {
    H[gp + LY.G_FRAME] = LY.NULL;
    return;
  }
  const d = genDelegate(vm, g);
  if (d !== LY.NULL) {
    vm.tpush(d);
    try {
      closeIter(vm, d);
    } finally {
      vm.tpop(1);
    }
  }
  const exit = newExc(vm, imm(T.GENERATOR_EXIT), newTuple(vm, 0));
  vm.tpush(exit);
  try {
    genThrow(vm, g, exit);
    if (!vm.genDone) throw raise(vm, T.RUNTIME_ERROR, "generator ignored GeneratorExit");
  } catch (e) {
    if (e === PY_EXC) {
      const t = typeOf(vm, vm.excValue);
      if (isSubtype(vm, t, imm(T.GENERATOR_EXIT)) || isSubtype(vm, t, imm(T.STOP_ITERATION))) {
        vm.excValue = LY.NULL;
        return;
      }
    }
    throw e;
  } finally {
    vm.tpop(1);
  }
}

function genClose(vm: Vm, a: number): number {
  genCloseObj(vm, vm.H[a]);
  return LY.NONE;
}

function codeName(vm: Vm, f: number): number {
  const H = vm.H;
  const co = H[(f >> 2) + LY.FN_CODE] >> 2;
  const li = vm.images[H[co + LY.CODE_IMG] >> 1];
  return H[(li.names >> 2) + LY.TUP_ITEMS + li.img.codes[(H[co + LY.CODE_IDX] >> 1) * CF.CODE_FIELDS + CF.C_NAME]];
}

/** FunctionType(code, globals[, name, argdefs, closure]) */
function functionCtor(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  const code = H[a];
  if (kindOf(vm, code) !== K.CODE) throw raise(vm, T.TYPE_ERROR, "function() argument 'code' must be code, not " + typeNameOf(vm, code));
  if (kindOf(vm, H[a + 1]) !== K.DICT) throw raise(vm, T.TYPE_ERROR, "function() argument 'globals' must be dict, not " + typeNameOf(vm, H[a + 1]));
  const f = vm.alloc(K.FUNC, LY.FN_SIZE);
  H[f + LY.FN_CODE] = code;
  H[f + LY.FN_GLOBALS] = H[a + 1];
  if (n > 3 && H[a + 3] !== LY.NONE) H[f + LY.FN_DEFAULTS] = H[a + 3];
  if (n > 4 && H[a + 4] !== LY.NONE) H[f + LY.FN_CLOSURE] = H[a + 4];
  return f << 2;
}

export function initMisc(): void {
  defineCtor(T.FUNCTION, native(Q.function, 2, 5, 0, functionCtor));
  const M = NF_METHOD;
  const gen = [
    Q.send, native(Q.send, 2, 2, M, function (vm, a) { return genSend(vm, vm.H[a], vm.H[a + 1]); }),
    Q.__next__, native(Q.__next__, 1, 1, M, function (vm, a) { return genSend(vm, vm.H[a], LY.NONE); }),
    Q.__iter__, native(Q.__iter__, 1, 1, M, function (vm, a) { return vm.H[a]; }),
    Q.throw, native(Q.throw, 2, 4, M, genThrowM),
    Q.close, native(Q.close, 1, 1, M, genClose),
    Q.__name__, native(Q.__name__, 1, 1, NF_PROP, function (vm, a) { return vm.H[(vm.H[a] >> 2) + LY.G_NAME]; }),
    Q.gi_running, native(Q.gi_running, 1, 1, NF_PROP, function (vm, a) { return (vm.H[(vm.H[a] >> 2) + LY.G_FLAGS] >> 1) & LY.GF_RUNNING ? LY.TRUE : LY.FALSE; }),
  ];
  defineAttrs(T.GENERATOR, gen);
  defineAttrs(T.COROUTINE, gen);

  defineAttrs(T.BASE_EXCEPTION, [
    Q.__init__, native(Q.__init__, 1, -1, M, function (vm, a, n) {
      vm.H[(vm.H[a] >> 2) + LY.E_ARGS] = tupleFromStack(vm, a + 1, n - 1);
      return LY.NONE;
    }),
    Q.with_traceback, native(Q.with_traceback, 2, 2, M, function (vm, a) {
      vm.H[(vm.H[a] >> 2) + LY.E_TB] = vm.H[a + 1] === LY.NONE ? LY.NULL : vm.H[a + 1];
      return vm.H[a];
    }),
  ]);
  const arg0 = native(Q.value, 1, 1, NF_PROP, function (vm, a) { return excArg0(vm, vm.H[a]); });
  defineAttrs(T.STOP_ITERATION, [Q.value, arg0]);
  defineAttrs(T.SYSTEM_EXIT, [Q.code, native(Q.code, 1, 1, NF_PROP, function (vm, a) { return excArg0(vm, vm.H[a]); })]);
  defineAttrs(T.OS_ERROR, [Q.errno, native(Q.errno, 1, 1, NF_PROP, function (vm, a) {
    const args = vm.H[(vm.H[a] >> 2) + LY.E_ARGS];
    return (vm.H[(args >> 2) + LY.SEQ_LEN] >> 1) >= 2 ? vm.H[(args >> 2) + LY.TUP_ITEMS] : LY.NONE;
  })]);

  defineAttrs(T.FUNCTION, [
    Q.__name__, native(Q.__name__, 1, 1, NF_PROP, function (vm, a) { return codeName(vm, vm.H[a]); }),
    Q.__qualname__, native(Q.__qualname__, 1, 1, NF_PROP, function (vm, a) { return str(vm, funcQualname(vm, vm.H[a])); }),
    Q.__module__, native(Q.__module__, 1, 1, NF_PROP, function (vm, a) {
      const g = vm.H[(vm.H[a] >> 2) + LY.FN_GLOBALS];
      const m = dictGetStr(vm, g, qw(Q.__name__));
      return m === LY.NULL ? LY.NONE : m;
    }),
    Q.__globals__, native(Q.__globals__, 1, 1, NF_PROP, function (vm, a) { return vm.H[(vm.H[a] >> 2) + LY.FN_GLOBALS]; }),
    Q.__defaults__, native(Q.__defaults__, 1, 1, NF_PROP, function (vm, a) { return vm.H[(vm.H[a] >> 2) + LY.FN_DEFAULTS] || LY.NONE; }),
    Q.__kwdefaults__, native(Q.__kwdefaults__, 1, 1, NF_PROP, function (vm, a) { return vm.H[(vm.H[a] >> 2) + LY.FN_KWDEFAULTS] || LY.NONE; }),
    Q.__closure__, native(Q.__closure__, 1, 1, NF_PROP, function (vm, a) { return vm.H[(vm.H[a] >> 2) + LY.FN_CLOSURE] || LY.NONE; }),
    Q.__code__, native(Q.__code__, 1, 1, NF_PROP, function (vm, a) { return vm.H[(vm.H[a] >> 2) + LY.FN_CODE]; }),
    Q.__doc__, native(Q.__doc__, 1, 1, NF_PROP, function () { return LY.NONE; }),
    Q.__get__, native(Q.__get__, 2, 3, M, function (vm, a) {
      if (vm.H[a + 1] === LY.NONE) return vm.H[a];
      const p = vm.alloc(K.BOUND, 3);
      vm.H[p + LY.B_FUNC] = vm.H[a];
      vm.H[p + LY.B_SELF] = vm.H[a + 1];
      return p << 2;
    }),
  ]);
  defineAttrs(T.METHOD, [
    Q.__self__, native(Q.__self__, 1, 1, NF_PROP, function (vm, a) { return vm.H[(vm.H[a] >> 2) + LY.B_SELF]; }),
    Q.__func__, native(Q.__func__, 1, 1, NF_PROP, function (vm, a) { return vm.H[(vm.H[a] >> 2) + LY.B_FUNC]; }),
    Q.__name__, native(Q.__name__, 1, 1, NF_PROP, function (vm, a) {
      const f = vm.H[(vm.H[a] >> 2) + LY.B_FUNC];
      return kindOf(vm, f) === K.FUNC ? codeName(vm, f) : LY.NONE;
    }),
  ]);
  defineAttrs(T.CELL, [Q.cell_contents, native(Q.cell_contents, 1, 1, NF_PROP, function (vm, a) {
    const v = vm.H[(vm.H[a] >> 2) + 1];
    if (v === LY.NULL) throw raise(vm, T.VALUE_ERROR, "Cell is empty");
    return v;
  })]);
  defineAttrs(T.TRACEBACK, [
    Q.tb_next, native(Q.tb_next, 1, 1, NF_PROP, function (vm, a) { return vm.H[(vm.H[a] >> 2) + LY.TB_NEXT] || LY.NONE; }),
    Q.tb_lineno, native(Q.tb_lineno, 1, 1, NF_PROP, function (vm, a) {
      const H = vm.H;
      const tb = H[a] >> 2;
      const co = H[tb + LY.TB_CODE] >> 2;
      return smi(lineOf(vm, vm.images[H[co + LY.CODE_IMG] >> 1], H[co + LY.CODE_IDX] >> 1, H[tb + LY.TB_IP] >> 1));
    }),
  ]);
}

export { FRAME_PUSHED, raiseObj, FALSE, NF_KW };
