// The host's bytecode cache (flasher/cache.ts) as imports use it: an imported module's image is written to
// __pycache__ and reused while its source is unchanged (the entry's file is not even rewritten), rebuilt when the
// source changes, and never trusted when it is corrupt, foreign or of another format version. Runs in this process.
import { describe, it, expect, beforeEach, afterAll } from "vitest";
import { mkdtempSync, writeFileSync, readFileSync, rmSync, existsSync, statSync, readdirSync, utimesSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { runHost } from "../flasher/host";
import { cachePath, stampPath, readStamp, cachedCompile, cacheTag, atomicWrite, CACHE_DIR } from "../flasher/cache";
import { hostHal } from "../boards/host/hal";
import { serialize, loadImage, isLoadError, imageName, IMAGE_VERSION } from "../core/image";
import { compile } from "../core/compiler";
import { crc32 } from "../core/crc32";
import type { Hal } from "../core/index";

const top = mkdtempSync(join(tmpdir(), "espy-cache-"));
afterAll(() => rmSync(top, { recursive: true, force: true }));
let dir = "";
let n = 0;

beforeEach(() => {
  dir = join(top, String(n++));
  mkdirSync(dir);
});

async function run(main: string, opts: { writeCache?: boolean; optimize?: number } = {}): Promise<{ out: string; err: string; code: number }> {
  let out = "";
  let err = "";
  const hal: Hal = Object.assign({}, hostHal(), {
    write(fd: number, buf: Uint8Array, off: number, len: number) {
      const s = Buffer.from(buf.buffer, buf.byteOffset + off, len).toString("utf8");
      if (fd === 2) err += s;
      else out += s;
    },
  });
  const file = join(dir, "main.py");
  writeFileSync(file, main);
  const code = await runHost(main, file, { argv: [file], hal, heapBytes: 4 << 20, writeCache: opts.writeCache ?? true, optimize: opts.optimize });
  return { out, err, code };
}

/** Identity of a file version: replacing it (atomic rename) changes the inode; rewriting in place changes mtime. */
function ident(file: string): string {
  const s = statSync(file, { bigint: true });
  return s.ino + ":" + s.mtimeNs;
}

const MAIN = "import mod\nprint(mod.X, mod.f(2))\n";

function writeMod(src: string): string {
  const f = join(dir, "mod.py");
  writeFileSync(f, src);
  return f;
}

describe("bytecode cache", () => {
  it("an imported module is cached beside its source; the main script is not", async () => {
    const mod = writeMod("X = 1\ndef f(a):\n    return a * 10\n");
    expect(await run(MAIN)).toEqual({ out: "1 20\n", err: "", code: 0 });
    const mpb = cachePath(mod, 0);
    expect(mpb).toBe(join(dir, CACHE_DIR, "mod.espy-" + IMAGE_VERSION + ".mpb"));
    const img = loadImage(new Uint8Array(readFileSync(mpb)));
    if (isLoadError(img)) throw new Error(img.error);
    expect(imageName(img, img.filename)).toBe(mod); // tracebacks name the source, as if compiled from it
    const stamp = readStamp(stampPath(mpb));
    expect(stamp).toMatchObject({ mode: "mtime", size: statSync(mod).size, imageCrc: img.crc, imageLen: img.bytes.length });
    // only the entry and its stamp: no main.* (CPython does not cache the script), no temporary files left
    expect(readdirSync(join(dir, CACHE_DIR)).sort()).toEqual(["mod." + cacheTag(0) + ".mpb", "mod." + cacheTag(0) + ".mpb.stamp"]);
  });

  it("is reused while the source is untouched: the entry is not rewritten", async () => {
    const mod = writeMod("X = 1\ndef f(a):\n    return a * 10\n");
    await run(MAIN);
    const mpb = cachePath(mod, 0);
    const before = [ident(mpb), ident(stampPath(mpb))];
    expect(await run(MAIN)).toEqual({ out: "1 20\n", err: "", code: 0 });
    expect(await run(MAIN)).toEqual({ out: "1 20\n", err: "", code: 0 });
    expect([ident(mpb), ident(stampPath(mpb))]).toEqual(before);
    expect(cachedCompile(mod, { optimize: 0, write: true }).fresh).toBe(true);
  });

  it("the cached bytes are what runs: a valid entry is used without compiling the source", async () => {
    // an entry whose stamp matches the source is trusted to be its image (as a .pyc is): prove the import reads it
    // by planting another verified image under a stamp rebuilt for it
    const mod = writeMod("X = 1\ndef f(a):\n    return a * 10\n");
    await run(MAIN);
    const mpb = cachePath(mod, 0);
    const other = serialize(compile("X = 'from cache'\ndef f(a):\n    return a\n", mod, "exec", 0), false);
    writeFileSync(mpb, other);
    const st = JSON.parse(readFileSync(stampPath(mpb), "utf8"));
    const n = other.length;
    st.imageCrc = (other[n - 4] | (other[n - 3] << 8) | (other[n - 2] << 16) | (other[n - 1] << 24)) >>> 0;
    st.imageLen = n;
    writeFileSync(stampPath(mpb), JSON.stringify(st));
    expect((await run(MAIN)).out).toBe("from cache 2\n");
  });

  it("is rebuilt when the source changes", async () => {
    const mod = writeMod("X = 1\ndef f(a):\n    return a * 10\n");
    await run(MAIN);
    const mpb = cachePath(mod, 0);
    const before = ident(mpb);
    writeMod("X = 22\ndef f(a):\n    return a * 100\n");
    expect((await run(MAIN)).out).toBe("22 200\n");
    expect(ident(mpb)).not.toBe(before);
    expect(readStamp(stampPath(mpb))!.size).toBe(statSync(mod).size);
    // and the rebuilt entry is then reused
    const again = ident(mpb);
    expect((await run(MAIN)).out).toBe("22 200\n");
    expect(ident(mpb)).toBe(again);
  });

  it("with --hash stamps, an edit that keeps size and mtime is still seen", async () => {
    const mod = writeMod("X = 1\ndef f(a):\n    return a * 10\n");
    const r = cachedCompile(mod, { optimize: 0, write: true, mode: "hash" });
    expect(r.fresh).toBe(false);
    expect(readStamp(stampPath(r.cache))!.mode).toBe("hash");
    const st = statSync(mod);
    writeMod("X = 7\ndef f(a):\n    return a * 90\n"); // same length
    utimesSync(mod, st.atime, st.mtime);
    expect((await run(MAIN)).out).toBe("7 180\n");
    // the rebuilt entry keeps the hash mode
    expect(readStamp(stampPath(r.cache))!.mode).toBe("hash");
  });

  it("an entry of another format version is ignored and replaced", async () => {
    const mod = writeMod("X = 1\ndef f(a):\n    return a * 10\n");
    await run(MAIN);
    const mpb = cachePath(mod, 0);
    // same name, but the header says another version (CRC fixed up, so only the version is wrong)
    const b = new Uint8Array(readFileSync(mpb));
    b[4] = IMAGE_VERSION + 1;
    const crc = crc32(b, 0, b.length - 4, 0);
    for (let i = 0; i < 4; i++) b[b.length - 4 + i] = (crc >>> (8 * i)) & 255;
    writeFileSync(mpb, b);
    expect(loadImage(b)).toMatchObject({ error: expect.stringContaining("format version") });
    const st = JSON.parse(readFileSync(stampPath(mpb), "utf8"));
    st.imageCrc = crc;
    writeFileSync(stampPath(mpb), JSON.stringify(st)); // even a stamp that vouches for it does not help
    expect((await run(MAIN)).out).toBe("1 20\n");
    expect(isLoadError(loadImage(new Uint8Array(readFileSync(mpb))))).toBe(false);
    // an entry written by another version has another name: left alone, never read
    const foreign = join(dir, CACHE_DIR, "mod.espy-" + (IMAGE_VERSION + 1) + ".mpb");
    writeFileSync(foreign, "not for this runtime");
    expect((await run(MAIN)).out).toBe("1 20\n");
    expect(readFileSync(foreign, "utf8")).toBe("not for this runtime");
  });

  it("a corrupt entry or stamp is replaced, never trusted", async () => {
    const mod = writeMod("X = 1\ndef f(a):\n    return a * 10\n");
    await run(MAIN);
    const mpb = cachePath(mod, 0);
    const good = readFileSync(mpb);
    // flip a bit in the bytecode: the CRC catches it
    const bad = Buffer.from(good);
    bad[bad.length - 10] ^= 4;
    writeFileSync(mpb, bad);
    expect((await run(MAIN)).out).toBe("1 20\n");
    expect(Buffer.compare(readFileSync(mpb), good)).toBe(0);
    // garbage, truncation, an empty file
    for (const junk of [Buffer.from("garbage garbage garbage"), good.subarray(0, good.length >> 1), Buffer.alloc(0)]) {
      writeFileSync(mpb, junk);
      expect((await run(MAIN)).out).toBe("1 20\n");
      expect(Buffer.compare(readFileSync(mpb), good)).toBe(0);
    }
    // a stamp that is not one
    for (const junk of ["{", "[]", '{"espyCache":1,"mode":"mtime"}', "null", ""]) {
      writeFileSync(stampPath(mpb), junk);
      const before = ident(mpb);
      expect((await run(MAIN)).out).toBe("1 20\n");
      expect(ident(mpb)).not.toBe(before);
      expect(readStamp(stampPath(mpb))).not.toBeNull();
    }
  });

  it("an entry from another tree (a moved or copied __pycache__) is rebuilt with this path", async () => {
    const mod = writeMod("X = 1\ndef f(a):\n    return a * 10\n");
    const r = cachedCompile(mod, { optimize: 0, write: true, filename: "/elsewhere/mod.py" });
    expect(r.fresh).toBe(false);
    const res = await run("import mod\nmod.f(None)\n");
    expect(res.err).toContain('File "' + mod + '", line 3, in f');
    const img = loadImage(new Uint8Array(readFileSync(r.cache)));
    if (isLoadError(img)) throw new Error(img.error);
    expect(imageName(img, img.filename)).toBe(mod);
  });

  it("-O has its own entry", async () => {
    const mod = writeMod("X = 1\ndef f(a):\n    assert a > 5, 'small'\n    return a * 10\n");
    expect((await run(MAIN, { optimize: 1 })).out).toBe("1 20\n");
    expect(existsSync(cachePath(mod, 1))).toBe(true);
    expect(cachePath(mod, 1)).toMatch(/mod\.espy-\d+\.opt-1\.mpb$/);
    expect(existsSync(cachePath(mod, 0))).toBe(false);
    const r = await run(MAIN);
    expect(r.err).toContain("AssertionError: small");
    expect(existsSync(cachePath(mod, 0))).toBe(true);
  });

  it("-B (writeCache: false) writes nothing but still reads a fresh entry", async () => {
    const mod = writeMod("X = 1\ndef f(a):\n    return a * 10\n");
    expect((await run(MAIN, { writeCache: false })).out).toBe("1 20\n");
    expect(existsSync(join(dir, CACHE_DIR))).toBe(false);
    cachedCompile(mod, { optimize: 0, write: true });
    const before = ident(cachePath(mod, 0));
    expect((await run(MAIN, { writeCache: false })).out).toBe("1 20\n");
    expect(ident(cachePath(mod, 0))).toBe(before);
  });

  it("an unwritable cache location does not stop the import", async () => {
    writeMod("X = 1\ndef f(a):\n    return a * 10\n");
    writeFileSync(join(dir, CACHE_DIR), "a file where the directory would go");
    expect(await run(MAIN)).toEqual({ out: "1 20\n", err: "", code: 0 });
    const r = cachedCompile(join(dir, "mod.py"), { optimize: 0, write: true });
    expect(r.writeError).not.toBeNull();
  });

  it("a syntax error in the module is a SyntaxError in the importer, and nothing is cached", async () => {
    const mod = writeMod("X = (1\n");
    const r = await run("try:\n    import mod\nexcept SyntaxError as e:\n    print('caught', type(e).__name__, e.args[0])\n");
    expect(r.out).toBe("caught SyntaxError '(' was never closed\n");
    expect(existsSync(cachePath(mod, 0))).toBe(false);
  });

  it("packages and submodules are cached in their own directories", async () => {
    mkdirSync(join(dir, "pkg"));
    writeFileSync(join(dir, "pkg", "__init__.py"), "A = 'init'\n");
    writeFileSync(join(dir, "pkg", "sub.py"), "B = 'sub'\n");
    expect((await run("import pkg.sub\nprint(pkg.A, pkg.sub.B)\n")).out).toBe("init sub\n");
    expect(existsSync(cachePath(join(dir, "pkg", "__init__.py"), 0))).toBe(true);
    expect(existsSync(cachePath(join(dir, "pkg", "sub.py"), 0))).toBe(true);
  });

  it("atomicWrite replaces a file whole and leaves no temporary behind, even when it fails", () => {
    const f = join(dir, "x.bin");
    atomicWrite(f, new Uint8Array([1, 2, 3]));
    const first = ident(f);
    atomicWrite(f, new Uint8Array([4, 5]));
    expect([...readFileSync(f)]).toEqual([4, 5]);
    expect(ident(f)).not.toBe(first);
    expect(() => atomicWrite(join(dir, "missing", "y.bin"), "z")).toThrow();
    mkdirSync(join(dir, "d"));
    expect(() => atomicWrite(join(dir, "d"), "z")).toThrow(); // rename over a directory
    expect(readdirSync(dir).sort()).toEqual(["d", "x.bin"]);
  });
});
