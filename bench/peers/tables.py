#!/usr/bin/python3
"""Writes the README's peer tables from the raw output of one sitting
(bench/peers/run_sitting.sh): our Go benchmark lines and the peers'
key=value lines. Ours are medians over the benchmark's runs; the peers'
figures are as printed (their scripts take the best of several calls).

usage: /usr/bin/python3 bench/peers/tables.py bench/peers/raw/<date>
       (the common prefix of the sitting's four files)
"""
import re
import statistics
import sys

prefix = sys.argv[1]


def read(topic):
    """Go benchmark metrics by (package, name) and peer lines, of one file."""
    go, peers, sitting, pkg = {}, [], [], ""
    with open(f"{prefix}-{topic}.txt") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                sitting.append(line)
            elif line.startswith("pkg: "):
                pkg = line.split("/")[-1]
            elif line.startswith("Benchmark"):
                fields = line.split("\t")
                name = re.sub(r"-\d+$", "", fields[0].strip())
                m = {}
                for f_ in fields[2:]:
                    v, unit = f_.split()
                    m[unit] = float(v)
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


for name, fn in (("sampling", sampling), ("mcmc", mcmc), ("mmd", mmd)):
    print(f"<!-- {name} -->\n")
    try:
        fn()
    except FileNotFoundError as e:
        print(f"(no raw file: {e.filename})")
    print()
