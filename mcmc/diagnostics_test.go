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

// posterior returns NA for a constant chain, a non-finite draw, and (for
// the effective sample sizes) fewer than 3 draws per split chain: NaN here.
func TestNACases(t *testing.T) {
	constant := [][]float64{{2, 2, 2, 2}, {2, 2, 2, 2}}
	withNaN := [][]float64{{1, 2, math.NaN(), 4}, {1, 2, 3, 4}}
	withInf := [][]float64{{1, 2, math.Inf(1), 4}, {1, 2, 3, 4}}
	short := [][]float64{{1, 2, 3, 4, 5}, {2, 1, 4, 3, 6}} // split chains of 2 draws
	for name, x := range map[string][][]float64{"constant": constant, "NaN": withNaN, "Inf": withInf} {
		assert.True(t, math.IsNaN(mcmc.RHat(x)), name)
		assert.True(t, math.IsNaN(mcmc.ESSBulk(x)), name)
		assert.True(t, math.IsNaN(mcmc.ESSTail(x)), name)
		assert.True(t, math.IsNaN(mcmc.ESS(x)), name)
		assert.True(t, math.IsNaN(mcmc.MCSEMean(x)), name)
	}
	assert.True(t, math.IsNaN(mcmc.ESSBulk(short)))
	assert.False(t, math.IsNaN(mcmc.RHat(short)))
	assert.PanicsWithValue(t, "mcmc: no chains", func() { mcmc.RHat(nil) })
	assert.Panics(t, func() { mcmc.ESS([][]float64{{1, 2, 3}, {1, 2}}) })
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
