package modetable

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMeanSDAndEnv(t *testing.T) {
	assert.Equal(t, "-", MeanSD(nil, 0, "%.1f"))
	assert.Equal(t, "3.0 ± 0.0", MeanSD([]Row{{3, 0, 0}}, 0, "%.1f"))
	assert.Equal(t, "2.0 ± 1.4", MeanSD([]Row{{1, 0, 0}, {3, 0, 0}}, 0, "%.1f"))
	t.Setenv("MODETABLE_N", "12")
	assert.Equal(t, 12, EnvInt("MODETABLE_N", 5))
	t.Setenv("MODETABLE_N", "-3")
	assert.Equal(t, 5, EnvInt("MODETABLE_N", 5))
	t.Setenv("MODETABLE_N", "x")
	assert.Equal(t, 5, EnvInt("MODETABLE_N", 5))
	t.Setenv("MODETABLE_L", "")
	assert.Equal(t, []string{"ring", "grid"}, EnvList("MODETABLE_L", "ring,grid"))
	t.Setenv("MODETABLE_L", "grid")
	assert.Equal(t, []string{"grid"}, EnvList("MODETABLE_L", "ring,grid"))
	assert.NotEmpty(t, LoadAvg())
}
