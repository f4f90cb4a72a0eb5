package compare

import (
	"context"

	"github.com/variate/variate/gmn"
	"github.com/variate/variate/target"
)

// The training budgets of the learned gmn rows: the quick suite keeps
// every cell to a second or two; the full suite trains long enough for
// KS distances near 0.02 on the 1-D targets.
const (
	gmnQuickSteps = 500
	gmnFullSteps  = 12000
	// gmn1DNoise is the noise dimension of the 1-D targets' generators.
	gmn1DNoise = 4
)

var gmnMethod = Method{
	Name:  "gmn",
	Kind:  KindLearned,
	needs: needs{exact: true},
	Doc:   "gmn.Train: 128-128 ReLU generator on uniform noise (4-D for a 1-D target) trained on √MMD² against exact draws",
	build: gmnBuild(gmn.RootMMD),
}

var gmnMomentsMethod = Method{
	Name:  "gmn-moments",
	Kind:  KindLearned,
	needs: needs{exact: true},
	Doc:   "gmn.Train with the moment-matching loss: mean and covariance only",
	build: gmnBuild(gmn.Moments),
}

// gmnConfig is the configuration of a gmn cell: gmn's defaults, with
// the step size quartered every quarter of the budget, bandwidths from 1/16 to
// 4 times the median distance (the small ones resolve the shape finely)
// and, for a 2-D or larger mixture of tight modes (ring, grid),
// bandwidths from 2 to 100 times the modes' spread so that the kernel
// sees each mode, and a step size of 3e-3. A 1-D target gets
// four-dimensional noise: a network fed one uniform coordinate must bend
// [−1, 1] into the quantile function, and training can settle on a map
// that flattens out well short of the tail (as one exponential seed of
// three did), while four coordinates mixed by the network give its output
// a tail of its own.
func gmnConfig(t *target.Target, loss gmn.Loss, steps int, seed uint64) *gmn.Config {
	c := &gmn.Config{Loss: loss, Steps: steps, Seed: seed, FidelityEvery: -1, NoBar: true,
		DecayEvery: max(steps/4, 1), DecayFactor: 0.25,
		BandwidthScales: []float64{1.0 / 16, 1.0 / 8, 1.0 / 4, 1.0 / 2, 1, 2, 4}}
	if t.Dim == 1 {
		c.Noise.Dim = gmn1DNoise
	}
	if t.Dim > 1 && len(t.Modes) > 0 {
		s := t.Modes[0].Sigma
		c.Bandwidths = []float64{2 * s, 5 * s, 10 * s, 20 * s, 50 * s, 100 * s}
		c.LR = 3e-3 // spreading over the grid's 25 modes is slow at 1e-3
	}
	return c
}

func gmnBuild(loss gmn.Loss) func(ctx context.Context, j job) (built, error) {
	return func(ctx context.Context, j job) (built, error) {
		steps := gmnQuickSteps
		if j.full {
			steps = gmnFullSteps
		}
		r, err := gmn.TrainWithHistory(ctx, gmn.FromSampler(j.target.Exact), gmnConfig(j.target, loss, steps, j.seed))
		if err != nil {
			return built{}, err
		}
		return built{sampler: r.Generator, steps: r.Steps}, nil
	}
}
