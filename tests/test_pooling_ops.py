"""Pooling ops: gradients against finite differences, values and gradients against Keras 3."""

import os

import numpy as np
import pytest

from kerlite import GradientTape, Variable, ops
from kerlite.ops.pooling import average_pool, max_pool
from kerlite.testing import check_grad

rng = np.random.default_rng(99)
CASES = [(2, None), (3, 2), (3, 1), (2, 3)]  # (pool_size, strides)


@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("pool,strides", CASES)
@pytest.mark.parametrize("pool_fn", [max_pool, average_pool])
def test_pool_gradients(pool_fn, rank, padding, pool, strides):
    x = rng.standard_normal((2, *(5 if rank < 3 else 4,) * rank, 2))
    check_grad(lambda a: pool_fn(a, pool, strides, padding), x)


def test_pool_channels_first_gradients():
    x = rng.standard_normal((2, 3, 5, 4))
    check_grad(lambda a: max_pool(a, 2, None, "same", "channels_first"), x)
    check_grad(lambda a: average_pool(a, 2, None, "same", "channels_first"), x)


def test_pool_too_big_is_a_clear_error():
    with pytest.raises(ValueError, match="does not fit"):
        max_pool(np.zeros((1, 2, 2, 1), "float32"), 3)


def test_max_pool_gradient_goes_to_one_element_on_ties():
    x = Variable(np.zeros((1, 2, 2, 1), "float32"))
    with GradientTape() as tape:
        loss = ops.sum(max_pool(x, 2))
    assert float(ops.sum(tape.gradient(loss, x))) == 1.0


@pytest.mark.parity
@pytest.mark.parametrize("kind,rank,padding,pool,strides", [
    ("max", 2, "valid", 2, None), ("max", 2, "same", 3, 2), ("max", 1, "same", 3, 1),
    ("max", 3, "valid", 2, 3), ("average", 2, "same", 3, 2), ("average", 1, "valid", 2, None),
    ("average", 3, "same", 3, 1), ("average", 2, "same", 2, 3),
])
def test_pool_matches_keras_values_and_gradients(kind, rank, padding, pool, strides):
    os.environ.setdefault("KERAS_BACKEND", "jax")
    pytest.importorskip("keras")
    jax = pytest.importorskip("jax")
    import keras

    x = rng.standard_normal((2, *(7,) * rank, 3)).astype("float32")
    theirs_fn = getattr(keras.ops, f"{kind}_pool")
    ours_fn = max_pool if kind == "max" else average_pool
    # Keras 3.15's JAX pooling mishandles strides=None for some ranks: pass it explicitly.
    theirs = np.asarray(theirs_fn(x, pool, strides or pool, padding))
    weights = rng.standard_normal(theirs.shape).astype("float32")
    theirs_grad = jax.grad(
        lambda a: (theirs_fn(a, pool, strides or pool, padding) * weights).sum())(x)

    xv = Variable(x)
    with GradientTape() as tape:
        ours = ours_fn(xv, pool, strides, padding)
        loss = ops.sum(ours * weights)
    np.testing.assert_allclose(ours.numpy(), theirs, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(tape.gradient(loss, xv).numpy(), np.asarray(theirs_grad),
                               rtol=1e-5, atol=1e-6)
