package pointset

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCheck(t *testing.T) {
	good := []float64{1, 2, 3, 4}
	for _, c := range []struct {
		name string
		p    []float64
		dim  int
		min  int
		want string
	}{
		{"ok", good, 2, 2, ""},
		{"ragged", good[:3], 2, 1, "pkg: len(x) = 3 is not a multiple of the dimension 2"},
		{"few", good, 2, 3, "pkg: x has 2 points; need at least 3"},
		{"empty", nil, 1, 1, "pkg: x has 0 points; need at least 1"},
		{"nan", []float64{1, math.NaN()}, 1, 1, "pkg: x[1] is NaN (point 1, coordinate 0)"},
		{"inf", []float64{1, 2, math.Inf(-1), 0}, 2, 1, "pkg: x[2] is -Inf (point 1, coordinate 0)"},
		{"huge is fine", []float64{1e300, -1e300, 1e-300, 0}, 2, 2, ""},
	} {
		err := Check("pkg", "x", c.p, c.dim, c.min)
		if c.want == "" {
			assert.NoError(t, err, c.name)
		} else {
			assert.EqualError(t, err, c.want, c.name)
		}
	}
	assert.PanicsWithValue(t, "pkg: dimension 0 is not positive", func() { _ = Check("pkg", "x", good, 0, 1) })
}
