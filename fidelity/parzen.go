package fidelity

import (
	"fmt"
	"math"

	"github.com/variate/variate/internal/kernels"
	"github.com/variate/variate/internal/parallel"
	"github.com/variate/variate/internal/pointset"
)

// ParzenOptions configures Parzen. The zero value (or nil) means the
// defaults given on each field.
type ParzenOptions struct {
	// Sigmas is the grid of bandwidths tried on the validation points;
	// nil means DefaultParzenSigmas.
	Sigmas []float64
}

// DefaultParzenSigmas returns the default bandwidth grid of Parzen: 50
// values spaced evenly in log from 0.05 to 1 (6% apart), which brackets
// the bandwidths found on MNIST pixels in [0, 1] (about 0.1 to 0.3) and
// those of blurry early generators. In d dimensions the validation
// log-likelihood falls by about d·(ln σ − ln σ*)² nats away from its best
// σ*, so the grid's half-step costs at most 0.7 nats at d = 784, below
// the estimate's usual standard error; the 13% steps of a 25-value grid
// would cost up to 3. All bandwidths share one pass of distances.
func DefaultParzenSigmas() []float64 {
	const n = 50
	out := make([]float64, n)
	for i := range out {
		out[i] = 0.05 * math.Pow(20, float64(i)/(n-1))
	}
	return out
}

// ParzenResult is the Parzen-window estimate of a model's log-likelihood.
type ParzenResult struct {
	// Sigma is the bandwidth chosen: the one of the grid with the highest
	// mean validation log-likelihood.
	Sigma float64
	// Mean is the mean log-density of the test points, in nats, and
	// StdErr its standard error (the standard deviation of the points'
	// log-densities over √n).
	Mean, StdErr float64
	// Sigmas and Validation are the grid and each bandwidth's mean
	// validation log-likelihood.
	Sigmas, Validation []float64
	// Warnings says when the choice is at an end of the grid, where the
	// best bandwidth may lie beyond it.
	Warnings []string
}

// Parzen estimates the log-likelihood of test points under a model known
// only by its samples, as Breuleux, Bengio & Vincent (2011) proposed and
// Goodfellow et al. (2014) and Li et al. (2015) reported for MNIST: the
// density is the isotropic Gaussian kernel density estimate
//
//	p(x) = (1/n) Σ_j N(x; s_j, σ²I)
//
// on the n samples s_j, its bandwidth σ chosen from a grid by the mean
// log-likelihood of validation points (held-out data, not test data), and
// the mean log p(x) over the test points reported with its standard error.
// All sets have dimension dim.
//
// The estimate measures how well the samples cover held-out data at one
// scale; it is not the model's likelihood, is biased and converges very
// slowly in high dimension, and ranks models poorly (Theis, van den Oord &
// Bethge, "A note on the evaluation of generative models", ICLR 2016).
//
// It returns an error when a set is empty or holds NaN or infinite
// coordinates, when there are fewer than 2 test points, or when a
// bandwidth is not positive and finite; it panics if dim is not positive.
func Parzen(samples, validation, test []float64, dim int, opts *ParzenOptions) (ParzenResult, error) {
	var o ParzenOptions
	if opts != nil {
		o = *opts
	}
	if o.Sigmas == nil {
		o.Sigmas = DefaultParzenSigmas()
	}
	if len(o.Sigmas) == 0 {
		return ParzenResult{}, fmt.Errorf("fidelity: the Parzen bandwidth grid is empty; give at least one σ, or nil for the default")
	}
	if err := checkParzen(samples, validation, "validation", dim, o.Sigmas, 1); err != nil {
		return ParzenResult{}, err
	}
	if err := pointset.Check("fidelity", "test", test, dim, 2); err != nil {
		return ParzenResult{}, err
	}
	ll, err := parzenLogDensities(samples, validation, dim, o.Sigmas)
	if err != nil {
		return ParzenResult{}, err
	}
	res := ParzenResult{Sigmas: append([]float64(nil), o.Sigmas...), Validation: make([]float64, len(o.Sigmas))}
	best := 0
	for k, l := range ll {
		res.Validation[k], _ = meanStdErr(l)
		if res.Validation[k] > res.Validation[best] {
			best = k
		}
	}
	res.Sigma = o.Sigmas[best]
	if len(o.Sigmas) > 1 {
		lo, hi := o.Sigmas[0], o.Sigmas[0]
		for _, s := range o.Sigmas {
			lo, hi = min(lo, s), max(hi, s)
		}
		if res.Sigma == lo || res.Sigma == hi {
			res.Warnings = append(res.Warnings, fmt.Sprintf("the chosen σ = %.4g is at an end of the grid [%.4g, %.4g]; widen the grid", res.Sigma, lo, hi))
		}
	}
	lt, err := parzenLogDensities(samples, test, dim, []float64{res.Sigma})
	if err != nil {
		return ParzenResult{}, err
	}
	res.Mean, res.StdErr = meanStdErr(lt[0])
	return res, nil
}

// ParzenLogLikelihood returns the mean log-density of the points x under
// the Gaussian kernel density estimate of bandwidth sigma on samples (see
// Parzen), with its standard error (0 for a single point). Both sets have
// dimension dim; the errors are Parzen's.
func ParzenLogLikelihood(samples, x []float64, dim int, sigma float64) (mean, stdErr float64, err error) {
	if err := checkParzen(samples, x, "x", dim, []float64{sigma}, 1); err != nil {
		return 0, 0, err
	}
	l, err := parzenLogDensities(samples, x, dim, []float64{sigma})
	if err != nil {
		return 0, 0, err
	}
	mean, stdErr = meanStdErr(l[0])
	return mean, stdErr, nil
}

func checkParzen(samples, x []float64, name string, dim int, sigmas []float64, minX int) error {
	if err := pointset.Check("fidelity", "samples", samples, dim, 1); err != nil {
		return err
	}
	if err := pointset.Check("fidelity", name, x, dim, minX); err != nil {
		return err
	}
	for i, s := range sigmas {
		if v := 2 * s * s; !(s > 0) || !(v > 0x1p-1022) || math.IsInf(v, 1) {
			return fmt.Errorf("fidelity: Parzen bandwidth %d is %v; use positive finite values whose squares are normal numbers", i, s)
		}
	}
	return nil
}

// parzenLogDensities returns, for every bandwidth k and point i of x,
// log p_k(x_i) under the kernel density estimate on samples. The squared
// distances come in blocks from squaredDistances, computed once for all
// bandwidths; each point's log-sum-exp runs over the blocks in order, a
// running maximum and a sum rescaled to it (so no term overflows and the
// largest term is exactly 1 in its block), the exponentials by
// kernels.ExpNeg.
//
// It returns an error when a log-density is not finite: points so far
// from every sample, for so small a bandwidth, that the exponent
// overflows.
func parzenLogDensities(samples, x []float64, dim int, sigmas []float64) ([][]float64, error) {
	xn, err := rowNorms("points", x, dim)
	if err != nil {
		return nil, err
	}
	sn, err := rowNorms("samples", samples, dim)
	if err != nil {
		return nil, err
	}
	nx, ns := len(x)/dim, len(samples)/dim
	// top[k][i] is the running log of the largest term, sum[k][i] the sum
	// of the terms divided by it.
	lse := &logSumExp{sigmas: sigmas, top: make([][]float64, len(sigmas)), sum: make([][]float64, len(sigmas))}
	for k := range sigmas {
		lse.top[k], lse.sum[k] = make([]float64, nx), make([]float64, nx)
		for i := range lse.top[k] {
			lse.top[k][i] = math.Inf(-1)
		}
	}
	nw := parallel.Workers(distRowBlock)
	lse.shifted, lse.terms = make([][]float64, nw), make([][]float64, nw)
	for w := range nw {
		lse.shifted[w], lse.terms[w] = make([]float64, min(distColBlock, ns)), make([]float64, min(distColBlock, ns))
	}
	var g parallel.Group
	var perr error
	squaredDistances(x, samples, dim, xn, sn, func(i0, ni, j0, nj int, d2 []float64) {
		if perr != nil {
			return
		}
		lse.i0, lse.nj, lse.d2 = i0, nj, d2
		perr = g.Run(ni, lse)
	})
	if perr != nil {
		return nil, fmt.Errorf("fidelity: internal error on a worker goroutine: %w", perr)
	}
	top, sum := lse.top, lse.sum
	out := make([][]float64, len(sigmas))
	for k, s := range sigmas {
		c := -math.Log(float64(ns)) - float64(dim)/2*math.Log(2*math.Pi*s*s)
		out[k] = make([]float64, nx)
		for i := range out[k] {
			v := top[k][i] + math.Log(sum[k][i]) + c
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("fidelity: the Parzen log-density of point %d is %v at σ = %v: the point is too far from every sample for that bandwidth; rescale the points or widen σ", i, v, s)
			}
			out[k][i] = v
		}
	}
	return out, nil
}

// logSumExp adds one block of squared distances to the running
// log-sum-exps, one row (a point of x) per parallel item: each row writes
// only its own entries, so the result does not depend on the workers.
type logSumExp struct {
	sigmas         []float64
	top, sum       [][]float64
	shifted, terms [][]float64 // per-worker scratch
	i0, nj         int
	d2             []float64
}

func (l *logSumExp) Item(w, i int) {
	nj := l.nj
	row := l.d2[i*nj : (i+1)*nj]
	e, ex := l.shifted[w][:nj], l.terms[w][:nj]
	near := row[0]
	for _, v := range row {
		near = min(near, v)
	}
	for j, v := range row {
		e[j] = v - near
	}
	for k, s := range l.sigmas {
		a := 1 / (2 * s * s)
		m := -near * a // the block's largest exponent
		// The shifted terms e^(−a(d²−near)) lie in [e^−708, 1]; the clamp
		// of ExpNeg changes the sum, which is ≥ 1, by at most
		// nj·3.3e−308.
		kernels.ExpNeg(ex, e, a)
		var b float64
		for _, t := range ex {
			b += t
		}
		t, su := &l.top[k][l.i0+i], &l.sum[k][l.i0+i]
		if m > *t {
			*su = *su*math.Exp(*t-m) + b
			*t = m
		} else {
			*su += b * math.Exp(m-*t)
		}
	}
}

// meanStdErr returns the mean of x and its standard error, the sample
// standard deviation over √n (0 when n is 1). The sums are compensated,
// so that n = 10⁴ values near −10³ keep their precision.
func meanStdErr(x []float64) (mean, stdErr float64) {
	n := float64(len(x))
	var s, c float64
	for _, v := range x {
		s, c = twoSum(s, c, v)
	}
	mean = (s + c) / n
	if len(x) < 2 {
		return mean, 0
	}
	var q float64
	for _, v := range x {
		d := v - mean
		q += d * d
	}
	return mean, math.Sqrt(q / (n - 1) / n)
}

// twoSum adds v to the compensated sum (s, c) (Neumaier's variant of
// Kahan summation).
func twoSum(s, c, v float64) (float64, float64) {
	t := s + v
	if math.Abs(s) >= math.Abs(v) {
		c += (s - t) + v
	} else {
		c += (v - t) + s
	}
	return t, c
}
