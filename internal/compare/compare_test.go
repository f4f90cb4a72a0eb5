package compare

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/sampler"
	"github.com/variate/variate/target"
)

func TestApplicability(t *testing.T) {
	normal, gauss2, bimodal := target.Normal(), target.Gauss2(), target.Bimodal()
	for _, c := range []struct {
		m   string
		t   *target.Target
		ok  bool
		why string
	}{
		{"table", normal, true, ""},
		{"table", gauss2, false, "needs a 1-D target"},
		{"quantile", bimodal, false, "no quantile function"},
		{"inverter", bimodal, true, ""},
		{"inverter", normal, false, "has a quantile"},
		{"gonum-rand", bimodal, false, "no such peer"},
		{"exact", gauss2, true, ""},
	} {
		m, err := MethodByName(c.m)
		require.NoError(t, err)
		ok, why := m.Applicable(c.t)
		assert.Equal(t, c.ok, ok, "%s on %s", c.m, c.t.Name)
		assert.Contains(t, why, c.why)
	}
	_, err := MethodByName("nope")
	assert.ErrorContains(t, err, `unknown method "nope"`)
}

// A method that returns NaN and infinite draws is counted, not a crash; a
// method that fails is a failed cell with its error; a method that panics
// is a failed cell too.
func TestBrokenMethods(t *testing.T) {
	nanny := Method{Name: "nanny", Kind: KindPeer, Build: func(*target.Target, *rand.Rand) (Built, error) {
		return Built{Sampler: sampler.Func(1, func(rng *rand.Rand, x []float64) error {
			x[0] = rng.NormFloat64()
			if rng.IntN(10) == 0 {
				x[0] = math.NaN()
			} else if rng.IntN(20) == 0 {
				x[0] = math.Inf(1)
			}
			return nil
		})}, nil
	}}
	failing := Method{Name: "failing", Kind: KindPeer, Build: func(*target.Target, *rand.Rand) (Built, error) {
		return Built{}, errors.New("no luck")
	}}
	panicky := Method{Name: "panicky", Kind: KindPeer, Build: func(*target.Target, *rand.Rand) (Built, error) {
		panic("boom")
	}}
	r := Run(context.Background(), []*target.Target{target.Normal()}, []Method{nanny, failing, panicky}, Config{N: 2000, Seed: 1}, nil)
	require.Len(t, r.Cells, 3)
	c := r.Cells[0]
	assert.Equal(t, StatusOK, c.Status)
	assert.Greater(t, c.NonFinite, 100)
	assert.Less(t, c.NonFinite, 400)
	assert.Contains(t, c.Warnings[0], "NaN or infinite")
	assert.Equal(t, StatusFailed, r.Cells[1].Status)
	assert.Equal(t, "no luck", r.Cells[1].Reason)
	assert.Equal(t, StatusFailed, r.Cells[2].Status)
	assert.Contains(t, r.Cells[2].Reason, "panic: boom")
	assert.Equal(t, 2, r.Failed())

	// NaN figures are null in JSON; the CSV has a row per cell.
	b, err := json.Marshal(r)
	require.NoError(t, err)
	var back map[string]any
	require.NoError(t, json.Unmarshal(b, &back))
	cells := back["cells"].([]any)
	assert.Nil(t, cells[1].(map[string]any)["ks"])
	var buf bytes.Buffer
	require.NoError(t, WriteCSV(&buf, r))
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	assert.Len(t, rows, 4)
	buf.Reset()
	require.NoError(t, WriteMarkdown(&buf, r))
	assert.Contains(t, buf.String(), "FAILED: no luck")
}

func TestSummarise(t *testing.T) {
	run := func(seed uint64) *Results {
		return Run(context.Background(), []*target.Target{target.Gamma()}, []Method{exactMethod}, Config{N: 1000, Seed: seed}, nil)
	}
	s := Summarise([]*Results{run(1), run(2), run(3)})
	require.Len(t, s, 1)
	ks := s[0].Figures["ks"]
	assert.Equal(t, 3, ks.N)
	assert.Greater(t, ks.SD, 0.0)
	var buf bytes.Buffer
	require.NoError(t, WriteSummaryText(&buf, s))
	assert.Contains(t, buf.String(), "gamma")
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := Run(ctx, []*target.Target{target.Normal()}, []Method{exactMethod}, Config{N: 100}, nil)
	assert.Equal(t, StatusFailed, r.Cells[0].Status)
	assert.Contains(t, r.Cells[0].Reason, "context canceled")
}

func TestSpreadOrder(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7, 8, 100} {
		got := spreadOrder(n)
		seen := make([]bool, n)
		for _, k := range got {
			require.False(t, seen[k], "n=%d: %d twice", n, k)
			seen[k] = true
		}
		require.Len(t, got, n)
	}
	assert.Equal(t, []int{0, 4, 2, 6, 1, 5, 3, 7}, spreadOrder(8))
	// Every prefix of length m ≥ 2 reaches the second half.
	got := spreadOrder(100)
	assert.GreaterOrEqual(t, got[1], 50)
}
