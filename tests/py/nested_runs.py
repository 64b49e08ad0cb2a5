# Python code that native code runs (dunders, properties, generators consumed by sum()), raising and catching
# exceptions inside it and out of it: the tier runs these frames first, and execute() unwinds what it throws.
class V:
    def __init__(self, x):
        self.x = x
    def __add__(self, o):
        try:
            if o.x < 0:
                raise ValueError("neg")
            return V(self.x + o.x)
        except ValueError as e:
            return V(-1000)
    def __eq__(self, o):
        if o.x == 3:
            raise KeyError(o.x)
        return self.x == o.x
    @property
    def p(self):
        if self.x > 5:
            return -self.x
        return self.x
    def __getattr__(self, n):
        return "fallback " + n
def gen(n):
    for i in range(n):
        if i == 7:
            raise IndexError("seven")
        yield i
out = []
for r in range(30):
    a = V(r) + V(1 if r % 3 else -1)
    try:
        out.append(V(r % 5) == V(3))
    except KeyError as e:
        out.append(("key", e.args))
    try:
        out.append(sum(gen(r % 10)))
    except IndexError as e:
        out.append(str(e))
    out.append((a.x, V(r % 8).p))
print(out)


# a property whose getter raises AttributeError: __getattr__ answers instead
class W:
    def __init__(self, x):
        self.x = x

    @property
    def p(self):
        if self.x > 2:
            raise AttributeError("big")
        return self.x

    def __getattr__(self, n):
        return "fallback " + n


print([W(i).p for i in range(5)], [getattr(W(i), "p", None) for i in range(5)], hasattr(W(9), "p"))
