"""to_categorical and normalize: label and array helpers, as keras.utils has them."""

import os

import numpy as np
import pytest

import kerlite as keras
from kerlite.utils import normalize, to_categorical


def test_to_categorical_one_hot_rows():
    result = to_categorical([0, 2, 1], num_classes=4)
    np.testing.assert_array_equal(result, [[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0]])
    assert result.dtype == np.float64  # NumPy in, NumPy (float64) out, as in Keras


def test_to_categorical_infers_classes_and_drops_trailing_axis_of_one():
    labels = np.array([[3], [0], [1]])  # cifar10.load_data() labels look like this
    result = to_categorical(labels)
    assert result.shape == (3, 4)
    np.testing.assert_array_equal(result.argmax(axis=-1), [3, 0, 1])


def test_to_categorical_keeps_other_axes():
    assert to_categorical(np.zeros((2, 5), dtype=int), 3).shape == (2, 5, 3)


def test_to_categorical_on_a_tensor_returns_a_float32_tensor():
    result = to_categorical(keras.ops.convert_to_tensor(np.array([1, 0])), 2)
    assert isinstance(result, keras.Tensor) and result.dtype == "float32"
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(result), [[0, 1], [1, 0]])


def test_to_categorical_rejects_bad_labels():
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 3\)"):
        to_categorical([0, 3], num_classes=3)
    with pytest.raises(ValueError, match="integer class labels"):
        to_categorical([0.5, 1.0])


def test_normalize_numpy_rows_to_unit_length():
    x = np.array([[3.0, 4.0], [0.0, 0.0]])
    np.testing.assert_allclose(normalize(x), [[0.6, 0.8], [0.0, 0.0]])
    np.testing.assert_allclose(normalize(x, order=1), [[3 / 7, 4 / 7], [0.0, 0.0]])
    np.testing.assert_allclose(normalize(x, axis=0), [[1.0, 1.0], [0.0, 0.0]])


def test_normalize_tensor_stays_a_tensor_and_is_differentiable():
    x = keras.Variable(np.array([[3.0, 4.0]], dtype="float32"))
    with keras.GradientTape() as tape:
        y = keras.ops.sum(normalize(x) * np.array([1.0, 0.0], dtype="float32"))
    grad = keras.ops.convert_to_numpy(tape.gradient(y, x))
    # d(x0/|x|)/dx = (1/|x| - x0^2/|x|^3, -x0 x1/|x|^3) = (0.128, -0.096)
    np.testing.assert_allclose(grad, [[0.128, -0.096]], rtol=1e-5)


@pytest.mark.parity
def test_same_results_as_keras():
    os.environ.setdefault("KERAS_BACKEND", "jax")
    real_keras = pytest.importorskip("keras")
    labels = np.array([[2], [0], [1], [2]])
    np.testing.assert_array_equal(to_categorical(labels),
                                  real_keras.utils.to_categorical(labels))
    x = np.random.default_rng(0).normal(size=(4, 3))
    for order in (1, 2, 3):
        np.testing.assert_allclose(normalize(x, order=order),
                                   real_keras.utils.normalize(x, order=order), rtol=1e-12)
