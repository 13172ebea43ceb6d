"""The newer Keras activations (hard_tanh, shrinks, squareplus, sparse_*, threshold,
glu, sparsemax): values vs NumPy formulas and Keras, gradients, lookup by name."""

import numpy as np
import pytest

import kerlite as keras
from kerlite import activations, backend, ops
from kerlite.testing import check_grad
from _keras_reference import import_keras

X = np.linspace(-3, 3, 25).astype("float32")


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sparsemax_reference(z):
    """Martins & Astudillo (2016), Algorithm 1, one row at a time."""
    out = np.empty_like(z)
    for i, row in enumerate(z.reshape(-1, z.shape[-1])):
        ordered = np.sort(row)[::-1]
        running = np.cumsum(ordered)
        k = np.arange(1, row.size + 1)
        support = k[1 + k * ordered > running].max()
        tau = (running[support - 1] - 1) / support
        out.reshape(-1, z.shape[-1])[i] = np.maximum(row - tau, 0)
    return out


# name -> (kwargs, NumPy formula)
CASES = {
    "hard_tanh": ({}, lambda x: np.clip(x, -1, 1)),
    "hard_shrink": ({}, lambda x: np.where(np.abs(x) > 0.5, x, 0)),
    "soft_shrink": ({}, lambda x: np.where(x > 0.5, x - 0.5,
                                           np.where(x < -0.5, x + 0.5, 0))),
    "tanh_shrink": ({}, lambda x: x - np.tanh(x)),
    "squareplus": ({}, lambda x: (x + np.sqrt(x * x + 4)) / 2),
    "sparse_plus": ({}, lambda x: np.where(x <= -1, 0,
                                           np.where(x >= 1, x, (x + 1) ** 2 / 4))),
    "sparse_sigmoid": ({}, lambda x: np.clip((x + 1) / 2, 0, 1)),
    "threshold": ({"threshold": 0.3, "default_value": -2.0},
                  lambda x: np.where(x > 0.3, x, -2.0)),
    "glu": ({}, lambda x: x[..., :12] * sigmoid(x[..., 12:])),
    "sparsemax": ({}, sparsemax_reference),
}
WITH_OPTIONS = [("hard_shrink", {"threshold": 1.2}), ("soft_shrink", {"threshold": 0.8}),
                ("squareplus", {"b": 1.0}), ("glu", {"axis": 0}),
                ("sparsemax", {"axis": 0}), ("threshold", {"threshold": -1.0,
                                                          "default_value": 0.0})]


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_dtype(name, xp):
    kwargs, formula = CASES[name]
    x = X[:24].reshape(1, 24) if name == "glu" else X.reshape(5, 5)
    got = activations.get(name)(xp.asarray(x), **kwargs)
    assert got.dtype == "float32"
    np.testing.assert_allclose(backend.to_numpy(got), formula(x.astype("float64")),
                               rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(backend.to_numpy(getattr(ops, name)(x, **kwargs)),
                               backend.to_numpy(got))


def test_sparsemax_is_a_sparse_probability_distribution(rng):
    x = rng.normal(size=(6, 7)).astype("float32") * 2
    for axis in (-1, 0):
        out = np.asarray(activations.sparsemax(x, axis=axis))
        np.testing.assert_allclose(out.sum(axis=axis), 1.0, rtol=1e-6)
        assert out.min() >= 0 and (out == 0).any()
        np.testing.assert_allclose(np.moveaxis(out, axis, -1),
                                   sparsemax_reference(np.moveaxis(x, axis, -1)),
                                   rtol=1e-5, atol=1e-6)


def test_gradients():
    # Points kept away from each function's kinks (|x| = 0.5, +-1, the threshold).
    x = np.array([[-2.3, -1.4, -0.8, -0.3, 0.2, 0.7, 1.3, 2.6]])
    for name in ("hard_tanh", "hard_shrink", "soft_shrink", "tanh_shrink", "squareplus",
                 "sparse_plus", "sparse_sigmoid", "glu"):
        check_grad(activations.get(name), x)
    check_grad(lambda t: activations.threshold(t, 0.1, 5.0), x)
    check_grad(lambda t: activations.squareplus(t, b=0.5), x)
    check_grad(lambda t: activations.glu(t.reshape((2, 4)), axis=0), x)
    # sparsemax: support of several entries per row, none at the edge of the support.
    z = np.array([[0.1, 0.5, 0.9, -1.0, 0.3], [2.0, -0.5, 0.0, 0.4, -3.0]])
    check_grad(activations.sparsemax, z)
    check_grad(lambda t: activations.sparsemax(t, axis=0), np.ascontiguousarray(z.T))


def test_lookup_by_name_and_serialization():
    for name in CASES:
        function = activations.get(name)
        assert function is getattr(activations, name)
        assert activations.serialize(function) == name
        assert activations.deserialize(name) is function


def test_glu_needs_an_even_axis():
    with pytest.raises(ValueError, match="divisible by 2"):
        ops.glu(np.ones((2, 3), "float32"))


def test_in_a_functional_model():
    inputs = keras.Input((6,))
    hidden = ops.glu(keras.layers.Dense(8)(inputs))
    assert hidden.shape == (None, 4)
    outputs = keras.layers.Dense(3, activation="sparsemax")(hidden)
    model = keras.Model(inputs, outputs)
    probs = model.predict(np.random.default_rng(0).normal(size=(5, 6)).astype("float32"),
                          verbose=0)
    np.testing.assert_allclose(probs.sum(axis=-1), 1.0, rtol=1e-6)


@pytest.mark.parity
@pytest.mark.parametrize("name, kwargs",
                         [(n, CASES[n][0]) for n in sorted(CASES)] + WITH_OPTIONS)
def test_values_equal_keras(name, kwargs):
    real = import_keras()
    x = np.linspace(-3, 3, 24).astype("float32").reshape(4, 6)
    if name == "sparsemax":
        # Keras 3.15 is right only when one entry is in the support (keras-team/keras
        # #23425, fixed by #23469); compare there, and check the rest against the
        # paper's algorithm in test_sparsemax_is_a_sparse_probability_distribution.
        x = np.array([[4.0, 1.0, -2.0, 0.5], [0.0, -1.0, 3.5, 2.0]], "float32")
        x = x if kwargs.get("axis", -1) == -1 else x.T
    want = np.asarray(getattr(real.ops, name)(x, **kwargs))
    np.testing.assert_allclose(np.asarray(getattr(ops, name)(x, **kwargs)), want,
                               rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(np.asarray(activations.get(name)(x, **kwargs)),
                               np.asarray(real.activations.get(name)(x, **kwargs)),
                               rtol=1e-6, atol=1e-6)


@pytest.mark.parity
def test_every_keras_activation_has_a_kerlite_one():
    real = import_keras()
    public = {n for n in dir(real.activations) if not n.startswith("_")}
    assert public <= set(dir(activations))
    for name in ("hard_tanh", "hard_shrink", "soft_shrink", "tanh_shrink", "squareplus",
                 "sparse_plus", "sparse_sigmoid", "sparsemax", "threshold", "glu", "celu"):
        assert hasattr(real.ops, name) and hasattr(ops, name), name


# One call of each new op, as tests/test_ops_dtypes.py's DIFFERENTIABLE table lists ops.
FLOAT32_CALLS = {
    "hard_tanh": ops.hard_tanh, "hard_shrink": ops.hard_shrink,
    "soft_shrink": ops.soft_shrink, "tanh_shrink": ops.tanh_shrink,
    "squareplus": ops.squareplus, "sparse_plus": ops.sparse_plus,
    "sparse_sigmoid": ops.sparse_sigmoid,
    "threshold": lambda x: ops.threshold(x, 0.1, -1.0),
    "glu": ops.glu, "sparsemax": ops.sparsemax,
}


@pytest.mark.parametrize("name", sorted(FLOAT32_CALLS))
def test_float32_stays_float32_forward_and_backward(name):
    x = ops.convert_to_tensor((np.arange(12, dtype="float32").reshape(3, 4) / 5 - 1.1))
    with keras.GradientTape() as tape:
        tape.watch(x)
        out = FLOAT32_CALLS[name](x)
        total = ops.sum(ops.multiply(out, out))
    grad = tape.gradient(total, x)
    assert out.dtype == "float32" and grad.dtype == "float32"
    assert grad.shape == x.shape
