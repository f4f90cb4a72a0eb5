package generator

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// validFile returns the bytes of a saved test generator, its header as a
// map and its data part.
func validFile(t testing.TB) ([]byte, map[string]any, []byte) {
	t.Helper()
	var buf bytes.Buffer
	_, err := testGenerator(t, Uniform, SigmoidOutput).WriteTo(&buf)
	require.NoError(t, err)
	b := buf.Bytes()
	n := binary.LittleEndian.Uint64(b)
	var h map[string]any
	require.NoError(t, json.Unmarshal(b[8:8+n], &h))
	return b, h, b[8+n:]
}

// assemble builds a file from a header and data.
func assemble(t testing.TB, h map[string]any, data []byte) []byte {
	t.Helper()
	j, err := json.Marshal(h)
	require.NoError(t, err)
	out := binary.LittleEndian.AppendUint64(nil, uint64(len(j)))
	return append(append(out, j...), data...)
}

func tensor(h map[string]any, name string) map[string]any { return h[name].(map[string]any) }
func meta(h map[string]any) map[string]any                { return h["__metadata__"].(map[string]any) }

func TestReadRejectsMalformedFiles(t *testing.T) {
	good, _, _ := validFile(t)
	cases := []struct {
		name string
		file func() []byte
		msg  string
	}{
		{"empty", func() []byte { return nil }, "truncated"},
		{"short length", func() []byte { return good[:5] }, "truncated"},
		{"header past end", func() []byte { return good[:100] }, "runs past the end"},
		{"header over limit", func() []byte {
			return binary.LittleEndian.AppendUint64(nil, 1<<40)
		}, "exceeds the limit"},
		{"truncated data", func() []byte { return good[:len(good)-3] }, ""},
		{"trailing bytes", func() []byte { return append(append([]byte(nil), good...), 0, 0, 0, 0, 0, 0, 0, 0) }, "belong to no tensor"},
		{"not json", func() []byte {
			return append(binary.LittleEndian.AppendUint64(nil, 4), "{{{{"...)
		}, "not a JSON object"},
	}
	mutate := func(name, msg string, f func(h map[string]any, data []byte) []byte) {
		cases = append(cases, struct {
			name string
			file func() []byte
			msg  string
		}{name, func() []byte {
			_, h, data := validFile(t)
			d := f(h, append([]byte(nil), data...))
			return assemble(t, h, d)
		}, msg})
	}
	mutate("no metadata", "no __metadata__", func(h map[string]any, d []byte) []byte { delete(h, "__metadata__"); return d })
	mutate("other format", "metadata format", func(h map[string]any, d []byte) []byte { meta(h)["format"] = "x"; return d })
	mutate("unknown version", `unknown format version "2"`, func(h map[string]any, d []byte) []byte { meta(h)["format_version"] = "2"; return d })
	mutate("unknown noise", "unknown noise law", func(h map[string]any, d []byte) []byte { meta(h)["noise"] = "cauchy"; return d })
	mutate("bad noise dim", "noise_dim", func(h map[string]any, d []byte) []byte { meta(h)["noise_dim"] = "-3"; return d })
	mutate("noise dim mismatch", "input width 3 does not match the noise dimension 4", func(h map[string]any, d []byte) []byte { meta(h)["noise_dim"] = "4"; return d })
	mutate("unknown activation", "unknown activation", func(h map[string]any, d []byte) []byte { meta(h)["layers.0.activation"] = "gelu"; return d })
	mutate("missing activation", "lacks layers.1.activation", func(h map[string]any, d []byte) []byte { delete(meta(h), "layers.1.activation"); return d })
	mutate("unknown output", "unknown output map", func(h map[string]any, d []byte) []byte { meta(h)["output"] = "relu"; return d })
	mutate("bad steps", "steps", func(h map[string]any, d []byte) []byte { meta(h)["steps"] = "many"; return d })
	mutate("dtype", `dtype "I64"`, func(h map[string]any, d []byte) []byte { tensor(h, "layers.1.bias")["dtype"] = "I64"; return d })
	mutate("missing tensor", "layers.2.weight is missing", func(h map[string]any, d []byte) []byte { delete(h, "layers.2.weight"); return d })
	mutate("extra tensor", "unexpected tensor layers.9.weight", func(h map[string]any, d []byte) []byte {
		h["layers.9.weight"] = map[string]any{"dtype": "F64", "shape": []int{1, 1}, "data_offsets": []int{len(d), len(d) + 8}}
		return append(d, make([]byte, 8)...)
	})
	mutate("shapes do not chain", "does not match the 8 outputs before it", func(h map[string]any, d []byte) []byte {
		tensor(h, "layers.1.weight")["shape"] = []int{9, 16}
		return d
	})
	mutate("maxout rows", "not a multiple of the 3 maxout pieces", func(h map[string]any, d []byte) []byte {
		tensor(h, "layers.1.weight")["shape"] = []int{16, 8}
		tensor(h, "layers.1.bias")["shape"] = []int{16}
		return d
	})
	mutate("bias shape", "layers.0.bias has shape [7]", func(h map[string]any, d []byte) []byte { tensor(h, "layers.0.bias")["shape"] = []int{7}; return d })
	mutate("overlap", "overlaps", func(h map[string]any, d []byte) []byte {
		o := tensor(h, "layers.0.bias")["data_offsets"].([]any)
		tensor(h, "layers.0.bias")["data_offsets"] = []float64{o[0].(float64) - 8, o[1].(float64) - 8}
		return d
	})
	mutate("gap", "belong to no tensor", func(h map[string]any, d []byte) []byte {
		for name, v := range h {
			if name == "__metadata__" {
				continue
			}
			o := v.(map[string]any)["data_offsets"].([]any)
			v.(map[string]any)["data_offsets"] = []float64{o[0].(float64) + 8, o[1].(float64) + 8}
		}
		return append(make([]byte, 8), d...)
	})
	mutate("out of range", "bytes", func(h map[string]any, d []byte) []byte {
		return d[:len(d)-8]
	})
	mutate("offsets reversed", "begin ≤ end", func(h map[string]any, d []byte) []byte {
		tensor(h, "layers.0.bias")["data_offsets"] = []int{10, 2}
		return d
	})
	mutate("span mismatch", "spans", func(h map[string]any, d []byte) []byte {
		tensor(h, "layers.0.bias")["dtype"] = "F32"
		return d
	})
	mutate("NaN weight", "layers.1.weight holds the non-finite value NaN at index 2", func(h map[string]any, d []byte) []byte {
		o := int(tensor(h, "layers.1.weight")["data_offsets"].([]any)[0].(float64))
		binary.LittleEndian.PutUint64(d[o+16:], math.Float64bits(math.NaN()))
		return d
	})
	mutate("Inf bias", "layers.3.bias holds the non-finite value +Inf", func(h map[string]any, d []byte) []byte {
		o := int(tensor(h, "layers.3.bias")["data_offsets"].([]any)[0].(float64))
		binary.LittleEndian.PutUint64(d[o:], math.Float64bits(math.Inf(1)))
		return d
	})
	dir := t.TempDir()
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := c.file()
			_, err := Read(bytes.NewReader(b))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.msg)
			assert.True(t, strings.HasPrefix(err.Error(), "generator: "), err.Error())
			path := filepath.Join(dir, "f"+string(rune('a'+i%26))+c.name)
			require.NoError(t, os.WriteFile(path, b, 0o600))
			_, err = Load(path)
			require.Error(t, err)
			assert.Contains(t, err.Error(), path)
		})
	}
}

func TestReadAcceptsF32(t *testing.T) {
	_, h, data := validFile(t)
	g := testGenerator(t, Uniform, SigmoidOutput)
	// Rewrite every tensor as F32, in the same order.
	var d []byte
	var off int
	p := g.Network().Params()
	pos := 0
	for i := range g.Network().NumLayers() {
		rows, in := g.Network().LayerShape(i)
		for _, tc := range []struct {
			name string
			n    int
		}{{"weight", rows * in}, {"bias", rows}} {
			e := tensor(h, "layers."+string(rune('0'+i))+"."+tc.name)
			e["dtype"] = "F32"
			e["data_offsets"] = []int{off, off + 4*tc.n}
			for _, v := range p[pos : pos+tc.n] {
				d = binary.LittleEndian.AppendUint32(d, math.Float32bits(float32(v)))
			}
			off += 4 * tc.n
			pos += tc.n
		}
	}
	require.Len(t, data, 2*len(d))
	k, err := Read(bytes.NewReader(assemble(t, h, d)))
	require.NoError(t, err)
	for i, v := range k.Network().Params() {
		assert.Equal(t, float64(float32(p[i])), v)
	}
}

func TestSaveIsAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "g.safetensors")
	g := testGenerator(t, Uniform, IdentityOutput)
	require.NoError(t, g.Save(path))
	require.NoError(t, g.Save(path)) // replaces
	ents, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, ents, 1, "no temporary file is left behind")
	assert.Error(t, g.Save(filepath.Join(dir, "missing", "g.safetensors")))
}

// FuzzLoad feeds arbitrary bytes to the reader, both as a stream of
// unknown length (Read) and as a file of known size (Load).
func FuzzLoad(f *testing.F) {
	good, _, _ := validFile(f)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte{})
	f.Add(binary.LittleEndian.AppendUint64(nil, 2))
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := Read(bytes.NewReader(b))
		g2, err2 := read(bytes.NewReader(b), int64(len(b)))
		if (err == nil) != (err2 == nil) {
			t.Fatalf("stream and file readers disagree: %v vs %v", err, err2)
		}
		if err != nil {
			return
		}
		if !slices.Equal(g.Network().Params(), g2.Network().Params()) {
			t.Fatal("stream and file readers read different parameters")
		}
		// Whatever loads must sample finite values and save again.
		x := make([]float64, 4*g.Dim())
		z := make([]float64, 4*g.NoiseDim())
		g.Map(z, x)
		var buf bytes.Buffer
		if _, err := g.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
	})
}
