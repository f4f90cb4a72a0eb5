package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The README's peer tables are what bench/peers/tables.py writes from the
// raw files of the sitting its marker names.
func TestReadmePeerTables(t *testing.T) {
	const python = "/usr/bin/python3"
	if _, err := os.Stat(python); err != nil {
		t.Skip("no Python to run bench/peers/tables.py")
	}
	b, err := os.ReadFile(filepath.Join("..", "README.md"))
	require.NoError(t, err)
	m := regexp.MustCompile("(?s)<!-- peers: written by `/usr/bin/python3 bench/peers/tables.py ([^`]+)`; do not edit by hand -->\n(.*)<!-- end of peers -->\n").FindSubmatch(b)
	require.NotNil(t, m, "README.md has no peers markers")
	// The arguments are paths from the module root; this test runs in bench.
	args := []string{filepath.Join("peers", "tables.py")}
	for _, a := range strings.Fields(string(m[1])) {
		if k, v, ok := strings.Cut(a, "="); ok {
			args = append(args, k+"="+strings.TrimPrefix(v, "bench/"))
		} else {
			args = append(args, strings.TrimPrefix(a, "bench/"))
		}
	}
	cmd := exec.Command(python, args...)
	out, err := cmd.Output()
	require.NoError(t, err)
	assert.Equal(t, "\n"+string(out), string(m[2]))
}
