package mmd

import "math"

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
}

type powGroup struct {
	rate    float64
	derived []powTerm
}

type powTerm struct {
	k    uint
	rate float64
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
				g.derived = append(g.derived, powTerm{k: uint(k), rate: a})
				placed = true
			}
		}
		if !placed {
			p.groups = append(p.groups, powGroup{rate: a})
		}
	}
	return p
}

// ipow returns x^k for k ≥ 1 by binary powering.
func ipow(x float64, k uint) float64 {
	r := 1.0
	for {
		if k&1 != 0 {
			r *= x
		}
		k >>= 1
		if k == 0 {
			return r
		}
		x *= x
	}
}

// sumRow returns Σ_j f(r2[j]) for the kernel's radial function f. With
// deriv it also overwrites r2[j] by f'(r2[j]), the derivative with respect
// to r² (for Distance, 0 at r = 0).
func (k *Kernel) sumRow(r2 []float64, deriv bool) float64 {
	switch k.kind {
	case kindGaussian:
		if deriv {
			return k.pow.sumRowDeriv(r2)
		}
		return k.pow.sumRow(r2)
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

func (p *powPlan) sumRow(r2 []float64) float64 {
	var s0, s1 float64
	for _, g := range p.groups {
		a := g.rate
		if len(g.derived) == 0 {
			j := 0
			for ; j+1 < len(r2); j += 2 {
				s0 += fastExp(-a * r2[j])
				s1 += fastExp(-a * r2[j+1])
			}
			if j < len(r2) {
				s0 += fastExp(-a * r2[j])
			}
			continue
		}
		for _, t := range r2 {
			x := a * t
			e := fastExp(-x)
			v := e
			for _, d := range g.derived {
				if x*float64(d.k) > -expMin {
					break
				}
				v += ipow(e, d.k)
			}
			s0 += v
		}
	}
	return s0 + s1
}

func (p *powPlan) sumRowDeriv(r2 []float64) float64 {
	var s float64
	if len(p.groups) == 1 && len(p.groups[0].derived) == 0 {
		a := p.groups[0].rate
		for j, t := range r2 {
			e := fastExp(-a * t)
			s += e
			r2[j] = -a * e
		}
		return s
	}
	for j, t := range r2 {
		var v, dv float64
		for _, g := range p.groups {
			x := g.rate * t
			e := fastExp(-x)
			v += e
			dv -= g.rate * e
			for _, d := range g.derived {
				if x*float64(d.k) > -expMin {
					break
				}
				ek := ipow(e, d.k)
				v += ek
				dv -= d.rate * ek
			}
		}
		s += v
		r2[j] = dv
	}
	return s
}
