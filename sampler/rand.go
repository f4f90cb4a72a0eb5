package sampler

import (
	"fmt"
	"math/rand/v2"
)

// NewRand returns a generator fully determined by seed: a PCG (permuted
// congruential generator, 128-bit state) whose two state words are derived
// from seed by SplitMix64, so that nearby seeds give unrelated sequences.
func NewRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(mix(seed, 0), mix(seed, 1)))
}

// Streams returns k generators for parallel chains or goroutines, fully
// determined by seed and independent of GOMAXPROCS.
//
// Stream i is a PCG started at a 128-bit state derived from (seed, i) by
// SplitMix64 hashing. All PCG streams of math/rand/v2 walk the same cycle
// of period 2^128 from different starting points; with starting points
// spread pseudo-randomly over that cycle, the chance that any two of k
// streams of length L overlap is below k²·L/2^128 (for k = 1000 streams of
// 2^50 draws, below 2^-58). Stream i of Streams(seed, k) does not depend on
// k, and no stream equals NewRand(seed). It panics if k <= 0.
func Streams(seed uint64, k int) []*rand.Rand {
	if k <= 0 {
		panic(fmt.Sprintf("sampler: Streams needs k > 0, got %d", k))
	}
	out := make([]*rand.Rand, k)
	for i := range out {
		j := 2 * (uint64(i) + 1)
		out[i] = rand.New(rand.NewPCG(mix(seed, j), mix(seed, j+1)))
	}
	return out
}

// mix hashes (seed, i) with the SplitMix64 finaliser (Steele, Lea & Flood,
// "Fast splittable pseudorandom number generators", OOPSLA 2014).
// The seed is hashed once before the index is added, so that (seed, i)
// and (seed', i') with seed+i = seed'+i' still give unrelated words.
func mix(seed, i uint64) uint64 {
	return fin(fin(seed+golden) + (i+1)*golden)
}

const golden = 0x9e3779b97f4a7c15

func fin(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
