package mmd

import (
	"math"
	"testing"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"

	"github.com/variate/variate/internal/kernels"
	"github.com/variate/variate/sampler"
)

// benchCase mirrors the NumPy peer: n = m = 4000 normal points, the
// second set shifted by 0.1·scale, six Gaussian bandwidths.
type benchCase struct {
	name   string
	d      int
	scale  float64
	sigmas []float64
}

var benchCases = []benchCase{
	{"n4000_d2", 2, 1, []float64{0.02, 0.05, 0.1, 0.2, 0.5, 1.0}},
	{"n4000_d784", 784, 0.3, []float64{2, 5, 10, 20, 40, 80}},
}

func benchMMD(b *testing.B, grad bool) {
	const n = 4000
	for _, c := range benchCases {
		b.Run(c.name, func(b *testing.B) {
			rng := sampler.NewRand(7)
			x := points(rng, n, c.d, c.scale, 0)
			y := points(rng, n, c.d, c.scale, 0.1*c.scale)
			k, err := GaussianSum(c.sigmas...)
			if err != nil {
				b.Fatal(err)
			}
			e, err := NewEstimator(k, c.d, nil)
			if err != nil {
				b.Fatal(err)
			}
			g := make([]float64, len(x))
			call := func() (float64, error) {
				if grad {
					return e.UnbiasedGrad(x, y, g)
				}
				return e.Unbiased(x, y)
			}
			// Warm the workspace: steady state allocates nothing.
			v, err := call()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if v, err = call(); err != nil {
					b.Fatal(err)
				}
			}
			// Distinct pairs evaluated: n(n−1)/2 + m(m−1)/2 + nm.
			pairs := float64(n*(n-1)/2*2 + n*n)
			sec := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(pairs*float64(len(c.sigmas))/sec/1e6, "Mkernel/s")
			b.ReportMetric(v, "mmd2")
		})
	}
}

func BenchmarkMMD2Unbiased(b *testing.B)     { benchMMD(b, false) }
func BenchmarkMMD2UnbiasedGrad(b *testing.B) { benchMMD(b, true) }

var sink float64

// BenchmarkExp is the physical reference: exponentials of independent
// arguments in a loop, one goroutine, math.Exp against the package's
// table-driven exponential.
func BenchmarkExp(b *testing.B) {
	args := make([]float64, 4096)
	rng := sampler.NewRand(8)
	for i := range args {
		args[i] = -20 * rng.Float64()
	}
	for _, f := range []struct {
		name string
		exp  func(float64) float64
	}{{"math", math.Exp}, {"fast", kernels.Exp}} {
		b.Run(f.name, func(b *testing.B) {
			var s float64
			b.ReportAllocs()
			for b.Loop() {
				for _, a := range args {
					s += f.exp(a)
				}
			}
			sink = s
			b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N*len(args)), "ns/exp")
		})
	}
	b.Run("vector", func(b *testing.B) {
		// The row exponential of the estimators (AVX2 where available).
		dst, src := make([]float64, len(args)), make([]float64, len(args))
		for i, a := range args {
			src[i] = -a
		}
		b.ReportAllocs()
		for b.Loop() {
			kernels.ExpNeg(dst, src, 1)
		}
		sink = dst[7]
		b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N*len(args)), "ns/exp")
	})
	b.Run("fast_inline", func(b *testing.B) {
		var s0, s1 float64
		for b.Loop() {
			for i := 0; i < len(args); i += 2 {
				s0 += kernels.Exp(args[i])
				s1 += kernels.Exp(args[i+1])
			}
		}
		sink = s0 + s1
		b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N*len(args)), "ns/exp")
	})
}

// BenchmarkGram measures the inner products behind the d = 784 case on
// one 4000×784 by 784×256 product: the shared GEMM on one goroutine,
// tile by tile as the estimator calls it (gemm), and gonum's pure-Go
// blas64.Dgemm on its own goroutines. (Until 5336b5f a "tile"
// sub-benchmark measured the AVX2 dot-product tiles the estimator used
// before; mmd/testdata/gram_gemm.txt has both.)
func BenchmarkGram(b *testing.B) {
	const n, m, d = 4000, 256, 784
	rng := sampler.NewRand(9)
	x, y := points(rng, n, d, 1, 0), points(rng, m, d, 1, 0)
	out := make([]float64, n*m)
	flops := 2.0 * n * m * d
	b.Run("gemm", func(b *testing.B) {
		const bs = 128
		g := make([]float64, bs*bs)
		for b.Loop() {
			for i := 0; i < n; i += bs {
				for j := 0; j < m; j += bs {
					ni, nj := min(i+bs, n)-i, min(j+bs, m)-j
					kernels.GemmSerial(false, true, ni, nj, d, 1, x[i*d:(i+ni)*d], d, y[j*d:(j+nj)*d], d, 0, g, nj)
				}
			}
		}
		b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	})
	b.Run("gonum_dgemm", func(b *testing.B) {
		A := blas64.General{Rows: n, Cols: d, Stride: d, Data: x}
		B := blas64.General{Rows: m, Cols: d, Stride: d, Data: y}
		C := blas64.General{Rows: n, Cols: m, Stride: m, Data: out}
		for b.Loop() {
			blas64.Gemm(blas.NoTrans, blas.Trans, 1, A, B, 0, C)
		}
		b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	})
}

// BenchmarkMMD2GradRatio alternates value and value+gradient calls, so that
// both see the same load on a shared machine, and reports the ratio of
// their times.
func BenchmarkMMD2GradRatio(b *testing.B) {
	const n = 4000
	for _, c := range benchCases {
		b.Run(c.name, func(b *testing.B) {
			rng := sampler.NewRand(7)
			x := points(rng, n, c.d, c.scale, 0)
			y := points(rng, n, c.d, c.scale, 0.1*c.scale)
			k, err := GaussianSum(c.sigmas...)
			if err != nil {
				b.Fatal(err)
			}
			e, err := NewEstimator(k, c.d, nil)
			if err != nil {
				b.Fatal(err)
			}
			g := make([]float64, len(x))
			var tv, tg time.Duration
			for b.Loop() {
				t0 := time.Now()
				if _, err := e.Unbiased(x, y); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if _, err := e.UnbiasedGrad(x, y, g); err != nil {
					b.Fatal(err)
				}
				tv += t1.Sub(t0)
				tg += time.Since(t1)
			}
			b.ReportMetric(float64(tg)/float64(tv), "grad/value")
		})
	}
}
