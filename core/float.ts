// Float ↔ text with Python's exact semantics: repr(float), the number part of format(float, spec), round(float, n)
// and float(str). Espruino's own number↔string keeps 11 digits and its Math.pow is inexact, so everything here reads
// the IEEE bits and works on exact small bignums (24-bit limbs in Int32Arrays); no platform conversion is used.
// Digit generation is Steele–White/Burger–Dybvig (shortest) or exact fixed-count; layout is CPython's pystrtod.c.

const F = new Float64Array(1);
const U = new Uint32Array(F.buffer); // little-endian on every Espruino target: U[1] is the high word

// Bignum: Int32Array, [0] = limb count n, [1..n] = limbs base 2^24, least significant first, top limb nonzero.
// A limb times a factor below 2^24 plus a carry stays under 2^53, so plain doubles compute it exactly.
// Invariant: limbs above n are zero (every operation only shrinks a number by trimming zero limbs), so loops may read
// a shorter operand past its length without checks.
const B = 16777216;
type Big = Int32Array;

// Exact powers of ten up to 1e22 (all exactly representable), for the fast path of parsing.
const P10 = new Float64Array(23);
P10[0] = 1;
for (let i = 1; i < 23; i++) P10[i] = P10[i - 1] * 10;

function big(cap: number, v: number): Big {
  const a = new Int32Array(cap + 3);
  let n = 0;
  while (v > 0) {
    const l = v % B;
    a[++n] = l;
    v = (v - l) / B;
  }
  a[0] = n;
  return a;
}

// a = a*m + c, m and c below 2^24
function mulAdd(a: Big, m: number, c: number): void {
  const n = a[0];
  for (let i = 1; i <= n; i++) {
    const t = a[i] * m + c;
    c = t / B | 0;
    a[i] = t - c * B;
  }
  if (c) a[a[0] = n + 1] = c;
}

// a *= 5^k, in chunks of 5^10 (below 2^24)
function mulPow5(a: Big, k: number): void {
  for (; k >= 10; k -= 10) mulAdd(a, 9765625, 0);
  let m = 1;
  for (; k > 0; k--) m *= 5;
  if (m > 1) mulAdd(a, m, 0);
}

// a <<= k bits
function shl(a: Big, k: number): void {
  const w = k / 24 | 0;
  mulAdd(a, 1 << (k - w * 24), 0);
  const n = a[0];
  if (w && n) {
    for (let i = n; i > 0; i--) a[i + w] = a[i];
    for (let i = 1; i <= w; i++) a[i] = 0;
    a[0] = n + w;
  }
}

// sign of a - b (any value of that sign)
function cmp(a: Big, b: Big): number {
  let n = a[0];
  if (n != b[0]) return n - b[0];
  while (n > 0 && a[n] == b[n]) n--;
  return n ? a[n] - b[n] : 0;
}

// a -= q*b, q below 2^24, the result must not be negative
function subMul(a: Big, b: Big, q: number): void {
  let n = a[0], c = 0, i = 1;
  const m = b[0];
  for (; i <= n && (i <= m || c); i++) {
    const p = b[i] * q + c;
    c = p / B | 0;
    let t = a[i] - (p - c * B);
    if (t < 0) {
      t += B;
      c++;
    }
    a[i] = t;
  }
  while (n > 0 && !a[n]) n--;
  a[0] = n;
}

// o = a + b (o is scratch, not an operand elsewhere)
function add(a: Big, b: Big, o: Big): void {
  const n = a[0] > b[0] ? a[0] : b[0];
  let c = 0, i = 1;
  for (; i <= n; i++) {
    const t = a[i] + b[i] + c;
    c = t >= B ? 1 : 0;
    o[i] = t - c * B;
  }
  o[i] = c;
  o[0] = n + c;
}

function bitlen(a: Big): number {
  const n = a[0];
  let b = n ? (n - 1) * 24 : 0;
  for (let t = a[n]; t; t >>= 1) b++;
  return b;
}

// q = floor(r / s) for r < 10s, leaving r mod s in r. The estimate from the top limbs never exceeds q and is at most
// one below it (the divisor estimate is rounded up and has at least 24 significant bits).
function divDigit(r: Big, s: Big): number {
  const n = s[0];
  if (r[0] < n) return 0;
  const t = (r[0] > n ? r[n + 1] * B : 0) + r[n];
  let q = n > 1 ? Math.floor((t * B + r[n - 1]) / (s[n] * B + s[n - 1] + 1)) : Math.floor(t / s[1]);
  if (q) subMul(r, s, q);
  while (cmp(r, s) >= 0) {
    subMul(r, s, 1);
    q++;
  }
  return q;
}

function zeros(n: number): string {
  return n > 0 ? "0".repeat(n) : "";
}

// decimal text of a non-negative integer below 2^53
function intStr(n: number): string {
  let s = "";
  do {
    const d = n % 10;
    s = String.fromCharCode(48 + d) + s;
    n = (n - d) / 10;
  } while (n);
  return s;
}

// Decimal point position of the last digits() result: x = 0.DIGITS × 10^dp.
let dp = 0;

// Where the platform's own conversions are exact (V8's are; Espruino's keep 11 digits), digits() takes the shortest
// form from toExponential() and fixed digits from toFixed(), which only differ from Python's on exact ties.
let NATIVE = false;
try {
  NATIVE = (0.1).toFixed(20) === "0.10000000000000000555" && (5e-324).toExponential() === "5e-324" &&
    (0.3).toExponential() === "3e-1" && (123.456).toFixed(2) === "123.46";
} catch (e) {
  NATIVE = false;
}

// Decimal digits of finite x > 0, as David Gay's dtoa returns them (trailing zeros stripped, dp set):
// mode 0: shortest string that reads back as x (ties between candidates to the nearer, then to even);
// mode 2: nd significant digits (nd >= 1); mode 3: digits up to 10^-nd (may be "" when x rounds to 0, dp = -nd).
// Modes 2 and 3 round half-even on the exact binary value.
function digits(x: number, mode: number, nd: number): string {
  let ds = "";
  if (mode == 0 && x < 9007199254740992 && x == Math.floor(x)) {
    // an integer below 2^53 is its own shortest form: any other candidate is at least 1 away
    ds = intStr(x);
    dp = ds.length;
    return strip(ds);
  }
  if (NATIVE && mode == 0) {
    ds = x.toExponential();
    const ei = ds.indexOf("e");
    dp = parseInt(ds.slice(ei + 1), 10) + 1;
    return strip(ds.charAt(0) + ds.slice(2, ei));
  }
  if (NATIVE && mode == 3 && nd >= 0 && nd <= 100 && x < 1e21) {
    // toFixed rounds an exact tie up, Python to even: a tie is x = odd * 2^-(nd + 1)
    let y = x;
    let k = 0;
    while (k <= nd + 1 && y != Math.floor(y)) {
      y *= 2;
      k++;
    }
    if (k != nd + 1) {
      ds = x.toFixed(nd);
      if (nd) ds = ds.slice(0, ds.length - nd - 1) + ds.slice(ds.length - nd);
      let i = 0;
      while (i < ds.length && ds.charCodeAt(i) == 48) i++;
      ds = ds.slice(i);
      dp = ds ? ds.length - nd : -nd;
      return ds ? strip(ds) : "";
    }
  }
  F[0] = x;
  const hi = U[1], be = hi >>> 20 & 2047;
  let f = (hi & 0xfffff) * 4294967296 + U[0], e = -1074, nb = 53;
  if (be) {
    f += 4503599627370496;
    e = be - 1075;
  } else for (nb = 0, x = f; x >= 1; x /= 2) nb++;
  // x = f·2^e. k estimates ceil(log10 x) from below by at most one; the fixup below corrects it.
  let k = Math.ceil((e + nb - 1) * 0.30102999566398114 - 1e-10);
  // When f is a power of two (and x is normal but not the smallest normal) the gap below x is half the gap above.
  const u = mode == 0 && f == 4503599627370496 && be > 1 ? 1 : 0;
  const ep = e > 0 ? e : 0, en = e < 0 ? -e : 0, ak = k < 0 ? -k : k;
  const cap = ((ep + en + (ak * 10 / 3 | 0) + 90) / 24 | 0) + 2;
  // x = r/s; mp and mm are half the gaps to the neighbours, in the same scale. Scaling by 10^k multiplies one side
  // by 5^k and shifts it; the powers of two common to both sides are cancelled first, which keeps extreme
  // exponents about 30% smaller.
  let r2 = ep + 1 + u, s2 = en + 1 + u, m2 = ep;
  if (k >= 0) s2 += k;
  else {
    r2 -= k;
    m2 -= k;
  }
  const z = m2 < s2 ? m2 : s2;
  const r = big(cap, f), s = big(cap, 1);
  shl(r, r2 - z);
  shl(s, s2 - z);
  let mp = r, mm = r;
  if (mode == 0) {
    mm = mp = big(cap, 1);
    shl(mm, m2 - z);
    if (u) {
      mp = big(cap, 2);
      shl(mp, m2 - z);
    }
  }
  if (k >= 0) mulPow5(s, k);
  else {
    mulPow5(r, -k);
    if (mode == 0) {
      mulPow5(mp, -k);
      if (mm !== mp) mulPow5(mm, -k);
    }
  }
  // x/10^k = r/s; make the upper end (mode 0: of the rounding interval) fall below 1
  const even = f % 2 ? 0 : 1; // even mantissas read back from the interval's ends too (round-half-even parsing)
  const t = mode == 0 ? big(cap, 0) : r;
  if (mode == 0) add(r, mp, t);
  if (cmp(mode == 0 ? t : r, s) >= (mode == 0 ? 1 - even : 0)) {
    k++;
    mulAdd(s, 10, 0);
  }
  dp = k;
  if (mode == 0) {
    for (;;) {
      mulAdd(r, 10, 0);
      mulAdd(mp, 10, 0);
      if (mm !== mp) mulAdd(mm, 10, 0);
      let d = divDigit(r, s);
      const low = cmp(r, mm) < even;
      add(r, mp, t);
      const high = cmp(t, s) > -even;
      if (low || high) {
        if (high) {
          let c = 1;
          if (low) {
            mulAdd(r, 2, 0);
            c = cmp(r, s);
          }
          if (c > 0 || (c == 0 && d & 1)) d++;
        }
        ds += String.fromCharCode(48 + d);
        break;
      }
      ds += String.fromCharCode(48 + d);
    }
    return strip(ds);
  }
  const n = mode == 2 ? nd : k + nd;
  if (n < 0) {
    dp = -nd;
    return "";
  }
  for (let i = 0; i < n && r[0]; i++) {
    mulAdd(r, 10, 0);
    ds += String.fromCharCode(48 + divDigit(r, s));
  }
  if (r[0]) {
    mulAdd(r, 2, 0);
    const c = cmp(r, s);
    if (c > 0 || (c == 0 && ds.charCodeAt(n - 1) & 1)) {
      // round up: drop trailing 9s and bump the last digit; all 9s (or no digits) become "1" one place higher
      let i = n;
      while (i > 0 && ds.charCodeAt(i - 1) == 57) i--;
      if (i) ds = ds.slice(0, i - 1) + String.fromCharCode(ds.charCodeAt(i - 1) + 1);
      else {
        ds = "1";
        dp++;
      }
    }
  }
  if (!ds) dp = -nd;
  return strip(ds);
}

function strip(ds: string): string {
  let i = ds.length;
  while (i > 1 && ds.charCodeAt(i - 1) == 48) i--;
  return ds.slice(0, i);
}

// CPython's format_float_short layout (Python/pystrtod.c): place digits ds with point position p, padding with zeros.
// code: e (prec = digit count), f (prec = digits after the point), g, r (repr); dot0 keeps one digit after the point.
function layout(ds: string, p: number, code: string, prec: number, dot0: boolean, alt: boolean, ech: string): string {
  const nd = ds.length;
  let end = nd, useExp = false, exp = 0;
  if (code == "e") {
    useExp = true;
    end = prec;
  } else if (code == "f") end = p + prec;
  else if (code == "g") {
    useExp = p <= -4 || p > (dot0 ? prec - 1 : prec);
    if (alt) end = prec;
  } else useExp = p <= -4 || p > 16;
  if (useExp) {
    exp = p - 1;
    p = 1;
  }
  if (end <= p) end = !useExp && dot0 ? p + 1 : p;
  let o = p <= 0 ? "0." + zeros(-p) : "";
  if (0 < p && p <= nd) o += ds.slice(0, p) + "." + ds.slice(p);
  else o += ds;
  o += nd < p ? zeros(p - nd) + "." + zeros(end - p) : zeros(end - nd);
  if (!alt && o.charCodeAt(o.length - 1) == 46) o = o.slice(0, -1);
  if (useExp) {
    o += ech + (exp < 0 ? "-" : "+");
    if (exp < 0) exp = -exp;
    o += (exp < 10 ? "0" : "") + intStr(exp);
  }
  return o;
}

/** Python's repr(x) for a float. */
export function floatRepr(x: number): string {
  if (x != x) return "nan";
  const neg = x < 0 || 1 / x < 0;
  if (neg) x = -x;
  const sign = neg ? "-" : "";
  if (x == Infinity) return sign + "inf";
  if (x == 0) return sign + "0.0";
  const ds = digits(x, 0, 0);
  return sign + layout(ds, dp, "r", 0, true, false, "e");
}

/**
 * The number part of Python's format(x, spec) for type in "eEfFgGn%" or "" (none): the text of |x| without sign,
 * fill, width or grouping (the caller adds those; it takes the sign from x, or from x*100 for "%"). precision -1 means
 * the default; alt is the "#" flag. Type "%" includes the trailing "%".
 */
export function floatFormat(x: number, type: string, precision: number, alt: boolean): string {
  let code = type.toLowerCase(), dot0 = false, pct = "";
  const upper = type != code;
  if (code == "") {
    dot0 = true;
    code = precision < 0 ? "r" : "g";
  } else if (code == "n") code = "g";
  else if (code == "%") {
    code = "f";
    x *= 100;
    pct = "%";
  }
  if (precision < 0) precision = code == "r" ? 0 : 6;
  if (x < 0) x = -x;
  let o: string;
  if (x != x) o = "nan";
  else if (x == Infinity) o = "inf";
  else {
    if (code == "e") precision++;
    else if (code == "g" && !precision) precision = 1;
    const ds = x == 0 ? "0" : digits(x, code == "r" ? 0 : code == "f" ? 3 : 2, precision);
    o = layout(ds, x == 0 ? 1 : dp, code, precision, dot0, alt, upper ? "E" : "e");
  }
  return (upper ? o.toUpperCase() : o) + pct;
}

/**
 * Python's round(x, ndigits) for a float: exact decimal rounding, half to even. Returns ±Infinity when the rounded
 * value does not fit a double (Python raises OverflowError then; x itself finite).
 */
export function floatRound(x: number, ndigits: number): number {
  if (x != x || x == 0 || x == Infinity || x == -Infinity || ndigits > 323) return x;
  const neg = x < 0;
  let v = 0;
  // beyond -308 digits every finite double rounds to zero (CPython's NDIGITS_MIN)
  if (ndigits >= -308) {
    const ds = digits(neg ? -x : x, 3, ndigits);
    if (ds) v = decToDouble(ds, dp - ds.length);
  }
  return neg ? -v : v;
}

// Correctly rounded int(ds) × 10^E, for ds a string of at most ~801 decimal digits without leading zeros.
function decToDouble(ds: string, E: number): number {
  const nd = ds.length;
  if (nd + E > 310) return Infinity;
  if (nd + E < -324) return 0; // below 1e-325, under half the smallest subnormal
  if (nd <= 15 && E >= -22 && E <= 22) {
    // Clinger's fast path: the integer and the power of ten are exact doubles, so one IEEE operation rounds correctly
    let v = 0;
    for (let i = 0; i < nd; i++) v = v * 10 + ds.charCodeAt(i) - 48;
    return E < 0 ? v / P10[-E] : v * P10[E];
  }
  const ae = E < 0 ? -E : E;
  const cap = ((nd * 10 / 3 + ae * 7 / 3 + 120) / 24 | 0) + 2;
  const a = big(cap, 0), b = big(cap, 1);
  for (let i = 0; i < nd;) {
    let c = 0, m = 1;
    for (let j = 0; j < 7 && i < nd; j++, i++) {
      c = c * 10 + ds.charCodeAt(i) - 48;
      m *= 10;
    }
    mulAdd(a, m, c);
  }
  // value = a/b × 2^E, with 10^E split into 5^E (in a or b) and 2^E (in the exponent)
  if (E < 0) mulPow5(b, -E);
  else mulPow5(a, E);
  let p = bitlen(a) - bitlen(b);
  if (p > 0) shl(b, p);
  else shl(a, -p);
  if (cmp(a, b) < 0) {
    shl(a, 1);
    p--;
  }
  // now 1 <= a/b < 2 and value = a/b × 2^ex
  const ex = p + E;
  if (ex > 1023) return Infinity;
  // significant bits available: 53 for normals, fewer for subnormals (whose last bit is 2^-1074)
  const nb = ex >= -1022 ? 53 : ex + 1075;
  if (nb < 0) return 0;
  let m = 0;
  for (let i = 0; i < nb; i++) {
    m *= 2;
    if (cmp(a, b) >= 0) {
      subMul(a, b, 1);
      m++;
    }
    mulAdd(a, 2, 0);
  }
  // a/b is now twice the remaining fraction of the last bit: round half to even
  const c = cmp(a, b);
  if (c > 0 || (c == 0 && m % 2)) m++;
  // the bit pattern is (biased exponent - 1)·2^52 + m for normals and m for subnormals; a carry out of m moves into
  // the exponent field by itself, up to infinity
  const lo = m % 4294967296;
  U[0] = lo;
  U[1] = (ex >= -1022 ? (ex + 1022) * 1048576 : 0) + (m - lo) / 4294967296;
  return F[0];
}

function isSpace(c: number): boolean {
  return (c >= 9 && c <= 13) || c == 32 || c == 0x85 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Python's float(str) for ASCII digits: correctly rounded, or null when the text is not a float literal. Accepts
 * surrounding whitespace, a sign, inf/infinity/nan in any case, and single underscores between digits.
 */
export function parseFloatStr(s: string): number | null {
  let i = 0, n = s.length;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  while (n > i && isSpace(s.charCodeAt(n - 1))) n--;
  let c = s.charCodeAt(i);
  const neg = c == 45;
  if (neg || c == 43) i++;
  const w = s.slice(i, n).toLowerCase();
  if (w == "inf" || w == "infinity") return neg ? -Infinity : Infinity;
  if (w == "nan") return NaN;
  // significant digits (at most 800, then a sticky 1 for any nonzero digit dropped), with x = int(ds) × 10^E
  let ds = "", E = 0, point = false, any = false, sticky = false;
  const start = i;
  for (; i < n; i++) {
    c = s.charCodeAt(i);
    if (isDigit(c)) {
      any = true;
      if (ds.length < 800) {
        if (ds || c != 48) ds += s[i];
        if (point) E--;
      } else {
        if (c != 48) sticky = true;
        if (!point) E++;
      }
    } else if (c == 95) {
      if (i == start || !isDigit(s.charCodeAt(i - 1)) || !isDigit(s.charCodeAt(i + 1))) return null;
    } else if (c == 46 && !point) point = true;
    else break;
  }
  if (!any) return null;
  if (i < n) {
    // exponent: e, optional sign, digits (underscores between them)
    if (c != 101 && c != 69) return null;
    c = s.charCodeAt(++i);
    const eneg = c == 45;
    if (eneg || c == 43) i++;
    const es = i;
    let v = 0;
    for (; i < n; i++) {
      c = s.charCodeAt(i);
      if (isDigit(c)) {
        if (v < 1e9) v = v * 10 + c - 48;
      } else if (c != 95 || i == es || !isDigit(s.charCodeAt(i - 1)) || i + 1 >= n || !isDigit(s.charCodeAt(i + 1))) {
        return null;
      }
    }
    if (i == es) return null;
    E += eneg ? -v : v;
  }
  let x = 0;
  if (ds) {
    if (sticky) {
      ds += "1";
      E--;
    } else {
      let j = ds.length;
      while (ds.charCodeAt(j - 1) == 48) j--;
      E += ds.length - j;
      ds = ds.slice(0, j);
    }
    x = decToDouble(ds, E);
  }
  return neg ? -x : x;
}
