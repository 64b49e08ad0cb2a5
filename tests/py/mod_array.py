# array.array: construction from iterables and bytes, indexing, slices, append/extend, + and +=, comparisons,
# bytes conversions, iteration; typecodes whose sizes CPython shares with MicroPython (not l/L)
from array import array
import array as array_module

a = array("i", [1, 2, 3])
print(a, len(a), a[0], a[-1], a[1:], a[::-1], a[::2], list(a), bool(a), bool(array("i")))
print(array("b"), array("B", b"abc"), array("h", (1, -2)), array("H", range(5)), array("q", [2 ** 62, -(2 ** 63)]))
print(array("Q", [2 ** 64 - 1, 0]), array("f", [1.5, 0.1]), array("d", [0.1, -2.5e300]), array("I", [4294967295]))
print(array("i", (x * x for x in range(6))), array("h", array("b", [1, -1])), array("B", bytearray(b"\x01\x02")))
print(array("h", b"\x01\x00\xff\xff"), array("i", b"\x00" * 8), array_module.array is array)
print(a.typecode, a.itemsize, array("b").itemsize, array("h").itemsize, array("q").itemsize, array("d").itemsize)
a.append(4)
a.extend([5, 6])
a.extend(array("i", [7]))
a.extend(x for x in (8, 9))
print(a)
b = a
a += array("i", [10])
print(b is a, b)
print(a + array("i", [11]), array("d") + array("d", [1.0]))
a[0] = 100
a[-1] = -100
print(a)
a[1:3] = array("i", [20, 30, 40])
print(a)
a[::2] = array("i", [0] * len(a[::2]))
print(a)
a[2:] = array("i")
print(a, len(a))
print(array("i", [1, 2]) == array("i", [1, 2]), array("i", [1, 2]) != array("i", [1, 3]), array("b", [1]) == array("B", [1]))
print(array("i", [1, 2]) < array("i", [1, 3]), array("i", [1, 2]) < array("i", [1, 2, 0]), array("h", [5]) >= array("h", [4, 9]))
print(array("b", [1, 2]) == b"\x01\x02", array("i") == [], array("B", [1, 1]) <= array("B", [1, 1]))
print(bytes(array("h", [1, 2])), bytes(array("B", [255])), bytearray(array("i", [1])), array("f", [1.0]).tobytes())
c = array("h")
c.frombytes(b"\x01\x00\x02\x00")
print(c, c.tolist(), 2 in c, 5 in c, [x * 2 for x in c], sum(array("d", [0.5, 0.25])))
print(b"ab" + array("b", [99]), array("b", [1, 2]) in b"\x00\x01\x02", bytearray(b"x") + array("B", [121]))


class X(array):
    pass


x = X("b", [1, 2])
print(len(x), x[0], list(x), x == array("b", [1, 2]), bytes(x), isinstance(x, array))
for bad in [lambda: a[10], lambda: array("i")[0], lambda: array("i", [1]).__setitem__(5, 1)]:
    try:
        bad()
    except IndexError as e:
        print("IndexError", e)
for bad in [lambda: array("X"), lambda: array("h", b"\x00\x00\x00")]:
    try:
        bad()
    except ValueError:
        print("ValueError")
for bad in [lambda: array("i", ["x"]), lambda: array("i", [1.5]), lambda: array(5), lambda: array("i", "abc"),
            lambda: array("i", [1]) + array("h", [1]), lambda: array("i", [1]) + [2], lambda: hash(array("i")),
            lambda: array("i").append("x"), lambda: array("f", ["1"]), lambda: array("i", [1]) < [1]]:
    try:
        bad()
    except TypeError:
        print("TypeError")
