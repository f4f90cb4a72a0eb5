package gmn

import (
	"context"
	"testing"

	"github.com/variate/variate/internal/train"
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
// ms per step.
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
	for b.Loop() {
		s++
		if _, err := tr.step(ctx, s); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/step")
}

var _ = train.Budget{}
