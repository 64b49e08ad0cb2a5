# Builtins read through LOAD_GLOBAL (in functions) and LOAD_NAME (at module level): the compiled tier remembers, per
# site, that the globals dict lacked the name and which builtin it found. Every way to shadow or restore one must be
# seen by the next call at the same site.
import builtins


def n(x):
    return len(x)


for i in range(20):
    r = n("abc")
print("start", r)

# a global of the same name shadows the builtin; deleting it brings the builtin back
len = lambda x: -1
print("global", n("abc"))
del len
print("deleted", n("abc"))

# a new key in the builtins module's dict shadows the static builtin; replacing that key is seen too
orig_len = builtins.len
builtins.len = lambda x: 7
print("builtins.len", n("abc"))
builtins.len = lambda x: 8
print("replaced", n("abc"))
builtins.len = orig_len
print("restored", n("abc"))

# the same code object run against fresh globals dicts (the site's cache names one dict)
code = compile("def h():\n    return min(3, 4) + abs(-2)\n", "<h>", "exec")
for k in range(6):
    g = {}
    exec(code, g)
    for i in range(15):
        r = g["h"]()
    if k % 2:
        g["min"] = max
    print("exec", k, r, g["h"]())

# module-level reads of a builtin in a loop, shadowed and unshadowed between iterations
out = []
for k in range(30):
    if k == 10:
        abs = lambda v: "mine"
    if k == 20:
        del abs
    out.append(abs(-k))
print("loop", out[9], out[10], out[19], out[20], out[29])

# many new globals (the dict grows and its entries move) after a builtin was cached, then one that shadows it
for k in range(40):
    globals()["v%d" % k] = k
print("grown", n("abcd"), v39)
globals()["len"] = lambda x: "late"
print("shadow after growth", n("abcd"))
del globals()["len"]
print("unshadowed", n("abcd"))

# a name that is nowhere: NameError every time, then defined as a global
def m():
    return nothere


for k in range(3):
    try:
        print("got", m())
    except NameError as e:
        print("NameError", e)
    if k == 1:
        nothere = "now"
