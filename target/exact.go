package target

import (
	"errors"
	"math"
	"math/rand/v2"
)

// maxTries bounds every rejection loop of the exact samplers. Their
// acceptance rates are at least 0.5, so a correct generator needs more
// than maxTries proposals with probability below 2^-1000; reaching the
// bound means the random source is broken (for example, constant).
const maxTries = 1000

var errTries = errors.New("target: exact sampler made 1000 proposals without acceptance; the random source looks broken")

// rejectionSampler is a 1-D exact sampler whose draws can fail (NaN) only
// when the loop bound is hit.
type rejectionSampler func(rng *rand.Rand) float64

func (rejectionSampler) Dim() int { return 1 }

func (f rejectionSampler) Sample(rng *rand.Rand, dst []float64) error {
	for i := range dst {
		x := f(rng)
		if math.IsNaN(x) {
			return errTries
		}
		dst[i] = x
	}
	return nil
}

// tailDraw returns a draw of N(0, 1) truncated to [a, ∞), a > 0, by
// rejection from a shifted exponential with the optimal rate
// α = (a + sqrt(a² + 4))/2: C. P. Robert, "Simulation of truncated normal
// variables", Statistics and Computing 5, 1995. Acceptance at a = 3 is
// about 0.92.
func tailDraw(rng *rand.Rand, a float64) float64 {
	alpha := (a + math.Sqrt(a*a+4)) / 2
	for range maxTries {
		x := a + rng.ExpFloat64()/alpha
		d := x - alpha
		if rng.Float64() <= math.Exp(-0.5*d*d) {
			return x
		}
	}
	return math.NaN()
}

// normalTailDraw returns a draw of N(0, 1) truncated to [a, b], a > 0,
// b > a (b may be +Inf), by Robert's (1995) rejection from the exponential
// of rate α = (a + sqrt(a² + 4))/2 truncated to [a, b], drawn by inversion.
// The log ratio of the densities, −x²/2 + αx, peaks on [a, b] at
// top = min(α, b); a candidate x is accepted with probability
// exp(−x²/2 + αx + top²/2 − α·top). For b = +Inf it is tailDraw, draw for
// draw.
func normalTailDraw(rng *rand.Rand, a, b float64) float64 {
	if math.IsInf(b, 1) {
		return tailDraw(rng, a)
	}
	alpha := (a + math.Sqrt(a*a+4)) / 2
	top := min(alpha, b)
	c := -math.Expm1(-alpha * (b - a)) // the exponential's mass on [a, b]
	for range maxTries {
		x := min(b, a-math.Log1p(-c*rng.Float64())/alpha)
		d := x - top
		if rng.Float64() <= math.Exp(d*(alpha-(x+top)/2)) {
			return x
		}
	}
	return math.NaN()
}
