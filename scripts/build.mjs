// Builds dist/: the host CLI (dist/cli.js, for Node; dist/espy.js, the installed command, runs it through V8's code
// cache) and the device runtime (dist/device/, minified, in the dialect Espruino runs; docs/device.md):
//   espy.js       the lean resident runtime: no compiler; bigint arithmetic and float formatting are stubs that load
//                 their parts on first use
//   espy-full.js  the full resident runtime: compiler, bigint and float formatting built in
//   espy-cc.js, espy-big.js, espy-flt.js   the parts the lean runtime loads from Storage on first use
//   boot-<board>.js   the boot file for each board profile (boards/profiles.ts)
// On the board each resident image is stored as the Storage file espy.js. `--quiet` prints nothing unless something
// fails; `--sizes` adds the lean runtime's bytes per source file.
import { build } from "esbuild";
import * as acorn from "acorn";
import { execFileSync } from "node:child_process";
import { existsSync, statSync, chmodSync, readFileSync, writeFileSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join, dirname, resolve, relative } from "node:path";
import { createRequire } from "node:module";
import * as zlib from "node:zlib";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const quiet = process.argv.includes("--quiet");
const say = (s) => { if (!quiet) console.log(s); };

const DEVICE = { platform: "neutral", format: "iife", target: "es2015", minify: true, legalComments: "none", charset: "ascii" };
const devicePlugins = (lazy) => (lazy ? [lazyPlugin(), esmPlugin()] : [esmPlugin()]);

/** core files the lean runtime loads as parts: the stub left in their place loads the part on first call. */
const LAZY = [
  { file: "core/bigint.ts", part: "espy-big.js", what: "bigint arithmetic" },
  { file: "core/float.ts", part: "espy-flt.js", what: "float formatting" },
];

/** Exported names of a core file, in source order. */
function exportsOf(file) {
  const src = readFileSync(join(root, file), "utf8");
  const names = [];
  for (const m of src.matchAll(/^export (?:function|const|let) (\w+)/gm)) names.push(m[1]);
  if (!names.length) throw new Error(`${file}: no exports found for its lazy stub`);
  return names;
}

const partsJs = JSON.stringify(join(root, "boards/espruino/parts.ts"));

/**
 * The stub of a lazy file: every export is a `let` binding; the first call of any exported function loads the part
 * and rebinds them all to the part's values, so later calls go straight to the real functions and the stubs become
 * garbage. Non-function exports (bigint's register array R) are read only after a call, by the files that use them.
 */
function stubSource(l) {
  const names = exportsOf(l.file);
  const src = readFileSync(join(root, l.file), "utf8");
  const isFn = (n) => new RegExp(`^export function ${n}\\b`, "m").test(src);
  return [
    `import { needPart } from ${partsJs};`,
    "let loaded = 0;",
    `function load() { if (loaded) return; const p = needPart(${JSON.stringify(l.part)}, ${JSON.stringify(l.what)}); ${names.map((n, i) => `${n} = p[${i}];`).join(" ")} loaded = 1; }`,
    ...names.map((n) => (isFn(n) ? `export let ${n} = function () { load(); return ${n}.apply(null, arguments); };` : `export let ${n};`)),
  ].join("\n");
}

function lazyPlugin() {
  return {
    name: "espy-lazy",
    setup(b) {
      b.onLoad({ filter: /[\\/]core[\\/](bigint|float)\.ts$/ }, (args) => {
        const l = LAZY.find((x) => join(root, x.file) === args.path);
        if (!l) return undefined;
        return { contents: stubSource(l), loader: "js", resolveDir: dirname(args.path) };
      });
    },
  };
}

/**
 * Every .ts file of a build goes through here:
 * - A file with imports but no exports (a module that only registers itself, an entry) is CommonJS to esbuild,
 *   which then wraps every module it reaches in lazy-init closures and adds interop helpers (Object.create, getters):
 *   hundreds of extra functions on the board, each costing blocks, and on the host every module-level binding a
 *   variable assigned late (V8 cannot treat it as a constant in the interpreter's hot paths). Such files get an
 *   empty export so all are ESM.
 * - On the device (not `host`), natives lose their parameters (nativeArgs).
 */
function esmPlugin(host) {
  return {
    name: "espy-esm",
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        const src = readFileSync(args.path, "utf8");
        const out = host ? src : nativeArgs(src, args.path);
        if (/^\s*export\b/m.test(src)) return out === src ? undefined : { contents: out, loader: "ts" };
        return { contents: out + "\nexport {};\n", loader: "ts" };
      });
    },
  };
}

/**
 * On Espruino every parameter of a function costs a block for as long as the function exists, and the runtime holds
 * some 600 natives, each `(vm, a, n, kw)`. callNative also leaves them in NV[0] and the register array NR
 * (core/vm/registry.ts), so here a native loses its parameters and reads them on entry: `function (vm, a, n, kw)
 * {…}` becomes `function () { let vm = NV[0], a = NR[0], n = NR[1], kw = NR[2]; …}`. A native is a function given
 * as `native(…)`'s fifth argument: written there, or declared in the file (or returned by a factory declared in the
 * file) and named nowhere else, so nothing calls it except through callNative.
 */
const REGISTRY = join(root, "core/vm/registry.ts");
function nativeArgs(src, file) {
  if (file === REGISTRY || src.indexOf("native(") < 0) return src;
  const sf = ts.createSourceFile(file, src, ts.ScriptTarget.Latest, true);
  const decls = new Map();
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name && st.body && !(st.modifiers || []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) decls.set(st.name.text, st);
  }
  const fns = new Set();
  const namedUses = new Map();
  const addFactory = (d) => {
    // the functions a factory returns directly
    (function walk(n) {
      if (ts.isReturnStatement(n) && n.expression && (ts.isFunctionExpression(n.expression) || ts.isArrowFunction(n.expression))) fns.add(n.expression);
      if (n !== d && (ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isFunctionDeclaration(n))) return;
      ts.forEachChild(n, walk);
    })(d);
  };
  (function walk(n) {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === "native" && n.arguments.length === 5) {
      const f = n.arguments[4];
      if (ts.isFunctionExpression(f) || ts.isArrowFunction(f)) fns.add(f);
      else if (ts.isIdentifier(f) && decls.has(f.text)) namedUses.set(f.text, (namedUses.get(f.text) || 0) + 1);
      else if (ts.isCallExpression(f) && ts.isIdentifier(f.expression) && decls.has(f.expression.text)) namedUses.set(f.expression.text, (namedUses.get(f.expression.text) || 0) + 1);
    }
    ts.forEachChild(n, walk);
  })(sf);
  for (const [name, uses] of namedUses) {
    // named anywhere else (called directly, passed on): left as it is
    const all = src.match(new RegExp("(?<![\\w$.])" + name.replace(/\$/g, "\\$") + "(?![\\w$])", "g")).length;
    if (all !== uses + 1) continue;
    const d = decls.get(name);
    if (d.parameters.length >= 1 && d.parameters[0].name.getText(sf) === "vm" && !fnReturnsFunction(d)) fns.add(d);
    else addFactory(d);
  }
  const edits = [];
  for (const f of fns) {
    const ps = f.parameters;
    if (ps.length < 1 || ps.length > 4) continue;
    if (ps.some((p) => !ts.isIdentifier(p.name) || p.initializer || p.dotDotDotToken)) continue;
    const lets = ps.map((p, i) => (i ? `${p.name.text} = __espyNR[${i - 1}]` : `${p.name.text} = __espyNV[0]!`)).join(", ");
    edits.push([ps[0].getStart(sf), ps[ps.length - 1].end, ""]);
    if (ts.isBlock(f.body)) edits.push([f.body.getStart(sf) + 1, f.body.getStart(sf) + 1, ` let ${lets};`]);
    else edits.push([f.body.getStart(sf), f.body.end, `{ let ${lets}; return (${f.body.getText(sf)}); }`]);
  }
  if (!edits.length) return src;
  edits.sort((x, y) => y[0] - x[0]);
  let out = src;
  for (const [s, e, t] of edits) out = out.slice(0, s) + t + out.slice(e);
  let rel = relative(dirname(file), REGISTRY).replace(/\\/g, "/").replace(/\.ts$/, "");
  if (!rel.startsWith(".")) rel = "./" + rel;
  return `import { NR as __espyNR, NV as __espyNV } from ${JSON.stringify(rel)};\n` + out;
}

/** Does this function declaration return a function (a factory of natives, not a native)? */
function fnReturnsFunction(d) {
  let yes = false;
  (function walk(n) {
    if (ts.isReturnStatement(n) && n.expression && (ts.isFunctionExpression(n.expression) || ts.isArrowFunction(n.expression))) yes = true;
    if (n !== d && (ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isFunctionDeclaration(n))) return;
    ts.forEachChild(n, walk);
  })(d);
  return yes;
}

/** The entry of a part that exports a core file's names (in exportsOf order) through parts.ts. */
function partEntry(file) {
  const names = exportsOf(file);
  return {
    contents: `import { exportPart } from ${partsJs};\nimport { ${names.join(", ")} } from ${JSON.stringify(join(root, file))};\nexportPart([${names.join(", ")}]);\n`,
    resolveDir: root, loader: "ts", sourcefile: file.replace(/\.ts$/, "-part.ts"),
  };
}

// --- builtin modules as parts of a resident image ----------------------------------------------------------------
// Each module here is built on its own as `(function(a, b, …){…})`, whose parameters are the resident runtime's
// functions and tables it uses (a link module stands in for every resident file it imports), and stored in a comment
// after the resident code, in the same Storage file. The resident gets a placeholder per module (registry.ts
// `part`), and boards/espruino/link.ts generated: linkPart(p, f) calls f with those bindings, partSpan(p) says where
// the code is. A module costs Espruino's blocks only once imported. Modules the resident itself imports (builtins,
// sys, micropython, errno, struct) stay resident.
const MODULE_PARTS = ["math", "re", "collections", "json", "machine", "random", "binascii", "os", "array"];
const ts = createRequire(import.meta.url)("typescript");

/** The resident's replacements: modules/index.ts registers placeholders for the parts; link.ts is generated. */
function residentPlugin(linkSrc) {
  return {
    name: "espy-resident",
    setup(b) {
      b.onLoad({ filter: /[\\/]core[\\/]modules[\\/]index\.ts$/ }, (args) => {
        const lines = readFileSync(args.path, "utf8").split("\n").filter((l) => {
          const m = /^import "\.\/(\w+)";/.exec(l);
          return !m || !MODULE_PARTS.includes(m[1]);
        });
        lines.push('import { defineModule } from "../vm/registry";', 'import { Q } from "../generated/qstr";');
        MODULE_PARTS.forEach((m, i) => lines.push(`defineModule({ name: Q.${m}, attrs: null as any, part: ${i} });`));
        lines.push("export {};");
        return { contents: lines.join("\n"), loader: "ts" };
      });
      if (linkSrc) b.onLoad({ filter: /[\\/]boards[\\/]espruino[\\/]link\.ts$/ }, () => ({ contents: linkSrc, loader: "ts" }));
    },
  };
}

/** Is a const's initializer a literal (copied into a link module rather than linked)? */
function pureLiteral(n) {
  const K = ts.SyntaxKind;
  if (ts.isParenthesizedExpression(n) || ts.isAsExpression(n)) return pureLiteral(n.expression);
  if (ts.isNumericLiteral(n) || ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return true;
  if (n.kind === K.TrueKeyword || n.kind === K.FalseKeyword) return true;
  if (ts.isPrefixUnaryExpression(n)) return pureLiteral(n.operand);
  if (ts.isBinaryExpression(n)) return pureLiteral(n.left) && pureLiteral(n.right);
  return false;
}

/**
 * The stand-in for resident file `file` inside a part: its enums, types and literal constants as they are, every
 * other export as `__espyL(k)`, k numbering (file, name) in `table`. The build turns those into the part's parameters.
 */
function linkModule(file, table) {
  const src = readFileSync(file, "utf8");
  const sf = ts.createSourceFile(file, src, ts.ScriptTarget.Latest, true);
  const rel = relative(root, file);
  const lazy = LAZY.some((l) => l.file === rel);
  const imported = new Map();
  const declared = new Map(); // local name -> "fn" | "const" | "let" | enum text
  const out = [];
  const exp = (st) => !!(st.modifiers && st.modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword));
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name) declared.set(st.name.text, "fn");
    else if (ts.isClassDeclaration(st) && st.name) declared.set(st.name.text, "fn");
    else if (ts.isEnumDeclaration(st)) declared.set(st.name.text, st.getText(sf).replace(/^export\s+/, ""));
    else if (ts.isVariableStatement(st)) {
      const c = st.declarationList.flags & ts.NodeFlags.Const;
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) declared.set(d.name.text, c ? "const" : "let");
    }
  }
  const link = (name, kind) => {
    const key = rel + "#" + name;
    let k = table.index.get(key);
    if (k === undefined) {
      k = table.keys.length;
      table.keys.push({ file: rel, name, mutable: kind === "let" || (lazy && kind !== "fn") });
      table.index.set(key, k);
    }
    out.push(`export const ${name} = /* @__PURE__ */ __espyL(${k});`);
  };
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) {
      const c = st.importClause;
      if (c && !c.isTypeOnly && c.namedBindings && ts.isNamedImports(c.namedBindings))
        for (const e of c.namedBindings.elements) imported.set(e.name.text, [st.moduleSpecifier.text, (e.propertyName || e.name).text]);
      continue;
    }
    if (ts.isExportDeclaration(st)) {
      if (st.isTypeOnly) continue;
      if (st.moduleSpecifier) {
        out.push(st.getText(sf));
        continue;
      }
      for (const e of st.exportClause.elements) {
        const local = (e.propertyName || e.name).text;
        const name = e.name.text;
        if (imported.has(local)) {
          const [spec, orig] = imported.get(local);
          out.push(`export { ${orig} as ${name} } from ${JSON.stringify(spec)};`);
        } else {
          const d = declared.get(local);
          if (d && d !== "fn" && d !== "const" && d !== "let") out.push(d, `export { ${local} as ${name} };`);
          else link(name, d);
        }
      }
      continue;
    }
    if (!exp(st)) continue;
    if (ts.isEnumDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) out.push(st.getText(sf));
    else if (ts.isFunctionDeclaration(st) && st.name) {
      if (st.body) link(st.name.text, "fn");
    } else if (ts.isClassDeclaration(st) && st.name) link(st.name.text, "fn");
    else if (ts.isVariableStatement(st)) {
      const c = st.declarationList.flags & ts.NodeFlags.Const;
      for (const d of st.declarationList.declarations) {
        if (c && d.initializer && pureLiteral(d.initializer)) out.push(`export const ${d.name.text} = ${d.initializer.getText(sf)};`);
        else link(d.name.text, c ? "const" : "let");
      }
    }
  }
  return out.join("\n") + "\nexport {};\n";
}

/** Resolve a part's imports of resident files to their link modules; everything else is bundled into the part. */
function linkPlugin(resident, table) {
  return {
    name: "espy-link",
    setup(b) {
      b.onResolve({ filter: /^\./ }, (args) => {
        const base = resolve(args.resolveDir, args.path);
        const file = [base + ".ts", join(base, "index.ts")].find((f) => existsSync(f));
        if (!file || !resident.has(relative(root, file))) return undefined;
        return { path: file, namespace: "espy-link" };
      });
      b.onLoad({ filter: /.*/, namespace: "espy-link" }, (args) => ({ contents: linkModule(args.path, table), loader: "ts", resolveDir: dirname(args.path) }));
    },
  };
}

/**
 * A resident image with its module parts: pass 1 finds the resident's files, pass 2 builds each module against
 * them, pass 3 builds the resident with the generated link.ts. Returns the whole file's text (version unstamped).
 */
async function residentWithParts(t) {
  const base = { entryPoints: [join(root, t.entry)], bundle: true, logLevel: "warning", write: false, absWorkingDir: root, ...t.opts };
  const lazy = t.opts.plugins.some((p) => p.name === "espy-lazy");
  const plugins = (extra) => [extra, ...(lazy ? [lazyPlugin()] : []), esmPlugin()];
  const r1 = await build({ ...base, metafile: true, plugins: plugins(residentPlugin(null)) });
  const resident = new Set(Object.keys(r1.metafile.inputs));
  const table = { keys: [], index: new Map() };
  const parts = [];
  for (const m of MODULE_PARTS) {
    const file = join(root, "core/modules", m + ".ts");
    const r = await build({
      stdin: { contents: `import ${JSON.stringify(file)};\n`, resolveDir: root, loader: "ts", sourcefile: m + "-part.ts" },
      bundle: true, logLevel: "warning", write: false, absWorkingDir: root, ...DEVICE, format: "esm",
      plugins: [linkPlugin(resident, table), esmPlugin()],
    });
    let code = r.outputFiles[0].text.trim();
    if (/\$\d/.test(code)) throw new Error(`part ${m}: its code already uses a name like $0`);
    const ks = [];
    code = code.replace(/__espyL\((\d+)\)/g, (_, d) => {
      const k = +d;
      const e = table.keys[k];
      if (e.mutable) throw new Error(`part ${m} imports ${e.name} from ${e.file}, which can change after the part is linked: export it as a function or a typed array`);
      let i = ks.indexOf(k);
      if (i < 0) i = ks.push(k) - 1;
      return "$" + i;
    });
    code = braceCases(renameReserved(`(function(${ks.map((_, i) => "$" + i).join(",")}){${code}})`));
    if (code.indexOf("*/") >= 0) throw new Error(`part ${m}: its code holds "*/", which would end the comment it is stored in`);
    parts.push({ m, ks, code, blocks: partBlocks(code) });
  }
  const token = (zlib.crc32(parts.map((p) => p.code).join("\n")) >>> 0).toString(16).padStart(8, "0");
  // the tail: "\n/*\n" then per part "@token\n" code "\n", then "*/\n"; spans count from the end of the file
  let tail = "\n/* builtin modules, loaded on import (boards/espruino/parts.ts)\n";
  const starts = [];
  for (const p of parts) {
    tail += "@" + token + "\n";
    starts.push(tail.length);
    tail += p.code + "\n";
  }
  tail += "*/\n";
  const used = [...new Set(parts.flatMap((p) => p.ks))].sort((a, b) => a - b);
  const byFile = new Map();
  for (const k of used) {
    const e = table.keys[k];
    if (!byFile.has(e.file)) byFile.set(e.file, []);
    byFile.get(e.file).push(`${e.name} as $L${k}`);
  }
  const linkSrc = [
    ...[...byFile].map(([f, names]) => `import { ${names.join(", ")} } from ${JSON.stringify(join(root, f))};`),
    "export function linkPart(p: number, f: any): void {",
    ...parts.map((p, i) => `  if (p === ${i}) f(${p.ks.map((k) => "$L" + k).join(", ")});`),
    "}",
    "export function partSpan(p: number): number[] {",
    ...parts.map((p, i) => `  if (p === ${i}) return [${tail.length - starts[i]}, ${p.code.length}, ${p.blocks}];`),
    "  return [0, 0, 0];",
    "}",
    `export const PARTS_TOKEN = ${JSON.stringify(token)};`,
  ].join("\n");
  const r3 = await build({ ...base, plugins: plugins(residentPlugin(linkSrc)) });
  const resident3 = globalScope(braceCases(renameReserved(r3.outputFiles[0].text)));
  partStats.push({ out: t.out, resident: resident3.length, parts: parts.map((p) => [p.m, p.code.length, p.ks.length]) });
  return resident3 + tail;
}
const partStats = [];

/**
 * Blocks a module part is estimated to take on a board once its module is imported: each function made when it is
 * evaluated (5 + 1 per parameter, docs/device.md) and each made later (its natives, made on first import, ~10 with
 * a copied scope chain), with a quarter more for the names and tables that go with them.
 */
function partBlocks(code) {
  let n = 0;
  (function walk(x, depth) {
    if (!x || typeof x.type !== "string") return;
    const fn = /Function/.test(x.type);
    if (fn) n += depth <= 1 ? 5 + x.params.length : 10;
    for (const k in x) {
      const v = x[k];
      if (Array.isArray(v)) v.forEach((c) => walk(c, depth + (fn ? 1 : 0)));
      else if (v && typeof v.type === "string") walk(v, depth + (fn ? 1 : 0));
    }
  })(acorn.parse(code, { ecmaVersion: "latest" }), -1);
  return Math.ceil(n * 1.25);
}

const targets = [
  {
    entry: "flasher/cli.ts", out: "dist/cli.js",
    // whitespace and syntax minified (names kept, for readable stack traces): a third less for Node to read and
    // parse at every start (~20 ms of `espy run`'s ~240); ESPY_READABLE=1 keeps the lines (for profiles by line)
    opts: { platform: "node", format: "cjs", target: "node20", banner: { js: "#!/usr/bin/env node" }, sourcemap: "linked", external: ["@serialport/*"], minifyWhitespace: !process.env.ESPY_READABLE, minifySyntax: true, plugins: [esmPlugin(true)] },
  },
  {
    entry: "flasher/launch.ts", out: "dist/espy.js",
    opts: { platform: "node", format: "cjs", target: "node20", banner: { js: "#!/usr/bin/env node" } },
  },
  { entry: "boards/espruino/entry.ts", out: "dist/device/espy.js", opts: { ...DEVICE, plugins: devicePlugins(true) }, device: true, parts: true },
  { entry: "boards/espruino/full.ts", out: "dist/device/espy-full.js", opts: { ...DEVICE, plugins: devicePlugins(false) }, device: true, parts: true },
  { entry: "boards/espruino/compiler-part.ts", out: "dist/device/espy-cc.js", opts: { ...DEVICE, plugins: devicePlugins(false) }, device: true },
  ...LAZY.map((l) => ({ stdin: partEntry(l.file), out: "dist/device/" + l.part, opts: { ...DEVICE, plugins: devicePlugins(false) }, device: true })),
];

// derived tables first (opcodes, static names), so a new Q.name in the sources just works
execFileSync(process.execPath, [join(root, "scripts/gen.mjs")], { stdio: quiet ? "ignore" : "inherit" });

/**
 * espy.version in a resident image: "<package version>/<image format version>/<CRC-32 of the bundle as built, with
 * the placeholder>" (boards/espruino/program.ts).
 */
const versions = {};
function stampVersion(code, out) {
  if (code.indexOf("@@ESPY_VERSION@@") < 0) return code;
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
  const img = /export const IMAGE_VERSION = (\d+)/.exec(readFileSync(join(root, "core/image.ts"), "utf8"))[1];
  const v = `${pkg}/${img}/${(zlib.crc32(code) >>> 0).toString(16).padStart(8, "0")}`;
  versions[out.replace(/^.*\//, "")] = v;
  return code.split("@@ESPY_VERSION@@").join(v);
}

const sizes = [];
for (const t of targets) {
  if (t.entry && !existsSync(join(root, t.entry))) continue;
  const where = t.entry ? { entryPoints: [join(root, t.entry)] } : { stdin: t.stdin };
  if (t.device) {
    // post-processed in memory and written once (a test or another build may read the file meanwhile)
    let text;
    if (t.parts) text = await residentWithParts(t);
    else {
      const r = await build({ ...where, outfile: join(root, t.out), bundle: true, logLevel: "warning", write: false, ...t.opts });
      text = braceCases(renameReserved(r.outputFiles[0].text));
      // a part in its own file opens with the blocks it takes once evaluated (parts.ts checks the board has them)
      text = `/*blocks:${partBlocks(text)}*/` + text;
    }
    const tmp = join(root, t.out + ".tmp" + process.pid);
    mkdirSync(dirname(tmp), { recursive: true });
    writeFileSync(tmp, stampVersion(text, t.out));
    renameSync(tmp, join(root, t.out));
  } else await build({ ...where, outfile: join(root, t.out), bundle: true, logLevel: "warning", ...t.opts });
  if (t.out === "dist/cli.js" || t.out === "dist/espy.js") chmodSync(join(root, t.out), 0o755);
  const n = statSync(join(root, t.out)).size;
  sizes.push([t.out, n]);
  say(`${t.out}: ${n} bytes${t.device ? ` (${(n / 1024).toFixed(1)} KB in Storage)` : ""}`);
}

// dist/espy.js (the installed `espy`) runs dist/cli.js through V8's code cache, written at the exit of a run that found
// none. Trained here on scripts/warmup.py, it holds what most runs use (the compiler, the VM and its tier, the common
// types): left to the first command a user types (`espy --help`, say), it would hold little else, for good.
if (sizes.some((s) => s[0] === "dist/cli.js") && existsSync(join(root, "dist/espy.js"))) {
  rmSync(join(root, "dist/.cli.js.v8cache"), { force: true });
  execFileSync(process.execPath, [join(root, "dist/espy.js"), "run", join(root, "scripts/warmup.py")], { stdio: quiet ? "ignore" : "inherit" });
  if (existsSync(join(root, "dist/.cli.js.v8cache"))) say(`dist/.cli.js.v8cache: ${statSync(join(root, "dist/.cli.js.v8cache")).size} bytes (V8's code cache)`);
}

// espy.version of each resident image, for the flasher's version handshake (boards/espruino/program.ts)
if (Object.keys(versions).length) writeFileSync(join(root, "dist/device/versions.json"), JSON.stringify(versions, null, 1) + "\n");

// boot files: evaluate the resident runtime from Storage (its function bodies stay in flash) and start main.mpb
if (existsSync(join(root, "boards/espruino/entry.ts"))) {
  const { PROFILES } = await import("data:text/javascript," + encodeURIComponent(await profilesJs()));
  mkdirSync(join(root, "dist/device"), { recursive: true });
  for (const name of Object.keys(PROFILES)) {
    const f = join(root, `dist/device/boot-${name}.js`);
    writeFileSync(f + ".tmp" + process.pid, bootCode(PROFILES[name]));
    renameSync(f + ".tmp" + process.pid, f);
  }
  const lean = sizes.find((s) => s[0] === "dist/device/espy.js");
  if (lean) say(`lean runtime: ${lean[1]} bytes; Pico Storage 49152 (${49152 - lean[1]} left), Puck.js 40960 (${40960 - lean[1]} left)`);
  if (process.argv.includes("--sizes")) await leanSizes();
}

/**
 * `--sizes`: the lean runtime's minified bytes per source file (esbuild's metafile; module parts included, before the
 * renaming passes), grouped into the VM itself (what any program needs: the loop, calls, attributes, the heap,
 * images, the core types and their representations) and the library on top of it (methods, builtins, modules).
 */
async function leanSizes() {
  const r = await build({ entryPoints: [join(root, "boards/espruino/entry.ts")], bundle: true, write: false, metafile: true, logLevel: "warning", absWorkingDir: root, ...DEVICE, plugins: devicePlugins(true) });
  const inputs = Object.values(r.metafile.outputs)[0].inputs;
  const vm = /^core\/(vm\/|image|code|opinfo|runtime|hal|generated\/(op|qstr)|obj\/(class|type|num|ints|dict|seq|str|misc|repr|items)\.ts)|^boards\/espruino\/(entry|runtime|hal|console|parts|program)\.ts/;
  const rows = Object.entries(inputs).map(([f, v]) => [f, v.bytesInOutput]).filter((x) => x[1] > 0).sort((a, b) => b[1] - a[1]);
  let vmSum = 0;
  let libSum = 0;
  for (const [f, n] of rows) {
    if (vm.test(f)) vmSum += n;
    else libSum += n;
  }
  console.log("lean runtime by source file (minified bytes; * = the VM itself):");
  for (const [f, n] of rows) console.log(`  ${String(n).padStart(7)} ${vm.test(f) ? "*" : " "} ${f}`);
  console.log(`  the VM itself: ${vmSum} bytes (${(vmSum / 49152).toFixed(2)}x the Pico's 48 KB Storage); the library: ${libSum} bytes`);
}

/**
 * Espruino's lexer reserves `of` (jslex.c), which JS does not, so esbuild's minifier may name a variable `of`:
 * rename every such binding and reference (property names are fine) to a name the file does not use.
 */
function renameReserved(code) {
  const hits = [];
  const ast = acorn.parse(code, { ecmaVersion: "latest" });
  (function walk(n, parent) {
    if (!n || typeof n.type !== "string") return;
    if (n.type === "Identifier" && n.name === "of") {
      const isKey = parent && ((parent.type === "MemberExpression" && parent.property === n && !parent.computed) ||
        ((parent.type === "Property" || parent.type === "MethodDefinition" || parent.type === "PropertyDefinition") && parent.key === n && !parent.computed));
      if (parent && parent.type === "Property" && parent.shorthand) hits.push([n.start, n.end, "of:$of"]);
      else if (!isKey) hits.push([n.start, n.end, "$of"]);
    }
    for (const k in n) {
      const v = n[k];
      if (Array.isArray(v)) v.forEach((c) => walk(c, n));
      else if (v && typeof v.type === "string") walk(v, n);
    }
  })(ast, null);
  if (!hits.length) return code;
  if (/\$of\b/.test(code)) throw new Error("renameReserved: $of is already used");
  hits.sort((a, b) => b[0] - a[0]);
  for (const [s, e, r] of hits) code = code.slice(0, s) + r + code.slice(e);
  return code;
}

/**
 * A resident image runs at Espruino's global scope, not inside esbuild's `(()=>{…})()`: a function made inside
 * another scope keeps a link to it, one block each on the board, and the runtime makes about 1500 functions (1600
 * blocks on Espruino's Linux build). So the wrapper goes and every top-level name gets a `$` in front (two if the file
 * already uses that name), which no pin (`D1`, `A0`), no `g`, `E` or other Espruino global, and no short name a user
 * types at the JavaScript prompt has. esbuild never lets a nested name shadow a top-level one; this checks that and
 * fails the build otherwise. Top-level `let`/`const` become `var`, so evaluating the file again (an upgrade) is no
 * error.
 */
function globalScope(code) {
  const ast = acorn.parse(code, { ecmaVersion: "latest" });
  let at = 0;
  if (ast.body[0] && ast.body[0].directive) at = 1;
  const st = ast.body[at];
  const fn = st && st.type === "ExpressionStatement" && st.expression.type === "CallExpression" ? st.expression.callee : null;
  if (ast.body.length !== at + 1 || !fn || !/Function/.test(fn.type) || fn.params.length || st.expression.arguments.length || fn.body.type !== "BlockStatement")
    throw new Error("globalScope: the bundle is not one (()=>{…})()");
  const stmts = fn.body.body;
  const top = new Set();
  for (const s of stmts) {
    if (s.type === "FunctionDeclaration" || s.type === "ClassDeclaration") top.add(s.id.name);
    else if (s.type === "VariableDeclaration") {
      for (const d of s.declarations) {
        if (d.id.type !== "Identifier") throw new Error("globalScope: a top-level destructuring declaration");
        top.add(d.id.name);
      }
    }
  }
  // top-level constants of a number, never assigned: written in place of their name (a block less each on the
  // board, and no walk of the global scope to read them)
  const assigned = new Set();
  (function walk(n) {
    if (!n || typeof n.type !== "string") return;
    if (n.type === "AssignmentExpression" && n.left.type === "Identifier") assigned.add(n.left.name);
    if (n.type === "UpdateExpression" && n.argument.type === "Identifier") assigned.add(n.argument.name);
    for (const k in n) {
      const v = n[k];
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v.type === "string") walk(v);
    }
  })(fn.body);
  const isNum = (e) => e && ((e.type === "Literal" && typeof e.value === "number") || (e.type === "UnaryExpression" && e.operator === "-" && isNum(e.argument)));
  const consts = new Map();
  for (const s of stmts) {
    if (s.type !== "VariableDeclaration") continue; // esbuild makes a top-level const a var
    for (const d of s.declarations) if (isNum(d.init) && !assigned.has(d.id.name)) consts.set(d.id.name, code.slice(d.init.start, d.init.end));
  }
  const edits = [];
  const all = new Set();
  const nested = (name, where) => {
    if (top.has(name)) throw new Error(`globalScope: ${name} is declared at the top level and again at ${where}`);
  };
  const patternNames = (p, out) => {
    if (!p) return;
    if (p.type === "Identifier") out.push(p);
    else if (p.type === "AssignmentPattern") patternNames(p.left, out);
    else if (p.type === "RestElement") patternNames(p.argument, out);
    else if (p.type === "ArrayPattern") p.elements.forEach((e) => patternNames(e, out));
    else if (p.type === "ObjectPattern") p.properties.forEach((q) => patternNames(q.type === "RestElement" ? q : q.value, out));
  };
  (function walk(n, parent, depth) {
    if (!n || typeof n.type !== "string") return;
    if (n.type === "Identifier") {
      const key = parent && ((parent.type === "MemberExpression" && parent.property === n && !parent.computed) ||
        ((parent.type === "Property" || parent.type === "MethodDefinition" || parent.type === "PropertyDefinition") && parent.key === n && !parent.computed));
      if (!key) all.add(n.name);
      if (!key && consts.has(n.name)) {
        const v = consts.get(n.name);
        const paren = v[0] === "-" || (parent && parent.type === "MemberExpression" && parent.object === n);
        edits.push([n.start, n.end, (parent && parent.type === "Property" && parent.shorthand ? n.name + ":" : "") + (paren ? "(" + v + ")" : v)]);
        return;
      }
      if (parent && parent.type === "Property" && parent.shorthand) {
        if (parent.value === n && top.has(n.name)) edits.push([n.start, n.end, "", ":", n.name]);
      } else if (!key && top.has(n.name)) edits.push([n.start, n.end, "", "=", n.name]);
      return;
    }
    // names declared below the top level
    const inner = depth > 0;
    if (/Function/.test(n.type)) {
      const ids = [];
      n.params.forEach((p) => patternNames(p, ids));
      if (n.id && (inner || n.type !== "FunctionDeclaration")) ids.push(n.id);
      for (const id of ids) nested(id.name, id.start);
    } else if (n.type === "VariableDeclaration" && inner) {
      const ids = [];
      n.declarations.forEach((d) => patternNames(d.id, ids));
      for (const id of ids) nested(id.name, id.start);
    } else if (n.type === "ClassDeclaration" && inner) nested(n.id.name, n.id.start);
    else if (n.type === "CatchClause" && n.param) {
      const ids = [];
      patternNames(n.param, ids);
      for (const id of ids) nested(id.name, id.start);
    }
    if (n.type === "VariableDeclaration" && !inner) {
      const ds = n.declarations;
      const keep = ds.filter((x) => !consts.has(x.id.name));
      if (!keep.length) {
        edits.push([n.start, n.end, ""]);
        return;
      }
      if (n.kind !== "var") edits.push([n.start, n.start + n.kind.length, "var"]);
      if (keep.length < ds.length) {
        // drop the inlined declarators with their commas; the rest are walked as usual
        const lastKept = keep[keep.length - 1];
        for (let i = 0; i < ds.length; i++) {
          if (!consts.has(ds[i].id.name)) continue;
          if (ds.indexOf(lastKept) > i) edits.push([ds[i].start, ds[i + 1].start, ""]);
        }
        if (lastKept !== ds[ds.length - 1]) edits.push([lastKept.end, ds[ds.length - 1].end, ""]);
        for (const x of keep) walk(x, n, depth);
        return;
      }
    }
    const d = /Function/.test(n.type) || (n.type === "BlockStatement" && parent && !/Function/.test(parent.type)) ? depth + 1 : depth;
    for (const k in n) {
      const v = n[k];
      if (Array.isArray(v)) v.forEach((c) => walk(c, n, d));
      else if (v && typeof v.type === "string") walk(v, n, d);
    }
  })({ type: "Program", body: stmts }, null, 0);
  // the new names: "$" + name, or more "$" while that is a name the file keeps (a nested one, a global it uses)
  const used = new Set([...all].filter((x) => !top.has(x)));
  const to = new Map();
  for (const name of top) {
    let c = "$" + name;
    while (used.has(c)) c = "$" + c;
    used.add(c);
    to.set(name, c);
  }
  for (const e of edits) if (e[3]) e[2] = e[3] === ":" ? e[4] + ":" + to.get(e[4]) : to.get(e[4]);
  let out = code.slice(stmts[0].start, stmts[stmts.length - 1].end);
  const base = stmts[0].start;
  edits.sort((a, b) => b[0] - a[0]);
  for (const e of edits) out = out.slice(0, e[0] - base) + e[2] + out.slice(e[1] - base);
  return out + "\n";
}

/**
 * Espruino runs a switch by parsing every case it passes, executed or not (jsparse.c jspeStatementSwitch), but skips
 * a `{…}` block by matching braces (jspeSkipBlock), which is many times faster. esbuild's minifier drops the braces
 * around case bodies; put them back, so a dispatch over many cases costs a token scan instead of a parse. A case
 * whose let/const/function/class is used by another case of its switch keeps its scope (the build fails instead).
 */
function braceCases(code) {
  const edits = [];
  const ast = acorn.parse(code, { ecmaVersion: "latest" });
  (function walk(n) {
    if (!n || typeof n.type !== "string") return;
    if (n.type === "SwitchStatement") {
      for (const c of n.cases) {
        const body = c.consequent;
        if (!body.length || (body.length === 1 && body[0].type === "BlockStatement")) continue;
        for (const st of body) {
          const lexical = (st.type === "VariableDeclaration" && st.kind !== "var") || st.type === "FunctionDeclaration" || st.type === "ClassDeclaration";
          if (lexical) {
            const names = st.type === "VariableDeclaration" ? st.declarations.map((d) => d.id.name) : [st.id.name];
            for (const other of n.cases) {
              if (other === c) continue;
              const text = code.slice(other.start, other.end);
              for (const nm of names) {
                const re = new RegExp("(^|[^\\w$.])" + nm.replace(/\$/g, "\\$") + "([^\\w$]|$)");
                if (re.test(text)) throw new Error(`braceCases: ${nm} is shared between cases at ${c.start}`);
              }
            }
          }
        }
        edits.push([body[0].start, "{"], [body[body.length - 1].end, "}"]);
      }
    }
    for (const k in n) {
      const v = n[k];
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v.type === "string") walk(v);
    }
  })(ast);
  edits.sort((a, b) => b[0] - a[0]);
  for (const [at, s] of edits) code = code.slice(0, at) + s + code.slice(at);
  return code;
}

/** The boot file for a board profile: one statement, no helper names left in the global scope. */
export function bootCode(p) {
  const cfg = `{heap:${p.heapBytes},frame:${p.frameBytes},margin:${p.marginBlocks},con:${JSON.stringify(p.console)},btn:${JSON.stringify(p.safeButton)},blocks:${p.blocks}}`;
  return `if(require("Storage").read("espy.js")){eval(require("Storage").read("espy.js"));espy.boot(${cfg});}\n`;
}

/** boards/profiles.ts as plain JS (it is data only). */
async function profilesJs() {
  const { transform } = await import("esbuild");
  const r = await transform(readFileSync(join(root, "boards/profiles.ts"), "utf8"), { loader: "ts", format: "esm" });
  return r.code;
}
