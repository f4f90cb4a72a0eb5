// Package mcmc holds Markov chain Monte Carlo diagnostics: the
// rank-normalised split R-hat, bulk and tail effective sample sizes, the
// plain (split) effective sample size and the Monte Carlo standard error of
// the mean, computed as the R package posterior computes them (Vehtari,
// Gelman, Simpson, Carpenter & Bürkner, "Rank-normalization, folding, and
// localization: an improved R-hat for assessing convergence of MCMC",
// Bayesian Analysis 16(2), 2021).
//
// Every diagnostic takes one scalar parameter as chains × draws. Where
// posterior returns NA — a NaN or infinite draw, all draws equal, or (for
// the effective sample sizes) fewer than 3 draws per split chain — these
// functions return NaN. Chains of different lengths, or no chains, are a
// programmer error and panic.
package mcmc
