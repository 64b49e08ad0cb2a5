# json: dumps options, loads of every value kind, errors with positions, dump/load through file-like objects
import json
print(json.dumps([1, 2.5, "a\"b\\c\n\t\x01é€😀", None, True, False, {"k": [1, {"z": []}]}, (), {}, 10**30, -0.0, 1e100, float('inf'), float('nan')]))
print(json.dumps({"b": 1, "a": 2, 3: 4, 1.5: 5, True: 6, None: 7}, sort_keys=False))
print(json.dumps({"b": 1, "a": [1, 2], "c": {}}, sort_keys=True, indent=2))
print(json.dumps([1, [2, 3], {"x": []}], indent=0))
print(json.dumps([1, [2, 3], {"x": 1}], indent="\t"))
print(json.dumps({"a": 1, "b": 2}, separators=(',', ':')))
print(json.dumps("é", ensure_ascii=False))
print(json.loads('{"a": [1, 2.5, -3, 1e3, 1E-2, 0, -0, -0.0, 12345678901234567890123], "b": null, "c": true, "d": false, "e": "x\\ny\\u00e9\\ud83d\\ude00\\/"}'))
print(json.loads(' [ ] '), json.loads('{}'), json.loads('"s"'), json.loads('123'), json.loads(b'[1]'), json.loads('[[[[]]]]'), json.loads('NaN'), json.loads('-Infinity'))
print(json.loads('{"a": {"b": {"c": [1, {"d": 2}]}}, "e": [[], {}]}'))
for bad in ['', '[', '[1,]', '{"a" 1}', '{"a": 1,}', '{1: 2}', '[1 2]', '"abc', '01', '[1] x', 'tru', '"\\x"', '"a\nb"', '{"a": 1', '-', '1.', '.5']:
    try:
        print(json.loads(bad))
    except ValueError as e:
        print('ValueError', e)
for bad in [object(), {(1, 2): 3}, set()]:
    try: json.dumps(bad)
    except TypeError as e: print('TypeError', e)
l = []; l.append(l)
try: json.dumps(l)
except ValueError as e: print('ValueError', e)
try: json.loads(5)
except TypeError as e: print('TypeError', e)
class W:
    def __init__(self): self.parts = []
    def write(self, s): self.parts.append(s)
    def read(self): return '{"x": [1, 2]}'
w = W(); json.dump({"a": [1]}, w); print(''.join(w.parts)); print(json.load(w))
d = json.loads('[' * 300 + ']' * 300); print(type(d))
