package fidelity

import (
	"math"
	"slices"
)

// radixMin is the length from which sortFloats sorts by radix: below it
// pattern-defeating quicksort is as fast.
const radixMin = 1 << 10

// sortFloats sorts x, whose values are not NaN, in increasing order. Long
// slices are sorted by a least-significant-digit radix sort on the bits
// of the values mapped to unsigned integers that order as the values do
// (the sign bit set for a positive value, every bit flipped for a
// negative one); eight passes of one byte each, skipping a byte every
// value shares. The samples measured here run to 10⁶ values, where it
// is several times faster than a comparison sort. −0 sorts before +0,
// which compare equal, so the order is one slices.Sort could give too.
func sortFloats(x []float64) {
	if len(x) < radixMin {
		slices.Sort(x)
		return
	}
	keys := make([]uint64, len(x))
	var count [8][256]int
	for i, v := range x {
		k := math.Float64bits(v)
		if k>>63 == 0 {
			k |= 1 << 63
		} else {
			k = ^k
		}
		keys[i] = k
		for b := range 8 {
			count[b][byte(k>>(8*b))]++
		}
	}
	tmp := make([]uint64, len(x))
	for b := range 8 {
		c := &count[b]
		if c[byte(keys[0]>>(8*b))] == len(keys) {
			continue // every key has this byte
		}
		pos := 0
		for d := range c {
			c[d], pos = pos, pos+c[d]
		}
		for _, k := range keys {
			d := byte(k >> (8 * b))
			tmp[c[d]] = k
			c[d]++
		}
		keys, tmp = tmp, keys
	}
	for i, k := range keys {
		if k>>63 == 1 {
			k &^= 1 << 63
		} else {
			k = ^k
		}
		x[i] = math.Float64frombits(k)
	}
}
