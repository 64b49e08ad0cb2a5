// Parts of the runtime that are loaded on first use, so the resident runtime stays small. In their own Storage
// files: the compiler (espy-cc.js), bigint arithmetic (espy-big.js) and float formatting (espy-flt.js); such a part
// is one expression: evaluating it leaves its exports, in an order fixed by scripts/build.mjs, in G.__espyPart.
// In a comment at the end of the runtime's own file (espy.js): the builtin modules (math, re, collections…; see
// modparts.ts). Evaluating Storage text in place keeps its function bodies in flash.
import { G } from "./api";

/** Blocks Espruino keeps free after loading a part (its own temporaries, the console). */
const PART_MARGIN = 150;

/**
 * The exports of part `file` (an array), or null if the board does not have it. A part opens with `/*blocks:N*\/`,
 * what its functions take once evaluated (scripts/build.mjs); Espruino running out of blocks cannot be caught, so a
 * part the board has no room for is an error here instead.
 */
export function loadPart(file: string): any[] | null {
  const S = G.require("Storage");
  const src = S.read(file);
  if (src === undefined) return null;
  const m = /^\/\*blocks:(\d+)\*\//.exec(S.read(file, 0, 24) || "");
  const need = (m ? +m[1] : 0) + PART_MARGIN;
  if (G.process.memory(false).free < need && G.process.memory().free < need)
    throw new Error("no room to load " + file + ": it needs about " + need + " blocks, " + G.process.memory(false).free + " are free");
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
