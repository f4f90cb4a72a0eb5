package sampler

import (
	"fmt"
	"math/rand/v2"
)

// A Sampler draws points from a distribution over R^Dim().
//
// Implementations document whether they are safe for concurrent use: one
// whose state is read-only after construction (a table, an envelope, a
// trained generator) is; one with running state (a Markov chain) is not.
type Sampler interface {
	// Dim is the dimension of one point. It is at least 1.
	Dim() int
	// Sample fills dst with len(dst)/Dim() points, stored one after
	// another. It panics if len(dst) is not a multiple of Dim(). It returns
	// an error when the data behind the sampler turn out to be wrong while
	// sampling (a violated bound, a NaN density); dst is then only partly
	// valid.
	Sample(rng *rand.Rand, dst []float64) error
}

// A DensitySampler is a Sampler that can also evaluate its log density,
// up to an additive constant that does not depend on x. Rejection sampling
// and the independence Metropolis–Hastings kernel take one as proposal.
type DensitySampler interface {
	Sampler
	// LogDensity returns the log density at x, len(x) == Dim(). It returns
	// -Inf outside the support.
	LogDensity(x []float64) float64
}

// CheckLen panics with a clear message when dst cannot hold a whole number
// of points of dimension dim. Samplers call it at the top of Sample.
func CheckLen(pkg string, dst []float64, dim int) {
	if dim <= 0 {
		panic(fmt.Sprintf("%s: dimension %d is not positive", pkg, dim))
	}
	if len(dst)%dim != 0 {
		panic(fmt.Sprintf("%s: len(dst)=%d is not a multiple of the dimension %d", pkg, len(dst), dim))
	}
}

// Draw allocates a slice for n points of s, fills it and returns it.
// It panics if n is negative.
func Draw(s Sampler, rng *rand.Rand, n int) ([]float64, error) {
	if n < 0 {
		panic(fmt.Sprintf("sampler: Draw of %d points", n))
	}
	dst := make([]float64, n*s.Dim())
	if err := s.Sample(rng, dst); err != nil {
		return dst, err
	}
	return dst, nil
}

// Func adapts a function that writes one point into a Sampler of the
// given dimension. It is safe for concurrent use if f is.
func Func(dim int, f func(rng *rand.Rand, x []float64) error) Sampler {
	if dim <= 0 {
		panic(fmt.Sprintf("sampler: Func with dimension %d", dim))
	}
	return funcSampler{dim: dim, f: f}
}

type funcSampler struct {
	dim int
	f   func(rng *rand.Rand, x []float64) error
}

func (s funcSampler) Dim() int { return s.dim }

func (s funcSampler) Sample(rng *rand.Rand, dst []float64) error {
	CheckLen("sampler", dst, s.dim)
	for i := 0; i < len(dst); i += s.dim {
		if err := s.f(rng, dst[i:i+s.dim]); err != nil {
			return err
		}
	}
	return nil
}

// Uniform returns a uniform draw from the open interval (0, 1): 53 random
// bits plus one half, so it is never 0 or 1 and a quantile function is
// never asked for an infinite end of its support.
func Uniform(rng *rand.Rand) float64 {
	return (float64(rng.Uint64()>>11) + 0.5) * 0x1p-53
}
