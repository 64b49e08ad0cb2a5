// CRC-32 (IEEE 802.3, the polynomial and conventions of zlib's crc32()): checks .mpb images, line maps and flash
// transfers. Runs on the board, so it is dialect code: the 256-entry table is an Int32Array built on first use
// (1 KB of RAM, only once a checksum is actually needed), and all arithmetic stays in int32 with `>>>`.

let table: Int32Array | null = null;

function makeTable(): Int32Array {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
}

/**
 * The CRC-32 of bytes[start … end), continuing from `seed` (0 to start; pass a previous result to checksum data
 * that arrives in pieces: crc32(b, 0, n, crc32(a, 0, m, 0)) is the CRC of a followed by b). Unsigned result.
 */
export function crc32(bytes: Uint8Array, start: number, end: number, seed: number): number {
  let t = table;
  if (t === null) t = table = makeTable();
  let c = ~seed;
  for (let i = start; i < end; i++) c = t[(c ^ bytes[i]) & 255] ^ (c >>> 8);
  return ~c >>> 0;
}
