# bytes and bytearray: the str methods they share, decode, hex/fromhex, % formatting, mutators and slices
def t(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)

b = b"  Hello, World!  "
for x in [b, bytearray(b)]:
    print(x.strip(), x.lstrip(b" H"), x.rstrip(b"! "), x.split(), x.split(b","), x.rsplit(None, 1), x.split(b"l", 2), x.partition(b","), x.rpartition(b"o"))
    print(x.find(b"o"), x.find(111), x.rfind(b"o"), x.index(b"W"), x.count(b"l"), x.count(108), x.startswith(b"  H"), x.endswith((b"x", b"  ")), x.replace(b"l", b"L", 2))
    print(x.upper(), x.lower(), x.swapcase(), x.title(), x.capitalize(), x.center(21, b"*"), x.ljust(19), x.rjust(19, b"-"), x.zfill(20), x.expandtabs())
    print(x.isalpha(), x.strip().isalnum(), b"123".isdigit(), b" \t".isspace(), b"ABC".isupper(), b"abc".islower(), b"Ab Cd".istitle(), x.isascii(), b"\xe9".isalpha(), b"\xff".isascii())
    print(x.hex(), x.hex("-", 4), b"-".join([b"a", bytearray(b"b"), memoryview(b"c")]), x.removeprefix(b"  "), x.removesuffix(b"!  "), x.splitlines(), b"a\r\nb\rc\nd".splitlines(True))
    print(x.translate(None, b"lo"), x.translate(bytes.maketrans(b"lo", b"01")), len(x), x[2], x[-3:], x[::4], 72 in x, b"World" in x, bytearray(b"ll") in x)
t(lambda: b"abc".find("a")); t(lambda: b"abc" + "a"); t(lambda: bytearray(b"a") + "b"); t(lambda: b"abc".split("b")); t(lambda: b"a".join(["b"])); t(lambda: b"abc".count(256))
t(lambda: b"abc".center(5, "x")); t(lambda: b"abc".center(5, b"xy")); t(lambda: b"%s %d %x %c %a %r %5.2f|%-4s|" % (b"s", 42, 255, 65, "é", b"q", 3.14159, b"ab"))
t(lambda: bytearray(b"%b-%c") % (b"x", b"y")); t(lambda: b"%s" % "x"); t(lambda: b"%d" % (1, 2)); t(lambda: b"%(a)s" % {b"a": b"A"}); t(lambda: b"%y" % 1)
print(bytes.fromhex("de ad be ef"), bytearray.fromhex("00 ff"), b"\x00\xff".hex(), bytes(3), bytes([65, 66]), bytes(b"x"), bytes(bytearray(b"y")), bytes(memoryview(b"z")), bytes("é", "utf-8"), bytes(range(3)))
print(b"abc" < b"abd", b"ab" < b"abc", bytearray(b"x") == b"x", b"x" == bytearray(b"x"), b"b" > bytearray(b"a"), b"" == b"", b"a" * 3, 2 * bytearray(b"ab"), b"a" + bytearray(b"b"), bytearray(b"a") + b"b")
t(lambda: b"a" < "a"); t(lambda: b"a" == "a"); t(lambda: hash(b"ab") == hash(b"ab")); t(lambda: hash(bytearray(b"ab")))
ba = bytearray(b"hello")
ba.append(33); ba.extend(b" wo"); ba.extend([114, 108]); ba.insert(0, 62); ba.insert(-1, 95); ba.insert(100, 100); print(ba)
print(ba.pop(), ba.pop(0), ba.pop(-2), ba); ba.remove(111); print(ba); ba.reverse(); print(ba); c = ba.copy(); ba.clear(); print(ba, c, len(c))
t(lambda: bytearray().pop()); t(lambda: bytearray(b"a").pop(3)); t(lambda: bytearray(b"a").remove(98)); t(lambda: bytearray(b"a").append(256)); t(lambda: bytearray(b"a").append("x")); t(lambda: bytearray().extend("ab")); t(lambda: bytearray().extend(5)); t(lambda: bytearray().insert(0, -1))
s = bytearray(b"0123456789")
s[2:4] = b"ab"; print(s); s[0:1] = b""; print(s); s[-2:] = bytearray(b"XYZ"); print(s); s[::3] = b"!!!!"; print(s); del s[1:3]; print(s); del s[::2]; print(s); s[5:5] = [65, 66]; print(s); s[0] = 97; print(s)
t(lambda: s.__setitem__(slice(None, None, 2), b"x")); t(lambda: s.__setitem__(0, 300)); t(lambda: s.__setitem__(0, b"a")); t(lambda: b"abc".__setitem__(0, 1))
ba2 = bytearray(b"ab"); ba2 += b"cd"; ba2 *= 2; print(ba2, ba2 * 0, bytearray(b"x") * -1)
print(b"abc".decode(), b"\xc3\xa9".decode("utf-8"), bytearray(b"\xe9").decode("latin-1"), b"\xff".decode("utf-8", "replace"), str(b"abc", "ascii"), b"a\xffb".decode(errors="ignore"))
print(list(b"ab"), list(bytearray(b"ab")), [x for x in memoryview(b"ab")], sorted(b"cab"), max(b"az"), sum(b"\x01\x02"), b"ab"[0] == 97, bytes(reversed(b"abc")), bytearray(b"a").isalpha())
