package mcmc_test

import (
	"context"
	"fmt"
	"math"
	"os"

	"github.com/variate/variate/mcmc"
	"github.com/variate/variate/sampler"
)

// Run four chains of robust adaptive Metropolis on a correlated Gaussian,
// told nothing but its log density, and summarise the draws.
func ExampleRun() {
	logp := func(x []float64) float64 {
		// Unit variances, correlation 0.9.
		a, b := x[0], x[1]
		return -(a*a - 1.8*a*b + b*b) / (2 * 0.19)
	}
	r, err := mcmc.Run(context.Background(), logp, 2, mcmc.RAM{}, &mcmc.Options{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	s := r.Summary()
	fmt.Printf("acceptance %.2f\n", s[0].Acceptance)
	for j, v := range s {
		fmt.Printf("x%d: mean %.1f, sd %.1f, R-hat < 1.01: %v, bulk ESS > 400: %v\n", j+1,
			math.Abs(v.Mean), v.SD, v.RHat < 1.01, v.ESSBulk > 400)
	}
	// Output:
	// acceptance 0.23
	// x1: mean 0.0, sd 1.0, R-hat < 1.01: true, bulk ESS > 400: true
	// x2: mean 0.0, sd 1.0, R-hat < 1.01: true, bulk ESS > 400: true
}

// General Metropolis–Hastings with an asymmetric proposal: a
// multiplicative random walk on (0, ∞) (logWalk in kernel_test.go), whose
// Propose returns the Hastings correction log(y/x).
func ExampleMH() {
	logp := func(x []float64) float64 { // Exp(1)
		if x[0] <= 0 {
			return math.Inf(-1)
		}
		return -x[0]
	}
	r, err := mcmc.Run(context.Background(), logp, 1, mcmc.MH{Proposal: logWalk{1}},
		&mcmc.Options{Seed: 2, Init: mcmc.Around([]float64{1}, 0.5)})
	if err != nil {
		fmt.Println(err)
		return
	}
	s := r.Summary()[0]
	fmt.Printf("mean %.1f, median %.1f (ln 2 = 0.69)\n", s.Mean, s.Median)
	// Output:
	// mean 1.0, median 0.7 (ln 2 = 0.69)
}

// A Chain is a sampler.Sampler of successive draws: warm it up, then
// draw.
func ExampleChain() {
	logp := func(x []float64) float64 { return -x[0] * x[0] / 2 }
	ch, err := mcmc.NewChain(logp, mcmc.RAM{}, []float64{5})
	if err != nil {
		fmt.Println(err)
		return
	}
	rng := sampler.NewRand(3)
	if err := ch.Warmup(rng, 2000); err != nil {
		fmt.Println(err)
		return
	}
	x := make([]float64, 100000)
	if err := ch.Sample(rng, x); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("acceptance %.2f\n", ch.Stats().Acceptance())
	fmt.Printf("mean of squares %.1f\n", meanSquare(x))
	// Output:
	// acceptance 0.44
	// mean of squares 1.0
}

func meanSquare(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v * v
	}
	return s / float64(len(x))
}

// A Run's summary printed as posterior prints summarise_draws, with the
// acceptance.
func ExampleResult_Summary() {
	logp := func(x []float64) float64 { return -x[0] * x[0] / 2 }
	r, err := mcmc.Run(context.Background(), logp, 1, mcmc.AM{}, &mcmc.Options{Seed: 4, Draws: 500})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := mcmc.WriteSummaries(os.Stdout, []string{"x"}, r.Summary()); err != nil {
		fmt.Println(err)
	}
	// Output:
	// variable    mean median    sd   mad    q5  q95  rhat ess_bulk ess_tail accept
	// x        -0.0274 0.0121 0.945 0.964 -1.62 1.57 1.009      558      617  0.462
}
