"""Intersection-over-union metrics for segmentation and classification.

They accumulate a ``num_classes x num_classes`` confusion matrix (rows: true class,
columns: predicted class) over every pixel or sample seen. For class c:

    IoU_c = TP_c / (TP_c + FP_c + FN_c)   (predicted-as-c area "union" true-c area)

``IoU`` averages the chosen ``target_class_ids`` (classes that never occur, in truth or
prediction, are left out of the mean); ``MeanIoU`` averages all classes; ``BinaryIoU``
thresholds probabilities into classes 0 and 1; the ``OneHot`` variants take one-hot
labels (and, unless ``sparse_y_pred=True``, class scores) and use their argmax.

As in Keras the matrix is integer (``dtype="int32"``) by default, so sample weights are
truncated to integers; pass ``dtype="float32"`` for fractional weights.
"""

import warnings

from kerlite import arrays
from kerlite.arrays import convert_to_array
from kerlite.metrics.metric import Metric, scalar_result


class IoU(Metric):
    """Mean IoU of the classes in ``target_class_ids``."""

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None,
                 ignore_class=None, sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(name=name, dtype=dtype or "int32")
        if max(target_class_ids) >= num_classes:
            raise ValueError(f"Target class id {max(target_class_ids)} is out of range, "
                             f"which is [0, {num_classes}).")
        self.num_classes = num_classes
        self.target_class_ids = list(target_class_ids)
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable((num_classes, num_classes),
                                          name="total_confusion_matrix")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = convert_to_array(y_true), convert_to_array(y_pred)
        if not self.sparse_y_true:
            y_true = y_true.argmax(axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = y_pred.argmax(axis=self.axis)
        y_true = y_true.astype(self.dtype).reshape(-1)
        y_pred = y_pred.astype(self.dtype).reshape(-1)
        xp = arrays.get_array_module(y_true)
        if (sample_weight is not None and "int" in self.dtype
                and convert_to_array(sample_weight).dtype.kind == "f"):
            warnings.warn("You are passing weight as `float`, but dtype is `int`. This "
                          "may result in an incorrect weight due to type casting. "
                          "Consider using integer weights.", stacklevel=2)
        weight = convert_to_array(1 if sample_weight is None else sample_weight, self.dtype)
        weight = xp.broadcast_to(weight.reshape(-1) if weight.ndim > 1 else weight,
                                 y_true.shape)
        n = self.num_classes
        valid = (y_true >= 0) & (y_true < n) & (y_pred >= 0) & (y_pred < n)
        if self.ignore_class is not None:
            valid &= y_true != self.ignore_class
        cells = xp.where(valid, y_true, 0) * n + xp.where(valid, y_pred, 0)
        counts = xp.bincount(cells.astype("int64"), weights=xp.where(valid, weight, 0),
                             minlength=n * n)
        self.total_cm.data += counts.reshape(n, n).astype(self.dtype)

    def result(self):
        matrix = self.total_cm.data
        xp = arrays.get_array_module(matrix)
        true_positives = xp.diagonal(matrix).astype("float32")
        union = (matrix.sum(axis=0) + matrix.sum(axis=1)).astype("float32") - true_positives
        ids = xp.asarray(self.target_class_ids)
        true_positives, union = true_positives[ids], union[ids]
        present = union > 1e-9  # a class never seen nor predicted does not count
        iou = xp.where(present, true_positives / (union + arrays.epsilon()), 0.0)
        mean = iou.sum(axis=self.axis) / (present.sum() + arrays.epsilon())
        return scalar_result(mean, "float32")

    def get_config(self):
        config = super().get_config()
        config.update(num_classes=self.num_classes, target_class_ids=self.target_class_ids,
                      ignore_class=self.ignore_class, sparse_y_true=self.sparse_y_true,
                      sparse_y_pred=self.sparse_y_pred, axis=self.axis)
        return config


class BinaryIoU(IoU):
    """IoU of yes/no predictions: ``y_pred >= threshold`` is class 1."""

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name,
                         dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        predicted = convert_to_array(y_pred, "float32") >= self.threshold
        super().update_state(convert_to_array(y_true).astype(self.dtype),
                             predicted.astype(self.dtype), sample_weight)

    def get_config(self):
        return {"target_class_ids": self.target_class_ids, "threshold": self.threshold,
                "name": self.name, "dtype": self.dtype}


class MeanIoU(IoU):
    """IoU averaged over every class."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(num_classes, list(range(num_classes)), name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=sparse_y_true,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        config = super().get_config()
        del config["target_class_ids"]
        return config


class OneHotIoU(IoU):
    """IoU for one-hot labels (and, by default, class scores as predictions)."""

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None,
                 ignore_class=None, sparse_y_pred=False, axis=-1):
        super().__init__(num_classes, target_class_ids, name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        config = super().get_config()
        del config["sparse_y_true"]
        return config


class OneHotMeanIoU(MeanIoU):
    """MeanIoU for one-hot labels (and, by default, class scores as predictions)."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_pred=False, axis=-1):
        super().__init__(num_classes, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        config = super().get_config()
        del config["sparse_y_true"]
        return config
