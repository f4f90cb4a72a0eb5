package compare

import (
	"errors"

	"github.com/variate/variate/fidelity"
	"github.com/variate/variate/mmd"
	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

// A refSet is what the measures of one target compare a cell's draws
// with, for one number of draws n: the exact reference draws and what is
// derived from them alone (the sorted projections of the sliced distance,
// the MMD² kernel, the quantile function at the nodes of the 1-D
// Wasserstein-1). Every cell of a target measures against the same set,
// so a Run makes it once per target: the cells' figures are those a fresh
// set gives, bit for bit, and the quantile functions and sorts that cost
// seconds per cell (Student-t's quantile, 50 sorts of 10⁵ projections) are
// paid once.
type refSet struct {
	name   string
	seed   uint64
	n      int
	points []float64
	kern   mmd.Kernel                  // d > 1
	sliced *fidelity.SlicedReference   // d > 1
	quant  *fidelity.QuantileReference // d = 1 with a quantile function
}

// refCache keeps the newest refSet of a Run. Run measures target after
// target, so one set is enough, and the memory of the previous target's
// (a few hundred megabytes at the full suite's n) is let go.
type refCache struct{ last *refSet }

// refsFor returns the reference set of t for n draws, from the cache when
// it has it (rc may be nil: the set is then made afresh).
func (rc *refCache) refsFor(t *target.Target, cfg Config, n int) (*refSet, error) {
	if rc != nil && rc.last != nil && rc.last.name == t.Name && rc.last.seed == cfg.Seed && rc.last.n == n {
		return rc.last, nil
	}
	r, err := newRefSet(t, cfg, n)
	if err != nil {
		return nil, err
	}
	if rc != nil {
		rc.last = r
	}
	return r, nil
}

func newRefSet(t *target.Target, cfg Config, n int) (*refSet, error) {
	if t.Exact == nil {
		return nil, errors.New("target has no exact sampler to compare with")
	}
	d := t.Dim
	points, err := sampler.Draw(t.Exact, sampler.NewRand(cellSeed(cfg.Seed, t.Name, "reference")), n)
	if err != nil {
		return nil, err
	}
	r := &refSet{name: t.Name, seed: cfg.Seed, n: n, points: points}
	if d == 1 {
		if t.Quantile != nil {
			if r.quant, err = fidelity.NewQuantileReference(t.Quantile, n); err != nil {
				return nil, err
			}
		}
		return r, nil
	}
	// MMD² (unbiased) with a sum of Gaussian kernels at 1/8 to 2 times
	// the median-heuristic bandwidth of the exact draws, so that both the
	// overall shape and narrow modes count.
	k := min(n, energyN)
	bw, err := mmd.MedianBandwidth(points[:k*d], points[:k*d], d)
	if err != nil {
		return nil, err
	}
	if r.kern, err = mmd.GaussianSum(bw/8, bw/4, bw/2, bw, 2*bw); err != nil {
		return nil, err
	}
	rng := sampler.NewRand(cellSeed(cfg.Seed, t.Name, "projections"))
	if r.sliced, err = fidelity.NewSlicedReference(points, d, projections, rng); err != nil {
		return nil, err
	}
	return r, nil
}
