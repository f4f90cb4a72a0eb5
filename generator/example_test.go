package generator_test

import (
	"fmt"

	"github.com/variate/variate/generator"
	"github.com/variate/variate/internal/nn"
	"github.com/variate/variate/sampler"
)

func Example() {
	// A 2-16-16-2 ReLU network on uniform noise; a trainer would fit its
	// weights, here they are only initialised.
	net, err := nn.New(2, []nn.Layer{
		{Out: 16, Act: nn.Act(nn.ReLU)},
		{Out: 16, Act: nn.Act(nn.ReLU)},
		{Out: 2},
	})
	if err != nil {
		panic(err)
	}
	if err := net.Init(sampler.NewRand(1), nn.HeInit); err != nil {
		panic(err)
	}
	g, err := generator.New(generator.Noise{Law: generator.Uniform, Dim: 2}, net, generator.IdentityOutput, generator.Provenance{Method: "example"})
	if err != nil {
		panic(err)
	}
	x := make([]float64, 3*g.Dim())
	if err := g.Sample(sampler.NewRand(2), x); err != nil {
		panic(err)
	}
	for i := 0; i < len(x); i += 2 {
		fmt.Printf("%.3f %.3f\n", x[i], x[i+1])
	}
	// Output:
	// 0.258 -0.150
	// 0.827 -0.519
	// 0.978 -0.646
}
