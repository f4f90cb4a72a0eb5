package gan_test

import (
	"context"
	"fmt"
	"math"

	"github.com/variate/variate/gan"
	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

// Train a generator on draws of N(0, 1), then correct it with its
// discriminator by rejection (DRS) and by Metropolis–Hastings (MH-GAN).
func Example() {
	data := gan.FromSampler(target.Normal().Exact)
	cfg := gan.Config{Seed: 1, Steps: 1500, GenHidden: []int{32, 32}, DiscHidden: []int{32, 32}, Batch: 128, LR: 1e-3, EMA: 0.99, NoBar: true}
	res, err := gan.Fit(context.Background(), data, cfg)
	if err != nil {
		panic(err)
	}
	moments := func(name string, s sampler.Sampler) {
		x, err := sampler.Draw(s, sampler.NewRand(2), 20000)
		if err != nil {
			panic(err)
		}
		var m, v float64
		for _, xi := range x {
			m += xi / float64(len(x))
		}
		for _, xi := range x {
			v += (xi - m) * (xi - m) / float64(len(x))
		}
		fmt.Printf("%-9s mean %4.1f  sd %.1f\n", name, math.Abs(m), math.Sqrt(v))
	}
	moments("generator", res.Generator)
	drs, err := gan.NewDRS(res.Generator, res.Discriminator, sampler.NewRand(3), nil)
	if err != nil {
		panic(err)
	}
	moments("DRS", drs)
	mh, err := gan.NewMH(res.Generator, res.Discriminator, []float64{0.1}, nil)
	if err != nil {
		panic(err)
	}
	moments("MH-GAN", mh)
	// Output:
	// generator mean  0.0  sd 1.0
	// DRS       mean  0.0  sd 1.0
	// MH-GAN    mean  0.0  sd 1.0
}
