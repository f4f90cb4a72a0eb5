package nn_test

import (
	"fmt"
	"math"

	"github.com/variate/variate/internal/nn"
	"github.com/variate/variate/sampler"
)

// Fit y = sin(3x) on [−1, 1] with a 1-32-32-1 tanh network, Adam and a
// squared loss: the loop a trainer runs, allocation-free once set up.
func Example() {
	net, err := nn.New(1, []nn.Layer{
		{Out: 32, Act: nn.Act(nn.Tanh)},
		{Out: 32, Act: nn.Act(nn.Tanh)},
		{Out: 1},
	})
	if err != nil {
		panic(err)
	}
	rng := sampler.NewRand(1)
	if err := net.Init(rng, nn.GlorotInit); err != nil {
		panic(err)
	}
	cfg := nn.DefaultAdam()
	cfg.LR = 0.01
	opt, err := nn.NewAdam(net.NumParams(), cfg)
	if err != nil {
		panic(err)
	}
	const batch = 64
	ws := net.NewWorkspace(batch)
	x, dy := make([]float64, batch), make([]float64, batch)
	var loss float64
	for step := range 1500 {
		for i := range x {
			x[i] = 2*rng.Float64() - 1
		}
		y := net.Forward(ws, x)
		loss = 0
		for i := range y {
			r := y[i] - math.Sin(3*x[i])
			loss += r * r / batch
			dy[i] = 2 * r / batch
		}
		net.ZeroGrad()
		net.Backward(ws, dy, net.Grad(), nil)
		opt.Step(net.Params(), net.Grad())
		if step == 0 {
			fmt.Printf("first loss above 0.1: %v\n", loss > 0.1)
		}
	}
	fmt.Printf("last loss below 0.001: %v\n", loss < 0.001)
	// Output:
	// first loss above 0.1: true
	// last loss below 0.001: true
}

// A GAN's generator step: the loss depends on the generator G only through
// the discriminator D's verdict on G's points, so the gradient passes
// through D's input (dx) into G, and D's parameters are left out (nil).
func ExampleNetwork_Backward() {
	g, _ := nn.New(2, []nn.Layer{{Out: 16, Act: nn.Act(nn.ReLU)}, {Out: 2}})
	d, _ := nn.New(2, []nn.Layer{{Out: 16, Act: nn.Leaky(0.2)}, {Out: 1}})
	rng := sampler.NewRand(3)
	_ = g.Init(rng, nn.HeInit)
	_ = d.Init(rng, nn.HeInit)
	const batch = 8
	wsG, wsD := g.NewWorkspace(batch), d.NewWorkspace(batch)
	z := make([]float64, batch*2)
	for i := range z {
		z[i] = rng.NormFloat64()
	}
	x := g.Forward(wsG, z)     // generated points
	logit := d.Forward(wsD, x) // D's verdict
	// Non-saturating loss −log σ(logit), averaged: ∂/∂logit = (σ(logit) − 1)/batch.
	dLogit := make([]float64, batch)
	for i, v := range logit {
		dLogit[i] = (1/(1+math.Exp(-v)) - 1) / batch
	}
	dx := make([]float64, batch*2)
	d.Backward(wsD, dLogit, nil, dx)
	g.ZeroGrad()
	g.Backward(wsG, dx, g.Grad(), nil)
	fmt.Println("generator gradient is non-zero:", nn.Norm(g.Grad()) > 0)
	fmt.Println("discriminator gradient untouched:", nn.Norm(d.Grad()) == 0)
	// Output:
	// generator gradient is non-zero: true
	// discriminator gradient untouched: true
}
