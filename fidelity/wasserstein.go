package fidelity

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

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
	s := sorted(x)
	n := float64(len(s))
	var nodes, weights [8]float64
	quad.Legendre{}.FixedLocations(nodes[:], weights[:], 0, 1)
	var w float64
	for i, v := range s {
		a := float64(i) / n
		var piece float64
		for k, u := range nodes {
			qu := q(a + u/n)
			if math.IsNaN(qu) {
				return 0, fmt.Errorf("fidelity: quantile(%v) is NaN", a+u/n)
			}
			piece += weights[k] * math.Abs(v-qu)
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
	if err := checkPoints("y", y, dim, 1); err != nil {
		return 0, err
	}
	if projections <= 0 {
		return 0, fmt.Errorf("fidelity: %d projections; need at least 1", projections)
	}
	px, py := make([]float64, len(x)/dim), make([]float64, len(y)/dim)
	dir := make([]float64, dim)
	var total float64
	for range projections {
		var norm float64
		for norm == 0 {
			for i := range dir {
				dir[i] = rng.NormFloat64()
				norm += dir[i] * dir[i]
			}
		}
		norm = math.Sqrt(norm)
		project(x, dir, norm, px)
		project(y, dir, norm, py)
		slices.Sort(px)
		slices.Sort(py)
		total += w1Sorted(px, py)
	}
	return checkResult("the sliced Wasserstein distance", total/float64(projections))
}

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
