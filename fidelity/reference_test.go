package fidelity_test

import (
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/variate/variate/fidelity"
	"github.com/variate/variate/sampler"
)

// slicedDirect is the sliced distance computed the plain way, each
// direction drawn, both samples projected and sorted, one after another.
func slicedDirect(x, y []float64, dim, projections int, seed uint64) float64 {
	rng := sampler.NewRand(seed)
	proj := func(p, dir []float64, norm float64) []float64 {
		out := make([]float64, len(p)/dim)
		for i := range out {
			var s float64
			for j, d := range dir {
				s += p[i*dim+j] * d
			}
			out[i] = s / norm
		}
		slices.Sort(out)
		return out
	}
	var total float64
	for range projections {
		dir := make([]float64, dim)
		var norm float64
		for norm == 0 {
			for i := range dir {
				dir[i] = rng.NormFloat64()
				norm += dir[i] * dir[i]
			}
		}
		px, py := proj(x, dir, math.Sqrt(norm)), proj(y, dir, math.Sqrt(norm))
		w, _ := fidelity.Wasserstein1(px, py)
		total += w
	}
	return total / float64(projections)
}

func TestSlicedReferenceReused(t *testing.T) {
	rng := sampler.NewRand(3)
	sample := func(n int, shift float64) []float64 {
		p := make([]float64, 3*n)
		for i := range p {
			p[i] = rng.NormFloat64() + shift
		}
		return p
	}
	y := sample(500, 0)
	ref, err := fidelity.NewSlicedReference(y, 3, 40, sampler.NewRand(9))
	require.NoError(t, err)
	assert.Equal(t, 3, ref.Dim())
	for _, shift := range []float64{0, 0.5, -2} {
		x := sample(300+int(100*shift), shift)
		before := slices.Clone(x)
		got, err := ref.Distance(x)
		require.NoError(t, err)
		assert.Equal(t, before, x, "Distance modified its input")
		assert.InDelta(t, slicedDirect(x, y, 3, 40, 9), got, 1e-12*math.Max(1, got))
		again, err := fidelity.SlicedWasserstein(x, y, 3, 40, sampler.NewRand(9))
		require.NoError(t, err)
		assert.Equal(t, got, again, "a reused reference and a fresh one differ")
	}
	_, err = ref.Distance([]float64{1, 2})
	assert.ErrorContains(t, err, "x")
	_, err = fidelity.NewSlicedReference(y, 3, 0, sampler.NewRand(1))
	assert.ErrorContains(t, err, "0 projections")
	_, err = fidelity.NewSlicedReference([]float64{1, math.NaN(), 0}, 3, 4, sampler.NewRand(1))
	assert.Error(t, err)
}

// quantileDirect is Wasserstein-1 against a quantile function by
// 8-point Gauss–Legendre on each piece, evaluated in place.
func quantileDirect(x []float64, q func(float64) float64) float64 {
	s := slices.Sorted(slices.Values(x))
	var nodes, weights [8]float64
	quad.Legendre{}.FixedLocations(nodes[:], weights[:], 0, 1)
	n := float64(len(s))
	var w float64
	for i, v := range s {
		var piece float64
		for k, u := range nodes {
			piece += weights[k] * math.Abs(v-q(float64(i)/n+u/n))
		}
		w += piece / n
	}
	return w
}

func TestQuantileReferenceReused(t *testing.T) {
	calls := 0
	q := func(u float64) float64 { calls++; return distuv.UnitNormal.Quantile(u) }
	ref, err := fidelity.NewQuantileReference(q, 400)
	require.NoError(t, err)
	assert.Equal(t, 400, ref.N())
	made := calls
	rng := sampler.NewRand(5)
	for _, shift := range []float64{0, 0.3, -1} {
		x := make([]float64, 400)
		for i := range x {
			x[i] = rng.NormFloat64() + shift
		}
		got, err := ref.Wasserstein1(x)
		require.NoError(t, err)
		assert.Equal(t, quantileDirect(x, distuv.UnitNormal.Quantile), got)
	}
	assert.Equal(t, made, calls, "Wasserstein1 called the quantile function again")
	_, err = ref.Wasserstein1(make([]float64, 399))
	assert.ErrorContains(t, err, "399 points against a quantile reference made for 400")
	_, err = fidelity.NewQuantileReference(q, 0)
	assert.ErrorContains(t, err, "need at least 1")
	_, err = fidelity.NewQuantileReference(func(float64) float64 { return math.NaN() }, 3)
	assert.ErrorContains(t, err, "is NaN")
}
