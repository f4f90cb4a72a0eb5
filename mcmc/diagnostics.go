package mcmc

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/dsp/fourier"
	"gonum.org/v1/gonum/stat/distuv"
)

// RHat returns the rank-normalised split R-hat: the larger of the R-hat of
// the rank-normalised split chains (bulk) and of the rank-normalised
// split chains folded at the median (tail).
func RHat(chains [][]float64) float64 {
	x := matrix(chains)
	if naCase(x) {
		return math.NaN()
	}
	bulk := rhatBasic(zScale(split(x)))
	fold := make([][]float64, len(x))
	med := quantile7(flatten(x), 0.5)
	for i, c := range x {
		fold[i] = make([]float64, len(c))
		for j, v := range c {
			fold[i][j] = math.Abs(v - med)
		}
	}
	tail := rhatBasic(zScale(split(fold)))
	if math.IsNaN(bulk) || math.IsNaN(tail) {
		return math.NaN()
	}
	return max(bulk, tail)
}

// ESSBulk returns the bulk effective sample size: the effective sample
// size of the rank-normalised split chains.
func ESSBulk(chains [][]float64) float64 {
	x := matrix(chains)
	if naCase(x) {
		return math.NaN()
	}
	return ess(zScale(split(x)))
}

// ESSTail returns the tail effective sample size: the smaller of the
// effective sample sizes of the indicators of the 5% and 95% quantiles.
func ESSTail(chains [][]float64) float64 {
	x := matrix(chains)
	if naCase(x) {
		return math.NaN()
	}
	return min(essQuantile(x, 0.05), essQuantile(x, 0.95))
}

// ESS returns the effective sample size of the split chains, not rank
// normalised (posterior's ess_basic).
func ESS(chains [][]float64) float64 {
	x := matrix(chains)
	if naCase(x) {
		return math.NaN()
	}
	return ess(split(x))
}

// MCSEMean returns the Monte Carlo standard error of the mean: the
// standard deviation of all draws over the square root of ESS.
func MCSEMean(chains [][]float64) float64 {
	x := matrix(chains)
	if naCase(x) {
		return math.NaN()
	}
	all := flatten(x)
	var m, v float64
	for _, a := range all {
		m += a
	}
	m /= float64(len(all))
	for _, a := range all {
		v += (a - m) * (a - m)
	}
	sd := math.Sqrt(v / float64(len(all)-1))
	return sd / math.Sqrt(ess(split(x)))
}

// matrix checks the shape: at least one chain, all of one length.
func matrix(chains [][]float64) [][]float64 {
	if len(chains) == 0 {
		panic("mcmc: no chains")
	}
	for i, c := range chains {
		if len(c) != len(chains[0]) {
			panic(fmt.Sprintf("mcmc: ragged chains: chain %d has %d draws, chain 0 has %d", i, len(c), len(chains[0])))
		}
	}
	if len(chains[0]) == 0 {
		panic("mcmc: chains with no draws")
	}
	return chains
}

// naCase is where posterior returns NA: a non-finite draw, or all draws
// equal to within machine epsilon.
func naCase(x [][]float64) bool {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range x {
		for _, v := range c {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return true
			}
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	return math.Abs(hi-lo) < 0x1p-52
}

func flatten(x [][]float64) []float64 {
	out := make([]float64, 0, len(x)*len(x[0]))
	for _, c := range x {
		out = append(out, c...)
	}
	return out
}

// split halves every chain; of an odd number of draws the middle one is
// dropped, as posterior does.
func split(x [][]float64) [][]float64 {
	n := len(x[0])
	if n == 1 {
		return x
	}
	h := n / 2
	out := make([][]float64, 0, 2*len(x))
	for _, c := range x {
		out = append(out, c[:h], c[n-h:])
	}
	return out
}

// zScale replaces every draw by the normal quantile of its fractional
// rank over all draws, (r − 3/8)/(S + 1/4) (Blom), ties averaged.
func zScale(x [][]float64) [][]float64 {
	type item struct {
		v    float64
		i, j int32
	}
	n := 0
	for _, c := range x {
		n += len(c)
	}
	items := make([]item, 0, n)
	for i, c := range x {
		for j, v := range c {
			items = append(items, item{v, int32(i), int32(j)})
		}
	}
	// Ties get the average of their ranks, so the order among equal
	// values does not matter and an unstable sort will do.
	slices.SortFunc(items, func(a, b item) int {
		switch {
		case a.v < b.v:
			return -1
		case a.v > b.v:
			return 1
		}
		return 0
	})
	s := float64(len(items))
	out := make([][]float64, len(x))
	for i, c := range x {
		out[i] = make([]float64, len(c))
	}
	for k := 0; k < len(items); {
		l := k
		for l < len(items) && items[l].v == items[k].v {
			l++
		}
		r := float64(k+l+1) / 2 // average of ranks k+1..l
		z := distuv.UnitNormal.Quantile((r - 0.375) / (s + 0.25))
		for m := k; m < l; m++ {
			out[items[m].i][items[m].j] = z
		}
		k = l
	}
	return out
}

// rhatBasic is the split R-hat of already split chains.
func rhatBasic(x [][]float64) float64 {
	if naCase(x) {
		return math.NaN()
	}
	n := float64(len(x[0]))
	m := len(x)
	means := make([]float64, m)
	var within float64
	for i, c := range x {
		var s float64
		for _, v := range c {
			s += v
		}
		means[i] = s / n
		var ss float64
		for _, v := range c {
			ss += (v - means[i]) * (v - means[i])
		}
		within += ss / (n - 1)
	}
	within /= float64(m)
	between := n * sampleVar(means)
	return math.Sqrt((between/within + n - 1) / n)
}

func sampleVar(x []float64) float64 {
	if len(x) < 2 {
		return math.NaN()
	}
	var m float64
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	var s float64
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return s / float64(len(x)-1)
}

// essQuantile is the effective sample size of the indicator x ≤ q_p,
// with q_p the type-7 quantile of all draws.
func essQuantile(x [][]float64, p float64) float64 {
	q := quantile7(flatten(x), p)
	ind := make([][]float64, len(x))
	for i, c := range x {
		ind[i] = make([]float64, len(c))
		for j, v := range c {
			if v <= q {
				ind[i][j] = 1
			}
		}
	}
	return ess(split(ind))
}

// quantile7 is R's default (type 7) sample quantile.
func quantile7(x []float64, p float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	h := float64(len(s)-1) * p
	lo := int(math.Floor(h))
	if lo+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[lo] + (h-float64(lo))*(s[lo+1]-s[lo])
}

// ess is the effective sample size of already split chains, with
// autocorrelations from FFT autocovariances, Geyer's initial positive
// and monotone sequences, and the lower bound 1/log10(S) on τ.
func ess(x [][]float64) float64 {
	m, n := len(x), len(x[0])
	if n < 3 || naCase(x) {
		return math.NaN()
	}
	acov := make([]float64, n) // mean over chains
	means := make([]float64, m)
	for i, c := range x {
		a := Autocovariance(c)
		for k := range acov {
			acov[k] += a[k] / float64(m)
		}
		var s float64
		for _, v := range c {
			s += v
		}
		means[i] = s / float64(n)
	}
	fn := float64(n)
	meanVar := acov[0] * fn / (fn - 1)
	varPlus := meanVar * (fn - 1) / fn
	if m > 1 {
		varPlus += sampleVar(means)
	}
	rho := make([]float64, n)
	t := 0
	even, odd := 1.0, 1-(meanVar-acov[1])/varPlus
	rho[0], rho[1] = even, odd
	for t < n-5 && !math.IsNaN(even+odd) && even+odd > 0 {
		t += 2
		even = 1 - (meanVar-acov[t])/varPlus
		odd = 1 - (meanVar-acov[t+1])/varPlus
		if even+odd >= 0 {
			rho[t], rho[t+1] = even, odd
		}
	}
	maxT := t
	if even > 0 {
		rho[maxT] = even
	}
	// Geyer's initial monotone sequence.
	for t = 0; t <= maxT-4; {
		t += 2
		if rho[t]+rho[t+1] > rho[t-2]+rho[t-1] {
			rho[t] = (rho[t-2] + rho[t-1]) / 2
			rho[t+1] = rho[t]
		}
	}
	total := float64(m * n)
	var sum float64
	for _, r := range rho[:maxT] {
		sum += r
	}
	if maxT == 0 {
		// posterior sums rho_hat_t[1:max_t], and R's 1:0 is c(1, 0): when
		// no lag pair is accepted (as for split chains of at most 5
		// draws) it counts ρ₀ = 1, so τ̂ = 2.
		sum = rho[0]
	}
	tau := -1 + 2*sum + rho[maxT]
	tau = max(tau, 1/math.Log10(total))
	return total / tau
}

// Autocovariance returns the biased autocovariances of x at lags
// 0..len(x)−1, (1/n)·Σ (x_i − x̄)(x_{i+k} − x̄), computed by FFT with
// zero padding to twice the length.
func Autocovariance(x []float64) []float64 {
	n := len(x)
	out := make([]float64, n)
	if n == 0 {
		return out
	}
	var m float64
	for _, v := range x {
		m += v
	}
	m /= float64(n)
	size := 2 * n
	fft := fourier.NewFFT(size)
	y := make([]float64, size)
	for i, v := range x {
		y[i] = v - m
	}
	c := fft.Coefficients(nil, y)
	for i, v := range c {
		c[i] = complex(real(v)*real(v)+imag(v)*imag(v), 0)
	}
	r := fft.Sequence(nil, c)
	for k := range out {
		out[k] = r[k] / float64(size) / float64(n)
	}
	return out
}
