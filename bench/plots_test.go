package main

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot"

	"github.com/variate/variate/internal/compare"
	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

// The histogram drawn is the density estimate of the draws: known counts
// on known bins, NaN and Inf counted and left out, and the area equal to
// the share of finite draws inside the window.
func TestMethodHist(t *testing.T) {
	xs := []float64{0.1, 0.2, 0.6, 0.9, 5, math.NaN(), math.Inf(1), -7}
	h, bad, out, err := methodHist(xs, 0, 1, 2)
	require.NoError(t, err)
	assert.Equal(t, 2, bad)
	assert.Equal(t, 2, out)
	require.Len(t, h.Bins, 2)
	// 4 of 6 finite draws inside: area 4/6, two equal bins of width 0.4.
	var area float64
	for _, b := range h.Bins {
		area += b.Weight * (b.Max - b.Min)
	}
	assert.InDelta(t, 4.0/6, area, 1e-12)
	assert.InDelta(t, h.Bins[0].Weight, h.Bins[1].Weight, 1e-12)
	assert.InDelta(t, 0.1, h.Bins[0].Min, 1e-12)
	assert.InDelta(t, 0.9, h.Bins[1].Max, 1e-12)

	_, _, _, err = methodHist([]float64{math.NaN(), 3}, 0, 1, 2)
	assert.ErrorContains(t, err, "fewer than 2 finite draws")

	pts := densityCurve(target.Normal(), -1, 1, 3)
	assert.InDelta(t, 1/math.Sqrt(2*math.Pi), pts[1].Y, 1e-15)
	assert.InDelta(t, math.Exp(-0.5)/math.Sqrt(2*math.Pi), pts[2].Y, 1e-15)
}

// An AR(1) series with coefficient ρ has autocorrelation ρ^k.
func TestAutocorrelation(t *testing.T) {
	const rho = 0.8
	x := make([]float64, 200000)
	rng := sampler.NewRand(3)
	for i := 1; i < len(x); i++ {
		x[i] = rho*x[i-1] + rng.NormFloat64()
	}
	a := autocorrelation(x, 5)
	require.Len(t, a, 6)
	for k, v := range a {
		assert.InDelta(t, math.Pow(rho, float64(k)), v, 0.02, "lag %d", k)
	}
	assert.Equal(t, []float64{1, 0}, autocorrelation([]float64{2, 2, 2}, 1))
	// Biased autocovariances: lag 1 of (1, 2, 3) is ((−1)(0) + (0)(1))/3
	// over a variance of 2/3.
	assert.InDeltaSlice(t, []float64{1, 0, -0.5}, autocorrelation([]float64{1, 2, 3}, 2), 1e-12)
	assert.Len(t, autocorrelation([]float64{1, 2, 3}, 10), 3)
}

func TestScatterAndLayout(t *testing.T) {
	draws := []float64{0, 0, 1, 1, math.NaN(), 0, 10, 10, 0.5, 0.5}
	pts, left := scatterXY(draws, 2, 10, [4]float64{-1, 2, -1, 2})
	assert.Len(t, pts, 3)
	assert.Equal(t, 2, left)
	box := scatterBox([]float64{0, 0, 10, 20}, 2)
	assert.Equal(t, [4]float64{-1, 11, -2, 22}, box)

	g := tile(make([]*plot.Plot, 5), 3)
	require.Len(t, g, 2)
	assert.Len(t, g[1], 3)
	assert.Len(t, tile(make([]*plot.Plot, 2), 3)[0], 2)
}

func TestThroughputData(t *testing.T) {
	r := &compare.Results{Cells: []compare.Cell{
		{Target: "a", Method: "x", Status: compare.StatusOK, NsPerSample: 100, ESSPerSec: math.NaN()},
		{Target: "a", Method: "m", Kind: compare.KindMCMC, Status: compare.StatusOK, NsPerSample: 50, ESSPerSec: 1e6},
		{Target: "a", Method: "stuck", Kind: compare.KindMCMC, Status: compare.StatusOK, NsPerSample: 50, ESSPerSec: math.NaN()},
		{Target: "a", Method: "f", Status: compare.StatusFailed, NsPerSample: 10},
	}}
	targets, series := throughputData(r)
	assert.Equal(t, []string{"a"}, targets)
	require.Len(t, series, 2)
	// i.i.d.: ns per draw; MCMC: ns per effective sample, 1e9/ESS per s.
	assert.Equal(t, costSeries{method: "x", columns: []int{0}, costs: []float64{100}}, series[0])
	assert.Equal(t, "m", series[1].method)
	assert.InDeltaSlice(t, []float64{1000}, series[1].costs, 1e-9)
}

// A small suite writes a histogram per 1-D target, a scatter per d-D
// target, traces and autocorrelations for the MCMC cells, the inversion
// picture, the throughput chart and the fidelity-speed scatter, all
// linked from report.md.
func TestReportPlots(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-n", "3000", "-targets", "normal,bimodal,gauss2,funnel", "-methods", "exact,table,gonum-mh", "-out", dir}, &out, &errb))
	pngs, err := filepath.Glob(filepath.Join(dir, "*.png"))
	require.NoError(t, err)
	var names []string
	for _, p := range pngs {
		names = append(names, filepath.Base(p))
	}
	assert.ElementsMatch(t, []string{
		"inverse-transform.png", "throughput.png", "fidelity-speed.png",
		"normal-hist.png", "bimodal-hist.png", "gauss2-scatter.png", "funnel-scatter.png",
		"normal-trace.png", "normal-acf.png", "bimodal-trace.png", "bimodal-acf.png",
		"gauss2-trace.png", "gauss2-acf.png", "funnel-trace.png", "funnel-acf.png",
	}, names)
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	require.NoError(t, err)
	for _, n := range names {
		assert.Contains(t, string(md), "("+n+")")
	}
	assert.Contains(t, string(md), "How to read this report")
}
