// What every board command shares (`espy flash`, `fs`, `exec`, `reset`, `run --port`, `ports`): the --port/--baud/
// --quiet/--verbose options, opening the line and taking the board's console (flasher/protocol.ts), the checks that
// turn a board into a clear error (not Espruino, firmware too old, unknown board), the board's profile, and printing
// errors with their fix. Exit codes: 0 ok, 1 the operation failed (the message says why and what to do), 2 usage.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { Board, fwNumber } from "./protocol";
import type { BoardInfo, ProtocolOptions } from "./protocol";
import { DeviceError, openTransport } from "./transport";
import type { Transport } from "./transport";
import { PROFILES } from "../boards/profiles";
import type { BoardProfile } from "../boards/profiles";

/** The oldest Espruino firmware espy's runtime is built and tested for (its Storage, E and console APIs). */
export const MIN_FIRMWARE = "2v20";

export interface BoardOptions {
  port?: string;
  baud?: number;
  quiet?: boolean;
  verbose?: boolean;
  /** Seconds an answer may take (a slow board, a long Storage operation). */
  timeout?: number;
}

/** Where messages go: results on stdout, progress and notes on stderr (quiet drops notes, verbose adds detail). */
export interface Ui {
  out(s: string): void;
  note(s: string): void;
  detail(s: string): void;
  err(s: string): void;
  quiet: boolean;
  verbose: boolean;
  tty: boolean;
}

export function makeUi(o: BoardOptions, io?: { out?: (s: string) => void; err?: (s: string) => void; tty?: boolean }): Ui {
  const out = (io && io.out) || ((s: string) => void process.stdout.write(s));
  const err = (io && io.err) || ((s: string) => void process.stderr.write(s));
  return {
    out,
    err,
    note: (s) => {
      if (!o.quiet) err(s + "\n");
    },
    detail: (s) => {
      if (o.verbose) err(s + "\n");
    },
    quiet: !!o.quiet,
    verbose: !!o.verbose,
    tty: io && io.tty !== undefined ? io.tty : !!process.stderr.isTTY,
  };
}

/** Add the options every board command takes. */
export function boardOptions(cmd: Command, portRequired = true): Command {
  const c = portRequired ? cmd.requiredOption("-p, --port <port>", "serial port (e.g. /dev/ttyACM0) or tcp://host:port") : cmd.option("-p, --port <port>", "serial port (e.g. /dev/ttyACM0) or tcp://host:port");
  return c
    .option("--baud <rate>", "baud rate for serial ports", (v) => parseInt(v, 10), 115200)
    .option("--timeout <seconds>", "how long an answer may take", (v) => parseFloat(v))
    .option("-q, --quiet", "print only results and errors")
    .option("-v, --verbose", "say what is happening, retries included");
}

export interface Session {
  board: Board;
  info: BoardInfo;
  /** The board's profile row and its name (puck, esp32…). */
  profile: BoardProfile;
  profileName: string;
  /** Where this session's runtime files come from (undefined: dist/device). */
  deviceDir?: string;
  close(): Promise<void>;
}

export interface ConnectOptions extends BoardOptions {
  /** A profile name, or "auto" (default): by process.env.BOARD. */
  board?: string;
  /** An already open line (tests; the fault injector). */
  transport?: Transport;
  /** Extra protocol options (tests shorten the timeouts). */
  protocol?: ProtocolOptions;
  /** Accept firmware older than MIN_FIRMWARE (ports only reports it). */
  anyFirmware?: boolean;
  /** Where the runtime files come from (default dist/device beside the CLI; tests pin a copy). */
  deviceDir?: string;
}

/** The profile row for process.env.BOARD (or the name given with --board). */
export function profileFor(board: string, wanted?: string): { name: string; profile: BoardProfile } {
  if (wanted && wanted !== "auto") {
    const p = PROFILES[wanted];
    if (!p) throw new DeviceError(`no board profile '${wanted}': use one of ${Object.keys(PROFILES).join(", ")}, or --board auto`, "EUSAGE");
    return { name: wanted, profile: p };
  }
  for (const name of Object.keys(PROFILES)) if (PROFILES[name].board === board || (PROFILES[name].board === "LINUX" && /^LINUX/.test(board))) return { name, profile: PROFILES[name] };
  throw new DeviceError(`espy has no profile for the board ${board}: pass --board with the closest of ${Object.keys(PROFILES).join(", ")}`, "EBOARD");
}

/** Open the line, take the console, ask the board what it is, and check it can run espy. */
export async function connect(o: ConnectOptions, ui: Ui): Promise<Session> {
  if (!o.transport && !o.port) throw new DeviceError("no port given: pass --port PORT (see `espy ports`)", "EUSAGE");
  const t = o.transport || (await openTransport(o.port as string, { baud: o.baud }));
  const popts: ProtocolOptions = Object.assign({ log: (s: string) => ui.detail("  " + s) }, o.timeout ? { timeoutMs: o.timeout * 1000 } : {}, o.protocol || {});
  const board = new Board(t, popts);
  try {
    ui.detail(`connecting to ${t.name}`);
    await board.sync();
    const info = await board.identify();
    ui.detail(`${info.board}, Espruino ${info.fw}, runtime ${info.espy || "not loaded"}, ${info.free} bytes of Storage free, ${info.packets ? "binary packets" : "Storage.write lines"}`);
    if (!o.anyFirmware && fwNumber(info.fw) < fwNumber(MIN_FIRMWARE)) {
      throw new DeviceError(`the board's firmware is Espruino ${info.fw}, older than ${MIN_FIRMWARE} that espy needs: update it (https://www.espruino.com/Firmware+Update), then try again`, "EFIRMWARE");
    }
    const pr = profileFor(info.board, o.board);
    return { board, info, profile: pr.profile, profileName: pr.name, deviceDir: o.deviceDir, close: () => board.close() };
  } catch (e) {
    await board.close().catch(() => {});
    throw e;
  }
}

/** Run a command's body: print a DeviceError's message (it names the fix) and set the exit code. */
export async function runCommand(ui: Ui, body: () => Promise<number | void>): Promise<number> {
  try {
    const r = await body();
    return typeof r === "number" ? r : 0;
  } catch (e) {
    if (e instanceof DeviceError) {
      ui.err("espy: " + e.message + "\n");
      return e.code === "EUSAGE" ? 2 : 1;
    }
    ui.err("espy: internal error: " + ((e as Error).stack || String(e)) + "\n");
    return 1;
  }
}

/** Set the exit code when a command's promise settles (commander actions). */
export function exitWith(p: Promise<number>): void {
  p.then((code) => {
    process.exitCode = code;
  });
}

/** dist/device: beside the bundled CLI (dist/cli.js) or, from the sources, dist/device in the tree. */
export function deviceDir(): string {
  const cands = [path.join(__dirname, "device"), path.join(__dirname, "..", "dist", "device"), path.join(process.cwd(), "dist", "device")];
  for (const c of cands) if (fs.existsSync(path.join(c, "espy.js"))) return c;
  throw new DeviceError("the device runtime is not built (dist/device/espy.js is missing): run `npm run build`", "ENORUNTIME");
}
