package mcmc_test

import (
	"context"
	"fmt"
	"math"
	"os"

	"github.com/variate/variate/mcmc"
	"github.com/variate/variate/sampler"
)

// Run the default kernel (adaptive Metropolis) at the default settings on
// Haario's banana, told nothing but its log density: Run doubles the
// chains until R-hat and the effective sample sizes pass twice in a row,
// then the summary has no warning.
func ExampleRun() {
	logp := func(x []float64) float64 {
		y := x[1] - 0.1*(x[0]*x[0]-100)
		return -x[0]*x[0]/200 - y*y/2
	}
	r, err := mcmc.Run(context.Background(), logp, 2, nil, &mcmc.Options{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d chains of %d draws, one step in %d kept\n", len(r.Draws), r.Len(), r.Thin)
	if err := mcmc.WriteSummaries(os.Stdout, []string{"x1", "x2"}, r.Summary()); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 4 chains of 20000 draws, one step in 8 kept
	// variable   mean mcse_mean median   sd  mad    q5  q95  rhat ess_bulk ess_tail accept
	// x1       -0.235     0.269 -0.193 10.1 9.97 -16.6 16.3 1.001     1475      767 0.0587
	// x2        0.171     0.558  -5.37 14.7 6.23 -10.6 28.9 1.001     1662      787 0.0587
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
// MCSE of the mean, the acceptance, and the warnings.
func ExampleResult_Summary() {
	logp := func(x []float64) float64 { return -x[0] * x[0] / 2 }
	// Too short a run for its diagnostics: 500 draws per chain.
	r, err := mcmc.Run(context.Background(), logp, 1, mcmc.AM{}, &mcmc.Options{Seed: 4, Draws: 500})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := mcmc.WriteSummaries(os.Stdout, []string{"x"}, r.Summary()); err != nil {
		fmt.Println(err)
	}
	// Output:
	// variable    mean mcse_mean median   sd  mad    q5  q95  rhat ess_bulk ess_tail accept
	// x        -0.0288    0.0457 0.0378 1.01 1.01 -1.83 1.43 1.007      480      385  0.449
	// x: tail ESS 385 below 400: too few effective draws to trust the 5% and 95% quantiles
}
