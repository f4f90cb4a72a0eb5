package transform

import (
	"fmt"
	"math"
	"slices"
)

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
//
// When the far end is a break, the density there is taken just inside
// the interval, one floating-point step in, so that a jump at the break
// counts on its own side only.
func (b *builder) fill(tr *trial, x0, x1, fa float64, fromLeft, farBreak bool) {
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
	if farBreak && fromLeft {
		xs[4*order] = math.Nextafter(x1, x0)
	} else if farBreak {
		xs[0] = math.Nextafter(x0, x1)
	}
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
	if b.isBreak(a) {
		fa = b.eval(math.Nextafter(a, dir*math.Inf(1)))
	}
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
			zb := b.isBreak(z)
			if dir > 0 {
				fz = b.eval(b.inside(x1, x0, zb))
				p[0], p[4] = fa, fz
			} else {
				fz = b.eval(b.inside(x0, x1, zb))
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
				if zb {
					fa = b.eval(math.Nextafter(z, dir*math.Inf(1)))
				}
				continue
			}
		}
		b.fill(&tr, x0, x1, fa, dir > 0, b.isBreak(z))
		if b.err != nil {
			return nil, b.err
		}
		// A draw is a float64: no table is more accurate in u than the
		// density times half the spacing of floats where it is.
		fm := slices.Max(tr.f[:])
		xm := x1
		if i := slices.Index(tr.f[:], fm); i/4 < order {
			xm = tr.x[i/4] + (tr.x[i/4+1]-tr.x[i/4])*lobS[i%4]
		}
		if fm*ulp(xm)/2 > thr {
			return nil, fmt.Errorf("transform: the density at x=%v (%.3g) is too high for the spacing of floating-point numbers there: no table reaches the u-tolerance %v; loosen TableOptions.UTol, or shift and rescale x", xm, fm, b.utol)
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
			// Relative to |a|, and to the domain's width when that is
			// below 1, so that a density living at a tiny scale can be
			// tabulated.
			if h < 1e-13*math.Max(math.Min(1, b.width), math.Abs(a)) {
				return nil, fmt.Errorf("transform: cannot reach the u-tolerance near x=%v: the density may have a pole or a discontinuity there (name it in TableOptions.Breaks), or vary on a scale far below the domain's width %.3g (rescale x)", a, b.width)
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
		switch {
		case b.isBreak(z):
			fa = b.eval(math.Nextafter(z, dir*math.Inf(1)))
		case dir > 0:
			fa = tr.f[4*order]
		default:
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

// ulp returns the spacing of float64 values above |x|.
func ulp(x float64) float64 {
	x = math.Abs(x)
	return math.Nextafter(x, math.Inf(1)) - x
}

// isBreak reports whether x is one of the caller's breaks.
func (b *builder) isBreak(x float64) bool {
	_, found := slices.BinarySearch(b.breaks, x)
	return found
}

// inside returns x, or x moved one floating-point step towards y when x
// is a break.
func (b *builder) inside(x, y float64, isBreak bool) float64 {
	if isBreak {
		return math.Nextafter(x, y)
	}
	return x
}
