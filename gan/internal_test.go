package gan

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/target"
)

// The returned generator carries the moving average of the weights when
// averaging is on, and the trained weights when it is off.
func TestEMAWeights(t *testing.T) {
	for _, ema := range []float64{0.9, -1} {
		cfg := Config{EMA: ema, GenHidden: []int{8}, DiscHidden: []int{8}, Batch: 16}
		s, err := cfg.settings(1)
		require.NoError(t, err)
		tr, err := newTrainer(s, FromSampler(target.Normal().Exact))
		require.NoError(t, err)
		for range 10 {
			_, err := tr.step()
			require.NoError(t, err)
		}
		g, err := tr.generator(10)
		require.NoError(t, err)
		if ema > 0 {
			assert.Equal(t, tr.ema.avg, g.Network().Params())
			assert.NotEqual(t, tr.g.Params(), g.Network().Params())
		} else {
			assert.Nil(t, tr.ema)
			assert.Equal(t, tr.g.Params(), g.Network().Params())
		}
		// The generator has its own copy of the weights.
		assert.NotSame(t, &tr.g.Params()[0], &g.Network().Params()[0])
	}
}

// The defaults are those the documentation states.
func TestDefaults(t *testing.T) {
	var cfg Config
	s, err := cfg.settings(2)
	require.NoError(t, err)
	assert.Equal(t, settings{Seed: 0, Loss: "nonsaturating", Noise: "normal", NoiseDim: 2, Dim: 2,
		GenHidden: []int{128, 128}, DiscHidden: []int{128, 128}, GenAct: "relu", DiscAct: "leaky_relu(0.2)",
		Batch: 256, Pack: 1, DiscSteps: 1, LR: 2e-4, DiscLR: 2e-4, Beta1: 0.5, Beta2: 0.999, EMA: 0.999}, s)
	s, err = (&Config{NoiseDim: 0}).settings(5)
	require.NoError(t, err)
	assert.Equal(t, 5, s.NoiseDim)
}

// FuzzSettings checks that any numbers in a configuration are either
// refused with an error or give settings in their documented ranges.
func FuzzSettings(f *testing.F) {
	f.Add(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0, 0, 0, 0, 0.0)
	f.Add(1e-3, 1e-4, 0.9, 0.99, 0.5, 0.1, 4, 2, 64, 3, 0.5)
	f.Add(math.NaN(), math.Inf(1), -1.0, 1.0, 1.0, 0.5, -1, -1, -1, -1, 2.0)
	f.Fuzz(func(t *testing.T, lr, dlr, b1, b2, ema, smooth float64, pack, dsteps, batch, decayEvery int, decayFactor float64) {
		cfg := Config{LR: lr, DiscLR: dlr, Beta1: b1, Beta2: b2, EMA: ema, LabelSmoothing: smooth,
			Pack: pack, DiscSteps: dsteps, Batch: batch, DecayEvery: decayEvery, DecayFactor: decayFactor}
		s, err := cfg.settings(2)
		if err != nil {
			return
		}
		ok := s.LR > 0 && s.LR < math.Inf(1) && s.DiscLR > 0 && s.DiscLR < math.Inf(1) &&
			s.Beta1 > 0 && s.Beta1 < 1 && s.Beta2 > 0 && s.Beta2 < 1 && s.EMA >= 0 && s.EMA < 1 &&
			s.LabelSmoothing >= 0 && s.LabelSmoothing < 0.5 && s.Pack >= 1 && s.DiscSteps >= 1 && s.Batch >= 1 &&
			s.DecayEvery >= 0 && (s.DecayEvery == 0 || s.DecayFactor > 0 && s.DecayFactor < 1)
		if !ok {
			t.Fatalf("settings out of range: %+v", s)
		}
	})
}

// The saturation warning suggests the non-saturating loss only to a run
// that does not already use it.
func TestSaturationAdvice(t *testing.T) {
	assert.Contains(t, saturationAdvice(Minimax), "NonSaturating")
	for _, l := range []Loss{NonSaturating, AbsoluteError, LeastSquares, Hinge} {
		assert.NotContains(t, saturationAdvice(l), "NonSaturating", l.String())
		assert.Contains(t, saturationAdvice(l), "DiscLR", l.String())
	}
}
