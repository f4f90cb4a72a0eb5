package fidelity

import (
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/variate/variate/sampler"
)

func TestSortFloats(t *testing.T) {
	rng := sampler.NewRand(11)
	gens := map[string]func() float64{
		"normal":   rng.NormFloat64,
		"positive": rng.Float64,
		"negative": func() float64 { return -rng.ExpFloat64() },
		"wide":     func() float64 { return math.Ldexp(rng.NormFloat64(), rng.IntN(2000)-1000) },
		"few":      func() float64 { return float64(rng.IntN(5) - 2) },
		"extremes": func() float64 {
			return []float64{math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64, 0, math.Inf(1), math.Inf(-1)}[rng.IntN(7)]
		},
		"identical": func() float64 { return 3.5 },
	}
	for name, gen := range gens {
		for _, n := range []int{1, radixMin - 1, radixMin, 5000} {
			x := make([]float64, n)
			for i := range x {
				x[i] = gen()
			}
			want := slices.Clone(x)
			slices.Sort(want)
			sortFloats(x)
			assert.Equal(t, want, x, "%s, n = %d", name, n)
		}
	}
	// −0 and +0 compare equal; the radix sort puts −0 first.
	x := make([]float64, radixMin)
	for i := range x {
		if i%2 == 0 {
			x[i] = math.Copysign(0, -1)
		}
	}
	sortFloats(x)
	for i, v := range x {
		assert.Equal(t, i < radixMin/2, math.Signbit(v), "position %d", i)
	}
}

func BenchmarkSortFloats(b *testing.B) {
	rng := sampler.NewRand(1)
	src := make([]float64, 100000)
	for i := range src {
		src[i] = rng.NormFloat64()
	}
	x := make([]float64, len(src))
	b.Run("radix", func(b *testing.B) {
		for b.Loop() {
			copy(x, src)
			sortFloats(x)
		}
	})
	b.Run("pdqsort", func(b *testing.B) {
		for b.Loop() {
			copy(x, src)
			slices.Sort(x)
		}
	})
}
