package kernels

import "fmt"

// A Path names one implementation of the kernels: the plain-Go twins that
// every architecture builds, or one of the amd64 instruction sets. All
// paths agree to rounding; on one machine and one path the results do not
// depend on GOMAXPROCS.
type Path int

// The implementations, from the most portable.
const (
	PathGo     Path = iota // plain Go
	PathAVX2               // AVX2 and FMA (amd64)
	PathAVX512             // AVX-512F for Gemm, the exponential and the powers, AVX2 for the other vector kernels (amd64)
)

func (p Path) String() string {
	switch p {
	case PathGo:
		return "go"
	case PathAVX2:
		return "avx2"
	case PathAVX512:
		return "avx512"
	}
	return fmt.Sprintf("Path(%d)", int(p))
}

// bestPath is what the processor and operating system support, read once.
var bestPath = detectPath()

// path is the implementation in use; only SetPath changes it.
var path = bestPath

// Paths returns the paths this machine can run, from the most portable.
func Paths() []Path {
	ps := []Path{PathGo}
	if bestPath >= PathAVX2 {
		ps = append(ps, PathAVX2)
	}
	if bestPath >= PathAVX512 {
		ps = append(ps, PathAVX512)
	}
	return ps
}

// SetPath makes every kernel use p and returns a function that restores
// the previous choice. It exists so that tests and benchmarks can run each
// implementation on one machine; it must not be called while kernels run
// on other goroutines. It panics if the machine cannot run p.
func SetPath(p Path) (restore func()) {
	if p < PathGo || p > bestPath {
		panic(fmt.Sprintf("kernels: path %v is not supported on this machine (best is %v)", p, bestPath))
	}
	saved := path
	path = p
	return func() { path = saved }
}
