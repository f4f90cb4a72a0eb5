package transform_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
	"github.com/variate/variate/transform"
)

// spike is ½N(0, 1) + ½N(at, width²): a narrow component with half the
// mass beside the bulk.
func spike(t *testing.T, at, width float64) *target.Target {
	t.Helper()
	a, err := target.IsotropicNormal([]float64{0}, 1)
	require.NoError(t, err)
	b, err := target.IsotropicNormal([]float64{at}, width)
	require.NoError(t, err)
	m, err := target.Mixture("spike", []float64{1, 1}, []*target.Target{a, b})
	require.NoError(t, err)
	return m
}

// maxUError returns the largest |F(Q(u)) − u| against the exact CDF at n
// random uniforms and on a fine grid over the spike's share of u.
func maxUError(tb *transform.Table, cdf func(float64) float64, n int) float64 {
	rng := sampler.NewRand(8)
	var worst float64
	check := func(u float64) { worst = math.Max(worst, math.Abs(cdf(tb.Quantile(u))-u)) }
	for range n {
		check(rng.Float64())
	}
	for i := range 20001 {
		check(0.3 + 0.4*float64(i)/20000)
	}
	return worst
}

// A spike of width 1e-5 holding half the mass is invisible to the probes
// and the sweep: the table holds only the bulk, the documented limit. Named
// in TableOptions.Peaks, it is tabulated to the tolerance, its mass
// included, wherever it sits (in the bulk, at its edge, in its tail).
func TestTableNamedPeak(t *testing.T) {
	const tol = 1e-10
	for _, at := range []float64{5, 2.3, -0.3} {
		mix := spike(t, at, 1e-5)
		f := density(mix)
		blind, err := transform.NewTable(f, math.Inf(-1), math.Inf(1), nil)
		require.NoError(t, err)
		assert.InDelta(t, 0.5, blind.Area(), 0.01, "at %v: the unnamed spike is missed", at)

		tb, err := transform.NewTable(f, math.Inf(-1), math.Inf(1), &transform.TableOptions{Peaks: []float64{at}})
		require.NoError(t, err, "at %v", at)
		assert.InDelta(t, 1, tb.Area(), 1e-9, "at %v: mass", at)
		assert.LessOrEqual(t, maxUError(tb, mix.CDF, 100000), tol, "at %v", at)
		// The spike's own median is where half of its mass lies.
		u := mix.CDF(at)
		assert.InDelta(t, at, tb.Quantile(u), 1e-9, "at %v", at)
	}
}

// A density with a jump at 1 and one that is zero on a sub-interval:
// with the jump and the sub-interval's ends named as breaks, no
// polynomial straddles them and the u-error against the exact CDF stays
// within the tolerance.
func TestTableBreaks(t *testing.T) {
	const tol = 1e-10
	step := func(x float64) float64 {
		switch {
		case x < 0 || x > 2:
			return 0
		case x < 1:
			return 1
		}
		return 3
	}
	stepCDF := func(x float64) float64 { return min(1, max(0, min(x, 1)/4+3*max(0, x-1)/4)) }
	// e^x on [0, 1] and [3, 4], zero between.
	gap := func(x float64) float64 {
		if (x >= 0 && x <= 1) || (x >= 3 && x <= 4) {
			return math.Exp(x)
		}
		return 0
	}
	z := math.E - 1 + math.Exp(4) - math.Exp(3)
	gapCDF := func(x float64) float64 {
		switch {
		case x <= 0:
			return 0
		case x <= 1:
			return math.Expm1(x) / z
		case x <= 3:
			return (math.E - 1) / z
		case x <= 4:
			return (math.E - 1 + math.Exp(x) - math.Exp(3)) / z
		}
		return 1
	}
	for _, c := range []struct {
		name   string
		f, cdf func(float64) float64
		lo, hi float64
		breaks []float64
	}{
		{"jump", step, stepCDF, 0, 2, []float64{1}},
		{"jump, unbounded support", step, stepCDF, math.Inf(-1), math.Inf(1), []float64{0, 1, 2}},
		{"sub-intervals", gap, gapCDF, 0, 4, []float64{1, 3}},
	} {
		tb, err := transform.NewTable(c.f, c.lo, c.hi, &transform.TableOptions{Breaks: c.breaks})
		require.NoError(t, err, c.name)
		rng := sampler.NewRand(2)
		var worst float64
		for range 100000 {
			u := rng.Float64()
			worst = math.Max(worst, math.Abs(c.cdf(tb.Quantile(u))-u))
		}
		assert.LessOrEqual(t, worst, tol, c.name)
	}
	// The jump's quantile is the break itself, to the tolerance's width.
	tb, err := transform.NewTable(step, 0, 2, &transform.TableOptions{Breaks: []float64{1}})
	require.NoError(t, err)
	assert.InDelta(t, 1, tb.Quantile(0.25), 4*tol)
}

// Densities at extreme scales and far from 0 are found and tabulated to
// the tolerance without a Center: the probes go through every binary
// scale when the usual ones see nothing, and the interval floor follows
// the domain's width. The u-error is measured against the exact CDF.
func TestTableExtremeScales(t *testing.T) {
	const tol = 1e-10
	inf := math.Inf(1)
	norm := func(m, s float64) (func(float64) float64, func(float64) float64) {
		return func(x float64) float64 { r := (x - m) / s; return math.Exp(-r * r / 2) },
			func(x float64) float64 { return 0.5 * math.Erfc(-(x-m)/s/math.Sqrt2) }
	}
	type tc struct {
		name   string
		f, cdf func(float64) float64
		lo, hi float64
	}
	var cases []tc
	for _, ms := range [][2]float64{{0, 1e-12}, {0, 1e-200}, {0, 1e-300}, {1e300, 1e299}, {0, 1e300}} {
		f, cdf := norm(ms[0], ms[1])
		cases = append(cases, tc{fmt.Sprintf("N(%g, %g²)", ms[0], ms[1]), f, cdf, -inf, inf})
	}
	cases = append(cases, tc{"1e300 + Exp(scale 1e300)",
		func(x float64) float64 { return math.Exp(-(x - 1e300) / 1e300) },
		func(x float64) float64 { return -math.Expm1(-max(0, x-1e300) / 1e300) }, 1e300, inf})
	cases = append(cases, tc{"uniform on [0, 1e-300]",
		func(float64) float64 { return 1 },
		func(x float64) float64 { return min(1, max(0, x/1e-300)) }, 0, 1e-300})
	for _, c := range cases {
		tb, err := transform.NewTable(c.f, c.lo, c.hi, nil)
		require.NoError(t, err, c.name)
		rng := sampler.NewRand(4)
		var worst float64
		for range 20000 {
			u := rng.Float64()
			worst = math.Max(worst, math.Abs(c.cdf(tb.Quantile(u))-u))
		}
		assert.LessOrEqual(t, worst, tol, c.name)
	}
}

// A named peak or break anywhere (even where the density has nothing
// special) must give an error or a table within its tolerance against
// the exact CDF.
func FuzzTableKnownPoints(f *testing.F) {
	f.Add(0.5, 1.0)
	f.Add(-3.0, 0.0)
	f.Add(40.0, -40.0)
	f.Add(1e-300, 1e300)
	cdf := target.Normal().CDF
	normal := func(x float64) float64 { return math.Exp(-x * x / 2) }
	f.Fuzz(func(t *testing.T, peak, brk float64) {
		tb, err := transform.NewTable(normal, math.Inf(-1), math.Inf(1), &transform.TableOptions{
			UTol: 1e-8, Peaks: []float64{peak}, Breaks: []float64{brk}})
		if err != nil {
			assert.Contains(t, err.Error(), "transform: ")
			return
		}
		rng := sampler.NewRand(1)
		for range 2000 {
			u := rng.Float64()
			require.LessOrEqual(t, math.Abs(cdf(tb.Quantile(u))-u), 1e-8, "u=%v", u)
		}
	})
}
