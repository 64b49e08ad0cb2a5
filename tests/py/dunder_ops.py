# Binary operators on instances: the compiled tier calls a class's own method directly when both operands are
# instances of that one class; everything else (subclasses, reflected methods, NotImplemented, in-place operators,
# builtin subclasses) must behave exactly as the general rules say, at the same sites, hot or not.


class V:
    calls = 0

    def __init__(self, x):
        self.x = x

    def __add__(self, o):
        V.calls += 1
        if not isinstance(o, V):
            return NotImplemented
        return V(self.x + o.x)

    def __sub__(self, o):
        if o.x == 13:
            raise ValueError("thirteen")
        return V(self.x - o.x)

    def __mul__(self, o):
        return NotImplemented

    def __repr__(self):
        return "V(%r)" % (self.x,)


class W(V):
    def __radd__(self, o):
        return "W.__radd__"


class R:
    def __radd__(self, o):
        return "R.__radd__ %r" % (o,)


class I(int):
    def __sub__(self, o):
        return "I.__sub__"


def add(a, b):
    return a + b


def sub(a, b):
    return a - b


def mul(a, b):
    return a * b


def iadd(a, b):
    a += b
    return a


out = []
for i in range(30):
    out.append(add(V(i), V(1)).x)
print("plain", out[:3], out[-1], V.calls)
for i in range(3):
    print("subclass first", add(V(i), W(2)))
    print("reflected", add(V(i), R()))
    print("builtin subclass", add(I(5), I(i)), type(add(I(5), I(i))).__name__)
    print("in place", iadd(V(i), V(10)))
    print("builtin subclass method", sub(I(5), I(i)))
for i in range(3):
    try:
        mul(V(i), V(i))
    except TypeError as e:
        print("TypeError", e)
    try:
        add(V(i), 5)
    except TypeError as e:
        print("TypeError", e)
for k in (12, 13, 14):
    try:
        print("sub", sub(V(20), V(k)))
    except ValueError as e:
        print("ValueError", e)


class Acc:
    def __init__(self):
        self.n = 0

    def __add__(self, o):
        self.n += o.n + 1
        return self


# the method mutates and returns self: called exactly once per operation
a = Acc()
b = Acc()
for i in range(25):
    a = add(a, b)
print("once", a.n)


# a method replaced on the class between calls at the same site
def other_add(self, o):
    return "replaced"


for i in range(20):
    r = add(V(1), V(2))
V.__add__ = other_add
print("after replace", add(V(1), V(2)))
del V.__add__
try:
    add(V(1), V(2))
except TypeError as e:
    print("TypeError", e)


# builtin subclasses whose method returns NotImplemented: the builtin answers only for a side without a method of its
# own, and only where the builtin has that (reflected) method for these values
class NI(int):
    def __add__(self, o):
        return NotImplemented

    def __mul__(self, o):
        return NotImplemented


class NIr(int):
    def __radd__(self, o):
        return NotImplemented


class NF(float):
    def __add__(self, o):
        return NotImplemented


class NS(str):
    def __add__(self, o):
        return NotImplemented

    def __mul__(self, o):
        return NotImplemented


class NL(list):
    def __add__(self, o):
        return NotImplemented


class Plain(int):
    pass


cases = [
    lambda: NI(3) + 4, lambda: 4 + NI(3), lambda: NI(3) + NI(4), lambda: NI(3) + 1.5, lambda: 1.5 + NI(3),
    lambda: NI(3) * 2, lambda: NI(3) * "ab", lambda: NI(2) * [1], lambda: 5 + NIr(2), lambda: NIr(2) + 5,
    lambda: NIr(2) + NIr(3), lambda: NF(1.5) + 1, lambda: NF(1.5) + 2.5, lambda: 1 + NF(1.5), lambda: NF(1.5) + NF(1.0),
    lambda: NS("a") + "b", lambda: "b" + NS("a"), lambda: NS("ab") * 2, lambda: 2 * NS("ab"), lambda: NL([1]) + [2],
    lambda: [2] + NL([1]), lambda: Plain(3) + 4, lambda: 4 + Plain(3), lambda: Plain(3) * "x", lambda: Plain(2) + 0.5,
    lambda: True + NI(1), lambda: NI(1) + True, lambda: 2**70 + NI(1), lambda: NI(1) + 2**70,
]
for c in cases:
    try:
        r = c()
        print(type(r).__name__, r)
    except TypeError as e:
        print("TypeError", e)


# in-place operators of mutable builtin subclasses change the instance itself (an own __iadd__, or an __add__ that
# returns NotImplemented, do not stop the builtin's in-place method); bytearray subclasses take their constructor's
# arguments; set, frozenset and bytearray subclasses name themselves in repr and str
class PL(list):
    pass


class PB(bytearray):
    pass


class PS(set):
    pass


class PF(frozenset):
    pass


class PD(dict):
    pass


class NLi(list):
    def __add__(self, o):
        return NotImplemented


class IL(list):
    def __iadd__(self, o):
        return NotImplemented


def inplace(make, op, other):
    x = make()
    y = x
    try:
        if op == "+":
            x += other
        elif op == "*":
            x *= other
        elif op == "|":
            x |= other
        elif op == "-":
            x -= other
        print(type(x).__name__, x if not isinstance(x, (set, frozenset, dict)) else sorted(x), x is y)
    except TypeError as e:
        print("TypeError", e)


inplace(lambda: PL([1]), "+", [2])
inplace(lambda: PL([1]), "*", 3)
inplace(lambda: PB(b"a"), "+", b"bc")
inplace(lambda: PB(b"ab"), "*", 2)
inplace(lambda: PS({1}), "|", {2})
inplace(lambda: PS({1, 2}), "-", {2})
inplace(lambda: PF({1}), "|", {2})
inplace(lambda: PD(a=1), "|", {"b": 2})
inplace(lambda: NLi([1]), "+", [2])
inplace(lambda: IL([1]), "+", [2])
print(PB(b"xy"), len(PB(b"xy")), PB(3), PB("h\u00e9", "utf-8"), PB(), PB([65, 66]))
print(repr(PS({1})), repr(PS()), repr(PF({2})), repr(PF()), str(PS({3})), PL([1]), PD(a=1))
inplace(lambda: bytearray(b"ab"), "*", 3)
inplace(lambda: bytearray(b"ab"), "*", 0)
inplace(lambda: bytearray(b"ab"), "+", b"c")
