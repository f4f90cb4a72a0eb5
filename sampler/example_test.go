package sampler_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/variate/variate/sampler"
)

func Example() {
	// A sampler of points uniform on the unit square.
	square := sampler.Func(2, func(rng *rand.Rand, x []float64) error {
		x[0], x[1] = rng.Float64(), rng.Float64()
		return nil
	})
	pts, err := sampler.Draw(square, sampler.NewRand(1), 1000)
	if err != nil {
		panic(err)
	}
	var inside int
	for i := 0; i < len(pts); i += 2 {
		if pts[i]*pts[i]+pts[i+1]*pts[i+1] < 1 {
			inside++
		}
	}
	fmt.Printf("pi ≈ %.1f\n", 4*float64(inside)/1000)
	// Output: pi ≈ 3.1
}

func ExampleStreams() {
	// One generator per chain; the same seed gives the same chains however
	// many goroutines run them.
	for i, rng := range sampler.Streams(2026, 3) {
		fmt.Printf("chain %d starts at %.3f\n", i, rng.NormFloat64())
	}
	// Output:
	// chain 0 starts at -0.648
	// chain 1 starts at 0.513
	// chain 2 starts at 0.265
}

func ExampleNewRand() {
	// The same seed gives the same numbers, on every machine.
	a, b := sampler.NewRand(7), sampler.NewRand(7)
	fmt.Println(a.IntN(100), a.IntN(100), b.IntN(100), b.IntN(100))
	// Output: 59 76 59 76
}

func ExampleDraw() {
	die := sampler.Func(1, func(rng *rand.Rand, x []float64) error {
		x[0] = float64(1 + rng.IntN(6))
		return nil
	})
	rolls, err := sampler.Draw(die, sampler.NewRand(3), 5)
	if err != nil {
		panic(err)
	}
	fmt.Println(rolls)
	// Output: [6 5 5 2 6]
}
