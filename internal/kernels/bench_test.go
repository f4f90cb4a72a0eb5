package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// gemmShapes are the products of the dense networks and of MMD at MNIST
// size, written m×k·k×n, the shapes the NumPy peer measures.
var gemmShapes = []struct{ m, k, n int }{
	{256, 128, 128},   // hidden layer of the 2-D generators, batch 256
	{64, 256, 784},    // output layer at MNIST size, batch 64
	{1000, 784, 1000}, // MMD cross term at MNIST size
}

// BenchmarkGemm runs C = A·B on each shape in the three forms a forward
// and backward pass use, on each path, reporting GFLOP/s (2mnk flops).
// For NT and TN the operands are stored so that op(A) and op(B) have the
// shapes of NN.
func BenchmarkGemm(b *testing.B) {
	for _, s := range gemmShapes {
		rng := rand.New(rand.NewPCG(11, 12))
		a := randSlice(rng, s.m*s.k)
		bb := randSlice(rng, s.k*s.n)
		c := make([]float64, s.m*s.n)
		for _, v := range variants[:3] {
			lda, ldb := s.k, s.n
			if v.transA {
				lda = s.m
			}
			if v.transB {
				ldb = s.k
			}
			for _, p := range Paths() {
				name := fmt.Sprintf("m%d_k%d_n%d/%s/%s", s.m, s.k, s.n, v.name, p)
				b.Run(name, func(b *testing.B) {
					defer SetPath(p)()
					f := func() { Gemm(v.transA, v.transB, s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, s.n) }
					f()
					b.ReportAllocs()
					for b.Loop() {
						f()
					}
					b.ReportMetric(2*float64(s.m*s.n*s.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}
