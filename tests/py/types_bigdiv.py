# Correctly rounded true division of big ints (and int -> float) against CPython, on pseudo-random operands of
# 1 to 1500 bits, both signs, including quotients near overflow and in the subnormal range.
seed = 12345


def rnd(bits):
    global seed
    v = 0
    while bits > 0:
        seed = (seed * 1103515245 + 12345) % 2147483648
        k = 24 if bits > 24 else bits
        v = (v << k) | (seed >> 7) % (1 << k)
        bits -= k
    return v


sizes = [1, 20, 53, 54, 60, 100, 300, 700, 1023, 1024, 1025, 1100, 1500]
out = []
for i in range(400):
    a = rnd(sizes[i % len(sizes)] + i % 7) + 1
    b = rnd(sizes[(i * 7) % len(sizes)] + i % 5) + 1
    if i % 3 == 1:
        a = -a
    if i % 4 == 2:
        b = -b
    try:
        q = a / b
        out.append(q.hex())
    except OverflowError:
        out.append("overflow")
    try:
        out.append(float(a).hex())
    except OverflowError:
        out.append("int overflow")
    if i % 10 == 0:
        print(" ".join(out))
        out = []
print(" ".join(out))
# exact halves and near-halfway cases
for k in range(50, 60):
    for d in (1, 2, 3):
        n = (1 << k) + d
        print((n / 1).hex(), (n / 2).hex(), (-n / 3).hex(), ((n << 1000) / (3 << 1000)).hex())
print((1 / (3 << 1070)).hex(), (7 / (1 << 1076)).hex(), (1 / (1 << 1075)).hex(), (3 / (1 << 1076)).hex(), ((1 << 1074) / 3 ** 600).hex())
# zero over a big int keeps the sign of the quotient
print(0 / 1009141100654206604, 0 / -1009141100654206604, 0 / (1 << 300), -0 / -(1 << 300))
