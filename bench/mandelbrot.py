# Float math: an ASCII Mandelbrot set (float multiply/add in tight loops, comparisons, string building).


def mandel(w, h, max_iter):
    rows = []
    total = 0
    for py in range(h):
        y0 = (py / h) * 2.4 - 1.2
        row = []
        for px in range(w):
            x0 = (px / w) * 3.2 - 2.2
            x = y = 0.0
            i = 0
            while i < max_iter:
                x2 = x * x
                y2 = y * y
                if x2 + y2 > 4.0:
                    break
                y = 2.0 * x * y + y0
                x = x2 - y2 + x0
                i += 1
            total += i
            row.append("#" if i == max_iter else " .:-=+*%@"[i % 9])
        rows.append("".join(row))
    return rows, total


rows, total = mandel(200, 100, 300)
inside = sum(r.count("#") for r in rows)
checksum = 0
for r in rows:
    for ch in r:
        checksum = (checksum * 31 + ord(ch)) % 1000000007
assert (total, inside, checksum) == (1288045, 3989, 141553675), (total, inside, checksum)
print("mandelbrot", total, inside, checksum)
