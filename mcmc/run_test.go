package mcmc_test

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/mcmc"
	"github.com/variate/variate/target"
)

// startIn returns an InitFunc for t: uniform on (−2, 2) around the mean
// in units of the target's standard deviation, moved inside the support
// of a 1-D target.
func startIn(t *target.Target) mcmc.InitFunc {
	return func(rng *rand.Rand, _ int, x []float64) {
		for j := range x {
			m, s := 0.0, 1.0
			if t.Mean != nil {
				m = t.Mean[j]
			}
			if t.Var != nil && !math.IsInf(t.Var[j], 0) {
				s = math.Sqrt(t.Var[j])
			}
			x[j] = m + s*(4*rng.Float64()-2)
		}
	}
}

// worst returns the largest R-hat and the smallest bulk ESS over the
// coordinates of r.
func worst(r *mcmc.Result) (rhat, ess float64) {
	rhat, ess = math.Inf(-1), math.Inf(1)
	for j := range r.Dim {
		p := r.Param(j)
		rhat, ess = max(rhat, mcmc.RHat(p)), min(ess, mcmc.ESSBulk(p))
	}
	return rhat, ess
}

// At the default settings, the adaptive random walks and the stretch
// move converge on gauss2 and every 1-D catalogue target: R-hat below
// 1.01 and bulk ESS above 400 on every coordinate, and the means of the
// pooled draws within 5 Monte Carlo standard errors of the truth.
func TestDefaultsConverge(t *testing.T) {
	kernels := []mcmc.Kernel{mcmc.AM{}, mcmc.RAM{}, mcmc.Stretch{}}
	for _, tg := range target.Catalog() {
		if tg.Dim != 1 && tg.Name != "gauss2" {
			continue
		}
		for _, k := range kernels {
			t.Run(tg.Name+"/"+k.String(), func(t *testing.T) {
				if testing.Short() && tg.Name != "gauss2" && tg.Name != "normal" {
					t.Skip("short")
				}
				for _, seed := range []uint64{1, 2} {
					r, err := mcmc.Run(context.Background(), tg.LogDensity, tg.Dim, k, &mcmc.Options{Seed: seed, Init: startIn(tg)})
					require.NoError(t, err)
					rhat, ess := worst(r)
					assert.Less(t, rhat, 1.01, "seed %d", seed)
					assert.Greater(t, ess, 400.0, "seed %d", seed)
					for j := range tg.Dim {
						p := r.Param(j)
						se := mcmc.MCSEMean(p)
						assert.InDelta(t, tg.Mean[j], mean(p), 5*se, "coordinate %d, seed %d", j, seed)
					}
				}
			})
		}
	}
}

func mean(chains [][]float64) float64 {
	var s float64
	var n int
	for _, c := range chains {
		for _, v := range c {
			s += v
		}
		n += len(c)
	}
	return s / float64(n)
}

// Banana's curved ridge needs longer random-walk chains than the
// default; with 50000 draws per chain adaptive Metropolis converges.
func TestBananaConverges(t *testing.T) {
	if testing.Short() {
		t.Skip("long chains")
	}
	tg := target.Banana()
	r, err := mcmc.Run(context.Background(), tg.LogDensity, 2, mcmc.AM{}, &mcmc.Options{Seed: 3, Warmup: 20000, Draws: 50000, Init: startIn(tg)})
	require.NoError(t, err)
	rhat, ess := worst(r)
	assert.Less(t, rhat, 1.01)
	assert.Greater(t, ess, 400.0)
	for j := range 2 {
		p := r.Param(j)
		assert.InDelta(t, tg.Mean[j], mean(p), 5*mcmc.MCSEMean(p), "coordinate %d", j)
	}
}

// The diagnostics flag trouble: Neal's funnel at the default length, and
// a bimodal target whose chains start in different modes that a small
// random walk cannot cross.
func TestDiagnosticsFlagTrouble(t *testing.T) {
	tg := target.Funnel()
	r, err := mcmc.Run(context.Background(), tg.LogDensity, tg.Dim, mcmc.RAM{}, &mcmc.Options{Seed: 1})
	require.NoError(t, err)
	rhat, ess := worst(r)
	assert.True(t, rhat > 1.01 || ess < 400, "funnel: R-hat %v, bulk ESS %v", rhat, ess)

	sep := func(x []float64) float64 {
		a, b := x[0]+5, x[0]-5
		return math.Log(math.Exp(-a*a/2) + math.Exp(-b*b/2))
	}
	init := func(_ *rand.Rand, i int, x []float64) { x[0] = float64(10*(i%2) - 5) }
	r, err = mcmc.Run(context.Background(), sep, 1, mcmc.RandomWalk{Scale: 0.5}, &mcmc.Options{Seed: 1, Init: init})
	require.NoError(t, err)
	rhat, _ = worst(r)
	assert.Greater(t, rhat, 1.5)
}

// A seed fixes every bit, whatever GOMAXPROCS is.
func TestReproducible(t *testing.T) {
	tg := target.Gauss2()
	for _, k := range []mcmc.Kernel{mcmc.AM{}, mcmc.RAM{}, mcmc.Stretch{}, mcmc.RandomWalk{}} {
		var runs [][][]float64
		for _, procs := range []int{1, 4} {
			old := runtime.GOMAXPROCS(procs)
			r, err := mcmc.Run(context.Background(), tg.LogDensity, 2, k, &mcmc.Options{Seed: 9, Draws: 500, Warmup: 200})
			runtime.GOMAXPROCS(old)
			require.NoError(t, err)
			runs = append(runs, r.Draws)
		}
		assert.Equal(t, runs[0], runs[1], k.String())
		r, err := mcmc.Run(context.Background(), tg.LogDensity, 2, k, &mcmc.Options{Seed: 10, Draws: 500, Warmup: 200})
		require.NoError(t, err)
		assert.NotEqual(t, runs[0], r.Draws, k.String())
	}
}

// Run keeps exactly Draws draws per chain after exactly Warmup steps,
// thins, and reports one chain per walker for the stretch move.
func TestLengths(t *testing.T) {
	tg := target.Gauss2()
	r, err := mcmc.Run(context.Background(), tg.LogDensity, 2, mcmc.RandomWalk{}, &mcmc.Options{Chains: 3, Warmup: 70, Draws: 55, Thin: 3})
	require.NoError(t, err)
	require.Len(t, r.Draws, 3)
	assert.Equal(t, 55, r.Len())
	for i := range 3 {
		assert.Len(t, r.Draws[i], 110)
		assert.EqualValues(t, 70, r.WarmupStats[i].Proposals)
		assert.EqualValues(t, 165, r.Stats[i].Proposals)
	}
	assert.EqualValues(t, 3+3*70+3*165, r.Evals())
	assert.Len(t, r.Pooled(), 3*110)

	r, err = mcmc.Run(context.Background(), tg.LogDensity, 2, mcmc.Stretch{Walkers: 6}, &mcmc.Options{Chains: 2, Warmup: -1, Draws: 10})
	require.NoError(t, err)
	assert.Len(t, r.Draws, 12)
	assert.Equal(t, 6, r.Walkers)
	assert.Equal(t, 0, r.Warmup)
	assert.EqualValues(t, 60, r.Stats[0].Proposals)
	assert.EqualValues(t, 0, r.WarmupStats[0].Proposals)
}

// Cancelling the context returns the draws so far, every chain cut to
// the same length, with an error wrapping context.Canceled.
func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var n atomic.Int64
	f := func(x []float64) float64 {
		if n.Add(1) == 20000 {
			cancel()
		}
		return -x[0] * x[0] / 2
	}
	r, err := mcmc.Run(ctx, f, 1, mcmc.RandomWalk{}, &mcmc.Options{Warmup: 100, Draws: 1000000})
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), "stopped after")
	require.NotNil(t, r)
	assert.Less(t, r.Len(), 1000000)
	for _, x := range r.Draws {
		assert.Len(t, x, r.Len())
	}

	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	r, err = mcmc.Run(ctx, f, 1, mcmc.RandomWalk{}, nil)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 0, r.Len())
}

// Bad input gets an error naming the problem.
func TestBadInput(t *testing.T) {
	ctx := context.Background()
	normal := func(x []float64) float64 { return -x[0] * x[0] / 2 }
	cases := []struct {
		name string
		f    mcmc.LogDensity
		dim  int
		k    mcmc.Kernel
		o    *mcmc.Options
		msg  string
	}{
		{"no density", nil, 1, mcmc.RAM{}, nil, "no log density"},
		{"no kernel", normal, 1, nil, nil, "no kernel"},
		{"dimension", normal, 0, mcmc.RAM{}, nil, "dimension 0"},
		{"chains", normal, 1, mcmc.RAM{}, &mcmc.Options{Chains: -1}, "Chains"},
		{"draws", normal, 1, mcmc.RAM{}, &mcmc.Options{Draws: -2}, "Draws"},
		{"thin", normal, 1, mcmc.RAM{}, &mcmc.Options{Thin: -2}, "Thin"},
		{"cov size", normal, 1, mcmc.RandomWalk{Cov: []float64{1, 0}}, nil, "2 entries"},
		{"cov not pd", normal, 2, mcmc.RandomWalk{Cov: []float64{1, 2, 2, 1}}, nil, "not positive definite"},
		{"cov asymmetric", normal, 2, mcmc.RandomWalk{Cov: []float64{1, 0.5, 0.4, 1}}, nil, "not symmetric"},
		{"cov nan", normal, 1, mcmc.RAM{InitCov: []float64{math.NaN()}}, nil, "NaN"},
		{"scale", normal, 1, mcmc.RandomWalk{Scale: -1}, nil, "scale"},
		{"am eps", normal, 1, mcmc.AM{Eps: -1}, nil, "Eps"},
		{"am start", normal, 1, mcmc.AM{Start: 1}, nil, "Start"},
		{"ram accept", normal, 1, mcmc.RAM{TargetAccept: 1}, nil, "TargetAccept"},
		{"ram gamma", normal, 1, mcmc.RAM{Gamma: 0.5}, nil, "Gamma"},
		{"walkers odd", normal, 1, mcmc.Stretch{Walkers: 5}, nil, "Walkers is 5"},
		{"walkers few", normal, 3, mcmc.Stretch{Walkers: 4}, nil, "at least 6"},
		{"stretch a", normal, 1, mcmc.Stretch{A: 1}, nil, "Stretch.A"},
		{"mh proposal", normal, 1, mcmc.MH{}, nil, "no proposal"},
		{"independence proposal", normal, 1, mcmc.Independence{}, nil, "no proposal"},
		{"independence dim", normal, 2, mcmc.Independence{Proposal: withDensity(target.Normal())}, nil, "dimension 1"},
		{"start", func(x []float64) float64 { return math.Inf(-1) }, 1, mcmc.RAM{}, nil, "no starting point with a finite log density for walker 0"},
		{"nan everywhere", func(x []float64) float64 {
			if x[0] == 0.5 {
				return 0
			}
			return math.NaN()
		}, 1, mcmc.RAM{}, &mcmc.Options{Init: func(_ *rand.Rand, _ int, x []float64) { x[0] = 0.5 }}, "NaN or +Inf at"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := mcmc.Run(ctx, c.f, c.dim, c.k, c.o)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.msg)
		})
	}
}

// NaN log densities are rejections, counted; they stop the run only when
// they dominate.
func TestNaNCounted(t *testing.T) {
	f := func(x []float64) float64 {
		if x[0] > 1 {
			return math.NaN()
		}
		return -x[0] * x[0] / 2
	}
	r, err := mcmc.Run(context.Background(), f, 1, mcmc.RandomWalk{Scale: 1}, &mcmc.Options{Seed: 1, Init: mcmc.Around([]float64{0}, 0.5)})
	require.NoError(t, err)
	var bad int64
	for _, s := range r.Stats {
		bad += s.NonFinite
	}
	assert.Greater(t, bad, int64(100))
	for _, x := range r.Draws {
		for _, v := range x {
			assert.LessOrEqual(t, v, 1.0)
		}
	}
}

// Result.Summary fills in the acceptance and warns about chains that do
// not move and about bad log densities.
func TestResultSummary(t *testing.T) {
	f := func(x []float64) float64 {
		if x[0] > 3 {
			return math.NaN()
		}
		return -x[0] * x[0] / 2
	}
	r, err := mcmc.Run(context.Background(), f, 1, mcmc.RandomWalk{Scale: 1}, &mcmc.Options{Seed: 1, Draws: 2000})
	require.NoError(t, err)
	s := r.Summary()
	require.Len(t, s, 1)
	assert.InDelta(t, r.Acceptance(), s[0].Acceptance, 0)
	assert.Contains(t, strings.Join(s[0].Warnings, "\n"), "NaN or +Inf at")

	normal := func(x []float64) float64 { return -x[0] * x[0] / 2 }
	r, err = mcmc.Run(context.Background(), normal, 1, mcmc.RandomWalk{Scale: 1000}, &mcmc.Options{Seed: 1, Draws: 2000})
	require.NoError(t, err)
	assert.Contains(t, strings.Join(r.Summary()[0].Warnings, "\n"), "barely move")
}

// Fuzz the kernels' settings: any proposal covariance, scale, target
// acceptance and walker count gives an error or finite draws, never a
// panic or a NaN.
func FuzzKernelSettings(f *testing.F) {
	f.Add(1.0, 0.5, 1.0, 0.3, 0.0, 8)
	f.Add(1.0, 2.0, 1.0, 0.0, 0.0, 3)
	f.Add(-1.0, 0.0, 1.0, 1.0, 0.7, 0)
	f.Add(math.NaN(), 0.0, 1.0, 0.2, 2.0, 4)
	f.Fuzz(func(t *testing.T, a, b, c, acc, scale float64, walkers int) {
		cov := []float64{a, b, b, c}
		ctx := context.Background()
		opts := &mcmc.Options{Seed: 1, Warmup: 50, Draws: 50, Chains: 2}
		logp := target.Gauss2().LogDensity
		for _, k := range []mcmc.Kernel{mcmc.RandomWalk{Cov: cov}, mcmc.RandomWalk{Scale: scale}, mcmc.AM{InitCov: cov},
			mcmc.RAM{InitCov: cov, TargetAccept: acc}, mcmc.Stretch{Walkers: walkers % 64, A: 1 + scale}} {
			r, err := mcmc.Run(ctx, logp, 2, k, opts)
			if err != nil {
				continue
			}
			for _, x := range r.Draws {
				for _, v := range x {
					if math.IsNaN(v) || math.IsInf(v, 0) {
						t.Fatalf("%v: draw %v", k, v)
					}
				}
			}
		}
	})
}
