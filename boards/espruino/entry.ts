// The lean device runtime (Storage file espy.js): everything but the compiler, which is the part espy-cc.js loaded
// on first use of exec/eval/compile. The boot file evaluates this file from Storage and calls espy.boot(config).
import { G } from "./api";
import { VERSION, crc, mainFile } from "./program";
import { run, runImage, boot, stop, current, heapFor, setCompiler, newVm } from "./runtime";
import { initRuntime } from "../../core/index";
import { repl } from "./repl";
import type { CompileFn } from "./runtime";
import { loadPart } from "./parts";
import { useModuleParts } from "./modparts";

useModuleParts();

let cc: CompileFn | null = null;
setCompiler(function () {
  if (!cc) {
    const p = loadPart("espy-cc.js");
    cc = p ? p[0] : null;
  }
  return cc;
});

G.espy = { run: run, boot: boot, stop: stop, vm: current, heapFor: heapFor, init: initRuntime, newVm: newVm, repl: repl, full: false, version: VERSION, crc: crc, runImage: runImage, main: mainFile, cfg: null };
