package rejection

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/variate/variate/internal/variates"
	"github.com/variate/variate/sampler"
)

// UniformBox is the uniform distribution on the box [Lo[i], Hi[i]], a
// proposal for targets with bounded support.
type UniformBox struct {
	lo, width []float64
	logd      float64
}

var (
	_ sampler.DensitySampler = (*UniformBox)(nil)
	_ ConstantDensity        = (*UniformBox)(nil)
)

// NewUniformBox returns the uniform proposal on the box with corners lo
// and hi (same length, lo[i] < hi[i], all finite).
func NewUniformBox(lo, hi []float64) (*UniformBox, error) {
	if len(lo) == 0 || len(lo) != len(hi) {
		return nil, fmt.Errorf("rejection: box corners of lengths %d and %d", len(lo), len(hi))
	}
	b := &UniformBox{lo: append([]float64(nil), lo...), width: make([]float64, len(lo))}
	for i := range lo {
		if !(lo[i] < hi[i]) || math.IsInf(lo[i], 0) || math.IsInf(hi[i], 0) {
			return nil, fmt.Errorf("rejection: box side %d is [%v, %v]; need finite lo < hi", i, lo[i], hi[i])
		}
		b.width[i] = hi[i] - lo[i]
		if math.IsInf(b.width[i], 1) {
			return nil, fmt.Errorf("rejection: box side %d is [%v, %v]: its width overflows float64; rescale x", i, lo[i], hi[i])
		}
		b.logd -= math.Log(b.width[i])
	}
	return b, nil
}

// Dim returns the box's dimension.
func (b *UniformBox) Dim() int { return len(b.lo) }

// Sample fills dst with uniform points of the box.
func (b *UniformBox) Sample(rng *rand.Rand, dst []float64) error {
	sampler.CheckLen("rejection", dst, len(b.lo))
	if len(b.lo) == 1 {
		lo, w := b.lo[0], b.width[0]
		for i := range dst {
			dst[i] = lo + w*rng.Float64()
		}
		return nil
	}
	for len(dst) > 0 {
		for j, lo := range b.lo {
			dst[j] = lo + b.width[j]*rng.Float64()
		}
		dst = dst[len(b.lo):]
	}
	return nil
}

// LogDensity returns the log of the uniform density, −Inf outside.
func (b *UniformBox) LogDensity(x []float64) float64 {
	for i, v := range x {
		if !(v >= b.lo[i] && v <= b.lo[i]+b.width[i]) {
			return math.Inf(-1)
		}
	}
	return b.logd
}

// ConstantLogDensity returns the log density inside the box, −Σ log
// (Hi[i] − Lo[i]): every point Sample draws has it.
func (b *UniformBox) ConstantLogDensity() float64 { return b.logd }

// StudentT is a product of independent Student t distributions with ν
// degrees of freedom, location Loc[i] and scale Scale[i]: a heavy-tailed
// proposal whose tails dominate any Gaussian-tailed target's. With ν = ∞
// (math.Inf(1)) it is the normal with those means and standard deviations.
type StudentT struct {
	loc, scale []float64
	nu         float64
	logZ       float64 // Σ log normalising constants
}

var _ sampler.DensitySampler = (*StudentT)(nil)

// NewStudentT returns the product-t proposal; nu > 0 (or +Inf for the
// normal), scales positive, finite and not subnormal (at least 2^-1022).
func NewStudentT(loc, scale []float64, nu float64) (*StudentT, error) {
	if len(loc) == 0 || len(loc) != len(scale) {
		return nil, fmt.Errorf("rejection: location and scale of lengths %d and %d", len(loc), len(scale))
	}
	if !(nu > 0) {
		return nil, fmt.Errorf("rejection: ν = %v; need ν > 0", nu)
	}
	t := &StudentT{loc: append([]float64(nil), loc...), scale: append([]float64(nil), scale...), nu: nu}
	for i, s := range scale {
		// A subnormal scale has lost its precision.
		if !(s >= 0x1p-1022) || math.IsInf(s, 0) || math.IsNaN(loc[i]) || math.IsInf(loc[i], 0) {
			return nil, fmt.Errorf("rejection: coordinate %d has location %v and scale %v", i, loc[i], s)
		}
		if math.IsInf(nu, 1) {
			t.logZ += math.Log(s) + 0.5*math.Log(2*math.Pi)
		} else {
			a, _ := math.Lgamma((nu + 1) / 2)
			b, _ := math.Lgamma(nu / 2)
			t.logZ += b - a + 0.5*math.Log(nu*math.Pi) + math.Log(s)
		}
	}
	return t, nil
}

// Dim returns the number of coordinates.
func (t *StudentT) Dim() int { return len(t.loc) }

// Sample fills dst with draws: a normal over the square root of a scaled
// chi-square (a gamma draw by Marsaglia & Tsang's method).
func (t *StudentT) Sample(rng *rand.Rand, dst []float64) error {
	sampler.CheckLen("rejection", dst, len(t.loc))
	d := len(t.loc)
	for i := range dst {
		j := i
		if d > 1 {
			j = i % d
		} else {
			j = 0
		}
		z := rng.NormFloat64()
		if !math.IsInf(t.nu, 1) {
			g := variates.Gamma(rng, t.nu/2)
			if math.IsNaN(g) {
				return fmt.Errorf("rejection: 1000 gamma proposals rejected in a row; the random source looks broken")
			}
			z /= math.Sqrt(g / (t.nu / 2))
		}
		dst[i] = t.loc[j] + t.scale[j]*z
	}
	return nil
}

// LogDensity returns the normalised log density at x.
func (t *StudentT) LogDensity(x []float64) float64 {
	var s float64
	for i, v := range x {
		z := (v - t.loc[i]) / t.scale[i]
		if math.IsInf(t.nu, 1) {
			s -= 0.5 * z * z
		} else {
			s -= (t.nu + 1) / 2 * math.Log1p(z*z/t.nu)
		}
	}
	return s - t.logZ
}
