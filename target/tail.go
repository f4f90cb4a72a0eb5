package target

import (
	"math"
	"math/rand/v2"
)

// tailStart is where the catalogue's "tail" target begins.
const tailStart = 3.0

// normalSF is the standard normal survival function 1 − Φ(x), computed
// with erfc so that it keeps full relative precision far into the tail.
func normalSF(x float64) float64 { return 0.5 * math.Erfc(x/math.Sqrt2) }

// Tail returns the catalogue's "tail" target, N(0, 1) truncated to
// [3, ∞). Its CDF and quantile work with survival probabilities, so they
// stay accurate far into the tail (x up to about 37, p up to 1 − 1e-16).
func Tail() *Target {
	a := tailStart
	sfA := normalSF(a)
	logp := func(x float64) float64 {
		if x < a {
			return math.Inf(-1)
		}
		return -0.5 * x * x
	}
	// Inverse Mills ratio λ = φ(a)/Φ̄(a) gives the moments of the
	// truncated normal.
	lambda := math.Exp(-0.5*a*a) / math.Sqrt(2*math.Pi) / sfA
	return &Target{
		Name:         "tail",
		Dim:          1,
		LogDensity:   func(x []float64) float64 { return logp(x[0]) },
		LogDensity1D: logp,
		LogZ:         0.5*log2Pi + math.Log(sfA),
		CDF: func(x float64) float64 {
			if x <= a {
				return 0
			}
			return (sfA - normalSF(x)) / sfA
		},
		// Φ̄(x) = Φ̄(a)(1 − p), and Φ̄(x) = Φ(−x).
		Quantile: func(p float64) float64 {
			if p <= 0 {
				return a
			}
			return max(a, -unitNormal.Quantile(sfA*(1-p)))
		},
		Lo:         a,
		Hi:         math.Inf(1),
		Exact:      rejectionSampler(func(rng *rand.Rand) float64 { return tailDraw(rng, a) }),
		LogConcave: true,
		tails: &tails{
			sf: func(x float64) float64 { return normalSF(max(x, a)) / sfA },
			isf: func(s float64) float64 {
				if s >= 1 {
					return a
				}
				return max(a, -unitNormal.Quantile(sfA*s))
			},
		},
		Mean: []float64{lambda},
		Var:  []float64{1 + a*lambda - lambda*lambda},
	}
}
