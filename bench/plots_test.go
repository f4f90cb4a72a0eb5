package main

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/target"
)

// The histogram drawn is the density estimate of the draws: known counts
// on known bins, and a total area of one for draws inside the range.
func TestHistData(t *testing.T) {
	h := histData([]float64{0.1, 0.2, 0.6, 0.9, 2}, 0, 1, 2)
	// 2 of 5 draws in [0, 0.5), 2 in [0.5, 1); bin width 0.5.
	assert.InDelta(t, 0.8, h[0], 1e-15)
	assert.InDelta(t, 0.8, h[1], 1e-15)
	xs, bad := finite([]float64{1, math.NaN(), math.Inf(1), 2})
	assert.Equal(t, []float64{1, 2}, xs)
	assert.Equal(t, 2, bad)
	pts := densityCurve(target.Normal(), -1, 1, 3)
	assert.InDelta(t, 1/math.Sqrt(2*math.Pi), pts[1].Y, 1e-15)
}

// A small suite writes a plot per target, the inversion picture, the
// throughput chart and the fidelity-speed scatter, all linked from
// report.md.
func TestReportPlots(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-n", "3000", "-targets", "normal,bimodal,gauss2,ring", "-out", dir}, &out, &errb))
	pngs, err := filepath.Glob(filepath.Join(dir, "*.png"))
	require.NoError(t, err)
	assert.Len(t, pngs, 7)
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	require.NoError(t, err)
	for _, p := range pngs {
		assert.Contains(t, string(md), "("+filepath.Base(p)+")")
	}
	assert.True(t, strings.Contains(string(md), "How to read this report"))
}
