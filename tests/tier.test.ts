// The host's compiled tier (core/vm/tier.ts) against CPython: every code object the programs run is compiled at its
// first entry (ESPY_TIER_HOT=1), so each instruction the tier handles is exercised, on a large heap and again with the
// collector at every allocation on a small one (the tier keeps values in JS variables between instructions: one it
// forgot to write to the frame before an allocation shows up there as a wrong answer). The benchmarks run too: they
// are the programs the tier was made for.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runPy } from "./helpers/run";
import { stats } from "../core/vm/tier";

const python = spawnSync("python3", ["--version"]).status === 0;

function cpython(dir: string, file: string): string {
  const r = spawnSync("python3", [file], { cwd: dir, encoding: "utf8" });
  return r.stdout + r.stderr;
}

const sets = [
  { dir: join(__dirname, "py"), stress: true },
  { dir: join(__dirname, "..", "bench"), stress: false },
];

describe.skipIf(!python)("compiled tier against CPython", () => {
  let saved: string | undefined;
  beforeAll(() => {
    saved = process.env.ESPY_TIER_HOT;
    process.env.ESPY_TIER_HOT = "1";
    delete process.env.ESPY_NO_TIER;
  });
  afterAll(() => {
    // everything was compiled, and V8 accepted every generated function
    expect(stats.compiled).toBeGreaterThan(500);
    expect(stats.failed).toBe(0);
    if (saved === undefined) delete process.env.ESPY_TIER_HOT;
    else process.env.ESPY_TIER_HOT = saved;
  });
  for (const set of sets) {
    for (const f of readdirSync(set.dir).filter((n) => n.endsWith(".py")).sort()) {
      it(f, async () => {
        const got = await runPy(readFileSync(join(set.dir, f), "utf8"), { filename: f });
        expect(got.err).toBe("");
        expect(got.out).toBe(cpython(set.dir, f));
      }, 60000);
      if (set.stress)
        it(f + " under GC stress", async () => {
          const got = await runPy(readFileSync(join(set.dir, f), "utf8"), { filename: f, gcStress: true, heapBytes: 2 * 1024 * 1024 });
          expect(got.err).toBe("");
          expect(got.out).toBe(cpython(set.dir, f));
        }, 60000);
    }
  }
});
