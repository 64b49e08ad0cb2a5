# Runs one benchmark program several times in one process and prints each run's wall time: the first run carries the
# JIT's warm-up (on espy, V8 compiling the tier's generated code), the later ones show the steady state.
# Usage: espy run bench/tools/repeat.py bench/classes.py [runs]   (or the same with python3)
import sys
import time

path = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 4
with open(path) as f:
    code = compile(f.read(), path, "exec")
for i in range(runs):
    t = time.time()
    exec(code, {"__name__": "__main__"})
    print("run", i + 1, "%.3f s" % (time.time() - t))
