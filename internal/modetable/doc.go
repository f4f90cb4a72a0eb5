// Package modetable holds what the ring and grid mode tables of gan and
// gmn share (tables set against PacGAN's Table 1, Lin et al. 2018): their
// settings read from the environment, the machine's load for the header
// of the raw output, and each column summarised over seeds as mean ± sd.
package modetable
