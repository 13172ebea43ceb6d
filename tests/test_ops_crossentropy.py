"""Fused cross-entropy ops against NumPy formulas and Keras's conventions."""

import numpy as np
import pytest

from kerlite import backend, ops
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
