package compare

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"

	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

// NumChains is the number of chains every MCMC method runs.
const NumChains = 4

// warmFraction sets warm-up per chain as a fraction of its kept draws.
const warmFraction = 0.25

// chainLengths splits about n kept draws over NumChains chains and gives
// the warm-up per chain.
func chainLengths(n int) (perChain, warm int) {
	perChain = max(n/NumChains, 50)
	return perChain, max(int(warmFraction*float64(perChain)), 100)
}

// runChains runs an MCMC method, checks what it returned, and fills in the
// cell's R-hat, bulk ESS, ESS per second of sampling and the per-draw cost.
// It returns the chains' draws pooled, for the fidelity measures.
func runChains(ctx context.Context, t *target.Target, m Method, cfg Config, c *Cell) ([]float64, error) {
	ch, err := m.Run(ctx, t, cfg.N, cellSeed(cfg.Seed, t.Name, m.Name))
	if err != nil {
		return nil, err
	}
	if len(ch.Draws) < 2 {
		return nil, fmt.Errorf("method returned %d chains, need at least 2", len(ch.Draws))
	}
	d := t.Dim
	n := len(ch.Draws[0]) / d
	for i, x := range ch.Draws {
		if len(x) != n*d || len(x)%d != 0 {
			return nil, fmt.Errorf("chain %d has %d values, chain 0 has %d (dimension %d)", i, len(x), n*d, d)
		}
	}
	if n < 4 {
		return nil, fmt.Errorf("chains of %d draws are too short to diagnose", n)
	}
	c.SetupMS = ch.WarmSeconds * 1e3
	c.Info = ch.Info
	c.Warnings = append(c.Warnings, ch.Warnings...)
	if a, ok := ch.Info["acceptance"]; ok {
		c.Acceptance = a
	}
	total := n * len(ch.Draws)
	if ch.Seconds > 0 {
		c.NsPerSample = ch.Seconds * 1e9 / float64(total)
	}

	// R-hat and bulk ESS per coordinate: the worst coordinate is reported,
	// since one stuck direction is enough to make the draws unreliable.
	c.RHat, c.ESSBulk = math.Inf(-1), math.Inf(1)
	coord := make([][]float64, len(ch.Draws))
	for j := range d {
		for i, x := range ch.Draws {
			coord[i] = coord[i][:0]
			for k := range n {
				coord[i] = append(coord[i], x[k*d+j])
			}
		}
		if j == 0 {
			c.Chains = make([][]float64, len(coord))
			for i := range coord {
				c.Chains[i] = append([]float64(nil), coord[i][:min(n, maxTrace)]...)
			}
		}
		r, e := diagnose(coord)
		if math.IsNaN(r) || math.IsNaN(e) {
			c.RHat, c.ESSBulk = math.NaN(), math.NaN()
			c.Warnings = append(c.Warnings, fmt.Sprintf("R-hat and ESS undefined for coordinate %d (every draw equal, or a draw is NaN)", j+1))
			break
		}
		c.RHat, c.ESSBulk = max(c.RHat, r), min(c.ESSBulk, e)
	}
	if !math.IsNaN(c.ESSBulk) && ch.Seconds > 0 {
		c.ESSPerSec = c.ESSBulk / ch.Seconds
	}
	if c.RHat > 1.01 {
		c.Warnings = append(c.Warnings, fmt.Sprintf("R-hat %.3g above 1.01", c.RHat))
	}
	if c.ESSBulk < 400 {
		c.Warnings = append(c.Warnings, fmt.Sprintf("bulk ESS %.0f below 400", c.ESSBulk))
	}
	if a := c.Acceptance; a < 0.01 {
		c.Warnings = append(c.Warnings, fmt.Sprintf("acceptance %.2g%% below 1%%", 100*a))
	}

	// Pool the chains so that any prefix of the pool (the energy
	// distance, MMD², mode coverage and the plots use one) draws from
	// every chain and from the whole length of each: chains interleaved,
	// draws in van der Corput order (0, n/2, n/4, 3n/4, …). A plain prefix
	// would judge only the chains' first stretch.
	pooled := make([]float64, 0, total*d)
	for _, k := range spreadOrder(n) {
		for _, x := range ch.Draws {
			pooled = append(pooled, x[k*d:(k+1)*d]...)
		}
	}
	return pooled, nil
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

// maxTrace is how many draws of each chain's first coordinate a cell keeps
// for the trace and autocorrelation plots.
const maxTrace = 5000

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

// chainSeeds gives k generators for the chains of one cell.
func chainSeeds(seed uint64, k int) []*rand.Rand { return sampler.Streams(seed, k) }
