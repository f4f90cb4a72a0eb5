package modetable

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

// Row is one seed's figures: modes covered, high-quality share in
// percent, and reverse KL.
type Row [3]float64

// MeanSD returns column j of rows as "mean ± sd" with each number in
// format (a fmt verb such as "%.1f"); sd is the sample standard deviation
// (0 for one row) and "-" stands for no rows.
func MeanSD(rows []Row, j int, format string) string {
	if len(rows) == 0 {
		return "-"
	}
	var m, v float64
	for _, r := range rows {
		m += r[j] / float64(len(rows))
	}
	for _, r := range rows {
		v += (r[j] - m) * (r[j] - m)
	}
	if len(rows) > 1 {
		v /= float64(len(rows) - 1)
	}
	return fmt.Sprintf(format+" ± "+format, m, math.Sqrt(v))
}

// LoadAvg returns the three load averages of /proc/loadavg, or "unknown"
// where there is no such file.
func LoadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

// EnvInt returns the positive integer in the environment variable name,
// or def when it is unset, not an integer or not positive.
func EnvInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// EnvList returns the comma-separated list in the environment variable
// name, or def split at its commas when the variable is unset or empty.
func EnvList(name, def string) []string {
	v := os.Getenv(name)
	if v == "" {
		v = def
	}
	return strings.Split(v, ",")
}
