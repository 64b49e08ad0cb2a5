// str and bytes storage: UTF-8 bytes on the heap (or in the static qstr table), hashing, interning, comparison and
// conversion to and from JS byte strings. Python-visible methods are in strmethods.ts.
import { Q, QSTR_COUNT, qstrData } from "../generated/qstr";
import { K, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { newTuple } from "./seq";

// --- Static strings ----------------------------------------------------------------------------------------------------
// qstrData() is "name\n" per id. QB holds its bytes; QOFF[i] is where name i starts (QOFF[i+1]-1 is its end).
// These tables are typed arrays (on Espruino ~1 block per 13 bytes) sized to the names: 16-bit offsets and a hash
// table of 16-bit ids at most 3/4 full.
export let QB: Uint8Array;
export const QOFF = new Uint16Array(QSTR_COUNT + 1);
let QHASH_BITS = 4;
while (QSTR_COUNT * 4 > 3 << QHASH_BITS) QHASH_BITS++;
/** Open-addressed table of qstr ids by hash: 1 + (id - QSTR_BASE), 0 = empty. */
const QTAB = new Uint16Array(1 << QHASH_BITS);
export const QHASHES = new Int32Array(QSTR_COUNT);

/** The tagged word of static string q. */
export function qw(q: Q): number {
  return (q << 2) | 2;
}

export function isQstr(w: number): boolean {
  return (w & 3) === 2 && w >> 2 >= LY.QSTR_BASE;
}

/** FNV-1a over bytes, folded to 30 bits so it fits a small int. */
export function hashBytes(b: Uint8Array, off: number, len: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < len; i++) {
    h ^= b[off + i];
    // h * 16777619 without Math.imul: split the multiplier
    h = (h + (h << 1) + (h << 4) + (h << 7) + (h << 8) + (h << 24)) | 0;
  }
  return h & 0x3fffffff;
}

// after hashBytes: Espruino does not hoist function declarations
(function () {
  const data = qstrData();
  if (data.length > 0xffff) throw new Error("qstr table over 64 KB");
  QB = new Uint8Array(data.length);
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i);
    QB[i] = c;
    if (c === 10) QOFF[++n] = i + 1;
  }
  const mask = (1 << QHASH_BITS) - 1;
  for (let id = 0; id < QSTR_COUNT; id++) {
    const h = hashBytes(QB, QOFF[id], QOFF[id + 1] - 1 - QOFF[id]);
    QHASHES[id] = h;
    let i = h & mask;
    while (QTAB[i]) i = (i + 1) & mask;
    QTAB[i] = id + 1;
  }
})();

/** The static string with these bytes, or 0. */
export function findQstr(b: Uint8Array, off: number, len: number, hash: number): number {
  const mask = (1 << QHASH_BITS) - 1;
  let i = hash & mask;
  for (;;) {
    const e = QTAB[i];
    if (!e) return 0;
    const q = e - 1;
    if (QHASHES[q] === hash) {
      const qo = QOFF[q];
      if (QOFF[q + 1] - 1 - qo === len) {
        let j = 0;
        while (j < len && QB[qo + j] === b[off + j]) j++;
        if (j === len) return ((q + LY.QSTR_BASE) << 2) | 2;
      }
    }
    i = (i + 1) & mask;
  }
}

// --- Access to either kind -----------------------------------------------------------------------------------------------

/** The buffer holding the bytes of str/bytes w (heap or static table). */
export function sbuf(vm: Vm, w: number): Uint8Array {
  return (w & 3) === 2 ? QB : vm.U8;
}
/** Byte offset of w's first byte in sbuf(w). */
export function soff(vm: Vm, w: number): number {
  return (w & 3) === 2 ? QOFF[(w >> 2) - LY.QSTR_BASE] : ((w >> 2) + LY.S_DATA) << 2;
}
/** Length in bytes. */
export function slen(vm: Vm, w: number): number {
  if ((w & 3) === 2) {
    const q = (w >> 2) - LY.QSTR_BASE;
    return QOFF[q + 1] - 1 - QOFF[q];
  }
  return vm.H[(w >> 2) + LY.S_BLEN];
}
/** Length in characters (code points). */
export function sclen(vm: Vm, w: number): number {
  if ((w & 3) === 2) return slen(vm, w);
  return vm.H[(w >> 2) + LY.S_CLEN];
}

export function strHash(vm: Vm, w: number): number {
  if ((w & 3) === 2) return QHASHES[(w >> 2) - LY.QSTR_BASE];
  const H = vm.H;
  const p = w >> 2;
  let h = H[p + LY.S_HASH];
  if (h === 0) {
    h = hashBytes(vm.U8, (p + LY.S_DATA) << 2, H[p + LY.S_BLEN]) | 0x40000000;
    H[p + LY.S_HASH] = h; // bit 30 marks "computed" (so a hash of 0 is cached too); stripped below
  }
  return h & 0x3fffffff;
}

// --- Creation ----------------------------------------------------------------------------------------------------------

/** Allocate a str (or bytes) of `blen` bytes; the caller fills the bytes at ((p + S_DATA) << 2). Returns p. */
export function allocStr(vm: Vm, kind: number, blen: number, clen: number): number {
  const p = vm.alloc(kind, LY.S_DATA + ((blen + 3) >> 2));
  const H = vm.H;
  H[p + LY.S_HASH] = 0;
  H[p + LY.S_BLEN] = blen;
  H[p + LY.S_CLEN] = clen;
  return p;
}

/** Count code points in UTF-8 bytes (continuation bytes 10xxxxxx don't start one). */
export function utf8Count(b: Uint8Array, off: number, len: number): number {
  let n = 0;
  for (let i = off; i < off + len; i++) if ((b[i] & 0xc0) !== 0x80) n++;
  return n;
}

/** A new str of n bytes at b[o…] (UTF-8), of `clen` characters (-1: count them). */
export function strRange(vm: Vm, b: Uint8Array, o: number, n: number, clen: number): number {
  const p = allocStr(vm, K.STR, n, clen < 0 ? utf8Count(b, o, n) : clen);
  // b may be the heap itself and the allocation may have collected: still fine, objects never move
  copyBytes(vm.U8, (p + LY.S_DATA) << 2, b, o, n);
  return p << 2;
}

/** Copy n bytes from b[o…] to U8[d…] (distinct places): a byte loop for short runs, one set() for long ones. */
export function copyBytes(U8: Uint8Array, d: number, b: Uint8Array, o: number, n: number): void {
  if (n > 32) U8.set(b.subarray(o, o + n), d);
  else for (let i = 0; i < n; i++) U8[d + i] = b[o + i];
}

/** A new str from bytes (UTF-8, assumed valid). */
export function strFromBytes(vm: Vm, b: Uint8Array, off: number, len: number): number {
  if (len === 1 && b[off] < 128) return charStr(vm, b[off]);
  const clen = utf8Count(b, off, len);
  if (clen === len && len < 24) {
    const q = findQstr(b, off, len, hashBytes(b, off, len));
    if (q) return q;
  }
  return strRange(vm, b, off, len, clen);
}

/** vm.extraRoots slot of the tuple (128 items, NULL until made) of the ASCII characters' strs: see charStr. */
export const ROOT_CHARS = 2;

/**
 * The str of ASCII character c. Each is made once and kept, as MicroPython interns them: iterating over or indexing a
 * str then allocates nothing. They live in a tuple on the Python heap (a GC root), not in a JS array a board pays for.
 */
export function charStr(vm: Vm, c: number): number {
  let t = vm.extraRoots[ROOT_CHARS];
  if (t === LY.NULL) t = vm.extraRoots[ROOT_CHARS] = newTuple(vm, 128);
  let w = vm.H[(t >> 2) + LY.TUP_ITEMS + c];
  if (w === LY.NULL) {
    ONE_BYTE[0] = c;
    w = findQstr(ONE_BYTE, 0, 1, hashBytes(ONE_BYTE, 0, 1));
    if (w === 0) w = strRange(vm, ONE_BYTE, 0, 1, 1); // t stays rooted through the collection this may run
    vm.H[(t >> 2) + LY.TUP_ITEMS + c] = w;
  }
  return w;
}
const ONE_BYTE = new Uint8Array(1);

/** A new bytes object. */
export function bytesFromBytes(vm: Vm, b: Uint8Array, off: number, len: number): number {
  const p = allocStr(vm, K.BYTES, len, len);
  copyBytes(vm.U8, (p + LY.S_DATA) << 2, b, off, len);
  return p << 2;
}

/** Is w a str itself (static or heap; not an instance of a subclass)? */
export function isStr(vm: Vm, w: number): boolean {
  return (w & 3) === 2 ? w >> 2 >= LY.QSTR_BASE : (w & 3) === 0 && w !== 0 && (vm.H[w >> 2] & 127) === K.STR;
}

/** Where bytes n[no…no+nn) first occur in h[ho+from…ho+end) (last when `rev`), relative to ho; -1 if nowhere. */
export function findBytes(h: Uint8Array, ho: number, from: number, end: number, n: Uint8Array, no: number, nn: number, rev: boolean): number {
  const last = end - nn;
  if (last < from) return -1;
  const c = nn ? n[no] : 0;
  for (let i = rev ? last : from; rev ? i >= from : i <= last; rev ? i-- : i++) {
    if (nn && h[ho + i] !== c) continue;
    let k = 1;
    while (k < nn && h[ho + i + k] === n[no + k]) k++;
    if (k >= nn) return i;
  }
  return -1;
}

/** A str from a JS byte string (each char one byte of UTF-8). */
export function str(vm: Vm, s: string): number {
  const len = s.length;
  const p = allocStr(vm, K.STR, len, len);
  const U8 = vm.U8;
  const o = (p + LY.S_DATA) << 2;
  let cont = 0;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    U8[o + i] = c;
    if ((c & 0xc0) === 0x80) cont++;
  }
  if (cont) vm.H[p + LY.S_CLEN] = len - cont;
  return p << 2;
}

/** A bytes object from a JS byte string. */
export function bytesFromJs(vm: Vm, s: string): number {
  const len = s.length;
  const p = allocStr(vm, K.BYTES, len, len);
  const U8 = vm.U8;
  const o = (p + LY.S_DATA) << 2;
  for (let i = 0; i < len; i++) U8[o + i] = s.charCodeAt(i);
  return p << 2;
}

/** The bytes of str/bytes w as a JS byte string. */
export function jstr(vm: Vm, w: number): string {
  const b = sbuf(vm, w);
  const o = soff(vm, w);
  const n = slen(vm, w);
  let s = "";
  // short strings eight bytes at a time: a subarray per call costs more than the copy, one call per byte more still
  if (n <= 32) {
    let i = 0;
    for (; i + 8 <= n; i += 8) {
      const p = o + i;
      s += String.fromCharCode(b[p], b[p + 1], b[p + 2], b[p + 3], b[p + 4], b[p + 5], b[p + 6], b[p + 7]);
    }
    for (; i < n; i++) s += String.fromCharCode(b[o + i]);
    return s;
  }
  for (let i = 0; i < n; i += 4096) {
    const end = i + 4096 < n ? i + 4096 : n;
    s += String.fromCharCode.apply(null, b.subarray(o + i, o + end) as unknown as number[]);
  }
  return s;
}

export function strEq(vm: Vm, a: number, b: number): boolean {
  if (a === b) return true;
  const n = slen(vm, a);
  if (n !== slen(vm, b)) return false;
  // two distinct static strings, or a static string and an interned heap string, are never equal
  const ba = sbuf(vm, a);
  const bb = sbuf(vm, b);
  const oa = soff(vm, a);
  const ob = soff(vm, b);
  for (let i = 0; i < n; i++) if (ba[oa + i] !== bb[ob + i]) return false;
  return true;
}

/** Compare bytes lexicographically (code point order equals UTF-8 byte order). */
export function strCmp(vm: Vm, a: number, b: number): number {
  const na = slen(vm, a);
  const nb = slen(vm, b);
  const ba = sbuf(vm, a);
  const bb = sbuf(vm, b);
  const oa = soff(vm, a);
  const ob = soff(vm, b);
  const n = na < nb ? na : nb;
  for (let i = 0; i < n; i++) {
    const d = ba[oa + i] - bb[ob + i];
    if (d) return d;
  }
  return na - nb;
}

/** Byte offset (relative to the start) of code point index ci in str w. */
export function charToByte(vm: Vm, w: number, ci: number): number {
  if (sclen(vm, w) === slen(vm, w)) return ci;
  const b = sbuf(vm, w);
  const o = soff(vm, w);
  const n = slen(vm, w);
  let i = 0;
  while (ci > 0 && i < n) {
    i++;
    while (i < n && (b[o + i] & 0xc0) === 0x80) i++;
    ci--;
  }
  return i;
}

/** Length in bytes of the UTF-8 sequence starting with byte c. */
export function utf8SeqLen(c: number): number {
  return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/** Decode the code point at byte offset i of b. */
export function utf8Decode(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c < 0x80) return c;
  if (c < 0xe0) return ((c & 0x1f) << 6) | (b[i + 1] & 0x3f);
  if (c < 0xf0) return ((c & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f);
  return ((c & 0x07) << 18) | ((b[i + 1] & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6) | (b[i + 3] & 0x3f);
}

/** The UTF-8 encoding of code point cp as a JS byte string. */
export function utf8Encode(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  if (cp < 0x10000) return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  return String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
}

// --- Interning -----------------------------------------------------------------------------------------------------------
// Equal interned strings are the same word, so attribute and global lookups compare words first. The static table
// answers first; other names live in vm.interned, a SET of heap strings.

import { setAddKnown, setFindStr } from "./dict";

export function intern(vm: Vm, w: number): number {
  if ((w & 3) === 2) return w;
  const h = strHash(vm, w);
  // bit 31 of the hash word: this very str is the interned one (set below, with the hash already computed)
  if ((vm.H[w >> 2] & 127) === K.STR && vm.H[(w >> 2) + LY.S_HASH] < 0) return w;
  const b = sbuf(vm, w);
  const o = soff(vm, w);
  const n = slen(vm, w);
  if (n === vm.H[(w >> 2) + LY.S_CLEN]) {
    const q = findQstr(b, o, n, h);
    if (q) return q;
  }
  const found = setFindStr(vm, vm.interned, b, o, n, h);
  if (found !== LY.NULL) return found;
  setAddKnown(vm, vm.interned, w, h);
  if ((vm.H[w >> 2] & 127) === K.STR) vm.H[(w >> 2) + LY.S_HASH] |= 0x80000000;
  return w;
}

/** Intern a JS byte string. */
export function internJs(vm: Vm, s: string): number {
  return intern(vm, str(vm, s));
}

/** Intern bytes held elsewhere (an image's name table) without a temporary when already interned. */
export function internBytes(vm: Vm, b: Uint8Array, off: number, len: number): number {
  const h = hashBytes(b, off, len);
  const q = findQstr(b, off, len, h);
  if (q) return q;
  const found = setFindStr(vm, vm.interned, b, off, len, h);
  if (found !== LY.NULL) return found;
  const w = strFromBytes(vm, b, off, len);
  setAddKnown(vm, vm.interned, w, h);
  return w;
}

export { Q };
