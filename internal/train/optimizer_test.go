package train

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/internal/nn"
)

func TestOptimizerValue(t *testing.T) {
	a, err := nn.NewAdam(3, nn.DefaultAdam())
	require.NoError(t, err)
	p := []float64{1, 2, 3}
	for range 5 {
		a.Step(p, []float64{0.1, -0.2, 0.3})
	}
	b, err := OptimizerValue(a).MarshalBinary()
	require.NoError(t, err)

	a2, err := nn.NewAdam(3, nn.DefaultAdam())
	require.NoError(t, err)
	require.NoError(t, OptimizerValue(a2).UnmarshalBinary(b))
	assert.Equal(t, 5, a2.Steps())
	p2 := append([]float64(nil), p...)
	a.Step(p, []float64{1, 1, 1})
	a2.Step(p2, []float64{1, 1, 1})
	for i := range p {
		assert.Equal(t, math.Float64bits(p[i]), math.Float64bits(p2[i]))
	}

	small, err := nn.NewAdam(2, nn.DefaultAdam())
	require.NoError(t, err)
	assert.ErrorContains(t, OptimizerValue(small).UnmarshalBinary(b), "does not fit")
	for cut := range len(b) {
		assert.Error(t, OptimizerValue(a2).UnmarshalBinary(b[:cut]), "cut at %d", cut)
	}
	sgd, err := nn.NewSGD(3, nn.SGDConfig{LR: 0.1, Momentum: 0.9})
	require.NoError(t, err)
	assert.Error(t, OptimizerValue(sgd).UnmarshalBinary(b))
}
