package mmd

import (
	"fmt"

	"github.com/variate/variate/internal/pointset"
)

// checkPoints returns an error naming the problem when p is not a set of
// at least minPoints points of dimension dim with finite coordinates.
// The dimension has been checked by checkDim.
func checkPoints(name string, p []float64, dim, minPoints int) error {
	return pointset.Check("mmd", name, p, dim, minPoints)
}

func checkDim(dim int) error {
	if dim <= 0 {
		return fmt.Errorf("mmd: dimension %d is not positive", dim)
	}
	return nil
}

func checkKernel(k Kernel) error {
	if k.kind == kindNone {
		return fmt.Errorf("mmd: zero Kernel; build one with Gaussian, GaussianSum, InverseMultiquadric or Distance")
	}
	return nil
}
