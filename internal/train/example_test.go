package train_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/variate/variate/internal/train"
)

// A trainer lists its state, and the Loop runs, checkpoints and resumes
// it: here stochastic gradient descent on (w − 1)², stopped after 50
// steps and resumed to 100, ends where an uninterrupted run of 100 does.
func Example() {
	dir, _ := os.MkdirTemp("", "train")
	defer os.RemoveAll(dir)
	ckpt := filepath.Join(dir, "run.ckpt")

	newRun := func() (*train.State, train.StepFunc, []float64) {
		w := []float64{5}
		src := rand.NewPCG(1, 2)
		rng := rand.New(src)
		st := &train.State{
			Params: []train.Tensor{{Name: "w", Data: w}},
			Blobs:  []train.Blob{{Name: "rng", Value: src}},
		}
		step := func(_ context.Context, _ int) ([]float64, error) {
			loss := (w[0] - 1) * (w[0] - 1)
			w[0] -= 0.05 * (2*(w[0]-1) + 0.1*rng.NormFloat64())
			return []float64{loss}, nil
		}
		return st, step, w
	}
	fp, _ := train.Fingerprint(struct{ LR float64 }{0.05})

	st, step, _ := newRun()
	first := train.Loop{Budget: train.Budget{Steps: 50}, Fingerprint: fp, Checkpoint: ckpt, NoBar: true}
	if _, err := first.Run(context.Background(), st, step); err != nil {
		fmt.Println(err)
	}
	st, step, resumed := newRun()
	second := train.Loop{Budget: train.Budget{Steps: 100}, Fingerprint: fp, Resume: ckpt, NoBar: true}
	res, err := second.Run(context.Background(), st, step)
	if err != nil {
		fmt.Println(err)
	}
	st, step, straight := newRun()
	whole := train.Loop{Budget: train.Budget{Steps: 100}, NoBar: true}
	if _, err := whole.Run(context.Background(), st, step); err != nil {
		fmt.Println(err)
	}
	fmt.Printf("resumed from step %d, ran to %d: w = %.4f\n", res.Resumed, res.Steps, resumed[0])
	fmt.Println("same bits as without the interruption:", resumed[0] == straight[0])
	// Output:
	// resumed from step 50, ran to 100: w = 1.0142
	// same bits as without the interruption: true
}
