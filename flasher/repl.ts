// `espy repl [--port P]`: a Python REPL on a board (or on a simulated board) from the host's terminal (docs/device.md,
// "The Python REPL").
// The host does the line editing (history kept in ~/.espy_history), decides when an entry is complete (the board's
// own rule, boards/espruino/repl.ts needsMore) and sends each entry to the board's REPL in raw mode, as source to be
// compiled there (full image) or as bytecode compiled here (lean image), through the raw-paste commands of
// docs/device-protocol.md. Completion is asked of the board; tracebacks get their source lines from the host.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";
import { PassThrough } from "node:stream";
import type { Command } from "commander";
import { isCompileError, IMAGE_VERSION } from "../core/index";
import { compileToImage, formatSyntaxError, bytesToText } from "./host";
import { needsMore, indentAfter } from "../boards/espruino/repl";
import { SimBoard } from "../boards/sim/index";
import { PROFILES } from "../boards/profiles";

// --- the byte link to a board ---------------------------------------------------------------------------------------

/** A byte stream to a board's console: a serial port, a pseudo-terminal, or a simulator in this process. */
export interface Link {
  write(data: string): void;
  onData(cb: (d: Buffer) => void): void;
  onClose(cb: () => void): void;
  close(): Promise<void>;
}

/** A serial port (or a pty) through @serialport/stream and its native binding (kept outside the CLI bundle). */
export async function serialLink(port: string, baud: number): Promise<Link> {
  const { SerialPortStream } = require("@serialport/stream");
  const { autoDetect } = require("@serialport/bindings-cpp");
  const sp = await new Promise<any>((resolve, reject) => {
    const p = new SerialPortStream({ binding: autoDetect(), path: port, baudRate: baud, autoOpen: false });
    p.open((err: Error | null) => (err ? reject(new Error("can't open " + port + ": " + err.message)) : resolve(p)));
  });
  return {
    write(d) {
      sp.write(Buffer.from(d, "latin1"));
    },
    onData(cb) {
      sp.on("data", cb);
    },
    onClose(cb) {
      sp.on("close", cb);
    },
    close() {
      return new Promise((resolve) => {
        sp.drain(() => sp.close(() => resolve()));
      });
    },
  };
}

/** A simulated board in this process (boards/sim SimBoard) as a Link: its console's bytes. */
export function simLink(board: import("../boards/sim/index").SimBoard): Link {
  return {
    write(d) {
      board.write(d);
    },
    onData(cb) {
      board.on("output", (s: string) => cb(Buffer.from(s, "latin1")));
    },
    onClose(cb) {
      board.on("exit", () => cb());
    },
    async close() {
      board.close();
    },
  };
}

// --- the board's REPL in raw mode -----------------------------------------------------------------------------------

/** What the board says about itself before its REPL starts. */
export interface BoardInfo {
  board: string;
  fw: string;
  espy: string | null;
  full: boolean;
  cc: boolean;
}

const QUERY =
  '\x10if(typeof espy!="object"&&require("Storage").read("espy.js"))eval(require("Storage").read("espy.js"));' +
  'print("<<ESPY"+JSON.stringify({board:process.env.BOARD,fw:process.version,espy:typeof espy=="object"?(espy.version||""):null,' +
  'full:typeof espy=="object"&&!!espy.full,cc:!!require("Storage").read("espy-cc.js"),repl:typeof espy=="object"&&typeof espy.repl=="function"})+"ESPY>>")\n';

/**
 * MicroPython's raw REPL on an espy board, plus espy's raw-paste commands: S (source run as a REPL entry), B
 * (base64 bytecode), C (completions).
 */
export class BoardRepl {
  info: BoardInfo = { board: "", fw: "", espy: null, full: false, cc: false };
  /** The byte that does Ctrl-D's jobs: 04, or 1a on Espruino's Linux build (which exits on 04). */
  eot = "\x04";
  private rx = "";
  private wake: (() => void) | null = null;
  private closed = false;

  constructor(public link: Link) {
    link.onData((d) => {
      this.rx += d.toString("latin1");
      this.poke();
    });
    link.onClose(() => {
      this.closed = true;
      this.poke();
    });
  }

  private poke(): void {
    const w = this.wake;
    this.wake = null;
    if (w) w();
  }

  /** Wait for more input (or the deadline: an error naming what was expected). */
  private more(deadline: number, what: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error("the connection closed while waiting for " + what));
    return new Promise((resolve, reject) => {
      const t = deadline < Infinity ? setTimeout(() => {
        this.wake = null;
        reject(new Error("no " + what + " from the board" + (this.rx ? " (got " + JSON.stringify(this.rx.slice(-200)) + ")" : "")));
      }, Math.max(0, deadline - Date.now())) : null;
      this.wake = () => {
        if (t) clearTimeout(t);
        if (this.closed) reject(new Error("the connection closed while waiting for " + what));
        else resolve();
      };
    });
  }

  /** Everything up to and including `s`. */
  async readUntil(s: string, ms = 10000): Promise<string> {
    const end = Date.now() + ms;
    for (;;) {
      const i = this.rx.indexOf(s);
      if (i >= 0) {
        const r = this.rx.slice(0, i + s.length);
        this.rx = this.rx.slice(i + s.length);
        return r;
      }
      await this.more(end, JSON.stringify(s));
    }
  }

  async readN(n: number, ms = 10000): Promise<string> {
    const end = Date.now() + ms;
    while (this.rx.length < n) await this.more(end, n + " bytes");
    const r = this.rx.slice(0, n);
    this.rx = this.rx.slice(n);
    return r;
  }

  /** Pass what arrives to `out` until a 04 byte. */
  async stream(out: (s: string) => void): Promise<void> {
    for (;;) {
      const i = this.rx.indexOf("\x04");
      if (i >= 0) {
        if (i) out(this.rx.slice(0, i));
        this.rx = this.rx.slice(i + 1);
        return;
      }
      if (this.rx) out(this.rx);
      this.rx = "";
      await this.more(Infinity, "output");
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }

  /**
   * Take the board over (docs/device-protocol.md): ESC ESC DLE, sync with the JS REPL, ask what it is, start the
   * Python REPL and enter raw mode. Returns the Python REPL's banner.
   */
  async start(): Promise<string> {
    this.link.write("\x1b\x1b\x10");
    await this.sleep(100);
    let synced = false;
    for (let i = 0; i < 6 && !synced; i++) {
      this.rx = "";
      this.link.write('\x10print("ESPY"+"SYNC")\n');
      try {
        await this.readUntil("ESPYSYNC", 1000 + i * 1000);
        synced = true;
      } catch (e) {
        if (this.closed) throw e;
      }
    }
    if (!synced) throw new Error("the board does not answer at Espruino's JS prompt" + (this.rx ? " (got " + JSON.stringify(this.rx.slice(-200)) + ")" : ""));
    await this.sleep(50);
    this.rx = "";
    this.link.write(QUERY);
    const q = await this.readUntil("ESPY>>", 60000);
    const m = /<<ESPY(\{.*\})ESPY>>/.exec(q);
    if (!m) throw new Error("unexpected answer from the board: " + JSON.stringify(q.slice(-300)));
    const info = JSON.parse(m[1]);
    if (!info.repl) throw new Error(info.espy === null ? "espy is not installed on this board (espy flash puts the runtime on it)" : "the espy runtime on this board has no REPL: update it (espy flash)");
    this.info = { board: info.board, fw: info.fw, espy: info.espy, full: !!info.full, cc: !!info.cc };
    // Espruino's Linux build (BOARD "LINUX", or a copy of its board file like "LINUX_BF") exits on byte 04
    this.eot = /^LINUX/.test(info.board) ? "\x1a" : "\x04";
    await this.sleep(50);
    this.rx = "";
    this.link.write("\x10espy.repl()\n");
    const banner = await this.readUntil(">>> ", 60000);
    this.link.write("\x01");
    await this.readUntil("raw REPL; CTRL-B to exit\r\n>", 10000);
    return banner.replace(/>>> $/, "");
  }

  /** Send a raw-paste command's data with the board's flow control; false if the board cut it short. */
  async paste(cmd: string, data: string): Promise<boolean> {
    this.link.write("\x05" + cmd + "\x01");
    const r = await this.readN(2);
    if (r !== "R\x01") throw new Error("the board refused raw-paste command " + cmd + " (" + JSON.stringify(r) + ")");
    const ws = await this.readN(2);
    const window = ws.charCodeAt(0) | (ws.charCodeAt(1) << 8);
    let remain = window;
    let i = 0;
    while (i < data.length) {
      while (remain === 0 || this.rx.length) {
        if (!this.rx.length) await this.more(Date.now() + 30000, "flow control");
        const c = this.rx.charAt(0);
        this.rx = this.rx.slice(1);
        if (c === "\x01") remain += window;
        else if (c === "\x04") {
          this.link.write(this.eot);
          return false;
        } else throw new Error("unexpected byte during raw paste: " + JSON.stringify(c));
      }
      const n = Math.min(remain, data.length - i);
      this.link.write(data.substr(i, n));
      remain -= n;
      i += n;
    }
    this.link.write(this.eot);
    await this.readUntil("\x04", 30000);
    return true;
  }

  /** Run a command (S: source as a REPL entry, B: base64 image, A: source as a file); its error output. */
  async run(cmd: string, data: string, out: (s: string) => void): Promise<string> {
    await this.paste(cmd, data);
    await this.stream(out);
    let err = "";
    await this.stream((s) => (err += s));
    await this.readUntil(">", 10000);
    return err;
  }

  /** Names that complete the dotted name at the end of `text`. */
  async complete(text: string): Promise<string[]> {
    let s = "";
    const err = await this.run("C", text, (t) => (s += t));
    if (err) return [];
    return s ? s.split("\n") : [];
  }

  interrupt(): void {
    this.link.write("\x03");
  }

  /** Console input for a running entry (input()). */
  input(s: string): void {
    this.link.write(s);
  }

  /** A fresh VM on the board (everything defined so far is forgotten). */
  async softReset(): Promise<void> {
    this.link.write(this.eot);
    await this.readUntil("raw REPL; CTRL-B to exit\r\n>", 30000);
  }

  /** Back to the board's friendly REPL, and close the link. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.link.write("\x02");
      await this.sleep(50);
    }
    await this.link.close();
  }
}

// --- tracebacks with source lines from the host --------------------------------------------------------------------

/** Add source lines to a board's traceback: REPL entries compiled here (`<stdin:N>`) and files found on the host. */
export function symbolicate(tb: string, entries: string[], cwd: string): string {
  const lines = tb.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*File ")([^"]*)(", line )(\d+)(.*)$/.exec(lines[i]);
    if (!m) {
      out.push(lines[i]);
      continue;
    }
    let file = m[2];
    let src: string | null = null;
    const e = /^<stdin:(\d+)>$/.exec(file);
    if (e) {
      file = "<stdin>";
      src = entries[parseInt(e[1], 10)] ?? null;
    } else if (!file.startsWith("<")) {
      for (const cand of [file, file.replace(/\.mpb$/, ".py")]) {
        const p = path.resolve(cwd, cand);
        if (fs.existsSync(p) && fs.statSync(p).isFile()) {
          src = fs.readFileSync(p, "latin1");
          break;
        }
      }
    }
    out.push(m[1] + file + m[3] + m[4] + m[5]);
    const next = lines[i + 1];
    if (src !== null && !(next !== undefined && /^ {4}/.test(next))) {
      const l = (src.split("\n")[parseInt(m[4], 10) - 1] || "").replace(/\r$/, "").trim();
      if (l) out.push("    " + l);
    }
  }
  return out.join("\n");
}

// --- the terminal side -----------------------------------------------------------------------------------------------

export interface ReplOptions {
  /** Where entries are compiled: "host" (bytecode sent), "board", or undefined (lean image: host; full: board). */
  compile?: string;
  color?: boolean;
  /** History file (default ~/.espy_history, or $ESPY_HISTORY). */
  history?: string;
  input?: NodeJS.ReadStream;
  output?: NodeJS.WriteStream;
}

const HISTORY_MAX = 1000;

/** Run the terminal side of the REPL over `board` until Ctrl-] (or the end of input); resolves to an exit status. */
export async function terminalRepl(board: BoardRepl, banner: string, opts: ReplOptions): Promise<number> {
  const input = opts.input || process.stdin;
  const output = opts.output || process.stdout;
  const tty = !!input.isTTY;
  const color = opts.color !== false && !!output.isTTY && !process.env.NO_COLOR;
  const paint = (code: string, s: string) => (color ? "\x1b[" + code + "m" + s + "\x1b[0m" : s);
  const say = (s: string) => output.write(s);
  // the board's output is UTF-8 in bytes that may arrive split anywhere
  const utf8 = new TextDecoder("utf-8");
  const text = (s: string) => utf8.decode(Buffer.from(s, "latin1"), { stream: true });
  const histFile = opts.history || process.env.ESPY_HISTORY || path.join(os.homedir(), ".espy_history");

  // where entries are compiled
  const imgVer = board.info.espy ? board.info.espy.split("/")[1] : undefined;
  let onHost = opts.compile ? opts.compile === "host" : !board.info.full && !board.info.cc;
  if (onHost && imgVer && imgVer !== String(IMAGE_VERSION)) {
    if (board.info.full || board.info.cc) {
      say(paint("33", "espy: the board's runtime reads bytecode version " + imgVer + ", this host writes " + IMAGE_VERSION + ": compiling on the board\n"));
      onHost = false;
    } else say(paint("33", "espy: the board's runtime reads bytecode version " + imgVer + ", this host writes " + IMAGE_VERSION + ": update it with espy flash\n"));
  }

  say(bytesToText(banner).replace(/\r\n/g, "\n"));
  say(paint("2", "espy repl: " + (onHost ? "entries compiled on the host" : "entries compiled on the board") + "; Ctrl-] to leave, Ctrl-D soft reset, Ctrl-C interrupt\n"));

  let history: string[] = [];
  try {
    history = fs.readFileSync(histFile, "utf8").split("\n").filter((l) => l).slice(-HISTORY_MAX).reverse();
  } catch (e) {
    history = [];
  }
  const saveHistory = (l: string) => {
    try {
      fs.appendFileSync(histFile, l.replace(/\n/g, " ") + "\n");
    } catch (e) {
      // no history file: never mind
    }
  };

  // stdin → (while an entry runs) the board, (at the prompt) readline; Ctrl-] leaves in both
  const feed = new PassThrough();
  (feed as any).isTTY = tty;
  const entries: string[] = [];
  let running = false;
  let leaving = false;
  let finish: (code: number) => void = () => {};
  const done = new Promise<number>((r) => (finish = r));
  let pre = "";
  let busy: Promise<void> = Promise.resolve();
  let ended = false;

  const rl = readline.createInterface({
    input: feed,
    output: output,
    terminal: tty,
    history: history,
    historySize: HISTORY_MAX,
    removeHistoryDuplicates: true,
    completer: (line: string, cb: (err: Error | null, r: [string[], string]) => void) => {
      if (!/[A-Za-z0-9_.]$/.test(line)) return cb(null, [["    "], ""]);
      const word = /[A-Za-z0-9_]*$/.exec(line)![0];
      busy = busy.then(() =>
        board.complete(line).then(
          (names) => cb(null, [names, word]),
          () => cb(null, [[], word]),
        ),
      );
    },
  } as readline.ReadLineOptions);
  const prompt = (p: string, indent: string) => {
    rl.setPrompt(tty ? paint("1;32", p) : "");
    rl.prompt();
    if (indent && tty) rl.write(indent);
  };

  const leave = () => {
    if (leaving) return;
    leaving = true;
    say("\n");
    rl.close();
    board.close().then(
      () => finish(0),
      () => finish(0),
    );
  };

  const softReset = () => {
    pre = "";
    running = true;
    say("\n");
    board.softReset().then(
      () => {
        running = false;
        say(paint("2", "espy: soft reboot\n"));
        prompt(">>> ", "");
      },
      (e) => {
        say(paint("31", "espy: " + e.message + "\n"));
        leave();
      },
    );
  };

  const onKeys = (d: Buffer) => {
    let s = d.toString("latin1");
    const k = tty ? s.indexOf("\x1d") : -1;
    if (k >= 0) s = s.slice(0, k);
    if (running && tty) {
      // an entry runs: Ctrl-C interrupts it, what is typed goes to its input() (echoed here)
      if (s) {
        // (not Ctrl-D: typed ahead of the next raw-mode command it would run or soft-reset)
        board.input(s.replace(/[\x04\x1a]/g, ""));
        const shown = s
          .replace(/\x1b[[O]?[0-9;]*./g, "")
          .replace(/[\x7f\b]/g, "\b \b")
          .replace(/\r\n?/g, "\n")
          .replace(/[\x00-\x07\x0b-\x1f]/g, "");
        if (shown) say(shown);
      }
    } else if (s === "\x04" && tty && rl.line === "") {
      // Ctrl-D: a soft reset at an empty prompt, the end of a block being entered
      if (pre) feed.write("\r");
      else softReset();
    } else if (s) feed.write(s);
    if (k >= 0) {
      if (running) board.interrupt();
      leave();
    }
  };
  input.on("data", onKeys);
  input.on("end", () => {
    ended = true;
    busy = busy.then(() => leave());
  });
  if (tty && (input as any).setRawMode) (input as any).setRawMode(true);
  input.resume();

  const runEntry = async (src: string) => {
    running = true;
    const n = entries.length;
    entries.push(src);
    let cmd = "S";
    let data = src;
    if (onHost) {
      try {
        const img = compileToImage(src, "<stdin:" + n + ">", "single", 0);
        cmd = "B";
        data = Buffer.from(img).toString("base64");
      } catch (e) {
        if (!isCompileError(e)) throw e;
        say(paint("31", bytesToText(formatSyntaxError(e, "<stdin>", src))));
        running = false;
        return;
      }
    }
    let lastOut = "\n";
    try {
      const err = await board.run(cmd, data, (s) => {
        lastOut = s;
        say(text(s).replace(/\r\n/g, "\n"));
      });
      if (err) {
        const t = symbolicate(bytesToText(err).replace(/\r\n/g, "\n"), entries, process.cwd());
        if (!/\n$/.test(lastOut) && lastOut) say("\n");
        say(paint("31", t.replace(/\n$/, "")) + "\n");
      }
    } finally {
      running = false;
    }
  };

  rl.on("line", (l: string) => {
    if (leaving) return;
    const line = Buffer.from(l, "utf8").toString("latin1");
    if (/\S/.test(line)) saveHistory(l);
    const src = pre + line;
    if (!pre && !/\S/.test(line)) return prompt(">>> ", "");
    if (needsMore(src)) {
      pre = src + "\n";
      return prompt("... ", indentAfter(line));
    }
    pre = "";
    busy = busy.then(() =>
      runEntry(src).then(
        () => {
          if (!ended) prompt(">>> ", "");
        },
        (e) => {
          say(paint("31", "espy: " + e.message + "\n"));
          leave();
        },
      ),
    );
  });
  rl.on("SIGINT", () => {
    // Ctrl-C at the prompt: drop the line (and a block being entered)
    pre = "";
    say("\n");
    (rl as any).line = "";
    prompt(">>> ", "");
  });
  rl.on("close", () => {
    if (!leaving) leave();
  });
  board.link.onClose(() => {
    if (!leaving) {
      say(paint("31", "\nespy: the board went away\n"));
      leaving = true;
      rl.close();
      finish(1);
    }
  });
  prompt(">>> ", "");
  const code = await done;
  input.off("data", onKeys);
  if (tty && (input as any).setRawMode) (input as any).setRawMode(false);
  input.pause();
  return code;
}

// --- the command -----------------------------------------------------------------------------------------------------

export interface ReplCommandOptions {
  port?: string;
  baud?: string;
  board?: string;
  storage?: string;
  compile?: string;
  color?: boolean;
}

async function replMain(opts: ReplCommandOptions): Promise<number> {
  if (opts.compile && opts.compile !== "host" && opts.compile !== "board") {
    process.stderr.write("espy repl: --compile is host or board\n");
    return 2;
  }
  let link: Link;
  if (opts.port) link = await serialLink(opts.port, parseInt(opts.baud || "115200", 10));
  else {
    // no board: a simulated one in this process (boards/sim), Storage in memory unless --storage names a file
    const name = opts.board || "puck";
    if (!PROFILES[name]) {
      process.stderr.write("espy repl: no board profile '" + name + "': choose one of " + Object.keys(PROFILES).join(", ") + "\n");
      return 2;
    }
    const sim = new SimBoard({ board: name, storageFile: opts.storage || null });
    const dim = opts.color !== false && !!process.stderr.isTTY && !process.env.NO_COLOR;
    for (const w of sim.warnings) process.stderr.write((dim ? "\x1b[2m" : "") + "espy sim: " + w + (dim ? "\x1b[0m" : "") + "\n");
    await sim.powerOn();
    link = simLink(sim);
  }
  const board = new BoardRepl(link);
  let banner: string;
  try {
    banner = await board.start();
  } catch (e) {
    process.stderr.write("espy repl: " + (e as Error).message + "\n");
    await link.close();
    return 1;
  }
  return terminalRepl(board, banner, { compile: opts.compile, color: opts.color });
}

/** `espy repl`. */
export function registerReplCommands(program: Command): void {
  program
    .command("repl")
    .description("a Python REPL on a board (--port), or on a simulated board (espy sim's, in this process); Ctrl-] leaves")
    .option("-p, --port <path>", "the board's serial port")
    .option("-b, --baud <rate>", "baud rate", "115200")
    .option("--board <name>", "without --port: the simulated board's profile (default puck)")
    .option("--storage <file>", "without --port: the simulated board's flash (default: in memory)")
    .option("--compile <where>", "where entries are compiled: host (bytecode is sent) or board; default: the board's image decides")
    .option("--no-color", "no colours")
    .action((opts: ReplCommandOptions) => {
      replMain(opts).then(
        (code) => process.exit(code),
        (e) => {
          process.stderr.write("espy repl: " + (e && e.message ? e.message : e) + "\n");
          process.exit(1);
        },
      );
    });
}
