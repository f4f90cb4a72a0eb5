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

// ratioTol is how far above 1 a ratio p/(Mq) may be from rounding alone
// before it counts as a violated bound.
const ratioTol = 1e-9

// A Sampler is classic rejection sampling from a proposal with a bound.
// It is safe for concurrent use if the log target and the proposal are.
type Sampler struct {
	logp     func([]float64) float64
	q        sampler.DensitySampler
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
	return &Sampler{logp: logTarget, q: proposal, logM: logM, dim: proposal.Dim(), maxTries: o.MaxTries}, nil
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

// Sample fills dst with accepted draws. Each candidate is drawn directly
// into its place in dst, so nothing is allocated.
func (s *Sampler) Sample(rng *rand.Rand, dst []float64) error {
	sampler.CheckLen("rejection", dst, s.dim)
	var props, acc int64
	defer func() { s.c.add(props, acc, 0, 0) }()
	for i := 0; i < len(dst); i += s.dim {
		x := dst[i : i+s.dim]
		for try := 0; ; try++ {
			if try == s.maxTries {
				return fmt.Errorf("rejection: %d proposals in a row rejected (acceptance below %.1g); the bound or the proposal is far off", s.maxTries, 1/float64(s.maxTries))
			}
			if err := s.q.Sample(rng, x); err != nil {
				return err
			}
			props++
			lp, lq := s.logp(x), s.q.LogDensity(x)
			if math.IsNaN(lp) || math.IsInf(lp, 1) {
				return fmt.Errorf("rejection: log target is %v at x=%v", lp, x)
			}
			if lp == math.Inf(-1) {
				continue
			}
			if lq == math.Inf(-1) || math.IsNaN(lq) {
				s.c.add(0, 0, 0, 1)
				return fmt.Errorf("rejection: proposal density is %v at x=%v where the target is positive", math.Exp(lq), x)
			}
			r := lp - lq - s.logM
			if r > ratioTol {
				s.c.add(0, 0, 0, 1)
				return fmt.Errorf("rejection: bound violated at x=%v: p/(M·q) = %.6g > 1; log M = %v is too small", x, math.Exp(r), s.logM)
			}
			// u < e^r is decided without the exponential when u < 1 + r
			// (e^r ≥ 1 + r) or u·(1 − r + r²/2) ≥ 1 (for r ≤ 0,
			// e^−r ≥ 1 − r + r²/2, so e^r ≤ 1/(1 − r + r²/2)).
			u := rng.Float64()
			if u < 1+r || (u*(1-r+r*r/2) < 1 && u < math.Exp(r)) {
				acc++
				break
			}
		}
	}
	return nil
}
