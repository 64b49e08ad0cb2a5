// `npm run bench:device`: what the device runtime costs on each board profile. Always: bytes in Storage per image and
// part, and their function counts (each function Espruino creates costs blocks even when its code stays in flash).
// With ESPRUINO naming an Espruino executable (its Linux build), also measured on it: blocks resident after loading
// the runtime from Storage, after the runtime's tables are set up, and the VM's fixed cost; from these, blocks left for
// the Python heap on each profile. Also the helpers tests/device.test.ts uses to drive that executable.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as acorn from "acorn";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const DEVICE_DIR = join(root, "dist/device");
export const IMAGES = ["espy.js", "espy-full.js", "espy-cc.js", "espy-big.js", "espy-flt.js"];

/** Function nodes in a built file: all of them, and those Espruino creates when the file is evaluated. */
export function functionCount(file) {
  const ast = acorn.parse(readFileSync(file, "utf8"), { ecmaVersion: "latest" });
  let total = 0;
  let atLoad = 0;
  // a part is one `(function(){…})()`; a resident image runs at the global scope (build.mjs globalScope)
  const b = ast.body.filter((s) => !s.directive);
  const wrapped = b.length === 1 && b[0].type === "ExpressionStatement" && b[0].expression.type === "CallExpression" && /Function/.test(b[0].expression.callee.type);
  const loadDepth = wrapped ? 1 : 0;
  (function walk(n, depth) {
    if (!n || typeof n.type !== "string") return;
    const fn = n.type === "FunctionDeclaration" || n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression";
    if (fn) {
      total++;
      // declared at the top of the file, or of its IIFE: made when the file runs
      if (depth === loadDepth) atLoad++;
    }
    for (const k in n) {
      const v = n[k];
      if (Array.isArray(v)) v.forEach((c) => walk(c, depth + (fn ? 1 : 0)));
      else if (v && typeof v.type === "string") walk(v, depth + (fn ? 1 : 0));
    }
  })(ast, 0);
  return { total, atLoad };
}

// --- driving Espruino's Linux build ----------------------------------------------------------------------------------

/**
 * Run the Espruino executable in `dir` (its Storage is `dir/espruino.flash`) with these arguments; resolves to its
 * output after the banner, with "\r\n" as "\n". stdin stays an open pipe (at end of input the Linux build reads
 * garbage); `input` is a list of [ms, bytes] to send. Never sends 0x04, which makes the Linux build exit.
 */
export function runEspruino(exe, dir, args, opts = {}) {
  const timeoutMs = opts.timeoutMs || 30000;
  return new Promise((resolve) => {
    const p = spawn(exe, args, { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let killed = false;
    p.stdout.on("data", (d) => (out += d.toString("latin1")));
    p.stderr.on("data", (d) => (out += d.toString("latin1")));
    const timers = [];
    for (const [ms, data] of opts.input || []) {
      if (data.indexOf("\x04") >= 0) throw new Error("never send 0x04 to the Linux build: it exits");
      timers.push(setTimeout(() => p.stdin.write(data, "latin1"), ms));
    }
    const kill = setTimeout(() => {
      killed = true;
      p.kill("SIGKILL");
    }, timeoutMs);
    p.on("close", (code) => {
      clearTimeout(kill);
      timers.forEach(clearTimeout);
      const text = out.replace(/\r\n/g, "\n");
      const i = text.indexOf("http://espruino.com/Donate\n");
      resolve({ out: i >= 0 ? text.slice(i + 27).replace(/^\n/, "") : text, code, killed });
    });
  });
}

/** Run JS source in a fresh file-mode Espruino (no boot code) in dir. */
export function runJs(exe, dir, js, opts) {
  const f = join(dir, "_run" + Math.random().toString(36).slice(2, 8) + ".js");
  writeFileSync(f, js);
  return runEspruino(exe, dir, [f], opts).then((r) => {
    rmSync(f, { force: true });
    return r;
  });
}

/** Write host files into dir's Storage: { storageName: hostPath }. Reads them in 1 KB chunks (E.openFile). */
export async function storageWrite(exe, dir, files) {
  let js = 'var S=require("Storage"),f,c,o;\n';
  for (const name of Object.keys(files)) {
    const size = statSync(files[name]).size;
    js += `S.erase(${JSON.stringify(name)});f=E.openFile(${JSON.stringify(files[name])},"r");o=0;\n`;
    js += `while(o<${size}){c=f.read(1024);if(!c)break;if(o===0)S.write(${JSON.stringify(name)},c,0,${size});else S.write(${JSON.stringify(name)},c,o);o+=c.length;}f.close();\n`;
    js += `if(o!==${size})print("short write ${name}",o);\n`;
  }
  js += 'print("stored",JSON.stringify(S.getStats()));\n';
  const r = await runJs(exe, dir, js);
  if (!/stored/.test(r.out) || /short write|Error|OUT OF MEMORY/.test(r.out)) throw new Error("storage write failed: " + r.out);
  return r.out;
}

/** A fresh directory for one Espruino instance (its own espruino.flash). */
export function freshDir() {
  return mkdtempSync(join(tmpdir(), "espy-dev-"));
}

/**
 * Measure blocks on the Espruino at exe for one resident image: usage before and after evaluating it from Storage,
 * after the runtime's tables are set up, and after a VM with a minimal heap exists. Returns numbers in blocks.
 */
export async function measureImage(exe, image) {
  const dir = freshDir();
  try {
    await storageWrite(exe, dir, { "espy.js": join(DEVICE_DIR, image) });
    const js = [
      "var m=function(){return process.memory().usage;};",
      "var r={blocksize:process.memory().blocksize,total:process.memory().total,base:m()};",
      'print("STEP "+JSON.stringify(r));',
      'eval(require("Storage").read("espy.js"));',
      "r.loaded=m();",
      'print("STEP "+JSON.stringify(r));',
      "espy.init();",
      "r.init=m();",
      'print("STEP "+JSON.stringify(r));',
      "var v=espy.newVm(16384,1024);",
      "r.vm=m();",
      "r.heapBlocks=E.getSizeOf(v.heap.buf);",
      "v=undefined;",
      "r.after=m();",
      'print("RESULT "+JSON.stringify(r));',
    ].join("\n");
    const out = await runJs(exe, dir, js, { timeoutMs: 600000 });
    const m = /RESULT (\{.*\})/.exec(out.out);
    if (!m) {
      const steps = out.out.match(/STEP (\{.*\})/g) || [];
      const last = steps.length ? JSON.parse(steps[steps.length - 1].slice(5)) : null;
      const oom = /OUT OF MEMORY/.test(out.out);
      const where = !last ? "before start" : last.init !== undefined ? "creating the VM" : last.loaded !== undefined ? "setting up the runtime's tables" : "loading the runtime";
      throw new Error(`${oom ? "out of memory" : "failed"} while ${where}${last ? ` (${last.total} blocks, ${JSON.stringify(last)})` : ""}${oom ? "" : ":\n" + out.out.slice(0, 1500)}`);
    }
    return JSON.parse(m[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- the report ------------------------------------------------------------------------------------------------------

async function main() {
  const { PROFILES } = await import("data:text/javascript," + encodeURIComponent(await profilesJs()));
  if (!existsSync(join(DEVICE_DIR, "espy.js"))) {
    console.log("no dist/device/espy.js: run `npm run build` first");
    process.exit(1);
  }
  console.log("Storage bytes and function counts of the device files:");
  console.log("  file            bytes     KB   functions  created at load");
  for (const f of IMAGES) {
    const p = join(DEVICE_DIR, f);
    if (!existsSync(p)) continue;
    const n = statSync(p).size;
    const fc = functionCount(p);
    console.log(`  ${f.padEnd(14)} ${String(n).padStart(7)} ${(n / 1024).toFixed(1).padStart(6)}  ${String(fc.total).padStart(9)}  ${String(fc.atLoad).padStart(15)}`);
  }
  const lean = statSync(join(DEVICE_DIR, "espy.js")).size;
  const full = statSync(join(DEVICE_DIR, "espy-full.js")).size;
  console.log("\nFits in Storage (resident image + nothing else):");
  for (const name of Object.keys(PROFILES)) {
    const p = PROFILES[name];
    const img = p.compiler ? full : lean;
    const left = p.storageBytes - img;
    console.log(`  ${name.padEnd(8)} ${p.compiler ? "full" : "lean"}: ${img} of ${p.storageBytes} bytes: ${left >= 0 ? left + " left for programs" : -left + " bytes too many"}`);
  }
  const exe = process.env.ESPRUINO;
  if (!exe) {
    console.log("\nESPRUINO is not set: blocks not measured (set it to an Espruino Linux build's executable).");
    return;
  }
  console.log(`\nMeasured on ${exe}:`);
  const res = {};
  for (const image of ["espy.js", "espy-full.js"]) {
    try {
      res[image] = await measureImage(exe, image);
    } catch (e) {
      console.log(`  ${image}: ${String(e.message).split("\n").slice(0, 4).join(" | ")}`);
    }
  }
  for (const image of Object.keys(res)) {
    const r = res[image];
    console.log(`  ${image}: ${r.total} blocks of ${r.blocksize} bytes; empty ${r.base}, after load +${r.loaded - r.base}, after runtime tables +${r.init - r.base}, VM fixed cost ${r.vm - r.init - r.heapBlocks} (+ heap: 16 KB = ${r.heapBlocks} blocks), after the VM is dropped +${r.after - r.base}`);
  }
  console.log("\nBlocks left for the Python heap per profile (board blocks - Espruino at start - runtime - VM tables - margin):");
  for (const name of Object.keys(PROFILES)) {
    const p = PROFILES[name];
    const r = res[p.compiler ? "espy-full.js" : "espy.js"] || res["espy.js"];
    if (!r || !p.blocks) {
      console.log(`  ${name.padEnd(8)} ${p.blocks ? "not measured" : "resizable blocks: heap limited by the host's RAM"}`);
      continue;
    }
    const used = r.init + (r.vm - r.init - r.heapBlocks);
    const left = p.blocks - used - p.marginBlocks;
    const bytes = left > 0 ? left * p.blockBytes : 0;
    console.log(`  ${name.padEnd(8)} ${p.blocks} blocks: runtime+VM ${used}, margin ${p.marginBlocks}, left ${left} (~${(bytes / 1024).toFixed(1)} KB heap; profile asks ${(p.heapBytes / 1024).toFixed(1)} KB)`);
  }
}

async function profilesJs() {
  const { transform } = await import("esbuild");
  const r = await transform(readFileSync(join(root, "boards/profiles.ts"), "utf8"), { loader: "ts", format: "esm" });
  return r.code;
}

if (process.argv[1] && process.argv[1].endsWith("bench-device.mjs")) await main();
