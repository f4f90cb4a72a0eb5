package target

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/variate/variate/sampler"
)

// A Distuv is what FromDistuv needs of a gonum distuv distribution
// (distuv.Normal, distuv.Gamma, distuv.Beta, distuv.StudentsT, … all
// qualify).
type Distuv interface {
	LogProb(x float64) float64
	CDF(x float64) float64
	Quantile(p float64) float64
}

// FromDistuv wraps a gonum distuv distribution with support [lo, hi]
// (possibly infinite) as a 1-D Target. Its exact sampler inverts
// d.Quantile at uniforms in the open interval (0, 1); d's own Rand method
// is not used, because it draws from d's Src rather than the caller's
// generator. A Survival method, which every distuv distribution with a
// CDF has, is used by [Truncate] for upper tails; it must keep relative
// precision where the CDF is near 1, as gonum's incomplete-gamma and
// incomplete-beta ones do. distuv.Normal and distuv.LogNormal, whose
// Survival is 1 − erf, get an erfc form instead, and a distuv.Normal's
// deep tails are sampled as Truncate samples Normal's.
//
// The distribution is checked at its median, d.Quantile(0.5): it must lie
// in [lo, hi] with a finite log density and a CDF in [0, 1]; an invalid
// parameter (a negative σ, say) shows there as NaN and is an error, and so
// is a panic in d's methods during that check (gonum panics on some
// invalid parameters), with its value. A panic in d's methods later, in
// the target's functions or its sampler, propagates to their caller.
func FromDistuv(name string, d Distuv, lo, hi float64) (*Target, error) {
	if d == nil {
		return nil, fmt.Errorf("target: %s: nil distribution", name)
	}
	if math.IsNaN(lo) || math.IsNaN(hi) || !(lo < hi) {
		return nil, fmt.Errorf("target: %s: support [%v, %v] is empty; need lo < hi", name, lo, hi)
	}
	if err := checkDistuv(name, d, lo, hi); err != nil {
		return nil, err
	}
	logp := func(x float64) float64 {
		if x < lo || x > hi {
			return math.Inf(-1)
		}
		return d.LogProb(x)
	}
	t := &Target{
		Name:         name,
		Dim:          1,
		LogDensity:   func(x []float64) float64 { return logp(x[0]) },
		LogDensity1D: logp,
		LogZ:         0,
		CDF:          d.CDF,
		Quantile:     d.Quantile,
		Lo:           lo,
		Hi:           hi,
		Exact:        scalar(func(rng *rand.Rand) float64 { return d.Quantile(sampler.Uniform(rng)) }),
	}
	switch dd := d.(type) {
	case distuv.Normal:
		// gonum's Normal.Survival is 1 − erf, which loses the tail.
		t.tails = normalTails(dd.Mu, dd.Sigma)
	case distuv.LogNormal:
		sf := func(x float64) float64 {
			if x <= 0 {
				return 1
			}
			return normalSF((math.Log(x) - dd.Mu) / dd.Sigma)
		}
		t.tails = &tails{sf: sf, isf: survivalInverse(sf, lo, hi)}
	case interface{ Survival(float64) float64 }:
		t.tails = &tails{sf: dd.Survival, isf: survivalInverse(dd.Survival, lo, hi)}
	}
	return t, nil
}

// checkDistuv checks d at its median, turning a panic there into an
// error.
func checkDistuv(name string, d Distuv, lo, hi float64) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("target: %s: the distribution panicked when evaluated at its median (%v); check its parameters", name, r)
		}
	}()
	med := d.Quantile(0.5)
	if !(med >= lo && med <= hi) {
		return fmt.Errorf("target: %s: its median %v is not in the support [%v, %v]; check the distribution's parameters and the support", name, med, lo, hi)
	}
	if lp, c := d.LogProb(med), d.CDF(med); !(math.Abs(lp) <= math.MaxFloat64) || !(c >= 0 && c <= 1) {
		return fmt.Errorf("target: %s: log density %v and CDF %v at its median x=%v; check the distribution's parameters", name, lp, c, med)
	}
	return nil
}
