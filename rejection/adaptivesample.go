package rejection

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// tally counts one call's work, added to the shared counters at its end.
type tally struct {
	props, squeeze, immediate int64
}

// Sample fills dst with exact draws.
//
// Why the draws are exact: the envelope E is the union of the rectangles
// [a, b] × [0, rh], the strips [a, b] × (rh, C] above them and the
// exponential tails, and it contains the region under the density f. A
// uniform v on [0, |E|) picks a part with probability proportional to its
// area and, through v's position inside the part's share, a uniform x
// along it; a second uniform, where needed, gives the height y, so that
// (x, y) is uniform on E. Keeping the points with y ≤ f(x) leaves points
// uniform under f, whose x has density f/∫f. A rectangle lies wholly under
// the squeeze, hence under f, so every point in it is kept, whatever its
// height: its y need not be drawn, and x, uniform on [a, b], is a linear
// function of v. In a strip or a tail, y is drawn and compared with the
// squeeze first and with f only when that does not decide.
//
// The uniforms for all of dst are drawn first and mapped afterwards, so
// that the mapping loop, which makes no calls on the immediate path,
// pipelines as transform.Table's does.
func (a *Adaptive) Sample(rng *rand.Rand, dst []float64) error {
	for i := range dst {
		// The top 53 bits, held exactly as a float64 integer (a raw bit
		// pattern could be a NaN, whose payload not every platform keeps).
		dst[i] = float64(rng.Uint64() >> 11)
	}
	var t tally
	n, err := a.place(rng, dst, &t)
	a.c.add(int64(len(dst))+t.props, int64(n), t.squeeze+t.immediate, 0)
	a.c.addImmediate(t.immediate)
	return err
}

// place maps the 53-bit random integers in dst to draws, in place. It returns how
// many draws it completed.
func (a *Adaptive) place(rng *rand.Rand, dst []float64, t *tally) (int, error) {
	rects, guide := a.rects, a.guide
	mask := uint64(len(guide) - 1)
	shift, scale, inner := a.gshift, a.scale, a.inner
	var immediate int64
	for i, word := range dst {
		w := uint64(word)
		v := word * scale
		if v >= inner {
			x, err := a.outside(rng, w, v, t)
			if err != nil {
				t.immediate += immediate
				return i, err
			}
			dst[i] = x
			continue
		}
		immediate++
		j := int(guide[(w>>shift)&mask])
		// One step forward without a branch (v and the ends are
		// non-negative, so their bits order like their values), then a
		// loop that rarely runs.
		j -= int(int64(math.Float64bits(rects[j].end)-math.Float64bits(v)-1) >> 63)
		for v >= rects[j].end {
			j++
		}
		r := &rects[j]
		dst[i] = r.a + (v-r.start)*r.k
	}
	t.immediate += immediate
	return len(dst), nil
}

// atRect maps a 53-bit integer w whose v = w·scale is below inner to
// its rectangle's x, as place does.
func (a *Adaptive) atRect(w uint64, v float64) float64 {
	j := int(a.guide[w>>a.gshift])
	for j > 0 && v < a.rects[j].start {
		j-- // only if v was moved below w·scale
	}
	for v >= a.rects[j].end {
		j++
	}
	r := &a.rects[j]
	return r.a + (v-r.start)*r.k
}

// outside finishes a draw whose first uniform v fell outside the
// rectangles, drawing again after a rejection.
func (a *Adaptive) outside(rng *rand.Rand, w uint64, v float64, t *tally) (float64, error) {
	for try := 0; ; try++ {
		if v < a.inner || len(a.outers) == 0 {
			t.immediate++
			return a.atRect(w, min(v, math.Nextafter(a.inner, 0))), nil
		}
		if try == a.maxTries {
			return 0, fmt.Errorf("rejection: %d proposals in a row rejected", a.maxTries)
		}
		j := int(a.oguide[min(int((v-a.inner)*a.oscale), len(a.oguide)-1)])
		for j < len(a.outers)-1 && v >= a.outers[j].end {
			j++
		}
		p := &a.outers[j]
		u := rng.Float64()
		// (end − v)/mass is uniform on (0, 1] for v in the piece's share; the
		// floor only keeps rounding at the very end from giving log 0.
		q := max((p.end-v)*p.inv, 0x1p-1074)
		var x, hull, y float64 // candidate, log hull there, height
		switch p.kind {
		case stripPiece:
			x = p.b - q*(p.b-p.a)
			hull = p.c + p.s*(x-p.a)
			y = p.ylo + u*(p.yhi-p.ylo)
			if p.lc > math.Inf(-1) && y <= math.Exp(p.lc+p.ls*(x-p.a)) {
				t.squeeze++
				return x, nil
			}
		case leftTail:
			x = p.b + math.Log(q)/p.s
			hull = p.c + p.s*(x-p.b)
		default:
			x = p.a + math.Log(q)/p.s
			hull = p.c + p.s*(x-p.a)
		}
		hx := a.h(x)
		if math.IsNaN(hx) || math.IsInf(hx, 1) {
			return 0, fmt.Errorf("rejection: log density is %v at x=%v", hx, x)
		}
		if d := hx - a.hmax - hull; d > 1e-9*(1+math.Abs(hull)) {
			a.c.add(0, 0, 0, 1)
			return 0, fmt.Errorf("rejection: density exceeds the hull at x=%v by a factor %.6g: it is not log-concave there", x, math.Exp(d))
		}
		if p.kind == stripPiece && y < math.Exp(hx-a.hmax) ||
			p.kind != stripPiece && u < math.Exp(hx-a.hmax-hull) {
			return x, nil
		}
		t.props++
		w = rng.Uint64() >> 11
		v = float64(w) * a.scale
	}
}
