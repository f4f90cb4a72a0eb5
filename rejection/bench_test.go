package rejection_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
	"gonum.org/v1/gonum/stat/sampleuv"

	"github.com/variate/variate/rejection"
	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
	"github.com/variate/variate/transform"
)

const batch = 4096

func run(b *testing.B, s sampler.Sampler) {
	buf := make([]float64, batch*s.Dim())
	rng := sampler.NewRand(1)
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Sample(rng, buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/batch, "ns/sample")
}

// BenchmarkSample puts adaptive rejection beside the density table on the
// log-concave targets, and the computed bound beside gonum's rejection
// sampler with the same proposal and M on Beta(2, 5).
func BenchmarkSample(b *testing.B) {
	for _, tg := range target.Catalog() {
		if tg.Dim != 1 || !tg.LogConcave {
			continue
		}
		ars, err := rejection.NewAdaptive(tg.LogDensity1D, tg.Lo, tg.Hi, nil)
		if err != nil {
			b.Fatal(err)
		}
		tb, err := transform.NewTable(func(x float64) float64 { return math.Exp(tg.LogDensity1D(x)) }, tg.Lo, tg.Hi, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(tg.Name+"/adaptive", func(b *testing.B) {
			run(b, ars)
			b.ReportMetric(ars.Stats().Acceptance(), "acceptance")
		})
		b.Run(tg.Name+"/table", func(b *testing.B) { run(b, tb) })
	}
	beta := target.Beta()
	box, _ := rejection.NewUniformBox([]float64{0}, []float64{1})
	auto, err := rejection.NewAuto(beta.LogDensity, box, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("beta/rejection-auto", func(b *testing.B) { run(b, auto) })
	// gonum: the same uniform proposal and the same M, on the normalised
	// Beta(2, 5) log density.
	c := math.Exp(auto.LogM() - beta.LogZ)
	g := &sampleuv.Rejection{C: c, Target: distuv.Beta{Alpha: 2, Beta: 5}, Proposal: distuv.Uniform{Min: 0, Max: 1, Src: rand.NewPCG(1, 2)}, Src: rand.NewPCG(3, 4)}
	b.Run("beta/gonum-rejection", func(b *testing.B) {
		buf := make([]float64, batch)
		b.ReportAllocs()
		for b.Loop() {
			g.Sample(buf)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/batch, "ns/sample")
	})
}
