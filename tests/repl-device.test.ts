// The device REPL (boards/espruino/repl.ts) in the built runtime, driven byte by byte on an imitation of Espruino's
// console (tests/repl-helpers.ts): prompts, blocks and auto-indent, KeyboardInterrupt, soft reset, paste mode, raw and
// raw-paste modes with MicroPython's framing and flow control, espy's raw-paste commands, completion, line editing,
// ESC ESC DLE, Ctrl-Z on LINUX boards, both images.
import { describe, it, expect, beforeAll, afterEach } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { compile, serialize } from "../core/index";
import { FakeBoard, Driver, DEVICE_DIR, rawPasteWrite, rawPasteWrite2, rawResult } from "./repl-helpers";
import { needsMore, indentAfter } from "../boards/espruino/repl";

beforeAll(() => {
  if (!existsSync(join(DEVICE_DIR, "espy.js"))) execFileSync(process.execPath, [join(resolve(__dirname, ".."), "scripts/build.mjs"), "--quiet"]);
});

const boards: FakeBoard[] = [];
afterEach(async () => {
  for (const b of boards.splice(0)) await b.close();
});

/** A board with the REPL started; the driver has read its banner and first prompt. */
async function start(opts: { image?: string; board?: string; files?: { [n: string]: Uint8Array }; freeBlocks?: number } = {}): Promise<{ b: FakeBoard; d: Driver; banner: string }> {
  const b = new FakeBoard(opts);
  boards.push(b);
  const d = new Driver(b);
  b.write("\x10espy.repl()\n");
  const banner = await d.until(">>> ");
  return { b, d, banner };
}

/** The lines of a friendly-mode exchange, without the echo's cursor codes. */
const clean = (s: string) => s.replace(/\r\n/g, "\n");

describe("continuation rule", () => {
  it("needs more lines for open brackets, triple quotes, backslashes and compound statements until a blank line", () => {
    expect(needsMore("1 + 1")).toBe(false);
    expect(needsMore("x = (1,")).toBe(true);
    expect(needsMore("x = (1,\n2)")).toBe(false);
    expect(needsMore("s = '''abc")).toBe(true);
    expect(needsMore("s = '''abc\ndef'''")).toBe(false);
    expect(needsMore("s = '('")).toBe(false);
    expect(needsMore("x = 1 # (")).toBe(false);
    expect(needsMore("x = 1 + \\")).toBe(true);
    expect(needsMore("def f():")).toBe(true);
    expect(needsMore("def f():\n    return 1")).toBe(true);
    expect(needsMore("def f():\n    return 1\n")).toBe(false);
    expect(needsMore("def f():\n    return 1\n    ")).toBe(false);
    expect(needsMore("if x: y()")).toBe(true);
    expect(needsMore("@dec")).toBe(true);
    expect(needsMore("iffy = 1")).toBe(false);
    expect(needsMore("   ")).toBe(false);
  });

  it("auto-indents after a colon, keeps the indent, dedents after return/pass/break/continue/raise", () => {
    expect(indentAfter("def f(x):")).toBe("    ");
    expect(indentAfter("    if x:  # comment")).toBe("        ");
    expect(indentAfter("    y = 1")).toBe("    ");
    expect(indentAfter("        return x")).toBe("    ");
    expect(indentAfter("    pass")).toBe("");
    expect(indentAfter("x = 1")).toBe("");
  });
});

describe("device REPL, friendly mode", () => {
  it("prints a banner and prompts, evaluates expressions and keeps the last value as _", async () => {
    const { d, banner } = await start();
    expect(banner).toMatch(/^espy .* on Espruino 2v29; ESPY_TEST, full image\r\n/);
    expect(banner).toContain("Ctrl-D soft reset, Ctrl-E paste mode, Esc Esc Ctrl-P back to Espruino's JS console");
    expect(clean(await d.ask("6 * 7\r", ">>> "))).toBe("6 * 7\n42\n>>> ");
    expect(clean(await d.ask("_ + 1\r", ">>> "))).toBe("_ + 1\n43\n>>> ");
    expect(clean(await d.ask("None\r", ">>> "))).toBe("None\n>>> ");
    expect(clean(await d.ask("\r", ">>> "))).toBe("\n>>> ");
    // UTF-8 bytes in, echoed as they came
    const u = Buffer.from("s = 'é'", "utf8").toString("latin1");
    expect(clean(await d.ask(u + "\r", ">>> "))).toBe(u + "\n>>> ");
    expect(clean(await d.ask("len(s)\r", ">>> "))).toBe("len(s)\n1\n>>> ");
  });

  it("takes a multi-line function definition with auto-indent and a blank line to finish", async () => {
    const { d } = await start();
    let s = clean(await d.ask("def f(n):\r", "...     "));
    expect(s).toBe("def f(n):\n...     ");
    // the auto-indent is on the line already: type the body without it
    s = clean(await d.ask("if n < 2:\r", "...         "));
    expect(s).toBe("if n < 2:\n...         ");
    s = clean(await d.ask("return n\r", "...     "));
    expect(s).toBe("return n\n...     ");
    s = clean(await d.ask("return f(n - 1) + f(n - 2)\r", "... "));
    expect(s).toBe("return f(n - 1) + f(n - 2)\n... ");
    expect(clean(await d.ask("\r", ">>> "))).toBe("\n>>> ");
    expect(clean(await d.ask("[f(i) for i in range(10)]\r", ">>> "))).toBe("[f(i) for i in range(10)]\n[0, 1, 1, 2, 3, 5, 8, 13, 21, 34]\n>>> ");
  });

  it("pasted indented lines keep their own indentation (a space after auto-indent drops it)", async () => {
    const { d } = await start();
    await d.ask("for i in range(2):\r", "...     ");
    await d.ask("    print(i * 10)\r", "...     ");
    expect(clean(await d.ask("\r", ">>> "))).toBe("\n0\n10\n>>> ");
  });

  it("Ctrl-C raises KeyboardInterrupt out of while True: pass, and the REPL goes on with its state", async () => {
    const { d } = await start();
    await d.ask("n = 5\r", ">>> ");
    await d.ask("while True: pass\r", "... ");
    d.send("\r");
    await new Promise((r) => setTimeout(r, 100));
    const s = clean(await d.ask("\x03", ">>> "));
    expect(s).toBe('\nTraceback (most recent call last):\n  File "<stdin>", line 1, in <module>\n    while True: pass\nKeyboardInterrupt\n>>> ');
    expect(clean(await d.ask("n\r", ">>> "))).toBe("n\n5\n>>> ");
    // in a sleep too
    await d.ask("import time\r", ">>> ");
    d.send("time.sleep(30)\r");
    await d.until("time.sleep(30)\r\n");
    await new Promise((r) => setTimeout(r, 50));
    expect(clean(await d.ask("\x03", ">>> "))).toMatch(/KeyboardInterrupt\n>>> $/);
  });

  it("three Ctrl-Cs within two seconds abandon an entry that catches KeyboardInterrupt", async () => {
    const { d } = await start();
    d.send("while True:\r");
    await d.until("...     ");
    d.send("try:\r");
    await d.until("...         ");
    d.send("time_waster = [i for i in range(10)]\r");
    await d.until("...         ");
    d.send("\bexcept KeyboardInterrupt:\r");
    await d.until("...         ");
    d.send("pass\r");
    await d.until("... ");
    d.send("\r");
    await new Promise((r) => setTimeout(r, 50));
    d.send("\x03");
    await new Promise((r) => setTimeout(r, 30));
    d.send("\x03");
    await new Promise((r) => setTimeout(r, 30));
    expect(clean(await d.ask("\x03", ">>> "))).toMatch(/espy: stopped\n>>> $/);
    expect(clean(await d.ask("1\r", ">>> "))).toBe("1\n1\n>>> ");
  });

  it("Ctrl-D soft-resets: a fresh VM, the banner again", async () => {
    const { d } = await start();
    await d.ask("x = 1\r", ">>> ");
    const s = clean(await d.ask("\x04", ">>> "));
    expect(s).toMatch(/^\nespy: soft reboot\nespy .* full image\n.*\n>>> $/);
    expect(clean(await d.ask("x\r", ">>> "))).toContain("NameError: name 'x' is not defined");
    // sys.exit() soft-resets too
    expect(clean(await d.ask("import sys; sys.exit()\r", ">>> "))).toContain("espy: soft reboot");
  });

  it("Ctrl-C drops the line or the block being entered; Ctrl-D on an empty continuation line runs the block", async () => {
    const { d } = await start();
    expect(clean(await d.ask("abc\x03", ">>> "))).toBe("abc\n>>> ");
    await d.ask("if True:\r", "...     ");
    expect(clean(await d.ask("\x03", ">>> "))).toBe("\n>>> ");
    await d.ask("x = [1,\r", "... ");
    expect(clean(await d.ask("\x04", ">>> "))).toMatch(/SyntaxError/);
  });

  it("paste mode (Ctrl-E) runs the pasted text as a file; Ctrl-C cancels it", async () => {
    const { d } = await start();
    let s = clean(await d.ask("\x05", "=== "));
    expect(s).toBe("\npaste mode; Ctrl-C to cancel, Ctrl-D to finish\n=== ");
    s = clean(await d.ask("def g():\r\n    return 'pasted'\r\nfor i in range(2):\r\n    print(g(), i)\r\n\x04", ">>> "));
    expect(s).toBe("def g():\n===     return 'pasted'\n=== for i in range(2):\n===     print(g(), i)\n=== \npasted 0\npasted 1\n>>> ");
    await d.ask("\x05", "=== ");
    expect(clean(await d.ask("print('no')\x03", ">>> "))).toBe("print('no')\n>>> ");
  });

  it("reports syntax errors with a caret and runtime errors with a traceback", async () => {
    const { d } = await start();
    expect(clean(await d.ask("x = = 1\r", ">>> "))).toBe('x = = 1\n  File "<stdin>", line 1\n    x = = 1\n        ^\nSyntaxError: invalid syntax\n>>> ');
    await d.ask("def bad():\r", "...     ");
    await d.ask("return 1 / 0\r", "... ");
    await d.ask("\r", ">>> ");
    expect(clean(await d.ask("bad()\r", ">>> "))).toBe(
      'bad()\nTraceback (most recent call last):\n  File "<stdin>", line 1, in <module>\n    bad()\n  File "<stdin>", line 2, in bad\n    return 1 / 0\nZeroDivisionError: division by zero\n>>> ',
    );
  });

  it("completes names with Tab: one match, a common prefix, a list; attributes; four spaces after whitespace", async () => {
    const { d } = await start();
    await d.ask("import sys\r", ">>> ");
    await d.ask("value_one = 1; value_two = 2\r", ">>> ");
    expect(await d.ask("pri\t", "pri" + "nt")).toBe("print");
    d.send("\x03");
    await d.until(">>> ");
    expect(await d.ask("val\t", "ue_")).toBe("value_");
    // two matches left: Tab lists them, then the prompt and the line again
    const list = clean(await d.ask("\t", ">>> value_"));
    expect(list).toBe("\nvalue_one       value_two\n\r>>> value_");
    d.send("\x03");
    await d.until(">>> ");
    expect(await d.ask("sys.pa\t", "th")).toBe("sys.path");
    d.send("\x03");
    await d.until(">>> ");
    expect(await d.ask("sys.ver\t", "sion")).toBe("sys.version");
    d.send("\x03");
    await d.until(">>> ");
    expect(await d.ask("x = \t", "x =     ")).toBe("x =     ");
    d.send("\x03");
    await d.until(">>> ");
    // a completion of an object's attributes calls nothing the user would notice
    await d.ask("class C:\r", "...     ");
    await d.ask("attr_a = 1\r", "...     ");
    await d.ask("\r", ">>> ");
    expect(await d.ask("C.at\t", "tr_a")).toBe("C.attr_a");
  });

  it("edits the line: cursor keys, backspace, Home/End, history", async () => {
    const { d } = await start();
    const P = "\n>>> "; // the prompt of a new entry, not a redraw of the line
    await d.ask("1 + 2\r", P);
    // Home, right, insert; End, backspace; left twice and right once
    expect(clean(await d.ask("10 + 2\x1b[H\x1b[C0\x1b[F\x7f5\r", P))).toMatch(/\n105\n>>> $/);
    expect(clean(await d.ask("3 * 3\x1b[D\x1b[D\x7f+\r", P))).toMatch(/\n6\n>>> $/);
    // up: earlier lines again (a repeated line is kept once)
    expect(clean(await d.ask("\x1b[A\r", P))).toMatch(/\n6\n>>> $/);
    expect(clean(await d.ask("\x1b[A\x1b[A\r", P))).toMatch(/\n105\n>>> $/);
    expect(clean(await d.ask("\x1b[A\x1b[A\x1b[A\x1b[A\x1b[B\x1b[A\r", P))).toMatch(/\n3\n>>> $/);
    // Home, then insert
    expect(clean(await d.ask("2)\x1b[H(\x1b[F * 3\r", P))).toMatch(/\n6\n>>> $/);
    // Ctrl-U kills to the start, Ctrl-K to the end
    expect(clean(await d.ask("junk\x157 * 7\r", P))).toMatch(/\n49\n>>> $/);
    expect(clean(await d.ask("8junk\x1b[D\x1b[D\x1b[D\x1b[D\x0b\r", P))).toMatch(/\n8\n>>> $/);
  });

  it("input() waits for a typed line: echoed, backspace edits it, cursor keys are dropped", async () => {
    const { b, d } = await start();
    expect(clean(await d.ask("print('hello', input('name? '))\r", "\r\nname? "))).toBe("print('hello', input('name? '))\nname? ");
    // the entry is suspended, not polling: no timer is set while it waits
    expect((b as any).timers.size).toBe(0);
    d.send("Adx\x7f");
    expect(await d.until("\b \b")).toBe("Adx\b \b");
    d.send("a\x1b[D\x1b[A\r");
    expect(clean(await d.until(">>> "))).toBe("a\nhello Ada\n>>> ");
    // in a function, several times, with "\r\n" line ends; a UTF-8 character is one backspace
    await d.ask("def ask(n):\r", "...     ");
    await d.ask("return [input(str(i) + '> ') for i in range(n)]\r", "... ");
    await d.ask("\r", ">>> ");
    d.send("ask(3)\r");
    await d.until("0> ");
    d.send("first\r\n");
    await d.until("1> ");
    d.send(Buffer.from("xé", "utf8").toString("latin1") + "\x7f\r\n");
    await d.until("2> ");
    d.send("\r");
    expect(clean(await d.until(">>> "))).toBe("\n['first', 'x', '']\n>>> ");
    // sys.stdin.readline() keeps the line end
    d.send("import sys; sys.stdin.readline()\r");
    await d.until("readline()\r\n");
    expect(clean(await d.ask("line\r", ">>> "))).toBe("line\n'line\\n'\n>>> ");
  });

  it("input(): Ctrl-C is KeyboardInterrupt, Ctrl-D on an empty line EOFError; lines typed ahead are read and echoed", async () => {
    const { d } = await start();
    await d.ask("x = input()\r", "x = input()\r\n");
    d.send("abc");
    await d.until("abc");
    expect(clean(await d.ask("\x03", ">>> "))).toMatch(/^\nTraceback \(most recent call last\):\n.*\n.*\nKeyboardInterrupt\n>>> $/);
    await d.ask("x = input()\r", "x = input()\r\n");
    // Ctrl-D ends nothing while the line has text
    d.send("z\x04\x7f");
    await d.until("\b \b");
    expect(clean(await d.ask("\x04", ">>> "))).toMatch(/EOFError: EOF when reading a line\n>>> $/);
    // typed during a sleep: the first line is input()'s (shown after its prompt), the rest goes to the next prompt
    await d.ask("import time\r", ">>> ");
    d.send("time.sleep_ms(300); print('got', input('? '))\r");
    await d.until("\r\n");
    d.send("he\x7fi\x1b[D there\r6 * 7\r");
    expect(clean(await d.until(/42\r\n>>> /))).toBe("? hi there\ngot hi there\n>>> 6 * 7\n42\n>>> ");
    // the start of a line typed ahead stays when input() begins to wait
    d.send("time.sleep_ms(150); print('got', input('? '))\r");
    await d.until("\r\n");
    d.send("par");
    expect(await d.until("? par")).toBe("? par");
    expect(clean(await d.ask("t\r", ">>> "))).toBe("t\ngot part\n>>> ");
  });

  it("input() called by native code cannot wait: EOFError (map(input, …), a key function)", async () => {
    const { d } = await start();
    expect(clean(await d.ask("list(map(input, ['a? ']))\r", ">>> "))).toMatch(/EOFError: EOF when reading a line\n>>> $/);
    expect(clean(await d.ask("sorted([1, 2], key=lambda k: input())\r", ">>> "))).toMatch(/EOFError: EOF when reading a line\n>>> $/);
  });

  it("input() in raw mode reads without echo", async () => {
    const { d } = await start();
    await d.ask("\x01", ">");
    d.send("print('got', input('? '))\x04");
    await d.until("OK? ");
    d.send("raw\r");
    expect(await rawResult(d)).toEqual({ out: "got raw\r\n", err: "" });
  });

  it("Esc Esc Ctrl-P gives the console back to Espruino's JS REPL; espy.repl() comes back with a fresh VM", async () => {
    const { b, d } = await start();
    await d.ask("x = 1\r", ">>> ");
    d.send("\x1b\x1b\x10");
    await new Promise((r) => setTimeout(r, 30));
    expect(b.g.E.getConsole()).toBe("USB");
    b.write('\x10print("ESPY"+"SYNC")\n');
    await d.until("ESPYSYNC");
    // what follows ESC ESC DLE in the same chunk is Espruino's (given to it with inject)
    b.write("\x10espy.repl()\n");
    await d.until(">>> ");
    b.write('\x1b\x1b\x10\x10print("SAME"+"CHUNK")\n');
    await d.until("SAMECHUNK");
    b.write("\x10espy.repl()\n");
    await d.until(">>> ");
    expect(clean(await d.ask("x\r", ">>> "))).toContain("NameError");
    // arrow keys still work (ESC sequences are not the escape)
    expect(clean(await d.ask("12\x1b[D3\r", "\n>>> "))).toMatch(/\n132\n>>> $/);
  });

  it("Esc Esc Ctrl-P stops a running program too, and what follows it in the chunk goes to Espruino", async () => {
    const img = serialize(compile("import time\nprint('running')\ntime.sleep(60)\nprint('not reached')", "main.py", "exec", 0), false);
    const b = new FakeBoard({ files: { "main.mpb": img } });
    boards.push(b);
    const d = new Driver(b);
    b.write('\x10espy.run("main.mpb", {heap: 65536, frame: 4096, margin: 100, con: "USB", btn: "", blocks: 0}, function (c) { print("EXIT " + c); })\n');
    await d.until("running");
    b.write('\x1b\x1b\x10\x10print("SAME"+"CHUNK")\n');
    const out = await d.until("SAMECHUNK");
    expect(out).toContain("EXIT 130");
    expect(out).not.toContain("not reached");
    expect(b.g.E.getConsole()).toBe("USB");
  });
});

describe("device REPL, raw modes (MicroPython's protocol)", () => {
  it("raw mode: Ctrl-A enters, Ctrl-D runs (OK, stdout 04 stderr 04 >), Ctrl-C clears, Ctrl-B leaves", async () => {
    const { d } = await start();
    // how mpremote enters: \r\x03 then \r\x01
    d.send("\r\x03");
    await new Promise((r) => setTimeout(r, 30));
    d.buf = "";
    expect(await d.ask("\r\x01", "raw REPL; CTRL-B to exit\r\n>")).toMatch(/raw REPL; CTRL-B to exit\r\n>$/);
    d.send("print('hi', 6 * 7)\nx = 5\x04");
    expect(await d.until("OK")).toBe("OK");
    expect(await rawResult(d)).toEqual({ out: "hi 42\r\n", err: "" });
    d.send("print(x)\n1 / 0\x04");
    await d.until("OK");
    const r = await rawResult(d);
    expect(r.out).toBe("5\r\n");
    expect(r.err).toBe('Traceback (most recent call last):\r\n  File "<stdin>", line 2, in <module>\r\n    1 / 0\r\nZeroDivisionError: division by zero\r\n');
    // a syntax error is reported the same way
    d.send("x = (\x04");
    await d.until("OK");
    expect((await rawResult(d)).err).toMatch(/SyntaxError/);
    // expressions are not echoed in raw mode; Ctrl-C throws away what was typed
    d.send("garbage(\x03x\x04");
    await d.until("OK");
    expect(await rawResult(d)).toEqual({ out: "", err: "" });
    // Ctrl-A again: the raw banner; Ctrl-B: the friendly REPL
    expect(await d.ask("\x01", "raw REPL; CTRL-B to exit\r\n>")).toBe("raw REPL; CTRL-B to exit\r\n>");
    expect(clean(await d.ask("\x02", ">>> "))).toMatch(/^\nespy .*\n.*\n>>> $/);
    expect(clean(await d.ask("x\r", ">>> "))).toBe("x\n5\n>>> ");
  });

  it("raw mode: Ctrl-C interrupts a running command; an empty Ctrl-D soft-resets (mpremote's handshake)", async () => {
    const { d } = await start();
    await d.ask("\x01", ">");
    d.send("y = 1\nwhile True:\n    pass\x04");
    await d.until("OK");
    await new Promise((r) => setTimeout(r, 50));
    d.send("\x03");
    const r = await rawResult(d);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/KeyboardInterrupt\r\n$/);
    expect(await d.ask("\x04", "raw REPL; CTRL-B to exit\r\n>")).toBe("OK\r\nespy: soft reboot\r\nraw REPL; CTRL-B to exit\r\n>");
    d.send("print(y)\x04");
    await d.until("OK");
    expect((await rawResult(d)).err).toMatch(/NameError/);
  });

  it("raw-paste mode: R\\x01, the window, \\x01 per window consumed, \\x04 at the end, with a window smaller than the input", async () => {
    const { d } = await start();
    await d.ask("\x01", ">");
    const lines: string[] = [];
    for (let i = 0; i < 40; i++) lines.push(`v${i} = ${i} * 2  # a line long enough to fill windows`);
    lines.push("print(sum([" + lines.map((_, i) => "v" + i).join(", ") + "]))");
    const src = lines.join("\n");
    const st = await rawPasteWrite(d, src, "\x04");
    expect(st.window).toBe(128);
    expect(src.length).toBeGreaterThan(10 * st.window);
    expect(st.acks).toBeGreaterThanOrEqual(Math.floor(src.length / st.window) - 1);
    expect(st.maxInFlight).toBeLessThanOrEqual(2 * st.window);
    expect(await rawResult(d)).toEqual({ out: String(2 * ((39 * 40) / 2)) + "\r\n", err: "" });
    // Ctrl-C while pasting: the board ends it with 04 and reports KeyboardInterrupt; the host's 04 is swallowed
    d.send("\x05A\x01");
    await d.until(/R\x01[\s\S]{3}/);
    d.send("print('never')\x03");
    expect(await d.until("\x04")).toBe("\x04");
    const r = await rawResult(d);
    expect(r.err).toContain("KeyboardInterrupt");
    d.send("\x04");
    d.send("print('still raw')\x04");
    await d.until("OK");
    expect((await rawResult(d)).out).toBe("still raw\r\n");
    // an unknown command letter: R\x00
    d.send("\x05Z\x01");
    expect(await d.until(/R[\x00\x01]/)).toBe("R\x00");
  });

  it("espy's raw-paste commands: S runs source as a REPL entry, B runs bytecode from the host, C completes", async () => {
    const { d } = await start();
    await d.ask("\x01", ">");
    // S: expression values are printed and kept as _
    await rawPasteWrite2(d, "S", "21 * 2");
    expect(await rawResult(d)).toEqual({ out: "42\r\n", err: "" });
    await rawPasteWrite2(d, "S", "_ + 1");
    expect((await rawResult(d)).out).toBe("43\r\n");
    // B: a base64 image compiled on the host, run in the same globals
    let img = serialize(compile("def host_fn():\n    return _ * 2\n", "<stdin:1>", "single", 0), false);
    await rawPasteWrite2(d, "B", Buffer.from(img).toString("base64"));
    expect(await rawResult(d)).toEqual({ out: "", err: "" });
    img = serialize(compile("host_fn()", "<stdin:2>", "single", 0), false);
    await rawPasteWrite2(d, "B", Buffer.from(img).toString("base64"));
    expect((await rawResult(d)).out).toBe("86\r\n");
    await rawPasteWrite2(d, "B", "not an image");
    expect((await rawResult(d)).err).toMatch(/espy: bad/);
    // C: completion candidates, one a line
    await rawPasteWrite2(d, "C", "x = host_");
    expect((await rawResult(d)).out).toBe("host_fn");
    await rawPasteWrite2(d, "S", "import sys");
    await rawResult(d);
    await rawPasteWrite2(d, "C", "x = sys.std");
    expect((await rawResult(d)).out).toBe("stderr\nstdin\nstdout");
  });
});

describe("device REPL on a LINUX board (Espruino's Linux build exits on byte 04)", () => {
  it("Ctrl-Z does Ctrl-D's jobs: soft reset, end of paste mode, execute in raw mode and raw-paste", async () => {
    const { d, banner } = await start({ board: "LINUX" });
    expect(banner).toContain("Ctrl-Z soft reset");
    await d.ask("x = 1\r", ">>> ");
    expect(clean(await d.ask("\x1a", ">>> "))).toContain("espy: soft reboot");
    expect(clean(await d.ask("\x05", "=== "))).toContain("Ctrl-Z to finish");
    expect(clean(await d.ask("print('pz')\r\x1a", ">>> "))).toContain("pz\n");
    await d.ask("\x01", ">");
    d.send("print('rz')\x1a");
    await d.until("OK");
    expect((await rawResult(d)).out).toBe("rz\r\n");
    await rawPasteWrite(d, "print('rpz')", "\x1a");
    expect((await rawResult(d)).out).toBe("rpz\r\n");
    expect(await d.ask("\x1a", "raw REPL; CTRL-B to exit\r\n>")).toContain("soft reboot");
  });
});

describe("device REPL on the lean image", () => {
  it("without espy-cc.js it says to compile on the host, and runs bytecode sent with B", async () => {
    const { d, banner } = await start({ image: "espy.js" });
    expect(banner).toContain("lean image (no compiler: use espy repl --port)");
    expect(clean(await d.ask("1 + 1\r", ">>> "))).toContain("no compiler on this board");
    await d.ask("\x01", ">");
    const img = serialize(compile("[i * i for i in range(5)]", "<stdin:0>", "single", 0), false);
    await rawPasteWrite2(d, "B", Buffer.from(img).toString("base64"));
    expect(await rawResult(d)).toEqual({ out: "[0, 1, 4, 9, 16]\r\n", err: "" });
    await rawPasteWrite2(d, "C", "pri");
    expect((await rawResult(d)).out).toBe("print");
  });

  it("with espy-cc.js in Storage it compiles on the board", async () => {
    const cc = new Uint8Array(readFileSync(join(DEVICE_DIR, "espy-cc.js")));
    const { d, banner } = await start({ image: "espy.js", files: { "espy-cc.js": cc } });
    expect(banner).toMatch(/lean image\r\n/);
    expect(clean(await d.ask("2 ** 10\r", ">>> "))).toBe("2 ** 10\n1024\n>>> ");
  });

  it("with espy-cc.js but no room for it, it says so and to compile on the host, and goes on", async () => {
    const cc = new Uint8Array(readFileSync(join(DEVICE_DIR, "espy-cc.js")));
    const need = +(/^\/\*blocks:(\d+)\*\//.exec(Buffer.from(cc.subarray(0, 24)).toString("latin1")) || [])[1];
    expect(need).toBeGreaterThan(500);
    const { d } = await start({ image: "espy.js", files: { "espy-cc.js": cc }, freeBlocks: need });
    const s = clean(await d.ask("1 + 1\r", ">>> "));
    expect(s).toContain("espy: no room to load espy-cc.js: it needs about " + (need + 150) + " blocks");
    expect(s).toContain("use `espy repl --port`, which compiles on the host");
    await d.ask("\x01", ">");
    const img = serialize(compile("6 * 7", "<stdin:0>", "single", 0), false);
    await rawPasteWrite2(d, "B", Buffer.from(img).toString("base64"));
    expect(await rawResult(d)).toEqual({ out: "42\r\n", err: "" });
  });
});
