package compare

import (
	"fmt"
	"io"
	"strings"
)

// The README's comparison section sits between these markers, so that
// the command that writes it can find it again.
const (
	readmeBegin = "<!-- comparison: written by `go run ./bench -readme README.md`; do not edit by hand -->"
	readmeEnd   = "<!-- end of comparison -->"
)

// writeReadme writes the README's comparison section for r: the markers,
// a line saying what was run and on what, and the Markdown tables.
func writeReadme(w io.Writer, r *Results) error {
	m := r.Meta
	date, _, _ := strings.Cut(m.Date, "T")
	if _, err := fmt.Fprintf(w, "%s\n\nSuite %s, %d draws per cell, seed %d; %s, %s, GOMAXPROCS=%d, %s; %.0f s.\n\n",
		readmeBegin, m.Suite, m.N, m.Seed, m.GoVersion, m.CPU, m.GOMAXPROCS, date, m.Seconds); err != nil {
		return err
	}
	if err := WriteMarkdown(w, r, 3); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, readmeEnd)
	return err
}

// ReplaceReadme returns readme with its comparison section replaced by
// the one writeReadme writes for r.
func ReplaceReadme(readme string, r *Results) (string, error) {
	before, rest, ok := strings.Cut(readme, readmeBegin)
	if !ok {
		return "", fmt.Errorf("the README has no line %s to say where the comparison goes", readmeBegin)
	}
	_, after, ok := strings.Cut(rest, readmeEnd+"\n")
	if !ok {
		return "", fmt.Errorf("the README's comparison has no closing line %s", readmeEnd)
	}
	var b strings.Builder
	b.WriteString(before)
	if err := writeReadme(&b, r); err != nil {
		return "", err
	}
	b.WriteString(after)
	return b.String(), nil
}
