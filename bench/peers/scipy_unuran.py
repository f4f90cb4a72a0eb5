#!/usr/bin/python3
"""SciPy's UNU.RAN samplers on variate's 1-D catalogue targets, the peers of
transform.NewTable (PINV, numerical inversion of a polynomial interpolant at
u-resolution 1e-10) and rejection.NewAdaptive (TDR, transformed density
rejection), plus NumPy's own generators.

Prints one key=value line per measurement: setup in ms (best of 5 builds),
ns per draw (best of 3 calls drawing n at once), PINV's intervals, and its
maximum u-error against the exact CDF (scipy's u_error over 10^6 points).

usage: /usr/bin/python3 bench/peers/scipy_unuran.py [n]   (default 2_000_000)
"""
import math
import sys
import time
import warnings

import numpy as np
import scipy
from scipy import stats
from scipy.stats import sampling

from sitting import sitting

warnings.simplefilter("ignore", RuntimeWarning)
n = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
rng = np.random.default_rng(20261203)


class Density:
    """An unnormalised density on [lo, hi] in the form UNU.RAN takes."""

    def __init__(self, pdf, lo, hi, dpdf=None, cdf=None):
        self.pdf, self.lo, self.hi = pdf, lo, hi
        if dpdf is not None:
            self.dpdf = dpdf
        if cdf is not None:
            self.cdf = cdf

    def support(self):
        return self.lo, self.hi


def phi(x):
    return math.exp(-x * x / 2)


def tail_cdf(x):
    return 0.0 if x <= 3 else (stats.norm.cdf(x) - stats.norm.cdf(3)) / stats.norm.sf(3)


# name: (density, derivative or None, support, exact CDF or None, log-concave)
targets = {
    "normal": (phi, lambda x: -x * phi(x), (-math.inf, math.inf), stats.norm.cdf, True),
    "exponential": (lambda x: math.exp(-x), lambda x: -math.exp(-x), (0, math.inf), stats.expon.cdf, True),
    "gamma": (lambda x: x**1.5 * math.exp(-x) if x > 0 else 0.0,
              lambda x: (1.5 * math.sqrt(x) - x**1.5) * math.exp(-x) if x > 0 else 0.0,
              (0, math.inf), stats.gamma(2.5).cdf, True),
    "beta": (lambda x: x * (1 - x)**4 if 0 < x < 1 else 0.0,
             lambda x: (1 - x)**3 * (1 - 5 * x) if 0 < x < 1 else 0.0, (0, 1), stats.beta(2, 5).cdf, True),
    "student-t": (lambda x: (1 + x * x / 3)**-2, None, (-math.inf, math.inf), stats.t(3).cdf, False),
    "bimodal": (lambda x: 0.6 * math.exp(-2 * (x + 2)**2) + 0.7 * math.exp(-(x - 2)**2 / 2), None,
                (-math.inf, math.inf), lambda x: 0.3 * stats.norm.cdf((x + 2) / 0.5) + 0.7 * stats.norm.cdf(x - 2), False),
    "tail": (lambda x: phi(x) if x >= 3 else 0.0, lambda x: -x * phi(x) if x >= 3 else 0.0, (3, math.inf), tail_cdf, True),
    "doublewell": (lambda x: math.exp(-x**4 + 2 * x * x), None, (-math.inf, math.inf), None, False),
}


def best(f, reps):
    t = math.inf
    for _ in range(reps):
        s = time.perf_counter()
        out = f()
        t = min(t, time.perf_counter() - s)
    return t, out


sitting("scipy_unuran.py", scipy=scipy.__version__, numpy=np.__version__, n=n)
for name, (pdf, dpdf, (lo, hi), cdf, logconcave) in targets.items():
    d = Density(pdf, lo, hi, dpdf=dpdf, cdf=cdf)
    setup, gen = best(lambda: sampling.NumericalInversePolynomial(d, u_resolution=1e-10, random_state=rng), 5)
    gen.rvs(1000)
    t, _ = best(lambda: gen.rvs(n), 3)
    uerr = "na"
    if cdf is not None:
        uerr = f"{gen.u_error(10**6).max_error:.2e}"
    print(f"peer=scipy method=pinv target={name} setup_ms={setup * 1e3:.3f} intervals={gen.intervals} "
          f"ns_per_sample={t / n * 1e9:.2f} max_uerror={uerr}", flush=True)
    if logconcave:
        setup, gen = best(lambda: sampling.TransformedDensityRejection(d, random_state=rng), 5)
        t, _ = best(lambda: gen.rvs(n), 3)
        print(f"peer=scipy method=tdr target={name} setup_ms={setup * 1e3:.3f} ns_per_sample={t / n * 1e9:.2f} "
              f"squeeze_hat_ratio={gen.squeeze_hat_ratio:.4f}", flush=True)

for name, draw in (("normal", lambda: rng.standard_normal(n)), ("gamma", lambda: rng.gamma(2.5, size=n)),
                   ("beta", lambda: rng.beta(2, 5, size=n))):
    t, _ = best(draw, 3)
    print(f"peer=numpy method=generator target={name} ns_per_sample={t / n * 1e9:.2f}", flush=True)
