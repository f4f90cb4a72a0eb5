package compare_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/variate/variate/internal/compare"
	"github.com/variate/variate/target"
)

func ExampleRun() {
	table, _ := compare.MethodByName("table")
	r := compare.Run(context.Background(), []*target.Target{target.Beta(), target.Gauss2()},
		[]compare.Method{table}, compare.Config{N: 10000, Seed: 1}, nil)
	for _, c := range r.Cells {
		fmt.Println(strings.TrimSpace(fmt.Sprintf("%s %s: %s %s", c.Target, c.Method, c.Status, c.Reason)))
	}
	// Output:
	// beta table: ok
	// gauss2 table: n/a needs a 1-D target
}
