package transform

import (
	"math"
	"math/rand/v2"
	"sync"

	"gonum.org/v1/gonum/integrate/quad"

	"github.com/variate/variate/sampler"
)

// TableOptions configures NewTable. The zero value (or a nil pointer)
// means the documented defaults.
type TableOptions struct {
	// UTol is the maximum u-error |F(Q(u)) − u| the table guarantees, in
	// [1e-14, 1e-4]. Default 1e-10.
	UTol float64
	// Center is a point where the density is positive, inside the bulk of
	// the distribution; the search for the computational domain starts
	// there. Default: the largest density found on a coarse grid.
	Center float64
	// CenterSet says that Center is given (Center may be 0).
	CenterSet bool
	// Peaks lists points where the caller knows the density to peak: the
	// modes of narrow components, spikes. No method that only evaluates
	// a density can find a peak far narrower than the spacing of its
	// probes (see [Table]); a peak named here is taken into the domain,
	// intervals end exactly at it and start small again beyond it, so
	// that it is tabulated like the center. Each must lie inside the
	// support, where the density is positive. Default: none.
	Peaks []float64
	// Breaks lists points where the density is not smooth: kinks, jumps,
	// the ends of sub-intervals of the support (where the density may
	// be zero). Intervals end exactly at each break inside the domain,
	// so that no polynomial straddles it. Each must be finite. Default:
	// none.
	Breaks []float64
	// MaxEvaluations bounds the density evaluations of the whole setup;
	// reaching it is an error. Default 1,000,000.
	MaxEvaluations int
	// MaxIntervals bounds the number of interpolation intervals; reaching
	// it is an error. Default 100,000.
	MaxIntervals int
}

// guideFactor is the least number of guide cells per interval (the
// guide's length is the next power of two).
const guideFactor = 8

// order is the degree of the interpolating polynomial of every interval.
const order = 5

// recLen is the number of float64 per interval record: one cache line.
const recLen = 8

// A record holds an interval's cumulative area at its start and end, then
// the polynomial x(t) = c0 + c1 t + … + c5 t⁵ in t = u − start.
type record [recLen]float64

// A Table samples a 1-D distribution known only by its (unnormalised)
// density, by numerical inversion: after Derflinger, Hörmann & Leydold,
// "Random variate generation by numerical inversion when only the density
// is known", ACM TOMACS 20(4), 2010 (the PINV method).
//
// Setup first looks for the computational domain: from the highest of a
// few probe points it walks down each tail in doubling steps, integrating
// as it goes, and cuts the tails where their mass is below 2.5% of the
// tolerance; a sweep of 1,024 points over the domain and twice its width
// on either side (at least 50) then looks for peaks the walk stepped
// over, and widens the domain to take them in (the sweep's highest point,
// refined by golden-section search, becomes the center). The domain is divided into
// intervals grown outward from the highest point, landing on each peak;
// on each interval the inverse CDF is interpolated by a polynomial of
// degree 5 through Chebyshev nodes, with the CDF increments computed by
// five-point Gauss–Lobatto quadrature on the pieces between the nodes
// (whose ends are shared, so an interval costs 20 density evaluations).
// An interval is accepted only when the u-error |F(Q(u)) − u| at a test
// point in each piece, where interpolation errors peak, is below half the
// tolerance, and when no piece is so steep that the quadrature's error,
// which adds up along the table, could exceed a small share of the
// tolerance; an interval with less mass than half the tolerance is a
// straight line, since no point in it can be further off than its mass. F is the table's
// own integrated CDF — the quadrature of the given density, normalised by
// the table's total area — so the guarantee is relative to that, and to
// the true CDF up to the (much smaller) quadrature error and the tail mass
// cut. [Table.UError] measures it afresh at random points.
//
// The guarantee covers the density as the setup sees it, through its
// evaluations. A feature narrower than the spacing of the sweep and the
// tail walk, away from the center and from every point they evaluate (a
// spike of width 1e-5 holding half the mass beside N(0, 1), say), can
// be missed entirely, with its mass absent from the table and no error:
// no method that only evaluates a density can rule that out. Name such
// features in [TableOptions] — Center or Peaks for narrow peaks, Breaks
// for kinks, jumps and sub-intervals — and they are tabulated to the
// tolerance like the rest. Nor can any table be more accurate in u than
// f(x)·ulp(x)/2, the density times half the spacing of float64 values at
// x; where that exceeds half the tolerance (a peak of height 2e4 at
// x = 40 at the default tolerance), NewTable reports an error.
//
// Sampling costs one uniform, a guide-table lookup and a degree-5
// polynomial, independently of the distribution. A Table is read-only
// after construction and safe for concurrent use.
type Table struct {
	recs    []record
	guide   []int32
	gshift  uint    // a 53-bit integer shifted right by gshift is its guide cell
	uscale  float64 // area · 2⁻⁵³: a 53-bit integer to u
	area    float64
	lo, hi  float64 // computational domain
	evals   int
	density func(float64) float64 // the density the table's area is of
	fscale  float64               // that density over the given one (a power of two)
	bounds  []float64             // x at the start of each interval, and the end
}

var _ sampler.Sampler = (*Table)(nil)

// Dim returns 1.
func (*Table) Dim() int { return 1 }

// Sample fills dst with draws: one uniform, a guide-table lookup, and the
// interval's polynomial. It never fails.
func (t *Table) Sample(rng *rand.Rand, dst []float64) error {
	// First the uniforms, in a loop that is nothing but generator calls;
	// then the inversion, in a loop without calls, so that nothing is
	// spilled around the generator's indirect call and consecutive draws
	// overlap in the pipeline.
	for i := range dst {
		dst[i] = math.Float64frombits(rng.Uint64())
	}
	t.invert(dst)
	return nil
}

// invert maps random 64-bit words held in dst (as float64 bits) to draws
// in place. The top 53 bits make u; the top bits of those pick the guide
// cell, since the guide has a power-of-two length.
func (t *Table) invert(dst []float64) {
	recs, guide := t.recs, t.guide
	shift, uscale := t.gshift, t.uscale
	mask := uint64(len(guide) - 1)
	for i, w := range dst {
		x := math.Float64bits(w) >> 11
		u := float64(x) * uscale
		j := int(guide[(x>>shift)&mask])
		if j < 0 {
			// A cell that holds two or more interval ends: search.
			j = -j - 1
			for u >= recs[j][1] {
				j++
			}
		} else {
			// The interval is the guided one or the next. Take that step
			// without a branch: u and the ends are non-negative, so their
			// bit patterns order like their values, and the sign of
			// bits(end) − bits(u) − 1 says whether u ≥ end.
			j -= int(int64(math.Float64bits(recs[j][1])-math.Float64bits(u)-1) >> 63)
		}
		r := &recs[j]
		s := u - r[0]
		dst[i] = r[2] + s*(r[3]+s*(r[4]+s*(r[5]+s*(r[6]+s*r[7]))))
	}
}

// Quantile returns the table's approximation of the quantile at p in
// [0, 1] (clamped).
func (t *Table) Quantile(p float64) float64 {
	p = math.Min(1, math.Max(0, p))
	u := p * t.area
	g := min(len(t.guide)-1, int(p*float64(len(t.guide))))
	j := int(t.guide[g])
	if j < 0 {
		j = -j - 1
	}
	for u >= t.recs[j][1] {
		j++
	}
	r := &t.recs[j]
	s := u - r[0]
	return r[2] + s*(r[3]+s*(r[4]+s*(r[5]+s*(r[6]+s*r[7]))))
}

// Intervals returns the number of interpolation intervals.
func (t *Table) Intervals() int { return len(t.recs) }

// Evaluations returns the number of density evaluations setup used.
func (t *Table) Evaluations() int { return t.evals }

// Domain returns the computational domain: the support with the
// negligible tails cut.
func (t *Table) Domain() (lo, hi float64) { return t.lo, t.hi }

// Area returns the integral of the given density over the domain, by the
// table's quadrature: its normalising constant.
func (t *Table) Area() float64 { return t.area / t.fscale }

// CDF returns the table's own integrated CDF at x: the cumulative area up
// to the interval holding x plus a 64-point Gauss–Legendre integral from
// the interval's start, over the total area. This is the F of the u-error
// guarantee.
func (t *Table) CDF(x float64) float64 {
	if x <= t.lo {
		return 0
	}
	if x >= t.hi {
		return 1
	}
	// Binary search for the interval [bounds[j], bounds[j+1]) holding x.
	lo, hi := 0, len(t.bounds)-2
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if t.bounds[mid] <= x {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	a := t.bounds[lo]
	g := glNodes()
	var s float64
	const pieces = 8
	h := (x - a) / pieces
	for p := range pieces {
		for i, u := range g[0] {
			s += g[1][i] * t.density(a+h*(float64(p)+u))
		}
	}
	return math.Min(1, (t.recs[lo][0]+s*h)/t.area)
}

// glNodes holds the 8-point Gauss–Legendre rule on [0, 1] that CDF uses.
var glNodes = sync.OnceValue(func() [2][8]float64 {
	var x, w [8]float64
	quad.Legendre{}.FixedLocations(x[:], w[:], 0, 1)
	return [2][8]float64{x, w}
})

// UError draws n uniforms u and returns the largest and the mean u-error
// |F(Q(u)) − u|, where F is the table's integrated CDF ([Table.CDF]). It
// costs 64 density evaluations per point.
func (t *Table) UError(rng *rand.Rand, n int) (maxErr, meanErr float64) {
	for range n {
		u := rng.Float64()
		e := math.Abs(t.CDF(t.Quantile(u)) - u)
		maxErr = math.Max(maxErr, e)
		meanErr += e
	}
	if n > 0 {
		meanErr /= float64(n)
	}
	return maxErr, meanErr
}
