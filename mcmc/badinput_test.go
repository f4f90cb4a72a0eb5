package mcmc_test

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/mcmc"
)

// A catalogue of extreme and non-finite settings and densities: each case
// is an error whose message contains want, or (want == "") a run that
// keeps its 100 draws; panicking user functions are in cancel_test.go
// (errors from the chains' goroutines) and below (Around's documented
// panics).
func TestBadInputExtremes(t *testing.T) {
	normal := func(x []float64) float64 { return -x[0] * x[0] / 2 }
	normal2 := func(x []float64) float64 { return -x[0]*x[0]/2 - x[1]*x[1]/2 }
	o := &mcmc.Options{Draws: 100, Warmup: 100, Seed: 5}
	for _, c := range []struct {
		name string
		f    mcmc.LogDensity
		dim  int
		k    mcmc.Kernel
		o    *mcmc.Options
		want string
	}{
		{"scale 1e-300", normal, 1, mcmc.RandomWalk{Scale: 1e-300}, o, ""},
		{"scale 1e300", normal, 1, mcmc.RandomWalk{Scale: 1e300}, o, ""},
		{"scale +Inf", normal, 1, mcmc.RandomWalk{Scale: math.Inf(1)}, o, "mcmc: proposal scale is +Inf, want a positive finite number"},
		{"scale NaN", normal, 1, mcmc.RandomWalk{Scale: math.NaN()}, o, "mcmc: proposal scale is NaN"},
		{"covariance 1e300", normal2, 2, mcmc.RandomWalk{Cov: []float64{1e300, 0, 0, 1e300}}, o, ""},
		{"covariance 1e-300", normal2, 2, mcmc.AM{InitCov: []float64{1e-300, 0, 0, 1e-300}}, o, ""},
		{"covariance singular at 1e308", normal2, 2, mcmc.RandomWalk{Cov: []float64{1e308, 1e308, 1e308, 1e308}}, o, "mcmc: proposal covariance is not positive definite"},
		{"covariance -Inf", normal2, 2, mcmc.RandomWalk{Cov: []float64{1, 0, 0, math.Inf(-1)}}, o, "entry (1,1) is -Inf"},
		{"stretch a +Inf", normal, 1, mcmc.Stretch{A: math.Inf(1)}, o, "mcmc: Stretch.A is +Inf, want a finite number above 1"},
		{"stretch a NaN", normal, 1, mcmc.Stretch{A: math.NaN()}, o, "mcmc: Stretch.A is NaN"},
		{"RAM acceptance NaN", normal, 1, mcmc.RAM{TargetAccept: math.NaN()}, o, "mcmc: RAM.TargetAccept is NaN, want a number in (0, 1)"},
		{"AM eps +Inf", normal, 1, mcmc.AM{Eps: math.Inf(1)}, o, "mcmc: AM.Eps is +Inf, want a positive finite number"},
		{"density +Inf everywhere", func([]float64) float64 { return math.Inf(1) }, 1, nil, o,
			"no starting point with a finite log density in 1000 tries (last x=["},
		{"density NaN off a narrow band", func(x []float64) float64 {
			if math.Abs(x[0]) > 0.1 {
				return math.NaN()
			}
			return 0
		}, 1, nil, o, "mcmc: chain 0: log density was NaN or +Inf at "},
		{"target at scale 1e-300, default start", func(x []float64) float64 { return -x[0] * x[0] / 2e-600 }, 1, nil, o,
			"log density -Inf); give Options.Init"},
		{"target at scale 1e-300, started there", func(x []float64) float64 { v := x[0] / 1e-300; return -v * v / 2 }, 1, nil,
			&mcmc.Options{Draws: 100, Seed: 5, Init: mcmc.Around([]float64{0}, 1e-300)}, ""},
		{"target at scale 1e300", func(x []float64) float64 { v := x[0] / 1e300; return -v * v / 2 }, 1, mcmc.RandomWalk{Scale: 1e300}, o, ""},
		{"init outside the support", func(x []float64) float64 {
			if x[0] < 1e300 {
				return math.Inf(-1)
			}
			return 0
		}, 1, mcmc.RandomWalk{}, o, "no starting point with a finite log density"},
	} {
		r, err := mcmc.Run(context.Background(), c.f, c.dim, c.k, c.o)
		if c.want == "" {
			require.NoError(t, err, c.name)
			assert.Equal(t, 100, r.Len(), c.name)
			for _, x := range r.Draws {
				for _, v := range x {
					require.False(t, math.IsNaN(v) || math.IsInf(v, 0), "%s: a draw is %v", c.name, v)
				}
			}
			continue
		}
		assert.ErrorContains(t, err, c.want, c.name)
	}
	assert.PanicsWithValue(t, "mcmc: Around radius +Inf", func() { mcmc.Around([]float64{0}, math.Inf(1)) })
	assert.PanicsWithValue(t, "mcmc: Around radius NaN", func() { mcmc.Around([]float64{0}, math.NaN()) })
	assert.PanicsWithValue(t, "mcmc: Around radius -1e-300", func() { mcmc.Around([]float64{0}, -1e-300) })
}
