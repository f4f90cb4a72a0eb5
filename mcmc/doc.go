// Package mcmc draws from a distribution known only by an unnormalised
// log density, by Markov chain Monte Carlo, and says honestly whether the
// chains can be trusted.
//
// Kernels (transition rules): [RandomWalk] (random-walk Metropolis with a
// full covariance), [MH] (general Metropolis–Hastings: any [Proposal],
// asymmetric ones with their Hastings correction), [Independence]
// (proposals from a fixed sampler.DensitySampler), [AM] (Haario,
// Saksman & Tamminen 2001) and [RAM] (Vihola 2012), random walks that
// learn their proposal during warm-up only and then keep it fixed, so
// that the kept draws are a time-homogeneous Markov chain, and [Stretch]
// (the affine-invariant ensemble move of Goodman & Weare 2010, as emcee
// makes it). AM is the recommended default and what [Run] uses when
// given no kernel.
//
// [Run] runs several chains in parallel (four by default), one goroutine
// and one random stream of sampler.Streams each, from dispersed starting
// points; it discards warm-up, thins if asked, and returns a [Result]
// whose draws feed the diagnostics and whose [Result.Summary] reads like
// posterior's summarise_draws. By default it also chooses the length:
// it doubles the chains until the diagnostics pass twice in a row, within
// a budget of evaluations (see [Options]). The same seed gives the same
// bits whatever GOMAXPROCS is; cancelling the context returns the draws
// made so far with an error. A [Chain] is one running chain and also a
// sampler.Sampler of successive draws. NaN or +Inf log densities are
// rejections, counted; a chain stops with an error when they are the
// majority of its proposals.
//
// Diagnostics, for one scalar parameter given as chains × draws: the
// rank-normalised split R-hat ([RHat]), bulk and tail effective sample
// sizes ([ESSBulk], [ESSTail]), the plain split effective sample size
// ([ESS]) and the Monte Carlo standard errors of the mean, sd and
// quantiles ([MCSEMean], [MCSESD], [MCSEQuantile]), computed function by
// function as the R package posterior computes them (Vehtari, Gelman,
// Simpson, Carpenter & Bürkner, "Rank-normalization, folding, and
// localization: an improved R-hat for assessing convergence of MCMC",
// Bayesian Analysis 16(2), 2021), with autocovariances by FFT
// ([Autocovariance]).
//
// They are NaN exactly where posterior returns NA: a NaN draw; an
// infinite draw, except for the rank-based R-hat and bulk ESS, which
// ranks keep defined; all draws within machine epsilon of one another,
// except for the rank-based two, which need them exactly equal; fewer
// than 3 draws per split chain for the effective sample sizes and
// MCSEs; a quantile indicator that is constant. R-hat is +Inf, as in
// posterior, for chains that never move and are not all at one value.
// The one departure: for chains of 2 or 3 draws posterior's chain
// splitting turns each one-draw half into a vector, swapping draws and
// chains, and returns numbers; these functions return NaN. Chains of
// different lengths, or no chains, are a programmer error and panic.
//
// [Summarize] gathers, for one parameter, the columns of posterior's
// summarise_draws (mean, median, sd, mad, 5% and 95% quantiles, R-hat,
// bulk and tail ESS) with the Monte Carlo standard errors and warnings
// in words, whenever R-hat exceeds [RHatLimit], an effective sample size
// is below [ESSLimit] or a field is undefined; [WriteSummaries] prints
// them as a table. [AutocorrTime] is the integrated autocorrelation time
// of emcee, for ensemble samplers.
package mcmc
