//go:build !unix

package gan

// cpuTime is not measured on this system.
func cpuTime() int64 { return 0 }
