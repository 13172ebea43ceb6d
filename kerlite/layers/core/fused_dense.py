"""The fused Dense op: y = activation(x @ W + b) in one recorded step.

The fast path of ``Dense.call`` (chosen there when ``kerlite.common.fast_paths`` is on):
one op instead of three (matmul, add, activation) saves Python overhead per training
step, with the same numbers (tests/test_fast_paths_equal_plain.py). The backward rule, for z = x @ W + b and y = f(z):
    dz = dy * f'(z)   (f' written with y: relu: y > 0, sigmoid: y (1 - y), tanh: 1 - y**2)
    dx = dz @ W^T,    dW = x^T @ dz,    db = sum of dz over all but the last axis
Inputs with more than two axes (batch, time, features) use their last axis.
"""

from kerlite import activations
from kerlite.autodiff.tensor import Tensor, as_tensor, record
from kerlite.arrays import get_array_module

# The activation functions this op has a rule for, by identity: a user's own function
# named "relu" is not kerlite's relu, so it runs after the fused linear part instead.
FUSED_ACTIVATIONS = {activations.linear: "linear", activations.relu: "relu",
                     activations.sigmoid: "sigmoid", activations.tanh: "tanh"}


def fast_dense(x, kernel, bias, activation):
    """``activation(x @ kernel + bias)`` in one op when the activation is one of
    FUSED_ACTIVATIONS, else the fused linear part followed by ``activation``."""
    name = FUSED_ACTIVATIONS.get(activation)
    if name is not None:
        return dense(x, kernel, bias, name)
    return activation(dense(x, kernel, bias))


def _apply(name, z, xp):
    if name == "relu":
        return xp.maximum(z, 0, out=z)
    if name == "sigmoid":
        return 0.5 + 0.5 * xp.tanh(0.5 * z)  # 1 / (1 + e**-z), without overflow
    if name == "tanh":
        return xp.tanh(z, out=z)
    return z


def _slope_times(name, g, y):
    if name == "relu":
        return g * (y > 0)
    if name == "sigmoid":
        return g * y * (1 - y)
    if name == "tanh":
        return g * (1 - y * y)
    return g


def dense(x, kernel, bias=None, activation="linear"):
    """activation(x @ kernel + bias); ``activation`` the name of one of FUSED_ACTIVATIONS."""
    x = as_tensor(x)
    if x.data.dtype.kind != "f":  # integer inputs (e.g. 0/1 flags) compute as floats
        x = Tensor(x.data.astype(kernel.data.dtype))
    xp = get_array_module(x.data)
    x_data, w_data = x.data, kernel.data
    z = x_data @ w_data
    if bias is not None:
        z += bias.data
    y = _apply(activation, z, xp)

    def backward(g):
        dz = _slope_times(activation, g, y)
        dz_rows = dz.reshape(-1, dz.shape[-1])
        grad_x = dz @ w_data.T if x._needs_grad else None  # not for the model input
        grad_w = x_data.reshape(-1, x_data.shape[-1]).T @ dz_rows
        if bias is None:
            return grad_x, grad_w
        return grad_x, grad_w, dz_rows.sum(axis=0)

    parents = (x, kernel) if bias is None else (x, kernel, bias)
    return record(y, parents, backward)
