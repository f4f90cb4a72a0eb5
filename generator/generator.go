package generator

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/variate/variate/internal/nn"
	"github.com/variate/variate/sampler"
)

// NoiseLaw names the distribution of a generator's input noise.
type NoiseLaw uint8

const (
	// Uniform draws each noise coordinate uniformly on [−1, 1).
	Uniform NoiseLaw = iota
	// Gaussian draws each noise coordinate from N(0, 1).
	Gaussian
)

// String returns "uniform" or "normal", the names the file format uses.
func (l NoiseLaw) String() string {
	switch l {
	case Uniform:
		return "uniform"
	case Gaussian:
		return "normal"
	}
	return fmt.Sprintf("NoiseLaw(%d)", uint8(l))
}

// Noise is the input law of a generator: Dim independent coordinates of
// Law.
type Noise struct {
	Law NoiseLaw
	Dim int
}

// Fill sets every element of z to an independent draw of the law, in
// index order: one rng.Float64 (Uniform) or rng.NormFloat64 (Gaussian)
// per element. This is how Sample draws its noise, row after row, so a
// trainer that draws its batches with Fill feeds the network what Sample
// will.
func (n Noise) Fill(rng *rand.Rand, z []float64) {
	switch n.Law {
	case Gaussian:
		for i := range z {
			z[i] = rng.NormFloat64()
		}
	default:
		for i := range z {
			z[i] = 2*rng.Float64() - 1
		}
	}
}

// OutputMap names a fixed map applied to each network output.
type OutputMap uint8

const (
	// IdentityOutput leaves the network's output as it is.
	IdentityOutput OutputMap = iota
	// SigmoidOutput maps each output y to 1/(1+e^−y), into (0, 1) as
	// pixel intensities are.
	SigmoidOutput
)

// String returns "identity" or "sigmoid", the names the file format uses.
func (o OutputMap) String() string {
	switch o {
	case IdentityOutput:
		return "identity"
	case SigmoidOutput:
		return "sigmoid"
	}
	return fmt.Sprintf("OutputMap(%d)", uint8(o))
}

// Apply maps y in place.
func (o OutputMap) Apply(y []float64) {
	if o != SigmoidOutput {
		return
	}
	for i, v := range y {
		if v >= 0 {
			y[i] = 1 / (1 + math.Exp(-v))
		} else {
			e := math.Exp(v)
			y[i] = e / (1 + e)
		}
	}
}

// Derive turns g, the gradient of a loss with respect to the mapped
// outputs y (as Apply left them), into the gradient with respect to the
// network's outputs, in place: for SigmoidOutput g·y(1−y). A trainer
// calls it between its loss and the network's Backward. It panics if the
// lengths differ.
func (o OutputMap) Derive(y, g []float64) {
	if len(y) != len(g) {
		panic(fmt.Sprintf("generator: Derive with %d outputs and %d gradients", len(y), len(g)))
	}
	if o != SigmoidOutput {
		return
	}
	for i, v := range y {
		g[i] *= v * (1 - v)
	}
}

// Provenance records how a generator was trained; it is saved with it.
type Provenance struct {
	Method string // the trainer, such as "gmn" or "gan"
	Loss   string // the loss it minimised, such as "mmd" or "nonsaturating"
	Steps  int    // training steps taken
	Seed   uint64 // the seed of the training run
}

// A Generator turns noise into draws: x = out(net(z)) with z drawn from
// its noise law. It is a sampler.Sampler, safe for concurrent use as long
// as nobody changes the network's parameters meanwhile.
type Generator struct {
	noise Noise
	net   *nn.Network
	out   OutputMap
	prov  Provenance
	// free holds the workspaces of calls that have returned. A sync.Pool
	// would drop them at every garbage collection, and rebuilding a
	// workspace (a megabyte at the widths of a 2-D generator) allocates
	// on a path that promises not to; the list keeps as many as calls
	// have run at once.
	mu   sync.Mutex
	free []*work
}

// chunk is the number of rows Sample and Map push through the network at
// once: large enough for an efficient matrix product, small enough that
// the activations stay in cache, and a multiple of the widths of the
// matrix product's register tiles (24 and 8 columns), so that no packed
// panel is padding.
const chunk = 384

type work struct {
	ws  *nn.Workspace
	z   []float64 // noise of one block
	job job
}

var _ sampler.Sampler = (*Generator)(nil)

// New returns the generator x = out(net(z)), z ~ noise. The generator
// keeps net (it does not copy it): Network returns it, so a trainer may go
// on updating it. It returns an error if the noise law or output map is
// unknown, the noise dimension is not positive or differs from the
// network's input width, or net is nil.
func New(noise Noise, net *nn.Network, out OutputMap, prov Provenance) (*Generator, error) {
	if net == nil {
		return nil, fmt.Errorf("generator: the network is nil")
	}
	if noise.Law != Uniform && noise.Law != Gaussian {
		return nil, fmt.Errorf("generator: unknown noise law %d; use Uniform or Gaussian", noise.Law)
	}
	if noise.Dim <= 0 {
		return nil, fmt.Errorf("generator: noise dimension is %d; use at least 1", noise.Dim)
	}
	if noise.Dim != net.In() {
		return nil, fmt.Errorf("generator: noise dimension %d does not match the network's input width %d", noise.Dim, net.In())
	}
	if out != IdentityOutput && out != SigmoidOutput {
		return nil, fmt.Errorf("generator: unknown output map %d; use IdentityOutput or SigmoidOutput", out)
	}
	g := &Generator{noise: noise, net: net, out: out, prov: prov}
	return g, nil
}

func (g *Generator) getWork() *work {
	g.mu.Lock()
	if n := len(g.free); n > 0 {
		w := g.free[n-1]
		g.free = g.free[:n-1]
		g.mu.Unlock()
		return w
	}
	g.mu.Unlock()
	return &work{ws: g.net.NewWorkspace(chunk)}
}

func (g *Generator) putWork(w *work) {
	g.mu.Lock()
	g.free = append(g.free, w)
	g.mu.Unlock()
}

// Dim is the dimension of a draw: the network's output width.
func (g *Generator) Dim() int { return g.net.Out() }

// NoiseDim is the dimension of the noise: the network's input width.
func (g *Generator) NoiseDim() int { return g.noise.Dim }

// Noise returns the noise law and dimension.
func (g *Generator) Noise() Noise { return g.noise }

// Output returns the output map.
func (g *Generator) Output() OutputMap { return g.out }

// Provenance returns the training record.
func (g *Generator) Provenance() Provenance { return g.prov }

// Network returns the generator's network itself (not a copy).
func (g *Generator) Network() *nn.Network { return g.net }

// Sample fills dst with len(dst)/Dim() draws. It draws the noise of the
// draws in order with Noise.Fill, so a seed fixes every bit of output,
// and allocates nothing once warm. Large calls share the network passes
// among up to GOMAXPROCS goroutines, in fixed chunks of rows, so the
// output does not depend on GOMAXPROCS. It returns an error, naming the draw,
// if the network produced a value that is not finite. It panics if
// len(dst) is not a multiple of Dim().
func (g *Generator) Sample(rng *rand.Rand, dst []float64) error {
	d, k := g.Dim(), g.noise.Dim
	if len(dst)%d != 0 {
		panic(fmt.Sprintf("generator: Sample destination has length %d, not a multiple of the dimension %d", len(dst), d))
	}
	w := g.getWork()
	defer g.putWork(w)
	n := len(dst) / d
	for s := 0; s < n; s += blockChunks * chunk {
		c := min(blockChunks*chunk, n-s)
		if cap(w.z) < c*k {
			w.z = make([]float64, blockChunks*chunk*k)
		}
		z := w.z[:c*k]
		g.noise.Fill(rng, z)
		g.mapRows(w, z, dst[s*d:(s+c)*d], c)
	}
	for i, v := range dst {
		if !(math.Abs(v) < math.Inf(1)) {
			return fmt.Errorf("generator: draw %d has the non-finite coordinate %v; the network's weights have diverged", i/d, v)
		}
	}
	return nil
}

// Map sets x to the generator's output on the given noise z, both stored
// row after row: len(z)/NoiseDim() rows in, as many of Dim() out. It is
// safe for concurrent use and allocates nothing once warm. It panics if
// len(z) is not a multiple of NoiseDim() or len(x) does not match.
func (g *Generator) Map(z, x []float64) {
	d, k := g.Dim(), g.noise.Dim
	if len(z)%k != 0 {
		panic(fmt.Sprintf("generator: Map noise has length %d, not a multiple of the noise dimension %d", len(z), k))
	}
	n := len(z) / k
	if len(x) != n*d {
		panic(fmt.Sprintf("generator: Map output has length %d, want %d (%d rows × %d)", len(x), n*d, n, d))
	}
	w := g.getWork()
	defer g.putWork(w)
	g.mapRows(w, z, x, n)
}
