"""Activations: Keras names, defaults and values; gradients through kerlite.ops."""

import os

import numpy as np
import pytest

from kerlite import activations
from kerlite.testing import check_grad

X = np.linspace(-4, 4, 17).astype("float32")


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


REFERENCES = {
    "relu": lambda x: np.maximum(x, 0),
    "relu6": lambda x: np.clip(x, 0, 6),
    "leaky_relu": lambda x: np.where(x >= 0, x, 0.2 * x),
    "sigmoid": sigmoid,
    "tanh": np.tanh,
    "linear": lambda x: x,
    "softplus": lambda x: np.log1p(np.exp(x)),
    "softsign": lambda x: x / (1 + np.abs(x)),
    "elu": lambda x: np.where(x > 0, x, np.exp(x) - 1),
    "selu": lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * (np.exp(x) - 1)),
    "silu": lambda x: x * sigmoid(x),
    "swish": lambda x: x * sigmoid(x),
    "hard_sigmoid": lambda x: np.clip(x / 6 + 0.5, 0, 1),
    "exponential": np.exp,
    "mish": lambda x: x * np.tanh(np.log1p(np.exp(x))),
    "softmax": lambda x: np.exp(x) / np.exp(x).sum(),
    "log_softmax": lambda x: x - np.log(np.exp(x).sum()),
}


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_activation_values(name):
    function = activations.get(name)
    got = np.asarray(function(X))
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, REFERENCES[name](X.astype("float64")), rtol=1e-5, atol=1e-6)


def test_get_none_callable_and_unknown():
    assert activations.get(None) is activations.linear
    assert activations.get("swish") is activations.silu
    custom = lambda x: x  # noqa: E731
    assert activations.get(custom) is custom
    with pytest.raises(ValueError, match="Could not interpret activation function identifier"):
        activations.get("rleu")
    with pytest.raises(ValueError, match="Could not interpret"):
        activations.get(3)


def test_serialize_by_name():
    assert activations.serialize(activations.relu) == "relu"
    assert activations.serialize(activations.get("linear")) == "linear"
    assert activations.deserialize("tanh") is activations.tanh


def test_relu_options_as_keras():
    x = np.array([-2.0, -0.5, 0.5, 1.0, 3.0, 8.0], dtype="float32")
    got = np.asarray(activations.relu(x, negative_slope=0.1, max_value=6.0, threshold=1.0))
    expected = np.where(x > 1.0, np.minimum(x, 6.0), 0.0) - 0.1 * np.maximum(1.0 - x, 0)
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    np.testing.assert_allclose(np.asarray(activations.relu(x, max_value=2.0)), np.clip(x, 0, 2))


def test_activation_gradients():
    x = np.array([[-1.3, -0.2, 0.4, 2.1]])
    for name in ("sigmoid", "tanh", "softmax", "elu", "selu", "softplus", "silu", "gelu",
                 "mish", "log_softmax"):
        check_grad(activations.get(name), x)
    check_grad(lambda t: activations.relu(t, negative_slope=0.1, max_value=1.5), x)


@pytest.mark.parity
def test_parity_with_keras_activations():
    os.environ.setdefault("KERAS_BACKEND", "jax")
    real = pytest.importorskip("keras")
    x = np.linspace(-5, 5, 21).astype("float32").reshape(3, 7)
    for name in sorted(set(REFERENCES) | {"gelu", "celu", "hard_silu", "log_sigmoid"}):
        want = np.asarray(real.activations.get(name)(x))
        got = np.asarray(activations.get(name)(x))
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6, err_msg=name)
    want = np.asarray(real.activations.relu(x, negative_slope=0.1, max_value=3.0, threshold=0.5))
    got = np.asarray(activations.relu(x, negative_slope=0.1, max_value=3.0, threshold=0.5))
    np.testing.assert_allclose(got, want, rtol=1e-6)
