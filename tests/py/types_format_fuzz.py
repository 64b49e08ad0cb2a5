# Pseudo-random format specs against CPython: fill/align/sign/z/#/0/width/grouping/precision/type combinations
seed = 7
def rnd(n):
    global seed
    seed = (seed * 1103515245 + 12345) % 2147483648
    return (seed >> 8) % n
def pick(xs):
    return xs[rnd(len(xs))]
vals = [0, 1, -1, 7, -12345, 123456789, -(2**64), 2**100 + 7, 0.0, -0.0, 1.5, -2.25, 1e-7, 123456.789, -9.999e21, 1e300, float("inf"), float("nan"), 0.125, 2.5, True, "", "a", "héllo", "wxyz" * 3]
for i in range(1500):
    spec = ""
    if rnd(3) == 0:
        spec += pick(["", "*", "0", "é", " ", "x"]) + pick(["<", ">", "^", "="])
    spec += pick(["", "", "+", "-", " "])
    if rnd(6) == 0: spec += "z"
    if rnd(4) == 0: spec += "#"
    if rnd(4) == 0: spec += "0"
    if rnd(2) == 0: spec += str(rnd(25))
    spec += pick(["", "", "", ",", "_"])
    if rnd(3) == 0: spec += "." + str(rnd(12))
    spec += pick(["", "", "d", "x", "X", "o", "b", "c", "e", "E", "f", "F", "g", "G", "n", "%", "s"])
    v = pick(vals)
    try:
        r = format(v, spec)
    except Exception as e:
        r = type(e).__name__ + " " + str(e)
    print(repr(spec), repr(v), repr(r))
