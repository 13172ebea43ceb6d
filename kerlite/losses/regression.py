"""Regression losses: squared, absolute, percentage, logarithmic, Huber, log-cosh, cosine.

Each function returns one value per sample (the mean over the last axis); each class
wraps its function with the reduction of ``Loss``.
"""

import math

from kerlite import arrays
from kerlite.autodiff.tensor import record
from kerlite.losses.elementwise_loss import elementwise_loss
from kerlite.losses.loss import LossFunctionWrapper, as_float_tensor, match_ranks, true_values
from kerlite.ops._helpers import unbroadcast


def _xp(array):
    return arrays.get_array_module(array)


def mean_squared_error(y_true, y_pred):
    """mean((y_true - y_pred)**2, axis=-1)."""
    return elementwise_loss(y_true, y_pred, lambda t, p: (t - p) ** 2,
                            lambda t, p: (p - t) * p.dtype.type(2))


def mean_absolute_error(y_true, y_pred):
    """mean(|y_true - y_pred|, axis=-1)."""
    return elementwise_loss(y_true, y_pred, lambda t, p: _xp(p).abs(t - p),
                            lambda t, p: _xp(p).sign(p - t))


def mean_absolute_percentage_error(y_true, y_pred):
    """100 * mean(|y_true - y_pred| / max(|y_true|, epsilon), axis=-1)."""
    def scale(t, p):
        return p.dtype.type(100) / _xp(p).maximum(_xp(p).abs(t), p.dtype.type(arrays.epsilon()))

    return elementwise_loss(y_true, y_pred, lambda t, p: _xp(p).abs(t - p) * scale(t, p),
                            lambda t, p: _xp(p).sign(p - t) * scale(t, p))


def mean_squared_logarithmic_error(y_true, y_pred):
    """mean((log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1))**2, axis=-1)."""
    def log_gap(t, p):
        xp, eps = _xp(p), p.dtype.type(arrays.epsilon())
        return xp.log1p(xp.maximum(p, eps)) - xp.log1p(xp.maximum(t, eps))

    def derivative(t, p):
        eps = p.dtype.type(arrays.epsilon())
        inside = p > eps  # max(p, eps) passes no gradient below eps
        return 2 * log_gap(t, p) / (_xp(p).maximum(p, eps) + 1) * inside

    return elementwise_loss(y_true, y_pred, lambda t, p: log_gap(t, p) ** 2, derivative)


def huber(y_true, y_pred, delta=1.0):
    """Quadratic for small errors, linear for large ones:
    0.5 e**2 if |e| <= delta else delta * (|e| - 0.5 delta), with e = y_pred - y_true."""
    def value(t, p):
        error = p - t
        d = p.dtype.type(delta)
        small = _xp(p).abs(error) <= d
        return _xp(p).where(small, 0.5 * error ** 2, d * _xp(p).abs(error) - 0.5 * d * d)

    def derivative(t, p):
        return _xp(p).clip(p - t, -delta, delta)

    return elementwise_loss(y_true, y_pred, value, derivative)


def log_cosh(y_true, y_pred):
    """mean(log(cosh(y_pred - y_true)), axis=-1), computed without overflow as
    x + softplus(-2x) - log(2)."""
    def value(t, p):
        xp, x = _xp(p), p - t
        softplus = xp.maximum(-2 * x, 0) + xp.log1p(xp.exp(-xp.abs(2 * x)))
        return x + softplus - p.dtype.type(math.log(2.0))

    return elementwise_loss(y_true, y_pred, value, lambda t, p: _xp(p).tanh(p - t))


def cosine_similarity(y_true, y_pred, axis=-1):
    """-sum(normalize(y_true) * normalize(y_pred), axis): -1 means same direction."""
    y_pred = as_float_tensor(y_pred)
    p = y_pred.data
    t = match_ranks(true_values(y_true, p.dtype), p)
    xp, eps = _xp(p), p.dtype.type(arrays.epsilon())
    t_unit = t / xp.maximum(xp.sqrt((t * t).sum(axis=axis, keepdims=True)), eps)
    p_norm = xp.maximum(xp.sqrt((p * p).sum(axis=axis, keepdims=True)), eps)
    p_unit = p / p_norm
    cosine = (t_unit * p_unit).sum(axis=axis, keepdims=True)

    def backward(g):
        g = xp.expand_dims(g, axis)
        # Targets broadcast against predictions (y_true (8, 10), y_pred (8, 1)) add up
        # their directions on y_pred's shape.
        shape = xp.broadcast_shapes(t.shape, p.shape)
        t_sum = unbroadcast(xp.broadcast_to(t_unit, shape), p.shape)
        return (-(t_sum - cosine * p_unit) / p_norm * g,)

    return record(-xp.squeeze(cosine, axis=axis), (y_pred,), backward)


class MeanSquaredError(LossFunctionWrapper):
    """Mean of squares of errors (``"mse"``)."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error",
                 dtype=None):
        super().__init__(mean_squared_error, name=name, reduction=reduction, dtype=dtype)


class MeanAbsoluteError(LossFunctionWrapper):
    """Mean of absolute errors (``"mae"``)."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error",
                 dtype=None):
        super().__init__(mean_absolute_error, name=name, reduction=reduction, dtype=dtype)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """Mean absolute error in percent of the target (``"mape"``)."""

    def __init__(self, reduction="sum_over_batch_size",
                 name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, name=name, reduction=reduction,
                         dtype=dtype)


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """Mean squared error of log(1 + value) (``"msle"``)."""

    def __init__(self, reduction="sum_over_batch_size",
                 name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, name=name, reduction=reduction,
                         dtype=dtype)


class Huber(LossFunctionWrapper):
    """Huber loss: squared near zero, absolute beyond ``delta``."""

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss",
                 dtype=None):
        super().__init__(huber, name=name, reduction=reduction, dtype=dtype, delta=delta)


class LogCosh(LossFunctionWrapper):
    """log(cosh(error)): like MSE for small errors, like MAE for large ones."""

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, name=name, reduction=reduction, dtype=dtype)


class CosineSimilarity(LossFunctionWrapper):
    """Negative cosine similarity between targets and predictions."""

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity",
                 dtype=None):
        super().__init__(cosine_similarity, name=name, reduction=reduction, dtype=dtype,
                         axis=axis)
