#!/usr/bin/python3
"""NumPy's float64 matrix product (OpenBLAS underneath) on the shapes of
internal/kernels' BenchmarkGemm, in the three forms a forward and backward
pass use: NN = A·B, NT = A·Bᵀ (B stored n×k), TN = Aᵀ·B (A stored k×m).

Prints a header line (date, CPU, versions, the BLAS kernel threadpoolctl
reports, the load average) and one key=value line per case, with the best of five timed
repetitions, each long enough to last about 0.2 s. Run it with the BLAS
left free to choose its kernel for this processor:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/peers/numpy_gemm.py
"""
import datetime
import platform
import time

import numpy as np

SHAPES = [(256, 128, 128), (64, 256, 784), (1000, 784, 1000)]  # (m, k, n)
REPEATS = 5
TARGET_SECONDS = 0.2


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_average():
    try:
        with open("/proc/loadavg") as f:
            return ",".join(f.read().split()[:3])
    except OSError:
        return "unknown"


def blas_info():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown(threadpoolctl missing)"
    parts = []
    for d in threadpool_info():
        if d.get("user_api") == "blas":
            parts.append("%s-%s-%s-threads%s" % (d.get("internal_api"), d.get("version"),
                                                 d.get("architecture"), d.get("num_threads")))
    return ",".join(parts) or "none"


def operands(rng, m, k, n, variant):
    """Returns a function computing the product in the given form."""
    if variant == "NN":
        a, b = rng.random((m, k)), rng.random((k, n))
        return lambda: a @ b
    if variant == "NT":
        a, bt = rng.random((m, k)), rng.random((n, k))
        return lambda: a @ bt.T
    at, b = rng.random((k, m)), rng.random((k, n))
    return lambda: at.T @ b


def best_seconds(f):
    for _ in range(3):
        f()
    t = time.perf_counter()
    f()
    once = max(time.perf_counter() - t, 1e-7)
    reps = max(3, int(TARGET_SECONDS / once))
    best = float("inf")
    for _ in range(REPEATS):
        t = time.perf_counter()
        for _ in range(reps):
            f()
        best = min(best, (time.perf_counter() - t) / reps)
    return best, reps


def main():
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    print("# peer=numpy_gemm date=%s cpu=%r python=%s numpy=%s blas=%s load=%s" % (
        now, cpu_model(), platform.python_version(), np.__version__, blas_info(), load_average()))
    rng = np.random.default_rng(0)
    for m, k, n in SHAPES:
        for variant in ("NN", "NT", "TN"):
            sec, reps = best_seconds(operands(rng, m, k, n, variant))
            print("peer=numpy op=matmul dtype=float64 shape=m%d_k%d_n%d variant=%s reps=%d us=%.2f gflops=%.2f" % (
                m, k, n, variant, reps, sec * 1e6, 2.0 * m * k * n / sec / 1e9))
    print("# load=%s at the end" % load_average())


if __name__ == "__main__":
    main()
