// Installing a program on a board, atomically (docs/device-protocol.md "Storage layout"; the device side is
// boards/espruino/program.ts). One transaction:
//
//   1. look: Storage's files, the program pointer `.espy`, the runtime files' CRC-32s (the version handshake);
//   2. clean: erase what no boot can use (generations other than the one `.espy` names and the newest intact one,
//      runtime files left under temporary names by an interrupted flash), check the room, compact if that makes room;
//   3. stage: a runtime of another version goes up under temporary names (`~espy.js`…), the program as generation
//      N+1 (`gN/NAME.mpb`, then its manifest `gN/.m`); every file's CRC-32 is read back and compared (protocol.ts);
//   4. commit: one line on the board copies the staged runtime files over the live ones and rewrites `.espy` to point
//      at N+1; it is idempotent, so a garbled or lost commit line is simply sent again;
//   5. verify the live runtime files and the pointer, then erase the previous generation.
//
// A fault anywhere before the commit leaves the old runtime and the old program in place (the board boots them); a
// fault after it leaves the new ones, verified. When Storage has no room for a second copy of the runtime, the runtime
// is written in place instead, and the output says so (a fault during that write leaves a board that needs another
// `espy flash`).
import * as fs from "node:fs";
import * as path from "node:path";
import { crc32 } from "../core/crc32";
import { jsName, hex8, retryable, stopped } from "./protocol";
import { DeviceError } from "./transport";
import type { Session, Ui } from "./session";
import { deviceDir } from "./session";
import type { BoardProfile } from "../boards/profiles";

/** Bytes a file takes in Espruino's Storage: a 32-byte header, the data padded to 4 bytes. */
export const fileCost = (n: number) => 32 + ((n + 3) & ~3);

/** Espruino's limit on Storage names. */
export const NAME_MAX = 28;

export interface BoardFile {
  /** The Storage name (without the generation directory for program files). */
  name: string;
  data: Uint8Array;
  crc: number;
}

export function boardFile(name: string, data: Uint8Array): BoardFile {
  return { name, data, crc: crc32(data, 0, data.length, 0) };
}

export interface RuntimeSet {
  files: BoardFile[];
  /** espy.version of the resident image ("<package>/<image format>/<crc>"). */
  version: string;
}

/** The runtime files a board with this profile gets, from dist/device (the same list the simulator installs). */
export function runtimeSet(profile: BoardProfile, name: string, dir?: string): RuntimeSet {
  if (!dir) dir = deviceDir();
  const list: [string, string][] = [["espy.js", profile.compiler ? "espy-full.js" : "espy.js"]];
  if (!profile.compiler) list.push(["espy-cc.js", "espy-cc.js"], ["espy-big.js", "espy-big.js"], ["espy-flt.js", "espy-flt.js"]);
  list.push([profile.bootFile, "boot-" + name + ".js"]);
  const files = list.map(([st, f]) => {
    const p = path.join(dir, f);
    if (!fs.existsSync(p)) throw new DeviceError(`the device runtime is incomplete (${p} is missing): run \`npm run build\``, "ENORUNTIME");
    return boardFile(st, new Uint8Array(fs.readFileSync(p)));
  });
  const version = versionIn(Buffer.from(files[0].data).toString("latin1"));
  if (!version) throw new DeviceError(`${path.join(dir, list[0][1])} carries no espy.version: rebuild it (npm run build)`, "ENORUNTIME");
  return { files, version };
}

/** The version string stamped into a resident image's text. */
export function versionIn(text: string): string | null {
  const m = /"(\d+\.\d+\.\d+\/\d+\/[0-9a-f]{8})"/.exec(text);
  return m ? m[1] : null;
}

/** <0 when runtime version a is older than b, >0 newer, 0 the same release (perhaps another build of it). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split("/");
  const pb = b.split("/");
  const img = (parseInt(pa[1], 10) || 0) - (parseInt(pb[1], 10) || 0);
  if (img) return img;
  const sa = pa[0].split(".").map((x) => parseInt(x, 10) || 0);
  const sb = pb[0].split(".").map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < 3; i++) if (sa[i] !== sb[i]) return (sa[i] || 0) - (sb[i] || 0);
  return 0;
}

/** Storage's files and sizes, and the program pointer. */
export interface StorageView {
  files: { name: string; size: number }[];
  pointer: { g: number; crc: number } | null;
  free: number;
  trash: number;
  total: number;
}

export async function storageView(s: Session): Promise<StorageView> {
  const r = await s.board.query(
    '(function(){var S=require("Storage"),l=S.list(),f=[],i,p=S.read(".espy"),st=S.getStats?S.getStats():null;for(i=0;i<l.length;i++)f.push([l[i],S.read(l[i]).length]);' +
      'return {f:f,p:p===undefined?null:p,free:S.getFree(),trash:st?st.trashBytes:0,total:st?st.totalBytes:0}})()',
    s.board.timeoutMs * 2,
  );
  let pointer: { g: number; crc: number } | null = null;
  try {
    const p = r.p ? JSON.parse(r.p) : null;
    if (p && typeof p.g === "number") pointer = { g: p.g, crc: p.crc >>> 0 };
  } catch {
    pointer = null;
  }
  return { files: (r.f as [string, number][]).map((x) => ({ name: x[0], size: x[1] })), pointer, free: r.free | 0, trash: r.trash | 0, total: r.total | 0 };
}

/** CRC-32s of Storage files as the board computes them (-1 for a missing one). */
export async function boardCrcs(s: Session, names: string[]): Promise<number[]> {
  if (!s.info.crc) {
    const out: number[] = [];
    for (const n of names) out.push(await s.board.crc(n));
    return out;
  }
  const r = await s.board.query(
    `(function(l){var S=require("Storage");return l.map(function(n){var d=S.read(n);return d===undefined?-1:E.CRC32(d)})})(${JSON.stringify(names)})`,
    s.board.timeoutMs * 2,
  );
  return (r as number[]).map((v) => (v < 0 ? -1 : v >>> 0));
}

/** The runtime version in the board's Storage (the loaded one when there is one), or null. */
async function boardRuntimeVersion(s: Session): Promise<string | null> {
  if (s.info.espy) return s.info.espy;
  const v = await s.board.query('(function(s){if(s===undefined)return null;var m=/"(\\d+\\.\\d+\\.\\d+\\/\\d+\\/[0-9a-f]+)"/.exec(s);return m?m[1]:null})(require("Storage").read("espy.js"))', s.board.timeoutMs * 3);
  return typeof v === "string" ? v : null;
}

export interface FlashOptions {
  /** Install this espy's runtime even over a newer one. */
  forceRuntime?: boolean;
  /** Write the runtime again even if the board's matches. */
  reinstallRuntime?: boolean;
  /** Leave the board's runtime as it is, whatever its version (the program only). */
  keepRuntime?: boolean;
  /** Where the runtime files come from (default dist/device beside the CLI). */
  deviceDir?: string;
  /** Progress: bytes done of the whole transfer. */
  progress?: (done: number, total: number, file: string) => void;
}

export interface FlashResult {
  generation: number;
  /** Runtime files written ([] when the board's matched). */
  runtime: string[];
  /** No fault could leave the board without a bootable runtime: staged, or there was none before. */
  runtimeAtomic: boolean;
  /** The runtime went up under temporary names and was switched by the commit. */
  runtimeStaged: boolean;
  /** Bytes of files uploaded and the time the uploads took (ms), for the speed report. */
  bytes: number;
  ms: number;
  /** Previous generations erased. */
  erased: string[];
}

const TMP = "~";

/** Install `program` (Storage names relative to the generation directory; main.mpb among them) on the board. */
export async function installProgram(s: Session, program: BoardFile[], ui: Ui, o: FlashOptions = {}): Promise<FlashResult> {
  const b = s.board;
  if (!program.some((f) => f.name === "main.mpb")) throw new Error("internal error: no main.mpb in the program");
  const rt = runtimeSet(s.profile, s.profileName, o.deviceDir);

  // 1. look
  const view = await storageView(s);
  const have = new Map(view.files.map((f) => [f.name, f.size]));
  const liveCrcs = await boardCrcs(s, rt.files.map((f) => f.name));
  const changed = o.keepRuntime ? [] : rt.files.filter((f, i) => o.reinstallRuntime || liveCrcs[i] !== f.crc);
  if (changed.length) {
    const bv = have.has("espy.js") ? await boardRuntimeVersion(s) : null;
    ui.detail(`runtime on the board: ${bv || (have.has("espy.js") ? "unknown version" : "none")}; this espy's: ${rt.version}; to write: ${changed.map((f) => f.name).join(", ")}`);
    if (bv && compareVersions(bv, rt.version) > 0 && !o.forceRuntime) {
      throw new DeviceError(
        `the board's runtime (${bv}) is newer than this espy's (${rt.version}): update espy (npm install -g espy@latest), or pass --force-runtime to install this espy's runtime over it`,
        "ENEWER",
      );
    }
  } else ui.detail(`runtime ${rt.version} already on the board`);

  // 2. clean and check the room
  const gens = new Map<number, string[]>();
  for (const f of view.files) {
    const m = /^g(\d+)\//.exec(f.name);
    if (!m) continue;
    const g = parseInt(m[1], 10);
    if (!gens.has(g)) gens.set(g, []);
    gens.get(g)!.push(f.name);
  }
  const keep = new Set<number>();
  if (view.pointer && gens.has(view.pointer.g)) keep.add(view.pointer.g);
  const withManifest = Array.from(gens.keys()).filter((g) => have.has(`g${g}/.m`)).sort((x, y) => y - x);
  if (withManifest.length) keep.add(withManifest[0]);
  const stale: string[] = [];
  for (const [g, names] of gens) if (!keep.has(g)) stale.push(...names);
  for (const f of rt.files) if (have.has(TMP + f.name)) stale.push(TMP + f.name);
  const gen = Math.max(0, ...Array.from(gens.keys())) + 1;
  const dir = `g${gen}/`;
  for (const f of program) {
    if ((dir + f.name).length > NAME_MAX) throw new DeviceError(`the Storage name ${dir + f.name} is longer than ${NAME_MAX} bytes (Espruino's limit): use a shorter module or package name`, "ENAME");
  }
  const manifest = boardFile(".m", new TextEncoder().encode(program.map((f) => `${f.name} ${f.data.length} ${hex8(f.crc)}\n`).join("")));
  const progCost = program.reduce((t, f) => t + fileCost(f.data.length), 0) + fileCost(manifest.data.length) + fileCost(40);
  const staleCost = stale.reduce((t, n) => t + fileCost(have.get(n) || 0), 0);
  const avail = view.free + view.trash + staleCost;
  const newRt = changed.reduce((t, f) => t + fileCost(f.data.length), 0);
  const oldRt = changed.reduce((t, f) => t + (have.has(f.name) ? fileCost(have.get(f.name)!) : 0), 0);
  const biggest = changed.length ? changed.reduce((x, f) => (f.data.length > x.data.length ? f : x)) : null;
  // staging keeps the old runtime until the commit; the commit then copies the biggest file first, its old copy erased
  const atomicNeed = progCost + newRt + (biggest ? Math.max(0, fileCost(biggest.data.length) - (have.has(biggest.name) ? fileCost(have.get(biggest.name)!) : 0)) + 1024 : 0);
  const inPlaceNeed = progCost + Math.max(0, newRt - oldRt);
  // with no runtime on the board there is nothing for staging to protect: write it in place (boot file last)
  const fresh = changed.length > 0 && !rt.files.some((f) => have.has(f.name) && f.name !== s.profile.bootFile);
  const atomic = !changed.length || (!fresh && atomicNeed <= avail);
  const need = atomic ? atomicNeed : inPlaceNeed;
  if (need > avail) {
    const users = view.files.filter((f) => !/^g\d+\//.test(f.name) && !rt.files.some((r) => r.name === f.name) && f.name !== ".espy").sort((x, y) => y.size - x.size);
    throw new DeviceError(
      `not enough Storage: this flash needs ${need} bytes, the board has ${view.free} free` +
        (view.trash ? ` and ${view.trash} in erased files (compacting reclaims them)` : "") +
        (staleCost ? ` and ${staleCost} in old program files` : "") +
        `. Remove files you don't need (${users.length ? "largest: " + users.slice(0, 3).map((f) => `${f.name} ${f.size} B`).join(", ") + "; " : ""}espy fs rm NAME --port ${b.t.name}), or flash fewer or smaller modules`,
      "ESTORAGE",
    );
  }
  if (!atomic && !fresh) {
    ui.note(
      `note: Storage has no room for a second copy of the runtime (${atomicNeed} bytes needed, ${avail} available), so it is written in place: if this flash is interrupted, run it again before the board can boot a program`,
    );
  }
  if (stale.length) {
    ui.detail(`erasing ${stale.length} file(s) no boot can use: ${stale.join(", ")}`);
    await eraseFiles(s, stale);
  }
  if (view.free + staleCost < need && view.trash) {
    ui.note(`compacting Storage (${view.trash} bytes in erased files)`);
    await b.query('(require("Storage").compact(),1)', b.timeoutMs * 8);
  }

  // 3. stage
  const uploads: { name: string; f: BoardFile }[] = [];
  for (const f of changed) uploads.push({ name: atomic ? TMP + f.name : f.name, f });
  for (const f of program) uploads.push({ name: dir + f.name, f });
  uploads.push({ name: dir + ".m", f: manifest });
  const total = uploads.reduce((t, u) => t + u.f.data.length, 0);
  let done = 0;
  const t0 = Date.now();
  for (const u of uploads) {
    ui.detail(`writing ${u.name} (${u.f.data.length} bytes)`);
    await b.writeFile(u.name, u.f.data, (n) => {
      if (o.progress) o.progress(done + n, total, u.name);
    });
    done += u.f.data.length;
    if (o.progress) o.progress(done, total, u.name);
  }
  const ms = Date.now() - t0;

  // 4. commit: staged runtime files over the live ones, then the pointer
  const pointer = JSON.stringify({ g: gen, crc: manifest.crc });
  const pairs = atomic ? changed.map((f) => [TMP + f.name, f.name]).sort((x, y) => (have.get(y[1]) || 0) - (have.get(x[1]) || 0)) : [];
  const commit =
    `(function(l,p){var S=require("Storage"),i,t,n;for(i=0;i<l.length;i++){t=l[i][0];n=S.read(t);if(n===undefined)continue;n=n.length;` +
    `S.erase(l[i][1]);if(S.getFree()<n+64)S.compact();S.write(l[i][1],S.read(t));S.erase(t);}S.write(".espy",p);return S.read(".espy")})(${JSON.stringify(pairs)},${jsName(pointer)})`;
  let last: unknown = null;
  for (let i = 0; ; i++) {
    try {
      const got = await b.eval(commit, b.timeoutMs * (pairs.length ? 8 : 3));
      if (got === pointer) break;
      last = new DeviceError(`the program pointer reads back as ${JSON.stringify(got)}`, "EMISMATCH");
    } catch (e) {
      if (!retryable(e)) throw e;
      last = e;
    }
    if (i + 1 >= b.tries) throw stopped(b.t.name, last, "switching to the new program");
    ui.detail(`switching failed (${(last as Error).message}), again`);
    await b.resync();
  }

  // 5. verify the live runtime, erase the previous generation
  if (changed.length) {
    const crcs = await boardCrcs(s, changed.map((f) => f.name));
    const bad = changed.filter((f, i) => crcs[i] !== f.crc);
    for (const f of bad) {
      ui.note(`${f.name} did not verify after the switch; writing it again`);
      await b.writeFile(f.name, f.data);
    }
  }
  const old = view.files.map((f) => f.name).filter((n) => /^g\d+\//.test(n) && !n.startsWith(dir) && stale.indexOf(n) < 0);
  if (old.length) {
    ui.detail(`erasing the previous program (${old.join(", ")})`);
    await eraseFiles(s, old);
  }
  return { generation: gen, runtime: changed.map((f) => f.name), runtimeAtomic: atomic || fresh, runtimeStaged: atomic && changed.length > 0, bytes: total, ms, erased: old };
}

/** Erase Storage files (a missing one is fine). */
export async function eraseFiles(s: Session, names: string[]): Promise<void> {
  for (let i = 0; i < names.length; i += 20) {
    const part = names.slice(i, i + 20);
    await s.board.query(`(function(l){var S=require("Storage");l.forEach(function(n){S.erase(n)});return 1})(${JSON.stringify(part)})`, s.board.timeoutMs * 2);
  }
}
