// End to end: the real CLI (dist/cli.js) against `espy sim` over a pseudo-terminal, through serialport, as a user
// would: flash (compile, install, verify, reset, first output), the files it left, boot again, run, exec, fs, ports,
// and the port errors. With ESPRUINO naming Espruino's Linux build, the same flash against real Espruino behind a pty
// (socat); skipped with a message when unset.
import { describe, test, expect, beforeAll, afterAll } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { spawn, execFile } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { tmpDir, writeFiles } from "./flash-helpers";
import { haveSocat } from "../boards/sim/index";

const CLI = path.resolve(__dirname, "..", "dist", "cli.js");
const dir = tmpDir("e2e");

interface Res {
  code: number;
  out: string;
  err: string;
}

function espy(args: string[], opts: { cwd?: string; timeout?: number } = {}): Promise<Res> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: opts.cwd || dir, timeout: opts.timeout || 120000, maxBuffer: 1 << 24 }, (e, out, err) => {
      const code = e ? (typeof (e as { code?: unknown }).code === "number" ? ((e as { code: number }).code) : 1) : 0;
      resolve({ code, out: String(out), err: String(err) });
    });
  });
}

/** A board process on a pty: resolves with its device path once it says where it is. */
function startOnPty(cmd: string, args: string[], cwd: string, ready: RegExp): Promise<{ p: ChildProcess; port: string; stop: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd, stdio: ["pipe", "pipe", "pipe"] });
    let text = "";
    const onData = (d: Buffer) => {
      text += d.toString();
      const m = ready.exec(text);
      if (m) {
        p.stdout!.removeListener("data", onData);
        p.stderr!.removeListener("data", onData);
        resolve({
          p,
          port: m[1],
          stop: () =>
            new Promise<void>((r) => {
              if (p.exitCode !== null) return r();
              p.on("exit", () => r());
              p.stdin!.end();
              p.kill("SIGTERM");
            }),
        });
      }
    };
    p.stdout!.on("data", onData);
    p.stderr!.on("data", onData);
    p.on("error", reject);
    p.on("exit", (c) => reject(new Error(`${cmd} exited (${c}) before it was ready: ${text}`)));
  });
}

const PROGRAM = {
  "main.py": "import greet\nprint(greet.hello('flash'))\nfor i in range(3):\n    print('tick', i)\n",
  "greet.py": "def hello(who):\n    return 'hello, ' + who\n",
};

const canRun = fs.existsSync(CLI) && haveSocat();

describe.skipIf(!canRun)("espy CLI against espy sim over a pty", () => {
  let sim: Awaited<ReturnType<typeof startOnPty>>;
  let P = "";
  let progDir = "";
  beforeAll(async () => {
    sim = await startOnPty(process.execPath, [CLI, "sim", "--board", "pico", "--virtual-clock", "--storage", path.join(dir, "pico.storage"), "--link", path.join(dir, "ttySIM")], dir, /espy sim: \S+ on (\S+)/);
    P = sim.port;
    progDir = fs.mkdtempSync(path.join(dir, "prog-"));
    writeFiles(progDir, PROGRAM);
  });
  afterAll(async () => {
    if (sim) await sim.stop();
  });

  test("flash: compiled, installed, verified, reset, first output shown", async () => {
    const r = await espy(["flash", path.join(progDir, "main.py"), path.join(progDir, "greet.py"), "--port", P, "--watch", "20"]);
    expect(r.err).toMatch(/PICO_R1_3 \(Espruino 2v\d+\) on /);
    expect(r.err).toMatch(/program installed as generation 1: 2 file\(s\), \d+ bytes, verified \(\d+ bytes sent in [\d.]+ s, \d+ bytes\/s\)/);
    expect(r.out).toContain("hello, flash\ntick 0\ntick 1\ntick 2\n");
    expect(r.code).toBe(0);
  });

  test("verify: the generation, its manifest and the pointer are in Storage", async () => {
    const ls = await espy(["fs", "ls", "--port", P]);
    expect(ls.code).toBe(0);
    for (const f of ["g1/main.mpb", "g1/greet.mpb", "g1/.m", ".espy", "espy.js", ".bootcde"]) expect(ls.out).toContain(" " + f + "\n");
    const m = await espy(["fs", "cat", "g1/.m", "--port", P]);
    expect(m.out).toMatch(/^main\.mpb \d+ [0-9a-f]{8}\ngreet\.mpb \d+ [0-9a-f]{8}\n$/);
    const p = await espy(["fs", "cat", ".espy", "--port", P]);
    expect(JSON.parse(p.out)).toMatchObject({ g: 1 });
  });

  test("boot: a reset runs it again", async () => {
    const r = await espy(["reset", "--port", P, "--watch", "20"]);
    expect(r.out).toContain("hello, flash\ntick 0");
  });

  test("run without saving: output streamed, exit status, traceback with the source line", async () => {
    const f = path.join(progDir, "oops.py");
    fs.writeFileSync(f, "print('about to fail')\nx = {}\nx['missing']\n");
    const r = await espy(["run", f, "--port", P]);
    expect(r.out).toContain("about to fail\n");
    expect(r.out).toContain('File "oops.py", line 3');
    expect(r.out).toContain("    x['missing']\n");
    expect(r.out).toContain("KeyError: 'missing'");
    expect(r.code).toBe(1);
    const ok = await espy(["run", path.join(progDir, "greet.py"), "--port", P]);
    expect(ok.code).toBe(0);
    // the saved program is untouched
    const ls = await espy(["fs", "ls", "g", "--port", P]);
    expect(ls.out).not.toContain("oops");
  });

  test("exec", async () => {
    const r = await espy(["exec", "--port", P, "import greet\nprint(greet.hello('exec'), 6 * 7)"]);
    expect(r.out).toBe("hello, exec 42\n");
    expect(r.code).toBe(0);
  });

  test("fs: put, get, rm, df", async () => {
    const local = path.join(dir, "notes.txt");
    fs.writeFileSync(local, "line one\nline two\n");
    const put = await espy(["fs", "put", local, "notes.txt", "--port", P]);
    expect(put.code).toBe(0);
    expect(put.err).toContain("verified");
    const back = path.join(dir, "back.txt");
    const get = await espy(["fs", "get", "notes.txt", back, "--port", P]);
    expect(get.code).toBe(0);
    expect(fs.readFileSync(back, "utf8")).toBe("line one\nline two\n");
    const df = await espy(["fs", "df", "--port", P]);
    expect(df.out).toMatch(/^total \d+ bytes, \d+ files using \d+, free \d+, erased \d+/);
    expect((await espy(["fs", "rm", "notes.txt", "--port", P])).code).toBe(0);
    const gone = await espy(["fs", "cat", "notes.txt", "--port", P]);
    expect(gone.code).toBe(1);
    expect(gone.err).toContain("no file notes.txt");
  });

  test("a second flash replaces the program atomically and erases the first", async () => {
    const d2 = fs.mkdtempSync(path.join(dir, "prog2-"));
    const [m] = writeFiles(d2, { "main.py": "print('second program')\n" });
    const r = await espy(["flash", m, "--port", P, "--watch", "20", "-q"]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toContain("second program");
    const ls = await espy(["fs", "ls", "g", "--port", P]);
    expect(ls.out).not.toContain("g1/");
    expect(ls.out).toContain("g2/main.mpb");
  });

  test("ports: the pty is probed and named", async () => {
    const r = await espy(["ports", "--probe", P]);
    expect(r.out).toMatch(new RegExp(P.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&") + ": PICO_R1_3, Espruino 2v\\d+, espy \\S+, \\d+ bytes of Storage free"));
  });

  test("errors: no such port, port busy", async () => {
    const none = await espy(["fs", "ls", "--port", path.join(dir, "ttyNONE")]);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/no such port .*espy ports/);
    // hold the port open (serialport locks it) and try again
    const holder = spawn(process.execPath, ["-e", `const {SerialPortStream}=require("@serialport/stream");const {autoDetect}=require("@serialport/bindings-cpp");const p=new SerialPortStream({binding:autoDetect(),path:${JSON.stringify(P)},baudRate:115200,lock:true});p.on("open",()=>console.log("OPEN"));setTimeout(()=>{},60000)`], { cwd: path.resolve(__dirname, ".."), stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((r) => holder.stdout!.on("data", (d: Buffer) => /OPEN/.test(d.toString()) && r()));
    const busy = await espy(["fs", "ls", "--port", P]);
    holder.kill();
    expect(busy.code).toBe(1);
    expect(busy.err).toMatch(/port .* is busy .*pid \d+.*close the program using it/);
  });
});

describe.skipIf(canRun)("espy CLI against espy sim", () => {
  test("skipped: needs the built CLI (npm run build) and socat", () => {});
});

// --- real Espruino ------------------------------------------------------------------------------------------------------

const EXE = process.env.ESPRUINO;

describe.skipIf(!EXE || !haveSocat())("espy flash against Espruino's Linux build behind a pty (ESPRUINO)", () => {
  let board: Awaited<ReturnType<typeof startOnPty>>;
  let P = "";
  const edir = fs.mkdtempSync(path.join(dir, "espruino-"));
  beforeAll(async () => {
    const link = path.join(edir, "ttyESP");
    board = await startOnPty("socat", ["-d", "-d", `PTY,link=${link},raw,echo=0`, `EXEC:${EXE},pty,raw,echo=0`], edir, /(starting data transfer loop)/);
    P = link;
  });
  afterAll(async () => {
    if (board) await board.stop();
  });

  test("flash installs the runtime and the program with Storage.write lines (no 0x04), verified, and it boots", { timeout: 600_000 }, async () => {
    const d = fs.mkdtempSync(path.join(edir, "prog-"));
    writeFiles(d, PROGRAM);
    const r = await espy(["flash", d, "--port", P, "--watch", "240", "--timeout", "15", "-v"], { timeout: 560_000 });
    if (/not enough Storage/.test(r.err)) {
      // the stock Linux build has 256 KB of Storage and the runtime needs more: the error says so, and that is all
      expect(r.code).toBe(1);
      console.log("ESPRUINO: " + r.err.trim().split("\n").pop());
      return;
    }
    expect(r.err).toMatch(/LINUX\S* \(Espruino 2v\d+/);
    expect(r.err).toMatch(/Storage\.write lines/);
    expect(r.err).toMatch(/program installed as generation \d+: 2 file\(s\), \d+ bytes, verified/);
    console.log("ESPRUINO flash: " + (/\(\d+ bytes sent in [\d.]+ s, \d+ bytes\/s\)/.exec(r.err) || [""])[0]);
    expect(r.out).toContain("hello, flash");
    expect(r.code).toBe(0);
    const ls = await espy(["fs", "ls", "g", "--port", P, "--timeout", "15"]);
    expect(ls.out).toMatch(/g\d+\/main\.mpb/);
  });
});

describe.skipIf(!!EXE)("espy flash against Espruino's Linux build", () => {
  test("skipped: set ESPRUINO to Espruino's Linux build (bin/espruino) to run this", () => {});
});
