// String formatting: the format-spec mini-language (format(), f-strings, str.format) for int, float and str,
// printf-style `%` formatting, and str.format's field parsing. Numbers go through intToString and core/float.ts,
// never through the platform's number formatting.
import { K, NONE, NULL, TRUE, FALSE, SEQ_LEN, TUP_ITEMS } from "../vm/layout";
import type { Vm } from "../vm/vm";
import { T } from "../vm/types";
import { Q } from "../generated/qstr";
import { raise } from "../vm/exc";
import { kindOf, lookupSpecial, typeNameJs, toIndex } from "../vm/ops";
import { call2 } from "../vm/call";
import { getAttr } from "../vm/attr";
import { getItem } from "./items";
import { str, jstr, qw, sclen, utf8SeqLen } from "./str";
import { isFloat, floatVal, intToString, isIntLike, intToDouble, intSign, intFromDouble, intAbs } from "./num";
import { floatFormat, floatRepr } from "../float";
import { strJs, reprJs, asciiEscape } from "./repr";
import { seqItems } from "./seq";
import { dictGet } from "./dict";

interface Spec {
  fill: string;
  align: string; // "" < > = ^
  sign: string; // "" + - space
  alt: boolean;
  zero: boolean;
  width: number;
  grouping: string; // "" , _
  precision: number;
  type: string;
}

function parseSpec(vm: Vm, s: string): Spec {
  const sp: Spec = { fill: " ", align: "", sign: "", alt: false, zero: false, width: -1, grouping: "", precision: -1, type: "" };
  let i = 0;
  const isAlign = function (c: string): boolean {
    return c === "<" || c === ">" || c === "=" || c === "^";
  };
  // a fill may be any character (a whole UTF-8 sequence)
  const fl = s.length ? utf8SeqLen(s.charCodeAt(0)) : 1;
  if (s.length > fl && isAlign(s.charAt(fl))) {
    sp.fill = s.substr(0, fl);
    sp.align = s.charAt(fl);
    i = fl + 1;
  } else if (s.length && isAlign(s.charAt(0))) {
    sp.align = s.charAt(0);
    i = 1;
  }
  const c = s.charAt(i);
  if (c === "+" || c === "-" || c === " ") {
    sp.sign = c;
    i++;
  }
  if (s.charAt(i) === "z") i++;
  if (s.charAt(i) === "#") {
    sp.alt = true;
    i++;
  }
  if (s.charAt(i) === "0") {
    sp.zero = true;
    i++;
  }
  let w = "";
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) w += s.charAt(i++);
  if (w) sp.width = parseInt(w, 10);
  if (s.charAt(i) === "," || s.charAt(i) === "_") sp.grouping = s.charAt(i++);
  if (s.charAt(i) === ".") {
    i++;
    let p = "";
    while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) p += s.charAt(i++);
    if (!p) throw raise(vm, T.VALUE_ERROR, "Format specifier missing precision");
    sp.precision = parseInt(p, 10);
  }
  if (i < s.length) sp.type = s.charAt(i++);
  if (i < s.length) throw raise(vm, T.VALUE_ERROR, "Invalid format specifier '" + s + "' for object of type '" + "str" + "'");
  if (sp.zero && !sp.align) {
    sp.fill = "0";
    sp.align = "=";
  }
  return sp;
}

/** Characters (not bytes) in a byte string. */
function charLen(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if ((s.charCodeAt(i) & 0xc0) !== 0x80) n++;
  return n;
}

function repeat(s: string, n: number): string {
  let r = "";
  for (let i = 0; i < n; i++) r += s;
  return r;
}

/** Pad `body` (with its sign/prefix separate, for "=" alignment) to the spec's width. */
function pad(sp: Spec, prefix: string, body: string, defAlign: string): string {
  const align = sp.align || defAlign;
  const len = charLen(prefix) + charLen(body);
  if (sp.width <= len) return prefix + body;
  const n = sp.width - len;
  switch (align) {
    case "<": return prefix + body + repeat(sp.fill, n);
    case ">": return repeat(sp.fill, n) + prefix + body;
    case "^": return repeat(sp.fill, n >> 1) + prefix + body + repeat(sp.fill, n - (n >> 1));
  }
  return prefix + repeat(sp.fill, n) + body;
}

/** Insert grouping separators every `every` digits into the integer part of a digit string. */
function group(digits: string, sep: string, every: number): string {
  let out = "";
  let cnt = 0;
  for (let i = digits.length - 1; i >= 0; i--) {
    out = digits.charAt(i) + out;
    if (++cnt % every === 0 && i > 0) out = sep + out;
  }
  return out;
}

function signOf(sp: Spec, neg: boolean): string {
  return neg ? "-" : sp.sign === "+" ? "+" : sp.sign === " " ? " " : "";
}

function formatIntSpec(vm: Vm, v: number, sp: Spec): string {
  let t = sp.type;
  if (t === "e" || t === "E" || t === "f" || t === "F" || t === "g" || t === "G" || t === "%")
    return formatFloatSpec(vm, intToDouble(vm, v), sp);
  if (sp.precision >= 0) throw raise(vm, T.VALUE_ERROR, "Precision not allowed in integer format specifier");
  const neg = intSign(vm, v) < 0;
  const a = intAbs(vm, v);
  let digits: string;
  let prefix = "";
  switch (t) {
    case "b": digits = intToString(vm, a, 2); prefix = sp.alt ? "0b" : ""; break;
    case "o": digits = intToString(vm, a, 8); prefix = sp.alt ? "0o" : ""; break;
    case "x": digits = intToString(vm, a, 16); prefix = sp.alt ? "0x" : ""; break;
    case "X": digits = intToString(vm, a, 16).toUpperCase(); prefix = sp.alt ? "0X" : ""; break;
    case "c": {
      const cp = toIndex(vm, v, "c");
      if (cp < 0 || cp > 0x10ffff) throw raise(vm, T.OVERFLOW_ERROR, "%c arg not in range(0x110000)");
      return pad(sp, "", chr(cp), "<");
    }
    case "":
    case "d":
    case "n":
      digits = intToString(vm, a, 10);
      t = "d";
      break;
    default:
      throw raise(vm, T.VALUE_ERROR, "Unknown format code '" + t + "' for object of type 'int'");
  }
  if (sp.grouping) digits = group(digits, sp.grouping, t === "d" ? 3 : 4);
  const pre = signOf(sp, neg) + prefix;
  if (sp.align === "=" && sp.fill === "0" && sp.grouping && sp.width > 0) {
    // zero padding joins the digit groups
    while (charLen(pre) + digits.length < sp.width) {
      const raw = digits.split(sp.grouping).join("");
      const next = group("0" + raw, sp.grouping, t === "d" ? 3 : 4);
      if (charLen(pre) + next.length > sp.width && next.charAt(0) === sp.grouping) break;
      digits = next;
      if (digits.charAt(0) === sp.grouping) digits = "0" + digits;
    }
  }
  return pad(sp, pre, digits, ">");
}

export function chr(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  if (cp < 0x10000) return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  return String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
}

function formatFloatSpec(vm: Vm, x: number, sp: Spec): string {
  let t = sp.type;
  if (t === "n") t = "g";
  if (t !== "" && t !== "e" && t !== "E" && t !== "f" && t !== "F" && t !== "g" && t !== "G" && t !== "%")
    throw raise(vm, T.VALUE_ERROR, "Unknown format code '" + t + "' for object of type 'float'");
  const neg = x < 0 || (x === 0 && 1 / x < 0);
  let body: string;
  if (t === "" && sp.precision < 0) body = floatRepr(x < 0 ? -x : x);
  else body = floatFormat(x < 0 ? -x : x, t, sp.precision, sp.alt);
  if (sp.grouping && x === x && x !== Infinity && x !== -Infinity) {
    let i = 0;
    while (i < body.length && body.charCodeAt(i) >= 48 && body.charCodeAt(i) <= 57) i++;
    body = group(body.substr(0, i), sp.grouping, 3) + body.substr(i);
  }
  return pad(sp, signOf(sp, neg), body, ">");
}

function formatStrSpec(vm: Vm, s: string, sp: Spec): string {
  if (sp.type !== "" && sp.type !== "s") throw raise(vm, T.VALUE_ERROR, "Unknown format code '" + sp.type + "' for object of type 'str'");
  if (sp.sign) throw raise(vm, T.VALUE_ERROR, "Sign not allowed in string format specifier");
  if (sp.align === "=") throw raise(vm, T.VALUE_ERROR, "'=' alignment not allowed in string format specifier");
  if (sp.precision >= 0) s = charSlice(s, sp.precision);
  return pad(sp, "", s, "<");
}

/** The first n characters of a byte string. */
function charSlice(s: string, n: number): string {
  let i = 0;
  while (i < s.length && n > 0) {
    i += utf8SeqLen(s.charCodeAt(i));
    n--;
  }
  return s.substr(0, i);
}

/** format(v, spec) for a spec given as a JS byte string. */
export function formatJs(vm: Vm, v: number, spec: string): string {
  const k = kindOf(vm, v);
  if (k === K.INST || k === K.NATIVE_OBJ || k === K.EXC || k === K.TYPE) {
    const m = lookupSpecial(vm, v, qw(Q.__format__));
    if (m !== NULL && (m & 3) !== 2) {
      const r = call2(vm, m, v, str(vm, spec));
      return jstr(vm, r);
    }
    if (k === K.INST && vm.H[(v >> 2) + 3] !== NULL) return formatJs(vm, vm.H[(v >> 2) + 3], spec);
    if (spec !== "") throw raise(vm, T.TYPE_ERROR, "unsupported format string passed to " + typeNameJs(vm, v) + ".__format__");
    return strJs(vm, v);
  }
  if (spec === "") return strJs(vm, v);
  const sp = parseSpec(vm, spec);
  if (v === TRUE || v === FALSE) {
    if (sp.type === "" || sp.type === "s") return formatStrSpec(vm, v === TRUE ? "True" : "False", sp);
    return formatIntSpec(vm, v === TRUE ? 3 : 1, sp);
  }
  if (isIntLike(vm, v)) return formatIntSpec(vm, v, sp);
  if (isFloat(vm, v)) return formatFloatSpec(vm, floatVal(vm, v), sp);
  if ((v & 3) === 2 ? v >> 2 >= 8192 : k === K.STR) return formatStrSpec(vm, jstr(vm, v), sp);
  throw raise(vm, T.TYPE_ERROR, "unsupported format string passed to " + typeNameJs(vm, v) + ".__format__");
}

/** format(v, spec) with spec a str word (or NULL for ""), as a str word. */
export function formatObject(vm: Vm, v: number, spec: number): number {
  const s = spec === NULL ? "" : jstr(vm, spec);
  if (s === "" && ((v & 3) === 2 ? v >> 2 >= 8192 : kindOf(vm, v) === K.STR)) return v;
  return str(vm, formatJs(vm, v, s));
}

// --- printf-style ------------------------------------------------------------------------------------------------------

/** fmt % args for str (bytes when `bytes` is set: %s then means bytes). */
export function percentFormat(vm: Vm, fmt: string, args: number, bytes: boolean): string {
  const H = vm.H;
  const ka = kindOf(vm, args);
  const isTuple = ka === K.TUPLE;
  const n = isTuple ? H[(args >> 2) + SEQ_LEN] >> 1 : 1;
  const isMap = !isTuple && (ka === K.DICT || (ka === K.INST && lookupSpecial(vm, args, qw(Q.__getitem__)) !== NULL && !isStrish(vm, args)));
  let ai = 0;
  const next = function (): number {
    if (ai >= n) throw raise(vm, T.TYPE_ERROR, "not enough arguments for format string");
    return isTuple ? H[seqItems(vm, args) + ai++] : (ai++, args);
  };
  let out = "";
  let i = 0;
  while (i < fmt.length) {
    const c = fmt.charAt(i++);
    if (c !== "%") {
      out += c;
      continue;
    }
    if (i >= fmt.length) throw raise(vm, T.VALUE_ERROR, "incomplete format");
    let val = NULL;
    if (fmt.charAt(i) === "(") {
      if (!isMap) throw raise(vm, T.TYPE_ERROR, "format requires a mapping");
      let depth = 1;
      const st = ++i;
      while (i < fmt.length && depth > 0) {
        if (fmt.charAt(i) === "(") depth++;
        else if (fmt.charAt(i) === ")") depth--;
        i++;
      }
      const key = str(vm, fmt.substring(st, i - 1));
      val = getItem(vm, args, key);
    }
    const sp: Spec = { fill: " ", align: ">", sign: "", alt: false, zero: false, width: -1, grouping: "", precision: -1, type: "" };
    let left = false;
    for (;;) {
      const f = fmt.charAt(i);
      if (f === "-") left = true;
      else if (f === "+") sp.sign = "+";
      else if (f === " ") {
        if (sp.sign !== "+") sp.sign = " ";
      } else if (f === "#") sp.alt = true;
      else if (f === "0") sp.zero = true;
      else break;
      i++;
    }
    if (fmt.charAt(i) === "*") {
      sp.width = toIndex(vm, next(), "width");
      if (sp.width < 0) {
        left = true;
        sp.width = -sp.width;
      }
      i++;
    } else {
      let w = "";
      while (i < fmt.length && fmt.charCodeAt(i) >= 48 && fmt.charCodeAt(i) <= 57) w += fmt.charAt(i++);
      if (w) sp.width = parseInt(w, 10);
    }
    if (fmt.charAt(i) === ".") {
      i++;
      if (fmt.charAt(i) === "*") {
        sp.precision = toIndex(vm, next(), "precision");
        i++;
      } else {
        let p = "";
        while (i < fmt.length && fmt.charCodeAt(i) >= 48 && fmt.charCodeAt(i) <= 57) p += fmt.charAt(i++);
        sp.precision = p ? parseInt(p, 10) : 0;
      }
    }
    if (i >= fmt.length) throw raise(vm, T.VALUE_ERROR, "incomplete format");
    const conv = fmt.charAt(i++);
    if (conv === "%") {
      out += "%";
      continue;
    }
    if (val === NULL) val = next();
    if (left) sp.align = "<";
    else if (sp.zero && "diouxXeEfFgG".indexOf(conv) >= 0) {
      sp.fill = "0";
      sp.align = "=";
    }
    switch (conv) {
      case "s":
      case "r":
      case "a": {
        let s: string;
        if (bytes && conv === "s") {
          const kv = kindOf(vm, val);
          if (kv !== K.BYTES && kv !== K.BYTEARRAY) throw raise(vm, T.TYPE_ERROR, "%b requires a bytes-like object, or an object that implements __bytes__, not '" + typeNameJs(vm, val) + "'");
          s = jstr(vm, val);
        } else s = conv === "s" ? strJs(vm, val) : conv === "r" ? reprJs(vm, val) : asciiEscape(reprJs(vm, val));
        if (sp.precision >= 0) s = charSlice(s, sp.precision);
        sp.sign = "";
        out += pad(sp, "", s, ">");
        break;
      }
      case "d":
      case "i":
      case "u": {
        let v = val;
        if (isFloat(vm, v)) v = intFromDouble(vm, truncate(floatVal(vm, v)));
        else if (!isIntLike(vm, v)) throw raise(vm, T.TYPE_ERROR, "%" + conv + " format: a real number is required, not " + typeNameJs(vm, v));
        sp.type = "d";
        out += formatIntSpec(vm, v, sp);
        break;
      }
      case "o":
      case "x":
      case "X": {
        if (!isIntLike(vm, val)) throw raise(vm, T.TYPE_ERROR, "%" + conv + " format: an integer is required, not " + typeNameJs(vm, val));
        sp.type = conv;
        out += formatIntSpec(vm, val, sp);
        break;
      }
      case "e":
      case "E":
      case "f":
      case "F":
      case "g":
      case "G": {
        let x: number;
        if (isFloat(vm, val)) x = floatVal(vm, val);
        else if (isIntLike(vm, val)) x = intToDouble(vm, val);
        else throw raise(vm, T.TYPE_ERROR, "must be real number, not " + typeNameJs(vm, val));
        sp.type = conv;
        if (sp.precision < 0) sp.precision = 6;
        out += formatFloatSpec(vm, x, sp);
        break;
      }
      case "c": {
        let s: string;
        if (isIntLike(vm, val)) s = bytes ? String.fromCharCode(toIndex(vm, val, "c") & 255) : chr(toIndex(vm, val, "c"));
        else if (!bytes && isStrish(vm, val) && sclen(vm, val) === 1) s = jstr(vm, val);
        else if (bytes && kindOf(vm, val) === K.BYTES && H[(val >> 2) + 2] === 1) s = jstr(vm, val);
        else throw raise(vm, T.TYPE_ERROR, "%c requires int or char");
        sp.sign = "";
        out += pad(sp, "", s, ">");
        break;
      }
      default:
        throw raise(vm, T.VALUE_ERROR, "unsupported format character '" + conv + "' (0x" + conv.charCodeAt(0).toString(16) + ") at index " + (i - 1));
    }
  }
  if (ai < n && !isMap) throw raise(vm, T.TYPE_ERROR, "not all arguments converted during " + (bytes ? "bytes" : "string") + " formatting");
  return out;
}

function truncate(x: number): number {
  return x < 0 ? -Math.floor(-x) : Math.floor(x);
}

function isStrish(vm: Vm, w: number): boolean {
  return (w & 3) === 2 ? w >> 2 >= 8192 : kindOf(vm, w) === K.STR;
}

// --- str.format ----------------------------------------------------------------------------------------------------

/** fmt.format(*args, **kwargs): args are H[a … a+n-1], kwargs a dict or NULL. */
export function strFormat(vm: Vm, fmt: string, a: number, n: number, kwargs: number): string {
  const H = vm.H;
  let out = "";
  let auto = 0;
  let manual = false;
  let i = 0;
  while (i < fmt.length) {
    const c = fmt.charAt(i++);
    if (c === "}") {
      if (fmt.charAt(i) === "}") {
        out += "}";
        i++;
        continue;
      }
      throw raise(vm, T.VALUE_ERROR, "Single '}' encountered in format string");
    }
    if (c !== "{") {
      out += c;
      continue;
    }
    if (fmt.charAt(i) === "{") {
      out += "{";
      i++;
      continue;
    }
    // the field: name, !conversion, :spec (the spec may hold nested {fields})
    let depth = 1;
    const st = i;
    while (i < fmt.length) {
      const d = fmt.charAt(i);
      if (d === "{") depth++;
      else if (d === "}") {
        depth--;
        if (depth === 0) break;
      }
      i++;
    }
    if (i >= fmt.length) throw raise(vm, T.VALUE_ERROR, depth > 1 ? "unexpected '{' in field name" : "expected '}' before end of string");
    const field = fmt.substring(st, i++);
    let name = field;
    let conv = "";
    let spec = "";
    let ci = -1;
    for (let j = 0, br = 0; j < field.length; j++) {
      const ch = field.charAt(j);
      if (ch === "[") br++;
      else if (ch === "]") br--;
      else if (br === 0 && (ch === "!" || ch === ":")) {
        ci = j;
        break;
      }
    }
    if (ci >= 0) {
      name = field.substr(0, ci);
      let rest = field.substr(ci);
      if (rest.charAt(0) === "!") {
        conv = rest.charAt(1);
        rest = rest.substr(2);
        if (rest && rest.charAt(0) !== ":") throw raise(vm, T.VALUE_ERROR, "expected ':' after conversion specifier");
        if (conv !== "r" && conv !== "s" && conv !== "a") throw raise(vm, T.VALUE_ERROR, "Unknown conversion specifier " + (conv || "\\0"));
      }
      if (rest.charAt(0) === ":") spec = rest.substr(1);
    }
    // the first part of the name: an index, a keyword, or nothing (automatic numbering)
    let j = 0;
    while (j < name.length && name.charAt(j) !== "." && name.charAt(j) !== "[") j++;
    const first = name.substr(0, j);
    let v: number;
    if (first === "") {
      if (manual) throw raise(vm, T.VALUE_ERROR, "cannot switch from manual field specification to automatic field numbering");
      if (auto >= n) throw raise(vm, T.INDEX_ERROR, "Replacement index " + auto + " out of range for positional args tuple");
      v = H[a + auto++];
    } else if (/^[0-9]+$/.test(first)) {
      if (auto) throw raise(vm, T.VALUE_ERROR, "cannot switch from automatic field numbering to manual field specification");
      manual = true;
      const idx = parseInt(first, 10);
      if (idx >= n) throw raise(vm, T.INDEX_ERROR, "Replacement index " + idx + " out of range for positional args tuple");
      v = H[a + idx];
    } else {
      const key = str(vm, first);
      v = kwargs === NULL ? NULL : dictGet(vm, kwargs, key);
      if (v === NULL) throw raise(vm, T.KEY_ERROR, "'" + first + "'");
    }
    // .attr and [key] parts
    while (j < name.length) {
      vm.tpush(v);
      if (name.charAt(j) === ".") {
        let e = j + 1;
        while (e < name.length && name.charAt(e) !== "." && name.charAt(e) !== "[") e++;
        v = getAttr(vm, v, str(vm, name.substring(j + 1, e)));
        j = e;
      } else {
        const e = name.indexOf("]", j);
        const key = name.substring(j + 1, e);
        v = getItem(vm, v, /^[0-9]+$/.test(key) ? (parseInt(key, 10) << 1) | 1 : str(vm, key));
        j = e + 1;
      }
      vm.tpop(1);
    }
    if (spec.indexOf("{") >= 0) spec = strFormat(vm, spec, a, n, kwargs);
    let s: string;
    vm.tpush(v);
    if (conv === "r") s = formatJs(vm, str(vm, reprJs(vm, v)), spec);
    else if (conv === "s") s = formatJs(vm, str(vm, strJs(vm, v)), spec);
    else if (conv === "a") s = formatJs(vm, str(vm, asciiEscape(reprJs(vm, v))), spec);
    else s = formatJs(vm, v, spec);
    vm.tpop(1);
    out += s;
  }
  return out;
}

export { NONE, TUP_ITEMS };
