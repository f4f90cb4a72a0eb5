package compare

import (
	"context"
	"math/rand/v2"

	"github.com/variate/variate/mcmc"
	"github.com/variate/variate/target"
)

// The MCMC methods run numChains chains (ensembles, for the stretch move)
// with mcmc.Run, told nothing about the target but its log density; the
// chains start overdispersed, as the gonum peer's do.
var (
	amMethod = Method{
		Name:   "mcmc-am",
		Kind:   KindMCMC,
		needs:  needs{density: true},
		Doc:    "mcmc.AM: adaptive random-walk Metropolis (Haario 2001), covariance learned in warm-up",
		chains: mcmcRunner(mcmc.AM{}),
	}
	ramMethod = Method{
		Name:   "mcmc-ram",
		Kind:   KindMCMC,
		needs:  needs{density: true},
		Doc:    "mcmc.RAM: robust adaptive Metropolis (Vihola 2012), acceptance coerced to 0.234 (0.44 in 1-D)",
		chains: mcmcRunner(mcmc.RAM{}),
	}
	stretchMethod = Method{
		Name:   "mcmc-stretch",
		Kind:   KindMCMC,
		needs:  needs{density: true},
		Doc:    "mcmc.Stretch: affine-invariant ensemble stretch move (Goodman & Weare 2010), each walker a chain",
		chains: mcmcRunner(mcmc.Stretch{}),
	}
)

// mcmcRunner runs kernel k for about j.n kept draws in all.
func mcmcRunner(k mcmc.Kernel) func(ctx context.Context, j job) (*mcmc.Result, error) {
	return func(ctx context.Context, j job) (*mcmc.Result, error) {
		t := j.target
		q, err := autoProposal(t)
		if err != nil {
			return nil, err
		}
		init := func(rng *rand.Rand, _ int, x []float64) {
			if q.Sample(rng, x) != nil {
				x[0] = 0 // unreachable: the proposal's Sample does not fail
			}
		}
		walkers, err := walkersOf(ctx, t, k, init)
		if err != nil {
			return nil, err
		}
		perChain, warm := chainLengths(j.n / walkers)
		return mcmc.Run(ctx, t.LogDensity, t.Dim, k, &mcmc.Options{Chains: numChains, Warmup: warm, Draws: perChain, Seed: j.seed, Init: init})
	}
}

// walkersOf returns how many walkers each chain of kernel k has on t (1
// but for ensembles), by asking mcmc for a one-draw run, so that the
// harness shares a cell's draws out over the walkers without repeating
// the kernel's defaults.
func walkersOf(ctx context.Context, t *target.Target, k mcmc.Kernel, init mcmc.InitFunc) (int, error) {
	if _, ok := k.(mcmc.Stretch); !ok {
		return 1, nil
	}
	r, err := mcmc.Run(ctx, t.LogDensity, t.Dim, k, &mcmc.Options{Chains: 1, Warmup: -1, Draws: 1, Init: init})
	if err != nil {
		return 0, err
	}
	return r.Walkers, nil
}
