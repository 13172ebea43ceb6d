"""Targets that broadcast against predictions train as in Keras 3.

``y_true`` (8, 10) with ``y_pred`` (8, 1) and "mse" used to compute the forward loss
and then crash in backward with a bare NumPy reshape error; Keras broadcasts, averages
over the 10 target columns and trains. Each case trains the same model from the same
weights for three SGD steps in kerlite and in Keras and compares the losses and the
final weights.
"""

import numpy as np
import pytest

import kerlite
from tests._keras_reference import import_keras
from tests._loss_checks import value_and_grad

CASES = [
    # (loss, y_true shape, units of the output)
    ("mse", (8, 10), 1), ("mae", (8, 10), 1), ("huber", (8, 10), 1),
    ("log_cosh", (8, 10), 1), ("msle", (8, 10), 1), ("mape", (8, 10), 1),
    ("poisson", (8, 10), 1), ("kl_divergence", (8, 10), 1), ("hinge", (8, 10), 1),
    ("squared_hinge", (8, 10), 1), ("cosine_similarity", (8, 10), 1),
    ("categorical_hinge", (8, 10), 1), ("dice", (8, 10), 1), ("tversky", (8, 10), 1),
    ("mse", (8, 1), 10), ("mae", (8, 1), 10), ("kl_divergence", (8, 1), 3),
    ("poisson", (8, 1), 3), ("categorical_hinge", (8, 1), 3),
    ("mse", (8,), 1), ("binary_crossentropy", (8,), 1), ("hinge", (8,), 1),
    ("binary_focal_crossentropy", (8,), 1), ("sparse_categorical_crossentropy", (8,), 3),
    ("sparse_categorical_crossentropy", (8, 1), 3), ("mse", (8, 1, 10), 1),
]


def train(keras, loss, target_shape, units):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 4)).astype("float32")
    if loss.startswith("sparse"):
        y = rng.integers(0, units, size=target_shape).astype("float32")
    elif "hinge" in loss or "binary" in loss:
        y = rng.integers(0, 2, size=target_shape).astype("float32")
    else:
        y = rng.uniform(0.1, 1.0, size=target_shape).astype("float32")
    activation = "softmax" if units > 1 and loss not in ("mse", "mae") else "sigmoid"
    inputs = keras.Input((4,))
    kernel = rng.normal(size=(4, units)).astype("float32") * 0.3
    dense = keras.layers.Dense(units, activation=activation)
    model = keras.Model(inputs, dense(inputs))
    dense.set_weights([kernel, np.full((units,), 0.1, "float32")])
    model.compile(keras.optimizers.SGD(0.1), loss)
    history = model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    return history.history["loss"], dense.get_weights()


@pytest.mark.parity
@pytest.mark.parametrize("loss,target_shape,units", CASES)
def test_broadcast_targets_train_like_keras(loss, target_shape, units):
    keras = import_keras()
    expected_losses, expected_weights = train(keras, loss, target_shape, units)
    losses, weights = train(kerlite, loss, target_shape, units)
    np.testing.assert_allclose(losses, expected_losses, rtol=2e-5, atol=1e-6)
    for got, want in zip(weights, expected_weights):
        np.testing.assert_allclose(got, want, rtol=2e-5, atol=1e-6)


def test_broadcast_mse_gradient_is_the_sum_over_target_columns():
    """d/dp mean_j (t_j - p)^2 = 2 (p - mean_j t_j), on y_pred's own shape (1, 1)."""
    y_true = np.array([[1.0, 2.0, 3.0]], "float32")
    value, grad = value_and_grad(kerlite.losses.MeanSquaredError(), y_true,
                                 np.array([[0.5]], "float32"))
    assert value == pytest.approx((0.5 ** 2 + 1.5 ** 2 + 2.5 ** 2) / 3)
    assert grad.shape == (1, 1)
    np.testing.assert_allclose(grad, [[2 * (0.5 - 2.0)]], rtol=1e-6)
