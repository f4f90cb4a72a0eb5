package transform

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"

	"gonum.org/v1/gonum/integrate/quad"

	"github.com/variate/variate/sampler"
)

// TableOptions configures NewTable. The zero value (or a nil pointer)
// means the documented defaults.
type TableOptions struct {
	// UTol is the maximum u-error |F(Q(u)) − u| the table guarantees, in
	// [1e-14, 1e-4]. Default 1e-10.
	UTol float64
	// Center is a point where the density is positive, inside the bulk of
	// the distribution; the search for the computational domain starts
	// there. Default: the largest density found on a coarse grid.
	Center float64
	// CenterSet says that Center is given (Center may be 0).
	CenterSet bool
	// MaxEvaluations bounds the density evaluations of the whole setup;
	// reaching it is an error. Default 1,000,000.
	MaxEvaluations int
	// MaxIntervals bounds the number of interpolation intervals; reaching
	// it is an error. Default 100,000.
	MaxIntervals int
}

// guideFactor is the least number of guide cells per interval (the
// guide's length is the next power of two).
const guideFactor = 8

// order is the degree of the interpolating polynomial of every interval.
const order = 5

// recLen is the number of float64 per interval record: one cache line.
const recLen = 8

// A record holds an interval's cumulative area at its start and end, then
// the polynomial x(t) = c0 + c1 t + … + c5 t⁵ in t = u − start.
type record [recLen]float64

// A Table samples a 1-D distribution known only by its (unnormalised)
// density, by numerical inversion: after Derflinger, Hörmann & Leydold,
// "Random variate generation by numerical inversion when only the density
// is known", ACM TOMACS 20(4), 2010 (the PINV method).
//
// The computational domain is cut where the tails' mass is negligible
// against the tolerance (below 5% of it) and divided into intervals; on
// each, the inverse CDF is interpolated by a polynomial of degree 5
// through Chebyshev nodes, with the CDF increments computed by
// Gauss–Legendre quadrature. An interval is accepted only when the u-error
// |F(Q(u)) − u| at the test points between the nodes, where interpolation
// errors peak, is below half the tolerance. F is the table's own
// integrated CDF — the quadrature of the given density, normalised by the
// table's total area — so the guarantee is relative to that, and to the
// true CDF up to the (much smaller) quadrature error and the tail mass
// cut. [Table.UError] measures it afresh at random points.
//
// Sampling costs one uniform, a guide-table lookup and a degree-5
// polynomial, independently of the distribution. A Table is read-only
// after construction and safe for concurrent use.
type Table struct {
	recs    []record
	guide   []int32
	gshift  uint    // a 53-bit integer shifted right by gshift is its guide cell
	uscale  float64 // area · 2⁻⁵³: a 53-bit integer to u
	area    float64
	lo, hi  float64 // computational domain
	evals   int
	density func(float64) float64
	bounds  []float64 // x at the start of each interval, and the end
}

var _ sampler.Sampler = (*Table)(nil)

// Gauss–Legendre nodes and weights on [0, 1]: 8 points for the tail
// search and the CDF, 5 for the pieces of an interval (exact for degree
// 9; the pieces are a fifth of an interval on which a degree-5 inverse
// already fits to the tolerance, so the quadrature error is far smaller),
// 8 again below a tolerance of 1e-12.
var glNodes = sync.OnceValue(func() [2][8]float64 {
	var x, w [8]float64
	quad.Legendre{}.FixedLocations(x[:], w[:], 0, 1)
	return [2][8]float64{x, w}
})

var glNodes5 = sync.OnceValue(func() [2][5]float64 {
	var x, w [5]float64
	quad.Legendre{}.FixedLocations(x[:], w[:], 0, 1)
	return [2][5]float64{x, w}
})

// builder holds the state of one construction.
type builder struct {
	f        func(float64) float64
	tol      float64 // absolute u-tolerance (times the area)
	evals    int
	maxEvals int
	err      error
	gx, gw   [8]float64
	px, pw   []float64 // the rule for interval pieces
}

// eval evaluates the density, recording the first bad value as an error.
func (b *builder) eval(x float64) float64 {
	if b.err != nil {
		return 0
	}
	b.evals++
	if b.evals > b.maxEvals {
		b.err = fmt.Errorf("transform: density evaluation budget of %d exhausted near x=%v", b.maxEvals, x)
		return 0
	}
	v := b.f(x)
	switch {
	case math.IsNaN(v):
		b.err = fmt.Errorf("transform: density is NaN at x=%v", x)
	case v < 0:
		b.err = fmt.Errorf("transform: density is negative at x=%v", x)
	case math.IsInf(v, 1):
		b.err = fmt.Errorf("transform: density is infinite at x=%v", x)
	default:
		return v
	}
	return 0
}

// integral is 8-point Gauss–Legendre over [a, c].
func (b *builder) integral(a, c float64) float64 {
	h := c - a
	var s float64
	for i, u := range b.gx {
		s += b.gw[i] * b.eval(a+h*u)
	}
	return s * h
}

// piece integrates over a piece of an interval with the piece rule.
func (b *builder) piece(a, c float64) float64 {
	h := c - a
	var s float64
	for i, u := range b.px {
		s += b.pw[i] * b.eval(a+h*u)
	}
	return s * h
}

// NewTable builds a Table for the distribution with the given density
// (unnormalised; zero outside the support) on [lo, hi]; either end may be
// infinite. It evaluates the density at most opts.MaxEvaluations times and
// reports an error naming x for a density that is negative, NaN or
// infinite, one that is zero everywhere it looks, or one whose tails do not
// vanish (not integrable).
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
		return nil, errors.New("transform: negative evaluation or interval budget")
	}
	g := glNodes()
	b := &builder{f: density, maxEvals: o.MaxEvaluations, gx: g[0], gw: g[1], px: g[0][:], pw: g[1][:]}
	if o.UTol >= 1e-12 {
		g5 := glNodes5()
		b.px, b.pw = g5[0][:], g5[1][:]
	}

	c, err := b.center(lo, hi, o)
	if err != nil {
		return nil, err
	}
	// The domain search estimates the area, which turns the relative
	// tolerance into an absolute one.
	left, leftMass, err := b.tail(c, lo, -1, o.UTol)
	if err != nil {
		return nil, err
	}
	right, rightMass, err := b.tail(c, hi, 1, o.UTol)
	if err != nil {
		return nil, err
	}
	area := leftMass + rightMass
	if !(area > 0) || math.IsInf(area, 0) {
		return nil, fmt.Errorf("transform: density has no positive mass on [%v, %v] around x=%v", lo, hi, c)
	}
	b.tol = o.UTol * area
	// Sweep a wider range than the domain for peaks the tail walk stepped
	// over, and widen the domain to take in any it finds.
	w := max(2*(right-left), 50)
	sweepLo, sweepHi := math.Max(lo, left-w), math.Min(hi, right+w)
	peaks, c := b.peaks(sweepLo, sweepHi, c)
	if b.err != nil {
		return nil, b.err
	}
	if len(peaks) > 0 && peaks[0] < left {
		if left, _, err = b.tail(peaks[0], lo, -1, o.UTol); err != nil {
			return nil, err
		}
	}
	if len(peaks) > 0 && peaks[len(peaks)-1] > right {
		if right, _, err = b.tail(peaks[len(peaks)-1], hi, 1, o.UTol); err != nil {
			return nil, err
		}
	}
	kept := peaks[:0]
	for _, p := range peaks {
		if p > left && p < right {
			kept = append(kept, p)
		}
	}
	peaks = kept
	t, err := b.build(left, c, right, peaks, o)
	if err != nil {
		return nil, err
	}
	t.density = density
	t.evals = b.evals
	return t, nil
}

// center finds a point of positive density inside the bulk.
func (b *builder) center(lo, hi float64, o TableOptions) (float64, error) {
	if o.CenterSet {
		if !(o.Center > lo && o.Center < hi) {
			return 0, fmt.Errorf("transform: center %v outside (%v, %v)", o.Center, lo, hi)
		}
		if v := b.eval(o.Center); b.err != nil || v == 0 {
			if b.err != nil {
				return 0, b.err
			}
			return 0, fmt.Errorf("transform: density is zero at the given center x=%v", o.Center)
		}
		return o.Center, nil
	}
	var xs []float64
	if !math.IsInf(lo, 0) && !math.IsInf(hi, 0) {
		for i := 1; i < 64; i++ {
			xs = append(xs, lo+(hi-lo)*float64(i)/64)
		}
	} else {
		for e := -10; e <= 20; e++ {
			s := math.Ldexp(1, e)
			xs = append(xs, -s, s)
		}
		xs = append(xs, 0)
		if !math.IsInf(lo, 0) {
			for e := -10; e <= 20; e++ {
				xs = append(xs, lo+math.Ldexp(1, e))
			}
		}
		if !math.IsInf(hi, 0) {
			for e := -10; e <= 20; e++ {
				xs = append(xs, hi-math.Ldexp(1, e))
			}
		}
	}
	best, bx := 0.0, math.NaN()
	for _, x := range xs {
		if !(x > lo && x < hi) {
			continue
		}
		if v := b.eval(x); v > best {
			best, bx = v, x
		}
		if b.err != nil {
			return 0, b.err
		}
	}
	if best == 0 {
		return 0, fmt.Errorf("transform: density is zero at every probe point in (%v, %v); set TableOptions.Center to a point of positive density", lo, hi)
	}
	return bx, nil
}

// tail walks from c towards end (dir −1 left, +1 right) in doubling
// steps, integrating each step in pieces, until a finite end, or until the
// steps' masses are negligible and falling at least geometrically (so the
// rest of the tail is smaller than the last step). It then cuts the domain
// at the innermost piece boundary beyond which the mass is below a
// fortieth of the tolerance, and returns the cut and the mass between c
// and the cut.
func (b *builder) tail(c, end float64, dir, utol float64) (float64, float64, error) {
	const pieces = 8
	step := 0.01 * math.Max(1, math.Abs(c))
	x := c
	type piece struct{ x, m float64 } // outer boundary, mass of the piece
	var ps []piece
	var mass, prevSeg float64
	small := 0
	cut := func(extra float64) (float64, float64) {
		beyond := extra
		thr := utol * mass / 40
		k := len(ps) - 1
		for k >= 0 && beyond+ps[k].m <= thr {
			beyond += ps[k].m
			k--
		}
		if k < 0 {
			return c, 0
		}
		return ps[k].x, mass - (beyond - extra)
	}
	for range 2000 {
		next := x + dir*step
		finalStep := (dir < 0 && next <= end) || (dir > 0 && next >= end)
		if finalStep {
			if math.IsInf(end, 0) {
				return 0, 0, fmt.Errorf("transform: density does not vanish towards %v: it is not integrable, or too wide to tabulate", end)
			}
			next = end
		}
		h := (next - x) / pieces
		var seg float64
		for p := range pieces {
			a, z := x+float64(p)*h, x+float64(p+1)*h
			m := b.integral(math.Min(a, z), math.Max(a, z))
			seg += m
			ps = append(ps, piece{z, m})
		}
		if b.err != nil {
			return 0, 0, b.err
		}
		mass += seg
		x = next
		if finalStep {
			if mass == 0 {
				return end, 0, nil
			}
			xc, m := cut(0)
			if dir < 0 && xc > end || dir > 0 && xc < end {
				return xc, m, nil
			}
			return end, mass, nil
		}
		if mass > 0 && seg < 1e-3*utol*mass && (prevSeg == 0 || seg <= prevSeg/2) {
			if small++; small >= 2 {
				xc, m := cut(seg)
				return xc, m, nil
			}
		} else {
			small = 0
		}
		prevSeg = seg
		step *= 2
	}
	return 0, 0, fmt.Errorf("transform: could not find where the density's tail ends towards %v", end)
}

// An interval under construction: its ends, its mass and its record.
type interval struct {
	x0, x1, du float64
	rec        record
}

// build divides [lo, hi] into accepted intervals, growing them outward
// from the center c on both sides: near the mode, where the density's
// narrowest features usually are, intervals start small (h0) and grow at
// most twofold each, so no feature there is stepped over.
func (b *builder) build(lo, c, hi float64, peaks []float64, o TableOptions) (*Table, error) {
	h0 := 0.01 * math.Max(1, math.Abs(c))
	left, err := b.side(c, lo, -1, h0, peaks, o.MaxIntervals)
	if err != nil {
		return nil, err
	}
	right, err := b.side(c, hi, 1, h0, peaks, o.MaxIntervals-len(left))
	if err != nil {
		return nil, err
	}
	slices.Reverse(left)
	all := append(left, right...)
	t := &Table{lo: lo, hi: hi}
	var cum float64
	for _, iv := range all {
		r := iv.rec
		r[0], r[1] = cum, cum+iv.du
		t.recs = append(t.recs, r)
		t.bounds = append(t.bounds, iv.x0)
		cum += iv.du
	}
	t.bounds = append(t.bounds, hi)
	t.area = cum
	if !(cum > 0) {
		return nil, fmt.Errorf("transform: density integrates to %v on [%v, %v]", cum, lo, hi)
	}
	n := len(t.recs)
	t.recs[n-1][1] = math.Inf(1) // the search never runs past the end
	// Guide table (Chen & Asau 1974): guide[g] is the first interval
	// whose end exceeds the start of cell g, negated (−j−1) when the cell
	// also holds the end of that interval's successor, so that Sample
	// knows when one step forward may not be enough.
	bits := 0
	for 1<<bits < guideFactor*n {
		bits++
	}
	G := 1 << bits
	t.guide = make([]int32, G)
	j := 0
	for g := range G {
		u0 := float64(g) * cum / float64(G)
		u1 := float64(g+1) * cum / float64(G)
		for j < n-1 && t.recs[j][1] <= u0 {
			j++
		}
		t.guide[g] = int32(j)
		if j+1 < n && t.recs[j+1][1] <= u1 {
			t.guide[g] = int32(-j - 1)
		}
	}
	t.gshift = uint(53 - bits)
	t.uscale = cum * 0x1p-53
	return t, nil
}

// side builds the intervals from c to end (dir −1: leftwards), in the
// order it meets them. Intervals end exactly at each peak on the way and
// start small again after it, so a narrow component away from the center
// is approached like the center itself.
func (b *builder) side(c, end, dir, h float64, peaks []float64, maxIntervals int) ([]interval, error) {
	h0 := h
	// nextPeak is the first peak strictly beyond a in direction dir.
	nextPeak := func(a float64) (float64, bool) {
		if dir > 0 {
			i, _ := slices.BinarySearch(peaks, a)
			for i < len(peaks) && peaks[i] <= a {
				i++
			}
			if i < len(peaks) && peaks[i] < end {
				return peaks[i], true
			}
			return 0, false
		}
		i, _ := slices.BinarySearch(peaks, a)
		i--
		if i >= 0 && peaks[i] > end {
			return peaks[i], true
		}
		return 0, false
	}
	var out []interval
	var cheb [order + 1]float64 // Chebyshev–Lobatto points on [0, 1]
	for k := range cheb {
		cheb[k] = (1 - math.Cos(float64(k)*math.Pi/order)) / 2
	}
	var xs, us [order + 1]float64
	var coef [order + 1]float64
	a := c
	for a != end {
		if len(out) >= maxIntervals {
			return nil, fmt.Errorf("transform: more than %d intervals needed (reached x=%v)", maxIntervals, a)
		}
		z := a + dir*h
		atPeak := false
		if p, ok := nextPeak(a); ok && dir*(p-z) < 0.05*h {
			z, atPeak = p, true // land on the peak
		} else if dir*(end-z) < 0.05*h {
			z = end // no sliver at the end
		}
		x0, x1 := math.Min(a, z), math.Max(a, z)
		for k, s := range cheb {
			xs[k] = x0 + (x1-x0)*s
		}
		xs[0], xs[order] = x0, x1
		us[0] = 0
		for k := 1; k <= order; k++ {
			us[k] = us[k-1] + b.piece(xs[k-1], xs[k])
		}
		if b.err != nil {
			return nil, b.err
		}
		du := us[order]
		accept, linear := false, false
		var maxErr float64
		switch {
		case du <= 0.05*b.tol:
			// Negligible mass: any x in the interval is within tolerance.
			accept, linear = true, true
		case strictlyIncreasing(us[:]):
			newton(us[:], xs[:], &coef)
			maxErr = b.testError(us[:], xs[:], &coef)
			if b.err != nil {
				return nil, b.err
			}
			accept = maxErr <= 0.5*b.tol
		default:
			maxErr = math.Inf(1) // zero density inside: split
		}
		if !accept {
			shrink := 0.5
			if !math.IsInf(maxErr, 1) && maxErr > 0 {
				shrink = math.Max(0.1, math.Min(0.8, 0.9*math.Pow(0.5*b.tol/maxErr, 1.0/(order+1))))
			}
			h = (x1 - x0) * shrink
			if h < 1e-13*math.Max(1, math.Abs(a)) {
				return nil, fmt.Errorf("transform: cannot reach the u-tolerance near x=%v: the density may have a pole or a discontinuity there", a)
			}
			continue
		}
		iv := interval{x0: x0, x1: x1, du: du}
		if linear {
			iv.rec[2] = x0
			if du > 0 {
				iv.rec[3] = (x1 - x0) / du
			}
		} else {
			copy(iv.rec[2:], coef[:])
		}
		out = append(out, iv)
		// Grow the next interval by what the error leaves room for.
		grow := 2.0
		if maxErr > 0 {
			grow = math.Min(2, math.Max(1, 0.9*math.Pow(0.5*b.tol/maxErr, 1.0/(order+1))))
		}
		h = (x1 - x0) * grow
		if atPeak {
			h = min(h, h0)
		}
		a = z
	}
	return out, nil
}

// peakGrid is the number of points of the sweep that looks for peaks.
const peakGrid = 2048

// peaks sweeps the domain [lo, hi] on a uniform grid and returns the
// grid's local maxima (at most 256, the highest) in increasing order, and
// the highest point seen as the center: a narrow component that the
// coarse probes and the tail walk stepped over shows up here.
func (b *builder) peaks(lo, hi, c float64) ([]float64, float64) {
	h := (hi - lo) / (peakGrid + 1)
	var vals [peakGrid]float64
	for i := range vals {
		vals[i] = b.eval(lo + h*float64(i+1))
	}
	if b.err != nil {
		return nil, c
	}
	best := b.eval(c)
	type pk struct{ x, v float64 }
	var ps []pk
	for i := 1; i < peakGrid-1; i++ {
		v := vals[i]
		if v > 0 && v > vals[i-1] && v >= vals[i+1] {
			ps = append(ps, pk{lo + h*float64(i+1), v})
		}
		if v > best {
			best, c = v, lo+h*float64(i+1)
		}
	}
	if len(ps) > 256 {
		slices.SortFunc(ps, func(a, b pk) int { return cmpFloat(b.v, a.v) })
		ps = ps[:256]
	}
	out := make([]float64, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.x)
	}
	slices.Sort(out)
	return out, c
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func strictlyIncreasing(u []float64) bool {
	for k := 1; k < len(u); k++ {
		if !(u[k] > u[k-1]) {
			return false
		}
	}
	return true
}

// newton interpolates x as a polynomial in u through the nodes by Newton's
// divided differences, then expands it into powers of u (u[0] = 0).
func newton(u, x []float64, coef *[order + 1]float64) {
	var d [order + 1]float64
	copy(d[:], x)
	for k := 1; k <= order; k++ {
		for i := order; i >= k; i-- {
			d[i] = (d[i] - d[i-1]) / (u[i] - u[i-k])
		}
	}
	// P(t) = d0 + (t−u0)(d1 + (t−u1)(d2 + …)); expand from the inside.
	var p [order + 1]float64
	p[0] = d[order]
	deg := 0
	for k := order - 1; k >= 0; k-- {
		// p ← p·(t − u_k) + d_k
		deg++
		for i := deg; i >= 1; i-- {
			p[i] = p[i-1] - u[k]*p[i]
		}
		p[0] = -u[k]*p[0] + d[k]
	}
	*coef = p
}

func horner(c *[order + 1]float64, t float64) float64 {
	return c[0] + t*(c[1]+t*(c[2]+t*(c[3]+t*(c[4]+t*c[5]))))
}

// testError returns the largest u-error at the midpoints (in u) between
// consecutive nodes, where the error of the interpolation peaks. A
// polynomial that leaves its node interval there is not monotone: +Inf.
func (b *builder) testError(u, x []float64, coef *[order + 1]float64) float64 {
	var worst float64
	for k := 1; k <= order; k++ {
		ut := (u[k-1] + u[k]) / 2
		xt := horner(coef, ut)
		if !(xt > x[k-1] && xt < x[k]) {
			return math.Inf(1)
		}
		// F(xt) − ut, integrating from the nearer node.
		var e float64
		if xt-x[k-1] <= x[k]-xt {
			e = u[k-1] + b.piece(x[k-1], xt) - ut
		} else {
			e = u[k] - b.piece(xt, x[k]) - ut
		}
		worst = math.Max(worst, math.Abs(e))
	}
	return worst
}

// Dim returns 1.
func (*Table) Dim() int { return 1 }

// Sample fills dst with draws: one uniform, a guide-table lookup, and the
// interval's polynomial. It never fails.
func (t *Table) Sample(rng *rand.Rand, dst []float64) error {
	// First the uniforms, in a loop that is nothing but generator calls;
	// then the inversion, in a loop without calls, so that nothing is
	// spilled around the generator's indirect call and consecutive draws
	// overlap in the pipeline.
	for i := range dst {
		dst[i] = math.Float64frombits(rng.Uint64())
	}
	t.invert(dst)
	return nil
}

// invert maps random 64-bit words held in dst (as float64 bits) to draws
// in place. The top 53 bits make u; the top bits of those pick the guide
// cell, since the guide has a power-of-two length.
func (t *Table) invert(dst []float64) {
	recs, guide := t.recs, t.guide
	shift, uscale := t.gshift, t.uscale
	mask := uint64(len(guide) - 1)
	for i, w := range dst {
		x := math.Float64bits(w) >> 11
		u := float64(x) * uscale
		j := int(guide[(x>>shift)&mask])
		if j < 0 {
			// A cell that holds two or more interval ends: search.
			j = -j - 1
			for u >= recs[j][1] {
				j++
			}
		} else {
			// The interval is the guided one or the next. Take that step
			// without a branch: u and the ends are non-negative, so their
			// bit patterns order like their values, and the sign of
			// bits(end) − bits(u) − 1 says whether u ≥ end.
			j -= int(int64(math.Float64bits(recs[j][1])-math.Float64bits(u)-1) >> 63)
		}
		r := &recs[j]
		s := u - r[0]
		dst[i] = r[2] + s*(r[3]+s*(r[4]+s*(r[5]+s*(r[6]+s*r[7]))))
	}
}

// Quantile returns the table's approximation of the quantile at p in
// [0, 1] (clamped).
func (t *Table) Quantile(p float64) float64 {
	p = math.Min(1, math.Max(0, p))
	u := p * t.area
	g := min(len(t.guide)-1, int(p*float64(len(t.guide))))
	j := int(t.guide[g])
	if j < 0 {
		j = -j - 1
	}
	for u >= t.recs[j][1] {
		j++
	}
	r := &t.recs[j]
	s := u - r[0]
	return r[2] + s*(r[3]+s*(r[4]+s*(r[5]+s*(r[6]+s*r[7]))))
}

// Intervals returns the number of interpolation intervals.
func (t *Table) Intervals() int { return len(t.recs) }

// Evaluations returns the number of density evaluations setup used.
func (t *Table) Evaluations() int { return t.evals }

// Domain returns the computational domain: the support with the
// negligible tails cut.
func (t *Table) Domain() (lo, hi float64) { return t.lo, t.hi }

// Area returns the integral of the given density over the domain, by the
// table's quadrature: its normalising constant.
func (t *Table) Area() float64 { return t.area }

// CDF returns the table's own integrated CDF at x: the cumulative area up
// to the interval holding x plus a 64-point Gauss–Legendre integral from
// the interval's start, over the total area. This is the F of the u-error
// guarantee.
func (t *Table) CDF(x float64) float64 {
	if x <= t.lo {
		return 0
	}
	if x >= t.hi {
		return 1
	}
	// Binary search for the interval [bounds[j], bounds[j+1]) holding x.
	lo, hi := 0, len(t.bounds)-2
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if t.bounds[mid] <= x {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	a := t.bounds[lo]
	g := glNodes()
	var s float64
	const pieces = 8
	h := (x - a) / pieces
	for p := range pieces {
		for i, u := range g[0] {
			s += g[1][i] * t.density(a+h*(float64(p)+u))
		}
	}
	return math.Min(1, (t.recs[lo][0]+s*h)/t.area)
}

// UError draws n uniforms u and returns the largest and the mean u-error
// |F(Q(u)) − u|, where F is the table's integrated CDF ([Table.CDF]). It
// costs 64 density evaluations per point.
func (t *Table) UError(rng *rand.Rand, n int) (maxErr, meanErr float64) {
	for range n {
		u := rng.Float64()
		e := math.Abs(t.CDF(t.Quantile(u)) - u)
		maxErr = math.Max(maxErr, e)
		meanErr += e
	}
	if n > 0 {
		meanErr /= float64(n)
	}
	return maxErr, meanErr
}
