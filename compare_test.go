package variate_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/variate/variate/fidelity"
	"github.com/variate/variate/internal/compare"
	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
	"github.com/variate/variate/transform"
)

// mcmcBenchDraws is the number of kept draws (all chains together) of one
// operation of an MCMC cell.
const mcmcBenchDraws = 20000

// BenchmarkSample runs every applicable (target × method) cell of the
// comparison as a Go benchmark, BenchmarkSample/<target>/<method>, so
// benchstat shows every ratio; gonum's samplers appear as peer rows.
//
// An i.i.d. (or learned) cell reports ns/sample of the sampler's steady state and, for
// 1-D targets with a CDF, the KS distance of the benchmark's own draws.
// An MCMC cell's operation is one whole run of the comparison's cell
// (warm-up, mcmcBenchDraws kept draws over its chains, diagnostics), a
// new seed each time; it reports ns/sample of the kept draws, ess/s (bulk
// ESS of the worst coordinate per second of sampling), R-hat, the
// acceptance rate and the fidelity of the pooled draws (KS for 1-D, MMD²
// for d-D).
func BenchmarkSample(b *testing.B) {
	const batch = 4096
	for _, t := range target.Catalog() {
		for _, m := range compare.Methods() {
			if ok, _ := m.Applicable(t); !ok {
				continue
			}
			if m.Kind == compare.KindMCMC {
				b.Run(t.Name+"/"+m.Name, func(b *testing.B) { benchChains(b, t, m) })
				continue
			}
			b.Run(t.Name+"/"+m.Name, func(b *testing.B) {
				s, err := m.Sampler(context.Background(), t, 1)
				if err != nil {
					b.Fatal(err)
				}
				rng := sampler.NewRand(2)
				buf := make([]float64, batch*t.Dim)
				b.ReportAllocs()
				for b.Loop() {
					if err := s.Sample(rng, buf); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/batch, "ns/sample")
				if t.Dim == 1 && t.CDF != nil {
					if d, _, err := fidelity.KS(buf, t.CDF); err == nil {
						b.ReportMetric(d, "ks")
					}
				}
			})
		}
	}
}

// benchChains runs an MCMC cell once per operation and reports the means
// of its figures over the operations.
func benchChains(b *testing.B, t *target.Target, m compare.Method) {
	var ns, ess, rhat, acc, fid float64
	seed := uint64(0)
	for b.Loop() {
		seed++
		c, _ := compare.RunCell(context.Background(), t, m, compare.Config{N: mcmcBenchDraws, Seed: seed})
		if c.Status != compare.StatusOK {
			b.Fatalf("%s on %s: %s", m.Name, t.Name, c.Reason)
		}
		ns += c.NsPerSample
		ess += c.ESSPerSec
		rhat += c.RHat
		acc += c.Acceptance
		if t.Dim == 1 {
			fid += c.KS
		} else {
			fid += c.MMD2
		}
	}
	n := float64(b.N)
	b.ReportMetric(ns/n, "ns/sample")
	b.ReportMetric(ess/n, "ess/s")
	b.ReportMetric(rhat/n, "rhat")
	b.ReportMetric(acc/n, "acceptance")
	if t.Dim == 1 {
		b.ReportMetric(fid/n, "ks")
	} else {
		b.ReportMetric(fid/n, "mmd2")
	}
}

// TestUErrorSummary prints the u-error summary the README quotes: for
// every 1-D catalogue target, the largest |F(Q(u)) − u| of
// transform.NewTable (default tolerance 1e-10) against the target's own
// CDF, over 10^6 uniform points and points near 0, ½ and 1. Run it with
// go test -run TestUErrorSummary -v . to see the table; it fails if a
// target exceeds the tolerance.
func TestUErrorSummary(t *testing.T) {
	if testing.Short() {
		t.Skip("10^6 CDF evaluations per target")
	}
	const tol = 1e-10
	var b strings.Builder
	fmt.Fprintf(&b, "%-12s %10s %9s\n", "target", "intervals", "max u-error")
	for _, tg := range target.Catalog() {
		if tg.Dim != 1 || tg.CDF == nil {
			continue
		}
		density := func(x float64) float64 { return math.Exp(tg.LogDensity1D(x)) }
		tb, err := transform.NewTable(density, tg.Lo, tg.Hi, nil)
		if err != nil {
			t.Fatalf("%s: %v", tg.Name, err)
		}
		rng := sampler.NewRand(1)
		worst := 0.0
		check := func(u float64) { worst = max(worst, math.Abs(tg.CDF(tb.Quantile(u))-u)) }
		for range 1000000 {
			check(rng.Float64())
		}
		for _, u := range []float64{0, 1e-12, 1e-9, 1e-6, 0.5 - 1e-9, 0.5, 0.5 + 1e-9, 1 - 1e-6, 1 - 1e-9, 1 - 1e-12, 1} {
			check(u)
		}
		fmt.Fprintf(&b, "%-12s %10d %9.2g\n", tg.Name, tb.Intervals(), worst)
		if worst > tol {
			t.Errorf("%s: u-error %.3g above the tolerance %g", tg.Name, worst, tol)
		}
	}
	t.Log("\n" + b.String())
}
