#!/usr/bin/python3
"""Writes mmd's NumPy fixtures, numpy_d2.txt and numpy_d40.txt: two point
sets and the unbiased MMD² that NumPy computes for them with the textbook
formula (squared distances by the expansion |a|² + |b|² − 2a·b, clamped at
0; a sum of Gaussian kernels), float64. The mmd tests read them; see
mmd/testdata/README.md for the format.

usage: /usr/bin/python3 bench/peers/numpy_mmd_fixtures.py [dir]   (default mmd/testdata)
"""
import os
import sys

import numpy as np

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join("mmd", "testdata")


def mmd2_unbiased(x, y, sigmas):
    def k(a, b):
        d2 = np.maximum((a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2 * a @ b.T, 0)
        return sum(np.exp(-d2 / (2 * s * s)) for s in sigmas)
    n, m = len(x), len(y)
    kxx, kyy, kxy = k(x, x), k(y, y), k(x, y)
    return ((kxx.sum() - np.trace(kxx)) / (n * (n - 1))
            + (kyy.sum() - np.trace(kyy)) / (m * (m - 1)) - 2 * kxy.mean())


rng = np.random.default_rng(20240601)
for name, n, m, d, sigmas, scale, shift in (
        ("numpy_d2.txt", 300, 250, 2, [0.02, 0.05, 0.1, 0.2, 0.5, 1.0], 1.0, 0.3),
        ("numpy_d40.txt", 200, 150, 40, [2, 5, 10, 20, 40, 80], 0.3, 0.1)):
    x = scale * rng.normal(size=(n, d))
    y = scale * rng.normal(size=(m, d)) + shift * scale
    with open(os.path.join(out, name), "w") as f:
        f.write(f"{n} {m} {d}\n")
        f.write(" ".join(f"{s:.17g}" for s in sigmas) + "\n")
        f.write(f"{mmd2_unbiased(x, y, sigmas):.17g}\n")
        for p in np.vstack([x, y]):
            f.write(" ".join(f"{c:.17g}" for c in p) + "\n")
