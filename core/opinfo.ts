// The opcode table as device code reads it: packed strings from core/generated/op.ts (which live in flash on a
// board), decoded one char at a time. Host tools that want names and docs use OPCODES in opcodes.ts.
import { Arg } from "./opcodes";
import { Op, OP_ARG, OP_EFFECT, OP_JUMP_EFFECT, OP_BLOCK, OP_TERMINAL } from "./generated/op";

const VAR = 126 - 80; // '~' in the packed effect strings: depends on the operand

export function opArg(op: number): Arg {
  return OP_ARG.charCodeAt(op) - 48;
}

export function opBlockEffect(op: number): number {
  return OP_BLOCK.charCodeAt(op) - 80;
}

export function opTerminal(op: number): boolean {
  return OP_TERMINAL.charCodeAt(op) === 49;
}

/** Net stack effect of one instruction; `jump` selects the taken branch of a JUMP operand. */
export function stackEffect(op: number, arg: number, jump: boolean): number {
  if (jump) return OP_JUMP_EFFECT.charCodeAt(op) - 80;
  const e = OP_EFFECT.charCodeAt(op) - 80;
  if (e !== VAR) return e;
  switch (op) {
    case Op.CALL_METHOD:
      return -arg - 1;
    case Op.CALL_FUNCTION:
      return -arg;
    case Op.CALL_FUNCTION_KW:
      return -arg - 1;
    case Op.CALL_FUNCTION_EX:
      return -1 - (arg & 1);
    case Op.MAKE_FUNCTION:
      return 1 - (arg & 1) - ((arg >> 1) & 1) - ((arg >> 2) & 1);
    case Op.BUILD_MAP:
      return 1 - 2 * arg;
    case Op.FORMAT_VALUE:
      return arg & 4 ? -1 : 0;
    case Op.UNPACK_SEQUENCE:
      return arg - 1;
    case Op.UNPACK_EX:
      return (arg & 255) + (arg >> 8);
    case Op.RAISE_VARARGS:
      return -arg;
  }
  return 1 - arg; // BUILD_TUPLE, BUILD_LIST, BUILD_SET, BUILD_SLICE, BUILD_STRING
}
