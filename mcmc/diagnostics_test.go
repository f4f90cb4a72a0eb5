package mcmc_test

import (
	"bufio"
	"encoding/binary"
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

// fuzzBytes is the most input bytes chainsFromBytes reads. The cost of a
// fuzz input, and of minimising one, grows with its length; a short fixed
// window keeps the fuzzer exploring rather than minimising long inputs
// (the edge cases — ties, NaN, infinities, huge and subnormal values,
// constant chains — all fit in a few draws).
const fuzzBytes = 48

// chainsFromBytes builds m chains of equal length from the first
// fuzzBytes fuzz bytes: most bytes are small integers (ties), a few stand
// for NaN, ±Inf, huge, tiny and subnormal values, and 0xff reads the next
// 8 bytes as a float64's bits. It returns nil when the bytes make no draw.
func chainsFromBytes(m int, data []byte) [][]float64 {
	data = data[:min(len(data), fuzzBytes)]
	var v []float64
	for i := 0; i < len(data); i++ {
		b := data[i]
		switch {
		case b < 0xf0:
			v = append(v, float64(int(b%32)-16)*0.25)
		case b == 0xff && i+8 < len(data):
			v = append(v, math.Float64frombits(binary.LittleEndian.Uint64(data[i+1:i+9])))
			i += 8
		default:
			v = append(v, []float64{math.NaN(), math.Inf(1), math.Inf(-1), 1e308, -1e308, 5e-324, 1e-20,
				-0.0, 1e-300, 3e307, math.MaxFloat64, -math.MaxFloat64, 0.1, 1 + 0x1p-52, 1e154, 0}[b-0xf0])
		}
	}
	n := len(v) / m
	if n == 0 {
		return nil
	}
	x := make([][]float64, m)
	for i := range x {
		x[i] = v[i*n : (i+1)*n]
	}
	return x
}

// On any rectangular input the diagnostics do not panic and return NaN
// or a finite number of the right sign — R-hat may also be +Inf, as
// posterior's is, for chains that never move; the summary has a warning
// for every NaN and prints no NaN.
func FuzzDiagnostics(f *testing.F) {
	f.Add(uint8(2), []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	f.Add(uint8(4), []byte{1, 1, 1, 1, 1, 1, 1, 1})
	f.Add(uint8(3), []byte{1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4})
	f.Add(uint8(2), []byte{0xf0, 1, 2, 3, 0xf1, 5, 6, 7})
	f.Add(uint8(2), []byte{0xf3, 0xf4, 0xfa, 0xfb, 1, 2, 0xf3, 0xf4, 0xfa, 0xfb, 3, 4})
	f.Add(uint8(1), []byte{0xf5, 0xf6, 0xf7, 0xf8, 0xf5, 0xf6, 0xf7, 0xf8})
	f.Add(uint8(3), []byte{1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add(uint8(2), []byte{0xff, 1, 0, 0, 0, 0, 0, 0xf0, 0x7f, 5, 9, 0xfe, 2, 3})
	f.Fuzz(func(t *testing.T, chains uint8, data []byte) {
		x := chainsFromBytes(int(chains%4)+1, data)
		if x == nil {
			return
		}
		ok := func(name string, v float64, inf bool) {
			if !math.IsNaN(v) && (v < 0 || math.IsInf(v, 0) && !inf) {
				t.Fatalf("%s = %v on %v", name, v, x)
			}
		}
		ok("RHat", mcmc.RHat(x), true)
		ok("ESSBulk", mcmc.ESSBulk(x), false)
		ok("ESSTail", mcmc.ESSTail(x), false)
		ok("ESS", mcmc.ESS(x), false)
		ok("MCSEMean", mcmc.MCSEMean(x), false)
		ok("MCSESD", mcmc.MCSESD(x), false)
		ok("MCSEQuantile", mcmc.MCSEQuantile(x, 0.3), false)
		ok("ESSQuantile", mcmc.ESSQuantile(x, 1), false)
		if v := mcmc.AutocorrTime(x); math.IsInf(v, 0) {
			t.Fatalf("AutocorrTime = %v on %v", v, x)
		}
		_ = mcmc.Quantile(x, 0.5) // NaN for a NaN draw, or −Inf and +Inf at the median, as in R
	})
}
