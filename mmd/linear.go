package mmd

import "fmt"

// Linear returns the linear-time estimate of MMD² (Gretton et al. 2012,
// §6, Lemma 14): with n = m points, the mean over the ⌊n/2⌋ disjoint pairs
// of consecutive points of
//
//	h = k(x₁,x₂) + k(y₁,y₂) − k(x₁,y₂) − k(x₂,y₁),
//
// where (x₁,x₂) = (x_{2i}, x_{2i+1}) and likewise for y. With n odd the last
// point of each set is not used. It is unbiased, costs O(n) kernel
// evaluations, and has variance of order 1/n. It returns an error unless x
// and y hold the same number of points, at least 2.
func (e *Estimator) Linear(x, y []float64) (float64, error) {
	return e.linear(x, y, nil)
}

// LinearGrad returns Linear(x, y) and writes its gradient with respect to x
// into grad (zero for an unused last point). It panics if
// len(grad) != len(x).
func (e *Estimator) LinearGrad(x, y, grad []float64) (float64, error) {
	e.checkGrad(x, grad)
	return e.linear(x, y, grad)
}

func (e *Estimator) linear(x, y, grad []float64) (float64, error) {
	if err := checkPoints("x", x, e.dim, 2); err != nil {
		return 0, err
	}
	if err := checkPoints("y", y, e.dim, 2); err != nil {
		return 0, err
	}
	d := e.dim
	n, m := len(x)/d, len(y)/d
	if n != m {
		return 0, fmt.Errorf("mmd: the linear-time estimator needs as many points in y as in x, got %d and %d", m, n)
	}
	if grad != nil {
		clear(grad)
	}
	pairs := n / 2
	c := 1 / float64(pairs)
	var s float64
	var r2 [4]float64
	var buf [6]float64
	for p := range pairs {
		x1, x2 := x[2*p*d:(2*p+1)*d], x[(2*p+1)*d:(2*p+2)*d]
		y1, y2 := y[2*p*d:(2*p+1)*d], y[(2*p+1)*d:(2*p+2)*d]
		r2[0], r2[1] = sqDist(x1, x2), sqDist(y1, y2)
		r2[2], r2[3] = sqDist(x1, y2), sqDist(x2, y1)
		// Sum the positive and negative terms in separate rows, in one order
		// for value and gradient.
		pos := e.k.sumRow(r2[:2], grad != nil, buf[:])
		neg := e.k.sumRow(r2[2:], grad != nil, buf[:])
		s += pos - neg
		if grad == nil {
			continue
		}
		g1, g2 := grad[2*p*d:(2*p+1)*d], grad[(2*p+1)*d:(2*p+2)*d]
		wxx, wx1y2, wx2y1 := 2*c*r2[0], -2*c*r2[2], -2*c*r2[3]
		for k := range x1 {
			t := wxx * (x1[k] - x2[k])
			g1[k] += t + wx1y2*(x1[k]-y2[k])
			g2[k] += -t + wx2y1*(x2[k]-y1[k])
		}
	}
	if err := checkFinite(c * s); err != nil {
		return 0, err
	}
	return c * s, nil
}

func sqDist(a, b []float64) float64 {
	b = b[:len(a)]
	var s float64
	for k, v := range a {
		t := v - b[k]
		s += t * t
	}
	return s
}

// Unbiased returns the unbiased estimate of MMD² between x and y (points
// of dimension dim stored row after row) with kernel k; see
// Estimator.Unbiased. It allocates a workspace on each call; reuse an
// Estimator for repeated calls.
func Unbiased(k Kernel, x, y []float64, dim int) (float64, error) {
	e, err := NewEstimator(k, dim, nil)
	if err != nil {
		return 0, err
	}
	return e.Unbiased(x, y)
}

// Biased returns the biased (V-statistic) estimate of MMD²; see
// Estimator.Biased and Unbiased.
func Biased(k Kernel, x, y []float64, dim int) (float64, error) {
	e, err := NewEstimator(k, dim, nil)
	if err != nil {
		return 0, err
	}
	return e.Biased(x, y)
}

// Linear returns the linear-time estimate of MMD²; see Estimator.Linear.
func Linear(k Kernel, x, y []float64, dim int) (float64, error) {
	e, err := NewEstimator(k, dim, nil)
	if err != nil {
		return 0, err
	}
	return e.Linear(x, y)
}
