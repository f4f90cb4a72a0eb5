package gan

import (
	"fmt"
	"math"
	"time"

	"github.com/variate/variate/generator"
)

// A Loss names the adversarial game. In every case the discriminator
// outputs a real score l(x) (its logit); the losses that read it as a
// probability use D(x) = σ(l(x)) = 1/(1+e^−l(x)).
type Loss uint8

const (
	// NonSaturating is the cross-entropy game with the generator
	// minimising −log D(G(z)) instead of log(1 − D(G(z))) (Goodfellow et
	// al. 2014, section 3): the same fixed points, but strong gradients
	// while the generator is poor. The default.
	NonSaturating Loss = iota
	// Minimax is the original cross-entropy game: the discriminator
	// minimises −E_t[log D] − E_g[log(1−D)], the generator maximises it.
	// Its generator gradient vanishes when the discriminator wins.
	Minimax
	// AbsoluteError is the game E(G, D) = ½E_t[1 − D(x)] + ½E_g[D(x)]: the
	// discriminator's expected absolute error, which it minimises and the
	// generator maximises. The best discriminator is the indicator
	// 1[p_t ≥ p_g], and the value of the game is then ½∫min(p_t, p_g) =
	// (1 − TV)/2.
	AbsoluteError
	// LeastSquares is the least-squares GAN (Mao et al. 2017, with the
	// targets a = 0, b = c = 1): the discriminator minimises
	// ½E_t[(l−1)²] + ½E_g[l²] on its raw score, the generator ½E_g[(l−1)²].
	LeastSquares
	// Hinge is the hinge game (Lim & Ye 2017; Miyato et al. 2018): the
	// discriminator minimises E_t[max(0, 1−l)] + E_g[max(0, 1+l)], the
	// generator −E_g[l].
	Hinge
)

var lossNames = [...]string{
	NonSaturating: "nonsaturating",
	Minimax:       "minimax",
	AbsoluteError: "absolute",
	LeastSquares:  "leastsquares",
	Hinge:         "hinge",
}

// String returns the loss's name: "nonsaturating", "minimax", "absolute",
// "leastsquares" or "hinge".
func (l Loss) String() string {
	if int(l) < len(lossNames) {
		return lossNames[l]
	}
	return fmt.Sprintf("Loss(%d)", uint8(l))
}

// probabilistic reports whether the loss reads the score as a probability
// σ(l), so that "mean D" is a mean probability.
func (l Loss) probabilistic() bool { return l <= AbsoluteError }

// Activation names a hidden-layer activation of either network.
type Activation uint8

const (
	// DefaultActivation is ReLU for the generator and LeakyReLU(0.2) for
	// the discriminator (Radford et al. 2016).
	DefaultActivation Activation = iota
	ReLU                         // max(z, 0)
	LeakyReLU                    // z for z > 0, 0.2·z otherwise
	Tanh                         // tanh(z)
	Maxout                       // the largest of 5 linear pieces (Goodfellow et al. 2013; PacGAN's discriminator)
)

// A Config sets up a training run. Its zero value means the documented
// defaults, chosen so that a user who sets nothing gets a good generator
// for the low-dimensional targets of the catalogue.
type Config struct {
	// Seed fixes every random choice: initial weights, noise, minibatches.
	Seed uint64

	// Loss is the game; default NonSaturating.
	Loss Loss

	// UniformNoise selects noise uniform on [−1, 1)^NoiseDim instead of
	// the default standard normal noise.
	UniformNoise bool
	// NoiseDim is the noise dimension; default max(2, data dimension).
	NoiseDim int
	// GenHidden and DiscHidden are the hidden widths of the generator
	// and of the discriminator; default {128, 128} each.
	GenHidden, DiscHidden []int
	// GenActivation and DiscActivation are the hidden activations;
	// default ReLU and LeakyReLU(0.2).
	GenActivation, DiscActivation Activation
	// SigmoidOutput maps the generator's outputs into (0, 1), as pixel
	// intensities are.
	SigmoidOutput bool

	// Batch is the number of discriminator inputs per side and step: each
	// discriminator step judges Batch real and Batch generated inputs of
	// Pack draws each. Default 256.
	Batch int
	// Pack is PacGAN's packing degree m (Lin et al. 2018): the
	// discriminator judges m draws concatenated, all real or all
	// generated. Default 1 (no packing).
	Pack int
	// DiscSteps is the number of discriminator steps per generator step;
	// default 1.
	DiscSteps int

	// LR is Adam's step size for both networks, and DiscLR the
	// discriminator's if it should differ. Default 2e-4 (Radford et al.
	// 2016).
	LR, DiscLR float64
	// Beta1 and Beta2 are Adam's moment decays; default 0.5 and 0.999.
	// Radford et al. (2016) found the usual β1 = 0.9 made training
	// oscillate and unstable, and 0.5 steadier; it has been the usual GAN
	// setting since. Zero means the default, so β1 = 0 is not available.
	Beta1, Beta2 float64
	// DecayEvery, when positive, multiplies both step sizes by
	// DecayFactor, in (0, 1), every DecayEvery generator steps (step
	// decay): smaller steps late in training make the draws jitter less.
	// Default: a constant step size.
	DecayEvery  int
	DecayFactor float64
	// EMA is the decay of an exponential moving average of the
	// generator's weights (Yazıcı et al. 2019); the returned generator
	// has the averaged weights. After t steps the decay used is
	// min(EMA, (1+t)/(10+t)), so a short run does not keep its initial
	// weights. Default 0.999; a negative value turns averaging off.
	EMA float64
	// LabelSmoothing s, in [0, 0.5), sets the discriminator's target for
	// real draws to 1 − s (one-sided label smoothing, Salimans et al.
	// 2016); it applies to the cross-entropy losses only. Default 0.
	LabelSmoothing float64
	// DiscDropout, in [0, 1), is the dropout rate of the discriminator's
	// hidden units during training (Srivastava et al. 2014), as in
	// Goodfellow et al. (2014)'s maxout discriminators, to slow a
	// discriminator that memorises the training draws and wins the game
	// outright. The kept units are scaled up, so the trained
	// discriminator (Result.Discriminator, DRS, MH-GAN) is used without
	// dropout. Default 0, none.
	DiscDropout float64

	// Steps and Duration are the training budget, the generator steps
	// and the wall time, whichever comes first; both count from the
	// start of the run, including a resumed checkpoint. When both are
	// zero, 10,000 steps.
	Steps    int
	Duration time.Duration

	// Progress, if set, is called on the caller's goroutine every
	// ProgressEvery steps (default 100) and after the last; the same
	// records form Result.History.
	Progress      func(Progress)
	ProgressEvery int
	// NoBar turns off the progress bar drawn on standard error when it is
	// a terminal.
	NoBar bool

	// Checkpoint, if not empty, is a file written atomically every
	// CheckpointEvery steps, every CheckpointInterval, and at the end.
	// Resume, if not empty, is a checkpoint of the same configuration to
	// continue from; the run then ends with the same weights, bit for
	// bit, as one that was never interrupted.
	Checkpoint         string
	CheckpointEvery    int
	CheckpointInterval time.Duration
	Resume             string
}

// settings is a Config with its defaults filled in and validated: what
// decides a step, and so what the checkpoint fingerprint covers.
type settings struct {
	Seed           uint64
	Loss           string
	Noise          string
	NoiseDim       int
	Dim            int
	GenHidden      []int
	DiscHidden     []int
	GenAct         string
	DiscAct        string
	Sigmoid        bool
	Batch          int
	Pack           int
	DiscSteps      int
	LR, DiscLR     float64
	Beta1, Beta2   float64
	DecayEvery     int
	DecayFactor    float64
	EMA            float64
	LabelSmoothing float64
	DiscDropout    float64 `json:",omitempty"`
	Data           string  // "sampler" or "points:<n>"
}

func (c *Config) settings(dim int) (settings, error) {
	s := settings{Seed: c.Seed, Dim: dim, Sigmoid: c.SigmoidOutput}
	if int(c.Loss) >= len(lossNames) {
		return s, fmt.Errorf("gan: unknown loss %d; use NonSaturating, Minimax, AbsoluteError, LeastSquares or Hinge", c.Loss)
	}
	s.Loss = c.Loss.String()
	s.Noise = generator.Gaussian.String()
	if c.UniformNoise {
		s.Noise = generator.Uniform.String()
	}
	s.NoiseDim = c.NoiseDim
	if s.NoiseDim == 0 {
		s.NoiseDim = max(2, dim)
	}
	if s.NoiseDim < 0 {
		return s, fmt.Errorf("gan: noise dimension is %d; use at least 1 (0: the default)", c.NoiseDim)
	}
	widths := func(name string, w []int) ([]int, error) {
		if w == nil {
			return []int{128, 128}, nil
		}
		for i, v := range w {
			if v <= 0 {
				return nil, fmt.Errorf("gan: %s hidden layer %d has width %d; use widths of at least 1", name, i, v)
			}
		}
		return append([]int(nil), w...), nil
	}
	var err error
	if s.GenHidden, err = widths("generator", c.GenHidden); err != nil {
		return s, err
	}
	if s.DiscHidden, err = widths("discriminator", c.DiscHidden); err != nil {
		return s, err
	}
	act := func(name string, a, def Activation) (string, error) {
		if a == DefaultActivation {
			a = def
		}
		switch a {
		case ReLU:
			return "relu", nil
		case LeakyReLU:
			return "leaky_relu(0.2)", nil
		case Tanh:
			return "tanh", nil
		case Maxout:
			return "maxout(5)", nil
		}
		return "", fmt.Errorf("gan: unknown %s activation %d; use ReLU, LeakyReLU, Tanh or Maxout", name, a)
	}
	if s.GenAct, err = act("generator", c.GenActivation, ReLU); err != nil {
		return s, err
	}
	if s.DiscAct, err = act("discriminator", c.DiscActivation, LeakyReLU); err != nil {
		return s, err
	}
	pos := func(name string, v, def int) (int, error) {
		if v == 0 {
			return def, nil
		}
		if v < 0 {
			return 0, fmt.Errorf("gan: %s is %d; use at least 1 (0: the default %d)", name, v, def)
		}
		return v, nil
	}
	if s.Batch, err = pos("Batch", c.Batch, 256); err != nil {
		return s, err
	}
	if s.Pack, err = pos("Pack", c.Pack, 1); err != nil {
		return s, err
	}
	if s.DiscSteps, err = pos("DiscSteps", c.DiscSteps, 1); err != nil {
		return s, err
	}
	rate := func(name string, v, def float64) (float64, error) {
		if v == 0 {
			return def, nil
		}
		if !(v > 0 && v < math.Inf(1)) {
			return 0, fmt.Errorf("gan: %s is %v; use a positive finite step size (0: the default %v)", name, v, def)
		}
		return v, nil
	}
	if s.LR, err = rate("LR", c.LR, 2e-4); err != nil {
		return s, err
	}
	if s.DiscLR, err = rate("DiscLR", c.DiscLR, s.LR); err != nil {
		return s, err
	}
	beta := func(name string, v, def float64) (float64, error) {
		if v == 0 {
			return def, nil
		}
		if !(v > 0 && v < 1) {
			return 0, fmt.Errorf("gan: %s is %v; use a value in (0, 1) (0: the default %v)", name, v, def)
		}
		return v, nil
	}
	if s.Beta1, err = beta("Beta1", c.Beta1, 0.5); err != nil {
		return s, err
	}
	if s.Beta2, err = beta("Beta2", c.Beta2, 0.999); err != nil {
		return s, err
	}
	if c.DecayEvery < 0 || c.DecayEvery > 0 && !(c.DecayFactor > 0 && c.DecayFactor < 1) {
		return s, fmt.Errorf("gan: step decay every %d steps by %v; use a count ≥ 0 (0: no decay) and a factor in (0, 1)", c.DecayEvery, c.DecayFactor)
	}
	if c.DecayEvery > 0 {
		s.DecayEvery, s.DecayFactor = c.DecayEvery, c.DecayFactor
	}
	switch {
	case c.EMA == 0:
		s.EMA = 0.999
	case c.EMA < 0:
		s.EMA = 0
	case c.EMA < 1:
		s.EMA = c.EMA
	default:
		return s, fmt.Errorf("gan: EMA decay is %v; use a value in (0, 1), 0 for the default or a negative value for none", c.EMA)
	}
	if !(c.LabelSmoothing >= 0 && c.LabelSmoothing < 0.5) {
		return s, fmt.Errorf("gan: label smoothing is %v; use a value in [0, 0.5)", c.LabelSmoothing)
	}
	s.LabelSmoothing = c.LabelSmoothing
	if !(c.DiscDropout >= 0 && c.DiscDropout < 1) {
		return s, fmt.Errorf("gan: discriminator dropout (DiscDropout) is %v; use a rate in [0, 1), 0 for none", c.DiscDropout)
	}
	s.DiscDropout = c.DiscDropout
	if c.Steps < 0 || c.Duration < 0 {
		return s, fmt.Errorf("gan: budget of %d steps and %v is negative; give a positive number of steps or a positive duration (both zero: 10,000 steps)", c.Steps, c.Duration)
	}
	if c.ProgressEvery < 0 || c.CheckpointEvery < 0 || c.CheckpointInterval < 0 {
		return s, fmt.Errorf("gan: negative interval (ProgressEvery %d, CheckpointEvery %d, CheckpointInterval %v)", c.ProgressEvery, c.CheckpointEvery, c.CheckpointInterval)
	}
	return s, nil
}
