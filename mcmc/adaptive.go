package mcmc

import (
	"fmt"
	"math"
)

// AM is the adaptive Metropolis algorithm of Haario, Saksman & Tamminen
// ("An adaptive Metropolis algorithm", Bernoulli 7(2), 2001): a random
// walk whose Gaussian proposal covariance is s_d·(C + εI), with C the
// covariance of the chain's own history and s_d = 2.38²/d.
//
// Adaptation happens during warm-up only: the covariance reached at the
// end of warm-up is handed over and then fixed, so the kept draws are a
// valid (time-homogeneous) Markov chain whatever the adaptation did.
type AM struct {
	// InitCov is the proposal covariance until adaptation starts,
	// Dim×Dim row after row; nil means (2.38²/d)·I, right for a target
	// of unit scale.
	InitCov []float64
	// Start is the number of warm-up steps made with InitCov before the
	// history's covariance is used (Haario's t₀); 0 means max(100, 10d).
	Start int
	// Eps is the regularisation ε, relative to the mean of C's diagonal
	// so that it does not depend on the target's units; 0 means 1e-6.
	Eps float64
}

// String implements Kernel.
func (k AM) String() string { return "adaptive Metropolis (Haario 2001)" }

func (k AM) newMover(d int) (mover, error) {
	l, err := startFactor(k.InitCov, 0, d, 2.38/math.Sqrt(float64(d)))
	if err != nil {
		return nil, err
	}
	start := k.Start
	switch {
	case start == 0:
		start = max(100, 10*d)
	case start < 2:
		return nil, fmt.Errorf("mcmc: AM.Start is %d, want at least 2 steps", start)
	}
	eps := k.Eps
	switch {
	case eps == 0:
		eps = 1e-6
	case !(eps > 0) || math.IsInf(eps, 1):
		return nil, fmt.Errorf("mcmc: AM.Eps is %v, want a positive finite number", eps)
	}
	a := &amAdapter{d: d, start: start, eps: eps, sd: 2.38 * 2.38 / float64(d),
		mean: make([]float64, d), m2: make([]float64, d*d), cov: make([]float64, d*d), l: make([]float64, d*d)}
	return newRW(d, l, a), nil
}

// amAdapter keeps the running mean and scatter of the chain's history
// (Welford's updates) and refactors the proposal after every step.
type amAdapter struct {
	d, start int
	eps, sd  float64
	n        int
	mean, m2 []float64
	cov, l   []float64 // scratch
}

func (a *amAdapter) update(m *rwMover, x []float64, _ float64) {
	d := a.d
	a.n++
	n := float64(a.n)
	for i := range d {
		m.y[i] = x[i] - a.mean[i] // old deviation
		a.mean[i] += m.y[i] / n
	}
	for i := range d {
		di := x[i] - a.mean[i] // new deviation
		for j := 0; j <= i; j++ {
			a.m2[i*d+j] += di * m.y[j]
		}
	}
	if a.n < a.start {
		return
	}
	var tr float64
	for i := range d {
		tr += a.m2[i*d+i]
	}
	tr /= n - 1
	eps := a.eps * tr / float64(d)
	for i := range d {
		for j := 0; j <= i; j++ {
			c := a.sd * a.m2[i*d+j] / (n - 1)
			a.cov[i*d+j], a.cov[j*d+i] = c, c
		}
		a.cov[i*d+i] += a.sd * eps
	}
	if tr > 0 && factor(a.cov, a.l, d) {
		copy(m.l, a.l)
	}
}

// RAM is the robust adaptive Metropolis algorithm of Vihola ("Robust
// adaptive Metropolis algorithm with coerced acceptance rate", Statistics
// and Computing 22, 2012): a random walk y = x + S u, u standard normal,
// whose factor S is updated after step n so that
//
//	S S' ← S (I + η_n (α_n − α*) u u'/‖u‖²) S',
//
// with α_n the step's acceptance probability, α* the target acceptance
// and η_n = min(1, d·n^(−γ)). It learns both the shape and the scale of
// the target, from any starting scale; the update is a rank-one Cholesky
// update or downdate, O(d²) per step.
//
// Adaptation happens during warm-up only; the factor reached at the end
// of warm-up is then fixed.
type RAM struct {
	// InitCov is the initial S S', Dim×Dim row after row; nil means the
	// identity.
	InitCov []float64
	// TargetAccept is α*; 0 means 0.234, or 0.44 in one dimension
	// (Roberts & Rosenthal 2001).
	TargetAccept float64
	// Gamma is the step-size decay γ in (1/2, 1]; 0 means 2/3.
	Gamma float64
}

// String implements Kernel.
func (k RAM) String() string { return "robust adaptive Metropolis (Vihola 2012)" }

func (k RAM) newMover(d int) (mover, error) {
	l, err := startFactor(k.InitCov, 0, d, 1)
	if err != nil {
		return nil, err
	}
	acc := k.TargetAccept
	switch {
	case acc == 0 && d == 1:
		acc = 0.44
	case acc == 0:
		acc = 0.234
	case !(acc > 0 && acc < 1):
		return nil, fmt.Errorf("mcmc: RAM.TargetAccept is %v, want a number in (0, 1)", acc)
	}
	g := k.Gamma
	switch {
	case g == 0:
		g = 2.0 / 3
	case !(g > 0.5 && g <= 1):
		return nil, fmt.Errorf("mcmc: RAM.Gamma is %v, want a number in (1/2, 1]", g)
	}
	a := &ramAdapter{d: d, target: acc, gamma: g, v: make([]float64, d), backup: make([]float64, d*d)}
	return newRW(d, l, a), nil
}

type ramAdapter struct {
	d             int
	n             int
	target, gamma float64
	v, backup     []float64
}

func (a *ramAdapter) update(m *rwMover, _ []float64, alpha float64) {
	a.n++
	eta := min(1, float64(a.d)*math.Pow(float64(a.n), -a.gamma))
	c := eta * (alpha - a.target)
	var zz float64
	for _, z := range m.z {
		zz += z * z
	}
	if c == 0 || !(zz > 0) {
		return
	}
	// v = S u √(|c|/‖u‖²), S still the factor the proposal used.
	f := math.Sqrt(math.Abs(c) / zz)
	d := a.d
	for i := range d {
		var s float64
		for j, l := range m.l[i*d : i*d+i+1] {
			s += l * m.z[j]
		}
		a.v[i] = s * f
	}
	copy(a.backup, m.l)
	if !rankOne(m.l, a.v, a.d, math.Copysign(1, c)) {
		copy(m.l, a.backup)
	}
}
