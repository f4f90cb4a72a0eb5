package fidelity

import (
	"fmt"
	"math"
	"slices"

	"github.com/variate/variate/internal/kernels"
	"github.com/variate/variate/internal/pointset"
)

// Block sizes of the pairwise squared distances: distRowBlock rows of x
// against distColBlock rows of y at a time, a buffer of 4 MiB whatever
// the sizes of the two sets.
const (
	distRowBlock = 256
	distColBlock = 2048
)

// squaredDistances calls visit for consecutive blocks of the matrix of
// squared Euclidean distances between the rows of x and the rows of y, of
// dimension dim: visit(i0, ni, j0, nj, d2) receives
// d2[i·nj+j] = ‖x_{i0+i} − y_{j0+j}‖² for i < ni, j < nj, each row block
// of x meeting the column blocks of y in increasing order. The distances
// are ‖x‖² + ‖y‖² − 2x·y, the cross products from kernels.Gemm, so that
// memory stays at one block; a value that rounding makes negative is set
// to 0. The blocks and the order of every sum depend only on the sizes,
// so the results are the same bits whatever GOMAXPROCS is.
// xn and yn are the squared norms of the rows, from rowNorms.
func squaredDistances(x, y []float64, dim int, xn, yn []float64, visit func(i0, ni, j0, nj int, d2 []float64)) {
	nx, ny := len(x)/dim, len(y)/dim
	buf := make([]float64, min(distRowBlock, nx)*min(distColBlock, ny))
	for i0 := 0; i0 < nx; i0 += distRowBlock {
		ni := min(distRowBlock, nx-i0)
		for j0 := 0; j0 < ny; j0 += distColBlock {
			nj := min(distColBlock, ny-j0)
			d2 := buf[:ni*nj]
			kernels.Gemm(false, true, ni, nj, dim, -2, x[i0*dim:], dim, y[j0*dim:], dim, 0, d2, nj)
			for i := range ni {
				row := d2[i*nj : (i+1)*nj]
				a := xn[i0+i]
				for j, b := range yn[j0 : j0+nj] {
					row[j] = max(row[j]+a+b, 0)
				}
			}
			visit(i0, ni, j0, nj, d2)
		}
	}
}

// rowNorms returns the squared Euclidean norm of each row of the point
// set called name, or an error if one exceeds MaxFloat64/4, beyond which
// ‖x‖² + ‖y‖² − 2x·y could overflow.
func rowNorms(name string, x []float64, dim int) ([]float64, error) {
	out := make([]float64, len(x)/dim)
	for i := range out {
		r := x[i*dim : (i+1)*dim]
		out[i] = kernels.Dot(r, r)
		if !(out[i] <= math.MaxFloat64/4) {
			return nil, fmt.Errorf("fidelity: the squared norm of %s point %d overflows; rescale the points", name, i)
		}
	}
	return out, nil
}

// Nearest returns, for every point of x, the index of its nearest point
// in ref (the first of equally near ones) and the Euclidean distance to
// it; both sets have dimension dim. The search runs over blocked matrix
// products (see squaredDistances); the distance to the point found is then
// computed directly, coordinate by coordinate, so that a point that is an
// exact copy of one in ref gets distance 0 and not a rounding residue.
// It returns an error when either set is empty or has NaN or infinite
// coordinates, and panics if dim is not positive.
func Nearest(x, ref []float64, dim int) (index []int, dist []float64, err error) {
	if err := pointset.Check("fidelity", "x", x, dim, 1); err != nil {
		return nil, nil, err
	}
	if err := pointset.Check("fidelity", "ref", ref, dim, 1); err != nil {
		return nil, nil, err
	}
	xn, err := rowNorms("x", x, dim)
	if err != nil {
		return nil, nil, err
	}
	rn, err := rowNorms("ref", ref, dim)
	if err != nil {
		return nil, nil, err
	}
	nx := len(x) / dim
	index = make([]int, nx)
	best := make([]float64, nx)
	for i := range best {
		best[i] = math.Inf(1)
	}
	squaredDistances(x, ref, dim, xn, rn, func(i0, ni, j0, nj int, d2 []float64) {
		for i := range ni {
			row := d2[i*nj : (i+1)*nj]
			for j, v := range row {
				if v < best[i0+i] {
					best[i0+i], index[i0+i] = v, j0+j
				}
			}
		}
	})
	dist = make([]float64, nx)
	for i, j := range index {
		var s float64
		a, b := x[i*dim:(i+1)*dim], ref[j*dim:(j+1)*dim]
		for k := range a {
			d := a[k] - b[k]
			s += d * d
		}
		dist[i] = math.Sqrt(s)
	}
	return index, dist, nil
}

// Quartiles are the first quartile, the median and the third quartile of
// a sample (type-7 quantiles, linear between order statistics).
type Quartiles struct {
	Q1, Median, Q3 float64
}

func quartilesOf(x []float64) Quartiles {
	s := slices.Clone(x)
	slices.Sort(s)
	return Quartiles{quantileSorted(s, 0.25), quantileSorted(s, 0.5), quantileSorted(s, 0.75)}
}

// quantileSorted is the type-7 quantile of the sorted sample s.
func quantileSorted(s []float64, p float64) float64 {
	h := p * float64(len(s)-1)
	lo := int(h)
	if lo+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[lo] + (h-float64(lo))*(s[lo+1]-s[lo])
}

// NearestRatio compares how near generated points come to the training
// set with how near fresh data do: a generator that copies its training
// points puts them much nearer than unseen data lie.
type NearestRatio struct {
	// Ratio is the median distance from a generated point to its nearest
	// training point over the median distance from a held-out (test)
	// point to its nearest training point. Near 1 (or above) means the
	// generated points are no nearer to the training set than new data;
	// well below 1 means memorisation.
	Ratio float64
	// RatioQ1 and RatioQ3 are the same ratio for the first and third
	// quartiles, the spread of the comparison.
	RatioQ1, RatioQ3 float64
	// Generated and Test are the quartiles of the two sets' distances.
	Generated, Test Quartiles
	// Closer is the share of generated points nearer to the training set
	// than the 5% quantile of the test points' distances (about 0.05 for a
	// generator that does not copy; near 1 for one that does).
	Closer float64
	// GeneratedDist and TestDist are the distances themselves, and
	// GeneratedIndex the index of each generated point's nearest training
	// point (for showing them side by side).
	GeneratedDist, TestDist []float64
	GeneratedIndex          []int
}

// NearestNeighbourRatio measures memorisation: the distances from each
// generated point and each test point to its nearest training point,
// summarised as the ratio of their medians (and quartiles). All three sets
// have dimension dim. The errors are those of Nearest and of
// NearestRatioOf.
func NearestNeighbourRatio(generated, test, train []float64, dim int) (NearestRatio, error) {
	gi, gd, err := Nearest(generated, train, dim)
	if err != nil {
		return NearestRatio{}, fmt.Errorf("%w (generated against train)", err)
	}
	_, td, err := Nearest(test, train, dim)
	if err != nil {
		return NearestRatio{}, fmt.Errorf("%w (test against train)", err)
	}
	r, err := NearestRatioOf(gd, td)
	r.GeneratedIndex = gi
	return r, err
}

// NearestRatioOf is NearestNeighbourRatio from the distances themselves,
// as Nearest returns them, so that the test points' distances, which do
// not depend on the model, are found once for several models. It returns
// an error when either slice is empty, a distance is negative or not
// finite, or a quarter or more of the test distances are 0 (test points
// that are training points; the quartile ratios would be infinite). The
// result's GeneratedIndex is nil.
func NearestRatioOf(generatedDist, testDist []float64) (NearestRatio, error) {
	for _, s := range []struct {
		name string
		d    []float64
	}{{"generated", generatedDist}, {"test", testDist}} {
		if len(s.d) == 0 {
			return NearestRatio{}, fmt.Errorf("fidelity: no %s distances", s.name)
		}
		for i, v := range s.d {
			if !(v >= 0) || math.IsInf(v, 1) {
				return NearestRatio{}, fmt.Errorf("fidelity: %s distance %d is %v; distances are finite and at least 0", s.name, i, v)
			}
		}
	}
	r := NearestRatio{Generated: quartilesOf(generatedDist), Test: quartilesOf(testDist),
		GeneratedDist: generatedDist, TestDist: testDist}
	if r.Test.Q1 == 0 {
		return NearestRatio{}, fmt.Errorf("fidelity: a quarter or more of the test points are also training points; use a test set disjoint from the training set")
	}
	r.Ratio = r.Generated.Median / r.Test.Median
	r.RatioQ1 = r.Generated.Q1 / r.Test.Q1
	r.RatioQ3 = r.Generated.Q3 / r.Test.Q3
	ts := slices.Clone(testDist)
	slices.Sort(ts)
	q05 := quantileSorted(ts, 0.05)
	n := 0
	for _, d := range generatedDist {
		if d < q05 {
			n++
		}
	}
	r.Closer = float64(n) / float64(len(generatedDist))
	return r, nil
}
