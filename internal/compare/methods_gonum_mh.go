package compare

import (
	"context"
	"math"
	"math/rand/v2"
	"time"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/samplemv"
	"gonum.org/v1/gonum/stat/sampleuv"

	"github.com/variate/variate/internal/parallel"
	"github.com/variate/variate/mcmc"
	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

// gonumMHMethod is gonum's Metropolis–Hastings with a Gaussian random walk
// scaled by hand from the target's known variances (gonum does not adapt).
// Warm-up is a separate call whose last state starts the kept chain: gonum's
// own BurnIn restarts the chain from the wrong state.
var gonumMHMethod = Method{
	Name:   "gonum-mh",
	Kind:   KindMCMC,
	needs:  needs{density: true},
	Doc:    "gonum sampleuv.MetropolisHastings / samplemv.MetropolisHastingser, random walk at 2.38/√d marginal sd (peer)",
	chains: runGonumMH,
}

// runGonumMH runs numChains gonum chains in parallel, one stream each, and
// wraps them into one mcmc.Result, so that they are diagnosed and timed as
// mcmc's own chains are.
func runGonumMH(ctx context.Context, j job) (*mcmc.Result, error) {
	t := j.target
	perChain, warm := chainLengths(j.n)
	rngs := sampler.Streams(j.seed, numChains+1)
	starts, err := chainStarts(t, rngs[numChains], numChains)
	if err != nil {
		return nil, err
	}
	scale := proposalScale(t)
	warmFns := make([]func(), numChains)
	sampleFns := make([]func() []float64, numChains)
	for i := range numChains {
		warmFns[i], sampleFns[i] = gonumChain(t, starts[i], scale, rngs[i], perChain, warm)
	}
	res := &mcmc.Result{Dim: t.Dim, Kernel: "gonum MetropolisHastings", Draws: make([][]float64, numChains), Walkers: 1, Warmup: warm, Thin: 1,
		Stats: make([]mcmc.Stats, numChains), WarmupStats: make([]mcmc.Stats, numChains)}
	// Warm-up, then sampling, each phase timed by the wall clock with all
	// chains running side by side, as mcmc.Run times ours.
	res.WarmupSeconds, err = timedPhase(func(i int) { warmFns[i]() })
	if err != nil {
		return nil, err
	}
	res.SampleSeconds, err = timedPhase(func(i int) { res.Draws[i] = sampleFns[i]() })
	if err != nil {
		return nil, err
	}
	for i, x := range res.Draws {
		moved, steps := moves(x, t.Dim)
		res.Stats[i] = mcmc.Stats{Proposals: int64(steps), Accepted: int64(moved)}
	}
	return res, ctx.Err()
}

// timedPhase runs f(0), …, f(numChains−1) side by side on the shared
// parallel loop and returns the wall-clock seconds they took; a panic in
// one comes back as an error.
func timedPhase(f func(i int)) (float64, error) {
	t0 := time.Now()
	err := parallel.For(numChains, f)
	return time.Since(t0).Seconds(), err
}

// gonumChain prepares one gonum chain: warm runs warm draws from start,
// and sample then returns perChain kept draws from where warm-up ended.
func gonumChain(t *target.Target, start, scale []float64, rng *rand.Rand, perChain, warm int) (warmFn func(), sample func() []float64) {
	d := t.Dim
	src := rand.NewPCG(rng.Uint64(), rng.Uint64())
	propSrc := rand.NewPCG(rng.Uint64(), rng.Uint64())
	if d == 1 {
		mh := sampleuv.MetropolisHastings{
			Initial:  start[0],
			Target:   logProb1(t.LogDensity1D),
			Proposal: &walk1{sd: scale[0], rng: rand.New(propSrc)},
			Src:      src,
		}
		return func() {
				w := make([]float64, warm)
				mh.Sample(w)
				mh.Initial = w[warm-1]
			}, func() []float64 {
				kept := make([]float64, perChain)
				mh.Sample(kept)
				return kept
			}
	}
	cov := mat.NewSymDense(d, nil)
	for i, s := range scale {
		cov.SetSym(i, i, s*s)
	}
	prop, ok := samplemv.NewProposalNormal(cov, propSrc)
	if !ok {
		panic("proposal covariance is not positive definite")
	}
	mh := samplemv.MetropolisHastingser{
		Initial:  start,
		Target:   logProbN(t.LogDensity),
		Proposal: prop,
		Src:      src,
	}
	return func() {
			w := mat.NewDense(warm, d, nil)
			mh.Sample(w)
			mh.Initial = append([]float64(nil), w.RawRowView(warm-1)...)
		}, func() []float64 {
			kept := mat.NewDense(perChain, d, nil)
			mh.Sample(kept)
			return kept.RawMatrix().Data
		}
}

// moves counts the steps of a chain where the state changed (accepted
// proposals, for a continuous proposal) and the steps in all.
func moves(x []float64, d int) (moved, steps int) {
	n := len(x) / d
	for k := 1; k < n; k++ {
		for j := range d {
			if x[k*d+j] != x[(k-1)*d+j] {
				moved++
				break
			}
		}
	}
	return moved, n - 1
}

// logProb1 adapts a 1-D log density to gonum's distuv.LogProber.
type logProb1 func(float64) float64

func (f logProb1) LogProb(x float64) float64 { return f(x) }

// logProbN adapts a d-D log density to gonum's distmv.LogProber.
type logProbN func([]float64) float64

func (f logProbN) LogProb(x []float64) float64 { return f(x) }

// walk1 is a Gaussian random-walk proposal for sampleuv.MetropolisHastings
// (gonum has no ready-made 1-D one).
type walk1 struct {
	sd  float64
	rng *rand.Rand
}

func (w *walk1) ConditionalLogProb(x, y float64) float64 {
	z := (x - y) / w.sd
	return -0.5*z*z - math.Log(w.sd) - 0.5*math.Log(2*math.Pi)
}

func (w *walk1) ConditionalRand(y float64) float64 { return y + w.sd*w.rng.NormFloat64() }
