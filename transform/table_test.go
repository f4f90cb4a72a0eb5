package transform_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
	"github.com/variate/variate/transform"
)

func oneD() []*target.Target {
	var out []*target.Target
	for _, t := range target.Catalog() {
		if t.Dim == 1 {
			out = append(out, t)
		}
	}
	return out
}

func density(t *target.Target) func(float64) float64 {
	return func(x float64) float64 { return math.Exp(t.LogDensity1D(x)) }
}

// exactCDF returns the target's CDF, except for the Student t: gonum's
// StudentsT.CDF is off by up to 4e-9 within 1e-7 of the median, so there
// the closed form for ν = 3 is used, F(t) = 1/2 + (s/(1+s²) + atan s)/π
// with s = t/√3.
func exactCDF(tg *target.Target) func(float64) float64 {
	if tg.Name != "student-t" {
		return tg.CDF
	}
	return func(x float64) float64 {
		s := x / math.Sqrt(3)
		return 0.5 + (s/(1+s*s)+math.Atan(s))/math.Pi
	}
}

func newTable(t *testing.T, tg *target.Target, tol float64) *transform.Table {
	t.Helper()
	tb, err := transform.NewTable(density(tg), tg.Lo, tg.Hi, &transform.TableOptions{UTol: tol})
	require.NoError(t, err, tg.Name)
	return tb
}

// The u-error |F(Q(u)) − u| against each target's exact CDF stays within
// the tolerance at 10^6 uniform points and at points near 0 and 1.
func TestTableUErrorAgainstExactCDF(t *testing.T) {
	n := 1000000
	if testing.Short() {
		n = 50000
	}
	const tol = 1e-10
	for _, tg := range oneD() {
		tb := newTable(t, tg, tol)
		cdf := exactCDF(tg)
		rng := sampler.NewRand(3)
		var worst, worstU float64
		check := func(u float64) {
			if e := math.Abs(cdf(tb.Quantile(u)) - u); e > worst {
				worst, worstU = e, u
			}
		}
		for range n {
			check(rng.Float64())
		}
		for _, u := range []float64{0, 1e-15, 1e-12, 1e-10, 1e-8, 1e-5, 0.5, 1 - 1e-5, 1 - 1e-8, 1 - 1e-10, 1 - 1e-12, 1} {
			check(u)
		}
		assert.LessOrEqual(t, worst, tol, "%s: u-error %.3g at u=%v (%d intervals)", tg.Name, worst, worstU, tb.Intervals())
		// The table's own measure: at the same uniforms, the largest and
		// the mean |F(Q(u)) − u| through the table's CDF, within the
		// tolerance and not zero (a measure that sees nothing).
		mx, mean := tb.UError(sampler.NewRand(4), 2000)
		rng = sampler.NewRand(4)
		var wantMax, wantMean float64
		for range 2000 {
			u := rng.Float64()
			e := math.Abs(tb.CDF(tb.Quantile(u)) - u)
			wantMax = math.Max(wantMax, e)
			wantMean += e / 2000
		}
		assert.Equal(t, wantMax, mx, tg.Name)
		assert.InDelta(t, wantMean, mean, 1e-12*wantMean, tg.Name)
		assert.LessOrEqual(t, mx, tol, tg.Name)
		assert.Greater(t, mean, 0.0, tg.Name)
	}
}

// KS at n = 10^6: √n·D < 3 fails by chance with probability below 3e-8
// per target (Massart's DKW bound); the table's u-error of 1e-10 moves D
// by at most 1e-10.
func TestTableKS(t *testing.T) {
	n := 1000000
	if testing.Short() {
		n = 20000
	}
	for _, tg := range oneD() {
		tb := newTable(t, tg, 0)
		x, err := sampler.Draw(tb, sampler.NewRand(7), n)
		require.NoError(t, err)
		slices.Sort(x)
		cdf := exactCDF(tg)
		var d float64
		for i, v := range x {
			f := cdf(v)
			d = math.Max(d, math.Max(f-float64(i)/float64(n), float64(i+1)/float64(n)-f))
		}
		assert.Less(t, math.Sqrt(float64(n))*d, 3.0, "%s: D = %g", tg.Name, d)
	}
}

func TestTableTolerances(t *testing.T) {
	tg := target.Normal()
	prev := 0
	for _, tol := range []float64{1e-4, 1e-8, 1e-12, 1e-14} {
		tb := newTable(t, tg, tol)
		rng := sampler.NewRand(5)
		var worst float64
		for range 20000 {
			u := rng.Float64()
			worst = math.Max(worst, math.Abs(tg.CDF(tb.Quantile(u))-u))
		}
		// At 1e-14 the exact CDF itself is accurate to a few 1e-16.
		assert.LessOrEqual(t, worst, tol, "tol %g", tol)
		assert.Greater(t, tb.Intervals(), prev, "tighter tolerance needs more intervals")
		prev = tb.Intervals()
	}
}

// A density with a kink (Laplace) and one with a zero-density gap between
// two triangles (kinks at every corner) still meet the tolerance.
func TestTableKinksAndGaps(t *testing.T) {
	laplace := func(x float64) float64 { return math.Exp(-math.Abs(x - 0.3)) }
	lcdf := func(x float64) float64 {
		if x < 0.3 {
			return 0.5 * math.Exp(x-0.3)
		}
		return 1 - 0.5*math.Exp(0.3-x)
	}
	tri := func(x, c float64) float64 { return math.Max(0, 1-math.Abs(x-c)) }
	triCDF := func(x, c float64) float64 {
		switch d := x - c; {
		case d <= -1:
			return 0
		case d <= 0:
			return (1 + d) * (1 + d) / 2
		case d <= 1:
			return 1 - (1-d)*(1-d)/2
		}
		return 1
	}
	gap := func(x float64) float64 { return tri(x, 0) + tri(x, 4) }
	gcdf := func(x float64) float64 { return (triCDF(x, 0) + triCDF(x, 4)) / 2 }
	for _, c := range []struct {
		name   string
		f, cdf func(float64) float64
		lo, hi float64
	}{
		{"laplace", laplace, lcdf, math.Inf(-1), math.Inf(1)},
		{"gap", gap, gcdf, -2, 6},
		{"gap unbounded", gap, gcdf, math.Inf(-1), math.Inf(1)},
	} {
		tb, err := transform.NewTable(c.f, c.lo, c.hi, nil)
		require.NoError(t, err, c.name)
		rng := sampler.NewRand(1)
		var worst float64
		for range 100000 {
			u := rng.Float64()
			worst = math.Max(worst, math.Abs(c.cdf(tb.Quantile(u))-u))
		}
		assert.LessOrEqual(t, worst, 1e-10, c.name)
	}
}

func TestTableBadInput(t *testing.T) {
	inf := math.Inf(1)
	cases := []struct {
		name   string
		f      func(float64) float64
		lo, hi float64
		opts   *transform.TableOptions
		want   string
	}{
		{"negative", func(x float64) float64 { return x }, -1, 1, nil, "density is negative at x=-"},
		{"nan", func(x float64) float64 {
			if x > 0.5 {
				return math.NaN()
			}
			return 1
		}, 0, 1, nil, "density is NaN at x=0.5"},
		{"inf", func(x float64) float64 {
			if x > 0.7 {
				return inf
			}
			return 1
		}, 0, 1, nil, "density is infinite at x=0.7"},
		{"zero", func(float64) float64 { return 0 }, -inf, inf, nil, "density is zero at every probe point"},
		{"not integrable", func(x float64) float64 { return 1 / (1 + math.Abs(x)) }, -inf, inf, nil, "does not vanish"},
		{"empty support", math.Exp, 1, 1, nil, "support [1, 1] is empty"},
		{"nan support", math.Exp, math.NaN(), 1, nil, "is empty"},
		{"tolerance low", math.Exp, 0, 1, &transform.TableOptions{UTol: 1e-15}, "u-tolerance 1e-15 out of range"},
		{"tolerance high", math.Exp, 0, 1, &transform.TableOptions{UTol: 0.01}, "out of range"},
		{"budget", func(x float64) float64 { return math.Exp(-x * x) }, -inf, inf, &transform.TableOptions{MaxEvaluations: 500}, "evaluation budget of 500 exhausted"},
		{"center outside", math.Exp, 0, 1, &transform.TableOptions{Center: 3, CenterSet: true}, "center 3 outside"},
		{"center zero density", func(x float64) float64 { return math.Max(0, x) }, -1, 1, &transform.TableOptions{Center: -0.5, CenterSet: true}, "density is zero at the given center"},
		// An integrable pole: at a probe point, infinite; between probes,
		// no polynomial reaches the tolerance next to it.
		{"pole at a probe", func(x float64) float64 { return 1 / math.Sqrt(math.Abs(x-0.5)) }, 0, 1, nil, "density is infinite at x=0.5"},
		{"pole between probes", func(x float64) float64 { return 1 / math.Sqrt(math.Abs(x-0.3)) }, 0, 1, nil, "cannot reach the u-tolerance near x=0.29999"},
	}
	for _, c := range cases {
		_, err := transform.NewTable(c.f, c.lo, c.hi, c.opts)
		require.Error(t, err, c.name)
		assert.Contains(t, err.Error(), "transform: ", c.name)
		assert.Contains(t, err.Error(), c.want, c.name)
	}
	_, err := transform.NewTable(nil, 0, 1, nil)
	assert.ErrorContains(t, err, "nil density")
}

func TestTableAccessorsAndCDF(t *testing.T) {
	tb := newTable(t, target.Normal(), 0)
	lo, hi := tb.Domain()
	assert.Less(t, lo, -6.0)
	assert.Greater(t, hi, 6.0)
	assert.InDelta(t, math.Sqrt(2*math.Pi), tb.Area(), 1e-9)
	// A guard on the setup cost of the standard normal (4,047
	// evaluations; ExampleTable_Evaluations prints it).
	assert.Greater(t, tb.Evaluations(), 3000)
	assert.LessOrEqual(t, tb.Evaluations(), 4100)
	assert.Equal(t, 0.0, tb.CDF(lo-1))
	assert.Equal(t, 1.0, tb.CDF(hi+1))
	assert.InDelta(t, 0.5, tb.CDF(0), 1e-12)
	assert.InDelta(t, 0.0, tb.Quantile(0.5), 1e-9)
	assert.Equal(t, tb.Quantile(0), tb.Quantile(-1))
	assert.Equal(t, 1, tb.Dim())
}

// NewTable never calls the density more often than MaxEvaluations: a
// budget one short of what a target needs is an error, the exact need
// builds the same table, and Evaluations counts every call.
func TestTableEvaluationBudget(t *testing.T) {
	for _, tg := range oneD() {
		calls := 0
		f := func(x float64) float64 { calls++; return math.Exp(tg.LogDensity1D(x)) }
		full, err := transform.NewTable(f, tg.Lo, tg.Hi, nil)
		require.NoError(t, err)
		need := calls
		assert.Equal(t, need, full.Evaluations(), tg.Name)
		for _, budget := range []int{1, 60, need / 2, need - 1, need} {
			calls = 0
			tb, err := transform.NewTable(f, tg.Lo, tg.Hi, &transform.TableOptions{MaxEvaluations: budget})
			assert.LessOrEqual(t, calls, budget, "%s budget %d", tg.Name, budget)
			if budget < need {
				assert.ErrorContains(t, err, fmt.Sprintf("density evaluation budget of %d exhausted", budget), tg.Name)
				continue
			}
			require.NoError(t, err, tg.Name)
			assert.Equal(t, need, tb.Evaluations(), tg.Name)
			assert.Equal(t, full.Quantile(0.3), tb.Quantile(0.3), tg.Name)
		}
	}
}

func TestTableSameSeedSameBitsNoAllocs(t *testing.T) {
	tb := newTable(t, target.Gamma(), 0)
	a, _ := sampler.Draw(tb, sampler.NewRand(9), 5000)
	b, _ := sampler.Draw(tb, sampler.NewRand(9), 5000)
	assert.Equal(t, a, b)
	dst := make([]float64, 1000)
	rng := sampler.NewRand(1)
	assert.Zero(t, testing.AllocsPerRun(50, func() { _ = tb.Sample(rng, dst) }))
}

// Sample finds its interval through the guide table with a single
// branch-free step; Quantile searches from the guide entry. Fed the same
// 53 bits they compute the same u, so they must agree bit for bit: a
// guide cell that fails to flag a second interval end shows up here.
func TestTableSampleMatchesQuantile(t *testing.T) {
	for _, tg := range oneD() {
		for _, tol := range []float64{1e-10, 1e-6} {
			tb := newTable(t, tg, tol)
			const n = 100000
			x, err := sampler.Draw(tb, sampler.NewRand(11), n)
			require.NoError(t, err)
			rng := sampler.NewRand(11)
			bad := 0
			for i := range n {
				p := float64(rng.Uint64()>>11) * 0x1p-53
				if q := tb.Quantile(p); q != x[i] {
					if bad++; bad <= 3 {
						t.Errorf("%s tol %g: Sample %v, Quantile(%v) %v", tg.Name, tol, x[i], p, q)
					}
				}
			}
			assert.Zero(t, bad, "%s tol %g", tg.Name, tol)
		}
	}
}

// Random two-component normal mixtures with scales in [0.1, 20] and
// means within 20 of 0: NewTable either fails with an error or meets its
// tolerance against the exact mixture CDF. (No method that only evaluates
// a density can see a spike that none of its evaluations hit; a narrow
// component far from the center needs TableOptions.Center.)
func FuzzTableMixture(f *testing.F) {
	f.Add(0.3, -2.0, 0.5, 2.0, 1.0)
	f.Add(0.5, 0.0, 0.1, 0.0, 20.0)
	f.Add(0.01, -20.0, 0.1, 20.0, 0.1)
	f.Add(1.0, 0.0, 1.0, 0.0, 1.0)
	f.Add(-1.0, 0.0, 1.0, 0.0, 1.0)
	f.Fuzz(func(t *testing.T, w, m1, s1, m2, s2 float64) {
		if !(w >= 0 && w <= 1) || !(s1 >= 0.1 && s1 <= 20) || !(s2 >= 0.1 && s2 <= 20) ||
			!(math.Abs(m1) <= 20 && math.Abs(m2) <= 20) {
			return
		}
		a, _ := target.IsotropicNormal([]float64{m1}, s1)
		b, _ := target.IsotropicNormal([]float64{m2}, s2)
		mix, err := target.Mixture("m", []float64{w, 1 - w}, []*target.Target{a, b})
		if err != nil {
			return
		}
		tb, err := transform.NewTable(density(mix), math.Inf(-1), math.Inf(1), &transform.TableOptions{UTol: 1e-8})
		if err != nil {
			assert.Contains(t, err.Error(), "transform: ")
			return
		}
		rng := sampler.NewRand(1)
		for range 2000 {
			u := rng.Float64()
			require.LessOrEqual(t, math.Abs(mix.CDF(tb.Quantile(u))-u), 1e-8, "u=%v", u)
		}
	})
}
