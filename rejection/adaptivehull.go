package rejection

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// hullPiece is one exponential piece of the hull on [a, b]: the hull's
// log is c + s·(x − a) (relative to the density's maximum; for a piece
// unbounded on the left, c + s·(x − b)), and the squeeze's log is
// lc + ls·(x − a), or lc = −Inf where there is no squeeze.
//
// A finite piece is enveloped by the constant exp(logC), the hull's
// largest value on it, and split at the height rh = exp(min squeeze) into
// the rectangle [a, b] × [0, rh], which lies under the density, and the
// strip [a, b] × (rh, exp(logC)] above it. An unbounded piece (a tail) is
// enveloped by the exponential hull itself and has no rectangle.
type hullPiece struct {
	a, b   float64
	c, s   float64
	lc, ls float64
	left   bool    // unbounded on the left
	tail   bool    // unbounded on either side
	logC   float64 // finite pieces: log of the constant envelope
	rh     float64 // finite pieces: the rectangle's height, 0 if none
	rect   float64 // the rectangle's area
	strip  float64 // the rest of the envelope's area on the piece
	sqMass float64 // the squeeze's area on the piece
}

// checkConcavity looks for a density that is not log-concave where the
// hull has not been: at geometric probes ±2^e around the mode and on a
// uniform grid of 1024 points over forty times the span of the
// abscissae, the log density must lie below the hull. (No finite check
// proves log-concavity; a violation that shows at a candidate while
// sampling is reported then.)
func (a *Adaptive) checkConcavity() error {
	m := a.xs[0]
	for i, v := range a.hs {
		if v == a.hmax {
			m = a.xs[i]
		}
	}
	span := a.xs[len(a.xs)-1] - a.xs[0]
	var probes []float64
	for e := -6; e <= 20; e++ {
		d := math.Ldexp(1, e)
		probes = append(probes, m-d, m+d)
	}
	for i := range 1025 {
		probes = append(probes, m-40*span+80*span*float64(i)/1024)
	}
	for _, x := range probes {
		if !(x > a.lo && x < a.hi) {
			continue
		}
		hx := a.h(x)
		if math.IsNaN(hx) || math.IsInf(hx, 1) {
			return fmt.Errorf("rejection: log density is %v at x=%v", hx, x)
		}
		hull := a.hullAt(x)
		if hx-a.hmax > hull+1e-9*(1+math.Abs(hull)) {
			return fmt.Errorf("rejection: density is not log-concave: at x=%v it lies above the hull built from the points around the mode x=%v", x, m)
		}
	}
	return nil
}

// hullAt evaluates the log hull (relative to hmax) at x.
func (a *Adaptive) hullAt(x float64) float64 {
	j, _ := slices.BinarySearchFunc(a.pieces, x, func(p hullPiece, x float64) int {
		switch {
		case p.b < x:
			return -1
		case p.a > x:
			return 1
		}
		return 0
	})
	j = min(j, len(a.pieces)-1)
	p := a.pieces[j]
	if p.left {
		return p.c + p.s*(x-p.b)
	}
	return p.c + p.s*(x-p.a)
}

// merge adds the abscissae xs, given in increasing order, with their log
// densities, keeping the abscissae sorted and leaving out those already
// present. It returns how many it added.
func (a *Adaptive) merge(xs, hs []float64) int {
	nx := make([]float64, 0, len(a.xs)+len(xs))
	nh := make([]float64, 0, len(a.xs)+len(xs))
	i, j := 0, 0
	for i < len(a.xs) || j < len(xs) {
		switch {
		case j == len(xs) || i < len(a.xs) && a.xs[i] < xs[j]:
			nx, nh = append(nx, a.xs[i]), append(nh, a.hs[i])
			i++
		case i < len(a.xs) && a.xs[i] == xs[j] || len(nx) > 0 && nx[len(nx)-1] == xs[j]:
			j++
		default:
			nx, nh = append(nx, xs[j]), append(nh, hs[j])
			j++
		}
	}
	added := len(nx) - len(a.xs)
	a.xs, a.hs = nx, nh
	return added
}

// insert adds an abscissa, keeping them sorted; false if already present.
func (a *Adaptive) insert(x, hx float64) bool {
	i, found := slices.BinarySearch(a.xs, x)
	if found {
		return false
	}
	a.xs = slices.Insert(a.xs, i, x)
	a.hs = slices.Insert(a.hs, i, hx)
	return true
}

// initialPoints finds the mode and returns points around it.
//
// Every length here is scale-aware: the start moves off a finite end by
// a step relative to that end, the walk to the mode halves its step
// until the log density is flat across it, and the points around the
// mode are sought from a step short enough to lose less than the drop
// they aim at, so that a density of width 1e-300 or 1e300, or one far
// from 0, is handled like N(0, 1).
func (a *Adaptive) initialPoints(o AdaptiveOptions) ([]float64, error) {
	lo, hi := a.lo, a.hi
	x0 := 0.0
	switch {
	case o.StartSet:
		x0 = o.Start
	case lo < 0 && hi > 0:
	case !math.IsInf(lo, 0) && !math.IsInf(hi, 0):
		x0 = lo + (hi-lo)/2
		if math.IsInf(x0, 0) {
			x0 = lo/2 + hi/2
		}
	case !math.IsInf(lo, 0):
		x0 = lo + 1
		if !(x0 > lo) {
			x0 = lo + math.Abs(lo)*0x1p-20 // 1 is below lo's spacing
		}
	default:
		x0 = hi - 1
		if !(x0 < hi) {
			x0 = hi - math.Abs(hi)*0x1p-20
		}
	}
	if !(x0 > lo && x0 < hi) {
		return nil, fmt.Errorf("rejection: start %v is outside (%v, %v); set AdaptiveOptions.Start inside", x0, lo, hi)
	}
	h0 := a.h(x0)
	if h0 == math.Inf(-1) {
		return nil, fmt.Errorf("rejection: log density is -Inf at the start x=%v; set AdaptiveOptions.Start inside the support", x0)
	}
	// Walk uphill in doubling steps, never onto a finite end nor past
	// the largest float.
	inside := func(x float64) float64 {
		if x <= lo {
			return lo + (x0-lo)/2
		}
		if x >= hi {
			return hi - (hi-x0)/2
		}
		if math.IsInf(x, 0) {
			return x0/2 + math.Copysign(math.MaxFloat64, x)/2
		}
		return x
	}
	step := math.Max(1e-3, 1e-3*math.Abs(x0))
	run := 0 // consecutive uphill moves by the full step
	for it := 0; it < 5000; it++ {
		l, r := inside(x0-step), inside(x0+step)
		hl, hr := a.h(l), a.h(r)
		drop := h0 - max(hl, hr)
		switch {
		case hl > h0 && hl >= hr:
			run = b2i(l == x0-step) * (run + 1)
			x0, h0 = l, hl
			step = min(2*step, math.MaxFloat64/4)
		case hr > h0:
			run = b2i(r == x0+step) * (run + 1)
			x0, h0 = r, hr
			step = min(2*step, math.MaxFloat64/4)
		default:
			run = 0
			step /= 2
		}
		// Done when the step is small against x0 and the log density
		// flat across it, or the step is at x0's spacing; or after 200
		// steps (a walk that creeps towards a finite end, or circles the
		// mode) unless it is still striding uphill, doubling its step
		// (a mode far away).
		if step < 1e-9*math.Max(1, math.Abs(x0)) && drop < 0.1 || step < 2*spacing(x0) || it >= 199 && run < 20 {
			break
		}
	}
	a.hmax = h0
	// On each side, the points where the log density has dropped by 1
	// and by 4 from the mode (or near a finite end).
	minGap := 1e-12 * math.Max(math.Min(1, hi-lo), math.Abs(x0))
	var tooSteep error
	side := func(dir, end float64) []float64 {
		var out []float64
		d := math.Max(1e-6, 1e-3*math.Abs(x0))
		for _, drop := range []float64{1, 4} {
			// From a step that drops less than 1, when the first one
			// overshoots (a density narrower than d).
			for drop == 1 && dir*(end-(x0+dir*d)) > 0 && a.h(x0+dir*d) < h0-drop {
				if d /= 2; d < 2*spacing(x0) {
					tooSteep = fmt.Errorf("rejection: the log density falls by more than %v within two floating-point steps of its mode x=%v: the distribution is narrower than the float64 spacing there; shift x (sample x − %v) or rescale it", drop, x0, x0)
					return out
				}
			}
			for range 2000 {
				x := x0 + dir*d
				if dir*(end-x) <= 0 {
					break
				}
				if a.h(x) < h0-drop {
					break
				}
				d *= 1.5
			}
			x := x0 + dir*d
			if dir*(end-x) <= 0 {
				// A finite end: points between the mode and the end.
				gap := dir * (end - x0)
				if gap > minGap {
					out = append(out, x0+dir*gap/2, x0+dir*gap*0.95)
				}
				return out
			}
			out = append(out, x)
		}
		return out
	}
	pts := []float64{x0}
	pts = append(pts, side(-1, lo)...)
	pts = append(pts, side(1, hi)...)
	if tooSteep != nil {
		return nil, tooSteep
	}
	slices.Sort(pts)
	pts = slices.Compact(pts)
	if len(pts) < 3 {
		return nil, fmt.Errorf("rejection: found fewer than 3 usable points around the mode x=%v", x0)
	}
	return pts, nil
}

// spacing returns the distance from |x| to the next float64 above it.
func spacing(x float64) float64 {
	x = math.Abs(x)
	return math.Nextafter(x, math.Inf(1)) - x
}

// chord returns the slope of the chord between abscissae i and i+1.
func (a *Adaptive) chord(i int) float64 {
	return (a.hs[i+1] - a.hs[i]) / (a.xs[i+1] - a.xs[i])
}

// rebuild computes the hull pieces and their areas from the abscissae,
// checking log-concavity.
func (a *Adaptive) rebuild() error {
	k := len(a.xs)
	for i, v := range a.hs {
		a.hmax = max(a.hmax, v)
		if v == math.Inf(-1) {
			return fmt.Errorf("rejection: log density is -Inf at x=%v inside the support", a.xs[i])
		}
	}
	sl := make([]float64, k-1)
	for i := range sl {
		sl[i] = a.chord(i)
	}
	for i := 1; i < len(sl); i++ {
		if sl[i] > sl[i-1]+1e-9*(1+math.Abs(sl[i-1])) {
			return fmt.Errorf("rejection: density is not log-concave near x=%v: chord slopes %v then %v increase", a.xs[i], sl[i-1], sl[i])
		}
	}
	if math.IsInf(a.lo, -1) && !(sl[0] > 0) {
		return fmt.Errorf("rejection: log density does not increase left of x=%v (slope %v): not integrable towards -Inf, or not log-concave", a.xs[0], sl[0])
	}
	if math.IsInf(a.hi, 1) && !(sl[k-2] < 0) {
		return fmt.Errorf("rejection: log density does not decrease right of x=%v (slope %v): not integrable towards +Inf, or not log-concave", a.xs[k-1], sl[k-2])
	}
	line := func(j int, x float64) float64 { return a.hs[j] - a.hmax + sl[j]*(x-a.xs[j]) } // chord j extended
	if cap(a.pieces) < 2*k {
		a.pieces = make([]hullPiece, 0, 4*k)
	}
	a.pieces = a.pieces[:0]
	add := func(x0, x1 float64, j int, sq int) {
		// Hull on [x0, x1] is chord j extended; squeeze is chord sq (or none).
		if !(x1 > x0) {
			return
		}
		p := hullPiece{a: x0, b: x1, s: sl[j], lc: math.Inf(-1)}
		if math.IsInf(x0, -1) {
			p.left = true
			p.c = line(j, x1)
		} else {
			p.c = line(j, x0)
		}
		if sq >= 0 {
			p.ls = sl[sq]
			p.lc = a.hs[sq] - a.hmax + sl[sq]*(x0-a.xs[sq])
		}
		a.pieces = append(a.pieces, p)
	}
	// Left of x_0: chord 0 extended; [x_0, x_1]: chord 1 extended back
	// (initialPoints gives at least three abscissae).
	add(a.lo, a.xs[0], 0, -1)
	add(a.xs[0], a.xs[1], 1, 0)
	for i := 1; i < k-2; i++ {
		// On [x_i, x_{i+1}]: min(chord i−1 forward, chord i+1 backward),
		// which cross at z.
		z := a.xs[i]
		if d := sl[i-1] - sl[i+1]; d > 0 {
			z = (a.hs[i+1] - a.hs[i-1] + sl[i-1]*a.xs[i-1] - sl[i+1]*a.xs[i+1]) / d
		}
		z = math.Min(math.Max(z, a.xs[i]), a.xs[i+1])
		add(a.xs[i], z, i-1, i)
		add(z, a.xs[i+1], i+1, i)
	}
	add(a.xs[k-2], a.xs[k-1], k-3, k-2)
	add(a.xs[k-1], a.hi, k-2, -1)
	// Areas. A finite piece is enveloped by the constant exp(logC), so
	// that the rectangle under its squeeze can be cut off; the unbounded
	// tails by the exponential hull itself.
	a.total, a.inner, a.squeeze = 0, 0, 0
	for i := range a.pieces {
		p := &a.pieces[i]
		w := p.b - p.a
		p.rh, p.rect, p.sqMass = 0, 0, 0
		switch {
		case p.left:
			p.tail = true
			p.strip = math.Exp(p.c) / p.s
		case math.IsInf(p.b, 1):
			p.tail = true
			p.strip = -math.Exp(p.c) / p.s
		default:
			p.logC = max(p.c, p.c+p.s*w)
			env := math.Exp(p.logC)
			if !math.IsInf(p.lc, -1) {
				// The squeeze's least value on the piece, lowered by a
				// relative 2^-40 so that rounding in the chord cannot lift
				// the rectangle above the density at a node.
				p.rh = min(math.Exp(min(p.lc, p.lc+p.ls*w))*(1-0x1p-40), env)
				p.rect = p.rh * w
				if math.Abs(p.ls*w) < 1e-12 {
					p.sqMass = math.Exp(p.lc) * w
				} else {
					p.sqMass = math.Exp(p.lc) * math.Expm1(p.ls*w) / p.ls
				}
			}
			p.strip = (env - p.rh) * w
		}
		if !(p.strip >= 0) || math.IsInf(p.strip, 0) {
			return fmt.Errorf("rejection: hull piece on [%v, %v] has mass %v: the points around the mode do not resolve the density (flat in float64 where the search looked, or living at a scale beyond it); set AdaptiveOptions.Start near the mode, or rescale x", p.a, p.b, p.strip)
		}
		a.total += p.rect + p.strip
		a.inner += p.rect
		a.squeeze += p.sqMass
	}
	return nil
}

// refinePoints picks places (at most room) to add abscissae: inside
// the pieces whose envelope exceeds their rectangle by at least the mean
// of that gap over the pieces. Splitting a piece about halves its gap,
// so it stops once the gaps picked add up to twice excess, the part of
// the total gap that refinement must remove; when room is short it
// takes the largest gaps.
func (a *Adaptive) refinePoints(room int, excess float64) []float64 {
	mean := (a.total - a.inner) / float64(len(a.pieces))
	var idx []int
	picked := 0.0
	for i, p := range a.pieces {
		if p.strip >= mean {
			idx = append(idx, i)
			if picked += p.strip; picked >= 2*excess {
				break
			}
		}
	}
	if len(idx) > room {
		slices.SortStableFunc(idx, func(i, j int) int {
			return cmp.Compare(a.pieces[j].strip, a.pieces[i].strip)
		})
		idx = idx[:room]
	}
	out := make([]float64, 0, len(idx))
	for _, i := range idx {
		p := a.pieces[i]
		switch {
		case p.left:
			out = append(out, p.b-1/p.s)
		case math.IsInf(p.b, 1):
			out = append(out, p.a-1/p.s)
		default:
			out = append(out, p.a+(p.b-p.a)/2)
		}
	}
	return out
}
