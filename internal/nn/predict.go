package nn

import (
	"fmt"

	"github.com/variate/variate/internal/kernels"
)

// Predict sets y ([rows, Out()], row after row) to the network's output
// on the batch x, as Forward computes it, by a path tuned for inference:
// inside, the activations are stored one feature after another
// (transposed), so that each layer's product reads the activations as its
// right operand, which the matrix product packs by plain copies, and only
// the small weight matrix by a transposing copy. Nothing is kept for
// Backward; a Backward after Predict panics. It allocates nothing.
//
// It panics if ws was made by another network, len(x) is not a multiple
// of In(), the batch exceeds ws.MaxBatch(), or len(y) does not match.
func (n *Network) Predict(ws *Workspace, x, y []float64) {
	if ws.net != n {
		panic("nn: Predict with a workspace of another network")
	}
	if len(x)%n.in != 0 {
		panic(fmt.Sprintf("nn: Predict input has length %d, not a multiple of the input width %d", len(x), n.in))
	}
	r := len(x) / n.in
	if r > ws.cap {
		panic(fmt.Sprintf("nn: Predict batch of %d rows exceeds the workspace's %d", r, ws.cap))
	}
	if len(y) != r*n.Out() {
		panic(fmt.Sprintf("nn: Predict output has length %d, want %d (%d rows × %d outputs)", len(y), r*n.Out(), r, n.Out()))
	}
	ws.r, ws.x = -1, nil
	if r == 0 {
		return
	}
	in := ws.d0[:n.in*r]
	transpose(x, r, n.in, in)
	for i, l := range n.layers {
		rows, inW := n.rows[i], n.ins[i]
		z := ws.z[i][:rows*r]
		ws.gemm(false, false, rows, r, inW, 1, n.Weight(n.params, i), inW, in, r, 0, z, r)
		b := n.Bias(n.params, i)
		if l.Act.Kind == Maxout {
			out := ws.act[i][:l.Out*r]
			maxoutT(z, b, out, l.Act.Pieces, r)
			in = out
			continue
		}
		biasActivateT(l.Act, z, b, r)
		in = z
	}
	transpose(in, n.Out(), r, y)
}

// transpose sets dst ([c, r]) to the transpose of src ([r, c]).
func transpose(src []float64, r, c int, dst []float64) {
	if c == 1 || r == 1 {
		copy(dst, src[:r*c])
		return
	}
	// Blocks of 8×8 keep both sides' cache lines in use.
	const blk = 8
	for i0 := 0; i0 < r; i0 += blk {
		i1 := min(i0+blk, r)
		for j0 := 0; j0 < c; j0 += blk {
			j1 := min(j0+blk, c)
			for i := i0; i < i1; i++ {
				row := src[i*c : i*c+j1]
				for j := j0; j < j1; j++ {
					dst[j*r+i] = row[j]
				}
			}
		}
	}
}

// biasActivateT adds b[j] to row j (r values) of z and applies a in place.
func biasActivateT(a Activation, z, b []float64, r int) {
	for j, bj := range b {
		row := z[j*r : j*r+r : j*r+r]
		switch a.Kind {
		case ReLU:
			kernels.BiasReLU(row, bj)
		case LeakyReLU:
			kernels.BiasLeaky(row, bj, a.Slope)
		default:
			kernels.AddBias(row, bj)
		}
	}
	if a.Kind != ReLU && a.Kind != LeakyReLU {
		activate(a, z[:len(b)*r])
	}
}

// maxoutT sets unit j of y ([out, r]) to the largest of the biased rows
// j·k … j·k+k−1 of z ([k·out, r]), the first on a tie as maxout does.
func maxoutT(z, b, y []float64, k, r int) {
	for u := 0; u*r < len(y); u++ {
		dst := y[u*r : u*r+r : u*r+r]
		first := z[u*k*r : u*k*r+r]
		b0 := b[u*k]
		for i := range dst {
			dst[i] = first[i] + b0
		}
		for p := 1; p < k; p++ {
			row := z[(u*k+p)*r : (u*k+p)*r+r]
			bp := b[u*k+p]
			for i := range dst {
				if v := row[i] + bp; v > dst[i] {
					dst[i] = v
				}
			}
		}
	}
}
