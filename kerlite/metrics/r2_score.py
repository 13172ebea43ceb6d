"""R2Score: the coefficient of determination, how much of the variance is explained.

Per output column, over every sample seen:

    R2 = 1 - sum(w (y - y_pred)**2) / sum(w (y - mean_w(y))**2)

``class_aggregation`` combines the columns: ``"uniform_average"`` (the mean),
``"variance_weighted_average"`` (weighted by each column's variance) or ``None`` (one
value per column). ``num_regressors = p > 0`` gives the adjusted R2,
``1 - (1 - R2)(n - 1) / (n - p - 1)``.
"""

import warnings

from kerlite.arrays import convert_to_array
from kerlite.metrics.metric import Metric, scalar_result

_AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")


class R2Score(Metric):
    """R2 (coefficient of determination) of 2-D ``(batch, outputs)`` regressions."""

    def __init__(self, class_aggregation="uniform_average", num_regressors=0,
                 name="r2_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        if class_aggregation not in _AGGREGATIONS:
            raise ValueError("Invalid value for argument `class_aggregation`. Expected one "
                             f"of {_AGGREGATIONS}. Received: "
                             f"class_aggregation={class_aggregation}")
        if num_regressors < 0:
            raise ValueError("Invalid value for argument `num_regressors`. Expected a "
                             f"value >= 0. Received: num_regressors={num_regressors}")
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable((), name="num_samples")
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim). Received "
                f"input shapes: y_pred.shape={y_pred_shape} and "
                f"y_true.shape={y_true_shape}.")
        columns = (y_pred_shape[-1],)
        self.squared_sum = self.add_variable(columns, name="squared_sum")
        self.sum = self.add_variable(columns, name="sum")
        self.total_mse = self.add_variable(columns, name="residual")
        self.count = self.add_variable(columns, name="count")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = convert_to_array(y_true, self.dtype)
        y_pred = convert_to_array(y_pred, self.dtype)
        if y_pred.ndim == 2 and y_true.ndim == 1 and y_pred.shape[-1] == 1:
            y_true = y_true.reshape(-1, 1)  # (n,) targets for a one-output model
        elif y_true.ndim == 2 and y_pred.ndim == 1 and y_true.shape[-1] == 1:
            y_pred = y_pred.reshape(-1, 1)
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        weight = convert_to_array(1.0 if sample_weight is None else sample_weight,
                                  self.dtype)
        if weight.ndim == 1:
            weight = weight.reshape(-1, 1)  # one weight per sample, for every column
        weight = weight + y_true * 0  # broadcast to y_true's shape
        self.sum.data += (y_true * weight).sum(axis=0)
        self.squared_sum.data += (y_true * y_true * weight).sum(axis=0)
        self.total_mse.data += ((y_true - y_pred) ** 2 * weight).sum(axis=0)
        self.count.data += weight.sum(axis=0)
        self.num_samples.data += y_true.size  # Keras counts values, not rows

    def result(self):
        if not self._built:
            return scalar_result(0.0, self.dtype)
        mean = self.sum.data / self.count.data
        total = self.squared_sum.data - self.sum.data * mean
        scores = 1 - self.total_mse.data / total
        scores[abs(scores) == float("inf")] = 0.0  # a constant column: no variance
        if self.class_aggregation == "uniform_average":
            score = scores.mean()
        elif self.class_aggregation == "variance_weighted_average":
            score = (total * scores).sum() / total.sum()
        else:
            score = scores
        return scalar_result(self._adjusted(score), self.dtype)

    def _adjusted(self, score):
        if self.num_regressors == 0:
            return score
        n, p = float(self.num_samples.data), self.num_regressors
        if p > n - 1:
            warnings.warn("More independent predictors than datapoints in adjusted R2 "
                          "score. Falling back to standard R2 score.", stacklevel=3)
            return score
        if p == n - 1:
            warnings.warn("Division by zero in Adjusted R2 score. Falling back to "
                          "standard R2 score.", stacklevel=3)
            return score
        return 1.0 - (1.0 - score) * (n - 1.0) / (n - p - 1.0)

    def get_config(self):
        config = super().get_config()
        config.update(class_aggregation=self.class_aggregation,
                      num_regressors=self.num_regressors)
        return config
