package rejection

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/fidelity"
	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

// The tails beyond the outermost abscissae carry little mass, so an
// error there hardly shows in a KS test of all draws. Here the draws
// that land in each tail are tested against the target conditioned on
// that tail, with a coarse hull so that the tails are wide. Under the
// null, P(√n·D > 3) ≤ 2e^{-18} ≈ 3e-8 for each of the four tests.
func TestAdaptiveTails(t *testing.T) {
	n := 4_000_000
	if testing.Short() {
		n = 200_000
	}
	for _, name := range []string{"normal", "exponential", "gamma"} {
		tg, err := target.ByName(name)
		require.NoError(t, err)
		a, err := NewAdaptive(tg.LogDensity1D, tg.Lo, tg.Hi, &AdaptiveOptions{MaxPoints: 5})
		require.NoError(t, err, name)
		lo, hi := a.xs[0], a.xs[len(a.xs)-1]
		x, err := sampler.Draw(a, sampler.NewRand(21), n)
		require.NoError(t, err)
		var left, right []float64
		for _, v := range x {
			switch {
			case v < lo:
				left = append(left, v)
			case v > hi:
				right = append(right, v)
			}
		}
		fl, fh := tg.CDF(lo), tg.CDF(hi)
		check := func(side string, y []float64, cdf func(float64) float64) {
			// Each tail holds about 0.05% of the draws or more here.
			require.Greater(t, len(y), n/4000, "%s %s tail", name, side)
			d, _, err := fidelity.KS(y, cdf)
			require.NoError(t, err)
			assert.Less(t, math.Sqrt(float64(len(y)))*d, 3.0, "%s %s tail of %d draws", name, side, len(y))
		}
		if math.IsInf(tg.Lo, -1) {
			check("left", left, func(v float64) float64 { return min(tg.CDF(v)/fl, 1) })
		}
		check("right", right, func(v float64) float64 { return max((tg.CDF(v)-fh)/(1-fh), 0) })
	}
}
