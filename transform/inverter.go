package transform

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/variate/variate/sampler"
)

// InverterOptions configures NewInverter. The zero value means the
// documented defaults.
type InverterOptions struct {
	// XTol is the x-tolerance: the returned x is within XTol·max(1, |x|)
	// of the generalised inverse. Default 1e-12; at least 1e-15.
	XTol float64
	// MaxIter bounds the CDF evaluations of one inversion. Default 2000,
	// enough for bisection over the whole float64 range.
	MaxIter int
}

// An Inverter computes the generalised inverse of a CDF,
// Q(u) = inf{x : F(x) ≥ u}, by safeguarded root finding: a bracket
// [a, b] with F(a) < u ≤ F(b) that only ever shrinks, narrowed by
// Illinois (modified regula falsi) steps with bisection whenever they
// stall. Because the bracket keeps F(a) < u ≤ F(b), the answer is the left
// end of a flat part of F and the location of a jump that u falls into,
// so discrete and mixed distributions are inverted correctly.
//
// An Inverter is a 1-D Sampler; it is safe for concurrent use if the CDF
// is.
type Inverter struct {
	cdf     func(float64) float64
	lo, hi  float64
	xtol    float64
	maxIter int
}

var _ sampler.Sampler = (*Inverter)(nil)

// NewInverter returns an Inverter for the CDF cdf with support [lo, hi]
// (either end may be infinite). The CDF is checked at a few points: it
// must lie in [0, 1] and not decrease; while inverting, a decrease or a
// value outside [0, 1] is reported as an error naming x.
func NewInverter(cdf func(float64) float64, lo, hi float64, opts *InverterOptions) (*Inverter, error) {
	if cdf == nil {
		return nil, fmt.Errorf("transform: NewInverter with a nil CDF")
	}
	if math.IsNaN(lo) || math.IsNaN(hi) || !(lo < hi) {
		return nil, fmt.Errorf("transform: support [%v, %v] is empty; need lo < hi", lo, hi)
	}
	inv := &Inverter{cdf: cdf, lo: lo, hi: hi, xtol: 1e-12, maxIter: 2000}
	if opts != nil {
		if opts.XTol != 0 {
			if !(opts.XTol >= 1e-15 && opts.XTol < 1) {
				return nil, fmt.Errorf("transform: XTol %v out of range [1e-15, 1)", opts.XTol)
			}
			inv.xtol = opts.XTol
		}
		if opts.MaxIter < 0 {
			return nil, fmt.Errorf("transform: MaxIter %d is negative", opts.MaxIter)
		}
		if opts.MaxIter > 0 {
			inv.maxIter = opts.MaxIter
		}
	}
	// A quick look at the CDF on a spread of points inside the support.
	prev, prevX := math.Inf(-1), math.Inf(-1)
	for _, x := range probePoints(lo, hi) {
		f := cdf(x)
		if !(f >= 0 && f <= 1) {
			return nil, fmt.Errorf("transform: CDF(%v) = %v is not in [0, 1]", x, f)
		}
		if f < prev {
			return nil, fmt.Errorf("transform: CDF decreases between x=%v (%v) and x=%v (%v)", prevX, prev, x, f)
		}
		prev, prevX = f, x
	}
	return inv, nil
}

// probePoints returns increasing points inside [lo, hi].
func probePoints(lo, hi float64) []float64 {
	var xs []float64
	switch {
	case !math.IsInf(lo, 0) && !math.IsInf(hi, 0):
		for i := range 17 {
			xs = append(xs, lo+(hi-lo)*float64(i)/16)
		}
	default:
		for e := 8; e >= -8; e-- {
			xs = append(xs, -math.Pow(4, float64(e)))
		}
		xs = append(xs, 0)
		for e := -8; e <= 8; e++ {
			xs = append(xs, math.Pow(4, float64(e)))
		}
		kept := xs[:0]
		for _, x := range xs {
			if x >= lo && x <= hi {
				kept = append(kept, x)
			}
		}
		xs = kept
	}
	return xs
}

// Dim returns 1.
func (*Inverter) Dim() int { return 1 }

// Sample fills dst with Q(U) for uniforms U in (0, 1).
func (inv *Inverter) Sample(rng *rand.Rand, dst []float64) error {
	for i := range dst {
		x, err := inv.Quantile(sampler.Uniform(rng))
		if err != nil {
			return err
		}
		dst[i] = x
	}
	return nil
}

// Quantile returns inf{x in [lo, hi] : F(x) ≥ u} for u in [0, 1].
func (inv *Inverter) Quantile(u float64) (float64, error) {
	if !(u >= 0 && u <= 1) {
		return 0, fmt.Errorf("transform: quantile at u=%v outside [0, 1]", u)
	}
	F := func(x float64) (float64, error) {
		f := inv.cdf(x)
		if !(f >= 0 && f <= 1) {
			return 0, fmt.Errorf("transform: CDF(%v) = %v is not in [0, 1]", x, f)
		}
		return f, nil
	}
	iter := 0
	// Bracket: a with F(a) < u (or a = lo), b with F(b) ≥ u.
	a, b := inv.lo, inv.hi
	var fa, fb float64
	var err error
	if math.IsInf(a, -1) || math.IsInf(b, 1) {
		// Expand from a finite start by doubling.
		start := 0.0
		if !math.IsInf(a, -1) {
			start = a
		} else if !math.IsInf(b, 1) {
			start = b
		}
		fs, err := F(start)
		if err != nil {
			return 0, err
		}
		if fs >= u {
			b, fb = start, fs
			step := 1.0
			for {
				x := start - step
				if math.IsInf(x, -1) {
					return 0, fmt.Errorf("transform: CDF stays at or above u=%v down to x=%v: not a distribution function", u, b)
				}
				if x < inv.lo {
					a, fa = inv.lo, 0
					break
				}
				if iter++; iter > inv.maxIter {
					return 0, fmt.Errorf("transform: no x found with CDF(x) < %v down to x=%v", u, x)
				}
				f, err := F(x)
				if err != nil {
					return 0, err
				}
				if f > fb {
					return 0, fmt.Errorf("transform: CDF decreases between x=%v (%v) and x=%v (%v)", x, f, b, fb)
				}
				if f < u {
					a, fa = x, f
					break
				}
				b, fb = x, f
				step *= 2
			}
		} else {
			a, fa = start, fs
			step := 1.0
			for {
				x := start + step
				if math.IsInf(x, 1) {
					return 0, fmt.Errorf("transform: CDF stays below u=%v up to x=%v: not a distribution function", u, a)
				}
				if x > inv.hi {
					b = inv.hi
					fb = 1
					break
				}
				if iter++; iter > inv.maxIter {
					return 0, fmt.Errorf("transform: no x found with CDF(x) ≥ %v up to x=%v", u, x)
				}
				f, err := F(x)
				if err != nil {
					return 0, err
				}
				if f < fa {
					return 0, fmt.Errorf("transform: CDF decreases between x=%v (%v) and x=%v (%v)", a, fa, x, f)
				}
				if f >= u {
					b, fb = x, f
					break
				}
				a, fa = x, f
				step *= 2
			}
		}
	} else {
		if fa, err = F(a); err != nil {
			return 0, err
		}
		if fa >= u {
			return a, nil
		}
		if fb, err = F(b); err != nil {
			return 0, err
		}
		if fb < u {
			// Only rounding can make F(hi) < u ≤ 1.
			return b, nil
		}
	}
	if math.IsInf(b, 1) || math.IsInf(a, -1) {
		return b, nil
	}
	// Illinois steps keep F(a) < u ≤ F(b); a side kept twice in a row
	// has its weight halved, and a step that fails to halve the bracket
	// twice is followed by bisection.
	side, stall := 0, 0
	ga, gb := fa-u, fb-u
	for b-a > inv.xtol*max(1, math.Abs(b)) {
		if iter++; iter > inv.maxIter {
			return 0, fmt.Errorf("transform: inversion at u=%v did not converge in %d CDF evaluations (bracket [%v, %v])", u, inv.maxIter, a, b)
		}
		width := b - a
		x := a - ga*(b-a)/(gb-ga)
		if stall >= 2 || !(x > a && x < b) {
			x = a + (b-a)/2
			stall = 0
		}
		if x <= a || x >= b {
			break // no float strictly inside
		}
		f, err := F(x)
		if err != nil {
			return 0, err
		}
		if f < fa || f > fb {
			return 0, fmt.Errorf("transform: CDF decreases near x=%v: F(%v)=%v, F(%v)=%v, F(%v)=%v", x, a, fa, x, f, b, fb)
		}
		if f < u {
			a, fa, ga = x, f, f-u
			if side == -1 {
				gb /= 2
			}
			side = -1
		} else {
			b, fb, gb = x, f, f-u
			if side == 1 {
				ga /= 2
			}
			side = 1
		}
		if b-a > width/2 {
			stall++
		} else {
			stall = 0
		}
	}
	return b, nil
}
