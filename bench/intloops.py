# Integer loops: sieve of Eratosthenes, Collatz chain lengths, gcd and digit sums (while/for over small ints).


def sieve(n):
    flags = [True] * (n + 1)
    flags[0] = flags[1] = False
    i = 2
    while i * i <= n:
        if flags[i]:
            for j in range(i * i, n + 1, i):
                flags[j] = False
        i += 1
    count = 0
    for f in flags:
        if f:
            count += 1
    return count


def collatz_longest(limit):
    best = 0
    best_n = 0
    for n in range(1, limit):
        x = n
        steps = 0
        while x != 1:
            if x & 1:
                x = 3 * x + 1
            else:
                x >>= 1
            steps += 1
        if steps > best:
            best = steps
            best_n = n
    return best_n, best


def gcd(a, b):
    while b:
        a, b = b, a % b
    return a


def coprime_pairs(n):
    c = 0
    for a in range(1, n):
        for b in range(a + 1, n):
            if gcd(a, b) == 1:
                c += 1
    return c


def digit_sums(n):
    total = 0
    for i in range(n):
        s = 0
        while i:
            s += i % 10
            i //= 10
        total += s
    return total


p = sieve(300000)
assert p == 25997, p
cz = collatz_longest(20000)
assert cz == (17647, 278), cz
cp = coprime_pairs(150)
assert cp == 6817, cp
ds = digit_sums(100000)
assert ds == 2250000, ds
print("intloops", p, cz, cp, ds)
