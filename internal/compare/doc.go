// Package compare holds the comparison suite shared by the bench command
// and the root benchmarks: the registry of methods, what each needs from a
// target, and the runner that measures one (target × method) cell.
//
// A method is one registry entry (see [Methods]) plus its own adapter code.
// Whether it applies to a target is computed from what it needs, so adding
// a method never means listing targets by hand.
package compare
