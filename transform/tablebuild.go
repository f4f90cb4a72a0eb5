package transform

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
)

// The five-point Gauss–Lobatto rule on [0, 1], exact for degree 7. Its
// ends are nodes, so pieces laid end to end share them: a chain of pieces
// costs four new density evaluations each.
var (
	lobQ = math.Sqrt(3.0/7) / 2
	lobS = [5]float64{0, 0.5 - lobQ, 0.5, 0.5 + lobQ, 1}
	lobW = [5]float64{1.0 / 20, 49.0 / 180, 16.0 / 45, 49.0 / 180, 1.0 / 20}
)

// lob holds polynomials in powers of s on [0, 1] built on the Lobatto
// points: the Lagrange basis ell[j], its integrals from 0, the nodal
// polynomial om = ∏(s − s_j) and its integral from 0. They integrate the
// density's interpolant over part of a piece without new evaluations.
var lob = func() (p struct {
	ell    [5][5]float64
	ellInt [5][6]float64
	om     [6]float64
	omInt  [7]float64
}) {
	for j := range 5 {
		b := []float64{1}
		for m := range 5 {
			if m != j {
				b = polyMulLinear(b, lobS[m], 1/(lobS[j]-lobS[m]))
			}
		}
		copy(p.ell[j][:], b)
		for i, c := range b {
			p.ellInt[j][i+1] = c / float64(i+1)
		}
	}
	w := []float64{1}
	for m := range 5 {
		w = polyMulLinear(w, lobS[m], 1)
	}
	copy(p.om[:], w)
	for i, c := range w {
		p.omInt[i+1] = c / float64(i+1)
	}
	return p
}()

// A pieceTest holds what testError needs for piece k of an interval, in
// that piece's units (s from 0 at its start to 1 at its end).
type pieceTest struct {
	// s is the test point: where, for a density constant across the
	// interval, the interpolation error of the piece peaks.
	s float64
	// The sixth point sn is the nearest interior Lobatto point of the
	// neighbouring piece: ext holds the basis there and invOm 1/ω(sn).
	ext   [5]float64
	invOm float64
	// The basis integrated from 0 to s, its value and derivative at s,
	// and the same of ω.
	intg, val, der       [5]float64
	omIntg, omVal, omDer float64
}

var pieceTests = func() (t [order]pieceTest) {
	// The nodal polynomial of the interval's nodes peaks where
	// Σ 1/(s − cheb[m]) = 0, once between each pair of nodes.
	g := func(x float64) float64 {
		var v float64
		for _, c := range cheb {
			v += 1 / (x - c)
		}
		return v
	}
	dpoly := func(c []float64) []float64 {
		d := make([]float64, len(c)-1)
		for i := 1; i < len(c); i++ {
			d[i-1] = float64(i) * c[i]
		}
		return d
	}
	for k := range order {
		lo, hi := cheb[k], cheb[k+1]
		for range 100 {
			if m := (lo + hi) / 2; g(m) > 0 {
				lo = m
			} else {
				hi = m
			}
		}
		pt := &t[k]
		pt.s = ((lo+hi)/2 - cheb[k]) / (cheb[k+1] - cheb[k])
		var sn float64
		if k+1 < order {
			sn = 1 + (cheb[k+2]-cheb[k+1])/(cheb[k+1]-cheb[k])*lobS[1]
		} else {
			sn = -(cheb[k] - cheb[k-1]) / (cheb[k+1] - cheb[k]) * (1 - lobS[3])
		}
		for j := range 5 {
			pt.ext[j] = poly(lob.ell[j][:], sn)
			pt.intg[j] = poly(lob.ellInt[j][:], pt.s)
			pt.val[j] = poly(lob.ell[j][:], pt.s)
			pt.der[j] = poly(dpoly(lob.ell[j][:]), pt.s)
		}
		pt.invOm = 1 / poly(lob.om[:], sn)
		pt.omIntg = poly(lob.omInt[:], pt.s)
		pt.omVal = poly(lob.om[:], pt.s)
		pt.omDer = poly(dpoly(lob.om[:]), pt.s)
	}
	return t
}()

// polyMulLinear returns p(s)·(s − r)·scale, coefficients lowest first.
func polyMulLinear(p []float64, r, scale float64) []float64 {
	q := make([]float64, len(p)+1)
	for i, c := range p {
		q[i+1] += c * scale
		q[i] -= c * r * scale
	}
	return q
}

// poly evaluates c[0] + c[1] s + … by Horner's rule.
func poly(c []float64, s float64) float64 {
	var v float64
	for i := len(c) - 1; i >= 0; i-- {
		v = v*s + c[i]
	}
	return v
}

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
// when it beats the probes), and 20 evaluations per interval tried. The
// standard normal at the default tolerance takes 4,047 evaluations and
// 136 intervals; the catalogue's 1-D targets take 2,800 to 5,100
// ([Table.Evaluations] reports the count).
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
	b := &builder{f: density, utol: o.UTol, maxEvals: o.MaxEvaluations}
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
	peaks = kept
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
	b.tol = o.UTol * area
	// Intervals near the center start at a small fraction of the
	// density's width there, scaled to the tolerance like an interval
	// that just meets it.
	h0 := 0.02 * math.Pow(o.UTol/1e-10, 1.0/6) * area / fc
	h0 = min(h0, (right-left)/8)
	t, err := b.build(left, c, fc, right, h0, peaks, o)
	if err != nil {
		return nil, err
	}
	if t.area < 0.9*area {
		// The walk overestimated the mass, so the tolerance was too
		// loose: build again with the intervals' own area.
		b.tol = o.UTol * t.area
		if t, err = b.build(left, c, fc, right, h0, peaks, o); err != nil {
			return nil, err
		}
	}
	t.density = density
	t.evals = b.evals
	return t, nil
}

// center finds a point of positive density inside the bulk and returns
// it with its density.
func (b *builder) center(lo, hi float64, o TableOptions) (float64, float64, error) {
	if o.CenterSet {
		if !(o.Center > lo && o.Center < hi) {
			return 0, 0, fmt.Errorf("transform: center %v outside (%v, %v)", o.Center, lo, hi)
		}
		v := b.eval(o.Center)
		if b.err != nil {
			return 0, 0, b.err
		}
		if v == 0 {
			return 0, 0, fmt.Errorf("transform: density is zero at the given center x=%v", o.Center)
		}
		return o.Center, v, nil
	}
	best, bx := 0.0, math.NaN()
	try := func(x float64) {
		if x > lo && x < hi {
			if v := b.eval(x); v > best {
				best, bx = v, x
			}
		}
	}
	if !math.IsInf(lo, 0) && !math.IsInf(hi, 0) {
		for i := 1; i < 64; i++ {
			try(lo + (hi-lo)*float64(i)/64)
		}
	} else {
		try(0)
		for e := -10; e <= 20; e++ {
			s := math.Ldexp(1, e)
			try(-s)
			try(s)
			if !math.IsInf(lo, 0) {
				try(lo + s)
			}
			if !math.IsInf(hi, 0) {
				try(hi - s)
			}
		}
	}
	if b.err != nil {
		return 0, 0, b.err
	}
	if best == 0 {
		return 0, 0, fmt.Errorf("transform: density is zero at every probe point in (%v, %v); set TableOptions.Center to a point of positive density", lo, hi)
	}
	return bx, best, nil
}

// tail walks from c (density fc there) towards end (dir −1 left, +1
// right) in doubling steps, each integrated as two Lobatto pieces, until
// a finite end, or until the steps' masses are negligible and falling at
// least geometrically (so the rest of the tail is smaller than the last
// step). It then cuts the domain at the innermost piece boundary beyond
// which the mass is below utol/tailDiv of the mass seen, and returns the
// cut and the mass between c and the cut.
func (b *builder) tail(c, fc, end, dir, utol float64) (float64, float64, error) {
	const pieces = 2
	step := 0.01 * math.Max(1, math.Abs(c))
	x, fx := c, fc
	var buf [256]piece
	ps := buf[:0]
	var mass, prevSeg float64
	small := 0
	cut := func(extra float64) (float64, float64) {
		beyond := extra
		thr := utol * mass / tailDiv
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
				return 0, 0, fmt.Errorf("transform: density does not vanish towards %v (still %v at x=%v): it is not integrable, or too wide to tabulate", end, fx, x)
			}
			next = end
		}
		h := (next - x) / pieces
		n0 := len(ps)
		floor := 1e-3 * utol * mass
		start := x
		for p := range pieces {
			z := start + float64(p+1)*h
			if p == pieces-1 {
				z = next
			}
			fz := b.eval(z)
			ps = b.walkPiece(ps, x, z, fx, fz, floor, 12)
			x, fx = z, fz
		}
		var seg float64
		for _, p := range ps[n0:] {
			seg += p.m
		}
		if b.err != nil {
			return 0, 0, b.err
		}
		mass += seg
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

// A piece of the tail walk: its outer boundary and its mass.
type piece struct{ x, m float64 }

// walkPiece integrates the density over the piece from p to q (q further
// from the center), given the density at both, and appends it to ps. A
// piece on which the Lobatto rule and Simpson's rule on the same points
// disagree by more than 5% and by more than floor is halved, down to
// depth levels, so that a narrow peak gets an accurate mass.
func (b *builder) walkPiece(ps []piece, p, q, fp, fq, floor float64, depth int) []piece {
	lo, hi, flo, fhi := p, q, fp, fq
	if lo > hi {
		lo, hi, flo, fhi = q, p, fq, fp
	}
	h := hi - lo
	f1, f2, f3 := b.eval(lo+h*lobS[1]), b.eval(lo+h/2), b.eval(lo+h*lobS[3])
	l5 := h * (lobW[0]*(flo+fhi) + lobW[1]*(f1+f3) + lobW[2]*f2)
	s3 := h * (flo + 4*f2 + fhi) / 6
	if depth > 0 && b.err == nil && math.Abs(l5-s3) > max(0.05*l5, floor) {
		m := lo + h/2
		ps = b.walkPiece(ps, p, m, fp, f2, floor, depth-1)
		return b.walkPiece(ps, m, q, f2, fq, floor, depth-1)
	}
	return append(ps, piece{q, l5})
}

// build divides [lo, hi] into accepted intervals, growing them outward
// from the center c (density fc) on both sides: near the mode, where the
// density's narrowest features usually are, intervals start small (h0)
// and grow at most twofold each, so no feature there is stepped over.
func (b *builder) build(lo, c, fc, hi, h0 float64, peaks []float64, o TableOptions) (*Table, error) {
	recs := make([]record, 0, 256)
	recs, err := b.side(c, fc, lo, -1, h0, peaks, o.MaxIntervals, recs)
	if err != nil {
		return nil, err
	}
	nLeft := len(recs)
	recs, err = b.side(c, fc, hi, 1, h0, peaks, o.MaxIntervals, recs)
	if err != nil {
		return nil, err
	}
	// The left side was built leftwards: put it in order. Until now each
	// record held its interval's start and mass in place of the
	// cumulative areas.
	slices.Reverse(recs[:nLeft])
	n := len(recs)
	t := &Table{lo: lo, hi: hi, recs: recs, bounds: make([]float64, n+1)}
	var cum float64
	for i := range recs {
		r := &recs[i]
		t.bounds[i] = r[0]
		du := r[1]
		r[0], r[1] = cum, cum+du
		cum += du
	}
	t.bounds[n] = hi
	t.area = cum
	if !(cum > 0) {
		return nil, fmt.Errorf("transform: density integrates to %v on [%v, %v]", cum, lo, hi)
	}
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
	guide := make([]int32, G)
	step := cum / float64(G) // exact: G is a power of two
	g := 0
	for j := range n - 1 {
		end := recs[j][1]
		// float64(g)·step is the least u that Sample puts in cell g.
		for g < G && float64(g)*step < end {
			guide[g] = int32(j)
			g++
		}
		// Cell g−1 holds this end; flag it if it may hold the next
		// one too (with a margin for rounding at the cell's top).
		if g > 0 && guide[g-1] >= 0 && recs[j+1][1] <= float64(g)*step*(1+0x1p-50) {
			guide[g-1] = int32(-guide[g-1] - 1)
		}
	}
	for ; g < G; g++ {
		guide[g] = int32(n - 1)
	}
	t.guide = guide
	t.gshift = uint(53 - bits)
	t.uscale = cum * 0x1p-53
	return t, nil
}

// cheb holds the Chebyshev–Lobatto points on [0, 1]: the nodes of an
// interval in x, which keep the interpolation error even across it.
var cheb = func() (c [order + 1]float64) {
	for k := range c {
		c[k] = (1 - math.Cos(float64(k)*math.Pi/order)) / 2
	}
	c[0], c[order] = 0, 1
	return c
}()

// A trial holds one candidate interval: its nodes in x, the mass from its
// start to each node, and the density at the Lobatto points of its pieces
// [x[k], x[k+1]] in increasing order, four per piece from its start and
// then x[order]: piece k's five values are f[4k : 4k+5].
type trial struct {
	x [order + 1]float64
	u [order + 1]float64
	f [4*order + 1]float64
}

// piece returns the density at the Lobatto points of piece k.
func (tr *trial) piece(k int) *[5]float64 { return (*[5]float64)(tr.f[4*k : 4*k+5]) }

// fill places the nodes on [x0, x1], evaluates the density at the
// Lobatto points of the pieces between them and integrates. fa is the
// density at the end the interval grows from (x0 if fromLeft, else x1),
// known from the previous interval.
func (b *builder) fill(tr *trial, x0, x1, fa float64, fromLeft bool) {
	var xs [4*order + 1]float64
	w := x1 - x0
	for k := range order {
		a, c := x0+w*cheb[k], x0+w*cheb[k+1]
		if k+1 == order {
			c = x1
		}
		h := c - a
		tr.x[k] = a
		xs[4*k], xs[4*k+1], xs[4*k+2], xs[4*k+3] = a, a+h*lobS[1], a+h/2, a+h*lobS[3]
	}
	tr.x[order], xs[4*order] = x1, x1
	if fromLeft {
		tr.f[0] = fa
		b.evalAll(xs[1:], tr.f[1:])
	} else {
		tr.f[4*order] = fa
		b.evalAll(xs[:4*order], tr.f[:4*order])
	}
	for k := range order {
		p := tr.piece(k)
		h := tr.x[k+1] - tr.x[k]
		tr.u[k+1] = tr.u[k] + h*(lobW[0]*(p[0]+p[4])+lobW[1]*(p[1]+p[3])+lobW[2]*p[2])
	}
}

// side builds the intervals from c (density fc) to end (dir −1:
// leftwards), in the order it meets them, appending their records to out
// (at most maxIntervals in all, counting those out holds already)
// with the interval's start in place of the first cumulative area and its
// mass in place of the second. Intervals
// end exactly at each peak on the way and start small again after it, so
// a narrow component away from the center is approached like the center
// itself.
func (b *builder) side(c, fc, end, dir, h float64, peaks []float64, maxIntervals int, out []record) ([]record, error) {
	h0 := h
	// nextPeak is the first peak strictly beyond a in direction dir.
	nextPeak := func(a float64) (float64, bool) {
		i, _ := slices.BinarySearch(peaks, a)
		if dir > 0 {
			for i < len(peaks) && peaks[i] <= a {
				i++
			}
			if i < len(peaks) && peaks[i] < end {
				return peaks[i], true
			}
			return 0, false
		}
		i--
		if i >= 0 && peaks[i] > end {
			return peaks[i], true
		}
		return 0, false
	}
	var tr trial
	var coef [order + 1]float64
	thr := acceptFrac * b.tol
	a, fa := c, fc
	var st stepper
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
		x0, x1 := min(a, z), max(a, z)
		if fa*(x1-x0) <= 2*thr {
			// Likely a light piece of tail: one Lobatto piece tells,
			// at four evaluations instead of twenty.
			w := x1 - x0
			var p [5]float64
			var fz float64
			b.evalAll([]float64{x0 + w*lobS[1], x0 + w/2, x0 + w*lobS[3]}, p[1:4])
			if dir > 0 {
				fz = b.eval(x1)
				p[0], p[4] = fa, fz
			} else {
				fz = b.eval(x0)
				p[0], p[4] = fz, fa
			}
			if b.err != nil {
				return nil, b.err
			}
			m := w * (lobW[0]*(p[0]+p[4]) + lobW[1]*(p[1]+p[3]) + lobW[2]*p[2])
			if m <= thr && b.quadError(&p, m) <= b.quadAllowance(m) {
				out = append(out, linearRecord(x0, x1, m))
				h = st.next(x1-x0, 0, thr)
				if atPeak {
					h = min(h, h0)
				}
				a, fa = z, fz
				continue
			}
		}
		b.fill(&tr, x0, x1, fa, dir > 0)
		if b.err != nil {
			return nil, b.err
		}
		du := tr.u[order]
		var qerr float64
		for k := range order {
			// Pieces flat at their ends and middle, the rule, take no
			// call.
			p := tr.piece(k)
			lo, hi := p[0], p[4]
			if lo > hi {
				lo, hi = hi, lo
			}
			if v := p[2]; v < lo {
				lo = v
			} else if v > hi {
				hi = v
			}
			if hi > b.flat*lo {
				qerr += b.quadError(p, tr.u[k+1]-tr.u[k])
			}
		}
		accept, linear := false, false
		var maxErr float64
		switch {
		case qerr > b.quadAllowance(du):
			// Pieces too steep for the quadrature: shorten.
			maxErr = math.Inf(1)
		case du <= thr:
			// Light: no x in the interval is further from its u than
			// the interval's mass, so a straight line will do.
			accept, linear = true, true
		case strictlyIncreasing(tr.u[:]):
			newton(&tr.u, &tr.x, &coef)
			maxErr = b.testError(&tr, &coef)
			if b.err != nil {
				return nil, b.err
			}
			accept = maxErr <= thr
		default:
			maxErr = math.Inf(1) // zero density inside: split
		}
		if !accept {
			h = st.retry(x1-x0, maxErr, thr)
			if h < 1e-13*math.Max(1, math.Abs(a)) {
				return nil, fmt.Errorf("transform: cannot reach the u-tolerance near x=%v: the density may have a pole or a discontinuity there", a)
			}
			continue
		}
		if linear {
			out = append(out, linearRecord(x0, x1, du))
		} else {
			r := record{0: x0, 1: du}
			copy(r[2:], coef[:])
			out = append(out, r)
		}
		h = st.next(x1-x0, maxErr, thr)
		if atPeak {
			h = min(h, h0)
			st = stepper{}
		}
		a = z
		if dir > 0 {
			fa = tr.f[4*order]
		} else {
			fa = tr.f[0]
		}
	}
	return out, nil
}

// linearRecord is the record of the interval [x0, x1] of mass m as a
// straight line in u, its start and mass in place of the cumulative areas.
func linearRecord(x0, x1, m float64) record {
	r := record{0: x0, 1: m, 2: x0}
	if m > 0 {
		r[3] = (x1 - x0) / m
	}
	return r
}

// quadError estimates the error of the Lobatto rule on a piece with
// density values p and mass m. A density that changes by a factor R across
// the piece is taken to be exponential there, e^(−L·s) with L = ln R, for
// which the rule's relative error is below 7e-10·L⁸ (it is exact to
// degree 7); L is bounded by (R − 1)/√R to spare a logarithm. Zeros are
// left out, which makes a tail that underflows as steep as its last
// positive value. A piece with R at most b.flat is counted as 0: its
// error is below 2% of the u-tolerance relative to its mass.
func (b *builder) quadError(p *[5]float64, m float64) float64 {
	mx, mn := p[0], p[0]
	for _, v := range p[1:] {
		if v > mx {
			mx = v
		}
		if v < mn {
			mn = v
		}
	}
	if mx <= b.flat*mn {
		return 0
	}
	if mn == 0 {
		mn = math.MaxFloat64
		for _, v := range p {
			if v > 0 && v < mn {
				mn = v
			}
		}
		if mn == math.MaxFloat64 {
			return 0
		}
	}
	r := mx / mn
	l := (r - 1) / math.Sqrt(r)
	l *= l
	l *= l
	return 7e-10 * l * l * m
}

// quadAllowance is the quadrature error an interval of mass m may carry.
// These errors add up along the table, so they must be a small share of
// the tolerance in sum: 2% of the tolerance on the interval's own mass
// (and as much again for its pieces counted as flat), plus 10⁻⁴ of the
// absolute tolerance.
func (b *builder) quadAllowance(m float64) float64 {
	return 0.02*b.utol*m + 1e-4*b.tol
}

// A stepper sizes the intervals of one side. The u-error of a degree-5
// interpolant on an interval of length h is about C·h⁶, with C varying
// smoothly along x; the next interval aims at a fraction of the threshold
// with C taken from the last accepted interval, and further grown when C
// grew from the one before.
type stepper struct {
	e, h float64 // error and length of the last accepted interval
}

// Aims, as fractions of the acceptance threshold, after an acceptance and
// after a rejection.
const (
	aimNext  = 0.85
	aimRetry = 0.5
)

// root6 returns x^(1/6).
func root6(x float64) float64 { return math.Sqrt(math.Cbrt(x)) }

// next returns the length of the interval after an accepted one of length
// h with error e.
func (st *stepper) next(h, e, thr float64) float64 {
	if !(e > 0) {
		*st = stepper{}
		return 2 * h
	}
	r := aimNext * thr / e
	if st.e > 0 {
		// C/C_prev: when C grew, expect it to grow as much again.
		q := st.h / h
		q *= q * q
		if q *= q * e / st.e; q > 1 {
			r /= min(q, trendMax)
		}
	}
	st.e, st.h = e, h
	return h * max(0.25, min(2, root6(r)))
}

// trendMax bounds the growth of C the stepper anticipates.
const trendMax = 10

// retry returns the length to try after an interval of length h was
// rejected with error e (+Inf: not monotone, or no mass in part of it).
func (st *stepper) retry(h, e, thr float64) float64 {
	if math.IsInf(e, 1) || !(e > 0) {
		return h / 2
	}
	return h * max(0.1, min(0.8, root6(aimRetry*thr/e)))
}

// peakGrid is the number of points of the sweep that looks for peaks.
const peakGrid = 1024

// peaks sweeps the domain [lo, hi] on a uniform grid, keeping the
// density's values in vals, and returns the grid's local maxima (at most 256, the highest) in increasing order, and
// the highest point seen as the center with its density: a narrow
// component that the coarse probes and the tail walk stepped over shows
// up here.
func (b *builder) peaks(lo, hi, c, fc float64, vals *[peakGrid]float64) ([]float64, float64, float64) {
	h := (hi - lo) / (peakGrid + 1)
	var xs [peakGrid]float64
	for i := range xs {
		xs[i] = lo + h*float64(i+1)
	}
	b.evalAll(xs[:], vals[:])
	if b.err != nil {
		return nil, c, fc
	}
	type pk struct{ x, v float64 }
	var ps []pk
	best := -1
	for i := 1; i < peakGrid-1; i++ {
		v := vals[i]
		if v > 0 && v > vals[i-1] && v >= vals[i+1] {
			ps = append(ps, pk{xs[i], v})
		}
		if v > fc {
			fc, best = v, i
		}
	}
	if vals[0] > fc || vals[peakGrid-1] > fc {
		best = 0
		if vals[peakGrid-1] > vals[0] {
			best = peakGrid - 1
		}
		fc = vals[best]
	}
	if best >= 0 {
		// The sweep found a higher point than the probes did: a peak
		// perhaps far narrower than the grid. Golden-section search
		// between the grid's neighbours brings the center to its top,
		// so that the first intervals fit its width.
		c = xs[best]
		a, z := max(lo, c-h), min(hi, c+h)
		const g = 0.6180339887498949
		x1, x2 := z-g*(z-a), a+g*(z-a)
		f1, f2 := b.eval(x1), b.eval(x2)
		for range 24 {
			if f1 >= f2 {
				z, x2, f2 = x2, x1, f1
				x1 = z - g*(z-a)
				f1 = b.eval(x1)
			} else {
				a, x1, f1 = x1, x2, f2
				x2 = a + g*(z-a)
				f2 = b.eval(x2)
			}
		}
		if f1 > fc {
			c, fc = x1, f1
		}
		if f2 > fc {
			c, fc = x2, f2
		}
	}
	// A local maximum of the grid next to the center is the center's
	// own peak.
	kept := ps[:0]
	for _, p := range ps {
		if math.Abs(p.x-c) > 2*h {
			kept = append(kept, p)
		}
	}
	ps = kept
	if len(ps) > 256 {
		slices.SortFunc(ps, func(a, b pk) int { return cmp.Compare(b.v, a.v) })
		ps = ps[:256]
	}
	out := make([]float64, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.x)
	}
	slices.Sort(out)
	return out, c, fc
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
func newton(u, x *[order + 1]float64, coef *[order + 1]float64) {
	u1, u2, u3, u4, u5 := u[1], u[2], u[3], u[4], u[5]
	a1 := (x[1] - x[0]) / u1
	a2 := (x[2] - x[1]) / (u2 - u1)
	a3 := (x[3] - x[2]) / (u3 - u2)
	a4 := (x[4] - x[3]) / (u4 - u3)
	a5 := (x[5] - x[4]) / (u5 - u4)
	b2 := (a2 - a1) / u2
	b3 := (a3 - a2) / (u3 - u1)
	b4 := (a4 - a3) / (u4 - u2)
	b5 := (a5 - a4) / (u5 - u3)
	c3 := (b3 - b2) / u3
	c4 := (b4 - b3) / (u4 - u1)
	c5 := (b5 - b4) / (u5 - u2)
	d4 := (c4 - c3) / u4
	d5 := (c5 - c4) / (u5 - u1)
	e5 := (d5 - d4) / u5
	// x(t) = x0 + t(a1 + (t−u1)(b2 + (t−u2)(c3 + (t−u3)(d4 + (t−u4)e5)))),
	// multiplied out from the inside.
	p1, p0 := e5, d4-u4*e5
	p2, p1, p0 := p1, p0-u3*p1, c3-u3*p0
	p3, p2, p1, p0 := p2, p1-u2*p2, p0-u2*p1, b2-u2*p0
	p4, p3, p2, p1, p0 := p3, p2-u1*p3, p1-u1*p2, p0-u1*p1, a1-u1*p0
	*coef = [order + 1]float64{x[0], p0, p1, p2, p3, p4}
}

func horner(c *[order + 1]float64, t float64) float64 {
	return c[0] + t*(c[1]+t*(c[2]+t*(c[3]+t*(c[4]+t*c[5]))))
}

// testError returns the largest u-error |F(x(u)) − u| of the interval's
// polynomial x(u) at one test point in each piece. A polynomial that
// leaves the piece there is not monotone: +Inf.
//
// The test point is x* at a fixed place in the piece, where the
// interpolation error peaks for a density constant across the interval
// (midway in u, to within 3%, otherwise). F(x*) is the mass at the node
// before plus the integral of the density's interpolant through the
// piece's five Lobatto points and the nearest Lobatto point of the
// neighbouring piece: no new evaluations. Its degree-5 term estimates the
// error of the degree-4 interpolant; when that is not negligible (a kink,
// a singularity, a piece too wide), the density itself is integrated from
// the nearer node instead. With u* = F(x*), the error at u* is
// F(x(u*)) − F(x*) = f(x*)·δ + f′(x*)·δ²/2 + … for δ = x(u*) − x*, so that
// the polynomial is evaluated once and the density's interpolant only at
// the fixed x*; a δ beyond a hundredth of the piece is integrated afresh.
func (b *builder) testError(tr *trial, coef *[order + 1]float64) float64 {
	var worst float64
	for k := range order {
		pt := &pieceTests[k]
		a, c := tr.x[k], tr.x[k+1]
		h := c - a
		p := tr.piece(k)
		var fn float64 // the sixth point
		if k+1 < order {
			fn = tr.f[4*k+5]
		} else {
			fn = tr.f[4*k-1]
		}
		// The degree-5 interpolant is the degree-4 one plus d·ω(s).
		d := (fn - (p[0]*pt.ext[0] + p[1]*pt.ext[1] + p[2]*pt.ext[2] + p[3]*pt.ext[3] + p[4]*pt.ext[4])) * pt.invOm
		xs := a + pt.s*h
		fx := p[0]*pt.val[0] + p[1]*pt.val[1] + p[2]*pt.val[2] + p[3]*pt.val[3] + p[4]*pt.val[4] + d*pt.omVal
		var us float64
		if corr := d * pt.omIntg * h; math.Abs(corr) <= interpFrac*b.tol {
			us = tr.u[k] + (p[0]*pt.intg[0]+p[1]*pt.intg[1]+p[2]*pt.intg[2]+p[3]*pt.intg[3]+p[4]*pt.intg[4])*h + corr
		} else {
			fx = b.eval(xs)
			if pt.s <= 0.5 {
				us = tr.u[k] + b.lobatto(a, xs, p[0], fx)
			} else {
				us = tr.u[k+1] - b.lobatto(xs, c, fx, p[4])
			}
		}
		x := horner(coef, us)
		if !(x > a && x < c) {
			return math.Inf(1)
		}
		var e float64
		if dx := x - xs; math.Abs(dx) <= 0.01*h {
			fd := (p[0]*pt.der[0] + p[1]*pt.der[1] + p[2]*pt.der[2] + p[3]*pt.der[3] + p[4]*pt.der[4] + d*pt.omDer) / h
			e = dx * (fx + fd*dx/2)
		} else {
			e = tr.u[k] + b.massTo(p, d, a, h, (x-a)/h, tr.u[k+1]-tr.u[k]) - us
		}
		if e = math.Abs(e); e > worst {
			worst = e
		}
	}
	return worst
}

// massTo returns the density's mass on a piece from its start a to
// a + s·h: the integral of the degree-5 interpolant (the degree-4 one
// through the piece's Lobatto values p plus d·ω), or, when its degree-5
// term is not negligible, the Lobatto rule from the nearer end with new
// evaluations. m is the mass of the whole piece.
func (b *builder) massTo(p *[5]float64, d, a, h, s, m float64) float64 {
	s2 := s * s
	s3 := s2 * s
	s4 := s3 * s
	s5 := s4 * s
	var in float64
	for j := range 5 {
		l := &lob.ellInt[j]
		in += p[j] * (l[1]*s + l[2]*s2 + l[3]*s3 + l[4]*s4 + l[5]*s5)
	}
	o := &lob.omInt
	corr := d * (o[1]*s + o[2]*s2 + o[3]*s3 + o[4]*s4 + o[5]*s5 + o[6]*s5*s) * h
	if math.Abs(corr) <= interpFrac*b.tol {
		return in*h + corr
	}
	x := a + s*h
	if s <= 0.5 {
		return b.lobatto(a, x, p[0], b.eval(x))
	}
	return m - b.lobatto(x, a+h, b.eval(x), p[4])
}
