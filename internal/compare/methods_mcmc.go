package compare

import (
	"context"
	"math/rand/v2"

	"github.com/variate/variate/mcmc"
	"github.com/variate/variate/target"
)

// The MCMC methods run NumChains chains (ensembles, for the stretch move)
// with mcmc.Run, told nothing about the target but its log density; the
// chains start overdispersed, as the gonum peer's do.
var (
	amMethod = Method{
		Name:  "mcmc-am",
		Kind:  KindMCMC,
		Needs: Needs{Density: true},
		Doc:   "mcmc.AM: adaptive random-walk Metropolis (Haario 2001), covariance learned in warm-up",
		Run:   mcmcRunner(mcmc.AM{}),
	}
	ramMethod = Method{
		Name:  "mcmc-ram",
		Kind:  KindMCMC,
		Needs: Needs{Density: true},
		Doc:   "mcmc.RAM: robust adaptive Metropolis (Vihola 2012), acceptance coerced to 0.234 (0.44 in 1-D)",
		Run:   mcmcRunner(mcmc.RAM{}),
	}
	stretchMethod = Method{
		Name:  "mcmc-stretch",
		Kind:  KindMCMC,
		Needs: Needs{Density: true},
		Doc:   "mcmc.Stretch: affine-invariant ensemble stretch move (Goodman & Weare 2010), each walker a chain",
		Run:   mcmcRunner(mcmc.Stretch{}),
	}
)

// mcmcRunner runs kernel k for about n kept draws in all.
func mcmcRunner(k mcmc.Kernel) func(ctx context.Context, t *target.Target, n int, seed uint64) (Chains, error) {
	return func(ctx context.Context, t *target.Target, n int, seed uint64) (Chains, error) {
		q, err := autoProposal(t)
		if err != nil {
			return Chains{}, err
		}
		walkers := 1
		if s, ok := k.(mcmc.Stretch); ok {
			walkers = s.Walkers
			if walkers == 0 {
				walkers = max(8, 4*t.Dim)
				walkers += walkers % 2
			}
		}
		perChain, warm := chainLengths(n / walkers)
		init := func(rng *rand.Rand, _ int, x []float64) {
			if q.Sample(rng, x) != nil {
				x[0] = 0 // unreachable: the proposal's Sample does not fail
			}
		}
		r, err := mcmc.Run(ctx, t.LogDensity, t.Dim, k, &mcmc.Options{Chains: NumChains, Warmup: warm, Draws: perChain, Seed: seed, Init: init})
		if err != nil {
			return Chains{}, err
		}
		var evals float64
		for _, s := range r.Stats {
			evals += float64(s.Proposals)
		}
		return Chains{
			Draws:       r.Draws,
			Seconds:     r.SampleSeconds,
			WarmSeconds: r.WarmupSeconds,
			Info: map[string]float64{
				"acceptance": r.Acceptance(), "warmup": float64(warm), "chains": float64(len(r.Draws)),
				"walkers": float64(r.Walkers), "evals": evals,
			},
		}, nil
	}
}
