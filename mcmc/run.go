package mcmc

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/variate/variate/sampler"
)

// An InitFunc writes into x a starting point for walker i (chain i, or
// for Stretch walker i of all ensembles counted in order), drawing any
// randomness from rng.
type InitFunc func(rng *rand.Rand, i int, x []float64)

// Around returns an InitFunc that starts every walker uniformly in the
// box center ± radius, coordinate by coordinate. It panics if radius is
// negative or not finite.
func Around(center []float64, radius float64) InitFunc {
	if !(radius >= 0) || math.IsInf(radius, 1) {
		panic(fmt.Sprintf("mcmc: Around radius %v", radius))
	}
	c := append([]float64(nil), center...)
	return func(rng *rand.Rand, _ int, x []float64) {
		if len(x) != len(c) {
			panic(fmt.Sprintf("mcmc: Around centre has dimension %d, target has %d", len(c), len(x)))
		}
		for j := range x {
			x[j] = c[j] + radius*(2*rng.Float64()-1)
		}
	}
}

// Options configure Run; the zero value means the documented defaults.
type Options struct {
	// Chains is the number of independent chains (for Stretch,
	// ensembles) run in parallel; 0 means 4.
	Chains int
	// Warmup is the number of steps per chain made before any draw is
	// kept, with adaptation on; 0 means 2500, a negative number none.
	Warmup int
	// Draws is the number of draws kept per chain (per walker for
	// Stretch); 0 means 10000. Random-walk chains need about ten times
	// the draws a gradient-based sampler needs for the same effective
	// sample size, hence defaults ten times Stan's; on cheap densities
	// they take milliseconds.
	Draws int
	// Thin keeps one step in Thin; 0 means 1.
	Thin int
	// Seed fixes every random choice: chain i uses stream i of
	// sampler.Streams(Seed, Chains), so the output is the same whatever
	// GOMAXPROCS is.
	Seed uint64
	// Init gives the starting points; nil means uniform on (−2, 2) in
	// every coordinate, as Stan does. A point where the log density is
	// not finite is drawn again, up to 100 times.
	Init InitFunc
}

// maxInitTries bounds the search for a starting point with a finite log
// density.
const maxInitTries = 100

func (o *Options) withDefaults() (Options, error) {
	var r Options
	if o != nil {
		r = *o
	}
	switch {
	case r.Chains < 0:
		return r, fmt.Errorf("mcmc: Options.Chains is %d, want a positive number", r.Chains)
	case r.Draws < 0:
		return r, fmt.Errorf("mcmc: Options.Draws is %d, want a positive number", r.Draws)
	case r.Thin < 0:
		return r, fmt.Errorf("mcmc: Options.Thin is %d, want a positive number", r.Thin)
	}
	if r.Chains == 0 {
		r.Chains = 4
	}
	if r.Draws == 0 {
		r.Draws = 10000
	}
	if r.Thin == 0 {
		r.Thin = 1
	}
	switch {
	case r.Warmup == 0:
		r.Warmup = 2500
	case r.Warmup < 0:
		r.Warmup = 0
	}
	if r.Init == nil {
		r.Init = func(rng *rand.Rand, _ int, x []float64) {
			for j := range x {
				x[j] = 4*rng.Float64() - 2
			}
		}
	}
	return r, nil
}

// A Result holds the draws of a Run and what the chains did.
type Result struct {
	// Dim is the dimension of the target.
	Dim int
	// Kernel names the kernel.
	Kernel string
	// Draws holds one slice per chain — per walker for Stretch, the
	// walkers of ensemble 0 first — with the kept draws one after
	// another, Dim values each.
	Draws [][]float64
	// Walkers is the number of walkers per ensemble (1 for single-chain
	// kernels): Draws[i] belongs to ensemble i/Walkers.
	Walkers int
	// Warmup and Thin are the settings used.
	Warmup, Thin int
	// Stats counts the moves after warm-up and WarmupStats those during
	// warm-up, per chain (per ensemble for Stretch).
	Stats, WarmupStats []Stats
	// WarmupSeconds and SampleSeconds are the wall-clock times of the
	// two phases, all chains running in parallel.
	WarmupSeconds, SampleSeconds float64
}

// Len returns the number of draws per chain.
func (r *Result) Len() int {
	if len(r.Draws) == 0 || r.Dim == 0 {
		return 0
	}
	return len(r.Draws[0]) / r.Dim
}

// Param returns coordinate j of the draws as chains × draws, the shape
// the diagnostics take. It panics if j is out of range.
func (r *Result) Param(j int) [][]float64 {
	if j < 0 || j >= r.Dim {
		panic(fmt.Sprintf("mcmc: coordinate %d of %d", j, r.Dim))
	}
	n := r.Len()
	out := make([][]float64, len(r.Draws))
	for i, x := range r.Draws {
		out[i] = make([]float64, n)
		for k := range n {
			out[i][k] = x[k*r.Dim+j]
		}
	}
	return out
}

// Pooled returns all draws in one slice, interleaved across chains (draw
// 0 of every chain, then draw 1, …) so that any prefix comes from every
// chain.
func (r *Result) Pooled() []float64 {
	n, d := r.Len(), r.Dim
	out := make([]float64, 0, n*d*len(r.Draws))
	for k := range n {
		for _, x := range r.Draws {
			out = append(out, x[k*d:(k+1)*d]...)
		}
	}
	return out
}

// Acceptance returns the share of proposals accepted after warm-up,
// over all chains.
func (r *Result) Acceptance() float64 {
	var s Stats
	for _, c := range r.Stats {
		s = s.add(c)
	}
	return s.Acceptance()
}

// Evals returns the number of log-density evaluations made, warm-up and
// starting points included.
func (r *Result) Evals() int64 {
	e := int64(len(r.Draws))
	for i := range r.Stats {
		e += r.Stats[i].Proposals + r.WarmupStats[i].Proposals
	}
	return e
}

// Run runs opts.Chains chains of kernel k on the log density f over R^dim
// in parallel, one goroutine and one random stream each: warm-up (with
// adaptation for AM and RAM), then opts.Draws kept draws per chain. The
// same Seed gives the same bits whatever GOMAXPROCS is.
//
// If ctx is cancelled, Run returns the draws made so far (every chain cut
// to the shortest) with an error saying so. A chain whose log density is
// NaN or +Inf at more than half its proposals stops the run with an
// error naming the chain.
func Run(ctx context.Context, f LogDensity, dim int, k Kernel, opts *Options) (*Result, error) {
	if f == nil {
		return nil, errors.New("mcmc: no log density")
	}
	if k == nil {
		return nil, errors.New("mcmc: no kernel")
	}
	if dim < 1 {
		return nil, fmt.Errorf("mcmc: dimension %d, want at least 1", dim)
	}
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	rngs := sampler.Streams(o.Seed, o.Chains)
	chains := make([]*Chain, o.Chains)
	for i := range chains {
		m, err := k.newMover(dim)
		if err != nil {
			return nil, err
		}
		w := m.walkers()
		start := make([][]float64, w)
		for j := range start {
			if start[j], err = initPoint(f, o.Init, rngs[i], i*w+j, dim); err != nil {
				return nil, err
			}
		}
		if chains[i], err = newChain(f, k, m, dim, start); err != nil {
			return nil, inChain(i, err)
		}
	}
	w := chains[0].w
	res := &Result{Dim: dim, Kernel: k.String(), Walkers: w, Warmup: o.Warmup, Thin: o.Thin,
		Draws: make([][]float64, o.Chains*w), Stats: make([]Stats, o.Chains), WarmupStats: make([]Stats, o.Chains)}
	for i := range res.Draws {
		res.Draws[i] = make([]float64, 0, o.Draws*dim)
	}
	errs := make([]error, o.Chains)

	// Warm-up, then a barrier, so the two phases are timed apart.
	t0 := time.Now()
	parallel(o.Chains, func(i int) {
		c := chains[i]
		c.m.setAdapt(true)
		for s := range o.Warmup {
			if s%checkEvery == 0 && ctx.Err() != nil {
				break
			}
			c.m.step(rngs[i], c.f, c.pos, c.lp, &c.warm)
			if s%checkEvery == 0 {
				if errs[i] = c.warm.check(); errs[i] != nil {
					break
				}
			}
		}
		c.m.setAdapt(false)
		if errs[i] == nil {
			errs[i] = c.warm.check()
		}
	})
	res.WarmupSeconds = time.Since(t0).Seconds()
	if err := firstErr(errs); err == nil && ctx.Err() == nil {
		t1 := time.Now()
		parallel(o.Chains, func(i int) {
			c := chains[i]
			d := c.d
			out := res.Draws[i*w : (i+1)*w]
			for s := range o.Draws {
				if s%checkEvery == 0 {
					if ctx.Err() != nil {
						break
					}
					if errs[i] = c.stats.check(); errs[i] != nil {
						break
					}
				}
				for range o.Thin {
					c.m.step(rngs[i], c.f, c.pos, c.lp, &c.stats)
				}
				for j := range out {
					out[j] = append(out[j], c.pos[j*d:(j+1)*d]...)
				}
			}
			if errs[i] == nil {
				errs[i] = c.stats.check()
			}
		})
		res.SampleSeconds = time.Since(t1).Seconds()
	}
	for i, c := range chains {
		res.Stats[i], res.WarmupStats[i] = c.stats, c.warm
	}
	if err := firstErr(errs); err != nil {
		return res, err
	}
	if n := res.Len(); ctx.Err() != nil || n < o.Draws {
		for _, x := range res.Draws {
			n = min(n, len(x)/dim)
		}
		for i := range res.Draws {
			res.Draws[i] = res.Draws[i][:n*dim]
		}
		return res, fmt.Errorf("mcmc: stopped after %d of %d draws per chain: %w", n, o.Draws, context.Cause(ctx))
	}
	return res, nil
}

// checkEvery is how often (in steps) a running chain looks at the
// context and at its count of bad log densities.
const checkEvery = 64

// initPoint draws a starting point for walker i where f is finite.
func initPoint(f LogDensity, init InitFunc, rng *rand.Rand, i, dim int) ([]float64, error) {
	x := make([]float64, dim)
	var lp float64
	for range maxInitTries {
		init(rng, i, x)
		if lp = f(x); !math.IsNaN(lp) && !math.IsInf(lp, 0) {
			return x, nil
		}
	}
	return nil, fmt.Errorf("mcmc: no starting point with a finite log density for walker %d in %d tries (last x=%v, log density %v); give Options.Init", i, maxInitTries, x, lp)
}

// inChain prefixes an error with the chain it happened in.
func inChain(i int, err error) error {
	return fmt.Errorf("mcmc: chain %d: %s", i, strings.TrimPrefix(err.Error(), "mcmc: "))
}

// parallel runs f(0), …, f(n−1) in their own goroutines and waits.
func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { f(i) })
	}
	wg.Wait()
}

// firstErr returns the error of the lowest-numbered chain that failed,
// naming the chain.
func firstErr(errs []error) error {
	for i, e := range errs {
		if e != nil {
			return inChain(i, e)
		}
	}
	return nil
}

// lowAcceptance is the acceptance below which Summary warns that the
// chains barely move.
const lowAcceptance = 0.01

// Summary returns the summary of every coordinate ([Summarize]), with the
// acceptance filled in and, besides the diagnostics' own warnings, a
// warning when the acceptance is below 1% or when log densities were NaN
// or +Inf.
func (r *Result) Summary() []Summary {
	out := make([]Summary, r.Dim)
	acc := r.Acceptance()
	var bad, props int64
	for i := range r.Stats {
		bad += r.Stats[i].NonFinite + r.WarmupStats[i].NonFinite
		props += r.Stats[i].Proposals + r.WarmupStats[i].Proposals
	}
	for j := range out {
		if r.Len() == 0 {
			out[j] = Summary{Mean: math.NaN(), Median: math.NaN(), SD: math.NaN(), MAD: math.NaN(), Q5: math.NaN(), Q95: math.NaN(),
				MCSEMean: math.NaN(), MCSEMedian: math.NaN(), MCSESD: math.NaN(), MCSEQ5: math.NaN(), MCSEQ95: math.NaN(),
				ESSBulk: math.NaN(), ESSTail: math.NaN(), RHat: math.NaN(), Acceptance: acc,
				Warnings: []string{"no draws"}}
			continue
		}
		out[j] = Summarize(r.Param(j))
		out[j].Acceptance = acc
		if acc < lowAcceptance {
			out[j].Warnings = append(out[j].Warnings, fmt.Sprintf("acceptance %.2g%% below 1%%: the chains barely move; try a smaller step", 100*acc))
		}
		if bad > 0 {
			out[j].Warnings = append(out[j].Warnings, fmt.Sprintf("log density NaN or +Inf at %d of %d proposals (counted as rejections)", bad, props))
		}
	}
	return out
}
