package mcmc

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/variate/variate/sampler"
)

// A Chain is one running Markov chain (for Stretch, one ensemble of
// walkers). It is a sampler.Sampler whose Sample returns the chain's
// successive kept draws — consecutive draws are correlated, so use the
// diagnostics before treating them as a sample. A Chain has running
// state and is not safe for concurrent use; Run runs several in
// parallel.
type Chain struct {
	f      LogDensity
	d, w   int
	m      mover
	pos    []float64 // walker after walker
	lp     []float64
	thin   int
	emit   int // next walker Sample returns; w means step first
	warm   Stats
	stats  Stats
	kernel string
}

var _ sampler.Sampler = (*Chain)(nil)

// NewChain starts a chain of kernel k on the log density f at the given
// points: one point for every kernel but Stretch, whose ensemble needs
// one point per walker. The dimension is the length of the points. It
// returns an error naming the point if the log density there is not
// finite.
func NewChain(f LogDensity, k Kernel, start ...[]float64) (*Chain, error) {
	if f == nil {
		return nil, errors.New("mcmc: no log density")
	}
	if k == nil {
		return nil, errors.New("mcmc: no kernel")
	}
	if len(start) == 0 || len(start[0]) == 0 {
		return nil, errors.New("mcmc: no starting point")
	}
	d := len(start[0])
	m, err := k.newMover(d)
	if err != nil {
		return nil, err
	}
	return newChain(f, k, m, d, start)
}

func newChain(f LogDensity, k Kernel, m mover, d int, start [][]float64) (*Chain, error) {
	w := m.walkers()
	if len(start) != w {
		return nil, fmt.Errorf("mcmc: %d starting points for a kernel that moves %d walkers", len(start), w)
	}
	c := &Chain{f: f, d: d, w: w, m: m, pos: make([]float64, 0, w*d), lp: make([]float64, w), thin: 1, emit: w, kernel: k.String()}
	for i, x := range start {
		if len(x) != d {
			return nil, fmt.Errorf("mcmc: starting point %d has dimension %d, point 0 has %d", i, len(x), d)
		}
		lp := f(x)
		if math.IsNaN(lp) || math.IsInf(lp, 0) {
			return nil, fmt.Errorf("mcmc: log density is %v at starting point %d, x=%v", lp, i, x)
		}
		c.pos = append(c.pos, x...)
		c.lp[i] = lp
	}
	if err := m.start(c.pos, c.lp); err != nil {
		return nil, err
	}
	return c, nil
}

// Dim returns the dimension of the chain's state.
func (c *Chain) Dim() int { return c.d }

// Walkers returns how many points each step moves: 1, or the ensemble
// size for Stretch.
func (c *Chain) Walkers() int { return c.w }

// SetThin makes Sample keep one step in k. It panics if k < 1.
func (c *Chain) SetThin(k int) {
	if k < 1 {
		panic(fmt.Sprintf("mcmc: thinning %d, want at least 1", k))
	}
	c.thin = k
}

// Warmup makes n steps with adaptation on (for AM and RAM; for the other
// kernels these are ordinary steps), then fixes the kernel; the next
// Sample continues from where warm-up ended. Its moves are counted in
// WarmupStats, not Stats. It returns an error if NaN or +Inf log
// densities dominate, and panics if n is negative.
func (c *Chain) Warmup(rng *rand.Rand, n int) error {
	if n < 0 {
		panic(fmt.Sprintf("mcmc: Warmup of %d steps, want 0 or more", n))
	}
	c.m.setAdapt(true)
	for range n {
		c.m.step(rng, c.f, c.pos, c.lp, &c.warm)
	}
	c.m.setAdapt(false)
	c.emit = c.w
	return c.warm.check()
}

// Step makes one transition of every walker, without adaptation.
func (c *Chain) Step(rng *rand.Rand) {
	c.m.step(rng, c.f, c.pos, c.lp, &c.stats)
}

// Sample fills dst with the chain's next len(dst)/Dim() kept draws (one
// every SetThin steps; for Stretch, each step yields every walker in
// turn). It returns an error if NaN or +Inf log densities dominate. It
// panics if len(dst) is not a multiple of Dim().
func (c *Chain) Sample(rng *rand.Rand, dst []float64) error {
	sampler.CheckLen("mcmc", dst, c.d)
	d := c.d
	if c.w == 1 {
		x := c.pos[:d]
		for i := 0; i+d <= len(dst); i += d {
			for range c.thin {
				c.m.step(rng, c.f, c.pos, c.lp, &c.stats)
			}
			for j, v := range x { // a loop: copy's memmove costs more for short points
				dst[i+j] = v
			}
		}
		return c.stats.check()
	}
	for i := 0; i < len(dst); i += d {
		if c.emit == c.w {
			for range c.thin {
				c.m.step(rng, c.f, c.pos, c.lp, &c.stats)
			}
			c.emit = 0
		}
		copy(dst[i:i+d], c.pos[c.emit*d:])
		c.emit++
	}
	return c.stats.check()
}

// State returns a copy of the current point of walker i and its log
// density. It panics if i is out of range.
func (c *Chain) State(i int) ([]float64, float64) {
	if i < 0 || i >= c.w {
		panic(fmt.Sprintf("mcmc: walker %d of %d", i, c.w))
	}
	return append([]float64(nil), c.pos[i*c.d:(i+1)*c.d]...), c.lp[i]
}

// Stats returns the counts of the steps made since warm-up.
func (c *Chain) Stats() Stats { return c.stats }

// WarmupStats returns the counts of the warm-up steps.
func (c *Chain) WarmupStats() Stats { return c.warm }
