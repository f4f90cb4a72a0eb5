package gan

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/variate/variate/sampler"
)

// Data is what a generator learns from: either a sampler of fresh draws
// (every minibatch new, as from a target's exact sampler) or a fixed set
// of points, visited in minibatches without replacement, reshuffled every
// epoch. Make one with FromSampler or FromRows.
type Data struct {
	s   sampler.Sampler
	pts []float64
	dim int
}

// FromSampler returns data that draws every minibatch fresh from s,
// with the training run's own random stream; a drawn point that is NaN
// or infinite stops training with an error. s must not keep running
// state that the stream does not determine, or resuming from a
// checkpoint cannot repeat the run. It panics if s is nil.
func FromSampler(s sampler.Sampler) Data {
	if s == nil {
		panic("gan: FromSampler with a nil sampler")
	}
	return Data{s: s, dim: s.Dim()}
}

// FromRows returns the fixed data set of the points stored row after row
// in rows, each of dimension dim, visited in minibatches without
// replacement and reshuffled every epoch; the rows are copied. It returns
// an error if dim is not positive, len(rows) is not a multiple of dim,
// there are fewer than 2 rows, or a coordinate is NaN or infinite
// (naming the row).
func FromRows(rows []float64, dim int) (Data, error) {
	d := Data{pts: rows, dim: dim}
	if err := d.check(); err != nil {
		return Data{}, err
	}
	d.pts = append([]float64(nil), rows...)
	return d, nil
}

// Dim is the dimension of a point (0 for the zero Data).
func (d Data) Dim() int { return d.dim }

func (d Data) check() error {
	switch {
	case d.s == nil && d.pts == nil:
		return fmt.Errorf("gan: no data; give FromSampler(s) or FromRows(rows, dim)")
	case d.dim <= 0:
		return fmt.Errorf("gan: data dimension is %d; points need at least one coordinate", d.dim)
	case d.s != nil:
		return nil
	case len(d.pts)%d.dim != 0:
		return fmt.Errorf("gan: %d data values are not a whole number of points of dimension %d", len(d.pts), d.dim)
	case len(d.pts) < 2*d.dim:
		return fmt.Errorf("gan: the data have %d rows; training needs at least 2", len(d.pts)/d.dim)
	}
	for i, v := range d.pts {
		if !(math.Abs(v) < math.Inf(1)) {
			return fmt.Errorf("gan: data row %d has the coordinate %v; remove or repair it", i/d.dim, v)
		}
	}
	return nil
}

// batcher hands out minibatches of real points.
type batcher struct {
	d    Data
	perm []float64 // fixed data: the visiting order, as floats for the checkpoint (plus the position at the end)
}

func newBatcher(d Data, batch int) (*batcher, error) {
	b := &batcher{d: d}
	if d.s != nil {
		return b, nil
	}
	n := len(d.pts) / d.dim
	if batch > n {
		return nil, fmt.Errorf("gan: a minibatch needs %d points but the data set has %d; use a smaller Batch or Pack, or more data", batch, n)
	}
	b.perm = make([]float64, n+1)
	b.perm[n] = float64(n) // position: reshuffle before the first batch
	return b, nil
}

// fill sets dst to len(dst)/dim real points drawn with rng, checking
// drawn points for NaN and Inf.
func (b *batcher) fill(rng *rand.Rand, dst []float64) error {
	d := b.d
	if d.s != nil {
		if err := d.s.Sample(rng, dst); err != nil {
			return fmt.Errorf("gan: drawing data: %w", err)
		}
		for i, v := range dst {
			if !(math.Abs(v) < math.Inf(1)) {
				return fmt.Errorf("gan: the data sampler drew the coordinate %v (point %d of a minibatch); it must draw finite points", v, i/d.dim)
			}
		}
		return nil
	}
	n := len(b.perm) - 1
	pos := int(b.perm[n])
	for i := 0; i < len(dst); i += d.dim {
		if pos == n {
			for j := range n {
				b.perm[j] = float64(j)
			}
			for j := n - 1; j > 0; j-- {
				k := rng.IntN(j + 1)
				b.perm[j], b.perm[k] = b.perm[k], b.perm[j]
			}
			pos = 0
		}
		r := int(b.perm[pos])
		copy(dst[i:i+d.dim], d.pts[r*d.dim:(r+1)*d.dim])
		pos++
	}
	b.perm[n] = float64(pos)
	return nil
}
