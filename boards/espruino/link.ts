// How the resident runtime hands its functions to the builtin modules that live as parts (math, re, collections…).
// scripts/build.mjs replaces this file in each device image with a generated one: a part is `(function(a, b, …){…})`
// and linkPart calls it with the resident bindings it imports, in the order the build fixed; partSpan says where
// the part's code is in the runtime's own Storage file. This default is for images without module parts.

/** Call part p's function with the resident bindings it imports. */
export function linkPart(p: number, f: any): void {
  void p;
  void f;
}

/**
 * [chars from the start of part p's code to the end of the runtime file, its length, the blocks it is estimated to
 * take once loaded and its module imported]; [0, 0, 0] for none.
 */
export function partSpan(p: number): number[] {
  void p;
  return [0, 0, 0];
}

/** Written before each part's code ("@" + token + "\n"), so a runtime never evaluates another build's text. */
export const PARTS_TOKEN = "";
