package train

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/variate/variate/internal/nn"
)

// OptimizerValue returns a BinaryValue that saves and restores the state
// of o (its step count and moment slots), for State.Blobs. Restoring
// checks the kind and the slot lengths against o.
func OptimizerValue(o nn.Optimizer) BinaryValue { return optValue{o} }

type optValue struct{ o nn.Optimizer }

// The encoding: kind length u32, kind, step u64, slot count u32, then per
// slot in name order: name length u32, name, value count u64, float64 LE
// values.
func (v optValue) MarshalBinary() ([]byte, error) {
	s := v.o.State()
	var b []byte
	b = binary.LittleEndian.AppendUint32(b, uint32(len(s.Kind)))
	b = append(b, s.Kind...)
	b = binary.LittleEndian.AppendUint64(b, uint64(s.Step))
	names := make([]string, 0, len(s.Slots))
	for n := range s.Slots {
		names = append(names, n)
	}
	slices.Sort(names)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(names)))
	for _, n := range names {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(n)))
		b = append(b, n...)
		x := s.Slots[n]
		b = binary.LittleEndian.AppendUint64(b, uint64(len(x)))
		for _, f := range x {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
		}
	}
	return b, nil
}

var errOptShort = errors.New("train: optimiser state is truncated")

func (v optValue) UnmarshalBinary(b []byte) error {
	u32 := func() (int, error) {
		if len(b) < 4 {
			return 0, errOptShort
		}
		x := binary.LittleEndian.Uint32(b)
		b = b[4:]
		return int(x), nil
	}
	u64 := func() (uint64, error) {
		if len(b) < 8 {
			return 0, errOptShort
		}
		x := binary.LittleEndian.Uint64(b)
		b = b[8:]
		return x, nil
	}
	str := func() (string, error) {
		n, err := u32()
		if err != nil || n > len(b) {
			return "", errOptShort
		}
		s := string(b[:n])
		b = b[n:]
		return s, nil
	}
	kind, err := str()
	if err != nil {
		return err
	}
	step, err := u64()
	if err != nil {
		return err
	}
	if step > math.MaxInt32*uint64(1<<20) {
		return fmt.Errorf("train: optimiser state has step count %d", step)
	}
	cur := v.o.State()
	ns, err := u32()
	if err != nil {
		return err
	}
	if ns != len(cur.Slots) {
		return fmt.Errorf("train: optimiser state has %d slots; this optimiser has %d", ns, len(cur.Slots))
	}
	st := nn.OptimizerState{Kind: kind, Step: int(step), Slots: make(map[string][]float64, ns)}
	for range ns {
		name, err := str()
		if err != nil {
			return err
		}
		n, err := u64()
		if err != nil {
			return err
		}
		c, ok := cur.Slots[name]
		if !ok || uint64(len(c)) != n || uint64(len(b)) < 8*n {
			return fmt.Errorf("train: optimiser slot %q with %d values does not fit this optimiser", name, n)
		}
		x := make([]float64, n)
		for i := range x {
			x[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
		}
		b = b[8*n:]
		st.Slots[name] = x
	}
	if len(b) != 0 {
		return fmt.Errorf("train: optimiser state has %d trailing bytes", len(b))
	}
	return v.o.SetState(st)
}
