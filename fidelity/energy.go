package fidelity

import (
	"fmt"
	"math"

	"github.com/variate/variate/internal/parallel"
)

// Energy returns the energy distance between two point sets of dimension
// dim (Székely & Rizzo 2013),
//
//	E = 2·E|X − Y| − E|X − X'| − E|Y − Y'|,
//
// with the within-sample means taken over distinct pairs (U-statistics),
// so that E is an unbiased estimate of the population energy distance and
// may be slightly negative when the distributions agree. In 1-D it costs
// O((n+m) log(n+m)) by sorting; in d dimensions O(n·m) pairwise
// distances, spread over all cores in fixed blocks whose partial sums are
// added in a fixed order, so the result does not depend on GOMAXPROCS.
// Each set needs at least 2 points.
func Energy(x, y []float64, dim int) (float64, error) {
	if err := checkPoints("x", x, dim, 2); err != nil {
		return 0, err
	}
	if err := checkPoints("y", y, dim, 2); err != nil {
		return 0, err
	}
	n, m := float64(len(x)/dim), float64(len(y)/dim)
	var sxx, syy, sxy float64 // sums over unordered within pairs, all cross pairs
	up := 1.0                 // the scale the sums are in units of
	if dim == 1 {
		sx, sy := sorted(x), sorted(y)
		sxx, syy = pairSum1(sx), pairSum1(sy)
		pooled := append(append(make([]float64, 0, len(x)+len(y)), sx...), sy...)
		sortFloats(pooled)
		sxy = pairSum1(pooled) - sxx - syy
	} else {
		// Distances are formed on the points scaled by the power of two
		// that brings the largest coordinate into [½, 1), then scaled
		// back: exact, so ordinary inputs give the same bits, while
		// points near 1e-300 or 1e300 neither underflow to 0 nor
		// overflow.
		var big float64
		for _, v := range x {
			big = max(big, math.Abs(v))
		}
		for _, v := range y {
			big = max(big, math.Abs(v))
		}
		_, exp := math.Frexp(big)
		down := math.Ldexp(1, -exp)
		var err error
		if sxx, err = pairSumD(x, x, dim, true, down); err != nil {
			return 0, internalPanic(err)
		}
		if syy, err = pairSumD(y, y, dim, true, down); err != nil {
			return 0, internalPanic(err)
		}
		if sxy, err = pairSumD(x, y, dim, false, down); err != nil {
			return 0, internalPanic(err)
		}
		up = math.Ldexp(1, exp)
	}
	return checkResult("the energy distance", up*(2*sxy/(n*m)-sxx/(n*(n-1)/2)-syy/(m*(m-1)/2)))
}

// pairSum1 returns Σ_{i<j} |s_i − s_j| for sorted s: s_(i) appears with
// sign + i times and − (n−1−i) times.
func pairSum1(s []float64) float64 {
	n := len(s)
	var t float64
	for i, v := range s {
		t += v * float64(2*i-n+1)
	}
	return t
}

const energyBlock = 256

// pairSumD returns Σ_{i<j} |x_i − x_j| when same, else Σ_{i,j} |x_i − y_j|,
// for the points scaled by down, summed block by block of energyBlock rows
// of x, the blocks in order.
func pairSumD(x, y []float64, dim int, same bool, down float64) (float64, error) {
	nx, ny := len(x)/dim, len(y)/dim
	blocks := (nx + energyBlock - 1) / energyBlock
	return parallel.Sum(blocks, func(b int) float64 {
		lo, hi := b*energyBlock, min(nx, (b+1)*energyBlock)
		var s float64
		for i := lo; i < hi; i++ {
			xi := x[i*dim : i*dim+dim]
			j0 := 0
			if same {
				j0 = i + 1
			}
			for j := j0; j < ny; j++ {
				yj := y[j*dim : j*dim+dim]
				var d2 float64
				for k, v := range xi {
					r := v*down - yj[k]*down
					d2 += r * r
				}
				s += math.Sqrt(d2)
			}
		}
		return s
	})
}

// internalPanic wraps a panic recovered on one of the package's worker
// goroutines. No user function runs there, so it is a defect of the
// package, returned as an error rather than left to end the process.
func internalPanic(err error) error {
	return fmt.Errorf("fidelity: internal error on a worker goroutine (please report): %w", err)
}
