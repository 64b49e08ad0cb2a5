// Compiled bytecode behaves like its source: every program of the conformance corpus that compiles, tests/py and
// examples/ is compiled to a .mpb file, read back and run the way `espy run FILE.mpb` runs it (flasher/compile.ts's
// runCompiled, in this process), and must give the same stdout and exit status as running the source. Tracebacks may
// differ only by the source lines, when the source is absent; with --strip-lines, its map and the source beside it,
// they must be identical.
import { describe, it, expect, afterAll } from "vitest";
import { readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync, existsSync } from "node:fs";
import { join, resolve, basename } from "node:path";
import { tmpdir } from "node:os";
import { runHost, type HostRunOptions } from "../flasher/host";
import { compileSource, writeCompiled, runCompiled } from "../flasher/compile";
import { byteName } from "../flasher/cache";
import { hostHal } from "../boards/host/hal";
import { isCompileError } from "../core/errors";
import type { Hal } from "../core/index";

const root = resolve(__dirname, "..");
const corpus = resolve(root, "../shared/conformance/corpus/basics");

// Programs the conformance list knows to hang: they would hang here too (the VM cannot be stopped inside a native).
function hanging(): Set<string> {
  const s = new Set<string>();
  for (const line of readFileSync(join(root, "tests/conformance-known-failures.txt"), "utf8").split("\n"))
    if (/\tcurrently: TIMEOUT/.test(line)) s.add(line.split("\t")[0].trim());
  return s;
}

function programs(): { name: string; file: string }[] {
  const out: { name: string; file: string }[] = [];
  const add = (dir: string, label: string, skip: Set<string>) => {
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir).sort())
      if (f.endsWith(".py") && !skip.has(f)) out.push({ name: label + "/" + f, file: join(dir, f) });
  };
  add(join(root, "tests/py"), "tests/py", new Set());
  add(join(root, "examples"), "examples", new Set());
  add(corpus, "basics", hanging());
  return out;
}

interface Run {
  out: string;
  err: string;
  code: number;
}

// Small heap and a slice cap: a program that runs away ends with status 124 instead of hanging the suite.
const OPTS = { heapBytes: 1 << 20, maxSlices: 400, writeCache: false };

async function capture(run: (o: HostRunOptions) => Promise<number>, argv0: string): Promise<Run> {
  let out = "";
  let err = "";
  const hal: Hal = Object.assign({}, hostHal(), {
    write(fd: number, buf: Uint8Array, off: number, len: number) {
      const s = Buffer.from(buf.buffer, buf.byteOffset + off, len).toString("latin1");
      if (fd === 2) err += s;
      else out += s;
    },
  });
  const code = await run(Object.assign({ argv: [argv0], hal }, OPTS));
  return { out, err, code };
}

/**
 * Text with tracebacks as they print when `file` is absent: the "    source line" after each of its File lines is
 * gone (frames of other files, such as exec'd strings, keep theirs). Tracebacks go to stderr, or to stdout when the
 * program prints them itself (unittest does).
 */
function withoutSourceLines(text: string, file: string): string {
  const lines = text.split("\n");
  const head = '  File "' + file + '", line ';
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    out.push(lines[i]);
    if (lines[i].trimStart().startsWith(head.trimStart()) && i + 1 < lines.length && /^ {4,}\S/.test(lines[i + 1])) i++;
  }
  return out.join("\n");
}

const tmp = mkdtempSync(join(tmpdir(), "espy-roundtrip-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const stats = { compiled: 0, notCompiled: 0, nondeterministic: [] as string[], runaway: [] as string[], withTraceback: 0, stripped: 0 };

describe("compiled programs run like their source", () => {
  const list = programs();
  let i = 0;
  for (const p of list) {
    const dir = join(tmp, String(i++)); // one directory per program: its sys.path[0] holds nothing else
    it(p.name, async () => {
      const src = readFileSync(p.file).toString("latin1");
      // the program as if at dir/NAME.py; that file exists only for the last run
      const py = join(dir, basename(p.file));
      const mpb = py.slice(0, -3) + ".mpb";
      let full;
      try {
        full = compileSource(src, byteName(py), 0, false);
      } catch (e) {
        if (!isCompileError(e)) throw e;
        stats.notCompiled++;
        return;
      }
      stats.compiled++;
      const ref = await capture((o) => runHost(src, py, o), py);
      if (ref.code === 124) {
        stats.runaway.push(p.name);
        return;
      }
      if (ref.err.includes("Traceback")) stats.withTraceback++;

      // 1: the .mpb alone (no source anywhere): same output and status, tracebacks without source lines
      writeCompiled(mpb, full.image, null);
      const a = await capture((o) => runCompiled(mpb, o), mpb);
      if (withoutSourceLines(a.out, py) !== withoutSourceLines(ref.out, py) || a.code !== ref.code) {
        // a program that prints times, ids or hashes differs from itself: tell that apart from a real difference
        const again = await capture((o) => runHost(src, py, o), py);
        if (again.out !== ref.out || again.code !== ref.code) {
          stats.nondeterministic.push(p.name);
          return;
        }
      }
      expect(withoutSourceLines(a.out, py)).toBe(withoutSourceLines(ref.out, py));
      expect(a.code).toBe(ref.code);
      expect(a.err).toBe(withoutSourceLines(ref.err, py));

      // 2: stripped, with its map and the source beside it: tracebacks identical to the source run's. Line tables
      // matter only where a traceback is printed, so this runs for those programs, our own, and every 8th other one.
      const k = list.indexOf(p);
      if (!/ File "/.test(ref.err + ref.out) && !p.name.startsWith("tests/") && !p.name.startsWith("examples/") && k % 8 !== 0) return;
      stats.stripped++;
      const stripped = compileSource(src, byteName(py), 0, true);
      writeCompiled(mpb, stripped.image, stripped.map);
      writeFileSync(py, Buffer.from(src, "latin1"));
      // a program that reads its own file (sys_path.py) now finds it: compare with a source run that does too
      const ref2 = src.includes("open(") ? await capture((o) => runHost(src, py, o), py) : ref;
      const b = await capture((o) => runCompiled(mpb, o), mpb);
      expect(b.out).toBe(ref2.out);
      expect(b.code).toBe(ref2.code);
      expect(b.err).toBe(ref2.err);
      rmSync(dir, { recursive: true, force: true });
    }, 180_000); // up to four runs of the slowest programs (types_num_fuzz.py), on a loaded machine
  }
  it("covered enough programs", () => {
    console.log(
      `round trip: ${stats.compiled} programs compiled and compared (${stats.withTraceback} ending in a traceback, ` +
        `${stats.stripped} also stripped with a map), ${stats.notCompiled} do not compile; ` +
        `nondeterministic: ${stats.nondeterministic.join(" ") || "none"}; stopped by the slice cap: ${stats.runaway.join(" ") || "none"}`,
    );
    expect(stats.compiled).toBeGreaterThanOrEqual(existsSync(corpus) ? 500 : 10);
    expect(stats.nondeterministic.length + stats.runaway.length).toBeLessThan(10);
  });
});
