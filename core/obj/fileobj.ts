// Streams: io.StringIO and io.BytesIO (in memory), the file objects open() returns (TextIOWrapper for text, FileIO
// for binary) and the methods of sys.stdin/stdout/stderr (TextIOWrapper objects holding a file descriptor).
// One NATIVE_OBJ layout serves them all, with the bytes in a RAWBUF on the heap:
//   [hdr, type, fd (-1 unless a std stream), buf RAWBUF|NULL, len, pos, flags, name, base, mode]
// A std stream from sys is just [hdr, type, fd, None]: every method looks at the fd first.
// Files go through the HAL only: a read mode loads the whole file at open; 'w', 'x' and 'a' keep only the bytes
// not yet written and append them to the file on flush (so a log never has to fit in RAM); '+' modes hold the
// whole file and write it back on flush/close. Errors are MicroPython's: OSError(errno) for the file system,
// ValueError for a closed stream or a bad mode, TypeError for str/bytes mix-ups.
import { K, smi, imm, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise, raiseWith } from "../vm/exc";
import { native, defineAttrs, NF_KW, NF_METHOD } from "../vm/registry";
import { NF_PROP } from "../vm/attr";
import { defineCtor } from "./class";
import { kindOf, unwrap, typeNameJs, toIndex, bytesView, bvOff, bvLen } from "../vm/ops";
import { newList, listAppend } from "./seq";
import { str, jstr, qw, sbuf, soff, slen, utf8SeqLen, strFromBytes, bytesFromBytes, bytesFromJs } from "./str";
import { bytearrayData } from "./items";
import { typeName } from "./type";

const S_FD = 2;
const S_BUF = 3;
const S_LEN = 4;
const S_POS = 5;
const S_FLAGS = 6;
const S_NAME = 7;
const S_BASE = 8;
const S_MODE = 9;
const S_SIZE = 10;

// flags
const F_CLOSED = 1;
const F_READ = 2;
const F_WRITE = 4;
const F_STREAM = 8; // writes are appended to the file on flush (w, x, a): the buffer holds only pending bytes
const F_TEXT = 16;
const F_DIRTY = 32; // a '+' file whose buffer differs from the file
const F_APPEND = 64; // writes go to the end
const F_FILE = 128; // backed by a file (name is its path)

/** Pending bytes of a streaming file beyond which write() flushes. */
const FLUSH_AT = 512;

// MicroPython's errno values (as its errno module has them)
const ENOENT = 2;
const EIO = 5;
const EBADF = 9;
const EEXIST = 17;
const ENODEV = 19;
const EISDIR = 21;
const EINVAL = 22;

export function osError(vm: Vm, errno: number): unknown {
  return raiseWith(vm, T.OS_ERROR, smi(errno));
}

function isStr(vm: Vm, w: number): boolean {
  return (w & 3) === 2 ? w >> 2 >= 8192 : kindOf(vm, w) === K.STR;
}

function isBytesLike(vm: Vm, w: number): boolean {
  const k = kindOf(vm, w);
  return k === K.BYTES || k === K.BYTEARRAY;
}

/** Word index of the stream behind w (a stream or an instance of a subclass), or a TypeError. */
function sp(vm: Vm, w: number): number {
  const u = unwrap(vm, w);
  if (kindOf(vm, u) === K.NATIVE_OBJ) {
    const t = vm.H[(u >> 2) + 1];
    if (t === imm(T.STRINGIO) || t === imm(T.BYTESIO) || t === imm(T.TEXTIO) || t === imm(T.FILEIO)) return u >> 2;
  }
  throw raise(vm, T.TYPE_ERROR, "descriptor requires a stream object but received a '" + typeNameJs(vm, w) + "'");
}

/** The fd of a std stream (sys.stdout…), or -1. */
function fdOf(vm: Vm, p: number): number {
  return vm.H[p + S_FD] >> 1;
}

function isText(vm: Vm, p: number): boolean {
  const t = vm.H[p + 1];
  return t === imm(T.STRINGIO) || t === imm(T.TEXTIO);
}

/** The flags of a stream (a std stream from sys is a short object without them: always open). */
function flagsOf(vm: Vm, p: number): number {
  return vm.H[p + S_FD] >> 1 >= 0 ? F_READ | F_WRITE : vm.H[p + S_FLAGS] >> 1;
}

function checkOpen(vm: Vm, p: number): void {
  if (flagsOf(vm, p) & F_CLOSED) throw raise(vm, T.VALUE_ERROR, "I/O operation on closed file" + (vm.H[p + 1] === imm(T.STRINGIO) ? "" : "."));
}

function checkReadable(vm: Vm, p: number): void {
  checkOpen(vm, p);
  if (!(flagsOf(vm, p) & F_READ)) throw osError(vm, EBADF);
}

function checkWritable(vm: Vm, p: number): void {
  checkOpen(vm, p);
  if (!(flagsOf(vm, p) & F_WRITE)) throw osError(vm, EBADF);
}

/** Byte offset in vm.U8 of the buffer's first byte (meaningless when there is no buffer). */
function dataOff(vm: Vm, p: number): number {
  return ((vm.H[p + S_BUF] >> 2) + 1) << 2;
}

function capOf(vm: Vm, p: number): number {
  const b = vm.H[p + S_BUF];
  return b === LY.NULL ? 0 : ((vm.H[b >> 2] >> 8) - 1) << 2;
}

/** Room for `need` bytes (the stream must be rooted by the caller). */
function reserve(vm: Vm, p: number, need: number): void {
  const cap = capOf(vm, p);
  if (need <= cap) return;
  let ncap = cap * 2;
  if (ncap < 16) ncap = 16;
  if (ncap < need) ncap = need;
  const nb = vm.alloc(K.RAWBUF, 1 + ((ncap + 3) >> 2));
  const len = vm.H[p + S_LEN] >> 1;
  const d = (nb + 1) << 2;
  if (vm.H[p + S_BUF] !== LY.NULL) vm.U8.set(vm.U8.subarray(dataOff(vm, p), dataOff(vm, p) + len), d);
  vm.H[p + S_BUF] = nb << 2;
}

/** A new stream object of type t with flags (fd -1, empty buffer). */
function newStream(vm: Vm, t: number, flags: number): number {
  const p = vm.alloc(K.NATIVE_OBJ, S_SIZE);
  const H = vm.H;
  H[p + 1] = imm(t);
  H[p + S_FD] = smi(-1);
  H[p + S_LEN] = smi(0);
  H[p + S_POS] = smi(0);
  H[p + S_FLAGS] = smi(flags);
  H[p + S_NAME] = LY.NONE;
  H[p + S_BASE] = smi(0);
  H[p + S_MODE] = LY.NONE;
  return p;
}

/** Store bytes b[off … off+n) at the stream's position (the caller roots the stream and the source). */
function writeBytes(vm: Vm, p: number, b: Uint8Array, off: number, n: number): void {
  const H = vm.H;
  const fl = flagsOf(vm, p);
  let len = H[p + S_LEN] >> 1;
  let pos = fl & F_APPEND ? len : H[p + S_POS] >> 1;
  reserve(vm, p, pos + n);
  const d = dataOff(vm, p);
  const U8 = vm.U8;
  if (pos > len) U8.fill(0, d + len, d + pos);
  // b may be vm.U8 itself (a heap str): objects never move, so the offsets still hold after reserve()
  U8.set(b.subarray(off, off + n), d + pos);
  pos += n;
  if (pos > len) len = pos;
  H[p + S_POS] = smi(pos);
  H[p + S_LEN] = smi(len);
  if ((fl & (F_FILE | F_STREAM)) === F_FILE) H[p + S_FLAGS] = smi(fl | F_DIRTY);
  if (fl & F_STREAM && len >= FLUSH_AT) flush(vm, p);
}

/** The first len bytes of the buffer, copied out of the heap for the HAL. */
function copyOut(vm: Vm, p: number, len: number): Uint8Array {
  const d = new Uint8Array(len);
  d.set(vm.U8.subarray(dataOff(vm, p), dataOff(vm, p) + len), 0);
  return d;
}

/** Write out what a file holds that the file system doesn't yet have. */
function flush(vm: Vm, p: number): void {
  const H = vm.H;
  const fl = flagsOf(vm, p);
  if (!(fl & F_FILE) || fl & F_CLOSED) return;
  const len = H[p + S_LEN] >> 1;
  const path = jstr(vm, H[p + S_NAME]);
  if (fl & F_STREAM) {
    if (len === 0) return;
    if (!vm.hal.writeFile || !vm.hal.writeFile(path, copyOut(vm, p, len), true)) throw osError(vm, EIO);
    H[p + S_BASE] = smi((H[p + S_BASE] >> 1) + len);
    H[p + S_LEN] = smi(0);
    H[p + S_POS] = smi(0);
    return;
  }
  if (!(fl & F_DIRTY)) return;
  const data = H[p + S_BUF] === LY.NULL ? new Uint8Array(0) : copyOut(vm, p, len);
  if (!vm.hal.writeFile || !vm.hal.writeFile(path, data, false)) throw osError(vm, EIO);
  H[p + S_FLAGS] = smi(fl & ~F_DIRTY);
}

function closeStream(vm: Vm, p: number): void {
  if (fdOf(vm, p) >= 0) return; // sys.stdout and friends stay open
  const fl = flagsOf(vm, p);
  if (fl & F_CLOSED) return;
  try {
    flush(vm, p);
  } finally {
    vm.H[p + S_FLAGS] = smi(fl | F_CLOSED);
    vm.H[p + S_BUF] = LY.NULL;
    vm.H[p + S_LEN] = smi(0);
    vm.H[p + S_POS] = smi(0);
  }
}

/** The str or bytes of buffer bytes [from, to). */
function slice(vm: Vm, p: number, from: number, to: number): number {
  if (to <= from) return isText(vm, p) ? str(vm, "") : bytesFromBytes(vm, vm.U8, 0, 0);
  const o = dataOff(vm, p);
  return isText(vm, p) ? strFromBytes(vm, vm.U8, o + from, to - from) : bytesFromBytes(vm, vm.U8, o + from, to - from);
}

/** The end of reading n units (characters for text, bytes for binary; n < 0: all) from the position. */
function readEnd(vm: Vm, p: number, n: number, line: boolean): number {
  const H = vm.H;
  const len = H[p + S_LEN] >> 1;
  const pos = H[p + S_POS] >> 1;
  if (pos >= len || H[p + S_BUF] === LY.NULL) return pos;
  const U8 = vm.U8;
  const o = dataOff(vm, p);
  const text = isText(vm, p);
  let e = pos;
  let count = 0;
  while (e < len && (n < 0 || count < n)) {
    const c = U8[o + e];
    e += text ? utf8SeqLen(c) : 1;
    count++;
    if (line && c === 10) break;
  }
  return e > len ? len : e;
}

/** A line from stdin through the platform (input()'s source), with its newline; "" at the end. */
function stdinLine(vm: Vm): string {
  const l = vm.readLine ? vm.readLine(vm) : null;
  return l === null ? "" : l + "\n";
}

function sizeArg(vm: Vm, a: number, n: number, i: number): number {
  if (n <= i || vm.H[a + i] === LY.NONE) return -1;
  return toIndex(vm, vm.H[a + i], "size");
}

// --- the methods -----------------------------------------------------------------------------------------------------

function readM(vm: Vm, a: number, n: number): number {
  const p = sp(vm, vm.H[a]);
  const size = sizeArg(vm, a, n, 1);
  if (fdOf(vm, p) >= 0) {
    let s = "";
    for (;;) {
      const l = stdinLine(vm);
      if (l === "") break;
      s += l;
    }
    return isText(vm, p) ? str(vm, s) : bytesFromJs(vm, s);
  }
  checkReadable(vm, p);
  const pos = vm.H[p + S_POS] >> 1;
  const e = readEnd(vm, p, size, false);
  const r = slice(vm, p, pos, e);
  vm.H[p + S_POS] = smi(e > pos ? e : pos);
  return r;
}

function readlineM(vm: Vm, a: number, n: number): number {
  const p = sp(vm, vm.H[a]);
  if (fdOf(vm, p) >= 0) return isText(vm, p) ? str(vm, stdinLine(vm)) : bytesFromJs(vm, stdinLine(vm));
  checkReadable(vm, p);
  const pos = vm.H[p + S_POS] >> 1;
  const e = readEnd(vm, p, sizeArg(vm, a, n, 1), true);
  const r = slice(vm, p, pos, e);
  if (e > pos) vm.H[p + S_POS] = smi(e);
  return r;
}

function readlinesM(vm: Vm, a: number, n: number): number {
  const p = sp(vm, vm.H[a]);
  const hint = sizeArg(vm, a, n, 1);
  const l = newList(vm, 0, 0);
  vm.tpush(l);
  let total = 0;
  for (;;) {
    let x: number;
    if (fdOf(vm, p) >= 0) {
      const s = stdinLine(vm);
      if (s === "") break;
      x = isText(vm, p) ? str(vm, s) : bytesFromJs(vm, s);
    } else {
      checkReadable(vm, p);
      const pos = vm.H[p + S_POS] >> 1;
      const e = readEnd(vm, p, -1, true);
      if (e <= pos) break;
      x = slice(vm, p, pos, e);
      vm.H[p + S_POS] = smi(e);
      total += e - pos;
    }
    listAppend(vm, l, x);
    if (hint > 0 && total >= hint) break;
  }
  vm.tpop(1);
  return l;
}

/** write(s) / MicroPython's write(buf, len) and write(buf, off, len) for binary streams. */
function writeM(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  const p = sp(vm, H[a]);
  const x = H[a + 1];
  const text = isText(vm, p);
  if (text) {
    if (!isStr(vm, x)) {
      if (vm.H[p + 1] === imm(T.STRINGIO)) throw raise(vm, T.TYPE_ERROR, "string argument expected, got '" + typeNameJs(vm, x) + "'");
      throw raise(vm, T.TYPE_ERROR, "write() argument must be str, not " + typeNameJs(vm, x));
    }
  } else if (!isBytesLike(vm, x)) {
    throw raise(vm, T.TYPE_ERROR, "a bytes-like object is required, not '" + typeNameJs(vm, x) + "'");
  }
  const fd = fdOf(vm, p);
  const b = text ? sbuf(vm, x) : bytesView(vm, x);
  let off = text ? soff(vm, x) : bvOff;
  let len = text ? slen(vm, x) : bvLen;
  if (n > 2) {
    // write(buf, len) or write(buf, off, len): clipped to the buffer
    let o2 = n > 3 ? toIndex(vm, H[a + 2], "offset") : 0;
    let l2 = toIndex(vm, H[a + n - 1], "length");
    if (o2 < 0) o2 = 0;
    if (o2 > len) o2 = len;
    if (l2 < 0) l2 = 0;
    if (l2 > len - o2) l2 = len - o2;
    off += o2;
    len = l2;
  }
  if (fd >= 0) {
    vm.hal.write(fd, b, off, len);
  } else {
    checkWritable(vm, p);
    writeBytes(vm, p, b, off, len);
  }
  if (!text) return smi(len);
  // characters written
  let c = 0;
  for (let i = 0; i < len; i++) if ((b[off + i] & 0xc0) !== 0x80) c++;
  return smi(c);
}

function seekM(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  const p = sp(vm, H[a]);
  if (fdOf(vm, p) >= 0) throw osError(vm, EINVAL);
  checkOpen(vm, p);
  const off = toIndex(vm, H[a + 1], "offset");
  const whence = n > 2 ? toIndex(vm, H[a + 2], "whence") : 0;
  const fl = flagsOf(vm, p);
  const len = H[p + S_LEN] >> 1;
  if (fl & F_STREAM) {
    // a write-only file only knows its end
    if ((whence === 1 || whence === 2) && off === 0) return smi((H[p + S_BASE] >> 1) + len);
    throw osError(vm, EINVAL);
  }
  let pos: number;
  if (whence === 0) pos = off;
  else if (whence === 1) pos = (H[p + S_POS] >> 1) + off;
  else if (whence === 2) pos = len + off;
  else throw raise(vm, T.VALUE_ERROR, "invalid whence (" + whence + ", should be 0, 1 or 2)");
  if (pos < 0) throw osError(vm, EINVAL);
  H[p + S_POS] = smi(pos);
  return smi(pos);
}

function tellM(vm: Vm, a: number): number {
  const p = sp(vm, vm.H[a]);
  if (fdOf(vm, p) >= 0) throw osError(vm, EINVAL);
  checkOpen(vm, p);
  return smi((vm.H[p + S_BASE] >> 1) + (vm.H[p + S_POS] >> 1));
}

function getvalueM(vm: Vm, a: number): number {
  const p = sp(vm, vm.H[a]);
  checkOpen(vm, p);
  return slice(vm, p, 0, vm.H[p + S_LEN] >> 1);
}

function truncateM(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  const p = sp(vm, H[a]);
  checkWritable(vm, p);
  if (fdOf(vm, p) >= 0 || flagsOf(vm, p) & F_STREAM) throw osError(vm, EINVAL);
  let size = n > 1 && H[a + 1] !== LY.NONE ? toIndex(vm, H[a + 1], "size") : H[p + S_POS] >> 1;
  if (size < 0) throw osError(vm, EINVAL);
  const len = H[p + S_LEN] >> 1;
  if (size > len) size = len;
  H[p + S_LEN] = smi(size);
  if (flagsOf(vm, p) & F_FILE) H[p + S_FLAGS] = smi(flagsOf(vm, p) | F_DIRTY);
  return smi(size);
}

function readintoM(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  const p = sp(vm, H[a]);
  const dst = H[a + 1];
  if (kindOf(vm, dst) !== K.BYTEARRAY) throw raise(vm, T.TYPE_ERROR, "readinto() argument must be read-write bytes-like object, not " + typeNameJs(vm, dst));
  if (fdOf(vm, p) >= 0) throw osError(vm, EINVAL);
  checkReadable(vm, p);
  let want = H[(dst >> 2) + 1] >> 1;
  if (n > 2) {
    const l = toIndex(vm, H[a + 2], "length");
    if (l < want) want = l;
  }
  const pos = H[p + S_POS] >> 1;
  const len = H[p + S_LEN] >> 1;
  let m = len - pos;
  if (m > want) m = want;
  if (m <= 0) return smi(0);
  const src = dataOff(vm, p) + pos;
  vm.U8.set(vm.U8.subarray(src, src + m), bytearrayData(vm, dst));
  H[p + S_POS] = smi(pos + m);
  return smi(m);
}

function nextM(vm: Vm, a: number): number {
  const r = readlineM(vm, a, 1);
  if (slen(vm, r) === 0) throw raise(vm, T.STOP_ITERATION, null);
  return r;
}

function reprM(vm: Vm, a: number): number {
  const p = sp(vm, vm.H[a]);
  let s = "<io." + jstr(vm, typeName(vm, vm.H[p + 1]));
  if (vm.H[p + S_FD] >> 1 >= 0) s += " fd=" + (vm.H[p + S_FD] >> 1) + ">";
  else if (flagsOf(vm, p) & F_FILE) {
    s += " name=" + "'" + jstr(vm, vm.H[p + S_NAME]) + "' mode='" + jstr(vm, vm.H[p + S_MODE]) + "'>";
  } else s += " object at 0x" + ((p << 2) + 0x7f000000).toString(16) + ">";
  return str(vm, s);
}

// --- constructors --------------------------------------------------------------------------------------------------

/** StringIO(initial='') / BytesIO(initial=b''); an int argument is a size hint (MicroPython). */
function memCtor(t: number) {
  return function (vm: Vm, a: number, n: number): number {
    const H = vm.H;
    const text = t === T.STRINGIO;
    const init = n > 0 ? H[a] : LY.NONE;
    if (init !== LY.NONE && !(init & 1)) {
      if (text && !isStr(vm, init)) throw raise(vm, T.TYPE_ERROR, "initial_value must be str or None, not " + typeNameJs(vm, init));
      if (!text && !isBytesLike(vm, init)) throw raise(vm, T.TYPE_ERROR, "a bytes-like object is required, not '" + typeNameJs(vm, init) + "'");
    }
    const p = newStream(vm, t, F_READ | F_WRITE | (text ? F_TEXT : 0));
    vm.tpush(p << 2);
    try {
      if (init & 1) reserve(vm, p, init >> 1 > 0 ? init >> 1 : 0);
      else if (init !== LY.NONE) {
        const b = text ? sbuf(vm, init) : bytesView(vm, init);
        const off = text ? soff(vm, init) : bvOff;
        const len = text ? slen(vm, init) : bvLen;
        writeBytes(vm, p, b, off, len);
        H[p + S_POS] = smi(0);
      }
    } finally {
      vm.tpop(1);
    }
    return p << 2;
  };
}

/** Parse an open() mode: the stream flags, or -1 if invalid. */
function parseMode(m: string): number {
  let kind = "";
  let plus = false;
  let b = false;
  let t = false;
  for (let i = 0; i < m.length; i++) {
    const c = m.charAt(i);
    if (c === "r" || c === "w" || c === "a" || c === "x") {
      if (kind) return -2;
      kind = c;
    } else if (c === "+") {
      if (plus) return -1;
      plus = true;
    } else if (c === "b") {
      if (b) return -1;
      b = true;
    } else if (c === "t") {
      if (t) return -1;
      t = true;
    } else return -1;
  }
  if (!kind || (b && t)) return -1;
  let f = F_FILE | (b ? 0 : F_TEXT);
  if (kind === "r") f |= F_READ | (plus ? F_WRITE : 0);
  else {
    f |= F_WRITE | (plus ? F_READ : F_STREAM);
    if (kind === "a") f |= F_APPEND;
  }
  // kind in the upper bits: 1 r, 2 w, 3 a, 4 x
  return f | ((kind === "r" ? 1 : kind === "w" ? 2 : kind === "a" ? 3 : 4) << 12);
}

/** open(file, mode='r', buffering=-1, encoding=None, …) */
export function openFn(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  const names = [qw(Q.file), qw(Q.mode), qw(Q.buffering), qw(Q.encoding), qw(Q.errors), qw(Q.newline)];
  const args = [LY.NULL, LY.NULL, LY.NULL, LY.NULL, LY.NULL, LY.NULL];
  for (let i = 0; i < n && i < 6; i++) args[i] = H[a + i];
  if (n > 6) throw raise(vm, T.TYPE_ERROR, "open() takes at most 6 arguments (" + n + " given)");
  const nk = kw === LY.NULL ? 0 : H[(kw >> 2) + 1] >> 1;
  for (let j = 0; j < nk; j++) {
    const k = jstr(vm, H[(kw >> 2) + 2 + j]);
    let found = -1;
    for (let i = 0; i < names.length; i++) if (jstr(vm, names[i]) === k) found = i;
    if (found < 0) throw raise(vm, T.TYPE_ERROR, "'" + k + "' is an invalid keyword argument for open()");
    if (args[found] !== LY.NULL) throw raise(vm, T.TYPE_ERROR, "argument for open() given by name ('" + k + "') and position (" + (found + 1) + ")");
    args[found] = H[a + n + j];
  }
  const file = args[0];
  if (file === LY.NULL) throw raise(vm, T.TYPE_ERROR, "open() missing required argument 'file' (pos 1)");
  if (!isStr(vm, file)) throw raise(vm, T.TYPE_ERROR, "expected str, bytes or os.PathLike object, not " + typeNameJs(vm, file));
  const modeW = args[1] === LY.NULL ? qw(Q.r) : args[1];
  if (!isStr(vm, modeW)) throw raise(vm, T.TYPE_ERROR, "open() argument 'mode' must be str, not " + typeNameJs(vm, modeW));
  const mode = jstr(vm, modeW);
  const pm = parseMode(mode);
  if (pm === -2) throw raise(vm, T.VALUE_ERROR, "must have exactly one of create/read/write/append mode");
  if (pm < 0) throw raise(vm, T.VALUE_ERROR, "invalid mode: '" + mode + "'");
  const enc = args[3];
  if (enc !== LY.NULL && enc !== LY.NONE) {
    if (!(pm & F_TEXT)) throw raise(vm, T.VALUE_ERROR, "binary mode doesn't take an encoding argument");
    if (!isStr(vm, enc)) throw raise(vm, T.TYPE_ERROR, "open() argument 'encoding' must be str or None, not " + typeNameJs(vm, enc));
    const e = jstr(vm, enc).toLowerCase();
    if (e !== "utf-8" && e !== "utf8" && e !== "ascii" && e !== "latin-1" && e !== "latin1")
      throw raise(vm, T.LOOKUP_ERROR, "unknown encoding: " + jstr(vm, enc));
  }
  const path = jstr(vm, file);
  const hal = vm.hal;
  if (!hal.readFile || !hal.writeFile) throw osError(vm, ENODEV);
  const kind = pm >> 12;
  const flags = pm & 0xfff;
  const st = hal.stat ? hal.stat(path) : null;
  if (st && st.dir) throw osError(vm, EISDIR);
  if (kind === 4 && st) throw osError(vm, EEXIST);
  let content: Uint8Array | null = null;
  let base = 0;
  if (kind === 1 || (kind === 3 && !(flags & F_STREAM))) {
    content = hal.readFile(path);
    if (content === null && kind === 1) throw osError(vm, ENOENT);
  }
  if (kind === 2 || kind === 4) {
    if (!hal.writeFile(path, new Uint8Array(0), false)) throw osError(vm, ENOENT);
  } else if (kind === 3) {
    if (!st && !hal.writeFile(path, new Uint8Array(0), true)) throw osError(vm, ENOENT);
    if (flags & F_STREAM) base = st ? st.size : 0;
  }
  const p = newStream(vm, flags & F_TEXT ? T.TEXTIO : T.FILEIO, flags);
  vm.tpush(p << 2);
  try {
    H[p + S_NAME] = file;
    H[p + S_MODE] = modeW;
    H[p + S_BASE] = smi(base);
    if (content && content.length) {
      reserve(vm, p, content.length);
      vm.U8.set(content, dataOff(vm, p));
      H[p + S_LEN] = smi(content.length);
      if (kind === 3) H[p + S_POS] = smi(content.length);
    }
  } finally {
    vm.tpop(1);
  }
  return p << 2;
}

// --- registration ----------------------------------------------------------------------------------------------------

function closedP(vm: Vm, a: number): number {
  const p = sp(vm, vm.H[a]);
  return fdOf(vm, p) < 0 && flagsOf(vm, p) & F_CLOSED ? LY.TRUE : LY.FALSE;
}

function initStreams(): void {
  defineCtor(T.STRINGIO, native(Q.StringIO, 0, 2, NF_KW, memCtor(T.STRINGIO)));
  defineCtor(T.BYTESIO, native(Q.BytesIO, 0, 1, 0, memCtor(T.BYTESIO)));
  const common = [
    Q.read, native(Q.read, 1, 2, NF_METHOD, readM),
    Q.readline, native(Q.readline, 1, 2, NF_METHOD, readlineM),
    Q.readlines, native(Q.readlines, 1, 2, NF_METHOD, readlinesM),
    Q.write, native(Q.write, 2, 4, NF_METHOD, writeM),
    Q.seek, native(Q.seek, 2, 3, NF_METHOD, seekM),
    Q.tell, native(Q.tell, 1, 1, NF_METHOD, tellM),
    Q.flush, native(Q.flush, 1, 1, NF_METHOD, function (vm, a) {
      const p = sp(vm, vm.H[a]);
      if (fdOf(vm, p) < 0) {
        checkOpen(vm, p);
        flush(vm, p);
      }
      return LY.NONE;
    }),
    Q.close, native(Q.close, 1, 1, NF_METHOD, function (vm, a) { closeStream(vm, sp(vm, vm.H[a])); return LY.NONE; }),
    Q.closed, native(Q.closed, 1, 1, NF_PROP, closedP),
    Q.readable, native(Q.readable, 1, 1, NF_METHOD, function (vm, a) {
      const p = sp(vm, vm.H[a]);
      if (fdOf(vm, p) >= 0) return fdOf(vm, p) === 0 ? LY.TRUE : LY.FALSE;
      checkOpen(vm, p);
      return flagsOf(vm, p) & F_READ ? LY.TRUE : LY.FALSE;
    }),
    Q.writable, native(Q.writable, 1, 1, NF_METHOD, function (vm, a) {
      const p = sp(vm, vm.H[a]);
      if (fdOf(vm, p) >= 0) return fdOf(vm, p) > 0 ? LY.TRUE : LY.FALSE;
      checkOpen(vm, p);
      return flagsOf(vm, p) & F_WRITE ? LY.TRUE : LY.FALSE;
    }),
    Q.__enter__, native(Q.__enter__, 1, 1, NF_METHOD, function (vm, a) {
      const p = sp(vm, vm.H[a]);
      checkOpen(vm, p);
      return vm.H[a];
    }),
    Q.__exit__, native(Q.__exit__, 1, 4, NF_METHOD, function (vm, a) { closeStream(vm, sp(vm, vm.H[a])); return LY.NONE; }),
    Q.__iter__, native(Q.__iter__, 1, 1, NF_METHOD, function (vm, a) {
      checkOpen(vm, sp(vm, vm.H[a]));
      return vm.H[a];
    }),
    Q.__next__, native(Q.__next__, 1, 1, NF_METHOD, nextM),
    Q.__repr__, native(Q.__repr__, 1, 1, NF_METHOD, reprM),
  ];
  const mem = [
    Q.getvalue, native(Q.getvalue, 1, 1, NF_METHOD, getvalueM),
    Q.truncate, native(Q.truncate, 1, 2, NF_METHOD, truncateM),
  ];
  const readinto = native(Q.readinto, 2, 3, NF_METHOD, readintoM);
  const file = [
    Q.truncate, mem[3],
    Q.name, native(Q.name, 1, 1, NF_PROP, function (vm, a) { return vm.H[sp(vm, vm.H[a]) + S_NAME]; }),
    Q.mode, native(Q.mode, 1, 1, NF_PROP, function (vm, a) {
      const p = sp(vm, vm.H[a]);
      return fdOf(vm, p) >= 0 ? qw(fdOf(vm, p) === 0 ? Q.r : Q.w) : vm.H[p + S_MODE];
    }),
  ];
  defineAttrs(T.STRINGIO, common.concat(mem));
  defineAttrs(T.BYTESIO, common.concat(mem, [Q.readinto, readinto]));
  defineAttrs(T.TEXTIO, common.concat(file, [
    Q.buffer, native(Q.buffer, 1, 1, NF_PROP, function (vm, a) {
      // sys.stdout.buffer: the same descriptor as a binary stream
      const fd = fdOf(vm, sp(vm, vm.H[a]));
      if (fd < 0) throw raise(vm, T.ATTRIBUTE_ERROR, "'TextIOWrapper' object has no attribute 'buffer'");
      const b = vm.alloc(K.NATIVE_OBJ, 4);
      vm.H[b + 1] = imm(T.FILEIO);
      vm.H[b + S_FD] = smi(fd);
      vm.H[b + 3] = LY.NONE;
      return b << 2;
    }),
  ]));
  defineAttrs(T.FILEIO, common.concat(file, [Q.readinto, readinto]));
}

initStreams();
