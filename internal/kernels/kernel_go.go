package kernels

import "math"

// kernelGo is the plain-Go micro-kernel, a 4×4 tile: sixteen sums kept
// in registers, four loads of each panel per step of k.
func kernelGo(kc int, a, b, c []float64, ldc int, alpha, beta float64, useBeta bool) {
	a, b = a[:4*kc], b[:4*kc]
	var c00, c01, c02, c03, c10, c11, c12, c13 float64
	var c20, c21, c22, c23, c30, c31, c32, c33 float64
	for p := range kc {
		ap := a[4*p : 4*p+4 : 4*p+4]
		bp := b[4*p : 4*p+4 : 4*p+4]
		a0, a1, a2, a3 := ap[0], ap[1], ap[2], ap[3]
		b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	rows := [4][4]float64{
		{c00, c01, c02, c03},
		{c10, c11, c12, c13},
		{c20, c21, c22, c23},
		{c30, c31, c32, c33},
	}
	_ = c[3*ldc+3]
	for r := range rows {
		crow := c[r*ldc : r*ldc+4 : r*ldc+4]
		for x, v := range rows[r] {
			t := alpha * v
			if useBeta {
				t = math.FMA(beta, crow[x], t)
			}
			crow[x] = t
		}
	}
}
