package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Gemm agrees with the triple loop on every shape, form, stride padding
// and scaling the fuzzer finds, on the path the machine picks.
func FuzzGemm(f *testing.F) {
	f.Add(uint8(1), uint8(1), uint8(1), false, false, uint8(0), 1.0, 0.0, uint64(1))
	f.Add(uint8(9), uint8(25), uint8(3), true, false, uint8(2), -0.5, 1.0, uint64(2))
	f.Add(uint8(17), uint8(7), uint8(40), false, true, uint8(1), 2.0, -1.5, uint64(3))
	f.Add(uint8(33), uint8(49), uint8(0), true, true, uint8(3), 1.0, 0.5, uint64(4))
	f.Fuzz(func(t *testing.T, m, n, k uint8, transA, transB bool, pad uint8, alpha, beta float64, seed uint64) {
		if math.IsNaN(alpha) || math.IsInf(alpha, 0) || math.Abs(alpha) > 1e6 ||
			math.IsNaN(beta) || math.IsInf(beta, 0) || math.Abs(beta) > 1e6 {
			t.Skip("scales outside the tolerance's range")
		}
		rng := rand.New(rand.NewPCG(seed, 5))
		g := newCase(rng, transA, transB, int(m%70), int(n%70), int(k%90), int(pad%4), alpha, beta)
		if g.m == 0 || g.n == 0 {
			// checkMatrix wants a row stride at least 1 even for empty C.
			return
		}
		g.check(t)
	})
}

// Exp clamps below ExpMin and is within 2 ulp of math.Exp above it.
func FuzzExp(f *testing.F) {
	for _, x := range []float64{0, -1, 1, ExpMin, ExpMin - 1e-9, 709, -1e300, 1e-300} {
		f.Add(x)
	}
	f.Fuzz(func(t *testing.T, x float64) {
		if math.IsNaN(x) || x > 709 {
			return
		}
		got := Exp(x)
		want := math.Exp(max(x, ExpMin))
		ulp := math.Nextafter(want, math.Inf(1)) - want
		if math.Abs(got-want) > 2*ulp {
			t.Fatalf("Exp(%v) = %v, math.Exp %v", x, got, want)
		}
	})
}
