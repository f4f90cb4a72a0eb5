package target_test

import (
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

var seeds = []uint64{1, 2, 3}

func TestCatalogOrderAndLookup(t *testing.T) {
	want := []string{"normal", "exponential", "gamma", "beta", "student-t", "bimodal", "tail",
		"doublewell", "gauss2", "banana", "ring", "grid", "funnel"}
	assert.Equal(t, want, target.Names())
	dims := map[string]int{"gauss2": 2, "banana": 2, "ring": 2, "grid": 2, "funnel": 10}
	for i, tg := range target.Catalog() {
		assert.Equal(t, want[i], tg.Name)
		d := dims[tg.Name]
		if d == 0 {
			d = 1
		}
		assert.Equal(t, d, tg.Dim, tg.Name)
		require.NotNil(t, tg.LogDensity, tg.Name)
		require.NotNil(t, tg.Exact, tg.Name)
		assert.Equal(t, tg.Dim, tg.Exact.Dim(), tg.Name)
		assert.Equal(t, tg.Dim == 1, tg.LogDensity1D != nil, tg.Name)
		got, err := target.ByName(tg.Name)
		require.NoError(t, err)
		assert.Equal(t, tg.Name, got.Name)
	}
	_, err := target.ByName("gausian")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown target "gausian"`)
	assert.Contains(t, err.Error(), "normal, exponential")
}

// oneD are the 1-D catalogue targets; every one has a CDF.
func oneD(t *testing.T) []*target.Target {
	t.Helper()
	var out []*target.Target
	for _, tg := range target.Catalog() {
		if tg.Dim == 1 {
			require.NotNil(t, tg.CDF, tg.Name)
			out = append(out, tg)
		}
	}
	require.Len(t, out, 8)
	return out
}

// integrate returns ∫_a^b exp(logp − logZ) with 1000-point Gauss–Legendre
// on 50 panels: far more than these smooth densities need for 1e-12.
func integrate(tg *target.Target, a, b float64) float64 {
	const panels = 50
	h := (b - a) / panels
	var s float64
	for k := range panels {
		lo := a + float64(k)*h
		s += quad.Fixed(func(x float64) float64 {
			return math.Exp(tg.LogDensity1D(x) - tg.LogZ)
		}, lo, lo+h, 40, quad.Legendre{}, 0)
	}
	return s
}

// grid1D returns points spanning the bulk of a 1-D target.
func grid1D(tg *target.Target) []float64 {
	lo, hi := math.Max(tg.Lo, -8), math.Min(tg.Hi, 12)
	if tg.Name == "tail" {
		hi = 8
	}
	var xs []float64
	for i := range 41 {
		xs = append(xs, lo+(hi-lo)*float64(i)/40)
	}
	return xs
}

// Property: the normalised density integrates to the CDF's increments.
func TestDensityMatchesCDF(t *testing.T) {
	for _, tg := range oneD(t) {
		xs := grid1D(tg)
		for i := 1; i < len(xs); i++ {
			a, b := xs[i-1], xs[i]
			got := integrate(tg, a, b)
			want := tg.CDF(b) - tg.CDF(a)
			assert.InDelta(t, want, got, 1e-10, "%s on [%g, %g]", tg.Name, a, b)
		}
	}
}

// Property: quantile and CDF are inverse to each other, to what double
// precision allows. CDF(Q(p)) may differ from p by 1e-9 relative (to p or
// 1 − p, whichever is smaller) plus the CDF's step between neighbouring
// floating-point x, f(x)·ulp(x), plus the spacing of doubles at p. A
// quantile that is wrong in a far tail (gonum's gamma quantile below
// p = 1e-45 returns points of CDF 0) fails, as does one off by a relative
// 1e-8 anywhere.
func TestQuantileRoundTrip(t *testing.T) {
	ps := []float64{1e-300, 1e-100, 1e-45, 1e-10, 1e-6, 0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999, 1 - 1e-9, 1 - 1e-15}
	checked := 0
	for _, tg := range oneD(t) {
		if tg.Quantile == nil {
			continue
		}
		checked++
		for _, p := range ps {
			x := tg.Quantile(p)
			require.False(t, math.IsNaN(x), "%s: Q(%g) is NaN", tg.Name, p)
			f := math.Exp(tg.LogDensity1D(x) - tg.LogZ)
			tol := 1e-9*math.Min(p, 1-p) + 2*f*ulp(x) + 2*ulp(p)
			assert.InDelta(t, p, tg.CDF(x), tol, "%s: CDF(Q(%g)), Q = %v", tg.Name, p, x)
		}
		// Q(F(x)) = x to 1e-9 relative to the spread of x that F(x)'s own
		// rounding allows.
		for _, x := range grid1D(tg) {
			c := tg.CDF(x)
			if c == 0 || c == 1 {
				continue
			}
			f := math.Exp(tg.LogDensity1D(x) - tg.LogZ)
			tol := 1e-9*(1+math.Abs(x)) + 4e-16/f
			assert.InDelta(t, x, tg.Quantile(c), tol, "%s: Q(CDF(%g))", tg.Name, x)
		}
	}
	// Bimodal and doublewell have no closed-form quantile; transform
	// inverts their CDFs.
	assert.Equal(t, 6, checked)
}

func ulp(x float64) float64 { return math.Nextafter(math.Abs(x), math.Inf(1)) - math.Abs(x) }

func TestTailFarOut(t *testing.T) {
	tg := target.Tail()
	// Far in the tail the CDF approaches 1 without NaN or overshoot, and
	// the quantile inverts the survival function without cancellation.
	prev := -1.0
	for _, x := range []float64{3, 3 + 1e-12, 3.5, 5, 10, 20, 37, 1e10, math.Inf(1)} {
		c := tg.CDF(x)
		sf := 1 - c
		want := 0.5 * math.Erfc(x/math.Sqrt2) / (0.5 * math.Erfc(3/math.Sqrt2))
		assert.InDelta(t, want, sf, 1e-15, "x = %g", x)
		assert.True(t, c >= prev && c <= 1, "CDF(%g) = %v after %v", x, c, prev)
		prev = c
		assert.False(t, math.IsNaN(tg.LogDensity1D(x)), "log density at %g", x)
	}
	assert.Equal(t, -0.5*37*37, tg.LogDensity1D(37))
	for _, p := range []float64{0.5, 0.999, 1 - 1e-12, 1 - 1e-16} {
		x := tg.Quantile(p)
		assert.False(t, math.IsNaN(x) || math.IsInf(x, 0), "Q(%g) = %v", p, x)
		assert.Greater(t, x, 3.0)
	}
	// Q(1 − 1e-12): Φ̄(x) = Φ̄(3)·1e-12, x ≈ 7.65 (checked with the
	// asymptotic series for Mills' ratio).
	x := tg.Quantile(1 - 1e-12)
	assert.InDelta(t, 1e-12, 0.5*math.Erfc(x/math.Sqrt2)/(0.5*math.Erfc(3/math.Sqrt2)), 1e-15)
	assert.Equal(t, 3.0, tg.Quantile(0))
	assert.True(t, math.IsInf(tg.Quantile(1), 1))
}

func TestNormalisingConstants(t *testing.T) {
	for _, tg := range oneD(t) {
		lo, hi := math.Max(tg.Lo, -60), math.Min(tg.Hi, 60)
		var total float64
		switch tg.Name {
		case "student-t":
			// The t3 tail beyond ±60 has mass 2·(1 − F(60)).
			total = integrate(tg, lo, hi) + 2*(1-tg.CDF(60))
		default:
			total = integrate(tg, lo, hi)
		}
		assert.InDelta(t, 1, total, 1e-9, tg.Name)
	}
	// 2-D targets: a tensor Gauss–Legendre rule over a box holding all
	// but a negligible mass.
	names := []string{"gauss2", "banana", "ring", "grid"}
	if testing.Short() {
		names = names[:2]
	}
	for _, name := range names {
		tg, _ := target.ByName(name)
		box := map[string][4]float64{
			"gauss2": {-9, 9, -9, 9}, "banana": {-70, 70, -60, 550},
			"ring": {-1.2, 1.2, -1.2, 1.2}, "grid": {-5, 5, -5, 5},
		}[name]
		panels := map[string]int{"gauss2": 30, "banana": 120, "ring": 240, "grid": 200}[name]
		got := integrate2(tg, box, panels)
		assert.InDelta(t, 1, got, 1e-8, name)
	}
}

func integrate2(tg *target.Target, box [4]float64, panels int) float64 {
	const nodes = 12
	xs, ws := make([]float64, nodes), make([]float64, nodes)
	quad.Legendre{}.FixedLocations(xs, ws, -1, 1)
	hx, hy := (box[1]-box[0])/float64(panels), (box[3]-box[2])/float64(panels)
	var s float64
	p := make([]float64, 2)
	for i := range panels {
		cx := box[0] + (float64(i)+0.5)*hx
		for j := range panels {
			cy := box[2] + (float64(j)+0.5)*hy
			for a, u := range xs {
				p[0] = cx + hx/2*u
				for b, v := range xs {
					p[1] = cy + hy/2*v
					s += ws[a] * ws[b] * math.Exp(tg.LogDensity(p)-tg.LogZ)
				}
			}
		}
	}
	return s * hx * hy / 4
}

// ksStat is the one-sample Kolmogorov–Smirnov statistic; sorts x.
func ksStat(x []float64, cdf func(float64) float64) float64 {
	slices.Sort(x)
	n := float64(len(x))
	var d float64
	for i, v := range x {
		f := cdf(v)
		d = math.Max(d, math.Max(f-float64(i)/n, float64(i+1)/n-f))
	}
	return d
}

// ksBound is the threshold on √n·D. Under the null P(√n·D > 3) ≤
// 2·exp(−18) ≈ 3.05e-8 (Dvoretzky–Kiefer–Wolfowitz with Massart's
// constant), so a test making at most 32 such checks fails by chance with
// probability below 1e-6. A wrong parameter (gamma shape 2.4 instead of
// 2.5) gives √n·D ≈ 8 at n = 1e5.
const ksBound = 3.0

// 8 targets × 3 seeds = 24 KS checks: false failure below 7.4e-7.
func TestExactSamplersKS(t *testing.T) {
	n := 100000
	if testing.Short() {
		n = 20000
	}
	for _, tg := range oneD(t) {
		for _, seed := range seeds {
			x, err := sampler.Draw(tg.Exact, sampler.NewRand(seed), n)
			require.NoError(t, err)
			d := ksStat(x, tg.CDF)
			assert.Less(t, math.Sqrt(float64(n))*d, ksBound, "%s seed %d: D = %g", tg.Name, seed, d)
		}
	}
}

// Each multivariate target is a known transformation of independent
// standard normals; undoing it must give N(0, 1) coordinates, every one
// of them. 14 KS checks (3.05e-8 each) and 3 correlation checks (2e-9
// each): false failure below 4.3e-7.
func TestExactSamplersWhitened(t *testing.T) {
	n := 100000
	if testing.Short() {
		n = 20000
	}
	whiten := map[string]func(x []float64, out []float64) []float64{
		"gauss2": func(x, out []float64) []float64 {
			return append(out, x[0], (x[1]-0.9*x[0])/math.Sqrt(0.19))
		},
		"banana": func(x, out []float64) []float64 {
			return append(out, x[0]/10, x[1]-0.1*(x[0]*x[0]-100))
		},
		"funnel": func(x, out []float64) []float64 {
			out = append(out, x[0]/3)
			for _, xi := range x[1:] {
				out = append(out, xi*math.Exp(-x[0]/2))
			}
			return out
		},
	}
	for name, w := range whiten {
		tg, _ := target.ByName(name)
		x, err := sampler.Draw(tg.Exact, sampler.NewRand(11), n)
		require.NoError(t, err)
		cols := make([][]float64, tg.Dim)
		var buf []float64
		for i := 0; i < len(x); i += tg.Dim {
			buf = w(x[i:i+tg.Dim], buf[:0])
			for j, z := range buf {
				cols[j] = append(cols[j], z)
			}
		}
		// Independence of the whitened coordinates: correlation within
		// 6/√n (false failure 2e-9). Before the KS check, which sorts.
		assert.InDelta(t, 0, stat.Correlation(cols[0], cols[1], nil), 6/math.Sqrt(float64(n)), name)
		for j := range cols {
			d := ksStat(cols[j], distuv.UnitNormal.CDF)
			assert.Less(t, math.Sqrt(float64(n))*d, ksBound, "%s coordinate %d", name, j)
		}
	}
}

// Mixtures of well-separated modes: every draw lies near its nearest mode,
// both coordinates of the residual over σ are N(0, 1), and the mode counts
// are multinomial. 4 KS checks (3.05e-8 each) and 2 χ² checks (1e-7 each):
// false failure below 3.3e-7.
func TestExactMixturesOfModes(t *testing.T) {
	for _, name := range []string{"ring", "grid"} {
		tg, _ := target.ByName(name)
		n := 50000
		x, err := sampler.Draw(tg.Exact, sampler.NewRand(5), n)
		require.NoError(t, err)
		k := len(tg.Modes)
		counts := make([]float64, k)
		var resid, resid2 []float64
		for i := 0; i < len(x); i += 2 {
			best, bd := 0, math.Inf(1)
			for j, m := range tg.Modes {
				d := math.Hypot(x[i]-m.Centre[0], x[i+1]-m.Centre[1])
				if d < bd {
					best, bd = j, d
				}
			}
			counts[best]++
			s := tg.Modes[best].Sigma
			resid = append(resid, (x[i]-tg.Modes[best].Centre[0])/s)
			resid2 = append(resid2, (x[i+1]-tg.Modes[best].Centre[1])/s)
		}
		for _, r := range [][]float64{resid, resid2} {
			d := ksStat(r, distuv.UnitNormal.CDF)
			assert.Less(t, math.Sqrt(float64(n))*d, ksBound, name)
		}
		// Pearson χ² with k−1 degrees of freedom, asymptotically χ²(k−1):
		// P(χ²(7) > 46.9) = 5.8e-8 and P(χ²(24) > 78.7) = 9.8e-8.
		var chi2 float64
		for _, c := range counts {
			e := float64(n) / float64(k)
			chi2 += (c - e) * (c - e) / e
		}
		limit := map[string]float64{"ring": 46.9, "grid": 78.7}[name]
		assert.Less(t, chi2, limit, name)
	}
}

// Means and variances against closed forms. The bound is 6 standard
// errors, not 4: a 4-SE check fails by chance with probability 6e-5, and
// the suite's false-failure budget is 1e-6 (6 SE: 2e-9 each).
func TestMoments(t *testing.T) {
	const z = 6.0
	n := 200000
	if testing.Short() {
		n = 40000
	}
	// Fourth central moments over σ⁴ (kurtosis) for the variance's SE.
	kurt := map[string]float64{"gamma": 3 + 6/2.5, "beta": 3 - 0.12, "normal": 3, "exponential": 9}
	for _, name := range []string{"normal", "exponential", "gamma", "beta"} {
		tg, _ := target.ByName(name)
		x, err := sampler.Draw(tg.Exact, sampler.NewRand(21), n)
		require.NoError(t, err)
		m, v := stat.MeanVariance(x, nil)
		sd := math.Sqrt(tg.Var[0])
		assert.InDelta(t, tg.Mean[0], m, z*sd/math.Sqrt(float64(n)), "%s mean", name)
		seVar := tg.Var[0] * math.Sqrt((kurt[name]-1)/float64(n))
		assert.InDelta(t, tg.Var[0], v, z*seVar, "%s variance", name)
	}
	// Student-t ν = 3 has an infinite fourth moment, so the sample
	// variance has no standard error. Check instead the second moment
	// truncated at 5, E[min(X², 25)], whose value is the integral below
	// and whose estimator is bounded, so the CLT bound is valid.
	tt := target.StudentT()
	x, err := sampler.Draw(tt.Exact, sampler.NewRand(22), n)
	require.NoError(t, err)
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = math.Min(v*v, 25)
	}
	want := 2 * quad.Fixed(func(u float64) float64 {
		return math.Min(u*u, 25) * math.Exp(tt.LogDensity1D(u)-tt.LogZ)
	}, 0, math.Inf(1), 2000, nil, 0)
	m, v := stat.MeanVariance(y, nil)
	assert.InDelta(t, want, m, z*math.Sqrt(v/float64(n)), "student-t truncated second moment")
	assert.InDelta(t, 0, stat.Mean(x, nil), z*math.Sqrt(3/float64(n)), "student-t mean")

	// banana: x1 ~ N(0, 100); x2 has variance 201 and a skewed
	// distribution with finite fourth moment.
	b := target.Banana()
	x, err = sampler.Draw(b.Exact, sampler.NewRand(23), n)
	require.NoError(t, err)
	x1, x2 := column(x, 2, 0), column(x, 2, 1)
	m1, v1 := stat.MeanVariance(x1, nil)
	m2, v2 := stat.MeanVariance(x2, nil)
	assert.InDelta(t, 0, m1, z*10/math.Sqrt(float64(n)))
	assert.InDelta(t, 0, m2, z*math.Sqrt(201/float64(n)))
	assert.InDelta(t, 100, v1, z*100*math.Sqrt(2/float64(n)))
	// x2 = y + 0.1(x1² − 100): E[(x2)^4] = 3 + 6·200 + 0.0001·E[(x1²−100)^4]
	// where x1² − 100 = 100(χ²₁ − 1), E[(χ²₁ − 1)^4] = 60.
	m4 := 3.0 + 6*200 + 1e-4*1e8*60
	assert.InDelta(t, 201, v2, z*math.Sqrt((m4-201*201)/float64(n)))
	assert.Equal(t, []float64{0, 0}, b.Mean)
	assert.Equal(t, []float64{100, 201}, b.Var)

	// funnel: v ~ N(0, 9) directly; x_i has a scale-mixture law whose
	// kurtosis is 3e^9, so its sample variance has no usable standard
	// error. Var(x_i) = E[e^v] = e^{4.5} is checked here as a closed form
	// and the law of x_i through x_i·e^{−v/2} ~ N(0, 1), whose mean and
	// variance TestExactSamplersMultiD checks and whose distribution
	// TestExactSamplersWhitened checks.
	f := target.Funnel()
	x, err = sampler.Draw(f.Exact, sampler.NewRand(24), n)
	require.NoError(t, err)
	mv, vv := stat.MeanVariance(column(x, 10, 0), nil)
	assert.InDelta(t, 0, mv, z*3/math.Sqrt(float64(n)))
	assert.InDelta(t, 9, vv, z*9*math.Sqrt(2/float64(n)))
	assert.InDelta(t, math.Exp(4.5), f.Var[3], 1e-12)
}

func column(x []float64, dim, j int) []float64 {
	out := make([]float64, 0, len(x)/dim)
	for i := j; i < len(x); i += dim {
		out = append(out, x[i])
	}
	return out
}

func TestSameSeedSameBits(t *testing.T) {
	for _, tg := range target.Catalog() {
		a, err := sampler.Draw(tg.Exact, sampler.NewRand(77), 1000)
		require.NoError(t, err)
		b, err := sampler.Draw(tg.Exact, sampler.NewRand(77), 1000)
		require.NoError(t, err)
		assert.Equal(t, a, b, tg.Name)
		for _, v := range a {
			require.False(t, math.IsNaN(v) || math.IsInf(v, 0), tg.Name)
		}
	}
}

func TestExactSamplersAllocateNothing(t *testing.T) {
	for _, tg := range target.Catalog() {
		dst := make([]float64, 64*tg.Dim)
		rng := sampler.NewRand(1)
		allocs := testing.AllocsPerRun(20, func() { _ = tg.Exact.Sample(rng, dst) })
		assert.Zero(t, allocs, tg.Name)
	}
}

func TestLogDensityAgreesWith1D(t *testing.T) {
	for _, tg := range oneD(t) {
		for _, x := range grid1D(tg) {
			assert.Equal(t, tg.LogDensity1D(x), tg.LogDensity([]float64{x}), tg.Name)
		}
	}
}

// The log density is −Inf just outside a finite end of the support and
// finite just inside it; towards an infinite end it stays finite and
// falls (at ±1e50, where not even the double well's x⁴ overflows), so −Inf never stands in
// for a number that is merely small.
func TestLogDensityAtSupportEnds(t *testing.T) {
	for _, tg := range oneD(t) {
		med := tg.LogDensity1D(grid1D(tg)[20])
		for _, end := range []struct {
			x, dir float64
		}{{tg.Lo, -1}, {tg.Hi, 1}} {
			if math.IsInf(end.x, 0) {
				v := tg.LogDensity1D(end.dir * 1e50)
				assert.False(t, math.IsInf(v, 0) || math.IsNaN(v), "%s at %g: %v", tg.Name, end.dir*1e50, v)
				assert.Less(t, v, med, "%s at %g", tg.Name, end.dir*1e50)
				continue
			}
			out := math.Nextafter(end.x, end.dir*math.Inf(1))
			in := math.Nextafter(end.x, -end.dir*math.Inf(1))
			assert.Equal(t, math.Inf(-1), tg.LogDensity1D(out), "%s just outside %v", tg.Name, end.x)
			v := tg.LogDensity1D(in)
			assert.False(t, math.IsInf(v, 0) || math.IsNaN(v), "%s just inside %v: %v", tg.Name, end.x, v)
		}
	}
}
