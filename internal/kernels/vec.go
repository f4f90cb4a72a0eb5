package kernels

// The vector kernels of the MMD estimators and the dense networks. Each
// uses the AVX2 and FMA assembly of vec_amd64.s on PathAVX2 and
// PathAVX512 (where ExpNeg and AddPow have eight-lane AVX-512 loops too)
// for the part of its rows that fills whole vectors, and plain Go for the
// rest and on PathGo.

// Gram sets g[i·nb+j] = a_i·b_j for the rows a_i of a and b_j of b, each
// of dimension d, with na = len(a)/d and nb = len(b)/d.
func Gram(a, b []float64, d int, g []float64) {
	if path >= PathAVX2 && d >= 8 {
		gramAVX2(a, b, d, g)
		return
	}
	gramGo(a, b, d, g)
}

func gramAVX2(a, b []float64, d int, g []float64) {
	na, nb := len(a)/d, len(b)/d
	n4 := d / 4
	tail := n4 * 4
	var out [8]float64
	i := 0
	for ; i+1 < na; i += 2 {
		j := 0
		for ; j+3 < nb; j += 4 {
			dots2x4AVX2(&a[i*d], &b[j*d], d, n4, &out)
			for r := range 2 {
				ar := a[(i+r)*d+tail : (i+r+1)*d]
				for c := range 4 {
					s := out[4*r+c]
					if len(ar) > 0 {
						s += Dot(ar, b[(j+c)*d+tail:(j+c+1)*d])
					}
					g[(i+r)*nb+j+c] = s
				}
			}
		}
		for ; j < nb; j++ {
			g[i*nb+j] = Dot(a[i*d:(i+1)*d], b[j*d:(j+1)*d])
			g[(i+1)*nb+j] = Dot(a[(i+1)*d:(i+2)*d], b[j*d:(j+1)*d])
		}
	}
	if i < na {
		for j := range nb {
			g[i*nb+j] = Dot(a[i*d:(i+1)*d], b[j*d:(j+1)*d])
		}
	}
}

// gramGo is Gram in Go, two rows by two columns at a time to reuse each
// load twice.
func gramGo(a, b []float64, d int, g []float64) {
	na, nb := len(a)/d, len(b)/d
	i := 0
	for ; i+1 < na; i += 2 {
		a0 := a[i*d : (i+1)*d]
		a1 := a[(i+1)*d : (i+2)*d]
		a1 = a1[:len(a0)]
		j := 0
		for ; j+1 < nb; j += 2 {
			b0 := b[j*d : (j+1)*d]
			b1 := b[(j+1)*d : (j+2)*d]
			b0, b1 = b0[:len(a0)], b1[:len(a0)]
			var s00, s01, s10, s11 float64
			for k, x0 := range a0 {
				x1, y0, y1 := a1[k], b0[k], b1[k]
				s00 += x0 * y0
				s01 += x0 * y1
				s10 += x1 * y0
				s11 += x1 * y1
			}
			g[i*nb+j], g[i*nb+j+1] = s00, s01
			g[(i+1)*nb+j], g[(i+1)*nb+j+1] = s10, s11
		}
		if j < nb {
			g[i*nb+j] = Dot(a0, b[j*d:(j+1)*d])
			g[(i+1)*nb+j] = Dot(a1, b[j*d:(j+1)*d])
		}
	}
	if i < na {
		for j := range nb {
			g[i*nb+j] = Dot(a[i*d:(i+1)*d], b[j*d:(j+1)*d])
		}
	}
}

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

// AddWeighted2 is AddWeighted for two rows c0, c1 with weights w0, w1
// (of equal lengths) over the same rows of b.
func AddWeighted2(c0, c1, w0, w1, b []float64) {
	d := len(c0)
	if path < PathAVX2 || d < 16 || len(w0) == 0 {
		AddWeighted(c0, w0, b)
		AddWeighted(c1, w1, b)
		return
	}
	c1, w1 = c1[:d], w1[:len(w0)]
	_ = b[len(w0)*d-1]
	n16 := d / 16
	axpyRows2AVX2(&c0[0], &c1[0], &w0[0], &w1[0], &b[0], len(w0), d, n16)
	done := 16 * n16
	if done == d {
		return
	}
	for j := range w0 {
		axpyGo(w0[j], b[j*d+done:(j+1)*d], c0[done:])
		axpyGo(w1[j], b[j*d+done:(j+1)*d], c1[done:])
	}
}

// AddWeighted3 is AddWeighted for three rows with weights of equal
// lengths over the same rows of b.
func AddWeighted3(c0, c1, c2, w0, w1, w2, b []float64) {
	d := len(c0)
	if path < PathAVX2 || d < 16 || len(w0) == 0 {
		AddWeighted(c0, w0, b)
		AddWeighted(c1, w1, b)
		AddWeighted(c2, w2, b)
		return
	}
	c1, c2, w1, w2 = c1[:d], c2[:d], w1[:len(w0)], w2[:len(w0)]
	_ = b[len(w0)*d-1]
	n16 := d / 16
	axpyRows3AVX2(&c0[0], &c1[0], &c2[0], &w0[0], &w1[0], &w2[0], &b[0], len(w0), d, n16)
	done := 16 * n16
	if done == d {
		return
	}
	for j := range w0 {
		bj := b[j*d+done : (j+1)*d]
		axpyGo(w0[j], bj, c0[done:])
		axpyGo(w1[j], bj, c1[done:])
		axpyGo(w2[j], bj, c2[done:])
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
