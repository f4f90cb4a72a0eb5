package kernels

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/variate/variate/sampler"
)

// Adam gives the bits of its rule, each operation rounded on its own, on
// every path and at every length (the assembly covers whole vectors of
// four, Go the rest).
func TestAdamEveryPath(t *testing.T) {
	rng := sampler.NewRand(8)
	k := AdamConsts{Beta1: 0.5, Beta2: 0.999, LR: 2e-4, C1: 1 / (1 - 0.25), C2: 1 / math.Sqrt(1-0.998001), Eps: 1e-8}
	forEachPath(t, func(t *testing.T) {
		for n := 0; n <= 37; n++ {
			p, g, m := randSlice(rng, n), randSlice(rng, n), randSlice(rng, n)
			v := randSlice(rng, n)
			for i := range v {
				v[i] = math.Abs(v[i]) * 1e-3
			}
			wp, wm, wv := append([]float64(nil), p...), append([]float64(nil), m...), append([]float64(nil), v...)
			for i, gi := range g {
				a := k.Beta1 * wm[i]
				b := (1 - k.Beta1) * gi
				wm[i] = a + b
				c := (1 - k.Beta2) * gi
				c *= gi
				d := k.Beta2 * wv[i]
				wv[i] = d + c
				num := k.LR * (wm[i] * k.C1)
				den := math.Sqrt(wv[i]) * k.C2
				den += k.Eps
				step := num / den
				wp[i] -= step
			}
			Adam(p, g, m, v, k)
			require.Equal(t, bitsOf(wm), bitsOf(m), "m, n=%d", n)
			require.Equal(t, bitsOf(wv), bitsOf(v), "v, n=%d", n)
			require.Equal(t, bitsOf(wp), bitsOf(p), "params, n=%d", n)
		}
	})
}

func bitsOf(x []float64) []uint64 {
	out := make([]uint64, len(x))
	for i, v := range x {
		out[i] = math.Float64bits(v)
	}
	return out
}
