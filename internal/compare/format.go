package compare

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// notAPeer is the reason given when a peer has no sampler for a target;
// the tables for people leave such cells out (the machine formats keep
// them).
const notAPeer = "no such peer for this target"

// kindTitle names the sections of the tables for people.
var kindTitle = map[Kind]string{KindIID: "i.i.d. methods", KindMCMC: "MCMC", KindLearned: "learned methods"}

// A section is the cells of one kind on targets of one dimension class,
// with the columns they fill.
type section struct {
	title string
	cols  []column
	cells []Cell
}

// sections splits r's applicable cells by kind, then 1-D and d-D targets.
func sections(r *Results) []section {
	var out []section
	for _, k := range kinds {
		for _, dims := range []int{1, 2} {
			var cells []Cell
			for _, c := range r.Cells {
				if c.Kind == k && c.Status != statusNA && min(c.Dim, 2) == dims {
					cells = append(cells, c)
				}
			}
			if len(cells) == 0 {
				continue
			}
			title := kindTitle[k] + ", 1-D targets"
			if dims == 2 {
				title = kindTitle[k] + ", d-D targets"
			}
			out = append(out, section{title: title, cols: shown(k, dims, cells), cells: cells})
		}
	}
	return out
}

// row formats c under cols; absent figures are "·", and the last column
// holds the warnings or the failure.
func row(c Cell, cols []column) []string {
	out := make([]string, 0, len(cols)+1)
	for _, col := range cols {
		v := col.text(&c)
		if c.Status != StatusOK && col.key != "target" && col.key != "method" {
			v = ""
		}
		if v == "" {
			v = "·"
		}
		out = append(out, v)
	}
	note := strings.Join(c.Warnings, "; ")
	if c.Status == StatusFailed {
		note = "FAILED: " + c.Reason
	}
	return append(out, note)
}

func heads(s section) []string {
	out := make([]string, 0, len(s.cols)+1)
	for _, col := range s.cols {
		out = append(out, col.head[s.cells[0].Kind])
	}
	return append(out, "note")
}

// notApplicable lists, per target in order, the methods that do not
// apply and why, methods with one reason together: "table, quantile —
// needs a 1-D target".
func notApplicable(r *Results) [][2]string {
	var out [][2]string
	var targets []string
	for _, c := range r.Cells {
		if !slices.Contains(targets, c.Target) {
			targets = append(targets, c.Target)
		}
	}
	for _, t := range targets {
		var reasons []string
		byReason := map[string][]string{}
		for _, c := range r.Cells {
			if c.Target != t || c.Status != statusNA || c.Reason == notAPeer {
				continue
			}
			if _, ok := byReason[c.Reason]; !ok {
				reasons = append(reasons, c.Reason)
			}
			byReason[c.Reason] = append(byReason[c.Reason], c.Method)
		}
		if len(reasons) == 0 {
			continue
		}
		parts := make([]string, len(reasons))
		for i, why := range reasons {
			parts[i] = strings.Join(byReason[why], ", ") + " — " + why
		}
		out = append(out, [2]string{t, strings.Join(parts, "; ")})
	}
	return out
}

// WriteText writes the tables for a terminal: one aligned table per
// section, then the methods that do not apply, once per target.
func WriteText(w io.Writer, r *Results) error {
	var b bytes.Buffer
	for i, s := range sections(r) {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(s.title + "\n")
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(heads(s), "\t"))
		for _, c := range s.cells {
			fmt.Fprintln(tw, strings.Join(row(c, s.cols), "\t"))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if na := notApplicable(r); len(na) > 0 {
		b.WriteString("\nnot applicable\n")
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for _, t := range na {
			fmt.Fprintf(tw, "%s\tn/a: %s\n", t[0], t[1])
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	_, err := w.Write(bytes.TrimRight(b.Bytes(), " "))
	return err
}

// WriteMarkdown writes the tables as Markdown: one table per section
// under a heading of the given level (3 for "###"), then the methods that
// do not apply as a list.
func WriteMarkdown(w io.Writer, r *Results, level int) error {
	var b strings.Builder
	hashes := strings.Repeat("#", level)
	cell := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	for _, s := range sections(r) {
		fmt.Fprintf(&b, "%s %s\n\n", hashes, s.title)
		h := heads(s)
		fmt.Fprintf(&b, "| %s |\n", strings.Join(h, " | "))
		align := make([]string, len(h))
		for i, col := range s.cols {
			align[i] = "---:"
			if col.key == "target" || col.key == "method" {
				align[i] = "---"
			}
		}
		align[len(h)-1] = "---"
		fmt.Fprintf(&b, "|%s|\n", strings.Join(align, "|"))
		for _, c := range s.cells {
			rw := row(c, s.cols)
			for i := range rw {
				rw[i] = cell(rw[i])
			}
			fmt.Fprintf(&b, "| %s |\n", strings.Join(rw, " | "))
		}
		b.WriteByte('\n')
	}
	if na := notApplicable(r); len(na) > 0 {
		fmt.Fprintf(&b, "%s Not applicable\n\n", hashes)
		for _, t := range na {
			fmt.Fprintf(&b, "- **%s**: %s\n", t[0], t[1])
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteCSV writes every cell of every run under one header, with
// full-precision figures; NaN is empty.
func WriteCSV(w io.Writer, runs ...*Results) error {
	cw := csv.NewWriter(w)
	head := make([]string, len(columns))
	for i, col := range columns {
		head[i] = col.key
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, r := range runs {
		for _, c := range r.Cells {
			rec := make([]string, len(columns))
			for i, col := range columns {
				rec[i] = col.format(&c)
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// format writes the field for CSV: full precision, NaN and infinities
// empty.
func (col column) format(c *Cell) string {
	switch {
	case col.f != nil:
		v := *col.f(c)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return ""
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	case col.i != nil:
		return strconv.Itoa(*col.i(c))
	case col.u != nil:
		return strconv.FormatUint(*col.u(c), 10)
	}
	return *col.s(c)
}

// MarshalJSON writes the cell's columns in order, NaN and infinite
// figures as null (JSON has no NaN), then its info and warnings if any.
func (c Cell) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	put := func(key string, v any) error {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		js, err := json.Marshal(v)
		fmt.Fprintf(&b, "%q:%s", key, js)
		return err
	}
	for _, col := range columns {
		var v any
		switch {
		case col.f != nil:
			v = nullable(*col.f(&c))
		case col.i != nil:
			v = *col.i(&c)
		case col.u != nil:
			v = *col.u(&c)
		default:
			v = *col.s(&c)
			if col.key == "reason" && c.Reason == "" {
				continue
			}
		}
		if err := put(col.key, v); err != nil {
			return nil, err
		}
	}
	if len(c.Info) > 0 {
		info := make(map[string]any, len(c.Info))
		for k, v := range c.Info {
			info[k] = nullable(v)
		}
		if err := put("info", info); err != nil {
			return nil, err
		}
	}
	if len(c.Warnings) > 0 {
		if err := put("warnings", c.Warnings); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads what MarshalJSON writes; null figures are NaN.
func (c *Cell) UnmarshalJSON(data []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	*c = Cell{}
	for _, col := range columns {
		raw, ok := m[col.key]
		var err error
		switch {
		case col.f != nil:
			*col.f(c) = math.NaN()
			if ok && string(raw) != "null" {
				err = json.Unmarshal(raw, col.f(c))
			}
		case !ok:
		case col.i != nil:
			err = json.Unmarshal(raw, col.i(c))
		case col.u != nil:
			err = json.Unmarshal(raw, col.u(c))
		default:
			err = json.Unmarshal(raw, col.s(c))
		}
		if err != nil {
			return fmt.Errorf("cell field %s: %w", col.key, err)
		}
	}
	if raw, ok := m["info"]; ok {
		var info map[string]*float64
		if err := json.Unmarshal(raw, &info); err != nil {
			return fmt.Errorf("cell field info: %w", err)
		}
		c.Info = make(map[string]float64, len(info))
		for k, v := range info {
			c.Info[k] = math.NaN()
			if v != nil {
				c.Info[k] = *v
			}
		}
	}
	if raw, ok := m["warnings"]; ok {
		if err := json.Unmarshal(raw, &c.Warnings); err != nil {
			return fmt.Errorf("cell field warnings: %w", err)
		}
	}
	return nil
}

func nullable(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}
