package mmd

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/sampler"
)

func TestBadInput(t *testing.T) {
	k, err := Gaussian(1)
	require.NoError(t, err)
	e, err := NewEstimator(k, 2, nil)
	require.NoError(t, err)
	good := []float64{0, 0, 1, 1, 2, 0}
	nan := []float64{0, 0, 1, math.NaN()}
	cases := []struct {
		name string
		x, y []float64
		want string
	}{
		{"nan in y", good, nan, "mmd: y[3] is NaN (point 1, coordinate 1)"},
		{"inf in x", []float64{0, 0, math.Inf(-1), 1}, good, "mmd: x[2] is -Inf (point 1, coordinate 0)"},
		{"ragged x", good[:5], good, "mmd: len(x) = 5 is not a multiple of the dimension 2"},
		{"ragged y", good, good[:3], "mmd: len(y) = 3 is not a multiple of the dimension 2"},
		{"one point", good[:2], good, "mmd: x has 1 points; need at least 2"},
		{"no points", good, nil, "mmd: y has 0 points; need at least 2"},
	}
	g := make([]float64, 6)
	for _, c := range cases {
		_, err := e.Unbiased(c.x, c.y)
		assert.EqualError(t, err, c.want, c.name)
		_, err = e.Linear(c.x, c.y)
		assert.EqualError(t, err, c.want, c.name)
		_, err = Test(k, c.x, c.y, 2, sampler.NewRand(1), nil)
		assert.EqualError(t, err, c.want, c.name)
		if len(c.x) == len(g) {
			_, err = e.UnbiasedGrad(c.x, c.y, g)
			assert.EqualError(t, err, c.want, c.name)
		}
	}
	// The biased estimator is defined for one point per set.
	v, err := e.Biased(good[:2], good[2:4])
	require.NoError(t, err)
	assert.InDelta(t, 2-2*math.Exp(-1), v, 1e-15)
	_, err = e.Biased(nil, good)
	assert.EqualError(t, err, "mmd: x has 0 points; need at least 1")

	_, err = e.Linear(good, good[:4])
	assert.EqualError(t, err, "mmd: the linear-time estimator needs as many points in y as in x, got 2 and 3")

	_, err = NewEstimator(Kernel{}, 2, nil)
	assert.ErrorContains(t, err, "zero Kernel")
	_, err = NewEstimator(k, 0, nil)
	assert.EqualError(t, err, "mmd: dimension 0 is not positive")
	_, err = NewEstimator(k, 2, &Options{Block: -1})
	assert.ErrorContains(t, err, "Block = -1 is outside")
	_, err = NewEstimator(k, 2, &Options{Block: 5000})
	assert.ErrorContains(t, err, "Block = 5000 is outside")

	assert.PanicsWithValue(t, "mmd: len(grad) = 2, want len(x) = 6", func() {
		_, _ = e.UnbiasedGrad(good, good, g[:2])
	})
	_, err = Test(Kernel{}, good, good, 2, sampler.NewRand(1), nil)
	assert.Error(t, err)
}

// Fuzz the validation: any input either gives a finite value or an error
// that starts with "mmd: ", never a panic or a NaN.
func FuzzEstimators(f *testing.F) {
	f.Add(2, []byte{1, 2, 3, 4, 5, 6, 7, 8}, []byte{9, 10, 11, 12}, 0.5)
	f.Add(1, []byte{}, []byte{1}, 1.0)
	f.Add(3, []byte{0, 0, 0, 0, 0, 0}, []byte{255, 255, 255}, -1.0)
	f.Add(2, []byte{1, 2, 3}, []byte{4, 5, 6, 7}, math.NaN())
	f.Add(1, []byte{253, 0, 3}, []byte{4, 5, 6}, 2.0)
	f.Fuzz(func(t *testing.T, dim int, xb, yb []byte, sigma float64) {
		if dim < -3 || dim > 8 || len(xb) > 64 || len(yb) > 64 {
			return
		}
		conv := func(b []byte) []float64 {
			p := make([]float64, len(b))
			for i, v := range b {
				switch v {
				case 255:
					p[i] = math.NaN()
				case 254:
					p[i] = math.Inf(1)
				case 253:
					p[i] = 1e300
				default:
					p[i] = float64(v)/16 - 8
				}
			}
			return p
		}
		x, y := conv(xb), conv(yb)
		check := func(v float64, err error) {
			if err != nil {
				assert.Regexp(t, "^mmd: ", err.Error())
				return
			}
			assert.False(t, math.IsNaN(v) || math.IsInf(v, 0), "value %v", v)
		}
		k, err := Gaussian(sigma)
		if err != nil {
			check(0, err)
			k = Distance()
		}
		check(MedianBandwidth(x, y, dim))
		e, err := NewEstimator(k, dim, &Options{Block: 3})
		if err != nil {
			check(0, err)
			return
		}
		check(e.Unbiased(x, y))
		check(e.Biased(x, y))
		check(e.Linear(x, y))
		g := make([]float64, len(x))
		check(e.UnbiasedGrad(x, y, g))
		check(e.LinearGrad(x, y, g))
		for _, v := range g {
			assert.False(t, math.IsNaN(v), "gradient %v", g)
		}
		if len(x)+len(y) < 40 {
			r, err := Test(k, x, y, dim, rngForFuzz(), &TestOptions{Permutations: 9})
			check(r.PValue, err)
		}
	})
}

func rngForFuzz() *rand.Rand { return sampler.NewRand(1) }
