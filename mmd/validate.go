package mmd

import (
	"fmt"
	"math"
)

// checkPoints returns an error naming the problem when p is not a set of
// at least minPoints points of dimension dim with finite coordinates.
func checkPoints(name string, p []float64, dim, minPoints int) error {
	if len(p)%dim != 0 {
		return fmt.Errorf("mmd: len(%s) = %d is not a multiple of the dimension %d", name, len(p), dim)
	}
	if n := len(p) / dim; n < minPoints {
		return fmt.Errorf("mmd: %s has %d points; the estimator needs at least %d", name, n, minPoints)
	}
	for i, v := range p {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("mmd: %s[%d] is %v (point %d, coordinate %d)", name, i, v, i/dim, i%dim)
		}
	}
	return nil
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
