// The json module: dumps/dump (separators, indent, sort_keys, ensure_ascii) and loads/load with CPython's output and
// number handling (ints of any size, floats read and printed exactly). The parser is iterative (a heap list holds
// the open containers), so deep documents cost no JS stack; errors are ValueError with CPython's messages.
import { K, imm, LY } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise } from "../vm/exc";
import { native, defineModule, NF_KW } from "../vm/registry";
import { kindOf, typeNameJs, unwrap, toIndex, truthy } from "../vm/ops";
import { call0, call1 } from "../vm/call";
import { getAttr } from "../vm/attr";
import { str, jstr, qw, utf8Encode } from "../obj/str";
import { isFloat, floatVal, newFloat, intToString, intFromDigits } from "../obj/num";
import { floatRepr, parseFloatStr } from "../float";
import { newList, listAppend, seqLen, seqItems, listSetLen } from "../obj/seq";
import { newDict, dictSet, tableNext, entryKey, entryValue } from "../obj/dict";
import { kwArg, checkKw } from "./builtins";

// --- dumps ---------------------------------------------------------------------------------------------------------------

let itemSep = ", ";
let keySep = ": ";
let indent: string | null = null;
let sortKeys = false;
let ascii = true;
const active: number[] = [];

const HEXD = "0123456789abcdef";

function hex4(c: number): string {
  return "\\u" + HEXD.charAt((c >> 12) & 15) + HEXD.charAt((c >> 8) & 15) + HEXD.charAt((c >> 4) & 15) + HEXD.charAt(c & 15);
}

/** A JSON string literal for the UTF-8 bytes s (a JS byte string). */
function quote(s: string): string {
  let o = "\"";
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c === 34) o += "\\\"";
    else if (c === 92) o += "\\\\";
    else if (c >= 32 && c < 127) o += s.charAt(i);
    else if (c < 32) {
      const k = "\b\f\n\r\t".indexOf(s.charAt(i));
      o += k >= 0 ? "\\" + "bfnrt".charAt(k) : hex4(c);
    } else if (c === 127 || !ascii) o += s.charAt(i);
    else {
      // decode one UTF-8 sequence; code points above the BMP become surrogate pairs
      const n = c < 0xe0 ? 1 : c < 0xf0 ? 2 : 3;
      c &= n === 1 ? 0x1f : n === 2 ? 0x0f : 0x07;
      for (let j = 0; j < n; j++) c = (c << 6) | (s.charCodeAt(++i) & 0x3f);
      if (c >= 0x10000) {
        c -= 0x10000;
        o += hex4(0xd800 + (c >> 10)) + hex4(0xdc00 + (c & 0x3ff));
      } else o += hex4(c);
    }
  }
  return o + "\"";
}

function isStrW(vm: Vm, w: number): boolean {
  return ((w & 3) === 2 && w >> 2 >= 8192) || kindOf(vm, w) === K.STR;
}

function floatJson(x: number): string {
  if (x !== x) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  return floatRepr(x);
}

/** JSON text of a scalar, or null for containers and unsupported values. */
function scalar(vm: Vm, w: number): string | null {
  if (w === LY.NONE) return "null";
  if (w === LY.TRUE) return "true";
  if (w === LY.FALSE) return "false";
  if (w & 1 || kindOf(vm, w) === K.BIGINT) return intToString(vm, w, 10);
  if (isFloat(vm, w)) return floatJson(floatVal(vm, w));
  if (isStrW(vm, w)) return quote(jstr(vm, w));
  return null;
}

function dumpValue(vm: Vm, w: number, level: number): string {
  w = unwrap(vm, w);
  const s = scalar(vm, w);
  if (s !== null) return s;
  const k = kindOf(vm, w);
  if (k !== K.LIST && k !== K.TUPLE && k !== K.DICT) throw raise(vm, T.TYPE_ERROR, "Object of type " + typeNameJs(vm, w) + " is not JSON serializable");
  for (let i = 0; i < active.length; i++) if (active[i] === w) throw raise(vm, T.VALUE_ERROR, "Circular reference detected");
  if (active.length >= 200) throw raise(vm, T.RECURSION_ERROR, "maximum recursion depth exceeded while encoding a JSON object");
  active.push(w);
  const nl = indent === null ? "" : "\n" + indent.repeat(level + 1);
  const end = indent === null ? "" : "\n" + indent.repeat(level);
  const sep = itemSep + nl;
  let o: string;
  if (k === K.DICT) {
    const keys: string[] = [];
    const vals: number[] = [];
    for (let i = tableNext(vm, w, 0); i >= 0; i = tableNext(vm, w, i + 1)) {
      const key = unwrap(vm, entryKey(vm, w, i));
      const ks = isStrW(vm, key) ? jstr(vm, key) : scalar(vm, key);
      if (ks === null) throw raise(vm, T.TYPE_ERROR, "keys must be str, int, float, bool or None, not " + typeNameJs(vm, key));
      keys.push(ks);
      vals.push(entryValue(vm, w, i));
    }
    const order: number[] = [];
    for (let i = 0; i < keys.length; i++) order.push(i);
    if (sortKeys) order.sort(function (x, y) { return keys[x] < keys[y] ? -1 : keys[x] > keys[y] ? 1 : 0; });
    o = "{";
    for (let j = 0; j < order.length; j++) {
      const i = order[j];
      o += (j ? sep : nl) + quote(keys[i]) + keySep + dumpValue(vm, vals[i], level + 1);
    }
    o += (order.length ? end : "") + "}";
  } else {
    o = "[";
    const n = seqLen(vm, w);
    for (let i = 0; i < n && i < seqLen(vm, w); i++) o += (i ? sep : nl) + dumpValue(vm, vm.H[seqItems(vm, w) + i], level + 1);
    o += (n ? end : "") + "]";
  }
  active.pop();
  return o;
}

function dumps(vm: Vm, a: number, n: number, kw: number): string {
  checkKw(vm, "dumps", kw, [qw(Q.separators), qw(Q.indent), qw(Q.sort_keys), qw(Q.ensure_ascii)]);
  const H = vm.H;
  const sepW = kwArg(vm, a, n, kw, qw(Q.separators));
  const indW = kwArg(vm, a, n, kw, qw(Q.indent));
  const sortW = kwArg(vm, a, n, kw, qw(Q.sort_keys));
  const ascW = kwArg(vm, a, n, kw, qw(Q.ensure_ascii));
  indent = indW === LY.NULL || indW === LY.NONE ? null : isStrW(vm, indW) ? jstr(vm, indW) : " ".repeat(Math.max(0, toIndex(vm, indW, "indent")));
  itemSep = indent === null ? ", " : ",";
  keySep = ": ";
  if (sepW !== LY.NULL && sepW !== LY.NONE) {
    const k = kindOf(vm, sepW);
    if ((k !== K.TUPLE && k !== K.LIST) || seqLen(vm, sepW) !== 2) throw raise(vm, T.VALUE_ERROR, "separators must be a (item, key) pair");
    const i0 = H[seqItems(vm, sepW)];
    const i1 = H[seqItems(vm, sepW) + 1];
    if (!isStrW(vm, i0) || !isStrW(vm, i1)) throw raise(vm, T.TYPE_ERROR, "separators must be strings");
    itemSep = jstr(vm, i0);
    keySep = jstr(vm, i1);
  }
  sortKeys = sortW !== LY.NULL && truthy(vm, sortW);
  ascii = ascW === LY.NULL || truthy(vm, ascW);
  active.splice(0, active.length); // (Espruino: assigning to length throws)
  try {
    return dumpValue(vm, H[a], 0);
  } finally {
    active.splice(0, active.length);
  }
}

// --- loads ---------------------------------------------------------------------------------------------------------------

let src = "";
let pos = 0;

function fail(vm: Vm, msg: string, at: number): unknown {
  let line = 1;
  let col = 1;
  for (let i = 0; i < at; i++) {
    if (src.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else if ((src.charCodeAt(i) & 0xc0) !== 0x80) col++;
  }
  let ch = 0;
  for (let i = 0; i < at; i++) if ((src.charCodeAt(i) & 0xc0) !== 0x80) ch++;
  return raise(vm, T.VALUE_ERROR, msg + ": line " + line + " column " + col + " (char " + ch + ")");
}

function ws(): number {
  for (;;) {
    const c = src.charCodeAt(pos);
    if (c === 32 || c === 9 || c === 10 || c === 13) pos++;
    else return c;
  }
}

function hexAt(i: number): number {
  let v = 0;
  for (let j = 0; j < 4; j++) {
    const c = src.charCodeAt(i + j);
    const d = c >= 48 && c <= 57 ? c - 48 : (c | 32) >= 97 && (c | 32) <= 102 ? (c | 32) - 87 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** The string starting at the quote at pos (as a JS byte string of UTF-8); pos moves past it. */
function parseStr(vm: Vm): string {
  const start = pos;
  pos++;
  let o = "";
  for (;;) {
    if (pos >= src.length) throw fail(vm, "Unterminated string starting at", start);
    const c = src.charCodeAt(pos);
    if (c === 34) {
      pos++;
      return o;
    }
    if (c < 32) throw fail(vm, "Invalid control character at", pos);
    if (c !== 92) {
      o += src.charAt(pos++);
      continue;
    }
    const e = src.charAt(pos + 1);
    const k = "\"\\/bfnrt".indexOf(e);
    if (e && k >= 0) {
      o += "\"\\/\b\f\n\r\t".charAt(k);
      pos += 2;
      continue;
    }
    if (e !== "u") throw fail(vm, "Invalid \\escape", pos);
    let cp = hexAt(pos + 2);
    if (cp < 0) throw fail(vm, "Invalid \\uXXXX escape", pos + 1);
    pos += 6;
    if (cp >= 0xd800 && cp < 0xdc00 && src.charAt(pos) === "\\" && src.charAt(pos + 1) === "u") {
      const lo = hexAt(pos + 2);
      if (lo >= 0xdc00 && lo < 0xe000) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        pos += 6;
      }
    }
    o += utf8Encode(cp);
  }
}

/** A number at pos, or NULL when there is none. */
function parseNum(vm: Vm): number {
  const start = pos;
  let i = pos;
  if (src.charAt(i) === "-") i++;
  const d0 = i;
  if (src.charAt(i) === "0") i++;
  else while (src.charCodeAt(i) >= 48 && src.charCodeAt(i) <= 57) i++;
  if (i === d0) return LY.NULL;
  let isF = false;
  if (src.charAt(i) === "." && src.charCodeAt(i + 1) >= 48 && src.charCodeAt(i + 1) <= 57) {
    isF = true;
    i += 2;
    while (src.charCodeAt(i) >= 48 && src.charCodeAt(i) <= 57) i++;
  }
  const c = src.charAt(i);
  if (c === "e" || c === "E") {
    let j = i + 1;
    if (src.charAt(j) === "+" || src.charAt(j) === "-") j++;
    if (src.charCodeAt(j) >= 48 && src.charCodeAt(j) <= 57) {
      while (src.charCodeAt(j) >= 48 && src.charCodeAt(j) <= 57) j++;
      isF = true;
      i = j;
    }
  }
  pos = i;
  if (isF) return newFloat(vm, parseFloatStr(src.slice(start, i)) as number);
  return intFromDigits(vm, src.slice(d0, i), 10, d0 > start);
}

/** A scalar or NULL for "{" / "[" (the caller opens those). */
function parseScalar(vm: Vm): number {
  const c = src.charAt(pos);
  if (c === "\"") return str(vm, parseStr(vm));
  const words = ["null", "true", "false", "NaN", "Infinity", "-Infinity"];
  for (let i = 0; i < words.length; i++) {
    if (src.substr(pos, words[i].length) === words[i]) {
      pos += words[i].length;
      return i === 0 ? LY.NONE : i === 1 ? LY.TRUE : i === 2 ? LY.FALSE : newFloat(vm, i === 3 ? NaN : i === 4 ? Infinity : -Infinity);
    }
  }
  const v = parseNum(vm);
  if (v === LY.NULL) throw fail(vm, "Expecting value", pos);
  return v;
}

function loads(vm: Vm, text: string): number {
  src = text;
  pos = 0;
  const stk = vm.tpush(newList(vm, 0, 4));
  try {
    let v = LY.NULL;
    for (;;) {
      // parse a value into v, opening containers on the way
      let c = ws();
      if (c === 123 || c === 91) {
        const cont = c === 123 ? newDict(vm) : newList(vm, 0, 0);
        listAppend(vm, stk, cont);
        pos++;
        c = ws();
        if (c === (kindOf(vm, cont) === K.DICT ? 125 : 93)) {
          pos++;
          v = cont;
          listSetLen(vm, stk, seqLen(vm, stk) - 1);
        } else {
          if (kindOf(vm, cont) === K.DICT) openKey(vm, stk);
          continue;
        }
      } else v = parseScalar(vm);
      // store v into the open containers, closing those that end here
      for (;;) {
        const n = seqLen(vm, stk);
        if (n === 0) {
          ws();
          if (pos < src.length) throw fail(vm, "Extra data", pos);
          return v;
        }
        const top = vm.H[seqItems(vm, stk) + n - 1];
        vm.tpush(v);
        let list = true;
        if (kindOf(vm, top) === K.LIST) listAppend(vm, top, v);
        else {
          list = false;
          dictSet(vm, vm.H[seqItems(vm, stk) + n - 2], top, v);
          listSetLen(vm, stk, n - 1);
        }
        vm.tpop(1);
        c = ws();
        if (c === 44) {
          pos++;
          if (!list) {
            ws();
            openKey(vm, stk);
          }
          break;
        }
        if (c !== (list ? 93 : 125)) throw fail(vm, "Expecting ',' delimiter", pos);
        pos++;
        const m = seqLen(vm, stk);
        v = vm.H[seqItems(vm, stk) + m - 1];
        listSetLen(vm, stk, m - 1);
      }
    }
  } finally {
    vm.tpop(1);
    src = "";
  }
}

/** Read `"key" :` and push the key (the dict is on top of stk). */
function openKey(vm: Vm, stk: number): void {
  if (ws() !== 34) throw fail(vm, "Expecting property name enclosed in double quotes", pos);
  const k = str(vm, parseStr(vm));
  listAppend(vm, stk, k);
  if (ws() !== 58) throw fail(vm, "Expecting ':' delimiter", pos);
  pos++;
}

/** The text of a str, bytes or bytearray argument. */
function textArg(vm: Vm, w: number): string {
  const k = kindOf(vm, w);
  if (isStrW(vm, w) || k === K.BYTES || k === K.BYTEARRAY) return jstr(vm, w);
  throw raise(vm, T.TYPE_ERROR, "the JSON object must be str, bytes or bytearray, not " + typeNameJs(vm, w));
}

defineModule({
  name: Q.json,
  attrs: function (): number[] {
    return [
      Q.dumps, native(Q.dumps, 1, 1, NF_KW, function (vm, a, n, kw) { return str(vm, dumps(vm, a, n, kw)); }),
      Q.dump, native(Q.dump, 2, 2, NF_KW, function (vm, a, n, kw) {
        const H = vm.H;
        const s = vm.tpush(str(vm, dumps(vm, a, n, kw)));
        const w = vm.tpush(getAttr(vm, H[a + 1], qw(Q.write)));
        call1(vm, w, s);
        vm.tpop(2);
        return LY.NONE;
      }),
      Q.loads, native(Q.loads, 1, 1, 0, function (vm, a) { return loads(vm, textArg(vm, vm.H[a])); }),
      Q.load, native(Q.load, 1, 1, 0, function (vm, a) {
        const r = vm.tpush(getAttr(vm, vm.H[a], qw(Q.read)));
        const t = call0(vm, r);
        vm.tpop(1);
        return loads(vm, textArg(vm, t));
      }),
      Q.JSONDecodeError, imm(T.VALUE_ERROR),
    ];
  },
});
