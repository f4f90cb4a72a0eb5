package nn

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/variate/variate/internal/kernels"
)

// Kind names an activation function.
type Kind uint8

// The activation functions a layer can apply to its linear output z.
const (
	Identity  Kind = iota // z
	ReLU                  // max(z, 0)
	LeakyReLU             // z for z > 0, slope·z otherwise
	Tanh                  // tanh(z)
	Sigmoid               // 1/(1+e^−z)
	Softplus              // log(1+e^z)
	Maxout                // max over k linear pieces per unit (Goodfellow et al. 2013)
)

var kindNames = [...]string{
	Identity:  "identity",
	ReLU:      "relu",
	LeakyReLU: "leaky_relu",
	Tanh:      "tanh",
	Sigmoid:   "sigmoid",
	Softplus:  "softplus",
	Maxout:    "maxout",
}

// String returns the lower-case name of the kind ("relu", "leaky_relu", …).
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// An Activation is an activation function with its parameter: the slope of
// LeakyReLU for z ≤ 0 and the number of pieces of Maxout. The zero value is
// the identity.
type Activation struct {
	Kind Kind
	// Slope is LeakyReLU's slope for negative inputs, in [0, 1). Ignored
	// by the other kinds.
	Slope float64
	// Pieces is Maxout's number k ≥ 2 of linear pieces per output unit.
	// Ignored by the other kinds.
	Pieces int
}

// Act returns the activation of a kind without parameters (all but
// LeakyReLU and Maxout).
func Act(k Kind) Activation { return Activation{Kind: k} }

// Leaky returns LeakyReLU with the given slope for negative inputs.
func Leaky(slope float64) Activation { return Activation{Kind: LeakyReLU, Slope: slope} }

// MaxoutOf returns Maxout with k pieces per unit.
func MaxoutOf(k int) Activation { return Activation{Kind: Maxout, Pieces: k} }

// validate reports whether a names a known function with a usable
// parameter.
func (a Activation) validate() error {
	switch a.Kind {
	case Identity, ReLU, Tanh, Sigmoid, Softplus:
		return nil
	case LeakyReLU:
		if !(a.Slope >= 0 && a.Slope < 1) {
			return fmt.Errorf("leaky_relu slope is %v; use a slope in [0, 1)", a.Slope)
		}
		return nil
	case Maxout:
		if a.Pieces < 2 {
			return fmt.Errorf("maxout has %d pieces; use at least 2", a.Pieces)
		}
		return nil
	}
	return fmt.Errorf("unknown activation %v; use one of identity, relu, leaky_relu, tanh, sigmoid, softplus, maxout", a.Kind)
}

// pieces is the number of weight rows per output unit.
func (a Activation) pieces() int {
	if a.Kind == Maxout {
		return a.Pieces
	}
	return 1
}

// String returns the activation in the form ParseActivation reads:
// "relu", "leaky_relu(0.2)", "maxout(5)".
func (a Activation) String() string {
	switch a.Kind {
	case LeakyReLU:
		return "leaky_relu(" + strconv.FormatFloat(a.Slope, 'g', -1, 64) + ")"
	case Maxout:
		return "maxout(" + strconv.Itoa(a.Pieces) + ")"
	}
	return a.Kind.String()
}

// ParseActivation reads the form String writes. It returns an error for
// an unknown name or an unusable parameter.
func ParseActivation(s string) (Activation, error) {
	name, arg, hasArg := strings.Cut(s, "(")
	if hasArg {
		if !strings.HasSuffix(arg, ")") {
			return Activation{}, fmt.Errorf("nn: activation %q lacks its closing parenthesis", s)
		}
		arg = strings.TrimSuffix(arg, ")")
	}
	var a Activation
	switch name {
	case "leaky_relu":
		if !hasArg {
			return Activation{}, fmt.Errorf("nn: activation %q needs its slope, as in leaky_relu(0.2)", s)
		}
		v, err := strconv.ParseFloat(arg, 64)
		if err != nil {
			return Activation{}, fmt.Errorf("nn: slope of activation %q is not a number", s)
		}
		a = Leaky(v)
	case "maxout":
		if !hasArg {
			return Activation{}, fmt.Errorf("nn: activation %q needs its number of pieces, as in maxout(5)", s)
		}
		v, err := strconv.Atoi(arg)
		if err != nil {
			return Activation{}, fmt.Errorf("nn: pieces of activation %q is not an integer", s)
		}
		a = MaxoutOf(v)
	default:
		found := false
		for k, n := range kindNames {
			if n == name && Kind(k) != LeakyReLU && Kind(k) != Maxout {
				a, found = Act(Kind(k)), true
			}
		}
		if !found || hasArg {
			return Activation{}, fmt.Errorf("nn: unknown activation %q; use one of identity, relu, leaky_relu(slope), tanh, sigmoid, softplus, maxout(k)", s)
		}
	}
	if err := a.validate(); err != nil {
		return Activation{}, fmt.Errorf("nn: %w", err)
	}
	return a, nil
}

// Logistic is the sigmoid 1/(1+e^−z), computed without overflow for
// either sign.
func Logistic(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// LogOnePlusExp is the softplus log(1+e^z), accurate for large |z|.
func LogOnePlusExp(z float64) float64 {
	if z > 0 {
		return z + math.Log1p(math.Exp(-z))
	}
	return math.Log1p(math.Exp(z))
}

// activate applies tanh, sigmoid or softplus to z in place (ReLU and
// LeakyReLU are fused with the bias in biasActivate; identity does
// nothing).
func activate(a Activation, z []float64) {
	switch a.Kind {
	case Tanh:
		for i, v := range z {
			z[i] = math.Tanh(v)
		}
	case Sigmoid:
		for i, v := range z {
			z[i] = Logistic(v)
		}
	case Softplus:
		for i, v := range z {
			z[i] = LogOnePlusExp(v)
		}
	}
}

// derive sets d[i] = g[i]·f'(z_i) for the activation a (any kind but
// Maxout), given its output y = f(z) as biasActivate left it. Every
// supported f has a derivative that is a function of its output: ReLU and
// LeakyReLU by the sign of y (slope ≥ 0; at z = 0 ReLU takes slope 0,
// LeakyReLU slope 1), tanh 1−y², sigmoid y(1−y), softplus 1−e^−y.
func derive(a Activation, y, g, d []float64) {
	y, g = y[:len(d)], g[:len(d)]
	switch a.Kind {
	case Identity:
		copy(d, g)
	case ReLU:
		// y is +0 or positive (biasActivate clears the sign), so y > 0
		// exactly when its bits are not zero.
		kernels.ReLUGrad(d, y, g)
	case LeakyReLU:
		s := a.Slope
		for i, v := range y {
			gi := g[i]
			neg := uint64(int64(math.Float64bits(v)) >> 63)
			d[i] = math.Float64frombits(math.Float64bits(gi)&^neg | math.Float64bits(s*gi)&neg)
		}
	case Tanh:
		for i, v := range y {
			d[i] = g[i] * (1 - v*v)
		}
	case Sigmoid:
		for i, v := range y {
			d[i] = g[i] * v * (1 - v)
		}
	case Softplus:
		for i, v := range y {
			d[i] = -g[i] * math.Expm1(-v)
		}
	}
}
