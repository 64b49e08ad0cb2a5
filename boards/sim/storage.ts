// Espruino's Storage on simulated flash (../shared/docs/espruino.md §3; Espruino's src/jsflash.c). Files sit one
// after another: a 32-byte header (size with flags in its top byte, then the name in 28 bytes) and the data padded to
// 4 bytes. Flash bits only go from 1 to 0 when written, so a region is written once: a file is created with its full
// size (unwritten bytes read 0xFF), later writes fill erased parts, and writing over written bytes is an error.
// Erasing a file zeroes its name (it becomes trash); compaction moves the live files down. Everything is persisted to
// a file (the raw flash image, like the Linux build's espruino.flash), byte ranges written through as they change.
import * as fs from "node:fs";
import * as path from "node:path";

const HEADER = 32;
const NAME_LEN = 28;
const align = (n: number) => (n + 3) & ~3;

export interface StorageStats {
  totalBytes: number;
  freeBytes: number;
  fileBytes: number;
  fileCount: number;
  trashBytes: number;
  trashCount: number;
}

interface Entry {
  addr: number; // header address
  size: number;
  flags: number;
  name: string; // "" for trash
}

/** An error Storage reports as an Espruino exception (`Uncaught Error: …`). */
export class StorageError extends Error {}

export class SimStorage {
  readonly size: number;
  readonly bytes: Uint8Array;
  private fd: number | null = null;
  /** Called with Espruino's console messages (compaction prints "Compacting... "). */
  onMessage: (s: string) => void = () => {};

  /** Flash of `size` bytes; persisted in `file` when given (created, or grown, as needed). */
  constructor(size: number, file?: string | null) {
    let bytes: Uint8Array | null = null;
    if (file) {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      if (fs.existsSync(file)) {
        const old = fs.readFileSync(file);
        if (old.length >= size) bytes = new Uint8Array(old.buffer, old.byteOffset, old.length);
        else {
          bytes = new Uint8Array(size).fill(0xff);
          bytes.set(old);
        }
      }
      if (!bytes) bytes = new Uint8Array(size).fill(0xff);
      this.fd = fs.openSync(file, fs.existsSync(file) ? "r+" : "w+");
      fs.writeSync(this.fd, bytes, 0, bytes.length, 0);
    } else bytes = new Uint8Array(size).fill(0xff);
    this.bytes = bytes;
    this.size = bytes.length;
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  // --- flash --------------------------------------------------------------------------------------------------------

  /** Program bytes: flash can only clear bits. */
  private program(addr: number, data: Uint8Array): void {
    for (let i = 0; i < data.length; i++) this.bytes[addr + i] &= data[i];
    this.persist(addr, data.length);
  }

  private persist(addr: number, len: number): void {
    if (this.fd !== null && len > 0) fs.writeSync(this.fd, this.bytes, addr, len, addr);
  }

  private isErased(addr: number, len: number): boolean {
    for (let i = 0; i < len; i++) if (this.bytes[addr + i] !== 0xff) return false;
    return true;
  }

  private u32(addr: number): number {
    const b = this.bytes;
    return (b[addr] | (b[addr + 1] << 8) | (b[addr + 2] << 16) | (b[addr + 3] << 24)) >>> 0;
  }

  /** Every header, live or trash, in flash order; and where free space starts. */
  private scan(): { entries: Entry[]; end: number } {
    const entries: Entry[] = [];
    let a = 0;
    while (a + HEADER <= this.size) {
      const raw = this.u32(a);
      if (raw === 0xffffffff) break;
      const size = raw & 0xffffff;
      let name = "";
      for (let i = 0; i < NAME_LEN; i++) {
        const c = this.bytes[a + 4 + i];
        if (!c) break;
        name += String.fromCharCode(c);
      }
      entries.push({ addr: a, size, flags: raw >>> 24, name });
      a += HEADER + align(size);
    }
    return { entries, end: a };
  }

  /** Espruino keeps the first 28 bytes of a name. */
  static fileName(name: unknown): string {
    return String(name).substr(0, NAME_LEN);
  }

  private find(name: string): Entry | null {
    const n = SimStorage.fileName(name);
    for (const e of this.scan().entries) if (e.name && e.name === n) return e;
    return null;
  }

  private eraseEntry(e: Entry): void {
    this.program(e.addr + 4, new Uint8Array(NAME_LEN));
  }

  private create(name: string, size: number, flags: number): Entry {
    const need = HEADER + align(size);
    let s = this.scan();
    if (s.end + need > this.size) {
      const trash = s.entries.filter((e) => !e.name).reduce((t, e) => t + HEADER + align(e.size), 0);
      if (need < this.size - s.end + trash) {
        this.compact();
        s = this.scan();
      }
      if (s.end + need > this.size) throw new StorageError("Unable to find or create file");
    }
    const h = new Uint8Array(HEADER);
    const raw = (size | (flags << 24)) >>> 0;
    h[0] = raw & 255;
    h[1] = (raw >> 8) & 255;
    h[2] = (raw >> 16) & 255;
    h[3] = raw >>> 24;
    for (let i = 0; i < name.length; i++) h[4 + i] = name.charCodeAt(i) & 255;
    this.program(s.end, h);
    return { addr: s.end, size, flags, name };
  }

  // --- the Storage API ----------------------------------------------------------------------------------------------

  /** Storage.write(name, data, offset, size) with jsfWriteFile's rules. */
  write(name: string, data: Uint8Array, offset?: number, total?: number): boolean {
    const n = SimStorage.fileName(name);
    const off = offset ? Math.floor(offset) : 0;
    let size = total ? Math.floor(total) : 0;
    if (off < 0 || size < 0) return false;
    if (!size) size = data.length;
    if (!size) throw new StorageError("Can't create zero length file");
    let e = this.find(n);
    if ((!e && off === 0) || (e && off === 0 && (e.flags !== 0 || e.size !== size || !this.isErased(e.addr + HEADER, size)))) {
      if (e && off === 0 && e.size === size && e.flags === 0 && data.length === size && this.equal(e.addr + HEADER, data)) return true;
      if (e) this.eraseEntry(e);
      e = this.create(n, size, 0);
    }
    if (!e) throw new StorageError("Unable to find or create file");
    if (off + data.length > e.size) throw new StorageError("Too much data for file size");
    const at = e.addr + HEADER + off;
    if (!this.isErased(at, data.length)) throw new StorageError("File already written with different data");
    this.program(at, data);
    return true;
  }

  private equal(addr: number, data: Uint8Array): boolean {
    for (let i = 0; i < data.length; i++) if (this.bytes[addr + i] !== data[i]) return false;
    return true;
  }

  /** The bytes of a file (a copy), or null. */
  read(name: string, offset = 0, length?: number): Uint8Array | null {
    const e = this.find(name);
    if (!e) return null;
    const start = e.addr + HEADER + Math.max(0, Math.min(offset, e.size));
    const end = length === undefined || length <= 0 ? e.addr + HEADER + e.size : Math.min(start + length, e.addr + HEADER + e.size);
    return this.bytes.slice(start, end);
  }

  has(name: string): boolean {
    return this.find(name) !== null;
  }

  erase(name: string): void {
    const e = this.find(name);
    if (e) this.eraseEntry(e);
  }

  eraseAll(): void {
    this.bytes.fill(0xff);
    this.persist(0, this.size);
  }

  /** Live file names in flash order. */
  list(): string[] {
    return this.scan().entries.filter((e) => e.name).map((e) => e.name);
  }

  stats(): StorageStats {
    const s = this.scan();
    let fileBytes = 0;
    let fileCount = 0;
    let trashBytes = 0;
    let trashCount = 0;
    for (const e of s.entries) {
      const n = HEADER + align(e.size);
      if (e.name) {
        fileBytes += n;
        fileCount++;
      } else {
        trashBytes += n;
        trashCount++;
      }
    }
    return { totalBytes: this.size, freeBytes: this.size - s.end, fileBytes, fileCount, trashBytes, trashCount };
  }

  getFree(): number {
    return this.stats().freeBytes;
  }

  /** Move the live files down over the trash (prints "Compacting... " like Espruino when there is trash). */
  compact(): void {
    const s = this.scan();
    if (!s.entries.some((e) => !e.name)) return;
    this.onMessage("Compacting... ");
    const copy = new Uint8Array(this.size).fill(0xff);
    let w = 0;
    for (const e of s.entries) {
      if (!e.name) continue;
      const n = HEADER + align(e.size);
      copy.set(this.bytes.subarray(e.addr, e.addr + n), w);
      w += n;
    }
    this.bytes.set(copy);
    this.persist(0, this.size);
    this.onMessage("\n");
  }
}
