// Errors the compiler raises. Not a JS Error subclass (Espruino's Error subclasses lose their fields); thrown as a
// plain value and turned into a Python SyntaxError (or IndentationError) by whoever called the compiler.

export class CompileError {
  /** type: "SyntaxError" or "IndentationError"; line from 1, col from 0 (in bytes of the line). */
  constructor(
    public type: string,
    public msg: string,
    public line: number,
    public col: number,
  ) {}
}

export function isCompileError(e: unknown): e is CompileError {
  return e instanceof CompileError;
}
