package mcmc

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/variate/variate/sampler"
)

// LogDensity is an unnormalised log density on R^d: log p(x) up to an
// additive constant that does not depend on x, and -Inf outside the
// support. It must not modify or keep x. Run calls it from several
// goroutines at once, so it must be safe for concurrent use.
type LogDensity func(x []float64) float64

// A Kernel is a Markov transition rule that leaves the target invariant.
// Its fields are settings; Run and NewChain build an independent
// instance for every chain, so one Kernel value may serve many chains.
//
// The kernels are RandomWalk, MH (any proposal, with the Hastings
// correction), Independence, AM and RAM (adaptive random walks that adapt
// during warm-up only) and Stretch (the affine-invariant ensemble move).
// A custom proposal plugs in through MH.
type Kernel interface {
	// String names the kernel and its settings.
	String() string
	// newMover validates the settings for dimension d and returns the
	// running state of one chain.
	newMover(d int) (mover, error)
}

// A mover is the running state of one chain (one walker, or one ensemble
// of walkers for Stretch). Positions are stored walker after walker in
// pos, their log densities in lp.
type mover interface {
	// walkers is how many points the mover moves at once.
	walkers() int
	// start is called once with the starting points, before any step.
	start(pos, lp []float64) error
	// step makes one transition of every walker, updating pos and lp in
	// place and counting in st.
	step(rng *rand.Rand, f LogDensity, pos, lp []float64, st *Stats)
	// setAdapt switches adaptation on (warm-up) or off (sampling).
	setAdapt(on bool)
	// inProposal reports whether the mover is inside a call of the
	// user's proposal, so that a panic can be put where it belongs.
	inProposal() bool
	// interrupted reports whether the last step was cut short by the
	// run's stop flag (only Stretch looks at it within a step).
	interrupted() bool
}

// Stats counts what a chain did.
type Stats struct {
	// Proposals is the number of proposed moves, each costing one
	// evaluation of the log density (but those whose Hastings correction
	// or proposal density is NaN, which are rejected unevaluated).
	Proposals int64
	// Accepted is the number of proposals accepted.
	Accepted int64
	// NonFinite is the number of proposals whose log density was NaN or
	// +Inf; they count as rejections.
	NonFinite int64
	// lastBad is a copy of the last point with a NaN or +Inf log density.
	lastBad []float64
}

// Acceptance returns the share of proposals accepted (NaN before any).
func (s Stats) Acceptance() float64 {
	if s.Proposals == 0 {
		return math.NaN()
	}
	return float64(s.Accepted) / float64(s.Proposals)
}

// add returns the sum of two counts.
func (s Stats) add(o Stats) Stats {
	s.Proposals += o.Proposals
	s.Accepted += o.Accepted
	s.NonFinite += o.NonFinite
	if o.lastBad != nil {
		s.lastBad = o.lastBad
	}
	return s
}

// badLimit: once this many proposals have been made, a chain whose log
// density was NaN or +Inf at more than half of them stops with an error.
const badLimit = 100

// check returns an error when NaN or +Inf log densities dominate.
func (s *Stats) check() error {
	if s.Proposals >= badLimit && 2*s.NonFinite > s.Proposals {
		return fmt.Errorf("mcmc: log density was NaN or +Inf at %d of %d proposals (last at x=%v)", s.NonFinite, s.Proposals, s.lastBad)
	}
	return nil
}

// accept applies the Metropolis–Hastings rule to a proposal y with log
// density lpy and log acceptance ratio logRatio, counting in s. A NaN or
// +Inf log density is a rejection, counted and remembered. The test
// −E < logRatio with E ~ Exp(1) is log U < logRatio without the log, and
// a move uphill is accepted without a random number. Small enough to be
// inlined into every kernel's step.
func (s *Stats) accept(rng *rand.Rand, y []float64, lpy, logRatio float64) bool {
	s.Proposals++
	if !(lpy <= math.MaxFloat64) {
		s.bad(y)
		return false
	}
	if logRatio >= 0 || -rng.ExpFloat64() < logRatio {
		s.Accepted++
		return true
	}
	return false
}

// bad counts a proposal whose log density is NaN or +Inf; kept out of
// line so that accept stays inlinable.
//
//go:noinline
func (s *Stats) bad(y []float64) {
	s.NonFinite++
	s.lastBad = append(s.lastBad[:0], y...)
}

// RandomWalk is random-walk Metropolis: the proposal is x + L z with z
// standard normal and L L' = Cov, accepted with probability
// min(1, p(y)/p(x)) (Metropolis et al. 1953).
type RandomWalk struct {
	// Cov is the proposal covariance, Dim×Dim row after row; it must be
	// symmetric positive definite. If nil, the proposal is Scale² times
	// the identity.
	Cov []float64
	// Scale is the proposal's standard deviation in every coordinate
	// when Cov is nil; 0 means 2.38/√d, optimal for a standard normal
	// target (Roberts, Gelman & Gilks 1997).
	Scale float64
}

// String implements Kernel.
func (k RandomWalk) String() string {
	if k.Cov != nil {
		return "random walk (given covariance)"
	}
	return fmt.Sprintf("random walk (scale %.3g)", k.Scale)
}

func (k RandomWalk) newMover(d int) (mover, error) {
	l, err := startFactor(k.Cov, k.Scale, d, 2.38/math.Sqrt(float64(d)))
	if err != nil {
		return nil, err
	}
	return newRW(d, l, nil), nil
}

// startFactor returns the lower Cholesky factor of cov, or scale times
// the identity (def if scale is 0) when cov is nil.
func startFactor(cov []float64, scale float64, d int, def float64) ([]float64, error) {
	if cov != nil {
		return cholesky(cov, d)
	}
	switch {
	case scale == 0:
		scale = def
	case !(scale > 0) || math.IsInf(scale, 1):
		return nil, fmt.Errorf("mcmc: proposal scale is %v, want a positive finite number", scale)
	}
	l := make([]float64, d*d)
	for i := range d {
		l[i*d+i] = scale
	}
	return l, nil
}

// rwMover is the running state of a random walk with a full-covariance
// Gaussian proposal, optionally adapted during warm-up.
type rwMover struct {
	d     int
	l     []float64 // lower Cholesky factor of the proposal covariance
	z, y  []float64 // the last proposal's standard normal draw and point
	ad    adapter
	adapt bool
}

// An adapter changes a random walk's proposal after every warm-up step.
type adapter interface {
	// update is called after each warm-up step with the state after the
	// step and the Metropolis acceptance probability of the proposal.
	update(m *rwMover, x []float64, alpha float64)
}

func newRW(d int, l []float64, ad adapter) *rwMover {
	return &rwMover{d: d, l: l, z: make([]float64, d), y: make([]float64, d), ad: ad}
}

func (m *rwMover) walkers() int                  { return 1 }
func (m *rwMover) start(pos, lp []float64) error { return nil }
func (m *rwMover) setAdapt(on bool)              { m.adapt = on && m.ad != nil }
func (m *rwMover) inProposal() bool              { return false }
func (m *rwMover) interrupted() bool             { return false }
func (m *rwMover) step(rng *rand.Rand, f LogDensity, x, lp []float64, st *Stats) {
	d := m.d
	y, z, l := m.y[:d], m.z[:d], m.l[:d*d]
	x = x[:d]
	normals(rng, z)
	// y = x + L z, L lower triangular.
	for i := range d {
		row := l[i*d : i*d+i+1]
		var s float64
		for j, v := range row {
			s += v * z[j]
		}
		y[i] = x[i] + s
	}
	lpy := f(y)
	r := lpy - lp[0]
	// Stats.accept, written out: this is the hottest loop of the package.
	st.Proposals++
	switch {
	case !(lpy <= math.MaxFloat64):
		st.bad(y)
	case r >= 0 || -rng.ExpFloat64() < r:
		st.Accepted++
		for i, v := range y { // a loop: copy's memmove costs more for short points
			x[i] = v
		}
		lp[0] = lpy
	}
	if m.adapt {
		alpha := 0.0
		if !math.IsNaN(r) {
			alpha = math.Exp(min(r, 0))
		}
		m.ad.update(m, x, alpha)
	}
}

// A Proposal proposes the next state of a Metropolis–Hastings chain.
type Proposal interface {
	// Propose writes into y a draw from q(·|x) and returns
	// log q(x|y) − log q(y|x), the Hastings correction (0 for a
	// symmetric proposal; −Inf for a move that cannot be reversed, which
	// is then rejected; NaN or +Inf count as a bad proposal, like a NaN
	// log density). It must not modify x. Run calls it from several
	// goroutines at once, so it must be safe for concurrent use.
	Propose(rng *rand.Rand, x, y []float64) float64
}

// MH is the general Metropolis–Hastings kernel (Hastings 1970): a draw y
// from the proposal is accepted with probability
// min(1, p(y) q(x|y) / (p(x) q(y|x))).
type MH struct {
	// Proposal proposes moves; required.
	Proposal Proposal
}

// String implements Kernel.
func (k MH) String() string { return "Metropolis–Hastings" }

func (k MH) newMover(d int) (mover, error) {
	if k.Proposal == nil {
		return nil, errors.New("mcmc: MH kernel has no proposal")
	}
	return &mhMover{q: k.Proposal, y: make([]float64, d)}, nil
}

type mhMover struct {
	q      Proposal
	y      []float64
	inProp bool
}

func (m *mhMover) walkers() int                  { return 1 }
func (m *mhMover) start(pos, lp []float64) error { return nil }
func (m *mhMover) setAdapt(bool)                 {}
func (m *mhMover) inProposal() bool              { return m.inProp }
func (m *mhMover) interrupted() bool             { return false }
func (m *mhMover) step(rng *rand.Rand, f LogDensity, x, lp []float64, st *Stats) {
	m.inProp = true
	c := m.q.Propose(rng, x, m.y)
	m.inProp = false
	if math.IsNaN(c) || math.IsInf(c, 1) {
		// q(y|x) = 0 for a y drawn from it, or no density at all: a
		// proposal that cannot say its density is a bad proposal.
		st.accept(rng, m.y, math.NaN(), 0)
		return
	}
	lpy := f(m.y)
	// A correction of −Inf (a move the proposal cannot reverse) is an
	// ordinary rejection.
	if st.accept(rng, m.y, lpy, lpy-lp[0]+c) {
		copy(x, m.y)
		lp[0] = lpy
	}
}

// Independence is the independence Metropolis–Hastings sampler (Tierney
// 1994): proposals are drawn from a fixed distribution q, whatever the
// current state, and accepted with probability
// min(1, p(y) q(x) / (p(x) q(y))). It mixes well when q is close to the
// target and has heavier tails; a trained generator with a log density
// qualifies.
type Independence struct {
	// Proposal draws proposals and gives their log density; required.
	// Run samples it from several goroutines at once, so it must be safe
	// for concurrent use.
	Proposal sampler.DensitySampler
}

// String implements Kernel.
func (k Independence) String() string { return "independence sampler" }

func (k Independence) newMover(d int) (mover, error) {
	if k.Proposal == nil {
		return nil, errors.New("mcmc: independence kernel has no proposal")
	}
	if k.Proposal.Dim() != d {
		return nil, fmt.Errorf("mcmc: independence proposal has dimension %d, target has %d", k.Proposal.Dim(), d)
	}
	return &indMover{q: k.Proposal, y: make([]float64, d)}, nil
}

type indMover struct {
	q      sampler.DensitySampler
	y      []float64
	lqx    float64 // log q at the current state
	inProp bool
}

func (m *indMover) walkers() int      { return 1 }
func (m *indMover) setAdapt(bool)     {}
func (m *indMover) inProposal() bool  { return m.inProp }
func (m *indMover) interrupted() bool { return false }
func (m *indMover) start(pos, lp []float64) error {
	m.inProp = true
	m.lqx = m.q.LogDensity(pos)
	m.inProp = false
	if math.IsNaN(m.lqx) || math.IsInf(m.lqx, 0) {
		return fmt.Errorf("mcmc: independence proposal's log density is %v at the starting point x=%v; it must cover the target's support", m.lqx, pos)
	}
	return nil
}
func (m *indMover) step(rng *rand.Rand, f LogDensity, x, lp []float64, st *Stats) {
	m.inProp = true
	if err := m.q.Sample(rng, m.y); err != nil {
		m.inProp = false
		st.accept(rng, m.y, math.NaN(), 0)
		return
	}
	lqy := m.q.LogDensity(m.y)
	m.inProp = false
	lpy := f(m.y)
	if math.IsNaN(lqy) || math.IsInf(lqy, 0) {
		lpy = math.NaN() // the proposal drew where it says it has no density
	}
	if st.accept(rng, m.y, lpy, lpy-lp[0]+m.lqx-lqy) {
		copy(x, m.y)
		lp[0], m.lqx = lpy, lqy
	}
}
