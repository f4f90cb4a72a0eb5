package mcmc_test

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/mcmc"
	"github.com/variate/variate/sampler"
)

// readTable reads a whitespace-separated reference file: '#' comments,
// then a name and numbers per line; NA and nan read as NaN.
func readTable(t *testing.T, file string, cols int) map[string][]float64 {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", file))
	require.NoError(t, err)
	defer f.Close()
	out := map[string][]float64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		fs := strings.Fields(line)
		require.Len(t, fs, cols+1, line)
		row := make([]float64, cols)
		for i, s := range fs[1:] {
			if s == "NA" {
				row[i] = math.NaN()
				continue
			}
			row[i], err = strconv.ParseFloat(s, 64)
			require.NoError(t, err, line)
		}
		out[fs[0]] = row
	}
	require.NoError(t, sc.Err())
	return out
}

// closeTo asserts got equals want to rel relative: NaN only for NaN,
// infinities and zero exactly. It returns the relative error.
func closeTo(t *testing.T, want, got, rel float64, msg string) float64 {
	t.Helper()
	switch {
	case math.IsNaN(want):
		assert.True(t, math.IsNaN(got), "%s: want NaN, got %v", msg, got)
		return 0
	case math.IsInf(want, 0) || want == 0:
		assert.Equal(t, want, got, msg)
		return 0
	}
	e := math.Abs(got-want) / math.Abs(want)
	assert.LessOrEqual(t, e, rel, "%s: want %v, got %v", msg, want, got)
	return e
}

// Summarize, Quantile, MCSESD, MCSEQuantile, ESSQuantile and ESS equal
// the R package posterior to 1e-8 relative, and are NaN exactly where it
// returns NA, on the chains of testdata/posterior_more.txt (whose header
// says how the reference values were made): the seven shapes of
// posterior.txt and nine edge cases.
func TestMatchesPosteriorMore(t *testing.T) {
	cols := []string{"mean", "median", "sd", "mad", "q5", "q95", "mcse_sd", "mcse_q5", "mcse_q95",
		"ess_q5", "ess_q50", "rhat", "ess_bulk", "ess_tail", "mcse_mean", "mcse_median", "ess_basic"}
	ref := readTable(t, "posterior_more.txt", len(cols))
	require.Len(t, ref, 16)
	var worst float64
	for name, want := range ref {
		x := readChains(t, name)
		s := mcmc.Summarize(x)
		got := []float64{s.Mean, s.Median, s.SD, s.MAD, s.Q5, s.Q95, s.MCSESD, s.MCSEQ5, s.MCSEQ95,
			mcmc.ESSQuantile(x, 0.05), mcmc.ESSQuantile(x, 0.5), s.RHat, s.ESSBulk, s.ESSTail, s.MCSEMean,
			s.MCSEMedian, mcmc.ESS(x)}
		direct := map[int]float64{
			4: mcmc.Quantile(x, 0.05), 5: mcmc.Quantile(x, 0.95), 6: mcmc.MCSESD(x),
			7: mcmc.MCSEQuantile(x, 0.05), 8: mcmc.MCSEQuantile(x, 0.95),
			11: mcmc.RHat(x), 12: mcmc.ESSBulk(x), 13: mcmc.ESSTail(x), 14: mcmc.MCSEMean(x),
			15: mcmc.MCSEQuantile(x, 0.5),
		}
		for i, c := range cols {
			worst = max(worst, closeTo(t, want[i], got[i], 1e-8, name+" "+c))
			if v, ok := direct[i]; ok {
				worst = max(worst, closeTo(t, want[i], v, 1e-8, name+" "+c+" (direct)"))
			}
		}
	}
	t.Logf("largest relative difference from posterior: %.2g", worst)
}

// The end points p = 0 and p = 1, where posterior's ess_quantile takes
// the indicator at (S − ½)/S instead of 1, equal posterior 1.4.0, from
//
//	x <- as.matrix(read.csv(paste0(name, ".csv"), header = FALSE))
//	ess_quantile(x, c(0, 1)); mcse_quantile(x, c(0, 0.5, 1))
//	quantile2(x, c(0, 0.5, 1))
func TestQuantileEndPoints(t *testing.T) {
	nan := math.NaN()
	for name, want := range map[string][8]float64{
		"stationary": {4016.0965148314435, 4016.0965148314435, 0.0016203953658371351, 0.034929860863642415, 0.23740588911564409, -3.7955190612142062, 0.0078473531311361866, 4.5788576087510364},
		"ties":       {1630.4923690978128, nan, 0, 0, nan, -3, 0, 4},
		"sticky":     {8016.0481283529634, 8016.0481283529634, 0.19022741006224564, 1.365783530778002, 0.038473173849421727, -23.664406171025359, 1.9422309849873676, 24.26150149663701},
	} {
		x := readChains(t, name)
		got := []float64{mcmc.ESSQuantile(x, 0), mcmc.ESSQuantile(x, 1),
			mcmc.MCSEQuantile(x, 0), mcmc.MCSEQuantile(x, 0.5), mcmc.MCSEQuantile(x, 1),
			mcmc.Quantile(x, 0), mcmc.Quantile(x, 0.5), mcmc.Quantile(x, 1)}
		for i := range got {
			closeTo(t, want[i], got[i], 1e-8, fmt.Sprint(name, " ", i))
		}
	}
}

func TestProbabilityOutOfRangePanics(t *testing.T) {
	x := [][]float64{{1, 2, 3, 4, 5, 6}, {2, 3, 1, 5, 4, 7}}
	for _, p := range []float64{-0.01, 1.5, math.NaN(), math.Inf(1)} {
		msg := fmt.Sprintf("mcmc: probability %v outside [0, 1]", p)
		assert.PanicsWithValue(t, msg, func() { mcmc.Quantile(x, p) })
		assert.PanicsWithValue(t, msg, func() { mcmc.ESSQuantile(x, p) })
		assert.PanicsWithValue(t, msg, func() { mcmc.MCSEQuantile(x, p) })
	}
	assert.Panics(t, func() { mcmc.Summarize([][]float64{{1, 2}, {1}}) })
	assert.Panics(t, func() { mcmc.MCSESD(nil) })
}

// nanFields names the fields of s that are NaN.
func nanFields(s mcmc.Summary) []string {
	var out []string
	for _, f := range []struct {
		name string
		v    float64
	}{
		{"Mean", s.Mean}, {"Median", s.Median}, {"SD", s.SD}, {"MAD", s.MAD},
		{"Q5", s.Q5}, {"Q95", s.Q95}, {"MCSEMean", s.MCSEMean}, {"MCSEMedian", s.MCSEMedian}, {"MCSESD", s.MCSESD},
		{"MCSEQ5", s.MCSEQ5}, {"MCSEQ95", s.MCSEQ95}, {"ESSBulk", s.ESSBulk},
		{"ESSTail", s.ESSTail}, {"RHat", s.RHat},
	} {
		if math.IsNaN(f.v) {
			out = append(out, f.name)
		}
	}
	return out
}

// Where a diagnostic is undefined the field is NaN and a warning says why.
func TestSummarizeUndefined(t *testing.T) {
	diagnostics := []string{"MCSEMean", "MCSEMedian", "MCSESD", "MCSEQ5", "MCSEQ95", "ESSBulk", "ESSTail", "RHat"}

	s := mcmc.Summarize([][]float64{{2, 2, 2, 2, 2, 2}, {2, 2, 2, 2, 2, 2}})
	assert.ElementsMatch(t, diagnostics, nanFields(s))
	assert.Equal(t, []float64{2, 2, 0, 0, 2, 2}, []float64{s.Mean, s.Median, s.SD, s.MAD, s.Q5, s.Q95})
	assert.Equal(t, []string{
		"R-hat, bulk ESS, tail ESS, MCSE of mean, MCSE of median, MCSE of sd, MCSE of q5, MCSE of q95 undefined: all draws equal",
	}, s.Warnings)

	s = mcmc.Summarize([][]float64{{1, 2, math.NaN(), 4, 0, 3}, {1, 2, 3, 4, 5, 6}})
	assert.ElementsMatch(t, append([]string{"Mean", "Median", "SD", "MAD", "Q5", "Q95"}, diagnostics...), nanFields(s))
	assert.Equal(t, []string{
		"mean, median, sd, mad, q5, q95, R-hat, bulk ESS, tail ESS, MCSE of mean, MCSE of median, MCSE of sd, MCSE of q5, MCSE of q95 undefined: a draw is NaN",
	}, s.Warnings)

	s = mcmc.Summarize([][]float64{{1, 2, math.Inf(1), 4, 0, 3}, {1, 2, 3, 4, 5, 6}})
	assert.Equal(t, math.Inf(1), s.Mean)
	assert.Equal(t, 3.0, s.Median)
	assert.False(t, math.IsNaN(s.RHat) || math.IsNaN(s.ESSBulk), "rank-based diagnostics are defined")
	assert.Contains(t, s.Warnings, "sd, tail ESS, MCSE of mean, MCSE of median, MCSE of sd, MCSE of q5, MCSE of q95 undefined: a draw is infinite")

	// Two draws per chain: split chains of one draw. (posterior 1.4.0
	// returns numbers here, because its chain splitting turns a matrix of
	// one row per half into a vector and so swaps draws and chains.)
	s = mcmc.Summarize([][]float64{{0.5, 1.5}, {-1.25, 0.25}, {2, -0.5}, {0.75, 3}})
	assert.ElementsMatch(t, diagnostics, nanFields(s))
	assert.InDelta(t, 0.78125, s.Mean, 1e-15)
	assert.Equal(t, []string{
		"R-hat undefined: too few draws (2 per chain, needs 4)",
		"bulk ESS, tail ESS, MCSE of mean, MCSE of median, MCSE of sd, MCSE of q5, MCSE of q95 undefined: too few draws (2 per chain, needs 6)",
	}, s.Warnings)

	s = mcmc.Summarize([][]float64{{3}})
	assert.Equal(t, []float64{3, 3, 0, 3, 3}, []float64{s.Mean, s.Median, s.MAD, s.Q5, s.Q95})
	assert.Equal(t, []string{
		"sd undefined: too few draws (1 per chain, needs 2)",
		"R-hat undefined: too few draws (1 per chain, needs 4)",
		"bulk ESS, tail ESS, MCSE of mean, MCSE of median, MCSE of sd, MCSE of q5, MCSE of q95 undefined: too few draws (1 per chain, needs 6)",
	}, s.Warnings)

	// One 0 among many 1s: every quantile indicator is constant.
	x := make([][]float64, 4)
	for i := range x {
		for range 10 {
			x[i] = append(x[i], 1)
		}
	}
	x[2][4] = 0
	s = mcmc.Summarize(x)
	assert.ElementsMatch(t, []string{"MCSEMedian", "MCSEQ5", "MCSEQ95", "ESSTail"}, nanFields(s))
	assert.Contains(t, s.Warnings, "tail ESS, MCSE of median, MCSE of q5, MCSE of q95 undefined: too many tied draws")
	for _, w := range s.Warnings {
		assert.NotContains(t, w, "NaN")
	}
}

// ar1 fills k chains of n draws of a stationary AR(1) series with
// autocorrelation rho about mean mu[i] (mu cycles).
func ar1(seed uint64, k, n int, rho float64, mu ...float64) [][]float64 {
	rng := sampler.NewRand(seed)
	out := make([][]float64, k)
	for i := range out {
		out[i] = make([]float64, n)
		v := rng.NormFloat64()
		for j := range out[i] {
			out[i][j] = v + mu[i%len(mu)]
			v = rho*v + math.Sqrt(1-rho*rho)*rng.NormFloat64()
		}
	}
	return out
}

// Two chains at 0 and two at 5 have clearly not mixed.
func TestSummarizeUnmixed(t *testing.T) {
	s := mcmc.Summarize(ar1(7, 4, 500, 0.3, 0, 0, 5, 5))
	assert.Greater(t, s.RHat, 1.5)
	require.NotEmpty(t, s.Warnings)
	assert.Regexp(t, `^R-hat \d+\.\d\d+ above 1.01: chains have not mixed$`, s.Warnings[0])
	assert.Contains(t, strings.Join(s.Warnings, "\n"), "bulk ESS")

	s = mcmc.Summarize(ar1(7, 4, 1000, 0.3, 0))
	assert.Less(t, s.RHat, 1.01)
	assert.Empty(t, s.Warnings)
}

// An R-hat just above the limit is printed with enough digits to show it.
func TestSummarizeRHatDigits(t *testing.T) {
	for seed := uint64(1); seed < 200; seed++ {
		s := mcmc.Summarize(ar1(seed, 4, 200, 0.6, 0, 0, 0, 0.12))
		if s.RHat > 1.01 && s.RHat < 1.0105 {
			assert.Regexp(t, `^R-hat 1\.010\d+ above 1.01`, s.Warnings[0])
			return
		}
	}
	t.Skip("no seed gave an R-hat in (1.01, 1.0105)")
}

func TestWriteSummaries(t *testing.T) {
	s := []mcmc.Summary{
		{Mean: 0.00657, MCSEMean: 0.0343, Median: 0.0078, SD: 1.1698, MAD: 1.1668, Q5: -1.9579, Q95: 1.8764, RHat: 1.00113, ESSBulk: 1155.78, ESSTail: 2097.6, Acceptance: math.NaN()},
		{Mean: 2.178, MCSEMean: 1.418, Median: 1.94, SD: 6.85, MAD: 6.56, Q5: -8.73, Q95: 13.87, RHat: 1.1317, ESSBulk: 23.2, ESSTail: 108.8, Acceptance: math.NaN(),
			Warnings: []string{"R-hat 1.13 above 1.01: chains have not mixed"}},
		{Mean: math.NaN(), MCSEMean: math.NaN(), Median: math.NaN(), SD: math.NaN(), MAD: math.NaN(), Q5: math.NaN(), Q95: math.NaN(),
			RHat: math.NaN(), ESSBulk: math.NaN(), ESSTail: math.NaN(), Acceptance: math.NaN(), Warnings: []string{"mean undefined: a draw is NaN"}},
	}
	var b strings.Builder
	require.NoError(t, mcmc.WriteSummaries(&b, []string{"mu", "sigma[1]", "z"}, s))
	assert.Equal(t, `variable    mean mcse_mean  median   sd  mad    q5  q95  rhat ess_bulk ess_tail
mu       0.00657    0.0343 0.00780 1.17 1.17 -1.96 1.88 1.001     1155     2097
sigma[1]    2.18      1.42    1.94 6.85 6.56 -8.73 13.9 1.132       23      108
z             NA        NA      NA   NA   NA    NA   NA    NA       NA       NA
sigma[1]: R-hat 1.13 above 1.01: chains have not mixed
z: mean undefined: a draw is NaN
`, b.String())
	assert.Error(t, mcmc.WriteSummaries(&b, []string{"a"}, nil))
}

func ExampleSummarize() {
	// Four chains of an AR(1) series with autocorrelation 0.5 about 1.
	rng := sampler.NewRand(1)
	chains := make([][]float64, 4)
	for i := range chains {
		v := rng.NormFloat64()
		for range 1000 {
			chains[i] = append(chains[i], 1+v)
			v = 0.5*v + math.Sqrt(0.75)*rng.NormFloat64()
		}
	}
	s := mcmc.Summarize(chains)
	fmt.Printf("mean %.2f ± %.2f, sd %.2f ± %.2f\n", s.Mean, s.MCSEMean, s.SD, s.MCSESD)
	fmt.Printf("q5 %.2f ± %.2f, q95 %.2f ± %.2f\n", s.Q5, s.MCSEQ5, s.Q95, s.MCSEQ95)
	fmt.Printf("R-hat %.2f, bulk ESS ≈ %.0f, tail ESS ≈ %.0f\n", s.RHat, math.Round(s.ESSBulk/100)*100, math.Round(s.ESSTail/100)*100)
	fmt.Println("warnings:", len(s.Warnings))
	// Output:
	// mean 1.00 ± 0.03, sd 0.99 ± 0.01
	// q5 -0.62 ± 0.04, q95 2.63 ± 0.04
	// R-hat 1.00, bulk ESS ≈ 1500, tail ESS ≈ 2100
	// warnings: 0
}

func ExampleWriteSummaries() {
	// Two parameters: one whose four chains agree, one whose chains sit at
	// two levels.
	rng := sampler.NewRand(2)
	good, bad := make([][]float64, 4), make([][]float64, 4)
	for i := range good {
		for range 500 {
			good[i] = append(good[i], rng.NormFloat64())
			bad[i] = append(bad[i], rng.NormFloat64()+float64(i/2)*3)
		}
	}
	s := []mcmc.Summary{mcmc.Summarize(good), mcmc.Summarize(bad)}
	if err := mcmc.WriteSummaries(os.Stdout, []string{"good", "bad"}, s); err != nil {
		panic(err)
	}
	// Output:
	// variable    mean mcse_mean  median    sd  mad    q5  q95  rhat ess_bulk ess_tail
	// good     -0.0236    0.0229 -0.0251 0.990 1.03 -1.64 1.57 1.003     1872     1799
	// bad         1.47     0.754    1.49  1.79 2.21 -1.27 4.21 1.660        6      147
	// bad: R-hat 1.66 above 1.01: chains have not mixed
	// bad: bulk ESS 6 below 400: too few effective draws to trust the mean, median and sd
	// bad: tail ESS 147 below 400: too few effective draws to trust the 5% and 95% quantiles
}

// Whatever the draws (any number of chains of any one length), Summarize
// does not panic, a NaN field always has a warning, and the table prints
// no NaN (only the reason "a draw is NaN").
func FuzzSummarize(f *testing.F) {
	f.Add(uint8(2), []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	f.Add(uint8(2), []byte{1, 1, 1, 1, 1, 1, 1, 1})
	f.Add(uint8(3), []byte{0xf0, 0, 0xf1, 0xf4, 0, 1, 2, 3, 4})
	f.Add(uint8(1), []byte{0xf3, 0xf4, 0xf3, 0xf4, 0xf3, 0xf4, 0xf3})
	f.Add(uint8(3), []byte{1, 1, 1, 2, 2, 2, 3, 3, 3})
	f.Fuzz(func(t *testing.T, chains uint8, data []byte) {
		x := chainsFromBytes(int(chains%4)+1, data)
		if x == nil {
			return
		}
		s := mcmc.Summarize(x)
		if len(nanFields(s)) > 0 {
			require.NotEmpty(t, s.Warnings)
		}
		var out strings.Builder
		require.NoError(t, mcmc.WriteSummaries(&out, []string{"x"}, []mcmc.Summary{s}))
		require.NotContains(t, strings.ReplaceAll(out.String(), "a draw is NaN", ""), "NaN")
	})
}
