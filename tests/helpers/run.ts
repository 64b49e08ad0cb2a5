// Running Python in the test process: the host runner with a HAL that captures stdout and stderr.
import { runHost } from "../../flasher/host";
import { hostHal } from "../../boards/host/hal";
import type { Hal, Vm } from "../../core/index";

/** Thrown from inside the VM to stop a program that ran past opts.maxEvents. */
const RUNAWAY = new Error("runaway program");

export interface RunResult {
  out: string;
  err: string;
  code: number;
}

export async function runPy(src: string, opts: { heapBytes?: number; gcStress?: boolean; hal?: Partial<Hal>; filename?: string; maxSlices?: number; maxEvents?: number } = {}): Promise<RunResult> {
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
  const setup = opts.maxEvents
    ? (vm: Vm) => {
        // the dispatch loop reads vm.interrupt at every backward jump and call, also inside Python code that native
        // code calls (gen.send, sort keys), where slices cannot end: the one place to stop any runaway program
        let events = 0;
        const limit = opts.maxEvents!;
        Object.defineProperty(vm, "interrupt", {
          get() {
            if (++events > limit) throw RUNAWAY;
            return false;
          },
          set() {},
        });
        vm.debug = (e) => {
          if (e === RUNAWAY) throw e;
        };
      }
    : undefined;
  let code: number;
  try {
    code = await runHost(Buffer.from(src, "utf8").toString("latin1"), opts.filename || "test.py", {
      argv: ["test.py"],
      heapBytes: opts.heapBytes,
      gcStress: opts.gcStress,
      maxSlices: opts.maxSlices,
      setup,
      hal,
    });
  } catch (e) {
    if (e !== RUNAWAY) throw e;
    code = 124; // as timeout(1) reports a program it stopped
  }
  return { out, err, code };
}
