// The disassembler: a readable listing of a loaded image, derived entirely from OPCODES (names, operand kinds) and
// the operator tables in opcodes.ts, so a new opcode needs no change here. Also programOf(), which turns an Image
// back into the Program it was serialised from. Host only (tools, tests, `espy dis`): never bundled for a board.

import { OPCODES, Arg, BINOPS, BINOP_INPLACE, UNOPS, CMPOPS, MF_DEFAULTS, MF_KWDEFAULTS, MF_CLOSURE } from "./opcodes";
import { Op } from "./generated/op";
import { Image, Program, Const, CodeObject, ConstKind, CF } from "./code";
import {
  LineMap,
  F_LINES,
  F_STRIPPED,
  F_BIGINT,
  F_FLOAT,
  imageName,
  constInt,
  constFloat,
  constTuple,
  lineFor,
  mapMatches,
} from "./image";

const CODE_FLAG_NAMES = ["GENERATOR", "COROUTINE", "ASYNC_GENERATOR", "VARARGS", "VARKEYWORDS", "CLASS_BODY", "MODULE", "NESTED"];
const IMAGE_FLAG_NAMES: [number, string][] = [
  [F_LINES, "LINES"],
  [F_STRIPPED, "STRIPPED"],
  [F_BIGINT, "BIGINT"],
  [F_FLOAT, "FLOAT"],
];
const CONST_KIND_NAMES = ["?", "str", "bytes", "int", "bigint", "float", "tuple", "ellipsis"];

function flagNames(flags: number): string {
  const out: string[] = [];
  for (let i = 0; i < CODE_FLAG_NAMES.length; i++) if (flags & (1 << i)) out.push(CODE_FLAG_NAMES[i]);
  return out.length ? out.join(" | ") : "0";
}

/** Byte string (one char per byte) → JS string, decoding UTF-8. */
function utf8(s: string): string {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return new TextDecoder().decode(b);
}

function quoteFor(s: string): string {
  return s.includes("'") && !s.includes('"') ? '"' : "'";
}

/** Python's repr() of a str given as UTF-8 bytes. */
export function strRepr(bytes: string): string {
  const s = utf8(bytes);
  const q = quoteFor(s);
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === q || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || c === 0xad) out += "\\x" + c.toString(16).padStart(2, "0");
    else if (c >= 0xd800 && c <= 0xdfff) out += "\\u" + c.toString(16);
    else out += ch;
  }
  return out + q;
}

/** Python's repr() of a bytes object given as a byte string. */
export function bytesRepr(bytes: string): string {
  const q = quoteFor(bytes);
  let out = "b" + q;
  for (let i = 0; i < bytes.length; i++) {
    const ch = bytes[i];
    const c = bytes.charCodeAt(i);
    if (ch === q || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || c >= 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + q;
}

/** Python's repr() of a float: the shortest round-trip digits, in fixed notation when 1e-4 <= |x| < 1e16. */
export function floatRepr(x: number): string {
  if (x !== x) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return 1 / x < 0 ? "-0.0" : "0.0";
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(x.toExponential())!;
  const sign = m[1];
  const digits = m[2] + (m[3] || "");
  const exp = Number(m[4]);
  if (exp >= -4 && exp < 16) {
    if (exp < 0) return sign + "0." + "0".repeat(-exp - 1) + digits;
    if (digits.length <= exp + 1) return sign + digits + "0".repeat(exp + 1 - digits.length) + ".0";
    return sign + digits.slice(0, exp + 1) + "." + digits.slice(exp + 1);
  }
  const mant = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
  return sign + mant + "e" + (exp < 0 ? "-" : "+") + String(Math.abs(exp)).padStart(2, "0");
}

function bigintText(img: Image, i: number): string {
  const o = img.constOff[i];
  const n = img.constLen[i] - 1;
  let v = BigInt(0);
  for (let k = n; k >= 1; k--) v = v * BigInt(256) + BigInt(img.bytes[o + k]);
  return (img.bytes[o] ? "-" : "") + v.toString();
}

function byteString(b: Uint8Array, off: number, len: number): string {
  let s = "";
  for (let k = 0; k < len; k++) s += String.fromCharCode(b[off + k]);
  return s;
}

/** The constant's value as a Program constant. */
function constOf(img: Image, i: number): Const {
  const k = img.constKind[i];
  const raw = () => byteString(img.bytes, img.constOff[i], img.constLen[i]);
  switch (k) {
    case ConstKind.STR:
      return { t: "str", v: raw() };
    case ConstKind.BYTES:
      return { t: "bytes", v: raw() };
    case ConstKind.INT:
      return { t: "int", v: constInt(img, i) };
    case ConstKind.BIGINT:
      return { t: "bigint", v: bigintText(img, i) };
    case ConstKind.FLOAT:
      return { t: "float", v: constFloat(img, i) };
    case ConstKind.TUPLE:
      return { t: "tuple", v: constTuple(img, i) };
  }
  return { t: "ellipsis" };
}

/** Python repr() of constant i. */
export function constRepr(img: Image, i: number): string {
  const c = constOf(img, i);
  switch (c.t) {
    case "str":
      return strRepr(c.v);
    case "bytes":
      return bytesRepr(c.v);
    case "int":
      return String(c.v);
    case "bigint":
      return c.v;
    case "float":
      return floatRepr(c.v);
    case "tuple":
      return c.v.length === 1 ? "(" + constRepr(img, c.v[0]) + ",)" : "(" + c.v.map((j) => constRepr(img, j)).join(", ") + ")";
  }
  return "Ellipsis";
}

function field(img: Image, ci: number, f: number): number {
  return img.codes[ci * CF.CODE_FIELDS + f];
}

/** The Program an image was serialised from (with its line tables taken from `map` when the image is stripped). */
export function programOf(img: Image, map?: LineMap | null): Program {
  const names: string[] = [];
  for (let i = 0; i < img.nameOff.length; i++) names.push(imageName(img, i));
  const consts: Const[] = [];
  for (let i = 0; i < img.constKind.length; i++) consts.push(constOf(img, i));
  const useMap = !!map && (img.flags & F_STRIPPED) !== 0 && mapMatches(img, map);
  const codes: CodeObject[] = [];
  for (let ci = 0; ci < img.ncodes; ci++) {
    const f = (k: number) => field(img, ci, k);
    const nv = f(CF.C_NLOCALS) + f(CF.C_NCELLS) + f(CF.C_NFREE);
    const lines = useMap
      ? map!.bytes.slice(map!.off[ci], map!.off[ci] + map!.len[ci])
      : img.bytes.slice(f(CF.C_LINES), f(CF.C_LINES) + f(CF.C_LINESLEN));
    codes.push({
      name: f(CF.C_NAME),
      qualname: f(CF.C_QUALNAME),
      flags: f(CF.C_FLAGS),
      argcount: f(CF.C_ARGCOUNT),
      posonlyCount: f(CF.C_POSONLY),
      kwonlyCount: f(CF.C_KWONLY),
      nlocals: f(CF.C_NLOCALS),
      ncells: f(CF.C_NCELLS),
      nfree: f(CF.C_NFREE),
      varnames: Array.from(img.varnames.subarray(f(CF.C_VARNAMES), f(CF.C_VARNAMES) + nv)),
      stacksize: f(CF.C_STACKSIZE),
      nblocks: f(CF.C_NBLOCKS),
      firstline: f(CF.C_FIRSTLINE),
      code: img.bytes.slice(f(CF.C_CODE), f(CF.C_CODE) + f(CF.C_CODELEN)),
      lines,
    });
  }
  return { filename: names[img.filename], names, consts, codes };
}

/** Reads one instruction at bytes[p]: its opcode, operand and length. */
export function decodeAt(bytes: Uint8Array, p: number): { op: number; arg: number; size: number } {
  const op = bytes[p];
  const kind = OPCODES[op].arg;
  if (kind === Arg.NONE) return { op, arg: 0, size: 1 };
  if (kind === Arg.JUMP) return { op, arg: bytes[p + 1] | (bytes[p + 2] << 8), size: 3 };
  let v = 0;
  let s = 1;
  let q = p + 1;
  let b: number;
  do {
    b = bytes[q++];
    v += (b & 127) * s;
    s *= 128;
  } while (b & 128);
  if (kind === Arg.SINT) v = v % 2 ? -(v + 1) / 2 : v / 2;
  return { op, arg: v, size: q - p };
}

/** What an operand means, for the listing. */
function meaning(img: Image, ci: number, op: number, arg: number): string {
  const name = (i: number) => utf8(imageName(img, i));
  const varname = (slot: number) => name(img.varnames[field(img, ci, CF.C_VARNAMES) + slot]);
  switch (OPCODES[op].arg) {
    case Arg.NAME:
      return name(arg);
    case Arg.CONST:
      return constRepr(img, arg);
    case Arg.LOCAL:
    case Arg.DEREF:
      return varname(arg);
    case Arg.FUNC: {
      const f = arg >> 3;
      const parts = ["code " + f + " " + name(field(img, f, CF.C_NAME))];
      if (arg & MF_DEFAULTS) parts.push("defaults");
      if (arg & MF_KWDEFAULTS) parts.push("kwdefaults");
      if (arg & MF_CLOSURE) parts.push("closure");
      return parts.join(", ");
    }
  }
  switch (op) {
    case Op.BINARY_OP:
      return BINOPS[arg & 15] + (arg & BINOP_INPLACE ? "=" : "");
    case Op.UNARY_OP:
      return UNOPS[arg];
    case Op.COMPARE_OP:
      return CMPOPS[arg];
    case Op.IS_OP:
      return arg ? "is not" : "is";
    case Op.CONTAINS_OP:
      return arg ? "not in" : "in";
    case Op.CALL_FUNCTION_EX:
      return arg ? "with kwargs" : "";
    case Op.FORMAT_VALUE:
      return ["", "str", "repr", "ascii"][arg & 3] + (arg & 4 ? (arg & 3 ? ", " : "") + "with spec" : "");
    case Op.UNPACK_EX:
      return (arg & 255) + " before, " + (arg >> 8) + " after";
  }
  return "";
}

/**
 * A listing of the image: per code object a header and one line per instruction (offset, source line where it
 * changes, opcode, operand and its meaning), then the constant and name tables. `map` supplies the line numbers of
 * a stripped image.
 */
export function disasm(img: Image, map?: LineMap | null): string {
  const out: string[] = [];
  const name = (i: number) => utf8(imageName(img, i));
  const flags = IMAGE_FLAG_NAMES.filter((f) => img.flags & f[0]).map((f) => f[1]);
  out.push(
    `image ${JSON.stringify(name(img.filename))}: version ${img.version}, flags ${flags.join(" | ") || "0"}, ` +
      `${img.bytes.length} bytes, crc ${img.crc.toString(16).padStart(8, "0")}`,
  );
  const m = map && mapMatches(img, map) ? map : null;
  const haveLines = !(img.flags & F_STRIPPED) || m !== null;
  for (let ci = 0; ci < img.ncodes; ci++) {
    const f = (k: number) => field(img, ci, k);
    out.push("");
    out.push(`code ${ci}: ${name(f(CF.C_NAME))}` + (f(CF.C_QUALNAME) !== f(CF.C_NAME) ? ` (${name(f(CF.C_QUALNAME))})` : ""));
    out.push(`  flags ${flagNames(f(CF.C_FLAGS))}; first line ${f(CF.C_FIRSTLINE)}`);
    out.push(
      `  args ${f(CF.C_ARGCOUNT)} (posonly ${f(CF.C_POSONLY)}, kwonly ${f(CF.C_KWONLY)}), locals ${f(CF.C_NLOCALS)}, ` +
        `cells ${f(CF.C_NCELLS)}, free ${f(CF.C_NFREE)}, stack ${f(CF.C_STACKSIZE)}, blocks ${f(CF.C_NBLOCKS)}`,
    );
    const slots: string[] = [];
    const nv = f(CF.C_NLOCALS) + f(CF.C_NCELLS) + f(CF.C_NFREE);
    for (let s = 0; s < nv; s++) {
      const kind = s < f(CF.C_NLOCALS) ? "" : s < f(CF.C_NLOCALS) + f(CF.C_NCELLS) ? "cell " : "free ";
      slots.push(`${s} ${kind}${name(img.varnames[f(CF.C_VARNAMES) + s])}`);
    }
    if (slots.length) out.push("  slots: " + slots.join(", "));
    const start = f(CF.C_CODE);
    let lastLine = -1;
    for (let pc = 0; pc < f(CF.C_CODELEN); ) {
      const ins = decodeAt(img.bytes, start + pc);
      const info = OPCODES[ins.op];
      let lineCol = "";
      if (haveLines) {
        const line = lineFor(img, m, ci, pc);
        if (line !== lastLine) lineCol = String(line);
        lastLine = line;
      }
      let text = info.name;
      if (info.arg === Arg.JUMP) text = text.padEnd(22) + "to " + ins.arg;
      else if (info.arg !== Arg.NONE) {
        const what = meaning(img, ci, ins.op, ins.arg);
        text = text.padEnd(22) + ins.arg + (what ? " (" + what + ")" : "");
      }
      out.push(`${lineCol.padStart(6)} ${String(pc).padStart(5)}  ${text}`);
      pc += ins.size;
    }
  }
  out.push("");
  out.push("constants:");
  for (let i = 0; i < img.constKind.length; i++)
    out.push(`  ${String(i).padStart(3)} ${CONST_KIND_NAMES[img.constKind[i]].padEnd(8)} ${constRepr(img, i)}`);
  out.push("names:");
  for (let i = 0; i < img.nameOff.length; i++) out.push(`  ${String(i).padStart(3)} ${name(i)}`);
  return out.join("\n") + "\n";
}
