package kernels

// transpose8AVX512 sets dst[p·w+r] = src[r·ld+p] for r < 8 and p < n, n a
// multiple of 8.
//
//go:noescape
func transpose8AVX512(dst *float64, w int, src *float64, ld int, n int)

// packColsVector does what packCols does for the leading rows it can
// hand to a vector transpose, groups of eight rows over the leading
// multiple of eight of kc, and returns how many rows it packed in full.
func packColsVector(dst []float64, w int, src []float64, ld, rows, kc int) int {
	n := kc &^ 7
	if path < PathAVX512 || n == 0 || rows < 8 {
		return 0
	}
	r := 0
	for ; r+7 < rows; r += 8 {
		s := src[r*ld:]
		_, _ = s[7*ld+n-1], dst[(n-1)*w+r+7]
		transpose8AVX512(&dst[r], w, &s[0], ld, n)
		for i := range 8 {
			si := s[i*ld:][:kc]
			for p := n; p < kc; p++ {
				dst[p*w+r+i] = si[p]
			}
		}
	}
	return r
}
