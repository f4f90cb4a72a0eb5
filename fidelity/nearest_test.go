package fidelity

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/sampler"
)

func bruteNearest(x, ref []float64, dim int) ([]int, []float64) {
	nx, nr := len(x)/dim, len(ref)/dim
	idx, dist := make([]int, nx), make([]float64, nx)
	for i := range nx {
		best := math.Inf(1)
		for j := range nr {
			var s float64
			for k := range dim {
				d := x[i*dim+k] - ref[j*dim+k]
				s += d * d
			}
			if s < best {
				best, idx[i] = s, j
			}
		}
		dist[i] = math.Sqrt(best)
	}
	return idx, dist
}

// TestNearestMatchesBrute compares the blocked search with the direct
// one over more points than one block each way, with exact copies among
// the points.
func TestNearestMatchesBrute(t *testing.T) {
	const dim = 7
	ref := uniformPoints(11, distColBlock+300, dim, 0)
	x := uniformPoints(12, distRowBlock+60, dim, 0)
	// A point far out, where ‖x‖² + ‖y‖² − 2x·y leaves a rounding residue
	// that the direct distance does not, and a point of ref twice over, in
	// two column blocks: the first is the one found.
	for i := range 8 {
		for k := range dim {
			ref[(2100+i)*dim+k] += 1000 * float64(i+1)
		}
		copy(x[(5+i)*dim:(6+i)*dim], ref[(2100+i)*dim:(2101+i)*dim])
	}
	copy(ref[2200*dim:2201*dim], ref[40*dim:41*dim])
	copy(x[300*dim:301*dim], ref[17*dim:18*dim])
	copy(x[301*dim:302*dim], ref[2200*dim:2201*dim])
	idx, dist, err := Nearest(x, ref, dim)
	require.NoError(t, err)
	wi, wd := bruteNearest(x, ref, dim)
	assert.Equal(t, wi, idx)
	for i := range wd {
		assert.InDelta(t, wd[i], dist[i], 1e-14, "point %d", i)
	}
	for i := range 8 {
		assert.Equal(t, 2100+i, idx[5+i])
		assert.Equal(t, 0.0, dist[5+i], "a copy's distance")
	}
	assert.Equal(t, 0.0, dist[300])
	assert.Equal(t, 40, idx[301])
	assert.Equal(t, 0.0, dist[301])
}

// TestNearestNeighbourRatio: fresh draws from the training law come no
// nearer than test draws (ratio near 1); copies of training points with a
// little noise come far nearer (ratio near 0). With 1,000 points per set
// the median distance varies by a few percent from seed to seed, so the
// band 1 ± 0.2 fails by chance with probability far below 1e−6.
func TestNearestNeighbourRatio(t *testing.T) {
	const dim = 4
	rng := sampler.NewRand(13)
	normal := func(n int) []float64 {
		x := make([]float64, n*dim)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		return x
	}
	train, test, fresh := normal(3000), normal(1000), normal(1000)
	r, err := NearestNeighbourRatio(fresh, test, train, dim)
	require.NoError(t, err)
	assert.InDelta(t, 1, r.Ratio, 0.2)
	assert.InDelta(t, 1, r.RatioQ1, 0.3)
	assert.InDelta(t, 1, r.RatioQ3, 0.3)
	assert.InDelta(t, 0.05, r.Closer, 0.04)
	assert.Less(t, r.Generated.Q1, r.Generated.Median)
	assert.Less(t, r.Generated.Median, r.Generated.Q3)
	assert.Len(t, r.GeneratedIndex, 1000)

	copies := make([]float64, 1000*dim)
	for i := range copies {
		copies[i] = train[i] + 1e-3*rng.NormFloat64()
	}
	r, err = NearestNeighbourRatio(copies, test, train, dim)
	require.NoError(t, err)
	assert.Less(t, r.Ratio, 0.05)
	assert.Greater(t, r.Closer, 0.99)
	assert.Equal(t, 7, r.GeneratedIndex[7])

	_, err = NearestNeighbourRatio(fresh, train[:1000*dim], train, dim)
	assert.ErrorContains(t, err, "test points are also training points")
	_, err = NearestNeighbourRatio(nil, test, train, dim)
	assert.ErrorContains(t, err, "x has 0 points")
	assert.ErrorContains(t, err, "(generated against train)")
	_, err = NearestRatioOf([]float64{1, math.NaN()}, []float64{1})
	assert.ErrorContains(t, err, "generated distance 1 is NaN")
	_, err = NearestRatioOf([]float64{1}, nil)
	assert.ErrorContains(t, err, "no test distances")
	_, err = NearestRatioOf([]float64{1}, []float64{-1})
	assert.ErrorContains(t, err, "test distance 0 is -1")
	_, _, err = Nearest([]float64{1e160, 0}, train, 2)
	assert.ErrorContains(t, err, "squared norm of x point 0 overflows")
}

func TestQuartiles(t *testing.T) {
	q := quartilesOf([]float64{4, 1, 3, 2, 5})
	assert.Equal(t, Quartiles{2, 3, 4}, q)
	q = quartilesOf([]float64{1, 2})
	assert.Equal(t, Quartiles{1.25, 1.5, 1.75}, q)
	assert.Equal(t, Quartiles{7, 7, 7}, quartilesOf([]float64{7}))
}
