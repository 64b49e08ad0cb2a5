# Noise filters over lists of floats.
from . import Reading  # a relative import of the package's own name (unused here, but must resolve)


def median(xs, width):
    half = width // 2
    out = []
    for i in range(len(xs)):
        window = sorted(xs[max(0, i - half) : i + half + 1])
        out.append(window[len(window) // 2])
    return out


def moving_average(xs, n):
    return [sum(xs[i : i + n]) / n for i in range(len(xs) - n + 1)]
