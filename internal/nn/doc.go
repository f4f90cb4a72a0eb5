// Package nn holds dense feed-forward networks for the learned samplers:
// batched forward passes, back-propagation to the parameters and to the
// input, initialisation, optimisers (Adam/AdamW, SGD with momentum),
// gradient clipping, step-size schedules and parameter averaging.
//
// # Networks
//
// [New] builds a network from an input width and a list of [Layer]s, each
// an affine map followed by an [Activation] (identity, ReLU, LeakyReLU,
// tanh, sigmoid, softplus, maxout with k pieces) and optional dropout.
// [Network.Init] draws the weights from a caller's *rand.Rand (He, Glorot,
// Normal(σ), or PyTorch's nn.Linear default), so a seed fixes them.
//
// All parameters live in one flat slice, [Network.Params]: per layer, its
// weights [rows, in] row after row (PyTorch's nn.Linear layout) then its
// bias [rows]. Gradients, optimiser moments and averages share that
// layout, so an optimiser, an EMA or a checkpoint treats a network as one
// vector; [Network.Weight] and [Network.Bias] give a layer's view of any
// such slice.
//
// # Passes
//
// Batches are row-major: one sample per row. A [Workspace], made once per
// batch size by [Network.NewWorkspace], holds the activations of a pass;
// after it exists a training step allocates nothing:
//
//	ws := net.NewWorkspace(256)
//	opt, _ := nn.NewAdam(net.NumParams(), nn.DefaultAdam())
//	for step := range steps {
//		net.ZeroGrad()
//		y := net.ForwardTrain(ws, x, rng) // [256, Out]; rng draws dropout masks
//		lossGradient(y, dy)               // dy = ∂loss/∂y, [256, Out]
//		net.Backward(ws, dy, net.Grad(), nil)
//		opt.Step(net.Params(), net.Grad())
//	}
//
// [Network.Backward] adds the parameter gradient to a slice (so batches
// accumulate; nil skips it) and sets the input gradient (nil skips it):
// a GAN's generator step passes the discriminator's input gradient on to
// the generator's Backward, with nil for the discriminator's parameters.
// [Network.Forward] never drops units; use it for passes that need no
// dropout but will be back-propagated. [Network.Predict] computes the same
// output for inference only, faster, keeping nothing for Backward.
//
// Forward and Backward only read the network, so goroutines may share one
// network with a Workspace each. The matrix products are
// internal/kernels.Gemm, whose results do not depend on GOMAXPROCS; so
// the same seed gives the same bits on any number of cores.
//
// # Optimisers
//
// [Adam] and [SGD] implement [Optimizer]; their state (step count and
// moments) is exported by State and restored by SetState, for
// checkpoints. [ClipGradNorm] rescales a gradient to a maximum norm (also
// available as the ClipNorm setting); [Schedule] decays the step size.
// [EMA] keeps an exponential moving average of the parameters.
//
// Wrong lengths and batch sizes are programmer errors and panic; widths,
// activations and settings that are out of range are errors from the
// constructors.
package nn
