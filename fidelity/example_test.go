package fidelity_test

import (
	"fmt"

	"github.com/variate/variate/fidelity"
	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

func ExampleKS() {
	tg := target.Gamma()
	x, _ := sampler.Draw(tg.Exact, sampler.NewRand(1), 10000)
	d, p, err := fidelity.KS(x, tg.CDF)
	if err != nil {
		panic(err)
	}
	fmt.Printf("D = %.4f, p = %.2f\n", d, p)
	// Output: D = 0.0093, p = 0.36
}

func ExampleModes() {
	ring := target.Ring()
	x, _ := sampler.Draw(ring.Exact, sampler.NewRand(1), 2500)
	st, err := fidelity.Modes(x, 2, ring.Modes)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d of %d modes, %.0f%% high quality\n", st.Covered, st.Total, 100*st.HighQuality)
	// Output: 8 of 8 modes, 99% high quality
}

// Many samples against one reference: the reference's projections are
// sorted once, and each sample's distance costs only its own.
func ExampleSlicedReference() {
	ring := target.Ring()
	ref, _ := sampler.Draw(ring.Exact, sampler.NewRand(1), 20000)
	sr, err := fidelity.NewSlicedReference(ref, 2, 50, sampler.NewRand(2))
	if err != nil {
		panic(err)
	}
	same, _ := sampler.Draw(ring.Exact, sampler.NewRand(3), 5000)
	grid := target.Grid()
	other, _ := sampler.Draw(grid.Exact, sampler.NewRand(4), 5000)
	for _, x := range [][]float64{same, other} {
		d, err := sr.Distance(x)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%.2f\n", d)
	}
	// Output:
	// 0.01
	// 1.78
}

// A quantile reference evaluates the quantile function once for samples
// of one size.
func ExampleQuantileReference() {
	tg := target.StudentT()
	qr, err := fidelity.NewQuantileReference(tg.Quantile, 10000)
	if err != nil {
		panic(err)
	}
	for seed := range uint64(2) {
		x, _ := sampler.Draw(tg.Exact, sampler.NewRand(seed), 10000)
		w, err := qr.Wasserstein1(x)
		if err != nil {
			panic(err)
		}
		fmt.Printf("W1 = %.3f\n", w)
	}
	// Output:
	// W1 = 0.035
	// W1 = 0.045
}
