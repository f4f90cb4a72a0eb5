package mcmc

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// Summary describes the draws of one scalar parameter as the R package
// posterior's summarise_draws does (mean, median, sd, mad, q5, q95, rhat,
// ess_bulk, ess_tail), together with the Monte Carlo standard errors of
// the mean, the standard deviation and the two quantiles.
//
// A field is NaN where posterior returns NA (see the package
// documentation); Warnings then says why it is undefined. Mean and SD are
// computed from all draws as R's mean and sd are, so a NaN draw makes
// them NaN and an infinite one makes the mean infinite.
type Summary struct {
	// Mean is the mean of all draws.
	Mean float64
	// Median is the median of all draws (the mean of the middle two for an
	// even count).
	Median float64
	// SD is the sample standard deviation of all draws (divisor S − 1).
	SD float64
	// MAD is R's mad: 1.4826 times the median absolute deviation from the
	// median, which estimates the standard deviation of normal draws.
	MAD float64
	// Q5 and Q95 are the 5% and 95% type-7 quantiles of all draws.
	Q5, Q95 float64
	// MCSEMean is the Monte Carlo standard error of Mean ([MCSEMean]).
	MCSEMean float64
	// MCSEMedian is the Monte Carlo standard error of Median
	// ([MCSEQuantile] at 0.5, posterior's mcse_median).
	MCSEMedian float64
	// MCSESD is the Monte Carlo standard error of SD ([MCSESD]).
	MCSESD float64
	// MCSEQ5 and MCSEQ95 are the Monte Carlo standard errors of Q5 and
	// Q95 ([MCSEQuantile]).
	MCSEQ5, MCSEQ95 float64
	// ESSBulk is the bulk effective sample size ([ESSBulk]).
	ESSBulk float64
	// ESSTail is the tail effective sample size ([ESSTail]).
	ESSTail float64
	// RHat is the rank-normalised split R-hat ([RHat]).
	RHat float64
	// Acceptance is the share of proposals accepted after warm-up, over
	// all chains; it is filled in by [Result.Summary] and NaN from
	// Summarize, which sees only draws.
	Acceptance float64
	// Warnings lists, in words, every R-hat above RHatLimit, every
	// effective sample size below ESSLimit and every field that is NaN,
	// with the reason. It is empty when there is nothing to report.
	Warnings []string
}

// The limits Summarize warns at are the recommendations of Vehtari et al.
// (2021): R-hat below 1.01, and bulk and tail effective sample sizes of at
// least 100 per chain, 400 for four chains.
const (
	// RHatLimit is the R-hat above which Summarize warns.
	RHatLimit = 1.01
	// ESSLimit is the bulk or tail effective sample size below which
	// Summarize warns.
	ESSLimit = 400
)

// madConstant is R's default constant for mad, 1/Φ⁻¹(3/4) rounded.
const madConstant = 1.4826

// Summarize returns the summary of one scalar parameter given as chains ×
// draws. Chains of different lengths, or no chains, panic.
func Summarize(chains [][]float64) Summary {
	p := newParam(chains)
	nan := math.NaN()
	s := Summary{Mean: meanR(p.flat), SD: sdR(p.flat), Acceptance: nan}
	s.Median, s.MAD, s.Q5, s.Q95 = nan, nan, nan, nan
	s.MCSEMean, s.MCSEMedian, s.MCSESD, s.MCSEQ5, s.MCSEQ95 = nan, nan, nan, nan, nan
	if !p.hasNaN {
		sorted := p.sortedValues()
		s.Median = medianSorted(sorted)
		s.MAD = madSorted(sorted, s.Median)
		s.Q5 = quantileSorted(sorted, 0.05)
		s.Q95 = quantileSorted(sorted, 0.95)
	}
	s.RHat = p.rhat()
	s.ESSBulk = p.essBulk()
	e5, e95 := p.essQuantile(0.05), p.essQuantile(0.95)
	s.ESSTail = min(e5, e95)
	s.MCSEMean = p.mcseMean()
	s.MCSESD = p.mcseSD()
	s.MCSEMedian = p.mcseQuantile(0.5, p.essQuantile(0.5))
	s.MCSEQ5 = p.mcseQuantile(0.05, e5)
	s.MCSEQ95 = p.mcseQuantile(0.95, e95)
	s.Warnings = summaryWarnings(p, &s)
	return s
}

// Quantile returns the p-quantile of all draws, R's default (type 7)
// sample quantile as posterior's quantile2 uses it: with the draws sorted,
// x₍ₖ₎ + h·(x₍ₖ₊₁₎ − x₍ₖ₎) at 1 + (S − 1)·p = k + h. It is NaN if a draw is
// NaN, where quantile2 returns NA. A p outside [0, 1], or NaN, panics, as
// posterior stops with an error.
func Quantile(chains [][]float64, p float64) float64 {
	x := newParam(chains)
	checkProb(p)
	if x.hasNaN {
		return math.NaN()
	}
	return quantileSorted(x.sortedValues(), p)
}

// ESSQuantile returns the effective sample size of the p-quantile: the
// effective sample size of the split chains of the indicator x ≤ q_p, with
// q_p the type-7 quantile of all draws (posterior's ess_quantile). For
// p = 1 the quantile is taken at (S − ½)/S instead, as posterior does, so
// that the indicator is not constant. It is NaN where posterior returns
// NA: a non-finite draw, all draws equal, fewer than 3 draws per split
// chain, or a constant indicator (many draws tied at q_p). A p outside
// [0, 1], or NaN, panics.
func ESSQuantile(chains [][]float64, p float64) float64 {
	x := newParam(chains)
	checkProb(p)
	return x.essQuantile(p)
}

// MCSEQuantile returns the Monte Carlo standard error of the p-quantile
// as posterior's mcse_quantile computes it (Vehtari et al. 2021, section
// 4.3): with E the effective sample size of the quantile ([ESSQuantile]),
// the ±1σ interval of the quantile's order statistic is read from the
// Beta(E·p + 1, E·(1 − p) + 1) distribution at probabilities 0.1586553
// and 0.8413447 (Φ(∓1) to seven digits) as a₁ and a₂, and the MCSE is
// half the difference of the sorted draws of ranks ⌈a₂·S⌉ and ⌊a₁·S⌋,
// clamped to [1, S]. It is NaN where ESSQuantile is. A p outside [0, 1],
// or NaN, panics.
func MCSEQuantile(chains [][]float64, p float64) float64 {
	x := newParam(chains)
	checkProb(p)
	return x.mcseQuantile(p, x.essQuantile(p))
}

// MCSESD returns the Monte Carlo standard error of the standard deviation
// as posterior 1.4.0's mcse_sd computes it: with c the draws centred at
// their mean and E the effective sample size of c² (split chains, not rank
// normalised), Var(c²) ≈ (mean(c⁴) − mean(c²)²)/E (the variance of the
// sample variance: Kenney & Keeping, Mathematics of Statistics, part 2,
// 1951, p. 141), and by the delta method √(Var(c²)/(4·mean(c²))). It is
// NaN where posterior returns NA or NaN: a non-finite draw, all draws
// equal, fewer than 3 draws per split chain, or all c² equal.
func MCSESD(chains [][]float64) float64 { return newParam(chains).mcseSD() }

func (p *param) mcseSD() float64 {
	// The MCSE of the sd scales with the draws: compute it on draws
	// scaled so that their fourth powers stay finite.
	if sc := scaleOf(p.flat); sc != 1 {
		q := &param{m: p.m, n: p.n, flat: scaled(p.flat, sc), hasNaN: p.hasNaN, hasInf: p.hasInf}
		return finite(sc * q.mcseSD())
	}
	m := meanR(p.flat)
	c2 := make([]float64, len(p.flat))
	c4 := make([]float64, len(p.flat))
	for k, v := range p.flat {
		d := (v - m) * (v - m)
		c2[k], c4[k] = d, d*d
	}
	e := ess(p.split(c2))
	ev := meanR(c2)
	varvar := (meanR(c4) - ev*ev) / e
	return math.Sqrt(varvar / ev / 4)
}

// mcseQuantile is posterior's .mcse_quantile given the effective sample
// size e of the prob-quantile; NaN if e is.
func (p *param) mcseQuantile(prob, e float64) float64 {
	if math.IsNaN(e) {
		return math.NaN()
	}
	sorted := p.sortedValues()
	b := distuv.Beta{Alpha: e*prob + 1, Beta: e*(1-prob) + 1}
	a1, a2 := b.Quantile(0.1586553), b.Quantile(0.8413447)
	n := len(sorted)
	i1 := max(int(math.Floor(a1*float64(n))), 1)
	i2 := min(int(math.Ceil(a2*float64(n))), n)
	d := (sorted[i2-1] - sorted[i1-1]) / 2
	if math.IsInf(d, 0) {
		d = sorted[i2-1]/2 - sorted[i1-1]/2 // the difference overflowed
	}
	return d
}

// checkProb panics unless 0 ≤ p ≤ 1.
func checkProb(p float64) {
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("mcmc: probability %v outside [0, 1]", p))
	}
}

// meanR is the arithmetic mean with R's refinement: the mean, corrected
// by the mean of the residuals when it is finite. Huge values are scaled
// first, as R's long double sum needs not.
func meanR(x []float64) float64 {
	if sc := scaleOf(x); sc != 1 {
		return sc * meanR(scaled(x, sc)) // lest the sum overflow
	}
	var s float64
	for _, v := range x {
		s += v
	}
	n := float64(len(x))
	m := s / n
	if math.IsInf(m, 0) || math.IsNaN(m) {
		return m
	}
	var r float64
	for _, v := range x {
		r += v - m
	}
	return m + r/n
}

// sdR is the sample standard deviation (divisor n − 1) about meanR; NaN
// for fewer than two values, as in R. Huge values are scaled first, so
// that it overflows only when the result does.
func sdR(x []float64) float64 {
	if len(x) < 2 {
		return math.NaN()
	}
	if sc := scaleOf(x); sc != 1 {
		return sc * sdR(scaled(x, sc))
	}
	m := meanR(x)
	var s float64
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return math.Sqrt(s / float64(len(x)-1))
}

// quantileSorted is R's type-7 quantile of sorted values free of NaN,
// with R's arithmetic: at index 1 + (n − 1)·p = lo + h it returns
// (1 − h)·x[lo] + h·x[lo+1], or x[lo] when h = 0 or the two are equal
// (which keeps an infinite neighbour from turning the result into NaN).
func quantileSorted(x []float64, p float64) float64 {
	index := 1 + float64(len(x)-1)*p
	lo := math.Floor(index)
	h := index - lo
	q := x[int(lo)-1]
	if h > 0 && int(lo) < len(x) && x[int(lo)] != q {
		q = (1-h)*q + h*x[int(lo)]
	}
	return q
}

// medianSorted is R's median of sorted values free of NaN: the middle
// value, or the mean of the middle two.
func medianSorted(x []float64) float64 {
	n := len(x)
	if n%2 == 1 {
		return x[n/2]
	}
	a, b := x[n/2-1], x[n/2]
	m := (a + b) / 2
	if math.IsInf(m, 0) && !math.IsInf(a, 0) && !math.IsInf(b, 0) {
		m = a/2 + b/2 // a + b overflowed
	}
	return m
}

// madSorted is R's mad about the median med of sorted values free of NaN.
func madSorted(x []float64, med float64) float64 {
	d := make([]float64, len(x))
	for i, v := range x {
		d[i] = math.Abs(v - med)
	}
	if slices.ContainsFunc(d, math.IsNaN) { // ∞ − ∞
		return math.NaN()
	}
	slices.Sort(d)
	return madConstant * medianSorted(d)
}

// summaryWarnings words the convergence problems of s and the reason for
// every NaN field.
func summaryWarnings(p *param, s *Summary) []string {
	var out []string
	switch {
	case math.IsInf(s.RHat, 1):
		out = append(out, "R-hat infinite: every split chain is stuck at one value, and not all at the same")
	case s.RHat > RHatLimit:
		out = append(out, fmt.Sprintf("R-hat %s above %v: chains have not mixed", formatAbove(s.RHat, RHatLimit), RHatLimit))
	}
	if s.ESSBulk < ESSLimit {
		out = append(out, fmt.Sprintf("bulk ESS %s below %d: too few effective draws to trust the mean, median and sd", formatESS(s.ESSBulk), ESSLimit))
	}
	if s.ESSTail < ESSLimit {
		out = append(out, fmt.Sprintf("tail ESS %s below %d: too few effective draws to trust the 5%% and 95%% quantiles", formatESS(s.ESSTail), ESSLimit))
	}

	n := p.n
	// reason says why a field needing need draws per chain is NaN; rank
	// says whether the field is rank based (defined for infinite draws).
	reason := func(need int, rank bool) string {
		switch {
		case p.hasNaN:
			return "a draw is NaN"
		case n < need:
			return fmt.Sprintf("too few draws (%d per chain, needs %d)", n, need)
		case spreadBelowEps(p.flat) && (!rank || !slices.ContainsFunc(p.flat, func(v float64) bool { return v != p.flat[0] })):
			return "all draws equal"
		case p.hasInf && rank:
			return "the median is infinite"
		case p.hasInf:
			return "a draw is infinite"
		}
		return "too many tied draws"
	}
	// R-hat needs split chains of 2 draws; the effective sample sizes,
	// and so the MCSEs, need 3.
	fields := []struct {
		name string
		v    float64
		need int
		rank bool
	}{
		{"mean", s.Mean, 1, false}, {"median", s.Median, 1, false}, {"sd", s.SD, 2, false},
		{"mad", s.MAD, 1, false}, {"q5", s.Q5, 1, false}, {"q95", s.Q95, 1, false},
		{"R-hat", s.RHat, 4, true}, {"bulk ESS", s.ESSBulk, 6, true}, {"tail ESS", s.ESSTail, 6, false},
		{"MCSE of mean", s.MCSEMean, 6, false}, {"MCSE of median", s.MCSEMedian, 6, false},
		{"MCSE of sd", s.MCSESD, 6, false}, {"MCSE of q5", s.MCSEQ5, 6, false}, {"MCSE of q95", s.MCSEQ95, 6, false},
	}
	var reasons []string
	names := map[string][]string{}
	for _, f := range fields {
		if !math.IsNaN(f.v) {
			continue
		}
		r := reason(f.need, f.rank)
		if names[r] == nil {
			reasons = append(reasons, r)
		}
		names[r] = append(names[r], f.name)
	}
	for _, r := range reasons {
		out = append(out, strings.Join(names[r], ", ")+" undefined: "+r)
	}
	return out
}

// formatAbove prints v > limit with the fewest decimals (at least 2)
// that still show it above the limit.
func formatAbove(v, limit float64) string {
	for d := 2; d <= 6; d++ {
		s := strconv.FormatFloat(v, 'f', d, 64)
		if f, _ := strconv.ParseFloat(s, 64); f > limit {
			return s
		}
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// formatESS prints an effective sample size rounded down, so that one
// just below a limit never reads as the limit.
func formatESS(v float64) string {
	if math.IsNaN(v) {
		return "NA"
	}
	return strconv.FormatFloat(math.Floor(v), 'f', 0, 64)
}

// formatSig prints v to about three significant digits, in plain
// notation between 0.001 and 100000; NaN prints as NA.
func formatSig(v float64) string {
	switch a := math.Abs(v); {
	case math.IsNaN(v):
		return "NA"
	case math.IsInf(v, 0):
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v == 0:
		return "0"
	case a >= 1e-3 && a < 1e5:
		d := max(0, 2-int(math.Floor(math.Log10(a))))
		return strconv.FormatFloat(v, 'f', d, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// WriteSummaries writes an aligned table of summaries, one row per
// variable, with the columns of posterior's summarise_draws (variable,
// mean, median, sd, mad, q5, q95, rhat, ess_bulk, ess_tail) and two more:
// mcse_mean after the mean, and accept when an acceptance is known; then
// every warning prefixed by its variable's name. NaN prints as NA;
// effective sample sizes are rounded down. names and s must be of one
// length.
func WriteSummaries(w io.Writer, names []string, s []Summary) error {
	if len(names) != len(s) {
		return fmt.Errorf("mcmc: %d names for %d summaries", len(names), len(s))
	}
	rows := [][]string{{"variable", "mean", "mcse_mean", "median", "sd", "mad", "q5", "q95", "rhat", "ess_bulk", "ess_tail"}}
	acc := false
	for _, v := range s {
		acc = acc || !math.IsNaN(v.Acceptance)
	}
	if acc {
		rows[0] = append(rows[0], "accept")
	}
	for i, v := range s {
		rhat := "NA"
		if !math.IsNaN(v.RHat) {
			rhat = strconv.FormatFloat(v.RHat, 'f', 3, 64)
		}
		row := []string{names[i],
			formatSig(v.Mean), formatSig(v.MCSEMean), formatSig(v.Median), formatSig(v.SD), formatSig(v.MAD),
			formatSig(v.Q5), formatSig(v.Q95), rhat, formatESS(v.ESSBulk), formatESS(v.ESSTail)}
		if acc {
			row = append(row, formatSig(v.Acceptance))
		}
		rows = append(rows, row)
	}
	width := make([]int, len(rows[0]))
	for _, r := range rows {
		for j, c := range r {
			width[j] = max(width[j], len([]rune(c)))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		for j, c := range r {
			pad := strings.Repeat(" ", width[j]-len([]rune(c)))
			switch {
			case j == 0: // names left-aligned, numbers right-aligned
				b.WriteString(c + pad)
			default:
				b.WriteString(" " + pad + c)
			}
		}
		b.WriteString("\n")
	}
	for i, v := range s {
		for _, m := range v.Warnings {
			b.WriteString(names[i] + ": " + m + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
