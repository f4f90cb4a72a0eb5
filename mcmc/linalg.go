package mcmc

import (
	"fmt"
	"math"
)

// cholesky validates a d×d covariance given row after row and returns
// its lower Cholesky factor, row after row.
func cholesky(cov []float64, d int) ([]float64, error) {
	if len(cov) != d*d {
		return nil, fmt.Errorf("mcmc: proposal covariance has %d entries, want %d×%d = %d", len(cov), d, d, d*d)
	}
	for i := range d {
		for j := range d {
			a, b := cov[i*d+j], cov[j*d+i]
			if math.IsNaN(a) || math.IsInf(a, 0) {
				return nil, fmt.Errorf("mcmc: proposal covariance entry (%d,%d) is %v", i, j, a)
			}
			if math.Abs(a-b) > 1e-12*max(math.Abs(a), math.Abs(b)) {
				return nil, fmt.Errorf("mcmc: proposal covariance is not symmetric: entry (%d,%d) is %v, (%d,%d) is %v", i, j, a, j, i, b)
			}
		}
	}
	l := make([]float64, d*d)
	if !factor(cov, l, d) {
		return nil, fmt.Errorf("mcmc: proposal covariance is not positive definite")
	}
	return l, nil
}

// factor writes the lower Cholesky factor of the symmetric matrix a into
// l and reports whether a is positive definite.
func factor(a, l []float64, d int) bool {
	for i := range d {
		for j := 0; j <= i; j++ {
			s := a[i*d+j]
			for k := range j {
				s -= l[i*d+k] * l[j*d+k]
			}
			if i == j {
				if !(s > 0) {
					return false
				}
				l[i*d+i] = math.Sqrt(s)
			} else {
				l[i*d+j] = s / l[j*d+j]
			}
		}
		for j := i + 1; j < d; j++ {
			l[i*d+j] = 0
		}
	}
	return true
}

// rankOne replaces the lower Cholesky factor l of A by that of
// A + sign·v v' (sign ±1), destroying v, and reports success; on failure
// (a downdate that would lose positive definiteness) l is unusable and
// the caller restores it. This is the classical O(d²) update by plane
// rotations (Golub & Van Loan, Matrix Computations, §6.5.4).
func rankOne(l, v []float64, d int, sign float64) bool {
	for k := range d {
		lkk := l[k*d+k]
		r2 := lkk*lkk + sign*v[k]*v[k]
		if !(r2 > 0) || math.IsInf(r2, 0) {
			return false
		}
		r := math.Sqrt(r2)
		c, s := r/lkk, v[k]/lkk
		l[k*d+k] = r
		for i := k + 1; i < d; i++ {
			l[i*d+k] = (l[i*d+k] + sign*s*v[i]) / c
			v[i] = c*v[i] - s*l[i*d+k]
		}
	}
	return true
}
