package kernels

import "golang.org/x/sys/cpu"

// detectPath reads the processor's features; x/sys/cpu includes the check
// that the operating system saves the vector registers.
func detectPath() Path {
	switch {
	case cpu.X86.HasAVX512F && cpu.X86.HasAVX2 && cpu.X86.HasFMA:
		return PathAVX512
	case cpu.X86.HasAVX2 && cpu.X86.HasFMA:
		return PathAVX2
	}
	return PathGo
}
