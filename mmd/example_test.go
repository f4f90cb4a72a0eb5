package mmd_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/variate/variate/mmd"
	"github.com/variate/variate/sampler"
)

// normals returns n points of a d-dimensional normal with the given mean in
// every coordinate and unit variances.
func normals(rng *rand.Rand, n, d int, mean float64) []float64 {
	p := make([]float64, n*d)
	for i := range p {
		p[i] = mean + rng.NormFloat64()
	}
	return p
}

// Compare two 2-D samples with the GMMN kernel, reusing one Estimator.
func Example() {
	rng := sampler.NewRand(1)
	x := normals(rng, 500, 2, 0)
	same := normals(rng, 500, 2, 0)
	shifted := normals(rng, 500, 2, 0.5)

	k, err := mmd.GaussianSum(0.2, 0.5, 1, 2, 5)
	if err != nil {
		panic(err)
	}
	e, err := mmd.NewEstimator(k, 2, nil)
	if err != nil {
		panic(err)
	}
	a, _ := e.Unbiased(x, same)
	b, _ := e.Unbiased(x, shifted)
	fmt.Printf("same distribution:  %.3f\n", a)
	fmt.Printf("shifted by 0.5:     %.3f\n", b)
	// Output:
	// same distribution:  0.002
	// shifted by 0.5:     0.139
}

// The gradient with respect to the generated points is what a generative
// matching network follows: a step against it lowers the MMD².
func ExampleEstimator_UnbiasedGrad() {
	rng := sampler.NewRand(2)
	target := normals(rng, 200, 1, 0)
	gen := normals(rng, 200, 1, 1)
	k, _ := mmd.Gaussian(1)
	e, _ := mmd.NewEstimator(k, 1, nil)
	grad := make([]float64, len(gen))
	for step := range 3 {
		v, _ := e.UnbiasedGrad(gen, target, grad)
		fmt.Printf("step %d: MMD² %.4f\n", step, v)
		for i := range gen {
			gen[i] -= 100 * grad[i]
		}
	}
	// Output:
	// step 0: MMD² 0.2387
	// step 1: MMD² 0.1251
	// step 2: MMD² 0.0741
}

// A permutation test of equal distributions, with the median bandwidth.
func ExampleTest() {
	rng := sampler.NewRand(3)
	x := normals(rng, 200, 2, 0)
	y := normals(rng, 200, 2, 0.4)
	sigma, _ := mmd.MedianBandwidth(x, y, 2)
	k, _ := mmd.Gaussian(sigma)
	r, err := mmd.Test(k, x, y, 2, rng, nil)
	if err != nil {
		panic(err)
	}
	fmt.Printf("σ = %.2f, MMD² = %.4f, p = %.4f over %d permutations\n", sigma, r.Statistic, r.PValue, r.Permutations)
	// Output: σ = 1.77, MMD² = 0.0373, p = 0.0010 over 1000 permutations
}

// With the distance kernel the MMD² is the energy distance.
func ExampleDistance() {
	x := []float64{0, 1}
	y := []float64{3, 4}
	v, _ := mmd.Unbiased(mmd.Distance(), x, y, 1)
	// 2·mean|x−y| − mean|x−x'| − mean|y−y'| = 2·3 − 1 − 1
	fmt.Println(v)
	// Output: 4
}
