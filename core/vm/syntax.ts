// Compile errors inside a running program (exec, eval, compile, import) become Python SyntaxError objects
// carrying msg, filename, lineno, offset and text, as CPython's do.
import { imm, smi, LY } from "./layout";
import type { Vm } from "./vm";
import { T } from "./types";
import type { CompileError } from "../errors";
import { raiseObj, newExc } from "./exc";
import { newTuple } from "../obj/seq";
import { str } from "../obj/str";

export function raiseSyntaxError(vm: Vm, e: CompileError, filename: string, src: string | null): never {
  const H = vm.H;
  const detail = newTuple(vm, 4);
  vm.tpush(detail);
  H[(detail >> 2) + LY.TUP_ITEMS] = str(vm, filename);
  H[(detail >> 2) + LY.TUP_ITEMS + 1] = smi(e.line);
  H[(detail >> 2) + LY.TUP_ITEMS + 2] = smi(e.col + 1);
  let text = LY.NONE;
  if (src !== null) {
    const line = src.split("\n")[e.line - 1];
    if (line !== undefined) text = str(vm, line);
  }
  H[(detail >> 2) + LY.TUP_ITEMS + 3] = text;
  const args = newTuple(vm, 2);
  vm.tpush(args);
  H[(args >> 2) + LY.TUP_ITEMS] = str(vm, e.msg);
  H[(args >> 2) + LY.TUP_ITEMS + 1] = detail;
  const exc = newExc(vm, imm(e.type === "IndentationError" ? T.INDENTATION_ERROR : T.SYNTAX_ERROR), args);
  vm.tpop(2);
  throw raiseObj(vm, exc);
}
