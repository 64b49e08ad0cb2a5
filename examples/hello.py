# A first program: runs the same on the host, in the simulator and on a board.
import sys

def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a

print("Hello from espy on", sys.platform)
print("fib(90) =", fib(90))
print("2 ** 100 =", 2 ** 100)
print("squares:", [x * x for x in range(8)])
