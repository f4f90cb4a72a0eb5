package fidelity

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/integrate/quad"
)

// Wasserstein1 returns the exact Wasserstein-1 distance between the
// empirical distributions of two 1-D samples (of any sizes):
// W1 = ∫ |F_n(t) − G_m(t)| dt. Neither input is modified.
func Wasserstein1(x, y []float64) (float64, error) {
	if err := checkPoints("x", x, 1, 1); err != nil {
		return 0, err
	}
	if err := checkPoints("y", y, 1, 1); err != nil {
		return 0, err
	}
	return checkResult("Wasserstein-1", w1Sorted(sorted(x), sorted(y)))
}

func w1Sorted(a, b []float64) float64 {
	n, m := float64(len(a)), float64(len(b))
	i, j := 0, 0
	var w, prev float64
	prev = min(a[0], b[0])
	for i < len(a) || j < len(b) {
		var t float64
		switch {
		case j == len(b) || (i < len(a) && a[i] <= b[j]):
			t = a[i]
		default:
			t = b[j]
		}
		// Half widths, so that a gap wider than the largest float64
		// overflows only if the distance itself does.
		if f := math.Abs(float64(i)/n - float64(j)/m); f > 0 {
			w += f * (t/2 - prev/2)
		}
		prev = t
		for i < len(a) && a[i] == t {
			i++
		}
		for j < len(b) && b[j] == t {
			j++
		}
	}
	return 2 * w
}

// Wasserstein1Quantile returns the Wasserstein-1 distance between the
// empirical distribution of x and the distribution with quantile function
// q: ∫₀¹ |F_n⁻¹(u) − q(u)| du. Each of the n pieces [i/n, (i+1)/n] is
// integrated with 8-point Gauss–Legendre, which never evaluates q at 0 or
// 1, so infinite supports are fine as long as the distribution has a
// finite mean. x is not modified.
func Wasserstein1Quantile(x []float64, q func(float64) float64) (float64, error) {
	if err := checkPoints("x", x, 1, 1); err != nil {
		return 0, err
	}
	r, err := NewQuantileReference(q, len(x))
	if err != nil {
		return 0, err
	}
	return r.Wasserstein1(x)
}

// A QuantileReference holds a quantile function's values at the nodes
// Wasserstein1Quantile integrates over for samples of one size, so that
// many samples of that size can be compared with one distribution without
// evaluating its quantile function again: a benchmark's every method
// against one target. Its Wasserstein1 gives the bits Wasserstein1Quantile
// gives. It is safe for concurrent use.
type QuantileReference struct {
	n int
	q []float64 // 8 values per piece [i/n, (i+1)/n], piece after piece
	w [8]float64
}

// NewQuantileReference evaluates q at the 8 Gauss–Legendre nodes of each
// of the n pieces [i/n, (i+1)/n] of [0, 1] (on the caller's goroutine), and
// fails if n < 1 or a value is NaN.
func NewQuantileReference(q func(float64) float64, n int) (*QuantileReference, error) {
	if n < 1 {
		return nil, fmt.Errorf("fidelity: a quantile reference for %d points; need at least 1", n)
	}
	r := &QuantileReference{n: n, q: make([]float64, 8*n)}
	var nodes [8]float64
	quad.Legendre{}.FixedLocations(nodes[:], r.w[:], 0, 1)
	fn := float64(n)
	for i := range n {
		a := float64(i) / fn
		for k, u := range nodes {
			qu := q(a + u/fn)
			if math.IsNaN(qu) {
				return nil, fmt.Errorf("fidelity: quantile(%v) is NaN", a+u/fn)
			}
			r.q[8*i+k] = qu
		}
	}
	return r, nil
}

// N is the sample size the reference was made for.
func (r *QuantileReference) N() int { return r.n }

// Wasserstein1 returns the Wasserstein-1 distance between the empirical
// distribution of x, which must hold N points, and the reference's
// distribution, as Wasserstein1Quantile does. x is not modified.
func (r *QuantileReference) Wasserstein1(x []float64) (float64, error) {
	if err := checkPoints("x", x, 1, 1); err != nil {
		return 0, err
	}
	if len(x) != r.n {
		return 0, fmt.Errorf("fidelity: %d points against a quantile reference made for %d; make one for %d points with NewQuantileReference, or use Wasserstein1Quantile", len(x), r.n, len(x))
	}
	s := sorted(x)
	n := float64(r.n)
	var w float64
	for i, v := range s {
		var piece float64
		for k, qu := range r.q[8*i : 8*i+8] {
			piece += r.w[k] * math.Abs(v-qu)
		}
		w += piece / n
	}
	if math.IsInf(w, 0) {
		return 0, fmt.Errorf("fidelity: Wasserstein-1 against the quantile function is infinite")
	}
	return checkResult("Wasserstein-1 against the quantile function", w)
}

// SlicedWasserstein returns the sliced Wasserstein-1 distance between two
// point sets of dimension dim: the mean, over projections random unit
// directions drawn from rng, of the 1-D Wasserstein-1 distance between
// the projected samples (Rabin, Peyré, Delon & Bernot 2011). The same
// seed gives the same directions and so the same value. It panics if rng
// is nil.
func SlicedWasserstein(x, y []float64, dim, projections int, rng *rand.Rand) (float64, error) {
	if rng == nil {
		panic("fidelity: SlicedWasserstein needs a random generator")
	}
	if err := checkPoints("x", x, dim, 1); err != nil {
		return 0, err
	}
	r, err := NewSlicedReference(y, dim, projections, rng)
	if err != nil {
		return 0, err
	}
	return r.Distance(x)
}

// A SlicedReference holds a reference sample's projections on random
// directions, sorted, so that many samples can be compared with one
// reference without projecting and sorting it again: a benchmark's every
// method against one target's exact draws. Its Distance gives the bits
// SlicedWasserstein gives with the same reference and random stream. It
// is safe for concurrent use.
type SlicedReference struct {
	dim   int
	dirs  [][]float64 // directions, and their lengths
	norms []float64
	ref   [][]float64 // the reference's sorted projection on each
}

// NewSlicedReference draws projections random unit directions from rng,
// as SlicedWasserstein does, and projects and sorts y (points of
// dimension dim) on each. It panics if rng is nil.
func NewSlicedReference(y []float64, dim, projections int, rng *rand.Rand) (*SlicedReference, error) {
	if rng == nil {
		panic("fidelity: NewSlicedReference needs a random generator")
	}
	if err := checkPoints("y", y, dim, 1); err != nil {
		return nil, err
	}
	if projections <= 0 {
		return nil, fmt.Errorf("fidelity: %d projections; need at least 1", projections)
	}
	r := &SlicedReference{dim: dim, dirs: make([][]float64, projections), norms: make([]float64, projections), ref: make([][]float64, projections)}
	for p := range projections {
		dir := make([]float64, dim)
		var norm float64
		for norm == 0 {
			for i := range dir {
				dir[i] = rng.NormFloat64()
				norm += dir[i] * dir[i]
			}
		}
		r.dirs[p], r.norms[p] = dir, math.Sqrt(norm)
		r.ref[p] = make([]float64, len(y)/dim)
		project(y, dir, r.norms[p], r.ref[p])
		sortFloats(r.ref[p])
	}
	return r, nil
}

// Dim is the dimension of the reference's points.
func (r *SlicedReference) Dim() int { return r.dim }

// Distance returns the sliced Wasserstein-1 distance between x (points of
// the reference's dimension) and the reference: the mean over the
// reference's directions of the 1-D Wasserstein-1 distance between the
// projections. x is not modified.
func (r *SlicedReference) Distance(x []float64) (float64, error) {
	if err := checkPoints("x", x, r.dim, 1); err != nil {
		return 0, err
	}
	px := make([]float64, len(x)/r.dim)
	var total float64
	for p, dir := range r.dirs {
		project(x, dir, r.norms[p], px)
		sortFloats(px)
		total += w1Sorted(px, r.ref[p])
	}
	return checkResult("the sliced Wasserstein distance", total/float64(len(r.dirs)))
}

// project writes the projections of the points x on the direction dir
// of length norm to out.
func project(x, dir []float64, norm float64, out []float64) {
	dim := len(dir)
	for i := range out {
		var s float64
		for j, d := range dir {
			s += x[i*dim+j] * d
		}
		out[i] = s / norm
	}
}
