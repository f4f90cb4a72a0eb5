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

// BenchmarkAdaptiveESS runs the adaptive random walks on gauss2 at the
// default settings without being told the covariance, a new seed per
// operation, and reports bulk ESS (worst coordinate) per log-density
// evaluation after warm-up (ess/eval) and counting warm-up
// (ess/eval-all), and bulk ESS per second of sampling.
func BenchmarkAdaptiveESS(b *testing.B) {
	tg := target.Gauss2()
	for _, k := range []mcmc.Kernel{mcmc.AM{}, mcmc.RAM{}, mcmc.RAM{TargetAccept: 0.35}, mcmc.Stretch{}} {
		b.Run("gauss2/"+kernelName(k), func(b *testing.B) {
			var ess, evals, kept, secs float64
			seed := uint64(0)
			for b.Loop() {
				seed++
				r, err := mcmc.Run(context.Background(), tg.LogDensity, 2, k, &mcmc.Options{Seed: seed})
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

func kernelName(k mcmc.Kernel) string {
	switch k := k.(type) {
	case mcmc.AM:
		return "am"
	case mcmc.RAM:
		if k.TargetAccept != 0 {
			return "ram-0.35"
		}
		return "ram"
	case mcmc.Stretch:
		return "stretch"
	}
	return k.String()
}

// emceeSteps and emceeWalkers are the sizes of the emcee peer run.
const emceeSteps, emceeWalkers = 31250, 32

// BenchmarkStretch measures the stretch move with 32 walkers on gauss2
// and banana, as the emcee peer does: log-density evaluations per second
// while stepping, and, from one run of 31250 steps with the first fifth
// discarded, the acceptance and the integrated autocorrelation time of
// the first coordinate by emcee's estimator (AutocorrTime).
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
			ch, _ = mcmc.NewChain(tg.LogDensity, mcmc.Stretch{Walkers: emceeWalkers}, starts...)
			burn := emceeSteps / 5
			series := make([][]float64, emceeWalkers)
			for s := range emceeSteps {
				ch.Step(rng)
				if s < burn {
					continue
				}
				for w := range series {
					x, _ := ch.State(w)
					series[w] = append(series[w], x[0])
				}
			}
			b.ReportMetric(ch.Stats().Acceptance(), "acceptance")
			b.ReportMetric(mcmc.AutocorrTime(series), "tau")
			b.StartTimer()
		})
	}
}
