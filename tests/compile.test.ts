// `espy compile` and running what it writes: one file (NAME.mpb beside it, -o), a tree (__pycache__ or a mirrored
// -o tree), --strip-lines with its map, errors with their exit statuses, `espy run FILE.mpb` with and without its
// source and map, symbolicating a device's (CRC, code, offset) frames, and the CLI wiring (spawned dist/cli.js).
import { describe, it, expect, beforeEach, afterAll } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync, rmSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { tmpdir } from "node:os";
import { compileMain, openCompiled, runCompiled, symbolicate, EXIT_OK, EXIT_FAILED, EXIT_USAGE } from "../flasher/compile";
import type { Compiled, CompileOptions, DeviceFrame } from "../flasher/compile";
import { cachePath, stampPath, readStamp, CACHE_DIR } from "../flasher/cache";
import { runHost } from "../flasher/host";
import { hostHal } from "../boards/host/hal";
import { loadImage, isLoadError, loadLineMap, mapMatches, imageName, F_STRIPPED, F_LINES } from "../core/image";
import { CODE_FIELDS, C_CODE } from "../core/code";
import { E_TB, TB_NEXT, TB_CODE, TB_IP, CODE_IMG, CODE_IDX } from "../core/vm/layout";
import type { Hal, Vm } from "../core/index";

const root = resolve(__dirname, "..");
const cli = join(root, "dist/cli.js");
const top = mkdtempSync(join(tmpdir(), "espy-compile-"));
afterAll(() => rmSync(top, { recursive: true, force: true }));
let dir = "";
let n = 0;
beforeEach(() => {
  dir = join(top, String(n++));
  mkdirSync(dir);
});

const PROG = "import sys\n\ndef f(x):\n    return 10 // x\n\nprint('args', sys.argv[1:])\nprint(f(2))\nf(0)\n";
const TB_WITH_SOURCE = (file: string) =>
  "Traceback (most recent call last):\n" +
  `  File "${file}", line 8, in <module>\n    f(0)\n` +
  `  File "${file}", line 4, in f\n    return 10 // x\n` +
  "ZeroDivisionError: integer division or modulo by zero\n";

function put(rel: string, text: string): string {
  const f = join(dir, rel);
  mkdirSync(join(f, ".."), { recursive: true });
  writeFileSync(f, text);
  return f;
}

function compileIn(target: string, opts: CompileOptions = {}): { code: number; out: string; err: string } {
  let out = "";
  let err = "";
  const code = compileMain(target, opts, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

async function runMpb(file: string, argv: string[] = [], setup?: (vm: Vm) => void) {
  let out = "";
  let err = "";
  const hal: Hal = Object.assign({}, hostHal(), {
    write(fd: number, buf: Uint8Array, off: number, len: number) {
      const s = Buffer.from(buf.buffer, buf.byteOffset + off, len).toString("utf8");
      if (fd === 2) err += s;
      else out += s;
    },
  });
  const code = await runCompiled(file, { argv: [file].concat(argv), hal, heapBytes: 4 << 20, writeCache: false, setup });
  return { out, err, code };
}

function image(file: string) {
  const img = loadImage(new Uint8Array(readFileSync(file)));
  if (isLoadError(img)) throw new Error(img.error);
  return img;
}

describe("espy compile: one file", () => {
  it("writes NAME.mpb beside the source, quietly; it runs like the source", async () => {
    const py = put("prog.py", PROG);
    expect(compileIn(py)).toEqual({ code: EXIT_OK, out: "", err: "" });
    const mpb = join(dir, "prog.mpb");
    const img = image(mpb);
    expect(imageName(img, img.filename)).toBe(py); // the path as given, as mpy-cross records it
    expect(img.flags & F_LINES).toBe(F_LINES);
    const r = await runMpb(mpb, ["a", "b"]);
    expect(r.out).toBe("args ['a', 'b']\n5\n");
    expect(r.code).toBe(1);
    expect(r.err).toBe(TB_WITH_SOURCE(py)); // the source is beside it and compiles to these bytes
  });

  it("without its source, tracebacks keep file and line but show no source lines", async () => {
    const py = put("prog.py", PROG);
    compileIn(py);
    rmSync(py);
    const r = await runMpb(join(dir, "prog.mpb"));
    expect(r.err).toBe(
      "Traceback (most recent call last):\n" +
        `  File "${py}", line 8, in <module>\n  File "${py}", line 4, in f\n` +
        "ZeroDivisionError: integer division or modulo by zero\n",
    );
  });

  it("an edited source is not shown against the old bytecode", async () => {
    const py = put("prog.py", PROG);
    compileIn(py);
    writeFileSync(py, "# edited\n" + PROG);
    const r = await runMpb(join(dir, "prog.mpb"));
    expect(r.err).toContain(`  File "${py}", line 4, in f\nZeroDivisionError`);
  });

  it("-o names the output file, or a directory to put NAME.mpb in; progress when asked", () => {
    const py = put("prog.py", PROG);
    expect(compileIn(py, { out: join(dir, "out", "x.mpb"), progress: true })).toEqual({
      code: 0,
      out: `Compiling '${py}' -> '${join(dir, "out", "x.mpb")}'\n`,
      err: "",
    });
    expect(existsSync(join(dir, "out", "x.mpb"))).toBe(true);
    mkdirSync(join(dir, "bin"));
    expect(compileIn(py, { out: join(dir, "bin") }).code).toBe(0);
    expect(existsSync(join(dir, "bin", "prog.mpb"))).toBe(true);
    expect(existsSync(join(dir, "prog.mpb"))).toBe(false);
  });

  it("-O drops asserts", async () => {
    const py = put("a.py", "assert False, 'boom'\nprint('after', __debug__)\n");
    compileIn(py, { optimize: 1 });
    expect((await runMpb(join(dir, "a.mpb"))).out).toBe("after False\n");
    compileIn(py);
    expect((await runMpb(join(dir, "a.mpb"))).err).toContain("AssertionError: boom");
  });

  it("--cache writes the __pycache__ entry an import would use, with --hash stamps if asked", () => {
    const py = put("m.py", "X = 1\n");
    expect(compileIn(py, { cache: true, hash: true }).code).toBe(0);
    const st = readStamp(stampPath(cachePath(py, 0)));
    expect(st?.mode).toBe("hash");
    expect(existsSync(join(dir, "m.mpb"))).toBe(false);
  });
});

describe("espy compile --strip-lines", () => {
  it("moves line tables to NAME.mpb.map; the host still prints full tracebacks", async () => {
    const py = put("prog.py", PROG);
    const full = (compileIn(py), readFileSync(join(dir, "prog.mpb")));
    expect(compileIn(py, { stripLines: true })).toEqual({ code: 0, out: "", err: "" });
    const mpb = join(dir, "prog.mpb");
    const img = image(mpb);
    expect(img.flags & F_STRIPPED).toBe(F_STRIPPED);
    expect(img.bytes.length).toBeLessThan(full.length);
    const map = loadLineMap(new Uint8Array(readFileSync(mpb + ".map")));
    if (isLoadError(map)) throw new Error(map.error);
    expect(mapMatches(img, map)).toBe(true);
    expect((await runMpb(mpb)).err).toBe(TB_WITH_SOURCE(py));
  });

  it("without the map: line unknown; a corrupt or foreign map is ignored with a warning", async () => {
    const py = put("prog.py", PROG);
    compileIn(py, { stripLines: true });
    const mpb = join(dir, "prog.mpb");
    const map = readFileSync(mpb + ".map");
    rmSync(mpb + ".map");
    const r = await runMpb(mpb);
    expect(r.err).toBe(
      `Traceback (most recent call last):\n  File "${py}", line ?, in <module>\n  File "${py}", line ?, in f\n` +
        "ZeroDivisionError: integer division or modulo by zero\n",
    );
    const bad = Buffer.from(map);
    bad[bad.length - 6] ^= 1;
    writeFileSync(mpb + ".map", bad);
    expect((await runMpb(mpb)).err).toMatch(/^espy: warning: ignoring .*prog\.mpb\.map: CRC mismatch: the line map is corrupt\n/);
    // the map of another build of the same program
    writeFileSync(py, PROG + "print('more')\n");
    compileIn(py, { stripLines: true, out: join(dir, "other.mpb") });
    writeFileSync(mpb + ".map", readFileSync(join(dir, "other.mpb.map")));
    const r2 = await runMpb(mpb);
    expect(r2.err).toMatch(/^espy: warning: ignoring .*prog\.mpb\.map: it belongs to another build of /);
    expect(r2.err).toContain("line ?, in f");
  });

  it("compiling again without --strip-lines removes the stale map", () => {
    const py = put("prog.py", PROG);
    compileIn(py, { stripLines: true });
    expect(existsSync(join(dir, "prog.mpb.map"))).toBe(true);
    compileIn(py);
    expect(existsSync(join(dir, "prog.mpb.map"))).toBe(false);
  });

  it("symbolicate() turns a device's (CRC, code object, offset) frames into the host's traceback lines", async () => {
    const py = put("prog.py", PROG);
    compileIn(py, { stripLines: true });
    const mpb = join(dir, "prog.mpb");
    // run the stripped image as a board would, without its map, and read the frames the VM recorded
    let vm: Vm | null = null;
    const plain = join(dir, "board.mpb");
    writeFileSync(plain, readFileSync(mpb));
    await runMpb(plain, [], (v) => (vm = v));
    const v = vm as unknown as Vm;
    const H = v.H;
    const frames: DeviceFrame[] = [];
    for (let tb = H[(v.lastExc >> 2) + E_TB]; tb; tb = H[(tb >> 2) + TB_NEXT]) {
      const co = H[(tb >> 2) + TB_CODE] >> 2;
      const li = v.images[H[co + CODE_IMG] >> 1];
      const ci = H[co + CODE_IDX] >> 1;
      frames.push({ crc: li.img.crc, code: ci, offset: (H[(tb >> 2) + TB_IP] >> 1) - li.img.codes[ci * CODE_FIELDS + C_CODE] });
    }
    const known = openCompiled(mpb) as Compiled;
    expect(known.map).not.toBeNull();
    const lines = TB_WITH_SOURCE(py).split("\n").slice(1, 5).join("\n") + "\n";
    expect(symbolicate([known], frames)).toBe(lines);
    // an image the host does not have keeps its raw numbers
    expect(symbolicate([], [{ crc: 0xdeadbeef, code: 1, offset: 7 }])).toBe("  File <image deadbeef>, code object 1, offset 7\n");
  });
});

describe("espy compile: a tree", () => {
  function tree() {
    put("app/main.py", "import lib.util\nprint(lib.util.twice(21))\n");
    put("app/lib/__init__.py", "");
    put("app/lib/util.py", "def twice(x):\n    return 2 * x\n");
    put("app/.hidden/skip.py", "this is not python\n");
    put("app/notes.txt", "not a source");
    return join(dir, "app");
  }

  it("compiles every .py into __pycache__ (as compileall), skipping fresh entries unless forced", async () => {
    const app = tree();
    const first = compileIn(app, { progress: true });
    expect(first.code).toBe(0);
    expect(first.out.split("\n").filter(Boolean)).toEqual([
      `Compiling '${join(app, "lib/__init__.py")}' -> '${cachePath(join(app, "lib/__init__.py"), 0)}'`,
      `Compiling '${join(app, "lib/util.py")}' -> '${cachePath(join(app, "lib/util.py"), 0)}'`,
      `Compiling '${join(app, "main.py")}' -> '${cachePath(join(app, "main.py"), 0)}'`,
    ]);
    expect(existsSync(join(app, ".hidden", CACHE_DIR))).toBe(false);
    const again = compileIn(app, { progress: true });
    expect(again.out).toMatch(/^Up to date '.*__init__\.py'\nUp to date '.*util\.py'\nUp to date '.*main\.py'\n$/);
    expect(compileIn(app, { progress: true, force: true }).out).not.toContain("Up to date");
    // the host's import uses these entries: same path recorded, so nothing is rewritten
    const util = cachePath(join(app, "lib/util.py"), 0);
    const before = readFileSync(stampPath(util), "utf8");
    let out = "";
    const hal: Hal = Object.assign({}, hostHal(), { write: (_fd: number, b: Uint8Array, o: number, l: number) => void (out += Buffer.from(b.subarray(o, o + l)).toString()) });
    const main = join(app, "main.py");
    await runHost(readFileSync(main, "latin1"), main, { argv: [main], hal, writeCache: true });
    expect(out).toBe("42\n");
    expect(readFileSync(stampPath(util), "utf8")).toBe(before);
  });

  it("with -o, mirrors the tree as NAME.mpb files (and maps with --strip-lines), which run with no source", async () => {
    const app = tree();
    put("app/lib/__init__.py", "print('lib init')\n");
    const out = join(dir, "build");
    expect(compileIn(app, { out, stripLines: true })).toEqual({ code: 0, out: "", err: "" });
    const files = readdirSync(out, { recursive: true }).map(String).sort();
    expect(files).toEqual(["lib", "lib/__init__.mpb", "lib/__init__.mpb.map", "lib/util.mpb", "lib/util.mpb.map", "main.mpb", "main.mpb.map"]);
    expect(existsSync(join(app, "__pycache__"))).toBe(false);
    // the host imports the package and module from their .mpb files
    rmSync(app, { recursive: true });
    expect(await runMpb(join(out, "main.mpb"))).toEqual({ out: "lib init\n42\n", err: "", code: 0 });
  });

  it("a file that fails is reported and the rest still compile (exit status 1)", () => {
    const app = tree();
    put("app/broken.py", "def f(:\n    pass\n");
    const r = compileIn(app);
    expect(r.code).toBe(EXIT_FAILED);
    expect(r.err).toBe(`  File "${join(app, "broken.py")}", line 1\n    def f(:\n          ^\nSyntaxError: invalid syntax\n`);
    expect(existsSync(cachePath(join(app, "main.py"), 0))).toBe(true);
    expect(existsSync(cachePath(join(app, "broken.py"), 0))).toBe(false);
  });
});

describe("espy compile: errors", () => {
  it("a syntax error is printed as CPython prints it, exit status 1, nothing written", () => {
    const py = put("bad.py", "x = 1\nprint(x +)\n");
    const r = compileIn(py);
    expect(r).toEqual({ code: EXIT_FAILED, out: "", err: `  File "${py}", line 2\n    print(x +)\n             ^\nSyntaxError: invalid syntax\n` });
    expect(existsSync(join(dir, "bad.mpb"))).toBe(false);
  });

  it("a missing source, an unwritable output", () => {
    expect(compileIn(join(dir, "nope.py"))).toEqual({
      code: EXIT_FAILED,
      out: "",
      err: `espy: can't open '${join(dir, "nope.py")}': [Errno 2] No such file or directory\n`,
    });
    const py = put("ok.py", "print(1)\n");
    put("file", "a file, not a directory");
    const r = compileIn(py, { out: join(dir, "file", "ok.mpb") });
    expect(r.code).toBe(EXIT_FAILED);
    expect(r.err).toMatch(new RegExp(`^espy: can't write '${join(dir, "file", "ok.mpb")}': \\[Errno \\d+\\] (Not a directory|File exists)\\n$`));
  });

  it("contradictory options are usage errors (exit status 2)", () => {
    const py = put("ok.py", "print(1)\n");
    expect(compileIn(py, { hash: true }).code).toBe(EXIT_USAGE);
    expect(compileIn(py, { cache: true, stripLines: true }).code).toBe(EXIT_USAGE);
    expect(compileIn(dir, { stripLines: true }).code).toBe(EXIT_USAGE);
    expect(compileIn(dir, { cache: true }).code).toBe(EXIT_USAGE);
    expect(compileIn(py, { cache: true, out: join(dir, "x.mpb") }).code).toBe(EXIT_USAGE);
  });

  it("espy run refuses a file that is not an image, with the loader's reason", async () => {
    const f = put("junk.mpb", "print('I am not bytecode')\n");
    expect(await runMpb(f)).toEqual({ out: "", err: `espy: ${f}: not an espy bytecode file (bad magic)\n`, code: 1 });
    const t = put("empty.mpb", "");
    expect((await runMpb(t)).err).toBe(`espy: ${t}: truncated at byte 0\n`);
  });
});

describe.skipIf(!existsSync(cli))("the espy command line", () => {
  const espy = (args: string[], cwd: string) => spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8", env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" } });

  it("compile, run the .mpb, disasm it", () => {
    put("prog.py", PROG);
    const c = espy(["compile", "prog.py"], dir);
    expect([c.status, c.stdout, c.stderr]).toEqual([0, "", ""]);
    const r = espy(["run", "prog.mpb", "x"], dir);
    expect(r.stdout).toBe("args ['x']\n5\n");
    expect(r.stderr).toBe(TB_WITH_SOURCE("prog.py"));
    expect(r.status).toBe(1);
    const d = espy(["disasm", "prog.mpb"], dir);
    expect(d.status).toBe(0);
    expect(d.stdout).toContain('image "prog.py": version 1, flags LINES');
    expect(d.stdout).toContain("code 1: f");
    expect(d.stdout).toMatch(/BINARY_OP\s+\d+ \(\/\/\)/);
  });

  it("-v prints a line per file; errors set the exit status", () => {
    put("a.py", "print(1)\n");
    put("b.py", "print(\n");
    const c = espy(["compile", ".", "-o", "out", "-v", "--strip-lines"], dir);
    expect(c.status).toBe(1);
    expect(c.stdout).toBe("Compiling 'a.py' -> 'out/a.mpb' (+ .map)\n");
    expect(c.stderr).toBe(`  File "b.py", line 1\n    print(\n         ^\nSyntaxError: '(' was never closed\n`);
    expect(espy(["run", "out/a.mpb"], dir).stdout).toBe("1\n");
    const m = espy(["compile", "missing.py"], dir);
    expect([m.status, m.stderr]).toEqual([1, "espy: can't open 'missing.py': [Errno 2] No such file or directory\n"]);
    expect(espy(["compile", "a.py", "--hash"], dir).status).toBe(2);
  });
});
