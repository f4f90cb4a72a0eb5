package target

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/variate/variate/sampler"
)

// Truncate returns the 1-D target t restricted to [lo, hi] and
// renormalised. t must have a CDF and a quantile; the result samples
// exactly by inversion, Q(F(lo) + u·(F(hi) − F(lo))). It is an error if
// lo >= hi or if the interval carries no probability under t.
//
// The mass is F(hi) − F(lo) in double precision, so an interval far in an
// upper tail, where F rounds to 1, has no mass here (N(0, 1) beyond 8.3,
// say), and one where F is close to 1 loses relative precision; such
// tails need a target built on the survival function, as Tail is.
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
	flo, fhi := t.CDF(lo), t.CDF(hi)
	mass := fhi - flo
	if !(mass > 0) {
		return nil, fmt.Errorf("target: %s has no probability on [%v, %v] (CDF difference %v)", t.Name, lo, hi, mass)
	}
	inner := t
	logp := func(x float64) float64 {
		if x < lo || x > hi {
			return math.Inf(-1)
		}
		return inner.LogDensity1D(x)
	}
	q := func(p float64) float64 {
		return min(hi, max(lo, inner.Quantile(flo+p*mass)))
	}
	out := &Target{
		Name:         fmt.Sprintf("%s|[%v,%v]", t.Name, lo, hi),
		Dim:          1,
		LogDensity:   func(x []float64) float64 { return logp(x[0]) },
		LogDensity1D: logp,
		LogZ:         t.LogZ + math.Log(mass),
		CDF: func(x float64) float64 {
			if x <= lo {
				return 0
			}
			if x >= hi {
				return 1
			}
			return min(1, max(0, (inner.CDF(x)-flo)/mass))
		},
		Quantile:   q,
		Lo:         lo,
		Hi:         hi,
		Exact:      scalar(func(rng *rand.Rand) float64 { return q(sampler.Uniform(rng)) }),
		LogConcave: t.LogConcave,
	}
	return out, nil
}
