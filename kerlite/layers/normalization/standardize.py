"""The fused op behind BatchNormalization, LayerNormalization and GroupNormalization.

``standardize(x, axes, epsilon, gamma, beta)`` gives every slice mean 0 and variance 1,
then scales and shifts it:

    x_hat = (x - mean) / sqrt(var + epsilon)      (mean, var over ``axes``; var is biased)
    out   = gamma * x_hat + beta

and its backward rule, with ``d = g * gamma`` (``g`` the incoming gradient):

    dx = (d - mean(d) - x_hat * mean(d * x_hat)) / sqrt(var + epsilon)
    dgamma = sum(g * x_hat),   dbeta = sum(g)      (over the axes gamma was broadcast on)

One op instead of a dozen small ones: faster, and the formula of the BatchNorm paper.
"""

from kerlite.autodiff.tensor import Tensor, as_tensor, record
from kerlite.arrays import get_array_module
from kerlite.ops._helpers import unbroadcast


def standardize(x, axes, epsilon, gamma=None, beta=None):
    """Return ``(out Tensor, mean array, variance array)``; the stats keep their dims.

    ``gamma`` and ``beta`` (Tensors or None) must already broadcast against ``x``.
    """
    x = as_tensor(x)
    xp = get_array_module(x.data)
    data = x.data
    mean = data.mean(axis=axes, keepdims=True)
    centred = data - mean
    variance = xp.mean(xp.square(centred), axis=axes, keepdims=True)
    inverse_std = 1 / xp.sqrt(variance + data.dtype.type(epsilon))
    x_hat = centred * inverse_std
    out = x_hat
    if gamma is not None:
        out = out * gamma.data
    if beta is not None:
        out = out + beta.data

    def backward(g):
        d = g if gamma is None else g * gamma.data
        mean_d = d.mean(axis=axes, keepdims=True)
        mean_d_xhat = (d * x_hat).mean(axis=axes, keepdims=True)
        grad_x = (d - mean_d - x_hat * mean_d_xhat) * inverse_std
        grad_gamma = None if gamma is None else unbroadcast(g * x_hat, gamma.data.shape)
        grad_beta = None if beta is None else unbroadcast(g, beta.data.shape)
        return grad_x, grad_gamma, grad_beta

    unused = Tensor(data.dtype.type(0))  # a placeholder parent that needs no gradient
    parents = (x, unused if gamma is None else gamma, unused if beta is None else beta)
    return record(out, parents, backward), mean, variance
