package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Exp is within 2 ulp of math.Exp on [ExpMin, 709] and clamps below.
func TestExp(t *testing.T) {
	rng := rand.New(rand.NewPCG(30, 31))
	n := 1_000_000
	if testing.Short() {
		n = 100_000
	}
	for i := range n {
		var x float64
		switch i % 3 {
		case 0:
			x = ExpMin * rng.Float64()
		case 1:
			x = 709 * rng.Float64()
		default:
			x = 2*rng.Float64() - 1
		}
		want := math.Exp(x)
		ulp := math.Nextafter(want, math.Inf(1)) - want
		if d := math.Abs(Exp(x) - want); d > 2*ulp {
			t.Fatalf("Exp(%v) = %v, math.Exp %v: %v ulp", x, Exp(x), want, d/ulp)
		}
	}
	floor := math.Exp(ExpMin)
	assert.InEpsilon(t, floor, Exp(ExpMin), 1e-15)
	assert.Equal(t, Exp(ExpMin), Exp(-708.5))
	assert.Equal(t, Exp(ExpMin), Exp(math.Inf(-1)))
	assert.Equal(t, 1.0, Exp(0))
	assert.True(t, math.IsNaN(Exp(math.NaN())))
}

// The vector exponential is within 2 ulp of math.Exp over its range and
// clamps as Exp does, on every path.
func TestExpNeg(t *testing.T) {
	rng := rand.New(rand.NewPCG(40, 41))
	n := 200_003
	if testing.Short() {
		n = 20_003
	}
	src := make([]float64, n)
	for i := range src {
		switch i % 3 {
		case 0:
			src[i] = -ExpMin * rng.Float64()
		case 1:
			src[i] = rng.Float64()
		default:
			src[i] = 1e-6 * rng.Float64()
		}
	}
	dst := make([]float64, n)
	forEachPath(t, func(t *testing.T) {
		ExpNeg(dst, src, 1)
		for i, x := range src {
			want := math.Exp(-x)
			ulp := math.Nextafter(want, math.Inf(1)) - want
			if d := math.Abs(dst[i] - want); d > 2*ulp {
				t.Fatalf("exp(−%v) = %v, math.Exp %v: %.1f ulp", x, dst[i], want, d/ulp)
			}
		}
		// Lengths 5 and 4 put the clamped values in the Go tail and in the
		// vector part.
		floor := math.Exp(ExpMin)
		e := make([]float64, 5)
		ExpNeg(e, []float64{800, 708, 0, math.Inf(1), 1e-300}, 1)
		assert.InEpsilonSlice(t, []float64{floor, floor, 1, floor, 1}, e, 1e-15)
		ExpNeg(e, []float64{1, 2, 3, 4}, 300)
		assert.InEpsilonSlice(t, []float64{math.Exp(-300), math.Exp(-600), floor, floor}, e[:4], 1e-14)
	})
}

// The weighted-sum kernels and Dot agree with the plain loops on every
// path, for dimensions that leave tails of every length.
func TestWeightedSums(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(41, 42))
		for _, d := range []int{3, 8, 17, 40, 67} {
			nb := 10
			a, b := randSlice(rng, d), randSlice(rng, nb*d)
			var dot float64
			for k := range d {
				dot += a[k] * b[k]
			}
			assert.InDelta(t, dot, Dot(a, b[:d]), 1e-12)

			w := randSlice(rng, nb)
			w[3] = 0
			c1 := randSlice(rng, d)
			c2 := append([]float64(nil), c1...)
			AddWeighted(c1, w, b)
			for j, wj := range w {
				axpyGo(wj, b[j*d:(j+1)*d], c2)
			}
			assert.InDeltaSlice(t, c2, c1, 1e-12)

			r := randSlice(rng, d)
			want := append([]float64(nil), r...)
			Axpy(0.5, b[:d], r)
			axpyGo(0.5, b[:d], want)
			assert.InDeltaSlice(t, want, r, 1e-12)
		}
	})
}

// The vector powers agree with math.Pow for every exponent, on every path.
func TestAddPow(t *testing.T) {
	rng := rand.New(rand.NewPCG(42, 43))
	e := make([]float64, 37)
	for i := range e {
		e[i] = 0.5 + 0.3*rng.Float64()
	}
	e[2] = 1e-300 // below every floor
	forEachPath(t, func(t *testing.T) {
		for k := uint(1); k <= 40; k++ {
			floor := math.Exp(ExpMin / float64(k))
			v, dv := make([]float64, len(e)), make([]float64, len(e))
			v[1], dv[1] = 1, 1
			AddPow(e, v, dv, floor, 2, k)
			for j, x := range e {
				want := math.Pow(max(x, floor), float64(k))
				if j == 1 {
					assert.InEpsilon(t, 1+want, v[j], 1e-14, "k=%d", k)
					assert.InEpsilon(t, 1-2*want, dv[j], 1e-14, "k=%d", k)
					continue
				}
				assert.InEpsilon(t, want, v[j], 1e-14, "k=%d j=%d", k, j)
				assert.InEpsilon(t, -2*want, dv[j], 1e-14, "k=%d j=%d", k, j)
			}
		}
	})
	assert.Panics(t, func() { AddPow(e, e, e, 0, 1, 0) })
}

// The AVX-512 exponential and powers are the AVX2 ones eight lanes wide:
// the same bits, with the clamps and floors in the wide part, at lengths
// that leave an AVX2 group and a Go tail.
func TestExpPowWideEqualsAVX2(t *testing.T) {
	if bestPath < PathAVX512 {
		t.Skip("no AVX-512 on this machine")
	}
	rng := rand.New(rand.NewPCG(43, 44))
	src := make([]float64, 8*41+4)
	for i := range src {
		src[i] = -ExpMin * rng.Float64() * float64(i%3) / 2
	}
	src[3], src[9], src[17] = 800, math.Inf(1), 1e-300
	run := func(p Path) (e, v, dv []float64) {
		defer SetPath(p)()
		e = make([]float64, len(src))
		ExpNeg(e, src, 1.5)
		r := rand.New(rand.NewPCG(45, 46))
		v, dv = randSlice(r, len(src)), randSlice(r, len(src))
		for k := uint(1); k <= 32; k++ {
			AddPow(e, v, dv, math.Exp(ExpMin/float64(k)), 0.25, k)
		}
		return e, v, dv
	}
	e2, v2, dv2 := run(PathAVX2)
	e5, v5, dv5 := run(PathAVX512)
	for i := range src {
		require.Equal(t, math.Float64bits(e2[i]), math.Float64bits(e5[i]), "exp at %d", i)
		require.Equal(t, math.Float64bits(v2[i]), math.Float64bits(v5[i]), "v at %d", i)
		require.Equal(t, math.Float64bits(dv2[i]), math.Float64bits(dv5[i]), "dv at %d", i)
	}
}
