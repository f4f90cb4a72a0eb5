// Package mmd computes the maximum mean discrepancy (MMD) between two
// distributions from samples of each (Gretton, Borgwardt, Rasch, Schölkopf
// & Smola, "A kernel two-sample test", JMLR 2012): the distance between
// their kernel mean embeddings, zero exactly when the distributions agree
// for the characteristic kernels offered here.
//
// Kernels: Gaussian, GaussianSum (the several-bandwidth kernel of
// generative moment matching networks), InverseMultiquadric, and Distance,
// whose MMD² is the energy distance. MedianBandwidth gives the usual
// bandwidth.
//
// Estimators of MMD², each with a variant that also returns the gradient
// with respect to the first point set (the training signal of a generative
// matching network): Unbiased (U-statistic), Biased (V-statistic) and
// Linear (linear time). An Estimator keeps its workspace between calls and
// allocates nothing once warm; the quadratic estimators run in tiles on
// all cores and give the same bits whatever GOMAXPROCS is. Test is the
// permutation two-sample test with a p-value.
//
// Point sets are stored row after row in a []float64 together with their
// dimension and are never modified. Data problems — a length that is not
// a multiple of the dimension, too few points, a NaN or infinite
// coordinate, a bad bandwidth — are errors that name the entry at fault;
// misuse of a buffer (a gradient slice of the wrong length) panics.
//
// The estimators and Test run on goroutines of their own, but no user
// function runs there: kernels are values of this package. Should one of
// those goroutines panic all the same, the panic is not left to end the
// process: the call returns an error ("mmd: internal error on a worker
// goroutine") carrying the panic value and the goroutine's stack.
package mmd
