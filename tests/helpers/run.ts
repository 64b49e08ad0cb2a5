// Running Python in the test process: the host runner with a HAL that captures stdout and stderr.
import { runHost } from "../../flasher/host";
import { hostHal } from "../../boards/host/hal";
import type { Hal } from "../../core/index";

export interface RunResult {
  out: string;
  err: string;
  code: number;
}

export async function runPy(src: string, opts: { heapBytes?: number; gcStress?: boolean; hal?: Partial<Hal>; filename?: string; maxSlices?: number } = {}): Promise<RunResult> {
  let out = "";
  let err = "";
  const base = hostHal();
  const hal: Hal = Object.assign({}, base, opts.hal || {}, {
    write(fd: number, buf: Uint8Array, off: number, len: number) {
      const s = Buffer.from(buf.buffer, buf.byteOffset + off, len).toString("utf8");
      if (fd === 2) err += s;
      else out += s;
    },
  });
  const code = await runHost(Buffer.from(src, "utf8").toString("latin1"), opts.filename || "test.py", {
    argv: ["test.py"],
    heapBytes: opts.heapBytes,
    gcStress: opts.gcStress,
    maxSlices: opts.maxSlices,
    hal,
  });
  return { out, err, code };
}
