// How bytes reach a board: a serial port (through serialport's stream and native bindings; this is the only file
// that loads them) or `tcp://host:port` (an Espruino board behind a TCP bridge, e.g. socat or an ESP8266's telnet).
// Both behind one small interface, so the protocol layer and the fault-injection tests never care which it is.
// Opening errors name the fix: no such port, port busy (and which process holds it, from /proc or lsof), nothing
// listening at a TCP address.
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { execFileSync } from "node:child_process";

export interface Transport {
  /** What the user named: the port path or tcp://host:port. */
  readonly name: string;
  /** Send bytes; resolves when they are handed to the OS. Rejects if the line is closed. */
  write(data: Uint8Array): Promise<void>;
  /** The one receiver of incoming bytes (a later call replaces it). */
  onData(cb: (d: Uint8Array) => void): void;
  /** Called once when the line closes (err when it closed by itself: unplugged, bridge gone). */
  onClose(cb: (err: Error | null) => void): void;
  close(): Promise<void>;
  readonly closed: boolean;
}

/** A failure the user can fix; `message` says how. */
export class DeviceError extends Error {
  constructor(message: string, readonly code: string = "EDEVICE") {
    super(message);
  }
}

export interface OpenOptions {
  /** Baud rate for serial ports (ignored on USB CDC and tcp://, where any works). Default 115200. */
  baud?: number;
}

export const DEFAULT_BAUD = 115200;

/** Open a serial port path or tcp://host:port. Throws DeviceError with the fix in its message. */
export async function openTransport(spec: string, opts: OpenOptions = {}): Promise<Transport> {
  if (/^tcp:\/\//i.test(spec)) return openTcp(spec);
  return openSerial(spec, opts.baud || DEFAULT_BAUD);
}

// --- tcp:// ----------------------------------------------------------------------------------------------------------

function openTcp(spec: string): Promise<Transport> {
  const m = /^tcp:\/\/(\[[^\]]+\]|[^:/]+):(\d+)\/?$/i.exec(spec);
  if (!m) return Promise.reject(new DeviceError(`bad address ${spec}: write it as tcp://HOST:PORT (e.g. tcp://127.0.0.1:2424)`, "EUSAGE"));
  const host = m[1].replace(/^\[|\]$/g, "");
  const port = parseInt(m[2], 10);
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port });
    sock.setNoDelay(true);
    let opened = false;
    sock.once("error", (e: NodeJS.ErrnoException) => {
      if (opened) return;
      const why =
        e.code === "ECONNREFUSED" ? "connection refused: nothing listens there. Start the bridge (socat TCP-LISTEN:PORT,reuseaddr FILE:/dev/ttyX,raw) or check the port" :
        e.code === "ENOTFOUND" || e.code === "EAI_AGAIN" ? `no such host ${host}: check the name` :
        e.code === "ETIMEDOUT" || e.code === "EHOSTUNREACH" ? "no answer from the host: check the address and the network" :
        e.message;
      reject(new DeviceError(`can't connect to ${spec}: ${why}`, e.code || "ECONNECT"));
    });
    sock.once("connect", () => {
      opened = true;
      resolve(streamTransport(spec, sock, () => new Promise<void>((r) => { sock.end(); sock.destroy(); r(); })));
    });
  });
}

/** A Transport over a Node duplex stream (a socket or serialport's stream). */
function streamTransport(name: string, s: NodeJS.ReadWriteStream & { destroyed?: boolean }, doClose: () => Promise<void>): Transport {
  let dataCb: ((d: Uint8Array) => void) | null = null;
  let closeCb: ((err: Error | null) => void) | null = null;
  let closed = false;
  let err: Error | null = null;
  let closing = false;
  const finish = () => {
    if (closed) return;
    closed = true;
    if (closeCb) closeCb(closing ? null : err || new DeviceError(`${name}: the line closed`, "ECLOSED"));
  };
  s.on("data", (d: Buffer) => { if (dataCb) dataCb(new Uint8Array(d.buffer, d.byteOffset, d.length)); });
  s.on("error", (e: Error) => { err = e; });
  s.on("close", finish);
  s.on("end", finish);
  return {
    name,
    get closed() { return closed; },
    write(data: Uint8Array) {
      if (closed) return Promise.reject(new DeviceError(`${name}: the line is closed`, "ECLOSED"));
      return new Promise<void>((resolve, reject) => {
        s.write(Buffer.from(data.buffer, data.byteOffset, data.length), (e?: Error | null) => (e ? reject(new DeviceError(`${name}: write failed: ${e.message}`, "EWRITE")) : resolve()));
      });
    },
    onData(cb) { dataCb = cb; },
    onClose(cb) { closeCb = cb; },
    close() {
      if (closed) return Promise.resolve();
      closing = true;
      return doClose().then(() => finish());
    },
  };
}

// --- serial ----------------------------------------------------------------------------------------------------------

/** serialport's native bindings, loaded on first use (the host-only commands never need them). */
function bindings(): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("@serialport/bindings-cpp").autoDetect();
}

async function openSerial(p: string, baud: number): Promise<Transport> {
  if (!fs.existsSync(p)) {
    throw new DeviceError(`no such port ${p}: plug the board in, or pick one from \`espy ports\``, "ENOPORT");
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SerialPortStream } = require("@serialport/stream");
  const port = new SerialPortStream({ binding: bindings(), path: p, baudRate: baud, autoOpen: false, lock: true });
  await new Promise<void>((resolve, reject) => {
    port.open((e: Error | null) => {
      if (!e) return resolve();
      const msg = String(e.message || e);
      if (/lock|busy|temporarily unavailable|EBUSY|EAGAIN/i.test(msg)) {
        const who = portHolders(p);
        reject(new DeviceError(`port ${p} is busy${who.length ? ` (used by ${who.join(", ")})` : ""}: close the program using it, or pass --port another`, "EBUSY"));
      } else if (/EACCES|permission/i.test(msg)) {
        reject(new DeviceError(`no permission to open ${p}: add yourself to its group (ls -l ${p}; e.g. sudo usermod -aG dialout $USER, then log in again)`, "EACCES"));
      } else if (/ENOENT|no such file/i.test(msg)) {
        reject(new DeviceError(`no such port ${p}: plug the board in, or pick one from \`espy ports\``, "ENOPORT"));
      } else reject(new DeviceError(`can't open ${p}: ${msg}`, "EOPEN"));
    });
  });
  return streamTransport(p, port, () => new Promise<void>((r) => {
    if (!port.isOpen) return r();
    port.close(() => r());
  }));
}

/** "pid 1234 screen" for each process that has the device open (Linux /proc; elsewhere lsof if it exists). */
export function portHolders(p: string): string[] {
  let target: string;
  try {
    target = fs.realpathSync(p);
  } catch {
    return [];
  }
  const out: string[] = [];
  if (fs.existsSync("/proc/self/fd")) {
    let pids: string[] = [];
    try {
      pids = fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d));
    } catch {
      pids = [];
    }
    for (const pid of pids) {
      let fds: string[];
      try {
        fds = fs.readdirSync(path.join("/proc", pid, "fd"));
      } catch {
        continue;
      }
      for (const fd of fds) {
        let l: string;
        try {
          l = fs.readlinkSync(path.join("/proc", pid, "fd", fd));
        } catch {
          continue;
        }
        if (l === target) {
          let comm = "";
          try {
            comm = fs.readFileSync(path.join("/proc", pid, "comm"), "utf8").trim();
          } catch {
            comm = "";
          }
          out.push(`pid ${pid}${comm ? " " + comm : ""}`);
          break;
        }
      }
    }
    return out;
  }
  try {
    const r = execFileSync("lsof", ["-F", "pc", target], { encoding: "utf8", timeout: 3000, stdio: ["ignore", "pipe", "ignore"] });
    let pid = "";
    for (const line of r.split("\n")) {
      if (line[0] === "p") pid = line.slice(1);
      else if (line[0] === "c" && pid) out.push(`pid ${pid} ${line.slice(1)}`);
    }
  } catch {
    // no lsof, or nobody holds it
  }
  return out;
}

export interface PortInfo {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
}

/** Serial ports the OS enumerates (USB serial adapters, CDC ACM boards). */
export async function listSerialPorts(): Promise<PortInfo[]> {
  const list: PortInfo[] = await bindings().list();
  return list.map((x) => ({ path: x.path, manufacturer: x.manufacturer, serialNumber: x.serialNumber, vendorId: x.vendorId, productId: x.productId }));
}
