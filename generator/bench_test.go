package generator

import (
	"testing"

	"github.com/variate/variate/internal/nn"
	"github.com/variate/variate/sampler"
)

// BenchmarkGeneratorSample draws 4096 points per Sample call from a
// 2-128-128-2 ReLU generator on uniform noise; bench/peers/torch_learned.py
// case gen2d times PyTorch on the same network.
func BenchmarkGeneratorSample(b *testing.B) {
	net, err := nn.New(2, []nn.Layer{{Out: 128, Act: nn.Act(nn.ReLU)}, {Out: 128, Act: nn.Act(nn.ReLU)}, {Out: 2}})
	if err != nil {
		b.Fatal(err)
	}
	if err := net.Init(sampler.NewRand(1), nn.TorchInit); err != nil {
		b.Fatal(err)
	}
	g, err := New(Noise{Law: Uniform, Dim: 2}, net, IdentityOutput, Provenance{})
	if err != nil {
		b.Fatal(err)
	}
	const draws = 4096
	dst := make([]float64, draws*2)
	rng := sampler.NewRand(2)
	if err := g.Sample(rng, dst); err != nil { // build the workspaces
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		if err := g.Sample(rng, dst); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*draws), "ns/draw")
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N*draws), "cpu-ns/draw")
}
