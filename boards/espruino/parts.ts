// Parts of the runtime that are loaded on first use, so the resident runtime stays small. In their own Storage
// files: the compiler (espy-cc.js), bigint arithmetic (espy-big.js) and float formatting (espy-flt.js); such a part
// is one expression: evaluating it leaves its exports, in an order fixed by scripts/build.mjs, in G.__espyPart.
// In a comment at the end of the runtime's own file (espy.js): the builtin modules (math, re, collections…; see
// modparts.ts). Evaluating Storage text in place keeps its function bodies in flash.
import { G } from "./api";

/** The exports of part `file` (an array), or null if the board does not have it. */
export function loadPart(file: string): any[] | null {
  const src = G.require("Storage").read(file);
  if (src === undefined) return null;
  G.eval(src);
  const p = G.__espyPart;
  delete G.__espyPart;
  return p || null;
}

/** Like loadPart, for parts the runtime cannot do without once a program needs them. */
export function needPart(file: string, what: string): any[] {
  const p = loadPart(file);
  if (!p) throw new Error(what + " needs " + file + ", which is not in Storage: upload it with the runtime");
  return p;
}

/** What a part's entry calls with its exports. */
export function exportPart(xs: any[]): void {
  G.__espyPart = xs;
}
