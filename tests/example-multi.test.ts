// The multi-module example (examples/multi: a main script, a module, a package with a submodule and a relative
// import) three ways: from source on the host (against CPython when python3 is here), from bytecode alone (`espy
// compile DIR -o OUT`, then `espy run OUT/main.mpb` with no source anywhere), and on a simulated board from Storage
// after `flashMain` (the flasher's `espy flash DIR`). All three must print the same.
import { describe, it, expect, afterAll } from "vitest";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { simBoard, simLink, captureUi, tmpDir, FAST } from "./flash-helpers";
import { flashMain } from "../flasher/flash";

const root = path.resolve(__dirname, "..");
const cli = path.join(root, "dist/cli.js");
const example = path.join(root, "examples/multi");
const dir = tmpDir("multi");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const hasPython = spawnSync("python3", ["-c", "pass"]).status === 0;

function espy(args: string[], cwd = root): { out: string; err: string; code: number } {
  const r = spawnSync("node", [cli].concat(args), { cwd, encoding: "utf8", env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" } });
  return { out: r.stdout, err: r.stderr, code: r.status === null ? -1 : r.status };
}

let fromSource = "";

describe("examples/multi", () => {
  it("runs from source on the host", () => {
    const r = espy(["run", path.join(example, "main.py")]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("modules: ['sensors', 'sensors.filters', 'units']");
    fromSource = r.out;
  });

  it.skipIf(!hasPython)("prints what CPython prints", () => {
    const r = spawnSync("python3", ["-B", "main.py"], { cwd: example, encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(fromSource).toBe(r.stdout);
  });

  it("runs from bytecode alone", () => {
    const out = path.join(dir, "mpb");
    const c = espy(["compile", example, "-o", out]);
    expect(c.code).toBe(0);
    const names: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(d, e.name));
        else names.push(path.relative(out, path.join(d, e.name)));
      }
    };
    walk(out);
    expect(names.sort()).toEqual(["main.mpb", "sensors/__init__.mpb", "sensors/filters.mpb", "units.mpb"]);
    // no source beside the bytecode: run it from a directory of its own
    const r = espy(["run", path.join(out, "main.mpb")], out);
    expect(r.err).toBe("");
    expect(r.out).toBe(fromSource);
  });

  it("runs on a simulated board from Storage after a flash", async () => {
    const b = await simBoard({ board: "bangle2" });
    try {
      const ui = captureUi();
      const r = await flashMain([example], { transport: simLink(b), watch: 0, protocol: FAST }, ui);
      expect(r.generation).toBe(1);
      const files = b.storage.list().filter((f) => /^g1\//.test(f)).sort();
      expect(files).toEqual(["g1/.m", "g1/main.mpb", "g1/sensors/__init__.mpb", "g1/sensors/filters.mpb", "g1/units.mpb"]);
      const last = fromSource.trim().split("\n").pop()!;
      await b.waitFor(last, 10000, 0);
      // the board prints with \r\n; every line of the host run appears, in order
      const seen = b.output.replace(/\r\n/g, "\n");
      let at = 0;
      for (const line of fromSource.trim().split("\n")) {
        const i = seen.indexOf(line, at);
        expect(i, "missing on the board: " + line).toBeGreaterThanOrEqual(0);
        at = i + line.length;
      }
    } finally {
      b.close();
    }
  });
});
