package mcmc

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync/atomic"
)

// Stretch is the affine-invariant ensemble sampler of Goodman & Weare
// ("Ensemble samplers with affine invariance", Comm. App. Math. Comp.
// Sci. 5(1), 2010) with the stretch move, updated in two halves as emcee
// does (Foreman-Mackey et al. 2013): every step splits the walkers at
// random into two halves; each walker x of the first half picks a walker
// c of the second, proposes y = c + z(x − c) with z drawn from
// g(z) ∝ 1/√z on [1/A, A], and accepts with probability
// min(1, z^(d−1) p(y)/p(x)); then the second half moves against the
// first. Its performance does not change under any affine change of
// coordinates, so it needs no tuning for correlated or badly scaled
// targets.
//
// A chain of this kernel is one ensemble; every walker is reported as a
// chain of its own. The walkers must start spread out (not all in a
// lower-dimensional subspace, which the move cannot leave).
type Stretch struct {
	// Walkers is the ensemble size, even and at least max(4, 2d);
	// 0 means max(8, 4d) rounded up to even.
	Walkers int
	// A is the stretch scale, above 1; 0 means 2.
	A float64
}

// String implements Kernel.
func (k Stretch) String() string {
	s := "stretch move (Goodman & Weare 2010"
	if k.Walkers != 0 {
		s += fmt.Sprintf(", %d walkers", k.Walkers)
	}
	if k.A != 0 {
		s += fmt.Sprintf(", a = %.3g", k.A)
	}
	return s + ")"
}

// walkersFor is the ensemble size for dimension d.
func (k Stretch) walkersFor(d int) int {
	if k.Walkers != 0 {
		return k.Walkers
	}
	w := max(8, 4*d)
	return w + w%2
}

func (k Stretch) newMover(d int) (mover, error) {
	w := k.walkersFor(d)
	if w < max(4, 2*d) || w%2 != 0 {
		return nil, fmt.Errorf("mcmc: Stretch.Walkers is %d, want an even number of at least %d for dimension %d", w, max(4, 2*d), d)
	}
	a := k.A
	switch {
	case a == 0:
		a = 2
	case !(a > 1) || math.IsInf(a, 1):
		return nil, fmt.Errorf("mcmc: Stretch.A is %v, want a finite number above 1", a)
	}
	perm := make([]int, w)
	for i := range perm {
		perm[i] = i
	}
	return &stretchMover{d: d, w: w, a: a, loga: math.Log(a), perm: perm, y: make([]float64, d)}, nil
}

type stretchMover struct {
	d, w    int
	a, loga float64
	perm    []int
	y       []float64
	// stop, when set (by Run), is read before each walker's move; a step
	// that sees it raised returns at once and is marked cut.
	stop *atomic.Bool
	cut  bool
}

func (m *stretchMover) walkers() int                  { return m.w }
func (m *stretchMover) start(pos, lp []float64) error { return nil }
func (m *stretchMover) setAdapt(bool)                 {}
func (m *stretchMover) inProposal() bool              { return false }
func (m *stretchMover) interrupted() bool             { return m.cut }

func (m *stretchMover) step(rng *rand.Rand, f LogDensity, pos, lp []float64, st *Stats) {
	d, p, y := m.d, m.perm, m.y
	// A uniformly random split into two halves (Fisher–Yates).
	for i := len(p) - 1; i > 0; i-- {
		j := rng.IntN(i + 1)
		p[i], p[j] = p[j], p[i]
	}
	h := m.w / 2
	for half := range 2 {
		move, other := p[:h], p[h:]
		if half == 1 {
			move, other = other, move
		}
		for _, k := range move {
			if m.stop != nil && m.stop.Load() {
				m.cut = true
				return
			}
			c := other[rng.IntN(h)]
			// z = ((a−1)u + 1)²/a has density ∝ 1/√z on [1/a, a].
			s := (m.a-1)*rng.Float64() + 1
			z := s * s / m.a
			x, xc := pos[k*d:(k+1)*d], pos[c*d:(c+1)*d]
			for i := range y {
				y[i] = xc[i] + z*(x[i]-xc[i])
			}
			lpy := f(y)
			r := lpy - lp[k]
			if d != 1 {
				r += float64(d-1) * (2*math.Log(s) - m.loga)
			}
			if st.accept(rng, y, lpy, r) {
				copy(x, y)
				lp[k] = lpy
			}
		}
	}
}
