// The scope pass: the kind of every name (fast local, cell, free, explicit/implicit global) and the slot layout of
// every block, for the tricky cases of Python's scoping (closures over loops, class scopes, comprehensions, walrus,
// global/nonlocal, __class__, private names), and the SyntaxErrors the pass raises.

import { describe, it, expect } from "vitest";
import { parse } from "../core/parser";
import {
  buildScopes,
  scopeOf,
  flagsOf,
  mangle,
  Scope,
  SC_LOCAL,
  SC_GLOBAL_EXPLICIT,
  SC_GLOBAL_IMPLICIT,
  SC_FREE,
  SC_CELL,
  B_MODULE,
  B_CLASS,
  B_FUNCTION,
  COMP_LIST,
  COMP_GEN,
  DEF_FREE_CLASS,
  DEF_PARAM,
} from "../core/scope";
import { CompileError, isCompileError } from "../core/errors";
import { Module } from "../core/ast";

function scopes(src: string): Scope {
  return buildScopes(parse(src, "t.py", "exec"));
}

/** The block reached by a path of child names, e.g. "f/g" or "C/m/<listcomp>". */
function block(top: Scope, path: string): Scope {
  let s = top;
  if (path === "") return s;
  for (const part of path.split("/")) {
    const c = s.children.find((x) => x.name === part);
    if (!c) throw new Error("no block " + part + " under " + s.name + ": " + s.children.map((x) => x.name));
    s = c;
  }
  return s;
}

const KIND: { [k: number]: string } = {
  [SC_LOCAL]: "local",
  [SC_GLOBAL_EXPLICIT]: "global",
  [SC_GLOBAL_IMPLICIT]: "implicit",
  [SC_FREE]: "free",
  [SC_CELL]: "cell",
  0: "unknown",
};

/** name → kind for every symbol of a block. */
function kinds(s: Scope): { [name: string]: string } {
  const out: { [name: string]: string } = {};
  for (const n of s.symNames) out[n] = KIND[scopeOf(s, n)];
  return out;
}

function layout(s: Scope): [string[], string[], string[]] {
  return [s.fast, s.cells, s.frees];
}

function scopeError(src: string): CompileError {
  try {
    scopes(src);
  } catch (e) {
    if (isCompileError(e)) return e;
    throw e;
  }
  throw new Error("no error for " + src);
}

describe("name kinds", () => {
  it("module names are implicit globals, or explicit when declared global anywhere", () => {
    const top = scopes("x = 1\nprint(x)\ndef f():\n    global y\n    y = 2\ny\n");
    expect(top.type).toBe(B_MODULE);
    expect(kinds(top)).toEqual({ x: "local", print: "implicit", f: "local", y: "global" });
    expect(kinds(block(top, "f"))).toEqual({ y: "global" });
  });

  it("function names: parameters and assigned names are fast locals, the rest global", () => {
    const f = block(scopes("def f(a, *b, c, **d):\n    e = a\n    for g in b: pass\n    del h\n    return len(c)\n"), "f");
    expect(kinds(f)).toEqual({ a: "local", b: "local", c: "local", d: "local", e: "local", g: "local", h: "local", len: "implicit" });
    expect(f.params).toEqual(["a", "c", "b", "d"]);
    expect(layout(f)).toEqual([["a", "c", "b", "d", "e", "g", "h"], [], []]);
    expect(f.varargs && f.varkeywords).toBe(true);
  });

  it("closures over loop variables make cells, shared by every closure", () => {
    const top = scopes("def f():\n    fs = []\n    for i in range(3):\n        fs.append(lambda: i)\n    return fs\n");
    const f = block(top, "f");
    expect(kinds(f)).toEqual({ fs: "local", i: "cell", range: "implicit" });
    expect(layout(f)).toEqual([["fs"], ["i"], []]);
    expect(kinds(block(top, "f/<lambda>"))).toEqual({ i: "free" });
  });

  it("free variables pass through intermediate functions, and cells and frees are sorted", () => {
    const top = scopes("def f(z, a):\n    m = 1\n    def g():\n        def h():\n            return m + a + z\n        return h\n    return g\n");
    expect(layout(block(top, "f"))).toEqual([["z", "a", "g"], ["a", "m", "z"], []]);
    expect(kinds(block(top, "f/g"))).toEqual({ h: "local", a: "free", m: "free", z: "free" });
    expect(layout(block(top, "f/g"))).toEqual([["h"], [], ["a", "m", "z"]]);
    expect(block(top, "f/g").nested).toBe(true);
    expect(block(top, "f").nested).toBe(false);
  });

  it("class scopes are skipped when methods resolve free names", () => {
    const top = scopes("x = 0\ndef f():\n    y = 1\n    class C:\n        x = 2\n        y = 3\n        def m(self):\n            return x, y\n    return C\n");
    const c = block(top, "f/C");
    expect(c.type).toBe(B_CLASS);
    // m's x is the module's, m's y is f's (not the class attribute)
    expect(kinds(block(top, "f/C/m"))).toEqual({ self: "local", x: "implicit", y: "free" });
    // y is local to the class body and also passes through it to m: both, as DEF_FREE_CLASS
    expect(kinds(c)).toEqual({ x: "local", y: "local", m: "local" });
    expect(flagsOf(c, "y") & DEF_FREE_CLASS).toBe(DEF_FREE_CLASS);
    expect(layout(c)).toEqual([[], [], ["y"]]);
    expect(kinds(block(top, "f"))).toEqual({ y: "cell", C: "local" });
  });

  it("a class body reads enclosing function locals as free variables", () => {
    const top = scopes("def f():\n    v = 1\n    class C:\n        w = v\n    return C\n");
    expect(kinds(block(top, "f/C"))).toEqual({ w: "local", v: "free" });
    expect(kinds(block(top, "f"))).toEqual({ v: "cell", C: "local" });
  });

  it("gives a class body an implicit __class__ cell when a method uses super() or __class__", () => {
    const top = scopes(
      "class A:\n    def m(self):\n        return super().m()\nclass B:\n    def n(self):\n        return lambda: __class__\nclass D:\n    def o(self):\n        return 1\n",
    );
    const a = block(top, "A");
    expect(a.needsClassClosure).toBe(true);
    expect(layout(a)).toEqual([[], ["__class__"], []]);
    expect(kinds(block(top, "A/m"))).toEqual({ self: "local", super: "implicit", __class__: "free" });
    expect(block(top, "B").needsClassClosure).toBe(true);
    expect(kinds(block(top, "B/n"))).toEqual({ self: "local", __class__: "free" });
    expect(kinds(block(top, "B/n/<lambda>"))).toEqual({ __class__: "free" });
    expect(block(top, "D").needsClassClosure).toBe(false);
    // super outside a class: __class__ has no binding and is an (unusable) global
    expect(kinds(block(scopes("def f():\n    return super()\n"), "f"))).toEqual({ super: "implicit", __class__: "implicit" });
  });

  it("explicit global and nonlocal declarations", () => {
    const top = scopes(
      "def f():\n    a = 1\n    b = 2\n    def g():\n        global a\n        nonlocal b\n        a = b = 3\n    return g\n",
    );
    expect(kinds(block(top, "f/g"))).toEqual({ a: "global", b: "free" });
    expect(kinds(block(top, "f"))).toEqual({ a: "local", b: "cell", g: "local" });
    // a global declaration shadows an enclosing binding for the blocks below it
    const t2 = scopes("def f():\n    x = 1\n    def g():\n        global x\n        def h():\n            return x\n        return h\n");
    expect(kinds(block(t2, "f/g/h"))).toEqual({ x: "implicit" });
    expect(kinds(block(t2, "f"))).toEqual({ x: "local", g: "local" });
  });

  it("an annotated bare name binds even without a value, but annotations are not read", () => {
    const top = scopes("def f():\n    x: int\n    y: List[T] = 1\n    return x\n");
    expect(kinds(block(top, "f"))).toEqual({ x: "local", y: "local" });
    expect(kinds(block(scopes("def f():\n    (x): int\n    return x\n"), "f"))).toEqual({ x: "implicit" });
  });

  it("imports bind the first component (or the alias)", () => {
    const f = block(scopes("def f():\n    import a.b.c\n    import d.e as g\n    from h import i as j, k\n"), "f");
    expect(kinds(f)).toEqual({ a: "local", g: "local", j: "local", k: "local" });
  });

  it("except names, with targets and del targets bind", () => {
    const f = block(scopes("def f():\n    try: pass\n    except E as e: pass\n    with m as (n, o[p]): pass\n    del q\n"), "f");
    expect(kinds(f)).toEqual({ E: "implicit", e: "local", m: "implicit", n: "local", o: "implicit", p: "implicit", q: "local" });
  });
});

describe("comprehensions", () => {
  it("evaluate the first iterable outside and bind their targets inside", () => {
    const top = scopes("def f(xs, n):\n    return [x * n for x in xs for y in range(x) if y]\n");
    const lc = block(top, "f/<listcomp>");
    expect(lc.comp).toBe(COMP_LIST);
    expect(lc.type).toBe(B_FUNCTION);
    expect(kinds(lc)).toEqual({ ".0": "local", x: "local", y: "local", range: "implicit", n: "free" });
    expect(lc.params).toEqual([".0"]);
    expect(layout(lc)).toEqual([[".0", "x", "y"], [], ["n"]]);
    // xs is read by f itself (the first iterable), n is captured
    expect(kinds(block(top, "f"))).toEqual({ xs: "local", n: "cell" });
  });

  it("at module or class level see globals, not the class's names", () => {
    const top = scopes("class C:\n    a = 1\n    b = [a for _ in range(3)]\n    c = [x for x in a]\n");
    expect(kinds(block(top, "C/<listcomp>"))).toEqual({ ".0": "local", _: "local", a: "implicit" });
    expect(kinds(block(top, "C"))).toEqual({ a: "local", b: "local", range: "implicit", c: "local" });
  });

  it("bind a walrus target in the enclosing function, through nested comprehensions", () => {
    const top = scopes("def f(a):\n    if any((t := x) > 0 for x in a):\n        return t\n    [[(u := y) for y in z] for z in a]\n    return u\n");
    expect(kinds(block(top, "f"))).toEqual({ a: "local", any: "implicit", t: "cell", u: "cell" });
    expect(block(top, "f/<genexpr>").comp).toBe(COMP_GEN);
    expect(kinds(block(top, "f/<genexpr>"))).toEqual({ ".0": "local", t: "free", x: "local" });
    expect(kinds(block(top, "f/<listcomp>"))).toEqual({ ".0": "local", u: "free", z: "local" });
    expect(kinds(block(top, "f/<listcomp>/<listcomp>"))).toEqual({ ".0": "local", u: "free", y: "local" });
  });

  it("bind a walrus at module level as an explicit global, honouring a function's global declaration", () => {
    const top = scopes("[(v := i) for i in r]\ndef g():\n    global w\n    [(w := i) for i in r]\n");
    expect(kinds(block(top, "<listcomp>"))).toEqual({ ".0": "local", v: "global", i: "local" });
    expect(kinds(top)).toEqual({ r: "implicit", v: "global", g: "local", w: "global" });
    expect(kinds(block(top, "g/<listcomp>"))).toEqual({ ".0": "local", w: "global", i: "local" });
  });

  it("are generators (genexp) or coroutines (async for / await)", () => {
    const top = scopes("async def f(a):\n    b = [x async for x in a]\n    c = (await x for x in a)\n");
    expect(block(top, "f/<listcomp>").coroutine).toBe(true);
    expect(block(top, "f/<listcomp>").generator).toBe(false);
    expect(block(top, "f/<genexpr>").coroutine && block(top, "f/<genexpr>").generator).toBe(true);
  });
});

describe("private names", () => {
  it("mangle __x inside a class (not dunders, dotted names or all-underscore classes)", () => {
    expect(mangle("C", "__x")).toBe("_C__x");
    expect(mangle("_C", "__x")).toBe("_C__x");
    expect(mangle("__C", "__x")).toBe("_C__x");
    expect(mangle("C", "__x__")).toBe("__x__");
    expect(mangle("C", "_x")).toBe("_x");
    expect(mangle("C", "__a.b")).toBe("__a.b");
    expect(mangle("___", "__x")).toBe("__x");
    expect(mangle(null, "__x")).toBe("__x");
  });

  it("mangle in class bodies and the functions inside them, parameters included", () => {
    const top = scopes("class C:\n    __a = 1\n    def m(self, __p):\n        __q = __p\n        return lambda: __q\n");
    expect(kinds(block(top, "C"))).toEqual({ _C__a: "local", m: "local" });
    expect(kinds(block(top, "C/m"))).toEqual({ self: "local", _C__p: "local", _C__q: "cell" });
    expect(flagsOf(block(top, "C/m"), "_C__p") & DEF_PARAM).toBe(DEF_PARAM);
    expect(kinds(block(top, "C/m/<lambda>"))).toEqual({ _C__q: "free" });
  });
});

describe("flags", () => {
  it("marks generators, coroutines and async generators", () => {
    const top = scopes("def g():\n    yield\nasync def a():\n    await x\nasync def ag():\n    yield\ndef h():\n    return lambda: (yield)\n");
    expect(block(top, "g").generator).toBe(true);
    expect(block(top, "a").coroutine && !block(top, "a").generator).toBe(true);
    expect(block(top, "ag").coroutine && block(top, "ag").generator).toBe(true);
    expect(block(top, "h").generator).toBe(false);
    expect(block(top, "h/<lambda>").generator).toBe(true);
  });

  it("works on a hand-built AST", () => {
    const at = { line: 1, col: 0 };
    const mod: Module = {
      k: "Module",
      ...at,
      body: [
        {
          k: "FunctionDef",
          name: "f",
          ...at,
          decorators: [],
          isAsync: false,
          args: { posonly: [], args: [{ name: "a", ...at }], defaults: [], vararg: null, kwonly: [], kwDefaults: [], kwarg: null },
          body: [{ k: "Return", ...at, value: { k: "Lambda", ...at, args: { posonly: [], args: [], defaults: [], vararg: null, kwonly: [], kwDefaults: [], kwarg: null }, body: { k: "Name", id: "a", ...at } } }],
        },
      ],
    };
    const top = buildScopes(mod);
    expect(kinds(block(top, "f"))).toEqual({ a: "cell" });
    expect(layout(block(top, "f"))).toEqual([["a"], ["a"], []]);
    expect(kinds(block(top, "f/<lambda>"))).toEqual({ a: "free" });
  });
});

describe("errors", () => {
  const cases: [string, string, number][] = [
    ["def f(x):\n    global x", "name 'x' is parameter and global", 2],
    ["def f(x):\n    nonlocal x", "name 'x' is parameter and nonlocal", 2],
    ["def f():\n    x += 1\n    global x", "name 'x' is assigned to before global declaration", 3],
    ["def f():\n    def g():\n        return x\n    x = 1\n    def h():\n        x\n        nonlocal x", "name 'x' is used prior to nonlocal declaration", 7],
    ["def f():\n    x = 1\n    def g():\n        x = 2\n        nonlocal x", "name 'x' is assigned to before nonlocal declaration", 5],
    ["def f():\n    x: int\n    nonlocal x", "annotated name 'x' can't be nonlocal", 3],
    ["def f():\n    global x\n    x: int = 1", "annotated name 'x' can't be global", 3],
    ["nonlocal x", "nonlocal declaration not allowed at module level", 1],
    ["def f():\n    def g():\n        nonlocal y", "no binding for nonlocal 'y' found", 3],
    ["x = 1\ndef f():\n    nonlocal x", "no binding for nonlocal 'x' found", 3],
    ["def f():\n    x = 1\n    class C:\n        def m(self):\n            global x\n            nonlocal x", "name 'x' is nonlocal and global", 5],
    ["def f(a, b, *, a): pass", "duplicate argument 'a' in function definition", 1],
    ["def f(a, **a): pass", "duplicate argument 'a' in function definition", 1],
    ["[(yield) for x in y]", "'yield' inside list comprehension", 1],
    ["def f():\n    {(yield): 1 for x in y}", "'yield' inside dict comprehension", 2],
    ["def f():\n    ((yield from z) for x in y)", "'yield' inside generator expression", 2],
    ["def f():\n    [y for y in (x := 1)]", "assignment expression cannot be used in a comprehension iterable expression", 2],
    ["[[j := 0 for k in m] for j in n]", "assignment expression cannot rebind comprehension iteration variable 'j'", 1],
    ["[j for k in (j := l) for j in n]", "assignment expression cannot be used in a comprehension iterable expression", 1],
    ["class C:\n    [(z := 1) for x in y]", "assignment expression within a comprehension cannot be used in a class body", 2],
    ["def f():\n    from m import *", "import * only allowed at module level", 2],
    ["class C:\n    from m import *", "import * only allowed at module level", 2],
  ];
  for (const [src, msg, line] of cases) {
    it(msg, () => {
      const e = scopeError(src);
      expect(e.type).toBe("SyntaxError");
      expect(e.msg).toBe(msg);
      expect(e.line).toBe(line);
    });
  }

  it("accepts what CPython accepts near those rules", () => {
    // global after a nested function reads the name; nonlocal of a binding made later in the outer function
    scopes("def f():\n    def g():\n        nonlocal x\n        x = 2\n    x = 1\n    return g\n");
    scopes("def f():\n    global x\n    global x\n    x = 1\n");
    scopes("global x\nx = 1\n");
    scopes("def f():\n    [i for i in range(3) if (j := i)]\n    return j\n");
  });
});
