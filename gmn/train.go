package gmn

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/variate/variate/generator"
	"github.com/variate/variate/internal/nn"
	"github.com/variate/variate/internal/train"
	"github.com/variate/variate/mmd"
	"github.com/variate/variate/sampler"
)

// Result is a training run: the generator and how it got there.
type Result struct {
	// Generator is the trained generator; after a cancellation or a
	// non-finite loss, the one of the last good step. Nil when training
	// did not start.
	Generator *generator.Generator
	// History holds one Record per step of this call (a resumed run's
	// earlier steps are in the run that made them).
	History []Record
	// Steps is the number of steps the generator has had, Resumed the
	// step the run resumed from.
	Steps, Resumed int
	// Elapsed is the training time, setup excluded.
	Elapsed time.Duration
	// Setup is the time spent before the first step (bandwidths,
	// initialisation, held-out batches, loading a checkpoint).
	Setup time.Duration
	// Bandwidths are the kernel's bandwidths.
	Bandwidths []float64
	// Fidelity is the last held-out MMD² measured, NaN if none.
	Fidelity float64
	// Snapshots are the samples asked for by Config.SnapshotAt, in step
	// order.
	Snapshots []Snapshot
}

// Train trains a generator on data with cfg (nil means the zero Config)
// and returns it. See TrainWithHistory.
func Train(ctx context.Context, data Data, cfg *Config) (*generator.Generator, error) {
	r, err := TrainWithHistory(ctx, data, cfg)
	return r.Generator, err
}

// TrainWithHistory trains a generator on data with cfg (nil means the
// zero Config) and returns it with its training history.
//
// Each step draws Batch noise vectors and DataBatch data points, computes
// the loss between the generated and the data minibatches with its
// gradient with respect to the generated points, back-propagates it
// through the network and takes one step of the optimiser (Adam or SGD).
//
// It returns an error for data or a configuration it cannot use (naming
// the setting), for a data point that is NaN or infinite, and for a
// checkpoint to resume from that is corrupted or was written by another
// configuration. When ctx is cancelled it returns ctx's error with the
// generator of the last complete step; when the loss turns NaN or
// infinite, an error naming the step with the generator of the last step
// whose loss was finite.
func TrainWithHistory(ctx context.Context, data Data, cfg *Config) (Result, error) {
	t0 := time.Now()
	res := Result{Fidelity: math.NaN()}
	if data.dim == 0 {
		return res, fmt.Errorf("gmn: no data; use FromSampler or FromRows")
	}
	var c Config
	if cfg != nil {
		c = *cfg
	}
	c, err := c.defaults(data)
	if err != nil {
		return res, err
	}
	tr, err := newTrainer(data, c)
	if err != nil {
		return res, err
	}
	res.Bandwidths = tr.bandwidths

	loop := train.Loop{
		Budget:             train.Budget{Steps: c.Steps, Duration: c.Duration},
		Fingerprint:        tr.fingerprint,
		LossNames:          []string{c.Loss.String()},
		ProgressEvery:      1,
		Checkpoint:         c.Checkpoint,
		CheckpointEvery:    c.CheckpointEvery,
		CheckpointInterval: c.CheckpointInterval,
		Resume:             c.Resume,
		NoBar:              c.NoBar,
	}
	if c.FidelityEvery > 0 {
		loop.FidelityEvery = c.FidelityEvery
		loop.Fidelity = tr.fidelity
	}
	g, err := generator.New(c.Noise, tr.net, c.Output, generator.Provenance{Method: "gmn", Loss: c.Loss.String(), Seed: c.Seed})
	if err != nil {
		return res, err
	}
	var snapErr error
	snapshot := func(step int) {
		if !slices.Contains(c.SnapshotAt, step) || snapErr != nil {
			return
		}
		x, err := sampler.Draw(g, sampler.NewRand(c.Seed^snapshotSeed), c.SnapshotDraws)
		if err != nil {
			snapErr = fmt.Errorf("gmn: snapshot after step %d: %w", step, err)
			return
		}
		res.Snapshots = append(res.Snapshots, Snapshot{Step: step, Draws: x})
	}
	if c.Resume == "" {
		snapshot(0)
	}
	loop.Progress = recorder(&res.History, c.Progress, c.ProgressEvery, snapshot)
	res.Setup = time.Since(t0)
	lr, err := loop.Run(ctx, tr.state, tr.step)
	res.Steps, res.Resumed, res.Elapsed, res.Fidelity = lr.Steps, lr.Resumed, lr.Elapsed, lr.Fidelity
	if err == nil {
		err = snapErr
	}
	if err != nil && lr.Steps == 0 && lr.Resumed == 0 && !isStop(ctx, err) {
		return res, err
	}
	g, gerr := generator.New(c.Noise, tr.net, c.Output, generator.Provenance{
		Method: "gmn", Loss: c.Loss.String(), Steps: lr.Steps, Seed: c.Seed})
	if gerr != nil {
		return res, gerr
	}
	res.Generator = g
	return res, err
}

// recorder returns the Loop's progress callback of a trainer: it appends
// one Record per step to hist (calling onNew with the step), fills in the
// end-of-run fidelity of the last step when the Loop reports it again,
// and calls progress, if set, every every-th step (at least 1) and at
// every fidelity measurement.
func recorder(hist *[]Record, progress func(Record), every int, onNew func(step int)) func(train.Report) {
	every = max(every, 1)
	return func(r train.Report) {
		rec := Record{Step: r.Step, Loss: r.Losses[0], Elapsed: r.Elapsed, Fidelity: r.Fidelity}
		if n := len(*hist); n > 0 && (*hist)[n-1].Step == r.Step {
			(*hist)[n-1].Fidelity = r.Fidelity
		} else {
			*hist = append(*hist, rec)
			if onNew != nil {
				onNew(r.Step)
			}
		}
		if progress != nil && (r.Step%every == 0 || !math.IsNaN(r.Fidelity)) {
			progress(rec)
		}
	}
}

// heldOutSize checks and defaults a held-out count: 0 means 1000, and a
// fixed dataset caps it at its number of rows.
func heldOutSize(n int, d Data, what string) (int, error) {
	if n < 0 {
		return n, fmt.Errorf("gmn: %sHeldOut is %d; use a count ≥ 0 (0: 1000)", what, n)
	}
	if n == 0 {
		n = 1000
	}
	if rows := d.Rows(); rows > 0 {
		n = min(n, rows)
	}
	return n, nil
}

// isStop reports whether err ended a run that has a generator worth
// returning even at step 0 (cancelled, or a non-finite first loss),
// rather than one that could not start.
func isStop(ctx context.Context, err error) bool {
	var nf *train.NonFiniteError
	return errors.As(err, &nf) || ctx.Err() != nil && errors.Is(err, ctx.Err())
}

// snapshotSeed separates the snapshots' noise from the training streams.
const snapshotSeed = 0x5eed5a4d

// Stream indices of a run's random sources.
const (
	streamInit = iota
	streamNoise
	streamData
	streamHeldOut
	streamBandwidth
	numStreams
)

// sources returns the run's random sources: PCGs seeded from the
// library's streams for the seed, kept as PCGs so that checkpoints can
// save their positions.
func sources(seed uint64) []*rand.PCG {
	st := sampler.Streams(seed, numStreams)
	out := make([]*rand.PCG, numStreams)
	for i, r := range st {
		out[i] = rand.NewPCG(r.Uint64(), r.Uint64())
	}
	return out
}

type trainer struct {
	c          Config
	data       Data
	dim, k     int
	net        *nn.Network
	ws         *nn.Workspace
	opt        nn.Optimizer
	est        *mmd.Estimator
	bandwidths []float64
	noiseSrc   *rand.PCG
	dataSrc    *rand.PCG
	noiseRng   *rand.Rand
	dataRng    *rand.Rand

	z, x, gx, gy []float64 // noise, generated points, their gradient, the network output's
	xd           []float64 // data batch
	batches      *batcher
	mom          *moments

	// held-out fidelity
	fest   *mmd.Estimator
	hz, hx []float64 // fixed noise and its image
	hd     []float64 // held-out data
	hws    *nn.Workspace

	state       *train.State
	fingerprint string
	loss        [1]float64 // the step's loss, returned to the loop (which copies it)
}

func newTrainer(data Data, c Config) (*trainer, error) {
	d := data.dim
	t := &trainer{c: c, data: data, dim: d, k: c.Noise.Dim}
	src := sources(c.Seed)
	t.noiseSrc, t.dataSrc = src[streamNoise], src[streamData]
	t.noiseRng, t.dataRng = rand.New(t.noiseSrc), rand.New(t.dataSrc)

	act, err := nn.ParseActivation(c.Activation)
	if err != nil {
		return nil, fmt.Errorf("gmn: %w", err)
	}
	layers := make([]nn.Layer, 0, len(c.Hidden)+1)
	for _, w := range c.Hidden {
		layers = append(layers, nn.Layer{Out: w, Act: act})
	}
	layers = append(layers, nn.Layer{Out: d})
	if t.net, err = nn.New(t.k, layers); err != nil {
		return nil, fmt.Errorf("gmn: %w", err)
	}
	if err := t.net.Init(rand.New(src[streamInit]), nn.TorchInit); err != nil {
		return nil, fmt.Errorf("gmn: %w", err)
	}
	t.ws = t.net.NewWorkspace(c.Batch)
	sched := nn.Schedule{Every: c.DecayEvery, Factor: c.DecayFactor}
	if c.Optimizer == SGD {
		t.opt, err = nn.NewSGD(t.net.NumParams(), nn.SGDConfig{LR: c.LR, Momentum: c.Momentum, Schedule: sched})
	} else {
		adam := nn.DefaultAdam()
		adam.LR, adam.Schedule = c.LR, sched
		t.opt, err = nn.NewAdam(t.net.NumParams(), adam)
	}
	if err != nil {
		return nil, fmt.Errorf("gmn: %w", err)
	}

	t.z = make([]float64, c.Batch*t.k)
	t.x = make([]float64, c.Batch*d)
	t.gx = make([]float64, c.Batch*d)
	t.gy = make([]float64, c.Batch*d)
	t.xd = make([]float64, c.DataBatch*d)
	t.batches = newBatcher(data, t.dataRng)

	// Bandwidths: given, or around the median distance of one minibatch.
	t.bandwidths = c.Bandwidths
	if t.bandwidths == nil {
		b := make([]float64, c.DataBatch*d)
		if err := t.draw(rand.New(src[streamBandwidth]), b, "the bandwidth batch"); err != nil {
			return nil, err
		}
		med, err := mmd.MedianBandwidth(b, nil, d)
		if err != nil {
			return nil, fmt.Errorf("gmn: default bandwidths: %w; give Bandwidths", err)
		}
		for _, s := range c.BandwidthScales {
			t.bandwidths = append(t.bandwidths, s*med)
		}
	}
	k, err := mmd.GaussianSum(t.bandwidths...)
	if err != nil {
		return nil, fmt.Errorf("gmn: %w", err)
	}
	if t.est, err = mmd.NewEstimator(k, d, nil); err != nil {
		return nil, fmt.Errorf("gmn: %w", err)
	}
	if c.Loss == Moments {
		t.mom = newMoments(d)
	}

	if c.FidelityEvery > 0 {
		h := rand.New(src[streamHeldOut])
		t.hd = make([]float64, c.HeldOut*d)
		if err := t.draw(h, t.hd, "the held-out batch"); err != nil {
			return nil, err
		}
		t.hz = make([]float64, c.HeldOut*t.k)
		c.Noise.Fill(h, t.hz)
		t.hx = make([]float64, c.HeldOut*d)
		t.hws = t.net.NewWorkspace(min(c.HeldOut, 1024))
		if t.fest, err = mmd.NewEstimator(k, d, nil); err != nil {
			return nil, fmt.Errorf("gmn: %w", err)
		}
	}

	t.state = &train.State{
		Params: []train.Tensor{{Name: "generator", Data: t.net.Params()}},
		Blobs: []train.Blob{
			{Name: c.Optimizer.String(), Value: train.OptimizerValue(t.opt)},
			{Name: "rng.noise", Value: t.noiseSrc},
			{Name: "rng.data", Value: t.dataSrc},
		},
	}
	t.state.Buffers = t.batches.buffers()
	if t.fingerprint, err = t.fingerprintOf(); err != nil {
		return nil, err
	}
	return t, nil
}

// fingerprintOf identifies everything that decides what a step does.
func (t *trainer) fingerprintOf() (string, error) {
	c := t.c
	return train.Fingerprint(struct {
		Method                      string
		NoiseLaw, NoiseDim          int
		Hidden                      []int
		Activation, Output          string
		Bandwidths                  []float64
		Loss, Estimator             string
		Batch, DataBatch, Dim, Rows int
		Data                        string
		LR, DecayFactor             float64
		DecayEvery                  int
		Seed                        uint64
		// set only for SGD, so that an Adam run's fingerprint is
		// what it was before the choice existed
		Optimizer string  `json:",omitempty"`
		Momentum  float64 `json:",omitempty"`
	}{"gmn/1", int(c.Noise.Law), c.Noise.Dim, c.Hidden, c.Activation, c.Output.String(),
		t.bandwidths, c.Loss.String(), c.Estimator.String(), c.Batch, c.DataBatch, t.dim, t.data.Rows(),
		dataSum(t.data), c.LR, c.DecayFactor, c.DecayEvery, c.Seed, sgdName(c.Optimizer), c.Momentum})
}

// sgdName is "sgd" for SGD and "" for Adam, for the fingerprint.
func sgdName(o Optimizer) string {
	if o == SGD {
		return o.String()
	}
	return ""
}

// dataSum is the SHA-256 of a fixed dataset's numbers, "" for sampler
// data.
func dataSum(data Data) string {
	if data.s != nil {
		return ""
	}
	h := sha256.New()
	var b [8]byte
	for _, v := range data.rows {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
		h.Write(b[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// draw fills dst with data points for setup (bandwidth and held-out
// batches).
func (t *trainer) draw(rng *rand.Rand, dst []float64, what string) error {
	return drawSetup(t.data, rng, dst, what)
}

// drawSetup fills dst with data points for setup: from the sampler, or
// distinct rows of the dataset picked by a partial shuffle.
func drawSetup(data Data, rng *rand.Rand, dst []float64, what string) error {
	d := data.dim
	if s := data.s; s != nil {
		if err := s.Sample(rng, dst); err != nil {
			return fmt.Errorf("gmn: drawing %s: %w", what, err)
		}
		return checkFinite("sampler data ("+what+")", dst, d)
	}
	n := data.Rows()
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	for i := range len(dst) / d {
		j := i + rng.IntN(n-i)
		idx[i], idx[j] = idx[j], idx[i]
		copy(dst[i*d:(i+1)*d], data.rows[idx[i]*d:(idx[i]+1)*d])
	}
	return nil
}

// nextData fills t.xd with the data minibatch of a step.
func (t *trainer) nextData(step int) error { return t.batches.fill(t.xd, step) }

// rootFloor is where √MMD² is clamped, as the reference implementation
// clamps MMD² at 1e-12 before its square root.
const rootFloor = 1e-12

func (t *trainer) step(ctx context.Context, step int) ([]float64, error) {
	t.c.Noise.Fill(t.noiseRng, t.z)
	if err := t.nextData(step); err != nil {
		return nil, err
	}
	loss := t.lossGrad()
	t.loss[0] = loss
	if math.IsNaN(loss) {
		return t.loss[:], nil // the generator diverged; the loop rolls back
	}
	t.opt.Step(t.net.Params(), t.net.Grad())
	return t.loss[:], nil
}

// lossGrad returns the loss between the image of t.z and the data batch
// t.xd and sets the network's gradient to its gradient with respect to
// the parameters. It returns NaN if the generated points are not finite.
func (t *trainer) lossGrad() float64 {
	c := &t.c
	copy(t.x, t.net.Forward(t.ws, t.z))
	c.Output.Apply(t.x)
	for _, v := range t.x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return math.NaN()
		}
	}
	var loss float64
	switch c.Loss {
	case Moments:
		loss = t.mom.lossGrad(t.x, t.xd, t.gx)
	default:
		var v float64
		var err error
		if c.Estimator == Linear {
			v, err = t.est.LinearGrad(t.x, t.xd, t.gx)
		} else {
			v, err = t.est.UnbiasedGrad(t.x, t.xd, t.gx)
		}
		if err != nil {
			return math.NaN()
		}
		loss = v
		if c.Loss == RootMMD {
			if v > rootFloor {
				loss = math.Sqrt(v)
				s := 0.5 / loss
				for i := range t.gx {
					t.gx[i] *= s
				}
			} else {
				loss = math.Sqrt(rootFloor)
				clear(t.gx)
			}
		}
	}
	gy := t.gx
	if c.Output == generator.SigmoidOutput {
		for i, v := range t.x {
			t.gy[i] = t.gx[i] * v * (1 - v)
		}
		gy = t.gy
	}
	t.net.ZeroGrad()
	t.net.Backward(t.ws, gy, t.net.Grad(), nil)
	return loss
}

// forwardInto sets y to net's output on the rows of x, pushing
// ws.MaxBatch() rows through at a time.
func forwardInto(net *nn.Network, ws *nn.Workspace, x, y []float64) {
	in, out := net.In(), net.Out()
	n := len(x) / in
	for s := 0; s < n; s += ws.MaxBatch() {
		e := min(s+ws.MaxBatch(), n)
		copy(y[s*out:e*out], net.Forward(ws, x[s*in:e*in]))
	}
}

// fidelity is the unbiased MMD² between the held-out data and the image
// of the fixed held-out noise.
func (t *trainer) fidelity(ctx context.Context) (float64, error) {
	forwardInto(t.net, t.hws, t.hz, t.hx)
	t.c.Output.Apply(t.hx)
	if err := checkFinite("generated held-out", t.hx, t.dim); err != nil {
		return math.NaN(), nil
	}
	return t.fest.Unbiased(t.hx, t.hd)
}
