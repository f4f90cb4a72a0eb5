package gan

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/variate/variate/generator"
	"github.com/variate/variate/internal/nn"
	"github.com/variate/variate/internal/train"
	"github.com/variate/variate/sampler"
)

// Progress is one record of a training run.
type Progress struct {
	// Step is the number of generator steps completed.
	Step int
	// DLoss is the discriminator's loss and GLoss the loss the generator
	// minimises, on the step's minibatch.
	DLoss, GLoss float64
	// DReal and DFake are the discriminator's mean score on the step's
	// real and generated inputs: the mean probability σ(l) for the
	// cross-entropy and absolute-error losses, the mean raw score l for
	// least squares and hinge.
	DReal, DFake float64
	// Elapsed is the training time so far.
	Elapsed time.Duration
}

// A Warning is something a run noticed that may spoil its result.
type Warning struct {
	Step    int
	Message string
}

// A Result is a trained generator with what made it.
type Result struct {
	// Generator is the trained generator: the moving average of the
	// weights when EMA is on.
	Generator *generator.Generator
	// Discriminator is the discriminator at the end of training, for
	// rejection sampling (NewDRS) and Metropolis–Hastings (NewMH).
	Discriminator *Discriminator
	// History holds a Progress record every ProgressEvery steps and at the
	// last step of this run (not those of a checkpoint it resumed from).
	History []Progress
	// Warnings are in step order.
	Warnings []Warning
	// Steps is the number of generator steps the weights have had, and
	// Resumed the step the run continued from (0 for a fresh run).
	Steps, Resumed int
	// Elapsed is the training time, including a resumed checkpoint's.
	Elapsed time.Duration
}

// Train trains a generator on data with the configuration cfg and returns
// it; see Fit, which also returns the discriminator and the history.
func Train(ctx context.Context, data Data, cfg Config) (*generator.Generator, error) {
	res, err := Fit(ctx, data, cfg)
	if res == nil {
		return nil, err
	}
	return res.Generator, err
}

// saturation: a probabilistic discriminator whose mean scores on real and
// generated inputs are this far apart tells them apart almost surely, and
// the generator's gradient through it all but vanishes.
const saturation = 0.98

// Fit trains a generator against a discriminator on data. Each step makes
// cfg.DiscSteps discriminator steps on fresh minibatches, then one
// generator step on the generated draws of the last of them, each an Adam
// update.
//
// The run is deterministic for a seed whatever GOMAXPROCS is. It returns
// a Result together with:
//   - nil when the budget is spent;
//   - ctx's error when ctx is cancelled (within one step), with the
//     generator of the last completed step;
//   - an error naming the step when a loss turns NaN or infinite, with the
//     generator of the last step whose losses were finite;
//   - an error from the data sampler or a checkpoint.
//
// A configuration or data that cannot work is an error with a nil
// Result. A discriminator that saturates (mean scores on real and
// generated draws more than 0.98 apart, for the probabilistic losses) is
// a Warning naming the first step it happened, not an error.
func Fit(ctx context.Context, data Data, cfg Config) (*Result, error) {
	if err := data.check(); err != nil {
		return nil, err
	}
	s, err := cfg.settings(data.Dim())
	if err != nil {
		return nil, err
	}
	s.Data = "sampler"
	if data.s == nil {
		s.Data = fmt.Sprintf("points:%d", len(data.pts)/data.dim)
	}
	t, err := newTrainer(s, data)
	if err != nil {
		return nil, err
	}
	fp, err := train.Fingerprint(s)
	if err != nil {
		return nil, fmt.Errorf("gan: %w", err)
	}
	budget := train.Budget{Steps: cfg.Steps, Duration: cfg.Duration}
	if budget.Steps == 0 && budget.Duration == 0 {
		budget.Steps = 10_000
	}
	every := cfg.ProgressEvery
	if every == 0 {
		every = 100
	}
	res := &Result{}
	loop := train.Loop{
		Budget:        budget,
		Fingerprint:   fp,
		LossNames:     []string{"D loss", "G loss", "D(real)", "D(fake)"},
		ProgressEvery: every,
		Progress: func(r train.Report) {
			p := Progress{Step: r.Step, Elapsed: r.Elapsed}
			if len(r.Losses) == 4 {
				p.DLoss, p.GLoss, p.DReal, p.DFake = r.Losses[0], r.Losses[1], r.Losses[2], r.Losses[3]
			}
			res.History = append(res.History, p)
			if cfg.Progress != nil {
				cfg.Progress(p)
			}
		},
		Checkpoint:         cfg.Checkpoint,
		CheckpointEvery:    cfg.CheckpointEvery,
		CheckpointInterval: cfg.CheckpointInterval,
		Resume:             cfg.Resume,
		NoBar:              cfg.NoBar,
	}
	st := t.state()
	step := func(ctx context.Context, n int) ([]float64, error) {
		l, err := t.step()
		if err == nil && t.loss.probabilistic() && !t.saturated && l[2]-l[3] > saturation {
			t.saturated = true
			res.Warnings = append(res.Warnings, Warning{Step: n, Message: fmt.Sprintf(
				"gan: the discriminator saturated at step %d (mean D %.3f on real draws, %.3f on generated): %s", n, l[2], l[3], saturationAdvice(t.loss))})
		}
		return l, err
	}
	r, err := loop.Run(ctx, st, step)
	if err != nil && r.Steps == 0 {
		// Nothing was trained: a bad budget, a checkpoint that does not
		// fit, a failure or a cancellation before the first step ended.
		return nil, err
	}
	res.Steps, res.Resumed, res.Elapsed = r.Steps, r.Resumed, r.Elapsed
	gen, gerr := t.generator(res.Steps)
	if gerr != nil {
		return nil, errors.Join(err, gerr)
	}
	res.Generator = gen
	res.Discriminator = newDiscriminator(t.d.Clone(), s.Dim, s.Pack)
	return res, err
}

// trainer holds the networks, optimisers and buffers of a run.
type trainer struct {
	s         settings
	loss      Loss
	noise     generator.Noise
	g, d      *nn.Network
	gws       *nn.Workspace // generator pass over Batch·Pack draws
	dws       *nn.Workspace // discriminator pass over Batch real and Batch generated inputs
	dgws      *nn.Workspace // discriminator pass over the generated inputs of the generator step
	gopt      *nn.Adam
	dopt      *nn.Adam
	ema       *average
	src       *rand.PCG
	rng       *rand.Rand
	bat       *batcher
	z         []float64 // noise [Batch·Pack, NoiseDim]
	xd        []float64 // discriminator input: real then generated, [2·Batch, Pack·Dim]
	dl        []float64 // ∂loss/∂logit [2·Batch]
	dx        []float64 // ∂loss/∂(generated draws) [Batch·Pack, Dim]
	out       []float64 // losses of the step
	sigmoid   bool
	saturated bool
}

func activation(name string) nn.Activation {
	a, err := nn.ParseActivation(name)
	if err != nil {
		panic(err) // settings only names valid activations
	}
	return a
}

func newTrainer(s settings, data Data) (*trainer, error) {
	t := &trainer{s: s, sigmoid: s.Sigmoid}
	for i, n := range lossNames {
		if n == s.Loss {
			t.loss = Loss(i)
		}
	}
	t.noise = generator.Noise{Law: generator.Gaussian, Dim: s.NoiseDim}
	if s.Noise == generator.Uniform.String() {
		t.noise.Law = generator.Uniform
	}
	var gl, dl []nn.Layer
	for _, w := range s.GenHidden {
		gl = append(gl, nn.Layer{Out: w, Act: activation(s.GenAct)})
	}
	gl = append(gl, nn.Layer{Out: s.Dim})
	for _, w := range s.DiscHidden {
		dl = append(dl, nn.Layer{Out: w, Act: activation(s.DiscAct), Dropout: s.DiscDropout})
	}
	dl = append(dl, nn.Layer{Out: 1})
	var err error
	if t.g, err = nn.New(s.NoiseDim, gl); err != nil {
		return nil, fmt.Errorf("gan: generator: %w", err)
	}
	if t.d, err = nn.New(s.Dim*s.Pack, dl); err != nil {
		return nil, fmt.Errorf("gan: discriminator: %w", err)
	}
	// One seeded stream initialises both networks (He for ReLU-like
	// units, Glorot otherwise) and then seeds the training stream, whose
	// source the checkpoints keep.
	seed := sampler.NewRand(s.Seed)
	init := func(net *nn.Network, act string) error {
		if act == "tanh" {
			return net.Init(seed, nn.GlorotInit)
		}
		return net.Init(seed, nn.HeInit)
	}
	if err := init(t.g, s.GenAct); err != nil {
		return nil, fmt.Errorf("gan: %w", err)
	}
	if err := init(t.d, s.DiscAct); err != nil {
		return nil, fmt.Errorf("gan: %w", err)
	}
	t.src = rand.NewPCG(seed.Uint64(), seed.Uint64())
	t.rng = rand.New(t.src)
	adam := func(lr float64, per int) nn.AdamConfig {
		c := nn.DefaultAdam()
		c.LR, c.Beta1, c.Beta2 = lr, s.Beta1, s.Beta2
		if s.DecayEvery > 0 {
			c.Schedule = nn.Schedule{Every: s.DecayEvery * per, Factor: s.DecayFactor}
		}
		return c
	}
	if t.gopt, err = nn.NewAdam(t.g.NumParams(), adam(s.LR, 1)); err != nil {
		return nil, fmt.Errorf("gan: %w", err)
	}
	// The discriminator makes DiscSteps steps per generator step.
	if t.dopt, err = nn.NewAdam(t.d.NumParams(), adam(s.DiscLR, s.DiscSteps)); err != nil {
		return nil, fmt.Errorf("gan: %w", err)
	}
	if s.EMA > 0 {
		t.ema = &average{decay: s.EMA, avg: append([]float64(nil), t.g.Params()...)}
	}
	draws := s.Batch * s.Pack
	if t.bat, err = newBatcher(data, draws); err != nil {
		return nil, err
	}
	t.gws = t.g.NewWorkspace(draws)
	t.dws = t.d.NewWorkspace(2 * s.Batch)
	t.dgws = t.d.NewWorkspace(s.Batch)
	t.z = make([]float64, draws*s.NoiseDim)
	t.xd = make([]float64, 2*draws*s.Dim)
	t.dl = make([]float64, 2*s.Batch)
	t.dx = make([]float64, draws*s.Dim)
	t.out = make([]float64, 4)
	return t, nil
}

// generate draws fresh noise and returns the generated draws [Batch·Pack,
// Dim], a slice of the generator's workspace (output map applied in
// place, so Backward must be told about it: see step).
func (t *trainer) generate() []float64 {
	t.noise.Fill(t.rng, t.z)
	x := t.g.Forward(t.gws, t.z)
	if t.sigmoid {
		for i, v := range x {
			x[i] = nn.Logistic(v)
		}
	}
	return x
}

// step makes DiscSteps discriminator steps and one generator step, and
// returns the first discriminator step's loss, the generator's loss and
// the mean scores of the last discriminator step.
func (t *trainer) step() ([]float64, error) {
	s := t.s
	draws := s.Batch * s.Pack
	n := draws * s.Dim
	real, fake := t.xd[:n], t.xd[n:]
	var x []float64
	for k := range s.DiscSteps {
		if err := t.bat.fill(t.rng, real); err != nil {
			return nil, err
		}
		x = t.generate()
		copy(fake, x)
		logits := t.d.ForwardTrain(t.dws, t.xd, t.rng)
		l, mr, mf := discLoss(t.loss, s.LabelSmoothing, logits[:s.Batch], logits[s.Batch:], t.dl[:s.Batch], t.dl[s.Batch:])
		if k == 0 {
			t.out[0] = l
		}
		t.out[2], t.out[3] = mr, mf
		t.d.ZeroGrad()
		t.d.Backward(t.dws, t.dl, t.d.Grad(), nil)
		t.dopt.Step(t.d.Params(), t.d.Grad())
	}
	// The generator step: the last generated draws, judged by the
	// updated discriminator (with its dropout, as in its own steps),
	// back-propagated into the generator.
	logits := t.d.ForwardTrain(t.dgws, x, t.rng)
	gl := t.dl[:s.Batch]
	t.out[1] = genLoss(t.loss, logits, gl)
	t.d.Backward(t.dgws, gl, nil, t.dx)
	if t.sigmoid {
		for i, v := range x {
			t.dx[i] *= v * (1 - v)
		}
	}
	t.g.ZeroGrad()
	t.g.Backward(t.gws, t.dx, t.g.Grad(), nil)
	t.gopt.Step(t.g.Params(), t.g.Grad())
	if t.ema != nil {
		t.ema.update(t.g.Params(), t.gopt.Steps())
	}
	return t.out, nil
}

// saturationAdvice says what a saturated discriminator means under loss
// and which settings to change.
func saturationAdvice(loss Loss) string {
	if loss == Minimax {
		return "under the minimax loss the generator's gradient all but vanishes; use Loss NonSaturating, a smaller DiscLR, LabelSmoothing or DiscDropout"
	}
	return "it tells every generated draw from the real ones, so the generator learns little from it; try a smaller DiscLR, LabelSmoothing, DiscDropout or a smaller discriminator (DiscHidden)"
}

// state lists what a checkpoint must hold.
func (t *trainer) state() *train.State {
	st := &train.State{
		Params: []train.Tensor{
			{Name: "generator", Data: t.g.Params()},
			{Name: "discriminator", Data: t.d.Params()},
		},
		Blobs: []train.Blob{
			{Name: "rng", Value: t.src},
			{Name: "generator adam", Value: train.OptimizerValue(t.gopt)},
			{Name: "discriminator adam", Value: train.OptimizerValue(t.dopt)},
		},
	}
	if t.ema != nil {
		st.Buffers = append(st.Buffers, train.Tensor{Name: "generator average", Data: t.ema.avg})
	}
	if t.bat.perm != nil {
		st.Buffers = append(st.Buffers, train.Tensor{Name: "data order", Data: t.bat.perm})
	}
	return st
}

// generator returns the trained generator on a copy of the weights.
func (t *trainer) generator(steps int) (*generator.Generator, error) {
	net := t.g.Clone()
	if t.ema != nil {
		copy(net.Params(), t.ema.avg)
	}
	for i, v := range net.Params() {
		if !(math.Abs(v) < math.Inf(1)) {
			return nil, fmt.Errorf("gan: generator weight %d is %v after step %d", i, v, steps)
		}
	}
	out := generator.IdentityOutput
	if t.sigmoid {
		out = generator.SigmoidOutput
	}
	return generator.New(t.noise, net, out, generator.Provenance{Method: "gan", Loss: t.s.Loss, Steps: steps, Seed: t.s.Seed})
}

// average is an exponential moving average of the generator's weights
// whose decay after t updates is min(decay, (1+t)/(10+t)), so that it
// forgets the initial weights quickly in a short run (the schedule of
// TensorFlow's ExponentialMovingAverage with num_updates).
type average struct {
	decay float64
	avg   []float64
}

func (a *average) update(p []float64, t int) {
	d := min(a.decay, float64(1+t)/float64(10+t))
	for i, v := range p {
		a.avg[i] = d*a.avg[i] + (1-d)*v
	}
}
