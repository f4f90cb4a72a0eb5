package gmn

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/generator"
	"github.com/variate/variate/internal/train"
	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

// small is a quick configuration for the behaviour tests.
func small(steps int) *Config {
	return &Config{Hidden: []int{16, 16}, Batch: 32, Steps: steps, FidelityEvery: -1, NoBar: true, Seed: 3}
}

func params(g *generator.Generator) []float64 {
	return append([]float64(nil), g.Network().Params()...)
}

func sameBits(t *testing.T, a, b []float64, msg string) {
	t.Helper()
	require.Equal(t, len(a), len(b), msg)
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Fatalf("%s: parameter %d differs: %v and %v", msg, i, a[i], b[i])
		}
	}
}

func ringData() Data { return FromSampler(target.Ring().Exact) }

func fixedData(t *testing.T, n int) Data {
	t.Helper()
	x, err := sampler.Draw(target.Bimodal().Exact, sampler.NewRand(9), n)
	require.NoError(t, err)
	d, err := FromRows(x, 1)
	require.NoError(t, err)
	return d
}

func TestBadInput(t *testing.T) {
	ctx := context.Background()
	_, err := FromRows([]float64{1, 2, 3}, 2)
	assert.ErrorContains(t, err, "not a whole number of rows")
	_, err = FromRows([]float64{1, 2, 3, math.NaN(), 5, 6}, 2)
	assert.ErrorContains(t, err, "row 1 has the coordinate NaN")
	_, err = FromRows([]float64{1, 2, math.Inf(1), 4}, 1)
	assert.ErrorContains(t, err, "row 2 has the coordinate +Inf")
	_, err = FromRows([]float64{1}, 1)
	assert.ErrorContains(t, err, "at least 2")
	_, err = FromRows([]float64{1, 2}, 0)
	assert.ErrorContains(t, err, "dimension is 0")

	_, err = Train(ctx, Data{}, nil)
	assert.ErrorContains(t, err, "no data")

	fixed := fixedData(t, 100)
	cases := map[string]struct {
		d   Data
		c   Config
		msg string
	}{
		"batch > rows":       {fixed, Config{DataBatch: 101}, "larger than the dataset's 100 rows"},
		"negative steps":     {fixed, Config{Steps: -1}, "negative"},
		"negative duration":  {fixed, Config{Duration: -time.Second}, "negative"},
		"zero bandwidth":     {fixed, Config{Bandwidths: []float64{1, 0}}, "bandwidth 1 is 0"},
		"NaN bandwidth":      {fixed, Config{Bandwidths: []float64{math.NaN()}}, "bandwidth 0 is NaN"},
		"negative bandwidth": {fixed, Config{Bandwidths: []float64{-1}}, "bandwidth 0 is -1"},
		"empty bandwidths":   {fixed, Config{Bandwidths: []float64{}}, "empty"},
		"activation":         {fixed, Config{Activation: "swish"}, "unknown activation"},
		"width":              {fixed, Config{Hidden: []int{8, 0}}, "hidden layer 1 has width 0"},
		"batch 1":            {fixed, Config{Batch: 1}, "at least 2"},
		"linear batches":     {fixed, Config{Estimator: Linear, Batch: 32, DataBatch: 16}, "Batch == DataBatch"},
		"LR":                 {fixed, Config{LR: -1}, "LR"},
		"noise dim":          {fixed, Config{Noise: generator.Noise{Dim: -2}}, "noise dimension"},
		"Adam momentum":      {fixed, Config{Momentum: 0.9}, "Momentum is 0.9 with adam"},
		"SGD momentum 1":     {fixed, Config{Optimizer: SGD, Momentum: 1}, "Momentum is 1 with sgd"},
		"optimiser":          {fixed, Config{Optimizer: 9}, "unknown optimiser 9"},
	}
	for name, c := range cases {
		g, err := Train(ctx, c.d, &c.c)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), c.msg, name)
		assert.Nil(t, g, name)
	}

	// A sampler that turns out NaN while training.
	calls := 0
	bad := sampler.Func(1, func(rng *rand.Rand, x []float64) error {
		calls++
		x[0] = rng.NormFloat64()
		if calls > 3*32+5 { // bandwidth batch, then two training batches
			x[0] = math.NaN()
		}
		return nil
	})
	cfg := small(10)
	cfg.FidelityEvery = -1
	g, err := Train(ctx, FromSampler(bad), cfg)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "data point 5 of step 3 has the coordinate NaN")
	require.NotNil(t, g, "the generator of step 2")
	assert.Equal(t, 2, g.Provenance().Steps)
}

func TestDeterministicAcrossGOMAXPROCS(t *testing.T) {
	steps := 6
	if testing.Short() {
		steps = 2
	}
	cfg := &Config{Bandwidths: []float64{0.02, 0.05, 0.1, 0.2, 0.5, 1}, Steps: steps, FidelityEvery: -1, NoBar: true, Seed: 11}
	var ref []float64
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, p := range []int{1, 2, 8} {
		runtime.GOMAXPROCS(p)
		g, err := Train(context.Background(), ringData(), cfg)
		require.NoError(t, err)
		if ref == nil {
			ref = params(g)
			continue
		}
		sameBits(t, ref, params(g), "GOMAXPROCS "+string(rune('0'+p)))
	}
}

func TestResumeEqualsUninterrupted(t *testing.T) {
	for name, data := range map[string]Data{"sampler": ringData(), "fixed": fixedData(t, 70), "sgd": fixedData(t, 70)} {
		cfg := small(25)
		if name == "sgd" { // its velocity must survive the resume
			cfg.Optimizer, cfg.Momentum, cfg.LR = SGD, 0.9, 0.05
		}
		cfg.DataBatch = 20 // three batches an epoch: the order must survive the resume
		cfg.FidelityEvery = 7
		cfg.HeldOut = 50
		want, err := Train(context.Background(), data, cfg)
		require.NoError(t, err, name)

		path := filepath.Join(t.TempDir(), "ck")
		first := *cfg
		first.Steps, first.Checkpoint = 11, path
		_, err = Train(context.Background(), data, &first)
		require.NoError(t, err, name)

		second := *cfg
		second.Resume = path
		r, err := TrainWithHistory(context.Background(), data, &second)
		require.NoError(t, err, name)
		assert.Equal(t, 11, r.Resumed, name)
		assert.Equal(t, 25, r.Steps, name)
		assert.Len(t, r.History, 14, name)
		assert.Equal(t, 25, r.Generator.Provenance().Steps, name)
		sameBits(t, params(want), params(r.Generator), name)
	}
}

func TestResumeRejects(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ck")
	cfg := small(5)
	cfg.Checkpoint = path
	_, err := Train(context.Background(), ringData(), cfg)
	require.NoError(t, err)

	other := small(10)
	other.Resume, other.LR = path, 2e-3
	g, err := Train(context.Background(), ringData(), other)
	require.ErrorContains(t, err, "different configuration")
	assert.Nil(t, g)

	b, err := os.ReadFile(path)
	require.NoError(t, err)
	b[len(b)/3] ^= 4
	require.NoError(t, os.WriteFile(path, b, 0o644))
	same := small(10)
	same.Resume = path
	g, err = Train(context.Background(), ringData(), same)
	require.ErrorContains(t, err, "corrupted")
	assert.Nil(t, g)
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cfg := &Config{Steps: 1 << 30, FidelityEvery: -1, NoBar: true}
	var at time.Time
	cfg.Progress = func(r Record) {
		if r.Step == 3 {
			at = time.Now()
			cancel()
		}
	}
	r, err := TrainWithHistory(ctx, ringData(), cfg)
	back := time.Now()
	require.ErrorIs(t, err, context.Canceled)
	assert.Less(t, back.Sub(at), 100*time.Millisecond)
	require.NotNil(t, r.Generator)
	assert.Equal(t, 3, r.Steps)
	// It is the generator of step 3.
	cfg3 := &Config{Steps: 3, FidelityEvery: -1, NoBar: true}
	g3, err := Train(context.Background(), ringData(), cfg3)
	require.NoError(t, err)
	sameBits(t, params(g3), params(r.Generator), "cancelled at step 3")
}

func TestDivergenceKeepsLastFinite(t *testing.T) {
	cfg := small(50)
	cfg.LR = 1e300
	g, err := Train(context.Background(), ringData(), cfg)
	var nf *train.NonFiniteError
	require.ErrorAs(t, err, &nf)
	assert.Contains(t, err.Error(), "sqrt-mmd2 is NaN at step")
	require.NotNil(t, g)
	assert.Equal(t, nf.Kept, g.Provenance().Steps)
	// The kept generator is the one of step Kept, and draws finite points.
	keep := small(max(nf.Kept, 1))
	keep.LR = 1e300
	if nf.Kept == 0 {
		keep.Steps, keep.LR = 1, 1e-300 // an Adam step of 1e-300 leaves the weights as they were
	}
	gk, err := Train(context.Background(), ringData(), keep)
	require.NoError(t, err)
	sameBits(t, params(gk), params(g), "kept parameters")
	_, err = sampler.Draw(g, sampler.NewRand(1), 100)
	assert.NoError(t, err)
}

// TestLossGradient checks the gradient that reaches the network, through
// the loss, its square root and the output map, against central finite
// differences of the loss in a few parameters.
func TestLossGradient(t *testing.T) {
	for _, c := range []Config{
		{Loss: RootMMD}, {Loss: MMD2}, {Loss: Moments}, {Loss: RootMMD, Output: generator.SigmoidOutput},
		{Loss: MMD2, Estimator: Linear}, {Loss: Moments, Output: generator.SigmoidOutput},
	} {
		c.Hidden, c.Batch, c.FidelityEvery, c.Activation = []int{8}, 16, -1, "tanh"
		data := FromSampler(target.Gauss2().Exact)
		cc, err := c.defaults(data)
		require.NoError(t, err)
		tr, err := newTrainer(data, cc)
		require.NoError(t, err)
		tr.c.Noise.Fill(tr.noiseRng, tr.z)
		require.NoError(t, tr.nextData(1))
		if c.Output == generator.SigmoidOutput {
			for i := range tr.xd {
				tr.xd[i] = 1 / (1 + math.Exp(-tr.xd[i]))
			}
		}
		tr.lossGrad()
		grad := append([]float64(nil), tr.net.Grad()...)
		p := tr.net.Params()
		for _, i := range []int{0, 3, 7, 20, len(p) - 1} {
			h := 1e-6
			old := p[i]
			p[i] = old + h
			up := tr.lossGrad()
			p[i] = old - h
			down := tr.lossGrad()
			p[i] = old
			fd := (up - down) / (2 * h)
			assert.InDelta(t, fd, grad[i], 1e-6*max(1, math.Abs(fd)), "%v/%v/%v parameter %d", c.Loss, c.Estimator, c.Output, i)
		}
	}
}

// TestLearns checks that a short run moves a generator towards a normal
// target: the held-out MMD² falls to a tenth of its start.
func TestLearns(t *testing.T) {
	cfg := &Config{Hidden: []int{32, 32}, Batch: 128, Steps: 300, FidelityEvery: 100, HeldOut: 500, NoBar: true, Seed: 1, LR: 3e-3}
	if testing.Short() {
		cfg.Steps = 100
	}
	r, err := TrainWithHistory(context.Background(), FromSampler(target.Normal().Exact), cfg)
	require.NoError(t, err)
	var first, last float64 = math.NaN(), math.NaN()
	for _, h := range r.History {
		if !math.IsNaN(h.Fidelity) {
			if math.IsNaN(first) {
				first = h.Fidelity
			}
			last = h.Fidelity
		}
	}
	// Untrained, the fidelity at step 100 is already partly trained; so
	// compare with an untrained generator's held-out MMD².
	u := *cfg
	u.Steps, u.LR = 1, 1e-300
	ru, err := TrainWithHistory(context.Background(), FromSampler(target.Normal().Exact), &u)
	require.NoError(t, err)
	t.Logf("held-out MMD²: untrained %.4g, step 100 %.4g, last %.4g", ru.Fidelity, first, last)
	assert.Less(t, last, ru.Fidelity/10)
	assert.Equal(t, cfg.Steps, len(r.History))
}

// TestSGDLearns: Li et al.'s optimiser, momentum SGD, fits the normal
// target as Adam does; without momentum the same steps do less.
func TestSGDLearns(t *testing.T) {
	heldOut := func(lr, momentum float64) float64 {
		cfg := &Config{Hidden: []int{32, 32}, Batch: 128, Steps: 300, FidelityEvery: 300, HeldOut: 500, NoBar: true, Seed: 1,
			Optimizer: SGD, LR: lr, Momentum: momentum}
		r, err := TrainWithHistory(context.Background(), FromSampler(target.Normal().Exact), cfg)
		require.NoError(t, err)
		return r.Fidelity
	}
	untrained, plain, heavy := heldOut(1e-300, 0), heldOut(0.005, 0), heldOut(0.005, 0.9)
	t.Logf("held-out MMD²: untrained %.4g, SGD %.4g, SGD with momentum 0.9 %.4g", untrained, plain, heavy)
	assert.Less(t, heavy, untrained/10)
	assert.Less(t, heavy, plain)
}

func TestHistoryAndProgress(t *testing.T) {
	cfg := small(20)
	cfg.FidelityEvery, cfg.HeldOut, cfg.ProgressEvery = 8, 40, 5
	var seen []int
	cfg.Progress = func(r Record) { seen = append(seen, r.Step) }
	r, err := TrainWithHistory(context.Background(), ringData(), cfg)
	require.NoError(t, err)
	assert.Equal(t, []int{5, 8, 10, 15, 16, 20}, seen)
	require.Len(t, r.History, 20)
	for i, h := range r.History {
		assert.Equal(t, i+1, h.Step)
		assert.Equal(t, h.Step == 8 || h.Step == 16 || h.Step == 20, !math.IsNaN(h.Fidelity), "step %d", h.Step)
		assert.False(t, math.IsNaN(h.Loss))
	}
	assert.Equal(t, r.History[19].Fidelity, r.Fidelity)
	assert.Len(t, r.Bandwidths, 5)
	assert.InDelta(t, 16, r.Bandwidths[4]/r.Bandwidths[0], 1e-12)
}

func TestDurationBudget(t *testing.T) {
	cfg := small(0)
	cfg.Duration = 50 * time.Millisecond
	r, err := TrainWithHistory(context.Background(), ringData(), cfg)
	require.NoError(t, err)
	assert.Greater(t, r.Steps, 0)
	assert.GreaterOrEqual(t, r.Elapsed, 50*time.Millisecond)
}

func TestFixedDataEpochs(t *testing.T) {
	// With 3 rows an epoch and 3 a batch, every batch is the whole set.
	d, err := FromRows([]float64{1, 2, 3}, 1)
	require.NoError(t, err)
	c, err := Config{Batch: 3, FidelityEvery: -1}.defaults(d)
	require.NoError(t, err)
	tr, err := newTrainer(d, c)
	require.NoError(t, err)
	for s := 1; s <= 4; s++ {
		require.NoError(t, tr.nextData(s))
		assert.ElementsMatch(t, []float64{1, 2, 3}, tr.xd)
	}
	_ = errors.New
}

func FuzzFromRows(f *testing.F) {
	f.Add(1.0, 2.0, 3.0, 4.0, 2)
	f.Add(math.NaN(), 0.0, 0.0, 0.0, 1)
	f.Add(1.0, math.Inf(-1), 0.0, 0.0, 4)
	f.Fuzz(func(t *testing.T, a, b, c, d float64, dim int) {
		x := []float64{a, b, c, d}
		data, err := FromRows(x, dim)
		if err != nil {
			return
		}
		for _, v := range x {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("accepted %v", x)
			}
		}
		if data.Dim() != dim || data.Rows()*dim != 4 {
			t.Fatalf("dim %d rows %d", data.Dim(), data.Rows())
		}
	})
}

func TestSnapshots(t *testing.T) {
	cfg := small(12)
	cfg.SnapshotAt, cfg.SnapshotDraws = []int{0, 5, 12, 40}, 300
	r, err := TrainWithHistory(context.Background(), ringData(), cfg)
	require.NoError(t, err)
	require.Len(t, r.Snapshots, 3)
	for i, s := range []int{0, 5, 12} {
		assert.Equal(t, s, r.Snapshots[i].Step)
		assert.Len(t, r.Snapshots[i].Draws, 600)
	}
	assert.NotEqual(t, r.Snapshots[0].Draws, r.Snapshots[2].Draws)
	// Snapshots do not disturb training.
	plain, err := Train(context.Background(), ringData(), small(12))
	require.NoError(t, err)
	sameBits(t, params(plain), params(r.Generator), "with and without snapshots")
	// The last snapshot is the returned generator's draws.
	x, err := sampler.Draw(r.Generator, sampler.NewRand(cfg.Seed^snapshotSeed), 300)
	require.NoError(t, err)
	assert.Equal(t, x, r.Snapshots[2].Draws)
}
