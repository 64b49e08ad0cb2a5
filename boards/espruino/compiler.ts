// The compiler part (espy-cc.js): core's compiler for exec(), eval() and compile() on the board. The lean runtime
// loads it from Storage on first use; the full runtime has it built in (full.ts). It imports the compiler's own files
// (not core/index), so the part carries no copy of the VM.
import { compile } from "../../core/compiler";
import { serialize } from "../../core/image";
import { isCompileError } from "../../core/errors";
import type { CompileFn } from "./runtime";

export const compileSource: CompileFn = function (src, filename, mode) {
  try {
    return serialize(compile(src, filename, mode as "exec", 0), false);
  } catch (e) {
    if (isCompileError(e)) return { type: e.type, msg: e.msg, line: e.line, col: e.col };
    throw e;
  }
};
