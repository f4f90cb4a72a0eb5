package transform

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/variate/variate/sampler"
)

// A spike that the tail walk lands on, but no interval does, inflates the
// walk's mass and with it the absolute tolerance; NewTable must notice
// that its intervals hold less and build again with their own area.
func TestTableRebuildsWhenTheWalkOverestimates(t *testing.T) {
	// A boundary of the walk's seventh step from the center 0.
	spike, step := 0.0, 0.01
	for range 7 {
		spike += step
		step *= 2
	}
	f := func(x float64) float64 {
		v := math.Exp(-x * x / 2)
		if x == spike {
			v += 1e6 // no mass: a single point
		}
		return v
	}
	b := &builder{f: f, maxEvals: 1 << 20}
	_, m, err := b.tail(0, 1, math.Inf(1), 1, 1e-10)
	require.NoError(t, err)
	require.Greater(t, m, 2*math.Sqrt(math.Pi/2), "the walk must see the spike for this test to mean anything")

	tb, err := NewTable(f, math.Inf(-1), math.Inf(1), nil)
	require.NoError(t, err)
	assert.InDelta(t, math.Sqrt(2*math.Pi), tb.Area(), 1e-9)
	rng := sampler.NewRand(2)
	var worst float64
	for range 100000 {
		u := rng.Float64()
		worst = math.Max(worst, math.Abs(distuv.UnitNormal.CDF(tb.Quantile(u))-u))
	}
	assert.LessOrEqual(t, worst, 1e-10)
}
