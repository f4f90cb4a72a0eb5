package target_test

import (
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

// The property tests compare each target with itself (its sampler with
// its CDF, its density with its normalising constant), which a wrong
// parameter passes as long as it is wrong everywhere. These tests pin the
// catalogue to its definition with references built here from the stated
// parameters alone.

// ref1D is a 1-D reference: normalised log density, CDF, support, moments.
type ref1D struct {
	logp      func(float64) float64
	cdf       func(float64) float64
	lo, hi    float64
	mean, vr  float64
	modes     []target.Mode
	probes    []float64
	cdfAbsTol float64
}

func mixture1D(w []float64, comps []distuv.Normal) (logp, cdf func(float64) float64) {
	logp = func(x float64) float64 {
		var s float64
		for i, c := range comps {
			s += w[i] * c.Prob(x)
		}
		return math.Log(s)
	}
	cdf = func(x float64) float64 {
		var s float64
		for i, c := range comps {
			s += w[i] * c.CDF(x)
		}
		return s
	}
	return logp, cdf
}

// doubleWellRef integrates exp(−x⁴ + 2x²) on [−6, x] with 200 panels of
// 30-point Gauss–Legendre, far beyond what 1e-14 needs; beyond ±6 the
// density is below e^{−1200}.
func doubleWellRef() (z float64, cdf func(float64) float64) {
	f := func(x float64) float64 { return math.Exp(-x*x*x*x + 2*x*x) }
	integ := func(a, b float64) float64 {
		const panels = 200
		h := (b - a) / panels
		var s float64
		for k := range panels {
			s += quad.Fixed(f, a+float64(k)*h, a+float64(k+1)*h, 30, quad.Legendre{}, 0)
		}
		return s
	}
	z = integ(-6, 6)
	return z, func(x float64) float64 { return integ(-6, math.Min(x, 6)) / z }
}

func TestCatalogueDefinitions1D(t *testing.T) {
	inf := math.Inf(1)
	bl, bc := mixture1D([]float64{0.3, 0.7}, []distuv.Normal{{Mu: -2, Sigma: 0.5}, {Mu: 2, Sigma: 1}})
	sf3 := 1 - distuv.UnitNormal.CDF(3)
	lambda := distuv.UnitNormal.Prob(3) / sf3
	dwZ, dwCDF := doubleWellRef()
	dwVar := quad.Fixed(func(x float64) float64 { return x * x * math.Exp(-x*x*x*x+2*x*x) }, -6, 6, 400, quad.Legendre{}, 0) / dwZ
	gamma := distuv.Gamma{Alpha: 2.5, Beta: 1}
	beta := distuv.Beta{Alpha: 2, Beta: 5}
	st := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: 3}
	ex := distuv.Exponential{Rate: 1}
	refs := map[string]ref1D{
		"normal":      {distuv.UnitNormal.LogProb, distuv.UnitNormal.CDF, -inf, inf, 0, 1, nil, []float64{-5, -1, 0, 0.3, 2, 7}, 1e-15},
		"exponential": {ex.LogProb, ex.CDF, 0, inf, 1, 1, nil, []float64{0.001, 0.5, 1, 3, 20}, 1e-15},
		"gamma":       {gamma.LogProb, gamma.CDF, 0, inf, 2.5, 2.5, nil, []float64{0.01, 0.7, 2.5, 6, 15}, 1e-14},
		"beta":        {beta.LogProb, beta.CDF, 0, 1, 2.0 / 7, 10.0 / (49 * 8), nil, []float64{0.001, 0.1, 0.2, 0.5, 0.9, 0.999}, 1e-14},
		"student-t":   {st.LogProb, st.CDF, -inf, inf, 0, 3, nil, []float64{-30, -2, 0, 0.5, 4, 100}, 1e-14},
		"bimodal": {bl, bc, -inf, inf, 0.3*-2 + 0.7*2, 0.3*(0.25+4) + 0.7*(1+4) - 0.64,
			[]target.Mode{{Centre: []float64{-2}, Sigma: 0.5}, {Centre: []float64{2}, Sigma: 1}},
			[]float64{-4, -2, 0, 1, 2, 5}, 1e-15},
		"tail": {
			func(x float64) float64 {
				if x < 3 {
					return math.Inf(-1)
				}
				return distuv.UnitNormal.LogProb(x) - math.Log(sf3)
			},
			func(x float64) float64 { return math.Max(0, distuv.UnitNormal.CDF(x)-distuv.UnitNormal.CDF(3)) / sf3 },
			3, inf, lambda, 1 + 3*lambda - lambda*lambda, nil, []float64{3, 3.01, 3.3, 4, 5.5}, 1e-12},
		"doublewell": {func(x float64) float64 { return -x*x*x*x + 2*x*x - math.Log(dwZ) }, dwCDF,
			-inf, inf, 0, dwVar, nil, []float64{-2, -1, -0.3, 0, 0.01, 0.7, 1, 1.6, 2.5}, 1e-13},
	}
	for _, tg := range oneD(t) {
		r, ok := refs[tg.Name]
		require.True(t, ok, tg.Name)
		assert.Equal(t, r.lo, tg.Lo, "%s support", tg.Name)
		assert.Equal(t, r.hi, tg.Hi, "%s support", tg.Name)
		for _, x := range r.probes {
			assert.True(t, scalar.EqualWithinAbsOrRel(tg.LogDensity1D(x)-tg.LogZ, r.logp(x), 1e-12, 1e-12),
				"%s: normalised log density at %g is %v, want %v", tg.Name, x, tg.LogDensity1D(x)-tg.LogZ, r.logp(x))
			assert.InDelta(t, r.cdf(x), tg.CDF(x), r.cdfAbsTol, "%s: CDF(%g)", tg.Name, x)
		}
		require.Len(t, tg.Mean, 1, tg.Name)
		require.Len(t, tg.Var, 1, tg.Name)
		assert.InDelta(t, r.mean, tg.Mean[0], 1e-12, "%s mean", tg.Name)
		assert.InDelta(t, r.vr, tg.Var[0], 1e-12, "%s variance", tg.Name)
		assert.Equal(t, r.modes, tg.Modes, "%s modes", tg.Name)
	}
}

// The double well's CDF is computed by quadrature; it must agree with an
// independent, much finer quadrature to 1e-12 everywhere, and so must its
// normalising constant.
func TestDoubleWellCDFAccuracy(t *testing.T) {
	tg := target.DoubleWell()
	z, cdf := doubleWellRef()
	assert.InDelta(t, math.Log(z), tg.LogZ, 1e-14)
	worst := 0.0
	for i := range 161 {
		x := -4 + 8*float64(i)/160 + 1e-3 // off the panel edges
		worst = math.Max(worst, math.Abs(tg.CDF(x)-cdf(x)))
	}
	assert.Less(t, worst, 1e-12)
	assert.Equal(t, 0.0, tg.CDF(-5))
	assert.Equal(t, 1.0, tg.CDF(5))
	assert.True(t, math.IsNaN(tg.CDF(math.NaN())))
}

// logNormal is log N(x; mu, s²).
func logNormal(x, mu, s float64) float64 {
	return distuv.Normal{Mu: mu, Sigma: s}.LogProb(x)
}

func logMeanExp(v []float64) float64 {
	m := math.Inf(-1)
	for _, a := range v {
		m = math.Max(m, a)
	}
	var s float64
	for _, a := range v {
		s += math.Exp(a - m)
	}
	return m + math.Log(s/float64(len(v)))
}

func ringCentres() [][2]float64 {
	var c [][2]float64
	for k := range 8 {
		a := 2 * math.Pi * float64(k) / 8
		c = append(c, [2]float64{math.Cos(a), math.Sin(a)})
	}
	return c
}

func gridCentres() [][2]float64 {
	var c [][2]float64
	for _, a := range []float64{-4, -2, 0, 2, 4} {
		for _, b := range []float64{-4, -2, 0, 2, 4} {
			c = append(c, [2]float64{a, b})
		}
	}
	return c
}

func equalMixtureLogp(centres [][2]float64, s float64) func(x []float64) float64 {
	return func(x []float64) float64 {
		v := make([]float64, len(centres))
		for k, c := range centres {
			v[k] = logNormal(x[0], c[0], s) + logNormal(x[1], c[1], s)
		}
		return logMeanExp(v)
	}
}

// The multivariate targets' normalised log densities equal their
// definitions at points drawn from the targets and at points far out. For
// the funnel, whose 10-D integral no quadrature reaches, this pointwise
// identity with the product of its normal factors is the check that
// LogDensity − LogZ is normalised.
func TestCatalogueDefinitionsMultiD(t *testing.T) {
	g2, ok := distmv.NewNormal([]float64{0, 0}, mat.NewSymDense(2, []float64{1, 0.9, 0.9, 1}), nil)
	require.True(t, ok)
	refs := map[string]struct {
		logp      func(x []float64) float64
		mean, vr  []float64
		centres   [][2]float64
		modeSigma float64
	}{
		"gauss2": {func(x []float64) float64 { return g2.LogProb(x) }, []float64{0, 0}, []float64{1, 1}, nil, 0},
		"banana": {func(x []float64) float64 {
			return logNormal(x[0], 0, 10) + logNormal(x[1]-0.1*(x[0]*x[0]-100), 0, 1)
		}, []float64{0, 0}, []float64{100, 1 + 0.01*2*1e4}, nil, 0},
		"ring": {equalMixtureLogp(ringCentres(), 0.01), []float64{0, 0}, []float64{0.5 + 1e-4, 0.5 + 1e-4}, ringCentres(), 0.01},
		"grid": {equalMixtureLogp(gridCentres(), 0.05), []float64{0, 0}, []float64{8 + 0.0025, 8 + 0.0025}, gridCentres(), 0.05},
		"funnel": {func(x []float64) float64 {
			s := logNormal(x[0], 0, 3)
			for _, xi := range x[1:] {
				s += logNormal(xi, 0, math.Exp(x[0]/2))
			}
			return s
		}, make([]float64, 10), append([]float64{9}, slices.Repeat([]float64{math.Exp(4.5)}, 9)...), nil, 0},
	}
	for _, tg := range target.Catalog() {
		if tg.Dim == 1 {
			continue
		}
		r, ok := refs[tg.Name]
		require.True(t, ok, tg.Name)
		pts, err := sampler.Draw(tg.Exact, sampler.NewRand(31), 200)
		require.NoError(t, err)
		far := make([]float64, tg.Dim)
		for i := range far {
			far[i] = 3 - float64(i)
		}
		pts = append(pts, far...)
		for i := 0; i < len(pts); i += tg.Dim {
			x := pts[i : i+tg.Dim]
			got, want := tg.LogDensity(x)-tg.LogZ, r.logp(x)
			assert.True(t, scalar.EqualWithinAbsOrRel(got, want, 1e-10, 1e-12),
				"%s at %v: normalised log density %v, want %v", tg.Name, x, got, want)
		}
		assert.InDeltaSlice(t, r.mean, tg.Mean, 1e-12, "%s mean", tg.Name)
		assert.InDeltaSlice(t, r.vr, tg.Var, 1e-9, "%s variances", tg.Name)
		if r.centres == nil {
			assert.Nil(t, tg.Modes, tg.Name)
			continue
		}
		require.Len(t, tg.Modes, len(r.centres), tg.Name)
		for k, c := range r.centres {
			m := tg.Modes[k]
			assert.InDeltaSlice(t, c[:], m.Centre, 1e-15, "%s mode %d", tg.Name, k)
			assert.Equal(t, r.modeSigma, m.Sigma, "%s mode %d", tg.Name, k)
		}
	}
}

// TestBetaLogDensityOneLog checks the single-logarithm form of the beta
// log density against the two-logarithm definition, near both ends too.
func TestBetaLogDensityOneLog(t *testing.T) {
	f := target.Beta().LogDensity1D
	xs := []float64{5e-324, 1e-300, 1e-17, 1e-9, 0.01, 0.2, 0.5, 0.7, 0.999, 1 - 1e-9, 1 - 0x1p-53}
	for i := 1; i < 1000; i++ {
		xs = append(xs, float64(i)/1000)
	}
	for _, x := range xs {
		want := math.Log(x) + 4*math.Log1p(-x)
		assert.InDelta(t, want, f(x), 1e-14*(1+math.Abs(want)), "x=%v", x)
	}
	assert.Equal(t, math.Inf(-1), f(0))
	assert.Equal(t, math.Inf(-1), f(1))
}

// TestStudentTCDFNearMedian checks the catalogue's t₃ CDF against the
// closed form 1/2 + (s/(1+s²) + atan s)/π, s = x/√3, where gonum's
// incomplete beta function is off by up to 4e-9, and its continuity
// where it hands over to gonum at |x| = 1.
func TestStudentTCDFNearMedian(t *testing.T) {
	cdf := target.StudentT().CDF
	closed := func(x float64) float64 {
		s := x / math.Sqrt(3)
		return 0.5 + (s/(1+s*s)+math.Atan(s))/math.Pi
	}
	for _, x := range []float64{-0.999, -0.5, -1e-3, -1e-8, 0, 1e-9, 1e-7, 0.3, 0.999, 1, 1.5, 3, 10} {
		assert.InDelta(t, closed(x), cdf(x), 1e-15, "x=%v", x)
	}
	assert.InDelta(t, cdf(math.Nextafter(1, 0)), cdf(1), 1e-14)
}
