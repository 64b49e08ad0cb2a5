// `espy ports`: the serial ports the OS lists (plus any given with --probe: a pseudo-terminal such as `espy sim`'s,
// which no OS lists, or tcp://host:port), and for each that answers, the Espruino board, its firmware and the espy
// runtime on it. Each port gets a short sync; a busy port or a silent one says so instead.
import type { Command } from "commander";
import { listSerialPorts, openTransport, DeviceError } from "./transport";
import type { PortInfo } from "./transport";
import { connect, makeUi, runCommand, exitWith } from "./session";
import type { Ui } from "./session";

export interface PortReport {
  path: string;
  /** USB description (manufacturer, vendor:product) when the OS gives one. */
  usb: string;
  board?: string;
  fw?: string;
  espy?: string | null;
  free?: number;
  /** Why there is no board: busy, no answer, not Espruino. */
  note?: string;
}

export async function probePort(p: string, baud: number, ui: Ui): Promise<PortReport> {
  const r: PortReport = { path: p, usb: "" };
  try {
    const t = await openTransport(p, { baud });
    const s = await connect({ transport: t, anyFirmware: true, protocol: { syncWaits: [400, 900], tries: 2, timeoutMs: 1500 } }, ui);
    r.board = s.info.board;
    r.fw = s.info.fw;
    r.espy = s.info.espy;
    r.free = s.info.free;
    await s.close();
  } catch (e) {
    if (e instanceof DeviceError) {
      r.note = e.code === "EBOARD" ? e.message.replace(/^espy has no profile for the board (\S+).*$/, "Espruino board $1 (no espy profile)") : e.code === "ENOANSWER" ? "no answer (not an Espruino board, or busy running something)" : e.message;
    } else r.note = String((e as Error).message || e);
  }
  return r;
}

export async function listPorts(probe: string[], baud: number, ui: Ui, list: () => Promise<PortInfo[]> = listSerialPorts): Promise<PortReport[]> {
  let ports: PortInfo[] = [];
  try {
    ports = await list();
  } catch (e) {
    ui.note(`espy: can't list serial ports (${(e as Error).message})`);
  }
  const all = ports.map((p) => ({ path: p.path, usb: [p.manufacturer, p.vendorId && p.productId ? `${p.vendorId}:${p.productId}` : ""].filter(Boolean).join(" "), ask: !!(p.vendorId || p.manufacturer) }));
  for (const p of probe) {
    const have = all.find((x) => x.path === p);
    if (have) have.ask = true;
    else all.push({ path: p, usb: "", ask: true });
  }
  // every port at once (a silent one costs a second or so); built-in UARTs with no USB device behind them are only
  // listed: most are not connected, and asking each would take long
  return Promise.all(
    all.map(async (p) => {
      const r: PortReport = p.ask ? await probePort(p.path, baud, ui) : { path: p.path, usb: "", note: "not asked (no USB device; --probe " + p.path + " asks it)" };
      r.usb = p.usb;
      return r;
    }),
  );
}

export function formatPorts(rs: PortReport[]): string {
  if (!rs.length) return "no serial ports found (plug a board in; a pseudo-terminal or tcp:// address can be checked with --probe PATH)\n";
  return rs
    .map((r) => {
      const what = r.board ? `${r.board}, Espruino ${r.fw}, ${r.espy ? "espy " + r.espy : "no espy runtime loaded"}, ${r.free} bytes of Storage free` : r.note || "";
      return `${r.path}${r.usb ? " (" + r.usb + ")" : ""}: ${what}\n`;
    })
    .join("");
}

export function registerPortsCommands(program: Command): void {
  program
    .command("ports")
    .description("list serial ports and, for each that answers, the Espruino board and firmware on it")
    .option("--probe <path...>", "also ask these ports (a pseudo-terminal, tcp://host:port)")
    .option("--baud <rate>", "baud rate", (v) => parseInt(v, 10), 115200)
    .option("-v, --verbose", "say what is happening")
    .action((o: { probe?: string[]; baud: number; verbose?: boolean }) => {
      const ui = makeUi({ verbose: o.verbose });
      exitWith(runCommand(ui, async () => {
        ui.out(formatPorts(await listPorts(o.probe || [], o.baud, ui)));
      }));
    });
}
