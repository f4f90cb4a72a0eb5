package gmn

import (
	"fmt"
	"math"
	"time"

	"github.com/variate/variate/generator"
)

// Loss names what the generator minimises.
type Loss uint8

const (
	// RootMMD is √MMD², the loss of generative moment matching networks
	// (Li et al. 2015): its gradient does not vanish as the two samples
	// approach each other the way MMD²'s does. An estimate at or below
	// 1e−12 (the unbiased one can be negative) is clamped there, with zero
	// gradient.
	RootMMD Loss = iota
	// MMD2 is the estimate of MMD² itself.
	MMD2
	// Moments matches the mean and the covariance only:
	// ‖μ_g − μ_d‖² + ‖Σ_g − Σ_d‖²_F over the two minibatches (the biased,
	// 1/n, covariances). It is the direct matching of two moments, blind
	// to everything else about the shape.
	Moments
)

// String returns "sqrt-mmd2", "mmd2" or "moments".
func (l Loss) String() string {
	switch l {
	case RootMMD:
		return "sqrt-mmd2"
	case MMD2:
		return "mmd2"
	case Moments:
		return "moments"
	}
	return fmt.Sprintf("Loss(%d)", uint8(l))
}

// Estimator names the MMD² estimate the MMD losses use.
type Estimator uint8

const (
	// Unbiased is the quadratic-time U-statistic over all pairs.
	Unbiased Estimator = iota
	// Linear is the linear-time estimate over disjoint pairs; it needs
	// Batch == DataBatch.
	Linear
)

// String returns "unbiased" or "linear".
func (e Estimator) String() string {
	switch e {
	case Unbiased:
		return "unbiased"
	case Linear:
		return "linear"
	}
	return fmt.Sprintf("Estimator(%d)", uint8(e))
}

// Optimizer names the optimiser that updates the generator's weights.
type Optimizer uint8

const (
	// Adam is Kingma & Ba's Adam with β1 = 0.9, β2 = 0.999, ε = 1e−8, as
	// PyTorch's defaults.
	Adam Optimizer = iota
	// SGD is stochastic gradient descent with optional heavy-ball
	// momentum, PyTorch's form v = μ·v + g, w −= LR·v; Li et al. (2015)
	// trained their GMMNs with it.
	SGD
)

// String returns "adam" or "sgd".
func (o Optimizer) String() string {
	switch o {
	case Adam:
		return "adam"
	case SGD:
		return "sgd"
	}
	return fmt.Sprintf("Optimizer(%d)", uint8(o))
}

// Config configures Train. The zero value (or a nil *Config) means the
// defaults given on each field.
type Config struct {
	// Noise is the generator's input law: Law Uniform (on [−1, 1]) or
	// Gaussian; Dim 0 means the data's dimension.
	Noise generator.Noise
	// Hidden are the widths of the hidden layers; nil means {128, 128}.
	Hidden []int
	// Activation of the hidden layers, by name as internal/nn writes it:
	// "relu" (default), "leaky_relu(0.2)", "tanh", "softplus", ….
	Activation string
	// Output is the map applied to the last layer (identity by default;
	// SigmoidOutput for data in (0, 1)).
	Output generator.OutputMap

	// Bandwidths of the Gaussian-sum kernel. Nil means the median
	// distance between points of one data minibatch (drawn for the
	// purpose at the start) times each of BandwidthScales, by default
	// 1/4, 1/2, 1, 2 and 4.
	Bandwidths      []float64
	BandwidthScales []float64
	// Loss is what is minimised: RootMMD (default), MMD2 or Moments.
	Loss Loss
	// Estimator is the MMD² estimate: Unbiased (default) or Linear.
	Estimator Estimator

	// Batch is the number of generated points per step; default 256.
	Batch int
	// DataBatch is the number of data points per step; default Batch
	// (at most the number of rows of a fixed dataset).
	DataBatch int

	// Steps and Duration are the training budget, whichever comes first.
	// When both are zero the budget is 2000 steps; a negative value is an
	// error.
	Steps    int
	Duration time.Duration

	// Optimizer is Adam (default) or SGD; Momentum is SGD's, in [0, 1)
	// (0: none; it must be 0 with Adam).
	Optimizer Optimizer
	Momentum  float64
	// LR is the step size; default 1e-3 for Adam, 1e-2 for SGD.
	LR float64
	// DecayEvery and DecayFactor multiply the step size by DecayFactor
	// (in (0, 1]) every DecayEvery steps; DecayEvery 0 (default) keeps it
	// constant.
	DecayEvery  int
	DecayFactor float64
	// Seed fixes the initial weights, the noise and the minibatches.
	Seed uint64

	// Progress, if set, is called after every ProgressEvery-th step
	// (default 1) with that step's record.
	Progress      func(Record)
	ProgressEvery int
	// FidelityEvery is how often (in steps) the unbiased MMD² with the
	// training kernel is measured between HeldOut data points and
	// HeldOut points generated from fixed noise; it is also measured
	// after the last step. Default 250; negative means never. HeldOut
	// defaults to 1000 (at most the number of rows of a fixed dataset,
	// which are then drawn from the training rows).
	FidelityEvery int
	HeldOut       int

	// SnapshotAt lists steps after which SnapshotDraws points (default
	// 2000) are drawn from the generator as it is then, always from the
	// same noise, for pictures of the training (Result.Snapshots). Step 0
	// is the untrained generator.
	SnapshotAt    []int
	SnapshotDraws int

	// Checkpoint, CheckpointEvery, CheckpointInterval and Resume are as
	// in internal/train's Loop: a file written atomically every so many
	// steps or seconds and at the end, and a file to resume from, which
	// must have been written with the same configuration (everything but
	// the budget and these reporting settings).
	Checkpoint         string
	CheckpointEvery    int
	CheckpointInterval time.Duration
	Resume             string
	// NoBar turns off the progress bar drawn on a terminal's stderr.
	NoBar bool
}

// defaults returns c with its zero fields set, checked against the data.
func (c Config) defaults(d Data) (Config, error) {
	if c.Noise.Dim == 0 {
		c.Noise.Dim = d.dim
	}
	if c.Noise.Dim < 0 {
		return c, fmt.Errorf("gmn: noise dimension is %d; use at least 1 (0: the data's dimension)", c.Noise.Dim)
	}
	if c.Noise.Law != generator.Uniform && c.Noise.Law != generator.Gaussian {
		return c, fmt.Errorf("gmn: unknown noise law %d; use generator.Uniform or generator.Gaussian", c.Noise.Law)
	}
	if c.Hidden == nil {
		c.Hidden = []int{128, 128}
	}
	for i, w := range c.Hidden {
		if w <= 0 {
			return c, fmt.Errorf("gmn: hidden layer %d has width %d; use at least 1", i, w)
		}
	}
	if c.Activation == "" {
		c.Activation = "relu"
	}
	if c.Output != generator.IdentityOutput && c.Output != generator.SigmoidOutput {
		return c, fmt.Errorf("gmn: unknown output map %d", c.Output)
	}
	for i, s := range c.Bandwidths {
		if !(s > 0) || math.IsInf(s, 1) {
			return c, fmt.Errorf("gmn: bandwidth %d is %v; bandwidths must be positive and finite", i, s)
		}
	}
	for i, s := range c.BandwidthScales {
		if !(s > 0) || math.IsInf(s, 1) {
			return c, fmt.Errorf("gmn: bandwidth scale %d is %v; scales must be positive and finite", i, s)
		}
	}
	if c.BandwidthScales == nil {
		c.BandwidthScales = []float64{0.25, 0.5, 1, 2, 4}
	}
	if c.Bandwidths != nil && len(c.Bandwidths) == 0 || len(c.BandwidthScales) == 0 {
		return c, fmt.Errorf("gmn: the bandwidth list is empty; give at least one, or nil for the median default")
	}
	if c.Loss > Moments {
		return c, fmt.Errorf("gmn: unknown loss %d", c.Loss)
	}
	if c.Estimator > Linear {
		return c, fmt.Errorf("gmn: unknown estimator %d", c.Estimator)
	}
	if c.Batch == 0 {
		c.Batch = 256
	}
	if c.DataBatch == 0 {
		c.DataBatch = c.Batch
		if n := d.Rows(); n > 0 {
			c.DataBatch = min(c.Batch, n)
		}
	}
	if c.Batch < 2 || c.DataBatch < 2 {
		return c, fmt.Errorf("gmn: batch sizes are %d generated and %d data; each must be at least 2", c.Batch, c.DataBatch)
	}
	if c.Estimator == Linear && c.Batch != c.DataBatch {
		return c, fmt.Errorf("gmn: the linear estimator needs Batch == DataBatch, got %d and %d", c.Batch, c.DataBatch)
	}
	if n := d.Rows(); n > 0 && c.DataBatch > n {
		return c, fmt.Errorf("gmn: the data batch of %d is larger than the dataset's %d rows; use a smaller DataBatch", c.DataBatch, n)
	}
	if c.Steps < 0 || c.Duration < 0 {
		return c, fmt.Errorf("gmn: the budget (%d steps, %v) is negative; give a positive number of steps or duration", c.Steps, c.Duration)
	}
	if c.Steps == 0 && c.Duration == 0 {
		c.Steps = 2000
	}
	if c.Optimizer > SGD {
		return c, fmt.Errorf("gmn: unknown optimiser %d; use Adam or SGD", c.Optimizer)
	}
	if !(c.Momentum >= 0 && c.Momentum < 1) || c.Optimizer == Adam && c.Momentum != 0 {
		return c, fmt.Errorf("gmn: Momentum is %v with %v; use a value in [0, 1) with SGD, and 0 with Adam", c.Momentum, c.Optimizer)
	}
	if c.LR == 0 {
		c.LR = 1e-3
		if c.Optimizer == SGD {
			c.LR = 1e-2
		}
	}
	if !(c.LR > 0) || math.IsInf(c.LR, 1) {
		return c, fmt.Errorf("gmn: step size LR is %v; use a positive finite value", c.LR)
	}
	if c.DecayEvery < 0 || c.DecayEvery > 0 && !(c.DecayFactor > 0 && c.DecayFactor <= 1) {
		return c, fmt.Errorf("gmn: step-size decay by %v every %d steps; use DecayEvery ≥ 0 and a factor in (0, 1]", c.DecayFactor, c.DecayEvery)
	}
	if c.ProgressEvery < 0 {
		return c, fmt.Errorf("gmn: ProgressEvery is %d; use a count ≥ 0", c.ProgressEvery)
	}
	for _, s := range c.SnapshotAt {
		if s < 0 {
			return c, fmt.Errorf("gmn: snapshot step %d is negative", s)
		}
	}
	if c.SnapshotDraws < 0 {
		return c, fmt.Errorf("gmn: SnapshotDraws is %d; use a count ≥ 0 (0: 2000)", c.SnapshotDraws)
	}
	if c.SnapshotDraws == 0 {
		c.SnapshotDraws = 2000
	}
	if c.FidelityEvery == 0 {
		c.FidelityEvery = 250
	}
	var err error
	if c.HeldOut, err = heldOutSize(c.HeldOut, d, ""); err != nil {
		return c, err
	}
	c.HeldOut = max(c.HeldOut, 2)
	return c, nil
}

// Record is one step of the training history.
type Record struct {
	// Step is the number of steps completed.
	Step int
	// Loss is the step's loss, at the parameters it started from.
	Loss float64
	// Elapsed is the training time so far.
	Elapsed time.Duration
	// Fidelity is the held-out MMD² measured after this step, or NaN.
	Fidelity float64
}

// A Snapshot is a sample from the generator as it was after Step steps.
type Snapshot struct {
	Step  int
	Draws []float64
}
