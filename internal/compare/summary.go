package compare

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
)

// A Stat is a mean and standard deviation over seeds.
type Stat struct {
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
	N    int     `json:"n"`
}

// A Summary aggregates one (target, method) cell over several seeds.
type Summary struct {
	Target  string          `json:"target"`
	Method  string          `json:"method"`
	Figures map[string]Stat `json:"figures"`
}

// summaryFigures are the figures aggregated across seeds.
var summaryFigures = []struct {
	name string
	get  func(Cell) float64
}{
	{"ns_per_sample", func(c Cell) float64 { return c.NsPerSample }},
	{"ess_per_s", func(c Cell) float64 { return c.ESSPerSec }},
	{"ks", func(c Cell) float64 { return c.KS }},
	{"w1", func(c Cell) float64 { return c.W1 }},
	{"energy", func(c Cell) float64 { return c.Energy }},
	{"sliced_w1", func(c Cell) float64 { return c.SlicedW1 }},
	{"mmd2", func(c Cell) float64 { return c.MMD2 }},
	{"high_quality", func(c Cell) float64 { return c.HighQuality }},
	{"acceptance", func(c Cell) float64 { return c.Acceptance }},
	{"rhat", func(c Cell) float64 { return c.RHat }},
	{"ess_bulk", func(c Cell) float64 { return c.ESSBulk }},
}

// Summarise returns mean ± sd across runs of the cells that succeeded.
// Runs must cover the same cells in the same order.
func Summarise(runs []*Results) []Summary {
	var out []Summary
	for i, c := range runs[0].Cells {
		if c.Status != StatusOK {
			continue
		}
		s := Summary{Target: c.Target, Method: c.Method, Figures: map[string]Stat{}}
		for _, f := range summaryFigures {
			var xs []float64
			for _, r := range runs {
				if rc := r.Cells[i]; rc.Status == StatusOK && !math.IsNaN(f.get(rc)) {
					xs = append(xs, f.get(rc))
				}
			}
			if len(xs) == 0 {
				continue
			}
			var m, v float64
			for _, x := range xs {
				m += x
			}
			m /= float64(len(xs))
			for _, x := range xs {
				v += (x - m) * (x - m)
			}
			sd := 0.0
			if len(xs) > 1 {
				sd = math.Sqrt(v / float64(len(xs)-1))
			}
			s.Figures[f.name] = Stat{Mean: m, SD: sd, N: len(xs)}
		}
		out = append(out, s)
	}
	return out
}

// WriteSummaryText writes the across-seed summary as an aligned table.
func WriteSummaryText(w io.Writer, s []Summary) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	names := make([]string, len(summaryFigures))
	for i, f := range summaryFigures {
		names[i] = f.name
	}
	fmt.Fprintf(tw, "target\tmethod\t%s\n", strings.Join(names, "\t"))
	for _, r := range s {
		row := []string{r.Target, r.Method}
		for _, f := range summaryFigures {
			st, ok := r.Figures[f.name]
			if !ok {
				row = append(row, "·")
				continue
			}
			row = append(row, fmt.Sprintf("%.3g ± %.2g", st.Mean, st.SD))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	return tw.Flush()
}
