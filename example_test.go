package variate_test

import (
	"fmt"
	"math"

	"github.com/variate/variate/fidelity"
	"github.com/variate/variate/rejection"
	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
	"github.com/variate/variate/transform"
)

// Three routes to the same distribution, judged by the same yardstick.
func Example() {
	t := target.Gamma()
	density := func(x float64) float64 { return math.Exp(t.LogDensity1D(x)) }
	table, _ := transform.NewTable(density, t.Lo, t.Hi, nil)
	ars, _ := rejection.NewAdaptive(t.LogDensity1D, t.Lo, t.Hi, nil)
	for _, m := range []struct {
		name string
		s    sampler.Sampler
	}{{"exact", t.Exact}, {"table", table}, {"adaptive", ars}} {
		x, err := sampler.Draw(m.s, sampler.NewRand(1), 100000)
		if err != nil {
			panic(err)
		}
		_, p, _ := fidelity.KS(x, t.CDF)
		fmt.Printf("%-8s KS p-value above 0.01: %v\n", m.name, p > 0.01)
	}
	// Output:
	// exact    KS p-value above 0.01: true
	// table    KS p-value above 0.01: true
	// adaptive KS p-value above 0.01: true
}
