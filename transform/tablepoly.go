package transform

import "math"

// The five-point Gauss–Lobatto rule on [0, 1], exact for degree 7. Its
// ends are nodes, so pieces laid end to end share them: a chain of pieces
// costs four new density evaluations each.
var (
	lobQ = math.Sqrt(3.0/7) / 2
	lobS = [5]float64{0, 0.5 - lobQ, 0.5, 0.5 + lobQ, 1}
	lobW = [5]float64{1.0 / 20, 49.0 / 180, 16.0 / 45, 49.0 / 180, 1.0 / 20}
)

// lob holds polynomials in powers of s on [0, 1] built on the Lobatto
// points: the Lagrange basis ell[j], its integrals from 0, the nodal
// polynomial om = ∏(s − s_j) and its integral from 0. They integrate the
// density's interpolant over part of a piece without new evaluations.
var lob = func() (p struct {
	ell    [5][5]float64
	ellInt [5][6]float64
	om     [6]float64
	omInt  [7]float64
}) {
	for j := range 5 {
		b := []float64{1}
		for m := range 5 {
			if m != j {
				b = polyMulLinear(b, lobS[m], 1/(lobS[j]-lobS[m]))
			}
		}
		copy(p.ell[j][:], b)
		for i, c := range b {
			p.ellInt[j][i+1] = c / float64(i+1)
		}
	}
	w := []float64{1}
	for m := range 5 {
		w = polyMulLinear(w, lobS[m], 1)
	}
	copy(p.om[:], w)
	for i, c := range w {
		p.omInt[i+1] = c / float64(i+1)
	}
	return p
}()

// A pieceTest holds what testError needs for piece k of an interval, in
// that piece's units (s from 0 at its start to 1 at its end).
type pieceTest struct {
	// s is the test point: where, for a density constant across the
	// interval, the interpolation error of the piece peaks.
	s float64
	// The sixth point sn is the nearest interior Lobatto point of the
	// neighbouring piece: ext holds the basis there and invOm 1/ω(sn).
	ext   [5]float64
	invOm float64
	// The basis integrated from 0 to s, its value and derivative at s,
	// and the same of ω.
	intg, val, der       [5]float64
	omIntg, omVal, omDer float64
}

var pieceTests = func() (t [order]pieceTest) {
	// The nodal polynomial of the interval's nodes peaks where
	// Σ 1/(s − cheb[m]) = 0, once between each pair of nodes.
	g := func(x float64) float64 {
		var v float64
		for _, c := range cheb {
			v += 1 / (x - c)
		}
		return v
	}
	dpoly := func(c []float64) []float64 {
		d := make([]float64, len(c)-1)
		for i := 1; i < len(c); i++ {
			d[i-1] = float64(i) * c[i]
		}
		return d
	}
	for k := range order {
		lo, hi := cheb[k], cheb[k+1]
		for range 100 {
			if m := (lo + hi) / 2; g(m) > 0 {
				lo = m
			} else {
				hi = m
			}
		}
		pt := &t[k]
		pt.s = ((lo+hi)/2 - cheb[k]) / (cheb[k+1] - cheb[k])
		var sn float64
		if k+1 < order {
			sn = 1 + (cheb[k+2]-cheb[k+1])/(cheb[k+1]-cheb[k])*lobS[1]
		} else {
			sn = -(cheb[k] - cheb[k-1]) / (cheb[k+1] - cheb[k]) * (1 - lobS[3])
		}
		for j := range 5 {
			pt.ext[j] = poly(lob.ell[j][:], sn)
			pt.intg[j] = poly(lob.ellInt[j][:], pt.s)
			pt.val[j] = poly(lob.ell[j][:], pt.s)
			pt.der[j] = poly(dpoly(lob.ell[j][:]), pt.s)
		}
		pt.invOm = 1 / poly(lob.om[:], sn)
		pt.omIntg = poly(lob.omInt[:], pt.s)
		pt.omVal = poly(lob.om[:], pt.s)
		pt.omDer = poly(dpoly(lob.om[:]), pt.s)
	}
	return t
}()

// polyMulLinear returns p(s)·(s − r)·scale, coefficients lowest first.
func polyMulLinear(p []float64, r, scale float64) []float64 {
	q := make([]float64, len(p)+1)
	for i, c := range p {
		q[i+1] += c * scale
		q[i] -= c * r * scale
	}
	return q
}

// poly evaluates c[0] + c[1] s + … by Horner's rule.
func poly(c []float64, s float64) float64 {
	var v float64
	for i := len(c) - 1; i >= 0; i-- {
		v = v*s + c[i]
	}
	return v
}

// cheb holds the Chebyshev–Lobatto points on [0, 1]: the nodes of an
// interval in x, which keep the interpolation error even across it.
var cheb = func() (c [order + 1]float64) {
	for k := range c {
		c[k] = (1 - math.Cos(float64(k)*math.Pi/order)) / 2
	}
	c[0], c[order] = 0, 1
	return c
}()

func strictlyIncreasing(u []float64) bool {
	for k := 1; k < len(u); k++ {
		if !(u[k] > u[k-1]) {
			return false
		}
	}
	return true
}

// newton interpolates x as a polynomial in u through the nodes by Newton's
// divided differences, then expands it into powers of u (u[0] = 0).
func newton(u, x *[order + 1]float64, coef *[order + 1]float64) {
	u1, u2, u3, u4, u5 := u[1], u[2], u[3], u[4], u[5]
	a1 := (x[1] - x[0]) / u1
	a2 := (x[2] - x[1]) / (u2 - u1)
	a3 := (x[3] - x[2]) / (u3 - u2)
	a4 := (x[4] - x[3]) / (u4 - u3)
	a5 := (x[5] - x[4]) / (u5 - u4)
	b2 := (a2 - a1) / u2
	b3 := (a3 - a2) / (u3 - u1)
	b4 := (a4 - a3) / (u4 - u2)
	b5 := (a5 - a4) / (u5 - u3)
	c3 := (b3 - b2) / u3
	c4 := (b4 - b3) / (u4 - u1)
	c5 := (b5 - b4) / (u5 - u2)
	d4 := (c4 - c3) / u4
	d5 := (c5 - c4) / (u5 - u1)
	e5 := (d5 - d4) / u5
	// x(t) = x0 + t(a1 + (t−u1)(b2 + (t−u2)(c3 + (t−u3)(d4 + (t−u4)e5)))),
	// multiplied out from the inside.
	p1, p0 := e5, d4-u4*e5
	p2, p1, p0 := p1, p0-u3*p1, c3-u3*p0
	p3, p2, p1, p0 := p2, p1-u2*p2, p0-u2*p1, b2-u2*p0
	p4, p3, p2, p1, p0 := p3, p2-u1*p3, p1-u1*p2, p0-u1*p1, a1-u1*p0
	*coef = [order + 1]float64{x[0], p0, p1, p2, p3, p4}
}

func horner(c *[order + 1]float64, t float64) float64 {
	return c[0] + t*(c[1]+t*(c[2]+t*(c[3]+t*(c[4]+t*c[5]))))
}
