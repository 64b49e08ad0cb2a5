// printf-style formatting's fast paths (core/obj/format.ts): small ints straight to their digits in every radix, with
// flags, widths and precisions at their edges (the smallest and largest small ints, zero, negative zero-fill); padding
// from constant pieces up to 32 characters and past them; flags read as character codes; the length modifiers h l L;
// the spec shared by the conversions of one call (each one starts from the defaults), also across a nested format
// run by __str__ and __index__ in the middle of a conversion. Output compared with CPython's; run also under GC stress.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { runPy } from "./helpers/run";

const python = spawnSync("python3", ["--version"]).status === 0;

const SRC = String.raw`
ints = [0, 1, -1, 7, -7, 255, -256, 1073741823, -1073741824, 1073741824, -1073741825, 2**64, -(2**64), True, False]
convs = "diuoxX"
specs = ["", "5", "-5", "05", "+5", " 5", "#8", "-#8", "#08", "+08", ".3", "8.3", "-8.3", "010.4", "33", "-33", "040", "+-40", "0-6", "hd", "ld", "Lx", "lld"]
for v in ints:
    row = []
    for c in convs:
        for s in specs:
            f = "%" + s + (c if not s.endswith("d") and not s.endswith("x") else "")
            try:
                row.append(f % (v,))
            except Exception as e:
                row.append(type(e).__name__ + ": " + str(e))
    print(v, "|".join(row))
for w in [0, 1, 31, 32, 33, 64, 100]:
    print(repr("%*s|" % (w, "ab")), repr("%-*s|" % (w, "ab")), repr("%*d|" % (w, -5)), repr("%0*d|" % (w, 5)), repr("%.*f|" % (min(w, 40), 1.5)))
    print(repr("{:>{}}|{:0{}}|{:^{}}".format("x", w, 7, w, "ab", w)), repr(format(3, "0%d" % max(w, 1))))
print("%-8s|%5d|%08.3f" % ("fox", 42, 42 / 7), "%s %s %s" % (1, "a", 2.5), "%%%d%%" % 5, "%c%c" % (65, "b"))
print("%5s|%-5s|%.1s|%5.2s|" % ("é", "éé", "éa", "héllo"), "%x %X %o %#x %#o" % (255, 255, 8, 255, 8))
print("%(a)s-%(b)5d" % {"a": "A", "b": 3}, "%s" % [1, 2], "%r" % "q", "%a" % "é")
class S:
    def __str__(self):
        return "<%5d|%-3s>" % (7, "z")
class I:
    def __index__(self):
        return int("%03d" % 4)
print("%-12s|%8s|%+6d|%#6x" % (S(), S(), 3, I()))
for bad in ["%", "%5", "%-", "%.", "%h", "%y", "%5.2y", "%(a"]:
    try:
        print(repr(bad % (1,)))
    except Exception as e:
        print(bad, type(e).__name__, e)
for args in [(), (1, 2)]:
    try:
        print("%d" % args)
    except Exception as e:
        print(type(e).__name__, e)
print(b"%5d|%-4s|%x" % (3, b"ab", 255), b"%c%%" % 65)
`;

describe.skipIf(!python)("printf-style fast paths against CPython", () => {
  const want = python ? spawnSync("python3", ["-c", SRC], { encoding: "utf8" }) : null;
  it("matches CPython", async () => {
    expect(want!.stderr).toBe("");
    const got = await runPy(SRC, { filename: "fmt.py" });
    expect(got.err).toBe("");
    expect(got.out).toBe(want!.stdout);
  });
  it("matches CPython under GC stress", async () => {
    const got = await runPy(SRC, { filename: "fmt.py", gcStress: true });
    expect(got.err).toBe("");
    expect(got.out).toBe(want!.stdout);
  });
});
