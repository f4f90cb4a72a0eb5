package mcmc

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/sampler"
)

// The ziggurat tables are consistent: the edges decrease from r to the
// top layer, and every layer has area v to 1e-9, the top one to 1e-8
// (the constants r and v of Marsaglia & Tsang are given to 13 digits;
// the top layer, built last, collects their rounding: its share of the
// mass is off by about 1e-11).
func TestZigguratTables(t *testing.T) {
	f := func(x float64) float64 { return math.Exp(-0.5 * x * x) }
	x1 := zigW[1] * zigCells
	assert.InEpsilon(t, zigV, x1*(1-f(x1)), 1e-8, "top layer area")
	for i := 2; i < zigLayers; i++ {
		xi, xj := zigW[i]*zigCells, zigW[i-1]*zigCells
		require.Less(t, xj, xi, "layer %d", i)
		assert.InEpsilon(t, zigV, xi*(f(xj)-f(xi)), 1e-9, "layer %d area", i)
	}
	// The base: a rectangle to r plus the tail beyond.
	tail := math.Sqrt(math.Pi/2) * math.Erfc(zigR/math.Sqrt2)
	assert.InEpsilon(t, zigV, zigR*f(zigR)+tail, 1e-9, "base area")
}

// normalCDF is Φ.
func normalCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

// normals draws from the standard normal: the Kolmogorov distance of
// n = 4·10⁶ draws from Φ is below the DKW bound ε with
// 2·exp(−2nε²) = 1e-7, the mass beyond the base layer's edge r and beyond
// 4 is within 6 binomial standard deviations (probability 2e-9 each),
// and the sign is a fair coin flip to 6 standard deviations.
func TestNormals(t *testing.T) {
	n := 4_000_000
	if testing.Short() {
		n = 400_000
	}
	z := make([]float64, n)
	normals(sampler.NewRand(11), z[:n-1]) // an odd count uses the last word's half
	normals(sampler.NewRand(12), z[n-1:])
	var neg, beyondR, beyond4 int
	for _, v := range z {
		if v < 0 {
			neg++
		}
		if math.Abs(v) > zigR {
			beyondR++
		}
		if math.Abs(v) > 4 {
			beyond4++
		}
	}
	binom := func(count int, p float64, msg string) {
		mean := float64(n) * p
		assert.InDelta(t, mean, float64(count), 6*math.Sqrt(mean*(1-p)), msg)
	}
	binom(neg, 0.5, "negative")
	binom(beyondR, 2*normalCDF(-zigR), "beyond r")
	binom(beyond4, 2*normalCDF(-4), "beyond 4")
	slices.Sort(z)
	var d float64
	for i, v := range z {
		c := normalCDF(v)
		d = max(d, math.Abs(c-float64(i)/float64(n)), math.Abs(c-float64(i+1)/float64(n)))
	}
	eps := math.Sqrt(math.Log(2/1e-7) / (2 * float64(n)))
	assert.Less(t, d, eps, "Kolmogorov distance")
}

// word is a rand.Source that gives one fixed word.
type word uint64

func (w word) Uint64() uint64 { return uint64(w) }

// The increments are exactly symmetric: flipping the sign bits of a
// word negates both of normals' draws from it.
func TestNormalsSymmetric(t *testing.T) {
	rng := sampler.NewRand(3)
	fast := func(h uint32) bool { return (h>>7)&(zigCells-1) < zigK[h&(zigLayers-1)] }
	var z, neg [2]float64
	for range 100000 {
		u := rng.Uint64()
		if !fast(uint32(u)) || !fast(uint32(u>>32)) {
			continue // the slow path draws more bits
		}
		normals(rand.New(word(u)), z[:])
		normals(rand.New(word(u^(1<<31|1<<63))), neg[:])
		assert.Equal(t, -z[0], neg[0])
		assert.Equal(t, -z[1], neg[1])
	}
}

// The rejection probabilities zigTries' bound rests on: the wedges' share
// of the ziggurat's area and the tail method's rejection rate.
func TestZigguratRejectionRates(t *testing.T) {
	wedge := 1 - math.Sqrt(math.Pi/2)/(zigLayers*zigV)
	assert.InDelta(t, 0.0122, wedge, 5e-5)
	tail := 1 - zigR*math.Sqrt(2*math.Pi)*math.Exp(zigR*zigR/2)*normalCDF(-zigR)
	assert.InDelta(t, 0.069, tail, 5e-4)
	assert.Less(t, math.Pow(wedge, float64(zigTries-1)), 2e-28)
	assert.Less(t, math.Pow(tail, float64(zigTries)), 3e-19)
}

// With the loops cut to one pass, draws that fail it are finished by the
// inversion fallbacks, and the draws are still standard normal (the same
// DKW bound as TestNormals, failure probability 1e-7) and exactly
// symmetric in the fallbacks' own pairing; the tail fallback stays beyond r.
func TestZigguratFallbacks(t *testing.T) {
	defer func(k int) { zigTries = k }(zigTries)
	zigTries = 0 // every slow draw goes straight to the fallbacks
	n := 400_000
	z := make([]float64, n)
	normals(sampler.NewRand(13), z)
	slices.Sort(z)
	var d float64
	for i, v := range z {
		c := normalCDF(v)
		d = max(d, math.Abs(c-float64(i)/float64(n)), math.Abs(c-float64(i+1)/float64(n)))
	}
	assert.Less(t, d, math.Sqrt(math.Log(2/1e-7)/(2*float64(n))), "Kolmogorov distance")
	rng := sampler.NewRand(14)
	for range 1000 {
		x := zigTail(rng)
		require.Greater(t, x, zigR)
		require.False(t, math.IsInf(x, 0))
	}
}
