#!/usr/bin/python3
"""The textbook NumPy unbiased MMD² with a sum of Gaussian kernels, the peer
of mmd.Unbiased: squared distances by the expansion |a|² + |b|² − 2a·b
(clamped at 0), n = m points, float64, the case of mmd's BenchmarkMMD2Unbiased
(d = 2 with bandwidths 0.02…1, d = 784 with 2…80; normal points, the second
set shifted by 0.1·scale). Prints the best of 3 calls and the value.

usage: /usr/bin/python3 bench/peers/numpy_mmd2.py [n]   (default 4000)
Run with env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE so that OpenBLAS
picks this processor's kernel.
"""
import sys
import time

import numpy as np

from sitting import sitting

n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000


def gaussian_sum(a, b, sigmas):
    d2 = np.maximum((a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2 * a @ b.T, 0)
    return sum(np.exp(-d2 / (2 * s * s)) for s in sigmas)


def mmd2_unbiased(x, y, sigmas):
    kxx, kyy, kxy = gaussian_sum(x, x, sigmas), gaussian_sum(y, y, sigmas), gaussian_sum(x, y, sigmas)
    nx, ny = len(x), len(y)
    return ((kxx.sum() - np.trace(kxx)) / (nx * (nx - 1)) + (kyy.sum() - np.trace(kyy)) / (ny * (ny - 1))
            - 2 * kxy.mean())


sitting("numpy_mmd2.py", numpy=np.__version__, n=n)
rng = np.random.default_rng(20261203)
for d, sigmas, scale in ((2, [0.02, 0.05, 0.1, 0.2, 0.5, 1.0], 1.0), (784, [2, 5, 10, 20, 40, 80], 0.3)):
    x = scale * rng.normal(size=(n, d))
    y = scale * rng.normal(size=(n, d)) + 0.1 * scale
    t, v = np.inf, None
    for _ in range(3):
        t0 = time.perf_counter()
        v = mmd2_unbiased(x, y, sigmas)
        t = min(t, time.perf_counter() - t0)
    print(f"peer=numpy method=mmd2_unbiased case=n{n}_d{d} kernels={len(sigmas)} value_ms={t * 1e3:.1f} value={v:.12g}",
          flush=True)
