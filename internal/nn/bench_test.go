package nn

import (
	"testing"

	"github.com/variate/variate/sampler"
)

// BenchmarkTrainStep times one training step — forward, backward to the
// parameters, Adam — of a 2-128-128-2 ReLU network on a batch of 256, the
// floor under a trainer's step on a 2-D target.
func BenchmarkTrainStep(b *testing.B) {
	for _, c := range []struct {
		name   string
		in     int
		layers []Layer
		batch  int
	}{
		{"2-128-128-2/batch=256", 2, []Layer{{Out: 128, Act: Act(ReLU)}, {Out: 128, Act: Act(ReLU)}, {Out: 2}}, 256},
		{"64-256-256-784/batch=64", 64, []Layer{{Out: 256, Act: Act(ReLU)}, {Out: 256, Act: Act(ReLU)}, {Out: 784, Act: Act(Sigmoid)}}, 64},
	} {
		b.Run(c.name, func(b *testing.B) {
			n, err := New(c.in, c.layers)
			if err != nil {
				b.Fatal(err)
			}
			if err := n.Init(sampler.NewRand(1), TorchInit); err != nil {
				b.Fatal(err)
			}
			rng := sampler.NewRand(2)
			x, dy := randSlice(rng, c.batch*c.in), randSlice(rng, c.batch*n.Out())
			ws := n.NewWorkspace(c.batch)
			opt, err := NewAdam(n.NumParams(), DefaultAdam())
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				n.ZeroGrad()
				n.Forward(ws, x)
				n.Backward(ws, dy, n.Grad(), nil)
				opt.Step(n.Params(), n.Grad())
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/step")
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e6, "cpu-ms/step")
		})
	}
}
