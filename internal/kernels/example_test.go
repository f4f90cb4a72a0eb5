package kernels_test

import (
	"fmt"

	"github.com/variate/variate/internal/kernels"
)

// A 2×3 matrix times a 3×2 matrix, and the same A times the transpose of
// a 2×3 matrix stored row after row.
func ExampleGemm() {
	a := []float64{1, 2, 3, 4, 5, 6}
	b := []float64{7, 8, 9, 10, 11, 12}
	c := make([]float64, 4)
	kernels.Gemm(false, false, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2)
	fmt.Println(c)
	kernels.Gemm(false, true, 2, 2, 3, 1, a, 3, b, 3, 0, c, 2)
	fmt.Println(c)
	// Output:
	// [58 64 139 154]
	// [50 68 122 167]
}

// The clamped exponential: below ExpMin every value is e^ExpMin.
func ExampleExpNeg() {
	dst := make([]float64, 3)
	kernels.ExpNeg(dst, []float64{0, 1, 1000}, 2)
	fmt.Printf("%.6f %.6f %.3g\n", dst[0], dst[1], dst[2])
	// Output: 1.000000 0.135335 3.31e-308
}
