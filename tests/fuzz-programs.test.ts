// Bad input never escapes as a JS error: thousands of mutated and random programs each end in output, a Python
// exception (with a traceback) or a SyntaxError — never a JS stack trace, an internal error or a hang.
import { describe, it, expect } from "vitest";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { runPy } from "./helpers/run";

// a small deterministic PRNG so failures reproduce
let seed = 12345;
function rnd(n: number): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
}

function corpus(): string[] {
  const out: string[] = [];
  const own = join(__dirname, "py");
  for (const f of readdirSync(own)) if (f.endsWith(".py")) out.push(readFileSync(join(own, f), "utf8"));
  const basics = resolve(__dirname, "../../shared/conformance/corpus/basics");
  if (existsSync(basics)) {
    const files = readdirSync(basics).filter((f) => f.endsWith(".py")).sort();
    for (let i = 0; i < files.length; i += 3) out.push(readFileSync(join(basics, files[i]), "latin1"));
  }
  return out;
}

const TOKENS = ["(", ")", "[", "]", "{", "}", ":", ",", ".", "=", "+", "-", "*", "**", "/", "//", "%", "<", ">", "==",
  "not", "and", "or", "in", "is", "if", "else", "for", "while", "def", "class", "return", "yield", "lambda", "try",
  "except", "finally", "raise", "with", "as", "del", "pass", "break", "continue", "global", "nonlocal", "import",
  "from", "None", "True", "False", "0", "1", "-1", "2**100", "1.5", "'s'", "b'b'", "f'{x}'", "x", "y", "self",
  "print", "len", "range", "list", "dict", "\n", "\n    ", "    ", "\\", "#", "'''", "@", "->", ":=", "*args", "**kw"];

function mutate(src: string): string {
  const lines = src.split("\n");
  const n = 1 + rnd(3);
  for (let k = 0; k < n; k++) {
    const i = rnd(lines.length);
    switch (rnd(6)) {
      case 0: lines.splice(i, 1); break; // delete a line
      case 1: lines.splice(i, 0, lines[rnd(lines.length)]); break; // duplicate one elsewhere
      case 2: { // swap two lines
        const j = rnd(lines.length);
        const t = lines[i];
        lines[i] = lines[j];
        lines[j] = t;
        break;
      }
      case 3: { // insert a token into a line
        const l = lines[i] || "";
        const at = rnd(l.length + 1);
        lines[i] = l.slice(0, at) + TOKENS[rnd(TOKENS.length)] + l.slice(at);
        break;
      }
      case 4: { // drop a character
        const l = lines[i] || "";
        const at = rnd(l.length + 1);
        lines[i] = l.slice(0, at) + l.slice(at + 1);
        break;
      }
      default: { // change indentation
        lines[i] = (rnd(2) ? "    " : "") + (lines[i] || "").replace(/^ {1,4}/, "");
      }
    }
  }
  return lines.join("\n");
}

function randomProgram(): string {
  let s = "";
  const n = 5 + rnd(40);
  for (let i = 0; i < n; i++) s += TOKENS[rnd(TOKENS.length)] + (rnd(3) ? " " : "");
  return s;
}

/** A run is acceptable when it ends like Python would: normally, with a traceback, or with a SyntaxError. */
function judge(r: { out: string; err: string; code: number }): string | null {
  if (/internal error|SystemError|at .*\.(js|ts):\d+|TypeError: Cannot|is not a function|undefined/.test(r.err)) return r.err;
  if (r.code === 0 || r.code === 124) return null;
  if (/^Traceback \(most recent call last\):\n/m.test(r.err)) return null;
  if (/(SyntaxError|IndentationError): /.test(r.err)) return null;
  if (r.code >= 0 && r.code <= 255 && r.err === "") return null; // sys.exit(n)
  return "unexpected end: status " + r.code + "\n" + r.err;
}

describe("fuzz: programs", () => {
  it("mutated and random programs end cleanly", async () => {
    const base = corpus();
    let runs = 0;
    const bad: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const src = i % 4 === 3 ? randomProgram() : mutate(base[rnd(base.length)]);
      let verdict: string | null;
      try {
        verdict = judge(await runPy(src, { heapBytes: 512 * 1024, maxSlices: 20, maxEvents: 400_000 }));
      } catch (e) {
        verdict = "JS exception: " + String((e as Error).stack || e);
      }
      runs++;
      if (verdict) bad.push(verdict + "\n--- program ---\n" + src.slice(0, 600));
      if (bad.length > 3) break;
    }
    expect(bad, bad.join("\n=======\n")).toEqual([]);
    expect(runs).toBe(3000);
  }, 300_000);
});
