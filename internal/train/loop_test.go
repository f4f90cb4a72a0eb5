package train

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func same(t *testing.T, a, b *toy) {
	t.Helper()
	for i := range a.w {
		assert.Equal(t, math.Float64bits(a.w[i]), math.Float64bits(b.w[i]), "w[%d]", i)
		assert.Equal(t, math.Float64bits(a.m[i]), math.Float64bits(b.m[i]), "m[%d]", i)
	}
	sa, err := a.src.MarshalBinary()
	require.NoError(t, err)
	sb, err := b.src.MarshalBinary()
	require.NoError(t, err)
	assert.Equal(t, sa, sb, "random source position")
}

func TestBudgetErrors(t *testing.T) {
	for _, b := range []Budget{{}, {Steps: -1}, {Duration: -time.Second}, {Steps: 5, Duration: -1}} {
		tt := newToy(1)
		l := Loop{Budget: b, NoBar: true}
		_, err := l.Run(context.Background(), tt.state(), tt.step)
		require.Error(t, err, "%+v", b)
		assert.Contains(t, err.Error(), "budget")
		assert.Zero(t, tt.calls)
	}
}

func TestStepsAndProgress(t *testing.T) {
	tt := newToy(1)
	var steps, fids []int
	fidCalls := 0
	l := Loop{
		Budget: Budget{Steps: 23}, NoBar: true, ProgressEvery: 5, FidelityEvery: 10,
		Progress: func(r Report) {
			steps = append(steps, r.Step)
			if !math.IsNaN(r.Fidelity) {
				fids = append(fids, r.Step)
			}
			assert.Len(t, r.Losses, 2)
		},
		Fidelity: func(context.Context) (float64, error) { fidCalls++; return float64(fidCalls), nil },
	}
	res, err := l.Run(context.Background(), tt.state(), tt.step)
	require.NoError(t, err)
	assert.Equal(t, 23, res.Steps)
	assert.Equal(t, 23, tt.calls)
	assert.Equal(t, []int{5, 10, 15, 20, 23}, steps)
	assert.Equal(t, []int{10, 20, 23}, fids)
	assert.Equal(t, 3.0, res.Fidelity)
	assert.Len(t, res.Losses, 2)
}

func TestDurationBudget(t *testing.T) {
	tt := newToy(1)
	tt.sleep = time.Millisecond
	var last Report
	l := Loop{Budget: Budget{Duration: 40 * time.Millisecond}, NoBar: true, ProgressEvery: 1000,
		Progress: func(r Report) { last = r }}
	start := time.Now()
	res, err := l.Run(context.Background(), tt.state(), tt.step)
	require.NoError(t, err)
	assert.Greater(t, res.Steps, 0)
	assert.GreaterOrEqual(t, res.Elapsed, 40*time.Millisecond)
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.Equal(t, res.Steps, last.Step, "the last step is reported")
}

func TestResumeEqualsUninterrupted(t *testing.T) {
	const total = 100
	want := run(t, 7, total)

	for _, stop := range []int{1, 40, 99} {
		path := filepath.Join(t.TempDir(), "ck")
		a := newToy(7)
		l := Loop{Budget: Budget{Steps: stop}, NoBar: true, Checkpoint: path, CheckpointEvery: 1000}
		_, err := l.Run(context.Background(), a.state(), a.step)
		require.NoError(t, err)

		b := newToy(12345) // a different start: all of it must come from the file
		l = Loop{Budget: Budget{Steps: total}, NoBar: true, Resume: path, Checkpoint: path, CheckpointEvery: 10}
		res, err := l.Run(context.Background(), b.state(), b.step)
		require.NoError(t, err)
		assert.Equal(t, stop, res.Resumed)
		assert.Equal(t, total, res.Steps)
		assert.Equal(t, total-stop, b.calls)
		same(t, want, b)
	}
}

func TestResumeAfterCancel(t *testing.T) {
	want := run(t, 3, 300)
	path := filepath.Join(t.TempDir(), "ck")
	a := newToy(3)
	ctx, cancel := context.WithCancel(context.Background())
	l := Loop{Budget: Budget{Steps: 300}, NoBar: true, Checkpoint: path,
		Progress: func(r Report) {
			if r.Step == 120 {
				cancel()
			}
		}}
	res, err := l.Run(ctx, a.state(), a.step)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 120, res.Steps)

	b := newToy(99)
	l = Loop{Budget: Budget{Steps: 300}, NoBar: true, Resume: path}
	_, err = l.Run(context.Background(), b.state(), b.step)
	require.NoError(t, err)
	same(t, want, b)
}

func TestCancelPromptly(t *testing.T) {
	tt := newToy(5)
	tt.sleep = 2 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	var cancelled time.Time
	go func() {
		time.Sleep(50 * time.Millisecond)
		cancelled = time.Now()
		cancel()
	}()
	l := Loop{Budget: Budget{Steps: 1 << 30}, NoBar: true}
	res, err := l.Run(ctx, tt.state(), tt.step)
	back := time.Now()
	require.ErrorIs(t, err, context.Canceled)
	assert.Less(t, back.Sub(cancelled), 100*time.Millisecond)
	assert.Equal(t, tt.calls, res.Steps)
	// The state is that of res.Steps whole steps.
	same(t, run(t, 5, res.Steps), tt)
}

func TestCancelledBeforeStart(t *testing.T) {
	tt := newToy(5)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	l := Loop{Budget: Budget{Steps: 10}, NoBar: true}
	_, err := l.Run(ctx, tt.state(), tt.step)
	require.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, tt.calls)
}

func TestNaNKeepsLastFinite(t *testing.T) {
	for _, at := range []int{1, 2, 7} {
		tt := newToy(11)
		tt.nanAt = at
		l := Loop{Budget: Budget{Steps: 50}, NoBar: true, LossNames: []string{"MMD"}}
		res, err := l.Run(context.Background(), tt.state(), tt.step)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "MMD is NaN at step "+strconv.Itoa(at))
		kept := max(at-2, 0)
		assert.Equal(t, kept, res.Steps)
		assert.Equal(t, at, tt.calls)
		ref := run(t, 11, max(kept, 1))
		if kept == 0 {
			ref = newToy(11)
		}
		assert.Equal(t, ref.w, tt.w, "parameters of step %d", kept)
	}
}

func TestStepErrorRestores(t *testing.T) {
	tt := newToy(1)
	boom := errors.New("boom")
	l := Loop{Budget: Budget{Steps: 10}, NoBar: true}
	res, err := l.Run(context.Background(), tt.state(), func(ctx context.Context, s int) ([]float64, error) {
		if s == 4 {
			tt.w[0] = 1e9 // a half-done update
			return nil, boom
		}
		return tt.step(ctx, s)
	})
	require.ErrorIs(t, err, boom)
	assert.Contains(t, err.Error(), "step 4")
	assert.Equal(t, 3, res.Steps)
	assert.Equal(t, run(t, 1, 3).w, tt.w)
}

func TestFidelityError(t *testing.T) {
	tt := newToy(1)
	l := Loop{Budget: Budget{Steps: 10}, NoBar: true, FidelityEvery: 4,
		Fidelity: func(context.Context) (float64, error) { return 0, errors.New("held-out batch is NaN") }}
	_, err := l.Run(context.Background(), tt.state(), tt.step)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "after step 4")

	l = Loop{Budget: Budget{Steps: 10}, NoBar: true, Fidelity: l.Fidelity}
	_, err = l.Run(context.Background(), tt.state(), tt.step)
	require.ErrorContains(t, err, "FidelityEvery")
}

func TestCheckpointEveryAndInterval(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ck")
	var stepsSeen []int
	tt := newToy(1)
	l := Loop{Budget: Budget{Steps: 25}, NoBar: true, Checkpoint: path, CheckpointEvery: 10,
		Progress: func(r Report) {
			if c, err := ReadCheckpoint(path, "", newToy(0).state()); err == nil {
				stepsSeen = append(stepsSeen, c.Step)
			}
		}}
	_, err := l.Run(context.Background(), tt.state(), tt.step)
	require.NoError(t, err)
	c, err := ReadCheckpoint(path, "", newToy(0).state())
	require.NoError(t, err)
	assert.Equal(t, 25, c.Step, "a final checkpoint")
	assert.Contains(t, stepsSeen, 10)
	assert.Contains(t, stepsSeen, 20)
	assert.NotContains(t, stepsSeen, 15)
	ents, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, ents, 1, "no temporary file left")

	// By time: a step of 3 ms and an interval of 10 ms give a checkpoint
	// within a few steps.
	tt = newToy(1)
	tt.sleep = 3 * time.Millisecond
	path2 := filepath.Join(dir, "ck2")
	first := 0
	l = Loop{Budget: Budget{Steps: 40}, NoBar: true, Checkpoint: path2, CheckpointInterval: 10 * time.Millisecond,
		Progress: func(r Report) {
			if _, err := os.Stat(path2); err == nil && first == 0 {
				first = r.Step
			}
		}}
	_, err = l.Run(context.Background(), tt.state(), tt.step)
	require.NoError(t, err)
	assert.Greater(t, first, 0)
	assert.Less(t, first, 20)
}

func TestResumeRejects(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ck")
	a := newToy(1)
	l := Loop{Budget: Budget{Steps: 20}, NoBar: true, Checkpoint: path, Fingerprint: "config-A"}
	_, err := l.Run(context.Background(), a.state(), a.step)
	require.NoError(t, err)
	good, err := os.ReadFile(path)
	require.NoError(t, err)

	check := func(name string, l Loop, st *toy, wantMsg string) {
		t.Helper()
		before := append([]float64(nil), st.w...)
		_, err := l.Run(context.Background(), st.state(), st.step)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), wantMsg, name)
		assert.Equal(t, before, st.w, name+": state untouched")
		assert.Zero(t, st.calls, name)
	}
	check("fingerprint", Loop{Budget: Budget{Steps: 30}, NoBar: true, Resume: path, Fingerprint: "config-B"}, newToy(2), "different configuration")
	check("budget", Loop{Budget: Budget{Steps: 10}, NoBar: true, Resume: path, Fingerprint: "config-A"}, newToy(2), "more than the budget")
	check("missing", Loop{Budget: Budget{Steps: 30}, NoBar: true, Resume: path + "x", Fingerprint: "config-A"}, newToy(2), "no such file")

	bad := bytes.Clone(good)
	bad[len(bad)/2] ^= 1
	require.NoError(t, os.WriteFile(path, bad, 0o644))
	check("corrupted", Loop{Budget: Budget{Steps: 30}, NoBar: true, Resume: path, Fingerprint: "config-A"}, newToy(2), "checksum")
	require.NoError(t, os.WriteFile(path, good[:len(good)-5], 0o644))
	check("truncated", Loop{Budget: Budget{Steps: 30}, NoBar: true, Resume: path, Fingerprint: "config-A"}, newToy(2), "checksum")

	require.NoError(t, os.WriteFile(path, good, 0o644))
	other := newToy(2)
	other.w = append(other.w, 0)
	st := other.state()
	_, err = (&Loop{Budget: Budget{Steps: 30}, NoBar: true, Resume: path, Fingerprint: "config-A"}).Run(context.Background(), st, other.step)
	require.ErrorContains(t, err, `tensor "w" has 3 values; this configuration has 4`)
}

func TestBarOnlyOnTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, isTerminal(f))
	tt := newToy(1)
	l := Loop{Budget: Budget{Steps: 5}, Bar: f}
	_, err = l.Run(context.Background(), tt.state(), tt.step)
	require.NoError(t, err)
	fi, err := f.Stat()
	require.NoError(t, err)
	assert.Zero(t, fi.Size(), "no bar on a regular file")

	if null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0); err == nil {
		defer null.Close()
		assert.True(t, isTerminal(null), "a character device counts as a terminal")
	}
}

func TestBarLine(t *testing.T) {
	var buf bytes.Buffer
	b := newBar(&buf, Budget{Steps: 200}, (&Loop{LossNames: []string{"mmd"}}).lossName)
	b.draw(50, []float64{0.0123456, 2}, math.NaN(), 1500*time.Millisecond, false)
	assert.Equal(t, "\r 25% [######                  ] step 50/200  mmd 0.01235  loss 2 2  1.5s", buf.String())
	b.draw(51, []float64{1, 2}, 0.5, 1600*time.Millisecond, false)
	assert.Equal(t, 1, strings.Count(buf.String(), "\r"), "no redraw within 100 ms")
	b.draw(200, []float64{1}, 0.5, 3*time.Second, true)
	assert.Contains(t, buf.String(), "\r100% [########################] step 200/200  mmd 1  fidelity 0.5  3.0s")
	b.finish()
	assert.True(t, strings.HasSuffix(buf.String(), "\n"))

	d := newBar(&buf, Budget{Duration: 10 * time.Second}, (&Loop{}).lossName)
	assert.InDelta(t, 0.3, d.fraction(5, 3*time.Second), 1e-12)
}
