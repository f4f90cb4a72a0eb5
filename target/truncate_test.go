package target_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

// sfN is the standard normal survival function by erfc, independent of
// the package's own.
func sfN(x float64) float64 { return 0.5 * math.Erfc(x/math.Sqrt2) }

// normalTruncCDF is the exact CDF of N(0, 1) truncated to [a, b],
// written in survival probabilities for a ≥ 0 and in lower-tail ones
// (by symmetry) for b ≤ 0, so that it is accurate as far out as erfc is.
func normalTruncCDF(a, b float64) func(float64) float64 {
	return func(x float64) float64 {
		x = min(max(x, a), b)
		if a >= 0 {
			return (sfN(a) - sfN(x)) / (sfN(a) - sfN(b))
		}
		return (sfN(-x) - sfN(-a)) / (sfN(-b) - sfN(-a))
	}
}

// Deep tails of the normal, one-sided, two-sided and on the left, and
// tails of targets with only a survival function: the draws pass KS
// against the exact truncated CDF and are all finite and inside the
// interval. 17 KS checks at P(√n·D > 3) ≤ 3.05e-8 each (Massart's DKW
// bound): false failure below 5.2e-7. A sampler that skips the
// rejection step gives √n·D ≈ 8.6 at a = 3 and n = 2·10^5 (further out
// the exponential proposal itself is within O(1/a²) of the target, and
// the quantile checks guard the rest).
func TestTruncateTails(t *testing.T) {
	n := 200000
	if testing.Short() {
		n = 50000
	}
	inf := math.Inf(1)
	type tc struct {
		name   string
		t      *target.Target
		lo, hi float64
		cdf    func(float64) float64
	}
	var cases []tc
	for _, a := range []float64{3, 7, 7.5, 12, 30} {
		cases = append(cases, tc{"normal", target.Normal(), a, inf, normalTruncCDF(a, inf)})
	}
	for _, ab := range [][2]float64{{7, 7.5}, {12, 12.001}, {30, 31}, {1, 8}, {-2, 40}, {math.Inf(-1), -7}, {-31, -30}, {-8, -3.5}} {
		cases = append(cases, tc{"normal", target.Normal(), ab[0], ab[1], normalTruncCDF(ab[0], ab[1])})
	}
	// N(5, 10⁻⁶) beyond 12 standard deviations.
	shifted, err := target.IsotropicNormal([]float64{5}, 1e-3)
	require.NoError(t, err)
	cases = append(cases, tc{"shifted normal", shifted, 5.012, inf, func(x float64) float64 {
		return normalTruncCDF(12, inf)((x - 5) / 1e-3)
	}})
	// 50 + Exp(1), where the exponential's CDF rounds to 1.
	cases = append(cases, tc{"exponential", target.Exponential(), 50, inf, func(x float64) float64 {
		return -math.Expm1(-max(0, x-50))
	}})
	// N(0, 2²) through gonum, sampled as Normal's tails are.
	n2, err := target.FromDistuv("n2", distuv.Normal{Mu: 0, Sigma: 2}, inf*-1, inf)
	require.NoError(t, err)
	cases = append(cases, tc{"distuv normal", n2, 24, inf, func(x float64) float64 {
		return normalTruncCDF(12, inf)(x / 2)
	}})
	// Gamma(3, 1) through gonum beyond 60, where its CDF rounds to 1: no
	// inverse survival function, so the package bisects gonum's
	// incomplete-gamma Survival. The exact law has S(x) = e^−x(1 + x + x²/2).
	erlang, err := target.FromDistuv("erlang3", distuv.Gamma{Alpha: 3, Beta: 1}, 0, inf)
	require.NoError(t, err)
	cases = append(cases, tc{"bisected gamma", erlang, 60, inf, func(x float64) float64 {
		x = max(x, 60)
		return -math.Expm1(-(x - 60) + math.Log((1+x+x*x/2)/(1+60+1800)))
	}})
	for _, c := range cases {
		tr, err := target.Truncate(c.t, c.lo, c.hi)
		require.NoError(t, err, "%s [%v, %v]", c.name, c.lo, c.hi)
		m := n
		if c.name == "bisected gamma" {
			m = n / 20 // bisection: 64 survival evaluations a draw
		}
		x, err := sampler.Draw(tr.Exact, sampler.NewRand(31), m)
		require.NoError(t, err)
		for _, v := range x {
			require.True(t, v >= tr.Lo && v <= tr.Hi, "%s [%v, %v]: draw %v", c.name, c.lo, c.hi, v)
		}
		d := ksStat(x, c.cdf)
		assert.Less(t, math.Sqrt(float64(m))*d, ksBound, "%s [%v, %v]: D = %g", c.name, c.lo, c.hi, d)
		// The truncation's own CDF and quantile agree with the exact CDF.
		for _, p := range []float64{1e-12, 0.3, 0.5, 0.9, 1 - 1e-12} {
			q := tr.Quantile(p)
			require.False(t, math.IsInf(q, 0) || math.IsNaN(q), "%s [%v, %v]: Q(%v) = %v", c.name, c.lo, c.hi, p, q)
			assert.InDelta(t, p, c.cdf(q), 1e-9, "%s [%v, %v]: F(Q(%v))", c.name, c.lo, c.hi, p)
			assert.InDelta(t, c.cdf(q), tr.CDF(q), 1e-9, "%s [%v, %v]: CDF(%v)", c.name, c.lo, c.hi, q)
		}
		assert.Equal(t, tr.Lo, tr.Quantile(0))
		assert.Equal(t, tr.Hi, tr.Quantile(1), "Q(1) is the upper end, +Inf when unbounded")
		assert.False(t, math.IsInf(tr.Quantile(math.Nextafter(1, 0)), 0))
	}
}

// No draw of the deep normal tails is infinite or outside the interval:
// 10^7 draws each at [7, ∞) and [7.5, ∞), where inversion through the
// CDF gave +Inf in one draw of 3·10^4 and of 600.
func TestTruncateTailsFinite(t *testing.T) {
	n := 10_000_000
	if testing.Short() {
		n = 1_000_000
	}
	for _, a := range []float64{7, 7.5, 30} {
		tr, err := target.Truncate(target.Normal(), a, math.Inf(1))
		require.NoError(t, err)
		x, err := sampler.Draw(tr.Exact, sampler.NewRand(32), n)
		require.NoError(t, err)
		bad := 0
		for _, v := range x {
			if !(v >= a && v < math.Inf(1)) {
				bad++
			}
		}
		assert.Zero(t, bad, "a = %v", a)
	}
}

// Truncate(Normal(), 3, +Inf) is the catalogue's tail, draw for draw.
func TestTruncateNormalIsTail(t *testing.T) {
	tr, err := target.Truncate(target.Normal(), 3, math.Inf(1))
	require.NoError(t, err)
	a, err := sampler.Draw(tr.Exact, sampler.NewRand(5), 1000)
	require.NoError(t, err)
	b, err := sampler.Draw(target.Tail().Exact, sampler.NewRand(5), 1000)
	require.NoError(t, err)
	assert.Equal(t, b, a)
}
