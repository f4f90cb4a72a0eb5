// Package fidelity measures how close draws are to a target: the
// Kolmogorov–Smirnov statistic against a CDF or a second sample,
// Wasserstein-1 (exact in 1-D, sliced in d-D), the energy distance, total
// variation by histogram with the optimal discriminator's error, and mode
// coverage for mixtures (the VEEGAN/PacGAN definitions).
//
// Point sets are stored row after row in a []float64 with their
// dimension. Inputs are never modified. Empty input, mismatched
// dimensions and NaN or infinite values are errors that name the problem;
// a NaN is never returned as if it were a valid distance.
//
// SlicedReference and QuantileReference hold what SlicedWasserstein and
// Wasserstein1Quantile derive from the reference alone, for measuring many
// samples against one distribution, with the same bits.
//
// The functions that take a user function (the CDF of KS and TVCDF, the
// quantile function of Wasserstein1Quantile and NewQuantileReference) call
// it on the caller's goroutine, so a panic
// in it reaches the caller unchanged. Energy spreads its pairwise sums over
// goroutines of its own that run no user code; a panic there would be a
// defect and comes back as an error ("fidelity: internal error on a worker
// goroutine") with the panic value and stack, never ending the process.
package fidelity
