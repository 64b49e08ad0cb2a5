// The board profiles: one table of data, one row per Espruino board espy runs on. Nothing here is code. The build
// turns a row into the boot file for that board (scripts/build.mjs), the bench reports against it
// (scripts/bench-device.mjs), and the flasher picks a row by the board's process.env.BOARD. Facts come from
// Espruino's board files (boards/*.py in its repository) and ../shared/docs/espruino.md §2; heap sizes from the
// measurements in docs/device.md.

export interface BoardProfile {
  /** What Espruino's process.env.BOARD says on this board. */
  board: string;
  title: string;
  /** Espruino's block (JsVar) count: the board file's 'variables'. 0: the Linux build, which grows on demand. */
  blocks: number;
  /** Bytes per block on this board (13 for 12-13 bit refs, 14 for 14-bit refs, 27 on 64-bit Linux). */
  blockBytes: number;
  /** Bytes of Storage for files (runtime, programs, data). */
  storageBytes: number;
  /** Default Python heap in bytes (frame region included); the runtime shrinks it if Espruino has less free. */
  heapBytes: number;
  /** Bytes of the heap given to the frame stack (bounds recursion depth). */
  frameBytes: number;
  /** Blocks the runtime always leaves to Espruino (its own temporaries, the console, timers, strings to print). */
  marginBlocks: number;
  /** Whether the resident runtime for this board includes the compiler (the full image) or not (the lean one). */
  compiler: boolean;
  /** The console device when the board is connected the usual way (E.getConsole() is asked at run time). */
  console: string;
  /** LED names Python may use (machine.Pin("LED1")) and the pins behind them. */
  leds: { [name: string]: string };
  /** Button names and pins. */
  buttons: { [name: string]: string };
  /** The button that, held at power-up, skips main.mpb (safe boot); "" when the board has none. */
  safeButton: string;
  /**
   * The Storage file the boot code goes in: ".bootcde" (what E.setBootCode writes) on most boards; on Bangle.js 2
   * an "X.boot.js" file, which its boot loader gathers into .boot0 (its .bootcde is the launcher).
   */
  bootFile: string;
  /** GPIO pins, as ranges "D0-D31". */
  pins: string[];
}

export const PROFILES: { [name: string]: BoardProfile } = {
  puck: {
    board: "PUCKJS", title: "Puck.js (nRF52832)",
    blocks: 2630, blockBytes: 13, storageBytes: 40 * 1024,
    heapBytes: 8 * 1024, frameBytes: 1024, marginBlocks: 300, compiler: false,
    console: "Bluetooth",
    leds: { LED1: "D5", LED2: "D4", LED3: "D3" },
    buttons: { BTN1: "D0" },
    safeButton: "BTN1",
    bootFile: ".bootcde",
    pins: ["D0-D31"],
  },
  pixl: {
    board: "PIXLJS", title: "Pixl.js (nRF52832)",
    blocks: 2950, blockBytes: 13, storageBytes: 36 * 1024,
    heapBytes: 8 * 1024, frameBytes: 1024, marginBlocks: 300, compiler: false,
    console: "Bluetooth",
    leds: { LED1: "H0" },
    buttons: { BTN1: "H1", BTN2: "H2", BTN3: "H3", BTN4: "H4" },
    safeButton: "BTN1",
    bootFile: ".bootcde",
    pins: ["D0-D31"],
  },
  bangle2: {
    board: "BANGLEJS2", title: "Bangle.js 2 (nRF52840)",
    blocks: 12000, blockBytes: 14, storageBytes: 8 * 1024 * 1024,
    heapBytes: 64 * 1024, frameBytes: 8 * 1024, marginBlocks: 1500, compiler: false,
    console: "Bluetooth",
    leds: { LED1: "LED1", LED2: "LED2" },
    buttons: { BTN1: "D17" },
    safeButton: "BTN1",
    bootFile: "espy.boot.js",
    pins: ["D0-D47"],
  },
  pico: {
    board: "PICO_R1_3", title: "Espruino Pico (STM32F401)",
    blocks: 5100, blockBytes: 13, storageBytes: 48 * 1024,
    heapBytes: 16 * 1024, frameBytes: 2048, marginBlocks: 400, compiler: false,
    console: "USB",
    leds: { LED1: "B2", LED2: "B12" },
    buttons: { BTN1: "C13" },
    safeButton: "BTN1",
    bootFile: ".bootcde",
    pins: ["A0-A15", "B0-B15", "C13-C15"],
  },
  wifi: {
    board: "ESPRUINOWIFI", title: "Espruino WiFi (STM32F411)",
    blocks: 8190, blockBytes: 13, storageBytes: 64 * 1024,
    heapBytes: 32 * 1024, frameBytes: 4096, marginBlocks: 600, compiler: false,
    console: "USB",
    leds: { LED1: "B2", LED2: "B12" },
    buttons: { BTN1: "C13" },
    safeButton: "BTN1",
    bootFile: ".bootcde",
    pins: ["A0-A15", "B0-B15", "C13-C15"],
  },
  esp32: {
    board: "ESP32", title: "ESP32 (WROOM/WROVER)",
    blocks: 16383, blockBytes: 14, storageBytes: 896 * 1024,
    heapBytes: 96 * 1024, frameBytes: 8 * 1024, marginBlocks: 1500, compiler: true,
    console: "Serial1",
    leds: { LED1: "D2" },
    buttons: { BTN1: "D0" },
    safeButton: "", // BTN1 is GPIO0, a strapping pin: held at power-up it starts the ROM bootloader instead
    bootFile: ".bootcde",
    pins: ["D0-D39"],
  },
  linux: {
    board: "LINUX", title: "Espruino's Linux build",
    blocks: 0, blockBytes: 27, storageBytes: 256 * 1024,
    heapBytes: 256 * 1024, frameBytes: 16 * 1024, marginBlocks: 2000, compiler: true,
    console: "USB",
    leds: {},
    buttons: {},
    safeButton: "",
    bootFile: ".bootcde",
    pins: ["D0-D32"],
  },
};
