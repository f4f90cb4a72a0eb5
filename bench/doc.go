// Command bench runs variate's comparison suite: every applicable method
// on every catalogue target, measured for fidelity and throughput with
// the same seed and sizes, and writes a report.
//
// Usage:
//
//	go run ./bench [flags]
//
// The quick suite (the default) takes a few minutes on two cores. It
// prints to stdout one aligned table per kind of method (i.i.d., MCMC)
// and of target (1-D, d-D), each with the columns that apply to it, then
// the methods that do not apply, once per target; and writes, into -out
// (default variate-report/), report.md with the tables and plots,
// results.json and results.csv with every figure, and PNG plots.
//
// Flags:
//
//	-suite quick|full   full: larger n and several seeds, mean ± sd
//	-targets a,b,...    targets to run (default: all; see -list)
//	-methods a,b,...    methods to run (default: all; see -list)
//	-n N                draws per cell (default: 100000 quick, 1000000 full)
//	-seed S             base seed (default 1)
//	-out DIR            report directory ("" writes none)
//	-format F           stdout format: text, md, json or csv
//	-readme FILE        rewrite FILE's comparison section with the results
//	-list               list targets and methods with what each needs
//
// The exit status is 2 for bad flags and 1 when any cell failed. Ctrl-C
// stops the run after the cell under way: it writes the report of what
// was measured, says on stderr and in report.md that the run was
// interrupted, and exits with status 130.
package main
