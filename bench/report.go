package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/variate/variate/internal/compare"
)

// updateReadme rewrites the comparison section of the README at path
// with r.
func updateReadme(path string, r *compare.Results) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("cannot update the README: %w", err)
	}
	s, err := compare.ReplaceReadme(string(b), r)
	if err != nil {
		return fmt.Errorf("cannot update %s: %w", path, err)
	}
	return os.WriteFile(path, []byte(s), 0o644)
}

// report is what results.json holds.
type report struct {
	Runs    []*compare.Results `json:"runs"`
	Summary []compare.Summary  `json:"summary,omitempty"`
	// TimingFields names the figures that change from run to run even
	// with the same seed; every other figure is reproducible.
	TimingFields []string `json:"timing_fields"`
}

// writeReport writes report.md, results.json, results.csv and the plots.
func writeReport(dir string, runs []*compare.Results, summary []compare.Summary) error {
	js, err := json.MarshalIndent(report{Runs: runs, Summary: summary, TimingFields: compare.TimingFields}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "results.json"), append(js, '\n'), 0o644); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "results.csv"))
	if err != nil {
		return err
	}
	if err := compare.WriteCSV(f, runs...); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	plots, err := writePlots(dir, runs[0])
	if err != nil {
		return err
	}
	return writeMarkdown(filepath.Join(dir, "report.md"), runs, summary, plots)
}

func writeMarkdown(path string, runs []*compare.Results, summary []compare.Summary, plots []plotFile) error {
	r := runs[0]
	var b strings.Builder
	m := r.Meta
	fmt.Fprintf(&b, "# variate comparison report\n\n")
	fmt.Fprintf(&b, "Suite **%s**, %d draws per cell, seed %d", m.Suite, m.N, m.Seed)
	if len(runs) > 1 {
		fmt.Fprintf(&b, " (and %d more seeds)", len(runs)-1)
	}
	fmt.Fprintf(&b, ". %s, %s/%s, %s, GOMAXPROCS=%d, %s; the run took %.0f s.\n\n", m.GoVersion, m.OS, m.Arch, m.CPU, m.GOMAXPROCS, m.Date, m.Seconds)
	if last := runs[len(runs)-1]; last.Meta.Interrupted {
		done := 0
		for _, r := range runs {
			done += len(r.Cells)
		}
		fmt.Fprintf(&b, "**Interrupted**: the run was stopped after %d cells (seed %d); the tables hold the cells measured until then.\n\n", done, last.Meta.Seed)
	}
	b.WriteString(readingGuide)
	b.WriteString("\n## Results\n\n")
	var tb strings.Builder
	if err := compare.WriteMarkdown(&tb, r, 3); err != nil {
		return err
	}
	b.WriteString(tb.String())
	if len(summary) > 0 {
		b.WriteString("\n## Mean ± sd across seeds\n\n```\n")
		if err := compare.WriteSummaryText(&b, summary); err != nil {
			return err
		}
		b.WriteString("```\n")
	}
	if len(plots) > 0 {
		b.WriteString("\n## Plots\n")
		section := ""
		for _, p := range plots {
			if p.Section != section {
				section = p.Section
				fmt.Fprintf(&b, "\n### %s\n", section)
			}
			fmt.Fprintf(&b, "\n**%s**\n\n![%s](%s)\n", p.Title, p.Title, p.Name)
		}
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

const readingGuide = `## How to read this report

- One table per kind of method (i.i.d., MCMC) and of target (1-D,
  d-D), each with the columns that apply to it. Every row is one method
  on one target, measured with the same seed and number of draws.
  **setup** (i.i.d.) and **warm-up** (MCMC) are the one-off costs;
  **ns/sample** is the wall-clock time of the one pass that made the
  measured draws, over their number, the same way for both kinds (after
  warm-up; MCMC chains run side by side); for MCMC, **ESS/s** (bulk
  effective sample size per second of sampling) is the throughput that
  matters, since its draws are correlated. The Go benchmarks
  ("go test -bench ." at the module root) measure steady-state speed
  precisely.
- Fidelity, 1-D: **KS** is the Kolmogorov–Smirnov distance to the target's
  CDF (or to an independent exact draw where no CDF is known); **W1** the
  Wasserstein-1 distance to the target (through its quantile function, or
  an exact draw). For an exact method at n draws both shrink like 1/√n:
  compare a row with the **exact** row of the same target.
- Fidelity, d-D: **energy** distance and **MMD²** (both U-statistics, so
  ≈ 0 and possibly slightly negative when the draws are right; MMD² uses a
  sum of Gaussian kernels at 1/8 to 2 times the median distance, so narrow
  modes count) and **sliced W1**, all against an independent exact draw; **modes** covered and **hi-qual** share (within
  3σ of the nearest mode) on 2,500 draws for ring and grid, as VEEGAN and
  PacGAN count them.
- MCMC: **R-hat** (rank-normalised split R-hat of the worst coordinate;
  above 1.01 means the chains disagree) and **ESS bulk** (worst
  coordinate, all chains together). The d-D measures and the scatter
  plots use a subset of the pooled draws spread over every chain and the
  whole length of each, so a chain's slow start or late drift both show.
- **accept** is the share of proposals accepted (MCMC) or of candidates
  kept (rejection). Warnings appear in the last column.
- The methods that do not apply to a target are listed once per target,
  with the reason; "FAILED" gives a cell's error.
- Plots: histograms share one window per target (the target's 0.1% and
  99.9% points) and say how many draws fell outside or were not finite;
  d-D panels show a method's draws in colour over exact draws in grey
  (funnel: its first two coordinates); traces show the first 1,000 draws
  after warm-up of every chain; the speed charts put MCMC on the cost of
  an *effective* sample, the only fair comparison with i.i.d. methods.
`
