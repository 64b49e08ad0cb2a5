# Pseudo-random str and bytes method calls against CPython: indices on non-ASCII text, separators, counts, widths
seed = 3
def rnd(n):
    global seed
    seed = (seed * 1103515245 + 12345) % 2147483648
    return (seed >> 8) % n
def pick(xs):
    return xs[rnd(len(xs))]
alpha = ["a", "b", "é", "€", " ", "\t", "\n", "ab", "😀", "\u3000", "A", "1", "_", ",", "\r\n", "Σ", "ß"]
def rstr(n):
    return "".join(pick(alpha) for _ in range(rnd(n)))
def ridx():
    return pick([None, 0, 1, 2, -1, -3, 5, 100, -100])
calls = [
    lambda s: s.find(rstr(3), ridx(), ridx()), lambda s: s.rfind(rstr(2), ridx()), lambda s: s.count(rstr(2), ridx(), ridx()),
    lambda s: s.index(rstr(2)), lambda s: s.rindex(rstr(2), ridx(), ridx()), lambda s: s.startswith(rstr(2), ridx(), ridx()),
    lambda s: s.endswith((rstr(2), rstr(2)), ridx()), lambda s: s.split(pick([None, rstr(2) or "x"]), pick([-1, 0, 1, 2])),
    lambda s: s.rsplit(pick([None, rstr(2) or "x"]), pick([-1, 0, 1, 2])), lambda s: s.strip(pick([None, rstr(3)])),
    lambda s: s.lstrip(pick([None, rstr(3)])), lambda s: s.rstrip(pick([None, rstr(3)])), lambda s: s.partition(rstr(2) or "a"),
    lambda s: s.rpartition(rstr(2) or "a"), lambda s: s.replace(rstr(2), rstr(2), pick([-1, 0, 1, 2])), lambda s: s.splitlines(pick([False, True])),
    lambda s: s.center(rnd(20), pick([" ", "é", "*"])), lambda s: s.ljust(rnd(15)), lambda s: s.rjust(rnd(15), "€"), lambda s: s.zfill(rnd(12)),
    lambda s: s.expandtabs(rnd(6)), lambda s: s.upper(), lambda s: s.lower(), lambda s: s.title(), lambda s: s.swapcase(), lambda s: s.capitalize(),
    lambda s: s.casefold(), lambda s: (s.isalpha(), s.isspace(), s.isalnum(), s.isdigit(), s.isupper(), s.islower(), s.istitle(), s.isidentifier()),
    lambda s: s[ridx():ridx():pick([None, 1, 2, -1, -2])], lambda s: s.encode("utf-8").decode("utf-8") == s,
    lambda s: s.encode("utf-8").split(pick([None, b" ", b"a"])), lambda s: s.encode().strip(b" ab"), lambda s: s.encode().title(),
    lambda s: s.encode().find(pick([b"a", 97, b""]), ridx()), lambda s: s.removeprefix(rstr(2)), lambda s: s.removesuffix(rstr(2)),
    lambda s: "|".join(s.split()), lambda s: s.translate({ord("a"): "A", ord("é"): None}), lambda s: (len(s), s[rnd(len(s) + 1) - 1] if s else ""),
]
for i in range(2000):
    s = rstr(12)
    c = pick(calls)
    try:
        r = c(s)
    except Exception as e:
        r = type(e).__name__ + " " + str(e)
    print(i, repr(s), repr(r))
