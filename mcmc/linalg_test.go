package mcmc

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/sampler"
)

// mulT returns L L' for a lower-triangular d×d L.
func mulT(l []float64, d int) []float64 {
	a := make([]float64, d*d)
	for i := range d {
		for j := range d {
			for k := range d {
				a[i*d+j] += l[i*d+k] * l[j*d+k]
			}
		}
	}
	return a
}

// The rank-one update and downdate agree with refactoring A ± v v'.
func TestRankOne(t *testing.T) {
	rng := sampler.NewRand(1)
	for _, d := range []int{1, 2, 5, 10} {
		// A random SPD matrix B B' + I.
		a := make([]float64, d*d)
		for i := range d {
			for j := range d {
				for k := range d {
					a[i*d+j] += float64((i+1)*(k+2)%7-3) * float64((j+1)*(k+2)%7-3) / 10
				}
			}
			a[i*d+i]++
		}
		for _, sign := range []float64{1, -1} {
			v := make([]float64, d)
			for i := range v {
				v[i] = 0.3 * rng.NormFloat64()
			}
			want := append([]float64(nil), a...)
			for i := range d {
				for j := range d {
					want[i*d+j] += sign * v[i] * v[j]
				}
			}
			l, err := cholesky(a, d)
			require.NoError(t, err)
			require.True(t, rankOne(l, append([]float64(nil), v...), d, sign))
			got := mulT(l, d)
			for i := range got {
				assert.InDelta(t, want[i], got[i], 1e-12, "d=%d sign=%v", d, sign)
			}
		}
	}
	// A downdate that would leave the matrix indefinite fails.
	l := []float64{1}
	assert.False(t, rankOne(l, []float64{2}, 1, -1))
}

// After warm-up, the adaptive kernels' proposal factor does not change.
func TestFrozenAfterWarmup(t *testing.T) {
	f := func(x []float64) float64 { return -(x[0]*x[0] + 4*x[1]*x[1]) / 2 }
	for _, k := range []Kernel{AM{}, RAM{}} {
		ch, err := NewChain(f, k, []float64{1, 1})
		require.NoError(t, err)
		rng := sampler.NewRand(3)
		l0 := append([]float64(nil), ch.m.(*rwMover).l...)
		require.NoError(t, ch.Warmup(rng, 2000))
		l1 := append([]float64(nil), ch.m.(*rwMover).l...)
		assert.NotEqual(t, l0, l1, "warm-up adapts %s", k)
		require.NoError(t, ch.Sample(rng, make([]float64, 2*2000)))
		assert.Equal(t, l1, ch.m.(*rwMover).l, "sampling does not adapt %s", k)
		// The learned covariance has the target's shape: variances 1
		// and 1/4 up to the common scale, no correlation.
		c := mulT(l1, 2)
		assert.InDelta(t, 4, c[0]/c[3], 1.2, k.String())
		assert.Less(t, math.Abs(c[1])/math.Sqrt(c[0]*c[3]), 0.2, k.String())
	}
}
