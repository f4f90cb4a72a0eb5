package compare

import (
	"context"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/variate/variate/target"
)

// Meta describes the run: what was measured, on what, when.
type Meta struct {
	Suite      string   `json:"suite"`
	N          int      `json:"n"`
	Seed       uint64   `json:"seed"`
	Targets    []string `json:"targets"`
	Methods    []string `json:"methods"`
	GoVersion  string   `json:"go_version"`
	OS         string   `json:"os"`
	Arch       string   `json:"arch"`
	CPU        string   `json:"cpu"`
	GOMAXPROCS int      `json:"gomaxprocs"`
	Date       string   `json:"date"`
	Seconds    float64  `json:"seconds"`
	// Interrupted says the run was cancelled after len(Cells) of its
	// Planned cells.
	Interrupted bool `json:"interrupted,omitempty"`
	Planned     int  `json:"planned"`
}

// Results is a whole run: its cells, and beside each cell (same index)
// the draws its plots need, which are not written out.
type Results struct {
	Meta  Meta    `json:"meta"`
	Cells []Cell  `json:"cells"`
	Draws []Draws `json:"-"`
}

// Failed counts the failed cells.
func (r *Results) Failed() int {
	n := 0
	for _, c := range r.Cells {
		if c.Status == StatusFailed {
			n++
		}
	}
	return n
}

// Run measures every method on every target, in the given order, calling
// progress (if not nil) before each cell. If ctx is cancelled it stops
// there: the results hold the cells measured (not the one cut short) and
// say that the run was interrupted.
func Run(ctx context.Context, targets []*target.Target, methods []Method, cfg Config, progress func(i, total int, t, m string)) *Results {
	start := time.Now()
	r := &Results{Meta: Meta{
		N: cfg.N, Seed: cfg.Seed,
		GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH,
		CPU: cpuModel(), GOMAXPROCS: runtime.GOMAXPROCS(0),
		Date:    start.UTC().Format(time.RFC3339),
		Planned: len(targets) * len(methods),
	}}
	for _, t := range targets {
		r.Meta.Targets = append(r.Meta.Targets, t.Name)
	}
	for _, m := range methods {
		r.Meta.Methods = append(r.Meta.Methods, m.Name)
	}
	defer func() { r.Meta.Seconds = time.Since(start).Seconds() }()
	cfg.models, cfg.refs = newModelCache(), &refCache{}
	for _, t := range targets {
		for _, m := range methods {
			if ctx.Err() != nil {
				r.Meta.Interrupted = true
				return r
			}
			if progress != nil {
				progress(len(r.Cells), r.Meta.Planned, t.Name, m.Name)
			}
			c, d := RunCell(ctx, t, m, cfg)
			if ctx.Err() != nil && c.Status == StatusFailed {
				// Cut short by the cancellation, not a failure of its own.
				r.Meta.Interrupted = true
				return r
			}
			r.Cells, r.Draws = append(r.Cells, c), append(r.Draws, d)
		}
	}
	return r
}

// cpuModel reads the CPU's model name where the system says it.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}
