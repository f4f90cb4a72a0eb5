package transform_test

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/variate/variate/sampler"
	"github.com/variate/variate/transform"
)

const batch = 4096

func perSample(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/batch, "ns/sample")
}

// fill runs one batch of a per-draw function.
func fill(b *testing.B, draw func() float64) {
	buf := make([]float64, batch)
	b.ReportAllocs()
	for b.Loop() {
		for i := range buf {
			buf[i] = draw()
		}
	}
	perSample(b)
}

func sample(b *testing.B, s sampler.Sampler) {
	buf := make([]float64, batch)
	rng := sampler.NewRand(1)
	b.ReportAllocs()
	for b.Loop() {
		_ = s.Sample(rng, buf)
	}
	perSample(b)
}

// BenchmarkSample compares the table with Go's own normal generator,
// gonum's Rand and gonum's Quantile inversion, target by target.
func BenchmarkSample(b *testing.B) {
	for _, tg := range oneD() {
		tb, err := transform.NewTable(density(tg), tg.Lo, tg.Hi, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(tg.Name+"/table", func(b *testing.B) { sample(b, tb) })
		if tg.Quantile != nil {
			b.Run(tg.Name+"/quantile", func(b *testing.B) { sample(b, transform.Quantile(tg.Quantile)) })
		}
		src := rand.NewPCG(1, 2)
		rng := rand.New(src)
		switch tg.Name {
		case "normal":
			b.Run("normal/normfloat64", func(b *testing.B) { fill(b, rng.NormFloat64) })
			d := distuv.Normal{Mu: 0, Sigma: 1, Src: src}
			b.Run("normal/gonum-rand", func(b *testing.B) { fill(b, d.Rand) })
		case "gamma":
			d := distuv.Gamma{Alpha: 2.5, Beta: 1, Src: src}
			b.Run("gamma/gonum-rand", func(b *testing.B) { fill(b, d.Rand) })
			b.Run("gamma/gonum-quantile", func(b *testing.B) { fill(b, func() float64 { return d.Quantile(rng.Float64()) }) })
		case "beta":
			d := distuv.Beta{Alpha: 2, Beta: 5, Src: src}
			b.Run("beta/gonum-rand", func(b *testing.B) { fill(b, d.Rand) })
			b.Run("beta/gonum-quantile", func(b *testing.B) { fill(b, func() float64 { return d.Quantile(rng.Float64()) }) })
		case "exponential":
			b.Run("exponential/expfloat64", func(b *testing.B) { fill(b, rng.ExpFloat64) })
		}
	}
}

// BenchmarkSetup measures building a table at the default tolerance
// 1e-10, with the density evaluations and intervals it needs.
func BenchmarkSetup(b *testing.B) {
	for _, tg := range oneD() {
		f := density(tg)
		b.Run(tg.Name+"/table", func(b *testing.B) {
			var tb *transform.Table
			for b.Loop() {
				tb, _ = transform.NewTable(f, tg.Lo, tg.Hi, nil)
			}
			b.ReportMetric(float64(tb.Evaluations()), "evals")
			b.ReportMetric(float64(tb.Intervals()), "intervals")
		})
	}
	// The normal from a plain closure, as a user would write it.
	b.Run("normal-plain/table", func(b *testing.B) {
		for b.Loop() {
			_, _ = transform.NewTable(func(x float64) float64 { return math.Exp(-0.5 * x * x) }, math.Inf(-1), math.Inf(1), nil)
		}
	})
}

// versus times two ways of filling a batch in alternation, so that both
// meet the same load on a shared machine, and reports the first's time
// over the second's as "ratio".
func versus(b *testing.B, first, second func(buf []float64)) {
	buf := make([]float64, batch)
	var t1, t2 time.Duration
	for b.Loop() {
		t0 := time.Now()
		first(buf)
		t := time.Now()
		second(buf)
		t1 += t.Sub(t0)
		t2 += time.Since(t)
	}
	b.ReportMetric(float64(t1)/float64(t2), "ratio")
}

// BenchmarkVersus gives the ratios the package is held to, each measured
// in alternation: the table against Go's normal generator, against
// gonum's Rand and Quantile, and every target's table against the
// normal's (the spread of sampling cost across targets).
func BenchmarkVersus(b *testing.B) {
	tables := map[string]*transform.Table{}
	for _, tg := range oneD() {
		tb, err := transform.NewTable(density(tg), tg.Lo, tg.Hi, nil)
		if err != nil {
			b.Fatal(err)
		}
		tables[tg.Name] = tb
	}
	rng := sampler.NewRand(1)
	table := func(name string) func([]float64) {
		tb := tables[name]
		return func(buf []float64) { _ = tb.Sample(rng, buf) }
	}
	each := func(draw func() float64) func([]float64) {
		return func(buf []float64) {
			for i := range buf {
				buf[i] = draw()
			}
		}
	}
	src := rand.NewPCG(1, 2)
	other := rand.New(src)
	gamma := distuv.Gamma{Alpha: 2.5, Beta: 1, Src: src}
	beta := distuv.Beta{Alpha: 2, Beta: 5, Src: src}
	b.Run("normal/table-vs-normfloat64", func(b *testing.B) { versus(b, table("normal"), each(other.NormFloat64)) })
	b.Run("gamma/table-vs-gonum-rand", func(b *testing.B) { versus(b, table("gamma"), each(gamma.Rand)) })
	b.Run("gamma/table-vs-gonum-quantile", func(b *testing.B) {
		versus(b, table("gamma"), each(func() float64 { return gamma.Quantile(other.Float64()) }))
	})
	b.Run("beta/table-vs-gonum-rand", func(b *testing.B) { versus(b, table("beta"), each(beta.Rand)) })
	b.Run("beta/table-vs-gonum-quantile", func(b *testing.B) {
		versus(b, table("beta"), each(func() float64 { return beta.Quantile(other.Float64()) }))
	})
	for _, tg := range oneD() {
		if tg.Name != "normal" {
			b.Run(tg.Name+"/table-vs-normal-table", func(b *testing.B) { versus(b, table(tg.Name), table("normal")) })
		}
	}
}
