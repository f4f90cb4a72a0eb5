package transform_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/variate/variate/fidelity"
	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
	"github.com/variate/variate/transform"
)

// ks returns √n·D against cdf (Massart: P(√n·D > 3) ≤ 3e-8 under the
// null).
func ks(x []float64, cdf func(float64) float64) float64 {
	d, _, err := fidelity.KS(x, cdf)
	if err != nil {
		return math.Inf(1)
	}
	return math.Sqrt(float64(len(x))) * d
}

func TestQuantileSampler(t *testing.T) {
	g := distuv.Gamma{Alpha: 2.5, Beta: 1}
	s := transform.Quantile(g.Quantile)
	x, err := sampler.Draw(s, sampler.NewRand(1), 20000)
	require.NoError(t, err)
	assert.Less(t, ks(x, g.CDF), 3.0)
	_, err = sampler.Draw(transform.Quantile(func(float64) float64 { return math.NaN() }), sampler.NewRand(1), 3)
	assert.ErrorContains(t, err, "quantile function returned NaN")
	// An infinite value is no draw either, whichever end: the error names
	// the u that gave it (every u > 0.5 here, and the first draws are
	// such with probability 1 − 2^-100).
	for _, inf := range []float64{math.Inf(1), math.Inf(-1)} {
		q := func(u float64) float64 {
			if u > 0.5 {
				return inf
			}
			return u
		}
		_, err = sampler.Draw(transform.Quantile(q), sampler.NewRand(1), 100)
		assert.ErrorContains(t, err, fmt.Sprintf("quantile function returned %v at u=0.", inf))
	}
	assert.Panics(t, func() { transform.Quantile(nil) })
}

// A mixed distribution: an atom of 0.3 at 0, nothing on (0, 1), then
// uniform mass 0.7 on [1, 2]. The generalised inverse puts every
// u ≤ 0.3 at 0 and u in (0.3, 1] at 1 + (u − 0.3)/0.7.
func mixedCDF(x float64) float64 {
	switch {
	case x < 0:
		return 0
	case x < 1:
		return 0.3
	case x < 2:
		return 0.3 + 0.7*(x-1)
	}
	return 1
}

func TestInverterFlatPartsAndJumps(t *testing.T) {
	for _, sup := range [][2]float64{{-5, 5}, {math.Inf(-1), math.Inf(1)}, {0, 2}} {
		inv, err := transform.NewInverter(mixedCDF, sup[0], sup[1], nil)
		require.NoError(t, err)
		for _, c := range []struct{ u, x float64 }{
			{0, sup[0]}, {0.1, 0}, {0.3, 0}, {0.3 + 1e-9, 1 + 1e-9/0.7}, {0.65, 1.5}, {1, 2},
		} {
			if c.u == 0 && math.IsInf(sup[0], -1) {
				continue
			}
			x, err := inv.Quantile(c.u)
			require.NoError(t, err)
			assert.InDelta(t, c.x, x, 1e-11, "support %v, u=%v", sup, c.u)
		}
	}
	inv, _ := transform.NewInverter(mixedCDF, -5, 5, nil)
	x, err := sampler.Draw(inv, sampler.NewRand(2), 20000)
	require.NoError(t, err)
	atoms := 0
	for _, v := range x {
		require.False(t, v > 1e-9 && v < 1, "draw %v in the gap", v)
		if math.Abs(v) <= 1e-11 {
			atoms++
		}
	}
	// Binomial(20000, 0.3): sd 65; 6 sd.
	assert.InDelta(t, 6000, atoms, 6*65)
}

func TestInverterContinuous(t *testing.T) {
	for _, name := range []string{"normal", "gamma", "student-t", "tail", "doublewell", "bimodal"} {
		tg, _ := target.ByName(name)
		inv, err := transform.NewInverter(tg.CDF, tg.Lo, tg.Hi, nil)
		require.NoError(t, err)
		for _, u := range []float64{1e-9, 0.01, 0.5, 0.99, 1 - 1e-9} {
			x, err := inv.Quantile(u)
			require.NoError(t, err)
			assert.InDelta(t, u, tg.CDF(x), 1e-9, "%s u=%v", name, u)
		}
	}
}

func TestInverterBadInput(t *testing.T) {
	_, err := transform.NewInverter(nil, 0, 1, nil)
	assert.ErrorContains(t, err, "nil CDF")
	_, err = transform.NewInverter(mixedCDF, 1, 1, nil)
	assert.ErrorContains(t, err, "support [1, 1] is empty")
	_, err = transform.NewInverter(func(x float64) float64 { return 1 - x }, 0, 1, nil)
	assert.ErrorContains(t, err, "CDF decreases")
	_, err = transform.NewInverter(func(x float64) float64 { return 2 }, 0, 1, nil)
	assert.ErrorContains(t, err, "is not in [0, 1]")
	_, err = transform.NewInverter(mixedCDF, 0, 1, &transform.InverterOptions{XTol: 1e-20})
	assert.ErrorContains(t, err, "XTol")
	_, err = transform.NewInverter(mixedCDF, 0, 1, &transform.InverterOptions{MaxIter: -1})
	assert.ErrorContains(t, err, "MaxIter")
	// A CDF that decreases only between the probe points is caught while
	// inverting.
	wiggle := func(x float64) float64 {
		v := 0.5 + 0.4*math.Tanh(x)
		if x > 0.1 && x < 0.2 {
			v -= 0.3
		}
		return v
	}
	inv, err := transform.NewInverter(wiggle, -10, 10, nil)
	require.NoError(t, err)
	var last error
	for _, u := range []float64{0.5, 0.53, 0.55, 0.56} {
		if _, e := inv.Quantile(u); e != nil {
			last = e
		}
	}
	require.Error(t, last)
	assert.Contains(t, last.Error(), "CDF decreases")
	_, err = inv.Quantile(1.5)
	assert.ErrorContains(t, err, "outside [0, 1]")
	// A CDF that never reaches u on an infinite support hits the bound.
	never, err := transform.NewInverter(func(x float64) float64 { return 0.25 + 0.5/(1+math.Exp(-x)) }, math.Inf(-1), math.Inf(1), nil)
	require.NoError(t, err)
	_, err = never.Quantile(0.9)
	assert.Error(t, err)
}

func TestDiscrete(t *testing.T) {
	w := []float64{1, 0, 3, 6}
	d, err := transform.NewDiscrete(w)
	require.NoError(t, err)
	assert.Equal(t, 4, d.Len())
	assert.InDelta(t, 0.6, d.Prob(3), 1e-15)
	const n = 200000
	x, err := sampler.Draw(d, sampler.NewRand(3), n)
	require.NoError(t, err)
	counts := make([]float64, 4)
	for _, v := range x {
		counts[int(v)]++
	}
	assert.Zero(t, counts[1], "zero weight drawn")
	// Pearson χ² with 2 degrees of freedom over the three non-zero cells:
	// P(χ²₂ > 30) = 3e-7.
	var chi2 float64
	for i, c := range counts {
		if e := n * w[i] / 10; e > 0 {
			chi2 += (c - e) * (c - e) / e
		}
	}
	assert.Less(t, chi2, 30.0)
	one, err := transform.NewDiscrete([]float64{5})
	require.NoError(t, err)
	y, _ := sampler.Draw(one, sampler.NewRand(1), 10)
	assert.Equal(t, make([]float64, 10), y)

	for _, c := range []struct {
		w    []float64
		want string
	}{
		{nil, "no weights"},
		{[]float64{1, -1}, "weight[1] = -1"},
		{[]float64{math.NaN()}, "weight[0] = NaN"},
		{[]float64{0, 0}, "sum to 0"},
		{[]float64{math.Inf(1)}, "weight[0] = +Inf"},
	} {
		_, err := transform.NewDiscrete(c.w)
		assert.ErrorContains(t, err, c.want)
	}
}

func TestBoxMuller(t *testing.T) {
	bm := transform.BoxMuller()
	assert.Equal(t, 2, bm.Dim())
	const n = 100000
	x, err := sampler.Draw(bm, sampler.NewRand(4), n)
	require.NoError(t, err)
	a, b := make([]float64, n), make([]float64, n)
	var sab float64
	for i := range n {
		a[i], b[i] = x[2*i], x[2*i+1]
		sab += a[i] * b[i]
	}
	// The pair is uncorrelated: sd of the mean product 1/√n; 6 sd.
	assert.InDelta(t, 0, sab/n, 6/math.Sqrt(n))
	assert.Less(t, ks(a, distuv.UnitNormal.CDF), 3.0)
	assert.Less(t, ks(b, distuv.UnitNormal.CDF), 3.0)
	dst := make([]float64, 512)
	rng := sampler.NewRand(1)
	assert.Zero(t, testing.AllocsPerRun(50, func() { _ = bm.Sample(rng, dst) }))
	assert.Panics(t, func() { _ = bm.Sample(rng, make([]float64, 3)) })
	assert.Panics(t, func() { transform.Map(nil, 1, nil) })
	assert.Panics(t, func() { transform.Map(bm, 0, func(dst, src []float64) {}) })
}

func FuzzDiscreteWeights(f *testing.F) {
	f.Add(1.0, 2.0, 3.0)
	f.Add(0.0, 0.0, 1e-300)
	f.Add(-1.0, 1.0, 1.0)
	f.Add(math.MaxFloat64, math.MaxFloat64, 1.0)
	f.Fuzz(func(t *testing.T, a, b, c float64) {
		d, err := transform.NewDiscrete([]float64{a, b, c})
		if err != nil {
			return
		}
		x, err := sampler.Draw(d, sampler.NewRand(1), 64)
		require.NoError(t, err)
		for _, v := range x {
			i := int(v)
			require.True(t, i >= 0 && i < 3 && d.Prob(i) > 0, "drew %v", v)
		}
	})
}

func FuzzInverter(f *testing.F) {
	f.Add(0.3, 0.5, 2.0)
	f.Add(0.0, 1e-9, 1.0)
	f.Add(1.0, 0.999, 1e3)
	f.Fuzz(func(t *testing.T, atom, u, scale float64) {
		if !(atom >= 0 && atom <= 1) || !(u >= 0 && u <= 1) || !(scale > 1e-6 && scale < 1e6) {
			return
		}
		cdf := func(x float64) float64 {
			if x < 0 {
				return 0
			}
			return atom + (1-atom)*(1-math.Exp(-x/scale))
		}
		inv, err := transform.NewInverter(cdf, math.Inf(-1), math.Inf(1), nil)
		require.NoError(t, err)
		x, err := inv.Quantile(u)
		if err != nil {
			return
		}
		require.False(t, math.IsNaN(x))
		if u > 0 && !math.IsInf(x, 0) {
			require.GreaterOrEqual(t, cdf(x), u*(1-1e-9)-1e-12, "F(Q(u)) < u")
		}
	})
}
