package generator

import (
	"bytes"
	"math"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/internal/nn"
	"github.com/variate/variate/sampler"
)

func testGenerator(t testing.TB, law NoiseLaw, out OutputMap) *Generator {
	t.Helper()
	net, err := nn.New(3, []nn.Layer{
		{Out: 8, Act: nn.Act(nn.Tanh)},
		{Out: 6, Act: nn.MaxoutOf(3)},
		{Out: 5, Act: nn.Leaky(0.2)},
		{Out: 2},
	})
	require.NoError(t, err)
	require.NoError(t, net.Init(sampler.NewRand(1), nn.TorchInit))
	g, err := New(Noise{Law: law, Dim: 3}, net, out, Provenance{Method: "gmn", Loss: "mmd", Steps: 1200, Seed: 42})
	require.NoError(t, err)
	return g
}

func TestSampleIsMapOfFilledNoise(t *testing.T) {
	for _, law := range []NoiseLaw{Uniform, Gaussian} {
		g := testGenerator(t, law, SigmoidOutput)
		const n = blockChunks*chunk + 3*chunk + 17 // several blocks, chunks and a partial one
		dst := make([]float64, n*g.Dim())
		require.NoError(t, g.Sample(sampler.NewRand(5), dst))
		z := make([]float64, n*g.NoiseDim())
		g.Noise().Fill(sampler.NewRand(5), z)
		want := make([]float64, len(dst))
		g.Map(z, want)
		assert.Equal(t, want, dst, law.String())
		for _, v := range dst {
			require.True(t, v > 0 && v < 1, "sigmoid output %v outside (0, 1)", v)
		}
	}
}

func TestNoiseFill(t *testing.T) {
	z := make([]float64, 100000)
	Noise{Law: Uniform, Dim: 1}.Fill(sampler.NewRand(3), z)
	var s, s2 float64
	for _, v := range z {
		require.True(t, v >= -1 && v < 1)
		s += v
		s2 += v * v
	}
	// Mean 0 (sd 1/√(3·1e5) = 0.0018) and E[v²] = 1/3 (sd 0.00094):
	// bounds of 6 sd fail with probability below 1e-8.
	assert.InDelta(t, 0, s/1e5, 0.011)
	assert.InDelta(t, 1.0/3, s2/1e5, 0.0057)
	Noise{Law: Gaussian, Dim: 1}.Fill(sampler.NewRand(3), z)
	s, s2 = 0, 0
	for _, v := range z {
		s += v
		s2 += v * v
	}
	// Mean sd 0.0032, E[v²] sd 0.0045; 6 sd bounds.
	assert.InDelta(t, 0, s/1e5, 0.019)
	assert.InDelta(t, 1, s2/1e5, 0.027)
}

func TestNewRejectsBadInput(t *testing.T) {
	net, err := nn.New(3, []nn.Layer{{Out: 2}})
	require.NoError(t, err)
	for _, c := range []struct {
		noise Noise
		net   *nn.Network
		out   OutputMap
		msg   string
	}{
		{Noise{Uniform, 2}, net, IdentityOutput, "noise dimension 2 does not match the network's input width 3"},
		{Noise{Uniform, 0}, net, IdentityOutput, "noise dimension is 0"},
		{Noise{7, 3}, net, IdentityOutput, "unknown noise law"},
		{Noise{Uniform, 3}, net, 9, "unknown output map"},
		{Noise{Uniform, 3}, nil, IdentityOutput, "network is nil"},
	} {
		_, err := New(c.noise, c.net, c.out, Provenance{})
		assert.ErrorContains(t, err, c.msg)
	}
}

func TestMapAndSamplePanicOnWrongLengths(t *testing.T) {
	g := testGenerator(t, Uniform, IdentityOutput)
	assert.Panics(t, func() { g.Map(make([]float64, 4), make([]float64, 2)) })
	assert.Panics(t, func() { g.Map(make([]float64, 6), make([]float64, 2)) })
	assert.Panics(t, func() { g.Sample(sampler.NewRand(1), make([]float64, 3)) })
	assert.NotPanics(t, func() { g.Map(make([]float64, 6), make([]float64, 4)) })
}

func TestSampleReportsNonFiniteOutput(t *testing.T) {
	g := testGenerator(t, Uniform, IdentityOutput)
	p := g.Network().Params()
	p[len(p)-1] = math.Inf(1) // the last bias
	err := g.Sample(sampler.NewRand(1), make([]float64, 10))
	assert.ErrorContains(t, err, "draw 0 has the non-finite coordinate")
}

func TestSampleConcurrentAndAllocationFree(t *testing.T) {
	g := testGenerator(t, Gaussian, IdentityOutput)
	want := make([]float64, 2*1000)
	require.NoError(t, g.Sample(sampler.NewRand(8), want))
	var wg sync.WaitGroup
	got := make([][]float64, 8)
	for i := range got {
		wg.Go(func() {
			got[i] = make([]float64, len(want))
			for range 5 {
				g.Sample(sampler.NewRand(8), got[i])
			}
		})
	}
	wg.Wait()
	for i := range got {
		assert.Equal(t, want, got[i], "goroutine %d", i)
	}
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	rng := sampler.NewRand(1)
	dst := make([]float64, 2*4096)
	allocs := testing.AllocsPerRun(10, func() { g.Sample(rng, dst) })
	assert.Zero(t, allocs)
}

func TestSaveLoadRoundTrip(t *testing.T) {
	for _, out := range []OutputMap{IdentityOutput, SigmoidOutput} {
		g := testGenerator(t, Gaussian, out)
		path := filepath.Join(t.TempDir(), "g.safetensors")
		require.NoError(t, g.Save(path))
		h, err := Load(path)
		require.NoError(t, err)
		assert.Equal(t, g.Noise(), h.Noise())
		assert.Equal(t, g.Output(), h.Output())
		assert.Equal(t, g.Provenance(), h.Provenance())
		assert.Equal(t, g.Network().Layers(), h.Network().Layers())
		assert.Equal(t, g.Network().Params(), h.Network().Params())

		var buf bytes.Buffer
		n, err := g.WriteTo(&buf)
		require.NoError(t, err)
		assert.EqualValues(t, buf.Len(), n)
		k, err := Read(bytes.NewReader(buf.Bytes()))
		require.NoError(t, err)
		assert.Equal(t, g.Network().Params(), k.Network().Params())
	}
}

func TestOutputMapDerive(t *testing.T) {
	// Central differences of the sigmoid at a few points.
	for _, v := range []float64{-3, -0.5, 0, 0.7, 4} {
		y := []float64{v}
		SigmoidOutput.Apply(y)
		g := []float64{2}
		SigmoidOutput.Derive(y, g)
		const h = 1e-6
		p, m := []float64{v + h}, []float64{v - h}
		SigmoidOutput.Apply(p)
		SigmoidOutput.Apply(m)
		assert.InDelta(t, 2*(p[0]-m[0])/(2*h), g[0], 1e-9, "at %v", v)
		g[0] = 2
		IdentityOutput.Derive(y, g)
		assert.Equal(t, 2.0, g[0])
	}
	assert.Panics(t, func() { SigmoidOutput.Derive(make([]float64, 2), make([]float64, 3)) })
}
