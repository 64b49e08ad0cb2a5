// The micropython module: const (identity at run time; the compiler folds `X = const(1)`), mem_info and qstr_info
// (the VM heap in MicroPython's format), opt_level, heap_lock/heap_unlock/heap_locked, stack_use, schedule (a queue
// the VM drains at a safe point through runScheduled), alloc_emergency_exception_buf and kbd_intr.
import { K, smi, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise, PY_EXC } from "../vm/exc";
import { native, defineModule } from "../vm/registry";
import { toIndex, truthy } from "../vm/ops";
import { call1 } from "../vm/call";
import { newList, listAppend, listSetLen, seqLen, seqItems, tuple2, copyWords } from "../obj/seq";
import { tableNext, entryKey } from "../obj/dict";
import { jstr, slen } from "../obj/str";
import { formatException } from "../vm/run";
import { writeOut } from "./builtins";

/** vm.extraRoots slots: the schedule queue (a list of (function, argument) tuples) and opt_level (a small int). */
export const ROOT_SCHEDULE = 30;
const ROOT_OPT = 31;
const SCHEDULE_DEPTH = 8;

/** Run the callbacks micropython.schedule() queued (the VM calls this at a safe point: between slices). */
export function runScheduled(vm: Vm): void {
  const q = vm.extraRoots[ROOT_SCHEDULE];
  if (q === LY.NULL) return;
  while (seqLen(vm, q) > 0) {
    const H = vm.H;
    const item = H[seqItems(vm, q)];
    const n = seqLen(vm, q);
    copyWords(H, seqItems(vm, q), seqItems(vm, q) + 1, n - 1);
    listSetLen(vm, q, n - 1);
    vm.tpush(item);
    try {
      call1(vm, H[(item >> 2) + 2], H[(item >> 2) + 3]);
    } catch (e) {
      if (e !== PY_EXC) throw e;
      const exc = vm.excValue;
      vm.excValue = LY.NULL;
      vm.tpush(exc);
      writeOut(vm, 1, formatException(vm, exc));
      vm.tpop(1);
    } finally {
      vm.tpop(1);
    }
  }
}

/** Whether callbacks are waiting. */
export function schedulePending(vm: Vm): boolean {
  const q = vm.extraRoots[ROOT_SCHEDULE];
  return q !== LY.NULL && seqLen(vm, q) > 0;
}

function schedule(vm: Vm, a: number): number {
  let q = vm.extraRoots[ROOT_SCHEDULE];
  if (q === LY.NULL) q = vm.extraRoots[ROOT_SCHEDULE] = newList(vm, 0, SCHEDULE_DEPTH);
  if (seqLen(vm, q) >= SCHEDULE_DEPTH) throw raise(vm, T.RUNTIME_ERROR, "schedule queue full");
  listAppend(vm, q, tuple2(vm, vm.H[a], vm.H[a + 1]));
  vm.budget = 0; // reach the next safe point soon
  vm.scheduled = true;
  return LY.NONE;
}

const BLOCK = 16; // bytes per block in the report, as MicroPython's GC on 32-bit ports

/** MicroPython's heap-map letters: the first block of an object by its kind, '.' free. */
function kindChar(k: number): string {
  switch (k) {
    case K.FREE: return ".";
    case K.STR: return "S";
    case K.BYTES:
    case K.RAWBUF:
    case K.BYTEARRAY: return "A";
    case K.FLOAT: return "F";
    case K.TUPLE: return "T";
    case K.LIST: return "L";
    case K.DICT: return "D";
    case K.FUNC:
    case K.CODE: return "B";
    case K.MODULE: return "M";
  }
  return "h";
}

function memInfo(vm: Vm, a: number, n: number): number {
  const h = vm.heap;
  const H = vm.H;
  const total = (h.end - h.start) * 4;
  const free = h.freeWords * 4;
  let out = "stack: " + (vm.ftop - vm.fbase) * 4 + " out of " + (vm.flimit - vm.fbase) * 4 + "\n";
  out += "GC: total: " + total + ", used: " + (total - free) + ", free: " + free + "\n";
  let one = 0;
  let two = 0;
  let maxBlk = 0;
  let maxFree = 0;
  let run = 0;
  const verbose = n > 0 && truthy(vm, vm.H[a]);
  let map = "";
  for (let p = h.start; p < h.end;) {
    let words: number;
    let kind: number;
    if (p === h.bump && h.bumpEnd > p) {
      words = h.bumpEnd - p;
      kind = K.FREE;
    } else {
      words = H[p] >> 8;
      kind = H[p] & 127;
      if (words < 1) break;
    }
    const blocks = Math.ceil((words * 4) / BLOCK);
    if (kind === K.FREE) run += words;
    else {
      if (run * 4 > maxFree * BLOCK) maxFree = Math.floor((run * 4) / BLOCK);
      run = 0;
      if (blocks === 1) one++;
      else if (blocks === 2) two++;
      if (blocks > maxBlk) maxBlk = blocks;
    }
    if (verbose) {
      const ch = kindChar(kind);
      map += ch;
      for (let i = 1; i < blocks; i++) map += kind === K.FREE ? "." : "=";
    }
    p += words;
  }
  if (run * 4 > maxFree * BLOCK) maxFree = Math.floor((run * 4) / BLOCK);
  out += " No. of 1-blocks: " + one + ", 2-blocks: " + two + ", max blk sz: " + maxBlk + ", max free sz: " + maxFree + "\n";
  if (verbose) {
    out += "GC memory layout; from " + (h.start * 4).toString(16) + ":";
    let freeLines = 0;
    for (let i = 0; i < map.length; i += 64) {
      const line = map.substr(i, 64);
      if (/^\.+$/.test(line) && line.length === 64) {
        freeLines++;
        continue;
      }
      if (freeLines) out += "\n       (" + freeLines + " lines all free)";
      freeLines = 0;
      out += "\n" + ("0000000" + ((i * BLOCK) >>> 0).toString(16)).slice(-8) + ": " + line;
    }
    if (freeLines) out += "\n       (" + freeLines + " lines all free)";
    out += "\n";
  }
  writeOut(vm, 1, out);
  return LY.NONE;
}

function qstrInfo(vm: Vm, a: number, n: number): number {
  const s = vm.interned;
  let count = 0;
  let bytes = 0;
  let names = "";
  for (let i = tableNext(vm, s, 0); i >= 0; i = tableNext(vm, s, i + 1)) {
    const k = entryKey(vm, s, i);
    count++;
    bytes += slen(vm, k) + 1;
    if (n > 0 && truthy(vm, vm.H[a])) names += "Q(" + jstr(vm, k) + ")\n";
  }
  const out = "qstr pool: n_pool=" + (count ? 1 : 0) + ", n_qstr=" + count + ", n_str_data_bytes=" + bytes + ", n_total_bytes=" + (bytes + 16 * count) + "\n";
  writeOut(vm, 1, out + names);
  return LY.NONE;
}

defineModule({
  name: Q.micropython,
  attrs: function (): number[] {
    return [
      Q.const, native(Q.const, 1, 1, 0, function (vm, a) { return vm.H[a]; }),
      Q.opt_level, native(Q.opt_level, 0, 1, 0, function (vm, a, n) {
        if (n === 0) return vm.extraRoots[ROOT_OPT] === LY.NULL ? smi(0) : vm.extraRoots[ROOT_OPT];
        const v = toIndex(vm, vm.H[a], "opt_level");
        vm.extraRoots[ROOT_OPT] = smi(v & 3);
        return LY.NONE;
      }),
      Q.mem_info, native(Q.mem_info, 0, 1, 0, memInfo),
      Q.qstr_info, native(Q.qstr_info, 0, 1, 0, qstrInfo),
      Q.stack_use, native(Q.stack_use, 0, 0, 0, function (vm) { return smi((vm.ftop - vm.fbase) * 4); }),
      Q.heap_lock, native(Q.heap_lock, 0, 0, 0, function (vm) {
        vm.heap.locked++;
        return LY.NONE;
      }),
      Q.heap_unlock, native(Q.heap_unlock, 0, 0, 0, function (vm) {
        if (vm.heap.locked > 0) vm.heap.locked--;
        return smi(vm.heap.locked);
      }),
      Q.heap_locked, native(Q.heap_locked, 0, 0, 0, function (vm) { return smi(vm.heap.locked); }),
      Q.schedule, native(Q.schedule, 2, 2, 0, schedule),
      Q.alloc_emergency_exception_buf, native(Q.alloc_emergency_exception_buf, 1, 1, 0, function () { return LY.NONE; }),
      Q.kbd_intr, native(Q.kbd_intr, 1, 1, 0, function (vm, a) {
        toIndex(vm, vm.H[a], "kbd_intr");
        return LY.NONE;
      }),
    ];
  },
});
