// The fast paths of core/bigint.ts at their boundaries (mulAddSmall's int32 loops by the size of m and c; long
// division's quotient-digit estimates, add-backs and corrections, with divisors of every top-limb size), against
// JS BigInt; then a seeded random mix of Python int operations (*, //, %, divmod, pow with a modulus, str, int, hex,
// shifts) run by espy and by CPython, whose outputs must match.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import * as B from "../core/bigint";
import { runPy } from "./helpers/run";

const MASK = 0xffffff;

let seed = 0x9e3779b9;
function rnd(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
}
function rint(n: number): number {
  return rnd() % n;
}

// A magnitude of n limbs: random, all ones, or a top limb of a chosen size over random or extreme lower limbs.
function mag(n: number, top?: number): bigint {
  if (n === 0) return 0n;
  let x = 0n;
  const kind = rint(4);
  for (let i = 0; i < n - 1; i++) {
    const v = kind === 0 ? MASK : kind === 1 ? 0 : rnd() & MASK;
    x |= BigInt(v) << BigInt(24 * i);
  }
  const t = top !== undefined ? top : 1 + rint(MASK);
  return x | (BigInt(t) << BigInt(24 * (n - 1)));
}

function put(x: bigint, arr: Int32Array, o: number): number {
  let l = 0;
  while (x > 0n) {
    arr[o + l++] = Number(x & BigInt(MASK));
    x >>= 24n;
  }
  return l;
}

function get(arr: Int32Array, o: number, l: number): bigint {
  let x = 0n;
  for (let i = l - 1; i >= 0; i--) {
    const v = arr[o + i];
    if (v < 0 || v > MASK) throw new Error("limb out of range: " + v);
    x = (x << 24n) | BigInt(v);
  }
  if (l > 0 && arr[o + l - 1] === 0) throw new Error("not normalised");
  return x;
}

describe("bigint fast paths", () => {
  it("mulAddSmall around the int32 loops' limits of m and c", () => {
    const ms = [0, 1, 2, 10, 63, 64, 65, 4095, 4096, 65535, 131071, 131072, 131073, MASK, (1 << 28) - 1];
    const cs = [0, 1, 63, 64, 131071, 131072, MASK, (1 << 28) - 1];
    const a = new Int32Array(700);
    const out = new Int32Array(700);
    for (let t = 0; t < 3000; t++) {
      const x = mag(rint(40), rint(3) ? undefined : MASK);
      const m = rint(4) ? ms[rint(ms.length)] : rint(1 << 28);
      const c = rint(2) ? cs[rint(cs.length)] : rint(1 << 17);
      const la = put(x, a, 3);
      out.fill(-7);
      const l = B.mulAddSmall(a, 3, la, m, c, out, 5);
      expect(get(out, 5, l)).toBe(x * BigInt(m) + BigInt(c));
      expect(out[4]).toBe(-7);
      expect(out[5 + la + 2]).toBe(-7);
      // in place
      const l2 = B.mulAddSmall(a, 3, la, m, c, a, 3);
      expect(get(a, 3, l2)).toBe(x * BigInt(m) + BigInt(c));
    }
  });

  it("long division: every top-limb size, small and long quotients, near-equal operands", () => {
    const S = new Int32Array(2000);
    for (let t = 0; t < 6000; t++) {
      const lb = 2 + rint(t % 3 === 0 ? 40 : 6);
      const tops = [1, 2, 3, 0x7f, 0x80, 0xfff, 0x1000, 0x7fff, 0x8000, 0xfffff, 0x7fffff, 0x800000, MASK];
      const b = mag(lb, rint(2) ? tops[rint(tops.length)] : undefined);
      let a: bigint;
      const shape = rint(6);
      if (shape === 0) a = b * BigInt(1 + rint(MASK)) + BigInt(rint(1000)); // one quotient digit, near an exact multiple
      else if (shape === 1) a = b * mag(1 + rint(8)) - BigInt(rint(3)); // just below a multiple
      else if (shape === 2) a = b + BigInt(rint(3)); // quotient 1
      else if (shape === 3) a = (b << BigInt(24 * rint(4))) - 1n;
      else a = mag(lb + rint(12));
      if (a < 0n) a = -a;
      const la = put(a, S, 10);
      const bo = 10 + la + 5;
      put(b, S, bo);
      const qo = bo + lb + 5;
      const ro = qo + Math.max(la - lb + 1, 1) + 5;
      S.fill(-7, qo - 1, ro + lb + 2);
      const ql = B.divmod(S, 10, la, S, bo, lb, S, qo, S, ro);
      const rl = B.R[1];
      expect(get(S, qo, ql)).toBe(a / b);
      expect(get(S, ro, rl)).toBe(a % b);
      expect(S[qo - 1]).toBe(-7);
      expect(S[ro + lb]).toBe(-7);
      // the remainder over the dividend, and the quotient alone
      const rl2 = (B.divmod(S, 10, la, S, bo, lb, null, 0, S, 10), B.R[1]);
      expect(get(S, 10, rl2)).toBe(a % b);
    }
  });
});

// --- against CPython -------------------------------------------------------------------------------------------------

const python = spawnSync("python3", ["--version"]).status === 0;

function randInt(bits: number): string {
  // a Python expression for a random int of about `bits` bits, sometimes negative, sometimes of a special shape
  const k = rint(6);
  // negated at run time by n(): a negative literal is a folded constant, and this is about the arithmetic
  const s = rint(3) === 0 ? "n" : "";
  if (k === 0) return s + "(2 ** " + bits + " - 1)";
  if (k === 1) return s + "(2 ** " + bits + " + " + rint(1000) + ")";
  let digits = String(1 + rint(9));
  const n = Math.max(1, Math.floor(bits * 0.30103));
  while (digits.length < n) digits += String(rnd() % 10);
  return s + "(" + digits + ")";
}

function program(): string {
  const lines: string[] = ["out = []", "def p(*xs):", "    out.append(' '.join(str(x) for x in xs))", "def n(x):", "    return -x"];
  for (let t = 0; t < 400; t++) {
    const bits = [8, 30, 31, 40, 64, 100, 300, 1000, 3000][rint(9)];
    const a = randInt(bits + rint(200));
    const b = randInt(1 + rint(bits));
    const m = String(1 + rint(131100));
    switch (rint(9)) {
      case 0:
        lines.push("a, b = " + a + ", " + b, "p(a * b, a * " + m + ", " + m + " * a)");
        break;
      case 1:
        lines.push("a, b = " + a + ", " + b, "if b: p(a // b, a % b, divmod(a, b))");
        break;
      case 2:
        lines.push("a = " + a, "p(a // " + m + ", a % " + m + ", divmod(a, n(" + m + ")))");
        break;
      case 3:
        lines.push("a, b, c = " + a + ", abs(" + b + "), abs(" + randInt(bits) + ") + 1", "p(pow(a, b, c), pow(a, b % 1000, c))");
        break;
      case 4:
        lines.push("a = " + a, "p(str(a), hex(a), oct(a), bin(a)[:40], int(str(a)) == a, int(hex(a), 16) == a)");
        break;
      case 5:
        lines.push("a, b = " + a + ", " + b, "p(a + b, a - b, b - a, -a, abs(a))");
        break;
      case 6:
        lines.push("a = " + a, "p(a << " + rint(200) + ", a >> " + rint(200) + ", a & " + b + ", a | " + b + ", a ^ " + b + ")");
        break;
      case 7:
        lines.push("a = abs(" + a + ")", "r = 1", "for i in range(2, " + (2 + rint(60)) + "): r = r * i + a", "p(r, r % (a + 1), r // (a + 3))");
        break;
      default:
        lines.push("a, b = " + a + ", " + b, "if b: p((a * a) // b, (a * b) % (b * b + 1), a * a == (a * a // b) * b + (a * a) % b)");
    }
  }
  lines.push("print('\\n'.join(out))");
  return lines.join("\n") + "\n";
}

// int() of text: the plain-digits fast path and everything it must leave to the full parser
const INT_TEXT = `
for t, b in [("0", 10), ("0", 0), ("00", 0), ("007", 10), ("7", 0), ("123456789", 10), ("1234567890", 10),
             ("9" * 40, 10), ("9" * 40, 0), ("12_3", 10), (" 12 ", 10), ("+5", 10), ("-0", 10), ("\u0661\u0662", 10),
             ("077", 8), ("ff", 16), ("z", 36), ("10", 2)]:
    print(repr(t), b, int(t, b))
print(int(b"42"), int(bytearray(b"77")), int("5"), int("1" * 30))
for t, b in [("007", 0), ("", 10), ("1_", 10), ("12", 2), ("1__2", 10), ("0x", 16)]:
    try:
        print(int(t, b))
    except ValueError as e:
        print("ValueError", e)
`;

describe.skipIf(!python)("random int operations against CPython", () => {
  it("int() of text", async () => {
    const want = spawnSync("python3", ["-c", INT_TEXT], { encoding: "utf8" });
    const got = await runPy(INT_TEXT, { filename: "ints.py" });
    expect(got.err).toBe("");
    expect(got.out).toBe(want.stdout);
  });

  for (let k = 0; k < 2; k++) {
    it("program " + k, async () => {
      const src = program();
      const want = spawnSync("python3", ["-c", src], { encoding: "utf8", maxBuffer: 1 << 26 });
      expect(want.stderr).toBe("");
      const got = await runPy(src, { filename: "ints.py" });
      expect(got.err).toBe("");
      expect(got.out).toBe(want.stdout);
    });
  }
});
