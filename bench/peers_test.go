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
	m := regexp.MustCompile("(?s)<!-- peers: written by `/usr/bin/python3 bench/peers/tables.py (\\S+)`; do not edit by hand -->\n(.*)<!-- end of peers -->\n").FindSubmatch(b)
	require.NotNil(t, m, "README.md has no peers markers")
	cmd := exec.Command(python, filepath.Join("peers", "tables.py"), strings.TrimPrefix(string(m[1]), "bench/"))
	out, err := cmd.Output()
	require.NoError(t, err)
	assert.Equal(t, "\n"+string(out), string(m[2]))
}
