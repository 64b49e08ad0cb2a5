# Unit conversions and formatting, imported by main.py.
PRECISION = 1


def c_to_f(c):
    return c * 9 / 5 + 32


def fmt_c(c):
    return "%.*f C" % (PRECISION, c)


def fmt_ms(ms):
    return "%d.%03d s" % divmod(ms, 1000)


def fmt_list(xs):
    return "[" + ", ".join("%.*f" % (PRECISION, x) for x in xs) + "]"

