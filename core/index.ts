// The public face of core/: what boards/ and flasher/ use. Everything else in core/ is internal.
export type { Hal } from "./hal";
export { Vm } from "./vm/vm";
export type { VmOptions, LoadedImage } from "./vm/vm";
export type { ModuleSource } from "./vm/import";
export { createVm, initRuntime } from "./runtime";
export { addImage, startMain, beginMain, runSlice, RUN_DONE, RUN_SUSPENDED, RUN_ERROR, formatException, exitCode } from "./vm/run";
export { compile } from "./compiler";
export { serialize, loadImage, isLoadError, IMAGE_VERSION } from "./image";
export { CompileError, isCompileError } from "./errors";
