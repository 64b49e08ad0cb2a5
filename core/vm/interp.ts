// The dispatch loop. One JS function runs every Python frame: a call pushes a frame on the VM's heap and carries on
// in the same loop, a return pops it, so Python recursion never recurses in JS. The loop keeps the running frame's
// state in locals (f, code, ip, sp, L) and writes sp back to the frame before anything that may allocate, so the
// collector sees every live value. It returns when the frame that started a nested run returns (its value), when
// the slice's budget runs out or a native asks to suspend (SUSPENDED), or it throws PY_EXC out of such a frame.
import { Op } from "../generated/op";
import { CF } from "../code";
import { K, IT, imm, smi, hdr, LY } from "./layout";
import type { Vm } from "./vm";
import { T } from "./types";
import { PY_EXC, raise, raiseObj, raiseWith, newExc, excArg0 } from "./exc";
import { invoke, FRAME_PUSHED, popFrame, call0, call2, call3 } from "./call";
import {
  binaryOp, richCompare, unaryOp, truthy, kindOf, eq, typeNameJs,
} from "./ops";
import { getAttr, setAttr, delAttr, loadMethod, methodSelf } from "./attr";
import { getItem, setItem, delItem, contains, getIter, iterNext, unpackSequence, unpackEx } from "../obj/items";
import { newTuple, tupleFromStack, listFromStack, listAppend, newList } from "../obj/seq";
import { newDict, dictSet, dictGetStr, tableDelete, newTable, tableCopy, tableFind } from "../obj/dict";
import { typeOf, isSubtype, isExcType, isType, lookupType } from "../obj/type";
import { jstr, qw, Q, strHash } from "../obj/str";
import { intAdd, newFloat } from "../obj/num";
import { loadConst, makeFunction, buildSlice, buildString, formatValue, listExtend, setUpdate, dictUpdate,
  dictMerge, importName, importFrom, importStar, printExpr, setAdd, buildClassFn, bindMethod, asyncOp } from "./support";
import { builtinLookup } from "../modules/builtins";
import { runScheduled } from "../modules/micropython";

/** Returned by execute() when the slice ended early (budget spent or a native suspended). Never a valid value. */
export const SUSPENDED = 8;

// Generator resume modes, stored in a generator frame's F_FLAGS above the FF_* bits.
export const GM_SHIFT = 5;
export const GM_PUSH = 0; // resumed by next()/send() called from Python: push what it yields; StopIteration on return
export const GM_FORITER = 1; // resumed by FOR_ITER: push what it yields; end the loop on return
export const GM_YIELDFROM = 2; // resumed by YIELD_FROM in another generator: that one yields it in turn
export const GM_EXIT = 3; // resumed from native code: execute() returns what it yields (vm.genDone tells returns)

let vxEnd = 0;
/** Decode the rest of a multi-byte varint whose first byte b (>= 128) was at ip - 1. */
function varintRest(code: Uint8Array, ip: number, b: number): number {
  let v = b & 127;
  let s = 128;
  let c: number;
  do {
    c = code[ip++];
    v += (c & 127) * s;
    s *= 128;
  } while (c & 128);
  vxEnd = ip;
  return v;
}

// The host's compiled tier (core/vm/tier.ts), if installed: runs vm.frame from its ip on; 0 means go on with
// vm.frame, 1 end the slice, 3 return tierExit (the frame that started this run of execute() returned it).
let TIER: ((vm: Vm) => number) | null = null;
export function setTier(t: ((vm: Vm) => number) | null): void {
  TIER = t;
}
let tierExit = LY.NONE;
/** The tier's frame that started a nested run returned v (the tier then answers 3). */
export function setTierExit(v: number): void {
  tierExit = v;
}

export function execute(vm: Vm): number {
  const H = vm.H;
  let f = vm.frame;
  let co = H[f + LY.F_CODE] >> 2;
  let li = vm.images[H[co + LY.CODE_IMG] >> 1];
  let code = li.img.bytes;
  let cb = li.img.codes[(H[co + LY.CODE_IDX] >> 1) * CF.CODE_FIELDS + CF.C_CODE];
  let names = (li.names >> 2) + LY.TUP_ITEMS;
  let consts = (li.consts >> 2) + 1;
  let ip = H[f + LY.F_IP] >> 1;
  let sp = H[f + LY.F_SP] >> 1;
  let L = f + LY.F_SLOTS;
  // temp roots pushed by natives this loop called are dead once an exception reaches the loop
  const tn0 = vm.tn;
  let a = 0;
  let w = 0;
  let x = 0;
  let y = 0;
  // offer the frame to the host's tier on entry and after an exception is caught (a handler's start is a label)
  let enter = TIER !== null && !tierTried;
  tierTried = false;
  let reload = false;

  for (;;) {
    try {
      if (vm.pendingThrow) {
        vm.pendingThrow = false;
        throw PY_EXC;
      }
      if (enter && TIER !== null) {
        enter = false;
        f = 0;
        a = tierFrom(vm, tn0);
        if (a !== 0) return tierAnswer(a, true);
        reload = true;
      }
      if (reload) {
        // a frame the tier or the unwinder left running: its state from the frame
        reload = false;
        f = vm.frame;
        co = H[f + LY.F_CODE] >> 2;
        li = vm.images[H[co + LY.CODE_IMG] >> 1];
        code = li.img.bytes;
        cb = li.img.codes[(H[co + LY.CODE_IDX] >> 1) * CF.CODE_FIELDS + CF.C_CODE];
        names = (li.names >> 2) + LY.TUP_ITEMS;
        consts = (li.consts >> 2) + 1;
        ip = H[f + LY.F_IP] >> 1;
        sp = H[f + LY.F_SP] >> 1;
        L = f + LY.F_SLOTS;
      }
      for (;;) {
        const op = code[ip++];
        switch (op) {
          case Op.NOP:
            break;
          case Op.POP_TOP:
            sp--;
            break;
          case Op.ROT_TWO:
            w = H[sp];
            H[sp] = H[sp - 1];
            H[sp - 1] = w;
            break;
          case Op.ROT_THREE:
            w = H[sp];
            H[sp] = H[sp - 1];
            H[sp - 1] = H[sp - 2];
            H[sp - 2] = w;
            break;
          case Op.ROT_FOUR:
            w = H[sp];
            H[sp] = H[sp - 1];
            H[sp - 1] = H[sp - 2];
            H[sp - 2] = H[sp - 3];
            H[sp - 3] = w;
            break;
          case Op.DUP_TOP:
            H[sp + 1] = H[sp];
            sp++;
            break;
          case Op.DUP_TOP_TWO:
            H[sp + 1] = H[sp - 1];
            H[sp + 2] = H[sp];
            sp += 2;
            break;

          case Op.LOAD_CONST:
            a = code[ip++];
            if (a > 127) {
              a = varintRest(code, ip, a);
              ip = vxEnd;
            }
            w = H[consts + a];
            if (w === LY.NULL) {
              H[f + LY.F_SP] = smi(sp);
              w = loadConst(vm, li, a);
            }
            H[++sp] = w;
            break;
          case Op.LOAD_INT:
            a = code[ip++];
            if (a > 127) {
              a = varintRest(code, ip, a);
              ip = vxEnd;
            }
            // zigzag: even = non-negative
            H[++sp] = a & 1 ? (-((a + 1) / 2) << 1) | 1 : ((a / 2) << 1) | 1;
            break;
          case Op.LOAD_NONE:
            H[++sp] = LY.NONE;
            break;
          case Op.LOAD_TRUE:
            H[++sp] = LY.TRUE;
            break;
          case Op.LOAD_FALSE:
            H[++sp] = LY.FALSE;
            break;

          case Op.LOAD_FAST:
            a = code[ip++];
            if (a > 127) {
              a = varintRest(code, ip, a);
              ip = vxEnd;
            }
            w = H[L + a];
            if (w === LY.NULL) throw unboundLocal(vm, f, li, a);
            H[++sp] = w;
            break;
          case Op.STORE_FAST:
            a = code[ip++];
            if (a > 127) {
              a = varintRest(code, ip, a);
              ip = vxEnd;
            }
            H[L + a] = H[sp--];
            break;
          case Op.LOAD_DEREF:
            a = code[ip++];
            if (a > 127) {
              a = varintRest(code, ip, a);
              ip = vxEnd;
            }
            w = H[(H[L + a] >> 2) + 1];
            if (w === LY.NULL) {
              H[f + LY.F_SP] = smi(sp);
              throw unboundDeref(vm, f, li, a);
            }
            H[++sp] = w;
            break;
          case Op.STORE_DEREF:
            a = code[ip++];
            if (a > 127) {
              a = varintRest(code, ip, a);
              ip = vxEnd;
            }
            H[(H[L + a] >> 2) + 1] = H[sp--];
            break;
          case Op.LOAD_CLOSURE:
            a = code[ip++];
            if (a > 127) {
              a = varintRest(code, ip, a);
              ip = vxEnd;
            }
            H[++sp] = H[L + a];
            break;
          case Op.LOAD_NAME:
            a = code[ip++];
            if (a > 127) {
              a = varintRest(code, ip, a);
              ip = vxEnd;
            }
            H[f + LY.F_SP] = smi(sp);
            x = H[names + a];
            w = dictGetStr(vm, H[f + LY.F_LOCALS], x);
            if (w === LY.NULL) {
              if (H[f + LY.F_LOCALS] !== H[f + LY.F_GLOBALS]) w = dictGetStr(vm, H[f + LY.F_GLOBALS], x);
              if (w === LY.NULL) {
                w = builtinLookup(vm, x);
                if (w === LY.NULL) throw raise(vm, T.NAME_ERROR, "name '" + jstr(vm, x) + "' is not defined");
              }
            }
            H[++sp] = w;
            break;
          case Op.STORE_NAME:
            a = code[ip++];
            if (a > 127) {
              a = varintRest(code, ip, a);
              ip = vxEnd;
            }
            H[f + LY.F_SP] = smi(sp);
            dictSet(vm, H[f + LY.F_LOCALS], H[names + a], H[sp]);
            sp--;
            break;
          case Op.LOAD_GLOBAL:
            a = code[ip++];
            if (a > 127) {
              a = varintRest(code, ip, a);
              ip = vxEnd;
            }
            x = H[names + a];
            y = H[f + LY.F_GLOBALS];
            if (GH !== null) {
              // the host's hint: where this name was last found in this dict, checked before use
              a = ((((y >> 2) * 40503) ^ (x >> 2)) & GH_MASK) * 3;
              if (GH[a] === y && GH[a + 1] === x) {
                const e = H[(y >> 2) + LY.D_ENT];
                const i = GH[a + 2];
                if (e !== LY.NULL && i < H[(y >> 2) + LY.D_NENT] >> 1 && H[(e >> 2) + 2 + 3 * i] === x) {
                  H[++sp] = H[(e >> 2) + 3 + 3 * i];
                  break;
                }
              }
            }
            H[f + LY.F_SP] = smi(sp);
            w = loadGlobal(vm, y, x);
            H[++sp] = w;
            break;
          case Op.LOAD_ATTR:
            a = code[ip++];
            if (a > 127) {
              a = varintRest(code, ip, a);
              ip = vxEnd;
            }
            H[f + LY.F_SP] = smi(sp);
            H[f + LY.F_IP] = smi(ip);
            H[sp] = getAttr(vm, H[sp], H[names + a]);
            break;
          case Op.STORE_ATTR:
            a = code[ip++];
            if (a > 127) {
              a = varintRest(code, ip, a);
              ip = vxEnd;
            }
            H[f + LY.F_SP] = smi(sp);
            H[f + LY.F_IP] = smi(ip);
            setAttr(vm, H[sp], H[names + a], H[sp - 1]);
            sp -= 2;
            break;
          case Op.LOAD_METHOD:
            a = code[ip++];
            if (a > 127) {
              a = varintRest(code, ip, a);
              ip = vxEnd;
            }
            H[f + LY.F_SP] = smi(sp);
            H[f + LY.F_IP] = smi(ip);
            w = H[sp];
            x = loadMethod(vm, w, H[names + a]);
            if (methodSelf) {
              H[sp] = x;
              H[++sp] = w;
            } else {
              H[sp] = LY.NULL;
              H[++sp] = x;
            }
            break;

          case Op.CALL_METHOD:
          case Op.CALL_FUNCTION:
          case Op.CALL_FUNCTION_KW:
          case Op.CALL_FUNCTION_EX: {
            a = code[ip++];
            if (a > 127) {
              a = varintRest(code, ip, a);
              ip = vxEnd;
            }
            let fn: number;
            let base: number;
            let argp: number;
            let nargs: number;
            let kw = LY.NULL;
            let kwd = LY.NULL;
            if (op === Op.CALL_FUNCTION) {
              base = sp - a;
              fn = H[base];
              argp = base + 1;
              nargs = a;
            } else if (op === Op.CALL_METHOD) {
              base = sp - a - 1;
              if (H[base] === LY.NULL) {
                fn = H[base + 1];
                argp = base + 2;
                nargs = a;
              } else {
                fn = H[base];
                argp = base + 1;
                nargs = a + 1;
              }
            } else if (op === Op.CALL_FUNCTION_KW) {
              // the names tuple stays on the stack (rooted) until the call is done
              kw = H[sp];
              base = sp - 1 - a;
              fn = H[base];
              argp = base + 1;
              nargs = a - (H[(kw >> 2) + LY.SEQ_LEN] >> 1);
            } else {
              // f args [kwargs]: all stay on the stack (rooted) while the arguments are copied and bound
              if (a & 1) kwd = H[sp];
              base = sp - 1 - (a & 1);
              fn = H[base];
              H[f + LY.F_SP] = smi(sp);
              // copy the argument tuple (or iterable) into a fresh tuple with a scratch slot in front
              x = callExArgs(vm, H[base + 1]);
              H[base + 1] = x;
              argp = (x >> 2) + LY.TUP_ITEMS + 1;
              nargs = (H[(x >> 2) + LY.SEQ_LEN] >> 1) - 1;
            }
            H[f + LY.F_SP] = smi(sp);
            H[f + LY.F_IP] = smi(ip);
            if (--vm.budget <= 0 || vm.interrupt) checkSlice(vm);
            vm.direct = true;
            w = invoke(vm, fn, argp, nargs, kw, kwd);
            if (w === FRAME_PUSHED) {
              H[f + LY.F_SP] = smi(base - 1);
              f = vm.frame;
              co = H[f + LY.F_CODE] >> 2;
              li = vm.images[H[co + LY.CODE_IMG] >> 1];
              code = li.img.bytes;
              cb = li.img.codes[(H[co + LY.CODE_IDX] >> 1) * CF.CODE_FIELDS + CF.C_CODE];
              names = (li.names >> 2) + LY.TUP_ITEMS;
              consts = (li.consts >> 2) + 1;
              ip = H[f + LY.F_IP] >> 1;
              sp = H[f + LY.F_SP] >> 1;
              L = f + LY.F_SLOTS;
              if (vm.suspended && vm.nesting === 0) {
                vm.suspended = false;
                return SUSPENDED;
              }
              if (TIER !== null) {
                // the host's compiled tier takes the frame from here (its ip and sp written) as far as it can
                f = 0;
                a = tierFrom(vm, tn0);
                if (a !== 0) return tierAnswer(a, true);
                f = vm.frame;
                co = H[f + LY.F_CODE] >> 2;
                li = vm.images[H[co + LY.CODE_IMG] >> 1];
                code = li.img.bytes;
                cb = li.img.codes[(H[co + LY.CODE_IDX] >> 1) * CF.CODE_FIELDS + CF.C_CODE];
                names = (li.names >> 2) + LY.TUP_ITEMS;
                consts = (li.consts >> 2) + 1;
                ip = H[f + LY.F_IP] >> 1;
                sp = H[f + LY.F_SP] >> 1;
                L = f + LY.F_SLOTS;
              }
              break;
            }
            sp = base;
            H[sp] = w;
            if (vm.suspended) {
              H[f + LY.F_SP] = smi(sp);
              H[f + LY.F_IP] = smi(ip);
              vm.suspended = false; // (left set, every later call would end its slice)
              if (vm.nesting === 0) return SUSPENDED;
            }
            break;
          }

          case Op.BINARY_OP:
            a = code[ip++];
            x = H[sp - 1];
            y = H[sp];
            if (x & y & 1) {
              // both small ints: the common cases without leaving the loop
              if (a === 0 || a === 16) {
                w = (x >> 1) + (y >> 1);
                if (w >= LY.SMALL_MIN && w <= LY.SMALL_MAX) {
                  H[--sp] = (w << 1) | 1;
                  break;
                }
              } else if (a === 1 || a === 17) {
                w = (x >> 1) - (y >> 1);
                if (w >= LY.SMALL_MIN && w <= LY.SMALL_MAX) {
                  H[--sp] = (w << 1) | 1;
                  break;
                }
              } else if (a === 2 || a === 18) {
                w = (x >> 1) * (y >> 1);
                if (w >= LY.SMALL_MIN && w <= LY.SMALL_MAX) {
                  H[--sp] = (w << 1) | 1;
                  break;
                }
              } else if ((a === 6 || a === 22) && y !== 1) {
                w = (x >> 1) % (y >> 1);
                if (w !== 0 && w < 0 !== y < 0) w += y >> 1;
                H[--sp] = (w << 1) | 1;
                break;
              } else if ((a === 5 || a === 21) && y !== 1 && x !== (LY.SMALL_MIN << 1 | 1)) {
                H[--sp] = (Math.floor((x >> 1) / (y >> 1)) << 1) | 1;
                break;
              } else if (a === 10 || a === 26) {
                H[--sp] = x & y;
                break;
              } else if (a === 11 || a === 27) {
                H[--sp] = x | y;
                break;
              } else if (a === 12 || a === 28) {
                H[--sp] = (x ^ y) | 1;
                break;
              } else if ((a === 4 || a === 20) && y !== 1) {
                H[f + LY.F_SP] = smi(sp);
                H[--sp] = newFloat(vm, (x >> 1) / (y >> 1));
                break;
              }
            } else if ((a & 15) <= 4 && (a & 15) !== 3) {
              // floats (or a float and a small int): + - * / without leaving the loop
              const fx = fnum(vm, H, x);
              const fy = fnum(vm, H, y);
              if (fx === fx && fy === fy && (a & 15) !== 4) {
                H[f + LY.F_SP] = smi(sp);
                H[--sp] = newFloat(vm, (a & 15) === 0 ? fx + fy : (a & 15) === 1 ? fx - fy : fx * fy);
                break;
              }
              if (fx === fx && fy === fy && fy !== 0) {
                H[f + LY.F_SP] = smi(sp);
                H[--sp] = newFloat(vm, fx / fy);
                break;
              }
            }
            H[f + LY.F_SP] = smi(sp);
            H[f + LY.F_IP] = smi(ip);
            w = binaryOp(vm, a, x, y);
            H[--sp] = w;
            break;
          case Op.UNARY_OP:
            a = code[ip++];
            H[f + LY.F_SP] = smi(sp);
            H[sp] = unaryOp(vm, a, H[sp]);
            break;
          case Op.COMPARE_OP:
            a = code[ip++];
            x = H[sp - 1];
            y = H[sp];
            if (x & y & 1) {
              switch (a) {
                case 0: w = x < y ? LY.TRUE : LY.FALSE; break;
                case 1: w = x <= y ? LY.TRUE : LY.FALSE; break;
                case 2: w = x === y ? LY.TRUE : LY.FALSE; break;
                case 3: w = x !== y ? LY.TRUE : LY.FALSE; break;
                case 4: w = x > y ? LY.TRUE : LY.FALSE; break;
                default: w = x >= y ? LY.TRUE : LY.FALSE;
              }
            } else {
              const fx = fnum(vm, H, x);
              const fy = fnum(vm, H, y);
              if (fx === fx && fy === fy) {
                switch (a) {
                  case 0: w = fx < fy ? LY.TRUE : LY.FALSE; break;
                  case 1: w = fx <= fy ? LY.TRUE : LY.FALSE; break;
                  case 2: w = fx === fy ? LY.TRUE : LY.FALSE; break;
                  case 3: w = fx !== fy ? LY.TRUE : LY.FALSE; break;
                  case 4: w = fx > fy ? LY.TRUE : LY.FALSE; break;
                  default: w = fx >= fy ? LY.TRUE : LY.FALSE;
                }
              } else {
                H[f + LY.F_SP] = smi(sp);
                H[f + LY.F_IP] = smi(ip);
                w = richCompare(vm, a, x, y);
              }
            }
            H[--sp] = w;
            break;
          case Op.IS_OP:
            a = code[ip++];
            w = H[sp - 1] === H[sp] ? 1 : 0;
            H[--sp] = w ^ a ? LY.TRUE : LY.FALSE;
            break;
          case Op.CONTAINS_OP:
            a = code[ip++];
            H[f + LY.F_SP] = smi(sp);
            H[f + LY.F_IP] = smi(ip);
            w = contains(vm, H[sp], H[sp - 1]) ? 1 : 0;
            H[--sp] = w ^ a ? LY.TRUE : LY.FALSE;
            break;
          case Op.BINARY_SUBSCR:
            x = H[sp - 1];
            y = H[sp];
            if (y & 1 && (x & 3) === 0 && x !== 0 && (H[x >> 2] & 127) === K.LIST) {
              // list[int]: the hot case
              a = y >> 1;
              w = H[(x >> 2) + LY.SEQ_LEN] >> 1;
              if (a < 0) a += w;
              if (a >= 0 && a < w) {
                H[--sp] = H[(H[(x >> 2) + LY.LIST_ARR] >> 2) + 1 + a];
                break;
              }
            }
            H[f + LY.F_SP] = smi(sp);
            H[f + LY.F_IP] = smi(ip);
            w = getItem(vm, x, y);
            H[--sp] = w;
            break;
          case Op.STORE_SUBSCR:
            x = H[sp - 1];
            y = H[sp];
            if (y & 1 && (x & 3) === 0 && x !== 0 && (H[x >> 2] & 127) === K.LIST) {
              a = y >> 1;
              w = H[(x >> 2) + LY.SEQ_LEN] >> 1;
              if (a < 0) a += w;
              if (a >= 0 && a < w) {
                H[(H[(x >> 2) + LY.LIST_ARR] >> 2) + 1 + a] = H[sp - 2];
                sp -= 3;
                break;
              }
            }
            H[f + LY.F_SP] = smi(sp);
            H[f + LY.F_IP] = smi(ip);
            setItem(vm, x, y, H[sp - 2]);
            sp -= 3;
            break;
          case Op.BUILD_TUPLE:
            a = code[ip++];
            if (a > 127) {
              a = varintRest(code, ip, a);
              ip = vxEnd;
            }
            H[f + LY.F_SP] = smi(sp);
            w = tupleFromStack(vm, sp - a + 1, a);
            sp -= a;
            H[++sp] = w;
            break;
          case Op.BUILD_LIST:
            a = code[ip++];
            if (a > 127) {
              a = varintRest(code, ip, a);
              ip = vxEnd;
            }
            H[f + LY.F_SP] = smi(sp);
            w = listFromStack(vm, sp - a + 1, a);
            sp -= a;
            H[++sp] = w;
            break;
          case Op.BUILD_MAP:
            a = code[ip++];
            if (a > 127) {
              a = varintRest(code, ip, a);
              ip = vxEnd;
            }
            H[f + LY.F_SP] = smi(sp);
            w = vm.tpush(newTable(vm, K.DICT, a));
            for (let i = sp - 2 * a + 1; i <= sp; i += 2) dictSet(vm, w, H[i], H[i + 1]);
            vm.tpop(1);
            sp -= 2 * a;
            H[++sp] = w;
            break;
          case Op.BUILD_SLICE:
            a = code[ip++];
            H[f + LY.F_SP] = smi(sp);
            w = buildSlice(vm, H[sp - a + 1], H[sp - a + 2], a === 3 ? H[sp] : LY.NONE);
            sp -= a;
            H[++sp] = w;
            break;
          case Op.BUILD_STRING:
            a = code[ip++];
            if (a > 127) {
              a = varintRest(code, ip, a);
              ip = vxEnd;
            }
            H[f + LY.F_SP] = smi(sp);
            w = buildString(vm, sp - a + 1, a);
            sp -= a;
            H[++sp] = w;
            break;
          case Op.LIST_APPEND:
            a = code[ip++];
            if (a > 127) {
              a = varintRest(code, ip, a);
              ip = vxEnd;
            }
            H[f + LY.F_SP] = smi(sp);
            // the verifier proves depths, not kinds: a crafted image could aim these at another object
            if (kindOf(vm, H[sp - a]) !== K.LIST) throw badContainer(vm);
            listAppend(vm, H[sp - a], H[sp]);
            sp--;
            break;
          case Op.FORMAT_VALUE:
            a = code[ip++];
            H[f + LY.F_SP] = smi(sp);
            H[f + LY.F_IP] = smi(ip);
            if (a & 4) {
              w = formatValue(vm, H[sp - 1], a & 3, H[sp]);
              H[--sp] = w;
            } else H[sp] = formatValue(vm, H[sp], a & 3, LY.NULL);
            break;
          case Op.UNPACK_SEQUENCE:
            a = code[ip++];
            if (a > 127) {
              a = varintRest(code, ip, a);
              ip = vxEnd;
            }
            x = H[sp];
            if ((x & 3) === 0 && x !== 0 && (H[x >> 2] & 127) === K.TUPLE && H[(x >> 2) + LY.SEQ_LEN] >> 1 === a) {
              for (let i = 0; i < a; i++) H[sp + a - 1 - i] = H[(x >> 2) + LY.TUP_ITEMS + i];
              sp += a - 1;
              break;
            }
            H[f + LY.F_SP] = smi(sp);
            H[f + LY.F_IP] = smi(ip);
            unpackSequence(vm, x, a, sp);
            sp += a - 1;
            break;
          case Op.GET_ITER:
            x = H[sp];
            H[f + LY.F_SP] = smi(sp);
            H[f + LY.F_IP] = smi(ip);
            H[sp] = getIter(vm, x);
            break;
          case Op.FOR_ITER: {
            a = code[ip] | (code[ip + 1] << 8);
            ip += 2;
            x = H[sp];
            const xp = x >> 2;
            // where the loop ends, computed on every step: a loop's end is reached once, and any arithmetic first
            // done there in optimised code would deoptimise execute() (plain moves need no type feedback)
            const endIp = cb + a;
            const endSp = sp - 1;
            if ((H[xp] & 127) === K.ITER) {
              const sub = H[xp + 1];
              if (sub === 1 + 2 * IT.RANGE) {
                w = H[xp + 2];
                y = H[xp + 4];
                x = H[xp + 3];
                if (y > 1 ? w < x : w > x) {
                  H[++sp] = w;
                  // the next value, clamped to stop so that it never leaves the 31-bit range
                  a = w + y - 1;
                  H[xp + 2] = y > 1 ? (a > x ? x : a) : a < x ? x : a;
                  break;
                }
                sp = endSp;
                ip = endIp;
                break;
              }
              if (sub === 1 + 2 * IT.SEQ) {
                const s = H[xp + 2];
                const i = H[xp + 3] >> 1;
                if (i < H[(s >> 2) + LY.SEQ_LEN] >> 1) {
                  H[xp + 3] += 2;
                  H[++sp] = (H[s >> 2] & 127) === K.TUPLE ? H[(s >> 2) + LY.TUP_ITEMS + i] : H[(H[(s >> 2) + LY.LIST_ARR] >> 2) + 1 + i];
                  break;
                }
                sp = endSp;
                ip = endIp;
                break;
              }
            } else if ((H[xp] & 127) === K.GEN) {
              H[f + LY.F_SP] = smi(sp);
              H[f + LY.F_IP] = smi(ip);
              if (--vm.budget <= 0 || vm.interrupt) checkSlice(vm);
              w = resumeGen(vm, x, LY.NONE, GM_FORITER);
              if (w === FRAME_PUSHED) {
                f = vm.frame;
                co = H[f + LY.F_CODE] >> 2;
                li = vm.images[H[co + LY.CODE_IMG] >> 1];
                code = li.img.bytes;
                cb = li.img.codes[(H[co + LY.CODE_IDX] >> 1) * CF.CODE_FIELDS + CF.C_CODE];
                names = (li.names >> 2) + LY.TUP_ITEMS;
                consts = (li.consts >> 2) + 1;
                ip = H[f + LY.F_IP] >> 1;
                sp = H[f + LY.F_SP] >> 1;
                L = f + LY.F_SLOTS;
                break;
              }
              // an exhausted generator
              sp = endSp;
              ip = endIp;
              break;
            }
            H[f + LY.F_SP] = smi(sp);
            H[f + LY.F_IP] = smi(ip);
            w = iterNext(vm, x);
            if (w === LY.NULL) {
              sp = endSp;
              ip = endIp;
            } else H[++sp] = w;
            break;
          }
          case Op.JUMP:
            a = cb + (code[ip] | (code[ip + 1] << 8));
            if (a < ip) {
              if (--vm.budget <= 0 || vm.interrupt) {
                H[f + LY.F_SP] = smi(sp);
                H[f + LY.F_IP] = smi(a);
                if (checkSlice(vm)) {
                  return SUSPENDED;
                }
              }
              if (TIER !== null) {
                H[f + LY.F_SP] = smi(sp);
                H[f + LY.F_IP] = smi(a);
                // the host's compiled tier takes the frame from here (its ip and sp written) as far as it can
                f = 0;
                a = tierFrom(vm, tn0);
                if (a !== 0) return tierAnswer(a, true);
                f = vm.frame;
                co = H[f + LY.F_CODE] >> 2;
                li = vm.images[H[co + LY.CODE_IMG] >> 1];
                code = li.img.bytes;
                cb = li.img.codes[(H[co + LY.CODE_IDX] >> 1) * CF.CODE_FIELDS + CF.C_CODE];
                names = (li.names >> 2) + LY.TUP_ITEMS;
                consts = (li.consts >> 2) + 1;
                ip = H[f + LY.F_IP] >> 1;
                sp = H[f + LY.F_SP] >> 1;
                L = f + LY.F_SLOTS;
                break;
              }
            }
            ip = a;
            break;
          case Op.POP_JUMP_IF_FALSE:
            w = H[sp--];
            if (w === LY.FALSE || (w !== LY.TRUE && !truthyAt(vm, f, sp, w))) ip = cb + (code[ip] | (code[ip + 1] << 8));
            else ip += 2;
            break;
          case Op.POP_JUMP_IF_TRUE:
            w = H[sp--];
            if (w === LY.TRUE || (w !== LY.FALSE && truthyAt(vm, f, sp, w))) ip = cb + (code[ip] | (code[ip + 1] << 8));
            else ip += 2;
            break;
          case Op.JUMP_IF_FALSE_OR_POP:
            w = H[sp];
            if (w === LY.FALSE || (w !== LY.TRUE && !truthyAt(vm, f, sp, w))) ip = cb + (code[ip] | (code[ip + 1] << 8));
            else {
              ip += 2;
              sp--;
            }
            break;
          case Op.JUMP_IF_TRUE_OR_POP:
            w = H[sp];
            if (w === LY.TRUE || (w !== LY.FALSE && truthyAt(vm, f, sp, w))) ip = cb + (code[ip] | (code[ip + 1] << 8));
            else {
              ip += 2;
              sp--;
            }
            break;

          case Op.SETUP_FINALLY:
          case Op.SETUP_ASYNC_WITH: {
            a = cb + (code[ip] | (code[ip + 1] << 8));
            ip += 2;
            const nb = H[f + LY.F_NBLOCKS] >> 1;
            const bp = blockBase(vm, f, li) + 2 * nb;
            H[bp] = smi(a << 1);
            H[bp + 1] = smi(op === Op.SETUP_ASYNC_WITH ? sp - 1 : sp);
            H[f + LY.F_NBLOCKS] = smi(nb + 1);
            break;
          }
          case Op.POP_BLOCK:
            H[f + LY.F_NBLOCKS] -= 2;
            break;
          case Op.POP_EXCEPT:
            H[f + LY.F_NBLOCKS] -= 2;
            vm.curExc = H[sp--];
            break;
          case Op.RETURN_VALUE: {
            w = H[sp];
            const flags = H[f + LY.F_FLAGS] >> 1;
            if (flags & LY.FF_GEN) {
              H[f + LY.F_IP] = smi(ip);
              H[f + LY.F_SP] = smi(sp - 1);
              x = genReturn(vm, w);
              if (x === SUSPENDED) return genExitValue;
              f = vm.frame;
              co = H[f + LY.F_CODE] >> 2;
              li = vm.images[H[co + LY.CODE_IMG] >> 1];
              code = li.img.bytes;
              cb = li.img.codes[(H[co + LY.CODE_IDX] >> 1) * CF.CODE_FIELDS + CF.C_CODE];
              names = (li.names >> 2) + LY.TUP_ITEMS;
              consts = (li.consts >> 2) + 1;
              ip = H[f + LY.F_IP] >> 1;
              sp = H[f + LY.F_SP] >> 1;
              L = f + LY.F_SLOTS;
              break;
            }
            if (flags & LY.FF_CTOR) {
              if (w !== LY.NONE) {
                H[f + LY.F_SP] = smi(sp);
                throw raise(vm, T.TYPE_ERROR, "__init__() should return None, not '" + typeNameJs(vm, w) + "'");
              }
              w = H[f + LY.F_EXC];
            }
            popFrame(vm);
            if (flags & LY.FF_EXIT) return w;
            f = vm.frame;
            co = H[f + LY.F_CODE] >> 2;
            li = vm.images[H[co + LY.CODE_IMG] >> 1];
            code = li.img.bytes;
            cb = li.img.codes[(H[co + LY.CODE_IDX] >> 1) * CF.CODE_FIELDS + CF.C_CODE];
            names = (li.names >> 2) + LY.TUP_ITEMS;
            consts = (li.consts >> 2) + 1;
            ip = H[f + LY.F_IP] >> 1;
            sp = (H[f + LY.F_SP] >> 1) + 1;
            L = f + LY.F_SLOTS;
            H[sp] = w;
            if (TIER !== null) {
              H[f + LY.F_SP] = smi(sp);
              // the host's compiled tier takes the frame from here (its ip and sp written) as far as it can
              f = 0;
              a = tierFrom(vm, tn0);
              if (a !== 0) return tierAnswer(a, true);
              f = vm.frame;
              co = H[f + LY.F_CODE] >> 2;
              li = vm.images[H[co + LY.CODE_IMG] >> 1];
              code = li.img.bytes;
              cb = li.img.codes[(H[co + LY.CODE_IDX] >> 1) * CF.CODE_FIELDS + CF.C_CODE];
              names = (li.names >> 2) + LY.TUP_ITEMS;
              consts = (li.consts >> 2) + 1;
              ip = H[f + LY.F_IP] >> 1;
              sp = H[f + LY.F_SP] >> 1;
              L = f + LY.F_SLOTS;
            }
            break;
          }
          case Op.YIELD_VALUE: {
            w = H[sp--];
            H[f + LY.F_IP] = smi(ip);
            H[f + LY.F_SP] = smi(sp);
            x = genYield(vm, w);
            if (x === SUSPENDED) return genExitValue;
            f = vm.frame;
            co = H[f + LY.F_CODE] >> 2;
            li = vm.images[H[co + LY.CODE_IMG] >> 1];
            code = li.img.bytes;
            cb = li.img.codes[(H[co + LY.CODE_IDX] >> 1) * CF.CODE_FIELDS + CF.C_CODE];
            names = (li.names >> 2) + LY.TUP_ITEMS;
            consts = (li.consts >> 2) + 1;
            ip = H[f + LY.F_IP] >> 1;
            sp = H[f + LY.F_SP] >> 1;
            L = f + LY.F_SLOTS;
            break;
          }
          case Op.YIELD_FROM: {
            // it v -- result; while `it` yields, this generator yields the same values with ip kept here
            H[f + LY.F_IP] = smi(ip - 1);
            H[f + LY.F_SP] = smi(sp);
            x = yieldFrom(vm, H[sp - 1], H[sp]);
            if (x === SUSPENDED) return genExitValue;
            f = vm.frame;
            co = H[f + LY.F_CODE] >> 2;
            li = vm.images[H[co + LY.CODE_IMG] >> 1];
            code = li.img.bytes;
            cb = li.img.codes[(H[co + LY.CODE_IDX] >> 1) * CF.CODE_FIELDS + CF.C_CODE];
            names = (li.names >> 2) + LY.TUP_ITEMS;
            consts = (li.consts >> 2) + 1;
            ip = H[f + LY.F_IP] >> 1;
            sp = H[f + LY.F_SP] >> 1;
            L = f + LY.F_SLOTS;
            break;
          }
          default:
            // the rarer instructions, out of line (see coldOp)
            H[f + LY.F_SP] = smi(sp);
            H[f + LY.F_IP] = smi(ip);
            coldOp(vm, op);
            ip = H[f + LY.F_IP] >> 1;
            sp = H[f + LY.F_SP] >> 1;
            break;
        }
      }
    } catch (e) {
      // ---- exception unwinding ----
      if (leaving) {
        // tierAnswer(): an exception the tier threw, already unwound out of this run
        leaving = false;
        throw e;
      }
      vm.tn = tn0;
      if (vm.frame === f) {
        H[f + LY.F_IP] = smi(ip);
        H[f + LY.F_SP] = smi(sp);
      }
      unwind(vm, e);
      enter = TIER !== null;
      reload = true;
    }
  }
}

// --- support for the loop ------------------------------------------------------------------------------------------

// LOAD_GLOBAL's hints on the host (null on a board, which keeps the plain lookup): (globals dict, name, entry index)
// triples. A hint is only a guess where to look: the entry is used only if it still holds that very name, so a
// stale one (the dict resized or deleted from, or another dict at the same address) just misses.
let GH: Int32Array | null = null;
const GH_MASK = 1023;

/** A global by name, from the globals dict d or the builtins; NameError if neither has it. Leaves a hint. */
function loadGlobal(vm: Vm, d: number, name: number): number {
  if (GH === null && vm.dv !== null) GH = new Int32Array(3 * (GH_MASK + 1));
  const i = tableFind(vm, d, name, strHash(vm, name));
  if (i >= 0) {
    const H = vm.H;
    if (GH !== null) {
      const a = ((((d >> 2) * 40503) ^ (name >> 2)) & GH_MASK) * 3;
      GH[a] = d;
      GH[a + 1] = name;
      GH[a + 2] = i;
    }
    return H[(H[(d >> 2) + LY.D_ENT] >> 2) + 3 + 3 * i];
  }
  const w = builtinLookup(vm, name);
  if (w === LY.NULL) throw raise(vm, T.NAME_ERROR, "name '" + jstr(vm, name) + "' is not defined");
  return w;
}

/**
 * Unwind exception e (PY_EXC or a JS error) from the running frame: into the innermost handler of the first frame
 * that has one (that frame is then running, F_IP at the handler, F_SP with prev and exc pushed), or out of execute()
 * (PY_EXC thrown) when it leaves a frame that started a nested run, or the last frame.
 */
function unwind(vm: Vm, e: unknown): void {
  const H = vm.H;
  let exc = toPyException(vm, e);
  // implicit chaining: an exception raised while another is handled gets it as __context__
  if (vm.curExc !== LY.NONE && vm.curExc !== exc && H[(exc >> 2) + LY.E_CONTEXT] === LY.NONE) setContext(vm, exc, vm.curExc);
  for (;;) {
    const f = vm.frame;
    if (vm.reraise) vm.reraise = false;
    else addTraceback(vm, exc, f);
    // the innermost block of this frame that handles exceptions
    let nb = H[f + LY.F_NBLOCKS] >> 1;
    const co = H[f + LY.F_CODE] >> 2;
    const li = vm.images[H[co + LY.CODE_IMG] >> 1];
    const bb = blockBase(vm, f, li);
    while (nb > 0) {
      nb--;
      const handler = H[bb + 2 * nb] >> 1;
      const level = H[bb + 2 * nb + 1] >> 1;
      if (handler & 1) {
        // an except handler being left by the exception: restore the exception it saved
        vm.curExc = H[level + 1];
        continue;
      }
      // enter the handler: an except-handler block at the same place, then prev and exc on the stack
      H[bb + 2 * nb] = smi(1);
      H[bb + 2 * nb + 1] = smi(level);
      H[f + LY.F_NBLOCKS] = smi(nb + 1);
      H[level + 1] = vm.curExc;
      H[level + 2] = exc;
      H[f + LY.F_SP] = smi(level + 2);
      H[f + LY.F_IP] = smi(handler >> 1);
      vm.curExc = exc;
      return;
    }
    H[f + LY.F_NBLOCKS] = 1;
    // no handler here: leave the frame
    const flags = H[f + LY.F_FLAGS] >> 1;
    if (flags & LY.FF_GEN) exc = genAbandoned(vm, f, exc);
    const forIter = (flags >> GM_SHIFT) & 7;
    popFrame(vm);
    if (flags & LY.FF_EXIT) {
      vm.excValue = exc;
      throw PY_EXC;
    }
    if (flags & LY.FF_GEN && forIter === GM_FORITER && isStopIteration(vm, exc)) {
      // cannot happen (a generator's StopIteration became RuntimeError) but keep the loop safe
    }
    if (vm.frame === 0) {
      vm.excValue = exc;
      throw PY_EXC;
    }
  }
}

/**
 * The instructions that are rare in hot loops (imports, class and function creation, with, raise, deletions, star
 * unpacking…), run out of line so that execute() stays small: V8 then optimises the loop sooner and recompiles it
 * faster after a deoptimisation. Called with the frame's F_IP just past the opcode and F_SP current, like any call
 * that may allocate; leaves F_IP and F_SP for the loop to reload. The running frame is the same afterwards.
 */
export function coldOp(vm: Vm, op: number): void {
  const H = vm.H;
  const f = vm.frame;
  const co = H[f + LY.F_CODE] >> 2;
  const li = vm.images[H[co + LY.CODE_IMG] >> 1];
  const code = li.img.bytes;
  const cb = li.img.codes[(H[co + LY.CODE_IDX] >> 1) * CF.CODE_FIELDS + CF.C_CODE];
  const names = (li.names >> 2) + LY.TUP_ITEMS;
  const L = f + LY.F_SLOTS;
  let ip = H[f + LY.F_IP] >> 1;
  let sp = H[f + LY.F_SP] >> 1;
  let a = 0;
  let w = 0;
  let x = 0;
  let y = 0;
  switch (op) {
    case Op.DELETE_FAST:
      a = code[ip++];
      if (a > 127) {
        a = varintRest(code, ip, a);
        ip = vxEnd;
      }
      if (H[L + a] === LY.NULL) throw unboundLocal(vm, f, li, a);
      H[L + a] = LY.NULL;
      break;
    case Op.DELETE_DEREF:
      a = code[ip++];
      if (a > 127) {
        a = varintRest(code, ip, a);
        ip = vxEnd;
      }
      if (H[(H[L + a] >> 2) + 1] === LY.NULL) {
        H[f + LY.F_SP] = smi(sp);
        throw unboundDeref(vm, f, li, a);
      }
      H[(H[L + a] >> 2) + 1] = LY.NULL;
      break;
    case Op.LOAD_CLASSDEREF:
      a = code[ip++];
      if (a > 127) {
        a = varintRest(code, ip, a);
        ip = vxEnd;
      }
      H[f + LY.F_SP] = smi(sp);
      w = dictGetStr(vm, H[f + LY.F_LOCALS], slotName(vm, f, li, a));
      if (w === LY.NULL) {
        w = H[(H[L + a] >> 2) + 1];
        if (w === LY.NULL) throw unboundDeref(vm, f, li, a);
      }
      H[++sp] = w;
      break;
    case Op.DELETE_NAME:
      a = code[ip++];
      if (a > 127) {
        a = varintRest(code, ip, a);
        ip = vxEnd;
      }
      H[f + LY.F_SP] = smi(sp);
      if (tableDelete(vm, H[f + LY.F_LOCALS], H[names + a]) === LY.NULL)
        throw raise(vm, T.NAME_ERROR, "name '" + jstr(vm, H[names + a]) + "' is not defined");
      break;
    case Op.STORE_GLOBAL:
      a = code[ip++];
      if (a > 127) {
        a = varintRest(code, ip, a);
        ip = vxEnd;
      }
      H[f + LY.F_SP] = smi(sp);
      dictSet(vm, H[f + LY.F_GLOBALS], H[names + a], H[sp]);
      sp--;
      break;
    case Op.DELETE_GLOBAL:
      a = code[ip++];
      if (a > 127) {
        a = varintRest(code, ip, a);
        ip = vxEnd;
      }
      H[f + LY.F_SP] = smi(sp);
      if (tableDelete(vm, H[f + LY.F_GLOBALS], H[names + a]) === LY.NULL)
        throw raise(vm, T.NAME_ERROR, "name '" + jstr(vm, H[names + a]) + "' is not defined");
      break;
    case Op.DELETE_ATTR:
      a = code[ip++];
      if (a > 127) {
        a = varintRest(code, ip, a);
        ip = vxEnd;
      }
      H[f + LY.F_SP] = smi(sp);
      H[f + LY.F_IP] = smi(ip);
      delAttr(vm, H[sp], H[names + a]);
      sp--;
      break;
    case Op.MAKE_FUNCTION:
      a = code[ip++];
      if (a > 127) {
        a = varintRest(code, ip, a);
        ip = vxEnd;
      }
      H[f + LY.F_SP] = smi(sp);
      sp = makeFunction(vm, f, li, a, sp);
      break;
    case Op.LOAD_BUILD_CLASS:
      // builtins.__build_class__ may be replaced by the program
      w = builtinLookup(vm, qw(Q.__build_class__));
      H[++sp] = w === LY.NULL ? buildClassFn() : w;
      break;
    case Op.DELETE_SUBSCR:
      H[f + LY.F_SP] = smi(sp);
      H[f + LY.F_IP] = smi(ip);
      delItem(vm, H[sp - 1], H[sp]);
      sp -= 2;
      break;
    case Op.BUILD_SET:
      a = code[ip++];
      if (a > 127) {
        a = varintRest(code, ip, a);
        ip = vxEnd;
      }
      H[f + LY.F_SP] = smi(sp);
      w = vm.tpush(newTable(vm, K.SET, a));
      for (let i = sp - a + 1; i <= sp; i++) setAdd(vm, w, H[i]);
      vm.tpop(1);
      sp -= a;
      H[++sp] = w;
      break;
    case Op.SET_ADD:
      a = code[ip++];
      if (a > 127) {
        a = varintRest(code, ip, a);
        ip = vxEnd;
      }
      H[f + LY.F_SP] = smi(sp);
      if (kindOf(vm, H[sp - a]) !== K.SET) throw badContainer(vm);
      setAdd(vm, H[sp - a], H[sp]);
      sp--;
      break;
    case Op.MAP_ADD:
      a = code[ip++];
      if (a > 127) {
        a = varintRest(code, ip, a);
        ip = vxEnd;
      }
      H[f + LY.F_SP] = smi(sp);
      if (kindOf(vm, H[sp - a - 1]) !== K.DICT) throw badContainer(vm);
      dictSet(vm, H[sp - a - 1], H[sp - 1], H[sp]);
      sp -= 2;
      break;
    case Op.LIST_EXTEND:
    case Op.SET_UPDATE:
    case Op.DICT_UPDATE:
    case Op.DICT_MERGE:
      a = code[ip++];
      if (a > 127) {
        a = varintRest(code, ip, a);
        ip = vxEnd;
      }
      H[f + LY.F_SP] = smi(sp);
      H[f + LY.F_IP] = smi(ip);
      if (kindOf(vm, H[sp - a]) !== (op === Op.LIST_EXTEND ? K.LIST : op === Op.SET_UPDATE ? K.SET : K.DICT)) throw badContainer(vm);
      if (op === Op.LIST_EXTEND) listExtend(vm, H[sp - a], H[sp]);
      else if (op === Op.SET_UPDATE) setUpdate(vm, H[sp - a], H[sp]);
      else if (op === Op.DICT_UPDATE) dictUpdate(vm, H[sp - a], H[sp]);
      else dictMerge(vm, H[sp - a], H[sp], H[sp - a - 2]);
      sp--;
      break;
    case Op.LIST_TO_TUPLE:
      H[f + LY.F_SP] = smi(sp);
      x = H[sp];
      if (kindOf(vm, x) !== K.LIST) throw badContainer(vm);
      H[sp] = tupleFromStack(vm, (H[(x >> 2) + LY.LIST_ARR] >> 2) + 1, H[(x >> 2) + LY.SEQ_LEN] >> 1);
      break;
    case Op.UNPACK_EX:
      a = code[ip++];
      if (a > 127) {
        a = varintRest(code, ip, a);
        ip = vxEnd;
      }
      H[f + LY.F_SP] = smi(sp);
      H[f + LY.F_IP] = smi(ip);
      unpackEx(vm, H[sp], a & 255, a >> 8, sp);
      sp += (a & 255) + (a >> 8);
      break;
    case Op.SETUP_WITH: {
      a = cb + (code[ip] | (code[ip + 1] << 8));
      ip += 2;
      H[f + LY.F_SP] = smi(sp);
      H[f + LY.F_IP] = smi(ip);
      x = H[sp];
      // mgr -- exit enter(); the block's level is just above exit
      w = getAttrSpecial(vm, x, qw(Q.__exit__), qw(Q.__enter__));
      H[sp] = w;
      y = getAttrSpecial(vm, x, qw(Q.__enter__), LY.NULL);
      H[++sp] = x;
      H[f + LY.F_SP] = smi(sp);
      y = callNested1(vm, y);
      H[sp] = y;
      const nb = H[f + LY.F_NBLOCKS] >> 1;
      const bp = blockBase(vm, f, li) + 2 * nb;
      H[bp] = smi(a << 1);
      H[bp + 1] = smi(sp - 1);
      H[f + LY.F_NBLOCKS] = smi(nb + 1);
      break;
    }
    case Op.RERAISE:
      w = H[sp--];
      H[f + LY.F_SP] = smi(sp);
      // compiled code re-raises only what a handler caught; crafted bytecode may hold anything there
      if (!isExcType(vm, typeOf(vm, w))) throw badContainer(vm);
      vm.reraise = true;
      throw raiseObj(vm, w);
    case Op.WITH_EXCEPT_START:
      // exit prev exc -- exit prev exc exit(type, exc, tb)
      H[f + LY.F_SP] = smi(sp);
      H[f + LY.F_IP] = smi(ip);
      x = H[sp];
      w = callExit(vm, H[sp - 2], x);
      H[++sp] = w;
      break;
    case Op.JUMP_IF_NOT_EXC_MATCH:
      H[f + LY.F_SP] = smi(sp);
      H[f + LY.F_IP] = smi(ip + 2);
      w = excMatches(vm, H[sp - 1], H[sp]) ? 1 : 0;
      sp -= 2;
      if (w) ip += 2;
      else ip = cb + (code[ip] | (code[ip + 1] << 8));
      break;
    case Op.RAISE_VARARGS:
      a = code[ip++];
      H[f + LY.F_SP] = smi(sp);
      H[f + LY.F_IP] = smi(ip);
      throw doRaise(vm, a, a >= 1 ? H[sp - a + 1] : LY.NULL, a === 2 ? H[sp] : LY.NULL);
    case Op.LOAD_ASSERTION_ERROR:
      H[++sp] = imm(T.ASSERTION_ERROR);
      break;
    case Op.GET_YIELD_FROM_ITER:
      x = H[sp];
      if (kindOf(vm, x) !== K.GEN) {
        H[f + LY.F_SP] = smi(sp);
        H[f + LY.F_IP] = smi(ip);
        H[sp] = getIter(vm, x);
      }
      break;
    case Op.GET_AWAITABLE:
    case Op.GET_AITER:
    case Op.GET_ANEXT:
    case Op.END_ASYNC_FOR:
    case Op.BEFORE_ASYNC_WITH:
      H[f + LY.F_SP] = smi(sp);
      H[f + LY.F_IP] = smi(ip);
      sp = asyncOp(vm, op, sp);
      break;
    case Op.IMPORT_NAME:
      a = code[ip++];
      if (a > 127) {
        a = varintRest(code, ip, a);
        ip = vxEnd;
      }
      H[f + LY.F_SP] = smi(sp);
      H[f + LY.F_IP] = smi(ip);
      w = importName(vm, f, H[names + a], H[sp], H[sp - 1]);
      H[--sp] = w;
      break;
    case Op.IMPORT_FROM:
      a = code[ip++];
      if (a > 127) {
        a = varintRest(code, ip, a);
        ip = vxEnd;
      }
      H[f + LY.F_SP] = smi(sp);
      H[f + LY.F_IP] = smi(ip);
      w = importFrom(vm, H[sp], H[names + a]);
      H[++sp] = w;
      break;
    case Op.IMPORT_STAR:
      H[f + LY.F_SP] = smi(sp);
      H[f + LY.F_IP] = smi(ip);
      importStar(vm, H[sp], H[f + LY.F_LOCALS]);
      sp--;
      break;
    case Op.PRINT_EXPR:
      H[f + LY.F_SP] = smi(sp);
      H[f + LY.F_IP] = smi(ip);
      printExpr(vm, H[sp]);
      sp--;
      break;
    case Op.SETUP_ANNOTATIONS:
      break;
    default:
      throw raise(vm, T.SYSTEM_ERROR, "bad opcode " + op);
  }
  H[f + LY.F_IP] = smi(ip);
  H[f + LY.F_SP] = smi(sp);
}


const FNUM_F64 = new Float64Array(1);
const FNUM_I32 = new Int32Array(FNUM_F64.buffer);

/**
 * The value of a float, or of a small int beside one, for the loop's float fast paths; NaN for anything else (a
 * float that is NaN also gives NaN and takes the general path, which is right for it too).
 */
export function fnum(vm: Vm, H: Int32Array, w: number): number {
  if (w & 1) return w >> 1;
  if ((w & 3) === 0 && w !== 0 && (H[w >> 2] & 127) === K.FLOAT) {
    const dv = vm.dv;
    if (dv !== null) return dv.getFloat64(w + 4, true);
    FNUM_I32[0] = H[(w >> 2) + 1];
    FNUM_I32[1] = H[(w >> 2) + 2];
    return FNUM_F64[0];
  }
  return NaN;
}

/** Instructions per slice (counted on backward jumps and calls) before the loop looks at the event loop. */
export const SLICE = 20000;

/** What an instruction raises when its operand isn't the kind compiled code gives it (bad bytecode). */
export function badContainer(vm: Vm): unknown {
  return raise(vm, T.SYSTEM_ERROR, "bad bytecode: instruction applied to the wrong kind of object");
}

// Where a slice runs on (the host: vm.sliced false), its first checks come after a few instructions each, so that
// both places that check (calls, backward jumps) have run before V8 optimises execute(): a check first reached in
// optimised code is a deoptimisation and a recompile of the whole loop (~0.1 s of CPU).
let earlyChecks = 256;

/**
 * The host's tier made new code (with its own checks at its backward jumps): the next checks come early again, so that
 * they too run before V8 optimises that code (see earlyChecks).
 */
export function checkSoon(vm: Vm): void {
  if (vm.sliced) return;
  if (earlyChecks < 400) earlyChecks = 400;
  if (vm.budget > 3) vm.budget = 3;
}

/** Ctrl-C and the slice budget. Raises KeyboardInterrupt; returns true when the loop should suspend. */
export function checkSlice(vm: Vm): boolean {
  if (vm.scheduled && vm.nesting === 0) {
    vm.scheduled = false;
    runScheduled(vm);
  }
  if (vm.interrupt) {
    vm.interrupt = false;
    vm.budget = SLICE;
    throw raise(vm, T.KEYBOARD_INTERRUPT, null);
  }
  // callbacks queued inside native code wait for the loop to be back at nesting 0: look again soon
  vm.budget = vm.scheduled ? 1 : SLICE;
  if (earlyChecks > 0 && !vm.sliced) {
    earlyChecks--;
    if (vm.budget > 3) vm.budget = 3; // (not later than the scheduled callbacks' next check)
  }
  return vm.sliced && vm.nesting === 0;
}

function truthyAt(vm: Vm, f: number, sp: number, w: number): boolean {
  vm.H[f + LY.F_SP] = smi(sp);
  return truthy(vm, w);
}

/** Word index of frame f's block stack. */
function blockBase(vm: Vm, f: number, li: { frameSize: Int32Array; img: { codes: Int32Array } }): number {
  const H = vm.H;
  const ci = H[(H[f + LY.F_CODE] >> 2) + LY.CODE_IDX] >> 1;
  return f + li.frameSize[ci] - 2 * li.img.codes[ci * CF.CODE_FIELDS + 10];
}

/** The name of local slot a of frame f. */
function slotName(vm: Vm, f: number, li: { names: number; img: { codes: Int32Array; varnames: Int32Array } }, a: number): number {
  const H = vm.H;
  const ci = H[(H[f + LY.F_CODE] >> 2) + LY.CODE_IDX] >> 1;
  return H[(li.names >> 2) + LY.TUP_ITEMS + li.img.varnames[li.img.codes[ci * CF.CODE_FIELDS + CF.C_VARNAMES] + a]];
}

export function unboundLocal(vm: Vm, f: number, li: { names: number; img: { codes: Int32Array; varnames: Int32Array } }, a: number): unknown {
  return raise(vm, T.UNBOUND_LOCAL_ERROR, "cannot access local variable '" + jstr(vm, slotName(vm, f, li, a)) + "' where it is not associated with a value");
}

export function unboundDeref(vm: Vm, f: number, li: { names: number; img: { codes: Int32Array; varnames: Int32Array } }, a: number): unknown {
  const H = vm.H;
  const ci = H[(H[f + LY.F_CODE] >> 2) + LY.CODE_IDX] >> 1;
  const row = ci * CF.CODE_FIELDS;
  const name = jstr(vm, slotName(vm, f, li, a));
  if (a < li.img.codes[row + CF.C_NLOCALS] + li.img.codes[row + CF.C_NCELLS])
    return raise(vm, T.UNBOUND_LOCAL_ERROR, "cannot access local variable '" + name + "' where it is not associated with a value");
  return raise(vm, T.NAME_ERROR, "cannot access free variable '" + name + "' where it is not associated with a value in enclosing scope");
}

/** CALL_FUNCTION_EX: the positional arguments as a fresh tuple whose item 0 is scratch for invoke(). */
export function callExArgs(vm: Vm, args: number): number {
  const H = vm.H;
  if (kindOf(vm, args) !== K.TUPLE && kindOf(vm, args) !== K.LIST) {
    // any iterable: collect it first
    const l = newList(vm, 0, 0);
    vm.tpush(l);
    listExtend(vm, l, args);
    vm.tpop(1);
    args = l;
  }
  const n = H[(args >> 2) + LY.SEQ_LEN] >> 1;
  vm.tpush(args);
  const t = newTuple(vm, n + 1);
  vm.tpop(1);
  const src = kindOf(vm, args) === K.TUPLE ? (args >> 2) + LY.TUP_ITEMS : (H[(args >> 2) + LY.LIST_ARR] >> 2) + 1;
  for (let i = 0; i < n; i++) H[(t >> 2) + LY.TUP_ITEMS + 1 + i] = H[src + i];
  H[(t >> 2) + LY.TUP_ITEMS] = LY.NONE;
  return t;
}

/** For `with`: the special method `name` of x's class, bound to x. */
function getAttrSpecial(vm: Vm, x: number, name: number, other: number): number {
  const H = vm.H;
  const m = lookupSpecialBound(vm, x, name);
  if (m === LY.NULL) {
    void other;
    throw raise(vm, T.TYPE_ERROR, "'" + typeNameJs(vm, x) + "' object does not support the context manager protocol");
  }
  void H;
  return m;
}

function lookupSpecialBound(vm: Vm, x: number, name: number): number {
  const t = typeOf(vm, x);
  const m = lookupType(vm, t, name);
  if (m === LY.NULL) return LY.NULL;
  return bindMethod(vm, m, x);
}

function callNested1(vm: Vm, fn: number): number {
  vm.tpush(fn);
  try {
    return call0(vm, fn);
  } finally {
    vm.tpop(1);
  }
}

/** WITH_EXCEPT_START: exit(type(exc), exc, tb). */
function callExit(vm: Vm, exit: number, exc: number): number {
  return call3(vm, exit, typeOf(vm, exc), exc, vm.H[(exc >> 2) + LY.E_TB] || LY.NONE);
}

/** Does exception exc match t (an exception class or a tuple of them)? */
export function excMatches(vm: Vm, exc: number, t: number): boolean {
  const H = vm.H;
  if (kindOf(vm, t) === K.TUPLE) {
    const n = H[(t >> 2) + LY.SEQ_LEN] >> 1;
    for (let i = 0; i < n; i++) if (excMatches(vm, exc, H[(t >> 2) + LY.TUP_ITEMS + i])) return true;
    return false;
  }
  if (!isType(vm, t) || !isExcType(vm, t))
    throw raise(vm, T.TYPE_ERROR, "catching classes that do not inherit from BaseException is not allowed");
  return isSubtype(vm, typeOf(vm, exc), t);
}

/** Make an exception instance from `raise X`: an instance as is, a class called with no arguments. */
export function makeExcInstance(vm: Vm, x: number): number {
  if (isType(vm, x)) {
    if (!isExcType(vm, x)) throw raise(vm, T.TYPE_ERROR, "exceptions must derive from BaseException");
    const e = call0(vm, x);
    if (!isExcType(vm, typeOf(vm, e)))
      throw raise(vm, T.TYPE_ERROR, "calling " + typeNameJs(vm, x) + " should have returned an instance of BaseException, not " + typeNameJs(vm, e));
    return e;
  }
  if (!isExcType(vm, typeOf(vm, x))) throw raise(vm, T.TYPE_ERROR, "exceptions must derive from BaseException");
  return x;
}

function doRaise(vm: Vm, n: number, exc: number, cause: number): unknown {
  const H = vm.H;
  if (n === 0) {
    if (vm.curExc === LY.NONE) return raise(vm, T.RUNTIME_ERROR, "No active exception to reraise");
    vm.reraise = true;
    return raiseObj(vm, vm.curExc);
  }
  const e = makeExcInstance(vm, exc);
  if (n === 2) {
    vm.tpush(e);
    let c = cause;
    if (c !== LY.NONE) c = makeExcInstanceCause(vm, c);
    vm.tpop(1);
    H[(e >> 2) + LY.E_CAUSE] = c;
    H[(e >> 2) + LY.E_FLAGS] = smi(1); // __suppress_context__
  }
  return raiseObj(vm, e);
}

function makeExcInstanceCause(vm: Vm, c: number): number {
  if (isType(vm, c) ? !isExcType(vm, c) : !isExcType(vm, typeOf(vm, c)))
    throw raise(vm, T.TYPE_ERROR, "exception causes must derive from BaseException");
  return makeExcInstance(vm, c);
}

function setContext(vm: Vm, exc: number, ctx: number): void {
  const H = vm.H;
  // avoid a cycle: drop exc from ctx's chain
  let c = ctx;
  let steps = 0;
  while (c !== LY.NONE && steps++ < 100) {
    const next = H[(c >> 2) + LY.E_CONTEXT];
    if (next === exc) {
      H[(c >> 2) + LY.E_CONTEXT] = LY.NONE;
      break;
    }
    c = next;
  }
  H[(exc >> 2) + LY.E_CONTEXT] = ctx;
}

/** The Python exception for a JS throw: ours, or a JS error turned into RecursionError/SystemError. */
function toPyException(vm: Vm, e: unknown): number {
  if (e === PY_EXC) {
    const x = vm.excValue;
    vm.excValue = LY.NULL;
    return x;
  }
  vm.reraise = false;
  const msg = e && typeof e === "object" && "message" in e ? String((e as { message: unknown }).message) : String(e);
  // only a JS stack overflow is a recursion error; any other RangeError is a bug to report as such
  if (/call stack|too much recursion/i.test(msg)) {
    raise(vm, T.RECURSION_ERROR, "maximum recursion depth exceeded");
  } else {
    if (vm.debug) vm.debug(e);
    raise(vm, T.SYSTEM_ERROR, "internal error: " + msg);
  }
  const x = vm.excValue;
  vm.excValue = LY.NULL;
  return x;
}

/** Prepend frame f's current position to exc's traceback. */
function addTraceback(vm: Vm, exc: number, f: number): void {
  const H = vm.H;
  if (H[f + LY.F_CODE] === LY.NULL) return;
  vm.tpush(exc);
  let tb = 0;
  try {
    tb = vm.alloc(K.TB, 4);
  } catch (e) {
    // no memory for the entry: the traceback just gets shorter
    vm.excValue = LY.NULL;
  }
  vm.tpop(1);
  if (!tb) return;
  const ep = exc >> 2;
  H[tb + LY.TB_NEXT] = H[ep + LY.E_TB];
  H[tb + LY.TB_CODE] = H[f + LY.F_CODE];
  H[tb + LY.TB_IP] = H[f + LY.F_IP];
  H[ep + LY.E_TB] = tb << 2;
}

function isStopIteration(vm: Vm, exc: number): boolean {
  return isSubtype(vm, typeOf(vm, exc), imm(T.STOP_ITERATION));
}

// --- generators --------------------------------------------------------------------------------------------------------
// A generator's frame is a heap FRAME whose F_LOCALS slot points back at the generator. Resuming links the frame
// into the chain above the resumer and records how the resumer wants the outcome (GM_*).

/** The value execute() returns when a GM_EXIT resumption yields or returns; vm.genDone says which. */
let genExitValue = LY.NONE;

/**
 * Resume generator g, sending `sent`. Returns FRAME_PUSHED (the loop must run vm.frame), or for a finished
 * generator: NULL with mode GM_FORITER, NONE with GM_YIELDFROM (`yield from` a spent generator gives None), and
 * StopIteration raised otherwise.
 */
export function resumeGen(vm: Vm, g: number, sent: number, mode: number): number {
  const H = vm.H;
  const gp = g >> 2;
  const fw = H[gp + LY.G_FRAME];
  if (fw === LY.NULL) {
    if (mode === GM_FORITER) return LY.NULL;
    if (mode === GM_YIELDFROM) return LY.NONE;
    throw raise(vm, T.STOP_ITERATION, null);
  }
  const fr = fw >> 2;
  const gflags = H[gp + LY.G_FLAGS] >> 1;
  if (gflags & LY.GF_RUNNING) throw raise(vm, T.VALUE_ERROR, "generator already executing");
  if (vm.depth >= vm.recursionLimit) throw raise(vm, T.RECURSION_ERROR, "maximum recursion depth exceeded");
  if (!(gflags & LY.GF_STARTED)) {
    if (sent !== LY.NONE) throw raise(vm, T.TYPE_ERROR, "can't send non-None value to a just-started generator");
  } else {
    const sp = (H[fr + LY.F_SP] >> 1) + 1;
    H[sp] = sent;
    H[fr + LY.F_SP] = smi(sp);
  }
  H[gp + LY.G_FLAGS] = smi(gflags | LY.GF_RUNNING | LY.GF_STARTED);
  H[fr + LY.F_LOCALS] = g;
  H[fr + LY.F_BACK] = vm.frame << 2;
  const ff = (H[fr + LY.F_FLAGS] >> 1) & ~(LY.FF_EXIT | (7 << GM_SHIFT));
  H[fr + LY.F_FLAGS] = smi(ff | (mode << GM_SHIFT) | (mode === GM_EXIT ? LY.FF_EXIT : 0));
  // the generator sees its own handled exception, or the resumer's when it has none
  const own = H[fr + LY.F_EXC];
  H[fr + LY.F_EXC] = vm.curExc;
  if (own !== LY.NONE) vm.curExc = own;
  vm.frame = fr;
  vm.depth++;
  return FRAME_PUSHED;
}

/** Unlink the running generator frame (it is suspending or finishing). Returns its resume mode. */
function suspendGen(vm: Vm, finished: boolean): number {
  const H = vm.H;
  const fr = vm.frame;
  const g = H[fr + LY.F_LOCALS] >> 2;
  const mode = ((H[fr + LY.F_FLAGS] >> 1) >> GM_SHIFT) & 7;
  H[g + LY.G_FLAGS] = smi((H[g + LY.G_FLAGS] >> 1) & ~LY.GF_RUNNING);
  const outer = H[fr + LY.F_EXC];
  H[fr + LY.F_EXC] = finished ? LY.NONE : vm.curExc === outer ? LY.NONE : vm.curExc;
  vm.curExc = outer;
  if (finished) H[g + LY.G_FRAME] = LY.NULL;
  vm.frame = H[fr + LY.F_BACK] >> 2;
  H[fr + LY.F_BACK] = LY.NULL;
  vm.depth--;
  return mode;
}

/** YIELD_VALUE in the running generator frame. Returns 0 to continue with vm.frame, SUSPENDED to leave execute(). */
export function genYield(vm: Vm, v: number): number {
  const H = vm.H;
  for (;;) {
    const mode = suspendGen(vm, false);
    if (mode === GM_YIELDFROM) {
      // the delegating generator yields the same value; it resumes at its YIELD_FROM with the sent value
      const outer = vm.frame;
      H[outer + LY.F_SP] -= 2;
      continue;
    }
    if (mode === GM_EXIT) {
      genExitValue = v;
      vm.genDone = false;
      return SUSPENDED;
    }
    const c = vm.frame;
    const sp = (H[c + LY.F_SP] >> 1) + 1;
    H[sp] = v;
    H[c + LY.F_SP] = smi(sp);
    return 0;
  }
}

/** RETURN_VALUE in a generator frame. */
export function genReturn(vm: Vm, r: number): number {
  const H = vm.H;
  const mode = suspendGen(vm, true);
  const c = vm.frame;
  switch (mode) {
    case GM_EXIT:
      genExitValue = r;
      vm.genDone = true;
      return SUSPENDED;
    case GM_FORITER: {
      // end the resumer's loop: pop the iterator and take FOR_ITER's jump
      const co = H[c + LY.F_CODE] >> 2;
      const li = vm.images[H[co + LY.CODE_IMG] >> 1];
      const bytes = li.img.bytes;
      const ip = H[c + LY.F_IP] >> 1;
      const cb = li.img.codes[(H[co + LY.CODE_IDX] >> 1) * CF.CODE_FIELDS + CF.C_CODE];
      H[c + LY.F_IP] = smi(cb + (bytes[ip - 2] | (bytes[ip - 1] << 8)));
      H[c + LY.F_SP] -= 2;
      return 0;
    }
    case GM_YIELDFROM: {
      // the delegating generator's YIELD_FROM finishes with r: [it v] becomes [r]
      const sp = (H[c + LY.F_SP] >> 1) - 1;
      H[sp] = r;
      H[c + LY.F_SP] = smi(sp);
      H[c + LY.F_IP] += 2;
      return 0;
    }
  }
  // GM_PUSH: the next()/send() that resumed it raises StopIteration(r)
  vm.tpush(r);
  try {
    throw raiseStop(vm, r);
  } finally {
    vm.tpop(1);
  }
}

function raiseStop(vm: Vm, r: number): unknown {
  if (r === LY.NONE) return raise(vm, T.STOP_ITERATION, null);
  return raiseWith(vm, T.STOP_ITERATION, r);
}

/** An exception is leaving generator frame f: finish the generator; StopIteration inside becomes RuntimeError. */
function genAbandoned(vm: Vm, f: number, exc: number): number {
  const H = vm.H;
  const flags = H[f + LY.F_FLAGS] >> 1;
  const mode = (flags >> GM_SHIFT) & 7;
  const g = H[f + LY.F_LOCALS] >> 2;
  const coro = (H[g + LY.G_FLAGS] >> 1) & 12;
  suspendGen(vm, true);
  // put f back as the running frame so the unwinder pops it like any other
  H[f + LY.F_BACK] = vm.frame << 2;
  vm.frame = f;
  vm.depth++;
  H[f + LY.F_FLAGS] = smi((flags & ~LY.FF_GEN & ~(7 << GM_SHIFT)) | (mode === GM_EXIT ? LY.FF_EXIT : 0));
  if (isStopIteration(vm, exc)) {
    vm.tpush(exc);
    const what = coro & 4 ? "coroutine" : coro & 8 ? "async generator" : "generator";
    const r = newExcMsgRaised(vm, T.RUNTIME_ERROR, what + " raised StopIteration");
    vm.tpop(1);
    H[(r >> 2) + LY.E_CAUSE] = exc;
    H[(r >> 2) + LY.E_CONTEXT] = exc;
    H[(r >> 2) + LY.E_FLAGS] = smi(1);
    return r;
  }
  return exc;
}

function newExcMsgRaised(vm: Vm, t: number, msg: string): number {
  raise(vm, t, msg);
  const e = vm.excValue;
  vm.excValue = LY.NULL;
  return e;
}

/** YIELD_FROM: send v into `it` on behalf of the running generator. */
export function yieldFrom(vm: Vm, it: number, v: number): number {
  const H = vm.H;
  if (kindOf(vm, it) === K.GEN) {
    const r = resumeGen(vm, it, v, GM_YIELDFROM);
    if (r === FRAME_PUSHED) return 0;
    // already finished: the expression's value is None
    const c = vm.frame;
    const sp = (H[c + LY.F_SP] >> 1) - 1;
    H[sp] = r;
    H[c + LY.F_SP] = smi(sp);
    H[c + LY.F_IP] += 2;
    return 0;
  }
  // any other iterator: drive it with nested calls
  let x: number;
  const tn = vm.tn;
  try {
    x = v === LY.NONE ? iterNext(vm, it) : sendTo(vm, it, v);
  } catch (e) {
    if (e === PY_EXC && isStopIteration(vm, vm.excValue)) {
      vm.tn = tn;
      x = excArg0(vm, vm.excValue);
      vm.excValue = LY.NULL;
      const c = vm.frame;
      const sp = (H[c + LY.F_SP] >> 1) - 1;
      H[sp] = x;
      H[c + LY.F_SP] = smi(sp);
      H[c + LY.F_IP] += 2;
      return 0;
    }
    throw e;
  }
  if (x === LY.NULL) {
    // exhausted: the value of the StopIteration it raised, if any
    const stop = vm.lastStop;
    vm.lastStop = LY.NULL;
    const c = vm.frame;
    const sp = (H[c + LY.F_SP] >> 1) - 1;
    H[sp] = stop !== LY.NULL ? excArg0(vm, stop) : LY.NONE;
    H[c + LY.F_SP] = smi(sp);
    H[c + LY.F_IP] += 2;
    return 0;
  }
  // the iterator produced x: this generator yields it, staying at YIELD_FROM
  H[vm.frame + LY.F_SP] -= 2;
  return genYield(vm, x);
}

function sendTo(vm: Vm, it: number, v: number): number {
  const m = lookupType(vm, typeOf(vm, it), qw(Q.send));
  if (m === LY.NULL) throw raise(vm, T.ATTRIBUTE_ERROR, "'" + typeNameJs(vm, it) + "' object has no attribute 'send'");
  return call2(vm, m, it, v);
}

/**
 * Run generator g from native code until it yields or returns. Returns the value; vm.genDone is true when the
 * generator returned (the value is its return value).
 */
export function genStep(vm: Vm, g: number, sent: number): number {
  const r = resumeGen(vm, g, sent, GM_EXIT);
  if (r !== FRAME_PUSHED) {
    vm.genDone = true;
    return LY.NONE;
  }
  vm.nesting++;
  try {
    const v = executeNested(vm);
    if (v === SUSPENDED) return genExitValue;
    return v;
  } finally {
    vm.nesting--;
  }
}

/** Throw exc into generator g from native code (gen.throw / gen.close); result as for genStep. */
export function genThrow(vm: Vm, g: number, exc: number): number {
  const H = vm.H;
  const gp = g >> 2;
  const fw = H[gp + LY.G_FRAME];
  if (fw === LY.NULL) throw raiseObj(vm, exc);
  const gflags = H[gp + LY.G_FLAGS] >> 1;
  if (gflags & LY.GF_RUNNING) throw raise(vm, T.VALUE_ERROR, "generator already executing");
  const fr = fw >> 2;
  if (!(gflags & LY.GF_STARTED)) {
    // never started: it finishes at once, raising exc in the caller
    H[gp + LY.G_FRAME] = LY.NULL;
    throw raiseObj(vm, exc);
  }
  // resume it, then raise at its current instruction instead of delivering a sent value
  resumeGen(vm, g, LY.NONE, GM_EXIT);
  H[fr + LY.F_SP] -= 2;
  vm.nesting++;
  try {
    vm.excValue = exc;
    const v = executeWithException(vm);
    if (v === SUSPENDED) return genExitValue;
    return v;
  } finally {
    vm.nesting--;
  }
}

/** The iterator generator g is delegating to (suspended at YIELD_FROM), or NULL. */
export function genDelegate(vm: Vm, g: number): number {
  const H = vm.H;
  const fw = H[(g >> 2) + LY.G_FRAME];
  if (fw === LY.NULL || !((H[(g >> 2) + LY.G_FLAGS] >> 1) & LY.GF_STARTED)) return LY.NULL;
  const fr = fw >> 2;
  const li = vm.images[H[(H[fr + LY.F_CODE] >> 2) + LY.CODE_IMG] >> 1];
  if (li.img.bytes[H[fr + LY.F_IP] >> 1] !== Op.YIELD_FROM) return LY.NULL;
  return H[H[fr + LY.F_SP] >> 1];
}

/** Resume generator g, suspended at YIELD_FROM, as if its delegate had returned r; result as for genStep. */
export function genFinishDelegation(vm: Vm, g: number, r: number): number {
  const H = vm.H;
  const fr = H[(g >> 2) + LY.G_FRAME] >> 2;
  H[fr + LY.F_SP] -= 2; // drop the delegate; resuming pushes r as the value of `yield from`
  H[fr + LY.F_IP] += 2; // past YIELD_FROM
  return genStep(vm, g, r);
}

// executeNested() tells execute() that the frame was already offered to the tier (do not count it twice)
let tierTried = false;
// tierFrom() found no handler in this run for what the tier threw (leaveWith); tierAnswer() then throws it through
// execute()'s handler, which lets it pass (leaving)
let leaving = false;
let leaveWith: unknown = null;

/**
 * TIER(vm) for execute(), with what the compiled code throws unwound here rather than in execute()'s handler. V8 finds
 * a handler in a frame of baseline code by walking that code from its start, and execute() is large and often still
 * baseline code when a program's first exceptions come: that walk was 4% of bench/classes.py's main thread. Returns
 * TIER's answer, once it has one for the frame that handled what was thrown; -1 when no frame of this run handles it
 * (unwind() threw leaveWith, which is to leave execute(): see tierAnswer).
 */
function tierFrom(vm: Vm, tn0: number): number {
  for (;;) {
    let e: unknown;
    try {
      return (TIER as (vm: Vm) => number)(vm);
    } catch (x) {
      e = x;
    }
    vm.tn = tn0; // as execute()'s handler: temp roots of what threw are dead
    try {
      unwind(vm, e);
    } catch (x) {
      leaveWith = x;
      return -1;
    }
  }
}

/**
 * What a run returns for tierFrom's nonzero answer a; for -1, throws what leaves the run. From execute() (`pastHandler`)
 * the throw is marked to pass its handler.
 */
function tierAnswer(a: number, pastHandler: boolean): number {
  if (a < 0) {
    const e = leaveWith;
    leaveWith = null;
    leaving = pastHandler;
    throw e;
  }
  return a === 1 ? SUSPENDED : tierExit;
}

/**
 * execute() for a nested run (a dunder, a property, a generator resumed by native code): the frame goes to the host's
 * tier first, so a nested call of compiled code that returns in it never enters the loop (whose entry is not cheap:
 * bench/generators.py runs 8.8% fewer instructions).
 */
export function executeNested(vm: Vm): number {
  if (TIER === null) return execute(vm);
  const a = tierFrom(vm, vm.tn);
  if (a !== 0) return tierAnswer(a, false);
  tierTried = true;
  return execute(vm);
}

/** Start execute() by raising vm.excValue in the current frame first. */
function executeWithException(vm: Vm): number {
  vm.pendingThrow = true;
  return execute(vm);
}

// --- async ---------------------------------------------------------------------------------------------------------------

export { asyncOp };
