// Fault injection between the flasher and a simulated Puck.js: bytes dropped or corrupted either way, the line closed,
// at positions spread over a whole flash session and aimed at its commit line. After every fault the board is power-
// cycled from its Storage: it must boot the new program (the flash completed, retrying as needed, or its commit went
// through before the fault) or the old one, and the flasher must have finished or failed with a clear error. The log
// line "faults (puck)" gives the counts. ESPY_FAULT_TRIALS=N spreads N positions per kind instead of 3.
import { describe, test, expect, afterAll } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { simBoard, simLink, tmpDir, writeFiles, baseImage, faultTrial, spread, summarize, captureUi, FAST, DEVICE } from "./flash-helpers";
import type { Trial, TrialResult } from "./flash-helpers";
import { flashMain } from "../flasher/flash";

const dir = tmpDir("faults");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const PER_KIND = parseInt(process.env.ESPY_FAULT_TRIALS || "3", 10);

// the new program is several packets long; both print a marker at boot
const OLD = writeFiles(fs.mkdtempSync(path.join(dir, "old-")), { "main.py": 'print("OLD-PROGRAM")\n' });
const blob = (k: number) => Array.from({ length: 700 }, (_, i) => String.fromCharCode(97 + ((i * k) % 26))).join("");
const NEW = writeFiles(fs.mkdtempSync(path.join(dir, "new-")), {
  "main.py": `import liba, libb\nprint('NEW-PROGRAM', liba.n() + libb.n())\nD = "${blob(7)}"\n`,
  "liba.py": `A = "${blob(3)}"\ndef n():\n    return len(A)\n`,
  "libb.py": `B = "${blob(5)}"\ndef n():\n    return len(B)\n`,
});

describe("faults during a flash (Puck.js: binary packets)", () => {
  test("every faulted flash leaves the new program verified or the old one booting", { timeout: 300_000 }, async () => {
    const base = await baseImage(dir, "puck", OLD);
    // a clean run over a copy measures the session, and finds the commit line to aim at
    const probeFile = path.join(dir, "probe.storage");
    fs.copyFileSync(base, probeFile);
    const { SimBoard } = await import("../boards/sim/index");
    const pb = new SimBoard({ deviceDir: DEVICE, board: "puck", storageFile: probeFile, virtualClock: true, runtime: false });
    await pb.powerOn();
    const probe = simLink(pb, {}, true);
    await flashMain(NEW, { transport: probe, watch: 0, reset: false, protocol: FAST, deviceDir: DEVICE }, captureUi());
    pb.close();
    const txTotal = probe.tx;
    const rxTotal = probe.rx;
    const commitAt = probe.txLog.indexOf('S.write(\\".espy');
    const commitEnd = probe.txLog.indexOf("\n", commitAt);
    expect(commitAt).toBeGreaterThan(0);
    expect(txTotal).toBeGreaterThan(2500);

    const trials: Trial[] = [];
    for (const p of spread(txTotal, PER_KIND, [commitAt - 40, commitEnd])) trials.push({ kind: "drop tx", faults: { dropTx: [p] } });
    for (const p of spread(txTotal, PER_KIND)) trials.push({ kind: "corrupt tx", faults: { corruptTx: [p] } });
    for (const p of spread(rxTotal, PER_KIND)) trials.push({ kind: "drop rx", faults: { dropRx: [p] } });
    for (const p of spread(rxTotal, PER_KIND)) trials.push({ kind: "corrupt rx", faults: { corruptRx: [p] } });
    for (const p of spread(txTotal, PER_KIND, [commitAt + 30, commitEnd + 1])) trials.push({ kind: "close", faults: { closeAtTx: p } });
    // several faults in one session, and a burst of garbage
    trials.push({ kind: "many", faults: { dropTx: spread(txTotal, 4), corruptRx: spread(rxTotal, 3) } });

    // two boards at a time (each is independent; part of a trial is waiting)
    const results: TrialResult[] = new Array(trials.length);
    let next = 0;
    const worker = async () => {
      while (next < trials.length) {
        const i = next++;
        results[i] = await faultTrial(dir, "puck", base, NEW, trials[i], i);
      }
    };
    await Promise.all([worker(), worker()]);
    console.log(summarize("faults (puck)", results));
    for (const r of results) {
      expect(r.boots, JSON.stringify(r)).not.toBe("broken");
      if (r.flash === "ok") expect(r.boots, JSON.stringify(r)).toBe("new");
      else expect(r.flash, JSON.stringify(r)).toMatch(/^E[A-Z]+: .{20,}/);
      expect(r.flash).not.toMatch(/^EINTERNAL/);
    }
    // a lost or garbled byte is retried: single faults end in a completed flash (all of them on an idle machine; the
    // short timeouts these tests use can run out on a badly overloaded one, which then fails clearly, as checked above)
    const single = results.filter((r) => r.kind !== "close" && r.kind !== "many");
    expect(single.filter((r) => r.flash === "ok").length).toBeGreaterThanOrEqual(Math.ceil(single.length * 0.75));
  });

  test("a slow board (every chunk late, both ways) is waited for", async () => {
    const b = await simBoard({ board: "puck" });
    const link = simLink(b, { delayMs: 15 });
    const r = await flashMain(NEW, { transport: link, watch: 0, protocol: { timeoutMs: 1500 }, deviceDir: DEVICE }, captureUi());
    expect(r.generation).toBe(1);
    await b.waitFor("NEW-PROGRAM", 10000, 0);
    b.close();
  });
});
