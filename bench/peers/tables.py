#!/usr/bin/python3
"""Writes the README's peer tables from the raw output of one sitting
(bench/peers/run_sitting.sh): our Go benchmark lines and the peers'
key=value lines. Ours are medians over the benchmark's runs; the peers'
figures are as printed (their scripts take the best of several calls).

usage: /usr/bin/python3 bench/peers/tables.py bench/peers/raw/<date> [<topic>=bench/peers/raw/<date> ...]
       (the common prefix of the sitting's files; a topic — sampling,
       mcmc, mmd or learned — may name a later sitting of its own; the
       learned file comes from bench/peers/run_learned_sitting.sh)
"""
import re
import statistics
import sys

prefix = sys.argv[1]
prefixes = dict(a.split("=", 1) for a in sys.argv[2:])


def path(topic):
    return f"{prefixes.get(topic, prefix)}-{topic}.txt"


def bench_line(line):
    """A Go benchmark line's name (without the -GOMAXPROCS suffix) and its
    metrics by unit."""
    fields = line.split("\t")
    m = {}
    for f_ in fields[2:]:
        v, unit = f_.split()
        m[unit] = float(v)
    return re.sub(r"-\d+$", "", fields[0].strip()), m


def read(topic):
    """Go benchmark metrics by (package, name) and peer lines, of one file."""
    go, peers, sitting, pkg = {}, [], [], ""
    with open(path(topic)) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                sitting.append(line)
            elif line.startswith("pkg: "):
                pkg = line.split("/")[-1]
            elif line.startswith("Benchmark"):
                name, m = bench_line(line)
                go.setdefault((pkg, name), []).append(m)
            elif line.startswith("peer="):
                kv = dict(x.split("=", 1) for x in line.split())
                peers.append(kv)
    return go, peers, sitting


def med(go, pkg, name, unit):
    runs = go.get((pkg, name))
    if not runs:
        return None
    return statistics.median(r[unit] for r in runs)


def peer(peers, **want):
    for p in peers:
        if all(p.get(k) == v for k, v in want.items()):
            return p
    return None


def g(v, digits=3):
    return "—" if v is None else f"{v:.{digits}g}"


def f(v, prec):
    return "—" if v is None else f"{v:.{prec}f}"


def table(head, rows):
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def sitting_note(lines):
    return "\n".join(f"    {l[2:]}" for l in lines)


def sampling():
    go, peers, s = read("sampling")
    rows, rrows = [], []
    for t in ("normal", "exponential", "gamma", "beta", "student-t", "bimodal", "tail", "doublewell"):
        setup = med(go, "transform", f"BenchmarkSetup/{t}/table", "ns/op")
        ns = med(go, "transform", f"BenchmarkSample/{t}/table", "ns/sample")
        ev = med(go, "transform", f"BenchmarkSetup/{t}/table", "evals")
        iv = med(go, "transform", f"BenchmarkSetup/{t}/table", "intervals")
        p = peer(peers, method="pinv", target=t) or {}
        ps, pn = float(p.get("setup_ms", "nan")), float(p.get("ns_per_sample", "nan"))
        rows.append([t, f(setup / 1e6 if setup else None, 3) + " ms", g(ev, 5), f"{g(iv, 4)} ({p.get('intervals', '—')})", f(ns, 2),
                     f"{ps:.3f} ms", f"{pn:.2f}", f"{setup / 1e6 / ps:.2f}" if setup else "—", f"{ns / pn:.2f}" if ns else "—",
                     p.get("max_uerror", "—")])
        a = med(go, "rejection", f"BenchmarkSample/{t}/adaptive", "ns/sample")
        tb = med(go, "rejection", f"BenchmarkSample/{t}/table", "ns/sample")
        q = peer(peers, method="tdr", target=t)
        if a is not None and q is not None:
            qn = float(q["ns_per_sample"])
            rrows.append([t, f(a, 2), f(tb, 2), f(a / tb, 2), f"{qn:.2f}", f(a / qn, 2)])
    print("Inverse transform, `transform.NewTable` at u-error 10⁻¹⁰ against SciPy's PINV at the same u-resolution:\n")
    print(table(["target", "table setup", "density evaluations", "intervals (SciPy)", "table ns/sample", "SciPy setup",
                 "SciPy ns/sample", "setup ratio", "ns ratio", "SciPy max u-error"], rows))
    print("\nAdaptive rejection, `rejection.NewAdaptive`, against the table and SciPy's TDR:\n")
    print(table(["target", "adaptive ns/sample", "table ns/sample", "adaptive / table", "SciPy TDR ns/sample", "adaptive / TDR"], rrows))
    auto = med(go, "rejection", "BenchmarkSample/beta/rejection-auto", "ns/sample")
    gr = med(go, "rejection", "BenchmarkSample/beta/gonum-rejection", "ns/sample")
    gs = med(go, "rejection", "BenchmarkSample/beta/gonum-rejection-samefunc", "ns/sample")
    if auto and gr and gs:
        print(f"\nComputed-bound rejection on Beta(2, 5), uniform proposal, the same M: `rejection-auto` {auto:.1f} ns/sample; "
              f"gonum's `sampleuv.Rejection` {gr:.1f} ns given `distuv.Beta` ({gr / auto:.1f}× ours), "
              f"{gs:.1f} ns given our density function ({gs / auto:.1f}×).")
    print("\nSitting:\n\n" + sitting_note(s))


def mcmc():
    go, peers, s = read("mcmc")
    rw = med(go, "mcmc", "BenchmarkRandomWalk/gauss2/variate", "ns/step")
    gw = med(go, "mcmc", "BenchmarkRandomWalk/gauss2/gonum", "ns/step")
    rows = [["random-walk step, gauss2, same proposal covariance", f"{rw:.1f} ns", f"gonum `samplemv.MetropolisHastingser` {gw:.0f} ns",
             f"{gw / rw:.0f}×"]]
    for t in ("gauss2", "banana"):
        e = med(go, "mcmc", f"BenchmarkStretch/{t}", "evals/s")
        acc = med(go, "mcmc", f"BenchmarkStretch/{t}", "acceptance")
        t0, t1 = med(go, "mcmc", f"BenchmarkStretch/{t}", "tau0"), med(go, "mcmc", f"BenchmarkStretch/{t}", "tau1")
        p = peer(peers, peer="emcee", target=t)
        pe = float(p["evals_per_s"])
        rows.append([f"stretch move, {t}: evaluations/s", f"{e:,.0f}", f"emcee {pe:,.0f}", f"{e / pe:.0f}×"])
        rows.append([f"stretch move, {t}: acceptance; τ (x₁, x₂)", f"{acc:.3f}; {t0:.1f}, {t1:.1f}",
                     f"{p['acceptance']}; {p['tau'].replace(',', ', ')}", ""])
    print(table(["", "variate", "peer", "ratio"], rows))
    print("\nSitting:\n\n" + sitting_note(s))


def mmd():
    go, peers, s = read("mmd")
    rows = []
    for case in ("n4000_d2", "n4000_d784"):
        ours = med(go, "mmd", f"BenchmarkMMD2Unbiased/{case}", "ns/op")
        np_ = [float(p["value_ms"]) for p in peers if p.get("case") == case]
        if ours is None or not np_:
            continue
        ratios = [v / (ours / 1e6) for v in np_]
        rows.append([case.replace("n4000_", "n = m = 4000, ").replace("d", "d = "), f"{ours / 1e6:.1f} ms",
                     " / ".join(f"{v:.1f} ms" for v in np_), "–".join(f"{r:.1f}" for r in sorted(ratios)) + "× faster"])
    print(table(["case", "variate (median)", "NumPy before / after", "ratio"], rows))
    print("\nSitting:\n\n" + sitting_note(s))


def learned():
    """Ours at GOMAXPROCS=t (the runs before and after the peer) against
    PyTorch at t threads, in float64 and float32, wall clock medians."""
    go, torch, sitting, pkg, threads = {}, {}, [], "", 0
    with open(path("learned")) as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("# learned:"):
                sitting.append(line)
            if line.startswith("# go: GOMAXPROCS="):
                threads = int(line.split("=")[1].split()[0])
            elif line.startswith("pkg: "):
                pkg = line.split("/")[-1]
            elif line.startswith("Benchmark"):
                name, m = bench_line(line)
                go.setdefault((threads, pkg, name), []).append(m)
            elif line.startswith("peer=torch"):
                kv = dict(x.split("=", 1) for x in line.split())
                torch[(int(kv["threads"]), kv["case"], kv["dtype"])] = kv
            elif line.startswith("# date=") and "torch=" in line:
                sitting.append("# torch: " + line[2:])
    cases = [
        ("generator sampling, 2-128-128-2 ReLU, 4096 draws a call", "generator", "BenchmarkGeneratorSample", "ns/draw", "gen2d",
         "ns_per_draw", "ns/draw", 1),
        ("training step, 2-128-128-2, batch 256, Adam", "nn", "BenchmarkTrainStep/2-128-128-2/batch=256", "ms/step", "train2d",
         "ms_per_step", "ms", 1),
        ("training step, 64-256-256-784 sigmoid, batch 64, Adam", "nn", "BenchmarkTrainStep/64-256-256-784/batch=64", "ms/step",
         "trainmnist", "ms_per_step", "ms", 1),
        ("GMMN step, gmmn2d (256 + 256 points, six bandwidths, √MMD²)", "gmn", "BenchmarkStep", "ms/step", "gmmn2d",
         "ms_per_step", "ms", 1),
        ("GAN iteration, gan2d (one D step + one G step, batch 256)", "gan", "BenchmarkStep/gan2d", "ms/iter", "gan2d",
         "ms_per_step", "ms", 1),
        ("GAN iteration, ganmnist (784-d, batch 64)", "gan", "BenchmarkStep/ganmnist", "ms/iter", "ganmnist", "ms_per_step", "ms", 1),
    ]
    rows = []
    for label, pk, name, unit, case, key, shown, _ in cases:
        for t in (1, 2):
            runs = go.get((t, pk, name))
            p64, p32 = torch.get((t, case, "float64")), torch.get((t, case, "float32"))
            if not runs or not p64 or not p32:
                continue
            ours = statistics.median(r[unit] for r in runs)
            a, b = float(p64[key]), float(p32[key])
            fmt = (lambda v: f"{v:.1f} {shown}") if shown == "ns/draw" else (lambda v: f"{v:.3f} {shown}")
            rows.append([label, str(t), fmt(ours), fmt(a), fmt(b), f"{ours / a:.2f}", f"{ours / b:.2f}"])
    print("Learned half against PyTorch (CPU), ours in float64 at GOMAXPROCS = threads; ratio = ours / PyTorch's "
          "(below 1: we are faster):\n")
    print(table(["case", "threads", "variate float64", "PyTorch float64", "PyTorch float32", "ratio to float64",
                 "ratio to float32"], rows))
    print("\nSitting:\n\n" + sitting_note(sitting))


for name, fn in (("sampling", sampling), ("mcmc", mcmc), ("mmd", mmd), ("learned", learned)):
    print(f"<!-- {name} -->\n")
    try:
        fn()
    except FileNotFoundError as e:
        print(f"(no raw file: {e.filename})")
    print()
