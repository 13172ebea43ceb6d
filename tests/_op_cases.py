"""Shared input data and NumPy references for the op tests (not a test module)."""

import math

import numpy as np

# 12 values that stay clear of every kink the activations have (0, +-3, 6), so central
# differences never straddle one.
AWAY_FROM_KINKS = np.array([-7.3, -5.1, -3.4, -2.6, -1.2, -0.45,
                            0.3, 0.9, 1.7, 2.8, 3.6, 6.5]).reshape(3, 4)
POSITIVE = np.abs(AWAY_FROM_KINKS) + 0.5
SMALL = AWAY_FROM_KINKS / 5  # inside (-pi/2, pi/2) for tan

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))


def _gelu_exact(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1 + erf(x / math.sqrt(2)))


# name -> (kerlite call, NumPy reference, input)
UNARY = {
    "exp": (lambda o, x: o.exp(x), np.exp, AWAY_FROM_KINKS),
    "expm1": (lambda o, x: o.expm1(x), np.expm1, AWAY_FROM_KINKS),
    "log": (lambda o, x: o.log(x), np.log, POSITIVE),
    "log1p": (lambda o, x: o.log1p(x), np.log1p, POSITIVE),
    "sqrt": (lambda o, x: o.sqrt(x), np.sqrt, POSITIVE),
    "rsqrt": (lambda o, x: o.rsqrt(x), lambda x: 1 / np.sqrt(x), POSITIVE),
    "reciprocal": (lambda o, x: o.reciprocal(x), lambda x: 1 / x, AWAY_FROM_KINKS),
    "square": (lambda o, x: o.square(x), np.square, AWAY_FROM_KINKS),
    "abs": (lambda o, x: o.abs(x), np.abs, AWAY_FROM_KINKS),
    "negative": (lambda o, x: o.negative(x), np.negative, AWAY_FROM_KINKS),
    "sin": (lambda o, x: o.sin(x), np.sin, AWAY_FROM_KINKS),
    "cos": (lambda o, x: o.cos(x), np.cos, AWAY_FROM_KINKS),
    "tan": (lambda o, x: o.tan(x), np.tan, SMALL),
    "arctan": (lambda o, x: o.arctan(x), np.arctan, AWAY_FROM_KINKS),
    "tanh": (lambda o, x: o.tanh(x), np.tanh, AWAY_FROM_KINKS),
    "erf": (lambda o, x: o.erf(x), np.vectorize(math.erf), SMALL * 3),
    "clip": (lambda o, x: o.clip(x, -2.0, 3.0), lambda x: np.clip(x, -2, 3), AWAY_FROM_KINKS),
    "power_3": (lambda o, x: o.power(x, 3), lambda x: x ** 3, AWAY_FROM_KINKS),
    "relu": (lambda o, x: o.relu(x), lambda x: np.maximum(x, 0), AWAY_FROM_KINKS),
    "relu6": (lambda o, x: o.relu6(x), lambda x: np.clip(x, 0, 6), AWAY_FROM_KINKS),
    "leaky_relu": (lambda o, x: o.leaky_relu(x), lambda x: np.where(x >= 0, x, 0.2 * x),
                   AWAY_FROM_KINKS),
    "leaky_relu_0.1": (lambda o, x: o.leaky_relu(x, negative_slope=0.1),
                       lambda x: np.where(x >= 0, x, 0.1 * x), AWAY_FROM_KINKS),
    "sigmoid": (lambda o, x: o.sigmoid(x), _sigmoid, AWAY_FROM_KINKS),
    "hard_sigmoid": (lambda o, x: o.hard_sigmoid(x), lambda x: np.clip(x / 6 + 0.5, 0, 1),
                     AWAY_FROM_KINKS),
    "hard_silu": (lambda o, x: o.hard_silu(x), lambda x: x * np.clip(x / 6 + 0.5, 0, 1),
                  AWAY_FROM_KINKS),
    "silu": (lambda o, x: o.silu(x), lambda x: x * _sigmoid(x), AWAY_FROM_KINKS),
    "swish": (lambda o, x: o.swish(x), lambda x: x * _sigmoid(x), AWAY_FROM_KINKS),
    "softplus": (lambda o, x: o.softplus(x), lambda x: np.log1p(np.exp(x)), AWAY_FROM_KINKS),
    "log_sigmoid": (lambda o, x: o.log_sigmoid(x), lambda x: np.log(_sigmoid(x)),
                    AWAY_FROM_KINKS),
    "softsign": (lambda o, x: o.softsign(x), lambda x: x / (1 + np.abs(x)), AWAY_FROM_KINKS),
    "elu": (lambda o, x: o.elu(x), lambda x: np.where(x >= 0, x, np.expm1(x)),
            AWAY_FROM_KINKS),
    "elu_alpha": (lambda o, x: o.elu(x, alpha=0.5),
                  lambda x: np.where(x >= 0, x, 0.5 * np.expm1(x)), AWAY_FROM_KINKS),
    "selu": (lambda o, x: o.selu(x),
             lambda x: SELU_SCALE * np.where(x >= 0, x, SELU_ALPHA * np.expm1(x)),
             AWAY_FROM_KINKS),
    "celu": (lambda o, x: o.celu(x, alpha=2.0),
             lambda x: np.maximum(x, 0) + 2.0 * np.expm1(np.minimum(x, 0) / 2.0),
             AWAY_FROM_KINKS),
    "gelu": (lambda o, x: o.gelu(x), _gelu_tanh, AWAY_FROM_KINKS),
    "gelu_exact": (lambda o, x: o.gelu(x, approximate=False), _gelu_exact, AWAY_FROM_KINKS),
    "mish": (lambda o, x: o.mish(x), lambda x: x * np.tanh(np.log1p(np.exp(x))),
             AWAY_FROM_KINKS),
}


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _logsumexp(x, axis=None, keepdims=False):
    peak = x.max(axis=axis, keepdims=True)
    out = np.log(np.exp(x - peak).sum(axis=axis, keepdims=True)) + peak
    return out if keepdims else np.squeeze(out, axis=axis)


# name -> (kerlite call, NumPy reference); input: a (2, 3, 4) array
REDUCTIONS = {
    "sum": (lambda o, x: o.sum(x), np.sum),
    "sum_axis1": (lambda o, x: o.sum(x, axis=1), lambda x: x.sum(axis=1)),
    "sum_axes_keep": (lambda o, x: o.sum(x, axis=(0, 2), keepdims=True),
                      lambda x: x.sum(axis=(0, 2), keepdims=True)),
    "mean": (lambda o, x: o.mean(x), np.mean),
    "mean_axis_neg": (lambda o, x: o.mean(x, axis=-1), lambda x: x.mean(axis=-1)),
    "mean_keep": (lambda o, x: o.mean(x, axis=1, keepdims=True),
                  lambda x: x.mean(axis=1, keepdims=True)),
    "max": (lambda o, x: o.max(x), np.max),
    "max_axis": (lambda o, x: o.max(x, axis=2), lambda x: x.max(axis=2)),
    "min_keep": (lambda o, x: o.min(x, axis=0, keepdims=True),
                 lambda x: x.min(axis=0, keepdims=True)),
    "prod": (lambda o, x: o.prod(x, axis=1), lambda x: x.prod(axis=1)),
    "prod_all": (lambda o, x: o.prod(x[0]), lambda x: x[0].prod()),
    "var": (lambda o, x: o.var(x), np.var),
    "var_axis": (lambda o, x: o.var(x, axis=(0, 1), keepdims=True),
                 lambda x: x.var(axis=(0, 1), keepdims=True)),
    "std": (lambda o, x: o.std(x, axis=-1), lambda x: x.std(axis=-1)),
    "std_all": (lambda o, x: o.std(x), np.std),
    "logsumexp": (lambda o, x: o.logsumexp(x), _logsumexp),
    "logsumexp_axis": (lambda o, x: o.logsumexp(x, axis=1, keepdims=True),
                       lambda x: _logsumexp(x, axis=1, keepdims=True)),
    "softmax": (lambda o, x: o.softmax(x), _softmax),
    "softmax_axis1": (lambda o, x: o.softmax(x, axis=1), lambda x: _softmax(x, axis=1)),
    "log_softmax": (lambda o, x: o.log_softmax(x), lambda x: np.log(_softmax(x))),
    "cumsum": (lambda o, x: o.cumsum(x, axis=1), lambda x: np.cumsum(x, axis=1)),
    "cumsum_flat": (lambda o, x: o.cumsum(x), np.cumsum),
}
