// The .mpb bytecode image (format: docs/bytecode.md). serialize() turns a compiled Program into bytes; loadImage()
// accepts any bytes and returns either an Image whose operands, jumps and stack depths are verified, so the VM runs
// it without checks, or one LoadError message. The loader runs on the board: dialect code, no exception escapes,
// every allocation is bounded by the file's length, and the Image's tables point into the bytes (which map flash).

import { Arg, MF_CLOSURE } from "./opcodes";
import { Op, OP_COUNT, OP_ARG, OP_EFFECT, OP_JUMP_EFFECT, OP_BLOCK, OP_TERMINAL } from "./generated/op";
import { stackEffect } from "./opinfo";
import { crc32 } from "./crc32";
import { lineAt } from "./linetable";
import { Program, Image, ConstKind, CF } from "./code";

/** Bump on any change to the format or to a row of OPCODES (tests/image.test.ts hashes the table to remind you). */
export const IMAGE_VERSION = 1;

/** Header feature flags (byte 5): a summary of the contents, checked against them by the loader. */
export const F_LINES = 1; // some code object carries a line table
export const F_STRIPPED = 2; // line tables were moved to a line map (--strip-lines); none are in the image
export const F_BIGINT = 4; // the constant table holds a BIGINT
export const F_FLOAT = 8; // the constant table holds a FLOAT
const F_KNOWN = 15;

export const SMALL_INT_BITS = 31;

/** Limits the loader enforces, each with its reason in docs/bytecode.md. */
export const MAX_CODE_LEN = 65535; // jump operands are 16-bit offsets
export const MAX_STACK = 32767; // verifier state is 16 bits per bytecode byte
export const MAX_BLOCKS = 255; // verifier state is 8 bits per bytecode byte

// "ESPY" and "ESPL": the first five bytes (magic and version) keep their meaning in every version, so any runtime
// can tell an old or new image from a foreign file.
const MAGIC = 0x59505345; // "ESPY" read little-endian
const MAP_MAGIC = 0x4c505345; // "ESPL"

// Code object header: a mask byte says which optional fields follow (absent ones are 0; qualname defaults to name).
// MASK_BIT has the mask bit of each field C_NAME … C_FIRSTLINE, 0 for the fields that are always present.
const MASK_BIT = "\x00\x01\x02\x04\x08\x10\x00\x20\x40\x00\x80\x00";
const M_QUALNAME = 1;
const M_FLAGS = 2;
const M_ARGCOUNT = 4;
const M_POSONLY = 8;
const M_KWONLY = 16;
const M_NCELLS = 32;
const M_NFREE = 64;
const M_NBLOCKS = 128;

/** Why bytes were refused. Never confused with an Image: an Image has no `error` field. */
export interface LoadError {
  error: string;
}

export function isLoadError(r: unknown): r is LoadError {
  return typeof r === "object" && r !== null && typeof (r as LoadError).error === "string";
}

// =================================================================================================================
// Writer (host side; dialect-clean so a device-side compiler could use it too)

function putVarint(out: number[], v: number): void {
  while (v > 127) {
    out.push((v % 128) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

/** Zigzag varint of a safe integer, built from sign and magnitude so it stays exact up to ±2^53. */
function putZigzag(out: number[], v: number): void {
  const neg = v < 0 ? 1 : 0;
  let m = neg ? -v - 1 : v;
  let g = (m % 64) * 2 + neg;
  m = Math.floor(m / 64);
  while (m > 0) {
    out.push(g | 128);
    g = m % 128;
    m = Math.floor(m / 128);
  }
  out.push(g);
}

function putBytes(out: number[], s: string, what: string): void {
  putVarint(out, s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 255) throw new Error(what + " is not a byte string: " + JSON.stringify(s));
    out.push(c);
  }
}

function putU32(out: number[], v: number): void {
  out.push(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24);
}

/** Decimal digits (optional leading "-") → magnitude bytes, least significant first. */
function decimalBytes(s: string): number[] {
  const digits: number[] = [];
  for (let i = s.charAt(0) === "-" ? 1 : 0; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) throw new Error("bad bigint constant " + JSON.stringify(s));
    digits.push(d);
  }
  const out: number[] = [];
  let start = 0;
  while (start < digits.length) {
    let rem = 0;
    for (let i = start; i < digits.length; i++) {
      const x = rem * 10 + digits[i];
      digits[i] = Math.floor(x / 256);
      rem = x % 256;
    }
    out.push(rem);
    while (start < digits.length && digits[start] === 0) start++;
  }
  while (out.length > 0 && out[out.length - 1] === 0) out.pop();
  if (out.length === 0) throw new Error("bigint constant " + JSON.stringify(s) + " is zero: use an int");
  return out;
}

function putFloat(out: number[], v: number): void {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, v, true);
  for (let i = 0; i < 8; i++) out.push(b[i]);
}

/**
 * The image of a Program. With stripLines, line tables are left out (F_STRIPPED); serializeLineMap(p) writes them
 * to a separate map. Deterministic: the same Program gives the same bytes. Throws Error only on a malformed Program
 * (a compiler bug), never on a well-formed one; loadImage(serialize(p)) verifies the rest.
 */
export function serialize(p: Program, stripLines: boolean): Uint8Array {
  let flags = stripLines ? F_STRIPPED : 0;
  const body: number[] = [];
  putVarint(body, p.names.length);
  for (let i = 0; i < p.names.length; i++) putBytes(body, p.names[i], "name " + i);

  putVarint(body, p.consts.length);
  for (let i = 0; i < p.consts.length; i++) {
    const c = p.consts[i];
    switch (c.t) {
      case "str":
        body.push(ConstKind.STR);
        putBytes(body, c.v, "str constant " + i);
        break;
      case "bytes":
        body.push(ConstKind.BYTES);
        putBytes(body, c.v, "bytes constant " + i);
        break;
      case "int":
        if (Math.floor(c.v) !== c.v || Math.abs(c.v) > 9007199254740991)
          throw new Error("int constant " + c.v + " is not a safe integer: use a bigint constant");
        body.push(ConstKind.INT);
        putZigzag(body, c.v);
        break;
      case "bigint": {
        const mag = decimalBytes(c.v);
        flags |= F_BIGINT;
        body.push(ConstKind.BIGINT);
        putVarint(body, mag.length);
        body.push(c.v.charAt(0) === "-" ? 1 : 0);
        for (let j = 0; j < mag.length; j++) body.push(mag[j]);
        break;
      }
      case "float":
        flags |= F_FLOAT;
        body.push(ConstKind.FLOAT);
        putFloat(body, c.v);
        break;
      case "tuple":
        body.push(ConstKind.TUPLE);
        putVarint(body, c.v.length);
        for (let j = 0; j < c.v.length; j++) {
          if (!(c.v[j] >= 0 && c.v[j] < i)) throw new Error("tuple constant " + i + " refers to a later constant");
          putVarint(body, c.v[j]);
        }
        break;
      case "ellipsis":
        body.push(ConstKind.ELLIPSIS);
        break;
      default:
        throw new Error("unknown constant " + JSON.stringify(c));
    }
  }

  putVarint(body, p.codes.length);
  for (let i = 0; i < p.codes.length; i++) {
    const c = p.codes[i];
    if (c.varnames.length !== c.nlocals + c.ncells + c.nfree)
      throw new Error("code object " + i + ": varnames has " + c.varnames.length + " entries");
    const mask =
      (c.qualname !== c.name ? M_QUALNAME : 0) |
      (c.flags ? M_FLAGS : 0) |
      (c.argcount ? M_ARGCOUNT : 0) |
      (c.posonlyCount ? M_POSONLY : 0) |
      (c.kwonlyCount ? M_KWONLY : 0) |
      (c.ncells ? M_NCELLS : 0) |
      (c.nfree ? M_NFREE : 0) |
      (c.nblocks ? M_NBLOCKS : 0);
    body.push(mask);
    putVarint(body, c.name);
    if (mask & M_QUALNAME) putVarint(body, c.qualname);
    if (mask & M_FLAGS) putVarint(body, c.flags);
    if (mask & M_ARGCOUNT) putVarint(body, c.argcount);
    if (mask & M_POSONLY) putVarint(body, c.posonlyCount);
    if (mask & M_KWONLY) putVarint(body, c.kwonlyCount);
    putVarint(body, c.nlocals);
    if (mask & M_NCELLS) putVarint(body, c.ncells);
    if (mask & M_NFREE) putVarint(body, c.nfree);
    putVarint(body, c.stacksize);
    if (mask & M_NBLOCKS) putVarint(body, c.nblocks);
    putVarint(body, c.firstline);
    for (let j = 0; j < c.varnames.length; j++) putVarint(body, c.varnames[j]);
    putVarint(body, c.code.length);
    for (let j = 0; j < c.code.length; j++) body.push(c.code[j]);
    const lines = stripLines ? 0 : c.lines.length;
    if (lines) flags |= F_LINES;
    putVarint(body, lines);
    for (let j = 0; j < lines; j++) body.push(c.lines[j]);
  }

  // the filename goes through the name table like any other name
  let fn = p.names.indexOf(p.filename);
  if (fn < 0) throw new Error("the filename " + JSON.stringify(p.filename) + " is not in the name table");
  putVarint(body, fn);

  // header: magic, version, flags, small-int bits, total length (whose own size depends on itself)
  let total = 7 + body.length + 4;
  let lenBytes: number[];
  for (;;) {
    lenBytes = []; // not `.length = 0`: Espruino cannot truncate an array that way
    putVarint(lenBytes, total);
    if (7 + lenBytes.length + body.length + 4 === total) break;
    total = 7 + lenBytes.length + body.length + 4;
  }
  const out: number[] = [];
  putU32(out, MAGIC);
  out.push(IMAGE_VERSION, flags, SMALL_INT_BITS);
  for (let i = 0; i < lenBytes.length; i++) out.push(lenBytes[i]);
  const bytes = new Uint8Array(total);
  bytes.set(out, 0);
  bytes.set(body, out.length);
  const crc = crc32(bytes, 0, total - 4, 0);
  bytes[total - 4] = crc & 255;
  bytes[total - 3] = (crc >>> 8) & 255;
  bytes[total - 2] = (crc >>> 16) & 255;
  bytes[total - 1] = crc >>> 24;
  return bytes;
}

// =================================================================================================================
// Loader and verifier (board side). Parsing state lives in module variables so the hot loops call no closures and
// allocate nothing; a refusal throws the FAIL sentinel, which loadImage turns into a LoadError.

const FAIL = { fail: 1 };
let MSG = "";
let B: Uint8Array = new Uint8Array(0);
let P = 0; // read position
let END = 0; // reads stop here
let CI = -1; // code object being read or verified (-1: none), for messages
let PC = 0; // offset of the instruction being verified
let NAME_OFF = new Int32Array(0);
let NAME_LEN = new Int32Array(0);
let CODES = new Int32Array(0);

function fail(msg: string): never {
  MSG = msg;
  throw FAIL;
}

/** Name i as a JS string (one char per byte: the board's strings are byte strings). */
function nameAt(i: number): string {
  let s = "";
  const o = NAME_OFF[i];
  const n = NAME_LEN[i] < 40 ? NAME_LEN[i] : 40;
  for (let k = 0; k < n; k++) s += String.fromCharCode(B[o + k]);
  return s;
}

function codeDesc(): string {
  return "code object " + CI + " (" + nameAt(CODES[CI * CF.CODE_FIELDS + CF.C_NAME]) + ")";
}

function where(): string {
  return "in " + codeDesc() + " at offset " + PC;
}

/** Unsigned LEB128 below 2^31 (at most 5 bytes), so the VM can decode operands with int32 shifts. */
function vu(): number {
  const at = P;
  let v = 0;
  let s = 1;
  let b: number;
  do {
    if (P >= END) {
      if (CI >= 0 && PC >= 0) fail("instruction runs past the end " + where());
      fail("truncated at byte " + P);
    }
    b = B[P++];
    v += (b & 127) * s;
    s *= 128;
  } while (b & 128 && s < 34359738368);
  if (b & 128 || v > 0x7fffffff) fail("number too large at byte " + at);
  return v;
}

/** A count of table entries, each at least `min` bytes long, so that a corrupt count cannot make us allocate. */
function count(min: number): number {
  const at = P;
  const n = vu();
  if (n * min > END - P) fail("count " + n + " at byte " + at + " does not fit in the file");
  return n;
}

function need(n: number): void {
  if (n > END - P) fail("truncated at byte " + END);
}

/** Checks that bytes[p … p+n) is well-formed UTF-8 (structure only: lead and continuation bytes). */
function utf8(p: number, n: number): void {
  const e = p + n;
  while (p < e) {
    const b = B[p++];
    if (b < 0x80) continue;
    const k = b >= 0xf8 ? -1 : b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : -1;
    if (k < 0 || p + k > e) fail("invalid UTF-8 at byte " + (p - 1));
    for (let j = 0; j < k; j++) if ((B[p++] & 0xc0) !== 0x80) fail("invalid UTF-8 at byte " + (p - 1));
  }
}

/**
 * Reads a zigzag varint of at most 8 bytes whose value is in [-2^53, 2^53): the sign is the first byte's low bit and
 * the magnitude is summed without it, so every step is exact in a double.
 */
function zigzag(): number {
  const at = P;
  need(1);
  let b = B[P++];
  const neg = b & 1;
  let m = (b & 127) >> 1;
  let s = 64;
  while (b & 128) {
    if (P - at >= 8) fail("integer constant too large at byte " + at);
    need(1);
    b = B[P++];
    m += (b & 127) * s;
    s *= 128;
  }
  if (m > 9007199254740991) fail("integer constant too large at byte " + at);
  return neg ? -m - 1 : m;
}

/** A line table (linetable.ts) must be a sequence of complete steps, so lineAt never reads past it. */
function lineTable(p: number, n: number): void {
  const e = p + n;
  while (p < e) {
    const b = B[p++];
    if (b < 0x80) continue;
    if (b !== 0x80) fail("bad line table in " + codeDesc());
    for (let v = 0; v < 2; v++) {
      let k = 0;
      do {
        if (p >= e || ++k > 5) fail("bad line table in " + codeDesc());
      } while (B[p++] & 128);
    }
  }
}

// Number of stack entries each opcode reads ('~': computed in stackNeed). Not in OPCODES, which only has net
// effects: ROT_FOUR's effect is 0 but it needs 4 values. tests/image.test.ts checks this string against the stack
// notation in OPCODES' docs.
const VAR_EFFECT = 126 - 80; // '~' in OP_EFFECT: the effect depends on the operand
const POPS = "012341200000010010000100101211~~~~~021222232~~~~~~~~~~~~~1~~~11011110101132~0112111131021110";

/** How many values an instruction needs on the stack before it runs. */
export function stackNeed(op: number, arg: number): number {
  const c = POPS.charCodeAt(op) - 48;
  if (c < 10) return c;
  switch (op) {
    case Op.LIST_APPEND:
    case Op.SET_ADD:
    case Op.LIST_EXTEND:
    case Op.SET_UPDATE:
    case Op.DICT_UPDATE:
    case Op.DICT_MERGE:
      return arg + 1; // the value, then the container arg-th from the top
    case Op.MAP_ADD:
      return arg + 2;
    case Op.UNPACK_SEQUENCE:
    case Op.UNPACK_EX:
      return 1;
    case Op.RAISE_VARARGS:
      return arg;
  }
  return 1 - stackEffect(op, arg, false); // the rest push one result
}

/** Operand bounds that depend on the opcode (stack-consuming counts are bounded by the depth check instead). */
function uintOk(op: number, a: number): boolean {
  switch (op) {
    case Op.BINARY_OP:
      return (a & ~16) < 13; // BINOPS, optionally | BINOP_INPLACE
    case Op.UNARY_OP:
      return a < 4; // UNOPS
    case Op.COMPARE_OP:
      return a < 6; // CMPOPS
    case Op.IS_OP:
    case Op.CONTAINS_OP:
    case Op.CALL_FUNCTION_EX:
      return a < 2;
    case Op.FORMAT_VALUE:
      return a < 8;
    case Op.RAISE_VARARGS:
      return a < 3;
    case Op.BUILD_SLICE:
      return a === 2 || a === 3;
    case Op.LIST_APPEND:
    case Op.SET_ADD:
    case Op.MAP_ADD:
    case Op.LIST_EXTEND:
    case Op.SET_UPDATE:
    case Op.DICT_UPDATE:
    case Op.DICT_MERGE:
      return a > 0;
  }
  return true;
}

// Verifier scratch, sized for the longest code object: ST[pc] is 0 (not an instruction start), 1 (a start not yet
// reached) or 2 + stack depth; BL[pc] the block depth there; WK the worklist of reached, unprocessed offsets.
let ST = new Uint16Array(0);
let BL = new Uint8Array(0);
let WK = new Uint16Array(0);
let WN = 0;
let MAXD = 0;
let MAXB = 0;

function merge(t: number, d: number, b: number): void {
  if (d < 0 || d > MAXD) fail("stack depth out of bounds " + where() + " (" + d + ", stack size " + MAXD + ")");
  const s = ST[t];
  if (s === 1) {
    ST[t] = d + 2;
    BL[t] = b;
    WK[WN++] = t;
  } else if (s - 2 !== d || BL[t] !== b) {
    fail("inconsistent stack depth at offset " + t + " " + where());
  }
}

function verifyCode(ci: number, nnames: number, nconsts: number, ncodes: number): void {
  const r = ci * CF.CODE_FIELDS;
  const cs = CODES[r + CF.C_CODE];
  const n = CODES[r + CF.C_CODELEN];
  const flags = CODES[r + CF.C_FLAGS];
  const nlocals = CODES[r + CF.C_NLOCALS];
  const nslots = nlocals + CODES[r + CF.C_NCELLS] + CODES[r + CF.C_NFREE];
  CI = ci;
  MAXD = CODES[r + CF.C_STACKSIZE];
  MAXB = CODES[r + CF.C_NBLOCKS];
  for (let i = 0; i < n; i++) ST[i] = 0;

  // 1: decode every instruction, marking starts and bounding operands
  P = cs;
  END = cs + n;
  while (P < END) {
    PC = P - cs;
    ST[PC] = 1;
    const op = B[P++];
    if (op >= OP_COUNT) fail("unknown opcode " + op + " " + where());
    if (
      (op === Op.LOAD_NAME ||
        op === Op.STORE_NAME ||
        op === Op.DELETE_NAME ||
        op === Op.LOAD_CLASSDEREF ||
        op === Op.IMPORT_STAR ||
        op === Op.SETUP_ANNOTATIONS) &&
      !(flags & (CF.CO_MODULE | CF.CO_CLASS_BODY))
    )
      fail("opcode " + op + " needs a module or class body " + where());
    if ((op === Op.YIELD_VALUE || op === Op.YIELD_FROM) && !(flags & (CF.CO_GENERATOR | CF.CO_COROUTINE | CF.CO_ASYNC_GENERATOR)))
      fail("yield outside a generator or coroutine " + where());
    const k = OP_ARG.charCodeAt(op) - 48; // opArg(op), inline: this loop runs once per instruction on the board
    if (k === Arg.NONE) continue;
    if (k === Arg.JUMP) {
      if (END - P < 2) fail("instruction runs past the end " + where());
      P += 2;
      continue;
    }
    const a = vu();
    let ok = true;
    if (k === Arg.NAME) ok = a < nnames;
    else if (k === Arg.CONST) ok = a < nconsts;
    else if (k === Arg.LOCAL) ok = a < nlocals;
    else if (k === Arg.DEREF) ok = a >= nlocals && a < nslots;
    else if (k === Arg.FUNC) {
      // a closure tuple is passed exactly when the function has free variables to fill from it
      const f = a >> 3;
      ok = f >= 1 && f < ncodes && ((a & MF_CLOSURE) !== 0) === CODES[f * CF.CODE_FIELDS + CF.C_NFREE] > 0;
    } else if (k === Arg.UINT) ok = uintOk(op, a);
    // SINT: every zigzag value below 2^31 is a 31-bit small int
    if (!ok) fail("operand out of range " + where());
  }

  // 2: every jump lands on an instruction start inside this code object
  for (let pc = 0; pc < n; pc++) {
    if (ST[pc] !== 0 && OP_ARG.charCodeAt(B[cs + pc]) - 48 === Arg.JUMP) {
      const t = B[cs + pc + 1] | (B[cs + pc + 2] << 8);
      PC = pc;
      if (t >= n || ST[t] === 0) fail("jump out of range " + where());
    }
  }

  // 3: abstract interpretation over the control flow graph: depths agree where paths meet and stay in bounds.
  // The packed tables are read inline (the formulas of opinfo.ts) and operands decoded without bounds checks
  // (pass 1 validated them): on Espruino a function call costs several statements, and this runs per instruction.
  WN = 0;
  PC = 0;
  merge(0, 0, 0);
  while (WN > 0) {
    const pc = WK[--WN];
    PC = pc;
    const d = ST[pc] - 2;
    const b = BL[pc];
    P = cs + pc;
    const op = B[P++];
    const k = OP_ARG.charCodeAt(op) - 48;
    let a = 0;
    if (k === Arg.JUMP) {
      a = B[P] | (B[P + 1] << 8);
      P += 2;
    } else if (k !== Arg.NONE) {
      let c: number;
      let sh = 0;
      do {
        c = B[P++];
        a |= (c & 127) << sh;
        sh += 7;
      } while (c & 128);
    }
    let need = POPS.charCodeAt(op) - 48;
    if (need > 9) need = stackNeed(op, a);
    if (d < need) fail("stack depth out of bounds " + where() + " (underflow)");
    const nb = b + OP_BLOCK.charCodeAt(op) - 80;
    if (nb < 0 || nb > MAXB) fail("block depth out of bounds " + where());
    if (OP_TERMINAL.charCodeAt(op) !== 49) {
      if (P - cs >= n) fail(codeDesc() + " falls off the end at offset " + pc);
      let e = OP_EFFECT.charCodeAt(op) - 80;
      if (e === VAR_EFFECT) e = stackEffect(op, a, false);
      merge(P - cs, d + e, nb);
    }
    if (k === Arg.JUMP) merge(a, d + OP_JUMP_EFFECT.charCodeAt(op) - 80, nb);
  }
}

function load(bytes: Uint8Array): Image {
  B = bytes;
  CI = -1;
  PC = -1;
  const len = bytes.length;
  for (let i = 0; i < 4 && i < len; i++)
    if (bytes[i] !== ((MAGIC >>> (8 * i)) & 255)) fail("not an espy bytecode file (bad magic)");
  if (len < 5) fail("truncated at byte " + len);
  const version = bytes[4];
  if (version !== IMAGE_VERSION)
    fail("format version " + version + ", this runtime reads " + IMAGE_VERSION + ": recompile with espy compile");
  P = 7;
  END = len;
  if (len < 7) fail("truncated at byte " + len);
  const total = vu();
  if (len < total) fail("truncated at byte " + len);
  if (len > total) fail("image is " + total + " bytes but the file has " + (len - total) + " more");
  if (P + 4 > len) fail("truncated at byte " + len);
  END = len - 4;
  const crc = (bytes[END] | (bytes[END + 1] << 8) | (bytes[END + 2] << 16) | (bytes[END + 3] << 24)) >>> 0;
  if (crc32(bytes, 0, END, 0) !== crc) fail("CRC mismatch: the file is corrupt");
  const flags = bytes[5];
  if (flags & ~F_KNOWN) fail("unknown feature flags " + flags);
  if (bytes[6] > SMALL_INT_BITS || bytes[6] < 2)
    fail("small ints are " + bytes[6] + " bits in this image, " + SMALL_INT_BITS + " in this runtime");

  // names: varint length, bytes
  const nnames = count(1);
  const nameOff = (NAME_OFF = new Int32Array(nnames));
  const nameLen = (NAME_LEN = new Int32Array(nnames));
  for (let i = 0; i < nnames; i++) {
    const n = vu();
    need(n);
    nameOff[i] = P;
    nameLen[i] = n;
    utf8(P, n);
    P += n;
  }

  // constants: kind byte, payload
  const nconsts = count(1);
  const constKind = new Uint8Array(nconsts);
  const constOff = new Int32Array(nconsts);
  const constLen = new Int32Array(nconsts);
  let seen = 0;
  for (let i = 0; i < nconsts; i++) {
    need(1);
    const at = P;
    const kind = B[P++];
    let off = P;
    switch (kind) {
      case ConstKind.STR:
      case ConstKind.BYTES: {
        const n = vu();
        need(n);
        off = P;
        if (kind === ConstKind.STR) utf8(P, n);
        P += n;
        break;
      }
      case ConstKind.INT:
        zigzag();
        break;
      case ConstKind.BIGINT: {
        const n = vu();
        need(n + 1);
        off = P;
        // canonical: a sign of 0 or 1 and a non-zero top byte (so no zero, no negative zero)
        if (B[P] > 1 || n === 0 || B[P + n] === 0) fail("bad bigint constant at byte " + at);
        P += n + 1;
        seen |= F_BIGINT;
        break;
      }
      case ConstKind.FLOAT:
        need(8);
        P += 8;
        seen |= F_FLOAT;
        break;
      case ConstKind.TUPLE: {
        const n = count(1);
        for (let j = 0; j < n; j++)
          if (vu() >= i) fail("tuple constant " + i + " refers to a constant that is not before it");
        break;
      }
      case ConstKind.ELLIPSIS:
        break;
      default:
        fail("unknown constant kind " + kind + " at byte " + at);
    }
    constKind[i] = kind;
    constOff[i] = off;
    constLen[i] = P - off;
  }

  // code objects: headers first (MAKE_FUNCTION operands need every code's nfree), bytecode verified below
  const ncodes = count(8); // mask, name, nlocals, stacksize, firstline, codelen, an instruction, lineslen
  if (ncodes === 0) fail("no code objects");
  const codes = (CODES = new Int32Array(ncodes * CF.CODE_FIELDS));
  let nvar = 0;
  let maxLen = 0;
  for (let ci = 0; ci < ncodes; ci++) {
    const r = ci * CF.CODE_FIELDS;
    need(1);
    const mask = B[P++];
    for (let f = CF.C_NAME; f <= CF.C_FIRSTLINE; f++) {
      const bit = MASK_BIT.charCodeAt(f);
      codes[r + f] = bit === 0 || mask & bit ? vu() : f === CF.C_QUALNAME ? codes[r + CF.C_NAME] : 0;
    }
    if (codes[r + CF.C_NAME] >= nnames || codes[r + CF.C_QUALNAME] >= nnames) fail("name out of range in code object " + ci);
    CI = ci;
    const fl = codes[r + CF.C_FLAGS];
    const nlocals = codes[r + CF.C_NLOCALS];
    const gen = fl & (CF.CO_GENERATOR | CF.CO_COROUTINE | CF.CO_ASYNC_GENERATOR);
    const params =
      codes[r + CF.C_ARGCOUNT] + codes[r + CF.C_KWONLY] + (fl & CF.CO_VARARGS ? 1 : 0) + (fl & CF.CO_VARKEYWORDS ? 1 : 0);
    if (
      fl > 255 ||
      (gen & (gen - 1)) !== 0 ||
      (fl & CF.CO_MODULE && fl & CF.CO_CLASS_BODY) ||
      codes[r + CF.C_POSONLY] > codes[r + CF.C_ARGCOUNT] ||
      params > nlocals ||
      codes[r + CF.C_STACKSIZE] > MAX_STACK ||
      codes[r + CF.C_NBLOCKS] > MAX_BLOCKS ||
      // code 0 is the module body: run without arguments, closure or generator; MAKE_FUNCTION never names it
      (ci === 0) !== ((fl & CF.CO_MODULE) !== 0) ||
      (ci === 0 && (params > 0 || gen !== 0 || codes[r + CF.C_NFREE] > 0))
    )
      fail("bad header in " + codeDesc());
    const nv = nlocals + codes[r + CF.C_NCELLS] + codes[r + CF.C_NFREE];
    if (nv > END - P) fail("truncated at byte " + END);
    codes[r + CF.C_VARNAMES] = P; // byte offset for now: the index into varnames is assigned below
    for (let j = 0; j < nv; j++) if (vu() >= nnames) fail("name out of range in " + codeDesc());
    nvar += nv;
    const n = vu();
    if (n === 0 || n > MAX_CODE_LEN) fail("bad bytecode length in " + codeDesc());
    need(n);
    codes[r + CF.C_CODE] = P;
    codes[r + CF.C_CODELEN] = n;
    P += n;
    if (n > maxLen) maxLen = n;
    const ln = vu();
    need(ln);
    lineTable(P, ln);
    codes[r + CF.C_LINES] = P;
    codes[r + CF.C_LINESLEN] = ln;
    P += ln;
    if (ln > 0) seen |= F_LINES;
  }
  CI = -1;
  const filename = vu();
  if (filename >= nnames) fail("name out of range at byte " + (P - 1));
  if (P !== END) fail("unexpected data at byte " + P);
  if (flags & F_STRIPPED ? seen & F_LINES || flags !== (seen | F_STRIPPED) : flags !== seen)
    fail("feature flags " + flags + " do not match the contents");

  const varnames = new Int32Array(nvar);
  nvar = 0;
  for (let ci = 0; ci < ncodes; ci++) {
    const r = ci * CF.CODE_FIELDS;
    P = codes[r + CF.C_VARNAMES];
    codes[r + CF.C_VARNAMES] = nvar;
    const nv = codes[r + CF.C_NLOCALS] + codes[r + CF.C_NCELLS] + codes[r + CF.C_NFREE];
    for (let j = 0; j < nv; j++) varnames[nvar++] = vu();
  }

  ST = new Uint16Array(maxLen);
  BL = new Uint8Array(maxLen);
  WK = new Uint16Array(maxLen);
  for (let ci = 0; ci < ncodes; ci++) {
    PC = 0;
    verifyCode(ci, nnames, nconsts, ncodes);
  }
  return {
    bytes: bytes,
    version: version,
    flags: flags,
    filename: filename,
    nameOff: nameOff,
    nameLen: nameLen,
    constKind: constKind,
    constOff: constOff,
    constLen: constLen,
    codes: codes,
    ncodes: ncodes,
    varnames: varnames,
    crc: crc,
  };
}

function release(): void {
  // drop references so the bytes and scratch can be collected (on the board they may be large)
  B = new Uint8Array(0);
  ST = new Uint16Array(0);
  BL = new Uint8Array(0);
  WK = new Uint16Array(0);
  NAME_OFF = NAME_LEN = CODES = new Int32Array(0);
  CI = -1;
}

/**
 * Loads and verifies an image. Accepts any bytes: the result is a verified Image or a LoadError with one message
 * ("not an espy bytecode file (bad magic)", "truncated at byte N", "CRC mismatch: the file is corrupt", …).
 */
export function loadImage(bytes: Uint8Array): Image | LoadError {
  try {
    const img = load(bytes);
    release();
    return img;
  } catch (e) {
    release();
    if (e !== FAIL) throw e; // a bug in the loader, not a bad file: let it show
    return { error: MSG };
  }
}

// =================================================================================================================
// Reading a loaded image's constants (the tables hold only offsets)

/** Value of an INT constant. */
export function constInt(img: Image, i: number): number {
  B = img.bytes;
  P = img.constOff[i];
  END = P + img.constLen[i];
  const v = zigzag();
  B = new Uint8Array(0);
  return v;
}

/** Value of a FLOAT constant. */
export function constFloat(img: Image, i: number): number {
  const o = img.constOff[i];
  const b = img.bytes;
  const dv = new DataView(b.buffer, b.byteOffset + o, 8);
  return dv.getFloat64(0, true);
}

/** Indices of a TUPLE constant's members. */
export function constTuple(img: Image, i: number): number[] {
  B = img.bytes;
  P = img.constOff[i];
  END = P + img.constLen[i];
  const out: number[] = [];
  for (let n = vu(); n > 0; n--) out.push(vu());
  B = new Uint8Array(0);
  return out;
}

/** Name i as a byte string (one char per byte). */
export function imageName(img: Image, i: number): string {
  let s = "";
  const o = img.nameOff[i];
  for (let k = 0; k < img.nameLen[i]; k++) s += String.fromCharCode(img.bytes[o + k]);
  return s;
}

// =================================================================================================================
// Line maps (--strip-lines): the line tables of a stripped image, kept on the host. A map names the image it belongs
// to by that image's CRC and length, so a traceback is never decoded with another build's lines.

export interface LineMap {
  bytes: Uint8Array;
  imageCrc: number;
  imageLen: number;
  ncodes: number;
  /** Line table of code object i is bytes[off[i] … off[i] + len[i]). */
  off: Int32Array;
  len: Int32Array;
}

/** The line map for serialize(p, true). */
export function serializeLineMap(p: Program): Uint8Array {
  const img = serialize(p, true);
  const n = img.length;
  const out: number[] = [];
  putU32(out, MAP_MAGIC);
  out.push(IMAGE_VERSION);
  putU32(out, (img[n - 4] | (img[n - 3] << 8) | (img[n - 2] << 16) | (img[n - 1] << 24)) >>> 0);
  putVarint(out, n);
  putVarint(out, p.codes.length);
  for (let i = 0; i < p.codes.length; i++) {
    const l = p.codes[i].lines;
    putVarint(out, l.length);
    for (let j = 0; j < l.length; j++) out.push(l[j]);
  }
  const bytes = new Uint8Array(out.length + 4);
  bytes.set(out, 0);
  const crc = crc32(bytes, 0, out.length, 0);
  for (let i = 0; i < 4; i++) bytes[out.length + i] = (crc >>> (8 * i)) & 255;
  return bytes;
}

export function loadLineMap(bytes: Uint8Array): LineMap | LoadError {
  B = bytes;
  CI = -1;
  PC = -1;
  try {
    const len = bytes.length;
    for (let i = 0; i < 4 && i < len; i++)
      if (bytes[i] !== ((MAP_MAGIC >>> (8 * i)) & 255)) fail("not an espy line map (bad magic)");
    if (len < 14) fail("truncated at byte " + len);
    if (bytes[4] !== IMAGE_VERSION)
      fail("format version " + bytes[4] + ", this runtime reads " + IMAGE_VERSION + ": recompile with espy compile");
    END = len - 4;
    const crc = (bytes[END] | (bytes[END + 1] << 8) | (bytes[END + 2] << 16) | (bytes[END + 3] << 24)) >>> 0;
    if (crc32(bytes, 0, END, 0) !== crc) fail("CRC mismatch: the line map is corrupt");
    const imageCrc = (bytes[5] | (bytes[6] << 8) | (bytes[7] << 16) | (bytes[8] << 24)) >>> 0;
    P = 9;
    const imageLen = vu();
    const ncodes = count(1);
    const off = new Int32Array(ncodes);
    const ln = new Int32Array(ncodes);
    for (let i = 0; i < ncodes; i++) {
      const n = vu();
      need(n);
      off[i] = P;
      ln[i] = n;
      P += n;
    }
    if (P !== END) fail("unexpected data at byte " + P);
    for (let i = 0; i < ncodes; i++) {
      const e = off[i] + ln[i];
      for (let p = off[i]; p < e; ) {
        const b = bytes[p++];
        if (b < 0x80) continue;
        if (b !== 0x80) fail("bad line table for code object " + i);
        for (let v = 0; v < 2; v++) {
          let k = 0;
          do {
            if (p >= e || ++k > 5) fail("bad line table for code object " + i);
          } while (bytes[p++] & 128);
        }
      }
    }
    release();
    return { bytes: bytes, imageCrc: imageCrc, imageLen: imageLen, ncodes: ncodes, off: off, len: ln };
  } catch (e) {
    release();
    if (e !== FAIL) throw e;
    return { error: MSG };
  }
}

/** Whether a line map was written for this image. */
export function mapMatches(img: Image, map: LineMap): boolean {
  return map.imageCrc === img.crc && map.imageLen === img.bytes.length && map.ncodes === img.ncodes;
}

/**
 * Source line of the instruction at `offset` in code object `ci`: from the image's own line table, or from `map` for
 * a stripped image. 0 when unknown (stripped, and no matching map).
 */
export function lineFor(img: Image, map: LineMap | null, ci: number, offset: number): number {
  if (ci < 0 || ci >= img.ncodes) return 0;
  const r = ci * CF.CODE_FIELDS;
  const first = img.codes[r + CF.C_FIRSTLINE];
  if (img.flags & F_STRIPPED) {
    if (map === null || !mapMatches(img, map)) return 0;
    return map.len[ci] === 0 ? first : lineAt(map.bytes, map.off[ci], map.len[ci], first, offset);
  }
  const n = img.codes[r + CF.C_LINESLEN];
  return n === 0 ? first : lineAt(img.bytes, img.codes[r + CF.C_LINES], n, first, offset);
}
