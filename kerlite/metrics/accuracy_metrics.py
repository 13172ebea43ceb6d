"""Accuracy metrics: how often the prediction picks the right answer.

Each ``*_accuracy`` function returns 1.0/0.0 per sample; each class averages it over
batches. ``compile(metrics=["accuracy"])`` picks the right one from the shapes (see
``kerlite.metrics.get_accuracy``).
"""

from kerlite import arrays
from kerlite.arrays import convert_to_array
from kerlite.autodiff.tensor import Tensor
from kerlite.metrics.reduction_metrics import MeanMetricWrapper


def _as_result(matches):
    return Tensor(matches.astype(arrays.floatx()))


def _labels(y_true, y_pred):
    """Integer labels of shape y_pred.shape[:-1] (a trailing axis of 1 is dropped)."""
    labels = convert_to_array(y_true)
    if labels.ndim == y_pred.ndim and labels.shape[-1] == 1:
        labels = labels.reshape(labels.shape[:-1])
    return labels


def accuracy(y_true, y_pred):
    """1.0 where y_true == y_pred exactly."""
    y_true, y_pred = convert_to_array(y_true), convert_to_array(y_pred)
    return _as_result(y_true == y_pred)


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where (y_pred > threshold) equals the 0/1 target."""
    y_pred = convert_to_array(y_pred)
    y_true = convert_to_array(y_true)
    if y_true.ndim == y_pred.ndim + 1 and y_true.shape[-1] == 1:
        y_true = y_true.reshape(y_true.shape[:-1])
    elif y_pred.ndim == y_true.ndim + 1 and y_pred.shape[-1] == 1:
        y_true = y_true.reshape(y_true.shape + (1,))
    return _as_result(y_true == (y_pred > threshold))


def categorical_accuracy(y_true, y_pred):
    """1.0 where argmax(y_pred) == argmax(y_true) (one-hot targets)."""
    y_pred = convert_to_array(y_pred)
    return _as_result(convert_to_array(y_true).argmax(axis=-1) == y_pred.argmax(axis=-1))


def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where argmax(y_pred) equals the integer label."""
    y_pred = convert_to_array(y_pred)
    return _as_result(_labels(y_true, y_pred) == y_pred.argmax(axis=-1))


def _in_top_k(labels, y_pred, k):
    """True where the label's score is among the k largest (ties count as in)."""
    xp = arrays.get_array_module(y_pred)
    scores = y_pred.reshape(-1, y_pred.shape[-1])
    labels = labels.reshape(-1).astype("int64")
    target = scores[xp.arange(scores.shape[0]), labels]
    return ((scores > target[:, None]).sum(axis=-1) < k).reshape(y_pred.shape[:-1])


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the true class (one-hot) is among the k highest predictions."""
    y_pred = convert_to_array(y_pred)
    return _as_result(_in_top_k(convert_to_array(y_true).argmax(axis=-1), y_pred, k))


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """1.0 where the integer label is among the k highest predictions."""
    y_pred = convert_to_array(y_pred)
    labels = _labels(y_true, y_pred)
    if from_sorted_ids:
        return _as_result((y_pred[..., :k] == labels[..., None]).any(axis=-1))
    return _as_result(_in_top_k(labels, y_pred, k))


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels exactly."""

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)


class BinaryAccuracy(MeanMetricWrapper):
    """How often ``y_pred > threshold`` matches the binary label."""

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)


class CategoricalAccuracy(MeanMetricWrapper):
    """How often the largest prediction is the one-hot target's class."""

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the largest prediction is the integer label."""

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot target is among the ``k`` largest predictions."""

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer label is among the ``k`` largest predictions."""

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None,
                 from_sorted_ids=False):
        super().__init__(sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k,
                         from_sorted_ids=from_sorted_ids)
