package rejection_test

import (
	"fmt"
	"math"

	"github.com/variate/variate/rejection"
	"github.com/variate/variate/sampler"
)

func ExampleNewAdaptive() {
	// Gamma(3, 1) from its unnormalised log density; no derivative needed.
	logp := func(x float64) float64 { return 2*math.Log(x) - x }
	a, err := rejection.NewAdaptive(logp, 0, math.Inf(1), nil)
	if err != nil {
		panic(err)
	}
	x, _ := sampler.Draw(a, sampler.NewRand(1), 100000)
	var m float64
	for _, v := range x {
		m += v
	}
	st := a.Stats()
	fmt.Printf("mean %.2f, acceptance %.3f, accepted at once %.3f\n", m/float64(len(x)),
		st.Acceptance(), float64(st.Immediate)/float64(st.Proposals))
	// Output: mean 3.00, acceptance 0.998, accepted at once 0.995
}

func ExampleNewAuto() {
	// Beta(2, 5) under a uniform proposal, with the bound computed.
	logp := func(x []float64) float64 { return math.Log(x[0]) + 4*math.Log1p(-x[0]) }
	box, _ := rejection.NewUniformBox([]float64{0}, []float64{1})
	s, err := rejection.NewAuto(logp, box, nil)
	if err != nil {
		panic(err)
	}
	fmt.Printf("log M = %.6f (sup at x = 0.2: %.6f)\n", s.LogM(), math.Log(0.2)+4*math.Log(0.8))
	// Output: log M = -2.502012 (sup at x = 0.2: -2.502012)
}
