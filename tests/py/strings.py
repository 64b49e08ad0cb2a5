s = "Hello, World"
print(s.lower(), s.upper(), s.split(", "), s[::-1], s[3:8], s[-5:], len(s))
print(",".join(["a", "b", "c"]), "  pad  ".strip() + "|", "x".center(5, "*"), "42".zfill(5))
print(s.find("o"), s.rfind("o"), s.count("l"), s.replace("l", "L", 2), s.startswith("Hell"), s.endswith(("x", "ld")))
print("a,b,,c".split(","), "  many   spaces here ".split(), "line1\nline2\r\nline3".splitlines())
print("{} + {} = {}".format(1, 2, 3), "{0}{1}{0}".format("ab", "cd"), "{name}!".format(name="hi"))
print(repr("quote's"), repr('dq"'), repr("both'\""), repr("tab\tnl\n"), ascii("é"), "é".encode(), b"\xc3\xa9".decode())
u = "naïve café ünïcödé"
print(len(u), u[2], u[6:10], u.upper(), u.split(" "), u.encode("utf-8")[:8])
print(sorted("banana"), "banana".index("n"), list(reversed("abc")), "abc" * 3, "a" < "b" < "ba")
b = b"bytes\x00\xff"
print(b, len(b), b[0], b[-1], b[1:3], list(b[:3]), b.hex(), bytes.fromhex("68 69"), bytearray(b"ab") + b"c")
print(str(123), str(1.5), str(None), str([1, "a"]), repr([1, "a"]), str((1,)), repr({}), repr(set()))
print(f"{'nested {}'.format(1)!r:>15}", f"{2 + 3=}", f"{s!r:.4}")
t = "x=%d y=%s z=%.1f" % (1, "two", 3.14)
print(t, "%(a)s-%(b)s" % {"a": 1, "b": 2}, "%c%c" % (72, "i"))
print("abc".isalpha(), "123".isdigit(), " ".isspace(), "Title Case".title(), "MiXeD".swapcase(), "x".isupper())
print("a-b-c".partition("-"), "a-b-c".rpartition("-"), "www.example.com".rsplit(".", 1), "hello"[1:4:2])
