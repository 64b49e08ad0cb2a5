// Value formatting the way Espruino's console does it (src/jswrap_json.c jsfGetJSONWithCallback), so what the
// simulated JS REPL prints looks like a board's: `=result` after a typed line, print()/console.log of objects, and
// E.toJS. Also the liberal JSON Espruino's packets accept (unquoted keys) and heatshrink decompression for
// compressed FILE_SEND packets (Espruino's window 8, lookahead 6 bits).

export const F_LIMIT = 1;
export const F_SOME_NEWLINES = 2;
export const F_PRETTY = 4;
export const F_SHOW_DEVICES = 8;
export const F_SHOW_OBJECT_NAMES = 16;
export const F_DROP_QUOTES = 32;
export const F_NO_UNDEFINED = 64;
export const F_ARRAYBUFFER_AS_ARRAY = 128;
export const F_IGNORE_FUNCTIONS = 256;
const INDENT_SHIFT = 16; // the indent level lives above the flags

/** What `=` after a REPL line uses. */
export const REPL_FLAGS = F_LIMIT | F_SOME_NEWLINES | F_PRETTY | F_SHOW_DEVICES | F_SHOW_OBJECT_NAMES | F_DROP_QUOTES;
/** What print() and console.log use for non-strings. */
export const PRINT_FLAGS = F_LIMIT | F_SOME_NEWLINES | F_PRETTY | F_SHOW_DEVICES;

const LIMIT_AMOUNT = 15;
const LIMITED_AMOUNT = 5;
const LIMIT_STRING_AMOUNT = 60;
const LIMITED_STRING_AMOUNT = 27;
const ITEMS_ON_LINE_OBJECT = 4;
const LIMIT_TEXT = " ... ";

/** A host object standing for an Espruino device (USB, Serial1…) or pin prints as its name. */
export interface Named {
  espruinoName(): string;
}

function isNamed(v: unknown): v is Named {
  return typeof v === "object" && v !== null && typeof (v as Named).espruinoName === "function";
}

function isTyped(v: unknown): v is ArrayLike<number> & { constructor: { name: string } } {
  return ArrayBuffer.isView(v) && !(v instanceof DataView) && Object.prototype.toString.call(v) !== "[object DataView]";
}

function isArrayBuffer(v: unknown): v is ArrayBuffer {
  return Object.prototype.toString.call(v) === "[object ArrayBuffer]";
}

/** Espruino's %q: a double-quoted string with escapes. */
export function quote(s: string): string {
  let o = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s.charAt(i);
    if (ch === '"' || ch === "\\") o += "\\" + ch;
    else if (ch === "\n") o += "\\n";
    else if (ch === "\r") o += "\\r";
    else if (ch === "\t") o += "\\t";
    else if (c < 32 || c === 127) o += "\\x" + (c < 16 ? "0" : "") + c.toString(16).toUpperCase();
    else o += ch;
  }
  return o + '"';
}

/** Numbers the way Espruino prints them as far as V8 allows (integers exact; -0 as 0). */
function num(n: number): string {
  if (Object.is(n, -0)) return "0";
  return String(n);
}

function needsNewLine(v: unknown): boolean {
  return !(v === undefined || v === null || typeof v === "number" || typeof v === "boolean");
}

function newLine(flags: number): string {
  return "\n" + "  ".repeat(flags >>> INDENT_SHIFT);
}

const ID = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function objectItems(v: Record<string, unknown>, keys: string[], flags: number, nflags: number, first: boolean, seen: Set<unknown>): [string, boolean] {
  let out = "";
  let needNL = false;
  let since = 0;
  for (const k of keys) {
    const item = v[k];
    const hidden = ((flags & F_IGNORE_FUNCTIONS) && typeof item === "function") || ((flags & F_NO_UNDEFINED) && item === undefined);
    if (hidden) continue;
    since++;
    if (!first) out += flags & F_PRETTY ? ", " : ",";
    let newNeeds = (flags & F_SOME_NEWLINES) !== 0 && needsNewLine(item);
    if ((flags & F_SOME_NEWLINES) && since > ITEMS_ON_LINE_OBJECT) needNL = true;
    if (needNL || newNeeds) {
      out += newLine(nflags);
      needNL = false;
      since = 0;
    }
    const bare = (flags & F_DROP_QUOTES) && (/^\d+$/.test(k) || (k.length < 63 && ID.test(k)));
    out += (bare ? k : quote(k)) + (flags & F_PRETTY ? ": " : ":");
    first = false;
    out += fmt(item, nflags, seen);
    needNL = newNeeds;
  }
  return [out, needNL];
}

function fmt(v: unknown, flags: number, seen: Set<unknown>): string {
  const nflags = flags + (1 << INDENT_SHIFT);
  if (v === undefined) return flags & F_NO_UNDEFINED ? "null" : "undefined";
  if (v === null) return "null";
  if (typeof v === "number") return (flags & F_NO_UNDEFINED) && !isFinite(v) ? "null" : num(v);
  if (typeof v === "boolean") return String(v);
  if (typeof v === "string") {
    if ((flags & F_LIMIT) && v.length > LIMIT_STRING_AMOUNT) return quote(v.substr(0, LIMITED_STRING_AMOUNT)) + LIMIT_TEXT + quote(v.substr(v.length - LIMITED_STRING_AMOUNT));
    return quote(v);
  }
  if (typeof v === "function") {
    if (flags & F_IGNORE_FUNCTIONS) return "undefined";
    const src = Function.prototype.toString.call(v);
    const m = /^(?:function\s*[\w$]*)?\s*\(([^)]*)\)/.exec(src);
    return "function (" + (m ? m[1].replace(/\s+/g, "") : "") + ") " + (flags & F_LIMIT ? "{" + LIMIT_TEXT + "}" : "{ [native code] }");
  }
  if (typeof v !== "object") return String(v);
  if (isNamed(v)) return (flags & F_SHOW_DEVICES) || !("toJSON" in v) ? v.espruinoName() : quote(v.espruinoName());
  if (seen.has(v)) return LIMIT_TEXT;
  seen.add(v);
  try {
    if (Array.isArray(v)) {
      const len = v.length;
      const limited = (flags & F_LIMIT) !== 0 && len > LIMIT_AMOUNT;
      let out = flags & F_PRETTY ? "[ " : "[";
      let needNL = false;
      let first = true;
      for (let i = 0; i < len; i++) {
        if (limited && i >= LIMITED_AMOUNT && i < len - LIMITED_AMOUNT) continue;
        if (!first) out += flags & F_PRETTY ? ", " : ",";
        first = false;
        if (limited && i === len - LIMITED_AMOUNT) out += LIMIT_TEXT;
        const item = v[i];
        const newNeeds = (flags & F_SOME_NEWLINES) !== 0 && needsNewLine(item);
        if (needNL || newNeeds) {
          out += newLine(nflags);
          needNL = false;
        }
        out += fmt(item, nflags, seen);
        needNL = newNeeds;
      }
      if (flags & F_PRETTY) {
        const extra = Object.keys(v).filter((k) => !/^\d+$/.test(k));
        if (extra.length) {
          const r = objectItems(v as unknown as Record<string, unknown>, extra, flags, nflags, first, seen);
          out += r[0];
          needNL = r[1];
        }
      }
      if (needNL) out += newLine(flags);
      return out + (flags & F_PRETTY ? " ]" : "]");
    }
    if (isTyped(v) || isArrayBuffer(v)) {
      const basic = isArrayBuffer(v);
      const arr: ArrayLike<number> = basic ? new Uint8Array(v as ArrayBuffer) : (v as ArrayLike<number>);
      const name = basic ? "Uint8Array" : Object.prototype.toString.call(v).slice(8, -1);
      const asArray = (flags & F_ARRAYBUFFER_AS_ARRAY) !== 0;
      let allZero = true;
      for (let i = 0; i < arr.length; i++) if (arr[i] !== 0) allZero = false;
      if (allZero && !asArray) return "new " + (basic ? "ArrayBuffer" : name) + "(" + arr.length + ")";
      const limited = (flags & F_LIMIT) !== 0 && arr.length > LIMIT_AMOUNT;
      let out = asArray ? "[" : "new " + name + "([";
      for (let i = 0; i < arr.length; i++) {
        if (limited && i >= LIMITED_AMOUNT && i < arr.length - LIMITED_AMOUNT) continue;
        if (i > 0) out += flags & F_PRETTY ? ", " : ",";
        if (limited && i === arr.length - LIMITED_AMOUNT) out += LIMIT_TEXT;
        out += num(arr[i]);
      }
      out += asArray ? "]" : "])";
      if (basic && !asArray) out += ".buffer";
      return out;
    }
    const o = v as Record<string, unknown>;
    if (typeof o.toJSON === "function" && !(flags & F_SHOW_OBJECT_NAMES)) return fmt((o.toJSON as () => unknown)(), flags, seen);
    let prefix = "";
    const proto = Object.getPrototypeOf(o);
    if ((flags & F_SHOW_OBJECT_NAMES) && proto && proto !== Object.prototype && proto.constructor && proto.constructor.name && proto.constructor.name !== "Object") {
      prefix = proto.constructor.name + ": ";
      if (o.toString !== Object.prototype.toString && typeof o.toString === "function" && !/^\[object /.test(String(o))) return prefix + String(o);
    }
    if (o instanceof Error || Object.prototype.toString.call(o) === "[object Error]") return prefix + String(o);
    const r = objectItems(o, Object.keys(o), flags, nflags, true, seen);
    return prefix + (flags & F_PRETTY ? "{ " : "{") + r[0] + (r[1] ? newLine(flags) : "") + (flags & F_PRETTY ? " }" : "}");
  } finally {
    seen.delete(v);
  }
}

/** A value as Espruino's console shows it (jsfPrintJSON with these flags). */
export function espruinoJson(v: unknown, flags: number): string {
  return fmt(v, flags, new Set());
}

/** print()/console.log: strings as they are, everything else as pretty JSON, separated by spaces. */
export function printArgs(args: unknown[]): string {
  return args.map((a) => (typeof a === "string" ? a : espruinoJson(a, PRINT_FLAGS))).join(" ");
}

/** E.toJS: JS source for a value (identifier keys unquoted, undefined as null, typed arrays as arrays). */
export function toJS(v: unknown): string {
  const seen = new Set<unknown>();
  const go = (x: unknown): string => {
    if (x === undefined || x === null) return "null";
    if (typeof x === "number") return isFinite(x) ? num(x) : "null";
    if (typeof x === "boolean") return String(x);
    if (typeof x === "string") return toJsString(x);
    if (typeof x === "function") return "null";
    if (isNamed(x)) return x.espruinoName();
    if (typeof x !== "object" || seen.has(x)) return "null";
    seen.add(x);
    try {
      if (Array.isArray(x)) return "[" + x.map(go).join(",") + "]";
      if (isTyped(x)) return "[" + Array.prototype.map.call(x, (n: number) => num(n)).join(",") + "]";
      if (isArrayBuffer(x)) return "[" + Array.prototype.join.call(new Uint8Array(x), ",") + "]";
      const o = x as Record<string, unknown>;
      const parts: string[] = [];
      for (const k of Object.keys(o)) {
        if (typeof o[k] === "function") continue;
        parts.push((ID.test(k) ? k : toJsString(k)) + ":" + go(o[k]));
      }
      return "{" + parts.join(",") + "}";
    } finally {
      seen.delete(x);
    }
  };
  return go(v);
}

/** A string as E.toJS writes it: double quotes; control characters as \x escapes. */
function toJsString(s: string): string {
  let o = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s.charAt(i);
    if (ch === '"' || ch === "\\") o += "\\" + ch;
    else if (ch === "\n") o += "\\n";
    else if (ch === "\r") o += "\\r";
    else if (ch === "\t") o += "\\t";
    else if (c < 32 || c === 127) o += "\\x" + (c < 16 ? "0" : "") + c.toString(16);
    else o += ch;
  }
  return o + '"';
}

/**
 * Espruino's liberal JSON (jswrap_json_parse_liberal): JSON, plus unquoted identifier keys and single-quoted strings.
 * Returns undefined when it cannot be parsed.
 */
export function parseLiberal(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    /* fall through */
  }
  let out = "";
  let i = 0;
  while (i < s.length) {
    const c = s.charAt(i);
    if (c === '"' || c === "'") {
      let j = i + 1;
      let body = "";
      while (j < s.length && s.charAt(j) !== c) {
        if (s.charAt(j) === "\\") {
          body += s.substr(j, 2);
          j += 2;
        } else {
          const ch = s.charAt(j);
          body += ch === '"' ? '\\"' : ch;
          j++;
        }
      }
      out += '"' + body + '"';
      i = j + 1;
      continue;
    }
    const m = /^[A-Za-z_$][\w$]*/.exec(s.substr(i));
    if (m) {
      const rest = s.substr(i + m[0].length);
      if (/^\s*:/.test(rest)) out += JSON.stringify(m[0]);
      else out += m[0];
      i += m[0].length;
      continue;
    }
    out += c;
    i++;
  }
  try {
    return JSON.parse(out);
  } catch {
    return undefined;
  }
}

/**
 * Heatshrink decompression with Espruino's parameters (window 2^8, lookahead 2^6): the bit stream is MSB first; a 1
 * bit precedes an 8-bit literal, a 0 bit an 8-bit (offset - 1) and a 6-bit (count - 1) back-reference.
 */
export function heatshrinkDecode(input: Uint8Array): Uint8Array {
  const out: number[] = [];
  let byte = 0;
  let bitsLeft = 0;
  let pos = 0;
  const bits = (n: number): number => {
    let v = 0;
    for (let i = 0; i < n; i++) {
      if (bitsLeft === 0) {
        if (pos >= input.length) return -1;
        byte = input[pos++];
        bitsLeft = 8;
      }
      bitsLeft--;
      v = (v << 1) | ((byte >> bitsLeft) & 1);
    }
    return v;
  };
  for (;;) {
    const tag = bits(1);
    if (tag < 0) break;
    if (tag === 1) {
      const lit = bits(8);
      if (lit < 0) break;
      out.push(lit);
    } else {
      const idx = bits(8);
      if (idx < 0) break;
      const cnt = bits(6);
      if (cnt < 0) break;
      const offset = idx + 1;
      for (let i = 0; i <= cnt; i++) out.push(offset <= out.length ? out[out.length - offset] : 0);
    }
  }
  return Uint8Array.from(out);
}

/** Latin-1 bytes of a byte string (chars above 0xFF keep their low byte, as Espruino's strings do). */
export function bytesOf(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 255;
  return b;
}

/** A byte string of bytes. */
export function strOf(b: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode.apply(null, Array.prototype.slice.call(b, i, i + 8192) as number[]);
  return s;
}
