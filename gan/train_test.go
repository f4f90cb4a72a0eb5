package gan_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/gan"
	"github.com/variate/variate/generator"
	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

// small is a configuration small enough for tests.
func small(steps int) gan.Config {
	return gan.Config{Seed: 3, Steps: steps, GenHidden: []int{16, 16}, DiscHidden: []int{16, 16}, Batch: 32, NoBar: true, ProgressEvery: 10}
}

// weights returns a copy of the generator's parameters.
func weights(g *generator.Generator) []float64 {
	return append([]float64(nil), g.Network().Params()...)
}

func discLogits(d *gan.Discriminator) []float64 {
	x := []float64{-1, -0.5, 0, 0.5, 1, 2}
	out := make([]float64, len(x)/d.Dim()/d.Pack())
	d.Logits(x[:len(out)*d.Dim()*d.Pack()], out)
	return out
}

// A zero configuration trains a generator that gets the first two moments
// of the normal target roughly right.
func TestTrainNormal(t *testing.T) {
	steps := 3000
	if testing.Short() {
		steps = 1500
	}
	cfg := gan.Config{Seed: 1, Steps: steps, GenHidden: []int{32, 32}, DiscHidden: []int{32, 32}, Batch: 128, LR: 1e-3, EMA: 0.99, NoBar: true}
	res, err := gan.Fit(context.Background(), gan.FromSampler(target.Normal().Exact), cfg)
	require.NoError(t, err)
	assert.Equal(t, steps, res.Steps)
	assert.Equal(t, "gan", res.Generator.Provenance().Method)
	assert.Equal(t, "nonsaturating", res.Generator.Provenance().Loss)
	x, err := sampler.Draw(res.Generator, sampler.NewRand(5), 20000)
	require.NoError(t, err)
	var m, v float64
	for _, xi := range x {
		m += xi / float64(len(x))
	}
	for _, xi := range x {
		v += (xi - m) * (xi - m) / float64(len(x))
	}
	t.Logf("mean %.3f sd %.3f", m, math.Sqrt(v))
	// The training is deterministic for the seed; the sampling error of
	// the moments at n = 20,000 is below 0.01.
	assert.InDelta(t, 0, m, 0.15)
	assert.InDelta(t, 1, math.Sqrt(v), 0.15)
	require.NotEmpty(t, res.History)
	last := res.History[len(res.History)-1]
	assert.Equal(t, steps, last.Step)
	// At equilibrium the discriminator cannot tell: its mean scores are
	// near ½ on both sides.
	assert.InDelta(t, 0.5, last.DReal, 0.15)
	assert.InDelta(t, 0.5, last.DFake, 0.15)
}

// Same seed, same bits, whatever GOMAXPROCS is; every loss and option
// runs.
func TestDeterministic(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	configs := map[string]gan.Config{}
	for _, loss := range []gan.Loss{gan.NonSaturating, gan.Minimax, gan.AbsoluteError, gan.LeastSquares, gan.Hinge} {
		configs[loss.String()] = func() gan.Config { c := small(20); c.Loss = loss; return c }()
	}
	configs["packed"] = func() gan.Config { c := small(20); c.Pack = 4; c.DiscSteps = 2; c.LabelSmoothing = 0.1; return c }()
	configs["dropout"] = func() gan.Config { c := small(20); c.DiscDropout = 0.3; c.DiscActivation = gan.Maxout; return c }()
	configs["sigmoid"] = func() gan.Config {
		c := small(20)
		c.SigmoidOutput, c.UniformNoise, c.EMA, c.GenActivation, c.DiscActivation = true, true, -1, gan.Tanh, gan.Maxout
		return c
	}()
	data := gan.FromSampler(target.Gauss2().Exact)
	for name, cfg := range configs {
		t.Run(name, func(t *testing.T) {
			var ref []float64
			var refD []float64
			for _, procs := range []int{1, 2, 8} {
				runtime.GOMAXPROCS(procs)
				res, err := gan.Fit(context.Background(), data, cfg)
				require.NoError(t, err)
				w := weights(res.Generator)
				for _, v := range w {
					require.False(t, math.IsNaN(v))
				}
				if ref == nil {
					ref, refD = w, discLogits(res.Discriminator)
					continue
				}
				assert.Equal(t, ref, w, "GOMAXPROCS=%d", procs)
				assert.Equal(t, refD, discLogits(res.Discriminator), "GOMAXPROCS=%d", procs)
			}
			other := cfg
			other.Seed++
			res, err := gan.Fit(context.Background(), data, other)
			require.NoError(t, err)
			assert.NotEqual(t, ref, weights(res.Generator), "another seed")
		})
	}
}

// A run stopped at a checkpoint and resumed ends with the same weights,
// bit for bit, as one never interrupted: on a sampler and on a fixed data
// set (whose visiting order is part of the state), with EMA and packing.
func TestResume(t *testing.T) {
	pts, err := sampler.Draw(target.Gauss2().Exact, sampler.NewRand(1), 100)
	require.NoError(t, err)
	for name, data := range map[string]gan.Data{
		"sampler": gan.FromSampler(target.Gauss2().Exact),
		"points":  rows(t, pts, 2),
	} {
		t.Run(name, func(t *testing.T) {
			ckpt := filepath.Join(t.TempDir(), "run.ckpt")
			cfg := small(40)
			cfg.Pack, cfg.EMA, cfg.DiscDropout = 2, 0.9, 0.2
			whole, err := gan.Fit(context.Background(), data, cfg)
			require.NoError(t, err)

			first := cfg
			first.Steps, first.Checkpoint = 17, ckpt
			_, err = gan.Fit(context.Background(), data, first)
			require.NoError(t, err)
			second := cfg
			second.Resume = ckpt
			res, err := gan.Fit(context.Background(), data, second)
			require.NoError(t, err)
			assert.Equal(t, 17, res.Resumed)
			assert.Equal(t, 40, res.Steps)
			assert.Equal(t, weights(whole.Generator), weights(res.Generator))
			assert.Equal(t, discLogits(whole.Discriminator), discLogits(res.Discriminator))

			// A checkpoint of another configuration is refused.
			other := second
			other.LR = 1e-3
			_, err = gan.Fit(context.Background(), data, other)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "different configuration")
		})
	}
}

// slowData is a data sampler that takes its time, so that a run can be
// cancelled in the middle.
type slowData struct {
	sampler.Sampler
	calls atomic.Int64
}

func (s *slowData) Sample(rng *rand.Rand, dst []float64) error {
	s.calls.Add(1)
	time.Sleep(time.Millisecond)
	return s.Sampler.Sample(rng, dst)
}

// Cancelling the context stops the run within one step, with the
// generator of the last completed step and the context's error.
func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	data := &slowData{Sampler: target.Normal().Exact}
	cfg := small(1_000_000)
	var at time.Time
	cfg.Progress = func(p gan.Progress) {
		if p.Step == 20 {
			at = time.Now()
			cancel()
		}
	}
	res, err := gan.Fit(ctx, gan.FromSampler(data), cfg)
	assert.Less(t, time.Since(at), 100*time.Millisecond)
	require.ErrorIs(t, err, context.Canceled)
	require.NotNil(t, res)
	assert.Equal(t, 20, res.Steps)
	require.NotNil(t, res.Generator)
}

// blowUp is a data sampler whose draws become enormous after a number of
// calls, so the losses overflow.
type blowUp struct {
	sampler.Sampler
	after int
	n     int
}

func (b *blowUp) Sample(rng *rand.Rand, dst []float64) error {
	b.n++
	if err := b.Sampler.Sample(rng, dst); err != nil {
		return err
	}
	if b.n > b.after {
		for i := range dst {
			dst[i] = math.Copysign(1.7e308, dst[i])
		}
	}
	return nil
}

// A loss that turns infinite or NaN stops the run with an error naming
// the step, and the generator keeps the last finite weights.
func TestDiverge(t *testing.T) {
	cfg := small(100)
	cfg.EMA = -1
	res, err := gan.Fit(context.Background(), gan.FromSampler(&blowUp{Sampler: target.Normal().Exact, after: 30}), cfg)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "at step 31")
	require.NotNil(t, res)
	assert.Equal(t, 29, res.Steps)
	for _, v := range weights(res.Generator) {
		require.False(t, math.IsNaN(v) || math.IsInf(v, 0))
	}
	x, err := sampler.Draw(res.Generator, sampler.NewRand(1), 10)
	require.NoError(t, err)
	assert.Len(t, x, 10)
}

// A discriminator that wins outright under the minimax game is reported,
// with the step.
func TestSaturationWarning(t *testing.T) {
	far, err := target.IsotropicNormal([]float64{30}, 0.01)
	require.NoError(t, err)
	cfg := small(60)
	cfg.Loss, cfg.DiscLR, cfg.DiscSteps = gan.Minimax, 1e-2, 3
	res, err := gan.Fit(context.Background(), gan.FromSampler(far.Exact), cfg)
	require.NoError(t, err)
	require.NotEmpty(t, res.Warnings)
	w := res.Warnings[0]
	assert.Greater(t, w.Step, 0)
	assert.Contains(t, w.Message, "saturated")

	// The same data under the default game and rate, for a few steps,
	// is not flagged.
	cfg = small(5)
	res, err = gan.Fit(context.Background(), gan.FromSampler(target.Normal().Exact), cfg)
	require.NoError(t, err)
	assert.Empty(t, res.Warnings)
}

type nanData struct{ sampler.Sampler }

func (n nanData) Sample(rng *rand.Rand, dst []float64) error {
	_ = n.Sampler.Sample(rng, dst)
	dst[len(dst)-1] = math.NaN()
	return nil
}

type failData struct{ sampler.Sampler }

func (failData) Sample(*rand.Rand, []float64) error { return errors.New("no more draws") }

func rows(t *testing.T, x []float64, dim int) gan.Data {
	t.Helper()
	d, err := gan.FromRows(x, dim)
	require.NoError(t, err)
	return d
}

// Bad data sets are errors naming the row or what to change.
func TestFromRows(t *testing.T) {
	for _, c := range []struct {
		rows []float64
		dim  int
		want string
	}{
		{[]float64{1, 2, 3}, 2, "whole number"},
		{[]float64{1, 2, 3}, 0, "dimension is 0"},
		{[]float64{1, 2}, 2, "at least 2"},
		{[]float64{1, 2, math.NaN(), 4}, 2, "row 1"},
		{[]float64{1, math.Inf(1)}, 1, "row 1"},
	} {
		_, err := gan.FromRows(c.rows, c.dim)
		assert.ErrorContains(t, err, c.want)
	}
	x := []float64{1, 2, 3, 4}
	d, err := gan.FromRows(x, 2)
	require.NoError(t, err)
	x[0] = math.NaN() // the rows were copied
	assert.Equal(t, 2, d.Dim())
	_, err = gan.Fit(context.Background(), d, small(1))
	assert.ErrorContains(t, err, "smaller Batch")
	assert.Panics(t, func() { gan.FromSampler(nil) })
}

// Bad configurations and data are errors that say what to change.
func TestBadInput(t *testing.T) {
	normal := gan.FromSampler(target.Normal().Exact)
	cases := []struct {
		name string
		data gan.Data
		cfg  gan.Config
		want string
	}{
		{"no data", gan.Data{}, small(1), "no data"},
		{"batch over data", rows(t, make([]float64, 20), 2), small(1), "smaller Batch"},
		{"NaN draws", gan.FromSampler(nanData{target.Normal().Exact}), small(5), "finite points"},
		{"failing sampler", gan.FromSampler(failData{target.Normal().Exact}), small(5), "no more draws"},
		{"negative steps", normal, gan.Config{Steps: -1}, "negative"},
		{"negative duration", normal, gan.Config{Duration: -time.Second}, "negative"},
		{"loss", normal, gan.Config{Loss: 9}, "unknown loss"},
		{"width", normal, gan.Config{GenHidden: []int{8, 0}}, "width 0"},
		{"disc width", normal, gan.Config{DiscHidden: []int{-2}}, "width -2"},
		{"activation", normal, gan.Config{DiscActivation: 17}, "unknown discriminator activation"},
		{"noise dim", normal, gan.Config{NoiseDim: -1}, "noise dimension"},
		{"batch", normal, gan.Config{Batch: -5}, "Batch"},
		{"pack", normal, gan.Config{Pack: -1}, "Pack"},
		{"disc steps", normal, gan.Config{DiscSteps: -1}, "DiscSteps"},
		{"lr", normal, gan.Config{LR: math.NaN()}, "LR"},
		{"disc lr", normal, gan.Config{DiscLR: -1}, "DiscLR"},
		{"beta1", normal, gan.Config{Beta1: 1}, "Beta1"},
		{"beta2", normal, gan.Config{Beta2: 1.5}, "Beta2"},
		{"ema", normal, gan.Config{EMA: 1}, "EMA"},
		{"smoothing", normal, gan.Config{LabelSmoothing: 0.5}, "label smoothing"},
		{"dropout", normal, gan.Config{DiscDropout: 1}, "discriminator dropout"},
		{"dropout NaN", normal, gan.Config{DiscDropout: math.NaN()}, "discriminator dropout"},
		{"interval", normal, gan.Config{ProgressEvery: -1}, "negative interval"},
		{"resume missing", normal, gan.Config{Steps: 3, Resume: filepath.Join(t.TempDir(), "none")}, "checkpoint"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.cfg.NoBar = true
			res, err := gan.Fit(context.Background(), c.data, c.cfg)
			require.Error(t, err)
			assert.Nil(t, res)
			assert.Contains(t, err.Error(), c.want)
			assert.True(t, strings.HasPrefix(err.Error(), "gan: ") || strings.HasPrefix(err.Error(), "train: "), err.Error())
		})
	}
}

// A fixed data set is visited without replacement: with a batch of the
// whole set, every step's discriminator sees every point, and training
// runs.
func TestFixedData(t *testing.T) {
	pts, err := sampler.Draw(target.Normal().Exact, sampler.NewRand(2), 64)
	require.NoError(t, err)
	cfg := small(30)
	cfg.Batch = 64
	g, err := gan.Train(context.Background(), rows(t, pts, 1), cfg)
	require.NoError(t, err)
	assert.Equal(t, 1, g.Dim())
	assert.Equal(t, 2, g.NoiseDim())
}

// A wall-time budget stops the run; progress comes every ProgressEvery
// steps and after the last, and forms the history.
func TestDurationBudget(t *testing.T) {
	cfg := small(0)
	cfg.Duration = 300 * time.Millisecond
	var calls int
	cfg.Progress = func(gan.Progress) { calls++ }
	t0 := time.Now()
	res, err := gan.Fit(context.Background(), gan.FromSampler(target.Normal().Exact), cfg)
	require.NoError(t, err)
	assert.Less(t, time.Since(t0), 5*time.Second)
	assert.Greater(t, res.Steps, 0)
	assert.GreaterOrEqual(t, res.Elapsed, 300*time.Millisecond)
	require.NotEmpty(t, res.History)
	assert.Equal(t, calls, len(res.History))
	assert.Equal(t, res.Steps, res.History[len(res.History)-1].Step)
	for i, p := range res.History[:len(res.History)-1] {
		assert.Equal(t, 10*(i+1), p.Step)
	}
}

// Dropout acts on the discriminator while it trains and not after: the
// run differs from one without it, and the trained discriminator scores
// the same input the same way every time.
func TestDiscDropout(t *testing.T) {
	data := gan.FromSampler(target.Gauss2().Exact)
	cfg := small(20)
	plain, err := gan.Fit(context.Background(), data, cfg)
	require.NoError(t, err)
	cfg.DiscDropout = 0.5
	dropped, err := gan.Fit(context.Background(), data, cfg)
	require.NoError(t, err)
	assert.NotEqual(t, weights(plain.Generator), weights(dropped.Generator))
	assert.NotEqual(t, discLogits(plain.Discriminator), discLogits(dropped.Discriminator))
	assert.Equal(t, discLogits(dropped.Discriminator), discLogits(dropped.Discriminator))
}
