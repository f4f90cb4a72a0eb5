package transform

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// landings returns the points where intervals must end, pts and extra
// merged, sorted and without duplicates or the center c itself.
func landings(pts, extra []float64, c float64) []float64 {
	if len(extra) == 0 {
		return pts
	}
	out := append(slices.Clip(pts), extra...)
	slices.Sort(out)
	out = slices.Compact(out)
	return slices.DeleteFunc(out, func(p float64) bool { return p == c })
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
	if best == 0 && b.err == nil {
		// Nothing at the usual scales: probe every binary scale, from
		// the origin and from each finite end, so that a density that
		// lives near 1e-300 or 1e300 (or next to an end there) is found.
		for e := -1070; e <= 1020; e += 10 {
			s := math.Ldexp(1, e)
			try(-s)
			try(s)
		}
		for k := 1; k <= 1074; k += 3 {
			if !math.IsInf(lo, 0) {
				try(lo + math.Ldexp(max(math.Abs(lo), min(1, hi-lo)), -k))
			}
			if !math.IsInf(hi, 0) {
				try(hi - math.Ldexp(max(math.Abs(hi), min(1, hi-lo)), -k))
			}
		}
	}
	if b.err != nil {
		return 0, 0, b.err
	}
	if best == 0 {
		return 0, 0, fmt.Errorf("transform: density is zero at every probe point in (%v, %v), at every binary scale; set TableOptions.Center to a point of positive density (or, for a distribution narrower than the spacing of floating-point numbers where it lives, shift x)", lo, hi)
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
//
// The first step is a hundredth of max(1, |c|). When the whole tail then
// lies within the walk's finest piece (a density far narrower than the
// step, N(0, 1e-200²) say), the walk starts again from a step a
// hundredth of that piece's, until the tail spans several pieces.
func (b *builder) tail(c, fc, end, dir, utol float64) (float64, float64, error) {
	step := 0.01 * math.Max(1, math.Abs(c))
	for range 200 {
		xc, m, err := b.tailWalk(c, fc, end, dir, utol, step)
		w := math.Abs(xc - c)
		if err != nil || w > step*0x1p-12 || xc == end || step < 0x1p-1000 {
			return xc, m, err
		}
		step = max(w, step*0x1p-12) / 100
	}
	return 0, 0, fmt.Errorf("transform: could not find where the density's tail ends towards %v", end)
}

// tailWalk is the walk of tail from a first step of the given length.
func (b *builder) tailWalk(c, fc, end, dir, utol, step float64) (float64, float64, error) {
	const pieces = 2
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
