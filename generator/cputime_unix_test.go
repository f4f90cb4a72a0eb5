//go:build unix

package generator

import "syscall"

// cpuTime is the processor time (user + system) the process has used, in
// nanoseconds: on a shared machine it measures the work of a benchmark
// better than the wall clock does.
func cpuTime() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
