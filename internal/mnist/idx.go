package mnist

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Magic numbers of the IDX format: two zero bytes, the element type
// (0x08, unsigned byte) and the number of dimensions.
const (
	ImageMagic = 0x00000803
	LabelMagic = 0x00000801
)

// MaxBytes is the largest payload ReadImages and ReadLabels accept, so
// that a damaged header cannot ask for an absurd amount of memory; the
// MNIST training images hold 47,040,000 bytes.
const MaxBytes = 1 << 30

// Images is a set of grey-level images: N images of Rows × Cols pixels,
// stored row after row, one image after another, each pixel its grey
// level divided by 255, in [0, 1].
type Images struct {
	N, Rows, Cols int
	Pixels        []float64
}

// Dim is the number of pixels of one image, Rows·Cols.
func (im *Images) Dim() int { return im.Rows * im.Cols }

// Image returns the pixels of image i (a slice of Pixels, not a copy).
// It panics if i is out of range.
func (im *Images) Image(i int) []float64 {
	if i < 0 || i >= im.N {
		panic(fmt.Sprintf("mnist: image %d of %d", i, im.N))
	}
	d := im.Dim()
	return im.Pixels[i*d : (i+1)*d]
}

// ReadImages reads an IDX file of unsigned-byte images (magic 0x00000803,
// three dimensions: count, rows, columns), gzip-compressed or raw. It
// returns an error when the stream is not such a file, when a dimension is
// zero, when the payload would exceed MaxBytes, or when the stream ends
// before the last image or goes on after it.
func ReadImages(r io.Reader) (*Images, error) {
	br, err := uncompressed(r)
	if err != nil {
		return nil, err
	}
	dims, err := header(br, ImageMagic, 3, "images")
	if err != nil {
		return nil, err
	}
	n, rows, cols := dims[0], dims[1], dims[2]
	if rows == 0 || cols == 0 {
		return nil, fmt.Errorf("the header gives images of %d×%d pixels; both sides must be at least 1", rows, cols)
	}
	b, err := payload(br, n*rows*cols, fmt.Sprintf("%d images of %d×%d pixels", n, rows, cols))
	if err != nil {
		return nil, err
	}
	im := &Images{N: n, Rows: rows, Cols: cols, Pixels: make([]float64, len(b))}
	for i, v := range b {
		im.Pixels[i] = float64(v) / 255
	}
	return im, nil
}

// ReadLabels reads an IDX file of unsigned-byte labels (magic 0x00000801,
// one dimension: count), gzip-compressed or raw. Besides the checks of
// ReadImages, every label must be a digit, 0 to 9.
func ReadLabels(r io.Reader) ([]uint8, error) {
	br, err := uncompressed(r)
	if err != nil {
		return nil, err
	}
	dims, err := header(br, LabelMagic, 1, "labels")
	if err != nil {
		return nil, err
	}
	b, err := payload(br, dims[0], fmt.Sprintf("%d labels", dims[0]))
	if err != nil {
		return nil, err
	}
	for i, v := range b {
		if v > 9 {
			return nil, fmt.Errorf("label %d is %d; MNIST labels are digits 0 to 9", i, v)
		}
	}
	return b, nil
}

// uncompressed returns r, decompressed if it starts with the gzip magic
// bytes 1f 8b (an IDX file starts with two zero bytes, so the two cannot
// be confused).
func uncompressed(r io.Reader) (*bufio.Reader, error) {
	br := bufio.NewReader(r)
	p, err := br.Peek(2)
	if err == nil && p[0] == 0x1f && p[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("the gzip header is damaged: %v", err)
		}
		return bufio.NewReader(zr), nil
	}
	return br, nil
}

// header reads the magic number and the dimensions, checking that their
// product stays within MaxBytes.
func header(r io.Reader, magic uint32, ndim int, what string) ([]int, error) {
	var m uint32
	if err := binary.Read(r, binary.BigEndian, &m); err != nil {
		return nil, fmt.Errorf("the file ends inside the IDX header (%v); it is truncated or empty", short(err))
	}
	if m != magic {
		if m&0xffff0000 == 0 && m>>8&0xff == 0x08 {
			return nil, fmt.Errorf("the magic number is %#08x (unsigned bytes in %d dimensions), not %#08x: this is not an IDX file of %s", m, m&0xff, magic, what)
		}
		return nil, fmt.Errorf("the magic number is %#08x, not %#08x: this is not an IDX file of %s (nor a gzip-compressed one)", m, magic, what)
	}
	dims := make([]int, ndim)
	total := uint64(1)
	for i := range dims {
		var d uint32
		if err := binary.Read(r, binary.BigEndian, &d); err != nil {
			return nil, fmt.Errorf("the file ends inside the IDX header, at dimension %d of %d (%v); it is truncated", i+1, ndim, short(err))
		}
		dims[i] = int(d)
		total *= uint64(d) // at most three factors below 2^32 each: checked as it grows
		if total > MaxBytes {
			return nil, fmt.Errorf("the header's dimensions %v ask for more than %d bytes; the header is damaged", dims[:i+1], MaxBytes)
		}
	}
	return dims, nil
}

// payload reads exactly n bytes and checks that nothing follows them.
// It allocates as the data arrive, not n bytes up front, so that a header
// promising more than the stream holds costs no more than the stream.
func payload(r io.Reader, n int, what string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, int64(n)))
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return nil, fmt.Errorf("the compressed file ends after %d of the %d bytes of %s; it is truncated", len(b), n, what)
	case errors.Is(err, gzip.ErrChecksum):
		return nil, fmt.Errorf("the compressed data of %s fail their checksum; the file is damaged", what)
	case err != nil:
		return nil, fmt.Errorf("reading %s: %v", what, err)
	}
	if len(b) < n {
		return nil, fmt.Errorf("the file ends after %d of the %d bytes of %s; it is truncated", len(b), n, what)
	}
	var extra [1]byte
	if k, err := io.ReadFull(r, extra[:]); k > 0 {
		return nil, fmt.Errorf("the file goes on after the %d bytes of %s the header announces; its header or its data are wrong", n, what)
	} else if errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, fmt.Errorf("the compressed file ends before its gzip trailer; it is truncated")
	} else if errors.Is(err, gzip.ErrChecksum) {
		return nil, fmt.Errorf("the compressed data of %s fail their checksum; the file is damaged", what)
	} else if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("reading past %s: %v", what, err)
	}
	return b, nil
}

func short(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return io.EOF
	}
	return err
}
