package fidelity

import (
	"fmt"
	"math"
)

// KS returns the one-sample Kolmogorov–Smirnov statistic
// D = sup |F_n(x) − F(x)| of the sample x against the continuous CDF cdf,
// and the p-value P(D_n ≥ d) under the null hypothesis.
//
// The p-value is exact (Marsaglia, Tsang & Wang, "Evaluating Kolmogorov's
// distribution", J. Stat. Softw. 8(18), 2003) when n·d ≤ 50, and otherwise
// Kolmogorov's limiting distribution at (√n + 0.12 + 0.11/√n)·d
// (Stephens 1970), accurate to about 1e-3 relative where it is used.
// x is not modified.
func KS(x []float64, cdf func(float64) float64) (d, p float64, err error) {
	if err := checkPoints("x", x, 1, 1); err != nil {
		return 0, 0, err
	}
	s := sorted(x)
	n := float64(len(s))
	for i, v := range s {
		f := cdf(v)
		if !(f >= 0 && f <= 1) {
			return 0, 0, fmt.Errorf("fidelity: cdf(%v) = %v is not in [0, 1]", v, f)
		}
		d = max(d, f-float64(i)/n, float64(i+1)/n-f)
	}
	return d, kolmogorovSF(len(s), d), nil
}

// KS2 returns the two-sample Kolmogorov–Smirnov statistic
// D = sup |F_n(x) − G_m(x)| and its asymptotic p-value: Kolmogorov's
// limiting distribution at (√e + 0.12 + 0.11/√e)·D with e = nm/(n+m)
// (Stephens 1970; Numerical Recipes §14.3). Neither input is modified.
func KS2(x, y []float64) (d, p float64, err error) {
	if err := checkPoints("x", x, 1, 1); err != nil {
		return 0, 0, err
	}
	if err := checkPoints("y", y, 1, 1); err != nil {
		return 0, 0, err
	}
	a, b := sorted(x), sorted(y)
	n, m := float64(len(a)), float64(len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		v := min(a[i], b[j])
		for i < len(a) && a[i] == v {
			i++
		}
		for j < len(b) && b[j] == v {
			j++
		}
		d = max(d, math.Abs(float64(i)/n-float64(j)/m))
	}
	e := n * m / (n + m)
	se := math.Sqrt(e)
	return d, kolmogorovQ((se + 0.12 + 0.11/se) * d), nil
}

// kolmogorovSF returns P(D_n >= d).
func kolmogorovSF(n int, d float64) float64 {
	if d <= 0 {
		return 1
	}
	if d >= 1 {
		return 0
	}
	if float64(n)*d <= 50 {
		return min(1, max(0, 1-mtwCDF(n, d)))
	}
	sn := math.Sqrt(float64(n))
	return kolmogorovQ((sn + 0.12 + 0.11/sn) * d)
}

// kolmogorovQ is the limiting survival function Q(λ) = P(K > λ) of
// Kolmogorov's distribution, by the alternating series for λ ≥ 1 and the
// Jacobi theta form for small λ.
func kolmogorovQ(lambda float64) float64 {
	if lambda <= 0 {
		return 1
	}
	if lambda < 1 {
		// P(K ≤ λ) = √(2π)/λ Σ_{k≥1} exp(−(2k−1)²π²/(8λ²)).
		var s float64
		for k := 1; k <= 20; k++ {
			t := float64(2*k - 1)
			s += math.Exp(-t * t * math.Pi * math.Pi / (8 * lambda * lambda))
		}
		return 1 - math.Sqrt(2*math.Pi)/lambda*s
	}
	var s float64
	sign := 1.0
	for k := 1; k <= 100; k++ {
		t := sign * math.Exp(-2*float64(k*k)*lambda*lambda)
		s += t
		if math.Abs(t) < 1e-17 {
			break
		}
		sign = -sign
	}
	return min(1, max(0, 2*s))
}

// mtwCDF returns P(D_n < d) by the matrix method of Marsaglia, Tsang &
// Wang (2003), with the matrix power scaled to avoid overflow.
func mtwCDF(n int, d float64) float64 {
	k := int(float64(n)*d) + 1
	m := 2*k - 1
	h := float64(k) - float64(n)*d
	H := make([]float64, m*m)
	for i := range m {
		for j := range m {
			if i-j+1 >= 0 {
				H[i*m+j] = 1
			}
		}
	}
	for i := range m {
		H[i*m] -= math.Pow(h, float64(i+1))
		H[(m-1)*m+i] -= math.Pow(h, float64(m-i))
	}
	if 2*h-1 > 0 {
		H[(m-1)*m] += math.Pow(2*h-1, float64(m))
	}
	for i := range m {
		for j := range m {
			if g := i - j + 1; g > 0 {
				for f := 2; f <= g; f++ {
					H[i*m+j] /= float64(f)
				}
			}
		}
	}
	q, eq := matPow(H, m, n)
	s := q[(k-1)*m+k-1]
	for i := 1; i <= n; i++ {
		s = s * float64(i) / float64(n)
		if s < 1e-140 {
			s *= 1e140
			eq -= 140
		}
	}
	return s * math.Pow(10, float64(eq))
}

// matPow returns A^n as a matrix and a decimal exponent e, A^n = M·10^e.
func matPow(a []float64, m, n int) ([]float64, int) {
	if n == 1 {
		return append([]float64(nil), a...), 0
	}
	v, ev := matPow(a, m, n/2)
	b := matMul(v, v, m)
	eb := 2 * ev
	if n%2 == 1 {
		b = matMul(a, b, m)
	}
	if b[(m/2)*m+m/2] > 1e140 {
		for i := range b {
			b[i] *= 1e-140
		}
		eb += 140
	}
	return b, eb
}

func matMul(a, b []float64, m int) []float64 {
	c := make([]float64, m*m)
	for i := range m {
		for l := range m {
			ail := a[i*m+l]
			if ail == 0 {
				continue
			}
			row := b[l*m : l*m+m]
			out := c[i*m : i*m+m]
			for j, v := range row {
				out[j] += ail * v
			}
		}
	}
	return c
}
