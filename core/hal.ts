// The one contract between core/ and the platform it runs on (Node on the host, Espruino on a board, the simulator).
// core/ calls only these methods for anything outside its own heap: output, time, files, pins. Nothing in core/
// touches `process`, `fs`, `setTimeout` or Espruino globals.

export interface Hal {
  /** Write bytes to stdout (fd 1) or stderr (fd 2). `len` bytes from `buf` starting at `off`. */
  write(fd: number, buf: Uint8Array, off: number, len: number): void;

  /** Milliseconds from an arbitrary start, monotonic, possibly fractional. */
  ticksMs(): number;
  /** Seconds since the Unix epoch (float), for time.time(). */
  time(): number;
  /**
   * Run `fn` after `ms` milliseconds from the event loop (0: as soon as possible). The VM resumes its slices through
   * this, so a sleeping program leaves the event loop free.
   */
  schedule(fn: () => void, ms: number): void;
  /** Wait in place (used only where the VM cannot return to the event loop, e.g. a sleep inside a nested call). */
  sleepBlocking(ms: number): void;

  /**
   * Read a whole file as bytes, or null if missing (imports, open()). Paths use "/"; on a board they name Storage
   * files. Optional: a platform without files leaves it undefined.
   */
  readFile?(path: string): Uint8Array | null;
  writeFile?(path: string, data: Uint8Array, append: boolean): boolean;
  /** mtime in seconds and size in bytes, or null if missing. */
  stat?(path: string): { size: number; mtime: number; dir: boolean } | null;
  listdir?(path: string): string[] | null;
  remove?(path: string): boolean;
  rename?(from: string, to: string): boolean;
  mkdir?(path: string): boolean;

  /** Hardware, for the machine module. Pins are named as the board names them ("D1", "LED1", "A5"). */
  pinMode?(pin: string, mode: string): void;
  pinWrite?(pin: string, value: number): void;
  pinRead?(pin: string): number;
  analogRead?(pin: string): number;
  analogWrite?(pin: string, duty: number, freq: number): void;
  /** Call `cb(level, timeSeconds)` on edges; returns an id for pinUnwatch. edge: "rising" | "falling" | "both". */
  pinWatch?(pin: string, edge: string, debounceMs: number, cb: (level: number, t: number) => void): number;
  pinUnwatch?(id: number): void;
  i2cWrite?(bus: number, addr: number, data: Uint8Array, stop: boolean): void;
  i2cRead?(bus: number, addr: number, n: number): Uint8Array;
  i2cSetup?(bus: number, opts: { scl: string; sda: string; freq: number }): void;
  spiSetup?(bus: number, opts: { sck: string; mosi: string; miso: string; baud: number; mode: number }): void;
  spiTransfer?(bus: number, data: Uint8Array, cs: string | null): Uint8Array;
  uartSetup?(bus: number, opts: { baud: number; tx: string; rx: string }): void;
  uartWrite?(bus: number, data: Uint8Array): void;
  uartRead?(bus: number): Uint8Array;
  reset?(): void;
  uniqueId?(): Uint8Array;
  /** Board facts for sys.platform / os.uname(): { board, firmware, ... }. */
  info?(): { [k: string]: string };
  /** Free memory of the platform itself (Espruino blocks), for micropython.mem_info(). */
  platformMemory?(): { free: number; total: number } | null;
}
