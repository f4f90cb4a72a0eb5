package gmn

import (
	"context"
	"testing"

	"github.com/variate/variate/target"
)

// gmmn2d is the speed case: G 2-128-128-2 ReLU, 256 generated and 256
// data points from the ring target per step, six Gaussian bandwidths,
// √MMD², Adam at 1e-3 — the case of the PyTorch peer (gmmn2d).
func gmmn2d(tb testing.TB) *trainer {
	tb.Helper()
	c, err := Config{Bandwidths: []float64{0.02, 0.05, 0.1, 0.2, 0.5, 1}, FidelityEvery: -1, NoBar: true}.defaults(FromSampler(target.Ring().Exact))
	if err != nil {
		tb.Fatal(err)
	}
	tr, err := newTrainer(FromSampler(target.Ring().Exact), c)
	if err != nil {
		tb.Fatal(err)
	}
	return tr
}

// BenchmarkStep measures one training step of the GMMN 2-D case, in
// ms per step of wall time and of processor time (cpu-ms/step, all
// threads of the process, as the PyTorch peer's cpu_ms_per_step).
func BenchmarkStep(b *testing.B) {
	tr := gmmn2d(b)
	ctx := context.Background()
	s := 0
	for range 5 {
		s++
		if _, err := tr.step(ctx, s); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	for b.Loop() {
		s++
		if _, err := tr.step(ctx, s); err != nil {
			b.Fatal(err)
		}
	}
	c1 := cpuTime()
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/step")
	if c0 >= 0 && c1 >= 0 {
		b.ReportMetric(float64((c1-c0).Microseconds())/1e3/float64(b.N), "cpu-ms/step")
	}
}

// BenchmarkStepParts splits the GMMN 2-D step into the network's forward
// and backward pass with the Adam step, and the loss with its gradient.
func BenchmarkStepParts(b *testing.B) {
	b.Run("network", func(b *testing.B) {
		tr := gmmn2d(b)
		tr.c.Noise.Fill(tr.noiseRng, tr.z)
		for b.Loop() {
			tr.net.Forward(tr.ws, tr.z)
			tr.net.ZeroGrad()
			tr.net.Backward(tr.ws, tr.gx, tr.net.Grad(), nil)
			tr.opt.Step(tr.net.Params(), tr.net.Grad())
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/step")
	})
	b.Run("loss", func(b *testing.B) {
		tr := gmmn2d(b)
		tr.c.Noise.Fill(tr.noiseRng, tr.z)
		copy(tr.x, tr.net.Forward(tr.ws, tr.z))
		if err := tr.nextData(1); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := tr.est.UnbiasedGrad(tr.x, tr.xd, tr.gx); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/step")
	})
}
