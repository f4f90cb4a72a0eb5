package compare

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/samplemv"
	"gonum.org/v1/gonum/stat/sampleuv"

	"github.com/variate/variate/target"
)

// gonumMHMethod is gonum's Metropolis–Hastings with a Gaussian random walk
// scaled by hand from the target's known variances (gonum does not adapt).
// Warm-up is a separate call whose last state starts the kept chain: gonum's
// own BurnIn restarts the chain from the wrong state.
var gonumMHMethod = Method{
	Name:  "gonum-mh",
	Kind:  KindPeer,
	Needs: Needs{Density: true},
	Doc:   "gonum sampleuv.MetropolisHastings / samplemv.MetropolisHastingser, random walk at 2.38/√d marginal sd (peer)",
	Run:   runGonumMH,
}

// runGonumMH runs NumChains gonum chains in parallel, one stream each.
func runGonumMH(ctx context.Context, t *target.Target, n int, seed uint64) (Chains, error) {
	perChain, warm := chainLengths(n)
	rngs := chainSeeds(seed, NumChains+1)
	starts, err := chainStarts(t, rngs[NumChains], NumChains)
	if err != nil {
		return Chains{}, err
	}
	scale := proposalScale(t)
	out := Chains{Draws: make([][]float64, NumChains)}
	var wg sync.WaitGroup
	errs := make([]error, NumChains)
	warmNs, sampleNs := make([]int64, NumChains), make([]int64, NumChains)
	for i := range NumChains {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("chain %d: panic: %v", i, r)
				}
			}()
			out.Draws[i], warmNs[i], sampleNs[i] = gonumChain(t, starts[i], scale, rngs[i], perChain, warm)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return Chains{}, err
		}
	}
	// The chains ran side by side: the wall time is that of the slowest.
	var moved, steps int
	for i := range NumChains {
		out.WarmSeconds = max(out.WarmSeconds, float64(warmNs[i])/1e9)
		out.Seconds = max(out.Seconds, float64(sampleNs[i])/1e9)
		m, s := moves(out.Draws[i], t.Dim)
		moved, steps = moved+m, steps+s
	}
	out.Info = map[string]float64{"acceptance": float64(moved) / float64(steps), "warmup": float64(warm), "chains": NumChains}
	return out, ctx.Err()
}

// gonumChain runs one gonum chain: warm draws from start, then perChain
// kept draws from where warm-up ended. It returns the kept draws and the
// nanoseconds spent in each phase.
func gonumChain(t *target.Target, start, scale []float64, rng *rand.Rand, perChain, warm int) ([]float64, int64, int64) {
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
		w := make([]float64, warm)
		t0 := time.Now()
		mh.Sample(w)
		tw := time.Since(t0)
		mh.Initial = w[warm-1]
		kept := make([]float64, perChain)
		t0 = time.Now()
		mh.Sample(kept)
		return kept, tw.Nanoseconds(), time.Since(t0).Nanoseconds()
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
	w := mat.NewDense(warm, d, nil)
	t0 := time.Now()
	mh.Sample(w)
	tw := time.Since(t0)
	mh.Initial = append([]float64(nil), w.RawRowView(warm-1)...)
	kept := mat.NewDense(perChain, d, nil)
	t0 = time.Now()
	mh.Sample(kept)
	return kept.RawMatrix().Data, tw.Nanoseconds(), time.Since(t0).Nanoseconds()
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
