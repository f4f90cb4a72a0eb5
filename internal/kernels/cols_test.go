package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Dist2Cols gives the bits of the direct sum on every path, at lengths
// that leave AVX-512, AVX2 and Go parts, for dimensions 1 to 5.
func TestDist2Cols(t *testing.T) {
	rng := rand.New(rand.NewPCG(51, 52))
	for _, d := range []int{1, 2, 3, 5} {
		for _, n := range []int{1, 3, 4, 7, 8, 13, 29, 64} {
			ld := n + 3
			bt := randSlice(rng, d*ld)
			a := randSlice(rng, d)
			want := make([]float64, n)
			for j := range want {
				d0 := a[0] - bt[j]
				s := d0 * d0
				for k := 1; k < d; k++ {
					dk := a[k] - bt[k*ld+j]
					s += dk * dk
				}
				want[j] = s
			}
			forEachPath(t, func(t *testing.T) {
				got := make([]float64, n)
				Dist2Cols(got, a, bt, ld)
				for j := range got {
					require.Equal(t, math.Float64bits(want[j]), math.Float64bits(got[j]), "d=%d n=%d j=%d", d, n, j)
				}
			})
		}
	}
	assert.Panics(t, func() { Dist2Cols(make([]float64, 4), []float64{1, 2}, make([]float64, 7), 4) })
	assert.Panics(t, func() { Dist2Cols(make([]float64, 4), nil, make([]float64, 8), 4) })
}

// GradCols agrees with the direct sums to rounding on every path, and
// subtracts each term from gt exactly as it is formed.
func TestGradCols(t *testing.T) {
	rng := rand.New(rand.NewPCG(53, 54))
	for _, d := range []int{1, 2, 3} {
		for _, n := range []int{1, 5, 8, 12, 31, 256} {
			ld := n + 1
			bt := randSlice(rng, d*ld)
			a := randSlice(rng, d)
			w := randSlice(rng, n)
			g0 := randSlice(rng, d)
			gt0 := randSlice(rng, d*ld)
			const coef = -0.75
			wantG := make([]float64, d)
			wantGt := append([]float64(nil), gt0...)
			var scale float64
			for k := range d {
				var s float64
				for j := range n {
					tk := coef * w[j] * (a[k] - bt[k*ld+j])
					s += tk
					scale += math.Abs(tk)
					wantGt[k*ld+j] -= tk
				}
				wantG[k] = g0[k] + s
			}
			forEachPath(t, func(t *testing.T) {
				for _, withGt := range []bool{false, true} {
					g := append([]float64(nil), g0...)
					var gt []float64
					if withGt {
						gt = append([]float64(nil), gt0...)
					}
					GradCols(g, gt, w, a, bt, ld, coef)
					for k := range d {
						assert.InDelta(t, wantG[k], g[k], 1e-15*(scale+1), "d=%d n=%d k=%d", d, n, k)
					}
					if withGt {
						for i := range gt {
							require.Equal(t, math.Float64bits(wantGt[i]), math.Float64bits(gt[i]), "d=%d n=%d gt[%d]", d, n, i)
						}
					}
				}
			})
		}
	}
}

// sum4Acc continues the four interleaved sums wherever a part ends on a
// multiple of four, as GaussPowSum's AVX-512 loop leaves them.
func TestSum4Acc(t *testing.T) {
	rng := rand.New(rand.NewPCG(55, 56))
	for _, n := range []int{0, 1, 3, 4, 5, 11, 64, 257} {
		v := randSlice(rng, n)
		var want [4]float64
		j := 0
		for ; j+3 < n; j += 4 {
			for l := range 4 {
				want[l] += v[j+l]
			}
		}
		for ; j < n; j++ {
			want[0] += v[j]
		}
		for cut := 0; cut <= n; cut += 4 {
			var s [4]float64
			sum4Acc(&s, v[:cut])
			sum4Acc(&s, v[cut:])
			for l := range 4 {
				require.Equal(t, math.Float64bits(want[l]), math.Float64bits(s[l]), "n=%d cut=%d lane %d", n, cut, l)
			}
		}
	}
}
