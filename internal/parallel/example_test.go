package parallel_test

import (
	"fmt"

	"github.com/variate/variate/internal/parallel"
)

func ExampleFor() {
	squares := make([]int, 5)
	err := parallel.For(len(squares), func(i int) { squares[i] = i * i })
	fmt.Println(squares, err)

	err = parallel.For(3, func(i int) {
		if i == 1 {
			panic("bad item")
		}
	})
	fmt.Println(err.(*parallel.PanicError).Value)
	// Output:
	// [0 1 4 9 16] <nil>
	// bad item
}

func ExampleSum() {
	s, err := parallel.Sum(4, func(i int) float64 { return 1 / float64(i+1) })
	fmt.Printf("%.4f %v\n", s, err)
	// Output: 2.0833 <nil>
}
