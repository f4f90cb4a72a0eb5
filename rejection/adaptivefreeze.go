package rejection

import "math"

// rect is one rectangle of the sampling table: a uniform v in
// [start, end) of the cumulative mass maps to x = a + (v − start)·k.
type rect struct {
	end, start, k, a float64
}

// Kinds of outer pieces.
const (
	stripPiece = iota
	leftTail
	rightTail
)

// outer is a part of the envelope outside the rectangles: the strip above
// a finite piece's rectangle, or an unbounded tail. Its mass occupies
// [end − 1/inv, end) of the cumulative mass, after all the rectangles.
type outer struct {
	end, inv float64 // inv = 1/mass
	a, b     float64
	c, s     float64 // log hull c + s·(x − a); c + s·(x − b) for a left tail
	lc, ls   float64 // log squeeze lc + ls·(x − a); lc = −Inf if none
	ylo, yhi float64 // strip: its density levels rh and exp(logC)
	kind     uint8
}

// freeze lays out the sampling tables: the rectangles first, in the
// order of x, taking the cumulative masses [0, inner); then the strips
// and tails, taking [inner, total); and a guide table over the
// rectangles.
func (a *Adaptive) freeze() {
	a.rects = make([]rect, 0, len(a.pieces))
	a.outers = make([]outer, 0, len(a.pieces))
	cum := 0.0
	for _, p := range a.pieces {
		if p.rect > 0 {
			a.rects = append(a.rects, rect{start: cum, end: cum + p.rect, k: (p.b - p.a) / p.rect, a: p.a})
			cum += p.rect
		}
	}
	a.inner = cum
	for _, p := range a.pieces {
		if !(p.strip > 0) {
			continue
		}
		o := outer{end: cum + p.strip, inv: 1 / p.strip, a: p.a, b: p.b, c: p.c, s: p.s, lc: p.lc, ls: p.ls}
		switch {
		case p.left:
			o.kind = leftTail
		case p.tail:
			o.kind = rightTail
		default:
			o.kind = stripPiece
			o.ylo, o.yhi = p.rh, math.Exp(p.logC)
		}
		a.outers = append(a.outers, o)
		cum += p.strip
	}
	a.total = cum
	a.scale = a.total * 0x1p-53
	// Guide table (Chen & Asau 1974) over [0, total), with at least
	// eight cells per rectangle: guide[g] is the first rectangle whose
	// end exceeds the start of cell g, or the last rectangle.
	n := len(a.rects)
	bits := 0
	// The ratio first, as total·8n can overflow; capped, as a table
	// stopped at MaxPoints may have little of its mass in rectangles
	// (a coarser guide only makes the walk from a cell longer).
	cells := 8 * float64(n) * min(a.total/a.inner, 64)
	for float64(int(1)<<bits) < cells {
		bits++
	}
	a.gshift = uint(53 - bits)
	a.guide = make([]int32, 1<<bits)
	j := 0
	for g := range a.guide {
		v := float64(uint64(g)<<a.gshift) * a.scale
		for j < n-1 && a.rects[j].end <= v {
			j++
		}
		a.guide[g] = int32(j)
	}
	// The same over [inner, total) for the strips and tails, with two
	// cells per piece.
	m := len(a.outers)
	if m == 0 {
		a.oguide, a.oscale = []int32{0}, 0
		return
	}
	a.oguide = make([]int32, 2*m)
	a.oscale = float64(len(a.oguide)) / (a.total - a.inner)
	j = 0
	for g := range a.oguide {
		v := a.inner + float64(g)/a.oscale
		for j < m-1 && a.outers[j].end <= v {
			j++
		}
		a.oguide[g] = int32(j)
	}
}
