// `espy repl` in a real terminal: tmux runs the built CLI (without --port: a simulated board in the same process) and
// the test types as a person would, key by key, waiting to see each answer on the screen before typing on: a
// function over several lines with auto-indent, Tab completion, history, input(), Ctrl-C out of a loop, Ctrl-D soft
// reset, Ctrl-] to leave. Both images: the full one compiling entries on the board, the lean one with bytecode compiled
// on the host (tracebacks get their source lines from the host); and the Linux profile, where the host's Ctrl-D is
// sent as Ctrl-Z. tmux runs on a socket of its own, killed at the end.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(__dirname, "..");
const haveTmux = spawnSync("tmux", ["-V"], { stdio: "ignore" }).status === 0;

beforeAll(() => {
  if (!existsSync(join(root, "dist/cli.js")) || !existsSync(join(root, "dist/device/espy.js"))) execFileSync(process.execPath, [join(root, "scripts/build.mjs"), "--quiet"]);
});

/** A terminal in tmux (its own server socket) running one command. */
class Term {
  private sock = "espy-test-" + process.pid + "-" + Math.random().toString(36).slice(2, 8);
  /** How much of the screen's text earlier waits have used up. */
  private pos = 0;
  constructor(cmd: string, env: { [k: string]: string }) {
    const vars = Object.keys(env).map((k) => k + "=" + JSON.stringify(env[k])).join(" ");
    this.tmux("new-session", "-d", "-s", "t", "-x", "120", "-y", "50", "env " + vars + " " + cmd + "; echo TERM-EXIT $?; sleep 600");
  }
  private tmux(...args: string[]): string {
    return execFileSync("tmux", ["-L", this.sock, ...args], { encoding: "utf8" });
  }
  /** Type text (literally). */
  type(s: string): void {
    this.tmux("send-keys", "-t", "t", "-l", s);
  }
  /** Press keys by tmux's names: Enter, Tab, BSpace, Up, C-c, C-d, C-]… */
  press(...keys: string[]): void {
    this.tmux("send-keys", "-t", "t", ...keys);
  }
  /** The whole screen and scrollback, wrapped lines joined, trailing spaces trimmed. */
  screen(): string {
    return this.tmux("capture-pane", "-p", "-J", "-t", "t", "-S", "-").replace(/[ \t]+$/gm, "");
  }
  /** Wait until `s` appears after what earlier waits used up; the text from there to its end. */
  async see(s: string | RegExp, ms = 15000): Promise<string> {
    const end = Date.now() + ms;
    for (;;) {
      const scr = this.screen();
      const rest = scr.slice(this.pos);
      const m = typeof s === "string" ? (rest.indexOf(s) >= 0 ? { i: rest.indexOf(s), n: s.length } : null) : (() => { const r = s.exec(rest); return r ? { i: r.index, n: r[0].length } : null; })();
      if (m) {
        this.pos += m.i + m.n;
        return rest.slice(0, m.i + m.n);
      }
      if (Date.now() > end) throw new Error("not on the screen: " + JSON.stringify(String(s)) + "\n--- screen ---\n" + scr.slice(-1500));
      await new Promise((r) => setTimeout(r, 40));
    }
  }
  /** Type a line and press Enter. */
  line(s: string): void {
    this.type(s);
    this.press("Enter");
  }
  close(): void {
    spawnSync("tmux", ["-L", this.sock, "kill-server"], { stdio: "ignore" });
  }
}

describe.skipIf(!haveTmux)("espy repl in a terminal (tmux), on the simulator", () => {
  let dir = "";
  const terms: Term[] = [];
  const open = (args: string) => {
    const t = new Term(process.execPath + " " + join(root, "dist/cli.js") + " repl " + args, { ESPY_HISTORY: join(dir, "history"), NO_COLOR: "1" });
    terms.push(t);
    return t;
  };
  // the three terminals start together (each CLI loads the runtime into its simulated board)
  let full: Term, lean: Term, linux: Term;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "espy-tmux-"));
    full = open("--board esp32");
    lean = open("--board puck --compile host");
    linux = open("--board linux");
  });
  afterAll(() => {
    for (const t of terms) t.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("full image (esp32): typed entries compile on the board; completion, history, input(), Ctrl-C, Ctrl-D, Ctrl-]", async () => {
    const t = full;
    expect(await t.see("ESP32, full image")).toContain("on Espruino");
    await t.see("entries compiled on the board");
    await t.see(">>>");
    // a function over several lines: the host auto-indents the body, a blank line ends it
    t.line("def twice(n):");
    await t.see("...");
    t.line("return n * 2");
    await t.see("...");
    t.press("Enter");
    await t.see(">>>");
    t.line("twice(21)");
    expect(await t.see(">>>")).toBe(" twice(21)\n42\n>>>");
    // Tab completes from the board's names
    t.type("twi");
    t.press("Tab");
    await t.see("twice");
    t.type("(4)");
    t.press("Enter");
    expect(await t.see(">>>")).toBe("(4)\n8\n>>>");
    // history: Up brings the last line back
    t.press("Up");
    await t.see("twice(4)");
    t.press("Enter");
    expect(await t.see(">>>")).toBe("\n8\n>>>");
    // input() while an entry runs: typed text goes to the board, echoed here, backspace and all
    t.line("name = input('name? ')");
    await t.see("name?");
    t.type("Adx");
    t.press("BSpace");
    t.type("a");
    t.press("Enter");
    await t.see(">>>");
    t.line("name");
    expect(await t.see(">>>")).toBe(" name\n'Ada'\n>>>");
    // Ctrl-C out of a loop that never ends
    t.line("while True: pass");
    await t.see("...");
    t.press("Enter");
    await t.see("\n");
    t.press("C-c");
    expect(await t.see(">>>")).toMatch(/Traceback \(most recent call last\):\n  File "<stdin>", line 1, in <module>\n    while True: pass\nKeyboardInterrupt\n>>>$/);
    // Ctrl-D at an empty prompt: soft reset, the board forgets
    t.press("C-d");
    await t.see("espy: soft reboot\n>>>");
    t.line("twice");
    expect(await t.see(">>>")).toContain("NameError: name 'twice' is not defined");
    // Ctrl-] leaves
    t.press("C-]");
    expect(await t.see(/TERM-EXIT \d+/)).toMatch(/TERM-EXIT 0$/);
  });

  it("lean image (puck) with entries compiled on the host: bytecode runs, tracebacks show host source lines", async () => {
    const t = lean;
    await t.see("Puck.js");
    await t.see("lean image");
    await t.see("entries compiled on the host");
    await t.see(">>>");
    t.line("def bad(x):");
    await t.see("...");
    t.line("return x / 0");
    await t.see("...");
    t.press("Enter");
    await t.see(">>>");
    t.line("[i * i for i in range(6)]");
    expect(await t.see(">>>")).toBe(" [i * i for i in range(6)]\n[0, 1, 4, 9, 16, 25]\n>>>");
    t.line("bad(1)");
    expect(await t.see(">>>")).toBe(' bad(1)\nTraceback (most recent call last):\n  File "<stdin>", line 1, in <module>\n    bad(1)\n  File "<stdin>", line 2, in bad\n    return x / 0\nZeroDivisionError: division by zero\n>>>');
    // a syntax error never reaches the board
    t.line("x = = 1");
    expect(await t.see(">>>")).toMatch(/SyntaxError: invalid syntax\n>>>$/);
    t.press("C-]");
    expect(await t.see(/TERM-EXIT \d+/)).toMatch(/TERM-EXIT 0$/);
  });

  it("Linux profile: the host's Ctrl-D reaches the board as Ctrl-Z (the Linux build would exit on 04)", async () => {
    const t = linux;
    await t.see("LINUX");
    await t.see(">>>");
    t.line("y = 5");
    await t.see(">>>");
    t.press("C-d");
    await t.see("espy: soft reboot\n>>>");
    t.line("y");
    expect(await t.see(">>>")).toContain("NameError: name 'y' is not defined");
    t.line("1 + 1");
    expect(await t.see(">>>")).toBe(" 1 + 1\n2\n>>>");
    t.press("C-]");
    expect(await t.see(/TERM-EXIT \d+/)).toMatch(/TERM-EXIT 0$/);
  });
});

if (!haveTmux) {
  describe("espy repl in a terminal", () => {
    it.skip("skipped: tmux is not installed", () => {});
  });
}
