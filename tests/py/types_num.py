# int and float constructors, methods and arithmetic corner cases against CPython
def t(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)

for s in ["0", "-0", "+12", " 12 ", "\t12\n", "1_000", "1__0", "_1", "1_", "0x1f", "0o17", "0b101", "010", "00", "0_0", "1e3", "", " ", "12a",
          "١٢٣", "0x", "-0x1f", "0X1F", "0B1", "0O7", "007", "123456789", "1234567890", "ff", "Zz", "zzzzzzzzz", "zzzzzzzzzz", "99999999999999999999999999", "-99999999999999999999999", "+", "- 1", "1 2", "ｆ"]:
    for base in [10, 0, 16, 8, 2, 36]:
        t(lambda: int(s, base))
t(lambda: int("z", 37)); t(lambda: int("1", 1)); t(lambda: int("1", -1)); t(lambda: int(12, 10)); t(lambda: int(b"12")); t(lambda: int(bytearray(b" 12 ")))
t(lambda: int(b"0x1f", 16)); t(lambda: int(b"zz")); t(lambda: int("a\u00e9")); t(lambda: int(3.99)); t(lambda: int(-3.99)); t(lambda: int(1e20)); t(lambda: int(float("nan")))
t(lambda: int(float("inf"))); t(lambda: int(None)); t(lambda: int([1])); t(lambda: int("12", base=8)); t(lambda: int(x="1")); t(lambda: int(True)); t(lambda: int())
class I:
    def __index__(self): return 7
class N:
    def __int__(self): return 8
class BadN:
    def __int__(self): return "x"
t(lambda: int(I())); t(lambda: int(N())); t(lambda: int(BadN())); t(lambda: int("10", I())); t(lambda: int("10", N()))

for s in ["1.5", " -2.5e3 ", "inf", "-Infinity", "nan", "-NaN", "1_0.5", "1e500", "-1e500", "1e-400", "0x10", "", "abc", "1.5.5", ".5", "5.", "1e", "+.e1", "1_", "in f"]:
    t(lambda: float(s))
t(lambda: float(b"1.5")); t(lambda: float(bytearray(b"2.5"))); t(lambda: float(b"x")); t(lambda: float(2**1024)); t(lambda: float(2**1023)); t(lambda: float(I())); t(lambda: float(None))
class F:
    def __float__(self): return 1.25
class BadF:
    def __float__(self): return 1
t(lambda: float(F())); t(lambda: float(BadF())); t(lambda: float()); t(lambda: float("  nan  "))

for n in [0, 1, -1, 255, -256, 2**31, -2**31, 2**64 - 1, -2**63, 2**100, True]:
    print(n, n.bit_length(), n.bit_count(), n.as_integer_ratio(), n.numerator, n.denominator, n.real, n.imag, n.conjugate())
for n, ln, order, signed in [(1, 1, "big", False), (-1, 1, "big", True), (255, 1, "little", False), (256, 2, "little", False), (-100, 10, "little", True),
                              (-100, 10, "big", True), (2**63, 8, "big", False), (-2**63, 8, "little", True), (2**64 - 1, 8, "big", False),
                              (-335544310, 8, "little", True), (0, 0, "big", False), (1, 0, "big", False), (-1, 1, "big", False), (128, 1, "big", True),
                              (-129, 1, "big", True), (2**100, 13, "big", False), (2**100, 12, "big", False), (-2**100, 13, "little", True)]:
    t(lambda: n.to_bytes(ln, order, signed=signed))
t(lambda: (5).to_bytes()); t(lambda: (5).to_bytes(2)); t(lambda: (5).to_bytes(2, "middle")); t(lambda: (5).to_bytes(-1)); t(lambda: (5).to_bytes(length=2, byteorder="little"))
for b in [b"", b"\x01", b"\xff", b"\x00\xff", b"\xff\x00", b"\x80" + b"\x00" * 9, bytes(range(20))]:
    print(int.from_bytes(b, "big"), int.from_bytes(b, "little"), int.from_bytes(b, "big", signed=True), int.from_bytes(b, "little", signed=True), int.from_bytes(b))
t(lambda: int.from_bytes([1, 2], "big")); t(lambda: int.from_bytes(bytearray(b"\x01\x00"), "little")); t(lambda: int.from_bytes("ab", "big")); t(lambda: int.from_bytes(b"\x01", "x"))
t(lambda: bool.from_bytes(b"\x01", "big")); t(lambda: int.from_bytes(memoryview(b"\x02\x01"), byteorder="little"))
class MyInt(int):
    pass
t(lambda: type(MyInt.from_bytes(b"\x01", "big")).__name__)

for x in [0.0, -0.0, 1.5, -2.25, 0.1, 1e300, 5e-324, 2.0**-1074, 1e16, 123456789.0, float("inf"), float("nan"), 2.0**1023, -(2.0**-1022)]:
    t(lambda: x.as_integer_ratio()); t(lambda: x.is_integer()); t(lambda: x.hex())
for s in ["0x1p0", "0x1.8p1", "-0x1p-1074", "0x1.fffffffffffffp1023", "0x1p1024", "inf", "-nan", "0x.8", "1", "0X1P+2", "0x1.0000000000000000000001p0", "  0x1p3  ", "0x1p-1075", "0x3p-1076", "zz", "0x"]:
    t(lambda: float.fromhex(s))

for a, b in [(7, 2), (-7, 2), (7, -2), (-7, -2), (7.5, 2), (-7.5, 2), (7, 0.5), (2**70, 3), (-(2**70), 7), (2**70, -(2**35)), (5, 0), (5.0, 0), (0, 0.0), (1e308, 1e-308), (float("inf"), 3), (3, float("inf")), (-3, float("inf"))]:
    t(lambda: divmod(a, b)); t(lambda: a // b); t(lambda: a % b); t(lambda: a / b)
for a, b in [(2, 10), (2, -1), (-2, -3), (0, -1), (0.0, -1), (2, 0.5), (10, 100), (2.5, 2), (-1, 2**100), (1, -(2**100)), (2**64, 0), (0, 0), (1.0, float("inf")), (-1.0, float("inf")), (1e200, 2)]:
    t(lambda: a ** b)
t(lambda: pow(2, 10, 1000)); t(lambda: pow(2, 10, -1000)); t(lambda: pow(-2, 3, 5)); t(lambda: pow(2, 100, 2**61 - 1)); t(lambda: pow(3, 0, 1)); t(lambda: pow(2, 3, 0)); t(lambda: pow(2.0, 3, 5))

# correctly rounded true division of big ints
for a, b in [(10**30, 3), (2**1000, 3**500), (-(10**50), 7), (1, 3**700), (3**700, 1), (2**2000, 2**1999), (10**400, 10**399), (2**1100, 3), (1, 2**1080),
             (2**53 + 1, 1), (2**54 + 3, 2), (123456789 * 10**40, 10**40 + 1), (5**500, 2**1100), (1, 10**330), (2**1024, 1), (10**310, 10**2)]:
    t(lambda: a / b)
t(lambda: (2**10000) / 1); t(lambda: 1 / (2**10000)); t(lambda: (2**70) / 0); t(lambda: 2**70 / 2**69)

# comparisons and hashing across int, float and bool
print(hash(1) == hash(1.0) == hash(True), hash(0) == hash(0.0) == hash(False) == hash(-0.0), hash(2**40) == hash(2.0**40), hash(-5) == hash(-5.0))
print({1: "a", 1.0: "b", True: "c"}, {0.5: 1}[0.5], 2**53 + 1 == 2.0**53, 2**53 + 1 > 2.0**53, 2**1000 > 1e300, 2**1024 > float("inf"), -(2**1024) < float("-inf"))
print(1 == 1.0, 10**20 == 1e20, 10**22 == 1e22, 10**23 == 1e23, float("nan") == float("nan"), 3 < 3.5 < 4, 2**64 < 2**64 + 0.5)
print(round(2.5), round(3.5), round(-2.5), round(0.125, 2), round(2.675, 2), round(1e300, -299), round(12345, -2), round(12355, -1), round(-12350, -2), round(2**70 + 2**69, -20))
print(round(5, 3), round(1.5e300), round(-0.5), round(0.5), type(round(2.5)).__name__, type(round(2.5, 0)).__name__, round(float("inf"), 2))
t(lambda: round(float("inf"))); t(lambda: round(float("nan"))); t(lambda: round(1.5, None)); t(lambda: round(1e308, -400));
print(abs(-2**70), -(-2**70), +(2**70), ~(2**70), 2**70 >> 3, -(2**70) >> 69, (2**70) << 2, 2**70 & 2**69 - 1, (-(2**70)) | 5, 2**70 ^ -1)
t(lambda: 1 << -1); t(lambda: 2**70 >> -1); t(lambda: 1 >> 2**70); t(lambda: -1 >> 2**70); t(lambda: 0 << 2**70)
print(int.__name__, float(7), float(-2**70), int(2.0**70), 1e22, 1e16, 1.0, 100.0, 1e-5, 0.0001, 123456789012345678.0, -0.0, 2.5e-324)
print(7 // 2.0, -7 // 2.0, 7 % -2.0, -0.0 % 5, 0.0 // -1, divmod(-0.0, 1), 1e300 * 1e10, -1e300 * 1e10)
t(lambda: 1e300 ** 2); t(lambda: 10.0 ** 400); t(lambda: 0.0 ** -1); t(lambda: 1 / 0); t(lambda: 1 // 0); t(lambda: 1 % 0); t(lambda: 1.0 / 0); t(lambda: 1.0 // 0.0); t(lambda: 1.0 % 0.0); t(lambda: divmod(1.0, 0.0))
# pow with a negative exponent and a modulus: the modular inverse
t(lambda: pow(2, -1, 5)); t(lambda: pow(2, -1, 4)); t(lambda: pow(3, -2, 7)); t(lambda: pow(3, -2, -7)); t(lambda: pow(-3, -1, 7)); t(lambda: pow(2**70 + 1, -3, 10**20 + 39)); t(lambda: pow(5, -1, 1)); t(lambda: pow(0, -1, 5))
t(lambda: pow(38, -1, 97)); t(lambda: pow(2, -(2**70), 11)); t(lambda: pow(6, -1, 9))
