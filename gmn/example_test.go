package gmn_test

import (
	"context"
	"fmt"
	"math"

	"github.com/variate/variate/fidelity"
	"github.com/variate/variate/generator"
	"github.com/variate/variate/gmn"
	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

// A generator learns the bimodal target from its exact draws: the
// quantile function the seed's transform method would need, found from
// samples alone. MMD sees both modes; matching two moments does not.
func Example() {
	t := target.Bimodal()
	for _, loss := range []gmn.Loss{gmn.RootMMD, gmn.Moments} {
		cfg := &gmn.Config{Loss: loss, Steps: 500,
			Seed: 1, FidelityEvery: -1, NoBar: true}
		g, err := gmn.Train(context.Background(), gmn.FromSampler(t.Exact), cfg)
		if err != nil {
			fmt.Println(err)
			return
		}
		x, _ := sampler.Draw(g, sampler.NewRand(2), 4000)
		ks, _, _ := fidelity.KS(x, t.CDF)
		fmt.Printf("%-9s KS distance %.2f\n", loss, ks)
	}
	// Output:
	// sqrt-mmd2 KS distance 0.05
	// moments   KS distance 0.22
}

// GMMN+AE (Li et al. 2015) on points of a curve in three dimensions,
// (u, u², 1 − u): an autoencoder finds a one-number code for them, a
// generator learns the codes, and the decoder turns its draws back into
// points, which lie on the curve.
func ExampleAutoencoder_Decoder() {
	ctx := context.Background()
	rng := sampler.NewRand(1)
	rows := make([]float64, 0, 3*2000)
	for range 2000 {
		u := rng.Float64()
		rows = append(rows, u, u*u, 1-u)
	}
	data, err := gmn.FromRows(rows, 3)
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := gmn.TrainAutoencoder(ctx, data, &gmn.AutoencoderConfig{Hidden: []int{16}, Code: 1,
		Output: generator.SigmoidOutput, Batch: 50, Steps: 2000, LR: 3e-3, Seed: 1, FidelityEvery: -1, NoBar: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	ae := r.Autoencoder
	codes, _ := ae.Encode(rows)
	cd, _ := gmn.FromRows(codes, ae.Code())
	g, err := gmn.Train(ctx, cd, &gmn.Config{Output: generator.SigmoidOutput, Steps: 500, Seed: 1, FidelityEvery: -1, NoBar: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	full, _ := ae.Decoder(g)
	x, _ := sampler.Draw(full, sampler.NewRand(2), 1000)
	var off float64
	for i := 0; i < len(x); i += 3 {
		off += math.Abs(x[i+1]-x[i]*x[i]) + math.Abs(x[i+2]-(1-x[i]))
	}
	fmt.Printf("%d-D draws from a %d-D code; mean distance from the curve %.2f\n", full.Dim(), ae.Code(), off/1000)
	// Output:
	// 3-D draws from a 1-D code; mean distance from the curve 0.01
}
