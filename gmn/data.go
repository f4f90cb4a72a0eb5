package gmn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/variate/variate/internal/train"

	"github.com/variate/variate/sampler"
)

// Data is what a generator is trained on: a sampler drawn afresh for every
// minibatch, or a fixed dataset. The zero Data is empty and Train rejects
// it.
type Data struct {
	s    sampler.Sampler
	rows []float64
	dim  int
}

// FromSampler returns Data that draws every minibatch from s with the
// training run's own random stream. A point that is NaN or infinite stops
// training with an error naming it. s must not keep running state that
// the run's random stream does not determine, or resuming from a
// checkpoint cannot repeat the run.
func FromSampler(s sampler.Sampler) Data {
	if s == nil {
		panic("gmn: FromSampler with a nil sampler")
	}
	return Data{s: s, dim: s.Dim()}
}

// FromRows returns Data over a fixed dataset: the points stored row after
// row in rows, each of dimension dim. Training goes through them in
// minibatches without replacement, reshuffled every epoch; the rows are
// copied. It returns an error if dim is not positive, len(rows) is not a
// multiple of dim, there are fewer than 2 rows, or a coordinate is NaN or
// infinite (naming the row).
func FromRows(rows []float64, dim int) (Data, error) {
	if dim <= 0 {
		return Data{}, fmt.Errorf("gmn: data dimension is %d; it must be at least 1", dim)
	}
	if len(rows)%dim != 0 {
		return Data{}, fmt.Errorf("gmn: the data hold %d numbers, not a whole number of rows of dimension %d", len(rows), dim)
	}
	if len(rows)/dim < 2 {
		return Data{}, fmt.Errorf("gmn: the data have %d rows; training needs at least 2", len(rows)/dim)
	}
	if err := checkFinite("data", rows, dim); err != nil {
		return Data{}, err
	}
	return Data{rows: append([]float64(nil), rows...), dim: dim}, nil
}

// Dim is the dimension of a data point (0 for the zero Data).
func (d Data) Dim() int { return d.dim }

// Rows is the number of rows of a fixed dataset, 0 for sampler data.
func (d Data) Rows() int {
	if d.s != nil || d.dim == 0 {
		return 0
	}
	return len(d.rows) / d.dim
}

func checkFinite(what string, x []float64, dim int) error {
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("gmn: %s row %d has the coordinate %v (column %d); remove or fix it", what, i/dim, v, i%dim)
		}
	}
	return nil
}

// A batcher deals a training run's data minibatches: fresh draws from a
// sampler, or a fixed dataset's rows without replacement, reshuffled
// (Fisher–Yates) at the start of every epoch. Its position is float state
// that a checkpoint keeps (buffers).
type batcher struct {
	data Data
	rng  *rand.Rand
	// fixed data: the epoch's row order, and the next position in it
	order, next []float64
}

func newBatcher(data Data, rng *rand.Rand) *batcher {
	b := &batcher{data: data, rng: rng}
	if n := data.Rows(); n > 0 {
		b.order = make([]float64, n)
		for i := range b.order {
			b.order[i] = float64(i)
		}
		b.next = []float64{float64(n)} // shuffle before the first batch
	}
	return b
}

// buffers are the batcher's checkpointed state (none for sampler data).
func (b *batcher) buffers() []train.Tensor {
	if b.order == nil {
		return nil
	}
	return []train.Tensor{{Name: "data.order", Data: b.order}, {Name: "data.next", Data: b.next}}
}

// fill sets dst to the data minibatch of a step.
func (b *batcher) fill(dst []float64, step int) error {
	d := b.data.dim
	if s := b.data.s; s != nil {
		if err := s.Sample(b.rng, dst); err != nil {
			return fmt.Errorf("drawing the data batch: %w", err)
		}
		for i, v := range dst {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("gmn: the sampler's data point %d of step %d has the coordinate %v", i/d, step, v)
			}
		}
		return nil
	}
	n, m := len(b.order), len(dst)/d
	p := int(b.next[0])
	if p+m > n { // a new epoch: reshuffle
		for i := n - 1; i > 0; i-- {
			j := b.rng.IntN(i + 1)
			b.order[i], b.order[j] = b.order[j], b.order[i]
		}
		p = 0
	}
	for i := range m {
		r := int(b.order[p+i])
		copy(dst[i*d:(i+1)*d], b.data.rows[r*d:(r+1)*d])
	}
	b.next[0] = float64(p + m)
	return nil
}
