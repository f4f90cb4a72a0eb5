//go:build unix

package gmn

import (
	"syscall"
	"time"
)

// cpuTime is the processor time (user and system) the process has used,
// which other processes on a shared machine do not inflate the way they
// inflate wall time.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return -1
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
