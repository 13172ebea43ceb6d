"""F-scores, R2, correlations, IoU and operating-point metrics: results equal Keras 3's
over several batches (with and without sample weights), names, configs, get, compile."""

import re

import numpy as np
import pytest

import kerlite as keras
from kerlite import losses, metrics
from _keras_reference import import_keras

rng = np.random.default_rng(3)
N, C = 24, 4
LOGITS = rng.normal(size=(N, C)).astype("float32")
PROBS = (np.exp(LOGITS) / np.exp(LOGITS).sum(-1, keepdims=True)).astype("float32")
LABELS = rng.integers(0, C, N).astype("int32")
ONE_HOT = np.eye(C, dtype="float32")[LABELS]
MULTI_T = (rng.random((N, C)) > 0.5).astype("float32")
BIN_T = (rng.random((N, 1)) > 0.5).astype("float32")
BIN_P = np.clip(BIN_T * 0.3 + rng.random((N, 1)) * 0.7, 0, 1).astype("float32")
Y_REG = rng.normal(size=(N, 3)).astype("float32")
P_REG = (Y_REG + rng.normal(size=(N, 3)) * 0.5).astype("float32")
SEG_T = rng.integers(0, 3, (N, 4, 4)).astype("int32")
SEG_P = np.where(rng.random((N, 4, 4)) > 0.3, SEG_T,
                 rng.integers(0, 3, (N, 4, 4))).astype("int32")
SEG_ONE_HOT = np.eye(3, dtype="float32")[SEG_T]
SEG_SCORES = rng.random((N, 4, 4, 3)).astype("float32")
SAMPLE_WEIGHT = rng.uniform(0.1, 1.0, N).astype("float32")
INT_WEIGHT = rng.integers(0, 3, N).astype("int32")
PIXEL_WEIGHT = rng.integers(0, 3, (N, 4, 4)).astype("int32")  # one weight per pixel

CASES = [
    ("F1Score", {}, ONE_HOT, PROBS),
    ("F1Score", {"average": "macro"}, ONE_HOT, PROBS),
    ("F1Score", {"average": "micro", "threshold": 0.3}, MULTI_T, PROBS),
    ("F1Score", {"average": "weighted"}, ONE_HOT, PROBS),
    ("FBetaScore", {"beta": 2.0}, ONE_HOT, PROBS),
    ("FBetaScore", {"beta": 0.5, "average": "weighted", "threshold": 0.25}, MULTI_T, PROBS),
    ("R2Score", {}, Y_REG, P_REG),
    ("R2Score", {"class_aggregation": None}, Y_REG, P_REG),
    ("R2Score", {"class_aggregation": "variance_weighted_average"}, Y_REG, P_REG),
    ("R2Score", {"num_regressors": 2}, Y_REG, P_REG),
    ("R2Score", {}, Y_REG[:, :1], P_REG[:, 0]),
    ("PearsonCorrelation", {}, Y_REG, P_REG),
    ("PearsonCorrelation", {"axis": 0}, Y_REG, P_REG),
    ("ConcordanceCorrelation", {}, Y_REG, P_REG),
    ("IoU", {"num_classes": 3, "target_class_ids": [0, 2]}, SEG_T, SEG_P),
    ("MeanIoU", {"num_classes": 3}, SEG_T, SEG_P),
    ("MeanIoU", {"num_classes": 3, "ignore_class": 1}, SEG_T, SEG_P),
    ("MeanIoU", {"num_classes": 3, "dtype": "float32"}, SEG_T, SEG_P),
    ("BinaryIoU", {}, BIN_T, BIN_P),
    ("BinaryIoU", {"target_class_ids": [1], "threshold": 0.6}, BIN_T, BIN_P),
    ("OneHotIoU", {"num_classes": 3, "target_class_ids": [1]}, SEG_ONE_HOT, SEG_SCORES),
    ("OneHotMeanIoU", {"num_classes": 3}, SEG_ONE_HOT, SEG_SCORES),
    ("OneHotMeanIoU", {"num_classes": 3, "sparse_y_pred": True}, SEG_ONE_HOT, SEG_P),
    ("PrecisionAtRecall", {"recall": 0.7}, BIN_T, BIN_P),
    ("RecallAtPrecision", {"precision": 0.6}, BIN_T, BIN_P),
    ("SensitivityAtSpecificity", {"specificity": 0.5, "num_thresholds": 50}, BIN_T, BIN_P),
    ("SpecificityAtSensitivity", {"sensitivity": 0.8}, BIN_T, BIN_P),
    ("PrecisionAtRecall", {"recall": 0.5, "class_id": 2}, MULTI_T, PROBS),
    ("SpecificityAtSensitivity", {"sensitivity": 0.4, "num_thresholds": 1}, BIN_T, BIN_P),
]


def _weights(name, kwargs, y_true, index, weighted):
    if not weighted or kwargs.get("axis") == 0:  # axis=0: values are per feature
        return None
    if y_true.ndim > 2:
        return PIXEL_WEIGHT[index].astype(kwargs.get("dtype", "int32"))
    if "IoU" in name:
        return INT_WEIGHT[index]  # an int confusion matrix: whole-number weights
    return SAMPLE_WEIGHT[index]


@pytest.mark.parity
@pytest.mark.filterwarnings("ignore:More independent predictors")
@pytest.mark.filterwarnings("ignore:Explicitly requested dtype int64")  # JAX inside Keras
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("name, kwargs, y_true, y_pred", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_matches_keras_over_three_batches(name, kwargs, y_true, y_pred, weighted):
    reference = import_keras()
    theirs = getattr(reference.metrics, name)(**kwargs)
    ours = getattr(metrics, name)(**kwargs)
    for part in (slice(0, 8), slice(8, 14), slice(14, None)):
        weight = _weights(name, kwargs, y_true, part, weighted)
        theirs.update_state(y_true[part], y_pred[part], sample_weight=weight)
        ours.update_state(y_true[part], y_pred[part], sample_weight=weight)
    expected = np.asarray(theirs.result())
    result = np.asarray(ours.result())
    assert result.shape == expected.shape
    np.testing.assert_allclose(result, expected, rtol=1e-5, atol=1e-6)
    assert re.sub(r"_\d+$", "", ours.name) == re.sub(r"_\d+$", "", theirs.name)
    ours.reset_state()
    theirs.reset_state()
    ours.update_state(y_true[:10], y_pred[:10])
    theirs.update_state(y_true[:10], y_pred[:10])
    np.testing.assert_allclose(np.asarray(ours.result()), np.asarray(theirs.result()),
                               rtol=1e-5, atol=1e-6)


@pytest.mark.parity
@pytest.mark.parametrize("name, args", [
    ("pearson_correlation", {}), ("pearson_correlation", {"axis": 0}),
    ("concordance_correlation", {}), ("huber", {"delta": 0.5}), ("log_cosh", {}),
])
def test_regression_functions_match_keras(name, args):
    reference = import_keras()
    expected = np.asarray(getattr(reference.metrics, name)(Y_REG, P_REG, **args))
    result = np.asarray(getattr(metrics, name)(Y_REG, P_REG, **args))
    np.testing.assert_allclose(result, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parity
@pytest.mark.parametrize("name, y_true, y_pred", [
    ("binary_focal_crossentropy", MULTI_T, PROBS),
    ("categorical_focal_crossentropy", ONE_HOT, PROBS),
])
def test_focal_functions_in_metrics_match_keras(name, y_true, y_pred):
    reference = import_keras()
    expected = np.asarray(getattr(reference.metrics, name)(y_true, y_pred))
    np.testing.assert_allclose(np.asarray(getattr(metrics, name)(y_true, y_pred)),
                               expected, rtol=1e-5, atol=1e-6)
    assert getattr(metrics, name) is getattr(losses, name)


@pytest.mark.parity
@pytest.mark.parametrize("metric", [
    metrics.F1Score(), metrics.FBetaScore(beta=2.0, average="macro", threshold=0.4),
    metrics.R2Score(class_aggregation=None, num_regressors=1),
    metrics.PearsonCorrelation(axis=0), metrics.ConcordanceCorrelation(),
    metrics.IoU(3, [0, 1], ignore_class=2), metrics.MeanIoU(4, sparse_y_pred=False),
    metrics.BinaryIoU(target_class_ids=[0], threshold=0.3), metrics.OneHotIoU(3, [2]),
    metrics.OneHotMeanIoU(5), metrics.PrecisionAtRecall(0.4, num_thresholds=10),
    metrics.RecallAtPrecision(0.9, class_id=1), metrics.SensitivityAtSpecificity(0.3),
    metrics.SpecificityAtSensitivity(0.6),
], ids=lambda metric: type(metric).__name__)
def test_config_matches_keras_and_round_trips(metric):
    reference = import_keras()
    theirs = getattr(reference.metrics, type(metric).__name__).from_config(
        metric.get_config())
    strip = lambda config: {k: v for k, v in config.items() if k != "name"}  # noqa: E731
    assert strip(metric.get_config()) == strip(theirs.get_config())
    rebuilt = metrics.deserialize(metrics.serialize(metric))
    assert type(rebuilt) is type(metric)
    assert rebuilt.get_config() == metric.get_config()


@pytest.mark.parametrize("index", [0, 3, 7, 13, 15, 18, 21, 23, 27])
def test_same_result_on_each_array_module(xp, index):
    name, kwargs, y_true, y_pred = CASES[index]
    on_host, on_xp = getattr(metrics, name)(**kwargs), getattr(metrics, name)(**kwargs)
    for part in (slice(0, 8), slice(8, None)):
        weight = _weights(name, kwargs, y_true, part, True)
        on_host.update_state(y_true[part], y_pred[part], sample_weight=weight)
        on_xp.update_state(xp.asarray(y_true[part]), xp.asarray(y_pred[part]),
                           sample_weight=None if weight is None else xp.asarray(weight))
    np.testing.assert_allclose(keras.ops.convert_to_numpy(on_xp.result()),
                               np.asarray(on_host.result()), rtol=1e-6)


def test_f1_score_per_class_by_hand():
    y_true = np.array([[1, 0, 0], [0, 1, 0], [0, 1, 0], [0, 0, 1]], "float32")
    y_pred = np.array([[.9, .1, 0], [.2, .7, .1], [.6, .3, .1], [.1, .1, .8]], "float32")
    result = metrics.F1Score()(y_true, y_pred).numpy()
    # class 0: TP 1, FP 1 -> F1 2/3; class 1: TP 1, FN 1 -> 2/3; class 2: perfect.
    np.testing.assert_allclose(result, [2 / 3, 2 / 3, 1.0], rtol=1e-5)


def test_mean_iou_by_hand():
    metric = metrics.MeanIoU(num_classes=2)
    metric.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    # class 0: TP 1, union 3 -> 1/3; class 1: the same.
    assert float(metric.result()) == pytest.approx(1 / 3, rel=1e-5)


@pytest.mark.parametrize("name, cls", [
    ("f1_score", metrics.F1Score), ("F1Score", metrics.F1Score),
    ("f_beta_score", metrics.FBetaScore), ("r2_score", metrics.R2Score),
    ("pearson_correlation", metrics.PearsonCorrelation),
    ("concordance_correlation", metrics.ConcordanceCorrelation),
    ("binary_io_u", metrics.BinaryIoU), ("BinaryIoU", metrics.BinaryIoU),
])
def test_get_resolves_names(name, cls):
    assert type(metrics.get(name)) is cls


def test_get_resolves_the_loss_functions_keras_exports_in_metrics():
    assert metrics.get("huber") is losses.huber
    assert metrics.get("log_cosh") is losses.log_cosh
    assert metrics.get("binary_focal_crossentropy") is losses.binary_focal_crossentropy


def test_compile_logs_vector_and_scalar_metrics():
    x = rng.normal(size=(32, 5)).astype("float32")
    y = np.eye(3, dtype="float32")[rng.integers(0, 3, 32)]
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3, "softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy",
                  metrics=["f1_score", metrics.F1Score(average="macro", name="f1_macro"),
                           metrics.OneHotMeanIoU(3), metrics.RecallAtPrecision(0.5)])
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=1, validation_split=0.25)
    logs = history.history
    assert len(logs["f1_score"][0]) == 3  # one value per class, as in Keras
    assert np.isscalar(logs["f1_macro"][0]) and np.isscalar(logs["val_f1_macro"][0])
    assert "one_hot_mean_io_u" in logs and "recall_at_precision" in logs
    results = model.evaluate(x, y, verbose=0, return_dict=True)
    assert len(results["f1_score"]) == 3


def test_compile_with_regression_metric_strings():
    x = rng.normal(size=(32, 3)).astype("float32")
    y = x @ rng.normal(size=(3, 2)).astype("float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse",
                  metrics=["r2_score", "pearson_correlation", "concordance_correlation",
                           "huber", "log_cosh"])
    logs = model.fit(x, y, epochs=1, batch_size=8, verbose=0).history
    for name in ("r2_score", "pearson_correlation", "concordance_correlation", "huber",
                 "log_cosh"):
        assert np.isfinite(logs[name]).all()


def test_errors():
    with pytest.raises(ValueError, match="Invalid `average`"):
        metrics.F1Score(average="samples")
    with pytest.raises(ValueError, match="Python float"):
        metrics.FBetaScore(beta=2)
    with pytest.raises(ValueError, match="0 < threshold <= 1"):
        metrics.F1Score(threshold=1.5)
    with pytest.raises(ValueError, match="expects 2D inputs"):
        metrics.F1Score().update_state(np.ones(4), np.ones(4))
    with pytest.raises(ValueError, match="class_aggregation"):
        metrics.R2Score(class_aggregation="mean")
    with pytest.raises(ValueError, match="num_regressors"):
        metrics.R2Score(num_regressors=-1)
    with pytest.raises(ValueError, match="expects 2D inputs"):
        metrics.R2Score().update_state(np.ones((2, 2, 2)), np.ones((2, 2, 2)))
    with pytest.raises(ValueError, match=r"out of range, which is \[0, 3\)"):
        metrics.IoU(num_classes=3, target_class_ids=[3])
    with pytest.raises(ValueError, match=r"`recall` must be in the range \[0, 1\]"):
        metrics.PrecisionAtRecall(recall=1.2)
    with pytest.raises(ValueError, match="num_thresholds"):
        metrics.SensitivityAtSpecificity(0.5, num_thresholds=0)
    with pytest.raises(TypeError):
        metrics.get("mean_io_u")  # needs num_classes, as in Keras
    with pytest.warns(UserWarning, match="weight as `float`"):
        metrics.MeanIoU(2).update_state([0, 1], [0, 1], sample_weight=[0.5, 1.0])
