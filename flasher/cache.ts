// The host's bytecode cache, as CPython's __pycache__: NAME.py's image is __pycache__/NAME.espy-<IMAGE_VERSION>.mpb
// (…opt-1.mpb under -O) beside it, plus a stamp sidecar (….mpb.stamp) saying which source it was built from. This
// file owns the paths, the stamps, validation (nothing in the cache is trusted: loadImage verifies every entry),
// atomic writes, and compile-or-reuse for the host's imports and `espy compile DIR`.
import * as fs from "node:fs";
import * as path from "node:path";
import * as crypto from "node:crypto";
import { IMAGE_VERSION, F_STRIPPED, loadImage, isLoadError, imageName, serialize } from "../core/image";
import { compile } from "../core/compiler";

export const CACHE_DIR = "__pycache__";
const STAMP_FORMAT = 1;

/** "espy-1", "espy-1.opt-1": the part of a cache file's name that says which runtime and flags wrote it. */
export function cacheTag(optimize: number): string {
  return "espy-" + IMAGE_VERSION + (optimize ? ".opt-" + optimize : "");
}

/** Where the image of `source` (a .py path) is cached. */
export function cachePath(source: string, optimize: number): string {
  const base = path.basename(source).replace(/\.py$/, "");
  return path.join(path.dirname(source), CACHE_DIR, base + "." + cacheTag(optimize) + ".mpb");
}

/**
 * The sidecar of a cache entry. A sidecar rather than a header so the .mpb stays a plain image (runnable with
 * `espy run`, uploadable as is); it names its image by CRC and length, so an image and a stamp from different
 * writes never pass for a pair (the pair needs no lock: each file is replaced atomically and a mismatch recompiles).
 */
export function stampPath(mpb: string): string {
  return mpb + ".stamp";
}

/**
 * What a cache entry was built from. "mtime": valid while the source's mtime (ns) and size are unchanged, as
 * CPython's default .pyc; "hash": valid while the source's SHA-256 is unchanged (CPython's checked-hash .pyc), for
 * trees whose mtimes are not meaningful (checkouts, archives, reproducible builds).
 */
export interface Stamp {
  mode: "mtime" | "hash";
  size: number;
  mtimeNs?: string;
  sha256?: string;
  imageCrc: number;
  imageLen: number;
}

/** A source file's state, taken before it is read (so an edit during the compile makes the entry stale, not wrong). */
export interface SourceState {
  size: number;
  mtimeNs: string;
}

export function sourceState(file: string): SourceState {
  const st = fs.statSync(file, { bigint: true });
  return { size: Number(st.size), mtimeNs: st.mtimeNs.toString() };
}

function sha256(data: Uint8Array): string {
  return crypto.createHash("sha256").update(data).digest("hex");
}

/** The stamp of a cache entry, or null when missing or not a stamp we wrote (then the entry is rebuilt). */
export function readStamp(file: string): Stamp | null {
  let v: unknown;
  try {
    const text = fs.readFileSync(file, "utf8");
    if (text.length > 4096) return null;
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== "object" || v === null) return null;
  const s = v as Record<string, unknown>;
  const uint = (x: unknown) => typeof x === "number" && Number.isInteger(x) && x >= 0 && x <= 0xffffffff;
  if (s.espyCache !== STAMP_FORMAT || (s.mode !== "mtime" && s.mode !== "hash")) return null;
  if (!uint(s.size) || !uint(s.imageCrc) || !uint(s.imageLen)) return null;
  if (s.mode === "mtime" && !(typeof s.mtimeNs === "string" && /^\d+$/.test(s.mtimeNs))) return null;
  if (s.mode === "hash" && !(typeof s.sha256 === "string" && /^[0-9a-f]{64}$/.test(s.sha256))) return null;
  return {
    mode: s.mode,
    size: s.size as number,
    mtimeNs: s.mode === "mtime" ? (s.mtimeNs as string) : undefined,
    sha256: s.mode === "hash" ? (s.sha256 as string) : undefined,
    imageCrc: s.imageCrc as number,
    imageLen: s.imageLen as number,
  };
}

function stampText(mode: "mtime" | "hash", st: SourceState, data: Uint8Array, image: Uint8Array): string {
  const n = image.length;
  const crc = (image[n - 4] | (image[n - 3] << 8) | (image[n - 2] << 16) | (image[n - 1] << 24)) >>> 0;
  const s: Record<string, unknown> = { espyCache: STAMP_FORMAT, mode, size: st.size };
  if (mode === "mtime") s.mtimeNs = st.mtimeNs;
  else s.sha256 = sha256(data);
  s.imageCrc = crc;
  s.imageLen = n;
  return JSON.stringify(s) + "\n";
}

/** Whether a stamp describes this source (its state and bytes). */
export function stampMatches(stamp: Stamp, st: SourceState, data: Uint8Array): boolean {
  if (stamp.size !== st.size || stamp.size !== data.length) return false;
  return stamp.mode === "mtime" ? stamp.mtimeNs === st.mtimeNs : stamp.sha256 === sha256(data);
}

/**
 * Write a file so that readers see the old contents or the new, never a mix: write a temporary file in the same
 * directory (same file system), then rename it over the target. Throws the fs error; leaves no temporary behind.
 */
export function atomicWrite(file: string, data: Uint8Array | string): void {
  const tmp = file + "." + process.pid + "." + crypto.randomBytes(4).toString("hex") + ".tmp";
  try {
    fs.writeFileSync(tmp, data, { flag: "wx" });
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // it was never created
    }
    throw e;
  }
}

/** A file name as core sees it: the UTF-8 bytes of the path, one char per byte. */
export function byteName(file: string): string {
  return Buffer.from(file, "utf8").toString("latin1");
}

/** The cached image of `mpb`, if its stamp matches the source and the image verifies, else null. */
function readEntry(mpb: string, st: SourceState, data: Uint8Array, filename: string, mode: "mtime" | "hash" | undefined): Uint8Array | null {
  const stamp = readStamp(stampPath(mpb));
  if (stamp === null || (mode !== undefined && stamp.mode !== mode) || !stampMatches(stamp, st, data)) return null;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(fs.readFileSync(mpb));
  } catch {
    return null;
  }
  if (bytes.length !== stamp.imageLen) return null;
  const img = loadImage(bytes);
  if (isLoadError(img) || img.crc !== stamp.imageCrc || img.flags & F_STRIPPED) return null;
  // a tree compiled elsewhere (or moved) would show the old path in tracebacks: rebuild, as CPython fixes co_filename
  if (imageName(img, img.filename) !== filename) return null;
  return bytes;
}

export interface CacheOptions {
  optimize: number;
  /** The name recorded in the image (tracebacks, __file__); default: the path as given. */
  filename?: string;
  /** Write a new entry when the cache is stale (imports: unless -B / PYTHONDONTWRITEBYTECODE). */
  write: boolean;
  /** Only reuse entries of this mode and write new ones in it; default: reuse any, write the old entry's mode or mtime. */
  mode?: "mtime" | "hash";
  /** Rebuild even when the entry is fresh. */
  force?: boolean;
}

export interface CacheResult {
  bytes: Uint8Array;
  /** The source text as a byte string (for tracebacks). */
  source: string;
  /** Reused from the cache, not compiled. */
  fresh: boolean;
  /** The cache path, whether or not it was written. */
  cache: string;
  /** Why the new entry could not be written (a read-only tree is not an error for imports), or null. */
  writeError: Error | null;
}

/**
 * The image of the source file `file`, from its cache entry when that is fresh, else compiled (and written back when
 * opts.write). Throws the fs error when the source cannot be read and CompileError for a syntax error.
 */
export function cachedCompile(file: string, opts: CacheOptions): CacheResult {
  const st = sourceState(file);
  const data = new Uint8Array(fs.readFileSync(file));
  const source = Buffer.from(data).toString("latin1");
  const filename = opts.filename !== undefined ? opts.filename : byteName(file);
  const mpb = cachePath(file, opts.optimize);
  if (!opts.force) {
    const bytes = readEntry(mpb, st, data, filename, opts.mode);
    if (bytes) return { bytes, source, fresh: true, cache: mpb, writeError: null };
  }
  const bytes = serialize(compile(source, filename, "exec", opts.optimize), false);
  let writeError: Error | null = null;
  if (opts.write) {
    const old = readStamp(stampPath(mpb));
    const mode = opts.mode || (old ? old.mode : "mtime");
    try {
      fs.mkdirSync(path.dirname(mpb), { recursive: true });
      // image first, then its stamp: until the stamp lands, the old stamp names another CRC and nothing is reused
      atomicWrite(mpb, bytes);
      atomicWrite(stampPath(mpb), stampText(mode, st, data, bytes));
    } catch (e) {
      writeError = e as Error;
    }
  }
  return { bytes, source, fresh: false, cache: mpb, writeError };
}
