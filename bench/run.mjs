// `npm run bench`: the programs in bench/*.py on espy, CPython and MicroPython's WebAssembly port, in one run.
//
// Each runner runs each program as a fresh process: espy as `node dist/espy.js run FILE` (the installed command: the
// CLI bundle through V8's code cache, which the build trains), CPython as the interpreter
// itself (not a pyenv shim), MicroPython as a Node child that loads the WebAssembly port and calls runPython. Runners
// alternate program by program, their order rotating every round. A small CPython launcher starts each process and
// reports its wall time and CPU time (user + system, from wait4's rusage). Before every program run the same runner
// runs an empty program: the median of those in a round is that runner's start-up for the round, subtracted from the
// round's whole-process times to give run time. Printed: median (min–max) of run time, × CPython, geometric means,
// start-up, and whole-process medians. Every run's stdout and exit status must equal CPython's: a mismatch is printed
// loudly, left out of the ratios, and the harness exits 1. See docs/bench.md.
//
//   node bench/run.mjs [--runs N] [--only a,b] [--no-micropython] [--espy CLI.js] [--python EXE] [--json FILE]
//   node bench/run.mjs --steady N [--only a,b] [--espy CLI.js] [--python EXE]
//
// --steady N runs each program N times in one process (bench/tools/repeat.py) on espy and CPython and prints the first
// run beside the best later one: how much of espy's time is warm-up (V8 compiling) and how much the steady state.
//
// MicroPython is installed on first use into node_modules/.cache/espy-bench-micropython (or $ESPY_BENCH_CACHE) with
// `npm install --prefix`; without network it says so and runs without it.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const MPY_PACKAGE = "@micropython/micropython-webassembly-pyscript";
const MPY_VERSION = "1.27.0";
const MPY_HEAP = 64 * 1024 * 1024;
const TIMEOUT_MS = 300000;
const MARK = "@@espy-bench";

// --- the MicroPython child: `node bench/run.mjs --mpy-child MODULE FILE` ---------------------------------------------

async function mpyChild() {
  const { loadMicroPython } = await import(pathToFileURL(process.argv[3]).href);
  const out = [];
  const err = [];
  const mp = await loadMicroPython({
    heapsize: MPY_HEAP,
    linebuffer: true,
    stdout: (line) => out.push(line + "\n"),
    stderr: (line) => err.push(line + "\n"),
  });
  let status = 0;
  try {
    mp.runPython(readFileSync(process.argv[4], "utf8"));
  } catch (e) {
    // an uncaught Python exception: the port throws a PythonError whose message is the traceback
    err.push(String(e && e.message ? e.message : e).replace(/\n?$/, "\n"));
    status = 1;
  }
  process.stdout.write(out.join(""));
  process.stderr.write(err.join(""));
  process.exitCode = status;
}

// --- the harness -----------------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const o = { runs: 5, only: null, micropython: true, espy: join(root, "dist/espy.js"), python: null, json: null, steady: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) fail(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--runs") o.runs = parseInt(val(), 10);
    else if (a === "--only") o.only = val().split(",").map((s) => s.replace(/\.py$/, ""));
    else if (a === "--no-micropython") o.micropython = false;
    else if (a === "--espy") o.espy = resolve(val());
    else if (a === "--python") o.python = val();
    else if (a === "--json") o.json = resolve(val());
    else if (a === "--steady") o.steady = parseInt(val(), 10);
    else if (a === "-h" || a === "--help") {
      console.log("usage: node bench/run.mjs [--runs N] [--only a,b] [--no-micropython] [--espy CLI.js] [--python EXE] [--json FILE]");
      console.log("       node bench/run.mjs --steady N [--only a,b] [--espy CLI.js] [--python EXE]");
      process.exit(0);
    } else fail(`unknown argument ${a}`);
  }
  if (!(o.runs >= 1)) fail("--runs must be at least 1");
  if (o.steady && !(o.steady >= 2)) fail("--steady must be at least 2 (a first run and a later one)");
  return o;
}

function fail(msg) {
  console.error(`bench: ${msg}`);
  process.exit(2);
}

const log = (s) => process.stderr.write(s + "\n");

/** The real CPython executable: `python3` may be a shim (pyenv's costs a second per start), so ask it for sys.executable. */
function findPython(given) {
  const cmd = given || "python3";
  const r = spawnSync(cmd, ["-c", "import sys; print(sys.executable); print(sys.version.split()[0])"], { encoding: "utf8" });
  if (r.status !== 0) fail(`cannot run ${cmd}: ${r.error ? r.error.message : r.stderr}`);
  const [exe, version] = r.stdout.trim().split("\n");
  return { exe: exe || cmd, version };
}

/** The MicroPython module path, installing the package into the cache on first use; null (with a message) when it can't. */
function findMicroPython() {
  const cache = process.env.ESPY_BENCH_CACHE || join(root, "node_modules/.cache/espy-bench-micropython");
  const pkgDir = join(cache, "node_modules", MPY_PACKAGE);
  const mod = join(pkgDir, "micropython.mjs");
  const installed = () => {
    try {
      return existsSync(mod) && JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).version === MPY_VERSION;
    } catch {
      return false;
    }
  };
  if (!installed()) {
    log(`MicroPython: installing ${MPY_PACKAGE}@${MPY_VERSION} into ${cache} …`);
    try {
      mkdirSync(cache, { recursive: true });
      // a package.json of its own, so npm never walks up to the project's
      if (!existsSync(join(cache, "package.json"))) writeFileSync(join(cache, "package.json"), '{ "private": true }\n');
    } catch (e) {
      log(`MicroPython: cannot create ${cache} (${e.message}); running without it`);
      return null;
    }
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const r = spawnSync(
      npm,
      ["install", "--prefix", cache, "--no-audit", "--no-fund", "--no-save", "--no-package-lock", `${MPY_PACKAGE}@${MPY_VERSION}`],
      { encoding: "utf8", timeout: 180000 },
    );
    if (r.status !== 0 || !installed()) {
      const lines = (r.stderr || "").split("\n").filter((l) => /^npm (error|ERR!) \S/.test(l) && !/complete log/.test(l));
      const why = r.error ? r.error.message : lines.slice(0, 2).join(" / ");
      log(`MicroPython: install failed (${why || "no package after install"}); running without it`);
      return null;
    }
  }
  return { module: mod, version: MPY_VERSION };
}

function median(xs) {
  const s = xs.slice().sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

const geomean = (xs) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);

// The launcher: CPython (already required) starts the program, waits for it with wait4 and reports the wall time
// around it and the CPU time (user + system, all its threads) from its rusage, so the launcher's own start is not
// counted, and CPU time has microsecond resolution (Linux's /proc has 10 ms). The report is the last stderr line.
const LAUNCHER = `
import os, sys, time
argv = sys.argv[1:]
t0 = time.perf_counter()
pid = os.posix_spawn(argv[0], argv, os.environ)
_, status, ru = os.wait4(pid, 0)
t1 = time.perf_counter()
sys.stderr.flush()
sys.stderr.write("\\n${MARK} %r %r\\n" % (t1 - t0, ru.ru_utime + ru.ru_stime))
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
`;

/**
 * Run one process through the launcher (or, where it can't run, time it from here: wall time only). Returns the
 * whole-process wall and CPU seconds, stdout, stderr and exit status.
 */
function timeRun(launch, cmd, args, cwd) {
  const t0 = process.hrtime.bigint();
  const r = launch
    ? spawnSync(launch, ["-S", "-E", "-c", LAUNCHER, cmd].concat(args), { cwd, encoding: "utf8", timeout: TIMEOUT_MS, maxBuffer: 64 << 20 })
    : spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: TIMEOUT_MS, maxBuffer: 64 << 20 });
  let wall = Number(process.hrtime.bigint() - t0) / 1e9;
  let cpu = null;
  let status = r.status;
  let stderr = r.stderr || "";
  if (launch) {
    const i = stderr.lastIndexOf(`\n${MARK} `);
    if (i >= 0) {
      const f = stderr.slice(i + MARK.length + 2).trim().split(" ");
      wall = parseFloat(f[0]);
      cpu = parseFloat(f[1]);
      stderr = stderr.slice(0, i);
    }
  }
  if (r.error) {
    status = -1;
    stderr += `\n[${r.error.code === "ETIMEDOUT" ? `timed out after ${TIMEOUT_MS / 1000} s` : r.error.message}]`;
  } else if (r.signal) {
    status = -1;
    stderr += `\n[killed by ${r.signal}]`;
  }
  return { wall, cpu, stdout: r.stdout || "", stderr, status };
}

function firstDifference(a, b) {
  const la = a.split("\n");
  const lb = b.split("\n");
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return { line: i + 1, want: la[i], got: lb[i] };
  }
  return null;
}

const fmtS = (x) => (x == null ? "—" : x.toFixed(x < 10 ? 3 : 2));
const fmtX = (x) => (x == null ? "—" : x.toFixed(2) + "×");

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(opts.espy)) fail(`${opts.espy} not found: build first (node scripts/build.mjs)`);

  let programs = readdirSync(here).filter((f) => f.endsWith(".py")).sort().map((f) => f.replace(/\.py$/, ""));
  if (opts.only) {
    for (const p of opts.only) if (!programs.includes(p)) fail(`no program bench/${p}.py`);
    programs = programs.filter((p) => opts.only.includes(p));
  }

  const py = findPython(opts.python);
  if (opts.steady) return steady(opts, programs, py);
  const mpy = opts.micropython ? findMicroPython() : null;
  if (!opts.micropython) log("MicroPython: skipped (--no-micropython)");
  const espyVersion = spawnSync(process.execPath, [opts.espy, "--version"], { encoding: "utf8" }).stdout.trim();

  const work = mkdtempSync(join(tmpdir(), "espy-bench-"));
  const EMPTY = "(empty)";
  writeFileSync(join(work, "empty.py"), "");
  const fileOf = (p) => (p === EMPTY ? join(work, "empty.py") : join(here, p));

  // CPython comes first: it is the reference the others' output is checked against
  const runners = [
    { key: "cpython", name: "CPython", cmd: py.exe, args: (f) => [f] },
    { key: "espy", name: "espy", cmd: process.execPath, args: (f) => [opts.espy, "run", f] },
  ];
  if (mpy) runners.push({ key: "micropython", name: "MicroPython", cmd: process.execPath, args: (f) => [fileURLToPath(import.meta.url), "--mpy-child", mpy.module, f] });

  // the launcher needs posix_spawn and wait4 (not on Windows); without it, wall time measured from here
  const probe = timeRun(py.exe, py.exe, ["-c", "pass"], work);
  const launch = probe.cpu != null && probe.status === 0 ? py.exe : null;
  if (!launch) log("bench: no launcher (posix_spawn/wait4): wall time from the harness only, no CPU time");

  const runs = {}; // runs[prog][runner] = [{ round, wall, cpu }]: whole-process seconds
  const empties = {}; // empties[runner] = [{ round, wall, cpu }]: the empty program, run just before each program run
  const expected = {}; // CPython's result per program
  const bad = { [EMPTY]: {} }; // bad[prog][runner] = what went wrong
  for (const p of programs) {
    runs[p] = {};
    bad[p] = {};
    for (const r of runners) runs[p][r.key] = [];
  }
  for (const r of runners) empties[r.key] = [];

  /** Run a program; false (and a loud message) if its result differs from CPython's. */
  function check(p, r, res) {
    if (r.key === "cpython" && !expected[p]) {
      expected[p] = res;
      if (res.status !== 0) {
        bad[p].cpython = `CPython itself fails (status ${res.status})`;
        console.error(`\n!!! CPython fails on ${p}: status ${res.status}\n${res.stderr.trim()}`);
        return false;
      }
    }
    const want = expected[p];
    if (!want || (res.stdout === want.stdout && res.status === want.status)) return true;
    const d = firstDifference(want.stdout, res.stdout);
    const parts = [];
    if (res.status !== want.status) parts.push(`exit status ${res.status} (CPython ${want.status})`);
    if (d) parts.push(`stdout line ${d.line}: CPython ${JSON.stringify(d.want)}, ${r.name} ${JSON.stringify(d.got)}`);
    const tail = res.stderr.trim().split("\n").slice(-1)[0];
    if (tail) parts.push(`stderr ends ${JSON.stringify(tail)}`);
    bad[p][r.key] = parts.join("; ");
    console.error(`\n!!! MISMATCH: ${r.name} on ${p}: ${bad[p][r.key]}`);
    if (res.stderr.trim()) console.error(res.stderr.trim().split("\n").slice(-8).map((l) => "    " + l).join("\n"));
    return false;
  }

  const startLoad = loadavg();
  const started = Date.now();
  log(`bench: ${programs.length} programs × ${runners.length} runners × ${opts.runs} runs, each run after an empty program's`);

  // one untimed pass over the empty program (disk caches, the wasm file), which also checks it
  for (const r of runners) check(EMPTY, r, timeRun(launch, r.cmd, r.args(fileOf(EMPTY)), work));

  for (let round = 0; round < opts.runs; round++) {
    for (const p of programs) {
      // rotate the order each round; round 0 starts with CPython, whose output the others are checked against
      const order = runners.map((_, i) => runners[(i + round) % runners.length]);
      const line = [];
      for (const r of order) {
        if (bad[p][r.key] || bad[EMPTY][r.key]) continue;
        const e = timeRun(launch, r.cmd, r.args(fileOf(EMPTY)), work);
        if (!check(EMPTY, r, e)) continue;
        empties[r.key].push({ round, wall: e.wall, cpu: e.cpu });
        const res = timeRun(launch, r.cmd, r.args(fileOf(p + ".py")), work);
        if (!check(p, r, res)) continue;
        runs[p][r.key].push({ round, wall: res.wall, cpu: res.cpu });
        line.push(`${r.name} ${res.wall.toFixed(2)}` + (res.cpu != null ? ` (cpu ${res.cpu.toFixed(2)})` : "") +
          ` start-up ${e.wall.toFixed(2)}`);
      }
      log(`[round ${round + 1}/${opts.runs}] ${p.padEnd(11)} ${line.join("  ")}`);
    }
  }
  rmSync(work, { recursive: true, force: true });

  // --- results ---------------------------------------------------------------------------------------------------------
  const others = runners.filter((r) => r.key !== "cpython");
  const out = [];
  const cpuModel = ((cpus()[0] || {}).model || "unknown CPU").trim();
  out.push("");
  out.push(`espy ${espyVersion} · CPython ${py.version} (${py.exe}) · ${mpy ? `MicroPython WebAssembly ${mpy.version} (npm ${MPY_PACKAGE})` : "MicroPython not run"}`);
  out.push(`Node ${process.version} · ${cpus().length} × ${cpuModel} · load average ${startLoad[0].toFixed(1)} at start, ` +
    `${loadavg()[0].toFixed(1)} at end · ${opts.runs} runs each · ${((Date.now() - started) / 1000).toFixed(0)} s in all`);

  const summaries = {};
  for (const kind of ["wall", "cpu"]) {
    if (kind === "cpu" && !launch) continue;
    // each run's start-up: the median of that runner's empty-program runs in the same round (load drifts on a shared
    // machine; a round lasts a minute or two)
    const su = {};
    for (const r of runners) {
      su[r.key] = [];
      for (let round = 0; round < opts.runs; round++) {
        const xs = empties[r.key].filter((e) => e.round === round).map((e) => e[kind]);
        su[r.key].push(xs.length ? median(xs) : null);
      }
    }
    const st = {}; // st[prog][runner] = { med, min, max } of run time in seconds, start-up subtracted
    for (const p of programs) {
      st[p] = {};
      for (const r of runners) {
        if (bad[p][r.key]) continue;
        const ts = runs[p][r.key].filter((x) => su[r.key][x.round] != null).map((x) => x[kind] - su[r.key][x.round]);
        if (ts.length) st[p][r.key] = { med: median(ts), min: Math.min(...ts), max: Math.max(...ts) };
      }
    }
    const ratio = (p, k) => {
      const a = st[p][k];
      const c = st[p].cpython;
      return a && c && c.med > 0 ? Math.max(a.med, 0.001) / c.med : null;
    };
    out.push("");
    out.push(kind === "wall"
      ? "Wall time in seconds, start-up excluded: median (min–max) over the runs, and × CPython's median."
      : "CPU time (user + system, all threads) in seconds, start-up excluded the same way: median (min–max), × CPython.");
    out.push("");
    const head = ["program", "CPython"];
    for (const r of others) head.push(r.name, "×");
    const rows = [head, head.map((_, i) => (i === 0 ? "---" : "---:"))];
    const cell = (x) => (x ? `${fmtS(x.med)} (${fmtS(x.min)}–${fmtS(x.max)})` : "—");
    for (const p of programs) {
      const row = [p, bad[p].cpython ? "**FAILS**" : cell(st[p].cpython)];
      for (const r of others) {
        if (bad[p][r.key] || bad[EMPTY][r.key]) row.push("**MISMATCH**", "—");
        else row.push(cell(st[p][r.key]), fmtX(ratio(p, r.key)));
      }
      rows.push(row);
    }
    const gm = {};
    const gmRow = ["**geometric mean**", ""];
    for (const r of others) {
      const xs = programs.map((p) => ratio(p, r.key)).filter((x) => x != null);
      gm[r.key] = xs.length ? geomean(xs) : null;
      const note = xs.length < programs.length ? ` (${xs.length} of ${programs.length})` : "";
      gmRow.push("", gm[r.key] == null ? "—" : `**${fmtX(gm[r.key])}**${note}`);
    }
    rows.push(gmRow);
    const startupMed = {};
    const suRow = ["start-up (empty program)"];
    for (const r of runners) {
      const ts = empties[r.key].map((e) => e[kind]);
      startupMed[r.key] = ts.length ? median(ts) : null;
      suRow.push(ts.length ? `${fmtS(startupMed[r.key])} (${fmtS(Math.min(...ts))}–${fmtS(Math.max(...ts))})` : "—");
      if (r.key !== "cpython") suRow.push(startupMed[r.key] && startupMed.cpython ? fmtX(startupMed[r.key] / startupMed.cpython) : "—");
    }
    rows.push(suRow);
    out.push(...table(rows));
    summaries[kind] = { gm: gm.espy, over: programs.filter((p) => (ratio(p, "espy") || 0) > 3) };
  }

  // the whole processes, start-up included, as a user sees them
  out.push("");
  out.push("Whole process (start-up included), wall time in seconds: median, and × CPython's.");
  out.push("");
  const whead = ["program", "CPython"];
  for (const r of others) whead.push(r.name, "×");
  const wrows = [whead, whead.map((_, i) => (i === 0 ? "---" : "---:"))];
  for (const p of programs) {
    const med = {};
    for (const r of runners) med[r.key] = !bad[p][r.key] && runs[p][r.key].length ? median(runs[p][r.key].map((x) => x.wall)) : null;
    const row = [p, fmtS(med.cpython)];
    for (const r of others) row.push(fmtS(med[r.key]), med[r.key] != null && med.cpython ? fmtX(med[r.key] / med.cpython) : "—");
    wrows.push(row);
  }
  out.push(...table(wrows));

  out.push("");
  const mism = [];
  for (const p of [EMPTY].concat(programs)) for (const r of runners) if (bad[p][r.key]) mism.push(`${r.name} on ${p}: ${bad[p][r.key]}`);
  const espyBad = [EMPTY].concat(programs).some((p) => bad[p].espy);
  for (const kind of Object.keys(summaries)) {
    const s = summaries[kind];
    if (s.gm == null) continue;
    const met = s.gm <= 1.5 && !s.over.length && !espyBad;
    out.push(`Host target by ${kind === "wall" ? "wall" : "CPU"} time (espy's geomean ≤ 1.5× CPython's, no program over 3×): ` +
      `${met ? "met" : "NOT met"}: geomean ${fmtX(s.gm)}` + (s.over.length ? `; over 3×: ${s.over.length} of ${programs.length}` : "") +
      (espyBad ? "; espy's output mismatches" : ""));
  }
  if (mism.length) {
    out.push("");
    out.push(`!!! ${mism.length} OUTPUT MISMATCH${mism.length > 1 ? "ES" : ""} with CPython (left out of the ratios):`);
    for (const m of mism) out.push(`!!!   ${m}`);
  } else out.push("All outputs match CPython's.");
  console.log(out.join("\n"));

  if (opts.json) {
    const raw = { espy: espyVersion, cpython: py.version, micropython: mpy && mpy.version, rounds: opts.runs, runs, empties, mismatches: bad };
    writeFileSync(opts.json, JSON.stringify(raw, null, 1) + "\n");
  }
  process.exitCode = mism.length ? 1 : 0;
}

/**
 * --steady N: each program N times in one process (bench/tools/repeat.py, which prints each run's time), espy and CPython
 * alternately. The first run carries the warm-up; the best of the later ones is the steady state.
 */
function steady(opts, programs, py) {
  const repeat = join(here, "tools/repeat.py");
  const runners = [
    { name: "CPython", cmd: py.exe, args: (f) => [repeat, f, String(opts.steady)] },
    { name: "espy", cmd: process.execPath, args: (f) => [opts.espy, "run", repeat, f, String(opts.steady)] },
  ];
  log(`bench --steady: ${programs.length} programs × ${opts.steady} runs in one process, on CPython and espy`);
  const rows = [];
  let gFirst = 0;
  let gSteady = 0;
  for (const p of programs) {
    const t = {};
    for (const r of runners) {
      const res = spawnSync(r.cmd, r.args(join(here, p + ".py")), { cwd: here, encoding: "utf8", timeout: TIMEOUT_MS, maxBuffer: 64 << 20 });
      const times = [...(res.stdout || "").matchAll(/^run \d+ ([0-9.]+) s$/gm)].map((m) => parseFloat(m[1]));
      if (res.status !== 0 || times.length !== opts.steady) fail(`${r.name} on ${p}: status ${res.status}\n${(res.stderr || "").trim()}`);
      t[r.name] = { first: times[0], best: Math.min(...times.slice(1)) };
    }
    const xf = t.espy.first / t.CPython.first;
    const xs = t.espy.best / t.CPython.best;
    gFirst += Math.log(xf);
    gSteady += Math.log(xs);
    log(`${p.padEnd(11)} CPython ${fmtS(t.CPython.first)} / ${fmtS(t.CPython.best)}  espy ${fmtS(t.espy.first)} / ${fmtS(t.espy.best)}`);
    rows.push([p, fmtS(t.CPython.first), fmtS(t.CPython.best), fmtS(t.espy.first), fmtS(t.espy.best), fmtX(xf), fmtX(xs)]);
  }
  const n = programs.length;
  rows.push(["**geometric mean**", "", "", "", "", `**${fmtX(Math.exp(gFirst / n))}**`, `**${fmtX(Math.exp(gSteady / n))}**`]);
  console.log(`\nIn one process, seconds per run (the program's own time.time() around exec): the first run and the best of runs 2–${opts.steady}.\n`);
  const head = ["program", "CPython first", "CPython steady", "espy first", "espy steady", "first ×", "steady ×"];
  console.log(table([head, head.map((_, i) => (i === 0 ? "---" : "---:")), ...rows]).join("\n"));
}

/** Markdown table rows padded into columns. */
function table(rows) {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => {
    const cells = r.map((c, i) => {
      c = String(c);
      if (/^-+:?$/.test(c) && c.length <= 4) return c.endsWith(":") ? "-".repeat(w[i] - 1) + ":" : "-".repeat(w[i]);
      return i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]);
    });
    return "| " + cells.join(" | ") + " |";
  });
}

if (process.argv[2] === "--mpy-child") await mpyChild();
else await main();
