print(2 ** 100, -(2 ** 100) // 7, (2 ** 100) % 97, 10 ** 30 // 3 ** 20)
print(7 // 2, -7 // 2, 7 % -3, -7 % 3, divmod(-17, 5), pow(3, 200, 1000007))
x = 1
for i in range(70):
    x = x * 3 + 1
print(x, x.bit_length(), hex(x), oct(x)[:12], bin(255))
print(int("ff", 16), int("0b101", 0), int("  -42  "), int(3.99), int(-3.99), int("1_000"))
print(1 / 3, 2 / 3, 0.1 + 0.2, 1e22, 1e-7, 123456789.123456789, -0.0, float("inf"), float("-nan") != float("nan"))
print(round(2.675, 2), round(0.5), round(1.5), round(-2.5), round(123456, -2), round(3.14159, 3))
print(f"{3.14159:.2f} {42:08d} {255:#x} {1234567:,} {0.25:%} {12:>6} {'s':^5}|{-3.5:+.1e}")
print("%5.2f|%-6d|%x|%s|%r" % (2.5, 42, 255, "hi", "hi"))
print(abs(-5), abs(-2.5), max(3, 9, 2), min([4, 1, 7]), sum([1.5, 2.5]), sum(range(101)))
print(float("1e309"), 1e308 * 10, -1e308 * 10)
print(True + True, True * 3, False - 1, int(True), 5 & 3, 5 | 3, 5 ^ 3, ~5, 1 << 40, -1 >> 3)
print(1 < 2 < 3, 3 > 2 > 2, 1 == 1.0, hash(1) == hash(1.0), 0.1 + 0.2 == 0.3)
print((2 ** 64).to_bytes(9, "big"), int.from_bytes(b"\x01\x00", "little"), (-1).to_bytes(2, "big", signed=True))
print(7.0 // 2, 7.5 % 2, -7.5 // 2, 2 ** -1, 2.0 ** 0.5, (-8) ** (1 / 3) if False else 0)
print(float(10 ** 20), 10 ** 20 == float(10 ** 20), 2 ** 53 + 1 == float(2 ** 53 + 1))
