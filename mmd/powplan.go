package mmd

import (
	"math"

	"github.com/variate/variate/internal/kernels"
)

// A powPlan shares exponentials between the bandwidths of a Gaussian sum.
// With rates a_1 < a_2 < … (a = 1/(2σ²)), exp(−a_s r²) = exp(−a_b r²)^k
// whenever a_s = k·a_b for an integer k. Each group holds one rate whose
// exponential is computed and the rates derived from it by integer powers.
// Powers are limited to maxPow so that the relative error of a derived
// value, about k times that of the computed exponential, stays below
// 32·2 ulp ≈ 1.4e−14: the six GMMN bandwidths 0.02…1 need two
// exponentials per pair instead of six.
type powPlan struct {
	groups []powGroup
	prog   kernels.PowProg // the same plan, as kernels.GaussPowSum reads it
}

type powGroup struct {
	rate    float64
	derived []powTerm
}

type powTerm struct {
	k     uint
	rate  float64
	floor float64 // e^(ExpMin/k): the smallest base whose k-th power is normal
}

const maxPow = 32

func newPowPlan(rates []float64) powPlan {
	var p powPlan
	for _, a := range rates {
		placed := false
		for gi := len(p.groups) - 1; gi >= 0 && !placed; gi-- {
			g := &p.groups[gi]
			q := a / g.rate
			k := math.Round(q)
			if k >= 1 && k <= maxPow && math.Abs(q-k) <= 1e-13*k {
				g.derived = append(g.derived, powTerm{k: uint(k), rate: a, floor: math.Exp(kernels.ExpMin / k)})
				placed = true
			}
		}
		if !placed {
			p.groups = append(p.groups, powGroup{rate: a})
		}
	}
	for _, g := range p.groups {
		p.prog = p.prog.Group(g.rate)
		for _, d := range g.derived {
			p.prog = p.prog.Term(d.k, d.rate, d.floor)
		}
	}
	return p
}

// sumRow returns Σ_j f(r2[j]) for the kernel's radial function f. With
// deriv it also overwrites r2[j] by f'(r2[j]), the derivative with respect
// to r² (for Distance, 0 at r = 0). buf is scratch of at least 3·len(r2)
// values.
func (k *Kernel) sumRow(r2 []float64, deriv bool, buf []float64) float64 {
	switch k.kind {
	case kindGaussian:
		if deriv {
			return k.pow.sumRowPow(r2, true, buf)
		}
		return k.pow.sumRow(r2, buf)
	case kindIMQ:
		ic2 := 1 / (k.c * k.c)
		var s float64
		if deriv {
			for j, t := range r2 {
				u := 1 / (1 + t*ic2)
				v := math.Sqrt(u)
				s += v
				r2[j] = -0.5 * ic2 * u * v
			}
			return s
		}
		for _, t := range r2 {
			s += 1 / math.Sqrt(1+t*ic2)
		}
		return s
	case kindDistance:
		var s float64
		if deriv {
			for j, t := range r2 {
				v := math.Sqrt(t)
				s -= v
				if v > 0 {
					r2[j] = -0.5 / v
				} else {
					r2[j] = 0
				}
			}
			return s
		}
		for _, t := range r2 {
			s -= math.Sqrt(t)
		}
		return s
	}
	panic("mmd: use of the zero Kernel")
}

// values replaces each r2[j] by f(r2[j]). buf is scratch of at least
// 3·len(r2) values.
func (k *Kernel) values(r2, buf []float64) {
	if k.kind == kindGaussian {
		k.pow.valuesPow(r2, buf)
		return
	}
	for j, t := range r2 {
		r2[j] = k.radial(t)
	}
}

func (p *powPlan) sumRow(r2, buf []float64) float64 {
	if len(p.groups) == 1 && len(p.groups[0].derived) == 0 {
		return sumRowGauss(p.groups[0].rate, r2, buf)
	}
	return p.sumRowPow(r2, false, buf)
}

// sumRowGauss returns Σ_j exp(−a·r2[j]), the exponentials a row at a
// time into buf (at least len(r2) values), summed in two independent
// sums to overlap the latency of the additions.
func sumRowGauss(a float64, r2, buf []float64) float64 {
	e := buf[:len(r2)]
	kernels.ExpNeg(e, r2, a)
	var s0, s1 float64
	j := 0
	for ; j+1 < len(e); j += 2 {
		s0 += e[j]
		s1 += e[j+1]
	}
	if j < len(e) {
		s0 += e[j]
	}
	return s0 + s1
}

// sumRowPow returns Σ_j f(r2[j]) for a sum of Gaussians evaluated by the
// plan, and with deriv overwrites r2[j] by f'(r2[j]). buf holds at least
// 3·len(r2) values.
//
// Exponents are clamped at kernels.ExpMin = −708 and the base of a power
// e^k at e^(−708/k), so that no value is ever subnormal; a kernel value
// below e^−708 ≈ 3.3e−308 therefore comes out as some value in
// [0, 3.3e−308], an absolute error no sum can see.
func (p *powPlan) sumRowPow(r2 []float64, deriv bool, buf []float64) float64 {
	n := len(r2)
	dv := buf[2*n : 3*n]
	s := kernels.GaussPowSum(r2, dv, p.prog, buf[:2*n])
	if deriv {
		copy(r2, dv)
	}
	return s
}

// valuesPow replaces each r2[j] by f(r2[j]) for a sum of Gaussians
// evaluated by the plan, with the values of sumRowPow. buf holds at least
// 3·len(r2) values.
func (p *powPlan) valuesPow(r2, buf []float64) {
	n := len(r2)
	v := buf[n : 2*n]
	kernels.GaussPowValues(r2, v, buf[2*n:3*n], p.prog, buf[:n])
	copy(r2, v)
}
