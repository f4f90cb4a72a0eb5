//go:build !amd64

package kernels

func dist2ColsAVX512(r2, a, bt *float64, d, ld, n int) { panic("unreachable") }
func dist2ColsAVX2(r2, a, bt *float64, d, ld, n int)   { panic("unreachable") }
func gradColAVX512(w, b, gt *float64, a, coef float64, n int) float64 {
	panic("unreachable")
}
func gradColAVX2(w, b, gt *float64, a, coef float64, n int) float64 {
	panic("unreachable")
}
func gaussPowAVX512(r2, dv, prog *float64, plen, n8 int, s *[4]float64) {
	panic("unreachable")
}
