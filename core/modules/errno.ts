// The errno module: MicroPython's errno constants (Linux values) and the errorcode dict, plus errnoName() for
// OSError's "[Errno 5] EIO" rendering.
import { smi, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { Q } from "../generated/qstr";
import { defineModule } from "../vm/registry";
import { newDict, dictSet } from "../obj/dict";
import { qw } from "../obj/str";

// (qstr id, value) per constant, as MicroPython's moderrno.c lists them (plus a few a filesystem needs).
// prettier-ignore
const CODES = [
  Q.EPERM, 1, Q.ENOENT, 2, Q.EIO, 5, Q.EBADF, 9, Q.EAGAIN, 11, Q.ENOMEM, 12, Q.EACCES, 13, Q.EEXIST, 17,
  Q.ENODEV, 19, Q.ENOTDIR, 20, Q.EISDIR, 21, Q.EINVAL, 22, Q.ENOSPC, 28, Q.EROFS, 30, Q.EPIPE, 32,
  Q.ENOTEMPTY, 39, Q.EOPNOTSUPP, 95, Q.EADDRINUSE, 98, Q.ECONNABORTED, 103, Q.ECONNRESET, 104, Q.ENOBUFS, 105,
  Q.ENOTCONN, 107, Q.ETIMEDOUT, 110, Q.ECONNREFUSED, 111, Q.EHOSTUNREACH, 113, Q.EALREADY, 114, Q.EINPROGRESS, 115,
];

/** The static string word of errno `code`'s name ("EIO"), or 0 if it has none. */
export function errnoName(code: number): number {
  for (let i = 0; i < CODES.length; i += 2) if (CODES[i + 1] === code) return qw(CODES[i]);
  return 0;
}

defineModule({
  name: Q.errno,
  attrs: function (): number[] {
    const out: number[] = [];
    for (let i = 0; i < CODES.length; i += 2) out.push(CODES[i], smi(CODES[i + 1]));
    return out;
  },
  init: function (vm: Vm, mod: number): void {
    const d = newDict(vm);
    vm.tpush(d);
    for (let i = 0; i < CODES.length; i += 2) dictSet(vm, d, smi(CODES[i + 1]), qw(CODES[i]));
    dictSet(vm, vm.H[(mod >> 2) + LY.M_DICT], qw(Q.errorcode), d);
    vm.tpop(1);
  },
});
