# A program in several modules: `espy run examples/multi/main.py` on the host, `espy compile examples/multi -o OUT`
# then `espy run OUT/main.mpb` from bytecode alone, or `espy flash examples/multi --port P` onto a board's Storage.
import sys
import units
from sensors import Reading, history
from sensors.filters import median, moving_average

samples = [21.5, 21.7, 35.0, 21.6, 21.8, 22.0, 21.9, -40.0, 22.1, 22.3]
h = history(Reading(i * 500, c) for i, c in enumerate(samples))
print("samples:", len(h), "from", units.fmt_ms(h[0].t), "to", units.fmt_ms(h[-1].t))
clean = median([r.celsius for r in h], 3)
print("median of 3:", units.fmt_list(clean))
print("moving average of 4:", units.fmt_list(moving_average(clean, 4)))
print("warmest: %s at %s" % (units.fmt_c(max(clean)), units.fmt_ms(h[clean.index(max(clean))].t)))
print("in Fahrenheit:", units.fmt_list([units.c_to_f(c) for c in clean[:3]]))
print("modules:", sorted(m for m in ("units", "sensors", "sensors.filters") if m in sys.modules))
print(__name__, units.__name__, units.PRECISION)
