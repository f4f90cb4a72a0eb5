#!/usr/bin/python3
"""emcee's stretch move, the peer of mcmc.Stretch, on variate's gauss2 and
banana targets: 32 walkers from standard normal points, the first fifth of
the steps discarded, emcee's integrated autocorrelation time τ (c = 5) per
coordinate. Prints log-density evaluations per second (vectorised over the
walkers, as an emcee user would write it), acceptance, τ and ESS per second
of the first coordinate, one key=value line per target.

usage: /usr/bin/python3 bench/peers/emcee_stretch.py [steps]   (default 31250)
"""
import sys
import time

import emcee
import numpy as np

from sitting import sitting

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 31250
walkers = 32
prec = np.linalg.inv([[1.0, 0.9], [0.9, 1.0]])


def gauss2(x):
    return -0.5 * np.sum((x @ prec) * x, axis=1)


def banana(x):
    y = x[:, 1] - 0.1 * (x[:, 0] ** 2 - 100)
    return -0.5 * (x[:, 0] ** 2 / 100 + y * y)


sitting("emcee_stretch.py", emcee=emcee.__version__, numpy=np.__version__, walkers=walkers, steps=steps)
for name, logp in (("gauss2", gauss2), ("banana", banana)):
    start = np.random.default_rng(1).normal(size=(walkers, 2))
    s = emcee.EnsembleSampler(walkers, 2, logp, vectorize=True)
    s.random_state = np.random.RandomState(2).get_state()
    t0 = time.perf_counter()
    s.run_mcmc(start, steps)
    secs = time.perf_counter() - t0
    tau = s.get_autocorr_time(discard=steps // 5, quiet=True)
    ess = (steps - steps // 5) * walkers / tau[0]
    print(f"peer=emcee method=stretch target={name} evals_per_s={walkers * steps / secs:.0f} "
          f"acceptance={np.mean(s.acceptance_fraction):.3f} tau={tau[0]:.1f},{tau[1]:.1f} "
          f"ess_per_s={ess / secs:.0f} seconds={secs:.2f}", flush=True)
