package variates_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/variate/variate/internal/variates"
	"github.com/variate/variate/sampler"
)

// Gamma draws against gonum's CDF for shapes below, at and above 1. Under
// the null P(√n·D > 3) ≤ 2e^{-18} ≈ 3e-8 each (Massart's DKW bound): four
// checks fail by chance with probability below 1.3e-7. A shape off by
// 2% gives √n·D near 5 at n = 10^5.
func TestGammaKS(t *testing.T) {
	n := 100000
	if testing.Short() {
		n = 20000
	}
	for _, shape := range []float64{0.3, 1, 2.5, 40} {
		rng := sampler.NewRand(uint64(shape * 10))
		x := make([]float64, n)
		for i := range x {
			x[i] = variates.Gamma(rng, shape)
		}
		slices.Sort(x)
		cdf := distuv.Gamma{Alpha: shape, Beta: 1}.CDF
		var d float64
		for i, v := range x {
			f := cdf(v)
			d = math.Max(d, math.Max(f-float64(i)/float64(n), float64(i+1)/float64(n)-f))
		}
		assert.Less(t, math.Sqrt(float64(n))*d, 3.0, "shape %v", shape)
	}
}

func ExampleGamma() {
	rng := sampler.NewRand(1)
	var s float64
	for range 100000 {
		s += variates.Gamma(rng, 2.5)
	}
	fmt.Printf("mean %.2f\n", s/100000)
	// Output: mean 2.50
}
