# Attribute and method lookups that repeat at one place in the code, while what they should find changes: the
# compiled tier caches where an instance keeps an attribute and which function a method is, and each case here is one
# way for such a cache to go stale. Every function runs its accesses in a loop so the same site sees each change.


class A:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def get(self):
        return self.x

    def put(self, v):
        self.x = v


class B(A):
    def __init__(self, x, y):
        self.y = y  # the other order: x is the second entry here
        self.x = x


class C(A):
    def get(self):
        return -self.x


def read_x(objs):
    return [o.x for o in objs]


def call_get(objs):
    return [o.get() for o in objs]


def write_x(objs, v):
    for o in objs:
        o.x = v
        o.put(o.x + 1)
    return read_x(objs)


objs = [A(1, 2), B(3, 4), C(5, 6), A(7, 8), B(9, 10), C(11, 12)]
for _ in range(3):
    print(read_x(objs), call_get(objs), write_x(objs, 20))

# instances of one class that got their attributes in different orders
class O(A):
    def __init__(self):
        pass


o1 = O()
o1.x = 1
o1.y = 2
o2 = O()
o2.y = 3
o2.x = 4
print(read_x([o1, o2, o1, o2]), write_x([o2, o1, o2], 5))

# an attribute deleted and added again moves to the end of the instance's dict
a = A(1, 2)
for i in range(4):
    print(read_x([a]))
    del a.x
    a.x = i * 10
    print(read_x([a]), a.y)

# a property added to the class later takes over from the instance's own attribute (a data descriptor wins)
p = A(5, 6)
b0 = B(0, 0)
print(read_x([p, p]))
A.x = property(lambda self: 99)
print(read_x([p, p]), read_x([b0]))
del A.x
print(read_x([p, p]))

# a plain class attribute does not hide an instance's own one, and is found when the instance has none
A.z = 7
q = A(1, 1)
print([o.z for o in [q, q]])
q.z = 8
print([o.z for o in [q, q, A(2, 2)]])
del A.z

# a method shadowed by a callable the instance keeps, then the shadow removed
s = A(3, 4)
print(call_get([s, s]))
s.get = lambda: "own"
print(call_get([s, s]))
del s.get
print(call_get([s, s]))

# a method replaced on the class, and one added to a subclass
A.get = lambda self: self.x * 100
print(call_get([A(1, 0), B(2, 0), C(3, 0)]))
B.get = lambda self: "B"
print(call_get([A(1, 0), B(2, 0), C(3, 0)]))
del B.get


# __setattr__ and __getattribute__ given to a class after its instances' attributes were cached
class D:
    def __init__(self):
        self.v = 1


d = D()
for i in range(3):
    d.v = i
print(read_x([A(4, 4)]), [o.v for o in [d, d]])
D.__setattr__ = lambda self, k, v: object.__setattr__(self, k, v * 2)
for i in range(3):
    d.v = i
print([o.v for o in [d, d]])
D.__getattribute__ = lambda self, k: "got " + k
print([o.v for o in [d, d]])


# an instance whose class changes under the cache
class E:
    def __init__(self):
        self.x = "e"

    def get(self):
        return "E.get"


e = A(1, 2)
print(read_x([e, e]), call_get([e]))
e.__class__ = E
print(read_x([e, e]), call_get([e, e]))

# many attributes: the dict gets a hash index, the entries keep their order
class Many:
    pass


m = Many()
for i in range(20):
    setattr(m, "a%d" % i, i)
m.x = "many"
print(read_x([m, m, A(0, 0), m]))
for i in range(0, 20, 2):
    delattr(m, "a%d" % i)
m.x = "still"
print(read_x([m, m]), sorted(m.__dict__)[:3])

# the dict changed behind the attribute syntax
f = A(1, 2)
print(read_x([f, f]))
f.__dict__["x"] = "via dict"
print(read_x([f, f]))
f.__dict__.clear()
f.__dict__["y"] = 0
f.__dict__["x"] = "second"
print(read_x([f, f]))
try:
    del f.__dict__["x"]
    read_x([f])
except AttributeError as exc:
    print("AttributeError", exc)


# attributes added in __init__ (appended to each new instance's dict), with instances that already have some
class G:
    def __init__(self, a, b):
        self.a = a
        self.b = b
        self.c = a + b


class H(G):
    def __init__(self, a, b):
        self.c = 0  # already there when G.__init__ adds a and b
        G.__init__(self, a, b)


def make(n):
    out = []
    for i in range(n):
        g = G(i, 1) if i % 3 else H(i, 2)
        if i % 4 == 0:
            g.__init__(i, 5)  # again: every attribute exists, nothing is added
        if i % 5 == 0:
            del g.b
            G.__init__(g, i, 6)  # b added back after c
        out.append((g.a, g.b, g.c, sorted(g.__dict__)))
    return out


for row in make(12):
    print(row)
G.b = property(lambda self: "class b", lambda self, v: None, lambda self: None)  # now a data descriptor: the instance keeps no b
print(make(3))
del G.b
print(make(3))


# an attribute an instance already has, at a place where the last store added it to another instance
class K:
    def __init__(self):
        self.p = 1


for i in range(3):
    k1 = K()
    k2 = K.__new__(K)
    k2.q = 0
    k2.p = 5
    K.__init__(k2)
    print(len(k2.__dict__), sorted(k2.__dict__.items()), k1.__dict__)
