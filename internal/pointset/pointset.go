// Package pointset validates point sets stored row after row in a
// []float64, the one form in which the measuring packages take samples, so
// that they reject the same inputs with the same words.
package pointset

import (
	"fmt"
	"math"
)

// Check returns an error, prefixed with pkg, naming the problem when p is
// not a set of at least minPoints points of dimension dim with finite
// coordinates; name is how the caller calls p. The caller checks that dim
// is positive: Check panics if it is not.
func Check(pkg, name string, p []float64, dim, minPoints int) error {
	if dim <= 0 {
		panic(fmt.Sprintf("%s: dimension %d is not positive", pkg, dim))
	}
	if len(p)%dim != 0 {
		return fmt.Errorf("%s: len(%s) = %d is not a multiple of the dimension %d", pkg, name, len(p), dim)
	}
	if n := len(p) / dim; n < minPoints {
		return fmt.Errorf("%s: %s has %d points; need at least %d", pkg, name, n, minPoints)
	}
	for i, v := range p {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%s: %s[%d] is %v (point %d, coordinate %d)", pkg, name, i, v, i/dim, i%dim)
		}
	}
	return nil
}
