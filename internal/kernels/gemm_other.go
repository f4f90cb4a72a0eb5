//go:build !amd64

package kernels

func kernelAVX512(nr int, kc int, a, b []float64, ldb int, c []float64, ldc int, alpha, beta float64, useBeta bool) {
	panic("kernels: AVX-512 path on a machine without it")
}

func kernelAVX512InPlace(nr int, transA bool, kc int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int, alpha, beta float64, useBeta bool) {
	panic("kernels: AVX-512 path on a machine without it")
}

func kernelAVX2(kc int, a, b []float64, ldb int, c []float64, ldc int, alpha, beta float64, useBeta bool) {
	panic("kernels: AVX2 path on a machine without it")
}

// packColsVector has no vector form here: packCols does all the rows.
func packColsVector(dst []float64, w int, src []float64, ld, rows, kc int) int { return 0 }
