// io and open(): MicroPython's stream extras (write(buf, off, len), OSError from seek), files through the HAL (an
// in-memory file system here, so the tests see exactly what reaches the platform), std streams, and errors.
import { describe, it, expect } from "vitest";
import { runPy } from "./helpers/run";
import type { Hal } from "../core/index";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A file system in a Map, with the HAL's file methods; `dirs` holds directory paths. */
function memFs(files: { [path: string]: string } = {}) {
  const fs = new Map<string, Uint8Array>();
  const dirs = new Set<string>([""]);
  for (const k of Object.keys(files)) fs.set(k, new Uint8Array(Buffer.from(files[k], "latin1")));
  const writes: string[] = [];
  const hal: Partial<Hal> = {
    readFile: (p) => (fs.has(p) ? new Uint8Array(fs.get(p)!) : null),
    writeFile: (p, data, append) => {
      if (dirs.has(p)) return false;
      const slash = p.lastIndexOf("/");
      if (slash > 0 && !dirs.has(p.slice(0, slash))) return false;
      writes.push(p + (append ? "+=" : "=") + Buffer.from(data).toString("latin1"));
      const old = append && fs.has(p) ? fs.get(p)! : new Uint8Array(0);
      const n = new Uint8Array(old.length + data.length);
      n.set(old, 0);
      n.set(data, old.length);
      fs.set(p, n);
      return true;
    },
    stat: (p) => (fs.has(p) ? { size: fs.get(p)!.length, mtime: 1700000000, dir: false } : dirs.has(p) ? { size: 0, mtime: 0, dir: true } : null),
    listdir: (p) => {
      const d = p === "." ? "" : p;
      if (!dirs.has(d)) return null;
      const pre = d ? d + "/" : "";
      const out: string[] = [];
      for (const k of [...fs.keys(), ...dirs]) if (k !== d && k.startsWith(pre) && !k.slice(pre.length).includes("/")) out.push(k.slice(pre.length));
      return out.sort();
    },
    remove: (p) => fs.delete(p),
    rename: (a, b) => {
      if (!fs.has(a)) return false;
      fs.set(b, fs.get(a)!);
      fs.delete(a);
      return true;
    },
    mkdir: (p) => {
      if (dirs.has(p) || fs.has(p)) return false;
      dirs.add(p);
      return true;
    },
  };
  const text = (p: string) => (fs.has(p) ? Buffer.from(fs.get(p)!).toString("latin1") : null);
  return { hal, fs, text, writes };
}

async function run(src: string, hal?: Partial<Hal>, gcStress = false) {
  const r = await runPy(src, { hal, gcStress, heapBytes: gcStress ? 512 * 1024 : undefined });
  expect(r.err).toBe("");
  return r.out;
}

describe("StringIO and BytesIO", () => {
  it("MicroPython's write(buf, len) and write(buf, off, len)", async () => {
    expect(
      await run(`import io
b = io.BytesIO()
b.write(b"foo", 2); b.write(b"foo", 100); b.write(b"foobar", 1, 3); b.write(b"foobar", 100, 100)
print(b.getvalue())
`),
    ).toBe("b'fofoooob'\n");
  });
  it("seek before the start is OSError(EINVAL) as on MicroPython; a size hint makes an empty stream", async () => {
    expect(
      await run(`import io
for s in (io.BytesIO(b"ab"), io.StringIO("ab")):
    try:
        s.seek(-1)
    except OSError as e:
        print(e.args[0])
print(repr(io.StringIO(16).getvalue()), io.BytesIO(8).getvalue())
print('io.StringIO' in repr(io.StringIO()), 'io.BytesIO' in repr(io.BytesIO()))
`),
    ).toBe("22\n22\n'' b''\nTrue True\n");
  });
  it("errors", async () => {
    const src = `import io
def t(f):
    try:
        f()
        print("ok")
    except Exception as e:
        print(type(e).__name__)
s = io.StringIO()
s.close()
t(lambda: s.read()); t(lambda: s.write("x")); t(lambda: s.seek(0)); t(lambda: s.tell()); t(lambda: iter(s))
t(lambda: io.StringIO(b"x")); t(lambda: io.BytesIO("x")); t(lambda: io.StringIO().write(1)); t(lambda: io.BytesIO().write([1]))
t(lambda: io.StringIO().read("a")); t(lambda: io.StringIO().seek(0, 5)); t(lambda: io.BytesIO().readinto(b"x"))
t(lambda: io.StringIO.read(5))
s.close()
print(s.closed)
`;
    expect(await run(src)).toBe(
      "ValueError\nValueError\nValueError\nValueError\nValueError\nTypeError\nTypeError\nTypeError\nTypeError\nTypeError\nValueError\nTypeError\nTypeError\nTrue\n",
    );
  });
  it("IOBase is a class for user streams", async () => {
    expect(await run("import io\nclass S(io.IOBase):\n    def write(self, b):\n        return 0\nprint(isinstance(S(), io.IOBase), io.IOBase.__name__)\n")).toBe("True IOBase\n");
  });
});

describe("open()", () => {
  it("reads text and binary files, by line and whole", async () => {
    const m = memFs({ "a.txt": "one\ntwo\nthr\xc3\xa9e" });
    expect(
      await run(
        `f = open("a.txt")
print(f.readline(), end="")
print(f.read(3), f.readlines())
f.close()
with open("a.txt", "rb") as f:
    print(f.read(4), f.read())
with open("a.txt", encoding="utf-8") as f:
    print([l.rstrip() for l in f], f.name, f.mode)
print(len(open("a.txt").read()), len(open("a.txt", "rb").read()))
`,
        m.hal,
      ),
    ).toBe("one\ntwo ['\\n', 'thrée']\nb'one\\n' b'two\\nthr\\xc3\\xa9e'\n['one', 'two', 'thrée'] a.txt r\n13 14\n");
  });
  it("w truncates and streams: bytes reach the HAL on flush and close, appended", async () => {
    const m = memFs({ "o.txt": "old contents" });
    const out = await run(
      `f = open("o.txt", "w")
print(f.write("héllo\\n"), f.tell())
f.flush()
f.write("more")
print(f.tell())
f.close()
f.close()
print(f.closed)
with open("o.txt", "a") as g:
    g.write("+tail")
    print(g.tell())
print(open("o.txt").read())
`,
      m.hal,
    );
    expect(out).toBe("6 7\n11\nTrue\n16\nhéllo\nmore+tail\n");
    expect(m.writes).toEqual(["o.txt=", "o.txt+=h\xc3\xa9llo\n", "o.txt+=more", "o.txt+=+tail"]);
  });
  it("big streaming writes are flushed in pieces, so a log never has to fit in RAM", async () => {
    const m = memFs();
    await run(`with open("log.txt", "w") as f:\n    for i in range(200):\n        f.write("line %d\\n" % i)\n`, m.hal);
    expect(m.text("log.txt")!.split("\n").length).toBe(201);
    expect(m.writes.length).toBeGreaterThan(3);
  });
  it("'+' modes hold the file and write it back whole", async () => {
    const m = memFs({ "b.bin": "\x00\x01\x02\x03" });
    const out = await run(
      `with open("b.bin", "r+b") as f:
    f.seek(1)
    f.write(b"\\xff")
    f.seek(0)
    print(f.read())
with open("n.txt", "w+") as f:
    f.write("abc")
    f.seek(1)
    print(f.read())
with open("n.txt", "a+") as f:
    f.seek(0)
    f.write("d")
    f.seek(0)
    print(f.read())
with open("x.txt", "x") as f:
    f.write("new")
print(open("x.txt").read())
`,
      m.hal,
    );
    expect(out).toBe("b'\\x00\\xff\\x02\\x03'\nbc\nabcd\nnew\n");
    expect(m.text("b.bin")).toBe("\x00\xff\x02\x03");
  });
  it("errors: OSError with MicroPython's errno, ValueError, TypeError", async () => {
    const m = memFs({ "a.txt": "x" });
    m.hal.mkdir!("d");
    const src = `def t(f):
    try:
        f()
        print("ok")
    except OSError as e:
        print("OSError", e.args[0], e)
    except Exception as e:
        print(type(e).__name__, e)
t(lambda: open("missing.txt"))
t(lambda: open("d"))
t(lambda: open("nodir/f.txt", "w"))
t(lambda: open("a.txt", "x"))
t(lambda: open("a.txt", "q"))
t(lambda: open("a.txt", "rw"))
t(lambda: open("a.txt", "rbt"))
t(lambda: open("a.txt", "rb", encoding="utf-8"))
t(lambda: open("a.txt", encoding="klingon"))
t(lambda: open(5))
t(lambda: open("a.txt", 5))
t(lambda: open("a.txt", bogus=1))
t(lambda: open())
t(lambda: open("a.txt").write("x"))
t(lambda: open("w.txt", "w").read())
t(lambda: open("a.txt", "rb").read().decode() + open("a.txt").read())
t(lambda: open("w.txt", "w").write(b"x"))
t(lambda: open("w.txt", "wb").write("x"))
f = open("a.txt")
f.close()
t(lambda: f.read())
t(lambda: f.readline())
t(lambda: next(f))
`;
    expect(await run(src, m.hal)).toBe(
      [
        "OSError 2 [Errno 2] ENOENT",
        "OSError 21 [Errno 21] EISDIR",
        "OSError 2 [Errno 2] ENOENT",
        "OSError 17 [Errno 17] EEXIST",
        "ValueError invalid mode: 'q'",
        "ValueError must have exactly one of create/read/write/append mode",
        "ValueError invalid mode: 'rbt'",
        "ValueError binary mode doesn't take an encoding argument",
        "LookupError unknown encoding: klingon",
        "TypeError expected str, bytes or os.PathLike object, not int",
        "TypeError open() argument 'mode' must be str, not int",
        "TypeError 'bogus' is an invalid keyword argument for open()",
        "TypeError open() missing required argument 'file' (pos 1)",
        "OSError 9 [Errno 9] EBADF",
        "OSError 9 [Errno 9] EBADF",
        "ok",
        "TypeError write() argument must be str, not bytes",
        "TypeError a bytes-like object is required, not 'str'",
        "ValueError I/O operation on closed file.",
        "ValueError I/O operation on closed file.",
        "ValueError I/O operation on closed file.",
        "",
      ].join("\n"),
    );
  });
  it("a platform without files raises OSError(ENODEV)", async () => {
    const hal: Partial<Hal> = { readFile: undefined, writeFile: undefined, stat: undefined };
    expect(await run("try:\n    open('a')\nexcept OSError as e:\n    print(e.args[0])\n", hal)).toBe("19\n");
  });
  it("survives GC stress", async () => {
    const m = memFs({ "in.txt": "a\nbb\nccc\n" });
    const out = await run(
      `lines = []
with open("in.txt") as f:
    for l in f:
        lines.append(l.strip() * 2)
with open("out.txt", "w") as g:
    for l in lines:
        print(l, file=g)
print(open("out.txt").readlines(), open("out.txt", "rb").read())
`,
      m.hal,
      true,
    );
    expect(out).toBe("['aa\\n', 'bbbb\\n', 'cccccc\\n'] b'aa\\nbbbb\\ncccccc\\n'\n");
  });
});

describe("std streams", () => {
  it("sys.stdout.write, sys.stdout.buffer, print(file=sys.stderr)", async () => {
    const r = await runPy(`import sys
print(sys.stdout.write("hi\\n"))
sys.stdout.buffer.write(b"raw\\n")
print("err", file=sys.stderr)
sys.stdout.flush()
print('FileIO' in str(sys.stdout.buffer), 'FileIO' in str(type(sys.stdout.buffer)), sys.stdout.closed)
`);
    expect(r.out).toBe("hi\n3\nraw\nTrue True False\n");
    expect(r.err).toBe("err\n");
  });
  it("sys.stdin reads lines through the platform (espy run with piped input)", () => {
    const dir = mkdtempSync(join(tmpdir(), "espy-io-"));
    const file = join(dir, "stdin.py");
    writeFileSync(file, "import sys\nprint(repr(sys.stdin.readline()))\nprint([l for l in sys.stdin])\nprint(repr(sys.stdin.read()))\n");
    const r = spawnSync(process.execPath, [join(__dirname, "../dist/cli.js"), "run", file], { input: "first\nsecond\nthird\n", encoding: "utf8" });
    rmSync(dir, { recursive: true, force: true });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("'first\\n'\n['second\\n', 'third\\n']\n''\n");
  });
});
