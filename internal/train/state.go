package train

import (
	"encoding"
	"fmt"
)

// A Tensor is a named slice of float64 values that a State saves and
// restores in place. Its length never changes during training.
type Tensor struct {
	Name string
	Data []float64
}

// A BinaryValue is a value a checkpoint saves as bytes and restores in
// place: *rand.PCG of math/rand/v2 is one (keep the sources of a trainer's
// generators, not only the *rand.Rand wrapped around them, since a
// *rand.Rand cannot be marshalled).
type BinaryValue interface {
	encoding.BinaryMarshaler
	encoding.BinaryUnmarshaler
}

// A Blob is a named BinaryValue.
type Blob struct {
	Name  string
	Value BinaryValue
}

// A State lists everything a training step reads and changes, so that a
// checkpoint taken between two steps and loaded into a fresh State of the
// same configuration continues the run exactly.
//
// Names must be non-empty and unique across the three lists.
type State struct {
	// Params are the trained parameters. Besides being checkpointed, they
	// are copied before every step so that a step whose loss is not
	// finite can be undone.
	Params []Tensor
	// Buffers are the other float state: optimiser moments, running
	// averages, a permutation stored as floats. Checkpointed only.
	Buffers []Tensor
	// Blobs are opaque values: random sources, optimiser step counters.
	// Checkpointed only.
	Blobs []Blob
}

// entry kinds, as written in a checkpoint
const (
	kindParam  = "param"
	kindBuffer = "buffer"
	kindBlob   = "blob"
)

// check panics on a State that no configuration could produce: a
// programmer error in the trainer.
func (st *State) check() {
	seen := make(map[string]bool)
	name := func(n string) {
		if n == "" {
			panic("train: a State entry has an empty name")
		}
		if seen[n] {
			panic(fmt.Sprintf("train: State entry %q appears twice", n))
		}
		seen[n] = true
	}
	for _, t := range st.Params {
		name(t.Name)
	}
	for _, t := range st.Buffers {
		name(t.Name)
	}
	for _, b := range st.Blobs {
		name(b.Name)
		if b.Value == nil {
			panic(fmt.Sprintf("train: State blob %q has no value", b.Name))
		}
	}
}

// paramLen is the total number of parameter values.
func (st *State) paramLen() int {
	n := 0
	for _, t := range st.Params {
		n += len(t.Data)
	}
	return n
}

// saveParams copies the parameters into dst (length paramLen).
func (st *State) saveParams(dst []float64) {
	o := 0
	for _, t := range st.Params {
		o += copy(dst[o:], t.Data)
	}
}

// loadParams copies src (length paramLen) back into the parameters.
func (st *State) loadParams(src []float64) {
	o := 0
	for _, t := range st.Params {
		o += copy(t.Data, src[o:])
	}
}
