// `npm run conformance`: runs ../shared/conformance's MicroPython basics corpus through `espy run` and prints the
// table and the `N passed, N failed, N skipped` line. Extra arguments go to the runner (e.g. -i REGEX).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(join(dirname(fileURLToPath(import.meta.url)), ".."));
const runner = resolve(root, "../shared/conformance/run.sh");
if (!existsSync(runner)) {
  console.log("conformance corpus not found at " + runner + " (it lives beside the project as ../shared)");
  process.exit(0);
}
const r = spawnSync("bash", [runner, "-l", "espy", ...process.argv.slice(2), "node", join(root, "dist/cli.js"), "run"], {
  stdio: "inherit",
  cwd: root,
});
process.exit(r.status ?? 1);
