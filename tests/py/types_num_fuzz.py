# Pseudo-random int and float arithmetic against CPython: small/big ints of both signs, mixed with floats
seed = 5
def rnd(n):
    global seed
    seed = (seed * 1103515245 + 12345) % 2147483648
    return (seed >> 8) % n
def rint():
    k = rnd(5)
    bits = [3, 29, 31, 62, 200][k]
    v = 0
    for _ in range(bits // 20 + 1):
        v = (v << 20) | rnd(1 << 20)
    v >>= max(0, (bits // 20 + 1) * 20 - bits)
    return -v if rnd(2) else v
def rfloat():
    return rint() / (rnd(1000) + 1) if rnd(2) else float(rint()) * pick([1.0, 0.5, 1e-10, 1e10])
def pick(xs):
    return xs[rnd(len(xs))]
ops = ["+", "-", "*", "//", "%", "<<", ">>", "&", "|", "^", "divmod", "pow", "powmod", "cmp", "/", "round", "hash", "str", "hex", "bytes", "float"]
for i in range(2500):
    op = pick(ops)
    a = rint() if rnd(4) else rfloat()
    b = rint() if rnd(4) else rfloat()
    try:
        if op == "+": r = a + b
        elif op == "-": r = a - b
        elif op == "*": r = a * b
        elif op == "//": r = a // b
        elif op == "%": r = a % b
        elif op == "<<": r = a << (abs(b) % 200)
        elif op == ">>": r = a >> (abs(b) % 300)
        elif op == "&": r = a & b
        elif op == "|": r = a | b
        elif op == "^": r = a ^ b
        elif op == "divmod": r = divmod(a, b)
        elif op == "pow": r = a ** (b % 7) if isinstance(b, int) else abs(a) ** b
        elif op == "powmod": r = pow(a, abs(b) % 100, b or 7)
        elif op == "cmp": r = (a < b, a <= b, a == b, a != b, a > b, a >= b)
        elif op == "/": r = a / b
        elif op == "round": r = round(a, rnd(20) - 10)
        elif op == "hash": r = hash(a) == hash(float(a)) if isinstance(a, int) and abs(a) < 2**53 else int(a) == a
        elif op == "str": r = int(str(a)) == a if isinstance(a, int) else float(repr(a)) == a
        elif op == "hex": r = (hex(a), oct(a), bin(a)) if isinstance(a, int) else a.hex()
        elif op == "bytes": r = a.to_bytes(40, "little", signed=True) if isinstance(a, int) else a.as_integer_ratio()
        else: r = float(a)
    except Exception as e:
        r = type(e).__name__ + " " + str(e)
    print(i, op, repr(a), repr(b), repr(r))
