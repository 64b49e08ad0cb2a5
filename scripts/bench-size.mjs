// `npm run bench:size`: how big .mpb images are against their sources. Compiles each corpus with the real CLI
// (`espy compile DIR -o TMP`, with and without --strip-lines) into a temporary directory, so nothing is written
// beside the sources (the conformance corpus is read in place), and prints bytes and ratios. Only files that compile
// count, on both sides of the ratio. For reference: MicroPython's .mpy is about 35% of the source on real code.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, dirname, relative } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "dist/cli.js");
const corpora = [
  ["conformance basics", join(root, "../shared/conformance/corpus/basics")],
  ["examples", join(root, "examples")],
  ["tests/py", join(root, "tests/py")],
];

function sources(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory() && e.name !== "__pycache__" && !e.name.startsWith(".") && e.name !== "node_modules") out.push(...sources(p));
    else if (e.isFile() && e.name.endsWith(".py")) out.push(p);
  }
  return out;
}

function size(p) {
  return existsSync(p) ? statSync(p).size : 0;
}

if (!existsSync(cli)) {
  console.error("dist/cli.js is missing: run npm run build first");
  process.exit(1);
}

const rows = [];
const tmp = mkdtempSync(join(tmpdir(), "espy-bench-"));
try {
  for (const [name, dir] of corpora) {
    if (!existsSync(dir)) {
      console.log(`${name}: ${dir} not found, skipped`);
      continue;
    }
    const full = join(tmp, name.replace(/\W+/g, "-") + "-full");
    const strip = join(tmp, name.replace(/\W+/g, "-") + "-strip");
    // exit status 1 just means some files did not compile (t-strings, deliberate syntax errors): they are left out
    for (const [out, extra] of [[full, []], [strip, ["--strip-lines"]]]) {
      // from inside dir, so images record "name.py" as a board would, not this machine's absolute path
      const r = spawnSync(process.execPath, [cli, "compile", ".", "-o", out, ...extra], { cwd: dir, encoding: "utf8", maxBuffer: 64 << 20 });
      if (r.status !== 0 && r.status !== 1) {
        console.error(r.stderr);
        process.exit(1);
      }
    }
    let src = 0, mpb = 0, stripped = 0, map = 0, files = 0, failed = 0;
    for (const f of sources(dir)) {
      const rel = relative(dir, f).replace(/\.py$/, ".mpb");
      if (!existsSync(join(full, rel))) {
        failed++;
        continue;
      }
      files++;
      src += size(f);
      mpb += size(join(full, rel));
      stripped += size(join(strip, rel));
      map += size(join(strip, rel + ".map"));
    }
    rows.push({ name, files, failed, src, mpb, stripped, map });
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const pct = (a, b) => (b ? ((100 * a) / b).toFixed(1) + "%" : "-");
const head = ["corpus", "files", "source bytes", ".mpb", "ratio", "stripped .mpb", "ratio", ".map (host)"];
const body = rows.map((r) => [
  r.name,
  String(r.files) + (r.failed ? ` (+${r.failed} not compiled)` : ""),
  String(r.src),
  String(r.mpb),
  pct(r.mpb, r.src),
  String(r.stripped),
  pct(r.stripped, r.src),
  String(r.map),
]);
if (rows.length > 1) {
  const t = rows.reduce((a, r) => ({ files: a.files + r.files, src: a.src + r.src, mpb: a.mpb + r.mpb, stripped: a.stripped + r.stripped, map: a.map + r.map }), { files: 0, src: 0, mpb: 0, stripped: 0, map: 0 });
  body.push(["all", String(t.files), String(t.src), String(t.mpb), pct(t.mpb, t.src), String(t.stripped), pct(t.stripped, t.src), String(t.map)]);
}
const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
const line = (r) => "| " + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ") + " |";
console.log(line(head));
console.log("|" + widths.map((w, i) => (i === 0 ? "-".repeat(w + 1) + "-" : "-".repeat(w + 1) + ":")).join("|") + "|");
for (const r of body) console.log(line(r));
console.log("(MicroPython's .mpy is about 35% of the source on real code)");
