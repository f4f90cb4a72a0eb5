package nn

import (
	"fmt"
	"math"

	"github.com/variate/variate/internal/kernels"
)

// An Optimizer updates a flat parameter slice from its gradient, one step
// at a time. Its state (step count and moment slots) can be exported and
// imported for checkpoints.
type Optimizer interface {
	// Step applies one update to params using grad (same length as the
	// slice the optimiser was made for). It may scale grad in place
	// (gradient clipping) and allocates nothing. It panics on a length
	// mismatch.
	Step(params, grad []float64)
	// Steps is the number of steps taken.
	Steps() int
	// LR is the step size the next Step will use.
	LR() float64
	// State returns a deep copy of the optimiser's state.
	State() OptimizerState
	// SetState restores a state returned by State of an optimiser of the
	// same kind and size.
	SetState(OptimizerState) error
}

// OptimizerState is an optimiser's state: its kind ("adam", "sgd"), the
// number of steps taken and its per-parameter slots by name (Adam: "m"
// and "v", the first and second moment estimates; SGD: "velocity"), each
// as long as the parameter slice.
type OptimizerState struct {
	Kind  string
	Step  int
	Slots map[string][]float64
}

// A Schedule sets the step size of step t (counted from 0): LR·Factor^⌊t/Every⌋
// (step decay). The zero value keeps the step size constant.
type Schedule struct {
	// Every is the number of steps between decays; 0 means never.
	Every int
	// Factor multiplies the step size every Every steps, in (0, 1].
	Factor float64
}

func (s Schedule) validate() error {
	if s.Every < 0 {
		return fmt.Errorf("schedule decays every %d steps; use a count ≥ 0 (0: constant step size)", s.Every)
	}
	if s.Every > 0 && !(s.Factor > 0 && s.Factor <= 1) {
		return fmt.Errorf("schedule decay factor is %v; use a factor in (0, 1]", s.Factor)
	}
	return nil
}

func (s Schedule) at(lr float64, t int) float64 {
	if s.Every == 0 {
		return lr
	}
	return lr * math.Pow(s.Factor, float64(t/s.Every))
}

// AdamConfig configures Adam. Its zero value is not usable (a step size
// of 0 would do nothing and β1 = 0 is a legitimate choice, so zero cannot
// stand for a default): start from DefaultAdam.
type AdamConfig struct {
	LR    float64 // step size, > 0
	Beta1 float64 // decay of the first moment, in [0, 1)
	Beta2 float64 // decay of the second moment, in [0, 1)
	Eps   float64 // added to √v̂, > 0
	// WeightDecay, when > 0, shrinks every parameter by LR·WeightDecay
	// per step before the Adam update (decoupled weight decay, AdamW,
	// Loshchilov & Hutter 2019).
	WeightDecay float64
	// ClipNorm, when > 0, rescales the gradient to this Euclidean norm
	// when it is longer (ClipGradNorm) before each step.
	ClipNorm float64
	Schedule Schedule
}

// DefaultAdam returns Kingma & Ba's defaults: LR 1e-3, β1 0.9, β2 0.999,
// ε 1e-8, no weight decay, no clipping, a constant step size.
func DefaultAdam() AdamConfig {
	return AdamConfig{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
}

// Adam is the Adam optimiser (Kingma & Ba 2015) with bias-corrected
// moments, as PyTorch's torch.optim.Adam and, with WeightDecay, AdamW
// compute it.
type Adam struct {
	cfg  AdamConfig
	m, v []float64
	t    int
	b1t  float64 // β1^t
	b2t  float64 // β2^t
}

// NewAdam returns Adam for a parameter slice of length n. It returns an
// error if a setting is out of range.
func NewAdam(n int, cfg AdamConfig) (*Adam, error) {
	if n < 0 {
		panic("nn: NewAdam with a negative length")
	}
	switch {
	case !(cfg.LR > 0 && cfg.LR < math.Inf(1)):
		return nil, fmt.Errorf("nn: Adam step size is %v; use a positive finite LR (start from DefaultAdam)", cfg.LR)
	case !(cfg.Beta1 >= 0 && cfg.Beta1 < 1):
		return nil, fmt.Errorf("nn: Adam β1 is %v; use a value in [0, 1)", cfg.Beta1)
	case !(cfg.Beta2 >= 0 && cfg.Beta2 < 1):
		return nil, fmt.Errorf("nn: Adam β2 is %v; use a value in [0, 1)", cfg.Beta2)
	case !(cfg.Eps > 0 && cfg.Eps < math.Inf(1)):
		return nil, fmt.Errorf("nn: Adam ε is %v; use a positive finite value", cfg.Eps)
	case !(cfg.WeightDecay >= 0 && cfg.WeightDecay < math.Inf(1)):
		return nil, fmt.Errorf("nn: Adam weight decay is %v; use a finite value ≥ 0", cfg.WeightDecay)
	case !(cfg.ClipNorm >= 0 && cfg.ClipNorm < math.Inf(1)):
		return nil, fmt.Errorf("nn: Adam gradient clipping norm is %v; use a finite value ≥ 0 (0: no clipping)", cfg.ClipNorm)
	}
	if err := cfg.Schedule.validate(); err != nil {
		return nil, fmt.Errorf("nn: Adam %w", err)
	}
	return &Adam{cfg: cfg, m: make([]float64, n), v: make([]float64, n), b1t: 1, b2t: 1}, nil
}

// Config returns the settings Adam was made with.
func (a *Adam) Config() AdamConfig { return a.cfg }

// Step applies one Adam update.
func (a *Adam) Step(params, grad []float64) {
	if len(params) != len(a.m) || len(grad) != len(a.m) {
		panic(fmt.Sprintf("nn: Adam.Step with %d parameters and %d gradients, want %d", len(params), len(grad), len(a.m)))
	}
	c := a.cfg
	if c.ClipNorm > 0 {
		ClipGradNorm(grad, c.ClipNorm)
	}
	lr := a.LR()
	a.t++
	a.b1t *= c.Beta1
	a.b2t *= c.Beta2
	// p −= lr·m̂/(√v̂+ε) with m̂ = m/(1−β1^t), v̂ = v/(1−β2^t).
	c1, c2 := 1/(1-a.b1t), 1/math.Sqrt(1-a.b2t)
	if c.WeightDecay > 0 {
		decay := 1 - lr*c.WeightDecay
		for i := range params {
			params[i] *= decay
		}
	}
	kernels.Adam(params, grad, a.m, a.v, kernels.AdamConsts{
		Beta1: c.Beta1, Beta2: c.Beta2, LR: lr, C1: c1, C2: c2, Eps: c.Eps})
}

// Steps is the number of steps taken.
func (a *Adam) Steps() int { return a.t }

// LR is the step size of the next step under the schedule.
func (a *Adam) LR() float64 { return a.cfg.Schedule.at(a.cfg.LR, a.t) }

// State returns a copy of Adam's step count and moments ("m", "v").
func (a *Adam) State() OptimizerState {
	return OptimizerState{Kind: "adam", Step: a.t, Slots: map[string][]float64{
		"m": append([]float64(nil), a.m...),
		"v": append([]float64(nil), a.v...),
	}}
}

// SetState restores a state returned by State.
func (a *Adam) SetState(s OptimizerState) error {
	if s.Kind != "adam" {
		return fmt.Errorf("nn: Adam cannot restore an optimiser state of kind %q", s.Kind)
	}
	if s.Step < 0 {
		return fmt.Errorf("nn: Adam state has step count %d; want ≥ 0", s.Step)
	}
	m, v := s.Slots["m"], s.Slots["v"]
	if len(m) != len(a.m) || len(v) != len(a.v) {
		return fmt.Errorf("nn: Adam state has moments of lengths %d and %d, want %d", len(m), len(v), len(a.m))
	}
	for i := range m {
		if !(math.Abs(m[i]) < math.Inf(1)) || !(v[i] >= 0 && v[i] < math.Inf(1)) {
			return fmt.Errorf("nn: Adam state has a non-finite or negative moment at index %d", i)
		}
	}
	copy(a.m, m)
	copy(a.v, v)
	a.t = s.Step
	// The powers by the same repeated products Step makes, not math.Pow,
	// whose last bits differ: a resumed run must match an uninterrupted one.
	a.b1t, a.b2t = 1, 1
	for range s.Step {
		a.b1t *= a.cfg.Beta1
		a.b2t *= a.cfg.Beta2
	}
	return nil
}

// SGDConfig configures stochastic gradient descent. Only LR must be set;
// the other zero values mean no momentum, no weight decay, no clipping
// and a constant step size.
type SGDConfig struct {
	LR float64 // step size, > 0
	// Momentum μ in [0, 1): v = μ·v + g, p −= LR·v (PyTorch's form).
	Momentum float64
	// WeightDecay adds WeightDecay·p to the gradient (L2 penalty).
	WeightDecay float64
	// ClipNorm, when > 0, rescales the gradient to this norm when it is
	// longer, before each step.
	ClipNorm float64
	Schedule Schedule
}

// SGD is stochastic gradient descent with optional (heavy-ball) momentum.
type SGD struct {
	cfg SGDConfig
	vel []float64
	t   int
}

// NewSGD returns SGD for a parameter slice of length n. It returns an
// error if a setting is out of range.
func NewSGD(n int, cfg SGDConfig) (*SGD, error) {
	if n < 0 {
		panic("nn: NewSGD with a negative length")
	}
	switch {
	case !(cfg.LR > 0 && cfg.LR < math.Inf(1)):
		return nil, fmt.Errorf("nn: SGD step size is %v; use a positive finite LR", cfg.LR)
	case !(cfg.Momentum >= 0 && cfg.Momentum < 1):
		return nil, fmt.Errorf("nn: SGD momentum is %v; use a value in [0, 1)", cfg.Momentum)
	case !(cfg.WeightDecay >= 0 && cfg.WeightDecay < math.Inf(1)):
		return nil, fmt.Errorf("nn: SGD weight decay is %v; use a finite value ≥ 0", cfg.WeightDecay)
	case !(cfg.ClipNorm >= 0 && cfg.ClipNorm < math.Inf(1)):
		return nil, fmt.Errorf("nn: SGD gradient clipping norm is %v; use a finite value ≥ 0 (0: no clipping)", cfg.ClipNorm)
	}
	if err := cfg.Schedule.validate(); err != nil {
		return nil, fmt.Errorf("nn: SGD %w", err)
	}
	return &SGD{cfg: cfg, vel: make([]float64, n)}, nil
}

// Step applies one SGD update.
func (s *SGD) Step(params, grad []float64) {
	if len(params) != len(s.vel) || len(grad) != len(s.vel) {
		panic(fmt.Sprintf("nn: SGD.Step with %d parameters and %d gradients, want %d", len(params), len(grad), len(s.vel)))
	}
	c := s.cfg
	if c.ClipNorm > 0 {
		ClipGradNorm(grad, c.ClipNorm)
	}
	lr := s.LR()
	s.t++
	vel := s.vel[:len(params)]
	grad = grad[:len(params)]
	for i, g := range grad {
		g += c.WeightDecay * params[i]
		if c.Momentum > 0 {
			g += c.Momentum * vel[i]
			vel[i] = g
		}
		params[i] -= lr * g
	}
}

// Steps is the number of steps taken.
func (s *SGD) Steps() int { return s.t }

// LR is the step size of the next step under the schedule.
func (s *SGD) LR() float64 { return s.cfg.Schedule.at(s.cfg.LR, s.t) }

// State returns a copy of the step count and the velocity ("velocity").
func (s *SGD) State() OptimizerState {
	return OptimizerState{Kind: "sgd", Step: s.t, Slots: map[string][]float64{
		"velocity": append([]float64(nil), s.vel...),
	}}
}

// SetState restores a state returned by State.
func (s *SGD) SetState(st OptimizerState) error {
	if st.Kind != "sgd" {
		return fmt.Errorf("nn: SGD cannot restore an optimiser state of kind %q", st.Kind)
	}
	if st.Step < 0 {
		return fmt.Errorf("nn: SGD state has step count %d; want ≥ 0", st.Step)
	}
	v := st.Slots["velocity"]
	if len(v) != len(s.vel) {
		return fmt.Errorf("nn: SGD state has a velocity of length %d, want %d", len(v), len(s.vel))
	}
	for i, x := range v {
		if !(math.Abs(x) < math.Inf(1)) {
			return fmt.Errorf("nn: SGD state has a non-finite velocity at index %d", i)
		}
	}
	copy(s.vel, v)
	s.t = st.Step
	return nil
}

// ClipGradNorm rescales grad in place to Euclidean norm maxNorm when its
// norm exceeds maxNorm, and returns the norm before clipping (NaN or +Inf
// if grad holds one: it is then left unchanged, for the caller to report
// divergence). It panics if maxNorm is not positive.
func ClipGradNorm(grad []float64, maxNorm float64) float64 {
	if !(maxNorm > 0) {
		panic("nn: ClipGradNorm needs a positive maximum norm")
	}
	nrm := Norm(grad)
	if nrm > maxNorm && nrm < math.Inf(1) {
		s := maxNorm / nrm
		for i := range grad {
			grad[i] *= s
		}
	}
	return nrm
}

// Norm is the Euclidean norm of x, summed in index order; it rescales
// when the plain sum of squares would overflow or underflow.
func Norm(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v * v
	}
	if s > 1e-290 && s < 1e290 {
		return math.Sqrt(s)
	}
	var amax float64
	for _, v := range x {
		if a := math.Abs(v); a > amax || a != a {
			amax = a
		}
	}
	if amax == 0 || !(amax < math.Inf(1)) {
		return amax
	}
	s = 0
	for _, v := range x {
		t := v / amax
		s += t * t
	}
	return amax * math.Sqrt(s)
}

// An EMA is an exponential moving average of a parameter slice,
// a ← d·a + (1−d)·p after each update, started at the parameters given
// to NewEMA. GANs sample from the averaged generator (Yazıcı et al. 2019).
type EMA struct {
	decay float64
	avg   []float64
}

// NewEMA returns an average started at a copy of params with decay d in
// [0, 1). It returns an error for a decay outside that range.
func NewEMA(params []float64, decay float64) (*EMA, error) {
	if !(decay >= 0 && decay < 1) {
		return nil, fmt.Errorf("nn: EMA decay is %v; use a value in [0, 1)", decay)
	}
	return &EMA{decay: decay, avg: append([]float64(nil), params...)}, nil
}

// Update folds params into the average. It panics on a length mismatch.
func (e *EMA) Update(params []float64) {
	if len(params) != len(e.avg) {
		panic(fmt.Sprintf("nn: EMA.Update with %d parameters, want %d", len(params), len(e.avg)))
	}
	d := e.decay
	for i, p := range params {
		e.avg[i] = d*e.avg[i] + (1-d)*p
	}
}

// Average returns the averaged parameters (the EMA's own slice: copy it
// into a network with copy(net.Params(), e.Average())). Writing to it
// changes the average, which is how a checkpoint restores it.
func (e *EMA) Average() []float64 { return e.avg }

// Decay is the EMA's decay d.
func (e *EMA) Decay() float64 { return e.decay }
