package rejection

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/optimize"

	"github.com/variate/variate/sampler"
)

// Options configures New and NewAuto. The zero value (or nil) means the
// documented defaults.
type Options struct {
	// MaxTries bounds the consecutive proposals for one point; reaching
	// it is an error (the acceptance is then below 1/MaxTries, so
	// sampling would all but hang). Sample checks it after each block of
	// 256 candidates. Default 1,000,000.
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
	// Peaks lists points where the caller knows the ratio p/q may peak
	// (the modes of narrow components of the target), Dim coordinates
	// each, one after another. NewAuto scores them and starts a local
	// search from each, besides the candidates: a peak far narrower than
	// the spread of the proposal's draws is otherwise found only by luck
	// (see NewAuto). Default: none.
	Peaks []float64
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
	flat     bool        // q is a ConstantDensity
	box1     *UniformBox // q, if it is a 1-D box
	logq     float64     // its log density, if flat
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
		if b, ok := proposal.(*UniformBox); ok && b.Dim() == 1 {
			s.box1 = b
		}
		if math.IsNaN(s.logq) || math.IsInf(s.logq, 0) {
			return nil, fmt.Errorf("rejection: the proposal's ConstantLogDensity is %v; it must be finite (the log of one over the volume of its support)", s.logq)
		}
	}
	return s, nil
}

// NewAuto is New with log M computed as sup(log p − log q) plus a margin:
// it scores opts.Candidates proposal draws, then runs Nelder–Mead local
// searches (gonum/optimize) from the best opts.Starts of them and from
// every point of opts.Peaks, and keeps the largest value found.
//
// No search that only evaluates the target can promise the supremum: a
// peak of the ratio far narrower than the spacing of the candidates (a
// spike of width 1e-5 holding half the mass beside N(0, 1), say) is
// missed unless a candidate lands on it, and log M is then too small.
// Name such peaks in opts.Peaks. Sampling still checks every proposal
// against the bound, so a bound that is too small shows as an error
// naming x as soon as a proposal lands where it is violated — after
// many draws, perhaps, for a narrow peak: it is a safety net, not a
// substitute for naming the peak.
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
	if len(o.Peaks)%d != 0 {
		return 0, fmt.Errorf("rejection: Options.Peaks has %d coordinates, not a multiple of the dimension %d", len(o.Peaks), d)
	}
	for i, v := range o.Peaks {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("rejection: Options.Peaks[%d] = %v is not finite", i, v)
		}
	}
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
	// Keep the top Starts by ratio, then the caller's peaks.
	slices.SortStableFunc(best, func(a, b scored) int { return cmp.Compare(b.r, a.r) })
	best = best[:min(o.Starts, len(best))]
	for i := 0; i < len(o.Peaks); i += d {
		x := o.Peaks[i : i+d]
		r, err := ratio(x)
		if err != nil {
			return 0, err
		}
		if math.IsInf(r, -1) {
			return 0, fmt.Errorf("rejection: the target is zero at the given peak x=%v", x)
		}
		best = append(best, scored{x, r})
	}
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

// block is the number of candidates whose log ratios Sample computes
// before it judges them.
const block = 256

// Sample fills dst with accepted draws.
//
// Candidates are drawn a block at a time straight into dst, just after
// the points accepted so far, with one call to the proposal for the
// whole block. The block's log ratios log p − log q − log M are computed
// in one loop, then each candidate is checked against the bound and
// accepted or rejected in a second loop that moves the accepted ones
// down. The candidates are independent, so this order of work leaves
// the draws exact and i.i.d.; it lets the evaluations of successive
// candidates overlap, keeps the work in a small window of memory, and
// allocates nothing.
func (s *Sampler) Sample(rng *rand.Rand, dst []float64) error {
	sampler.CheckLen("rejection", dst, s.dim)
	d := s.dim
	m := 0          // points accepted so far, at the front of dst
	var props int64 // candidates judged
	since := 0      // proposals rejected since the last acceptance
	var (
		lr [block]float64 // log ratios of the block's candidates
		cs [block]uint8   // their acceptance bits
	)
	defer func() { s.c.add(props, int64(m), 0, 0) }()
	for m*d < len(dst) {
		cand := dst[m*d : min(len(dst), (m+block)*d)]
		ratios := lr[:len(cand)/d]
		if s.box1 != nil {
			// One 64-bit word per candidate: x from its low 53 bits,
			// as rand.Float64 makes them, the acceptance bits (see
			// acceptBits) from its top 8.
			fillBox1(rng, cand, &cs, s.box1.lo[0], s.box1.width[0])
		} else {
			if err := s.q.Sample(rng, cand); err != nil {
				return err
			}
			// The acceptance bits come eight to a 64-bit word.
			for j := 0; j < len(ratios); j += 8 {
				w := rng.Uint64()
				for b := range 8 {
					cs[uint8(j+b)] = uint8(w >> (8 * b))
				}
			}
		}
		bad := s.logRatios(cand, ratios)
		m0 := m
		last := -1 // the block's last accepted candidate
		for i := 0; i < len(ratios); i++ {
			if d == 1 && !bad {
				// The common case, in a loop without calls; it stops
				// at a candidate its bits cannot decide.
				if m, last, i = judge1(dst, m, cand, ratios, &cs, i, last); i == len(ratios) {
					break
				}
			}
			r := ratios[i]
			if !(r <= ratioTol) {
				props += int64(i + 1)
				return s.badCandidate(cand[i*d : (i+1)*d])
			}
			c := uint64(cs[i])
			a, ok := acceptBits(c, r)
			if ok == 0 {
				a = acceptFull(rng, c, r)
			}
			copy(dst[m*d:(m+1)*d], cand[i*d:(i+1)*d])
			m += a
			if a != 0 {
				last = i
			}
		}
		props += int64(len(ratios))
		if m > m0 {
			since = len(ratios) - 1 - last
		} else {
			since += len(ratios)
		}
		if since >= s.maxTries {
			return fmt.Errorf("rejection: %d proposals in a row rejected (acceptance below %.1g); the bound or the proposal is far off", s.maxTries, 1/float64(s.maxTries))
		}
	}
	return nil
}

// fillBox1 draws the candidates of a 1-D box [lo, lo+w] into cand and
// their acceptance bits into cs.
func fillBox1(rng *rand.Rand, cand []float64, cs *[block]uint8, lo, w float64) {
	for i := range cand {
		word := rng.Uint64()
		cand[i] = lo + w*(float64(word<<11>>11)*0x1p-53)
		cs[uint8(i)] = uint8(word >> 56)
	}
}

// judge1 accepts or rejects the 1-D candidates cand[i:] by their log
// ratios and the acceptance bits in cs, moving the accepted ones down to
// dst[m:] (cand lies in dst at or after m) without a branch on the
// outcome, and stops at the first candidate whose bits do not decide.
// The ratios must not be bad (see logRatios). It returns the new m, the
// index of the last accepted candidate and the index where it stopped
// (len(ratios) when done).
func judge1(dst []float64, m int, cand, ratios []float64, cs *[block]uint8, i, last int) (int, int, int) {
	cand = cand[:len(ratios)]
	for ; i < len(ratios); i++ {
		r := ratios[i]
		cell := &logCells[cs[uint8(i)]]
		a := b2i(r >= cell[1])
		if a|b2i(r <= cell[0]) == 0 {
			break
		}
		dst[m] = cand[i]
		m += a
		if a != 0 {
			last = i
		}
	}
	return m, last, i
}

// logRatios stores log p(x) − log q(x) − log M for the points in cand,
// or −Inf where the target is zero. It reports whether any ratio is bad,
// NaN or above ratioTol, so that badCandidate must explain it.
func (s *Sampler) logRatios(cand, ratios []float64) (bad bool) {
	d := s.dim
	if s.flat && d == 1 {
		c := s.logq + s.logM
		for i := range ratios {
			r := s.logp(cand[i:i+1]) - c
			ratios[i] = r
			if !(r <= ratioTol) {
				bad = true
			}
		}
		return bad
	}
	for i := range ratios {
		x := cand[i*d : (i+1)*d]
		lp := s.logp(x)
		switch {
		case lp == math.Inf(-1):
			ratios[i] = lp
		case s.flat:
			ratios[i] = lp - s.logq - s.logM
		default:
			ratios[i] = lp - s.q.LogDensity(x) - s.logM
		}
		if !(ratios[i] <= ratioTol) {
			bad = true
		}
	}
	return bad
}

// badCandidate explains why the candidate x could not be judged: a log
// target of NaN or +Inf, a proposal density that is zero or NaN where
// the target is positive, or a violated bound.
func (s *Sampler) badCandidate(x []float64) error {
	lp, lq := s.logp(x), s.logq
	if !s.flat {
		lq = s.q.LogDensity(x)
	}
	switch {
	case math.IsNaN(lp) || math.IsInf(lp, 1):
		return fmt.Errorf("rejection: log target is %v at x=%v", lp, x)
	case lq == math.Inf(-1) || math.IsNaN(lq):
		s.c.add(0, 0, 0, 1)
		return fmt.Errorf("rejection: proposal density is %v at x=%v where the target is positive", math.Exp(lq), x)
	}
	s.c.add(0, 0, 0, 1)
	return fmt.Errorf("rejection: bound violated at x=%v: p/(M·q) = %.6g > 1; log M = %v is too small", x, math.Exp(lp-lq-s.logM), s.logM)
}

// uBits is the number of leading bits of an acceptance uniform drawn at
// first; uCells = 2^uBits.
const (
	uBits  = 8
	uCells = 1 << uBits
)

// logCells[c] brackets the logarithms of the ends of the c-th of the
// uCells intervals of [0, 1): logCells[c][0] ≤ log(c/uCells) and
// logCells[c][1] ≥ log((c+1)/uCells), each moved out by a relative 2^-50
// (several units in the last place, more than math.Log's error).
var logCells = func() (t [uCells][2]float64) {
	for c := range t {
		t[c][0] = math.Log(float64(c)/uCells) * (1 + 0x1p-50)
		t[c][1] = math.Log(float64(c+1)/uCells) * (1 - 0x1p-50)
	}
	return t
}()

// acceptBits decides whether to accept with probability e^r (r ≤
// ratioTol or −Inf) from c, uBits random bits, when it can: it returns
// decided = 1 and a = 1 to accept or 0 to reject, or decided = 0 when
// acceptFull must finish the decision. The bits are the leading bits of
// the uniform u = (c + V)/uCells, V uniform on [0, 1) and drawn only
// when needed: u lies in [c/uCells, (c+1)/uCells), so u < e^r is certain
// when r ≥ log((c+1)/uCells) and impossible when r ≤ log(c/uCells). Only
// when r falls between, with probability about 1/uCells, is V drawn and
// u compared with e^r in full. The outcome is that of u < e^r, exactly,
// decided almost always by two comparisons, with no exponential and no
// branch.
func acceptBits(c uint64, r float64) (a, decided int) {
	c &= uCells - 1
	cell := &logCells[c]
	a = b2i(r >= cell[1])
	return a, a | b2i(r <= cell[0])
}

// acceptFull decides u < e^r for u = (c + V)/uCells, drawing V.
//
//go:noinline
func acceptFull(rng *rand.Rand, c uint64, r float64) int {
	u := (float64(c&(uCells-1)) + rng.Float64()) / uCells
	return b2i(u < math.Exp(r))
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
