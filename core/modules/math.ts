// The math module: MicroPython's functions and CPython's semantics (domain errors are ValueError("math domain
// error"), overflows OverflowError("math range error"); ceil/floor/trunc return ints; factorial, gcd, lcm, comb, perm,
// isqrt work on ints of any size). Espruino's Math has only abs acos asin atan atan2 ceil cos exp floor log pow sin
// sqrt tan, and its pow is inexact, so everything else is computed here from those (fdlibm's and CPython's methods).
import { smi, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise } from "../vm/exc";
import { native, defineModule, NF_KW } from "../vm/registry";
import { typeNameJs, lookupSpecial, unwrap, binaryOp, OP_MUL } from "../vm/ops";
import { call1 } from "../vm/call";
import {
  isFloat, floatVal, newFloat, isIntLike, isBig, intToDouble, intFromDouble, intFromNumber, intMul, intDivMod, intAdd,
  intSign, intAbs, intCompare, intBitLength, intShift,
} from "../obj/num";
import { qw } from "../obj/str";
import { dictSet } from "../obj/dict";
import { tuple2, seqLen, seqItems } from "../obj/seq";
import { getIter, iterNext, listOf } from "../obj/items";
import { kwArg, checkKw } from "./builtins";

const F = new Float64Array(1);
const W = new Int32Array(F.buffer); // W[1]: sign, exponent and high mantissa bits (little-endian)
const LN2 = 0.6931471805599453;
const LN10 = 2.302585092994046;
const INF = Infinity;
// Espruino's Math.pow(2, 53) is 9007199254740986: use it only where it is exact
const POW_OK = Math.pow(2, 53) === 9007199254740992 && Math.pow(10, 22) === 1e22 && Math.pow(5, -3) === 0.008;

function domain(vm: Vm): unknown {
  return raise(vm, T.VALUE_ERROR, "math domain error");
}
function range(vm: Vm): unknown {
  return raise(vm, T.OVERFLOW_ERROR, "math range error");
}

/** A number argument as a double: int, bool, float, or an object with __float__ / __index__. */
function num(vm: Vm, w: number): number {
  if (isFloat(vm, w)) return floatVal(vm, w);
  if (isIntLike(vm, w)) {
    const x = intToDouble(vm, w);
    if (x === INF || x === -INF) throw raise(vm, T.OVERFLOW_ERROR, "int too large to convert to float");
    return x;
  }
  const u = unwrap(vm, w);
  if (u !== w) return num(vm, u);
  let m = lookupSpecial(vm, w, qw(Q.__float__));
  if (m === LY.NULL) m = lookupSpecial(vm, w, qw(Q.__index__));
  if (m !== LY.NULL && (m & 3) === 0) {
    const r = call1(vm, m, w);
    if (isFloat(vm, r) || isIntLike(vm, r)) return num(vm, r);
  }
  throw raise(vm, T.TYPE_ERROR, "must be real number, not " + typeNameJs(vm, w));
}

/** An int argument as an int word. */
function intArg(vm: Vm, w: number): number {
  if (w & 1 || isBig(vm, w)) return w;
  if (w === LY.TRUE) return 3;
  if (w === LY.FALSE) return 1;
  const u = unwrap(vm, w);
  if (u !== w) return intArg(vm, u);
  const m = lookupSpecial(vm, w, qw(Q.__index__));
  if (m !== LY.NULL && (m & 3) === 0) {
    const r = call1(vm, m, w);
    if (r & 1 || isBig(vm, r)) return r;
  }
  throw raise(vm, T.TYPE_ERROR, "'" + typeNameJs(vm, w) + "' object cannot be interpreted as an integer");
}

function isFinite_(x: number): boolean {
  return x === x && x !== INF && x !== -INF;
}

/** 2^k as a double, exactly, for -1074 <= k <= 1023. */
function pow2(k: number): number {
  if (k < -1022) return pow2(k + 54) / 18014398509481984;
  W[0] = 0;
  W[1] = (k + 1023) << 20;
  return F[0];
}

/** x * 2^k with one rounding (C's ldexp). */
function ldexp(x: number, k: number): number {
  if (x === 0 || !isFinite_(x)) return x;
  const m = frexp(x); // x = m * 2^fe exactly, 0.5 <= |m| < 1
  const e = fe + (k > 4000 ? 4000 : k < -4000 ? -4000 : k);
  if (e > 1024) return m * INF;
  if (e >= -1021) return m * 2 * pow2(e - 1); // a normal result: exact
  if (e < -1074) return m * 0;
  return m * pow2(e); // subnormal: one rounding
}

// frexp result: x = fm * 2^fe, 0.5 <= |fm| < 1
let fe = 0;
function frexp(x: number): number {
  fe = 0;
  if (x === 0 || !isFinite_(x)) return x;
  F[0] = x;
  let e = (W[1] >>> 20) & 2047;
  if (e === 0) {
    F[0] = x * 18014398509481984; // 2^54
    e = ((W[1] >>> 20) & 2047) - 54;
  }
  fe = e - 1022;
  W[1] = (W[1] & 0x800fffff) | (1022 << 20);
  return F[0];
}

/** x^y for doubles with C99's special cases; exact by squaring for integral y where Math.pow is not exact. */
function cpow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (x !== x || y !== y) return NaN;
  if (x === -1 && (y === INF || y === -INF)) return 1;
  if (!POW_OK && y === Math.floor(y) && Math.abs(y) <= 4096 && isFinite_(x)) {
    let n = Math.abs(y);
    let r = 1;
    let b = x;
    while (n > 0) {
      if (n % 2) r *= b;
      n = Math.floor(n / 2);
      if (n) b *= b;
    }
    return y < 0 ? 1 / r : r;
  }
  return Math.pow(x, y);
}

function expm1(x: number): number {
  if (x === 0 || x !== x) return x;
  if (Math.abs(x) < 1e-5) return x + (x * x) / 2 + (x * x * x) / 6;
  const u = Math.exp(x);
  if (u === 1) return x;
  const um = u - 1;
  if (um === -1) return -1;
  if (u === INF) return INF;
  return (um * x) / Math.log(u);
}

function log1p(x: number): number {
  if (x === 0 || x !== x || x === INF) return x;
  const u = 1 + x;
  if (u === 1) return x;
  return (Math.log(u) * x) / (u - 1);
}

function log2(x: number): number {
  if (!(x > 0) || x === INF) return x === 0 ? -INF : x === INF ? INF : NaN;
  const m = frexp(x) * 2;
  const e = fe - 1;
  // x = m * 2^e, 1 <= m < 2: exact for powers of two
  if (m === 1) return e;
  return e + Math.log(m) / LN2;
}

const P10 = new Float64Array(23);
P10[0] = 1;
for (let i = 1; i < 23; i++) P10[i] = P10[i - 1] * 10;

function log10(x: number): number {
  if (!(x > 0) || x === INF) return x === 0 ? -INF : x === INF ? INF : NaN;
  // fdlibm's e_log10: x = m * 2^k, log10(x) = k * log10(2) (in two parts) + log(m) / ln(10)
  const m = frexp(x) * 2;
  const i = fe - 1 < 0 ? 1 : 0;
  const k = fe - 1 + i;
  const z = k * 3.69423907715893078616e-13 + 0.434294481903251816668 * Math.log(i ? m / 2 : m);
  const r = z + k * 0.301029995663611771306;
  // exact powers of ten give exact results
  const n = Math.round(r);
  if (n >= 0 && n < 23 && P10[n] === x) return n;
  return r;
}

function sinh(x: number): number {
  if (x === 0 || !isFinite_(x)) return x;
  const a = Math.abs(x);
  let r: number;
  if (a < 22) {
    const e = expm1(a);
    r = a < 1 ? (2 * e - (e * e) / (e + 1)) / 2 : (e + e / (e + 1)) / 2;
  } else if (a < 709.7) r = Math.exp(a) / 2;
  else {
    const t = Math.exp(a / 2);
    r = (t / 2) * t;
  }
  return x < 0 ? -r : r;
}

function cosh(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a < 0.5) {
    const e = expm1(a);
    return 1 + (e * e) / (2 * (1 + e));
  }
  if (a < 22) {
    const t = Math.exp(a);
    return t / 2 + 0.5 / t;
  }
  if (a < 709.7) return Math.exp(a) / 2;
  const t = Math.exp(a / 2);
  return (t / 2) * t;
}

function tanh(x: number): number {
  if (x === 0 || x !== x) return x;
  const a = Math.abs(x);
  let r: number;
  if (a >= 22) r = 1;
  else if (a >= 1) r = 1 - 2 / (expm1(2 * a) + 2);
  else {
    const e = expm1(-2 * a);
    r = -e / (e + 2);
  }
  return x < 0 ? -r : r;
}

function asinh(x: number): number {
  if (x === 0 || !isFinite_(x)) return x;
  const a = Math.abs(x);
  let r: number;
  if (a > 268435456) r = Math.log(a) + LN2;
  else if (a > 2) r = Math.log(2 * a + 1 / (Math.sqrt(x * x + 1) + a));
  else r = log1p(a + (x * x) / (1 + Math.sqrt(1 + x * x)));
  return x < 0 ? -r : r;
}

function acosh(x: number): number {
  if (x < 1) return NaN;
  if (x > 268435456) return x === INF ? x : Math.log(x) + LN2;
  if (x > 2) return Math.log(2 * x - 1 / (x + Math.sqrt(x * x - 1)));
  const t = x - 1;
  return log1p(t + Math.sqrt(2 * t + t * t));
}

function atanh(x: number): number {
  const a = Math.abs(x);
  if (a >= 1) return NaN;
  if (x === 0) return x;
  let r: number;
  if (a < 0.5) r = 0.5 * log1p(2 * a + (2 * a * a) / (1 - a));
  else r = 0.5 * log1p((2 * a) / (1 - a));
  return x < 0 ? -r : r;
}

// erf and erfc as CPython computed them before it used libm: a series near 0, a continued fraction further out.
const SQRTPI = 1.772453850905516;
function erfSeries(x: number): number {
  const x2 = x * x;
  let acc = 0;
  let fk = 25.5;
  for (let i = 0; i < 25; i++) {
    acc = 2 + (x2 * acc) / fk;
    fk -= 1;
  }
  return (acc * x * Math.exp(-x2)) / SQRTPI;
}
function erfcContfrac(x: number): number {
  if (x >= 30) return 0;
  const x2 = x * x;
  let a = 0;
  let da = 0.5;
  let p = 1;
  let pl = 0;
  let q = da + x2;
  let ql = 1;
  for (let i = 0; i < 50; i++) {
    a += da;
    da += 2;
    const b = da + x2;
    let t = p;
    p = b * p - a * pl;
    pl = t;
    t = q;
    q = b * q - a * ql;
    ql = t;
  }
  return ((p / q) * x * Math.exp(-x2)) / SQRTPI;
}
function erf(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a < 1.5) return erfSeries(x);
  const cf = erfcContfrac(a);
  return x > 0 ? 1 - cf : cf - 1;
}
function erfc(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a < 1.5) return 1 - erfSeries(x);
  const cf = erfcContfrac(a);
  return x > 0 ? cf : 2 - cf;
}

// gamma and lgamma: CPython's Lanczos approximation (Modules/mathmodule.c), g = 6.024680040776729583740234375.
const LG = 6.02468004077673;
const LG_MINUS_HALF = 5.52468004077673;
const LNUM = new Float64Array([23531376880.410759688572007674451636754734846804940, 42919803642.649098768957899047001988850926355848959,
  35711959237.355668049440185451547166705960488635843, 17921034426.037209699919755754458931112671403265390,
  6039542586.3520280050642916443072979210699388420708, 1439720407.3117216736632230727949123939715485786772,
  248874557.86205415651146038641322942321632125127801, 31426415.585400194380614231628318205362874684987640,
  2876370.6289353724412254090516208496135991145378768, 186056.26539522349504029498971604569928220784236328,
  8071.6720023658162106380029022722506138218516325024, 210.82427775157934587250973392071336271166969580291,
  2.5066282746310002701649081771338373386264310793408]);
const LDEN = new Float64Array([0.0, 39916800.0, 120543840.0, 150917976.0, 105258076.0, 45995730.0, 13339535.0, 2637558.0, 357423.0,
  32670.0, 1925.0, 66.0, 1.0]);

function lanczosSum(x: number): number {
  let num = 0;
  let den = 0;
  if (x < 5) {
    for (let i = 12; i >= 0; i--) {
      num = num * x + LNUM[i];
      den = den * x + LDEN[i];
    }
  } else {
    for (let i = 0; i < 13; i++) {
      num = num / x + LNUM[i];
      den = den / x + LDEN[i];
    }
  }
  return num / den;
}

function sinpi(x: number): number {
  const y = Math.abs(x) % 2;
  const n = Math.round(2 * y);
  let r: number;
  switch (n) {
    case 0: r = Math.sin(Math.PI * y); break;
    case 1: r = Math.cos(Math.PI * (y - 0.5)); break;
    case 2: r = Math.sin(Math.PI * (1 - y)); break;
    case 3: r = -Math.cos(Math.PI * (y - 1.5)); break;
    default: r = Math.sin(Math.PI * (y - 2));
  }
  return x < 0 ? -r : r === 0 ? 0 : r;
}

// factorials 0! … 22!, exact doubles
const FACT = new Float64Array(23);
FACT[0] = 1;
for (let i = 1; i < 23; i++) FACT[i] = FACT[i - 1] * i;

/** gamma(x); sets gErr: 1 domain, 2 range. */
let gErr = 0;
function tgamma(x: number): number {
  gErr = 0;
  if (!isFinite_(x)) {
    if (x !== x || x > 0) return x;
    gErr = 1;
    return NaN;
  }
  if (x === 0) {
    gErr = 1;
    return 1 / x;
  }
  if (x === Math.floor(x)) {
    if (x < 0) {
      gErr = 1;
      return NaN;
    }
    if (x <= 23) return FACT[x - 1];
  }
  const ax = Math.abs(x);
  if (ax < 1e-20) {
    const r = 1 / x;
    if (!isFinite_(r)) gErr = 2;
    return r;
  }
  if (ax > 200) {
    if (x < 0) return 0 / sinpi(x);
    gErr = 2;
    return INF;
  }
  const y = ax + LG_MINUS_HALF;
  let q: number;
  let z: number;
  if (ax > LG_MINUS_HALF) {
    q = y - ax;
    z = q - LG_MINUS_HALF;
  } else {
    q = y - LG_MINUS_HALF;
    z = q - ax;
  }
  z = (z * LG) / y;
  let r: number;
  if (x < 0) {
    r = ((-Math.PI / sinpi(ax) / ax) * Math.exp(y)) / lanczosSum(ax);
    r -= z * r;
    if (ax < 140) r /= cpow(y, ax - 0.5);
    else {
      const sq = cpow(y, ax / 2 - 0.25);
      r /= sq;
      r /= sq;
    }
  } else {
    r = lanczosSum(ax) / Math.exp(y);
    r += z * r;
    if (ax < 140) r *= cpow(y, ax - 0.5);
    else {
      const sq = cpow(y, ax / 2 - 0.25);
      r *= sq;
      r *= sq;
    }
  }
  if (!isFinite_(r)) gErr = 2;
  return r;
}

function lgamma(x: number): number {
  gErr = 0;
  if (!isFinite_(x)) return x !== x ? x : INF;
  if (x === Math.floor(x) && x <= 2) {
    if (x <= 0) {
      gErr = 1;
      return INF;
    }
    return 0;
  }
  const ax = Math.abs(x);
  if (ax < 1e-20) return -Math.log(ax);
  let r = Math.log(lanczosSum(ax)) - LG;
  r += (ax - 0.5) * (Math.log(ax + LG - 0.5) - 1);
  if (x < 0) r = Math.log(Math.PI) - Math.log(Math.abs(sinpi(ax))) - Math.log(ax) - r;
  if (!isFinite_(r)) gErr = 2;
  return r;
}

// --- one-argument float functions ------------------------------------------------------------------------------------

/** Apply function `op` to x. */
function calc1(op: number, x: number): number {
  switch (op) {
    case 0: return Math.sqrt(x);
    case 1: return Math.exp(x);
    case 2: return expm1(x);
    case 3: return log2(x);
    case 4: return log10(x);
    case 5: return log1p(x);
    case 6: return Math.cos(x);
    case 7: return Math.sin(x);
    case 8: return Math.tan(x);
    case 9: return Math.acos(x);
    case 10: return Math.asin(x);
    case 11: return Math.atan(x);
    case 12: return cosh(x);
    case 13: return sinh(x);
    case 14: return tanh(x);
    case 15: return acosh(x);
    case 16: return asinh(x);
    case 17: return atanh(x);
    case 18: return Math.abs(x);
    case 19: return erf(x);
    case 20: return erfc(x);
    case 21: return x * 57.29577951308232; // 180 / pi
    case 22: return x * 0.017453292519943295; // pi / 180
  }
  return NaN;
}

/** A native for calc1(op): NaN from a non-NaN is a domain error, infinity from a finite value a range error. */
function f1(op: number, overflow: boolean) {
  return function (vm: Vm, a: number): number {
    const x = num(vm, vm.H[a]);
    const r = calc1(op, x);
    if (r !== r && x === x) throw domain(vm);
    if ((r === INF || r === -INF) && isFinite_(x)) throw overflow ? range(vm) : domain(vm);
    return newFloat(vm, r);
  };
}

/** log (op 0), log2 (3) or log10 (4) of a double. */
function logOp(op: number, x: number): number {
  return op === 0 ? Math.log(x) : calc1(op, x);
}

/** log, log2 or log10 of an int of any size: huge ones as m * 2^e, f(m) + e * f(2), as CPython does. */
function logInt(vm: Vm, w: number, op: number): number {
  if (intSign(vm, w) <= 0) throw domain(vm);
  const x = intToDouble(vm, w);
  if (x !== INF) return logOp(op, x);
  const n = intBitLength(vm, w);
  const m = intToDouble(vm, intShift(vm, w, smi(n - 60), false)) * pow2(-60);
  return logOp(op, m) + n * logOp(op, 2);
}

function logArg(vm: Vm, w: number, op: number): number {
  if (isIntLike(vm, w)) return logInt(vm, w, op);
  const x = num(vm, w);
  if (x !== x || x === INF) return x;
  if (x <= 0) throw domain(vm);
  return logOp(op, x);
}

/** log2 (op 3) and log10 (op 4). */
function logBase(op: number) {
  return function (vm: Vm, a: number): number {
    return newFloat(vm, logArg(vm, vm.H[a], op));
  };
}

function logFn(vm: Vm, a: number, n: number): number {
  const r = logArg(vm, vm.H[a], 0);
  if (n < 2) return newFloat(vm, r);
  const d = logArg(vm, vm.H[a + 1], 0);
  if (d === 0) throw raise(vm, T.ZERO_DIVISION_ERROR, "float division by zero");
  return newFloat(vm, r / d);
}

/** ceil, floor, trunc: an int (op 0 ceil, 1 floor, 2 trunc). */
function rounding(op: number) {
  const names = [Q.__ceil__, Q.__floor__, Q.__trunc__];
  return function (vm: Vm, a: number): number {
    const w = vm.H[a];
    if (isIntLike(vm, w)) return w === LY.TRUE ? 3 : w === LY.FALSE ? 1 : w;
    if (!isFloat(vm, w)) {
      const m = lookupSpecial(vm, w, qw(names[op]));
      if (m !== LY.NULL && (m & 3) === 0) return call1(vm, m, w);
      if (op === 2 && m === LY.NULL) throw raise(vm, T.TYPE_ERROR, "type " + typeNameJs(vm, w) + " doesn't define __trunc__ method");
    }
    const x = num(vm, w);
    if (x !== x) throw raise(vm, T.VALUE_ERROR, "cannot convert float NaN to integer");
    if (x === INF || x === -INF) throw raise(vm, T.OVERFLOW_ERROR, "cannot convert float infinity to integer");
    const r = op === 0 ? Math.ceil(x) : op === 1 ? Math.floor(x) : x < 0 ? Math.ceil(x) : Math.floor(x);
    return intFromDouble(vm, r);
  };
}

function powFn(vm: Vm, a: number): number {
  const x = num(vm, vm.H[a]);
  const y = num(vm, vm.H[a + 1]);
  if (x === 0 && y < 0 && y !== -INF) throw domain(vm);
  if (x < 0 && isFinite_(x) && isFinite_(y) && y !== Math.floor(y)) throw domain(vm);
  const r = cpow(x, y);
  if ((r === INF || r === -INF) && isFinite_(x) && isFinite_(y)) throw range(vm);
  return newFloat(vm, r);
}

function fmodFn(vm: Vm, a: number): number {
  const x = num(vm, vm.H[a]);
  const y = num(vm, vm.H[a + 1]);
  if (y === INF || y === -INF) {
    if (isFinite_(x)) return newFloat(vm, x);
  }
  const r = x % y;
  if (r !== r && x === x && y === y) throw domain(vm);
  return newFloat(vm, r);
}

function modfFn(vm: Vm, a: number): number {
  const x = num(vm, vm.H[a]);
  let ip: number;
  let fp: number;
  if (x !== x) ip = fp = x;
  else if (x === INF || x === -INF) {
    ip = x;
    fp = x > 0 ? 0 : -0;
  } else {
    ip = x < 0 ? Math.ceil(x) : Math.floor(x);
    fp = x - ip;
    if (fp === 0) fp = x < 0 || 1 / x < 0 ? -0 : 0;
    if (ip === 0 && x < 0) ip = -0;
  }
  return floatPair(vm, fp, ip);
}

function floatPair(vm: Vm, x: number, y: number): number {
  const p = vm.tpush(newFloat(vm, x));
  const q = vm.tpush(newFloat(vm, y));
  const t = tuple2(vm, p, q);
  vm.tpop(2);
  return t;
}

function frexpFn(vm: Vm, a: number): number {
  const m = frexp(num(vm, vm.H[a]));
  const e = smi(fe);
  const p = vm.tpush(newFloat(vm, m));
  const t = tuple2(vm, p, e);
  vm.tpop(1);
  return t;
}

function ldexpFn(vm: Vm, a: number): number {
  const x = num(vm, vm.H[a]);
  const iw = vm.H[a + 1];
  if (!isIntLike(vm, iw)) throw raise(vm, T.TYPE_ERROR, "Expected an int as second argument to ldexp.");
  const k = intToDouble(vm, iw);
  const r = ldexp(x, k);
  if ((r === INF || r === -INF) && isFinite_(x)) throw range(vm);
  return newFloat(vm, r);
}

function signBit(x: number): boolean {
  F[0] = x;
  return W[1] < 0;
}

function copysignFn(vm: Vm, a: number): number {
  const x = Math.abs(num(vm, vm.H[a]));
  return newFloat(vm, signBit(num(vm, vm.H[a + 1])) ? -x : x);
}

function atan2Fn(vm: Vm, a: number): number {
  return newFloat(vm, Math.atan2(num(vm, vm.H[a]), num(vm, vm.H[a + 1])));
}

function isclose(vm: Vm, a: number, n: number, kw: number): number {
  checkKw(vm, "isclose", kw, [qw(Q.rel_tol), qw(Q.abs_tol)]);
  const x = num(vm, vm.H[a]);
  const y = num(vm, vm.H[a + 1]);
  const rw = kwArg(vm, a, n, kw, qw(Q.rel_tol));
  const aw = kwArg(vm, a, n, kw, qw(Q.abs_tol));
  const rel = rw === LY.NULL ? 1e-9 : num(vm, rw);
  const abs = aw === LY.NULL ? 0 : num(vm, aw);
  if (rel < 0 || abs < 0) throw raise(vm, T.VALUE_ERROR, "tolerances must be non-negative");
  if (x === y) return LY.TRUE;
  if (x === INF || x === -INF || y === INF || y === -INF) return LY.FALSE;
  const d = Math.abs(y - x);
  return (d <= Math.abs(rel * y) || d <= Math.abs(rel * x)) || d <= abs ? LY.TRUE : LY.FALSE;
}

/** sqrt of the sum of squares of the doubles in v, without overflow or underflow (CPython's vector_norm, simplified). */
function norm(v: number[]): number {
  let max = 0;
  let nan = false;
  for (let i = 0; i < v.length; i++) {
    const x = Math.abs(v[i]);
    if (x !== x) nan = true;
    else if (x > max) max = x;
  }
  if (max === INF) return INF;
  if (nan) return NaN;
  if (max === 0 || v.length === 1) return max;
  const e = frexp(max);
  void e;
  const scale = fe;
  let sum = 0;
  let comp = 0;
  for (let i = 0; i < v.length; i++) {
    const x = ldexp(v[i], -scale);
    const y = x * x - comp;
    const t = sum + y;
    comp = t - sum - y;
    sum = t;
  }
  return ldexp(Math.sqrt(sum), scale);
}

function hypotFn(vm: Vm, a: number, n: number): number {
  const v: number[] = [];
  for (let i = 0; i < n; i++) v.push(num(vm, vm.H[a + i]));
  return newFloat(vm, norm(v));
}

function distFn(vm: Vm, a: number): number {
  const p = vm.tpush(listOf(vm, vm.H[a]));
  const q = vm.tpush(listOf(vm, vm.H[a + 1]));
  const n = seqLen(vm, p);
  if (n !== seqLen(vm, q)) throw raise(vm, T.VALUE_ERROR, "both points must have the same number of dimensions");
  const v: number[] = [];
  for (let i = 0; i < n; i++) v.push(num(vm, vm.H[seqItems(vm, p) + i]) - num(vm, vm.H[seqItems(vm, q) + i]));
  vm.tpop(2);
  return newFloat(vm, norm(v));
}

/** fsum: Shewchuk's exact summation, as CPython's math.fsum. */
function fsumFn(vm: Vm, a: number): number {
  const it = vm.tpush(getIter(vm, vm.H[a]));
  const p: number[] = [];
  let specialSum = 0;
  let infSum = 0;
  try {
    for (;;) {
      const w = iterNext(vm, it);
      if (w === LY.NULL) break;
      let x = num(vm, w);
      const xsave = x;
      let i = 0;
      for (let j = 0; j < p.length; j++) {
        let y = p[j];
        if (Math.abs(x) < Math.abs(y)) {
          const t = x;
          x = y;
          y = t;
        }
        const hi = x + y;
        const lo = y - (hi - x);
        if (lo !== 0) p[i++] = lo;
        x = hi;
      }
      p.splice(i, p.length - i); // (Espruino: assigning to length throws)
      if (x !== 0) {
        if (!isFinite_(x)) {
          if (isFinite_(xsave)) throw raise(vm, T.OVERFLOW_ERROR, "intermediate overflow in fsum");
          if (xsave !== xsave) specialSum = NaN;
          else infSum += xsave;
          specialSum += xsave;
          p.splice(0, p.length);
        } else p.push(x);
      }
    }
  } finally {
    vm.tpop(1);
  }
  if (specialSum !== 0) {
    if (infSum !== infSum) throw raise(vm, T.VALUE_ERROR, "-inf + inf in fsum");
    return newFloat(vm, specialSum);
  }
  let hi = 0;
  let n = p.length;
  if (n > 0) {
    hi = p[--n];
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n];
      hi = x + y;
      const yr = hi - x;
      lo = y - yr;
      if (lo !== 0) break;
    }
    // round half-even correctly when the remaining partials decide it
    if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
      const y = lo * 2;
      const x = hi + y;
      const yr = x - hi;
      if (y === yr) hi = x;
    }
  }
  return newFloat(vm, hi);
}

// --- integer functions -----------------------------------------------------------------------------------------------

function nonNeg(vm: Vm, w: number, what: string): number {
  const v = intArg(vm, w);
  if (intSign(vm, v) < 0) throw raise(vm, T.VALUE_ERROR, what);
  return v;
}

/** lo * (lo+1) * … * hi as an int word (1 if lo > hi); the running product stays rooted. */
function rangeProduct(vm: Vm, lo: number, hi: number): number {
  let acc = 3;
  vm.tpush(acc);
  let part = 1;
  for (let i = lo; i <= hi; i++) {
    if (part * i > 9007199254740991) {
      acc = intMul(vm, acc, vm.tpush(intFromNumber(vm, part)));
      vm.tpop(1);
      vm.tr[vm.tn - 1] = acc;
      part = 1;
    }
    part *= i;
  }
  acc = intMul(vm, acc, vm.tpush(intFromNumber(vm, part)));
  vm.tpop(2);
  return acc;
}

function factorial(vm: Vm, a: number): number {
  const w = vm.H[a];
  if (isFloat(vm, w)) throw raise(vm, T.TYPE_ERROR, "'float' object cannot be interpreted as an integer");
  const v = nonNeg(vm, w, "factorial() not defined for negative values");
  if (!(v & 1)) throw raise(vm, T.OVERFLOW_ERROR, "factorial() argument should not exceed 2147483647");
  return rangeProduct(vm, 2, v >> 1);
}

function gcd2(vm: Vm, x: number, y: number): number {
  if (x & 1 && y & 1) {
    let p = Math.abs(x >> 1);
    let q = Math.abs(y >> 1);
    while (q) {
      const t = p % q;
      p = q;
      q = t;
    }
    return intFromNumber(vm, p);
  }
  const t0 = vm.tn;
  let p = vm.tpush(intAbs(vm, x));
  let q = vm.tpush(intAbs(vm, y));
  while (intSign(vm, q) !== 0) {
    if (p & 1 && q & 1) {
      vm.tpop(vm.tn - t0);
      return gcd2(vm, p, q);
    }
    const r = intDivMod(vm, p, q, 1);
    p = q;
    q = r;
    vm.tr[t0] = p;
    vm.tr[t0 + 1] = q;
  }
  vm.tpop(vm.tn - t0);
  return p;
}

function gcdFn(vm: Vm, a: number, n: number): number {
  let g = 1;
  vm.tpush(g);
  for (let i = 0; i < n; i++) {
    g = gcd2(vm, g, vm.tpush(intArg(vm, vm.H[a + i])));
    vm.tpop(1);
    vm.tr[vm.tn - 1] = g;
  }
  vm.tpop(1);
  return g;
}

function lcmFn(vm: Vm, a: number, n: number): number {
  let l = 3;
  vm.tpush(l);
  for (let i = 0; i < n; i++) {
    const x = intArg(vm, vm.H[a + i]);
    if (intSign(vm, x) === 0 || intSign(vm, l) === 0) {
      l = 1;
    } else {
      vm.tpush(x);
      const g = vm.tpush(gcd2(vm, l, x));
      const q = vm.tpush(intDivMod(vm, l, g, 0));
      l = intAbs(vm, vm.tpush(intMul(vm, q, x)));
      vm.tpop(4);
    }
    vm.tr[vm.tn - 1] = l;
  }
  vm.tpop(1);
  return l;
}

/** perm(n, k) (comb false) or comb(n, k). */
function permComb(vm: Vm, a: number, n: number, comb: boolean): number {
  const H = vm.H;
  const nn = nonNeg(vm, H[a], "n must be a non-negative integer");
  if (!comb && (n < 2 || H[a + 1] === LY.NONE)) return factorialOf(vm, nn);
  const t0 = vm.tn;
  vm.tpush(nn);
  try {
    let k = vm.tpush(nonNeg(vm, H[a + 1], "k must be a non-negative integer"));
    if (intCompare(vm, k, nn) > 0) return 1;
    if (comb) {
      const d = vm.tpush(intAdd(vm, nn, k, true));
      if (intCompare(vm, d, k) < 0) k = d;
    }
    if (!(k & 1)) throw raise(vm, T.OVERFLOW_ERROR, "min(n - k, k) must not exceed 2147483647");
    const kk = k >> 1;
    let acc = vm.tpush(3);
    const slot = vm.tn - 1;
    for (let i = 0; i < kk; i++) {
      const f = vm.tpush(intAdd(vm, nn, smi(i), true));
      acc = intMul(vm, acc, f);
      vm.tr[slot] = acc;
      if (comb) {
        acc = intDivMod(vm, acc, smi(i + 1), 0);
        vm.tr[slot] = acc;
      }
      vm.tpop(1);
    }
    return acc;
  } finally {
    vm.tpop(vm.tn - t0);
  }
}

function factorialOf(vm: Vm, v: number): number {
  if (!(v & 1)) throw raise(vm, T.OVERFLOW_ERROR, "n must not exceed 2147483647");
  return rangeProduct(vm, 2, v >> 1);
}

function isqrt(vm: Vm, a: number): number {
  const n = nonNeg(vm, vm.H[a], "isqrt() argument must be nonnegative");
  if (n & 1) {
    const v = n >> 1;
    let r = Math.floor(Math.sqrt(v));
    while (r * r > v) r--;
    while ((r + 1) * (r + 1) <= v) r++;
    return smi(r);
  }
  vm.tpush(n);
  // Newton from above: x0 = 2^ceil(bits/2) >= sqrt(n)
  const bits = intBitLength(vm, n);
  let x = vm.tpush(intShift(vm, 3, smi((bits + 1) >> 1), true));
  const slot = vm.tn - 1;
  for (;;) {
    const q = vm.tpush(intDivMod(vm, n, x, 0));
    const y = intShift(vm, vm.tpush(intAdd(vm, x, q, false)), 3, false);
    vm.tpop(2);
    if (intCompare(vm, y, x) >= 0) break;
    x = y;
    vm.tr[slot] = x;
  }
  vm.tpop(2);
  return x;
}

function prodFn(vm: Vm, a: number, n: number, kw: number): number {
  checkKw(vm, "prod", kw, [qw(Q.start)]);
  const st = kwArg(vm, a, n, kw, qw(Q.start));
  const it = vm.tpush(getIter(vm, vm.H[a]));
  let acc = vm.tpush(st === LY.NULL ? 3 : st);
  try {
    for (;;) {
      const x = iterNext(vm, it);
      if (x === LY.NULL) break;
      acc = binaryOp(vm, OP_MUL, acc, x);
      vm.tr[vm.tn - 1] = acc;
    }
    return acc;
  } finally {
    vm.tpop(2);
  }
}

function isX(op: number) {
  return function (vm: Vm, a: number): number {
    const x = num(vm, vm.H[a]);
    const r = op === 0 ? isFinite_(x) : op === 1 ? x === INF || x === -INF : x !== x;
    return r ? LY.TRUE : LY.FALSE;
  };
}

function gammaFn(lg: boolean) {
  return function (vm: Vm, a: number): number {
    const r = lg ? lgamma(num(vm, vm.H[a])) : tgamma(num(vm, vm.H[a]));
    if (gErr === 1) throw domain(vm);
    if (gErr === 2) throw range(vm);
    return newFloat(vm, r);
  };
}

defineModule({
  name: Q.math,
  attrs: function (): number[] {
    return [
      Q.sqrt, native(Q.sqrt, 1, 1, 0, f1(0, false)),
      Q.exp, native(Q.exp, 1, 1, 0, f1(1, true)),
      Q.expm1, native(Q.expm1, 1, 1, 0, f1(2, true)),
      Q.log, native(Q.log, 1, 2, 0, logFn),
      Q.log2, native(Q.log2, 1, 1, 0, logBase(3)),
      Q.log10, native(Q.log10, 1, 1, 0, logBase(4)),
      Q.log1p, native(Q.log1p, 1, 1, 0, f1(5, false)),
      Q.cos, native(Q.cos, 1, 1, 0, f1(6, false)),
      Q.sin, native(Q.sin, 1, 1, 0, f1(7, false)),
      Q.tan, native(Q.tan, 1, 1, 0, f1(8, false)),
      Q.acos, native(Q.acos, 1, 1, 0, f1(9, false)),
      Q.asin, native(Q.asin, 1, 1, 0, f1(10, false)),
      Q.atan, native(Q.atan, 1, 1, 0, f1(11, false)),
      Q.atan2, native(Q.atan2, 2, 2, 0, atan2Fn),
      Q.cosh, native(Q.cosh, 1, 1, 0, f1(12, true)),
      Q.sinh, native(Q.sinh, 1, 1, 0, f1(13, true)),
      Q.tanh, native(Q.tanh, 1, 1, 0, f1(14, false)),
      Q.acosh, native(Q.acosh, 1, 1, 0, f1(15, false)),
      Q.asinh, native(Q.asinh, 1, 1, 0, f1(16, false)),
      Q.atanh, native(Q.atanh, 1, 1, 0, f1(17, false)),
      Q.fabs, native(Q.fabs, 1, 1, 0, f1(18, false)),
      Q.erf, native(Q.erf, 1, 1, 0, f1(19, false)),
      Q.erfc, native(Q.erfc, 1, 1, 0, f1(20, false)),
      Q.degrees, native(Q.degrees, 1, 1, 0, f1(21, true)),
      Q.radians, native(Q.radians, 1, 1, 0, f1(22, true)),
      Q.gamma, native(Q.gamma, 1, 1, 0, gammaFn(false)),
      Q.lgamma, native(Q.lgamma, 1, 1, 0, gammaFn(true)),
      Q.ceil, native(Q.ceil, 1, 1, 0, rounding(0)),
      Q.floor, native(Q.floor, 1, 1, 0, rounding(1)),
      Q.trunc, native(Q.trunc, 1, 1, 0, rounding(2)),
      Q.pow, native(Q.pow, 2, 2, 0, powFn),
      Q.fmod, native(Q.fmod, 2, 2, 0, fmodFn),
      Q.modf, native(Q.modf, 1, 1, 0, modfFn),
      Q.frexp, native(Q.frexp, 1, 1, 0, frexpFn),
      Q.ldexp, native(Q.ldexp, 2, 2, 0, ldexpFn),
      Q.copysign, native(Q.copysign, 2, 2, 0, copysignFn),
      Q.isfinite, native(Q.isfinite, 1, 1, 0, isX(0)),
      Q.isinf, native(Q.isinf, 1, 1, 0, isX(1)),
      Q.isnan, native(Q.isnan, 1, 1, 0, isX(2)),
      Q.isclose, native(Q.isclose, 2, 2, NF_KW, isclose),
      Q.hypot, native(Q.hypot, 0, -1, 0, hypotFn),
      Q.dist, native(Q.dist, 2, 2, 0, distFn),
      Q.fsum, native(Q.fsum, 1, 1, 0, fsumFn),
      Q.prod, native(Q.prod, 1, 1, NF_KW, prodFn),
      Q.factorial, native(Q.factorial, 1, 1, 0, factorial),
      Q.gcd, native(Q.gcd, 0, -1, 0, gcdFn),
      Q.lcm, native(Q.lcm, 0, -1, 0, lcmFn),
      Q.comb, native(Q.comb, 2, 2, 0, function (vm, a, n) { return permComb(vm, a, n, true); }),
      Q.perm, native(Q.perm, 1, 2, 0, function (vm, a, n) { return permComb(vm, a, n, false); }),
      Q.isqrt, native(Q.isqrt, 1, 1, 0, isqrt),
    ];
  },
  init: function (vm: Vm, mod: number): void {
    const d = vm.H[(mod >> 2) + LY.M_DICT];
    const c = [Q.pi, Math.PI, Q.e, Math.E, Q.tau, 2 * Math.PI, Q.inf, INF, Q.nan, NaN];
    for (let i = 0; i < c.length; i += 2) {
      const f = vm.tpush(newFloat(vm, c[i + 1]));
      dictSet(vm, d, qw(c[i]), f);
      vm.tpop(1);
    }
  },
});
