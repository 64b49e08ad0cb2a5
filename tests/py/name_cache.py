# Module-level names (LOAD_NAME / STORE_NAME): the compiled tier caches where the locals dict holds each name. Every
# change below must be seen by the next read at the same site.

total = 0
for i in range(50):
    total = total + i
print("sum", total)

# a name deleted and stored again (its entry moves), read at the same sites
for k in range(6):
    v = k * 10
    if k % 2 == 0:
        del v
        v = -k
    print("v", k, v)

# stored through globals(), read by name
g = globals()
for k in range(4):
    g["w"] = k * 3
    print("w", w)
    w = w + 1
    print("w+1", g["w"])

# enough new names that the dict grows (entries move) between reads of an old one
x0 = 7
for k in range(40):
    g["n%d" % k] = k
    print("x0", x0) if k % 13 == 0 else None
print("n39", n39)

# a builtin shadowed by a global, then the global deleted: the builtin again
for k in range(3):
    if k == 1:
        len = lambda s: -1
    if k == 2:
        del len
    print("len", k, len("abc"))

# class bodies: their own namespace first, then the module's globals, then builtins
for k in range(3):
    class C:
        a = k
        b = a + total
        c = abs(-k)
        a = a * 2
    print("C", C.a, C.b, C.c)

# exec with separate globals and locals dicts: the same code object sees each pair
code = compile("r = q + 1\nq = r * 2\n", "<s>", "exec")
for k in range(4):
    gl = {"q": k}
    lo = {} if k % 2 else {"q": 100}
    exec(code, gl, lo)
    print("exec", k, sorted(lo.items()), sorted(kk for kk in gl if kk != "__builtins__"))

# a name not defined yet: NameError, then defined
for k in range(3):
    try:
        print("late", late)
    except NameError as e:
        print("NameError", e)
    late = k

# str iteration and indexing hand out one object per ASCII character; they still compare and hash as strs
s = "abcabc\u00e9a"
seen = {}
for ch in s:
    seen[ch] = seen.get(ch, 0) + 1
print(sorted(seen.items()))
print([s[i] for i in range(len(s))], s[0] is s[3], chr(97) == s[0], "".join(reversed(s)))

# the kept characters outlive every other reference to them while other small strs reuse the heap
def chars(s):
    return [c for c in s]

first = chars("xyz#")
first = None
junk = ["%d" % (i % 97) + str(i % 7) for i in range(3000)]
print(chars("xyz#"), "".join(chars("xyz#")) == "xyz#", len(junk))
