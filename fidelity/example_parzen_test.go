package fidelity_test

import (
	"fmt"

	"github.com/variate/variate/fidelity"
	"github.com/variate/variate/sampler"
)

// The Parzen-window estimate of a model that draws N(0, I) in 2-D,
// evaluated on data from the same law: σ is chosen on validation data,
// and the test estimate comes out within its standard error of the true
// mean log-density, −log(2π) − 1 ≈ −2.84.
func ExampleParzen() {
	rng := sampler.NewRand(1)
	draw := func(n int) []float64 {
		x := make([]float64, 2*n)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		return x
	}
	model, validation, test := draw(5000), draw(1000), draw(1000)
	res, err := fidelity.Parzen(model, validation, test, 2, &fidelity.ParzenOptions{
		Sigmas: []float64{0.05, 0.1, 0.2, 0.3, 0.5, 1}})
	if err != nil {
		panic(err)
	}
	fmt.Printf("σ = %.1f: %.2f ± %.2f nats\n", res.Sigma, res.Mean, res.StdErr)
	// Output: σ = 0.3: -2.82 ± 0.03 nats
}

// Generated points that are noisy copies of the training points lie far
// nearer to the training set than fresh data do.
func ExampleNearestNeighbourRatio() {
	rng := sampler.NewRand(2)
	draw := func(n int) []float64 {
		x := make([]float64, 3*n)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		return x
	}
	train, test, fresh := draw(2000), draw(500), draw(500)
	copies := make([]float64, len(fresh))
	for i := range copies {
		copies[i] = train[i] + 0.01*rng.NormFloat64()
	}
	for _, g := range []struct {
		name string
		x    []float64
	}{{"fresh", fresh}, {"copies", copies}} {
		r, err := fidelity.NearestNeighbourRatio(g.x, test, train, 3)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: ratio %.2f, %.0f%% nearer than the test's 5%%\n", g.name, r.Ratio, 100*r.Closer)
	}
	// Output:
	// fresh: ratio 0.99, 5% nearer than the test's 5%
	// copies: ratio 0.09, 100% nearer than the test's 5%
}
