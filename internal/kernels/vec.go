package kernels

// The vector kernels of the MMD estimators and the dense networks. Each
// uses the AVX2 and FMA assembly of vec_amd64.s on PathAVX2 and
// PathAVX512 (where ExpNeg and AddPow have eight-lane AVX-512 loops too)
// for the part of its rows that fills whole vectors, and plain Go for the
// rest and on PathGo.

// Dot returns Σ_k x[k]·y[k]; y is at least as long as x.
func Dot(x, y []float64) float64 {
	y = y[:len(x)]
	var s float64
	for k, v := range x {
		s += v * y[k]
	}
	return s
}

// axpyGo sets y += alpha·x.
func axpyGo(alpha float64, x, y []float64) {
	y = y[:len(x)]
	for k, v := range x {
		y[k] += alpha * v
	}
}

// Axpy sets y += alpha·x, vectorised for long rows; y is at least as
// long as x.
func Axpy(alpha float64, x, y []float64) {
	if path >= PathAVX2 && len(x) >= 16 {
		w := [1]float64{alpha}
		AddWeighted(y[:len(x)], w[:], x)
		return
	}
	axpyGo(alpha, x, y)
}

// AddWeighted sets c += Σ_j w[j]·b_j for the first len(w) rows b_j of b,
// each of dimension d = len(c).
func AddWeighted(c, w, b []float64) {
	d := len(c)
	if len(w) == 0 {
		return
	}
	_ = b[len(w)*d-1]
	done := 0
	if path >= PathAVX2 && d >= 16 {
		n16 := d / 16
		axpyRowsAVX2(&c[0], &w[0], &b[0], len(w), d, n16)
		done = 16 * n16
	}
	if done == d {
		return
	}
	ct := c[done:]
	for j, wj := range w {
		if wj != 0 {
			axpyGo(wj, b[j*d+done:(j+1)*d], ct)
		}
	}
}

// ExpNeg sets dst[j] = e^max(−a·src[j], ExpMin), the clamp of Exp; dst
// is at least as long as src. The assembly evaluates e^r by a degree-13
// Taylor polynomial after r = x − k·ln2, the Go twin by Exp; both are
// within 2 ulp of math.Exp.
func ExpNeg(dst, src []float64, a float64) {
	dst = dst[:len(src)]
	j := 0
	if path >= PathAVX512 && len(src) >= 8 {
		n8 := len(src) / 8
		expNegAVX512(&dst[0], &src[0], a, n8)
		j = 8 * n8
	}
	if path >= PathAVX2 && len(src)-j >= 4 {
		n4 := (len(src) - j) / 4
		expNegAVX2(&dst[j], &src[j], a, n4)
		j += 4 * n4
	}
	for ; j < len(src); j++ {
		dst[j] = Exp(-a * src[j])
	}
}
