# io: StringIO and BytesIO (files are tested in tests/mod_io.test.ts with an in-memory file system)
import io

s = io.StringIO("alpha\nbeta\ngamma")
print(s.read(3), s.tell(), repr(s.readline()), repr(s.readline()), repr(s.readline()), repr(s.readline()))
s.seek(0)
print(s.readlines())
s.seek(0)
print([line for line in s])
s.seek(6)
print(s.read(), repr(s.read()))
w = io.StringIO()
print(w.write("abc"), w.write("déf"), w.getvalue())
w.seek(1)
w.write("X")
print(w.getvalue(), w.read())
w.seek(0, 2)
w.write("!")
print(w.getvalue(), w.seek(0), w.read(2))
print(w.readable(), w.writable(), w.closed)
with io.StringIO("ctx") as c:
    print(c.read(), c.closed)
print(c.closed)
for op in (c.read, c.getvalue, lambda: c.write("x"), c.readline):
    try:
        op()
    except ValueError:
        print("ValueError")
try:
    io.StringIO().write(b"x")
except TypeError:
    print("TypeError")
print(io.StringIO(None).getvalue() == "", io.StringIO("").read() == "")
t = io.StringIO("x")
t.truncate(0)
print(repr(t.getvalue()))

b = io.BytesIO(b"abc\ndef")
print(b.read(2), b.readline(), b.read(), b.read(), b.tell())
b.seek(0, 2)
b.write(b"XY")
print(b.getvalue())
b.seek(2)
print(b.read(3), b.seek(-1, 1), b.seek(0, 2))
b.seek(10)
b.write(b"!")
print(b.getvalue())
src = bytearray(b"orig")
b2 = io.BytesIO(src)
b2.write(b"N")
print(src, b2.getvalue())
ba = bytearray(3)
b2.seek(0)
print(b2.readinto(ba), ba, b2.read())
b2.truncate(2)
print(b2.getvalue())
try:
    io.BytesIO().write("s")
except TypeError:
    print("TypeError")
try:
    io.BytesIO(b"x").seek(-5)
except (OSError, ValueError):
    print("seek error")
with io.BytesIO(b"l1\nl2\n") as f:
    print(list(f))


class Upper(io.StringIO):
    def shout(self):
        return self.getvalue().upper()


u = Upper()
u.write("hi\nthere\n")
u.seek(0)
print(u.shout(), [x for x in u], isinstance(u, io.StringIO))
print("to a stream", 1, 2, sep="-", file=u)
print(repr(u.getvalue()))
