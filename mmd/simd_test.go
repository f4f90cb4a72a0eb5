package mmd

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/variate/variate/sampler"
)

// withoutAVX2 runs f with the assembly kernels switched off, so that the
// plain Go fallbacks are tested on machines that have AVX2 too.
func withoutAVX2(t *testing.T, f func()) {
	t.Helper()
	saved := useAVX2
	useAVX2 = false
	defer func() { useAVX2 = saved }()
	f()
}

// The vector exponential is within 2 ulp of math.Exp over its range and
// clamps below −708.
func TestExpNegRow(t *testing.T) {
	rng := sampler.NewRand(40)
	n := 200_003
	if testing.Short() {
		n = 20_003
	}
	src := make([]float64, n)
	for i := range src {
		switch i % 3 {
		case 0:
			src[i] = 708 * rng.Float64()
		case 1:
			src[i] = rng.Float64()
		default:
			src[i] = 1e-6 * rng.Float64()
		}
	}
	dst := make([]float64, n)
	check := func() {
		expNegRow(dst, src, 1)
		for i, x := range src {
			want := math.Exp(-x)
			ulp := math.Nextafter(want, math.Inf(1)) - want
			if d := math.Abs(dst[i] - want); d > 2*ulp {
				t.Fatalf("exp(−%v) = %v, math.Exp %v: %.1f ulp", x, dst[i], want, d/ulp)
			}
		}
	}
	check()
	withoutAVX2(t, check)
	e := make([]float64, 5)
	expNegRow(e, []float64{800, 708, 0, math.Inf(1), 1e-300}, 1)
	assert.InEpsilonSlice(t, []float64{math.Exp(-708), math.Exp(-708), 1, math.Exp(-708), 1}, e, 1e-15)
}

// The assembly and Go inner-product and weighted-sum kernels agree.
func TestGramAndWeightedSums(t *testing.T) {
	rng := sampler.NewRand(41)
	for _, d := range []int{3, 8, 17, 40, 67} {
		na, nb := 7, 10
		a, b := points(rng, na, d, 1, 0), points(rng, nb, d, 1, 0)
		g1, g2 := make([]float64, na*nb), make([]float64, na*nb)
		gram(a, b, d, g1)
		gramGo(a, b, d, g2)
		for i := range na {
			for j := range nb {
				assert.InDelta(t, dot(a[i*d:(i+1)*d], b[j*d:(j+1)*d]), g1[i*nb+j], 1e-12)
			}
		}
		assert.InDeltaSlice(t, g2, g1, 1e-12)

		w := points(rng, nb, 1, 1, 0)
		w[3] = 0
		c1 := points(rng, 1, d, 1, 0)
		c2 := append([]float64(nil), c1...)
		addWeighted(c1, w, b)
		for j, wj := range w {
			axpy(wj, b[j*d:(j+1)*d], c2)
		}
		assert.InDeltaSlice(t, c2, c1, 1e-12)

		w1, w2 := points(rng, nb, 1, 1, 0), points(rng, nb, 1, 1, 0)
		r := points(rng, 3, d, 1, 0)
		want := append([]float64(nil), r...)
		for j := range nb {
			axpy(w[j], b[j*d:(j+1)*d], want[:d])
			axpy(w1[j], b[j*d:(j+1)*d], want[d:2*d])
			axpy(w2[j], b[j*d:(j+1)*d], want[2*d:])
		}
		addWeighted3(r[:d], r[d:2*d], r[2*d:], w, w1, w2, b)
		assert.InDeltaSlice(t, want, r, 1e-12)
		addScaled(r[:d], 0.5, b[:d])
		axpy(0.5, b[:d], want[:d])
		assert.InDeltaSlice(t, want, r, 1e-12)
	}
}

// The estimators with the Go fallbacks agree with the definitions too.
func TestEstimatorsWithoutAVX2(t *testing.T) {
	withoutAVX2(t, func() { TestEstimatorsMatchTextbook(t) })
}

// The vector powers agree with the Go loop for every exponent.
func TestAddPowRow(t *testing.T) {
	rng := sampler.NewRand(42)
	e := points(rng, 37, 1, 0.3, 0.5)
	for k := uint(1); k <= 40; k++ {
		floor := math.Exp(expMin / float64(k))
		v1, dv1 := make([]float64, len(e)), make([]float64, len(e))
		v2, dv2 := make([]float64, len(e)), make([]float64, len(e))
		addPowRow(e, v1, dv1, floor, 2, k)
		withoutAVX2(t, func() { addPowRow(e, v2, dv2, floor, 2, k) })
		assert.InEpsilonSlice(t, v2, v1, 1e-14, "k=%d", k)
		assert.InEpsilonSlice(t, dv2, dv1, 1e-14, "k=%d", k)
		assert.InEpsilon(t, math.Pow(max(e[5], floor), float64(k)), v1[5], 1e-14, "k=%d", k)
	}
}
