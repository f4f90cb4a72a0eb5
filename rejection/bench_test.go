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
// sampler with the same uniform proposal and the same M on Beta(2, 5).
//
// What each side evaluates per candidate on Beta(2, 5): rejection-auto
// calls target.Beta().LogDensity (log x + 4·log1p(−x), unnormalised)
// once and draws one 64-bit word; the uniform box says its density is
// constant, so it is not evaluated. gonum-rejection is given
// distuv.Beta{Alpha: 2, Beta: 5}, as a gonum user would write it, whose
// LogProb computes the normalising constant (three Lgamma) as well as
// log x and log(1 − x); it also evaluates distuv.Uniform's LogProb (a
// logarithm), an exponential, and draws two uniforms. Since part of the
// gap is gonum's per-call normalisation, gonum-rejection-samefunc gives
// gonum the very function rejection-auto evaluates (minus log Z, as its
// C is relative to a normalised target), isolating the samplers' own
// cost.
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
			st := ars.Stats()
			b.ReportMetric(st.Acceptance(), "acceptance")
			b.ReportMetric(float64(st.Immediate)/float64(st.Proposals), "immediate")
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
	c := math.Exp(auto.LogM() - beta.LogZ)
	gonum := func(tg distuv.LogProber) func(b *testing.B) {
		return func(b *testing.B) {
			g := &sampleuv.Rejection{C: c, Target: tg, Proposal: distuv.Uniform{Min: 0, Max: 1, Src: rand.NewPCG(1, 2)}, Src: rand.NewPCG(3, 4)}
			buf := make([]float64, batch)
			b.ReportAllocs()
			for b.Loop() {
				g.Sample(buf)
			}
			if g.Err() != nil {
				b.Fatal(g.Err())
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/batch, "ns/sample")
		}
	}
	b.Run("beta/gonum-rejection", gonum(distuv.Beta{Alpha: 2, Beta: 5}))
	b.Run("beta/gonum-rejection-samefunc", gonum(logProber(func(x float64) float64 { return beta.LogDensity1D(x) - beta.LogZ })))
}

// BenchmarkSetup measures building the samplers of BenchmarkSample:
// the adaptive hull on each log-concave target (with the number of
// abscissae it needs), and the bound search of NewAuto on Beta(2, 5).
func BenchmarkSetup(b *testing.B) {
	for _, tg := range target.Catalog() {
		if tg.Dim != 1 || !tg.LogConcave {
			continue
		}
		b.Run(tg.Name+"/adaptive", func(b *testing.B) {
			var a *rejection.Adaptive
			for b.Loop() {
				var err error
				if a, err = rejection.NewAdaptive(tg.LogDensity1D, tg.Lo, tg.Hi, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(a.Points()), "points")
		})
	}
	beta := target.Beta()
	box, _ := rejection.NewUniformBox([]float64{0}, []float64{1})
	b.Run("beta/rejection-auto", func(b *testing.B) {
		for b.Loop() {
			if _, err := rejection.NewAuto(beta.LogDensity, box, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// logProber makes a log density a distuv.LogProber.
type logProber func(float64) float64

func (f logProber) LogProb(x float64) float64 { return f(x) }
