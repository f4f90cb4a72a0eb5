package mnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// idxFile returns an IDX file with the given magic, dimensions and payload,
// gzip-compressed when gz is set.
func idxFile(t testing.TB, magic uint32, dims []uint32, payload []byte, gz bool) []byte {
	t.Helper()
	var raw bytes.Buffer
	require.NoError(t, binary.Write(&raw, binary.BigEndian, magic))
	for _, d := range dims {
		require.NoError(t, binary.Write(&raw, binary.BigEndian, d))
	}
	raw.Write(payload)
	if !gz {
		return raw.Bytes()
	}
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	_, err := w.Write(raw.Bytes())
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return z.Bytes()
}

func TestReadImages(t *testing.T) {
	payload := []byte{0, 255, 128, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21}
	for _, gz := range []bool{false, true} {
		im, err := ReadImages(bytes.NewReader(idxFile(t, ImageMagic, []uint32{3, 2, 4}, payload, gz)))
		require.NoError(t, err, "gzip %v", gz)
		assert.Equal(t, 3, im.N)
		assert.Equal(t, 2, im.Rows)
		assert.Equal(t, 4, im.Cols)
		assert.Equal(t, 8, im.Dim())
		require.Len(t, im.Pixels, 24)
		for i, v := range payload {
			assert.Equal(t, float64(v)/255, im.Pixels[i])
		}
		assert.Equal(t, im.Pixels[8:16], im.Image(1))
		assert.Panics(t, func() { im.Image(3) })
	}
}

func TestReadLabels(t *testing.T) {
	for _, gz := range []bool{false, true} {
		l, err := ReadLabels(bytes.NewReader(idxFile(t, LabelMagic, []uint32{4}, []byte{5, 0, 9, 3}, gz)))
		require.NoError(t, err)
		assert.Equal(t, []uint8{5, 0, 9, 3}, l)
	}
	l, err := ReadLabels(bytes.NewReader(idxFile(t, LabelMagic, []uint32{0}, nil, false)))
	require.NoError(t, err)
	assert.Empty(t, l)
}

func TestReadBadInput(t *testing.T) {
	good := idxFile(t, ImageMagic, []uint32{2, 2, 2}, make([]byte, 8), false)
	damaged := idxFile(t, ImageMagic, []uint32{2, 2, 2}, make([]byte, 8), true)
	damaged[len(damaged)-8] ^= 0xff // the CRC-32 of the gzip trailer
	for _, c := range []struct {
		name   string
		file   []byte
		labels bool
		want   string
	}{
		{"empty", nil, false, "ends inside the IDX header"},
		{"short magic", []byte{0, 0, 8}, false, "ends inside the IDX header"},
		{"short dims", good[:9], false, "at dimension 2 of 3"},
		{"labels as images", idxFile(t, LabelMagic, []uint32{2}, []byte{1, 2}, false), false, "magic number is 0x00000801 (unsigned bytes in 1 dimensions), not 0x00000803"},
		{"images as labels", good, true, "not 0x00000801"},
		{"text", []byte("hello, world"), false, "not an IDX file of images (nor a gzip-compressed one)"},
		{"zero side", idxFile(t, ImageMagic, []uint32{2, 0, 2}, nil, false), false, "both sides must be at least 1"},
		{"huge", idxFile(t, ImageMagic, []uint32{1 << 20, 1 << 10, 1 << 10}, nil, false), false, "more than 1073741824 bytes"},
		{"truncated", good[:len(good)-3], false, "ends after 5 of the 8 bytes of 2 images of 2×2 pixels; it is truncated"},
		{"truncated gz", idxFile(t, ImageMagic, []uint32{2, 2, 2}, make([]byte, 8), true)[:30], false, "truncated"},
		{"trailing", append(append([]byte(nil), good...), 7), false, "goes on after the 8 bytes"},
		{"checksum", damaged, false, "fail their checksum"},
		{"gzip header", []byte{0x1f, 0x8b, 1}, false, "gzip header is damaged"},
		{"label 10", idxFile(t, LabelMagic, []uint32{3}, []byte{1, 10, 2}, false), true, "label 1 is 10"},
		{"labels truncated", idxFile(t, LabelMagic, []uint32{3}, []byte{1}, false), true, "ends after 1 of the 3 bytes of 3 labels"},
	} {
		var err error
		if c.labels {
			_, err = ReadLabels(bytes.NewReader(c.file))
		} else {
			_, err = ReadImages(bytes.NewReader(c.file))
		}
		if assert.Error(t, err, c.name) {
			assert.Contains(t, err.Error(), c.want, c.name)
		}
	}
}

// FuzzReadIDX checks that no input makes the readers panic, and that
// whatever they accept is consistent and survives a write and a re-read.
func FuzzReadIDX(f *testing.F) {
	f.Add(idxFile(f, ImageMagic, []uint32{2, 2, 3}, []byte{0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255}, false))
	f.Add(idxFile(f, ImageMagic, []uint32{1, 1, 1}, []byte{9}, true))
	f.Add(idxFile(f, LabelMagic, []uint32{3}, []byte{1, 2, 3}, false))
	f.Add(idxFile(f, LabelMagic, []uint32{2}, []byte{0, 9}, true))
	f.Add(idxFile(f, ImageMagic, []uint32{4000, 4000, 4000}, nil, false))
	f.Add([]byte{0x1f, 0x8b, 8, 0})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		if im, err := ReadImages(bytes.NewReader(b)); err == nil {
			require.Len(t, im.Pixels, im.N*im.Rows*im.Cols)
			payload := make([]byte, len(im.Pixels))
			for i, v := range im.Pixels {
				require.True(t, v >= 0 && v <= 1, "pixel %d is %v", i, v)
				payload[i] = byte(v*255 + 0.5)
			}
			again, err := ReadImages(bytes.NewReader(idxFile(t, ImageMagic, []uint32{uint32(im.N), uint32(im.Rows), uint32(im.Cols)}, payload, false)))
			require.NoError(t, err)
			require.Equal(t, im, again)
		}
		if l, err := ReadLabels(bytes.NewReader(b)); err == nil {
			for _, v := range l {
				require.LessOrEqual(t, v, uint8(9))
			}
			again, err := ReadLabels(bytes.NewReader(idxFile(t, LabelMagic, []uint32{uint32(len(l))}, l, true)))
			require.NoError(t, err)
			require.Equal(t, l, again)
		}
	})
}
