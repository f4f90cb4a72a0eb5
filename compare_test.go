package variate_test

import (
	"testing"

	"github.com/variate/variate/fidelity"
	"github.com/variate/variate/internal/compare"
	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

// BenchmarkSample runs every applicable (target × method) cell of the
// comparison as a Go benchmark, BenchmarkSample/<target>/<method>, with
// ns/sample and, for 1-D targets with a CDF, the KS distance of the
// benchmark's own draws; gonum's samplers appear as peer rows, so
// benchstat shows every ratio.
func BenchmarkSample(b *testing.B) {
	const batch = 4096
	for _, t := range target.Catalog() {
		for _, m := range compare.Methods() {
			if ok, _ := m.Applicable(t); !ok || m.Build == nil {
				continue
			}
			b.Run(t.Name+"/"+m.Name, func(b *testing.B) {
				rng := sampler.NewRand(1)
				built, err := m.Build(t, rng)
				if err != nil {
					b.Fatal(err)
				}
				buf := make([]float64, batch*t.Dim)
				b.ReportAllocs()
				for b.Loop() {
					if err := built.Sampler.Sample(rng, buf); err != nil {
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
