# Strings: building with join and +=, splitting, formatting (%, str.format, f-strings), searching and replacing.

WORDS = "the quick brown fox jumps over the lazy dog while seven wizards hex the vexed jackdaws".split()


def make_text(n):
    parts = []
    k = len(WORDS)
    for i in range(n):
        parts.append(WORDS[(i * 7 + i // 3) % k])
        if i % 11 == 10:
            parts.append("\n")
    return " ".join(parts)


def build_report(n):
    lines = []
    for i in range(n):
        name = WORDS[i % len(WORDS)]
        lines.append("%-8s|%5d|%08.3f" % (name, i, i / 7))
        lines.append("{0:>10}:{1:<6}:{2:x}".format(name.upper(), i * 3, i))
        lines.append(f"{name[1:] + name[0]}-{i % 13:03d}-{len(name)}")
    return "\n".join(lines)


def accumulate(n):
    s = ""
    for i in range(n):
        s += str(i % 10)
        if len(s) > 200:
            s = s[100:]
    return s


text = make_text(50000)
lines = text.split("\n")
words = text.split()
fox = text.count("fox")
first_dog = text.find("dog")
caps = text.replace("the", "THE").count("THE")
title_words = sum(1 for w in words if w.startswith("j") or w.endswith("s"))
stripped = [l.strip() for l in lines]
longest = max(len(l) for l in stripped)

report = build_report(15000)
rlines = report.split("\n")
hexes = sum(int(l.rsplit(":", 1)[1], 16) for l in rlines[1::3])
acc = accumulate(100000)

check = 0
for ch in report[:50000]:
    check = (check * 131 + ord(ch)) & 0xFFFFFF

result = (len(text), len(lines), len(words), fox, first_dog, caps, title_words, longest, len(report), hexes, acc[-20:], check)
assert result == (273667, 4546, 50000, 2084, 61, 10418, 8333, 63, 872190, 112492500, "01234567890123456789", 742922), result
print("strings", result)
