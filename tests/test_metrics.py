"""Metrics: results equal Keras 3's over several batches, state handling, "accuracy"."""

import re

import numpy as np
import pytest

import kerlite as keras
from kerlite import metrics, ops
from _keras_reference import import_keras

rng = np.random.default_rng(1)
N, C = 20, 5
LOGITS = rng.normal(size=(N, C)).astype("float32")
PROBS = (np.exp(LOGITS) / np.exp(LOGITS).sum(-1, keepdims=True)).astype("float32")
LABELS = rng.integers(0, C, N)
ONE_HOT = np.eye(C, dtype="float32")[LABELS]
BIN_T = (rng.random((N, 1)) > 0.5).astype("float32")
BIN_P = rng.random((N, 1)).astype("float32")
Y_REG = rng.normal(size=(N, 3)).astype("float32")
P_REG = rng.normal(size=(N, 3)).astype("float32")
SAMPLE_WEIGHT = rng.random(N).astype("float32")

CASES = [
    ("BinaryAccuracy", {}, BIN_T, BIN_P),
    ("BinaryAccuracy", {"threshold": 0.7}, BIN_T, BIN_P),
    ("CategoricalAccuracy", {}, ONE_HOT, PROBS),
    ("SparseCategoricalAccuracy", {}, LABELS, PROBS),
    ("SparseCategoricalAccuracy", {}, LABELS[:, None], PROBS),
    ("TopKCategoricalAccuracy", {"k": 2}, ONE_HOT, PROBS),
    ("SparseTopKCategoricalAccuracy", {"k": 3}, LABELS, PROBS),
    ("MeanSquaredError", {}, Y_REG, P_REG),
    ("MeanAbsoluteError", {}, Y_REG, P_REG),
    ("RootMeanSquaredError", {}, Y_REG, P_REG),
    ("MeanAbsolutePercentageError", {}, Y_REG, P_REG),
    ("CosineSimilarity", {}, Y_REG, P_REG),
    ("LogCoshError", {}, Y_REG, P_REG),
    ("Precision", {}, BIN_T, BIN_P),
    ("Recall", {}, BIN_T, BIN_P),
    ("Precision", {"thresholds": [0.3, 0.6]}, BIN_T, BIN_P),
    ("Recall", {"top_k": 2}, ONE_HOT, PROBS),
    ("Precision", {"class_id": 1}, ONE_HOT, PROBS),
    ("AUC", {}, BIN_T, BIN_P),
    ("AUC", {"curve": "PR"}, BIN_T, BIN_P),
    ("AUC", {"summation_method": "minoring"}, BIN_T, BIN_P),
    ("TruePositives", {}, BIN_T, BIN_P),
    ("FalseNegatives", {"thresholds": [0.2, 0.7]}, BIN_T, BIN_P),
    ("BinaryCrossentropy", {}, BIN_T, BIN_P),
    ("CategoricalCrossentropy", {}, ONE_HOT, PROBS),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, LABELS, LOGITS),
    ("KLDivergence", {}, ONE_HOT, PROBS),
    ("Hinge", {}, BIN_T, BIN_P),
]


# Sample weights are checked on a few metrics of each family (Keras is slow to run).
WEIGHTED = {0, 3, 7, 9, 13, 18, 23}


@pytest.mark.parity
@pytest.mark.parametrize("index", range(len(CASES)),
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_metric_matches_keras_over_two_batches(index):
    name, kwargs, y_true, y_pred = CASES[index]
    weighted = index in WEIGHTED
    reference = import_keras()
    theirs = getattr(reference.metrics, name)(**kwargs)
    ours = getattr(metrics, name)(**kwargs)
    for part in (slice(0, 8), slice(8, None)):
        weight = SAMPLE_WEIGHT[part] if weighted else None
        theirs.update_state(y_true[part], y_pred[part], sample_weight=weight)
        ours.update_state(y_true[part], y_pred[part], sample_weight=weight)
    np.testing.assert_allclose(np.asarray(ours.result()), np.asarray(theirs.result()),
                               rtol=1e-5, atol=1e-6)
    assert re.sub(r"_\d+$", "", ours.name) == re.sub(r"_\d+$", "", theirs.name)


def test_reset_state_and_call():
    metric = metrics.Mean()
    assert float(metric([1.0, 2.0, 3.0])) == pytest.approx(2.0)
    assert float(metric([10.0])) == pytest.approx(4.0)
    metric.reset_state()
    assert float(metric.result()) == 0.0
    assert [float(v.data) for v in metric.variables] == [0.0, 0.0]


def test_sum_and_weighted_mean():
    total = metrics.Sum()
    total.update_state([1.0, 2.0])
    total.update_state([3.0])
    assert float(total.result()) == 6.0
    mean = metrics.Mean()
    mean.update_state([1.0, 3.0], sample_weight=[1.0, 3.0])
    assert float(mean.result()) == pytest.approx(2.5)


@pytest.mark.parametrize("y_true_shape, y_pred_shape, expected", [
    ((8, 1), (8, 1), metrics.BinaryAccuracy),
    ((8,), (8, 1), metrics.BinaryAccuracy),
    ((8,), (8, 5), metrics.SparseCategoricalAccuracy),
    ((8, 1), (8, 5), metrics.SparseCategoricalAccuracy),
    ((8, 5), (8, 5), metrics.CategoricalAccuracy),
])
def test_accuracy_is_chosen_from_shapes(y_true_shape, y_pred_shape, expected):
    metric = metrics.get_accuracy(y_true_shape, y_pred_shape, name="acc")
    assert type(metric) is expected and metric.name == "acc"


def test_custom_metric_subclass():
    class CountPositives(keras.metrics.Metric):
        def __init__(self, name="positives", **kwargs):
            super().__init__(name=name, **kwargs)
            self.count = self.add_variable(shape=(), initializer="zeros", name="count")

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.count.assign_add(ops.sum(ops.cast(ops.greater(y_pred, 0.5), "float32")))

        def result(self):
            return self.count

    metric = CountPositives()
    metric.update_state(None, np.array([0.2, 0.7, 0.9], "float32"))
    assert float(metric.result()) == 2.0
    metric.reset_state()
    assert float(metric.result()) == 0.0
    assert metric.get_config()["name"] == "positives"


def test_get_and_config():
    assert metrics.get("mae") is metrics.mean_absolute_error
    assert isinstance(metrics.get("AUC"), metrics.AUC)
    auc = metrics.AUC(num_thresholds=50, curve="PR", name="pr")
    rebuilt = metrics.deserialize(metrics.serialize(auc))
    assert rebuilt.get_config() == auc.get_config()
    assert len(rebuilt.thresholds) == 50
    with pytest.raises(ValueError, match="Could not interpret metric"):
        metrics.get("no_such_metric")
