# Differential-test helper: parses Python files with CPython's `ast` and prints each tree as one JSON line in the
# shape of core/ast.ts, so tests/parser.test.ts can compare it with espy's parser. Paths come on stdin, one a line
# (one process for the whole batch); each output line is {"file", "tree"}, {"file", "error": {msg, line, col}} or
# {"file", "unsupported": what} for syntax espy rejects on purpose (match, except*, complex literals).
# Text is UTF-8 bytes shown as latin-1 chars (espy's byte strings); floats are their IEEE bits in hex.
import ast
import json
import struct
import sys

BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.MatMult: "@", ast.Div: "/", ast.FloorDiv: "//",
          ast.Mod: "%", ast.Pow: "**", ast.LShift: "<<", ast.RShift: ">>", ast.BitAnd: "&", ast.BitOr: "|",
          ast.BitXor: "^"}
UNOPS = {ast.USub: "-", ast.UAdd: "+", ast.Invert: "~", ast.Not: "not"}
CMPOPS = {ast.Lt: "<", ast.LtE: "<=", ast.Eq: "==", ast.NotEq: "!=", ast.Gt: ">", ast.GtE: ">=", ast.Is: "is",
          ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in"}


def b(s):
    """A str as espy's byte string."""
    return None if s is None else s.encode("utf-8", "surrogatepass").decode("latin-1")


class Unsupported(Exception):
    """Syntax CPython accepts and espy deliberately does not (match, except*, complex literals)."""


class Dumper:
    def __init__(self):
        self.in_fstring = 0

    def pos(self, d, n):
        # f-string pieces carry the position of the whole literal in CPython 3.11 (often wrongly): not compared
        if not self.in_fstring:
            d["line"] = n.lineno
            d["col"] = n.col_offset
        return d

    def list(self, xs):
        return [self.expr(x) for x in xs]

    def opt(self, x):
        return None if x is None else self.expr(x)

    def body(self, xs):
        return [self.stmt(x) for x in xs]

    def arguments(self, a):
        arg = lambda x: None if x is None else {"name": b(x.arg), "line": x.lineno, "col": x.col_offset}
        return {"posonly": [arg(x) for x in a.posonlyargs], "args": [arg(x) for x in a.args],
                "defaults": self.list(a.defaults), "vararg": arg(a.vararg), "kwonly": [arg(x) for x in a.kwonlyargs],
                "kwDefaults": [self.opt(x) for x in a.kw_defaults], "kwarg": arg(a.kwarg)}

    def keyword(self, k):
        return {"arg": b(k.arg), "value": self.expr(k.value), "line": k.lineno, "col": k.col_offset}

    def alias(self, a):
        return {"name": b(a.name), "asname": b(a.asname), "line": a.lineno, "col": a.col_offset}

    def comps(self, gens):
        return [{"target": self.expr(g.target), "iter": self.expr(g.iter), "ifs": self.list(g.ifs),
                 "isAsync": bool(g.is_async)} for g in gens]

    def stmt(self, n):
        t = type(n)
        if t in (ast.FunctionDef, ast.AsyncFunctionDef):
            d = {"k": "FunctionDef", "name": b(n.name), "args": self.arguments(n.args), "body": self.body(n.body),
                 "decorators": self.list(n.decorator_list), "isAsync": t is ast.AsyncFunctionDef}
        elif t is ast.ClassDef:
            d = {"k": "ClassDef", "name": b(n.name), "bases": self.list(n.bases),
                 "keywords": [self.keyword(k) for k in n.keywords], "body": self.body(n.body),
                 "decorators": self.list(n.decorator_list)}
        elif t is ast.Return:
            d = {"k": "Return", "value": self.opt(n.value)}
        elif t is ast.Delete:
            d = {"k": "Delete", "targets": self.list(n.targets)}
        elif t is ast.Assign:
            d = {"k": "Assign", "targets": self.list(n.targets), "value": self.expr(n.value)}
        elif t is ast.AugAssign:
            d = {"k": "AugAssign", "target": self.expr(n.target), "op": BINOPS[type(n.op)], "value": self.expr(n.value)}
        elif t is ast.AnnAssign:
            d = {"k": "AnnAssign", "target": self.expr(n.target), "annotation": self.expr(n.annotation),
                 "value": self.opt(n.value), "simple": bool(n.simple)}
        elif t in (ast.For, ast.AsyncFor):
            d = {"k": "For", "target": self.expr(n.target), "iter": self.expr(n.iter), "body": self.body(n.body),
                 "orelse": self.body(n.orelse), "isAsync": t is ast.AsyncFor}
        elif t is ast.While:
            d = {"k": "While", "test": self.expr(n.test), "body": self.body(n.body), "orelse": self.body(n.orelse)}
        elif t is ast.If:
            d = {"k": "If", "test": self.expr(n.test), "body": self.body(n.body), "orelse": self.body(n.orelse)}
        elif t in (ast.With, ast.AsyncWith):
            d = {"k": "With", "items": [{"expr": self.expr(i.context_expr), "vars": self.opt(i.optional_vars)}
                                        for i in n.items], "body": self.body(n.body), "isAsync": t is ast.AsyncWith}
        elif t is ast.Raise:
            d = {"k": "Raise", "exc": self.opt(n.exc), "cause": self.opt(n.cause)}
        elif t is ast.Try:
            d = {"k": "Try", "body": self.body(n.body),
                 "handlers": [{"type": self.opt(h.type), "name": b(h.name), "body": self.body(h.body),
                               "line": h.lineno, "col": h.col_offset} for h in n.handlers],
                 "orelse": self.body(n.orelse), "finalbody": self.body(n.finalbody)}
        elif t is ast.Assert:
            d = {"k": "Assert", "test": self.expr(n.test), "msg": self.opt(n.msg)}
        elif t is ast.Import:
            d = {"k": "Import", "names": [self.alias(a) for a in n.names]}
        elif t is ast.ImportFrom:
            d = {"k": "ImportFrom", "module": b(n.module), "names": [self.alias(a) for a in n.names], "level": n.level}
        elif t in (ast.Global, ast.Nonlocal):
            d = {"k": t.__name__, "names": [b(x) for x in n.names]}
        elif t is ast.Expr:
            d = {"k": "Expr", "value": self.expr(n.value)}
        elif t in (ast.Pass, ast.Break, ast.Continue):
            d = {"k": t.__name__}
        else:
            raise Unsupported(t.__name__ + " statement")
        d["line"] = n.lineno
        d["col"] = n.col_offset
        return d

    def expr(self, n):
        t = type(n)
        if t is ast.BoolOp:
            d = {"k": "BoolOp", "op": "and" if type(n.op) is ast.And else "or", "values": self.list(n.values)}
        elif t is ast.NamedExpr:
            d = {"k": "NamedExpr", "target": self.expr(n.target), "value": self.expr(n.value)}
        elif t is ast.BinOp:
            d = {"k": "BinOp", "left": self.expr(n.left), "op": BINOPS[type(n.op)], "right": self.expr(n.right)}
        elif t is ast.UnaryOp:
            d = {"k": "UnaryOp", "op": UNOPS[type(n.op)], "operand": self.expr(n.operand)}
        elif t is ast.Lambda:
            d = {"k": "Lambda", "args": self.arguments(n.args), "body": self.expr(n.body)}
        elif t is ast.IfExp:
            d = {"k": "IfExp", "test": self.expr(n.test), "body": self.expr(n.body), "orelse": self.expr(n.orelse)}
        elif t is ast.Dict:
            d = {"k": "Dict", "keys": [self.opt(x) for x in n.keys], "values": self.list(n.values)}
        elif t is ast.Set:
            d = {"k": "Set", "elts": self.list(n.elts)}
        elif t in (ast.ListComp, ast.SetComp, ast.GeneratorExp):
            d = {"k": t.__name__, "elt": self.expr(n.elt), "generators": self.comps(n.generators)}
        elif t is ast.DictComp:
            d = {"k": "DictComp", "key": self.expr(n.key), "value": self.expr(n.value),
                 "generators": self.comps(n.generators)}
        elif t in (ast.Await, ast.YieldFrom):
            d = {"k": t.__name__, "value": self.expr(n.value)}
        elif t is ast.Yield:
            d = {"k": "Yield", "value": self.opt(n.value)}
        elif t is ast.Compare:
            d = {"k": "Compare", "left": self.expr(n.left), "ops": [CMPOPS[type(o)] for o in n.ops],
                 "comparators": self.list(n.comparators)}
        elif t is ast.Call:
            d = {"k": "Call", "func": self.expr(n.func), "args": self.list(n.args),
                 "keywords": [self.keyword(k) for k in n.keywords]}
        elif t is ast.FormattedValue:
            saved, self.in_fstring = self.in_fstring, 0  # the expression inside has real positions
            value = self.expr(n.value)
            self.in_fstring = saved
            d = {"k": "FormattedValue", "value": value, "conversion": n.conversion,
                 "formatSpec": None if n.format_spec is None else self.expr(n.format_spec)}
        elif t is ast.JoinedStr:
            outer = self.in_fstring == 0
            self.in_fstring += 1
            d = {"k": "JoinedStr", "values": self.list(n.values)}
            self.in_fstring -= 1
            if not outer:
                return d
        elif t is ast.Constant:
            d = self.constant(n.value)
        elif t is ast.Attribute:
            d = {"k": "Attribute", "value": self.expr(n.value), "attr": b(n.attr)}
        elif t is ast.Subscript:
            d = {"k": "Subscript", "value": self.expr(n.value), "slice": self.expr(n.slice)}
        elif t is ast.Starred:
            d = {"k": "Starred", "value": self.expr(n.value)}
        elif t is ast.Name:
            d = {"k": "Name", "id": b(n.id)}
        elif t in (ast.List, ast.Tuple):
            d = {"k": t.__name__, "elts": self.list(n.elts)}
        elif t is ast.Slice:
            d = {"k": "Slice", "lower": self.opt(n.lower), "upper": self.opt(n.upper), "step": self.opt(n.step)}
        else:
            raise Unsupported(t.__name__ + " expression")
        return self.pos(d, n)

    def constant(self, v):
        if v is None or v is True or v is False or v is Ellipsis:
            return {"k": "Constant", "kind": repr(v), "value": None}
        if isinstance(v, int):
            if abs(v) <= 2 ** 53:
                return {"k": "Constant", "kind": "int", "value": v}
            return {"k": "Constant", "kind": "int", "value": None, "big": str(v)}
        if isinstance(v, float):
            return {"k": "Constant", "kind": "float", "value": struct.pack(">d", v).hex()}
        if isinstance(v, str):
            return {"k": "Constant", "kind": "str", "value": b(v)}
        if isinstance(v, bytes):
            return {"k": "Constant", "kind": "bytes", "value": v.decode("latin-1")}
        raise Unsupported(type(v).__name__ + " literal")


def dump(path):
    with open(path, "rb") as f:
        src = f.read()
    try:
        tree = ast.parse(src, path)
    except SyntaxError as e:
        # offset is 1-based in characters; espy's col is 0-based in bytes (equal on ASCII lines)
        return {"file": path, "error": {"msg": b(e.msg), "line": e.lineno, "col": (e.offset or 1) - 1}}
    try:
        body = Dumper().body(tree.body)
    except Unsupported as e:
        return {"file": path, "unsupported": str(e)}
    return {"file": path, "tree": {"k": "Module", "body": body, "line": 1, "col": 0}}


def main():
    for line in sys.stdin:
        path = line.rstrip("\n")
        if path:
            sys.stdout.write(json.dumps(dump(path)) + "\n")


if __name__ == "__main__":
    main()
