package train

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// isTerminal reports whether f is a character device, which is how a
// terminal shows itself without a system call beyond Stat.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// barEvery is the shortest time between two redraws of the bar.
const barEvery = 100 * time.Millisecond

const barWidth = 24

// A bar draws one line of progress, redrawn in place with a carriage
// return at most every barEvery.
type bar struct {
	w        io.Writer
	budget   Budget
	name     func(int) string
	last     time.Time
	drawn    bool
	lastLine int
}

func newBar(w io.Writer, b Budget, name func(int) string) *bar {
	return &bar{w: w, budget: b, name: name}
}

// fraction is how much of the budget is spent, in [0, 1].
func (b *bar) fraction(step int, elapsed time.Duration) float64 {
	f := 0.0
	if b.budget.Steps > 0 {
		f = float64(step) / float64(b.budget.Steps)
	}
	if b.budget.Duration > 0 {
		f = max(f, float64(elapsed)/float64(b.budget.Duration))
	}
	return min(max(f, 0), 1)
}

// line renders the bar for a step.
func (b *bar) line(step int, losses []float64, fid float64, elapsed time.Duration) string {
	f := b.fraction(step, elapsed)
	full := int(f * barWidth)
	var sb strings.Builder
	fmt.Fprintf(&sb, "%3.0f%% [%s%s] step %d", 100*f, strings.Repeat("#", full), strings.Repeat(" ", barWidth-full), step)
	if b.budget.Steps > 0 {
		fmt.Fprintf(&sb, "/%d", b.budget.Steps)
	}
	for i, v := range losses {
		fmt.Fprintf(&sb, "  %s %.4g", b.name(i), v)
	}
	if fid == fid { // not NaN
		fmt.Fprintf(&sb, "  fidelity %.4g", fid)
	}
	fmt.Fprintf(&sb, "  %.1fs", elapsed.Seconds())
	return sb.String()
}

// draw redraws the bar if barEvery has passed since the last redraw, or
// if force is set.
func (b *bar) draw(step int, losses []float64, fid float64, elapsed time.Duration, force bool) {
	now := time.Now()
	if !force && b.drawn && now.Sub(b.last) < barEvery {
		return
	}
	s := b.line(step, losses, fid, elapsed)
	// Pad over the end of a longer previous line.
	pad := max(b.lastLine-len(s), 0)
	fmt.Fprintf(b.w, "\r%s%s", s, strings.Repeat(" ", pad))
	b.last, b.drawn, b.lastLine = now, true, len(s)
}

// finish ends the bar's line.
func (b *bar) finish() {
	if b.drawn {
		fmt.Fprintln(b.w)
	}
}
