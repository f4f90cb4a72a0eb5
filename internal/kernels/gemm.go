package kernels

// Gemm sets C = alpha·op(A)·op(B) + beta·C for row-major matrices, where
// op(A) is m×k and op(B) is k×n: op(A) = A when transA is false (A stored
// m×k with row stride lda) and Aᵀ when it is true (A stored k×m); likewise
// op(B) with transB and ldb; C is m×n with row stride ldc. When beta is 0,
// C is overwritten without being read, so NaNs in it do not propagate.
//
// The result does not depend on GOMAXPROCS: work is split over output
// blocks only, and every element is summed over k in the same order.
//
// Gemm panics if a dimension is negative, a stride is smaller than the row
// it strides over, or a slice is too short for its shape.
func Gemm(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	checkGemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
	gemmRef(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func checkGemm(transA, transB bool, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic("kernels: negative dimension")
	}
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	checkMatrix("A", ar, ac, a, lda)
	checkMatrix("B", br, bc, b, ldb)
	checkMatrix("C", m, n, c, ldc)
}

func checkMatrix(name string, r, c int, s []float64, ld int) {
	if ld < max(c, 1) {
		panic("kernels: stride of " + name + " is smaller than its row length")
	}
	if r > 0 && c > 0 && len(s) < (r-1)*ld+c {
		panic("kernels: slice of " + name + " is too short for its shape")
	}
}

// gemmRef is the straightforward triple loop, the reference every other
// path is tested against.
func gemmRef(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	for i := range m {
		for j := range n {
			var s float64
			for p := range k {
				var x, y float64
				if transA {
					x = a[p*lda+i]
				} else {
					x = a[i*lda+p]
				}
				if transB {
					y = b[j*ldb+p]
				} else {
					y = b[p*ldb+j]
				}
				s += x * y
			}
			if beta == 0 {
				c[i*ldc+j] = alpha * s
			} else {
				c[i*ldc+j] = alpha*s + beta*c[i*ldc+j]
			}
		}
	}
}
