// `node scripts/bench-repl.mjs` (ESPRUINO naming an Espruino executable, its Linux build): the blocks the Python REPL
// costs on Espruino with each image, and what that leaves on each board profile. For the lean and the full image:
// blocks used by a fresh Espruino, after evaluating the runtime from Storage, after its tables, with espy.repl()
// running on a 16 KB Python heap, and after one entry has run (on the lean image with espy-cc.js in Storage, that
// loads the compiler part; the lean image alone runs it as host-compiled bytecode, as espy repl sends it). From these, per profile: blocks left with the REPL running (before the Python heap), the
// heap that leaves room for (after the profile's margin), and blocks free once the profile's heap is allocated.
// Block counts are Espruino's JsVars; the Linux build's blocks are bigger (27 bytes) than a board's (13/14), so the
// typed arrays and strings among them cost more blocks on a board than here.
import { readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { runJs, storageWrite, freshDir, DEVICE_DIR } from "./bench-device.mjs";
import { rmSync } from "node:fs";

/** The entry run at the REPL. */
const ENTRY = "x = [i * i for i in range(10)]";

/** Blocks at each step for one image (Storage name espy.js), with the compiler part in Storage or not. */
async function measure(exe, image, withCc, b64) {
  const dir = freshDir();
  try {
    const files = { "espy.js": join(DEVICE_DIR, image) };
    if (withCc) files["espy-cc.js"] = join(DEVICE_DIR, "espy-cc.js");
    await storageWrite(exe, dir, files);
    const js = [
      "var m=function(){return process.memory().usage;};var d=global[E.getConsole()];",
      "var r={blocksize:process.memory().blocksize,base:m()};",
      'eval(require("Storage").read("espy.js"));r.loaded=m();',
      "espy.init();r.init=m();",
      "var v=espy.newVm(16384,1024);r.vm=m();r.heap=E.getSizeOf(v.heap.buf);v=undefined;r.dropped=m();",
      'espy.repl({heap:16384,frame:1024,margin:0,con:"USB",btn:"",blocks:0});r.repl=m();',
      // one entry: typed at the prompt (compiled on the board), or host bytecode sent with raw-paste B (Ctrl-Z ends
      // it: this is a LINUX board); then the blocks with the REPL back at its prompt
      b64 ? 'd.inject("\\x01\\x05B\\x01' + b64 + '\\x1a");var done=/\\x04>$/;' : 'd.inject("' + ENTRY + '\\r");var done=/\\r\\n>>> $/;',
      "var out='',seen=0,w0=d.write;d.write=function(s){if(typeof s=='string'){out=(out+s).substr(-50);if(/R\\x01|= \\[/.test(s))seen=1;}w0.call(d,s);};",
      'var t=setInterval(function(){if(seen&&done.test(out)){clearInterval(t);r.entry=m();w0.call(d,"\\r\\nRESULT "+JSON.stringify(r)+"\\r\\n");quit();}},200);',
    ].join("\n");
    const r = await runJs(exe, dir, js, { timeoutMs: 900000 });
    const m = /RESULT (\{.*\})/.exec(r.out);
    if (!m) throw new Error("no result:\n" + r.out.slice(-1500));
    return JSON.parse(m[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function profiles() {
  const { transform } = await import("esbuild");
  const root = join(DEVICE_DIR, "..", "..");
  const r = await transform(readFileSync(join(root, "boards/profiles.ts"), "utf8"), { loader: "ts", format: "esm" });
  return (await import("data:text/javascript," + encodeURIComponent(r.code))).PROFILES;
}

const exe = process.env.ESPRUINO;
if (!exe) {
  console.log("ESPRUINO is not set: set it to an Espruino Linux build's executable to measure the REPL's blocks.");
  process.exit(0);
}
const PROFILES = await profiles();
const tmp = freshDir();
writeFileSync(join(tmp, "entry.py"), ENTRY + "\n");
execFileSync(process.execPath, [join(DEVICE_DIR, "..", "cli.js"), "compile", join(tmp, "entry.py"), "-o", join(tmp, "entry.mpb")]);
const b64 = readFileSync(join(tmp, "entry.mpb")).toString("base64");
rmSync(tmp, { recursive: true, force: true });
const res = {
  lean: await measure(exe, "espy.js", false, b64),
  "lean + espy-cc.js": await measure(exe, "espy.js", true),
  full: await measure(exe, "espy-full.js", false),
};
console.log(`Measured on ${exe} (${res.full.blocksize}-byte blocks), blocks in use:`);
console.log("  image               empty   runtime  +its tables  VM fixed  REPL itself  16 KB heap  all but the heap, after an entry");
for (const k of Object.keys(res)) {
  const r = res[k];
  const vmFixed = r.vm - r.init - r.heap;
  const replOwn = r.repl - r.init - r.heap - vmFixed;
  console.log(`  ${k.padEnd(18)} ${String(r.base).padStart(6)} ${String(r.loaded - r.base).padStart(9)} ${String(r.init - r.loaded).padStart(12)} ${String(vmFixed).padStart(9)} ${String(replOwn).padStart(12)} ${String(r.heap).padStart(11)} ${String(r.entry - r.heap).padStart(33)}`);
}
console.log("\nPer profile and image (* the profile's own), with the REPL running after one entry (everything but the Python heap), the profile's margin kept:");
console.log("  profile   blocks  image                 REPL needs  left for heap   heap it allows  profile's heap  free with it");
for (const name of Object.keys(PROFILES)) {
  const p = PROFILES[name];
  for (const k of Object.keys(res)) {
    const r = res[k];
    const need = r.entry - r.heap;
    const own = (p.compiler ? k === "full" : k !== "full") ? "*" : " ";
    if (!p.blocks) {
      console.log(`  ${name.padEnd(8)} ${"grow".padStart(7)}  ${(own + k).padEnd(20)} ${String(need).padStart(11)}  (blocks grow on demand)`);
      continue;
    }
    const left = p.blocks - need - p.marginBlocks;
    const heapBlocks = Math.ceil(p.heapBytes / p.blockBytes) + 1;
    console.log(`  ${name.padEnd(8)} ${String(p.blocks).padStart(7)}  ${(own + k).padEnd(20)} ${String(need).padStart(11)}  ${String(left).padStart(13)}  ${(left > 0 ? ((left * p.blockBytes) / 1024).toFixed(1) + " KB" : "none").padStart(15)}  ${(p.heapBytes / 1024 + " KB").padStart(14)}  ${String(left - heapBlocks).padStart(12)}`);
  }
}
