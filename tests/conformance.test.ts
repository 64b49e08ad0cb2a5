// The MicroPython basics corpus (../shared/conformance) through `espy run`: every test not listed in
// tests/conformance-known-failures.txt must pass, and at least 80% must pass overall.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, mkdtempSync } from "node:fs";
import { join, resolve } from "node:path";
import { tmpdir } from "node:os";

const root = resolve(__dirname, "..");
const runner = resolve(root, "../shared/conformance/run.sh");
const have = existsSync(runner);

function knownFailures(): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of readFileSync(join(root, "tests/conformance-known-failures.txt"), "utf8").split("\n")) {
    if (!line.trim() || line.startsWith("#")) continue;
    const [name, ...why] = line.split("\t");
    m.set(name.trim(), why.join(" ").trim());
  }
  return m;
}

describe.skipIf(!have)("conformance corpus", () => {
  it("passes every test not known to fail, and at least 80% overall", () => {
    const out = mkdtempSync(join(tmpdir(), "espy-conf-"));
    const r = spawnSync("bash", [runner, "-l", "espy", "--exit-zero", "node", join(root, "dist/cli.js"), "run"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, CONFORMANCE_RESULTS: out },
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(r.status).toBe(0);
    const summary = /(\d+) passed, (\d+) failed, (\d+) skipped/.exec(r.stdout);
    expect(summary, r.stdout.slice(-2000)).not.toBeNull();
    const passed = +summary![1];
    const failed = +summary![2];
    const known = knownFailures();
    const rows = readFileSync(join(out, "espy.tsv"), "utf8").trim().split("\n");
    const unexpected: string[] = [];
    const fixed: string[] = [];
    for (const row of rows) {
      const [test, result] = row.split("\t");
      const name = test.replace(/^basics\//, "");
      if (result === "fail" && !known.has(name)) unexpected.push(name);
      if (result === "pass" && known.has(name)) fixed.push(name);
    }
    if (fixed.length) console.log("now passing (remove from the known-failures list): " + fixed.join(", "));
    console.log(`conformance: ${passed} passed, ${failed} failed (${((100 * passed) / (passed + failed)).toFixed(1)}%)`);
    expect(unexpected, "regressions").toEqual([]);
    expect(passed / (passed + failed)).toBeGreaterThanOrEqual(0.8);
  }, 600_000);
});
