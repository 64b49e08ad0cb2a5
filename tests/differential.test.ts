// The project's own Python programs (tests/py) run under CPython (python3 on this machine) and under espy, and
// their output must match. Each also runs with the collector at every allocation on a small heap, so a value that
// native code forgot to root shows up here as a wrong answer.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runPy } from "./helpers/run";

const dir = join(__dirname, "py");
const programs = readdirSync(dir).filter((f) => f.endsWith(".py")).sort();
const python = spawnSync("python3", ["--version"]).status === 0;

function cpython(file: string): string {
  const r = spawnSync("python3", [file], { cwd: dir, encoding: "utf8" });
  return r.stdout + r.stderr;
}

describe.skipIf(!python)("differential against CPython", () => {
  for (const f of programs) {
    it(f, async () => {
      const src = readFileSync(join(dir, f), "utf8");
      const want = cpython(f);
      const got = await runPy(src, { filename: f });
      expect(got.err).toBe("");
      expect(got.out).toBe(want);
    });
    it(f + " under GC stress", async () => {
      const src = readFileSync(join(dir, f), "utf8");
      const got = await runPy(src, { filename: f, gcStress: true, heapBytes: 2 * 1024 * 1024 });
      expect(got.err).toBe("");
      expect(got.out).toBe(cpython(f));
    });
  }
});
