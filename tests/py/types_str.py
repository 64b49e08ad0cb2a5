# str methods against CPython: search, split, strip, case, padding, encodings, translate, format
def t(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)

u = "héllo wörld ünïcödé"
for s in ["", "abc", "abcabc", u]:
    for sub in ["", "a", "bc", "ö", "ll", "z"]:
        print(repr(s), repr(sub), s.find(sub), s.rfind(sub), s.count(sub), s.find(sub, 1), s.find(sub, -3), s.rfind(sub, 0, 4),
              s.count(sub, 2, 10), s.find(sub, 100), s.count(sub, 100), s.find(sub, 5, 2), s.startswith(sub, 1), s.endswith(sub, 0, 3))
print(u.index("ö"), u.rindex("ö"), u.index("d", 10), u[u.find("ü"):])
t(lambda: u.index("zz")); t(lambda: "abc".find(1)); t(lambda: "abc".find("b", "x")); t(lambda: "abc".count(None))
print("abc".find("b", None, None), "abcabc".find("c", True), "abc".startswith(("x", "ab")), "abc".endswith(("x", "y")))
t(lambda: "abc".startswith(1)); t(lambda: "abc".startswith(("z", 1))); t(lambda: "abc".endswith(["c"]))

for s in ["  a b  c  ", "a,b,,c", "", "   ", "x", "héllo  wörld\tü\n", "a\x1cb\x85c\u3000d"]:
    print(repr(s), s.split(), s.split(None, 1), s.rsplit(None, 1), s.split(maxsplit=0), s.rsplit(maxsplit=2), s.split(","), s.rsplit(",", 1), s.split(" ", 2))
t(lambda: "a".split("")); t(lambda: "a".split(1)); t(lambda: "a b".split(sep=None, maxsplit=-5)); t(lambda: "aaa".rsplit("aa")); t(lambda: "aaa".split("aa"))
t(lambda: "a b".split(x=1))
print("a\nb\r\nc\rd\x0be\x0cf\x1cg\x1dh\x1ei\x85j\u2028k\u2029l".splitlines(), "a\nb\r\n\n".splitlines(True), "".splitlines(), "\n".splitlines(keepends=True))

for s in ["  xx  ", "\t\n x\x0b\x0c\r ", "xyxhixyx", "éaé", "\xa0a\u3000", "abc"]:
    print(repr(s.strip()), repr(s.lstrip()), repr(s.rstrip()), repr(s.strip("xy")), repr(s.strip("é")), repr(s.lstrip("éx")), repr(s.rstrip("")), repr(s.strip(None)))
t(lambda: "a".strip(1)); t(lambda: "a".lstrip(1)); t(lambda: "a".rstrip(b"a"))

print("-".join(["a", "b", "c"]), "".join([]), ", ".join("abc"), "é".join(["x", "y"]), "-".join(x for x in "ab"), "x".join({"k": 1}))
t(lambda: "-".join([1])); t(lambda: "-".join(["a", 2])); t(lambda: "-".join(5)); t(lambda: "-".join([b"a"]))

for s in ["hello", "", "aaa", "héllo"]:
    print(s.replace("l", "L"), s.replace("l", "L", 1), s.replace("", "-"), s.replace("", "-", 2), s.replace("a", "", -1), s.replace("é", "e"), s.replace("aa", "b"))
t(lambda: "a".replace(1, "b")); t(lambda: "a".replace("a", 2)); t(lambda: "a".replace("a", "b", "c"))

for s in ["a-b-c", "abc", "-", "é-ü-ö"]:
    print(s.partition("-"), s.rpartition("-"), s.partition("b"), s.rpartition("é"))
t(lambda: "a".partition("")); t(lambda: "a".partition(1)); t(lambda: "a".rpartition(None))
print("prefix-x".removeprefix("prefix-"), "x".removeprefix("y"), "x-suffix".removesuffix("-suffix"), "".removesuffix(""), "éa".removeprefix("é"))
t(lambda: "a".removeprefix(1))

for s in ["hello world", "HELLO", "hElLo WoRlD", "they're bill's friends", "ßtraße", "ΑΣ ΣΑ Σ ὈΔΥΣΣΕΎΣ", "élan ÉCOLE ÿ Ÿ",
          "123abc", "a1b2", "", "i̇", "ÀÉÎÕÜ àéîõü", "Привет Мир", "Ⅻ ⓐ", "Ａｂｃ"]:
    print(repr(s), s.upper(), s.lower(), s.swapcase(), s.title(), s.capitalize(), s.casefold())
for s in ["abc", "ABC", "Abc", "Abc Def", "abc1", "123", "½", "²", "٣", " \t", "", "a b", "é", "É", "ß", "_id", "1x", "x1", "é_ü",
          "\x00", "a\tb", "\u200b", "ª", "Σσ", "Hello World", "Hello world", "HELLO World", "A1 B2", "一二三", "\xa0"]:
    print(repr(s), s.isalpha(), s.isdigit(), s.isdecimal(), s.isnumeric(), s.isalnum(), s.isspace(), s.isupper(), s.islower(),
          s.istitle(), s.isidentifier(), s.isprintable(), s.isascii())

for s in ["abc", "é", "", "abcdef"]:
    print(repr(s.center(7)), repr(s.center(8, "*")), repr(s.ljust(5, "é")), repr(s.rjust(5)), repr(s.center(2)), repr(s.zfill(5)), repr(s.ljust(-1)))
print("-42".zfill(6), "+42".zfill(6), "42".zfill(1), "--".zfill(4), "é".zfill(3), "abc".center(6, "é"), "abc".center(4), "ab".center(5), "ab".center(4), "a".center(4))
t(lambda: "a".center(5, "ab")); t(lambda: "a".center(5, 1)); t(lambda: "a".center("5")); t(lambda: "a".zfill(None)); t(lambda: "a".ljust(2.0))
print(repr("a\tbc\tdef\tg".expandtabs()), repr("a\tb".expandtabs(4)), repr("ab\tc\n\td".expandtabs(3)), repr("é\tx\r\ty".expandtabs(2)),
      repr("a\tb".expandtabs(0)), repr("a\tb".expandtabs(-3)), repr("\t".expandtabs(tabsize=1)))

for enc in ["utf-8", "UTF8", "ascii", "latin-1", "iso-8859-1", "utf_8"]:
    for err in ["strict", "replace", "ignore", "xmlcharrefreplace", "backslashreplace"]:
        t(lambda: "aé€😀".encode(enc, err))
t(lambda: "a".encode("bogus")); t(lambda: "é".encode("ascii", "bogus")); t(lambda: "aéé".encode("ascii")); t(lambda: "é".encode(errors="strict")); t(lambda: "é".encode(encoding="latin1"))
for b in [b"abc", b"a\xc3\xa9", b"\xff", b"a\xc3", b"\xe2\x82a", b"\xe2\x82", b"\xed\xa0\x80", b"\xf0\x9f\x98\x80", b"\xf4\x90\x80\x80", b"\xc0\x80x", b"\x80\x81"]:
    for enc in ["utf-8", "ascii", "latin-1"]:
        for err in ["strict", "replace", "ignore", "backslashreplace"]:
            t(lambda: b.decode(enc, err))
t(lambda: b"a".decode("bogus")); t(lambda: b"\xff".decode(errors="bogus")); t(lambda: bytearray(b"\xc3\xa9").decode()); t(lambda: str(b"\xc3\xa9", "utf-8")); t(lambda: str(b"ab", errors="ignore"))
t(lambda: str(1, "utf-8")); t(lambda: str()); t(lambda: str(b"x")); t(lambda: str(object="a")); t(lambda: str(bytearray(b"\xe9"), "latin-1"))

tab = str.maketrans("abc", "xyz", "d")
print(tab, "abcdabcd".translate(tab), "hello".translate({ord("l"): "LL", ord("o"): None}), "abc".translate({97: 98}), "é".translate({233: "e"}))
print(str.maketrans({"a": "b", 99: None}), "abc".translate(str.maketrans({"a": "b", 99: None})), "abc".translate([None, "x"] * 60))
t(lambda: str.maketrans("ab", "c")); t(lambda: str.maketrans({"ab": 1})); t(lambda: str.maketrans(1)); t(lambda: str.maketrans("a", 1)); t(lambda: str.maketrans({1.5: 1}))
t(lambda: "abc".translate({97: 1.5})); t(lambda: "abc".translate({97: -1})); t(lambda: "abc".translate({97: 0x1F600}))
class Tab:
    def __getitem__(self, k):
        if k == 98:
            raise LookupError
        if k == 99:
            raise IndexError
        return k + 1
print("abcd".translate(Tab()))

class S(str):
    pass
print("-".join([S("a"), "b"]), "abc".find(S("b")), S("x y").split(), type(S("ab").strip()).__name__, "a".startswith((S("a"),)), "%s" % S("z"))
print("{0}{1}{0}".format(S("a"), 1), S("abc").upper(), S("a") + "b", "abc".replace(S("b"), S("B")))
