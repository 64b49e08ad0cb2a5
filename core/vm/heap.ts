// The Python heap: one fixed Int32Array, a non-moving allocator (exact-size free lists for small blocks, a bump
// region carved from large free blocks) and a precise mark-sweep collector. Allocation never grows anything the
// platform owns, so a full heap is a Python MemoryError, never an Espruino out-of-memory.
import { K, LY } from "./layout";

/** Exact-size free lists exist for blocks smaller than this (in words). */
const NSMALL = 32;
/** The largest block a header can describe (its size field has 23 bits); bigger free runs are split. */
export const MAX_BLOCK = (1 << 23) - 1;
/**
 * Words of the mark stack: 4096 on a big heap (the host's), 512 on a board's, where each 13 bytes of a typed array
 * cost Espruino a block. Overflow falls back to rescanning the heap, so this only bounds speed, not depth.
 */
const MARK_STACK = 4096;
const MARK_STACK_SMALL = 512;
/** Heaps of at most this many words (1 MB) are a board's: their VM tables are sized down. */
export const SMALL_HEAP = 1 << 18;
/** Heaps of more words than this get a soft collection threshold (see Heap.soft): 8 MB. */
const SOFT_HEAP = 2 << 20;
/** The least soft threshold, in words (4 MB). */
const SOFT_MIN = 1 << 20;

export class Heap {
  buf: ArrayBuffer;
  H: Int32Array;
  U8: Uint8Array;
  /** GC-managed area, word indices [start, end). */
  start: number;
  end: number;
  /** Heads of the exact-size free lists (0 = empty); entry n holds blocks of n words. */
  small: Int32Array;
  /** Head of the list of free blocks of NSMALL words or more. */
  large = 0;
  bump = 0;
  bumpEnd = 0;
  freeWords = 0;
  collections = 0;
  /** Collect at every allocation (tests). */
  stress = false;
  /** gc.threshold(): collect after this many words were allocated since the last collection (-1: only when full). */
  threshold = -1;
  sinceGc = 0;
  /**
   * On a big heap (the host's), also collect after this many words were allocated since the last collection, so
   * that allocation keeps reusing the freed blocks (warm in the cache) instead of touching fresh pages all the way
   * to the end; 0 on a device-sized heap. Set from the live size after each collection (SOFT_MIN at least).
   */
  soft = 0;
  /** On a big heap (the host's), a DataView of it: floats are read and written in place through it (obj/num.ts). */
  dv: DataView | null = null;
  /** micropython.heap_lock() depth: while above 0, allocation fails. */
  locked = 0;
  markStack: Int32Array;
  markMax: number;
  msp = 0;
  overflowed = false;
  /** Called at the start of a collection to mark every root with mark(). */
  roots: (h: Heap) => void;
  /** Called when memory runs out even after collecting: must throw (the VM raises MemoryError). */
  oom: (words: number) => void;

  constructor(words: number, reserved: number, roots: (h: Heap) => void, oom: (words: number) => void) {
    this.buf = new ArrayBuffer(words * 4);
    this.H = new Int32Array(this.buf);
    this.U8 = new Uint8Array(this.buf);
    this.start = reserved;
    this.end = words;
    this.small = new Int32Array(NSMALL);
    this.markMax = words > SMALL_HEAP ? MARK_STACK : MARK_STACK_SMALL;
    this.markStack = new Int32Array(this.markMax);
    this.roots = roots;
    this.oom = oom;
    this.bump = this.start;
    this.bumpEnd = this.end;
    this.freeWords = this.end - this.start;
    if (this.end - this.start > SOFT_HEAP) {
      this.soft = SOFT_MIN;
      this.dv = new DataView(this.buf);
    }
  }

  /**
   * A new object of `size` words (header included, at least 2) and kind. Traced kinds come zeroed (all NULL);
   * raw kinds are not cleared. May collect: see the rooting rule in docs/design.md.
   */
  alloc(kind: number, size: number): number {
    if (this.locked) {
      this.oom(size); // micropython.heap_lock(): every allocation is a MemoryError
      return 0;
    }
    if (this.stress) this.collect();
    else if (this.threshold >= 0) {
      this.sinceGc += size;
      if (this.sinceGc > this.threshold) this.collect();
    } else if (this.soft) {
      this.sinceGc += size;
      if (this.sinceGc > this.soft) this.collect();
    }
    let p = this.take(size);
    if (p === 0) {
      this.collect();
      p = this.take(size);
      if (p === 0) {
        this.oom(size);
        return 0;
      }
    }
    const H = this.H;
    const got = H[p] >> 8 || size; // take() leaves a header only when it handed out a slightly larger block
    H[p] = (got << 8) | kind;
    if (kind >= K.TRACED) {
      if (got < 16) for (let i = p + 1; i < p + got; i++) H[i] = 0;
      else H.fill(0, p + 1, p + got);
    }
    this.freeWords -= got;
    return p;
  }

  /** Find a block of at least `size` words; 0 if none. Sets H[p] to the block's header if it is larger. */
  private take(size: number): number {
    const H = this.H;
    const small = this.small;
    if (size < NSMALL) {
      let p = small[size];
      if (p) {
        small[size] = H[p + 1];
        H[p] = 0;
        return p;
      }
    }
    if (this.bump + size <= this.bumpEnd) {
      const q = this.bump;
      this.bump += size;
      if (this.bumpEnd - this.bump === 1) {
        // a single word can't be a block: give it to this object
        this.bump++;
        H[q] = (size + 1) << 8;
        return q;
      }
      H[q] = 0;
      return q;
    }
    if (size < NSMALL) {
      // split a larger small block
      for (let n = size + 2; n < NSMALL; n++) {
        const p = small[n];
        if (p) {
          small[n] = H[p + 1];
          this.release(p + size, n - size);
          H[p] = 0;
          return p;
        }
      }
    }
    // first fit in the large list; the block found becomes the new bump region
    let prev = 0;
    let p = this.large;
    while (p) {
      const n = H[p] >> 8;
      if (n >= size) {
        if (prev) H[prev + 1] = H[p + 1];
        else this.large = H[p + 1];
        this.retireBump();
        this.bump = p;
        this.bumpEnd = p + n;
        return this.take(size);
      }
      prev = p;
      p = H[p + 1];
    }
    return 0;
  }

  /** Put what is left of the bump region back on the free lists. */
  private retireBump(): void {
    const n = this.bumpEnd - this.bump;
    if (n >= 2) this.release(this.bump, n);
    this.bump = this.bumpEnd = 0;
  }

  /** Make [p, p+n) free blocks on the right lists (n >= 2). Does not change freeWords. */
  private release(p: number, n: number): void {
    const H = this.H;
    while (n > MAX_BLOCK) {
      // keep every piece at least 2 words
      const piece = n - MAX_BLOCK >= 2 ? MAX_BLOCK : MAX_BLOCK - 2;
      this.release(p, piece);
      p += piece;
      n -= piece;
    }
    H[p] = (n << 8) | K.FREE;
    if (n < NSMALL) {
      H[p + 1] = this.small[n];
      this.small[n] = p;
    } else {
      H[p + 1] = this.large;
      this.large = p;
    }
  }

  /** Give back the tail of an object that turned out smaller than allocated (a bigint result, a string). */
  shrink(p: number, newSize: number): void {
    const H = this.H;
    const old = H[p] >> 8;
    if (old - newSize < 2) return;
    H[p] = (newSize << 8) | (H[p] & 255);
    this.release(p + newSize, old - newSize);
    this.freeWords += old - newSize;
  }

  // --- Collection ----------------------------------------------------------------------------------------------------

  /** Mark a tagged value (and, later, what it reaches). */
  mark(w: number): void {
    if ((w & 3) !== 0 || w === 0) return;
    const p = w >> 2;
    const H = this.H;
    if (p < this.start) return; // frames in the frame region are scanned through the frame chain
    const h = H[p];
    if (h & LY.MARK) return;
    H[p] = h | LY.MARK;
    if ((h & 127) >= K.TRACED) {
      if (this.msp < this.markMax) this.markStack[this.msp++] = p;
      else this.overflowed = true;
    }
  }

  /** Mark everything a frame holds: its fields, locals and stack up to its saved stack pointer. */
  markFrame(p: number): void {
    const H = this.H;
    for (let i = LY.F_BACK + 1; i < LY.F_SP; i++) this.mark(H[p + i]);
    this.mark(H[p + LY.F_SLOTS - 1]); // saved exception
    const top = H[p + LY.F_SP] >> 1;
    for (let i = p + LY.F_SLOTS; i <= top; i++) this.mark(H[i]);
  }

  collect(): void {
    const H = this.H;
    this.collections++;
    this.sinceGc = 0;
    this.msp = 0;
    this.overflowed = false;
    this.retireBump();
    this.roots(this);
    this.drain();
    while (this.overflowed) {
      // the mark stack overflowed: rescan for marked objects whose children may be unmarked
      this.overflowed = false;
      for (let p = this.start; p < this.end; p += H[p] >> 8) {
        const h = H[p];
        if (h & LY.MARK && (h & 127) >= K.TRACED) {
          this.scan(p);
          this.drain();
        }
      }
    }
    this.sweep();
  }

  private drain(): void {
    while (this.msp > 0) this.scan(this.markStack[--this.msp]);
  }

  private scan(p: number): void {
    const H = this.H;
    const h = H[p];
    const kind = h & 127;
    if (kind === K.FRAME) {
      // a generator's frame: only the live part of its stack holds values
      this.markFrame(p);
      return;
    }
    const end = p + (h >> 8);
    for (let i = p + 1; i < end; i++) {
      const w = H[i];
      if ((w & 3) === 0 && w !== 0) this.mark(w);
    }
  }

  /** Free every unmarked object, merging neighbours; clear the marks of the rest. */
  private sweep(): void {
    const H = this.H;
    const small = this.small;
    small.fill(0);
    this.large = 0;
    this.bump = this.bumpEnd = 0;
    let free = 0;
    let runStart = 0;
    let biggest = 0;
    let biggestAt = 0;
    const end = this.end;
    let p = this.start;
    while (p < end) {
      const h = H[p];
      const n = h >> 8;
      if (h & LY.MARK) {
        H[p] = h & ~LY.MARK;
        if (runStart) {
          const len = p - runStart;
          if (len > biggest) {
            if (biggest) this.release(biggestAt, biggest);
            biggest = len;
            biggestAt = runStart;
          } else this.release(runStart, len);
          runStart = 0;
        }
      } else {
        if (!runStart) runStart = p;
        free += n;
      }
      p += n;
    }
    if (runStart) {
      const len = end - runStart;
      if (len > biggest) {
        if (biggest) this.release(biggestAt, biggest);
        biggest = len;
        biggestAt = runStart;
      } else this.release(runStart, len);
    }
    this.freeWords = free;
    if (this.soft) {
      // a big heap reuses freed runs lowest first (the untouched end last): reverse the large list into address
      // order, and collect again after twice the live size, which keeps the cost proportional to what is allocated
      if (biggest) this.release(biggestAt, biggest);
      let prev = 0;
      let q = this.large;
      while (q) {
        const next = H[q + 1];
        H[q + 1] = prev;
        prev = q;
        q = next;
      }
      this.large = prev;
      const live = end - this.start - free;
      this.soft = live * 2 > SOFT_MIN ? live * 2 : SOFT_MIN;
    } else if (biggest) {
      // the largest free run becomes the bump region: most allocation after a collection is then a pointer bump
      this.bump = biggestAt;
      this.bumpEnd = biggestAt + biggest;
    }
  }

  /** Check the heap's structure (tests): every block's size steps exactly to the end. */
  verify(): string | null {
    const H = this.H;
    let p = this.start;
    while (p < this.end) {
      const n = H[p] >> 8;
      if (n < 1 || p + n > this.end) return "bad block at " + p;
      p += n;
    }
    return null;
  }
}
