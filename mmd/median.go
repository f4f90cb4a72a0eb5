package mmd

import (
	"fmt"
	"math"
	"slices"
)

// medianMaxPoints bounds the pooled points MedianBandwidth uses, and so its
// memory (medianMaxPoints²/2 distances, 16 MB) and time.
const medianMaxPoints = 2000

// MedianBandwidth returns the median heuristic bandwidth for x and y
// (points of dimension dim stored row after row): σ = the median of the
// Euclidean distances ‖z_i − z_j‖, i < j, over the pooled sample z = x ∪ y
// — the distance itself, not its square and not divided by √2 — so that
// Gaussian(σ) is exp(−r²/(2·median²)) (Gretton et al. 2012, §8). With an
// even number of pairs the median is the mean of the two middle values.
// When the pooled sample has more than 2000 points, the 2000 points at
// evenly spaced positions ⌊i·N/2000⌋ of the pooled sequence are used.
//
// It returns an error if a length is not a multiple of dim, the pooled
// sample has fewer than 2 points, a coordinate is NaN or infinite, or the
// median distance is 0 (more than half of the pairs coincide).
func MedianBandwidth(x, y []float64, dim int) (float64, error) {
	if err := checkDim(dim); err != nil {
		return 0, err
	}
	if err := checkPoints("x", x, dim, 0); err != nil {
		return 0, err
	}
	if err := checkPoints("y", y, dim, 0); err != nil {
		return 0, err
	}
	n, m := len(x)/dim, len(y)/dim
	total := n + m
	if total < 2 {
		return 0, fmt.Errorf("mmd: MedianBandwidth needs at least 2 points in x and y together, got %d", total)
	}
	point := func(i int) []float64 {
		if i < n {
			return x[i*dim : (i+1)*dim]
		}
		return y[(i-n)*dim : (i-n+1)*dim]
	}
	use := min(total, medianMaxPoints)
	idx := make([]int, use)
	for i := range idx {
		idx[i] = int(int64(i) * int64(total) / int64(use))
	}
	// The distances are formed on the points scaled by a power of two
	// that brings the largest coordinate into [½, 1), and scaled back at
	// the end: exact, so ordinary inputs give the same bits, while points
	// at 1e-300 or 1e300 neither underflow to "coinciding" nor overflow.
	var big float64
	for _, i := range idx {
		for _, v := range point(i) {
			big = max(big, math.Abs(v))
		}
	}
	_, exp := math.Frexp(big)
	down := math.Ldexp(1, -exp)
	d2 := make([]float64, 0, use*(use-1)/2)
	for a := range use {
		pa := point(idx[a])
		for b := a + 1; b < use; b++ {
			var s float64
			for j, v := range point(idx[b]) {
				r := pa[j]*down - v*down
				s += r * r
			}
			d2 = append(d2, s)
		}
	}
	slices.Sort(d2)
	k := len(d2)
	med := math.Sqrt(d2[k/2])
	if k%2 == 0 {
		med = (math.Sqrt(d2[k/2-1]) + med) / 2
	}
	if !(med > 0) {
		return 0, fmt.Errorf("mmd: median pairwise distance is 0 (more than half of the %d pairs coincide)", k)
	}
	med = math.Ldexp(med, exp)
	if math.IsInf(med, 1) {
		return 0, fmt.Errorf("mmd: median pairwise distance overflows; rescale the points")
	}
	return med, nil
}
