package compare

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/target"
)

// The README's comparison section is the writer's output: it parses back
// into cells, and writing those cells again gives the committed text byte
// for byte. A hand edit, a stale format or a column the writer no longer
// has fails here.
func TestReadmeSection(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(b), readmeBegin+"\n")
	require.True(t, ok, "README.md has no comparison marker")
	block, _, ok := strings.Cut(rest, readmeEnd+"\n")
	require.True(t, ok, "README.md's comparison has no end marker")
	meta, tables, ok := strings.Cut(strings.TrimPrefix(block, "\n"), "\n\n")
	require.True(t, ok)
	assert.Regexp(t, `^Suite (quick|full), \d+ draws per cell, seed \d+; go\S+, .+, GOMAXPROCS=\d+, \d{4}-\d\d-\d\d; \d+ s\.$`, meta)
	r, err := parseMarkdown(tables)
	require.NoError(t, err)
	require.NotEmpty(t, r.Cells)
	var again strings.Builder
	require.NoError(t, WriteMarkdown(&again, r, 3))
	assert.Equal(t, tables, again.String())
}

// parseMarkdown reads what WriteMarkdown writes at level 3 back into
// cells, as far as the printed precision goes.
func parseMarkdown(s string) (*Results, error) {
	r := &Results{}
	var sec struct {
		kind Kind
		dim  int
		cols []column
	}
	var na []Cell
	header := false
	for _, line := range strings.Split(s, "\n") {
		switch {
		case line == "":
			continue
		case line == "### Not applicable":
			sec.cols = nil
		case strings.HasPrefix(line, "### "):
			title := strings.TrimPrefix(line, "### ")
			sec.kind, sec.cols, header = "", nil, true
			for k, name := range kindTitle {
				if strings.HasPrefix(title, name+", ") {
					sec.kind = k
				}
			}
			sec.dim = 1
			if strings.HasSuffix(title, "d-D targets") {
				sec.dim = 2
			}
			if sec.kind == "" {
				return nil, fmt.Errorf("unknown section %q", title)
			}
		case strings.HasPrefix(line, "- **"):
			tg, parts, ok := strings.Cut(strings.TrimPrefix(line, "- **"), "**: ")
			if !ok {
				return nil, fmt.Errorf("bad n/a line %q", line)
			}
			for _, p := range strings.Split(parts, "; ") {
				ms, why, ok := strings.Cut(p, " — ")
				if !ok {
					return nil, fmt.Errorf("bad n/a entry %q", p)
				}
				for _, m := range strings.Split(ms, ", ") {
					na = append(na, Cell{Target: tg, Method: m, Status: statusNA, Reason: why})
				}
			}
		case strings.HasPrefix(line, "|"):
			fields := splitRow(line)
			if header {
				header = false
				for _, h := range fields[:len(fields)-1] {
					i := -1
					for j, col := range columns {
						if col.head[sec.kind] == h {
							i = j
						}
					}
					if i < 0 {
						return nil, fmt.Errorf("unknown heading %q in a %s table", h, sec.kind)
					}
					sec.cols = append(sec.cols, columns[i])
				}
				continue
			}
			if strings.HasPrefix(fields[0], "---") {
				continue
			}
			if len(fields) != len(sec.cols)+1 {
				return nil, fmt.Errorf("row %q has %d fields, the heading %d", line, len(fields), len(sec.cols)+1)
			}
			c := Cell{Kind: sec.kind, Dim: sec.dim, Status: StatusOK}
			for _, col := range columns {
				if col.f != nil {
					*col.f(&c) = math.NaN()
				}
			}
			for i, col := range sec.cols {
				if err := parseField(&c, col, fields[i]); err != nil {
					return nil, fmt.Errorf("row %q: %s: %w", line, col.key, err)
				}
			}
			switch note := fields[len(fields)-1]; {
			case strings.HasPrefix(note, "FAILED: "):
				c.Status, c.Reason = StatusFailed, strings.TrimPrefix(note, "FAILED: ")
			case note != "":
				c.Warnings = strings.Split(note, "; ")
			}
			r.Cells = append(r.Cells, c)
		default:
			return nil, fmt.Errorf("unexpected line %q", line)
		}
	}
	r.Cells = append(r.Cells, na...)
	return r, nil
}

// splitRow splits a Markdown table row into its cells (a bar inside a
// cell is escaped, so " | " only ever separates cells).
func splitRow(line string) []string {
	line = strings.TrimSuffix(strings.TrimPrefix(line, "| "), " |")
	if strings.HasPrefix(line, "|") { // the alignment row
		return []string{"---"}
	}
	out := strings.Split(line, " | ")
	for i, p := range out {
		out[i] = strings.ReplaceAll(p, `\|`, "|")
	}
	return out
}

// parseField sets c's field of col from its printed text.
func parseField(c *Cell, col column, s string) error {
	if s == "·" {
		return nil
	}
	var err error
	switch col.key {
	case "target":
		c.Target = s
	case "method":
		c.Method = s
	case "setup_ms":
		scale := 1.0
		switch {
		case strings.HasSuffix(s, "µs"):
			s, scale = strings.TrimSuffix(s, "µs"), 1e-3
		case strings.HasSuffix(s, "ms"):
			s = strings.TrimSuffix(s, "ms")
		case strings.HasSuffix(s, "s"):
			s, scale = strings.TrimSuffix(s, "s"), 1e3
		}
		c.SetupMS, err = strconv.ParseFloat(s, 64)
		c.SetupMS *= scale
	case "modes_covered":
		_, err = fmt.Sscanf(s, "%d/%d", &c.ModesCovered, &c.ModesTotal)
	case "high_quality":
		c.HighQuality, err = strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
		c.HighQuality /= 100
	case "steps":
		c.Steps, err = strconv.Atoi(s)
	default:
		if col.f == nil {
			return fmt.Errorf("no parser")
		}
		*col.f(c), err = strconv.ParseFloat(s, 64)
	}
	return err
}

// The parser used on the README reads back what the writer writes.
func TestParseMarkdownRoundTrip(t *testing.T) {
	table, _ := MethodByName("table")
	r := Run(context.Background(), []*target.Target{target.Normal(), target.Ring()}, []Method{exactMethod, table, gonumMHMethod}, Config{N: 1000, Seed: 1}, nil)
	r.Cells[1].Warnings = []string{"a | b", "c"}
	var first strings.Builder
	require.NoError(t, WriteMarkdown(&first, r, 3))
	back, err := parseMarkdown(first.String())
	require.NoError(t, err)
	var again strings.Builder
	require.NoError(t, WriteMarkdown(&again, back, 3))
	assert.Equal(t, first.String(), again.String())
	assert.Contains(t, first.String(), "### Not applicable\n\n- **ring**: table — needs a 1-D target\n")
	_, err = parseMarkdown("### i.i.d. methods, 1-D targets\n\n| target | method | bogus | note |\n")
	assert.ErrorContains(t, err, `unknown heading "bogus"`)
}
