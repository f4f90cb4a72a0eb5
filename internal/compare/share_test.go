package compare

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/variate/variate/gan"
	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

func TestModelCache(t *testing.T) {
	mc := newModelCache()
	calls := 0
	want := &gan.Result{Steps: 7}
	train := func() (*gan.Result, error) { calls++; return want, nil }
	r, ms, err := mc.ganResult("gan/x", train)
	require.NoError(t, err)
	assert.Same(t, want, r)
	assert.Zero(t, ms, "the call that trains is timed by its own build")
	r, ms, err = mc.ganResult("gan/x", train)
	require.NoError(t, err)
	assert.Same(t, want, r)
	assert.GreaterOrEqual(t, ms, 0.0)
	assert.Equal(t, 1, calls)

	boom := errors.New("boom")
	_, _, err = mc.ganResult("gan/y", func() (*gan.Result, error) { return nil, boom })
	require.ErrorIs(t, err, boom)
	_, _, err = mc.ganResult("gan/y", train)
	require.NoError(t, err, "a failed training is not cached")
	assert.Equal(t, 2, calls)
}

// The corrected GAN rows correct the gan row's very generator: a run that
// trains it once gives gan-drs the same cell as training it afresh with
// the gan row's seed.
func TestSharedGANMatchesFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("trains two GANs")
	}
	g, err := MethodByName("gan")
	require.NoError(t, err)
	drs, err := MethodByName("gan-drs")
	require.NoError(t, err)
	cfg := Config{N: 2000, Seed: 3}
	tg := target.Normal()
	r := Run(context.Background(), []*target.Target{tg}, []Method{g, drs}, cfg, nil)
	require.Len(t, r.Cells, 2)
	shared := r.Cells[1]
	require.Equal(t, StatusOK, shared.Status, shared.Reason)
	fresh, _ := RunCell(context.Background(), tg, drs, cfg)
	require.Equal(t, StatusOK, fresh.Status, fresh.Reason)
	assert.Equal(t, fresh.KS, shared.KS)
	assert.Equal(t, fresh.W1, shared.W1)
	assert.Equal(t, fresh.Acceptance, shared.Acceptance)
	assert.Equal(t, r.Cells[0].Steps, shared.Steps)
	assert.GreaterOrEqual(t, shared.SetupMS, r.Cells[0].SetupMS*0.5, "the shared training counts in gan-drs's setup")
}

// A Run measures every cell of a target against one reference set: the
// figures are those of a cell that makes its own, bit for bit, and the
// set is made once per target.
func TestRefCacheMatchesFresh(t *testing.T) {
	rc := &refCache{}
	for _, name := range []string{"student-t", "exponential", "ring"} {
		tg, err := target.ByName(name)
		require.NoError(t, err)
		var first *refSet
		for _, mn := range []string{"exact", "mcmc-ram"} {
			m, err := MethodByName(mn)
			require.NoError(t, err)
			cfg := Config{N: 3000, Seed: 4}
			fresh, _ := RunCell(context.Background(), tg, m, cfg)
			cfg.refs = rc
			cached, _ := RunCell(context.Background(), tg, m, cfg)
			require.Equal(t, StatusOK, fresh.Status, fresh.Reason)
			// The timings differ from run to run; the rest must not (printed,
			// since a NaN field is not equal to itself).
			for _, c := range []*Cell{&fresh, &cached} {
				c.SetupMS, c.NsPerSample, c.ESSPerSec = 0, 0, 0
			}
			assert.Equal(t, fmt.Sprintf("%+v", fresh), fmt.Sprintf("%+v", cached), "%s/%s", name, mn)
			if first == nil {
				first = rc.last
			}
		}
		assert.Same(t, first, rc.last, "%s: the set was made again for the same target", name)
		assert.Equal(t, name, rc.last.name)
	}
	// Another base seed draws another reference.
	tg, err := target.ByName("ring")
	require.NoError(t, err)
	prev := rc.last
	other, err := rc.refsFor(tg, Config{N: 3000, Seed: 5}, 3000)
	require.NoError(t, err)
	assert.NotSame(t, prev, other, "a set drawn with seed 4 served seed 5")
	assert.NotEqual(t, prev.points, other.points)
	assert.Equal(t, uint64(5), other.seed)
}

// A cell whose draws stop short of the target's tails says so, with the
// mass they miss; exact draws do not.
func TestTailNote(t *testing.T) {
	tg, err := target.ByName("normal")
	require.NoError(t, err)
	x, err := sampler.Draw(tg.Exact, sampler.NewRand(8), 10000)
	require.NoError(t, err)
	var exact Cell
	tailNote(tg, x, &exact)
	assert.Empty(t, exact.Warnings)
	assert.Less(t, exact.Info["mass_outside_range"], 10.0/10000)
	for i, v := range x {
		x[i] = max(-2, min(2, v))
	}
	var clipped Cell
	tailNote(tg, x, &clipped)
	require.Len(t, clipped.Warnings, 1)
	assert.Contains(t, clipped.Warnings[0], "draws span [-2, 2]; the target has 0.046 of its mass outside")
	assert.InDelta(t, 2*distuv.UnitNormal.CDF(-2), clipped.Info["mass_outside_range"], 1e-12)
}
