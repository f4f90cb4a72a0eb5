package kernels

import "math"

// The bias-and-activation passes of a dense layer, over one row of
// pre-activations. Each gives the same bits on every path.

// AddBias adds b to every element of x.
func AddBias(x []float64, b float64) {
	i := 0
	if path >= PathAVX2 && len(x) >= 8 {
		n8 := len(x) / 8
		addBiasAVX2(&x[0], b, n8)
		i = 8 * n8
	}
	for ; i < len(x); i++ {
		x[i] += b
	}
}

// BiasReLU sets each element of x to max(x + b, 0), computed by clearing
// the bits of x + b when its sign bit is set: negative values and −0
// become +0, a NaN without the sign bit stays a NaN.
func BiasReLU(x []float64, b float64) {
	i := 0
	if path >= PathAVX2 && len(x) >= 8 {
		n8 := len(x) / 8
		biasReLUAVX2(&x[0], b, n8)
		i = 8 * n8
	}
	for ; i < len(x); i++ {
		x[i] = ReLU(x[i] + b)
	}
}

// BiasLeaky sets each element v = x + b of x to s·v when v's sign bit is
// set and to v otherwise: the leaky ReLU of slope s.
func BiasLeaky(x []float64, b, s float64) {
	i := 0
	if path >= PathAVX2 && len(x) >= 8 {
		n8 := len(x) / 8
		biasLeakyAVX2(&x[0], b, s, n8)
		i = 8 * n8
	}
	for ; i < len(x); i++ {
		x[i] = Leaky(x[i]+b, s)
	}
}

// ReLUGrad sets d[i] = g[i] where y[i] > 0 and +0 where y[i] is +0, for
// y the output of BiasReLU (never negative or −0): the backward pass of
// ReLU, decided on the bits of y (nonzero bits keep g[i], so a NaN does
// too). y and g are at least as long as d.
func ReLUGrad(d, y, g []float64) {
	y, g = y[:len(d)], g[:len(d)]
	i := 0
	if path >= PathAVX2 && len(d) >= 8 {
		n8 := len(d) / 8
		reluGradAVX2(&d[0], &y[0], &g[0], n8)
		i = 8 * n8
	}
	for ; i < len(d); i++ {
		u := math.Float64bits(y[i])
		keep := -((u | -u) >> 63)
		d[i] = math.Float64frombits(math.Float64bits(g[i]) & keep)
	}
}

// ReLU is the scalar rule of BiasReLU: v with its bits cleared when its
// sign bit is set.
func ReLU(v float64) float64 {
	u := math.Float64bits(v)
	return math.Float64frombits(u &^ uint64(int64(u)>>63))
}

// Leaky is the scalar rule of BiasLeaky: s·v when v's sign bit is set,
// else v.
func Leaky(v, s float64) float64 {
	u, l := math.Float64bits(v), math.Float64bits(s*v)
	neg := uint64(int64(u) >> 63)
	return math.Float64frombits(u&^neg | l&neg)
}

// The row-wise passes: x holds rows of len(b) values (a whole number of
// them), the pre-activations of a batch, and b[j] is added to column j of
// every row before the activation, with the same rules (and bits) as
// AddBias, BiasReLU and BiasLeaky.

// AddBiasRows adds b[j] to column j of every row of x.
func AddBiasRows(x, b []float64) { biasRows(x, b, rowsAdd, 0) }

// BiasReLURows sets each element of x to ReLU(x + b[j]), j its column.
func BiasReLURows(x, b []float64) { biasRows(x, b, rowsReLU, 0) }

// BiasLeakyRows sets each element of x to Leaky(x + b[j], s), j its column.
func BiasLeakyRows(x, b []float64, s float64) { biasRows(x, b, rowsLeaky, s) }

// What biasRows applies after the bias; the values are biasRowsAVX2's.
const (
	rowsAdd   = 0
	rowsReLU  = 1
	rowsLeaky = 2
)

func biasRows(x, b []float64, kind int, s float64) {
	w := len(b)
	if w == 0 || len(x)%w != 0 {
		panic("kernels: bias rows need a whole number of rows of len(b)")
	}
	rows := len(x) / w
	j0 := 0
	if path >= PathAVX2 && w >= 8 && rows > 0 {
		w8 := w / 8
		biasRowsAVX2(&x[0], &b[0], w8, rows, w, kind, s)
		j0 = 8 * w8
		if j0 == w {
			return
		}
	}
	for o := 0; o < len(x); o += w {
		row := x[o+j0 : o+w : o+w]
		bb := b[j0:w]
		bb = bb[:len(row)]
		switch kind {
		case rowsAdd:
			for j := range row {
				row[j] += bb[j]
			}
		case rowsReLU:
			for j := range row {
				row[j] = ReLU(row[j] + bb[j])
			}
		default:
			for j := range row {
				row[j] = Leaky(row[j]+bb[j], s)
			}
		}
	}
}
