# Constants as operands of arithmetic and comparisons in compiled functions (the host tier folds a float constant's
# value into its code): floats of every magnitude, ints, big ints, strs and bools next to floats, ints and others.


def arith(x):
    return (x + 0.1, x - 2.5, x * 1e300, x / 3.0, 0.1 + x, 2.5 - x, 1e-300 * x, 3.0 / x if x else None,
            x * 5e-324, x + 1.7976931348623157e308, x * 2, 7 - x, x + 10**30, x * 0.0, x * -0.0, -0.0 - x)


def compare(x):
    return (x < 1.5, x <= 0.0, x == 2.0, x != 2.0, x > -1e-9, x >= 1e300, 1.5 < x, 2.0 == x, x == 2, x < 10**20)


def others(x):
    out = []
    for op in (lambda: "ab" * 3, lambda: x + True, lambda: True * 2.5, lambda: 1.5 + False, lambda: "s" + x,
               lambda: x * "s", lambda: [1.5] * 2, lambda: None + 1.5):
        try:
            out.append(op())
        except TypeError as e:
            out.append("TypeError")
    return out


for v in (0.0, -0.0, 1.0, 2.0, -3.25, 1e-310, 1e308, 7, -7, 2**40, True):
    print(repr(v), arith(v))
    print(repr(v), compare(v))
print(others(1.5), others(2))
print([repr(t) for t in arith(float("inf"))], compare(float("nan")))

acc = 0.0
n = 0
for i in range(2000):
    acc = acc * 0.999 + 0.5
    if acc > 100.25:
        n += 1
print(repr(acc), n)
