// Package target describes reference distributions: what is known about
// each (unnormalised log density, CDF and quantile where they exist,
// support, modes, closed-form moments) and an exact sampler for each.
//
// The catalogue is the fixed set of 13 targets on which every method in
// variate is compared, with exactly these parameters:
//
//	normal       N(0, 1)
//	exponential  Exp(rate 1)
//	gamma        Gamma(shape 2.5, rate 1)
//	beta         Beta(2, 5)
//	student-t    Student t with ν = 3 (heavy tails)
//	bimodal      0.3·N(−2, 0.5²) + 0.7·N(2, 1)
//	tail         N(0, 1) truncated to [3, ∞)
//	doublewell   density ∝ exp(−x⁴ + 2x²); CDF by numerical integration
//	gauss2       2-D normal, zero mean, unit variances, correlation 0.9
//	banana       Haario's twisted Gaussian: x1 ~ N(0, 100),
//	             x2 = y + 0.1(x1² − 100), y ~ N(0, 1)
//	ring         8 equal Gaussians at radius 1, angles 2πk/8, σ = 0.01
//	grid         25 equal Gaussians at {−4,−2,0,2,4}², σ = 0.05
//	funnel       Neal's funnel in 10-D: v ~ N(0, 3²), x_i ~ N(0, e^v)
//
// Users build their own targets with [Mixture], [Truncate],
// [IsotropicNormal] and [FromDistuv] (any gonum distuv distribution).
//
// Constructors validate what they are given and check the log density at
// a representative point (the mean, the median), so that a parameter that
// makes it NaN (a negative σ, a σ whose square underflows) is an error,
// not a target. A user function that panics inside a constructor
// propagates on the caller's goroutine and nothing is returned, except
// in FromDistuv's check of the distribution, where the panic becomes the
// error; the targets passed in are never modified.
//
// Every Target is read-only after construction and safe for concurrent
// use, and so is every Exact sampler.
package target
