# Ints just past the small-int range (30 bits) and up to 2^48 and beyond take a shorter path for + - * % and & with a
# small mask: every result must equal the general arithmetic's, at the boundaries and across signs.
vals = [0, 1, -1, 7, -7, 2 ** 29, 2 ** 30 - 1, 2 ** 30, -2 ** 30, -2 ** 30 - 1, 2 ** 31 + 5, -(2 ** 31) - 5,
        2 ** 47 - 1, 2 ** 47, -2 ** 47, 2 ** 48 - 1, 2 ** 48, -(2 ** 48) + 1, 2 ** 52 + 3, 2 ** 53 - 1, 2 ** 53,
        2 ** 53 + 1, -(2 ** 53) - 1, 2 ** 70 + 11, -(2 ** 70) - 11, True, False]
smalls = [1, 2, 3, 7, 13, 31, 97, 1000, 65535, 2 ** 24, 2 ** 29 - 1, -1, -3, -97, -(2 ** 29)]
acc = 0
for a in vals:
    for b in vals:
        for r in (a + b, a - b, a * b):
            acc = (acc * 1000003 + r) % (2 ** 61 - 1)
print("add sub mul", acc)
acc = 0
for a in vals:
    for m in smalls:
        r = (a % m, a & m, (a * m) % 1000000007, a & 0xFFFFFF, (a + m) & 0x3FFFFFFF)
        for x in r:
            acc = (acc * 1000003 + x) % (2 ** 61 - 1)
        if a in (2 ** 48, -(2 ** 47), 2 ** 53 + 1) and m in (7, -3, 65535):
            print(a, m, r)
print("mod and", acc)
# the loops these paths are for: a running hash that passes 2^30 before it is reduced
h1 = h2 = 0
for i, ch in enumerate("the quick brown fox jumps over the lazy dog" * 40):
    h1 = (h1 * 131 + ord(ch)) & 0xFFFFFF
    h2 = (h2 * 31 + ord(ch) + i) % 1000000007
print("hashes", h1, h2)
try:
    print((2 ** 40) % 0)
except ZeroDivisionError as e:
    print("ZeroDivisionError", e)
print(type(2 ** 31 - 2 ** 31), (2 ** 40 + 1) * (2 ** 13) - 2 ** 53, -(2 ** 47) * 64, (2 ** 50) * 8, (2 ** 50) * 7)
