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

func TestMixtureErrors(t *testing.T) {
	n1, _ := target.IsotropicNormal([]float64{0}, 1)
	n2, _ := target.IsotropicNormal([]float64{0, 0}, 1)
	noZ := &target.Target{Name: "raw", Dim: 1, LogZ: math.NaN()}
	cases := []struct {
		w    []float64
		c    []*target.Target
		want string
	}{
		{[]float64{1}, nil, "no components"},
		{[]float64{1, 2}, []*target.Target{n1}, "2 weights for 1 components"},
		{[]float64{-1, 2}, []*target.Target{n1, n1}, "weight[0] = -1"},
		{[]float64{math.NaN(), 2}, []*target.Target{n1, n1}, "weight[0] = NaN"},
		{[]float64{0, 0}, []*target.Target{n1, n1}, "weights sum to 0"},
		{[]float64{1, math.Inf(1)}, []*target.Target{n1, n1}, "weight[1] = +Inf"},
		{[]float64{1, 1}, []*target.Target{n1, n2}, "component 1"},
		{[]float64{1, 1}, []*target.Target{n1, noZ}, "no known normalising constant"},
		{[]float64{1, 1}, []*target.Target{n1, nil}, "component 1 is nil"},
	}
	for _, c := range cases {
		_, err := target.Mixture("m", c.w, c.c)
		require.Error(t, err, c.want)
		assert.Contains(t, err.Error(), c.want)
	}
}

func TestMixtureValues(t *testing.T) {
	b := target.Bimodal()
	// 0.3·N(−2, 0.25) + 0.7·N(2, 1): mean 0.8, variance 4.135.
	assert.InDelta(t, 0.8, b.Mean[0], 1e-15)
	assert.InDelta(t, 4.135, b.Var[0], 1e-12)
	want := math.Log(0.3*distuv.Normal{Mu: -2, Sigma: 0.5}.Prob(0.5) + 0.7*distuv.Normal{Mu: 2, Sigma: 1}.Prob(0.5))
	assert.InDelta(t, want, b.LogDensity1D(0.5), 1e-14)
	assert.InDelta(t, 0.3*distuv.UnitNormal.CDF(1)+0.7*distuv.UnitNormal.CDF(-3.5), b.CDF(-1.5), 1e-15)
	require.Len(t, b.Modes, 2)
	assert.Equal(t, 0.5, b.Modes[0].Sigma)
	assert.Nil(t, b.Quantile)
	// A zero weight drops its component.
	n1, _ := target.IsotropicNormal([]float64{0}, 1)
	n9, _ := target.IsotropicNormal([]float64{9}, 1)
	m, err := target.Mixture("m", []float64{1, 0}, []*target.Target{n1, n9})
	require.NoError(t, err)
	assert.Len(t, m.Modes, 1)
	assert.InDelta(t, n1.LogDensity1D(1)-n1.LogZ, m.LogDensity1D(1), 1e-14)
	assert.Equal(t, math.Inf(-1), target.Ring().LogDensity([]float64{math.Inf(1), 0}))
}

func TestIsotropicNormalErrors(t *testing.T) {
	for _, c := range []struct {
		m    []float64
		s    float64
		want string
	}{
		{nil, 1, "empty mean"},
		{[]float64{0}, 0, "σ = 0"},
		{[]float64{0}, math.NaN(), "σ = NaN"},
		{[]float64{0}, math.Inf(1), "σ = +Inf"},
		{[]float64{math.NaN()}, 1, "mean[0] = NaN"},
	} {
		_, err := target.IsotropicNormal(c.m, c.s)
		require.Error(t, err)
		assert.Contains(t, err.Error(), c.want)
	}
}

func TestTruncate(t *testing.T) {
	n := target.Normal()
	tr, err := target.Truncate(n, -1, 2)
	require.NoError(t, err)
	mass := distuv.UnitNormal.CDF(2) - distuv.UnitNormal.CDF(-1)
	assert.InDelta(t, n.LogZ+math.Log(mass), tr.LogZ, 1e-14)
	assert.Equal(t, 0.0, tr.CDF(-1.5))
	assert.Equal(t, 1.0, tr.CDF(2.5))
	assert.InDelta(t, (distuv.UnitNormal.CDF(0.5)-distuv.UnitNormal.CDF(-1))/mass, tr.CDF(0.5), 1e-15)
	assert.InDelta(t, 0.5, tr.CDF(tr.Quantile(0.5)), 1e-12)
	assert.Equal(t, math.Inf(-1), tr.LogDensity1D(2.1))
	assert.Equal(t, n.LogDensity1D(0.3), tr.LogDensity([]float64{0.3}))
	x, err := sampler.Draw(tr.Exact, sampler.NewRand(1), 20000)
	require.NoError(t, err)
	for _, v := range x {
		require.True(t, v >= -1 && v <= 2)
	}
	d := ksStat(x, tr.CDF)
	assert.Less(t, math.Sqrt(20000)*d, ksBound)

	for _, c := range []struct {
		t      *target.Target
		lo, hi float64
		want   string
	}{
		{nil, 0, 1, "nil target"},
		{target.Gauss2(), 0, 1, "needs a 1-D target"},
		{target.DoubleWell(), 0, 1, "needs its CDF and quantile"},
		{n, 1, 1, "is empty"},
		{n, math.NaN(), 1, "is empty"},
		{target.Exponential(), -5, -1, "no probability"},
		{n, 40, 50, "no probability"},
		{&target.Target{Name: "raw", Dim: 1, CDF: n.CDF, Quantile: n.Quantile}, 0, 1, "needs its 1-D log density"},
	} {
		_, err := target.Truncate(c.t, c.lo, c.hi)
		require.Error(t, err, c.want)
		assert.Contains(t, err.Error(), c.want)
	}
}

func TestFromDistuv(t *testing.T) {
	g := distuv.Gamma{Alpha: 3, Beta: 2}
	tg, err := target.FromDistuv("gamma(3,2)", g, 0, math.Inf(1))
	require.NoError(t, err)
	assert.Equal(t, g.LogProb(1.3), tg.LogDensity1D(1.3))
	assert.Equal(t, math.Inf(-1), tg.LogDensity1D(-1))
	assert.Equal(t, g.LogProb(0.7), tg.LogDensity([]float64{0.7}))
	x, err := sampler.Draw(tg.Exact, sampler.NewRand(4), 20000)
	require.NoError(t, err)
	assert.Less(t, math.Sqrt(20000)*ksStat(x, g.CDF), ksBound)
	_, err = target.FromDistuv("x", nil, 0, 1)
	assert.ErrorContains(t, err, "nil distribution")
	_, err = target.FromDistuv("x", g, 1, 0)
	assert.ErrorContains(t, err, "support [1, 0] is empty")
}

func FuzzMixtureWeights(f *testing.F) {
	f.Add(0.3, 0.7)
	f.Add(-1.0, 2.0)
	f.Add(0.0, 0.0)
	f.Add(math.NaN(), 1.0)
	f.Add(math.Inf(1), 1.0)
	n1, _ := target.IsotropicNormal([]float64{-1}, 1)
	n2, _ := target.IsotropicNormal([]float64{1}, 1)
	f.Fuzz(func(t *testing.T, a, b float64) {
		m, err := target.Mixture("m", []float64{a, b}, []*target.Target{n1, n2})
		valid := a >= 0 && b >= 0 && !math.IsInf(a, 0) && !math.IsInf(b, 0) && a+b > 0 && !math.IsInf(a+b, 0)
		if !valid {
			require.Error(t, err)
			return
		}
		require.NoError(t, err)
		c := m.CDF(0.3)
		require.True(t, c >= 0 && c <= 1, "CDF = %v", c)
		x, err := sampler.Draw(m.Exact, sampler.NewRand(1), 8)
		require.NoError(t, err)
		for _, v := range x {
			require.False(t, math.IsNaN(v))
		}
	})
}

func FuzzTruncate(f *testing.F) {
	f.Add(-1.0, 2.0)
	f.Add(3.0, 2.0)
	f.Add(40.0, 41.0)
	f.Add(math.Inf(-1), 0.0)
	f.Add(7.0, math.Inf(1))
	f.Add(30.0, 31.0)
	f.Add(math.Inf(-1), -30.0)
	f.Add(0.0, 1e-12)
	n := target.Normal()
	f.Fuzz(func(t *testing.T, lo, hi float64) {
		tr, err := target.Truncate(n, lo, hi)
		if err != nil {
			return
		}
		for _, p := range []float64{0, 0.1, 0.5, 0.9, 1} {
			x := tr.Quantile(p)
			require.False(t, math.IsNaN(x), "Q(%g) on [%g, %g]", p, lo, hi)
			require.True(t, x >= tr.Lo && x <= tr.Hi)
		}
		x, err := sampler.Draw(tr.Exact, sampler.NewRand(1), 4)
		require.NoError(t, err)
		for _, v := range x {
			require.True(t, v >= tr.Lo && v <= tr.Hi, "%v outside [%v, %v]", v, tr.Lo, tr.Hi)
			require.False(t, math.IsInf(v, 0), "infinite draw on [%v, %v]", lo, hi)
		}
		c := tr.CDF(tr.Quantile(0.5))
		require.True(t, c >= 0 && c <= 1, "CDF(median) = %v", c)
	})
}

func FuzzIsotropicNormal(f *testing.F) {
	f.Add(0.0, 1.0)
	f.Add(-3.0, 0.0)
	f.Add(math.NaN(), 1.0)
	f.Add(1.0, math.Inf(1))
	f.Add(1e300, 1e-300)
	f.Fuzz(func(t *testing.T, m, s float64) {
		tg, err := target.IsotropicNormal([]float64{m}, s)
		// σ² and 1/(2σ²) must be finite and positive (σ within about
		// 1e-154 to 1e154), or the log density is NaN or flat.
		inv := 1 / (2 * s * s)
		valid := !math.IsNaN(m) && !math.IsInf(m, 0) && s > 0 && !math.IsInf(s, 0) && inv > 0 && !math.IsInf(inv, 1)
		if !valid {
			require.Error(t, err)
			return
		}
		require.NoError(t, err)
		require.False(t, math.IsNaN(tg.LogDensity1D(m)) || math.IsInf(tg.LogDensity1D(m), 0), "log density at the mean")
		c := tg.CDF(m)
		require.True(t, c >= 0 && c <= 1, "CDF(mean) = %v", c)
		x, err := sampler.Draw(tg.Exact, sampler.NewRand(1), 4)
		require.NoError(t, err)
		for _, v := range x {
			require.False(t, math.IsNaN(v))
		}
	})
}
