// Package sampler defines the contract every sampling method in variate
// keeps, and the only ways the library seeds random number generators.
//
// A [Sampler] draws points from a distribution over R^d and writes them,
// one after another, into a caller's slice. Randomness is always passed in
// as a *rand.Rand from math/rand/v2: there is no package-level generator
// and no hidden fallback, so a seed fixes every bit of output.
//
// [NewRand] gives one generator for a seed; [Streams] gives k generators
// for chains or goroutines that must not share a sequence. [Draw] is the
// convenience that allocates the result slice.
package sampler
