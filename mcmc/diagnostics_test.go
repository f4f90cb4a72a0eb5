package mcmc_test

import (
	"bufio"
	"encoding/csv"
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

func readChains(t *testing.T, name string) [][]float64 {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name+".csv"))
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	chains := make([][]float64, len(rows[0]))
	for _, r := range rows {
		for j, s := range r {
			v, err := strconv.ParseFloat(s, 64)
			require.NoError(t, err)
			chains[j] = append(chains[j], v)
		}
	}
	return chains
}

// Every diagnostic equals the R package posterior to 1e-8 relative on
// chains of seven shapes (testdata/posterior.txt says how the reference
// values were made).
func TestMatchesPosterior(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "posterior.txt"))
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	cases := 0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		fs := strings.Fields(line)
		require.Len(t, fs, 6, line)
		want := make([]float64, 5)
		for i := range want {
			want[i], err = strconv.ParseFloat(fs[i+1], 64)
			require.NoError(t, err)
		}
		x := readChains(t, fs[0])
		got := []float64{mcmc.RHat(x), mcmc.ESSBulk(x), mcmc.ESSTail(x), mcmc.ESS(x), mcmc.MCSEMean(x)}
		for i, name := range []string{"rhat", "ess_bulk", "ess_tail", "ess_basic", "mcse_mean"} {
			assert.InEpsilon(t, want[i], got[i], 1e-8, "%s %s", fs[0], name)
		}
		cases++
	}
	assert.Equal(t, 7, cases)
}

// The diagnostics are NaN exactly where posterior returns NA (the cases
// of testdata/posterior_more.txt check the values; these check the
// pattern on hand-made chains, and the one deliberate departure).
func TestNACases(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	diagnostics := func(x [][]float64) []float64 {
		return []float64{mcmc.RHat(x), mcmc.ESSBulk(x), mcmc.ESSTail(x), mcmc.ESS(x), mcmc.MCSEMean(x)}
	}
	for _, c := range []struct {
		name string
		x    [][]float64
		na   []bool // RHat, ESSBulk, ESSTail, ESS, MCSEMean
	}{
		{"constant", [][]float64{{2, 2, 2, 2, 2, 2}, {2, 2, 2, 2, 2, 2}}, []bool{true, true, true, true, true}},
		{"NaN", [][]float64{{1, 2, nan, 4, 0, 3}, {1, 2, 3, 4, 5, 6}}, []bool{true, true, true, true, true}},
		// Ranks are defined for infinite draws: only the moment-based
		// diagnostics and the quantiles' ESS are NA.
		{"Inf", [][]float64{{1, 2, inf, 4, 0, 3}, {1, 2, 3, 4, 5, 6}}, []bool{false, false, true, true, true}},
		// posterior's is_constant tolerance is absolute machine epsilon.
		{"tiny", [][]float64{{1e-20, 2e-20, 3e-20, 4e-20, 0, 3e-20}, {1e-20, 2e-20, 3e-20, 4e-20, 5e-20, 6e-20}}, []bool{false, false, true, true, true}},
		// Split chains of 2 draws: R-hat yes, effective sample sizes no.
		{"short", [][]float64{{1, 2, 3, 4, 5}, {2, 1, 4, 3, 6}}, []bool{false, true, true, true, true}},
		// The middle draw of an odd chain is dropped by splitting.
		{"middle", [][]float64{{1, 2, 3, 4, 5, 6, 7}, {2, 1, 4, inf, 6, 3, 5}}, []bool{false, false, true, false, true}},
	} {
		got := diagnostics(c.x)
		for i, na := range c.na {
			assert.Equal(t, na, math.IsNaN(got[i]), "%s: diagnostic %d is %v", c.name, i, got[i])
		}
	}

	// Chains that never move, at different values: R-hat is +Inf, as in
	// posterior (between-chain variance over zero within).
	assert.Equal(t, inf, mcmc.RHat([][]float64{{1, 1, 1, 1}, {2, 2, 2, 2}, {3, 3, 3, 3}}))

	// The departure: for chains of 2 or 3 draws posterior's chain
	// splitting turns the one-draw halves into a vector and swaps draws
	// and chains, returning numbers (R-hat 0.983 and ESS 3 here); these
	// diagnostics return NaN.
	three := [][]float64{{1, 2, 3}, {2, 1, 0.5}, {4, 5, 6}}
	for i, v := range diagnostics(three) {
		assert.True(t, math.IsNaN(v), "diagnostic %d is %v", i, v)
	}

	assert.PanicsWithValue(t, "mcmc: no chains", func() { mcmc.RHat(nil) })
	assert.PanicsWithValue(t, "mcmc: chains with no draws", func() { mcmc.ESSBulk([][]float64{{}, {}}) })
	assert.PanicsWithValue(t, "mcmc: ragged chains: chain 1 has 2 draws, chain 0 has 3", func() { mcmc.ESS([][]float64{{1, 2, 3}, {1, 2}}) })
	for _, f := range []func([][]float64) float64{mcmc.RHat, mcmc.ESSBulk, mcmc.ESSTail, mcmc.ESS, mcmc.MCSEMean, mcmc.MCSESD, mcmc.AutocorrTime} {
		assert.Panics(t, func() { f([][]float64{{1, 2, 3, 4}, {1, 2, 3}}) })
	}
}

// The FFT autocovariance equals the direct sum to 1e-12.
func TestAutocovariance(t *testing.T) {
	rng := sampler.NewRand(4)
	x := make([]float64, 257)
	for i := range x {
		x[i] = rng.NormFloat64() + 0.3*float64(i%7)
	}
	got := mcmc.Autocovariance(x)
	var m float64
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	for k := range x {
		var s float64
		for i := 0; i+k < len(x); i++ {
			s += (x[i] - m) * (x[i+k] - m)
		}
		assert.InDelta(t, s/float64(len(x)), got[k], 1e-12, "lag %d", k)
	}
}

func FuzzDiagnostics(f *testing.F) {
	f.Add(1.0, 2.0, 3.0, 4.0, 5.0, 6.0)
	f.Add(1.0, 1.0, 1.0, 1.0, 1.0, 1.0)
	f.Add(math.NaN(), 0.0, 1e300, -1e300, 0.0, 1.0)
	f.Fuzz(func(t *testing.T, a, b, c, d, e, g float64) {
		x := [][]float64{{a, b, c, d, e, g, a, c}, {g, e, d, c, b, a, d, b}}
		for _, v := range []float64{mcmc.RHat(x), mcmc.ESSBulk(x), mcmc.ESSTail(x), mcmc.ESS(x), mcmc.MCSEMean(x)} {
			require.False(t, math.IsInf(v, 0), "an infinite diagnostic")
		}
	})
}
