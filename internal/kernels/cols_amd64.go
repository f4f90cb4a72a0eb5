package kernels

// dist2ColsAVX512 is Dist2Cols for the first n vectors of eight points,
// with d = len(a).
//
//go:noescape
func dist2ColsAVX512(r2, a, bt *float64, d, ld, n int)

// dist2ColsAVX2 is Dist2Cols for the first n vectors of four points.
//
//go:noescape
func dist2ColsAVX2(r2, a, bt *float64, d, ld, n int)

// gradColAVX512 is gradCol for the first n vectors of eight; gt may be
// nil.
//
//go:noescape
func gradColAVX512(w, b, gt *float64, a, coef float64, n int) float64

// gradColAVX2 is gradCol for the first n vectors of four; gt may be nil.
//
//go:noescape
func gradColAVX2(w, b, gt *float64, a, coef float64, n int) float64

// gaussPowAVX512 is GaussPowSum for j < 8·n8: it writes dv and adds the
// values to the partial sums s in sum4Acc's order.
//
//go:noescape
func gaussPowAVX512(r2, dv, prog *float64, plen, n8 int, s *[4]float64)
