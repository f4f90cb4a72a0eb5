package rejection

import (
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
	// Ratio is the squeeze-to-envelope area ratio at which refinement
	// stops; the acceptance rate is at least this. Default 0.995.
	Ratio float64
	// MaxPoints bounds the abscissae of the hull. Default 2000.
	MaxPoints int
	// Start is a point of the support where the density is positive,
	// from which the mode is searched. Default: 0 if inside the support,
	// else the midpoint of a finite support, else 1 from the finite end.
	Start    float64
	StartSet bool
	// MaxTries bounds the consecutive rejections for one draw. Default
	// 100,000.
	MaxTries int
}

// hullPiece is one exponential piece of the hull on [a, b]: the hull's
// log is c + s·(x − a) (relative to the density's maximum; for a piece
// unbounded on the left, c + s·(x − b)), and the squeeze's log is
// lc + ls·(x − a), or lc = −Inf where there is no squeeze.
type hullPiece struct {
	a, b   float64
	c, s   float64
	lc, ls float64
	em1    float64 // expm1(s·(b − a)), −1 for a right tail
	mass   float64
	left   bool    // unbounded on the left: x = b + log(v)/s
	tail   bool    // unbounded: sampled from the exponential hull itself
	logC   float64 // finite pieces: the constant envelope, max of the hull
	width  float64 // b − a
	inv    float64 // 1/mass
	sqMass float64 // the squeeze's area on the piece
}

// Adaptive is adaptive rejection sampling for a log-concave 1-D density,
// after Gilks, "Derivative-free adaptive rejection sampling for Gibbs
// sampling", Bayesian Statistics 4, 1992, with the envelope of Gilks &
// Wild (Applied Statistics 41, 1992) built from chords instead of
// tangents, so no derivative is needed: on [x_i, x_{i+1}] the log density
// lies above the chord through its ends (the squeeze) and below the
// extensions of the neighbouring chords (the hull). Refinement adds
// points where the hull exceeds the squeeze most, during construction
// only, until the squeeze covers Ratio of the hull's area; the sampler is
// then frozen, read-only and safe for concurrent use. A draw is accepted
// by the squeeze alone with probability at least Ratio, without
// evaluating the density. Should a density that is not log-concave
// exceed the hull while sampling, that is an error naming x.
type Adaptive struct {
	h        func(float64) float64
	hmax     float64
	lo, hi   float64
	xs, hs   []float64
	pieces   []hullPiece
	cum      []float64 // cumulative masses, cum[j] before piece j
	total    float64
	squeeze  float64 // squeeze area
	guide    []int32
	gshift   uint
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
		o.MaxPoints = 2000
	}
	if o.MaxTries == 0 {
		o.MaxTries = 100_000
	}
	if !(o.Ratio > 0 && o.Ratio < 1) || o.MaxPoints < 3 || o.MaxTries < 0 {
		return nil, fmt.Errorf("rejection: options out of range (Ratio %v in (0, 1), MaxPoints %d ≥ 3)", o.Ratio, o.MaxPoints)
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
		if a.squeeze >= o.Ratio*a.total || len(a.xs) >= o.MaxPoints {
			break
		}
		// Split the pieces with the largest gaps, up to an eighth of
		// them per round, so that setup costs O(k log k) rebuild work
		// rather than one rebuild per point.
		added := 0
		for _, x := range a.refinePoints(max(1, len(a.pieces)/8), o.MaxPoints-len(a.xs)) {
			hx := a.h(x)
			if evalErr != nil {
				return nil, evalErr
			}
			if hx == math.Inf(-1) {
				return nil, fmt.Errorf("rejection: log density is -Inf at x=%v inside the support [%v, %v]; give the support where it is finite", x, lo, hi)
			}
			if a.insert(x, hx) {
				added++
			}
		}
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

// rebuild computes the hull pieces, their masses and the guide table
// from the abscissae, checking log-concavity.
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
	// Left of x0: chord 0 extended; [x0, x1]: chord 1 extended.
	add(a.lo, a.xs[0], 0, -1)
	if k == 2 {
		add(a.xs[0], a.xs[1], 0, 0)
	} else {
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
	}
	add(a.xs[k-1], a.hi, k-2, -1)
	// Masses. A finite piece is sampled under the constant envelope
	// exp(logC), the hull's largest value on it, so that a draw needs no
	// logarithm; the unbounded tails under the exponential hull itself.
	a.total, a.squeeze = 0, 0
	a.cum = a.cum[:0]
	for i := range a.pieces {
		p := &a.pieces[i]
		w := p.b - p.a
		switch {
		case p.left:
			p.tail = true
			p.mass = math.Exp(p.c) / p.s
		case math.IsInf(p.b, 1):
			p.tail = true
			p.em1 = -1
			p.mass = -math.Exp(p.c) / p.s
		default:
			p.logC = max(p.c, p.c+p.s*w)
			p.mass = math.Exp(p.logC) * w
		}
		if !(p.mass >= 0) || math.IsInf(p.mass, 0) {
			return fmt.Errorf("rejection: hull piece on [%v, %v] has mass %v", p.a, p.b, p.mass)
		}
		a.cum = append(a.cum, a.total)
		a.total += p.mass
		p.width, p.inv = w, 1/p.mass
		p.sqMass = 0
		if !math.IsInf(p.lc, -1) {
			if math.Abs(p.ls*w) < 1e-12 {
				p.sqMass = math.Exp(p.lc) * w
			} else {
				p.sqMass = math.Exp(p.lc) * math.Expm1(p.ls*w) / p.ls
			}
			a.squeeze += p.sqMass
		}
	}
	a.cum = append(a.cum, math.Inf(1))
	// Guide table over the cumulative masses.
	n := len(a.pieces)
	bits := 0
	for 1<<bits < 8*n {
		bits++
	}
	a.guide = make([]int32, 1<<bits)
	j := 0
	for g := range a.guide {
		u := float64(g) / float64(len(a.guide)) * a.total
		for j < n-1 && a.cum[j+1] <= u {
			j++
		}
		a.guide[g] = int32(j)
	}
	a.gshift = uint(53 - bits)
	return nil
}

// refinePoints picks up to m places (at most room) to add abscissae:
// inside the pieces whose envelope exceeds their squeeze by the most
// mass, largest first.
func (a *Adaptive) refinePoints(m, room int) []float64 {
	idx := make([]int, len(a.pieces))
	for i := range idx {
		idx[i] = i
	}
	gap := func(i int) float64 { return a.pieces[i].mass - a.pieces[i].sqMass }
	slices.SortFunc(idx, func(i, j int) int {
		switch gi, gj := gap(i), gap(j); {
		case gi > gj:
			return -1
		case gi < gj:
			return 1
		}
		return i - j
	})
	var out []float64
	for _, i := range idx[:min(m, room, len(idx))] {
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

// SqueezeRatio returns the squeeze's area over the hull's: the share of
// draws accepted without evaluating the density, and a lower bound on the
// acceptance rate.
func (a *Adaptive) SqueezeRatio() float64 { return a.squeeze / a.total }

// Stats returns the counts so far.
func (a *Adaptive) Stats() Stats { return a.c.stats() }

// Sample fills dst with exact draws. On a finite piece the candidate is
// uniform under the constant envelope; the squeeze test u ≤ exp(d) is
// decided without the exponential whenever u ≤ 1 + d (since e^d ≥ 1 + d)
// or u > 1 + d + d²/2 (since e^d ≤ 1 + d + d²/2 for d ≤ 0), so almost no
// draw evaluates a transcendental function or the density.
func (a *Adaptive) Sample(rng *rand.Rand, dst []float64) error {
	props, sq, err := a.sample(rng, dst)
	acc := int64(len(dst))
	if err != nil {
		acc = -1 // unknown: count the proposals only
	}
	a.c.add(props, max(acc, 0), sq, 0)
	return err
}

func (a *Adaptive) sample(rng *rand.Rand, dst []float64) (props, sq int64, err error) {
	mask := uint64(len(a.guide) - 1)
	pieces, cum, guide := a.pieces, a.cum, a.guide
	scale := 0x1p-53 * a.total
	for i := range dst {
		for try := 0; ; try++ {
			if try == a.maxTries {
				return props, sq, fmt.Errorf("rejection: %d proposals in a row rejected", a.maxTries)
			}
			props++
			w := rng.Uint64() >> 11
			v := float64(w) * scale
			j := int(guide[(w>>a.gshift)&mask])
			// One step forward without a branch (the ends are
			// non-negative, so their bits order like their values), then
			// a loop that rarely runs, as in transform.Table.
			j -= int(int64(math.Float64bits(cum[j+1])-math.Float64bits(v)-1) >> 63)
			for v >= cum[j+1] {
				j++
			}
			p := &pieces[j]
			t := (v - cum[j]) * p.inv
			u := rng.Float64()
			var x, env float64 // candidate and log envelope there
			if !p.tail {
				x = p.a + t*p.width
				env = p.logC
				d := p.lc + p.ls*(x-p.a) - env
				if u <= 1+d || (u <= 1+d+d*d/2 && u <= math.Exp(d)) {
					dst[i] = x
					sq++
					break
				}
			} else if p.left {
				x = p.b + math.Log(max(t, 0x1p-60))/p.s
				env = p.c + p.s*(x-p.b)
			} else {
				x = p.a + math.Log1p(-t)/p.s
				env = p.c + p.s*(x-p.a)
			}
			hx := a.h(x)
			if math.IsNaN(hx) || math.IsInf(hx, 1) {
				return props, sq, fmt.Errorf("rejection: log density is %v at x=%v", hx, x)
			}
			hull := p.c + p.s*(x-p.a)
			if p.left {
				hull = p.c + p.s*(x-p.b)
			}
			if hx-a.hmax-hull > 1e-9*(1+math.Abs(hull)) {
				a.c.add(0, 0, 0, 1)
				return props, sq, fmt.Errorf("rejection: density exceeds the hull at x=%v by a factor %.6g: it is not log-concave there", x, math.Exp(hx-a.hmax-hull))
			}
			if u <= math.Exp(hx-a.hmax-env) {
				dst[i] = x
				break
			}
		}
	}
	return props, sq, nil
}
