package gmn

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/variate/variate/generator"
	"github.com/variate/variate/internal/nn"
	"github.com/variate/variate/internal/train"
)

// AutoencoderConfig configures TrainAutoencoder. The zero value (or a nil
// *AutoencoderConfig) means the defaults given on each field.
type AutoencoderConfig struct {
	// Hidden are the widths of the encoder's hidden layers, input side
	// first; the decoder has the same widths in reverse. Nil means
	// {1024}.
	Hidden []int
	// Code is the width of the code layer; default 32.
	Code int
	// Activation of the hidden layers, by name as Config.Activation;
	// default "sigmoid".
	Activation string
	// CodeActivation is the code layer's activation; default "sigmoid",
	// which puts the codes in (0, 1), where a generator with
	// SigmoidOutput reaches them.
	CodeActivation string
	// Output is the decoder's output map. With SigmoidOutput (for data in
	// [0, 1], such as pixel intensities) the loss of a row is the binary
	// cross-entropy summed over its coordinates; with IdentityOutput (the
	// default) half its squared error. A batch's loss is the mean over
	// its rows.
	Output generator.OutputMap
	// InputDropout and Dropout are the rates, in [0, 1), at which
	// training drops the encoder's inputs and its hidden units (the
	// kept ones are scaled up to keep their mean); default 0, none.
	InputDropout, Dropout float64

	// Batch is the number of rows per step; default 100.
	Batch int
	// Steps and Duration are the training budget, whichever comes first.
	// When both are zero the budget is 5000 steps; a negative value is an
	// error.
	Steps    int
	Duration time.Duration
	// LR is Adam's step size; default 1e-3 (β1 = 0.9, β2 = 0.999,
	// ε = 1e-8).
	LR float64
	// Seed fixes the initial weights, the minibatches and the dropout.
	Seed uint64

	// Progress, if set, is called after every ProgressEvery-th step
	// (default 1) with that step's record; its Loss is the batch's
	// reconstruction loss, its Fidelity the mean reconstruction loss of
	// HeldOut rows (default 1000, drawn at the start from a fixed
	// dataset's rows or from the sampler), measured every FidelityEvery
	// steps (default 500; negative: never) and after the last.
	Progress      func(Record)
	ProgressEvery int
	FidelityEvery int
	HeldOut       int

	// Checkpoint, CheckpointEvery, CheckpointInterval, Resume and NoBar
	// are as in Config.
	Checkpoint         string
	CheckpointEvery    int
	CheckpointInterval time.Duration
	Resume             string
	NoBar              bool
}

func (c AutoencoderConfig) defaults(d Data) (AutoencoderConfig, error) {
	if c.Hidden == nil {
		c.Hidden = []int{1024}
	}
	for i, w := range c.Hidden {
		if w <= 0 {
			return c, fmt.Errorf("gmn: autoencoder hidden layer %d has width %d; use at least 1", i, w)
		}
	}
	if c.Code == 0 {
		c.Code = 32
	}
	if c.Code < 0 {
		return c, fmt.Errorf("gmn: autoencoder code width is %d; use at least 1", c.Code)
	}
	if c.Activation == "" {
		c.Activation = "sigmoid"
	}
	if c.CodeActivation == "" {
		c.CodeActivation = "sigmoid"
	}
	if c.Output != generator.IdentityOutput && c.Output != generator.SigmoidOutput {
		return c, fmt.Errorf("gmn: unknown autoencoder output map %d", c.Output)
	}
	for _, p := range []struct {
		name string
		v    float64
	}{{"InputDropout", c.InputDropout}, {"Dropout", c.Dropout}} {
		if !(p.v >= 0 && p.v < 1) {
			return c, fmt.Errorf("gmn: autoencoder %s is %v; use a rate in [0, 1)", p.name, p.v)
		}
	}
	if c.Batch == 0 {
		c.Batch = 100
		if n := d.Rows(); n > 0 {
			c.Batch = min(c.Batch, n)
		}
	}
	if c.Batch < 1 {
		return c, fmt.Errorf("gmn: autoencoder batch is %d; use at least 1", c.Batch)
	}
	if n := d.Rows(); n > 0 && c.Batch > n {
		return c, fmt.Errorf("gmn: the autoencoder batch of %d is larger than the dataset's %d rows; use a smaller Batch", c.Batch, n)
	}
	if c.Steps < 0 || c.Duration < 0 {
		return c, fmt.Errorf("gmn: the autoencoder budget (%d steps, %v) is negative; give a positive number of steps or duration", c.Steps, c.Duration)
	}
	if c.Steps == 0 && c.Duration == 0 {
		c.Steps = 5000
	}
	if c.LR == 0 {
		c.LR = 1e-3
	}
	if !(c.LR > 0) || math.IsInf(c.LR, 1) {
		return c, fmt.Errorf("gmn: autoencoder step size LR is %v; use a positive finite value", c.LR)
	}
	if c.ProgressEvery < 0 {
		return c, fmt.Errorf("gmn: autoencoder ProgressEvery is %d; use a count ≥ 0", c.ProgressEvery)
	}
	if c.FidelityEvery == 0 {
		c.FidelityEvery = 500
	}
	var err error
	c.HeldOut, err = heldOutSize(c.HeldOut, d, "autoencoder ")
	return c, err
}

// An Autoencoder is a trained encoder and decoder: Encode maps data to
// codes, Decode codes back to data, and Decoder turns a generator of codes
// into a generator of data. It is safe for concurrent use.
type Autoencoder struct {
	enc, dec *nn.Network
	out      generator.OutputMap
}

// Dim is the dimension of a data point.
func (a *Autoencoder) Dim() int { return a.enc.In() }

// Code is the width of a code.
func (a *Autoencoder) Code() int { return a.enc.Out() }

// Output is the decoder's output map.
func (a *Autoencoder) Output() generator.OutputMap { return a.out }

// Encode returns the codes of the rows of x (row after row, Dim wide),
// row after row, Code wide. It returns an error if len(x) is not a whole
// number of rows or a coordinate is NaN or infinite.
func (a *Autoencoder) Encode(x []float64) ([]float64, error) {
	if err := wholeRows("Encode", x, a.Dim()); err != nil {
		return nil, err
	}
	return mapRows(a.enc, x), nil
}

// Decode returns the decoded data of the codes c (row after row, Code
// wide), row after row, Dim wide, with the output map applied. It returns
// an error if len(c) is not a whole number of codes or a coordinate is
// NaN or infinite.
func (a *Autoencoder) Decode(c []float64) ([]float64, error) {
	if err := wholeRows("Decode", c, a.Code()); err != nil {
		return nil, err
	}
	y := mapRows(a.dec, c)
	a.out.Apply(y)
	return y, nil
}

func wholeRows(what string, x []float64, d int) error {
	if len(x)%d != 0 {
		return fmt.Errorf("gmn: %s with %d numbers, not a whole number of rows of %d; pass rows of %d coordinates stored one after another", what, len(x), d, d)
	}
	return checkFinite(what+" input", x, d)
}

// aeChunk is the number of rows mapRows pushes through a network at once.
const aeChunk = 512

// mapRows returns net's output on the rows of x, aeChunk rows at a time.
func mapRows(net *nn.Network, x []float64) []float64 {
	n := len(x) / net.In()
	y := make([]float64, n*net.Out())
	if n > 0 {
		forwardInto(net, net.NewWorkspace(min(n, aeChunk)), x, y)
	}
	return y
}

// Decoder returns the generator that draws a code from g and decodes it:
// one network, g's layers followed by the decoder's, with g's output map
// as the activation of the layer between them and the decoder's output
// map at the end. Its parameters are copies, so g and a may change
// afterwards. It returns an error if g's draws are not codes of a (their
// dimension differs from Code).
func (a *Autoencoder) Decoder(g *generator.Generator) (*generator.Generator, error) {
	if g.Dim() != a.Code() {
		return nil, fmt.Errorf("gmn: the generator draws points of dimension %d, the autoencoder's codes have %d", g.Dim(), a.Code())
	}
	gn := g.Network()
	layers := gn.Layers()
	last := &layers[len(layers)-1]
	if last.Act.Kind != nn.Identity {
		return nil, fmt.Errorf("gmn: the generator's last layer has activation %v; Decoder needs an identity layer under its output map", last.Act)
	}
	if g.Output() == generator.SigmoidOutput {
		last.Act = nn.Act(nn.Sigmoid)
	}
	layers = append(layers, a.dec.Layers()...)
	net, err := nn.New(gn.In(), layers)
	if err != nil {
		return nil, fmt.Errorf("gmn: %w", err)
	}
	p := net.Params()
	copy(p[copy(p, gn.Params()):], a.dec.Params())
	prov := g.Provenance()
	prov.Method += "+autoencoder"
	return generator.New(g.Noise(), net, a.out, prov)
}

// AutoencoderResult is an autoencoder's training run.
type AutoencoderResult struct {
	// Autoencoder is the trained autoencoder; after a cancellation or a
	// non-finite loss, the one of the last good step. Nil when training
	// did not start.
	Autoencoder *Autoencoder
	// History holds one Record per step of this call.
	History []Record
	// Steps is the number of steps taken, Resumed the step the run
	// resumed from.
	Steps, Resumed int
	// Elapsed is the training time.
	Elapsed time.Duration
	// Fidelity is the last held-out reconstruction loss, NaN if none.
	Fidelity float64
}

// TrainAutoencoder trains an autoencoder on data with cfg (nil means the
// zero AutoencoderConfig): an encoder Dim-Hidden…-Code and a decoder
// Code-…Hidden-Dim, trained together with Adam on the reconstruction
// loss. It is the first half of Li et al. (2015)'s GMMN+AE: train a
// generator on the codes (Encode the data, then Train), then decode its
// draws (Decoder).
//
// It runs on the training loop Train uses, with the same guarantees:
// deterministic for a seed whatever GOMAXPROCS is, checkpoints and resume
// bit for bit, cancellation returning the last complete step with ctx's
// error, and a non-finite loss stopping with an error naming the step and
// the last finite weights. Data for a SigmoidOutput decoder must lie in
// [0, 1]; a row outside is an error naming it.
func TrainAutoencoder(ctx context.Context, data Data, cfg *AutoencoderConfig) (AutoencoderResult, error) {
	res := AutoencoderResult{Fidelity: math.NaN()}
	if data.dim == 0 {
		return res, fmt.Errorf("gmn: no data; use FromSampler or FromRows")
	}
	var c AutoencoderConfig
	if cfg != nil {
		c = *cfg
	}
	c, err := c.defaults(data)
	if err != nil {
		return res, err
	}
	if c.Output == generator.SigmoidOutput && data.s == nil {
		if err := inUnit(data.rows, data.dim, named("data")); err != nil {
			return res, err
		}
	}
	t, err := newAETrainer(data, c)
	if err != nil {
		return res, err
	}
	loop := train.Loop{
		Budget:             train.Budget{Steps: c.Steps, Duration: c.Duration},
		Fingerprint:        t.fingerprint,
		LossNames:          []string{"reconstruction"},
		ProgressEvery:      1,
		Checkpoint:         c.Checkpoint,
		CheckpointEvery:    c.CheckpointEvery,
		CheckpointInterval: c.CheckpointInterval,
		Resume:             c.Resume,
		NoBar:              c.NoBar,
	}
	if c.FidelityEvery > 0 {
		loop.FidelityEvery = c.FidelityEvery
		loop.Fidelity = t.heldOutLoss
	}
	loop.Progress = recorder(&res.History, c.Progress, c.ProgressEvery, nil)
	lr, err := loop.Run(ctx, t.state, t.step)
	res.Steps, res.Resumed, res.Elapsed, res.Fidelity = lr.Steps, lr.Resumed, lr.Elapsed, lr.Fidelity
	if err != nil && lr.Steps == 0 && lr.Resumed == 0 && !isStop(ctx, err) {
		return res, err
	}
	res.Autoencoder = &Autoencoder{enc: t.enc.Clone(), dec: t.dec.Clone(), out: c.Output}
	return res, err
}

// inUnit returns an error naming the first row of x with a coordinate
// outside [0, 1]; what (called only then) says whose row it is.
func inUnit(x []float64, d int, what func() string) error {
	for i, v := range x {
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("gmn: %s row %d has the coordinate %v (column %d), outside [0, 1], where a sigmoid decoder's cross-entropy is defined; rescale the data or use IdentityOutput", what(), i/d, v, i%d)
		}
	}
	return nil
}

func named(s string) func() string { return func() string { return s } }

// aeSeed separates an autoencoder's random streams from a generator's
// trained with the same seed.
const aeSeed = 0xae5eed

type aeTrainer struct {
	c           AutoencoderConfig
	data        Data
	enc, dec    *nn.Network
	wsE, wsD    *nn.Workspace
	adamE       *nn.Adam
	adamD       *nn.Adam
	batches     *batcher
	dataSrc     *rand.PCG
	dropSrc     *rand.PCG
	dropRng     *rand.Rand
	x, xin      []float64 // the batch, and the encoder's input after dropout
	dy, dcode   []float64 // gradients of the loss: decoder output, codes
	held        []float64 // held-out rows
	hws         [2]*nn.Workspace
	state       *train.State
	fingerprint string
	loss        [1]float64
}

func newAETrainer(data Data, c AutoencoderConfig) (*aeTrainer, error) {
	d := data.dim
	t := &aeTrainer{c: c, data: data}
	src := sources(c.Seed ^ aeSeed)
	t.dataSrc, t.dropSrc = src[streamData], src[streamNoise]
	t.dropRng = rand.New(t.dropSrc)
	t.batches = newBatcher(data, rand.New(t.dataSrc))

	act, err := nn.ParseActivation(c.Activation)
	if err != nil {
		return nil, fmt.Errorf("gmn: autoencoder: %w", err)
	}
	codeAct, err := nn.ParseActivation(c.CodeActivation)
	if err != nil {
		return nil, fmt.Errorf("gmn: autoencoder code: %w", err)
	}
	var el, dl []nn.Layer
	for _, w := range c.Hidden {
		el = append(el, nn.Layer{Out: w, Act: act, Dropout: c.Dropout})
	}
	el = append(el, nn.Layer{Out: c.Code, Act: codeAct})
	for i := len(c.Hidden) - 1; i >= 0; i-- {
		dl = append(dl, nn.Layer{Out: c.Hidden[i], Act: act})
	}
	dl = append(dl, nn.Layer{Out: d})
	if t.enc, err = nn.New(d, el); err != nil {
		return nil, fmt.Errorf("gmn: autoencoder: %w", err)
	}
	if t.dec, err = nn.New(c.Code, dl); err != nil {
		return nil, fmt.Errorf("gmn: autoencoder: %w", err)
	}
	init := rand.New(src[streamInit])
	for _, n := range []*nn.Network{t.enc, t.dec} {
		if err := n.Init(init, nn.TorchInit); err != nil {
			return nil, fmt.Errorf("gmn: autoencoder: %w", err)
		}
	}
	t.wsE, t.wsD = t.enc.NewWorkspace(c.Batch), t.dec.NewWorkspace(c.Batch)
	adam := nn.DefaultAdam()
	adam.LR = c.LR
	if t.adamE, err = nn.NewAdam(t.enc.NumParams(), adam); err != nil {
		return nil, fmt.Errorf("gmn: autoencoder: %w", err)
	}
	if t.adamD, err = nn.NewAdam(t.dec.NumParams(), adam); err != nil {
		return nil, fmt.Errorf("gmn: autoencoder: %w", err)
	}
	t.x = make([]float64, c.Batch*d)
	t.xin = make([]float64, c.Batch*d)
	t.dy = make([]float64, c.Batch*d)
	t.dcode = make([]float64, c.Batch*c.Code)
	if c.FidelityEvery > 0 && c.HeldOut > 0 {
		t.held = make([]float64, c.HeldOut*d)
		if err := drawSetup(data, rand.New(src[streamHeldOut]), t.held, "the held-out batch"); err != nil {
			return nil, err
		}
		if c.Output == generator.SigmoidOutput {
			if err := inUnit(t.held, d, named("held-out data")); err != nil {
				return nil, err
			}
		}
		m := min(c.HeldOut, aeChunk)
		t.hws = [2]*nn.Workspace{t.enc.NewWorkspace(m), t.dec.NewWorkspace(m)}
	}
	t.state = &train.State{
		Params:  []train.Tensor{{Name: "encoder", Data: t.enc.Params()}, {Name: "decoder", Data: t.dec.Params()}},
		Buffers: t.batches.buffers(),
		Blobs: []train.Blob{
			{Name: "adam.encoder", Value: train.OptimizerValue(t.adamE)},
			{Name: "adam.decoder", Value: train.OptimizerValue(t.adamD)},
			{Name: "rng.data", Value: t.dataSrc},
			{Name: "rng.dropout", Value: t.dropSrc},
		},
	}
	t.fingerprint, err = train.Fingerprint(struct {
		Method                     string
		Hidden                     []int
		Code                       int
		Activation, CodeActivation string
		Output                     string
		InputDropout, Dropout      float64
		Batch, Dim, Rows           int
		Data                       string
		LR                         float64
		Seed                       uint64
	}{"gmn-autoencoder/1", c.Hidden, c.Code, c.Activation, c.CodeActivation, c.Output.String(),
		c.InputDropout, c.Dropout, c.Batch, d, data.Rows(), dataSum(data), c.LR, c.Seed})
	if err != nil {
		return nil, err
	}
	return t, nil
}

func (t *aeTrainer) step(ctx context.Context, step int) ([]float64, error) {
	if err := t.batches.fill(t.x, step); err != nil {
		return nil, err
	}
	if t.c.Output == generator.SigmoidOutput && t.data.s != nil {
		if err := inUnit(t.x, t.data.dim, func() string { return fmt.Sprintf("step %d's sampled", step) }); err != nil {
			return nil, err
		}
	}
	in := t.x
	if p := t.c.InputDropout; p > 0 {
		keep := 1 / (1 - p)
		for i, v := range t.x {
			if t.dropRng.Float64() < p {
				t.xin[i] = 0
			} else {
				t.xin[i] = v * keep
			}
		}
		in = t.xin
	}
	code := t.enc.ForwardTrain(t.wsE, in, t.dropRng)
	y := t.dec.Forward(t.wsD, code)
	t.loss[0] = reconstruction(t.c.Output, y, t.x, t.dy, t.c.Batch)
	if math.IsNaN(t.loss[0]) || math.IsInf(t.loss[0], 0) {
		return t.loss[:], nil // the loop rolls back
	}
	t.enc.ZeroGrad()
	t.dec.ZeroGrad()
	t.dec.Backward(t.wsD, t.dy, t.dec.Grad(), t.dcode)
	t.enc.Backward(t.wsE, t.dcode, t.enc.Grad(), nil)
	t.adamE.Step(t.enc.Params(), t.enc.Grad())
	t.adamD.Step(t.dec.Params(), t.dec.Grad())
	return t.loss[:], nil
}

// reconstruction returns the mean over the rows of the loss between the
// decoder's outputs y (before the output map) and the data x, and, if dy
// is not nil, sets it to the gradient with respect to y: for
// SigmoidOutput the cross-entropy softplus(y) − x·y per coordinate, with
// gradient σ(y) − x; otherwise ½(y − x)², with gradient y − x; each
// divided by the number of rows.
func reconstruction(out generator.OutputMap, y, x, dy []float64, rows int) float64 {
	var sum float64
	inv := 1 / float64(rows)
	for i, z := range y {
		var l, g float64
		if out == generator.SigmoidOutput {
			l, g = nn.LogOnePlusExp(z)-x[i]*z, nn.Logistic(z)-x[i]
		} else {
			g = z - x[i]
			l = 0.5 * g * g
		}
		sum += l
		if dy != nil {
			dy[i] = g * inv
		}
	}
	return sum * inv
}

// heldOutLoss is the mean reconstruction loss of the held-out rows,
// without dropout.
func (t *aeTrainer) heldOutLoss(ctx context.Context) (float64, error) {
	if t.held == nil {
		return math.NaN(), nil
	}
	d := t.data.dim
	n := len(t.held) / d
	var sum float64
	for s := 0; s < n; s += t.hws[0].MaxBatch() {
		e := min(s+t.hws[0].MaxBatch(), n)
		x := t.held[s*d : e*d]
		y := t.dec.Forward(t.hws[1], t.enc.Forward(t.hws[0], x))
		sum += reconstruction(t.c.Output, y, x, nil, 1)
	}
	return sum / float64(n), nil
}
