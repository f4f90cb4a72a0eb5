package compare

import (
	"context"
	"math"

	"github.com/variate/variate/transform"
)

var tableMethod = Method{
	Name:  "table",
	Kind:  KindIID,
	needs: needs{oneD: true, density: true},
	Doc:   "transform.NewTable: interpolated inverse CDF built from the density alone (u-error 1e-10)",
	build: func(_ context.Context, j job) (built, error) {
		t := j.target
		f := t.LogDensity1D
		tb, err := transform.NewTable(func(x float64) float64 { return math.Exp(f(x)) }, t.Lo, t.Hi, nil)
		if err != nil {
			return built{}, err
		}
		return built{sampler: tb, info: map[string]float64{
			"intervals": float64(tb.Intervals()), "evaluations": float64(tb.Evaluations()),
		}}, nil
	},
}

var quantileMethod = Method{
	Name:  "quantile",
	Kind:  KindIID,
	needs: needs{oneD: true, quantile: true},
	Doc:   "transform.Quantile: the target's analytic quantile at a uniform",
	build: func(_ context.Context, j job) (built, error) {
		t := j.target
		return built{sampler: transform.Quantile(t.Quantile)}, nil
	},
}

var inverterMethod = Method{
	Name:  "inverter",
	Kind:  KindIID,
	needs: needs{oneD: true, cdf: true, noQuantile: true},
	Doc:   "transform.NewInverter: numerical inversion of the CDF by safeguarded root finding",
	build: func(_ context.Context, j job) (built, error) {
		t := j.target
		inv, err := transform.NewInverter(t.CDF, t.Lo, t.Hi, nil)
		if err != nil {
			return built{}, err
		}
		return built{sampler: inv}, nil
	},
}
