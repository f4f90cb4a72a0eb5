package generator

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/variate/variate/internal/nn"
)

const (
	formatName    = "variate.generator"
	formatVersion = "1"
	// maxHeader bounds the JSON header: a generator's header is a few
	// kilobytes, and safetensors readers commonly refuse more than 100 MB.
	maxHeader = 100 << 20
	// maxTensorBytes bounds the bytes of all tensors together.
	maxTensorBytes = 1 << 34
)

// Save writes the generator to the file at path atomically: it writes a
// temporary file in the same directory, syncs it and renames it over
// path, so a crash leaves either the old file or the new one.
func (g *Generator) Save(path string) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return fmt.Errorf("generator: save: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	w := bufio.NewWriter(f)
	if _, err = g.WriteTo(w); err != nil {
		return err
	}
	if err = w.Flush(); err != nil {
		return fmt.Errorf("generator: save %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("generator: save %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("generator: save %s: %w", path, err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("generator: save %s: %w", path, err)
	}
	if d, derr := os.Open(dir); derr == nil {
		d.Sync() // best effort: make the rename durable where the OS allows
		d.Close()
	}
	return nil
}

// WriteTo writes the generator in the safetensors format to w and
// returns the number of bytes written.
func (g *Generator) WriteTo(w io.Writer) (int64, error) {
	net := g.net
	meta := [][2]string{
		{"format", formatName},
		{"format_version", formatVersion},
		{"noise", g.noise.Law.String()},
		{"noise_dim", strconv.Itoa(g.noise.Dim)},
		{"layers", strconv.Itoa(net.NumLayers())},
	}
	for i := range net.NumLayers() {
		meta = append(meta, [2]string{"layers." + strconv.Itoa(i) + ".activation", net.Layer(i).Act.String()})
	}
	meta = append(meta,
		[2]string{"output", g.out.String()},
		[2]string{"method", g.prov.Method},
		[2]string{"loss", g.prov.Loss},
		[2]string{"steps", strconv.Itoa(g.prov.Steps)},
		[2]string{"seed", strconv.FormatUint(g.prov.Seed, 10)},
	)
	var h bytes.Buffer
	h.WriteString(`{"__metadata__":{`)
	for i, kv := range meta {
		if i > 0 {
			h.WriteByte(',')
		}
		writeJSONString(&h, kv[0])
		h.WriteByte(':')
		writeJSONString(&h, kv[1])
	}
	h.WriteByte('}')
	var off int
	p := net.Params()
	for i := range net.NumLayers() {
		rows, in := net.LayerShape(i)
		for _, t := range []struct {
			name  string
			shape []int
		}{{"weight", []int{rows, in}}, {"bias", []int{rows}}} {
			n := 8
			for _, s := range t.shape {
				n *= s
			}
			fmt.Fprintf(&h, `,"layers.%d.%s":{"dtype":"F64","shape":[`, i, t.name)
			for j, s := range t.shape {
				if j > 0 {
					h.WriteByte(',')
				}
				h.WriteString(strconv.Itoa(s))
			}
			fmt.Fprintf(&h, `],"data_offsets":[%d,%d]}`, off, off+n)
			off += n
		}
	}
	h.WriteByte('}')
	for h.Len()%8 != 0 { // the format pads the header with spaces to an 8-byte boundary
		h.WriteByte(' ')
	}
	var lenBuf [8]byte
	binary.LittleEndian.PutUint64(lenBuf[:], uint64(h.Len()))
	cw := &countWriter{w: w}
	cw.Write(lenBuf[:])
	cw.Write(h.Bytes())
	// The tensors in file order are the parameters in Params order.
	var buf [8 * 512]byte
	for s := 0; s < len(p) && cw.err == nil; s += 512 {
		c := min(512, len(p)-s)
		for j, v := range p[s : s+c] {
			binary.LittleEndian.PutUint64(buf[8*j:], math.Float64bits(v))
		}
		cw.Write(buf[:8*c])
	}
	if cw.err != nil {
		return cw.n, fmt.Errorf("generator: write: %w", cw.err)
	}
	return cw.n, nil
}

func writeJSONString(b *bytes.Buffer, s string) {
	q, _ := json.Marshal(s) // a string always marshals
	b.Write(q)
}

type countWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
	return n, err
}

// Load reads a generator from the file at path (see Read).
func Load(path string) (*Generator, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("generator: load: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("generator: load: %w", err)
	}
	g, err := read(bufio.NewReader(f), st.Size())
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	return g, nil
}

// Read reads a generator in the safetensors format from r, F64 or F32
// tensors. A file that is not such a generator — truncated, with a header
// past its end or over 100 MiB, tensors that overlap, leave gaps or lie
// outside the data, an unknown dtype, tensor or format version, shapes
// that do not chain from the noise dimension, weights that are NaN or
// infinite — gives an error naming the problem. Memory grows only with
// the bytes actually read.
func Read(r io.Reader) (*Generator, error) {
	return read(r, -1)
}

type tensorEntry struct {
	Dtype       string   `json:"dtype"`
	Shape       []int64  `json:"shape"`
	DataOffsets []uint64 `json:"data_offsets"`
}

// read reads a file of size bytes (−1: unknown).
func read(r io.Reader, size int64) (*Generator, error) {
	var lenBuf [8]byte
	if _, err := io.ReadFull(r, lenBuf[:]); err != nil {
		return nil, fmt.Errorf("generator: file is truncated: it ends before the 8-byte header length")
	}
	hlen := binary.LittleEndian.Uint64(lenBuf[:])
	if hlen > maxHeader {
		return nil, fmt.Errorf("generator: header length %d exceeds the limit of %d bytes", hlen, maxHeader)
	}
	if size >= 0 && hlen > uint64(size-8) {
		return nil, fmt.Errorf("generator: header length %d runs past the end of the %d-byte file", hlen, size)
	}
	hdr, err := readN(r, int64(hlen))
	if err != nil {
		return nil, fmt.Errorf("generator: header length %d runs past the end of the file", hlen)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(hdr, &raw); err != nil {
		return nil, fmt.Errorf("generator: header is not a JSON object: %v", err)
	}
	var meta map[string]string
	if m, ok := raw["__metadata__"]; !ok {
		return nil, fmt.Errorf("generator: header has no __metadata__; not a %s file", formatName)
	} else if err := json.Unmarshal(m, &meta); err != nil {
		return nil, fmt.Errorf("generator: __metadata__ is not a map of strings: %v", err)
	}
	delete(raw, "__metadata__")
	if meta["format"] != formatName {
		return nil, fmt.Errorf("generator: metadata format is %q; want %q", meta["format"], formatName)
	}
	if v := meta["format_version"]; v != formatVersion {
		return nil, fmt.Errorf("generator: unknown format version %q; this build reads version %s", v, formatVersion)
	}
	var noise Noise
	switch meta["noise"] {
	case "uniform":
		noise.Law = Uniform
	case "normal":
		noise.Law = Gaussian
	default:
		return nil, fmt.Errorf("generator: unknown noise law %q; want uniform or normal", meta["noise"])
	}
	noise.Dim, err = metaInt(meta, "noise_dim", 1<<30)
	if err != nil {
		return nil, err
	}
	if noise.Dim < 1 {
		return nil, fmt.Errorf("generator: noise_dim is %d; want at least 1", noise.Dim)
	}
	nl, err := metaInt(meta, "layers", 1<<16)
	if err != nil {
		return nil, err
	}
	if nl < 1 {
		return nil, fmt.Errorf("generator: layers is %d; want at least 1", nl)
	}
	var out OutputMap
	switch meta["output"] {
	case "identity":
		out = IdentityOutput
	case "sigmoid":
		out = SigmoidOutput
	default:
		return nil, fmt.Errorf("generator: unknown output map %q; want identity or sigmoid", meta["output"])
	}
	prov := Provenance{Method: meta["method"], Loss: meta["loss"]}
	if s, ok := meta["steps"]; ok && s != "" {
		if prov.Steps, err = strconv.Atoi(s); err != nil || prov.Steps < 0 {
			return nil, fmt.Errorf("generator: metadata steps %q is not a count", s)
		}
	}
	if s, ok := meta["seed"]; ok && s != "" {
		if prov.Seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			return nil, fmt.Errorf("generator: metadata seed %q is not an unsigned integer", s)
		}
	}

	// Layers: activation from the metadata, shapes from the tensors, which
	// must chain from the noise dimension.
	type span struct {
		name       string
		start, end uint64
	}
	var spans []span
	entries := make(map[string]tensorEntry, len(raw))
	for name, m := range raw {
		var e tensorEntry
		if err := json.Unmarshal(m, &e); err != nil {
			return nil, fmt.Errorf("generator: tensor %q has a malformed entry: %v", name, err)
		}
		if len(e.DataOffsets) != 2 || e.DataOffsets[1] < e.DataOffsets[0] {
			return nil, fmt.Errorf("generator: tensor %q has data_offsets %v; want [begin, end] with begin ≤ end", name, e.DataOffsets)
		}
		entries[name] = e
		spans = append(spans, span{name, e.DataOffsets[0], e.DataOffsets[1]})
	}
	layers := make([]nn.Layer, nl)
	type tensorRef struct {
		e     tensorEntry
		count int
	}
	refs := make([]tensorRef, 0, 2*nl)
	width := noise.Dim
	var total uint64
	for i := range nl {
		key := "layers." + strconv.Itoa(i) + ".activation"
		s, ok := meta[key]
		if !ok {
			return nil, fmt.Errorf("generator: metadata lacks %s", key)
		}
		act, err := nn.ParseActivation(s)
		if err != nil {
			return nil, fmt.Errorf("generator: %s: %w", key, err)
		}
		wn, bn := "layers."+strconv.Itoa(i)+".weight", "layers."+strconv.Itoa(i)+".bias"
		we, ok := entries[wn]
		if !ok {
			return nil, fmt.Errorf("generator: tensor %s is missing", wn)
		}
		be, ok := entries[bn]
		if !ok {
			return nil, fmt.Errorf("generator: tensor %s is missing", bn)
		}
		if len(we.Shape) != 2 || we.Shape[0] < 1 || we.Shape[1] < 1 {
			return nil, fmt.Errorf("generator: tensor %s has shape %v; want [out, in] with positive sizes", wn, we.Shape)
		}
		if we.Shape[1] != int64(width) {
			if i == 0 {
				return nil, fmt.Errorf("generator: tensor %s has shape %v: its input width %d does not match the noise dimension %d", wn, we.Shape, we.Shape[1], width)
			}
			return nil, fmt.Errorf("generator: tensor %s has shape %v: its input width %d does not match the %d outputs before it", wn, we.Shape, we.Shape[1], width)
		}
		rows := we.Shape[0]
		if rows > 1<<30 {
			return nil, fmt.Errorf("generator: tensor %s has %d rows, too many", wn, rows)
		}
		if len(be.Shape) != 1 || be.Shape[0] != rows {
			return nil, fmt.Errorf("generator: tensor %s has shape %v; want [%d] to match %s", bn, be.Shape, rows, wn)
		}
		k := int64(1)
		if act.Kind == nn.Maxout {
			k = int64(act.Pieces)
		}
		if rows%k != 0 {
			return nil, fmt.Errorf("generator: tensor %s has %d rows, not a multiple of the %d maxout pieces", wn, rows, k)
		}
		layers[i] = nn.Layer{Out: int(rows / k), Act: act}
		for _, t := range []struct {
			name  string
			e     tensorEntry
			count uint64
		}{{wn, we, uint64(rows) * uint64(width)}, {bn, be, uint64(rows)}} {
			var es uint64
			switch t.e.Dtype {
			case "F64":
				es = 8
			case "F32":
				es = 4
			default:
				return nil, fmt.Errorf("generator: tensor %s has dtype %q; want F64 or F32", t.name, t.e.Dtype)
			}
			if t.e.DataOffsets[1]-t.e.DataOffsets[0] != es*t.count {
				return nil, fmt.Errorf("generator: tensor %s spans %d bytes; its shape and dtype need %d", t.name, t.e.DataOffsets[1]-t.e.DataOffsets[0], es*t.count)
			}
			total += es * t.count
			if total > maxTensorBytes {
				return nil, fmt.Errorf("generator: tensors exceed the limit of %d bytes", uint64(maxTensorBytes))
			}
			refs = append(refs, tensorRef{t.e, int(t.count)})
		}
		delete(entries, wn)
		delete(entries, bn)
		width = int(rows / k)
	}
	if len(entries) > 0 {
		names := make([]string, 0, len(entries))
		for n := range entries {
			names = append(names, n)
		}
		slices.Sort(names)
		return nil, fmt.Errorf("generator: unexpected tensor %s (a %d-layer generator has only layers.<i>.weight and .bias)", names[0], nl)
	}
	// The data must be covered exactly, without overlap or gap.
	slices.SortFunc(spans, func(a, b span) int {
		if a.start != b.start {
			if a.start < b.start {
				return -1
			}
			return 1
		}
		return strings.Compare(a.name, b.name)
	})
	var end uint64
	for i, s := range spans {
		if s.start < end {
			return nil, fmt.Errorf("generator: tensor %s (bytes %d–%d) overlaps tensor %s", s.name, s.start, s.end, spans[i-1].name)
		}
		if s.start > end {
			return nil, fmt.Errorf("generator: bytes %d–%d of the data belong to no tensor (before %s)", end, s.start, s.name)
		}
		end = s.end
	}
	if size >= 0 && end != uint64(size)-8-hlen {
		if end > uint64(size)-8-hlen {
			return nil, fmt.Errorf("generator: tensor data ends at byte %d, past the %d bytes after the header (out-of-range offsets or truncated file)", end, uint64(size)-8-hlen)
		}
		return nil, fmt.Errorf("generator: %d bytes after the tensor data belong to no tensor", uint64(size)-8-hlen-end)
	}
	data, err := readN(r, int64(end))
	if err != nil {
		return nil, fmt.Errorf("generator: file is truncated: the tensors need %d bytes of data", end)
	}
	if size < 0 {
		var one [1]byte
		if n, _ := r.Read(one[:]); n > 0 {
			return nil, fmt.Errorf("generator: bytes after the tensor data belong to no tensor")
		}
	}

	net, err := nn.New(noise.Dim, layers)
	if err != nil {
		return nil, fmt.Errorf("generator: %w", err)
	}
	p := net.Params()
	var pos int
	for ti, ref := range refs {
		b := data[ref.e.DataOffsets[0]:ref.e.DataOffsets[1]]
		dst := p[pos : pos+ref.count]
		for j := range dst {
			var v float64
			if ref.e.Dtype == "F64" {
				v = math.Float64frombits(binary.LittleEndian.Uint64(b[8*j:]))
			} else {
				v = float64(math.Float32frombits(binary.LittleEndian.Uint32(b[4*j:])))
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				kind := "weight"
				if ti%2 == 1 {
					kind = "bias"
				}
				return nil, fmt.Errorf("generator: tensor layers.%d.%s holds the non-finite value %v at index %d", ti/2, kind, v, j)
			}
			dst[j] = v
		}
		pos += ref.count
	}
	return New(noise, net, out, prov)
}

// metaInt reads a non-negative integer metadata value of at most limit.
func metaInt(meta map[string]string, key string, limit int) (int, error) {
	s, ok := meta[key]
	if !ok {
		return 0, fmt.Errorf("generator: metadata lacks %s", key)
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 || v > limit {
		return 0, fmt.Errorf("generator: metadata %s is %q; want an integer in [0, %d]", key, s, limit)
	}
	return v, nil
}

// readN reads exactly n bytes, growing its buffer only as bytes arrive,
// so a length field that lies costs no more memory than the file holds.
func readN(r io.Reader, n int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, n))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) != n {
		return nil, errors.New("short read")
	}
	return b, nil
}
