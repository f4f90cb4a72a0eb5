package kernels

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/variate/variate/sampler"
)

// The bias passes give the bits of their scalar rules on every path and
// at every length (the assembly covers whole vectors of 8, Go the rest),
// signed zeros, infinities and NaNs included.
func TestBiasPasses(t *testing.T) {
	rng := sampler.NewRand(5)
	special := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), -math.NaN(), 1e-310, -1e-310}
	forEachPath(t, func(t *testing.T) {
		for n := 0; n <= 41; n++ {
			x := randSlice(rng, n)
			for i := range x {
				if i%5 == 0 {
					x[i] = special[(i/5+n)%len(special)]
				}
			}
			for _, b := range []float64{0, 0.25, -0.5, math.Copysign(0, -1)} {
				got, want := append([]float64(nil), x...), make([]float64, n)
				AddBias(got, b)
				for i, v := range x {
					want[i] = v + b
				}
				assert.Equal(t, bits(want), bits(got), "AddBias n=%d b=%v", n, b)

				got = append(got[:0], x...)
				BiasReLU(got, b)
				for i, v := range x {
					want[i] = ReLU(v + b)
				}
				assert.Equal(t, bits(want), bits(got), "BiasReLU n=%d b=%v", n, b)

				got = append(got[:0], x...)
				BiasLeaky(got, b, 0.2)
				for i, v := range x {
					want[i] = Leaky(v+b, 0.2)
				}
				assert.Equal(t, bits(want), bits(got), "BiasLeaky n=%d b=%v", n, b)
			}
			// The ReLU backward pass on a ReLU output: g kept where y's
			// bits are not zero (positive, +Inf, NaN), +0 where y is +0.
			y := append([]float64(nil), x...)
			BiasReLU(y, 0)
			g := randSlice(rng, n)
			d := make([]float64, n)
			ReLUGrad(d, y, g)
			for i := range d {
				want := g[i]
				if math.Float64bits(y[i]) == 0 {
					want = 0
				}
				assert.Equal(t, math.Float64bits(want), math.Float64bits(d[i]), "ReLUGrad n=%d i=%d y=%v", n, i, y[i])
			}
		}
	})
	assert.Equal(t, math.Float64bits(0), math.Float64bits(ReLU(math.Copysign(0, -1))))
	assert.Equal(t, 0.0, ReLU(-3))
	assert.Equal(t, 2.5, ReLU(2.5))
	slope := 0.2
	assert.Equal(t, slope*-3, Leaky(-3, slope))
	assert.Equal(t, 2.5, Leaky(2.5, 0.2))
}

func bits(x []float64) []uint64 {
	u := make([]uint64, len(x))
	for i, v := range x {
		u[i] = math.Float64bits(v)
	}
	return u
}

// The row-wise passes give, on every path, every row width and number of
// rows, the bits of the scalar rule with the bias of each column.
func TestBiasRows(t *testing.T) {
	rng := sampler.NewRand(6)
	special := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), -math.NaN(), 1e-310, -1e-310}
	forEachPath(t, func(t *testing.T) {
		for w := 1; w <= 35; w++ {
			for _, rows := range []int{0, 1, 3, 8} {
				x := randSlice(rng, w*rows)
				for i := range x {
					if i%7 == 0 {
						x[i] = special[(i/7+w)%len(special)]
					}
				}
				b := randSlice(rng, w)
				b[0] = math.Copysign(0, -1)
				want := make([]float64, len(x))
				for kind, name := range []string{"AddBiasRows", "BiasReLURows", "BiasLeakyRows"} {
					got := append([]float64(nil), x...)
					switch kind {
					case 0:
						AddBiasRows(got, b)
					case 1:
						BiasReLURows(got, b)
					default:
						BiasLeakyRows(got, b, 0.2)
					}
					for i, v := range x {
						switch kind {
						case 0:
							want[i] = v + b[i%w]
						case 1:
							want[i] = ReLU(v + b[i%w])
						default:
							want[i] = Leaky(v+b[i%w], 0.2)
						}
					}
					assert.Equal(t, bits(want), bits(got), "%s w=%d rows=%d", name, w, rows)
				}
			}
		}
	})
	assert.Panics(t, func() { AddBiasRows(make([]float64, 5), make([]float64, 2)) })
}
