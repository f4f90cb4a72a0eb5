package rejection

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/variate/variate/sampler"
)

func accept(rng *rand.Rand, c uint64, r float64) int {
	a, ok := acceptBits(c, r)
	if ok == 0 {
		a = acceptFull(rng, c, r)
	}
	return a
}

// acceptBits must give the outcome its uBits bits imply whenever they
// decide it, and accept with probability e^r overall.
func TestAcceptBits(t *testing.T) {
	rng := sampler.NewRand(6)
	for _, r := range []float64{math.Inf(-1), -30, -4.08, -1, -0.2, -1e-4, 0, ratioTol} {
		e := math.Exp(r)
		var acc int
		const reps = 2000
		for c := range uint64(uCells) {
			lo, hi := float64(c)/uCells, float64(c+1)/uCells
			for range reps {
				a := accept(rng, c, r)
				acc += a
				switch {
				case hi <= e && a != 1:
					t.Fatalf("r=%v c=%d: rejected although u < %v ≤ e^r", r, c, hi)
				case lo >= e && a != 0:
					t.Fatalf("r=%v c=%d: accepted although u ≥ %v ≥ e^r", r, c, lo)
				}
			}
		}
		// The share accepted has sd ≤ √(1/(4n)) = 0.00055; 6 sd of slack
		// fails with probability below 1e-8.
		n := float64(uCells * reps)
		assert.InDelta(t, e, float64(acc)/n, 6*math.Sqrt(0.25/n), "r=%v", r)
		// In the one interval that holds e^r, the bits do not decide:
		// there u < e^r with probability uCells·e^r − c (6 sd again).
		if c := math.Floor(uCells * e); c < uCells && e > 0 {
			const m = 100_000
			var k int
			for range m {
				k += accept(rng, uint64(c), r)
			}
			assert.InDelta(t, uCells*e-c, float64(k)/m, 6*math.Sqrt(0.25/m), "r=%v c=%v", r, c)
		}
	}
}
