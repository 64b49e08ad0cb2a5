// The simulator's public face: a simulated Espruino board in-process (SimBoard), behind a pseudo-terminal (openPty),
// and its parts for tests (the JS console's packet builder, the hardware models, the trace format).
//
// SimBoard's API is stable: other tests (the flasher's fault injection, the REPL's) build on it. Add to it; do not
// rename or change what is here.
//
//   const b = new SimBoard({ board: "puck", virtualClock: true, storageFile: null });
//   await b.powerOn();                      // installs dist/device's runtime in Storage, runs the boot code
//
// Options (SimOptions): board (profile name, default "puck"), storageFile (flash image file, null = in memory),
// virtualClock (idle waits cost no wall time), runtime (install the runtime at power-on, default true), deviceDir,
// evalTimeoutMs (JS typed at the prompt is interrupted after this, default 10 s), serial (getSerial()), tempSensor
// (a TMP102-style sensor at I2C address 0x48, default true), extraBlocks (added to the profile's block budget, for
// memory the board would not spend, e.g. espy test's heap for unittest). `warnings` says where the simulation differs
// from the board (e.g. the runtime is too large for its Storage, so the simulator adds room for it).
//
// The host side of the serial line (what a pseudo-terminal or a test sees):
//   write(bytes)               bytes sent to the board's console device (string latin1, or Uint8Array)
//   output                     everything the board has sent; event "output" (s) for each chunk
//   takeOutput()               output since the last takeOutput()/waitFor()
//   waitFor(pattern, ms?)      resolves with the output up to the first match (rejects after ms of wall time)
//   events "exit" (why)        the board stopped (the Linux build exits on byte 04, quit(), two Ctrl-C…)
//   events "uart" (dev, s)     bytes sent on a UART that is not the console; "trace" (TraceEntry) every pin change
//   stopped                    whether the board has stopped
//
// Programs and time:
//   runProgram(image, {file?, modules?, seconds?, cfg?}) → {code, output, timedOut}: store a compiled program
//                              (flasher/host compileToImage) and run it with espy.run as the boot file would
//   now()                      board time in seconds since power-on; runFor(seconds); at(seconds, fn)
//   evalJs(code), global(name), sandbox    JS in the board's world (tests)
//   memory()                   what process.memory() says (the profile's block budget)
//   close()                    power off (Storage stays in its file)
//
// Virtual hardware:
//   trace, traceText(filter?)  pin changes, bus transfers and PWM settings with board timestamps
//   press(button, ms?), release(button), setPin(pin, 1|0|null), pin(pin), setAnalog(pin, v)
//   tempSensor (TempSensor: .temperature in °C), attachI2C(addr, I2CDevice)
//   storage (SimStorage: read/write/erase/list/compact, flash semantics), device(name) (SimSerial), consoleName()
export { SimBoard, SimSerial, findDeviceDir, runtimeFiles, bootConfig, SIM_FIRMWARE, BASE_BLOCKS } from "./board";
export type { SimOptions, RunResult } from "./board";
export { openPty, haveSocat } from "./pty";
export type { SimPty } from "./pty";
export { EspruinoConsole, ACK, NAK, countBrackets } from "./console";
export { SimStorage, StorageError } from "./storage";
export { TempSensor, RegisterDevice, Pin, formatTrace } from "./hardware";
export type { TraceEntry, I2CDevice } from "./hardware";
export { SimLoop } from "./clock";
export { heatshrinkDecode, parseLiberal, toJS, espruinoJson, REPL_FLAGS, PRINT_FLAGS } from "./format";
