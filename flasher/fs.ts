// `espy fs ls|cat|get|put|rm|df|compact --port P`: the board's Storage from the host. Storage is flat (a `/` is just
// a character of the name) and holds at most 28-byte names. Uploads are verified by CRC-32 (protocol.ts writeFile);
// downloads come back as base64 pieces and are checked against the board's CRC-32 of the file.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { crc32 } from "../core/crc32";
import { boardOptions, connect, makeUi, runCommand, exitWith } from "./session";
import type { BoardOptions, ConnectOptions, Session, Ui } from "./session";
import { storageView, boardCrcs, eraseFiles, NAME_MAX } from "./install";
import { DeviceError } from "./transport";
import { hex8 } from "./protocol";

async function withBoard<T>(o: ConnectOptions, ui: Ui, body: (s: Session) => Promise<T>): Promise<T> {
  const s = await connect(o, ui);
  try {
    return await body(s);
  } finally {
    await s.close();
  }
}

/** Read a Storage file, checked against the board's CRC-32. */
export async function getFile(s: Session, name: string): Promise<Uint8Array> {
  for (let i = 0; ; i++) {
    const data = await s.board.readFile(name);
    if (!data) throw new DeviceError(`no file ${name} in the board's Storage (espy fs ls --port ${s.board.t.name} lists them)`, "ENOENT");
    const [want] = await boardCrcs(s, [name]);
    if (crc32(data, 0, data.length, 0) === want) return data;
    if (i + 1 >= s.board.tries) throw new DeviceError(`reading ${name}: it arrived corrupted on every try; try a lower --baud or another cable`, "EMISMATCH");
    s.board.log(`${name} arrived corrupted (CRC ${hex8(crc32(data, 0, data.length, 0))}, board ${hex8(want)}), reading it again`);
  }
}

export async function fsLs(s: Session, prefix?: string): Promise<{ name: string; size: number }[]> {
  const v = await storageView(s);
  return v.files.filter((f) => !prefix || f.name.startsWith(prefix)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function fsDf(s: Session): Promise<{ total: number; free: number; trash: number; files: number; used: number }> {
  const v = await storageView(s);
  const used = v.files.reduce((t, f) => t + 32 + ((f.size + 3) & ~3), 0);
  return { total: v.total || used + v.free + v.trash, free: v.free, trash: v.trash, files: v.files.length, used };
}

export async function fsPut(s: Session, local: string, name: string, onProgress?: (n: number) => void): Promise<number> {
  let data: Uint8Array;
  try {
    data = new Uint8Array(fs.readFileSync(local));
  } catch (e) {
    throw new DeviceError(`can't read ${local}: ${(e as Error).message}`, "EUSAGE");
  }
  if (name.length > NAME_MAX) throw new DeviceError(`the Storage name ${name} is longer than ${NAME_MAX} bytes (Espruino's limit): give a shorter one (espy fs put ${local} SHORT)`, "ENAME");
  const v = await storageView(s);
  const need = 32 + ((data.length + 3) & ~3);
  if (need > v.free + v.trash) throw new DeviceError(`not enough Storage for ${name}: ${need} bytes needed, ${v.free} free${v.trash ? ` and ${v.trash} in erased files` : ""}; remove files (espy fs rm)`, "ESTORAGE");
  await s.board.writeFile(name, data, onProgress);
  return data.length;
}

export async function fsRm(s: Session, names: string[]): Promise<string[]> {
  const v = await storageView(s);
  const have = new Set(v.files.map((f) => f.name));
  const missing = names.filter((n) => !have.has(n));
  if (missing.length) throw new DeviceError(`no file ${missing.join(", ")} in the board's Storage (espy fs ls --port ${s.board.t.name} lists them)`, "ENOENT");
  await eraseFiles(s, names);
  const after = new Set((await storageView(s)).files.map((f) => f.name));
  const left = names.filter((n) => after.has(n));
  if (left.length) throw new DeviceError(`the board did not erase ${left.join(", ")}`, "ESTORAGE");
  return names;
}

export function registerFsCommands(program: Command): void {
  const fsCmd = program.command("fs").description("the board's Storage: ls, cat, get, put, rm, df, compact");
  const opts = (c: Command) => boardOptions(c).option("--board <name>", "board profile, or auto", "auto");
  const act = <A extends unknown[]>(fn: (s: Session, ui: Ui, ...a: A) => Promise<number | void>) =>
    (...args: unknown[]) => {
      const o = args[args.length - 2] as ConnectOptions & BoardOptions;
      const ui = makeUi(o);
      exitWith(runCommand(ui, () => withBoard(o, ui, (s) => fn(s, ui, ...(args.slice(0, -2) as A)))));
    };
  opts(fsCmd.command("ls").description("list files and sizes").argument("[prefix]", "only names starting with this")).action(
    act(async (s, ui, prefix?: string) => {
      const l = await fsLs(s, prefix);
      const w = Math.max(4, ...l.map((f) => String(f.size).length));
      for (const f of l) ui.out(`${String(f.size).padStart(w)}  ${JSON.stringify(f.name).slice(1, -1)}\n`);
    }),
  );
  opts(fsCmd.command("cat").description("print a file").argument("<name>", "Storage name")).action(
    act(async (s, ui, name: string) => {
      ui.out(Buffer.from(await getFile(s, name)).toString("utf8"));
    }),
  );
  opts(fsCmd.command("get").description("copy a file from the board").argument("<name>", "Storage name").argument("[local]", "where to write it (default: its name's last part, here)")).action(
    act(async (s, ui, name: string, local?: string) => {
      const data = await getFile(s, name);
      const dest = local || path.basename(name);
      fs.writeFileSync(dest, data);
      ui.note(`${name} → ${dest} (${data.length} bytes, verified)`);
    }),
  );
  opts(fsCmd.command("put").description("copy a file to the board (verified)").argument("<local>", "the file").argument("[name]", "Storage name (default: its base name)")).action(
    act(async (s, ui, local: string, name?: string) => {
      const n = await fsPut(s, local, name || path.basename(local));
      ui.note(`${local} → ${name || path.basename(local)} (${n} bytes, verified)`);
    }),
  );
  opts(fsCmd.command("rm").description("erase files").argument("<names...>", "Storage names")).action(
    act(async (s, ui, names: string[]) => {
      await fsRm(s, names);
      ui.note(`erased ${names.join(", ")}`);
    }),
  );
  opts(fsCmd.command("df").description("Storage use: total, used, free, erased (compacting reclaims it)")).action(
    act(async (s, ui) => {
      const d = await fsDf(s);
      ui.out(`total ${d.total} bytes, ${d.files} files using ${d.used}, free ${d.free}, erased ${d.trash} (espy fs compact reclaims it)\n`);
    }),
  );
  opts(fsCmd.command("compact").description("reclaim the space of erased files")).action(
    act(async (s, ui) => {
      const before = await fsDf(s);
      await s.board.query('(require("Storage").compact(),1)', s.board.timeoutMs * 8);
      const after = await fsDf(s);
      ui.note(`compacted: ${before.free} → ${after.free} bytes free`);
    }),
  );
}
