package target_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/variate/variate/target"
)

// The bad-input catalogue: every constructor given what it cannot use
// returns an error that names the problem, including extreme scales and
// infinities.
func TestBadInputCatalogue(t *testing.T) {
	inf := math.Inf(1)
	n := target.Normal()
	nanLog := &target.Target{Name: "nanlog", Dim: 1, LogZ: 0, Lo: -inf, Hi: inf, CDF: n.CDF, Quantile: n.Quantile,
		LogDensity1D: func(float64) float64 { return math.NaN() }, LogDensity: func([]float64) float64 { return math.NaN() },
		Mean: []float64{0}}
	n1, _ := target.IsotropicNormal([]float64{0}, 1)
	cases := []struct {
		name string
		make func() (*target.Target, error)
		want string
	}{
		{"normal empty mean", func() (*target.Target, error) { return target.IsotropicNormal(nil, 1) }, "empty mean"},
		{"normal σ = 0", func() (*target.Target, error) { return target.IsotropicNormal([]float64{0}, 0) }, "σ = 0; need a positive finite σ"},
		{"normal σ < 0", func() (*target.Target, error) { return target.IsotropicNormal([]float64{0}, -1) }, "σ = -1"},
		{"normal σ NaN", func() (*target.Target, error) { return target.IsotropicNormal([]float64{0}, math.NaN()) }, "σ = NaN"},
		{"normal σ +Inf", func() (*target.Target, error) { return target.IsotropicNormal([]float64{0}, inf) }, "σ = +Inf"},
		{"normal σ underflows", func() (*target.Target, error) { return target.IsotropicNormal([]float64{0}, 1e-320) }, "σ² = 0 is outside the floating-point range"},
		{"normal σ 1e-300", func() (*target.Target, error) { return target.IsotropicNormal([]float64{1e300}, 1e-300) }, "rescale the coordinates"},
		{"normal σ overflows", func() (*target.Target, error) { return target.IsotropicNormal([]float64{0}, 1e300) }, "σ² = +Inf is outside"},
		{"normal mean NaN", func() (*target.Target, error) { return target.IsotropicNormal([]float64{0, math.NaN()}, 1) }, "mean[1] = NaN is not finite"},
		{"normal mean Inf", func() (*target.Target, error) { return target.IsotropicNormal([]float64{-inf}, 1) }, "mean[0] = -Inf is not finite"},

		{"distuv nil", func() (*target.Target, error) { return target.FromDistuv("x", nil, 0, 1) }, "nil distribution"},
		{"distuv empty", func() (*target.Target, error) { return target.FromDistuv("x", distuv.UnitNormal, 1, 1) }, "support [1, 1] is empty"},
		{"distuv NaN support", func() (*target.Target, error) {
			return target.FromDistuv("x", distuv.UnitNormal, math.NaN(), 1)
		}, "is empty"},
		{"distuv negative σ", func() (*target.Target, error) {
			return target.FromDistuv("bad", distuv.Normal{Mu: 0, Sigma: -1}, -inf, inf)
		}, "bad: log density NaN and CDF"},
		{"distuv negative shape", func() (*target.Target, error) {
			return target.FromDistuv("g", distuv.Gamma{Alpha: -1, Beta: 1}, 0, inf)
		}, "the distribution panicked when evaluated at its median (cephes: parameter out of bounds)"},
		{"distuv panics", func() (*target.Target, error) { return target.FromDistuv("p", panicky{}, 0, 1) }, "p: the distribution panicked when evaluated at its median (user quantile)"},
		{"distuv wrong support", func() (*target.Target, error) {
			return target.FromDistuv("n", distuv.UnitNormal, 5, 6)
		}, "median 0 is not in the support [5, 6]"},
		{"distuv at 1e300", func() (*target.Target, error) {
			return target.FromDistuv("far", distuv.Normal{Mu: 1e300, Sigma: 1e-300}, -inf, inf)
		}, "far: log density"},

		{"mixture NaN component", func() (*target.Target, error) {
			return target.Mixture("m", []float64{1, 1}, []*target.Target{n1, nanLog})
		}, "component 1 (nanlog) has log density NaN at its mean [0]"},
		{"mixture infinite LogZ", func() (*target.Target, error) {
			c := *n1
			c.LogZ = inf
			return target.Mixture("m", []float64{1, 1}, []*target.Target{n1, &c})
		}, "no known normalising constant (LogZ = +Inf)"},
		{"mixture weight 1e300²", func() (*target.Target, error) {
			return target.Mixture("m", []float64{1e308, 1e308}, []*target.Target{n1, n1})
		}, "weights sum to +Inf"},

		{"truncate NaN log density", func() (*target.Target, error) { return target.Truncate(nanLog, -1, 1) }, "log density is NaN at x=0"},
		{"truncate beyond the double range", func() (*target.Target, error) { return target.Truncate(n, 40, inf) }, "no probability on [40, +Inf]"},
		{"truncate at 1e300", func() (*target.Target, error) { return target.Truncate(n, 1e300, inf) }, "no probability"},
		{"truncate at -1e300", func() (*target.Target, error) { return target.Truncate(n, -inf, -1e300) }, "no probability"},
		{"truncate both infinite", func() (*target.Target, error) { return target.Truncate(n, inf, inf) }, "is empty; need lo < hi"},
		{"truncate too narrow", func() (*target.Target, error) { return target.Truncate(n, 0, 1e-12) }, "is known only to"},
		{"truncate gamma narrow", func() (*target.Target, error) { return target.Truncate(target.Gamma(), 2, 2+1e-9) }, "widen the interval"},
		{"truncate no survival", func() (*target.Target, error) {
			raw := &target.Target{Name: "raw", Dim: 1, LogDensity1D: n.LogDensity1D, CDF: n.CDF, Quantile: n.Quantile, Lo: -inf, Hi: inf}
			return target.Truncate(raw, 7, inf)
		}, "no known survival function"},
		{"truncate outside the support", func() (*target.Target, error) { return target.Truncate(target.Beta(), 2, 3) }, "no probability"},

		{"by name", func() (*target.Target, error) { return target.ByName("Normal") }, `unknown target "Normal"`},
	}
	for _, c := range cases {
		tg, err := c.make()
		require.Error(t, err, c.name)
		assert.Nil(t, tg, c.name)
		assert.Contains(t, err.Error(), "target: ", c.name)
		assert.Contains(t, err.Error(), c.want, c.name)
	}
}

// A user function that panics inside a constructor panics on the
// caller's goroutine, with the user's value, and nothing is returned: no
// half-built target exists. The target given stays as it was.
// (FromDistuv's check turns a panic into an error: see the catalogue.)
func TestUserPanicsPropagate(t *testing.T) {
	n := target.Normal()
	bad := *n
	bad.CDF = func(float64) float64 { panic("user CDF") }
	assert.PanicsWithValue(t, "user CDF", func() { _, _ = target.Truncate(&bad, 0, 1) })
	badLog := *n
	badLog.LogDensity = func([]float64) float64 { panic("user log density") }
	assert.PanicsWithValue(t, "user log density", func() {
		_, _ = target.Mixture("m", []float64{1}, []*target.Target{&badLog})
	})
	// The normal target used above is untouched and still works.
	tr, err := target.Truncate(n, 0, 1)
	require.NoError(t, err)
	assert.InDelta(t, 0.5, tr.CDF(tr.Quantile(0.5)), 1e-12)
}

type panicky struct{}

func (panicky) LogProb(float64) float64  { return 0 }
func (panicky) CDF(float64) float64      { return 0.5 }
func (panicky) Quantile(float64) float64 { panic("user quantile") }
