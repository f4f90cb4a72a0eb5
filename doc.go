// Package variate turns uniform random numbers into draws from complicated
// distributions, by every classic and learned route, and measures each
// route on the same targets with the same yardsticks.
//
// The root package holds no code of its own: it is this overview and the
// side-by-side benchmarks (go test -bench . in this directory). The work is
// done in the packages below, each of which produces a [github.com/variate/variate/sampler.Sampler]:
//
//	sampler    the Sampler interface; NewRand and Streams, the only ways
//	           the library seeds generators; Draw
//	target     reference distributions: the 13-target catalogue, mixtures,
//	           truncation, gonum distuv wrappers, each with an exact sampler
//	transform  inverse transform: analytic quantile, generalised CDF
//	           inversion, a fast interpolation table built from a density
//	           alone, the alias method, and Map (transformations such as
//	           Box–Muller)
//	rejection  rejection sampling with a given or computed bound, and
//	           adaptive rejection sampling for log-concave densities
//	mcmc       Metropolis–Hastings kernels, a parallel multi-chain runner,
//	           and convergence diagnostics (R-hat, ESS, MCSE)
//	mmd        kernels, MMD² estimators and their gradients, the
//	           permutation two-sample test
//	fidelity   distances between draws and a target: KS, Wasserstein,
//	           energy, total variation, mode coverage
//	bench      go run ./bench: the comparison suite and its report
//
// Randomness is always passed in as a *rand.Rand from math/rand/v2; a seed
// fixes every bit of output.
package variate
