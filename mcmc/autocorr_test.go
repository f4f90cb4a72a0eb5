package mcmc_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/mcmc"
	"github.com/variate/variate/sampler"
)

// AutocorrTime equals emcee 3.1.4's integrated_time to 1e-10 relative,
// and is NaN where emcee returns nan, on the chains of testdata/emcee.txt
// (whose header gives the call).
func TestAutocorrTimeMatchesEmcee(t *testing.T) {
	ref := readTable(t, "emcee.txt", 1)
	require.Len(t, ref, 12)
	var worst float64
	for name, want := range ref {
		got := mcmc.AutocorrTime(readChains(t, name))
		worst = max(worst, closeTo(t, want[0], got, 1e-10, name))
	}
	t.Logf("largest relative difference from emcee: %.2g", worst)
}

func TestAutocorrTimeEdges(t *testing.T) {
	// Independent draws: τ near 1. AR(1) with ρ = 0.9: τ = (1+ρ)/(1−ρ) = 19.
	assert.InDelta(t, 1, mcmc.AutocorrTime(ar1(3, 8, 5000, 0, 0)), 0.1)
	assert.InDelta(t, 19, mcmc.AutocorrTime(ar1(3, 8, 5000, 0.9, 0)), 2)
	// One constant chain among others, and a single draw, are undefined.
	assert.True(t, math.IsNaN(mcmc.AutocorrTime([][]float64{{0.1, 0.1, 0.1}, {1, 2, 3}})))
	assert.True(t, math.IsNaN(mcmc.AutocorrTime([][]float64{{1}, {2}})))
	assert.True(t, math.IsNaN(mcmc.AutocorrTime([][]float64{{1, math.Inf(-1), 2}})))
	// Two draws: ρ(1) = −½, so τ(1) = 0 and the window is M = 1.
	assert.InDelta(t, 0, mcmc.AutocorrTime([][]float64{{1, 2}, {5, 3}}), 1e-15)
	assert.Panics(t, func() { mcmc.AutocorrTime([][]float64{{1, 2, 3}, {1, 2}}) })
	assert.Panics(t, func() { mcmc.AutocorrTime(nil) })
}

func ExampleAutocorrTime() {
	// 32 walkers of an AR(1) series with autocorrelation 0.8, whose
	// integrated autocorrelation time is (1 + 0.8)/(1 − 0.8) = 9.
	rng := sampler.NewRand(3)
	walkers := make([][]float64, 32)
	for i := range walkers {
		v := rng.NormFloat64()
		for range 2000 {
			walkers[i] = append(walkers[i], v)
			v = 0.8*v + 0.6*rng.NormFloat64()
		}
	}
	tau := mcmc.AutocorrTime(walkers)
	fmt.Printf("τ ≈ %.1f; 2000 steps are %.0f τ\n", tau, 2000/tau)
	// Output: τ ≈ 8.6; 2000 steps are 233 τ
}
