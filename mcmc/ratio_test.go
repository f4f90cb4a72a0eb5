package mcmc_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/mcmc"
	"github.com/variate/variate/sampler"
)

func scaledNormal(s float64) sampler.Sampler {
	return sampler.Func(1, func(rng *rand.Rand, x []float64) error {
		x[0] = s * rng.NormFloat64()
		return nil
	})
}

// logNormalOverWide is log(N(0,1)/N(0,4)) plus a constant that must not
// matter.
func logNormalOverWide(x, dst []float64) {
	for i, v := range x {
		dst[i] = -3*v*v/8 + 5
	}
}

// The chain driven by the exact ratio has the target as its stationary
// law: N(0, 1) from N(0, 4) proposals. Over 200,000 draws whose
// integrated autocorrelation time is at most 3, the standard errors of
// the mean and the variance are below 0.0039 and 0.0055; the tolerances
// are 6.5 of them (a false failure below 1e-6). Its acceptance is about
// 0.6.
func TestRatioChainStationary(t *testing.T) {
	c, err := mcmc.NewRatioChain(scaledNormal(2), logNormalOverWide, []float64{0.3}, nil)
	require.NoError(t, err)
	x, err := sampler.Draw(c, sampler.NewRand(1), 200_000)
	require.NoError(t, err)
	var m, v float64
	for _, xi := range x {
		m += xi / float64(len(x))
	}
	for _, xi := range x {
		v += (xi - m) * (xi - m) / float64(len(x))
	}
	assert.InDelta(t, 0, m, 0.026)
	assert.InDelta(t, 1, v, 0.036)
	acc := c.Stats().Acceptance()
	assert.Greater(t, acc, 0.5)
	assert.Less(t, acc, 0.75)
	assert.Zero(t, c.Stats().NonFinite)
}

// A constant ratio (the proposal is the target) accepts every proposal,
// and a thinned chain makes Thin proposals per draw.
func TestRatioChainAcceptance(t *testing.T) {
	flat := func(x, dst []float64) { clear(dst) }
	c, err := mcmc.NewRatioChain(scaledNormal(1), flat, []float64{0}, &mcmc.RatioChainOptions{Thin: 3})
	require.NoError(t, err)
	_, err = sampler.Draw(c, sampler.NewRand(1), 100)
	require.NoError(t, err)
	st := c.Stats()
	assert.EqualValues(t, 301, st.Proposals) // the first move, then 3 per draw
	assert.Equal(t, st.Proposals, st.Accepted)
}

// The chain never returns its starting point: it waits for its first
// accepted move.
func TestRatioChainStart(t *testing.T) {
	// The ratio is largest at the start, 0, and accepts about 8% of the
	// proposals from there, so the chain stays a while.
	peaked := func(x, dst []float64) {
		for i, v := range x {
			dst[i] = -10 * math.Abs(v)
		}
	}
	c, err := mcmc.NewRatioChain(scaledNormal(1), peaked, []float64{0}, nil)
	require.NoError(t, err)
	x, err := sampler.Draw(c, sampler.NewRand(1), 50)
	require.NoError(t, err)
	for _, v := range x {
		assert.NotEqual(t, 0.0, v)
	}
	s, lr := c.State()
	assert.Equal(t, x[len(x)-1], s[0])
	assert.Equal(t, -10*math.Abs(s[0]), lr)
}

// A chain stuck where the ratio is far above its typical values stops
// with an error, as does one whose ratio is mostly NaN.
func TestRatioChainStuck(t *testing.T) {
	steep := func(x, dst []float64) {
		for i, v := range x {
			dst[i] = 100 * v
		}
	}
	c, err := mcmc.NewRatioChain(scaledNormal(1), steep, []float64{10}, &mcmc.RatioChainOptions{MaxRejects: 1000})
	require.NoError(t, err)
	_, err = sampler.Draw(c, sampler.NewRand(1), 10)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "1000 proposals in a row rejected")

	nan := func(x, dst []float64) {
		for i, v := range x {
			dst[i] = 0
			if v > -0.5 {
				dst[i] = math.NaN()
			}
		}
	}
	c, err = mcmc.NewRatioChain(scaledNormal(1), nan, []float64{-1}, nil)
	require.NoError(t, err)
	_, err = sampler.Draw(c, sampler.NewRand(1), 1000)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "NaN or +Inf")
}

func TestRatioChainErrors(t *testing.T) {
	q := scaledNormal(1)
	_, err := mcmc.NewRatioChain(nil, logNormalOverWide, []float64{0}, nil)
	assert.Error(t, err)
	_, err = mcmc.NewRatioChain(q, nil, []float64{0}, nil)
	assert.Error(t, err)
	_, err = mcmc.NewRatioChain(q, logNormalOverWide, []float64{0, 1}, nil)
	assert.ErrorContains(t, err, "2 coordinates")
	_, err = mcmc.NewRatioChain(q, logNormalOverWide, []float64{0}, &mcmc.RatioChainOptions{Thin: -1})
	assert.ErrorContains(t, err, "negative")
	inf := func(x, dst []float64) { dst[0] = math.Inf(-1) }
	_, err = mcmc.NewRatioChain(q, inf, []float64{0}, nil)
	assert.ErrorContains(t, err, "starting point")
	failing := sampler.Func(1, func(*rand.Rand, []float64) error { return errors.New("broken") })
	c, err := mcmc.NewRatioChain(failing, logNormalOverWide, []float64{0}, nil)
	require.NoError(t, err)
	_, err = sampler.Draw(c, sampler.NewRand(1), 1)
	assert.ErrorContains(t, err, "broken")
}

// Metropolis–Hastings driven by a density ratio, as MH-GAN drives it
// with a discriminator: proposals from N(0, 4), target N(0, 1).
func ExampleNewRatioChain() {
	proposal := sampler.Func(1, func(rng *rand.Rand, x []float64) error {
		x[0] = 2 * rng.NormFloat64()
		return nil
	})
	logRatio := func(x, dst []float64) {
		for i, v := range x {
			dst[i] = -3 * v * v / 8
		}
	}
	c, err := mcmc.NewRatioChain(proposal, logRatio, []float64{0.1}, nil)
	if err != nil {
		panic(err)
	}
	x, err := sampler.Draw(c, sampler.NewRand(1), 50000)
	if err != nil {
		panic(err)
	}
	var v float64
	for _, xi := range x {
		v += xi * xi / float64(len(x))
	}
	fmt.Printf("variance %.1f, acceptance %.1f\n", v, c.Stats().Acceptance())
	// Output:
	// variance 1.0, acceptance 0.6
}
