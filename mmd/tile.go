package mmd

import "github.com/variate/variate/internal/kernels"

// tile returns the kernel sum over the pairs of one tile: rows of block bi
// of the first set against rows of block bj of the second; on a diagonal
// within-set tile only pairs i < j. When a gradient is being computed (only
// kXX and kXY tiles then) it also adds the tile's contribution to e.grad.
func (e *Estimator) tile(w *scratch, kind taskKind, bi, bj int) float64 {
	a, b := e.x, e.y
	na, nb := e.n, e.m
	switch kind {
	case kXX:
		b, nb = e.x, e.n
	case kYY:
		a, na = e.y, e.m
		b, nb = e.y, e.m
	}
	bs := e.block
	i0, i1 := bi*bs, min((bi+1)*bs, na)
	j0, j1 := bj*bs, min((bj+1)*bs, nb)
	diag := kind != kXY && bi == bj
	grad := e.grad != nil && kind != kYY
	if e.gemm {
		return e.tileGemm(w, kind, a, b, i0, i1, j0, j1, diag, grad)
	}
	d := e.dim
	coef := 2 * e.cxy
	if kind == kXX {
		coef = 2 * e.cxx
	}
	// The second set's points as columns: coordinate k of point j at
	// bt[k·ld+j].
	bt, ld := e.yt, e.m
	if kind == kXX {
		bt, ld = e.xt, e.n
	}
	var s float64
	for i := i0; i < i1; i++ {
		js := j0
		if diag {
			js = i + 1
		}
		if js >= j1 {
			continue
		}
		r2 := w.r2[:j1-js]
		ai := a[i*d : (i+1)*d]
		kernels.Dist2Cols(r2, ai, bt[js:], ld)
		s += e.k.sumRow(r2, grad, w.buf)
		if !grad {
			continue
		}
		// The point's gradient, and on a within-x tile the opposite
		// terms for the other points, into the columns of e.gt (no b_j
		// is a_i: j > i on a diagonal tile, the sets' blocks differ
		// otherwise).
		var gt []float64
		if kind == kXX {
			gt = e.gt[js:]
		}
		kernels.GradCols(e.grad[i*d:(i+1)*d], gt, r2, ai, bt[js:], ld, coef)
	}
	return s
}

// tileGemm is tile for the inner-product route.
func (e *Estimator) tileGemm(w *scratch, kind taskKind, a, b []float64, i0, i1, j0, j1 int, diag, grad bool) float64 {
	d := e.dim
	na, nb := e.normX, e.normY
	switch kind {
	case kXX:
		nb = e.normX
	case kYY:
		na, nb = e.normY, e.normY
	}
	ni, nj := i1-i0, j1-j0
	g := w.g[:ni*nj]
	ai, bj := a[i0*d:i1*d], b[j0*d:j1*d]
	kernels.GemmSerialIn(&w.mm, false, true, ni, nj, d, 1, ai, d, bj, d, 0, g, nj)
	coef := 2 * e.cxy
	if kind == kXX {
		coef = 2 * e.cxx
	}
	var s float64
	for ii := range ni {
		row := g[ii*nj : (ii+1)*nj]
		js := 0
		if diag {
			js = ii + 1
		}
		nai := na[i0+ii]
		nbj := nb[j0+js : j1]
		r2 := w.r2[:nj-js]
		for j := range r2 {
			r2[j] = max(nai+nbj[j]-2*row[js+j], 0)
		}
		s += e.k.sumRow(r2, grad, w.buf)
		if grad {
			clear(row[:js])
			for j, f := range r2 {
				row[js+j] = coef * f
			}
		}
	}
	if !grad {
		return s
	}
	// With weights W of the tile: grad_i += Σ_j W_ij (a_i − b_j) =
	// (Σ_j W_ij) a_i − (W·B)_i, and for a within-x tile also grad_j +=
	// Σ_i W_ij (b_j − a_i) = (Σ_i W_ij) b_j − (Wᵀ·A)_j: matrix products
	// with −W, then the rows scaled by the weight sums.
	for k, wt := range g {
		g[k] = -wt
	}
	gi := e.grad[i0*d : i1*d]
	kernels.GemmSerialIn(&w.mm, false, false, ni, d, nj, 1, g, nj, bj, d, 1, gi, d)
	for ii := range ni {
		kernels.Axpy(-sum(g[ii*nj:(ii+1)*nj]), ai[ii*d:(ii+1)*d], gi[ii*d:(ii+1)*d])
	}
	if kind != kXX {
		return s
	}
	gj := e.grad[j0*d : j1*d]
	kernels.GemmSerialIn(&w.mm, true, false, nj, d, ni, 1, g, nj, ai, d, 1, gj, d)
	cs := w.gt[:nj]
	copy(cs, g[:nj])
	for ii := 1; ii < ni; ii++ {
		kernels.Axpy(1, g[ii*nj:(ii+1)*nj], cs)
	}
	for jj, c := range cs {
		kernels.Axpy(-c, bj[jj*d:(jj+1)*d], gj[jj*d:(jj+1)*d])
	}
	return s
}

func sum(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s
}
