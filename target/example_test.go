package target_test

import (
	"fmt"

	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

func Example() {
	tg, err := target.ByName("gamma")
	if err != nil {
		panic(err)
	}
	x, err := sampler.Draw(tg.Exact, sampler.NewRand(1), 100000)
	if err != nil {
		panic(err)
	}
	var m float64
	for _, v := range x {
		m += v
	}
	fmt.Printf("%s: sample mean %.2f, exact mean %.2f, P(X <= 2.5) = %.4f\n",
		tg.Name, m/float64(len(x)), tg.Mean[0], tg.CDF(2.5))
	// Output: gamma: sample mean 2.50, exact mean 2.50, P(X <= 2.5) = 0.5841
}

func ExampleMixture() {
	a, _ := target.IsotropicNormal([]float64{-3}, 1)
	b, _ := target.IsotropicNormal([]float64{3}, 1)
	m, err := target.Mixture("two bumps", []float64{1, 3}, []*target.Target{a, b})
	if err != nil {
		panic(err)
	}
	fmt.Printf("P(X <= 0) = %.4f, mean %.1f, %d modes\n", m.CDF(0), m.Mean[0], len(m.Modes))
	// Output: P(X <= 0) = 0.2507, mean 1.5, 2 modes
}

func ExampleTruncate() {
	tr, err := target.Truncate(target.Normal(), 1, 2)
	if err != nil {
		panic(err)
	}
	fmt.Printf("median of N(0,1) on [1, 2]: %.4f\n", tr.Quantile(0.5))
	// Output: median of N(0,1) on [1, 2]: 1.3364
}
