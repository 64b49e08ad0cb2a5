// Program generations on the board (docs/device-protocol.md "Storage layout"). The flasher writes every file of a
// new generation N as gN/NAME, checks each CRC-32, writes the manifest gN/.m (one line per file: NAME SIZE CRCHEX)
// last, and only then points `.espy` ({"g":N,"crc":CRC of gN/.m}) at it. At boot the runtime runs the generation
// `.espy` names when its manifest matches its files; otherwise the newest generation whose manifest does. So a flash
// that fails or is interrupted anywhere leaves the previous program booting. A board with a plain main.mpb and no
// generations (a program uploaded by hand) still boots it. Also here: espy.version, espy.crc and espy.runImage.
import { G } from "./api";
import { crc32 } from "../../core/crc32";

/**
 * "<package version>/<image format version>/<8 hex digits of the bundle's CRC-32>". scripts/build.mjs replaces the
 * placeholder in the built bundle (the CRC is of the bundle with the placeholder in it).
 */
export const VERSION = "@@ESPY_VERSION@@";

/** CRC-32 of a Storage file (E.CRC32 where the firmware has it), -1 if it does not exist. */
export function crc(file: string): number {
  const S = G.require("Storage");
  const s = S.read(file);
  if (s === undefined) return -1;
  if (G.E.CRC32) return G.E.CRC32(s) >>> 0;
  const b = new Uint8Array(S.readArrayBuffer(file));
  return crc32(b, 0, b.length, 0);
}

/** Whether generation g's manifest exists and every file it lists has the size and CRC it says. */
export function manifestOk(g: number): boolean {
  const S = G.require("Storage");
  const dir = "g" + g + "/";
  const m = S.read(dir + ".m");
  if (m === undefined) return false;
  const lines = m.split("\n");
  let n = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === "") continue;
    const p = lines[i].split(" ");
    // (Espruino's RegExp has no {n} counts: /^[0-9a-f]{8}$/ matches the text "{8}" there)
    if (p.length !== 3 || p[2].length !== 8 || !/^[0-9a-f]+$/.test(p[2])) return false;
    const s = S.read(dir + p[0]);
    if (s === undefined || s.length !== parseInt(p[1], 10) || crc(dir + p[0]) !== parseInt(p[2], 16)) return false;
    n++;
  }
  return n > 0 && S.read(dir + "main.mpb") !== undefined;
}

/** The generation that boots: the one `.espy` points at if it is intact, else the newest intact one; -1 if none. */
export function generation(): number {
  const S = G.require("Storage");
  let p: any = null;
  try {
    const s = S.read(".espy");
    if (s !== undefined) p = JSON.parse(s);
  } catch (e) {
    p = null;
  }
  if (p && typeof p.g === "number" && crc("g" + p.g + "/.m") === p.crc >>> 0 && manifestOk(p.g)) return p.g;
  const l = S.list(/^g\d+\/\.m$/);
  const gs: number[] = [];
  for (let i = 0; i < l.length; i++) gs.push(parseInt(l[i].substr(1), 10));
  gs.sort(function (a: number, b: number) {
    return b - a;
  });
  for (let i = 0; i < gs.length; i++) if (manifestOk(gs[i])) return gs[i];
  return -1;
}

/** The Storage file the board boots: gN/main.mpb of the current generation, else a hand-uploaded main.mpb, else null. */
export function mainFile(): string | null {
  const g = generation();
  if (g >= 0) return "g" + g + "/main.mpb";
  return G.require("Storage").read("main.mpb") !== undefined ? "main.mpb" : null;
}

/** Where a program's imports are looked for first: its own generation's directory ("g3/"), or "" at the top. */
export function dirOf(file: string): string {
  const i = file.lastIndexOf("/");
  return i >= 0 && /^g\d+\/$/.test(file.substr(0, i + 1)) ? file.substr(0, i + 1) : "";
}

/** An image sent as base64 (espy run FILE.py --port, exec): copied into RAM and run like a program from Storage. */
export function imageBytes(b64: string): Uint8Array {
  return G.E.toUint8Array(G.atob(b64));
}
