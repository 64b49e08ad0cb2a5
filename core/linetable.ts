// Line tables: which source line each bytecode offset came from, in about one byte per line change.
//
// A table is a sequence of steps from (offset 0, line firstline). Each step advances the offset by `db` bytes and the
// line by `dl`, and marks the instructions from the new offset on as belonging to the new line.
//   0LLBBBBB                   db = B (0-31), dl = L (0-3)
//   1xxxxxxx + varints         db = varint, dl = zigzag varint (any values)
// The long form's first byte is 0x80 and is followed by both varints.

export function encodeLines(firstline: number, pairs: number[]): Uint8Array {
  // pairs: offset0, line0, offset1, line1, … with offsets non-decreasing
  const out: number[] = [];
  let off = 0;
  let line = firstline;
  for (let i = 0; i < pairs.length; i += 2) {
    const db = pairs[i] - off;
    const dl = pairs[i + 1] - line;
    if (dl === 0) continue;
    if (db < 32 && dl > 0 && dl < 4) out.push((dl << 5) | db);
    else {
      out.push(0x80);
      pushVarint(out, db);
      pushVarint(out, dl < 0 ? -dl * 2 - 1 : dl * 2);
    }
    off = pairs[i];
    line = pairs[i + 1];
  }
  return new Uint8Array(out);
}

function pushVarint(out: number[], v: number): void {
  while (v > 127) {
    out.push((v & 127) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

/** The line of the instruction at `offset`, from a table at bytes[start … start+len). 0 if there is no table. */
export function lineAt(bytes: Uint8Array, start: number, len: number, firstline: number, offset: number): number {
  if (len === 0) return 0;
  const end = start + len;
  let p = start;
  let off = 0;
  let line = firstline;
  while (p < end) {
    const b = bytes[p++];
    let db: number;
    let dl: number;
    if (b < 0x80) {
      db = b & 31;
      dl = b >> 5;
    } else {
      db = 0;
      let s = 1;
      let c: number;
      do {
        c = bytes[p++];
        db += (c & 127) * s;
        s *= 128;
      } while (c & 128 && p < end);
      let z = 0;
      s = 1;
      do {
        c = bytes[p++];
        z += (c & 127) * s;
        s *= 128;
      } while (c & 128 && p < end);
      dl = z & 1 ? -(z + 1) / 2 : z / 2;
    }
    if (off + db > offset) break;
    off += db;
    line += dl;
  }
  return line;
}
