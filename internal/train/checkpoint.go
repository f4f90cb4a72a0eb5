package train

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"
)

// A checkpoint file is
//
//	magic "VARIATE-CKPT" (12 bytes) | format version, uint32 LE |
//	header length H, uint64 LE | header, H bytes of JSON |
//	data section | SHA-256 of every byte before it (32 bytes)
//
// The header gives the configuration fingerprint, the step, the training
// time so far and, for every entry of the State, its name, kind, and byte
// offset and size within the data section; tensors are stored as float64
// little endian, blobs as their MarshalBinary bytes. Entries follow each
// other without gaps, in the order of the State, and fill the data section
// exactly. The checksum is verified before anything else is read.
const (
	magic         = "VARIATE-CKPT"
	formatVersion = 1
	prefixLen     = len(magic) + 4 + 8
	sumLen        = sha256.Size
	// maxHeader bounds the JSON header, and so what a corrupted length
	// can make a reader allocate.
	maxHeader = 1 << 24
	// maxFile bounds a checkpoint file read into memory.
	maxFile = 1 << 34
)

// A Checkpoint is what a checkpoint file records besides the State.
type Checkpoint struct {
	// Fingerprint identifies the configuration that wrote the file.
	Fingerprint string
	// Step is the number of steps completed.
	Step int
	// Elapsed is the training time spent over those steps.
	Elapsed time.Duration
}

type header struct {
	Fingerprint string  `json:"fingerprint"`
	Step        int64   `json:"step"`
	ElapsedNS   int64   `json:"elapsed_ns"`
	Entries     []entry `json:"entries"`
}

type entry struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Offset int64  `json:"offset"`
	Size   int64  `json:"size"`
}

// Encode returns the checkpoint file for c and st.
func Encode(c Checkpoint, st *State) ([]byte, error) {
	st.check()
	if c.Step < 0 || c.Elapsed < 0 {
		panic("train: negative step or elapsed time in a Checkpoint")
	}
	var data []byte
	h := header{Fingerprint: c.Fingerprint, Step: int64(c.Step), ElapsedNS: int64(c.Elapsed)}
	add := func(name, kind string, b []byte) {
		h.Entries = append(h.Entries, entry{Name: name, Kind: kind, Offset: int64(len(data)), Size: int64(len(b))})
		data = append(data, b...)
	}
	tensor := func(t Tensor) []byte {
		b := make([]byte, 8*len(t.Data))
		for i, v := range t.Data {
			binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
		}
		return b
	}
	for _, t := range st.Params {
		add(t.Name, kindParam, tensor(t))
	}
	for _, t := range st.Buffers {
		add(t.Name, kindBuffer, tensor(t))
	}
	for _, b := range st.Blobs {
		v, err := b.Value.MarshalBinary()
		if err != nil {
			return nil, fmt.Errorf("train: saving %q: %w", b.Name, err)
		}
		add(b.Name, kindBlob, v)
	}
	hj, err := json.Marshal(h)
	if err != nil {
		return nil, fmt.Errorf("train: encoding the checkpoint header: %w", err)
	}
	out := make([]byte, 0, prefixLen+len(hj)+len(data)+sumLen)
	out = append(out, magic...)
	out = binary.LittleEndian.AppendUint32(out, formatVersion)
	out = binary.LittleEndian.AppendUint64(out, uint64(len(hj)))
	out = append(out, hj...)
	out = append(out, data...)
	sum := sha256Sum(out)
	return append(out, sum[:]...), nil
}

// Decode checks the checkpoint file b against the configuration
// fingerprint and the shape of st and, if everything matches, loads it
// into st. On any error st is left as it was.
func Decode(b []byte, fingerprint string, st *State) (Checkpoint, error) {
	return decode(b, fingerprint, st, nil)
}

// decode is Decode with a last check of the checkpoint's record before
// anything is loaded.
func decode(b []byte, fingerprint string, st *State, accept func(Checkpoint) error) (Checkpoint, error) {
	st.check()
	if len(b) < prefixLen+sumLen {
		return Checkpoint{}, fmt.Errorf("train: checkpoint is %d bytes, too short to be one", len(b))
	}
	if string(b[:len(magic)]) != magic {
		return Checkpoint{}, errors.New("train: not a checkpoint file (wrong magic bytes)")
	}
	body, sum := b[:len(b)-sumLen], b[len(b)-sumLen:]
	if want := sha256Sum(body); !bytes.Equal(sum, want[:]) {
		return Checkpoint{}, errors.New("train: checkpoint is corrupted or truncated (checksum mismatch)")
	}
	if v := binary.LittleEndian.Uint32(b[len(magic):]); v != formatVersion {
		return Checkpoint{}, fmt.Errorf("train: checkpoint format version %d; this build reads version %d", v, formatVersion)
	}
	hl := binary.LittleEndian.Uint64(b[len(magic)+4:])
	if hl > maxHeader || hl > uint64(len(body)-prefixLen) {
		return Checkpoint{}, fmt.Errorf("train: checkpoint header length %d is past the end of the file or over %d", hl, maxHeader)
	}
	var h header
	dec := json.NewDecoder(bytes.NewReader(body[prefixLen : prefixLen+int(hl)]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		return Checkpoint{}, fmt.Errorf("train: checkpoint header: %w", err)
	}
	if h.Fingerprint != fingerprint {
		return Checkpoint{}, fmt.Errorf("train: checkpoint was written by a different configuration (fingerprint %.16s…, this run %.16s…); resume with the configuration that wrote it", h.Fingerprint, fingerprint)
	}
	if h.Step < 0 || h.ElapsedNS < 0 {
		return Checkpoint{}, fmt.Errorf("train: checkpoint has step %d and elapsed time %d ns; neither may be negative", h.Step, h.ElapsedNS)
	}
	data := body[prefixLen+int(hl):]

	// The expected entries, in order.
	type want struct {
		name, kind string
		size       int64 // -1 for blobs
	}
	var ws []want
	for _, t := range st.Params {
		ws = append(ws, want{t.Name, kindParam, 8 * int64(len(t.Data))})
	}
	for _, t := range st.Buffers {
		ws = append(ws, want{t.Name, kindBuffer, 8 * int64(len(t.Data))})
	}
	for _, b := range st.Blobs {
		ws = append(ws, want{b.Name, kindBlob, -1})
	}
	if len(h.Entries) != len(ws) {
		return Checkpoint{}, fmt.Errorf("train: checkpoint has %d entries; this configuration has %d", len(h.Entries), len(ws))
	}
	var off int64
	for i, e := range h.Entries {
		w := ws[i]
		if e.Name != w.name || e.Kind != w.kind {
			return Checkpoint{}, fmt.Errorf("train: checkpoint entry %d is %s %q; this configuration expects %s %q", i, e.Kind, e.Name, w.kind, w.name)
		}
		if e.Offset != off || e.Size < 0 || e.Size > int64(len(data))-off {
			return Checkpoint{}, fmt.Errorf("train: checkpoint entry %q has offset %d and size %d, not contiguous within the %d data bytes", e.Name, e.Offset, e.Size, len(data))
		}
		if w.size >= 0 && e.Size != w.size {
			return Checkpoint{}, fmt.Errorf("train: checkpoint tensor %q has %d values; this configuration has %d", e.Name, e.Size/8, w.size/8)
		}
		off += e.Size
	}
	if off != int64(len(data)) {
		return Checkpoint{}, fmt.Errorf("train: checkpoint has %d data bytes after its last entry", int64(len(data))-off)
	}

	c := Checkpoint{Fingerprint: h.Fingerprint, Step: int(h.Step), Elapsed: time.Duration(h.ElapsedNS)}
	if accept != nil {
		if err := accept(c); err != nil {
			return Checkpoint{}, err
		}
	}

	// Blobs can fail to load; keep their current bytes to put them back.
	blobAt := len(st.Params) + len(st.Buffers)
	old := make([][]byte, len(st.Blobs))
	for i, bl := range st.Blobs {
		v, err := bl.Value.MarshalBinary()
		if err != nil {
			return Checkpoint{}, fmt.Errorf("train: saving %q before loading it: %w", bl.Name, err)
		}
		old[i] = v
	}
	for i, bl := range st.Blobs {
		e := h.Entries[blobAt+i]
		if err := bl.Value.UnmarshalBinary(data[e.Offset : e.Offset+e.Size]); err != nil {
			for j := range i + 1 {
				_ = st.Blobs[j].Value.UnmarshalBinary(old[j])
			}
			return Checkpoint{}, fmt.Errorf("train: checkpoint entry %q: %w", bl.Name, err)
		}
	}
	load := func(t Tensor, e entry) {
		b := data[e.Offset : e.Offset+e.Size]
		for k := range t.Data {
			t.Data[k] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*k:]))
		}
	}
	for i, t := range st.Params {
		load(t, h.Entries[i])
	}
	for i, t := range st.Buffers {
		load(t, h.Entries[len(st.Params)+i])
	}
	return c, nil
}

// WriteCheckpoint writes the checkpoint for c and st to path atomically:
// into a temporary file in the same directory, synced to disk, then
// renamed over path, so that path holds either the old checkpoint or the
// new one, never part of one.
func WriteCheckpoint(path string, c Checkpoint, st *State) error {
	b, err := Encode(c, st)
	if err != nil {
		return err
	}
	return writeAtomic(path, b)
}

func writeAtomic(path string, b []byte) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("train: writing checkpoint: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			err = fmt.Errorf("train: writing checkpoint %s: %w", path, err)
		}
	}()
	if _, err = f.Write(b); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	// Make the rename itself durable; not every system can sync a
	// directory, and the file is complete either way.
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// ReadCheckpoint reads the checkpoint at path and loads it into st if it
// was written by the configuration with this fingerprint and matches the
// shape of st. On any error st is left as it was.
func ReadCheckpoint(path, fingerprint string, st *State) (Checkpoint, error) {
	return readCheckpoint(path, fingerprint, st, nil)
}

func readCheckpoint(path, fingerprint string, st *State, accept func(Checkpoint) error) (Checkpoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("train: reading checkpoint: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return Checkpoint{}, fmt.Errorf("train: reading checkpoint: %w", err)
	}
	if fi.Size() > maxFile {
		return Checkpoint{}, fmt.Errorf("train: checkpoint %s is %d bytes, over the %d a checkpoint may have", path, fi.Size(), int64(maxFile))
	}
	b, err := io.ReadAll(io.LimitReader(f, maxFile))
	if err != nil {
		return Checkpoint{}, fmt.Errorf("train: reading checkpoint: %w", err)
	}
	c, err := decode(b, fingerprint, st, accept)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("%w (in %s)", err, path)
	}
	return c, nil
}

func sha256Sum(b []byte) [sumLen]byte { return sha256.Sum256(b) }
