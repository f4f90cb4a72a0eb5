package rejection

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/variate/variate/sampler"
)

// AdaptiveOptions configures NewAdaptive. The zero value (or nil) means
// the documented defaults.
type AdaptiveOptions struct {
	// Ratio is the share of the envelope's area taken by the rectangles
	// under the squeeze at which refinement stops: the share of draws
	// accepted at once, on the uniform that chose them, and a lower
	// bound on the acceptance rate. Default 0.995.
	Ratio float64
	// MaxPoints bounds the abscissae of the hull; refinement stops there
	// even if Ratio is not reached (see ImmediateRatio). Default 4000.
	MaxPoints int
	// Start is a point of the support where the density is positive,
	// from which the mode is searched. Default: 0 if inside the support,
	// else the midpoint of a finite support, else 1 from the finite end.
	Start float64
	// StartSet says that Start is given (so that 0 can be).
	StartSet bool
	// MaxTries bounds the consecutive rejections for one draw; reaching
	// it is an error. Default 100,000.
	MaxTries int
}

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

// Adaptive is adaptive rejection sampling for a log-concave 1-D density,
// after Gilks, "Derivative-free adaptive rejection sampling for Gibbs
// sampling", Bayesian Statistics 4, 1992, with the envelope of Gilks &
// Wild (Applied Statistics 41, 1992) built from chords instead of
// tangents, so no derivative is needed: on [x_i, x_{i+1}] the log density
// lies above the chord through its ends (the squeeze) and below the
// extensions of the neighbouring chords (the hull).
//
// Draws use immediate acceptance, the variant of transformed density
// rejection of Leydold & Hörmann (Hörmann, Leydold & Derflinger,
// Automatic Nonuniform Random Variate Generation, Springer 2004, ch. 4):
// each finite piece's constant envelope is split into a rectangle under
// the squeeze and the strip above it. One uniform picks a part by a
// guide table; when it falls in a rectangle, which happens with
// probability ImmediateRatio, the same uniform gives x by a linear map
// and x is accepted at once, with no second uniform, no exponential and
// no evaluation of the density. Only the other draws take a second
// uniform, the squeeze test and perhaps the density.
//
// Refinement adds points where the envelope exceeds the rectangles most,
// during construction only, until the rectangles cover Ratio of the
// envelope's area; the sampler is then frozen, read-only and safe for
// concurrent use. Should a density that is not log-concave exceed the
// hull at a candidate where it is evaluated, that is an error naming x.
type Adaptive struct {
	h        func(float64) float64
	hmax     float64
	lo, hi   float64
	xs, hs   []float64
	pieces   []hullPiece
	total    float64 // the envelope's area
	inner    float64 // the rectangles' area: cumulative masses below it are theirs
	squeeze  float64 // the squeeze's area
	rects    []rect
	outers   []outer
	guide    []int32 // over [0, total), pointing into rects
	gshift   uint
	oguide   []int32 // over [inner, total), pointing into outers
	oscale   float64 // len(oguide)/(total − inner)
	scale    float64 // total·2^-53: a 53-bit integer times scale is uniform on [0, total)
	maxTries int
	c        counters
}

var _ sampler.Sampler = (*Adaptive)(nil)

// NewAdaptive builds an adaptive rejection sampler for the log-concave
// density exp(logDensity) on [lo, hi] (either end may be infinite).
// logDensity may be unnormalised; it must be finite inside the support.
// A density found not log-concave is an error naming where.
func NewAdaptive(logDensity func(float64) float64, lo, hi float64, opts *AdaptiveOptions) (*Adaptive, error) {
	if logDensity == nil {
		return nil, errors.New("rejection: nil log density")
	}
	if math.IsNaN(lo) || math.IsNaN(hi) || !(lo < hi) {
		return nil, fmt.Errorf("rejection: support [%v, %v] is empty; need lo < hi", lo, hi)
	}
	var o AdaptiveOptions
	if opts != nil {
		o = *opts
	}
	if o.Ratio == 0 {
		o.Ratio = 0.995
	}
	if o.MaxPoints == 0 {
		o.MaxPoints = 4000
	}
	if o.MaxTries == 0 {
		o.MaxTries = 100_000
	}
	if !(o.Ratio > 0 && o.Ratio < 1) || o.MaxPoints < 3 || o.MaxTries < 0 {
		return nil, fmt.Errorf("rejection: options out of range (Ratio %v in (0, 1), MaxPoints %d ≥ 3, MaxTries %d ≥ 0)", o.Ratio, o.MaxPoints, o.MaxTries)
	}
	a := &Adaptive{lo: lo, hi: hi, maxTries: o.MaxTries}
	var evalErr error
	a.h = func(x float64) float64 {
		v := logDensity(x)
		if evalErr == nil && (math.IsNaN(v) || math.IsInf(v, 1)) {
			evalErr = fmt.Errorf("rejection: log density is %v at x=%v", v, x)
		}
		return v
	}
	pts, err := a.initialPoints(o)
	if err == nil {
		err = evalErr
	}
	if err != nil {
		return nil, err
	}
	for _, x := range pts {
		a.insert(x, a.h(x))
	}
	if evalErr != nil {
		return nil, evalErr
	}
	for {
		if err := a.rebuild(); err != nil {
			return nil, err
		}
		if a.inner >= o.Ratio*a.total || len(a.xs) >= o.MaxPoints {
			break
		}
		// Split, in rounds, the pieces whose gap is at least the mean
		// gap, so that setup costs a few rebuilds rather than one per
		// point.
		xs := a.refinePoints(o.MaxPoints-len(a.xs), a.total-a.inner-(1-o.Ratio)*a.total)
		slices.Sort(xs)
		hs := make([]float64, len(xs))
		for i, x := range xs {
			hs[i] = a.h(x)
			if evalErr != nil {
				return nil, evalErr
			}
			if hs[i] == math.Inf(-1) {
				return nil, fmt.Errorf("rejection: log density is -Inf at x=%v inside the support [%v, %v]; give the support where it is finite", x, lo, hi)
			}
		}
		added := a.merge(xs, hs)
		if added == 0 {
			break // no new point possible (rounding): the hull is as tight as it gets
		}
	}
	if err := a.checkConcavity(); err != nil {
		return nil, err
	}
	if evalErr != nil {
		return nil, evalErr
	}
	a.freeze()
	a.h = logDensity // Sample checks values itself; no shared error state
	return a, nil
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
func (a *Adaptive) initialPoints(o AdaptiveOptions) ([]float64, error) {
	lo, hi := a.lo, a.hi
	x0 := 0.0
	switch {
	case o.StartSet:
		x0 = o.Start
	case lo < 0 && hi > 0:
	case !math.IsInf(lo, 0) && !math.IsInf(hi, 0):
		x0 = lo + (hi-lo)/2
	case !math.IsInf(lo, 0):
		x0 = lo + 1
	default:
		x0 = hi - 1
	}
	if !(x0 > lo && x0 < hi) {
		return nil, fmt.Errorf("rejection: start %v is outside (%v, %v)", x0, lo, hi)
	}
	h0 := a.h(x0)
	if h0 == math.Inf(-1) {
		return nil, fmt.Errorf("rejection: log density is -Inf at the start x=%v; set AdaptiveOptions.Start inside the support", x0)
	}
	// Walk uphill in doubling steps, never onto a finite end.
	inside := func(x float64) float64 {
		if x <= lo {
			return lo + (x0-lo)/2
		}
		if x >= hi {
			return hi - (hi-x0)/2
		}
		return x
	}
	step := math.Max(1e-3, 1e-3*math.Abs(x0))
	for range 200 {
		l, r := inside(x0-step), inside(x0+step)
		hl, hr := a.h(l), a.h(r)
		switch {
		case hl > h0 && hl >= hr:
			x0, h0 = l, hl
			step *= 2
		case hr > h0:
			x0, h0 = r, hr
			step *= 2
		default:
			step /= 2
		}
		if step < 1e-9*math.Max(1, math.Abs(x0)) {
			break
		}
	}
	a.hmax = h0
	// On each side, the points where the log density has dropped by 1
	// and by 4 from the mode (or near a finite end).
	side := func(dir, end float64) []float64 {
		var out []float64
		d := math.Max(1e-6, 1e-3*math.Abs(x0))
		for _, drop := range []float64{1, 4} {
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
				if gap > 1e-12*math.Max(1, math.Abs(x0)) {
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
	slices.Sort(pts)
	pts = slices.Compact(pts)
	if len(pts) < 3 {
		return nil, fmt.Errorf("rejection: found fewer than 3 usable points around the mode x=%v", x0)
	}
	return pts, nil
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
			return fmt.Errorf("rejection: hull piece on [%v, %v] has mass %v", p.a, p.b, p.strip)
		}
		a.total += p.rect + p.strip
		a.inner += p.rect
		a.squeeze += p.sqMass
	}
	return nil
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
	for float64(int(1)<<bits) < 8*float64(n)*a.total/a.inner {
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

// Dim returns 1.
func (*Adaptive) Dim() int { return 1 }

// Points returns the number of abscissae of the hull.
func (a *Adaptive) Points() int { return len(a.xs) }

// SqueezeRatio returns the squeeze's area over the envelope's: the share
// of draws accepted without evaluating the density (at once or by the
// squeeze test), and a lower bound on the acceptance rate.
func (a *Adaptive) SqueezeRatio() float64 { return a.squeeze / a.total }

// ImmediateRatio returns the rectangles' area over the envelope's: the
// share of draws accepted at once, on the single uniform that chose them.
func (a *Adaptive) ImmediateRatio() float64 { return a.inner / a.total }

// Stats returns the counts so far.
func (a *Adaptive) Stats() Stats { return a.c.stats() }

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
