// Code objects: what the compiler produces (Program) and what the image loader hands the VM (Image).
// The compiler builds a Program of plain JS objects; image.ts serialises it to bytes and loads bytes back into an
// Image, whose tables are typed arrays indexing into the bytes in place (the device never copies bytecode).

/** Code flags. */
export const CO_GENERATOR = 1; // calling returns a generator
export const CO_COROUTINE = 2; // `async def`: calling returns a coroutine
export const CO_ASYNC_GENERATOR = 4; // `async def` with `yield`
export const CO_VARARGS = 8; // has *args (its slot follows the keyword-only arguments)
export const CO_VARKEYWORDS = 16; // has **kwargs (its slot follows *args)
export const CO_CLASS_BODY = 32; // a class body: names go through the frame's locals dict
export const CO_MODULE = 64; // module level: the locals dict is the globals dict
export const CO_NESTED = 128; // a comprehension, lambda or def inside a function (for qualified names)

/**
 * A constant of the image's file-wide table. Strings and bytes are byte strings (one char per byte). "int" holds any
 * integer that is exact in a double; larger ones are "bigint" with decimal digits and an optional leading "-".
 * Tuple members must be constants earlier in the table.
 */
export type Const =
  | { t: "str"; v: string }
  | { t: "bytes"; v: string }
  | { t: "int"; v: number }
  | { t: "bigint"; v: string }
  | { t: "float"; v: number }
  | { t: "tuple"; v: number[] }
  | { t: "ellipsis" };

/**
 * One function body (module, class body, def, lambda, comprehension).
 *
 * Locals layout, which the VM's frame copies: slots 0 … nlocals-1 are fast locals: first the positional parameters
 * (argcount, the first posonlyCount of them positional-only), then the keyword-only ones (kwonlyCount), then *args
 * if CO_VARARGS, then **kwargs if CO_VARKEYWORDS, then the other locals. Slots nlocals … nlocals+ncells-1 hold cells
 * (variables captured by inner functions), then nfree slots hold the free variables received through the closure.
 * A parameter that is also a cell keeps its fast slot; the compiler's prologue copies it into its cell.
 */
export interface CodeObject {
  name: number; // name-table index: "f", "<module>", "<lambda>", "<listcomp>"…
  qualname: number; // name-table index: "C.f", "f.<locals>.g"
  flags: number;
  argcount: number;
  posonlyCount: number;
  kwonlyCount: number;
  nlocals: number;
  ncells: number;
  nfree: number;
  /** Name-table indices of all nlocals + ncells + nfree slots. */
  varnames: number[];
  stacksize: number;
  /** Deepest block stack (SETUP_* nesting, counting except handlers). */
  nblocks: number;
  firstline: number;
  code: Uint8Array;
  /** Encoded by linetable.ts; empty when stripped. */
  lines: Uint8Array;
}

/** A compiled source file. codes[0] is the module body; MAKE_FUNCTION refers to the others by index. */
export interface Program {
  filename: string; // byte string, as it appears in tracebacks
  names: string[]; // byte strings, each once
  consts: Const[];
  codes: CodeObject[];
}

// -----------------------------------------------------------------------------------------------------------------
// The loaded form (image.ts → VM)

/** Constant kinds in an image. */
export enum ConstKind {
  STR = 1,
  BYTES = 2,
  INT = 3, // zigzag varint (fits a double exactly)
  BIGINT = 4, // sign byte, then magnitude bytes little-endian
  FLOAT = 5, // 8 bytes, IEEE 754 little-endian
  TUPLE = 6, // varint count, then varint constant indices (all smaller than this one's)
  ELLIPSIS = 7,
}

/** Field indices of one code object's row in Image.codes (CODE_FIELDS words per code object). */
export const C_NAME = 0;
export const C_QUALNAME = 1;
export const C_FLAGS = 2;
export const C_ARGCOUNT = 3;
export const C_POSONLY = 4;
export const C_KWONLY = 5;
export const C_NLOCALS = 6;
export const C_NCELLS = 7;
export const C_NFREE = 8;
export const C_STACKSIZE = 9;
export const C_NBLOCKS = 10;
export const C_FIRSTLINE = 11;
export const C_CODE = 12; // byte offset of the bytecode in Image.bytes
export const C_CODELEN = 13;
export const C_LINES = 14; // byte offset of the line table in Image.bytes
export const C_LINESLEN = 15; // 0 when stripped
export const C_VARNAMES = 16; // index of the first of this code's varnames in Image.varnames
export const CODE_FIELDS = 17;

/**
 * A verified image. Everything the VM reads is checked by the loader: operands in range, jumps on instruction
 * boundaries inside their code object, stack depth within stacksize, block depth within nblocks.
 */
export interface Image {
  bytes: Uint8Array;
  version: number;
  flags: number;
  filename: number; // name-table index
  /** Name i is bytes[nameOff[i] .. nameOff[i] + nameLen[i]). */
  nameOff: Int32Array;
  nameLen: Int32Array;
  /** Constant i is of kind constKind[i]; its payload is bytes[constOff[i] .. constOff[i] + constLen[i]). */
  constKind: Uint8Array;
  constOff: Int32Array;
  constLen: Int32Array;
  /** CODE_FIELDS words per code object; code 0 is the module. */
  codes: Int32Array;
  ncodes: number;
  varnames: Int32Array;
  /** The CRC-32 stored at the end of the file: identifies the image (line maps, "unchanged, skip the upload"). */
  crc: number;
}

// The numeric constants above again, as a const enum: esbuild inlines CF.X as a literal where a file uses it that
// way, so hot code reads no module variable (a module's constants are variables in the host bundle); the exports
// above remain for code outside core/.
export const enum CF {
  CO_GENERATOR = 1,
  CO_COROUTINE = 2,
  CO_ASYNC_GENERATOR = 4,
  CO_VARARGS = 8,
  CO_VARKEYWORDS = 16,
  CO_CLASS_BODY = 32,
  CO_MODULE = 64,
  CO_NESTED = 128,
  C_NAME = 0,
  C_QUALNAME = 1,
  C_FLAGS = 2,
  C_ARGCOUNT = 3,
  C_POSONLY = 4,
  C_KWONLY = 5,
  C_NLOCALS = 6,
  C_NCELLS = 7,
  C_NFREE = 8,
  C_STACKSIZE = 9,
  C_NBLOCKS = 10,
  C_FIRSTLINE = 11,
  C_CODE = 12,
  C_CODELEN = 13,
  C_LINES = 14,
  C_LINESLEN = 15,
  C_VARNAMES = 16,
  CODE_FIELDS = 17,
}
