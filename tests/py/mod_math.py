# math: exact results print as they are; transcendental ones are rounded (last-bit differences between libms)
import math

print(math.pi, math.e, math.tau, math.inf, -math.inf, math.nan)
print(math.sqrt(16), math.sqrt(2), math.sqrt(0.0), math.sqrt(-0.0), math.sqrt(10**30))
print(math.floor(2.5), math.floor(-2.5), math.ceil(2.1), math.ceil(-2.1), math.trunc(-2.7), math.trunc(2.7))
print(math.floor(1e30), math.ceil(-1e20), math.floor(10**40), math.trunc(True), type(math.floor(2.0)).__name__)
print(math.fabs(-3), math.fabs(-0.0), math.copysign(3, -0.0), math.copysign(-2, 1), math.copysign(1, -math.inf))
print(math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3), math.fmod(5.5, 2), math.fmod(3, math.inf))
print(math.modf(3.25), math.modf(-3.25), math.modf(5.0), math.modf(math.inf), math.modf(-math.inf))
print(math.frexp(8), math.frexp(0.1), math.frexp(-3.0), math.frexp(0.0), math.frexp(5e-324), math.frexp(1e308))
print(math.ldexp(0.5, 4), math.ldexp(1, -1074), math.ldexp(1, -1075), math.ldexp(0.75, -1074), math.ldexp(1, 1023), math.ldexp(7, -3))
print(math.isfinite(1.0), math.isfinite(math.inf), math.isinf(-math.inf), math.isinf(1e308), math.isnan(math.nan), math.isnan(1))
print(math.isclose(1, 1 + 1e-10), math.isclose(1, 1.0001), math.isclose(1, 1.0001, rel_tol=1e-3), math.isclose(0, 1e-12, abs_tol=1e-9), math.isclose(math.inf, math.inf))
print(math.hypot(3, 4), math.hypot(5, 12), math.hypot(), math.hypot(-7), math.hypot(3, 4, 12), math.hypot(math.inf, math.nan))
print(math.dist((0, 0), (3, 4)), math.dist([1, 2, 3], [1, 2, 3]))
print(math.pow(2, 10), math.pow(2, -2), math.pow(4, 0.5), math.pow(-2, 3), math.pow(1, math.nan), math.pow(math.nan, 0), math.pow(-1, math.inf))
print([math.log10(10 ** k) for k in range(0, 23)] == [float(k) for k in range(0, 23)], math.log10(0.001), math.log10(10 ** 300))
print([math.log2(2 ** k) for k in range(0, 64)] == [float(k) for k in range(0, 64)], math.log2(0.125), math.log2(2 ** 2000))
print(math.log(1), math.log(math.e ** 2), math.log(8, 2), math.log(100, 10), round(math.log(10 ** 400), 9))
print(math.exp(0), math.expm1(0), math.log1p(0), math.degrees(math.pi), math.radians(180) == math.pi)
for name in ["exp", "expm1", "log", "log1p", "sin", "cos", "tan", "atan", "sinh", "cosh", "tanh", "asinh", "erf", "erfc"]:
    f = getattr(math, name)
    print(name, [round(f(x), 9) for x in (0.5, 1.0, 2.5, 7.0)])
for name in ["asin", "acos", "atanh"]:
    print(name, [round(getattr(math, name)(x), 9) for x in (-0.9, -0.5, 0.0, 0.25, 0.75)])
print("acosh", [round(math.acosh(x), 9) for x in (1.0, 1.5, 10.0, 1e10)])
print("atan2", [round(math.atan2(y, x), 9) for y, x in ((1, 1), (1, -1), (-1, -1), (0, -1), (0.0, 0.0))])
print("gamma", [round(math.gamma(x), 6) for x in (0.5, 1, 5, 10.5, -1.5, -0.5)], math.gamma(1), math.gamma(6))
print("lgamma", [round(math.lgamma(x), 9) for x in (0.5, 3, 10.5, 100, -2.5)], math.lgamma(1), math.lgamma(2))
print(math.factorial(0), math.factorial(1), math.factorial(20), math.factorial(25), math.factorial(70))
print(math.gcd(12, 18), math.gcd(), math.gcd(7), math.gcd(-12, 18, 30), math.gcd(0, 0), math.gcd(2 ** 100, 6 ** 60), math.gcd(3 * 2 ** 70, 9 * 2 ** 65))
print(math.lcm(4, 6), math.lcm(), math.lcm(3, 0), math.lcm(-4, 6), math.lcm(2 ** 40, 3 ** 30, 10))
print(math.comb(10, 3), math.comb(10, 0), math.comb(5, 7), math.comb(60, 30), math.comb(10 ** 20, 2), math.comb(100, 97))
print(math.perm(5, 2), math.perm(5), math.perm(5, 0), math.perm(3, 4), math.perm(30, 10))
print(math.isqrt(0), math.isqrt(1), math.isqrt(15), math.isqrt(16), math.isqrt(2 ** 61 - 1), math.isqrt(10 ** 41), math.isqrt(1073741823))
print(math.prod([1, 2, 3, 4]), math.prod([]), math.prod([2.5, 4]), math.prod(range(1, 26)), math.prod([3], start=5))
print(math.fsum([0.1] * 10), sum([0.1] * 10), math.fsum([1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50]), math.fsum([]), math.fsum(range(5)))
print(math.fsum([math.inf, 1]), math.fsum([-math.inf, 2.5]), math.fsum([1e308, -1e308, 1e308]))


class Real:
    def __float__(self):
        return 2.25


class Idx:
    def __index__(self):
        return 6


print(math.sqrt(Real()), math.factorial(Idx()), math.floor(Real.__float__(None)))
errors = [
    lambda: math.sqrt(-1), lambda: math.log(0), lambda: math.log(-2.5), lambda: math.log(0, 2), lambda: math.log10(-1),
    lambda: math.log2(0.0), lambda: math.acos(1.5), lambda: math.asin(-2), lambda: math.atanh(1), lambda: math.acosh(0.5),
    lambda: math.log1p(-1), lambda: math.fmod(1, 0), lambda: math.fmod(math.inf, 2), lambda: math.pow(0, -1),
    lambda: math.pow(-8, 1 / 3), lambda: math.sin(math.inf), lambda: math.gamma(0), lambda: math.gamma(-3),
    lambda: math.lgamma(-2), lambda: math.factorial(-1), lambda: math.isqrt(-4), lambda: math.comb(-1, 2),
    lambda: math.comb(4, -2), lambda: math.perm(-3), lambda: math.isclose(1, 2, rel_tol=-0.1), lambda: math.dist((1,), (1, 2)),
    lambda: math.fsum([math.inf, -math.inf]), lambda: math.floor(math.nan), lambda: math.ceil(math.inf),
    lambda: math.trunc(-math.inf), lambda: math.exp(1000), lambda: math.cosh(1000), lambda: math.sinh(-1000),
    lambda: math.ldexp(1, 5000), lambda: math.pow(10, 400), lambda: math.fsum([1e308, 1e308]),
    lambda: math.gamma(300), lambda: math.log(2, 1), lambda: math.sqrt("4"), lambda: math.floor("x"),
    lambda: math.factorial(2.0), lambda: math.gcd(2.5), lambda: math.isqrt(4.0), lambda: math.comb(5.0, 2),
    lambda: math.ldexp(1.0, 2.0), lambda: math.sqrt(10 ** 400), lambda: math.hypot("a"), lambda: math.prod(5),
]
for f in errors:
    try:
        print(f())
    except (ValueError, OverflowError, ZeroDivisionError, TypeError) as e:
        print(type(e).__name__)
