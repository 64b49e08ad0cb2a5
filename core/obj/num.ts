// int and float values: small ints (tagged), big ints (BIGINT objects of 24-bit limbs, arithmetic in core/bigint.ts)
// and floats (FLOAT objects), with Python's semantics for every arithmetic operator between them.
import * as B from "../bigint";
import { floatRepr } from "../float";
import { K, NULL, NOT_IMPLEMENTED, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { raise } from "../vm/exc";
import { T } from "../vm/types";
import { newTuple } from "./seq";

// --- floats ----------------------------------------------------------------------------------------------------------

const F64 = new Float64Array(1);
const I32 = new Int32Array(F64.buffer);

export function newFloat(vm: Vm, x: number): number {
  const p = vm.alloc(K.FLOAT, 3);
  const dv = vm.dv;
  if (dv !== null) {
    dv.setFloat64((p << 2) + 4, x, true);
    return p << 2;
  }
  F64[0] = x;
  vm.H[p + 1] = I32[0];
  vm.H[p + 2] = I32[1];
  return p << 2;
}

export function floatVal(vm: Vm, w: number): number {
  // the host reads the double in place (the scratch round trip stalls: two 32-bit stores, one 64-bit load)
  const dv = vm.dv;
  if (dv !== null) return dv.getFloat64(w + 4, true);
  const p = w >> 2;
  I32[0] = vm.H[p + 1];
  I32[1] = vm.H[p + 2];
  return F64[0];
}

export function isFloat(vm: Vm, w: number): boolean {
  return (w & 3) === 0 && w !== 0 && (vm.H[w >> 2] & 127) === K.FLOAT;
}

export function isBig(vm: Vm, w: number): boolean {
  return (w & 3) === 0 && w !== 0 && (vm.H[w >> 2] & 127) === K.BIGINT;
}

/** Is w an int (small, big, or bool)? */
export function isIntLike(vm: Vm, w: number): boolean {
  return (w & 1) === 1 || w === LY.TRUE || w === LY.FALSE || isBig(vm, w);
}

/** Is w an int, bool or float? */
export function isNumber(vm: Vm, w: number): boolean {
  return isIntLike(vm, w) || isFloat(vm, w);
}

export function floatStr(x: number): string {
  return floatRepr(x);
}

// --- ints --------------------------------------------------------------------------------------------------------------

/** An int word for any integral JS number (exact if |v| <= 2^53). */
export function intFromNumber(vm: Vm, v: number): number {
  if (v >= LY.SMALL_MIN && v <= LY.SMALL_MAX) return (v << 1) | 1;
  return intFromDouble(vm, v);
}

/** An int from an integral double of any size (the double must be finite). */
export function intFromDouble(vm: Vm, x: number): number {
  if (x >= LY.SMALL_MIN && x <= LY.SMALL_MAX) return ((x < 0 ? -Math.floor(-x) : Math.floor(x)) << 1) | 1;
  const n = B.doubleLen(x);
  const p = vm.alloc(K.BIGINT, 2 + n);
  const len = B.fromDouble(x, vm.H, p + 2);
  return finishBig(vm, p, len, x < 0 ? 1 : 0);
}

// Operand views: a small int or bool is copied into a 2-limb scratch so that every operation sees limbs.
const SA = new Int32Array(2);
const SB = new Int32Array(2);
let aA: Int32Array = SA;
let aO = 0;
let aL = 0;
let aS = 0;
let bA: Int32Array = SB;
let bO = 0;
let bL = 0;
let bS = 0;

function smallToLimbs(v: number, s: Int32Array): number {
  if (v < 0) v = -v;
  s[0] = v & 0xffffff;
  s[1] = Math.floor(v / 16777216);
  return s[1] ? 2 : s[0] ? 1 : 0;
}

function viewA(vm: Vm, w: number): void {
  if (w & 1 || (w & 3) === 2) {
    const v = w === LY.TRUE ? 1 : w === LY.FALSE ? 0 : w >> 1;
    aA = SA;
    aO = 0;
    aL = smallToLimbs(v, SA);
    aS = v < 0 ? 1 : 0;
  } else {
    const p = w >> 2;
    const n = vm.H[p + 1];
    aA = vm.H;
    aO = p + 2;
    aL = n < 0 ? -n : n;
    aS = n < 0 ? 1 : 0;
  }
}

function viewB(vm: Vm, w: number): void {
  if (w & 1 || (w & 3) === 2) {
    const v = w === LY.TRUE ? 1 : w === LY.FALSE ? 0 : w >> 1;
    bA = SB;
    bO = 0;
    bL = smallToLimbs(v, SB);
    bS = v < 0 ? 1 : 0;
  } else {
    const p = w >> 2;
    const n = vm.H[p + 1];
    bA = vm.H;
    bO = p + 2;
    bL = n < 0 ? -n : n;
    bS = n < 0 ? 1 : 0;
  }
}

/** Turn a freshly computed BIGINT at p (limbs at p+2, `len` of them) into a value: a small int if it fits. */
export function finishBig(vm: Vm, p: number, len: number, sign: number): number {
  const H = vm.H;
  if (len <= 2) {
    const v = len === 0 ? 0 : len === 1 ? H[p + 2] : H[p + 2] + H[p + 3] * 16777216;
    if (v <= LY.SMALL_MAX + (sign ? 1 : 0)) {
      vm.heap.shrink(p, 2);
      return ((sign ? -v : v) << 1) | 1;
    }
  }
  H[p + 1] = sign ? -len : len;
  vm.heap.shrink(p, 2 + len);
  return p << 2;
}

function newBig(vm: Vm, limbs: number): number {
  return vm.alloc(K.BIGINT, 2 + (limbs > 0 ? limbs : 0));
}

/** The int's value as a double (rounded half-even; may be Infinity for huge values). */
export function intToDouble(vm: Vm, w: number): number {
  if (w & 1) return w >> 1;
  if (w === LY.TRUE) return 1;
  if (w === LY.FALSE) return 0;
  viewA(vm, w);
  const x = B.toDouble(aA, aO, aL);
  return aS ? -x : x;
}

/** The int as a double, OverflowError if it is too large. */
export function intToFloatChecked(vm: Vm, w: number): number {
  const x = intToDouble(vm, w);
  if (x === Infinity || x === -Infinity) throw raise(vm, T.OVERFLOW_ERROR, "int too large to convert to float");
  return x;
}

/** -1, 0 or 1 for a < b, a == b, a > b (ints of any size). */
export function intCompare(vm: Vm, a: number, b: number): number {
  if (a & 1 && b & 1) return a < b ? -1 : a > b ? 1 : 0;
  viewA(vm, a);
  viewB(vm, b);
  if (aS !== bS) return aS ? -1 : 1;
  const c = B.compare(aA, aO, aL, bA, bO, bL);
  return aS ? -c : c;
}

export function intSign(vm: Vm, w: number): number {
  if (w & 1) return w < 1 ? (w === 1 ? 0 : -1) : w === 1 ? 0 : 1;
  if (w === LY.TRUE) return 1;
  if (w === LY.FALSE) return 0;
  return vm.H[(w >> 2) + 1] < 0 ? -1 : 1;
}

/**
 * The value of int word w as a double when it has at most two limbs (|w| < 2^48: sums, and products with a small int,
 * stay exact), else NaN. Arithmetic on such ints (a running hash past 2^30, say) skips the limb machinery.
 */
function medium(vm: Vm, w: number): number {
  if (w & 1) return w >> 1;
  if ((w & 3) === 2) return w === LY.TRUE ? 1 : w === LY.FALSE ? 0 : NaN;
  const p = w >> 2;
  const n = vm.H[p + 1];
  if (n > 2 || n < -2 || (vm.H[p] & 127) !== K.BIGINT) return NaN;
  const m = n === 0 ? 0 : n === 1 || n === -1 ? vm.H[p + 2] : vm.H[p + 2] + vm.H[p + 3] * 16777216;
  return n < 0 ? -m : m;
}

export function intAdd(vm: Vm, a: number, b: number, negB: boolean): number {
  if (a & 1 && b & 1) {
    const r = negB ? (a >> 1) - (b >> 1) : (a >> 1) + (b >> 1);
    if (r >= LY.SMALL_MIN && r <= LY.SMALL_MAX) return (r << 1) | 1;
  }
  const x = medium(vm, a);
  const y = medium(vm, b);
  if (x === x && y === y) return intFromDouble(vm, negB ? x - y : x + y);
  viewA(vm, a);
  viewB(vm, b);
  const p = newBig(vm, (aL > bL ? aL : bL) + 1);
  viewA(vm, a);
  viewB(vm, b);
  const len = B.addSigned(aA, aO, aL, aS, bA, bO, bL, negB ? bS ^ 1 : bS, vm.H, p + 2);
  return finishBig(vm, p, len, B.R[0]);
}

export function intMul(vm: Vm, a: number, b: number): number {
  if (a & 1 && b & 1) {
    const r = (a >> 1) * (b >> 1);
    if (r >= LY.SMALL_MIN && r <= LY.SMALL_MAX) return (r << 1) | 1;
  }
  const x = medium(vm, a);
  const y = medium(vm, b);
  if (x === x && y === y) {
    // exact while below 2^53 (a larger true product rounds to 2^53 or more)
    const r = x * y;
    if (r < 9007199254740992 && r > -9007199254740992) return intFromDouble(vm, r);
  }
  viewA(vm, a);
  viewB(vm, b);
  if (aL === 0 || bL === 0) return 1;
  const p = newBig(vm, aL + bL);
  viewA(vm, a);
  viewB(vm, b);
  const len = B.mul(aA, aO, aL, bA, bO, bL, vm.H, p + 2);
  return finishBig(vm, p, len, aS ^ bS);
}

/** a // b (op 0), a % b (op 1), with Python's floor semantics. ZeroDivisionError for b == 0. */
export function intDivMod(vm: Vm, a: number, b: number, op: number): number {
  if (a & 1 && b & 1) {
    const x = a >> 1;
    const y = b >> 1;
    if (y === 0) throw raise(vm, T.ZERO_DIVISION_ERROR, op === 0 ? "integer division or modulo by zero" : "integer modulo by zero");
    if (op === 0) {
      const q = Math.floor(x / y);
      if (q <= LY.SMALL_MAX) return (q << 1) | 1;
    }
  }
  if (op === 1 && b & 1 && b !== 1) {
    // a small or medium int modulo a small one: the double remainder is exact
    const x = medium(vm, a);
    if (x === x) {
      const y = b >> 1;
      let r = x % y;
      if (r !== 0 && r < 0 !== y < 0) r += y;
      return (r << 1) | 1;
    }
  }
  viewA(vm, a);
  viewB(vm, b);
  if (bL === 0) throw raise(vm, T.ZERO_DIVISION_ERROR, op === 0 ? "integer division or modulo by zero" : "integer modulo by zero");
  if (op === 0) {
    const p = newBig(vm, (aL > bL ? aL - bL : 0) + 2);
    viewA(vm, a);
    viewB(vm, b);
    const len = B.floorDivmod(aA, aO, aL, aS, bA, bO, bL, bS, vm.H, p + 2, null, 0);
    return finishBig(vm, p, len, B.R[0]);
  }
  const p = newBig(vm, bL + 1);
  viewA(vm, a);
  viewB(vm, b);
  B.floorDivmod(aA, aO, aL, aS, bA, bO, bL, bS, null, 0, vm.H, p + 2);
  return finishBig(vm, p, B.R[1], B.R[2]);
}

export function intNeg(vm: Vm, a: number): number {
  if (a & 1) {
    const v = -(a >> 1);
    if (v <= LY.SMALL_MAX) return (v << 1) | 1;
  }
  viewA(vm, a);
  const p = newBig(vm, aL);
  viewA(vm, a);
  for (let i = 0; i < aL; i++) vm.H[p + 2 + i] = aA[aO + i];
  return finishBig(vm, p, aL, aL ? aS ^ 1 : 0);
}

export function intAbs(vm: Vm, a: number): number {
  return intSign(vm, a) < 0 ? intNeg(vm, a) : a === LY.TRUE ? 3 : a === LY.FALSE ? 1 : a;
}

export function intInvert(vm: Vm, a: number): number {
  if (a & 1) return (~(a >> 1) << 1) | 1;
  viewA(vm, a);
  const p = newBig(vm, aL + 1);
  viewA(vm, a);
  const len = B.invert(aA, aO, aL, aS, vm.H, p + 2);
  return finishBig(vm, p, len, B.R[0]);
}

/** a & b (op 0), a | b (1), a ^ b (2). */
export function intBitop(vm: Vm, a: number, b: number, op: number): number {
  if (a & 1 && b & 1) return op === 0 ? a & b : op === 1 ? a | b : ((a ^ b) | 1);
  if (op === 0 && b & 1 && b >= 0) {
    // a medium int & a small non-negative mask: the mask's bits of a's two's complement (ToInt32 keeps a mod 2^32)
    const x = medium(vm, a);
    if (x === x) return ((x | 0) & (b >> 1)) * 2 + 1;
  }
  viewA(vm, a);
  viewB(vm, b);
  const p = newBig(vm, (aL > bL ? aL : bL) + 1);
  viewA(vm, a);
  viewB(vm, b);
  const len = B.bitop(op, aA, aO, aL, aS, bA, bO, bL, bS, vm.H, p + 2);
  return finishBig(vm, p, len, B.R[0]);
}

/** a << n (left) or a >> n. */
export function intShift(vm: Vm, a: number, b: number, left: boolean): number {
  if (intSign(vm, b) < 0) throw raise(vm, T.VALUE_ERROR, "negative shift count");
  if (!(b & 1)) {
    // a huge shift count: right shifts give 0 or -1, left shifts of nonzero values can't fit in memory
    if (!left) return intSign(vm, a) < 0 ? -1 : 1;
    if (intSign(vm, a) === 0) return 1;
    throw raise(vm, T.OVERFLOW_ERROR, "too many digits in integer");
  }
  const n = b >> 1;
  if (a & 1) {
    const v = a >> 1;
    if (!left) return (n > 30 ? (v < 0 ? -1 : 0) : v >> n) * 2 + 1;
    if (n < 30) {
      const r = v * (1 << n);
      if (r >= LY.SMALL_MIN && r <= LY.SMALL_MAX) return (r << 1) | 1;
    }
  }
  viewA(vm, a);
  if (left) {
    const p = newBig(vm, aL + Math.floor(n / 24) + 1);
    viewA(vm, a);
    const len = B.shl(aA, aO, aL, n, vm.H, p + 2);
    return finishBig(vm, p, len, aS);
  }
  const p = newBig(vm, aL + 1);
  viewA(vm, a);
  const len = B.shrSigned(aA, aO, aL, aS, n, vm.H, p + 2);
  return finishBig(vm, p, len, B.R[0]);
}

/** a ** b for ints with b >= 0 (the caller handles negative exponents as floats). */
export function intPow(vm: Vm, a: number, b: number): number {
  if (!(b & 1)) {
    // exponent beyond small ints: only trivial bases finish
    const s = a & 1 ? a >> 1 : 2;
    if (s === 0 || s === 1) return a;
    if (s === -1) return intBitop(vm, b, 3, 0) === 1 ? 3 : -1;
    throw raise(vm, T.OVERFLOW_ERROR, "exponent too large");
  }
  let e = b >> 1;
  if (a & 1) {
    const x = a >> 1;
    const r = Math.pow(x, e);
    if (r >= LY.SMALL_MIN && r <= LY.SMALL_MAX && (x === 2 || x === -2 || Math.abs(r) < 9007199254740992)) {
      // small result: recompute exactly by squaring (Math.pow may be inexact on some platforms)
      let res = 1;
      let base = x;
      let k = e;
      while (k > 0) {
        if (k & 1) res *= base;
        base *= base;
        k >>= 1;
      }
      if (res >= LY.SMALL_MIN && res <= LY.SMALL_MAX) return (res << 1) | 1;
    }
  }
  // square and multiply on heap values; the running values stay rooted on the temp stack
  let result = 3;
  let base = a;
  vm.tpush(result);
  vm.tpush(base);
  const t = vm.tn;
  while (e > 0) {
    if (e & 1) {
      result = intMul(vm, result, base);
      vm.tr[t - 2] = result;
    }
    e = Math.floor(e / 2);
    if (e > 0) {
      base = intMul(vm, base, base);
      vm.tr[t - 1] = base;
    }
  }
  vm.tpop(2);
  return result;
}

/** The inverse of a modulo m > 0 (extended Euclid); ValueError when a and m are not coprime. */
function intModInverse(vm: Vm, a: number, m: number): number {
  const t = vm.tn;
  vm.tpush(m);
  vm.tpush(intDivMod(vm, a, m, 1)); // r0
  vm.tpush(m); // r1
  vm.tpush(3); // s0 = 1
  vm.tpush(1); // s1 = 0
  const T0 = t + 1;
  while (intSign(vm, vm.tr[T0 + 1]) !== 0) {
    const q = vm.tpush(intDivMod(vm, vm.tr[T0], vm.tr[T0 + 1], 0));
    vm.tpush(intMul(vm, q, vm.tr[T0 + 1]));
    const r2 = intAdd(vm, vm.tr[T0], vm.tr[vm.tn - 1], true);
    vm.tr[T0] = vm.tr[T0 + 1];
    vm.tr[T0 + 1] = r2;
    vm.tr[vm.tn - 1] = intMul(vm, q, vm.tr[T0 + 3]);
    const s2 = intAdd(vm, vm.tr[T0 + 2], vm.tr[vm.tn - 1], true);
    vm.tr[T0 + 2] = vm.tr[T0 + 3];
    vm.tr[T0 + 3] = s2;
    vm.tpop(2);
  }
  if (vm.tr[T0] !== 3) {
    vm.tpop(5);
    throw raise(vm, T.VALUE_ERROR, "base is not invertible for the given modulus");
  }
  const r = intDivMod(vm, vm.tr[T0 + 2], m, 1);
  vm.tpop(5);
  return r;
}

/** pow(a, b, m) for ints; a negative b uses the inverse of a modulo m (Python 3.8). */
export function intPowMod(vm: Vm, a: number, b: number, m: number): number {
  if (intSign(vm, m) === 0) throw raise(vm, T.VALUE_ERROR, "pow() 3rd argument cannot be 0");
  if (intSign(vm, b) < 0) {
    const mabs = vm.tpush(intAbs(vm, m));
    const inv = vm.tpush(intModInverse(vm, a, mabs));
    const e = vm.tpush(intNeg(vm, b));
    const r = intPowMod(vm, inv, e, m);
    vm.tpop(3);
    return r;
  }
  // reduce the base into [0, |m|) first so the limb routine sees magnitudes
  const mabs = intAbs(vm, m);
  vm.tpush(mabs);
  const base = intDivMod(vm, a, mabs, 1);
  vm.tpush(base);
  viewA(vm, base);
  viewB(vm, b);
  const mv = mabs;
  let len: number;
  let p: number;
  {
    const pm = mv & 1 ? null : mv >> 2;
    const ml = pm === null ? smallToLimbs(mv >> 1, SB) : vm.H[pm + 1];
    p = newBig(vm, ml + 1);
    viewA(vm, base);
    viewB(vm, b);
    const eArr = bA;
    const eO = bO;
    const eL = bL;
    let mArr: Int32Array;
    let mO: number;
    const MS = new Int32Array(2);
    if (pm === null) {
      smallToLimbs(mv >> 1, MS);
      mArr = MS;
      mO = 0;
    } else {
      mArr = vm.H;
      mO = pm + 2;
    }
    len = B.powmod(aA, aO, aL, eArr, eO, eL, mArr, mO, ml, vm.H, p + 2);
  }
  let r = finishBig(vm, p, len, 0);
  // Python's result takes the sign of m (mabs stays rooted, and r with it, while the subtraction allocates)
  if (intSign(vm, m) < 0 && intSign(vm, r) !== 0) {
    vm.tpush(r);
    r = intAdd(vm, r, mabs, true);
    vm.tpop(1);
  }
  vm.tpop(2);
  return r;
}

/** The int as decimal (or another radix) digits, as a JS byte string with a leading "-" if negative. */
export function intToString(vm: Vm, w: number, radix: number): string {
  if (w & 1) return (w >> 1).toString(radix);
  if (w === LY.TRUE) return "1";
  if (w === LY.FALSE) return "0";
  viewA(vm, w);
  const s = B.toString(aA, aO, aL, radix);
  return aS ? "-" + s : s;
}

/** Parse clean digits (no sign, prefix or underscores) in `radix`; returns an int word. */
export function intFromDigits(vm: Vm, digits: string, radix: number, neg: boolean): number {
  if (digits.length <= 9 && radix <= 10) {
    const v = parseInt(digits, radix);
    return ((neg ? -v : v) << 1) | 1;
  }
  const n = B.fromRadixLen(digits.length, radix);
  const p = newBig(vm, n);
  const len = B.fromRadix(digits, 0, digits.length, radix, vm.H, p + 2);
  return finishBig(vm, p, len, neg && len > 0 ? 1 : 0);
}

/** Number of bits of |w| (int.bit_length). */
export function intBitLength(vm: Vm, w: number): number {
  viewA(vm, w);
  return B.bitLength(aA, aO, aL);
}

/** Python hash of an int: the value itself for small ints, folded to 30 bits for big ones (matches floats). */
export function intHash(vm: Vm, w: number): number {
  if (w & 1) return w >> 1;
  viewA(vm, w);
  // value mod (2^30 - 1): sum of 24-bit limbs weighted by 2^(24 i) mod (2^30 - 1)
  const M = 1073741823;
  let h = 0;
  let f = 1;
  for (let i = 0; i < aL; i++) {
    h = (h + ((aA[aO + i] * f) % M)) % M;
    f = (f * 16777216) % M;
  }
  return aS ? -h : h;
}

/** Hash of a float: equal to the int hash when the float is integral. */
export function floatHash(vm: Vm, x: number): number {
  if (x === Math.floor(x) && x > -1e300 && x < 1e300) {
    if (x >= LY.SMALL_MIN && x <= LY.SMALL_MAX) return x;
    const w = intFromDouble(vm, x);
    return intHash(vm, w);
  }
  if (x !== x) return 0;
  if (x === Infinity) return 314159;
  if (x === -Infinity) return -314159;
  F64[0] = x;
  return (I32[0] ^ I32[1]) & 0x3fffffff;
}

/** Convert a numeric operand for float arithmetic, or return NaN-marker failure via the `ok` flag. */
export function toFloatOperand(vm: Vm, w: number): number {
  if (w & 1) return w >> 1;
  if (w === LY.TRUE) return 1;
  if (w === LY.FALSE) return 0;
  if (isFloat(vm, w)) return floatVal(vm, w);
  return intToFloatChecked(vm, w);
}

/** Python float floor-division/modulo (op 0: //, 1: %, 2: divmod as the caller combines). */
export function floatDivMod(vm: Vm, x: number, y: number, op: number): number {
  if (y === 0) throw raise(vm, T.ZERO_DIVISION_ERROR, op === 0 ? "float floor division by zero" : op === 1 ? "float modulo" : "float divmod()");
  // as CPython's _float_div_mod; NaN counts as nonzero there (C truth), hence the !== 0 tests
  let mod = x % y;
  let div = (x - mod) / y;
  if (mod !== 0) {
    if (y < 0 !== mod < 0) {
      mod += y;
      div -= 1;
    }
  } else mod = y < 0 ? -0 : 0;
  if (op === 1) return mod;
  let fl: number;
  if (div !== 0) {
    fl = Math.floor(div);
    if (div - fl > 0.5) fl += 1;
  } else {
    const q = x / y;
    fl = q < 0 || (q === 0 && 1 / q < 0) ? -0 : 0;
  }
  return fl;
}

/** x ** y for floats with Python's errors. */
export function floatPow(vm: Vm, x: number, y: number): number {
  if (x === 0 && y < 0) throw raise(vm, T.ZERO_DIVISION_ERROR, "0.0 cannot be raised to a negative power");
  if (x < 0 && y !== Math.floor(y) && y === y && x === x && y !== Infinity && y !== -Infinity)
    throw raise(vm, T.VALUE_ERROR, "math domain error");
  if (x === 1 || y === 0 || (x === -1 && (y === Infinity || y === -Infinity))) return 1;
  return Math.pow(x, y);
}

export { NULL, NOT_IMPLEMENTED };

// --- true division ---------------------------------------------------------------------------------------------------

/** 2^k exactly for k in [-1022, 1023], from its bits. */
function pow2(k: number): number {
  I32[0] = 0;
  I32[1] = (k + 1023) << 20;
  return F64[0];
}

/** x · 2^e, exact whenever the result is representable (x with at most 53 significant bits). */
export function ldexp(x: number, e: number): number {
  while (e > 1023) {
    x *= pow2(1023);
    e -= 1023;
    if (x === Infinity || x === -Infinity) return x;
  }
  while (e < -1022) {
    x *= pow2(-1022);
    e += 1022;
    if (x === 0) return x;
  }
  return x * pow2(e);
}

/** a / b for ints (b nonzero), correctly rounded: CPython's long_true_divide on 24-bit limbs. */
export function intTrueDiv(vm: Vm, a: number, b: number): number {
  viewB(vm, b);
  if (bL === 0) throw raise(vm, T.ZERO_DIVISION_ERROR, "division by zero");
  viewA(vm, a);
  const neg = (aS ^ bS) === 1;
  if (aL === 0) return neg ? -0 : 0;
  const abits = B.bitLength(aA, aO, aL);
  const bbits = B.bitLength(bA, bO, bL);
  if (abits <= 53 && bbits <= 53) {
    const q = B.toDouble(aA, aO, aL) / B.toDouble(bA, bO, bL);
    return neg ? -q : q;
  }
  const diff = abits - bbits;
  if (diff > 1024) throw raise(vm, T.OVERFLOW_ERROR, "integer division result too large for a float");
  if (diff < -1021 - 53 - 1) return neg ? -0 : 0;
  // x = |a| · 2^-shift, chosen so that x // |b| has 55 or 56 bits (fewer for a subnormal result)
  const shift = (diff > -1021 ? diff : -1021) - 53 - 2;
  let inexact = false;
  const x = new Int32Array(aL + (shift < 0 ? Math.floor(-shift / 24) + 2 : 1));
  let xl: number;
  if (shift <= 0) xl = B.shl(aA, aO, aL, -shift, x, 0);
  else {
    const ls = Math.floor(shift / 24);
    for (let i = 0; i < ls && i < aL && !inexact; i++) inexact = aA[aO + i] !== 0;
    if (ls < aL && aA[aO + ls] & ((1 << (shift - ls * 24)) - 1)) inexact = true;
    xl = B.shr(aA, aO, aL, shift, x, 0);
  }
  viewB(vm, b);
  const q = new Int32Array(xl - bL + 2);
  const ql = B.divmod(x, 0, xl, bA, bO, bL, q, 0, null, 0);
  if (B.R[1] !== 0) inexact = true;
  const qbits = B.bitLength(q, 0, ql);
  // round away the extra bits (2 or 3) half to even, the sticky bit standing for everything below
  const extra = (qbits > -1021 - shift ? qbits : -1021 - shift) - 53;
  const mask = 1 << (extra - 1);
  let low = q[0] | (inexact ? 1 : 0);
  if (low & mask && low & (3 * mask - 1)) low += mask;
  q[0] = low & ~(2 * mask - 1);
  let dx = 0;
  for (let i = ql - 1; i >= 0; i--) dx = dx * 16777216 + q[i];
  if (shift + qbits >= 1024 && (shift + qbits > 1024 || dx === ldexp(1, qbits)))
    throw raise(vm, T.OVERFLOW_ERROR, "integer division result too large for a float");
  const r = ldexp(dx, shift);
  return neg ? -r : r;
}

/** Number of one bits of |w| (int.bit_count). */
export function intBitCount(vm: Vm, w: number): number {
  viewA(vm, w);
  let n = 0;
  for (let i = 0; i < aL; i++) {
    let v = aA[aO + i];
    while (v) {
      v &= v - 1;
      n++;
    }
  }
  return n;
}

/** divmod(x, y) when both are numbers and one is a float (CPython's float_divmod), else NULL. */
export function floatDivmodPair(vm: Vm, x: number, y: number): number {
  if (!(isFloat(vm, x) || isFloat(vm, y)) || !isNumber(vm, x) || !isNumber(vm, y)) return LY.NULL;
  const a = toFloatOperand(vm, x);
  const b = toFloatOperand(vm, y);
  const q = newFloat(vm, floatDivMod(vm, a, b, 2));
  vm.tpush(q);
  const r = newFloat(vm, floatDivMod(vm, a, b, 1));
  vm.tpush(r);
  const t = newTuple(vm, 2);
  vm.tpop(2);
  vm.H[(t >> 2) + 2] = q;
  vm.H[(t >> 2) + 3] = r;
  return t;
}
