// The `espy` command line: argument parsing only; each command lives in its own module.
import { Command } from "commander";
import * as fs from "node:fs";
import { runHost, readSource, compileToImage } from "./host";
import { compileMain, runCompiled } from "./compile";
import { loadImage, isLoadError } from "../core/image";
import { disasm } from "../core/disasm";
import { registerReplCommands } from "./repl";
import { registerSimCommands } from "./sim";
import { registerFlashCommands } from "./flash";

const VERSION = "0.1.0";

/** `espy run x.py | head`: a closed pipe ends the command quietly, as it would a Unix tool. */
function quietPipe(): void {
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode || 0);
    throw e;
  });
}

function main(): void {
  quietPipe();
  // `espy -c CODE [args]` and `espy FILE.py [args]` work like `python3`; subcommands for everything else
  const argv = process.argv.slice(2);
  if (argv[0] === "-c") {
    if (argv.length < 2) fail("-c needs an argument: espy -c \"print(1)\"");
    runAndExit(runHost(Buffer.from(argv[1], "utf8").toString("latin1"), "<string>", { argv: ["-c"].concat(argv.slice(2)) }));
    return;
  }
  const program = new Command();
  program.name("espy").description("A MicroPython-style Python for Espruino boards: compile, run, simulate, flash.").version(VERSION, "-V, --version");
  program
    .command("run")
    .description("run a Python file on the host (or a .mpb bytecode file)")
    .argument("<file>", "the .py or .mpb file")
    .argument("[args...]", "arguments for sys.argv")
    .option("-O, --optimize", "drop asserts and set __debug__ to False")
    .option("--heap <bytes>", "Python heap size", (v) => parseInt(v, 10))
    .option("-B", "don't write imported modules' bytecode to __pycache__")
    .allowUnknownOption(false)
    .action((file: string, args: string[], opts: { optimize?: boolean; heap?: number; B?: boolean }) => {
      if (!fs.existsSync(file)) fail(`espy: can't open file '${file}': [Errno 2] No such file or directory`);
      const ro = { argv: [file].concat(args), optimize: opts.optimize ? 1 : 0, heapBytes: opts.heap, writeCache: opts.B ? false : undefined };
      // a .mpb runs as bytecode, with FILE.mpb.map and its source for tracebacks when they are beside it
      runAndExit(file.endsWith(".mpb") ? runCompiled(file, ro) : runHost(readSource(file), file, ro));
    });
  program
    .command("compile")
    .description("compile a .py file to .mpb bytecode (beside it, or -o), or every .py under a directory (into __pycache__, or a tree under -o)")
    .argument("<target>", "a .py file or a directory")
    .option("-o, --output <path>", "output file (one source) or directory (a tree)")
    .option("--strip-lines", "put line tables in OUT.map beside the image (smaller on the board; the host still symbolicates tracebacks)")
    .option("--hash", "validate __pycache__ entries by the source's hash instead of its mtime")
    .option("--cache", "write one file's __pycache__ entry instead of NAME.mpb")
    .option("-f, --force", "rebuild __pycache__ entries even when up to date")
    .option("-O, --optimize", "drop asserts and set __debug__ to False")
    .option("-v, --verbose", "a line per file even when not on a terminal")
    .action((target: string, opts: { output?: string; stripLines?: boolean; hash?: boolean; cache?: boolean; force?: boolean; optimize?: boolean; verbose?: boolean }) => {
      process.exitCode = compileMain(
        target,
        {
          out: opts.output,
          stripLines: opts.stripLines,
          hash: opts.hash,
          cache: opts.cache,
          force: opts.force,
          optimize: opts.optimize ? 1 : 0,
          progress: opts.verbose || !!process.stdout.isTTY,
        },
        { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) },
      );
    });
  program
    .command("disasm")
    .description("list the bytecode of a .py or .mpb file")
    .argument("<file>", "the .py or .mpb file")
    .action((file: string) => {
      const bytes = file.endsWith(".mpb") ? new Uint8Array(fs.readFileSync(file)) : compileToImage(readSource(file), file, "exec", 0);
      const img = loadImage(bytes);
      if (isLoadError(img)) fail(file + ": " + img.error);
      process.stdout.write(disasm(img));
    });
  registerReplCommands(program);
  registerSimCommands(program);
  registerFlashCommands(program);
  program.parse(process.argv);
}

function runAndExit(p: Promise<number>): void {
  p.then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}

function fail(msg: string): never {
  process.stderr.write(msg + "\n");
  process.exit(2);
}

main();
