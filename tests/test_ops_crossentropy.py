"""Fused cross-entropy ops against NumPy formulas and Keras's conventions."""

import numpy as np
import pytest

from kerlite import GradientTape, Tensor, backend, ops
from kerlite.testing import check_grad


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@pytest.fixture
def batch(rng):
    logits = rng.standard_normal((5, 4))
    labels = np.array([0, 3, 1, 1, 2])
    return logits, labels, np.eye(4)[labels]


def test_categorical_from_logits(batch, xp):
    logits, _, onehot = batch
    want = -(onehot * np.log(_softmax(logits))).sum(axis=-1)
    out = ops.categorical_crossentropy(xp.asarray(onehot), xp.asarray(logits), from_logits=True)
    np.testing.assert_allclose(ops.convert_to_numpy(out), want, rtol=1e-10)
    check_grad(lambda t, z: ops.categorical_crossentropy(t, z, from_logits=True),
               xp.asarray(_softmax(logits[::-1])), xp.asarray(logits))


def test_categorical_from_probabilities(batch, xp):
    logits, _, onehot = batch
    probs = _softmax(logits) * 3.0  # rescaled to sum to 1 first, as in Keras
    want = -(onehot * np.log(_softmax(logits))).sum(axis=-1)
    out = ops.categorical_crossentropy(xp.asarray(onehot), xp.asarray(probs))
    np.testing.assert_allclose(ops.convert_to_numpy(out), want, rtol=1e-10)
    check_grad(ops.categorical_crossentropy, xp.asarray(_softmax(logits[::-1])),
               xp.asarray(probs))


def test_categorical_probabilities_are_clipped():
    out = ops.categorical_crossentropy(np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]]))
    np.testing.assert_allclose(out.numpy(), [-np.log(backend.epsilon())], rtol=1e-6)


def test_sparse_categorical(batch, xp):
    logits, labels, onehot = batch
    for from_logits, output in ((True, logits), (False, _softmax(logits))):
        want = ops.categorical_crossentropy(onehot, output, from_logits=from_logits).numpy()
        got = ops.sparse_categorical_crossentropy(xp.asarray(labels), xp.asarray(output),
                                                  from_logits=from_logits)
        np.testing.assert_allclose(ops.convert_to_numpy(got), want, rtol=1e-10)
        column = ops.sparse_categorical_crossentropy(labels[:, None], output,
                                                     from_logits=from_logits)
        np.testing.assert_allclose(column.numpy(), want, rtol=1e-10)
        check_grad(lambda z, f=from_logits: ops.sparse_categorical_crossentropy(
            labels, z, from_logits=f), xp.asarray(output))


def test_sparse_matches_one_hot_where_probabilities_are_clipped():
    # Rows whose own class has probability 0 or 1 sit on the clip bounds: the sparse
    # op's loss and gradient must equal those of categorical with one-hot targets.
    labels = np.array([0, 1, 2])
    probs = np.array([[0.0, 0.5, 0.5], [0.0, 1.0, 0.0], [0.2, 0.3, 0.5]])
    onehot = np.eye(3)[labels]
    for from_logits in (False, True):
        output = probs * 40 - 20 if from_logits else probs
        sparse = _value_and_grad(
            lambda z: ops.sparse_categorical_crossentropy(labels, z, from_logits), output)
        dense = _value_and_grad(
            lambda z: ops.categorical_crossentropy(onehot, z, from_logits), output)
        np.testing.assert_allclose(sparse[0], dense[0], rtol=1e-12)
        np.testing.assert_allclose(sparse[1], dense[1], rtol=1e-12, atol=1e-12)


def _value_and_grad(function, array):
    z = Tensor(np.array(array, dtype="float64"))
    with GradientTape() as tape:
        tape.watch(z)
        value = ops.sum(function(z))
    return float(value.numpy()), tape.gradient(value, z).numpy()


def test_binary(rng, xp):
    logits = rng.standard_normal((3, 4)) * 3
    targets = rng.uniform(0, 1, (3, 4))
    p = 1 / (1 + np.exp(-logits))
    want = -(targets * np.log(p) + (1 - targets) * np.log(1 - p))
    out = ops.binary_crossentropy(xp.asarray(targets), xp.asarray(logits), from_logits=True)
    np.testing.assert_allclose(ops.convert_to_numpy(out), want, rtol=1e-9)
    out = ops.binary_crossentropy(xp.asarray(targets), xp.asarray(p))
    np.testing.assert_allclose(ops.convert_to_numpy(out), want, rtol=1e-6)
    check_grad(lambda t, z: ops.binary_crossentropy(t, z, from_logits=True),
               xp.asarray(targets), xp.asarray(logits))
    check_grad(ops.binary_crossentropy, xp.asarray(targets), xp.asarray(p))


def test_binary_from_logits_is_stable_for_huge_logits():
    out = ops.binary_crossentropy(np.array([1.0, 0.0], "float32"),
                                  np.array([-500.0, 500.0], "float32"), from_logits=True)
    np.testing.assert_allclose(out.numpy(), [500.0, 500.0])
    assert out.dtype == "float32"


def test_shape_mismatch_errors():
    with pytest.raises(ValueError, match="same shape"):
        ops.categorical_crossentropy(np.ones((2, 3)), np.ones((2, 4)))
    with pytest.raises(ValueError, match="same shape"):
        ops.binary_crossentropy(np.ones((2, 3)), np.ones((3,)))
    with pytest.raises(ValueError, match="last dimension"):
        ops.sparse_categorical_crossentropy(np.array([0, 1, 2]), np.ones((2, 4)))
