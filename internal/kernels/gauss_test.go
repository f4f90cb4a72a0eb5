package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func gmmnProg() PowProg {
	var p PowProg
	for _, a := range []float64{0.5, 50} {
		p = p.Group(a).Term(4, 4*a, math.Exp(ExpMin/4)).Term(25, 25*a, math.Exp(ExpMin/25))
	}
	return p
}

// gaussPasses is GaussPowSum by the passes of GaussPowValues and the
// four interleaved sums.
func gaussPasses(r2 []float64, prog PowProg) (float64, []float64) {
	n := len(r2)
	e, v, dv := make([]float64, n), make([]float64, n), make([]float64, n)
	GaussPowValues(r2, v, dv, prog, e)
	var s [4]float64
	for j, x := range v {
		l := j % 4
		if j >= n-n%4 {
			l = 0
		}
		s[l] += x
	}
	return (s[0] + s[1]) + (s[2] + s[3]), dv
}

// The fused AVX-512 loop gives the bits of the passes, for the GMMN
// bandwidths, one plain Gaussian and powers up to 32, at lengths with and
// without a tail, with distances that clamp the exponent.
func TestGaussPowSumEqualsPasses(t *testing.T) {
	rng := rand.New(rand.NewPCG(61, 62))
	progs := map[string]PowProg{
		"gmmn":  gmmnProg(),
		"plain": PowProg{}.Group(1.5),
		"ladder": func() PowProg {
			p := PowProg{}.Group(0.25)
			for k := uint(2); k <= 32; k += 3 {
				p = p.Term(k, 0.25*float64(k), math.Exp(ExpMin/float64(k)))
			}
			return p
		}(),
	}
	for name, prog := range progs {
		for _, n := range []int{0, 1, 7, 8, 13, 64, 251, 256} {
			r2 := make([]float64, n)
			for j := range r2 {
				r2[j] = rng.ExpFloat64() * float64(1+j%4)
			}
			if n > 5 {
				r2[1], r2[3], r2[5] = 0, 3000, 1e300
			}
			wantS, wantDv := gaussPasses(r2, prog)
			forEachPath(t, func(t *testing.T) {
				dv := make([]float64, n)
				buf := make([]float64, 2*n)
				s := GaussPowSum(r2, dv, prog, buf)
				if path == PathGo {
					// The scalar exponential is another function: agree to rounding.
					assert.InEpsilon(t, wantS+1e-300, s+1e-300, 1e-13, "%s n=%d", name, n)
					return
				}
				require.Equal(t, math.Float64bits(wantS), math.Float64bits(s), "%s n=%d sum", name, n)
				for j := range dv {
					require.Equal(t, math.Float64bits(wantDv[j]), math.Float64bits(dv[j]), "%s n=%d dv[%d]", name, n, j)
				}
			})
		}
	}
}

// GaussPowSum against math.Exp: the GMMN sum and its derivative.
func TestGaussPowSumValues(t *testing.T) {
	prog := gmmnProg()
	rates := []float64{0.5, 2, 12.5, 50, 200, 1250}
	r2 := []float64{0, 1e-4, 0.003, 0.02, 0.1, 0.5, 1, 2, 5, 10, 40, 100, 0.7}
	forEachPath(t, func(t *testing.T) {
		dv := make([]float64, len(r2))
		s := GaussPowSum(r2, dv, prog, make([]float64, 2*len(r2)))
		var want float64
		for j, x := range r2 {
			var v, d float64
			for _, a := range rates {
				v += math.Exp(-a * x)
				d -= a * math.Exp(-a*x)
			}
			want += v
			assert.InDelta(t, d, dv[j], 1e-12*math.Abs(d)+1e-300, "dv at r²=%g", x)
		}
		assert.InEpsilon(t, want, s, 1e-13)
	})
	assert.Panics(t, func() { PowProg{}.Term(2, 1, 0) })
}
