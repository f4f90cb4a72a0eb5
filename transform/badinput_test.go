package transform_test

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/sampler"
	"github.com/variate/variate/transform"
)

// The bad-input catalogue of the package: each case is an error naming
// the problem (its message checked), including extreme scales,
// infinities inside the support and points narrower than the float64
// spacing. The cases of TestTableBadInput and TestInverterBadInput are
// not repeated here.
func TestBadInputCatalogue(t *testing.T) {
	inf := math.Inf(1)
	normal := func(x float64) float64 { return math.Exp(-x * x / 2) }
	table := func(f func(float64) float64, lo, hi float64, o *transform.TableOptions) func() error {
		return func() error { _, err := transform.NewTable(f, lo, hi, o); return err }
	}
	draw := func(s sampler.Sampler) func() error {
		return func() error { _, err := sampler.Draw(s, sampler.NewRand(1), 100); return err }
	}
	cases := []struct {
		name string
		run  func() error
		want string
	}{
		{"table support -Inf, -Inf", table(normal, -inf, -inf, nil), "support [-Inf, -Inf] is empty"},
		{"table support +Inf, +Inf", table(normal, inf, inf, nil), "is empty"},
		{"table peak outside", table(normal, -1, 1, &transform.TableOptions{Peaks: []float64{3}}), "TableOptions.Peaks[0] = 3 is not inside the support (-1, 1)"},
		{"table peak NaN", table(normal, -inf, inf, &transform.TableOptions{Peaks: []float64{0, math.NaN()}}), "Peaks[1] = NaN"},
		{"table peak of zero density", table(func(x float64) float64 { return math.Max(0, 1-math.Abs(x)) }, -5, 5, &transform.TableOptions{Peaks: []float64{3}}), "density is zero at the given peak x=3"},
		{"table break infinite", table(normal, -inf, inf, &transform.TableOptions{Breaks: []float64{inf}}), "TableOptions.Breaks[0] = +Inf is not finite"},
		{"table negative budget", table(normal, -1, 1, &transform.TableOptions{MaxIntervals: -1}), "must not be negative"},
		{"table too few intervals", table(normal, -inf, inf, &transform.TableOptions{MaxIntervals: 10}), "more than 10 intervals needed"},
		{"table infinite inside", table(func(x float64) float64 {
			if x == 1 {
				return inf
			}
			return normal(x)
		}, -inf, inf, nil), "density is infinite at x=1"},
		{"table spike narrower than probes", table(func(x float64) float64 { r := (x - 5) / 1e-12; return math.Exp(-r * r / 2) }, -inf, inf, nil),
			"density is zero at every probe point in (-Inf, +Inf), at every binary scale; set TableOptions.Center"},
		{"table N(1e6, 1) between the binary scales", table(func(x float64) float64 { r := x - 1e6; return math.Exp(-r * r / 2) }, -inf, inf, nil),
			"set TableOptions.Center to a point of positive density"},
		{"table below the float spacing at 1e300", table(func(x float64) float64 { return math.Exp(-(x - 1e300)) }, 1e300, inf, nil), "shift x"},
		{"table peak too high for the float spacing", table(func(x float64) float64 { r := (x - 40) / 1e-7; return math.Exp(-r * r / 2) }, -inf, inf,
			&transform.TableOptions{Center: 40, CenterSet: true}), "too high for the spacing of floating-point numbers there"},
		{"table below the smallest normal float", table(func(x float64) float64 { r := x / 1e-315; return math.Exp(-r * r / 2) }, -inf, inf, nil), "too close to float64's underflow for a table; rescale x"},
		{"table center at 1e300, density 0", table(normal, -inf, inf, &transform.TableOptions{Center: 1e300, CenterSet: true}), "density is zero at the given center x=1e+300"},

		{"inverter NaN CDF", func() error {
			_, err := transform.NewInverter(func(float64) float64 { return math.NaN() }, 0, 1, nil)
			return err
		}, "is not in [0, 1]"},
		{"inverter infinite support, +Inf, +Inf", func() error { _, err := transform.NewInverter(normal, inf, inf, nil); return err }, "is empty"},

		{"discrete Inf", func() error { _, err := transform.NewDiscrete([]float64{1, inf}); return err }, "weight[1] = +Inf"},
		{"discrete sum overflows", func() error { _, err := transform.NewDiscrete([]float64{1e308, 1e308}); return err }, "weights sum to +Inf"},
		{"discrete tiny", func() error { _, err := transform.NewDiscrete([]float64{0, 0}); return err }, "weights sum to 0"},

		{"quantile NaN", draw(transform.Quantile(func(float64) float64 { return math.NaN() })), "quantile function returned NaN at u="},
		{"quantile +Inf", draw(transform.Quantile(func(float64) float64 { return inf })), "quantile function returned +Inf at u="},
		{"quantile -Inf", draw(transform.Quantile(func(float64) float64 { return -inf })), "quantile function returned -Inf at u="},
		{"map base error", draw(transform.Map(transform.Quantile(func(float64) float64 { return math.NaN() }), 1, func(d, s []float64) { copy(d, s) })), "returned NaN"},
	}
	for _, c := range cases {
		err := c.run()
		require.Error(t, err, c.name)
		assert.Contains(t, err.Error(), "transform: ", c.name)
		assert.Contains(t, err.Error(), c.want, c.name)
	}
}

// Programmer errors panic with a message; a user function that panics
// inside a constructor or a sampler panics on the caller's goroutine with
// the user's value and leaves nothing broken: no table is returned, and a
// sampler that was working keeps working.
func TestPanics(t *testing.T) {
	assert.PanicsWithValue(t, "transform: Quantile with a nil function", func() { transform.Quantile(nil) })
	assert.PanicsWithValue(t, "transform: Map with a nil base or function", func() { transform.Map(nil, 1, nil) })
	assert.Panics(t, func() { transform.Map(transform.Uniform(1), 0, func(d, s []float64) {}) })

	boom := errors.New("user density")
	calls := 0
	f := func(x float64) float64 {
		if calls++; calls > 300 {
			panic(boom)
		}
		return math.Exp(-x * x / 2)
	}
	assert.PanicsWithValue(t, boom, func() { _, _ = transform.NewTable(f, math.Inf(-1), math.Inf(1), nil) })

	// A map whose function panics on its 150th point: the panic reaches
	// the caller, and the same sampler then draws as before.
	n := 0
	m := transform.Map(transform.Uniform(1), 1, func(d, s []float64) {
		if n++; n == 150 {
			panic("user map")
		}
		d[0] = s[0]
	})
	assert.PanicsWithValue(t, "user map", func() { _, _ = sampler.Draw(m, sampler.NewRand(1), 200) })
	x, err := sampler.Draw(m, sampler.NewRand(1), 200)
	require.NoError(t, err)
	y, err := sampler.Draw(transform.Uniform(1), sampler.NewRand(1), 200)
	require.NoError(t, err)
	assert.Equal(t, y, x)
}
