# Pseudo-random printf-style conversions against CPython: flags, width, precision, conversion, value
seed = 11
def rnd(n):
    global seed
    seed = (seed * 1103515245 + 12345) % 2147483648
    return (seed >> 8) % n
def pick(xs):
    return xs[rnd(len(xs))]
vals = [0, 1, -1, 42, -12345, 2**70, -(2**65) + 3, 0.0, -0.0, 1.5, -2.25, 1e-7, 123456.789, 1e22, float("inf"), float("-nan"), True, "", "ab", "héllo", 65, 0x1F600]
for i in range(1500):
    f = "%"
    for k in range(rnd(3)):
        f += pick(["-", "+", " ", "#", "0"])
    if rnd(2): f += str(rnd(15))
    if rnd(3) == 0: f += "." + str(rnd(10))
    f += pick("diouxXeEfFgGcrsa")
    v = pick(vals)
    try:
        r = f % (v,)
    except Exception as e:
        r = type(e).__name__ + " " + str(e)
    print(repr(f), repr(v), repr(r))
