package train

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// toy is a small trainer for the tests: noisy gradient descent with
// momentum on a quadratic, driven by its own PCG source, so that every
// step reads and changes parameters, a buffer and a random source.
type toy struct {
	w, m  []float64
	src   *rand.PCG
	rng   *rand.Rand
	nanAt int           // a step whose loss is NaN (0: none)
	sleep time.Duration // per step
	calls int
}

func newToy(seed uint64) *toy {
	src := rand.NewPCG(seed, seed^0x5555)
	return &toy{w: []float64{3, -2, 1}, m: make([]float64, 3), src: src, rng: rand.New(src)}
}

func (t *toy) state() *State {
	return &State{
		Params:  []Tensor{{Name: "w", Data: t.w}},
		Buffers: []Tensor{{Name: "m", Data: t.m}},
		Blobs:   []Blob{{Name: "rng", Value: t.src}},
	}
}

func (t *toy) step(ctx context.Context, s int) ([]float64, error) {
	t.calls++
	if t.sleep > 0 {
		time.Sleep(t.sleep)
	}
	var loss float64
	for i := range t.w {
		g := 2*t.w[i] + 0.1*t.rng.NormFloat64()
		loss += t.w[i] * t.w[i]
		t.m[i] = 0.9*t.m[i] + g
		t.w[i] -= 0.01 * t.m[i]
	}
	if s == t.nanAt {
		loss = math.NaN()
	}
	return []float64{loss, -loss}, nil
}

// run trains a fresh toy for n steps without interruption.
func run(tb testing.TB, seed uint64, n int) *toy {
	tb.Helper()
	t := newToy(seed)
	l := Loop{Budget: Budget{Steps: n}, NoBar: true}
	if _, err := l.Run(context.Background(), t.state(), t.step); err != nil {
		tb.Fatal(err)
	}
	return t
}
