package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/sampler"
)

// naiveForward computes the network on one input row by the definitions,
// independently of the batched code.
func naiveForward(n *Network, x []float64) []float64 {
	in := x
	for i, l := range n.layers {
		rows, inW := n.LayerShape(i)
		w, b := n.Weight(n.params, i), n.Bias(n.params, i)
		z := make([]float64, rows)
		for r := range rows {
			s := b[r]
			for c := range inW {
				s += w[r*inW+c] * in[c]
			}
			z[r] = s
		}
		out := make([]float64, l.Out)
		for u := range out {
			switch l.Act.Kind {
			case Identity:
				out[u] = z[u]
			case ReLU:
				out[u] = math.Max(z[u], 0)
			case LeakyReLU:
				out[u] = z[u]
				if z[u] < 0 {
					out[u] = l.Act.Slope * z[u]
				}
			case Tanh:
				out[u] = math.Tanh(z[u])
			case Sigmoid:
				out[u] = 1 / (1 + math.Exp(-z[u]))
			case Softplus:
				out[u] = math.Log(1 + math.Exp(z[u]))
			case Maxout:
				k := l.Act.Pieces
				out[u] = z[u*k]
				for p := 1; p < k; p++ {
					out[u] = math.Max(out[u], z[u*k+p])
				}
			}
		}
		in = out
	}
	return in
}

func allKindsLayers() []Layer {
	return []Layer{
		{Out: 6, Act: Act(Tanh)},
		{Out: 5, Act: MaxoutOf(3)},
		{Out: 7, Act: Leaky(0.1), Dropout: 0.3},
		{Out: 5, Act: Act(Softplus)},
		{Out: 6, Act: Act(ReLU), Dropout: 0.2},
		{Out: 4, Act: Act(Sigmoid)},
		{Out: 3, Act: Act(Identity)},
	}
}

func newNet(t testing.TB, in int, layers []Layer, seed uint64) *Network {
	t.Helper()
	n, err := New(in, layers)
	require.NoError(t, err)
	require.NoError(t, n.Init(sampler.NewRand(seed), NormalInit(0.8)))
	// Non-zero biases so that the bias gradient is exercised away from 0.
	rng := sampler.NewRand(seed + 1)
	for i := range n.NumLayers() {
		for j, b := 0, n.Bias(n.params, i); j < len(b); j++ {
			b[j] = 0.3 * rng.NormFloat64()
		}
	}
	return n
}

func randSlice(rng *rand.Rand, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	return x
}

func TestForwardMatchesDefinition(t *testing.T) {
	n := newNet(t, 4, allKindsLayers(), 1)
	rng := sampler.NewRand(2)
	const rows = 9
	x := randSlice(rng, rows*4)
	ws := n.NewWorkspace(16)
	y := n.Forward(ws, x)
	require.Len(t, y, rows*3)
	for r := range rows {
		want := naiveForward(n, x[r*4:(r+1)*4])
		for j, v := range want {
			assert.InDelta(t, v, y[r*3+j], 1e-12*math.Max(1, math.Abs(v)), "row %d output %d", r, j)
		}
	}
}

// pattern records every piecewise choice of the last forward pass: the
// sign of each ReLU/LeakyReLU output and each Maxout winner. A finite
// difference whose two evaluations differ in pattern from the base
// straddles a kink and says nothing about the derivative.
func pattern(n *Network, ws *Workspace) []int32 {
	var p []int32
	for i, l := range n.layers {
		switch l.Act.Kind {
		case ReLU, LeakyReLU:
			for _, v := range ws.act[i][:ws.r*l.Out] {
				if v > 0 {
					p = append(p, 1)
				} else {
					p = append(p, 0)
				}
			}
		case Maxout:
			p = append(p, ws.arg[i][:ws.r*l.Out]...)
		}
	}
	return p
}

func equalPattern(a, b []int32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// checkGradients compares Backward's parameter and input gradients of the
// loss Σ c·y with central differences. dropSeed fixes the dropout masks.
func checkGradients(t *testing.T, n *Network, rows int, seed uint64) {
	t.Helper()
	rng := sampler.NewRand(seed)
	x := randSlice(rng, rows*n.In())
	c := randSlice(rng, rows*n.Out())
	ws := n.NewWorkspace(rows)
	const dropSeed = 77
	loss := func() (float64, []int32) {
		y := n.ForwardTrain(ws, x, sampler.NewRand(dropSeed))
		var s float64
		for i, v := range y {
			s += c[i] * v
		}
		return s, pattern(n, ws)
	}
	_, base := loss()
	grad := make([]float64, n.NumParams())
	dx := make([]float64, len(x))
	n.Backward(ws, c, grad, dx)

	const h = 1e-5
	var skipped, checked int
	check := func(what string, v []float64, i int, an float64, scale float64) {
		old := v[i]
		v[i] = old + h
		lp, pp := loss()
		v[i] = old - h
		lm, pm := loss()
		v[i] = old
		if !equalPattern(pp, base) || !equalPattern(pm, base) {
			skipped++
			return
		}
		checked++
		fd := (lp - lm) / (2 * h)
		den := math.Max(math.Abs(an), 1e-2*scale)
		assert.LessOrEqual(t, math.Abs(fd-an)/den, 1e-6, "%s[%d]: backward %v, central difference %v", what, i, an, fd)
	}
	maxAbs := func(v []float64) float64 {
		var m float64
		for _, x := range v {
			m = math.Max(m, math.Abs(x))
		}
		return m
	}
	gs, xs := maxAbs(grad), maxAbs(dx)
	require.Greater(t, gs, 0.0)
	require.Greater(t, xs, 0.0)
	for i := range n.params {
		check("param", n.params, i, grad[i], gs)
	}
	for i := range x {
		check("input", x, i, dx[i], xs)
	}
	assert.LessOrEqual(t, skipped, (skipped+checked)/50, "too many differences straddle a kink")
}

func TestGradientsEveryActivation(t *testing.T) {
	acts := []Activation{Act(Identity), Act(ReLU), Leaky(0.2), Leaky(0), Act(Tanh), Act(Sigmoid), Act(Softplus), MaxoutOf(2), MaxoutOf(4)}
	for i, a := range acts {
		t.Run(a.String(), func(t *testing.T) {
			n := newNet(t, 3, []Layer{{Out: 5, Act: a}, {Out: 4, Act: a}, {Out: 2}}, uint64(10+i))
			checkGradients(t, n, 6, uint64(100+i))
		})
	}
}

func TestGradientsMixedNetworkWithDropout(t *testing.T) {
	n := newNet(t, 4, allKindsLayers(), 3)
	checkGradients(t, n, 7, 4)
}

func TestGradientsAccumulate(t *testing.T) {
	n := newNet(t, 3, []Layer{{Out: 4, Act: Act(Tanh)}, {Out: 2}}, 5)
	rng := sampler.NewRand(6)
	x, dy := randSlice(rng, 2*3), randSlice(rng, 2*2)
	ws := n.NewWorkspace(2)
	n.Forward(ws, x)
	once := make([]float64, n.NumParams())
	n.Backward(ws, dy, once, nil)
	twice := make([]float64, n.NumParams())
	n.Backward(ws, dy, twice, nil)
	n.Backward(ws, dy, twice, nil)
	for i := range once {
		assert.InDelta(t, 2*once[i], twice[i], 1e-15*math.Abs(once[i]))
	}
}

func TestDropout(t *testing.T) {
	n, err := New(1, []Layer{{Out: 1000, Act: Act(Identity), Dropout: 0.25}})
	require.NoError(t, err)
	w := n.Weight(n.params, 0)
	for i := range w {
		w[i] = 1
	}
	ws := n.NewWorkspace(1)
	y := n.Forward(ws, []float64{2})
	for _, v := range y {
		require.Equal(t, 2.0, v, "Forward must not drop")
	}
	y = n.ForwardTrain(ws, []float64{2}, sampler.NewRand(1))
	var zeros int
	for _, v := range y {
		if v == 0 {
			zeros++
		} else {
			require.InDelta(t, 2/0.75, v, 1e-15)
		}
	}
	// Binomial(1000, 0.25): mean 250, sd 13.7; ±80 is over 5.8 sd, so a
	// correct implementation fails with probability below 1e-8.
	assert.InDelta(t, 250, zeros, 80)
	// The same stream gives the same mask.
	a := append([]float64(nil), y...)
	assert.Equal(t, a, n.ForwardTrain(ws, []float64{2}, sampler.NewRand(1)))
}

func TestNewRejectsBadInput(t *testing.T) {
	for _, c := range []struct {
		name   string
		in     int
		layers []Layer
		msg    string
	}{
		{"zero input", 0, []Layer{{Out: 1}}, "input width is 0"},
		{"no layers", 2, nil, "at least one layer"},
		{"zero width", 2, []Layer{{Out: 3}, {Out: 0}}, "layer 1 has width 0"},
		{"negative width", 2, []Layer{{Out: -1}}, "layer 0 has width -1"},
		{"unknown activation", 2, []Layer{{Out: 1, Act: Activation{Kind: 99}}}, "unknown activation"},
		{"maxout one piece", 2, []Layer{{Out: 1, Act: MaxoutOf(1)}}, "maxout has 1 pieces"},
		{"leaky slope", 2, []Layer{{Out: 1, Act: Leaky(1.5)}}, "slope is 1.5"},
		{"leaky NaN", 2, []Layer{{Out: 1, Act: Leaky(math.NaN())}}, "slope is NaN"},
		{"dropout 1", 2, []Layer{{Out: 1, Dropout: 1}}, "dropout rate 1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := New(c.in, c.layers)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.msg)
		})
	}
	n, err := New(2, []Layer{{Out: 1}})
	require.NoError(t, err)
	assert.ErrorContains(t, n.Init(sampler.NewRand(1), NormalInit(0)), "sigma")
	assert.ErrorContains(t, n.Init(sampler.NewRand(1), Init{Scheme: 42}), "unknown initialisation")
}

func TestWrongLengthsPanic(t *testing.T) {
	n, err := New(3, []Layer{{Out: 4, Act: Act(ReLU)}, {Out: 2}})
	require.NoError(t, err)
	ws := n.NewWorkspace(4)
	other, _ := New(3, []Layer{{Out: 2}})
	assert.PanicsWithValue(t, "nn: Backward before a forward pass on the workspace", func() { n.Backward(ws, make([]float64, 2), nil, nil) })
	assert.Panics(t, func() { n.Forward(ws, make([]float64, 5)) }, "not a multiple of the width")
	assert.Panics(t, func() { n.Forward(ws, make([]float64, 15)) }, "batch beyond the workspace")
	assert.Panics(t, func() { other.Forward(ws, make([]float64, 3)) }, "workspace of another network")
	assert.Panics(t, func() { n.NewWorkspace(0) })
	n.Forward(ws, make([]float64, 6))
	assert.Panics(t, func() { n.Backward(ws, make([]float64, 3), nil, nil) }, "dy length")
	assert.Panics(t, func() { n.Backward(ws, make([]float64, 4), make([]float64, 3), nil) }, "grad length")
	assert.Panics(t, func() { n.Backward(ws, make([]float64, 4), nil, make([]float64, 5)) }, "dx length")
	assert.NotPanics(t, func() { n.Backward(ws, make([]float64, 4), n.Grad(), make([]float64, 6)) })
}

func TestActivationStringRoundTrip(t *testing.T) {
	for _, a := range []Activation{Act(Identity), Act(ReLU), Leaky(0.2), Act(Tanh), Act(Sigmoid), Act(Softplus), MaxoutOf(5)} {
		b, err := ParseActivation(a.String())
		require.NoError(t, err, a.String())
		assert.Equal(t, a, b)
	}
	for _, s := range []string{"", "gelu", "relu(2)", "maxout", "maxout(1)", "maxout(x)", "leaky_relu", "leaky_relu(2)", "leaky_relu(0.1", "leaky_relu(nan)"} {
		_, err := ParseActivation(s)
		assert.Error(t, err, s)
	}
}

func TestInitIsDeterministicAndScaled(t *testing.T) {
	layers := []Layer{{Out: 400, Act: Act(ReLU)}, {Out: 300, Act: Act(Tanh)}}
	for _, c := range []struct {
		init Init
		sd0  float64 // expected standard deviation of layer 0's weights
	}{
		{HeInit, math.Sqrt(2.0 / 200)},
		{GlorotInit, math.Sqrt(6.0/(200+400)) / math.Sqrt(3)},
		{NormalInit(0.05), 0.05},
		{TorchInit, 1 / math.Sqrt(200) / math.Sqrt(3)},
	} {
		a, _ := New(200, layers)
		b, _ := New(200, layers)
		require.NoError(t, a.Init(sampler.NewRand(9), c.init))
		require.NoError(t, b.Init(sampler.NewRand(9), c.init))
		assert.Equal(t, a.Params(), b.Params())
		w := a.Weight(a.Params(), 0)
		var ss float64
		for _, v := range w {
			ss += v * v
		}
		// 80000 draws: the sample sd is within 1% of the truth with
		// probability far above 1 − 1e-6 (its relative sd is 0.25% to 0.4%).
		assert.InEpsilon(t, c.sd0, math.Sqrt(ss/float64(len(w))), 0.02, "%+v", c.init)
	}
}

func TestTrainingStepAllocatesNothing(t *testing.T) {
	n := newNet(t, 2, []Layer{{Out: 32, Act: Act(ReLU), Dropout: 0.1}, {Out: 16, Act: MaxoutOf(3)}, {Out: 1}}, 1)
	rng := sampler.NewRand(2)
	x, dy := randSlice(rng, 64*2), randSlice(rng, 64)
	dx := make([]float64, len(x))
	ws := n.NewWorkspace(64)
	opt, err := NewAdam(n.NumParams(), DefaultAdam())
	require.NoError(t, err)
	ema, err := NewEMA(n.Params(), 0.99)
	require.NoError(t, err)
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	allocs := testing.AllocsPerRun(20, func() {
		n.ZeroGrad()
		n.ForwardTrain(ws, x, rng)
		n.Backward(ws, dy, n.Grad(), dx)
		opt.Step(n.Params(), n.Grad())
		ema.Update(n.Params())
	})
	assert.Zero(t, allocs)
}

func TestPredictMatchesForward(t *testing.T) {
	for _, layers := range [][]Layer{
		allKindsLayers(),
		{{Out: 128, Act: Act(ReLU)}, {Out: 128, Act: Act(ReLU)}, {Out: 2}},
		{{Out: 1, Act: Act(Tanh)}},
	} {
		n := newNet(t, 2, layers, 21)
		rng := sampler.NewRand(22)
		for _, rows := range []int{1, 7, 40} {
			x := randSlice(rng, rows*2)
			ws := n.NewWorkspace(40)
			want := append([]float64(nil), n.Forward(ws, x)...)
			got := make([]float64, len(want))
			n.Predict(ws, x, got)
			for i := range want {
				assert.InDelta(t, want[i], got[i], 1e-14*math.Max(1, math.Abs(want[i])), "rows %d, element %d", rows, i)
			}
			assert.Panics(t, func() { n.Backward(ws, want, nil, nil) }, "Backward after Predict")

			// A serial workspace gives the same bits.
			serial := n.NewWorkspace(40)
			serial.SetSerial(true)
			got2 := make([]float64, len(want))
			n.Predict(serial, x, got2)
			assert.Equal(t, got, got2, "serial Predict, rows %d", rows)
			assert.Equal(t, want, n.Forward(serial, x), "serial Forward, rows %d", rows)
		}
	}
	n := newNet(t, 2, []Layer{{Out: 3}}, 1)
	ws := n.NewWorkspace(4)
	assert.Panics(t, func() { n.Predict(ws, make([]float64, 4), make([]float64, 5)) })
	assert.Panics(t, func() { n.Predict(ws, make([]float64, 3), make([]float64, 3)) })
	assert.Panics(t, func() { n.Predict(ws, make([]float64, 10), make([]float64, 15)) })
}

func TestParameterViewsAndCopies(t *testing.T) {
	n := newNet(t, 3, []Layer{{Out: 4, Act: MaxoutOf(2)}, {Out: 2}}, 5)
	rows, in := n.LayerShape(0)
	assert.Equal(t, [2]int{8, 3}, [2]int{rows, in})
	rows, in = n.LayerShape(1)
	assert.Equal(t, [2]int{2, 4}, [2]int{rows, in})
	assert.Equal(t, 8*3+8+2*4+2, n.NumParams())
	// The views tile the flat slice in order: weights then bias, per layer.
	p := n.Params()
	assert.Same(t, &p[0], &n.Weight(p, 0)[0])
	assert.Same(t, &p[24], &n.Bias(p, 0)[0])
	assert.Same(t, &p[32], &n.Weight(p, 1)[0])
	assert.Same(t, &p[40], &n.Bias(p, 1)[0])
	assert.Len(t, n.Bias(p, 1), 2)
	assert.Equal(t, 2, cap(n.Bias(p, 1)), "a view cannot be appended into its neighbour")

	c := n.Clone()
	require.True(t, c.SameShape(n))
	assert.Equal(t, n.Params(), c.Params())
	c.Params()[0] += 1
	assert.NotEqual(t, n.Params()[0], c.Params()[0], "a clone is independent")
	c.CopyParams(n)
	assert.Equal(t, n.Params(), c.Params())
	other, _ := New(3, []Layer{{Out: 4, Act: MaxoutOf(3)}, {Out: 2}})
	assert.False(t, other.SameShape(n))
	assert.Panics(t, func() { other.CopyParams(n) })
	assert.Equal(t, n.Layers(), c.Layers())
	assert.Equal(t, 3, n.In())
	assert.Equal(t, 2, n.Out())
	assert.Equal(t, 2, n.NumLayers())
}

func FuzzParseActivation(f *testing.F) {
	for _, s := range []string{"relu", "leaky_relu(0.2)", "maxout(3)", "tanh", "maxout(-1)", "leaky_relu(1e-300)", "x(", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseActivation(s)
		if err != nil {
			return
		}
		require.NoError(t, a.validate())
		b, err := ParseActivation(a.String())
		require.NoError(t, err)
		require.Equal(t, a, b)
	})
}

func TestActivationsStayFiniteAtExtremes(t *testing.T) {
	for _, a := range []Activation{Act(Sigmoid), Act(Softplus), Act(Tanh), Act(ReLU), Leaky(0.1), Act(Identity)} {
		n, err := New(1, []Layer{{Out: 1, Act: a}})
		require.NoError(t, err)
		n.Weight(n.params, 0)[0] = 1
		ws := n.NewWorkspace(4)
		x := []float64{-1000, -40, 40, 1000}
		y := append([]float64(nil), n.Forward(ws, x)...)
		dx := make([]float64, 4)
		n.Backward(ws, []float64{1, 1, 1, 1}, n.Grad(), dx)
		for i := range y {
			assert.False(t, math.IsNaN(y[i]) || math.IsInf(y[i], 0), "%v(%v) = %v", a, x[i], y[i])
			assert.False(t, math.IsNaN(dx[i]) || math.IsInf(dx[i], 0), "%v'(%v) = %v", a, x[i], dx[i])
		}
		switch a.Kind {
		case Softplus:
			assert.Equal(t, 1000.0, y[3])
			assert.InDelta(t, 1, dx[3], 1e-15)
			assert.InDelta(t, math.Exp(-40), y[1], 1e-30)
		case Sigmoid:
			assert.Equal(t, 1.0, y[3])
			assert.Equal(t, 0.0, y[0])
		}
	}
}
