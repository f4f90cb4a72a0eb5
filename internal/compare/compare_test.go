package compare

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/mcmc"
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
		{"inverter", normal, false, "has a quantile: use the quantile method"},
		{"gonum-rand", bimodal, false, "no such peer"},
		{"adaptive", bimodal, false, "not log-concave"},
		{"rejection-auto", target.Funnel(), false, "hopeless in 10-D"},
		{"exact", gauss2, true, ""},
	} {
		m, err := MethodByName(c.m)
		require.NoError(t, err)
		ok, why := m.Applicable(c.t)
		assert.Equal(t, c.ok, ok, "%s on %s", c.m, c.t.Name)
		if c.why == "" {
			assert.Empty(t, why)
		} else {
			assert.Contains(t, why, c.why)
		}
	}
	_, err := MethodByName("nope")
	assert.ErrorContains(t, err, `unknown method "nope" (valid: exact, table,`)
}

// Every registered method has exactly the function its kind calls for.
func TestRegistryShape(t *testing.T) {
	for _, m := range Methods() {
		switch m.Kind {
		case KindIID, KindLearned:
			assert.NotNil(t, m.build, m.Name)
			assert.Nil(t, m.chains, m.Name)
		case KindMCMC:
			assert.NotNil(t, m.chains, m.Name)
			assert.Nil(t, m.build, m.Name)
		default:
			t.Errorf("%s: unknown kind %q", m.Name, m.Kind)
		}
		assert.NotEmpty(t, m.Doc, m.Name)
	}
}

// iidMethod wraps a sampler as an i.i.d. method for the tests.
func iidMethod(name string, s sampler.Sampler, err error) Method {
	return Method{Name: name, Kind: KindIID, build: func(context.Context, job) (built, error) {
		return built{sampler: s}, err
	}}
}

// A method that returns NaN and infinite draws is counted, not a crash; a
// method that fails is a failed cell with its error; a method that panics
// is a failed cell too.
func TestBrokenMethods(t *testing.T) {
	nanny := iidMethod("nanny", sampler.Func(1, func(rng *rand.Rand, x []float64) error {
		x[0] = rng.NormFloat64()
		if rng.IntN(10) == 0 {
			x[0] = math.NaN()
		} else if rng.IntN(20) == 0 {
			x[0] = math.Inf(1)
		}
		return nil
	}), nil)
	failing := iidMethod("failing", nil, errors.New("no luck"))
	panicky := Method{Name: "panicky", Kind: KindIID, build: func(context.Context, job) (built, error) { panic("boom") }}
	wrongDim := iidMethod("wrong-dim", target.Gauss2().Exact, nil)
	r := Run(context.Background(), []*target.Target{target.Normal()}, []Method{nanny, failing, panicky, wrongDim}, Config{N: 2000, Seed: 1}, nil)
	require.Len(t, r.Cells, 4)
	require.Len(t, r.Draws, 4)
	c := r.Cells[0]
	assert.Equal(t, StatusOK, c.Status)
	// 10% NaN and 4.5% +Inf: 290 of 2000 expected, sd 16.
	assert.Greater(t, c.NonFinite, 190)
	assert.Less(t, c.NonFinite, 390)
	assert.Contains(t, c.Warnings[0], "NaN or infinite")
	assert.Len(t, r.Draws[0].Points, 2000-c.NonFinite)
	assert.Equal(t, StatusFailed, r.Cells[1].Status)
	assert.Equal(t, "no luck", r.Cells[1].Reason)
	assert.Equal(t, StatusFailed, r.Cells[2].Status)
	assert.Equal(t, "panic: boom", r.Cells[2].Reason)
	assert.Contains(t, r.Cells[3].Reason, "sampler has dimension 2, target 1")
	assert.Equal(t, 3, r.Failed())

	// NaN figures are null in JSON, and read back as NaN; the CSV has a
	// row per cell under one header.
	b, err := json.Marshal(r)
	require.NoError(t, err)
	var back map[string]any
	require.NoError(t, json.Unmarshal(b, &back))
	cells := back["cells"].([]any)
	assert.Nil(t, cells[1].(map[string]any)["ks"])
	var rt Results
	require.NoError(t, json.Unmarshal(b, &rt))
	assert.True(t, math.IsNaN(rt.Cells[1].KS))
	assert.Equal(t, r.Cells[0].KS, rt.Cells[0].KS)
	assert.Equal(t, r.Cells[0].Warnings, rt.Cells[0].Warnings)
	var buf bytes.Buffer
	require.NoError(t, WriteCSV(&buf, r, r))
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	assert.Len(t, rows, 1+2*4)
	assert.Equal(t, "target", rows[0][0])
	buf.Reset()
	require.NoError(t, WriteMarkdown(&buf, r, 3))
	assert.Contains(t, buf.String(), "FAILED: no luck")
}

// A panic in a user's log density on a chain's goroutine comes back as
// the cell's error instead of ending the process.
func TestPanickingDensity(t *testing.T) {
	bad := *target.Normal()
	var calls atomic.Int64
	bad.LogDensity1D = func(x float64) float64 {
		if calls.Add(1) > 50 {
			panic("density exploded")
		}
		return -x * x / 2
	}
	bad.LogDensity = func(x []float64) float64 { return bad.LogDensity1D(x[0]) }
	for _, m := range []Method{gonumMHMethod, amMethod} {
		calls.Store(0)
		c, _ := RunCell(context.Background(), &bad, m, Config{N: 1000, Seed: 1})
		assert.Equal(t, StatusFailed, c.Status, m.Name)
		assert.Contains(t, c.Reason, "panic", m.Name)
		assert.Contains(t, c.Reason, "density exploded", m.Name)
		assert.NotContains(t, c.Reason, "\n", m.Name)
	}
}

// The MCMC figures of a cell are those of the method's mcmc.Result: the
// worst coordinate's R-hat and bulk ESS of Result.Summary, its acceptance,
// and the pooled draws of Result.Pooled in spread order.
func TestMCMCCellFromResult(t *testing.T) {
	tg := target.Gauss2()
	j := job{target: tg, seed: 7, n: 4000}
	r, err := runGonumMH(context.Background(), j)
	require.NoError(t, err)
	c := newCell(tg, gonumMHMethod, Config{N: 4000})
	pooled, traces, err := fromChains(r, 2, &c)
	require.NoError(t, err)
	s := r.Summary()
	assert.Equal(t, max(s[0].RHat, s[1].RHat), c.RHat)
	assert.Equal(t, min(s[0].ESSBulk, s[1].ESSBulk), c.ESSBulk)
	assert.Equal(t, r.Acceptance(), c.Acceptance)
	assert.InDelta(t, c.ESSBulk/r.SampleSeconds, c.ESSPerSec, 1e-9*c.ESSPerSec)
	assert.Equal(t, r.Param(0)[2][:10], traces[2][:10])
	all := r.Pooled()
	block := 4 * 2
	assert.Equal(t, all[:block], pooled[:block])
	// The second block is the chains' draws at the middle of the
	// length rounded up to a power of two (the van der Corput order).
	k := 1
	for k < r.Len() {
		k *= 2
	}
	assert.Equal(t, all[k/2*block:(k/2+1)*block], pooled[block:2*block])
	assert.ElementsMatch(t, all, pooled)

	// A wrong result is an error, not a crash.
	_, _, err = fromChains(r, 3, &c)
	assert.ErrorContains(t, err, "dimension 2, target 3")
	_, _, err = fromChains(&mcmc.Result{Dim: 2, Draws: [][]float64{{1, 2}}}, 2, &c)
	assert.ErrorContains(t, err, "1 chains, need at least 2")
}

// A learned method fits the registry as it is: its build (the training)
// is the setup, its steps are reported, and the tables give it a section
// with a training column.
func TestLearnedKind(t *testing.T) {
	learned := Method{Name: "toy-learned", Kind: KindLearned, Doc: "a normal as if trained", build: func(_ context.Context, j job) (built, error) {
		return built{sampler: j.target.Exact, steps: 123}, nil
	}}
	r := Run(context.Background(), []*target.Target{target.Normal()}, []Method{exactMethod, learned}, Config{N: 1000, Seed: 1}, nil)
	c := r.Cells[1]
	require.Equal(t, StatusOK, c.Status, c.Reason)
	assert.Equal(t, KindLearned, c.Kind)
	assert.Equal(t, 123, c.Steps)
	assert.False(t, math.IsNaN(c.SetupMS))
	var buf bytes.Buffer
	require.NoError(t, WriteText(&buf, r))
	out := buf.String()
	assert.Contains(t, out, "learned methods, 1-D targets\ntarget  method       training")
	assert.Regexp(t, `toy-learned\s+\S+\s+123\s`, out)
}

func TestSummarise(t *testing.T) {
	run := func(seed uint64) *Results {
		return Run(context.Background(), []*target.Target{target.Gamma()}, []Method{exactMethod, quantileMethod}, Config{N: 1000, Seed: seed}, nil)
	}
	runs := []*Results{run(1), run(2), run(3)}
	// A failed cell in one run is left out of that cell's figures.
	runs[2].Cells[1].Status = StatusFailed
	s := Summarise(runs)
	require.Len(t, s, 2)
	for i, want := range []int{3, 2} {
		var ks []float64
		for _, r := range runs[:want] {
			ks = append(ks, r.Cells[i].KS)
		}
		m := 0.0
		for _, v := range ks {
			m += v / float64(len(ks))
		}
		v := 0.0
		for _, x := range ks {
			v += (x - m) * (x - m) / float64(len(ks)-1)
		}
		got := s[i].Figures["ks"]
		assert.Equal(t, want, got.N)
		assert.InDelta(t, m, got.Mean, 1e-15)
		assert.InDelta(t, math.Sqrt(v), got.SD, 1e-15)
	}
	// The seeds give different draws, so the spread is not zero.
	assert.Greater(t, s[0].Figures["ks"].SD, 1e-4)
	_, hasRHat := s[0].Figures["rhat"]
	assert.False(t, hasRHat, "i.i.d. cells have no R-hat")
	var buf bytes.Buffer
	require.NoError(t, WriteSummaryText(&buf, s))
	assert.Contains(t, buf.String(), "gamma")
	assert.NotContains(t, buf.String(), "rhat")
	assert.Equal(t, Stat{Mean: 2, SD: 0, N: 1}, meanSD([]float64{2}))
	assert.Equal(t, Stat{Mean: 2, SD: math.Sqrt(2), N: 2}, meanSD([]float64{1, 3}))
}

// A cancelled run stops before the next cell and says so.
func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := Run(ctx, []*target.Target{target.Normal()}, []Method{exactMethod}, Config{N: 100}, nil)
	assert.Empty(t, r.Cells)
	assert.True(t, r.Meta.Interrupted)
	assert.Equal(t, 1, r.Meta.Planned)

	// Cancelled while an MCMC cell runs: the cell cut short is dropped.
	ctx, cancel = context.WithCancel(context.Background())
	stopper := Method{Name: "stopper", Kind: KindIID, build: func(context.Context, job) (built, error) {
		cancel()
		return built{}, context.Canceled
	}}
	r = Run(ctx, []*target.Target{target.Normal()}, []Method{exactMethod, stopper, exactMethod}, Config{N: 100}, nil)
	require.Len(t, r.Cells, 1)
	assert.Equal(t, StatusOK, r.Cells[0].Status)
	assert.True(t, r.Meta.Interrupted)
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

// Every column has one accessor, and a heading only with a formatter.
func TestColumns(t *testing.T) {
	keys := map[string]bool{}
	for _, col := range columns {
		n := 0
		for _, set := range []bool{col.f != nil, col.i != nil, col.u != nil, col.s != nil} {
			if set {
				n++
			}
		}
		assert.Equal(t, 1, n, col.key)
		assert.Equal(t, len(col.head) > 0, col.text != nil, col.key)
		assert.False(t, keys[col.key], "%s twice", col.key)
		keys[col.key] = true
	}
	assert.Equal(t, []string{"setup_ms", "ns_per_sample", "ess_per_s", "seconds", "date"}, TimingFields)
}

// The terminal table has one section per kind and dimension with only
// its columns, and lists the methods that do not apply once per target.
func TestWriteText(t *testing.T) {
	table, _ := MethodByName("table")
	adaptive, _ := MethodByName("adaptive")
	r := Run(context.Background(), []*target.Target{target.Normal(), target.Gauss2()}, []Method{exactMethod, table, adaptive, gonumRandMethod, gonumMHMethod}, Config{N: 1000, Seed: 1}, nil)
	var buf bytes.Buffer
	require.NoError(t, WriteText(&buf, r))
	out := buf.String()
	lines := strings.Split(out, "\n")
	heads := map[string]string{}
	for i, l := range lines {
		if i+1 < len(lines) && strings.Contains(l, "targets") {
			heads[l] = strings.Join(strings.Fields(lines[i+1]), " ")
		}
	}
	assert.Equal(t, map[string]string{
		"i.i.d. methods, 1-D targets": "target method setup ns/sample accept KS W1 note",
		"i.i.d. methods, d-D targets": "target method setup ns/sample energy sliced W1 MMD² note",
		"MCMC, 1-D targets":           "target method warm-up ns/sample ESS/s R-hat ESS bulk accept KS W1 note",
		"MCMC, d-D targets":           "target method warm-up ns/sample ESS/s R-hat ESS bulk accept energy sliced W1 MMD² note",
	}, heads)
	assert.Contains(t, out, "\nnot applicable\ngauss2  n/a: table, adaptive — needs a 1-D target\n")
	assert.NotContains(t, out, "no such peer")
}
