# Dicts: counting words, grouping into a dict of lists, inverting, merging, membership tests, get/setdefault/pop,
# and a memo table. Output never depends on dict order (MicroPython's dicts are unordered).

VOCAB = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau "
         "upsilon phi chi psi omega").split()


def words(n):
    x = 7
    out = []
    k = len(VOCAB)
    for i in range(n):
        x = (x * 75 + 74) % 65537
        w = VOCAB[x % k]
        if x % 5 == 0:
            w = w + str(x % 37)
        out.append(w)
    return out


def count(ws):
    counts = {}
    for w in ws:
        counts[w] = counts.get(w, 0) + 1
    return counts


def group_by_initial(ws):
    groups = {}
    for w in ws:
        groups.setdefault(w[0], []).append(w)
    return groups


def grid_paths(w, h, memo):
    key = w * 1000 + h  # not (w, h): MicroPython hashes a tuple as the sum of its items' hashes
    if key in memo:
        return memo[key]
    if w == 0 or h == 0:
        r = 1
    else:
        r = (grid_paths(w - 1, h, memo) + grid_paths(w, h - 1, memo)) % 1000003
    memo[key] = r
    return r


ws = words(120000)
counts = count(ws)
top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
groups = group_by_initial(ws)
sizes = sorted((k, len(v)) for k, v in groups.items())
by_count = {}
for w, c in counts.items():
    by_count.setdefault(c, set()).add(w)
inverted = {v: k for k, v in enumerate(sorted(counts))}
merged = dict(counts)
merged.update({k: -1 for k in VOCAB[:5]})
removed = 0
for k in list(merged):
    if merged[k] < 3000:
        merged.pop(k)
        removed += 1
hits = 0
for i in range(60000):
    if VOCAB[i % 24] + str(i % 41) in counts:
        hits += 1
memo = {}
for w in range(151):
    for h in range(151):
        paths = grid_paths(w, h, memo)  # in this order each call recurses one level
ints = {}
for i in range(30000):
    ints[i * 7919 % 1000003] = i
isum = 0
for i in range(30000):
    isum += ints.get(i * 7919 % 1000003, 0) + ints.get(i * 13, 0)
del ints[0]

result = (len(counts), top, sizes[:4], len(by_count), inverted["omega"], len(merged), removed, hits, paths,
          len(memo), len(ints), isum)
assert result == (912, [("xi", 4055), ("iota", 4039), ("eta", 4029), ("zeta", 4014), ("pi", 4012)],
                  [("a", 4998), ("b", 4979), ("c", 5006), ("d", 4989)], 27, 456, 19, 893, 54148, 247712, 22801, 29999,
                  463528518), result
print("dicts", result)
