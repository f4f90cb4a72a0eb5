#!/usr/bin/python3
"""variate's dense networks against PyTorch, measured in alternation.

Runs, for a few rounds, the Go benchmarks BenchmarkGeneratorSample (generator/) and
BenchmarkTrainStep (internal/nn/) at GOMAXPROCS 1 and 2, and right after each the
PyTorch cases gen2d, train2d and trainmnist of torch_learned.py in float64 with 1 and
2 threads, then prints the raw lines and the median ratio variate/PyTorch per case,
by wall clock and by processor time (the steadier measure on a shared machine).

usage (from the repository root):
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/peers/torch_compare.py [rounds] > bench/peers/raw/torch_compare_<date>.txt
"""
import os
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402

import torch_learned as tl  # noqa: E402

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 3
# Go benchmark name -> (torch case, go metric, torch metric, scale torch to go units)
PAIRS = {
    "BenchmarkGeneratorSample": ("gen2d", "ns/draw", "cpu-ns/draw", "ns_per_draw", "cpu_ns_per_draw"),
    "BenchmarkTrainStep/2-128-128-2/batch=256": ("train2d", "ms/step", "cpu-ms/step", "ms_per_step", "cpu_ms_per_step"),
    "BenchmarkTrainStep/64-256-256-784/batch=64": ("trainmnist", "ms/step", "cpu-ms/step", "ms_per_step", "cpu_ms_per_step"),
}


def run_go(procs):
    cmd = ["go", "test", "-run", "^$", "-bench", "BenchmarkGeneratorSample|BenchmarkTrainStep",
           "-benchtime", "100x", "-cpu", str(procs), "./generator", "./internal/nn"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    res = {}
    for line in out.splitlines():
        if not line.startswith("Benchmark"):
            continue
        print("go procs=%d %s" % (procs, line), flush=True)
        f = line.split()
        name = re.sub(r"-\d+$", "", f[0])
        vals = {f[i + 1]: float(f[i]) for i in range(2, len(f) - 1, 2)}
        res[name] = vals
    return res


def run_torch(threads):
    torch.set_num_threads(threads)
    res = {}
    for case in ("gen2d", "train2d", "trainmnist"):
        line = "peer=torch method=%s case=%s dtype=float64 threads=%d %s" % (
            tl.METHOD[case], case, threads, tl.CASES[case](torch.float64))
        print(line, flush=True)
        res[case] = {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", line) if k.endswith(("_draw", "_step"))}
    return res


def main():
    goversion = subprocess.run(["go", "version"], capture_output=True, text=True).stdout.strip()
    print("# command: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/peers/torch_compare.py %d" % ROUNDS)
    print("# date=%s cpu=%r go=%r torch=%s loadavg=%s" % (
        __import__("datetime").datetime.now(__import__("datetime").timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        tl.cpu_model(), goversion, torch.__version__, open("/proc/loadavg").read().split()[:3]))
    torch.manual_seed(0)
    ratios = {}
    for r in range(ROUNDS):
        for procs in (1, 2):
            g = run_go(procs)
            t = run_torch(procs)
            for name, (case, gw, gc, tw, tc) in PAIRS.items():
                if name in g and case in t:
                    ratios.setdefault((case, procs, "wall"), []).append(g[name][gw] / t[case][tw])
                    ratios.setdefault((case, procs, "cpu"), []).append(g[name][gc] / t[case][tc])
    for (case, procs, kind), v in sorted(ratios.items()):
        print("ratio case=%s threads=%d measure=%s variate/torch_float64 median=%.3f all=%s"
              % (case, procs, kind, statistics.median(v), ",".join("%.3f" % x for x in v)))


if __name__ == "__main__":
    main()
