package mcmc

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"github.com/variate/variate/internal/parallel"
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
	// Stretch). 0 means that Run chooses the length: it draws in rounds,
	// the first of 10000 draws per chain and each later one doubling the
	// length, and stops when at the ends of two rounds in a row every
	// coordinate has an R-hat of at most RHatLimit and bulk and tail
	// effective sample sizes of at least ESSLimit (the recommendations of
	// Vehtari et al. 2021; two looks, so that a passing fluctuation does
	// not end the run), or when MaxEvals is spent (Result.Exhausted then
	// says so). To bound memory and the diagnostics' cost it keeps at
	// most 2¹⁷ draws per coordinate over all chains (but at least 1024
	// per chain, the first round shortened to fit), doubling the thinning
	// and dropping every other kept draw as needed.
	Draws int
	// Thin keeps one step in Thin; 0 means 1. With Draws 0 it is the
	// starting thinning.
	Thin int
	// MaxEvals bounds the log-density evaluations per chain (per
	// ensemble for Stretch) after warm-up when Draws is 0; 0 means 2²³.
	MaxEvals int64
	// Seed fixes every random choice: chain i uses stream i of
	// sampler.Streams(Seed, Chains), so the output is the same whatever
	// GOMAXPROCS is.
	Seed uint64
	// Init gives the starting points; nil means uniform on (−2, 2) in
	// every coordinate, as Stan does, and when the log density is not
	// finite there, on a box twice as wide after every 10 tries (for
	// targets whose support lies away from the origin), and after 100
	// tries on every width in turn again, from the narrowest (for
	// supports near the origin, which the wide boxes rarely hit). A
	// point where the log density is not finite is drawn again, up to
	// 1000 times.
	Init InitFunc
}

// The automatic length's settings (see Options.Draws).
const (
	autoFirst    = 10000   // draws per chain of the first round
	autoStore    = 1 << 17 // most draws kept per coordinate, over all chains
	autoMinStore = 1024    // ... but at least this many per chain
	autoMaxEvals = 1 << 23 // default Options.MaxEvals
)

// maxInitTries bounds the search for a starting point with a finite log
// density; the default box doubles every initWiden tries for the first
// initWiden² tries, then cycles through those widths.
const maxInitTries, initWiden = 1000, 10

func (o *Options) withDefaults() (Options, error) {
	var r Options
	if o != nil {
		r = *o
	}
	switch {
	case r.Chains < 0:
		return r, fmt.Errorf("mcmc: Options.Chains is %d, want a positive number", r.Chains)
	case r.Draws < 0:
		return r, fmt.Errorf("mcmc: Options.Draws is %d, want a positive number (or 0 for automatic)", r.Draws)
	case r.Thin < 0:
		return r, fmt.Errorf("mcmc: Options.Thin is %d, want a positive number", r.Thin)
	case r.MaxEvals < 0:
		return r, fmt.Errorf("mcmc: Options.MaxEvals is %d, want a positive number", r.MaxEvals)
	}
	if r.Chains == 0 {
		r.Chains = 4
	}
	if r.Thin == 0 {
		r.Thin = 1
	}
	if r.MaxEvals == 0 {
		r.MaxEvals = autoMaxEvals
	}
	switch {
	case r.Warmup == 0:
		r.Warmup = 2500
	case r.Warmup < 0:
		r.Warmup = 0
	}
	if r.Init == nil {
		r.Init = defaultInit
	}
	return r, nil
}

// defaultInit draws uniformly on (−2, 2)^d, widened by initPoint's retries.
func defaultInit(rng *rand.Rand, _ int, x []float64) {
	for j := range x {
		x[j] = 4*rng.Float64() - 2
	}
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
	// Warmup is the number of warm-up steps per chain, and Thin the
	// thinning of the kept draws (with Draws 0 in the options, the
	// thinning reached).
	Warmup, Thin int
	// Auto reports that Run chose the length (Options.Draws was 0), and
	// Exhausted that it then stopped at Options.MaxEvals, the
	// diagnostics not having passed at two looks in a row.
	Auto, Exhausted bool
	// Stats counts the moves after warm-up and WarmupStats those during
	// warm-up, per chain (per ensemble for Stretch).
	Stats, WarmupStats []Stats
	// WarmupSeconds and SampleSeconds are the wall-clock times of the
	// two phases, all chains running in parallel; SampleSeconds includes
	// the diagnostics between rounds when Run chose the length.
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
// in parallel, one random stream each: warm-up (with adaptation for AM and
// RAM), then the kept draws — opts.Draws per chain, or as many as the
// diagnostics ask for (see Options.Draws). The same Seed gives the same
// bits whatever GOMAXPROCS is. A nil k means AM{}, the recommended
// default.
//
// If ctx is cancelled, Run returns the draws made so far (every chain cut
// to the shortest) with an error saying so. Every chain looks at ctx
// before each log-density evaluation (for Stretch, before each walker's
// move) and between the diagnostics of the automatic length, so Run
// returns promptly whatever the kernel, the dimension and the length
// asked for: within one evaluation per chain when one evaluation is slow.
// Draws are stored as they are kept, not allocated for the whole run up
// front.
//
// A chain whose log density is NaN or +Inf at more than half its
// proposals stops the run with an error naming the chain. A panic in the
// log density or in a proposal, on the chains' goroutines or while
// finding the starting points, stops every chain and comes back as an
// error, not a panic: "mcmc: log density panicked at step s of warm-up in
// chain i: <value>" followed by the stack of the goroutine that panicked
// (warm-up, sampling, or the starting point; "proposal" when the
// proposal panicked); the Result beside it holds the draws made before
// the stop, every chain cut to the shortest. A panic in opts.Init is a
// programmer error and is not recovered.
func Run(ctx context.Context, f LogDensity, dim int, k Kernel, opts *Options) (*Result, error) {
	if f == nil {
		return nil, errors.New("mcmc: no log density")
	}
	if k == nil {
		k = AM{}
	}
	if dim < 1 {
		return nil, fmt.Errorf("mcmc: dimension %d, want at least 1", dim)
	}
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	rngs := sampler.Streams(o.Seed, o.Chains)
	s := &sampling{ctx: ctx, rngs: rngs, thin: o.Thin, chains: make([]*Chain, o.Chains)}
	// One flag that every chain reads before each evaluation: cheaper
	// than asking ctx, and also raised when a chain panics.
	defer context.AfterFunc(ctx, func() { s.stop.Store(true) })()
	if ctx.Err() != nil { // AfterFunc calls its function in a goroutine of its own
		s.stop.Store(true)
	}
	for i := range s.chains {
		if err := s.startChain(f, k, dim, i, o.Init, opts == nil || opts.Init == nil); err != nil {
			return nil, err
		}
	}
	chains := s.chains
	w := chains[0].w
	res := &Result{Dim: dim, Kernel: k.String(), Walkers: w, Warmup: o.Warmup, Thin: o.Thin, Auto: o.Draws == 0,
		Draws: make([][]float64, o.Chains*w), Stats: make([]Stats, o.Chains), WarmupStats: make([]Stats, o.Chains)}
	errs := make([]error, o.Chains)
	s.res, s.errs = res, errs

	// Warm-up, then a barrier, so the two phases are timed apart.
	t0 := time.Now()
	s.each(func(i int, step *int64) {
		c := chains[i]
		c.m.setAdapt(true)
		defer c.m.setAdapt(false)
		for *step = 0; *step < int64(o.Warmup); *step++ {
			if s.stop.Load() {
				return
			}
			if *step%checkEvery == 0 {
				if errs[i] = c.warm.check(); errs[i] != nil {
					return
				}
			}
			c.m.step(rngs[i], c.f, c.pos, c.lp, &c.warm)
		}
		errs[i] = c.warm.check()
	}, "of warm-up")
	res.WarmupSeconds = time.Since(t0).Seconds()

	warmedUp := firstErr(errs) == nil && !s.stop.Load()
	if warmedUp {
		t1 := time.Now()
		if o.Draws > 0 {
			s.extend(int64(o.Draws) * int64(o.Thin))
		} else {
			s.auto(o.MaxEvals)
		}
		res.Thin = s.thin
		res.SampleSeconds = time.Since(t1).Seconds()
	}
	for i, c := range chains {
		res.Stats[i], res.WarmupStats[i] = c.stats, c.warm
	}
	// Chains stopped by a cancel or by another chain's panic end at
	// different lengths: the result keeps the common part, so that its
	// chains stay the same length whatever the error.
	n := math.MaxInt
	for _, x := range res.Draws {
		n = min(n, len(x)/dim)
	}
	for i := range res.Draws {
		res.Draws[i] = res.Draws[i][:n*dim]
	}
	if err := firstErr(errs); err != nil {
		return res, err
	}
	if n < o.Draws || s.cut || !warmedUp {
		cause := context.Cause(ctx)
		switch {
		case !warmedUp:
			return res, fmt.Errorf("mcmc: stopped during warm-up: %w", cause)
		case o.Draws > 0:
			return res, fmt.Errorf("mcmc: stopped after %d of %d draws per chain: %w", n, o.Draws, cause)
		}
		return res, fmt.Errorf("mcmc: stopped after %d draws per chain, before the diagnostics were satisfied: %w", n, cause)
	}
	return res, nil
}

// startChain finds the starting points of chain i and builds it, turning
// a panic of the log density or of the proposal into an error.
func (s *sampling) startChain(f LogDensity, k Kernel, dim, i int, init InitFunc, widen bool) (err error) {
	m, err := k.newMover(dim)
	if err != nil {
		return err
	}
	if sm, ok := m.(*stretchMover); ok {
		sm.stop = &s.stop
	}
	inInit := false
	defer func() {
		if inInit {
			return // a panic of the InitFunc goes on up
		}
		if p := recover(); p != nil {
			err = panicked(m, "at the starting point", i, p)
		}
	}()
	w := m.walkers()
	start := make([][]float64, w)
	for j := range start {
		if start[j], err = initPoint(f, init, s.rngs[i], i*w+j, dim, widen, &inInit); err != nil {
			if w > 1 {
				return fmt.Errorf("mcmc: chain %d, walker %d: %w", i, j, err)
			}
			return fmt.Errorf("mcmc: chain %d: %w", i, err)
		}
	}
	if s.chains[i], err = newChain(f, k, m, dim, start); err != nil {
		return inChain(i, err)
	}
	return nil
}

// each runs phase(i, &step) for every chain i, all chains at once so that
// they progress together (a cancel then cuts them to a common length
// close to what each made), whatever GOMAXPROCS is. A panic in a
// chain raises the stop flag and becomes that chain's error, naming the
// step the chain was at (phase counts it in *step) and where (of warm-up,
// of sampling).
func (s *sampling) each(phase func(i int, step *int64), where string) {
	err := parallel.Concurrent(len(s.chains), func(i int) {
		var step int64
		defer func() {
			if p := recover(); p != nil {
				s.stop.Store(true)
				s.errs[i] = panicked(s.chains[i].m, fmt.Sprintf("at step %d %s", step+1, where), i, p)
			}
		}()
		phase(i, &step)
	})
	if err != nil { // a panic outside phase: a defect of the package
		s.stop.Store(true)
		s.errs[0] = fmt.Errorf("mcmc: internal error on a chain's goroutine (please report): %w", err)
	}
}

// panicked describes a panic recovered in chain i, naming the user
// function that panicked, with the stack of the goroutine.
func panicked(m mover, when string, i int, p any) error {
	what := "log density"
	if m != nil && m.inProposal() {
		what = "proposal"
	}
	return &panicError{msg: fmt.Sprintf("mcmc: %s panicked %s in chain %d: %v\n%s", what, when, i, p, debug.Stack()), value: p}
}

// A panicError is a recovered panic; it unwraps to the panic value when
// that is an error.
type panicError struct {
	msg   string
	value any
}

func (e *panicError) Error() string { return e.msg }
func (e *panicError) Unwrap() error {
	err, _ := e.value.(error)
	return err
}

// sampling is the state of a Run.
type sampling struct {
	ctx    context.Context
	chains []*Chain
	rngs   []*rand.Rand
	res    *Result
	errs   []error
	steps  int64 // steps made per chain
	thin   int
	stop   atomic.Bool // ctx is done or a chain panicked: every chain stops
	cut    bool        // the sampling stopped early because ctx was done
}

// extend steps every chain in parallel until it has made `to` steps in
// all, keeping the walkers' points every thin steps. It reports whether
// every chain got there (no error, no cancellation).
func (s *sampling) extend(to int64) bool {
	from, thin := s.steps, int64(s.thin)
	s.each(func(i int, step *int64) {
		c := s.chains[i]
		d, w := c.d, c.w
		out := s.res.Draws[i*w : (i+1)*w]
		for t := from; t < to; t++ {
			*step = t
			if s.stop.Load() {
				return
			}
			if (t-from)%checkEvery == 0 {
				if s.errs[i] = c.stats.check(); s.errs[i] != nil {
					return
				}
			}
			c.m.step(s.rngs[i], c.f, c.pos, c.lp, &c.stats)
			if (t+1)%thin == 0 {
				if c.m.interrupted() {
					return // a Stretch step cut short: not a draw
				}
				for j := range out {
					out[j] = append(out[j], c.pos[j*d:(j+1)*d]...)
				}
			}
		}
		s.errs[i] = c.stats.check()
	}, "of sampling")
	s.steps = to
	if s.stop.Load() && s.ctx.Err() != nil {
		s.cut = true
	}
	return firstErr(s.errs) == nil && !s.stop.Load()
}

// auto draws in rounds until the diagnostics are satisfied or the
// budget is spent (see Options.Draws).
func (s *sampling) auto(maxEvals int64) {
	w, d := s.chains[0].w, s.chains[0].d
	keep := max(autoMinStore, autoStore/len(s.res.Draws))
	budget := max(1, maxEvals/int64(w)) // steps per chain
	target := min(int64(min(autoFirst, keep))*int64(s.thin), budget)
	before := false // whether the diagnostics passed at the previous look
	for {
		for target/int64(s.thin) > int64(keep) {
			s.thinStored(d)
		}
		if !s.extend(target) {
			break
		}
		now, done := converged(s.res, &s.stop)
		if !done {
			s.cut = true
			break
		}
		if now && before {
			break
		}
		if target == budget {
			s.res.Exhausted = true
			break
		}
		before = now
		target = min(2*target, budget)
	}
}

// thinStored doubles the thinning, keeping every other stored draw: those
// at steps that are multiples of the new thinning.
func (s *sampling) thinStored(d int) {
	for i, x := range s.res.Draws {
		n := len(x) / d
		k := 0
		for j := 1; j < n; j += 2 {
			copy(x[k*d:(k+1)*d], x[j*d:(j+1)*d])
			k++
		}
		s.res.Draws[i] = x[:k*d]
	}
	s.thin *= 2
}

// converged reports whether every coordinate of r passes the limits the
// summary warns at: R-hat at most RHatLimit, bulk and tail ESS at least
// ESSLimit. It looks at stop between computations and reports in done
// whether it finished.
func converged(r *Result, stop *atomic.Bool) (ok, done bool) {
	for j := range r.Dim {
		if stop.Load() {
			return false, false
		}
		p := newParam(r.Param(j))
		for _, pass := range []func() bool{
			func() bool { return p.rhat() <= RHatLimit },
			func() bool { return p.essBulk() >= ESSLimit },
			func() bool { return p.essQuantile(0.05) >= ESSLimit },
			func() bool { return p.essQuantile(0.95) >= ESSLimit },
		} {
			if stop.Load() {
				return false, false
			}
			if !pass() {
				return false, true
			}
		}
	}
	return true, true
}

// checkEvery is how often (in steps) a running chain looks at its count
// of bad log densities.
const checkEvery = 64

// initPoint draws a starting point for walker i where f is finite; with
// the default init (widen), the box doubles every initWiden tries. It
// sets *inInit while init runs.
func initPoint(f LogDensity, init InitFunc, rng *rand.Rand, i, dim int, widen bool, inInit *bool) ([]float64, error) {
	x := make([]float64, dim)
	var lp float64
	for try := range maxInitTries {
		*inInit = true
		init(rng, i, x)
		*inInit = false
		if widen {
			for j := range x {
				x[j] *= float64(int(1) << initLevel(try))
			}
		}
		if lp = f(x); !math.IsNaN(lp) && !math.IsInf(lp, 0) {
			return x, nil
		}
	}
	return nil, fmt.Errorf("no starting point with a finite log density in %d tries (last x=%v, log density %v); give Options.Init", maxInitTries, x, lp)
}

// initLevel is the doubling of the default box at a try: try/initWiden
// for the first initWiden² tries (the original schedule, which seeded
// runs depend on), then each level in turn.
func initLevel(try int) int {
	if try < initWiden*initWiden {
		return try / initWiden
	}
	return (try - initWiden*initWiden) % initWiden
}

// inChain prefixes an error with the chain it happened in.
func inChain(i int, err error) error {
	return fmt.Errorf("mcmc: chain %d: %s", i, strings.TrimPrefix(err.Error(), "mcmc: "))
}

// firstErr returns the error of the lowest-numbered chain that failed,
// naming the chain (a recovered panic names it already).
func firstErr(errs []error) error {
	for i, e := range errs {
		var pe *panicError
		switch {
		case errors.As(e, &pe):
			return e
		case e != nil:
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
		if r.Exhausted {
			out[j].Warnings = append(out[j].Warnings, fmt.Sprintf("stopped at Options.MaxEvals (%d log-density evaluations per chain after warm-up) before the diagnostics passed twice in a row", r.Stats[0].Proposals))
		}
		if acc < lowAcceptance {
			out[j].Warnings = append(out[j].Warnings, fmt.Sprintf("acceptance %.2g%% below 1%%: the chains barely move; try a smaller step", 100*acc))
		}
		if bad > 0 {
			out[j].Warnings = append(out[j].Warnings, fmt.Sprintf("log density NaN or +Inf at %d of %d proposals (counted as rejections)", bad, props))
		}
	}
	return out
}
