"""F-scores: FBetaScore and F1Score, per class or averaged.

For each class, from the running true positives, false positives and false negatives:

    precision = TP / (TP + FP),  recall = TP / (TP + FN)
    F_beta    = (1 + beta**2) * precision * recall / (beta**2 * precision + recall)

``average=None`` returns one score per class; ``"macro"`` their mean; ``"weighted"``
their mean weighted by how often each class is true; ``"micro"`` pools the counts of
every class first. Without ``threshold`` the highest prediction of each row counts as
the predicted class; with it, every prediction above the threshold does.
"""

from kerlite import arrays
from kerlite.arrays import convert_to_array
from kerlite.metrics.metric import Metric, scalar_result

_AVERAGES = (None, "micro", "macro", "weighted")


class FBetaScore(Metric):
    """The F-beta score: recall counts ``beta`` times as much as precision."""

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score",
                 dtype=None):
        super().__init__(name=name, dtype=dtype)
        if average not in _AVERAGES:
            raise ValueError("Invalid `average` argument value. Expected one of: {None, "
                             f"'micro', 'macro', 'weighted'}}. Received: average={average}")
        if not isinstance(beta, float):
            raise ValueError("Invalid `beta` argument value. It should be a Python float. "
                             f"Received: beta={beta} of type '{type(beta)}'")
        if beta <= 0.0:
            raise ValueError(f"Invalid `beta` argument value. It should be > 0. "
                             f"Received: beta={beta}")
        if threshold is not None and not isinstance(threshold, float):
            raise ValueError("Invalid `threshold` argument value. It should be a Python "
                             f"float. Received: threshold={threshold} of type "
                             f"'{type(threshold)}'")
        if threshold is not None and not 0.0 < threshold <= 1.0:
            raise ValueError("Invalid `threshold` argument value. It should verify "
                             f"0 < threshold <= 1. Received: threshold={threshold}")
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0  # micro: pool every class
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(
                "FBetaScore expects 2D inputs with shape (batch_size, output_dim). "
                f"Received input shapes: y_pred.shape={y_pred_shape} and "
                f"y_true.shape={y_true_shape}.")
        shape = () if self.average == "micro" else (y_pred_shape[-1],)
        for name in ("true_positives", "false_positives", "false_negatives",
                     "intermediate_weights"):
            setattr(self, name, self.add_variable(shape, name=name))
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = convert_to_array(y_true, self.dtype)
        y_pred = convert_to_array(y_pred, self.dtype)
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        if self.threshold is None:  # the top class of each row (an all-zero row: none)
            top = y_pred.max(axis=-1, keepdims=True)
            predicted = (y_pred >= top) & (abs(y_pred) > 1e-9)
        else:
            predicted = y_pred > self.threshold
        predicted = predicted.astype(self.dtype)
        weight = None if sample_weight is None else convert_to_array(
            sample_weight, self.dtype).reshape(-1, 1)

        def weighted_sum(values):
            return (values if weight is None else values * weight).sum(axis=self.axis)

        self.true_positives.data += weighted_sum(predicted * y_true)
        self.false_positives.data += weighted_sum(predicted * (1 - y_true))
        self.false_negatives.data += weighted_sum((1 - predicted) * y_true)
        self.intermediate_weights.data += weighted_sum(y_true)

    def result(self):
        if not self._built:
            return scalar_result(0.0, self.dtype)
        eps = arrays.epsilon()
        tp = self.true_positives.data
        precision = tp / (tp + self.false_positives.data + eps)
        recall = tp / (tp + self.false_negatives.data + eps)
        beta2 = self.beta ** 2
        score = (1 + beta2) * precision * recall / (beta2 * precision + recall + eps)
        if self.average == "weighted":
            support = self.intermediate_weights.data
            score = (score * support / (support.sum() + eps)).sum()
        elif self.average is not None:
            score = score.mean()
        return scalar_result(score, self.dtype)

    def get_config(self):
        config = super().get_config()
        config.update(average=self.average, beta=self.beta, threshold=self.threshold)
        return config


class F1Score(FBetaScore):
    """The harmonic mean of precision and recall (F-beta with beta = 1)."""

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name,
                         dtype=dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config
