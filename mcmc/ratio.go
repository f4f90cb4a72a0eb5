package mcmc

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/variate/variate/sampler"
)

// A LogRatio sets dst[i] to log(p(x_i)/q(x_i)), up to a constant that is
// the same for every point, for the len(dst) points stored one after
// another in x: the log density ratio of the target p to the proposal q.
type LogRatio func(x, dst []float64)

// RatioChainOptions configures NewRatioChain. The zero value (or nil)
// means the documented defaults.
type RatioChainOptions struct {
	// Thin is the number of proposals per draw Sample returns: each draw
	// is the chain's state after Thin more transitions. Default 1.
	Thin int
	// MaxRejects bounds the consecutive rejections the chain may make;
	// reaching it is an error (the chain is stuck). Default 100,000.
	MaxRejects int
}

// ratioBlock is the number of proposals a RatioChain draws and scores at
// once.
const ratioBlock = 256

// ratioBadLimit: once this many proposals have been made, a chain whose
// log ratio was NaN or +Inf at more than half of them stops with an
// error.
const ratioBadLimit = 100

// A RatioChain is an independence Metropolis–Hastings chain (Tierney
// 1994) driven by a density ratio: proposals x′ come from a sampler q
// whose density need not be known, and are accepted with probability
// min(1, r(x′)/r(x)) where r = p/q is given by its logarithm. With r =
// D/(1−D) for a discriminator D, this is Metropolis–Hastings GAN (Turner,
// Hung, Frank, Saatci & Yosinski, "Metropolis-Hastings Generative
// Adversarial Networks", ICML 2019), whose acceptance is
// min(1, (1/D(x) − 1)/(1/D(x′) − 1)).
//
// The chain starts at a given point (a real draw, in MH-GAN, so that it
// needs no warm-up) and returns no draw before its first accepted move,
// so the starting point itself is never returned.
//
// A RatioChain has running state and is not safe for concurrent use.
type RatioChain struct {
	q          sampler.Sampler
	f          LogRatio
	d          int
	thin       int
	maxRejects int
	x          []float64 // current state
	lx         float64   // its log ratio
	moved      bool      // whether a proposal has been accepted
	rejects    int       // consecutive rejections
	buf, lbuf  []float64 // a block of proposals and their log ratios
	next       int       // the next unused proposal in buf
	stats      Stats
}

var _ sampler.Sampler = (*RatioChain)(nil)

// NewRatioChain returns the chain started at start, with proposals from
// proposal. It returns an error if an option is negative, start has the
// wrong length, or the log ratio at start is not finite.
func NewRatioChain(proposal sampler.Sampler, logRatio LogRatio, start []float64, opts *RatioChainOptions) (*RatioChain, error) {
	if proposal == nil || logRatio == nil {
		return nil, errors.New("mcmc: nil proposal or log ratio")
	}
	var o RatioChainOptions
	if opts != nil {
		o = *opts
	}
	if o.Thin == 0 {
		o.Thin = 1
	}
	if o.MaxRejects == 0 {
		o.MaxRejects = 100_000
	}
	if o.Thin < 0 || o.MaxRejects < 0 {
		return nil, fmt.Errorf("mcmc: Thin %d or MaxRejects %d is negative; use at least 1 (0: the defaults 1 and 100,000)", o.Thin, o.MaxRejects)
	}
	d := proposal.Dim()
	if d <= 0 {
		return nil, fmt.Errorf("mcmc: the proposal has dimension %d", d)
	}
	if len(start) != d {
		return nil, fmt.Errorf("mcmc: starting point has %d coordinates; the proposal draws %d", len(start), d)
	}
	c := &RatioChain{q: proposal, f: logRatio, d: d, thin: o.Thin, maxRejects: o.MaxRejects,
		x: append([]float64(nil), start...), buf: make([]float64, ratioBlock*d), lbuf: make([]float64, ratioBlock), next: ratioBlock}
	var l [1]float64
	logRatio(c.x, l[:])
	if !(math.Abs(l[0]) < math.Inf(1)) {
		return nil, fmt.Errorf("mcmc: log ratio is %v at the starting point x=%v; start where it is finite", l[0], start)
	}
	c.lx = l[0]
	return c, nil
}

// Dim is the dimension of a draw.
func (c *RatioChain) Dim() int { return c.d }

// Stats counts the proposals, acceptances and non-finite log ratios so
// far.
func (c *RatioChain) Stats() Stats { return c.stats }

// State returns a copy of the current state and its log ratio.
func (c *RatioChain) State() ([]float64, float64) {
	return append([]float64(nil), c.x...), c.lx
}

// step makes one transition.
func (c *RatioChain) step(rng *rand.Rand) error {
	if c.next == ratioBlock {
		if err := c.q.Sample(rng, c.buf); err != nil {
			return fmt.Errorf("mcmc: drawing proposals: %w", err)
		}
		c.f(c.buf, c.lbuf)
		c.next = 0
	}
	y, ly := c.buf[c.next*c.d:(c.next+1)*c.d], c.lbuf[c.next]
	c.next++
	c.stats.Proposals++
	if math.IsNaN(ly) || ly == math.Inf(1) {
		c.stats.NonFinite++
		if c.stats.Proposals >= ratioBadLimit && 2*c.stats.NonFinite > c.stats.Proposals {
			return fmt.Errorf("mcmc: log ratio was NaN or +Inf at %d of %d proposals (last at x=%v)", c.stats.NonFinite, c.stats.Proposals, y)
		}
		ly = math.Inf(-1)
	}
	if r := ly - c.lx; r >= 0 || -rng.ExpFloat64() < r {
		copy(c.x, y)
		c.lx = ly
		c.moved = true
		c.rejects = 0
		c.stats.Accepted++
		return nil
	}
	c.rejects++
	if c.rejects >= c.maxRejects {
		return fmt.Errorf("mcmc: %d proposals in a row rejected at x=%v (log ratio %v); the chain is stuck where the ratio is far above its typical values", c.rejects, c.x, c.lx)
	}
	return nil
}

// Sample fills dst with the chain's next len(dst)/Dim() states, Thin
// transitions apart; before the first accepted move it makes
// transitions without returning any. It returns an error when the chain
// is stuck (MaxRejects rejections in a row), the log ratio is mostly NaN
// or +Inf, or the proposal fails; dst then holds the states reached so
// far. It panics if len(dst) is not a multiple of Dim().
func (c *RatioChain) Sample(rng *rand.Rand, dst []float64) error {
	sampler.CheckLen("mcmc", dst, c.d)
	for !c.moved {
		if err := c.step(rng); err != nil {
			return err
		}
	}
	for i := 0; i < len(dst); i += c.d {
		for range c.thin {
			if err := c.step(rng); err != nil {
				return err
			}
		}
		copy(dst[i:i+c.d], c.x)
	}
	return nil
}
