package variates

import (
	"math"
	"math/rand/v2"
)

// MaxTries bounds the rejection loops here. Their acceptance rates are
// above 0.95, so a working generator needs more than MaxTries proposals
// with probability below 2^-4000; reaching the bound means the random
// source is broken (for example, constant).
const MaxTries = 1000

// Gamma returns a Gamma(shape, 1) draw by the method of Marsaglia & Tsang,
// "A simple method for generating gamma variables", ACM TOMS 26(3), 2000:
// a cubed shifted normal with a squeeze and a log test. For shape < 1 it
// uses their boost, Gamma(a) = Gamma(a+1)·U^(1/a). shape must be
// positive. It returns NaN when MaxTries proposals in a row are rejected.
//
// For shape ≥ 1 it consumes, per proposal, one normal and one uniform
// draw of rng, in that order; callers' seed-fixed outputs depend on it.
func Gamma(rng *rand.Rand, shape float64) float64 {
	boost := 1.0
	if shape < 1 {
		boost = math.Pow(rng.Float64(), 1/shape)
		shape++
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for range MaxTries {
		z := rng.NormFloat64()
		v := 1 + c*z
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		if u < 1-0.0331*z*z*z*z || math.Log(u) < 0.5*z*z+d*(1-v+math.Log(v)) {
			return boost * d * v
		}
	}
	return math.NaN()
}
