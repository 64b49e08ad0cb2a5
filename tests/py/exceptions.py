class AppError(Exception):
    def __init__(self, code, msg):
        super().__init__(msg)
        self.code = code

def risky(n):
    if n == 0:
        raise AppError(42, "zero")
    if n == 1:
        return 1 // 0
    if n == 2:
        return [][1]
    if n == 3:
        return {}["k"]
    return n

for i in range(5):
    try:
        print("ok", risky(i))
    except AppError as e:
        print("app", e.code, e, e.args)
    except (ZeroDivisionError, IndexError) as e:
        print("math/index", type(e).__name__, e)
    except Exception as e:
        print("other", repr(e))
    else:
        print("else", i)
    finally:
        print("finally", i)

def f():
    try:
        return "try"
    finally:
        print("cleanup")
print(f())

def g():
    for i in range(3):
        try:
            if i == 1:
                continue
            if i == 2:
                break
        finally:
            print("fin", i)
    return i
print(g())

try:
    try:
        raise ValueError("inner")
    except ValueError as e:
        raise RuntimeError("outer") from e
except RuntimeError as e:
    print(e, "caused by", repr(e.__cause__))

try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise KeyError("k")
except KeyError as e:
    print(repr(e), type(e.__context__).__name__)

class CM:
    def __enter__(self):
        print("enter")
        return self
    def __exit__(self, t, v, tb):
        print("exit", t.__name__ if t else None, v)
        return t is ValueError
with CM() as cm:
    print("body")
with CM():
    raise ValueError("swallowed")
print("after with")
try:
    with CM():
        raise TypeError("escapes")
except TypeError as e:
    print("caught", e)

def reraiser():
    try:
        raise IndexError(5)
    except IndexError:
        raise
try:
    reraiser()
except IndexError as e:
    print("reraised", e.args)
assert True
try:
    assert 1 == 2, "nope"
except AssertionError as e:
    print("assert", e)
# str() of a SyntaxError: the message, the file's base name and the line
for src in ("x = (", "def f(:\n  pass", "a b"):
    try:
        compile(src, "/some/dir/mod.py", "exec")
    except SyntaxError as e:
        print(type(e).__name__, e, e.args[0])
print(SyntaxError("m", ("f.py", None, 1, "x")), SyntaxError("m", (None, 7, 1, "x")), SyntaxError("just a message"))
