package compare

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Columns are the table's headings, in order.
var Columns = []string{"target", "method", "setup", "ns/sample", "ESS/s", "KS", "W1", "energy", "sliced W1", "MMD²", "modes", "hi-qual", "R-hat", "ESS bulk", "accept", "note"}

// timingColumns are the columns a golden test masks.
var timingColumns = map[string]bool{"setup": true, "ns/sample": true, "ESS/s": true}

// IsTimingColumn reports whether column i of Columns is a timing figure.
func IsTimingColumn(i int) bool { return timingColumns[Columns[i]] }

// notAPeer is the reason given when a peer has no sampler for a target.
const notAPeer = "no such peer for this target"

// hidden reports whether the tables for people leave c out: a peer that
// has nothing for the target is not news (results.json keeps it).
func (c Cell) hidden() bool { return c.Status == StatusNA && c.Reason == notAPeer }

// Row returns the table cells of c, formatted for people.
func (c Cell) Row() []string {
	row := []string{c.Target, c.Method}
	switch c.Status {
	case StatusNA:
		row = append(row, make([]string, len(Columns)-3)...)
		for i := 2; i < len(Columns)-1; i++ {
			row[i] = "·"
		}
		return append(row, "n/a: "+c.Reason)
	case StatusFailed:
		row = append(row, make([]string, len(Columns)-3)...)
		for i := 2; i < len(Columns)-1; i++ {
			row[i] = "·"
		}
		return append(row, "FAILED: "+c.Reason)
	}
	modes := "·"
	if c.ModesTotal > 0 {
		modes = fmt.Sprintf("%d/%d", c.ModesCovered, c.ModesTotal)
	}
	note := strings.Join(c.Warnings, "; ")
	row = append(row,
		ms(c.SetupMS), num(c.NsPerSample, 1), sig(c.ESSPerSec, 3),
		sig(c.KS, 3), sig(c.W1, 3), sig(c.Energy, 3), sig(c.SlicedW1, 3), sig(c.MMD2, 3),
		modes, pct(c.HighQuality), num(c.RHat, 3), num(c.ESSBulk, 0), num(c.Acceptance, 2), note)
	return row
}

func ms(v float64) string {
	if math.IsNaN(v) {
		return "·"
	}
	if v < 1 {
		return fmt.Sprintf("%.0fµs", v*1000)
	}
	if v < 1000 {
		return fmt.Sprintf("%.1fms", v)
	}
	return fmt.Sprintf("%.1fs", v/1000)
}

func num(v float64, prec int) string {
	if math.IsNaN(v) {
		return "·"
	}
	return strconv.FormatFloat(v, 'f', prec, 64)
}

func sig(v float64, digits int) string {
	if math.IsNaN(v) {
		return "·"
	}
	return strconv.FormatFloat(v, 'g', digits, 64)
}

func pct(v float64) string {
	if math.IsNaN(v) {
		return "·"
	}
	return fmt.Sprintf("%.1f%%", 100*v)
}

// WriteText writes the aligned table.
func WriteText(w io.Writer, r *Results) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(Columns, "\t"))
	for _, c := range r.Cells {
		if c.hidden() {
			continue
		}
		fmt.Fprintln(tw, strings.Join(c.Row(), "\t"))
	}
	return tw.Flush()
}

// WriteMarkdown writes the table as a Markdown table.
func WriteMarkdown(w io.Writer, r *Results) error {
	fmt.Fprintf(w, "| %s |\n", strings.Join(Columns, " | "))
	fmt.Fprintf(w, "|%s\n", strings.Repeat("---|", len(Columns)))
	for _, c := range r.Cells {
		if c.hidden() {
			continue
		}
		row := c.Row()
		for i := range row {
			row[i] = strings.ReplaceAll(row[i], "|", "\\|")
		}
		if _, err := fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | ")); err != nil {
			return err
		}
	}
	return nil
}

// csvColumns are the machine-readable columns of results.csv.
var csvColumns = []string{"target", "method", "kind", "status", "reason", "n", "seed", "setup_ms", "ns_per_sample", "ess_per_s",
	"ks", "ks_p", "w1", "energy", "sliced_w1", "mmd2", "modes_covered", "modes_total", "high_quality",
	"rhat", "ess_bulk", "acceptance", "nonfinite"}

// WriteCSV writes every cell with full-precision figures; NaN is empty.
func WriteCSV(w io.Writer, r *Results) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvColumns); err != nil {
		return err
	}
	f := func(v float64) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return ""
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	for _, c := range r.Cells {
		rec := []string{c.Target, c.Method, string(c.Kind), c.Status, c.Reason, strconv.Itoa(c.N), strconv.FormatUint(c.Seed, 10),
			f(c.SetupMS), f(c.NsPerSample), f(c.ESSPerSec), f(c.KS), f(c.KSP), f(c.W1), f(c.Energy), f(c.SlicedW1), f(c.MMD2),
			strconv.Itoa(c.ModesCovered), strconv.Itoa(c.ModesTotal), f(c.HighQuality), f(c.RHat), f(c.ESSBulk), f(c.Acceptance),
			strconv.Itoa(c.NonFinite)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
