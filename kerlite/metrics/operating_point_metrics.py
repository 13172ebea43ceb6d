"""The best of one rate while another stays above a floor: PrecisionAtRecall,
RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity.

Like AUC they keep TP/FP/TN/FN at ``num_thresholds`` thresholds evenly spread over
[0, 1] (a prediction is positive at threshold ``th`` when ``y_pred > th``). The result
is the largest value of one rate over the thresholds where the other rate is at least
the requested value (0 if there is none); e.g. SensitivityAtSpecificity(0.9) is

    max(recall[th] for th if specificity[th] >= 0.9)

with sensitivity = recall = TP / (TP + FN), specificity = TN / (TN + FP) and
precision = TP / (TP + FP).
"""

from kerlite import arrays
from kerlite.metrics.confusion_metrics import confusion_counts
from kerlite.arrays import convert_to_array
from kerlite.metrics.metric import Metric, scalar_result

_COUNTS = ("true_positives", "false_positives", "true_negatives", "false_negatives")


def _divide_no_nan(a, b):
    xp = arrays.get_array_module(a)
    return xp.where(b != 0, a / xp.where(b != 0, b, 1), 0)


class _OperatingPointMetric(Metric):
    """Shared state and search; subclasses name the constraint and the target rate."""

    _value_name = None  # the keyword argument of the constraint, e.g. "recall"

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        if not 0 <= value <= 1:
            raise ValueError(f"Argument `{self._value_name}` must be in the range [0, 1]. "
                             f"Received: {self._value_name}={value}")
        if num_thresholds <= 0:
            raise ValueError("Argument `num_thresholds` must be an integer > 0. "
                             f"Received: num_thresholds={num_thresholds}")
        super().__init__(name=name, dtype=dtype)
        self.value = value
        self.num_thresholds = num_thresholds
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds = [0.5]
        else:
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = [0.0] + inner + [1.0]
        for count in _COUNTS:
            setattr(self, count, self.add_variable((len(self.thresholds),), name=count))

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = convert_to_array(y_pred, "float32")
        if self.num_thresholds > 1:  # Keras buckets predictions into [0, 1] here
            y_pred = arrays.get_array_module(y_pred).clip(y_pred, 0.0, 1.0)
        positive = (convert_to_array(y_true) != 0).astype("float32")  # any non-zero label
        counts = confusion_counts(positive, y_pred, self.thresholds, sample_weight,
                                  class_id=self.class_id)
        for index, count in enumerate(_COUNTS):
            getattr(self, count).data += counts[index].astype(self.dtype)

    def _rates(self):
        tp, fp = self.true_positives.data, self.false_positives.data
        tn, fn = self.true_negatives.data, self.false_negatives.data
        return {"recall": _divide_no_nan(tp, tp + fn),
                "precision": _divide_no_nan(tp, tp + fp),
                "specificity": _divide_no_nan(tn, tn + fp)}

    def _best(self, constrained, dependent):
        """The largest ``dependent`` rate where ``constrained >= value`` (else 0)."""
        xp = arrays.get_array_module(dependent)
        feasible = xp.where(constrained >= self.value, dependent, 0)
        return scalar_result(max(float(feasible.max()), 0.0), self.dtype)

    def get_config(self):
        config = super().get_config()
        config.update(class_id=self.class_id, num_thresholds=self.num_thresholds)
        config[self._value_name] = self.value
        return config


class PrecisionAtRecall(_OperatingPointMetric):
    """Best precision over the thresholds whose recall is at least ``recall``."""

    _value_name = "recall"

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(recall, num_thresholds, class_id, name, dtype)
        self.recall = recall

    def result(self):
        rates = self._rates()
        return self._best(rates["recall"], rates["precision"])


class RecallAtPrecision(_OperatingPointMetric):
    """Best recall over the thresholds whose precision is at least ``precision``."""

    _value_name = "precision"

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None,
                 dtype=None):
        super().__init__(precision, num_thresholds, class_id, name, dtype)
        self.precision = precision

    def result(self):
        rates = self._rates()
        return self._best(rates["precision"], rates["recall"])


class SensitivityAtSpecificity(_OperatingPointMetric):
    """Best sensitivity (recall) where specificity is at least ``specificity``."""

    _value_name = "specificity"

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None,
                 dtype=None):
        super().__init__(specificity, num_thresholds, class_id, name, dtype)
        self.specificity = specificity

    def result(self):
        rates = self._rates()
        return self._best(rates["specificity"], rates["recall"])


class SpecificityAtSensitivity(_OperatingPointMetric):
    """Best specificity where sensitivity (recall) is at least ``sensitivity``."""

    _value_name = "sensitivity"

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None,
                 dtype=None):
        super().__init__(sensitivity, num_thresholds, class_id, name, dtype)
        self.sensitivity = sensitivity

    def result(self):
        rates = self._rates()
        return self._best(rates["recall"], rates["specificity"])
