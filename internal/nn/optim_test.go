package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// adamRef is Adam written out from Kingma & Ba's Algorithm 1 with
// PyTorch's decoupled weight decay, one parameter at a time.
func adamRef(c AdamConfig, p float64, grads []float64) float64 {
	var m, v float64
	for t, g := range grads {
		lr := c.Schedule.at(c.LR, t)
		p *= 1 - lr*c.WeightDecay
		m = c.Beta1*m + (1-c.Beta1)*g
		v = c.Beta2*v + (1-c.Beta2)*g*g
		mh := m / (1 - math.Pow(c.Beta1, float64(t+1)))
		vh := v / (1 - math.Pow(c.Beta2, float64(t+1)))
		p -= lr * mh / (math.Sqrt(vh) + c.Eps)
	}
	return p
}

func TestAdamMatchesAlgorithm(t *testing.T) {
	grads := [][]float64{{0.5, -2}, {0.1, 3}, {-0.7, 0.01}, {2, -1}, {0.3, 0.3}}
	cfgs := []AdamConfig{DefaultAdam(), DefaultAdam(), DefaultAdam()}
	cfgs[1].Beta1, cfgs[1].Beta2, cfgs[1].LR = 0.5, 0.9, 0.05
	cfgs[2].WeightDecay, cfgs[2].Schedule = 0.1, Schedule{Every: 2, Factor: 0.5}
	for _, c := range cfgs {
		a, err := NewAdam(2, c)
		require.NoError(t, err)
		p := []float64{1, -1}
		for _, g := range grads {
			a.Step(p, append([]float64(nil), g...))
		}
		for i := range p {
			col := []float64{}
			for _, g := range grads {
				col = append(col, g[i])
			}
			assert.InDelta(t, adamRef(c, []float64{1, -1}[i], col), p[i], 1e-15, "%+v", c)
		}
		assert.Equal(t, len(grads), a.Steps())
	}
	// The first Adam step moves every parameter by almost exactly LR
	// against the gradient's sign.
	a, _ := NewAdam(1, DefaultAdam())
	p := []float64{0}
	a.Step(p, []float64{-123})
	assert.InDelta(t, 1e-3, p[0], 1e-13)
}

func TestSGDMomentum(t *testing.T) {
	s, err := NewSGD(1, SGDConfig{LR: 0.1, Momentum: 0.9})
	require.NoError(t, err)
	p := []float64{1}
	s.Step(p, []float64{1}) // v = 1, p = 0.9
	s.Step(p, []float64{1}) // v = 1.9, p = 0.71
	assert.InDelta(t, 0.71, p[0], 1e-15)
	s, err = NewSGD(1, SGDConfig{LR: 0.1, WeightDecay: 0.5})
	require.NoError(t, err)
	p = []float64{2}
	s.Step(p, []float64{1}) // g = 1 + 0.5·2 = 2
	assert.InDelta(t, 1.8, p[0], 1e-15)
}

func TestScheduleStepDecay(t *testing.T) {
	s, err := NewSGD(1, SGDConfig{LR: 1, Schedule: Schedule{Every: 3, Factor: 0.1}})
	require.NoError(t, err)
	var lrs []float64
	for range 7 {
		lrs = append(lrs, s.LR())
		s.Step([]float64{0}, []float64{0})
	}
	assert.InDeltaSlice(t, []float64{1, 1, 1, 0.1, 0.1, 0.1, 0.01}, lrs, 1e-17)
}

func TestClipGradNorm(t *testing.T) {
	g := []float64{3, 4}
	assert.Equal(t, 5.0, ClipGradNorm(g, 10))
	assert.Equal(t, []float64{3, 4}, g)
	assert.Equal(t, 5.0, ClipGradNorm(g, 1))
	assert.InDeltaSlice(t, []float64{0.6, 0.8}, g, 1e-15)
	assert.InEpsilon(t, 5e200, Norm([]float64{3e200, 4e200}), 1e-15, "no overflow")
	assert.InEpsilon(t, 5e-200, Norm([]float64{3e-200, 4e-200}), 1e-15, "no underflow")
	nan := []float64{1, math.NaN()}
	assert.True(t, math.IsNaN(ClipGradNorm(nan, 1)))
	assert.Equal(t, 1.0, nan[0], "a NaN gradient is left for the caller to report")
	assert.Panics(t, func() { ClipGradNorm(g, 0) })
}

func TestOptimizerStateRoundTrip(t *testing.T) {
	for _, mk := range []func() Optimizer{
		func() Optimizer { a, _ := NewAdam(3, DefaultAdam()); return a },
		func() Optimizer { s, _ := NewSGD(3, SGDConfig{LR: 0.1, Momentum: 0.5}); return s },
	} {
		grads := [][]float64{{1, 2, 3}, {-1, 0.5, 2}, {0.2, -0.2, 1}, {3, 1, -1}}
		a := mk()
		p := []float64{0.1, 0.2, 0.3}
		for _, g := range grads[:2] {
			a.Step(p, append([]float64(nil), g...))
		}
		st := a.State()
		q := append([]float64(nil), p...)
		for _, g := range grads[2:] {
			a.Step(p, append([]float64(nil), g...))
		}
		b := mk()
		require.NoError(t, b.SetState(st))
		assert.Equal(t, 2, b.Steps())
		for _, g := range grads[2:] {
			b.Step(q, append([]float64(nil), g...))
		}
		assert.Equal(t, p, q, "a restored optimiser continues bit for bit")
		st.Slots[func() string {
			for k := range st.Slots {
				return k
			}
			return ""
		}()] = []float64{1}
		assert.Error(t, mk().SetState(st), "wrong slot length")
		st.Kind = "other"
		assert.Error(t, mk().SetState(st), "wrong kind")
	}
}

func TestOptimizerConfigErrors(t *testing.T) {
	bad := []func(*AdamConfig){
		func(c *AdamConfig) { c.LR = 0 },
		func(c *AdamConfig) { c.Beta1 = 1 },
		func(c *AdamConfig) { c.Beta2 = -0.1 },
		func(c *AdamConfig) { c.Eps = 0 },
		func(c *AdamConfig) { c.WeightDecay = math.NaN() },
		func(c *AdamConfig) { c.ClipNorm = -1 },
		func(c *AdamConfig) { c.Schedule = Schedule{Every: 5, Factor: 0} },
		func(c *AdamConfig) { c.Schedule = Schedule{Every: -1} },
	}
	for i, f := range bad {
		c := DefaultAdam()
		f(&c)
		_, err := NewAdam(1, c)
		assert.Error(t, err, "case %d", i)
	}
	_, err := NewAdam(1, AdamConfig{})
	assert.ErrorContains(t, err, "DefaultAdam")
	_, err = NewSGD(1, SGDConfig{LR: 1, Momentum: 1})
	assert.Error(t, err)
	_, err = NewEMA(nil, 1)
	assert.Error(t, err)
}

func TestEMA(t *testing.T) {
	e, err := NewEMA([]float64{0}, 0.5)
	require.NoError(t, err)
	e.Update([]float64{4})
	e.Update([]float64{4})
	assert.Equal(t, []float64{3}, e.Average())
	assert.Panics(t, func() { e.Update([]float64{1, 2}) })
}
