// Package mcmc draws from a distribution known only by an unnormalised
// log density, by Markov chain Monte Carlo, and says honestly whether the
// chains can be trusted.
//
// Kernels (transition rules): [RandomWalk] (random-walk Metropolis with a
// full covariance), [MH] (general Metropolis–Hastings: any [Proposal],
// asymmetric ones with their Hastings correction), [Independence]
// (proposals from a fixed sampler.DensitySampler), [AM] (Haario,
// Saksman & Tamminen 2001) and [RAM] (Vihola 2012), random walks that
// learn their proposal during warm-up only and then keep it fixed, and
// [Stretch] (the affine-invariant ensemble move of Goodman & Weare 2010,
// as emcee makes it).
//
// [Run] runs several chains in parallel (four by default), one goroutine
// and one random stream of sampler.Streams each, from dispersed starting
// points; it discards warm-up, thins if asked, and returns a [Result]
// whose draws feed the diagnostics and whose [Result.Summary] reads like
// posterior's summarise_draws. The same seed gives the same bits whatever
// GOMAXPROCS is; cancelling the context returns the draws made so far. A
// [Chain] is one running chain and also a sampler.Sampler of successive
// draws. NaN or +Inf log densities are rejections, counted; a chain stops
// with an error when they are the majority of its proposals.
//
// Diagnostics: the rank-normalised split R-hat, bulk and tail effective
// sample sizes, the plain (split) effective sample size and the Monte
// Carlo standard error of the mean, computed as the R package posterior
// computes them (Vehtari,
// Gelman, Simpson, Carpenter & Bürkner, "Rank-normalization, folding, and
// localization: an improved R-hat for assessing convergence of MCMC",
// Bayesian Analysis 16(2), 2021).
//
// Every diagnostic takes one scalar parameter as chains × draws. Where
// posterior returns NA — a NaN or infinite draw, all draws equal, or (for
// the effective sample sizes) fewer than 3 draws per split chain — these
// functions return NaN. Chains of different lengths, or no chains, are a
// programmer error and panic.
//
// Two departures from posterior 1.4.0: its rank-based R-hat and bulk ESS
// stay defined for infinite draws and for draws spread less than machine
// epsilon (their ranks are), where RHat and ESSBulk here are NaN like the
// other diagnostics; and for chains of 2 or 3 draws its chain splitting
// turns each one-draw half into a vector, swapping draws and chains, so it
// returns numbers where these functions return NaN.
//
// [Summarize] gathers, for one parameter, the columns of posterior's
// summarise_draws (mean, median, sd, mad, 5% and 95% quantiles, R-hat,
// bulk and tail ESS) with the Monte Carlo standard errors of the mean,
// sd and quantiles ([MCSEMean], [MCSESD], [MCSEQuantile]) and warnings in
// words; [WriteSummaries] prints them as a table. [AutocorrTime] is the
// integrated autocorrelation time of emcee, for ensemble samplers.
package mcmc
