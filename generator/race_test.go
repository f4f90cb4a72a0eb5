//go:build race

package generator

// raceEnabled is set under the race detector, whose sync.Pool drops
// entries at random, so allocation counts mean nothing there.
const raceEnabled = true
