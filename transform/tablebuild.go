package transform

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Fractions of the absolute u-tolerance (utol times the area).
const (
	// acceptFrac bounds the u-error measured at an interval's test
	// points: the rest of the tolerance absorbs the quadrature error and
	// the tail mass cut.
	acceptFrac = 0.5
	// interpFrac bounds the estimated error of integrating the density's
	// interpolant up to a test point; above it the test integrates the
	// density itself.
	interpFrac = 0.01
	// tailDiv: each tail cut holds at most utol·area/tailDiv.
	tailDiv = 40
)

// builder holds the state of one construction.
type builder struct {
	f        func(float64) float64
	utol     float64 // the u-tolerance asked for
	flat     float64 // see quadError
	tol      float64 // absolute u-tolerance (utol times the area)
	evals    int
	maxEvals int
	err      error
	breaks   []float64 // the caller's breaks, sorted
	fscale   float64   // a power of two the density is multiplied by, or 0 for none
	width    float64   // the domain's width, once known
}

// eval evaluates the density. The first bad value, or running out of
// evaluations, is recorded as the error; from then on eval returns 0
// without calling the density.
func (b *builder) eval(x float64) float64 {
	if b.evals >= b.maxEvals {
		return b.exhausted(x)
	}
	b.evals++
	v := b.f(x)
	if !(v >= 0 && v <= math.MaxFloat64) {
		return b.bad(x, v)
	}
	if b.fscale != 0 {
		v *= b.fscale
	}
	return v
}

// evalAll sets vs[i] to the density at xs[i], as eval would one by one,
// in a loop that does nothing else.
func (b *builder) evalAll(xs, vs []float64) {
	if b.evals+len(xs) > b.maxEvals {
		for i, x := range xs {
			vs[i] = b.eval(x)
		}
		return
	}
	f := b.f
	for i, x := range xs {
		v := f(x)
		if !(v >= 0 && v <= math.MaxFloat64) {
			b.evals += i + 1
			b.bad(x, v)
			return
		}
		vs[i] = v
	}
	b.evals += len(xs)
	if s := b.fscale; s != 0 {
		for i := range vs[:len(xs)] {
			vs[i] *= s
		}
	}
}

func (b *builder) exhausted(x float64) float64 {
	if b.err == nil {
		b.err = fmt.Errorf("transform: density evaluation budget of %d exhausted near x=%v", b.maxEvals, x)
	}
	return 0
}

func (b *builder) bad(x, v float64) float64 {
	switch {
	case math.IsNaN(v):
		b.err = fmt.Errorf("transform: density is NaN at x=%v", x)
	case v < 0:
		b.err = fmt.Errorf("transform: density is negative at x=%v", x)
	default:
		b.err = fmt.Errorf("transform: density is infinite at x=%v", x)
	}
	b.maxEvals = b.evals // stop evaluating
	return 0
}

// lobatto integrates the density over [a, c] by the Lobatto rule, given
// its values fa at a and fc at c.
func (b *builder) lobatto(a, c, fa, fc float64) float64 {
	h := c - a
	return h * (lobW[0]*(fa+fc) + lobW[1]*(b.eval(a+h*lobS[1])+b.eval(a+h*lobS[3])) + lobW[2]*b.eval(a+h/2))
}

// NewTable builds a Table for the distribution with the given density
// (unnormalised; zero outside the support) on [lo, hi]; either end may be
// infinite. It reports an error naming x for a density that is negative,
// NaN or infinite, one that is zero everywhere it looks, or one whose
// tails do not vanish (not integrable).
//
// NewTable calls the density at most opts.MaxEvaluations times (default
// 1,000,000) and builds at most opts.MaxIntervals intervals (default
// 100,000); reaching either bound is an error. Every step of the setup
// evaluates the density, so the budget bounds its work too: it always
// returns. A smooth density needs far less: up to 63 probes for a center,
// a walk down each tail (a few hundred), a sweep of 1,024 points for
// peaks the walk stepped over (and 26 to refine the sweep's highest point
// when it beats the probes), and 20 evaluations per interval tried.
// [Table.Evaluations] reports the count (ExampleTable_Evaluations prints
// it for the standard normal); see the README's comparison table for the
// catalogue's targets. A density found at none of the usual probes is
// probed again at every binary scale, from the origin and from each
// finite end, so that one living near 1e-300 or 1e300 is found too; the
// tail walk shrinks its first step to a density far narrower than 1, and
// a density whose area is tiny is tabulated multiplied by a power of two
// (exactly), so that widths down to about 1e-300 work without rescaling.
//
// Options name what probing cannot find: [TableOptions] Center, Peaks
// and Breaks (see [Table] for the limit they lift).
func NewTable(density func(float64) float64, lo, hi float64, opts *TableOptions) (*Table, error) {
	if density == nil {
		return nil, errors.New("transform: NewTable with a nil density")
	}
	if math.IsNaN(lo) || math.IsNaN(hi) || !(lo < hi) {
		return nil, fmt.Errorf("transform: support [%v, %v] is empty; need lo < hi", lo, hi)
	}
	var o TableOptions
	if opts != nil {
		o = *opts
	}
	if o.UTol == 0 {
		o.UTol = 1e-10
	}
	if !(o.UTol >= 1e-14 && o.UTol <= 1e-4) {
		return nil, fmt.Errorf("transform: u-tolerance %v out of range [1e-14, 1e-4]", o.UTol)
	}
	if o.MaxEvaluations == 0 {
		o.MaxEvaluations = 1_000_000
	}
	if o.MaxIntervals == 0 {
		o.MaxIntervals = 100_000
	}
	if o.MaxEvaluations < 0 || o.MaxIntervals < 0 {
		return nil, fmt.Errorf("transform: TableOptions.MaxEvaluations (%d) and MaxIntervals (%d) must not be negative", o.MaxEvaluations, o.MaxIntervals)
	}
	for i, p := range o.Peaks {
		if !(p > lo && p < hi) {
			return nil, fmt.Errorf("transform: TableOptions.Peaks[%d] = %v is not inside the support (%v, %v)", i, p, lo, hi)
		}
	}
	for i, p := range o.Breaks {
		if math.IsNaN(p) || math.IsInf(p, 0) {
			return nil, fmt.Errorf("transform: TableOptions.Breaks[%d] = %v is not finite", i, p)
		}
	}
	b := &builder{f: density, utol: o.UTol, maxEvals: o.MaxEvaluations, breaks: slices.Sorted(slices.Values(o.Breaks))}
	// 7e-10·ln(flat)⁸ = 0.02·utol: see quadError.
	b.flat = math.Exp(math.Pow(0.02*o.UTol/7e-10, 1.0/8))

	c, fc, err := b.center(lo, hi, o)
	if err != nil {
		return nil, err
	}
	// The domain search estimates the area, which turns the relative
	// tolerance into an absolute one.
	left, leftMass, err := b.tail(c, fc, lo, -1, o.UTol)
	if err != nil {
		return nil, err
	}
	right, rightMass, err := b.tail(c, fc, hi, 1, o.UTol)
	if err != nil {
		return nil, err
	}
	area := leftMass + rightMass
	if !(area > 0) || math.IsInf(area, 0) {
		return nil, fmt.Errorf("transform: density has no positive mass on [%v, %v] around x=%v", lo, hi, c)
	}
	// Sweep a wider range than the domain for peaks the tail walk stepped
	// over, and widen the domain to take in any it finds.
	w := max(2*(right-left), 50)
	sweepLo, sweepHi := math.Max(lo, left-w), math.Min(hi, right+w)
	var grid [peakGrid]float64
	peaks, c, fc := b.peaks(sweepLo, sweepHi, c, fc, &grid)
	if b.err != nil {
		return nil, b.err
	}
	for _, p := range o.Peaks {
		if v := b.eval(p); b.err != nil {
			return nil, b.err
		} else if v == 0 {
			return nil, fmt.Errorf("transform: density is zero at the given peak x=%v", p)
		}
	}
	peaks = landings(peaks, o.Peaks, c)
	first, last := c, c
	if len(peaks) > 0 {
		first, last = min(first, peaks[0]), max(last, peaks[len(peaks)-1])
	}
	if first < left {
		if left, _, err = b.tail(first, b.eval(first), lo, -1, o.UTol); err != nil {
			return nil, err
		}
	}
	if last > right {
		if right, _, err = b.tail(last, b.eval(last), hi, 1, o.UTol); err != nil {
			return nil, err
		}
	}
	kept := peaks[:0]
	for _, p := range peaks {
		if p > left && p < right {
			kept = append(kept, p)
		}
	}
	peaks = landings(kept, o.Breaks, c)
	// Mass the walk did not see (a peak it stepped over) shows in the
	// sweep's trapezoid sum; too large an estimate is caught below.
	gh := (sweepHi - sweepLo) / (peakGrid + 1)
	// Grid point i is at sweepLo + (i+1)·gh.
	i0 := int(math.Max(0, math.Ceil((left-sweepLo)/gh)-1))
	i1 := int(math.Min(peakGrid, math.Floor((right-sweepLo)/gh)))
	var sweptArea float64
	for _, v := range grid[i0:max(i0, i1)] {
		sweptArea += v
	}
	sweptArea *= gh
	area = max(area, sweptArea)
	if area < 0x1p-1000 {
		return nil, fmt.Errorf("transform: the density's area is about %.3g, too close to float64's underflow for a table; rescale x (or the density)", area)
	}
	if area < 0x1p-500 {
		// A density of tiny width has a tiny area, and an interval's
		// polynomial in u would need coefficients beyond float64's
		// range. From here on the density is multiplied by a power of
		// two that brings the area near 1: exact, and undone in Area.
		b.fscale = math.Ldexp(1, -math.Ilogb(area))
		area *= b.fscale
		fc *= b.fscale
	}
	b.tol = o.UTol * area
	// Intervals near the center start at a small fraction of the
	// density's width there, scaled to the tolerance like an interval
	// that just meets it.
	h0 := 0.02 * math.Pow(o.UTol/1e-10, 1.0/6) * area / fc
	h0 = min(h0, (right-left)/8)
	peaks = slices.DeleteFunc(peaks, func(p float64) bool { return !(p > left && p < right) })
	b.width = right - left
	t, err := b.build(left, c, fc, right, h0, peaks, o)
	if err != nil {
		return nil, err
	}
	if t.area < 0.9*area || t.area > 1.5*area {
		// The walk overestimated the mass, so the tolerance was too
		// loose, or it missed a peak the caller named, so the tolerance
		// was needlessly tight: build again with the intervals' own
		// area.
		b.tol = o.UTol * t.area
		if t, err = b.build(left, c, fc, right, h0, peaks, o); err != nil {
			return nil, err
		}
	}
	t.density, t.fscale = density, 1
	if f := b.fscale; f != 0 {
		t.density, t.fscale = func(x float64) float64 { return density(x) * f }, f
	}
	t.evals = b.evals
	return t, nil
}
