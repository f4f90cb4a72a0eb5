package compare

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/variate/variate/fidelity"
	"github.com/variate/variate/mcmc"
	"github.com/variate/variate/mmd"
	"github.com/variate/variate/rejection"
	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

// Status of a cell: ok, failed, or "n/a" when the method does not apply
// to the target (Reason says why).
const (
	StatusOK     = "ok"
	StatusFailed = "failed"
	statusNA     = "n/a"
)

// A Cell is the measurement of one method on one target: plain data, which
// the column table writes as text, Markdown, CSV and JSON. NaN means "not
// measured" for every figure.
type Cell struct {
	Target string
	Method string
	Kind   Kind
	Dim    int // the target's
	Status string
	Reason string
	N      int
	Seed   uint64
	// Timing: SetupMS is the one-off cost (building, warm-up, training).
	SetupMS, NsPerSample, ESSPerSec float64
	// Steps counts a learned method's training steps.
	Steps int
	// Fidelity.
	KS, KSP, W1, Energy, SlicedW1, MMD2 float64
	ModesCovered, ModesTotal            int
	HighQuality                         float64
	// MCMC: the worst coordinate's R-hat and bulk ESS; Acceptance is
	// also the share of candidates kept by rejection samplers.
	RHat, ESSBulk, Acceptance float64
	// NonFinite counts NaN or infinite draws (left out of the measures).
	NonFinite int
	Info      map[string]float64
	Warnings  []string
}

// Draws is what a cell's plots need, kept beside the cell rather than in
// it: the target the cell measured, its first finite draws, and for MCMC
// the first coordinate of every chain.
type Draws struct {
	Target *target.Target
	Points []float64
	Traces [][]float64
}

// Config sets the size of a run.
type Config struct {
	N    int    // draws per cell
	Seed uint64 // base seed; each cell derives its own
	Full bool   // the full suite's budgets (learned methods train longer)

	// models keeps, within one Run, the trained models that several
	// methods of a target share (the gan row's, which gan-drs and gan-mh
	// correct). Nil outside Run: each cell then trains its own copy, from
	// the same seed and so with the same bits.
	models *modelCache
	// refs keeps, within one Run, the reference draws of the target being
	// measured and what the measures derive from them. Nil outside Run:
	// each cell then makes its own, with the same bits.
	refs *refCache
}

// The sizes of the measures.
const (
	// energyN caps the points used by the O(n²) d-D energy distance and
	// MMD².
	energyN = 4000
	// projections for the sliced Wasserstein distance.
	projections = 50
	// keepDraws is how many draws a cell keeps for plots.
	keepDraws = 5000
	// modeN is the number of draws mode coverage counts, as VEEGAN and
	// PacGAN do.
	modeN = 2500
)

// cellSeed derives a cell's seed from the base seed and the names, so a
// cell's draws do not depend on which other cells run.
func cellSeed(seed uint64, parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return seed ^ h.Sum64()
}

func newCell(t *target.Target, m Method, cfg Config) Cell {
	nan := math.NaN()
	return Cell{
		Target: t.Name, Method: m.Name, Kind: m.Kind, Dim: t.Dim, N: cfg.N, Seed: cfg.Seed,
		SetupMS: nan, NsPerSample: nan, ESSPerSec: nan,
		KS: nan, KSP: nan, W1: nan, Energy: nan, SlicedW1: nan, MMD2: nan,
		HighQuality: nan, RHat: nan, ESSBulk: nan, Acceptance: nan,
	}
}

// RunCell measures method m on target t. It never panics on a method's
// failure, nor on a panic in the method's code: the cell is returned
// with StatusFailed and the error.
func RunCell(ctx context.Context, t *target.Target, m Method, cfg Config) (c Cell, d Draws) {
	c, d = newCell(t, m, cfg), Draws{Target: t}
	if ok, why := m.Applicable(t); !ok {
		c.Status, c.Reason = statusNA, why
		return c, d
	}
	defer func() {
		if r := recover(); r != nil {
			fail(&c, fmt.Sprintf("panic: %v\n%s", r, debug.Stack()))
		}
	}()
	j := job{target: t, seed: cellSeed(cfg.Seed, t.Name, m.Name), base: cfg.Seed, n: cfg.N, full: cfg.Full, models: cfg.models}
	var draws []float64
	var err error
	switch {
	case m.chains != nil:
		var r *mcmc.Result
		if r, err = m.chains(ctx, j); err == nil {
			draws, d.Traces, err = fromChains(r, t.Dim, &c)
		}
	case m.build != nil:
		draws, err = runIID(ctx, m, j, &c)
	default:
		err = errors.New("method has neither a sampler nor chains")
	}
	if err == nil {
		d.Points, err = measure(t, cfg, draws, &c)
	}
	if err != nil {
		fail(&c, err.Error())
		return c, d
	}
	c.Status = StatusOK
	return c, d
}

// fail marks c failed with the first line of msg as its reason; the rest
// (a panic's stack) is kept with the warnings, out of the tables' way.
func fail(c *Cell, msg string) {
	first, rest, _ := strings.Cut(msg, "\n")
	c.Status, c.Reason = StatusFailed, first
	if rest = strings.TrimSpace(rest); rest != "" {
		c.Warnings = append(c.Warnings, rest)
	}
}

// runIID builds the sampler (timed as setup: for a learned method, its
// training) and draws j.n points after a short warm-up, timed in one pass
// by the wall clock, as the chains of an MCMC cell are.
func runIID(ctx context.Context, m Method, j job, c *Cell) ([]float64, error) {
	t := j.target
	j.rng = sampler.NewRand(j.seed)
	start := time.Now()
	b, err := m.build(ctx, j)
	if err != nil {
		return nil, err
	}
	c.SetupMS = float64(time.Since(start).Nanoseconds())/1e6 + b.sharedMS
	c.Info, c.Steps = b.info, b.steps
	if b.sampler == nil {
		return nil, errors.New("method built no sampler")
	}
	if b.sampler.Dim() != t.Dim {
		return nil, fmt.Errorf("sampler has dimension %d, target %d", b.sampler.Dim(), t.Dim)
	}
	warm := make([]float64, 256*t.Dim)
	if err := b.sampler.Sample(j.rng, warm); err != nil {
		return nil, err
	}
	draws := make([]float64, j.n*t.Dim)
	clear(draws)
	rs, isRejection := b.sampler.(interface{ Stats() rejection.Stats })
	var before rejection.Stats
	if isRejection {
		before = rs.Stats()
	}
	start = time.Now()
	if err := b.sampler.Sample(j.rng, draws); err != nil {
		return nil, err
	}
	c.NsPerSample = float64(time.Since(start).Nanoseconds()) / float64(j.n)
	if isRejection {
		after := rs.Stats()
		c.Acceptance = float64(after.Accepted-before.Accepted) / float64(after.Proposals-before.Proposals)
	}
	return draws, nil
}

// measure computes the fidelity figures of draws against t, and returns
// the first finite draws for the plots.
func measure(t *target.Target, cfg Config, draws []float64, c *Cell) ([]float64, error) {
	d := t.Dim
	clean := draws[:0:0]
	for i := 0; i < len(draws); i += d {
		ok := true
		for _, v := range draws[i : i+d] {
			ok = ok && !math.IsNaN(v) && !math.IsInf(v, 0)
		}
		if ok {
			clean = append(clean, draws[i:i+d]...)
		} else {
			c.NonFinite++
		}
	}
	if c.NonFinite > 0 {
		c.Warnings = append(c.Warnings, fmt.Sprintf("%d of %d draws are NaN or infinite", c.NonFinite, len(draws)/d))
	}
	kept := clean[:min(len(clean), keepDraws*d)]
	if len(clean) < 2*d {
		return kept, fmt.Errorf("fewer than 2 finite draws")
	}
	n := len(clean) / d
	rs, err := cfg.refs.refsFor(t, cfg, n)
	if err != nil {
		return kept, err
	}
	ref := rs.points
	if d == 1 {
		if t.CDF != nil {
			c.KS, c.KSP, err = fidelity.KS(clean, t.CDF)
		} else {
			c.KS, c.KSP, err = fidelity.KS2(clean, ref)
		}
		if err != nil {
			return kept, err
		}
		if t.CDF != nil && c.Kind != KindMCMC {
			tailNote(t, clean, c)
		}
		if rs.quant != nil {
			c.W1, err = rs.quant.Wasserstein1(clean)
		} else {
			c.W1, err = fidelity.Wasserstein1(clean, ref)
		}
		return kept, err
	}
	k := min(n, energyN)
	if c.Energy, err = fidelity.Energy(clean[:k*d], ref[:k*d], d); err != nil {
		return kept, err
	}
	// MMD² on the same points as the energy.
	if c.MMD2, err = mmd.Unbiased(rs.kern, clean[:k*d], ref[:k*d], d); err != nil {
		return kept, err
	}
	if c.SlicedW1, err = rs.sliced.Distance(clean); err != nil {
		return kept, err
	}
	if len(t.Modes) > 0 {
		k := min(n, modeN)
		st, err := fidelity.Modes(clean[:k*d], d, t.Modes)
		if err != nil {
			return kept, err
		}
		c.ModesCovered, c.ModesTotal, c.HighQuality = st.Covered, st.Total, st.HighQuality
	}
	return kept, nil
}

// tailNote records the range of a cell's i.i.d. draws and the target's
// mass outside it, and notes that mass when it exceeds ten times what n
// exact draws leave outside their range (2/(n+1) on average). A
// generator fed bounded noise has bounded output, so its draws cannot
// reach a heavy tail however long they run: this is where the table shows
// it, and how much of the target it misses.
func tailNote(t *target.Target, x []float64, c *Cell) {
	lo, hi := slices.Min(x), slices.Max(x)
	out := t.CDF(lo) + (1 - t.CDF(hi))
	if c.Info == nil {
		c.Info = map[string]float64{}
	}
	c.Info["range_lo"], c.Info["range_hi"], c.Info["mass_outside_range"] = lo, hi, out
	if out > 10/float64(len(x)) {
		c.Warnings = append(c.Warnings, fmt.Sprintf("draws span [%.3g, %.3g]; the target has %.2g of its mass outside", lo, hi, out))
	}
}
