package fidelity

import (
	"fmt"
	"math"
)

// maxCells bounds the histogram of TV: bins^dim cells.
const maxCells = 1 << 22

// TV returns the total variation distance ½ Σ |p_c − q_c| between the
// histograms of two point sets of dimension dim on a common grid of bins
// equal cells per coordinate spanning both samples. It estimates the TV
// distance between the distributions from above as the grid refines and
// from below by the data-processing inequality at a fixed grid; use it to
// compare methods at the same bins and sample size. bins^dim may be at
// most 2^22.
func TV(x, y []float64, dim, bins int) (float64, error) {
	if err := checkPoints("x", x, dim, 1); err != nil {
		return 0, err
	}
	if err := checkPoints("y", y, dim, 1); err != nil {
		return 0, err
	}
	if bins <= 0 {
		return 0, fmt.Errorf("fidelity: %d bins; need at least 1", bins)
	}
	if math.Pow(float64(bins), float64(dim)) > maxCells {
		return 0, fmt.Errorf("fidelity: %d bins in %d dimensions make more than %d cells", bins, dim, maxCells)
	}
	lo, hi := make([]float64, dim), make([]float64, dim)
	for j := range dim {
		lo[j], hi[j] = math.Inf(1), math.Inf(-1)
	}
	for _, s := range [][]float64{x, y} {
		for i, v := range s {
			lo[i%dim], hi[i%dim] = min(lo[i%dim], v), max(hi[i%dim], v)
		}
	}
	cells := 1
	for range dim {
		cells *= bins
	}
	p, q := make([]float64, cells), make([]float64, cells)
	fill := func(s []float64, h []float64) {
		w := 1 / float64(len(s)/dim)
		for i := 0; i < len(s); i += dim {
			c := 0
			for j := range dim {
				k := 0
				if hi[j] > lo[j] {
					k = cell(s[i+j], lo[j], hi[j], bins)
				}
				c = c*bins + k
			}
			h[c] += w
		}
	}
	fill(x, p)
	fill(y, q)
	var tv float64
	for c := range p {
		tv += math.Abs(p[c] - q[c])
	}
	return min(1, tv/2), nil
}

// TVCDF returns the total variation between the histogram of the 1-D
// sample x and the distribution with CDF cdf, on bins equal cells spanning
// the sample, plus the target's mass outside the sample's range.
func TVCDF(x []float64, cdf func(float64) float64, bins int) (float64, error) {
	if err := checkPoints("x", x, 1, 1); err != nil {
		return 0, err
	}
	if bins <= 0 {
		return 0, fmt.Errorf("fidelity: %d bins; need at least 1", bins)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range x {
		lo, hi = min(lo, v), max(hi, v)
	}
	if hi == lo {
		hi = lo + 1
	}
	h := make([]float64, bins)
	for _, v := range x {
		h[cell(v, lo, hi, bins)] += 1 / float64(len(x))
	}
	prev := cdf(lo)
	if !(prev >= 0 && prev <= 1) {
		return 0, fmt.Errorf("fidelity: cdf is %v at x=%v: not a CDF", prev, lo)
	}
	tv := prev // target mass below the sample's range
	for k := range bins {
		// The cell edges, computed so that a wide range does not overflow.
		e := lo + (hi/2-lo/2)*(2*float64(k+1)/float64(bins))
		c := cdf(e)
		if !(c >= 0 && c <= 1) || c < prev {
			return 0, fmt.Errorf("fidelity: cdf is %v at x=%v: not a CDF", c, e)
		}
		tv += math.Abs(h[k] - (c - prev))
		prev = c
	}
	tv += 1 - prev
	return min(1, tv/2), nil
}

// DiscriminatorError returns (1 − tv)/2: the error rate of the best
// possible classifier telling two equally likely distributions at total
// variation tv apart, the quantity a GAN's generator maximises
// (Goodfellow et al. 2014: at the optimal discriminator the game's value
// is governed by how well the two can be told apart). It is 1/2 when the
// distributions agree and 0 when they are disjoint. It panics if tv is not
// in [0, 1], which no total variation distance is.
func DiscriminatorError(tv float64) float64 {
	if !(tv >= 0 && tv <= 1) {
		panic(fmt.Sprintf("fidelity: DiscriminatorError of total variation %v, outside [0, 1]", tv))
	}
	return (1 - tv) / 2
}
