package target

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/variate/variate/sampler"
)

// IsotropicNormal returns the normal distribution with the given mean and
// covariance σ²·I, in len(mean) dimensions. It carries a CDF and quantile
// when 1-D, and one Mode (its centre and σ).
func IsotropicNormal(mean []float64, sigma float64) (*Target, error) {
	d := len(mean)
	if d == 0 {
		return nil, fmt.Errorf("target: normal with an empty mean")
	}
	if !(sigma > 0) || math.IsInf(sigma, 1) {
		return nil, fmt.Errorf("target: normal with σ = %v; need a positive finite σ", sigma)
	}
	for i, m := range mean {
		if math.IsNaN(m) || math.IsInf(m, 0) {
			return nil, fmt.Errorf("target: normal mean[%d] = %v is not finite", i, m)
		}
	}
	// σ² and 1/(2σ²) must both be finite and positive, or the log
	// density is 0·∞ = NaN at the mean (σ below about 1e-154) or zero
	// everywhere (σ above about 1e154).
	inv := 1 / (2 * sigma * sigma)
	if !(inv > 0) || math.IsInf(inv, 1) {
		return nil, fmt.Errorf("target: normal with σ = %v: σ² = %v is outside the floating-point range; rescale the coordinates so that σ is within about 1e-150 to 1e150", sigma, sigma*sigma)
	}
	mu := append([]float64(nil), mean...)
	logp := func(x []float64) float64 {
		var ss float64
		for i, m := range mu {
			r := x[i] - m
			ss += r * r
		}
		return -ss * inv
	}
	vars := make([]float64, d)
	for i := range vars {
		vars[i] = sigma * sigma
	}
	t := &Target{
		Name:       fmt.Sprintf("normal(%v, %v²)", mean, sigma),
		Dim:        d,
		LogDensity: logp,
		LogZ:       float64(d) * (0.5*log2Pi + math.Log(sigma)),
		Exact: vector(d, func(rng *rand.Rand, x []float64) {
			for i, m := range mu {
				x[i] = m + sigma*rng.NormFloat64()
			}
		}),
		Modes:      []Mode{{Centre: mu, Sigma: sigma}},
		LogConcave: true,
		Mean:       mu,
		Var:        vars,
	}
	if d == 1 {
		m := mu[0]
		t.Lo, t.Hi = math.Inf(-1), math.Inf(1)
		t.LogDensity1D = func(x float64) float64 { r := x - m; return -r * r * inv }
		t.CDF = func(x float64) float64 { return unitNormal.CDF((x - m) / sigma) }
		t.Quantile = func(p float64) float64 { return m + sigma*unitNormal.Quantile(p) }
		t.tails = normalTails(m, sigma)
	}
	return t, nil
}

// Mixture returns the finite mixture Σ w_i·components[i] under the given
// name. Weights must be non-negative and finite with a positive sum; they
// are normalised. Every component must have the same Dim and a known LogZ
// (the mixture's density needs normalised components). The mixture has a
// CDF when every component has one, an exact sampler when every component
// has one, and Modes collected from the components. Its quantile has no
// closed form and is left nil.
func Mixture(name string, weights []float64, components []*Target) (*Target, error) {
	if len(components) == 0 {
		return nil, fmt.Errorf("target: mixture %q has no components", name)
	}
	if len(weights) != len(components) {
		return nil, fmt.Errorf("target: mixture %q has %d weights for %d components", name, len(weights), len(components))
	}
	var sum float64
	for i, w := range weights {
		if math.IsNaN(w) || w < 0 || math.IsInf(w, 1) {
			return nil, fmt.Errorf("target: mixture %q weight[%d] = %v; weights must be finite and non-negative", name, i, w)
		}
		sum += w
	}
	if !(sum > 0) || math.IsInf(sum, 1) {
		return nil, fmt.Errorf("target: mixture %q weights sum to %v; need a positive finite sum", name, sum)
	}
	dim := components[0].Dim
	for i, c := range components {
		if c == nil {
			return nil, fmt.Errorf("target: mixture %q component %d is nil", name, i)
		}
		if c.Dim != dim {
			return nil, fmt.Errorf("target: mixture %q component %d (%s) has dimension %d, component 0 has %d", name, i, c.Name, c.Dim, dim)
		}
		if math.IsNaN(c.LogZ) || math.IsInf(c.LogZ, 0) {
			return nil, fmt.Errorf("target: mixture %q component %d (%s) has no known normalising constant (LogZ = %v)", name, i, c.Name, c.LogZ)
		}
		if c.LogDensity == nil {
			return nil, fmt.Errorf("target: mixture %q component %d (%s) has no log density", name, i, c.Name)
		}
		if len(c.Mean) == dim {
			if v := c.LogDensity(c.Mean); math.IsNaN(v) || math.IsInf(v, 1) {
				return nil, fmt.Errorf("target: mixture %q component %d (%s) has log density %v at its mean %v", name, i, c.Name, v, c.Mean)
			}
		}
	}
	k := len(components)
	logw := make([]float64, k)
	cum := make([]float64, k)
	w := make([]float64, k)
	var acc float64
	for i := range k {
		w[i] = weights[i] / sum
		logw[i] = math.Log(w[i]) - components[i].LogZ
		acc += w[i]
		cum[i] = acc
	}
	cum[k-1] = 1
	comps := append([]*Target(nil), components...)

	// log Σ exp(logw_i + log p_i(x)) with the running-maximum trick, so no
	// slice is needed.
	logp := func(x []float64) float64 {
		var acc logSumExp
		for i, c := range comps {
			if w[i] > 0 {
				acc.add(logw[i] + c.LogDensity(x))
			}
		}
		return acc.value()
	}
	t := &Target{
		Name:       name,
		Dim:        dim,
		LogDensity: logp,
		LogZ:       0,
	}
	if dim == 1 {
		if all(comps, func(c *Target) bool { return c.LogDensity1D != nil }) {
			t.LogDensity1D = func(x float64) float64 {
				var acc logSumExp
				for i, c := range comps {
					if w[i] > 0 {
						acc.add(logw[i] + c.LogDensity1D(x))
					}
				}
				return acc.value()
			}
			t.LogDensity = func(x []float64) float64 { return t.LogDensity1D(x[0]) }
		}
		t.Lo, t.Hi = math.Inf(1), math.Inf(-1)
		for i, c := range comps {
			if w[i] > 0 {
				t.Lo, t.Hi = min(t.Lo, c.Lo), max(t.Hi, c.Hi)
			}
		}
		if all(comps, func(c *Target) bool { return c.CDF != nil }) {
			t.CDF = func(x float64) float64 {
				var s float64
				for i, c := range comps {
					s += w[i] * c.CDF(x)
				}
				return min(1, s)
			}
		}
	}
	if all(comps, func(c *Target) bool { return c.Exact != nil }) {
		t.Exact = mixtureSampler{dim: dim, cum: cum, comps: comps}
	}
	for i, c := range comps {
		if w[i] > 0 {
			t.Modes = append(t.Modes, c.Modes...)
		}
	}
	if all(comps, func(c *Target) bool { return c.Mean != nil && c.Var != nil }) {
		t.Mean, t.Var = make([]float64, dim), make([]float64, dim)
		for j := range dim {
			var m, m2 float64
			for i, c := range comps {
				m += w[i] * c.Mean[j]
				m2 += w[i] * (c.Var[j] + c.Mean[j]*c.Mean[j])
			}
			t.Mean[j], t.Var[j] = m, m2-m*m
		}
	}
	return t, nil
}

func all(cs []*Target, f func(*Target) bool) bool {
	for _, c := range cs {
		if !f(c) {
			return false
		}
	}
	return true
}

// mixtureSampler picks a component by inversion of the cumulative weights,
// then draws from it.
type mixtureSampler struct {
	dim   int
	cum   []float64
	comps []*Target
}

func (s mixtureSampler) Dim() int { return s.dim }

func (s mixtureSampler) Sample(rng *rand.Rand, dst []float64) error {
	sampler.CheckLen("target", dst, s.dim)
	for i := 0; i < len(dst); i += s.dim {
		u := rng.Float64()
		j := 0
		for j < len(s.cum)-1 && u >= s.cum[j] {
			j++
		}
		if err := s.comps[j].Exact.Sample(rng, dst[i:i+s.dim]); err != nil {
			return err
		}
	}
	return nil
}

// logSumExp accumulates log Σ exp(v_i) with a running maximum, so that no
// slice of terms is needed.
type logSumExp struct {
	m, s float64
	any  bool
}

func (a *logSumExp) add(v float64) {
	switch {
	case math.IsNaN(v):
		a.m, a.s, a.any = math.NaN(), 1, true
	case v == math.Inf(-1):
	case !a.any:
		a.m, a.s, a.any = v, 1, true
	case v <= a.m:
		a.s += math.Exp(v - a.m)
	default:
		a.s = a.s*math.Exp(a.m-v) + 1
		a.m = v
	}
}

func (a *logSumExp) value() float64 {
	if !a.any {
		return math.Inf(-1)
	}
	return a.m + math.Log(a.s)
}
