// The Espruino dialect check: parses a built JS file with acorn and lists every construct or global that Espruino's
// interpreter lacks (../shared/docs/espruino.md, section 1), each with its line and column and a few words of source.
// Used by tests/dialect.test.ts on the device bundles; `node scripts/dialect.mjs FILE.js` prints the findings.
import * as acorn from "acorn";
import { readFileSync } from "node:fs";

const BAD_GLOBALS = new Set(["Map", "Set", "WeakMap", "WeakSet", "WeakRef", "Symbol", "BigInt", "Proxy", "Reflect",
  "BigInt64Array", "BigUint64Array", "SharedArrayBuffer", "Atomics", "FinalizationRegistry", "queueMicrotask", "structuredClone"]);
const BAD_STATICS = {
  Math: ["imul", "clz32", "trunc", "log2", "log10", "log1p", "expm1", "hypot", "cbrt", "fround", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh"],
  Number: ["isInteger", "isSafeInteger", "EPSILON", "MAX_SAFE_INTEGER", "MIN_SAFE_INTEGER", "isFinite", "isNaN", "parseFloat", "parseInt"],
  Array: ["from", "of"],
  Object: ["freeze", "is", "isFrozen", "seal", "isSealed", "preventExtensions", "groupBy"],
  String: ["raw", "fromCodePoint"],
  ArrayBuffer: ["isView"],
};
const BAD_METHODS = new Set(["codePointAt", "normalize", "localeCompare", "flat", "flatMap", "findLast", "findLastIndex",
  "reduceRight", "copyWithin", "toSorted", "toReversed", "toSpliced", "at", "replaceAll", "matchAll", "trimStart", "trimEnd"]);

export function checkDialect(src, file = "bundle") {
  const problems = [];
  let ast;
  try {
    ast = acorn.parse(src, { ecmaVersion: "latest", sourceType: "script", locations: true, allowHashBang: true });
  } catch (e) {
    return [`${file}: does not parse: ${e.message}`];
  }
  const bad = (node, what) => {
    const snippet = src.slice(node.start, Math.min(node.end, node.start + 40)).replace(/\s+/g, " ");
    problems.push(`${file}:${node.loc.start.line}:${node.loc.start.column}: ${what}: ${snippet}`);
  };
  const isFn = (n) => n.type === "FunctionDeclaration" || n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression";

  // Function declarations are not hoisted: a call run while a body executes must not name a function declared
  // later in that body. We check calls made directly by a body's statements (not from inside nested functions).
  function checkHoisting(body) {
    const declaredAt = new Map();
    body.forEach((st, i) => { if (st.type === "FunctionDeclaration" && st.id) declaredAt.set(st.id.name, i); });
    if (!declaredAt.size) return;
    body.forEach((st, i) => {
      walkNoFn(st, (n) => {
        if (n.type === "CallExpression" && n.callee.type === "Identifier") {
          const at = declaredAt.get(n.callee.name);
          if (at !== undefined && at > i) bad(n, `call of '${n.callee.name}' before its declaration (not hoisted on Espruino)`);
        }
      });
    });
  }
  function walkNoFn(node, f) {
    if (!node || typeof node.type !== "string") return;
    f(node);
    if (isFn(node) || node.type === "ClassBody") return;
    for (const k in node) {
      const v = node[k];
      if (Array.isArray(v)) v.forEach((c) => c && typeof c.type === "string" && walkNoFn(c, f));
      else if (v && typeof v.type === "string") walkNoFn(v, f);
    }
  }

  (function walk(node, parent) {
    if (!node || typeof node.type !== "string") return;
    switch (node.type) {
      case "ObjectPattern": case "ArrayPattern": bad(node, "destructuring"); break;
      case "AssignmentPattern": bad(node, "default parameter or destructuring default"); break;
      case "RestElement": bad(node, "rest parameter"); break;
      case "SpreadElement": bad(node, "spread"); break;
      case "LabeledStatement": bad(node, "label"); break;
      case "ChainExpression": bad(node, "optional chaining ?."); break;
      case "TaggedTemplateExpression": bad(node, "tagged template"); break;
      case "PrivateIdentifier": bad(node, "#private name"); break;
      case "StaticBlock": bad(node, "static block"); break;
      case "MetaProperty": bad(node, "new.target / import.meta"); break;
      case "AwaitExpression": bad(node, "await"); break;
      case "YieldExpression": bad(node, "yield"); break;
      case "ImportExpression": bad(node, "dynamic import"); break;
      case "BinaryExpression": if (node.operator === "**") bad(node, "** operator"); break;
      case "AssignmentExpression": if (["**=", "??=", "&&=", "||="].includes(node.operator)) bad(node, node.operator + " operator"); break;
      case "Property": case "MethodDefinition": case "PropertyDefinition":
        if (node.computed) bad(node, "computed property key"); break;
      case "Literal":
        if (node.bigint !== undefined) bad(node, "BigInt literal");
        if (node.regex && (/[suyvd]/.test(node.regex.flags) || /\(\?[=!<]|[*+?}]\?/.test(node.regex.pattern))) bad(node, "regular expression feature Espruino lacks");
        break;
      case "Identifier":
        if (BAD_GLOBALS.has(node.name) && isReference(node, parent)) bad(node, `global ${node.name}`);
        break;
      case "MemberExpression":
        if (!node.computed && node.property.type === "Identifier") {
          const obj = node.object.type === "Identifier" ? node.object.name : null;
          if (obj && BAD_STATICS[obj] && BAD_STATICS[obj].includes(node.property.name)) bad(node, `${obj}.${node.property.name}`);
          else if (BAD_METHODS.has(node.property.name)) bad(node, `method .${node.property.name}()`);
        }
        break;
    }
    if (isFn(node)) {
      if (node.generator) bad(node, "generator function");
      if (node.async) bad(node, "async function");
      if (node.body.type === "BlockStatement") checkHoisting(node.body.body);
    }
    if (node.type === "Program") checkHoisting(node.body);
    for (const k in node) {
      if (k === "loc") continue;
      const v = node[k];
      if (Array.isArray(v)) v.forEach((c) => walk(c, node));
      else if (v && typeof v.type === "string") walk(v, node);
    }
  })(ast, null);
  return problems;
}

function isReference(node, parent) {
  if (!parent) return true;
  if (parent.type === "MemberExpression" && parent.property === node && !parent.computed) return false;
  if ((parent.type === "Property" || parent.type === "MethodDefinition" || parent.type === "PropertyDefinition") && parent.key === node && !parent.computed) return false;
  return true;
}

if (process.argv[1] && process.argv[1].endsWith("dialect.mjs")) {
  let n = 0;
  for (const f of process.argv.slice(2)) {
    const p = checkDialect(readFileSync(f, "utf8"), f);
    p.forEach((x) => console.log(x));
    n += p.length;
  }
  console.log(n ? `${n} problem(s)` : "dialect ok");
  process.exit(n ? 1 : 0);
}
