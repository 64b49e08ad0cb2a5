// The flasher against simulated boards in this process (boards/sim through tests/flash-helpers.ts's link): install,
// generations, the runtime handshake, Storage checks, fs, exec/run, the Linux build's 0x04 rule and the errors.
import { describe, test, expect, afterAll } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { simBoard, simLink, captureUi, tmpDir, writeFiles, FAST, powerCycle, DEVICE } from "./flash-helpers";
import { flashMain, compileProgram, runOnBoard } from "../flasher/flash";
import { connect } from "../flasher/session";
import { fsLs, fsPut, fsRm, fsDf, getFile } from "../flasher/fs";
import { compareVersions, runtimeSet, versionIn } from "../flasher/install";
import { compileSource } from "../flasher/compile";
import { openTransport, DeviceError } from "../flasher/transport";
import { PROFILES } from "../boards/profiles";
import { listPorts, formatPorts } from "../flasher/ports";
import { SimBoard } from "../boards/sim/index";

const dir = tmpDir("flash");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const prog = (tag: string) => writeFiles(fs.mkdtempSync(path.join(dir, tag + "-")), {
  "main.py": `import helper\nprint("${tag}", helper.twice(21))\n`,
  "helper.py": "def twice(x):\n    return 2 * x\n",
});

async function errorOf(p: Promise<unknown>): Promise<DeviceError> {
  try {
    await p;
  } catch (e) {
    return e as DeviceError;
  }
  throw new Error("expected an error");
}

describe("compiling a program", () => {
  test("main first, modules by name, a directory as a tree of modules and packages", () => {
    const d = fs.mkdtempSync(path.join(dir, "tree-"));
    writeFiles(d, { "main.py": "import pkg\n", "pkg/__init__.py": "X = 1\n", "pkg/sub.py": "Y = 2\n", "util.py": "Z = 3\n" });
    const one = path.join(dir, "blink.py");
    fs.writeFileSync(one, "print(1)\n");
    expect(compileProgram([one]).map((f) => f.name)).toEqual(["main.mpb"]);
    expect(compileProgram([d]).map((f) => f.name).sort()).toEqual(["main.mpb", "pkg/__init__.mpb", "pkg/sub.mpb", "util.mpb"]);
  });
  test("a syntax error is reported like Python's, before the board is touched", () => {
    const bad = path.join(dir, "bad.py");
    fs.writeFileSync(bad, "x = (1,\nprint(x\n");
    let e: DeviceError | null = null;
    try {
      compileProgram([bad]);
    } catch (x) {
      e = x as DeviceError;
    }
    expect(e && e.code).toBe("ECOMPILE");
    expect(e!.message).toMatch(/SyntaxError/);
    expect(e!.message).toContain(bad);
  });
  test("two files that would have the same Storage name are refused", () => {
    const a = fs.mkdtempSync(path.join(dir, "a-"));
    const b = fs.mkdtempSync(path.join(dir, "b-"));
    const [m, u1] = writeFiles(a, { "main.py": "pass\n", "u.py": "pass\n" });
    const [u2] = writeFiles(b, { "u.py": "pass\n" });
    expect(() => compileProgram([m, u1, u2])).toThrow(/both be u.mpb/);
  });
});

describe("runtime versions", () => {
  test("the handshake compares image format, then release", () => {
    expect(compareVersions("0.1.0/1/aaaaaaaa", "0.1.0/1/bbbbbbbb")).toBe(0);
    expect(compareVersions("0.2.0/1/aaaaaaaa", "0.1.9/1/bbbbbbbb")).toBeGreaterThan(0);
    expect(compareVersions("0.9.0/1/aaaaaaaa", "0.1.0/2/bbbbbbbb")).toBeLessThan(0);
    const rt = runtimeSet(PROFILES.puck, "puck", DEVICE);
    expect(rt.files.map((f) => f.name)).toEqual(["espy.js", "espy-cc.js", "espy-big.js", "espy-flt.js", ".bootcde"]);
    expect(versionIn(Buffer.from(rt.files[0].data).toString("latin1"))).toBe(rt.version);
  });
});

describe("flash on a simulated Puck.js", () => {
  test("installs a generation, boots it, replaces it with the next and erases the old one", async () => {
    const sf = path.join(dir, "puck1.storage");
    const b = await simBoard({ board: "puck", storageFile: sf });
    const ui = captureUi();
    const r1 = await flashMain(prog("FIRST"), { transport: simLink(b), watch: 0, protocol: FAST, deviceDir: DEVICE }, ui);
    expect(r1.generation).toBe(1);
    expect(r1.runtime).toEqual([]); // the simulator powered on with this build's runtime
    await b.waitFor("FIRST 42", 8000, 0);
    const r2 = await flashMain(prog("SECOND"), { transport: simLink(b), watch: 0, protocol: FAST, deviceDir: DEVICE }, ui);
    expect(r2.generation).toBe(2);
    expect(r2.erased.sort()).toEqual(["g1/.m", "g1/helper.mpb", "g1/main.mpb"]);
    await b.waitFor("SECOND 42");
    const files = b.storage.list();
    expect(files.filter((f) => /^g/.test(f)).sort()).toEqual(["g2/.m", "g2/helper.mpb", "g2/main.mpb"]);
    expect(JSON.parse(Buffer.from(b.storage.read(".espy")!).toString())).toMatchObject({ g: 2 });
    b.close();
    // and from power-on, as the board would
    const boot = await powerCycle(sf, "puck", /SECOND 42/);
    expect(boot.ok).toBe(true);
  });

  test("the program's first output is shown after the reset", async () => {
    const b = await simBoard({ board: "puck" });
    const ui = captureUi();
    const d = fs.mkdtempSync(path.join(dir, "show-"));
    const [m] = writeFiles(d, { "main.py": 'print("up and running")\nraise ValueError("late")\n' });
    const link = simLink(b);
    const shown = flashMain([m], { transport: link, watch: 30, protocol: FAST, deviceDir: DEVICE }, ui);
    // the watch window is long; the board's output is what the test waits for, then the line is closed
    await b.waitFor("ValueError", 10000, 0);
    await new Promise((r) => setTimeout(r, 50));
    await link.close();
    await shown;
    b.close();
    expect(ui.text.out).toContain("up and running");
    // tracebacks get their source line from the host
    expect(ui.text.out).toContain('raise ValueError("late")');
  });

  test("not enough Storage: needed vs free, and what to remove", async () => {
    const b = await simBoard({ board: "puck" });
    const free = b.storage.getFree();
    b.storage.write("data.bin", new Uint8Array(free - 600).fill(7));
    const d = fs.mkdtempSync(path.join(dir, "big-"));
    const [m] = writeFiles(d, { "main.py": Array.from({ length: 60 }, (_, i) => `print("line ${i} of a program that does not fit")`).join("\n") + "\n" });
    const e = await errorOf(flashMain([m], { transport: simLink(b), watch: 0, protocol: FAST, deviceDir: DEVICE }, captureUi()));
    expect(e.code).toBe("ESTORAGE");
    expect(e.message).toMatch(/this flash needs \d+ bytes, the board has \d+ free/);
    expect(e.message).toContain("data.bin");
    expect(e.message).toContain("espy fs rm");
    expect(b.storage.list().some((f) => /^g\d/.test(f))).toBe(false);
    b.close();
  });

  test("erased files are reclaimed by compacting when that makes room", async () => {
    const b = await simBoard({ board: "puck" });
    const free = b.storage.getFree();
    b.storage.write("junk.bin", new Uint8Array(free - 400).fill(1));
    b.storage.erase("junk.bin");
    const ui = captureUi(true);
    const r = await flashMain(prog("COMPACT"), { transport: simLink(b), watch: 0, protocol: FAST, deviceDir: DEVICE }, ui);
    expect(r.generation).toBe(1);
    expect(ui.text.err).toContain("compacting Storage");
    await b.waitFor("COMPACT 42", 8000, 0);
    b.close();
  });
});

describe("the runtime", () => {
  test("installed on a board without one, staged and switched atomically (ESP32)", async () => {
    const sf = path.join(dir, "esp32.storage");
    const b = await simBoard({ board: "esp32", runtime: false, storageFile: sf });
    expect(b.storage.has("espy.js")).toBe(false);
    const ui = captureUi();
    const r = await flashMain(prog("FRESH"), { transport: simLink(b), watch: 0, protocol: FAST, deviceDir: DEVICE }, ui);
    expect(r.runtime).toEqual(["espy.js", ".bootcde"]);
    expect(r.runtimeAtomic).toBe(true);
    expect(r.runtimeStaged).toBe(false); // nothing to protect: written in place
    const rt = runtimeSet(PROFILES.esp32, "esp32", DEVICE);
    for (const f of rt.files) expect(Buffer.compare(Buffer.from(b.storage.read(f.name)!), Buffer.from(f.data))).toBe(0);
    expect(b.storage.list().filter((f) => f.startsWith("~"))).toEqual([]);
    await b.waitFor("FRESH 42", 8000, 0);
    b.close();
    expect((await powerCycle(sf, "esp32", /FRESH 42/)).ok).toBe(true);
  });

  test("a runtime newer than this espy's is refused, naming the fix", async () => {
    const b = await simBoard({ board: "esp32", runtime: false });
    b.storage.write("espy.js", new TextEncoder().encode('var espy={version:"9.0.0/9/deadbeef"};'));
    const e = await errorOf(flashMain(prog("X"), { transport: simLink(b), watch: 0, protocol: FAST, deviceDir: DEVICE }, captureUi()));
    expect(e.code).toBe("ENEWER");
    expect(e.message).toContain("9.0.0/9/deadbeef");
    expect(e.message).toMatch(/update espy|--force-runtime/);
    b.close();
  });

  test("an older runtime is upgraded: staged under temporary names, then switched (Bangle.js 2)", async () => {
    const b = await simBoard({ board: "bangle2", runtime: false });
    b.storage.write("espy.js", new TextEncoder().encode('var espy={version:"0.0.1/1/00000000"};'));
    const r = await flashMain(prog("UPGRADED"), { transport: simLink(b), watch: 0, protocol: FAST, deviceDir: DEVICE }, captureUi());
    expect(r.runtime).toContain("espy.js");
    expect(r.runtimeStaged).toBe(true);
    expect(b.storage.list().filter((f) => f.startsWith("~"))).toEqual([]);
    await b.waitFor("UPGRADED 42", 8000, 0);
    b.close();
  });
});

describe("Espruino's Linux build", () => {
  test("never gets byte 0x04: Storage.write lines instead of packets", async () => {
    const b = await simBoard({ board: "linux" });
    let exited = "";
    b.on("exit", (why: string) => (exited = why));
    const link = simLink(b);
    const sent: number[] = [];
    const w = link.write.bind(link);
    link.write = (d: Uint8Array) => {
      for (const c of d) sent.push(c);
      return w(d);
    };
    const ui = captureUi();
    await flashMain(prog("LINUX"), { transport: link, watch: 0, protocol: FAST, deviceDir: DEVICE }, ui);
    await b.waitFor("LINUX 42", 8000, 0);
    expect(sent.indexOf(4)).toBe(-1);
    expect(exited).toBe("");
    b.close();
  });
});

describe("fs, exec, run", () => {
  test("put, ls, cat, get, rm, df", async () => {
    const b = await simBoard({ board: "puck" });
    const s = await connect({ transport: simLink(b), protocol: FAST, deviceDir: DEVICE }, captureUi());
    const local = path.join(dir, "data.txt");
    const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => i & 255));
    fs.writeFileSync(local, bytes);
    const before = await fsDf(s);
    expect(await fsPut(s, local, "log/data.txt")).toBe(3000);
    expect((await fsLs(s, "log/")).map((f) => [f.name, f.size])).toEqual([["log/data.txt", 3000]]);
    expect(Buffer.compare(Buffer.from(await getFile(s, "log/data.txt")), bytes)).toBe(0);
    expect((await fsDf(s)).free).toBeLessThan(before.free);
    await fsRm(s, ["log/data.txt"]);
    expect(await fsLs(s, "log/")).toEqual([]);
    expect((await errorOf(getFile(s, "nope"))).code).toBe("ENOENT");
    expect((await errorOf(fsRm(s, ["nope"]))).code).toBe("ENOENT");
    await s.close();
    b.close();
  });

  test("exec and run: output streamed, exit status, tracebacks", async () => {
    const b = await simBoard({ board: "puck" });
    const s = await connect({ transport: simLink(b), protocol: FAST, deviceDir: DEVICE }, captureUi());
    let out = "";
    const img = (src: string) => compileSource(src, "<string>", 0, false).image;
    expect(await runOnBoard(s, img("for i in range(3):\n    print('n', i)\n"), captureUi(), { onOutput: (t) => (out += t) })).toBe(0);
    expect(out.replace(/\r/g, "")).toContain("n 0\nn 1\nn 2\n");
    out = "";
    expect(await runOnBoard(s, img("import sys\nprint('bye')\nraise KeyError(7)\n"), captureUi(), { onOutput: (t) => (out += t) })).toBe(1);
    expect(out).toContain("KeyError: 7");
    // a bigger image goes up in several pieces
    out = "";
    const big = `s = "${"abcdefghij".repeat(150)}"\nprint(len(s), s[-3:])\n`;
    expect(img(big).length).toBeGreaterThan(1400);
    expect(await runOnBoard(s, img(big), captureUi(), { onOutput: (t) => (out += t) })).toBe(0);
    expect(out).toContain("1500 hij");
    // Ctrl-C is forwarded: KeyboardInterrupt where the program stands
    out = "";
    const running = runOnBoard(s, img("print('looping')\nwhile True:\n    pass\n"), captureUi(), {
      onOutput: (t) => (out += t),
      input: (send) => {
        b.waitFor("looping", 8000).then(() => send("\x03"));
        return () => {};
      },
    });
    expect(await running).not.toBe(0);
    expect(out).toContain("KeyboardInterrupt");
    await s.close();
    b.close();
  });
});

describe("errors that name the fix", () => {
  test("no such port", async () => {
    const e = await errorOf(openTransport(path.join(dir, "ttyNOPE")));
    expect(e.code).toBe("ENOPORT");
    expect(e.message).toContain("espy ports");
  });
  test("ports: USB ports and --probe paths are asked, bare UARTs only listed", async () => {
    const rs = await listPorts([path.join(dir, "ttyGONE")], 115200, captureUi(), async () => [{ path: "/dev/ttyS0" }]);
    const text = formatPorts(rs);
    expect(text).toContain("/dev/ttyS0: not asked (no USB device; --probe /dev/ttyS0 asks it)");
    expect(text).toMatch(/ttyGONE: no such port .*espy ports/);
  });
  test("not an Espruino board", async () => {
    // something that answers, but not like Espruino
    const b = await simBoard({ board: "puck" });
    const link = simLink(b);
    let cb: ((d: Uint8Array) => void) | null = null;
    const fake = Object.assign({}, link, {
      name: "fake",
      write: (d: Uint8Array) => {
        setImmediate(() => cb && cb(new Uint8Array(Buffer.from("AT OK\r\n"))));
        return Promise.resolve(d.length ? undefined : undefined);
      },
      onData: (f: (d: Uint8Array) => void) => (cb = f),
    });
    const e = await errorOf(connect({ transport: fake, protocol: { syncWaits: [100, 200] } }, captureUi()));
    expect(e.code).toBe("ENOTESPRUINO");
    expect(e.message).toMatch(/not like an Espruino board.*--baud/);
    b.close();
  });
  test("firmware too old", async () => {
    const b = await simBoard({ board: "puck" });
    b.evalJs('process.version = "2v08"');
    const e = await errorOf(connect({ transport: simLink(b), protocol: FAST, deviceDir: DEVICE }, captureUi()));
    expect(e.code).toBe("EFIRMWARE");
    expect(e.message).toContain("Firmware+Update");
    b.close();
  });
  test("the board stops answering: retries, then says so", async () => {
    const b = await simBoard({ board: "puck" });
    const link = simLink(b, { muteRxAfter: 350 });
    const ui = captureUi(true);
    const e = await errorOf(flashMain(prog("MUTE"), { transport: link, watch: 0, protocol: { timeoutMs: 150, syncWaits: [100, 150], tries: 2 }, deviceDir: DEVICE }, ui));
    expect(["ESTOPPED", "ENOANSWER"]).toContain(e.code);
    expect(e.message).toMatch(/stopped answering|no answer/);
    expect(ui.text.err).toMatch(/again|resync/);
    b.close();
  });
  test("an unknown board needs --board", async () => {
    const b = await simBoard({ board: "puck" });
    b.evalJs('process.env.BOARD = "MYBOARD"');
    const e = await errorOf(connect({ transport: simLink(b), protocol: FAST, deviceDir: DEVICE }, captureUi()));
    expect(e.code).toBe("EBOARD");
    expect(e.message).toContain("--board");
    const s = await connect({ transport: simLink(b), protocol: FAST, board: "puck" }, captureUi());
    expect(s.profileName).toBe("puck");
    await s.close();
    b.close();
  });
});

void SimBoard;
