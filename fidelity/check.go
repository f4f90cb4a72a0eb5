package fidelity

import (
	"fmt"
	"math"
)

// checkPoints validates a point set of the given dimension.
func checkPoints(name string, x []float64, dim, min int) error {
	if dim <= 0 {
		panic(fmt.Sprintf("fidelity: dimension %d is not positive", dim))
	}
	if len(x)%dim != 0 {
		return fmt.Errorf("fidelity: len(%s)=%d is not a multiple of the dimension %d", name, len(x), dim)
	}
	if n := len(x) / dim; n < min {
		return fmt.Errorf("fidelity: %s has %d points; need at least %d", name, n, min)
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("fidelity: %s[%d] is %v (point %d, coordinate %d)", name, i, v, i/dim, i%dim)
		}
	}
	return nil
}

// sorted returns a sorted copy of x.
func sorted(x []float64) []float64 {
	s := append([]float64(nil), x...)
	sortFloats(s)
	return s
}
