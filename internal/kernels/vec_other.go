//go:build !amd64

package kernels

func axpyRowsAVX2(c, w, b *float64, nj, d, n16 int)   { panic("unreachable") }
func expNegAVX2(dst, src *float64, a float64, n4 int) { panic("unreachable") }
func powAccAVX2(e, v, dv *float64, floor, rate float64, k uint, n4 int) {
	panic("unreachable")
}
func expNegAVX512(dst, src *float64, a float64, n8 int) { panic("unreachable") }
func powAccAVX512(e, v, dv *float64, floor, rate float64, k uint, n8 int) {
	panic("unreachable")
}
func biasReLUAVX2(x *float64, b float64, n8 int)     { panic("unreachable") }
func biasLeakyAVX2(x *float64, b, s float64, n8 int) { panic("unreachable") }
func reluGradAVX2(d, y, dy *float64, n8 int)         { panic("unreachable") }
func addBiasAVX2(x *float64, b float64, n8 int)      { panic("unreachable") }
func biasRowsAVX2(x, b *float64, w8, rows, ld int, kind int, s float64) {
	panic("unreachable")
}
func adamAVX2(p, gr, m, v *float64, n4 int, c *[8]float64) { panic("unreachable") }
