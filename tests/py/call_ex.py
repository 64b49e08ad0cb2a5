# Calls with *args and **kwargs (CALL_FUNCTION_EX) from inside functions, which the host tier compiles: Python
# functions, natives, methods, classes; arguments from tuples, lists, generators and dicts; the errors.


def show(*a, **k):
    return (a, sorted(k.items()))


def three(a, b, c=30):
    return a * 100 + b * 10 + c


class P:
    def __init__(self, *parts, sep="-"):
        self.s = sep.join(str(p) for p in parts)

    def join(self, *more, **opts):
        return self.s + opts.get("sep", "+") + "+".join(more)


def gen(n):
    for i in range(n):
        yield str(i) * 3  # new strs: the collector runs while the argument tuple is being built


def calls(args, kw):
    out = []
    out.append(show(*args))
    out.append(show(*args, **kw))
    out.append(show(1, *args))
    out.append(show(*args, *args))
    out.append(show(**kw))
    out.append(three(*args[:2]))
    out.append(three(*args[:3]))
    out.append(three(*args[:2], c=5))
    out.append(max(*args))
    out.append(P(*args).s)
    out.append(P(*args, sep="/").s)
    out.append(P(*args).join(*["x", "y"], **{"sep": "!"}))
    out.append(show(*gen(4)))
    out.append(show(*"ab", *range(3)))
    return out


for i in range(3):
    print(calls((1, 2, 3), {"z": 9, "y": 8}))
    print(calls([4, 5, 6, 7], {}))


def wrap(fn):
    def w(*a, **k):
        return fn(*a, **k)

    return w


wthree = wrap(three)
total = 0
for i in range(500):
    total += wthree(i, 1) + wthree(1, i, c=i)
print(total)


def bad(x, k):
    try:
        return show(*x, **k)
    except TypeError as e:
        return "TypeError"


print(bad(5, {}), bad([1], 5), bad(None, {}), bad((1,), {"a": 1}))


def raises(*a):
    raise ValueError(a)


def through(args):
    try:
        raises(*args)
    except ValueError as e:
        return e.args


print(through((1, 2)), through([]), through(gen(2)))
try:
    three(*[1, 2, 3, 4])
except TypeError:
    print("too many: TypeError")
