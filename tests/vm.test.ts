// Behaviour of the VM itself: recursion never uses the JS stack, a full heap is a catchable MemoryError, sleeping
// leaves the event loop free, uncaught errors print CPython tracebacks, and bad input never escapes as a JS error.
import { describe, it, expect } from "vitest";
import { runPy } from "./helpers/run";

describe("recursion", () => {
  it("100000-deep recursion raises RecursionError, which can be caught", async () => {
    const r = await runPy(`
import sys
sys.setrecursionlimit(200000)
def f(n):
    return 0 if n == 0 else 1 + f(n - 1)
try:
    f(100000)
except RecursionError as e:
    print("RecursionError", e)
print(f(500))
`);
    expect(r.out).toBe("RecursionError maximum recursion depth exceeded\n500\n");
    expect(r.code).toBe(0);
  });
  it("the default limit stops runaway recursion with a traceback", async () => {
    const r = await runPy("def g():\n    return g()\ng()\n");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^Traceback \(most recent call last\):\n {2}File "test.py", line 3, in <module>\n {4}g\(\)\n/);
    expect(r.err).toMatch(/RecursionError: maximum recursion depth exceeded\n$/);
  });
});

describe("memory", () => {
  it("filling the heap raises MemoryError, and the program goes on", async () => {
    const r = await runPy(`
import gc
chunks = []
try:
    while True:
        chunks.append([0] * 1000)
except MemoryError:
    n = len(chunks)
    chunks = None
    gc.collect()
    print("MemoryError after", "many" if n > 10 else n, "chunks")
print(sum(range(1000)))
`, { heapBytes: 1024 * 1024 });
    expect(r.out).toBe("MemoryError after many chunks\n499500\n");
    expect(r.code).toBe(0);
  });
  it("gc.mem_free and gc.mem_alloc describe the real heap", async () => {
    const r = await runPy(`
import gc
gc.collect()
a, f = gc.mem_alloc(), gc.mem_free()
x = [i for i in range(10000)]
print(gc.mem_alloc() - a >= 40000, a + f)
`, { heapBytes: 4 * 1024 * 1024 });
    const [grew, total] = r.out.trim().split(" ");
    expect(grew).toBe("True");
    expect(+total).toBeGreaterThan(3.4 * 1024 * 1024); // the frame stack region takes the rest
    expect(+total).toBeLessThanOrEqual(4 * 1024 * 1024);
  });
});

describe("event loop", () => {
  it("time.sleep leaves timers running on time", async () => {
    const fired: number[] = [];
    const t0 = Date.now();
    const timer = setTimeout(() => fired.push(Date.now() - t0), 50);
    const r = await runPy("import time\nfor i in range(4):\n    time.sleep(0.05)\nprint('done')\n");
    clearTimeout(timer);
    expect(r.out).toBe("done\n");
    expect(fired.length).toBe(1);
    // the timer was due at 50 ms; the program sleeps 200 ms in all, so a blocked loop would have delayed it
    expect(fired[0]).toBeLessThan(150);
  });
});

describe("slices", () => {
  it("a sleep ends one slice only: calls after it run on in the same slice", async () => {
    let slices = 0;
    const r = await runPy("import time\ntime.sleep(0)\nfor i in range(2000):\n    abs(i)\nprint('ok')\n", {
      hal: {
        schedule(fn: () => void, ms: number) {
          slices++;
          setTimeout(fn, ms);
        },
      },
    });
    expect(r.out).toBe("ok\n");
    // the sleep's own slice end, then the rest in one go (vm.suspended once left set made each native call end one)
    expect(slices).toBeLessThan(5);
  });
});

describe("errors", () => {
  it("prints CPython's traceback with file, line and source, to stderr, status 1", async () => {
    const r = await runPy("def f(x):\n    return x + 'a'\n\nf(1)\n");
    expect(r.out).toBe("");
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'Traceback (most recent call last):\n  File "test.py", line 4, in <module>\n    f(1)\n  File "test.py", line 2, in f\n    return x + \'a\'\nTypeError: unsupported operand type(s) for +: \'int\' and \'str\'\n',
    );
  });
  it("SyntaxError names file, line and column with a caret", async () => {
    const r = await runPy("x = 1\nif x\n    pass\n");
    expect(r.code).toBe(1);
    expect(r.err).toBe('  File "test.py", line 2\n    if x\n        ^\nSyntaxError: expected \':\'\n');
  });
  it("SystemExit exits with its code", async () => {
    expect((await runPy("import sys\nsys.exit(3)")).code).toBe(3);
    expect((await runPy("raise SystemExit")).code).toBe(0);
    const r = await runPy("import sys\nsys.exit('bye')");
    expect(r.code).toBe(1);
    expect(r.err).toBe("bye\n");
  });
  it("chained exceptions print both tracebacks", async () => {
    const r = await runPy("try:\n    1/0\nexcept Exception as e:\n    raise ValueError('v') from e\n");
    expect(r.err).toContain("ZeroDivisionError: division by zero\n\nThe above exception was the direct cause of the following exception:\n\nTraceback");
    expect(r.err).toMatch(/ValueError: v\n$/);
  });
});
