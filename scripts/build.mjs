// Builds dist/: the host CLI (dist/cli.js, for Node) and the device runtime (dist/espy-device.js, minified, in the
// dialect Espruino runs). `--quiet` prints nothing unless something fails.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { existsSync, statSync, chmodSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const quiet = process.argv.includes("--quiet");
const say = (s) => { if (!quiet) console.log(s); };

const targets = [
  {
    entry: "flasher/cli.ts", out: "dist/cli.js",
    opts: { platform: "node", format: "cjs", target: "node20", banner: { js: "#!/usr/bin/env node" }, sourcemap: "linked" },
  },
  {
    entry: "boards/espruino/entry.ts", out: "dist/espy-device.js",
    opts: { platform: "neutral", format: "iife", target: "es2015", minify: true, legalComments: "none" },
  },
];

// derived tables first (opcodes, static names), so a new Q.name in the sources just works
execFileSync(process.execPath, [join(root, "scripts/gen.mjs")], { stdio: quiet ? "ignore" : "inherit" });

for (const t of targets) {
  if (!existsSync(join(root, t.entry))) continue;
  await build({ entryPoints: [join(root, t.entry)], outfile: join(root, t.out), bundle: true, logLevel: "warning", ...t.opts });
  if (t.out === "dist/cli.js") chmodSync(join(root, t.out), 0o755);
  say(`${t.out}: ${statSync(join(root, t.out)).size} bytes`);
}
