package target

import (
	"math"
	"math/rand/v2"
	"sync"

	"gonum.org/v1/gonum/integrate/quad"
)

// The double well ∝ exp(−x⁴ + 2x²) has modes at ±1 and no closed-form
// CDF. Outside [−dwL, dwL] its density is below e^{−224} of the peak, so
// the CDF is 0 or 1 there to far better than 1e-12.
const (
	dwL      = 4.0
	dwPanels = 64
	dwNodes  = 20
	// dwSigma is the spread of the two normal components of the rejection
	// envelope, chosen to maximise acceptance (about 0.72).
	dwSigma = 0.55
)

func dwLog(x float64) float64 { x2 := x * x; return x2 * (2 - x2) }

// dwTables holds what the double well's CDF and exact sampler need; it is
// computed once.
type dwTables struct {
	nodes, weights [dwNodes]float64 // Gauss–Legendre on [−1, 1]
	cum            [dwPanels + 1]float64
	z              float64 // ∫ exp(−x⁴ + 2x²) dx
	logM           float64 // log sup f/g for the envelope g
}

var dwOnce = sync.OnceValue(func() *dwTables {
	t := &dwTables{}
	quad.Legendre{}.FixedLocations(t.nodes[:], t.weights[:], -1, 1)
	h := 2 * dwL / dwPanels
	for k := range dwPanels {
		a := -dwL + float64(k)*h
		t.cum[k+1] = t.cum[k] + t.integral(a, a+h)
	}
	t.z = t.cum[dwPanels]
	t.logM = dwEnvelopeBound()
	return t
})

// integral is the Gauss–Legendre integral of the unnormalised density over
// [a, b], b − a at most one panel: 20 nodes integrate this entire function
// on a panel of width 1/8 to full double precision.
func (t *dwTables) integral(a, b float64) float64 {
	m, r := (a+b)/2, (b-a)/2
	var s float64
	for i, u := range t.nodes {
		s += t.weights[i] * math.Exp(dwLog(m+r*u))
	}
	return s * r
}

func (t *dwTables) cdf(x float64) float64 {
	if !(x > -dwL) {
		if math.IsNaN(x) {
			return math.NaN()
		}
		return 0
	}
	if x >= dwL {
		return 1
	}
	h := 2 * dwL / dwPanels
	k := min(int((x+dwL)/h), dwPanels-1)
	a := -dwL + float64(k)*h
	return min(1, (t.cum[k]+t.integral(a, x))/t.z)
}

// dwEnvelope is the log density of the envelope g = ½N(−1, σ²) + ½N(1, σ²).
func dwEnvelope(x float64) float64 {
	const c = 2 * dwSigma * dwSigma
	a, b := -(x-1)*(x-1)/c, -(x+1)*(x+1)/c
	m := max(a, b)
	return m + math.Log(0.5*(math.Exp(a-m)+math.Exp(b-m))) - math.Log(dwSigma*math.Sqrt(2*math.Pi))
}

// dwEnvelopeBound returns an upper bound on sup_x log f(x) − log g(x).
// The ratio is even, so x ≥ 0 suffices. On [0, dwL] it is the maximum over
// a grid of spacing δ plus K·δ/2, where K = 290 bounds |d/dx (log f −
// log g)| there (|−4x³ + 4x| ≤ 240 and |d log g/dx| ≤ (x+1)/σ² ≤ 17);
// beyond dwL the difference decreases, since −4x³ + 4x + (x+1)/σ² < 0.
func dwEnvelopeBound() float64 {
	const n = 40000
	const delta = dwL / n
	best := math.Inf(-1)
	for i := range n + 1 {
		x := float64(i) * delta
		best = max(best, dwLog(x)-dwEnvelope(x))
	}
	return best + 290*delta/2
}

// DoubleWell returns the catalogue's "doublewell" target, density
// ∝ exp(−x⁴ + 2x²). Its CDF is computed by Gauss–Legendre integration
// (accurate to better than 1e-12); its quantile has no closed form and is
// left nil. The exact sampler is rejection from ½N(−1, 0.55²) +
// ½N(1, 0.55²) with a rigorously bounded ratio, acceptance about 0.72.
func DoubleWell() *Target {
	t := dwOnce()
	return &Target{
		Name:         "doublewell",
		Dim:          1,
		LogDensity:   func(x []float64) float64 { return dwLog(x[0]) },
		LogDensity1D: dwLog,
		LogZ:         math.Log(t.z),
		CDF:          t.cdf,
		Lo:           math.Inf(-1),
		Hi:           math.Inf(1),
		Exact: rejectionSampler(func(rng *rand.Rand) float64 {
			for range maxTries {
				x := dwSigma * rng.NormFloat64()
				if rng.Uint64()&1 == 0 {
					x++
				} else {
					x--
				}
				if math.Log(rng.Float64()) <= dwLog(x)-dwEnvelope(x)-t.logM {
					return x
				}
			}
			return math.NaN()
		}),
		Mean: []float64{0},
		Var:  []float64{dwSecondMoment(t)},
	}
}

// dwSecondMoment integrates x² f(x) / Z by the same panels.
func dwSecondMoment(t *dwTables) float64 {
	h := 2 * dwL / dwPanels
	var s float64
	for k := range dwPanels {
		a := -dwL + float64(k)*h
		m, r := a+h/2, h/2
		for i, u := range t.nodes {
			x := m + r*u
			s += t.weights[i] * x * x * math.Exp(dwLog(x)) * r
		}
	}
	return s / t.z
}
