package transform

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/variate/variate/sampler"
)

// A Discrete samples indices 0..n−1 with given weights in O(1) per draw by
// Walker's alias method, in Vose's numerically stable construction
// (M. D. Vose, "A linear algorithm for generating random numbers with a
// given distribution", IEEE TSE 17(9), 1991). Draws are written as
// float64 indices. A Discrete is read-only after construction and safe for
// concurrent use.
type Discrete struct {
	prob  []float64 // probability of keeping column i
	alias []int32
	p     []float64 // the normalised weights
}

var _ sampler.Sampler = (*Discrete)(nil)

// NewDiscrete returns a Discrete for the given non-negative weights; they
// need not sum to one. It is an error if a weight is negative, NaN or
// infinite, or if all are zero.
func NewDiscrete(weights []float64) (*Discrete, error) {
	n := len(weights)
	if n == 0 {
		return nil, fmt.Errorf("transform: no weights")
	}
	if n > math.MaxInt32 {
		return nil, fmt.Errorf("transform: %d weights are too many", n)
	}
	var sum float64
	for i, w := range weights {
		if math.IsNaN(w) || w < 0 || math.IsInf(w, 1) {
			return nil, fmt.Errorf("transform: weight[%d] = %v; weights must be finite and non-negative", i, w)
		}
		sum += w
	}
	if !(sum > 0) || math.IsInf(sum, 1) {
		return nil, fmt.Errorf("transform: weights sum to %v; need a positive finite sum", sum)
	}
	d := &Discrete{prob: make([]float64, n), alias: make([]int32, n), p: make([]float64, n)}
	scaled := make([]float64, n)
	var small, large []int32
	for i, w := range weights {
		d.p[i] = w / sum
		scaled[i] = d.p[i] * float64(n)
		if scaled[i] < 1 {
			small = append(small, int32(i))
		} else {
			large = append(large, int32(i))
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		d.prob[s], d.alias[s] = scaled[s], l
		scaled[l] = (scaled[l] + scaled[s]) - 1
		if scaled[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	// What is left is 1 up to rounding.
	for _, i := range large {
		d.prob[i], d.alias[i] = 1, i
	}
	for _, i := range small {
		d.prob[i], d.alias[i] = 1, i
	}
	return d, nil
}

// Dim returns 1.
func (*Discrete) Dim() int { return 1 }

// Sample fills dst with indices drawn with probability proportional to
// their weights. One uniform gives both the column and the coin.
func (d *Discrete) Sample(rng *rand.Rand, dst []float64) error {
	n := float64(len(d.prob))
	for i := range dst {
		v := rng.Float64() * n
		k := int(v)
		if k >= len(d.prob) { // v rounded up to n
			k = len(d.prob) - 1
		}
		if v-float64(k) < d.prob[k] {
			dst[i] = float64(k)
		} else {
			dst[i] = float64(d.alias[k])
		}
	}
	return nil
}

// Prob returns the normalised probability of index i.
func (d *Discrete) Prob(i int) float64 { return d.p[i] }

// Len returns the number of indices.
func (d *Discrete) Len() int { return len(d.p) }
