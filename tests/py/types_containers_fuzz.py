# Pseudo-random list, bytearray, dict and set operations against CPython (slices, deletions, views, set algebra)
seed = 9
def rnd(n):
    global seed
    seed = (seed * 1103515245 + 12345) % 2147483648
    return (seed >> 8) % n
def pick(xs):
    return xs[rnd(len(xs))]
def ridx():
    return pick([None, 0, 1, 2, -1, -2, 4, 9, -9])
def rslice():
    return slice(ridx(), ridx(), pick([None, None, 1, 2, -1, -2, 3]))
L = list(range(8))
BA = bytearray(b"abcdefgh")
D = {i: i * i for i in range(6)}
S = set(range(5))
for i in range(2500):
    k = rnd(22)
    try:
        if k == 0: L[rslice()] = [rnd(9) for _ in range(rnd(4))]; r = L
        elif k == 1: del L[rslice()]; r = L
        elif k == 2: L.insert(ridx() or 0, rnd(9)); r = L
        elif k == 3: r = (L.pop(ridx() if rnd(2) else -1), L)
        elif k == 4: r = L[rslice()]
        elif k == 5: BA[rslice()] = bytes(rnd(200) for _ in range(rnd(4))); r = BA
        elif k == 6: del BA[rslice()]; r = BA
        elif k == 7: r = BA[rslice()]
        elif k == 8: D[rnd(10)] = rnd(100); r = sorted(D.items())
        elif k == 9: r = (D.pop(rnd(10), None), sorted(D))
        elif k == 10: r = sorted(D.keys() & set(range(rnd(8))))
        elif k == 11: r = sorted(D.keys() ^ {rnd(10), rnd(10)})
        elif k == 12: r = sorted(D.items() - {(2, 4), (rnd(6), rnd(30))})
        elif k == 13: S ^= {rnd(8), rnd(8)}; r = sorted(S)
        elif k == 14: S -= {rnd(8)}; r = sorted(S)
        elif k == 15: S |= set(range(rnd(4))); r = sorted(S)
        elif k == 16: r = (S < set(range(8)), S <= S, S > {1}, S == set(S), S.isdisjoint({rnd(8)}), sorted(S.intersection(range(rnd(8)), [1, 2, 3])))
        elif k == 17: r = (L == sorted(L), L < [3, 1], L.count(rnd(9)), L.index(L[0]) if L else None, sorted(L, reverse=True))
        elif k == 18: L.extend(range(rnd(3))); L = L[-12:]; r = L
        elif k == 19: r = (list(reversed(D)), list(reversed(D.values())), D == dict(D), D.keys() == set(D))
        elif k == 20: BA.extend(b"xy"); BA = BA[-10:]; r = (BA, BA.find(b"x"), BA.count(120), bytes(BA).hex())
        else: r = (len(L), len(BA), len(D), len(S), bool(D.keys()), tuple(L[:3]) + (1,))
    except Exception as e:
        r = type(e).__name__ + " " + str(e)
    print(i, k, repr(r))
