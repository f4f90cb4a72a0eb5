package parallel

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// A PanicError reports a panic recovered from the item function.
type PanicError struct {
	// Item is the index of the item whose call panicked.
	Item int
	// Value is the value passed to panic.
	Value any
	// Stack is the stack of the goroutine that panicked, taken when the
	// panic was recovered.
	Stack []byte
}

// Error returns the panic value followed by the stack.
func (e *PanicError) Error() string {
	return fmt.Sprintf("panic in item %d: %v\n%s", e.Item, e.Value, e.Stack)
}

// Unwrap returns the panic value when it is an error (so that errors.Is
// sees, say, a runtime error), and nil otherwise.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// For calls f(i) for every i in [0, n) and waits. The calls run on
// min(GOMAXPROCS, n) goroutines, the caller's included; f must be safe to
// call concurrently for different items. A panic in f comes back as a
// *PanicError (that of the lowest item among those that panicked). It
// panics if n is negative.
func For(n int, f func(i int)) error {
	return ForContext(context.Background(), n, f)
}

// ForContext is For that starts no further item once ctx is done. It
// returns nil if every item ran, the *PanicError of the lowest item that
// panicked if any did, and otherwise context.Cause(ctx) when some item
// never started. Items already running are not interrupted: f watches ctx
// itself when one item can take long.
func ForContext(ctx context.Context, n int, f func(i int)) error {
	if n < 0 {
		panic(fmt.Sprintf("parallel: %d items", n))
	}
	var g Group
	b := funcBody{f: f, done: ctx.Done()}
	err := g.Run(n, &b)
	if err == nil && b.skipped.Load() {
		return context.Cause(ctx)
	}
	return err
}

type funcBody struct {
	f       func(int)
	done    <-chan struct{}
	skipped atomic.Bool
}

func (b *funcBody) Item(_, i int) {
	if b.done != nil {
		select {
		case <-b.done:
			b.skipped.Store(true)
			return
		default:
		}
	}
	b.f(i)
}

// Concurrent calls f(i) for every i in [0, n), each on a goroutine of its
// own, all at once, and waits: for items that run long and should make
// progress together whatever GOMAXPROCS is (the chains of an MCMC run,
// which a cancel cuts to a common length), where For would finish some
// before starting others. Panics come back as in For, that of the lowest
// item among those that panicked; the other items run to their end. It
// panics if n is negative.
func Concurrent(n int, f func(i int)) error {
	if n < 0 {
		panic(fmt.Sprintf("parallel: %d items", n))
	}
	errs := make([]*PanicError, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			ok := false
			defer func() {
				if !ok {
					p := recover()
					if p == nil {
						p = "runtime.Goexit called"
					}
					errs[i] = &PanicError{Item: i, Value: p, Stack: debug.Stack()}
				}
			}()
			f(i)
			ok = true
		})
	}
	wg.Wait()
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// Sum returns f(0) + f(1) + … + f(n−1), added in index order, the calls
// made as For makes them, so that the sum does not depend on GOMAXPROCS.
func Sum(n int, f func(i int) float64) (float64, error) {
	parts := make([]float64, n)
	if err := For(n, func(i int) { parts[i] = f(i) }); err != nil {
		return 0, err
	}
	var s float64
	for _, v := range parts {
		s += v
	}
	return s, nil
}

// A Body is the work of one loop run by a Group.
type Body interface {
	// Item does item i on the worker numbered worker, in
	// [0, min(GOMAXPROCS, n)), which no other goroutine uses while the
	// call lasts (an index into per-worker scratch space).
	Item(worker, i int)
}

// A Group runs loops as For does but, for hot paths, without allocating:
// it keeps its state between runs, and its workers are goroutines started
// with no captured variables. A Group must not be copied after first use,
// and runs one loop at a time.
type Group struct {
	body    Body
	n       int
	next    atomic.Int64
	workers atomic.Int32
	stop    atomic.Bool
	wg      sync.WaitGroup

	mu  sync.Mutex
	err *PanicError
}

// Workers returns the number of goroutines a run of n items uses,
// min(GOMAXPROCS, n): the number of scratch spaces a Body needs.
func Workers(n int) int {
	return max(0, min(runtime.GOMAXPROCS(0), n))
}

// Run calls body.Item for every item in [0, n) on Workers(n) goroutines,
// the caller's included, and waits. A panic in an item comes back as a
// *PanicError, that of the lowest item among those that panicked; no item
// starts after the first panic. It panics if n is negative.
func (g *Group) Run(n int, body Body) error {
	if n < 0 {
		panic(fmt.Sprintf("parallel: %d items", n))
	}
	nw := Workers(n)
	if nw == 0 {
		return nil
	}
	g.body, g.n, g.err = body, n, nil
	g.next.Store(0)
	g.workers.Store(0)
	g.stop.Store(false)
	g.wg.Add(nw - 1)
	for range nw - 1 {
		go groupWorker()
		groupQueue <- g
	}
	g.work()
	g.wg.Wait()
	g.body = nil
	if g.err != nil {
		// Returned as error, not *PanicError, so that a nil result stays
		// a nil interface.
		err := g.err
		g.err = nil
		return err
	}
	return nil
}

// The goroutines of a run take their Group from this channel: started
// with no arguments and no closure, they cost no heap allocation.
var groupQueue = make(chan *Group)

func groupWorker() {
	g := <-groupQueue
	defer g.wg.Done() // also when the body calls runtime.Goexit
	g.work()
}

// work takes items until none is left, recovering a panic of the body.
func (g *Group) work() {
	w := int(g.workers.Add(1) - 1)
	for !g.stop.Load() {
		i := int(g.next.Add(1) - 1)
		if i >= g.n {
			return
		}
		if !g.item(w, i) {
			return
		}
	}
}

// item runs one item and reports whether it returned normally.
func (g *Group) item(w, i int) (ok bool) {
	defer func() {
		if ok {
			return
		}
		p := recover()
		if p == nil {
			p = "runtime.Goexit called" // the goroutine ends after this
		}
		g.stop.Store(true)
		e := &PanicError{Item: i, Value: p, Stack: debug.Stack()}
		g.mu.Lock()
		if g.err == nil || i < g.err.Item {
			g.err = e
		}
		g.mu.Unlock()
	}()
	g.body.Item(w, i)
	return true
}
