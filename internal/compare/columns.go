package compare

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// A column is one field of a cell, and the one place that says how it is
// named, read and printed: every writer (text, Markdown, CSV, JSON) runs
// over the columns table.
type column struct {
	// key names the field in CSV and JSON.
	key string
	// head is the heading in the tables for people, by kind (one entry
	// for all kinds); a column without one is written only to CSV and
	// JSON.
	head map[Kind]string
	// dims restricts the column in the tables for people to 1-D (1) or
	// d-D (2) targets; 0 shows it for both.
	dims int
	// timing marks the figures that vary between runs of one seed.
	timing bool
	// Exactly one accessor is set; it gives the field's address, so
	// that encoding and decoding share it.
	f func(c *Cell) *float64
	i func(c *Cell) *int
	u func(c *Cell) *uint64
	s func(c *Cell) *string
	// text formats the field for people ("" when absent); nil for
	// columns without a heading.
	text func(c *Cell) string
}

// all is a head for every kind.
func all(h string) map[Kind]string {
	return map[Kind]string{KindIID: h, KindMCMC: h, KindLearned: h}
}

// iidAndLearned is a head for the kinds whose cells draw i.i.d.
func iidAndLearned(h string) map[Kind]string {
	return map[Kind]string{KindIID: h, KindLearned: h}
}

// columns lists the fields of a cell in the order every writer uses.
var columns = []column{
	{key: "target", head: all("target"), s: func(c *Cell) *string { return &c.Target }, text: func(c *Cell) string { return c.Target }},
	{key: "method", head: all("method"), s: func(c *Cell) *string { return &c.Method }, text: func(c *Cell) string { return c.Method }},
	{key: "kind", s: func(c *Cell) *string { return (*string)(&c.Kind) }},
	{key: "dim", i: func(c *Cell) *int { return &c.Dim }},
	{key: "status", s: func(c *Cell) *string { return &c.Status }},
	{key: "reason", s: func(c *Cell) *string { return &c.Reason }},
	{key: "n", i: func(c *Cell) *int { return &c.N }},
	{key: "seed", u: func(c *Cell) *uint64 { return &c.Seed }},
	{key: "setup_ms", head: map[Kind]string{KindIID: "setup", KindMCMC: "warm-up", KindLearned: "training"}, timing: true,
		f: func(c *Cell) *float64 { return &c.SetupMS }, text: func(c *Cell) string { return ms(c.SetupMS) }},
	{key: "steps", head: map[Kind]string{KindLearned: "steps"}, i: func(c *Cell) *int { return &c.Steps },
		text: func(c *Cell) string { return strconv.Itoa(c.Steps) }},
	{key: "ns_per_sample", head: all("ns/sample"), timing: true,
		f: func(c *Cell) *float64 { return &c.NsPerSample }, text: func(c *Cell) string { return num(c.NsPerSample, 1) }},
	{key: "ess_per_s", head: map[Kind]string{KindMCMC: "ESS/s"}, timing: true,
		f: func(c *Cell) *float64 { return &c.ESSPerSec }, text: func(c *Cell) string { return sig(c.ESSPerSec, 3) }},
	{key: "rhat", head: map[Kind]string{KindMCMC: "R-hat"},
		f: func(c *Cell) *float64 { return &c.RHat }, text: func(c *Cell) string { return num(c.RHat, 3) }},
	{key: "ess_bulk", head: map[Kind]string{KindMCMC: "ESS bulk"},
		f: func(c *Cell) *float64 { return &c.ESSBulk }, text: func(c *Cell) string { return num(c.ESSBulk, 0) }},
	{key: "acceptance", head: map[Kind]string{KindIID: "accept", KindMCMC: "accept"},
		f: func(c *Cell) *float64 { return &c.Acceptance }, text: func(c *Cell) string { return num(c.Acceptance, 2) }},
	{key: "ks", head: all("KS"), dims: 1, f: func(c *Cell) *float64 { return &c.KS }, text: func(c *Cell) string { return sig(c.KS, 3) }},
	{key: "ks_p", f: func(c *Cell) *float64 { return &c.KSP }},
	{key: "w1", head: all("W1"), dims: 1, f: func(c *Cell) *float64 { return &c.W1 }, text: func(c *Cell) string { return sig(c.W1, 3) }},
	{key: "energy", head: all("energy"), dims: 2, f: func(c *Cell) *float64 { return &c.Energy }, text: func(c *Cell) string { return sig(c.Energy, 3) }},
	{key: "sliced_w1", head: all("sliced W1"), dims: 2, f: func(c *Cell) *float64 { return &c.SlicedW1 }, text: func(c *Cell) string { return sig(c.SlicedW1, 3) }},
	{key: "mmd2", head: all("MMD²"), dims: 2, f: func(c *Cell) *float64 { return &c.MMD2 }, text: func(c *Cell) string { return sig(c.MMD2, 3) }},
	{key: "modes_covered", head: all("modes"), dims: 2, i: func(c *Cell) *int { return &c.ModesCovered }, text: modes},
	{key: "modes_total", i: func(c *Cell) *int { return &c.ModesTotal }},
	{key: "high_quality", head: all("hi-qual"), dims: 2, f: func(c *Cell) *float64 { return &c.HighQuality }, text: func(c *Cell) string { return pct(c.HighQuality) }},
	{key: "nonfinite", i: func(c *Cell) *int { return &c.NonFinite }},
}

// TimingFields are the JSON keys of the figures that vary between runs of
// the same seed (with the run's own date and duration).
var TimingFields = timingKeys()

func timingKeys() []string {
	var out []string
	for _, col := range columns {
		if col.timing {
			out = append(out, col.key)
		}
	}
	return append(out, "seconds", "date")
}

// shown returns the columns the tables for people show for cells of kind
// k on targets of dimension class dims (1 or 2), leaving out those no
// cell in cells fills.
func shown(k Kind, dims int, cells []Cell) []column {
	var out []column
	for _, col := range columns {
		if col.head[k] == "" || (col.dims != 0 && col.dims != dims) {
			continue
		}
		if col.key != "target" && col.key != "method" && !slices.ContainsFunc(cells, func(c Cell) bool { return c.Status == StatusOK && col.text(&c) != "" }) {
			continue
		}
		out = append(out, col)
	}
	return out
}

func ms(v float64) string {
	switch {
	case math.IsNaN(v):
		return ""
	case v < 1:
		return fmt.Sprintf("%.0fµs", v*1000)
	case v < 1000:
		return fmt.Sprintf("%.1fms", v)
	}
	return fmt.Sprintf("%.1fs", v/1000)
}

func num(v float64, prec int) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'f', prec, 64)
}

func sig(v float64, digits int) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', digits, 64)
}

func pct(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return fmt.Sprintf("%.1f%%", 100*v)
}

func modes(c *Cell) string {
	if c.ModesTotal == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", c.ModesCovered, c.ModesTotal)
}
