# Bigints: factorials, three-argument pow (a Fermat/Miller-Rabin primality test), digits of pi by a spigot,
# big Fibonacci numbers, str() of and int() from long digit strings, and divmod on multi-limb numbers.


def factorial(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


def is_probable_prime(n):
    if n < 2:
        return False
    for p in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if n % p == 0:
            return n == p
    d = n - 1
    s = 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for a in (2, 3, 5, 7, 11, 13, 17):
        x = pow(a, d, n)
        if x == 1 or x == n - 1:
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def pi_digits(n):
    # Gibbons' unbounded spigot
    q, r, t, k, m, x = 1, 0, 1, 1, 3, 3
    out = []
    while len(out) < n:
        if 4 * q + r - t < m * t:
            out.append(m)
            q, r, t, k, m, x = 10 * q, 10 * (r - m * t), t, k, (10 * (3 * q + r)) // t - 10 * m, x
        else:
            q, r, t, k, m, x = q * k, (2 * q + r) * x, t * x, k + 1, (q * (7 * k + 2) + r * x) // (t * x), x + 2
    return out


def big_fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


f = factorial(1500)  # CPython's str() stops at 4300 digits
fmods = 0
for n in range(100, 1500, 50):
    fmods = (fmods * 7 + factorial(n) % 1000003) % 1000003
fs = str(f)
digit_sum = sum(int(c) for c in fs)
trailing = len(fs) - len(fs.rstrip("0"))
primes = []
n = 10 ** 12 + 1  # range() over bigints is CPython-only (MicroPython: machine words)
while n < 10 ** 12 + 3000:
    if is_probable_prime(n):
        primes.append(n)
    n += 2
m127 = is_probable_prime(2 ** 127 - 1)
pi = "".join(str(d) for d in pi_digits(1500))
fib = big_fib(12000)
q, r = divmod(fib, factorial(300))
back = int(str(fib)) == fib
mix = (fib * f) % (2 ** 521 - 1)

result = (len(fs), digit_sum, trailing, len(primes), primes[:3], m127, pi[:12], pi[-10:], len(str(fib)), len(str(q)),
          r % 1000007, back, mix % 1000000007, (-f) // (10 ** 4000) % 1000, hex(fib)[-8:], fmods)
assert result == (4115, 16749, 374, 103, [1000000000039, 1000000000061, 1000000000063], True, "314159265358", "9750930295",
                  2508, 1894, 31321, True, 36485844, 65, "65450280", 963594), result
print("bigints", result)
