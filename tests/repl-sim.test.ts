// The device REPL through a pseudo-terminal, as a person's terminal or mpremote reaches a board: against `espy sim`
// (the built CLI: a full-image board, a lean-image board with the compiler part, and the Linux profile, where Ctrl-Z
// does Ctrl-D's jobs), and, with ESPRUINO naming an Espruino executable (its Linux build), against Espruino itself
// behind socat. Prompts, a multi-line function definition, KeyboardInterrupt out of `while True: pass`, soft reset,
// paste mode, input(), raw mode and raw-paste with a window smaller than the input.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { haveSocat } from "../boards/sim/index";
import { Driver, DEVICE_DIR, rawPasteWrite, rawResult, startSim, startEspruino } from "./repl-helpers";
import { BoardRepl } from "../flasher/repl";
import { compileToImage } from "../flasher/host";
import type { PtyBoard } from "./repl-helpers";
// @ts-expect-error: plain ESM script without types
import { runJs, storageWrite } from "../scripts/bench-device.mjs";

const root = resolve(__dirname, "..");
const socat = haveSocat();
const EXE = process.env.ESPRUINO;

/** The boards, all started at once (each takes seconds to load the runtime), in directories of their own. */
const started = new Map<Target, { dir: string; board: Promise<PtyBoard | string> }>();
beforeAll(() => {
  if (!existsSync(join(DEVICE_DIR, "espy.js")) || !existsSync(join(root, "dist/cli.js"))) execFileSync(process.execPath, [join(root, "scripts/build.mjs"), "--quiet"]);
  if (!socat) return;
  for (const t of targets) {
    const dir = mkdtempSync(join(tmpdir(), "espy-repl-"));
    const board = t.start(dir);
    board.catch(() => {});
    started.set(t, { dir, board });
  }
});
// (here rather than in each target's suite: a suite whose tests are all filtered out runs no hooks)
afterAll(async () => {
  for (const st of started.values()) {
    const b = await st.board.catch(() => null);
    if (b && typeof b !== "string") await b.close();
    rmSync(st.dir, { recursive: true, force: true });
  }
});

/** "\r\n" as "\n" (the REPL's output is for a terminal). */
const clean = (s: string) => s.replace(/\r\n/g, "\n");

interface Target {
  name: string;
  /** The byte that does Ctrl-D's jobs on it. */
  eot: string;
  /** Full image (the banner says so). */
  full: boolean;
  /** ms to wait for an answer. */
  timeout: number;
  start(dir: string): Promise<PtyBoard | string>;
}

const targets: Target[] = [
  { name: "espy sim --board esp32 (full image)", eot: "\x04", full: true, timeout: 10000, start: (dir) => startSim("esp32", dir) },
  { name: "espy sim --board wifi (lean image, compiler part in Storage)", eot: "\x04", full: false, timeout: 10000, start: (dir) => startSim("wifi", dir) },
  { name: "espy sim --board linux (Espruino's Linux build: Ctrl-Z for Ctrl-D)", eot: "\x1a", full: true, timeout: 10000, start: (dir) => startSim("linux", dir) },
];
if (EXE) {
  targets.push({
    name: "Espruino (" + EXE + ")",
    eot: "\x1a",
    full: true,
    timeout: 240000,
    async start(dir) {
      // the full runtime in its Storage, when it has room
      const size = readFileSync(join(DEVICE_DIR, "espy-full.js")).length;
      const r = await runJs(EXE, dir, 'print("FREE",require("Storage").getFree())');
      const free = parseInt(/FREE (\d+)/.exec(r.out)![1], 10);
      if (size + 4096 > free) return `the full runtime (${size} bytes) does not fit this Espruino's Storage (${free} bytes free); build Espruino with a larger 'flash' in its board file`;
      await storageWrite(EXE, dir, { "espy.js": join(DEVICE_DIR, "espy-full.js") });
      return startEspruino(EXE, dir);
    },
  });
}

if (!socat) {
  describe("device REPL through a pseudo-terminal", () => {
    it.skip("skipped: socat is not installed (espy sim needs it for its pseudo-terminal)", () => {});
  });
}
if (!EXE) {
  describe("device REPL on Espruino", () => {
    it.skip("skipped: set ESPRUINO to an Espruino executable (its Linux build, bin/espruino) to run these on Espruino too", () => {});
  });
}

for (const t of targets) {
  describe.skipIf(!socat)("device REPL through a pty: " + t.name, () => {
    let board: PtyBoard | null = null;
    let d: Driver;
    let banner = "";
    let why = "";
    const E = t.eot;
    const need = (ctx: { skip: () => void }) => {
      if (!why) return;
      console.log("skipped: " + why);
      ctx.skip();
    };

    beforeAll(async () => {
      const b = await started.get(t)!.board;
      if (typeof b === "string") {
        why = b;
        return;
      }
      board = b;
      d = new Driver(b.link);
      d.timeout = t.timeout;
      // how the host tools take a board over: ESC ESC DLE, sync with the JS prompt, then start the Python REPL
      d.send("\x1b\x1b\x10");
      await d.ask('\x10print("ESPY"+"SYNC")\n', "ESPYSYNC");
      banner = await d.ask('\x10if(typeof espy!="object")eval(require("Storage").read("espy.js"));espy.repl()\n', ">>> ");
    }, t.timeout * 3);

    it("prompts, evaluates, takes a multi-line function definition", async (ctx) => {
      need(ctx);
      expect(clean(banner)).toMatch(new RegExp("espy \\S+ on Espruino \\S+; \\S+, " + (t.full ? "full" : "lean") + " image\\n"));
      expect(banner).toContain("Ctrl-" + (E === "\x1a" ? "Z" : "D") + " soft reset");
      expect(clean(await d.ask("6 * 7\r", ">>> "))).toBe("6 * 7\n42\n>>> ");
      expect(clean(await d.ask("def fib(n):\r", "...     "))).toBe("def fib(n):\n...     ");
      expect(clean(await d.ask("if n < 2:\r", "...         "))).toBe("if n < 2:\n...         ");
      expect(clean(await d.ask("return n\r", "...     "))).toBe("return n\n...     ");
      expect(clean(await d.ask("return fib(n - 1) + fib(n - 2)\r", "... "))).toBe("return fib(n - 1) + fib(n - 2)\n... ");
      expect(clean(await d.ask("\r", ">>> "))).toBe("\n>>> ");
      expect(clean(await d.ask("[fib(i) for i in range(8)]\r", ">>> "))).toBe("[fib(i) for i in range(8)]\n[0, 1, 1, 2, 3, 5, 8, 13]\n>>> ");
    }, t.timeout * 3);

    it("Ctrl-C raises KeyboardInterrupt out of while True: pass; the state survives", async (ctx) => {
      need(ctx);
      await d.ask("kept = 55\r", ">>> ");
      await d.ask("while True: pass\r", "... ");
      // the blank line's echo comes once the entry runs
      await d.ask("\r", "\r\n");
      const s = clean(await d.ask("\x03", ">>> "));
      expect(s).toBe('Traceback (most recent call last):\n  File "<stdin>", line 1, in <module>\n    while True: pass\nKeyboardInterrupt\n>>> ');
      expect(clean(await d.ask("kept\r", ">>> "))).toBe("kept\n55\n>>> ");
    }, t.timeout * 3);

    it("input() waits for a typed line", async (ctx) => {
      need(ctx);
      await d.ask("print('hi', input('name? '))\r", "\r\nname? ");
      // backspace edits the line, a cursor key is dropped
      expect(clean(await d.ask("Adx\x7fa\x1b[D\r", ">>> "))).toBe("Adx\b \ba\nhi Ada\n>>> ");
      // a line typed during a sleep before input() asks is read at once (shown edited after the prompt); should it
      // come late (a loaded machine), it is typed while input() waits: the same line either way
      d.send("import time; time.sleep_ms(300); print('hi', input('name? '))\r");
      await d.until("\r\n");
      d.send("Bx\x7fo\x1b[Db\r");
      expect(clean(await d.until(">>> "))).toMatch(/^name\? (Bob|Bx\x08 \x08ob)\nhi Bob\n>>> $/);
    }, t.timeout * 3);

    it("paste mode runs the pasted text as a file", async (ctx) => {
      need(ctx);
      expect(clean(await d.ask("\x05", "=== "))).toBe("\npaste mode; Ctrl-C to cancel, Ctrl-" + (E === "\x1a" ? "Z" : "D") + " to finish\n=== ");
      const s = clean(await d.ask("def g(x):\r\n    return x * 3\r\n\r\nfor i in range(3):\r\n    print(g(i), end=' ')\r\n" + E, ">>> "));
      expect(s).toBe("def g(x):\n===     return x * 3\n=== \n=== for i in range(3):\n===     print(g(i), end=' ')\n=== \n0 3 6 >>> ");
    }, t.timeout * 3);

    it("raw mode, and raw-paste with a window smaller than the input", async (ctx) => {
      need(ctx);
      expect(await d.ask("\x01", "raw REPL; CTRL-B to exit\r\n>")).toMatch(/raw REPL; CTRL-B to exit\r\n>$/);
      d.send("print('raw', 12 * 12)" + E);
      await d.until("OK");
      expect(await rawResult(d)).toEqual({ out: "raw 144\r\n", err: "" });
      const lines: string[] = [];
      for (let i = 0; i < 12; i++) lines.push(`w${i} = ${i} * 3  # a line long enough to fill the window sooner`);
      lines.push("print(sum([" + lines.map((_, i) => "w" + i).join(", ") + "]))");
      const src = lines.join("\n");
      const st = await rawPasteWrite(d, src, E);
      expect(src.length).toBeGreaterThan(4 * st.window);
      expect(st.acks).toBeGreaterThanOrEqual(Math.floor(src.length / st.window) - 1);
      expect(st.maxInFlight).toBeLessThanOrEqual(2 * st.window);
      expect(await rawResult(d)).toEqual({ out: String(3 * 66) + "\r\n", err: "" });
      expect(clean(await d.ask("\x02", ">>> "))).toMatch(/^\nespy .*\n.*\n>>> $/);
    }, t.timeout * 3);

    it("soft reset (Ctrl-" + (E === "\x1a" ? "Z" : "D") + " at an empty prompt): a fresh VM", async (ctx) => {
      need(ctx);
      await d.ask("gone = 1\r", ">>> ");
      const s = clean(await d.ask(E, ">>> "));
      expect(s).toMatch(/^\nespy: soft reboot\nespy .*\n.*\n>>> $/);
      expect(clean(await d.ask("gone\r", ">>> "))).toContain("NameError: name 'gone' is not defined");
      // back to Espruino's JS prompt, which still answers
      // (in one write: what follows ESC ESC DLE is given to Espruino)
      expect(await d.ask('\x1b\x1b\x10\x10print("BACK"+"JS")\n', "BACKJS")).toContain("BACKJS");
    }, t.timeout * 3);

    it("espy repl's side of the link (BoardRepl, as `espy repl --port` uses it): takeover, S, B and C commands", async (ctx) => {
      need(ctx);
      const br = new BoardRepl(board!.link);
      const banner2 = await br.start();
      expect(banner2).toMatch(/^espy /);
      expect(br.eot).toBe(E);
      let out = "";
      expect(await br.run("S", "40 + 2", (s) => (out += s))).toBe("");
      expect(out).toBe("42\r\n");
      out = "";
      const img = compileToImage("def host_made():\n    return 'from the host'\nprint(host_made())\n", "<stdin:0>", "exec", 0);
      expect(await br.run("B", Buffer.from(img).toString("base64"), (s) => (out += s))).toBe("");
      expect(out).toBe("from the host\r\n");
      expect(await br.complete("host_m")).toEqual(["host_made"]);
      const err = await br.run("S", "host_made(1)", () => {});
      expect(err).toMatch(/TypeError/);
      // back to the friendly prompt, as espy repl leaves it (without closing the link: afterAll does)
      d.buf = "";
      d.send("\x02");
      await d.until(">>> ");
    }, t.timeout * 3);
  });
}
