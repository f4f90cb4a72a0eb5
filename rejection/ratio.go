package rejection

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/variate/variate/sampler"
)

// A LogRatio sets dst[i] to log(p(x_i)/q(x_i)), up to a constant that is
// the same for every point, for the len(dst) points stored one after
// another in x: the log density ratio of a target p to a proposal q, for
// proposals whose density is not known but whose ratio to the target is
// estimated, as a GAN's discriminator estimates it. Scoring points in a
// batch lets a network evaluate them in one pass.
type LogRatio func(x, dst []float64)

// RatioOptions configures NewRatio. The zero value (or nil) means the
// documented defaults.
type RatioOptions struct {
	// Pilot is the number of proposal draws whose log ratios give the
	// first estimate of its maximum. Default 10,000.
	Pilot int
	// Gamma is the shift γ of Azadi et al. (2019): a candidate with log
	// ratio d is accepted with probability σ(F), where
	// F = d − M − log(1 − e^(d−M−ε)) − γ, M is the largest log ratio seen
	// so far and ε = 1e-6. With γ = 0 the acceptance is about e^(d−M),
	// rejection sampling with the bound M; a positive γ accepts less (and
	// corrects more), a negative γ accepts more. Default 0.
	Gamma float64
	// GammaQuantile, in (0, 1), sets γ instead to that quantile of F
	// (computed with γ = 0) over the pilot draws, as Azadi et al. do with
	// their 95th percentile: the acceptance then no longer depends on how
	// far the largest ratio is from the typical ones. 0 leaves γ at
	// Gamma.
	GammaQuantile float64
	// MinAcceptance is the acceptance floor: a Sample call that has made
	// at least MinProposals proposals with a share accepted below it
	// stops with an error, instead of all but hanging. Default 1e-3.
	MinAcceptance float64
	// MinProposals is the number of proposals of a Sample call after
	// which the floor applies. Default 10,000.
	MinProposals int
}

// ratioEps is Azadi et al.'s ε, which keeps the logarithm in F finite at
// the largest ratio.
const ratioEps = 1e-6

// A RatioSampler is rejection sampling driven by a density ratio:
// candidates from a proposal that can only sample are kept with a
// probability computed from log(p/q), the way discriminator rejection
// sampling (Azadi, Olsson, Darrell, Goodfellow & Odena, "Discriminator
// rejection sampling", ICLR 2019) corrects a GAN's generator with its
// discriminator. The bound M on the log ratio is estimated from pilot
// draws and raised whenever a candidate exceeds it; draws accepted
// before a raise were judged against a bound that was too low, so the
// draws are exact only when the pilot found the maximum (and the ratio
// is exact).
//
// It is safe for concurrent use if the proposal and the log ratio are;
// draws are reproducible for a seed when a single goroutine samples,
// since the bound is shared.
type RatioSampler struct {
	q        sampler.Sampler
	f        LogRatio
	dim      int
	logM     atomic.Uint64 // float64 bits
	gamma    float64
	floor    float64
	minProps int
	c        counters
	raises   atomic.Int64
	pool     sync.Pool // of *ratioWork
}

type ratioWork struct {
	x, d []float64
}

var _ sampler.Sampler = (*RatioSampler)(nil)

// NewRatio returns rejection sampling from proposal corrected by
// logRatio, with its bound (and γ, if asked) estimated from pilot draws
// made with rng. It returns an error if an option is out of range, the
// proposal fails, or a pilot log ratio is NaN or +Inf.
func NewRatio(proposal sampler.Sampler, logRatio LogRatio, rng *rand.Rand, opts *RatioOptions) (*RatioSampler, error) {
	if proposal == nil || logRatio == nil {
		return nil, errors.New("rejection: nil proposal or log ratio")
	}
	var o RatioOptions
	if opts != nil {
		o = *opts
	}
	if o.Pilot == 0 {
		o.Pilot = 10_000
	}
	if o.MinAcceptance == 0 {
		o.MinAcceptance = 1e-3
	}
	if o.MinProposals == 0 {
		o.MinProposals = 10_000
	}
	switch {
	case o.Pilot < 0:
		return nil, fmt.Errorf("rejection: %d pilot draws; use at least 1 (0: the default 10,000)", o.Pilot)
	case o.MinProposals < 0:
		return nil, fmt.Errorf("rejection: MinProposals is %d; use at least 1 (0: the default 10,000)", o.MinProposals)
	case !(o.MinAcceptance > 0 && o.MinAcceptance < 1):
		return nil, fmt.Errorf("rejection: acceptance floor is %v; use a value in (0, 1) (0: the default 1e-3)", o.MinAcceptance)
	case math.IsNaN(o.Gamma) || math.IsInf(o.Gamma, 0):
		return nil, fmt.Errorf("rejection: γ is %v; use a finite shift", o.Gamma)
	case !(o.GammaQuantile >= 0 && o.GammaQuantile < 1):
		return nil, fmt.Errorf("rejection: γ quantile is %v; use a value in (0, 1), or 0 for a fixed γ", o.GammaQuantile)
	}
	d := proposal.Dim()
	if d <= 0 {
		return nil, fmt.Errorf("rejection: the proposal has dimension %d", d)
	}
	s := &RatioSampler{q: proposal, f: logRatio, dim: d, gamma: o.Gamma, floor: o.MinAcceptance, minProps: o.MinProposals}
	s.pool.New = func() any {
		return &ratioWork{x: make([]float64, block*d), d: make([]float64, block)}
	}
	x := make([]float64, o.Pilot*d)
	if err := proposal.Sample(rng, x); err != nil {
		return nil, fmt.Errorf("rejection: pilot draws: %w", err)
	}
	lr := make([]float64, o.Pilot)
	logRatio(x, lr)
	m := math.Inf(-1)
	for i, v := range lr {
		if math.IsNaN(v) || v == math.Inf(1) {
			return nil, fmt.Errorf("rejection: log ratio is %v at the pilot draw x=%v", v, x[i*d:(i+1)*d])
		}
		m = max(m, v)
	}
	if m == math.Inf(-1) {
		return nil, errors.New("rejection: the log ratio is −Inf at every pilot draw: the proposal never reaches the target")
	}
	s.logM.Store(math.Float64bits(m))
	if o.GammaQuantile > 0 {
		for i, v := range lr {
			lr[i] = drsF(v-m, 0)
		}
		slices.Sort(lr)
		s.gamma = lr[min(len(lr)-1, int(o.GammaQuantile*float64(len(lr))))]
	}
	return s, nil
}

// drsF is Azadi et al.'s F for a log ratio t = d − M ≤ 0 below the bound.
func drsF(t, gamma float64) float64 {
	return t - math.Log(-math.Expm1(t-ratioEps)) - gamma
}

// Dim is the proposal's dimension.
func (s *RatioSampler) Dim() int { return s.dim }

// LogM is the current bound on the log ratio: the largest seen so far.
func (s *RatioSampler) LogM() float64 { return math.Float64frombits(s.logM.Load()) }

// Gamma is the shift γ in use.
func (s *RatioSampler) Gamma() float64 { return s.gamma }

// Raises is the number of times a candidate raised the bound.
func (s *RatioSampler) Raises() int64 { return s.raises.Load() }

// Stats returns the proposals and acceptances so far (Violations counts
// the candidates that raised the bound).
func (s *RatioSampler) Stats() Stats {
	st := s.c.stats()
	st.Violations = s.raises.Load()
	return st
}

// raise lifts the bound to v if v is larger and returns the bound.
func (s *RatioSampler) raise(v float64) float64 {
	for {
		old := s.logM.Load()
		m := math.Float64frombits(old)
		if v <= m {
			return m
		}
		if s.logM.CompareAndSwap(old, math.Float64bits(v)) {
			s.raises.Add(1)
			return v
		}
	}
}

// Sample fills dst with accepted draws. Candidates come from the
// proposal a block at a time and are judged in order, each with one
// uniform. It returns an error naming the candidate when the log ratio
// is NaN or +Inf, and an error when, after MinProposals proposals in this
// call, the share accepted is below the floor. It panics if len(dst) is
// not a multiple of Dim().
func (s *RatioSampler) Sample(rng *rand.Rand, dst []float64) error {
	sampler.CheckLen("rejection", dst, s.dim)
	d := s.dim
	w := s.pool.Get().(*ratioWork)
	defer s.pool.Put(w)
	m := 0 // points accepted
	var props int64
	defer func() { s.c.add(props, int64(m), 0, 0) }()
	for m*d < len(dst) {
		if props >= int64(s.minProps) && float64(m) < s.floor*float64(props) {
			return fmt.Errorf("rejection: %d of %d proposals accepted, below the acceptance floor %v; the ratio's bound is far above its typical values (try a γ quantile) or the proposal is far from the target", m, props, s.floor)
		}
		if err := s.q.Sample(rng, w.x); err != nil {
			return err
		}
		s.f(w.x, w.d)
		for i, v := range w.d {
			if m*d == len(dst) {
				break
			}
			props++
			x := w.x[i*d : (i+1)*d]
			if math.IsNaN(v) || v == math.Inf(1) {
				return fmt.Errorf("rejection: log ratio is %v at the candidate x=%v", v, x)
			}
			bound := s.raise(v)
			if rng.Float64() < sigmoidOf(drsF(v-bound, s.gamma)) {
				copy(dst[m*d:], x)
				m++
			}
		}
	}
	return nil
}

// sigmoidOf is 1/(1+e^−z), without overflow for either sign.
func sigmoidOf(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}
