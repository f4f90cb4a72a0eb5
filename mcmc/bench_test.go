package mcmc_test

import (
	"context"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/samplemv"

	"github.com/variate/variate/mcmc"
	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

// logProber adapts a log density to gonum's distmv.LogProber.
type logProber func([]float64) float64

func (f logProber) LogProb(x []float64) float64 { return f(x) }

// stepsPerOp is the number of chain steps one benchmark operation makes.
const stepsPerOp = 1000

// BenchmarkRandomWalk compares one random-walk Metropolis step on gauss2
// with gonum's samplemv.MetropolisHastingser using the same Gaussian
// proposal covariance (2.38²/2 times the target's) and the same log
// density: ns/step, and allocations per 1000 steps.
func BenchmarkRandomWalk(b *testing.B) {
	tg := target.Gauss2()
	s := 2.38 * 2.38 / 2
	cov := []float64{s, 0.9 * s, 0.9 * s, s}
	b.Run("gauss2/variate", func(b *testing.B) {
		ch, err := mcmc.NewChain(tg.LogDensity, mcmc.RandomWalk{Cov: cov}, []float64{0, 0})
		if err != nil {
			b.Fatal(err)
		}
		rng := sampler.NewRand(1)
		dst := make([]float64, 2*stepsPerOp)
		b.ReportAllocs()
		for b.Loop() {
			if err := ch.Sample(rng, dst); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N*stepsPerOp), "ns/step")
		b.ReportMetric(ch.Stats().Acceptance(), "acceptance")
	})
	b.Run("gauss2/gonum", func(b *testing.B) {
		rng := sampler.NewRand(1)
		prop, ok := samplemv.NewProposalNormal(mat.NewSymDense(2, cov), rng)
		if !ok {
			b.Fatal("gonum rejected the covariance")
		}
		mh := samplemv.MetropolisHastingser{Initial: []float64{0, 0}, Target: logProber(tg.LogDensity), Proposal: prop, Src: rng}
		batch := mat.NewDense(stepsPerOp, 2, nil)
		b.ReportAllocs()
		for b.Loop() {
			mh.Sample(batch)
			mh.Initial = batch.RawRowView(stepsPerOp - 1)
		}
		b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N*stepsPerOp), "ns/step")
	})
}

// BenchmarkAdaptiveESS runs the adaptive random walks and the stretch
// move on gauss2 without being told the covariance — 4 chains, 2500
// warm-up steps and 10000 kept draws each, a new seed per operation —
// and reports the bulk ESS of the worse coordinate per log-density
// evaluation after warm-up (ess/eval) and counting warm-up
// (ess/eval-all), and per second of sampling.
func BenchmarkAdaptiveESS(b *testing.B) {
	tg := target.Gauss2()
	for _, c := range []struct {
		name string
		k    mcmc.Kernel
	}{{"am", mcmc.AM{}}, {"ram", mcmc.RAM{}}, {"stretch", mcmc.Stretch{}}} {
		b.Run("gauss2/"+c.name, func(b *testing.B) {
			var ess, evals, kept, secs float64
			seed := uint64(0)
			for b.Loop() {
				seed++
				r, err := mcmc.Run(context.Background(), tg.LogDensity, 2, c.k, &mcmc.Options{Seed: seed, Warmup: 2500, Draws: 10000})
				if err != nil {
					b.Fatal(err)
				}
				_, e := worst(r)
				ess += e
				evals += float64(r.Evals())
				for _, s := range r.Stats {
					kept += float64(s.Proposals)
				}
				secs += r.SampleSeconds
			}
			b.ReportMetric(ess/kept, "ess/eval")
			b.ReportMetric(ess/evals, "ess/eval-all")
			b.ReportMetric(ess/secs, "ess/s")
		})
	}
}

// The emcee peer's run: 32 walkers, 31250 steps, the first fifth
// discarded before estimating τ.
const emceeSteps, emceeWalkers = 31250, 32

// stretchRun runs the stretch move as the emcee peer does on tg and
// returns the chain and, per coordinate, the series of every walker
// after burn-in.
func stretchRun(tg *target.Target, seed uint64, steps int) (*mcmc.Chain, [][][]float64, error) {
	rng := sampler.NewRand(seed)
	starts := make([][]float64, emceeWalkers)
	for i := range starts {
		starts[i] = make([]float64, tg.Dim)
		for j := range starts[i] {
			starts[i][j] = rng.NormFloat64()
		}
	}
	ch, err := mcmc.NewChain(tg.LogDensity, mcmc.Stretch{Walkers: emceeWalkers}, starts...)
	if err != nil {
		return nil, nil, err
	}
	burn := steps / 5
	series := make([][][]float64, tg.Dim)
	for j := range series {
		series[j] = make([][]float64, emceeWalkers)
	}
	step := make([]float64, emceeWalkers*tg.Dim) // one step: every walker in turn
	for s := range steps {
		if err := ch.Sample(rng, step); err != nil {
			return nil, nil, err
		}
		if s < burn {
			continue
		}
		for w := range emceeWalkers {
			for j := range series {
				series[j][w] = append(series[j][w], step[w*tg.Dim+j])
			}
		}
	}
	return ch, series, nil
}

// BenchmarkStretch measures the stretch move with 32 walkers on gauss2
// and banana, as the emcee peer does: log-density evaluations per second
// while stepping, and, from one run of 31250 steps with the first fifth
// discarded, the acceptance and the integrated autocorrelation time of
// each coordinate by emcee's estimator (AutocorrTime, c = 5).
func BenchmarkStretch(b *testing.B) {
	for _, tg := range []*target.Target{target.Gauss2(), target.Banana()} {
		b.Run(tg.Name, func(b *testing.B) {
			rng := sampler.NewRand(1)
			starts := make([][]float64, emceeWalkers)
			for i := range starts {
				starts[i] = []float64{rng.NormFloat64(), rng.NormFloat64()}
			}
			ch, err := mcmc.NewChain(tg.LogDensity, mcmc.Stretch{Walkers: emceeWalkers}, starts...)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				ch.Step(rng)
			}
			b.ReportMetric(float64(b.N*emceeWalkers)/b.Elapsed().Seconds(), "evals/s")

			b.StopTimer()
			ch, series, err := stretchRun(tg, 2, emceeSteps)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(ch.Stats().Acceptance(), "acceptance")
			b.ReportMetric(mcmc.AutocorrTime(series[0]), "tau0")
			b.ReportMetric(mcmc.AutocorrTime(series[1]), "tau1")
			b.StartTimer()
		})
	}
}

// BenchmarkSummarize times the diagnostics of one parameter: 4 chains of
// 10000 draws, and 32 walkers of 4096 (what the automatic length keeps).
func BenchmarkSummarize(b *testing.B) {
	for _, c := range []struct {
		name string
		m, n int
	}{{"4x10000", 4, 10000}, {"32x4096", 32, 4096}} {
		x := ar1(1, c.m, c.n, 0.9, 0)
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				mcmc.Summarize(x)
			}
		})
	}
}
