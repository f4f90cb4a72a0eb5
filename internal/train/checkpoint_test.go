package train

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// failing is a BinaryValue whose loading fails on a marked input.
type failing struct{ v []byte }

func (f *failing) MarshalBinary() ([]byte, error) { return bytes.Clone(f.v), nil }
func (f *failing) UnmarshalBinary(b []byte) error {
	if bytes.Equal(b, []byte("bad")) {
		return errors.New("refused")
	}
	f.v = bytes.Clone(b)
	return nil
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	src := rand.NewPCG(1, 2)
	rand.New(src).Uint64()
	st := &State{
		Params:  []Tensor{{Name: "a", Data: []float64{1, math.Inf(-1), -0.0, math.SmallestNonzeroFloat64}}, {Name: "empty"}},
		Buffers: []Tensor{{Name: "m", Data: []float64{math.NaN()}}},
		Blobs:   []Blob{{Name: "rng", Value: src}, {Name: "x", Value: &failing{v: []byte("hello")}}},
	}
	b, err := Encode(Checkpoint{Fingerprint: "fp", Step: 42, Elapsed: 3 * time.Second}, st)
	require.NoError(t, err)

	src2 := rand.NewPCG(9, 9)
	x2 := &failing{}
	st2 := &State{
		Params:  []Tensor{{Name: "a", Data: make([]float64, 4)}, {Name: "empty"}},
		Buffers: []Tensor{{Name: "m", Data: make([]float64, 1)}},
		Blobs:   []Blob{{Name: "rng", Value: src2}, {Name: "x", Value: x2}},
	}
	c, err := Decode(b, "fp", st2)
	require.NoError(t, err)
	assert.Equal(t, Checkpoint{Fingerprint: "fp", Step: 42, Elapsed: 3 * time.Second}, c)
	for i, v := range st.Params[0].Data {
		assert.Equal(t, math.Float64bits(v), math.Float64bits(st2.Params[0].Data[i]))
	}
	assert.True(t, math.IsNaN(st2.Buffers[0].Data[0]))
	assert.Equal(t, rand.New(src).Uint64(), rand.New(src2).Uint64())
	assert.Equal(t, []byte("hello"), x2.v)
}

func TestDecodeFailureLeavesState(t *testing.T) {
	mk := func(v string, w float64) (*State, *rand.PCG, *failing) {
		src, f := rand.NewPCG(3, 4), &failing{v: []byte(v)}
		return &State{
			Params: []Tensor{{Name: "w", Data: []float64{w}}},
			Blobs:  []Blob{{Name: "rng", Value: src}, {Name: "x", Value: f}},
		}, src, f
	}
	st, src, _ := mk("bad", 1)
	rand.New(src).Uint64()
	b, err := Encode(Checkpoint{Fingerprint: "fp"}, st)
	require.NoError(t, err)

	st2, src2, f2 := mk("keep", 2)
	before, _ := src2.MarshalBinary()
	_, err = Decode(b, "fp", st2)
	require.ErrorContains(t, err, `entry "x": refused`)
	after, _ := src2.MarshalBinary()
	assert.Equal(t, before, after, "the source loaded before the failure is put back")
	assert.Equal(t, []byte("keep"), f2.v)
	assert.Equal(t, 2.0, st2.Params[0].Data[0])
}

func TestDecodeRejects(t *testing.T) {
	st := func() *State {
		return &State{Params: []Tensor{{Name: "w", Data: []float64{1, 2}}}, Blobs: []Blob{{Name: "r", Value: rand.NewPCG(1, 1)}}}
	}
	good, err := Encode(Checkpoint{Fingerprint: "fp", Step: 3}, st())
	require.NoError(t, err)
	reseal := func(b []byte) []byte {
		return appendSum(bytes.Clone(b[:len(b)-sumLen]))
	}
	cases := map[string]struct {
		b   []byte
		msg string
	}{
		"short":     {good[:10], "too short"},
		"magic":     {append([]byte("NOT-A-CKPT!!"), good[12:]...), "magic"},
		"flip":      {flip(good, 40), "checksum"},
		"version":   {reseal(setU32(good, 12, 2)), "format version 2"},
		"header":    {reseal(setU64(good, 16, 1<<40)), "header length"},
		"json":      {reseal(replace(good, `"fingerprint"`, `"fingerprinX"`)), "unknown field"},
		"negative":  {reseal(replace(good, `"step":3`, `"step":-3`)), "negative"},
		"name":      {reseal(replace(good, `"name":"w"`, `"name":"v"`)), `expects param "w"`},
		"offset":    {reseal(replace(good, `"offset":0`, `"offset":8`)), "not contiguous"},
		"size":      {reseal(replace(good, `"size":16`, `"size":24`)), `"w" has 3 values`},
		"past end":  {reseal(replace(good, `"size":20`, `"size":2000`)), "not contiguous"},
		"blob size": {reseal(replace(good, `"size":20`, `"size":12`)), "data bytes after"},
	}
	for name, c := range cases {
		s := st()
		_, err := Decode(c.b, "fp", s)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), c.msg, name)
		assert.Equal(t, []float64{1, 2}, s.Params[0].Data, name)
	}
	_, err = Decode(good, "other", st())
	assert.ErrorContains(t, err, "different configuration")
}

func appendSum(body []byte) []byte {
	s := sha256Sum(body)
	return append(body, s[:]...)
}

func flip(b []byte, i int) []byte { c := bytes.Clone(b); c[i] ^= 0x10; return c }

func setU32(b []byte, at int, v uint32) []byte {
	c := bytes.Clone(b)
	c[at], c[at+1], c[at+2], c[at+3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
	return c
}

func setU64(b []byte, at int, v uint64) []byte {
	c := bytes.Clone(b)
	for i := range 8 {
		c[at+i] = byte(v >> (8 * i))
	}
	return c
}

func replace(b []byte, old, new string) []byte {
	if !bytes.Contains(b, []byte(old)) {
		panic("no " + old)
	}
	// Keep the header length right, so that the change is what is read.
	c := bytes.Replace(bytes.Clone(b), []byte(old), []byte(new), 1)
	hl := binary.LittleEndian.Uint64(c[16:])
	return setU64(c, 16, hl+uint64(len(new)-len(old)))
}

func TestWriteCheckpointAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ck")
	st := &State{Params: []Tensor{{Name: "w", Data: []float64{1}}}, Blobs: []Blob{{Name: "x", Value: &failing{v: []byte("a")}}}}
	require.NoError(t, WriteCheckpoint(path, Checkpoint{Step: 1}, st))
	old, err := os.ReadFile(path)
	require.NoError(t, err)

	// A value that cannot be saved leaves the old file whole.
	st.Blobs[0].Value = brokenMarshal{}
	require.ErrorContains(t, WriteCheckpoint(path, Checkpoint{Step: 2}, st), "cannot marshal")
	now, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, old, now)

	// A directory that does not exist.
	st.Blobs[0].Value = &failing{}
	require.Error(t, WriteCheckpoint(filepath.Join(dir, "none", "ck"), Checkpoint{}, st))
	ents, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, ents, 1)
}

type brokenMarshal struct{}

func (brokenMarshal) MarshalBinary() ([]byte, error) { return nil, errors.New("cannot marshal") }
func (brokenMarshal) UnmarshalBinary([]byte) error   { return nil }

func TestFingerprint(t *testing.T) {
	type cfg struct {
		A int
		B []float64
	}
	a, err := Fingerprint(cfg{1, []float64{0.5}})
	require.NoError(t, err)
	b, err := Fingerprint(cfg{1, []float64{0.5}})
	require.NoError(t, err)
	c, err := Fingerprint(cfg{1, []float64{0.25}})
	require.NoError(t, err)
	assert.Equal(t, a, b)
	assert.NotEqual(t, a, c)
	assert.Len(t, a, 64)
	_, err = Fingerprint(cfg{B: []float64{math.NaN()}})
	assert.Error(t, err)
}

func FuzzDecode(f *testing.F) {
	mk := func() *State {
		return &State{
			Params:  []Tensor{{Name: "w", Data: make([]float64, 3)}},
			Buffers: []Tensor{{Name: "m", Data: make([]float64, 2)}},
			Blobs:   []Blob{{Name: "r", Value: rand.NewPCG(1, 2)}},
		}
	}
	good, err := Encode(Checkpoint{Fingerprint: "fp", Step: 5}, mk())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)-1])
	f.Add([]byte(magic))
	f.Add(appendSum(bytes.Clone(good[:len(good)-sumLen-3])))
	f.Fuzz(func(t *testing.T, b []byte) {
		st := mk()
		c, err := Decode(b, "fp", st)
		if err != nil {
			return
		}
		// Whatever decodes, re-encodes to the same bytes.
		out, err := Encode(c, st)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, b) {
			t.Fatalf("decoded checkpoint re-encodes differently")
		}
	})
}
