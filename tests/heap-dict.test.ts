// A dict's entry table whose block came back a word longer than asked for: the allocator hands out the last odd
// word of its bump region with the object before it (a single word cannot be a free block). The table must still
// hold only whole entries: a 17th entry in a 16-entry table once overwrote the next block's header with its key,
// which the collector's sweep then walked forever (found running bench/dicts.py four times in one program).
import { describe, it, expect } from "vitest";
import { createVm } from "../core/index";
import { hostHal } from "../boards/host/hal";
import { K, LY } from "../core/vm/layout";
import { newTable, dictSet, dictGet } from "../core/obj/dict";

describe("dict entry tables in blocks one word longer than asked for", () => {
  it("grow instead of writing past their block", () => {
    const vm = createVm(hostHal(), { heapBytes: 256 * 1024, frameBytes: 32 * 1024, argv: ["t"], path: [], platform: "linux" });
    const h = vm.heap;
    const d = vm.tpush(newTable(vm, K.DICT, 4));
    for (let i = 0; i < 8; i++) dictSet(vm, d, (i << 1) | 1, (i << 1) | 1);
    // the next resize (to 16 entries: 1 + 3 * 16 = 49 words) meets a bump region of 50 words, then a neighbour,
    // then the rest of the region as a free block
    const at = h.bump;
    const rest = h.bumpEnd;
    expect(rest - at).toBeGreaterThan(200);
    const neighbour = at + 50;
    h.bumpEnd = neighbour;
    h.H[neighbour] = (8 << 8) | K.ARRAY; // a block the dict must not touch
    for (let k = 1; k < 8; k++) h.H[neighbour + k] = LY.NONE;
    (h as unknown as { release(p: number, n: number): void }).release(neighbour + 8, rest - neighbour - 8);
    for (let i = 8; i < 16; i++) dictSet(vm, d, (i << 1) | 1, (i << 1) | 1);
    const ent = vm.H[(d >> 2) + LY.D_ENT] >> 2;
    expect(ent).toBe(at);
    expect(vm.H[ent] >> 8).toBe(50); // the odd word came with it
    expect(vm.H[neighbour]).toBe((8 << 8) | K.ARRAY);
    // a 17th entry needs a new table
    dictSet(vm, d, (16 << 1) | 1, (16 << 1) | 1);
    expect(vm.H[neighbour]).toBe((8 << 8) | K.ARRAY);
    expect(vm.H[(d >> 2) + LY.D_ENT] >> 2).not.toBe(at);
    for (let i = 0; i <= 16; i++) expect(dictGet(vm, d, (i << 1) | 1)).toBe((i << 1) | 1);
    vm.tpop(1);
  });
});
