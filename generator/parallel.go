package generator

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
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
	// state holds jobOpen while the caller accepts helpers, and the
	// number of helpers working on the job; seq is the number the caller
	// gave it when it asked for helpers.
	state, seq atomic.Int64
}

const jobOpen = 1 << 40

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
// jobs sent to them. Waking a parked goroutine on an idle processor can
// take a good part of a Sample call (a sleeping thread must be woken), so
// a helper that has finished a job watches for the next one for spinWait
// before it parks again: calls that follow one another closely find it
// awake.
var helpers struct {
	mu   sync.Mutex
	n    atomic.Int32
	jobs chan *job
	// offer is the newest job that asked for helpers, and seq numbers
	// those jobs; spinning counts the helpers watching offer.
	offer    atomic.Pointer[job]
	seq      atomic.Int64
	spinning atomic.Int32
}

const spinWait = time.Millisecond

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
		last := j.help(0)
		helpers.spinning.Add(1)
		for t0 := time.Now(); time.Since(t0) < spinWait; {
			if o := helpers.offer.Load(); o != nil && o.seq.Load() != last {
				if s := o.help(last); s != last {
					last = s
					t0 = time.Now()
					continue
				}
			}
			runtime.Gosched()
		}
		helpers.spinning.Add(-1)
	}
}

// help works on j if it still has rows to share out, and returns the
// number of the job it helped, or last if it could not join.
func (j *job) help(last int64) int64 {
	if !j.join() {
		return last
	}
	s := j.seq.Load()
	w := j.g.getWork()
	w.ws.SetSerial(true)
	j.run(w)
	j.g.putWork(w)
	j.state.Add(-1)
	return s
}

// join counts the calling helper in if the job is open.
func (j *job) join() bool {
	for {
		s := j.state.Load()
		if s&jobOpen == 0 {
			return false
		}
		if j.state.CompareAndSwap(s, s+1) {
			return true
		}
	}
}

// mapRows sets x to the generator's output on the n rows of z, using the
// caller's w and up to GOMAXPROCS−1 helpers.
func (g *Generator) mapRows(w *work, z, x []float64, n int) {
	j := &w.job
	j.g, j.z, j.x, j.n = g, z, x, n
	j.next.Store(0)
	j.state.Store(jobOpen)
	h := min(runtime.GOMAXPROCS(0)-1, (n+chunk-1)/chunk-1)
	// With helpers the goroutines share chunks, and each product stays on
	// its goroutine; a single chunk's products share themselves out.
	w.ws.SetSerial(h > 0)
	if h > 0 {
		ensureHelpers(h)
		j.seq.Store(helpers.seq.Add(1))
		helpers.offer.Store(j)
		for range h - int(helpers.spinning.Load()) {
			select {
			case helpers.jobs <- j:
			default: // the queue is full: do the work ourselves
			}
		}
	}
	j.run(w)
	// Close the job to helpers that have not joined yet and wait for
	// those inside, who are finishing their last chunk. An offer of this
	// job that a helper takes later finds it closed, or open again for a
	// later call of the same workspace, which it then helps as correctly.
	j.state.Add(-jobOpen)
	for j.state.Load() != 0 {
		runtime.Gosched()
	}
	helpers.offer.CompareAndSwap(j, nil) // let an unused generator be collected
	j.z, j.x = nil, nil
}
