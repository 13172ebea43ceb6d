"""Same inputs -> same numbers as Keras 3 (JAX backend) for activations, reductions,
softmax and the cross-entropies."""

import os

import numpy as np
import pytest

from kerlite import ops

pytestmark = pytest.mark.parity


@pytest.fixture(scope="module")
def keras():
    os.environ["KERAS_BACKEND"] = "jax"
    keras = pytest.importorskip("keras")
    if keras.backend.backend() != "jax":
        pytest.skip(f"keras was already imported with the {keras.backend.backend()} backend")
    return keras


X = np.linspace(-6.5, 6.3, 24, dtype="float32").reshape(2, 3, 4)

ACTIVATIONS = ["relu", "relu6", "sigmoid", "hard_sigmoid", "hard_silu", "silu", "swish",
               "softplus", "softsign", "log_sigmoid", "elu", "selu", "celu", "gelu",
               "leaky_relu", "tanh", "softmax", "log_softmax"]


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_parity(keras, name):
    want = np.asarray(getattr(keras.ops, name)(X))
    got = getattr(ops, name)(X)
    assert got.dtype == "float32"
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-6)


def test_activation_arguments_parity(keras):
    pairs = [
        (ops.gelu(X, approximate=False), keras.ops.gelu(X, approximate=False)),
        (ops.elu(X, alpha=0.3), keras.ops.elu(X, alpha=0.3)),
        (ops.leaky_relu(X, negative_slope=0.05), keras.ops.leaky_relu(X, negative_slope=0.05)),
        (ops.softmax(X, axis=1), keras.ops.softmax(X, axis=1)),
        (ops.log_softmax(X, axis=0), keras.ops.log_softmax(X, axis=0)),
    ]
    for got, want in pairs:
        np.testing.assert_allclose(got.numpy(), np.asarray(want), rtol=1e-5, atol=1e-6)


REDUCTIONS = [("sum", {}), ("sum", {"axis": 1}), ("mean", {"axis": (0, 2), "keepdims": True}),
              ("max", {"axis": -1}), ("min", {}), ("prod", {"axis": 0}),
              ("var", {"axis": 1}), ("std", {}), ("logsumexp", {"axis": 2}),
              ("cumsum", {"axis": 1}), ("argmax", {"axis": 1}), ("argmin", {})]


@pytest.mark.parametrize("name,kwargs", REDUCTIONS, ids=[f"{n}{k}" for n, k in REDUCTIONS])
def test_reduction_parity(keras, name, kwargs):
    want = np.asarray(getattr(keras.ops, name)(X, **kwargs))
    got = getattr(ops, name)(X, **kwargs).numpy()
    assert got.shape == want.shape
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_crossentropy_parity(keras):
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((6, 5)).astype("float32") * 3
    labels = rng.integers(0, 5, 6)
    onehot = np.eye(5, dtype="float32")[labels]
    probs = np.asarray(keras.ops.softmax(logits))
    targets = rng.uniform(0, 1, (6, 5)).astype("float32")
    for from_logits, output in ((True, logits), (False, probs)):
        np.testing.assert_allclose(
            ops.categorical_crossentropy(onehot, output, from_logits=from_logits).numpy(),
            np.asarray(keras.ops.categorical_crossentropy(onehot, output, from_logits)),
            rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(
            ops.sparse_categorical_crossentropy(labels, output, from_logits=from_logits).numpy(),
            np.asarray(keras.ops.sparse_categorical_crossentropy(labels, output, from_logits)),
            rtol=1e-5, atol=1e-6)
    for from_logits, output in ((True, logits), (False, 1 / (1 + np.exp(-logits)))):
        np.testing.assert_allclose(
            ops.binary_crossentropy(targets, output, from_logits=from_logits).numpy(),
            np.asarray(keras.ops.binary_crossentropy(targets, output, from_logits)),
            rtol=1e-5, atol=1e-5)


def test_one_hot_and_shape_ops_parity(keras):
    labels = np.array([[0, 2], [1, -1]])
    np.testing.assert_array_equal(ops.one_hot(labels, 3).numpy(),
                                  np.asarray(keras.ops.one_hot(labels, 3)))
    np.testing.assert_array_equal(ops.tile(X[0], (2, 1)).numpy(),
                                  np.asarray(keras.ops.tile(X[0], (2, 1))))
    np.testing.assert_array_equal(ops.pad(X[0], ((1, 0), (0, 2))).numpy(),
                                  np.asarray(keras.ops.pad(X[0], ((1, 0), (0, 2)))))
    np.testing.assert_allclose(ops.einsum("bij,jk->bik", X, X[0].T).numpy(),
                               np.asarray(keras.ops.einsum("bij,jk->bik", X, X[0].T)),
                               rtol=1e-5)


def test_normalize_moments_norm_parity(keras):
    np.testing.assert_allclose(ops.normalize(X, axis=1).numpy(),
                               np.asarray(keras.ops.normalize(X, axis=1)), rtol=1e-5)
    for got, want in zip(ops.moments(X, axes=[0, 2]), keras.ops.moments(X, axes=[0, 2])):
        np.testing.assert_allclose(got.numpy(), np.asarray(want), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ops.norm(X, axis=-1).numpy(),
                               np.asarray(keras.ops.norm(X, axis=-1)), rtol=1e-5)
