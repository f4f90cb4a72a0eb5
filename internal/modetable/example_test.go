package modetable_test

import (
	"fmt"

	"github.com/variate/variate/internal/modetable"
)

func ExampleMeanSD() {
	rows := []modetable.Row{{8, 98.0, 0.004}, {8, 99.0, 0.002}, {7, 97.0, 0.03}}
	fmt.Println(modetable.MeanSD(rows, 0, "%.1f"), "|", modetable.MeanSD(rows, 1, "%.1f"), "|", modetable.MeanSD(rows, 2, "%.3f"))
	// Output: 7.7 ± 0.6 | 98.0 ± 1.0 | 0.012 ± 0.016
}
