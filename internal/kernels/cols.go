package kernels

// Kernels over points stored coordinate by coordinate ("columns"): the
// low-dimensional MMD tiles keep one set of points as d columns of ld
// values each, coordinate k of point j at bt[k·ld+j], so that a loop over
// the points of a tile row reads each coordinate as a contiguous vector.

// Dist2Cols sets r2[j] = Σ_k (a[k] − bt[k·ld+j])², summed in the order
// k = 0, 1, …, for j < len(r2): the squared distances from the point a
// (len(a) ≥ 1 coordinates) to len(r2) points stored as columns of bt.
// Every path forms each distance with the same operations in the same
// order, so the paths agree bit for bit. It panics if bt is too short.
func Dist2Cols(r2, a, bt []float64, ld int) {
	n, d := len(r2), len(a)
	if n == 0 {
		return
	}
	if d == 0 {
		panic("kernels: Dist2Cols with an empty point")
	}
	_ = bt[(d-1)*ld+n-1]
	j := 0
	if path >= PathAVX512 && n >= 8 {
		n8 := n / 8
		dist2ColsAVX512(&r2[0], &a[0], &bt[0], d, ld, n8)
		j = 8 * n8
	}
	if path >= PathAVX2 && n-j >= 4 {
		n4 := (n - j) / 4
		dist2ColsAVX2(&r2[j], &a[0], &bt[j], d, ld, n4)
		j += 4 * n4
	}
	dist2ColsGo(r2[j:], a, bt[j:], ld)
}

func dist2ColsGo(r2, a, bt []float64, ld int) {
	a0 := a[0]
	c0 := bt[:len(r2)]
	for j := range r2 {
		d0 := a0 - c0[j]
		r2[j] = d0 * d0
	}
	for k := 1; k < len(a); k++ {
		ak := a[k]
		ck := bt[k*ld : k*ld+len(r2)]
		for j := range r2 {
			dk := ak - ck[j]
			r2[j] += dk * dk
		}
	}
}

// GradCols adds to g[k], for each coordinate k < len(a), the sum over
// j < len(w) of t_kj = (coef·w[j])·(a[k] − bt[k·ld+j]), and, when gt is
// not nil, subtracts each t_kj from gt[k·ld+j]: the gradient of a kernel
// sum Σ_j coef·f(‖a − b_j‖²) with respect to a, given w[j] = f′, and its
// opposite for the points b_j. The sums over j are taken in vector lanes
// on the assembly paths, so the paths agree to rounding. It panics if g,
// bt or gt is too short.
func GradCols(g, gt, w, a, bt []float64, ld int, coef float64) {
	n, d := len(w), len(a)
	if n == 0 || d == 0 {
		return
	}
	g = g[:d]
	_ = bt[(d-1)*ld+n-1]
	if gt != nil {
		_ = gt[(d-1)*ld+n-1]
	}
	for k := range d {
		col := bt[k*ld : k*ld+n]
		var gcol []float64
		if gt != nil {
			gcol = gt[k*ld : k*ld+n]
		}
		g[k] += gradCol(w, col, gcol, a[k], coef)
	}
}

// gradCol returns Σ_j (coef·w[j])·(a − b[j]) and subtracts each term from
// gt[j] when gt is not nil.
func gradCol(w, b, gt []float64, a, coef float64) float64 {
	n := len(w)
	var s float64
	j := 0
	if path >= PathAVX512 && n >= 8 {
		n8 := n / 8
		var gp *float64
		if gt != nil {
			gp = &gt[0]
		}
		s = gradColAVX512(&w[0], &b[0], gp, a, coef, n8)
		j = 8 * n8
	}
	if path >= PathAVX2 && n-j >= 4 {
		n4 := (n - j) / 4
		var gp *float64
		if gt != nil {
			gp = &gt[j]
		}
		s += gradColAVX2(&w[j], &b[j], gp, a, coef, n4)
		j += 4 * n4
	}
	w, b = w[j:], b[j:]
	b = b[:len(w)]
	if gt != nil {
		gt = gt[j:]
		gt = gt[:len(w)]
	}
	var s0, s1 float64
	for i, f := range w {
		t := coef * f * (a - b[i])
		if gt != nil {
			gt[i] -= t
		}
		if i&1 == 0 {
			s0 += t
		} else {
			s1 += t
		}
	}
	return s + (s0 + s1)
}
