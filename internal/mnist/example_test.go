package mnist_test

import (
	"bytes"
	"fmt"

	"github.com/variate/variate/internal/mnist"
)

// An IDX file of two 2×3 images, read into pixels in [0, 1].
func ExampleReadImages() {
	file := []byte{
		0, 0, 8, 3, // magic: unsigned bytes, three dimensions
		0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3, // 2 images of 2 × 3
		0, 51, 102, 153, 204, 255,
		255, 0, 255, 0, 255, 0,
	}
	im, err := mnist.ReadImages(bytes.NewReader(file))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(im.N, im.Rows, im.Cols, im.Image(0))
	_, err = mnist.ReadLabels(bytes.NewReader(file))
	fmt.Println(err)
	// Output:
	// 2 2 3 [0 0.2 0.4 0.6 0.8 1]
	// the magic number is 0x00000803 (unsigned bytes in 3 dimensions), not 0x00000801: this is not an IDX file of labels
}
