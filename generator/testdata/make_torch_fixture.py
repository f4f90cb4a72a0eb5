#!/usr/bin/python3
"""PyTorch interop for the generator's safetensors files, both ways.

  make_torch_fixture.py make    build two small float64 MLPs in PyTorch, write their
                                weights as safetensors (torch_mlp.safetensors,
                                torch_maxout.safetensors) and their outputs on fixed
                                noise (*_outputs.json); generator's tests check that
                                Generator.Map reproduces them.
  make_torch_fixture.py check   load variate_gen.safetensors (written by the Go
                                tests with -update) into nn.Sequential, run it on the
                                noise in variate_gen_outputs.json and print the largest
                                difference from the outputs variate computed.

The safetensors bytes are written and read with json and struct, following the
format's specification (8-byte little-endian header length, JSON header, data), so
no safetensors package is needed. Run from this directory with /usr/bin/python3.
"""
import json
import math
import struct
import sys

import torch
import torch.nn as nn

torch.set_default_dtype(torch.float64)


def write_safetensors(path, tensors, metadata):
    """tensors: list of (name, float64 tensor), written in order."""
    header, data, off = {"__metadata__": metadata}, b"", 0
    for name, t in tensors:
        vals = t.detach().contiguous().view(-1).tolist()
        buf = struct.pack("<%dd" % len(vals), *vals)
        header[name] = {"dtype": "F64", "shape": list(t.shape), "data_offsets": [off, off + len(buf)]}
        data += buf
        off += len(buf)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + data)


def read_safetensors(path):
    with open(path, "rb") as f:
        b = f.read()
    (n,) = struct.unpack("<Q", b[:8])
    header = json.loads(b[8:8 + n])
    data = b[8 + n:]
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, e in header.items():
        lo, hi = e["data_offsets"]
        fmt = {"F64": "d", "F32": "f"}[e["dtype"]]
        count = (hi - lo) // struct.calcsize(fmt)
        vals = struct.unpack("<%d%s" % (count, fmt), data[lo:hi])
        tensors[name] = torch.tensor(vals, dtype=torch.float64).view(*e["shape"])
    return meta, tensors


class Maxout(nn.Module):
    """Maxout over k pieces: unit j is the largest of rows j*k ... j*k+k-1."""

    def __init__(self, k):
        super().__init__()
        self.k = k

    def forward(self, x):
        return x.view(x.shape[0], -1, self.k).amax(-1)


def activation(s):
    if s == "identity":
        return None
    if s == "relu":
        return nn.ReLU()
    if s == "tanh":
        return nn.Tanh()
    if s == "sigmoid":
        return nn.Sigmoid()
    if s == "softplus":
        return nn.Softplus()
    if s.startswith("leaky_relu("):
        return nn.LeakyReLU(float(s[len("leaky_relu("):-1]))
    if s.startswith("maxout("):
        return Maxout(int(s[len("maxout("):-1]))
    raise ValueError("unknown activation " + s)


def sequential(meta, tensors):
    mods = []
    for i in range(int(meta["layers"])):
        w, b = tensors["layers.%d.weight" % i], tensors["layers.%d.bias" % i]
        lin = nn.Linear(w.shape[1], w.shape[0])
        with torch.no_grad():
            lin.weight.copy_(w)
            lin.bias.copy_(b)
        mods.append(lin)
        a = activation(meta["layers.%d.activation" % i])
        if a is not None:
            mods.append(a)
    if meta["output"] == "sigmoid":
        mods.append(nn.Sigmoid())
    return nn.Sequential(*mods)


def noise(law, n, k):
    if law == "uniform":
        return torch.rand(n, k) * 2 - 1
    return torch.randn(n, k)


def make_one(name, law, k, spec, out, seed):
    """spec: list of (out_rows, activation string); maxout(k) layers hold k*units rows."""
    torch.manual_seed(seed)
    meta = {"format": "variate.generator", "format_version": "1", "noise": law,
            "noise_dim": str(k), "layers": str(len(spec)), "output": out,
            "method": "pytorch", "loss": "none", "steps": "0", "seed": str(seed)}
    tensors, width = [], k
    for i, (rows, act) in enumerate(spec):
        lin = nn.Linear(width, rows)
        tensors += [("layers.%d.weight" % i, lin.weight), ("layers.%d.bias" % i, lin.bias)]
        meta["layers.%d.activation" % i] = act
        width = rows // (int(act[7:-1]) if act.startswith("maxout(") else 1)
    write_safetensors(name + ".safetensors", tensors, meta)
    # Rebuild from the file as a user would, so the file is what is tested.
    m, t = read_safetensors(name + ".safetensors")
    net = sequential(m, t)
    z = noise(law, 64, k)
    with torch.no_grad():
        x = net(z)
    with open(name + "_outputs.json", "w") as f:
        json.dump({"torch": torch.__version__, "z": z.view(-1).tolist(), "x": x.view(-1).tolist()}, f)
        f.write("\n")
    print("wrote %s.safetensors and %s_outputs.json (%s)" % (name, name, " ".join(str(m) for m in net)))


def make():
    make_one("torch_mlp", "uniform", 3, [(16, "tanh"), (16, "relu"), (16, "leaky_relu(0.2)"), (2, "identity")], "sigmoid", 1)
    make_one("torch_maxout", "normal", 4, [(24, "maxout(3)"), (10, "softplus"), (3, "identity")], "identity", 2)


def check():
    meta, tensors = read_safetensors("variate_gen.safetensors")
    net = sequential(meta, tensors)
    with open("variate_gen_outputs.json") as f:
        ref = json.load(f)
    k = int(meta["noise_dim"])
    z = torch.tensor(ref["z"]).view(-1, k)
    with torch.no_grad():
        x = net(z).view(-1)
    want = torch.tensor(ref["x"])
    diff = (x - want).abs().max().item()
    print("peer=torch case=interop file=variate_gen.safetensors torch=%s layers=%s draws=%d max_abs_diff=%.3g"
          % (torch.__version__, meta["layers"], z.shape[0], diff))
    print("module=" + " ".join(str(m) for m in net))
    if not diff <= 1e-12:
        sys.exit("outputs differ by %g" % diff)


if __name__ == "__main__":
    {"make": make, "check": check}[sys.argv[1] if len(sys.argv) > 1 else "make"]()
