package compare

import (
	"math"
	"math/rand/v2"

	"github.com/variate/variate/target"
	"github.com/variate/variate/transform"
)

var tableMethod = Method{
	Name:  "table",
	Kind:  KindInverse,
	Needs: Needs{OneD: true, Density: true},
	Doc:   "transform.NewTable: interpolated inverse CDF built from the density alone (u-error 1e-10)",
	Build: func(t *target.Target, _ *rand.Rand) (Built, error) {
		f := t.LogDensity1D
		tb, err := transform.NewTable(func(x float64) float64 { return math.Exp(f(x)) }, t.Lo, t.Hi, nil)
		if err != nil {
			return Built{}, err
		}
		return Built{Sampler: tb, Info: map[string]float64{
			"intervals": float64(tb.Intervals()), "evaluations": float64(tb.Evaluations()),
		}}, nil
	},
}

var quantileMethod = Method{
	Name:  "quantile",
	Kind:  KindInverse,
	Needs: Needs{OneD: true, Quantile: true},
	Doc:   "transform.Quantile: the target's analytic quantile at a uniform",
	Build: func(t *target.Target, _ *rand.Rand) (Built, error) {
		return Built{Sampler: transform.Quantile(t.Quantile)}, nil
	},
}

var inverterMethod = Method{
	Name:  "inverter",
	Kind:  KindInverse,
	Needs: Needs{OneD: true, CDF: true, NoQuantile: true},
	Doc:   "transform.NewInverter: numerical inversion of the CDF by safeguarded root finding",
	Build: func(t *target.Target, _ *rand.Rand) (Built, error) {
		inv, err := transform.NewInverter(t.CDF, t.Lo, t.Hi, nil)
		if err != nil {
			return Built{}, err
		}
		return Built{Sampler: inv}, nil
	},
}
