package rejection

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/optimize"

	"github.com/variate/variate/sampler"
)

// Options configures New and NewAuto. The zero value (or nil) means the
// documented defaults.
type Options struct {
	// MaxTries bounds the consecutive proposals for one point; reaching
	// it is an error (the acceptance is then below 1/MaxTries, so
	// sampling would all but hang). Default 1,000,000.
	MaxTries int
	// Candidates is the number of proposal draws NewAuto scores to find
	// starting points for its local searches. Default 4096.
	Candidates int
	// Starts is the number of local searches NewAuto runs from the best
	// candidates. Default 8.
	Starts int
	// Margin is added to the supremum NewAuto finds (in log units) to
	// allow for the search's own inaccuracy. Default 1e-7.
	Margin float64
	// Seed seeds NewAuto's candidate draws. Default 1.
	Seed uint64
}

// A ConstantDensity proposal has the same log density at every point its
// Sample draws (a uniform distribution on a set, such as [UniformBox]).
// New then takes that constant instead of evaluating LogDensity at each
// candidate; LogDensity is still used where points that were not drawn
// from the proposal are scored (NewAuto's search).
type ConstantDensity interface {
	ConstantLogDensity() float64
}

// ratioTol is how far above 1 a ratio p/(Mq) may be from rounding alone
// before it counts as a violated bound.
const ratioTol = 1e-9

// A Sampler is classic rejection sampling from a proposal with a bound.
// It is safe for concurrent use if the log target and the proposal are.
type Sampler struct {
	logp     func([]float64) float64
	q        sampler.DensitySampler
	flat     bool    // q is a ConstantDensity
	logq     float64 // its log density, if flat
	logM     float64
	dim      int
	maxTries int
	c        counters
}

var _ sampler.Sampler = (*Sampler)(nil)

func defaults(o *Options) (Options, error) {
	var out Options
	if o != nil {
		out = *o
	}
	if out.MaxTries == 0 {
		out.MaxTries = 1_000_000
	}
	if out.Candidates == 0 {
		out.Candidates = 4096
	}
	if out.Starts == 0 {
		out.Starts = 8
	}
	if out.Margin == 0 {
		out.Margin = 1e-7
	}
	if out.Seed == 0 {
		out.Seed = 1
	}
	if out.MaxTries < 0 || out.Candidates < 0 || out.Starts < 0 || out.Margin < 0 || math.IsNaN(out.Margin) {
		return out, errors.New("rejection: negative or NaN option")
	}
	return out, nil
}

// New returns a rejection sampler for the (unnormalised) log density
// logTarget with the given proposal and bound log M, which must satisfy
// log p(x) − log q(x) ≤ log M everywhere. The bound is checked at every
// proposal: a violation is an error naming x and the ratio.
func New(logTarget func(x []float64) float64, proposal sampler.DensitySampler, logM float64, opts *Options) (*Sampler, error) {
	if logTarget == nil || proposal == nil {
		return nil, errors.New("rejection: nil log target or proposal")
	}
	if math.IsNaN(logM) || math.IsInf(logM, 0) {
		return nil, fmt.Errorf("rejection: log M = %v is not finite", logM)
	}
	o, err := defaults(opts)
	if err != nil {
		return nil, err
	}
	s := &Sampler{logp: logTarget, q: proposal, logM: logM, dim: proposal.Dim(), maxTries: o.MaxTries}
	if c, ok := proposal.(ConstantDensity); ok {
		s.flat, s.logq = true, c.ConstantLogDensity()
		if math.IsNaN(s.logq) || math.IsInf(s.logq, 0) {
			return nil, fmt.Errorf("rejection: the proposal's constant log density is %v", s.logq)
		}
	}
	return s, nil
}

// NewAuto is New with log M computed as sup(log p − log q) plus a margin:
// it scores opts.Candidates proposal draws, then runs Nelder–Mead local
// searches (gonum/optimize) from the best opts.Starts of them and keeps
// the largest value found. Sampling still checks every proposal against
// the bound.
func NewAuto(logTarget func(x []float64) float64, proposal sampler.DensitySampler, opts *Options) (*Sampler, error) {
	if logTarget == nil || proposal == nil {
		return nil, errors.New("rejection: nil log target or proposal")
	}
	o, err := defaults(opts)
	if err != nil {
		return nil, err
	}
	sup, err := Supremum(logTarget, proposal, o)
	if err != nil {
		return nil, err
	}
	return New(logTarget, proposal, sup+o.Margin, &o)
}

// Supremum returns the largest value of log p(x) − log q(x) that the
// multistart search of NewAuto finds.
func Supremum(logTarget func(x []float64) float64, proposal sampler.DensitySampler, opts Options) (float64, error) {
	o, err := defaults(&opts)
	if err != nil {
		return 0, err
	}
	d := proposal.Dim()
	rng := sampler.NewRand(o.Seed)
	cand, err := sampler.Draw(proposal, rng, o.Candidates)
	if err != nil {
		return 0, fmt.Errorf("rejection: drawing candidates from the proposal: %w", err)
	}
	ratio := func(x []float64) (float64, error) {
		lp, lq := logTarget(x), proposal.LogDensity(x)
		switch {
		case math.IsNaN(lp):
			return 0, fmt.Errorf("rejection: log target is NaN at x=%v", x)
		case math.IsInf(lp, 1):
			return 0, fmt.Errorf("rejection: log target is +Inf at x=%v", x)
		case math.IsNaN(lq):
			return 0, fmt.Errorf("rejection: proposal log density is NaN at x=%v", x)
		case lp == math.Inf(-1):
			return math.Inf(-1), nil
		case lq == math.Inf(-1):
			return 0, fmt.Errorf("rejection: the proposal is zero at x=%v where the target is positive", x)
		}
		return lp - lq, nil
	}
	type scored struct {
		x []float64
		r float64
	}
	var best []scored
	for i := 0; i < len(cand); i += d {
		x := cand[i : i+d]
		r, err := ratio(x)
		if err != nil {
			return 0, err
		}
		best = append(best, scored{x, r})
	}
	// Keep the top Starts by ratio.
	for i := range min(o.Starts, len(best)) {
		k := i
		for j := i + 1; j < len(best); j++ {
			if best[j].r > best[k].r {
				k = j
			}
		}
		best[i], best[k] = best[k], best[i]
	}
	best = best[:min(o.Starts, len(best))]
	sup := math.Inf(-1)
	for _, b := range best {
		sup = max(sup, b.r)
	}
	if math.IsInf(sup, -1) {
		return 0, errors.New("rejection: the target is zero at every candidate drawn from the proposal")
	}
	var searchErr error
	problem := optimize.Problem{Func: func(x []float64) float64 {
		r, err := ratio(x)
		if err != nil {
			if searchErr == nil {
				searchErr = err
			}
			return math.Inf(1)
		}
		if math.IsInf(r, -1) {
			return math.Inf(1)
		}
		return -r
	}}
	settings := &optimize.Settings{
		FuncEvaluations: 2000,
		Converger:       &optimize.FunctionConverge{Absolute: 1e-15, Relative: 1e-15, Iterations: 50},
	}
	for _, b := range best {
		if math.IsInf(b.r, -1) {
			continue
		}
		res, err := optimize.Minimize(problem, append([]float64(nil), b.x...), settings, &optimize.NelderMead{})
		if searchErr != nil {
			return 0, searchErr
		}
		if res != nil && !math.IsInf(res.F, 0) {
			sup = max(sup, -res.F)
		}
		_ = err // an iteration limit still leaves the best point found
	}
	return sup, nil
}

// LogM returns the bound in use.
func (s *Sampler) LogM() float64 { return s.logM }

// Dim returns the proposal's dimension.
func (s *Sampler) Dim() int { return s.dim }

// Stats returns the counts so far.
func (s *Sampler) Stats() Stats { return s.c.stats() }

// Sample fills dst with accepted draws.
//
// Candidates are drawn in batches straight into the free tail of dst,
// with one call to the proposal for the whole batch; each is then
// checked against the bound and accepted or rejected in turn, and the
// accepted ones are moved down to the front. The candidates are
// independent, so this order of work leaves the draws exact and i.i.d.;
// it lets the evaluations of successive candidates overlap, and nothing
// is allocated.
func (s *Sampler) Sample(rng *rand.Rand, dst []float64) error {
	sampler.CheckLen("rejection", dst, s.dim)
	var props, acc int64
	defer func() { s.c.add(props, acc, 0, 0) }()
	d := s.dim
	n := 0   // points accepted so far, at the front of dst
	run := 0 // proposals rejected in a row
	for n*d < len(dst) {
		if err := s.q.Sample(rng, dst[n*d:]); err != nil {
			return err
		}
		m := n
		for k := n * d; k < len(dst); k += d {
			x := dst[k : k+d]
			props++
			lp := s.logp(x)
			r := math.Inf(-1)
			if lp > math.Inf(-1) {
				lq := s.logq
				if !s.flat {
					lq = s.q.LogDensity(x)
				}
				r = lp - lq - s.logM
				if !(r <= ratioTol) {
					return s.badCandidate(x, lp, lq, r)
				}
			} else if lp != lp {
				return fmt.Errorf("rejection: log target is NaN at x=%v", x)
			}
			// Accept or reject without a branch (the outcome is random,
			// so a branch would be mispredicted often, each time
			// discarding the work on the following candidates).
			a := acceptExp(rng.Float64(), r)
			if d == 1 {
				dst[m] = x[0]
			} else {
				copy(dst[m*d:(m+1)*d], x)
			}
			m += a
			run = (run + 1) * (1 - a)
			if run == s.maxTries {
				return fmt.Errorf("rejection: %d proposals in a row rejected (acceptance below %.1g); the bound or the proposal is far off", s.maxTries, 1/float64(s.maxTries))
			}
		}
		acc += int64(m - n)
		n = m
	}
	return nil
}

// badCandidate explains why a candidate could not be judged: a log
// target of +Inf, a proposal density that is zero or NaN where the
// target is positive, or a violated bound.
func (s *Sampler) badCandidate(x []float64, lp, lq, r float64) error {
	switch {
	case math.IsInf(lp, 1):
		return fmt.Errorf("rejection: log target is +Inf at x=%v", x)
	case lq == math.Inf(-1) || math.IsNaN(lq):
		s.c.add(0, 0, 0, 1)
		return fmt.Errorf("rejection: proposal density is %v at x=%v where the target is positive", math.Exp(lq), x)
	}
	s.c.add(0, 0, 0, 1)
	return fmt.Errorf("rejection: bound violated at x=%v: p/(M·q) = %.6g > 1; log M = %v is too small", x, math.Exp(r), s.logM)
}

// acceptExp returns 1 if u < e^r and 0 if not, for u in [0, 1) and
// r ≤ ratioTol (or −Inf). Nearly always it decides without the
// exponential and without a branch, from bounds on e^r that cost a few
// multiplications: with s = r/4, T3(s) = 1 + s + s²/2 + s³/6 ≤ e^s for
// every s (the Taylor remainder s⁴e^ξ/24 is not negative), so T3(s)⁴ ≤
// e^r where T3(s) ≥ 0; and for r ≤ 0, T4(−s) ≤ e^{−s} (a partial sum of
// a series of non-negative terms), so e^r ≤ 1/T4(−s)⁴. Each bound is
// moved out by a relative 2^-48, more than the rounding of its
// evaluation. The bounds differ by less than 0.0063 for every r ≤ 0, so
// the exponential is needed for fewer than one candidate in 150.
func acceptExp(u, r float64) int {
	s := 0.25 * r
	lo := 1 + s*(1+s*(0.5+s*(1.0/6)))
	lo2 := lo * lo
	t := -s
	up := 1 + t*(1+t*(0.5+t*(1.0/6+t*(1.0/24))))
	up2 := up * up
	yes := b2i(u < lo2*lo2*(1-0x1p-48)) & b2i(lo >= 0)
	no := b2i(u*(up2*up2) >= 1+0x1p-48)
	if yes|no == 0 {
		return b2i(u < math.Exp(r))
	}
	return yes
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
