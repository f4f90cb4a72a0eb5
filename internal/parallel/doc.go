// Package parallel is the one home of the library's deterministic parallel
// loops: a loop over n independent items spread over min(GOMAXPROCS, n)
// goroutines, the caller's included, such that neither the split of the
// work nor the order of any reduction depends on the number of workers.
//
// [Concurrent] instead runs every item at once on a goroutine of its own,
// for long items that should progress together.
//
// Items are handed out one at a time in increasing index order to whichever
// worker is free. A result is therefore the same bit for bit whatever
// GOMAXPROCS is as long as item i writes only to slots of its own and the
// caller combines the slots in a fixed order, as [Sum] does; per-worker
// scratch space (the worker argument of [Body]) must not carry values from
// one item into another's result.
//
// A panic in the item function on any goroutine, the caller's included, is
// recovered and returned to the caller as a *[PanicError] holding the
// value and the stack of the goroutine that panicked; it is never
// re-raised. Once an item has panicked, or the context of [ForContext] is
// done, no further item starts; items already running finish.
package parallel
