package fidelity

import (
	"fmt"
	"math"
	"slices"

	"github.com/variate/variate/internal/pointset"
)

// checkPoints validates a point set of the given dimension; a dimension
// that is not positive is a programmer error and panics.
func checkPoints(name string, x []float64, dim, min int) error {
	return pointset.Check("fidelity", name, x, dim, min)
}

// checkResult reports a distance made infinite or NaN by coordinates so
// large that their differences overflow.
func checkResult(what string, v float64) (float64, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("fidelity: %s is %v: differences of the points overflow; rescale them", what, v)
	}
	return v, nil
}

// cell returns the index in [0, bins) of v in the grid of bins equal
// cells spanning [lo, hi], lo < hi. It halves before subtracting, so that
// a span wider than the largest float64 does not overflow.
func cell(v, lo, hi float64, bins int) int {
	f := (v/2 - lo/2) / (hi/2 - lo/2)
	return min(bins-1, max(0, int(float64(bins)*f)))
}

// sorted returns a sorted copy of x.
func sorted(x []float64) []float64 {
	s := slices.Clone(x)
	sortFloats(s)
	return s
}
