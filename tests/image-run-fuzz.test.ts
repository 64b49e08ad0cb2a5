// Fuzzing the path from bytes to a running program: 10000+ mutated and truncated images of real programs (bit flips,
// byte changes, insertions, deletions, truncation, bytecode operands; with the length and CRC fixed up so the
// verifier sees the damage, and without) each end in a LoadError or in a run on a small VM that finishes, raises a
// Python exception or hits the instruction budget. Never a JS exception out of the VM (the VM turns internal JS
// errors into SystemError and reports them through vm.debug, which this test treats as a bug), never a broken heap,
// never a hang. A mutated image that verifies may print anything: the verifier promises structure, not meaning.
import { describe, it, expect } from "vitest";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { createVm, addImage, startMain, runSlice, RUN_DONE, RUN_SUSPENDED, exitCode, compile } from "../core/index";
import type { Hal, Vm } from "../core/index";
import { serialize, loadImage, isLoadError } from "../core/image";
import { crc32 } from "../core/crc32";
import { CODE_FIELDS, C_CODE, C_CODELEN } from "../core/code";
import type { Image } from "../core/code";
import { PY_EXC } from "../core/vm/exc";
import { OPCODES, Arg } from "../core/opcodes";
import { Op } from "../core/generated/op";
import { stackEffect } from "../core/opinfo";
import { stackNeed } from "../core/image";

const root = resolve(__dirname, "..");
const corpus = resolve(root, "../shared/conformance/corpus/basics");
const IMAGES = 10000;

// Deterministic PRNG (mulberry32), so a failure reproduces from its index.
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n) };
}
type Rng = ReturnType<typeof rng>;

/** Seed images: our own programs, the example, and a spread of the corpus; each full and stripped. */
function seeds(): { name: string; bytes: Uint8Array }[] {
  const files: string[] = [];
  for (const d of [join(root, "tests/py"), join(root, "examples")])
    for (const f of readdirSync(d).sort()) if (f.endsWith(".py")) files.push(join(d, f));
  if (existsSync(corpus)) {
    const all = readdirSync(corpus).filter((f) => f.endsWith(".py")).sort();
    for (let i = 0; i < all.length; i += 12) files.push(join(corpus, all[i]));
  }
  const out: { name: string; bytes: Uint8Array }[] = [];
  for (const f of files) {
    let p;
    try {
      p = compile(readFileSync(f).toString("latin1"), f.slice(f.lastIndexOf("/") + 1), "exec", 0);
    } catch {
      continue; // a corpus file that does not compile
    }
    out.push({ name: f, bytes: serialize(p, false) }, { name: f + " (stripped)", bytes: serialize(p, true) });
  }
  return out;
}

function varint(v: number): number[] {
  const out: number[] = [];
  while (v > 127) {
    out.push((v % 128) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/**
 * The mutated bytes with the header's total length and the CRC made consistent again (as a careless or malicious
 * writer would), so the damage reaches the table parser and the verifier instead of stopping at the CRC.
 */
function fixUp(b: Uint8Array): Uint8Array {
  if (b.length < 12) return b;
  let p = 7;
  while (p < b.length && b[p] & 128) p++;
  const body = b.subarray(p + 1, b.length - 4);
  let total = 7 + 1 + body.length + 4;
  let len = varint(total);
  while (7 + len.length + body.length + 4 !== total) {
    total = 7 + len.length + body.length + 4;
    len = varint(total);
  }
  const out = new Uint8Array(total);
  out.set(b.subarray(0, 7), 0);
  out.set(len, 7);
  out.set(body, 7 + len.length);
  const crc = crc32(out, 0, total - 4, 0);
  for (let i = 0; i < 4; i++) out[total - 4 + i] = (crc >>> (8 * i)) & 255;
  return out;
}

const KINDS = ["bitflip", "byte", "insert", "delete", "truncate", "operand"] as const;
type Kind = (typeof KINDS)[number];
// Damage inside the bytecode is the likeliest to verify and run, so it gets the largest share.
const WEIGHTS: [Kind, number][] = [["bitflip", 20], ["byte", 15], ["insert", 10], ["delete", 10], ["truncate", 10], ["operand", 35]];

function pickKind(r: Rng): Kind {
  let x = r.int(100);
  for (const [k, w] of WEIGHTS) if ((x -= w) < 0) return k;
  return "operand";
}

function mutate(r: Rng, src: Uint8Array, kind: Kind): Uint8Array {
  const b = Array.from(src);
  const at = () => r.int(b.length);
  switch (kind) {
    case "bitflip":
      for (let n = 1 + r.int(3); n > 0; n--) {
        const i = at();
        b[i] ^= 1 << r.int(8);
      }
      break;
    case "byte":
      for (let n = 1 + r.int(2); n > 0; n--) b[at()] = r.int(256);
      break;
    case "insert": {
      const i = at();
      const ins: number[] = [];
      for (let n = 1 + r.int(4); n > 0; n--) ins.push(r.int(256));
      b.splice(i, 0, ...ins);
      break;
    }
    case "delete":
      b.splice(at(), 1 + r.int(4));
      break;
    case "truncate":
      b.length = r.int(b.length);
      break;
    case "operand": {
      // a byte inside some code object's bytecode: opcodes and operands (jumps, LOAD_INT values, indices)
      const img = loadImage(src);
      if (isLoadError(img)) throw new Error("seed does not load: " + img.error);
      const ci = r.int(img.ncodes);
      const off = img.codes[ci * CODE_FIELDS + C_CODE];
      const n = img.codes[ci * CODE_FIELDS + C_CODELEN];
      const i = off + r.int(n);
      b[i] = r.next() < 0.5 ? r.int(256) : (b[i] + (r.next() < 0.5 ? 1 : -1)) & 255;
      break;
    }
  }
  return new Uint8Array(b);
}

// ---------------------------------------------------------------------------------------------------------------
// A known VM bug, kept out of the run until it is fixed. The verifier proves stack depths, not types (bytecode.md,
// "What the VM must still check"), but the VM's LIST_APPEND, SET_ADD, MAP_ADD, LIST_EXTEND, SET_UPDATE, DICT_UPDATE,
// DICT_MERGE and LIST_TO_TUPLE use their container operand without checking its kind: SET_ADD on a list writes a
// hash table into the list's words and breaks the heap (the next collection then loops forever). Images where one of
// these ops is not provably applied to the container its BUILD_* made are counted as "container" and not run.
// Set to false once core/vm/interp.ts checks the kinds (a compare each, SystemError on a mismatch).
const SKIP_UNCHECKED_CONTAINERS = false;

const CONTAINER_OPS: { [op: number]: [string, number] } = {
  // op: [the kind its target must be, the target's depth below the top beyond the operand]
  [Op.LIST_APPEND]: ["L", 0],
  [Op.LIST_EXTEND]: ["L", 0],
  [Op.SET_ADD]: ["S", 0],
  [Op.SET_UPDATE]: ["S", 0],
  [Op.MAP_ADD]: ["M", 1],
  [Op.DICT_UPDATE]: ["M", 0],
  [Op.DICT_MERGE]: ["M", 0],
};

/**
 * Whether every container op of the image provably gets the container kind it assumes: a forward abstract
 * interpretation that tags each stack slot with the BUILD_LIST/SET/MAP that made it ("?" otherwise, and where paths
 * disagree). Conservative: a "?" target counts as unproven. Real compiler output always passes (checked below).
 */
function containersProven(img: Image): boolean {
  for (let ci = 0; ci < img.ncodes; ci++) {
    const cs = img.codes[ci * CODE_FIELDS + C_CODE];
    const n = img.codes[ci * CODE_FIELDS + C_CODELEN];
    const b = img.bytes;
    const states = new Map<number, string[]>();
    const work: number[] = [];
    const flow = (pc: number, st: string[]) => {
      const old = states.get(pc);
      if (!old) {
        states.set(pc, st);
        work.push(pc);
        return;
      }
      let changed = false;
      for (let i = 0; i < old.length && i < st.length; i++)
        if (old[i] !== st[i] && old[i] !== "?") {
          old[i] = "?";
          changed = true;
        }
      if (changed) work.push(pc);
    };
    flow(0, []);
    while (work.length) {
      const pc = work.pop() as number;
      const st = (states.get(pc) as string[]).slice();
      let p = cs + pc;
      const op = b[p++];
      const kind = OPCODES[op].arg;
      let a = 0;
      if (kind === Arg.JUMP) {
        a = b[p] | (b[p + 1] << 8);
        p += 2;
      } else if (kind !== Arg.NONE) {
        let c: number;
        let sh = 0;
        do {
          c = b[p++];
          a |= (c & 127) << sh;
          sh += 7;
        } while (c & 128);
      }
      const next = p - cs;
      const need = stackNeed(op, a);
      const d = st.length;
      const c = CONTAINER_OPS[op];
      if (c && st[d - 1 - a - c[1]] !== c[0]) return false;
      if (op === Op.LIST_TO_TUPLE && st[d - 1] !== "L") return false;
      let out: string[];
      if (op === Op.BUILD_LIST || op === Op.BUILD_SET || op === Op.BUILD_MAP) {
        out = st.slice(0, d - need);
        out.push(op === Op.BUILD_LIST ? "L" : op === Op.BUILD_SET ? "S" : "M");
      } else if (op === Op.DUP_TOP) out = st.concat([st[d - 1]]);
      else if (op === Op.DUP_TOP_TWO) out = st.concat([st[d - 2], st[d - 1]]);
      else if (op === Op.ROT_TWO) out = st.slice(0, d - 2).concat([st[d - 1], st[d - 2]]);
      else if (op === Op.ROT_THREE) out = st.slice(0, d - 3).concat([st[d - 1], st[d - 3], st[d - 2]]);
      else if (op === Op.ROT_FOUR) out = st.slice(0, d - 4).concat([st[d - 1], st[d - 4], st[d - 3], st[d - 2]]);
      else {
        // everything else reads `need` values and leaves need + effect unknown ones (containers keep their place)
        const keep = c || op === Op.LIST_TO_TUPLE ? d - 1 : d - need;
        out = st.slice(0, keep);
        const depth = d + stackEffect(op, a, false);
        while (out.length < depth) out.push("?");
        out.length = depth;
      }
      if (!OPCODES[op].terminal && next < n) flow(next, out);
      if (kind === Arg.JUMP) {
        const depth = d + stackEffect(op, a, true);
        const j = st.slice(0, Math.min(d - need, depth));
        while (j.length < depth) j.push("?");
        flow(a, j);
      }
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Running an accepted image on a small, sandboxed VM with a budget

const STOP = { stop: true }; // thrown out of the VM when the budget is spent
const BUG = { bug: true }; // thrown out of the VM after an internal JS error was recorded
const MAX_EVENTS = 30000; // backward jumps and calls (what the VM counts), nested runs included
const MAX_MS = 3000; // a safety net for a slow machine: the event budget is what normally ends a run

function sandboxHal(): Hal {
  let t = 0;
  // no files, no real time, no sleeping: a mutated program can neither touch the machine nor wait
  return {
    write() {},
    ticksMs: () => (t += 1),
    time: () => 1.7e9 + t / 1000,
    schedule() {},
    sleepBlocking() {},
  };
}

/**
 * Heap.verify() for a heap between collections: block sizes must step from start to end, except over the bump
 * region, which is not formatted into blocks until the next collection.
 */
function heapBroken(vm: Vm): string | null {
  const h = vm.heap;
  for (let p = h.start; p < h.end; ) {
    if (p === h.bump && h.bumpEnd > h.bump) {
      p = h.bumpEnd;
      continue;
    }
    const n = h.H[p] >> 8;
    if (n < 1 || p + n > h.end) return "bad block at " + p;
    p += n;
  }
  return null;
}

type Outcome = "refused" | "done" | "raised" | "stopped" | "container" | "bug";

interface Bug {
  index: number;
  kind: string;
  seed: string;
  error: string;
  bytes: string;
}

function run(bytes: Uint8Array, bugs: Bug[], info: Omit<Bug, "error" | "bytes">): Outcome {
  const vm: Vm = createVm(sandboxHal(), { heapBytes: 256 * 1024, frameBytes: 32 * 1024, argv: ["fuzz"], path: [], platform: "linux" });
  vm.readLine = () => null;
  let events = 0;
  const deadline = performance.now() + MAX_MS;
  // the dispatch loop reads vm.interrupt at every backward jump and call: the one place to stop any Python loop,
  // even inside a nested (native → Python) run, where slices cannot end
  Object.defineProperty(vm, "interrupt", {
    get() {
      if (++events > MAX_EVENTS || ((events & 1023) === 0 && performance.now() > deadline)) throw STOP;
      return false;
    },
    set() {},
  });
  let recorded = false;
  const record = (e: unknown) => {
    if (recorded) return;
    recorded = true;
    const err = e instanceof Error ? e.stack || e.message : String(e);
    bugs.push({ ...info, error: err, bytes: Buffer.from(bytes).toString("base64") });
  };
  vm.debug = (e) => {
    if (e === STOP || e === BUG) throw e;
    record(e);
    throw BUG;
  };
  let outcome: Outcome;
  try {
    const ii = addImage(vm, bytes, null, null);
    if (typeof ii === "string") {
      record(new Error("loadImage accepted the image but addImage refused it: " + ii));
      return "bug";
    }
    startMain(vm, ii, vm.mainGlobals);
    vm.sliced = true;
    let r = runSlice(vm, 0);
    for (let slices = 0; r === RUN_SUSPENDED && vm.suspendMs >= 0 && slices < 20; slices++) {
      vm.suspendMs = 0;
      r = runSlice(vm, 0);
    }
    if (r === RUN_DONE || r === RUN_SUSPENDED) outcome = "done";
    else {
      exitCode(vm, vm.lastExc); // formats the traceback: reads the (mutated, verified) line tables
      outcome = "raised";
    }
    // the heap must still be well-formed, and collectable: a broken one would make the collector loop
    const broken = heapBroken(vm);
    if (broken) {
      record(new Error("heap structure broken by the run: " + broken));
      return "bug";
    }
    vm.heap.collect();
  } catch (e) {
    if (e === STOP) outcome = "stopped";
    else if (e === PY_EXC) outcome = "raised"; // raised outside the loop (e.g. MemoryError while loading)
    else {
      if (e !== BUG) record(e);
      return "bug";
    }
  }
  const broken = outcome === "stopped" ? heapBroken(vm) : vm.heap.verify();
  if (broken) {
    record(new Error("heap structure broken after the run: " + broken));
    return "bug";
  }
  return outcome;
}

describe("mutated images of real programs", () => {
  it(`${IMAGES} images: each refused with a LoadError or run to an end within the budget`, () => {
    const base = seeds();
    expect(base.length).toBeGreaterThan(10);
    // the container check has no false alarms on real compiler output
    for (const b of base) expect(containersProven(loadImage(b.bytes) as Image), b.name).toBe(true);
    const r = rng(20261124);
    const counts: Record<Outcome, number> = { refused: 0, done: 0, raised: 0, stopped: 0, container: 0, bug: 0 };
    const byKind: Record<string, Record<string, number>> = {};
    const messages = new Map<string, number>();
    const bugs: Bug[] = [];
    const t0 = performance.now();
    for (let i = 0; i < IMAGES; i++) {
      const s = base[r.int(base.length)];
      const kind = pickKind(r);
      const fixed = r.next() < 0.75;
      let bytes = mutate(r, s.bytes, kind);
      if (fixed) bytes = fixUp(bytes);
      const img = loadImage(bytes);
      let outcome: Outcome;
      if (isLoadError(img)) {
        outcome = "refused";
        expect(typeof img.error === "string" && img.error.length > 0 && !/undefined|NaN/.test(img.error), img.error).toBe(true);
        const m = img.error.replace(/\d+/g, "N").replace(/\(.*?\)/g, "(…)");
        messages.set(m, (messages.get(m) || 0) + 1);
      } else if (SKIP_UNCHECKED_CONTAINERS && !containersProven(img)) outcome = "container";
      else outcome = run(bytes, bugs, { index: i, kind: kind + (fixed ? "+fixup" : ""), seed: s.name });
      counts[outcome]++;
      const k = kind + (fixed ? "+fixup" : "");
      byKind[k] = byKind[k] || { refused: 0, done: 0, raised: 0, stopped: 0, container: 0, bug: 0 };
      byKind[k][outcome]++;
    }
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(`image-run fuzz: ${IMAGES} images from ${base.length} seeds in ${secs}s: ` + JSON.stringify(counts));
    for (const k of Object.keys(byKind).sort()) console.log("  " + k.padEnd(17) + JSON.stringify(byKind[k]));
    const top = [...messages.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12);
    console.log("  commonest refusals: " + top.map(([m, n]) => n + "× " + m).join("; "));
    for (const b of bugs.slice(0, 5)) console.log(`BUG at image ${b.index} (${b.kind} of ${b.seed}):\n${b.error}\nbytes (base64): ${b.bytes}`);
    expect(bugs.map((b) => `image ${b.index} (${b.kind} of ${b.seed}): ${b.error.split("\n")[0]}`)).toEqual([]);
    expect(counts.refused + counts.done + counts.raised + counts.stopped + counts.container).toBe(IMAGES);
    // the mix must exercise both sides: plenty refused, and plenty that verified and ran
    expect(counts.refused).toBeGreaterThan(IMAGES / 4);
    expect(counts.done + counts.raised + counts.stopped).toBeGreaterThan(IMAGES / 20);
  }, 300_000);
});
