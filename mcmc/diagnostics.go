package mcmc

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/dsp/fourier"
	"gonum.org/v1/gonum/mathext"
)

// The diagnostics follow the R package posterior function by function
// (rhat, ess_bulk, ess_tail, ess_basic, mcse_mean and their helpers), so
// that they agree with it to rounding and are NaN exactly where it
// returns NA; the package documentation lists the cases.

// RHat returns the rank-normalised split R-hat: the larger of the R-hat of
// the rank-normalised split chains (bulk) and of the rank-normalised
// split chains folded at the median (tail). It is NaN if a draw is NaN
// or all draws are equal, and +Inf when every split chain is constant
// but they are not all equal (chains that do not move at all).
func RHat(chains [][]float64) float64 { return newParam(chains).rhat() }

// ESSBulk returns the bulk effective sample size: the effective sample
// size of the rank-normalised split chains. It is NaN if a draw is NaN,
// all draws are equal or a split chain has fewer than 3 draws.
func ESSBulk(chains [][]float64) float64 { return newParam(chains).essBulk() }

// ESSTail returns the tail effective sample size: the smaller of the
// effective sample sizes of the indicators of the 5% and 95% quantiles
// ([ESSQuantile]). It is NaN if a draw is NaN or infinite, all draws are
// equal, a split chain has fewer than 3 draws, or an indicator is
// constant.
func ESSTail(chains [][]float64) float64 {
	p := newParam(chains)
	return min(p.essQuantile(0.05), p.essQuantile(0.95))
}

// ESS returns the effective sample size of the split chains, not rank
// normalised (posterior's ess_basic). It is NaN if a split chain has a
// NaN or infinite draw or fewer than 3 draws, or the split chains' draws
// are all equal.
func ESS(chains [][]float64) float64 {
	p := newParam(chains)
	return ess(p.split(p.flat))
}

// MCSEMean returns the Monte Carlo standard error of the mean: the
// standard deviation of all draws over the square root of [ESS]. It is
// NaN where ESS is, and when a draw is NaN or infinite.
func MCSEMean(chains [][]float64) float64 { return newParam(chains).mcseMean() }

func (p *param) rhat() float64 {
	if p.hasNaN {
		return math.NaN()
	}
	bulk := rhatBasic(p.split(p.zScores(p.sorted())))
	fold, order, ok := p.folded()
	if !ok {
		return math.NaN()
	}
	tail := rhatBasic(p.split(zScoresOf(fold, p.dropMiddle(order))))
	if math.IsNaN(bulk) || math.IsNaN(tail) {
		return math.NaN()
	}
	return max(bulk, tail)
}

func (p *param) essBulk() float64 {
	if p.hasNaN {
		return math.NaN()
	}
	return ess(p.split(p.zScores(p.sorted())))
}

// essQuantile is posterior's ess_quantile: the effective sample size of
// the split chains of the indicator x ≤ q, q the type-7 quantile.
func (p *param) essQuantile(prob float64) float64 {
	if p.naCase() {
		return math.NaN()
	}
	if prob == 1 {
		s := float64(len(p.flat))
		prob = (s - 0.5) / s
	}
	q := quantileSorted(p.sortedValues(), prob)
	ind := make([]float64, len(p.flat))
	for k, v := range p.flat {
		if v <= q {
			ind[k] = 1
		}
	}
	return ess(p.split(ind))
}

func (p *param) mcseMean() float64 {
	return finite(sdR(p.flat) / math.Sqrt(ess(p.split(p.flat))))
}

// bigDraw is the magnitude above which the moment computations scale the
// draws by a power of two first (exactly, so that ordinary draws give the
// same bits as without), lest squares and sums overflow.
const bigDraw = 0x1p250

// scaleOf returns a power of two s with max|v|/s ≤ 1 if some |v| exceeds
// bigDraw, else 1.
func scaleOf(v []float64) float64 {
	var m float64
	for _, a := range v {
		if a := math.Abs(a); a > m && !math.IsInf(a, 0) {
			m = a
		}
	}
	if m <= bigDraw {
		return 1
	}
	_, e := math.Frexp(m)
	return math.Ldexp(1, e)
}

// scaled returns v/s, or v itself when s is 1.
func scaled(v []float64, s float64) []float64 {
	if s == 1 {
		return v
	}
	out := make([]float64, len(v))
	for i, a := range v {
		out[i] = a / s
	}
	return out
}

// finite turns a Monte Carlo standard error beyond the float64 range
// into NaN, undefined rather than a number that looks like one.
func finite(v float64) float64 {
	if math.IsInf(v, 0) {
		return math.NaN()
	}
	return v
}

// param is one scalar parameter, chains × draws, after the shape check:
// the draws chain after chain in flat, and what the diagnostics ask of
// them more than once.
type param struct {
	m, n           int
	flat           []float64
	hasNaN, hasInf bool
	order          []int32   // indices of flat in increasing order of value; nil until needed
	vals           []float64 // the draws in increasing order; nil until needed
}

func newParam(chains [][]float64) *param {
	x := matrix(chains)
	p := &param{m: len(x), n: len(x[0]), flat: flatten(x)}
	for _, v := range p.flat {
		switch {
		case math.IsNaN(v):
			p.hasNaN = true
		case math.IsInf(v, 0):
			p.hasInf = true
		}
	}
	return p
}

// naCase is posterior's should_return_NA: a NaN or infinite draw, or all
// draws within machine epsilon of one another (an absolute tolerance, as
// posterior's is_constant has).
func (p *param) naCase() bool {
	return p.hasNaN || p.hasInf || spreadBelowEps(p.flat)
}

func spreadBelowEps(v []float64) bool {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, a := range v {
		lo, hi = min(lo, a), max(hi, a)
	}
	return math.Abs(hi-lo) < 0x1p-52
}

// sorted returns the sort order of the draws, computing it once. The
// draws must not be NaN.
func (p *param) sorted() []int32 {
	if p.order == nil {
		p.order = sortOrder(p.flat)
	}
	return p.order
}

// sortedValues returns the draws in increasing order.
func (p *param) sortedValues() []float64 {
	if p.vals == nil {
		o := p.sorted()
		p.vals = make([]float64, len(o))
		for i, k := range o {
			p.vals[i] = p.flat[k]
		}
	}
	return p.vals
}

// split returns the split chains of v (laid out as flat): each chain's
// first and second halves; of an odd number of draws the middle one is
// dropped, and chains of one draw are not split, as posterior does.
func (p *param) split(v []float64) [][]float64 {
	n := p.n
	out := make([][]float64, 0, 2*p.m)
	for i := range p.m {
		c := v[i*n : (i+1)*n]
		if n == 1 {
			out = append(out, c)
			continue
		}
		h := n / 2
		out = append(out, c[:h], c[n-h:])
	}
	return out
}

// dropMiddle returns order without the draws that splitting drops (the
// middle draw of every chain when their length is odd and above 1).
func (p *param) dropMiddle(order []int32) []int32 {
	n := p.n
	if n%2 == 0 || n == 1 {
		return order
	}
	out := make([]int32, 0, len(order)-p.m)
	for _, k := range order {
		if int(k)%n != n/2 {
			out = append(out, k)
		}
	}
	return out
}

// zScores returns the normal scores of the split draws' ranks (entries
// of dropped draws are 0 and unused).
func (p *param) zScores(order []int32) []float64 {
	return zScoresOf(p.flat, p.dropMiddle(order))
}

// zScoresOf replaces each value v[k], k in order (indices in increasing
// order of value), by the normal quantile of its fractional rank among
// them, (r − 3/8)/(S + 1/4) (Blom 1958), ties getting the average of
// their ranks: posterior's z_scale. Entries not in order are 0.
func zScoresOf(v []float64, order []int32) []float64 {
	z := make([]float64, len(v))
	s := float64(len(order))
	for a := 0; a < len(order); {
		b := a + 1
		for b < len(order) && v[order[b]] == v[order[a]] {
			b++
		}
		r := float64(a+b+1) / 2 // average of ranks a+1..b
		q := mathext.NormalQuantile((r - 0.375) / (s + 0.25))
		for _, k := range order[a:b] {
			z[k] = q
		}
		a = b
	}
	return z
}

// folded returns the draws folded at their median, |x − median|, and
// their sort order (merged from the two monotone halves of the sorted
// draws, so no second sort). ok is false when a folded draw is NaN (an
// infinite median and an infinite draw).
func (p *param) folded() (fold []float64, order []int32, ok bool) {
	o := p.sorted()
	s := p.sortedValues()
	med := medianSorted(s)
	fold = make([]float64, len(p.flat))
	for k, v := range p.flat {
		fold[k] = math.Abs(v - med)
		if math.IsNaN(fold[k]) {
			return nil, nil, false
		}
	}
	// Draws below the median fold to a decreasing sequence, those above to
	// an increasing one (x ↦ |x − med| is monotone on each side, and so is
	// its rounding); merge them.
	mid, _ := slices.BinarySearch(s, med) // s[:mid] < med ≤ s[mid:]
	order = make([]int32, 0, len(o))
	lo, hi := mid-1, mid
	for lo >= 0 || hi < len(o) {
		if hi >= len(o) || (lo >= 0 && fold[o[lo]] <= fold[o[hi]]) {
			order = append(order, o[lo])
			lo--
		} else {
			order = append(order, o[hi])
			hi++
		}
	}
	return fold, order, true
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

// naCase is posterior's should_return_NA for a matrix of draws.
func naCase(x [][]float64) bool {
	for _, c := range x {
		for _, v := range c {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return true
			}
		}
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range x {
		for _, v := range c {
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

// rhatBasic is the R-hat of already split chains (posterior's .rhat).
func rhatBasic(x [][]float64) float64 {
	if naCase(x) {
		return math.NaN()
	}
	n := float64(len(x[0]))
	m := len(x)
	means := make([]float64, m)
	var within float64
	for i, c := range x {
		means[i] = meanR(c)
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
	m := meanR(x)
	var s float64
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return s / float64(len(x)-1)
}

// ess is the effective sample size of already split chains (posterior's
// .ess): autocorrelations from FFT autocovariances averaged over chains
// and combined with the between-chain variance, Geyer's initial positive
// and monotone sequences (Geyer, "Practical Markov chain Monte Carlo",
// Statistical Science 7, 1992) with the last even lag kept for
// antithetic chains, and the lower bound 1/log10(S) on τ.
func ess(x [][]float64) float64 {
	m, n := len(x), len(x[0])
	if n < 3 || naCase(x) {
		return math.NaN()
	}
	// ESS does not depend on the draws' scale; keep their squares finite.
	var big float64
	for _, c := range x {
		big = max(big, scaleOf(c))
	}
	if big != 1 {
		y := make([][]float64, m)
		for i, c := range x {
			y[i] = scaled(c, big)
		}
		x = y
	}
	// The mean of the chains' autocovariances, by linearity one inverse
	// transform of their mean power spectrum.
	means := make([]float64, m)
	ac := newAutocov(n)
	for i, c := range x {
		ac.add(c)
		means[i] = meanR(c)
	}
	acov := ac.mean()
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
// zero padding to at least twice the length, so that the circular
// correlation is the linear one. They are 0 for a constant x (as in
// posterior) and NaN if a value is not finite.
func Autocovariance(x []float64) []float64 {
	if len(x) == 0 {
		return []float64{}
	}
	a := newAutocov(len(x))
	a.add(x)
	return slices.Clone(a.mean())
}

// autocov sums the power spectra of series of one length and turns the
// sum into their mean autocovariance, reusing the FFT plan and buffers.
type autocov struct {
	n, size, count int
	fft            *fourier.FFT
	y              []float64
	c              []complex128
	power          []complex128
	r              []float64
}

func newAutocov(n int) *autocov {
	size := fastSize(2 * n)
	return &autocov{n: n, size: size, fft: fourier.NewFFT(size), y: make([]float64, size),
		c: make([]complex128, size/2+1), power: make([]complex128, size/2+1), r: make([]float64, size)}
}

// add adds the power spectrum of x − mean(x), len(x) == n, zero padded.
// A constant x adds nothing (its autocovariances are 0, as in posterior,
// where rounding in the mean would leave noise).
func (a *autocov) add(x []float64) {
	a.count++
	if !slices.ContainsFunc(x, func(v float64) bool { return v != x[0] }) {
		return
	}
	m := meanR(x)
	for i, v := range x {
		a.y[i] = v - m
	}
	clear(a.y[len(x):])
	c := a.fft.Coefficients(a.c, a.y)
	for i, v := range c {
		a.power[i] += complex(real(v)*real(v)+imag(v)*imag(v), 0)
	}
}

// mean returns the mean over the added series of their biased
// autocovariances at lags 0..n−1, in a buffer of a.
func (a *autocov) mean() []float64 {
	r := a.fft.Sequence(a.r, a.power)
	scale := 1 / float64(a.size) / float64(a.n) / float64(a.count)
	for k := range a.n {
		r[k] *= scale
	}
	return r[:a.n]
}

// fastSize is the smallest 2^a·3^b·5^c at least n, a length FFTPACK
// transforms quickly.
func fastSize(n int) int {
	best := math.MaxInt
	for p2 := 1; p2 < 2*n; p2 *= 2 {
		for p3 := p2; p3 < 2*n; p3 *= 3 {
			for p5 := p3; p5 < 2*n; p5 *= 5 {
				if p5 >= n && p5 < best {
					best = p5
				}
			}
		}
	}
	return best
}

// sortOrder returns the indices of v (free of NaN) in increasing order
// of value, −0 and +0 counting as equal: a radix sort on the IEEE bit
// patterns for long inputs, a comparison sort for short ones.
func sortOrder(v []float64) []int32 {
	n := len(v)
	idx := make([]int32, n)
	for i := range idx {
		idx[i] = int32(i)
	}
	if n < 512 {
		slices.SortFunc(idx, func(a, b int32) int {
			switch x, y := v[a], v[b]; {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		})
		return idx
	}
	// Map each float to a uint64 whose unsigned order is the float order:
	// flip every bit of negatives, the sign bit of the others.
	keys := make([]uint64, n)
	for i, x := range v {
		b := math.Float64bits(x + 0) // −0 + 0 = +0
		if b>>63 != 0 {
			b = ^b
		} else {
			b |= 1 << 63
		}
		keys[i] = b
	}
	const bits = 11
	const buckets = 1 << bits
	keys2, idx2 := make([]uint64, n), make([]int32, n)
	var count [buckets]int
	for shift := uint(0); shift < 64; shift += bits {
		clear(count[:])
		for _, k := range keys {
			count[(k>>shift)&(buckets-1)]++
		}
		if count[(keys[0]>>shift)&(buckets-1)] == n {
			continue // every key has this digit
		}
		pos := 0
		for d, c := range count {
			count[d] = pos
			pos += c
		}
		for i, k := range keys {
			d := (k >> shift) & (buckets - 1)
			keys2[count[d]], idx2[count[d]] = k, idx[i]
			count[d]++
		}
		keys, keys2 = keys2, keys
		idx, idx2 = idx2, idx
	}
	return idx
}
