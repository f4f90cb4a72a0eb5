package target

import (
	"fmt"
	"math"
	"math/rand/v2"

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
// generator.
func FromDistuv(name string, d Distuv, lo, hi float64) (*Target, error) {
	if d == nil {
		return nil, fmt.Errorf("target: %s: nil distribution", name)
	}
	if math.IsNaN(lo) || math.IsNaN(hi) || !(lo < hi) {
		return nil, fmt.Errorf("target: %s: support [%v, %v] is empty; need lo < hi", name, lo, hi)
	}
	logp := func(x float64) float64 {
		if x < lo || x > hi {
			return math.Inf(-1)
		}
		return d.LogProb(x)
	}
	return &Target{
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
	}, nil
}
