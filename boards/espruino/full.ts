// The full device runtime (Storage file espy.js on boards with room): the lean runtime with the compiler built in.
import { G } from "./api";
import { VERSION, crc, mainFile } from "./program";
import { run, runImage, boot, stop, current, heapFor, setCompiler, newVm } from "./runtime";
import { initRuntime } from "../../core/index";
import { repl } from "./repl";
import { compileSource } from "./compiler";
import { useModuleParts } from "./modparts";

useModuleParts();

setCompiler(function () {
  return compileSource;
});

G.espy = { run: run, boot: boot, stop: stop, vm: current, heapFor: heapFor, init: initRuntime, newVm: newVm, repl: repl, full: true, version: VERSION, crc: crc, runImage: runImage, main: mainFile, cfg: null };
