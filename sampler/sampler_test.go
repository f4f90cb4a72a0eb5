package sampler_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/sampler"
)

func TestNewRandReproducible(t *testing.T) {
	a, b := sampler.NewRand(42), sampler.NewRand(42)
	for range 1000 {
		require.Equal(t, a.Uint64(), b.Uint64())
	}
	c := sampler.NewRand(43)
	same := 0
	a = sampler.NewRand(42)
	for range 1000 {
		if a.Uint64() == c.Uint64() {
			same++
		}
	}
	assert.Zero(t, same, "seeds 42 and 43 must give unrelated sequences")
}

// Known-answer vector: the first outputs for seed 1 are part of the
// reproducibility promise; changing them breaks every user's results.
func TestNewRandKnownAnswer(t *testing.T) {
	r := sampler.NewRand(1)
	got := []uint64{r.Uint64(), r.Uint64(), r.Uint64()}
	assert.Equal(t, knownSeed1, got)
}

func TestStreams(t *testing.T) {
	s4 := sampler.Streams(7, 4)
	s9 := sampler.Streams(7, 9)
	first := map[uint64]int{}
	for i := range s4 {
		x := s4[i].Uint64()
		require.Equal(t, x, s9[i].Uint64(), "stream %d must not depend on k", i)
		_, dup := first[x]
		require.False(t, dup, "streams %d and %d start alike", i, first[x])
		first[x] = i
	}
	base := sampler.NewRand(7).Uint64()
	_, dup := first[base]
	assert.False(t, dup, "a stream equals NewRand(seed)")

	// Streams are uncorrelated: the mean product of centred uniforms of two
	// streams has sd 1/(12 sqrt n); 6 sd bounds a false failure by 2e-9.
	a, b := sampler.Streams(99, 2)[0], sampler.Streams(99, 2)[1]
	const n = 200000
	var sum float64
	for range n {
		sum += (a.Float64() - 0.5) * (b.Float64() - 0.5)
	}
	assert.Less(t, math.Abs(sum/n), 6/(12*math.Sqrt(n)))
}

func TestStreamsPanics(t *testing.T) {
	assert.PanicsWithValue(t, "sampler: Streams needs k > 0, got 0", func() { sampler.Streams(1, 0) })
	assert.Panics(t, func() { sampler.Streams(1, -3) })
}

func TestDrawAndFunc(t *testing.T) {
	s := sampler.Func(2, func(rng *rand.Rand, x []float64) error {
		x[0], x[1] = rng.Float64(), -1
		return nil
	})
	assert.Equal(t, 2, s.Dim())
	x, err := sampler.Draw(s, sampler.NewRand(3), 5)
	require.NoError(t, err)
	require.Len(t, x, 10)
	for i := 0; i < 10; i += 2 {
		assert.True(t, x[i] >= 0 && x[i] < 1)
		assert.Equal(t, -1.0, x[i+1])
	}
	y, err := sampler.Draw(s, sampler.NewRand(3), 5)
	require.NoError(t, err)
	assert.Equal(t, x, y)

	assert.PanicsWithValue(t, "sampler: len(dst)=3 is not a multiple of the dimension 2",
		func() { _ = s.Sample(sampler.NewRand(1), make([]float64, 3)) })
	assert.Panics(t, func() { _, _ = sampler.Draw(s, sampler.NewRand(1), -1) })
	assert.Panics(t, func() { sampler.Func(0, nil) })
	assert.Panics(t, func() { sampler.CheckLen("x", nil, 0) })

	boom := errors.New("boom")
	bad := sampler.Func(1, func(*rand.Rand, []float64) error { return boom })
	_, err = sampler.Draw(bad, sampler.NewRand(1), 2)
	assert.ErrorIs(t, err, boom)
}

var knownSeed1 = []uint64{0xdb12a4e1e285d8c1, 0x577049c9ae88d6fe, 0xdd8ce1263f4a8d0f}

func TestUniformOpen(t *testing.T) {
	rng := sampler.NewRand(5)
	var sum float64
	const n = 100000
	for range n {
		u := sampler.Uniform(rng)
		require.True(t, u > 0 && u < 1)
		sum += u
	}
	// Mean 1/2, sd of the mean 1/sqrt(12n); 6 sd: false failure below 2e-9.
	assert.InDelta(t, 0.5, sum/n, 6/math.Sqrt(12*n))
}

// Any seed and any positive k give k distinct, reproducible streams whose
// prefix does not depend on k; k <= 0 panics.
func FuzzStreams(f *testing.F) {
	f.Add(uint64(0), 1)
	f.Add(uint64(1), 7)
	f.Add(^uint64(0), 33)
	f.Add(uint64(42), 0)
	f.Add(uint64(42), -5)
	f.Fuzz(func(t *testing.T, seed uint64, k int) {
		if k > 64 {
			return
		}
		if k <= 0 {
			require.Panics(t, func() { sampler.Streams(seed, k) })
			return
		}
		a, b, c := sampler.Streams(seed, k), sampler.Streams(seed, k), sampler.Streams(seed, k+1)
		seen := map[uint64]bool{sampler.NewRand(seed).Uint64(): true}
		for i := range a {
			x := a[i].Uint64()
			require.Equal(t, x, b[i].Uint64())
			require.Equal(t, x, c[i].Uint64())
			// A repeat among 65 uniform 64-bit words has probability 1e-16.
			require.False(t, seen[x], "stream %d repeats a first output", i)
			seen[x] = true
		}
	})
}
