// The `espy` command line: argument parsing only; each command lives in its own module.
import { Command } from "commander";
import * as fs from "node:fs";
import { runHost, readSource, compileToImage } from "./host";
import { loadImage, isLoadError } from "../core/image";
import { disasm } from "../core/disasm";

const VERSION = "0.1.0";

function main(): void {
  // `espy -c CODE [args]` and `espy FILE.py [args]` work like `python3`; subcommands for everything else
  const argv = process.argv.slice(2);
  if (argv[0] === "-c") {
    if (argv.length < 2) fail("-c needs an argument: espy -c \"print(1)\"");
    runAndExit(runHost(argv[1], "<string>", { argv: ["-c"].concat(argv.slice(2)) }));
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
    .allowUnknownOption(false)
    .action((file: string, args: string[], opts: { optimize?: boolean; heap?: number }) => {
      if (!fs.existsSync(file)) fail(`espy: can't open file '${file}': [Errno 2] No such file or directory`);
      runAndExit(runHost(readSource(file), file, { argv: [file].concat(args), optimize: opts.optimize ? 1 : 0, heapBytes: opts.heap }));
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
