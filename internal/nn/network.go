package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// A Layer describes one dense layer: Out output units, each the
// activation of an affine map of the layer's input, optionally followed by
// dropout during training.
type Layer struct {
	// Out is the number of output units, at least 1. A Maxout layer with
	// k pieces holds k·Out weight rows.
	Out int
	// Act is the activation; the zero value is the identity.
	Act Activation
	// Dropout is the probability, in [0, 1), that ForwardTrain zeroes an
	// output unit (the kept units are scaled by 1/(1−Dropout), so
	// inference needs no rescaling). 0 means no dropout. Forward never
	// drops.
	Dropout float64
}

// A Network is a stack of dense layers. Its parameters live in one flat
// slice (Params): for each layer in order, its weight matrix stored row
// after row ([rows, in], PyTorch's nn.Linear layout) then its bias
// [rows], where rows is Out, or k·Out for Maxout with k pieces (the pieces
// of unit j are rows j·k … j·k+k−1).
//
// Forward and Backward only read the parameters, so several goroutines
// may run them at once on one Network, each with its own Workspace.
type Network struct {
	in     int
	layers []Layer
	ins    []int // input width of each layer
	rows   []int // weight rows of each layer
	woff   []int // offset of each layer's weights in params
	boff   []int // offset of each layer's bias in params
	params []float64
	grad   []float64
	maxW   int // widest layer input, output or weight-row count
}

// New returns a network with input width in and the given layers, all
// parameters zero (call Init). It returns an error if a width is not
// positive, an activation is unknown or has a bad parameter, or a dropout
// rate is outside [0, 1).
func New(in int, layers []Layer) (*Network, error) {
	if in <= 0 {
		return nil, fmt.Errorf("nn: input width is %d; use a width of at least 1", in)
	}
	if len(layers) == 0 {
		return nil, fmt.Errorf("nn: a network needs at least one layer")
	}
	n := &Network{in: in, layers: append([]Layer(nil), layers...)}
	width, off := in, 0
	n.maxW = in
	for i, l := range layers {
		if l.Out <= 0 {
			return nil, fmt.Errorf("nn: layer %d has width %d; use a width of at least 1", i, l.Out)
		}
		if err := l.Act.validate(); err != nil {
			return nil, fmt.Errorf("nn: layer %d: %w", i, err)
		}
		if !(l.Dropout >= 0 && l.Dropout < 1) {
			return nil, fmt.Errorf("nn: layer %d has dropout rate %v; use a rate in [0, 1)", i, l.Dropout)
		}
		rows := l.Out * l.Act.pieces()
		if rows/l.Act.pieces() != l.Out || rows > math.MaxInt32 || width > math.MaxInt/rows/2 {
			return nil, fmt.Errorf("nn: layer %d is too large (%d×%d weights)", i, rows, width)
		}
		n.ins = append(n.ins, width)
		n.rows = append(n.rows, rows)
		n.woff = append(n.woff, off)
		off += rows * width
		n.boff = append(n.boff, off)
		off += rows
		n.maxW = max(n.maxW, rows)
		width = l.Out
	}
	n.params = make([]float64, off)
	n.grad = make([]float64, off)
	return n, nil
}

// In is the input width.
func (n *Network) In() int { return n.in }

// Out is the output width: the last layer's Out.
func (n *Network) Out() int { return n.layers[len(n.layers)-1].Out }

// NumLayers is the number of dense layers.
func (n *Network) NumLayers() int { return len(n.layers) }

// Layer returns the description of layer i.
func (n *Network) Layer(i int) Layer { return n.layers[i] }

// Layers returns a copy of the layer descriptions.
func (n *Network) Layers() []Layer { return append([]Layer(nil), n.layers...) }

// LayerShape returns the weight shape [rows, in] of layer i: rows is its
// Out, or k·Out for Maxout with k pieces.
func (n *Network) LayerShape(i int) (rows, in int) { return n.rows[i], n.ins[i] }

// NumParams is the number of parameters, len(Params()).
func (n *Network) NumParams() int { return len(n.params) }

// Params returns the flat parameter slice itself (not a copy): writing to
// it changes the network.
func (n *Network) Params() []float64 { return n.params }

// Grad returns a gradient buffer owned by the network, of the same length
// and layout as Params, for passing to Backward and an optimiser.
func (n *Network) Grad() []float64 { return n.grad }

// ZeroGrad sets Grad() to zero.
func (n *Network) ZeroGrad() { clear(n.grad) }

// Weight returns the view of layer i's weights, [rows, in] row after row,
// in p, a slice laid out like Params (Params itself, Grad, an optimiser's
// moment or an average).
func (n *Network) Weight(p []float64, i int) []float64 {
	return p[n.woff[i]:n.boff[i]:n.boff[i]]
}

// Bias returns the view of layer i's bias [rows] in p, a slice laid out
// like Params.
func (n *Network) Bias(p []float64, i int) []float64 {
	e := n.boff[i] + n.rows[i]
	return p[n.boff[i]:e:e]
}

// SameShape reports whether m has the same input width and layers as n,
// so that their parameter slices are interchangeable.
func (n *Network) SameShape(m *Network) bool {
	if n.in != m.in || len(n.layers) != len(m.layers) {
		return false
	}
	for i := range n.layers {
		if n.layers[i] != m.layers[i] {
			return false
		}
	}
	return true
}

// Clone returns an independent copy of the network with the same
// parameters and a zero gradient buffer.
func (n *Network) Clone() *Network {
	m := *n
	m.layers = append([]Layer(nil), n.layers...)
	m.params = append([]float64(nil), n.params...)
	m.grad = make([]float64, len(n.grad))
	return &m
}

// CopyParams sets n's parameters to src's. It panics if the shapes
// differ.
func (n *Network) CopyParams(src *Network) {
	if !n.SameShape(src) {
		panic("nn: CopyParams between networks of different shapes")
	}
	copy(n.params, src.params)
}

// An Init is a weight initialisation scheme. Biases always start at zero
// except under TorchDefault.
type Init struct {
	Scheme Scheme
	// Sigma is the standard deviation of the Normal scheme.
	Sigma float64
}

// Scheme names a family of initial weight distributions.
type Scheme uint8

const (
	// He draws weights from N(0, 2/in) (He et al. 2015), for ReLU-like
	// activations.
	He Scheme = iota
	// Glorot draws weights uniformly on ±√(6/(in+rows)) (Glorot & Bengio
	// 2010), for tanh and sigmoid.
	Glorot
	// Normal draws weights from N(0, Sigma²).
	Normal
	// TorchDefault draws weights and biases uniformly on ±1/√in, as
	// PyTorch's nn.Linear does by default.
	TorchDefault
)

// HeInit, GlorotInit and TorchInit are the Inits of their schemes (for
// Normal, use NormalInit).
var (
	HeInit     = Init{Scheme: He}
	GlorotInit = Init{Scheme: Glorot}
	TorchInit  = Init{Scheme: TorchDefault}
)

// NormalInit returns the Init drawing weights from N(0, sigma²).
func NormalInit(sigma float64) Init { return Init{Scheme: Normal, Sigma: sigma} }

// Init sets every parameter from rng by the scheme: the weights of layer
// 0 row after row, then its bias, then layer 1, and so on, so a seed fixes
// every bit. It returns an error for an unknown scheme or a Sigma that is
// not positive and finite under Normal.
func (n *Network) Init(rng *rand.Rand, init Init) error {
	switch init.Scheme {
	case He, Glorot, TorchDefault:
	case Normal:
		if !(init.Sigma > 0 && init.Sigma < math.Inf(1)) {
			return fmt.Errorf("nn: normal initialisation needs a positive finite sigma, got %v", init.Sigma)
		}
	default:
		return fmt.Errorf("nn: unknown initialisation scheme %d", init.Scheme)
	}
	for i := range n.layers {
		w, b := n.Weight(n.params, i), n.Bias(n.params, i)
		in, rows := float64(n.ins[i]), float64(n.rows[i])
		switch init.Scheme {
		case He, Normal:
			s := init.Sigma
			if init.Scheme == He {
				s = math.Sqrt(2 / in)
			}
			for j := range w {
				w[j] = s * rng.NormFloat64()
			}
			clear(b)
		case Glorot:
			a := math.Sqrt(6 / (in + rows))
			for j := range w {
				w[j] = a * (2*rng.Float64() - 1)
			}
			clear(b)
		case TorchDefault:
			a := 1 / math.Sqrt(in)
			for j := range w {
				w[j] = a * (2*rng.Float64() - 1)
			}
			for j := range b {
				b[j] = a * (2*rng.Float64() - 1)
			}
		}
	}
	return nil
}
