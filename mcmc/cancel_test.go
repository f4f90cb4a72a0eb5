package mcmc_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/mcmc"
)

// walkProposal is a symmetric random-walk proposal for MH.
type walkProposal struct{ sd float64 }

func (q walkProposal) Propose(rng *rand.Rand, x, y []float64) float64 {
	for i := range y {
		y[i] = x[i] + q.sd*rng.NormFloat64()
	}
	return 0
}

// wideNormal is N(0, sd²) in every coordinate, an independence proposal.
type wideNormal struct {
	dim int
	sd  float64
}

func (q wideNormal) Dim() int { return q.dim }
func (q wideNormal) Sample(rng *rand.Rand, dst []float64) error {
	for i := range dst {
		dst[i] = q.sd * rng.NormFloat64()
	}
	return nil
}
func (q wideNormal) LogDensity(x []float64) float64 {
	var s float64
	for _, v := range x {
		s -= v * v / (2 * q.sd * q.sd)
	}
	return s
}

// everyKernel lists one value of every kernel mcmc has, for dimension 1.
func everyKernel(walkers int) []mcmc.Kernel {
	return []mcmc.Kernel{
		mcmc.RandomWalk{},
		mcmc.MH{Proposal: walkProposal{sd: 2}},
		mcmc.Independence{Proposal: wideNormal{dim: 1, sd: 2}},
		mcmc.AM{},
		mcmc.RAM{},
		mcmc.Stretch{Walkers: walkers},
	}
}

// slowDensity is a standard normal log density that, once its first
// `setup` calls are made (the starting points), sleeps `per` per call and
// calls cancel at call number `at`, recording when.
type slowDensity struct {
	calls     atomic.Int64
	setup, at int64
	per       time.Duration
	cancel    context.CancelFunc
	when      atomic.Int64 // UnixNano of the cancel
}

func (s *slowDensity) f(x []float64) float64 {
	n := s.calls.Add(1)
	if n > s.setup {
		time.Sleep(s.per)
	}
	if n == s.at {
		s.when.Store(time.Now().UnixNano())
		s.cancel()
	}
	return -x[0] * x[0] / 2
}

// The bound is 100 ms plus one evaluation per chain; asserted as 300 ms
// plus one evaluation so that a loaded two-core machine (other tests,
// the race detector) does not fail it. The code it guards checked the
// context every 64 steps: a cancel placed just after a check then takes
// 63 evaluations of 20 ms (1.26 s) for a one-walker kernel, and 63 steps
// of 200 walkers × 1 ms (12.6 s) for Stretch, far above the bound.
const cancelSlack = 300 * time.Millisecond

// Cancelling a run returns within one evaluation per chain (plus the
// slack), in warm-up and in sampling, for every kernel, whatever length
// was asked for.
func TestCancelPromptEveryKernel(t *testing.T) {
	const chains = 2
	for _, k := range everyKernel(200) {
		walkers := int64(1)
		per := 20 * time.Millisecond
		if s, ok := k.(mcmc.Stretch); ok {
			walkers, per = int64(s.Walkers), time.Millisecond
		}
		setup := 2 * chains * walkers // each starting point is evaluated twice
		for _, phase := range []struct {
			name   string
			warmup int
			draws  int
		}{
			{"warm-up", 10000, 10},
			{"sampling", -1, 10_000_000},
			{"automatic", -1, 0},
		} {
			t.Run(k.String()+"/"+phase.name, func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				// The cancel comes at the third evaluation after the
				// starting points: just after a check every 64 steps.
				sd := &slowDensity{setup: setup, at: setup + 3, per: per, cancel: cancel}
				r, err := mcmc.Run(ctx, sd.f, 1, k, &mcmc.Options{Chains: chains, Warmup: phase.warmup, Draws: phase.draws, Seed: 1})
				took := time.Since(time.Unix(0, sd.when.Load()))
				require.NotZero(t, sd.when.Load(), "the density never cancelled")
				require.ErrorIs(t, err, context.Canceled)
				require.NotNil(t, r)
				t.Logf("returned %v after the cancel (one evaluation %v)", took, per)
				assert.Less(t, took, cancelSlack+per, "cancel to return")
				for _, x := range r.Draws {
					assert.Len(t, x, r.Len())
				}
			})
		}
	}
}

// A run cancelled between its automatic-length rounds does not finish
// the diagnostics first. The density cancels at the last evaluation of the
// first round (every chain then stops, all draws made), so what follows
// is the round's diagnostics over 200 coordinates; the independence
// sampler with the target itself as proposal makes i.i.d. draws, so every
// coordinate passes and all are computed: seconds of work for the code
// this guards.
func TestCancelPromptBetweenRounds(t *testing.T) {
	if testing.Short() && raceEnabled {
		t.Skip("400 M floating-point operations, slow under the race detector")
	}
	const chains, warmup, dim, first = 4, 100, 200, 10000
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var calls atomic.Int64
	var when atomic.Int64
	last := int64(chains * (2 + warmup + first))
	f := func(x []float64) float64 {
		if calls.Add(1) == last {
			when.Store(time.Now().UnixNano())
			cancel()
		}
		var s float64
		for _, v := range x {
			s -= v * v / 2
		}
		return s
	}
	k := mcmc.Independence{Proposal: wideNormal{dim: dim, sd: 1}}
	r, err := mcmc.Run(ctx, f, dim, k, &mcmc.Options{Chains: chains, Warmup: warmup, Seed: 2})
	took := time.Since(time.Unix(0, when.Load()))
	require.NotZero(t, when.Load())
	require.ErrorIs(t, err, context.Canceled)
	assert.ErrorContains(t, err, "stopped after 10000 draws per chain, before the diagnostics were satisfied")
	assert.Equal(t, first, r.Len())
	t.Logf("returned %v after the cancel", took)
	assert.Less(t, took, cancelSlack)
}

// Draws are stored as they are kept: a run asking for 10⁷ draws per chain
// and cancelled early allocates far less than the 320 MB its draws would
// take.
func TestDrawsAllocatedAsKept(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var calls atomic.Int64
	f := func(x []float64) float64 {
		if calls.Add(1) == 20000 {
			cancel()
		}
		return -x[0] * x[0] / 2
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r, err := mcmc.Run(ctx, f, 1, mcmc.RandomWalk{}, &mcmc.Options{Chains: 4, Warmup: -1, Draws: 10_000_000})
	runtime.ReadMemStats(&after)
	require.ErrorIs(t, err, context.Canceled)
	got := after.TotalAlloc - before.TotalAlloc
	t.Logf("allocated %d bytes for %d draws per chain", got, r.Len())
	// The bound leaves room for what warm-up and the test runtime allocate
	// (a few MB, more when other packages' tests load the machine) and is
	// still a fifth of what an up-front allocation would take.
	assert.Less(t, got, uint64(64<<20))
}

// A panic in a user function on a chain's goroutine comes back as an
// error with the value and the stack, for every kernel, whichever phase,
// and stops the other chains.
func TestPanicBecomesError(t *testing.T) {
	for _, k := range everyKernel(8) {
		walkers := int64(1)
		if s, ok := k.(mcmc.Stretch); ok {
			walkers = int64(s.Walkers)
		}
		setup := 2 * 4 * walkers
		for _, c := range []struct {
			name  string
			at    int64
			where string
		}{
			{"start", 3, "at the starting point in chain "},
			{"warm-up", setup + 5, "of warm-up in chain "},
			{"sampling", setup + 4*100*walkers + 5, "of sampling in chain "},
		} {
			t.Run(k.String()+"/"+c.name, func(t *testing.T) {
				var calls atomic.Int64
				f := func(x []float64) float64 {
					if calls.Add(1) == c.at {
						panicInDensity()
					}
					return -x[0] * x[0] / 2
				}
				r, err := mcmc.Run(context.Background(), f, 1, k, &mcmc.Options{Warmup: 100, Draws: 1000, Seed: 3})
				require.Error(t, err)
				assert.ErrorContains(t, err, "mcmc: log density panicked ")
				assert.ErrorContains(t, err, c.where)
				assert.ErrorContains(t, err, ": the density broke\n")
				assert.ErrorContains(t, err, "panicInDensity", "the stack of the goroutine that panicked")
				if c.name != "start" {
					assert.Regexp(t, `panicked at step \d+ of`, err.Error())
					require.NotNil(t, r)
					assert.Less(t, r.Len(), 1000, "the run stopped")
					for i, d := range r.Draws {
						assert.Len(t, d, r.Len()*r.Dim, "chain %d is cut to the common length", i)
					}
				}
			})
		}
	}
}

func panicInDensity() { panic("the density broke") }

// A panicking proposal is named as such, and a runtime error stays
// reachable with errors.As.
func TestPanicInProposal(t *testing.T) {
	normal := func(x []float64) float64 { return -x[0] * x[0] / 2 }
	_, err := mcmc.Run(context.Background(), normal, 1, mcmc.MH{Proposal: brokenProposal{}}, &mcmc.Options{Seed: 4})
	// Every chain panics at its first step; the first to do so stops the
	// others, so which one is reported depends on the scheduler.
	assert.Regexp(t, `^mcmc: proposal panicked at step 1 of warm-up in chain \d: runtime error: index out of range`, err.Error())
	var re runtime.Error
	assert.True(t, errors.As(err, &re), "a runtime error unwraps: %v", err)

	_, err = mcmc.Run(context.Background(), normal, 1, mcmc.Independence{Proposal: brokenSampler{wideNormal{1, 2}}}, &mcmc.Options{Seed: 4})
	assert.ErrorContains(t, err, "mcmc: proposal panicked at the starting point in chain 0: proposal density broke")
}

type brokenProposal struct{}

func (brokenProposal) Propose(rng *rand.Rand, x, y []float64) float64 {
	var idx []int
	return float64(idx[len(x)]) // index out of range
}

type brokenSampler struct{ wideNormal }

func (brokenSampler) LogDensity([]float64) float64 { panic("proposal density broke") }

// A panic in Options.Init is a programmer error and reaches the caller as
// a panic, as documented.
func TestPanicInInitIsNotRecovered(t *testing.T) {
	normal := func(x []float64) float64 { return -x[0] * x[0] / 2 }
	init := mcmc.Around([]float64{0, 0}, 1)
	assert.PanicsWithValue(t, "mcmc: Around centre has dimension 2, target has 1", func() {
		_, _ = mcmc.Run(context.Background(), normal, 1, nil, &mcmc.Options{Init: init})
	})
}
