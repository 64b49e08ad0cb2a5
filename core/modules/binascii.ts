// The binascii module: hexlify (with a separator), unhexlify, a2b_base64, b2a_base64 (newline=) and crc32.
// binascii.Error is ValueError, as on MicroPython (CPython's Error is a ValueError subclass).
import { imm, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise } from "../vm/exc";
import { native, defineModule, NF_KW } from "../vm/registry";
import { truthy } from "../vm/ops";
import { bytesFromJs, qw } from "../obj/str";
import { intFromNumber } from "../obj/num";
import { crc32 } from "../crc32";
import { kwArg, checkKw } from "./builtins";
import { needBuffer, BUF, intWord, putInt } from "./struct";

const HEX = "0123456789abcdef";
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** The argument's bytes as a JS byte string (str allowed where MicroPython allows it). */
function bytesArg(vm: Vm, w: number, allowStr: boolean): string {
  const b = needBuffer(vm, w, allowStr, false);
  let s = "";
  for (let i = 0, o = BUF[0]; i < BUF[1]; i++) s += String.fromCharCode(b[o + i]);
  return s;
}

function hexlify(vm: Vm, a: number, n: number): number {
  const s = bytesArg(vm, vm.H[a], false);
  const sep = n > 1 && vm.H[a + 1] !== LY.NONE ? bytesArg(vm, vm.H[a + 1], true) : "";
  let o = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (i && sep) o += sep;
    o += HEX.charAt(c >> 4) + HEX.charAt(c & 15);
  }
  return bytesFromJs(vm, o);
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  c |= 32;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

function unhexlify(vm: Vm, a: number): number {
  const s = bytesArg(vm, vm.H[a], true);
  if (s.length & 1) throw raise(vm, T.VALUE_ERROR, "odd-length string");
  let o = "";
  for (let i = 0; i < s.length; i += 2) {
    const hi = hexVal(s.charCodeAt(i));
    const lo = hexVal(s.charCodeAt(i + 1));
    if (hi < 0 || lo < 0) throw raise(vm, T.VALUE_ERROR, "non-hex digit found");
    o += String.fromCharCode((hi << 4) | lo);
  }
  return bytesFromJs(vm, o);
}

/** Base64 decoding, CPython's non-strict rules: characters outside the alphabet are skipped, padding ends the data. */
function a2b(vm: Vm, a: number): number {
  const s = bytesArg(vm, vm.H[a], true);
  let o = "";
  let q = 0;
  let left = 0;
  let pads = 0;
  let done = false;
  for (let i = 0; i < s.length && !done; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 61) {
      if (q >= 2 && q + ++pads >= 4) done = true;
      continue;
    }
    const v = ch < 128 ? B64.indexOf(String.fromCharCode(ch)) : -1;
    if (v < 0) continue;
    pads = 0;
    if (q === 0) left = v;
    else if (q === 1) {
      o += String.fromCharCode(((left << 2) | (v >> 4)) & 255);
      left = v & 15;
    } else if (q === 2) {
      o += String.fromCharCode(((left << 4) | (v >> 2)) & 255);
      left = v & 3;
    } else o += String.fromCharCode(((left << 6) | v) & 255);
    q = (q + 1) & 3;
  }
  if (q !== 0 && !done) {
    if (q === 1)
      throw raise(vm, T.VALUE_ERROR, "Invalid base64-encoded string: number of data characters (" + (((o.length / 3) | 0) * 4 + 1) + ") cannot be 1 more than a multiple of 4");
    throw raise(vm, T.VALUE_ERROR, "Incorrect padding");
  }
  return bytesFromJs(vm, o);
}

function b2a(vm: Vm, a: number, n: number, kw: number): number {
  checkKw(vm, "b2a_base64", kw, [qw(Q.newline)]);
  const s = bytesArg(vm, vm.H[a], false);
  const nl = kwArg(vm, a, n, kw, qw(Q.newline));
  let o = "";
  for (let i = 0; i < s.length; i += 3) {
    const b0 = s.charCodeAt(i);
    const b1 = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
    const b2 = i + 2 < s.length ? s.charCodeAt(i + 2) : 0;
    o += B64.charAt(b0 >> 2) + B64.charAt(((b0 & 3) << 4) | (b1 >> 4));
    o += i + 1 < s.length ? B64.charAt(((b1 & 15) << 2) | (b2 >> 6)) : "=";
    o += i + 2 < s.length ? B64.charAt(b2 & 63) : "=";
  }
  if (nl === LY.NULL || truthy(vm, nl)) o += "\n";
  return bytesFromJs(vm, o);
}

function crc(vm: Vm, a: number, n: number): number {
  let seed = 0;
  if (n > 1) {
    // any int: only its low 32 bits count
    const v = intWord(vm, vm.H[a + 1]);
    const b = new Uint8Array(4);
    putInt(vm, v, b, 0, 4, true);
    seed = (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  }
  const buf = needBuffer(vm, vm.H[a], false, false);
  return intFromNumber(vm, crc32(buf, BUF[0], BUF[0] + BUF[1], seed));
}

defineModule({
  name: Q.binascii,
  attrs: function (): number[] {
    return [
      Q.hexlify, native(Q.hexlify, 1, 2, 0, hexlify),
      Q.unhexlify, native(Q.unhexlify, 1, 1, 0, unhexlify),
      Q.a2b_base64, native(Q.a2b_base64, 1, 1, 0, a2b),
      Q.b2a_base64, native(Q.b2a_base64, 1, 1, NF_KW, b2a),
      Q.crc32, native(Q.crc32, 1, 2, 0, crc),
      Q.Error, imm(T.VALUE_ERROR),
    ];
  },
});
