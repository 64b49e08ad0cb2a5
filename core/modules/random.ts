// The random module: a deterministic xorshift128 generator (32-bit shifts and xors only: no multiplications, cheap on
// a board) seeded by seed(n), or from the clock on first use. getrandbits(k) for any k, randrange/randint on ints of
// any size, random, uniform, choice, shuffle, sample.
import { K, smi, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise } from "../vm/exc";
import { native, defineModule } from "../vm/registry";
import { kindOf, lenOf, toIndex } from "../vm/ops";
import { getItem, listOf } from "../obj/items";
import { newFloat, intFromNumber, intAdd, intMul, intDivMod, intSign, intCompare, intBitLength, isBig } from "../obj/num";
import { seqLen, seqItems, newList } from "../obj/seq";
import { floatArg, intWord } from "./struct";

const S = new Int32Array(4);
let seeded = false;

function next32(): number {
  let t = S[0];
  t ^= t << 11;
  S[0] = S[1];
  S[1] = S[2];
  S[2] = S[3];
  const w = S[3];
  S[3] = w ^ (w >>> 19) ^ t ^ (t >>> 8);
  return S[3] >>> 0;
}

/** Seed from 32-bit words (a seed's limbs): each is mixed in by a xorshift32 scrambler. */
function seedWords(words: number[]): void {
  let x = 0x2545f491;
  S[0] = S[1] = S[2] = S[3] = 0;
  for (let i = 0; i < words.length + 4; i++) {
    x ^= i < words.length ? words[i] : 0x9e3779b9;
    for (let r = 0; r < 3; r++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
    }
    S[i & 3] ^= x;
  }
  if (!(S[0] | S[1] | S[2] | S[3])) S[0] = 1;
  for (let i = 0; i < 8; i++) next32();
  seeded = true;
}

function ensureSeeded(vm: Vm): void {
  if (!seeded) seedWords([Math.floor(vm.hal.time() * 1000) | 0, Math.floor(vm.hal.ticksMs() * 1000) | 0]);
}

function seed(vm: Vm, a: number, n: number): number {
  const w = n > 0 ? vm.H[a] : LY.NONE;
  if (w === LY.NONE) {
    seeded = false;
    ensureSeeded(vm);
    return LY.NONE;
  }
  const v = intWord(vm, w);
  const words: number[] = [];
  if (v & 1) words.push(v >> 1);
  else {
    const H = vm.H;
    const nl = H[(v >> 2) + 1];
    for (let i = 0; i < (nl < 0 ? -nl : nl); i++) words.push(H[(v >> 2) + 2 + i]);
    words.push(nl);
  }
  seedWords(words);
  return LY.NONE;
}

/** A random int of k bits (k >= 0) as an int word. */
function randBits(vm: Vm, k: number): number {
  if (k <= 32) return intFromNumber(vm, k ? next32() >>> (32 - k) : 0);
  if (k <= 53) {
    const hi = next32() >>> (64 - k);
    return intFromNumber(vm, hi * 4294967296 + next32());
  }
  const nl = Math.ceil(k / 24);
  const p = vm.alloc(K.BIGINT, 2 + nl);
  const H = vm.H;
  for (let i = 0; i < nl; i++) H[p + 2 + i] = next32() & 0xffffff;
  const top = k - (nl - 1) * 24;
  H[p + 1 + nl] &= (1 << top) - 1;
  let len = nl;
  while (len > 0 && H[p + 1 + len] === 0) len--;
  if (len <= 2) {
    const x = len === 0 ? 0 : len === 1 ? H[p + 2] : H[p + 2] + H[p + 3] * 16777216;
    if (x <= LY.SMALL_MAX) return smi(x);
  }
  H[p + 1] = len;
  vm.heap.shrink(p, 2 + len);
  return p << 2;
}

/** A random int in [0, n) for an int word n > 0. */
function randBelow(vm: Vm, n: number): number {
  if (n & 1) {
    const m = n >> 1;
    let k = 0;
    for (let p = 1; p < m; p *= 2) k++;
    for (;;) {
      const r = randBits(vm, k) >> 1;
      if (r < m) return smi(r);
    }
  }
  const k = intBitLength(vm, n);
  for (;;) {
    const r = randBits(vm, k);
    if (intCompare(vm, r, n) < 0) return r;
  }
}

/** randrange(start, stop, step) on int words. */
function randRange(vm: Vm, start: number, stop: number, step: number): number {
  const t0 = vm.tn;
  vm.tpush(start);
  vm.tpush(stop);
  vm.tpush(step);
  try {
    const width = vm.tpush(intAdd(vm, stop, start, true));
    if (step === smi(1)) {
      if (intSign(vm, width) <= 0) throw raise(vm, T.VALUE_ERROR, "empty range for randrange()");
      return intAdd(vm, start, vm.tpush(randBelow(vm, width)), false);
    }
    const ss = intSign(vm, step);
    if (ss === 0) throw raise(vm, T.VALUE_ERROR, "zero step for randrange()");
    // n = ceil(width / step) = (width + step - 1) // step (step > 0), (width + step + 1) // step (step < 0)
    const s1 = vm.tpush(intAdd(vm, step, smi(ss > 0 ? -1 : 1), false));
    const adj = vm.tpush(intAdd(vm, width, s1, false));
    const n = vm.tpush(intDivMod(vm, adj, step, 0));
    if (intSign(vm, n) <= 0) throw raise(vm, T.VALUE_ERROR, "empty range for randrange()");
    const r = vm.tpush(randBelow(vm, n));
    return intAdd(vm, start, vm.tpush(intMul(vm, r, step)), false);
  } finally {
    vm.tpop(vm.tn - t0);
  }
}

function random01(): number {
  const a = next32() >>> 5;
  const b = next32() >>> 6;
  return (a * 67108864 + b) / 9007199254740992;
}

function choice(vm: Vm, a: number): number {
  ensureSeeded(vm);
  const s = vm.H[a];
  const n = lenOf(vm, s);
  if (n === 0) throw raise(vm, T.INDEX_ERROR, "Cannot choose from an empty sequence");
  return getItem(vm, s, randBelow(vm, smi(n)));
}

function shuffle(vm: Vm, a: number): number {
  ensureSeeded(vm);
  const l = vm.H[a];
  if (kindOf(vm, l) !== K.LIST) throw raise(vm, T.TYPE_ERROR, "shuffle() argument must be a list");
  for (let i = seqLen(vm, l) - 1; i > 0; i--) {
    const j = randBelow(vm, smi(i + 1)) >> 1;
    const b = seqItems(vm, l);
    const t = vm.H[b + i];
    vm.H[b + i] = vm.H[b + j];
    vm.H[b + j] = t;
  }
  return LY.NONE;
}

function sample(vm: Vm, a: number): number {
  ensureSeeded(vm);
  const pool = listOf(vm, vm.H[a]); // a copy: it gets shuffled
  vm.tpush(pool);
  const n = seqLen(vm, pool);
  const k = toIndex(vm, vm.H[a + 1], "sample");
  if (k < 0 || k > n) throw raise(vm, T.VALUE_ERROR, "Sample larger than population or is negative");
  const out = newList(vm, k, k);
  const b = seqItems(vm, pool);
  const o = seqItems(vm, out);
  for (let i = 0; i < k; i++) {
    const j = i + (randBelow(vm, smi(n - i)) >> 1);
    const t = vm.H[b + i];
    vm.H[b + i] = vm.H[b + j];
    vm.H[b + j] = t;
    vm.H[o + i] = vm.H[b + i];
  }
  vm.tpop(1);
  return out;
}

defineModule({
  name: Q.random,
  attrs: function (): number[] {
    return [
      Q.seed, native(Q.seed, 0, 1, 0, seed),
      Q.getrandbits, native(Q.getrandbits, 1, 1, 0, function (vm, a) {
        ensureSeeded(vm);
        const w = intWord(vm, vm.H[a]);
        if (intSign(vm, w) < 0) throw raise(vm, T.VALUE_ERROR, "number of bits must be non-negative");
        if (isBig(vm, w)) throw raise(vm, T.OVERFLOW_ERROR, "Python int too large to convert to C ssize_t");
        return randBits(vm, w >> 1);
      }),
      Q.randrange, native(Q.randrange, 1, 3, 0, function (vm, a, n) {
        ensureSeeded(vm);
        const H = vm.H;
        const x = intWord(vm, H[a]);
        if (n === 1) return randRange(vm, smi(0), x, smi(1));
        return randRange(vm, x, intWord(vm, H[a + 1]), n > 2 ? intWord(vm, H[a + 2]) : smi(1));
      }),
      Q.randint, native(Q.randint, 2, 2, 0, function (vm, a) {
        ensureSeeded(vm);
        const H = vm.H;
        const hi = vm.tpush(intAdd(vm, intWord(vm, H[a + 1]), smi(1), false));
        const r = randRange(vm, intWord(vm, H[a]), hi, smi(1));
        vm.tpop(1);
        return r;
      }),
      Q.random, native(Q.random, 0, 0, 0, function (vm) {
        ensureSeeded(vm);
        return newFloat(vm, random01());
      }),
      Q.uniform, native(Q.uniform, 2, 2, 0, function (vm, a) {
        ensureSeeded(vm);
        const x = floatArg(vm, vm.H[a]);
        const y = floatArg(vm, vm.H[a + 1]);
        return newFloat(vm, x + (y - x) * random01());
      }),
      Q.choice, native(Q.choice, 1, 1, 0, choice),
      Q.shuffle, native(Q.shuffle, 1, 1, 0, shuffle),
      Q.sample, native(Q.sample, 2, 2, 0, sample),
    ];
  },
});
