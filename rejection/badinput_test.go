package rejection_test

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/variate/variate/rejection"
	"github.com/variate/variate/sampler"
)

// Log-concave densities at extreme scales and far from 0: the adaptive
// sampler finds their mode and scale by itself and is exact. 5 KS checks
// at P(√n·D > 3) ≤ 3.05e-8 each (Massart): false failure below 1.9e-7.
func TestAdaptiveExtremeScales(t *testing.T) {
	inf := math.Inf(1)
	n := 100000
	if testing.Short() {
		n = 20000
	}
	for _, c := range []struct {
		name   string
		h      func(float64) float64
		lo, hi float64
		cdf    func(float64) float64
	}{
		{"N(5, 1e-12²)", func(x float64) float64 { r := (x - 5) / 1e-12; return -r * r / 2 }, -inf, inf,
			func(x float64) float64 { return distuv.UnitNormal.CDF((x - 5) / 1e-12) }},
		{"N(0, 1e-300²)", func(x float64) float64 { r := x / 1e-300; return -r * r / 2 }, -inf, inf,
			func(x float64) float64 { return distuv.UnitNormal.CDF(x / 1e-300) }},
		{"N(0, 1e-280²)", func(x float64) float64 { r := x / 1e-280; return -r * r / 2 }, -inf, inf,
			func(x float64) float64 { return distuv.UnitNormal.CDF(x / 1e-280) }},
		{"N(1e6, 1)", func(x float64) float64 { r := x - 1e6; return -r * r / 2 }, -inf, inf,
			func(x float64) float64 { return distuv.UnitNormal.CDF(x - 1e6) }},
		{"1e300 + Exp(scale 1e300)", func(x float64) float64 { return -(x - 1e300) / 1e300 }, 1e300, inf,
			func(x float64) float64 { return -math.Expm1(-max(0, x-1e300) / 1e300) }},
		{"N(0, 1) on [1e-300, 2e-300]", func(x float64) float64 { return -x * x / 2 }, 1e-300, 2e-300,
			func(x float64) float64 { return min(1, max(0, (x-1e-300)/1e-300)) }},
	} {
		a, err := rejection.NewAdaptive(c.h, c.lo, c.hi, nil)
		require.NoError(t, err, c.name)
		x, err := sampler.Draw(a, sampler.NewRand(17), n)
		require.NoError(t, err, c.name)
		assert.Less(t, rootNKS(x, c.cdf), 3.0, c.name)
	}
}

// The bad-input catalogue of the package: each case is an error whose
// message names the problem, including extreme scales, infinities inside
// the support and user functions that misbehave.
func TestBadInputCatalogue(t *testing.T) {
	inf := math.Inf(1)
	box, _ := rejection.NewUniformBox([]float64{0}, []float64{1})
	tq, _ := rejection.NewStudentT([]float64{0}, []float64{1}, 3)
	tq2, _ := rejection.NewStudentT([]float64{0, 0}, []float64{1, 1}, 3)
	normal := func(x []float64) float64 { return -x[0] * x[0] / 2 }
	adaptive := func(h func(float64) float64, lo, hi float64, o *rejection.AdaptiveOptions) func() error {
		return func() error { _, err := rejection.NewAdaptive(h, lo, hi, o); return err }
	}
	auto := func(lp func([]float64) float64, q sampler.DensitySampler, o *rejection.Options) func() error {
		return func() error { _, err := rejection.NewAuto(lp, q, o); return err }
	}
	drawNew := func(lp func([]float64) float64, q sampler.DensitySampler, logM float64) func() error {
		return func() error {
			s, err := rejection.New(lp, q, logM, nil)
			if err != nil {
				return err
			}
			_, err = sampler.Draw(s, sampler.NewRand(1), 1000)
			return err
		}
	}
	cases := []struct {
		name string
		run  func() error
		want string
	}{
		{"new nil", func() error { _, err := rejection.New(nil, box, 0, nil); return err }, "nil log target or proposal"},
		{"new log M +Inf", func() error { _, err := rejection.New(normal, box, inf, nil); return err }, "log M = +Inf is not finite"},
		{"options negative", func() error { _, err := rejection.New(normal, box, 0, &rejection.Options{MaxTries: -1}); return err }, "negative or NaN option"},
		{"options NaN margin", auto(normal, tq, &rejection.Options{Margin: math.NaN()}), "negative or NaN option"},
		{"box infinite side", func() error { _, err := rejection.NewUniformBox([]float64{0}, []float64{inf}); return err }, "box side 0 is [0, +Inf]"},
		{"box lengths", func() error { _, err := rejection.NewUniformBox([]float64{0, 0}, []float64{1}); return err }, "box corners of lengths 2 and 1"},
		{"box at 1e308", func() error { _, err := rejection.NewUniformBox([]float64{-1e308}, []float64{1e308}); return err }, "its width overflows float64"},
		{"t scale 1e-320", func() error { _, err := rejection.NewStudentT([]float64{0}, []float64{1e-320}, 3); return err }, "scale 1e-320"},
		{"t location Inf", func() error { _, err := rejection.NewStudentT([]float64{inf}, []float64{1}, 3); return err }, "location +Inf"},
		{"t ν NaN", func() error { _, err := rejection.NewStudentT([]float64{0}, []float64{1}, math.NaN()); return err }, "ν = NaN"},
		{"auto peaks length", auto(func(x []float64) float64 { return -x[0]*x[0] - x[1]*x[1] }, tq2, &rejection.Options{Peaks: []float64{1, 2, 3}}),
			"Options.Peaks has 3 coordinates, not a multiple of the dimension 2"},
		{"auto peak NaN", auto(normal, tq, &rejection.Options{Peaks: []float64{math.NaN()}}), "Options.Peaks[0] = NaN is not finite"},
		{"auto peak of zero target", auto(func(x []float64) float64 {
			if x[0] > 5 {
				return math.Inf(-1)
			}
			return normal(x)
		}, tq, &rejection.Options{Peaks: []float64{6}}), "the target is zero at the given peak x=[6]"},
		{"auto target zero everywhere", auto(func([]float64) float64 { return math.Inf(-1) }, tq, nil), "the target is zero at every candidate"},
		{"auto target NaN at 1e300 scale", auto(func(x []float64) float64 { return -x[0] * x[0] * 1e300 * 1e300 * 0 }, tq, nil), "log target is NaN"},
		{"sample log target +Inf inside", drawNew(func(x []float64) float64 {
			if x[0] > 0.5 {
				return inf
			}
			return 0
		}, box, 0), "log target is +Inf at x=[0.5"},
		{"sample bound violated", drawNew(normal, tq, -5), "bound violated at x="},

		{"adaptive nil", adaptive(nil, 0, 1, nil), "nil log density"},
		{"adaptive support +Inf, +Inf", adaptive(func(x float64) float64 { return -x }, inf, inf, nil), "support [+Inf, +Inf] is empty"},
		{"adaptive max points", adaptive(func(x float64) float64 { return -x * x }, -inf, inf, &rejection.AdaptiveOptions{MaxPoints: 2}), "MaxPoints 2 ≥ 3"},
		{"adaptive start outside", adaptive(func(x float64) float64 { return -x }, 0, inf, &rejection.AdaptiveOptions{Start: -1, StartSet: true}), "start -1 is outside (0, +Inf)"},
		{"adaptive start at -Inf density", adaptive(func(x float64) float64 {
			if x < 3 {
				return math.Inf(-1)
			}
			return -x
		}, 0, inf, nil), "log density is -Inf at the start x=1; set AdaptiveOptions.Start"},
		{"adaptive +Inf inside", adaptive(func(x float64) float64 {
			if x == 0 {
				return inf
			}
			return -x * x
		}, -inf, inf, nil), "log density is +Inf at x=0"},
		{"adaptive narrower than the float spacing at 1e300", adaptive(func(x float64) float64 { return -x }, 1e300, inf, nil),
			"narrower than the float64 spacing there; shift x (sample x − 1e+300)"},
		{"adaptive a few floats wide", adaptive(func(x float64) float64 { r := (x - 538.05) / 2.857e-13; return -r * r / 2 }, -inf, inf, nil),
			"neighbouring float64 values there are up to"},
		{"adaptive flat where it looks", adaptive(func(x float64) float64 { r := (x - 1e300) / 1e290; return -r * r / 2 }, -inf, inf, nil),
			"set AdaptiveOptions.Start near the mode, or rescale x"},
		{"adaptive subnormal width", adaptive(func(x float64) float64 { r := x / 1e-310; return -r * r / 2 }, -inf, inf, nil), "rescale x"},
		{"adaptive not integrable", adaptive(func(x float64) float64 { return 0 }, -inf, inf, nil), "not integrable"},
		{"adaptive not log-concave", adaptive(func(x float64) float64 { return math.Log(math.Exp(-(x-3)*(x-3)) + math.Exp(-(x+3)*(x+3))) }, -inf, inf, nil), "not log-concave"},
	}
	for _, c := range cases {
		err := c.run()
		require.Error(t, err, c.name)
		assert.Contains(t, err.Error(), "rejection: ", c.name)
		assert.Contains(t, err.Error(), c.want, c.name)
	}
}

// A user function that panics inside a constructor or a sampler panics on
// the caller's goroutine, with its value, and leaves nothing corrupted:
// no sampler is returned, and a sampler whose density panicked while
// sampling still samples correctly afterwards, its counts intact.
func TestUserPanics(t *testing.T) {
	boom := errors.New("user density")
	tq, _ := rejection.NewStudentT([]float64{0}, []float64{1}, 3)
	assert.PanicsWithValue(t, boom, func() {
		_, _ = rejection.NewAuto(func([]float64) float64 { panic(boom) }, tq, nil)
	})
	assert.PanicsWithValue(t, boom, func() {
		_, _ = rejection.NewAdaptive(func(float64) float64 { panic(boom) }, -1, 1, nil)
	})

	arm := false
	h := func(x float64) float64 {
		if arm && x > 2 {
			panic(boom)
		}
		return -x * x / 2
	}
	a, err := rejection.NewAdaptive(h, math.Inf(-1), math.Inf(1), &rejection.AdaptiveOptions{MaxPoints: 6})
	require.NoError(t, err)
	arm = true
	assert.PanicsWithValue(t, boom, func() { _, _ = sampler.Draw(a, sampler.NewRand(1), 100000) })
	arm = false
	before := a.Stats()
	x, err := sampler.Draw(a, sampler.NewRand(2), 20000)
	require.NoError(t, err)
	assert.Less(t, rootNKS(x, distuv.UnitNormal.CDF), 3.0)
	after := a.Stats()
	assert.Equal(t, before.Accepted+20000, after.Accepted)

	lp := func(x []float64) float64 {
		if arm && x[0] > 2 {
			panic(boom)
		}
		return -x[0] * x[0] / 2
	}
	s, err := rejection.NewAuto(lp, tq, nil)
	require.NoError(t, err)
	arm = true
	assert.PanicsWithValue(t, boom, func() { _, _ = sampler.Draw(s, sampler.NewRand(1), 100000) })
	arm = false
	x, err = sampler.Draw(s, sampler.NewRand(2), 20000)
	require.NoError(t, err)
	assert.Less(t, rootNKS(x, distuv.UnitNormal.CDF), 3.0)
}

// Normal densities at any location and scale the sampler accepts give
// exact draws, up to the rounding of x to float64, which the sampler
// refuses when it exceeds 1e-3 of probability between neighbours (√n·D
// moves by at most 0.05): KS at 2000 draws with √n·D < 4 (false failure
// below 2e-14 per input).
func FuzzAdaptiveScale(f *testing.F) {
	f.Add(0.0, 1.0)
	f.Add(5.0, 1e-12)
	f.Add(1e300, 1e290)
	f.Add(-1e6, 1e-300)
	f.Add(0.0, 1e300)
	f.Add(9.345679012345679, 1.344e304) // 8n·area overflowed the guide-size loop
	f.Add(0.0, 1.7e308)                 // the area itself overflows
	f.Fuzz(func(t *testing.T, m, s float64) {
		if !(s > 0) || math.IsInf(s, 0) || math.IsNaN(m) || math.IsInf(m, 0) {
			return
		}
		h := func(x float64) float64 { r := (x - m) / s; return -r * r / 2 }
		a, err := rejection.NewAdaptive(h, math.Inf(-1), math.Inf(1), nil)
		if err != nil {
			assert.Contains(t, err.Error(), "rejection: ")
			return
		}
		x, err := sampler.Draw(a, sampler.NewRand(1), 2000)
		require.NoError(t, err)
		require.Less(t, rootNKS(x, func(v float64) float64 { return distuv.UnitNormal.CDF((v - m) / s) }), 4.0)
	})
}
