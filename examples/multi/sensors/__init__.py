# A package: readings and their history. Its submodule filters is imported by main.py as sensors.filters.
from collections import namedtuple

Reading = namedtuple("Reading", ("t", "celsius"))


def history(readings):
    h = list(readings)
    h.sort(key=lambda r: r.t)
    return h
