# Unary operators (-x, +x, ~x, not x) on every kind of operand, in functions (the host tier compiles them) and at
# module level, with results kept live across allocation so that an unboxed float or a missed root would show.


class N:
    def __init__(self, v):
        self.v = v

    def __neg__(self):
        return N(-self.v)

    def __pos__(self):
        return N(self.v + 1000)

    def __invert__(self):
        return N(~self.v)

    def __repr__(self):
        return "N(%r)" % (self.v,)


class B:
    def __init__(self, v):
        self.v = v

    def __bool__(self):
        junk = [str(i) for i in range(20)]  # allocates while `not` waits for the answer
        return bool(self.v) and len(junk) == 20


class L:
    def __len__(self):
        return 3


def neg(x):
    return -x


def pos(x):
    return +x


def inv(x):
    return ~x


def nots(x):
    return not x


def chain(x):
    # the negated float stays unboxed through arithmetic and a comparison
    y = -x * 2.0 + -x
    return y, -y < 0, [-x, -(-x)]


ints = [0, 1, -1, 7, 2**30 - 1, -(2**30 - 1), -(2**30), 2**30, 2**31, -(2**62), 10**30, -(10**30)]
for v in ints:
    print(v, neg(v), pos(v), inv(v), nots(v), neg(neg(v)) == v, inv(inv(v)) == v)

floats = [0.0, -0.0, 1.5, -2.25, 1e300, float("inf"), float("-inf")]
for v in floats:
    print(repr(neg(v)), repr(pos(v)), nots(v), chain(v))
print(neg(float("nan")) != neg(float("nan")), chain(float("nan"))[1])

print(neg(True), neg(False), pos(True), pos(False), inv(True), inv(False), nots(True), nots(False))
print(nots(None), nots(""), nots("a"), nots([]), nots([0]), nots({}), nots(()), nots(L()), nots(B(1)), nots(B(0)))
print(neg(N(5)), pos(N(5)), inv(N(5)))

for bad in ("s", [1], None):
    for f in (neg, pos, inv):
        try:
            f(bad)
        except TypeError as e:
            print(f.__name__, type(bad).__name__, "TypeError", e)
try:
    inv(1.5)
except TypeError as e:
    print("inv float TypeError", e)

# many results kept at once: each negation of a float is a new box
acc = []
for i in range(300):
    x = i * 0.5
    acc.append(-x)
    acc.append(-i)
    acc.append(not i % 3)
    acc.append(~i)
print(sum(acc[0::4]), sum(acc[1::4]), acc[2::4].count(True), sum(acc[3::4]))

# module level: the same operators outside any function
m = 0
for i in range(-5, 6):
    m += -i + ~i + (not i)
print(m, -m, not m, ~m, -(-2**30))
