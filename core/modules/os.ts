// The os module, MicroPython's subset: listdir, ilistdir, stat, remove, rename, mkdir, getcwd, uname, urandom, sep
// and error, all through the HAL (host files, or Storage files on a board). File-system errors are
// OSError(errno) as MicroPython raises them.
import { K, smi, imm, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise } from "../vm/exc";
import { native, defineModule } from "../vm/registry";
import { kindOf, typeNameJs, toIndex } from "../vm/ops";
import { newTuple, newList, listAppend } from "../obj/seq";
import { getIter } from "../obj/items";
import { dictSet } from "../obj/dict";
import { str, jstr, qw, bytesFromJs } from "../obj/str";
import { intFromNumber } from "../obj/num";
import { osError } from "../obj/fileobj";
import { attrtuple } from "./sys";

const ENOENT = 2;
const EEXIST = 17;
const ENODEV = 19;
const S_IFDIR = 0x4000;
const S_IFREG = 0x8000;

function pathArg(vm: Vm, w: number, fn: string): string {
  if (!((w & 3) === 2 ? w >> 2 >= 8192 : kindOf(vm, w) === K.STR))
    throw raise(vm, T.TYPE_ERROR, fn + ": path should be string, not " + typeNameJs(vm, w));
  return jstr(vm, w);
}

/** The directory argument of listdir/ilistdir: "" (the current directory) by default. */
function dirArg(vm: Vm, a: number, n: number, fn: string): string {
  return n > 0 ? pathArg(vm, vm.H[a], fn) : "";
}

function names(vm: Vm, dir: string): string[] {
  if (!vm.hal.listdir) throw osError(vm, ENODEV);
  const l = vm.hal.listdir(dir === "" ? "." : dir);
  if (l === null) throw osError(vm, ENOENT);
  return l;
}

function joinPath(dir: string, name: string): string {
  if (dir === "" || dir === ".") return name;
  return dir.charAt(dir.length - 1) === "/" ? dir + name : dir + "/" + name;
}

function listdirFn(vm: Vm, a: number, n: number): number {
  const l = names(vm, dirArg(vm, a, n, "listdir"));
  const out = newList(vm, 0, l.length);
  vm.tpush(out);
  for (let i = 0; i < l.length; i++) listAppend(vm, out, str(vm, l[i]));
  vm.tpop(1);
  return out;
}

/** ilistdir: (name, type, inode, size) per entry, as MicroPython gives them. */
function ilistdirFn(vm: Vm, a: number, n: number): number {
  const dir = dirArg(vm, a, n, "ilistdir");
  const l = names(vm, dir);
  const out = newList(vm, 0, l.length);
  vm.tpush(out);
  for (let i = 0; i < l.length; i++) {
    const st = vm.hal.stat ? vm.hal.stat(joinPath(dir, l[i])) : null;
    const nm = str(vm, l[i]);
    vm.tpush(nm);
    const size = intFromNumber(vm, st ? st.size : 0);
    vm.tpush(size);
    const t = newTuple(vm, 4);
    vm.tpop(2);
    vm.H[(t >> 2) + LY.TUP_ITEMS] = nm;
    vm.H[(t >> 2) + LY.TUP_ITEMS + 1] = smi(st && st.dir ? S_IFDIR : S_IFREG);
    vm.H[(t >> 2) + LY.TUP_ITEMS + 2] = smi(0);
    vm.H[(t >> 2) + LY.TUP_ITEMS + 3] = size;
    listAppend(vm, out, t);
  }
  const it = getIter(vm, out);
  vm.tpop(1);
  return it;
}

/** stat(path): (mode, ino, dev, nlink, uid, gid, size, atime, mtime, ctime). */
function statFn(vm: Vm, a: number): number {
  const path = pathArg(vm, vm.H[a], "stat");
  if (!vm.hal.stat) throw osError(vm, ENODEV);
  const st = vm.hal.stat(path);
  if (!st) throw osError(vm, ENOENT);
  const size = intFromNumber(vm, st.size);
  vm.tpush(size);
  const mt = intFromNumber(vm, Math.floor(st.mtime));
  vm.tpush(mt);
  const t = newTuple(vm, 10);
  vm.tpop(2);
  const b = (t >> 2) + LY.TUP_ITEMS;
  const H = vm.H;
  H[b] = smi(st.dir ? S_IFDIR : S_IFREG);
  for (let i = 1; i < 6; i++) H[b + i] = smi(0);
  H[b + 6] = size;
  H[b + 7] = mt;
  H[b + 8] = mt;
  H[b + 9] = mt;
  return t;
}

function removeFn(vm: Vm, a: number): number {
  const path = pathArg(vm, vm.H[a], "remove");
  if (!vm.hal.remove) throw osError(vm, ENODEV);
  if (!vm.hal.remove(path)) throw osError(vm, ENOENT);
  return LY.NONE;
}

function renameFn(vm: Vm, a: number): number {
  const from = pathArg(vm, vm.H[a], "rename");
  const to = pathArg(vm, vm.H[a + 1], "rename");
  if (!vm.hal.rename) throw osError(vm, ENODEV);
  if (!vm.hal.rename(from, to)) throw osError(vm, ENOENT);
  return LY.NONE;
}

function mkdirFn(vm: Vm, a: number): number {
  const path = pathArg(vm, vm.H[a], "mkdir");
  if (!vm.hal.mkdir) throw osError(vm, ENODEV);
  if (vm.hal.stat && vm.hal.stat(path)) throw osError(vm, EEXIST);
  if (!vm.hal.mkdir(path)) throw osError(vm, ENOENT);
  return LY.NONE;
}

function unameFn(vm: Vm): number {
  const info = vm.hal.info ? vm.hal.info() : {};
  const board = info.board || vm.opts.platform;
  const fw = info.firmware || "";
  const texts = ["espy", board, "0.1.0", "espy 0.1.0" + (fw ? " on " + fw : ""), board];
  // each string is parked on the temp roots as it is made: the next allocation may collect
  const vals: number[] = [];
  for (let i = 0; i < texts.length; i++) vals.push(vm.tpush(str(vm, texts[i])));
  try {
    return attrtuple(vm, [Q.sysname, Q.nodename, Q.release, Q.version, Q.machine], vals);
  } finally {
    vm.tpop(vals.length);
  }
}

/** urandom(n): n bytes from the platform's random source (independent of the random module's seed). */
function urandomFn(vm: Vm, a: number): number {
  const n = toIndex(vm, vm.H[a], "urandom");
  if (n < 0) throw raise(vm, T.VALUE_ERROR, "negative argument not allowed");
  let s = "";
  const t = Math.floor(vm.hal.ticksMs() * 1000) & 255;
  for (let i = 0; i < n; i++) s += String.fromCharCode((Math.floor(Math.random() * 256) ^ (i === 0 ? t : 0)) & 255);
  return bytesFromJs(vm, s);
}

defineModule({
  name: Q.os,
  attrs: function (): number[] {
    return [
      Q.listdir, native(Q.listdir, 0, 1, 0, listdirFn),
      Q.ilistdir, native(Q.ilistdir, 0, 1, 0, ilistdirFn),
      Q.stat, native(Q.stat, 1, 1, 0, statFn),
      Q.remove, native(Q.remove, 1, 1, 0, removeFn),
      Q.unlink, native(Q.unlink, 1, 1, 0, removeFn),
      Q.rename, native(Q.rename, 2, 2, 0, renameFn),
      Q.mkdir, native(Q.mkdir, 1, 2, 0, mkdirFn),
      Q.getcwd, native(Q.getcwd, 0, 0, 0, function (vm: Vm) { return str(vm, "/"); }),
      Q.uname, native(Q.uname, 0, 0, 0, unameFn),
      Q.urandom, native(Q.urandom, 1, 1, 0, urandomFn),
      Q.error, imm(T.OS_ERROR),
      Q.__name__, qw(Q.os),
    ];
  },
  init: function (vm: Vm, mod: number): void {
    const sep = vm.tpush(str(vm, "/"));
    dictSet(vm, vm.H[(mod >> 2) + LY.M_DICT], qw(Q.sep), sep);
    vm.tpop(1);
  },
});
