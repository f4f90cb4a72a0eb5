package compare

import (
	"context"
	"fmt"

	"github.com/variate/variate/gan"
	"github.com/variate/variate/mcmc"
	"github.com/variate/variate/rejection"
	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

// The training budgets of the gan rows: the quick suite keeps every cell
// to a few seconds; the full suite trains for gan's default budget.
const (
	ganQuickSteps = 500
	ganFullSteps  = 10000
)

var ganMethod = Method{
	Name:  "gan",
	Kind:  KindLearned,
	needs: needs{exact: true},
	Doc:   "gan.Train: 128-128 generator and discriminator, non-saturating loss, Adam 2e-4 (β1 0.5), weight averaging",
	build: ganBuild(ganConfig(gan.NonSaturating, 1), nil),
}

var ganAbsMethod = Method{
	Name:  "gan-abs",
	Kind:  KindLearned,
	needs: needs{exact: true},
	Doc:   "gan.Train on the absolute-error game ½E_t[1 − D] + ½E_g[D]",
	build: ganBuild(ganConfig(gan.AbsoluteError, 1), nil),
}

var pacganMethod = Method{
	Name:  "pacgan",
	Kind:  KindLearned,
	needs: needs{exact: true},
	Doc:   "gan.Train with PacGAN2: the discriminator judges two draws at once",
	build: ganBuild(ganConfig(gan.NonSaturating, 2), nil),
}

var ganDRSMethod = Method{
	Name:  "gan-drs",
	Kind:  KindLearned,
	needs: needs{exact: true},
	Doc:   "the gan row's generator corrected by discriminator rejection sampling (γ at the 95th percentile)",
	build: ganBuild(ganConfig(gan.NonSaturating, 1), func(r *gan.Result, j job) (sampler.Sampler, error) {
		return gan.NewDRS(r.Generator, r.Discriminator, j.rng, &rejection.RatioOptions{GammaQuantile: 0.95})
	}),
}

var ganMHMethod = Method{
	Name:  "gan-mh",
	Kind:  KindLearned,
	needs: needs{exact: true},
	Doc:   "the gan row's generator corrected by Metropolis–Hastings GAN, 10 proposals per draw, started at an exact draw",
	build: ganBuild(ganConfig(gan.NonSaturating, 1), func(r *gan.Result, j job) (sampler.Sampler, error) {
		start, err := sampler.Draw(j.target.Exact, j.rng, 1)
		if err != nil {
			return nil, err
		}
		return gan.NewMH(r.Generator, r.Discriminator, start, &mcmc.RatioChainOptions{Thin: 10})
	}),
}

// ganConfig is the configuration of a gan cell: gan's defaults with the
// given loss and packing, and the step size halved every quarter of the
// budget.
func ganConfig(loss gan.Loss, pack int) func(t *target.Target, steps int, seed uint64) gan.Config {
	return func(t *target.Target, steps int, seed uint64) gan.Config {
		return gan.Config{Loss: loss, Pack: pack, Steps: steps, Seed: seed, NoBar: true,
			DecayEvery: max(steps/4, 1), DecayFactor: 0.5}
	}
}

// ganBuild trains a generator and, if correct is set, wraps it in a
// corrected sampler.
func ganBuild(cfg func(*target.Target, int, uint64) gan.Config, correct func(*gan.Result, job) (sampler.Sampler, error)) func(ctx context.Context, j job) (built, error) {
	return func(ctx context.Context, j job) (built, error) {
		steps := ganQuickSteps
		if j.full {
			steps = ganFullSteps
		}
		r, err := gan.Fit(ctx, gan.FromSampler(j.target.Exact), cfg(j.target, steps, j.seed))
		if err != nil {
			return built{}, err
		}
		b := built{sampler: r.Generator, steps: r.Steps}
		if len(r.Warnings) > 0 {
			b.info = map[string]float64{"saturated_at": float64(r.Warnings[0].Step)}
		}
		if correct != nil {
			if b.sampler, err = correct(r, j); err != nil {
				return built{}, fmt.Errorf("correcting the generator: %w", err)
			}
		}
		return b, nil
	}
}
