package gan

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/generator"
	"github.com/variate/variate/internal/nn"
	"github.com/variate/variate/mcmc"
	"github.com/variate/variate/rejection"
	"github.com/variate/variate/sampler"
)

// shifted returns the generator x = z + 0.5, z ~ N(0, 1).
func shifted(t *testing.T) *generator.Generator {
	t.Helper()
	net, err := nn.New(1, []nn.Layer{{Out: 1}})
	require.NoError(t, err)
	net.Params()[0], net.Params()[1] = 1, 0.5
	g, err := generator.New(generator.Noise{Law: generator.Gaussian, Dim: 1}, net, generator.IdentityOutput, generator.Provenance{})
	require.NoError(t, err)
	return g
}

func meanOf(x []float64) float64 {
	var m float64
	for _, v := range x {
		m += v / float64(len(x))
	}
	return m
}

// Rejection and Metropolis–Hastings driven by a discriminator correct a
// generator that is off: p_g = N(0.5, 1), a cross-entropy discriminator
// trained against it and p_t = N(0, 1), and both corrected samplers draw
// with mean near 0. The discriminator's probability is within 0.025 of
// the optimum (TestOptimalDiscriminator), so the corrected mean is off
// by at most a few hundredths; at n = 20,000 its standard error is below
// 0.01 for DRS and 0.02 for the chain: the tolerance 0.1 is more than 5
// of them beyond that bias.
func TestCorrections(t *testing.T) {
	skipUnderRace(t)
	g := shifted(t)
	d := trainFixedD(t, NonSaturating, 2000, 1e-3)
	const n = 20000
	raw, err := sampler.Draw(g, sampler.NewRand(3), n)
	require.NoError(t, err)
	assert.InDelta(t, 0.5, meanOf(raw), 0.05)

	drs, err := NewDRS(g, d, sampler.NewRand(4), nil)
	require.NoError(t, err)
	x, err := sampler.Draw(drs, sampler.NewRand(5), n)
	require.NoError(t, err)
	t.Logf("DRS mean %.3f, acceptance %.3f", meanOf(x), drs.Stats().Acceptance())
	assert.InDelta(t, 0, meanOf(x), 0.1)

	mh, err := NewMH(g, d, []float64{0.2}, nil)
	require.NoError(t, err)
	x, err = sampler.Draw(mh, sampler.NewRand(6), n)
	require.NoError(t, err)
	t.Logf("MH mean %.3f, acceptance %.3f", meanOf(x), mh.Stats().Acceptance())
	assert.InDelta(t, 0, meanOf(x), 0.1)

	// Calibration on held-out draws leaves a well-fitted discriminator
	// nearly as it was: a ≈ 1, b ≈ 0.
	real, err := sampler.Draw(sampler.Func(1, func(rng *rand.Rand, x []float64) error { x[0] = rng.NormFloat64(); return nil }), sampler.NewRand(7), n)
	require.NoError(t, err)
	fake, err := sampler.Draw(g, sampler.NewRand(8), n)
	require.NoError(t, err)
	c, err := d.Calibrate(real, fake)
	require.NoError(t, err)
	t.Logf("calibration a = %.3f, b = %.3f", c.a, c.b)
	assert.InDelta(t, 1, c.a, 0.2)
	assert.InDelta(t, 0, c.b, 0.1)
	assert.Equal(t, 1.0, d.a, "Calibrate leaves the original as it was")

	_, err = NewDRS(g, nil, sampler.NewRand(1), nil)
	assert.Error(t, err)
	_, err = NewMH(nil, d, []float64{0}, nil)
	assert.Error(t, err)
	wide := newDiscriminator(d.net, 1, 1)
	wide.dim = 2
	_, err = NewDRS(g, wide, sampler.NewRand(1), &rejection.RatioOptions{})
	assert.ErrorContains(t, err, "judges 2")
	_, err = NewMH(g, wide, []float64{0}, &mcmc.RatioChainOptions{})
	assert.ErrorContains(t, err, "judges 2")
}

// Platt scaling recovers the logistic map of logits whose classes are
// known: real logits ~ N(1, 1) and generated ~ N(0, 1), equally likely,
// have posterior log odds l − 1/2, so a = 1, b = −1/2. At 20,000 per
// class the standard errors of a and b are below 0.02; the tolerance is
// 0.1.
func TestPlatt(t *testing.T) {
	rng := sampler.NewRand(9)
	lr, lf := make([]float64, 20000), make([]float64, 20000)
	for i := range lr {
		lr[i] = 1 + rng.NormFloat64()
		lf[i] = rng.NormFloat64()
	}
	a, b, err := platt(lr, lf)
	require.NoError(t, err)
	assert.InDelta(t, 1, a, 0.1)
	assert.InDelta(t, -0.5, b, 0.1)

	// Perfectly separated sets have no finite fit.
	for i := range lr {
		lr[i] = 5 + math.Abs(lr[i])
		lf[i] = -5 - math.Abs(lf[i])
	}
	_, _, err = platt(lr, lf)
	assert.ErrorContains(t, err, "separates")
	_, _, err = platt([]float64{1, 1}, []float64{1, 1})
	assert.Error(t, err)
}

// A packed discriminator judges Pack draws at once; its per-draw log
// ratio is the logit of copies of the draw divided by the packing.
func TestPackedLogRatio(t *testing.T) {
	net, err := nn.New(4, []nn.Layer{{Out: 8, Act: nn.Act(nn.Tanh)}, {Out: 1}})
	require.NoError(t, err)
	require.NoError(t, net.Init(sampler.NewRand(1), nn.GlorotInit))
	d := newDiscriminator(net, 2, 2)
	x := []float64{0.3, -0.7, 1.1, 0.2, -0.4, 0.9}
	lr := make([]float64, 3)
	d.LogRatio(x, lr)
	for i := range lr {
		p := x[2*i : 2*i+2]
		in := []float64{p[0], p[1], p[0], p[1]}
		var l [1]float64
		d.Logits(in, l[:])
		assert.InDelta(t, l[0]/2, lr[i], 1e-15)
	}
	assert.Panics(t, func() { d.LogRatio(x, make([]float64, 2)) })
	assert.Panics(t, func() { d.Logits(x, make([]float64, 3)) })
	_, err = d.Calibrate([]float64{1, 2, 3}, []float64{1, 2, 3, 4})
	assert.ErrorContains(t, err, "real set")
	_, err = d.Calibrate([]float64{1, 2, 3, 4}, []float64{1, 2, 3, math.NaN()})
	assert.ErrorContains(t, err, "generated draw 1")
}
