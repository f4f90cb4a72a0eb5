package gan

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/variate/variate/generator"
	"github.com/variate/variate/mcmc"
	"github.com/variate/variate/rejection"
)

// NewDRS returns discriminator rejection sampling (Azadi et al. 2019):
// draws of g kept with a probability computed from the discriminator's
// estimate of log(p_t/p_g), by rejection.NewRatio with the options opts
// (nil: its defaults) and pilot draws made with rng. Azadi et al. use a
// γ quantile of 0.95; the default γ = 0 is plain rejection against the
// estimated bound. The sampler is safe for concurrent use.
func NewDRS(g *generator.Generator, d *Discriminator, rng *rand.Rand, opts *rejection.RatioOptions) (*rejection.RatioSampler, error) {
	if err := match(g, d); err != nil {
		return nil, err
	}
	return rejection.NewRatio(g, d.LogRatio, rng, opts)
}

// NewMH returns Metropolis–Hastings GAN (Turner et al. 2019): an
// independence chain with proposals from g accepted with probability
// min(1, (1/D(x) − 1)/(1/D(x′) − 1)), by mcmc.NewRatioChain, started at
// start, a real draw (the chain returns nothing until it first moves
// from it). Turner et al. calibrate the discriminator first on held-out
// data; see Discriminator.Calibrate. The chain is not safe for
// concurrent use.
func NewMH(g *generator.Generator, d *Discriminator, start []float64, opts *mcmc.RatioChainOptions) (*mcmc.RatioChain, error) {
	if err := match(g, d); err != nil {
		return nil, err
	}
	return mcmc.NewRatioChain(g, d.LogRatio, start, opts)
}

func match(g *generator.Generator, d *Discriminator) error {
	if g == nil || d == nil {
		return errors.New("gan: nil generator or discriminator")
	}
	if g.Dim() != d.Dim() {
		return fmt.Errorf("gan: the generator draws %d coordinates; the discriminator judges %d", g.Dim(), d.Dim())
	}
	return nil
}
