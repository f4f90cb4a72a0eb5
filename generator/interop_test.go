package generator

import (
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/internal/nn"
	"github.com/variate/variate/sampler"
)

var update = flag.Bool("update", false, "rewrite testdata/variate_gen.safetensors and its outputs")

type fixtureOutputs struct {
	Torch string    `json:"torch,omitempty"`
	Z     []float64 `json:"z"`
	X     []float64 `json:"x"`
}

// TestTorchFixtures loads files written by PyTorch
// (testdata/make_torch_fixture.py make) and reproduces PyTorch's outputs.
func TestTorchFixtures(t *testing.T) {
	for _, name := range []string{"torch_mlp", "torch_maxout"} {
		t.Run(name, func(t *testing.T) {
			g, err := Load(filepath.Join("testdata", name+".safetensors"))
			require.NoError(t, err)
			b, err := os.ReadFile(filepath.Join("testdata", name+"_outputs.json"))
			require.NoError(t, err)
			var ref fixtureOutputs
			require.NoError(t, json.Unmarshal(b, &ref))
			require.Equal(t, len(ref.Z)/g.NoiseDim()*g.Dim(), len(ref.X))
			x := make([]float64, len(ref.X))
			g.Map(ref.Z, x)
			var worst float64
			for i := range x {
				worst = math.Max(worst, math.Abs(x[i]-ref.X[i]))
			}
			assert.LessOrEqual(t, worst, 1e-12, "largest difference from PyTorch")
			t.Logf("largest difference from PyTorch %s: %.3g", ref.Torch, worst)
		})
	}
}

// variateFixture is the generator whose saved file PyTorch reads
// (make_torch_fixture.py check): every activation, sigmoid output.
func variateFixture(t testing.TB) *Generator {
	net, err := nn.New(3, []nn.Layer{
		{Out: 16, Act: nn.Act(nn.Tanh)},
		{Out: 12, Act: nn.MaxoutOf(3)},
		{Out: 10, Act: nn.Leaky(0.2)},
		{Out: 8, Act: nn.Act(nn.Softplus)},
		{Out: 8, Act: nn.Act(nn.ReLU)},
		{Out: 6, Act: nn.Act(nn.Sigmoid)},
		{Out: 2},
	})
	require.NoError(t, err)
	require.NoError(t, net.Init(sampler.NewRand(2026), nn.TorchInit))
	g, err := New(Noise{Law: Uniform, Dim: 3}, net, SigmoidOutput, Provenance{Method: "fixture", Loss: "none", Steps: 0, Seed: 2026})
	require.NoError(t, err)
	return g
}

// TestVariateFixture checks that the committed file is what Save writes
// today, so the PyTorch check of it still speaks for this code. Run with
// -update to rewrite it, then make_torch_fixture.py check.
func TestVariateFixture(t *testing.T) {
	g := variateFixture(t)
	z := make([]float64, 64*g.NoiseDim())
	g.Noise().Fill(sampler.NewRand(7), z)
	x := make([]float64, 64*g.Dim())
	g.Map(z, x)
	file := filepath.Join("testdata", "variate_gen.safetensors")
	outs := filepath.Join("testdata", "variate_gen_outputs.json")
	if *update {
		require.NoError(t, g.Save(file))
		b, err := json.Marshal(fixtureOutputs{Z: z, X: x})
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(outs, append(b, '\n'), 0o644))
	}
	tmp := filepath.Join(t.TempDir(), "g.safetensors")
	require.NoError(t, g.Save(tmp))
	want, err := os.ReadFile(file)
	require.NoError(t, err)
	got, err := os.ReadFile(tmp)
	require.NoError(t, err)
	assert.Equal(t, want, got, "Save no longer writes the committed fixture; rerun with -update and make_torch_fixture.py check")
	b, err := os.ReadFile(outs)
	require.NoError(t, err)
	var ref fixtureOutputs
	require.NoError(t, json.Unmarshal(b, &ref))
	assert.Equal(t, z, ref.Z)
	// The outputs depend on the matrix-product path's rounding (FMA or
	// not, the order of a block), so they are compared to a tolerance.
	assert.InDeltaSlice(t, ref.X, x, 1e-13)
}
