// Faults while the runtime is upgraded. The board runs an older runtime (this build's with another version stamped
// in) and the old program; the flash stages the new runtime under temporary names beside it (Bangle.js 2 has room),
// so a fault anywhere before the commit line leaves the old runtime and program booting. On a board without room for
// two runtimes (ESP32 with the full image) the runtime is written in place, the flasher says so beforehand, and a
// fault during that write leaves a board that boots nothing until the next flash, which repairs it: that case is
// shown separately, not counted among the atomic ones.
import { describe, test, expect, afterAll } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { simLink, tmpDir, writeFiles, baseImage, faultTrial, spread, summarize, captureUi, FAST, powerCycle, DEVICE } from "./flash-helpers";
import type { Trial, TrialResult } from "./flash-helpers";
// (the in-place case's board boots nothing: its check waits 2 s of wall time for output that never comes)
import { flashMain } from "../flasher/flash";
import { runtimeSet } from "../flasher/install";
import { PROFILES } from "../boards/profiles";
import { SimBoard } from "../boards/sim/index";
import type { BoardProfile } from "../boards/profiles";

const dir = tmpDir("rtfaults");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const OLD = writeFiles(fs.mkdtempSync(path.join(dir, "old-")), { "main.py": 'print("OLD-PROGRAM")\n' });
const NEW = writeFiles(fs.mkdtempSync(path.join(dir, "new-")), { "main.py": 'print("NEW-PROGRAM")\n' });

/** This build's runtime with an older version stamped in (same length, so it still runs): an "old" runtime. */
function installOldRuntime(b: SimBoard, p: BoardProfile, name: string): void {
  const rt = runtimeSet(p, name, DEVICE);
  for (const f of rt.files) {
    let data = f.data;
    if (f.name === "espy.js") {
      const text = Buffer.from(f.data).toString("latin1").split(rt.version).join("0.0.9/1/00000000".slice(0, rt.version.length).padEnd(rt.version.length, "0"));
      data = new Uint8Array(Buffer.from(text, "latin1"));
    }
    b.storage.write(f.name, data);
  }
}

describe("faults during a runtime upgrade", () => {
  test("staged (Bangle.js 2): every fault leaves the new runtime and program, or the old ones, booting", { timeout: 300_000 }, async () => {
    const base = await baseImage(dir, "bangle2", OLD, (b) => installOldRuntime(b, PROFILES.bangle2, "bangle2"));
    // measure a clean upgrade
    const probeFile = path.join(dir, "probe.storage");
    fs.copyFileSync(base, probeFile);
    const pb = new SimBoard({ deviceDir: DEVICE, board: "bangle2", storageFile: probeFile, virtualClock: true, runtime: false });
    await pb.powerOn();
    const probe = simLink(pb, {}, true);
    const r = await flashMain(NEW, { transport: probe, watch: 0, reset: false, protocol: FAST, deviceDir: DEVICE }, captureUi());
    expect(r.runtimeStaged).toBe(true);
    pb.close();
    const tx = probe.tx;
    const commitAt = probe.txLog.indexOf('S.write(\\".espy');
    expect(commitAt).toBeGreaterThan(tx / 2);

    // three by default (each moves half a megabyte); ESPY_FAULT_TRIALS=N for N closes, N drops and a corruption more
    const more = parseInt(process.env.ESPY_FAULT_TRIALS || "0", 10);
    const trials: Trial[] = [
      { kind: "close", faults: { closeAtTx: Math.floor(tx * 0.5) } },
      { kind: "close", faults: { closeAtTx: commitAt - 200 } },
      { kind: "drop tx", faults: { dropTx: [Math.floor(tx * 0.3)] } },
    ];
    if (more) {
      for (const p of spread(tx, more)) trials.push({ kind: "close", faults: { closeAtTx: p } });
      for (const p of spread(tx, more)) trials.push({ kind: "drop tx", faults: { dropTx: [p] } });
      trials.push({ kind: "corrupt tx", faults: { corruptTx: [Math.floor(tx * 0.4)] } });
      trials.push({ kind: "drop tx", faults: { dropTx: [commitAt + 100] } });
    }
    const results: TrialResult[] = [];
    let n = 0;
    for (const t of trials) results.push(await faultTrial(dir, "bangle2", base, NEW, t, n++));
    console.log(summarize("faults (bangle2, runtime upgrade)", results));
    for (const x of results) {
      expect(x.boots, JSON.stringify(x)).not.toBe("broken");
      if (x.flash === "ok") expect(x.boots).toBe("new");
      else expect(x.flash).toMatch(/^E[A-Z]+: .{20,}/);
    }
  });

  test("in place (ESP32, no room for two runtimes): said beforehand; an interrupted write is repaired by the next flash", async () => {
    const base = await baseImage(dir, "esp32", OLD, (b) => installOldRuntime(b, PROFILES.esp32, "esp32"));
    const file = path.join(dir, "esp32-inplace.storage");
    fs.copyFileSync(base, file);
    let b = new SimBoard({ deviceDir: DEVICE, board: "esp32", storageFile: file, virtualClock: true, runtime: false });
    await b.powerOn();
    const ui = captureUi(true);
    let err = "";
    await flashMain(NEW, { transport: simLink(b, { closeAtTx: 200_000 }), watch: 0, reset: false, protocol: FAST, deviceDir: DEVICE }, ui).catch((e) => (err = e.code));
    expect(ui.text.err).toContain("written in place");
    expect(err).toBe("ECLOSED");
    b.close();
    const broken = await powerCycle(file, "esp32", /NEW-PROGRAM|OLD-PROGRAM/, 2000);
    console.log(`in-place runtime write interrupted at 200000 bytes: boots ${broken.ok ? "a program" : "nothing"} (the flasher warned)`);
    // the next flash repairs it
    b = new SimBoard({ deviceDir: DEVICE, board: "esp32", storageFile: file, virtualClock: true, runtime: false });
    await b.powerOn();
    await flashMain(NEW, { transport: simLink(b), watch: 0, reset: false, protocol: FAST, deviceDir: DEVICE }, captureUi());
    b.close();
    expect((await powerCycle(file, "esp32", /NEW-PROGRAM/)).ok).toBe(true);
  });
});
