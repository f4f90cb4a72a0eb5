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

// Any 3×3 matrix is either rejected with an error or factored: then it
// is symmetric with finite entries, the factor is lower triangular with
// a positive diagonal, and L L' reproduces it to rounding.
func FuzzCholesky(f *testing.F) {
	f.Add(1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0)
	f.Add(4.0, 2.0, 0.6, 5.0, 1.0, 3.0, 0.0)
	f.Add(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0)
	f.Add(1.0, 2.0, 0.0, 1.0, 0.0, 1.0, 0.0)
	f.Add(1e300, 0.0, 0.0, 1e-300, 0.0, 1.0, 1e-12)
	f.Add(math.NaN(), 0.0, 0.0, 1.0, 0.0, 1.0, 0.0)
	f.Add(1.0, 0.5, 0.0, 1.0, 0.0, math.Inf(1), 0.0)
	f.Fuzz(func(t *testing.T, a, b, c, d, e, g, skew float64) {
		cov := []float64{a, b, c, b + skew, d, e, c, e, g}
		l, err := cholesky(cov, 3)
		if err != nil {
			return
		}
		for i := range 3 {
			require.Greater(t, l[i*3+i], 0.0)
			for j := range 3 {
				require.False(t, math.IsNaN(cov[i*3+j]) || math.IsInf(cov[i*3+j], 0))
				if j > i {
					require.Zero(t, l[i*3+j])
				}
			}
		}
		got := mulT(l, 3)
		for i := range 3 {
			for j := range 3 {
				// Rounding of the factor's products is relative to the
				// diagonal entries' scale.
				tol := 1e-10 * math.Sqrt(math.Abs(cov[i*3+i])) * math.Sqrt(math.Abs(cov[j*3+j]))
				if math.IsInf(tol, 0) || math.IsInf(got[i*3+j], 0) {
					continue
				}
				require.InDelta(t, cov[i*3+j], got[i*3+j], tol, "entry (%d,%d) of %v", i, j, cov)
			}
		}
	})
}
