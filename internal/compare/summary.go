package compare

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"gonum.org/v1/gonum/stat"
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

// summarised reports whether a column is aggregated across seeds: the
// figures the tables for people show.
func summarised(col column) bool { return col.f != nil && len(col.head) > 0 }

// Summarise returns mean ± sd across runs of each (target, method) cell
// that succeeded in the first run, over the runs where it succeeded; a
// figure that is NaN in a run is left out of that figure's mean.
func Summarise(runs []*Results) []Summary {
	type key struct{ t, m string }
	ok := map[key][]Cell{}
	for _, r := range runs {
		for _, c := range r.Cells {
			if c.Status == StatusOK {
				k := key{c.Target, c.Method}
				ok[k] = append(ok[k], c)
			}
		}
	}
	var out []Summary
	for _, c := range runs[0].Cells {
		cells := ok[key{c.Target, c.Method}]
		if c.Status != StatusOK {
			continue
		}
		s := Summary{Target: c.Target, Method: c.Method, Figures: map[string]Stat{}}
		for _, col := range columns {
			if !summarised(col) {
				continue
			}
			var xs []float64
			for i := range cells {
				if v := *col.f(&cells[i]); !math.IsNaN(v) {
					xs = append(xs, v)
				}
			}
			if len(xs) > 0 {
				s.Figures[col.key] = meanSD(xs)
			}
		}
		out = append(out, s)
	}
	return out
}

// meanSD returns the mean and sample standard deviation (0 for one value).
func meanSD(xs []float64) Stat {
	if len(xs) == 1 { // stat.MeanStdDev gives NaN for one value
		return Stat{Mean: xs[0], N: 1}
	}
	m, sd := stat.MeanStdDev(xs, nil)
	return Stat{Mean: m, SD: sd, N: len(xs)}
}

// WriteSummaryText writes the across-seed summary as an aligned table,
// one column per figure that some summary has.
func WriteSummaryText(w io.Writer, s []Summary) error {
	var cols []string
	for _, col := range columns {
		if !summarised(col) {
			continue
		}
		for _, r := range s {
			if _, ok := r.Figures[col.key]; ok {
				cols = append(cols, col.key)
				break
			}
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "target\tmethod\t%s\n", strings.Join(cols, "\t"))
	for _, r := range s {
		row := []string{r.Target, r.Method}
		for _, name := range cols {
			st, ok := r.Figures[name]
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
