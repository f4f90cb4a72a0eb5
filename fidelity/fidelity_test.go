package fidelity_test

import (
	"math"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/variate/variate/fidelity"
	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

// KS p-values against scipy.stats.kstwo.sf(d, n) (SciPy 1.10.1), which
// evaluates the exact finite-n distribution.
func TestKSPValueExact(t *testing.T) {
	cases := []struct {
		n    int
		d, p float64
	}{
		{1, 0.7, 0.6},
		{5, 0.5, 0.112},
		{10, 0.274, 0.3715203845434957},
		{50, 0.1, 0.6623112704658186},
		{100, 0.05, 0.9532159710635725},
		{200, 0.2, 1.7317874617308334e-07},
		{1000, 0.03, 0.3226902143914636},
	}
	for _, c := range cases {
		// A sample whose statistic is exactly d against U(0, 1): all
		// points at (i+1)/n − d... simplest is one point for n = 1;
		// otherwise use the internal p-value via a crafted sample.
		x := craft(c.n, c.d)
		d, p, err := fidelity.KS(x, func(v float64) float64 { return math.Min(1, math.Max(0, v)) })
		require.NoError(t, err)
		require.InDelta(t, c.d, d, 1e-12, "n=%d", c.n)
		// SciPy is exact for n ≤ 140 and uses an approximation beyond,
		// agreeing with the exact matrix method to ~1e-7 there.
		tol := 1e-10
		if c.n > 140 {
			tol = 1e-7 * c.p
		}
		assert.InDelta(t, c.p, p, tol, "n=%d d=%g", c.n, c.d)
	}
}

// craft returns n points in [0, 1] whose KS statistic against U(0,1) is
// d: the grid (i+0.5)/n has statistic 1/(2n); shifting the first point
// left raises F_n's jump to reach d at that point.
func craft(n int, d float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = (float64(i) + 0.5) / float64(n)
	}
	// With all points shifted by s, D = 1/(2n) + |s|.
	s := d - 1/(2*float64(n))
	for i := range x {
		x[i] -= s
	}
	return x
}

func TestKSLimitingDistribution(t *testing.T) {
	// scipy.stats.kstwobign.sf at 0.5, 1.0 and 1.5; n·d > 50 uses the
	// limiting law with Stephens' correction.
	n := 1000000
	for _, c := range []struct{ lambda, p float64 }{{0.5, 0.9639452436648751}, {1, 0.26999967167735456}, {1.5, 0.022217962616525127}} {
		sn := math.Sqrt(float64(n))
		d := c.lambda / (sn + 0.12 + 0.11/sn)
		x := craft(n, d)
		_, p, err := fidelity.KS(x, func(v float64) float64 { return math.Min(1, math.Max(0, v)) })
		require.NoError(t, err)
		assert.InDelta(t, c.p, p, 1e-9, "λ=%g", c.lambda)
	}
}

// Under the null the p-value is uniform: over 400 samples of size 40 the
// count below 0.05 is Binomial(400, 0.05), mean 20, sd 4.4; [2, 45] holds
// it with probability 1 − 2e-7, and a p-value off by a factor 2 fails.
func TestKSNullUniform(t *testing.T) {
	rng := sampler.NewRand(8)
	tg := target.Normal()
	below := 0
	for range 400 {
		x, _ := sampler.Draw(tg.Exact, rng, 40)
		_, p, err := fidelity.KS(x, tg.CDF)
		require.NoError(t, err)
		if p < 0.05 {
			below++
		}
	}
	assert.True(t, below >= 2 && below <= 45, "%d of 400 below 0.05", below)
}

// Two-sample KS against scipy.stats.ks_2samp: the statistic exactly; the
// p-value (asymptotic with Stephens' correction here; SciPy's exact 0.6476
// and asymptotic 0.6620) within 0.02 of SciPy's asymptotic value.
func TestKS2(t *testing.T) {
	x := []float64{0.1, 0.5, 0.9, 1.3, 2.2, 2.4, 3.1}
	y := []float64{0.3, 0.35, 1.0, 1.1, 1.9, 4.0, 4.5, 5.0, -1.0}
	d, p, err := fidelity.KS2(x, y)
	require.NoError(t, err)
	assert.InDelta(t, 1.0/3, d, 1e-15)
	assert.InDelta(t, 0.662, p, 0.02)
	assert.Equal(t, []float64{0.1, 0.5, 0.9, 1.3, 2.2, 2.4, 3.1}, x, "input modified")
	// Ties across samples count once.
	d, _, err = fidelity.KS2([]float64{1, 2, 3}, []float64{1, 2, 3})
	require.NoError(t, err)
	assert.Zero(t, d)
	d, p, err = fidelity.KS2([]float64{1, 2}, []float64{3, 4, 5})
	require.NoError(t, err)
	assert.Equal(t, 1.0, d)
	assert.Less(t, p, 0.2)
}

func TestWasserstein1(t *testing.T) {
	w, err := fidelity.Wasserstein1([]float64{0, 1, 2}, []float64{1, 2, 3})
	require.NoError(t, err)
	assert.InDelta(t, 1, w, 1e-15)
	w, err = fidelity.Wasserstein1([]float64{0}, []float64{1, 3})
	require.NoError(t, err)
	assert.InDelta(t, 2, w, 1e-15)
	w, err = fidelity.Wasserstein1([]float64{2, 0, 1}, []float64{0, 1, 2})
	require.NoError(t, err)
	assert.Zero(t, w)
}

// W1 between the quantile-grid sample of N(0, 1) shifted by 0.5 and
// N(0, 1) is 0.5 up to the grid's discretisation (< 1e-3 at n = 10^4).
func TestWasserstein1QuantileShiftedNormal(t *testing.T) {
	n := 10000
	x := make([]float64, n)
	for i := range x {
		x[i] = distuv.UnitNormal.Quantile((float64(i)+0.5)/float64(n)) + 0.5
	}
	w, err := fidelity.Wasserstein1Quantile(x, distuv.UnitNormal.Quantile)
	require.NoError(t, err)
	assert.InDelta(t, 0.5, w, 1e-3)
	// Against an exact sample W1 shrinks like 1/√n.
	tg := target.Normal()
	y, _ := sampler.Draw(tg.Exact, sampler.NewRand(1), n)
	w, err = fidelity.Wasserstein1Quantile(y, tg.Quantile)
	require.NoError(t, err)
	assert.Less(t, w, 0.05)
	assert.Greater(t, w, 0.0)
	_, err = fidelity.Wasserstein1Quantile([]float64{1}, func(float64) float64 { return math.NaN() })
	assert.ErrorContains(t, err, "quantile")
}

func TestEnergyHandComputed(t *testing.T) {
	e, err := fidelity.Energy([]float64{0, 1}, []float64{2, 4}, 1)
	require.NoError(t, err)
	assert.InDelta(t, 2, e, 1e-15)
	// 2-D: cross mean (0 + 1 + 5 + √18)/4, within x 5, within y 1.
	e, err = fidelity.Energy([]float64{0, 0, 3, 4}, []float64{0, 0, 0, 1}, 2)
	require.NoError(t, err)
	assert.InDelta(t, (6+math.Sqrt(18))/2-6, e, 1e-14)
	// 1-D by sorting equals the pairwise form.
	rng := sampler.NewRand(2)
	x, y := make([]float64, 300), make([]float64, 200)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	for i := range y {
		y[i] = rng.NormFloat64() + 0.3
	}
	e1, err := fidelity.Energy(x, y, 1)
	require.NoError(t, err)
	assert.InDelta(t, bruteEnergy(x, y), e1, 1e-12)
}

func bruteEnergy(x, y []float64) float64 {
	var sxy, sxx, syy float64
	for _, a := range x {
		for _, b := range y {
			sxy += math.Abs(a - b)
		}
	}
	for i := range x {
		for j := i + 1; j < len(x); j++ {
			sxx += math.Abs(x[i] - x[j])
		}
	}
	for i := range y {
		for j := i + 1; j < len(y); j++ {
			syy += math.Abs(y[i] - y[j])
		}
	}
	n, m := float64(len(x)), float64(len(y))
	return 2*sxy/(n*m) - sxx/(n*(n-1)/2) - syy/(m*(m-1)/2)
}

// The energy distance separates a 0.2 shift at n = 2000 and does not
// depend on GOMAXPROCS.
func TestEnergyDeterministicAcrossProcs(t *testing.T) {
	tg := target.Gauss2()
	x, _ := sampler.Draw(tg.Exact, sampler.NewRand(3), 2000)
	y, _ := sampler.Draw(tg.Exact, sampler.NewRand(4), 2000)
	old := runtime.GOMAXPROCS(1)
	e1, err := fidelity.Energy(x, y, 2)
	require.NoError(t, err)
	runtime.GOMAXPROCS(2)
	e2, _ := fidelity.Energy(x, y, 2)
	runtime.GOMAXPROCS(old)
	assert.Equal(t, e1, e2)
	for i := 0; i < len(y); i += 2 {
		y[i] += 0.5
	}
	shifted, _ := fidelity.Energy(x, y, 2)
	assert.Greater(t, shifted, 10*math.Abs(e1))
}

func TestSlicedWasserstein(t *testing.T) {
	// All projections of a shift by (3, 4) along unit u give |u·(3,4)|,
	// whose mean over uniform directions is 5·E|cos θ| = 10/π.
	x := []float64{0, 0, 1, 1, 2, -1}
	y := []float64{3, 4, 4, 5, 5, 3}
	w, err := fidelity.SlicedWasserstein(x, y, 2, 20000, sampler.NewRand(1))
	require.NoError(t, err)
	// Monte Carlo sd of the mean: 5·sd|cos θ|/√20000 ≈ 0.011; 6 sd.
	assert.InDelta(t, 10/math.Pi, w, 0.07)
	w2, _ := fidelity.SlicedWasserstein(x, y, 2, 20000, sampler.NewRand(1))
	assert.Equal(t, w, w2)
	_, err = fidelity.SlicedWasserstein(x, y, 2, 0, sampler.NewRand(1))
	assert.ErrorContains(t, err, "0 projections")
}

func TestTV(t *testing.T) {
	tv, err := fidelity.TV([]float64{0, 1, 2, 3}, []float64{0, 1, 2, 3}, 1, 4)
	require.NoError(t, err)
	assert.Zero(t, tv)
	tv, err = fidelity.TV([]float64{0, 0.1}, []float64{5, 5.1}, 1, 10)
	require.NoError(t, err)
	assert.Equal(t, 1.0, tv)
	assert.Equal(t, 0.0, fidelity.DiscriminatorError(tv))
	assert.Equal(t, 0.5, fidelity.DiscriminatorError(0))
	// One of four 2-D points moved to a cell of its own: TV = 1/4.
	tv, err = fidelity.TV([]float64{0, 0, 0, 0, 1, 1, 1, 1}, []float64{0, 0, 0, 0, 1, 1, 9, 9}, 2, 2)
	require.NoError(t, err)
	assert.InDelta(t, 0.25, tv, 1e-15)
	_, err = fidelity.TV([]float64{0, 1}, []float64{1, 2}, 1, 0)
	assert.ErrorContains(t, err, "0 bins")
	_, err = fidelity.TV([]float64{0, 1, 2}, []float64{1, 2, 3}, 3, 1000)
	assert.ErrorContains(t, err, "cells")

	// A quantile grid of U(0, 1) against its CDF: 10 bins of width 0.0999
	// hold 1/10 each (0.0001 too much), and 0.001 of the mass lies outside
	// the sample's range: TV = (10·0.0001 + 0.001)/2.
	x := make([]float64, 1000)
	for i := range x {
		x[i] = (float64(i) + 0.5) / 1000
	}
	tv, err = fidelity.TVCDF(x, func(v float64) float64 { return math.Min(1, math.Max(0, v)) }, 10)
	require.NoError(t, err)
	assert.InDelta(t, 0.001, tv, 1e-12)
	_, err = fidelity.TVCDF(x, func(v float64) float64 { return 1 - v }, 10)
	assert.ErrorContains(t, err, "not a CDF")
}

func TestModes(t *testing.T) {
	ring := target.Ring()
	// 2,500 draws spread equally over all 8 modes, exactly at centres.
	var x []float64
	for i := range 2500 {
		m := ring.Modes[i%8]
		x = append(x, m.Centre[0], m.Centre[1])
	}
	st, err := fidelity.Modes(x, 2, ring.Modes)
	require.NoError(t, err)
	assert.Equal(t, 8, st.Covered)
	assert.Equal(t, 8, st.Total)
	assert.Equal(t, 20, st.MinCount)
	assert.Equal(t, 1.0, st.HighQuality)
	assert.InDelta(t, 0, st.ReverseKL, 1e-3) // 2500 is not a multiple of 8
	// Only modes 0..3, half the draws far away (not high quality).
	x = x[:0]
	for i := range 2500 {
		if i%2 == 0 {
			m := ring.Modes[(i/2)%4]
			x = append(x, m.Centre[0]+0.02, m.Centre[1]) // 2σ off: still high quality
		} else {
			x = append(x, 0, 0)
		}
	}
	st, err = fidelity.Modes(x, 2, ring.Modes)
	require.NoError(t, err)
	assert.Equal(t, 4, st.Covered)
	assert.InDelta(t, 0.5, st.HighQuality, 1e-3)
	assert.InDelta(t, math.Log(2), st.ReverseKL, 1e-5) // 313, 313, 312, 312 draws
	// One mode below the threshold of 20: 19 draws.
	x = x[:0]
	for range 19 {
		x = append(x, 1, 0)
	}
	for range 2481 {
		x = append(x, 0, 1)
	}
	st, err = fidelity.Modes(x, 2, ring.Modes)
	require.NoError(t, err)
	assert.Equal(t, 1, st.Covered)
	assert.Equal(t, []int{19, 0, 2481, 0, 0, 0, 0, 0}, st.Counts)
	st, err = fidelity.Modes([]float64{9, 9}, 2, ring.Modes)
	require.NoError(t, err)
	assert.True(t, math.IsInf(st.ReverseKL, 1))
	assert.Zero(t, st.HighQuality)
	_, err = fidelity.Modes(x, 2, nil)
	assert.ErrorContains(t, err, "no modes")
	_, err = fidelity.Modes(x, 2, []target.Mode{{Centre: []float64{0}, Sigma: 1}})
	assert.ErrorContains(t, err, "mode 0 has 1 coordinates")
	_, err = fidelity.Modes(x, 2, []target.Mode{{Centre: []float64{0, 0}, Sigma: 0}})
	assert.ErrorContains(t, err, "σ = 0")
}

func TestBadInput(t *testing.T) {
	nan := []float64{1, math.NaN(), 2}
	cdf := distuv.UnitNormal.CDF
	_, _, err := fidelity.KS(nil, cdf)
	assert.ErrorContains(t, err, "x has 0 points")
	_, _, err = fidelity.KS(nan, cdf)
	assert.ErrorContains(t, err, "x[1] is NaN")
	_, _, err = fidelity.KS([]float64{1, 2}, func(float64) float64 { return 2 })
	assert.ErrorContains(t, err, "not in [0, 1]")
	_, _, err = fidelity.KS2([]float64{1}, nil)
	assert.ErrorContains(t, err, "y has 0 points")
	_, _, err = fidelity.KS2(nan, []float64{1})
	assert.Error(t, err)
	_, err = fidelity.Wasserstein1([]float64{1, math.Inf(1)}, []float64{1})
	assert.ErrorContains(t, err, "x[1] is +Inf")
	_, err = fidelity.Wasserstein1([]float64{1}, nan)
	assert.Error(t, err)
	_, err = fidelity.Energy([]float64{1, 2, 3}, []float64{1, 2}, 2)
	assert.ErrorContains(t, err, "len(x)=3 is not a multiple of the dimension 2")
	_, err = fidelity.Energy([]float64{1}, []float64{1, 2}, 1)
	assert.ErrorContains(t, err, "need at least 2")
	_, err = fidelity.Energy([]float64{1, 2}, []float64{1, math.NaN()}, 1)
	assert.ErrorContains(t, err, "y[1] is NaN")
	_, err = fidelity.SlicedWasserstein([]float64{1, 2}, []float64{1}, 2, 5, sampler.NewRand(1))
	assert.ErrorContains(t, err, "len(y)=1")
	_, err = fidelity.TV(nan, []float64{1}, 1, 5)
	assert.Error(t, err)
	_, err = fidelity.TVCDF(nil, cdf, 5)
	assert.Error(t, err)
	_, err = fidelity.TVCDF([]float64{1}, cdf, 0)
	assert.Error(t, err)
	_, err = fidelity.Modes(nan, 1, []target.Mode{{Centre: []float64{0}, Sigma: 1}})
	assert.Error(t, err)
	assert.Panics(t, func() { _, _ = fidelity.Energy([]float64{1}, []float64{1}, 0) })
}

func FuzzKS(f *testing.F) {
	f.Add(0.1, 0.5, 0.9)
	f.Add(math.NaN(), 0.0, 1.0)
	f.Add(-1e300, 1e300, 0.0)
	f.Fuzz(func(t *testing.T, a, b, c float64) {
		x := []float64{a, b, c}
		d, p, err := fidelity.KS(x, distuv.UnitNormal.CDF)
		if err != nil {
			return
		}
		require.True(t, d >= 0 && d <= 1, "d = %v", d)
		require.True(t, p >= 0 && p <= 1, "p = %v", p)
		w, err := fidelity.Wasserstein1(x, []float64{0, 1})
		require.NoError(t, err)
		require.False(t, math.IsNaN(w))
		e, err := fidelity.Energy(x, []float64{0, 1}, 1)
		require.NoError(t, err)
		require.False(t, math.IsNaN(e))
	})
}
