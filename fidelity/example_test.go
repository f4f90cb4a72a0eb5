package fidelity_test

import (
	"fmt"

	"github.com/variate/variate/fidelity"
	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

func ExampleKS() {
	tg := target.Gamma()
	x, _ := sampler.Draw(tg.Exact, sampler.NewRand(1), 10000)
	d, p, err := fidelity.KS(x, tg.CDF)
	if err != nil {
		panic(err)
	}
	fmt.Printf("D = %.4f, p = %.2f\n", d, p)
	// Output: D = 0.0093, p = 0.36
}

func ExampleModes() {
	ring := target.Ring()
	x, _ := sampler.Draw(ring.Exact, sampler.NewRand(1), 2500)
	st, err := fidelity.Modes(x, 2, ring.Modes)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d of %d modes, %.0f%% high quality\n", st.Covered, st.Total, 100*st.HighQuality)
	// Output: 8 of 8 modes, 99% high quality
}
