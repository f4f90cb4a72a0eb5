package compare

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"time"

	"github.com/variate/variate/fidelity"
	"github.com/variate/variate/mmd"
	"github.com/variate/variate/rejection"
	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

// Status of a cell.
const (
	StatusOK     = "ok"
	StatusNA     = "n/a"
	StatusFailed = "failed"
)

// A Cell is the measurement of one method on one target. NaN means "not
// measured" for every figure; the JSON encoder writes those as null.
type Cell struct {
	Target string `json:"target"`
	Method string `json:"method"`
	Kind   Kind   `json:"kind"`
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
	N      int    `json:"n"`
	Seed   uint64 `json:"seed"`

	// Timing (excluded when results are compared across runs).
	SetupMS     float64 `json:"setup_ms"`
	NsPerSample float64 `json:"ns_per_sample"`
	ESSPerSec   float64 `json:"ess_per_s"`

	// Fidelity.
	KS           float64 `json:"ks"`
	KSP          float64 `json:"ks_p"`
	W1           float64 `json:"w1"`
	Energy       float64 `json:"energy"`
	SlicedW1     float64 `json:"sliced_w1"`
	MMD2         float64 `json:"mmd2"`
	ModesCovered int     `json:"modes_covered"`
	ModesTotal   int     `json:"modes_total"`
	HighQuality  float64 `json:"high_quality"`

	// MCMC.
	RHat       float64 `json:"rhat"`
	ESSBulk    float64 `json:"ess_bulk"`
	Acceptance float64 `json:"acceptance"`

	// NonFinite counts NaN or infinite draws (left out of the measures).
	NonFinite int                `json:"nonfinite"`
	Info      map[string]float64 `json:"info,omitempty"`
	Warnings  []string           `json:"warnings,omitempty"`

	// Draws keeps the first draws for the report's plots (not exported).
	Draws  []float64   `json:"-"`
	Chains [][]float64 `json:"-"`
}

// Config sets the size of a run.
type Config struct {
	N    int    // draws per cell
	Seed uint64 // base seed; each cell derives its own
	// EnergyN caps the points used by the O(n²) d-D energy distance.
	EnergyN int
	// Projections for the sliced Wasserstein distance.
	Projections int
	// KeepDraws is how many draws a cell keeps for plots.
	KeepDraws int
}

func (c Config) withDefaults() Config {
	if c.EnergyN == 0 {
		c.EnergyN = 4000
	}
	if c.Projections == 0 {
		c.Projections = 50
	}
	if c.KeepDraws == 0 {
		c.KeepDraws = 5000
	}
	return c
}

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

func nan() float64 { return math.NaN() }

func newCell(t *target.Target, m Method, cfg Config) Cell {
	return Cell{
		Target: t.Name, Method: m.Name, Kind: m.Kind, N: cfg.N, Seed: cfg.Seed,
		SetupMS: nan(), NsPerSample: nan(), ESSPerSec: nan(),
		KS: nan(), KSP: nan(), W1: nan(), Energy: nan(), SlicedW1: nan(), MMD2: nan(),
		HighQuality: nan(), RHat: nan(), ESSBulk: nan(), Acceptance: nan(),
	}
}

// RunCell measures method m on target t. It never panics on a method's
// failure: the cell is returned with StatusFailed and the error.
func RunCell(ctx context.Context, t *target.Target, m Method, cfg Config) (c Cell) {
	cfg = cfg.withDefaults()
	c = newCell(t, m, cfg)
	if ok, why := m.Applicable(t); !ok {
		c.Status, c.Reason = StatusNA, why
		return c
	}
	defer func() {
		if r := recover(); r != nil {
			c.Status, c.Reason = StatusFailed, fmt.Sprintf("panic: %v", r)
		}
	}()
	var draws []float64
	var err error
	if m.Run != nil {
		draws, err = runChains(ctx, t, m, cfg, &c)
	} else {
		draws, err = runIID(t, m, cfg, &c)
	}
	if err != nil {
		c.Status, c.Reason = StatusFailed, err.Error()
		return c
	}
	if err := measure(t, cfg, draws, &c); err != nil {
		c.Status, c.Reason = StatusFailed, err.Error()
		return c
	}
	c.Status = StatusOK
	return c
}

// runIID builds the sampler (timed as setup) and draws cfg.N points (timed
// as throughput, after a short warm-up).
func runIID(t *target.Target, m Method, cfg Config, c *Cell) ([]float64, error) {
	rng := sampler.NewRand(cellSeed(cfg.Seed, t.Name, m.Name))
	start := time.Now()
	b, err := m.Build(t, rng)
	if err != nil {
		return nil, err
	}
	c.SetupMS = float64(time.Since(start).Nanoseconds()) / 1e6
	c.Info = b.Info
	if b.Sampler == nil {
		return nil, errors.New("method built no sampler")
	}
	if b.Sampler.Dim() != t.Dim {
		return nil, fmt.Errorf("sampler has dimension %d, target %d", b.Sampler.Dim(), t.Dim)
	}
	warm := make([]float64, 256*t.Dim)
	if err := b.Sampler.Sample(rng, warm); err != nil {
		return nil, err
	}
	// The draws measured are the first full batch; the throughput is the
	// fastest of a few timed batches (the machine's other load only ever
	// slows a batch down), with the buffer already touched.
	draws := make([]float64, cfg.N*t.Dim)
	clear(draws)
	rs, isRejection := b.Sampler.(rejectionStats)
	var before rejection.Stats
	if isRejection {
		before = rs.Stats()
	}
	start = time.Now()
	if err := b.Sampler.Sample(rng, draws); err != nil {
		return nil, err
	}
	best := time.Since(start)
	spent := best
	// The acceptance of the measured batch alone: how many timing batches
	// follow depends on the clock.
	if isRejection {
		after := rs.Stats()
		c.Acceptance = float64(after.Accepted-before.Accepted) / float64(after.Proposals-before.Proposals)
	}
	if spent < 300*time.Millisecond {
		spare := make([]float64, len(draws))
		clear(spare)
		timingRng := sampler.NewRand(cellSeed(cfg.Seed, t.Name, m.Name, "timing"))
		for range 4 {
			start := time.Now()
			if err := b.Sampler.Sample(timingRng, spare); err != nil {
				return nil, err
			}
			d := time.Since(start)
			best, spent = min(best, d), spent+d
			if spent > 300*time.Millisecond {
				break
			}
		}
	}
	c.NsPerSample = float64(best.Nanoseconds()) / float64(cfg.N)
	return draws, nil
}

// rejectionStats is a rejection sampler, whose acceptance rate the cell
// reports.
type rejectionStats interface{ Stats() rejection.Stats }

// measure computes the fidelity figures of draws against t.
func measure(t *target.Target, cfg Config, draws []float64, c *Cell) error {
	d := t.Dim
	clean := draws[:0:0]
	for i := 0; i < len(draws); i += d {
		ok := true
		for _, v := range draws[i : i+d] {
			ok = ok && finite(v)
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
	c.Draws = clean[:min(len(clean), cfg.KeepDraws*d)]
	if len(clean) < 2*d {
		return fmt.Errorf("fewer than 2 finite draws")
	}
	n := len(clean) / d
	ref, err := reference(t, cfg, n)
	if err != nil {
		return err
	}
	if d == 1 {
		if t.CDF != nil {
			c.KS, c.KSP, err = fidelity.KS(clean, t.CDF)
		} else {
			c.KS, c.KSP, err = fidelity.KS2(clean, ref)
		}
		if err != nil {
			return err
		}
		if t.Quantile != nil {
			c.W1, err = fidelity.Wasserstein1Quantile(clean, t.Quantile)
		} else {
			c.W1, err = fidelity.Wasserstein1(clean, ref)
		}
		return err
	}
	k := min(n, cfg.EnergyN)
	if c.Energy, err = fidelity.Energy(clean[:k*d], ref[:k*d], d); err != nil {
		return err
	}
	// MMD² (unbiased) with a sum of Gaussian kernels at 1/8 to 2 times
	// the median-heuristic bandwidth of the exact draws, so that both the
	// overall shape and narrow modes count, on the same points as the
	// energy.
	bw, err := mmd.MedianBandwidth(ref[:k*d], ref[:k*d], d)
	if err != nil {
		return err
	}
	kern, err := mmd.GaussianSum(bw/8, bw/4, bw/2, bw, 2*bw)
	if err != nil {
		return err
	}
	if c.MMD2, err = mmd.Unbiased(kern, clean[:k*d], ref[:k*d], d); err != nil {
		return err
	}
	rng := sampler.NewRand(cellSeed(cfg.Seed, t.Name, "projections"))
	if c.SlicedW1, err = fidelity.SlicedWasserstein(clean, ref, d, cfg.Projections, rng); err != nil {
		return err
	}
	if len(t.Modes) > 0 {
		k := min(n, 2500)
		st, err := fidelity.Modes(clean[:k*d], d, t.Modes)
		if err != nil {
			return err
		}
		c.ModesCovered, c.ModesTotal, c.HighQuality = st.Covered, st.Total, st.HighQuality
	}
	return nil
}

// reference draws n points from the target's exact sampler with a seed of
// its own, independent of every method's.
func reference(t *target.Target, cfg Config, n int) ([]float64, error) {
	if t.Exact == nil {
		return nil, errors.New("target has no exact sampler to compare with")
	}
	return sampler.Draw(t.Exact, sampler.NewRand(cellSeed(cfg.Seed, t.Name, "reference")), n)
}
