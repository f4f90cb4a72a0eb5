package variate_test

import (
	"context"
	"testing"

	"github.com/variate/variate/fidelity"
	"github.com/variate/variate/internal/compare"
	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
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
