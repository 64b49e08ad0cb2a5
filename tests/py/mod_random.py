# random: the generator differs from CPython's, so only properties print: ranges, types, determinism under seed()
import random

random.seed(42)
first = [random.getrandbits(16) for i in range(8)] + [random.random(), random.randrange(1000), random.choice("abcdef")]
random.seed(42)
again = [random.getrandbits(16) for i in range(8)] + [random.random(), random.randrange(1000), random.choice("abcdef")]
random.seed(43)
other = [random.getrandbits(16) for i in range(8)]
print(first == again, first[:8] != other, random.seed() is None, random.seed(2 ** 100) is None)
ok = True
for k in (0, 1, 7, 30, 31, 32, 33, 52, 53, 54, 64, 100, 1000):
    for i in range(20):
        v = random.getrandbits(k)
        ok = ok and type(v) is int and 0 <= v < 2 ** k
print("getrandbits", ok, random.getrandbits(0))
print("wide", max(random.getrandbits(200) for i in range(40)).bit_length() > 190)
seen = set()
for i in range(500):
    r = random.randint(-3, 3)
    assert -3 <= r <= 3
    seen.add(r)
    assert random.randrange(7) in range(7)
    assert random.randrange(10, 20) in range(10, 20)
    assert random.randrange(100, 0, -7) in range(100, 0, -7)
    assert random.randrange(-50, 50, 9) in range(-50, 50, 9)
    f = random.random()
    assert 0.0 <= f < 1.0 and type(f) is float
    u = random.uniform(-1, 2)
    assert -1 <= u <= 2
    assert random.choice([10, 20, 30]) in (10, 20, 30)
    b = random.randrange(2 ** 80, 2 ** 80 + 3)
    assert 2 ** 80 <= b < 2 ** 80 + 3
    c = random.randrange(-(2 ** 70), 2 ** 70, 3 ** 30)
    assert (c + 2 ** 70) % 3 ** 30 == 0 and -(2 ** 70) <= c < 2 ** 70
print("randint covers", sorted(seen))
print("choice covers", sorted(set(random.choice("xyz") for i in range(200))))
l = list(range(20))
random.shuffle(l)
print("shuffle", sorted(l) == list(range(20)), len(l))
s = random.sample(range(50), 10)
print("sample", len(s), len(set(s)), all(0 <= x < 50 for x in s), random.sample([1, 2, 3], 0), sorted(random.sample("abc", 3)))
print(random.randrange(1), random.randint(5, 5), random.uniform(3, 3), random.choice((None,)))
for bad in [lambda: random.randrange(0), lambda: random.randrange(5, 5), lambda: random.randrange(1, 10, 0),
            lambda: random.randint(2, 1), lambda: random.getrandbits(-1), lambda: random.sample([1, 2], 3),
            lambda: random.randrange(10, 1, 2)]:
    try:
        bad()
    except ValueError:
        print("ValueError")
for bad in [lambda: random.choice([]), lambda: random.choice("")]:
    try:
        bad()
    except IndexError:
        print("IndexError")
for bad in [lambda: random.randrange(None), lambda: random.getrandbits("8"),
            lambda: random.uniform("a", 1), lambda: random.shuffle((1, 2))]:
    try:
        bad()
    except TypeError:
        print("TypeError")
