// os: the file-system functions through the HAL (an in-memory one here), their OSError errnos, uname and urandom.
import { describe, it, expect } from "vitest";
import { runPy } from "./helpers/run";
import type { Hal } from "../core/index";

function memHal(): Partial<Hal> {
  const files = new Map<string, Uint8Array>([["a.txt", new Uint8Array([104, 105])], ["d/b.txt", new Uint8Array(5)]]);
  const dirs = new Set<string>(["d"]);
  return {
    readFile: (p) => files.get(p) || null,
    writeFile: (p, data) => {
      files.set(p, data);
      return true;
    },
    stat: (p) => (files.has(p) ? { size: files.get(p)!.length, mtime: 1700000000.5, dir: false } : dirs.has(p) ? { size: 0, mtime: 12, dir: true } : null),
    listdir: (p) => {
      const d = p === "." ? "" : p;
      if (d && !dirs.has(d)) return null;
      const pre = d ? d + "/" : "";
      const out: string[] = [];
      for (const k of [...files.keys(), ...dirs]) if (k.startsWith(pre) && k !== d && !k.slice(pre.length).includes("/")) out.push(k.slice(pre.length));
      return out.sort();
    },
    remove: (p) => files.delete(p),
    rename: (a, b) => {
      if (!files.has(a)) return false;
      files.set(b, files.get(a)!);
      files.delete(a);
      return true;
    },
    mkdir: (p) => {
      if (p.includes("/")) return false;
      dirs.add(p);
      return true;
    },
    info: () => ({ board: "PUCKJS", firmware: "2v25" }),
  };
}

async function out(src: string, hal: Partial<Hal> = memHal(), gcStress = false): Promise<string> {
  const r = await runPy(src, { hal, gcStress, heapBytes: gcStress ? 512 * 1024 : undefined });
  expect(r.err).toBe("");
  return r.out;
}

describe("os", () => {
  it("listdir, ilistdir, stat, rename, remove, mkdir", async () => {
    const src = `import os
print(os.listdir(), os.listdir("d"), os.listdir("."))
print(list(os.ilistdir("d")), sorted(os.ilistdir())[0])
st = os.stat("a.txt")
print(st, st[0] == 0x8000, st[6], os.stat("d")[0] == 0x4000)
os.rename("a.txt", "c.txt")
os.mkdir("e")
print(os.listdir())
os.remove("c.txt")
print(os.listdir(), os.sep, os.error is OSError, os.getcwd())
`;
    expect(await out(src)).toBe(
      "['a.txt', 'd'] ['b.txt'] ['a.txt', 'd']\n[('b.txt', 32768, 0, 5)] ('a.txt', 32768, 0, 2)\n(32768, 0, 0, 0, 0, 0, 2, 1700000000, 1700000000, 1700000000) True 2 True\n['c.txt', 'd', 'e']\n['d', 'e'] / True /\n",
    );
  });
  it("errors are OSError with MicroPython's errno; bad arguments TypeError", async () => {
    const src = `import os
def t(f):
    try:
        f()
        print("ok")
    except OSError as e:
        print("OSError", e.args[0])
    except Exception as e:
        print(type(e).__name__)
t(lambda: os.stat("nope"))
t(lambda: os.listdir("nope"))
t(lambda: os.remove("nope"))
t(lambda: os.rename("nope", "x"))
t(lambda: os.mkdir("d"))
t(lambda: os.mkdir("q/r"))
t(lambda: os.stat(5))
t(lambda: os.listdir(b"d"))
t(lambda: os.urandom(-1))
t(lambda: os.urandom("a"))
t(lambda: os.remove())
`;
    expect(await out(src)).toBe("OSError 2\nOSError 2\nOSError 2\nOSError 2\nOSError 17\nOSError 2\nTypeError\nTypeError\nValueError\nTypeError\nTypeError\n");
  });
  it("a platform without files raises OSError(ENODEV)", async () => {
    const src = "import os\nfor f in (os.listdir, lambda: os.stat('a'), lambda: os.remove('a')):\n    try:\n        f()\n    except OSError as e:\n        print(e.args[0])\n";
    expect(await out(src, { listdir: undefined, stat: undefined, remove: undefined })).toBe("19\n19\n19\n");
  });
  it("uname is an attrtuple from the platform; urandom gives bytes", async () => {
    const src = `import os
u = os.uname()
print(u.sysname, u.nodename, u.machine, len(u), str(u).find("machine=") > 0, u[0])
r = os.urandom(16)
print(type(r).__name__, len(r), len(os.urandom(0)), all(0 <= b < 256 for b in r))
`;
    expect(await out(src)).toBe("espy PUCKJS PUCKJS 5 True espy\nbytes 16 0 True\n");
  });
  it("survives GC stress", async () => {
    const src = "import os\nfor i in range(3):\n    print(os.listdir(), list(os.ilistdir('d')), os.stat('a.txt')[6], os.uname().sysname)\n";
    expect(await out(src, memHal(), true)).toBe("['a.txt', 'd'] [('b.txt', 32768, 0, 5)] 2 espy\n".repeat(3));
  });
});
