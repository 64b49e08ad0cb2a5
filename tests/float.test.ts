// core/float.ts against two oracles: V8's own shortest round trip and Number(string) (exact on V8), and CPython 3.11,
// run once for a batch of format/round/parse/repr cases. Random inputs come from a seeded generator, so a failure
// reproduces; each test reports the first few mismatches with their inputs.
import { describe, it, expect, beforeAll } from "vitest";
import { execFileSync } from "node:child_process";
import { floatRepr, floatFormat, floatRound, parseFloatStr } from "../core/float";

// --- helpers ----------------------------------------------------------------------------------------------------

let seed = 0x9e3779b9;
function rnd32(): number {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}
function rint(n: number): number {
  return rnd32() % n;
}
const dv = new DataView(new ArrayBuffer(8));
function fromBits(hi: number, lo: number): number {
  dv.setUint32(0, hi >>> 0);
  dv.setUint32(4, lo >>> 0);
  return dv.getFloat64(0);
}
function hexOf(x: number): string {
  dv.setFloat64(0, x);
  return dv.getUint32(0).toString(16).padStart(8, "0") + dv.getUint32(4).toString(16).padStart(8, "0");
}
function fromHex(h: string): number {
  return fromBits(parseInt(h.slice(0, 8), 16), parseInt(h.slice(8), 16));
}
// a finite double with uniformly random bits (subnormals included, about 1 in 2048)
function randomBitsDouble(): number {
  for (;;) {
    const x = fromBits(rnd32(), rnd32());
    if (isFinite(x)) return x;
  }
}
function randomSubnormal(): number {
  return fromBits((rnd32() & 0x800fffff) >>> 0, rnd32());
}
function randomDigits(n: number): string {
  let s = String(1 + rint(9));
  for (let i = 1; i < n; i++) s += String(rint(10));
  return s;
}
// a "nice" decimal: few significant digits, moderate exponent
function randomNice(): number {
  return Number(randomDigits(1 + rint(17)) + "e" + (rint(61) - 30 - rint(10)));
}
const next = (x: number) => fromHex(((BigInt("0x" + hexOf(x)) + 1n).toString(16)).padStart(16, "0"));

// Python's repr from V8's shortest digits: V8 prints the same digits, only its exponent style differs.
function pyReprFromV8(x: number): string {
  if (isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(Math.abs(x)))!;
  let ds = m[1] + (m[2] || "");
  let decpt = m[1].length + (m[3] ? parseInt(m[3], 10) : 0);
  const lead = /^0*/.exec(ds)![0].length;
  ds = ds.slice(lead);
  decpt -= lead;
  ds = ds.replace(/0+$/, "");
  if (!ds) return sign + "0.0";
  if (decpt <= -4 || decpt > 16) {
    const e = decpt - 1;
    return sign + ds[0] + (ds.length > 1 ? "." + ds.slice(1) : "") + "e" + (e < 0 ? "-" : "+") +
      String(Math.abs(e)).padStart(2, "0");
  }
  if (decpt <= 0) return sign + "0." + "0".repeat(-decpt) + ds;
  if (decpt >= ds.length) return sign + ds + "0".repeat(decpt - ds.length) + ".0";
  return sign + ds.slice(0, decpt) + "." + ds.slice(decpt);
}

function same(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Object.is(a, b) || (isNaN(a) && isNaN(b));
}

// exact decimal text of the midpoint between finite x > 0 and the next double up (BigInt: tests run on Node only)
function midpointText(x: number): string {
  const bits = BigInt("0x" + hexOf(x));
  const be = Number((bits >> 52n) & 0x7ffn);
  let f = bits & ((1n << 52n) - 1n);
  let e = -1074;
  if (be) {
    f |= 1n << 52n;
    e = be - 1075;
  }
  // midpoint = (2f+1)·2^(e-1)
  const m = 2n * f + 1n, k = e - 1;
  if (k >= 0) return (m << BigInt(k)).toString();
  const digits = (m * 5n ** BigInt(-k)).toString(); // value = digits × 10^k
  return digits + "e" + k;
}

// --- the CPython batch ------------------------------------------------------------------------------------------

const TYPES = ["e", "E", "f", "F", "g", "G", "%", "", "n"];
type FmtCase = [string, string]; // hex bits, spec
const fmtCases: FmtCase[] = [];
const roundCases: [string, number][] = [];
const parseCases: string[] = [];
const reprCases: string[] = [];

const SPECIAL = [0, -0, Infinity, -Infinity, NaN, 5e-324, -5e-324, 2.2250738585072014e-308, 2.225073858507201e-308,
  1.7976931348623157e308, -1.7976931348623157e308, 0.5, 1.5, 2.5, -2.5, 0.125, 0.375, 2.675, 1.005, 0.1, 0.2, 0.3,
  1 / 3, 2 / 3, 1e16, 1e15, 9.999999999999999e15, 1e-4, 1e-5, 9.9999e-5, 0.00009999, 123.456, 999.9999, 9.5, 99.5,
  0.05, 0.95, 1e22, 1e23, 2 ** 53, 2 ** 53 + 2, 2 ** 63, 2 ** 64, 1e100, 1e-100, 1e300, 1e-300, 1e308, 1e-310, 123456789,
  1234567.0, 0.000123456789, 5e-5, 4.35, 0.045, 1e21, 1e-7, 12345678901234567890.0];

function randomValue(): number {
  switch (rint(8)) {
    case 0: case 1: return randomBitsDouble();
    case 2: return randomSubnormal();
    case 3: return SPECIAL[rint(SPECIAL.length)];
    case 4: return Number(randomDigits(1 + rint(4)) + "5e" + (rint(40) - 25)) * (rint(2) ? 1 : -1); // near-halfway
    case 5: return rint(1000000) * (rint(2) ? 1 : -1) / (rint(2) ? 1 : 1000);
    default: return randomNice() * (rint(2) ? 1 : -1);
  }
}

function buildPyCases(): void {
  for (const x of SPECIAL) {
    for (const t of TYPES) {
      for (const p of [-1, 0, 1, 2, 3, 6, 17, 25]) fmtCases.push([hexOf(x), (rint(3) ? "" : "#") + (p >= 0 ? "." + p : "") + t]);
    }
  }
  while (fmtCases.length < 8000) {
    const x = randomValue(), t = TYPES[rint(TYPES.length)];
    const p = rint(10) ? rint(27) - 1 : [40, 60, 120, 330, 400][rint(5)];
    fmtCases.push([hexOf(x), (rint(4) ? "" : "#") + (p >= 0 ? "." + p : "") + t]);
  }
  for (const x of SPECIAL) for (const n of [-400, -309, -308, -20, -2, -1, 0, 1, 2, 3, 15, 17, 20, 300, 323, 324, 400]) {
    roundCases.push([hexOf(x), n]);
  }
  while (roundCases.length < 3000) {
    const x = randomValue();
    let n: number;
    if (rint(2)) n = rint(40) - 20;
    else {
      // around the digit count where rounding bites: -log10|x| ± a few
      const l = x === 0 || !isFinite(x) ? 0 : Math.floor(-Math.log10(Math.abs(x)));
      n = l + rint(25) - 5;
    }
    roundCases.push([hexOf(x), n]);
  }
  parseCases.push("1_000.000_1", "1_0e1_0", "1_", "_1", "1__0", "1_.5", "1._5", "1e_5", "1e5_", "1_e5", ".", "1.",
    ".5", "e5", "1e", "1e+", "+inf", "-iNfInItY", "nAn", "-nan", "+NaN", "inf_", "infinit", "1e+5", "1.e5",
    "\u00a01\u3000", "\t\n 2.5 \r\f\v", "0x10", "+-1", "1e+-5", "++1", "", " ", "1 1", "1e1.5", "0", "-0", "-0.0e-5",
    "00000.0000", "1E5", "1.5E-3", "\u20001\u2029", "\x1c1", "1\x85", "0e999999999999999", "1e-999999999999", 
    "1e999999999999", "-1e999999", "12.34.5", "1,5", "1d5", "1f", "4.9406564584124654e-324",
    "2.4703282292062327e-324", "2.4703282292062328e-324", "1.7976931348623157e308", "1.7976931348623158e308",
    "1.7976931348623159e308", "0." + "0".repeat(400) + "1e400", "1" + "0".repeat(400) + "e-400",
    "1_2_3_4_5_6_7_8_9_0_1_2_3_4_5_6_7_8_9", "0.1000000000000000055511151231257827", "2.2250738585072011e-308");
  for (let i = 0; i < 300; i++) {
    // random syntax: pieces glued together, valid or not
    const pieces = ["1", "23", "_", ".", "e", "E", "+", "-", "0", " ", "9_9", "inf", "nan", "5e-3"];
    let s = "";
    for (let j = 0, n = 1 + rint(6); j < n; j++) s += pieces[rint(pieces.length)];
    parseCases.push(s);
  }
  for (const x of SPECIAL) reprCases.push(hexOf(x));
  for (let i = 0; i < 2000; i++) reprCases.push(hexOf(randomValue()));
}

const PY = `
import sys, json, struct
d = json.load(sys.stdin)
fx = lambda h: struct.unpack('>d', bytes.fromhex(h))[0]
hx = lambda v: struct.pack('>d', v).hex()
def rnd(h, n):
    try: return hx(round(fx(h), n))
    except OverflowError: return 'OVF'
def prs(s):
    try: return hx(float(s))
    except ValueError: return None
json.dump({
  'fmt': [format(fx(h), spec) for h, spec in d['fmt']],
  'round': [rnd(h, n) for h, n in d['round']],
  'parse': [prs(s) for s in d['parse']],
  'repr': [repr(fx(h)) for h in d['repr']],
}, sys.stdout)
`;
let py: { fmt: string[]; round: string[]; parse: (string | null)[]; repr: string[] };

beforeAll(() => {
  buildPyCases();
  const out = execFileSync("python3", ["-c", PY], {
    input: JSON.stringify({ fmt: fmtCases, round: roundCases, parse: parseCases, repr: reprCases }),
    maxBuffer: 1 << 26,
  });
  py = JSON.parse(out.toString());
});

function report(bad: string[], total: number): void {
  expect(bad.slice(0, 10), `${bad.length} of ${total} differ`).toEqual([]);
}

// --- tests ------------------------------------------------------------------------------------------------------

describe("floatRepr", () => {
  it("matches Python on fixed cases", () => {
    const cases: [number, string][] = [[0, "0.0"], [-0, "-0.0"], [Infinity, "inf"], [-Infinity, "-inf"], [NaN, "nan"],
      [1e16, "1e+16"], [1e-5, "1e-05"], [1e-4, "0.0001"], [123, "123.0"], [0.1, "0.1"], [1 / 3, "0.3333333333333333"],
      [2e16 + 8, "2.000000000000001e+16"], [9999999999999998, "9999999999999998.0"], [5e-324, "5e-324"],
      [1.7976931348623157e308, "1.7976931348623157e+308"], [-1.5e-7, "-1.5e-07"], [1e22, "1e+22"], [123456.789, "123456.789"],
      // exactly halfway between the two shortest candidates: the even digit wins (CPython and V8 agree)
      [603498098363921.75, "603498098363921.8"], [1221167899746918.25, "1221167899746918.2"],
      [155360575463313.875, "155360575463313.88"], [22961152627430.9375, "22961152627430.938"]];
    for (const [x, s] of cases) expect(floatRepr(x)).toBe(s);
  });

  it("equals V8's shortest digits and round-trips for 200k doubles", () => {
    const bad: string[] = [];
    const xs: number[] = [];
    for (let i = 0; i < 90000; i++) xs.push(randomBitsDouble());
    for (let i = 0; i < 10000; i++) xs.push(randomSubnormal());
    for (let i = 0; i < 100000; i++) xs.push(randomNice());
    // powers of two and ten and their neighbours: the unequal-gap and digit-count boundaries
    for (let e = -1074; e <= 1023; e++) {
      const p = e < 0 ? 1 / 2 ** -e : 2 ** e;
      xs.push(p, next(p), -p);
    }
    for (let e = -323; e <= 308; e++) {
      const p = Number("1e" + e);
      xs.push(p, next(p), fromHex((BigInt("0x" + hexOf(p)) - 1n).toString(16).padStart(16, "0")));
    }
    for (const x of xs) {
      const r = floatRepr(x), want = pyReprFromV8(x);
      if (r !== want) bad.push(`${hexOf(x)}: ${r} != ${want}`);
      else if (!same(parseFloatStr(r), x)) bad.push(`${hexOf(x)}: ${r} reads back as ${parseFloatStr(r)}`);
    }
    report(bad, xs.length);
  });

  it("matches CPython's repr", () => {
    const bad: string[] = [];
    reprCases.forEach((h, i) => {
      const r = floatRepr(fromHex(h));
      if (r !== py.repr[i]) bad.push(`${h}: ${r} != ${py.repr[i]}`);
    });
    report(bad, reprCases.length);
  });

  it("prints a timing figure", () => {
    // typical values (short decimals, values of everyday magnitude with 17 digits) and random bit patterns, whose
    // exponents are mostly extreme and need bignums of up to ~48 limbs
    const typical: number[] = [], extreme: number[] = [];
    for (let i = 0; i < 50000; i++) typical.push(randomNice(), (rnd32() / 4294967296) * 1000);
    for (let i = 0; i < 20000; i++) extreme.push(randomBitsDouble());
    let n = 0;
    for (let i = 0; i < 20000; i++) n += floatRepr(typical[i]).length + floatRepr(extreme[i]).length; // warm up
    for (const [name, xs] of [["typical", typical], ["random bits", extreme]] as [string, number[]][]) {
      const t0 = performance.now();
      for (const x of xs) n += floatRepr(x).length;
      const ms = performance.now() - t0;
      console.log(`floatRepr, ${name}: ${xs.length} values in ${ms.toFixed(1)} ms (${(ms * 1000 / xs.length).toFixed(2)} µs each)`);
    }
    expect(n).toBeGreaterThan(typical.length + extreme.length);
  });
});

describe("parseFloatStr", () => {
  function check(strs: string[]): void {
    const bad: string[] = [];
    for (const s of strs) {
      const got = parseFloatStr(s), want = Number(s);
      if (!same(got, want)) bad.push(`${s.length > 80 ? s.slice(0, 40) + "…" + s.slice(-30) : s}: ${got} != ${want}`);
    }
    report(bad, strs.length);
  }

  it("agrees with V8's Number() on random decimals", () => {
    const strs: string[] = [];
    for (let i = 0; i < 40000; i++) {
      const nd = rint(10) ? 1 + rint(25) : 1 + rint(900);
      let d = randomDigits(nd);
      const pt = rint(nd + 2);
      if (pt <= nd && rint(2)) d = d.slice(0, pt) + "." + d.slice(pt);
      let e: number;
      switch (rint(4)) {
        case 0: e = rint(60) - 30; break;
        case 1: e = -300 - rint(60) - nd; break; // subnormal and underflow region
        case 2: e = 280 + rint(40) - nd; break; // overflow region
        default: e = rint(700) - 350;
      }
      strs.push((rint(4) ? "" : "-") + d + (rint(8) ? "e" + e : ""));
    }
    check(strs);
  });

  it("rounds halfway cases and their neighbours correctly", () => {
    const strs: string[] = [];
    for (let i = 0; i < 6000; i++) {
      const x = Math.abs(i % 3 ? randomBitsDouble() : i % 2 ? randomSubnormal() : randomNice());
      if (x === 0 || x === 1.7976931348623157e308) continue;
      const m = midpointText(x);
      strs.push(m);
      // just above and just below the midpoint: a long tail decides
      const [digits, exp] = m.split("e");
      strs.push(digits + "0".repeat(30) + "1" + (exp ? "e" + (+exp - 31) : "e-31"));
      const below = (BigInt(digits) - 1n).toString();
      strs.push(below + "9".repeat(40) + "e" + ((exp ? +exp : 0) - 40));
    }
    check(strs);
  });

  it("handles fixed hard cases", () => {
    check(["0.1000000000000000055511151231257827", "2.2250738585072011e-308", "2.2250738585072012e-308",
      "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "1.7976931348623157e308",
      "1.7976931348623158e308", "1.7976931348623159e308", "9007199254740993", "9007199254740992.5", "1e23",
      "8.98846567431158e307", "0.000000000000000000000000000000000000001e39", "1" + "0".repeat(1000),
      "0." + "0".repeat(1000) + "1", "1" + "0".repeat(400) + "e-400", "123456789012345678901234567890e-50",
      "4.4501477170144023e-308", "2.2250738585072014e-308", "1e-324", "3e-324", "7e-324", "2.5e-324", "1e309",
      "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.9999999999999999999999999999999999999999999999999999999999999999999999"]);
  });

  it("follows Python's float() syntax (CPython as oracle)", () => {
    const bad: string[] = [];
    parseCases.forEach((s, i) => {
      const got = parseFloatStr(s), w = py.parse[i];
      const want = w === null ? null : fromHex(w);
      if (!same(got, want)) bad.push(`${JSON.stringify(s)}: ${got} != ${want}`);
    });
    report(bad, parseCases.length);
  });
});

describe("floatFormat", () => {
  it("matches CPython's format() on a batch of values and specs", () => {
    const bad: string[] = [];
    fmtCases.forEach(([h, spec], i) => {
      const m = /^(#?)(?:\.(\d+))?(.?)$/.exec(spec)!;
      const got = floatFormat(fromHex(h), m[3], m[2] === undefined ? -1 : +m[2], m[1] === "#");
      const want = py.fmt[i].replace(/^-/, "");
      if (got !== want) bad.push(`format(${fromHex(h)} [${h}], '${spec}'): ${got} != ${want}`);
    });
    report(bad, fmtCases.length);
  });

  it("rounds half-even on the exact binary value", () => {
    expect(floatFormat(2.675, "f", 2, false)).toBe("2.67");
    expect(floatFormat(0.125, "f", 2, false)).toBe("0.12");
    expect(floatFormat(0.375, "f", 2, false)).toBe("0.38");
    expect(floatFormat(0.5, "f", 0, false)).toBe("0");
    expect(floatFormat(1.5, "f", 0, false)).toBe("2");
    expect(floatFormat(0.1, "e", 20, false)).toBe("1.00000000000000005551e-01");
    expect(floatFormat(-0, "f", 3, false)).toBe("0.000");
    expect(floatFormat(-Infinity, "F", 2, false)).toBe("INF");
    expect(floatFormat(NaN, "%", 2, false)).toBe("nan%");
    expect(floatFormat(5e-324, "f", 330, false)).toBe("0." + "0".repeat(323) + "4940656");
  });
});

describe("floatRound", () => {
  it("matches CPython's round(x, n)", () => {
    const bad: string[] = [];
    roundCases.forEach(([h, n], i) => {
      const x = fromHex(h), got = floatRound(x, n), w = py.round[i];
      const ok = w === "OVF" ? !isFinite(got) && isFinite(x) : same(got, fromHex(w));
      if (!ok) bad.push(`round(${x} [${h}], ${n}): ${got} != ${w === "OVF" ? w : fromHex(w)}`);
    });
    report(bad, roundCases.length);
  });

  it("handles fixed cases", () => {
    expect(floatRound(2.675, 2)).toBe(2.67);
    expect(floatRound(0.5, 0)).toBe(0);
    expect(floatRound(1.5, 0)).toBe(2);
    expect(Object.is(floatRound(-0.4, 0), -0)).toBe(true);
    expect(Object.is(floatRound(-123, -400), -0)).toBe(true);
    expect(floatRound(0.1, 400)).toBe(0.1);
    expect(floatRound(123456, -2)).toBe(123500);
    expect(floatRound(1.7976931348623157e308, -308)).toBe(Infinity);
    expect(floatRound(5e-324, 323)).toBe(0);
    expect(floatRound(5e-324, 324)).toBe(5e-324);
  });
});
