package compare

import (
	"context"
	"fmt"
	"time"

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
	build: ganBuild(ganConfig(gan.NonSaturating, 1), "gan", nil),
}

var ganAbsMethod = Method{
	Name:  "gan-abs",
	Kind:  KindLearned,
	needs: needs{exact: true},
	Doc:   "gan.Train on the absolute-error game ½E_t[1 − D] + ½E_g[D]",
	build: ganBuild(ganConfig(gan.AbsoluteError, 1), "", nil),
}

var pacganMethod = Method{
	Name:  "pacgan",
	Kind:  KindLearned,
	needs: needs{exact: true},
	Doc:   "gan.Train with PacGAN2: the discriminator judges two draws at once",
	build: ganBuild(ganConfig(gan.NonSaturating, 2), "", nil),
}

var ganDRSMethod = Method{
	Name:  "gan-drs",
	Kind:  KindLearned,
	needs: needs{exact: true},
	Doc:   "the gan row's generator corrected by discriminator rejection sampling (γ at the 95th percentile)",
	build: ganBuild(ganConfig(gan.NonSaturating, 1), "gan", func(r *gan.Result, j job) (sampler.Sampler, error) {
		return gan.NewDRS(r.Generator, r.Discriminator, j.rng, &rejection.RatioOptions{GammaQuantile: 0.95})
	}),
}

var ganMHMethod = Method{
	Name:  "gan-mh",
	Kind:  KindLearned,
	needs: needs{exact: true},
	Doc:   "the gan row's generator corrected by Metropolis–Hastings GAN, 10 proposals per draw, started at an exact draw",
	build: ganBuild(ganConfig(gan.NonSaturating, 1), "gan", func(r *gan.Result, j job) (sampler.Sampler, error) {
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
// corrected sampler. Methods that name the same model in share train it
// with the seed of that method's cell, so that gan-drs and gan-mh correct
// the very generator of the gan row; within a Run it is trained once and
// its training time counted in the setup of every cell that uses it.
func ganBuild(cfg func(*target.Target, int, uint64) gan.Config, share string, correct func(*gan.Result, job) (sampler.Sampler, error)) func(ctx context.Context, j job) (built, error) {
	return func(ctx context.Context, j job) (built, error) {
		steps := ganQuickSteps
		if j.full {
			steps = ganFullSteps
		}
		seed := j.seed
		if share != "" {
			seed = cellSeed(j.base, j.target.Name, share)
		}
		train := func() (*gan.Result, error) {
			return gan.Fit(ctx, gan.FromSampler(j.target.Exact), cfg(j.target, steps, seed))
		}
		var r *gan.Result
		var err error
		var sharedMS float64
		if share != "" && j.models != nil {
			r, sharedMS, err = j.models.ganResult(share+"/"+j.target.Name, train)
		} else {
			r, err = train()
		}
		if err != nil {
			return built{}, err
		}
		b := built{sampler: r.Generator, steps: r.Steps, sharedMS: sharedMS}
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

// A modelCache holds the trained models of one Run that several cells
// share, with the time each took to train.
type modelCache struct {
	gans map[string]cachedGAN
}

type cachedGAN struct {
	r  *gan.Result
	ms float64
}

func newModelCache() *modelCache { return &modelCache{gans: map[string]cachedGAN{}} }

// ganResult returns the model cached under key, or trains, caches and
// returns it; sharedMS is its training time when it came from the cache
// (0 when trained by this call, whose build is timed already). A failed
// training is not cached.
func (mc *modelCache) ganResult(key string, train func() (*gan.Result, error)) (r *gan.Result, sharedMS float64, err error) {
	if c, ok := mc.gans[key]; ok {
		return c.r, c.ms, nil
	}
	start := time.Now()
	if r, err = train(); err != nil {
		return nil, 0, err
	}
	mc.gans[key] = cachedGAN{r: r, ms: float64(time.Since(start).Nanoseconds()) / 1e6}
	return r, 0, nil
}
