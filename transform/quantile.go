package transform

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/variate/variate/sampler"
)

// Quantile returns a 1-D sampler that draws q(U) for U uniform on the open
// interval (0, 1), so q is never asked for an infinite end of the support.
// q must be non-decreasing; any gonum distuv Quantile method qualifies.
// Sample reports an error naming u if q returns NaN or ±Inf there: a
// finite support has finite quantiles, and an infinite end of the support
// is reached only at u = 0 or 1, which are never drawn. It panics if q is
// nil.
func Quantile(q func(float64) float64) sampler.Sampler {
	if q == nil {
		panic("transform: Quantile with a nil function")
	}
	return quantileSampler{q}
}

type quantileSampler struct{ q func(float64) float64 }

func (quantileSampler) Dim() int { return 1 }

func (s quantileSampler) Sample(rng *rand.Rand, dst []float64) error {
	for i := range dst {
		u := sampler.Uniform(rng)
		x := s.q(u)
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("transform: quantile function returned %v at u=%v; it must be finite on (0, 1)", x, u)
		}
		dst[i] = x
	}
	return nil
}
