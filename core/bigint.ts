// Arbitrary-precision arithmetic for Python ints beyond the small-int range, on magnitudes stored as little-endian
// 24-bit limbs (one per Int32 word) in caller-owned slices: the arithmetic, Python's signed semantics (floor division,
// two's-complement bitwise ops and shifts), and conversions to and from radix text, doubles and bytes.

// Conventions. A magnitude is (array, offset, length), normalised: no leading zero limbs, zero has length 0. Nothing
// here allocates on the Python heap: outputs go to (out, outOff), sized by the caller as each function documents, and
// may alias an input only where a function says so (and then only at the same offset). Functions return the
// normalised result length. Sign flags are 0 (>= 0) or 1 (< 0); a zero result always has sign 0. Results beyond the
// length go to the register array R:
//   R[0] sign of a signed result · R[1] second length (remainder) · R[2] sign of the remainder · R[3] small remainder.
// Exactness: limb products are < 2^48; sums are kept < 2^53 and split by Math.floor(x * 2^-24) (never `>>` on
// values that may reach 2^31).

const BASE = 16777216;
const MASK = 0xffffff;
const INV = 1 / 16777216;

export const R = new Int32Array(4);

// Internal scratch, a stack: reserve() hands out words above `sp`, the caller puts `sp` back when done. A public
// function that calls another one while holding scratch must ensure() enough for both first: growing replaces the
// array, and a callee holding the old one as a parameter would write into it. What each operation may take (words,
// grown on demand and kept; a board short of memory can check before a big operation): mul and sqr about 4n when n,
// the longer operand, reaches the Karatsuba threshold (else none); divmod la + 1; toRadix 3la + 8 (toString
// also a byte buffer of radixLen); gcd 3 max(la, lb) + 8; powmod about (tn + 15)(lm + 2) + lb with tn <= 16.
let S = new Int32Array(64);
let sp = 0;

function ensure(n: number): void {
  if (S.length < n) {
    const t = new Int32Array(n + (n >> 1));
    t.set(S.subarray(0, sp));
    S = t;
  }
}

function reserve(n: number): number {
  const o = sp;
  ensure(o + n);
  sp = o + n;
  return o;
}

/** Words of internal scratch currently held (it is kept between calls); freeScratch() gives it back. */
export function scratchWords(): number {
  return S.length;
}

export function freeScratch(): void {
  if (sp === 0) S = new Int32Array(64);
}

// Karatsuba thresholds in limbs (measured on V8: the Comba schoolbook below is fast, so the crossover is late).
let KMUL = 48;
let KSQR = 64;

/** Sets the Karatsuba thresholds (at least 4); tests lower them to exercise the recursion, small boards may raise them. */
export function setKaratsuba(mulLimbs: number, sqrLimbs: number): void {
  KMUL = mulLimbs < 4 ? 4 : mulLimbs;
  KSQR = sqrLimbs < 4 ? 4 : sqrLimbs;
}

// Scratch that mul or sqr of operands up to n limbs may use: each Karatsuba level holds the two half sums and their
// product (at most 2n + 6 words) while recursing on about n / 2.
function mulNeed(n: number): number {
  let s = 0;
  const t = KMUL < KSQR ? KMUL : KSQR;
  while (n >= t) {
    s += 2 * n + 6;
    n = ((n + 1) >> 1) + 1;
  }
  return s;
}

/** Normalised length of a[ao .. ao+len): drops leading zero limbs. */
export function norm(a: Int32Array, ao: number, len: number): number {
  while (len > 0 && a[ao + len - 1] === 0) len--;
  return len;
}

function nbits(x: number): number {
  let n = 0;
  while (x >= 256) {
    x >>= 8;
    n += 8;
  }
  while (x > 0) {
    x >>= 1;
    n++;
  }
  return n;
}

function zero(a: Int32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) a[i] = 0;
}

function copy(a: Int32Array, ao: number, n: number, out: Int32Array, oo: number): void {
  if (a === out && ao === oo) return;
  for (let i = 0; i < n; i++) out[oo + i] = a[ao + i];
}

/** int.bit_length() of a magnitude. */
export function bitLength(a: Int32Array, ao: number, la: number): number {
  return la === 0 ? 0 : (la - 1) * 24 + nbits(a[ao + la - 1]);
}

/** -1, 0 or 1 as |a| <, =, > |b|. */
export function compare(a: Int32Array, ao: number, la: number, b: Int32Array, bo: number, lb: number): number {
  if (la !== lb) return la < lb ? -1 : 1;
  for (let i = la - 1; i >= 0; i--) {
    const x = a[ao + i];
    const y = b[bo + i];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

// out[0..la) = a + b for la >= lb (lengths need not be normalised); returns the carry out (0 or 1), not written.
// out may be a or b at the same offset; in place on a, it stops as soon as the carry dies.
function addCore(a: Int32Array, ao: number, la: number, b: Int32Array, bo: number, lb: number, out: Int32Array, oo: number): number {
  let c = 0;
  let i = 0;
  for (; i < lb; i++) {
    const t = a[ao + i] + b[bo + i] + c;
    c = t >> 24;
    out[oo + i] = t & MASK;
  }
  const inplace = out === a && oo === ao;
  for (; i < la; i++) {
    if (c === 0 && inplace) return 0;
    const t = a[ao + i] + c;
    c = t >> 24;
    out[oo + i] = t & MASK;
  }
  return c;
}

// out[0..la) = a - b for a >= b, la >= lb (not necessarily normalised). Same aliasing rules as addCore.
function subCore(a: Int32Array, ao: number, la: number, b: Int32Array, bo: number, lb: number, out: Int32Array, oo: number): void {
  let c = 0;
  let i = 0;
  for (; i < lb; i++) {
    const t = a[ao + i] - b[bo + i] - c;
    c = t >>> 31;
    out[oo + i] = t & MASK;
  }
  const inplace = out === a && oo === ao;
  for (; i < la; i++) {
    if (c === 0 && inplace) return;
    const t = a[ao + i] - c;
    c = t >>> 31;
    out[oo + i] = t & MASK;
  }
}

/** |a| + |b|. out: max(la, lb) + 1 limbs; may be a or b (same offset). */
export function add(a: Int32Array, ao: number, la: number, b: Int32Array, bo: number, lb: number, out: Int32Array, oo: number): number {
  if (la < lb) return add(b, bo, lb, a, ao, la, out, oo);
  out[oo + la] = addCore(a, ao, la, b, bo, lb, out, oo);
  return norm(out, oo, la + 1);
}

/** |a| - |b|, requires |a| >= |b|. out: la limbs; may be a or b (same offset). */
export function sub(a: Int32Array, ao: number, la: number, b: Int32Array, bo: number, lb: number, out: Int32Array, oo: number): number {
  subCore(a, ao, la, b, bo, lb, out, oo);
  return norm(out, oo, la);
}

/** a * m + c for 0 <= m, c < 2^28. out: la + 2 limbs; may be a (same offset). */
export function mulAddSmall(a: Int32Array, ao: number, la: number, m: number, c: number, out: Int32Array, oo: number): number {
  // The carry chain is int32 adds and shifts only (a chain of float floors is what limits such a loop). Below 2^6,
  // a * m + c is itself a small int; below 2^17, so are the products of m with a limb's 12-bit halves; otherwise
  // each product is split into 24-bit halves off the chain (h = floor(p / 2^24) exactly: p * INV only moves the
  // exponent, and is below 2^28, so `| 0` truncates it safely).
  let i = 0;
  if (m < 64 && c < 131072) {
    for (; i < la; i++) {
      const t = a[ao + i] * m + c; // < 2^30
      out[oo + i] = t & MASK;
      c = t >> 24;
    }
  } else if (m < 131072 && c < 131072) {
    for (; i < la; i++) {
      const x = a[ao + i];
      const t = (x & 4095) * m + c; // < 2^29 + 2^18
      const u = (x >> 12) * m + (t >> 12);
      out[oo + i] = ((u & 4095) << 12) | (t & 4095);
      c = u >> 12;
    }
  }
  for (; i < la; i++) {
    const p = a[ao + i] * m; // < 2^52
    const h = (p * INV) | 0;
    const t = ((p - h * BASE) | 0) + c; // < 2^24 + 2^29
    out[oo + i] = t & MASK;
    c = h + (t >> 24);
  }
  while (c > 0) {
    const h = Math.floor(c * INV);
    out[oo + i++] = c - h * BASE;
    c = h;
  }
  return norm(out, oo, i);
}

/** a / d for 1 <= d < 2^28; the remainder goes to R[3]. out: la limbs, or null for the remainder only; may be a. */
export function divSmall(a: Int32Array, ao: number, la: number, d: number, out: Int32Array | null, oo: number): number {
  // x < 2^52, so x * (1/d) is within one unit of the quotient digit, and a multiply is much quicker than a divide
  // in this loop-carried chain; one compare fixes the digit.
  const inv = 1 / d;
  let r = 0;
  for (let i = la - 1; i >= 0; i--) {
    const x = r * BASE + a[ao + i];
    let q = Math.floor(x * inv);
    r = x - q * d;
    if (r < 0) {
      q--;
      r += d;
    } else if (r >= d) {
      q++;
      r -= d;
    }
    if (out) out[oo + i] = q;
  }
  R[3] = r;
  return out ? norm(out, oo, la) : 0;
}

// Comba schoolbook: each column's products are summed in a double (16 at a time, then the part above 2^24 moves to
// the carry), so a product costs one multiply and one add. Computes columns k0 .. k1-1 (the carry from lower columns
// left out) into out[oo ..], then the carry: the full product is k0 = 0, k1 = la + lb - 1, writing la + lb limbs.
function mulSchool(a: Int32Array, ao: number, la: number, b: Int32Array, bo: number, lb: number, out: Int32Array, oo: number, k0: number, k1: number): void {
  let carry = 0;
  for (let k = k0; k < k1; k++) {
    let i = ao + (k < lb ? 0 : k - lb + 1);
    let j = bo + k - (i - ao);
    const e = ao + (k < la ? k : la - 1);
    let s = carry;
    carry = 0;
    for (;;) {
      // products in pairs: a shorter chain of dependent additions
      const be = i + 15 < e ? i + 15 : e;
      for (; i < be; i += 2, j -= 2) s += a[i] * b[j] + a[i + 1] * b[j - 1];
      if (i === be) s += a[i++] * b[j--];
      if (i > e) break;
      const h = Math.floor(s * INV);
      carry += h;
      s -= h * BASE;
    }
    const h = Math.floor(s * INV);
    out[oo + k - k0] = s - h * BASE;
    carry += h;
  }
  out[oo + k1 - k0] = carry;
}

// Comba squaring: off-diagonal products once, doubled at the column's end. Writes exactly 2 * la limbs; la >= 1.
function sqrSchool(a: Int32Array, ao: number, la: number, out: Int32Array, oo: number): void {
  const n = 2 * la - 1;
  let carry = 0;
  for (let k = 0; k < n; k++) {
    let i = ao + (k < la ? 0 : k - la + 1);
    let j = ao + k - (i - ao);
    let s = 0;
    let nc = 0;
    while (i < j) {
      const be = i + 15;
      for (; i < j && i < be; i++, j--) s += a[i] * a[j];
      if (i < j) {
        const h = Math.floor(s * INV);
        nc += 2 * h;
        s -= h * BASE;
      }
    }
    s = 2 * s + carry;
    if (i === j) s += a[i] * a[i];
    const h = Math.floor(s * INV);
    out[oo + k] = s - h * BASE;
    carry = h + nc;
  }
  out[oo + n] = carry;
}

// a * b into exactly la + lb limbs of out (zero-padded); inputs need not be normalised; scratch from S[so..).
function mulRaw(a: Int32Array, ao: number, la: number, b: Int32Array, bo: number, lb: number, out: Int32Array, oo: number, so: number): void {
  const total = la + lb;
  la = norm(a, ao, la);
  lb = norm(b, bo, lb);
  if (la < lb) {
    const t = a;
    a = b;
    b = t;
    const to = ao;
    ao = bo;
    bo = to;
    const tl = la;
    la = lb;
    lb = tl;
  }
  if (lb === 0) {
    zero(out, oo, oo + total);
    return;
  }
  if (lb < KMUL) {
    mulSchool(a, ao, la, b, bo, lb, out, oo, 0, la + lb - 1);
  } else if (la >= 2 * lb) {
    // Unbalanced: lb-sized chunks of a, each a balanced product added in at its place.
    zero(out, oo, oo + la + lb);
    for (let i = 0; i < la; i += lb) {
      const c = la - i < lb ? la - i : lb;
      mulRaw(a, ao + i, c, b, bo, lb, S, so, so + c + lb);
      addCore(out, oo + i, la + lb - i, S, so, c + lb, out, oo + i);
    }
  } else {
    // Karatsuba: a = a1·B^m + a0, b likewise; z1 = (a0 + a1)(b0 + b1) - z0 - z2 with only additions before the
    // middle product, so no signs are needed.
    const m = la >> 1;
    const ha = la - m + 1;
    const hb = (lb - m > m ? lb - m : m) + 1;
    const pa = so;
    const pb = pa + ha;
    const pz = pb + hb;
    const lz = ha + hb;
    mulRaw(a, ao, m, b, bo, m, out, oo, so);
    mulRaw(a, ao + m, la - m, b, bo + m, lb - m, out, oo + 2 * m, so);
    S[pa + ha - 1] = addCore(a, ao + m, la - m, a, ao, m, S, pa);
    if (lb - m >= m) S[pb + hb - 1] = addCore(b, bo + m, lb - m, b, bo, m, S, pb);
    else S[pb + hb - 1] = addCore(b, bo, m, b, bo + m, lb - m, S, pb);
    mulRaw(S, pa, ha, S, pb, hb, S, pz, pz + lz);
    subCore(S, pz, lz, out, oo, 2 * m, S, pz);
    subCore(S, pz, lz, out, oo + 2 * m, la + lb - 2 * m, S, pz);
    addCore(out, oo + m, la + lb - m, S, pz, norm(S, pz, lz), out, oo + m);
  }
  zero(out, oo + la + lb, oo + total);
}

// a² into exactly 2 * la limbs; a need not be normalised.
function sqrRaw(a: Int32Array, ao: number, la: number, out: Int32Array, oo: number, so: number): void {
  const total = 2 * la;
  la = norm(a, ao, la);
  if (la === 0) {
    zero(out, oo, oo + total);
    return;
  }
  if (la < KSQR) {
    sqrSchool(a, ao, la, out, oo);
  } else {
    const m = la >> 1;
    const h = la - m + 1;
    const pz = so + h;
    sqrRaw(a, ao, m, out, oo, so);
    sqrRaw(a, ao + m, la - m, out, oo + 2 * m, so);
    S[so + h - 1] = addCore(a, ao + m, la - m, a, ao, m, S, so);
    sqrRaw(S, so, h, S, pz, pz + 2 * h);
    subCore(S, pz, 2 * h, out, oo, 2 * m, S, pz);
    subCore(S, pz, 2 * h, out, oo + 2 * m, 2 * la - 2 * m, S, pz);
    addCore(out, oo + m, 2 * la - m, S, pz, norm(S, pz, 2 * h), out, oo + m);
  }
  zero(out, oo + 2 * la, oo + total);
}

/** |a| * |b|. out: la + lb limbs, must not alias a or b. */
export function mul(a: Int32Array, ao: number, la: number, b: Int32Array, bo: number, lb: number, out: Int32Array, oo: number): number {
  if (la < lb) return mul(b, bo, lb, a, ao, la, out, oo);
  if (lb === 0) return 0;
  if (lb === 1) {
    out[oo + la] = 0;
    return mulAddSmall(a, ao, la, b[bo], 0, out, oo);
  }
  if (lb < KMUL) {
    mulSchool(a, ao, la, b, bo, lb, out, oo, 0, la + lb - 1);
  } else {
    const so = reserve(mulNeed(la));
    mulRaw(a, ao, la, b, bo, lb, out, oo, so);
    sp = so;
  }
  return norm(out, oo, la + lb);
}

/** |a|². out: 2 * la limbs, must not alias a. */
export function sqr(a: Int32Array, ao: number, la: number, out: Int32Array, oo: number): number {
  if (la === 0) return 0;
  if (la < KSQR) {
    sqrSchool(a, ao, la, out, oo);
  } else {
    const so = reserve(mulNeed(la));
    sqrRaw(a, ao, la, out, oo, so);
    sp = so;
  }
  return norm(out, oo, 2 * la);
}

/** |a| << n bits. out: la + floor(n / 24) + 1 limbs; may be a (same offset). */
export function shl(a: Int32Array, ao: number, la: number, n: number, out: Int32Array, oo: number): number {
  if (la === 0) return 0;
  const ls = Math.floor(n / 24);
  const bs = n - ls * 24;
  // Top down, so shifting in place never reads a limb already overwritten. (x << bs) & MASK keeps the low 24 bits
  // correctly even when x << bs wraps past 32 bits.
  let hi = 0;
  for (let i = la - 1; i >= 0; i--) {
    const x = a[ao + i];
    out[oo + i + ls + 1] = hi | (bs ? x >> (24 - bs) : 0);
    hi = (x << bs) & MASK;
  }
  out[oo + ls] = hi;
  zero(out, oo, oo + ls);
  return norm(out, oo, la + ls + 1);
}

/** |a| >> n bits. out: max(la - floor(n / 24), 0) limbs; may be a (same offset). */
export function shr(a: Int32Array, ao: number, la: number, n: number, out: Int32Array, oo: number): number {
  const ls = Math.floor(n / 24);
  if (ls >= la) return 0;
  const bs = n - ls * 24;
  const lo = la - ls;
  for (let i = 0; i < lo; i++) {
    const x = a[ao + i + ls] >> bs;
    const y = i + 1 < lo ? (a[ao + i + ls + 1] << (24 - bs)) & MASK : 0;
    out[oo + i] = bs ? x | y : x;
  }
  return norm(out, oo, lo);
}

/**
 * |a| divmod |b| (b nonzero), truncating. q: max(la - lb + 1, 1) limbs, r: lb limbs; either may be null to skip it.
 * Returns the quotient length (0 when q is null); the remainder length goes to R[1] (also when r is null). r may be
 * a (same offset); q must not alias anything. Uses la + 1 words of internal scratch.
 */
export function divmod(a: Int32Array, ao: number, la: number, b: Int32Array, bo: number, lb: number, q: Int32Array | null, qo: number, r: Int32Array | null, ro: number): number {
  if (compare(a, ao, la, b, bo, lb) < 0) {
    if (r) copy(a, ao, la, r, ro);
    R[1] = la;
    return 0;
  }
  if (lb === 1) {
    const ql = divSmall(a, ao, la, b[bo], q, qo);
    if (r) r[ro] = R[3];
    R[1] = R[3] ? 1 : 0;
    return ql;
  }
  // Schoolbook long division (Knuth's algorithm D, TAOCP 4.3.1) without normalising shifts: each quotient digit is
  // estimated from the top bits of the current remainder window and of b, shifted alike so that b's top part bt has
  // 29 bits. The window U = u[j .. j+n] stays below b * 2^24, so its part ut is below 2^53 (exact), and
  // floor(ut / bt) is within one of floor(U / b); one add-back or one more subtraction fixes it.
  const n = lb;
  const uo = reserve(la + 1);
  const s = S;
  // u = a, but its top n limbs are read from a by the first step, which writes them to u.
  copy(a, ao, la - n, s, uo);
  s[uo + la] = 0;
  let sh = bitLength(b, bo, lb) - 29;
  if (sh < 0) sh = 0;
  const bt = topBits(b, bo, lb, sh);
  for (let j = la - n; j >= 0; j--) {
    const u = uo + j;
    const first = j === la - n;
    const src = first ? a : s;
    const so = first ? ao + j : u;
    let qh = Math.floor(topBits(src, so, first ? n : n + 1, sh) / bt);
    if (qh > MASK) qh = MASK;
    if (qh > 0 || first) {
      // u[j .. j+n] -= qh * b: each product split into 24-bit halves off the borrow chain, which is int32 only.
      let c = 0;
      for (let i = 0; i < n; i++) {
        const p = qh * b[bo + i]; // < 2^48
        const h = (p * INV) | 0;
        const t = src[so + i] - ((p - h * BASE) | 0) - c; // > -2^25 - 2
        s[u + i] = t & MASK;
        c = h - (t >> 24);
      }
      s[u + n] -= c;
      while (s[u + n] < 0) {
        // qh was one too large: add b back (the carry out cancels the borrow).
        qh--;
        s[u + n] += addCore(s, u, n, b, bo, n, s, u);
      }
    }
    while (s[u + n] !== 0 || compare(s, u, n, b, bo, n) >= 0) {
      // qh was one too small.
      qh++;
      subCore(s, u, n + 1, b, bo, n, s, u);
    }
    if (q) q[qo + j] = qh;
  }
  const rl = norm(s, uo, n);
  if (r) copy(s, uo, rl, r, ro);
  R[1] = rl;
  sp = uo;
  return q ? norm(q, qo, la - n + 1) : 0;
}

function incr(a: Int32Array, ao: number, la: number): number {
  let i = 0;
  while (i < la && a[ao + i] === MASK) a[ao + i++] = 0;
  if (i === la) a[ao + la++] = 1;
  else a[ao + i]++;
  return la;
}

/** Signed a + b (for a - b pass sb ^ 1). out: max(la, lb) + 1 limbs; may be a or b. Sign to R[0]. */
export function addSigned(a: Int32Array, ao: number, la: number, sa: number, b: Int32Array, bo: number, lb: number, sb: number, out: Int32Array, oo: number): number {
  let n = 0;
  let s = sa;
  if (sa === sb) n = add(a, ao, la, b, bo, lb, out, oo);
  else if (compare(a, ao, la, b, bo, lb) >= 0) n = sub(a, ao, la, b, bo, lb, out, oo);
  else {
    n = sub(b, bo, lb, a, ao, la, out, oo);
    s = sb;
  }
  R[0] = n ? s : 0;
  return n;
}

/**
 * Python's floor division and modulo: q = a // b, r = a % b (r takes b's sign), b nonzero. q: max(la - lb, 0) + 2
 * limbs, r: lb limbs; either may be null. Returns q's length; R[0] q's sign, R[1] r's length, R[2] r's sign (with r
 * null, R[1] is only zero or not). r may be a (same offset).
 */
export function floorDivmod(a: Int32Array, ao: number, la: number, sa: number, b: Int32Array, bo: number, lb: number, sb: number, q: Int32Array | null, qo: number, r: Int32Array | null, ro: number): number {
  let ql = divmod(a, ao, la, b, bo, lb, q, qo, r, ro);
  let rl = R[1];
  let rs = sa;
  if (sa !== sb && rl > 0) {
    // Truncation went the wrong way: q = -(|q| + 1), r = |b| - |r| with b's sign.
    if (q) ql = incr(q, qo, ql);
    if (r) rl = sub(b, bo, lb, r, ro, rl, r, ro);
    rs = sb;
  }
  R[0] = ql ? sa ^ sb : 0;
  R[1] = rl;
  R[2] = rl ? rs : 0;
  return ql;
}

/** Python's x >> n (floor, so negative values round toward -inf). out: max(la - floor(n / 24), 0) + 1; may be a. */
export function shrSigned(a: Int32Array, ao: number, la: number, sa: number, n: number, out: Int32Array, oo: number): number {
  let lost = false;
  if (sa) {
    const ls = Math.floor(n / 24);
    if (ls >= la) lost = la > 0;
    else {
      for (let i = 0; i < ls && !lost; i++) lost = a[ao + i] !== 0;
      const bs = n - ls * 24;
      if ((a[ao + ls] & ((1 << bs) - 1)) !== 0) lost = true;
    }
  }
  let l = shr(a, ao, la, n, out, oo);
  if (lost) l = incr(out, oo, l);
  R[0] = l ? sa : 0;
  return l;
}

const ONE = new Int32Array([1]);

/** Python's ~x = -x - 1. out: la + 1 limbs; may be a. Sign to R[0]. */
export function invert(a: Int32Array, ao: number, la: number, sa: number, out: Int32Array, oo: number): number {
  let l = 0;
  if (sa) {
    // ~(-m) = m - 1
    copy(a, ao, la, out, oo);
    subCore(out, oo, la, ONE, 0, 1, out, oo);
    l = norm(out, oo, la);
  } else {
    copy(a, ao, la, out, oo);
    l = incr(out, oo, la);
  }
  R[0] = l ? 1 - sa : 0;
  return l;
}

/**
 * Python's a & b (op 0), a | b (op 1), a ^ b (op 2) with two's-complement semantics for negative values.
 * out: max(la, lb) + 1 limbs; may be a or b. Sign to R[0].
 */
export function bitop(op: number, a: Int32Array, ao: number, la: number, sa: number, b: Int32Array, bo: number, lb: number, sb: number, out: Int32Array, oo: number): number {
  // A negative -m is ~(m - 1) in two's complement: each operand is decremented with a running borrow and
  // complemented limb by limb; a negative result is complemented back and incremented with a running carry.
  const neg = op === 0 ? sa & sb : op === 1 ? sa | sb : sa ^ sb;
  const n = la > lb ? la : lb;
  let ba = sa;
  let bb = sb;
  let c = neg;
  for (let i = 0; i < n; i++) {
    let x = i < la ? a[ao + i] : 0;
    if (sa) {
      x -= ba;
      ba = x < 0 ? 1 : 0;
      x = (x & MASK) ^ MASK;
    }
    let y = i < lb ? b[bo + i] : 0;
    if (sb) {
      y -= bb;
      bb = y < 0 ? 1 : 0;
      y = (y & MASK) ^ MASK;
    }
    let z = op === 0 ? x & y : op === 1 ? x | y : x ^ y;
    if (neg) {
      z = (z ^ MASK) + c;
      c = z >> 24;
      z &= MASK;
    }
    out[oo + i] = z;
  }
  out[oo + n] = neg ? c : 0;
  const l = norm(out, oo, n + 1);
  R[0] = l ? neg : 0;
  return l;
}

function bitAt(a: Int32Array, ao: number, i: number): number {
  const li = Math.floor(i / 24);
  return (a[ao + li] >> (i - li * 24)) & 1;
}

// x mod m by Barrett's method (HAC 14.42), for x < B^(2k) with m of k limbs: mu = floor(B^(2k) / m) is at S[mu..)
// (ml limbs), 4k + 6 words of scratch at S[t..). Two half products instead of a long division: they run at Comba
// speed, where Knuth's loop has a dependent floor per limb. The high half leaves out the columns below k - 1, which
// makes q3 at most one too small: one more final subtraction.
function barrett(x: Int32Array, xo: number, xl: number, m: Int32Array, mo: number, k: number, mu: number, ml: number, t: number, out: Int32Array, oo: number): number {
  if (xl < k) {
    copy(x, xo, xl, out, oo);
    return xl;
  }
  const q1l = xl - k + 1;
  mulSchool(x, xo + k - 1, q1l, S, mu, ml, S, t, k - 1, q1l + ml - 1);
  const r2 = t + q1l + ml;
  mulSchool(S, t + 2, norm(S, t + 2, q1l + ml - k - 1), m, mo, k, S, r2, 0, k + 1);
  // r = (x - q3·m) mod B^(k+1), then at most two subtractions of m.
  let c = 0;
  for (let i = 0; i <= k; i++) {
    const v = (i < xl ? x[xo + i] : 0) - S[r2 + i] - c;
    c = v < 0 ? 1 : 0;
    S[r2 + i] = v & MASK;
  }
  let rl = norm(S, r2, k + 1);
  while (compare(S, r2, rl, m, mo, k) >= 0) {
    subCore(S, r2, rl, m, mo, k, S, r2);
    rl = norm(S, r2, rl);
  }
  copy(S, r2, rl, out, oo);
  return rl;
}

const TL = new Int32Array(16);

/** |base| ** |e| % |m| (m nonzero). out: lm limbs, must not alias the inputs. */
export function powmod(b: Int32Array, bo: number, lb: number, e: Int32Array, eo: number, le: number, m: Int32Array, mo: number, lm: number, out: Int32Array, oo: number): number {
  if (lm === 1 && m[mo] === 1) return 0;
  if (le === 0) {
    out[oo] = 1;
    return 1;
  }
  // Left-to-right sliding window over the exponent's bits, odd powers x, x^3, … x^(2^k - 1) precomputed.
  const eb = bitLength(e, eo, le);
  const k = eb < 24 ? 1 : eb < 96 ? 3 : eb < 768 ? 4 : 5;
  const tn = 1 << (k - 1);
  const w = lm + 2;
  ensure(sp + (tn + 9) * w + mulNeed(w) + lb + 3 * w + 8);
  const base = reserve((tn + 9) * w);
  const pr = base + tn * w; // products, 2 * lm limbs
  const x2 = pr + 2 * w; // x²
  const mu = x2 + w; // floor(B^(2 lm) / m), lm + 2 limbs
  const t = mu + w; // Barrett's scratch
  const tl = TL; // lengths of the table entries
  zero(S, t, t + 2 * lm);
  S[t + 2 * lm] = 1;
  const ml = divmod(S, t, 2 * lm + 1, m, mo, lm, S, mu, null, 0);
  divmod(b, bo, lb, m, mo, lm, null, 0, S, base);
  tl[0] = R[1];
  if (tn > 1) {
    let l = sqr(S, base, tl[0], S, pr);
    const l2 = barrett(S, pr, l, m, mo, lm, mu, ml, t, S, x2);
    for (let i = 1; i < tn; i++) {
      l = mul(S, base + (i - 1) * w, tl[i - 1], S, x2, l2, S, pr);
      tl[i] = barrett(S, pr, l, m, mo, lm, mu, ml, t, S, base + i * w);
    }
  }
  let al = -1; // accumulator in out; -1 means 1 (not yet set)
  let i = eb - 1;
  while (i >= 0) {
    let j = i;
    let v = 0;
    if (bitAt(e, eo, i)) {
      j = i - k + 1 < 0 ? 0 : i - k + 1;
      while (!bitAt(e, eo, j)) j++;
      for (let n = i; n >= j; n--) v = v * 2 + bitAt(e, eo, n);
    }
    if (al >= 0) {
      for (let n = i; n >= j; n--) al = barrett(S, pr, sqr(out, oo, al, S, pr), m, mo, lm, mu, ml, t, out, oo);
    }
    if (v) {
      const ti = (v - 1) >> 1;
      if (al < 0) {
        al = tl[ti];
        copy(S, base + ti * w, al, out, oo);
      } else {
        al = barrett(S, pr, mul(out, oo, al, S, base + ti * w, tl[ti], S, pr), m, mo, lm, mu, ml, t, out, oo);
      }
    }
    i = j - 1;
  }
  sp = base;
  return al;
}

/** gcd(|a|, |b|). out: min(la, lb) limbs, or max(la, lb) when one is zero; must not alias the inputs. */
export function gcd(a: Int32Array, ao: number, la: number, b: Int32Array, bo: number, lb: number, out: Int32Array, oo: number): number {
  if (la === 0 || lb === 0) {
    if (la === 0) copy(b, bo, lb, out, oo);
    else copy(a, ao, la, out, oo);
    return la + lb;
  }
  // Lehmer's algorithm (Knuth 4.5.2 L, HAC 14.57): run Euclid on the top 50 bits while the quotients provably
  // match the full numbers', collecting cofactors (kept below 2^26 so the products stay exact), then apply them to
  // the full numbers in one pass. A long division only when no quotient step could be certified.
  const n = la > lb ? la : lb;
  ensure(sp + 3 * n + 8);
  const base = reserve(2 * n);
  let xo = base;
  let yo = base + n;
  let xl = la;
  let yl = lb;
  copy(a, ao, la, S, xo);
  copy(b, bo, lb, S, yo);
  for (;;) {
    if (compare(S, xo, xl, S, yo, yl) < 0) {
      const t = xo;
      xo = yo;
      yo = t;
      const tl = xl;
      xl = yl;
      yl = tl;
    }
    if (yl < 2) break;
    let sh = bitLength(S, xo, xl) - 50;
    if (sh < 0) sh = 0;
    let xh = topBits(S, xo, xl, sh);
    let yh = topBits(S, yo, yl, sh);
    let A = 1;
    let B = 0;
    let C = 0;
    let D = 1;
    while (yh + C > 0 && yh + D > 0) {
      const q = Math.floor((xh + A) / (yh + C));
      if (q !== Math.floor((xh + B) / (yh + D))) break;
      const nc = A - q * C;
      const nd = B - q * D;
      if (nc > 67108864 || nc < -67108864 || nd > 67108864 || nd < -67108864) break;
      A = C;
      C = nc;
      B = D;
      D = nd;
      const t = xh - q * yh;
      xh = yh;
      yh = t;
    }
    if (B === 0) {
      divmod(S, xo, xl, S, yo, yl, null, 0, S, xo);
      xl = R[1];
    } else {
      let cx = 0;
      let cy = 0;
      const s = S;
      for (let i = 0; i < xl; i++) {
        const x = s[xo + i];
        const y = i < yl ? s[yo + i] : 0;
        const u = A * x + B * y + cx;
        const v = C * x + D * y + cy;
        cx = Math.floor(u * INV);
        cy = Math.floor(v * INV);
        s[xo + i] = u - cx * BASE;
        s[yo + i] = v - cy * BASE;
      }
      yl = norm(s, yo, xl);
      xl = norm(s, xo, xl);
    }
  }
  if (yl === 0) {
    copy(S, xo, xl, out, oo);
  } else {
    let y = S[yo];
    divSmall(S, xo, xl, y, null, 0);
    let x = R[3];
    while (x) {
      const t = y % x;
      y = x;
      x = t;
    }
    out[oo] = y;
    xl = 1;
  }
  sp = base;
  return xl;
}

// ---- conversions ----

const F = new Float64Array(1);
const FU = new Uint32Array(F.buffer);
F[0] = 1;
const HI = FU[1] === 0x3ff00000 ? 1 : 0;
const LO = 1 - HI;

// 2^k for 0 <= k <= 1023, built from its bits (Math.pow is inexact on Espruino).
function pow2(k: number): number {
  FU[LO] = 0;
  FU[HI] = (k + 1023) << 20;
  return F[0];
}

// floor(|a| / 2^s) when that is below 2^53: up to four limbs as disjoint bit fields, whose sum is exact.
function topBits(a: Int32Array, ao: number, la: number, s: number): number {
  const li = Math.floor(s / 24);
  const bo = s - li * 24;
  const p = 1 << (24 - bo);
  let m = 0;
  for (let i = 3; i > 0; i--) if (li + i < la) m = m * BASE + a[ao + li + i];
  return li < la ? m * p + (a[ao + li] >> bo) : 0;
}

/** |a| as a double, correctly rounded (half to even); Infinity when it exceeds the double range. */
export function toDouble(a: Int32Array, ao: number, la: number): number {
  if (la <= 2) return la === 0 ? 0 : la === 1 ? a[ao] : a[ao] + a[ao + 1] * BASE;
  const nb = bitLength(a, ao, la);
  if (nb <= 53) return a[ao] + a[ao + 1] * BASE + a[ao + 2] * BASE * BASE;
  if (nb > 1024) return Infinity;
  const s = nb - 53;
  let m = topBits(a, ao, la, s);
  // Round half to even on the bits below s.
  const rl = Math.floor((s - 1) / 24);
  const rb = s - 1 - rl * 24;
  const r = a[ao + rl];
  if ((r >> rb) & 1) {
    let sticky = (r & ((1 << rb) - 1)) !== 0;
    for (let i = 0; i < rl && !sticky; i++) sticky = a[ao + i] !== 0;
    if (sticky || m % 2 === 1) m += 1;
  }
  return m * pow2(s); // m may be 2^53: 2^1024 overflows to Infinity, as it should
}

/** Limbs fromDouble(x) needs (an upper bound: it may write up to two limbs beyond the result's length). */
export function doubleLen(x: number): number {
  F[0] = x;
  const e = ((FU[HI] >>> 20) & 0x7ff) - 1023;
  return e < 0 ? 0 : e < 52 ? 3 : Math.floor((e - 52) / 24) + 4;
}

const T3 = new Int32Array(3);

/** |x| truncated to an integer (x finite), exactly, from the double's bits. out: doubleLen(x) limbs. */
export function fromDouble(x: number, out: Int32Array, oo: number): number {
  F[0] = x;
  const hw = FU[HI];
  const lw = FU[LO];
  const e = ((hw >>> 20) & 0x7ff) - 1023;
  if (e < 0) return 0;
  const h = (hw & 0xfffff) | 0x100000; // 21 bits with the implicit one
  T3[0] = lw & MASK;
  T3[1] = (lw >>> 24) | ((h & 0xffff) << 8);
  T3[2] = h >>> 16;
  // value = mantissa · 2^(e - 52)
  if (e >= 52) return shl(T3, 0, 3, e - 52, out, oo);
  return shr(T3, 0, 3, 52 - e, out, oo);
}

/** Bytes of |a| (or of -|a| in two's complement when neg) into dst[off .. off+n). False if it does not fit. */
export function toBytes(a: Int32Array, ao: number, la: number, neg: number, dst: Uint8Array, off: number, n: number, little: boolean, signed: boolean): boolean {
  const nb = bitLength(a, ao, la);
  if (neg && !signed) return false;
  if (la > 0 && nb > (signed ? 8 * n - 1 : 8 * n)) {
    // -2^(8n-1) is the one value with 8n bits that still fits, signed.
    if (!(neg && nb === 8 * n && norm(a, ao, la - 1) === 0 && (a[ao + la - 1] & (a[ao + la - 1] - 1)) === 0)) return false;
  }
  let c = neg ? 1 : 0;
  for (let k = 0; k < n; k++) {
    const li = Math.floor(k / 3);
    let v = li < la ? (a[ao + li] >> (8 * (k - 3 * li))) & 255 : 0;
    if (neg) {
      v = (v ^ 255) + c;
      c = v >> 8;
      v &= 255;
    }
    dst[little ? off + k : off + n - 1 - k] = v;
  }
  return true;
}

/** int.from_bytes(src[off .. off+n)). out: ceil(n / 3) limbs. Sign to R[0]. */
export function fromBytes(src: Uint8Array, off: number, n: number, little: boolean, signed: boolean, out: Int32Array, oo: number): number {
  const neg = signed && n > 0 && (src[little ? off + n - 1 : off] & 128) !== 0 ? 1 : 0;
  const ol = Math.floor((n + 2) / 3);
  zero(out, oo, oo + ol);
  let c = neg;
  for (let k = 0; k < n; k++) {
    let v = src[little ? off + k : off + n - 1 - k];
    if (neg) {
      v = (v ^ 255) + c;
      c = v >> 8;
      v &= 255;
    }
    const li = Math.floor(k / 3);
    out[oo + li] |= v << (8 * (k - 3 * li));
  }
  const l = norm(out, oo, ol);
  R[0] = l ? neg : 0;
  return l;
}

// Radix chunks: the largest power d = radix^k below 2^28, so one divSmall / mulAddSmall pass handles k digits.
const CH = new Int32Array(2);

function chunk(radix: number): void {
  let d = radix;
  let k = 1;
  while (d * radix < 268435456) {
    d *= radix;
    k++;
  }
  CH[0] = d;
  CH[1] = k;
}

function digitVal(c: number): number {
  return c <= 57 ? c - 48 : (c | 32) - 87;
}

function pow2Bits(radix: number): number {
  return (radix & (radix - 1)) === 0 ? nbits(radix) - 1 : 0;
}

/** Upper bound of the digits toRadix writes (at least 1). */
export function radixLen(la: number, radix: number): number {
  return Math.floor((la * 16.635532333438686) / Math.log(radix)) + 2;
}

/** Upper bound of the limbs fromRadix needs for n digits. */
export function fromRadixLen(n: number, radix: number): number {
  return Math.floor((n * Math.log(radix)) / 16.635532333438686) + 2;
}

/**
 * Digits of |a| in radix 2–36 (lowercase, no sign or prefix; "0" for zero) as ASCII into dst from off, most
 * significant first. dst needs radixLen(la, radix) bytes; returns the number written.
 */
export function toRadix(a: Int32Array, ao: number, la: number, radix: number, dst: Uint8Array, off: number): number {
  if (la === 0) {
    dst[off] = 48;
    return 1;
  }
  const b = pow2Bits(radix);
  let p = off;
  if (b) {
    // Power-of-two radix: digits are bit fields, read straight from the limbs.
    const nb = bitLength(a, ao, la);
    for (let i = Math.floor((nb - 1) / b) * b; i >= 0; i -= b) {
      const li = Math.floor(i / 24);
      const bo = i - li * 24;
      let v = a[ao + li] >> bo;
      if (bo + b > 24 && li + 1 < la) v |= a[ao + li + 1] << (24 - bo);
      dst[p++] = DIG.charCodeAt(v & (radix - 1));
    }
    return p - off;
  }
  // Otherwise divide a copy by d = radix^k repeatedly; each remainder is k digits, least significant chunk first.
  chunk(radix);
  const d = CH[0];
  const k = CH[1];
  const wo = reserve(3 * la + 8);
  const co = wo + la;
  const s = S;
  copy(a, ao, la, s, wo);
  let wl = la;
  let nc = 0;
  while (wl > 0) {
    wl = divSmall(s, wo, wl, d, s, wo);
    s[co + nc++] = R[3];
  }
  for (let i = nc - 1; i >= 0; i--) {
    let v = s[co + i];
    let nd = k;
    if (i === nc - 1) {
      nd = 0;
      for (let t = v; t > 0; t = Math.floor(t / radix)) nd++;
    }
    for (let j = nd - 1; j >= 0; j--) {
      const t = Math.floor(v / radix);
      dst[p + j] = DIG.charCodeAt(v - t * radix);
      v = t;
    }
    p += nd;
  }
  sp = wo;
  return p - off;
}

const DIG = "0123456789abcdefghijklmnopqrstuvwxyz";
let TB = new Uint8Array(64);

/** toRadix as a JS string. */
export function toString(a: Int32Array, ao: number, la: number, radix: number): string {
  const need = radixLen(la, radix);
  if (TB.length < need) TB = new Uint8Array(need);
  const n = toRadix(a, ao, la, radix, TB, 0);
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(TB[i]);
  return s;
}

/**
 * The value of n digit characters (0-9, a-z, A-Z; already validated, no sign, prefix or underscores) in radix 2–36
 * from src (a string or ASCII bytes) at off. out: fromRadixLen(n, radix) limbs.
 */
export function fromRadix(src: string | Uint8Array, off: number, n: number, radix: number, out: Int32Array, oo: number): number {
  const str = typeof src === "string";
  const b = pow2Bits(radix);
  if (b) {
    const ol = Math.floor((n * b + 23) / 24);
    zero(out, oo, oo + ol);
    for (let i = 0; i < n; i++) {
      const v = digitVal(str ? (src as string).charCodeAt(off + n - 1 - i) : (src as Uint8Array)[off + n - 1 - i]);
      const bit = i * b;
      const li = Math.floor(bit / 24);
      const bo = bit - li * 24;
      out[oo + li] |= (v << bo) & MASK;
      if (bo + b > 24) out[oo + li + 1] |= v >> (24 - bo);
    }
    return norm(out, oo, ol);
  }
  chunk(radix);
  const k = CH[1];
  let len = 0;
  let i = 0;
  let first = n % k || k;
  while (i < n) {
    let v = 0;
    let m = 1;
    const e = i + first;
    for (; i < e; i++) {
      v = v * radix + digitVal(str ? (src as string).charCodeAt(off + i) : (src as Uint8Array)[off + i]);
      m *= radix;
    }
    first = k;
    len = mulAddSmall(out, oo, len, m, v, out, oo);
  }
  return len;
}
