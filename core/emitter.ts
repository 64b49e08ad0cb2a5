// The bytecode buffer of one code object: operand encoding, labels and jump patching, stack- and block-depth
// tracking from the opcode table (opinfo.ts), and line recording. The compiler says *what* to emit; this file knows
// the byte format. Code that cannot be reached (after a return, raise, jump…) is dropped as it is emitted, so every
// instruction kept has one known stack depth, and the verifier's flow analysis sees no dead code.

import { Arg } from "./opcodes";
import { opArg, opBlockEffect, opTerminal, stackEffect } from "./opinfo";
import { encodeLines } from "./linetable";
import { CompileError } from "./errors";

const MAX_CODE = 65535; // jump operands are 2-byte absolute offsets

export class Emitter {
  code: Uint8Array;
  len: number;
  depth: number; // stack depth at the current point (when reachable)
  maxDepth: number;
  blocks: number; // block-stack depth
  maxBlocks: number;
  /** The current point cannot be reached: instructions are dropped until a label someone jumps to is bound. */
  dead: boolean;
  /** > 0 while compiling code that must not be emitted at all (`if 0:` bodies): everything is dropped. */
  suppress: number;
  /** Source line given to the instructions emitted from now on. */
  line: number;
  lastLine: number;
  linePairs: number[]; // offset, line, offset, line…
  // Labels, by index: position (-1 unbound; -2 bound where unreachable and never jumped to), the stack and block
  // depths a jump there carries (-1 unknown yet), and the head of the chain of forward jump operands to patch
  // (0: none; each operand holds the next site until the label is bound).
  lpos: number[];
  ldepth: number[];
  lblocks: number[];
  lchain: number[];

  constructor(line: number) {
    this.code = new Uint8Array(64);
    this.len = 0;
    this.depth = 0;
    this.maxDepth = 0;
    this.blocks = 0;
    this.maxBlocks = 0;
    this.dead = false;
    this.suppress = 0;
    this.line = line;
    this.lastLine = -1;
    this.linePairs = [];
    this.lpos = [];
    this.ldepth = [];
    this.lblocks = [];
    this.lchain = [];
  }

  /** Whether instructions emitted now are kept. */
  live(): boolean {
    return !this.dead && this.suppress === 0;
  }

  private byte(b: number): void {
    if (this.len >= MAX_CODE)
      throw new CompileError("SyntaxError", "code too large: a function's bytecode passes 65535 bytes", this.line, 0);
    if (this.len >= this.code.length) {
      const n = new Uint8Array(this.code.length * 2);
      n.set(this.code);
      this.code = n;
    }
    this.code[this.len++] = b;
  }

  private varint(v: number): void {
    while (v > 127) {
      this.byte((v % 128) | 128);
      v = Math.floor(v / 128);
    }
    this.byte(v);
  }

  private start(op: number): number {
    if (this.line !== this.lastLine) {
      this.linePairs.push(this.len, this.line);
      this.lastLine = this.line;
    }
    const at = this.len;
    this.byte(op);
    return at;
  }

  private after(op: number, arg: number): void {
    const d = this.depth + stackEffect(op, arg, false);
    if (d < 0) throw new Error("emitter: stack underflow at offset " + this.len + " (opcode " + op + ")");
    this.depth = d;
    if (d > this.maxDepth) this.maxDepth = d;
    this.blocks += opBlockEffect(op);
    if (this.blocks > this.maxBlocks) this.maxBlocks = this.blocks;
    if (opTerminal(op)) this.dead = true;
  }

  /** An instruction without operand, or with a UINT/SINT/NAME/CONST/LOCAL/DEREF/FUNC operand. */
  op(op: number, arg: number): void {
    if (this.dead || this.suppress > 0) return;
    this.start(op);
    const k = opArg(op);
    if (k === Arg.SINT) this.varint(arg < 0 ? -arg * 2 - 1 : arg * 2);
    else if (k !== Arg.NONE) this.varint(arg);
    this.after(op, arg);
  }

  op0(op: number): void {
    this.op(op, 0);
  }

  newLabel(): number {
    this.lpos.push(-1);
    this.ldepth.push(-1);
    this.lblocks.push(-1);
    this.lchain.push(0);
    return this.lpos.length - 1;
  }

  // A path arrives at label l with the given depths: they must agree with every other path.
  private arrive(l: number, d: number, b: number): void {
    if (this.ldepth[l] < 0) {
      this.ldepth[l] = d;
      this.lblocks[l] = b;
    } else if (this.ldepth[l] !== d || this.lblocks[l] !== b)
      throw new Error(
        "emitter: inconsistent depth at label " + l + " (" + this.ldepth[l] + "/" + this.lblocks[l] + " vs " + d + "/" + b + ")",
      );
    if (d > this.maxDepth) this.maxDepth = d;
    if (b > this.maxBlocks) this.maxBlocks = b;
  }

  /** A JUMP-operand instruction to label l. */
  jump(op: number, l: number): void {
    if (this.dead || this.suppress > 0) return;
    const jd = this.depth + stackEffect(op, 0, true);
    const jb = this.blocks + opBlockEffect(op);
    this.start(op);
    const at = this.len;
    const pos = this.lpos[l];
    if (pos === -2) throw new Error("emitter: jump to a label bound in unreachable code");
    let t: number;
    if (pos >= 0) t = pos;
    else {
      t = this.lchain[l];
      this.lchain[l] = at;
    }
    this.byte(t & 255);
    this.byte(t >> 8);
    this.arrive(l, jd, jb);
    this.after(op, 0);
  }

  /** Places label l here. Code after it is reachable if the current point is or if some jump goes to l. */
  bind(l: number): void {
    if (this.suppress > 0) return;
    if (this.lpos[l] !== -1) throw new Error("emitter: label " + l + " bound twice");
    if (this.dead) {
      if (this.ldepth[l] < 0) {
        this.lpos[l] = -2;
        return;
      }
      this.dead = false;
      this.depth = this.ldepth[l];
      this.blocks = this.lblocks[l];
    } else this.arrive(l, this.depth, this.blocks);
    const pos = this.len;
    this.lpos[l] = pos;
    let site = this.lchain[l];
    while (site !== 0) {
      const next = this.code[site] | (this.code[site + 1] << 8);
      this.code[site] = pos & 255;
      this.code[site + 1] = pos >> 8;
      site = next;
    }
    this.lchain[l] = 0;
  }

  /** The finished bytecode, its line table, and the exact stack and block depths. */
  finish(firstline: number): { code: Uint8Array; lines: Uint8Array; stacksize: number; nblocks: number } {
    for (let l = 0; l < this.lchain.length; l++)
      if (this.lchain[l] !== 0) throw new Error("emitter: label " + l + " used but never bound");
    if (!this.dead) throw new Error("emitter: code falls off the end");
    return {
      code: this.code.slice(0, this.len),
      lines: encodeLines(firstline, this.linePairs),
      stacksize: this.maxDepth,
      nblocks: this.maxBlocks,
    };
  }
}
