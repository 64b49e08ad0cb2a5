// The host simulator (boards/sim) in-process: the built device runtime on a simulated board. Flash semantics of
// Storage, Espruino's console (prompt, \x10 lines, Ctrl-C, console takeover), virtual hardware (LEDs, buttons, the I2C
// temperature sensor, the trace), the virtual clock, the profile's heap, and `espy run --board` / `espy test`.
// Needs dist/device (npm test builds it). Nothing here measures wall time: the virtual clock makes board time exact.
import { describe, it, expect, afterEach } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { SimBoard, SimStorage, StorageError } from "../boards/sim/index";
import { compileToImage } from "../flasher/host";
import { simRun, simTest, compileProgram, withSourceLines } from "../flasher/sim";

const root = path.resolve(__dirname, "..");
const boards: SimBoard[] = [];
afterEach(() => {
  while (boards.length) boards.pop()!.close();
});

async function board(name = "puck", opts: { storageFile?: string } = {}): Promise<SimBoard> {
  const b = new SimBoard({ board: name, virtualClock: true, storageFile: opts.storageFile || null });
  boards.push(b);
  await b.powerOn();
  b.takeOutput();
  return b;
}

const py = (src: string, file = "main.py") => compileToImage(src, file, "exec", 0);

describe("Storage with flash semantics", () => {
  it("writes once, reserves, erases to trash, compacts, and persists to its file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "espy-sim-"));
    const file = path.join(dir, "flash.bin");
    const s = new SimStorage(4096, file);
    s.write("a", new Uint8Array([1, 2, 3]));
    // reserve 6 bytes, fill them in two chunks; unwritten bytes read 0xFF
    s.write("b", new Uint8Array([9]), 0, 6);
    expect(Array.from(s.read("b")!)).toEqual([9, 255, 255, 255, 255, 255]);
    s.write("b", new Uint8Array([8, 7]), 1);
    // writing over written bytes is refused (flash bits only go from 1 to 0)
    expect(() => s.write("b", new Uint8Array([0]), 1)).toThrow(StorageError);
    expect(Array.from(s.read("b")!)).toEqual([9, 8, 7, 255, 255, 255]);
    const before = s.stats();
    s.erase("a");
    expect(s.list()).toEqual(["b"]);
    expect(s.stats().trashCount).toBe(1);
    expect(s.stats().freeBytes).toBe(before.freeBytes);
    const msgs: string[] = [];
    s.onMessage = (m) => msgs.push(m);
    s.compact();
    expect(msgs.join("")).toBe("Compacting... \n");
    expect(s.stats().trashCount).toBe(0);
    expect(s.stats().freeBytes).toBeGreaterThan(before.freeBytes);
    s.close();
    // the file is the flash image: a new Storage on it sees the same files
    const t = new SimStorage(4096, file);
    expect(t.list()).toEqual(["b"]);
    expect(Array.from(t.read("b")!)).toEqual([9, 8, 7, 255, 255, 255]);
    t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is Espruino's Storage in the sandbox: readArrayBuffer is binary-exact, getFree shrinks", async () => {
    const b = await board();
    b.write('\x10var S=require("Storage");var f0=S.getFree();S.write("bin",new Uint8Array([0,255,16,4]));' +
      'var u=new Uint8Array(S.readArrayBuffer("bin")),r=[];for(var i=0;i<u.length;i++)r.push(u[i]);print(JSON.stringify([r,S.list(/bin/),f0-S.getFree()]))\n');
    const out = await b.waitFor(/\]\r\n/);
    expect(out).toContain('[[0,255,16,4],["bin"],36]');
  });
});

describe("Espruino's console", () => {
  it("prompts, echoes typed lines with =result, runs \\x10 lines without echo, answers ENQ", async () => {
    const b = await board();
    b.write("\n");
    expect(await b.waitFor(">")).toBe("\r\n>");
    b.write("1+1\n");
    expect(await b.waitFor("=2\r\n>")).toBe("1+1\r\n=2\r\n>");
    b.write("\x10print(6*7, process.env.BOARD)\n");
    expect(await b.waitFor("\r\n>")).toBe("42 PUCKJS\r\n>");
    b.write("\x05");
    expect(await b.waitFor("PUCKJS\r\n")).toBe("Espruino 2v29 PUCKJS\r\n");
  });

  it("Ctrl-C clears the line being typed", async () => {
    const b = await board();
    b.write("\n");
    await b.waitFor(">");
    b.write("1+");
    await b.waitFor("1+");
    b.write("\x03");
    await b.waitFor(">"); // the line is taken off the terminal and the prompt comes back
    b.write("2+2\n");
    const out = await b.waitFor("=4");
    expect(out).not.toContain("=3");
    expect(b.repl.line).toBe("");
  });

  it("LoopbackA takes the console over: data events get the bytes, Ctrl-C included; setConsole gives it back", async () => {
    const b = await board();
    b.write("1+1\n");
    await b.waitFor("=2");
    // with echo on, the move is announced on both devices: "-> LoopbackA" is what the board's own console shows
    b.write('var got="";Bluetooth.on("data",function(d){got+=d;});LoopbackA.setConsole(true)\n');
    expect(await b.waitFor("-> LoopbackA")).toContain("-> LoopbackA");
    await b.runFor(0.01);
    expect(b.consoleName()).toBe("LoopbackA");
    b.write("ab\x03c");
    await b.runFor(0.01);
    expect(b.evalJs("got")).toBe("ab\x03c");
    b.evalJs('Bluetooth.removeAllListeners("data");Bluetooth.setConsole()');
    expect(b.consoleName()).toBe("Bluetooth");
    b.write("\x10print(got.length)\n");
    expect(await b.waitFor("4\r\n")).toContain("4\r\n");
  });
});

describe("programs on the simulated board", () => {
  it("runs Python through espy.run with its output, and process.memory() uses the profile's blocks", async () => {
    const b = await board();
    const r = await b.runProgram(py("import sys\nprint('hi', sys.platform, 6 * 7)\n"));
    expect(r).toEqual({ code: 0, output: "hi espruino 42\r\n", timedOut: false });
    const m = b.memory();
    expect(m.blocksize).toBe(13);
    expect(m.total - m.usage).toBe(m.free);
    expect(m.free).toBeLessThan(2630);
  });

  it("time.sleep costs no wall time under the virtual clock and board time is exact", async () => {
    const b = await board();
    const r = await b.runProgram(py("import time\nt = time.ticks_ms()\ntime.sleep(10)\nprint(time.ticks_diff(time.ticks_ms(), t))\n"));
    expect(r.output).toBe("10000\r\n");
    expect(b.now()).toBeGreaterThanOrEqual(10);
    expect(b.now()).toBeLessThan(10.1);
  });

  it("the blink example toggles LED1 every 0.5 s of board time (espy run --board puck --virtual-clock)", async () => {
    let out = "";
    let err = "";
    const code = await simRun(path.join(root, "examples/blink.py"), { board: "puck", virtualClock: true, out: (s) => (out += s), err: (s) => (err += s) });
    expect(code).toBe(0);
    expect(out).toBe("blinked 3 times\n");
    const trace = err.split("\n").filter((l) => /LED1/.test(l)).map((l) => l.trim());
    expect(trace).toEqual([
      "0.000  LED1 (D5) 1", "0.500  LED1 (D5) 0", "1.000  LED1 (D5) 1", "1.500  LED1 (D5) 0", "2.000  LED1 (D5) 1", "2.500  LED1 (D5) 0",
    ]);
  });

  it("a button pressed from the host wakes a pin irq; the trace says who drove the pin", async () => {
    const b = await board();
    const src =
      "from machine import Pin\nimport time\nhits = []\nbtn = Pin('BTN1', Pin.IN)\n" +
      "btn.irq(lambda p: hits.append(time.ticks_ms()), Pin.IRQ_RISING)\n" +
      "while not hits:\n    time.sleep_ms(10)\nprint('pressed at', hits[0] // 100 * 100)\n";
    b.at(1.5, () => b.press("BTN1", 100));
    const r = await b.runProgram(py(src), { seconds: 5 });
    expect(r.timedOut).toBe(false);
    expect(r.output).toBe("pressed at 1500\r\n");
    await b.runFor(0.5); // the release at 1.6 s
    expect(b.traceText((e) => e.name === "BTN1" && e.kind === "in").trim().split("\n").map((l) => l.trim())).toEqual(["1.500  BTN1 (D0) <- 1", "1.600  BTN1 (D0) <- 0"]);
  });

  it("the I2C temperature sensor answers at 0x48 with what the host sets", async () => {
    const b = await board("pico");
    b.tempSensor!.temperature = -12.5;
    const prog = compileProgram(path.join(root, "examples/thermo.py"));
    const mods = { "thermo.mpb": py(prog.sources["thermo.py"], "thermo.py") };
    const r = await b.runProgram(py("from machine import I2C\nimport thermo\ni2c = I2C(1)\nprint(i2c.scan(), thermo.read_temperature(i2c))\n"), { modules: mods });
    expect(r.output).toBe("[72] -12.5\r\n");
    expect(b.trace.some((e) => e.kind === "i2c")).toBe(true);
  });

  it("ADC reads the level the host sets; PWM duty and frequency go into the trace", async () => {
    const b = await board();
    b.setAnalog("D2", 0.25);
    const src = "from machine import ADC, PWM, Pin\nprint(ADC(Pin('D2')).read_u16())\np = PWM(Pin('D3'), freq=1000, duty_u16=32768)\n";
    const r = await b.runProgram(py(src));
    expect(r.output).toBe("16384\r\n");
    const pwm = b.trace.filter((e) => e.kind === "pwm" && e.pin === "D3");
    expect(pwm.length).toBe(1);
    expect(pwm[0].value).toBeCloseTo(0.5, 3);
    expect(pwm[0].detail).toBe("1000");
  });

  it("the profile's heap decides MemoryError: 24 KB of list fails on a Puck.js and fits a Bangle.js 2", async () => {
    const src = "try:\n    x = [0] * 6000\n    print('ok', len(x))\nexcept MemoryError:\n    print('MemoryError')\n";
    const puck = await board("puck");
    expect((await puck.runProgram(py(src))).output).toBe("MemoryError\r\n");
    const bangle = await board("bangle2");
    expect((await bangle.runProgram(py(src))).output).toBe("ok 6000\r\n");
  });

  it("a program whose names alone fill the heap ends in MemoryError with exit status 1 (no JS exception escapes)", async () => {
    const src = Array.from({ length: 150 }, (_, i) => `v${i} = ${i}`).join("\n") + "\nprint(v149)\n";
    const r = await (await board("puck")).runProgram(py(src));
    expect(r.output).toBe("MemoryError\r\n");
    expect(r.code).toBe(1);
    expect((await (await board("bangle2")).runProgram(py(src))).output).toBe("149\r\n");
  });

  it("exec() on a lean board without room for the compiler part is a MemoryError, not Espruino out of memory", async () => {
    const src = "try:\n    exec('print(1)')\nexcept MemoryError as e:\n    print('MemoryError:', e)\n";
    const puck = await board("puck");
    expect((await puck.runProgram(py(src))).output).toMatch(/^MemoryError: no room to load espy-cc\.js: it needs about \d+ blocks, \d+ are free\r\n$/);
    const wifi = await board("wifi");
    expect((await wifi.runProgram(py(src))).output).toBe("1\r\n");
  });
});

describe("espy test", () => {
  it("runs the example tests: all pass, exit status 0", async () => {
    let out = "";
    const r = await simTest(path.join(root, "examples/tests"), { board: "puck", out: (s) => (out += s), err: (s) => (out += s) });
    expect(r.code).toBe(0);
    expect(r.files).toBe(2);
    expect(r.tests).toBe(10);
    expect(out).toContain("test_ends_where_it_started (TestBlink) ... ok");
    expect(out).toMatch(/Ran 7 tests\n\nOK\n/);
    expect(out).toContain("espy test: all 2 files OK (10 tests)");
  });

  it("reports failures and errors with tracebacks and source lines; exit status 1", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "espy-test-"));
    fs.writeFileSync(path.join(dir, "calc.py"), "def add(a, b):\n    return a - b\n");
    fs.writeFileSync(
      path.join(dir, "test_calc.py"),
      "import unittest\nimport calc\n\nclass T(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(calc.add(2, 2), 4)\n\n" +
        "    def test_div(self):\n        1 // 0\n\n    def test_ok(self):\n        self.assertTrue(calc.add(1, 1) == 0)\n\nunittest.main()\n",
    );
    fs.writeFileSync(path.join(dir, "test_fine.py"), "import unittest\n\nclass U(unittest.TestCase):\n    def test_x(self):\n        self.assertIn(1, [1])\n\nunittest.main()\n");
    let out = "";
    const r = await simTest(dir, { board: "puck", out: (s) => (out += s), err: (s) => (out += s) });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(1);
    expect(r.failedFiles.map((f) => path.basename(f))).toEqual(["test_calc.py"]);
    expect(out).toContain("test_add (T) ... FAIL");
    expect(out).toContain("test_div (T) ... ERROR");
    expect(out).toContain("test_ok (T) ... ok");
    expect(out).toContain(
      'FAIL: test_add (T)\n----------------------------------------------------------------------\nTraceback (most recent call last):\n',
    );
    expect(out).toContain('  File "test_calc.py", line 6, in test_add\n    self.assertEqual(calc.add(2, 2), 4)\n');
    expect(out).toContain("AssertionError: 0 != 4\n");
    expect(out).toContain('  File "test_calc.py", line 9, in test_div\n    1 // 0\nZeroDivisionError');
    expect(out).toContain("FAILED (failures=1, errors=1)");
    expect(out).toMatch(/Ran 1 tests\n\nOK\n/); // MicroPython's wording
    expect(out).toContain("espy test: 1 of 2 files FAILED (4 tests ran)");
  });

  it("puts source lines under traceback entries it knows", () => {
    const tb = 'Traceback (most recent call last):\n  File "a.py", line 2, in f\n  File "<frozen unittest>", line 9, in g\nValueError\n';
    expect(withSourceLines(tb, { "a.py": "x = 1\n  raise ValueError\n" })).toBe(
      'Traceback (most recent call last):\n  File "a.py", line 2, in f\n    raise ValueError\n  File "<frozen unittest>", line 9, in g\nValueError\n',
    );
  });
});

describe("the commands (dist/cli.js)", () => {
  const cli = (args: string[]) => spawnSync(process.execPath, [path.join(root, "dist", "cli.js")].concat(args), { cwd: root, encoding: "utf8" });

  it("espy run --board: output on stdout, the pin trace on stderr, the program's exit status", () => {
    const r = cli(["run", "examples/blink.py", "--board", "puck", "--virtual-clock"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("blinked 3 times\n");
    expect(r.stderr).toContain("--- pin trace (puck, seconds since power-on, virtual clock) ---\n    0.000  LED1 (D5) 1\n    0.500  LED1 (D5) 0\n");
    const bad = cli(["run", "examples/tests/test_thermo.py", "--board", "nosuch"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("no board profile 'nosuch'");
  });

  it("espy test: exit status 0 when the tests pass, 1 when one fails", () => {
    expect(cli(["test", "examples/tests"]).status).toBe(0);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "espy-test-cli-"));
    fs.writeFileSync(path.join(dir, "test_no.py"), "import unittest\n\nclass N(unittest.TestCase):\n    def test_no(self):\n        self.assertFalse(True)\n\nunittest.main()\n");
    const r = cli(["test", dir]);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("AssertionError: True is not false\n");
  });
});
