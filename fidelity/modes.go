package fidelity

import (
	"fmt"
	"math"

	"github.com/variate/variate/target"
)

// ModeStats reports how a sample covers the modes of a mixture, with the
// definitions of VEEGAN (Srivastava et al., NeurIPS 2017) and PacGAN
// (Lin et al., NeurIPS 2018), so that their published ring and grid tables
// apply: a draw is high quality when it lies within 3σ of its nearest
// mode's centre; a mode is covered when at least 20 of every 2,500 draws
// are high-quality draws assigned to it.
type ModeStats struct {
	// Covered counts the modes that received at least MinCount high
	// quality draws; Total is the number of modes.
	Covered, Total int
	// MinCount is the coverage threshold used: ⌈20·n/2500⌉.
	MinCount int
	// HighQuality is the share of draws within 3σ of their nearest mode.
	HighQuality float64
	// ReverseKL is KL(p̂ ‖ uniform) of the histogram p̂ of high-quality
	// draws over the modes against equal weights: 0 when every mode gets
	// an equal share, log K when one mode gets all. It is +Inf when no draw
	// is of high quality.
	ReverseKL float64
	// Counts holds the high-quality draws per mode.
	Counts []int
}

// Modes computes ModeStats for the points x (dimension dim) against the
// given modes, which must all have dim coordinates and σ > 0.
func Modes(x []float64, dim int, modes []target.Mode) (ModeStats, error) {
	if err := checkPoints("x", x, dim, 1); err != nil {
		return ModeStats{}, err
	}
	if len(modes) == 0 {
		return ModeStats{}, fmt.Errorf("fidelity: no modes given")
	}
	for k, m := range modes {
		if len(m.Centre) != dim {
			return ModeStats{}, fmt.Errorf("fidelity: mode %d has %d coordinates; points have %d", k, len(m.Centre), dim)
		}
		if !(m.Sigma > 0) || math.IsInf(m.Sigma, 0) {
			return ModeStats{}, fmt.Errorf("fidelity: mode %d has σ = %v", k, m.Sigma)
		}
	}
	n := len(x) / dim
	st := ModeStats{Total: len(modes), Counts: make([]int, len(modes))}
	st.MinCount = int(math.Ceil(20 * float64(n) / 2500))
	hq := 0
	for i := 0; i < len(x); i += dim {
		best, bd := 0, math.Inf(1)
		for k, m := range modes {
			var d2 float64
			for j, c := range m.Centre {
				r := x[i+j] - c
				d2 += r * r
			}
			if d2 < bd {
				best, bd = k, d2
			}
		}
		if s := modes[best].Sigma; bd <= 9*s*s {
			st.Counts[best]++
			hq++
		}
	}
	st.HighQuality = float64(hq) / float64(n)
	if hq == 0 {
		st.ReverseKL = math.Inf(1)
		return st, nil
	}
	k := float64(len(modes))
	for _, c := range st.Counts {
		if c >= st.MinCount {
			st.Covered++
		}
		if c > 0 {
			p := float64(c) / float64(hq)
			st.ReverseKL += p * math.Log(p*k)
		}
	}
	return st, nil
}
