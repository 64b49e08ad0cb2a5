// The HAL on Node: output to the process's stdout/stderr, real time, files from the host's file system.
// Used by `espy run` on the host; the simulator has its own HAL over the device runtime's Espruino API.
import * as fs from "node:fs";
import type { Hal } from "../../core/hal";

export function hostHal(): Hal {
  const t0 = performance.now();
  return {
    write(fd, buf, off, len) {
      const out = fd === 2 ? process.stderr : process.stdout;
      out.write(Buffer.from(buf.buffer, buf.byteOffset + off, len).toString("latin1"), "latin1");
    },
    ticksMs: () => performance.now() - t0,
    time: () => Date.now() / 1000,
    schedule(fn, ms) {
      if (ms <= 0) setImmediate(fn);
      else setTimeout(fn, ms);
    },
    sleepBlocking(ms) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    },
    readFile(path) {
      try {
        return new Uint8Array(fs.readFileSync(path));
      } catch {
        return null;
      }
    },
    writeFile(path, data, append) {
      try {
        if (append) fs.appendFileSync(path, data);
        else fs.writeFileSync(path, data);
        return true;
      } catch {
        return false;
      }
    },
    stat(path) {
      try {
        const s = fs.statSync(path);
        return { size: s.size, mtime: s.mtimeMs / 1000, dir: s.isDirectory() };
      } catch {
        return null;
      }
    },
    listdir(path) {
      try {
        return fs.readdirSync(path);
      } catch {
        return null;
      }
    },
    remove(path) {
      try {
        fs.unlinkSync(path);
        return true;
      } catch {
        return false;
      }
    },
    rename(from, to) {
      try {
        fs.renameSync(from, to);
        return true;
      } catch {
        return false;
      }
    },
    mkdir(path) {
      try {
        fs.mkdirSync(path);
        return true;
      } catch {
        return false;
      }
    },
    info: () => ({ board: "host", firmware: "node " + process.version }),
  };
}
