package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// timingHeads are the headings of the figures that vary between runs of
// one seed.
var timingHeads = map[string]bool{"setup": true, "warm-up": true, "training": true, "ns/sample": true, "ESS/s": true}

// maskTiming rewrites the text tables with their timing columns replaced
// by "~" and single tabs between columns, so the golden file holds only
// what a seed fixes.
func maskTiming(s string) string {
	cols := regexp.MustCompile(`\s{2,}`)
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	var mask []int
	for i, l := range lines {
		f := cols.Split(strings.TrimRight(l, " "), -1)
		switch {
		case f[0] == "target":
			mask = mask[:0]
			for j, h := range f {
				if timingHeads[h] {
					mask = append(mask, j)
				}
			}
		case l == "":
			mask = mask[:0]
		default:
			for _, j := range mask {
				if j < len(f) && f[j] != "·" {
					f[j] = "~"
				}
			}
		}
		lines[i] = strings.Join(f, "\t")
	}
	return strings.Join(lines, "\n") + "\n"
}

func TestRunGolden(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"-n", "2000", "-targets", "normal,gamma,ring", "-methods", "exact,gonum-rand,table,gonum-mh", "-out", dir}, &out, &errb)
	require.NoError(t, err, errb.String())
	got := maskTiming(out.String())
	golden := filepath.Join("testdata", "quick.golden")
	if *update {
		require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), got)

	for _, f := range []string{"report.md", "results.json", "results.csv"} {
		_, err := os.Stat(filepath.Join(dir, f))
		assert.NoError(t, err, f)
	}
	var rep report
	b, err := os.ReadFile(filepath.Join(dir, "results.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &rep))
	require.Len(t, rep.Runs, 1)
	assert.Len(t, rep.Runs[0].Cells, 12)
}

// The same seed gives the same results.json except for timing fields.
// Under -short the learned rows, whose training dominates the run (and
// whose reproducibility gmn's and gan's own tests check), are left out.
func TestRunReproducible(t *testing.T) {
	args := []string{"-n", "3000", "-targets", "bimodal,banana", "-seed", "9"}
	if testing.Short() {
		args = append(args, "-methods", "exact,table,inverter,rejection-auto,mcmc-am,mcmc-ram,mcmc-stretch,gonum-mh")
	}
	read := func() []map[string]any {
		dir := t.TempDir()
		var out, errb bytes.Buffer
		require.NoError(t, run(context.Background(), append(args, "-out", dir), &out, &errb))
		b, err := os.ReadFile(filepath.Join(dir, "results.json"))
		require.NoError(t, err)
		var rep struct {
			Runs []struct {
				Cells []map[string]any `json:"cells"`
			} `json:"runs"`
		}
		require.NoError(t, json.Unmarshal(b, &rep))
		cells := rep.Runs[0].Cells
		for _, c := range cells {
			for _, f := range []string{"setup_ms", "ns_per_sample", "ess_per_s"} {
				delete(c, f)
			}
		}
		return cells
	}
	a, b := read(), read()
	assert.Equal(t, a, b)
}

func TestRunBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-n", "0"}, "-n must be positive"},
		{[]string{"-n", "-5"}, "-n must be positive"},
		{[]string{"-suite", "huge"}, `unknown suite "huge"`},
		{[]string{"-format", "xml"}, `unknown format "xml"`},
		{[]string{"-targets", "nromal"}, `unknown target "nromal" (valid: normal,`},
		{[]string{"-methods", "magic"}, `unknown method "magic" (valid: exact,`},
		{[]string{"-bogus"}, "flag provided but not defined"},
		{[]string{"extra"}, `unexpected argument "extra"`},
	} {
		var out, errb bytes.Buffer
		err := run(context.Background(), c.args, &out, &errb)
		var ue usageError
		require.True(t, errors.As(err, &ue), "%v: %v", c.args, err)
		assert.Contains(t, errb.String(), c.want, c.args)
		assert.Contains(t, errb.String(), "usage:", c.args)
	}
}

func TestRunUnwritableOut(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"-n", "100", "-targets", "normal", "-methods", "exact", "-out", filepath.Join(file, "sub")}, &out, &errb)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cannot write the report")
}

func TestRunListAndFormats(t *testing.T) {
	var out, errb bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-list"}, &out, &errb))
	assert.Contains(t, out.String(), "doublewell")
	assert.Contains(t, out.String(), "gonum-rand")
	for _, f := range []string{"md", "json", "csv"} {
		out.Reset()
		require.NoError(t, run(context.Background(), []string{"-n", "500", "-targets", "normal", "-methods", "exact", "-out", "", "-format", f}, &out, &errb))
		assert.Contains(t, out.String(), "normal", f)
	}
	var res map[string]any
	out.Reset()
	require.NoError(t, run(context.Background(), []string{"-n", "500", "-targets", "normal", "-methods", "exact", "-out", "", "-format", "json"}, &out, &errb))
	require.NoError(t, json.Unmarshal(out.Bytes(), &res))
}

// An interrupted run says so on stderr and in report.md, keeps what it
// measured, and exits with the shell's status for an interrupt.
func TestRunInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	var out, errb bytes.Buffer
	err := run(ctx, []string{"-n", "500", "-targets", "normal,gamma", "-methods", "exact,table", "-out", dir}, &out, &errb)
	require.ErrorIs(t, err, errInterrupted)
	assert.Equal(t, 130, exitCode(err))
	assert.Contains(t, errb.String(), "bench: interrupted after 0 of 4 cells; "+dir+" holds what was measured")
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	require.NoError(t, err)
	assert.Contains(t, string(md), "**Interrupted**: the run was stopped after 0 cells")
	var rep report
	b, err := os.ReadFile(filepath.Join(dir, "results.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &rep))
	assert.True(t, rep.Runs[0].Meta.Interrupted)
	assert.Equal(t, 4, rep.Runs[0].Meta.Planned)
}

func TestExitCode(t *testing.T) {
	assert.Equal(t, 0, exitCode(nil))
	assert.Equal(t, 2, exitCode(usageError{errors.New("bad flag")}))
	assert.Equal(t, 130, exitCode(errInterrupted))
	assert.Equal(t, 1, exitCode(errors.New("2 cell(s) failed")))
}

// The full suite's results.csv has one header over the cells of every
// seed.
func TestRunFullCSV(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-suite", "full", "-n", "300", "-targets", "normal", "-methods", "exact", "-out", dir}, &out, &errb))
	f, err := os.Open(filepath.Join(dir, "results.csv"))
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 4)
	assert.Equal(t, "target", rows[0][0])
	seed := slices.Index(rows[0], "seed")
	require.GreaterOrEqual(t, seed, 0)
	assert.Equal(t, []string{"1", "2", "3"}, []string{rows[1][seed], rows[2][seed], rows[3][seed]})
	assert.Contains(t, out.String(), "mean ± sd over 3 seeds")
}

// -readme rewrites the comparison section between its markers and
// leaves the rest of the file alone.
func TestRunReadme(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "README.md")
	orig, err := os.ReadFile(filepath.Join("..", "README.md"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, orig, 0o644))
	var out, errb bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-n", "300", "-targets", "normal", "-methods", "exact", "-out", "", "-readme", path}, &out, &errb))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	before, _, _ := strings.Cut(string(orig), "<!-- comparison:")
	assert.True(t, strings.HasPrefix(string(got), before))
	assert.Contains(t, string(got), "| normal | exact |")
	_, afterOrig, _ := strings.Cut(string(orig), "<!-- end of comparison -->")
	_, afterGot, _ := strings.Cut(string(got), "<!-- end of comparison -->")
	assert.Equal(t, afterOrig, afterGot)

	require.NoError(t, os.WriteFile(path, []byte("# no markers\n"), 0o644))
	err = run(context.Background(), []string{"-n", "300", "-targets", "normal", "-methods", "exact", "-out", "", "-readme", path}, &out, &errb)
	assert.ErrorContains(t, err, "has no line <!-- comparison:")
}
