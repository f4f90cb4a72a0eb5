package transform_test

import (
	"fmt"
	"math"

	"github.com/variate/variate/sampler"
	"github.com/variate/variate/transform"
)

func ExampleNewTable() {
	// Student's t with 3 degrees of freedom, from its unnormalised
	// density alone.
	t3 := func(x float64) float64 { return math.Pow(1+x*x/3, -2) }
	tb, err := transform.NewTable(t3, math.Inf(-1), math.Inf(1), nil)
	if err != nil {
		panic(err)
	}
	round := func(v float64) float64 { return math.Round(v*1e4)/1e4 + 0 } // no "-0"
	fmt.Printf("median %.4f, 97.5%% quantile %.4f\n", round(tb.Quantile(0.5)), tb.Quantile(0.975))
	x, _ := sampler.Draw(tb, sampler.NewRand(1), 5)
	fmt.Printf("%.3f\n", x)
	// Output:
	// median 0.0000, 97.5% quantile 3.1824
	// [1.287 -0.450 1.352 -0.404 3.799]
}

func ExampleTable_Evaluations() {
	// The cost of a table for the standard normal at the default
	// tolerance, and its u-error measured afresh.
	normal := func(x float64) float64 { return math.Exp(-x * x / 2) }
	tb, err := transform.NewTable(normal, math.Inf(-1), math.Inf(1), nil)
	if err != nil {
		panic(err)
	}
	maxErr, _ := tb.UError(sampler.NewRand(1), 2000)
	fmt.Printf("%d evaluations, %d intervals, u-error below 1e-10: %v\n", tb.Evaluations(), tb.Intervals(), maxErr <= 1e-10)
	// Output: 4047 evaluations, 136 intervals, u-error below 1e-10: true
}

func ExampleNewInverter() {
	// A fair die as a CDF: the generalised inverse handles the jumps.
	die := func(x float64) float64 { return math.Min(1, math.Max(0, math.Floor(x)/6)) }
	inv, err := transform.NewInverter(die, 0, 7, nil)
	if err != nil {
		panic(err)
	}
	for _, u := range []float64{0.1, 1.0 / 6, 0.5, 0.99} {
		x, _ := inv.Quantile(u)
		fmt.Printf("Q(%.3f) = %.0f\n", u, x)
	}
	// Output:
	// Q(0.100) = 1
	// Q(0.167) = 1
	// Q(0.500) = 3
	// Q(0.990) = 6
}

func ExampleBoxMuller() {
	x, _ := sampler.Draw(transform.BoxMuller(), sampler.NewRand(1), 50000)
	var m, v float64
	for _, z := range x {
		m += z
		v += z * z
	}
	n := float64(len(x))
	fmt.Printf("mean %.2f, variance %.2f\n", math.Abs(m/n), v/n-(m/n)*(m/n))
	// Output: mean 0.00, variance 1.00
}

func ExampleNewDiscrete() {
	d, _ := transform.NewDiscrete([]float64{1, 2, 7})
	x, _ := sampler.Draw(d, sampler.NewRand(1), 10000)
	counts := make([]int, 3)
	for _, v := range x {
		counts[int(v)]++
	}
	fmt.Println(counts)
	// Output: [994 2009 6997]
}
