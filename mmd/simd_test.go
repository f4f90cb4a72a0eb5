package mmd

import (
	"testing"

	"github.com/variate/variate/internal/kernels"
)

// withoutAVX2 runs f with the assembly kernels switched off, so that the
// plain Go fallbacks are tested on machines that have AVX2 too.
func withoutAVX2(t *testing.T, f func()) {
	t.Helper()
	defer kernels.SetPath(kernels.PathGo)()
	f()
}

// The estimators with the Go fallbacks agree with the definitions too.
func TestEstimatorsWithoutAVX2(t *testing.T) {
	withoutAVX2(t, func() { TestEstimatorsMatchTextbook(t) })
}
