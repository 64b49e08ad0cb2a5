# binascii: hex and base64 both ways, crc32, and the errors of bad input
import binascii
print(binascii.hexlify(b'\x01\xab\xff'), binascii.hexlify(b'\x01\x02', b':'), binascii.hexlify(b'abc', '-'))
print(binascii.unhexlify('01abFF'), binascii.unhexlify(b'6162'))
for s in [b'', b'f', b'fo', b'foo', b'foob', b'fooba', b'foobar', bytes(range(256))]:
    e = binascii.b2a_base64(s)
    assert binascii.a2b_base64(e) == s
    print(e, binascii.b2a_base64(s, newline=False))
print(binascii.a2b_base64('Zm9v\nYmFy'), binascii.a2b_base64(b'Zg=='), binascii.a2b_base64('Zg===='), binascii.a2b_base64('Zm9=v'))
print(binascii.crc32(b'hello'), binascii.crc32(b' world', binascii.crc32(b'hello')), binascii.crc32(b''), binascii.crc32(b'a', -1))
for bad in ['abc', 'zz', b'0g']:
    try: binascii.unhexlify(bad)
    except ValueError as e: print('ValueError')
for bad in ['Zm9', 'Z', 'Zm9vY']:
    try: binascii.a2b_base64(bad)
    except ValueError as e: print('ValueError', e)
try: binascii.hexlify('abc')
except TypeError: print('TypeError')
try: binascii.crc32(1)
except TypeError: print('TypeError')
