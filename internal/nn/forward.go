package nn

import (
	"fmt"
	"math/rand/v2"

	"github.com/variate/variate/internal/kernels"
)

// A Workspace holds the buffers of one forward and backward pass over a
// batch of up to MaxBatch rows: every layer's activations (kept for
// Backward), Maxout's winning pieces, dropout masks and the backward
// scratch. After NewWorkspace, Forward and Backward allocate nothing.
//
// A Workspace belongs to the Network that made it and is not safe for
// concurrent use; give each goroutine its own.
type Workspace struct {
	net   *Network
	cap   int
	r     int       // rows of the last forward pass; -1 before the first
	x     []float64 // input of the last forward pass (the caller's slice)
	train bool      // whether the last forward pass applied dropout

	z    [][]float64 // per layer [cap, rows]: linear output, activated in place unless Maxout
	act  [][]float64 // per layer [cap, out]: activation output (z itself unless Maxout)
	out  [][]float64 // per layer [cap, out]: what the next layer reads (act, or its dropped-out copy)
	arg  [][]int32   // Maxout layers: the winning piece of each output
	mask [][]float64 // dropout layers: 0 or 1/(1−p) per output
	d0   []float64   // backward scratch [cap, maxW]
	d1   []float64
	ones []float64 // cap ones, the weights of the bias gradient's row sum

	serial bool // products on the calling goroutine only
}

// SetSerial makes the passes that use ws compute their matrix products on
// the calling goroutine alone when on is true (by default a large product
// shares itself over GOMAXPROCS goroutines). A caller that already runs
// several batches at once, one workspace each, sets it to spare the
// products the hand-offs. The bits are the same either way.
func (ws *Workspace) SetSerial(on bool) { ws.serial = on }

// gemm is kernels.Gemm, or kernels.GemmSerial when ws is serial.
func (ws *Workspace) gemm(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if ws.serial {
		kernels.GemmSerial(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	kernels.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// NewWorkspace returns the buffers for batches of at most maxBatch rows.
// It panics if maxBatch < 1.
func (n *Network) NewWorkspace(maxBatch int) *Workspace {
	if maxBatch < 1 {
		panic(fmt.Sprintf("nn: NewWorkspace needs maxBatch >= 1, got %d", maxBatch))
	}
	L := len(n.layers)
	ws := &Workspace{net: n, cap: maxBatch, r: -1,
		z: make([][]float64, L), act: make([][]float64, L), out: make([][]float64, L),
		arg: make([][]int32, L), mask: make([][]float64, L)}
	for i, l := range n.layers {
		ws.z[i] = make([]float64, maxBatch*n.rows[i])
		ws.act[i] = ws.z[i]
		if l.Act.Kind == Maxout {
			ws.act[i] = make([]float64, maxBatch*l.Out)
			ws.arg[i] = make([]int32, maxBatch*l.Out)
		}
		ws.out[i] = ws.act[i]
		if l.Dropout > 0 {
			ws.out[i] = make([]float64, maxBatch*l.Out)
			ws.mask[i] = make([]float64, maxBatch*l.Out)
		}
	}
	ws.d0 = make([]float64, maxBatch*n.maxW)
	ws.d1 = make([]float64, maxBatch*n.maxW)
	ws.ones = make([]float64, maxBatch)
	for i := range ws.ones {
		ws.ones[i] = 1
	}
	return ws
}

// MaxBatch is the largest batch the workspace holds.
func (ws *Workspace) MaxBatch() int { return ws.cap }

// Forward computes the network's output on the batch x, stored row after
// row (len(x)/In() rows), without dropout, and returns it as a slice of
// the workspace, [rows, Out()], valid until the next pass on ws. The
// activations stay in ws for Backward, which also reads x: leave x
// unchanged until then.
//
// It panics if ws was made by another network, len(x) is not a multiple
// of In(), or the batch exceeds ws.MaxBatch().
func (n *Network) Forward(ws *Workspace, x []float64) []float64 {
	return n.forward(ws, x, nil)
}

// ForwardTrain is Forward with dropout: each output unit of a layer with
// Dropout p is zeroed with probability p, drawing one rng.Float64 per unit
// of each such layer in order (layer, row, unit), and the kept ones are
// scaled by 1/(1−p). Without dropout layers, or with a nil rng, it is
// Forward and draws nothing.
func (n *Network) ForwardTrain(ws *Workspace, x []float64, rng *rand.Rand) []float64 {
	return n.forward(ws, x, rng)
}

func (n *Network) forward(ws *Workspace, x []float64, rng *rand.Rand) []float64 {
	if ws.net != n {
		panic("nn: Forward with a workspace of another network")
	}
	if len(x)%n.in != 0 {
		panic(fmt.Sprintf("nn: Forward input has length %d, not a multiple of the input width %d", len(x), n.in))
	}
	r := len(x) / n.in
	if r > ws.cap {
		panic(fmt.Sprintf("nn: Forward batch of %d rows exceeds the workspace's %d", r, ws.cap))
	}
	ws.r, ws.x, ws.train = r, x, rng != nil
	in := x
	for i, l := range n.layers {
		rows, inW := n.rows[i], n.ins[i]
		z := ws.z[i][:r*rows]
		w, b := n.Weight(n.params, i), n.Bias(n.params, i)
		if r > 0 {
			ws.gemm(false, true, r, rows, inW, 1, in, inW, w, inW, 0, z, rows)
		}
		if l.Act.Kind == Maxout {
			maxout(z, b, ws.act[i][:r*l.Out], ws.arg[i][:r*l.Out], l.Act.Pieces)
		} else {
			biasActivate(l.Act, z, b)
		}
		out := ws.act[i][:r*l.Out]
		if l.Dropout > 0 {
			mask, dst := ws.mask[i][:r*l.Out], ws.out[i][:r*l.Out]
			if rng != nil {
				scale := 1 / (1 - l.Dropout)
				for j, v := range out {
					if rng.Float64() < l.Dropout {
						mask[j], dst[j] = 0, 0
					} else {
						mask[j], dst[j] = scale, v*scale
					}
				}
				out = dst
			}
		}
		in = out
	}
	return in
}

// biasActivate adds b to every row of z and applies a in place. ReLU and
// LeakyReLU select by the sign bit instead of branching (half the signs
// of a layer are negative, and a branch on them mispredicts constantly),
// in vector registers where the processor has them. (A NaN with its sign
// bit set becomes 0 under ReLU; Sample's finiteness check still sees a
// diverged network, whose NaNs are not all negative.)
func biasActivate(a Activation, z, b []float64) {
	switch a.Kind {
	case ReLU:
		kernels.BiasReLURows(z, b)
		return
	case LeakyReLU:
		kernels.BiasLeakyRows(z, b, a.Slope)
		return
	}
	kernels.AddBiasRows(z, b)
	activate(a, z)
}

// maxout sets y to the largest of each unit's k biased pieces in z (which
// receives the bias too) and records the winner's index (the first, on a
// tie) in arg.
func maxout(z, b, y []float64, arg []int32, k int) {
	rows := len(b)
	for o := 0; o+rows <= len(z); o += rows {
		row := z[o : o+rows]
		for j := range row {
			row[j] += b[j]
		}
	}
	for u := range y {
		p := z[u*k : u*k+k]
		best, bi := p[0], 0
		for j := 1; j < k; j++ {
			if p[j] > best {
				best, bi = p[j], j
			}
		}
		y[u], arg[u] = best, int32(bi)
	}
}

// Backward back-propagates dy, the gradient of a loss with respect to the
// output of the last Forward or ForwardTrain on ws ([rows, Out()]), and
//   - adds the gradient with respect to the parameters to grad (laid out
//     like Params; nil skips it), so that several batches accumulate;
//   - sets dx ([rows, In()]) to the gradient with respect to the input x
//     (nil skips it), for back-propagating into a network that fed x.
//
// It reads dy, leaves it unchanged and allocates nothing. It panics if no
// forward pass ran on ws or a length does not match.
func (n *Network) Backward(ws *Workspace, dy, grad, dx []float64) {
	if ws.net != n {
		panic("nn: Backward with a workspace of another network")
	}
	r := ws.r
	if r < 0 {
		panic("nn: Backward before a forward pass on the workspace")
	}
	if len(dy) != r*n.Out() {
		panic(fmt.Sprintf("nn: Backward output gradient has length %d, want %d (%d rows × %d outputs)", len(dy), r*n.Out(), r, n.Out()))
	}
	if grad != nil && len(grad) != len(n.params) {
		panic(fmt.Sprintf("nn: Backward parameter gradient has length %d, want %d", len(grad), len(n.params)))
	}
	if dx != nil && len(dx) != r*n.in {
		panic(fmt.Sprintf("nn: Backward input gradient has length %d, want %d (%d rows × %d inputs)", len(dx), r*n.in, r, n.in))
	}
	g := dy // gradient with respect to the current layer's output
	for i := len(n.layers) - 1; i >= 0; i-- {
		l := n.layers[i]
		rows, inW, out := n.rows[i], n.ins[i], l.Out
		// Pick scratch: the dz buffer may be g itself if g is scratch and
		// the activation is elementwise.
		var dz []float64
		other := ws.d0
		if sameBuf(g, ws.d0) {
			other = ws.d1
		}
		if l.Dropout > 0 && ws.train {
			m := ws.mask[i][:r*out]
			t := other[:r*out]
			for j, v := range g[:r*out] {
				t[j] = v * m[j]
			}
			g = t
			other = ws.d0
			if sameBuf(g, ws.d0) {
				other = ws.d1
			}
		}
		if l.Act.Kind == Maxout {
			dz = other[:r*rows]
			clear(dz)
			k := l.Act.Pieces
			arg := ws.arg[i][:r*out]
			for u, v := range g[:r*out] {
				dz[u*k+int(arg[u])] = v
			}
		} else {
			dz = g[:r*rows]
			if sameBuf(g, dy) {
				dz = other[:r*rows]
			}
			derive(l.Act, ws.act[i][:r*out], g, dz)
		}
		var in []float64
		if i == 0 {
			in = ws.x
		} else {
			in = ws.layerOut(i - 1)[:r*inW]
		}
		if grad != nil && r > 0 {
			ws.gemm(true, false, rows, inW, r, 1, dz, rows, in, inW, 1, n.Weight(grad, i), inW)
			// The bias gradient: the rows of dz added in order, as
			// weighted rows of weight one (exact products).
			kernels.AddWeighted(n.Bias(grad, i), ws.ones[:r], dz)
		}
		if i == 0 && dx == nil {
			break
		}
		var dIn []float64
		if i == 0 {
			dIn = dx
		} else if sameBuf(dz, ws.d0) {
			dIn = ws.d1[:r*inW]
		} else {
			dIn = ws.d0[:r*inW]
		}
		if r > 0 {
			ws.gemm(false, false, r, inW, rows, 1, dz, rows, n.Weight(n.params, i), inW, 0, dIn, inW)
		}
		g = dIn
	}
}

// layerOut is the buffer layer i's output was left in by the last
// forward pass.
func (ws *Workspace) layerOut(i int) []float64 {
	if ws.train {
		return ws.out[i]
	}
	return ws.act[i]
}

// sameBuf reports whether a and b start at the same element.
func sameBuf(a, b []float64) bool {
	return cap(a) > 0 && cap(b) > 0 && &a[:1][0] == &b[:1][0]
}
