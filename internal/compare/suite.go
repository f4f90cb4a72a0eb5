package compare

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"reflect"
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
}

// Results is a whole run.
type Results struct {
	Meta  Meta   `json:"meta"`
	Cells []Cell `json:"cells"`
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
// progress (if not nil) before each cell.
func Run(ctx context.Context, targets []*target.Target, methods []Method, cfg Config, progress func(i, total int, t, m string)) *Results {
	cfg = cfg.withDefaults()
	start := time.Now()
	r := &Results{Meta: Meta{
		N: cfg.N, Seed: cfg.Seed,
		GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH,
		CPU: cpuModel(), GOMAXPROCS: runtime.GOMAXPROCS(0),
		Date: start.UTC().Format(time.RFC3339),
	}}
	for _, t := range targets {
		r.Meta.Targets = append(r.Meta.Targets, t.Name)
	}
	for _, m := range methods {
		r.Meta.Methods = append(r.Meta.Methods, m.Name)
	}
	total := len(targets) * len(methods)
	i := 0
	for _, t := range targets {
		for _, m := range methods {
			if progress != nil {
				progress(i, total, t.Name, m.Name)
			}
			i++
			if err := ctx.Err(); err != nil {
				c := newCell(t, m, cfg)
				c.Status, c.Reason = StatusFailed, "not run: "+err.Error()
				r.Cells = append(r.Cells, c)
				continue
			}
			r.Cells = append(r.Cells, RunCell(ctx, t, m, cfg))
		}
	}
	r.Meta.Seconds = time.Since(start).Seconds()
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

// MarshalJSON writes NaN and infinite figures as null, since JSON has
// no NaN; keys come out sorted, so the same results give the same bytes.
func (c Cell) MarshalJSON() ([]byte, error) {
	type plain Cell
	v := reflect.ValueOf(plain(c))
	tp := v.Type()
	out := make(map[string]any, tp.NumField())
	for i := range tp.NumField() {
		name, _, _ := strings.Cut(tp.Field(i).Tag.Get("json"), ",")
		if name == "-" || name == "" {
			continue
		}
		f := v.Field(i).Interface()
		switch x := f.(type) {
		case float64:
			f = nullable(x)
		case map[string]float64:
			if len(x) == 0 {
				continue
			}
			m := make(map[string]any, len(x))
			for k, val := range x {
				m[k] = nullable(val)
			}
			f = m
		case []string:
			if len(x) == 0 {
				continue
			}
		case string:
			if x == "" && strings.Contains(tp.Field(i).Tag.Get("json"), "omitempty") {
				continue
			}
		}
		out[name] = f
	}
	return json.Marshal(out)
}

func nullable(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

// TimingFields are the figures that vary between runs of the same seed.
var TimingFields = []string{"setup_ms", "ns_per_sample", "ess_per_s", "seconds", "date"}
