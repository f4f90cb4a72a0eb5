package gmn

import (
	"context"
	"math"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/generator"
	"github.com/variate/variate/sampler"
)

// latentRows returns n rows of 8 coordinates in (0, 1) that depend on two
// hidden factors: x = σ(A·u + b), u uniform on [−1, 1]², with one A and
// b whatever the seed, which draws the factors.
func latentRows(n int, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(1, 1))
	const d = 8
	a := make([]float64, d*2)
	for i := range a {
		a[i] = 3 * rng.NormFloat64()
	}
	rng = rand.New(rand.NewPCG(seed, 2))
	x := make([]float64, n*d)
	for r := range n {
		u0, u1 := 2*rng.Float64()-1, 2*rng.Float64()-1
		for j := range d {
			x[r*d+j] = 1 / (1 + math.Exp(-(a[2*j]*u0 + a[2*j+1]*u1 + 0.1*float64(j-4))))
		}
	}
	return x
}

func smallAE(steps int) *AutoencoderConfig {
	return &AutoencoderConfig{Hidden: []int{32}, Code: 2, Output: generator.SigmoidOutput,
		Batch: 50, Steps: steps, LR: 3e-3, Seed: 5, FidelityEvery: -1, NoBar: true}
}

func latentData(t *testing.T) (Data, []float64) {
	t.Helper()
	x := latentRows(2000, 1)
	d, err := FromRows(x, 8)
	require.NoError(t, err)
	return d, x
}

// TestAutoencoderLearns: two factors through a 2-wide code come back with
// a small part of the data's variance lost, where the untrained network
// loses all of it.
func TestAutoencoderLearns(t *testing.T) {
	data, _ := latentData(t)
	held := latentRows(1000, 2)
	var mean [8]float64
	for i, v := range held {
		mean[i%8] += v / 1000
	}
	var variance float64
	for i, v := range held {
		variance += (v - mean[i%8]) * (v - mean[i%8])
	}
	mse := func(a *Autoencoder) float64 {
		c, err := a.Encode(held)
		require.NoError(t, err)
		require.Len(t, c, 2000)
		y, err := a.Decode(c)
		require.NoError(t, err)
		var s float64
		for i, v := range y {
			s += (v - held[i]) * (v - held[i])
		}
		return s / variance
	}
	r0, err := TrainAutoencoder(context.Background(), data, smallAE(1))
	require.NoError(t, err)
	r, err := TrainAutoencoder(context.Background(), data, smallAE(3000))
	require.NoError(t, err)
	assert.Equal(t, 3000, r.Steps)
	assert.Len(t, r.History, 3000)
	before, after := mse(r0.Autoencoder), mse(r.Autoencoder)
	t.Logf("share of the held-out variance lost: %.4f after 1 step, %.4f after 3000", before, after)
	assert.Greater(t, before, 0.5)
	assert.Less(t, after, 0.05)
	for _, v := range mustEncode(t, r.Autoencoder, held) {
		require.True(t, v > 0 && v < 1, "a sigmoid code is in (0, 1): %v", v)
	}
}

func mustEncode(t *testing.T, a *Autoencoder, x []float64) []float64 {
	t.Helper()
	c, err := a.Encode(x)
	require.NoError(t, err)
	return c
}

// TestAutoencoderHeldOutLoss: the held-out figure is the mean
// cross-entropy of the held-out rows' reconstructions, without dropout,
// computed here from Encode and Decode over every row of the dataset.
func TestAutoencoderHeldOutLoss(t *testing.T) {
	data, x := latentData(t)
	c := smallAE(40)
	c.InputDropout, c.Dropout = 0.2, 0.3
	c.HeldOut, c.FidelityEvery = 2000, 40
	r, err := TrainAutoencoder(context.Background(), data, c)
	require.NoError(t, err)
	y, err := r.Autoencoder.Decode(mustEncode(t, r.Autoencoder, x))
	require.NoError(t, err)
	var sum float64
	for i, v := range y {
		sum -= x[i]*math.Log(v) + (1-x[i])*math.Log(1-v)
	}
	want := sum / 2000
	assert.InDelta(t, want, r.Fidelity, 1e-9*want)
	assert.Equal(t, r.Fidelity, r.History[39].Fidelity)
}

// TestReconstructionGradient compares the loss's gradient with central
// differences, for both output maps.
func TestReconstructionGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	const rows, d = 3, 4
	x, y := make([]float64, rows*d), make([]float64, rows*d)
	for i := range x {
		x[i], y[i] = rng.Float64(), 2*rng.NormFloat64()
	}
	for _, out := range []generator.OutputMap{generator.SigmoidOutput, generator.IdentityOutput} {
		dy := make([]float64, len(y))
		reconstruction(out, y, x, dy, rows)
		for i := range y {
			const h = 1e-6
			keep := y[i]
			y[i] = keep + h
			up := reconstruction(out, y, x, nil, rows)
			y[i] = keep - h
			down := reconstruction(out, y, x, nil, rows)
			y[i] = keep
			assert.InDelta(t, (up-down)/(2*h), dy[i], 1e-8, "%v coordinate %d", out, i)
		}
	}
	// The cross-entropy of a sigmoid output: −x log σ(y) − (1−x) log(1−σ(y)).
	s := 1 / (1 + math.Exp(-y[0]))
	want := -x[0]*math.Log(s) - (1-x[0])*math.Log(1-s)
	assert.InDelta(t, want, reconstruction(generator.SigmoidOutput, y[:1], x[:1], nil, 1), 1e-12)
}

// TestAutoencoderResume: 40 steps in one run, or 20 then 20 more from the
// checkpoint, give the same weights bit for bit, with dropout on, at
// GOMAXPROCS 1 and 4.
func TestAutoencoderResume(t *testing.T) {
	data, x := latentData(t)
	cfg := func(steps int, ckpt, resume string) *AutoencoderConfig {
		c := smallAE(steps)
		c.InputDropout, c.Dropout = 0.2, 0.3
		c.Checkpoint, c.Resume = ckpt, resume
		return c
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var want []float64
	for _, procs := range []int{1, 4} {
		runtime.GOMAXPROCS(procs)
		r, err := TrainAutoencoder(context.Background(), data, cfg(40, "", ""))
		require.NoError(t, err)
		codes := mustEncode(t, r.Autoencoder, x)
		if want == nil {
			want = codes
		}
		sameBits(t, want, codes, "uninterrupted")

		ck := filepath.Join(t.TempDir(), "ae.ckpt")
		_, err = TrainAutoencoder(context.Background(), data, cfg(20, ck, ""))
		require.NoError(t, err)
		r2, err := TrainAutoencoder(context.Background(), data, cfg(40, ck, ck))
		require.NoError(t, err)
		assert.Equal(t, 20, r2.Resumed)
		assert.Equal(t, 40, r2.Steps)
		sameBits(t, want, mustEncode(t, r2.Autoencoder, x), "resumed")
		sameBits(t, r.Autoencoder.dec.Params(), r2.Autoencoder.dec.Params(), "decoder")

		// Another configuration does not fit the checkpoint.
		other := cfg(40, "", ck)
		other.Code = 3
		_, err = TrainAutoencoder(context.Background(), data, other)
		assert.ErrorContains(t, err, "different configuration")
	}
}

func TestAutoencoderBadInput(t *testing.T) {
	ctx := context.Background()
	data, x := latentData(t)
	_, err := TrainAutoencoder(ctx, Data{}, nil)
	assert.ErrorContains(t, err, "no data")
	out := append([]float64(nil), x...)
	out[8*7+3] = 1.5
	od, err := FromRows(out, 8)
	require.NoError(t, err)
	_, err = TrainAutoencoder(ctx, od, smallAE(1))
	assert.ErrorContains(t, err, "data row 7 has the coordinate 1.5 (column 3), outside [0, 1]")
	c := smallAE(1)
	c.Output = generator.IdentityOutput
	_, err = TrainAutoencoder(ctx, od, c)
	assert.NoError(t, err, "squared error takes any data")

	for name, tc := range map[string]struct {
		edit func(*AutoencoderConfig)
		msg  string
	}{
		"batch > rows":     {func(c *AutoencoderConfig) { c.Batch = 2001 }, "larger than the dataset's 2000 rows"},
		"negative batch":   {func(c *AutoencoderConfig) { c.Batch = -1 }, "batch is -1"},
		"dropout 1":        {func(c *AutoencoderConfig) { c.Dropout = 1 }, "Dropout is 1"},
		"NaN dropout":      {func(c *AutoencoderConfig) { c.InputDropout = math.NaN() }, "InputDropout is NaN"},
		"negative code":    {func(c *AutoencoderConfig) { c.Code = -2 }, "code width is -2"},
		"zero width":       {func(c *AutoencoderConfig) { c.Hidden = []int{4, 0} }, "hidden layer 1 has width 0"},
		"negative steps":   {func(c *AutoencoderConfig) { c.Steps = -1 }, "negative"},
		"bad LR":           {func(c *AutoencoderConfig) { c.LR = math.Inf(1) }, "LR is +Inf"},
		"bad activation":   {func(c *AutoencoderConfig) { c.Activation = "swish" }, "swish"},
		"bad output":       {func(c *AutoencoderConfig) { c.Output = 7 }, "unknown autoencoder output map"},
		"negative held":    {func(c *AutoencoderConfig) { c.HeldOut = -1 }, "HeldOut is -1"},
		"negative progess": {func(c *AutoencoderConfig) { c.ProgressEvery = -1 }, "ProgressEvery is -1"},
	} {
		c := smallAE(1)
		tc.edit(c)
		_, err := TrainAutoencoder(ctx, data, c)
		assert.ErrorContains(t, err, tc.msg, name)
	}

	// A sampler whose draws leave [0, 1] at its third training batch.
	calls := 0
	src := sampler.Func(8, func(rng *rand.Rand, x []float64) error {
		calls++
		for j := range x {
			x[j] = rng.Float64()
		}
		if calls > 1000+2*50 { // the held-out rows, then two batches
			x[2] = -0.5
		}
		return nil
	})
	c = smallAE(5)
	c.HeldOut, c.FidelityEvery = 1000, 10
	_, err = TrainAutoencoder(ctx, FromSampler(src), c)
	assert.ErrorContains(t, err, "step 3's sampled row 0 has the coordinate -0.5 (column 2)")

	r, err := TrainAutoencoder(ctx, data, smallAE(1))
	require.NoError(t, err)
	a := r.Autoencoder
	_, err = a.Encode(x[:7])
	assert.ErrorContains(t, err, "Encode with 7 numbers, not a whole number of rows of 8")
	bad := append([]float64(nil), x[:16]...)
	bad[9] = math.NaN()
	_, err = a.Encode(bad)
	assert.ErrorContains(t, err, "row 1 has the coordinate NaN")
	_, err = a.Decode([]float64{1, 2, 3})
	assert.ErrorContains(t, err, "not a whole number of rows of 2")
	g, err := Train(ctx, fixedData(t, 100), small(1))
	require.NoError(t, err)
	_, err = a.Decoder(g)
	assert.ErrorContains(t, err, "dimension 1, the autoencoder's codes have 2")
}

// TestAutoencoderStops: a cancelled context returns its error with the
// autoencoder as it is; a step size that blows the weights up stops with
// an error naming the step, keeping the last finite weights.
func TestAutoencoderStops(t *testing.T) {
	data, x := latentData(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := TrainAutoencoder(ctx, data, smallAE(10))
	assert.ErrorIs(t, err, context.Canceled)
	require.NotNil(t, r.Autoencoder)
	assert.Equal(t, 0, r.Steps)

	c := smallAE(50)
	c.Output = generator.IdentityOutput
	c.LR = 1e200
	r, err = TrainAutoencoder(context.Background(), data, c)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "step")
	require.NotNil(t, r.Autoencoder)
	for _, v := range r.Autoencoder.enc.Params() {
		require.False(t, math.IsNaN(v) || math.IsInf(v, 0), "the kept weights are finite")
	}
	_, err = r.Autoencoder.Encode(x[:8])
	require.NoError(t, err)
}

// TestDecoderComposes: the composed generator's draws are the decoded
// draws of the code generator, and it survives a save and a load.
func TestDecoderComposes(t *testing.T) {
	data, x := latentData(t)
	r, err := TrainAutoencoder(context.Background(), data, smallAE(200))
	require.NoError(t, err)
	a := r.Autoencoder
	codes := mustEncode(t, a, x)
	cd, err := FromRows(codes, 2)
	require.NoError(t, err)
	cfg := small(30)
	cfg.Output = generator.SigmoidOutput
	g, err := Train(context.Background(), cd, cfg)
	require.NoError(t, err)
	full, err := a.Decoder(g)
	require.NoError(t, err)
	assert.Equal(t, 8, full.Dim())
	assert.Equal(t, g.NoiseDim(), full.NoiseDim())
	assert.Equal(t, "gmn+autoencoder", full.Provenance().Method)

	c, err := sampler.Draw(g, sampler.NewRand(4), 300)
	require.NoError(t, err)
	want, err := a.Decode(c)
	require.NoError(t, err)
	got, err := sampler.Draw(full, sampler.NewRand(4), 300)
	require.NoError(t, err)
	require.Len(t, got, len(want))
	for i := range got {
		require.InDelta(t, want[i], got[i], 1e-12, "coordinate %d", i)
	}

	path := filepath.Join(t.TempDir(), "full.safetensors")
	require.NoError(t, full.Save(path))
	back, err := generator.Load(path)
	require.NoError(t, err)
	again, err := sampler.Draw(back, sampler.NewRand(4), 300)
	require.NoError(t, err)
	sameBits(t, got, again, "loaded")

	// The composed generator keeps its own copy of the weights.
	g.Network().Params()[0] += 1
	after, err := sampler.Draw(full, sampler.NewRand(4), 300)
	require.NoError(t, err)
	sameBits(t, got, after, "after changing the code generator")
}
