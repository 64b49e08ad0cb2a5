// Keeps tests/conformance-known-failures.txt in step with a conformance run: drops tests that now pass, adds new
// failures with the runner's reason (to be replaced by a real one), keeps every other line as written.
// Usage: node scripts/update-known-failures.mjs [results.tsv]
import { readFileSync, writeFileSync } from "node:fs";
const file = "tests/conformance-known-failures.txt";
const tsv = process.argv[2] || "conformance-results/espy.tsv";
const results = new Map();
for (const row of readFileSync(tsv, "latin1").trim().split("\n")) {
  const [test, result, detail] = row.split("\t");
  results.set(test.replace(/^basics\//, ""), { result, detail: (detail || "").slice(0, 100) });
}
const out = [];
const listed = new Set();
for (const line of readFileSync(file, "utf8").split("\n")) {
  if (!line.trim() || line.startsWith("#")) {
    out.push(line);
    continue;
  }
  const name = line.split("\t")[0].trim();
  listed.add(name);
  const r = results.get(name);
  if (r && r.result === "pass") continue;
  out.push(line);
}
for (const [name, r] of results) if (r.result === "fail" && !listed.has(name)) out.push(name + "\tcurrently: " + r.detail);
while (out.length && out[out.length - 1] === "") out.pop();
writeFileSync(file, out.join("\n") + "\n");
