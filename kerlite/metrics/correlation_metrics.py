"""Correlation metrics: Pearson's r and Lin's concordance correlation.

Both are computed per sample along ``axis`` (the features of a row, by default) and
the metric is their running mean over samples:

    pearson     = mean(z(y_true) * z(y_pred)),  z(x) = (x - mean(x)) / std(x)
    concordance = 2 cov(y_true, y_pred) / (var(y_true) + var(y_pred)
                                           + (mean(y_true) - mean(y_pred))**2 + eps)

Pearson only asks that the two rise and fall together; concordance also asks that they
agree in scale and offset (1 only when y_pred == y_true).
"""

from kerlite import arrays
from kerlite.losses.loss import match_ranks
from kerlite.arrays import convert_to_array
from kerlite.metrics.reduction_metrics import MeanMetricWrapper


def _pair(y_true, y_pred):
    y_pred = convert_to_array(y_pred)
    if y_pred.dtype.kind != "f":
        y_pred = y_pred.astype(arrays.floatx())
    return match_ranks(convert_to_array(y_true, y_pred.dtype), y_pred), y_pred


def pearson_correlation(y_true, y_pred, axis=-1):
    """Pearson's correlation coefficient of y_true and y_pred along ``axis``."""
    y_true, y_pred = _pair(y_true, y_pred)
    t = y_true - y_true.mean(axis=axis, keepdims=True)
    p = y_pred - y_pred.mean(axis=axis, keepdims=True)
    t = t / t.std(axis=axis, keepdims=True)
    p = p / p.std(axis=axis, keepdims=True)
    return (t * p).mean(axis=axis)


def concordance_correlation(y_true, y_pred, axis=-1):
    """Lin's concordance correlation coefficient of y_true and y_pred along ``axis``."""
    y_true, y_pred = _pair(y_true, y_pred)
    true_mean = y_true.mean(axis=axis, keepdims=True)
    pred_mean = y_pred.mean(axis=axis, keepdims=True)
    covariance = (y_true - true_mean) * (y_pred - pred_mean)
    norm = (y_true.var(axis=axis, keepdims=True) + y_pred.var(axis=axis, keepdims=True)
            + (true_mean - pred_mean) ** 2)
    return (2 * covariance / (norm + arrays.epsilon())).mean(axis=axis)


class PearsonCorrelation(MeanMetricWrapper):
    """Running mean of the per-sample Pearson correlation."""

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(pearson_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis


class ConcordanceCorrelation(MeanMetricWrapper):
    """Running mean of the per-sample concordance correlation."""

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(concordance_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
