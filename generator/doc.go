// Package generator holds the one type every trained generator of variate
// is, whichever trainer made it: a noise law, a dense network and an
// output map, x = out(net(z)). A [Generator] is a sampler.Sampler and
// reads and writes the safetensors format with PyTorch's nn.Linear tensor
// layout, so a PyTorch user can load ours and we can load theirs.
//
// # File format
//
// A file is safetensors (github.com/huggingface/safetensors): an 8-byte
// little-endian header length, a JSON header, then the tensor bytes. The
// tensors are layers.<i>.weight, shape [out, in], and layers.<i>.bias,
// shape [out], for the i-th linear layer (a Maxout layer with k pieces has
// k·out rows, the pieces of unit j in rows j·k … j·k+k−1, so that
// y.view(-1, out, k).amax(-1) reproduces it in PyTorch). Save writes F64;
// Load reads F64 or F32. The header's __metadata__ holds:
//
//	format            "variate.generator"
//	format_version    "1"
//	noise             "uniform" (on [−1, 1)) or "normal"
//	noise_dim         the noise dimension
//	layers            the number of linear layers
//	layers.<i>.activation  "relu", "leaky_relu(0.2)", "tanh", "sigmoid",
//	                  "softplus", "identity" or "maxout(k)"
//	output            "identity" or "sigmoid", applied after the last layer
//	method, loss, steps, seed   the training provenance
//
// Dropout is a training device and is not saved.
package generator
