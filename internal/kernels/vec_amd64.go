package kernels

// axpyRowsAVX2 sets c[k] += Σ_{j<nj} w[j]·b[j·d+k] for k < 16·n16.
//
//go:noescape
func axpyRowsAVX2(c, w, b *float64, nj, d, n16 int)

// expNegAVX2 sets dst[j] = exp(max(−a·src[j], ExpMin)) for j < 4·n4.
//
//go:noescape
func expNegAVX2(dst, src *float64, a float64, n4 int)

// powAccAVX2 adds p = max(e[j], floor)^k to v[j] and −rate·p to dv[j] for
// j < 4·n4 (k ≥ 1).
//
//go:noescape
func powAccAVX2(e, v, dv *float64, floor, rate float64, k uint, n4 int)

// biasReLUAVX2 is BiasReLU on the first 8·n8 elements of x.
//
//go:noescape
func biasReLUAVX2(x *float64, b float64, n8 int)

// biasLeakyAVX2 is BiasLeaky on the first 8·n8 elements of x.
//
//go:noescape
func biasLeakyAVX2(x *float64, b, s float64, n8 int)

// addBiasAVX2 is AddBias on the first 8·n8 elements of x.
//
//go:noescape
func addBiasAVX2(x *float64, b float64, n8 int)

// biasRowsAVX2 is BiasRows on the first 8·w8 columns of rows rows, ld
// apart; kind 0 adds the bias, 1 applies ReLU, 2 the leaky ReLU of slope
// s.
//
//go:noescape
func biasRowsAVX2(x, b *float64, w8, rows, ld int, kind int, s float64)

// expNegAVX512 is expNegAVX2 for j < 8·n8.
//
//go:noescape
func expNegAVX512(dst, src *float64, a float64, n8 int)

// powAccAVX512 is powAccAVX2 for j < 8·n8.
//
//go:noescape
func powAccAVX512(e, v, dv *float64, floor, rate float64, k uint, n8 int)

// reluGradAVX2 is ReLUGrad on the first 8·n8 elements.
//
//go:noescape
func reluGradAVX2(d, y, dy *float64, n8 int)

// adamAVX2 is Adam on the first 4·n4 elements; c holds β1, 1−β1, β2,
// 1−β2, LR, C1, C2 and ε.
//
//go:noescape
func adamAVX2(p, gr, m, v *float64, n4 int, c *[8]float64)
