# struct: standard sizes and byte orders, native alignment for the types whose size CPython shares, counts, pads,
# strings, floats, 64-bit ints, pack_into/unpack_from/iter_unpack, and format errors (struct.error)
import struct

for fmt in ["<b", "<B", "<h", ">H", "!i", "=I", "<q", ">Q", "<f", ">d", "<?", "<c", "<e"]:
    print(fmt, struct.calcsize(fmt))
print(struct.calcsize("<bhiq"), struct.calcsize(">bhiq"), struct.calcsize("bhiq"), struct.calcsize("@bxhxi"), struct.calcsize("bd"))
print(struct.calcsize("3s2h"), struct.calcsize("<10x"), struct.calcsize("0s"), struct.calcsize("<2i 3h"))
print(struct.pack("<bBhHiI", -1, 255, -2, 65535, -3, 4294967295))
print(struct.pack(">bBhHiI", -1, 255, -2, 65535, -3, 4294967295))
print(struct.pack("<q", -2), struct.pack(">Q", 2 ** 64 - 1), struct.pack("<q", -(2 ** 63)), struct.pack(">q", 2 ** 63 - 1))
print(struct.unpack("<q", b"\xfe\xff\xff\xff\xff\xff\xff\xff"), struct.unpack(">Q", b"\x80" + b"\x00" * 7))
print(struct.unpack("<Q", b"\x01\x02\x03\x04\x05\x06\x07\x08"), struct.unpack(">q", b"\xff\xff\xff\xff\x00\x00\x00\x01"))
print(struct.unpack("<I", b"\xff\xff\xff\xff"), struct.unpack("<i", b"\x00\x00\x00\x80"), struct.unpack(">h", b"\x80\x00"))
print(struct.pack("<fd", 1.5, -0.1), struct.unpack("<fd", struct.pack("<fd", 1.5, -0.1)))
print(struct.pack(">f", 0.1), struct.unpack(">f", struct.pack(">f", 0.1)), struct.pack("<d", float("inf")))
print(struct.pack("<e", 1.5), struct.pack(">e", -2.0), struct.unpack("<e", b"\x00\x3c"), struct.unpack("<e", struct.pack("<e", 65504.0)))
print(struct.unpack("<e", struct.pack("<e", 0.1)), struct.unpack("<e", struct.pack("<e", 1e-7)), struct.pack("<e", float("inf")))
print(struct.pack("<??", 0, "x"), struct.unpack("<???", b"\x00\x01\x02"))
print(struct.pack("<3c", b"a", b"b", b"c"), struct.unpack("<2c", b"xy"))
print(struct.pack("<5s", b"abc"), struct.pack("<2s", b"abcdef"), struct.unpack("<3s2x1s", b"abc\x00\x00d"))
print(struct.pack("<3h", 1, 2, 3), struct.unpack("<3h", b"\x01\x00\x02\x00\x03\x00"), struct.pack("<2x2b", 1, 2))
print(struct.pack("bhi", 1, 2, 3), struct.unpack("bhi", struct.pack("bhi", 1, 2, 3)), struct.pack("bq", 1, 2))
print(struct.pack("<hi", True, False), struct.pack("<H", 0), struct.pack(">I", 0x01020304))
buf = bytearray(12)
struct.pack_into("<hi", buf, 2, 7, -1)
print(buf)
struct.pack_into(">H", buf, -2, 0xABCD)
print(buf, struct.unpack_from("<hi", buf, 2), struct.unpack_from(">H", buf, offset=10), struct.unpack_from("<b", buf, -1))
print(struct.unpack_from("<H", b"\x00\x01\x02"), list(struct.iter_unpack("<h", b"\x01\x00\x02\x00\xff\xff")))
print(struct.unpack("<2h", bytearray(b"\x01\x00\x02\x00")))
for fmt, args in [("z", (1,)), ("<2", ()), ("<3q", (1, 2, 3)), ("<Z", ())]:
    try:
        print(struct.pack(fmt, *args))
    except struct.error:
        print("struct.error", fmt)
    except TypeError:
        print("TypeError", fmt)
for fmt, data in [("<i", b"\x00\x00\x00"), ("<h", b""), ("<y", b"\x00")]:
    try:
        print(struct.unpack(fmt, data))
    except struct.error:
        print("struct.error", fmt)
for off in [10, -20, 11]:
    try:
        struct.pack_into("<h", bytearray(11), off, 1)
        print("ok", off)
    except struct.error:
        print("struct.error", off)
try:
    struct.unpack_from("<i", b"\x00" * 4, 1)
except struct.error:
    print("struct.error unpack_from")
try:
    struct.pack(1, 2)
except TypeError:
    print("TypeError format")
