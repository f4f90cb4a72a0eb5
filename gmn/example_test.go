package gmn_test

import (
	"context"
	"fmt"

	"github.com/variate/variate/fidelity"
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
