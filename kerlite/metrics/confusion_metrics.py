"""Metrics from confusion counts: true/false positives/negatives, Precision, Recall, AUC.

Each keeps counts per decision threshold: a prediction is "positive" at threshold
``th`` when ``y_pred > th``. Precision = TP / (TP + FP), recall = TP / (TP + FN); AUC
sums the area under the ROC (or precision-recall) curve traced by 200 thresholds.
"""

from kerlite import arrays
from kerlite.arrays import convert_to_array
from kerlite.metrics.metric import Metric, scalar_result

_COUNTS = ("true_positives", "false_positives", "true_negatives", "false_negatives")


def confusion_counts(y_true, y_pred, thresholds, sample_weight=None, top_k=None,
                     class_id=None):
    """Weighted TP, FP, TN, FN at each threshold, as a (4, len(thresholds)) array."""
    y_pred = convert_to_array(y_pred, "float32")
    y_true = convert_to_array(y_true, "float32")
    xp = arrays.get_array_module(y_pred)
    if y_true.ndim == y_pred.ndim - 1:
        y_true = y_true.reshape(y_true.shape + (1,))
    y_true = y_true + y_pred * 0  # broadcast to y_pred's shape
    if top_k is not None:
        kth = xp.sort(y_pred, axis=-1)[..., -top_k][..., None]
        y_pred = xp.where(y_pred >= kth, y_pred, -xp.inf)
    if class_id is not None:
        y_pred, y_true = y_pred[..., class_id], y_true[..., class_id]
    weight = xp.ones_like(y_pred)
    if sample_weight is not None:
        sw = convert_to_array(sample_weight, "float32")
        while sw.ndim < y_pred.ndim:
            sw = sw.reshape(sw.shape + (1,))
        weight = weight * sw
    positive = (y_true > 0.5).reshape(1, -1)
    weight = weight.reshape(1, -1)
    predicted = y_pred.reshape(1, -1) > xp.asarray(thresholds, "float32").reshape(-1, 1)
    return xp.stack([(weight * (predicted & positive)).sum(axis=1),
                     (weight * (predicted & ~positive)).sum(axis=1),
                     (weight * (~predicted & ~positive)).sum(axis=1),
                     (weight * (~predicted & positive)).sum(axis=1)])


def _divide_no_nan(a, b):
    xp = arrays.get_array_module(a)
    return xp.where(b > 0, a / xp.where(b > 0, b, 1), 0)


class _ConfusionMetric(Metric):
    """Shared state: the four counts per threshold."""

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None,
                 counts=_COUNTS, default_threshold=0.5):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self._single = thresholds is None or isinstance(thresholds, (int, float))
        if thresholds is None:
            thresholds = [default_threshold]
        self.thresholds = [float(t) for t in (
            [thresholds] if isinstance(thresholds, (int, float)) else thresholds)]
        self.top_k = top_k
        self.class_id = class_id
        for count in counts:
            setattr(self, count, self.add_variable((len(self.thresholds),), name=count))

    def update_state(self, y_true, y_pred, sample_weight=None):
        counts = confusion_counts(y_true, y_pred, self.thresholds, sample_weight,
                                  self.top_k, self.class_id)
        for index, count in enumerate(_COUNTS):
            if hasattr(self, count):
                getattr(self, count).data += counts[index].astype(self.dtype)

    def _scalar_or_list(self, values):
        return scalar_result(values[0] if self._single else values, self.dtype)

    def get_config(self):
        config = super().get_config()
        config.update(thresholds=self.init_thresholds, top_k=self.top_k,
                      class_id=self.class_id)
        return config


class _CountMetric(_ConfusionMetric):
    _count = None

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(thresholds, name=name, dtype=dtype, counts=(self._count,))
        self.accumulator = getattr(self, self._count)

    def result(self):
        return self._scalar_or_list(self.accumulator.data)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "thresholds": self.init_thresholds}


class TruePositives(_CountMetric):
    _count = "true_positives"


class FalsePositives(_CountMetric):
    _count = "false_positives"


class TrueNegatives(_CountMetric):
    _count = "true_negatives"


class FalseNegatives(_CountMetric):
    _count = "false_negatives"


class Precision(_ConfusionMetric):
    """Of the samples predicted positive, the fraction that are positive."""

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(thresholds, top_k, class_id, name, dtype,
                         counts=("true_positives", "false_positives"),
                         default_threshold=0.5 if top_k is None else -float("inf"))

    def result(self):
        tp, fp = self.true_positives.data, self.false_positives.data
        return self._scalar_or_list(_divide_no_nan(tp, tp + fp))


class Recall(_ConfusionMetric):
    """Of the positive samples, the fraction predicted positive."""

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(thresholds, top_k, class_id, name, dtype,
                         counts=("true_positives", "false_negatives"),
                         default_threshold=0.5 if top_k is None else -float("inf"))

    def result(self):
        tp, fn = self.true_positives.data, self.false_negatives.data
        return self._scalar_or_list(_divide_no_nan(tp, tp + fn))


class AUC(_ConfusionMetric):
    """Area under the ROC curve (``curve="ROC"``) or precision-recall curve ("PR")."""

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False,
                 num_labels=None, label_weights=None, from_logits=False):
        if curve not in ("ROC", "PR") or summation_method not in (
                "interpolation", "minoring", "majoring"):
            raise ValueError('AUC: `curve` must be "ROC" or "PR" and `summation_method` '
                             '"interpolation", "minoring" or "majoring". Received: '
                             f"curve={curve!r}, summation_method={summation_method!r}")
        if multi_label or label_weights is not None:
            raise ValueError("kerlite's AUC computes a single-label AUC; "
                             "multi_label=True and label_weights are not supported.")
        if thresholds is None:
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        else:
            inner = sorted(thresholds)
            num_thresholds = len(inner) + 2
        epsilon = arrays.epsilon()
        super().__init__([0.0 - epsilon] + inner + [1.0 + epsilon], name=name, dtype=dtype)
        self.num_thresholds = num_thresholds
        self.curve = curve
        self.summation_method = summation_method
        self.from_logits = from_logits
        self._init = dict(num_thresholds=num_thresholds, curve=curve,
                          summation_method=summation_method, multi_label=False,
                          num_labels=num_labels, from_logits=from_logits,
                          thresholds=thresholds)

    def update_state(self, y_true, y_pred, sample_weight=None):
        if self.from_logits:
            xp = arrays.get_array_module(convert_to_array(y_pred))
            y_pred = 1 / (1 + xp.exp(-convert_to_array(y_pred, "float32")))
        super().update_state(y_true, y_pred, sample_weight)

    def result(self):
        tp, fp = self.true_positives.data, self.false_positives.data
        tn, fn = self.true_negatives.data, self.false_negatives.data
        if self.curve == "PR" and self.summation_method == "interpolation":
            return scalar_result(self._interpolated_pr_auc(tp, fp, fn), self.dtype)
        recall = _divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = _divide_no_nan(fp, fp + tn), recall
        else:
            x, y = recall, _divide_no_nan(tp, tp + fp)
        xp = arrays.get_array_module(x)
        pick = {"interpolation": lambda a, b: (a + b) / 2, "minoring": xp.minimum,
                "majoring": xp.maximum}[self.summation_method]
        heights = pick(y[:-1], y[1:])
        return scalar_result(((x[:-1] - x[1:]) * heights).sum(), self.dtype)

    @staticmethod
    def _interpolated_pr_auc(tp, fp, fn):
        """Davis & Goadrich interpolation of precision between thresholds (as Keras)."""
        xp = arrays.get_array_module(tp)
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = _divide_no_nan(dtp, xp.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        both = (p[:-1] > 0) & (p[1:] > 0)
        ratio = xp.where(both, _divide_no_nan(p[:-1], xp.maximum(p[1:], 0)), 1)
        increment = _divide_no_nan(slope * (dtp + intercept * xp.log(ratio)),
                                   xp.maximum(tp[1:] + fn[1:], 0))
        return increment.sum()

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, **self._init}
