package gmn

import (
	"fmt"
	"math"

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
