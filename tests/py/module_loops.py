# Loops at module level and in class bodies, which the host tier compiles one loop at a time: every way out of a
# loop (falling off the end, break, for-else, an exception, return from a nested def), nested loops that get hot in
# either order, and the module's names read and written on both sides of each loop.

total = 0
for i in range(50):
    total += i
print("plain", total, i)

# break, continue and else
found = None
for i in range(100):
    if i % 7 != 3:
        continue
    if i > 40:
        found = i
        break
else:
    found = -1
print("break", found)
for i in range(30):
    pass
else:
    print("else ran", i)

# while loops with conditions at either end, and an exit from the middle
n = 0
k = 1
while k < 10000:
    k *= 3
    n += 1
print("while", n, k)
n = 0
while True:
    n += 1
    if n * n > 500:
        break
print("while-true", n)

# nested loops: the inner one gets hot first, then the outer one (whose compiled code holds the inner one too)
grid = []
for r in range(40):
    row = 0
    for c in range(40):
        row += r * c
    grid.append(row)
print("nested", sum(grid), grid[:3], grid[-1])

# an outer loop hot before its inner loops run much
acc = 0
for r in range(200):
    for c in range(r % 3):
        acc += c
    acc += 1
print("outer-first", acc)

# try/except inside the loop (caught every few passes) and around it (the loop left by an exception)
caught = 0
vals = []
for i in range(60):
    try:
        vals.append(10 // (i % 5))
    except ZeroDivisionError:
        caught += 1
print("caught", caught, sum(vals))
try:
    for i in range(100):
        if i == 37:
            raise KeyError(i)
except KeyError as e:
    print("left by", repr(e), i)

# finally around a loop, and a loop inside finally
log = []
try:
    for i in range(20):
        log.append(i)
        if i == 15:
            break
finally:
    for j in range(3):
        log.append(-j)
print("finally", log[-6:])

# names deleted, rebound and read through globals() in a loop
for i in range(30):
    tmpname = i * 2
    if i % 10 == 9:
        del tmpname
print("deleted", "tmpname" in globals())
for i in range(30):
    globals()["g%d" % (i % 3)] = i
print("globals", g0, g1, g2)

# the loop variable and accumulators are module globals, seen by functions called in the loop
def peek():
    return total


seen = []
total = 0
for i in range(25):
    total += i
    seen.append(peek())
print("seen", seen[-3:], total)


# a class body with a loop
class Table:
    squares = []
    for q in range(12):
        squares.append(q * q)
    size = len(squares)


print("class", Table.size, Table.squares[-1], Table.q)

# a comprehension and a generator inside a hot module loop
s = 0
for i in range(40):
    s += sum([j for j in range(i % 4)]) + sum(j for j in range(i % 3))
print("comprehensions", s)

# a float accumulator left unboxed across the loop's back edge, then read after it
x = 0.0
for i in range(100):
    x = x * 0.5 + i
print("float", x)

# unpacking and augmented assignment to subscripts and attributes inside a loop
pairs = [(i, i * i) for i in range(20)]
d = {}
for a, b in pairs:
    d[a % 4] = d.get(a % 4, 0) + b
print("unpack", sorted(d.items()))


class Box:
    pass


bx = Box()
bx.v = 0
for i in range(40):
    bx.v += i
print("attr", bx.v)

# a function too long to compile whole (its loops are compiled one by one), called often enough to get hot
lines = ["def long_fn(n):", "    t = 0"]
for i in range(700):
    lines.append("    t += n * %d %% 7" % i)
lines += ["    for j in range(n):", "        t += j * j % 5", "    return t"]
exec("\n".join(lines))
print("long", [long_fn(k) for k in range(30)][-3:])
