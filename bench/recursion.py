# Recursion: naive Fibonacci, Takeuchi, Ackermann and Hanoi (many calls, small-int arithmetic). Depth stays near 100:
# MicroPython's WebAssembly port stops at about 150 frames ("maximum recursion depth exceeded").


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def tak(x, y, z):
    if y < x:
        return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))
    return z


def ack(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ack(m - 1, 1)
    return ack(m - 1, ack(m, n - 1))


def hanoi(n, a, b, c, moves):
    if n:
        hanoi(n - 1, a, c, b, moves)
        moves[a * 3 + c] += 1
        hanoi(n - 1, c, b, a, moves)


f = fib(28)
assert f == 317811, f
t = 0
for i in range(4):
    t += tak(18, 12, 6)
assert t == 28, t
a = 0
for i in range(150):
    a += ack(2, 50)  # depth about 100: MicroPython's WebAssembly port stops near 150
assert a == 150 * 103, a
moves = [0] * 9
hanoi(17, 0, 1, 2, moves)
assert sum(moves) == 2 ** 17 - 1 and moves[2] == 29133, moves
print("recursion", f, t, a, moves)
