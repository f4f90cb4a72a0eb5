package mmd

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/sampler"
)

func TestKernelValues(t *testing.T) {
	x, y := []float64{1, 2}, []float64{0.5, -1} // r² = 9.25
	g, err := Gaussian(2)
	require.NoError(t, err)
	assert.InDelta(t, math.Exp(-9.25/8), g.Eval(x, y), 1e-15)
	gs, err := GaussianSum(1, 2)
	require.NoError(t, err)
	assert.InDelta(t, math.Exp(-9.25/2)+math.Exp(-9.25/8), gs.Eval(x, y), 1e-15)
	imq, err := InverseMultiquadric(3)
	require.NoError(t, err)
	assert.InDelta(t, 1/math.Sqrt(1+9.25/9), imq.Eval(x, y), 1e-15)
	assert.InDelta(t, math.Sqrt(5)+math.Sqrt(1.25)-math.Sqrt(9.25), Distance().Eval(x, y), 1e-15)
	assert.Equal(t, 1.0, g.Eval(x, x))

	assert.Equal(t, "gaussian(σ=1,2)", gs.String())
	assert.Equal(t, "imq(c=3)", imq.String())
	assert.Equal(t, "distance", Distance().String())
	assert.Equal(t, "zero kernel", Kernel{}.String())
	assert.Equal(t, []float64{1, 2}, gs.Bandwidths())
	assert.Nil(t, imq.Bandwidths())
	assert.Panics(t, func() { g.Eval(x, []float64{1}) })
	assert.Panics(t, func() { Kernel{}.Eval(x, y) })
}

func TestKernelErrors(t *testing.T) {
	for _, s := range []float64{0, -1, math.NaN(), math.Inf(1), 1e-200, 1e200} {
		_, err := Gaussian(s)
		assert.ErrorContains(t, err, "mmd: bandwidth 0", "σ=%v", s)
	}
	_, err := GaussianSum(1, math.NaN())
	assert.EqualError(t, err, "mmd: bandwidth 1 is NaN; it must be positive and finite")
	_, err = GaussianSum()
	assert.ErrorContains(t, err, "at least one bandwidth")
	for _, c := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		_, err := InverseMultiquadric(c)
		assert.ErrorContains(t, err, "mmd: inverse multiquadric scale", "c=%v", c)
	}
}

// The six GMMN bandwidths need two exponentials: rates 1, 4, 25 (relative
// to σ = 1) from one and 100, 400, 2500 from the other.
func TestPowPlan(t *testing.T) {
	k, err := GaussianSum(0.02, 0.05, 0.1, 0.2, 0.5, 1.0)
	require.NoError(t, err)
	require.Len(t, k.pow.groups, 2)
	var ks []uint
	for _, g := range k.pow.groups {
		for _, d := range g.derived {
			ks = append(ks, d.k)
		}
	}
	assert.Equal(t, []uint{4, 25, 4, 25}, ks)
	k, err = GaussianSum(0.3, 0.7, 1.3)
	require.NoError(t, err)
	assert.Len(t, k.pow.groups, 3)
}

func TestMedianBandwidth(t *testing.T) {
	// Pooled 1-D points 0, 1, 3, 7: distances 1, 3, 7, 2, 6, 4 → median 3.5.
	s, err := MedianBandwidth([]float64{0, 1}, []float64{3, 7}, 1)
	require.NoError(t, err)
	assert.Equal(t, 3.5, s)
	// Odd number of pairs (3 points): distances 1, 3, 2 → 2.
	s, err = MedianBandwidth([]float64{0, 1, 3}, nil, 1)
	require.NoError(t, err)
	assert.Equal(t, 2.0, s)
	// Two 2-D standard normal points are √2·Rayleigh apart: median
	// √2·√(2 ln 2) = 1.665. Subsampled above 2000 points.
	rng := sampler.NewRand(31)
	s, err = MedianBandwidth(points(rng, 1500, 2, 1, 0), points(rng, 1500, 2, 1, 0), 2)
	require.NoError(t, err)
	assert.InDelta(t, 2*math.Sqrt(math.Ln2), s, 0.2) // 1.18 or 2.77 under other conventions

	_, err = MedianBandwidth([]float64{1, 1, 1, 1}, []float64{2}, 1)
	assert.ErrorContains(t, err, "median pairwise distance is 0")
	_, err = MedianBandwidth([]float64{1}, nil, 1)
	assert.ErrorContains(t, err, "at least 2 points")
	_, err = MedianBandwidth([]float64{1, 2, 3}, nil, 2)
	assert.EqualError(t, err, "mmd: len(x) = 3 is not a multiple of the dimension 2")
	_, err = MedianBandwidth([]float64{1, 2}, nil, 0)
	assert.ErrorContains(t, err, "dimension 0 is not positive")
}
