package compare

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"

	"github.com/variate/variate/mcmc"
	"github.com/variate/variate/target"
)

// numChains is the number of chains every MCMC method runs.
const numChains = 4

// warmFraction sets warm-up per chain as a fraction of its kept draws.
const warmFraction = 0.25

// maxTrace is how many draws of each chain's first coordinate a cell keeps
// for the trace and autocorrelation plots.
const maxTrace = 5000

// chainLengths splits about n kept draws over numChains chains and gives
// the warm-up per chain.
func chainLengths(n int) (perChain, warm int) {
	perChain = max(n/numChains, 50)
	return perChain, max(int(warmFraction*float64(perChain)), 100)
}

// fromChains checks what an MCMC method returned and fills in the cell's
// warm-up time, per-draw cost, R-hat and bulk ESS of the worst
// coordinate, ESS per second of sampling, acceptance and warnings, from
// the Result's own summaries and mcmc's limits. It returns the draws
// pooled for the fidelity measures, and the traces for the plots.
func fromChains(r *mcmc.Result, d int, c *Cell) (pooled []float64, traces [][]float64, err error) {
	if r == nil {
		return nil, nil, errors.New("method returned no result")
	}
	if r.Dim != d {
		return nil, nil, fmt.Errorf("chains have dimension %d, target %d", r.Dim, d)
	}
	if len(r.Draws) < 2 {
		return nil, nil, fmt.Errorf("method returned %d chains, need at least 2", len(r.Draws))
	}
	n := r.Len()
	for i, x := range r.Draws {
		if len(x) != n*d {
			return nil, nil, fmt.Errorf("chain %d has %d values, chain 0 has %d (dimension %d)", i, len(x), n*d, d)
		}
	}
	if n < 4 {
		return nil, nil, fmt.Errorf("chains of %d draws are too short to diagnose", n)
	}
	total := n * len(r.Draws)
	c.SetupMS = r.WarmupSeconds * 1e3
	if r.SampleSeconds > 0 {
		c.NsPerSample = r.SampleSeconds * 1e9 / float64(total)
	}
	c.Acceptance = r.Acceptance()
	var evals int64
	for _, s := range r.Stats {
		evals += s.Proposals
	}
	c.Info = map[string]float64{"warmup": float64(r.Warmup), "chains": float64(len(r.Draws)), "walkers": float64(r.Walkers), "evals": float64(evals)}

	// The worst coordinate is reported, since one stuck direction is
	// enough to make the draws unreliable.
	sums := r.Summary()
	c.RHat, c.ESSBulk = math.Inf(-1), math.Inf(1)
	for j, s := range sums {
		if math.IsNaN(s.RHat) || math.IsNaN(s.ESSBulk) {
			c.RHat, c.ESSBulk = math.NaN(), math.NaN()
			c.Warnings = append(c.Warnings, fmt.Sprintf("R-hat and ESS undefined for coordinate %d (every draw equal, or a draw is NaN)", j+1))
			break
		}
		c.RHat, c.ESSBulk = max(c.RHat, s.RHat), min(c.ESSBulk, s.ESSBulk)
	}
	if !math.IsNaN(c.ESSBulk) && r.SampleSeconds > 0 {
		c.ESSPerSec = c.ESSBulk / r.SampleSeconds
	}
	if c.RHat > mcmc.RHatLimit {
		c.Warnings = append(c.Warnings, fmt.Sprintf("R-hat %.3g above %v", c.RHat, mcmc.RHatLimit))
	}
	if c.ESSBulk < mcmc.ESSLimit {
		c.Warnings = append(c.Warnings, fmt.Sprintf("bulk ESS %.0f below %d", c.ESSBulk, mcmc.ESSLimit))
	}
	// The warnings about the chains rather than one coordinate's draws
	// (acceptance, NaN densities) are those Result.Summary adds to every
	// coordinate's diagnostics.
	own := mcmc.Summarize(r.Param(0)).Warnings
	for _, w := range sums[0].Warnings {
		if !slices.Contains(own, w) {
			c.Warnings = append(c.Warnings, w)
		}
	}

	traces = r.Param(0)
	for i := range traces {
		traces[i] = traces[i][:min(n, maxTrace)]
	}
	// Any prefix of the pool (the energy distance, MMD², mode coverage
	// and the plots use one) should draw from every chain and from the
	// whole length of each: Pooled interleaves the chains, and its
	// blocks of one draw per chain are taken in van der Corput order
	// (0, n/2, n/4, 3n/4, …). A plain prefix would judge only the
	// chains' first stretch.
	all := r.Pooled()
	block := len(r.Draws) * d
	pooled = make([]float64, 0, len(all))
	for _, k := range spreadOrder(n) {
		pooled = append(pooled, all[k*block:(k+1)*block]...)
	}
	return pooled, traces, nil
}

// spreadOrder returns 0, …, n−1 in van der Corput (bit-reversed) order,
// so that every prefix of it is spread evenly over [0, n).
func spreadOrder(n int) []int {
	width := 0
	for 1<<width < n {
		width++
	}
	out := make([]int, 0, n)
	for i := range 1 << width {
		// A shift by 32 gives 0, which covers n = 1.
		if k := int(bits.Reverse32(uint32(i)) >> (32 - width)); k < n {
			out = append(out, k)
		}
	}
	return out
}

// chainStarts draws k starting points for chains: from independent
// Student t (ν = 3) coordinates at the target's mean and 1.5 times its
// standard deviations — the same heavy-tailed, overdispersed law the
// computed-bound rejection proposes from — kept only where the density is
// finite. It does not use the target's exact sampler.
func chainStarts(t *target.Target, rng *rand.Rand, k int) ([][]float64, error) {
	q, err := autoProposal(t)
	if err != nil {
		return nil, err
	}
	starts := make([][]float64, 0, k)
	x := make([]float64, t.Dim)
	for tries := 0; len(starts) < k; tries++ {
		if tries > 1000*k {
			return nil, errors.New("found no starting point with a finite density in 1000 tries per chain")
		}
		if err := q.Sample(rng, x); err != nil {
			return nil, err
		}
		if lp := t.LogDensity(x); !math.IsNaN(lp) && !math.IsInf(lp, 0) {
			starts = append(starts, append([]float64(nil), x...))
		}
	}
	return starts, nil
}

// proposalScale is the random-walk step per coordinate that is optimal for
// a Gaussian target with the target's marginal variances (Roberts,
// Gelman & Gilks 1997: 2.38/√d standard deviations).
func proposalScale(t *target.Target) []float64 {
	s := make([]float64, t.Dim)
	for i := range s {
		sd := 1.0
		if t.Var != nil {
			sd = math.Sqrt(t.Var[i])
		}
		s[i] = 2.38 / math.Sqrt(float64(t.Dim)) * sd
	}
	return s
}
