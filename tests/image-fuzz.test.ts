// Fuzzing the loader: mutated and random images must each end in an Image or a LoadError (never a throw, never a
// hang), and every accepted image must satisfy the verifier's guarantees, re-checked here by an independent walker
// written from the documented invariants (docs/bytecode.md, "What the verifier guarantees").

import { describe, it, expect } from "vitest";
import { crc32 } from "../core/crc32";
import { serialize, loadImage, isLoadError, stackNeed, F_LINES, F_STRIPPED, F_BIGINT, F_FLOAT, MAX_CODE_LEN } from "../core/image";
import { OPCODES, Arg, MF_CLOSURE } from "../core/opcodes";
import { Op, OP_COUNT } from "../core/generated/op";
import { stackEffect } from "../core/opinfo";
import { encodeLines, lineAt } from "../core/linetable";
import {
  Program,
  CodeObject,
  Const,
  Image,
  ConstKind,
  CODE_FIELDS,
  C_NAME,
  C_QUALNAME,
  C_FLAGS,
  C_ARGCOUNT,
  C_POSONLY,
  C_KWONLY,
  C_NLOCALS,
  C_NCELLS,
  C_NFREE,
  C_STACKSIZE,
  C_NBLOCKS,
  C_CODE,
  C_CODELEN,
  C_LINES,
  C_LINESLEN,
  C_VARNAMES,
  C_FIRSTLINE,
  CO_MODULE,
  CO_CLASS_BODY,
  CO_GENERATOR,
  CO_COROUTINE,
  CO_ASYNC_GENERATOR,
  CO_VARARGS,
  CO_VARKEYWORDS,
} from "../core/code";

// Deterministic PRNG (mulberry32), so a failure reproduces.
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(a: T[]) => a[int(a.length)] };
}
type Rng = ReturnType<typeof rng>;

// ---------------------------------------------------------------------------------------------------------------
// Random well-typed programs: straight-line code that tracks the stack, so most of them verify

const NAME_OPS = new Set([Op.LOAD_NAME, Op.STORE_NAME, Op.DELETE_NAME, Op.LOAD_CLASSDEREF, Op.IMPORT_STAR, Op.SETUP_ANNOTATIONS]);
const YIELD_OPS = new Set([Op.YIELD_VALUE, Op.YIELD_FROM]);

function randomCode(r: Rng, ci: number, ncodes: number, nnames: number, nconsts: number, frees: number[]): CodeObject {
  const flags = ci === 0 ? CO_MODULE : r.pick([0, CO_GENERATOR, CO_CLASS_BODY, CO_COROUTINE, CO_VARARGS]);
  const nlocals = r.int(4) + (flags & CO_VARARGS ? 1 : 0);
  const ncells = r.int(2);
  const nfree = frees[ci];
  const out: number[] = [];
  let depth = 0;
  let maxDepth = 0;
  const n = 1 + r.int(25);
  for (let k = 0; k < n; k++) {
    const op = r.int(OP_COUNT);
    const info = OPCODES[op];
    if (info.terminal || info.arg === Arg.JUMP || info.block !== 0) continue;
    if (NAME_OPS.has(op) && !(flags & (CO_MODULE | CO_CLASS_BODY))) continue;
    if (YIELD_OPS.has(op) && !(flags & (CO_GENERATOR | CO_COROUTINE))) continue;
    let a = 0;
    switch (info.arg) {
      case Arg.NAME: a = r.int(nnames); break;
      case Arg.CONST: if (!nconsts) continue; a = r.int(nconsts); break;
      case Arg.LOCAL: if (!nlocals) continue; a = r.int(nlocals); break;
      case Arg.DEREF: if (!(ncells + nfree)) continue; a = nlocals + r.int(ncells + nfree); break;
      case Arg.FUNC: {
        if (ncodes < 2) continue;
        const f = 1 + r.int(ncodes - 1);
        a = (f << 3) | (r.int(4) & 3) | (frees[f] ? MF_CLOSURE : 0);
        break;
      }
      case Arg.SINT: a = r.int(2000) - 1000; break;
      case Arg.UINT:
        if (op === Op.BUILD_SLICE) a = 2 + r.int(2);
        else if (op === Op.UNPACK_EX) a = r.int(3) | (r.int(3) << 8);
        else if (op === Op.IS_OP || op === Op.CONTAINS_OP || op === Op.CALL_FUNCTION_EX) a = r.int(2);
        else if (OPCODES[op].doc.includes(" .. ") && OPCODES[op].effect < 0) a = 1 + r.int(2); // LIST_APPEND & co
        else a = r.int(3);
        break;
    } // prettier-ignore
    if (depth < stackNeed(op, a)) continue;
    const d = depth + stackEffect(op, a, false);
    if (d < 0 || d > 12) continue;
    out.push(op);
    if (info.arg !== Arg.NONE) {
      let v = info.arg === Arg.SINT ? (a < 0 ? -a * 2 - 1 : a * 2) : a;
      while (v > 127) {
        out.push((v & 127) | 128);
        v >>>= 7;
      }
      out.push(v);
    }
    depth = d;
    maxDepth = Math.max(maxDepth, d);
  }
  // end: a conditional jump over a second return, so the verifier sees a branch and a merge-free join
  if (depth === 0) out.push(Op.LOAD_NONE), (depth = 1), (maxDepth = Math.max(maxDepth, 1));
  const j = out.length;
  out.push(Op.DUP_TOP, Op.POP_JUMP_IF_TRUE, 0, 0, Op.RETURN_VALUE, Op.RETURN_VALUE);
  out[j + 2] = j + 5;
  maxDepth = Math.max(maxDepth, depth + 1);
  const lines: number[] = [];
  for (let off = 0, line = 1; off < out.length; off += 1 + r.int(8)) lines.push(off, (line += r.int(5) - 1));
  return {
    name: r.int(nnames),
    qualname: r.int(nnames),
    flags,
    argcount: flags & CO_VARARGS ? nlocals - 1 : nlocals && ci > 0 ? r.int(nlocals) : 0,
    posonlyCount: 0,
    kwonlyCount: 0,
    nlocals,
    ncells,
    nfree,
    varnames: Array.from({ length: nlocals + ncells + nfree }, () => r.int(nnames)),
    stacksize: maxDepth + r.int(2),
    nblocks: r.int(2),
    firstline: 1 + r.int(100),
    code: new Uint8Array(out),
    lines: r.int(3) ? encodeLines(1, lines) : new Uint8Array(0),
  };
}

function randomProgram(r: Rng): Program {
  const names = ["<module>", "m.py", "f", "x", "h\xc3\xa9llo", "__name__"].slice(0, 2 + r.int(5));
  const consts: Const[] = [];
  const nconsts = r.int(6);
  for (let i = 0; i < nconsts; i++) {
    const k = r.int(7);
    if (k === 0) consts.push({ t: "str", v: r.pick(["", "a", "\xc3\xa9", "long string " + i]) });
    else if (k === 1) consts.push({ t: "bytes", v: r.pick(["", "\x00\xff", "b"]) });
    else if (k === 2) consts.push({ t: "int", v: r.pick([0, -1, 2 ** 40, -(2 ** 52), 12345]) });
    else if (k === 3) consts.push({ t: "bigint", v: r.pick(["99999999999999999999", "-18446744073709551616"]) });
    else if (k === 4) consts.push({ t: "float", v: r.pick([0.5, -0, Infinity, NaN, 1e300]) });
    else if (k === 5 && i > 0) consts.push({ t: "tuple", v: [r.int(i), r.int(i)] });
    else consts.push({ t: "ellipsis" });
  }
  const ncodes = 1 + r.int(3);
  const frees = Array.from({ length: ncodes }, (_, i) => (i === 0 ? 0 : r.int(2)));
  const codes: CodeObject[] = [];
  for (let ci = 0; ci < ncodes; ci++) codes.push(randomCode(r, ci, ncodes, names.length, consts.length, frees));
  return { filename: "m.py", names, consts, codes };
}

// ---------------------------------------------------------------------------------------------------------------
// Mutations

/** Rebuilds the length field and the CRC around a mutated body, so the parser and verifier (not the CRC) judge it. */
function reframe(body: Uint8Array, head: Uint8Array): Uint8Array {
  let total = 7 + body.length + 4;
  const lenBytes: number[] = [];
  for (;;) {
    lenBytes.length = 0;
    let v = total;
    while (v > 127) lenBytes.push((v & 127) | 128), (v >>>= 7);
    lenBytes.push(v);
    if (7 + lenBytes.length + body.length + 4 === total) break;
    total = 7 + lenBytes.length + body.length + 4;
  }
  const out = new Uint8Array(total);
  out.set(head.subarray(0, 7));
  out.set(lenBytes, 7);
  out.set(body, 7 + lenBytes.length);
  const c = crc32(out, 0, total - 4, 0);
  for (let i = 0; i < 4; i++) out[total - 4 + i] = (c >>> (8 * i)) & 255;
  return out;
}

function bodyOf(img: Uint8Array): Uint8Array {
  let p = 7;
  while (img[p] & 128) p++;
  return img.slice(p + 1, img.length - 4);
}

function mutate(r: Rng, src: Uint8Array): Uint8Array {
  const a = Array.from(src);
  const n = 1 + r.int(4);
  for (let k = 0; k < n; k++) {
    const at = r.int(a.length + 1);
    switch (r.int(6)) {
      case 0: if (at < a.length) a[at] ^= 1 << r.int(8); break; // bit flip
      case 1: if (at < a.length) a[at] = r.pick([0, 1, 0x7f, 0x80, 0xff, r.int(256), r.int(OP_COUNT + 4)]); break;
      case 2: a.splice(at, 0, r.int(256)); break; // insertion
      case 3: a.splice(at, 1 + r.int(3)); break; // deletion
      case 4: a.length = Math.min(a.length, at); break; // truncation
      case 5: if (at + 1 < a.length) [a[at], a[at + 1]] = [a[at + 1], a[at]]; break; // swap
    } // prettier-ignore
  }
  return new Uint8Array(a);
}

// ---------------------------------------------------------------------------------------------------------------
// The independent walker: re-checks on an accepted Image everything docs/bytecode.md says the verifier guarantees

function walk(img: Image): void {
  const B = img.bytes;
  const nnames = img.nameOff.length;
  const nconsts = img.constKind.length;
  const end = B.length - 4;
  const check = (c: boolean, what: string) => {
    if (!c) throw new Error("walker: " + what);
  };
  for (let i = 0; i < nnames; i++) check(img.nameOff[i] >= 0 && img.nameOff[i] + img.nameLen[i] <= end, "name bounds");
  check(img.filename < nnames, "filename");
  let seen = 0;
  for (let i = 0; i < nconsts; i++) {
    const k = img.constKind[i];
    check(k >= ConstKind.STR && k <= ConstKind.ELLIPSIS, "const kind");
    check(img.constOff[i] >= 0 && img.constOff[i] + img.constLen[i] <= end, "const bounds");
    if (k === ConstKind.FLOAT) check(img.constLen[i] === 8, "float size"), (seen |= F_FLOAT);
    if (k === ConstKind.BIGINT) seen |= F_BIGINT;
    if (k === ConstKind.TUPLE) {
      let p = img.constOff[i];
      const rd = () => {
        let v = 0, s = 1, b: number; // prettier-ignore
        do (b = B[p++]), (v += (b & 127) * s), (s *= 128);
        while (b & 128);
        return v;
      };
      for (let m = rd(); m > 0; m--) check(rd() < i, "tuple member not earlier");
      check(p === img.constOff[i] + img.constLen[i], "tuple length");
    }
  }
  for (let ci = 0; ci < img.ncodes; ci++) {
    const f = (k: number) => img.codes[ci * CODE_FIELDS + k];
    const flags = f(C_FLAGS);
    check(f(C_NAME) < nnames && f(C_QUALNAME) < nnames, "code names");
    check((ci === 0) === !!(flags & CO_MODULE), "module flag");
    const params = f(C_ARGCOUNT) + f(C_KWONLY) + (flags & CO_VARARGS ? 1 : 0) + (flags & CO_VARKEYWORDS ? 1 : 0);
    check(params <= f(C_NLOCALS) && f(C_POSONLY) <= f(C_ARGCOUNT), "params fit the locals");
    if (ci === 0) check(params === 0 && f(C_NFREE) === 0 && !(flags & 7), "module header");
    const nslots = f(C_NLOCALS) + f(C_NCELLS) + f(C_NFREE);
    for (let s = 0; s < nslots; s++) check(img.varnames[f(C_VARNAMES) + s] < nnames, "varname");
    check(f(C_VARNAMES) + nslots <= img.varnames.length, "varnames bounds");
    const cs = f(C_CODE);
    const n = f(C_CODELEN);
    check(n > 0 && n <= MAX_CODE_LEN && cs + n <= end, "code bounds");
    check(f(C_LINES) + f(C_LINESLEN) <= end, "lines bounds");
    if (f(C_LINESLEN)) seen |= F_LINES;
    // every offset's line is computable without reading outside the table
    for (let off = 0; off < n; off += 7) lineAt(B, f(C_LINES), f(C_LINESLEN), f(C_FIRSTLINE), off);

    // decode everything
    const ins = new Map<number, { op: number; arg: number; next: number }>();
    for (let pc = 0; pc < n; ) {
      const op = B[cs + pc];
      check(op < OP_COUNT, "opcode");
      const kind = OPCODES[op].arg;
      let q = pc + 1;
      let arg = 0;
      if (kind === Arg.JUMP) {
        check(q + 2 <= n, "jump operand inside");
        arg = B[cs + q] | (B[cs + q + 1] << 8);
        q += 2;
      } else if (kind !== Arg.NONE) {
        let s = 1;
        let b: number;
        do {
          check(q < n, "operand inside");
          b = B[cs + q++];
          arg += (b & 127) * s;
          s *= 128;
        } while (b & 128);
        check(arg < 2 ** 31 && q - pc <= 6, "operand fits 31 bits");
      }
      switch (kind) {
        case Arg.NAME: check(arg < nnames, "NAME"); break;
        case Arg.CONST: check(arg < nconsts, "CONST"); break;
        case Arg.LOCAL: check(arg < f(C_NLOCALS), "LOCAL"); break;
        case Arg.DEREF: check(arg >= f(C_NLOCALS) && arg < nslots, "DEREF"); break;
        case Arg.FUNC: {
          const t = arg >> 3;
          check(t >= 1 && t < img.ncodes, "FUNC index");
          check(!!(arg & MF_CLOSURE) === img.codes[t * CODE_FIELDS + C_NFREE] > 0, "FUNC closure");
          break;
        }
      } // prettier-ignore
      if (NAME_OPS.has(op)) check(!!(flags & (CO_MODULE | CO_CLASS_BODY)), "name op scope");
      if (YIELD_OPS.has(op)) check(!!(flags & (CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR)), "yield scope");
      ins.set(pc, { op, arg, next: q });
      pc = q;
    }
    for (const [, i] of ins) if (OPCODES[i.op].arg === Arg.JUMP) check(ins.has(i.arg), "jump to an instruction start");
    // breadth-first over the control flow graph
    const state = new Map<number, [number, number]>([[0, [0, 0]]]);
    const queue = [0];
    while (queue.length) {
      const pc = queue.shift()!;
      const [d, bl] = state.get(pc)!;
      const i = ins.get(pc)!;
      const info = OPCODES[i.op];
      check(d >= stackNeed(i.op, i.arg), "enough values on the stack");
      const nb = bl + info.block;
      check(nb >= 0 && nb <= f(C_NBLOCKS), "block depth");
      const succ: [number, number][] = [];
      if (!info.terminal) {
        check(i.next < n, "no falling off the end");
        succ.push([i.next, d + stackEffect(i.op, i.arg, false)]);
      }
      if (info.arg === Arg.JUMP) succ.push([i.arg, d + stackEffect(i.op, i.arg, true)]);
      for (const [t, td] of succ) {
        check(td >= 0 && td <= f(C_STACKSIZE), "depth within stacksize");
        const s = state.get(t);
        if (s) check(s[0] === td && s[1] === nb, "depths agree at merges");
        else state.set(t, [td, nb]), queue.push(t);
      }
    }
  }
  if (img.flags & F_STRIPPED) check(!(seen & F_LINES) && img.flags === (seen | F_STRIPPED), "flags (stripped)");
  else check(img.flags === seen, "flags");
}

// Every refusal is one of the documented messages.
const MESSAGES = [
  /^not an espy bytecode file \(bad magic\)$/,
  /^format version \d+, this runtime reads \d+: recompile with espy compile$/,
  /^truncated at byte \d+$/,
  /^image is \d+ bytes but the file has \d+ more$/,
  /^CRC mismatch: the file is corrupt$/,
  /^unknown feature flags \d+$/,
  /^small ints are \d+ bits in this image, 31 in this runtime$/,
  /^count \d+ at byte \d+ does not fit in the file$/,
  /^number too large at byte \d+$/,
  /^invalid UTF-8 at byte \d+$/,
  /^integer constant too large at byte \d+$/,
  /^bad bigint constant at byte \d+$/,
  /^tuple constant \d+ refers to a constant that is not before it$/,
  /^unknown constant kind \d+ at byte \d+$/,
  /^no code objects$/,
  /^name out of range (in code object \d+( \(.*\))?|at byte \d+)$/,
  /^bad header in code object \d+ \(.*\)$/,
  /^bad bytecode length in code object \d+ \(.*\)$/,
  /^bad line table in code object \d+ \(.*\)$/,
  /^unexpected data at byte \d+$/,
  /^feature flags \d+ do not match the contents$/,
  /^unknown opcode \d+ in code object \d+ \(.*\) at offset \d+$/,
  /^opcode \d+ needs a module or class body in code object \d+ \(.*\) at offset \d+$/,
  /^yield outside a generator or coroutine in code object \d+ \(.*\) at offset \d+$/,
  /^instruction runs past the end in code object \d+ \(.*\) at offset \d+$/,
  /^operand out of range in code object \d+ \(.*\) at offset \d+$/,
  /^jump out of range in code object \d+ \(.*\) at offset \d+$/,
  /^stack depth out of bounds in code object \d+ \(.*\) at offset \d+ \((underflow|-?\d+, stack size \d+)\)$/,
  /^inconsistent stack depth at offset \d+ in code object \d+ \(.*\) at offset \d+$/,
  /^block depth out of bounds in code object \d+ \(.*\) at offset \d+$/,
  /^code object \d+ \(.*\) falls off the end at offset \d+$/,
].map((m) => new RegExp(m.source, "s")); // names in messages may hold any byte, newlines included

class Tally {
  accepted = 0;
  refused = 0;
  byMessage = new Map<string, number>();
  run(bytes: Uint8Array): void {
    const t0 = performance.now();
    let r: ReturnType<typeof loadImage>;
    try {
      r = loadImage(bytes);
    } catch (e) {
      throw new Error(`loadImage threw on ${Buffer.from(bytes).toString("hex")}: ${e}`);
    }
    const ms = performance.now() - t0;
    if (ms > 200) throw new Error(`loadImage took ${ms} ms on ${bytes.length} bytes`);
    if (isLoadError(r)) {
      this.refused++;
      if (!MESSAGES.some((m) => m.test(r.error))) throw new Error("undocumented message: " + r.error);
      const key = r.error.replace(/\d+/g, "N").replace(/\(.*?\)/, "(…)");
      this.byMessage.set(key, (this.byMessage.get(key) || 0) + 1);
    } else {
      this.accepted++;
      try {
        walk(r);
      } catch (e) {
        throw new Error(`${(e as Error).message} on ${Buffer.from(bytes).toString("hex")}`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------

describe("fuzz", () => {
  const r = rng(20260415);
  const seeds: Uint8Array[] = [];
  for (let i = 0; i < 60; i++) seeds.push(serialize(randomProgram(r), r.int(4) === 0));

  it("random well-formed programs are accepted and satisfy the walker", () => {
    const t = new Tally();
    for (let i = 0; i < 2000; i++) t.run(serialize(randomProgram(r), r.int(3) === 0));
    for (const s of seeds) t.run(s);
    expect(Object.fromEntries(t.byMessage)).toEqual({});
    expect(t.accepted).toBe(2060);
  });

  it("mutations with the length and CRC fixed up: Image or LoadError, and accepted ones are sound", () => {
    const t = new Tally();
    for (let i = 0; i < 12000; i++) {
      const src = r.pick(seeds);
      t.run(reframe(mutate(r, bodyOf(src)), src));
    }
    expect(t.accepted + t.refused).toBe(12000);
    // the mutations must reach the verifier, and some must survive it, or this test proves little
    expect(t.accepted).toBeGreaterThan(300);
    const verifierRefusals = [...t.byMessage.keys()].filter((k) => / at offset N$| falls off /.test(k));
    expect(verifierRefusals.length).toBeGreaterThan(5);
    console.log(`fixed-up mutations: ${t.accepted} accepted, ${t.refused} refused`, Object.fromEntries(t.byMessage));
  });

  it("raw mutations (bit flips, insertions, deletions, truncations) of whole files", () => {
    const t = new Tally();
    for (let i = 0; i < 6000; i++) t.run(mutate(r, r.pick(seeds)));
    expect(t.accepted + t.refused).toBe(6000);
    // without a fixed-up CRC almost everything is refused before parsing: the CRC's job
    expect((t.byMessage.get("CRC mismatch: the file is corrupt") || 0) + (t.byMessage.get("truncated at byte N") || 0)).toBeGreaterThan(4000);
  });

  it("random bytes, with and without a valid header and CRC", () => {
    const t = new Tally();
    for (let i = 0; i < 4000; i++) {
      const body = new Uint8Array(r.int(200)).map(() => (r.int(3) ? r.int(8) : r.int(256)));
      const head = new Uint8Array([0x45, 0x53, 0x50, 0x59, 1, r.pick([0, 1, 2, 4, 8, 15]), 31]);
      t.run(i % 4 === 0 ? body : reframe(body, head));
    }
    expect(t.accepted + t.refused).toBe(4000);
  });

  it("byte changes inside the bytecode of valid images, CRC fixed up", () => {
    const t = new Tally();
    const imgs = seeds.map((s) => loadImage(s) as Image);
    for (let i = 0; i < 6000; i++) {
      const k = r.int(seeds.length);
      const x = seeds[k].slice();
      const img = imgs[k];
      for (let m = 1 + r.int(3); m > 0; m--) {
        const ci = r.int(img.ncodes);
        const at = img.codes[ci * CODE_FIELDS + C_CODE] + r.int(img.codes[ci * CODE_FIELDS + C_CODELEN]);
        x[at] = r.int(2) ? x[at] ^ (1 << r.int(8)) : r.pick([r.int(OP_COUNT), r.int(8), 0x80, 0xff]);
      }
      const c = crc32(x, 0, x.length - 4, 0);
      for (let j = 0; j < 4; j++) x[x.length - 4 + j] = (c >>> (8 * j)) & 255;
      t.run(x);
    }
    expect(t.accepted + t.refused).toBe(6000);
    console.log(`bytecode mutations: ${t.accepted} accepted, ${t.refused} refused`, Object.fromEntries(t.byMessage));
    expect(t.accepted).toBeGreaterThan(150);
    expect(t.refused).toBeGreaterThan(2000);
  });

  it("random bytecode inside valid headers: the verifier decides every case", () => {
    const t = new Tally();
    for (let i = 0; i < 4000; i++) {
      const p = randomProgram(r);
      const c = p.codes[r.int(p.codes.length)];
      const code = Array.from({ length: r.int(30) }, () => (r.int(4) ? r.int(OP_COUNT) : r.int(8)));
      c.code = new Uint8Array([...code, Op.LOAD_NONE, Op.RETURN_VALUE]);
      c.stacksize = r.int(6);
      c.nblocks = r.int(3);
      c.lines = new Uint8Array(0);
      t.run(serialize(p, false));
    }
    expect(t.accepted + t.refused).toBe(4000);
    console.log(`random bytecode: ${t.accepted} accepted, ${t.refused} refused`, Object.fromEntries(t.byMessage));
    expect(t.accepted).toBeGreaterThan(10);
  });
});
