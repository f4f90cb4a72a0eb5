package kernels

//go:generate go run ./_gen -out gemm_amd64.s

// gemm8x24AVX512 sets the 8×24 tile at c to alpha times the product of the
// packed panels a (kc×8) and b (kc×24), plus beta·c in one rounding when
// useBeta is not 0.
//
//go:noescape
func gemm8x24AVX512(kc int, a, b, c *float64, ldc int, alpha, beta float64, useBeta int)

// gemm6x8AVX2 is gemm8x24AVX512 for a 6×8 tile with AVX2 and FMA.
//
//go:noescape
func gemm6x8AVX2(kc int, a, b, c *float64, ldc int, alpha, beta float64, useBeta int)

func kernelAVX512(kc int, a, b, c []float64, ldc int, alpha, beta float64, useBeta bool) {
	_, _, _ = a[8*kc-1], b[24*kc-1], c[7*ldc+23]
	gemm8x24AVX512(kc, &a[0], &b[0], &c[0], ldc, alpha, beta, boolInt(useBeta))
}

func kernelAVX2(kc int, a, b, c []float64, ldc int, alpha, beta float64, useBeta bool) {
	_, _, _ = a[6*kc-1], b[8*kc-1], c[5*ldc+7]
	gemm6x8AVX2(kc, &a[0], &b[0], &c[0], ldc, alpha, beta, boolInt(useBeta))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
