// re: what tests/py/mod_re.py cannot compare with CPython (error types, re.error being ValueError as in
// MicroPython, the repr of flags), deep inputs that would overflow a recursive matcher, and GC stress.
import { describe, it, expect } from "vitest";
import { runPy } from "./helpers/run";

async function out(src: string, gcStress = false): Promise<string> {
  const r = await runPy(src, { gcStress, heapBytes: gcStress ? 512 * 1024 : undefined });
  expect(r.err).toBe("");
  return r.out;
}

describe("re", () => {
  it("bad patterns raise re.error, which is ValueError (MicroPython), with CPython's messages", async () => {
    const pats = ["(", ")", "a**", "[a", "*a", "a{3,2}", "\\q", "(?P<1>a)", "(?<x>a)", "a(?i)", "(?P=x)", "\\2(a)", "[b-a]"];
    const src = `import re
print(re.error is ValueError)
for p in ${JSON.stringify(pats)}:
    try:
        re.compile(p)
        print("compiled", p)
    except ValueError as e:
        print(e)
`;
    expect(await out(src)).toBe(
      [
        "True",
        "missing ), unterminated subpattern at position 1",
        "unbalanced parenthesis at position 0",
        "multiple repeat at position 2",
        "unterminated character set at position 2",
        "nothing to repeat at position 0",
        "min repeat greater than max repeat at position 5",
        "bad escape \\q at position 1",
        "bad character in group name '1' at position 6",
        "unknown extension ?< at position 2",
        "global flags not at the start of the expression at position 3",
        "unknown group name at position 6",
        "invalid group reference 2 at position 2",
        "bad character range at position 4",
        "",
      ].join("\n"),
    );
  });
  it("wrong argument types raise TypeError; a missing group IndexError", async () => {
    const src = `import re
def t(f):
    try:
        f()
        print("ok")
    except Exception as e:
        print(type(e).__name__)
t(lambda: re.search("a", b"a"))
t(lambda: re.search(b"a", "a"))
t(lambda: re.search("a", 5))
t(lambda: re.compile(5))
t(lambda: re.compile("a", "i"))
t(lambda: re.sub("a", 5, "a"))
t(lambda: re.sub("a", lambda m: 5, "a"))
t(lambda: re.match("(a)", "a").group(2))
t(lambda: re.match("(a)", "a").group("x"))
t(lambda: re.match("(a)", "a").start(-1))
t(lambda: re.sub("a", r"\\9", "a"))
t(lambda: re.sub("a", r"\\g<x>", "a"))
t(lambda: re.compile("a").match())
t(lambda: re.compile(re.compile("a"), re.I))
`;
    expect(await out(src)).toBe(
      "TypeError\nTypeError\nTypeError\nTypeError\nTypeError\nTypeError\nTypeError\nIndexError\nIndexError\nIndexError\nValueError\nIndexError\nTypeError\nValueError\n",
    );
  });
  it("reprs and attributes", async () => {
    const src = `import re
r = re.compile(r"(?P<w>\\w+)\\s", re.I | re.M)
print(r, r.groupindex, r.groups, r.flags == re.I | re.M | re.U)
m = r.search("  ab cd")
print(m, type(m).__name__, m.re is r, m.pos, m.endpos)
print(re.compile(b"x"), re.compile(b"x").flags)
`;
    expect(await out(src)).toBe(
      "re.compile('(?P<w>\\\\w+)\\\\s', re.IGNORECASE|re.MULTILINE) {'w': 1} 1 True\n<re.Match object; span=(2, 5), match='ab '> match True 0 7\nre.compile(b'x') 0\n",
    );
  });
  it("long subjects and long repetitions use the heap, not the JS stack", async () => {
    const src = `import re
s = "ab" * 50000
print(len(re.match("(?:ab)*", s).group()), re.fullmatch("(a|b)*", s) is not None, re.match("(a|b)*?$", s).end())
print(len(re.findall("a", s)), re.search("b{3}|ab$", s).span(), re.match(".*b", s).end())
print(re.match("x{0,1000}y", "x" * 999 + "y").end())
`;
    expect(await out(src)).toBe("100000 True 100000\n50000 (99998, 100000) 100000\n1000\n");
  });
  it("a repl function that uses re itself", async () => {
    const src = `import re
print(re.sub(r"\\d+", lambda m: re.sub("1", "one", m.group()) + "|", "a1b21c3"))
`;
    expect(await out(src)).toBe("aone|b2one|c3|\n");
  });
  it("survives GC stress", async () => {
    const src = `import re
r = re.compile(r"(?P<k>[a-z]+)=(?P<v>\\d+)")
pairs = [m.groupdict() for m in r.finditer("a=1 bb=22 ccc=333")]
print(pairs, r.sub(lambda m: m.group("v") + m.group("k"), "x=9 y=8"), re.split(r"(=)", "p=q=r"), re.findall(r"(\\w)(\\d)", "a1b2"))
`;
    expect(await out(src, true)).toBe(
      "[{'k': 'a', 'v': '1'}, {'k': 'bb', 'v': '22'}, {'k': 'ccc', 'v': '333'}] 9x 8y ['p', '=', 'q', '=', 'r'] [('a', '1'), ('b', '2')]\n",
    );
  });
});
