// The espy command line itself: -c, --version, and its errors for a missing file.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

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
});
