"""Focal, Dice, Tversky, Circle and generalized cross-entropy losses: values and
gradients equal Keras 3's, gradient checks, configs, names, compile, errors."""

import numpy as np
import pytest

import kerlite as keras
from kerlite import backend, losses
from kerlite.autodiff import GradientTape, Tensor
from kerlite.testing import check_grad
from _keras_reference import import_keras
from _loss_checks import value_and_grad

rng = np.random.default_rng(7)
N, C = 6, 4
LOGITS = (rng.normal(size=(N, C)) * 2).astype("float32")
PROBS = (np.exp(LOGITS) / np.exp(LOGITS).sum(-1, keepdims=True)).astype("float32")
LABELS = rng.integers(0, C, N)
ONE_HOT = np.eye(C, dtype="float32")[LABELS]
BIN_T = (rng.random((N, 3)) > 0.5).astype("float32")
BIN_P = rng.uniform(0.05, 0.95, (N, 3)).astype("float32")
BIN_LOGITS = (rng.normal(size=(N, 3)) * 2).astype("float32")
MASK_T = (rng.random((N, 5, 5, 1)) > 0.6).astype("float32")
MASK_P = rng.uniform(0.01, 0.99, (N, 5, 5, 1)).astype("float32")
EMBED = rng.normal(size=(8, 5)).astype("float32")
EMBED /= np.linalg.norm(EMBED, axis=1, keepdims=True)
EMBED_LABELS = np.array([0, 1, 2, 0, 1, 2, 0, 1])
SAMPLE_WEIGHT = rng.uniform(0.2, 1.0, N).astype("float32")

CASES = [
    ("BinaryFocalCrossentropy", {}, BIN_T, BIN_P),
    ("BinaryFocalCrossentropy", {"apply_class_balancing": True, "alpha": 0.4,
                                 "gamma": 1.5}, BIN_T, BIN_P),
    ("BinaryFocalCrossentropy", {"from_logits": True, "label_smoothing": 0.1},
     BIN_T, BIN_LOGITS),
    ("BinaryFocalCrossentropy", {"axis": 0, "gamma": 3.0}, BIN_T, BIN_P),
    ("CategoricalFocalCrossentropy", {}, ONE_HOT, PROBS),
    ("CategoricalFocalCrossentropy", {"from_logits": True, "label_smoothing": 0.2,
                                      "gamma": 1.0}, ONE_HOT, LOGITS),
    ("CategoricalFocalCrossentropy", {"alpha": [0.1, 0.2, 0.3, 0.4]}, ONE_HOT, PROBS),
    ("Dice", {}, MASK_T, MASK_P),
    ("Dice", {"axis": (1, 2, 3)}, MASK_T, MASK_P),
    ("Tversky", {}, MASK_T, MASK_P),
    ("Tversky", {"alpha": 0.7, "beta": 0.3, "axis": (1, 2, 3)}, MASK_T, MASK_P),
    ("CategoricalGeneralizedCrossEntropy", {}, LABELS, PROBS),
    ("CategoricalGeneralizedCrossEntropy", {"q": 0.2}, LABELS.astype("float32"), PROBS),
    ("Circle", {}, EMBED_LABELS, EMBED),
    ("Circle", {"gamma": 10.0, "margin": 0.25, "remove_diagonal": False},
     EMBED_LABELS, EMBED),
]


@pytest.mark.parity
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("name, kwargs, y_true, y_pred", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_value_and_gradient_match_keras(name, kwargs, y_true, y_pred, weighted):
    reference = import_keras()
    import jax

    count = y_pred.shape[1] if kwargs.get("axis") == 0 else len(y_pred)  # loss values
    weight = np.linspace(0.2, 1.0, count, dtype="float32") if weighted else None
    keras_loss = getattr(reference.losses, name)(**kwargs)
    expected = float(keras_loss(y_true, y_pred, sample_weight=weight))
    expected_grad = np.asarray(jax.grad(
        lambda p: keras_loss(y_true, p, sample_weight=weight))(y_pred))
    ours = getattr(losses, name)(**kwargs)
    value, grad = value_and_grad(ours, y_true, y_pred, weight)
    np.testing.assert_allclose(value, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-4, atol=1e-6)
    assert ours.name == keras_loss.name


@pytest.mark.parity
@pytest.mark.parametrize("name, kwargs, y_true, y_pred", [
    ("binary_focal_crossentropy", {"gamma": 1.0}, BIN_T, BIN_P),
    ("categorical_focal_crossentropy", {}, ONE_HOT, PROBS),
    ("dice", {"axis": (1, 2)}, MASK_T, MASK_P),
    ("tversky", {"alpha": 0.2, "beta": 0.8}, MASK_T, MASK_P),
    ("categorical_generalized_cross_entropy", {"q": 0.7}, LABELS, PROBS),
    ("circle", {}, EMBED_LABELS, EMBED),
])
def test_function_forms_match_keras(name, kwargs, y_true, y_pred):
    reference = import_keras()
    expected = np.asarray(getattr(reference.losses, name)(y_true, y_pred, **kwargs))
    ours = getattr(losses, name)(y_true, y_pred, **kwargs)
    np.testing.assert_allclose(np.asarray(ours), expected, rtol=1e-5, atol=1e-6)


# A Loss computes in its dtype (floatx unless given, as in Keras): float64 for the
# finite differences.
@pytest.mark.parametrize("loss, y_true, y_pred", [
    (losses.BinaryFocalCrossentropy(apply_class_balancing=True, dtype="float64"), BIN_T,
     BIN_P),
    (losses.BinaryFocalCrossentropy(from_logits=True, dtype="float64"), BIN_T, BIN_LOGITS),
    (losses.CategoricalFocalCrossentropy(from_logits=True, dtype="float64"), ONE_HOT, LOGITS),
    (losses.Dice(axis=(1, 2, 3), dtype="float64"), MASK_T, MASK_P),
    (losses.Tversky(alpha=0.3, beta=0.7, dtype="float64"), MASK_T, MASK_P),
    (losses.CategoricalGeneralizedCrossEntropy(q=0.4, dtype="float64"), LABELS, PROBS),
    (losses.Circle(gamma=5.0, dtype="float64"), EMBED_LABELS, EMBED),
], ids=lambda value: type(value).__name__ if isinstance(value, losses.Loss) else "")
def test_gradients_match_finite_differences(loss, y_true, y_pred):
    check_grad(lambda p: loss(y_true, p), y_pred)


@pytest.mark.parametrize("index", [0, 2, 5, 6, 8, 10, 12, 13])
def test_same_value_and_gradient_on_each_array_module(xp, index):
    name, kwargs, y_true, y_pred = CASES[index]
    loss = getattr(losses, name)(**kwargs)
    weight = np.linspace(0.2, 1.0, len(y_pred), dtype="float32")
    backend.set_backend("numpy")  # the reference value: computed on the host
    try:
        expected, expected_grad = value_and_grad(loss, y_true, y_pred, weight)
    finally:
        backend.set_backend(xp.__name__)
    with GradientTape() as tape:
        prediction = Tensor(xp.asarray(y_pred))
        tape.watch(prediction)
        value = loss(xp.asarray(y_true), prediction, sample_weight=xp.asarray(weight))
    grad = keras.ops.convert_to_numpy(tape.gradient(value, prediction))
    assert float(keras.ops.convert_to_numpy(value)) == pytest.approx(expected, rel=1e-6)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-5, atol=1e-7)


def test_circle_leaves_rows_without_positives_out_of_the_mean():
    labels = np.array([0, 0, 1, 1, 2])  # label 2 appears once: no positive pair
    per_row = losses.circle(labels, EMBED[:5])
    assert float(per_row.numpy()[4]) == 0.0
    value = losses.Circle()(labels, EMBED[:5])
    assert float(value) == pytest.approx(per_row.numpy()[:4].mean(), rel=1e-6)
    _, grad = value_and_grad(losses.Circle(), labels, EMBED[:5])
    assert np.isfinite(grad).all()


def test_dice_of_identical_masks_is_zero_and_disjoint_is_one():
    mask = np.array([[1.0, 0.0, 1.0, 0.0]], "float32")
    assert float(losses.dice(mask, mask)) == pytest.approx(0.0, abs=1e-6)
    assert float(losses.dice(mask, 1 - mask)) == pytest.approx(1.0)
    assert float(losses.tversky(mask, mask)) == pytest.approx(0.0, abs=1e-6)


def test_focal_with_gamma_zero_is_the_plain_crossentropy():
    focal = losses.BinaryFocalCrossentropy(gamma=0.0)(BIN_T, BIN_P)
    plain = losses.BinaryCrossentropy()(BIN_T, BIN_P)
    assert float(focal) == pytest.approx(float(plain), rel=1e-6)


@pytest.mark.parametrize("loss", [
    losses.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.3, gamma=1.0,
                                   from_logits=True, label_smoothing=0.1, name="bfc"),
    losses.CategoricalFocalCrossentropy(alpha=0.5, gamma=3.0, axis=-1),
    losses.Dice(axis=(1, 2)), losses.Tversky(alpha=0.1, beta=0.9),
    losses.Circle(gamma=20.0, margin=0.3, remove_diagonal=False),
    losses.CategoricalGeneralizedCrossEntropy(q=0.3, reduction="sum"),
], ids=lambda loss: type(loss).__name__)
def test_config_round_trip(loss):
    rebuilt = losses.deserialize(losses.serialize(loss))
    assert type(rebuilt) is type(loss)
    assert rebuilt.get_config() == loss.get_config()


@pytest.mark.parity
@pytest.mark.parametrize("name", ["BinaryFocalCrossentropy", "CategoricalFocalCrossentropy",
                                  "Dice", "Tversky", "Circle",
                                  "CategoricalGeneralizedCrossEntropy"])
def test_default_config_keys_match_keras(name):
    reference = import_keras()
    theirs = getattr(reference.losses, name)().get_config()
    ours = getattr(losses, name)().get_config()
    theirs.pop("dtype", None)
    assert ours == theirs


@pytest.mark.parametrize("name, expected", [
    ("binary_focal_crossentropy", losses.binary_focal_crossentropy),
    ("categorical_focal_crossentropy", losses.categorical_focal_crossentropy),
    ("dice", losses.dice), ("tversky", losses.tversky), ("circle", losses.circle),
])
def test_get_resolves_function_names(name, expected):
    assert losses.get(name) is expected


def test_generalized_cross_entropy_function_is_not_a_name_as_in_keras():
    with pytest.raises(ValueError, match="Could not interpret loss"):
        losses.get("categorical_generalized_cross_entropy")  # needs q


@pytest.mark.parametrize("name", ["BinaryFocalCrossentropy", "CategoricalFocalCrossentropy",
                                  "Dice", "Tversky", "Circle",
                                  "CategoricalGeneralizedCrossEntropy"])
def test_get_resolves_class_names(name):
    assert type(losses.get(name)) is getattr(losses, name)


@pytest.mark.parametrize("loss, y", [
    ("binary_focal_crossentropy", (rng.random((32, 1)) > 0.5).astype("float32")),
    ("dice", (rng.random((32, 1)) > 0.5).astype("float32")),
    ("tversky", (rng.random((32, 1)) > 0.5).astype("float32")),
])
def test_compile_with_string_loss_trains(loss, y):
    x = rng.normal(size=(32, 3)).astype("float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, "sigmoid")])
    model.compile(optimizer="sgd", loss=loss)
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert np.isfinite(history.history["loss"]).all()


def test_compile_with_circle_and_generalized_cross_entropy_names():
    x = rng.normal(size=(24, 3)).astype("float32")
    labels = np.arange(24) % 3
    embedder = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4),
                                 keras.layers.UnitNormalization()])
    embedder.compile(optimizer="adam", loss="circle")
    classifier = keras.Sequential([keras.Input((3,)), keras.layers.Dense(3, "softmax")])
    classifier.compile(optimizer="adam", loss="CategoricalGeneralizedCrossEntropy")
    for model in (embedder, classifier):
        history = model.fit(x, labels, epochs=2, batch_size=12, verbose=0)
        assert np.isfinite(history.history["loss"]).all()


def test_compile_with_focal_loss_object_and_categorical_labels():
    x = rng.normal(size=(24, 3)).astype("float32")
    y = np.eye(3, dtype="float32")[rng.integers(0, 3, 24)]
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(3, "softmax")])
    model.compile(optimizer="adam", loss=keras.losses.CategoricalFocalCrossentropy())
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert len(history.history["loss"]) == 2


def test_errors():
    with pytest.raises(ValueError, match=r"q must be in the interval \(0, 1\)"):
        losses.CategoricalGeneralizedCrossEntropy(q=1.5)
    with pytest.raises(ValueError, match="`axis` must be of type `int`"):
        losses.categorical_focal_crossentropy(ONE_HOT, PROBS, axis=True)
    with pytest.raises(ValueError, match="reduction"):
        losses.Dice(reduction="average")
    with pytest.warns(SyntaxWarning, match="binary_crossentropy"):
        losses.categorical_focal_crossentropy(BIN_T[:, :1], BIN_P[:, :1])
