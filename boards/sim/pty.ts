// The simulated board on a pseudo-terminal, so host tools reach it through serialport exactly as they reach a
// board's USB serial port. socat makes the pty (`PTY,link=…,raw,echo=0`) and shuttles its bytes over its own stdin
// and stdout, which this module connects to the board's console device. socat survives clients closing and
// reopening the device. What the board sends while no client is connected waits in the pty (a few KB) and then in a
// bounded queue; beyond that it is dropped, as a board's output is when nobody listens.
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { SimBoard } from "./board";

/** Most bytes kept for the pty while its reader is slow or absent. */
const BACKLOG_MAX = 64 * 1024;

export interface SimPty {
  /** The device path to open (the link socat keeps pointing at the pty). */
  path: string;
  /** The pty itself (/dev/pts/N). */
  pts: string;
  close(): Promise<void>;
}

/** Whether socat is installed. */
export function haveSocat(): boolean {
  try {
    return spawnSync("socat", ["-V"], { stdio: "ignore" }).status === 0;
  } catch {
    return false;
  }
}

/** Put the board behind a pseudo-terminal at `link` (its parent directory is created). */
export function openPty(board: SimBoard, link: string): Promise<SimPty> {
  const abs = path.resolve(link);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  try {
    fs.unlinkSync(abs);
  } catch {
    /* not there */
  }
  return new Promise((resolve, reject) => {
    let p: ChildProcess;
    try {
      p = spawn("socat", ["-d", "-d", "PTY,link=" + abs + ",raw,echo=0", "STDIO"], { stdio: ["pipe", "pipe", "pipe"] });
    } catch (e) {
      reject(e);
      return;
    }
    let pts = "";
    let err = "";
    let ready = false;
    let exited = false;
    const onOutput = (s: string) => {
      if (exited || !p.stdin || p.stdin.destroyed) return;
      if (p.stdin.writableLength > BACKLOG_MAX) return; // nobody reads: drop, like a board with no host attached
      p.stdin.write(Buffer.from(s, "latin1"));
    };
    const onExit = () => {
      if (!exited) closeIt();
    };
    p.on("error", (e) => {
      if (!ready) reject(new Error("espy sim: cannot run socat (" + e.message + "): install it (apt-get install socat)"));
    });
    p.stdin!.on("error", () => {});
    p.stdout!.on("data", (d: Buffer) => board.write(d.toString("latin1")));
    p.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
      const m = /PTY is (\S+)/.exec(err);
      if (m && !pts) pts = m[1];
      if (!ready && pts && /starting data transfer loop/.test(err)) {
        ready = true;
        board.on("output", onOutput);
        board.on("exit", onExit);
        resolve(sim);
      }
    });
    const closed = new Promise<void>((r) => p.on("exit", () => r()));
    p.on("exit", (code) => {
      exited = true;
      board.removeListener("output", onOutput);
      board.removeListener("exit", onExit);
      if (!ready) reject(new Error("espy sim: socat exited (" + code + "): " + err.trim()));
    });
    const closeIt = async () => {
      if (!exited) {
        p.kill("SIGTERM");
        await closed;
      }
      try {
        fs.unlinkSync(abs);
      } catch {
        /* socat removed it */
      }
    };
    const sim: SimPty = {
      path: abs,
      get pts() {
        return pts;
      },
      close: closeIt,
    };
  });
}
