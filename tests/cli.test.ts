// The espy command line itself: -c, --version, its errors for a missing file, a closed pipe, and the installed
// launcher (dist/espy.js: dist/cli.js through V8's code cache).
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { resolve, join } from "node:path";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";

const cli = resolve(__dirname, "../dist/cli.js");
function espy(args: string[]): { out: string; err: string; code: number | null } {
  const r = spawnSync("node", [cli].concat(args), { encoding: "utf8" });
  return { out: r.stdout, err: r.stderr, code: r.status };
}

describe("espy", () => {
  it("-c runs a string, non-ASCII included (the argument is UTF-8 like a file), with its own argv", () => {
    const r = espy(["-c", "import sys\ns = 'ü→'\nprint(s, len(s), len(s.encode()), sys.argv)", "a", "b"]);
    expect(r.err).toBe("");
    expect(r.out).toBe("ü→ 2 5 ['-c', 'a', 'b']\n");
    expect(r.code).toBe(0);
  });
  it("-c reports an uncaught exception with status 1", () => {
    const r = espy(["-c", "1/0"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('File "<string>", line 1, in <module>');
    expect(r.err).toContain("ZeroDivisionError: division by zero");
  });
  it("--version prints the package's version", () => {
    const r = espy(["--version"]);
    expect(r.out.trim()).toBe(require("../package.json").version);
  });
  it("run of a missing file names it, as python3 does, with status 2", () => {
    const r = espy(["run", "no/such/file.py"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("can't open file 'no/such/file.py': [Errno 2] No such file or directory");
  });
  it("a closed pipe ends the run quietly (espy run x.py | head)", () => {
    const r = spawnSync("bash", ["-c", `node ${JSON.stringify(cli)} -c 'for i in range(100000): print(i)' | head -2; echo "status \${PIPESTATUS[0]}"`], { encoding: "utf8" });
    expect(r.stdout).toBe("0\n1\nstatus 0\n");
    expect(r.stderr).toBe("");
  });
  it("the installed launcher runs the CLI, writes V8's code cache beside it, and survives a corrupt cache", () => {
    // a copy of dist/ of our own: other tests run dist/espy.js meanwhile
    const dir = mkdtempSync(join(tmpdir(), "espy-launch-"));
    try {
      for (const f of ["espy.js", "cli.js"]) copyFileSync(resolve(__dirname, "../dist", f), join(dir, f));
      const cache = join(dir, ".cli.js.v8cache");
      const run = () => spawnSync("node", [join(dir, "espy.js"), "-c", "import sys\nprint(sum(range(10)), sys.argv)\n1/0"], { encoding: "utf8" });
      const first = run();
      expect(first.stdout).toBe("45 ['-c']\n");
      expect(first.stderr).toContain("ZeroDivisionError: division by zero");
      expect(first.status).toBe(1);
      expect(existsSync(cache)).toBe(true);
      const made = readFileSync(cache);
      expect(made.length).toBeGreaterThan(10000);
      // with the cache: the same run, and the cache is kept as it is
      const second = run();
      expect([second.stdout, second.status]).toEqual([first.stdout, 1]);
      expect(readFileSync(cache).equals(made)).toBe(true);
      // a corrupt cache is refused by V8, the run is unchanged, and a good cache replaces it
      writeFileSync(cache, "not a code cache");
      const third = run();
      expect([third.stdout, third.status]).toEqual([first.stdout, 1]);
      expect(readFileSync(cache).length).toBeGreaterThan(10000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it("the build leaves a code cache trained on scripts/warmup.py, which V8 accepts as it is", () => {
    const dir = mkdtempSync(join(tmpdir(), "espy-trained-"));
    try {
      for (const f of ["espy.js", "cli.js", ".cli.js.v8cache"]) copyFileSync(resolve(__dirname, "../dist", f), join(dir, f));
      const trained = readFileSync(join(dir, ".cli.js.v8cache"));
      const r = spawnSync("node", [join(dir, "espy.js"), "-c", "print(sorted({3: 'a', 1: 'b'}.items()))"], { encoding: "utf8" });
      expect([r.stdout, r.status]).toEqual(["[(1, 'b'), (3, 'a')]\n", 0]);
      // a refused cache would have been written again at exit
      expect(readFileSync(join(dir, ".cli.js.v8cache")).equals(trained)).toBe(true);
      // what a short run alone leaves is a smaller cache: the training compiled more of the runtime
      rmSync(join(dir, ".cli.js.v8cache"));
      spawnSync("node", [join(dir, "espy.js"), "-c", "pass"], { encoding: "utf8" });
      expect(readFileSync(join(dir, ".cli.js.v8cache")).length).toBeLessThan(trained.length * 0.8);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
