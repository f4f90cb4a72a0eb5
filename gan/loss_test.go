package gan

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Every loss's gradient with respect to the logits agrees with central
// finite differences of the loss it reports.
func TestLossGradients(t *testing.T) {
	lr := []float64{-2.1, -0.3, 0.4, 1.7, 3.2}
	lf := []float64{-1.4, -0.8, 0.2, 0.9, 2.5, -3.0}
	const h = 1e-6
	for loss := range Loss(len(lossNames)) {
		for _, smooth := range []float64{0, 0.1} {
			gr, gf := make([]float64, len(lr)), make([]float64, len(lf))
			discLoss(loss, smooth, lr, lf, gr, gf)
			at := func(r, f []float64) float64 {
				l, _, _ := discLoss(loss, smooth, r, f, make([]float64, len(r)), make([]float64, len(f)))
				return l
			}
			for i := range lr {
				p, m := append([]float64(nil), lr...), append([]float64(nil), lr...)
				p[i] += h
				m[i] -= h
				assert.InDelta(t, (at(p, lf)-at(m, lf))/(2*h), gr[i], 1e-7, "%v real %d", loss, i)
			}
			for i := range lf {
				p, m := append([]float64(nil), lf...), append([]float64(nil), lf...)
				p[i] += h
				m[i] -= h
				assert.InDelta(t, (at(lr, p)-at(lr, m))/(2*h), gf[i], 1e-7, "%v fake %d", loss, i)
			}
		}
		g := make([]float64, len(lf))
		genLoss(loss, lf, g)
		for i := range lf {
			p, m := append([]float64(nil), lf...), append([]float64(nil), lf...)
			p[i] += h
			m[i] -= h
			d := (genLoss(loss, p, make([]float64, len(lf))) - genLoss(loss, m, make([]float64, len(lf)))) / (2 * h)
			assert.InDelta(t, d, g[i], 1e-7, "%v generator %d", loss, i)
		}
	}
}

// The losses have their textbook values at known logits.
func TestLossValues(t *testing.T) {
	z := []float64{0}
	g := make([]float64, 1)
	l, mr, mf := discLoss(NonSaturating, 0, z, z, g, g)
	assert.InDelta(t, 2*math.Ln2, l, 1e-15)
	assert.Equal(t, 0.5, mr)
	assert.Equal(t, 0.5, mf)
	l, _, _ = discLoss(AbsoluteError, 0, z, z, g, g)
	assert.InDelta(t, 0.5, l, 1e-15) // the error of a coin toss
	l, _, _ = discLoss(LeastSquares, 0, []float64{1}, []float64{0}, g, g)
	assert.Equal(t, 0.0, l)
	l, _, _ = discLoss(Hinge, 0, []float64{1}, []float64{-1}, g, g)
	assert.Equal(t, 0.0, l)
	assert.InDelta(t, math.Ln2, genLoss(NonSaturating, z, g), 1e-15)
	assert.InDelta(t, -math.Ln2, genLoss(Minimax, z, g), 1e-15)
	assert.InDelta(t, -0.25, genLoss(AbsoluteError, z, g), 1e-15)
}
