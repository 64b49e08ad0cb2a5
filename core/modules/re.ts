// The re module: a backtracking matcher over the UTF-8 bytes of str (or the bytes of bytes), with the compiled
// program and the backtrack stack on the VM heap (no JS recursion per character: the board's JS stack is shallow).
// Beyond MicroPython's re (re1.5: . [] * + ? *? +? ?? | () ^ $ \d \w \s and their negations) it has counted
// repetition {m,n}, (?:...), named groups (?P<n>...), backreferences \1 and (?P=n), \b \B \A \Z, the flags
// IGNORECASE, MULTILINE, DOTALL and VERBOSE (also inline as (?ims) at the start), fullmatch, findall, finditer,
// subn and escape. Bad patterns raise re.error, which is ValueError as in MicroPython.
import { K, smi, imm, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise } from "../vm/exc";
import { native, defineModule, defineAttrs, NF_KW, NF_METHOD } from "../vm/registry";
import { NF_PROP } from "../vm/attr";
import { call1 } from "../vm/call";
import { kindOf, typeNameJs, toIndex } from "../vm/ops";
import { bytesAt, BUF } from "./struct";
import { getIter } from "../obj/items";
import { newTuple, newList, listAppend, seqLen } from "../obj/seq";
import { newDict, dictSet, dictGet, dictGetStr, tableNext, entryKey, entryValue, tableLen, tableClear } from "../obj/dict";
import { str, jstr, qw, sbuf, soff, slen, sclen, strFromBytes, bytesFromBytes, bytesFromJs, utf8Decode, utf8SeqLen } from "../obj/str";
import { strRepr, bytesRepr } from "../obj/repr";
import { cpLower } from "../obj/strmethods";
import { kwArg, checkKw } from "./builtins";

// --- flags (CPython's values) --------------------------------------------------------------------------------------
const RE_I = 2;
const RE_M = 8;
const RE_S = 16;
const RE_X = 64;

// --- the program -----------------------------------------------------------------------------------------------------
// Words: an opcode then its operands. Jump operands are relative to the opcode's index.
const OP_CHAR = 1; // c
const OP_CHARI = 2; // c (lower case): case-insensitive
const OP_ANY = 3; // any but \n
const OP_ANYNL = 4; // any
const OP_CLASS = 5; // flags (1 negated, 2 ignore case), n, then n (lo, hi) pairs; lo < 0: a class escape -lo
const OP_BOL = 6;
const OP_MBOL = 7;
const OP_EOL = 8;
const OP_MEOL = 9;
const OP_SPLIT = 10; // x, y: try x, then y
const OP_JMP = 11; // x
const OP_SAVE = 12; // slot
const OP_MATCH = 13;
const OP_MARK = 14; // reg: remember the position
const OP_CHECK = 15; // reg: fail unless the position moved since the mark
const OP_BACKREF = 16; // group
const OP_WORDB = 17;
const OP_NWORDB = 18;
const OP_BOS = 19;
const OP_EOS = 20;
const OP_BACKREFI = 21; // group, ignoring case

// class escapes inside OP_CLASS (as -lo)
const CL_D = 1;
const CL_ND = 2;
const CL_W = 3;
const CL_NW = 4;
const CL_S = 5;
const CL_NS = 6;

const MAX_PROG = 20000;

// --- the compiler ----------------------------------------------------------------------------------------------------
// Recursive descent over the pattern (recursion only per nesting level of groups, which is bounded).

let P = ""; // the pattern as a byte string
let pi = 0;
let pUni = true; // a str pattern (UTF-8) rather than bytes
let pFlags = 0;
let nGroups = 1;
let nRegs = 0;
let depth = 0;
let groupNames: string[] = [];
let errVm: Vm | null = null;

function perr(msg: string): unknown {
  return raise(errVm as Vm, T.VALUE_ERROR, msg + " at position " + pi);
}

function peekc(): number {
  return pi < P.length ? P.charCodeAt(pi) : -1;
}

/** Next pattern character (a code point for str patterns). */
function nextc(): number {
  const c = P.charCodeAt(pi);
  if (!pUni || c < 0x80) {
    pi++;
    return c;
  }
  const n = utf8SeqLen(c);
  const b = new Uint8Array(4);
  for (let i = 0; i < n; i++) b[i] = P.charCodeAt(pi + i);
  pi += n;
  return utf8Decode(b, 0);
}

function skipVerbose(): void {
  if (!(pFlags & RE_X)) return;
  for (;;) {
    const c = peekc();
    if (c === 32 || (c >= 9 && c <= 13)) pi++;
    else if (c === 35) {
      while (pi < P.length && P.charCodeAt(pi) !== 10) pi++;
    } else return;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function readHex(n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const h = hexVal(peekc());
    if (h < 0) throw perr("incomplete escape");
    v = v * 16 + h;
    pi++;
  }
  return v;
}

/**
 * An escape after the backslash: a code point (>= 0), or -(class escape) for \d \D \w \W \s \S, or -100 - k for
 * other assertions/references (handled by the caller). inClass: inside [...].
 */
function parseEscape(inClass: boolean): number {
  if (pi >= P.length) throw perr("bad escape (end of pattern)");
  const c = nextc();
  switch (c) {
    case 100: return -CL_D; // d
    case 68: return -CL_ND; // D
    case 119: return -CL_W; // w
    case 87: return -CL_NW; // W
    case 115: return -CL_S; // s
    case 83: return -CL_NS; // S
    case 110: return 10; // n
    case 116: return 9; // t
    case 114: return 13; // r
    case 102: return 12; // f
    case 118: return 11; // v
    case 97: return 7; // a
    case 120: return readHex(2); // x
    case 48: {
      // \0 and up to two more octal digits
      let v = 0;
      for (let i = 0; i < 2 && peekc() >= 48 && peekc() <= 55; i++) v = v * 8 + (nextc() - 48);
      return v;
    }
  }
  if (pUni && c === 117) return readHex(4); // u
  if (pUni && c === 85) return readHex(8); // U
  if (inClass && c === 98) return 8; // [\b] is backspace
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 49 && c <= 57)) {
    if (!inClass) {
      pi--;
      return -100;
    }
    pi--;
    throw perr("bad escape \\" + String.fromCharCode(c));
  }
  return c;
}

function emit(out: number[], op: number, a: number, b: number, n: number): void {
  out.push(op);
  if (n > 0) out.push(a);
  if (n > 1) out.push(b);
}

/** A character class [...] starting after the '['. */
function parseClass(out: number[]): void {
  let neg = 0;
  if (peekc() === 94) {
    neg = 1;
    pi++;
  }
  const pairs: number[] = [];
  let first = true;
  for (;;) {
    if (pi >= P.length) throw perr("unterminated character set");
    let c = peekc();
    if (c === 93 && !first) {
      pi++;
      break;
    }
    first = false;
    let lo: number;
    if (c === 92) {
      pi++;
      lo = parseEscape(true);
    } else lo = nextc();
    if (lo < 0) {
      pairs.push(lo, 0);
      continue;
    }
    let hi = lo;
    if (peekc() === 45 && pi + 1 < P.length && P.charCodeAt(pi + 1) !== 93) {
      pi++;
      c = peekc();
      if (c === 92) {
        pi++;
        hi = parseEscape(true);
        if (hi < 0) throw perr("bad character range");
      } else hi = nextc();
      if (hi < lo) throw perr("bad character range");
    }
    pairs.push(lo, hi);
  }
  out.push(OP_CLASS, neg | (pFlags & RE_I ? 2 : 0), pairs.length >> 1);
  for (let i = 0; i < pairs.length; i++) out.push(pairs[i]);
}

function groupRef(name: string): number {
  for (let i = 0; i < groupNames.length; i++) if (groupNames[i] === name) return i + 1;
  return -1;
}

function readName(end: number): string {
  const s = pi;
  while (pi < P.length && P.charCodeAt(pi) !== end) pi++;
  if (pi >= P.length) throw perr("missing " + String.fromCharCode(end) + ", unterminated name");
  const name = P.substring(s, pi);
  pi++;
  if (!name.length) throw perr("missing group name");
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const ok = c === 95 || c >= 128 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (i > 0 && isDigit(c));
    if (!ok) throw perr("bad character in group name '" + name + "'");
  }
  return name;
}

/** One atom (with no quantifier) into out. Returns false at the end of a sequence. */
function parseAtom(out: number[]): boolean {
  skipVerbose();
  if (pi >= P.length) return false;
  const c = peekc();
  if (c === 124 || c === 41) return false; // | )
  if (c === 42 || c === 43 || c === 63) throw perr("nothing to repeat");
  if (c === 123 && isQuant()) throw perr("nothing to repeat");
  pi++;
  switch (c) {
    case 46: // .
      out.push(pFlags & RE_S ? OP_ANYNL : OP_ANY);
      return true;
    case 94: // ^
      out.push(pFlags & RE_M ? OP_MBOL : OP_BOL);
      return true;
    case 36: // $
      out.push(pFlags & RE_M ? OP_MEOL : OP_EOL);
      return true;
    case 91: // [
      parseClass(out);
      return true;
    case 40: {
      // ( … )
      let cap = true;
      let name = "";
      if (peekc() === 63) {
        pi++;
        const d = peekc();
        if (d === 58) {
          pi++;
          cap = false;
        } else if (d === 80 && P.charCodeAt(pi + 1) === 60) {
          pi += 2;
          name = readName(62);
          if (groupRef(name) >= 0) throw perr("redefinition of group name '" + name + "'");
        } else if (d === 80 && P.charCodeAt(pi + 1) === 61) {
          pi += 2;
          const ref = groupRef(readName(41));
          if (ref < 0) throw perr("unknown group name");
          out.push(pFlags & RE_I ? OP_BACKREFI : OP_BACKREF, ref);
          return true;
        } else if (d === 35) {
          while (pi < P.length && P.charCodeAt(pi) !== 41) pi++;
          if (pi >= P.length) throw perr("missing ), unterminated comment");
          pi++;
          return true;
        } else if (d === 105 || d === 109 || d === 115 || d === 120 || d === 97 || d === 117 || d === 76) {
          throw perr("global flags not at the start of the expression");
        } else throw perr("unknown extension ?" + String.fromCharCode(d));
      }
      if (++depth > 100) throw perr("too many nested groups");
      let g = 0;
      if (cap) {
        g = nGroups++;
        groupNames.push(name);
        out.push(OP_SAVE, 2 * g);
      }
      parseAlt(out);
      if (peekc() !== 41) throw perr("missing ), unterminated subpattern");
      pi++;
      depth--;
      if (cap) out.push(OP_SAVE, 2 * g + 1);
      return true;
    }
    case 92: {
      const e = parseEscape(false);
      if (e >= 0) {
        out.push(pFlags & RE_I ? OP_CHARI : OP_CHAR, pFlags & RE_I ? cpLower(e) : e);
        return true;
      }
      if (e > -100) {
        out.push(OP_CLASS, 0, 1, e, 0);
        return true;
      }
      const k = nextc();
      if (isDigit(k)) {
        let g = k - 48;
        if (isDigit(peekc()) && g * 10 + peekc() - 48 < nGroups) g = g * 10 + (nextc() - 48);
        if (g >= nGroups) throw perr("invalid group reference " + g);
        out.push(pFlags & RE_I ? OP_BACKREFI : OP_BACKREF, g);
        return true;
      }
      switch (k) {
        case 98: out.push(OP_WORDB); return true; // b
        case 66: out.push(OP_NWORDB); return true; // B
        case 65: out.push(OP_BOS); return true; // A
        case 90: out.push(OP_EOS); return true; // Z
      }
      pi--;
      throw perr("bad escape \\" + String.fromCharCode(k));
    }
  }
  pi--;
  const ch = nextc();
  out.push(pFlags & RE_I ? OP_CHARI : OP_CHAR, pFlags & RE_I ? cpLower(ch) : ch);
  return true;
}

/** Is the text at pi a {m}, {m,}, {,n} or {m,n} quantifier? (Otherwise '{' is a literal.) */
function isQuant(): boolean {
  let i = pi + 1;
  let digits = 0;
  while (i < P.length && isDigit(P.charCodeAt(i))) {
    i++;
    digits++;
  }
  if (i < P.length && P.charCodeAt(i) === 44) {
    i++;
    while (i < P.length && isDigit(P.charCodeAt(i))) {
      i++;
      digits++;
    }
  }
  return digits > 0 && i < P.length && P.charCodeAt(i) === 125;
}

function readInt(): number {
  let v = -1;
  while (isDigit(peekc())) v = (v < 0 ? 0 : v * 10) + (nextc() - 48);
  return v;
}

/** Wrap code (an atom, possibly empty-matching) as one or more repetitions: x+ (greedy unless lazy). */
function plus(code: number[], lazy: boolean): number[] {
  const r = nRegs++;
  // L: MARK r; x; SPLIT (repeat: CHECK r; JMP L), (exit)
  const out = [OP_MARK, r];
  for (let i = 0; i < code.length; i++) out.push(code[i]);
  const split = out.length;
  out.push(OP_SPLIT, 3, 7); // repeat at +3, exit at +7
  out.push(OP_CHECK, r, OP_JMP, -(split + 5));
  if (lazy) {
    out[split + 1] = 7;
    out[split + 2] = 3;
  }
  return out;
}

/** x? */
function optional(code: number[], lazy: boolean): number[] {
  const out = lazy ? [OP_SPLIT, 3 + code.length, 3] : [OP_SPLIT, 3, 3 + code.length];
  for (let i = 0; i < code.length; i++) out.push(code[i]);
  return out;
}

function parseSeq(out: number[]): void {
  for (;;) {
    const atom: number[] = [];
    if (!parseAtom(atom)) return;
    skipVerbose();
    let c = peekc();
    let min = 1;
    let max = 1;
    if (c === 42) {
      min = 0;
      max = -1;
    } else if (c === 43) {
      min = 1;
      max = -1;
    } else if (c === 63) {
      min = 0;
      max = 1;
    } else if (c === 123 && isQuant()) {
      pi++;
      min = readInt();
      if (min < 0) min = 0;
      max = min;
      if (peekc() === 44) {
        pi++;
        max = readInt();
      }
      if (max >= 0 && max < min) throw perr("min repeat greater than max repeat");
      if (min > 65535 || max > 65535) throw perr("the repetition number is too large");
      // pi is at the closing brace: the pi++ below steps over it
    } else {
      for (let i = 0; i < atom.length; i++) out.push(atom[i]);
      continue;
    }
    pi++;
    let lazy = false;
    if (peekc() === 63) {
      pi++;
      lazy = true;
    }
    c = peekc();
    if (c === 42 || c === 43 || (c === 63 && !lazy)) throw perr("multiple repeat");
    let code: number[] = [];
    for (let i = 0; i < min; i++) for (let j = 0; j < atom.length; j++) code.push(atom[j]);
    if (max < 0) {
      const p = optional(plus(atom, lazy), lazy);
      for (let i = 0; i < p.length; i++) code.push(p[i]);
    } else if (max > min) {
      // (x(x(x)?)?)? for the optional ones, innermost first
      let tail: number[] = [];
      for (let i = 0; i < max - min; i++) {
        const inner = atom.concat(tail);
        tail = optional(inner, lazy);
        if (tail.length > MAX_PROG) throw perr("pattern too large");
      }
      code = code.concat(tail);
    }
    if (out.length + code.length > MAX_PROG) throw perr("pattern too large");
    for (let i = 0; i < code.length; i++) out.push(code[i]);
  }
}

function parseAlt(out: number[]): void {
  const start = out.length;
  parseSeq(out);
  const jumps: number[] = [];
  while (peekc() === 124) {
    pi++;
    // wrap what we have: SPLIT (first alternative) (the rest); the first alternative ends with JMP end
    out.push(OP_JMP, 0);
    jumps.push(out.length - 2);
    const firstLen = out.length - start;
    out.splice(start, 0, OP_SPLIT, 3, 3 + firstLen);
    for (let i = 0; i < jumps.length; i++) jumps[i] += 3;
    parseSeq(out);
  }
  for (let i = 0; i < jumps.length; i++) out[jumps[i] + 1] = out.length - jumps[i];
}

/** Compile pattern P with flags: the program (a JS array). Sets nGroups, nRegs, groupNames. */
function compilePattern(vm: Vm, pat: string, uni: boolean, flags: number): number[] {
  errVm = vm;
  P = pat;
  pi = 0;
  pUni = uni;
  pFlags = flags;
  nGroups = 1;
  nRegs = 0;
  depth = 0;
  groupNames = [];
  // inline global flags (?imsx) at the start
  while (P.charCodeAt(pi) === 40 && P.charCodeAt(pi + 1) === 63) {
    let j = pi + 2;
    let f = 0;
    for (; j < P.length; j++) {
      const c = P.charCodeAt(j);
      if (c === 105) f |= RE_I;
      else if (c === 109) f |= RE_M;
      else if (c === 115) f |= RE_S;
      else if (c === 120) f |= RE_X;
      else if (c === 97 || c === 117 || c === 76) f |= 0;
      else break;
    }
    if (j === pi + 2 || P.charCodeAt(j) !== 41) break;
    pFlags |= f;
    pi = j + 1;
  }
  const out: number[] = [OP_SAVE, 0];
  parseAlt(out);
  if (pi < P.length) {
    if (peekc() === 41) throw perr("unbalanced parenthesis");
    throw perr("unexpected end of pattern");
  }
  out.push(OP_SAVE, 1, OP_MATCH);
  return out;
}

// --- regex objects -------------------------------------------------------------------------------------------------
// NATIVE_OBJ [hdr, REGEX, 0, pattern, flags, program RAWBUF, groups, slots, groupindex dict]

const R_PAT = 3;
const R_FLAGS = 4;
const R_PROG = 5;
const R_NGROUPS = 6;
const R_NSLOTS = 7;
const R_INDEX = 8;
const R_SIZE = 9;

function isStrW(vm: Vm, w: number): boolean {
  return (w & 3) === 2 ? w >> 2 >= 8192 : kindOf(vm, w) === K.STR;
}

function isBytesW(vm: Vm, w: number): boolean {
  const k = kindOf(vm, w);
  return k === K.BYTES || k === K.BYTEARRAY;
}

function flagsArg(vm: Vm, w: number): number {
  if (w === LY.NULL || w === LY.NONE) return 0;
  if (!(w & 1) && w !== LY.TRUE && w !== LY.FALSE) throw raise(vm, T.TYPE_ERROR, "flags must be an integer, not " + typeNameJs(vm, w));
  return toIndex(vm, w, "flags");
}

function compileRegex(vm: Vm, pat: number, flags: number): number {
  if (kindOf(vm, pat) === K.NATIVE_OBJ && vm.H[(pat >> 2) + 1] === imm(T.REGEX)) {
    if (flags) throw raise(vm, T.VALUE_ERROR, "cannot process flags argument with a compiled pattern");
    return pat;
  }
  const uni = isStrW(vm, pat);
  if (!uni && !isBytesW(vm, pat)) throw raise(vm, T.TYPE_ERROR, "first argument must be string or compiled pattern");
  const src = uni ? jstr(vm, pat) : bytesJs(vm, pat);
  const prog = compilePattern(vm, src, uni, flags);
  const names = groupNames;
  const ng = nGroups;
  const nslots = 2 * nGroups + nRegs;
  const H = vm.H;
  const r = vm.alloc(K.NATIVE_OBJ, R_SIZE);
  H[r + 1] = imm(T.REGEX);
  H[r + 2] = smi(0);
  H[r + R_PAT] = pat;
  H[r + R_FLAGS] = smi(pFlags | (uni ? 32 : 0));
  H[r + R_NGROUPS] = smi(ng - 1);
  H[r + R_NSLOTS] = smi(nslots);
  H[r + R_INDEX] = LY.NONE;
  vm.tpush(r << 2);
  try {
    const pb = vm.alloc(K.RAWBUF, 1 + prog.length);
    for (let i = 0; i < prog.length; i++) H[pb + 1 + i] = prog[i];
    H[r + R_PROG] = pb << 2;
    const gi = newDict(vm);
    H[r + R_INDEX] = gi;
    for (let i = 0; i < names.length; i++) {
      if (!names[i]) continue;
      const k = vm.tpush(str(vm, names[i]));
      dictSet(vm, gi, k, smi(i + 1));
      vm.tpop(1);
    }
  } finally {
    vm.tpop(1);
  }
  return r << 2;
}

function bytesJs(vm: Vm, w: number): string {
  const b = bytesAt(vm, w);
  const o = BUF[0];
  const n = BUF[1];
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(b[o + i]);
  return s;
}

/** The regex behind w, or a TypeError. */
function rx(vm: Vm, w: number): number {
  if (kindOf(vm, w) !== K.NATIVE_OBJ || vm.H[(w >> 2) + 1] !== imm(T.REGEX))
    throw raise(vm, T.TYPE_ERROR, "descriptor requires a 're.Pattern' object but received a '" + typeNameJs(vm, w) + "'");
  return w >> 2;
}

// --- the matcher -----------------------------------------------------------------------------------------------------
// Backtracking over the program with an explicit stack of (kind, a, b) triples in a heap RAWBUF: kind 0 is an
// alternative (pc, position), kind 1 restores slot a to b. The stack grows by doubling on the heap (MemoryError if
// it cannot), never on the JS stack.

let stkRoot = -1; // index in vm.tr of the stack's RAWBUF
let stk = 0; // word index of the stack's first entry word
let stkCap = 0; // words
let subjB: Uint8Array = new Uint8Array(0);
let subjO = 0;
let subjUni = true;
let cpN = 1; // byte length of the code point decode() just read

function decode(i: number): number {
  const c = subjB[subjO + i];
  if (!subjUni || c < 0x80) {
    cpN = 1;
    return c;
  }
  cpN = utf8SeqLen(c);
  return utf8Decode(subjB, subjO + i);
}

/** The code point before byte position i (i > 0). */
function decodeBefore(i: number): number {
  let j = i - 1;
  if (subjUni) while (j > 0 && (subjB[subjO + j] & 0xc0) === 0x80) j--;
  return decode(j);
}

function isWordCp(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (c >= 0xaa && subjUni && c !== 0xd7 && c !== 0xf7);
}

function isSpaceCp(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (subjUni && (c === 0x85 || c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029));
}

function classEscape(k: number, c: number): boolean {
  switch (k) {
    case CL_D: return c >= 48 && c <= 57;
    case CL_ND: return !(c >= 48 && c <= 57);
    case CL_W: return isWordCp(c);
    case CL_NW: return !isWordCp(c);
    case CL_S: return isSpaceCp(c);
  }
  return !isSpaceCp(c);
}

function inClass(H: Int32Array, pc: number, c: number): boolean {
  const fl = H[pc + 1];
  const n = H[pc + 2];
  const icase = (fl & 2) !== 0;
  const alt = icase ? swapCase(c) : c;
  let hit = false;
  for (let i = 0; i < n && !hit; i++) {
    const lo = H[pc + 3 + 2 * i];
    if (lo < 0) hit = classEscape(-lo, c);
    else {
      const hi = H[pc + 4 + 2 * i];
      hit = (c >= lo && c <= hi) || (icase && alt >= lo && alt <= hi);
    }
  }
  return hit !== ((fl & 1) !== 0);
}

function swapCase(c: number): number {
  const l = cpLower(c);
  if (l !== c) return l;
  // the upper case of an ASCII or Latin-1 letter
  if ((c >= 97 && c <= 122) || (c >= 0xe0 && c <= 0xfe && c !== 0xf7)) return c - 32;
  return c;
}

function push(vm: Vm, kind: number, a: number, b: number, top: number): void {
  if (top + 3 > stkCap) {
    const ncap = stkCap * 2;
    const nb = vm.alloc(K.RAWBUF, 1 + ncap);
    const H = vm.H;
    for (let i = 0; i < top; i++) H[nb + 1 + i] = H[stk + i];
    vm.tr[stkRoot] = nb << 2;
    stk = nb + 1;
    stkCap = ncap;
  }
  const H = vm.H;
  H[stk + top] = kind;
  H[stk + top + 1] = a;
  H[stk + top + 2] = b;
}

/**
 * Try to match program prog (word index of its first word) at byte position start of the subject, which ends at
 * end. slots (word index in H of an Int32 area, nslots long, -1 filled) receive the captures. mustAdvance: an empty
 * match at start is refused (after an empty match, findall/sub/split move on). full: the match must reach end.
 */
function matchAt(vm: Vm, prog: number, start: number, end: number, slots: number, nslots: number, full: boolean, mustAdvance: boolean): boolean {
  let H = vm.H;
  for (let i = 0; i < nslots; i++) H[slots + i] = -1;
  let top = 0;
  let pc = prog;
  let pos = start;
  for (;;) {
    const op = H[pc];
    let ok = true;
    switch (op) {
      case OP_CHAR:
        if (pos < end && decode(pos) === H[pc + 1]) {
          pos += cpN;
          pc += 2;
        } else ok = false;
        break;
      case OP_CHARI:
        if (pos < end && cpLower(decode(pos)) === H[pc + 1]) {
          pos += cpN;
          pc += 2;
        } else ok = false;
        break;
      case OP_ANY:
        if (pos < end && decode(pos) !== 10) {
          pos += cpN;
          pc += 1;
        } else ok = false;
        break;
      case OP_ANYNL:
        if (pos < end) {
          decode(pos);
          pos += cpN;
          pc += 1;
        } else ok = false;
        break;
      case OP_CLASS:
        if (pos < end && inClass(H, pc, decode(pos))) {
          pos += cpN;
          pc += 3 + 2 * H[pc + 2];
        } else ok = false;
        break;
      case OP_BOL:
        ok = pos === 0;
        pc++;
        break;
      case OP_MBOL:
        ok = pos === 0 || subjB[subjO + pos - 1] === 10;
        pc++;
        break;
      case OP_EOL:
        ok = pos === end || (pos === end - 1 && subjB[subjO + pos] === 10);
        pc++;
        break;
      case OP_MEOL:
        ok = pos === end || subjB[subjO + pos] === 10;
        pc++;
        break;
      case OP_BOS:
        ok = pos === 0;
        pc++;
        break;
      case OP_EOS:
        ok = pos === end;
        pc++;
        break;
      case OP_WORDB:
      case OP_NWORDB: {
        const a = pos > 0 && isWordCp(decodeBefore(pos));
        const b = pos < end && isWordCp(decode(pos));
        ok = (a !== b) === (op === OP_WORDB);
        pc++;
        break;
      }
      case OP_SPLIT:
        push(vm, 0, pc + H[pc + 2], pos, top);
        H = vm.H;
        top += 3;
        pc += H[pc + 1];
        break;
      case OP_JMP:
        pc += H[pc + 1];
        break;
      case OP_SAVE:
      case OP_MARK: {
        const k = op === OP_SAVE ? H[pc + 1] : nslots - 1 - H[pc + 1];
        push(vm, 1, k, H[slots + k], top);
        H = vm.H;
        top += 3;
        H[slots + k] = pos;
        pc += 2;
        break;
      }
      case OP_CHECK:
        ok = H[slots + nslots - 1 - H[pc + 1]] !== pos;
        pc += 2;
        break;
      case OP_BACKREF:
      case OP_BACKREFI: {
        const g = H[pc + 1];
        const s = H[slots + 2 * g];
        const e = H[slots + 2 * g + 1];
        if (s < 0 || e < 0) {
          ok = false;
          break;
        }
        let p = pos;
        let q = s;
        while (ok && q < e) {
          if (p >= end) ok = false;
          else if (op === OP_BACKREF) {
            if (subjB[subjO + p] !== subjB[subjO + q]) ok = false;
            p++;
            q++;
          } else {
            const x = decode(q);
            q += cpN;
            if (cpLower(decode(p)) !== cpLower(x)) ok = false;
            p += cpN;
          }
        }
        if (ok) {
          pos = p;
          pc += 2;
        }
        break;
      }
      case OP_MATCH:
        if ((full && pos !== end) || (mustAdvance && pos === start)) ok = false;
        else return true;
        break;
      default:
        throw raise(vm, T.SYSTEM_ERROR, "bad regex program");
    }
    if (ok) continue;
    // backtrack
    for (;;) {
      if (top === 0) return false;
      top -= 3;
      const kind = H[stk + top];
      if (kind === 1) {
        H[slots + H[stk + top + 1]] = H[stk + top + 2];
        continue;
      }
      pc = H[stk + top + 1];
      pos = H[stk + top + 2];
      break;
    }
  }
}

// --- searching -------------------------------------------------------------------------------------------------------

/** The subject's bytes into subjB/subjO; returns its byte length. Checks it suits the pattern. */
function setSubject(vm: Vm, r: number, s: number): number {
  const uni = ((vm.H[r + R_FLAGS] >> 1) & 32) !== 0;
  if (uni) {
    if (!isStrW(vm, s)) throw raise(vm, T.TYPE_ERROR, isBytesW(vm, s) ? "cannot use a string pattern on a bytes-like object" : "expected string or bytes-like object, got '" + typeNameJs(vm, s) + "'");
    subjB = sbuf(vm, s);
    subjO = soff(vm, s);
    subjUni = true;
    return slen(vm, s);
  }
  if (!isBytesW(vm, s)) throw raise(vm, T.TYPE_ERROR, isStrW(vm, s) ? "cannot use a bytes pattern on a string-like object" : "expected string or bytes-like object, got '" + typeNameJs(vm, s) + "'");
  const b = bytesAt(vm, s);
  subjB = b;
  subjO = BUF[0];
  subjUni = false;
  return BUF[1];
}

/** Byte offset of character index ci in the subject (clamped to [0, n]). */
function charToByteOff(ci: number, n: number): number {
  if (ci <= 0) return 0;
  if (!subjUni) return ci > n ? n : ci;
  let i = 0;
  while (ci > 0 && i < n) {
    i += utf8SeqLen(subjB[subjO + i]);
    ci--;
  }
  return i > n ? n : i;
}

function byteToChar(b: number): number {
  if (!subjUni || b <= 0) return b;
  let c = 0;
  for (let i = 0; i < b; i++) if ((subjB[subjO + i] & 0xc0) !== 0x80) c++;
  return c;
}

/** Search state: the slot area (a RAWBUF rooted at vm.tr[slotRoot]) and the backtrack stack. */
let slotRoot = -1;

/** Root the scratch areas for one operation (regex r): pushes two temp roots; the caller pops them. */
function begin(vm: Vm, r: number): void {
  const nslots = vm.H[r + R_NSLOTS] >> 1;
  const st = vm.alloc(K.RAWBUF, 1 + 48);
  vm.tpush(st << 2);
  stkRoot = vm.tn - 1;
  const sl = vm.alloc(K.RAWBUF, 1 + nslots);
  vm.tpush(sl << 2);
  slotRoot = vm.tn - 1;
  stk = st + 1;
  stkCap = 48;
}

function slotsBase(vm: Vm): number {
  return (vm.tr[slotRoot] >> 2) + 1;
}

/**
 * Find a match starting at or after byte pos (anchored: only at pos) before end. Returns its start byte offset, or
 * -1. The captures are in the slot area. The subject must have been set (and stays valid: objects never move).
 */
function find(vm: Vm, r: number, pos: number, end: number, anchored: boolean, full: boolean, mustAdvance: boolean): number {
  const prog = (vm.H[r + R_PROG] >> 2) + 1;
  const nslots = vm.H[r + R_NSLOTS] >> 1;
  // a pattern starting with ^ (not multiline) or \A can only match at 0
  const first = vm.H[prog + 2];
  const atZero = first === OP_BOL || first === OP_BOS;
  for (let s = pos; s <= end; ) {
    if (atZero && s > 0) return -1;
    if (matchAt(vm, prog, s, end, slotsBase(vm), nslots, full, mustAdvance && s === pos)) return s;
    if (anchored || s >= end) return -1;
    s += subjUni ? utf8SeqLen(subjB[subjO + s]) : 1;
  }
  return -1;
}

// --- match objects -----------------------------------------------------------------------------------------------
// NATIVE_OBJ [hdr, MATCH, 0, regex, subject, spans tuple (byte offsets, -1 unset), pos, endpos]

const M_RE = 3;
const M_STR = 4;
const M_SPANS = 5;
const M_POS = 6;
const M_ENDPOS = 7;
const M_SIZE = 8;

/** A match object from the slot area (regex, subject rooted by the caller). */
function newMatch(vm: Vm, rw: number, s: number, pos: number, endpos: number): number {
  const H = vm.H;
  const ng = (H[(rw >> 2) + R_NGROUPS] >> 1) + 1;
  const t = newTuple(vm, 2 * ng);
  const sl = slotsBase(vm);
  for (let i = 0; i < 2 * ng; i++) H[(t >> 2) + LY.TUP_ITEMS + i] = smi(H[sl + i]);
  vm.tpush(t);
  const m = vm.alloc(K.NATIVE_OBJ, M_SIZE);
  vm.tpop(1);
  H[m + 1] = imm(T.MATCH);
  H[m + 2] = smi(0);
  H[m + M_RE] = rw;
  H[m + M_STR] = s;
  H[m + M_SPANS] = t;
  H[m + M_POS] = smi(pos);
  H[m + M_ENDPOS] = smi(endpos);
  return m << 2;
}

function mt(vm: Vm, w: number): number {
  if (kindOf(vm, w) !== K.NATIVE_OBJ || vm.H[(w >> 2) + 1] !== imm(T.MATCH))
    throw raise(vm, T.TYPE_ERROR, "descriptor requires a 're.Match' object but received a '" + typeNameJs(vm, w) + "'");
  return w >> 2;
}

/** Group index from an int or a group name; IndexError if there is no such group. */
function groupIndex(vm: Vm, m: number, g: number): number {
  const H = vm.H;
  const r = H[m + M_RE] >> 2;
  const ng = H[r + R_NGROUPS] >> 1;
  let i = -1;
  if (isStrW(vm, g)) {
    const v = dictGetStr(vm, H[r + R_INDEX], g);
    if (v !== LY.NULL) i = v >> 1;
  } else if (g & 1 || g === LY.TRUE || g === LY.FALSE || kindOf(vm, g) === K.BIGINT) {
    i = toIndex(vm, g, "group");
  }
  if (i < 0 || i > ng) throw raise(vm, T.INDEX_ERROR, "no such group");
  return i;
}

function spanOf(vm: Vm, m: number, i: number, end: boolean): number {
  return vm.H[(vm.H[m + M_SPANS] >> 2) + LY.TUP_ITEMS + 2 * i + (end ? 1 : 0)] >> 1;
}

/** The text of group i (or dflt if it did not take part). */
function groupStr(vm: Vm, m: number, i: number, dflt: number): number {
  const s = spanOf(vm, m, i, false);
  const e = spanOf(vm, m, i, true);
  if (s < 0 || e < 0) return dflt;
  const subj = vm.H[m + M_STR];
  if (isStrW(vm, subj)) return strFromBytes(vm, sbuf(vm, subj), soff(vm, subj) + s, e - s);
  const b = bytesAt(vm, subj);
  return bytesFromBytes(vm, b, BUF[0] + s, e - s);
}

/** Character index of a byte offset in the match's subject. */
function charPos(vm: Vm, m: number, b: number): number {
  if (b < 0) return -1;
  const subj = vm.H[m + M_STR];
  if (!isStrW(vm, subj) || sclen(vm, subj) === slen(vm, subj)) return b;
  subjB = sbuf(vm, subj);
  subjO = soff(vm, subj);
  subjUni = true;
  return byteToChar(b);
}

function mGroup(vm: Vm, a: number, n: number): number {
  const H = vm.H;
  const m = mt(vm, H[a]);
  if (n <= 2) return groupStr(vm, m, n === 2 ? groupIndex(vm, m, H[a + 1]) : 0, LY.NONE);
  const t = newTuple(vm, n - 1);
  vm.tpush(t);
  for (let i = 1; i < n; i++) {
    const v = groupStr(vm, m, groupIndex(vm, m, H[a + i]), LY.NONE);
    H[(t >> 2) + LY.TUP_ITEMS + i - 1] = v;
  }
  vm.tpop(1);
  return t;
}

function mGroups(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  checkKw(vm, "groups", kw, [qw(Q.default)]);
  const m = mt(vm, H[a]);
  const dflt = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.default)) === LY.NULL ? LY.NONE : kwArg(vm, a, n, kw, qw(Q.default));
  const ng = H[(H[m + M_RE] >> 2) + R_NGROUPS] >> 1;
  const t = newTuple(vm, ng);
  vm.tpush(t);
  for (let i = 1; i <= ng; i++) {
    const v = groupStr(vm, m, i, dflt);
    H[(t >> 2) + LY.TUP_ITEMS + i - 1] = v;
  }
  vm.tpop(1);
  return t;
}

function mGroupdict(vm: Vm, a: number, n: number, kw: number): number {
  const H = vm.H;
  checkKw(vm, "groupdict", kw, [qw(Q.default)]);
  const m = mt(vm, H[a]);
  const dw = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.default));
  const dflt = dw === LY.NULL ? LY.NONE : dw;
  const gi = H[(H[m + M_RE] >> 2) + R_INDEX];
  const d = newDict(vm);
  vm.tpush(d);
  for (let i = tableNext(vm, gi, 0); i >= 0; i = tableNext(vm, gi, i + 1)) {
    const v = groupStr(vm, m, entryValue(vm, gi, i) >> 1, dflt);
    vm.tpush(v);
    dictSet(vm, d, entryKey(vm, gi, i), v);
    vm.tpop(1);
  }
  vm.tpop(1);
  return d;
}

function mSpan(vm: Vm, a: number, n: number, which: number): number {
  const H = vm.H;
  const m = mt(vm, H[a]);
  const i = n > 1 ? groupIndex(vm, m, H[a + 1]) : 0;
  const s = charPos(vm, m, spanOf(vm, m, i, false));
  const e = charPos(vm, m, spanOf(vm, m, i, true));
  if (which === 0) return smi(s);
  if (which === 1) return smi(e);
  const t = newTuple(vm, 2);
  H[(t >> 2) + LY.TUP_ITEMS] = smi(s);
  H[(t >> 2) + LY.TUP_ITEMS + 1] = smi(e);
  return t;
}

function mRepr(vm: Vm, a: number): number {
  const m = mt(vm, vm.H[a]);
  const s = charPos(vm, m, spanOf(vm, m, 0, false));
  const e = charPos(vm, m, spanOf(vm, m, 0, true));
  const g = groupStr(vm, m, 0, LY.NONE);
  return str(vm, "<re.Match object; span=(" + s + ", " + e + "), match=" + (isStrW(vm, g) ? strRepr(vm, g) : bytesRepr(vm, g)) + ">");
}

// --- the operations ----------------------------------------------------------------------------------------------

/** pos/endpos arguments (character indices) as byte offsets into the subject of length n (bytes). */
let opPos = 0;
let opEnd = 0;
function posArgs(vm: Vm, posW: number, endW: number, n: number): void {
  const nc = subjUni ? byteToChar(n) : n;
  let p = posW === LY.NULL || posW === LY.NONE ? 0 : toIndex(vm, posW, "pos");
  let e = endW === LY.NULL || endW === LY.NONE ? nc : toIndex(vm, endW, "endpos");
  if (p < 0) p = 0;
  if (e > nc) e = nc;
  if (e < p) e = p;
  opPos = charToByteOff(p, n);
  opEnd = charToByteOff(e, n);
}

/** match/search/fullmatch: mode 0 match, 1 search, 2 fullmatch. */
function doMatch(vm: Vm, rw: number, s: number, posW: number, endW: number, mode: number): number {
  const r = rw >> 2;
  const n = setSubject(vm, r, s);
  posArgs(vm, posW, endW, n);
  const pos = opPos;
  const end = opEnd;
  begin(vm, r);
  try {
    setSubject(vm, r, s);
    const at = find(vm, r, pos, end, mode !== 1, mode === 2, false);
    if (at < 0) return LY.NONE;
    return newMatch(vm, rw, s, byteToCharOf(vm, s, pos), byteToCharOf(vm, s, end));
  } finally {
    vm.tpop(2);
  }
}

function byteToCharOf(vm: Vm, s: number, b: number): number {
  return isStrW(vm, s) && sclen(vm, s) !== slen(vm, s) ? byteToChar(b) : b;
}

/** (regex, string, pos, endpos) from a method call (self first) or a module function (pattern, string, flags). */
function methodOrFn(vm: Vm, a: number, n: number, kw: number, isMethod: boolean, mode: number): number {
  const H = vm.H;
  if (isMethod) {
    checkKw(vm, "match", kw, [qw(Q.string), qw(Q.pos), qw(Q.endpos)]);
    rx(vm, H[a]);
    const s = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.string));
    if (s === LY.NULL) throw raise(vm, T.TYPE_ERROR, "missing required argument 'string' (pos 1)");
    return doMatch(vm, H[a], s, n > 2 ? H[a + 2] : kwArg(vm, a, n, kw, qw(Q.pos)), n > 3 ? H[a + 3] : kwArg(vm, a, n, kw, qw(Q.endpos)), mode);
  }
  checkKw(vm, "match", kw, [qw(Q.flags)]);
  const r = cachedRegex(vm, H[a], flagsArg(vm, n > 2 ? H[a + 2] : kwArg(vm, a, n, kw, qw(Q.flags))));
  vm.tpush(r);
  try {
    return doMatch(vm, r, H[a + 1], LY.NULL, LY.NULL, mode);
  } finally {
    vm.tpop(1);
  }
}

/** Every match from the start (findall, finditer, sub, split): calls each(match start) with the slots filled. */
function eachMatch(vm: Vm, r: number, s: number, limit: number, each: (start: number, end: number) => void): void {
  const n = setSubject(vm, r, s);
  let pos = 0;
  let mustAdvance = false;
  let count = 0;
  const sr = stkRoot;
  const slr = slotRoot;
  while (pos <= n && (limit <= 0 || count < limit)) {
    setSubject(vm, r, s);
    const at = find(vm, r, pos, n, false, false, mustAdvance);
    if (at < 0) break;
    const e = vm.H[slotsBase(vm) + 1];
    each(at, e);
    // the callback may have run Python that used re: take our scratch areas back
    stkRoot = sr;
    slotRoot = slr;
    stk = (vm.tr[sr] >> 2) + 1;
    stkCap = (vm.H[vm.tr[sr] >> 2] >> 8) - 1;
    count++;
    mustAdvance = e === at;
    pos = e;
  }
}

/** The groups of the current match as findall reports them: the whole match, group 1, or a tuple. */
function findallItem(vm: Vm, r: number, s: number, ng: number): number {
  const sl = slotsBase(vm);
  const str1 = function (i: number): number {
    const b = vm.H[slotsBase(vm) + 2 * i];
    const e = vm.H[slotsBase(vm) + 2 * i + 1];
    setSubject(vm, r, s);
    if (b < 0 || e < 0) return subjUni ? str(vm, "") : bytesFromJs(vm, "");
    return subjUni ? strFromBytes(vm, subjB, subjO + b, e - b) : bytesFromBytes(vm, subjB, subjO + b, e - b);
  };
  void sl;
  if (ng === 0) return str1(0);
  if (ng === 1) return str1(1);
  const t = newTuple(vm, ng);
  vm.tpush(t);
  for (let i = 1; i <= ng; i++) {
    const v = str1(i);
    vm.H[(t >> 2) + LY.TUP_ITEMS + i - 1] = v;
  }
  vm.tpop(1);
  return t;
}

function findallOp(vm: Vm, rw: number, s: number, iter: boolean): number {
  const r = rw >> 2;
  const ng = vm.H[r + R_NGROUPS] >> 1;
  const l = newList(vm, 0, 0);
  vm.tpush(l);
  begin(vm, r);
  try {
    eachMatch(vm, r, s, 0, function () {
      const x = iter ? newMatch(vm, rw, s, 0, byteToCharOf(vm, s, isStrW(vm, s) ? slen(vm, s) : lenBytes(vm, s))) : findallItem(vm, r, s, ng);
      listAppend(vm, l, x);
    });
  } finally {
    vm.tpop(3);
  }
  return iter ? getIter(vm, l) : l;
}

function lenBytes(vm: Vm, s: number): number {
  bytesAt(vm, s);
  return BUF[1];
}

/** The expansion of a sub() template for the current match (JS byte string). */
function expand(vm: Vm, r: number, s: number, tmpl: string, uni: boolean): string {
  const H = vm.H;
  const ng = H[r + R_NGROUPS] >> 1;
  let out = "";
  const grp = function (g: number): string {
    if (g < 0 || g > ng) throw raise(vm, T.VALUE_ERROR, "invalid group reference " + g);
    const b = H[slotsBase(vm) + 2 * g];
    const e = H[slotsBase(vm) + 2 * g + 1];
    if (b < 0 || e < 0) return "";
    setSubject(vm, r, s);
    let x = "";
    for (let i = b; i < e; i++) x += String.fromCharCode(subjB[subjO + i]);
    return x;
  };
  for (let i = 0; i < tmpl.length; i++) {
    const c = tmpl.charAt(i);
    if (c !== "\\") {
      out += c;
      continue;
    }
    i++;
    if (i >= tmpl.length) throw raise(vm, T.VALUE_ERROR, "bad escape (end of pattern)");
    const d = tmpl.charCodeAt(i);
    if (isDigit(d)) {
      let g = d - 48;
      if (i + 1 < tmpl.length && isDigit(tmpl.charCodeAt(i + 1))) {
        g = g * 10 + tmpl.charCodeAt(i + 1) - 48;
        i++;
      }
      out += grp(g);
      continue;
    }
    if (d === 103 && tmpl.charAt(i + 1) === "<") {
      const close = tmpl.indexOf(">", i + 2);
      if (close < 0) throw raise(vm, T.VALUE_ERROR, "missing >, unterminated name");
      const name = tmpl.substring(i + 2, close);
      let g = -1;
      if (name.length && isDigit(name.charCodeAt(0))) g = parseInt(name, 10);
      else {
        const v = dictGetStr(vm, H[r + R_INDEX], str(vm, name));
        if (v === LY.NULL) throw raise(vm, T.INDEX_ERROR, "unknown group name '" + name + "'");
        g = v >> 1;
      }
      out += grp(g);
      i = close;
      continue;
    }
    switch (d) {
      case 110: out += "\n"; break;
      case 116: out += "\t"; break;
      case 114: out += "\r"; break;
      case 102: out += "\f"; break;
      case 118: out += "\v"; break;
      case 97: out += "\x07"; break;
      case 98: out += "\b"; break;
      case 92: out += "\\"; break;
      default:
        if ((d >= 65 && d <= 90) || (d >= 97 && d <= 122)) throw raise(vm, T.VALUE_ERROR, "bad escape \\" + tmpl.charAt(i) + " at position " + (i - 1));
        out += "\\" + tmpl.charAt(i);
    }
  }
  void uni;
  return out;
}

/** sub/subn(repl, string, count) on a compiled regex. */
function subOp(vm: Vm, rw: number, repl: number, s: number, count: number, withCount: boolean): number {
  const r = rw >> 2;
  const H = vm.H;
  const n = setSubject(vm, r, s);
  const uni = subjUni;
  const callable = !isStrW(vm, repl) && !isBytesW(vm, repl);
  if (!callable && isStrW(vm, repl) !== uni) throw raise(vm, T.TYPE_ERROR, uni ? "expected str instance, " + typeNameJs(vm, repl) + " found" : "expected a bytes-like object, " + typeNameJs(vm, repl) + " found");
  const tmpl = callable ? "" : uni ? jstr(vm, repl) : bytesJs(vm, repl);
  // a template without backslashes is used as is
  const literal = !callable && tmpl.indexOf("\\") < 0;
  let out = "";
  let last = 0;
  let nsub = 0;
  begin(vm, r);
  try {
    eachMatch(vm, r, s, count, function (at: number, e: number) {
      setSubject(vm, r, s);
      for (let i = last; i < at; i++) out += String.fromCharCode(subjB[subjO + i]);
      if (literal) out += tmpl;
      else if (!callable) out += expand(vm, r, s, tmpl, uni);
      else {
        const m = newMatch(vm, rw, s, 0, byteToCharOf(vm, s, n));
        const x = call1(vm, repl, m);
        if (uni ? !isStrW(vm, x) : !isBytesW(vm, x)) throw raise(vm, T.TYPE_ERROR, "expected " + (uni ? "str" : "a bytes-like object") + " instance, " + typeNameJs(vm, x) + " found");
        out += uni ? jstr(vm, x) : bytesJs(vm, x);
      }
      last = e;
      nsub++;
    });
  } finally {
    vm.tpop(2);
  }
  setSubject(vm, r, s);
  for (let i = last; i < n; i++) out += String.fromCharCode(subjB[subjO + i]);
  const res = uni ? str(vm, out) : bytesFromJs(vm, out);
  if (!withCount) return res;
  vm.tpush(res);
  const t = newTuple(vm, 2);
  vm.tpop(1);
  H[(t >> 2) + LY.TUP_ITEMS] = res;
  H[(t >> 2) + LY.TUP_ITEMS + 1] = smi(nsub);
  return t;
}

function splitOp(vm: Vm, rw: number, s: number, maxsplit: number): number {
  const r = rw >> 2;
  const ng = vm.H[r + R_NGROUPS] >> 1;
  const n = setSubject(vm, r, s);
  const l = newList(vm, 0, 0);
  vm.tpush(l);
  let last = 0;
  const piece = function (b: number, e: number): number {
    setSubject(vm, r, s);
    if (b < 0 || e < 0) return LY.NONE;
    return subjUni ? strFromBytes(vm, subjB, subjO + b, e - b) : bytesFromBytes(vm, subjB, subjO + b, e - b);
  };
  begin(vm, r);
  try {
    eachMatch(vm, r, s, maxsplit, function (at: number, e: number) {
      listAppend(vm, l, piece(last, at));
      for (let g = 1; g <= ng; g++) listAppend(vm, l, piece(vm.H[slotsBase(vm) + 2 * g], vm.H[slotsBase(vm) + 2 * g + 1]));
      last = e;
    });
    listAppend(vm, l, piece(last, n));
  } finally {
    vm.tpop(3);
  }
  return l;
}

// --- natives -----------------------------------------------------------------------------------------------------------

function intArg(vm: Vm, w: number, name: string): number {
  if (w === LY.NULL) return 0;
  return toIndex(vm, w, name);
}

/** A module-level function's regex: re.f(pattern, …, flags=…) compiles the pattern. */
function fnRegex(vm: Vm, pat: number, flagsW: number): number {
  return cachedRegex(vm, pat, flagsArg(vm, flagsW));
}

const CACHE_MAX = 16;

/**
 * compileRegex through a small cache in the module's dict (re._cache, keyed by (pattern, flags)), so re.match(p, s)
 * in a loop compiles p once, as CPython's cache does.
 */
function cachedRegex(vm: Vm, pat: number, flags: number): number {
  if (!isStrW(vm, pat) && kindOf(vm, pat) !== K.BYTES) return compileRegex(vm, pat, flags);
  const mod = dictGetStr(vm, vm.modules, qw(Q.re));
  const cache = mod === LY.NULL || kindOf(vm, mod) !== K.MODULE ? LY.NULL : dictGetStr(vm, vm.H[(mod >> 2) + LY.M_DICT], qw(Q._cache));
  if (cache === LY.NULL || kindOf(vm, cache) !== K.DICT) return compileRegex(vm, pat, flags);
  const key = newTuple(vm, 2);
  vm.H[(key >> 2) + LY.TUP_ITEMS] = pat;
  vm.H[(key >> 2) + LY.TUP_ITEMS + 1] = smi(flags);
  vm.tpush(key);
  try {
    const hit = dictGet(vm, cache, key);
    if (hit !== LY.NULL) return hit;
    const r = vm.tpush(compileRegex(vm, pat, flags));
    if (tableLen(vm, cache) >= CACHE_MAX) tableClear(vm, cache);
    dictSet(vm, cache, key, r);
    vm.tpop(1);
    return r;
  } finally {
    vm.tpop(1);
  }
}

function reSub(vm: Vm, a: number, n: number, kw: number, withCount: boolean, isMethod: boolean): number {
  const H = vm.H;
  checkKw(vm, withCount ? "subn" : "sub", kw, [qw(Q.repl), qw(Q.string), qw(Q.count), qw(Q.flags)]);
  // (regex or pattern, repl, string, count[, flags]): the same places for the method and the function
  const repl = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.repl));
  const s = n > 2 ? H[a + 2] : kwArg(vm, a, n, kw, qw(Q.string));
  const cnt = intArg(vm, n > 3 ? H[a + 3] : kwArg(vm, a, n, kw, qw(Q.count)), "count");
  if (repl === LY.NULL || s === LY.NULL) throw raise(vm, T.TYPE_ERROR, (withCount ? "subn" : "sub") + "() missing required argument '" + (repl === LY.NULL ? "repl' (pos 1)" : "string' (pos 2)"));
  if (isMethod) {
    rx(vm, H[a]);
    return subOp(vm, H[a], repl, s, cnt, withCount);
  }
  const r = fnRegex(vm, H[a], n > 4 ? H[a + 4] : kwArg(vm, a, n, kw, qw(Q.flags)));
  vm.tpush(r);
  try {
    return subOp(vm, r, repl, s, cnt, withCount);
  } finally {
    vm.tpop(1);
  }
}

function reSplit(vm: Vm, a: number, n: number, kw: number, isMethod: boolean): number {
  const H = vm.H;
  checkKw(vm, "split", kw, [qw(Q.string), qw(Q.maxsplit), qw(Q.flags)]);
  const s = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.string));
  if (s === LY.NULL) throw raise(vm, T.TYPE_ERROR, "split() missing required argument 'string' (pos 1)");
  const ms = intArg(vm, n > 2 ? H[a + 2] : kwArg(vm, a, n, kw, qw(Q.maxsplit)), "maxsplit");
  if (isMethod) {
    rx(vm, H[a]);
    return splitOp(vm, H[a], s, ms);
  }
  const r = fnRegex(vm, H[a], n > 3 ? H[a + 3] : kwArg(vm, a, n, kw, qw(Q.flags)));
  vm.tpush(r);
  try {
    return splitOp(vm, r, s, ms);
  } finally {
    vm.tpop(1);
  }
}

function reFindall(vm: Vm, a: number, n: number, kw: number, isMethod: boolean, iter: boolean): number {
  const H = vm.H;
  checkKw(vm, "findall", kw, [qw(Q.string), qw(Q.flags), qw(Q.pos), qw(Q.endpos)]);
  const s = n > 1 ? H[a + 1] : kwArg(vm, a, n, kw, qw(Q.string));
  if (s === LY.NULL) throw raise(vm, T.TYPE_ERROR, "findall() missing required argument 'string' (pos 1)");
  if (isMethod) {
    rx(vm, H[a]);
    return findallOp(vm, H[a], s, iter);
  }
  const r = fnRegex(vm, H[a], n > 2 ? H[a + 2] : kwArg(vm, a, n, kw, qw(Q.flags)));
  vm.tpush(r);
  try {
    return findallOp(vm, r, s, iter);
  } finally {
    vm.tpop(1);
  }
}

function reEscape(vm: Vm, a: number): number {
  const w = vm.H[a];
  const uni = isStrW(vm, w);
  if (!uni && !isBytesW(vm, w)) throw raise(vm, T.TYPE_ERROR, "expected str or bytes, not " + typeNameJs(vm, w));
  const s = uni ? jstr(vm, w) : bytesJs(vm, w);
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const plain = c >= 128 || c === 95 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    out += (plain ? "" : "\\") + s.charAt(i);
  }
  return uni ? str(vm, out) : bytesFromJs(vm, out);
}

function rxRepr(vm: Vm, a: number): number {
  const r = rx(vm, vm.H[a]);
  const pat = vm.H[r + R_PAT];
  const fl = (vm.H[r + R_FLAGS] >> 1) & ~32;
  let fs = "";
  const names = ["re.IGNORECASE", "re.MULTILINE", "re.DOTALL", "re.VERBOSE"];
  const bits = [RE_I, RE_M, RE_S, RE_X];
  for (let i = 0; i < 4; i++) if (fl & bits[i]) fs += (fs ? "|" : "") + names[i];
  return str(vm, "re.compile(" + (isStrW(vm, pat) ? strRepr(vm, pat) : bytesRepr(vm, pat)) + (fs ? ", " + fs : "") + ")");
}

let ready = false;

function initRe(): void {
  if (ready) return;
  ready = true;
  defineAttrs(T.REGEX, [
    Q.match, native(Q.match, 2, 4, NF_METHOD | NF_KW, function (vm, a, n, kw) { return methodOrFn(vm, a, n, kw, true, 0); }),
    Q.search, native(Q.search, 2, 4, NF_METHOD | NF_KW, function (vm, a, n, kw) { return methodOrFn(vm, a, n, kw, true, 1); }),
    Q.fullmatch, native(Q.fullmatch, 2, 4, NF_METHOD | NF_KW, function (vm, a, n, kw) { return methodOrFn(vm, a, n, kw, true, 2); }),
    Q.sub, native(Q.sub, 1, 4, NF_METHOD | NF_KW, function (vm, a, n, kw) { return reSub(vm, a, n, kw, false, true); }),
    Q.subn, native(Q.subn, 1, 4, NF_METHOD | NF_KW, function (vm, a, n, kw) { return reSub(vm, a, n, kw, true, true); }),
    Q.split, native(Q.split, 1, 3, NF_METHOD | NF_KW, function (vm, a, n, kw) { return reSplit(vm, a, n, kw, true); }),
    Q.findall, native(Q.findall, 1, 4, NF_METHOD | NF_KW, function (vm, a, n, kw) { return reFindall(vm, a, n, kw, true, false); }),
    Q.finditer, native(Q.finditer, 1, 4, NF_METHOD | NF_KW, function (vm, a, n, kw) { return reFindall(vm, a, n, kw, true, true); }),
    Q.pattern, native(Q.pattern, 1, 1, NF_PROP, function (vm, a) { return vm.H[rx(vm, vm.H[a]) + R_PAT]; }),
    Q.flags, native(Q.flags, 1, 1, NF_PROP, function (vm, a) { return smi(vm.H[rx(vm, vm.H[a]) + R_FLAGS] >> 1); }),
    Q.groups, native(Q.groups, 1, 1, NF_PROP, function (vm, a) { return vm.H[rx(vm, vm.H[a]) + R_NGROUPS]; }),
    Q.groupindex, native(Q.groupindex, 1, 1, NF_PROP, function (vm, a) { return vm.H[rx(vm, vm.H[a]) + R_INDEX]; }),
    Q.__repr__, native(Q.__repr__, 1, 1, NF_METHOD, rxRepr),
  ]);
  defineAttrs(T.MATCH, [
    Q.group, native(Q.group, 1, -1, NF_METHOD, mGroup),
    Q.__getitem__, native(Q.__getitem__, 2, 2, NF_METHOD, mGroup),
    Q.groups, native(Q.groups, 1, 2, NF_METHOD | NF_KW, mGroups),
    Q.groupdict, native(Q.groupdict, 1, 2, NF_METHOD | NF_KW, mGroupdict),
    Q.start, native(Q.start, 1, 2, NF_METHOD, function (vm, a, n) { return mSpan(vm, a, n, 0); }),
    Q.end, native(Q.end, 1, 2, NF_METHOD, function (vm, a, n) { return mSpan(vm, a, n, 1); }),
    Q.span, native(Q.span, 1, 2, NF_METHOD, function (vm, a, n) { return mSpan(vm, a, n, 2); }),
    Q.expand, native(Q.expand, 2, 2, NF_METHOD, function (vm, a) {
      const H = vm.H;
      const m = mt(vm, H[a]);
      const r = H[m + M_RE] >> 2;
      const s = H[m + M_STR];
      const uni = isStrW(vm, s);
      // put the match's spans back in a slot area for expand()
      begin(vm, r);
      try {
        const sl = slotsBase(vm);
        const spans = H[m + M_SPANS];
        for (let i = 0; i < seqLen(vm, spans); i++) H[sl + i] = H[(spans >> 2) + LY.TUP_ITEMS + i] >> 1;
        const t = H[a + 1];
        const out = expand(vm, r, s, uni ? jstr(vm, t) : bytesJs(vm, t), uni);
        return uni ? str(vm, out) : bytesFromJs(vm, out);
      } finally {
        vm.tpop(2);
      }
    }),
    Q.string, native(Q.string, 1, 1, NF_PROP, function (vm, a) { return vm.H[mt(vm, vm.H[a]) + M_STR]; }),
    Q.re, native(Q.re, 1, 1, NF_PROP, function (vm, a) { return vm.H[mt(vm, vm.H[a]) + M_RE]; }),
    Q.pos, native(Q.pos, 1, 1, NF_PROP, function (vm, a) { return vm.H[mt(vm, vm.H[a]) + M_POS]; }),
    Q.endpos, native(Q.endpos, 1, 1, NF_PROP, function (vm, a) { return vm.H[mt(vm, vm.H[a]) + M_ENDPOS]; }),
    Q.lastindex, native(Q.lastindex, 1, 1, NF_PROP, function (vm, a) {
      // the group that closed last: the furthest end; of groups ending together, the outermost
      const m = mt(vm, vm.H[a]);
      const ng = vm.H[(vm.H[m + M_RE] >> 2) + R_NGROUPS] >> 1;
      let best = -1;
      for (let i = 1; i <= ng; i++) {
        const e = spanOf(vm, m, i, true);
        if (e < 0) continue;
        const be = best < 0 ? -1 : spanOf(vm, m, best, true);
        if (e > be || (e === be && spanOf(vm, m, i, false) < spanOf(vm, m, best, false))) best = i;
      }
      return best < 0 ? LY.NONE : smi(best);
    }),
    Q.__repr__, native(Q.__repr__, 1, 1, NF_METHOD, mRepr),
  ]);
}

defineModule({
  name: Q.re,
  init: function (vm: Vm, mod: number): void {
    const c = vm.tpush(newDict(vm));
    dictSet(vm, vm.H[(mod >> 2) + LY.M_DICT], qw(Q._cache), c);
    vm.tpop(1);
  },
  attrs: function (): number[] {
    initRe();
    return [
      Q.compile, native(Q.compile, 1, 2, NF_KW, function (vm, a, n, kw) {
        checkKw(vm, "compile", kw, [qw(Q.flags)]);
        return compileRegex(vm, vm.H[a], flagsArg(vm, n > 1 ? vm.H[a + 1] : kwArg(vm, a, n, kw, qw(Q.flags))));
      }),
      Q.match, native(Q.match, 2, 3, NF_KW, function (vm, a, n, kw) { return methodOrFn(vm, a, n, kw, false, 0); }),
      Q.search, native(Q.search, 2, 3, NF_KW, function (vm, a, n, kw) { return methodOrFn(vm, a, n, kw, false, 1); }),
      Q.fullmatch, native(Q.fullmatch, 2, 3, NF_KW, function (vm, a, n, kw) { return methodOrFn(vm, a, n, kw, false, 2); }),
      Q.sub, native(Q.sub, 1, 5, NF_KW, function (vm, a, n, kw) { return reSub(vm, a, n, kw, false, false); }),
      Q.subn, native(Q.subn, 1, 5, NF_KW, function (vm, a, n, kw) { return reSub(vm, a, n, kw, true, false); }),
      Q.split, native(Q.split, 2, 4, NF_KW, function (vm, a, n, kw) { return reSplit(vm, a, n, kw, false); }),
      Q.findall, native(Q.findall, 2, 3, NF_KW, function (vm, a, n, kw) { return reFindall(vm, a, n, kw, false, false); }),
      Q.finditer, native(Q.finditer, 2, 3, NF_KW, function (vm, a, n, kw) { return reFindall(vm, a, n, kw, false, true); }),
      Q.escape, native(Q.escape, 1, 1, 0, reEscape),
      Q.error, imm(T.VALUE_ERROR),
      Q.IGNORECASE, smi(RE_I),
      Q.I, smi(RE_I),
      Q.MULTILINE, smi(RE_M),
      Q.M, smi(RE_M),
      Q.DOTALL, smi(RE_S),
      Q.S, smi(RE_S),
      Q.VERBOSE, smi(RE_X),
      Q.X, smi(RE_X),
      Q.ASCII, smi(256),
      Q.A, smi(256),
      Q.UNICODE, smi(32),
      Q.U, smi(32),
      Q.DEBUG, smi(128),
      Q.__name__, qw(Q.re),
    ];
  },
});
