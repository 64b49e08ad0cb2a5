// The device files (dist/device/*.js, built by scripts/build.mjs) must be in the dialect Espruino runs: every
// construct or global it lacks fails this test with its file, line and column. scripts/dialect.mjs's checkDialect does
// most of the work; this file adds what it does not look for yet:
//   - names Espruino's lexer reserves beyond JS (`of`: a minifier may choose it for a variable);
//   - string literals with characters above 0xFF (boards without Unicode support keep only the low byte; a lone
//     surrogate is a SyntaxError on the Linux build);
//   - `default:` before another case (Espruino: "CASE after DEFAULT unsupported");
//   - at module initialisation, a use of a function declared later in the same body through an immediately invoked
//     function or through the body of a function called there (Espruino does not hoist declarations).
import { describe, it, expect, beforeAll } from "vitest";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import * as acorn from "acorn";
// @ts-expect-error: plain ESM script without types
import { checkDialect } from "../scripts/dialect.mjs";

const root = resolve(__dirname, "..");
const dir = join(root, "dist/device");

type Node = acorn.Node & { [k: string]: any };

function children(n: Node): Node[] {
  const out: Node[] = [];
  for (const k in n) {
    if (k === "loc") continue;
    const v = n[k];
    if (Array.isArray(v)) {
      for (const c of v) if (c && typeof c.type === "string") out.push(c);
    } else if (v && typeof v.type === "string") out.push(v);
  }
  return out;
}

const isFn = (n: Node) => n.type === "FunctionDeclaration" || n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression";

/** Names a function binds itself: parameters and declarations in its body (not inside nested functions). */
function localNames(fn: Node): Set<string> {
  const s = new Set<string>();
  for (const p of fn.params || []) if (p.type === "Identifier") s.add(p.name);
  (function walk(n: Node) {
    if (n !== fn && isFn(n)) {
      if (n.type === "FunctionDeclaration" && n.id) s.add(n.id.name);
      return;
    }
    if (n.type === "VariableDeclarator" && n.id.type === "Identifier") s.add(n.id.name);
    if (n.type === "ClassDeclaration" && n.id) s.add(n.id.name);
    if (n.type === "CatchClause" && n.param && n.param.type === "Identifier") s.add(n.param.name);
    for (const c of children(n)) walk(c);
  })(fn.body);
  return s;
}

/**
 * Identifiers a piece of code refers to when it runs (not inside functions it only defines, but inside functions it
 * invokes on the spot), minus names bound on the way; and the names it calls.
 */
function runRefs(n: Node, bound: Set<string>, refs: Set<string>, calls: Set<string>): void {
  if (isFn(n)) return; // defined, not run
  if (n.type === "CallExpression" || n.type === "NewExpression") {
    const c = n.callee;
    if (isFn(c)) {
      // an immediately invoked function: its body runs now, with its own names bound
      const inner = new Set(bound);
      localNames(c).forEach((x) => inner.add(x));
      runRefs(c.body, inner, refs, calls);
      for (const a of n.arguments) runRefs(a, bound, refs, calls);
      return;
    }
    if (c.type === "Identifier" && !bound.has(c.name)) calls.add(c.name);
  }
  if (n.type === "Identifier") {
    if (!bound.has(n.name)) refs.add(n.name);
    return;
  }
  if (n.type === "MemberExpression" && !n.computed) return runRefs(n.object, bound, refs, calls);
  if ((n.type === "Property" || n.type === "PropertyDefinition" || n.type === "MethodDefinition") && !n.computed) {
    if (n.value) runRefs(n.value, bound, refs, calls);
    return;
  }
  for (const c of children(n)) runRefs(c, bound, refs, calls);
}

/** Uses, at initialisation of `body`, of functions declared later in it (directly, via IIFEs or via calls). */
function initOrder(body: Node[], src: string, file: string, problems: string[]): void {
  const declAt = new Map<string, number>();
  const decl = new Map<string, Node>();
  body.forEach((st, i) => {
    if ((st.type === "FunctionDeclaration" || st.type === "ClassDeclaration") && st.id) {
      declAt.set(st.id.name, i);
      decl.set(st.id.name, st);
    }
  });
  body.forEach((st, i) => {
    if (st.type === "FunctionDeclaration") return;
    const refs = new Set<string>();
    const calls = new Set<string>();
    runRefs(st, new Set(), refs, calls);
    // follow calls into the bodies of declared functions (and constructors of declared classes): they run now too
    const via = new Map<string, string>();
    const queue = Array.from(calls);
    const seen = new Set<string>();
    while (queue.length) {
      const name = queue.shift() as string;
      if (seen.has(name)) continue;
      seen.add(name);
      const d = decl.get(name);
      if (!d) continue;
      let fn: Node | null = null;
      if (d.type === "FunctionDeclaration") fn = d;
      else for (const m of d.body.body) if (m.type === "MethodDefinition" && m.kind === "constructor") fn = m.value;
      if (!fn) continue;
      const r2 = new Set<string>();
      const c2 = new Set<string>();
      runRefs(fn.body, localNames(fn), r2, c2);
      r2.forEach((x) => {
        if (!refs.has(x)) via.set(x, name);
        refs.add(x);
      });
      c2.forEach((x) => queue.push(x));
    }
    refs.forEach((name) => {
      const at = declAt.get(name);
      if (at === undefined || at < i || decl.get(name)!.type !== "FunctionDeclaration") return;
      const line = src.slice(0, st.start).split("\n").length;
      const how = via.has(name) ? ` (through ${via.get(name)})` : "";
      problems.push(`${file}:${line}: '${name}' is used at initialisation${how} before its declaration (not hoisted on Espruino): ${src.slice(st.start, st.start + 50)}`);
    });
  });
}

/** The checks scripts/dialect.mjs does not make (see the file header). */
function extraChecks(src: string, file: string): string[] {
  const problems: string[] = [];
  const ast = acorn.parse(src, { ecmaVersion: "latest", sourceType: "script", locations: true }) as Node;
  const at = (n: Node, what: string) => problems.push(`${file}:${n.loc!.start.line}:${n.loc!.start.column}: ${what}: ${src.slice(n.start, n.start + 40)}`);
  (function walk(n: Node, parent: Node | null) {
    if (n.type === "Identifier" && n.name === "of") {
      const key = parent && ((parent.type === "MemberExpression" && parent.property === n && !parent.computed) ||
        ((parent.type === "Property" || parent.type === "MethodDefinition") && parent.key === n && !parent.computed && !parent.shorthand));
      if (!key) at(n, "identifier 'of' (reserved by Espruino's lexer)");
    }
    if (n.type === "Literal" && typeof n.value === "string" && /[^\x00-\xff]/.test(n.value)) at(n, "string with characters above 0xFF (truncated on boards without Unicode)");
    if (n.type === "TemplateElement" && /[^\x00-\xff]/.test(n.value.cooked || "")) at(n, "template text with characters above 0xFF");
    if (n.type === "SwitchStatement") {
      const d = n.cases.findIndex((c: Node) => c.test === null);
      if (d >= 0 && d < n.cases.length - 1) at(n.cases[d], "default: before another case (unsupported by Espruino)");
    }
    for (const c of children(n)) walk(c, n);
  })(ast, null);
  // module initialisation: the program and the bundle's top-level IIFE
  initOrder(ast.body, src, file, problems);
  for (const st of ast.body) {
    if (st.type === "ExpressionStatement" && st.expression.type === "CallExpression" && isFn(st.expression.callee) && st.expression.callee.body.type === "BlockStatement") {
      initOrder(st.expression.callee.body.body, src, file, problems);
    }
  }
  return problems;
}

describe("Espruino dialect of the device files", () => {
  beforeAll(() => {
    if (!existsSync(join(dir, "espy.js"))) execFileSync(process.execPath, [join(root, "scripts/build.mjs"), "--quiet"]);
  });

  it("the build made the device files", () => {
    const files = readdirSync(dir).filter((f) => f.endsWith(".js"));
    for (const f of ["espy.js", "espy-full.js", "espy-cc.js", "espy-big.js", "espy-flt.js", "boot-puck.js"]) expect(files).toContain(f);
  });

  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".js")) : ["espy.js", "espy-full.js", "espy-cc.js", "espy-big.js", "espy-flt.js"];
  for (const f of files) {
    it(f, () => {
      const src = readFileSync(join(dir, f), "utf8");
      const problems: string[] = checkDialect(src, "dist/device/" + f).concat(extraChecks(src, "dist/device/" + f));
      expect(problems.slice(0, 40).join("\n") + (problems.length > 40 ? `\n… and ${problems.length - 40} more` : "")).toBe("");
    });
  }

  it("the resident images run at the global scope and declare only $ names there", () => {
    // scripts/build.mjs globalScope: Espruino's pins (D1, A0), g, E and short names typed at the JS prompt stay free
    for (const f of ["espy.js", "espy-full.js"]) {
      const src = readFileSync(join(dir, f), "utf8");
      const ast = acorn.parse(src, { ecmaVersion: "latest" }) as any;
      const names: string[] = [];
      for (const st of ast.body) {
        if (st.type === "FunctionDeclaration" || st.type === "ClassDeclaration") names.push(st.id.name);
        else if (st.type === "VariableDeclaration") for (const d of st.declarations) names.push(d.id.name);
      }
      expect(names.length).toBeGreaterThan(500);
      expect(names.filter((n) => n[0] !== "$")).toEqual([]);
      // a block of name storage holds 4 characters on a board
      expect(names.filter((n) => n.length > 4)).toEqual([]);
      expect(ast.body.some((st: any) => st.type === "VariableDeclaration" && st.kind !== "var")).toBe(false);
    }
  });

  it("the extra checks find what they look for", () => {
    const src = [
      "(()=>{var of=1;",
      'var s="\\u20ac";',
      "switch(of){default:break;case 1:}",
      "(function(){late()})();",
      "function early(){late2()}",
      "early();",
      "function late(){}function late2(){}",
      "})();",
    ].join("\n");
    const p = extraChecks(src, "t.js").join("\n");
    expect(p).toContain("identifier 'of'");
    expect(p).toContain("above 0xFF");
    expect(p).toContain("default: before another case");
    expect(p).toContain("'late' is used at initialisation");
    expect(p).toContain("'late2' is used at initialisation (through early)");
    // uses after the declaration, inside functions defined but not run, or shadowed by a parameter are fine
    const ok = "(()=>{function a(){}a();var f=function(){b()};function g(b){b()}g(a);function b(){}})();";
    expect(extraChecks(ok, "ok.js")).toEqual([]);
  });
});
