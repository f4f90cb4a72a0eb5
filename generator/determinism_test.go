package generator

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/internal/nn"
	"github.com/variate/variate/sampler"
)

// seededRun initialises a network from a seed, takes a few Adam steps on
// a fixed loss, and samples from it: everything a trainer's result
// depends on.
func seededRun(t *testing.T, seed uint64) (params, draws []float64) {
	net, err := nn.New(2, []nn.Layer{{Out: 64, Act: nn.Act(nn.ReLU), Dropout: 0.1}, {Out: 64, Act: nn.MaxoutOf(2)}, {Out: 2}})
	require.NoError(t, err)
	rng := sampler.NewRand(seed)
	require.NoError(t, net.Init(rng, nn.HeInit))
	opt, err := nn.NewAdam(net.NumParams(), nn.DefaultAdam())
	require.NoError(t, err)
	const batch = 700
	ws := net.NewWorkspace(batch)
	x, dy := make([]float64, batch*2), make([]float64, batch*2)
	for range 3 {
		Noise{Law: Gaussian}.Fill(rng, x)
		Noise{Law: Uniform}.Fill(rng, dy)
		net.ZeroGrad()
		net.ForwardTrain(ws, x, rng)
		net.Backward(ws, dy, net.Grad(), nil)
		opt.Step(net.Params(), net.Grad())
	}
	g, err := New(Noise{Law: Uniform, Dim: 2}, net, IdentityOutput, Provenance{})
	require.NoError(t, err)
	draws = make([]float64, 2*(blockChunks*chunk+3*chunk+5)) // more than a block
	require.NoError(t, g.Sample(rng, draws))
	return append([]float64(nil), net.Params()...), draws
}

func TestSameSeedSameBitsWhateverGOMAXPROCS(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(1)
	p1, d1 := seededRun(t, 11)
	for _, procs := range []int{2, 8} {
		runtime.GOMAXPROCS(procs)
		p, d := seededRun(t, 11)
		assert.Equal(t, p1, p, "weights at GOMAXPROCS=%d", procs)
		assert.Equal(t, d1, d, "draws at GOMAXPROCS=%d", procs)
	}
	p2, _ := seededRun(t, 12)
	assert.NotEqual(t, p1, p2, "another seed gives other weights")
}
