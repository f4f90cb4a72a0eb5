package transform

import (
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
	// At the sixth point of each piece of an interval (see testError),
	// in that piece's units: the basis and the nodal polynomial.
	ext   [order][5]float64
	omExt [order]float64
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
	for k := range order {
		var sn float64
		if k+1 < order {
			sn = 1 + (cheb[k+2]-cheb[k+1])/(cheb[k+1]-cheb[k])*lobS[1]
		} else {
			sn = -(cheb[k] - cheb[k-1]) / (cheb[k+1] - cheb[k]) * (1 - lobS[3])
		}
		for j := range 5 {
			p.ext[k][j] = poly(p.ell[j][:], sn)
		}
		p.omExt[k] = poly(p.om[:], sn)
	}
	return p
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
// 100,000); reaching either bound is an error, so it always returns. A
// smooth density needs far fewer: about 3,000 to 6,000 evaluations for
// the normal at the default tolerance (see Table.Evaluations).
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
	b := &builder{f: density, maxEvals: o.MaxEvaluations}

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
	var sweptArea float64
	for i, v := range grid {
		if x := sweepLo + gh*float64(i+1); x >= left && x <= right {
			sweptArea += v * gh
		}
	}
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
				return 0, 0, fmt.Errorf("transform: density does not vanish towards %v: it is not integrable, or too wide to tabulate", end)
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
	if depth > 0 && b.err == nil && math.Abs(l5-s3) > math.Max(0.05*l5, floor) {
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
	recs, err = b.side(c, fc, hi, 1, h0, peaks, o.MaxIntervals-nLeft, recs)
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
// start to each node, and the density at the Lobatto points of each of
// its pieces [x[k], x[k+1]] (f[k][4] = f[k+1][0]).
type trial struct {
	x [order + 1]float64
	u [order + 1]float64
	f [order][5]float64
}

// fill places the nodes on [x0, x1], evaluates the density at the
// Lobatto points of the pieces between them and integrates. fa is the
// density at the end the interval grows from (x0 if fromLeft, else x1),
// known from the previous interval.
func (b *builder) fill(tr *trial, x0, x1, fa float64, fromLeft bool) {
	w := x1 - x0
	for k, s := range cheb {
		tr.x[k] = x0 + w*s
	}
	tr.x[order] = x1
	for k := range order {
		a, c := tr.x[k], tr.x[k+1]
		h := c - a
		p := &tr.f[k]
		switch {
		case k > 0:
			p[0] = tr.f[k-1][4]
		case fromLeft:
			p[0] = fa
		default:
			p[0] = b.eval(a)
		}
		p[1] = b.eval(a + h*lobS[1])
		p[2] = b.eval(a + h/2)
		p[3] = b.eval(a + h*lobS[3])
		if k == order-1 && !fromLeft {
			p[4] = fa
		} else {
			p[4] = b.eval(c)
		}
		tr.u[k+1] = tr.u[k] + h*(lobW[0]*(p[0]+p[4])+lobW[1]*(p[1]+p[3])+lobW[2]*p[2])
	}
}

// side builds the intervals from c (density fc) to end (dir −1:
// leftwards), in the order it meets them, appending their records to out
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
	n0 := len(out)
	var tr trial
	var coef [order + 1]float64
	thr := acceptFrac * b.tol
	a, fa := c, fc
	var st stepper
	for a != end {
		if len(out)-n0 >= maxIntervals {
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
		if fa*(x1-x0) <= 2*thr {
			// Likely a light piece of tail: one Lobatto piece tells,
			// at four evaluations instead of twenty.
			var m, fz float64
			if dir > 0 {
				fz = b.eval(x1)
				m = b.lobatto(x0, x1, fa, fz)
			} else {
				fz = b.eval(x0)
				m = b.lobatto(x0, x1, fz, fa)
			}
			if b.err != nil {
				return nil, b.err
			}
			if m <= thr {
				r := record{0: x0, 1: m, 2: x0}
				if m > 0 {
					r[3] = (x1 - x0) / m
				}
				out = append(out, r)
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
		accept, linear := false, false
		var maxErr float64
		switch {
		case du <= thr:
			// Light: no x in the interval is further from its u than
			// the interval's mass, so a straight line will do.
			accept, linear = true, true
		case strictlyIncreasing(tr.u[:]):
			newton(tr.u[:], tr.x[:], &coef)
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
		r := record{0: x0, 1: du}
		if linear {
			r[2] = x0
			if du > 0 {
				r[3] = (x1 - x0) / du
			}
		} else {
			copy(r[2:], coef[:])
		}
		out = append(out, r)
		h = st.next(x1-x0, maxErr, thr)
		if atPeak {
			h = min(h, h0)
			st = stepper{}
		}
		a = z
		if dir > 0 {
			fa = tr.f[order-1][4]
		} else {
			fa = tr.f[0][0]
		}
	}
	return out, nil
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
			r /= math.Min(q, trendMax)
		}
	}
	st.e, st.h = e, h
	return h * math.Max(0.25, math.Min(2, root6(r)))
}

// trendMax bounds the growth of C the stepper anticipates.
const trendMax = 10

// retry returns the length to try after an interval of length h was
// rejected with error e (+Inf: not monotone, or no mass in part of it).
func (st *stepper) retry(h, e, thr float64) float64 {
	if math.IsInf(e, 1) || !(e > 0) {
		return h / 2
	}
	return h * math.Max(0.1, math.Min(0.8, root6(aimRetry*thr/e)))
}

// peakGrid is the number of points of the sweep that looks for peaks.
const peakGrid = 2048

// peaks sweeps the domain [lo, hi] on a uniform grid, keeping the
// density's values in vals, and returns the grid's local maxima (at most 256, the highest) in increasing order, and
// the highest point seen as the center with its density: a narrow
// component that the coarse probes and the tail walk stepped over shows
// up here.
func (b *builder) peaks(lo, hi, c, fc float64, vals *[peakGrid]float64) ([]float64, float64, float64) {
	h := (hi - lo) / (peakGrid + 1)
	for i := range vals {
		vals[i] = b.eval(lo + h*float64(i+1))
	}
	if b.err != nil {
		return nil, c, fc
	}
	for i, v := range vals {
		if v > fc {
			fc, c = v, lo+h*float64(i+1)
		}
	}
	// A local maximum of the grid next to the center is the center's
	// own peak.
	type pk struct{ x, v float64 }
	var ps []pk
	for i := 1; i < peakGrid-1; i++ {
		x, v := lo+h*float64(i+1), vals[i]
		if v > 0 && v > vals[i-1] && v >= vals[i+1] && math.Abs(x-c) > 2*h {
			ps = append(ps, pk{x, v})
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
	return out, c, fc
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

// testError returns the largest u-error |F(x(u)) − u| of the interval's
// polynomial at the midpoints (in u) between consecutive nodes, within 3%
// of where the interpolation error peaks. A polynomial that leaves its
// node interval there is not monotone: +Inf.
//
// F(x(u)) is the mass at the node before plus the integral of the
// density's degree-4 interpolant through the piece's Lobatto points,
// corrected by the nearest Lobatto point of the neighbouring piece (the
// degree-5 interpolant through all six): no new evaluations. When the
// correction, which estimates the interpolant's error, is not negligible
// (a kink, a singularity, a piece too wide), the density itself is
// integrated from the nearer node instead.
func (b *builder) testError(tr *trial, coef *[order + 1]float64) float64 {
	var worst float64
	for k := range order {
		ut := (tr.u[k] + tr.u[k+1]) / 2
		xt := horner(coef, ut)
		a, c := tr.x[k], tr.x[k+1]
		if !(xt > a && xt < c) {
			return math.Inf(1)
		}
		h := c - a
		s := (xt - a) / h
		p := &tr.f[k]
		// The sixth point: the nearest interior Lobatto point of the
		// neighbouring piece.
		var fn float64
		if k+1 < order {
			fn = tr.f[k+1][1]
		} else {
			fn = tr.f[k-1][3]
		}
		s2 := s * s
		s3 := s2 * s
		s4 := s3 * s
		s5 := s4 * s
		var in, pn float64
		for j := range 5 {
			l := &lob.ellInt[j]
			in += p[j] * (l[1]*s + l[2]*s2 + l[3]*s3 + l[4]*s4 + l[5]*s5)
			pn += p[j] * lob.ext[k][j]
		}
		o := &lob.omInt
		om := o[1]*s + o[2]*s2 + o[3]*s3 + o[4]*s4 + o[5]*s5 + o[6]*s5*s
		corr := (fn - pn) * om / lob.omExt[k]
		var e float64
		switch {
		case math.Abs(corr*h) <= interpFrac*b.tol:
			e = tr.u[k] + (in+corr)*h - ut
		case s <= 0.5:
			e = tr.u[k] + b.lobatto(a, xt, p[0], b.eval(xt)) - ut
		default:
			e = tr.u[k+1] - b.lobatto(xt, c, b.eval(xt), p[4]) - ut
		}
		worst = math.Max(worst, math.Abs(e))
	}
	return worst
}
