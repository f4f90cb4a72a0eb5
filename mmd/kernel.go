package mmd

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

type kernelKind uint8

const (
	kindNone kernelKind = iota
	kindGaussian
	kindIMQ
	kindDistance
)

// A Kernel is a function k(x, y) of the squared Euclidean distance
// r² = ‖x − y‖² between two points of the same dimension. Build one with
// Gaussian, GaussianSum, InverseMultiquadric or Distance; the zero Kernel is
// not usable. A Kernel is an immutable value, safe for concurrent use.
type Kernel struct {
	kind   kernelKind
	sigmas []float64 // Gaussian bandwidths, as given
	rates  []float64 // 1/(2σ²), ascending
	c      float64   // inverse multiquadric scale
	pow    powPlan   // exp sharing between bandwidths, see powplan.go
}

// Gaussian returns the Gaussian kernel k(x, y) = exp(−‖x − y‖²/(2σ²)).
// It returns an error if sigma is not positive and finite.
func Gaussian(sigma float64) (Kernel, error) {
	return GaussianSum(sigma)
}

// GaussianSum returns the sum of Gaussian kernels over the given bandwidths,
// k(x, y) = Σ_s exp(−‖x − y‖²/(2σ_s²)), the kernel of generative moment
// matching networks (Li, Swersky & Zemel, "Generative moment matching
// networks", ICML 2015), which stays informative whether the two samples
// are far apart or close. Bandwidths whose squared ratios to a smaller one
// are integers (as in 0.02, 0.05, 0.1, 0.2, 0.5, 1) share one exponential:
// see Estimator for the accuracy this costs. It returns an error if no
// bandwidth is given or one is not positive and finite.
func GaussianSum(sigmas ...float64) (Kernel, error) {
	if len(sigmas) == 0 {
		return Kernel{}, fmt.Errorf("mmd: GaussianSum needs at least one bandwidth")
	}
	rates := make([]float64, len(sigmas))
	for i, s := range sigmas {
		if !(s > 0) || math.IsInf(s, 1) {
			return Kernel{}, fmt.Errorf("mmd: bandwidth %d is %v; it must be positive and finite", i, s)
		}
		rates[i] = 1 / (2 * s * s)
		if math.IsInf(rates[i], 1) || rates[i] == 0 {
			return Kernel{}, fmt.Errorf("mmd: bandwidth %d = %v is too extreme: 1/(2σ²) is %v", i, s, rates[i])
		}
	}
	slices.Sort(rates)
	return Kernel{kind: kindGaussian, sigmas: slices.Clone(sigmas), rates: rates, pow: newPowPlan(rates)}, nil
}

// InverseMultiquadric returns the inverse multiquadric kernel
// k(x, y) = (1 + ‖x − y‖²/c²)^(−1/2), scaled so that k(x, x) = 1. Its
// heavy tails keep a gradient for far-apart samples where a Gaussian has
// none (Gorham & Mackey 2017 use the same family). It returns an error if
// c is not positive and finite.
func InverseMultiquadric(c float64) (Kernel, error) {
	if !(c > 0) || math.IsInf(c, 1) {
		return Kernel{}, fmt.Errorf("mmd: inverse multiquadric scale is %v; it must be positive and finite", c)
	}
	return Kernel{kind: kindIMQ, c: c}, nil
}

// Distance returns the distance-induced kernel
// k(x, y) = ‖x‖ + ‖y‖ − ‖x − y‖, twice the kernel that Sejdinovic,
// Sriperumbudur, Gretton & Fukumizu ("Equivalence of distance-based and
// RKHS-based statistics in hypothesis testing", Ann. Statist. 2013) induce
// from the Euclidean distance with centre 0, so that the population MMD²
// equals the energy distance 2E‖X−Y‖ − E‖X−X'‖ − E‖Y−Y'‖. In every
// estimator of this package the ‖x‖ and ‖y‖ terms cancel exactly, so they
// are never computed and the choice of centre does not matter: the
// unbiased estimate is the U-statistic energy distance.
func Distance() Kernel { return Kernel{kind: kindDistance} }

// Eval returns k(x, y). It panics if x and y differ in length or the
// Kernel is the zero value.
func (k Kernel) Eval(x, y []float64) float64 {
	if len(x) != len(y) {
		panic(fmt.Sprintf("mmd: Kernel.Eval of points of lengths %d and %d", len(x), len(y)))
	}
	var r2 float64
	for i := range x {
		d := x[i] - y[i]
		r2 += d * d
	}
	v := k.radial(r2)
	if k.kind == kindDistance {
		v += norm(x) + norm(y)
	}
	return v
}

func norm(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v * v
	}
	return math.Sqrt(s)
}

// radial returns the kernel as a function of r² as the estimators use it
// (for Distance, −r: the centre terms cancel).
func (k Kernel) radial(r2 float64) float64 {
	switch k.kind {
	case kindGaussian:
		var s float64
		for _, a := range k.rates {
			s += math.Exp(-a * r2)
		}
		return s
	case kindIMQ:
		return 1 / math.Sqrt(1+r2/(k.c*k.c))
	case kindDistance:
		return -math.Sqrt(r2)
	}
	panic("mmd: use of the zero Kernel; build one with Gaussian, GaussianSum, InverseMultiquadric or Distance")
}

// String describes the kernel, e.g. "gaussian(σ=0.5)".
func (k Kernel) String() string {
	switch k.kind {
	case kindGaussian:
		var b strings.Builder
		b.WriteString("gaussian(σ=")
		for i, s := range k.sigmas {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "%g", s)
		}
		b.WriteByte(')')
		return b.String()
	case kindIMQ:
		return fmt.Sprintf("imq(c=%g)", k.c)
	case kindDistance:
		return "distance"
	}
	return "zero kernel"
}

// Bandwidths returns a copy of the Gaussian bandwidths σ in the order
// given, or nil for other kernels.
func (k Kernel) Bandwidths() []float64 { return slices.Clone(k.sigmas) }
