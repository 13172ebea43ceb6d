"""Regression metrics: running means of the regression losses, and RMSE.

They reuse the loss functions of ``kerlite.losses`` (outside a GradientTape those only
compute values).
"""

from kerlite import losses
from kerlite.arrays import convert_to_array
from kerlite.metrics.metric import scalar_result
from kerlite.metrics.reduction_metrics import Mean, MeanMetricWrapper


class MeanSquaredError(MeanMetricWrapper):
    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(losses.mean_squared_error, name=name, dtype=dtype)


class MeanAbsoluteError(MeanMetricWrapper):
    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(losses.mean_absolute_error, name=name, dtype=dtype)


class MeanAbsolutePercentageError(MeanMetricWrapper):
    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(losses.mean_absolute_percentage_error, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(MeanMetricWrapper):
    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(losses.mean_squared_logarithmic_error, name=name, dtype=dtype)


class CosineSimilarity(MeanMetricWrapper):
    """Mean cosine similarity (positive: 1 means same direction)."""

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)


class LogCoshError(MeanMetricWrapper):
    def __init__(self, name="logcosh", dtype=None):
        super().__init__(losses.log_cosh, name=name, dtype=dtype)


def cosine_similarity(y_true, y_pred, axis=-1):
    """sum(normalize(y_true) * normalize(y_pred), axis) (the loss with the sign flipped)."""
    return -convert_to_array(losses.cosine_similarity(y_true, y_pred, axis=axis))


class RootMeanSquaredError(Mean):
    """sqrt of the mean squared error over all samples seen."""

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = convert_to_array(y_pred, self.dtype)
        y_true = convert_to_array(y_true, self.dtype)
        if y_true.ndim == y_pred.ndim - 1:
            y_true = y_true.reshape(y_true.shape + (1,))
        super().update_state((y_true - y_pred) ** 2, sample_weight=sample_weight)

    def result(self):
        return scalar_result(float(convert_to_array(super().result())) ** 0.5, self.dtype)
