# re: matching, groups, flags, sub/split/findall, errors (compared with CPython)
import re
def show(m):
    if m is None:
        print(None)
    else:
        print(repr(m.group(0)), m.groups(), m.span(), [m.span(i) for i in range(len(m.groups()) + 1)])
tests = [
    (r"a", "cab"), (r"a+", "caaab"), (r"a*", "bbb"), (r"a*?b", "aaab"), (r"(a|b)*c", "ababc"),
    (r"(\d+)-(\d+)", "tel 123-456 x"), (r"\w+@\w+\.com", "mail me: joe@ex.com now"), (r"^abc$", "abc"),
    (r"^abc$", "abc\n"), (r"[a-c]+", "xxabcbad"), (r"[^a-c]+", "abcxyzabc"), (r"\s+", "a \t\nb"),
    (r"(?:ab)+", "ababab"), (r"a{2,3}", "aaaaa"), (r"a{2}", "aaaa"), (r"a{2,}", "aaaaa"), (r"a{,2}", "aaaaa"),
    (r"x{1,2}?", "xxx"), (r"(a)(b)?", "ac"), (r"(?P<first>\w+) (?P<last>\w+)", "Jane Doe"),
    (r"(\w)\1", "abccd"), (r"\bfoo\b", "a foo b"), (r"\Bfoo", "afoo"), (r"colou?r", "colour color"),
    (r"[\d.]+", "v1.2.3"), (r".", "\n"), (r"a|b|c", "xxc"), (r"(a*)*", "b"), (r"(a*)+", "b"), (r"(a|)+", "aa"),
    (r"h.llo", "héllo"), (r"[é-ü]+", "aéöb"), (r"\w+", "naïve café"), (r"x*", ""), (r"a{3}", "aa"),
    (r"\$\d+\.\d\d", "cost $12.50!"), (r"[]a]+", "]a]b"), (r"[a\]]+", "a]a"), (r"[-a]+", "-a-"), (r"[\w-]+", "a-b_c d"),
    (r"(?i)hello", "HeLLo"), (r"(?P<x>a)(?P=x)", "aa"), (r"(a)|b", "b"), (r"\d{2,4}?", "12345"), (r"a.c", "a\nc"),
]
for p, s in tests:
    print(p, end=": ")
    show(re.search(p, s))
print(re.match(r"b", "ab"), re.match(r"a", "ab").group())
print(re.fullmatch(r"a+", "aaa").group(), re.fullmatch(r"a+", "aab"))
print(re.findall(r"\d+", "a1b22c333"), re.findall(r"(\w)(\d)", "a1 b2 c"), re.findall(r"(\d)", "x1y2"), re.findall(r"x*", "axxb"))
print(re.sub(r"\d", "#", "a1b22"), re.sub(r"(\w+) (\w+)", r"\2 \1", "hello world"), re.sub(r"x*", "-", "abxd"))
print(re.sub(r"(?P<n>\d+)", r"<\g<n>>", "a12b3"), re.sub(r"a", lambda m: m.group().upper(), "banana", count=2))
print(re.subn(r"a", "o", "banana"), re.sub("a", r"\n", "xa"))
print(re.split(r",\s*", "a, b,c,  d"), re.split(r"(,)", "a,b"), re.split(r"\s", "a b c", maxsplit=1), re.split(r"x*", "axbc"))
print(re.split(r"\b", "a b"))
r = re.compile(r"(\w+)=(\d+)", re.I)
print(r.pattern, r.groups, r.flags & re.I == re.I)
m = r.search("  key=42 ")
print(m, m.start(), m.end(), m.start(2), m.group(1, 2), m[1], m.string, m.lastindex, m.re is r)
print(r.match("key=1").groups(), r.match(" key=1"), r.match(" key=1", 1).group())
m = re.match(r"(?P<a>x)(?P<b>y)?", "x")
print(m.groupdict(), m.groupdict("-"), m.groups("-"), m.group("a"), m.lastindex)
print([m.group() for m in re.finditer(r"\d", "a1b2")])
print(re.escape("a.b*c"), re.search(re.escape("1+1"), "x1+1").span())
print(re.search(r"^b", "a\nb", re.M).span(), re.search(r"a$", "a\nb", re.M).span(), re.search(r"a.b", "a\nb", re.S).span())
print(re.search(r"""a  # an a
   b""", "ab", re.X).group())
print(re.findall(rb"\d+", b"a12b3"), re.sub(rb"a", b"o", b"banana"))
print(re.search("é", "café").span(), re.search("f(é)", "café").start(1))
for bad in ["(", ")", "a**", "[a", "*a", "a{3,2}", r"\q", "(?P<1>a)", "(?<x>a)", "a(?i)"]:
    try:
        re.compile(bad)
        print("compiled", bad)
    except re.error as e:
        print("error", bad, isinstance(e, re.error))
try:
    re.search("a", b"a")
except TypeError as e:
    print("TypeError", e)
try:
    re.search(b"a", "a")
except TypeError as e:
    print("TypeError", e)
try:
    re.search("a", 5)
except TypeError as e:
    print("TypeError")
try:
    re.match("(a)", "a").group(2)
except IndexError as e:
    print("IndexError", e)
print(re.sub("(b)?c", r"[\1]", "c"), re.match("a", "a").expand(r"<\g<0>>"))
print(re.search(r"(\d+)", "abc 123").group(1), len(re.findall(".", "a" * 5000)))

words = re.compile(r"[A-Za-z']+")
text = "It's a truth universally acknowledged, that a single man in possession of a good fortune"
freq = {}
for w in words.findall(text.lower()):
    freq[w] = freq.get(w, 0) + 1
print(sorted(freq.items())[:5], len(freq))
date = re.compile(r"(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)")
print([m.groupdict() for m in date.finditer("on 2024-01-31 and 1999-12-01.")])
print(date.sub(r"\g<d>/\g<m>/\g<y>", "2024-01-31"), date.sub(lambda m: m.group("y"), "x 2000-01-01 y"))
print(re.split(r"[;,]\s*|\s+", "a; b,c d"), re.findall(r"<(.*?)>", "<a><bb><>"), re.findall(r"<(.*)>", "<a><bb>"))
