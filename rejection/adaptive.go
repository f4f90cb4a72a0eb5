package rejection

import (
	"errors"
	"fmt"
	"math"
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
//
// The search for the mode and the first points is scale-aware: a density
// of width 1e-300 or 1e300, or centred far from 0, needs no Start as long
// as its log density changes, in float64, between the points the walk
// from the start tries; one that is flat there (N(1e300, 1e290²) from a
// start at 0) is an error asking for a Start near the mode, and one
// narrower than the float64 spacing at its mode (exp(−x) on [1e300, ∞))
// is an error asking to shift x.
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
	if evalErr != nil {
		err = evalErr // a NaN or +Inf explains whatever followed it
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
	// Draws are float64 values: where those are far apart against the
	// density's width (N(538, 3e-13²), a few steps wide), rounding x
	// would bias them. The squeeze's area bounds the normalising
	// constant from below, so spacing/squeeze bounds the probability
	// between neighbouring floats at the mode from above.
	mode := a.xs[slices.Index(a.hs, slices.Max(a.hs))]
	if spacing(mode) > 1e-3*a.squeeze {
		return nil, fmt.Errorf("rejection: the distribution is so narrow at its mode x=%v that neighbouring float64 values there are up to %.2g of its probability apart; shift x (sample x − %v) or rescale it", mode, spacing(mode)/a.squeeze, mode)
	}
	if math.IsInf(a.total, 0) {
		return nil, fmt.Errorf("rejection: the envelope's area overflows float64 (the density's width, relative to its peak, is near the largest float64); rescale x")
	}
	if a.total < 0x1p-900 {
		// A density of tiny width (relative to its peak) has a tiny
		// envelope area, and 53-bit uniforms scaled to it would be
		// subnormal. Scale every area by a power of two, which is exact
		// and changes no draw's arithmetic but its exponent. (A huge
		// area is left as it is: scaling it down would overflow the
		// rectangles' slopes, width/area.)
		f := math.Ldexp(1, -math.Ilogb(a.total))
		for i := range a.pieces {
			p := &a.pieces[i]
			p.rect, p.strip, p.sqMass = p.rect*f, p.strip*f, p.sqMass*f
		}
		a.total, a.inner, a.squeeze = a.total*f, a.inner*f, a.squeeze*f
	}
	if !(a.total*0x1p-53 >= 0x1p-1022) {
		return nil, fmt.Errorf("rejection: the envelope's area %v (the density's width, relative to its peak) is too small for the sampling tables; rescale x", a.total)
	}
	if evalErr != nil {
		return nil, evalErr
	}
	a.freeze()
	a.h = logDensity // Sample checks values itself; no shared error state
	return a, nil
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
