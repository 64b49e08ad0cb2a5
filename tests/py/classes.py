class Shape:
    count = 0
    def __init__(self, name):
        self.name = name
        Shape.count += 1
    def area(self):
        raise NotImplementedError
    def __repr__(self):
        return f"{type(self).__name__}({self.name!r}, area={self.area():.2f})"
    def __lt__(self, other):
        return self.area() < other.area()
    def __eq__(self, other):
        return isinstance(other, Shape) and self.area() == other.area()
    __hash__ = None

class Rect(Shape):
    def __init__(self, w, h):
        super().__init__("rect")
        self.w, self.h = w, h
    def area(self):
        return self.w * self.h

class Square(Rect):
    def __init__(self, s):
        super().__init__(s, s)
        self.name = "square"

class Circle(Shape):
    def __init__(self, r):
        super().__init__("circle")
        self.r = r
    def area(self):
        return 3.14159 * self.r ** 2
    @property
    def diameter(self):
        return 2 * self.r
    @diameter.setter
    def diameter(self, d):
        self.r = d / 2
    @classmethod
    def unit(cls):
        return cls(1)
    @staticmethod
    def describe():
        return "round"

shapes = [Rect(2, 3), Square(2), Circle(1), Circle.unit()]
print(sorted(shapes))
print(Shape.count, Circle.describe())
c = Circle(3)
c.diameter = 10
print(c.r, c.diameter)
print(Square(3) == Rect(1, 9), Square(3) == 9)
print(isinstance(Square(1), Rect), issubclass(Square, Shape), Square.__mro__)

class A:
    def who(self): return "A"
class B(A):
    def who(self): return "B" + super().who()
class C(A):
    def who(self): return "C" + super().who()
class D(B, C):
    def who(self): return "D" + super().who()
print(D().who(), [k.__name__ for k in D.__mro__])

class Vec:
    def __init__(self, *xs): self.xs = list(xs)
    def __add__(self, o): return Vec(*[a + b for a, b in zip(self.xs, o.xs)])
    def __mul__(self, k): return Vec(*[a * k for a in self.xs])
    __rmul__ = __mul__
    def __len__(self): return len(self.xs)
    def __getitem__(self, i): return self.xs[i]
    def __iter__(self): return iter(self.xs)
    def __contains__(self, x): return x in self.xs
    def __bool__(self): return any(self.xs)
    def __repr__(self): return "Vec%r" % (tuple(self.xs),)
v = Vec(1, 2, 3)
print(v + v, 2 * v, v * 3, len(v), v[1], list(v), 2 in v, bool(Vec(0, 0)))
class SetSpecific:
    def __init__(self, sib_name, sib_replace):
        self.sib_name = sib_name
        self.sib_replace = sib_replace
    def __set_name__(self, owner, name):
        print("set_name", name)
        setattr(owner, self.sib_name, self.sib_replace)
class T:
    a = SetSpecific("b", 312)
    b = SetSpecific("a", 311)
    c = SetSpecific("d", 1)
print(T.a, T.b, T.d)
