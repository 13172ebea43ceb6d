"""Losses: values and gradients equal Keras 3's, stable for extreme inputs, API forms."""

import numpy as np
import pytest

import kerlite as keras
from kerlite import losses, ops
from _keras_reference import import_keras
from _loss_checks import value_and_grad

rng = np.random.default_rng(0)
N, C = 6, 4
LOGITS = (rng.normal(size=(N, C)) * 3).astype("float32")
PROBS = (np.exp(LOGITS) / np.exp(LOGITS).sum(-1, keepdims=True)).astype("float32")
ONE_HOT = np.eye(C, dtype="float32")[rng.integers(0, C, N)]
LABELS = ONE_HOT.argmax(-1)
Y_REG = rng.normal(size=(N, 3)).astype("float32")
P_REG = rng.normal(size=(N, 3)).astype("float32")
BIN_T = (rng.random((N, 3)) > 0.5).astype("float32")
BIN_P = rng.random((N, 3)).astype("float32")
BIN_LOGITS = (rng.normal(size=(N, 3)) * 4).astype("float32")
SAMPLE_WEIGHT = rng.random(N).astype("float32")

CASES = [
    ("MeanSquaredError", {}, Y_REG, P_REG),
    ("MeanAbsoluteError", {}, Y_REG, P_REG),
    ("MeanAbsolutePercentageError", {}, Y_REG, P_REG),
    ("MeanSquaredLogarithmicError", {}, np.abs(Y_REG), P_REG),
    ("Huber", {}, Y_REG, P_REG * 2),
    ("Huber", {"delta": 0.5}, Y_REG, P_REG * 2),
    ("LogCosh", {}, Y_REG, P_REG),
    ("CosineSimilarity", {}, Y_REG, P_REG),
    ("BinaryCrossentropy", {}, BIN_T, BIN_P),
    ("BinaryCrossentropy", {"from_logits": True}, BIN_T, BIN_LOGITS),
    ("BinaryCrossentropy", {"label_smoothing": 0.1}, BIN_T, BIN_P),
    ("CategoricalCrossentropy", {}, ONE_HOT, PROBS),
    ("CategoricalCrossentropy", {"from_logits": True}, ONE_HOT, LOGITS),
    ("CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.2}, ONE_HOT,
     LOGITS),
    ("SparseCategoricalCrossentropy", {}, LABELS, PROBS),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, LABELS, LOGITS),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, LABELS[:, None], LOGITS),
    ("KLDivergence", {}, PROBS[::-1].copy(), PROBS),
    ("Poisson", {}, np.abs(Y_REG), np.abs(P_REG)),
    ("Hinge", {}, BIN_T, BIN_LOGITS),
    ("SquaredHinge", {}, BIN_T, BIN_LOGITS),
    ("CategoricalHinge", {}, ONE_HOT, LOGITS),
]


@pytest.mark.parity
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("name, kwargs, y_true, y_pred", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_loss_value_and_gradient_match_keras(name, kwargs, y_true, y_pred, weighted):
    reference = import_keras()
    import jax

    weight = SAMPLE_WEIGHT if weighted else None
    keras_loss = getattr(reference.losses, name)(**kwargs)
    expected = float(keras_loss(y_true, y_pred, sample_weight=weight))
    expected_grad = np.asarray(jax.grad(
        lambda p: keras_loss(y_true, p, sample_weight=weight))(y_pred))
    value, grad = value_and_grad(getattr(losses, name)(**kwargs), y_true, y_pred, weight)
    np.testing.assert_allclose(value, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("reduction", ["sum", "none", None, "mean_with_sample_weight"])
def test_reductions(reduction):
    loss = losses.MeanSquaredError(reduction=reduction)
    per_sample = ((Y_REG - P_REG) ** 2).mean(-1)
    result = np.asarray(loss(Y_REG, P_REG, sample_weight=SAMPLE_WEIGHT))
    weighted = per_sample * SAMPLE_WEIGHT
    expected = {"sum": weighted.sum(), "none": weighted, None: weighted,
                "mean_with_sample_weight": weighted.sum() / SAMPLE_WEIGHT.sum()}[reduction]
    np.testing.assert_allclose(result, expected, rtol=1e-5)


def test_default_reduction_divides_by_number_of_values_not_weights():
    value = losses.MeanSquaredError()(Y_REG, P_REG, sample_weight=SAMPLE_WEIGHT)
    expected = (((Y_REG - P_REG) ** 2).mean(-1) * SAMPLE_WEIGHT).sum() / N
    np.testing.assert_allclose(float(value), expected, rtol=1e-5)


@pytest.mark.parametrize("logit", [1e4, -1e4, 88.0, -104.0])
def test_crossentropies_from_extreme_logits_are_finite(logit):
    logits = np.array([[logit, 0.0, -logit]], "float32")
    for loss, target in [(losses.CategoricalCrossentropy(from_logits=True),
                          np.array([[0.0, 1.0, 0.0]], "float32")),
                         (losses.SparseCategoricalCrossentropy(from_logits=True),
                          np.array([2])),
                         (losses.BinaryCrossentropy(from_logits=True),
                          np.array([[1.0, 0.0, 1.0]], "float32"))]:
        value, grad = value_and_grad(loss, target, logits)
        assert np.isfinite(value) and np.isfinite(grad).all()


def test_probabilities_of_zero_and_one_are_clipped():
    value, grad = value_and_grad(losses.BinaryCrossentropy(), np.array([[1.0, 0.0]], "f"),
                                 np.array([[0.0, 1.0]], "float32"))
    assert np.isfinite(value) and np.isfinite(grad).all()
    assert value == pytest.approx(-np.log(1e-7), rel=1e-2)  # log of the clip bounds


def test_mse_accepts_rank_one_targets_for_one_unit_outputs():
    y_true, y_pred = np.array([1.0, 2.0], "f"), np.array([[1.5], [2.0]], "float32")
    assert float(losses.mse(y_true, y_pred).numpy().mean()) == pytest.approx(0.125)


def test_sparse_ignore_class_leaves_those_labels_out_of_the_mean():
    labels = np.array([0, 1, -1, 2])
    logits = rng.normal(size=(4, 3)).astype("float32")
    value = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1)(
        labels, logits)
    kept = losses.SparseCategoricalCrossentropy(from_logits=True)(labels[[0, 1, 3]],
                                                                   logits[[0, 1, 3]])
    assert float(value) == pytest.approx(float(kept), rel=1e-6)


def test_sparse_labels_out_of_range_raise_a_clear_error():
    with pytest.raises(ValueError, match=r"labels must be integers in \[0, 4\)"):
        losses.sparse_categorical_crossentropy(np.array([5]), LOGITS[:1])


def test_get_resolves_names_the_keras_way():
    assert losses.get("mse") is losses.mean_squared_error
    assert losses.get("MSE") is losses.mean_squared_error
    assert losses.get("categorical_crossentropy") is losses.categorical_crossentropy
    assert isinstance(losses.get("BinaryCrossentropy"), losses.BinaryCrossentropy)
    assert losses.get(None) is None
    with pytest.raises(ValueError, match="Could not interpret loss"):
        losses.get("not_a_loss")


def test_config_round_trip():
    loss = losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1,
                                          name="cce")
    config = loss.get_config()
    assert config == {"name": "cce", "reduction": "sum_over_batch_size",
                      "from_logits": True, "label_smoothing": 0.1, "axis": -1}
    rebuilt = losses.deserialize(losses.serialize(loss))
    assert isinstance(rebuilt, losses.CategoricalCrossentropy)
    assert rebuilt.get_config() == config


def test_invalid_reduction_is_rejected():
    with pytest.raises(ValueError, match="reduction"):
        losses.MeanSquaredError(reduction="average")


def test_custom_loss_subclass_with_ops_trains_gradients():
    class MyMSE(keras.losses.Loss):
        def call(self, y_true, y_pred):
            return ops.mean(ops.square(y_pred - y_true), axis=-1)

    value, grad = value_and_grad(MyMSE(), Y_REG, P_REG)
    np.testing.assert_allclose(value, ((Y_REG - P_REG) ** 2).mean(), rtol=1e-5)
    np.testing.assert_allclose(grad, 2 * (P_REG - Y_REG) / Y_REG.size, rtol=1e-5)


@pytest.mark.parity
def test_masked_sequence_steps_are_left_out_of_loss_and_accuracy_as_in_keras():
    # Embedding(mask_zero=True) masks the padding; the mask travels with the outputs to
    # the loss and the metrics, which average over the unmasked steps only.
    real = import_keras()

    def build(k):
        inputs = k.Input((6,), dtype="int32")
        x = k.layers.Embedding(10, 4, mask_zero=True)(inputs)
        x = k.layers.LSTM(5, return_sequences=True)(x)
        model = k.Model(inputs, k.layers.Dense(3, activation="softmax")(x))
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        return model

    ours, theirs = build(keras), build(real)
    theirs.set_weights(ours.get_weights())
    generator = np.random.default_rng(0)
    x = generator.integers(1, 10, (8, 6))
    x[:, 4:] = 0
    x[2, 2:] = 0
    y = generator.integers(0, 3, (8, 6))
    np.testing.assert_allclose(ours.evaluate(x, y, verbose=0),
                               theirs.evaluate(x, y, verbose=0), rtol=1e-5)


@pytest.mark.parity
@pytest.mark.parametrize("name", ["MeanSquaredError", "Huber", "BinaryCrossentropy",
                                  "CategoricalCrossentropy", "Poisson"])
def test_a_loss_computes_in_its_dtype_as_keras(name):
    """A Loss casts what it is given to its dtype (floatx unless given): float64 arrays
    give a float32 loss, as in Keras 3 on every backend; ``dtype="float64"`` keeps them."""
    reference = import_keras()
    y_true = np.full((2, 3), 0.25)  # float64, as np.array([...]) makes them
    y_pred = np.full((2, 3), 0.6)
    ours = getattr(losses, name)()(y_true, y_pred)
    theirs = getattr(reference.losses, name)()(y_true, y_pred)
    assert str(ours.dtype) == str(theirs.dtype) == "float32"
    assert float(ours) == pytest.approx(float(theirs), rel=1e-6)
    wide = getattr(losses, name)(dtype="float64")(y_true, y_pred)
    assert str(wide.dtype) == "float64"
    assert float(wide) == pytest.approx(float(ours), rel=1e-6)
