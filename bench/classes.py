# Classes and method calls: a small particle simulation and a bank, with inheritance, super() calls, properties,
# special methods (__add__, __eq__, __lt__, __len__, __iter__, __repr__), class attributes, a staticmethod and
# exceptions. (No property read through super(): MicroPython returns the property object itself.)


class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y)

    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y)

    def scale(self, k):
        return Vec(self.x * k, self.y * k)

    def dot(self, o):
        return self.x * o.x + self.y * o.y

    def __eq__(self, o):
        return self.x == o.x and self.y == o.y

    def __repr__(self):
        return "Vec(%d, %d)" % (self.x, self.y)


class Body:
    count = 0

    def __init__(self, pos, vel):
        self.pos = pos
        self.vel = vel
        Body.count += 1
        self.bounces = 0

    def step(self, w, h):
        p = self.pos + self.vel
        v = self.vel
        if p.x < 0 or p.x >= w:
            v = Vec(-v.x, v.y)
            self.bounces += 1
        if p.y < 0 or p.y >= h:
            v = Vec(v.x, -v.y)
            self.bounces += 1
        self.vel = v
        self.pos = self.pos + v

    @property
    def energy(self):
        return self.vel.dot(self.vel)

    def describe(self):
        return "body at %r" % (self.pos,)

    def __lt__(self, o):
        return (self.bounces, self.pos.x, self.pos.y) < (o.bounces, o.pos.x, o.pos.y)


class Heavy(Body):
    def __init__(self, pos, vel, mass):
        super().__init__(pos, vel)
        self.mass = mass

    @property
    def energy(self):
        return self.mass * self.vel.dot(self.vel)

    def describe(self):
        return "heavy " + super().describe()

    def step(self, w, h):
        Body.step(self, w, h)
        if self.bounces % 4 == 3:
            self.vel = self.vel.scale(1)


class World:
    def __init__(self, w, h):
        self.w = w
        self.h = h
        self.bodies = []

    def add(self, b):
        self.bodies.append(b)
        return self

    def __len__(self):
        return len(self.bodies)

    def __iter__(self):
        return iter(self.bodies)

    def tick(self):
        w = self.w
        h = self.h
        for b in self.bodies:
            b.step(w, h)

    @staticmethod
    def collisions(bodies):
        seen = {}
        hits = 0
        for b in bodies:
            key = (b.pos.x, b.pos.y)
            if key in seen:
                hits += 1
            else:
                seen[key] = b
        return hits


class Account:
    def __init__(self, owner, balance=0):
        self.owner = owner
        self._balance = balance
        self.history = []

    def deposit(self, amount):
        self._balance += amount
        self.history.append(amount)

    def withdraw(self, amount):
        if amount > self._balance:
            raise ValueError("insufficient")
        self._balance -= amount
        self.history.append(-amount)

    @property
    def balance(self):
        return self._balance


world = World(97, 61)
for i in range(60):
    pos = Vec((i * 17) % 97, (i * 29) % 61)
    vel = Vec(i % 5 - 2 or 1, i % 7 - 3 or 2)
    world.add(Heavy(pos, vel, i % 3 + 1) if i % 4 == 0 else Body(pos, vel))
hits = 0
for t in range(1500):
    world.tick()
    if t % 10 == 0:
        hits += World.collisions(world)
energy = sum(b.energy for b in world)
top = sorted(world)[-1]
desc = [b.describe() for b in world]

accounts = [Account("acct%d" % i, 100) for i in range(50)]
failed = 0
for k in range(60000):
    a = accounts[k % 50]
    b = accounts[(k * 7 + 3) % 50]
    amt = (k * 13) % 97 + 1
    try:
        a.withdraw(amt)
        b.deposit(amt)
    except ValueError:
        failed += 1
total = sum(a.balance for a in accounts)
richest = max(accounts, key=lambda a: (a.balance, a.owner))

result = (len(world), Body.count, hits, energy, sum(b.bounces for b in world), top.pos, failed, total, richest.owner,
          richest.balance, top.pos == Vec(top.pos.x, top.pos.y), desc[0], desc[1])
assert result == (60, 60, 46, 506, 4380, Vec(85, 52), 3166, 5000, "acct5", 246, True, "heavy body at Vec(72, 60)",
                  "body at Vec(53, 45)"), result
print("classes", result)
