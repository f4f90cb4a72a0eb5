package rejection_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/rejection"
	"github.com/variate/variate/sampler"
)

// wideNormal draws from N(0, s²) and knows nothing of its density.
func wideNormal(s float64) sampler.Sampler {
	return sampler.Func(1, func(rng *rand.Rand, x []float64) error {
		x[0] = s * rng.NormFloat64()
		return nil
	})
}

// normalOverWide is log(N(0,1)/N(0,4)) up to a constant.
func normalOverWide(x, dst []float64) {
	for i, v := range x {
		dst[i] = -v*v/2 + v*v/8 + 7 // the constant must not matter
	}
}

// ksNormal is the Kolmogorov–Smirnov distance of x to N(0, 1).
func ksNormal(x []float64) float64 {
	x = slices.Clone(x)
	slices.Sort(x)
	n := float64(len(x))
	var d float64
	for i, v := range x {
		f := 0.5 * math.Erfc(-v/math.Sqrt2)
		d = max(d, f-float64(i)/n, float64(i+1)/n-f)
	}
	return d
}

// With the exact ratio and γ = 0, ratio-driven rejection draws the
// target exactly: N(0, 1) from N(0, 4) proposals passes a KS test. At
// n = 20,000 the KS distance exceeds 0.0194 with probability below 1e-6
// (the DKW bound 2·exp(−2n·0.0194²)), the acceptance 1/2 of the
// supremum ratio is estimated within a few thousandths.
func TestRatioExact(t *testing.T) {
	s, err := rejection.NewRatio(wideNormal(2), normalOverWide, sampler.NewRand(1), nil)
	require.NoError(t, err)
	x, err := sampler.Draw(s, sampler.NewRand(2), 20000)
	require.NoError(t, err)
	assert.Less(t, ksNormal(x), 0.0194)
	st := s.Stats()
	assert.EqualValues(t, 20000, st.Accepted)
	// p/q ≤ M with M attained at 0: the acceptance is σ_p/σ_q = 1/2.
	assert.InDelta(t, 0.5, st.Acceptance(), 0.01)
	assert.InDelta(t, 7, s.LogM(), 1e-3)
	assert.Equal(t, 0.0, s.Gamma())
}

// A pilot too small to find the maximum is corrected as larger ratios
// appear: the bound rises to the true supremum.
func TestRatioRaise(t *testing.T) {
	s, err := rejection.NewRatio(wideNormal(2), normalOverWide, sampler.NewRand(1), &rejection.RatioOptions{Pilot: 1})
	require.NoError(t, err)
	before := s.LogM()
	_, err = sampler.Draw(s, sampler.NewRand(2), 2000)
	require.NoError(t, err)
	assert.Greater(t, s.Raises(), int64(0))
	assert.Greater(t, s.LogM(), before)
	assert.InDelta(t, 7, s.LogM(), 1e-3)
	assert.Equal(t, s.Raises(), s.Stats().Violations)
}

// spiky has its log ratio far above its typical values at rare points,
// so plain rejection accepts almost nothing.
func spiky(x, dst []float64) {
	for i, v := range x {
		dst[i] = 40 * v * v
	}
}

// A ratio whose bound is far above its typical values makes the
// acceptance fall below the floor, which is an error, not a hang; a γ
// quantile brings the acceptance back up.
func TestRatioFloor(t *testing.T) {
	s, err := rejection.NewRatio(wideNormal(1), spiky, sampler.NewRand(1), &rejection.RatioOptions{MinProposals: 5000})
	require.NoError(t, err)
	_, err = sampler.Draw(s, sampler.NewRand(2), 1000)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "acceptance floor")
	assert.Less(t, s.Stats().Proposals, int64(5300))

	q, err := rejection.NewRatio(wideNormal(1), spiky, sampler.NewRand(1), &rejection.RatioOptions{GammaQuantile: 0.95})
	require.NoError(t, err)
	assert.Less(t, q.Gamma(), -10.0)
	_, err = sampler.Draw(q, sampler.NewRand(2), 1000)
	require.NoError(t, err)
	assert.Greater(t, q.Stats().Acceptance(), 5e-3) // five times the floor
}

// γ trades acceptance for correction: a larger γ accepts less.
func TestRatioGamma(t *testing.T) {
	acc := func(g float64) float64 {
		s, err := rejection.NewRatio(wideNormal(2), normalOverWide, sampler.NewRand(1), &rejection.RatioOptions{Gamma: g})
		require.NoError(t, err)
		_, err = sampler.Draw(s, sampler.NewRand(2), 5000)
		require.NoError(t, err)
		return s.Stats().Acceptance()
	}
	lo, mid, hi := acc(-2), acc(0), acc(2)
	assert.Greater(t, lo, mid+0.1)
	assert.Greater(t, mid, hi+0.1)
}

// Bad options and bad ratios are errors naming the problem.
func TestRatioErrors(t *testing.T) {
	q := wideNormal(1)
	for _, o := range []rejection.RatioOptions{{Pilot: -1}, {MinProposals: -1}, {MinAcceptance: 1}, {MinAcceptance: -0.1},
		{Gamma: math.NaN()}, {Gamma: math.Inf(1)}, {GammaQuantile: 1}, {GammaQuantile: -0.5}} {
		_, err := rejection.NewRatio(q, normalOverWide, sampler.NewRand(1), &o)
		assert.Error(t, err, "%+v", o)
	}
	_, err := rejection.NewRatio(nil, normalOverWide, sampler.NewRand(1), nil)
	assert.Error(t, err)
	_, err = rejection.NewRatio(q, nil, sampler.NewRand(1), nil)
	assert.Error(t, err)

	nanAbove := func(x, dst []float64) {
		for i, v := range x {
			dst[i] = 0
			if v > 3 {
				dst[i] = math.NaN()
			}
		}
	}
	_, err = rejection.NewRatio(q, nanAbove, sampler.NewRand(1), &rejection.RatioOptions{Pilot: 100_000})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "NaN at the pilot draw")
	s, err := rejection.NewRatio(q, nanAbove, sampler.NewRand(1), &rejection.RatioOptions{Pilot: 10})
	require.NoError(t, err)
	_, err = sampler.Draw(s, sampler.NewRand(2), 100_000)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "NaN at the candidate")

	never := func(x, dst []float64) {
		for i := range dst {
			dst[i] = math.Inf(-1)
		}
	}
	_, err = rejection.NewRatio(q, never, sampler.NewRand(1), nil)
	assert.ErrorContains(t, err, "never reaches")

	failing := sampler.Func(1, func(*rand.Rand, []float64) error { return errors.New("broken") })
	_, err = rejection.NewRatio(failing, normalOverWide, sampler.NewRand(1), nil)
	assert.ErrorContains(t, err, "broken")
}

// The same seed gives the same draws.
func TestRatioDeterministic(t *testing.T) {
	draw := func() []float64 {
		s, err := rejection.NewRatio(wideNormal(2), normalOverWide, sampler.NewRand(1), nil)
		require.NoError(t, err)
		x, err := sampler.Draw(s, sampler.NewRand(2), 500)
		require.NoError(t, err)
		return x
	}
	assert.Equal(t, draw(), draw())
}

// FuzzRatioOptions checks that any options either are refused or give a
// sampler that draws finite points or fails with an error, never a
// hang or a panic.
func FuzzRatioOptions(f *testing.F) {
	f.Add(100, 0.0, 0.0, 1e-3, 1000)
	f.Add(1, -3.0, 0.5, 0.5, 10)
	f.Add(0, 1e300, 0.99, 0.999, 1)
	f.Fuzz(func(t *testing.T, pilot int, gamma, quant, floor float64, minProps int) {
		if pilot > 10000 || minProps > 100000 {
			return
		}
		o := rejection.RatioOptions{Pilot: pilot, Gamma: gamma, GammaQuantile: quant, MinAcceptance: floor, MinProposals: minProps}
		s, err := rejection.NewRatio(wideNormal(2), normalOverWide, sampler.NewRand(1), &o)
		if err != nil {
			return
		}
		x, err := sampler.Draw(s, sampler.NewRand(2), 50)
		if err != nil {
			return
		}
		for _, v := range x {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("draw %v", v)
			}
		}
	})
}

// Rejection driven by a density ratio: the proposal N(0, 4) only samples,
// and log(p/q) for the target N(0, 1) is known up to a constant.
func ExampleNewRatio() {
	proposal := sampler.Func(1, func(rng *rand.Rand, x []float64) error {
		x[0] = 2 * rng.NormFloat64()
		return nil
	})
	logRatio := func(x, dst []float64) {
		for i, v := range x {
			dst[i] = -3 * v * v / 8
		}
	}
	s, err := rejection.NewRatio(proposal, logRatio, sampler.NewRand(1), nil)
	if err != nil {
		panic(err)
	}
	x, err := sampler.Draw(s, sampler.NewRand(2), 10000)
	if err != nil {
		panic(err)
	}
	var v float64
	for _, xi := range x {
		v += xi * xi / float64(len(x))
	}
	fmt.Printf("variance %.2f, acceptance %.2f\n", v, s.Stats().Acceptance())
	// Output:
	// variance 1.00, acceptance 0.50
}
