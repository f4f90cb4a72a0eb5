package target

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/variate/variate/internal/variates"
	"github.com/variate/variate/sampler"
)

// catalogue lists the constructors in the catalogue's stable order.
var catalogue = []struct {
	name string
	new  func() *Target
}{
	{"normal", Normal},
	{"exponential", Exponential},
	{"gamma", Gamma},
	{"beta", Beta},
	{"student-t", StudentT},
	{"bimodal", Bimodal},
	{"tail", Tail},
	{"doublewell", DoubleWell},
	{"gauss2", Gauss2},
	{"banana", Banana},
	{"ring", Ring},
	{"grid", Grid},
	{"funnel", Funnel},
}

// Catalog returns the 13 catalogue targets in a stable order: the 1-D
// targets first (normal, exponential, gamma, beta, student-t, bimodal,
// tail, doublewell), then gauss2, banana, ring, grid and funnel. Each call
// returns a new slice.
func Catalog() []*Target {
	out := make([]*Target, len(catalogue))
	for i, c := range catalogue {
		out[i] = c.new()
	}
	return out
}

// Names returns the catalogue's names in the order of Catalog.
func Names() []string {
	out := make([]string, len(catalogue))
	for i, c := range catalogue {
		out[i] = c.name
	}
	return out
}

// ByName returns the catalogue target with the given name.
func ByName(name string) (*Target, error) {
	for _, c := range catalogue {
		if c.name == name {
			return c.new(), nil
		}
	}
	return nil, fmt.Errorf("target: unknown target %q (valid: %s)", name, strings.Join(Names(), ", "))
}

var (
	log2Pi     = math.Log(2 * math.Pi)
	unitNormal = distuv.UnitNormal
)

// Normal returns the catalogue's "normal" target, N(0, 1).
func Normal() *Target {
	return &Target{
		Name:         "normal",
		Dim:          1,
		LogDensity:   func(x []float64) float64 { return -0.5 * x[0] * x[0] },
		LogDensity1D: func(x float64) float64 { return -0.5 * x * x },
		LogZ:         0.5 * log2Pi,
		CDF:          unitNormal.CDF,
		Quantile:     unitNormal.Quantile,
		Lo:           math.Inf(-1),
		Hi:           math.Inf(1),
		Exact:        scalar(func(rng *rand.Rand) float64 { return rng.NormFloat64() }),
		LogConcave:   true,
		Mean:         []float64{0},
		Var:          []float64{1},
		tails:        normalTails(0, 1),
	}
}

// Exponential returns the catalogue's "exponential" target, Exp(rate 1).
func Exponential() *Target {
	logp := func(x float64) float64 {
		if x < 0 {
			return math.Inf(-1)
		}
		return -x
	}
	return &Target{
		Name:         "exponential",
		Dim:          1,
		LogDensity:   func(x []float64) float64 { return logp(x[0]) },
		LogDensity1D: logp,
		LogZ:         0,
		CDF: func(x float64) float64 {
			if x <= 0 {
				return 0
			}
			return -math.Expm1(-x)
		},
		Quantile: func(p float64) float64 {
			if p <= 0 {
				return 0
			}
			return -math.Log1p(-p)
		},
		Lo:         0,
		Hi:         math.Inf(1),
		Exact:      scalar(func(rng *rand.Rand) float64 { return rng.ExpFloat64() }),
		LogConcave: true,
		Mean:       []float64{1},
		Var:        []float64{1},
		tails: &tails{
			sf: func(x float64) float64 { return math.Exp(-max(x, 0)) },
			isf: func(s float64) float64 {
				if s >= 1 {
					return 0
				}
				return -math.Log(s)
			},
		},
	}
}

// Gamma returns the catalogue's "gamma" target, Gamma(shape 2.5, rate 1).
func Gamma() *Target {
	const shape = 2.5
	d := distuv.Gamma{Alpha: shape, Beta: 1}
	logp := func(x float64) float64 {
		if x <= 0 {
			return math.Inf(-1)
		}
		return (shape-1)*math.Log(x) - x
	}
	lg, _ := math.Lgamma(shape)
	return &Target{
		Name:         "gamma",
		Dim:          1,
		LogDensity:   func(x []float64) float64 { return logp(x[0]) },
		LogDensity1D: logp,
		LogZ:         lg,
		CDF:          d.CDF,
		Quantile:     func(p float64) float64 { return gammaQuantile(d, p) },
		Lo:           0,
		Hi:           math.Inf(1),
		Exact:        rejectionSampler(func(rng *rand.Rand) float64 { return variates.Gamma(rng, shape) }),
		LogConcave:   true,
		Mean:         []float64{shape},
		Var:          []float64{shape},
		tails:        &tails{sf: d.Survival, isf: survivalInverse(d.Survival, 0, math.Inf(1))},
	}
}

// gammaQuantile is d.Quantile with the lower tail repaired: gonum's
// quantile returns points whose CDF is 0 for p below about 1e-45. There
// the series F(x) = x^a/Γ(a+1)·(1 − a·x/(a+1) + O(x²)) inverts to
// x = c(1 + c/(a+1)), c = (p·Γ(a+1))^(1/a) (rate 1; divided by the rate
// otherwise), with x < 2e-12 for p < 1e-30, so the neglected terms are
// below 1e-23 relative.
func gammaQuantile(d distuv.Gamma, p float64) float64 {
	if p > 0 && p < 1e-30 {
		lg, _ := math.Lgamma(d.Alpha + 1)
		c := math.Exp((math.Log(p) + lg) / d.Alpha)
		return c * (1 + c/(d.Alpha+1)) / d.Beta
	}
	return d.Quantile(p)
}

// Beta returns the catalogue's "beta" target, Beta(2, 5).
func Beta() *Target {
	const a, b = 2.0, 5.0
	d := distuv.Beta{Alpha: a, Beta: b}
	logp := func(x float64) float64 {
		if x <= 0 || x >= 1 {
			return math.Inf(-1)
		}
		// x·(1−x)⁴ with one logarithm instead of two: 1 − x is exact
		// for x ≥ 1/2 and within half an ulp below, and the product
		// cannot underflow (1 − x ≥ 2⁻⁵³), so this is within a few ulps
		// of log x + 4·log1p(−x) at half the cost.
		y := 1 - x
		y *= y
		return math.Log(x * y * y)
	}
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	return &Target{
		Name:         "beta",
		Dim:          1,
		LogDensity:   func(x []float64) float64 { return logp(x[0]) },
		LogDensity1D: logp,
		LogZ:         la + lb - lab,
		CDF:          d.CDF,
		Quantile:     d.Quantile,
		Lo:           0,
		Hi:           1,
		// Beta(a, b) = X/(X+Y) with X ~ Gamma(a), Y ~ Gamma(b).
		Exact: rejectionSampler(func(rng *rand.Rand) float64 {
			x, y := variates.Gamma(rng, a), variates.Gamma(rng, b)
			return x / (x + y)
		}),
		LogConcave: true,
		tails:      &tails{sf: d.Survival, isf: survivalInverse(d.Survival, 0, 1)},
		Mean:       []float64{a / (a + b)},
		Var:        []float64{a * b / ((a + b) * (a + b) * (a + b + 1))},
	}
}

// StudentT returns the catalogue's "student-t" target, Student's t with
// ν = 3 degrees of freedom. Its variance is 3; its fourth moment is
// infinite.
func StudentT() *Target {
	const nu = 3.0
	d := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: nu}
	logp := func(x float64) float64 { return -(nu + 1) / 2 * math.Log1p(x*x/nu) }
	l1, _ := math.Lgamma((nu + 1) / 2)
	l2, _ := math.Lgamma(nu / 2)
	// For ν = 3 the CDF has a closed form; gonum's incomplete-beta route
	// is off by up to 4e-9 within 1e-7 of the median. The closed form
	// loses relative accuracy far out (0.5 + a number near −0.5), so
	// gonum serves |x| ≥ 1.
	cdf := func(x float64) float64 {
		if math.Abs(x) >= 1 {
			return d.CDF(x)
		}
		s := x / math.Sqrt(nu)
		return 0.5 + (s/(1+s*s)+math.Atan(s))/math.Pi
	}
	return &Target{
		Name:         "student-t",
		Dim:          1,
		LogDensity:   func(x []float64) float64 { return logp(x[0]) },
		LogDensity1D: logp,
		LogZ:         l2 - l1 + 0.5*math.Log(nu*math.Pi),
		CDF:          cdf,
		Quantile:     d.Quantile,
		// Symmetric: S(x) = F(−x), and its inverse is −Q(s).
		tails: &tails{
			sf:  func(x float64) float64 { return cdf(-x) },
			isf: func(s float64) float64 { return -d.Quantile(s) },
		},
		Lo: math.Inf(-1),
		Hi: math.Inf(1),
		// t = Z / sqrt(χ²_ν / ν), χ²_3 as a sum of three squared normals.
		Exact: scalar(func(rng *rand.Rand) float64 {
			z := rng.NormFloat64()
			a, b, c := rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()
			return z / math.Sqrt((a*a+b*b+c*c)/nu)
		}),
		Mean: []float64{0},
		Var:  []float64{nu / (nu - 2)},
	}
}

// Bimodal returns the catalogue's "bimodal" target,
// 0.3·N(−2, 0.5²) + 0.7·N(2, 1). Its quantile has no closed form and is
// left nil.
func Bimodal() *Target {
	left, _ := IsotropicNormal([]float64{-2}, 0.5)
	right, _ := IsotropicNormal([]float64{2}, 1)
	t, err := Mixture("bimodal", []float64{0.3, 0.7}, []*Target{left, right})
	if err != nil {
		panic(err)
	}
	return t
}

// Gauss2 returns the catalogue's "gauss2" target: the 2-D normal with zero
// mean, unit variances and correlation 0.9.
func Gauss2() *Target {
	const rho = 0.9
	c := 1 - rho*rho
	s := math.Sqrt(c)
	return &Target{
		Name: "gauss2",
		Dim:  2,
		LogDensity: func(x []float64) float64 {
			return -0.5 * (x[0]*x[0] - 2*rho*x[0]*x[1] + x[1]*x[1]) / c
		},
		LogZ:  log2Pi + 0.5*math.Log(c),
		Exact: vector(2, func(rng *rand.Rand, x []float64) { z := rng.NormFloat64(); x[0], x[1] = z, rho*z+s*rng.NormFloat64() }),
		Mean:  []float64{0, 0},
		Var:   []float64{1, 1},
		// A Gaussian density is log-concave in any dimension.
		LogConcave: true,
	}
}

// Banana returns the catalogue's "banana" target, Haario's twisted
// Gaussian: x1 ~ N(0, 100), x2 = y + 0.1(x1² − 100) with y ~ N(0, 1).
// Its mean is (0, 0) and its variances are (100, 201).
func Banana() *Target {
	const b = 0.1
	return &Target{
		Name: "banana",
		Dim:  2,
		LogDensity: func(x []float64) float64 {
			y := x[1] - b*(x[0]*x[0]-100)
			return -x[0]*x[0]/200 - 0.5*y*y
		},
		LogZ: log2Pi + math.Log(10),
		Exact: vector(2, func(rng *rand.Rand, x []float64) {
			x1 := 10 * rng.NormFloat64()
			x[0], x[1] = x1, rng.NormFloat64()+b*(x1*x1-100)
		}),
		Mean: []float64{0, 0},
		// Var(x2) = 1 + b²·Var(x1²) = 1 + 0.01·2·100².
		Var: []float64{100, 1 + b*b*2*100*100},
	}
}

// Ring returns the catalogue's "ring" target: 8 equal Gaussians centred on
// the unit circle at angles 2πk/8, σ = 0.01 (the VEEGAN/PacGAN setup).
func Ring() *Target {
	comps := make([]*Target, 8)
	w := make([]float64, 8)
	for k := range comps {
		a := 2 * math.Pi * float64(k) / 8
		comps[k], _ = IsotropicNormal([]float64{math.Cos(a), math.Sin(a)}, 0.01)
		w[k] = 1
	}
	t, err := Mixture("ring", w, comps)
	if err != nil {
		panic(err)
	}
	return t
}

// Grid returns the catalogue's "grid" target: 25 equal Gaussians centred
// at {−4, −2, 0, 2, 4}², σ = 0.05 (the VEEGAN/PacGAN setup).
func Grid() *Target {
	var comps []*Target
	var w []float64
	for _, a := range []float64{-4, -2, 0, 2, 4} {
		for _, b := range []float64{-4, -2, 0, 2, 4} {
			c, _ := IsotropicNormal([]float64{a, b}, 0.05)
			comps = append(comps, c)
			w = append(w, 1)
		}
	}
	t, err := Mixture("grid", w, comps)
	if err != nil {
		panic(err)
	}
	return t
}

// Funnel returns the catalogue's "funnel" target, Neal's funnel in 10
// dimensions: v ~ N(0, 3²) (coordinate 0) and x_i ~ N(0, e^v) for
// i = 1..9. Var(x_i) = E[e^v] = e^{4.5}.
func Funnel() *Target {
	const dim = 10
	mean := make([]float64, dim)
	vars := slices.Repeat([]float64{math.Exp(4.5)}, dim)
	vars[0] = 9
	return &Target{
		Name: "funnel",
		Dim:  dim,
		LogDensity: func(x []float64) float64 {
			v := x[0]
			var ss float64
			for _, xi := range x[1:] {
				ss += xi * xi
			}
			return -v*v/18 - 0.5*ss*math.Exp(-v) - float64(dim-1)/2*v
		},
		LogZ: 0.5*math.Log(18*math.Pi) + float64(dim-1)/2*log2Pi,
		Exact: vector(dim, func(rng *rand.Rand, x []float64) {
			v := 3 * rng.NormFloat64()
			x[0] = v
			s := math.Exp(v / 2)
			for i := 1; i < dim; i++ {
				x[i] = s * rng.NormFloat64()
			}
		}),
		Mean: mean,
		Var:  vars,
	}
}

// scalar adapts a one-number generator to an allocation-free 1-D Sampler.
func scalar(f func(rng *rand.Rand) float64) sampler.Sampler {
	return scalarSampler(f)
}

type scalarSampler func(rng *rand.Rand) float64

func (scalarSampler) Dim() int { return 1 }

func (f scalarSampler) Sample(rng *rand.Rand, dst []float64) error {
	for i := range dst {
		dst[i] = f(rng)
	}
	return nil
}

// vector adapts a point generator that cannot fail to a Sampler.
func vector(dim int, f func(rng *rand.Rand, x []float64)) sampler.Sampler {
	return vectorSampler{dim: dim, f: f}
}

type vectorSampler struct {
	dim int
	f   func(rng *rand.Rand, x []float64)
}

func (s vectorSampler) Dim() int { return s.dim }

func (s vectorSampler) Sample(rng *rand.Rand, dst []float64) error {
	sampler.CheckLen("target", dst, s.dim)
	for i := 0; i < len(dst); i += s.dim {
		s.f(rng, dst[i:i+s.dim])
	}
	return nil
}
