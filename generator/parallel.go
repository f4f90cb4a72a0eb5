package generator

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Sample and Map split their rows into chunks of a fixed size and let
// helper goroutines take chunks from a shared counter. Each chunk is
// computed the same way whoever takes it, so the output does not depend
// on the number of helpers or on scheduling. The noise is drawn before
// the rows are shared out, in row order, by the calling goroutine.

// blockChunks is the number of chunks whose noise is drawn at once: it
// bounds the noise buffer however many draws a call asks for.
const blockChunks = 64

// job is one block of rows shared among the caller and the helpers.
type job struct {
	g    *Generator
	z, x []float64
	n    int          // rows
	next atomic.Int64 // next chunk to take
	wg   sync.WaitGroup
}

// run computes chunks until none is left, with the workspace of w.
func (j *job) run(w *work) {
	g := j.g
	d, k := g.Dim(), g.noise.Dim
	for {
		s := int(j.next.Add(1)-1) * chunk
		if s >= j.n {
			return
		}
		e := min(s+chunk, j.n)
		y := j.x[s*d : e*d]
		g.net.Predict(w.ws, j.z[s*k:e*k], y)
		g.out.Apply(y)
	}
}

// helpers are goroutines, started on first need and kept, that join
// jobs sent to them.
var helpers struct {
	mu   sync.Mutex
	n    atomic.Int32
	jobs chan *job
}

func init() { helpers.jobs = make(chan *job, 1024) }

func ensureHelpers(want int) {
	if int(helpers.n.Load()) >= want {
		return
	}
	helpers.mu.Lock()
	defer helpers.mu.Unlock()
	for int(helpers.n.Load()) < want {
		helpers.n.Add(1)
		go helperLoop()
	}
}

func helperLoop() {
	for j := range helpers.jobs {
		w := j.g.getWork()
		w.ws.SetSerial(true)
		j.run(w)
		j.g.putWork(w)
		j.wg.Done()
	}
}

// mapRows sets x to the generator's output on the n rows of z, using the
// caller's w and up to GOMAXPROCS−1 helpers.
func (g *Generator) mapRows(w *work, z, x []float64, n int) {
	j := &w.job
	j.g, j.z, j.x, j.n = g, z, x, n
	j.next.Store(0)
	h := min(runtime.GOMAXPROCS(0)-1, (n+chunk-1)/chunk-1)
	// With helpers the goroutines share chunks, and each product stays on
	// its goroutine; a single chunk's products share themselves out.
	w.ws.SetSerial(h > 0)
	if h > 0 {
		ensureHelpers(h)
		j.wg.Add(h)
		for range h {
			select {
			case helpers.jobs <- j:
			default: // helpers are saturated: do the work ourselves
				j.wg.Done()
			}
		}
	}
	j.run(w)
	j.wg.Wait()
	j.z, j.x = nil, nil
}
