// `espy flash main.py [other.py … | DIR] --port P`: compile on the host, install the program atomically
// (flasher/install.ts: runtime by version handshake, files verified by CRC-32, the pointer switched last), set it to
// run at boot (the profile's boot file belongs to the runtime set), reset the board and show the program's first
// output. Also `espy exec --port P "code"`, `espy reset --port P` and `espy run FILE.py --port P` (run without
// saving: the image goes to the board as base64 lines and espy.runImage runs it, output streamed back, Ctrl-C
// forwarded).
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { isCompileError } from "../core/index";
import { compileSource, findSources } from "./compile";
import { formatSyntaxError, readSource, bytesToText } from "./host";
import { boardOptions, connect, makeUi, runCommand, exitWith } from "./session";
import type { BoardOptions, ConnectOptions, Session, Ui } from "./session";
import { boardFile, installProgram, runtimeSet, compareVersions } from "./install";
import type { BoardFile, FlashResult } from "./install";
import { DeviceError } from "./transport";
import { sleep } from "./protocol";
import { registerFsCommands } from "./fs";
import { withSourceLines } from "./sim";
import { registerPortsCommands } from "./ports";

// --- compiling a program ------------------------------------------------------------------------------------------

/**
 * The files of a program: the first path is the main program (stored as main.mpb whatever its name; a directory means
 * its main.py and every other .py under it), then single modules (NAME.py → NAME.mpb) and directories (their tree:
 * PKG/__init__.py → PKG/__init__.mpb). Throws DeviceError on a missing file or a syntax error (printed like Python).
 */
export function compileProgram(paths: string[], optimize = 0): BoardFile[] {
  if (!paths.length) throw new DeviceError("nothing to flash: espy flash main.py [other.py … | DIR] --port PORT", "EUSAGE");
  const out: BoardFile[] = [];
  const seen = new Map<string, string>();
  const add = (storeName: string, file: string) => {
    const prev = seen.get(storeName);
    if (prev !== undefined) {
      if (path.resolve(prev) === path.resolve(file)) return;
      throw new DeviceError(`${file} and ${prev} would both be ${storeName} on the board: rename one`, "EUSAGE");
    }
    seen.set(storeName, file);
    let src: string;
    try {
      src = readSource(file);
    } catch (e) {
      throw new DeviceError(`can't read ${file}: ${(e as Error).message}`, "EUSAGE");
    }
    const shown = storeName === "main.mpb" ? path.basename(file) : storeName.replace(/\.mpb$/, ".py");
    try {
      out.push(boardFile(storeName, compileSource(src, shown, optimize, false).image));
    } catch (e) {
      if (isCompileError(e)) throw new DeviceError("the program does not compile:\n" + bytesToText(formatSyntaxError(e, file, src)).replace(/\n$/, ""), "ECOMPILE");
      throw e;
    }
  };
  const isDir = (p: string) => fs.existsSync(p) && fs.statSync(p).isDirectory();
  paths.forEach((p, i) => {
    if (!fs.existsSync(p)) throw new DeviceError(`no such file or directory: ${p}`, "EUSAGE");
    if (isDir(p)) {
      if (i === 0) {
        if (!fs.existsSync(path.join(p, "main.py"))) throw new DeviceError(`${p} has no main.py: name the main program first (espy flash prog.py ${p})`, "EUSAGE");
        add("main.mpb", path.join(p, "main.py"));
      }
      for (const f of findSources(p)) {
        const rel = path.relative(p, f).split(path.sep).join("/");
        if (i === 0 && rel === "main.py") continue;
        add(rel.replace(/\.py$/, ".mpb"), f);
      }
    } else if (i === 0) add("main.mpb", p);
    else add(path.basename(p).replace(/\.py$/, "") + ".mpb", p);
  });
  return out;
}

// --- progress ------------------------------------------------------------------------------------------------------

/** A progress bar on a terminal (cli-progress), a line per file otherwise, nothing with --quiet. */
export function progressReporter(ui: Ui): { update: (done: number, total: number, file: string) => void; stop: () => void } {
  if (ui.quiet || (ui.verbose && !ui.tty)) return { update: () => {}, stop: () => {} };
  if (ui.tty) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cp = require("cli-progress");
    const bar = new cp.SingleBar({ format: "  {bar} {percentage}% | {value}/{total} bytes | {file}", hideCursor: true, stream: process.stderr, clearOnComplete: true }, cp.Presets.shades_classic);
    let started = false;
    return {
      update(done, total, file) {
        if (!started) {
          bar.start(total, 0, { file });
          started = true;
        }
        bar.update(done, { file });
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let lastFile = "";
  return {
    update(_done, _total, file) {
      if (file !== lastFile) {
        lastFile = file;
        ui.note(`  writing ${file}`);
      }
    },
    stop() {},
  };
}

/**
 * The board's output as terminal text: "\r\n" → "\n", the console's line-clearing escapes dropped, and each
 * traceback line `File "X", line N` followed by that source line (the board has no sources). A partial line is shown
 * at once unless it could be the start of a traceback line.
 */
export function outputLines(sources: { [file: string]: string }, write: (s: string) => void): { push: (s: string) => void; flush: () => void } {
  let partial = "";
  const clean = (t: string) => bytesToText(t.replace(/\x1b\[J/g, "").replace(/\r/g, ""));
  return {
    push(d: string) {
      partial += d.replace(/\r\n/g, "\n");
      const nl = partial.lastIndexOf("\n");
      if (nl < 0) {
        if (partial && !/^ *F?i?l?e?( |$)/.test(partial)) {
          write(clean(partial));
          partial = "";
        }
        return;
      }
      const lines = partial.slice(0, nl + 1);
      partial = partial.slice(nl + 1);
      write(withSourceLines(clean(lines), sources));
    },
    flush() {
      if (partial) write(clean(partial));
      partial = "";
    },
  };
}

// --- the board after a flash ---------------------------------------------------------------------------------------

/** Restart the board the way it boots (load(): boot code, then main.mpb), then show its output for `seconds`. */
export async function resetAndWatch(s: Session, ui: Ui, seconds: number, hard = false, sources: { [file: string]: string } = {}, idleMs = 1500): Promise<string> {
  let shown = "";
  let atLineStart = true;
  let last = 0;
  const lines = outputLines(sources, (t) => {
    if (!t) return;
    ui.out(t);
    atLineStart = t.endsWith("\n");
  });
  s.board.passthrough = (d) => {
    // the JS prompt Espruino prints as it restarts is not the program's
    const t = shown ? d : d.replace(/^[\r\n]*>/, "");
    if (!t) return;
    lines.push(t);
    shown += t;
    last = Date.now();
  };
  await s.board.write(hard ? "\x10E.reboot()\n" : "\x10load()\n");
  if (seconds > 0) {
    // the whole window at most; once the program has printed, until it has been quiet for idleMs; or the line closes
    const end = Date.now() + seconds * 1000;
    while (Date.now() < end && !s.board.t.closed && !(last && Date.now() - last >= idleMs)) await sleep(40);
  }
  s.board.passthrough = null;
  lines.flush();
  if (!atLineStart) ui.out("\n");
  return shown;
}

// --- commands ------------------------------------------------------------------------------------------------------

export interface FlashCliOptions extends BoardOptions {
  board?: string;
  watch?: number;
  forceRuntime?: boolean;
  reinstallRuntime?: boolean;
  keepRuntime?: boolean;
  optimize?: boolean;
  reset?: boolean;
}

/** The whole of `espy flash` (tests call it with a transport into the simulator). */
export async function flashMain(paths: string[], o: FlashCliOptions & ConnectOptions, ui: Ui): Promise<FlashResult> {
  const program = compileProgram(paths, o.optimize ? 1 : 0);
  const size = program.reduce((t, f) => t + f.data.length, 0);
  ui.detail(`compiled ${program.length} file(s), ${size} bytes: ${program.map((f) => f.name).join(", ")}`);
  const s = await connect(o, ui);
  try {
    ui.note(`${s.info.board} (Espruino ${s.info.fw}) on ${s.board.t.name}`);
    const bar = progressReporter(ui);
    let r: FlashResult;
    try {
      r = await installProgram(s, program, ui, { forceRuntime: o.forceRuntime, reinstallRuntime: o.reinstallRuntime, keepRuntime: o.keepRuntime, deviceDir: o.deviceDir, progress: bar.update });
    } finally {
      bar.stop();
    }
    const rate = r.ms > 0 ? Math.round((r.bytes * 1000) / r.ms) : 0;
    if (r.runtime.length) ui.note(`runtime ${runtimeSet(s.profile, s.profileName, o.deviceDir).version} installed (${r.runtime.join(", ")})`);
    ui.note(`program installed as generation ${r.generation}: ${program.length} file(s), ${size} bytes, verified (${r.bytes} bytes sent in ${(r.ms / 1000).toFixed(2)} s, ${rate} bytes/s)`);
    if (o.reset !== false) {
      const secs = o.watch === undefined ? 5 : o.watch;
      if (secs > 0) ui.note(`resetting the board; its first output:`);
      else ui.note("resetting the board");
      await resetAndWatch(s, ui, secs, false, programSources(paths));
    }
    return r;
  } finally {
    await s.close();
  }
}

/** Host sources by the file names tracebacks on the board use (see compileProgram). */
function programSources(paths: string[]): { [file: string]: string } {
  const out: { [file: string]: string } = {};
  paths.forEach((p, i) => {
    try {
      if (fs.statSync(p).isDirectory()) {
        for (const f of findSources(p)) {
          const rel = path.relative(p, f).split(path.sep).join("/");
          out[i === 0 && rel === "main.py" ? "main.py" : rel] = readSource(f);
        }
      } else out[path.basename(p)] = readSource(p);
    } catch {
      // unreadable now: no source lines for it
    }
  });
  return out;
}

/** The runtime must be there, of this espy's version, and loaded; `espy.cfg` set (as the boot file would). */
async function needRuntime(s: Session, ui: Ui): Promise<void> {
  const rt = runtimeSet(s.profile, s.profileName, s.deviceDir);
  const ours = rt.version;
  let v = s.info.espy;
  if (!v) {
    const inStorage = await s.board.query('require("Storage").read("espy.js")!==undefined');
    if (!inStorage) throw new DeviceError(`the board has no espy runtime: install it with a program (espy flash main.py --port ${s.board.t.name})`, "ENORUNTIME");
    ui.detail("loading the runtime from Storage");
    v = await s.board.query('(eval(require("Storage").read("espy.js")),typeof espy=="object"?espy.version:null)', s.board.timeoutMs * 6);
    if (!v) throw new DeviceError("the board's espy.js did not load: reinstall it (espy flash main.py --port PORT --reinstall-runtime)", "ENORUNTIME");
  }
  if (v !== ours) {
    const c = compareVersions(v, ours);
    if (c > 0) throw new DeviceError(`the board's runtime (${v}) is newer than this espy's (${ours}): update espy (npm install -g espy@latest)`, "ENEWER");
    if (c < 0) throw new DeviceError(`the board's runtime (${v}) is older than this espy's (${ours}): upgrade it with espy flash main.py --port ${s.board.t.name}`, "EOLDER");
    ui.detail(`the board's runtime is another build of ${ours.split("/")[0]} (${v}); running anyway`);
  }
  const p = s.profile;
  const cfg = `{heap:${p.heapBytes},frame:${p.frameBytes},margin:${p.marginBlocks},con:E.getConsole()||${JSON.stringify(p.console)},btn:${JSON.stringify(p.safeButton)},blocks:${p.blocks}}`;
  await s.board.query(`(espy.cfg||(espy.cfg=${cfg}),1)`);
}

/**
 * Run a compiled image on the board without saving it: sent as base64 in numbered pieces (each acknowledged, so a
 * garbled one is sent again), then started by espy.runImage; everything the board prints until the program's end
 * marker is streamed to `onOutput`. Resolves with the program's exit status (0, 1 uncaught exception, 130 stopped).
 */
export async function runOnBoard(s: Session, image: Uint8Array, ui: Ui, io: { onOutput: (s: string) => void; input?: (send: (d: string) => void) => () => void }): Promise<number> {
  await needRuntime(s, ui);
  const b64 = Buffer.from(image).toString("base64");
  const parts: string[] = [];
  for (let i = 0; i < b64.length; i += 960) parts.push(b64.slice(i, i + 960));
  await s.board.query(`(global.__espyI=[],1)`);
  for (let i = 0; i < parts.length; i++) await s.board.query(`(__espyI[${i}]="${parts[i]}",1)`);
  const n = await s.board.query(`__espyI.join("").length`);
  if (n !== b64.length) throw new DeviceError("the program arrived incomplete on the board: try again", "EMISMATCH");
  const tag = "ESPYEND" + Math.random().toString(36).slice(2, 8);
  const re = new RegExp(`<<${tag}(-?\\d+)>>\\r?\\n?`);
  let buf = "";
  let code: number | null = null;
  let started = false;
  s.board.passthrough = (d) => {
    if (!started) {
      // the JS prompt after the last request is not the program's output
      d = d.replace(/^[\r\n]*>?/, "");
      if (!d) return;
      started = true;
    }
    buf += d;
    const m = re.exec(buf);
    if (m) {
      io.onOutput(buf.slice(0, m.index));
      buf = "";
      code = parseInt(m[1], 10);
      return;
    }
    // keep back what could be the start of the end marker
    const k = buf.lastIndexOf("<");
    const keep = k >= 0 && buf.length - k < tag.length + 8 ? buf.length - k : 0;
    if (buf.length - keep > 0) {
      io.onOutput(buf.slice(0, buf.length - keep));
      buf = buf.slice(buf.length - keep);
    }
  };
  const stopInput = io.input ? io.input((d) => void s.board.write(d).catch(() => {})) : () => {};
  try {
    // a JS exception out of runImage (the runtime failing to start the program) ends the run too, console given back
    await s.board.write(
      `\x10(function(b){delete global.__espyI;try{if(!espy.runImage(b,function(c){print("<<${tag}"+c+">>")}))print("<<${tag}-1>>")}` +
        `catch(e){espy.stop();print("espy: the runtime could not start the program ("+(e&&e.message||JSON.stringify(e))+")");print("<<${tag}-1>>")}})(__espyI.join(""))\n`,
    );
    // waitFor is woken by every byte that arrives and rejects when the line closes
    await s.board.waitFor(() => (code !== null ? true : undefined), 0x7fffffff, "the program's end");
  } finally {
    stopInput();
    s.board.passthrough = null;
  }
  return code === -1 ? 1 : (code as unknown as number);
}

/** Keyboard → board while a program runs: raw keys on a terminal (Ctrl-C as 03), SIGINT otherwise. Never 04 to LINUX. */
export function forwardInput(s: Session): (send: (d: string) => void) => () => void {
  return (send) => {
    const stdin = process.stdin;
    let ctrlC = 0;
    const onSig = () => {
      ctrlC++;
      // the third stops even a program that catches KeyboardInterrupt (ESC ESC DLE gives the console back); a fourth
      // gives up on a board that no longer answers
      if (ctrlC >= 4) process.exit(130);
      send(ctrlC >= 3 ? "\x1b\x1b\x10" : "\x03");
    };
    if (stdin.isTTY) {
      stdin.setRawMode(true);
      stdin.resume();
      const onKey = (d: Buffer) => {
        let t = d.toString("latin1");
        if (s.info.linux) t = t.replace(/\x04/g, "");
        if (t.indexOf("\x03") >= 0) ctrlC++;
        if (ctrlC >= 3) t = t.replace(/\x03/g, "") + "\x1b\x1b\x10";
        if (t) send(t);
      };
      stdin.on("data", onKey);
      return () => {
        stdin.removeListener("data", onKey);
        stdin.setRawMode(false);
        stdin.pause();
      };
    }
    process.on("SIGINT", onSig);
    return () => process.removeListener("SIGINT", onSig);
  };
}

/** `espy run FILE.py --port P` and `espy exec --port P CODE`. */
export async function runMain(src: string, filename: string, o: ConnectOptions & { optimize?: boolean }, ui: Ui, input?: boolean): Promise<number> {
  let image: Uint8Array;
  try {
    image = compileSource(src, filename, o.optimize ? 1 : 0, false).image;
  } catch (e) {
    if (isCompileError(e)) {
      ui.err(bytesToText(formatSyntaxError(e, filename, src)));
      return 1;
    }
    throw e;
  }
  const s = await connect(o, ui);
  try {
    const lines = outputLines({ [filename]: src }, (t) => t && ui.out(t));
    try {
      return await runOnBoard(s, image, ui, { onOutput: (t) => lines.push(t), input: input ? forwardInput(s) : undefined });
    } finally {
      lines.flush();
    }
  } finally {
    await s.close();
  }
}

export function registerFlashCommands(program: Command): void {
  registerFsCommands(program);
  registerPortsCommands(program);
  registerRunOnPort(program);
  boardOptions(
    program
      .command("flash")
      .description("compile and install a program on a board (atomically, verified), set it to run at boot, reset and show its output")
      .argument("<files...>", "main.py, then other modules (NAME.py) or directories of modules and packages")
      .option("--board <name>", "board profile (puck, pixl, bangle2, pico, wifi, esp32, linux) or auto", "auto")
      .option("-w, --watch <seconds>", "show the program's output after the reset: until it is quiet for 1.5 s, at most this long (0: don't wait)", (v) => parseFloat(v), 5)
      .option("--no-reset", "install only; don't reset the board")
      .option("--force-runtime", "install this espy's runtime even over a newer one")
      .option("--reinstall-runtime", "write the runtime again even when the board's matches")
      .option("--keep-runtime", "leave the board's runtime as it is (install the program only)")
      .option("-O, --optimize", "drop asserts and set __debug__ to False"),
  ).action((files: string[], o: FlashCliOptions) => {
    const ui = makeUi(o);
    exitWith(runCommand(ui, async () => {
      await flashMain(files, o, ui);
    }));
  });
  boardOptions(
    program
      .command("exec")
      .description("run Python code on a board without saving it; its output is streamed back")
      .argument("<code>", "Python source")
      .option("--board <name>", "board profile, or auto", "auto"),
  ).action((code: string, o: ConnectOptions) => {
    const ui = makeUi(o);
    exitWith(runCommand(ui, () => runMain(code, "<string>", o, ui, true)));
  });
  boardOptions(
    program
      .command("reset")
      .description("restart a board the way it boots (its program runs) and show its output")
      .option("--hard", "reboot the chip (E.reboot()) instead of restarting the JS interpreter")
      .option("-w, --watch <seconds>", "show the board's output until it is quiet for 1.5 s, at most this long", (v) => parseFloat(v), 5)
      .option("--board <name>", "board profile, or auto", "auto"),
  ).action((o: ConnectOptions & { hard?: boolean; watch?: number }) => {
    const ui = makeUi(o);
    exitWith(runCommand(ui, async () => {
      const s = await connect(o, ui);
      try {
        await resetAndWatch(s, ui, o.watch === undefined ? 5 : o.watch, !!o.hard);
      } finally {
        await s.close();
      }
    }));
  });
}

/**
 * `espy run FILE.py --port P`: cli.ts's run command runs on the host (and flasher/sim.ts's hook on a simulated board
 * with --board); with --port this hook takes over. Commander can't wrap an action, so it leaves once the run ends.
 */
function registerRunOnPort(program: Command): void {
  const run = program.commands.find((c) => c.name() === "run");
  if (!run) return;
  run
    .option("-p, --port <port>", "run on the board at this serial port or tcp://host:port (without saving it)")
    .option("--baud <rate>", "with --port: baud rate", (v) => parseInt(v, 10), 115200)
    .option("--timeout <seconds>", "with --port: how long an answer may take", (v) => parseFloat(v))
    .option("-q, --quiet", "with --port: print only the program's output and errors")
    .option("--verbose", "with --port: say what is happening");
  run.hook("preAction", async (_cmd, action) => {
    const o = action.opts() as ConnectOptions & { optimize?: boolean };
    if (!o.port) return;
    const file = action.args[0];
    const ui = makeUi(o);
    const code = await runCommand(ui, async () => {
      if (!fs.existsSync(file)) throw new DeviceError(`can't open file '${file}': [Errno 2] No such file or directory`, "EUSAGE");
      return runMain(readSource(file), path.basename(file), o, ui, true);
    });
    process.stdout.write("", () => process.exit(code));
    await new Promise(() => {});
  });
}
