package gan

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

// BenchmarkStep measures one training iteration (one discriminator step
// and one generator step, each an Adam update) on the cases of the
// PyTorch peer bench/peers/torch_learned.py, with the same shapes,
// activations (ReLU in both networks), batch, noise and data:
//
//	gan2d     G 2-128-128-2, D 2-128-128-1, batch 256, ring data
//	ganmnist  G 64-256-256-784 (sigmoid), D 784-256-256-1, batch 64,
//	          uniform data
//
// It reports ms/iter, and the processor time per iteration
// (cpu-ms/iter, all threads), steadier on a shared machine.
func BenchmarkStep(b *testing.B) {
	uniform := sampler.Func(784, func(rng *rand.Rand, x []float64) error {
		for i := range x {
			x[i] = rng.Float64()
		}
		return nil
	})
	cases := []struct {
		name string
		data sampler.Sampler
		cfg  Config
	}{
		{"gan2d", target.Ring().Exact, Config{NoiseDim: 2, GenHidden: []int{128, 128}, DiscHidden: []int{128, 128}, Batch: 256}},
		{"ganmnist", uniform, Config{NoiseDim: 64, GenHidden: []int{256, 256}, DiscHidden: []int{256, 256}, Batch: 64, SigmoidOutput: true}},
		// The configuration of the ring and grid table (modes_test.go),
		// with its own activations: its cost per step times its steps is
		// its training time.
		{"pacgan2", target.Ring().Exact, Config{Pack: 2, Batch: 128, GenHidden: []int{200, 200, 200}, DiscHidden: []int{200, 200, 200}}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			cfg := c.cfg
			if c.name != "pacgan2" {
				cfg.GenActivation, cfg.DiscActivation, cfg.EMA, cfg.LR = ReLU, ReLU, -1, 1e-4
			}
			s, err := cfg.settings(c.data.Dim())
			require.NoError(b, err)
			t, err := newTrainer(s, FromSampler(c.data))
			require.NoError(b, err)
			for range 5 {
				_, err := t.step()
				require.NoError(b, err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuTime()
			for b.Loop() {
				if _, err := t.step(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e6/float64(b.N), "ms/iter")
			b.ReportMetric(float64(cpuTime()-cpu0)/1e6/float64(b.N), "cpu-ms/iter")
		})
	}
}
