// The simulator's commands: `espy sim` (a simulated board on a pseudo-terminal), `espy run FILE --board NAME` (a
// program on a simulated board, with its console output and pin trace) and `espy test [DIR]` (test_*.py files on a
// simulated board with unittest). The board itself is boards/sim (SimBoard).
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { SimBoard, openPty, haveSocat, formatTrace } from "../boards/sim/index";
import type { TraceEntry, RunResult } from "../boards/sim/index";
import { PROFILES } from "../boards/profiles";
import { isCompileError } from "../core/index";
import type { CompileError } from "../core/index";
import { readSource, compileToImage, formatSyntaxError, bytesToText } from "./host";
import { findSources } from "./compile";

// --- compiling a program and the modules it imports ----------------------------------------------------------------

/** A program ready for the board: Storage name → image, the main file's Storage name, and the sources by file name. */
export interface SimProgram {
  main: string;
  files: { [storageName: string]: Uint8Array };
  /** Source text by the file name tracebacks show (for the host-side source lines). */
  sources: { [file: string]: string };
}

/** A compile error with the report CPython would print. */
export class SimCompileError extends Error {}

const IMPORT_RE = /^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import\b|import[ \t]+([\w., \t]+))/gm;

/** The module names a source imports (absolute ones; `from . import` is ignored). */
function importsOf(src: string): string[] {
  const out: string[] = [];
  let m: RegExpExecArray | null;
  IMPORT_RE.lastIndex = 0;
  while ((m = IMPORT_RE.exec(src))) {
    if (m[1] !== undefined) {
      if (m[1] && !m[1].startsWith(".")) out.push(m[1]);
    } else {
      for (const part of m[2].split(",")) {
        const name = part.trim().split(/[ \t]+/)[0];
        if (name) out.push(name);
      }
    }
  }
  return out;
}

function compileFile(file: string, shown: string, sources: { [f: string]: string }): Uint8Array {
  const src = readSource(file);
  sources[shown] = src;
  try {
    return compileToImage(src, shown, "exec", 0);
  } catch (e) {
    if (isCompileError(e)) throw new SimCompileError("Traceback (most recent call last):\n" + formatSyntaxError(e as CompileError, shown, src));
    throw e;
  }
}

/**
 * Compile `file` for the board, with every module it imports (transitively) that is found as NAME.py or
 * NAME/__init__.py in `searchPath` (the file's own directory first). Modules the runtime has built in are simply not
 * found. Storage names: `main` for the program, NAME.mpb, PKG/__init__.mpb, PKG/SUB.mpb (as the flasher installs them).
 */
export function compileProgram(file: string, searchPath: string[] = [], main = "main.mpb"): SimProgram {
  const dirs = [path.dirname(path.resolve(file))].concat(searchPath.map((d) => path.resolve(d)));
  const prog: SimProgram = { main, files: {}, sources: {} };
  const done = new Set<string>();
  const pending: string[] = [];
  prog.files[main] = compileFile(file, path.basename(file), prog.sources);
  pending.push(...importsOf(prog.sources[path.basename(file)]));
  while (pending.length) {
    const name = pending.shift()!;
    const parts = name.split(".");
    for (let i = 1; i <= parts.length; i++) {
      const mod = parts.slice(0, i).join(".");
      if (done.has(mod)) continue;
      done.add(mod);
      const rel = parts.slice(0, i).join("/");
      for (const d of dirs) {
        const asFile = path.join(d, rel + ".py");
        const asPkg = path.join(d, rel, "__init__.py");
        const found = fs.existsSync(asFile) ? asFile : fs.existsSync(asPkg) ? asPkg : null;
        if (!found) continue;
        const storageName = found === asFile ? rel + ".mpb" : rel + "/__init__.mpb";
        const shown = found === asFile ? rel + ".py" : rel + "/__init__.py";
        prog.files[storageName] = compileFile(found, shown, prog.sources);
        pending.push(...importsOf(prog.sources[shown]));
        break;
      }
    }
  }
  return prog;
}

/** Add the source line under each `File "X", line N` of a traceback, as CPython does (the board has no sources). */
export function withSourceLines(text: string, sources: { [file: string]: string }): string {
  return text.replace(/^( *)File "([^"]+)", line (\d+)[^\n]*\n/gm, (all, ind: string, file: string, line: string) => {
    const src = sources[file];
    if (src === undefined) return all;
    const l = (src.split("\n")[parseInt(line, 10) - 1] || "").replace(/\r$/, "").trim();
    return l ? all + ind + "  " + bytesToText(l) + "\n" : all;
  });
}

/** Turns the board's output stream into text lines for the terminal: "\r\n" → "\n", tracebacks with sources. */
class OutputLines {
  private partial = "";
  constructor(private readonly sources: { [f: string]: string }, private readonly write: (s: string) => void) {}
  push(s: string): void {
    this.partial += s.replace(/\r\n/g, "\n");
    const nl = this.partial.lastIndexOf("\n");
    if (nl < 0) {
      // a line in progress (a prompt, "test_x (T) ..."): show it unless it might start a traceback line
      if (!/^ *File /.test(this.partial) && this.partial.length) {
        this.write(bytesToText(this.partial.replace(/\r/g, "")));
        this.partial = "";
      }
      return;
    }
    const lines = this.partial.slice(0, nl + 1);
    this.partial = this.partial.slice(nl + 1);
    this.write(withSourceLines(bytesToText(lines.replace(/\r/g, "")), this.sources));
  }
  flush(): void {
    if (this.partial) this.write(bytesToText(this.partial.replace(/\r/g, "")));
    this.partial = "";
  }
}

function boardNames(): string {
  return Object.keys(PROFILES).join(", ");
}

function checkBoard(name: string): void {
  if (!PROFILES[name]) throw new UsageError("no board profile '" + name + "': choose one of " + boardNames());
}

class UsageError extends Error {}

// --- espy run FILE --board NAME --------------------------------------------------------------------------------------

export interface SimRunOptions {
  board: string;
  virtualClock?: boolean;
  /** Stop the program after this many seconds of board time. */
  seconds?: number;
  /** Print the pin trace after the program (default true). */
  trace?: boolean;
  out: (s: string) => void;
  err: (s: string) => void;
  /** Called with the board once it runs (the CLI forwards Ctrl-C to it). */
  started?: (b: SimBoard) => void;
}

/** `espy run FILE --board NAME`: the program on a simulated board; returns its exit status. */
export async function simRun(file: string, opts: SimRunOptions): Promise<number> {
  checkBoard(opts.board);
  let prog: SimProgram;
  try {
    prog = compileProgram(file);
  } catch (e) {
    if (e instanceof SimCompileError) {
      opts.err(e.message);
      return 1;
    }
    throw e;
  }
  const board = new SimBoard({ board: opts.board, virtualClock: !!opts.virtualClock, storageFile: null });
  try {
    await board.powerOn();
    board.takeOutput(); // the boot (nothing to run yet) is not the program's output
    const lines = new OutputLines(prog.sources, opts.out);
    const onOut = (s: string) => lines.push(s);
    board.on("output", onOut);
    const modules: { [k: string]: Uint8Array } = {};
    for (const k of Object.keys(prog.files)) if (k !== prog.main) modules[k] = prog.files[k];
    if (opts.started) opts.started(board);
    const r: RunResult = await board.runProgram(prog.files[prog.main], { file: prog.main, modules, seconds: opts.seconds });
    board.removeListener("output", onOut);
    lines.flush();
    if (r.timedOut) opts.err(`espy: stopped after ${opts.seconds} s of board time\n`);
    if (opts.trace !== false) {
      const t = board.trace.filter((e) => e.kind !== "mode");
      if (t.length) opts.err("--- pin trace (" + board.name + ", seconds since power-on" + (opts.virtualClock ? ", virtual clock" : "") + ") ---\n" + t.map(formatTrace).join("\n") + "\n");
    }
    return r.code < 0 ? 1 : r.code;
  } finally {
    board.close();
  }
}

// --- espy test [DIR] -------------------------------------------------------------------------------------------------

export interface SimTestOptions {
  board: string;
  /** Heap for the tests' own code; default: the board profile's heap. unittest's own cost is added on top. */
  heap?: number;
  /** Run at exactly `heap` bytes, without the allowance for unittest itself. */
  strictHeap?: boolean;
  /** Stop a test file after this many seconds of board time (virtual clock; default 600). */
  seconds?: number;
  out: (s: string) => void;
  err: (s: string) => void;
}

/** test_*.py under dir (recursively, skipping hidden, __pycache__ and node_modules directories), sorted. */
export function findTests(dir: string): string[] {
  return findSources(dir).filter((p) => /^test_.*\.py$/.test(path.basename(p)));
}

/** Bytes of Python heap importing unittest takes (measured on a board with a roomy heap). */
async function unittestCost(board: string): Promise<number> {
  const extra = 64 * 1024;
  const b = new SimBoard({ board, virtualClock: true, storageFile: null, extraBlocks: Math.ceil(extra / PROFILES[board].blockBytes) });
  try {
    await b.powerOn();
    const src = "import gc\ngc.collect()\na = gc.mem_free()\nimport unittest\ngc.collect()\nprint('COST', a - gc.mem_free())\n";
    const r = await b.runProgram(compileToImage(src, "probe.py", "exec", 0), { cfg: { heap: PROFILES[board].heapBytes + extra, blocks: 0 } });
    const m = /COST (\d+)/.exec(r.output);
    if (!m) throw new Error("espy test: could not measure unittest's heap: " + r.output);
    return parseInt(m[1], 10);
  } finally {
    b.close();
  }
}

/**
 * What unittest needs beyond its import while it runs: results, kept exceptions, the report, and room for the
 * interned-string table to double when the test file's names grow it (measured: a failing test with 9.5 KB free
 * still raised MemoryError at a 3 KB table resize; 8 KB covers it).
 */
const RUNNER_BYTES = 8192;

export interface SimTestSummary {
  files: number;
  failedFiles: string[];
  tests: number;
  code: number;
}

/**
 * `espy test [DIR]`: each test_*.py runs as the program of a freshly booted simulated board (virtual clock), with the
 * modules it imports from its directory, DIR and DIR's parent. Exit status 0 when every file exits 0.
 */
export async function simTest(dir: string, opts: SimTestOptions): Promise<SimTestSummary> {
  checkBoard(opts.board);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError("no such directory: " + dir);
  const files = findTests(dir);
  const summary: SimTestSummary = { files: files.length, failedFiles: [], tests: 0, code: 0 };
  if (!files.length) {
    opts.err("espy test: no test_*.py files in " + dir + "\n");
    summary.code = 5; // as pytest: no tests collected
    return summary;
  }
  const p = PROFILES[opts.board];
  const base = opts.heap || p.heapBytes;
  const allowance = opts.strictHeap ? 0 : (await unittestCost(opts.board)) + RUNNER_BYTES;
  const heap = base + allowance;
  opts.out(
    `espy test: ${files.length} file${files.length === 1 ? "" : "s"} on a simulated ${p.title}, Python heap ${base} bytes` +
      (allowance ? ` (+${allowance} for unittest itself)` : "") + "\n",
  );
  const searchPath = [dir, path.dirname(path.resolve(dir))];
  for (const f of files) {
    const shown = path.relative(process.cwd(), f) || f;
    opts.out("\n== " + shown + "\n");
    let prog: SimProgram;
    try {
      prog = compileProgram(f, searchPath);
    } catch (e) {
      if (!(e instanceof SimCompileError)) throw e;
      opts.out(e.message);
      summary.failedFiles.push(shown);
      continue;
    }
    // unittest's heap is not the board's: it gets Espruino blocks of its own, as the runtime does
    const board = new SimBoard({ board: opts.board, virtualClock: true, storageFile: null, extraBlocks: Math.ceil(allowance / p.blockBytes) });
    try {
      await board.powerOn();
      board.takeOutput();
      const lines = new OutputLines(prog.sources, opts.out);
      const onOut = (s: string) => lines.push(s);
      board.on("output", onOut);
      const modules: { [k: string]: Uint8Array } = {};
      for (const k of Object.keys(prog.files)) if (k !== prog.main) modules[k] = prog.files[k];
      const r = await board.runProgram(prog.files[prog.main], { file: prog.main, modules, seconds: opts.seconds || 600, cfg: { heap, blocks: 0 } });
      board.removeListener("output", onOut);
      lines.flush();
      const ran = /Ran (\d+) tests?/.exec(r.output);
      if (ran) summary.tests += parseInt(ran[1], 10);
      if (r.timedOut) opts.out(`espy test: ${shown} stopped after ${opts.seconds || 600} s of board time\n`);
      if (r.code !== 0) summary.failedFiles.push(shown);
    } finally {
      board.close();
    }
  }
  opts.out("\n" + "=".repeat(70) + "\n");
  if (summary.failedFiles.length) {
    opts.out(`espy test: ${summary.failedFiles.length} of ${files.length} files FAILED (${summary.tests} tests ran): ${summary.failedFiles.join(", ")}\n`);
    summary.code = 1;
  } else opts.out(`espy test: all ${files.length} files OK (${summary.tests} tests)\n`);
  return summary;
}

// --- espy sim --------------------------------------------------------------------------------------------------------

export interface SimServeOptions {
  board: string;
  storage?: string;
  virtualClock?: boolean;
  trace?: string;
  /** Where the pty link goes (default .espy-sim/<board>.tty). */
  link?: string;
}

/** Keys on the terminal running `espy sim` (when it is a terminal). */
const KEYS_HELP = "keys: 1-4 press BTN1-4 (0.2 s), +/- temperature by 1 °C, q quit";

/** `espy sim`: a board on a pseudo-terminal until killed, stdin closes, or q. Resolves when it stops. */
export async function simServe(opts: SimServeOptions): Promise<void> {
  checkBoard(opts.board);
  if (!haveSocat()) throw new UsageError("espy sim needs socat for its pseudo-terminal: install it (apt-get install socat)");
  const storage = opts.storage || path.join(".espy-sim", opts.board + ".storage");
  const board = new SimBoard({ board: opts.board, storageFile: storage, virtualClock: !!opts.virtualClock });
  for (const w of board.warnings) process.stderr.write("espy sim: " + w + "\n");
  const traceFd = opts.trace ? fs.openSync(opts.trace, "a") : null;
  const showTrace = !!process.stdout.isTTY;
  board.on("trace", (e: TraceEntry) => {
    const line = formatTrace(e) + "\n";
    if (traceFd !== null) fs.writeSync(traceFd, line);
    if (showTrace && e.kind !== "mode") process.stdout.write(line);
  });
  const pty = await openPty(board, opts.link || path.join(".espy-sim", opts.board + ".tty"));
  await board.powerOn();
  process.stdout.write("espy sim: " + opts.board + " on " + pty.path + "\n");
  if (process.stdin.isTTY) process.stdout.write("espy sim: " + KEYS_HELP + "\n");
  await new Promise<void>((resolve) => {
    let done = false;
    const stop = () => {
      if (done) return;
      done = true;
      resolve();
    };
    board.once("exit", stop);
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    // a closed pipe or terminal means whoever started us is gone; /dev/null (`espy sim &` in a script) is ignored
    let st: fs.Stats | null = null;
    try {
      st = fs.fstatSync(0);
    } catch {
      st = null;
    }
    const watchStdin = !!process.stdin.isTTY || (st !== null && (st.isFIFO() || st.isSocket()));
    if (watchStdin) {
      process.stdin.on("end", stop);
      process.stdin.on("close", stop);
    }
    if (process.stdin.isTTY) process.stdin.setRawMode(true);
    process.stdin.on("data", (d: Buffer) => {
      if (!process.stdin.isTTY) return;
      for (const ch of d.toString("latin1")) {
        if (ch === "q" || ch === "\x03" || ch === "\x04") stop();
        else if (ch >= "1" && ch <= "4") {
          const btn = "BTN" + ch;
          if (board.profile.buttons[btn]) board.press(btn, 200);
        } else if ((ch === "+" || ch === "-") && board.tempSensor) {
          board.tempSensor.temperature += ch === "+" ? 1 : -1;
          process.stdout.write("espy sim: temperature " + board.tempSensor.temperature + " °C\n");
        }
      }
    });
    if (watchStdin) process.stdin.resume();
  });
  if (process.stdin.isTTY) process.stdin.setRawMode(false);
  process.stdin.pause();
  await pty.close();
  board.close();
  if (traceFd !== null) fs.closeSync(traceFd);
}

// --- registration ----------------------------------------------------------------------------------------------------

function parseBytes(v: string): number {
  const m = /^(\d+)([kK])?$/.exec(v.trim());
  if (!m) throw new UsageError("not a size in bytes: " + v);
  return parseInt(m[1], 10) * (m[2] ? 1024 : 1);
}

function reportAndExit(e: unknown): void {
  if (e instanceof UsageError) {
    process.stderr.write("espy: " + e.message + "\n");
    process.exitCode = 2;
  } else {
    process.stderr.write("espy: " + (e instanceof Error ? e.message : String(e)) + "\n");
    process.exitCode = 1;
  }
}

export function registerSimCommands(program: Command): void {
  program
    .command("sim")
    .description("start a simulated board on a pseudo-terminal (prints its device path); flash, repl and run reach it like a board")
    .option("-b, --board <name>", "board profile: " + boardNames(), "puck")
    .option("--storage <file>", "the simulated flash (default .espy-sim/<board>.storage)")
    .option("--link <path>", "where the device path goes (default .espy-sim/<board>.tty)")
    .option("--virtual-clock", "idle time costs no wall time")
    .option("--trace <file>", "append pin changes (with board time) to this file")
    .action((opts: { board: string; storage?: string; link?: string; virtualClock?: boolean; trace?: string }) => {
      simServe({ board: opts.board, storage: opts.storage, link: opts.link, virtualClock: opts.virtualClock, trace: opts.trace }).then(
        () => process.exit(process.exitCode || 0),
        reportAndExit,
      );
    });

  program
    .command("test")
    .description("run test_*.py files (unittest) on a simulated board")
    .argument("[dir]", "where to look for test_*.py files", ".")
    .option("-b, --board <name>", "board profile: " + boardNames(), "puck")
    .option("--heap <bytes>", "Python heap for the tests' code (default: the board's)", parseBytes)
    .option("--strict-heap", "no extra heap for unittest itself")
    .option("--time <seconds>", "stop a test file after this much board time", (v) => parseFloat(v))
    .action((dir: string, opts: { board: string; heap?: number; strictHeap?: boolean; time?: number }) => {
      simTest(dir, {
        board: opts.board, heap: opts.heap, strictHeap: opts.strictHeap, seconds: opts.time,
        out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s),
      }).then((r) => {
        process.exitCode = r.code;
      }, reportAndExit);
    });

  // `espy run FILE --board NAME`: the run command (flasher/cli.ts) runs on the host; with --board (and no --port)
  // it runs on the simulator instead. Commander has no way to wrap an action, so a preAction hook takes over.
  const run = program.commands.find((c) => c.name() === "run");
  if (!run) return;
  run
    .option("--board <name>", "run on a simulated board (" + boardNames() + ") and show its pin trace")
    .option("--virtual-clock", "with --board: sleeping costs no wall time")
    .option("--time <seconds>", "with --board: stop after this much board time", (v) => parseFloat(v))
    .option("--no-trace", "with --board: don't print the pin trace");
  run.hook("preAction", async (_cmd, action) => {
    const o = action.opts() as { board?: string; port?: string; virtualClock?: boolean; time?: number; trace?: boolean };
    if (!o.board || o.port) return;
    const file = action.args[0];
    if (!fs.existsSync(file)) {
      process.stderr.write(`espy: can't open file '${file}': [Errno 2] No such file or directory\n`);
      process.exit(2);
    }
    let code = 1;
    try {
      code = await simRun(file, {
        board: o.board, virtualClock: o.virtualClock, seconds: o.time, trace: o.trace,
        out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s),
        started: (b) => process.on("SIGINT", () => b.write("\x03")), // Ctrl-C: KeyboardInterrupt, three stop it
      });
    } catch (e) {
      reportAndExit(e);
      code = process.exitCode as number;
    }
    // the host run must not follow: leave once the output is written
    process.stdout.write("", () => process.exit(code));
    await new Promise(() => {});
  });
}
