# Lists and sorting: a deterministic pseudo-random list sorted plainly, by key and reversed (keys are unique where
# order could tie: MicroPython's sort is not stable); slicing, insert/pop, index, zip, list of tuples, a hand-written
# merge sort and quicksort.


def lcg(seed, n):
    out = []
    x = seed
    for _ in range(n):
        x = (x * 75 + 74) % 65537  # small ints only (the ZX81 generator)
        out.append(x)
    return out


def merge_sort(a):
    if len(a) <= 1:
        return a
    mid = len(a) // 2
    left = merge_sort(a[:mid])
    right = merge_sort(a[mid:])
    out = []
    i = j = 0
    while i < len(left) and j < len(right):
        if left[i] <= right[j]:
            out.append(left[i])
            i += 1
        else:
            out.append(right[j])
            j += 1
    out.extend(left[i:])
    out.extend(right[j:])
    return out


def quicksort(a, lo, hi):
    while lo < hi:
        p = a[(lo + hi) // 2]
        i, j = lo, hi
        while i <= j:
            while a[i] < p:
                i += 1
            while a[j] > p:
                j -= 1
            if i <= j:
                a[i], a[j] = a[j], a[i]
                i += 1
                j -= 1
        if j - lo < hi - i:
            quicksort(a, lo, j)
            lo = i
        else:
            quicksort(a, i, hi)
            hi = j


data = lcg(42, 40000)
s1 = sorted(data)
s2 = sorted(data, key=lambda v: (v % 1000, v))
s3 = sorted(data, reverse=True)
pairs = [(v % 97, i) for i, v in enumerate(data[:20000])]
pairs.sort(key=lambda p: p[0] * 100000 + p[1])  # unique keys: MicroPython's sort is not stable
stable = all(pairs[k][0] < pairs[k + 1][0] or pairs[k][1] < pairs[k + 1][1] for k in range(len(pairs) - 1))
ms = merge_sort(data[:20000])
qs = data[:30000]
quicksort(qs, 0, len(qs) - 1)
assert ms == sorted(data[:20000]) and qs == sorted(data[:30000])

work = list(range(3000))
for k in range(3000):
    v = work.pop(k % len(work))
    work.insert((k * 7) % (len(work) + 1), v)
rev = work[::-1]
chunks = [sum(work[i:i + 100]) for i in range(0, len(work), 100)]
idx = work.index(1234)
matrix = [[(r * c) % 7 for c in range(60)] for r in range(60)]
transposed = [list(col) for col in zip(*matrix)]
diag = sum(transposed[i][i] for i in range(60))

result = (s1[0], s1[-1], s1[20000], s2[:3], s3[:2], stable, ms[100], qs[-1], rev[:3], max(chunks), min(chunks), idx, diag)
assert result == (1, 65535, 32675, [1000, 2000, 4000], [65535, 65532], True, 350, 65535, [2808, 2198, 2806], 215710,
                  101749, 1676, 119), result
print("lists", result)
