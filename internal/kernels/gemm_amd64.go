package kernels

//go:generate go run ./_gen -out gemm_amd64.s

// gemm8x24AVX512 sets the 8×24 tile at c to alpha times the product of the
// packed panels a (kc×8) and b (kc×24), plus beta·c in one rounding when
// useBeta is not 0. It ignores ldb.
//
//go:noescape
func gemm8x24AVX512(kc int, a, b *float64, ldb int, c *float64, ldc int, alpha, beta float64, useBeta int)

// gemm8x24AVX512Strided is gemm8x24AVX512 reading b in place, its rows
// ldb apart.
//
//go:noescape
func gemm8x24AVX512Strided(kc int, a, b *float64, ldb int, c *float64, ldc int, alpha, beta float64, useBeta int)

// gemm8x16AVX512 is gemm8x24AVX512 for an 8×16 tile.
//
//go:noescape
func gemm8x16AVX512(kc int, a, b *float64, ldb int, c *float64, ldc int, alpha, beta float64, useBeta int)

// gemm8x16AVX512Strided is gemm8x16AVX512 reading b in place, its rows
// ldb apart.
//
//go:noescape
func gemm8x16AVX512Strided(kc int, a, b *float64, ldb int, c *float64, ldc int, alpha, beta float64, useBeta int)

// gemm8x8AVX512 is gemm8x24AVX512 for an 8×8 tile.
//
//go:noescape
func gemm8x8AVX512(kc int, a, b *float64, ldb int, c *float64, ldc int, alpha, beta float64, useBeta int)

// gemm8x8AVX512Strided is gemm8x8AVX512 reading b in place, its rows
// ldb apart.
//
//go:noescape
func gemm8x8AVX512Strided(kc int, a, b *float64, ldb int, c *float64, ldc int, alpha, beta float64, useBeta int)

// The kernels named …ARows and …ACols are those above reading A in
// place instead of a packed panel, lda apart: ARows with row r of the
// tile at a + r·lda and its k values along the row (A not transposed),
// ACols with the 8 values of each k together and k after k lda apart (A
// transposed).
//
//go:noescape
func gemm8x24AVX512ARows(kc int, a, b *float64, ldb int, c *float64, ldc int, alpha, beta float64, useBeta, lda int)

//go:noescape
func gemm8x24AVX512ARowsStrided(kc int, a, b *float64, ldb int, c *float64, ldc int, alpha, beta float64, useBeta, lda int)

//go:noescape
func gemm8x24AVX512ACols(kc int, a, b *float64, ldb int, c *float64, ldc int, alpha, beta float64, useBeta, lda int)

//go:noescape
func gemm8x24AVX512AColsStrided(kc int, a, b *float64, ldb int, c *float64, ldc int, alpha, beta float64, useBeta, lda int)

//go:noescape
func gemm8x16AVX512ARows(kc int, a, b *float64, ldb int, c *float64, ldc int, alpha, beta float64, useBeta, lda int)

//go:noescape
func gemm8x16AVX512ARowsStrided(kc int, a, b *float64, ldb int, c *float64, ldc int, alpha, beta float64, useBeta, lda int)

//go:noescape
func gemm8x16AVX512ACols(kc int, a, b *float64, ldb int, c *float64, ldc int, alpha, beta float64, useBeta, lda int)

//go:noescape
func gemm8x16AVX512AColsStrided(kc int, a, b *float64, ldb int, c *float64, ldc int, alpha, beta float64, useBeta, lda int)

//go:noescape
func gemm8x8AVX512ARows(kc int, a, b *float64, ldb int, c *float64, ldc int, alpha, beta float64, useBeta, lda int)

//go:noescape
func gemm8x8AVX512ARowsStrided(kc int, a, b *float64, ldb int, c *float64, ldc int, alpha, beta float64, useBeta, lda int)

//go:noescape
func gemm8x8AVX512ACols(kc int, a, b *float64, ldb int, c *float64, ldc int, alpha, beta float64, useBeta, lda int)

//go:noescape
func gemm8x8AVX512AColsStrided(kc int, a, b *float64, ldb int, c *float64, ldc int, alpha, beta float64, useBeta, lda int)

// gemm6x8AVX2 is gemm8x24AVX512 for a 6×8 tile with AVX2 and FMA.
//
//go:noescape
func gemm6x8AVX2(kc int, a, b *float64, ldb int, c *float64, ldc int, alpha, beta float64, useBeta int)

// gemm6x8AVX2Strided is gemm6x8AVX2 reading b in place, its rows ldb
// apart.
//
//go:noescape
func gemm6x8AVX2Strided(kc int, a, b *float64, ldb int, c *float64, ldc int, alpha, beta float64, useBeta int)

// packedKernels are the AVX-512 kernels that read a packed panel of A,
// by tile (8×24, 8×16, 8×8), then B's form (packed, strided).
var packedKernels = [3][2]func(kc int, a, b *float64, ldb int, c *float64, ldc int, alpha, beta float64, useBeta int){
	{gemm8x24AVX512, gemm8x24AVX512Strided},
	{gemm8x16AVX512, gemm8x16AVX512Strided},
	{gemm8x8AVX512, gemm8x8AVX512Strided},
}

// kernelAVX512 runs the AVX-512 tile 8×nr (nr 24, 16 or 8) on a packed
// panel a, and b packed (ldb = nr) or read in place.
func kernelAVX512(nr int, kc int, a, b []float64, ldb int, c []float64, ldc int, alpha, beta float64, useBeta bool) {
	_ = a[8*kc-1]
	tile, strided := tileForms(nr, kc, b, ldb, c, ldc)
	packedKernels[tile][strided](kc, &a[0], &b[0], ldb, &c[0], ldc, alpha, beta, boolInt(useBeta))
}

// tileForms checks b and c against an 8×nr tile of depth kc and returns
// the index of the tile (24, 16, 8 → 0, 1, 2) and of B's form (0 packed,
// ldb = nr; 1 read in place).
func tileForms(nr, kc int, b []float64, ldb int, c []float64, ldc int) (tile, strided int) {
	_, _ = b[(kc-1)*ldb+nr-1], c[7*ldc+nr-1]
	if ldb != nr {
		strided = 1
	}
	return (24 - nr) / 8, strided
}

// inPlaceKernels are the AVX-512 kernels that read A in place, by tile
// (8×24, 8×16, 8×8), then A's form (ARows, ACols), then B's (packed,
// strided).
var inPlaceKernels = [3][2][2]func(kc int, a, b *float64, ldb int, c *float64, ldc int, alpha, beta float64, useBeta, lda int){
	{{gemm8x24AVX512ARows, gemm8x24AVX512ARowsStrided}, {gemm8x24AVX512ACols, gemm8x24AVX512AColsStrided}},
	{{gemm8x16AVX512ARows, gemm8x16AVX512ARowsStrided}, {gemm8x16AVX512ACols, gemm8x16AVX512AColsStrided}},
	{{gemm8x8AVX512ARows, gemm8x8AVX512ARowsStrided}, {gemm8x8AVX512ACols, gemm8x8AVX512AColsStrided}},
}

// kernelAVX512InPlace is kernelAVX512 reading A in place, lda apart,
// transposed when transA.
func kernelAVX512InPlace(nr int, transA bool, kc int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int, alpha, beta float64, useBeta bool) {
	form := 0
	if transA {
		form = 1
		_ = a[(kc-1)*lda+7]
	} else {
		_ = a[7*lda+kc-1]
	}
	tile, strided := tileForms(nr, kc, b, ldb, c, ldc)
	inPlaceKernels[tile][form][strided](kc, &a[0], &b[0], ldb, &c[0], ldc, alpha, beta, boolInt(useBeta), lda)
}

func kernelAVX2(kc int, a, b []float64, ldb int, c []float64, ldc int, alpha, beta float64, useBeta bool) {
	_, _, _ = a[6*kc-1], b[(kc-1)*ldb+7], c[5*ldc+7]
	if ldb == 8 {
		gemm6x8AVX2(kc, &a[0], &b[0], ldb, &c[0], ldc, alpha, beta, boolInt(useBeta))
		return
	}
	gemm6x8AVX2Strided(kc, &a[0], &b[0], ldb, &c[0], ldc, alpha, beta, boolInt(useBeta))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
