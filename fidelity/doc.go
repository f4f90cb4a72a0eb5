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
package fidelity
