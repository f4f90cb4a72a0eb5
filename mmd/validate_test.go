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

// A catalogue of bad and extreme inputs across the package: each case is
// an error whose message contains want, or (want == "") a finite value.
func TestBadInputCatalogue(t *testing.T) {
	g, err := Gaussian(1)
	require.NoError(t, err)
	big := []float64{1e300, -1e300, 3e300, 0}
	tiny := []float64{1e-300, -1e-300, 3e-300, 0}
	inf := []float64{0, 1, math.Inf(1), 2}
	rng := sampler.NewRand(1)
	test := func(k Kernel, x, y []float64) (float64, error) {
		r, err := Test(k, x, y, 1, rng, &TestOptions{Permutations: 9})
		return r.Statistic, err
	}
	bw := func(s float64) func() (float64, error) {
		return func() (float64, error) { _, err := Gaussian(s); return 0, err }
	}
	for _, c := range []struct {
		name string
		f    func() (float64, error)
		want string
	}{
		{"bandwidth 0", bw(0), "bandwidth 0 is 0; it must be positive and finite"},
		{"bandwidth -1", bw(-1), "bandwidth 0 is -1"},
		{"bandwidth +Inf", bw(math.Inf(1)), "bandwidth 0 is +Inf"},
		{"bandwidth NaN", bw(math.NaN()), "bandwidth 0 is NaN"},
		{"bandwidth 1e-300", bw(1e-300), "bandwidth 0 = 1e-300 is too extreme: 1/(2σ²) is +Inf"},
		{"bandwidth 1e300", bw(1e300), "bandwidth 0 = 1e+300 is too extreme: 1/(2σ²) is 0"},
		{"sum with a bad bandwidth", func() (float64, error) { _, err := GaussianSum(1, -2); return 0, err }, "bandwidth 1 is -2"},
		{"imq scale NaN", func() (float64, error) { _, err := InverseMultiquadric(math.NaN()); return 0, err }, "inverse multiquadric scale is NaN"},
		{"+Inf inside y", func() (float64, error) { return Unbiased(g, tiny, inf, 1) }, "mmd: y[2] is +Inf (point 2, coordinate 0)"},
		{"+Inf inside x, Test", func() (float64, error) { return test(g, inf, tiny) }, "mmd: x[2] is +Inf"},
		{"1e300 Gaussian: finite", func() (float64, error) { return Unbiased(g, big, tiny, 1) }, ""},
		{"1e-300 Gaussian: finite", func() (float64, error) { return Unbiased(g, tiny, tiny[1:], 1) }, ""},
		{"1e-300 distance: finite", func() (float64, error) { return Unbiased(Distance(), tiny, tiny[1:], 1) }, ""},
		{"1e300 distance overflows", func() (float64, error) { return Unbiased(Distance(), big, tiny, 1) }, "squared distances overflow; rescale the points"},
		{"1e300 distance overflows, biased", func() (float64, error) { return Biased(Distance(), big, tiny, 1) }, "squared distances overflow"},
		{"1e300 distance overflows, linear", func() (float64, error) { return Linear(Distance(), big, tiny, 1) }, "squared distances overflow"},
		{"1e300 distance overflows, Test", func() (float64, error) { return test(Distance(), big, tiny) }, "squared distances overflow"},
		{"median at 1e-300", func() (float64, error) { return MedianBandwidth(tiny, tiny, 1) }, ""},
		{"median at 1e300", func() (float64, error) { return MedianBandwidth(big, big, 1) }, ""},
		{"median overflows", func() (float64, error) { return MedianBandwidth([]float64{1.7e308, -1.7e308}, nil, 1) }, "median pairwise distance overflows; rescale the points"},
		{"median of coinciding points", func() (float64, error) { return MedianBandwidth([]float64{2, 2, 2}, nil, 1) }, "median pairwise distance is 0 (more than half of the 3 pairs coincide)"},
		{"median of one point", func() (float64, error) { return MedianBandwidth([]float64{2}, nil, 1) }, "needs at least 2 points"},
		{"negative MaxPoints", func() (float64, error) {
			_, err := Test(g, tiny, tiny, 1, rng, &TestOptions{MaxPoints: -1})
			return 0, err
		}, "mmd: negative TestOptions (Permutations 0, MaxPoints -1)"},
		{"pooled sample over MaxPoints", func() (float64, error) {
			_, err := Test(g, tiny, tiny, 1, rng, &TestOptions{MaxPoints: 7})
			return 0, err
		}, "pooled sample of 8 points exceeds TestOptions.MaxPoints = 7"},
	} {
		v, err := c.f()
		if c.want == "" {
			require.NoError(t, err, c.name)
			assert.False(t, math.IsNaN(v) || math.IsInf(v, 0), "%s: %v", c.name, v)
			continue
		}
		assert.ErrorContains(t, err, c.want, c.name)
		assert.Zero(t, v, "%s: no value beside an error", c.name)
	}
	// The median at extreme scales is the exact scaled median.
	s, err := MedianBandwidth(tiny, nil, 1)
	require.NoError(t, err)
	assert.InEpsilon(t, 2e-300, s, 1e-15, "pair distances 1, 1, 2, 2, 3, 4 (×1e-300)")
	s, err = MedianBandwidth(big, nil, 1)
	require.NoError(t, err)
	assert.InEpsilon(t, 2e300, s, 1e-15)
}

// A panic on one of the estimators' worker goroutines (none runs user
// code; here a kernel broken behind the constructor's back) comes back as
// an error with the value and the stack, not a crash.
func TestWorkerPanicBecomesError(t *testing.T) {
	g, err := Gaussian(1)
	require.NoError(t, err)
	e, err := NewEstimator(g, 1, &Options{Block: 4})
	require.NoError(t, err)
	e.k = Kernel{} // evaluating it panics
	x := points(sampler.NewRand(1), 40, 1, 1, 0)
	_, err = e.Unbiased(x, x)
	require.Error(t, err)
	assert.ErrorContains(t, err, "mmd: internal error on a worker goroutine (please report): panic in item ")
	assert.ErrorContains(t, err, "use of the zero Kernel")
	assert.ErrorContains(t, err, "goroutine ", "the stack")
	_, err = newPooledGram(Kernel{}, x, x, 1)
	assert.ErrorContains(t, err, "use of the zero Kernel")
}
