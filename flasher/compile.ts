// `espy compile`: .py → .mpb for one file (NAME.mpb beside it, or -o) or a whole tree (the __pycache__ layout the
// host's imports reuse, or a mirrored tree under -o), with line maps for --strip-lines. And the way back: opening a
// compiled file with its map and source (`espy run FILE.mpb`), and symbolicating a traceback a device reports as
// (image CRC, code object, offset) triples. Everything here returns a status or a value; only cli.ts exits.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compile, isCompileError } from "../core/index";
import {
  serialize, loadImage, isLoadError, serializeLineMap, loadLineMap, mapMatches, lineFor, imageName, F_STRIPPED,
} from "../core/image";
import type { LineMap } from "../core/image";
import type { Image } from "../core/code";
import { CODE_FIELDS, C_NAME } from "../core/code";
import { formatSyntaxError, readSource, runImageHost, writeErr, bytesToText } from "./host";
import type { HostRunOptions } from "./host";
import { cachedCompile, atomicWrite, byteName, CACHE_DIR } from "./cache";

export interface CompileOptions {
  /** Output: a file (one source) or a directory (a tree, mirrored there as NAME.mpb files). */
  out?: string;
  /** Cache entries are validated by the source's hash instead of its mtime. */
  hash?: boolean;
  /** Line tables go to NAME.mpb.map beside the image instead of into it. */
  stripLines?: boolean;
  /** 1: -O (asserts dropped, __debug__ False). */
  optimize?: number;
  /** One file into __pycache__ (the layout a directory gets without -o). */
  cache?: boolean;
  /** Rebuild cache entries that are up to date. */
  force?: boolean;
  /** A line per file (the CLI turns it on for a terminal or -v). */
  progress?: boolean;
}

/** Where compileMain writes: text (not byte strings), as the terminal shows it. */
export interface Io {
  out(s: string): void;
  err(s: string): void;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1; // a file did not compile or could not be read or written
export const EXIT_USAGE = 2; // contradictory options, as commander's own usage errors

const STRERROR: { [code: string]: string } = {
  ENOENT: "No such file or directory",
  EACCES: "Permission denied",
  EPERM: "Operation not permitted",
  EISDIR: "Is a directory",
  ENOTDIR: "Not a directory",
  EROFS: "Read-only file system",
  ENOSPC: "No space left on device",
  EEXIST: "File exists",
};

/** "[Errno 13] Permission denied", as Python reports an OSError. */
export function errnoText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const code = err && typeof err.code === "string" ? err.code : "";
  const n = code ? (os.constants.errno as { [k: string]: number })[code] : undefined;
  const msg = STRERROR[code] || (err && err.message) || String(e);
  return n !== undefined ? "[Errno " + n + "] " + msg : msg;
}

/** Every .py file under dir, sorted, skipping __pycache__, hidden and node_modules directories and directory links. */
export function findSources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    const entries = fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name === CACHE_DIR || e.name === "node_modules" || e.name.startsWith(".")) continue;
        walk(p);
      } else if (e.name.endsWith(".py")) {
        if (e.isFile() || (e.isSymbolicLink() && fs.statSync(p, { throwIfNoEntry: false })?.isFile())) out.push(p);
      }
    }
  };
  walk(dir);
  return out;
}

/** The image (and, stripped, the line map) of a source text; throws CompileError. */
export function compileSource(src: string, filename: string, optimize: number, stripLines: boolean): { image: Uint8Array; map: Uint8Array | null } {
  const p = compile(src, filename, "exec", optimize);
  const image = serialize(p, stripLines);
  // cheap insurance: never write an image this runtime would refuse (that would be a compiler bug)
  const v = loadImage(image);
  if (isLoadError(v)) throw new Error("internal error: the compiled image does not verify: " + v.error);
  return { image, map: stripLines ? serializeLineMap(p) : null };
}

/** Write an image and its map (or remove a map left from a stripped build: it would not match). Throws fs errors. */
export function writeCompiled(out: string, image: Uint8Array, map: Uint8Array | null): void {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  atomicWrite(out, image);
  if (map) atomicWrite(out + ".map", map);
  else fs.rmSync(out + ".map", { force: true });
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false; // missing, or a path through a file: writing there reports the real error
  }
}

/** NAME.mpb for NAME.py (or NAME.x.mpb for another extension, as mpy-cross). */
export function mpbName(file: string): string {
  return file.endsWith(".py") ? file.slice(0, -3) + ".mpb" : file + ".mpb";
}

/**
 * `espy compile TARGET`. One file: TARGET.mpb beside it (as mpy-cross), or -o OUT (a file, or a directory to put
 * NAME.mpb in), or --cache for the __pycache__ entry. A directory: every .py under it into __pycache__ (as
 * compileall, skipping fresh entries unless --force), or with -o a mirrored tree of NAME.mpb files to upload.
 * Continues past a failing file; returns EXIT_FAILED if any failed.
 */
export function compileMain(target: string, opts: CompileOptions, io: Io): number {
  let st: fs.Stats;
  try {
    st = fs.statSync(target);
  } catch (e) {
    io.err("espy: can't open '" + target + "': " + errnoText(e) + "\n");
    return EXIT_FAILED;
  }
  const tree = st.isDirectory();
  const toCache = tree ? opts.out === undefined : !!opts.cache;
  if (opts.cache && (tree || opts.out !== undefined)) {
    io.err("espy compile: --cache is for one file without -o (a directory goes to __pycache__ unless -o is given)\n");
    return EXIT_USAGE;
  }
  if (opts.hash && !toCache) {
    io.err("espy compile: --hash applies to __pycache__ entries: give a directory without -o, or --cache\n");
    return EXIT_USAGE;
  }
  if (opts.stripLines && toCache) {
    io.err("espy compile: --strip-lines needs -o: the host's __pycache__ keeps line tables for its tracebacks\n");
    return EXIT_USAGE;
  }
  const optimize = opts.optimize || 0;
  const files = tree ? findSources(target) : [target];
  let failed = 0;
  for (const file of files) {
    if (toCache) {
      let r;
      try {
        r = cachedCompile(file, {
          optimize,
          filename: byteName(path.resolve(file)), // what the host's import records, so it reuses the entry
          write: true,
          mode: opts.hash ? "hash" : "mtime",
          force: opts.force,
        });
      } catch (e) {
        failed++;
        if (isCompileError(e)) io.err(bytesToText(formatSyntaxError(e, byteName(file), readSource(file))));
        else io.err("espy: can't read '" + file + "': " + errnoText(e) + "\n");
        continue;
      }
      if (r.writeError) {
        failed++;
        io.err("espy: can't write '" + r.cache + "': " + errnoText(r.writeError) + "\n");
        continue;
      }
      if (opts.progress) io.out(r.fresh ? "Up to date '" + file + "'\n" : "Compiling '" + file + "' -> '" + r.cache + "'\n");
      continue;
    }
    let out: string;
    if (tree) out = path.join(opts.out as string, mpbName(path.relative(target, file)));
    else if (opts.out === undefined) out = mpbName(file);
    else if (isDir(opts.out)) out = path.join(opts.out, mpbName(path.basename(file)));
    else out = opts.out;
    let src: string;
    try {
      src = readSource(file);
    } catch (e) {
      failed++;
      io.err("espy: can't read '" + file + "': " + errnoText(e) + "\n");
      continue;
    }
    let c;
    try {
      c = compileSource(src, byteName(file), optimize, !!opts.stripLines);
    } catch (e) {
      if (!isCompileError(e)) throw e;
      failed++;
      io.err(bytesToText(formatSyntaxError(e, byteName(file), src)));
      continue;
    }
    try {
      writeCompiled(out, c.image, c.map);
    } catch (e) {
      failed++;
      io.err("espy: can't write '" + out + "': " + errnoText(e) + "\n");
      continue;
    }
    if (opts.progress) io.out("Compiling '" + file + "' -> '" + out + "'" + (c.map ? " (+ .map)" : "") + "\n");
  }
  if (tree && files.length === 0 && opts.progress) io.out("No .py files under '" + target + "'\n");
  return failed ? EXIT_FAILED : EXIT_OK;
}

// -----------------------------------------------------------------------------------------------------------------
// Compiled files back on the host

/** A compiled file with what the host knows about it: its line map and its source, when they belong to it. */
export interface Compiled {
  bytes: Uint8Array;
  img: Image;
  /** The line map of a stripped image, when a matching FILE.mpb.map is present. */
  map: LineMap | null;
  /** The source text (byte string), when a .py that compiles to exactly this image is found. */
  source: string | null;
  sourcePath: string | null;
  /** Problems worth telling the user (a map that is corrupt or belongs to another build). */
  warnings: string[];
}

function sourceCandidates(file: string, recorded: string): string[] {
  const out = [file.endsWith(".mpb") ? file.slice(0, -4) + ".py" : file + ".py"];
  const m = /^(.*)\.espy-\d+(?:\.opt-\d+)?\.mpb$/.exec(path.basename(file));
  if (m && path.basename(path.dirname(file)) === CACHE_DIR) out.push(path.join(path.dirname(path.dirname(file)), m[1] + ".py"));
  out.push(bytesToText(recorded));
  return out;
}

/**
 * Whether `src` is the source of this image: it compiles (under the recorded filename, -O or not) to the same bytes.
 * So a traceback never shows lines of an edited source against old bytecode.
 */
function isSourceOf(src: string, img: Image, bytes: Uint8Array): boolean {
  const stripped = (img.flags & F_STRIPPED) !== 0;
  for (const optimize of [0, 1]) {
    let b: Uint8Array;
    try {
      b = serialize(compile(src, imageName(img, img.filename), "exec", optimize), stripped);
    } catch {
      return false;
    }
    if (b.length === bytes.length && Buffer.compare(b, bytes) === 0) return true;
  }
  return false;
}

/** Read FILE.mpb with its FILE.mpb.map and its source (see sourceCandidates). An error message if it won't load. */
export function openCompiled(file: string): Compiled | { error: string } {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(fs.readFileSync(file));
  } catch (e) {
    return { error: "espy: can't open file '" + file + "': " + errnoText(e) };
  }
  const img = loadImage(bytes);
  if (isLoadError(img)) return { error: "espy: " + file + ": " + img.error };
  const warnings: string[] = [];
  let map: LineMap | null = null;
  const mapFile = file + ".map";
  if (img.flags & F_STRIPPED && fs.existsSync(mapFile)) {
    const m = loadLineMap(new Uint8Array(fs.readFileSync(mapFile)));
    if (isLoadError(m)) warnings.push("espy: warning: ignoring " + mapFile + ": " + m.error);
    else if (!mapMatches(img, m)) warnings.push("espy: warning: ignoring " + mapFile + ": it belongs to another build of " + file);
    else map = m;
  }
  let source: string | null = null;
  let sourcePath: string | null = null;
  for (const cand of sourceCandidates(file, imageName(img, img.filename))) {
    let src: string;
    try {
      if (!fs.statSync(cand).isFile()) continue;
      src = readSource(cand);
    } catch {
      continue;
    }
    if (isSourceOf(src, img, bytes)) {
      source = src;
      sourcePath = cand;
      break;
    }
  }
  return { bytes, img, map, source, sourcePath, warnings };
}

/** `espy run FILE.mpb`: run bytecode, with its line map and source when present (tracebacks use them). */
export function runCompiled(file: string, opts: HostRunOptions): Promise<number> {
  const c = openCompiled(file);
  const hal = opts.hal || null;
  if ("error" in c) {
    writeErr(hal, byteName(c.error + "\n"));
    return Promise.resolve(1);
  }
  for (const w of c.warnings) writeErr(hal, byteName(w + "\n"));
  return runImageHost(c.bytes, file, c.source, Object.assign({}, opts, { lineMap: c.map }));
}

/** One frame of a traceback a device reports: which image (its CRC), which code object, and the VM's offset. */
export interface DeviceFrame {
  crc: number;
  code: number;
  /**
   * The offset the VM records for the frame (its instruction pointer relative to the code object's bytecode: just
   * past the instruction that raised or called), as core/vm/run.ts's lineOf reads it.
   */
  offset: number;
}

/**
 * The "  File …, line N, in NAME" lines (with source lines when known) of a device's traceback, outermost frame
 * first, from the compiled files the host has (openCompiled results). A frame of an image the host does not know
 * keeps its raw numbers, so nothing is silently dropped. Returns text, ready to print.
 */
export function symbolicate(known: Compiled[], frames: DeviceFrame[]): string {
  let s = "";
  for (const fr of frames) {
    const c = known.find((k) => k.img.crc === fr.crc >>> 0);
    if (!c || fr.code < 0 || fr.code >= c.img.ncodes) {
      s += "  File <image " + (fr.crc >>> 0).toString(16).padStart(8, "0") + ">, code object " + fr.code + ", offset " + fr.offset + "\n";
      continue;
    }
    const line = lineFor(c.img, c.map, fr.code, fr.offset > 0 ? fr.offset - 1 : 0);
    const name = imageName(c.img, c.img.codes[fr.code * CODE_FIELDS + C_NAME]);
    s += '  File "' + bytesToText(imageName(c.img, c.img.filename)) + '", line ' + (line || "?") + ", in " + bytesToText(name) + "\n";
    const text = c.source !== null && line > 0 ? (c.source.split("\n")[line - 1] || "").replace(/\r$/, "").replace(/^[ \t\f]+/, "") : "";
    if (text) s += "    " + bytesToText(text) + "\n";
  }
  return s;
}
