package target

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/variate/variate/sampler"
)

// truncRelTol is the largest relative error of a truncation's mass, from
// the rounding of the CDF (or survival) values at its ends, that
// Truncate accepts: the truncated CDF and quantile are then accurate to
// about this much in probability.
const truncRelTol = 1e-8

// robertFrom is the standardised distance from the mean beyond which a
// truncated normal is sampled by Robert's exponential rejection rather
// than by inversion.
const robertFrom = 3.0

// Truncate returns the 1-D target t restricted to [lo, hi] (intersected
// with t's support) and renormalised. t must have a CDF, a quantile and a
// 1-D log density. It is an error if lo >= hi, if the interval carries no
// probability under t, or if that probability is too small against the
// rounding of t's CDF at the ends to be known to 1e-8 relative (a very
// narrow interval, or one in a far tail where t's CDF rounds to 1 and no
// survival function is known).
//
// Far tails are handled with the survival function 1 − F where the
// package knows one (the normal, exponential, gamma, beta, Student t and
// tail targets, IsotropicNormal in 1-D, and FromDistuv of a distribution
// with a Survival method): an interval in the upper half of t works with
// survival probabilities, which keep full relative precision where F
// rounds to 1, and quantiles in the upper half of any interval are found
// from them. A target with a survival function but no closed-form inverse
// (gamma, beta, FromDistuv) finds those quantiles by bisection, about 64
// survival evaluations each.
//
// The exact sampler inverts the quantile at a uniform on (0, 1), except
// for a normal target (Normal, IsotropicNormal in 1-D) on an interval
// lying wholly beyond 3 standard deviations from the mean, on either side,
// which is sampled by rejection from an exponential: C. P. Robert,
// "Simulation of truncated normal variables", Statistics and Computing 5,
// 1995, acceptance above 0.92, exact as far out as the mass is
// representable (N(0, 1) beyond about 37.5). Truncate(Normal(), 3, +Inf)
// draws the same bits as Tail.
//
// Quantile(0) is lo and Quantile(1) is hi, which is +Inf for an interval
// unbounded above; every p in (0, 1) gives a finite quantile.
func Truncate(t *Target, lo, hi float64) (*Target, error) {
	if t == nil {
		return nil, fmt.Errorf("target: truncation of a nil target")
	}
	if t.Dim != 1 {
		return nil, fmt.Errorf("target: truncation needs a 1-D target; %s has dimension %d", t.Name, t.Dim)
	}
	if t.CDF == nil || t.Quantile == nil {
		return nil, fmt.Errorf("target: truncation of %s needs its CDF and quantile", t.Name)
	}
	if t.LogDensity1D == nil {
		return nil, fmt.Errorf("target: truncation of %s needs its 1-D log density", t.Name)
	}
	if math.IsNaN(lo) || math.IsNaN(hi) || !(lo < hi) {
		return nil, fmt.Errorf("target: truncation interval [%v, %v] is empty; need lo < hi", lo, hi)
	}
	lo, hi = max(lo, t.Lo), min(hi, t.Hi)
	c := &truncation{t: t, lo: lo, hi: hi}
	flo, fhi := t.CDF(lo), t.CDF(hi)
	c.a, c.b, c.mass = flo, fhi, fhi-flo
	if tl := t.tails; tl != nil {
		c.sHi = tl.sf(hi)
		if flo > 0.5 {
			// The upper half: survival probabilities.
			c.upper = true
			c.a = tl.sf(lo)
			c.b = c.sHi
			c.mass = c.a - c.b
		}
	}
	if !(c.mass > 0) {
		return nil, fmt.Errorf("target: %s has no probability on [%v, %v] (CDF difference %v)", t.Name, lo, hi, c.mass)
	}
	if rel := 0x1p-52 * (math.Abs(c.a) + math.Abs(c.b)) / c.mass; rel > truncRelTol {
		what := "its CDF"
		if c.upper {
			what = "its survival function"
		} else if flo > 0.5 {
			what = "its CDF, which is close to 1 there (and the target has no known survival function)"
		}
		return nil, fmt.Errorf("target: the probability of [%v, %v] under %s, %.3g, is known only to %.1g relative from %s; widen the interval, or tabulate the density on it (transform.NewTable)", lo, hi, t.Name, c.mass, rel, what)
	}
	logp := func(x float64) float64 {
		if x < lo || x > hi {
			return math.Inf(-1)
		}
		return t.LogDensity1D(x)
	}
	if m := c.quantile(0.5); !(math.Abs(logp(m)) <= math.MaxFloat64) {
		return nil, fmt.Errorf("target: %s's log density is %v at x=%v, the median of the truncation to [%v, %v]", t.Name, logp(m), m, lo, hi)
	}
	out := &Target{
		Name:         fmt.Sprintf("%s|[%v,%v]", t.Name, lo, hi),
		Dim:          1,
		LogDensity:   func(x []float64) float64 { return logp(x[0]) },
		LogDensity1D: logp,
		LogZ:         t.LogZ + math.Log(c.mass),
		CDF:          c.cdf,
		Quantile:     c.quantile,
		Lo:           lo,
		Hi:           hi,
		Exact:        scalar(func(rng *rand.Rand) float64 { return c.quantile(sampler.Uniform(rng)) }),
		LogConcave:   t.LogConcave,
	}
	if tl := t.tails; tl != nil && tl.normal {
		za, zb := (lo-tl.loc)/tl.scale, (hi-tl.loc)/tl.scale
		m, s := tl.loc, tl.scale
		switch {
		case za >= robertFrom:
			out.Exact = rejectionSampler(func(rng *rand.Rand) float64 { return m + s*normalTailDraw(rng, za, zb) })
		case zb <= -robertFrom:
			out.Exact = rejectionSampler(func(rng *rand.Rand) float64 { return m - s*normalTailDraw(rng, -zb, -za) })
		}
	}
	return out, nil
}

// A truncation of a 1-D target to [lo, hi]. On the lower side a, b are
// F(lo), F(hi); on the upper side the survival probabilities S(lo),
// S(hi). sHi is S(hi) whenever a survival function is known.
type truncation struct {
	t      *Target
	lo, hi float64
	upper  bool
	a, b   float64
	sHi    float64
	mass   float64
}

func (c *truncation) quantile(p float64) float64 {
	if !(p > 0) {
		return c.lo
	}
	if p >= 1 {
		return c.hi
	}
	var x float64
	tl := c.t.tails
	switch {
	case c.upper && p <= 0.5:
		x = tl.isf(c.a - p*c.mass)
	case c.upper:
		x = tl.isf(c.b + (1-p)*c.mass)
	case tl != nil && c.a+p*c.mass > 0.5:
		// S(x) = S(hi) + (1 − p)·mass, without the rounding of F near 1.
		x = tl.isf(c.sHi + (1-p)*c.mass)
	default:
		// Short of 1, so that a quantile unbounded at 1 stays finite.
		x = c.t.Quantile(min(c.a+p*c.mass, 1-0x1p-53))
	}
	return min(c.hi, max(c.lo, x))
}

func (c *truncation) cdf(x float64) float64 {
	if x <= c.lo {
		return 0
	}
	if x >= c.hi {
		return 1
	}
	if c.upper {
		return min(1, max(0, (c.a-c.t.tails.sf(x))/c.mass))
	}
	return min(1, max(0, (c.t.CDF(x)-c.a)/c.mass))
}
