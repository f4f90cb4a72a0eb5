package parallel

import (
	"context"
	"errors"
	"math"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withProcs runs f at GOMAXPROCS p.
func withProcs(t *testing.T, p int, f func()) {
	t.Helper()
	old := runtime.GOMAXPROCS(p)
	defer runtime.GOMAXPROCS(old)
	f()
}

func TestForEveryItemOnce(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 7, 100, 1000} {
		for _, p := range []int{1, 2, 8} {
			withProcs(t, p, func() {
				counts := make([]int32, n)
				require.NoError(t, For(n, func(i int) { atomic.AddInt32(&counts[i], 1) }))
				for i, c := range counts {
					assert.EqualValues(t, 1, c, "n=%d procs=%d item %d", n, p, i)
				}
			})
		}
	}
}

// The sum is added in index order: the terms are chosen so that any other
// order rounds differently.
func TestSumIndependentOfProcs(t *testing.T) {
	n := 10000
	term := func(i int) float64 { return math.Pow(1.37, float64(i%300)) * math.Sin(float64(i)) }
	var want float64
	for i := range n {
		want += term(i)
	}
	for _, p := range []int{1, 2, 3, 8} {
		withProcs(t, p, func() {
			got, err := Sum(n, term)
			require.NoError(t, err)
			assert.Equal(t, math.Float64bits(want), math.Float64bits(got), "procs=%d", p)
		})
	}
	var rev float64
	for i := n - 1; i >= 0; i-- {
		rev += term(i)
	}
	require.NotEqual(t, want, rev, "the terms must make the order visible")
}

func boom(i int) {
	if i == 5 || i == 9 {
		panic("boom at " + string(rune('0'+i)))
	}
}

func TestPanicComesBack(t *testing.T) {
	for _, p := range []int{1, 2, 8} {
		withProcs(t, p, func() {
			err := For(20, func(i int) {
				time.Sleep(time.Millisecond)
				boom(i)
			})
			var pe *PanicError
			require.ErrorAs(t, err, &pe, "procs=%d", p)
			// Items start in order, so item 5 has started whenever 9
			// has; it is the lowest that panicked.
			assert.Equal(t, 5, pe.Item)
			assert.Equal(t, "boom at 5", pe.Value)
			assert.Contains(t, string(pe.Stack), "parallel.boom", "the stack is the panicking goroutine's")
			assert.Contains(t, err.Error(), "panic in item 5: boom at 5\n")
		})
	}
}

func TestPanicErrorUnwraps(t *testing.T) {
	err := For(4, func(i int) {
		var s []int
		_ = s[i+10] // a runtime error
	})
	var re runtime.Error
	assert.ErrorAs(t, err, &re)
	assert.Contains(t, err.Error(), "index out of range")
	// panic(nil) is reported too.
	err = For(3, func(i int) {
		if i == 2 {
			panic(nil)
		}
	})
	var pe *PanicError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 2, pe.Item)
}

func TestGoexitDoesNotHang(t *testing.T) {
	withProcs(t, 4, func() {
		for range 20 {
			exited := make(chan struct{})
			var err error
			returned := false
			go func() {
				defer close(exited) // runs on Goexit too
				err = For(8, func(i int) {
					if i == 3 {
						runtime.Goexit()
					}
					time.Sleep(time.Millisecond)
				})
				returned = true
			}()
			select {
			case <-exited:
			case <-time.After(5 * time.Second):
				t.Fatal("For hung after runtime.Goexit in an item")
			}
			// When a worker ran item 3, For returns and says so; when
			// the caller's goroutine ran it, that goroutine has ended.
			if returned {
				assert.ErrorContains(t, err, "Goexit")
			}
		}
	})
}

func TestForContextStopsStarting(t *testing.T) {
	why := errors.New("enough")
	// On one goroutine the items run in order: exactly ten start.
	withProcs(t, 1, func() {
		ctx, cancel := context.WithCancelCause(context.Background())
		var started atomic.Int32
		err := ForContext(ctx, 1000, func(i int) {
			if started.Add(1) == 10 {
				cancel(why)
			}
		})
		assert.ErrorIs(t, err, why)
		assert.EqualValues(t, 10, started.Load())
	})
	// On several, another worker may pass its check while the cancel is
	// under way, but with items of 1 ms most of the 1000 never start.
	withProcs(t, 4, func() {
		ctx, cancel := context.WithCancelCause(context.Background())
		var started atomic.Int32
		err := ForContext(ctx, 1000, func(i int) {
			time.Sleep(time.Millisecond)
			if started.Add(1) == 10 {
				cancel(why)
			}
		})
		assert.ErrorIs(t, err, why)
		assert.Less(t, started.Load(), int32(500))
	})
	// A context done before the start runs nothing.
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(why)
	ran := false
	assert.ErrorIs(t, ForContext(ctx, 5, func(int) { ran = true }), why)
	assert.False(t, ran)
	// A context cancelled after the last item started is no error.
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	err := ForContext(ctx2, 3, func(i int) {
		if i == 2 {
			cancel2()
		}
	})
	assert.NoError(t, err)
}

type countBody struct{ hits []int64 }

func (b *countBody) Item(w, i int) { b.hits[i] += int64(w) + 1 }

func TestGroupAllocatesNothing(t *testing.T) {
	var g Group
	b := &countBody{hits: make([]int64, 64)}
	require.NoError(t, g.Run(64, b))
	allocs := testing.AllocsPerRun(100, func() {
		if err := g.Run(64, b); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs)
}

func TestGroupWorkerIndices(t *testing.T) {
	withProcs(t, 3, func() {
		var g Group
		assert.Equal(t, 3, Workers(100))
		assert.Equal(t, 2, Workers(2))
		assert.Equal(t, 0, Workers(0))
		seen := make([]atomic.Int32, 100)
		var bad atomic.Bool
		body := bodyFunc(func(w, i int) {
			if w < 0 || w >= 3 {
				bad.Store(true)
			}
			seen[i].Add(1)
		})
		require.NoError(t, g.Run(100, body))
		assert.False(t, bad.Load())
		for i := range seen {
			assert.EqualValues(t, 1, seen[i].Load())
		}
		// The group is reusable after a panic.
		err := g.Run(10, bodyFunc(func(w, i int) { panic(i) }))
		var pe *PanicError
		require.ErrorAs(t, err, &pe)
		assert.NoError(t, g.Run(10, bodyFunc(func(w, i int) {})))
	})
}

type bodyFunc func(w, i int)

func (f bodyFunc) Item(w, i int) { f(w, i) }

func TestNegativeCountPanics(t *testing.T) {
	assert.PanicsWithValue(t, "parallel: -1 items", func() { _ = For(-1, func(int) {}) })
	var g Group
	assert.PanicsWithValue(t, "parallel: -2 items", func() { _ = g.Run(-2, bodyFunc(func(w, i int) {})) })
}

func TestPanicStackNamesTheFunction(t *testing.T) {
	err := For(2, func(i int) { deepPanic(3) })
	require.Error(t, err)
	assert.True(t, strings.Count(err.Error(), "parallel.deepPanic") >= 3, err.Error())
}

func deepPanic(k int) {
	if k == 0 {
		panic("deep")
	}
	deepPanic(k - 1)
}

// Concurrent runs every item at once: here each item waits for all the
// others to have started, which would deadlock on fewer goroutines.
func TestConcurrentRunsAllAtOnce(t *testing.T) {
	withProcs(t, 1, func() {
		const n = 8
		var started atomic.Int32
		err := Concurrent(n, func(i int) {
			started.Add(1)
			deadline := time.Now().Add(5 * time.Second)
			for started.Load() < n && time.Now().Before(deadline) {
				runtime.Gosched()
			}
			if i == 6 || i == 3 {
				panic(i)
			}
		})
		assert.EqualValues(t, n, started.Load())
		var pe *PanicError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, 3, pe.Item)
		assert.Contains(t, string(pe.Stack), "TestConcurrentRunsAllAtOnce")
	})
	assert.NoError(t, Concurrent(0, func(int) {}))
	assert.Panics(t, func() { _ = Concurrent(-1, func(int) {}) })
}
