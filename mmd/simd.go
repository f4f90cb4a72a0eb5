package mmd

// gram sets g[i·nb+j] = a_i·b_j for the rows of a and b (dimension d).
func gram(a, b []float64, d int, g []float64) {
	if useAVX2 && d >= 8 {
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
						s += dot(ar, b[(j+c)*d+tail:(j+c+1)*d])
					}
					g[(i+r)*nb+j+c] = s
				}
			}
		}
		for ; j < nb; j++ {
			g[i*nb+j] = dot(a[i*d:(i+1)*d], b[j*d:(j+1)*d])
			g[(i+1)*nb+j] = dot(a[(i+1)*d:(i+2)*d], b[j*d:(j+1)*d])
		}
	}
	if i < na {
		for j := range nb {
			g[i*nb+j] = dot(a[i*d:(i+1)*d], b[j*d:(j+1)*d])
		}
	}
}

// addWeighted sets c += Σ_j w[j]·b_j for the first len(w) rows b_j of b
// (dimension d = len(c)).
func addWeighted(c, w, b []float64) {
	d := len(c)
	if len(w) == 0 {
		return
	}
	_ = b[len(w)*d-1]
	done := 0
	if useAVX2 && d >= 16 {
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
			axpy(wj, b[j*d+done:(j+1)*d], ct)
		}
	}
}

// addWeighted2 is addWeighted for two rows c0, c1 with weights w0, w1
// (of equal lengths) over the same rows of b.
func addWeighted2(c0, c1, w0, w1, b []float64) {
	d := len(c0)
	if !useAVX2 || d < 16 || len(w0) == 0 {
		addWeighted(c0, w0, b)
		addWeighted(c1, w1, b)
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
		axpy(w0[j], b[j*d+done:(j+1)*d], c0[done:])
		axpy(w1[j], b[j*d+done:(j+1)*d], c1[done:])
	}
}

// addWeighted3 is addWeighted for three rows with weights of equal lengths
// over the same rows of b.
func addWeighted3(c0, c1, c2, w0, w1, w2, b []float64) {
	d := len(c0)
	if !useAVX2 || d < 16 || len(w0) == 0 {
		addWeighted(c0, w0, b)
		addWeighted(c1, w1, b)
		addWeighted(c2, w2, b)
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
		axpy(w0[j], bj, c0[done:])
		axpy(w1[j], bj, c1[done:])
		axpy(w2[j], bj, c2[done:])
	}
}

// addScaled sets c += alpha·x, vectorised for long rows.
func addScaled(c []float64, alpha float64, x []float64) {
	if useAVX2 && len(c) >= 16 {
		w := [1]float64{alpha}
		addWeighted(c, w[:], x)
		return
	}
	axpy(alpha, x, c)
}

// expNegRow sets e[j] = exp(−min(a·t[j], 708)).
func expNegRow(e, t []float64, a float64) {
	e = e[:len(t)]
	j := 0
	if useAVX2 && len(t) >= 4 {
		n4 := len(t) / 4
		expNegAVX2(&e[0], &t[0], a, n4)
		j = 4 * n4
	}
	for ; j < len(t); j++ {
		e[j] = fastExp(-min(a*t[j], -expMin))
	}
}
