// `espy` as installed (package.json "bin": dist/espy.js): runs the CLI bundle beside it (dist/cli.js) through V8's code
// cache, so a start does not compile the 0.8 MB bundle again. The cache (dist/.cli.js.v8cache) is written after a run
// that had none, or whose cache V8 refused (another espy or Node version: V8 checks the source and its own version
// and flags); where dist/ is not writable there is simply no cache. dist/cli.js also runs on its own.
import * as fs from "node:fs";
import * as path from "node:path";
import * as vm from "node:vm";
import { Module, createRequire } from "node:module";

const file = path.join(__dirname, "cli.js");
const cacheFile = path.join(__dirname, ".cli.js.v8cache");
let src = fs.readFileSync(file, "utf8");
if (src.startsWith("#!")) src = "//" + src.slice(2); // keeps the line numbers of stack traces
let cached: Buffer | undefined;
try {
  cached = fs.readFileSync(cacheFile);
} catch {
  cached = undefined;
}
const script = new vm.Script((Module as unknown as { wrap(s: string): string }).wrap(src), { filename: file, cachedData: cached });
if (!cached || script.cachedDataRejected) {
  // at exit, so the cache also holds the functions this run compiled lazily
  process.once("exit", () => {
    const tmp = cacheFile + "." + process.pid;
    try {
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cacheFile);
    } catch {
      try {
        fs.unlinkSync(tmp);
      } catch {
        // nothing was written
      }
    }
  });
}
const m = new Module(file, module);
m.filename = file;
m.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(__dirname);
process.argv[1] = file;
script.runInThisContext().call(m.exports, m.exports, createRequire(file), m, file, __dirname);
